#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 400
#
# netvsc_basic.sh on the project's pair, sriov_pf + sriov_vf: the VF
# carries the adapter's identity and is claimed in the host's namespace.
NV_PF_DRIVER=sriov_pf exec "$(dirname "$0")/netvsc_basic.sh" sriov_vf
