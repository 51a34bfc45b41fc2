#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-side: project
# bench-timeout: 420
# bench-rounds: yes
#
# The project's VF path: sriov_vf on a VF of sriov_pf, measured exactly as
# the anchor's "igbvf on igb VF" in 10-anchor-tcp.sh (iperf3, first second
# omitted, VF 0 in netns child 198.18.0.10 <-> ext0):
#   vf_tcp_rx_mbps, vf_tcp_tx_mbps   project: sriov_vf on sriov_pf
# The PF is handed back to igb afterwards, as 15-project-pf-tcp.sh does.
. "$SRIOV_TOP/tools/bench/lib.sh"

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
bench_vf_child "$pf" "$(bench_vf_bdf 0 0)" sriov_vf 2>"$BENCH_RAW/sriov_vf_child.err" ||
	fail_both "VF setup: $(cat "$BENCH_RAW/sriov_vf_child.err")"
bench_vf_tcp vf_tcp project "$SETUP" sriov_vf
exit 0
