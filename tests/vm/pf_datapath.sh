#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 300
#
# sriov_pf datapath and ethtool breadth on the QEMU 82576: ping (IPv4/IPv6)
# and iperf3 TCP both directions with the external host, hardware counters
# against what was sent, VLAN strip/insert, unicast filter (RAR) and
# promiscuous mode, MTU 9000, ring resize, register/NVM dump and the
# offline self-test.  The in-tree igb is never loaded.
. "$SRIOV_TOP/tests/lib/ktap.sh"

ktap_header
ktap_plan 24

[ -n "${SRIOV_PF0:-}" ] || ktap_bail "no 82576 PF in the lab"
require_cmd iperf3
require_cmd ethtool

PF_IP=198.18.0.2
EXT_IP=198.18.0.1

# stat NAME: one ethtool -S counter of the PF
stat() { ethtool -S "$pf" | awk -v k="$1:" '$1 == k { print $2 }'; }

bind_pf() {
	modprobe sriov_pf || return 1
	pf=$(wait_pci_netdev "$SRIOV_PF0" 10) || return 1
	[ "$(basename "$(readlink "/sys/bus/pci/devices/$SRIOV_PF0/driver")")" = sriov_pf ]
}
ktap_result "sriov_pf binds the 82576 PF" bind_pf || ktap_bail "no PF netdev"
pf=$(pci_netdev "$SRIOV_PF0")
defer rmmod sriov_pf
ktap_diag "PF $SRIOV_PF0 is $pf"

ip link set "$pf" up
ip addr add $PF_IP/24 dev "$pf"
ip addr add 2001:db8::2/64 dev "$pf" nodad
ktap_result "PF carrier up" wait_carrier "$pf" 20
ext_ns_setup 0 || ktap_bail "external host"
ext=$SRIOV_EXT0

ktap_result "external host pings the PF (IPv4)" slowwait 10 ping_ok ext0 $PF_IP
ktap_result "external host pings the PF (IPv6, needs multicast ND)" \
	slowwait 10 ping_ok ext0 2001:db8::2
ktap_result "PF pings the external host with 1400-byte payloads" \
	ping -c 5 -i 0.2 -s 1400 -W 2 -q $EXT_IP

ktap_result "iperf3 TCP PF -> external host (TX)" iperf3_tcp ext0 "" $EXT_IP 5
ktap_result "iperf3 TCP external host -> PF (RX)" iperf3_tcp "" ext0 $PF_IP 5
ktap_result "iperf3 TCP over IPv6 PF -> external host (TSO6)" \
	iperf3_tcp ext0 "" 2001:db8::1 3

# 50 echo requests of 1042-byte frames (+FCS) each way: the size buckets
# of the hardware counters and the ring counters must move by at least 50
# and (size buckets) by no more than a handful of unrelated frames.
counters_match() {
	local tx0 rx0 tq0 rq0 tx1 rx1 tq1 rq1 dtx drx
	tx0=$(stat tx_size_1024_max); rx0=$(stat rx_size_1024_max)
	tq0=$(stat tx_queue_0_packets); rq0=$(stat rx_queue_0_packets)
	ping -c 50 -i 0.02 -s 1000 -W 2 -q $EXT_IP >/dev/null || return 1
	tx1=$(stat tx_size_1024_max); rx1=$(stat rx_size_1024_max)
	tq1=$(stat tx_queue_0_packets); rq1=$(stat rx_queue_0_packets)
	dtx=$((tx1 - tx0)); drx=$((rx1 - rx0))
	echo "hw tx_size_1024_max +$dtx rx_size_1024_max +$drx;" \
		"ring tx +$((tq1 - tq0)) rx +$((rq1 - rq0))"
	[ $dtx -ge 50 ] && [ $dtx -le 55 ] && [ $drx -ge 50 ] && [ $drx -le 55 ] &&
		[ $((tq1 - tq0)) -ge 50 ] && [ $((rq1 - rq0)) -ge 50 ]
}
ktap_result "ethtool -S counters match 50 pings of 1042-byte frames" counters_match

no_csum_errors() {
	local e
	e=$(stat rx_queue_0_csum_err)
	echo "rx_queue_0_csum_err $e"
	[ "$e" = 0 ]
}
ktap_result "RX checksum offload saw no bad checksums" no_csum_errors

vlan_ping() {
	ip link add link "$pf" name "$pf.10" type vlan id 10 || return 1
	ip link set "$pf.10" up
	ip addr add 198.18.10.2/24 dev "$pf.10"
	ip -n ext0 link add link "$ext" name vl10 type vlan id 10 || return 1
	ip -n ext0 link set vl10 up
	ip -n ext0 addr add 198.18.10.1/24 dev vl10
	ethtool -K "$pf" rxvlan on txvlan on >/dev/null || return 1
	ping -c 3 -i 0.2 -W 2 -q 198.18.10.1 >/dev/null || { echo "offload on"; return 1; }
	iperf3_tcp ext0 "" 198.18.10.1 2 || { echo "TSO over VLAN"; return 1; }
	iperf3_tcp "" ext0 198.18.10.2 2 || { echo "RX over VLAN"; return 1; }
	ethtool -K "$pf" rxvlan off txvlan off >/dev/null || return 1
	ping -c 3 -i 0.2 -W 2 -q 198.18.10.1 >/dev/null || { echo "offload off"; return 1; }
	ethtool -K "$pf" rxvlan on txvlan on >/dev/null
}
ktap_result "VLAN 10: ping and TCP with tag strip/insert, ping with offloads off" vlan_ping
ip link del "$pf.10" 2>/dev/null
ip -n ext0 link del vl10 2>/dev/null

