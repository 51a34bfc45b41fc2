#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --iommu
# timeout: 400
#
# DPDK interop: DPDK's own igb VF poll-mode driver (net_e1000_igb_vf, Debian's
# DPDK 22.11) drives VF 0 of the 82576 through vfio-pci under the lab's
# vIOMMU.  It is a second VF implementation, independent of igbvf and
# sriov_vf, speaking the PF's mailbox (reset, MAC, multicast, LPE,
# promiscuous, link).
#
# Argument: the PF driver, sriov_pf (this project's, default; vm.dpdk_vf_interop
# in make check) or igb (the in-tree reference, by hand:
# tools/vm/run --iommu --name dpdk_igb -- tests/vm/dpdk_vf_interop.sh igb).
#
# Proofs, with the external host of hub 0 as the traffic peer:
#   - testpmd reports the administrative MAC set with `ip link set PF vf 0
#     mac` as the port's MAC (the VF got it from the PF over the mailbox);
#   - VF -> wire, exact: --tx-first makes testpmd send one burst of
#     DPDK_BURST UDP frames to the external host's MAC and IP (port 9, no
#     listener); the external host's UdpNoPorts counter must grow by exactly
#     that many.  A single small burst does not overrun the emulated
#     receiver, so no loss is tolerated;
#   - wire -> VF -> wire: in icmpecho mode testpmd answers ICMP echo itself;
#     the external host, with a static neighbour entry for the VF's MAC (ARP
#     is not part of what is proven), pings the VF: every echo request must
#     be answered (paced at 5/s) and testpmd's RX-packets must count at least
#     the requests sent.
#
# History: this test used to fail on its receive checks (the VF "received
# almost nothing").  The cause was the test, not the PF or the PMD: testpmd's
# stdout to a file is fully buffered, so "packet forwarding - ports=" only
# reached the log when testpmd exited - here when timeout(1) stopped it
# after 150 s, TCG start-up being slow.  The test then pinged a testpmd that
# was gone (its final statistics showed the few frames it had seen).
# tests/lib/dpdk.sh now runs testpmd under stdbuf -oL and gives it a start
# budget that fits TCG.
#
# No unpaced txonly flood: under TCG the emulated receiver drops most of it
# (one run: 17.1 M TX-packets in 5 s, 2.1 M reached the external host).
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/dpdk.sh"

PF_DRIVER=${1:-sriov_pf}
VF_MAC=02:00:5e:d0:00:01
VF_IP=198.18.0.20
EXT_IP=198.18.0.1
EXT_MAC=52:54:00:ee:00:01
DPDK_BURST=64
PINGS=20
OUT=${SRIOV_OUT:-/tmp}

ktap_header
[ -n "${SRIOV_PF0:-}" ] || ktap_bail "no 82576 PF (8086:10c9) in the lab"
require_cmd jq
require_cmd stdbuf
command -v dpdk-testpmd >/dev/null || ktap_skip_all "dpdk-testpmd is not installed (dpdk-dev)"
[ -d /sys/kernel/iommu_groups/0 ] || ktap_skip_all "no IOMMU: run the lab with --iommu"
dev=/sys/bus/pci/devices/$SRIOV_PF0

# the PF driver (the project's sriov_pf, or the kernel's igb) loading,
# binding and enabling VFs is what the test stands on: a failure fails
modprobe "$PF_DRIVER" || ktap_bail "PF driver $PF_DRIVER did not load"
pf=$(wait_pci_netdev "$SRIOV_PF0" 10) || ktap_bail "$PF_DRIVER did not bind $SRIOV_PF0"
if [ ! -w "$dev/sriov_numvfs" ] || [ "$(cat "$dev/sriov_totalvfs" 2>/dev/null || echo 0)" = 0 ]; then
	ktap_bail "$PF_DRIVER cannot do SR-IOV on $SRIOV_PF0 (no sriov_totalvfs)"
fi

# The PF first, with carrier, so the VF's link is up and the external host's
# NIC always has a live wire.
ip link set "$pf" up
wait_carrier "$pf" 30 || ktap_bail "PF $pf has no carrier"
ext_ns_setup 0 >/dev/null || ktap_bail "no external host"
ext=$SRIOV_EXT0
EXT_MAC=$(ip netns exec ext0 cat "/sys/class/net/$ext/address")

