#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 2
# timeout: 300
#
# sriovd on the real drivers: sriov_pf (genl family "sriov"), sriov_netvsc
# (the child's adapter) and a VF driver.  A partition is created on PF0,
# pinged from the external host over the synthetic path, given a VF,
# failed over, migrated to PF1 and removed; a second partition with a VLAN
# gets a VF (its MAC and VLAN filters move to the VF's VPort, checked in the
# kernel's own dump) and traffic on that VLAN on both paths; then sriovd is SIGKILLed inside
# attach/detach sequences and each restart is checked with `sriovctl audit`
# (the daemon's model against the kernel's own dumps); each restart's log
# says whether the kill landed inside a sequence (sriovd's "recovery:"
# line for the journal's sequence in flight), and at least KILL_MIN of
# the ROUNDS kills must have.  The planned failover of the first partition
# runs under a sequenced UDP stream from the external host (sriov-sequdp,
# LOSS_RATE datagrams/s): none may be lost on the way (datagrams the
# receiving socket dropped because TCG starved the receiver are counted
# apart).  A namespace sriovd used and `ip netns del` deleted must be gone
# within 1 s (sriovd keeps no socket in it).  The project's drivers,
# daemon, tools and the YNL library
# (tools/ksrc.sh) not being there is a failure.
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/vm/daemon_lib.bash"	# dmn_dump: the kernel's switches via YNL

build=${SRIOV_BUILD:-$SRIOV_TOP/build/cmake}
SRIOVD=$build/daemon/sriovd
SRIOVCTL=$build/tools/sriovctl/sriovctl
SEQUDP=$build/tools/traffic/sriov-sequdp
MAC=02:00:5e:20:00:01
MAC2=02:00:5e:20:00:02
VID=100
ROUNDS=6
KILL_MIN=5
LOSS_RATE=500
LOSS_SECS=12

ktap_header
if [ ! -x "$SRIOVD" ] || [ ! -x "$SRIOVCTL" ]; then
	ktap_bail "sriovd/sriovctl not built in $build"
fi
[ -x "$SEQUDP" ] || ktap_bail "sriov-sequdp not built ($SEQUDP)"
if [ -z "${SRIOV_PF0:-}" ] || [ -z "${SRIOV_PF1:-}" ]; then
	ktap_bail "lab without two 82576 PFs"
fi
modprobe sriov_pf || ktap_bail "sriov_pf does not load"
modprobe sriov_netvsc || ktap_bail "sriov_netvsc does not load"
modprobe sriov_vf || ktap_bail "sriov_vf does not load"
genl ctrl get name sriov >/dev/null 2>&1 || ktap_bail "sriov_pf without the \"sriov\" genl family"
dmn_ynl >/dev/null || ktap_bail "no YNL library (tools/ksrc.sh tools/net/ynl)"

st=/tmp/sriovd
sock=$st/sriovd.sock
ctl() { "$SRIOVCTL" --socket "$sock" "$@"; }
start_sriovd() {
	rm -f "$sock"
	"$SRIOVD" --backend=real --log-time --state-dir "$st" --socket "$sock" \
		--pf "$SRIOV_PF0" --pf "$SRIOV_PF1" >>"$SRIOV_OUT/sriovd.log" 2>&1 &
	sriovd_pid=$!
	echo "$sriovd_pid" >"$st/pid"
	busywait 10000 "$SRIOVCTL" --socket "$sock" status >/dev/null 2>&1
}
__audit() {
	local out
	out=$("$SRIOVCTL" --socket "$sock" --json audit) || return 1
	jq -e '.result.consistent == true' <<<"$out" >/dev/null
}
audit_ok() { slowwait 30 __audit || { ctl audit; return 1; }; }
# the daemon's model and the adapter's own counter (ethtool -S: dp_active)
on_vf() {
	ctl --json list | jq -e '.result[0].vf.datapath == "vf"' >/dev/null &&
		[ "$(ip netns exec vm1 ethtool -S nv0 | awk '$1 == "dp_active:" {print $2}')" = 1 ]
}

