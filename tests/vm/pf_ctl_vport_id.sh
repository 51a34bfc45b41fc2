#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 300
#
# The VF's identity follows its VPort: vport-new and vport-del tell a
# project VF (sriov_pf's PF_CONFIG message), which re-reads its config
# block, so /sys/class/net/<vf>/sriov/vport names the current VPort and
# fails with ENODATA while there is none, without a VF reset.
. "$SRIOV_TOP/tests/lib/ktap.sh"

[ -n "${SRIOV_PF0:-}" ] || ktap_bail "no 82576 PF in the lab"
require_cmd jq
spec=$SRIOV_TOP/Documentation/netlink/specs/sriov.yaml
ynl=$(ksrc_ynl 2>&1) || ktap_bail "$ynl"
sriov() { /usr/bin/python3 "$ynl/cli.py" --spec "$spec" --no-schema --output-json "$@"; }
SERIAL=0xc20e
ktap_header
ktap_plan 7

modprobe sriov_pf || ktap_bail "sriov_pf does not load"
defer rmmod sriov_pf
pf=$(wait_pci_netdev "$SRIOV_PF0" 10) || ktap_bail "no PF netdev"
ip link set "$pf" up
dev=/sys/bus/pci/devices/$SRIOV_PF0
echo 0 >"$dev/sriov_drivers_autoprobe"
echo 1 >"$dev/sriov_numvfs" || ktap_bail "cannot enable a VF"
defer sh -c "echo 0 > $dev/sriov_numvfs"
ifx=$(cat "/sys/class/net/$pf/ifindex")
sriov --do vf-alloc --json "{\"ifindex\": $ifx, \"vf-id\": 0, \"serial\": $((SERIAL))}" >/dev/null ||
	ktap_bail "vf-alloc failed"
vf=$(basename "$(readlink -f "$dev/virtfn0")")
modprobe sriov_vf || ktap_bail "sriov_vf does not load"
echo sriov_vf >"/sys/bus/pci/devices/$vf/driver_override"
echo "$vf" >/sys/bus/pci/drivers_probe
vfdev=$(wait_pci_netdev "$vf" 10) || ktap_bail "no VF netdev"
defer sh -c "echo $vf > /sys/bus/pci/devices/$vf/driver/unbind"
ip link set "$vfdev" up
id_dir=/sys/class/net/$vfdev/sriov

serial_ok() { [ "$(cat "$id_dir/serial" 2>/dev/null)" = $((SERIAL)) ]; }
ktap_result "the VF reads its identity (serial $((SERIAL)))" slowwait 10 serial_ok
no_vport() {
	local v
	if v=$(cat "$id_dir/vport" 2>&1); then
		echo "sriov/vport reads $v"
		return 1
	fi
}
ktap_result "without a VPort sriov/vport has no value" no_vport

vport_is() {
	local v
	v=$(cat "$id_dir/vport" 2>/dev/null)
	[ "$v" = "$1" ] || { echo "sriov/vport '$v', want $1"; return 1; }
}
vp=$(sriov --do vport-new --json "{\"ifindex\": $ifx, \"vf-id\": 0}" | jq '."vport-id"')
ktap_result "vport-new for the VF (VPort ${vp:-none})" test -n "$vp"
ktap_result "sriov/vport names the new VPort $vp" slowwait 10 vport_is "$vp"
r0=$(ethtool -S "$vfdev" | awk '/ resets:/ {print $2}')

sriov --do vport-del --json "{\"ifindex\": $ifx, \"vport-id\": $vp}" >/dev/null
ktap_result "after vport-del sriov/vport has no value" slowwait 10 no_vport
vp2=$(sriov --do vport-new --json "{\"ifindex\": $ifx, \"vf-id\": 0}" | jq '."vport-id"')
ktap_result "a second VPort ($vp2) replaces it in sriov/vport" slowwait 10 vport_is "$vp2"
r1=$(ethtool -S "$vfdev" | awk '/ resets:/ {print $2}')
ktap_result "no VF reset was needed (resets $r0 -> $r1)" test "$r0" = "$r1"
sriov --do vport-del --json "{\"ifindex\": $ifx, \"vport-id\": $vp2}" >/dev/null
ktap_finished
