#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Move one MAC filter N times between two VPorts through the "sriov" genl
family (kernel YNL library); print one JSON line with the move count and
the per-move durations.

Usage: pf2_mover.py YNL_DIR SPEC IFINDEX FILTER_ID VPORT_A VPORT_B N PERIOD_S
"""
import json
import os
import sys
import time

ynl_dir, spec, ifindex, fid, a, b, n, period = sys.argv[1:9]
sys.path.insert(0, ynl_dir)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import ynl_libyaml  # noqa: E402,F401  (specs parsed by libyaml)
from lib import YnlFamily  # noqa: E402

ynl = YnlFamily(spec, "")
pf = {"ifindex": int(ifindex)}
src, dst = int(a), int(b)
durs = []
stamps = []
for i in range(int(n)):
    t = time.monotonic()
    r = ynl.do("filter-move", {**pf, "src-vport-id": src, "vport-id": dst,
                               "filter-ids": [int(fid)]})
    durs.append(time.monotonic() - t)
    stamps.append(r["timestamp-ns"])
    src, dst = dst, src
    time.sleep(float(period))
print(json.dumps({"moves": len(durs), "max_ms": max(durs) * 1e3,
                  "avg_ms": sum(durs) / len(durs) * 1e3,
                  "final_vport": src,
                  "monotonic_stamps": stamps == sorted(stamps)}))
