#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-side: project
# bench-timeout: 900
#
# Failover with the project's stack, driven by sriovd as a user drives it
# (no test responder), measured as the anchors 40 (bonding) and 45
# (net_failover) measure theirs.  sriov_pf on PF 0 with 2 VFs (sriov_vf
# probes them), sriovd started on it (real backend, tests/vm/daemon_lib.bash
# dmn_start), `sriovctl partition add vm1 --pf PF0 --mac M`: sriovd creates
# the sriov_netvsc pair, its host port in sriovd's bridge with PF 0 and the
# adapter nv0 in netns vm1 (198.18.0.10), the partition's MAC filter on the
# default VPort.  `sriovctl attach vm1` then gives it a VF (VF allocated,
# VPort, VF moved into vm1 and paired, filters moved, data path
# acknowledged).
#
# (synthetic_tcp_mbps over this synthetic path is 19-project-synthetic-tcp,
# run in rounds with the anchor.)
# Streams (2000 packets/s from ext0 to the child, the switch at 3 s of 10 s):
#   noswitch   data path on the VF, nothing happens
#   planned    `sriovctl failover vm1 --hold 3600`: data path to synthetic
#              (acknowledged), filters to the default VPort, VF out of the
#              child, VPort deleted, FLR, VF freed (the anchors: make the
#              backup active, unbind); then `sriovctl attach vm1`
#   surprise   sriov_numvfs=0 with no preparation (as in both anchors);
#              sriov_pf moves the filters itself before it removes the VFs,
#              sriovd sees the VF gone and records a surprise sequence.  It
#              runs last: what sriovd does when the VFs come back is logged,
#              not measured
# tcp_survived_pct: iperf3 TCP (10 s) from ext0 to the child across a
# switch at 3 s, alternately `sriovctl failover vm1 --hold 3600` and
# `sriovctl attach vm1`; a run survived if iperf3 ended without error and
# its last second carried data.
# The case logs sriovd's sequence (result, duration) after every switch;
# the daemon's log is copied to $BENCH_RAW/project-failover.sriovd.log.
# The PF goes back to igb through bench_reset (it unloads sriov_pf).
. "$SRIOV_TOP/tools/bench/lib.sh"
. "$SRIOV_TOP/tests/vm/daemon_lib.bash"

SECS=10
MAC=02:00:5e:10:00:0c
NAME="sriovd: sriov_netvsc + sriov_vf on sriov_pf"
DMN_STATE=/tmp/bench-sriovd
DMN_SOCK=$DMN_STATE/sriovd.sock
# on the VM's tmpfs while the case runs (see 25-project-attach.sh)
DMN_LOG=/tmp/bench-sriovd.log
# sriovd manages PF 0 only; PF 1 stays with igb
SRIOV_PF1=
bdf=${SRIOV_PF0:-}
[ -n "$bdf" ] || bench_abort "no PF 0 in the lab"
sys=/sys/bus/pci/devices/$bdf

bench_ext 0 || bench_abort "external host"
bench_sriov_pf 0 2 || bench_abort "sriov_pf with 2 VFs on PF 0"
pf=$BENCH_PF
# Deep RX rings (as the netvsc tests and the lab): when the host
# deschedules the TCG guest, the paced sender catches up in one burst.
deep_rings() { in_ns "${2:-}" ethtool -G "$1" rx 4096 tx 4096 2>/dev/null || in_ns "${2:-}" ethtool -G "$1" rx 4096 2>/dev/null; }
deep_rings "$pf"
bench_sriovd_vm1 "$bdf" "$MAC" "$BENCH_CHILD_IP" project-failover || bench_abort "sriovd with partition vm1"
bench_neigh ext0 "$BENCH_CHILD_IP" "$MAC"
diag() {
	bench_log "diag: $(ip -n vm1 -br link; ip netns exec vm1 ethtool -S nv0 | grep -E 'syn_|vf_|dp_'; dmn_ctl list; dmn_ctl vf show; dmn_ctl audit; dmesg | tail -n 15)"
}
slowwait 15 ping_ok ext0 "$BENCH_CHILD_IP" || { diag; bench_abort "synthetic path: no ping"; }


