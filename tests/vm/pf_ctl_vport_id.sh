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
. "$SRIOV_TOP/tests/lib/pf2_lib.sh"

require_cmd jq
pf2_need_ynl
SERIAL=0xc20e
ktap_header
ktap_plan 7

pf2_load_pf
ip link set "$pf" up
pf2_enable_vfs 1
sriov --do vf-alloc --json "{\"ifindex\": $ifindex, \"vf-id\": 0, \"serial\": $((SERIAL))}" >/dev/null ||
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
vp=$(sriov --do vport-new --json "{\"ifindex\": $ifindex, \"vf-id\": 0}" | jq '."vport-id"')
ktap_result "vport-new for the VF (VPort ${vp:-none})" test -n "$vp"
ktap_result "sriov/vport names the new VPort $vp" slowwait 10 vport_is "$vp"
r0=$(ethtool -S "$vfdev" | awk '/ resets:/ {print $2}')

sriov --do vport-del --json "{\"ifindex\": $ifindex, \"vport-id\": $vp}" >/dev/null
ktap_result "after vport-del sriov/vport has no value" slowwait 10 no_vport
vp2=$(sriov --do vport-new --json "{\"ifindex\": $ifindex, \"vf-id\": 0}" | jq '."vport-id"')
ktap_result "a second VPort ($vp2) replaces it in sriov/vport" slowwait 10 vport_is "$vp2"
r1=$(ethtool -S "$vfdev" | awk '/ resets:/ {print $2}')
ktap_result "no VF reset was needed (resets $r0 -> $r1)" test "$r0" = "$r1"
sriov --do vport-del --json "{\"ifindex\": $ifindex, \"vport-id\": $vp2}" >/dev/null
ktap_finished
