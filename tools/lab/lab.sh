#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make lab`: boot the lab with two 82576s and run the scenario of
# tools/lab/lab-guest.sh (sriovd, two child partitions, attach, traffic,
# planned failover, surprise removal, re-attach, migration NIC 0 -> NIC 1),
# then print the report again and where the logs are (build/vm/lab/).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/vm/lab
"$top/tools/vm/run" --name lab --nics 2 --timeout 900 -- "$top/tools/lab/lab-guest.sh"
rc=$?
echo
if [ -s "$out/report.txt" ]; then
	sed -n '/=== sriov lab report ===/,$p' "$out/report.txt"
fi
echo "lab: exit $rc; report $out/report.txt; logs in $out/ (output.txt: the whole run,"
echo "     sriovd.log: the daemon, dmesg.txt: the guest kernel, lab/: every stream's JSON)"
exit $rc
