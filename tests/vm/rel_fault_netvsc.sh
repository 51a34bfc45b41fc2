#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 420
#
# sriov_netvsc fault injection: the host side's acknowledgment of a data
# path switch is lost (debugfs fault/stall_ack).  The request must end by
# its bounded timeout with TX on the synthetic path, the adapter keep its
# VF, and the next request (auto-acked, then acked by a userspace
# responder standing in for sriovd, whose ack is lost once more) recover.
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/netvsc_lib.sh"

require_cmd jq
require_cmd ethtool
ktap_header
ktap_plan 7
nv_setup_synthetic || ktap_bail "synthetic topology setup failed"
F=/sys/kernel/debug/sriov_netvsc/fault
[ -d $F ] || ktap_bail "sriov_netvsc has no fault knobs"
nv_vf_enable || ktap_bail "VF setup failed"
ktap_result "data path on the VF" nv_wait_dp 1 40

nv_ctl set nvh0 --want syn
nv_wait_dp 0 10
inj0=$(cat $F/injected)
t0=$(nv_get timeouts)
nv_ctl set nvh0 --timeout-ms 1000
echo 1 >$F/stall_ack
nv_ctl set nvh0 --want vf
timed_out() { [ "$(nv_get timeouts)" -gt "$t0" ]; }
slowwait 20 timed_out
stalled() {
	echo "injected $inj0 -> $(cat $F/injected), timeouts $t0 -> $(nv_get timeouts)," \
		"active $(nv_get dp_active), reason $(nv_get last_reason_name)"
	[ "$(cat $F/injected)" = $((inj0 + 1)) ] && [ "$(nv_get dp_active)" = 0 ] &&
		[ "$(nv_get last_reason_name)" = ack_timeout ]
}
ktap_result "lost auto-ack: request times out, TX stays synthetic" stalled
claimed() { [ "$(nv_get vf_ifindex)" = "$(nv_vf_in cat /sys/class/net/$VFDEV/ifindex)" ]; }
ktap_result "the adapter keeps its VF" claimed

nv_ctl set nvh0 --want syn
nv_ctl set nvh0 --want vf
ktap_result "next auto-acked request moves TX to the VF" nv_wait_dp 1 10

# userspace acks (sriovd's role); the first one is lost
nv_ctl set nvh0 --want syn
nv_wait_dp 0 10
nv_ctl set nvh0 --auto-ack 0 --timeout-ms 1500
$NV_CTL responder nvh0 >/tmp/resp.out 2>&1 &
resp=$!
defer kill $resp
sleep 1
t1=$(nv_get timeouts)
echo 1 >$F/stall_ack
nv_ctl set nvh0 --want vf
timed_out() { [ "$(nv_get timeouts)" -gt "$t1" ]; }
ktap_result "lost userspace ack: the request times out" slowwait 20 timed_out
ktap_result "TX stayed synthetic" test "$(nv_get dp_active)" = 0
nv_ctl set nvh0 --want syn
nv_ctl set nvh0 --want vf
ktap_result "next userspace-acked request moves TX to the VF" nv_wait_dp 1 15
kill $resp; wait $resp 2>/dev/null
ktap_diag "responder: $(tail -1 /tmp/resp.out)"
nv_ctl set nvh0 --auto-ack 1
echo 0 >$F/stall_ack
ktap_finished
