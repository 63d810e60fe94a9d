#!/bin/bash
# One fleet run against the bench's FIXED-LATENCY ENDPOINT, as one line, with the CPU of each process.
#
# usage: bench/fleet/run.sh JAR CORPUS WORKERS CONCURRENCY LATENCY_MS LIMIT
#   e.g. bench/fleet/run.sh cli/target/codegloss.jar test/test_asyncio 1,4 1 50 3000
# CORPUS is relative to the standard library of the machine's python3. Prints, per scaling point: spans,
# wall, spans/s, % of ideal (workers x concurrency / latency), the bench report's queue columns, spans/s
# from the first job's start to the last one's end (act) and call slots busy (occ); then CPU seconds per
# process class over the whole run (cpu.py; the per-second series is in $work/cpu-series.txt).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jar=$(realpath "$1")
stdlib=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
work=$(mktemp -d /tmp/codegloss-fleet.XXXXXX)
mkdir -p "$work/home"
[ -d "$HOME/.codegloss/models" ] && ln -s "$HOME/.codegloss/models" "$work/home/models"
l0=$(cut -d' ' -f1 /proc/loadavg)
(cd "$work" && CODEGLOSS_HOME="$work/home" exec java -jar "$jar" bench "$stdlib/$2" --modes none \
  --workers "$3" --scaling-concurrency "$4" --latency-ms "$5" --scaling-limit "$6" --real-scaling-limit 0 \
  --json >"$work/out.json" 2>"$work/err.log") &
bench=$!
sleep 0.5
python3 "$here/cpu.py" "$bench" >"$work/cpu.txt" 2>"$work/cpu-series.txt"
wait "$bench" || { echo "bench failed: $work/err.log" >&2; exit 1; }
l1=$(cut -d' ' -f1 /proc/loadavg)
python3 - "$work/out.json" "$2" "$4" "$5" "$l0" "$l1" <<'PY'
import json, sys
out, corpus, conc, lat, l0, l1 = sys.argv[1:]
r = json.load(open(out))
for p in r['queue_scaling']['fixed_latency']['points']:
    q = p['queue']
    sps = p['spans'] / p['wall_seconds']
    ideal = int(conc) * p['workers'] * 1000 / int(lat) if int(lat) > 0 else 0
    print(f"{corpus} w={p['workers']}x{conc} lat={lat} spans={p['spans']} wall={p['wall_seconds']:.2f}"
          f" sps={sps:.1f} ideal%={100 * sps / ideal if ideal else 0:.0f} speedup={p['speedup']}"
          f" first={q['first_pickup_ms']} gap={q['mean_pickup_gap_ms']} nonllm={q['mean_in_job_non_llm_ms']}"
          f" db={q['db_ms_per_job']} lost={p['spans_lost']} act={q['active_spans_per_second']}"
          f" occ={q['slot_occupancy']} load={l0}->{l1}")
PY
tr '\n' ' ' <"$work/cpu.txt"; echo
