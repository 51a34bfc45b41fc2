#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 600
# debug-args: 30
#
# netvsc_planned.sh on the project's pair, sriov_pf + sriov_vf: the adapter
# pairs with the VF by identity, and every planned switch moves its MAC
# filter between the default VPort and the VF's VPort (sriovd's order:
# filter to the VF's VPort, then the acknowledgement).  50 cycles per part:
# the in-tree pair's run carries 100.
NV_PF_DRIVER=sriov_pf NV_VF_DRIVER=sriov_vf exec "$(dirname "$0")/netvsc_planned.sh" "${1:-50}"
