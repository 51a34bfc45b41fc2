#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 400
# lab-only: takes the wire down through QEMU's monitor (set_link)
#
# vf_pf_reset.sh against this project's PF driver sriov_pf instead of the in-tree
# igb.
exec "$(dirname "$0")/vf_pf_reset.sh" sriov_pf
