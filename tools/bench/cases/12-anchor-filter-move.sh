#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-side: anchor
# bench-timeout: 300
#
# filter_move_lost, anchor side.  The in-tree igb has no MAC filter that
# can be moved between VPorts; the one thing an administrator can do with
# it to move a MAC between the PF's pool and a VF is to change the VF's
# administrative MAC (ip link set PF vf 0 mac M: the 82576 steers M to the
# VF; mac UNUSED: it no longer does, and the PF, in promiscuous mode as a
# bridge port, takes M).  Measured as 18-project-filter-move.sh
# (tests/vm/pf2_filter_move.sh) measures sriov_pf's filter move: a 2000
# datagrams/s sequenced UDP stream from ext0 to one MAC and address, a
# receiver behind the PF (bridge br0, which owns the MAC and the address)
# and one on the VF (igbvf with the same admin MAC and address in netns
# child0), while the MAC moves 100 times between them.  The value is sent -
# (unique datagrams received by either side).
# Tunables: PF2_RATE, PF2_MOVES, PF2_SECS (as the project case).
. "$SRIOV_TOP/tools/bench/lib.sh"

MAC=02:00:5e:10:dd:01
UNUSED=02:00:5e:10:dd:fe
IP=198.18.0.50
RATE=${PF2_RATE:-2000}
MOVES=${PF2_MOVES:-100}
SECS=${PF2_SECS:-25}
SETUP="$RATE pps, $MOVES moves of the VF's admin MAC, igb + igbvf"
fail() { bench_fail filter_move_lost anchor packets "$SETUP" "$1"; exit 0; }

pf=$(bench_pf_up 0) || fail "PF 0 did not come up"
ethtool -G "$pf" rx 4096 >/dev/null 2>&1
bench_ext 0 || fail "external host"
ip -n ext0 neigh replace $IP lladdr $MAC dev "$SRIOV_EXT0" nud permanent
bench_vfs_enable 0 1 || fail "no VF"
ip link set "$pf" vf 0 mac $MAC || fail "admin MAC refused"
vfdev=$(bench_vf_bind "$(bench_vf_bdf 0 0)") || fail "igbvf did not bind"
ethtool -G "$vfdev" rx 4096 >/dev/null 2>&1
bench_ns child0 || fail "netns"
ip link set "$vfdev" netns child0 || fail "netns move"
ip -n child0 addr add $IP/24 dev "$vfdev"
ip -n child0 link set "$vfdev" up
wait_carrier "$vfdev" 30 child0 || fail "VF: no carrier"
bench_bridge br0 "$pf" || fail "bridge"
ip link set br0 address $MAC
ip addr add $IP/24 dev br0
slowwait 15 ping_ok ext0 $IP || fail "no ping to the VF"

sysctl -qw net.core.rmem_max=16777216 net.core.netdev_max_backlog=20000
ip netns exec child0 sysctl -qw net.core.netdev_max_backlog=20000 2>/dev/null
raw=$BENCH_RAW/anchor_fmove
rm -f "$raw".*
# The moves are paced as in the project case (100 over SECS - 5 s), but
# each is an exec of ip(8), which under TCG may take longer than its slot:
# the stream then runs until 2 s after the last move (SIGINT: the sender
# reports what it sent), bounded by MAXSECS.
MAXSECS=$((SECS + MOVES * 2))
"$SEQUDP" recv --bind $IP --idle-ms 4000 --timeout $((MAXSECS + 60)) \
	--ready "$raw.pf.ready" --out "$raw.pf.json" >/dev/null 2>"$raw.pf.err" &
rpf=$!
ip netns exec child0 "$SEQUDP" recv --bind $IP --idle-ms 4000 --timeout $((MAXSECS + 60)) \
	--ready "$raw.vf.ready" --out "$raw.vf.json" >/dev/null 2>"$raw.vf.err" &
rvf=$!
busywait 15000 test -e "$raw.pf.ready" -a -e "$raw.vf.ready" || {
	kill $rpf $rvf 2>/dev/null
	fail "receivers not ready"
}
ip netns exec ext0 "$SEQUDP" send --dst $IP --rate "$RATE" --seconds "$MAXSECS" \
	>"$raw.send.json" 2>"$raw.send.err" &
snd=$!
st0=$(bench_us)
sleep 2
# the moves spread over the stream, 3 s left at the end (as pf2_filter_move)
period_us=$(((SECS - 5) * 1000000 / MOVES))
t0=$(bench_us)
late=0
for ((i = 1; i <= MOVES; i++)); do
	# odd moves: to the PF (the VF's admin MAC elsewhere), even: back
	if ((i % 2)); then m=$UNUSED; else m=$MAC; fi
	ip link set "$pf" vf 0 mac $m || bench_log "move $i: ip link failed"
	now=$(bench_us)
	wait_us=$((t0 + i * period_us - now))
	if [ $wait_us -gt 0 ]; then
		sleep "$(printf '%d.%06d' $((wait_us / 1000000)) $((wait_us % 1000000)))"
	else
		late=$((late + 1))
	fi
done
bench_log "$MOVES moves in $((($(bench_us) - t0) / 1000)) ms ($late late)"
# the rest of the stream: at least SECS in all, 2 s after the last move
left_us=$((st0 + SECS * 1000000 - $(bench_us)))
[ $left_us -lt 2000000 ] && left_us=2000000
sleep "$(printf '%d.%06d' $((left_us / 1000000)) $((left_us % 1000000)))"
# ip netns exec runs the sender as its own child: signal the sender itself
pkill -INT -P $snd 2>/dev/null || kill -INT $snd
wait $snd
# a receiver that never got a datagram has no idle clock: stop it once the
# other one has had its 4 s of silence
busywait 6000 sh -c "! kill -0 $rpf 2>/dev/null && ! kill -0 $rvf 2>/dev/null"
kill -INT $rpf $rvf 2>/dev/null
wait $rpf $rvf
sent=$(jq .sent "$raw.send.json" 2>/dev/null)
upf=$(jq .unique "$raw.pf.json" 2>/dev/null)
uvf=$(jq .unique "$raw.vf.json" 2>/dev/null)
[ -n "$sent" ] && [ -n "$upf" ] && [ -n "$uvf" ] ||
	fail "a stream report is missing: $(cat "$raw".*.err)"
bench_log "sent $sent, PF side $upf unique (dup $(jq .duplicated "$raw.pf.json")), VF side $uvf unique (dup $(jq .duplicated "$raw.vf.json"))"
if [ "$upf" = 0 ] || [ "$uvf" = 0 ]; then
	# nothing moved: there is no loss figure of a move to report
	fail "the MAC did not move: the PF side received $upf, the VF side $uvf of $sent datagrams"
fi
lost=$((sent - upf - uvf))
if [ $lost -lt 0 ]; then
	# both sides got some datagrams: the sum over-counts, a loss is hidden
	fail "both receivers got the same datagrams ($((-lost)) more than sent): loss not measurable"
fi
bench_record filter_move_lost anchor $lost packets "$SETUP"
exit 0
