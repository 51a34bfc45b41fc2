#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Drive the sriov_netvsc link type over rtnetlink (stock iproute2 cannot
encode its IFLA_INFO_DATA).  Run it inside a namespace with `ip netns exec`.

  netvsc_ctl.py add HOSTPORT ADAPTER [--netns NS] [--mac MAC] [--serial N]
  netvsc_ctl.py set DEV [--want vf|syn] [--auto-ack 0|1] [--timeout-ms N]
                        [--ack SEQ] [--serial N]
  netvsc_ctl.py show DEV                      -> JSON
  netvsc_ctl.py wait DEV KEY VALUE [--timeout-s S]
  netvsc_ctl.py cycle DEV [--count N] [--dwell-ms D] [--timeout-s T]
        planned switches VF -> synthetic -> VF, N times; JSON summary
  netvsc_ctl.py responder HOSTPORT [--delay-ms N] [--on-syn CMD] [--on-vf CMD]
                [--switch PFIFINDEX:VPORT:FILTER --ynl DIR --spec YAML]
        the host side: acknowledge every request seen as an rtnetlink
        event (running CMD first), until SIGTERM; prints a JSON summary
  netvsc_ctl.py watch --vf-parent BDF [--vf-parent BDF ...] --out FILE
        record every RTM_NEWLINK of a netdev whose parent is one of the
        BDFs, with its flags, until SIGTERM; writes a JSON summary
