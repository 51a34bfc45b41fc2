#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 300
#
# An iperf3 TCP stream from the adapter to the external host survives 100
# planned switch cycles VF -> synthetic -> VF.  Here the host side acks
# every request (the daemon's role, tests/lib/netvsc_ctl.py responder), so
# the request/ack protocol runs under load too.
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/netvsc_lib.sh"

require_cmd jq
require_cmd iperf3
CYCLES=${1:-100}
OUT=$SRIOV_OUT
ktap_header
ktap_plan 5

nv_setup_synthetic || ktap_bail "synthetic topology setup failed"
nv_vf_enable || ktap_bail "VF setup failed"
ktap_result "data path on the VF" nv_wait_dp 1 40
slowwait 10 ping_ok ext0 "$NV_IP"

nv_ctl set nvh0 --auto-ack 0 --timeout-ms 2000
$NV_CTL responder nvh0 >"$OUT/responder.out" 2>&1 &
resp=$!
defer kill $resp
busywait 5000 grep -q ready "$OUT/responder.out"

ip netns exec ext0 iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
srv=$!
sleep 1
ip netns exec child0 iperf3 -c "$EXT_IP" -p 5201 -t 35 -b 100M -i 1 \
	--json >"$OUT/iperf3.json" 2>&1 &
cli=$!
sleep 3
nv_ctl cycle nvh0 --count "$CYCLES" --dwell-ms 60 >"$OUT/cycle.json"
cycle_rc=$?
still_running=0
kill -0 $cli 2>/dev/null && still_running=1
wait $cli
iperf_rc=$?
wait $srv
kill $resp
wait $resp 2>/dev/null
ktap_diag "cycles: $(cat "$OUT/cycle.json")"
ktap_diag "responder: $(tail -1 "$OUT/responder.out")"

ktap_result "$CYCLES switch cycles acked by the host side" \
	test "$cycle_rc" = 0 -a "$(jq -r .cycles "$OUT/cycle.json")" = "$CYCLES" \
	-a "$(jq -r .timeouts "$OUT/cycle.json")" = 0
ktap_result "switching finished while the TCP stream ran" test $still_running = 1
ktap_result "iperf3 TCP stream survived (exit 0, no error)" \
	test "$iperf_rc" = 0 -a "$(jq -r '.error // "none"' "$OUT/iperf3.json")" = none
stalls() {
	jq '[.intervals[].sum.bytes | select(. == 0)] | length' "$OUT/iperf3.json"
}
ktap_result "no 1 s interval without progress" test "$(stalls)" = 0
jq -c '{tcp_survived_pct: (if .error then 0 else 100 end),
	mbit_s: (.end.sum_received.bits_per_second / 1e6),
	retransmits: .end.sum_sent.retransmits,
	min_interval_mbit_s: ([.intervals[].sum.bits_per_second] | min / 1e6)}' \
	"$OUT/iperf3.json" >"$OUT/netvsc_tcp.json"
ktap_diag "summary: $(cat "$OUT/netvsc_tcp.json")"
ip netns exec child0 ethtool -S nv0 | grep -E 'tx_packets|switches|timeouts' |
	while read -r l; do ktap_diag "$l"; done
ktap_finished
