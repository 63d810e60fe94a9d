#!/usr/bin/env bash
# Enqueue benchmark: a whole-repository `enqueue` of the Python stdlib (72,031 spans) against `plan`
# of the same pending spans, in the same run, on the embedded PostgreSQL.
#
# Usage: bench/enqueue/run.sh [JAR] [REPS]   (JAR default cli/target/codegloss.jar, REPS default 2)
# Knobs: BENCH_WORK (a folder to reuse: the stdlib copy and its index are kept between runs);
# JAVA_OPTS (JVM options of every timed command, e.g. the launcher's short-lived set, see ./codegloss).
# Each rep: `plan --json` (timed), `enqueue` (timed, peak RSS), a repeat `enqueue` (timed, must add
# nothing), then checks that no span is lost or doubled (every pending span in exactly one live job;
# one JobRunr job per row of ours) and removes the jobs again so the next rep starts alike.
# Then once more killed: an `enqueue` is SIGKILLed after its first progress line (some chunks
# committed), started again, and checked the same way (KILL=off skips this).
# Output: one line per measurement on stdout, with the load average.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
jar=$(realpath "${1:-$repo/cli/target/codegloss.jar}")
reps=${2:-2}
work=${BENCH_WORK:-$(mktemp -d /tmp/codegloss-enqueue-bench.XXXXXX)}
mkdir -p "$work/home"
export CODEGLOSS_HOME="$work/home" CODEGLOSS_EMBEDDED_KEEP=on
[[ -e "$work/home/models" ]] || ln -s "$HOME/.codegloss/models" "$work/home/models"

if [[ ! -d "$work/Lib" ]]; then
  stdlib=$(python3 -c 'import sysconfig;print(sysconfig.get_paths()["stdlib"])')
  mkdir -p "$work/Lib"
  tar -C "$stdlib" --exclude=./site-packages --exclude=__pycache__ -cf - . | tar -C "$work/Lib" -xf -
fi
echo "indexing $work/Lib (once)..." >&2
java ${JAVA_OPTS:-} -jar "$jar" index "$work/Lib" >/dev/null

sql() {
  PGPASSWORD=$(cat "$work/home/pgdata.password") psql -qtAX -h 127.0.0.1 \
    -p "$(cat "$work/home/pgdata.port")" -U postgres -d codegloss -c "$1"
}
reset() { sql "truncate jobs, job_spans, jobrunr_jobs cascade" >/dev/null; }
timed() { # label, command...: prints "label seconds peak_kb"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/$label.err"
  read -r secs kb < "$work/time.txt"
  echo "$label seconds=$secs peak_rss_mb=$((kb / 1024)) load=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
}

check() { # label
  echo "$1 jobs=$(sql 'select count(*) from jobs')" \
    "jobrunr_jobs=$(sql 'select count(*) from jobrunr_jobs')" \
    "span_refs=$(sql 'select count(*) from job_spans')" \
    "distinct_spans=$(sql 'select count(distinct span_id) from job_spans')" \
    "spans_not_queued=$(sql "select count(*) from span_state s join repositories r on r.id = s.repo_id where r.root_path like '%/Lib' and not s.queued and not s.enriched")" \
    "rows_without_jobrunr_job=$(sql 'select count(*) from jobs j where not exists (select 1 from jobrunr_jobs r where r.id = cast(j.id as text))')" \
    "jobrunr_jobs_without_row=$(sql 'select count(*) from jobrunr_jobs r where not exists (select 1 from jobs j where cast(j.id as text) = r.id)')"
}

reset
for rep in $(seq 1 "$reps"); do
  timed "rep$rep.plan" java ${JAVA_OPTS:-} -jar "$jar" plan "$work/Lib" --json
  timed "rep$rep.enqueue" java ${JAVA_OPTS:-} -jar "$jar" enqueue "$work/Lib"
  timed "rep$rep.enqueue_again" java ${JAVA_OPTS:-} -jar "$jar" enqueue "$work/Lib"
  check "rep$rep.check"
  reset
done

if [[ ${KILL:-on} == on ]]; then
  java ${JAVA_OPTS:-} -jar "$jar" enqueue "$work/Lib" >/dev/null 2>"$work/killed.err" &
  pid=$!
  until grep -q "jobs written" "$work/killed.err" 2>/dev/null || ! kill -0 "$pid" 2>/dev/null; do
    sleep 0.2
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "killed.at $(grep "jobs written" "$work/killed.err" | tail -1) jobs_then=$(sql 'select count(*) from jobs')"
  timed "killed.enqueue_again" java ${JAVA_OPTS:-} -jar "$jar" enqueue "$work/Lib"
  check "killed.check"
  reset
fi
