#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-side: anchor
# bench-timeout: 240
#
# Migration of a child from NIC 0 to NIC 1 with in-tree tools.  The lab's
# two hubs are separate wires; to make them one L2 network, both external
# host NICs (SRIOV_EXT0 on hub 0, SRIOV_EXT1 on hub 1) go into one netns
# "world" and are bridged there (wbr, 198.18.0.1/24): the world reaches the
# child through either 82576.  The child (netns child, 198.18.0.10 on vc0)
# hangs on the synthetic path: veth vc0/vh0, vh0 in br0 with PF 0; PF 1 is
# in br1.
#
# The migration: `ip link set vh0 master br1` under a 2000 packets/s stream
# from the world to the child, then the child announces itself with one
# ping to 198.18.0.1 (the world's bridge learns the child's MAC on the hub-1
# port from it; without that it would keep sending to hub 0 until its FDB
# entry ages out, 300 s).  migration_blackout_ms is the stream's longest
# gap; a 10 s stream on the same path without a move gives the floor.
. "$SRIOV_TOP/tools/bench/lib.sh"

SECS=10
SETUP="bridge+veth: veth moved from br0 (PF 0) to br1 (PF 1), child pings"

[ -n "${SRIOV_EXT1:-}" ] && [ -n "${SRIOV_PF1:-}" ] || bench_abort "needs --nics 2"
pf0=$(bench_pf_up 0) || bench_abort "PF 0 did not come up"
pf1=$(bench_pf_up 1) || bench_abort "PF 1 did not come up"

bench_world || bench_abort "the world netns"

bench_ns child || bench_abort "netns"
bench_veth vh0 child vc0 || bench_abort "veth"
bench_bridge br0 "$pf0" vh0 || bench_abort "br0"
bench_bridge br1 "$pf1" || bench_abort "br1"
ip -n child addr add "$BENCH_CHILD_IP/24" dev vc0
ip -n child link set vc0 up
MAC=$(ip netns exec child cat /sys/class/net/vc0/address)
slowwait 20 ping_ok world "$BENCH_CHILD_IP" || bench_abort "world cannot reach the child"
bench_neigh world "$BENCH_CHILD_IP" "$MAC" wbr

if bench_seq_start mig_noswitch child world "$BENCH_CHILD_IP" $SECS &&
	bench_seq_wait mig_noswitch; then
	bench_record noswitch_gap_ms "$BENCH_SIDE" "$SEQ_GAP_MS" ms "bridge(igb PF)+veth, no switch"
else
	bench_fail noswitch_gap_ms "$BENCH_SIDE" ms "bridge(igb PF)+veth, no switch" "stream failed"
fi

migrate() {
	local t0 t1 t2
	t0=$(bench_us)
	ip link set vh0 master br1
	t1=$(bench_us)
	ip netns exec child ping -c 1 -W 1 -q "$BENCH_EXT_IP" >/dev/null
	t2=$(bench_us)
	bench_log "veth moved in $(((t1 - t0) / 1000)) ms, announce ping done $(((t2 - t1) / 1000)) ms later"
}
rx1() { cat "/sys/class/net/$pf1/statistics/rx_packets"; }
rx_before=$(rx1)
bench_migration_run migration "$SETUP" migrate child &&
	bench_log "PF 1 received $(($(rx1) - rx_before)) packets during the run (the path moved)"
exit 0
