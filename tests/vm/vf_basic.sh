#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 300
#
# sriov_vf datapath against a PF (VF_PF_DRIVER, default in-tree igb):
# handshake + admin MAC, identity attributes, ping, iperf3 both ways,
# ethtool -i/-g/-G/-S, stats, MTU 9000, a VLAN, a multicast group, a port
# VLAN set by the PF (the NIC strips it: frames go up untagged).

# shellcheck source=tests/vm/vf_lib.bash
source "$(dirname "$0")/vf_lib.bash"

require_cmd iperf3
require_cmd jq
vf_setup_pf 1
vf_load_driver
vf_dmesg_mark

ktap_header
ktap_plan 15
ktap_diag "PF $PF ($PF_DEV, $VF_PF_DRIVER), VF $VF"

if ! vf_bind "$VF"; then
	ktap_fail "bind"
	ktap_finished
fi
defer vf_unbind "$VF"
ktap_pass "bind"

mac=$(cat "/sys/class/net/$VF_DEV/address")
ktap_diag "VF netdev $VF_DEV MAC $mac"
if [ "$VF_ADMIN_MAC" = 1 ]; then
	ktap_result "mac_from_pf" test "$mac" = "$VF_MAC"
else
	ktap_fail "mac_from_pf"
	ktap_diag "ip link set $PF_DEV vf 0 mac $VF_MAC failed: $VF_ADMIN_MAC_ERR"
fi

# identity: our PF answers GET_CONFIG, the in-tree igb refuses it
id=$(cat "/sys/class/net/$VF_DEV/sriov/identity")
if [ "$VF_PF_DRIVER" = igb ]; then
	ktap_result "identity_refused_by_igb" \
		sh -c "[ $id = unsupported ] && ! cat /sys/class/net/$VF_DEV/sriov/serial 2>/dev/null"
else
	serial=$(cat "/sys/class/net/$VF_DEV/sriov/serial" 2>/dev/null)
	ktap_diag "identity=$id serial=$serial vport=$(cat "/sys/class/net/$VF_DEV/sriov/vport" 2>/dev/null)"
	ktap_result "identity_from_pf" test "$id" = pf -a -n "$serial"
fi

if vf_up 20; then ktap_pass "carrier"; else ktap_fail "carrier"; fi
ktap_result "ping" vf_ping 5

ktap_result "iperf3_tx" iperf3_tcp ext0 "" "$EXT_IP" 5
ktap_result "iperf3_rx" iperf3_tcp ext0 "" "$EXT_IP" 5 5201 -R

# ethtool
drv=$(ethtool -i "$VF_DEV" | awk '/^driver:/ {print $2}')
bus=$(ethtool -i "$VF_DEV" | awk '/^bus-info:/ {print $2}')
ktap_result "ethtool_i" test "$drv" = sriov_vf -a "$bus" = "$VF"

ethtool -G "$VF_DEV" rx 512 tx 128
rxg=$(ethtool -g "$VF_DEV" | awk '/^Current/ {c=1} c && /^RX:/ {print $2}')
txg=$(ethtool -g "$VF_DEV" | awk '/^Current/ {c=1} c && /^TX:/ {print $2}')
wait_carrier "$VF_DEV" 10
ktap_result "ethtool_G" sh -c "[ $rxg = 512 ] && [ $txg = 128 ] && ping -q -c 3 -W 2 $EXT_IP >/dev/null"
ethtool -G "$VF_DEV" rx 256 tx 256

# stats: hardware pool counters and ring counters both moved, and the
# netdev counters are the pool counters
rxp=$(ethtool -S "$VF_DEV" | awk '/ vf_gprc:/ {print $2}')
ringp=$(ethtool -S "$VF_DEV" | awk '/ rx_ring_packets:/ {print $2}')
nrx=$(cat "/sys/class/net/$VF_DEV/statistics/rx_packets")
ktap_diag "vf_gprc=$rxp rx_ring_packets=$ringp rx_packets=$nrx"
ktap_result "stats" sh -c "[ $rxp -gt 1000 ] && [ $ringp -gt 1000 ] && [ $nrx -ge $rxp ]"

# MTU 9000 both ends, a full-size DF ping
ext ip link set "$SRIOV_EXT0" mtu 9000
ip link set "$VF_DEV" mtu 9000
wait_carrier "$VF_DEV" 10
jumbo_ping() { ping -q -c 3 -W 2 -M do -s 8972 "$EXT_IP" >/dev/null; }
if jumbo_ping; then
	ktap_pass "mtu_9000"
elif [ "$VF_PF_DRIVER" != igb ] && ip link set "$PF_DEV" mtu 9000 &&
     wait_carrier "$VF_DEV" 10 && vf_ping_wait 10 && jumbo_ping; then
	# in-tree igb accepts VF jumbo frames at any PF MTU; say so if not
	ktap_diag "$VF_PF_DRIVER: VF jumbo frames needed PF MTU 9000 too"
	ktap_pass "mtu_9000"
	ip link set "$PF_DEV" mtu 1500
else
	ktap_fail "mtu_9000"
fi
ip link set "$VF_DEV" mtu 1500
ext ip link set "$SRIOV_EXT0" mtu 1500
wait_carrier "$VF_DEV" 10

# VLAN 10
ip link add link "$VF_DEV" name "$VF_DEV.10" type vlan id 10
ext ip link add link "$SRIOV_EXT0" name vlan10 type vlan id 10
ip addr add 198.18.10.2/24 dev "$VF_DEV.10"
ext ip addr add 198.18.10.1/24 dev vlan10
ip link set "$VF_DEV.10" up
ext ip link set vlan10 up
ktap_result "vlan_10" ping -q -c 3 -W 2 198.18.10.1
ip link del "$VF_DEV.10"
ext ip link del vlan10

# multicast: echo requests to 239.1.2.3 reach the VF only after it joins
# (/proc/net/igmp: a kernel with IP multicast; a debug kernel may be
# built without it)
if [ -e /proc/net/igmp ]; then
	sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
	mc_replies() {
		ext ping -c 3 -W 1 -i 0.3 -I "$SRIOV_EXT0" 239.1.2.3 2>/dev/null |
			grep -c "from $VF_IP"
	}
	before=$(mc_replies)
	ip addr add 239.1.2.3/32 dev "$VF_DEV" autojoin
	sleep 1.5	# the multicast list goes to the PF from the service task
	after=$(mc_replies)
	ktap_diag "multicast replies before join: $before, after: $after"
	ktap_result "multicast_group" test "$before" -eq 0 -a "$after" -gt 0
else
	ktap_skip "multicast_group" "kernel without CONFIG_IP_MULTICAST"
fi

# port VLAN 20 from the PF: the VF's traffic is tagged on the wire, the
# VF itself sees plain frames
port_vlan() {
	ip link set "$PF_DEV" vf 0 vlan 20 || return 1
	ext ip link add link "$SRIOV_EXT0" name vlan20 type vlan id 20
	ext ip addr add 198.18.20.1/24 dev vlan20
	ext ip link set vlan20 up
	ip addr add 198.18.20.2/24 dev "$VF_DEV"
	slowwait 15 ping -q -c 1 -W 1 198.18.20.1 >/dev/null
}
ktap_result "port_vlan_20" port_vlan
ip addr del 198.18.20.2/24 dev "$VF_DEV" 2>/dev/null
ext ip link del vlan20 2>/dev/null
ip link set "$PF_DEV" vf 0 vlan 0 2>/dev/null

ktap_result "dmesg_clean" vf_dmesg_clean
ktap_finished
