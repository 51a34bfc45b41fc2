#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-side: project
# bench-timeout: 240
# bench-rounds: yes
#
# TCP throughput of the project's PF driver, measured exactly like the
# anchor case 10-anchor-tcp.sh measures igb: sriov_pf on PF 0 (root netns,
# 198.18.0.2) <-> external host ext0, iperf3 6 s with the first second
# omitted; rx = external host -> PF, tx = PF -> external host (-R).
# The PF is taken from whatever driver holds it and handed back afterwards,
# so later anchor cases find igb bound again.
. "$SRIOV_TOP/tools/bench/lib.sh"

SECS=${BENCH_TCP_SECS:-6}
SETUP="sriov_pf PF"
bdf=${SRIOV_PF0:-}
[ -n "$bdf" ] || bench_abort "no PF 0 in the lab"
sys=/sys/bus/pci/devices/$bdf

# hand the PF back: unbind sriov_pf, let the kernel probe the other drivers
give_back() {
	[ -e "$sys/driver" ] && [ "$(basename "$(readlink "$sys/driver")")" = sriov_pf ] &&
		echo "$bdf" >/sys/bus/pci/drivers/sriov_pf/unbind
	echo "$bdf" >/sys/bus/pci/drivers_probe 2>/dev/null
}
defer give_back

take_pf() {
	local drv=
	[ -e "$sys/driver" ] && drv=$(basename "$(readlink "$sys/driver")")
	[ -n "$drv" ] && [ "$drv" != sriov_pf ] && { echo "$bdf" >"/sys/bus/pci/drivers/$drv/unbind" || return 1; }
	modprobe sriov_pf || return 1
	[ -e "$sys/driver" ] || echo "$bdf" >/sys/bus/pci/drivers/sriov_pf/bind || return 1
	[ "$(basename "$(readlink "$sys/driver")")" = sriov_pf ]
}
take_pf || bench_abort "sriov_pf did not bind PF 0"
pf=$(wait_pci_netdev "$bdf" 15) || bench_abort "sriov_pf made no netdev"
ip link set "$pf" up
wait_carrier "$pf" 30 || bench_abort "$pf: no carrier"
bench_ext 0 || bench_abort "external host"

ip addr add 198.18.0.2/24 dev "$pf"
if slowwait 10 ping_ok ext0 198.18.0.2; then
	v=$(bench_iperf "" 198.18.0.2 ext0 "$SECS" pf_rx_project) &&
		bench_record pf_tcp_rx_mbps "$BENCH_SIDE" "$v" Mbit/s "$SETUP" ||
		bench_fail pf_tcp_rx_mbps "$BENCH_SIDE" Mbit/s "$SETUP" "iperf3 failed"
	v=$(bench_iperf "" 198.18.0.2 ext0 "$SECS" pf_tx_project -R) &&
		bench_record pf_tcp_tx_mbps "$BENCH_SIDE" "$v" Mbit/s "$SETUP" ||
		bench_fail pf_tcp_tx_mbps "$BENCH_SIDE" Mbit/s "$SETUP" "iperf3 failed"
else
	bench_fail pf_tcp_rx_mbps "$BENCH_SIDE" Mbit/s "$SETUP" "no ping to the PF"
	bench_fail pf_tcp_tx_mbps "$BENCH_SIDE" Mbit/s "$SETUP" "no ping to the PF"
fi
ip addr flush dev "$pf"
exit 0
