#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 420
#
# Failover of the project's stack (sriov_pf + sriov_vf + sriov_netvsc, the
# NIC switch driven as sriovd drives it, see tests/lib/netvsc_lib.sh) under
# the DPDK stream: the external host's paced sequenced UDP stream (2000
# packets/s, 8 s) is sent by sriov-dpdk-sequdp through DPDK's af_packet PMD
# on ext0's netdev (NV_SENDER=dpdk), received by sriov-sequdp on the adapter.
#
#   planned   2.5 s in: the adapter asks for the synthetic path (the
#             responder moves the MAC filter to the default VPort and
#             acks), then sriov_vf is unbound: 0 datagrams lost, every
#             datagram sent (issue #6's planned-failover target)
#   back      sriov_vf bound again, the adapter asks for the VF
#   floor     the same stream with no switch at all, after the planned
#             part (the VF path)
#   surprise  2.5 s in: sriov_numvfs=0 with nothing prepared: the stream
#             must continue on the synthetic path, and lose at most 10
#             datagrams (issue #6's target) more than the floor; both
#             counted net of the datagrams the receiving socket dropped
#             because TCG starved its process (UdpRcvbufErrors): sriov_pf
#             moves the adapter's filter before it removes the VFs, so the
#             failover itself should lose nothing
# The bench's dpdk_* metrics (tools/bench/cases/32-project-failover-dpdk.sh)
# measure the same with the bench's stream handling.
NV_PF_DRIVER=sriov_pf
NV_VF_DRIVER=sriov_vf
NV_SENDER=dpdk
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/netvsc_lib.sh"
. "$SRIOV_TOP/tests/lib/dpdk.sh"

require_cmd jq
[ -x "$SEQUDP" ] || ktap_bail "sriov-sequdp not built ($SEQUDP)"
dpdk_require_dseq "$DSEQUDP"
ls /usr/lib/x86_64-linux-gnu/dpdk/pmds-*/librte_net_af_packet.so >/dev/null 2>&1 ||
	ktap_skip_all "DPDK af_packet PMD not installed (librte-net-af-packet23)"
nv_ynl_find || ktap_bail "no YNL library (make ksrc: tools/ksrc.sh tools/net/ynl)"
RATE=${NV_RATE:-2000}
SECS=8
OUT=$SRIOV_OUT
ktap_header
ktap_plan 6

nv_setup_synthetic || ktap_bail "synthetic topology setup failed"
nv_vf_create || ktap_bail "VF setup failed"
nv_responder_start 3000
defer kill "$NV_RESP"
nv_vf_driver_bind || ktap_bail "sriov_vf did not bind VF 0"
ktap_result "data path on the VF" nv_wait_dp 1 40
slowwait 15 ping_ok ext0 "$NV_IP" || ktap_bail "ext0 cannot ping the adapter"

# the receiving socket's drops (UdpRcvbufErrors in child0)
rcvbuf_errors() {
	ip netns exec child0 awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 }
		else print $c["RcvbufErrors"] }' /proc/net/snmp
}
declare -A sockdrop
# run NAME ACTION: the DPDK stream with ACTION 2.5 s after its first datagram
run() {
	local r0
	nv_counters "before-$1"
	r0=$(rcvbuf_errors)
	nv_stream_start "$1"
	[ -e "$OUT/$1.sready" ] || { ktap_diag "$1: DPDK sender not ready: $(cat "$OUT/$1-send.err")"; return 1; }
	sleep 2.5
	$2
	nv_stream_wait
	sockdrop[$1]=$(($(rcvbuf_errors) - r0))
	nv_report "$1"
	ktap_diag "$1: sender $(cat "$OUT/$1-send.json")"
}
planned() {
	nv_ctl set nvh0 --want syn
	nv_ctl_child wait nv0 dp_pending 255 --timeout-s 10 >/dev/null
	nv_vf_unbind
}
sent_all() { [ "$(jq .sent "$OUT/$1-send.json" 2>/dev/null)" = $((SECS * RATE)) ]; }

run planned planned
planned_ok() {
	sent_all planned && [ "$(nv_field planned lost)" = 0 ] &&
		[ "$(nv_field planned expected)" = $((SECS * RATE)) ] &&
		[ "$(nv_get dp_active)" = 0 ]
}
ktap_result "planned failover under the DPDK stream: lost $(nv_field planned lost) of $(jq .sent "$OUT/planned-send.json" 2>/dev/null), longest gap $(nv_field planned longest_gap_ms) ms" planned_ok

back() {
	nv_vf_bind && nv_deep_rings "$VFDEV" && nv_ctl set nvh0 --want vf && nv_wait_dp 1 40
}
ktap_result "back on the VF (bind, DP_WANT vf)" back

run floor true
ktap_result "no-switch floor: every datagram sent, $(nv_field floor lost) lost (${sockdrop[floor]} dropped by the receiving socket)" \
	sent_all floor

run surprise nv_vf_disable
continued() {
	sent_all surprise && [ "$(nv_field surprise unique)" -gt $((SECS * RATE / 2)) ] &&
		[ "$(nv_get dp_active)" = 0 ]
}
ktap_result "surprise removal (sriov_numvfs=0): the DPDK stream continued on the synthetic path" continued
net_lost() { echo $(($(nv_field "$1" lost) - ${sockdrop[$1]:-0})); }
lost=$(net_lost surprise)
floor=$(net_lost floor)
[ "$floor" -lt 0 ] && floor=0
ktap_result "surprise: at most floor + 10 packets lost ($lost net of ${sockdrop[surprise]} socket drops, floor $floor)" \
	test "$lost" -le $((floor + 10))
nv_responder_stop
ktap_finished
