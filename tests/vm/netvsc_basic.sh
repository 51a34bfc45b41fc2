#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 600
#
# sriov_netvsc functional test: the synthetic path through the host's bridge,
# VF pairing with the slave flag, data path switching with acks, timeout
# fallback, per-path counters, tracepoints, link settings, VF removal.
# The VF part runs once per VF driver, in one VM: the in-tree igbvf (MAC
# pairing) and the project's sriov_vf (no identity under igb: MAC pairing).
# Arguments: the VF drivers (default: igbvf sriov_vf).
DRIVERS=${*:-igbvf sriov_vf}
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/netvsc_lib.sh"

require_cmd jq
require_cmd ethtool
OUT=$SRIOV_OUT
ktap_header
ktap_plan $((3 + 13 * $(echo $DRIVERS | wc -w)))

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

vf_round() {
	NV_VF_DRIVER=$1
	echo >$TR/trace
	nv_ctl set nvh0 --want vf
	if nv_vf_enable; then
		ktap_pass "$NV_VF_DRIVER: VF 0 bound with the adapter's MAC ($VFDEV)"
	else
		ktap_bail "$NV_VF_DRIVER: VF setup failed"
	fi
	vf_check() {
		nv_vf_is_slave "$VFDEV" || { echo "no SLAVE flag"; return 1; }
		[ "$(nv_get vf_ifindex)" = "$(cat /sys/class/net/$VFDEV/ifindex)" ]
	}
	ktap_result "$NV_VF_DRIVER: VF claimed by nv0 with IFF_SLAVE" vf_check
	ktap_result "$NV_VF_DRIVER: VF has no IP addresses" \
		bash -c "[ -z \"\$(ip -j addr show $VFDEV | jq -r '.[0].addr_info[]?.local')\" ]"
	ktap_result "$NV_VF_DRIVER: data path moves to the VF" nv_wait_dp 1 40
	vf_tx0=$(nv_stat vf_tx_packets)
	ping_ok ext0 "$NV_IP"
	ktap_result "$NV_VF_DRIVER: TX on the VF path (vf_tx_packets grows)" \
		test "$(nv_stat vf_tx_packets)" -gt "${vf_tx0:-0}"
	same_speed() {
		local a b
		a=$(ip netns exec child0 ethtool nv0 | grep 'Speed:')
		b=$(ethtool "$VFDEV" | grep 'Speed:')
		echo "adapter $a, VF $b"
		[ -n "$a" ] && [ "$a" = "$b" ]
	}
	ktap_result "$NV_VF_DRIVER: ethtool link settings come from the VF" same_speed

	# planned switch commanded over netlink, auto-acked by the host port
	timeouts0=$(nv_get timeouts)
	nv_ctl set nvh0 --want syn
	syn_tx0=$(nv_stat syn_tx_packets)
	ping_ok ext0 "$NV_IP"
	syn_carries() {
		[ "$(nv_get dp_active)" = 0 ] && [ "$(nv_stat syn_tx_packets)" -gt "$syn_tx0" ]
	}
	ktap_result "$NV_VF_DRIVER: commanded switch to synthetic carries TX" syn_carries

	# the host side acks: no responder -> bounded wait, fallback to synthetic.
	# The trace shows the request and its end: "timeout" after the full wait.
	nv_ctl set nvh0 --auto-ack 0 --timeout-ms 2000
	nv_ctl set nvh0 --want vf
	timed_out() { [ "$(nv_get timeouts)" -ge "$1" ]; }
	slowwait 20 timed_out $((timeouts0 + 1))
	timeout_ok() {
		local done
		done=$(grep 'swnv_dp_done: dev=nv0 path=vf .* timeout' $TR/trace | tail -1)
		echo "$done"
		[[ $done =~ duration_ns=([0-9]+) ]] &&
			[ "${BASH_REMATCH[1]}" -ge 2000000000 ] || return 1
		[ "$(nv_get dp_active)" = 0 ] &&
			[ "$(nv_get last_reason_name)" = ack_timeout ]
	}
	ktap_result "$NV_VF_DRIVER: unacked request to VF times out after 2 s, TX stays synthetic" timeout_ok

	# a responder (the daemon's role) acks the next request
	nv_responder_start 3000
	nv_ctl set nvh0 --want syn
	nv_ctl set nvh0 --want vf
	ktap_result "$NV_VF_DRIVER: acked request moves TX to the VF" nv_wait_dp 1 10
	ktap_diag "last switch duration $(nv_get last_duration_ns) ns, seq $(nv_get dp_seq)"
	stale_ack() { ! nv_ctl set nvh0 --ack 12345 2>/dev/null; }
	ktap_result "$NV_VF_DRIVER: stale ack is refused" stale_ack
	nv_responder_stop
	nv_ctl set nvh0 --auto-ack 1

	ktap_result "$NV_VF_DRIVER: tracepoint recorded switches" \
		bash -c "grep -c swnv_dp_switch $TR/trace | grep -qv '^0$'"
	grep swnv_dp $TR/trace | tail -4 | while read -r l; do ktap_diag "$l"; done

	# surprise removal: driver unbind
	nv_vf_unbind
	released() {
		[ "$(nv_get dp_active)" = 0 ] && [ "$(nv_get vf_ifindex)" = null ] &&
			case "$(nv_get last_reason_name)" in vf_down | vf_unregister) ;; *) return 1 ;; esac
	}
	ktap_result "$NV_VF_DRIVER: VF unbind: back to synthetic, VF released" released
	# the host side moves the adapter's MAC filter from the VF to the PF
	ip link set "$PF" vf 0 mac 00:00:00:00:00:00
	ping1() { ip netns exec ext0 ping -c 1 -W 1 -q "$NV_IP" >/dev/null; }
	if slowwait 20 ping1; then
		ktap_pass "$NV_VF_DRIVER: ext0 pings the adapter after the VF is gone"
	else
		ktap_fail "$NV_VF_DRIVER: ext0 pings the adapter after the VF is gone"
		ktap_diag "nv0 syn_rx $(nv_stat syn_rx_packets) vf_rx $(nv_stat vf_rx_packets); PF rx $(cat "/sys/class/net/$PF/statistics/rx_packets"); fdb: $(bridge fdb show br br0 | grep -i "$NV_MAC" | tr '\n' ';')"
		ip link show "$PF" | grep "vf 0" | while read -r l; do ktap_diag "$l"; done
	fi
	ip netns exec child0 ethtool -S nv0 | grep -E 'packets|dp_' |
		while read -r l; do ktap_diag "$NV_VF_DRIVER: $l"; done
}

for d in $DRIVERS; do
	vf_round "$d"
done
ktap_finished
