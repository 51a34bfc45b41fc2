#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A local user against sriovd's control socket (tests/vm/sec_partition.sh
runs it with setpriv as an unprivileged user): one `events --follow` that
never reads, N more connections held open, then requests pipelined on the
follower (for at most 20 s) so that its unread replies pile up.

  sec_local.py SOCKET N
      prints "connected K" (K of N connect()s succeeded), waits for a line
      on stdin, prints "refused R" (connections the daemon answered with
      too_many_connections), waits for a line on stdin, exits
"""

import socket
import sys
import time


def main():
    path, n = sys.argv[1], int(sys.argv[2])
    follower = socket.socket(socket.AF_UNIX)
    follower.connect(path)
    follower.sendall(b'{"id": 0, "cmd": "events", "args": {"follow": true}}\n')
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect(path)
        except OSError:
            s.close()
            continue
        socks.append(s)
    follower.settimeout(3)
    reqs = b"".join(b'{"id": %d, "cmd": "status"}\n' % i for i in range(1, 4001))
    total = 0
    deadline = time.monotonic() + 20
    try:
        while time.monotonic() < deadline:
            follower.sendall(reqs)
            total += len(reqs)
    except (socket.timeout, BrokenPipeError, ConnectionResetError):
        pass
    # the daemon dropped the follower (its replies were not read) or it
    # stopped reading its requests: either way nothing more is sent
    print("connected", len(socks), "follower sent", total, flush=True)
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
