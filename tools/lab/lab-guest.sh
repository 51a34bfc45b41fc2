#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inside the lab: load sriov_pf, sriov_vf and sriov_netvsc, create VFs on
# every 82576 and show PCI functions, drivers and netdevs.
set -u
. "$SRIOV_TOP/tests/lib/ktap.sh"

NUM_VFS=${LAB_NUM_VFS:-2}
section() { printf '\n== %s\n' "$*"; }

section "Project modules"
rc=0
for m in sriov_pf sriov_vf sriov_netvsc; do
	if modprobe "$m"; then
		printf '  %-14s loaded  %s\n' "$m" "$(modinfo -F filename "$m")"
	else
		printf '  %-14s FAILED to load\n' "$m"
		rc=1
	fi
done

section "82576 PFs"
for var in SRIOV_PF0 SRIOV_PF1; do
	bdf=${!var:-}
	[ -n "$bdf" ] || continue
	dev=/sys/bus/pci/devices/$bdf
	drv=$(basename "$(readlink -f "$dev/driver" 2>/dev/null)" 2>/dev/null)
	if [ "$drv" != sriov_pf ]; then
		echo "  $bdf: sriov_pf did not bind (${drv:-no driver}); the in-tree igb shows the VFs instead"
		modprobe igb
		drv=igb
	fi
	n=$(wait_pci_netdev "$bdf" 10)
	[ -n "$n" ] && ip link set "$n" up
	echo 0 >"$dev/sriov_drivers_autoprobe" 2>/dev/null
	if [ "$(cat "$dev/sriov_totalvfs" 2>/dev/null || echo 0)" -gt 0 ] &&
	   echo "$NUM_VFS" >"$dev/sriov_numvfs" 2>/dev/null; then
		echo "  $bdf ($drv, ${n:-no netdev}): $NUM_VFS VFs enabled"
	else
		echo "  $bdf ($drv, ${n:-no netdev}): VFs could not be enabled"
	fi
done

# Our VF driver takes the VFs where it can.
for vf in /sys/bus/pci/devices/*; do
	[ "$(cat "$vf/device")" = 0x10ca ] || continue
	echo sriov_vf >"$vf/driver_override"
	echo "${vf##*/}" >/sys/bus/pci/drivers_probe 2>/dev/null
done
sleep 1

section "82576 PCI functions (PF 8086:10c9, VF 8086:10ca)"
lspci -D -nn -k -d 8086:10c9 | sed 's/^/  /'
lspci -D -nn -k -d 8086:10ca | sed 's/^/  /'

section "Netdevs"
for n in /sys/class/net/*; do
	name=${n##*/}
	[ "$name" = lo ] && continue
	drv=$(basename "$(readlink -f "$n/device/driver" 2>/dev/null)" 2>/dev/null)
	bdf=$(readlink -f "$n/device" 2>/dev/null)
	case "$bdf" in */virtio*) bdf=${bdf%/*} ;; esac
	bdf=${bdf##*/}
	printf '  %-8s %-17s %-13s %s\n' "$name" "$(cat "$n/address")" "${drv:--}" "${bdf:--}"
done
ip -d link show 2>/dev/null | grep -A0 'vf [0-9]' | sed 's/^/  /'

section "Loaded modules (project and related)"
lsmod | grep -E '^(Module|sriov_|igb|igbvf)' | sed 's/^/  /'
exit $rc
