#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 600
#
# PF/VF isolation on sriov_pf with sriov_vf VFs in their own namespaces:
#  - spoof checking is on for every VF by default (ip link show);
#  - a VF sending frames with another source MAC (AF_PACKET): none reach
#    the external host, the VF counts them (ethtool -S, ip -s link
#    tx_dropped); "spoofchk off" reaches the VF driver and lets them
#    through, "spoofchk on" stops them again.  QEMU's igb does not enforce
#    DTXSWC: sriov_vf enforces what the PF tells it;
#  - a tagged frame of a VLAN the PF did not give the VF is dropped, one of
#    its own VLAN passes;
#  - a VF can add at most vf_vlan_quota VLANs (default 8), the PF NACKs the
#    rest and says so; the last free VLAN filters stay for the PF and port
#    VLANs even with the quota at its maximum;
#  - a port VLAN removes the VLAN filters the VF added itself: its old VLAN
#    stops receiving, also after the port VLAN is cleared, until it adds
#    the VLAN again;
#  - PCI remove of the PF, and rmmod sriov_pf, while sriov_vf VFs sit in
#    namespaces (one enslaved to a bridge) and carry traffic: bounded, the
#    VF netdevs go, no kernel report.
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/pf2_lib.sh"

require_cmd ethtool
require_cmd jq
ktap_header
ktap_plan 14

SEC=(/usr/bin/python3 "$SRIOV_TOP/tests/vm/sec_pkt.py")
QUOTA=/sys/module/sriov_pf/parameters/vf_vlan_quota
W=$SRIOV_OUT/pf2_isolation
mkdir -p "$W"

pf2_load_pf
pf2_pf_up 198.18.0.2/24
ext_ns_setup 0 || ktap_bail "external host"
ext=$SRIOV_EXT0
ext_mac=$(ip -n ext0 -j link show "$ext" | jq -r '.[0].address')
pf2_enable_vfs 3
mac0=$(pf2_vf_mac 0)
mac1=$(pf2_vf_mac 1)
dmesg_mark=$(dmesg | wc -l)

spoof_default() {
	local n
	ip link show "$pf" | grep "vf [0-9]"
	n=$(ip link show "$pf" | grep -c "spoof checking on")
	[ "$n" = 3 ]
}
ktap_result "spoof checking on for all 3 VFs by default" spoof_default

ktap_result "VF 0 and VF 1 (sriov_vf) up in namespaces and reachable" \
	pf2_bind_vfs 0:sriov_vf:child0:198.18.0.10/24 1:sriov_vf:child1:198.18.0.11/24 ||
	ktap_bail "VF setup"
defer ip netns del child0
defer ip netns del child1
vf0=$(ns_ether_dev child0)
vf1=$(ns_ether_dev child1)

# every marked frame that reaches the external host (any of its netdevs)
ip -n ext0 link add link "$ext" name vl300 type vlan id 300
ip -n ext0 link add link "$ext" name vl301 type vlan id 301
ip -n ext0 link set vl300 up
ip -n ext0 link set vl301 up
ip -n ext0 addr add 198.18.31.1/24 dev vl301
: >"$W/seen"
ip netns exec ext0 "${SEC[@]}" watch --out "$W/seen" --ready "$W/ready" &
watcher=$!
defer kill "$watcher"
slowwait 10 test -e "$W/ready" || ktap_bail "frame watcher does not start"
seen() { grep -c -- "^mark $1 " "$W/seen"; }

# vstat NS DEV KEY: one ethtool -S counter of a VF
vstat() { ip netns exec "$1" ethtool -S "$2" | awk -v k="$3:" '$1 == k { print $2 }'; }
txdrop() { ip -n "$1" -j -s link show "$2" | jq '.[0].stats64.tx.dropped'; }

# vsend NS DEV SRC DST VID TAG [COUNT]: 802.1Q-tagged marked frames
vsend() {
	ip netns exec "$1" /usr/bin/python3 - "$2" "$3" "$4" "$5" "$6" "${7:-20}" <<'EOF'
import socket, struct, sys, time
dev, src, dst, vid, tag, n = sys.argv[1:4] + [int(sys.argv[4]), sys.argv[5], int(sys.argv[6])]
mac = lambda s: bytes.fromhex(s.replace(":", ""))
f = mac(dst) + mac(src) + struct.pack("!HHH", 0x8100, vid, 0x88B5) + b"SECPKT " + tag.encode()
f += b"\0" * max(0, 64 - len(f))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((dev, 0))
for _ in range(n):
    s.send(f)
    time.sleep(0.02)
EOF
}

