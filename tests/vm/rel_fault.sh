#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 300
#
# Fault injection in sriov_pf and sriov_vf (debugfs knobs, see
# Documentation/reliability.rst): a failed allocation, filter write, FLR,
# a lost mailbox reply and a failed VF ring allocation each leave the
# switch as it was (netlink dumps) and the retried operation succeeds.
# The harness fails the run on any WARNING/BUG/lockdep line in dmesg.
# The project's modules, their fault knobs and the YNL library
# (tools/ksrc.sh) not being there is a failure.
. "$SRIOV_TOP/tests/lib/ktap.sh"

[ -n "${SRIOV_PF0:-}" ] || ktap_bail "no 82576 PF in the lab"
ynl=$(ksrc_ynl 2>&1) || ktap_bail "$ynl"

modprobe sriov_pf || ktap_bail "sriov_pf does not load"
defer rmmod sriov_pf
modprobe sriov_vf || ktap_bail "sriov_vf does not load"
defer rmmod sriov_vf
pf=$(wait_pci_netdev "$SRIOV_PF0" 10) || ktap_bail "no PF netdev"
[ -d "/sys/kernel/debug/sriov_pf/$SRIOV_PF0/fault" ] ||
	ktap_bail "sriov_pf has no fault knobs"
ip link set "$pf" up
dev=/sys/bus/pci/devices/$SRIOV_PF0
echo 0 >"$dev/sriov_drivers_autoprobe"
defer sh -c "echo 0 > $dev/sriov_numvfs"

/usr/bin/python3 "$SRIOV_TOP/tests/vm/rel_fault.py" "$ynl" \
	"$SRIOV_TOP/Documentation/netlink/specs/sriov.yaml" \
	"$(cat "/sys/class/net/$pf/ifindex")" "$SRIOV_PF0"
rc=$?
# every knob back at 0: nothing armed is left over
left=$(grep -L '^0$' /sys/kernel/debug/sriov_pf/"$SRIOV_PF0"/fault/{fail_alloc,fail_flr,flr_delay_ms,mbx_delay_ms,drop_mbx_reply,fail_filter_write})
[ -z "$left" ] || { echo "# knobs still armed: $left"; rc=1; }
exit $rc
