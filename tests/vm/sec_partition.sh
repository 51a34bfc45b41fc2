#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 2
# timeout: 420
#
# Isolation against a hostile partition and a hostile local user
# (Documentation/security.rst).  sriovd runs on sriov_pf + sriov_vf with two
# partitions on PF0, A and B, each a network namespace; B holds a VF.  A is
# root inside its namespace: CAP_NET_ADMIN there (and, as a container with
# --cap-add NET_ADMIN and no user namespace, in the initial user namespace).
# While the external host sends two sequenced UDP streams of STREAM_RATE
# datagrams/s, one to B and one to the PF's own address (on the PF's
# synthetic switch, the bridge sb-<PF PCI address>), A tries each attack; each attempt
# is one KTAP line that fails when the attack succeeds: an error, or
# frames that never arrive, is the defence working.  A first on the
# synthetic path (no VF): its adapter's MAC set to B's, to the PF's and to
# an unused host VF's (PF1's VF 0, a PCI VF no partition owns); SERIAL on
# its adapter; frames with B's source MAC; a forged ARP reply for B's
# address; a frame to an unknown unicast MAC.  Then A with its VF: the
# adapter's MAC while paired; AUTO_ACK, DP_WANT, DP_ACK on its adapter;
# frames with B's source MAC sent on the VF itself (AF_PACKET); 32 VLANs
# through the VF; the VF renamed to the PF's name (then a planned
# failover) and to bytes that are not UTF-8 (then sriovd's reads and the
# teardown of A).  Every frame check has a
# control: the same sender with A's own addresses must be received, so a
# check cannot pass because nothing was sent.  Then: neither stream lost a
# datagram on the way, no netdev outside A changed name, master or
# namespace, sriovd's audit and the kernel's dumps agree; and a local user
# without privileges (setpriv, uid 65534) holding 200 connections and a
# non-reading `events --follow` does not slow root's `sriovctl status`
# past 1 s nor grow sriovd's RSS by 16 MiB.
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/vm/daemon_lib.bash"

build=${SRIOV_BUILD:-$SRIOV_TOP/build/cmake}
SEQUDP=$build/tools/traffic/sriov-sequdp
SEC="/usr/bin/python3 $SRIOV_TOP/tests/vm/sec_pkt.py"
NVCTL="/usr/bin/python3 $SRIOV_TOP/tests/lib/netvsc_ctl.py"
MAC_A=02:00:5e:19:00:0a
MAC_B=02:00:5e:19:00:0b
MAC_SPARE=02:00:5e:19:00:f1
MAC_UNKNOWN=02:00:5e:19:77:77
BCAST=ff:ff:ff:ff:ff:ff
IP_EXT=198.18.0.1
IP_PF=198.18.0.2
IP_A=198.18.0.10
IP_B=198.18.0.21
STREAM_RATE=2000
# the bounds of tests/pytest/test_ctl_security.py
LOCAL_CONNS=200
STATUS_MAX_MS=1000
RSS_MAX_KIB=$((16 * 1024))
# sriovd's default --max-connections-per-uid; the user's follower holds
# one of them before its 200 connections are opened
PER_UID=16
W=/tmp/sec
NPLAN=22

ktap_header
[ -x "$SRIOVD" ] && [ -x "$SRIOVCTL" ] || ktap_bail "sriovd/sriovctl not built in $dmn_build"
[ -x "$SEQUDP" ] || ktap_bail "sriov-sequdp not built ($SEQUDP)"
[ -n "${SRIOV_PF0:-}" ] && [ -n "${SRIOV_PF1:-}" ] || ktap_bail "lab without two 82576 PFs"
dmn_modules || ktap_bail "modules"
dmn_ynl >/dev/null || ktap_bail "no YNL library (tools/ksrc.sh tools/net/ynl)"
rm -rf "$W"
mkdir -p "$W"