mac_spoof() {
	local d0 t0 d1 t1 own spoofed
	d0=$(vstat child0 "$vf0" tx_spoof_mac_dropped)
	t0=$(txdrop child0 "$vf0")
	ip netns exec child0 "${SEC[@]}" send "$vf0" --src "$mac0" --dst "$ext_mac" --tag own0 || return 1
	ip netns exec child0 "${SEC[@]}" send "$vf0" --src "$mac1" --dst "$ext_mac" --tag spoof1 || return 1
	ip netns exec child0 "${SEC[@]}" send "$vf0" --src "$mac1" --dst ff:ff:ff:ff:ff:ff --tag spoof1 || return 1
	sleep 1
	d1=$(vstat child0 "$vf0" tx_spoof_mac_dropped)
	t1=$(txdrop child0 "$vf0")
	own=$(seen own0)
	spoofed=$(seen spoof1)
	echo "external host: $own of 20 own frames, $spoofed of 40 with VF 1's MAC; VF 0 tx_spoof_mac_dropped +$((d1 - d0)), tx_dropped +$((t1 - t0))"
	[ "$own" -gt 0 ] && [ "$spoofed" = 0 ] && [ $((d1 - d0)) -ge 40 ] &&
		[ $((t1 - t0)) -ge 40 ]
}
ktap_result "VF 0 sends with VF 1's source MAC: dropped and counted, its own pass" mac_spoof

spoof_probe() {	# TAG: 3 frames with VF 1's MAC from VF 0; 0 if one arrived
	ip netns exec child0 "${SEC[@]}" send "$vf0" --src "$mac1" --dst "$ext_mac" --tag "$1" --count 3 >/dev/null
	sleep 0.5
	[ "$(seen "$1")" -gt 0 ]
}
spoofchk_toggle() {
	local d n
	ip link set "$pf" vf 0 spoofchk off || return 1
	ip link show "$pf" | grep -q "vf 0 .*spoof checking off" || return 1
	slowwait 15 spoof_probe off || { echo "spoofchk off never reached VF 0"; return 1; }
	echo "spoofchk off: VF 0's frames with VF 1's MAC reach the external host ($(seen off))"
	ip link set "$pf" vf 0 spoofchk on || return 1
	d=$(vstat child0 "$vf0" tx_spoof_mac_dropped)
	# the VF learns it through the mailbox: wait for its first drop
	slowwait 15 eval "spoof_probe on1; [ \$(vstat child0 $vf0 tx_spoof_mac_dropped) -gt $d ]" ||
		{ echo "spoofchk on never reached VF 0"; return 1; }
	ip netns exec child0 "${SEC[@]}" send "$vf0" --src "$mac1" --dst "$ext_mac" --tag on2 >/dev/null
	sleep 1
	n=$(seen on2)
	echo "spoofchk on again: $n of 20 frames with VF 1's MAC arrive"
	[ "$n" = 0 ]
}
ktap_result "spoofchk off/on reaches the VF driver: spoofed frames pass, then stop" spoofchk_toggle

# Tagged frames from a VF under a port VLAN (the administrator owns its
# VLAN: every tag but 0 is foreign) are dropped; without a port VLAN its
# own VLAN passes.  The lab's check does not judge tags without a port
# VLAN (the VF is not told the VLANs of its VPort; silicon checks them).
vlan_spoof() {
	local d0 d1 own foreign
	ip -n child0 link add link "$vf0" name vl301 type vlan id 301 || return 1
	ip -n child0 link set vl301 up
	ip -n child0 addr add 198.18.31.10/24 dev vl301
	vsend child0 "$vf0" "$mac0" "$ext_mac" 301 vown || return 1
	sleep 1
	own=$(seen vown)
	ip link set "$pf" vf 0 vlan 600 || return 1
	d0=$(vstat child0 "$vf0" tx_spoof_vlan_dropped)
	# the VF learns it through the mailbox: wait for its first drop
	slowwait 15 eval "vsend child0 $vf0 $mac0 $ext_mac 300 vprobe 1; [ \$(vstat child0 $vf0 tx_spoof_vlan_dropped) -gt $d0 ]" ||
		{ echo "the port VLAN never reached VF 0"; ip link set "$pf" vf 0 vlan 0; return 1; }
	d0=$(vstat child0 "$vf0" tx_spoof_vlan_dropped)
	vsend child0 "$vf0" "$mac0" "$ext_mac" 300 vforeign || return 1
	sleep 1
	d1=$(vstat child0 "$vf0" tx_spoof_vlan_dropped)
	foreign=$(seen vforeign)
	# back as before: no port VLAN, VLAN 301 added again (clearing a port
	# VLAN gives the VF none of its VLANs back)
	ip link set "$pf" vf 0 vlan 0 || return 1
	ip -n child0 link del vl301
	ip -n child0 link add link "$vf0" name vl301 type vlan id 301 || return 1
	ip -n child0 link set vl301 up
	ip -n child0 addr add 198.18.31.10/24 dev vl301
	echo "external host: $own of 20 frames of VF 0's VLAN 301; under port VLAN 600 $foreign of 20 of VLAN 300, tx_spoof_vlan_dropped +$((d1 - d0))"
	[ "$own" -gt 0 ] && [ "$foreign" = 0 ] && [ $((d1 - d0)) -ge 20 ]
}
ktap_result "VF 0 under a port VLAN sends tagged frames: dropped; without one its own VLAN passes" vlan_spoof

