# SPDX-License-Identifier: GPL-2.0
# Shared lab topology of the netvsc_* tests (source after ktap.sh):
#
#   ext0 (198.18.0.1) --hub-- 82576 PF --- br0 --- nvh0 (host port)
#                                  |                  | synthetic path
#                                  +- VF 0 (igbvf) ...nv0 (adapter, child0,
#                                     admin MAC = adapter MAC   198.18.0.10)
#
# The bridge holding the PF is the host's "extensible switch"; the VF is
# claimed by nv0 as soon as it registers where nv0 may claim it: under igb
# (no serial) in child0, where nv_vf_bind moves it; under sriov_pf (serial)
# in the host's namespace.

NV_MAC=02:00:5e:10:00:0a
NV_IP=198.18.0.10
EXT_IP=198.18.0.1
NV_CTL="/usr/bin/python3 $SRIOV_TOP/tests/lib/netvsc_ctl.py"
SEQUDP=${SEQUDP:-$SRIOV_TOP/build/cmake/tools/traffic/sriov-sequdp}
# The stream's sender in ext0: kernel (sriov-sequdp) or dpdk
# (sriov-dpdk-sequdp on ext0's netdev through DPDK's af_packet PMD)
NV_SENDER=${NV_SENDER:-kernel}
DSEQUDP=${DSEQUDP:-$SRIOV_TOP/build/cmake/tools/traffic/sriov-dpdk-sequdp}
# VF driver: the in-tree igbvf, or the project's sriov_vf
NV_VF_DRIVER=${NV_VF_DRIVER:-igbvf}
# PF driver: the in-tree igb (VF MAC set with `ip link set PF vf 0 mac`), or
# the project's sriov_pf, whose NIC switch is driven the way sriovd does it:
# VF 0 allocated with NV_SERIAL, a VPort for it, the adapter's MAC filter on
# the default VPort, moved to the VF's VPort and back by the responder
# (nv_responder_start) when the adapter asks for a switch.
NV_PF_DRIVER=${NV_PF_DRIVER:-igb}
NV_SERIAL=0x5e10000a

nv_ctl() { $NV_CTL "$@"; }
nv_ctl_child() { ip netns exec child0 $NV_CTL "$@"; }
# JSON field of the adapter/host port state
nv_get() { nv_ctl_child show nv0 | jq -r ".$1"; }
nv_stat() { ip netns exec child0 ethtool -S nv0 | awk -v k="$1:" '$1 == k { print $2 }'; }

# PF up in br0, external host, pair nvh0/nv0 with the adapter in child0.
nv_setup_synthetic() {
	[ -n "${SRIOV_PF0:-}" ] || ktap_bail "no 82576 PF in the lab"
	modprobe "$NV_PF_DRIVER" || return 1
	PF=$(wait_pci_netdev "$SRIOV_PF0" 10) || return 1
	modprobe sriov_netvsc || return 1
	# sequdp asks for a 4 MB SO_RCVBUF, capped by rmem_max (208 KB by
	# default, ~250 ms at 2000/s): TCG stalls the receiver longer than that
	sysctl -qw net.core.rmem_max=33554432
	ip link add br0 type bridge || return 1
	defer ip link del br0
	ip link set "$PF" master br0 || return 1
	ip link set "$PF" up
	ip link set br0 up
	nv_deep_rings "$PF"
	wait_carrier "$PF" 30 || return 1
	ext_ns_setup 0 || return 1
	ip netns add child0 || return 1
	defer ip netns del child0
	ip -n child0 link set lo up
	local serial=
	[ "$NV_PF_DRIVER" = sriov_pf ] && serial="--serial $NV_SERIAL"
	nv_ctl add nvh0 nv0 --netns child0 --mac "$NV_MAC" $serial || return 1
	defer ip link del nvh0
	ip link set nvh0 master br0 || return 1
	# The host's switch knows the adapter's MAC on its port (as Hyper-V's
	# vSwitch does) instead of learning it: the NIC loops broadcasts back
	# to the PF's pool (the VF's, and under sriov_pf the PF's own, e.g.
	# the adapter's announcement leaving through the PF), and a learnt
	# entry would then point behind the PF and drop the adapter's traffic
	# whenever the NIC steers it to the PF.
	bridge fdb replace "$NV_MAC" dev nvh0 master static sticky || return 1
	ip link set nvh0 up
	ip -n child0 addr add "$NV_IP/24" dev nv0
	ip -n child0 link set nv0 up
	wait_carrier nv0 5 child0
}