# PF0: 2 VFs, for A and B.  PF1: 1 VF with an administrative MAC, bound to
# sriov_vf in the host namespace and owned by no partition (sriovd runs on
# PF0 only): the "unused host NIC" whose MAC A borrows.
echo 2 >"/sys/bus/pci/devices/$SRIOV_PF0/sriov_numvfs" || ktap_bail "cannot enable VFs on PF0"
defer sh -c "echo 0 > /sys/bus/pci/devices/$SRIOV_PF0/sriov_numvfs"
echo 1 >"/sys/bus/pci/devices/$SRIOV_PF1/sriov_numvfs" || ktap_bail "cannot enable VFs on PF1"
defer sh -c "echo 0 > /sys/bus/pci/devices/$SRIOV_PF1/sriov_numvfs"
pf0dev=$(wait_pci_netdev "$SRIOV_PF0" 10) || ktap_bail "PF0 has no netdev"
pf1dev=$(wait_pci_netdev "$SRIOV_PF1" 10) || ktap_bail "PF1 has no netdev"
ip link set "$pf0dev" up
ip link set "$pf1dev" up
ip link set "$pf1dev" vf 0 mac "$MAC_SPARE" || ktap_bail "ip link set $pf1dev vf 0 mac failed"
spare_bdf=$(basename "$(readlink "/sys/bus/pci/devices/$SRIOV_PF1/virtfn0")")
spare=$(wait_pci_netdev "$spare_bdf" 10) || ktap_bail "PF1's VF 0 ($spare_bdf) has no netdev"
busywait 5000 sh -c "[ \"\$(cat /sys/class/net/$spare/address)\" = $MAC_SPARE ]" ||
	ktap_bail "PF1's VF 0 did not take $MAC_SPARE: $(cat "/sys/class/net/$spare/address")"
ip link set "$spare" up
pf0_vfs=$(for l in /sys/bus/pci/devices/"$SRIOV_PF0"/virtfn*; do basename "$(readlink "$l")"; done)

# sriovd on PF0, its socket open to the group nogroup (the local user's)
mkdir -p "$DMN_STATE"
rm -f "$DMN_SOCK"
"$SRIOVD" --backend=real --log-time -v --state-dir "$DMN_STATE" --socket "$DMN_SOCK" \
	--socket-group nogroup --pf "$SRIOV_PF0" >>"$DMN_LOG" 2>&1 &
DMN_PID=$!
echo "$DMN_PID" >"$DMN_STATE/pid"
defer sh -c "kill -9 \$(cat $DMN_STATE/pid) 2>/dev/null"
busywait 20000 dmn_ctl status >/dev/null 2>&1 || ktap_bail "sriovd does not start: $(tail -n 2 "$DMN_LOG")"
ext_ns_setup 0 || ktap_bail "external host"
ext_mac=$(ip -n ext0 -j link show "$SRIOV_EXT0" | jq -r '.[0].address')

ktap_plan $NPLAN

# The partitions, each with its operator-given address (ARP/ND from a
# partition may claim only these).  Without --ip support the partitions
# are added without it, and the line fails.
ip_given=yes
for p in A B; do
	mac_var=MAC_$p
	ip_var=IP_$p
	if ! out=$(dmn_ctl partition add $p --pf "$SRIOV_PF0" --mac "${!mac_var}" --ip "${!ip_var}" 2>&1); then
		ip_given="no: $out"
		dmn_ctl partition add $p --pf "$SRIOV_PF0" --mac "${!mac_var}" || ktap_bail "partition add $p"
	fi
done
ktap_result "partitions A and B added with their addresses (sriovctl partition add --ip)" \
	sh -c 'echo "--ip taken: $1"; [ "$1" = yes ]' - "$ip_given"
for p in A B; do
	ip -n $p link set lo up
	ip -n $p link set nv0 up
