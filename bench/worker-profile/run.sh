#!/bin/sh
# Database round trips of one enrichment job, from the worker's side.
#
# usage: bench/worker-profile/run.sh [JAR] [SPANS] [CORPUS]
#
# Runs `codegloss bench CORPUS --modes none --workers 1 --scaling-concurrency 8 --latency-ms 50` (one
# worker process, 8 slots, the FIXED-LATENCY ENDPOINT) and records the worker JVM with Java Flight
# Recorder: every socket read (threshold 0, with its stack) and CPU samples. round-trips.py then
# prints the PostgreSQL reads per job, grouped by the statement's owner and the worker's step, and the
# wait per read. Counts are what to compare between builds; waits grow with the machine's load.
# SPANS: 800 (the default) and the whole corpus finish; on test_asyncio 400 and 2000 select a
# 19,000-token span whose job fits no 8,192-token worker, and the bench then waits for it forever.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
jar=${1:-$repo/cli/target/codegloss.jar}
spans=${2:-800}
corpus=${3:-$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')/test/test_asyncio}
work=$(mktemp -d /tmp/codegloss-worker-profile.XXXXXX)
mkdir -p "$work/home"
[ -d "$HOME/.codegloss/models" ] && ln -s "$HOME/.codegloss/models" "$work/home/models"
CODEGLOSS_HOME="$work/home" java -jar "$jar" bench "$corpus" --modes none --workers 1 \
  --scaling-concurrency 8 --latency-ms 50 --scaling-limit "$spans" --real-scaling-limit 0 \
  --output "$work/out" >"$work/bench.log" 2>&1 &
bench=$!
worker=""
while [ -z "$worker" ]; do
  sleep 0.3
  kill -0 "$bench" 2>/dev/null || { echo "bench ended before its worker started: $work/bench.log" >&2; exit 1; }
  worker=$(pgrep -f "$work/out.*BenchWorker" | head -1 || true)
done
sleep 3 # past the worker's start-up, into the jobs
jcmd "$worker" JFR.start name=rt settings="$here/round-trips.jfc" dumponexit=true \
  filename="$work/worker.jfr" >/dev/null
wait "$bench"
grep -A4 "worker processes" "$work/out/report.md" | tail -1
jfr print --events jdk.SocketRead --stack-depth 40 "$work/worker.jfr" >"$work/reads.txt"
python3 "$here/round-trips.py" "$work/reads.txt"
echo "recording: $work/worker.jfr"