# PF1's VFs come without a driver, as on a host that hands VFs to VMs
# (sriov_drivers_autoprobe 0): the migration to PF1 below needs sriovd to
# probe one itself (drivers_probe alone binds nothing then)
echo 0 >"/sys/bus/pci/devices/$SRIOV_PF1/sriov_drivers_autoprobe" || ktap_bail "cannot turn autoprobe off on PF1"
defer sh -c "echo 1 > /sys/bus/pci/devices/$SRIOV_PF1/sriov_drivers_autoprobe"
for pf in "$SRIOV_PF0" "$SRIOV_PF1"; do
	echo 2 >"/sys/bus/pci/devices/$pf/sriov_numvfs" || ktap_bail "cannot enable VFs on $pf"
	defer sh -c "echo 0 > /sys/bus/pci/devices/$pf/sriov_numvfs"
	ip link set "$(pci_netdev "$pf")" up
done
mkdir -p "$st"
start_sriovd || ktap_bail "sriovd --backend=real does not start: $(tail -n1 "$SRIOV_OUT/sriovd.log")"
defer sh -c "kill -9 \$(cat $st/pid) 2>/dev/null"
ext_ns_setup 0 || ktap_bail "external host"

ktap_plan 17
ktap_result "partition add (synthetic path)" ctl partition add vm1 --pf "$SRIOV_PF0" --mac "$MAC" --ip 198.18.0.20
ip -n vm1 link set lo up
ip -n vm1 link set nv0 up
ip -n vm1 addr add 198.18.0.20/24 dev nv0
ktap_result "external host pings the child over the synthetic path" slowwait 15 ping_ok ext0 198.18.0.20
# The partition's port of the synthetic switch, from the kernel's own
# dumps: locked, no learning, no unknown-unicast flooding (broadcast
# still), the partition's MAC its static entry; and its ARP/ND rules in
# sriovd's nftables table (its chain, and its entry in the port map the
# base chain looks the input port up in).
switch_guarded() {
	local port br fdb nf
	port=$(ip -d -o link show type sriov_netvsc | awk -F': ' '/alias sriovd:vm1:/ { sub(/@.*/, "", $2); print $2 }')
	[ -n "$port" ] || { echo "no host port of vm1"; return 1; }
	br=$(bridge -d -j link show dev "$port") || return 1
	echo "bridge port $port: $br"
	jq -e '.[0] | .locked == true and .learning == false and .flood == false and .bcast_flood == true' \
		<<<"$br" >/dev/null || { echo "port $port is not locked as it should be"; return 1; }
	fdb=$(bridge -j fdb show dev "$port") || return 1
	jq -e --arg m "$MAC" 'any(.[]; .mac == $m and .state == "static")' <<<"$fdb" >/dev/null ||
		{ echo "no static entry for $MAC on $port: $fdb"; return 1; }
	nf=$(nft -j list table bridge sriovd) || { echo "no nft table bridge sriovd"; return 1; }
	jq -e --arg p "$port" --arg c "p_$port" --arg m "$MAC" --arg ip 198.18.0.20 '
		.nftables as $n |
		([$n[] | .rule? | select(. != null and .chain == "ports")
		  | select(any(.expr[]; .vmap?.data == "@portmap"))] | length == 1) and
		([$n[] | .map? | select(. != null and .name == "portmap") | .elem[]?
		  | select(.[0] == $p and .[1].jump.target == $c)] | length == 1) and
		([$n[] | .rule? | select(. != null and .chain == $c)
		  | select(any(.expr[]; .match?.left.payload.field == "saddr ether" and .match?.right == $m))] | length == 2) and
		([$n[] | .rule? | select(. != null and .chain == $c)
		  | select(any(.expr[]; .match?.left.payload.field == "saddr ip" and (.match?.right | tostring | contains($ip))))]
		  | length == 2)' <<<"$nf" >/dev/null || { echo "nft table bridge sriovd lacks vm1's rules: $nf"; return 1; }
}
ktap_result "vm1's switch port is locked and its ARP/ND rules are installed (bridge -d -j link, nft -j)" switch_guarded
diag_links() {
	ktap_diag "$(ip -d link show 2>&1 | grep -A3 -E 'sriov_netvsc|eth|sb-' | head -40)"
	ktap_diag "$(ip -n vm1 -d link show 2>&1 | head -30)"
	ktap_diag "$(ctl vf show 2>&1)"
	ktap_diag "$(dmesg | grep -iE 'swnv|netvsc|claimed|sriov_pf|igbvf' | tail -20)"
}
ktap_result "attach" ctl attach vm1 || diag_links
ktap_result "audit after attach" audit_ok
vf_rx() { ip netns exec vm1 ethtool -S nv0 | awk '$1 == "vf_rx_packets:" {print $2}'; }
ping_vf() {
	local rx0
	rx0=$(vf_rx)
	on_vf && ping_ok ext0 198.18.0.20 && [ "$(vf_rx)" -gt "$rx0" ]
}
ktap_result "ping on the VF data path (adapter: dp_active 1, vf_rx_packets grows)" ping_vf
# the planned failover under a sequenced UDP stream ext0 -> vm1: it starts
# 2 s before the failover and runs LOSS_SECS s; the receiver stops 2 s
# after the last datagram.
# the namespace's UDP RcvbufErrors (the receiving socket's own drops)
rcvbuf_errors() {
	ip netns exec "$1" awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 }
		else print $c["RcvbufErrors"] }' /proc/net/snmp
}
sysctl -qw net.core.rmem_max=33554432
failover_stream() {
	local out=$SRIOV_OUT/failover-stream r0 rc lost drops exp t0 t1 t2
	rm -f "$out.json" "$out.ready"
	r0=$(rcvbuf_errors vm1)
	ip netns exec vm1 "$SEQUDP" recv --port 9000 --idle-ms 2000 \
		--ready "$out.ready" --out "$out.json" >/dev/null &
	local recv=$!
	busywait 5000 test -e "$out.ready" || { echo "receiver not ready"; return 1; }
	t0=$(date +%s%3N)
	ip netns exec ext0 "$SEQUDP" send --dst 198.18.0.20 --port 9000 \
		--rate $LOSS_RATE --count $((LOSS_SECS * LOSS_RATE)) >"$out-send.json" &
	local send=$!
	sleep 2
	t1=$(date +%s%3N)
	ctl failover vm1 --hold 3600
	rc=$?
	t2=$(date +%s%3N)
	wait $send
	local t3
	t3=$(date +%s%3N)
	busywait $((($(slow_s 10)) * 1000)) sh -c "! kill -0 $recv 2>/dev/null" || kill -TERM $recv
	wait $recv
	drops=$(($(rcvbuf_errors vm1) - r0))
	echo "failover: exit $rc, from $((t1 - t0)) to $((t2 - t0)) ms of a stream that ended at $((t3 - t0)) ms"
	echo "receiver: $(cat "$out.json" 2>/dev/null)"
	echo "receiving socket's drops (RcvbufErrors): $drops"
	[ $rc = 0 ] || return 1
	[ -s "$out.json" ] || { echo "no receiver report"; return 1; }
	[ "$t2" -lt "$t3" ] || { echo "the failover did not end inside the stream"; return 1; }
	exp=$(jq -r .expected "$out.json")
	lost=$(jq -r .lost "$out.json")
	[ "$exp" = $((LOSS_SECS * LOSS_RATE)) ] || { echo "expected $exp datagrams, sent $((LOSS_SECS * LOSS_RATE))"; return 1; }
	echo "lost on the way: $((lost - drops)) of $exp"
	[ $((lost - drops)) -le 0 ]
}
ktap_result "planned failover under a ${LOSS_RATE}/s UDP stream from the external host: 0 lost" failover_stream
ktap_result "ping after failover" slowwait 15 ping_ok ext0 198.18.0.20
ktap_result "migrate to PF1 (prepare + complete)" sh -c \
	"'$SRIOVCTL' --socket '$sock' migrate vm1 --to '$SRIOV_PF1' && '$SRIOVCTL' --socket '$sock' migrate vm1 --complete"

