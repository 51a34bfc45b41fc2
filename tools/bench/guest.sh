#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inside the lab VM (started by tools/bench/bench.sh): run every benchmark
# case tools/bench/cases/*.sh in name order, each in its own shell, under
# its own timeout, from a clean lab (bench_reset).  A case names its side
# and time limit near its top:
#
#   # bench-side: anchor        (or: project)
#   # bench-timeout: 300        (seconds; default 300)
#   # bench-rounds: yes         (optional: a throughput case)
#
# The throughput cases (bench-rounds) run first, BENCH_ROUNDS times (5)
# interleaved: round 1 runs each of them once in name order, then round 2,
# and so on, so that the host's load drifts over both sides alike; each
# record carries its round and compose.py reports the median with min and
# max.  The other cases then run once each, in name order.
#
# Arguments: optional extended regular expressions; only cases whose file
# name matches one of them run (e.g. `bench.sh attach`).
# A benchmark reports, it does not judge: this exits 0 whatever the cases
# measured; a case that fails or times out leaves its metrics null.
. "$SRIOV_TOP/tools/bench/lib.sh"

# Let the stream receiver have the 4 MB socket buffer it asks for (the
# default cap, 208 KB, holds ~270 small datagrams: a 150 ms stall of the
# receiving process under TCG would drop packets that did arrive).
sysctl -qw net.core.rmem_max=8388608

: >"$BENCH_METRICS"
mkdir -p "$BENCH_RAW"
{
	echo "kernel $(uname -r)"
	echo "date $(date -u +%FT%TZ)"
	echo "cpus $(nproc)"
	env | grep '^SRIOV_' | sort
} >"$BENCH_RAW/lab.txt"

selected() {
	local p
	[ $# = 0 ] && return 0
	for p in "$@"; do
		[[ $name =~ $p ]] && return 0
	done
	return 1
}

ROUNDS=${BENCH_ROUNDS:-5}

# run_case FILE ROUND: one case from a clean lab, under its timeout
run_case() {
	local c=$1 round=$2 name side tmo t0 t1 rc why log
	name=$(basename "$c" .sh)
	side=$(sed -n 's/^# bench-side:[[:space:]]*//p' "$c" | head -n1)
	tmo=$(sed -n 's/^# bench-timeout:[[:space:]]*//p' "$c" | head -n1)
	case $side in project | anchor) ;; *)
		echo "# bench: $name: no '# bench-side: project|anchor' line, skipped"
		return ;;
	esac
	log=$BENCH_RAW/$name.log
	[ "$round" = 0 ] || log=$BENCH_RAW/$name.round$round.log
	bench_reset >/dev/null 2>&1
	bench_lab_names
	if [ "$round" = 0 ]; then
		echo "# bench: case $name ($side, timeout ${tmo:-300} s)"
	else
		echo "# bench: case $name ($side, timeout ${tmo:-300} s, round $round of $ROUNDS)"
	fi
	t0=$(bench_us)
	BENCH_CASE=$name BENCH_SIDE=$side BENCH_ROUND=$round timeout -k 10 "${tmo:-300}" \
		bash "$c" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	t1=$(bench_us)
	why=
	[ "$rc" = 124 ] && { why="timed out after ${tmo:-300} s"; echo "# bench: case $name TIMED OUT after ${tmo:-300} s"; }
	# an aborted case says why in its log (bench_abort); its metrics stay null
	[ "$rc" != 0 ] && [ -z "$why" ] &&
		why=$(sed -n 's/^# [0-9:.]* [^ ]*: ABORT: //p' "$log" | tail -n 1)
	echo "# bench: case $name exit $rc in $(((t1 - t0) / 1000000)) s${why:+: $why}"
	jq -cn --arg c "$name" --arg s "$side" --argjson rc "$rc" --argjson round "$round" \
		--argjson sec $(((t1 - t0) / 1000000)) --arg why "$why" \
		'{case: $c, side: $s, exit: $rc, seconds: $sec} + (if $round > 0 then {round: $round} else {} end)
		 + (if $why == "" then {} else {reason: $why} end)' \
		>>"$BENCH_RAW/cases.jsonl"
}

rounds=() once=()
for c in "$SRIOV_TOP"/tools/bench/cases/*.sh; do
	name=$(basename "$c" .sh)
	selected "$@" || continue
	if grep -q '^# bench-rounds:[[:space:]]*yes' "$c"; then
		rounds+=("$c")
	else
		once+=("$c")
	fi
done
total0=$(bench_us)
if [ ${#rounds[@]} -gt 0 ]; then
	for ((r = 1; r <= ROUNDS; r++)); do
		for c in "${rounds[@]}"; do run_case "$c" "$r"; done
	done
fi
for c in "${once[@]}"; do run_case "$c" 0; done
bench_reset >/dev/null 2>&1
echo "# bench: all cases done in $((($(bench_us) - total0) / 1000000)) s"
exit 0
