#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 2
# timeout: 300
#
# sriovd on the real drivers: sriov_pf (genl family "sriov"), sriov_netvsc
# (the child's adapter) and a VF driver.  A partition is created on PF0,
# pinged from the external host over the synthetic path, given a VF,
# failed over, migrated to PF1 and removed; then sriovd is SIGKILLed inside
# attach/detach sequences and each restart is checked with `sriovctl audit`
# (the daemon's model against the kernel's own dumps).  Skips while the
# drivers or the daemon are not there.
. "$SRIOV_TOP/tests/lib/ktap.sh"

build=${SRIOV_BUILD:-$SRIOV_TOP/build/cmake}
SRIOVD=$build/daemon/sriovd
SRIOVCTL=$build/tools/sriovctl/sriovctl
MAC=02:00:5e:20:00:01
ROUNDS=5

ktap_header
if [ ! -x "$SRIOVD" ] || [ ! -x "$SRIOVCTL" ]; then
	ktap_skip_all "sriovd/sriovctl not built in $build"
fi
if [ -z "${SRIOV_PF0:-}" ] || [ -z "${SRIOV_PF1:-}" ]; then
	ktap_bail "lab without two 82576 PFs"
fi
modprobe sriov_pf 2>/dev/null || ktap_skip_all "sriov_pf not available"
modprobe sriov_netvsc 2>/dev/null || ktap_skip_all "sriov_netvsc not available"
modprobe sriov_vf 2>/dev/null || modprobe igbvf || ktap_skip_all "no VF driver"
genl ctrl get name sriov >/dev/null 2>&1 || ktap_skip_all "sriov_pf without the \"sriov\" genl family"

st=/tmp/sriovd
sock=$st/sriovd.sock
ctl() { "$SRIOVCTL" --socket "$sock" "$@"; }
start_sriovd() {
	rm -f "$sock"
	"$SRIOVD" --backend=real --state-dir "$st" --socket "$sock" \
		--pf "$SRIOV_PF0" --pf "$SRIOV_PF1" >>"$SRIOV_OUT/sriovd.log" 2>&1 &
	sriovd_pid=$!
	echo "$sriovd_pid" >"$st/pid"
	busywait 10000 "$SRIOVCTL" --socket "$sock" status >/dev/null
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

for pf in "$SRIOV_PF0" "$SRIOV_PF1"; do
	echo 2 >"/sys/bus/pci/devices/$pf/sriov_numvfs" || ktap_skip_all "cannot enable VFs on $pf"
	defer sh -c "echo 0 > /sys/bus/pci/devices/$pf/sriov_numvfs"
	ip link set "$(pci_netdev "$pf")" up
done
mkdir -p "$st"
start_sriovd || ktap_skip_all "sriovd --backend=real does not start (family missing?): $(tail -n1 "$SRIOV_OUT/sriovd.log")"
defer sh -c "kill -9 \$(cat $st/pid) 2>/dev/null"
ext_ns_setup 0 || ktap_bail "external host"

ktap_plan 10
ktap_result "partition add (synthetic path)" ctl partition add vm1 --pf "$SRIOV_PF0" --mac "$MAC"
ip -n vm1 link set lo up
ip -n vm1 link set nv0 up
ip -n vm1 addr add 198.18.0.20/24 dev nv0
ktap_result "external host pings the child over the synthetic path" slowwait 15 ping_ok ext0 198.18.0.20
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
ktap_result "planned failover" ctl failover vm1 --hold 3600
ktap_result "ping after failover" slowwait 15 ping_ok ext0 198.18.0.20
ktap_result "migrate to PF1 (prepare + complete)" sh -c \
	"'$SRIOVCTL' --socket '$sock' migrate vm1 --to '$SRIOV_PF1' && '$SRIOVCTL' --socket '$sock' migrate vm1 --complete"

kill_loop() {
	local i cmd t
	ctl detach vm1 >/dev/null 2>&1
	for ((i = 0; i < ROUNDS; i++)); do
		if ctl --json list | jq -e '.result[0].vf == null' >/dev/null; then cmd=attach; else cmd=detach; fi
		ctl "$cmd" vm1 >/dev/null 2>&1 &
		t=$((RANDOM % 400))
		sleep "0.$(printf %03d $t)"
		kill -9 "$sriovd_pid"
		wait "$sriovd_pid" 2>/dev/null
		start_sriovd || return 1
		audit_ok || return 1
	done
}
ktap_result "SIGKILL inside attach/detach x$ROUNDS, audit after each restart" kill_loop
ktap_result "partition remove" ctl partition remove vm1
# the kill loop ran in a subshell: the live daemon is the one in the pid file
pid=$(cat "$st/pid")
kill -TERM "$pid"
busywait 30000 sh -c "! kill -0 $pid 2>/dev/null"

ktap_finished