# A partition with VLAN 100: the child and the external host talk on
# VLAN devices (nv0.100, ext0's .100), 198.19.0.0/24.
vlan_ping() { ip netns exec ext0 ping -c 1 -W 2 198.19.0.21 >/dev/null; }
vlan_setup() {
	ctl partition add vm2 --pf "$SRIOV_PF0" --mac "$MAC2" --vlan "$VID" || return 1
	ip -n vm2 link set lo up
	ip -n vm2 link set nv0 up
	ip -n vm2 link add link nv0 name nv0.$VID type vlan id "$VID" &&
		ip -n vm2 addr add 198.19.0.21/24 dev nv0.$VID && ip -n vm2 link set nv0.$VID up || return 1
	ip -n ext0 link add link "$SRIOV_EXT0" name ev.$VID type vlan id "$VID" &&
		ip -n ext0 addr add 198.19.0.1/24 dev ev.$VID && ip -n ext0 link set ev.$VID up || return 1
	slowwait 15 vlan_ping
}
# vm2's admin filters on PF0 from the kernel's dump: "TYPE:VALUE:VPORT" lines
vm2_filters() {
	dmn_dump | jq -r --arg pf "$SRIOV_PF0" --arg mac "$MAC2" --argjson vid "$VID" \
		'.[$pf].filters[] | select(.origin == "admin")
		 | select((.type == "mac" and .mac == $mac) or (.type == "vlan" and .vlan == $vid))
		 | "\(.type):\(.mac // .vlan):\(.vport)"' | sort
}
vm2_vport() { ctl --json list | jq -r '.result[] | select(.name == "vm2") | .vf.vport // empty'; }
vlan_attach() {
	local vp f
	ctl attach vm2 || return 1
	audit_ok || return 1
	vp=$(vm2_vport)
	[ -n "$vp" ] && [ "$vp" != 0 ] || { ktap_diag "vm2 has no VF VPort: $(ctl list)"; return 1; }
	f=$(vm2_filters)
	ktap_diag "vm2 filters (type:value:vport): $(echo $f)"
	# the MAC filter and a VLAN filter on the VF's VPort
	[ "$(printf '%s\n' "$f" | grep -c ":$vp\$")" = 2 ] &&
		printf '%s\n' "$f" | grep -qx "mac:$MAC2:$vp" && printf '%s\n' "$f" | grep -qx "vlan:$VID:$vp"
}
vm2_vf_rx() { ip netns exec vm2 ethtool -S nv0 | awk '$1 == "vf_rx_packets:" {print $2}'; }
vm2_dp() { ip netns exec vm2 ethtool -S nv0 | awk '$1 == "dp_active:" {print $2}'; }
vlan_ping_vf() {
	local rx0
	busywait 5000 test "$(vm2_dp)" = 1 || { ktap_diag "vm2 data path not the VF"; return 1; }
	rx0=$(vm2_vf_rx)
	slowwait 10 vlan_ping || return 1
	[ "$(vm2_vf_rx)" -gt "$rx0" ] || { ktap_diag "vm2 vf_rx_packets did not grow ($rx0)"; return 1; }
}
vlan_remove() {
	local f
	ctl failover vm2 --hold 3600 || return 1
	audit_ok || return 1
	f=$(vm2_filters)
	printf '%s\n' "$f" | grep -qx "mac:$MAC2:0" && printf '%s\n' "$f" | grep -qx "vlan:$VID:0" ||
		{ ktap_diag "after failover: $(echo $f)"; return 1; }
	slowwait 10 vlan_ping || { ktap_diag "no VLAN ping on the synthetic path after failover"; return 1; }
	ctl partition remove vm2 || return 1
	f=$(vm2_filters)
	[ -z "$f" ] || { ktap_diag "left after removal: $(echo $f)"; return 1; }
}
ktap_result "VLAN partition: add (VLAN $VID), ping on the VLAN over the synthetic path" vlan_setup
ktap_result "VLAN partition: attach puts its MAC and VLAN filters on the VF's VPort (kernel dump)" vlan_attach
ktap_result "VLAN partition: ping on the VLAN over the VF (dp_active 1, vf_rx_packets grows)" vlan_ping_vf
# The child renames its VF: sriovd finds and moves it by ifindex, so a
# host netdev's name or bytes that are not UTF-8 change nothing; the VF
# also presents the partition's identity (vf-alloc serial = the journal's).
vm2_vf() {
	local d
	for d in /sys/class/net/*; do
		[ -e "$d/sriov/serial" ] && { basename "$d"; return 0; }
	done
	return 1
}
vm2_vf_dp_back() { busywait 10000 test "$(vm2_dp)" = 1; }
vf_rename() {
	local vf=$1 to=$2
	ip -n vm2 link set dev "$vf" down && ip -n vm2 link set dev "$vf" name "$to" &&
		ip -n vm2 link set dev "$to" up
}
vlan_rename() {
	local vf serial want pfdev
	vf=$(ip netns exec vm2 bash -c "$(declare -f vm2_vf); vm2_vf") ||
		{ ktap_diag "no VF netdev with an identity in vm2"; return 1; }
	serial=$(ip netns exec vm2 cat "/sys/class/net/$vf/sriov/serial")
	want=$(ctl --json list | jq -r '.result[] | select(.name == "vm2") | .serial')
	ktap_diag "vm2: VF $vf serial $serial, partition serial $want"
	[ -n "$want" ] && [ "$want" != 0 ] && [ "$serial" = "$want" ] || return 1
	pfdev=$(ls "/sys/bus/pci/devices/$SRIOV_PF0/net" | head -1)
	vf_rename "$vf" "$pfdev" || { ktap_diag "rename to $pfdev refused"; return 1; }
	vm2_vf_dp_back || { ktap_diag "vm2 not back on the VF after the rename"; return 1; }
	audit_ok || return 1
	vf_rename "$pfdev" $'\xff\xfe' || { ktap_diag "rename to \\xff\\xfe refused"; return 1; }
	vm2_vf_dp_back || { ktap_diag "vm2 not back on the VF after the second rename"; return 1; }
	audit_ok || return 1
	ctl vf show >/dev/null || { ktap_diag "vf show fails on a non-UTF-8 name"; return 1; }
	slowwait 10 vlan_ping
}
ktap_result "VLAN partition: VF carries the partition serial; renamed by the child to the PF's name and to \\xff\\xfe it stays paired, audit clean" vlan_rename
ktap_result "VLAN partition: failover puts both back on the default VPort, removal leaves none" vlan_remove

# Each round starts attach or detach, waits until sriovd's journal holds
# the sequence (the last record of $st/state.json.log puts it; or, right
# after a compaction, the snapshot $st/state.json lists it), waits
# 0 to KILL_SPREAD_MS more and SIGKILLs sriovd.  The sequences take
# 0.1-0.5 s here, less than starting one sriovctl takes under TCG: the
# wait for the journal and the pause are bash builtins (no fork).  The
# restarted daemon logs "recovery: <kind> of vm1 ..." (a detach is a
# release sequence of kind failover) for each sequence
# its journal had in flight: the kill landed inside that sequence.
KILL_SPREAD_MS=100
nap_fifo=/tmp/daemon_e2e.nap
rm -f "$nap_fifo"
mkfifo "$nap_fifo"
exec {nap_fd}<>"$nap_fifo"
# nap MS: sleep without a fork (a read that times out)
nap() { [ "$1" -gt 0 ] && read -r -t "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))" -u "$nap_fd"; return 0; }
journal_busy() {
	local j lines
	mapfile -t lines <"$st/state.json.log" 2>/dev/null
	if [ ${#lines[@]} -gt 0 ]; then
		[[ ${lines[-1]} =~ \"/sequences/[0-9]+\":\{ ]]
		return
	fi
	read -r -d '' j <"$st/state.json" 2>/dev/null
	[[ $j == *'"sequences":{"'* ]]
}
# wait_journal_busy S: until the journal holds a sequence, at most S s
wait_journal_busy() {
	local end=$(( ${EPOCHREALTIME/./} + $1 * 1000000 ))
	until journal_busy; do
		[ "${EPOCHREALTIME/./}" -lt "$end" ] || return 1
	done
}
kill_loop() {
	local i cmd kind t n0 rec mid=0 log=$SRIOV_OUT/sriovd.log
	ctl detach vm1 >/dev/null 2>&1
	dmn_idle 60
	for ((i = 1; i <= ROUNDS; i++)); do
		if ctl --json list | jq -e '.result[0].vf == null' >/dev/null; then cmd=attach; else cmd=detach; fi
		n0=$(wc -l <"$log")
		ctl "$cmd" vm1 >/dev/null 2>&1 &
		wait_journal_busy 10 || echo "round $i: no $cmd sequence in the journal within 10 s"
		t=$((RANDOM % KILL_SPREAD_MS))
		nap $t
		kill -9 "$sriovd_pid"
		wait "$sriovd_pid" 2>/dev/null
		start_sriovd || { echo "round $i: restart failed: $(tail -n 3 "$log")"; return 1; }
		# a detach runs a release sequence of kind failover
		kind=$cmd
		[ "$cmd" = detach ] && kind=failover
		rec=$(tail -n +"$((n0 + 1))" "$log" | grep -m1 "recovery: .*$kind of vm1")
		if [ -n "$rec" ]; then
			mid=$((mid + 1))
			echo "round $i: $cmd, killed inside it (+$t ms): ${rec#*recovery: }"
		else
			echo "round $i: $cmd, killed outside a sequence (+$t ms)"
		fi
		audit_ok || { echo "round $i: audit failed"; return 1; }
	done
	echo "$mid of $ROUNDS kills landed inside a sequence (at least $KILL_MIN required)"
	[ $mid -ge $KILL_MIN ]
}
ktap_result "SIGKILL inside attach/detach x$ROUNDS (>= $KILL_MIN mid-sequence), audit after each restart" kill_loop
ktap_result "partition remove" ctl partition remove vm1
# A namespace sriovd used, deleted with `ip netns del` while sriovd runs,
# is gone within 1 s: sriovd keeps no socket or fd in it.  A veth pair
# across it shows when the kernel frees it (the host end goes with the
# namespace); on failure, whoever still holds it is named.
netns_del_released() {
	local pid ino f
	pid=$(cat "$st/pid")
	modprobe veth || { ktap_diag "no veth module"; return 1; }
	ctl partition add vm3 --pf "$SRIOV_PF0" --mac 02:00:5e:20:00:03 || return 1
	audit_ok || return 1 # sriovd dumps vm3's links
	ctl partition remove vm3 || return 1
	audit_ok || return 1
	[ -e /run/netns/vm3 ] || { ktap_diag "sriovd did not leave netns vm3"; return 1; }
	ip link add h3 type veth peer name c3 netns vm3 || return 1
	ino=$(stat -L -c %i /run/netns/vm3) || return 1
	ip netns del vm3 || return 1
	if ! busywait 1000 sh -c '! ip link show h3 >/dev/null 2>&1'; then
		ktap_diag "netns vm3 (inode $ino) outlived ip netns del by 1 s"
		for f in /proc/[0-9]*/ns/net; do
			[ "$(stat -L -c %i "$f" 2>/dev/null)" != "$ino" ] || ktap_diag "a process is in it: $f"
		done
		ls -l "/proc/$pid/fd" | grep -F "net:[$ino]" && ktap_diag "sriovd holds an fd of it"
		ip link del h3 2>/dev/null
		return 1
	fi
	for f in /proc/[0-9]*/ns/net; do
		[ "$(stat -L -c %i "$f" 2>/dev/null)" != "$ino" ] || { ktap_diag "a process is in it: $f"; return 1; }
	done
	! ls -l "/proc/$pid/fd" | grep -qF "net:[$ino]"
}
ktap_result "a namespace sriovd used, deleted with ip netns del, is gone within 1 s (no sriovd reference)" netns_del_released
# the kill loop ran in a subshell: the live daemon is the one in the pid file
pid=$(cat "$st/pid")
kill -TERM "$pid"
busywait 30000 sh -c "! kill -0 $pid 2>/dev/null"

ktap_finished
