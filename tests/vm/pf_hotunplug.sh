#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 300
# lab-only: unplugs and re-plugs the NIC through QEMU's monitor
#
# sriov_pf under removal while traffic flows in both directions:
#  1. driver unbind + bind through sysfs;
#  2. sysfs remove + rescan (orderly removal, re-probe);
#  3. QEMU monitor device_del of the NIC (hot-unplug; q35 signals it through
#     ACPI, acpiphp removes the device),
#     then device_add of a new NIC on the same port and wire.
# Not covered: a true surprise removal (all-ones reads).  QEMU returns 0,
# not ~0, for MMIO reads once memory decoding is off, so the driver's
# all-ones detection cannot be triggered in this lab.
. "$SRIOV_TOP/tests/lib/ktap.sh"

ktap_header
ktap_plan 8

[ -n "${SRIOV_PF0:-}" ] || ktap_bail "no 82576 PF in the lab"
require_cmd iperf3
BDF=$SRIOV_PF0
PF_IP=198.18.0.2
EXT_IP=198.18.0.1

ext_ns_setup 0 || ktap_bail "external host"
ip netns exec ext0 iperf3 -s -D -p 5201 || ktap_bail "iperf3 server"
defer ip netns exec ext0 pkill -x iperf3
modprobe sriov_pf || ktap_bail "modprobe sriov_pf"
defer rmmod sriov_pf

pf_up() {
	pf=$(wait_pci_netdev "$BDF" 15) || { echo "no netdev"; return 1; }
	ip link set "$pf" up
	ip addr add $PF_IP/24 dev "$pf"
	wait_carrier "$pf" 20 || { echo "no carrier"; return 1; }
	slowwait 10 ping_ok ext0 $PF_IP
}

traffic_start() {
	ip netns exec ext0 ping -f -q $PF_IP >/dev/null 2>&1 &
	flood=$!
	timeout 60 iperf3 -c $EXT_IP -p 5201 -t 30 >/dev/null 2>&1 &
	tcp=$!
	sleep 2
}
traffic_stop() {
	kill "$flood" "$tcp" 2>/dev/null
	wait "$flood" "$tcp" 2>/dev/null
}

ktap_result "PF up, external host pings it" pf_up

# 1. driver unbind under traffic, then bind again
unbind() {
	traffic_start
	echo "$BDF" >/sys/bus/pci/drivers/sriov_pf/unbind
	local rc=$?
	traffic_stop
	[ $rc = 0 ] && [ -z "$(pci_netdev "$BDF")" ]
}
ktap_result "driver unbind under traffic" unbind
rebind() {
	echo "$BDF" >/sys/bus/pci/drivers/sriov_pf/bind || return 1
	pf_up
}
ktap_result "rebind: the device works again" rebind

# 2. orderly PCI removal under traffic, then rescan
sysfs_remove() {
	traffic_start
	echo 1 >"/sys/bus/pci/devices/$BDF/remove"
	local rc=$?
	traffic_stop
	[ $rc = 0 ] && [ ! -e "/sys/bus/pci/devices/$BDF" ]
}
ktap_result "sysfs remove under traffic" sysfs_remove
rescan() {
	echo 1 >/sys/bus/pci/rescan || return 1
	pf_up
}
ktap_result "rescan re-probes, traffic works" rescan

# 3. QEMU hot-unplug (ACPI event -> acpiphp -> remove), then re-add
device_del() {
	local rc
	traffic_start
	lab_nic_unplug 0 "$BDF"
	rc=$?
	traffic_stop
	return $rc
}
ktap_result "QEMU device_del under traffic: hot-unplug completes" device_del
device_add() {
	lab_nic_plug 0 "$BDF" && pf_up
}
ktap_result "QEMU device_add: new NIC probed, traffic works" device_add
ktap_result "rmmod sriov_pf" rmmod sriov_pf
ktap_finished