ethstat() { ip netns exec vm1 ethtool -S nv0 | awk -v k="$1:" '$1 == k {print $2}'; }
# on the VF: the adapter's data path and sriovd's model agree
on_vf() {
	[ "$(ethstat dp_active)" = 1 ] &&
		dmn_ctl --json list | jq -e '.result[] | select(.name == "vm1") | .vf.datapath == "vf"' >/dev/null
}
# the VF netdev sriovd moved into vm1 (a new one after every attach)
vf_rings() {
	local d
	for d in $(ip netns exec vm1 sh -c 'for d in /sys/class/net/*; do [ -e "$d/device/physfn" ] && echo "${d##*/}"; done'); do
		deep_rings "$d" vm1
	done
}
# last_seq KIND [SRIOVCTL_OPTS...]: sriovd's last finished sequence of
# that kind, one line
last_seq() {
	local k=$1
	shift
	dmn_ctl "$@" --json events | jq -c --arg k "$k" '[.result.events[] | select(.type == "sequence" and .kind == $k
		and .partition == "vm1")] | last // {} | {seq, kind, result, duration_ms, reason}'
}
attach() {
	dmn_ctl attach vm1 >/dev/null || { echo "sriovctl attach failed: $(last_seq attach)" >&2; return 1; }
	busywait 10000 on_vf || { echo "attached, but not on the VF: dp_active $(ethstat dp_active)" >&2; return 1; }
	vf_rings
	bench_log "attach: $(last_seq attach)"
	sleep 1
}
planned() { dmn_ctl failover vm1 --hold 3600 >/dev/null || bench_log "sriovctl failover failed"; }
surprise() { echo 0 >"$sys/sriov_numvfs"; }

attach || { diag; bench_abort "the first attach did not reach the VF"; }
slowwait 15 ping_ok ext0 "$BENCH_CHILD_IP" || { diag; bench_abort "VF path: no ping"; }

if bench_seq_start nv_noswitch vm1 ext0 "$BENCH_CHILD_IP" $SECS && bench_seq_wait nv_noswitch; then
	bench_record noswitch_gap_ms "$BENCH_SIDE" "$SEQ_GAP_MS" ms "$NAME, no switch"
else
	bench_fail noswitch_gap_ms "$BENCH_SIDE" ms "$NAME, no switch" "stream failed"
fi

switch_run() {
	local v0 s0
	v0=$(ethstat vf_rx_packets)
	s0=$(ethstat syn_rx_packets)
	bench_switch_run "$@" vm1 "$BENCH_CHILD_IP" || return 1
	bench_log "$1: adapter vf_rx +$(($(ethstat vf_rx_packets) - v0)) syn_rx +$(($(ethstat syn_rx_packets) - s0)), data path $(ethstat dp_active), last reason $(ethstat dp_last_reason)"
}

setup="$NAME: sriovctl failover (filters moved, data path acknowledged, VF released)"
switch_run nv_planned "$setup" planned_failover_lost planned_failover_blackout_ms planned ||
	bench_fail planned_failover_lost "$BENCH_SIDE" packets "$setup" "stream failed"
bench_log "planned: $(last_seq failover)"
attach || { diag; bench_abort "re-attach after the planned failover failed"; }

bench_wants tcp_survived_pct &&
	bench_tcp_survival "$NAME" nv_tcp vm1 "$BENCH_CHILD_IP" on_vf planned attach
on_vf || attach || { diag; bench_abort "re-attach before the surprise failed"; }

setup="$NAME: sriov_numvfs=0, no preparation"
switch_run nv_surprise "$setup" surprise_lost surprise_blackout_ms surprise ||
	bench_fail surprise_lost "$BENCH_SIDE" packets "$setup" "stream failed"
# Not measured, logged: when sriovd answers again after the surprise (its
# surprise sequence runs to the end first), and whether it takes a VF back
# when the VFs return.
t0=$(bench_us)
ev=$(last_seq surprise --timeout 300)
bench_log "surprise: sriovd answered after $((($(bench_us) - t0) / 1000)) ms: ${ev:-no answer}"
echo 2 >"$sys/sriov_numvfs"
if busywait 30000 on_vf; then
	bench_log "VFs enabled again: sriovd re-attached vm1 ($(last_seq attach))"
else
	bench_log "VFs enabled again: vm1 not back on a VF within 30 s ($(dmn_ctl list 2>&1 | tr '\n' ' '))"
fi
exit 0
