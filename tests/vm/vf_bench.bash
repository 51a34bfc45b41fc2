#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 400
#
# Throughput of a VF driver against the in-tree igbvf, same emulated NIC,
# same PF, same VM run: iperf3 TCP to (tx) and from (rx) the external host.
# Not a pass/fail test (hence .bash, outside CTest); run it with
#   tools/vm/run --name vf_bench --nics 1 -- tests/vm/vf_bench.bash
# Writes $SRIOV_OUT/vf_bench.json:
#   {"vf_tcp_tx_mbps": {"project": N, "anchor": N}, "vf_tcp_rx_mbps": ...}
# VF_PF_DRIVER picks the PF for the project run (the anchor is always
# igbvf; on sriov_pf it runs on the same PF as ours).

# shellcheck source=tests/vm/vf_lib.bash
source "$(dirname "$0")/vf_lib.bash"

SECS=${VF_BENCH_SECS:-10}
ROUNDS=${VF_BENCH_ROUNDS:-2}

require_cmd iperf3
require_cmd jq
vf_setup_pf 1
modprobe igbvf
VF_DRIVER=sriov_vf vf_load_driver

declare -A sum
run_one() {
	local drv=$1 tx rx
	VF_DRIVER=$drv
	vf_bind "$VF" || return 1
	vf_up 30 || return 1
	vf_ping_wait 10
	tx=$(vf_iperf "$SECS")
	rx=$(vf_iperf "$SECS" -R)
	echo "# $drv round $r: tx ${tx:-0} rx ${rx:-0} Mbit/s"
	sum[$drv.tx]=$(( ${sum[$drv.tx]:-0} + ${tx:-0} ))
	sum[$drv.rx]=$(( ${sum[$drv.rx]:-0} + ${rx:-0} ))
	vf_unbind "$VF"
	echo > "/sys/bus/pci/devices/$VF/driver_override"
}

for r in $(seq 1 "$ROUNDS"); do
	run_one igbvf
	run_one sriov_vf
done

res=$(jq -n --argjson pt $((sum[sriov_vf.tx] / ROUNDS)) \
	--argjson at $((sum[igbvf.tx] / ROUNDS)) \
	--argjson pr $((sum[sriov_vf.rx] / ROUNDS)) \
	--argjson ar $((sum[igbvf.rx] / ROUNDS)) \
	'{vf_tcp_tx_mbps: {project: $pt, anchor: $at},
	  vf_tcp_rx_mbps: {project: $pr, anchor: $ar}}')
echo "$res" | sed 's/^/# /'
[ -n "${SRIOV_OUT:-}" ] && echo "$res" > "$SRIOV_OUT/vf_bench.json"
exit 0
