#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-side: project
# bench-timeout: 240
# bench-rounds: yes
#
# synthetic_tcp_mbps, project side: iperf3 TCP (6 s, first second omitted)
# from ext0 to the child over sriovd's synthetic path - sriov_pf on PF 0
# (2 VFs, none attached), sriovd's bridge sb-<PF> with PF 0 and the host
# port of the sriov_netvsc pair, the adapter nv0 in netns vm1
# (198.18.0.10).  The anchor is 10-anchor-tcp's bridge(igb PF)+veth; both
# run in every round (guest.sh).  The PF goes back to igb through
# bench_reset (it unloads sriov_pf).
. "$SRIOV_TOP/tools/bench/lib.sh"
. "$SRIOV_TOP/tests/vm/daemon_lib.bash"

MAC=02:00:5e:10:00:0c
DMN_STATE=/tmp/bench-sriovd
DMN_SOCK=$DMN_STATE/sriovd.sock
# on the VM's tmpfs while the case runs (see 25-project-attach.sh)
DMN_LOG=/tmp/bench-sriovd.log
# sriovd manages PF 0 only; PF 1 stays with igb
SRIOV_PF1=
bdf=${SRIOV_PF0:-}
setup="bridge sb-PF (sriovd, sriov_pf PF)+sriov_netvsc"
fail() { bench_fail synthetic_tcp_mbps "$BENCH_SIDE" Mbit/s "$setup" "$1"; exit 0; }

[ -n "$bdf" ] || fail "no PF 0 in the lab"
bench_ext 0 || fail "external host"
bench_sriov_pf 0 2 || fail "sriov_pf with 2 VFs on PF 0"
bench_sriovd_vm1 "$bdf" "$MAC" "$BENCH_CHILD_IP" "project-synthetic.round$BENCH_ROUND" ||
	fail "sriovd with partition vm1"
bench_neigh ext0 "$BENCH_CHILD_IP" "$MAC"
slowwait 15 ping_ok ext0 "$BENCH_CHILD_IP" || fail "synthetic path: no ping"
v=$(bench_iperf vm1 "$BENCH_CHILD_IP" ext0 "${BENCH_TCP_SECS:-6}" nv_synthetic_rx) ||
	fail "iperf3 failed"
bench_record synthetic_tcp_mbps "$BENCH_SIDE" "$v" Mbit/s "$setup"
exit 0
