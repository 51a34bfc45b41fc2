#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 2
# timeout: 900
#
# sriovd drives the whole sequence through the kernel's own handshakes, and
# the loss budget holds on the project's stack (sriov_pf + sriov_vf +
# sriov_netvsc + sriovd): Documentation/design/daemon.rst, "Sequences".
# The external world is one L2 network across both NICs' wires (netns
# world, tools/bench/lib.sh bench_world); every stream is sequenced UDP at
# STREAM_RATE datagrams/s from the world, counted at the receiver
# (sriov-sequdp); the receiving socket's own drops (RcvbufErrors) are not
# the switch's and are counted apart.
#
#   - every adapter sriovd created has AUTO_ACK off; an attach switches the
#     data path only by sriovd's acknowledgement (no timeout), after the
#     filters moved to the VF's VPort
#   - CYCLES planned failovers and re-attaches through sriovctl under one
#     stream: 0 lost, the longest gap within the no-switch floor of the
#     same run plus GAP_SLACK_MS; each release unbinds the VF driver
#     before the FLR
#   - a multicast stream to a paired child arrives exactly once per datagram
#   - surprise removals (VF driver unbind, VF FLR from sysfs,
#     sriov_numvfs=0): at most SURPRISE_MAX lost each, the partition back
#     on a VF when one is free, audit consistent within a bound
#   - a VF reset while attached (MTU change in the child): at most
#     SURPRISE_MAX lost, the data path and the filters back on the VF,
#     audit consistent
#   - a PF reset with 4 partitions attached: all back on their VFs
#   - the PF's driver unbound and bound again: partitions released, the
#     PF's new netdev back in sriovd's bridge, partitions back on VFs
#   - migration NIC 0 -> NIC 1 under the stream: 0 lost
#   - a TCP connection (iperf3) survives CYCLES failovers and re-attaches
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/vm/daemon_lib.bash"
BENCH_RAW=$SRIOV_OUT/loop
BENCH_METRICS=$SRIOV_OUT/loop/metrics.jsonl
BENCH_RT=
. "$SRIOV_TOP/tools/bench/lib.sh"
. "$SRIOV_TOP/tests/lib/tcp_lib.sh"

NVCTL="/usr/bin/python3 $SRIOV_TOP/tests/lib/netvsc_ctl.py"
STREAM_RATE=2000
BENCH_RATE=$STREAM_RATE
BENCH_IDLE_MS=3000
CYCLES=20
SURPRISE_MAX=10
# the longest gap of the failover stream may exceed the same run's
# no-switch floor by this much: one failover + re-attach moves the filters
# twice, and each move rewrites one receive-address entry
GAP_SLACK_MS=50
# bounded waits: back on a VF, audit consistent
BACK_S=30
NP=4
MCAST=239.20.0.1
NPLAN=18

ktap_header
[ -n "${SRIOV_PF0:-}" ] && [ -n "${SRIOV_PF1:-}" ] || ktap_bail "lab without two 82576 PFs"
dmn_require sequdp
sysctl -qw net.core.rmem_max=33554432

dmn_vfs "$SRIOV_PF0" $NP || ktap_bail "cannot enable $NP VFs on PF0"
dmn_vfs "$SRIOV_PF1" 2 || ktap_bail "cannot enable 2 VFs on PF1"
pf0dev=$(wait_pci_netdev "$SRIOV_PF0" 10) || ktap_bail "PF0 has no netdev"
bench_world || ktap_bail "the world (both wires bridged)"
ip -n world route add 224.0.0.0/4 dev wbr
dmn_start || ktap_bail "sriovd does not start: $(tail -n 2 "$DMN_LOG")"
defer sh -c "kill -9 \$(cat $DMN_STATE/pid) 2>/dev/null"

ktap_plan $NPLAN

