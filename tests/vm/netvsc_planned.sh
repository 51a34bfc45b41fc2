#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 720
# debug-args: 30
#
# Planned switches VF -> synthetic -> VF, 100 times, under a 2000 packets/s
# sequenced UDP stream in each direction (ext0 -> adapter and adapter ->
# ext0).  Each direction first runs an 8 s stream with no switch (the
# floor), then a stream with the switches, from 2 s before the first to
# 3 s after the last (at most 60 s); both gates compare with that floor,
# measured in the same boot:
#   loss   the datagrams lost on the way, i.e. not counting those the
#          receiving socket dropped because TCG starved its process
#          (UdpRcvbufErrors in the receiver's namespace during the run),
#          may not exceed the floor's loss counted the same way, scaled to
#          the stream's length: the target is 0, the floor stands for what
#          the lab loses with no switch at all
#   gap    the longest gap between two arrivals (kernel receive
#          timestamps) may not exceed the floor's by more than GAP_MARGIN_MS
# Then, in the same VM, an iperf3 TCP stream from the adapter to the
# external host survives 100 more switch cycles, this time acked by the
# host side (the daemon's role, tests/lib/netvsc_ctl.py responder), so the
# request/ack protocol runs under load too.
# The pair: NV_PF_DRIVER/NV_VF_DRIVER (tests/lib/netvsc_lib.sh), by default
# the in-tree igb + igbvf, where the VF's MAC is the adapter's and RX never
# leaves the VF: only TX switches.  netvsc_planned_sriov_pf.sh runs the
# same on sriov_pf + sriov_vf, where a responder (sriovd's role) moves the
# adapter's MAC filter between the default VPort and the VF's VPort at
# every switch, so RX switches with TX: there a further check asks that
# every switch moved the filter and that both paths received the stream.
# Argument: the number of cycles (default 100, for both parts).
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/netvsc_lib.sh"
. "$SRIOV_TOP/tests/lib/tcp_lib.sh"

require_cmd jq
require_cmd iperf3
[ -x "$SEQUDP" ] || ktap_bail "sriov-sequdp not built ($SEQUDP)"
RATE=${NV_RATE:-2000}
CYCLES=${1:-100}
OUT=$SRIOV_OUT
ktap_header
MOVES=0
[ "${NV_PF_DRIVER:-igb}" = sriov_pf ] && MOVES=1
ktap_plan $((9 + MOVES))

nv_setup_synthetic || ktap_bail "synthetic topology setup failed"
if [ $MOVES = 1 ]; then
	# the responder listens before the VF appears: the first request
	# (to the VF, when it pairs) moves the filter too
	nv_vf_create || ktap_bail "VF setup failed"
	nv_responder_start 3000 || ktap_bail "the responder did not start"
	nv_vf_driver_bind || ktap_bail "VF driver bind failed"
else
	nv_vf_enable || ktap_bail "VF setup failed"
fi
ktap_result "data path on the VF" nv_wait_dp 1 40
slowwait 10 ping_ok ext0 "$NV_IP"

# stream NAME DIR SECONDS: one direction (in: ext0 -> adapter, out: adapter
# -> ext0) at $RATE; the receiver's JSON lands in $OUT/NAME.json.  One
# direction at a time: the TCG guest cannot carry both at 2000/s.
stream_start() {
	local n=$1 count=$(($3 * RATE)) rns sns dst port
	case $2 in
	in) rns=child0 sns=ext0 dst=$NV_IP port=9000 ;;
	out) rns=ext0 sns=child0 dst=$EXT_IP port=9001 ;;
	esac
	rm -f "$OUT/$n.json" "$OUT/$n.ready"
	ip netns exec $rns "$SEQUDP" recv --port $port --idle-ms 2000 \
		--ready "$OUT/$n.ready" --out "$OUT/$n.json" >/dev/null &
	STREAM_PIDS=$!
	busywait 5000 test -e "$OUT/$n.ready"
	ip netns exec $sns "$SEQUDP" send --dst "$dst" --port $port \
		--rate "$RATE" --count "$count" >"$OUT/$n-send.json" &
	SEND_PID=$!
	STREAM_PIDS="$STREAM_PIDS $SEND_PID"
}
field() { jq -r ".$2" "$OUT/$1.json"; }
# lost_of NAME: datagrams the sender sent that never arrived (the
# receiver's own "lost" counts against the total announced on the wire,
# which a sender stopped early never reached)
lost_of() { echo $(($(jq -r .sent "$OUT/$1-send.json") - $(field "$1" unique))); }
udp_drops() {
	ip netns exec "$1" nstat -az UdpRcvbufErrors UdpInErrors 2>/dev/null |
		awk 'NR > 1 { printf "%s=%s ", $1, $2 }'
}
# rcvbuf_errors NS: the namespace's UDP RcvbufErrors counter
rcvbuf_errors() {
	ip netns exec "$1" awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 }
		else print $c["RcvbufErrors"] }' /proc/net/snmp
}
recv_ns() { if [ "$1" = in ]; then echo child0; else echo ext0; fi; }
declare -A sockdrop cycle_s inside
# run_stream NAME DIR SECONDS: a stream, and how many of its datagrams the
# receiving socket dropped.  The planned stream's SECONDS are an upper
# bound: it runs from 2 s before the first cycle to 3 s after the last,
# then its sender stops (SIGINT: it reports what it sent) and the
# receiver ends 2 s later (--idle-ms).
run_stream() {
	local r0
	r0=$(rcvbuf_errors "$(recv_ns "$2")")
	stream_start "$1" "$2" "$3"
	[ "$1" = "planned-$2" ] && {
		sleep 2
		local t0=$SECONDS
		nv_ctl cycle nvh0 --count "$CYCLES" --dwell-ms 50 >"$OUT/cycle-$2.json"
		echo "rc=$?" >>"$OUT/cycle-$2.rc"
		cycle_s[$2]=$((SECONDS - t0))
		# the last switch happened while the stream ran
		inside[$2]=0
		kill -0 "$SEND_PID" 2>/dev/null && inside[$2]=1
		sleep 3
		kill -INT "$SEND_PID" 2>/dev/null
	}
	# the stream's own processes (a responder may run in the background)
	wait $STREAM_PIDS
	sockdrop[$1]=$(($(rcvbuf_errors "$(recv_ns "$2")") - r0))
}

