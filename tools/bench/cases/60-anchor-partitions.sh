#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-side: anchor
# bench-timeout: 300
#
# partitions_per_pf, anchor side: partitions behind one PF with the in-tree
# tools.  The in-tree way to put many partitions behind an 82576 without a
# VF each is a Linux bridge holding the igb PF and one veth per partition;
# the bridge's FDB has no fixed limit (fdb_max_learned 0), so the figure is
# how many of BENCH_PARTITIONS (64, as on the project side) partitions,
# each in its own netns with its own MAC and address, answer a ping from
# the external host.
. "$SRIOV_TOP/tools/bench/lib.sh"

N=${BENCH_PARTITIONS:-64}
SETUP="in-tree: igb PF + Linux bridge + veth per netns, $N partitions"

fail() { bench_fail partitions_per_pf anchor count "$SETUP" "$1"; exit 0; }

ip_of() { echo "198.18.0.$((100 + $1))"; }
mac_of() { printf '02:00:5e:31:%02x:%02x\n' $(($1 / 256)) $(($1 % 256)); }

pf=$(bench_pf_up 0) || fail "PF 0 did not come up"
bench_ext 0 || bench_abort "external host"
bench_bridge brp "$pf" || fail "bridge"
t0=$SECONDS
for ((i = 1; i <= N; i++)); do
	bench_ns "p$i" || fail "netns p$i"
	bench_veth "vp$i" "p$i" nv0 || fail "veth for p$i"
	ip link set "vp$i" master brp && ip link set "vp$i" up || fail "p$i on the bridge"
	ip -n "p$i" link set nv0 address "$(mac_of $i)" &&
		ip -n "p$i" addr add "$(ip_of $i)/24" dev nv0 &&
		ip -n "p$i" link set nv0 up || fail "p$i's adapter"
done
bench_log "$N partitions on the bridge in $((SECONDS - t0)) s"
reached=0
for ((i = 1; i <= N; i++)); do
	if slowwait 10 ping_ok ext0 "$(ip_of $i)"; then
		reached=$((reached + 1))
	else
		bench_log "ext0 does not reach p$i"
	fi
done
bench_record partitions_per_pf anchor "$reached" count "$SETUP"
exit 0
