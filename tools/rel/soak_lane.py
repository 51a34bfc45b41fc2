#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""One soak lane: N x (attach -> failover -> detach) of one partition over
one connection to sriovd's control socket (the protocol of
daemon/src/control/protocol.hpp: one JSON request per line, one answer
line per request), instead of three sriovctl processes per cycle: under
TCG starting a process costs more than the daemon's work for a request.

  soak_lane.py SOCKET PARTITION N PROGRESS_FILE [STOP_FILE [STATS_FILE]]

sriovd answers a request when its sequence has ended, so the lane never
polls or sleeps: the next request goes out as soon as the answer is in.
Writes the number of cycles done to PROGRESS_FILE after each cycle and
stops early (exit 0) once STOP_FILE exists.  Exit 1 on the first request
that fails, with the request and the daemon's answer on stderr.
STATS_FILE (JSON, written at the end, also after a failure): per request
kind the count and the total, maximum and sorted list of latencies (ms).
"""
import json
import os
import socket
import sys
import time


def main():
    path, part, n, progress = sys.argv[1:5]
    stop = sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] else None
    stats_path = sys.argv[6] if len(sys.argv) > 6 else None
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    f = s.makefile("rwb", buffering=0)
    rid = 0
    lat = {"attach": [], "failover": [], "detach": []}

    def call(cmd, **args):
        nonlocal rid
        rid += 1
        t = time.monotonic()
        f.write(json.dumps({"id": rid, "cmd": cmd, "args": args}).encode() + b"\n")
        while True:
            line = f.readline()
            if not line:
                raise RuntimeError(f"{cmd} {part}: sriovd closed the connection")
            a = json.loads(line)
            if a.get("id") == rid:
                break
        lat[cmd].append(round((time.monotonic() - t) * 1000, 1))
        if not a.get("ok"):
            raise RuntimeError(f"{cmd} {part}: {json.dumps(a.get('error'))}")

    def write_stats():
        if not stats_path:
            return
        out = {k: {"n": len(v), "total_ms": round(sum(v), 1),
                   "max_ms": max(v, default=0), "sorted_ms": sorted(v)}
               for k, v in lat.items()}
        with open(stats_path, "w") as p:
            json.dump(out, p)

    rc = 0
    for k in range(1, int(n) + 1):
        if stop and os.path.exists(stop):
            break
        try:
            call("attach", partition=part)
            call("failover", partition=part, hold_ms=3600 * 1000)
            call("detach", partition=part)
        except (RuntimeError, OSError, ValueError) as e:
            print(f"{part}: cycle {k}: {e}", file=sys.stderr)
            rc = 1
            break
        with open(progress + ".tmp", "w") as p:
            p.write(f"{k}\n")
        os.replace(progress + ".tmp", progress)
    write_stats()
    return rc


if __name__ == "__main__":
    sys.exit(main())
