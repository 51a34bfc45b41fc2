# SPDX-License-Identifier: GPL-2.0
# Shared set-up of the devlink tests (source after ktap.sh, before
# ktap_header): they need iproute2's devlink, jq and ethtool.
#
#   dl_pf_up   sriov_pf on the lab's PF0, its netdev up with carrier, the
#              kernel log marked (kernel_log_clean), VF drivers not probed
#              when VFs are enabled; sets PF (its PCI address), DL (its
#              devlink handle) and pf (its netdev).  Bails on failure.
#              At exit: no VFs, autoprobe back on, sriov_pf unloaded.
dl_pf_up() {
	[ -n "${SRIOV_PF0:-}" ] || ktap_bail "no 82576 PF in the lab"
	PF=$SRIOV_PF0
	DL=pci/$PF
	kernel_log_mark
	modprobe sriov_pf || ktap_bail "modprobe sriov_pf"
	defer rmmod sriov_pf
	pf=$(wait_pci_netdev "$PF" 10) || ktap_bail "no PF netdev"
	ip link set "$pf" up
	wait_carrier "$pf" 30 || ktap_bail "PF $pf has no carrier"
	echo 0 >"/sys/bus/pci/devices/$PF/sriov_drivers_autoprobe"
	defer sh -c "echo 1 >/sys/bus/pci/devices/$PF/sriov_drivers_autoprobe"
	defer sh -c "echo 0 >/sys/bus/pci/devices/$PF/sriov_numvfs"
}

require_cmd devlink
require_cmd jq
require_cmd ethtool
