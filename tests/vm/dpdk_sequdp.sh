#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 600
#
# sriov-dpdk-sequdp (DPDK 22.11, af_packet PMD, --no-huge): the paced
# sequenced-UDP generator and receiver, checked against losses, duplicates
# and counts that the test itself causes, so every check can fail.
#
#   sa: va 198.19.0.1 --- wa0 [sm: tc redirect] wb0 --- vb 198.19.0.2 :sb
#
# On wa0's ingress (in the middle namespace sm) a tc u32 filter drops every
# datagram whose sequence number has low byte 0x07 (seq 7, 263, 519, ...):
# a known, deterministic loss (the sequence number is at IP offset 36: 20
# IP + 8 UDP + magic + reserved, little-endian).  The filter sits in the
# middle because neither end can host it: af_packet sees a frame before
# ingress tc, and a frame dropped on the egress of a PACKET_TX_RING socket's
# own netdev is retried by the kernel forever (tpacket_snd puts it back),
# stalling the ring behind it.
#   1. DPDK -> kernel receiver (sriov-sequdp), no filter: all N arrive.
#   2. DPDK -> kernel receiver, filter: exactly the dropped ones are lost.
#   3. kernel sender -> DPDK receiver, filter: same exact loss.  Over a
#      second, direct pair va2 --- vb2 with the filter on va2's egress: the
#      kernel's datagrams did not come out of va in the redirect topology
#      (va's tx counter did not move; not understood), and vb2 has no
#      address, so sb's kernel sends no port unreachables back.
#   4. DPDK -> DPDK, filter plus netem duplicate 100% on wb0: exact loss,
#      every survivor counted twice, nothing reordered.
#   5. Over the emulated 82576: DPDK on the PF netdev (igb) -> the external
#      host's kernel receiver, paced: no loss.
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/dpdk.sh"

DSEQ=${DSEQ:-$SRIOV_TOP/build/cmake/tools/traffic/sriov-dpdk-sequdp}
SEQUDP=${SEQUDP:-$SRIOV_TOP/build/cmake/tools/traffic/sriov-sequdp}
N=${DPDK_SEQ_COUNT:-2000}
RATE=${DPDK_SEQ_RATE:-1000}
OUT=${SRIOV_OUT:-/tmp}

ktap_header
require_cmd jq
require_cmd tc
dpdk_require_dseq "$DSEQ"
[ -x "$SEQUDP" ] || ktap_bail "sriov-sequdp not built: $SEQUDP"
ls /usr/lib/x86_64-linux-gnu/dpdk/pmds-*/librte_net_af_packet.so >/dev/null 2>&1 ||
	ktap_skip_all "DPDK af_packet PMD not installed (librte-net-af-packet23)"
# the kernel's tc pieces, tried on lo of a scratch namespace
tc_pieces() {
	ip netns add sprobe || return 1
	tc -n sprobe qdisc add dev lo clsact &&
		tc -n sprobe filter add dev lo ingress protocol all u32 match u32 0 0 \
			action pass &&
		tc -n sprobe qdisc add dev lo root netem duplicate 1%
	local r=$?
	ip netns del sprobe
	return $r
}
tc_pieces >/dev/null 2>&1 ||
	ktap_skip_all "kernel without CONFIG_NET_CLS_U32, CONFIG_NET_SCH_NETEM or CONFIG_NET_SCH_INGRESS (tc u32, netem, clsact)"
ktap_plan 5

# The datagrams the u32 filter drops among seq 0..N-1.
DROPPED=$(((N + 256 - 8) / 256))