done
ip -n A addr add $IP_A/24 dev nv0
ip -n B addr add $IP_B/24 dev nv0
# the PF's own address, on its switch (the PF netdev is a port of the
# bridge sb-<PF PCI address>); the bridge keeps the PF's MAC whatever ports join
br="sb-$(echo "$SRIOV_PF0" | tr : .)"
[ -d "/sys/class/net/$br" ] || ktap_bail "no bridge $br after partition add"
pf_mac=$(cat "/sys/class/net/$pf0dev/address")
ip link set "$br" address "$pf_mac"
ip addr add $IP_PF/24 dev "$br"
a_port=$(ip -d -o link show type sriov_netvsc | awk -F': ' '/alias sriovd:A:/ { sub(/@.*/, "", $2); print $2 }')
[ -n "$a_port" ] || ktap_bail "no host port of A"
dmn_ctl attach B || ktap_bail "attach B: $(dmn_ctl list 2>&1)"
ns_vf() {	# NS -> the VF netdev in it
	ip netns exec "$1" sh -c 'for d in /sys/class/net/*; do [ -e "$d/device/physfn" ] && basename "$d"; done' | head -n1
}
b_vf=$(ns_vf B)
[ -n "$b_vf" ] || ktap_bail "B has no VF netdev after attach"
b_vf_bdf=$(basename "$(ip netns exec B readlink "/sys/class/net/$b_vf/device")")
b_serial=$(ip netns exec B cat "/sys/class/net/$b_vf/sriov/serial" 2>/dev/null)
[ -n "$b_serial" ] || b_serial=$(dmn_ctl --json list | jq -r '.result[] | select(.name == "B") | .id')
slowwait 20 ping_ok ext0 $IP_B || ktap_bail "the external host does not reach B"
slowwait 20 ping_ok ext0 $IP_PF || ktap_bail "the external host does not reach the PF's address"
ping_ok A $IP_EXT || ktap_bail "A (synthetic path) does not reach the external host"