# vlans NS DEV FIRST LAST: add VLANs FIRST..LAST on DEV; prints how many
# the VF driver (the PF) accepted
vlans() {
	local i ok=0
	for ((i = $3; i <= $4; i++)); do
		ip -n "$1" link add link "$2" name "q$i" type vlan id "$i" 2>/dev/null &&
			ok=$((ok + 1))
	done
	echo "$ok"
}
vlans_del() {
	local i
	for ((i = $3; i <= $4; i++)); do ip -n "$1" link del "q$i" 2>/dev/null; done
}

quota() {
	local ok q
	q=$(cat "$QUOTA")
	ok=$(vlans child1 "$vf1" 400 415)
	echo "vf_vlan_quota $q: VF 1 got $ok of 16 VLANs"
	dmesg | tail -n +"$dmesg_mark" | grep "VLAN filter quota" | tail -n 2
	[ "$q" = 8 ] && [ "$ok" = 8 ] &&
		dmesg | tail -n +"$dmesg_mark" | grep -q "VF 1: VLAN 408 refused: VLAN filter quota"
}
ktap_result "VF 1 adds 16 VLANs: the PF takes 8 (vf_vlan_quota) and logs the refusal" quota

quota_param() {
	if echo 28 >"$QUOTA" 2>/dev/null; then
		echo "vf_vlan_quota took 28 (maximum is 27)"
		echo 8 >"$QUOTA"
		return 1
	fi
	echo 27 >"$QUOTA" || return 1
	echo "vf_vlan_quota: 28 refused, 27 taken"
}
ktap_result "vf_vlan_quota accepts at most 27" quota_param

# with the quota at 27, VF 1 takes what VFs may take: the last 4 free VLAN
# filters are not theirs; the PF and a port VLAN still get one
reserve() {
	local ok free pfok=0 pvok=0 vf0ok=0
	ok=$(vlans child1 "$vf1" 416 440)
	free=$(sriov --do switch-get --json "{\"ifindex\": $ifindex}" | jq '."vlan-filters-free"')
	echo "VF 1 got $ok more VLANs; VLAN filters free: $free"
	ip link add link "$pf" name "$pf.500" type vlan id 500 && pfok=1
	ip link set "$pf" vf 2 vlan 501 && pvok=1
	ip -n child0 link add link "$vf0" name q302 type vlan id 302 2>/dev/null && vf0ok=1
	echo "then the PF adds VLAN 500: $pfok; port VLAN 501 on VF 2: $pvok; VF 0 adds VLAN 302: $vf0ok"
	ip link del "$pf.500" 2>/dev/null
	ip link set "$pf" vf 2 vlan 0
	ip -n child0 link del q302 2>/dev/null
	vlans_del child1 "$vf1" 400 440
	echo 8 >"$QUOTA"
	[ "$free" = 4 ] && [ "$pfok" = 1 ] && [ "$pvok" = 1 ] && [ "$vf0ok" = 0 ]
}
pf2_need_ynl
ktap_result "VFs leave 4 VLAN filters free: the PF and a port VLAN still get one" reserve

