#!/bin/bash
# whole `codegloss search` commands, process start included; prints each wall time in ms
JAR=$1; shift
for round in 1 2 3; do
  for q in "json" "JSONDecoder" "urlpar" "open a file for writing" "Return the JSON representation of a Python object" "temporary directory" "getaddr" "strftime" "sort a list in place" "HTTPConnection"; do
    t0=$(date +%s%N); java ${JOPTS:-} -jar $JAR search "$q" >/dev/null 2>&1; rc=$?; t1=$(date +%s%N)
    echo "$(( (t1-t0)/1000000 )) $rc $q"
  done
done
