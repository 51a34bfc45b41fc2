#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 600
#
# sriov_netvsc functional test: the synthetic path through the host's bridge,
# VF pairing with the slave flag, data path switching with acks, timeout
# fallback, per-path counters, tracepoints, link settings, VF removal.
# The pairing rule and the control of a pair (Documentation/networking/
# sriov_netvsc.rst): only the host port's namespace changes a pair's
# settings (child0, root there, gets EPERM); a netdev that is not a PCI VF
# (the PF, a dummy, a veth) is never claimed; an adapter without a serial
# pairs by MAC only with a VF in its own namespace; one with a serial never
# pairs with a VF that has no identity.
# The VF part runs once per VF driver, in one VM: the in-tree igbvf (MAC
# pairing) and the project's sriov_vf (no identity under igb: MAC pairing).
# Under NV_PF_DRIVER=sriov_pf (netvsc_basic_sriov_pf.sh) the VF carries the
# adapter's identity (allocated with its serial) and registers in the
# host's namespace, where nv0 claims it by that identity; an acked switch
# to the VF moves the adapter's MAC filter to the VF's VPort first, and
# sriov_pf moves it back by itself when the VF goes away.
# Arguments: the VF drivers (default: igbvf sriov_vf).
DRIVERS=${*:-igbvf sriov_vf}
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/netvsc_lib.sh"

require_cmd jq
require_cmd ethtool
OUT=$SRIOV_OUT
ktap_header
ktap_plan $((10 + 15 * $(echo $DRIVERS | wc -w)))
NV_MAC_ALT=02:00:5e:10:00:0b
NV_MAC9=02:00:5e:10:00:09
NV_SERIAL8=0x5e1000aa

if nv_setup_synthetic; then
	ktap_pass "pair nvh0/nv0 created, nvh0 in br0 with the PF, nv0 in child0"
else
	ktap_bail "synthetic topology setup failed"
fi
ktap_result "ext0 pings the adapter over the synthetic path" \
	slowwait 15 ping_ok ext0 "$NV_IP"
syn_tx=$(nv_stat syn_tx_packets)
ktap_result "synthetic counters count the pings" test "${syn_tx:-0}" -gt 0

# The control of a pair belongs to the host port's namespace: from child0
# (root there, CAP_NET_ADMIN in the initial user namespace) every setting
# of its adapter is refused with EPERM and left unchanged; the host port
# sets them all.  On a second, unpaired pair nvh9/nv9.
nv_ctl add nvh9 nv9 --netns child0 --mac "$NV_MAC9" ||
	ktap_bail "cannot create the pair nvh9/nv9"
host_sets() {
	nv_ctl set nvh9 --serial "$NV_SERIAL8" --auto-ack 0 --want syn --timeout-ms 300 || return 1
	local i
	i=$(ip netns exec child0 $NV_CTL show nv9)
	echo "nv9 after the host's change: $i"
	[ "$(jq -r .serial <<<"$i")" = $((NV_SERIAL8)) ] && [ "$(jq -r .auto_ack <<<"$i")" = 0 ] &&
		[ "$(jq -r .dp_want <<<"$i")" = 0 ] && [ "$(jq -r .ack_timeout_ms <<<"$i")" = 300 ]
}
ktap_result "the host port sets SERIAL, AUTO_ACK, DP_WANT and ACK_TIMEOUT_MS" host_sets
child_refused() {	# KEY SET-ARGS...: from child0, EPERM and KEY unchanged
	local key=$1 before after out rc
	shift
	before=$(ip netns exec child0 $NV_CTL show nv9 | jq -c ".$key")
	out=$(ip netns exec child0 $NV_CTL set nv9 "$@" 2>&1)
	rc=$?
	after=$(ip netns exec child0 $NV_CTL show nv9 | jq -c ".$key")
	echo "child0: set nv9 $*: exit $rc ${out##*$'\n'}; $key $before -> $after"
	[ $rc != 0 ] && [[ $out == *"[Errno 1] "* ]] && [ "$before" = "$after" ]
}
ktap_result "child0 sets SERIAL on its adapter: EPERM" child_refused serial --serial 0x1234
ktap_result "child0 sets AUTO_ACK on its adapter: EPERM" child_refused auto_ack --auto-ack 1
ktap_result "child0 sets DP_WANT on its adapter: EPERM" child_refused dp_want --want vf
ktap_result "child0 sets DP_ACK on its adapter: EPERM" child_refused dp_seq --ack 0
ip link del nvh9
# Nor may child0 create a pair whose adapter lands in the host's namespace.
ip netns attach nvhost 1 || ktap_bail "cannot name the initial namespace"
defer ip netns del nvhost
child_plants() {
	local out rc
	out=$(ip netns exec child0 $NV_CTL add nvhx nvx --netns nvhost --mac "$NV_MAC9" 2>&1)
	rc=$?
	echo "child0: add nvhx nvx --netns (host): exit $rc ${out##*$'\n'}"
	ip -n child0 link del nvhx 2>/dev/null
	[ $rc != 0 ] && [[ $out == *"[Errno 1] "* ]] && ! ip link show nvx >/dev/null 2>&1
}
ktap_result "child0 creates a pair with its adapter in the host's namespace: EPERM" child_plants

