#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 600
#
# The adapter's VLANs follow to its paired VF (sriov_pf + sriov_vf, the
# pair sriovd drives).  The adapter's MAC filter is on the VF's VPort, so
# a frame for the adapter reaches the VF's pool only if the NIC's VLAN
# filter (VLVF) names that pool for the frame's VLAN: the VF must ask for
# the VLAN (SET_VLAN), which it does only when the adapter passes its VLAN
# on.  Checked through sriov_pf's switch dump (vlan-filters-free) and by
# traffic: pings from the external host on VLAN 100 must arrive through
# the VF (the adapter's vf_rx_packets), for a VLAN added while the VF is
# paired and for one that existed before the VF was claimed.
NV_PF_DRIVER=sriov_pf
NV_VF_DRIVER=sriov_vf
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/netvsc_lib.sh"

require_cmd jq
OUT=$SRIOV_OUT
VID=100
PINGS=20
ktap_header
ktap_plan 8

nv_paired_on_vf_vport
vlvf_free() { nv_sriov --do switch-get --json "{\"ifindex\": $NV_PFIFX}" | jq '."vlan-filters-free"'; }

ext_dev=$SRIOV_EXT0
ip -n ext0 link add link "$ext_dev" name ext.$VID type vlan id $VID || ktap_bail "no VLAN in ext0"
ip -n ext0 addr add 198.19.0.1/24 dev ext.$VID
ip -n ext0 link set ext.$VID up

free0=$(vlvf_free)
ktap_diag "VLAN filter entries free before: $free0"
add_vlan() {
	ip -n child0 link add link nv0 name nv0.$VID type vlan id $VID || return 1
	ip -n child0 addr add 198.19.0.10/24 dev nv0.$VID
	ip -n child0 link set nv0.$VID up
}
ktap_result "VLAN $VID on the child's adapter" add_vlan
vlvf_taken() {
	local f
	f=$(vlvf_free)
	echo "VLAN filter entries free: $f (before: $free0)"
	[ "$f" = $((free0 - 1)) ]
}
ktap_result "the paired VF took a VLAN filter entry for VLAN $VID" \
	slowwait 10 vlvf_taken

# pings on the VLAN: every echo request must arrive through the VF
ping_via_vf() {
	local r0 r1
	ip netns exec ext0 ping -c 2 -W 2 198.19.0.10 >/dev/null 2>&1
	r0=$(nv_stat vf_rx_packets)
	ip netns exec ext0 ping -c $PINGS -i 0.1 -W 2 198.19.0.10 >"$OUT/ping.txt" 2>&1
	local rc=$?
	r1=$(nv_stat vf_rx_packets)
	echo "ping: $(grep -o '[0-9]* received' "$OUT/ping.txt"), vf_rx_packets +$((r1 - r0)), data path $(nv_get dp_active)"
	[ $rc = 0 ] && [ $((r1 - r0)) -ge $PINGS ]
}
ktap_result "$PINGS pings on VLAN $VID arrive through the VF" ping_via_vf

# a VLAN that exists before the VF is claimed: the claim passes it on
rebind() {
	nv_vf_unbind
	nv_wait_dp 0 20 || { echo "data path not back on synthetic"; return 1; }
	nv_vf_bind || return 1
	nv_wait_dp 1 40 || { echo "data path not back on the VF"; return 1; }
	nv_filter_to_vf_vport
}
ktap_result "VF unbound and bound again, paired, filter on its VPort" rebind
ktap_result "the VF claimed with VLAN $VID present took its VLAN filter entry" \
	slowwait 10 vlvf_taken
ktap_result "$PINGS pings on VLAN $VID arrive through the re-claimed VF" ping_via_vf

ktap_result "VLAN $VID deleted from the adapter" ip -n child0 link del nv0.$VID
vlvf_back() {
	local f
	f=$(vlvf_free)
	echo "VLAN filter entries free: $f (before: $free0)"
	[ "$f" = "$free0" ]
}
ktap_result "the VF gave the VLAN filter entry back" slowwait 10 vlvf_back
ktap_finished
