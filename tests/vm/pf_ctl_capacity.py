#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""KTAP checks of the NIC switch's capacity (see pf_ctl_capacity.sh):
MAC filters on the default VPort take no exact (RAR) entry, each one
receives from the external host, filters move to a VF VPort until its
share of the exact entries runs out (one entry stays kept for each other
VF; the refusal names the limit, nothing moves) and back, and the default
VPort's own limit.

Usage: pf_ctl_capacity.py YNL_DIR SPEC SCHEMA PF_IFINDEX PF_BDF
       pf_ctl_capacity.py --plan
       pf_ctl_capacity.py send IFACE N MAC...    (frames from IFACE)
       pf_ctl_capacity.py count IFACE SECS READY OUT
Environment of the checker: CAP_PF (PF netdev), CAP_VPORT (VPort of the
allocated VF 0, bound in namespace child0), CAP_EXT (external host's
NIC, in namespace ext0).
"""
import errno
import json
import os
import socket
import struct
import subprocess
import sys
import time

PLAN = 24
ETYPE = 0x88B5          # IEEE local experimental ethertype
FRAMES = 20             # frames per MAC and round
NPART = 16              # partitions (MAC filters) on the default VPort


def mac_bytes(m):
    return bytes.fromhex(m.replace(":", ""))


def send(iface, n, macs):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    src = mac_bytes(open(f"/sys/class/net/{iface}/address").read().strip())
    for i in range(n):
        for m in macs:
            s.send(mac_bytes(m) + src + struct.pack("!HI", ETYPE, i) +
                   bytes(40))
            time.sleep(0.001)


def count(iface, secs, ready, out):
    """count ETYPE frames by destination MAC until OUT.stop exists and no
    frame came for 2 s (or SECS passed)"""
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETYPE))
    s.bind((iface, 0))
    s.settimeout(0.5)
    got = {}
    open(ready, "w").close()
    end = time.monotonic() + secs
    last = time.monotonic()
    while time.monotonic() < end:
        if os.path.exists(out + ".stop") and time.monotonic() - last > 2:
            break
        try:
            pkt, addr = s.recvfrom(2048)
        except socket.timeout:
            continue
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        d = pkt[:6].hex(":")
        got[d] = got.get(d, 0) + 1
        last = time.monotonic()
    with open(out, "w") as f:
        json.dump(got, f)


if sys.argv[1:] == ["--plan"]:
    print(PLAN)
    sys.exit(0)
if sys.argv[1:2] == ["send"]:
    send(sys.argv[2], int(sys.argv[3]), sys.argv[4:])
    sys.exit(0)
if sys.argv[1:2] == ["count"]:
    count(sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5])
    sys.exit(0)

ynl_dir, spec, schema, ifindex, bdf = sys.argv[1:6]
sys.path.insert(0, ynl_dir)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import ynl_libyaml  # noqa: E402,F401  (specs parsed by libyaml)
from lib import YnlFamily, NlError  # noqa: E402

ynl = YnlFamily(spec, schema)
PF = {"ifindex": int(ifindex)}
PFDEV = os.environ["CAP_PF"]
VPORT = int(os.environ["CAP_VPORT"])
EXT = os.environ["CAP_EXT"]
OUT = os.environ.get("SRIOV_OUT", "/tmp")
ME = os.path.abspath(__file__)
results = []


def report(ok, desc, diag=""):
    results.append(bool(ok))
    if not ok:
        for line in str(diag).splitlines():
            print(f"# {line}")
    print(f"{'ok' if ok else 'not ok'} {len(results)} {desc}")


def switch():
    return ynl.do("switch-get", PF)


def fget(fid):
    return ynl.do("filter-get", {**PF, "filter-id": fid})


def traffic(macs, tag):
    """send FRAMES frames to each MAC from the external host; return the
    counts by destination at the PF and at VF 0 (namespace child0)"""
    vfdev = subprocess.run(
        ["ip", "netns", "exec", "child0", "sh", "-c",
         "ls /sys/class/net | grep -v '^lo$' | head -n 1"],
        capture_output=True, text=True).stdout.strip()
    rd = {k: f"{OUT}/cap_{tag}_{k}.ready" for k in ("pf", "vf")}
    out = {k: f"{OUT}/cap_{tag}_{k}.json" for k in ("pf", "vf")}
    stop = [f + ".stop" for f in out.values()]
    for f in list(rd.values()) + list(out.values()) + stop:
        if os.path.exists(f):
            os.unlink(f)
    secs = str(120 + len(macs) * FRAMES // 50)
    cp = subprocess.Popen([sys.executable, ME, "count", PFDEV, secs,
                           rd["pf"], out["pf"]])
    cv = subprocess.Popen(["ip", "netns", "exec", "child0", sys.executable,
                           ME, "count", vfdev, secs, rd["vf"], out["vf"]])
    t = time.monotonic()
    while not all(os.path.exists(f) for f in rd.values()):
        if time.monotonic() - t > 30:
            break
        time.sleep(0.1)
    subprocess.run(["ip", "netns", "exec", "ext0", sys.executable, ME,
                    "send", EXT, str(FRAMES)] + macs, check=True)
    for f in stop:
        open(f, "w").close()
    cp.wait()
    cv.wait()
    res = []
    for k in ("pf", "vf"):
        try:
            with open(out[k]) as f:
                res.append(json.load(f))
        except OSError:
            res.append({})
    return res


def diag_counts(pf, vf):
    return f"PF {json.dumps(pf)}\nVF {json.dumps(vf)}"


macs = [f"02:00:5e:21:00:{i + 1:02x}" for i in range(NPART)]

with open(f"/sys/class/net/{PFDEV}/flags") as f:
    flags = int(f.read(), 16)
report(not flags & 0x100, "the PF is not promiscuous (IFF_PROMISC off)",
       hex(flags))

sw0 = switch()
report(sw0.get("mac-filters-max") == 8 and
       sw0.get("default-mac-filters-max", 0) >= 1024 and
       sw0.get("default-mac-filters") == 0,
       "switch-get: 8 exact entries, >= 1024 default-VPort MAC filters, none in use",
       str(sw0))

# ---- 16 partitions on the default VPort ----
fids, errs = [], []
for m in macs:
    try:
        fids.append(ynl.do("filter-add", {**PF, "vport-id": 0,
                                          "mac": mac_bytes(m)}))
    except NlError as e:
        ext = getattr(e.nl_msg, "extack", None) or {}
        errs.append(f"{m}: errno {e.error} {ext.get('msg')}")
report(len(fids) == NPART, f"{NPART} MAC filters added on the default VPort",
       "\n".join(errs))
report(fids and all("hw-index" not in f and f["vport-id"] == 0 for f in fids),
       "none of them takes an exact (RAR) entry", str(fids))
fids = [f["filter-id"] for f in fids]
sw = switch()
report(sw.get("default-mac-filters") == NPART and
       sw["mac-filters-free"] == sw0["mac-filters-free"],
       f"switch-get: {NPART} default-VPort MAC filters, exact entries free unchanged",
       f"{sw} vs {sw0}")

pf, vf = traffic(macs, "r1")
report(all(pf.get(m, 0) == FRAMES for m in macs),
       f"from the external host, each of the {NPART} MACs: {FRAMES}/{FRAMES} frames reach the PF",
       diag_counts(pf, vf))
report(not any(vf.get(m, 0) for m in macs),
       "none of them reaches VF 0", diag_counts(pf, vf))

# ---- to VF 0's VPort until its share of the exact entries runs out ----
# the budget: one entry kept for each VF without one (VFs 1-6: not
# allocated, no MAC), the rest shared; VF 0 may take max - (num-vfs - 1)
nvfs = sw["num-vfs"]
free = sw["mac-filters-max"] - (nvfs - 1)
report(nvfs == 7 and sw["mac-filters-free"] == sw["mac-filters-max"],
       f"7 VFs, all {sw['mac-filters-max']} exact entries free: VF 0's share is {free}",
       str(sw))
moved, errs = [], []
for fid in fids[:free]:
    try:
        ynl.do("filter-move", {**PF, "src-vport-id": 0, "vport-id": VPORT,
                               "filter-ids": [fid]})
        moved.append(fid)
    except NlError as e:
        errs.append(f"{fid}: errno {e.error}")
report(len(moved) == free and
       all(16 <= fget(i).get("hw-index", -1) <= 23 for i in moved),
       f"{free} filters moved to VF 0's VPort, each into RAR 16-23",
       "\n".join(errs))
report(switch()["mac-filters-free"] == nvfs - 1,
       f"{nvfs - 1} exact entries left, one kept for each other VF", str(switch()))
nxt = fids[free]
try:
    r = ynl.do("filter-move", {**PF, "src-vport-id": 0, "vport-id": VPORT,
                               "filter-ids": [nxt]})
    report(False, "one more move is refused with ENOSPC naming the limit",
           f"succeeded: {r}")
except NlError as e:
    msg = (getattr(e.nl_msg, "extack", None) or {}).get("msg", "") or ""
    report(e.error == errno.ENOSPC and
           "exact MAC filter entries (RAR 16-23)" in msg and
           f"kept for {nvfs - 1} VFs" in msg,
           "one more move is refused with ENOSPC naming the limit",
           f"errno {e.error}, extack {msg!r}")
report(fget(nxt)["vport-id"] == 0 and "hw-index" not in fget(nxt),
       "the refused filter stays on the default VPort", str(fget(nxt)))
try:
    r = ynl.do("filter-add", {**PF, "vport-id": VPORT,
                              "mac": mac_bytes("02:00:5e:21:01:01")})
    report(False, "filter-add on VF 0's VPort is refused naming the limit",
           f"succeeded: {r}")
    ynl.do("filter-del", {**PF, "filter-id": r["filter-id"]})
except NlError as e:
    msg = (getattr(e.nl_msg, "extack", None) or {}).get("msg", "") or ""
    report(e.error == errno.ENOSPC and "RAR 16-23" in msg,
           "filter-add on VF 0's VPort is refused naming the limit",
           f"errno {e.error}, extack {msg!r}")


# VF 1 still gets its kept entry
try:
    ynl.do("vf-alloc", {**PF, "vf-id": 1, "serial": 2122})
    vp1 = ynl.do("vport-new", {**PF, "vf-id": 1})["vport-id"]
    ynl.do("filter-move", {**PF, "src-vport-id": 0, "vport-id": vp1,
                           "filter-ids": [nxt]})
    g = fget(nxt)
    ynl.do("filter-move", {**PF, "src-vport-id": vp1, "vport-id": 0,
                           "filter-ids": [nxt]})
    ynl.do("vport-del", {**PF, "vport-id": vp1})
    ynl.do("vf-free", {**PF, "vf-id": 1})
    report(g["vport-id"] == vp1 and 16 <= g.get("hw-index", -1) <= 23,
           "VF 1, allocated later, still gets an exact entry for its filter",
           str(g))
except NlError as e:
    msg = (getattr(e.nl_msg, "extack", None) or {}).get("msg", "") or ""
    report(False, "VF 1, allocated later, still gets an exact entry for its filter",
           f"errno {e.error}, extack {msg!r}")

on_vf = [macs[fids.index(i)] for i in moved]
on_pf = [m for m in macs if m not in on_vf]
pf, vf = traffic(macs, "r2")
report(all(vf.get(m, 0) == FRAMES for m in on_vf) and
       not any(pf.get(m, 0) for m in on_vf),
       f"the {len(on_vf)} moved MACs: all frames at VF 0, none at the PF",
       diag_counts(pf, vf))
report(all(pf.get(m, 0) == FRAMES for m in on_pf) and
       not any(vf.get(m, 0) for m in on_pf),
       f"the other {len(on_pf)}: all frames at the PF, none at VF 0",
       diag_counts(pf, vf))

# ---- removing one makes room; then everything back ----
ynl.do("filter-move", {**PF, "src-vport-id": VPORT, "vport-id": 0,
                       "filter-ids": [moved[-1]]})
try:
    ynl.do("filter-move", {**PF, "src-vport-id": 0, "vport-id": VPORT,
                           "filter-ids": [nxt]})
    ok = fget(nxt)["vport-id"] == VPORT
    report(ok, "one filter back to the default VPort makes room for the refused one")
    moved = moved[:-1] + [nxt]
except NlError as e:
    report(False, "one filter back to the default VPort makes room for the refused one",
           f"errno {e.error}")
    moved = moved[:-1]
mv = ynl.do("filter-move", {**PF, "src-vport-id": VPORT, "vport-id": 0})
sw = switch()
report(sorted(mv["filter-ids"]) == sorted(moved) and
       sw["mac-filters-free"] == sw0["mac-filters-free"] and
       sw["default-mac-filters"] == NPART,
       "all moved back in one request: exact entries free again",
       f"{mv} {sw}")
pf, vf = traffic(macs, "r3")
report(all(pf.get(m, 0) == FRAMES for m in macs) and
       not any(vf.get(m, 0) for m in macs),
       f"after the moves back each of the {NPART} MACs reaches the PF only",
       diag_counts(pf, vf))

# ---- the default VPort's own limit ----
lim = sw0.get("default-mac-filters-max", 1024)
extra, err = [], None
for i in range(lim - NPART + 1):
    try:
        extra.append(ynl.do("filter-add", {
            **PF, "vport-id": 0,
            "mac": bytes([0x02, 0x00, 0x5f, 0x21, i >> 8, i & 0xff])})["filter-id"])
    except NlError as e:
        err = (e.error, (getattr(e.nl_msg, "extack", None) or {}).get("msg", ""))
        break
report(len(extra) == lim - NPART and err and err[0] == errno.ENOSPC and
       f"{lim} MAC filters" in (err[1] or ""),
       f"the default VPort takes {lim} MAC filters; the next is refused naming the limit",
       f"added {len(extra)}, error {err}")
report(switch()["mac-filters-free"] == sw0["mac-filters-free"],
       f"{lim} default-VPort filters take no exact entry", str(switch()))
if extra:
    ynl.do("filter-del", {**PF, "filter-id": extra.pop()})
try:
    extra.append(ynl.do("filter-add", {**PF, "vport-id": 0,
                                       "mac": mac_bytes("02:00:5f:22:00:01")})["filter-id"])
    report(True, "deleting one makes room for another")
except NlError as e:
    report(False, "deleting one makes room for another", f"errno {e.error}")
for i in extra + fids:
    ynl.do("filter-del", {**PF, "filter-id": i})
sw = switch()
report(sw["default-mac-filters"] == 0 and
       sw["mac-filters-free"] == sw0["mac-filters-free"],
       "all deleted: the switch is back to its start", str(sw))
# without a default-VPort filter and not promiscuous, the default pool is
# off again: unmatched unicast is dropped
pf, vf = traffic(macs[:2], "r4")
report(not any(pf.get(m, 0) for m in macs[:2]),
       "without default-VPort filters their MACs no longer reach the PF",
       diag_counts(pf, vf))

if len(results) != PLAN:
    print(f"# planned {PLAN} checks but ran {len(results)}")
sys.exit(0 if len(results) == PLAN and all(results) else 1)
