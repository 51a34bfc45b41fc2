#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --iommu
# timeout: 400
#
# dpdk_vf_interop.sh against the in-tree igb PF driver instead of sriov_pf:
# the reference the project's PF is compared with.
exec "$(dirname "$0")/dpdk_vf_interop.sh" igb