# Every netdev that is not A's: host namespace and B's, "NS IFINDEX NAME
# MASTER", A's VF (any VF of PF0 but B's) and A's host port left out.
skip_json=$(printf '%s\n' $pf0_vfs | grep -vx "$b_vf_bdf" | jq -R . | jq -sc .)
snap() {
	local ns
	for ns in host B; do
		if [ $ns = host ]; then ip -d -j link show; else ip -n B -d -j link show; fi |
			jq -r --arg ns $ns --argjson skip "$skip_json" '.[]
			  | select((.ifalias // "") | startswith("sriovd:A:") | not)
			  | select((.parentdev // "") as $p | $skip | index($p) | not)
			  | "\($ns) \(.ifindex) \(.ifname) \(.master // "-") \(.link_netnsid // "-")"'
	done | sort
}
snap >"$W/links.before"
# foreign_same [REF]: nothing changed since REF (default: the start)
foreign_same() {
	snap >"$W/links.now"
	diff -u "${1:-$W/links.before}" "$W/links.now" >"$W/links.diff" && return 0
	echo "netdevs outside A changed:"
	tail -n +3 "$W/links.diff"
	return 1
}

# Frames seen by the external host, B and the host (the PF's side): one
# recorder per namespace (tests/vm/sec_pkt.py watch).
for ns in ext0 B host; do
	if [ $ns = host ]; then
		$SEC watch --out "$W/seen.$ns" --ready "$W/ready.$ns" &
	else
		ip netns exec $ns $SEC watch --out "$W/seen.$ns" --ready "$W/ready.$ns" &
	fi
	echo $! >"$W/watch.$ns.pid"
	defer sh -c "kill \$(cat $W/watch.$ns.pid) 2>/dev/null"
done
for ns in ext0 B host; do
	busywait 20000 test -e "$W/ready.$ns" || ktap_bail "frame recorder in $ns not ready"
done
seen() {	# NS PATTERN: how many recorded lines match
	grep -c -- "$2" "$W/seen.$1"
}

# The two streams, from the external host: to B and to the PF's address.
rcvbuf_errors() {
	in_ns "$1" awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 }
		else print $c["RcvbufErrors"] }' /proc/net/snmp
}
sysctl -qw net.core.rmem_max=33554432
ip netns exec B sysctl -qw net.core.rmem_max=33554432 2>/dev/null
stream_start() {	# NAME NS(""=host) ADDR PORT
	local name=$1 ns=$2 addr=$3 port=$4
	rcvbuf_errors "$ns" >"$W/$name.rcvbuf0"
	local recv=("$SEQUDP" recv --port "$port" --bind "$addr" --idle-ms 900000 --timeout 900
		--ready "$W/$name.ready" --out "$W/$name.recv.json")
	if [ -n "$ns" ]; then
		ip netns exec "$ns" "${recv[@]}" >/dev/null &
	else
		"${recv[@]}" >/dev/null &
	fi
	echo $! >"$W/$name.recv.pid"
	busywait 10000 test -e "$W/$name.ready" || return 1
	ip netns exec ext0 "$SEQUDP" send --dst "$addr" --port "$port" --rate $STREAM_RATE \
		--seconds 900 >"$W/$name.send.json" &
	echo $! >"$W/$name.send.pid"
	defer sh -c "kill \$(cat $W/$name.send.pid) \$(cat $W/$name.recv.pid) 2>/dev/null"
}
stream_start b B $IP_B 9000 || ktap_bail "stream to B"
stream_start pf "" $IP_PF 9001 || ktap_bail "stream to the PF"
sleep 2

# --- A on the synthetic path (no VF) ---

a_info() { ip netns exec A $NVCTL show nv0; }
# A sets its (unpaired) adapter's MAC to someone else's: the change
# may be refused; if it is taken, nothing outside A is claimed (no netdev
# changes master or namespace, A's adapter pairs with nothing).
mac_attack() {	# MAC
	local out rc bad=0
	snap >"$W/links.ref"
	ip -n A link set nv0 down
	out=$(ip -n A link set nv0 address "$1" 2>&1)
	rc=$?
	ip -n A link set nv0 up
	echo "ip -n A link set nv0 address $1 (nv0 down): exit $rc $out"
	sleep 1
	foreign_same "$W/links.ref" || bad=1
	if a_info | jq -e 'has("vf_ifindex")' >/dev/null; then
		echo "A's adapter paired: $(a_info)"
		bad=1
	fi
	ip -n A link set nv0 down
	ip -n A link set nv0 address "$MAC_A" 2>/dev/null
	ip -n A link set nv0 up
	return $bad
}
ktap_result "A (synthetic) sets its adapter's MAC to B's: nothing outside A claimed" mac_attack "$MAC_B"
ktap_result "A (synthetic) sets its adapter's MAC to the PF's: nothing outside A claimed" mac_attack "$pf_mac"
ktap_result "A (synthetic) sets its adapter's MAC to an unused host VF's: nothing outside A claimed" \
	mac_attack "$MAC_SPARE"

# The adapter's identity and data-path controls, from inside A: refused
# because the request comes from the child's namespace (EPERM), whatever
# A's capabilities, the value unchanged.  An attempt that went through is
# undone from the host port (host namespace).
ctl_attack() {	# KEY(show) SET-ARGS...
	local key=$1 before after out rc
	shift
	before=$(a_info | jq -c ".$key")
	out=$(ip netns exec A $NVCTL set nv0 "$@" 2>&1)
	rc=$?
	after=$(a_info | jq -c ".$key")
	echo "netvsc_ctl.py set nv0 $*: exit $rc $out; $key $before -> $after"
	if [ "$before" != "$after" ]; then
		case $key in
		serial) $NVCTL set "$a_port" --serial "$([ "$before" = null ] && echo 0 || echo "$before")" ;;
		auto_ack) $NVCTL set "$a_port" --auto-ack "$before" ;;
		dp_want) $NVCTL set "$a_port" --want "$([ "$before" = 1 ] && echo vf || echo syn)" ;;
		esac
	fi
	[ $rc != 0 ] && [ "$before" = "$after" ] && [[ $out == *"[Errno 1] "* ]]
}
# (unpaired: the identity is what the next pairing goes by)
ktap_result "A sets SERIAL on its adapter (to B's VF identity $b_serial): refused" ctl_attack serial --serial "$b_serial"

