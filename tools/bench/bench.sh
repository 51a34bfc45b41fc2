#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: one lab VM run that measures the project's stack and the
# in-tree anchor side by side on the same emulated 82576, then writes
# build/bench/results.json and prints it as a table.  See
# Documentation/performance.rst.
#
#   tools/bench/bench.sh [--timeout SEC] [--icount] [--name NAME] [--rounds N] [CASE_REGEX...]
#
# CASE_REGEX selects cases by file name (tools/bench/cases/*.sh), for
# developing one case at a time.  --icount runs the VM with QEMU's
# instruction counter as its clock (-icount shift=3,sleep=off): the guest's
# time then advances with the instructions it executes, not with the host's
# wall clock, so throughput no longer depends on how busy the host is (but
# device emulation is free in guest time).  --name NAME: the VM run's name
# (default bench; its logs go to build/vm/NAME).  --rounds N: the
# throughput cases' interleaved rounds (default 5, see guest.sh).  Exit
# status: 0 when the VM run worked (even if a measurement failed: its
# metric is null, with the reason), 1 when the run itself failed
# (timeout, crash, kernel warning).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# The net_failover standby's MAC; the VF primary gets the same admin MAC.
standby_mac=52:54:00:fa:11:00
vmargs=()
name=bench
rounds=5
timeout=
while [ $# -gt 0 ]; do
	case $1 in
	--timeout) timeout=$2; shift 2 ;;
	--icount) vmargs=(--qemu-arg=-icount "--qemu-arg=shift=3,sleep=off"); shift ;;
	--name) name=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	-h | --help) sed -n '3,21p' "$0"; exit 0 ;;
	*) break ;;
	esac
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "bench: --rounds wants a positive number, not '$rounds'" >&2; exit 2; }
# The VM's bound: every case's own timeout (a throughput case's once per
# round) plus boot and resets, so that a case that hangs ends itself (and
# is reported) before the VM is killed.
if [ -z "$timeout" ]; then
	timeout=600
	for c in "$top"/tools/bench/cases/*.sh; do
		t=$(sed -n 's/^# bench-timeout:[[:space:]]*//p' "$c" | head -n1)
		grep -q '^# bench-rounds:[[:space:]]*yes' "$c" && t=$((${t:-300} * rounds))
		timeout=$((timeout + ${t:-300}))
	done
fi

build=${SRIOV_BUILD:-$top/build/cmake}
if [ ! -x "$build/tools/traffic/sriov-sequdp" ]; then
	echo "bench: $build/tools/traffic/sriov-sequdp is missing: run 'make userspace'" >&2
	exit 1
fi
out=$top/build/bench
vmout=$top/build/vm/$name
mkdir -p "$out"
rm -f "$out/results.json"
rm -rf "$out/raw"

{
	echo "commit $(git -C "$top" rev-parse --short HEAD 2>/dev/null)"
	echo "start $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg) cpus $(nproc)"
	echo "vm ${vmargs[*]:-(wall clock)}"
} >"$out/host.txt"
t0=$(date +%s)
"$top/tools/vm/run" --name "$name" --nics 2 --standby "$standby_mac" --timeout "$timeout" \
	"${vmargs[@]}" -- env BENCH_ROUNDS="$rounds" tools/bench/guest.sh "$@"
rc=$?
wall=$(($(date +%s) - t0))
echo "end $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg) vm_seconds $wall" >>"$out/host.txt"

[ -d "$vmout/bench" ] && cp -r "$vmout/bench" "$out/raw"
[ -f "$vmout/metrics.jsonl" ] && cp "$vmout/metrics.jsonl" "$out/metrics.jsonl"
echo
/usr/bin/python3 "$top/tools/bench/compose.py" --metrics "$top/tools/bench/metrics.json" \
	--records "$vmout/metrics.jsonl" --cases "$vmout/bench/cases.jsonl" \
	--out "$out/results.json" || rc=1
echo
echo "bench: the VM run took $wall s ($(sed -n 's/^start .* load /load at start /p' "$out/host.txt"))"
echo "bench: results in $out/results.json, raw data in $out/raw, VM logs in $vmout"
[ $rc = 0 ] || echo "bench: the VM run failed (exit $rc): see $vmout" >&2
exit $rc