ip netns add sa && defer ip netns del sa
ip netns add sm && defer ip netns del sm
ip netns add sb && defer ip netns del sb
ip link add va netns sa type veth peer name wa0 netns sm || ktap_bail "no veth"
ip link add vb netns sb type veth peer name wb0 netns sm || ktap_bail "no veth"
# sm joins wa0 and wb0 with tc redirects (a "wire" with a filter on it)
wire() {
	ip -n sm link set dev wa0 up && ip -n sm link set dev wb0 up &&
		tc -n sm qdisc add dev wa0 clsact && tc -n sm qdisc add dev wb0 clsact &&
		tc -n sm filter add dev wa0 ingress prio 9 protocol all u32 match u32 0 0 \
			action mirred egress redirect dev wb0 &&
		tc -n sm filter add dev wb0 ingress prio 9 protocol all u32 match u32 0 0 \
			action mirred egress redirect dev wa0
}
wire || ktap_bail "tc redirects between wa0 and wb0"
ip -n sa addr add 198.19.0.1/24 dev va
ip -n sb addr add 198.19.0.2/24 dev vb
ip -n sa link set va up
ip -n sb link set vb up
ip -n sa link set lo up
ip -n sb link set lo up
MAC_B=$(ip netns exec sb cat /sys/class/net/vb/address)
MAC_A=$(ip netns exec sa cat /sys/class/net/va/address)
# For the kernel sender a second, direct pair: va2 198.19.1.1 (sa) --- vb2
# (sb, no address, so sb's kernel sends no port unreachables back), the drop
# filter on va2's egress (a kernel socket takes a tc drop as a lost send).
ip link add va2 netns sa type veth peer name vb2 netns sb || ktap_bail "no veth"
ip -n sa addr add 198.19.1.1/24 dev va2
ip -n sa link set dev va2 up
ip -n sb link set dev vb2 up
ip -n sa neigh replace 198.19.1.2 lladdr "$(ip netns exec sb cat /sys/class/net/vb2/address)" \
	nud permanent dev va2
ip -n sa neigh replace 198.19.0.2 lladdr "$MAC_B" nud permanent dev va
ip -n sb neigh replace 198.19.0.1 lladdr "$MAC_A" nud permanent dev vb
# sriov-sequdp asks for a 4 MB SO_RCVBUF, capped by rmem_max (global)
sysctl -qw net.core.rmem_max=33554432

drop_filter_on() {
	# $1 $2 $3: namespace, device, ingress|egress
	tc -n "$1" filter add dev "$2" "$3" protocol ip prio 1 u32 \
		match ip protocol 17 0xff \
		match u32 0x07000000 0xff000000 at 36 action drop
}

# run NAME RECV-NS RECV-CMD... -- SEND-NS SEND-CMD...: receiver in the
# background until ready, sender in the foreground; reports in OUT/NAME*.json.
# An empty namespace name is the initial namespace.
run() {
	local name=$1 rns=$2 args=() sns
	shift 2
	while [ "$1" != -- ]; do args+=("$1"); shift; done
	shift
	sns=$1
	shift
	rm -f "$OUT/$name.json" "$OUT/$name.ready"
	# the timeout covers the sender's start (DPDK's EAL: tens of seconds
	# under TCG, minutes on the debug kernel)
	in_ns "$rns" "${args[@]}" --idle-ms 3000 --timeout "$(slow_s 60)" \
		--ready "$OUT/$name.ready" --out "$OUT/$name.json" >/dev/null 2>"$OUT/$name-recv.err" &
	local rpid=$!
	if ! slowwait "$(slow_s 30)" test -e "$OUT/$name.ready"; then
		ktap_diag "$name: receiver not ready: $(cat "$OUT/$name-recv.err")"
		kill "$rpid" 2>/dev/null
		wait "$rpid"
		return 1
	fi
	in_ns "$sns" "$@" >"$OUT/$name-send.json" 2>"$OUT/$name-send.err" ||
		ktap_diag "$name: sender failed: $(cat "$OUT/$name-send.err")"
	wait "$rpid"
	ktap_diag "$name: send $(cat "$OUT/$name-send.json")"
	ktap_diag "$name: recv $(cat "$OUT/$name.json" 2>/dev/null)"
	[ "$name" = nic ] ||
		ktap_diag "$name: packets rx/tx va $(pkts sa va) wa0 $(pkts sm wa0) wb0 $(pkts sm wb0) vb $(pkts sb vb)"
}
pkts() {
	ip -n "$1" -j -s link show dev "$2" | jq -r '.[0].stats64 | "\(.rx.packets)/\(.tx.packets)"'
}
f() { jq -r ".$2" "$OUT/$1.json" 2>/dev/null; }

