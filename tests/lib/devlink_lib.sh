# SPDX-License-Identifier: GPL-2.0
# Shared set-up of the devlink tests (source after ktap.sh, before
# ktap_header): they need iproute2's devlink, jq and ethtool, and use
# tests/lib/pf2_lib.sh's PF set-up and YNL CLI (sriov ARGS...).
#
#   dl_pf_up   the kernel log marked (kernel_log_clean), sriov_pf on the
#              lab's PF0 (pf2_load_pf: pf, ifindex, dev), its netdev up with
#              carrier, VF drivers not probed when VFs are enabled; sets PF
#              (its PCI address) and DL (its devlink handle).  Bails on
#              failure.  At exit: no VFs, autoprobe back on, sriov_pf
#              unloaded.
. "$SRIOV_TOP/tests/lib/pf2_lib.sh"

dl_pf_up() {
	kernel_log_mark
	pf2_need_ynl
	pf2_load_pf
	pf2_pf_up
	PF=$SRIOV_PF0
	DL=pci/$PF
	echo 0 >"$dev/sriov_drivers_autoprobe"
	defer sh -c "echo 1 >$dev/sriov_drivers_autoprobe"
	defer sh -c "echo 0 >$dev/sriov_numvfs"
}

require_cmd devlink
require_cmd jq
require_cmd ethtool
