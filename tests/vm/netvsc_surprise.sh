#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 400
#
# Surprise removal of the VF under a 2000 packets/s sequenced UDP stream
# from the external host to the adapter: loss and longest gap are measured
# and reported (acceptance: reported; target: <= 10 lost / 5 ms).
#
#  - driver unbind: the adapter leaves the VF on NETDEV_GOING_DOWN; the host
#    side (responder = the daemon's role) moves the adapter's MAC filter
#    from the VF to the PF (`ip link set PF vf 0 mac 00:..`) when asked to
#    switch to synthetic, then acks;
#  - FLR (/sys/bus/pci/devices/VF/reset): the VF stays, loses carrier, and
#    frames steered to it are dropped by the NIC until it is back.
# Hot-unplug by `sriov_numvfs=0` is not exercised: QEMU 10's igb aborts
# (iotlb_to_section assertion) when VFs are disabled with traffic around.
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/netvsc_lib.sh"

require_cmd jq
[ -x "$SEQUDP" ] || ktap_skip_all "sriov-sequdp not built ($SEQUDP)"
RATE=${NV_RATE:-2000}
SECS=10
OUT=$SRIOV_OUT
ktap_header
ktap_plan 8

nv_setup_synthetic || ktap_bail "synthetic topology setup failed"
nv_vf_enable || ktap_bail "VF setup failed"
ktap_result "data path on the VF" nv_wait_dp 1 40
slowwait 10 ping_ok ext0 "$NV_IP"

stream_start() {
	rm -f "$OUT/$1.json" "$OUT/$1.ready"
	ip netns exec child0 "$SEQUDP" recv --port 9000 --idle-ms 3000 \
		--ready "$OUT/$1.ready" --out "$OUT/$1.json" >/dev/null &
	busywait 5000 test -e "$OUT/$1.ready"
	ip netns exec ext0 "$SEQUDP" send --dst "$NV_IP" --port 9000 \
		--rate "$RATE" --count $((SECS * RATE)) >"$OUT/$1-send.json" &
}
field() { jq -r ".$2" "$OUT/$1.json"; }
counters() {
	local vfrx=-
	[ -n "${VFDEV:-}" ] && [ -e "/sys/class/net/$VFDEV" ] &&
		vfrx=$(cat "/sys/class/net/$VFDEV/statistics/rx_packets")
	ktap_diag "$1: nv0 vf_rx $(nv_stat vf_rx_packets) syn_rx $(nv_stat syn_rx_packets) vf_tx $(nv_stat vf_tx_packets) syn_tx $(nv_stat syn_tx_packets); VF rx $vfrx; PF rx $(cat /sys/class/net/$PF/statistics/rx_packets); fdb: $(bridge fdb show br br0 | grep -i "$NV_MAC" | tr '\n' ';')"
}
report() {
	counters "$1"
	ktap_diag "$1: lost $(field "$1" lost) of $(field "$1" expected), longest gap $(field "$1" longest_gap_ms) ms after seq $(field "$1" gap_after_seq), reordered $(field "$1" reordered)"
}

stream_start floor
wait
report floor

# the host side: ack every request, move the MAC filter on "synthetic"
nv_ctl set nvh0 --auto-ack 0 --timeout-ms 3000
$NV_CTL responder nvh0 --on-syn "ip link set $PF vf 0 mac 00:00:00:00:00:00" \
	>"$OUT/responder.out" 2>&1 &
resp=$!
busywait 5000 grep -q ready "$OUT/responder.out"
stream_start unbind
sleep 3
nv_vf_unbind
wait $(jobs -p | grep -v "^$resp$") 2>/dev/null
kill $resp
wait $resp 2>/dev/null
report unbind
ktap_diag "responder: $(tail -1 "$OUT/responder.out")"
ktap_result "unbind: adapter left the VF, reason $(nv_get last_reason_name)" \
	test "$(nv_get dp_active)" = 0 -a "$(nv_get vf_ifindex)" = null
ktap_result "unbind: stream continued on the synthetic path" \
	test "$(field unbind unique)" -gt $((SECS * RATE / 2))

# back to the VF for the FLR case: filter to the VF, rebind, auto-ack
nv_ctl set nvh0 --auto-ack 1
ip link set "$PF" vf 0 mac "$NV_MAC"
nv_vf_bind && nv_deep_rings "$VFDEV"
ktap_result "VF re-attached, data path on the VF" nv_wait_dp 1 40

counters before-flr
stream_start flr
sleep 3
echo 1 >"/sys/bus/pci/devices/$VF/reset"
wait
report flr
ktap_result "FLR: VF kept, data path back on the VF" nv_wait_dp 1 40
# RX through the VF after the FLR: the VF netdev's own counter (before our
# rx_handler) must have grown after the stream's first 3 s
flr_rx_resumed() {
	[ "$(field flr lost)" -lt $((SECS * RATE - 4 * RATE)) ]
}
if flr_rx_resumed; then
	ktap_pass "FLR: RX through the VF resumed within the stream"
else
	ktap_xfail "FLR: RX through the VF resumed within the stream" \
		"in-tree igbvf on QEMU igb receives nothing after a PCI FLR (VF rx counter stalls), see the counters above"
fi

jq -n --slurpfile u "$OUT/unbind.json" --slurpfile f "$OUT/flr.json" \
	--slurpfile fl "$OUT/floor.json" \
	'{surprise_lost: $u[0].lost, surprise_blackout_ms: $u[0].longest_gap_ms,
	  flr_lost: $f[0].lost, flr_blackout_ms: $f[0].longest_gap_ms,
	  floor_lost: $fl[0].lost, floor_gap_ms: $fl[0].longest_gap_ms}' \
	>"$OUT/netvsc_surprise.json"
ktap_diag "summary: $(jq -c . "$OUT/netvsc_surprise.json")"
# Acceptance is "measured and reported"; the target (<= 10 lost) is checked
# separately so a miss shows up without hiding the measurement.
target() {
	local lost
	lost=$(field "$1" lost)
	if [ "$lost" -le 10 ]; then
		ktap_pass "$1: at most 10 packets lost ($lost)"
	else
		ktap_xfail "$1: at most 10 packets lost" "lost $lost"
	fi
}
target unbind
target flr
ktap_finished
