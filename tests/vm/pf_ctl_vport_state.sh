#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 300
#
# The VPort state of sriov_pf's `sriov` family (vport-set vport-state),
# through the kernel's YNL CLI and the project's spec, with sriov_vf paired
# to a sriov_netvsc adapter whose MAC filter is on the VF's VPort:
# - disabled: pings from the external host to the child stop arriving
#   (none reaches the VF), the VF's link state reads "disable" in
#   `ip link`, and the VPort keeps its filter;
# - enabled: the pings arrive again at once, through the VF (sriov_vf
#   learns both changes from the PF and restarts its transmit ring);
# - each change is announced once by vport-changed-ntf with the new state;
# - refusals, each with its errno and extack: nothing to set, a state for
#   the default VPort, vport-new on the PF, a state out of range, a
#   qos without a VLAN;
# - the VPort's name (vport-name): reported by the reply, vport-get and
#   one vport-changed-ntf, removed by an empty name; a control character
#   and a name over 31 bytes refused.
NV_PF_DRIVER=sriov_pf
NV_VF_DRIVER=sriov_vf
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/netvsc_lib.sh"

require_cmd jq
OUT=$SRIOV_OUT
PINGS=20
ktap_header
ktap_plan 11

nv_paired_on_vf_vport

vport() { jq -cn --argjson i "$NV_PFIFX" --argjson v "$1" '{ifindex: $i, "vport-id": $v}'; }
# set_state STATE: vport-set while a second socket listens to the events
# group (the kernel sends the notifications before it answers); the reply
# and the notifications, one JSON document each.  Two sockets: the YNL CLI
# of Debian's 6.12 cannot read a reply on a subscribed socket.
set_state() { vport_set "set-$1" "$(vport "$NV_VPORT" | jq -c --arg s "$1" '. + {"vport-state": $s}')"; }
# vport_set NAME JSON: vport-set JSON, reply and events into $OUT/NAME.json
vport_set() {
	/usr/bin/python3 - "$NV_YNL" "$NV_SPEC" "$2" >"$OUT/$1.json" <<-'PY'
		import json, sys
		sys.path.insert(0, sys.argv[1])
		sys.path.insert(0, sys.argv[2].rsplit("/", 4)[0] + "/tests/lib")
		import ynl_libyaml  # noqa: F401
		from lib import YnlFamily
		ev = YnlFamily(sys.argv[2], "")
		ev.ntf_subscribe("events")
		reply = YnlFamily(sys.argv[2], "").do("vport-set", json.loads(sys.argv[3]))
		ev.check_ntf()
		print(json.dumps(reply, default=str))
		print(json.dumps(list(ev.async_msg_queue), default=str))
	PY
}
# changed_once STATE: the reply says STATE, and exactly one
# vport-changed-ntf for our VPort with STATE came with it
changed_once() {
	local f=$OUT/set-$1.json
	jq -se --arg s "$1" --argjson v "$NV_VPORT" '
		(.[0]."vport-state" == $s) and
		([.[1][] | select(.name == "vport-changed-ntf" and .msg."vport-id" == $v)] as $n |
		 ($n | length) == 1 and $n[0].msg."vport-state" == $s)' "$f" >/dev/null ||
		{ echo "reply and events: $(jq -c . "$f" | tr '\n' ' ')"; return 1; }
}
ip netns exec ext0 ping -c 2 -W 2 "$NV_IP" >/dev/null 2>&1
# pings N: how many of N pings at 50 ms came back, and how many frames the
# VF received meanwhile ("ANSWERED VF_RX")
pings() {
	local r0 r1 got
	r0=$(nv_stat vf_rx_packets)
	got=$(ip netns exec ext0 ping -c "$1" -i 0.05 -W 1 "$NV_IP" 2>/dev/null |
		sed -n 's/.* \([0-9]*\) received.*/\1/p')
	r1=$(nv_stat vf_rx_packets)
	echo "${got:-0} $((r1 - r0))"
}

disabled() {
	local got rx
	set_state disabled || return 1
	changed_once disabled || return 1
	ip link show "$PF" | grep -q "vf 0 .*link-state disable" ||
		{ echo "ip link: $(ip link show "$PF" | grep 'vf 0')"; return 1; }
	read -r got rx < <(pings $PINGS)
	echo "disabled: $got/$PINGS pings answered, VF received $rx frames"
	[ "$got" = 0 ] && [ "$rx" = 0 ]
}
ktap_result "VPort disabled: announced once, link-state disable, no ping reaches the VF" disabled
ktap_result "the disabled VPort keeps the adapter's filter" \
	test "$(nv_filter_vport)" = "$NV_VPORT"

