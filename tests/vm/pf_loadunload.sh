#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 600
# debug-env: PF_LOADUNLOAD_CYCLES=10
#
# 50 modprobe/rmmod cycles of sriov_pf while the external host floods the
# PF's address with pings and the PF itself sends a TCP stream that is cut
# by the rmmod.  Each cycle must bring the netdev back with link and answer
# a ping; afterwards no interrupt, memory or module reference may be left.
. "$SRIOV_TOP/tests/lib/ktap.sh"

CYCLES=${PF_LOADUNLOAD_CYCLES:-50}

ktap_header
ktap_plan 5

[ -n "${SRIOV_PF0:-}" ] || ktap_bail "no 82576 PF in the lab"
require_cmd iperf3
PF_IP=198.18.0.2
EXT_IP=198.18.0.1

ext_ns_setup 0 || ktap_bail "external host"
ip netns exec ext0 iperf3 -s -D -p 5201 || ktap_bail "iperf3 server"
defer ip netns exec ext0 pkill -x iperf3
ip netns exec ext0 ping -f -q $PF_IP >/dev/null 2>&1 &
flood=$!
defer kill $flood

avail_kb() { awk '/^MemAvailable:/ { print $2 }' /proc/meminfo; }

# one cycle: load, link, ping, start a TCP stream, unload mid-stream
cycle() {
	local pf tcp t0 t1
	modprobe sriov_pf || { echo "modprobe"; return 1; }
	pf=$(wait_pci_netdev "$SRIOV_PF0" 10) || { echo "no netdev"; return 1; }
	ip link set "$pf" up
	ip addr add $PF_IP/24 dev "$pf"
	busywait 20000 __carrier "$pf" || { echo "no carrier"; return 1; }
	busywait 10000 ping -c 1 -W 1 -q $EXT_IP >/dev/null || { echo "no ping"; return 1; }
	timeout 20 iperf3 -c $EXT_IP -p 5201 -t 5 >/dev/null 2>&1 &
	tcp=$!
	sleep 0.3
	t0=$(date +%s%3N)
	rmmod sriov_pf || { echo "rmmod"; kill $tcp; return 1; }
	t1=$(date +%s%3N)
	[ $((t1 - t0)) -gt "$rmmod_max" ] && rmmod_max=$((t1 - t0))
	kill $tcp 2>/dev/null
	wait $tcp 2>/dev/null
	return 0
}

# a first cycle warms up caches before the memory baseline is taken
rmmod_max=0
cycle >/dev/null || ktap_bail "first load/unload cycle failed"
mem0=$(avail_kb)
rmmod_max=0
run_cycles() {
	local i t0 t1
	t0=$(date +%s)
	for ((i = 1; i <= CYCLES; i++)); do
		cycle || { echo "cycle $i failed"; return 1; }
	done
	t1=$(date +%s)
	echo "$CYCLES cycles in $((t1 - t0)) s, slowest rmmod $rmmod_max ms"
}
ktap_result "$CYCLES load/link/ping/rmmod cycles under traffic" run_cycles

ktap_result "module is gone" sh -c "! grep -q '^sriov_pf ' /proc/modules"
irqs_freed() {
	local n
	n=$(grep -c "$SRIOV_PF0\|TxRx" /proc/interrupts)
	echo "interrupt lines left: $n"
	[ "$n" = 0 ]
}
ktap_result "no interrupt left registered" irqs_freed

# Each cycle allocates ~1 MiB of RX pages and rings; a per-cycle leak of
# any ring would cost >= 50 MiB here.  Allow 16 MiB of noise.
mem_stable() {
	local mem1
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 1
	mem1=$(avail_kb)
	echo "MemAvailable before $mem0 kB, after $mem1 kB"
	[ $((mem0 - mem1)) -lt 16384 ]
}
ktap_result "memory stable across the cycles" mem_stable

final() {
	local pf
	modprobe sriov_pf || return 1
	pf=$(wait_pci_netdev "$SRIOV_PF0" 10) || return 1
	ip link set "$pf" up
	ip addr add $PF_IP/24 dev "$pf"
	wait_carrier "$pf" 20 && slowwait 10 ping_ok ext0 $PF_IP && rmmod sriov_pf
}
ktap_result "driver still works afterwards" final
ktap_finished