"""

import argparse
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import time

NETLINK_ROUTE = 0
RTM_NEWLINK, RTM_GETLINK = 16, 18
NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE = 1, 4, 0x200, 0x400
NLMSG_ERROR, NLMSG_DONE = 2, 3
RTMGRP_LINK = 1
NLA_F_NESTED = 0x8000

IFLA_ADDRESS, IFLA_IFNAME, IFLA_MASTER = 1, 3, 10
IFLA_LINKINFO, IFLA_NET_NS_FD = 18, 28
IFLA_PARENT_DEV_NAME = 56
IFLA_INFO_KIND, IFLA_INFO_DATA = 1, 2
IFF_UP, IFF_SLAVE = 0x1, 0x800

KIND = b"sriov_netvsc\0"
# kernel/netvsc/uapi/sriov_netvsc.h
A = dict(PEER=1, ROLE=2, SERIAL=3, DP_ACTIVE=4, DP_WANT=5, DP_PENDING=6,
         DP_SEQ=7, DP_ACK=8, AUTO_ACK=9, ACK_TIMEOUT_MS=10, VF_IFINDEX=11,
         SWITCHES=12, TIMEOUTS=13, LAST_REASON=14, LAST_DURATION_NS=15)
U8 = {"ROLE", "DP_ACTIVE", "DP_WANT", "DP_PENDING", "AUTO_ACK", "LAST_REASON"}
U64 = {"SERIAL", "LAST_DURATION_NS"}
DP = {"syn": 0, "vf": 1}
REASONS = ["none", "command", "vf_up", "vf_down", "vf_unregister",
           "adapter_down", "ack_timeout", "netns_move"]


def nla(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    return hdr + payload + b"\0" * ((4 - len(payload) % 4) % 4)


def parse_nla(buf):
    out, off = {}, 0
    while off + 4 <= len(buf):
        ln, at = struct.unpack_from("=HH", buf, off)
        if ln < 4:
            break
        out[at & ~NLA_F_NESTED] = buf[off + 4:off + ln]
        off += (ln + 3) & ~3
    return out


def ifinfomsg(index=0, flags=0, change=0):
    return struct.pack("=BxHiII", 0, 0, index, flags, change)


IFF_LOWER_UP = 0x10000


class Rtnl:
    def __init__(self, groups=0):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_ROUTE)
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.s.bind((0, groups))
        self.seq = int(time.time())

    def request(self, mtype, flags, body):
        self.seq += 1
        msg = struct.pack("=IHHII", 16 + len(body), mtype, flags, self.seq, 0) + body
        self.s.send(msg)
        replies = []
        while True:
            data = self.s.recv(1 << 16)
            off = 0
            while off < len(data):
                ln, t, _, seq, _ = struct.unpack_from("=IHHII", data, off)
                payload = data[off + 16:off + ln]
                off += (ln + 3) & ~3
                if seq != self.seq:
                    continue
                if t == NLMSG_ERROR:
                    err = struct.unpack_from("=i", payload)[0]
                    if err:
                        raise OSError(-err, os.strerror(-err))
                    return replies
                if t == NLMSG_DONE:
                    return replies
                replies.append((t, payload))
                if not flags & NLM_F_ACK:
                    return replies

    def events(self):
        while True:
            yield from self.pending()

    def pending(self):
        """the messages of one receive"""
        data = self.s.recv(1 << 16)
        off = 0
        while off < len(data):
            ln, t, _, _, _ = struct.unpack_from("=IHHII", data, off)
            yield t, data[off + 16:off + ln]
            off += (ln + 3) & ~3


def link_info(payload):
    _, _, index, flags, _ = struct.unpack_from("=BxHiII", payload)
    attrs = parse_nla(payload[16:])
    name = attrs.get(IFLA_IFNAME, b"").rstrip(b"\0").decode()
    info = {"ifindex": index, "ifname": name, "flags": flags}
    if IFLA_ADDRESS in attrs and len(attrs[IFLA_ADDRESS]) == 6:
        info["mac"] = ":".join(f"{b:02x}" for b in attrs[IFLA_ADDRESS])
    if IFLA_PARENT_DEV_NAME in attrs:
        info["parent"] = attrs[IFLA_PARENT_DEV_NAME].rstrip(b"\0").decode()
    if IFLA_MASTER in attrs:
        info["master"] = struct.unpack("=I", attrs[IFLA_MASTER][:4])[0]
    li = parse_nla(attrs.get(IFLA_LINKINFO, b""))
    if li.get(IFLA_INFO_KIND) == KIND:
        data = parse_nla(li.get(IFLA_INFO_DATA, b""))
        for key, at in A.items():
            if at not in data:
                continue
            raw = data[at]
            fmt = "=B" if key in U8 else "=Q" if key in U64 else "=I"
            info[key.lower()] = struct.unpack_from(fmt, raw)[0]
        if "last_reason" in info and info["last_reason"] < len(REASONS):
            info["last_reason_name"] = REASONS[info["last_reason"]]
    return info


def linkinfo_data(attrs):
    return nla(IFLA_LINKINFO | NLA_F_NESTED,
               nla(IFLA_INFO_KIND, KIND) +
               nla(IFLA_INFO_DATA | NLA_F_NESTED, b"".join(attrs)))


def set_attrs(a):
    out = []
    if a.want is not None:
        out.append(nla(A["DP_WANT"], struct.pack("=B", DP[a.want])))
    if a.auto_ack is not None:
        out.append(nla(A["AUTO_ACK"], struct.pack("=B", a.auto_ack)))
    if a.timeout_ms is not None:
        out.append(nla(A["ACK_TIMEOUT_MS"], struct.pack("=I", a.timeout_ms)))
    if a.ack is not None:
        out.append(nla(A["DP_ACK"], struct.pack("=I", a.ack)))
    if a.serial is not None:
        out.append(nla(A["SERIAL"], struct.pack("=Q", int(a.serial, 0))))
    return out


def cmd_add(a):
    peer = [nla(IFLA_IFNAME, a.adapter.encode() + b"\0")]
    fd = None
    if a.netns:
        fd = os.open(f"/run/netns/{a.netns}", os.O_RDONLY)
        peer.append(nla(IFLA_NET_NS_FD, struct.pack("=I", fd)))
    if a.mac:
        peer.append(nla(IFLA_ADDRESS, bytes.fromhex(a.mac.replace(":", ""))))
    data = [nla(A["PEER"] | NLA_F_NESTED, ifinfomsg() + b"".join(peer))]
    if a.serial is not None:
        data.append(nla(A["SERIAL"], struct.pack("=Q", int(a.serial, 0))))
    body = ifinfomsg() + nla(IFLA_IFNAME, a.hostport.encode() + b"\0") + \
        linkinfo_data(data)
    Rtnl().request(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, body)
    if fd is not None:
        os.close(fd)


def show(nl, dev):
    body = ifinfomsg() + nla(IFLA_IFNAME, dev.encode() + b"\0")
    for t, payload in nl.request(RTM_GETLINK, NLM_F_REQUEST, body):
        if t == RTM_NEWLINK:
            return link_info(payload)
    raise OSError(19, "no such device")


def cmd_set(a):
    body = ifinfomsg() + nla(IFLA_IFNAME, a.dev.encode() + b"\0") + \
        linkinfo_data(set_attrs(a))
    Rtnl().request(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, body)


def cmd_wait(a):
    nl = Rtnl()
    deadline = time.monotonic() + a.timeout_s
    while True:
        info = show(nl, a.dev)
        if str(info.get(a.key)) == a.value:
            print(json.dumps(info))
            return 0
        if time.monotonic() > deadline:
            print(json.dumps(info))
            return 1
        time.sleep(0.01)


def want(nl, dev, path):
    body = ifinfomsg() + nla(IFLA_IFNAME, dev.encode() + b"\0") + \
        linkinfo_data([nla(A["DP_WANT"], struct.pack("=B", DP[path]))])
    nl.request(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, body)


def reach(nl, dev, active, timeout_s):
    """Wait until TX is on `active` with no request outstanding."""
    deadline = time.monotonic() + timeout_s
    while True:
        info = show(nl, dev)
        if info["dp_active"] == active and info["dp_pending"] == 255:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)


def cmd_cycle(a):
    nl = Rtnl()
    done, failed, lat = 0, 0, []
    for _ in range(a.count):
        ok = True
        for path, active in (("syn", 0), ("vf", 1)):
            t0 = time.monotonic()
            want(nl, a.dev, path)
            if not reach(nl, a.dev, active, a.timeout_s):
                ok = False
                break
            lat.append((time.monotonic() - t0) * 1000)
            time.sleep(a.dwell_ms / 1000)
        if not ok:
            failed += 1
            break
        done += 1
    info = show(nl, a.dev)
    print(json.dumps({"cycles": done, "failed": failed,
                      "switch_ms_max": round(max(lat), 3) if lat else None,
                      "switch_ms_mean": round(sum(lat) / len(lat), 3) if lat else None,
                      "switches": info.get("switches"), "timeouts": info.get("timeouts")}))
    return 0 if failed == 0 else 1


class Stop(Exception):
    pass


def log(msg):
    """responder trace on stderr, with a monotonic timestamp"""
    print(f"[{time.monotonic():.3f}] {msg}", file=sys.stderr, flush=True)


class Mover:
    """sriov_pf's NIC switch, moved the way sriovd does it: the adapter's MAC
    filter goes to the VF's VPort before a switch to the VF is acked, and
    back to the default VPort (id 0) on a switch to synthetic."""

    def __init__(self, a):
        ifindex, vport, fid = (int(x, 0) for x in a.switch.split(":"))
        sys.path.insert(0, a.ynl)
        # pylint: disable-next=import-outside-toplevel,unused-import
        import ynl_libyaml  # noqa: F401  (specs parsed by libyaml)
        from lib import YnlFamily  # pylint: disable=import-outside-toplevel
        self.ynl = YnlFamily(a.spec, "")
        # sriov_pf's events: a VF that finished its reset handshake
        self.ntf = YnlFamily(a.spec, "")
        self.ntf.ntf_subscribe("events")
        self.ifindex, self.vport, self.fid = ifindex, vport, fid
        self.moves, self.errors, self.restores = 0, 0, 0

    def vf_back(self):
        """True once per VF_RESET handshake of a VF on our PF (the VF
        receives again; sriov_pf moved our filter away when it reset)."""
        self.ntf.check_ntf()
        back = False
        while self.ntf.async_msg_queue:
            m = self.ntf.async_msg_queue.pop(0)
            ts = m["msg"].get("timestamp-ns")
            log(f"event {m['name']} {m['msg']}" +
                (f" at {ts / 1e9:.3f}" if ts else ""))
            if m["name"] == "vf-reset-request-ntf" and \
                    m["msg"].get("ifindex") == self.ifindex:
                back = True
        return back

    def move(self, to_vf):
        src, dst = (0, self.vport) if to_vf else (self.vport, 0)
        req = {"ifindex": self.ifindex, "src-vport-id": src, "vport-id": dst}
        if to_vf:
            req["filter-ids"] = [self.fid]
        try:
            # to synthetic: whatever is still on the VF's VPort (sriov_pf
            # may have moved it already when the VF went away)
            g = self.ynl.do("filter-get", {"ifindex": self.ifindex,
                                           "filter-id": self.fid})
            if g["vport-id"] != dst:
                self.ynl.do("filter-move", req)
                self.moves += 1
                log(f"moved filter {self.fid} from VPort {g['vport-id']} to {dst}")
            else:
                log(f"filter {self.fid} already on VPort {dst}")
        except Exception as e:  # pylint: disable=broad-except
            self.errors += 1
            print(f"move to {dst}: {e}", file=sys.stderr, flush=True)


def on_term(*_):
    raise Stop()


def cmd_responder(a):
    """The host side of the switch protocol (a stand-in for sriovd)."""
    nl = Rtnl(RTMGRP_LINK)
    ctl = Rtnl()
    acked, stale, last = 0, 0, None
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    mover = Mover(a) if a.switch else None
    print("ready", flush=True)

    def handle(info):
        nonlocal acked, stale, last
        if info.get("dp_pending", 255) == 255 or info["dp_seq"] == last:
            return
        last = info["dp_seq"]
        log(f"request {last} for {'VF' if info['dp_pending'] == 1 else 'synthetic'}")
        if mover and (info["dp_pending"] == 1 or not a.restore_only):
            mover.move(to_vf=info["dp_pending"] == 1)
        hook = a.on_vf if info["dp_pending"] == 1 else a.on_syn
        if hook:
            subprocess.run(hook, shell=True, check=False)
        if a.delay_ms:
            time.sleep(a.delay_ms / 1000)
        body = ifinfomsg() + nla(IFLA_IFNAME, a.hostport.encode() + b"\0") + \
            linkinfo_data([nla(A["DP_ACK"], struct.pack("=I", last))])
        try:
            ctl.request(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, body)
            acked += 1
            log(f"acked {last}")
        except OSError as e:
            stale += 1
            log(f"ack {last}: {e}")

    restore_pending = False

    def restore():
        # sriovd's part of "the VF came back": the adapter still (or
        # again) transmits through the VF, so its filter goes back to the
        # VF's VPort.  A VF that reset without the adapter noticing (an
        # FLR shorter than the link watch) would otherwise receive nothing.
        # With --vf-parent, only once the VF netdev has carrier again (its
        # rings are running), not at the end of the reset handshake.
        info = show(ctl, a.hostport)
        if info.get("dp_active") == 1 or info.get("dp_pending") == 1:
            log("VF reset handshake done, adapter on the VF: restore")
            mover.move(to_vf=True)
            mover.restores += 1

    try:
        handle(show(ctl, a.hostport))
        socks = [nl.s] + ([mover.ntf.sock] if mover else [])
        while True:
            ready, _, _ = select.select(socks, [], [])
            if mover and mover.ntf.sock in ready and mover.vf_back():
                if a.vf_parent:
                    restore_pending = True
                else:
                    restore()
            if nl.s not in ready:
                continue
            for t, payload in nl.pending():
                if t != RTM_NEWLINK:
                    continue
                info = link_info(payload)
                if restore_pending and info.get("parent") == a.vf_parent and \
                        info["flags"] & IFF_LOWER_UP:
                    log(f"VF {info['ifname']} has carrier again")
                    restore_pending = False
                    restore()
                if info["ifname"] == a.hostport and "dp_seq" in info:
                    handle(info)
    except Stop:
        pass
    res = {"acked": acked, "stale": stale}
    if mover:
        res.update(moves=mover.moves, move_errors=mover.errors,
                   restores=mover.restores)
    print(json.dumps(res), flush=True)
    return 0


def cmd_watch(a):
    """Every announcement of a VF netdev must carry IFF_SLAVE."""
    nl = Rtnl(RTMGRP_LINK)
    seen, bad, samples = 0, 0, []
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    with open(a.ready, "w") if a.ready else open(os.devnull, "w") as r:
        r.write("ready\n")
    try:
        for t, payload in nl.events():
            if t != RTM_NEWLINK:
                continue
            info = link_info(payload)
            if info.get("parent") not in a.vf_parent:
                continue
            seen += 1
            if not info["flags"] & IFF_SLAVE:
                bad += 1
                if len(samples) < 10:
                    samples.append(info)
    except Stop:
        pass
    with open(a.out, "w") as f:
        json.dump({"seen": seen, "without_slave": bad, "samples": samples}, f)
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("add")
    s.add_argument("hostport")
    s.add_argument("adapter")
    s.add_argument("--netns")
    s.add_argument("--mac")
    s.add_argument("--serial")
    s = sub.add_parser("set")
    s.add_argument("dev")
    s.add_argument("--want", choices=DP)
    s.add_argument("--auto-ack", type=int, choices=(0, 1))
    s.add_argument("--timeout-ms", type=int)
    s.add_argument("--ack", type=int)
    s.add_argument("--serial")
    s = sub.add_parser("show")
    s.add_argument("dev")
    s = sub.add_parser("wait")
    s.add_argument("dev")
    s.add_argument("key")
    s.add_argument("value")
    s.add_argument("--timeout-s", type=float, default=10)
    s = sub.add_parser("cycle")
    s.add_argument("dev")
    s.add_argument("--count", type=int, default=100)
    s.add_argument("--dwell-ms", type=int, default=100)
    s.add_argument("--timeout-s", type=float, default=5)
    s = sub.add_parser("responder")
    s.add_argument("hostport")
    s.add_argument("--delay-ms", type=int, default=0)
    s.add_argument("--on-syn")
    s.add_argument("--on-vf")
    s.add_argument("--switch", metavar="PFIFINDEX:VPORT:FILTER",
                   help="move FILTER between VPort 0 and VPORT of sriov_pf")
    s.add_argument("--restore-only", action="store_true",
                   help="with --switch: move only towards the VF (leaving it is sriov_pf's job)")
    s.add_argument("--vf-parent", metavar="BDF",
                   help="with --switch: restore once this VF has carrier after its reset")
    s.add_argument("--ynl", help="tools/net/ynl/lib's parent (with --switch)")
    s.add_argument("--spec", help="sriov.yaml (with --switch)")
    s = sub.add_parser("watch")
    s.add_argument("--vf-parent", action="append", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--ready")
    a = p.parse_args()
    try:
        if a.cmd == "add":
            cmd_add(a)
        elif a.cmd == "set":
            cmd_set(a)
        elif a.cmd == "show":
            print(json.dumps(show(Rtnl(), a.dev)))
        elif a.cmd == "wait":
            return cmd_wait(a)
        elif a.cmd == "cycle":
            return cmd_cycle(a)
        elif a.cmd == "responder":
            return cmd_responder(a)
        elif a.cmd == "watch":
            return cmd_watch(a)
    except OSError as e:
        print(f"netvsc_ctl: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
