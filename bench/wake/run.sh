#!/usr/bin/env bash
# Wake-up benchmark: how long one job (an edited span's, as the scheduler's watcher enqueues it)
# waits for an idle worker, from the enqueue's commit to the job's start. One worker with JobRunr's
# default 5 s poll, CODEGLOSS_WORKER_WAKE on and then off, JOBS single jobs each (default 20), each
# enqueued after a random 0-5 s so that it falls anywhere in the poll's cycle. See WakeBench.
#
# Database: always an embedded PostgreSQL under a temporary CODEGLOSS_HOME. WakeBench starts from
# an empty schema, so an operator's CODEGLOSS_DB_URL is deliberately ignored, never wiped.
# Output: one JSON line per mode on stdout with the load before and after.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/codegloss-wake-bench.XXXXXX)

echo "building the worker module and its tests (no install)..." >&2
(cd "$repo" && mvn -q -o test-compile -pl worker -am -Dspotless.check.skip=true \
  -Denforcer.skip=true >/dev/null)
(cd "$repo" && mvn -q -o dependency:build-classpath -pl worker -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/deps.txt" >/dev/null)
deps=$(tr ':' '\n' < "$work/deps.txt" | grep -v '/io/codegloss/' | paste -sd: -)
cp="$repo/worker/target/classes:$repo/worker/target/test-classes:$repo/core/target/classes"
cp="$cp:$repo/db-migrations/target/classes:$repo/db-migrations/target/test-classes:$deps"

unset CODEGLOSS_DB_URL CODEGLOSS_DB_USER CODEGLOSS_DB_PASSWORD
export CODEGLOSS_HOME="$work/home"
for mode in on off; do
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  result=$(java -cp "$cp" -Dlogback.configurationFile="$repo/bench/index/logback-bench.xml" \
    io.codegloss.worker.job.WakeBench "$mode" "${JOBS:-20}" | tail -1)
  load_after=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "$result" | python3 -c "
import json, sys
r = json.load(sys.stdin)
r.update(load_before='$load_before', load_after='$load_after')
print(json.dumps(r))"
done