# Frames with B's source MAC on the synthetic path reach no one; A's own
# frames (the control) reach the external host.
syn_spoof() {
	local own spoof
	ip netns exec A $SEC batch <<-EOF || return 1
		send nv0 --src $MAC_A --dst $BCAST --tag syn-own --count 10
		send nv0 --src $MAC_B --dst $BCAST --tag syn-spoof
		send nv0 --src $MAC_B --dst $ext_mac --tag syn-spoof
		send nv0 --src $MAC_B --dst $pf_mac --tag syn-spoof
	EOF
	sleep 1
	own=$(seen ext0 "^mark syn-own ")
	spoof="ext0 $(seen ext0 "^mark syn-spoof ") B $(seen B "^mark syn-spoof ") host $(seen host "^mark syn-spoof ")"
	echo "A's own frames at the external host: $own; with B's MAC: $spoof"
	echo "bridge fdb for B's MAC: $(bridge fdb show br "$br" | grep -i "$MAC_B" | tr '\n' ';')"
	[ "$own" -gt 0 ] && [ "$spoof" = "ext0 0 B 0 host 0" ] &&
		! bridge fdb show br "$br" | grep -i "$MAC_B" | grep -q "dev $a_port "
}
ktap_result "A (synthetic) sends frames with B's source MAC: dropped (A's own frames pass)" syn_spoof

# A forged ARP reply "B's address is at A's MAC", to the external host
# and as a broadcast, reaches no one; A's ARP reply for its own address
# does.  The external host's neighbour entry for B keeps B's MAC.
arp_forge() {
	local own forged lladdr
	ip netns exec A $SEC batch <<-EOF || return 1
		arp nv0 --sha $MAC_A --spa $IP_A --tpa $IP_EXT --dst $ext_mac --count 3
		arp nv0 --sha $MAC_A --spa $IP_B --tpa $IP_EXT --dst $ext_mac
		arp nv0 --sha $MAC_A --spa $IP_B --tpa $IP_B --dst $BCAST
	EOF
	sleep 1
	own=$(seen ext0 "^arp 2 $MAC_A $IP_A ")
	forged="ext0 $(seen ext0 "^arp 2 $MAC_A $IP_B ") B $(seen B "^arp 2 $MAC_A $IP_B ") host $(seen host "^arp 2 $MAC_A $IP_B ")"
	lladdr=$(ip -n ext0 -j neigh show $IP_B | jq -r '.[0].lladdr // "none"')
	echo "A's reply for its own address at the external host: $own; forged for B's: $forged;" \
		"the external host's entry for $IP_B: $lladdr"
	# a forged entry would steer B's stream to A: put B's MAC back
	[ "$lladdr" = $MAC_B ] || ip -n ext0 neigh replace $IP_B lladdr $MAC_B dev "$SRIOV_EXT0" nud reachable
	[ "$own" -gt 0 ] && [ "$forged" = "ext0 0 B 0 host 0" ] && [ "$lladdr" != $MAC_A ]
}
ktap_result "A (synthetic) sends a forged ARP reply for B's address: dropped (its own passes)" arp_forge