pool_rx() { ip -j -s link show "$pf" | jq ".[0].vfinfo_list[$1].stats.rx.packets"; }
# blast301: 100 ICMP echo requests of VLAN 301 to VF 0's MAC; prints how
# many VF 0's pool received
blast301() {
	local before after
	before=$(pool_rx 0)
	ip -n ext0 neigh replace 198.18.31.10 lladdr "$mac0" dev vl301 nud permanent
	ip netns exec ext0 ping -c 100 -i 0.02 -W 1 -q 198.18.31.10 >/dev/null 2>&1
	after=$(pool_rx 0)
	echo $((after - before))
}
vlan_before() {
	local n
	slowwait 15 ping_ok ext0 198.18.31.10 || { echo "VLAN 301 to VF 0 does not work"; return 1; }
	n=$(blast301)
	echo "VF 0's pool received $n of 100 VLAN 301 frames"
	[ "$n" -ge 100 ]
}
ktap_result "VF 0 receives its own VLAN 301" vlan_before

port_vlan_clears() {
	local n1 n2
	ip link set "$pf" vf 0 vlan 600 || return 1
	n1=$(blast301)
	ip link set "$pf" vf 0 vlan 0 || return 1
	sleep 2
	n2=$(blast301)
	echo "VF 0's pool received $n1 of 100 VLAN 301 frames with port VLAN 600, $n2 after it was cleared"
	[ "$n1" -lt 20 ] && [ "$n2" -lt 20 ]
}
ktap_result "port VLAN on VF 0 removes its VLAN 301 filter, also after it is cleared" port_vlan_clears

vlan_readd() {
	ip -n ext0 neigh del 198.18.31.10 dev vl301 2>/dev/null
	ip -n child0 link del vl301 || return 1
	ip -n child0 link add link "$vf0" name vl301 type vlan id 301 || return 1
	ip -n child0 link set vl301 up
	ip -n child0 addr add 198.18.31.10/24 dev vl301
	slowwait 15 ping_ok ext0 198.18.31.10
}
ktap_result "VF 0 adds VLAN 301 again: it receives it again" vlan_readd

# ---- the PF goes while the VFs are in use ----
ip -n child0 link add br0 type bridge
ip -n child0 link set br0 up
ip -n child0 link set "$vf0" master br0
ip netns exec child1 ping -q -i 0.05 -w 120 198.18.0.1 >/dev/null 2>&1 &
pinger=$!

pci_remove() {
	local t0=$SECONDS
	timeout 60 sh -c "echo 1 > /sys/bus/pci/devices/$SRIOV_PF0/remove" ||
		{ echo "remove did not return within 60 s"; return 1; }
	echo "PCI remove of the PF with 3 VFs (2 bound, in namespaces, one in a bridge) took $((SECONDS - t0)) s"
	[ ! -e "/sys/bus/pci/devices/$SRIOV_PF0" ] || return 1
	[ -z "$(ip -n child0 -br link show master br0)" ] &&
		[ -z "$(ns_ether_dev child1)" ]
}
ktap_result "PCI remove of the PF while its VFs are in use: bounded, VF netdevs gone" pci_remove
kill "$pinger" 2>/dev/null
wait "$pinger" 2>/dev/null

rescan_rmmod() {
	local t0
	echo 1 >/sys/bus/pci/rescan
	pf=$(wait_pci_netdev "$SRIOV_PF0" 20) || { echo "PF not back after rescan"; return 1; }
	ifindex=$(cat "/sys/class/net/$pf/ifindex")
	ip link set "$pf" up
	wait_carrier "$pf" 20 || return 1
	echo 0 >"$dev/sriov_drivers_autoprobe"
	echo 2 >"$dev/sriov_numvfs" || return 1
	pf2_bind_vf 0 sriov_vf child2 198.18.0.12/24 || return 1
	slowwait 15 ping_ok ext0 198.18.0.12 || { echo "VF 0 unreachable after rescan"; return 1; }
	ip netns exec child2 ping -q -i 0.05 -w 60 198.18.0.1 >/dev/null 2>&1 &
	t0=$SECONDS
	timeout 60 rmmod sriov_pf || { echo "rmmod failed or hung"; return 1; }
	echo "rmmod sriov_pf with VF 0 bound in a namespace took $((SECONDS - t0)) s"
	[ -z "$(ns_ether_dev child2)" ]
}
ktap_result "rescan, 2 VFs, one in a namespace; rmmod sriov_pf: bounded, VF netdev gone" rescan_rmmod
defer ip netns del child2
modprobe sriov_pf

dmesg_clean() {
	dmesg | tail -n +"$dmesg_mark" | grep -E "refused|spoof|policy" | tail -n 6
	! dmesg | tail -n +"$dmesg_mark" |
		grep -E "WARNING:|BUG:|Oops|KASAN|lockdep|circular locking|unreferenced object|general protection"
}
ktap_result "no WARN/BUG/KASAN/lockdep report" dmesg_clean
ktap_finished