enabled() {
	local got rx t0
	set_state enabled || return 1
	changed_once enabled || return 1
	t0=$(date +%s%3N)
	busywait 2000 ip netns exec ext0 ping -c 1 -W 1 "$NV_IP" >/dev/null ||
		{ echo "no answer within 2 s of enabling"; return 1; }
	echo "first answer $(($(date +%s%3N) - t0)) ms after enabling"
	read -r got rx < <(pings $PINGS)
	echo "enabled: $got/$PINGS pings answered, VF received $rx frames"
	[ "$got" = $PINGS ] && [ "$rx" -ge $PINGS ]
}
ktap_result "VPort enabled: announced once, pings answered again at once, through the VF" enabled

# refused ERRNO_TEXT EXTACK_TEXT JSON: vport-set fails with both in its error
refused() {
	local out
	if out=$(nv_sriov --do vport-set --json "$3" 2>&1); then
		echo "accepted: $out"
		return 1
	fi
	grep -q "$1" <<<"$out" && grep -q "$2" <<<"$out" || { echo "error: $out"; return 1; }
}
ktap_result "nothing to set: EINVAL with extack" \
	refused "Invalid argument" "nothing to set" "$(vport "$NV_VPORT")"
ktap_result "a state for the default VPort: EOPNOTSUPP with extack" \
	refused "Operation not supported" "default VPort" \
	"$(vport 0 | jq -c '. + {"vport-state": "disabled"}')"
# a VPort on the PF, whose state this would be, cannot be created
pf_vport() {
	local out
	if out=$(nv_sriov --do vport-new --json "{\"ifindex\": $NV_PFIFX}" 2>&1); then
		echo "vport-new on the PF accepted: $out"
		return 1
	fi
	grep -q "Operation not supported" <<<"$out" &&
		grep -q "besides the default VPort" <<<"$out" || { echo "error: $out"; return 1; }
}
ktap_result "vport-new on the PF: EOPNOTSUPP with extack" pf_vport
ktap_result "a state out of range: ERANGE from the policy" \
	refused "Numerical result out of range" "integer out of range" "$(vport "$NV_VPORT" | jq -c '. + {"vport-state": 2}')"
ktap_result "qos without a VLAN: EINVAL with extack" \
	refused "Invalid argument" "qos needs a default VLAN" "$(vport "$NV_VPORT" | jq -c '. + {"qos": 3}')"

# The VPort's name: set, reported everywhere, announced once, removed.
NAME="child0 vport (test)"
named() {
	local f=$OUT/name.json got
	vport_set name "$(vport "$NV_VPORT" | jq -c --arg n "$NAME" '. + {"vport-name": $n}')" || return 1
	jq -se --arg n "$NAME" --argjson v "$NV_VPORT" '
		(.[0]."vport-name" == $n) and
		([.[1][] | select(.name == "vport-changed-ntf" and .msg."vport-id" == $v)] as $e |
		 ($e | length) == 1 and $e[0].msg."vport-name" == $n)' "$f" >/dev/null ||
		{ echo "reply and events: $(jq -c . "$f" | tr '\n' ' ')"; return 1; }
	got=$(nv_sriov --do vport-get --json "$(vport "$NV_VPORT")" | jq -r '."vport-name"')
	[ "$got" = "$NAME" ] || { echo "vport-get: $got"; return 1; }
	vport_set unnamed "$(vport "$NV_VPORT" | jq -c '. + {"vport-name": ""}')" || return 1
	got=$(nv_sriov --do vport-get --json "$(vport "$NV_VPORT")" | jq -c '."vport-name"')
	[ "$got" = null ] || { echo "after removing it, vport-get: $got"; return 1; }
	# the name changed nothing else: the VPort still passes traffic
	busywait 2000 ip netns exec ext0 ping -c 1 -W 1 "$NV_IP" >/dev/null
}
ktap_result "vport-name: in the reply, vport-get and one vport-changed-ntf; an empty name removes it" named
ktap_result "a name with a control character: EINVAL with extack" \
	refused "Invalid argument" "printable ASCII" "$(vport "$NV_VPORT" | jq -c '. + {"vport-name": "a\tb"}')"
ktap_result "a 32-byte name: refused by the policy" \
	refused "Invalid argument" "" "$(vport "$NV_VPORT" | jq -c --arg n "$(printf '%032d' 0)" '. + {"vport-name": $n}')"
ktap_finished
