#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-side: anchor
# bench-timeout: 420
#
# Failover with bonding active-backup, the classic in-tree construction:
# in netns child, bond0 (active-backup, miimon 100, fail_over_mac none,
# primary = the VF) enslaves igbvf on VF 0 of PF 0 and vc0, one end of a
# veth pair whose other end vh0 sits in bridge br0 with PF 0 (the
# synthetic path).  bond0 has the VF's admin MAC and 198.18.0.10; the
# external host ext0 has a permanent neighbour entry for it.
#
# Streams: 2000 packets/s from ext0 to the child, the switch at 3 s.
#   noswitch   10 s, nothing happens (noswitch_gap_ms of this setup)
#   planned    make vc0 the active slave, then take the VF away, three
#              ways (three setups): (a) give the VF an unused admin MAC
#              (the 82576 stops steering the child's MAC to it) and unbind
#              igbvf; (b) unbind igbvf and clear the VF's admin MAC;
#              (c) sriov_numvfs=0, which igb follows with a PF reset.  Unbinding igbvf alone leaves the MAC filter in
#              place: the child's traffic keeps going to the dead VF.
#   surprise   sriov_numvfs=0 with no preparation
# tcp_survived_pct: iperf3 TCP (10 s) from ext0 to the child across a switch
# at 2 s, alternately the planned failover (vc0 active, VF removed with the
# better of the two removals) and the way back (VF re-added, primary); a
# run survived if iperf3 ended without error and its last second carried
# data.
. "$SRIOV_TOP/tools/bench/lib.sh"

VF_MAC=02:00:5e:10:00:01
SECS=10
AT=3000
TCP_RUNS=${BENCH_TCP_RUNS:-4}
NAME="bonding active-backup (VF + bridge/veth)"

pf=$(bench_pf_up 0) || bench_abort "PF 0 did not come up"
bench_ext 0 || bench_abort "external host"
bench_neigh ext0 "$BENCH_CHILD_IP" "$VF_MAC"
bench_ns child || bench_abort "netns"
bench_veth vh0 child vc0 || bench_abort "veth"
bench_bridge br0 "$pf" vh0 || bench_abort "bridge"
sysfs_pf=/sys/bus/pci/devices/$SRIOV_PF0
echo 0 >"$sysfs_pf/sriov_drivers_autoprobe"
defer bench_vfs_disable 0

active() { ip netns exec child cat /sys/class/net/bond0/bonding/active_slave; }
is_active() { [ "$(active)" = "$1" ]; }

# (Re-)create VF 0 if needed, bind igbvf, put it into the child and the bond.
VFDEV=
add_vf() {
	local vf
	[ -e "$sysfs_pf/virtfn0" ] || { echo 1 >"$sysfs_pf/sriov_numvfs" || return 1; }
	wait_carrier "$pf" 30 || return 1
	vf=$(bench_vf_bdf 0 0)
	ip link set "$pf" vf 0 mac "$VF_MAC" || return 1
	VFDEV=$(bench_vf_bind "$vf") || return 1
	ip link set "$VFDEV" netns child || return 1
	ip -n child link set "$VFDEV" master bond0 || return 1
	ip -n child link set bond0 type bond primary "$VFDEV" || return 1
	slowwait 20 is_active "$VFDEV" || { echo "bond: VF never became active" >&2; return 1; }
	sleep 1
}

# Unbind first: while the admin MAC is set, igb refuses the bond's attempt
# to give the released VF its "own" MAC back; cleared first, igb accepts it
# and steers the child's MAC to the VF again.
remove_unbind_clear() {
	bench_vf_unbind "$(bench_vf_bdf 0 0)"
	ip link set "$pf" vf 0 mac 00:00:00:00:00:00
}
# Or first move the VF's admin MAC to an unused one: the 82576 stops
# steering the child's MAC to the VF at once, and the admin flag stays.
remove_retarget_unbind() {
	ip link set "$pf" vf 0 mac 02:00:5e:10:00:fe
	bench_vf_unbind "$(bench_vf_bdf 0 0)"
}
remove_numvfs() { echo 0 >"$sysfs_pf/sriov_numvfs"; }
to_synthetic() { ip -n child link set bond0 type bond active_slave vc0; }

