#!/usr/bin/env bash
# Index benchmark: indexes the Python stdlib of this machine's python3 (without site-packages)
# into PostgreSQL and reports a full index, a no-op re-index and a one-edit re-index, each timed
# twice: inside the indexer ("seconds") and around the whole java process ("wall", process start,
# connecting and schema check included).
#
# Database: CODEGLOSS_DB_URL (+ _USER, _PASSWORD) if set, else the embedded PostgreSQL under a
# temporary CODEGLOSS_HOME, kept running between the three runs and stopped at the end.
# Knobs: CODEGLOSS_INDEX_THREADS, CODEGLOSS_MAX_FILE_BYTES, BENCH_WORK (a folder to reuse).
# Output: a table on stdout and bench/out/index-<date>.json.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${BENCH_WORK:-$(mktemp -d /tmp/codegloss-index-bench.XXXXXX)}
mkdir -p "$work" "$repo/bench/out"
stdlib=$(python3 -c 'import sysconfig;print(sysconfig.get_paths()["stdlib"])')

echo "building the scheduler module..." >&2
(cd "$repo" && { mvn -q -o install -pl scheduler -am -DskipTests -Dspotless.check.skip=true 2>/dev/null \
  || mvn -q install -pl scheduler -am -DskipTests -Dspotless.check.skip=true; })
(cd "$repo" && mvn -q -o dependency:build-classpath -pl scheduler -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/deps.txt" >/dev/null)
# This checkout's own classes, never another build's jars from the local Maven repository.
deps=$(tr ':' '\n' < "$work/deps.txt" | grep -v '/io/codegloss/' | paste -sd: -)
cp="$repo/scheduler/target/classes:$repo/scheduler/target/test-classes:$repo/core/target/classes"
cp="$cp:$repo/db-migrations/target/classes:$deps"

echo "copying $stdlib (without site-packages and caches)..." >&2
rm -rf "$work/Lib" && mkdir -p "$work/Lib"
tar -C "$stdlib" --exclude=./site-packages --exclude=__pycache__ -cf - . | tar -C "$work/Lib" -xf -
py_files=$(find "$work/Lib" -name '*.py' | wc -l)

if [[ -z "${CODEGLOSS_DB_URL:-}" ]]; then
  export CODEGLOSS_HOME="$work/home" CODEGLOSS_EMBEDDED_KEEP=on
  embedded=1
else
  embedded=0
fi

run() { # name, args...
  local name=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  java -cp "$cp" -Dlogback.configurationFile="$here/logback-bench.xml" \
    io.codegloss.scheduler.index.IndexBench "$@" > "$work/$name.json"
  t1=$(date +%s.%N)
  python3 - "$work/$name.json" "$t0" "$t1" "$name" <<'PY'
import json, sys
path, t0, t1, name = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
r = json.loads(open(path).read().strip().splitlines()[-1])
r["wall_seconds"] = round(t1 - t0, 3)
r["run"] = name
open(path, "w").write(json.dumps(r))
PY
}

if [[ $embedded == 1 ]]; then
  echo "starting the embedded PostgreSQL..." >&2
  run warmup --reset "$work/Lib" >/dev/null   # first start: initdb and extraction of binaries
fi
echo "full index..." >&2
run full --reset "$work/Lib"
echo "no-op re-index..." >&2
run noop "$work/Lib"
echo "one-edit re-index..." >&2
python3 - "$work/Lib/json/encoder.py" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
marker = "def py_encode_basestring(s):\n"
assert marker in s, "edit target moved"
s = s.replace(marker, marker + "    s = str(s)  # codegloss bench edit\n", 1)
open(p, "w", encoding="utf-8").write(s)
PY
run edit "$work/Lib"
if [[ $embedded == 1 ]]; then
  java -cp "$cp" -Dlogback.configurationFile="$here/logback-bench.xml" \
    io.codegloss.scheduler.index.IndexBench --stop >/dev/null 2>&1 || true
fi

out="$repo/bench/out/index-$(date +%Y%m%d-%H%M%S).json"
python3 - "$work" "$out" "$py_files" "$(nproc)" <<'PY'
import json, sys
work, out, py_files, cores = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
runs = {n: json.load(open(f"{work}/{n}.json")) for n in ("full", "noop", "edit")}
full = runs["full"]
summary = {
    "python_files": py_files, "cores": int(cores),
    "files_scanned": full["files_scanned"], "spans_total": full["spans_total"],
    "files_per_second": round(full["files_changed"] / full["seconds"], 1),
    "spans_per_second": round(full["spans_added"] / full["seconds"], 1),
    "runs": runs,
}
json.dump(summary, open(out, "w"), indent=2)
print(f"{'run':6} {'index s':>8} {'wall s':>8} {'changed':>8} {'added':>7} {'changed':>8} {'moved':>6} {'removed':>8}")
for n, r in runs.items():
    print(f"{n:6} {r['seconds']:8.2f} {r['wall_seconds']:8.2f} {r['files_changed']:8d} "
          f"{r['spans_added']:7d} {r['spans_changed']:8d} {r['spans_moved']:6d} {r['spans_removed']:8d}")
print(f"{full['files_scanned']} files, {full['spans_total']} spans: "
      f"{summary['files_per_second']} files/s, {summary['spans_per_second']} spans/s "
      f"(targets: full < 30 s, no-op < 2 s, one edit < 1 s)")
print(f"written {out}")
PY