# Unicast filter: a macvlan adds its MAC to the PF's unicast list (RAR).
macvlan_ping() {
	ip link add link "$pf" name mv0 address 02:00:5e:00:00:42 type macvlan \
		mode bridge || return 1
	ip link set mv0 up
	ip addr add 198.18.0.42/24 dev mv0
	ip neigh flush dev "$pf"
	slowwait 10 ping_ok ext0 198.18.0.42
}
ktap_result "secondary unicast address (macvlan) is received" macvlan_ping
ip link del mv0 2>/dev/null

# Frames to a foreign unicast MAC reach the stack only in promiscuous mode.
foreign_rx() {
	local before after
	before=$(stat rx_queue_0_packets)
	ip netns exec ext0 ping -c 20 -i 0.02 -W 1 -q 198.18.0.77 >/dev/null
	after=$(stat rx_queue_0_packets)
	echo $((after - before))
}
promisc_filter() {
	local off on
	ip -n ext0 neigh replace 198.18.0.77 lladdr 02:00:5e:00:00:77 dev "$ext"
	ip link set "$pf" promisc off
	off=$(foreign_rx)
	ip link set "$pf" promisc on
	on=$(foreign_rx)
	ip link set "$pf" promisc off
	echo "foreign-MAC frames received: promisc off $off, promisc on $on"
	[ "$off" -lt 5 ] && [ "$on" -ge 20 ]
}
ktap_result "foreign unicast dropped, received in promiscuous mode" promisc_filter

mtu9000() {
	ip link set "$pf" mtu 9000 || return 1
	ip -n ext0 link set "$ext" mtu 9000 || return 1
	ping -c 3 -i 0.2 -W 2 -s 8972 -M "do" -q $EXT_IP >/dev/null || { echo "PF->ext"; return 1; }
	ip netns exec ext0 ping -c 3 -i 0.2 -W 2 -s 8972 -M "do" -q $PF_IP >/dev/null ||
		{ echo "ext->PF"; return 1; }
}
ktap_result "MTU 9000: 9000-byte frames both directions" mtu9000
ktap_result "MTU 9000: iperf3 TCP external host -> PF" iperf3_tcp "" ext0 $PF_IP 3
ktap_result "MTU 9000: iperf3 TCP PF -> external host" iperf3_tcp ext0 "" $EXT_IP 3
ip link set "$pf" mtu 1500
ip -n ext0 link set "$ext" mtu 1500

drvinfo() {
	ethtool -i "$pf" | grep -qx "driver: sriov_pf" &&
		ethtool -i "$pf" | grep -qx "bus-info: $SRIOV_PF0"
}
ktap_result "ethtool -i names sriov_pf and the PCI function" drvinfo

rings() {
	ethtool -G "$pf" rx 512 tx 1024 || return 1
	ethtool -g "$pf" | awk '/Current/ { c = 1 } c && /^RX:/ { r = $2 } c && /^TX:/ { t = $2 }
		END { exit !(r == 512 && t == 1024) }' || return 1
	slowwait 10 ping_ok "" $EXT_IP || return 1
	ethtool -G "$pf" rx 256 tx 256
}
ktap_result "ethtool -G resizes the rings, traffic continues" rings

channels() { ethtool -l "$pf" | grep -A4 Current | grep -q "Combined:.*1"; }
ktap_result "ethtool -l reports one combined channel" channels

regdump() {
	local n
	n=$(ethtool -d "$pf" raw on | wc -c)
	echo "register dump $n bytes"
	[ "$n" -gt 100 ]
}
ktap_result "ethtool -d dumps registers" regdump

eeprom_mac() {
	local mac
	mac=$(ethtool -e "$pf" raw on length 6 | od -An -tx1 | tr -s ' ' | sed 's/^ //; s/ /:/g')
	echo "NVM MAC $mac"
	[ "$mac" = "$(cat "/sys/class/net/$pf/address")" ]
}
ktap_result "ethtool -e: NVM words 0-2 hold the MAC" eeprom_mac

selftest() {
	local out
	out=$(ethtool -t "$pf" offline)
	echo "$out"
	grep -q "The test result is PASS" <<<"$out"
}
ktap_result "ethtool -t offline passes" selftest
ktap_result "traffic resumes after the self-test" slowwait 15 ping_ok ext0 $PF_IP

ktap_result "rmmod sriov_pf" rmmod sriov_pf
ktap_finished
