#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 240
#
# The lab proves itself with the in-tree drivers, the anchor every project
# driver is measured against: igb on the 82576 PF, two VFs, igbvf on VF 0
# with an administratively set MAC, the VF moved into a child namespace and
# pinged from the external host.  An 82576 missing from the lab is a
# failure, not a skip: the lab is broken then.
. "$SRIOV_TOP/tests/lib/ktap.sh"

VF_MAC=02:00:5e:10:00:01
ktap_header
ktap_plan 9

[ -n "${SRIOV_PF0:-}" ] || ktap_bail "no 82576 PF (8086:10c9) in the lab"
dev=/sys/bus/pci/devices/$SRIOV_PF0

ktap_result "igb binds the 82576 PF" modprobe igb
pf=$(wait_pci_netdev "$SRIOV_PF0" 10) || ktap_bail "igb created no netdev"
ip link set "$pf" up
ktap_result "PF link up" wait_carrier "$pf" 20
ip addr add 198.18.0.2/24 dev "$pf"
ext_ns_setup 0 || ktap_bail "external host"
ktap_result "external host pings the PF" slowwait 10 ping_ok ext0 198.18.0.2

echo 0 >"$dev/sriov_drivers_autoprobe"
defer sh -c "echo 0 > $dev/sriov_numvfs"
enable_vfs() {
	echo 2 >"$dev/sriov_numvfs" || return 1
	[ "$(ls -d "$dev"/virtfn* | wc -l)" = 2 ]
}
ktap_result "enable 2 VFs" enable_vfs
vf=$(basename "$(readlink -f "$dev/virtfn0")")

vf_mac_set() {
	ip link set "$pf" vf 0 mac "$VF_MAC" || return 1
	ip -j link show "$pf" | jq -e --arg m "$VF_MAC" \
		'.[0].vfinfo_list[0].address == $m' >/dev/null
}
ktap_result "admin MAC on VF 0" vf_mac_set

bind_igbvf() {
	modprobe igbvf || return 1
	echo igbvf >"/sys/bus/pci/devices/$vf/driver_override"
	echo "$vf" >/sys/bus/pci/drivers_probe
	vfdev=$(wait_pci_netdev "$vf" 10) || return 1
	[ "$(cat "/sys/class/net/$vfdev/address")" = "$VF_MAC" ]
}
ktap_result "igbvf binds VF 0 with the admin MAC" bind_igbvf
vfdev=$(pci_netdev "$vf")

ip netns add child0
defer ip netns del child0
ip link set "$vfdev" netns child0
ip -n child0 link set lo up
ip -n child0 link set "$vfdev" up
ip -n child0 addr add 198.18.0.10/24 dev "$vfdev"
ip -n child0 addr add 2001:db8::10/64 dev "$vfdev" nodad
ktap_result "VF carrier in the child" wait_carrier "$vfdev" 30 child0
ktap_result "external host pings the VF (IPv4)" slowwait 15 ping_ok ext0 198.18.0.10
ktap_result "external host pings the VF (IPv6)" slowwait 15 ping_ok ext0 2001:db8::10
ktap_finished
