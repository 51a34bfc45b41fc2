#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-side: project
# bench-timeout: 600
#
# The in-tree igbvf on the project's PF against the in-tree igbvf on the
# in-tree igb PF, in the same VM run and measured the same way (iperf3 6 s,
# first second omitted, VF 0 in netns child 198.18.0.10 <-> ext0):
#   igbvf_on_pf_tcp_{rx,tx}_mbps  anchor: igb PF, project: sriov_pf PF
# and filter_move_lost (project only): tests/vm/pf2_filter_move.sh, a 2000
# pps stream to one MAC while its filter moves 100 times between the PF's
# default VPort and a VF's VPort.
# The PF is handed back to igb afterwards, as 15-project-pf-tcp.sh does.
. "$SRIOV_TOP/tools/bench/lib.sh"

SECS=${BENCH_TCP_SECS:-6}
VF_MAC=02:00:5e:10:00:01
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
	local side=$1 setup=$2 pf vf vfdev v
	pf=$(wait_pci_netdev "$bdf" 15) || return 1
	ip link set "$pf" up
	wait_carrier "$pf" 30 || { echo "$pf: no carrier" >&2; return 1; }
	bench_vfs_enable 0 1 || return 1
	vf=$(bench_vf_bdf 0 0)
	ip link set "$pf" vf 0 mac "$VF_MAC" || return 1
	vfdev=$(bench_vf_bind "$vf") || return 1
	bench_ns child || return 1
	ip link set "$vfdev" netns child || return 1
	ip -n child addr add 198.18.0.10/24 dev "$vfdev"
	ip -n child link set "$vfdev" up
	wait_carrier "$vfdev" 30 child || { echo "VF: no carrier" >&2; return 1; }
	bench_log "VF IRQ->CPU: $(bench_vf_pin_irqs "$vf")" >&2
	slowwait 15 ping_ok ext0 198.18.0.10 || { echo "VF: no ping" >&2; return 1; }
	v=$(bench_iperf child 198.18.0.10 ext0 "$SECS" "igbvf_${side}_rx") &&
		bench_record igbvf_on_pf_tcp_rx_mbps "$side" "$v" Mbit/s "$setup" ||
		bench_fail igbvf_on_pf_tcp_rx_mbps "$side" Mbit/s "$setup" "iperf3 failed"
	v=$(bench_iperf child 198.18.0.10 ext0 "$SECS" "igbvf_${side}_tx" -R) &&
		bench_record igbvf_on_pf_tcp_tx_mbps "$side" "$v" Mbit/s "$setup" ||
		bench_fail igbvf_on_pf_tcp_tx_mbps "$side" Mbit/s "$setup" "iperf3 failed"
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

# filter_move_lost: the KTAP test in a child shell, on sriov_pf.  ext0
# stays: deleting it would bring the external NIC back under a name that
# the PF may have taken meanwhile (SRIOV_EXT0 would then name the PF).
fm_setup="2000 pps, 100 moves, sriov_pf"
if bind_pf sriov_pf; then
	rm -f "$SRIOV_OUT/filter_move_lost"
	bash "$SRIOV_TOP/tests/vm/pf2_filter_move.sh" >"$BENCH_RAW/filter_move.ktap" 2>&1
	if [ -s "$SRIOV_OUT/filter_move_lost" ]; then
		bench_record filter_move_lost project "$(cat "$SRIOV_OUT/filter_move_lost")" \
			packets "$fm_setup"
	else
		bench_fail filter_move_lost project packets "$fm_setup" "the move test did not finish"
	fi
else
	bench_fail filter_move_lost project packets "$fm_setup" "sriov_pf did not bind"
fi
exit 0
