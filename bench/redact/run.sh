#!/bin/bash
# Secret redaction speed over real code, and whether two builds redact it the same way.
#
# usage: bench/redact/run.sh JAR [FOLDER]
#   FOLDER defaults to the standard library of the machine's python3 (with its site-packages).
# Prints one line (RedactBench.java): files, characters, the median of five passes, ns per character,
# secrets cut out and a digest of the redacted text. Run it with two jars to compare them.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jar=$(realpath "$1")
folder=${2:-$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}
exec java -cp "$jar" "$here/RedactBench.java" "$folder"