vf_rx0=$(nv_stat vf_rx_packets)
syn_rx0=$(nv_stat syn_rx_packets)
for d in in out; do
	run_stream "floor-$d" $d 8
	ktap_diag "floor $d: $(cat "$OUT/floor-$d.json")"
	ktap_diag "floor $d sender: $(cat "$OUT/floor-$d-send.json")"

	run_stream "planned-$d" $d 60
	ktap_diag "cycles $d: $(cat "$OUT/cycle-$d.json")"
	ktap_diag "planned $d: $(cat "$OUT/planned-$d.json")"
	ktap_diag "planned $d sender: $(cat "$OUT/planned-$d-send.json")"
	ktap_diag "UDP drops child0: $(udp_drops child0) ext0: $(udp_drops ext0)"
done

cycles_ok() {
	for d in in out; do
		[ "$(jq -r .cycles "$OUT/cycle-$d.json")" = "$CYCLES" ] &&
			[ "$(jq -r .failed "$OUT/cycle-$d.json")" = 0 ] || return 1
		# the last switch happened before the stream ended
		[ "${inside[$d]}" = 1 ] || { echo "the $d stream ended before the cycles did"; return 1; }
	done
}
ktap_result "2 x $CYCLES planned switch cycles inside the streams" cycles_ok
if [ $MOVES = 1 ]; then
	nv_responder_stop
	# every switch moved the filter (2 per cycle, the first pairing's
	# move besides), and the stream reached the adapter on both paths
	moved_ok() {
		local moves errors vf_rx syn_rx
		moves=$(tail -1 "$OUT/responder.out" | jq -r .moves)
		errors=$(tail -1 "$OUT/responder.out" | jq -r .move_errors)
		vf_rx=$(($(nv_stat vf_rx_packets) - vf_rx0))
		syn_rx=$(($(nv_stat syn_rx_packets) - syn_rx0))
		echo "filter moves $moves (errors $errors), received on the VF path $vf_rx, on the synthetic path $syn_rx"
		[ "$moves" -ge $((4 * CYCLES)) ] && [ "$errors" = 0 ] &&
			[ "$vf_rx" -gt $((10 * RATE)) ] && [ "$syn_rx" -gt $((20 * CYCLES)) ]
	}
	ktap_result "RX followed the filter: each switch moved it, both paths received" moved_ok
