#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 300
#
# sriov_pf's error paths and switch counters over generic netlink
# (pf_ctl_errors.py, through the kernel's YNL library and our spec):
# - num-vports and max-vports count the same VPorts (the default and the
#   VF VPorts): num-vports reaches max-vports exactly when every VF has a
#   VPort; vport-new on the PF is refused (EOPNOTSUPP);
# - vf-reset refuses a VF that is not allocated, and a failed FLR
#   (fault fail_flr) fails the request instead of reporting success;
# - a filter-move whose VLAN filter cannot move (fault fail_filter_write)
#   fails with an extack and leaves every filter where it was, the MAC
#   filter moved before it included.
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/pf2_lib.sh"

[ -n "${SRIOV_PF0:-}" ] || ktap_bail "no 82576 PF in the lab"
pf2_need_ynl
checker=$SRIOV_TOP/tests/vm/pf_ctl_errors.py
pf2_checker_plan "$checker"
n=$PF2_PLAN
ktap_header
ktap_plan $((n + 2))

pf2_load_pf
ip link set "$pf" up
pf2_enable_vfs 3
fault=/sys/kernel/debug/sriov_pf/$SRIOV_PF0/fault
[ -d "$fault" ] || ktap_bail "no fault knobs at $fault"

pf2_run_checker "$checker" "$n"
knobs_clear() {
	local left
	left=$(grep -L '^0$' "$fault"/{fail_alloc,fail_flr,flr_delay_ms,mbx_delay_ms,drop_mbx_reply,fail_filter_write})
	[ -z "$left" ] || { echo "knobs left armed: $left"; return 1; }
}
ktap_result "every fault knob consumed" knobs_clear
ktap_finished
