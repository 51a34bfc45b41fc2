#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""KTAP: every PF and VF fault-injection knob (debugfs) drives its error
path; afterwards the switch (netlink dumps), the VFs and the free slot
counts are what they were, and the operation succeeds when retried.

Usage: rel_fault.py YNL_DIR SPEC PF_IFINDEX PF_BDF
Expects sriov_pf bound to the PF, SR-IOV off, sriov_vf loaded,
VF autoprobe off.
"""
import errno
import glob
import os
import subprocess
import sys
import time

ynl_dir, spec, ifindex, bdf = sys.argv[1:5]
PF = {"ifindex": int(ifindex)}
sys.path.insert(0, ynl_dir)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import ynl_libyaml  # noqa: E402,F401  (specs parsed by libyaml)
from lib import YnlFamily, NlError  # noqa: E402

ynl = YnlFamily(spec, "")
FAULT = f"/sys/kernel/debug/sriov_pf/{bdf}/fault"
DEV = f"/sys/bus/pci/devices/{bdf}"
results = []


def report(ok, desc, diag=""):
    results.append(bool(ok))
    for line in str(diag).splitlines():
        print(f"# {line}")
    print(f"{'ok' if ok else 'not ok'} {len(results)} {desc}")


def knob(name, val=None, path=FAULT):
    p = os.path.join(path, name)
    if val is None:
        with open(p) as f:
            return int(f.read())
    with open(p, "w") as f:
        f.write(str(val))
    return val


def state():
    """what must not change across a failed operation"""
    sw = ynl.do("switch-get", PF)
    vps = sorted((v["vport-id"], v["pool"]) for v in
                 ynl.dump("vport-get", PF))
    fl = sorted((f["filter-id"], f["vport-id"]) for f in
                ynl.dump("filter-get", PF))
    vfs = sorted((v["vf-id"], v["vf-state"]) for v in
                 ynl.dump("vf-get", PF)) if sw["num-vfs"] else []
    return {"num-vfs": sw["num-vfs"], "num-vports": sw["num-vports"],
            "mac-free": sw["mac-filters-free"],
            "vlan-free": sw["vlan-filters-free"], "vports": vps,
            "filters": fl, "vfs": vfs}


def fails_with(desc, err, op, vals, knob_name):
    """@op fails with @err while @knob_name is armed; state unchanged"""
    before = state()
    inj = knob("injected")
    knob(knob_name, 1)
    try:
        r = ynl.do(op, vals)
        report(False, desc, f"succeeded with the fault armed: {r}")
        knob(knob_name, 0)
        return
    except NlError as e:
        got = e.error
    after = state()
    ok = got == err and knob("injected") == inj + 1 and after == before
    report(ok, desc, f"errno {got}, injected {inj}->{knob('injected')}\n"
           f"before {before}\nafter  {after}")


def retry_ok(desc, op, vals):
    try:
        r = ynl.do(op, vals)
        report(True, desc)
        return r
    except NlError as e:
        report(False, desc, str(e))
        return None


def sysfs_write(path, val):
    """one write(2): a buffered file would write again when closed"""
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, str(val).encode())
        return 0
    except OSError as e:
        return e.errno
    finally:
        os.close(fd)


print("KTAP version 1")

# ---- allocation failure while enabling SR-IOV ----
inj = knob("injected")
knob("fail_alloc", 1)
err = sysfs_write(f"{DEV}/sriov_numvfs", 2)
report(err == errno.ENOMEM and knob("injected") == inj + 1 and
       state()["num-vfs"] == 0 and
       open(f"{DEV}/sriov_numvfs").read().strip() == "0",
       "fail_alloc: enabling 2 VFs fails with ENOMEM, no VF, no switch",
       f"errno {err}, injected {inj}->{knob('injected')}, {state()}")
report(sysfs_write(f"{DEV}/sriov_numvfs", 2) == 0 and
       state()["num-vfs"] == 2, "enabling 2 VFs succeeds afterwards")

# ---- allocation failures in the switch ----
ynl.do("vf-alloc", {**PF, "vf-id": 0, "serial": 0xfa17})
fails_with("fail_alloc: vport-new fails with ENOMEM, no VPort leaks",
           errno.ENOMEM, "vport-new", {**PF, "vf-id": 0}, "fail_alloc")
vp = retry_ok("vport-new succeeds afterwards", "vport-new", {**PF, "vf-id": 0})
vpid = vp["vport-id"] if vp else 0
MAC = bytes.fromhex("02005e10fa01")
fails_with("fail_alloc: filter-add MAC fails with ENOMEM, RAR not leaked",
           errno.ENOMEM, "filter-add", {**PF, "vport-id": vpid, "mac": MAC},
           "fail_alloc")
fails_with("fail_filter_write: MAC filter fails with EIO, RAR not leaked",
           errno.EIO, "filter-add", {**PF, "vport-id": vpid, "mac": MAC},
           "fail_filter_write")
fails_with("fail_filter_write: VLAN filter fails with EIO, VLVF not leaked",
           errno.EIO, "filter-add", {**PF, "vport-id": vpid, "vlan": 77},
           "fail_filter_write")
f1 = retry_ok("MAC filter added afterwards", "filter-add",
              {**PF, "vport-id": vpid, "mac": MAC})
f2 = retry_ok("VLAN filter added afterwards", "filter-add",
              {**PF, "vport-id": vpid, "vlan": 77})

# ---- FLR: delayed and failed ----
vf0 = ynl.do("vf-get", {**PF, "vf-id": 0})
knob("flr_delay_ms", 400)
inj = knob("injected")
knob("fail_flr", 1)
t0 = time.monotonic()
try:
    ynl.do("vf-reset", {**PF, "vf-id": 0})
    rc = 0
except NlError as e:
    rc = e.error
dt = time.monotonic() - t0
knob("flr_delay_ms", 0)
vf0b = ynl.do("vf-get", {**PF, "vf-id": 0})
report(rc == errno.EIO and dt >= 0.4 and knob("injected") == inj + 1 and
       vf0b["vf-state"] == vf0["vf-state"],
       "fail_flr + flr_delay_ms: the failed FLR is reported (EIO)",
       f"rc {rc}, {dt:.2f} s, flr-count {vf0['flr-count']}->"
       f"{vf0b['flr-count']}, state {vf0b['vf-state']}")
filters = sorted(f["filter-id"] for f in ynl.dump("filter-get", PF))
want = sorted(x["filter-id"] for x in (f1, f2) if x)
report(filters == want, "admin filters survive the failed FLR",
       f"{filters} vs {want}")

# ---- mailbox reply dropped: the VF driver times out and recovers ----
vfbdf = ynl.do("vf-get", {**PF, "vf-id": 1})["vf-pci-addr"]
knob("drop_mbx_reply", 1)
inj = knob("injected")
sysfs_write(f"/sys/bus/pci/devices/{vfbdf}/driver_override", "sriov_vf")
berr = sysfs_write("/sys/bus/pci/drivers_probe", vfbdf)
print(f"# bind {vfbdf}: errno {berr}")
netdir = glob.glob(f"/sys/bus/pci/devices/{vfbdf}/net/*")
vfdev = os.path.basename(netdir[0]) if netdir else None


def cts():
    return ynl.do("vf-get", {**PF, "vf-id": 1}).get("mbx-cts") == 1


deadline = time.monotonic() + 30
while vfdev and time.monotonic() < deadline and not cts():
    time.sleep(0.5)
report(vfdev and knob("injected") == inj + 1 and cts(),
       "drop_mbx_reply: sriov_vf probes through a lost reset reply, "
       "handshake completes", f"netdev {vfdev}, injected {knob('injected')}")
lpe = subprocess.run(["ip", "link", "set", vfdev or "none", "mtu", "2000"],
                     capture_output=True, text=True) if vfdev else None
report(lpe is not None and lpe.returncode == 0,
       "VF mailbox request after the lost reply succeeds (SET_LPE)",
       lpe.stderr if lpe else "no VF netdev")

# ---- VF driver: ring allocation fails in ndo_open ----
vfault = f"/sys/kernel/debug/sriov_vf/{vfbdf}/fault"
if vfdev and os.path.isdir(vfault):
    knob("fail_alloc", 1, vfault)
    up = subprocess.run(["ip", "link", "set", vfdev, "up"],
                        capture_output=True, text=True)
    flags = open(f"/sys/class/net/{vfdev}/flags").read()
    report(up.returncode != 0 and not int(flags, 16) & 1 and
           knob("injected", path=vfault) == 1,
           "sriov_vf fail_alloc: ndo_open fails, the VF stays down",
           f"rc {up.returncode} {up.stderr.strip()} flags {flags.strip()}")
    up = subprocess.run(["ip", "link", "set", vfdev, "up"],
                        capture_output=True, text=True)
    report(up.returncode == 0, "VF opens afterwards", up.stderr)
    subprocess.run(["ip", "link", "set", vfdev, "down"])
else:
    report(False, "sriov_vf fail_alloc", f"no {vfault}")
    report(False, "VF opens afterwards", "not run")

# ---- teardown leaves nothing behind ----
for f in ynl.dump("filter-get", PF):
    ynl.do("filter-del", {**PF, "filter-id": f["filter-id"]})
ynl.do("vport-del", {**PF, "vport-id": vpid})
ynl.do("vf-free", {**PF, "vf-id": 0})
s = state()
report(s["num-vports"] == 1 and not s["filters"] and
       all(v[1] == "free" for v in s["vfs"]),
       "after cleanup: default VPort only, no filter, VFs free", str(s))
sysfs_write("/sys/bus/pci/drivers/sriov_vf/unbind", vfbdf)
rc0 = sysfs_write(f"{DEV}/sriov_numvfs", 0)
rc2 = sysfs_write(f"{DEV}/sriov_numvfs", 2)
s = state()
sw = ynl.do("switch-get", PF)
report(rc0 == 0 and rc2 == 0 and s["num-vports"] == 1 and not s["filters"] and
       s["mac-free"] == sw["mac-filters-max"] and
       s["vlan-free"] == sw["vlan-filters-max"],
       "SR-IOV off and on again: a fresh switch, every slot free", str(s))
sysfs_write(f"{DEV}/sriov_numvfs", 0)
print(f"1..{len(results)}")
sys.exit(0 if all(results) else 1)
