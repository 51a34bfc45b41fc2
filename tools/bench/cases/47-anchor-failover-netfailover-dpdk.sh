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
bench_dpdk_variant "net_failover (igb VF primary + virtio standby)" 45-anchor-failover-netfailover.sh
