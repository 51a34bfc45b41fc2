#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-side: project
# bench-timeout: 360
#
# migration_blackout_ms, project side, driven by sriovd as a user drives it
# (sriovd started on both PFs; sriovctl partition add, attach, migrate; no
# test responder): sriovd migrates a child from NIC 0 to NIC 1 under a
# 2000 packets/s stream from the world, measured like
# 50-anchor-migration.sh (same world: both external-host NICs bridged in
# netns world, 198.18.0.1/24; the child 198.18.0.10).  The child vm1 is a
# partition on PF 0 with a VF attached (data path VF).  At 3 s of a 10 s
# stream: `sriovctl migrate vm1 --to PF1` (fail the VF over to the
# synthetic path, reserve a VF on PF 1) and `sriovctl migrate vm1
# --complete` (synthetic port to PF 1's switch, announced on the wire,
# then the reserved VF attached there).  The child does nothing itself
# (the anchor's child pings once to announce itself).  The blackout is the
# stream's longest gap; 10 s without a move give the floor.  The loss and
# sriovd's migrate sequences (phases) are logged; the daemon's log is
# copied to $BENCH_RAW/project-migration.sriovd.log.
. "$SRIOV_TOP/tools/bench/lib.sh"
. "$SRIOV_TOP/tests/vm/daemon_lib.bash"

SECS=10
MAC=02:00:5e:10:00:0b
SETUP="sriovd: migrate prepare + complete, VF on PF 0 -> VF on PF 1"
DMN_STATE=/tmp/bench-sriovd
DMN_SOCK=$DMN_STATE/sriovd.sock
# on the VM's tmpfs while the case runs (see 25-project-attach.sh)
DMN_LOG=/tmp/bench-sriovd.log

[ -n "${SRIOV_EXT1:-}" ] && [ -n "${SRIOV_PF1:-}" ] || bench_abort "needs --nics 2"
fail() { bench_fail migration_blackout_ms project ms "$SETUP" "$1"; exit 0; }

# the PFs go back to igb through bench_reset (it unloads sriov_pf)
why=$(dmn_modules) || fail "$why"
for i in 0 1; do
	var=SRIOV_PF$i
	sys=/sys/bus/pci/devices/${!var}
	if [ "$(basename "$(readlink -f "$sys/driver" 2>/dev/null)")" != sriov_pf ]; then
		[ -e "$sys/driver" ] && echo "${!var}" >"$sys/driver/unbind"
		echo "${!var}" >/sys/bus/pci/drivers/sriov_pf/bind || fail "sriov_pf does not bind ${!var}"
	fi
	pf=$(wait_pci_netdev "${!var}" 15) || fail "no netdev on ${!var}"
	ip link set "$pf" up
	wait_carrier "$pf" 30 || fail "$pf: no carrier"
	modprobe -r igbvf 2>/dev/null
	echo 2 >"$sys/sriov_numvfs" || fail "no VFs on ${!var}"
	defer bench_vfs_disable $i
done

bench_world || fail "the world netns"

bench_sriovd_vm1 "$SRIOV_PF0" "$MAC" "$BENCH_CHILD_IP" project-migration || fail "sriovd with partition vm1"
synth_diag() {
	bench_log "diag: $(ip -br link show; bridge link show; ip -n vm1 -br addr; ip netns exec vm1 ethtool -S nv0 | grep -E 'syn_|dp_'; dmn_ctl vf show; dmn_ctl audit; dmesg | tail -n 15)"
}
slowwait 8 ping_ok world "$BENCH_CHILD_IP" || { synth_diag; fail "world cannot reach the child"; }
bench_neigh world "$BENCH_CHILD_IP" "$MAC" wbr
dmn_ctl attach vm1 >/dev/null || fail "attach failed"
dp() { ip netns exec vm1 ethtool -S nv0 | awk '$1 == "dp_active:" {print $2}'; }
busywait 5000 test "$(dp)" = 1 || fail "the adapter is not on the VF after attach"
slowwait 8 ping_ok world "$BENCH_CHILD_IP" || { synth_diag; fail "world cannot reach the child over the VF"; }

# the floor of this path (logged only: noswitch_gap_ms has its own case)
if bench_seq_start pmig_noswitch vm1 world "$BENCH_CHILD_IP" $SECS &&
	bench_seq_wait pmig_noswitch; then
	bench_log "no-switch floor on the VF path: longest gap $SEQ_GAP_MS ms, lost $SEQ_LOST"
fi

migrate() {
	local t0 t1 t2
	t0=$(bench_us)
	dmn_ctl migrate vm1 --to "$SRIOV_PF1" >/dev/null || bench_log "migrate prepare failed"
	t1=$(bench_us)
	dmn_ctl migrate vm1 --complete >/dev/null || bench_log "migrate complete failed"
	t2=$(bench_us)
	bench_log "prepare $(((t1 - t0) / 1000)) ms, complete $(((t2 - t1) / 1000)) ms (sriovctl wall time)"
}
rx1() { cat "/sys/class/net/$(pci_netdev "$SRIOV_PF1")/statistics/rx_packets"; }
rx_before=$(rx1)
if bench_migration_run pmigration "$SETUP" migrate vm1; then
	bench_log "PF 1 received $(($(rx1) - rx_before)) packets during the run"
	bench_log "after: $(dmn_ctl --json list | jq -c '.result[0] | {pf, vf: .vf | {pf, vf, datapath}}'), adapter dp_active $(dp)"
	dmn_ctl --json events | jq -c '.result.events[] | select(.type == "sequence" and (.kind | startswith("migrate")))
		| {kind, result, duration_ms, phases: [.phases[] | {(.step): .duration_ms}] | add}' |
		while IFS= read -r l; do bench_log "$l"; done
fi
exit 0
