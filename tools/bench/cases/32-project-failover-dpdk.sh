#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-side: project
# bench-timeout: 600
#
# 30-project-failover.sh (sriovd drives the failovers: partition add,
# attach, sriovctl failover; the surprise is sriov_numvfs=0; no test
# responder) with the stream sent by DPDK: the external host's
# sequenced stream comes from sriov-dpdk-sequdp (DPDK 22.11, af_packet PMD
# on ext0's netdev, --no-huge, paced at 2000 packets/s) instead of
# sriov-sequdp; the child's receiver is sriov-sequdp as before.  Only the
# streams run (no-switch, planned, surprise), recorded as dpdk_* metrics;
# the anchor is 47-anchor-failover-netfailover-dpdk.sh.
. "$SRIOV_TOP/tools/bench/lib.sh"
bench_dpdk_variant "sriovd: sriov_netvsc + sriov_vf on sriov_pf" 30-project-failover.sh
