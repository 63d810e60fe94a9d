"""CPU seconds (user + system) of every process until PID exits, by class.

Classes: postgres, worker (the bench's worker JVMs), bench (the bench JVM: endpoint, scheduler, driver),
otherjava, other. Totals go to stdout; one line per second with each class's share of that second goes to
stderr, for finding the steady state of a run.

usage: python3 cpu.py PID
"""

import collections
import os
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def process_class(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
    if "postgres" in cmd:
        return "postgres"
    if "BenchWorker" in cmd:
        return "worker"
    if " bench " in cmd:
        return "bench"
    return "otherjava" if "java" in cmd else "other"


def cpu_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


def main():
    target = int(sys.argv[1])
    seen = {}  # pid -> [class, ticks at last look]
    total = collections.Counter()
    last_print, printed = time.time(), collections.Counter()
    while True:
        alive = os.path.exists(f"/proc/{target}")
        for pid in filter(str.isdigit, os.listdir("/proc")):
            ticks = cpu_ticks(pid)
            if ticks is None:
                continue
            if pid not in seen:
                cls = process_class(pid)
                if cls is not None:
                    seen[pid] = [cls, ticks]
                continue
            cls, before = seen[pid]
            total[cls] += ticks - before
            seen[pid][1] = ticks
        now = time.time()
        if now - last_print >= 1:
            second = {k: (total[k] - printed[k]) / TICK for k in total}
            print(f"{now:.1f} " + " ".join(f"{k}={v:.2f}" for k, v in sorted(second.items())),
                  file=sys.stderr, flush=True)
            printed, last_print = collections.Counter(total), now
        if not alive:
            break
        time.sleep(0.2)
    for cls, ticks in total.most_common():
        print(f"{cls:10s} {ticks / TICK:8.2f} s")


if __name__ == "__main__":
    main()
