#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 400
#
# Surprise removal of the VF (driver unbind) under a 2000 packets/s
# sequenced UDP stream from the external host to the adapter: loss and
# longest gap are measured and reported (acceptance: reported; target:
# <= 10 lost / 5 ms).  The adapter leaves the VF on NETDEV_GOING_DOWN; the
# host side (responder = the daemon's role) moves the adapter's MAC filter
# from the VF to the PF (`ip link set PF vf 0 mac 00:..`) when asked to
# switch to synthetic, then acks.  FLR: netvsc_flr.sh; hot-unplug
# (sriov_numvfs=0): netvsc_unplug.sh.
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/netvsc_lib.sh"

require_cmd jq
[ -x "$SEQUDP" ] || ktap_skip_all "sriov-sequdp not built ($SEQUDP)"
RATE=${NV_RATE:-2000}
SECS=10
OUT=$SRIOV_OUT
ktap_header
ktap_plan 4

nv_setup_synthetic || ktap_bail "synthetic topology setup failed"
nv_vf_enable || ktap_bail "VF setup failed"
ktap_result "data path on the VF" nv_wait_dp 1 40
slowwait 10 ping_ok ext0 "$NV_IP"


nv_stream_start floor
wait
nv_report floor

# the host side: ack every request, move the MAC filter on "synthetic"
nv_ctl set nvh0 --auto-ack 0 --timeout-ms 3000
$NV_CTL responder nvh0 --on-syn "ip link set $PF vf 0 mac 00:00:00:00:00:00" \
	>"$OUT/responder.out" 2>&1 &
resp=$!
busywait 5000 grep -q ready "$OUT/responder.out"
nv_stream_start unbind
sleep 3
nv_vf_unbind
wait $(jobs -p | grep -v "^$resp$") 2>/dev/null
kill $resp
wait $resp 2>/dev/null
nv_report unbind
ktap_diag "responder: $(tail -1 "$OUT/responder.out")"
ktap_result "unbind: adapter left the VF, reason $(nv_get last_reason_name)" \
	test "$(nv_get dp_active)" = 0 -a "$(nv_get vf_ifindex)" = null
ktap_result "unbind: stream continued on the synthetic path" \
	test "$(nv_field unbind unique)" -gt $((SECS * RATE / 2))

jq -n --slurpfile u "$OUT/unbind.json" --slurpfile fl "$OUT/floor.json" \
	'{surprise_lost: $u[0].lost, surprise_blackout_ms: $u[0].longest_gap_ms,
	  floor_lost: $fl[0].lost, floor_gap_ms: $fl[0].longest_gap_ms}' \
	>"$OUT/netvsc_surprise.json"
ktap_diag "summary: $(jq -c . "$OUT/netvsc_surprise.json")"
# Acceptance is "measured and reported"; the target (<= 10 lost) is checked
# separately so a miss shows up without hiding the measurement.
lost=$(nv_field unbind lost)
if [ "$lost" -le 10 ]; then
	ktap_pass "unbind: at most 10 packets lost ($lost)"
else
	ktap_xfail "unbind: at most 10 packets lost" "lost $lost"
fi
ktap_finished
