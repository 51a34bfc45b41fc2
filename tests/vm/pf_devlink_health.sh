#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 600
#
# sriov_pf's devlink health reporters and params:
#  - devlink health show lists mailbox, flr and pf_reset, healthy, no error;
#  - the params mbx_rate, mbx_burst, vf_vlan_quota, vf_reset_failover and
#    default_mac_filters_max show the module parameters' values; values out
#    of range are refused with the range in the extack, nothing changes;
#    a value set through devlink is the module parameter's;
#  - a paced flood from VF 0's BAR (VF driver unbound) within the default
#    burst is not throttled; after mbx_burst 4 / mbx_rate 1 the same flood
#    is: the mailbox reporter's error count grows and its dump names VF 0
#    with the dropped messages and the burst in force;
#  - a PF reset (ethtool --reset) makes pf_reset report, its dump counting
#    what was replayed (the VFs with anti-spoofing on, as ip link shows);
#  - an FLR that fails (fault injection, vf-reset) makes flr report VF 2;
#  - the module unloads with them, no kernel warning.
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/devlink_lib.sh"

ktap_header
ktap_plan 12

NUMVFS=3
MODP=/sys/module/sriov_pf/parameters

dl_pf_up
echo $NUMVFS >"/sys/bus/pci/devices/$PF/sriov_numvfs" || ktap_bail "sriov_numvfs=$NUMVFS refused"
VF0=$(basename "$(readlink "/sys/bus/pci/devices/$PF/virtfn0")")
# VF 0 has no driver: its BAR decodes once the function is enabled
echo 1 >"/sys/bus/pci/devices/$VF0/enable" || ktap_bail "cannot enable VF 0 ($VF0)"
defer sh -c "echo 0 >/sys/bus/pci/devices/$VF0/enable"

# ---- reporters ----

# reporter NAME: the reporter's JSON object from devlink health show
reporter() {
	devlink -j health show "$DL" reporter "$1" |
		jq -c --arg r "$1" '[.. | objects | select(.reporter? == $r)][0]'
}
errors() { reporter "$1" | jq -r '.error'; }
state() { reporter "$1" | jq -r '.state'; }

reporters_listed() {
	local out r n
	out=$(devlink -j health show | jq -c --arg dl "$DL" '.health[$dl]') || return 1
	echo "$out"
	for r in mailbox flr pf_reset; do
		n=$(jq --arg r "$r" '[.[] | select(.reporter == $r and .state == "healthy" and .error == 0)] | length' <<<"$out")
		[ "$n" = 1 ] || { echo "$r: not listed healthy with no error"; return 1; }
	done
}
ktap_result "devlink health show: mailbox, flr, pf_reset, healthy, no error" reporters_listed

# ---- params ----

PARAMS="mbx_rate mbx_burst vf_vlan_quota vf_reset_failover default_mac_filters_max"
param() {
	devlink -j dev param show "$DL" name "$1" |
		jq -r '[.. | objects | select(.cmode? == "runtime")][0].value'
}
# modparam NAME: the module parameter as devlink prints it
modparam() {
	local v
	v=$(cat "$MODP/$1")
	case $v in Y) echo true ;; N) echo false ;; *) echo "$v" ;; esac
}
params_show() {
	local p d m
	for p in $PARAMS; do
		d=$(param "$p")
		m=$(modparam "$p")
		echo "$p: devlink $d, module parameter $m"
		[ -n "$d" ] && [ "$d" != null ] && [ "$d" = "$m" ] || return 1
	done
}
ktap_result "dev param show: the 5 policy knobs, runtime, = the module parameters" params_show

# refused NAME VALUE RANGE: the set fails with the range in the extack
refused() {
	local out before
	before=$(param "$1")
	out=$(devlink dev param set "$DL" name "$1" value "$2" cmode runtime 2>&1) &&
		{ echo "$1 $2 accepted"; return 1; }
	echo "$1 $2: $out"
	[[ $out == *"$1 must be $3"* ]] && [ "$(param "$1")" = "$before" ] &&
		[ "$(modparam "$1")" = "$before" ]
}
bad_values() {
	refused mbx_burst 0 1..1024 && refused mbx_burst 1025 1..1024 &&
		refused mbx_rate 0 1..1000 && refused mbx_rate 1001 1..1000 &&
		refused vf_vlan_quota 28 0..27 &&
		refused default_mac_filters_max 0 1..1024
}
ktap_result "out-of-range values refused with the range (extack), values unchanged" bad_values

# ---- mailbox ----

