#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 300
#
# vf_basic.sh against this project's PF driver sriov_pf instead of the in-tree
# igb.
exec "$(dirname "$0")/vf_basic.sh" sriov_pf
