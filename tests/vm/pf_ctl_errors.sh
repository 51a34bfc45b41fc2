#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 300
#
# sriov_pf's error paths and switch counters over generic netlink
# (pf_ctl_errors.py, through the kernel's YNL library and our spec):
# - num-vports and max-vports count the same VPorts (the default, PF and
#   VF VPorts): num-vports reaches max-vports exactly when the pools are
#   full;
# - vf-reset refuses a VF that is not allocated, and a failed FLR
#   (fault fail_flr) fails the request instead of reporting success;
# - a filter-move whose VLAN filter cannot move (fault fail_filter_write)
#   fails with an extack and leaves every filter where it was, the MAC
#   filter moved before it included.
. "$SRIOV_TOP/tests/lib/ktap.sh"

[ -n "${SRIOV_PF0:-}" ] || ktap_bail "no 82576 PF in the lab"
spec=$SRIOV_TOP/Documentation/netlink/specs/sriov.yaml
ynl=$(ksrc_ynl 2>&1) || ktap_bail "$ynl"
schema=$ynl/../../../Documentation/netlink/genetlink.yaml
[ -f "$schema" ] || ktap_bail "no genetlink schema at $schema (make ksrc)"
py=/usr/bin/python3
checker=$SRIOV_TOP/tests/vm/pf_ctl_errors.py

n=$($py "$checker" --plan)
if [ $? != 0 ] || ! [ "$n" -gt 0 ] 2>/dev/null; then
	ktap_bail "pf_ctl_errors.py does not declare its plan"
fi
ktap_header
ktap_plan $((n + 2))

modprobe sriov_pf || ktap_bail "sriov_pf does not load"
defer rmmod sriov_pf
pf=$(wait_pci_netdev "$SRIOV_PF0" 10) || ktap_bail "no PF netdev"
ip link set "$pf" up
dev=/sys/bus/pci/devices/$SRIOV_PF0
echo 0 >"$dev/sriov_drivers_autoprobe"
echo 3 >"$dev/sriov_numvfs" || ktap_bail "cannot enable VFs"
defer sh -c "echo 0 > $dev/sriov_numvfs"
fault=/sys/kernel/debug/sriov_pf/$SRIOV_PF0/fault
[ -d "$fault" ] || ktap_bail "no fault knobs at $fault"
ifindex=$(cat "/sys/class/net/$pf/ifindex")

out=$($py "$checker" "$ynl" "$spec" "$schema" "$ifindex" "$SRIOV_PF0" 2>&1)
rc=$?
got=0
while IFS= read -r l; do
	case "$l" in
	"ok "*) got=$((got + 1)); ktap_pass "${l#ok [0-9]* }" ;;
	"not ok "*) got=$((got + 1)); ktap_fail "${l#not ok [0-9]* }" ;;
	"#"*) echo "$l" ;;
	"KTAP"*|"1.."*) ;;
	*) echo "# $l" ;;
	esac
done <<<"$out"
for ((i = got; i < n; i++)); do
	ktap_fail "pf_ctl_errors.py check $((i + 1)) of $n not reported"
done
ktap_result "pf_ctl_errors.py reported $got of $n checks and exited 0 (exit $rc)" \
	test "$rc" = 0 -a "$got" = "$n"
knobs_clear() {
	local left
	left=$(grep -L '^0$' "$fault"/{fail_alloc,fail_flr,flr_delay_ms,drop_mbx_reply,fail_filter_write})
	[ -z "$left" ] || { echo "knobs left armed: $left"; return 1; }
}
ktap_result "every fault knob consumed" knobs_clear
ktap_finished
