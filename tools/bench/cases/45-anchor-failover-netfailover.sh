#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-side: anchor
# bench-timeout: 480
#
# Failover with the kernel's net_failover: bench.sh starts the lab with
# --standby MAC, a virtio-net-pci failover=on NIC on hub 0 (virtio_net is
# loaded at boot and creates the failover master over it).  The primary is
# igbvf on VF 0 of PF 0 with the same admin MAC (PF up before the VF
# probes, driver autoprobe off, bound through driver_override).  The master
# carries 198.18.0.10 in the root netns (net_failover keeps its slaves in
# one netns; the guest itself plays the child here).
#
# Caveat, and it flatters net_failover: a QEMU hub repeats every frame to
# every port, so the standby receives all of the child's traffic all the
# time; on a real switch it would only get it after the switch learned the
# MAC on the standby's port.
#
# Streams (2000 packets/s from ext0, switch at 3 s of 10 s):
#   noswitch   nothing happens (noswitch_gap_ms of this setup)
#   planned    igbvf unbound from the VF (what the guest does when the
#              hypervisor asks to unplug the VF)
#   surprise   sriov_numvfs=0 on the PF, nothing prepared in the child
# tcp_survived_pct: iperf3 TCP (10 s) across a switch at about 2 s,
# alternately igbvf unbind (to the standby) and bind (back to the VF); a
# run survived if iperf3 ended without error and its last second carried
# data.
. "$SRIOV_TOP/tools/bench/lib.sh"

SECS=10
NAME="net_failover (igb VF primary + virtio standby)"

[ -n "${SRIOV_STANDBY_PCI:-}" ] || bench_abort "no failover standby in the lab (--standby)"
master=
standby=
for n in $(ls /sys/bus/pci/devices/"$SRIOV_STANDBY_PCI"/virtio*/net); do
	if [ -e "/sys/class/net/$n/master" ]; then standby=$n; else master=$n; fi
done
[ -n "$master" ] && [ -n "$standby" ] || bench_abort "no failover master/standby pair ($(ls /sys/bus/pci/devices/"$SRIOV_STANDBY_PCI"/virtio*/net))"
MAC=$(cat "/sys/class/net/$master/address")
bench_log "failover master $master, standby $standby, MAC $MAC"

pf=$(bench_pf_up 0) || bench_abort "PF 0 did not come up"
bench_ext 0 || bench_abort "external host"
bench_neigh ext0 "$BENCH_CHILD_IP" "$MAC"
sysfs_pf=/sys/bus/pci/devices/$SRIOV_PF0
echo 0 >"$sysfs_pf/sriov_drivers_autoprobe"
defer bench_vfs_disable 0
ip addr add "$BENCH_CHILD_IP/24" dev "$master"
defer ip addr flush dev "$master"
ip link set "$master" up
defer ip link set "$master" down

is_primary() {
	[ -n "$VFDEV" ] && [ "$(basename "$(readlink "/sys/class/net/$VFDEV/master" 2>/dev/null)")" = "$master" ] &&
		[ "$(cat "/sys/class/net/$VFDEV/carrier" 2>/dev/null)" = 1 ]
}

VFDEV=
add_vf() {
	[ -e "$sysfs_pf/virtfn0" ] || { echo 1 >"$sysfs_pf/sriov_numvfs" || return 1; }
	wait_carrier "$pf" 30 || return 1
	ip link set "$pf" vf 0 mac "$MAC" || return 1
	VFDEV=$(bench_vf_bind "$(bench_vf_bdf 0 0)") || return 1
	slowwait 30 is_primary || { echo "VF $VFDEV never became the primary" >&2; return 1; }
	sleep 1
}
remove_unbind() { bench_vf_unbind "$(bench_vf_bdf 0 0)"; }
remove_numvfs() { echo 0 >"$sysfs_pf/sriov_numvfs"; }

add_vf || bench_abort "VF primary"
bench_log "$(ip -br link show master "$master" | tr '\n' ';')"

rx() { cat "/sys/class/net/$1/statistics/rx_packets"; }
vf0=$(rx "$VFDEV")
sb0=$(rx "$standby")
if bench_seq_start nf_noswitch "" ext0 "$BENCH_CHILD_IP" $SECS &&
	bench_seq_wait nf_noswitch; then
	bench_record noswitch_gap_ms "$BENCH_SIDE" "$SEQ_GAP_MS" ms "$NAME, no switch"
else
	bench_fail noswitch_gap_ms "$BENCH_SIDE" ms "$NAME, no switch" "stream failed"
fi
bench_log "no switch: VF rx +$(($(rx "$VFDEV") - vf0)), standby rx +$(($(rx "$standby") - sb0)) packets (the hub repeats everything to the standby)"

switch_run() { bench_switch_run "$@" "" "$BENCH_CHILD_IP"; }

setup="$NAME: igbvf unbind"
switch_run nf_planned "$setup" planned_failover_lost planned_failover_blackout_ms remove_unbind ||
	bench_fail planned_failover_lost "$BENCH_SIDE" packets "$setup" "stream failed"
add_vf || bench_abort "VF re-add failed"

setup="$NAME: sriov_numvfs=0, no preparation"
switch_run nf_surprise "$setup" surprise_lost surprise_blackout_ms remove_numvfs ||
	bench_fail surprise_lost "$BENCH_SIDE" packets "$setup" "stream failed"
add_vf || bench_abort "VF re-add failed"

bench_wants tcp_survived_pct &&
	bench_tcp_survival "$NAME" nf_tcp "" "$BENCH_CHILD_IP" is_primary remove_unbind add_vf
exit 0
