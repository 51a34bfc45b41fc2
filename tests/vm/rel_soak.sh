#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 600
#
# Soak: CYCLES x (attach -> planned failover -> detach) of one partition
# through sriovd + sriovctl on sriov_pf/sriov_vf/sriov_netvsc, with a ping
# stream from the external host running throughout.  A ledger (VFs,
# VPorts, filters, free filter slots, netdevs, module reference counts,
# slab) is taken after a warm-up cycle and after the last one; everything
# but slab must be identical, slab may grow by SLAB_TOL_KB at most.
# `make soak` runs 10,000 cycles (SOAK_CYCLES); make check runs a few.
# Arguments: CYCLES [SLAB_TOL_KB [SOAK_SETTLE]]
. "$SRIOV_TOP/tests/lib/ktap.sh"

CYCLES=${1:-8}
SLAB_TOL_KB=${2:-1024}
SOAK_SETTLE=${3:-1}
build=${SRIOV_BUILD:-$SRIOV_TOP/build/cmake}
SRIOVD=$build/daemon/sriovd
SRIOVCTL=$build/tools/sriovctl/sriovctl
MAC=02:00:5e:30:00:01
IP=198.18.0.30
py=/usr/bin/python3

ktap_header
[ -x "$SRIOVD" ] && [ -x "$SRIOVCTL" ] || ktap_skip_all "sriovd/sriovctl not built in $build"
[ -n "${SRIOV_PF0:-}" ] || ktap_skip_all "no 82576 PF in the lab"
ynl=
for d in "$SRIOV_TOP/build/ksrc/linux-source-6.12" /work/wt/ksrc; do
	[ -f "$d/tools/net/ynl/lib/__init__.py" ] && { ynl=$d/tools/net/ynl; break; }
done
[ -n "$ynl" ] || ktap_skip_all "no YNL library: run tools/ksrc.sh tools/net/ynl"
spec=$SRIOV_TOP/Documentation/netlink/specs/sriov.yaml
modprobe sriov_pf && modprobe sriov_netvsc && modprobe sriov_vf ||
	ktap_skip_all "the project's modules do not load"
defer rmmod sriov_pf
defer rmmod sriov_netvsc
defer rmmod sriov_vf

pf=$(wait_pci_netdev "$SRIOV_PF0" 10) || ktap_bail "no PF netdev"
ifindex=$(cat "/sys/class/net/$pf/ifindex")
echo 2 >"/sys/bus/pci/devices/$SRIOV_PF0/sriov_numvfs" || ktap_bail "cannot enable VFs"
defer sh -c "echo 0 > /sys/bus/pci/devices/$SRIOV_PF0/sriov_numvfs"
ip link set "$pf" up
st=/tmp/sriovd-soak
sock=$st/sriovd.sock
mkdir -p $st
ctl() { "$SRIOVCTL" --socket "$sock" "$@"; }
"$SRIOVD" --backend=real --state-dir $st --socket $sock --pf "$SRIOV_PF0" \
	--pair-timeout-ms 20000 \
	>"$SRIOV_OUT/sriovd.log" 2>&1 &
spid=$!
defer kill -9 $spid
busywait 20000 ctl status >/dev/null || ktap_bail "sriovd does not start"
ext_ns_setup 0 || ktap_bail "external host"
ctl partition add vm1 --pf "$SRIOV_PF0" --mac "$MAC" >/dev/null ||
	ktap_bail "partition add"
ip -n vm1 link set lo up
ip -n vm1 link set nv0 up
ip -n vm1 addr add $IP/24 dev nv0
slowwait 15 ping_ok ext0 $IP || ktap_bail "no synthetic path"

ktap_plan 8
# SOAK_SETTLE=1 (default): an audit, which reads the adapters back, after
# each failover: without it sriovd's stale "released" mark makes the next
# attach time out pairing (Documentation/reliability.rst, "Findings"); the
# last check runs that sequence without the audit.
cycle() {
	ctl attach vm1 >/dev/null && ctl failover vm1 --hold 3600 >/dev/null &&
		{ [ "${SOAK_SETTLE:-0}" = 0 ] || ctl audit >/dev/null; } &&
		ctl detach vm1 >/dev/null
}
cycle || ktap_bail "warm-up cycle failed: $(tail -3 "$SRIOV_OUT/sriovd.log")"
ledger() { $py "$SRIOV_TOP/tools/rel/ledger.py" snap "$ynl" "$spec" "$ifindex" "$1" vm1; }
ledger $st/before.json

