#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-side: project
# bench-timeout: 420
#
# The project's VF path: sriov_vf on a VF of sriov_pf, measured exactly as
# the anchor's "igbvf on igb VF" in 10-anchor-tcp.sh (iperf3, first second
# omitted, VF 0 in netns child 198.18.0.10 <-> ext0):
#   vf_tcp_rx_mbps, vf_tcp_tx_mbps   project: sriov_vf on sriov_pf
# The PF is handed back to igb afterwards, as 15-project-pf-tcp.sh does.
. "$SRIOV_TOP/tools/bench/lib.sh"

SECS=${BENCH_TCP_SECS:-6}
VF_MAC=02:00:5e:10:00:01
SETUP="sriov_vf on sriov_pf VF"
bdf=${SRIOV_PF0:-}
[ -n "$bdf" ] || bench_abort "no PF 0 in the lab"
sys=/sys/bus/pci/devices/$bdf

give_back() {
	[ -e "$sys/driver" ] && echo "$bdf" >"$sys/driver/unbind"
	modprobe igb && echo "$bdf" >/sys/bus/pci/drivers/igb/bind 2>/dev/null
}

fail_both() {
	bench_fail vf_tcp_rx_mbps project Mbit/s "$SETUP" "$1"
	bench_fail vf_tcp_tx_mbps project Mbit/s "$SETUP" "$1"
	exit 0
}

bench_ext 0 || bench_abort "external host"
if [ -e "$sys/driver" ]; then
	echo "$bdf" >"$sys/driver/unbind" || fail_both "could not unbind the PF"
fi
defer give_back
modprobe sriov_pf || fail_both "sriov_pf did not load"
[ -e "$sys/driver" ] || echo "$bdf" >/sys/bus/pci/drivers/sriov_pf/bind
pf=$(wait_pci_netdev "$bdf" 15) || fail_both "sriov_pf created no netdev"
ip link set "$pf" up
wait_carrier "$pf" 30 || fail_both "PF: no carrier"
bench_vfs_enable 0 1 || fail_both "sriov_pf could not enable a VF"
vf=$(bench_vf_bdf 0 0)
ip link set "$pf" vf 0 mac "$VF_MAC" || fail_both "admin MAC refused"
vfdev=$(bench_vf_bind "$vf" sriov_vf) || fail_both "sriov_vf did not bind"
bench_ns child || fail_both "netns"
ip link set "$vfdev" netns child || fail_both "netns move"
ip -n child addr add 198.18.0.10/24 dev "$vfdev"
ip -n child link set "$vfdev" up
wait_carrier "$vfdev" 30 child || fail_both "VF: no carrier"
bench_log "VF IRQ->CPU: $(bench_vf_pin_irqs "$vf")"
slowwait 15 ping_ok ext0 198.18.0.10 || fail_both "VF: no ping"
v=$(bench_iperf child 198.18.0.10 ext0 "$SECS" sriov_vf_rx) &&
	bench_record vf_tcp_rx_mbps project "$v" Mbit/s "$SETUP" ||
	bench_fail vf_tcp_rx_mbps project Mbit/s "$SETUP" "iperf3 failed"
v=$(bench_iperf child 198.18.0.10 ext0 "$SECS" sriov_vf_tx -R) &&
	bench_record vf_tcp_tx_mbps project "$v" Mbit/s "$SETUP" ||
	bench_fail vf_tcp_tx_mbps project Mbit/s "$SETUP" "iperf3 failed"
exit 0