TR=/sys/kernel/tracing
[ -d $TR/events ] || mount -t tracefs nodev $TR 2>/dev/null
echo 1 >$TR/events/sriov_netvsc/enable 2>/dev/null

vf_round() {
	NV_VF_DRIVER=$1
	echo >$TR/trace
	nv_ctl set nvh0 --want vf
	# The VF first appears in the host's namespace with nv0's MAC, while
	# child0 holds nv8, an adapter with a serial and that MAC, and nv0
	# has another MAC: neither may claim it.
	ip -n child0 link set nv0 down
	ip -n child0 link set nv0 address "$NV_MAC_ALT"
	nv_ctl add nvh8 nv8 --netns child0 --mac "$NV_MAC" --serial "$NV_SERIAL8" ||
		ktap_bail "cannot create the pair nvh8/nv8"
	bind_in_host() {
		nv_vf_create && modprobe "$NV_VF_DRIVER" || return 1
		echo "$NV_VF_DRIVER" >"/sys/bus/pci/devices/$VF/driver_override"
		echo "$VF" >/sys/bus/pci/drivers_probe 2>/dev/null
		VFDEV=$(wait_pci_netdev "$VF" 10)
	}
	if bind_in_host; then
		ktap_pass "$NV_VF_DRIVER: VF 0 bound with the adapter's MAC ($VFDEV)"
	else
		ktap_bail "$NV_VF_DRIVER: VF setup failed"
	fi
	vf_free() {	# the VF (host namespace) has no master and no adapter has it
		local m
		m=$(ip -j link show "$VFDEV" | jq -r '.[0].master // "none"')
		echo "$1: VF $VFDEV master $m, nv0 VF $(nv_get vf_ifindex)," \
			"nv8 VF $(ip netns exec child0 $NV_CTL show nv8 2>/dev/null | jq -r '.vf_ifindex')"
		[ "$m" = none ] && ! nv_vf_is_slave_host "$VFDEV"
	}
	nv_vf_is_slave_host() {
		ip -j link show "$1" | jq -e '.[0].flags | index("SLAVE") != null' >/dev/null
	}
	if [ "$NV_PF_DRIVER" = sriov_pf ]; then
		ktap_result "$NV_VF_DRIVER: an adapter with another serial does not claim the VF" \
			vf_free "adapter nv8 with serial $NV_SERIAL8"
	else
		ktap_result "$NV_VF_DRIVER: an adapter with a serial does not claim a VF without identity" \
			vf_free "serial adapter nv8"
	fi
	ip link del nvh8
	# nv0 takes the host VF's MAC (under sriov_pf without its serial): the
	# search covers only child0
	[ "$NV_PF_DRIVER" = sriov_pf ] && nv_ctl set nvh0 --serial 0
	ip -n child0 link set nv0 address "$NV_MAC"
	ktap_result "$NV_VF_DRIVER: nv0 (no serial) does not claim a VF of the host's namespace with its MAC" \
		vf_free "nv0 with the VF's MAC"
	ip -n child0 link set nv0 up
	wait_carrier nv0 5 child0
	nv_deep_rings "$VFDEV"
	if [ "$NV_PF_DRIVER" = sriov_pf ]; then
		# nv0 given the VF's identity claims it where it is
		nv_ctl set nvh0 --serial "$NV_SERIAL"
	else
		# the host hands the VF to child0 (nv_vf_bind's way): nv0 claims it
		ip link set "$VFDEV" netns child0 || ktap_bail "cannot move $VFDEV into child0"
	fi
	vf_check() {
		slowwait 5 nv_vf_is_slave "$VFDEV" || { echo "no SLAVE flag"; return 1; }
		[ "$(nv_get vf_ifindex)" = "$(nv_vf_in cat /sys/class/net/$VFDEV/ifindex)" ]
	}
	ktap_result "$NV_VF_DRIVER: VF claimed by nv0 with IFF_SLAVE" vf_check
	no_addr() { [ -z "$(nv_vf_in ip -j addr show "$VFDEV" | jq -r '.[0].addr_info[]?.local')" ]; }
	ktap_result "$NV_VF_DRIVER: VF has no IP addresses" no_addr
	ktap_result "$NV_VF_DRIVER: data path moves to the VF" nv_wait_dp 1 40
	vf_tx0=$(nv_stat vf_tx_packets)
	ping_ok ext0 "$NV_IP"
	ktap_result "$NV_VF_DRIVER: TX on the VF path (vf_tx_packets grows)" \
		test "$(nv_stat vf_tx_packets)" -gt "${vf_tx0:-0}"
	same_speed() {
		local a b
		a=$(ip netns exec child0 ethtool nv0 | grep 'Speed:')
		b=$(nv_vf_in ethtool "$VFDEV" | grep 'Speed:')
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
	acked_to_vf() {
		nv_wait_dp 1 10 || return 1
		[ "$NV_PF_DRIVER" = sriov_pf ] || return 0
		# and the filter went to the VF's VPort before the ack
		local vp
		vp=$(nv_filter_vport)
		echo "adapter's MAC filter on VPort $vp (the VF's: $NV_VPORT)"
		[ "$vp" = "$NV_VPORT" ]
	}
	ktap_result "$NV_VF_DRIVER: acked request moves TX to the VF" acked_to_vf
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
	# (sriov_pf moved it by itself when the VF went down)
	[ "$NV_PF_DRIVER" = sriov_pf ] || ip link set "$PF" vf 0 mac 00:00:00:00:00:00
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

# Netdevs that are not PCI VFs are never claimed, whatever their MAC: a
# dummy and a veth in child0 with nv0's MAC, and the PF (out of its bridge
# for the check) once nv0 takes the PF's MAC.
decoys() {
	local pfmac m bad=0 d
	ip -n child0 link add nvd0 address "$NV_MAC" type dummy || return 1
	ip -n child0 link add nvv0 address "$NV_MAC" type veth peer name nvv1 || return 1
	ip -n child0 link set nvd0 up
	ip -n child0 link set nvv0 up
	pfmac=$(cat "/sys/class/net/$PF/address")
	ip link set "$PF" nomaster
	ip -n child0 link set nv0 down
	ip -n child0 link set nv0 address "$pfmac" || bad=1
	m=$(ip -j link show "$PF" | jq -r '.[0].master // "none"')
	echo "nv0 with the PF's MAC $pfmac: PF master $m, nv0 VF $(nv_get vf_ifindex)"
	[ "$m" = none ] && [ "$(nv_get vf_ifindex)" = null ] || bad=1
	ip -n child0 link set nv0 address "$NV_MAC" || bad=1
	for d in nvd0 nvv0; do
		m=$(ip -n child0 -j link show $d | jq -r '.[0].master // "none"')
		echo "$d (nv0's MAC): master $m"
		[ "$m" = none ] || bad=1
	done
	[ "$(nv_get vf_ifindex)" = null ] || bad=1
	ip -n child0 link set nv0 up
	ip -n child0 link del nvd0
	ip -n child0 link del nvv0
	ip link set "$PF" master br0
	return $bad
}
ktap_result "the PF, a dummy and a veth with the adapter's MAC are not claimed" decoys
ktap_finished