echo 0 >"$dev/sriov_drivers_autoprobe"
if ! err=$(echo 2 2>&1 >"$dev/sriov_numvfs"); then
	err=${err##*: }
	# The PCI core answers ENOENT when the driver has no .sriov_configure.
	[ "$err" = "No such file or directory" ] && err="$err: $PF_DRIVER has no sriov_configure"
	ktap_bail "$PF_DRIVER cannot create VFs: writing 2 to sriov_numvfs failed ($err)"
fi
defer sh -c "echo 0 > $dev/sriov_numvfs"
ktap_plan 7
vf=$(basename "$(readlink -f "$dev/virtfn0")")
ktap_diag "PF $SRIOV_PF0 ($pf, $PF_DRIVER), VF 0 $vf, external host $ext $EXT_MAC"

vf_mac_set() {
	ip link set "$pf" vf 0 mac "$VF_MAC" || return 1
	ip -j link show "$pf" | jq -e --arg m "$VF_MAC" \
		'.[0].vfinfo_list[0].address == $m' >/dev/null
}
ktap_result "admin MAC $VF_MAC on VF 0" vf_mac_set
ktap_result "vfio-pci binds VF 0" dpdk_bind_vfio "$vf"
defer dpdk_unbind "$vf"

# ext's UDP "no port" counter: frames that reached its IP stack for port 9.
udp_noports() {
	ip netns exec ext0 awk '/^Udp:/ { if (h) { print $(i); exit } for (i = 1; i <= NF; i++) if ($i == "NoPorts") break; h = 1 }' /proc/net/snmp
}
ext_rx() { ip netns exec ext0 cat "/sys/class/net/$ext/statistics/rx_packets"; }

uptime_s() { cut -d. -f1 /proc/uptime; }

# icmpecho, after one --tx-first burst of UDP to the external host.
log1=$OUT/testpmd-icmpecho.log
t0=$(uptime_s)
nop0=$(udp_noports)
if ! dpdk_testpmd_start "$log1" "$vf" --forward-mode=icmpecho --tx-first \
	--burst=$DPDK_BURST --txpkts=64 --eth-peer=0,"$EXT_MAC" \
	--tx-ip=$VF_IP,$EXT_IP --tx-udp=9,9; then
	ktap_diag "$(tail -n 30 "$log1")"
	ktap_bail "testpmd did not start on $vf"
fi
ktap_diag "$(grep -E 'Probe PCI driver|IOVA mode|^Port 0:|Link' "$log1")"
ktap_diag "testpmd forwarding after $(($(uptime_s) - t0)) s"

port_mac=$(dpdk_port_mac "$log1")
ktap_result "net_e1000_igb_vf drives VF 0 with the admin MAC (testpmd: ${port_mac:-none})" \
	sh -c "grep -q 'Probe PCI driver: net_e1000_igb_vf' '$log1' && [ '$port_mac' = '$VF_MAC' ]"

tx_first_arrived() { [ $(($(udp_noports) - nop0)) -ge $DPDK_BURST ]; }
slowwait 5 tx_first_arrived
got=$(($(udp_noports) - nop0))
ktap_diag "tx-first burst: $DPDK_BURST frames sent by testpmd, external host UdpNoPorts +$got"
ktap_result "VF -> external host: all $DPDK_BURST frames of a burst arrive" test "$got" -eq $DPDK_BURST

ip -n ext0 neigh replace $VF_IP lladdr $VF_MAC nud permanent dev "$ext"
pfrx0=$(cat "/sys/class/net/$pf/statistics/rx_packets")
pout=$(ip netns exec ext0 ping -c $PINGS -i 0.2 -W 5 $VF_IP 2>&1)
ktap_diag "PF $pf rx_packets +$(($(cat "/sys/class/net/$pf/statistics/rx_packets") - pfrx0)) during the pings"
ptx=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' <<<"$pout")
prx=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$pout")
ktap_diag "ping $VF_IP from the external host: ${ptx:-?} sent, ${prx:-?} answered"
ktap_result "external host pings testpmd (icmpecho) on VF 0: $PINGS/$PINGS answered" \
	test "${prx:-0}" -eq $PINGS
dpdk_testpmd_stop
rc=$?
rx=$(dpdk_fwd_stat "$log1" RX-packets)
tx=$(dpdk_fwd_stat "$log1" TX-packets)
ktap_diag "testpmd icmpecho: RX-packets ${rx:-?} TX-packets ${tx:-?} (exit $rc)"
ktap_result "testpmd received every echo request (RX-packets ${rx:-?} >= $PINGS)" \
	test "${rx:-0}" -ge $PINGS

ktap_result "VF 0 back from vfio-pci" dpdk_unbind "$vf"
ktap_finished
