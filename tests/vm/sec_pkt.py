#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Raw frames for tests/vm/sec_partition.sh: send marked test frames and
forged ARP replies from a partition, and record the ones that arrive
elsewhere.  Run inside a namespace with `ip netns exec`.

  sec_pkt.py send DEV --src MAC --dst MAC --tag TAG [--count N] [--gap-ms MS]
      N frames of ethertype 0x88b5 (IEEE local experimental) whose payload
      is "SECPKT TAG"
  sec_pkt.py arp DEV --sha MAC --spa IP --tpa IP --dst MAC [--count N]
      N ARP replies "SPA is-at SHA" to DST
  sec_pkt.py batch
      one send or arp command (as above, without "sec_pkt.py") per line
      of standard input, in order, in one process (a Python start-up
      takes seconds in the loaded TCG guest); fails if any of them did
  sec_pkt.py watch --out FILE [--ready FILE]
      until SIGTERM: one line per received marked frame
      ("mark TAG IFNAME SRC DST") and per received ARP
      ("arp OP SHA SPA IFNAME") on any interface of the namespace,
      outgoing frames excluded; the file is flushed after every line
"""

import argparse
import select
import shlex
import signal
import socket
import struct
import sys
import time

ETH_P_SEC = 0x88B5
ETH_P_ARP = 0x0806
PACKET_OUTGOING = 4
MAGIC = b"SECPKT "


def mac_bytes(mac):
    return bytes.fromhex(mac.replace(":", ""))


def mac_str(b):
    return ":".join("%02x" % x for x in b)


def raw(dev, proto):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(proto))
    s.bind((dev, proto))
    return s


def send_all(s, frame, count, gap_ms):
    sent = 0
    for _ in range(count):
        sent += s.send(frame) == len(frame)
        time.sleep(gap_ms / 1000)
    return sent


def send_frames(a, dst, src, proto, payload):
    """COUNT copies of one frame (padded to 60 bytes) on DEV; the number sent."""
    frame = mac_bytes(dst) + mac_bytes(src) + struct.pack("!H", proto) + payload
    frame += b"\0" * max(0, 60 - len(frame))
    return send_all(raw(a.dev, proto), frame, a.count, a.gap_ms)


def cmd_send(a):
    n = send_frames(a, a.dst, a.src, ETH_P_SEC, MAGIC + a.tag.encode())
    print("sent %d of %d frames tag %s src %s dst %s on %s" % (n, a.count, a.tag, a.src, a.dst, a.dev))
    return 0 if n == a.count else 1


def cmd_arp(a):
    arp = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 2) + mac_bytes(a.sha) + \
        socket.inet_aton(a.spa) + mac_bytes(a.dst) + socket.inet_aton(a.tpa)
    n = send_frames(a, a.dst, a.sha, ETH_P_ARP, arp)
    print("sent %d of %d ARP replies %s is-at %s to %s on %s" % (n, a.count, a.spa, a.sha, a.dst, a.dev))
    return 0 if n == a.count else 1


def cmd_watch(a):
    socks = []
    for proto in (ETH_P_SEC, ETH_P_ARP):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(proto))
        socks.append(s)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    out = open(a.out, "a", buffering=1)
    if a.ready:
        open(a.ready, "w").close()
    names = {}
    while not stop:
        try:
            ready, _, _ = select.select(socks, [], [], 0.5)
        except InterruptedError:
            continue
        for s in ready:
            data, addr = s.recvfrom(2048)
            pkttype = addr[2]
            if pkttype == PACKET_OUTGOING or len(data) < 14:
                continue
            ifname = addr[0]
            dst, src = mac_str(data[0:6]), mac_str(data[6:12])
            proto = struct.unpack("!H", data[12:14])[0]
            if proto == ETH_P_SEC and data[14:21] == MAGIC:
                tag = data[21:].rstrip(b"\0").decode("ascii", "replace")
                out.write("mark %s %s %s %s\n" % (tag, ifname, src, dst))
            elif proto == ETH_P_ARP and len(data) >= 42:
                op = struct.unpack("!H", data[20:22])[0]
                sha = mac_str(data[22:28])
                spa = socket.inet_ntoa(data[28:32])
                out.write("arp %d %s %s %s\n" % (op, sha, spa, ifname))
    out.close()
    return 0


def sender(sub, name, count, gap_ms):
    """A sending subcommand: DEV, --dst, --count, --gap-ms."""
    s = sub.add_parser(name)
    s.add_argument("dev")
    s.add_argument("--dst", required=True)
    s.add_argument("--count", type=int, default=count)
    s.add_argument("--gap-ms", type=int, default=gap_ms)
    return s


def parser():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sender(sub, "send", 20, 20)
    s.add_argument("--src", required=True)
    s.add_argument("--tag", required=True)
    r = sender(sub, "arp", 10, 50)
    r.add_argument("--sha", required=True)
    r.add_argument("--spa", required=True)
    r.add_argument("--tpa", required=True)
    w = sub.add_parser("watch")
    w.add_argument("--out", required=True)
    w.add_argument("--ready")
    sub.add_parser("batch")
    return p


def cmd_batch(p):
    rc = 0
    for line in sys.stdin:
        if not line.strip():
            continue
        a = p.parse_args(shlex.split(line))
        if a.cmd not in ("send", "arp"):
            p.error("batch runs send and arp commands only: " + line.strip())
        rc |= {"send": cmd_send, "arp": cmd_arp}[a.cmd](a)
    return rc


def main():
    p = parser()
    a = p.parse_args()
    if a.cmd == "batch":
        return cmd_batch(p)
    return {"send": cmd_send, "arp": cmd_arp, "watch": cmd_watch}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
