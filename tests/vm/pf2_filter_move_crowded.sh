#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 300
#
# pf2_filter_move with 50 other partitions' MAC filters on the default
# VPort: they take no exact (RAR) entry, the 100 moves still lose no
# datagram, and the 50 stay where they are.
PF2_OTHERS=50 exec "$SRIOV_TOP/tests/vm/pf2_filter_move.sh"
