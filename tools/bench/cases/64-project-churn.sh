#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-side: project
# bench-timeout: 1800
#
# sriovd under arbitration churn on both NICs: sriov_pf on PF 0 and PF 1
# with 7 VFs each, BENCH_CHURN_PARTITIONS (100) partitions spread over the
# two PFs, each with its own MAC, weight and address; then for
# BENCH_CHURN_SECONDS (600) random operations, one after the other:
# weight changes (which move VFs between partitions), planned failovers,
# attaches, detaches, and partitions removed and new ones added in their
# place.  No in-tree figure: the in-tree stack has no VF arbiter.
#   churn_<op>_ms, churn_<op>_p99_ms: sriovctl's wall time per operation
#     (op: add, remove, attach, failover, detach, weight), median and p99;
#     an attach that the arbiter queues answers at once and is counted
#     apart (churn_attach_queued)
#   churn_seq_<kind>_ms, churn_seq_<kind>_p99_ms: sriovd's own duration of
#     the sequences it ran (the events' duration_ms), by kind
#   churn_ops, churn_failed_ops: operations run, and those sriovctl
#     answered with a failure (not "busy" or "queued": exit 1, 3, 7, 8)
#   churn_reached: of the partitions left at the end, how many the
#     external host reaches (ping), once sriovd is idle
#   churn_audit_consistent: 1 when `sriovctl audit` finds the model and
#     the kernel consistent at the end, else 0
#   churn_teardown_clean: 1 when removing every partition leaves nothing
#     in the kernel's dumps (dmn_kernel_empty), else 0
# Raw: 64-churn-ops.txt (op, ms, exit status, partition), 64-churn-seq.jsonl
# (sriovd's sequence events), 64-sriovd.log.
. "$SRIOV_TOP/tools/bench/lib.sh"
. "$SRIOV_TOP/tests/vm/daemon_lib.bash"

N=${BENCH_CHURN_PARTITIONS:-100}
DUR=${BENCH_CHURN_SECONDS:-600}
NVF=7
SETUP="sriovd + sriov_pf (2 PFs, $NVF VFs each) + sriov_netvsc, $N partitions, ${DUR} s of random operations"
OPS=$BENCH_RAW/64-churn-ops.txt
SEQS=$BENCH_RAW/64-churn-seq.jsonl
DMN_STATE=/tmp/bench-churn
DMN_LOG=/tmp/bench-churn.log
DMN_SOCK=$DMN_STATE/sriovd.sock

fail_all() {
	local m
	for m in churn_ops churn_reached churn_audit_consistent; do
		bench_fail $m project count "$SETUP" "$1"
	done
	exit 0
}

[ -n "${SRIOV_PF1:-}" ] && [ -n "${SRIOV_EXT1:-}" ] || fail_all "needs the lab's two NICs"
bench_sriov_pf 0 $NVF || fail_all "sriov_pf with $NVF VFs on PF 0"
bench_sriov_pf 1 $NVF || fail_all "sriov_pf with $NVF VFs on PF 1"
# both external hosts in netns world, bridged, $BENCH_EXT_IP/24
bench_world || fail_all "the external hosts' namespace"
sysctl -qw net.ipv4.neigh.default.gc_thresh1=1024 net.ipv4.neigh.default.gc_thresh2=2048 \
	net.ipv4.neigh.default.gc_thresh3=4096
rm -rf "$DMN_STATE"
: >"$DMN_LOG"
defer cp "$DMN_LOG" "$BENCH_RAW/64-sriovd.log"
dmn_start || fail_all "sriovd did not start: $(tail -n 2 "$DMN_LOG")"
defer dmn_stop
PFS=("$SRIOV_PF0" "$SRIOV_PF1")

# Partitions are named c<ID> (IDs never reused); slot S (1..N) gives the
# address, so the partitions alive at any time have distinct addresses.
declare -A SLOT
NEXT=1
RANDOM=20261208
: >"$OPS"
: >"$SEQS"

# op NAME PARTITION SRIOVCTL_ARGS...: one timed sriovctl call, logged.
op() {
	local name=$1 p=$2 t0 t1 rc
	shift 2
	t0=$(bench_us)
	dmn_ctl "$@" >/dev/null 2>>"$BENCH_RAW/64-churn-errors.txt"
	rc=$?
	t1=$(bench_us)
	echo "$name $(((t1 - t0) / 1000)) $rc $p" >>"$OPS"
	return $rc
}

add_one() {
	local slot=$1 id=$NEXT name pf
	NEXT=$((NEXT + 1))
	name=c$id
	pf=${PFS[$((id % 2))]}
	op add "$name" partition add "$name" --pf "$pf" --mac "$(printf '02:00:5e:64:%02x:%02x' $((id / 256)) $((id % 256)))" \
		--weight $((RANDOM % 101)) || return 1
	ip -n "$name" -batch - <<-EOF || return 1
		link set lo up
		link set nv0 up
		addr add 198.18.0.$((50 + slot))/24 dev nv0
	EOF
	SLOT[$name]=$slot
}