# A frame to an unknown unicast MAC is not flooded to B; A's broadcast
# (the control) is.
unknown_ucast() {
	local bc uu
	ip netns exec A $SEC batch <<-EOF || return 1
		send nv0 --src $MAC_A --dst $BCAST --tag uu-bcast --count 10
		send nv0 --src $MAC_A --dst $MAC_UNKNOWN --tag uu-unknown
	EOF
	sleep 1
	bc=$(seen B "^mark uu-bcast ")
	uu=$(seen B "^mark uu-unknown ")
	echo "in B: A's broadcasts $bc, A's frames to $MAC_UNKNOWN $uu"
	[ "$bc" -gt 0 ] && [ "$uu" = 0 ]
}
ktap_result "A (synthetic) sends to an unknown unicast MAC: B does not receive it (broadcast does)" unknown_ucast

# --- A with its VF ---

a_vf=
attach_a() {
	dmn_ctl attach A || return 1
	a_vf=$(ns_vf A)
	[ -n "$a_vf" ] || { echo "no VF netdev in A"; return 1; }
	echo "A's VF: $a_vf"
	a_info | jq -e 'has("vf_ifindex")' >/dev/null ||
		{ echo "A's adapter not paired: $(a_info)"; return 1; }
}
ktap_result "A gets its VF (attach)" attach_a
a_vf=$(ns_vf A)
[ -n "$a_vf" ] || a_vf=none

# The adapter's MAC while paired: refused, the MAC unchanged.
mac_paired() {
	local out rc mac
	snap >"$W/links.ref"
	ip -n A link set nv0 down
	out=$(ip -n A link set nv0 address $MAC_B 2>&1)
	rc=$?
	mac=$(ip -n A -j link show nv0 | jq -r '.[0].address')
	echo "ip -n A link set nv0 address $MAC_B (nv0 down): exit $rc $out; nv0 is $mac"
	[ "$mac" = $MAC_A ] || ip -n A link set nv0 address $MAC_A
	ip -n A link set nv0 up
	[ $rc != 0 ] && [ "$mac" = $MAC_A ] && foreign_same "$W/links.ref"
}
ktap_result "A (paired) sets its adapter's MAC to B's: refused" mac_paired

auto=$(a_info | jq -r '.auto_ack // 0')
ktap_result "A sets AUTO_ACK on its adapter: refused" ctl_attack auto_ack --auto-ack $((1 - auto))
ktap_result "A sets DP_WANT on its adapter (synthetic): refused" ctl_attack dp_want --want syn
dp_seq=$(a_info | jq -r '.dp_seq // 0')
ktap_result "A sets DP_ACK on its adapter: refused" ctl_attack dp_ack --ack "$dp_seq"
dmn_idle 30
busywait 10000 sh -c "ip netns exec A $NVCTL show nv0 | jq -e '.dp_active == 1' >/dev/null"

# Frames with B's source MAC sent on the VF itself (a raw socket: what
# a userspace driver can do too) reach no one; A's own frames do.
vf_spoof() {
	local own spoof
	ip netns exec A $SEC batch <<-EOF || return 1
		send $a_vf --src $MAC_A --dst $BCAST --tag vf-own --count 10
		send $a_vf --src $MAC_B --dst $BCAST --tag vf-spoof
		send $a_vf --src $MAC_B --dst $ext_mac --tag vf-spoof
		send $a_vf --src $MAC_B --dst $MAC_B --tag vf-spoof
		send $a_vf --src $MAC_B --dst $pf_mac --tag vf-spoof
	EOF
	sleep 1
	own=$(seen ext0 "^mark vf-own ")
	spoof="ext0 $(seen ext0 "^mark vf-spoof ") B $(seen B "^mark vf-spoof ") host $(seen host "^mark vf-spoof ")"
	echo "A's own frames from its VF at the external host: $own; with B's MAC: $spoof"
	ip -n A -s link show "$a_vf" | sed -n '/TX:/,+1p'
	[ "$own" -gt 0 ] && [ "$spoof" = "ext0 0 B 0 host 0" ]
}
ktap_result "A sends frames with B's source MAC from its VF (AF_PACKET): dropped (its own pass)" vf_spoof

