#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 300
#
# A hostile VF: with VF 0's driver unbound, raw mailbox messages are
# written through its BAR0 (sysfs resource0) while VF 1 (igbvf) receives a
# sequenced UDP stream: paced attacks (a request for VF 1's MAC, malformed
# requests), each answered by the PF as its policy says (the MAC request
# NACKed), then a flood and a held buffer lock.  The PF must survive and
# keep answering, VF 0's MAC and the switch's MAC and VLAN filters must be
# as before, VF 1 must lose nothing and keep its MAC, the offender must be
# rate-limited and logged, and VF 0 must work again once a real driver
# binds it.
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/pf2_lib.sh"

seq=$SRIOV_TOP/build/cmake/tools/traffic/sriov-sequdp
[ -x "$seq" ] || ktap_bail "sriov-sequdp not built (make userspace)"
pf2_need_ynl
py=$PF2_PY
SECS=${PF2_HOSTILE_SECS:-20}
RATE=500

ktap_header
ktap_plan 16

pf2_load_pf
pf2_pf_up 198.18.0.2/24
ext_ns_setup 0 || ktap_bail "external host"
sysctl -qw net.core.rmem_max=16777216

pf2_enable_vfs 2
vf0=$(pf2_vf_pci 0)
vf1_mac=$(pf2_vf_mac 1)
vf0_mac=$(pf2_vf_mac 0)

# what a MAC or VLAN request from VF 0 could change: the VFs' MACs and
# VLANs as the PF reports them, its MAC and VLAN filters with their
# receive-address (RAR) and VLVF indexes, and the free RAR/VLVF counts
tables() {
	sriov --dump vf-get --json "{\"ifindex\": $ifindex}" |
		jq -c '[.[] | {"vf-id", mac, vlan, qos, trust, "vport-id"}] | sort_by(."vf-id")' &&
	sriov --dump filter-get --json "{\"ifindex\": $ifindex}" |
		jq -c '[.[] | {"filter-id", "filter-type", mac, vlan, "hw-index", "vport-id"}] | sort_by(."filter-id")' &&
	sriov --do switch-get --json "{\"ifindex\": $ifindex}" |
		jq -c '{"mac-filters-free", "vlan-filters-free"}' &&
	ip -j link show "$pf" | jq -c '[.[0].vfinfo_list[] | del(.stats)]'
}

bind_vf1() {
	pf2_bind_vf 1 igbvf child1 198.18.0.11/24 4096 &&
		slowwait 15 ping_ok ext0 198.18.0.11
}
ktap_result "VF 1 (igbvf) up and reachable" bind_vf1 || ktap_bail "VF 1"
defer ip netns del child1
ip netns exec child1 sysctl -qw net.core.rmem_max=16777216 2>/dev/null

# the flood-control parameters: their defaults, and values out of range
# refused (the attack below runs with the defaults)
mbx_params() {
	local d=/sys/module/sriov_pf/parameters p bad
	[ "$(cat $d/mbx_rate)" = 50 ] && [ "$(cat $d/mbx_burst)" = 64 ] ||
		{ echo "defaults: rate $(cat $d/mbx_rate), burst $(cat $d/mbx_burst)"; return 1; }
	for p in mbx_rate:0 mbx_rate:1001 mbx_burst:0 mbx_burst:1025 mbx_rate:x; do
		if echo "${p#*:}" 2>/dev/null >"$d/${p%%:*}"; then
			echo "${p%%:*}=${p#*:} accepted"
			bad=1
		fi
	done
	[ "$(cat $d/mbx_rate)" = 50 ] && [ "$(cat $d/mbx_burst)" = 64 ] && [ -z "$bad" ]
}
ktap_result "flood control: mbx_rate 50/s, mbx_burst 64, values out of range refused" mbx_params

odir=$SRIOV_OUT
rm -f "$odir"/pf2_h_*
ip netns exec child1 $seq recv --bind 198.18.0.11 --idle-ms 5000 \
	--timeout $((SECS + 60)) --ready "$odir/pf2_h_ready" \
	--out "$odir/pf2_h_recv.json" >/dev/null &
rcv=$!
busywait 10000 test -e "$odir/pf2_h_ready" || ktap_bail "receiver not ready"
ip netns exec ext0 $seq send --dst 198.18.0.11 --rate $RATE \
	--seconds $((SECS + 4)) >"$odir/pf2_h_send.json" &
snd=$!
sleep 2

