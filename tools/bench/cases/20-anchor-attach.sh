#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-side: anchor
# bench-timeout: 300
#
# attach_ms with the in-tree tools, and the no-switch floor on the VF path.
#
# attach_ms: the time from "the VF exists, unbound, no admin MAC" to "the
# child receives traffic through it".  Before the clock starts: VF 0 of PF 0
# exists (sriov_numvfs=1, driver autoprobe off), netns child exists with a
# UDP socket waiting in it (first-packet.py), and the external host already
# sends a 2000 packets/s sequenced stream to the child's address
# 198.18.0.10, with a permanent neighbour entry for the VF's MAC (so no ARP
# timer is measured).  Timed steps, as an administrator would type them:
#   ip link set PF vf 0 mac M; driver_override=igbvf + drivers_probe (wait
#   for the netdev); ip link set VF netns child; address; link up
# and the clock stops when the first datagram reaches the socket in the
# child.  Median of BENCH_ATTACH_RUNS (3) runs; every run is in
# $BENCH_RAW/attach.json.
#
# noswitch_gap_ms: longest gap of a 10 s stream to the VF in the child.
. "$SRIOV_TOP/tools/bench/lib.sh"

RUNS=${BENCH_ATTACH_RUNS:-3}
VF_MAC=02:00:5e:10:00:01
SETUP="in-tree: ip link vf mac + igbvf bind + netns + addr + up"
PORT=9001

pf=$(bench_pf_up 0) || bench_abort "PF 0 did not come up"
bench_ext 0 || bench_abort "external host"
bench_neigh ext0 "$BENCH_CHILD_IP" "$VF_MAC"
bench_ns child || bench_abort "netns"

# One run; prints a JSON object with the step times (ms from t0).
attach_once() {
	local vf vfdev t0 t_mac t_dev t_ns t_up first spid rpid ready=$BENCH_RAW/attach.ready
	local out=$BENCH_RAW/attach.first
	rm -f "$ready" "$out"
	wait_carrier "$pf" 30 || return 1
	vf=$(bench_vf_bdf 0 0)
	ip netns exec child /usr/bin/python3 "$SRIOV_TOP/tools/bench/first-packet.py" \
		$PORT "$ready" 60 >"$out" &
	rpid=$!
	busywait 30000 test -e "$ready" || { kill $rpid; return 1; }
	ip netns exec ext0 $BENCH_RT "$SEQUDP" send --dst "$BENCH_CHILD_IP" --port $PORT \
		--rate "$BENCH_RATE" --seconds 60 >/dev/null 2>&1 &
	spid=$!
	sleep 0.5

	t0=$(bench_us)
	ip link set "$pf" vf 0 mac "$VF_MAC"
	t_mac=$(bench_us)
	vfdev=$(bench_vf_bind "$vf") || { kill $spid $rpid; return 1; }
	t_dev=$(bench_us)
	ip link set "$vfdev" netns child
	t_ns=$(bench_us)
	ip -n child addr add "$BENCH_CHILD_IP/24" dev "$vfdev"
	ip -n child link set "$vfdev" up
	t_up=$(bench_us)
	wait $rpid
	kill $spid 2>/dev/null
	wait $spid 2>/dev/null
	first=$(cat "$out")
	[ -n "$first" ] || { echo "no datagram reached the child within 60 s" >&2; return 1; }
	jq -cn --argjson mac $(((t_mac - t0) / 1000)) --argjson dev $(((t_dev - t0) / 1000)) \
		--argjson ns $(((t_ns - t0) / 1000)) --argjson up $(((t_up - t0) / 1000)) \
		--argjson first $(((first - t0) / 1000)) \
		'{admin_mac_set: $mac, igbvf_netdev: $dev, in_netns: $ns, addr_and_up: $up,
		  first_datagram: $first}'
}

: >"$BENCH_RAW/attach.jsonl"
for ((r = 1; r <= RUNS; r++)); do
	bench_vfs_enable 0 1 || bench_abort "cannot enable a VF"
	if j=$(attach_once); then
		echo "$j" >>"$BENCH_RAW/attach.jsonl"
		bench_log "attach run $r: $j"
	else
		bench_log "attach run $r failed"
	fi
	[ $r -lt $RUNS ] && bench_vfs_disable 0
done
n=$(wc -l <"$BENCH_RAW/attach.jsonl")
if [ "$n" -gt 0 ]; then
	med=$(jq -s 'map(.first_datagram) | sort | .[(length - 1) / 2 | floor]' \
		"$BENCH_RAW/attach.jsonl")
	bench_record attach_ms "$BENCH_SIDE" "$med" ms "$SETUP (median of $n)"
else
	bench_fail attach_ms "$BENCH_SIDE" ms "$SETUP" "no attach run reached the child"
fi

# The VF of the last run is in the child: the no-switch floor on it.
vfdev=$(ns_ether_dev child)
if [ -n "$vfdev" ] && bench_seq_start noswitch_vf child ext0 "$BENCH_CHILD_IP" 10 &&
	bench_seq_wait noswitch_vf; then
	bench_record noswitch_gap_ms "$BENCH_SIDE" "$SEQ_GAP_MS" ms "igbvf on igb VF, no switch"
	bench_log "no-switch stream on the VF lost $SEQ_LOST"
else
	bench_fail noswitch_gap_ms "$BENCH_SIDE" ms "igbvf on igb VF, no switch" "stream failed"
fi
exit 0