ip_of() { echo "198.18.0.$((10 + $1))"; }
mac_of() { printf '02:00:5e:20:10:%02x\n' "$1"; }
setup_partitions() {
	local i
	for ((i = 1; i <= NP; i++)); do
		dmn_ctl partition add "p$i" --pf "$SRIOV_PF0" --mac "$(mac_of $i)" || return 1
		ip -n "p$i" link set lo up
		ip -n "p$i" link set nv0 up
		ip -n "p$i" addr add "$(ip_of $i)/24" dev nv0
		ip netns exec "p$i" sysctl -qw net.core.rmem_max=33554432
		dmn_ctl attach "p$i" || return 1
	done
	for ((i = 1; i <= NP; i++)); do
		slowwait 20 ping_ok world "$(ip_of $i)" || { echo "world does not reach p$i"; return 1; }
	done
	dmn_audit
}
ktap_result "$NP partitions on PF0, each attached to a VF, reachable, audit consistent" setup_partitions ||
	ktap_bail "no partitions to work with: $(dmn_ctl list 2>&1)"

# --- the handshake ---
adapters_manual_ack() {
	local i a
	for ((i = 1; i <= NP; i++)); do
		a=$(ip netns exec "p$i" $NVCTL show nv0) || return 1
		echo "p$i: auto_ack $(jq -r .auto_ack <<<"$a") dp_active $(jq -r .dp_active <<<"$a") timeouts $(jq -r .timeouts <<<"$a")"
		jq -e '.auto_ack == 0 and .dp_active == 1 and .timeouts == 0' <<<"$a" >/dev/null || return 1
	done
}
ktap_result "every adapter has AUTO_ACK off; each on its VF by sriovd's acknowledgement (no timeout)" adapters_manual_ack
attach_order() {
	# the last attach of p1: filters_to_vf ended before datapath_vf ended
	dmn_ctl --json events --phases | jq -e '[.result.events[]
		| select(.type == "sequence" and .kind == "attach" and .partition == "p1")] | last
		| (.phases | map({(.step): .}) | add) as $p
		| $p.filters_to_vf.end_ms <= $p.datapath_vf.end_ms and $p.datapath_vf.result == "ok"'
}
ktap_result "attach: filters on the VF's VPort before the data path switched" attach_order

# --- planned failover, CYCLES times, one stream ---
rcvbuf_errors() {
	in_ns "$1" awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 }
		else print $c["RcvbufErrors"] }' /proc/net/snmp
}
on_vf() { [ "$(ip netns exec "$1" ethtool -S nv0 | awk '$1 == "dp_active:" {print $2}')" = 1 ] &&
	dmn_ctl --json list | jq -e --arg p "$1" '.result[] | select(.name == $p) | .vf.datapath == "vf"' >/dev/null; }
