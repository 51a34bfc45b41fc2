#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 300
# lab-only: flaps the wire through QEMU's monitor (set_link)
#
# sriov_pf link handling: administrative down/up, link flaps of the wire
# (QEMU monitor set_link) with and without traffic, autonegotiation restart
# and forced speed through ethtool, MTU changes and rmmod under traffic.
. "$SRIOV_TOP/tests/lib/ktap.sh"

ktap_header
ktap_plan 12

[ -n "${SRIOV_PF0:-}" ] || ktap_bail "no 82576 PF in the lab"
require_cmd iperf3
PF_IP=198.18.0.2
EXT_IP=198.18.0.1

modprobe sriov_pf || ktap_bail "modprobe sriov_pf"
defer rmmod sriov_pf
pf=$(wait_pci_netdev "$SRIOV_PF0" 10) || ktap_bail "no PF netdev"
ip link set "$pf" up
ip addr add $PF_IP/24 dev "$pf"
ext_ns_setup 0 || ktap_bail "external host"
ext=$SRIOV_EXT0
ktap_result "PF carrier up" wait_carrier "$pf" 20
slowwait 10 ping_ok ext0 $PF_IP

no_carrier() { ! __carrier "$1"; }

admin_down_up() {
	ip link set "$pf" down || return 1
	[ "$(cat "/sys/class/net/$pf/operstate")" = down ] || { echo "still up"; return 1; }
	ip link set "$pf" up || return 1
	wait_carrier "$pf" 10 || { echo "no carrier after up"; return 1; }
	slowwait 10 ping_ok ext0 $PF_IP
}
ktap_result "ip link set down/up, traffic resumes" admin_down_up

# background ping flood from the external host, stopped by the caller
flood_start() {
	ip netns exec ext0 ping -f -q $PF_IP >/dev/null 2>&1 &
	flood=$!
}
flood_stop() { kill "$flood" 2>/dev/null; wait "$flood" 2>/dev/null; }

admin_flaps_traffic() {
	local i
	flood_start
	for i in 1 2 3 4 5; do
		ip link set "$pf" down && ip link set "$pf" up || { flood_stop; return 1; }
		sleep 0.3
	done
	flood_stop
	wait_carrier "$pf" 10 && slowwait 10 ping_ok ext0 $PF_IP
}
ktap_result "5 down/up cycles under a ping flood" admin_flaps_traffic

wire_flap() {
	# the monitor channel is the harness's own (tools/vm/run)
	"$LAB_MON" "set_link pf0 off" >/dev/null || { echo "QEMU monitor channel did not answer"; return 1; }
	busywait 5000 no_carrier "$pf" || { echo "carrier stayed up"; return 1; }
	"$LAB_MON" "set_link pf0 on" >/dev/null || return 1
	wait_carrier "$pf" 10 || { echo "carrier did not return"; return 1; }
	slowwait 10 ping_ok ext0 $PF_IP
}
ktap_result "wire link off/on (set_link): carrier follows, traffic resumes" wire_flap

wire_flaps_traffic() {
	local i
	ip netns exec ext0 iperf3 -s -1 -D -p 5202 || return 1
	sleep 0.5
	timeout 30 iperf3 -c $EXT_IP -p 5202 -t 8 >/dev/null 2>&1 &
	local ip3=$!
	flood_start
	for i in 1 2 3 4 5; do
		"$LAB_MON" "set_link pf0 off" >/dev/null || break
		sleep 0.4
		"$LAB_MON" "set_link pf0 on" >/dev/null || break
		sleep 0.8
	done
	flood_stop
	wait "$ip3"
	ip netns exec ext0 pkill -x iperf3
	wait_carrier "$pf" 10 && slowwait 10 ping_ok ext0 $PF_IP
}
ktap_result "5 wire link flaps under TCP + ping flood" wire_flaps_traffic

nway() {
	ethtool -r "$pf" || return 1
	wait_carrier "$pf" 10 && slowwait 10 ping_ok ext0 $PF_IP
}
ktap_result "ethtool -r restarts autonegotiation, link returns" nway

speed_of() { ethtool "$pf" | awk '/Speed:/ { print $2 }'; }
forced_speed() {
	local s
	ethtool -s "$pf" autoneg off speed 100 duplex full || return 1
	slowwait 5 sh -c "ethtool $pf | grep -q 'Speed: 100Mb/s'"
	s=$(speed_of)
	ethtool "$pf" | grep -q "Auto-negotiation: off" || { echo "autoneg still on"; return 1; }
	ethtool -s "$pf" autoneg on || return 1
	wait_carrier "$pf" 10
	slowwait 5 sh -c "ethtool $pf | grep -q 'Speed: 1000Mb/s'" || return 1
	echo "forced: $s, autoneg: $(speed_of)"
	[ "$s" = 100Mb/s ]
}
ktap_result "ethtool -s forces 100/full, autoneg returns to 1000" forced_speed
ktap_result "traffic after speed changes" slowwait 10 ping_ok ext0 $PF_IP

mtu_under_traffic() {
	local m
	ip -n ext0 link set "$ext" mtu 9000
	flood_start
	for m in 9000 1500 4000 9000 1500; do
		ip link set "$pf" mtu $m || { flood_stop; return 1; }
		sleep 0.3
	done
	flood_stop
	ip -n ext0 link set "$ext" mtu 1500
	slowwait 10 ping_ok ext0 $PF_IP
}
ktap_result "MTU changes under a ping flood" mtu_under_traffic

rmmod_under_traffic() {
	local t0 t1
	ip netns exec ext0 iperf3 -s -1 -D -p 5203 || return 1
	sleep 0.5
	timeout 30 iperf3 -c $EXT_IP -p 5203 -t 10 >/dev/null 2>&1 &
	local ip3=$!
	flood_start
	sleep 2
	t0=$(date +%s%3N)
	rmmod sriov_pf || { flood_stop; return 1; }
	t1=$(date +%s%3N)
	flood_stop
	# the client's netdev is gone: it cannot end its test with the
	# server, and would wait for timeout's 30 s
	kill "$ip3" 2>/dev/null
	wait "$ip3"
	ip netns exec ext0 pkill -x iperf3
	echo "rmmod took $((t1 - t0)) ms"
	[ ! -e "/sys/bus/pci/devices/$SRIOV_PF0/net" ]
}
ktap_result "rmmod under TCP + ping flood" rmmod_under_traffic

reload() {
	modprobe sriov_pf || return 1
	pf=$(wait_pci_netdev "$SRIOV_PF0" 10) || return 1
	ip link set "$pf" up
	ip addr add $PF_IP/24 dev "$pf"
	wait_carrier "$pf" 20 && slowwait 10 ping_ok ext0 $PF_IP
}
ktap_result "reload after rmmod, traffic works" reload
no_irq_leak() {
	local n
	rmmod sriov_pf || return 1
	n=$(grep -c "$SRIOV_PF0\|$pf-TxRx" /proc/interrupts)
	echo "interrupt lines left: $n"
	[ "$n" = 0 ]
}
ktap_result "rmmod frees every interrupt" no_irq_leak
ktap_finished
