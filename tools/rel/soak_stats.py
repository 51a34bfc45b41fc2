#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Where the soak's cycles spent their time (tests/vm/rel_soak.sh).

  soak_stats.py cpu                    print a CPU snapshot (one line):
                                       guest jiffies busy/total from
                                       /proc/stat, sriovd's utime, stime,
                                       the clock, sriovd's RSS and fds
                                       (SRIOVD_PID), the clock
  soak_stats.py report SNAP0 SNAP1 LOG FIRST_LINE CYCLES STATS...

report prints, for the cycling phase (between the two snapshots, and the
sriovd log from FIRST_LINE on): the guest CPU busy share, sriovd's CPU
share, the request latencies the lanes saw (soak_lane.py STATS files:
median, 90th percentile, max per request kind), and per sriovd step the
mean duration and the total per cycle.  A step that waits (vf_allocate for
the VF driver's MAC, wait_pair, a failback's wait_vf_back, datapath_vf,
vf_from_child's graceful release) leaves sriovd free for other lanes meanwhile; the others keep it
busy for their whole duration.  Informational only: nothing here passes
or fails a test.
"""
import json
import os
import re
import sys
import time

WAITING = {"vf_allocate", "wait_pair", "wait_vf_back", "datapath_vf", "vf_from_child"}


def cpu_snap():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]  # idle + iowait
    total = sum(v[:8])  # without guest, guest_nice (already in user)
    ut = st_ = rss = fds = 0
    pid = os.environ.get("SRIOVD_PID")
    if pid:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss = int(line.split()[1])
            fds = len(os.listdir(f"/proc/{pid}/fd"))
        except OSError:
            pass
        try:
            with open(f"/proc/{pid}/stat") as f:
                st = f.read().rsplit(")", 1)[1].split()
            ut, st_ = int(st[11]), int(st[12])
        except OSError:
            pass
    print(total - idle, total, ut, st_, f"{time.monotonic():.3f}", rss, fds)


def pct(v, q):
    if not v:
        return 0
    return v[min(len(v) - 1, int(q * len(v)))]


def report(snap0, snap1, log, first, cycles, stats):
    b0, t0, u0, s0, m0, r0, f0 = (float(x) for x in open(snap0).read().split())
    b1, t1, u1, s1, m1, r1, f1 = (float(x) for x in open(snap1).read().split())
    d0, d1 = u0 + s0, u1 + s1
    hz = os.sysconf("SC_CLK_TCK")
    ncpu = os.cpu_count() or 1
    wall = m1 - m0
    cycles = int(cycles)
    busy = (b1 - b0) / (t1 - t0) if t1 > t0 else 0
    print(f"guest CPU busy {busy * 100:.0f}% of {ncpu} vCPUs over {wall:.0f} s; "
          f"sriovd CPU {(d1 - d0) / hz:.1f} s ({(d1 - d0) / hz / wall * 100:.0f}% of one vCPU), "
          f"{(d1 - d0) / hz * 1000 / max(cycles, 1):.0f} ms per cycle "
          f"(user {(u1 - u0) / hz * 1000 / max(cycles, 1):.0f}, "
          f"system {(s1 - s0) / hz * 1000 / max(cycles, 1):.0f})")
    print(f"sriovd RSS {r0:.0f} -> {r1:.0f} kB, open fds {f0:.0f} -> {f1:.0f}")
    lat = {}
    for p in stats:
        try:
            d = json.load(open(p))
        except (OSError, ValueError):
            continue
        for k, v in d.items():
            lat.setdefault(k, []).extend(v["sorted_ms"])
    parts = []
    for k in ("attach", "failover", "detach"):
        v = sorted(lat.get(k, []))
        if v:
            parts.append(f"{k} {pct(v, 0.5):.0f}/{pct(v, 0.9):.0f}/{v[-1]:.0f}")
    if parts:
        print("request latency ms (median/p90/max): " + ", ".join(parts))
    step_re = re.compile(r"step (\w+): (?:ok|skipped)\S* in (\d+) ms")
    steps = {}
    with open(log, errors="replace") as f:
        for i, line in enumerate(f, 1):
            if i < int(first):
                continue
            m = step_re.search(line)
            if m:
                s = steps.setdefault(m.group(1), [0, 0])
                s[0] += 1
                s[1] += int(m.group(2))
    sync = sum(v[1] for k, v in steps.items() if k not in WAITING)
    parts = [f"{k} {v[1] / v[0]:.0f}" + ("w" if k in WAITING else "")
             for k, v in sorted(steps.items(), key=lambda kv: -kv[1][1]) if v[0]]
    print("sriovd step mean ms (w: waits, sriovd free meanwhile): " + ", ".join(parts))
    if cycles:
        print(f"sriovd busy in non-waiting steps: {sync / cycles:.0f} ms per cycle, "
              f"{sync / 1000 / wall * 100:.0f}% of the wall time")


def main():
    if sys.argv[1] == "cpu":
        cpu_snap()
    elif sys.argv[1] == "report":
        report(*sys.argv[2:7], sys.argv[7:])
    else:
        sys.exit("usage: soak_stats.py cpu | report SNAP0 SNAP1 LOG FIRST_LINE CYCLES STATS...")


if __name__ == "__main__":
    main()
