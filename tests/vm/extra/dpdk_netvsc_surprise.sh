#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 500
#
# netvsc_surprise.sh with the external host's stream sent by DPDK:
# sriov-dpdk-sequdp through the af_packet PMD on ext0's netdev
# (NV_SENDER=dpdk in tests/lib/netvsc_lib.sh), received by sriov-sequdp in
# the child.  Same checks and report as netvsc_surprise.sh.
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/dpdk.sh"
DSEQUDP=${DSEQUDP:-$SRIOV_TOP/build/cmake/tools/traffic/sriov-dpdk-sequdp}
export DSEQUDP
dpdk_require_dseq "$DSEQUDP"
NV_SENDER=dpdk exec "$(dirname "$0")/../netvsc_surprise.sh" "$@"
