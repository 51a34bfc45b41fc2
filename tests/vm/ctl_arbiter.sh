#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 900
#
# More partitions than VFs, on the project's stack (sriov_pf + sriov_vf +
# sriov_netvsc + sriovd): Documentation/networking/sriov_switch.rst
# ("Capacity") and Documentation/design/daemon.rst ("VF arbitration").
#   - NP partitions on PF 0 with 7 VFs, weights all different: every one
#     created and reachable from the external host (the 7 heaviest over
#     their VF, the others over the synthetic path), the 7 heaviest on
#     VFs, audit consistent, kernel check clean
#   - arbitration churn: CHURN weight changes at random while a 2000/s
#     stream runs to one partition whose own weight swings between the
#     top and the bottom, so it moves between its VF and the synthetic
#     path: 0 lost, and each of its moves off the VF is a planned failover
#     with reason "preempted" in the events
#   - after the churn the 7 heaviest (by the final weights) hold the VFs
# What it measured (partitions reached, the churn stream's sent/lost/gap,
# the number of moves off the VF) is left in $SRIOV_OUT/arb for make bench
# (tools/bench/cases/62-project-partitions.sh).
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/vm/daemon_lib.bash"
BENCH_RAW=$SRIOV_OUT/arb
BENCH_METRICS=$SRIOV_OUT/arb/metrics.jsonl
BENCH_RT=
. "$SRIOV_TOP/tools/bench/lib.sh"

STREAM_RATE=2000
BENCH_RATE=$STREAM_RATE
BENCH_IDLE_MS=3000
NP=${ARB_PARTITIONS:-64}
NVF=7
CHURN=${ARB_CHURN:-50}
# the partition the stream goes to
S=p1
# bounded waits for the arbiter to settle
SETTLE_S=120

ktap_header
[ -n "${SRIOV_PF0:-}" ] && [ -n "${SRIOV_EXT0:-}" ] || ktap_bail "lab without an 82576 PF and its external host"
dmn_require sequdp
sysctl -qw net.core.rmem_max=33554432
dmn_vfs "$SRIOV_PF0" $NVF || ktap_bail "cannot enable $NVF VFs on PF0"
PF=$(wait_pci_netdev "$SRIOV_PF0" 10) || ktap_bail "no netdev for PF 0"
# Deep RX ring on the PF, the synthetic path's NIC (as the lab and the
# netvsc tests): when the host deschedules the TCG guest, the paced sender
# catches up in one burst that would overflow 256 descriptors.
ethtool -G "$PF" rx 4096 tx 4096 2>/dev/null || ethtool -G "$PF" rx 4096 ||
	ktap_bail "cannot set the PF's RX ring to 4096"
# the external host of PF 0, the stream's sender
world() {
	bench_ns world || return 1
	ip link set "$SRIOV_EXT0" netns world || return 1
	defer ip -n world link set "$SRIOV_EXT0" netns 1
	ip -n world link set "$SRIOV_EXT0" up &&
		ip -n world addr add "$BENCH_EXT_IP/24" dev "$SRIOV_EXT0"
}
world || ktap_bail "the external host's namespace"
dmn_start || ktap_bail "sriovd does not start: $(tail -n 2 "$DMN_LOG")"
defer sh -c "kill -9 \$(cat $DMN_STATE/pid) 2>/dev/null"
ktap_plan 5

ip_of() { echo "198.18.0.$((100 + $1))"; }
mac_of() { printf '02:00:5e:30:%02x:%02x\n' $(($1 / 256)) $(($1 % 256)); }
# distinct initial weights, not in name order: 1 + (i * 37) mod 97
weight_of() { echo $((1 + ($1 * 37) % 97)); }
# W: the weights as set; the checks run in subshells (ktap_result), so
# the churn saves them in $WFILE for the checks after it
declare -A W
for ((i = 1; i <= NP; i++)); do W[p$i]=$(weight_of $i); done
WFILE=$SRIOV_OUT/arb/weights
create_all() {
	local i rc t0=$SECONDS
	for ((i = 1; i <= NP; i++)); do
		dmn_ctl partition add "p$i" --pf "$SRIOV_PF0" --mac "$(mac_of $i)" --weight "${W[p$i]}" >/dev/null ||
			{ echo "partition add p$i failed"; return 1; }
		# every partition wants a VF: the arbiter gives the VFs to the
		# heaviest, the others stay queued (exit 6) on the synthetic path
		dmn_ctl attach "p$i" --no-wait >/dev/null
		rc=$?
		[ $rc = 0 ] || [ $rc = 6 ] || { echo "attach p$i: exit $rc"; return 1; }
		# one ip for the three (a process start is costly under TCG)
		ip -n "p$i" -batch - <<-EOF
			link set lo up
			link set nv0 up
			addr add $(ip_of $i)/24 dev nv0
		EOF
	done
	echo "$NP partitions added in $((SECONDS - t0)) s"
}
# the partitions that hold a VF, and the NVF heaviest by W
holders() { dmn_ctl --json list | jq -r '.result[] | select(.vf != null) | .name' | sort; }
heaviest() {
	local p
	for p in "${!W[@]}"; do echo "${W[$p]} $p"; done | sort -rn | head -n $NVF | awk '{print $2}' | sort
}
settled() { dmn_idle 5 && [ "$(holders)" = "$(heaviest)" ]; }
ping1() { ip netns exec world ping -c 1 -W 2 -q "$1" >/dev/null; }
# the number reached goes to $SRIOV_OUT/arb/reached (make bench reads it)
reach_all() {
	local i bad=0
	for ((i = 1; i <= NP; i++)); do
		slowwait 10 ping1 "$(ip_of $i)" || { echo "world does not reach p$i"; bad=$((bad + 1)); }
	done
	echo $((NP - bad)) >"$SRIOV_OUT/arb/reached"
	[ $bad = 0 ]
}
setup() {
	create_all || return 1
	busywait $((SETTLE_S * 1000)) settled || {
		echo "holders: $(holders | tr '\n' ' ') heaviest: $(heaviest | tr '\n' ' ')"
		return 1
	}
	reach_all && dmn_audit && dmn_kernel_check $(for ((i = 1; i <= NP; i++)); do echo "p$i"; done)
}
ktap_result "$NP partitions on PF 0 with $NVF VFs: all created and reachable, the $NVF heaviest on VFs, audit consistent, kernel check clean" setup ||
	ktap_bail "no partitions to work with: $(dmn_ctl list 2>&1 | tail -n 3)"

