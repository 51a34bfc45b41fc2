#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A local user flooding sriovd's control socket (run as an unprivileged
user by tests/pytest/test_ctl_security.py and tests/vm/sec_partition.sh).

  ctl_flood.py SOCKET N [--stalled-follower]
      opens N connections and holds them; with --stalled-follower first
      one `events --follow` that never reads, on which requests are
      pipelined (for at most 20 s) so that its unread replies pile up.
      Prints "connected K" (K of the N connect()s succeeded), waits for a
      line on stdin, prints "refused R" (connections the daemon answered
      with too_many_connections), waits for a line on stdin, exits.
"""

import argparse
import socket
import sys
import time


def follow(path):
    """An `events --follow` connection that will never read."""
    follower = socket.socket(socket.AF_UNIX)
    follower.connect(path)
    follower.sendall(b'{"id": 0, "cmd": "events", "args": {"follow": true}}\n')
    return follower


def pipeline(follower):
    """Pipeline requests on the follower until the daemon dropped it or
    stopped reading them (at most 20 s)."""
    follower.settimeout(3)
    reqs = b"".join(b'{"id": %d, "cmd": "status"}\n' % i for i in range(1, 4001))
    deadline = time.monotonic() + 20
    try:
        while time.monotonic() < deadline:
            follower.sendall(reqs)
    except (socket.timeout, BrokenPipeError, ConnectionResetError):
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("socket")
    ap.add_argument("n", type=int)
    ap.add_argument("--stalled-follower", action="store_true")
    args = ap.parse_args()
    # the follower connects first: it holds one of the user's connections
    follower = follow(args.socket) if args.stalled_follower else None
    socks = []
    for _ in range(args.n):
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect(args.socket)
        except OSError:
            s.close()
            continue
        socks.append(s)
    if follower:
        pipeline(follower)
    print("connected", len(socks), flush=True)
    sys.stdin.readline()
    refused = 0
    for s in socks:
        s.settimeout(0.2)
        try:
            data = s.recv(4096)
        except (socket.timeout, OSError):
            continue
        if b"too_many_connections" in data:
            refused += 1
    print("refused", refused, flush=True)
    sys.stdin.readline()
    return 0


if __name__ == "__main__":
    sys.exit(main())