arp_stats() {	# the world's ARP table: resolutions failed, frames dropped unresolved
	local -a h v
	local i f=0 d=0
	{
		read -ra h
		while read -ra v; do
			for ((i = 0; i < ${#h[@]}; i++)); do
				case ${h[i]} in
				res_failed) f=$((f + 16#${v[i]})) ;;
				unresolved_discards) d=$((d + 16#${v[i]})) ;;
				esac
			done
		done
	} < <(ip netns exec world cat /proc/net/stat/arp_cache)
	echo "res_failed $f unresolved_discards $d"
}
# stream TAG NS DST SECONDS ACTION...: ACTION 2 s into a stream from the
# world; sets LOST (on the way: the socket's own drops taken out) and GAP_MS.
# With STREAM_TAIL_S set, SECONDS is an upper bound: the stream ends that
# many seconds after ACTION returned (an action of unknown length, whose
# effects are over when it returns).
stream() {
	local tag=$1 ns=$2 dst=$3 secs=$4 r0 rc=0
	shift 4
	r0=$(rcvbuf_errors "$ns")
	arp_stats >"$BENCH_RAW/$tag.arp0"
	echo "$tag: stream starts at $(date +%T.%3N)"
	bench_seq_start "$tag" "$ns" world "$dst" "$secs" || return 1
	bench_seq_at 2000
	"$@" || rc=1
	if [ -n "${STREAM_TAIL_S:-}" ]; then
		sleep "$STREAM_TAIL_S"
		bench_seq_stop "$tag"
	fi
	bench_seq_wait "$tag" || return 1
	LOST=$((SEQ_LOST - ($(rcvbuf_errors "$ns") - r0)))
	# where a loss can hide outside the switch: the sender's ARP
	arp_stats | diff "$BENCH_RAW/$tag.arp0" - | sed -n 's/^> /# world arp after: /p'
	ip -n world neigh show "$dst" | sed 's/^/# world neigh: /' 
	GAP_MS=$SEQ_GAP_MS
	echo "$tag: sent $SEQ_SENT, lost on the way $LOST, duplicated $SEQ_DUP, longest gap $GAP_MS ms"
	return $rc
}
floor() { sleep 1; }
stream floor p1 "$(ip_of 1)" 12 floor || ktap_bail "the no-switch stream did not run"
FLOOR_MS=$GAP_MS
# the cycles' window in the stream (ms from its start): the gaps judged
# are the failovers' and re-attaches', not a silence of the stream's tail
# after the last cycle (the stream is long enough for slow cycles)
cycles() {
	local c
	echo $((($(bench_us) - BENCH_SEQ_T0) / 1000)) >"$BENCH_RAW/cycles.start_ms"
	for ((c = 1; c <= CYCLES; c++)); do
		dmn_ctl failover p1 --hold 0 || { echo "failover $c failed"; return 1; }
		busywait $((BACK_S * 1000)) on_vf p1 || { echo "cycle $c: not back on the VF"; return 1; }
	done
	echo $((($(bench_us) - BENCH_SEQ_T0) / 1000)) >"$BENCH_RAW/cycles.end_ms"
}
failovers() {
	local a b win
	# each cycle returns when p1 is back on its VF: 3 s after the last
	STREAM_TAIL_S=3 stream failover p1 "$(ip_of 1)" $((CYCLES * 3 + 4)) cycles || return 1
	a=$(cat "$BENCH_RAW/cycles.start_ms") && b=$(cat "$BENCH_RAW/cycles.end_ms") || return 1
	# the cycles must have ended inside the stream, else some went unmeasured
	[ $((b + 1000)) -le $((SEQ_SENT * 1000 / STREAM_RATE)) ] ||
		{ echo "the cycles ran past the stream (${b} ms)"; return 1; }
	# the longest silence of 10 ms or more that overlaps the window (0: none)
	win=$(jq --argjson a "$a" --argjson b $((b + 1000)) \
		'[.gaps[] | select(.start_ms <= $b and .start_ms + .len_ms >= $a) | .len_ms] | max // 0 | . * 10 | round / 10' \
		"$BENCH_RAW/failover.recv.json") || return 1
	echo "no-switch floor of this run: $FLOOR_MS ms; cycles from $a to $b ms of the stream," \
		"longest gap among them $win ms (of the whole stream $GAP_MS ms)"
	[ "$LOST" -le 0 ] && awk -v g="$win" -v f="$FLOOR_MS" -v s=$GAP_SLACK_MS 'BEGIN { exit !(g <= f + s) }'
}
ktap_result "$CYCLES planned failovers + re-attaches under a ${STREAM_RATE}/s stream: 0 lost, gap <= floor + ${GAP_SLACK_MS} ms" failovers
# the release halts the VF driver before the FLR: every failover's
# vf_from_child step unbound it (and moved no netdev to the host)
# (the failovers still in sriovd's event ring: the newest 256 events)
unbound_each_time() {
	local steps n
	steps=$(dmn_ctl --json events --phases | jq -c '[.result.events[] | select(.type == "sequence"
		and .kind == "failover" and .partition == "p1") | .phases[] | select(.step == "vf_from_child")]')
	n=$(jq 'length' <<<"$steps")
	echo "failovers of p1 in the event ring: $n; their vf_from_child: $(jq -c '[.[].detail] | unique' <<<"$steps")"
	[ "$n" -ge 5 ] && jq -e 'all(.detail | test("VF driver unbound"))' <<<"$steps" >/dev/null
}
ktap_result "each failover unbound the VF driver in vf_from_child, before vport_delete and the FLR" unbound_each_time

# --- multicast, once ---
mcast_once() {
	local out=$BENCH_RAW/mcast r
	rm -f "$out".*
	ip -n p1 route replace 224.0.0.0/4 dev nv0 || return 1
	ip netns exec p1 "$SEQUDP" recv --group $MCAST --port 9300 --idle-ms 2000 --timeout 60 \
		--ready "$out.ready" --out "$out.json" >/dev/null &
	r=$!
	busywait 10000 test -e "$out.ready" || return 1
	ip netns exec world "$SEQUDP" send --dst $MCAST --port 9300 --rate $STREAM_RATE --count 4000 >/dev/null
	wait $r
	echo "multicast: $(cat "$out.json")"
	on_vf p1 && jq -e '.unique == 4000 and .duplicated == 0' "$out.json" >/dev/null
}
ktap_result "a multicast stream to a paired child arrives exactly once per datagram" mcast_once

# --- surprise removals ---
vf_of() {	# PARTITION -> the BDF of its VF
	local pf idx
	read -r pf idx < <(dmn_ctl --json list | jq -r --arg p "$1" '.result[] | select(.name == $p) | "\(.vf.pf) \(.vf.vf)"')
	[ -n "$idx" ] && [ "$idx" != null ] && basename "$(readlink -f "/sys/bus/pci/devices/$pf/virtfn$idx")"
}
back() { busywait $((BACK_S * 1000)) on_vf "$1" && dmn_audit && dmn_kernel_check "$1"; }
unbind() { echo "$V" >"/sys/bus/pci/devices/$V/driver/unbind"; }
flr() { echo 1 >"/sys/bus/pci/devices/$V/reset"; }
surprise() {	# PARTITION ACTION
	V=$(vf_of "$1") || { echo "$1 has no VF"; return 1; }
	stream "surprise_$2" "$1" "$(ip_of "${1#p}")" 8 "$2" || return 1
	[ "$LOST" -le $SURPRISE_MAX ] || return 1
	back "$1"
}
ktap_result "surprise: VF driver unbound: <= $SURPRISE_MAX lost, back on a VF, audit consistent" surprise p2 unbind
ktap_result "surprise: VF FLR from sysfs: <= $SURPRISE_MAX lost, back on a VF, audit consistent" surprise p2 flr

# --- a VF reset while attached: the filters follow the VF back ---
p3_filters_on_vf() {
	local vp
	vp=$(dmn_ctl --json list | jq -r '.result[] | select(.name == "p3") | .vf.vport // empty')
	[ -n "$vp" ] && [ "$vp" != 0 ] &&
		dmn_dump | jq -e --arg pf "$SRIOV_PF0" --arg mac "$(mac_of 3)" --argjson vp "$vp" \
			'[.[$pf].filters[] | select(.type == "mac" and .mac == $mac)] | length == 1 and .[0].vport == $vp' >/dev/null
}
mtu_reset() {
	local vfdev
	vfdev=$(ip netns exec p3 sh -c 'for d in /sys/class/net/*; do [ -e "$d/device/physfn" ] && basename "$d"; done' | head -n1)
	[ -n "$vfdev" ] || { echo "p3 has no VF netdev"; return 1; }
	ip -n p3 link set "$vfdev" mtu 1400
}
vf_reset() {
	stream vf_reset p3 "$(ip_of 3)" 8 mtu_reset || return 1
	# the bound of a surprise removal (a quiet host loses none; 9 and 15
	# were seen on a host loaded by compiles)
	[ "$LOST" -le $SURPRISE_MAX ] || { echo "$LOST lost, more than $SURPRISE_MAX"; return 1; }
	busywait $((BACK_S * 1000)) p3_filters_on_vf || { echo "p3's MAC filter not back on its VF's VPort"; return 1; }
	back p3
}
ktap_result "VF reset in the child (MTU change): <= $SURPRISE_MAX lost, data path and filters back on the VF, audit consistent" vf_reset

# --- a PF reset with NP partitions attached ---
pf_reset() {
	local i
	ip link set "$pf0dev" down && ip link set "$pf0dev" up || return 1
	for ((i = 1; i <= NP; i++)); do
		back "p$i" || { echo "p$i not back"; return 1; }
	done
}
ktap_result "PF reset (down/up) with $NP partitions attached: all back on their VFs, audit consistent" pf_reset

# --- the VF pool taken away and given back ---
numvfs0() { echo 0 >"/sys/bus/pci/devices/$SRIOV_PF0/sriov_numvfs"; }
pool_gone() {
	stream numvfs0 p4 "$(ip_of 4)" 8 numvfs0 || return 1
	[ "$LOST" -le $SURPRISE_MAX ] && dmn_audit
}
ktap_result "sriov_numvfs=0 while attached: <= $SURPRISE_MAX lost, audit consistent" pool_gone
pool_back() {
	echo $NP >"/sys/bus/pci/devices/$SRIOV_PF0/sriov_numvfs" || return 1
	local i
	for ((i = 1; i <= NP; i++)); do
		back "p$i" || { echo "p$i not back on a VF"; return 1; }
	done
}
ktap_result "VFs enabled again: sriovd re-reads the pool, every partition back on a VF" pool_back

# --- the PF leaves and comes back (its driver unbound and bound again) ---
none_on_vf() {
	dmn_ctl --json list | jq -e '[.result[] | select(.pf == "'"$SRIOV_PF0"'" and .vf != null)] | length == 0' >/dev/null
}
pf_gone() {
	echo "$SRIOV_PF0" >/sys/bus/pci/drivers/sriov_pf/unbind || return 1
	busywait $((BACK_S * 1000)) none_on_vf || { echo "partitions still on VFs of a PF that is gone"; dmn_ctl list; return 1; }
	dmn_audit
}
ktap_result "PF 0's driver unbound: every partition released to its synthetic path, audit consistent" pf_gone
pf_back() {
	local i
	echo "$SRIOV_PF0" >/sys/bus/pci/drivers/sriov_pf/bind || return 1
	pf0dev=$(wait_pci_netdev "$SRIOV_PF0" 10) || return 1
	ip link set "$pf0dev" up
	# no VFs yet: the synthetic path alone, through the PF's new netdev,
	# which sriovd put back in its bridge
	for ((i = 1; i <= NP; i++)); do
		slowwait 20 ping_ok world "$(ip_of $i)" || { echo "world does not reach p$i on the synthetic path"; return 1; }
	done
	echo $NP >"/sys/bus/pci/devices/$SRIOV_PF0/sriov_numvfs" || return 1
	for ((i = 1; i <= NP; i++)); do
		back "p$i" || { echo "p$i not back on a VF"; return 1; }
	done
}
ktap_result "PF 0 bound again: its netdev in sriovd's bridge, VFs enabled, every partition back on a VF" pf_back

# --- migration ---
migrate() { dmn_ctl migrate p1 --to "$SRIOV_PF1" && dmn_ctl migrate p1 --complete; }
migration() {
	# migrate returns when the migration completed on NIC 1
	STREAM_TAIL_S=3 stream migrate p1 "$(ip_of 1)" 10 migrate || return 1
	[ "$LOST" -le 0 ] && dmn_audit
}
ktap_result "migration NIC 0 -> NIC 1 under a ${STREAM_RATE}/s stream: 0 lost" migration

# --- TCP across failovers ---
tcp_cycles() {
	local c
	for ((c = 1; c <= CYCLES; c++)); do
		dmn_ctl failover p2 --hold 0 || return 1
		busywait $((BACK_S * 1000)) on_vf p2 || return 1
	done
}
# The connection runs from 3 s before the first cycle to 5 s after the last
# one is back on its VF (tests/lib/tcp_lib.sh), at most CYCLES * 4 s.
tcp_survives() {
	local a
	tcp_start p2 "$(ip_of 2)" world $((CYCLES * 4)) "$BENCH_RAW/tcp.iperf3.json"
	sleep 3
	a=$SECONDS
	tcp_cycles || { tcp_kill; return 1; }
	tcp_alive || { echo "the connection ended before the $CYCLES cycles did ($((SECONDS - a)) s)"; tcp_kill; return 1; }
	echo "cycles took $((SECONDS - a)) s"
	tcp_stop 5
}
ktap_result "an iperf3 TCP connection survives $CYCLES failovers and re-attaches" tcp_survives

final() { dmn_audit && dmn_kernel_check p1 p2 p3 p4; }
ktap_result "sriovd's audit consistent, the kernel's dumps match" final
teardown() { dmn_ctl partition remove --all && dmn_kernel_empty; }
ktap_result "teardown: nothing left in the kernel" teardown
dmn_stop
ktap_finished