# VF 0 with the adapter's MAC, bound to $NV_VF_DRIVER: VF=BDF, VFDEV=netdev.
# nv_vf_create does the first half (VF, MAC or switch setup), so that a
# responder can start before the VF appears (nv_vf_driver_bind).
nv_vf_enable() { nv_vf_create && nv_vf_driver_bind; }
nv_vf_create() {
	local dev=/sys/bus/pci/devices/$SRIOV_PF0
	echo 0 >"$dev/sriov_drivers_autoprobe"
	echo 1 >"$dev/sriov_numvfs" || return 1
	VF=$(basename "$(readlink -f "$dev/virtfn0")")
	if [ "$NV_PF_DRIVER" = sriov_pf ]; then
		nv_switch_setup || return 1
	else
		ip link set "$PF" vf 0 mac "$NV_MAC" || return 1
	fi
}
nv_vf_driver_bind() {
	modprobe "$NV_VF_DRIVER" || return 1
	echo "$NV_VF_DRIVER" >"/sys/bus/pci/devices/$VF/driver_override"
	nv_vf_bind || return 1
	[ -n "$(nv_vf_ns)" ] || nv_deep_rings "$VFDEV"
}

# Where the VF netdev lives once bound.  Under sriov_pf the adapter has a
# serial and pairs by identity with the VF in the host's namespace.  Under
# igb it has none and pairs by MAC, only with a VF in its own namespace: the
# host hands the VF to child0 (nv_vf_bind), as an operator of igbvf must.
nv_vf_ns() { [ "$NV_PF_DRIVER" = sriov_pf ] || echo child0; }
# nv_vf_in CMD...: run CMD in the VF netdev's namespace
nv_vf_in() {
	local ns
	ns=$(nv_vf_ns)
	if [ -n "$ns" ]; then ip netns exec "$ns" "$@"; else "$@"; fi
}

# sriov_pf's "sriov" generic netlink family through the kernel's YNL CLI
nv_ynl_find() {
	NV_SPEC=$SRIOV_TOP/Documentation/netlink/specs/sriov.yaml
	NV_YNL=$(ksrc_ynl)
}
nv_sriov() {
	/usr/bin/python3 "$SRIOV_TOP/tests/lib/ynl_libyaml.py" "$NV_YNL" --spec "$NV_SPEC" --no-schema \
		--output-json "$@"
}

