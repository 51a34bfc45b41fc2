#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make lab`: boot the lab with two 82576s, load the project's modules,
# bring up VFs and print the NIC switch as the guest sees it.  Logs stay in
# build/vm/lab/.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
"$top/tools/vm/run" --name lab --nics 2 --timeout 600 -- "$top/tools/lab/lab-guest.sh"
rc=$?
echo
echo "lab: exit $rc; logs in $top/build/vm/lab/ (output.txt, dmesg.txt, console.log)"
exit $rc
