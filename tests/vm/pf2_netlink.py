#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""KTAP test of every operation of the "sriov" genl family, good and bad
input, driven through the kernel's own YNL library (tools/net/ynl) and our
YNL spec.  Every refusal is checked for its errno and its extack message.

Usage: pf2_netlink.py YNL_DIR SPEC SCHEMA PF_IFINDEX PF_BDF
       pf2_netlink.py --plan        (prints the number of checks)
Expects 2 VFs enabled on the PF, no VF driver bound.  Prints its plan
first, one KTAP line per check, and exits 0 only if it ran all PLAN checks
and each passed: a crash half way leaves checks unreported.
"""
import errno
import os
import sys
import time

# one per expect_ok(), expect_err() and check() call below; none of them
# is conditional
PLAN = 95
if sys.argv[1:] == ["--plan"]:
    print(PLAN)
    sys.exit(0)

ynl_dir, spec, schema, ifindex, bdf = sys.argv[1:6]
ifindex = int(ifindex)
sys.path.insert(0, ynl_dir)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import ynl_libyaml  # noqa: E402,F401  (specs parsed by libyaml)
from lib import YnlFamily, NlError  # noqa: E402

ynl = YnlFamily(spec, schema)          # validates the spec once
ntf = YnlFamily(spec, "")               # (validation is slow under TCG)
ntf.ntf_subscribe("events")

results = []


def report(ok, desc, diag=""):
    results.append(ok)
    for line in diag.splitlines():
        print(f"# {line}")
    print(f"{'ok' if ok else 'not ok'} {len(results)} {desc}")


def extack_msg(e):
    ext = getattr(e.nl_msg, "extack", None) or {}
    return ext.get("msg", "") or ""


def expect_ok(desc, op, vals, dump=False):
    try:
        r = ynl.dump(op, vals) if dump else ynl.do(op, vals)
        report(True, desc)
        return r
    except NlError as e:
        report(False, desc, str(e))
        return None


def expect_err(desc, op, vals, err, msg_part, dump=False):
    """op must fail with errno @err and an extack containing @msg_part"""
    try:
        r = ynl.dump(op, vals) if dump else ynl.do(op, vals)
        report(False, desc, f"succeeded: {r}")
    except NlError as e:
        msg = extack_msg(e)
        ok = e.error == err and msg_part.lower() in msg.lower()
        report(ok, desc, f"errno {e.error} ({errno.errorcode.get(e.error)}), "
               f"extack: {msg!r}")


def check(desc, cond, diag=""):
    report(bool(cond), desc, diag if not cond else "")


def events(name, timeout=3.0):
    end = time.time() + timeout
    found = []
    while time.time() < end:
        ntf.check_ntf()
        while ntf.async_msg_queue:
            m = ntf.async_msg_queue.pop(0)
            if m["name"] == name:
                found.append(m["msg"])
        if found:
            return found
        time.sleep(0.05)
    return found


print("KTAP version 1")
print(f"1..{PLAN}")
PF = {"ifindex": ifindex}
MAC_A = bytes.fromhex("02005e10aa01")
MAC_VF = bytes.fromhex("02005e10bb01")

# ---- switch ----
sw = expect_ok("switch-get by ifindex", "switch-get", PF)
check("switch reports 2 VFs, 1 VPort, max-vports 3 (the default VPort and "
      "one per VF)",
      sw and sw["num-vfs"] == 2 and sw["num-vports"] == 1 and
      sw["max-vports"] == 3, str(sw))
# every capability switch-get claims is exercised in make check: VLAN
# filters below and in pf_ctl_vlan, the port VLAN in pf2_vlan_reset and
# pf2_isolation, the VPort state in pf_ctl_vport_state, FLR below,
# anti-spoofing in pf2_isolation, the rate limit in pf_devlink, the
# identity backchannel in pf_ctl_vport_id
CAPS = {"vlan-filters", "port-vlan", "vport-state", "flr", "anti-spoofing",
        "rate-limit", "identity"}
check("switch-caps: VLAN filters, port VLAN, VPort state, FLR, "
      "anti-spoofing, rate limit, identity; nothing else",
      sw and set(sw.get("switch-caps", [])) == CAPS, str(sw))
check("16 queue pairs, 2 per VF VPort (a pool's queues n and n + 8)",
      sw and sw.get("queue-pairs-max") == 16 and
      sw.get("vport-queue-pairs-max") == 2, str(sw))
sw2 = expect_ok("switch-get by PCI address", "switch-get", {"pci-addr": bdf})
check("same PF by PCI address", sw2 and sw2["ifindex"] == ifindex, str(sw2))
dump = expect_ok("switch-get dump", "switch-get", {}, dump=True)
check("dump lists the PF", dump and any(s["ifindex"] == ifindex for s in dump))
expect_err("switch-get without PF attribute", "switch-get", {},
           errno.EINVAL, "ifindex or pci-addr")
expect_err("switch-get of a netdev that is not ours", "switch-get",
           {"ifindex": 1}, errno.ENODEV, "no PF")
expect_err("switch-get with ifindex and a different PCI address",
           "switch-get", {"ifindex": ifindex, "pci-addr": "0000:00:00.0"},
           errno.ENODEV, "both")
expect_err("strict policy: attribute not valid for the op", "switch-get",
           {"ifindex": ifindex, "cfg-value": 1}, errno.EINVAL, "attribute")

# ---- VFs ----
vfs = expect_ok("vf-get dump", "vf-get", PF, dump=True)
check("2 free VFs with PCI addresses",
      vfs and len(vfs) == 2 and all(v["vf-state"] == "free" and
                                    "vf-pci-addr" in v for v in vfs), str(vfs))
def sysfs_id(bdf, what):
    with open(f"/sys/bus/pci/devices/{bdf}/{what}") as f:
        return int(f.read(), 16)


check("each VF's vendor and device id as the PCI core has them (8086:10ca)",
      vfs and all(v.get("vf-vendor-id") == sysfs_id(v["vf-pci-addr"], "vendor")
                  == 0x8086 and v.get("vf-device-id") ==
                  sysfs_id(v["vf-pci-addr"], "device") == 0x10CA
                  for v in vfs), str(vfs))
expect_err("vf-get of VF 5 (only 2 enabled)", "vf-get", {**PF, "vf-id": 5},
           errno.ENOENT, "VF 5 does not exist")
expect_err("vf-get of VF 9 (policy max 7)", "vf-get", {**PF, "vf-id": 9},
           errno.ERANGE, "")
expect_err("vf-alloc without serial", "vf-alloc", {**PF, "vf-id": 1},
           errno.EINVAL, "")
expect_err("vf-alloc with a multicast MAC", "vf-alloc",
           {**PF, "vf-id": 1, "serial": 7, "mac": bytes.fromhex("01005e000001")},
           errno.EINVAL, "unicast")
v = expect_ok("vf-alloc VF 1 with serial and MAC", "vf-alloc",
              {**PF, "vf-id": 1, "serial": 0x1234567890, "mac": MAC_VF})
check("VF 1 allocated with its serial",
      v and v["vf-state"] == "allocated" and v["serial"] == 0x1234567890,
      str(v))
ev = events("vf-allocated-ntf")
check("vf-allocated-ntf event with serial and timestamp",
      ev and ev[0]["vf-id"] == 1 and ev[0]["serial"] == 0x1234567890 and
      ev[0]["timestamp-ns"] > 0, str(ev))
expect_err("vf-alloc of an allocated VF", "vf-alloc",
           {**PF, "vf-id": 1, "serial": 1}, errno.EBUSY, "already allocated")

# ---- VPorts ----
expect_err("vport-new on an unallocated VF", "vport-new", {**PF, "vf-id": 0},
           errno.EINVAL, "not allocated")
vp = expect_ok("vport-new on VF 1", "vport-new", {**PF, "vf-id": 1})
check("VPort on pool 1 owned by VF 1",
      vp and vp["pool"] == 1 and vp["vport-owner"] == "vf" and
      vp["vf-id"] == 1, str(vp))
vpid = vp["vport-id"] if vp else 999
ev = events("vport-created-ntf")
check("vport-created-ntf event", ev and ev[0]["vport-id"] == vpid, str(ev))
expect_err("second VPort on VF 1", "vport-new", {**PF, "vf-id": 1},
           errno.EEXIST, "already has VPort")
expect_err("delete the default VPort", "vport-del", {**PF, "vport-id": 0},
           errno.EINVAL, "cannot be deleted")
expect_err("delete an unknown VPort", "vport-del", {**PF, "vport-id": 4242},
           errno.ENOENT, "does not exist")
vps = expect_ok("vport-get dump", "vport-get", PF, dump=True)
check("dump shows the default VPort and VF 1's",
      vps and len(vps) == 2 and any("is-default" in x for x in vps), str(vps))
expect_err("vf-free while the VF has a VPort", "vf-free", {**PF, "vf-id": 1},
           errno.EBUSY, "delete it first")
# the PF has only the default VPort: its datapath has queues in its own pool
expect_err("vport-new on the PF (no vf-id)", "vport-new", PF,
           errno.EOPNOTSUPP, "besides the default VPort")
sw = ynl.do("switch-get", PF)
check("switch-get counts the default VPort and VF 1's: num-vports 2, "
      "max-vports 3 (2 VFs + the default VPort)",
      sw["num-vports"] == 2 and sw["max-vports"] == 3, str(sw))

# ---- filters ----
f = expect_ok("filter-add MAC on the default VPort", "filter-add",
              {**PF, "vport-id": 0, "mac": MAC_A})
fid = f["filter-id"] if f else 999
check("MAC filter owned by VPort 0 without an exact (RAR) entry",
      f and f["vport-id"] == 0 and f["filter-type"] == "mac" and
      "hw-index" not in f, str(f))
expect_err("duplicate MAC filter", "filter-add",
           {**PF, "vport-id": vpid, "mac": MAC_A}, errno.EEXIST,
           "already has filter")
expect_err("filter-add with both MAC and VLAN", "filter-add",
           {**PF, "vport-id": 0, "mac": bytes.fromhex("02005e10aa02"), "vlan": 5},
           errno.EINVAL, "exactly one")
expect_err("filter-add on an unknown VPort", "filter-add",
           {**PF, "vport-id": 4242, "mac": bytes.fromhex("02005e10aa02")},
           errno.ENOENT, "does not exist")
fv = expect_ok("filter-add VLAN 100 on VF 1's VPort", "filter-add",
               {**PF, "vport-id": vpid, "vlan": 100})
expect_err("duplicate VLAN filter on the same VPort", "filter-add",
           {**PF, "vport-id": vpid, "vlan": 100}, errno.EEXIST,
           "already has filter")
mv = expect_ok("filter-move MAC filter default -> VF 1's VPort", "filter-move",
               {**PF, "src-vport-id": 0, "vport-id": vpid,
                "filter-ids": [fid]})
check("move reply has the filter and a timestamp",
      mv and mv["filter-ids"] == [fid] and mv["timestamp-ns"] > 0, str(mv))
ev = events("filter-moved-ntf")
check("filter-moved-ntf with the same timestamp",
      ev and mv and ev[0]["timestamp-ns"] == mv["timestamp-ns"], str(ev))
g = expect_ok("filter-get after the move", "filter-get", {**PF, "filter-id": fid})
check("filter now on VF 1's VPort, in a switch RAR (16-23)",
      g and g["vport-id"] == vpid and 16 <= g.get("hw-index", -1) <= 23,
      str(g))
expect_err("filter-move of a filter not on the source VPort", "filter-move",
           {**PF, "src-vport-id": 0, "vport-id": vpid, "filter-ids": [fid]},
           errno.EINVAL, "not on VPort")
expect_err("filter-move to the same VPort", "filter-move",
           {**PF, "src-vport-id": vpid, "vport-id": vpid},
           errno.EINVAL, "same")
expect_err("vport-del while it owns filters", "vport-del",
           {**PF, "vport-id": vpid}, errno.EBUSY, "still owns")
fl = expect_ok("filter-get dump of VF 1's VPort", "filter-get",
               {**PF, "vport-id": vpid}, dump=True)
check("dump holds the MAC and VLAN filters", fl and len(fl) == 2, str(fl))
expect_ok("filter-move all back to the default VPort", "filter-move",
          {**PF, "src-vport-id": vpid, "vport-id": 0})
expect_ok("filter-del VLAN filter", "filter-del",
          {**PF, "filter-id": fv["filter-id"] if fv else 999})
expect_ok("filter-del MAC filter", "filter-del", {**PF, "filter-id": fid})
expect_err("filter-del of a deleted filter", "filter-del",
           {**PF, "filter-id": fid}, errno.ENOENT, "does not exist")
expect_ok("vport-del VF 1's VPort", "vport-del", {**PF, "vport-id": vpid})
ev = events("vport-deleted-ntf")
check("vport-deleted-ntf event", ev and ev[-1]["vport-id"] == vpid, str(ev))
expect_ok("vf-free VF 1", "vf-free", {**PF, "vf-id": 1})
expect_err("vf-free of a free VF", "vf-free", {**PF, "vf-id": 1},
           errno.EINVAL, "not allocated")

# ---- config space ----
r = expect_ok("cfg-read of VF 0's header", "cfg-read",
              {**PF, "vf-id": 0, "cfg-offset": 0, "cfg-len": 64})
check("64 bytes read", r and len(r["cfg-data"]) == 64, str(r))
r = expect_ok("cfg-read of the whole 4 KiB", "cfg-read",
              {**PF, "vf-id": 0, "cfg-offset": 0, "cfg-len": 4096})
expect_err("cfg-read past the end", "cfg-read",
           {**PF, "vf-id": 0, "cfg-offset": 4000, "cfg-len": 200},
           errno.ERANGE, "outside")
expect_err("cfg-write to BAR0", "cfg-write",
           {**PF, "vf-id": 0, "cfg-offset": 0x10, "cfg-len": 4,
            "cfg-value": 0xffffffff}, errno.EPERM, "BAR")
expect_err("cfg-write unaligned", "cfg-write",
           {**PF, "vf-id": 0, "cfg-offset": 5, "cfg-len": 2, "cfg-value": 0},
           errno.EINVAL, "aligned")
expect_err("cfg-write of 3 bytes", "cfg-write",
           {**PF, "vf-id": 0, "cfg-offset": 4, "cfg-len": 3, "cfg-value": 0},
           errno.EINVAL, "1, 2 or 4")
cmd = ynl.do("cfg-read", {**PF, "vf-id": 0, "cfg-offset": 4, "cfg-len": 2})
cmd = int.from_bytes(bytes(cmd["cfg-data"]), "little")
expect_ok("cfg-write PCI_COMMAND INTx-disable", "cfg-write",
          {**PF, "vf-id": 0, "cfg-offset": 4, "cfg-len": 2,
           "cfg-value": cmd ^ 0x400})
ev = events("cfg-write-ntf")
check("cfg-write-ntf event for the write",
      ev and ev[0]["cfg-offset"] == 4 and ev[0]["cfg-value"] == cmd ^ 0x400,
      str(ev))
ynl.do("cfg-write", {**PF, "vf-id": 0, "cfg-offset": 4, "cfg-len": 2,
                     "cfg-value": cmd})

# ---- FLR ----
expect_err("vf-reset of an unallocated VF", "vf-reset", {**PF, "vf-id": 0},
           errno.EINVAL, "not allocated")
ynl.do("vf-alloc", {**PF, "vf-id": 0, "serial": 0x5e7})
events("vf-allocated-ntf", timeout=0.5)
expect_ok("vf-reset VF 0 (FLR)", "vf-reset", {**PF, "vf-id": 0})
ev = events("vf-reset-ntf")
check("vf-reset-ntf event", ev and ev[0]["vf-id"] == 0 and
      ev[0]["reset-reason"] == "admin", str(ev))
ynl.do("vf-free", {**PF, "vf-id": 0})
expect_err("vf-reset of a VF that does not exist", "vf-reset",
           {**PF, "vf-id": 6}, errno.ENOENT, "does not exist")

# ---- switch-new / switch-del ----
NUMVFS = f"/sys/bus/pci/devices/{bdf}/sriov_numvfs"


def numvfs():
    with open(NUMVFS) as fh:
        return int(fh.read())


expect_err("switch-new while the PF has a switch", "switch-new",
           {**PF, "num-vfs": 2}, errno.EBUSY, "switch-del first")
ynl.do("vf-alloc", {**PF, "vf-id": 0, "serial": 0x5d1})
vp0 = ynl.do("vport-new", {**PF, "vf-id": 0})["vport-id"]
fa = ynl.do("filter-add", {**PF, "vport-id": 0,
                           "mac": bytes.fromhex("02005e10aa03")})["filter-id"]
expect_err("switch-del while a VPort exists", "switch-del", PF,
           errno.EBUSY, f"VPort {vp0} exists")
ynl.do("vport-del", {**PF, "vport-id": vp0})
expect_err("switch-del while a VF is allocated", "switch-del", PF,
           errno.EBUSY, "VF 0 is allocated")
ynl.do("vf-free", {**PF, "vf-id": 0})
expect_err("switch-del while the administrator's filter is on the default "
           "VPort", "switch-del", PF, errno.EBUSY, f"filter {fa} ")
events("filter-deleted-ntf", timeout=0.2)
ynl.do("filter-del", {**PF, "filter-id": fa})
ev = events("filter-deleted-ntf")
check("filter-del: filter-deleted-ntf with the filter, its VPort and MAC",
      ev and ev[0]["filter-id"] == fa and ev[0]["vport-id"] == 0 and
      ev[0]["filter-origin"] == "admin" and
      ev[0]["mac"] == "02:00:5e:10:aa:03", str(ev))
check("nothing was deleted by the refusals: 2 VFs still enabled",
      numvfs() == 2 and ynl.do("switch-get", PF)["num-vfs"] == 2)
events("switch-change-ntf", timeout=0.2)
expect_ok("switch-del of a switch with only the default VPort", "switch-del",
          PF)
sw = ynl.do("switch-get", PF)
ev = events("switch-change-ntf")
check("switch gone: num-vfs 0 in switch-get and sriov_numvfs, "
      "switch-change-ntf with num-vfs 0",
      sw["num-vfs"] == 0 and sw["num-vports"] == 0 and numvfs() == 0 and
      ev and ev[-1]["num-vfs"] == 0, f"{sw} {ev} sriov_numvfs {numvfs()}")
expect_err("switch-del without a switch", "switch-del", PF, errno.ENOENT,
           "switch-new")
expect_err("switch-new with 0 VFs (policy min 1)", "switch-new",
           {**PF, "num-vfs": 0}, errno.ERANGE, "")
expect_err("switch-new with 8 VFs (policy max 7)", "switch-new",
           {**PF, "num-vfs": 8}, errno.ERANGE, "")
sw = expect_ok("switch-new with 2 VFs", "switch-new", {**PF, "num-vfs": 2})
ev = events("switch-change-ntf")
check("switch back: the reply, sriov_numvfs and switch-change-ntf say 2 VFs, "
      "the default VPort exists",
      sw and sw["num-vfs"] == 2 and sw["num-vports"] == 1 and
      numvfs() == 2 and ev and ev[-1]["num-vfs"] == 2, f"{sw} {ev}")
# sriov_numvfs=0 deletes the switch with what it holds, and announces it
fb = ynl.do("filter-add", {**PF, "vport-id": 0,
                           "mac": bytes.fromhex("02005e10aa04")})["filter-id"]
with open(NUMVFS, "w") as fh:
    fh.write("0")
ev = events("filter-deleted-ntf")
check("sriov_numvfs=0: filter-deleted-ntf for the administrator's filter",
      any(e["filter-id"] == fb and e["filter-origin"] == "admin"
          for e in ev), str(ev))
with open(NUMVFS, "w") as fh:
    fh.write("2")

# ---- privileges ----


def unpriv(op, vals, dump=False, join=False):
    """run one request (or join the events group) as uid nobody without
    capabilities; the child's exit code is the errno it met, 0 if none"""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            fam = YnlFamily(spec, "")
            if join:
                fam.ntf_subscribe("events")
            elif dump:
                fam.dump(op, vals)
            else:
                fam.do(op, vals)
            os._exit(0)
        except NlError as e:
            os._exit(e.error)
        except OSError as e:
            os._exit(e.errno or 254)
        except Exception:
            os._exit(255)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


