#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 300
#
# Hot-unplug of the VF (sriov_numvfs=0 on the PF) under a 2000 packets/s
# sequenced UDP stream from the external host to the adapter: loss and
# longest gap are measured and reported.  Disabling VFs removes the VF's
# MAC filter, so the NIC steers the adapter's MAC to the PF, the bridge and
# the host port on its own; the adapter has left the VF on
# NETDEV_GOING_DOWN and announced itself through the synthetic path.
# The in-tree igb resets the PF when SR-IOV is disabled (link down/up), so
# the receiver waits out a long outage (--idle-ms 10000).
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/netvsc_lib.sh"

require_cmd jq
[ -x "$SEQUDP" ] || ktap_skip_all "sriov-sequdp not built ($SEQUDP)"
RATE=2000
SECS=15
OUT=$SRIOV_OUT
ktap_header
ktap_plan 4

nv_setup_synthetic || ktap_bail "synthetic topology setup failed"
nv_vf_enable || ktap_bail "VF setup failed"
ktap_result "data path on the VF" nv_wait_dp 1 40
slowwait 10 ping_ok ext0 "$NV_IP"

rm -f "$OUT/unplug.json" "$OUT/unplug.ready"
ip netns exec child0 "$SEQUDP" recv --port 9000 --idle-ms 10000 \
	--ready "$OUT/unplug.ready" --out "$OUT/unplug.json" >/dev/null &
busywait 5000 test -e "$OUT/unplug.ready"
ip netns exec ext0 "$SEQUDP" send --dst "$NV_IP" --port 9000 \
	--rate "$RATE" --count $((SECS * RATE)) >"$OUT/unplug-send.json" &
sleep 3
nv_vf_disable
wait
f() { jq -r ".$1" "$OUT/unplug.json"; }
ktap_diag "unplug: lost $(f lost) of $(f expected), longest gap $(f longest_gap_ms) ms after seq $(f gap_after_seq), reordered $(f reordered)"
ktap_diag "nv0: vf_rx $(nv_stat vf_rx_packets) syn_rx $(nv_stat syn_rx_packets), reason $(nv_get last_reason_name)"
ktap_result "VF gone, adapter on the synthetic path" \
	test "$(nv_get dp_active)" = 0 -a "$(nv_get vf_ifindex)" = null
ktap_result "stream continued on the synthetic path" \
	test "$(f unique)" -gt $((SECS * RATE / 2))
jq -c '{surprise_unplug_lost: .lost, surprise_unplug_blackout_ms: .longest_gap_ms}' \
	"$OUT/unplug.json" >"$OUT/netvsc_unplug.json"
lost=$(f lost)
if [ "$lost" -le 10 ]; then
	ktap_pass "unplug: at most 10 packets lost ($lost)"
else
	ktap_xfail "unplug: at most 10 packets lost" "lost $lost"
fi
ktap_finished