ip netns exec ext0 ping -i 0.2 -q $IP >$st/ping.out 2>&1 &
ping_pid=$!
defer kill $ping_pid
failed=0
t0=$(date +%s%N)
for ((i = 1; i <= CYCLES; i++)); do
	if ! cycle; then
		failed=$i
		break
	fi
	[ $((i % 100)) = 0 ] && ktap_diag "cycle $i: $(( ($(date +%s%N) - t0) / i / 1000000 )) ms/cycle"
done
t1=$(date +%s%N)
kill -INT $ping_pid
wait $ping_pid 2>/dev/null
ktap_diag "$(tail -2 $st/ping.out | tr '\n' ' ')"
n=$((failed ? failed - 1 : CYCLES))
per=$(( (t1 - t0) / (n ? n : 1) / 1000000 ))
ktap_diag "$n cycles in $(( (t1 - t0) / 1000000000 )) s: $per ms per attach+failover+detach cycle"
if [ $failed = 0 ]; then
	ktap_pass "$CYCLES attach -> failover -> detach cycles"
else
	ktap_fail "$CYCLES attach -> failover -> detach cycles"
	ktap_diag "cycle $failed failed: $(tail -5 "$SRIOV_OUT/sriovd.log")"
fi
rx=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' $st/ping.out)
ktap_result "the ping stream got answers while cycling (${rx:-0} received)" test "${rx:-0}" -gt 0

__audit() { ctl --json audit | jq -e '.result.consistent == true' >/dev/null; }
ktap_result "sriovd audit: model matches the kernel" slowwait 30 __audit
sleep 1
ledger $st/after.json
ktap_result "ledger identical (slab within $SLAB_TOL_KB kB)" \
	$py "$SRIOV_TOP/tools/rel/ledger.py" compare $st/before.json $st/after.json "$SLAB_TOL_KB"
cp $st/before.json $st/after.json "$SRIOV_OUT/" 2>/dev/null

# sriovd recovers from injected faults: an attach whose VPort allocation
# fails (sriov_pf fail_alloc) and one whose data-path ack is lost
# (sriov_netvsc stall_ack) end rolled back or degraded, the model matches
# the kernel, and the next attach succeeds.  An audit follows every
# detach here (the workaround of SOAK_SETTLE): these checks are about the
# faults, check 1 about the sequence itself.
ctl detach vm1 >/dev/null 2>&1
slowwait 30 __audit
fault_attach() {
	local knob=$1 inj0 out
	inj0=$(cat "$(dirname "$knob")/injected")
	echo 1 >"$knob"
	ctl attach vm1 >/dev/null 2>&1
	out="injected $inj0 -> $(cat "$(dirname "$knob")/injected")"
	echo 0 >"$knob"
	slowwait 30 __audit || { echo "$out; audit: $(ctl audit 2>&1 | tail -3)"; return 1; }
	ctl detach vm1 >/dev/null 2>&1
	__audit
	ctl attach vm1 >/dev/null || { echo "$out; retry failed"; return 1; }
	ctl detach vm1 >/dev/null || return 1
	__audit
	echo "$out"
	[ "$(cat "$(dirname "$knob")/injected")" -gt "$inj0" ]
}
ktap_result "sriovd recovers from a failed VPort allocation (fail_alloc)" \
	fault_attach "/sys/kernel/debug/sriov_pf/$SRIOV_PF0/fault/fail_alloc"
ktap_result "sriovd recovers from a lost data-path ack (stall_ack)" \
	fault_attach /sys/kernel/debug/sriov_netvsc/fault/stall_ack

# the sequence a user types, with nothing reading the adapters in between
strict() {
	ctl attach vm1 >/dev/null && ctl failover vm1 --hold 3600 >/dev/null &&
		ctl detach vm1 >/dev/null && ctl attach vm1
}
ktap_result "attach right after attach, failover, detach pairs (no settle)" strict
ctl detach vm1 >/dev/null 2>&1
ctl partition remove vm1 >/dev/null
kill $spid
wait $spid
ktap_result "sriovd stops cleanly" test $? = 0
ktap_finished
