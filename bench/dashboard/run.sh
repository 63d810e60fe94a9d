#!/usr/bin/env bash
# Dashboard benchmark: GET /api/snapshot at 100,000 jobs and 500,000 LLM calls (200,000 spans),
# median of RUNS after a warm-up (target: at most 500 ms). Seeds a fresh schema with SQL
# (generate_series; about a minute) and times a real dashboard server. See DashboardBench.
#
# Database: CODEGLOSS_DB_URL (+ _USER, _PASSWORD) if set — its public schema is DROPPED — else an
# embedded PostgreSQL under a temporary CODEGLOSS_HOME. Knobs: SPANS, JOBS, CALLS, RUNS (15),
# EXPLAIN=1 (EXPLAIN ANALYZE of the heaviest reads on stderr), BENCH_WORK (a folder to reuse).
# Output: one JSON line on stdout, also written to bench/out/dashboard-<date>.json, with the load.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${BENCH_WORK:-$(mktemp -d /tmp/codegloss-dashboard-bench.XXXXXX)}
mkdir -p "$work" "$repo/bench/out"

echo "building the dashboard module and its tests (no install)..." >&2
(cd "$repo" && mvn -q -o package -pl dashboard -am -DskipTests -Dspotless.check.skip=true \
  -Denforcer.skip=true >/dev/null)
(cd "$repo" && mvn -q -o dependency:build-classpath -pl dashboard -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/deps.txt" >/dev/null)
deps=$(tr ':' '\n' < "$work/deps.txt" | grep -v '/io/codegloss/' | paste -sd: -)
cp="$repo/dashboard/target/classes:$repo/dashboard/target/test-classes:$repo/core/target/classes"
cp="$cp:$repo/db-migrations/target/classes:$repo/db-migrations/target/test-classes:$deps"

if [[ -z "${CODEGLOSS_DB_URL:-}" ]]; then
  export CODEGLOSS_HOME="$work/home"
fi
args=(--spans "${SPANS:-200000}" --jobs "${JOBS:-100000}" --calls "${CALLS:-500000}" --runs "${RUNS:-15}")
[[ "${EXPLAIN:-0}" == 1 ]] && args+=(--explain)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
result=$(java -cp "$cp" -Dlogback.configurationFile="$repo/bench/index/logback-bench.xml" \
  io.codegloss.dashboard.DashboardBench "${args[@]}" | tail -1)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
out="$repo/bench/out/dashboard-$(date +%Y%m%d-%H%M%S).json"
python3 - "$result" "$load_before" "$load_after" "$(nproc)" "$out" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
r.update(load_before=sys.argv[2], load_after=sys.argv[3], cores=int(sys.argv[4]))
json.dump(r, open(sys.argv[5], "w"), indent=2)
print(json.dumps(r))
print(f"snapshot: median {r['median_ms']:.0f} ms (min {r['min_ms']:.0f}, max {r['max_ms']:.0f}) over"
      f" {r['runs']} runs at {r['jobs']} jobs, {r['llm_calls']} calls, {r['spans']} spans;"
      f" load {sys.argv[2]} -> {sys.argv[3]} (target: median <= 500 ms)")
print(f"written {sys.argv[5]}")
PY