# 32 VLANs through A's VF: the PF refuses those beyond A's quota, and
# B's VF and the PF itself can still add a VLAN afterwards.
vlan_flood() {
	local i ok=0 no=0 bok=0 pok=0 err
	[ -e "/run/netns/A" ] && ip -n A link show "$a_vf" >/dev/null || { echo "A has no VF"; return 1; }
	for ((i = 1; i <= 32; i++)); do
		if err=$(ip -n A link add link "$a_vf" name v$i type vlan id $((200 + i)) 2>&1) &&
			ip -n A link set v$i up; then
			ok=$((ok + 1))
		else
			[ $no = 0 ] && echo "VLAN $((200 + i)) refused: $err"
			no=$((no + 1))
		fi
	done
	echo "A: $ok of 32 VLANs taken, $no refused"
	dmesg | grep -iE 'vlan' | tail -n 3
	ip -n B link add link "$b_vf" name bv77 type vlan id 77 && bok=1
	ip link add link "$pf0dev" name pv78 type vlan id 78 && pok=1
	echo "B's VF adds VLAN 77: $bok; the PF adds VLAN 78: $pok"
	ip -n B link del bv77 2>/dev/null
	ip link del pv78 2>/dev/null
	for ((i = 1; i <= 32; i++)); do ip -n A link del v$i 2>/dev/null; done
	# A's quota is not 0, and A could not take what B and the PF need
	[ $ok -gt 0 ] && [ $no -gt 0 ] && [ $bok = 1 ] && [ $pok = 1 ]
}
ktap_result "A adds 32 VLANs through its VF: refused beyond its quota, B and the PF still can" vlan_flood

# A renames its VF to the PF's name; the planned failover still takes
# the VF out of A, and the host's netdev of that name is untouched.
rename_host() {
	snap >"$W/links.ref"
	ip -n A link set "$a_vf" down
	ip -n A link set "$a_vf" name "$pf0dev" || { echo "rename refused by the kernel"; return 1; }
	ip -n A link set "$pf0dev" up
	dmn_ctl failover A --hold 3600 || { dmn_ctl list; return 1; }
	dmn_idle 30
	[ -z "$(ns_vf A)" ] || { echo "A still holds a VF netdev: $(ns_vf A)"; return 1; }
	foreign_same "$W/links.ref" && dmn_audit
}
ktap_result "A renames its VF to the PF's name ($pf0dev): planned failover works" rename_host

# A renames its VF to bytes that are not UTF-8: sriovd's reads still
# answer (status, list, vf show, audit as JSON), and A's teardown works.
rename_bytes() {
	local vf c
	dmn_ctl attach A || return 1
	vf=$(ns_vf A)
	[ -n "$vf" ] || { echo "no VF netdev in A after attach"; return 1; }
	ip -n A link set "$vf" down
	ip -n A link set "$vf" name $'\xff\xfe' || { echo "rename refused by the kernel"; return 1; }
	ip -n A link set $'\xff\xfe' up
	for c in status list "vf show" audit; do
		# shellcheck disable=SC2086
		dmn_ctl --json $c | jq -e . >/dev/null || { echo "sriovctl --json $c failed"; return 1; }
	done
	dmn_ctl partition remove A || { dmn_ctl list; return 1; }
	dmn_idle 30
	ip netns exec A true 2>/dev/null && [ -n "$(ns_vf A)" ] && { echo "a VF netdev left in A"; return 1; }
	dmn_audit
}
ktap_result "A renames its VF to invalid UTF-8: sriovd's reads work, teardown of A works" rename_bytes

# --- the outcome ---

