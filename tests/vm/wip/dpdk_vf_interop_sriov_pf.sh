#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --iommu
# timeout: 300
#
# dpdk_vf_interop.sh against this project's PF driver sriov_pf instead of the
# in-tree igb: DPDK's igb VF PMD speaking sriov_pf's mailbox.  Skips (exit 4,
# with the reason) while sriov_pf cannot create VFs.
exec "$(dirname "$0")/dpdk_vf_interop.sh" sriov_pf
