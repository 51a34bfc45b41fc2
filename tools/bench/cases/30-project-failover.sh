#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-side: project
# bench-timeout: 900
#
# Failover with the project's stack, measured as the anchors 40 (bonding)
# and 45 (net_failover) measure theirs: sriov_netvsc's pair nvh0/nv0 (nvh0
# in bridge br0 with sriov_pf on PF 0, the adapter nv0 with 198.18.0.10 in
# netns child0) and sriov_vf on VF 0, claimed by nv0.  The NIC switch is
# driven as sriovd drives it (tests/lib/netvsc_lib.sh): VF 0 allocated with
# the adapter's serial and MAC, a VPort for it, the adapter's MAC filter on
# the default VPort; a responder answers the adapter's switch requests and
# moves the filter to the VF's VPort (to the VF) or back (to synthetic).
#
#   synthetic_tcp_mbps  iperf3 ext0 -> child over br0/nvh0/nv0 before the
#                       VF exists (the anchor: bridge + veth)
# Streams (2000 packets/s from ext0 to the child, the switch at 3 s of 10 s):
#   noswitch   data path on the VF, nothing happens
#   planned    the host asks for the synthetic path (DP_WANT, as sriovd's
#              release sequence does), the filter moves, then sriov_vf is
#              unbound (the anchors: make the backup active, unbind)
#   surprise   sriov_numvfs=0 with no preparation (as in both anchors);
#              sriov_pf moves the filter itself before it removes the VFs
#              (vf_reset_failover, reason sriov-disable; sriov_vf's
#              VF_GOING_DOWN notice then finds nothing left to move)
# tcp_survived_pct: iperf3 TCP (10 s) from ext0 to the child across a
# switch at 3 s, alternately the planned failover and the way back (bind,
# DP_WANT vf); a run survived if iperf3 ended without error and its last
# second carried data.
# The PF is handed back to igb afterwards, as 15/17 do.
. "$SRIOV_TOP/tools/bench/lib.sh"
NV_PF_DRIVER=sriov_pf
NV_VF_DRIVER=sriov_vf
OUT=$BENCH_RAW
. "$SRIOV_TOP/tests/lib/netvsc_lib.sh"

SECS=10
NAME="sriov_netvsc + sriov_vf on sriov_pf"
bdf=${SRIOV_PF0:-}
[ -n "$bdf" ] || bench_abort "no PF 0 in the lab"
sys=/sys/bus/pci/devices/$bdf

give_back() {
	[ -e "$sys/driver" ] && echo "$bdf" >"$sys/driver/unbind"
	modprobe igb && echo "$bdf" >/sys/bus/pci/drivers/igb/bind 2>/dev/null
}

if [ -e "$sys/driver" ]; then
	echo "$bdf" >"$sys/driver/unbind" || bench_abort "could not unbind the PF"
fi
defer give_back
modprobe sriov_pf || bench_abort "sriov_pf did not load"
[ -e "$sys/driver" ] || echo "$bdf" >/sys/bus/pci/drivers/sriov_pf/bind
nv_setup_synthetic || bench_abort "synthetic path (bridge, sriov_netvsc pair)"
bench_neigh ext0 "$NV_IP" "$NV_MAC"
slowwait 15 ping_ok ext0 "$NV_IP" || bench_abort "synthetic path: no ping"

bench_wants synthetic_tcp_mbps && {
v=$(bench_iperf child0 "$NV_IP" ext0 "${BENCH_TCP_SECS:-6}" nv_synthetic_rx) &&
	bench_record synthetic_tcp_mbps "$BENCH_SIDE" "$v" Mbit/s "bridge(sriov_pf PF)+sriov_netvsc" ||
	bench_fail synthetic_tcp_mbps "$BENCH_SIDE" Mbit/s "bridge(sriov_pf PF)+sriov_netvsc" "iperf3 failed"
}

nv_vf_create || bench_abort "VF 0 (switch setup)"
defer bench_vfs_disable 0
nv_responder_start 3000
defer nv_responder_stop
nv_vf_driver_bind || bench_abort "sriov_vf did not bind VF 0"
nv_wait_dp 1 40 || bench_abort "the adapter never switched to the VF"
bench_log "VF $VF ($VFDEV), VPort $NV_VPORT, filter $NV_FID on VPort $(nv_filter_vport)"

on_vf() { [ "$(nv_get dp_active)" = 1 ]; }
vf_add() {
	if [ ! -e "$sys/virtfn0" ]; then
		# sriov_numvfs=0 took the switch (VPort, filters) with it:
		# allocate again, and answer with the new ids
		nv_responder_stop
		nv_vf_create || return 1
		nv_responder_start 3000
		nv_vf_driver_bind || return 1
	else
		nv_vf_bind || return 1
		nv_deep_rings "$VFDEV"
	fi
	nv_ctl set nvh0 --want vf
	nv_wait_dp 1 40 || { echo "the adapter did not switch back to the VF" >&2; return 1; }
	sleep 1
}
planned() {
	nv_ctl set nvh0 --want syn
	# acked: the filter is on the default VPort
	nv_ctl_child wait nv0 dp_pending 255 --timeout-s 10 >/dev/null
	nv_vf_unbind
}
surprise() { nv_vf_disable; }

rx() { nv_stat "$1"; }
if bench_seq_start nv_noswitch child0 ext0 "$NV_IP" $SECS && bench_seq_wait nv_noswitch; then
	bench_record noswitch_gap_ms "$BENCH_SIDE" "$SEQ_GAP_MS" ms "$NAME, no switch"
else
	bench_fail noswitch_gap_ms "$BENCH_SIDE" ms "$NAME, no switch" "stream failed"
fi

switch_run() {
	local v0 s0
	v0=$(rx vf_rx_packets)
	s0=$(rx syn_rx_packets)
	bench_switch_run "$@" child0 "$NV_IP" || return 1
	bench_log "$1: adapter vf_rx +$(($(rx vf_rx_packets) - v0)) syn_rx +$(($(rx syn_rx_packets) - s0)), data path $(nv_get dp_active), last reason $(nv_get last_reason_name)"
}

setup="$NAME: DP_WANT synthetic (filter moved), then sriov_vf unbind"
switch_run nv_planned "$setup" planned_failover_lost planned_failover_blackout_ms planned ||
	bench_fail planned_failover_lost "$BENCH_SIDE" packets "$setup" "stream failed"
vf_add || bench_abort "VF re-add failed"

setup="$NAME: sriov_numvfs=0, no preparation"
switch_run nv_surprise "$setup" surprise_lost surprise_blackout_ms surprise ||
	bench_fail surprise_lost "$BENCH_SIDE" packets "$setup" "stream failed"
vf_add || bench_abort "VF re-add failed"

bench_wants tcp_survived_pct &&
	bench_tcp_survival "$NAME" nv_tcp child0 "$NV_IP" on_vf planned vf_add
nv_responder_stop
exit 0