dump_clear() { devlink health dump clear "$DL" reporter "$1"; }
no_dump_yet() {
	local out
	dump_clear mailbox
	out=$(devlink health dump show "$DL" reporter mailbox 2>&1) && { echo "dump: $out"; return 1; }
	echo "$out"
	[[ $out == *"no VF was throttled yet"* ]]
}
ktap_result "mailbox: no dump before any flood, with the reason" no_dump_yet

# flood N: N requests from VF 0's BAR, each awaited (the PF reads it:
# PFACK) for at most 50 ms.  They carry ACK, so a request the PF reads is
# ignored: the flood changes no VF state.
flood() {
	/usr/bin/python3 - "$VF0" "$1" <<'EOF'
import mmap, os, sys, time
bdf, n = sys.argv[1], int(sys.argv[2])
fd = os.open(f"/sys/bus/pci/devices/{bdf}/resource0", os.O_RDWR | os.O_SYNC)
m = mmap.mmap(fd, 0x4000, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
mv = memoryview(m).cast("I")
V2P, VMBMEM, REQ, PFACK = 0x0C40 // 4, 0x0800 // 4, 0x01, 0x20
read = 0
for _ in range(n):
    mv[VMBMEM] = 0x80000003     # SET_VLAN carrying ACK: read and ignored
    mv[V2P] = REQ
    end = time.monotonic() + 0.05
    while time.monotonic() < end:
        if mv[V2P] & PFACK:
            read += 1
            break
        time.sleep(0.002)
print(f"posted {n}, read by the PF {read}")
EOF
}
# diag_vf0 FIELD: VF 0's FIELD in the mailbox reporter's diagnose
diag_vf0() {
	devlink -j health diagnose "$DL" reporter mailbox |
		jq -r --arg f "$1" '[.. | objects | select(.vf? == 0)][0][$f]'
}
diag_lists_vfs() {
	local out n
	out=$(devlink -j health diagnose "$DL" reporter mailbox) || return 1
	echo "$out"
	n=$(jq '[.. | objects | select(has("vf") and has("dropped") and has("served"))] | length' <<<"$out")
	[ "$n" = $NUMVFS ] && [ "$(jq '[.. | objects | select(has("mbx_burst"))][0].mbx_burst' <<<"$out")" = "$(cat $MODP/mbx_burst)" ]
}
ktap_result "mailbox diagnose: the bucket and every VF's counters" diag_lists_vfs

default_flood() {
	local e0 e1 d
	e0=$(errors mailbox)
	flood 20 || return 1
	sleep 1
	e1=$(errors mailbox)
	d=$(diag_vf0 dropped)
	echo "errors $e0 -> $e1, VF 0 served $(diag_vf0 served) dropped $d"
	[ "$e1" = "$e0" ] && [ "$d" = 0 ] && [ "$(diag_vf0 served)" -gt 0 ]
}
ktap_result "20 paced messages within the default burst: nothing dropped, no report" default_flood

defer devlink dev param set "$DL" name mbx_rate value "$(param mbx_rate)" cmode runtime
defer devlink dev param set "$DL" name mbx_burst value "$(param mbx_burst)" cmode runtime
defer devlink dev param set "$DL" name vf_vlan_quota value "$(param vf_vlan_quota)" cmode runtime
defer devlink dev param set "$DL" name vf_reset_failover value "$(param vf_reset_failover)" cmode runtime
# set NAME VALUE: devlink and the module parameter show VALUE after the set
set_param() {
	devlink dev param set "$DL" name "$1" value "$2" cmode runtime || return 1
	echo "$1=$2: devlink $(param "$1"), module parameter $(modparam "$1")"
	[ "$(param "$1")" = "$2" ] && [ "$(modparam "$1")" = "$2" ]
}
set_values() {
	set_param vf_reset_failover false && set_param vf_reset_failover true &&
		set_param vf_vlan_quota 3 && set_param vf_vlan_quota 8 &&
		set_param mbx_rate 1 && set_param mbx_burst 4
}
ktap_result "params set: the module parameters take the values" set_values

mbx_dump() { devlink -j health dump show "$DL" reporter mailbox; }
errors_above() { [ "$(errors "$1")" -gt "$2" ]; }
throttled() {
	local e0 out v dropped burst
	e0=$(errors mailbox)
	dump_clear mailbox
	# the first message after a second without one caps the tokens at 4
	sleep 1.2
	flood 40 || return 1
	slowwait 10 errors_above mailbox "$e0" || { echo "error count still $e0"; return 1; }
	out=$(mbx_dump) || return 1
	echo "errors $e0 -> $(errors mailbox), state $(state mailbox); dump: $out"
	v=$(jq '[.. | objects | select(has("vf"))][0].vf' <<<"$out")
	dropped=$(jq '[.. | objects | select(has("vf"))][0].dropped' <<<"$out")
	burst=$(jq '[.. | objects | select(has("vf"))][0].mbx_burst' <<<"$out")
	echo "diagnose: VF 0 dropped $(diag_vf0 dropped)"
	[ "$v" = 0 ] && [ "$dropped" -gt 0 ] && [ "$burst" = 4 ] &&
		[ "$(diag_vf0 dropped)" -ge "$dropped" ] && [ "$(state mailbox)" = healthy ]
}
ktap_result "mbx_burst 4, mbx_rate 1: the flood is throttled, mailbox reports VF 0 with a dump" throttled

# ---- pf_reset ----

reset_dump() { devlink -j health dump show "$DL" reporter pf_reset; }
rdiag() { devlink -j health diagnose "$DL" reporter pf_reset | jq -r ".resets"; }
pf_reset() {
	local e0 r0 out spoof want
	ip link set "$pf" vf 1 spoofchk off || return 1
	want=$(ip -j link show "$pf" | jq '[.[0].vfinfo_list[] | select(.spoofchk == true)] | length')
	e0=$(errors pf_reset)
	r0=$(rdiag)
	dump_clear pf_reset
	ethtool --reset "$pf" dma filter offload mac phy irq || return 1
	slowwait 10 errors_above pf_reset "$e0" || { echo "error count still $e0"; return 1; }
	out=$(reset_dump) || return 1
	echo "errors $e0 -> $(errors pf_reset), resets $r0 -> $(rdiag), state $(state pf_reset); dump: $out"
	spoof=$(jq '[.. | objects | select(has("spoofchk"))][0].spoofchk' <<<"$out")
	echo "replayed spoofchk $spoof, ip link: $want VFs with spoofchk on"
	[ "$(jq -r '[.. | objects | select(has("result"))][0].result' <<<"$out")" = ok ] &&
		[ "$(jq '[.. | objects | select(has("num_vfs"))][0].num_vfs' <<<"$out")" = $NUMVFS ] &&
		[ "$spoof" = "$want" ] && [ "$want" = $((NUMVFS - 1)) ] &&
		[ "$(rdiag)" = $((r0 + 1)) ] && [ "$(state pf_reset)" = healthy ]
}
ktap_result "ethtool --reset: pf_reset reports, the dump counts what was replayed" pf_reset
wait_carrier "$pf" 30 || ktap_diag "PF $pf: no carrier after the reset"

# ---- flr ----

fault=/sys/kernel/debug/sriov_pf/$PF/fault
flr_fails() {
	local e0 out o
	[ -d "$fault" ] || { echo "no fault knobs at $fault"; return 1; }
	o=$(sriov --do vf-alloc --json "{\"ifindex\": $ifindex, \"vf-id\": 2, \"serial\": 2525}" 2>&1) ||
		{ echo "vf-alloc: $o"; return 1; }
	e0=$(errors flr)
	dump_clear flr
	echo 1 >"$fault/fail_flr"
	o=$(sriov --do vf-reset --json "{\"ifindex\": $ifindex, \"vf-id\": 2}" 2>&1) &&
		{ echo "vf-reset succeeded: $o"; return 1; }
	echo "vf-reset: $o"
	slowwait 10 errors_above flr "$e0" || { echo "error count still $e0"; return 1; }
	out=$(devlink -j health dump show "$DL" reporter flr) || return 1
	echo "errors $e0 -> $(errors flr); dump: $out"
	[ "$(jq '[.. | objects | select(has("vf"))][0].vf' <<<"$out")" = 2 ] &&
		[ "$(jq '[.. | objects | select(has("errno"))][0].errno' <<<"$out")" -gt 0 ] &&
		[ "$(cat "$fault/fail_flr")" = 0 ]
}
ktap_result "a failed FLR (fail_flr, vf-reset): flr reports VF 2 with the error" flr_fails

# the reporters go before the SR-IOV state and the instance
unload() {
	echo 0 >"/sys/bus/pci/devices/$VF0/enable"
	echo 0 >"/sys/bus/pci/devices/$PF/sriov_numvfs" || return 1
	rmmod sriov_pf || return 1
	[ ! -d /sys/module/sriov_pf ]
}
ktap_result "sriov_numvfs=0 and rmmod with the reporters and params registered" unload

ktap_result "no WARN, BUG or lockdep report" kernel_log_clean
ktap_finished
