#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 300
#
# sriov_netvsc functional test: the synthetic path through the host's bridge,
# VF pairing with the slave flag, data path switching with acks, timeout
# fallback, per-path counters, tracepoints, link settings, VF removal.
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/netvsc_lib.sh"

require_cmd jq
require_cmd ethtool
ktap_header
ktap_plan 16

if nv_setup_synthetic; then
	ktap_pass "pair nvh0/nv0 created, nvh0 in br0 with the PF, nv0 in child0"
else
	ktap_bail "synthetic topology setup failed"
fi
ktap_result "ext0 pings the adapter over the synthetic path" \
	slowwait 15 ping_ok ext0 "$NV_IP"
syn_tx=$(nv_stat syn_tx_packets)
ktap_result "synthetic counters count the pings" test "${syn_tx:-0}" -gt 0

TR=/sys/kernel/tracing
[ -d $TR/events ] || mount -t tracefs nodev $TR 2>/dev/null
echo 1 >$TR/events/sriov_netvsc/enable 2>/dev/null

if nv_vf_enable; then
	ktap_pass "VF 0 bound to igbvf with the adapter's MAC ($VFDEV)"
else
	ktap_bail "VF setup failed"
fi
vf_check() {
	nv_vf_is_slave "$VFDEV" || { echo "no SLAVE flag"; return 1; }
	[ "$(nv_get vf_ifindex)" = "$(cat /sys/class/net/$VFDEV/ifindex)" ]
}
ktap_result "VF claimed by nv0 with IFF_SLAVE" vf_check
ktap_result "VF has no IP addresses" \
	bash -c "[ -z \"\$(ip -j addr show $VFDEV | jq -r '.[0].addr_info[]?.local')\" ]"
ktap_result "data path moves to the VF" nv_wait_dp 1 40
vf_tx0=$(nv_stat vf_tx_packets)
ping_ok ext0 "$NV_IP"
ktap_result "TX on the VF path (vf_tx_packets grows)" \
	test "$(nv_stat vf_tx_packets)" -gt "${vf_tx0:-0}"
ktap_result "ethtool link settings come from the VF" \
	bash -c "ip netns exec child0 ethtool nv0 | grep -q 'Speed: 1000Mb/s'"

# planned switch commanded over netlink, auto-acked by the host port
nv_ctl set nvh0 --want syn
syn_tx0=$(nv_stat syn_tx_packets)
ping_ok ext0 "$NV_IP"
syn_carries() {
	[ "$(nv_get dp_active)" = 0 ] && [ "$(nv_stat syn_tx_packets)" -gt "$syn_tx0" ]
}
ktap_result "commanded switch to synthetic carries TX" syn_carries

# the host side acks: no responder -> bounded wait, fallback to synthetic
nv_ctl set nvh0 --auto-ack 0 --timeout-ms 3000
nv_ctl set nvh0 --want vf
pending=$(nv_get dp_pending)
sleep 3.5
timeout_ok() {
	[ "$pending" = 1 ] || { echo "pending=$pending"; return 1; }
	[ "$(nv_get dp_active)" = 0 ] && [ "$(nv_get timeouts)" -ge 1 ] &&
		[ "$(nv_get last_reason_name)" = ack_timeout ]
}
ktap_result "unacked request to VF times out, TX stays synthetic" timeout_ok

# a responder (the daemon's role) acks the next request
$NV_CTL responder nvh0 >/tmp/resp.out 2>&1 &
resp=$!
defer kill $resp
sleep 1
nv_ctl set nvh0 --want syn
nv_ctl set nvh0 --want vf
ktap_result "acked request moves TX to the VF" nv_wait_dp 1 10
ktap_diag "last switch duration $(nv_get last_duration_ns) ns, seq $(nv_get dp_seq)"
stale_ack() { ! nv_ctl set nvh0 --ack 12345 2>/dev/null; }
ktap_result "stale ack is refused" stale_ack
kill $resp; wait $resp 2>/dev/null
ktap_diag "responder: $(tail -1 /tmp/resp.out)"
nv_ctl set nvh0 --auto-ack 1

ktap_result "tracepoint recorded switches" \
	bash -c "grep -c swnv_dp_switch $TR/trace | grep -qv '^0$'"
grep swnv_dp $TR/trace | tail -4 | while read -r l; do ktap_diag "$l"; done

# surprise removal: driver unbind
nv_vf_unbind
released() {
	[ "$(nv_get dp_active)" = 0 ] && [ "$(nv_get vf_ifindex)" = null ] &&
		case "$(nv_get last_reason_name)" in vf_down | vf_unregister) ;; *) return 1 ;; esac
}
ktap_result "VF unbind: back to synthetic, VF released" released
# the host side moves the adapter's MAC filter from the VF to the PF
ip link set "$PF" vf 0 mac 00:00:00:00:00:00
ktap_result "ext0 pings the adapter after the VF is gone" \
	slowwait 15 ping_ok ext0 "$NV_IP"
ip netns exec child0 ethtool -S nv0 | while read -r l; do ktap_diag "$l"; done
ktap_finished
