#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-side: anchor
# bench-timeout: 360
# bench-rounds: yes
#
# TCP throughput of the in-tree stack, iperf3 (6 s, first second omitted):
#   PF:        igb on PF 0 (root netns, 198.18.0.2) <-> external host ext0
#   VF:        igbvf on VF 0 of PF 0 in netns child (198.18.0.10) <-> ext0
#   synthetic: bridge br0 = {PF 0, veth} and the veth's peer in netns
#              child (198.18.0.20): external host -> child
# rx = external host -> us, tx = us -> external host.
. "$SRIOV_TOP/tools/bench/lib.sh"

SECS=${BENCH_TCP_SECS:-6}

# tcp METRIC SETUP SERVER_NS SERVER_IP TAG [iperf3 args]: measure and record.
tcp() {
	local m=$1 setup=$2 v
	shift 2
	if v=$(bench_iperf "$1" "$2" ext0 "$SECS" "${@:3}"); then
		bench_record "$m" "$BENCH_SIDE" "$v" Mbit/s "$setup"
	else
		bench_fail "$m" "$BENCH_SIDE" Mbit/s "$setup" "iperf3 failed"
	fi
}

pf=$(bench_pf_up 0) || bench_abort "PF 0 did not come up"
bench_ext 0 || bench_abort "external host"

# --- PF ---
ip addr add 198.18.0.2/24 dev "$pf"
if slowwait 10 ping_ok ext0 198.18.0.2; then
	tcp pf_tcp_rx_mbps "igb PF" "" 198.18.0.2 pf_rx
	tcp pf_tcp_tx_mbps "igb PF" "" 198.18.0.2 pf_tx -R
else
	bench_fail pf_tcp_rx_mbps "$BENCH_SIDE" Mbit/s "igb PF" "no ping to the PF"
	bench_fail pf_tcp_tx_mbps "$BENCH_SIDE" Mbit/s "igb PF" "no ping to the PF"
fi
ip addr flush dev "$pf"

# --- VF ---
vf_case() {
	bench_vfs_enable 0 1 || return 1
	bench_vf_child "$pf" "$(bench_vf_bdf 0 0)" igbvf || return 1
	bench_vf_tcp vf_tcp "$BENCH_SIDE" "igbvf on igb VF" vf
	ip netns del child
	bench_vfs_disable 0
}
if ! bench_try vf_case; then
	bench_fail vf_tcp_rx_mbps "$BENCH_SIDE" Mbit/s "igbvf on igb VF" "VF setup failed"
	bench_fail vf_tcp_tx_mbps "$BENCH_SIDE" Mbit/s "igbvf on igb VF" "VF setup failed"
fi

# --- synthetic: bridge + veth ---
syn_case() {
	wait_carrier "$pf" 30 || return 1
	bench_ns child || return 1
	bench_veth vh0 child vc0 || return 1
	bench_bridge br0 "$pf" vh0 || return 1
	ip -n child addr add 198.18.0.20/24 dev vc0
	ip -n child link set vc0 up
	slowwait 15 ping_ok ext0 198.18.0.20 || { echo "synthetic: no ping" >&2; return 1; }
	tcp synthetic_tcp_mbps "bridge(igb PF)+veth" child 198.18.0.20 synthetic_rx
}
bench_try syn_case ||
	bench_fail synthetic_tcp_mbps "$BENCH_SIDE" Mbit/s "bridge(igb PF)+veth" "setup failed"
exit 0
