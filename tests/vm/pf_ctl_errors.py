#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""KTAP checks of sriov_pf's error paths and switch counters, through the
kernel's YNL library and our spec (see pf_ctl_errors.sh).

Usage: pf_ctl_errors.py YNL_DIR SPEC SCHEMA PF_IFINDEX PF_BDF
       pf_ctl_errors.py --plan        (prints the number of checks)
Expects 3 VFs enabled on the PF, none allocated, no VF driver bound.
"""
import errno
import os
import sys

PLAN = 16
if sys.argv[1:] == ["--plan"]:
    print(PLAN)
    sys.exit(0)

ynl_dir, spec, schema, ifindex, bdf = sys.argv[1:6]
sys.path.insert(0, ynl_dir)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import ynl_libyaml  # noqa: E402,F401  (specs parsed by libyaml)
from lib import YnlFamily, NlError  # noqa: E402

ynl = YnlFamily(spec, schema)
PF = {"ifindex": int(ifindex)}
FAULT = f"/sys/kernel/debug/sriov_pf/{bdf}/fault"
results = []


def report(ok, desc, diag=""):
    results.append(bool(ok))
    if not ok:
        for line in str(diag).splitlines():
            print(f"# {line}")
    print(f"{'ok' if ok else 'not ok'} {len(results)} {desc}")


def knob(name, val=None):
    path = f"{FAULT}/{name}"
    if val is not None:
        with open(path, "w") as f:
            f.write(str(val))
    with open(path) as f:
        return int(f.read())


def fails(desc, op, vals, err, msg_part):
    """@op must fail with errno @err and an extack containing @msg_part"""
    try:
        r = ynl.do(op, vals)
        report(False, desc, f"succeeded: {r}")
    except NlError as e:
        ext = getattr(e.nl_msg, "extack", None) or {}
        msg = ext.get("msg", "") or ""
        report(e.error == err and msg_part.lower() in msg.lower(), desc,
               f"errno {e.error}, extack {msg!r}")


def switch():
    return ynl.do("switch-get", PF)


def vport_of(fid):
    return ynl.do("filter-get", {**PF, "filter-id": fid})["vport-id"]


print("KTAP version 1")
print(f"1..{PLAN}")

# ---- vf-reset refuses a VF that is not allocated ----
flr2 = ynl.do("vf-get", {**PF, "vf-id": 2})["flr-count"]
fails("vf-reset of an unallocated VF (2) refused", "vf-reset",
      {**PF, "vf-id": 2}, errno.EINVAL, "not allocated")
vf = ynl.do("vf-get", {**PF, "vf-id": 2})
report(vf["vf-state"] == "free" and vf["flr-count"] == flr2,
       "the refused VF was not reset", f"flr-count was {flr2}: {vf}")

# ---- counters: num-vports and max-vports count the same VPorts ----
sw = switch()
report(sw["num-vports"] == 1 and sw["max-vports"] == 4,
       "3 VFs: num-vports 1 (the default), max-vports 4 (the default VPort "
       "and one per VF)", str(sw))
vfvps = []
for i in range(2):
    ynl.do("vf-alloc", {**PF, "vf-id": i, "serial": 0xc20a + i})
    vfvps.append(ynl.do("vport-new", {**PF, "vf-id": i})["vport-id"])
vp0 = vfvps[0]
sw = switch()
report(sw["num-vports"] == 3 and sw["max-vports"] == 4,
       "the VPorts of VFs 0-1 count in num-vports (3 of 4)", str(sw))
ynl.do("vf-alloc", {**PF, "vf-id": 2, "serial": 0xc20a + 2})
vfvps.append(ynl.do("vport-new", {**PF, "vf-id": 2})["vport-id"])
sw = switch()
report(sw["num-vports"] == sw["max-vports"] == 4,
       "a VPort on every VF fills the switch exactly: num-vports reaches "
       "max-vports", str(sw))
try:
    ynl.do("vport-new", PF)
    report(False, "vport-new on the PF is refused", "it succeeded")
except NlError as e:
    sw = switch()
    report(e.error == errno.EOPNOTSUPP and sw["num-vports"] == 4,
           "vport-new on the PF is refused (EOPNOTSUPP), nothing created",
           f"errno {e.error}, {sw}")

# ---- vf-reset: a failed FLR is a failure ----
flr0 = ynl.do("vf-get", {**PF, "vf-id": 0})["flr-count"]
inj = knob("injected")
knob("fail_flr", 1)
fails("vf-reset with a failing FLR fails (EIO)", "vf-reset",
      {**PF, "vf-id": 0}, errno.EIO, "FLR of VF 0 failed")
vf = ynl.do("vf-get", {**PF, "vf-id": 0})
report(knob("injected") == inj + 1 and vf["vf-state"] == "allocated",
       "the FLR met the injected fault; VF 0 stays allocated",
       f"injected {inj}->{knob('injected')}, {vf}")
flr1 = vf["flr-count"]
try:
    ynl.do("vf-reset", {**PF, "vf-id": 0})
    rc = 0
except NlError as e:
    rc = e.error
vf = ynl.do("vf-get", {**PF, "vf-id": 0})
report(rc == 0 and vf["flr-count"] > flr1,
       "vf-reset succeeds once the FLR does",
       f"rc {rc}, flr-count {flr0} {flr1} {vf['flr-count']}")

# ---- filter-move: a VLAN move that fails moves nothing ----
MAC = bytes.fromhex("02005e10c201")
fm = ynl.do("filter-add", {**PF, "vport-id": 0, "mac": MAC})["filter-id"]
fv = ynl.do("filter-add", {**PF, "vport-id": 0, "vlan": 321})["filter-id"]
sw0 = switch()
inj = knob("injected")
knob("fail_filter_write", 1)
fails("filter-move whose VLAN move fails returns EIO with extack",
      "filter-move", {**PF, "src-vport-id": 0, "vport-id": vp0,
                      "filter-ids": [fm, fv]}, errno.EIO, "no filter moved")
report(knob("injected") == inj + 1, "the VLAN move met the injected fault",
       f"injected {inj}->{knob('injected')}")
where = (vport_of(fm), vport_of(fv))
report(where == (0, 0),
       "the MAC move was undone: both filters still on the default VPort",
       f"MAC filter on {where[0]}, VLAN filter on {where[1]}")
vps = {v["vport-id"]: v for v in ynl.dump("vport-get", PF)}
report(vps[0]["num-filters"] == 2 and
       vps[vp0]["num-filters"] == 0 and
       switch()["vlan-filters-free"] == sw0["vlan-filters-free"],
       "VPort filter counts and VLAN filter slots unchanged",
       f"{vps}, {sw0}")
mv = None
try:
    mv = ynl.do("filter-move", {**PF, "src-vport-id": 0, "vport-id": vp0,
                                "filter-ids": [fm, fv]})
except NlError as e:
    print(f"# filter-move: errno {e.error}")
report(mv and sorted(mv["filter-ids"]) == sorted([fm, fv]) and
       (vport_of(fm), vport_of(fv)) == (vp0, vp0),
       "without the fault both filters move to VF 0's VPort", str(mv))
report(switch()["vlan-filters-free"] == sw0["vlan-filters-free"],
       "the moved VLAN filter still takes one VLVF entry",
       f"{switch()} vs {sw0}")

# ---- clean up (the shell script checks the switch is empty after) ----
for f in (fm, fv):
    ynl.do("filter-del", {**PF, "filter-id": f})
for v in vfvps:
    ynl.do("vport-del", {**PF, "vport-id": v})
for i in range(3):
    ynl.do("vf-free", {**PF, "vf-id": i})
sw = switch()
report(sw["num-vports"] == 1 and sw["max-vports"] == 4,
       "after the clean-up: the default VPort alone, max-vports 4", str(sw))

if len(results) != PLAN:
    print(f"# planned {PLAN} checks but ran {len(results)}")
sys.exit(0 if len(results) == PLAN and all(results) else 1)
