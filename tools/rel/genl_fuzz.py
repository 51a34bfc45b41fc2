#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Fuzz the "sriov" generic-netlink family over a raw netlink socket.

Messages are built from the YNL spec (attribute types) and the uapi
header (attribute and command numbers), then mutated: random commands
(including unknown and notification-only ones), random flags (DO, DUMP,
ACK), attributes of the right type with edge values and of the wrong
length, unknown attribute types, nested garbage, truncated and oversized
headers, bad nlmsg_len.  Half of the messages aim at the real PF (its
ifindex or PCI address), so the handlers run past the PF lookup and
create and delete VFs' state, VPorts and filters, read and write the
VF config space proxy with random offsets and lengths.

Every reply must parse: NLMSG_ERROR with a negative errno or 0, DONE, or
a family message.  The run fails if the socket stops answering, a reply
is malformed, or the family is gone.  The caller checks the kernel log
and the switch state afterwards.

Usage: genl_fuzz.py SPEC UAPI_HEADER IFINDEX PCI_ADDR COUNT [SEED]
       [--cfg-only]     only cfg-read/cfg-write with random offset/length
       [--keep-switch]  switch-new and switch-del never name the PF (they
                        are sent, aimed at no device), so the switch and
                        its VFs stay for the caller's later checks
       [--switch-only]  only switch-new, switch-del and switch-get, aimed
                        at the PF: the switch is deleted and re-created
