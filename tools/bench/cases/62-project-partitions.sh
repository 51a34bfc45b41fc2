#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-side: project
# bench-timeout: 900
#
# partitions_per_pf, partitions_per_pf_limit and arbitration_move_lost,
# project side: tests/vm/ctl_arbiter.sh on sriov_pf (7 VFs) with sriovd.
#   partitions_per_pf: how many of BENCH_PARTITIONS (64) partitions, each
#     with its own MAC and address, answer a ping from the external host
#     (the 7 heaviest over their VF, the others over the synthetic path)
#   partitions_per_pf_limit: the switch's own capacity as the kernel
#     reports it (switch-get: default-mac-filters-max partitions on the
#     synthetic path, plus one on each of the 7 VFs, read while the VFs
#     are enabled); no in-tree figure (a bridge's FDB has no fixed limit)
#   arbitration_move_lost: datagrams of a 2000/s stream to one partition
#     lost over 50 random weight changes that move it between its VF and
#     the synthetic path (planned failovers, cause preempted)
# The PF is handed back to igb by bench_reset, as the other project cases.
. "$SRIOV_TOP/tools/bench/lib.sh"
. "$SRIOV_TOP/tests/vm/daemon_lib.bash"

N=${BENCH_PARTITIONS:-64}
NVF=7
SETUP="sriovd + sriov_pf ($NVF VFs) + sriov_netvsc, $N partitions"
ARB=$SRIOV_OUT/arb

fail() {
	bench_fail partitions_per_pf project count "$SETUP" "$1"
	bench_fail arbitration_move_lost project packets "$SETUP" "$1"
	exit 0
}

# the kernel's capacity report: the switch exists while VFs are enabled
bench_sriov_pf 0 $NVF || fail "sriov_pf with $NVF VFs on PF 0"
ynl=$(ksrc_ynl) || fail "no YNL CLI (make ksrc)"
ifindex=$(cat "/sys/class/net/$BENCH_PF/ifindex")
sw=$(/usr/bin/python3 "$SRIOV_TOP/tests/lib/ynl_libyaml.py" "$ynl" --spec "$SRIOV_TOP/Documentation/netlink/specs/sriov.yaml" \
	--no-schema --output-json --do switch-get --json "{\"ifindex\": $ifindex}") ||
	fail "switch-get failed"
max=$(jq '."default-mac-filters-max"' <<<"$sw")
# ctl_arbiter enables the VFs itself
bench_vfs_disable 0
if [[ $max =~ ^[1-9][0-9]*$ ]]; then
	bench_record partitions_per_pf_limit project $((max + NVF)) count \
		"sriov_pf switch-get: default-mac-filters-max $max + $NVF VFs"
else
	bench_fail partitions_per_pf_limit project count "sriov_pf switch-get" "no default-mac-filters-max in $sw"
fi

rm -rf "$ARB"
# one PF: the test's partitions and stream are on PF 0
SRIOV_PF1= ARB_PARTITIONS=$N DMN_STATE=/tmp/bench-arb DMN_LOG=/tmp/bench-arb.log \
	bash "$SRIOV_TOP/tests/vm/ctl_arbiter.sh" >"$BENCH_RAW/62-arbiter.ktap" 2>&1
cp /tmp/bench-arb.log "$BENCH_RAW/62-sriovd.log" 2>/dev/null
bench_log "$(grep -E '^(ok|not ok|# Totals)' "$BENCH_RAW/62-arbiter.ktap" | tr '\n' ';')"

if [ -s "$ARB/reached" ]; then
	bench_record partitions_per_pf project "$(cat "$ARB/reached")" count "$SETUP"
else
	bench_fail partitions_per_pf project count "$SETUP" \
		"the partitions were not created (see $BENCH_RAW/62-arbiter.ktap)"
fi
if [ -s "$ARB/churn" ]; then
	read -r sent lost gap <"$ARB/churn"
	moves=$(cat "$ARB/moves" 2>/dev/null || echo "?")
	bench_record arbitration_move_lost project "$lost" packets \
		"$SETUP, 50 weight changes, $moves moves off the VF, $sent sent, longest gap $gap ms"
else
	bench_fail arbitration_move_lost project packets "$SETUP" \
		"the churn did not run (see $BENCH_RAW/62-arbiter.ktap)"
fi
exit 0