# pick [holder|waiting]: a partition alive, at random; "holder": one that
# has a VF now, "waiting": one that has none and a weight above 0 (from
# `sriovctl list`, not timed); prints nothing when there is none of that
# kind.
pick() {
	local names
	if [ $# = 0 ]; then
		names=("${!SLOT[@]}")
	elif [ "$1" = holder ]; then
		mapfile -t names < <(dmn_ctl --json list | jq -r '.result[] | select(.vf != null) | .name')
	else
		mapfile -t names < <(dmn_ctl --json list | jq -r '.result[] | select(.vf == null and .weight > 0) | .name')
	fi
	[ ${#names[@]} -gt 0 ] && echo "${names[$((RANDOM % ${#names[@]}))]}"
}

# the sequences sriovd finished since the last call, into $SEQS
LAST_EV=0
collect_events() {
	local ev
	ev=$(dmn_ctl --json events --after "$LAST_EV" 2>/dev/null) || return 0
	jq -c '.result.events[] | select(.type == "sequence")' <<<"$ev" >>"$SEQS"
	LAST_EV=$(jq --argjson l "$LAST_EV" '[.result.events[].id] | max // $l' <<<"$ev")
}

t0=$SECONDS
for ((s = 1; s <= N; s++)); do
	add_one $s || fail_all "partition add $((NEXT - 1)) failed: $(tail -n 1 "$BENCH_RAW/64-churn-errors.txt" 2>/dev/null)"
	((s % 20 == 0)) && collect_events
done
bench_log "$N partitions added in $((SECONDS - t0)) s"

t0=$SECONDS
n=0
while ((SECONDS - t0 < DUR)); do
	r=$((RANDOM % 100))
	if ((r < 30)); then
		p=$(pick)
		op weight "$p" weight "$p" $((RANDOM % 101))
	elif ((r < 50)); then
		p=$(pick holder) && op failover "$p" failover "$p" --hold $((2 + RANDOM % 10))
	elif ((r < 70)); then
		p=$(pick waiting) && op attach "$p" attach "$p"
	elif ((r < 80)); then
		p=$(pick holder) && op detach "$p" detach "$p"
	else
		p=$(pick)
		op remove "$p" partition remove "$p"
		rc=$?
		# busy (6): a sequence of p is running; it stays
		if [ $rc = 0 ]; then
			slot=${SLOT[$p]}
			unset "SLOT[$p]"
			add_one "$slot" || bench_log "add after removing $p failed"
		fi
	fi
	n=$((n + 1))
	((n % 20 == 0)) && collect_events
done
bench_log "$n operations in $((SECONDS - t0)) s"

# the end state: sriovd idle, every partition reachable, audit consistent
dmn_idle 300 || bench_log "sriovd not idle after 300 s"
collect_events
ping1() { ip netns exec world ping -c 1 -W 2 -q "$1" >/dev/null; }
reached=0
for p in "${!SLOT[@]}"; do
	if slowwait 10 ping1 "198.18.0.$((50 + ${SLOT[$p]}))"; then
		reached=$((reached + 1))
	else
		bench_log "the external host does not reach $p (slot ${SLOT[$p]}, $(dmn_ctl --json show "$p" | jq -c '.result.state // .result' 2>/dev/null))"
	fi
done
alive=${#SLOT[@]}
audit=0
dmn_audit >"$BENCH_RAW/64-audit.txt" 2>&1 && audit=1

# figures: sriovctl's wall time per op kind, sriovd's per sequence kind
pct() { sort -n | awk -v q="$1" '{ v[NR] = $1 } END { if (NR) { i = int((NR - 1) * q) + 1; print v[i] } }'; }
for o in add remove attach failover detach weight; do
	ok=$(awk -v o="$o" '$1 == o && $3 == 0 { print $2 }' "$OPS")
	[ -n "$ok" ] || { bench_fail "churn_${o}_ms" project ms "$SETUP" "no successful $o"; continue; }
	cnt=$(wc -l <<<"$ok")
	bench_record "churn_${o}_ms" project "$(pct 0.5 <<<"$ok")" ms "$SETUP: median of $cnt"
	bench_record "churn_${o}_p99_ms" project "$(pct 0.99 <<<"$ok")" ms "$SETUP: p99 of $cnt"
done
queued=$(awk '$1 == "attach" && $3 == 6' "$OPS" | wc -l)
bench_record churn_attach_queued project "$queued" count "$SETUP: attaches the arbiter queued (exit 6)"
for k in $(jq -r '.kind' "$SEQS" | sort -u); do
	d=$(jq -r --arg k "$k" 'select(.kind == $k and .result == "ok") | .duration_ms' "$SEQS")
	[ -n "$d" ] || continue
	cnt=$(wc -l <<<"$d")
	bench_record "churn_seq_${k}_ms" project "$(pct 0.5 <<<"$d")" ms "$SETUP: sriovd's $k sequences, median of $cnt"
	bench_record "churn_seq_${k}_p99_ms" project "$(pct 0.99 <<<"$d")" ms "$SETUP: sriovd's $k sequences, p99 of $cnt"
done
total=$(wc -l <"$OPS")
failed=$(awk '$3 != 0 && $3 != 6' "$OPS" | wc -l)
seqfail=$(jq -r 'select(.result != "ok") | "\(.kind) \(.result) \(.reason)"' "$SEQS" | sort | uniq -c | tr '\n' ';')
bench_record churn_ops project "$total" count "$SETUP: sriovctl calls ($n in the churn)"
bench_record churn_failed_ops project "$failed" count "$SETUP: exit status other than 0 and 6; sequences not ok: ${seqfail:-none}"
bench_record churn_reached project "$reached" count "$SETUP: of $alive partitions alive at the end"
bench_record churn_audit_consistent project "$audit" bool "$SETUP: sriovctl audit after the churn"

clean=0
dmn_ctl partition remove --all >/dev/null && dmn_idle 300 && dmn_kernel_empty >"$BENCH_RAW/64-empty.txt" 2>&1 && clean=1
bench_record churn_teardown_clean project "$clean" bool "$SETUP: every partition removed, the kernel's dumps empty"
exit 0