# VF 0 allocated with the adapter's identity and MAC, its VPort (NV_VPORT),
# and the adapter's MAC filter (NV_FID) on the default VPort, as sriovd's
# adapter and attach sequences leave them before the first switch.
nv_switch_setup() {
	local ifx r
	nv_ynl_find || { echo "no YNL library (tools/ksrc.sh tools/net/ynl)"; return 1; }
	ifx=$(cat "/sys/class/net/$PF/ifindex")
	NV_PFIFX=$ifx
	# the three requests in one netlink batch (--multi: one CLI start,
	# seconds under TCG, instead of three); the kernel runs them in order
	# and the CLI fails on the first error.  Replies: one per request.
	r=$(nv_sriov \
		--multi vf-alloc "{\"ifindex\": $ifx, \"vf-id\": 0, \"serial\": $((NV_SERIAL)), \"mac\": \"${NV_MAC//:/}\"}" \
		--multi vport-new "{\"ifindex\": $ifx, \"vf-id\": 0}" \
		--multi filter-add "{\"ifindex\": $ifx, \"vport-id\": 0, \"mac\": \"${NV_MAC//:/}\"}") ||
		{ echo "$r"; return 1; }
	read -r NV_VPORT NV_FID < <(jq -r '"\(.[1]."vport-id") \(.[2]."filter-id")"' <<<"$r")
	[[ $NV_VPORT =~ ^[0-9]+$ ]] && [[ $NV_FID =~ ^[0-9]+$ ]] || { echo "switch setup replies: $r"; return 1; }
}
# VPort id that holds the adapter's filter now
nv_filter_vport() {
	nv_sriov --do filter-get --json "{\"ifindex\": $NV_PFIFX, \"filter-id\": $NV_FID}" | jq '."vport-id"'
}
# the adapter's MAC filter to the VF's VPort (sriovd's attach step), unless
# it is there already
nv_filter_to_vf_vport() {
	[ "$(nv_filter_vport)" = "$NV_VPORT" ] && return 0
	nv_sriov --do filter-move --json "{\"ifindex\": $NV_PFIFX, \"src-vport-id\": 0, \"vport-id\": $NV_VPORT}" >/dev/null &&
		[ "$(nv_filter_vport)" = "$NV_VPORT" ]
}
# sriov_pf tests: the synthetic topology, VF 0 paired with the adapter, and
# the adapter's MAC filter on the VF's VPort; bails out otherwise
nv_paired_on_vf_vport() {
	nv_setup_synthetic || ktap_bail "synthetic topology setup failed"
	nv_vf_enable || ktap_bail "VF setup failed"
	nv_wait_dp 1 40 || ktap_bail "the data path never reached the VF"
	nv_filter_to_vf_vport ||
		ktap_bail "cannot move the adapter's MAC filter to the VF's VPort"
}

# The host side of the switch protocol (sriovd's role): ack every request
# the adapter makes; under sriov_pf move the adapter's filter first.  The
# caller kills $NV_RESP (nv_responder_stop prints the summary).
nv_responder_start() {
	local sw=
	nv_ctl set nvh0 --auto-ack 0 --timeout-ms "${1:-3000}"
	[ "$NV_PF_DRIVER" = sriov_pf ] &&
		sw="--switch $NV_PFIFX:$NV_VPORT:$NV_FID --vf-parent $VF --ynl $NV_YNL --spec $NV_SPEC"
	$NV_CTL responder nvh0 $sw "${@:2}" >"$OUT/responder.out" 2>&1 &
	NV_RESP=$!
	# a request sent before the responder listens is never acked (the
	# adapter stays synthetic): wait for it, generously (Python start-up
	# takes over 10 s on the debug kernel), and say so when it is not there
	busywait 60000 grep -q ready "$OUT/responder.out" && return 0
	echo "# responder not ready after 60 s: $(tail -2 "$OUT/responder.out")"
	return 1
}
nv_responder_stop() {
	kill "$NV_RESP" 2>/dev/null
	wait "$NV_RESP" 2>/dev/null
	ktap_diag "responder: $(tail -1 "$OUT/responder.out")"
}

nv_vf_bind() {
	local ns
	echo "$VF" >/sys/bus/pci/drivers_probe 2>/dev/null
	VFDEV=$(wait_pci_netdev "$VF" 10) || return 1
	ns=$(nv_vf_ns)
	[ -n "$ns" ] || return 0
	nv_deep_rings "$VFDEV"
	ip link set "$VFDEV" netns "$ns"
}

# Deep RX rings: when the host deschedules the TCG guest for a second
# (dmesg: "clocksource: Long readout interval"), the external host's paced
# sender catches up in one burst; 256 descriptors overflow, 4096 do not.
nv_deep_rings() {
	ethtool -G "$1" rx 4096 tx 4096 2>/dev/null || ethtool -G "$1" rx 4096
}

nv_vf_unbind() { echo "$VF" >"/sys/bus/pci/devices/$VF/driver/unbind"; }

nv_vf_disable() { echo 0 >"/sys/bus/pci/devices/$SRIOV_PF0/sriov_numvfs"; }

# The VF netdev carries IFF_SLAVE and has nv0 as master.
nv_vf_is_slave() {
	nv_vf_in ip -j link show "$1" | jq -e '.[0].flags | index("SLAVE") != null' >/dev/null
}

