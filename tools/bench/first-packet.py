#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Wait for the first UDP datagram on a port; print its arrival time.

    first-packet.py PORT READY_FILE TIMEOUT_S

Binds [::]:PORT (IPv4 too), writes READY_FILE, and prints the wall-clock
time (CLOCK_REALTIME, microseconds, the same clock as bash's
$EPOCHREALTIME) at which the first datagram arrived.  Exit 1 on timeout.
Used by the attach case: the time from "VF unbound" to "the child
receives".
"""

import socket
import sys
import time


def main():
    port, ready, timeout = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    s.settimeout(timeout)
    with open(ready, "w") as f:
        f.write("ready\n")
    try:
        s.recv(2048)
    except socket.timeout:
        return 1
    print(time.time_ns() // 1000, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