ip -n child link add bond0 type bond mode active-backup miimon 100 ||
	bench_abort "no bonding"
ip -n child addr add "$BENCH_CHILD_IP/24" dev bond0
ip -n child link set bond0 up
# An empty bond takes the MAC of its first slave: enslave the VF first.
add_vf || bench_abort "VF"
ip -n child link set vc0 master bond0 || bench_abort "enslave vc0"
slowwait 20 is_active "$VFDEV" || bench_abort "VF not active"
bench_log "bond0 $(ip -n child -br link show bond0), active $(active)"

# --- no switch ---
if bench_seq_start bond_noswitch child ext0 "$BENCH_CHILD_IP" $SECS &&
	bench_seq_wait bond_noswitch; then
	bench_record noswitch_gap_ms "$BENCH_SIDE" "$SEQ_GAP_MS" ms "$NAME, no switch"
else
	bench_fail noswitch_gap_ms "$BENCH_SIDE" ms "$NAME, no switch" "stream failed"
fi

# switch_run TAG SETUP LOST_METRIC GAP_METRIC ACTION...
switch_run() {
	local tag=$1 setup=$2 lm=$3 gm=$4
	shift 4
	bench_seq_start "$tag" child ext0 "$BENCH_CHILD_IP" $SECS || return 1
	bench_seq_at $AT
	bench_log "$tag: $*"
	local a
	for a in "$@"; do $a; done
	bench_seq_wait "$tag" || return 1
	bench_log "$tag: active slave now $(active)"
	bench_seq_record "$tag" "$setup" "$lm" "$gm"
}

best_removal=remove_numvfs
best_lost=
declare -A how=([remove_unbind_clear]="igbvf unbind + clear VF admin MAC"
	[remove_retarget_unbind]="VF admin MAC to an unused MAC + igbvf unbind"
	[remove_numvfs]="sriov_numvfs=0")
for rm in remove_retarget_unbind remove_unbind_clear remove_numvfs; do
	setup="$NAME: active_slave vc0, then ${how[$rm]}"
	if switch_run "bond_planned_${rm#remove_}" "$setup" planned_failover_lost \
		planned_failover_blackout_ms to_synthetic $rm; then
		score=$SEQ_LOST
		[ "$SEQ_RECOVERED" = 1 ] || score=$((score + 1000000000))
		if [ -z "$best_lost" ] || [ "$score" -lt "$best_lost" ]; then
			best_lost=$score
			best_removal=$rm
		fi
	else
		bench_fail planned_failover_lost "$BENCH_SIDE" packets "$setup" "stream failed"
	fi
	add_vf || bench_abort "VF re-add failed"
done

setup="$NAME: sriov_numvfs=0, no preparation"
switch_run bond_surprise "$setup" surprise_lost surprise_blackout_ms remove_numvfs ||
	bench_fail surprise_lost "$BENCH_SIDE" packets "$setup" "stream failed"
add_vf || bench_abort "VF re-add failed"

# --- TCP across switches ---
survived=0
runs=0
for ((r = 1; r <= TCP_RUNS; r++)); do
	if is_active "$VFDEV"; then
		dir="to synthetic (${how[$best_removal]})"
		sw() { to_synthetic; $best_removal; }
	else
		dir="back to the VF"
		sw() { add_vf; }
	fi
	# iperf3 in the background, the switch at 2 s.
	(
		v=$(bench_iperf child "$BENCH_CHILD_IP" ext0 10 "bond_tcp$r") || exit 1
		jq -e '.intervals[-1].sum.bytes > 0' "$BENCH_RAW/bond_tcp$r.iperf3.json" >/dev/null
	) &
	ipid=$!
	sleep 3	# server start + connection + 2 s of traffic
	sw
	if wait $ipid; then
		survived=$((survived + 1))
		bench_log "tcp run $r ($dir): survived"
	else
		bench_log "tcp run $r ($dir): connection broke or stalled"
	fi
	runs=$((runs + 1))
done
bench_record tcp_survived_pct "$BENCH_SIDE" $((100 * survived / runs)) % \
	"$NAME: $runs runs, alternately failover and back"
exit 0
