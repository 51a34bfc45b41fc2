#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 600
#
# Capacity of sriov_pf's NIC switch with 7 VFs (pf_ctl_capacity.py,
# through the kernel's YNL library and our spec):
# - 16 partitions' MAC filters on the default VPort, more than the 8
#   exact (RAR) entries: each is added without an exact entry and each
#   receives from the external host at the PF (not promiscuous), none at
#   a VF;
# - filters move to VF 0's VPort until its share of the exact entries
#   runs out (one stays kept for each other VF); the next move and a
#   filter-add there are refused with ENOSPC naming the limit, nothing
#   moves; VF 1, allocated later, still gets its entry; moved MACs reach
#   VF 0 only, the others the PF only; one back makes room; all back in
#   one request;
# - the default VPort's own limit (default-mac-filters-max) is refused
#   naming it, a deletion makes room; with no default-VPort filter left
#   their MACs no longer reach the PF.
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/pf2_lib.sh"

[ -n "${SRIOV_PF0:-}" ] || ktap_bail "no 82576 PF in the lab"
pf2_need_ynl
checker=$SRIOV_TOP/tests/vm/pf_ctl_capacity.py
pf2_checker_plan "$checker"
n=$PF2_PLAN
ktap_header
ktap_plan $((n + 3))

pf2_load_pf
ethtool -G "$pf" rx 4096 >/dev/null 2>&1 || ethtool -G "$pf" rx 2048 >/dev/null 2>&1
pf2_pf_up
ktap_result "external host" ext_ns_setup 0 || ktap_bail "external host"
pf2_enable_vfs 7

setup_vf0() {
	local o
	o=$(sriov --do vf-alloc --json "{\"ifindex\": $ifindex, \"vf-id\": 0, \"serial\": 2121, \"mac\": \"02005e2100ff\"}" 2>&1) ||
		{ echo "vf-alloc: $o"; return 1; }
	o=$(sriov --do vport-new --json "{\"ifindex\": $ifindex, \"vf-id\": 0}" 2>&1) ||
		{ echo "vport-new: $o"; return 1; }
	jq '."vport-id"' <<<"$o" >"$SRIOV_OUT/cap_vport" || return 1
	pf2_bind_vf 0 igbvf child0 198.18.0.60/24 4096
}
defer ip netns del child0	# setup_vf0 creates it, also when it fails later
ktap_result "VF 0 allocated, its VPort created, igbvf bound in child0" \
	setup_vf0 || ktap_bail "VF 0 setup"

CAP_VPORT=$(cat "$SRIOV_OUT/cap_vport")
export CAP_PF=$pf CAP_VPORT CAP_EXT=$SRIOV_EXT0 SRIOV_OUT
pf2_run_checker "$checker" "$n"
ktap_finished
