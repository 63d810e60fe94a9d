#!/usr/bin/env bash
# Watch benchmark: edit to pending with the scheduler running (target: at most 1 s, median of 10).
# Copies a corpus (default: this machine's Python stdlib without site-packages), indexes it, marks
# every span enriched, starts the scheduler loop in process (watching on, interval 1 h) and saves
# EDITS functions in EDITS files one after the other, timing each save until span_state shows the
# edited span pending (facts_only). See WatchBench.
#
# Database: CODEGLOSS_DB_URL (+ _USER, _PASSWORD) if set, else an embedded PostgreSQL under a
# temporary CODEGLOSS_HOME. Knobs: CORPUS (a folder), EDITS (10), BENCH_WORK (a folder to reuse),
# PAUSE_MILLIS (8000: wait after each edit is pending; 0 saves the next file while the previous
# edit's call resolution still runs, as a person saving file after file does).
# Output: one JSON line on stdout, also written to bench/out/watch-<date>.json, with the load.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${BENCH_WORK:-$(mktemp -d /tmp/codegloss-watch-bench.XXXXXX)}
mkdir -p "$work" "$repo/bench/out"
corpus=${CORPUS:-$(python3 -c 'import sysconfig;print(sysconfig.get_paths()["stdlib"])')}

echo "building the scheduler module and its tests (no install)..." >&2
(cd "$repo" && mvn -q -o package -pl scheduler -am -DskipTests -Dspotless.check.skip=true \
  -Denforcer.skip=true >/dev/null)
(cd "$repo" && mvn -q -o dependency:build-classpath -pl scheduler -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/deps.txt" >/dev/null)
deps=$(tr ':' '\n' < "$work/deps.txt" | grep -v '/io/codegloss/' | paste -sd: -)
cp="$repo/scheduler/target/classes:$repo/scheduler/target/test-classes:$repo/core/target/classes"
cp="$cp:$repo/db-migrations/target/classes:$repo/db-migrations/target/test-classes:$deps"

echo "copying $corpus (without site-packages and caches)..." >&2
rm -rf "$work/corpus" && mkdir -p "$work/corpus"
tar -C "$corpus" --exclude=./site-packages --exclude=__pycache__ -cf - . | tar -C "$work/corpus" -xf -

if [[ -z "${CODEGLOSS_DB_URL:-}" ]]; then
  export CODEGLOSS_HOME="$work/home"
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
result=$(java -cp "$cp" -Dlogback.configurationFile="$repo/bench/index/logback-bench.xml" \
  -Dcodegloss.bench.pauseMillis="${PAUSE_MILLIS:-8000}" \
  io.codegloss.scheduler.index.WatchBench "$work/corpus" "${EDITS:-10}" | tail -1)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
out="$repo/bench/out/watch-$(date +%Y%m%d-%H%M%S).json"
python3 - "$result" "$load_before" "$load_after" "$(nproc)" "$out" "${PAUSE_MILLIS:-8000}" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
r.update(load_before=sys.argv[2], load_after=sys.argv[3], cores=int(sys.argv[4]),
         pause_millis=int(sys.argv[6]))
json.dump(r, open(sys.argv[5], "w"), indent=2)
print(json.dumps({k: v for k, v in r.items() if k != "each"}))
print(f"edit to pending: median {r['median_ms']:.0f} ms (min {r['min_ms']:.0f}, max {r['max_ms']:.0f})"
      f" over {r['edits']} edits, {r['files']} files / {r['spans']} spans; load {sys.argv[2]} -> {sys.argv[3]}"
      f" (target: median <= 1000 ms)")
print(f"written {sys.argv[5]}")
PY