# expect NAME LOST RECEIVED DUPLICATED: exact counts, nothing reordered
expect() {
	[ "$(f "$1" expected)" = "$N" ] && [ "$(f "$1" lost)" = "$2" ] &&
		[ "$(f "$1" received)" = "$3" ] && [ "$(f "$1" duplicated)" = "$4" ] &&
		[ "$(f "$1" reordered)" = 0 ]
}

dsend() { echo "$DSEQ" send --iface va --dst-mac "$MAC_B" --src 198.19.0.1 --dst 198.19.0.2 \
	--port 9000 --rate "$RATE" --count "$N"; }

run clean sb "$SEQUDP" recv --port 9000 -- sa $(dsend)
ktap_result "DPDK sender -> kernel receiver: $N/$N, no loss, no duplicate" expect clean 0 "$N" 0

drop_filter_on sm wa0 ingress || ktap_bail "tc u32 drop filter"
run drop sb "$SEQUDP" recv --port 9000 -- sa $(dsend)
ktap_result "DPDK sender, $DROPPED dropped by tc: lost $(f drop lost) (want $DROPPED)" \
	expect drop "$DROPPED" $((N - DROPPED)) 0

tc -n sa qdisc add dev va2 clsact && drop_filter_on sa va2 egress || ktap_bail "tc on va2"
run krecv sb "$DSEQ" recv --iface vb2 --port 9000 -- \
	sa "$SEQUDP" send --dst 198.19.1.2 --port 9000 --rate "$RATE" --count "$N"
ktap_result "kernel sender -> DPDK receiver, $DROPPED dropped: lost $(f krecv lost)" \
	expect krecv "$DROPPED" $((N - DROPPED)) 0

tc -n sm qdisc add dev wb0 root netem duplicate 100% limit 10000 || ktap_bail "netem"
run dup sb "$DSEQ" recv --iface vb --port 9000 -- sa $(dsend)
tc -n sm qdisc del dev wb0 root
ktap_result "DPDK -> DPDK with every datagram doubled: duplicated $(f dup duplicated) (want $((N - DROPPED)))" \
	expect dup "$DROPPED" $((2 * (N - DROPPED))) $((N - DROPPED))

# 5: the emulated NIC.  The PF netdev under igb, the external host behind
# the hub; a paced DPDK source must arrive complete.
pf_setup() {
	[ -n "${SRIOV_PF0:-}" ] || { echo "no 82576 in the lab"; return 1; }
	modprobe igb || return 1
	PF=$(wait_pci_netdev "$SRIOV_PF0" 10) || return 1
	ip link set "$PF" up
	ip addr add 198.18.0.2/24 dev "$PF"
	wait_carrier "$PF" 30 || return 1
	ext_ns_setup 0 >/dev/null || return 1
	EXT_MAC=$(ip netns exec ext0 cat "/sys/class/net/$SRIOV_EXT0/address")
}
if pf_setup; then
	run nic ext0 "$SEQUDP" recv --port 9000 -- \
		"" "$DSEQ" send --iface "$PF" --dst-mac "$EXT_MAC" --src 198.18.0.2 \
		--dst 198.18.0.1 --port 9000 --rate "$RATE" --count "$N"
	ktap_result "DPDK on the 82576 PF netdev ($PF) -> external host at $RATE/s: lost $(f nic lost)" \
		expect nic 0 "$N" 0
else
	ktap_fail "DPDK on the 82576 PF netdev -> external host (lab setup failed)"
fi

ktap_finished