fi
# Margins over the same boot's floor.  Loss: none; the floor's loss (net
# of socket drops) scaled to the planned stream's length already allows
# for what this lab loses without a switch.  Gap: a planned switch moves
# the filter only after the VF path is quiesced, so it adds no gap of its
# own; under TCG the longest gap of the planned stream is still set by host scheduling as much as by
# the switches (kernel receive timestamps, two runs on the 2-core TCG
# host under load: in 28 -> 44 ms and 51 -> 37 ms, out 14 -> 95 ms and
# 20 -> 38 ms, floor -> planned; switch_ms_max 55-87 ms): GAP_MARGIN_MS
# allows for one such stretch (largest excess seen: 81 ms); a path lost
# for a whole dwell or longer shows in the loss check above as well.
LOST_MARGIN=0
GAP_MARGIN_MS=${NV_GAP_MARGIN_MS:-100}
net_lost() { echo $(($(lost_of "$1") - ${sockdrop[$1]})); }
lost_ok() {
	local d=$1 lost floor allow secs
	lost=$(net_lost "planned-$d")
	floor=$(net_lost "floor-$d")
	[ "$floor" -lt 0 ] && floor=0
	secs=$((($(jq -r .sent "$OUT/planned-$d-send.json") + RATE - 1) / RATE))
	allow=$(((floor * secs + 7) / 8 + LOST_MARGIN))
	ktap_result "lost $d across $CYCLES switch cycles within the no-switch floor: $lost (of $(lost_of "planned-$d") lost in $secs s, ${sockdrop[planned-$d]} dropped by the receiving socket), allowed $allow (floor $floor in 8 s)" \
		test "$lost" -le "$allow"
}
lost_ok in
lost_ok out
gap_ok() {
	local p f
	p=$(field "planned-$1" longest_gap_rx_ms)
	f=$(field "floor-$1" longest_gap_rx_ms)
	ktap_result "longest gap $1 within the no-switch floor + $GAP_MARGIN_MS ms: $p ms, floor $f ms" \
		awk -v p="$p" -v f="$f" -v m="$GAP_MARGIN_MS" 'BEGIN { exit !(p != "null" && f != "null" && p <= f + m) }'
}
for d in in out; do
	gap_ok $d
done
jq -n --slurpfile i "$OUT/planned-in.json" --slurpfile o "$OUT/planned-out.json" \
	--slurpfile fi "$OUT/floor-in.json" --slurpfile fo "$OUT/floor-out.json" \
	--slurpfile ci "$OUT/cycle-in.json" --slurpfile co "$OUT/cycle-out.json" \
	--argjson li "$(lost_of planned-in)" --argjson lo "$(lost_of planned-out)" \
	'{planned_failover_lost: ($li + $lo),
	  planned_failover_lost_in: $li, planned_failover_lost_out: $lo,
	  planned_failover_blackout_ms: ([$i[0].longest_gap_ms, $o[0].longest_gap_ms] | max),
	  floor_lost: ($fi[0].lost + $fo[0].lost),
	  floor_gap_ms: ([$fi[0].longest_gap_ms, $fo[0].longest_gap_ms] | max),
	  reordered: ($i[0].reordered + $o[0].reordered),
	  cycles_in: $ci[0], cycles_out: $co[0]}' >"$OUT/netvsc_planned.json"
ktap_diag "summary: $(jq -c . "$OUT/netvsc_planned.json")"
ip netns exec child0 ethtool -S nv0 | grep -E 'packets|switches|dropped' |
	while read -r l; do ktap_diag "$l"; done

# ---- TCP across acked switches ----
nv_wait_dp 1 10
nv_responder_start 2000

# the stream runs from 3 s before the first cycle to 5 s after the last
# (tests/lib/tcp_lib.sh), at most 75 s
tcp_start ext0 "$EXT_IP" child0 75 "$OUT/iperf3.json" -b 100M
sleep 3
cycle_start=$SECONDS
nv_ctl cycle nvh0 --count "$CYCLES" --dwell-ms 40 >"$OUT/cycle.json"
cycle_rc=$?
cycle_end=$SECONDS
still_running=0
tcp_alive && still_running=1
tcp_verdict=$(tcp_stop 5)
tcp_rc=$?
nv_responder_stop
ktap_diag "cycles: $(cat "$OUT/cycle.json")"

ktap_result "TCP: $CYCLES switch cycles acked by the host side" \
	test "$cycle_rc" = 0 -a "$(jq -r .cycles "$OUT/cycle.json")" = "$CYCLES" \
	-a "$(jq -r .timeouts "$OUT/cycle.json")" = 0
# 100 cycles at a 40 ms dwell take about 10-20 s under TCG on an idle
# host (42 s seen on a loaded one): still running when they end means the
# switches happened under load
ktap_result "TCP: switching finished while the TCP stream ran (cycles took $((cycle_end - cycle_start)) s)" test $still_running = 1
# no error but the interrupt that ended it, and no 1 s interval without a
# byte: a switch that blacks the data path out for a second or more shows
# as such an interval; the TCG host's stalls are far shorter
ktap_diag "TCP: $tcp_verdict"
ktap_result "TCP: iperf3 stream survived (no error, no 1 s interval without progress)" test "$tcp_rc" = 0
jq -c '{tcp_survived_pct: (if .error == "'"$TCP_INTERRUPT"'" then 100 else 0 end),
	mbit_s: (.end.sum_received.bits_per_second / 1e6),
	retransmits: .end.sum_sent.retransmits,
	min_interval_mbit_s: ([.intervals[].sum | select(.seconds >= 0.5) | .bits_per_second] | min / 1e6)}' \
	"$OUT/iperf3.json" >"$OUT/netvsc_tcp.json"
ktap_diag "summary: $(cat "$OUT/netvsc_tcp.json")"
ip netns exec child0 ethtool -S nv0 | grep -E 'tx_packets|switches|timeouts' |
	while read -r l; do ktap_diag "$l"; done
ktap_finished