# VF 0: no driver; its BAR decodes once the function is enabled
echo 1 >"/sys/bus/pci/devices/$vf0/enable"
# VF 0 first does what its driver would: the reset handshake, which gives
# it its receive-address register; then it turns hostile
ktap_result "VF 0's reset handshake through its BAR: RESET|ACK with its MAC" \
	$py "$SRIOV_TOP/tests/vm/pf2_hostile.py" --handshake "$vf0" "$vf0_mac" ||
	ktap_bail "VF 0 cannot talk to the PF"
before=$(tables) || ktap_bail "the PF does not report its VFs and filters"
hostile=$($py "$SRIOV_TOP/tests/vm/pf2_hostile.py" "$vf0" "$SECS" "$vf1_mac" \
	"$vf0_mac" 2>&1)
hrc=$?
echo 0 >"/sys/bus/pci/devices/$vf0/enable"
ktap_diag "hostile VF: $hostile"
ktap_result "hostile VF ran its messages (exit $hrc)" test $hrc = 0
hj() { jq -e "$1" <<<"$hostile" >/dev/null 2>&1; }
ktap_result "every paced reset answered RESET|ACK with VF 0's MAC" \
	hj '.reset > 0 and .reset_ok == .reset'
ktap_result "no reset lost under the PF's unsolicited NACK (reset_resent 0)" \
	hj '.reset_resent == 0'
ktap_result "every request for VF 1's MAC NACKed (request|CTS|NACK)" \
	hj '.steal > 0 and .steal_nack == .steal'
ktap_result "every malformed request answered as the policy says" \
	hj '.malformed > 0 and .malformed_ok == .malformed'
same_tables() {
	local after
	after=$(tables) || return 1
	[ "$after" = "$before" ] && return 0
	echo "before: $before"
	echo "after:  $after"
	return 1
}
ktap_result "VF 0's MAC ($vf0_mac), MAC and VLAN filters unchanged" same_tables
ktap_result "PF answers on netlink after the attack" \
	sriov --do switch-get --json "{\"ifindex\": $ifindex}"
ktap_result "PF still pings the external host" ping -c 3 -i 0.2 -W 2 -q 198.18.0.1
wait $snd
wait $rcv
ktap_diag "sender: $(cat "$odir/pf2_h_send.json")"
ktap_diag "VF 1 receiver: $(cat "$odir/pf2_h_recv.json")"
vf1_nolos() { jq -e '.lost == 0 and .expected > 0' "$odir/pf2_h_recv.json" >/dev/null; }
ktap_result "VF 1 lost no datagram during the attack" vf1_nolos
ktap_result "VF 1 kept its MAC ($vf1_mac)" test \
	"$(ip -j link show "$pf" | jq -r '.[0].vfinfo_list[1].address')" = "$vf1_mac"

v0=$(sriov --do vf-get --json "{\"ifindex\": $ifindex, \"vf-id\": 0}")
ktap_diag "VF 0 per the PF: $(jq -c '{"mbx-rx", "mbx-nack", "mbx-dropped", "mbx-cts"}' <<<"$v0")"
posted=$(jq .posted <<<"$hostile")
limited() {
	local rx dropped max
	rx=$(jq '."mbx-rx"' <<<"$v0")
	dropped=$(jq '."mbx-dropped"' <<<"$v0")
	# token bucket: the burst + the rate over the attack (+ 2 s of slack)
	local burst rate
	burst=$(cat /sys/module/sriov_pf/parameters/mbx_burst) &&
		rate=$(cat /sys/module/sriov_pf/parameters/mbx_rate) || return 1
	max=$((burst + rate * ($(jq '.seconds | ceil' <<<"$hostile") + 2)))
	echo "served $rx of $posted posted (bound $max), dropped $dropped"
	[ "$rx" -le "$max" ] && [ "$dropped" -gt 0 ]
}
ktap_result "offender rate-limited" limited
ktap_result "offender logged" sh -c "dmesg | grep -q 'VF 0 floods the mailbox'"

rebind_vf0() {
	sleep 2	# let the token bucket refill
	echo igbvf >"/sys/bus/pci/devices/$vf0/driver_override"
	echo "$vf0" >/sys/bus/pci/drivers_probe
	vfdev=$(wait_pci_netdev "$vf0" 10) || return 1
	[ "$(cat "/sys/class/net/$vfdev/address")" = "$(pf2_vf_mac 0)" ]
}
ktap_result "VF 0 works again with igbvf (gets its MAC)" rebind_vf0
ktap_finished