# wait until the adapter's data path is $1 (0 synthetic, 1 VF)
nv_wait_dp() { nv_ctl_child wait nv0 dp_active "$1" --timeout-s "$(slow_s "${2:-30}")" >/dev/null; }

# Stream helpers for the failover tests.  The caller sets OUT (result
# directory), RATE (packets/s), SECS (stream length) and PF, and VFDEV
# when a VF netdev exists.
# nv_stream_start NAME: receiver in child0, paced sender in ext0 (background,
#	pids NV_STREAM_RECV and NV_STREAM_SEND)
# nv_stream_wait: until the sender is done and the receiver has reported
#	(it stops by itself once it has every datagram; else it is stopped
#	1.5 s after the sender, so an outage at the end still counts as lost)
# nv_field NAME KEY: a field of the receiver's JSON report
# nv_counters TAG, nv_report TAG: per-path counters / the stream's result as diagnostics
nv_stream_start() {
	rm -f "$OUT/$1.json" "$OUT/$1.ready" "$OUT/$1.sready"
	ip netns exec child0 "$SEQUDP" recv --port 9000 --idle-ms 10000 \
		--ready "$OUT/$1.ready" --out "$OUT/$1.json" >/dev/null &
	NV_STREAM_RECV=$!
	busywait 5000 test -e "$OUT/$1.ready"
	if [ "$NV_SENDER" = dpdk ]; then
		ip netns exec ext0 "$DSEQUDP" send --iface "$SRIOV_EXT0" --dst-mac "$NV_MAC" \
			--src "$EXT_IP" --dst "$NV_IP" --port 9000 --rate "$RATE" \
			--count $((SECS * RATE)) --ready "$OUT/$1.sready" \
			>"$OUT/$1-send.json" 2>"$OUT/$1-send.err" &
		NV_STREAM_SEND=$!
		# EAL start-up takes seconds under TCG: start the clock when it sends
		slowwait 60 test -e "$OUT/$1.sready"
		return
	fi
	ip netns exec ext0 "$SEQUDP" send --dst "$NV_IP" --port 9000 \
		--rate "$RATE" --count $((SECS * RATE)) >"$OUT/$1-send.json" &
	NV_STREAM_SEND=$!
}
nv_stream_wait() {
	wait "$NV_STREAM_SEND"
	busywait 1500 sh -c "! kill -0 $NV_STREAM_RECV 2>/dev/null" ||
		kill -TERM "$NV_STREAM_RECV" 2>/dev/null
	wait "$NV_STREAM_RECV"
}
nv_field() { jq -r ".$2" "$OUT/$1.json"; }
# frames the per-CPU backlogs dropped since boot (softnet_stat column 2)
nv_backlog_drops() {
	local c d n=0
	while read -r c d _; do
		n=$((n + 16#$d))
	done </proc/net/softnet_stat
	echo $n
}
nv_counters() {
	local vfrx=-
	[ -n "${VFDEV:-}" ] && nv_vf_in test -e "/sys/class/net/$VFDEV" &&
		vfrx=$(nv_vf_in cat "/sys/class/net/$VFDEV/statistics/rx_packets")
	ktap_diag "$1: nv0 vf_rx $(nv_stat vf_rx_packets) syn_rx $(nv_stat syn_rx_packets) vf_tx $(nv_stat vf_tx_packets) syn_tx $(nv_stat syn_tx_packets); VF rx $vfrx; PF rx $(cat "/sys/class/net/$PF/statistics/rx_packets") missed $(cat "/sys/class/net/$PF/statistics/rx_missed_errors"); backlog drops $(nv_backlog_drops); fdb: $(bridge fdb show br br0 | grep -i "$NV_MAC" | tr '\n' ';')"
}
nv_report() {
	nv_counters "$1"
	ktap_diag "$1: lost $(nv_field "$1" lost) of $(nv_field "$1" expected), longest gap $(nv_field "$1" longest_gap_ms) ms after seq $(nv_field "$1" gap_after_seq) (kernel rx timestamps $(nv_field "$1" longest_gap_rx_ms) ms), reordered $(nv_field "$1" reordered), loss runs [first,count] $(jq -c '.loss_runs // []' "$OUT/$1.json")"
}