rc = unpriv("vf-alloc", {**PF, "vf-id": 0, "serial": 1})
check("unprivileged vf-alloc refused with EPERM", rc == errno.EPERM, f"rc {rc}")
rc = unpriv("cfg-write", {**PF, "vf-id": 0, "cfg-offset": 4, "cfg-len": 2,
                          "cfg-value": 0})
check("unprivileged cfg-write refused with EPERM", rc == errno.EPERM, f"rc {rc}")
rc = unpriv("switch-get", PF)
check("unprivileged switch-get refused with EPERM", rc == errno.EPERM,
      f"rc {rc}")
rc = unpriv("vf-get", PF, dump=True)
check("unprivileged vf-get dump refused with EPERM", rc == errno.EPERM,
      f"rc {rc}")
rc = unpriv("filter-get", PF, dump=True)
check("unprivileged filter-get dump refused with EPERM", rc == errno.EPERM,
      f"rc {rc}")
rc = unpriv(None, None, join=True)
check("unprivileged join of the events group refused with EPERM",
      rc == errno.EPERM, f"rc {rc}")
# root, the same requests: still answered
expect_ok("root vf-get dump still answered", "vf-get", PF, dump=True)
expect_ok("root filter-get dump still answered", "filter-get", PF, dump=True)

if len(results) != PLAN:
    print(f"# planned {PLAN} checks but ran {len(results)}")
sys.exit(0 if len(results) == PLAN and all(results) else 1)
