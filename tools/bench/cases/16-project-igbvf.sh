#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-side: project
# bench-timeout: 600
# bench-rounds: yes
#
# The in-tree igbvf on the project's PF against the in-tree igbvf on the
# in-tree igb PF, in the same VM run and measured the same way (iperf3 6 s,
# first second omitted, VF 0 in netns child 198.18.0.10 <-> ext0):
#   igbvf_on_pf_tcp_{rx,tx}_mbps  anchor: igb PF, project: sriov_pf PF
# (filter_move_lost is case 18).
# The PF is handed back to igb afterwards, as 15-project-pf-tcp.sh does.
. "$SRIOV_TOP/tools/bench/lib.sh"

bdf=${SRIOV_PF0:-}
[ -n "$bdf" ] || bench_abort "no PF 0 in the lab"
sys=/sys/bus/pci/devices/$bdf

# bind_pf DRIVER: PF 0 to DRIVER (unbinding whoever holds it)
bind_pf() {
	local drv=
	[ -e "$sys/driver" ] && drv=$(basename "$(readlink "$sys/driver")")
	[ "$drv" = "$1" ] && return 0
	[ -n "$drv" ] && { echo "$bdf" >"/sys/bus/pci/drivers/$drv/unbind" || return 1; }
	modprobe "$1" || return 1
	[ -e "$sys/driver" ] || echo "$bdf" >"/sys/bus/pci/drivers/$1/bind" || return 1
	[ "$(basename "$(readlink "$sys/driver")")" = "$1" ]
}
give_back() {
	bind_pf igb >/dev/null 2>&1 || echo "$bdf" >/sys/bus/pci/drivers_probe 2>/dev/null
}
defer give_back

# vf_tcp SIDE SETUP: one VF with igbvf, iperf3 rx and tx
vf_tcp() {
	local side=$1 setup=$2 pf
	pf=$(wait_pci_netdev "$bdf" 15) || return 1
	ip link set "$pf" up
	wait_carrier "$pf" 30 || { echo "$pf: no carrier" >&2; return 1; }
	bench_vfs_enable 0 1 || return 1
	bench_vf_child "$pf" "$(bench_vf_bdf 0 0)" igbvf || return 1
	bench_vf_tcp igbvf_on_pf_tcp "$side" "$setup" "igbvf_$side"
	ip netns del child
	bench_vfs_disable 0
}

bench_ext 0 || bench_abort "external host"
for run in "anchor igb igbvf_on_igb_PF" "project sriov_pf igbvf_on_sriov_pf_PF"; do
	set -- $run
	setup=${3//_/ }
	if ! bind_pf "$2" || ! bench_try vf_tcp "$1" "$setup"; then
		bench_fail igbvf_on_pf_tcp_rx_mbps "$1" Mbit/s "$setup" "VF setup failed"
		bench_fail igbvf_on_pf_tcp_tx_mbps "$1" Mbit/s "$setup" "VF setup failed"
	fi
done

exit 0