# --- churn ---
rcvbuf_errors() {
	in_ns "$1" awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 }
		else print $c["RcvbufErrors"] }' /proc/net/snmp
}
# where datagrams could be dropped below the socket: the PF's counters
# (missed: RX FIFO full; no_buffer: no free descriptor) and the guest's
# backlog drops (softnet_stat, second column, summed over CPUs)
drops() {
	local d=0 x
	while read -r _ x _; do d=$((d + 16#$x)); done </proc/net/softnet_stat
	echo "PF $(ethtool -S "$PF" | awk '$1 ~ /^rx_(missed_errors|no_buffer):$/ {printf "%s%s ", $1, $2}')softnet_dropped:$d"
}
after_id=$(dmn_ctl --json events | jq '[.result.events[].id] | max // 0')
churn() {
	local c p w n=0
	RANDOM=20261206
	for ((c = 1; c <= CHURN; c++)); do
		if ((c % 5 == 0)); then
			# the streamed partition swings to the top, then the bottom
			p=$S
			if ((c % 10 == 0)); then w=0; else w=100; fi
		else
			p=p$((1 + RANDOM % NP))
			[ "$p" = "$S" ] && continue
			# a weight no other partition has: the heaviest are well defined
			while w=$((1 + RANDOM % 99)); printf '%s\n' "${W[@]}" | grep -qx "$w"; do :; done
		fi
		dmn_ctl weight "$p" "$w" >/dev/null || { echo "weight $p $w refused"; return 1; }
		W[$p]=$w
		n=$((n + 1))
		sleep 0.3
	done
	echo "$n weight changes"
}
churn_stream() {
	local r0 lost secs=$((CHURN / 2 + 20))
	dmn_ctl weight "$S" 100 >/dev/null && W[$S]=100
	busywait $((SETTLE_S * 1000)) settled || { echo "not settled before the stream"; return 1; }
	r0=$(rcvbuf_errors "$S")
	echo "drops before: $(drops)"
	bench_seq_start churn "$S" world "$(ip_of 1)" "$secs" || return 1
	bench_seq_at 2000
	churn || return 1
	declare -p W >"$WFILE"
	# the stream goes on until 3 s after sriovd settled on the last
	# weights ($secs at most): every move the churn caused is inside it
	busywait $((SETTLE_S * 1000)) settled && sleep 3 && bench_seq_stop churn
	bench_seq_wait churn || return 1
	lost=$((SEQ_LOST - ($(rcvbuf_errors "$S") - r0)))
	echo "drops after: $(drops)"
	echo "churn stream: sent $SEQ_SENT, lost on the way $lost, longest gap $SEQ_GAP_MS ms"
	echo "$SEQ_SENT $lost $SEQ_GAP_MS" >"$SRIOV_OUT/arb/churn"
	[ "$lost" -le 0 ]
}
ktap_result "$CHURN weight changes under a ${STREAM_RATE}/s stream to $S, which moves between VF and synthetic: 0 lost" churn_stream
moves_reasoned() {
	local ev n_pre
	ev=$(dmn_ctl --json events --after "$after_id")
	n_pre=$(jq --arg s "$S" '[.result.events[] | select(.type == "sequence" and .partition == $s
		and .kind == "failover")] | length' <<<"$ev")
	echo "$S: failovers $n_pre, their causes: $(jq -c --arg s "$S" '[.result.events[] | select(.type == "sequence"
		and .partition == $s and .kind == "failover") | .cause] | unique' <<<"$ev")"
	echo "$n_pre" >"$SRIOV_OUT/arb/moves"
	[ "$n_pre" -ge 2 ] && jq -e --arg s "$S" '[.result.events[] | select(.type == "sequence" and .partition == $s
		and .kind == "failover") | .cause == "preempted" and .result == "ok"] | all' <<<"$ev" >/dev/null
}
ktap_result "each move of $S off its VF was a planned failover, cause preempted" moves_reasoned
final_weights() {
	. "$WFILE" || { echo "no weights saved by the churn"; return 1; }
	busywait $((SETTLE_S * 1000)) settled || {
		echo "holders: $(holders | tr '\n' ' ') heaviest: $(heaviest | tr '\n' ' ')"
		return 1
	}
	dmn_audit
}
ktap_result "after the churn the $NVF heaviest hold the VFs, audit consistent" final_weights
teardown() { dmn_ctl partition remove --all && dmn_idle 60 && dmn_kernel_empty; }
ktap_result "teardown: nothing left in the kernel" teardown
dmn_stop
ktap_finished
