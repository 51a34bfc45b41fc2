#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-side: anchor
# bench-timeout: 420
#
# 45-anchor-failover-netfailover.sh with the stream sent by DPDK
# (sriov-dpdk-sequdp, af_packet PMD on ext0's netdev, --no-huge, paced at
# 2000 packets/s); the receiver is sriov-sequdp on the failover master.
# Only the streams run (no-switch, planned, surprise), recorded as dpdk_*
# metrics; the project side is 32-project-failover-dpdk.sh.
. "$SRIOV_TOP/tools/bench/lib.sh"
export BENCH_SENDER=dpdk BENCH_METRIC_PREFIX=dpdk_
# its own raw directory: the streams keep the tags of the case they run
export BENCH_RAW=$BENCH_RAW/$BENCH_CASE
mkdir -p "$BENCH_RAW"
export BENCH_ONLY='^(noswitch_gap_ms|planned_failover|surprise)'
bench_dpdk_ready "net_failover (igb VF primary + virtio standby)" || exit 0
exec bash "$SRIOV_TOP/tools/bench/cases/45-anchor-failover-netfailover.sh"
