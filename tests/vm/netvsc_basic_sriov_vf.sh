#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 420
#
# netvsc_basic with the project's VF driver (sriov_vf) in place of igbvf.
# Under the in-tree igb PF the VF has no identity (GET_CONFIG is NACKed),
# so pairing is by MAC.
exec /bin/bash "$SRIOV_TOP/tests/vm/netvsc_basic.sh" sriov_vf
