#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The kernel's own view of the NIC switches, for the daemon's lab tests:
VFs, VPorts and filters of each PF from the "sriov" genl family's dumps,
read with the kernel's YNL library (tools/net/ynl) and our spec, i.e. by a
client that shares no code with sriovd.  Prints one JSON object:

  {"PF_BDF": {"vfs": [{"id", "state", "vport", "mac"}],
              "vports": [{"id", "owner", "vf", "default"}],
              "filters": [{"id", "type", "origin", "vport", "mac", "vlan"}]}}

Usage: daemon_dump.py YNL_DIR SPEC PF_BDF...
       daemon_dump.py --serve FIFO YNL_DIR SPEC PF_BDF...
With --serve it stays up (the library's import and spec parsing take
seconds under TCG): each line written to FIFO names a file (a FIFO too)
that gets one dump.
"""
import json
import os
import sys

args = sys.argv[1:]
serve = None
if args[0] == "--serve":
    serve, args = args[1], args[2:]
ynl_dir, spec, pfs = args[0], args[1], args[2:]
sys.path.insert(0, ynl_dir)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import ynl_libyaml  # noqa: E402,F401  (specs parsed by libyaml)
from lib import YnlFamily  # noqa: E402

ynl = YnlFamily(spec, "")  # no schema validation (slow under TCG)


def mac(v):
    if isinstance(v, (bytes, bytearray)):
        return ":".join(f"{b:02x}" for b in v)
    return v


def dump():
    out = {}
    for bdf in pfs:
        req = {"pci-addr": bdf}
        vfs = [{"id": v["vf-id"], "state": v.get("vf-state"), "vport": v.get("vport-id"),
                "mac": mac(v.get("mac"))} for v in ynl.dump("vf-get", req)]
        vps = [{"id": v["vport-id"], "owner": v.get("vport-owner"), "vf": v.get("vf-id"),
                "default": bool(v.get("is-default"))} for v in ynl.dump("vport-get", req)]
        fls = [{"id": f["filter-id"], "type": f.get("filter-type"), "origin": f.get("filter-origin"),
                "vport": f.get("vport-id"), "mac": mac(f.get("mac")), "vlan": f.get("vlan")}
               for f in ynl.dump("filter-get", req)]
        out[bdf] = {"vfs": vfs, "vports": vps, "filters": fls}
    return json.dumps(out)


if serve is None:
    print(dump())
    sys.exit(0)
while True:
    with open(serve) as req:
        for line in req:
            try:
                text = dump()
            except Exception as e:  # noqa: BLE001 - reported to the client
                text = json.dumps({"error": str(e)})
            with open(line.strip(), "w") as resp:
                resp.write(text + "\n")