stream_end() {	# NAME NS
	local name=$1 ns=$2 sent uniq drops
	# (a subshell of ktap_result: the two are not its children)
	kill -TERM "$(cat "$W/$name.send.pid")"
	busywait 10000 sh -c "! kill -0 $(cat "$W/$name.send.pid") 2>/dev/null"
	# the receiver reports when stopped (it has no idle stop: a stream
	# that an attack diverted for a while must still count what came later)
	sleep 2
	kill -TERM "$(cat "$W/$name.recv.pid")"
	busywait 20000 sh -c "! kill -0 $(cat "$W/$name.recv.pid") 2>/dev/null"
	echo "sender: $(cat "$W/$name.send.json")"
	echo "receiver: $(cat "$W/$name.recv.json" 2>/dev/null)"
	[ -s "$W/$name.recv.json" ] || { echo "no receiver report"; return 1; }
	sent=$(jq -r .sent "$W/$name.send.json")
	uniq=$(jq -r .unique "$W/$name.recv.json")
	drops=$(($(rcvbuf_errors "$ns") - $(cat "$W/$name.rcvbuf0")))
	echo "receiving socket's drops (RcvbufErrors): $drops; lost on the way: $((sent - uniq - drops)) of $sent"
	[ "$sent" -ge $((STREAM_RATE * 20)) ] || { echo "stream shorter than 20 s"; return 1; }
	[ $((sent - uniq - drops)) -le 0 ]
}
ktap_result "B's ${STREAM_RATE}/s stream lost 0 datagrams" stream_end b B
ktap_result "the PF's ${STREAM_RATE}/s stream lost 0 datagrams" stream_end pf ""
ktap_result "no netdev outside A changed name, master or namespace" foreign_same
audit_final() { dmn_audit && dmn_kernel_check B; }
ktap_result "sriovd's audit consistent, the kernel's dumps match (B)" audit_final

# A local user without privileges: a non-reading events --follow and
# 200 connections.  Root's status answers within 1 s; sriovd's RSS grows
# by less than 16 MiB; the user's connections beyond its limit are refused
# and the follower is dropped.
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
local_user() {
	local pid rss0 rss1 i t0 ms worst=0 line refused
	pid=$(cat "$DMN_STATE/pid")
	rss0=$(rss_kib "$pid")
	coproc LU { setpriv --reuid 65534 --regid 65534 --clear-groups \
		/usr/bin/python3 "$SRIOV_TOP/tests/lib/ctl_flood.py" "$DMN_SOCK" $LOCAL_CONNS \
		--stalled-follower 2>&1; }
	read -r -t 120 line <&"${LU[0]}" || { echo "the local user's client did not report"; return 1; }
	echo "local user: $line"
	for ((i = 0; i < 5; i++)); do
		t0=$(date +%s%N)
		dmn_ctl status >/dev/null || { echo "root's status failed"; return 1; }
		ms=$((($(date +%s%N) - t0) / 1000000))
		[ $ms -gt $worst ] && worst=$ms
	done
	rss1=$(rss_kib "$pid")
	echo >&"${LU[1]}"
	read -r -t 60 line <&"${LU[0]}"
	refused=${line#refused }
	echo >&"${LU[1]}"
	wait "$LU_PID" 2>/dev/null
	echo "root's status: slowest of 5 took $worst ms; sriovd RSS $rss0 -> $rss1 KiB;" \
		"$refused of $LOCAL_CONNS connections refused"
	grep -c "dropping connection of uid 65534" "$DMN_LOG"
	[ $worst -lt $STATUS_MAX_MS ] && [ $((rss1 - rss0)) -lt $RSS_MAX_KIB ] &&
		[ "${refused:-0}" -ge $((LOCAL_CONNS - PER_UID + 1)) ] &&
		grep -q "dropping connection of uid 65534" "$DMN_LOG"
}
if command -v setpriv >/dev/null; then
	ktap_result "a local user's 200 connections and stalled follower: root's status < 1 s, RSS bounded" local_user
else
	ktap_skip "local user" "setpriv is not installed"
fi

dmn_ctl partition remove B
dmn_stop
ktap_finished
