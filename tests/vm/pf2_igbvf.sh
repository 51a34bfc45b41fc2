#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 480
#
# The in-tree igbvf on sriov_pf: 7 VFs, every VF gets the MAC the PF
# assigned in the reset handshake (0x80000001 + MAC), passes ping with the
# external host from its own namespace, VF-to-VF and VF-to-PF traffic is
# switched inside the NIC, and every VF runs iperf3 with the external host
# in both directions (PF2_IPERF_SECONDS each, default 2).
. "$SRIOV_TOP/tests/lib/ktap.sh"

NVF=${PF2_NVF:-7}
ktap_header
NSEC=${PF2_IPERF_SECONDS:-2}
ktap_plan $((12 + NVF))

[ -n "${SRIOV_PF0:-}" ] || ktap_bail "no 82576 PF in the lab"
require_cmd iperf3
dev=/sys/bus/pci/devices/$SRIOV_PF0

bind_pf() {
	modprobe sriov_pf || return 1
	pf=$(wait_pci_netdev "$SRIOV_PF0" 10)
}
ktap_result "sriov_pf binds the PF" bind_pf || ktap_bail "no PF netdev"
pf=$(pci_netdev "$SRIOV_PF0")
defer rmmod sriov_pf
ip link set "$pf" up
ip addr add 198.18.0.2/24 dev "$pf"
ktap_result "PF carrier up" wait_carrier "$pf" 20
ext_ns_setup 0 || ktap_bail "external host"

echo 0 >"$dev/sriov_drivers_autoprobe"
defer sh -c "echo 0 > $dev/sriov_numvfs"
enable_vfs() {
	echo "$NVF" >"$dev/sriov_numvfs" || return 1
	[ "$(ls -d "$dev"/virtfn* | wc -l)" = "$NVF" ]
}
ktap_result "enable $NVF VFs" enable_vfs || ktap_bail "no VFs"

modprobe igbvf
# vf_mac N: the MAC the PF reports for VF N
vf_mac() { ip -j link show "$pf" | jq -r ".[0].vfinfo_list[$1].address"; }
bind_all() {
	local i vf vfdev bad=0
	for i in $(seq 0 $((NVF - 1))); do
		vf=$(basename "$(readlink -f "$dev/virtfn$i")")
		echo igbvf >"/sys/bus/pci/devices/$vf/driver_override"
		echo "$vf" >/sys/bus/pci/drivers_probe
		vfdev=$(wait_pci_netdev "$vf" 10) || { echo "VF $i: no netdev"; bad=1; continue; }
		if [ "$(cat "/sys/class/net/$vfdev/address")" != "$(vf_mac "$i")" ]; then
			echo "VF $i: $vfdev has $(cat "/sys/class/net/$vfdev/address"), PF says $(vf_mac "$i")"
			bad=1
		fi
	done
	return $bad
}
ktap_result "igbvf binds all $NVF VFs, each with the MAC the PF gave it" bind_all
if dmesg | grep -q "PF still in reset state\|random MAC\|Invalid MAC"; then
	ktap_fail "igbvf reported no PF MAC"
	dmesg | grep "igbvf" | tail -n 20 | ktap_diag "$(cat)"
else
	ktap_pass "igbvf reported no reset/MAC trouble"
fi

setup_children() {
	local i vf vfdev
	for i in $(seq 0 $((NVF - 1))); do
		vf=$(basename "$(readlink -f "$dev/virtfn$i")")
		vfdev=$(pci_netdev "$vf")
		[ -n "$vfdev" ] || return 1
		ip netns add "child$i" || return 1
		defer ip netns del "child$i"
		ip link set "$vfdev" netns "child$i" || return 1
		ip -n "child$i" link set lo up
		ip -n "child$i" link set "$vfdev" up
		ip -n "child$i" addr add "198.18.0.$((10 + i))/24" dev "$vfdev"
	done
}
ktap_result "VF netdevs moved into child namespaces" setup_children

all_carrier() {
	local i vfdev
	for i in $(seq 0 $((NVF - 1))); do
		vfdev=$(ns_ether_dev "child$i")
		wait_carrier "$vfdev" 30 "child$i" || { echo "VF $i: no carrier"; return 1; }
	done
}
ktap_result "carrier on every VF" all_carrier

ping_all() {
	local i bad=0
	for i in $(seq 0 $((NVF - 1))); do
		slowwait 15 ping_ok ext0 "198.18.0.$((10 + i))" ||
			{ echo "VF $i does not answer"; bad=1; }
	done
	return $bad
}
ktap_result "external host pings every VF" ping_all

last=$((NVF - 1))
ktap_result "VF 0 pings VF $last" \
	slowwait 10 ping_ok child0 "198.18.0.$((10 + last))"
# ext_rx: frames the external host received so far
ext_rx() { ip netns exec ext0 cat "/sys/class/net/$SRIOV_EXT0/statistics/rx_packets"; }
vf2vf_internal() {
	local before after
	before=$(ext_rx)
	ip netns exec child0 ping -c 30 -i 0.05 -W 2 -q "198.18.0.$((10 + last))" >/dev/null || return 1
	after=$(ext_rx)
	echo "external host saw $((after - before)) frames during 60 VF-to-VF unicasts"
	[ $((after - before)) -lt 30 ]
}
ktap_result "VF-to-VF unicast is switched inside the NIC (not on the wire)" vf2vf_internal
ktap_result "VF 0 pings the PF" slowwait 10 ping_ok child0 198.18.0.2

# iperf3_vf N: TCP external host -> VF N, then VF N -> external host
iperf3_vf() {
	local ip="198.18.0.$((10 + $1))" port=$((5201 + 2 * $1)) rx tx
	rx=$(iperf3_tcp "child$1" ext0 "$ip" "$NSEC" "$port") ||
		{ echo "ext -> VF $1 failed"; return 1; }
	tx=$(iperf3_tcp ext0 "child$1" 198.18.0.1 "$NSEC" $((port + 1))) ||
		{ echo "VF $1 -> ext failed"; return 1; }
	echo "VF $1: ext -> VF $rx; VF -> ext $tx"
}
for i in $(seq 0 $((NVF - 1))); do
	ktap_result "iperf3 TCP both ways between the external host and VF $i" \
		iperf3_vf "$i"
done

check_stats() {
	local rx
	rx=$(ip -j -s link show "$pf" | jq '.[0].vfinfo_list[0].stats.rx.packets')
	echo "VF 0 rx packets per the PF: $rx"
	[ "${rx:-0}" -gt 1000 ]
}
ktap_result "PF reports VF 0 traffic (ndo_get_vf_stats)" check_stats
ktap_finished