SEED defaults to $SOAK_SEED, else the time; every random byte comes from
the seeded generator.  Prints one JSON line of counters (with the seed).
"""
import errno
import json
import os
import random
import re
import socket
import struct
import sys
import time

import yaml

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLA_F_NESTED = 0x8000

args = [a for a in sys.argv[1:] if not a.startswith("--")]
cfg_only = "--cfg-only" in sys.argv
keep_switch = "--keep-switch" in sys.argv
switch_only = "--switch-only" in sys.argv
spec_path, uapi, ifindex, pci_addr, count = args[:5]
ifindex, count = int(ifindex), int(count)
seed = (int(args[5]) if len(args) > 5
        else int(os.environ.get("SOAK_SEED", "0")) or int(time.time()))
rnd = random.Random(seed)

# ---- the family's numbers and types ----
hdr = open(uapi).read()
attr_ids = {m.group(1).lower().replace("_", "-"): i + 1 for i, m in
            enumerate(re.finditer(r"^\tSRIOV_A_(\w+)", hdr, re.M))
            if not m.group(1).startswith("_") and m.group(1) != "MAX"}
cmd_ids = {m.group(1).lower().replace("_", "-"): i + 1 for i, m in
           enumerate(re.finditer(r"^\tSRIOV_CMD_(\w+)", hdr, re.M))
           if m.group(1) != "MAX"}
spec = yaml.safe_load(open(spec_path))
types = {}
for aset in spec["attribute-sets"]:
    for a in aset["attributes"]:
        types[a["name"]] = a["type"]
ops = [o["name"] for o in spec["operations"]["list"]
       if "do" in o or "dump" in o]
# the attributes each operation takes (do or dump request)
op_attrs = {}
for o in spec["operations"]["list"]:
    names = []
    for k in ("do", "dump"):
        names += ((o.get(k) or {}).get("request") or {}).get("attributes", [])
    op_attrs[o["name"]] = sorted(set(names))
if switch_only:
    ops = ["switch-new", "switch-del", "switch-get"]
# the operations that delete or create the whole switch
SWITCH_OPS = {cmd_ids["switch-new"], cmd_ids["switch-del"]}
A = attr_ids
# set while a message for a SWITCH_OPS command is built in --keep-switch
# mode: no attribute names the PF
off_target = False
assert A["pad"] == 1 and A["ifindex"] == 2, A


def nla(t, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, t) + payload + b"\0" * ((-n) % 4)


EDGE32 = [0, 1, 2, 7, 8, 15, 16, 255, 256, 4095, 4096, 0x7FFFFFFF,
          0x80000000, 0xFFFFFFFE, 0xFFFFFFFF]


def value(name):
    """a payload for attribute @name: mostly typed, sometimes not"""
    t = types.get(name, "binary")
    r = rnd.random()
    if r < 0.08:                        # wrong length
        return rnd.randbytes(rnd.choice([0, 1, 2, 3, 5, 7, 9, 17, 64, 300]))
    if name == "ifindex":
        if off_target:
            return struct.pack("=I", rnd.choice(
                [v for v in EDGE32 if v != ifindex]))
        return struct.pack("=I", ifindex if r < 0.7 else rnd.choice(EDGE32))
    if name == "pci-addr":
        s = pci_addr if r < 0.7 and not off_target else rnd.choice(
            ["", "0000:00:00.0", "x" * 300, pci_addr[:-1], pci_addr + "0"])
        return s.encode() + (b"\0" if rnd.random() < 0.9 else b"")
    if name in ("vf-id", "vport-id", "src-vport-id", "filter-id",
                "filter-ids") and r < 0.8:
        return struct.pack("=I", rnd.randrange(0, 12))
    if name in ("cfg-offset", "cfg-len") and r < 0.8:
        return struct.pack("=I", rnd.choice([rnd.randrange(0, 4200),
                                             rnd.choice(EDGE32)]))
    if t == "u8":
        return struct.pack("=B", rnd.choice([0, 1, 2, 7, 8, 255]))
    if t == "u16":
        return struct.pack("=H", rnd.choice([0, 1, 100, 4095, 4096, 65535]))
    if t == "u32":
        return struct.pack("=I", rnd.choice(EDGE32 + [rnd.getrandbits(32)]))
    if t == "u64":
        return struct.pack("=Q", rnd.getrandbits(64))
    if t == "flag":
        return b""
    if t == "string":
        return rnd.randbytes(rnd.randrange(0, 40)).replace(b"\0", b"a") + b"\0"
    if name == "mac":
        mac = bytearray(rnd.randbytes(6))
        if r < 0.6:
            mac[0] = 0x02               # valid locally administered
        return bytes(mac)
    return rnd.randbytes(rnd.randrange(0, 80))


def attrs():
    out = b""
    names = list(types)
    if rnd.random() < 0.85:             # aim at the real PF
        out += nla(A["ifindex"], value("ifindex")) if rnd.random() < 0.6 \
            else nla(A["pci-addr"], value("pci-addr"))
    for _ in range(rnd.randrange(0, 7)):
        r = rnd.random()
        if r < 0.85:
            n = rnd.choice(names)
            out += nla(A.get(n, 1), value(n))
        elif r < 0.92:                  # unknown attribute type
            out += nla(rnd.choice([0, len(A) + 1, 200, 0x7FFF]),
                       rnd.randbytes(rnd.randrange(0, 16)))
        else:                           # nested garbage
            out += nla(NLA_F_NESTED | rnd.randrange(0, len(A) + 2),
                       nla(rnd.randrange(0, 50), rnd.randbytes(8)))
    if rnd.random() < 0.05:             # trailing partial attribute
        out += rnd.randbytes(rnd.randrange(1, 4))
    return out


def structured(op):
    """only the attributes @op takes, with plausible values"""
    out = b""
    for n in op_attrs.get(op, []):
        if n in ("ifindex", "pci-addr"):
            continue
        if rnd.random() < 0.7:
            out += nla(A[n], value(n))
    return nla(A["ifindex"], value("ifindex") if off_target
               else struct.pack("=I", ifindex)) + out


def cfg_attrs():
    off = rnd.choice([rnd.randrange(0, 4200), rnd.choice(EDGE32)])
    ln = rnd.choice([1, 2, 3, 4, 5, 8, 64, 256, 4096, 4097,
                     rnd.randrange(0, 5000), rnd.choice(EDGE32)])
    out = nla(A["ifindex"], struct.pack("=I", ifindex))
    out += nla(A["vf-id"], struct.pack("=I", rnd.randrange(0, 3)))
    out += nla(A["cfg-offset"], struct.pack("=I", off))
    out += nla(A["cfg-len"], struct.pack("=I", ln))
    return out


class Fuzzer:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        self.sock.bind((0, 0))
        self.sock.settimeout(10)
        self.seq = 0
        self.fam = self.family_id()
        self.stats = {"sent": 0, "acks": 0, "data": 0, "errnos": {},
                      "bad_replies": 0, "timeouts": 0}

    def send(self, typ, flags, cmd, payload, version=1, raw=None):
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, 0) + payload
        msg = struct.pack("=IHHII", 16 + len(body), typ, flags, self.seq,
                          0) + body
        if raw is not None:
            msg = raw(msg)
        self.sock.send(msg)
        return self.seq

    def family_id(self):
        self.send(GENL_ID_CTRL, NLM_F_REQUEST, CTRL_CMD_GETFAMILY,
                  nla(CTRL_ATTR_FAMILY_NAME, b"sriov\0"))
        data = self.sock.recv(65536)
        off = 20
        while off < len(data):
            ln, t = struct.unpack_from("=HH", data, off)
            if t == CTRL_ATTR_FAMILY_ID:
                return struct.unpack_from("=H", data, off + 4)[0]
            off += (ln + 3) & ~3
        raise RuntimeError("no sriov family")

    def drain(self, seq):
        """read until the reply to @seq ends (error/ack or DONE)"""
        while True:
            try:
                data = self.sock.recv(1 << 20)
            except socket.timeout:
                self.stats["timeouts"] += 1
                return False
            off = 0
            while off + 16 <= len(data):
                ln, t, fl, s, _ = struct.unpack_from("=IHHII", data, off)
                if ln < 16 or off + ln > len(data):
                    self.stats["bad_replies"] += 1
                    return False
                done = False
                if t == NLMSG_ERROR:
                    err = -struct.unpack_from("=i", data, off + 16)[0]
                    if err < 0 or err > 4095:
                        self.stats["bad_replies"] += 1
                    key = errno.errorcode.get(err, str(err)) if err else "0"
                    self.stats["errnos"][key] = \
                        self.stats["errnos"].get(key, 0) + 1
                    done = s == seq
                elif t == NLMSG_DONE:
                    done = s == seq
                elif t == self.fam:
                    self.stats["data"] += 1
                    done = s == seq and not fl & 0x2   # not NLM_F_MULTI
                else:
                    self.stats["bad_replies"] += 1
                off += (ln + 3) & ~3
                if done:
                    return True

    def one(self):
        global off_target
        r = rnd.random()
        if cfg_only:
            cmd = cmd_ids[rnd.choice(["cfg-read", "cfg-read", "cfg-write"])]
            payload = cfg_attrs()
            if cmd == cmd_ids["cfg-write"]:
                payload += nla(A["cfg-value"],
                               struct.pack("=I", rnd.getrandbits(32)))
        else:
            if r < 0.5:                 # well-formed-ish: reach the handlers
                op = rnd.choice(ops)
                cmd = cmd_ids[op]
            elif r < 0.9:
                op, cmd = None, cmd_ids[rnd.choice(ops)]
            else:
                op, cmd = None, rnd.choice([0, len(cmd_ids) + 1, 255] +
                                           list(cmd_ids.values()))
            off_target = keep_switch and cmd in SWITCH_OPS
            payload = structured(op) if op else attrs()
            off_target = False
        flags = NLM_F_REQUEST | NLM_F_ACK
        if not cfg_only and rnd.random() < 0.25:
            flags |= NLM_F_DUMP
        raw = None
        version = 1
        if not cfg_only:
            m = rnd.random()
            if m < 0.02:                 # nlmsg_len shorter than the body
                def raw(b):
                    return struct.pack("=I", max(16, len(b) - 4)) + b[4:]
            elif m < 0.04:               # genl header cut off
                def raw(b):
                    return struct.pack("=I", 17) + b[4:17]
            elif m < 0.05:
                version = rnd.choice([0, 2, 255])
        seq = self.send(self.fam, flags, cmd, payload, version, raw)
        self.stats["sent"] += 1
        if not self.drain(seq):
            # a truncated request may get no reply at all: resync with a
            # well-formed one
            seq = self.send(self.fam, NLM_F_REQUEST | NLM_F_ACK,
                            cmd_ids["switch-get"],
                            nla(A["ifindex"], struct.pack("=I", ifindex)))
            if not self.drain(seq):
                raise RuntimeError("the family stopped answering")
        self.stats["acks"] += 1


f = Fuzzer()
t0 = time.monotonic()
for i in range(count):
    f.one()
f.stats["seconds"] = round(time.monotonic() - t0, 1)
f.stats["seed"] = seed
f.stats["family_id"] = f.fam
print(json.dumps(f.stats, sort_keys=True))
sys.exit(1 if f.stats["bad_replies"] else 0)
