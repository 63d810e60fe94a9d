"""PostgreSQL reads per job from `jfr print --events jdk.SocketRead --stack-depth 40` (see run.sh).

A read is a PostgreSQL round trip when its stack holds the JDBC driver; it is charged to the
innermost codegloss or JobRunr frame (the statement's owner, or JobRunr's SQL), to the worker step
around it, and marked [commit] when Hikari's commit made it. Jobs are counted by the claim's read of
the job's spans.
"""
import collections
import re
import sys

CLAIM_READS = {"JobTable.claimSpans", "JobTable.spans"}


def short(frame):
    return ".".join(frame.split(".")[-2:])


def main(path):
    events = open(path, encoding="utf-8").read().split("jdk.SocketRead {")[1:]
    by_key = collections.defaultdict(lambda: [0, 0.0])
    jobs = 0
    for e in events:
        m = re.search(r"duration = ([\d.]+) (ms|s|us|ns)", e)
        ms = float(m.group(1)) * {"ms": 1, "s": 1000, "us": 0.001, "ns": 1e-6}[m.group(2)]
        frames = re.findall(r"^\s+([\w.$<>]+)\(", e, re.M)
        if not any(f.startswith("org.postgresql") for f in frames):
            continue
        ours = [f for f in frames if f.startswith(("io.codegloss", "org.jobrunr"))]
        pool = [f for f in frames if f.startswith("com.zaxxer")]
        inner = short(ours[0]) if ours else "?"
        if pool and pool[0].endswith(".commit"):
            inner += " [commit]"
        if any("isConnectionDead" in f for f in pool):
            inner += " [pool's alive check]"
        step = [f for f in ours if "JobRunner" in f or f.startswith("org.jobrunr")]
        thread = re.sub(r"\d+", "N", re.search(r'eventThread = "([^"]*)"', e).group(1))
        key = (thread[:24], short(step[0]) if step else "", inner)
        by_key[key][0] += 1
        by_key[key][1] += ms
        if inner in CLAIM_READS:
            jobs += 1
    if not jobs:
        sys.exit("no job claims in the recording")
    reads = sum(v[0] for v in by_key.values())
    wait = sum(v[1] for v in by_key.values())
    print(f"jobs {jobs}; PostgreSQL reads {reads / jobs:.1f} per job, {wait / jobs:.1f} ms per job waiting")
    for (thread, step, inner), (n, ms) in sorted(by_key.items(), key=lambda kv: -kv[1][0]):
        if n / jobs >= 0.02:
            print(f"{n / jobs:6.2f} per job  {ms / n:6.2f} ms  {thread:24s} {step:38s} {inner}")


if __name__ == "__main__":
    main(sys.argv[1])
