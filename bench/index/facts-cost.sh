#!/usr/bin/env bash
# What facts by analysis add to a full index of the Python stdlib: full index runs alternating
# -Dcodegloss.index.facts=on and =off (each on an emptied schema), then a no-op re-index with facts
# on. Prints one line per run (indexer seconds, JVM CPU seconds) and the medians.
#
# Needs the classes built by a reactor build (no install):
#   mvn -B -q -pl scheduler -am test-compile
# and the test classpath in CP, e.g. taken from a surefire report of the scheduler module.
# Database: CODEGLOSS_DB_URL if set, else the embedded PostgreSQL under a temporary CODEGLOSS_HOME.
# Knobs: REPS (3), BENCH_WORK (a folder to reuse).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
work=${BENCH_WORK:-$(mktemp -d /tmp/codegloss-facts-bench.XXXXXX)}
reps=${REPS:-3}
: "${CP:?set CP to the scheduler test classpath}"
stdlib=$(python3 -c 'import os;print(os.path.dirname(os.__file__))')
mkdir -p "$work"
if [[ ! -d "$work/Lib" ]]; then
  mkdir -p "$work/Lib"
  tar -C "$stdlib" --exclude=./site-packages --exclude=__pycache__ -cf - . | tar -C "$work/Lib" -xf -
fi
if [[ -z "${CODEGLOSS_DB_URL:-}" ]]; then
  export CODEGLOSS_HOME="$work/home" CODEGLOSS_EMBEDDED_KEEP=on
fi

run() { # facts on|off, args...
  local facts=$1; shift
  java -cp "$CP" -Dlogback.configurationFile="$here/logback-bench.xml" \
    -Dcodegloss.index.facts="$facts" io.codegloss.scheduler.index.IndexBench "$@" | tail -1
}

run on --reset "$work/Lib" > /dev/null # first start of the embedded server, warm file cache
: > "$work/runs.txt"
for i in $(seq "$reps"); do
  for facts in off on; do
    line=$(run "$facts" --reset "$work/Lib")
    echo "full facts=$facts $line" | tee -a "$work/runs.txt" >&2
  done
done
line=$(run on "$work/Lib")
echo "noop facts=on $line" | tee -a "$work/runs.txt" >&2
if [[ -z "${CODEGLOSS_DB_URL:-}" ]]; then
  java -cp "$CP" -Dlogback.configurationFile="$here/logback-bench.xml" \
    io.codegloss.scheduler.index.IndexBench --stop > /dev/null 2>&1 || true
fi

python3 - "$work/runs.txt" <<'PY'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    kind, facts, js = line.split(" ", 2)
    r = json.loads(js)
    rows.setdefault((kind, facts), []).append(r)
for (kind, facts), rs in rows.items():
    s = [r["seconds"] for r in rs]
    c = [r["jvm_cpu_seconds"] for r in rs]
    print(f"{kind:5} {facts:9} runs={len(rs)} index_s={s} median={statistics.median(s):.2f}"
          f" jvm_cpu_s={c} median={statistics.median(c):.2f} spans={rs[0]['spans_total']}")
off = statistics.median(r["seconds"] for r in rows[("full", "facts=off")])
on = statistics.median(r["seconds"] for r in rows[("full", "facts=on")])
print(f"facts add {100 * (on - off) / off:.1f}% to the full index ({off:.2f} s -> {on:.2f} s)")
PY
