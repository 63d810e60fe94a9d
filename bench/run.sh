#!/usr/bin/env bash
# The full benchmark, as measured for bench/PERFORMANCE.md. It takes long on a small CPU (the
# real-model runs dominate: about an hour on 2 cores); progress goes to stderr, the report to
# bench/out/<timestamp>/ (report.json, report.md, modes.png, scaling.png, logs/).
#
#   bench/run.sh                      # default corpus (python3's stdlib modules), every part
#   bench/run.sh --limit 24           # fewer spans
#   bench/run.sh path/to/repo         # any corpus
#   bench/run.sh --scaling off        # only the mode comparison
#   bench/run.sh --modes single,batch --real-scaling-limit 0
#
# What it runs, in order (each in a fresh database, same model and worker limits):
#   1. single    RAG_BATCH_ENRICHMENT=off, 1 worker, 1 job at a time
#   2. batch     the seed's defaults (RAG_BATCH_MAX_TOKENS=2000, ..._MAX_LINE_GAP=100, ..._MIN_SIZE=2)
#   3. batch-x2  the same batches, 2 jobs at a time on 2 llama.cpp slots
#   4. queue scaling: 1, 2, 4 worker PROCESSES on one database against the FIXED-LATENCY ENDPOINT
#      (an OpenAI-compatible server inside the benchmark that sleeps --latency-ms, default 1000,
#      and answers placeholder notes; it exists only while the benchmark runs)
#   5. queue scaling with the real model: 1 and 2 worker processes on the first 8 spans
# The CI smoke version is bench/src/test/java/io/codegloss/bench/BenchSmokeE2eTest.java.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
exec ./codegloss bench "$@"
