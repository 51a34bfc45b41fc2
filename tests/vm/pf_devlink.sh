#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 600
#
# sriov_pf's devlink instance and the VF transmit rate limiter:
#  - devlink dev info: driver, serial number (the permanent MAC), the PCI
#    device id, the NVM version the driver printed at probe;
#  - the e-switch stays legacy: switchdev is refused with the reason;
#  - one port (flavour pcivf, pfnum, vfnum) per VF while VFs exist; the
#    kernel's YNL CLI with the kernel's devlink spec reads the same
#    instance (driver, serial number) and ports;
#  - a port function's hw_addr is the VF's MAC: set through devlink, it is
#    what ip link, the sriov genl family and the bound VF's netdev show,
#    and a MAC set through ip link is what devlink shows;
#  - the port function state is the VF's link state;
#  - ip link set PF vf 0 max_tx_rate: shown by ip link and written to the
#    82576's limiter (RTTBCNRC, write-only: ethtool -d shows the values the
#    driver wrote, QEMU does not model the limiter); min_tx_rate refused;
#    the limit stays over PF down/up and over a device reset (ethtool
#    --reset) and goes with the VFs.
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/devlink_lib.sh"

ktap_header
ktap_plan 20

NUMVFS=3
MAC_DL=02:5e:00:00:01:01	# set through devlink on VF 1
MAC_IP=02:5e:00:00:02:02	# set through ip link on VF 2

dl_pf_up

# ---- the instance ----

dev_info() {
	local j drv serial perm fw nvm asic dev
	j=$(devlink -j dev info "$DL") || return 1
	echo "$j"
	drv=$(jq -r ".info[\"$DL\"].driver" <<<"$j")
	serial=$(jq -r ".info[\"$DL\"].serial_number" <<<"$j")
	asic=$(jq -r ".info[\"$DL\"].versions.fixed[\"asic.id\"]" <<<"$j")
	fw=$(jq -r ".info[\"$DL\"].versions.running.fw" <<<"$j")
	perm=$(ethtool -P "$pf" | awk '{print $3}')
	dev=$(cat "/sys/bus/pci/devices/$PF/device")
	# the version the probe message printed: "Intel 82576 PF <mac>, NVM x.y-z"
	nvm=$(dmesg | grep -o "Intel 82576 PF $perm, NVM [0-9.-]*" | tail -n1 | awk '{print $NF}')
	echo "driver=$drv serial=$serial (permanent $perm) asic.id=$asic (PCI $dev) fw=$fw (probe: NVM $nvm)"
	[ "$drv" = sriov_pf ] && [ -n "$perm" ] && [ "$serial" = "$perm" ] &&
		[ "$asic" = "$dev" ] && [ -n "$nvm" ] && [ "$fw" = "$nvm" ]
}
ktap_result "devlink dev info: driver, serial number, asic.id, NVM version" dev_info

eswitch_mode() { devlink -j dev eswitch show "$DL" | jq -r ".dev[\"$DL\"].mode"; }
eswitch_legacy() {
	local m
	m=$(eswitch_mode)
	echo "eswitch mode: $m"
	[ "$m" = legacy ]
}
ktap_result "devlink dev eswitch show: legacy" eswitch_legacy

switchdev_refused() {
	local out rc
	out=$(devlink dev eswitch set "$DL" mode switchdev 2>&1)
	rc=$?
	echo "exit $rc: $out"
	[ $rc != 0 ] && [[ $out == *"cannot send VF traffic that matches no filter to representors"* ]] &&
		[[ $out == *"Operation not supported"* || $out == *"not supported"* ]] &&
		eswitch_legacy
}
ktap_result "switchdev refused with the reason, mode still legacy" switchdev_refused

# ---- VF ports ----

# nports: the number of ports of this PF's instance
nports() {
	local out
	out=$(devlink -j port show) || return 1
	jq --arg dl "$DL/" '[(.port // {}) | keys[] | select(startswith($dl))] | length' <<<"${out:-"{}"}"
}
no_ports() {
	local n
	n=$(nports)
	echo "$n ports"
	[ "$n" = 0 ]
}
ktap_result "no devlink port without VFs" no_ports

echo $NUMVFS >"/sys/bus/pci/devices/$PF/sriov_numvfs" || ktap_bail "sriov_numvfs=$NUMVFS refused"

vf_ports() {
	local i j fl pfn vfn pfnum
	pfnum=$((16#${PF##*.}))
	[ "$(nports)" = $NUMVFS ] || { echo "$(nports) ports, $NUMVFS VFs"; return 1; }
	for ((i = 0; i < NUMVFS; i++)); do
		j=$(devlink -j port show "$DL/$i") || return 1
		fl=$(jq -r ".port[\"$DL/$i\"].flavour" <<<"$j")
		pfn=$(jq -r ".port[\"$DL/$i\"].pfnum" <<<"$j")
		vfn=$(jq -r ".port[\"$DL/$i\"].vfnum" <<<"$j")
		echo "port $i: flavour $fl pfnum $pfn vfnum $vfn"
		[ "$fl" = pcivf ] && [ "$pfn" = "$pfnum" ] && [ "$vfn" = "$i" ] || return 1
	done
}
ktap_result "one pcivf port per VF (pfnum, vfnum) after sriov_numvfs=$NUMVFS" vf_ports

# The kernel's YNL CLI driven by the kernel's devlink spec (both from
# Debian's linux-source, extracted by make ksrc): a client no one here wrote
# sees the same instance and ports as iproute2's devlink.
ynl_devlink() {
	local spec dev info ports perm
	spec=$PF2_YNL/../../../Documentation/netlink/specs/devlink.yaml
	[ -f "$spec" ] || { echo "no devlink spec at $spec (make ksrc)"; return 1; }
	dev="{\"bus-name\": \"pci\", \"dev-name\": \"$PF\"}"
	dl_ynl() { $PF2_PY "$SRIOV_TOP/tests/lib/ynl_libyaml.py" "$PF2_YNL" --spec "$spec" --no-schema --output-json "$@"; }
	info=$(dl_ynl --do info-get --json "$dev") || return 1
	ports=$(dl_ynl --dump port-get --json "$dev") || return 1
	perm=$(ethtool -P "$pf" | awk '{print $3}')
	echo "info-get: $(jq -c . <<<"$info")"
	echo "port-get: $(jq -c . <<<"$ports")"
	jq -e --arg s "$perm" '."info-driver-name" == "sriov_pf" and
		."info-serial-number" == $s' <<<"$info" >/dev/null &&
		jq -e --argjson n $NUMVFS --arg d "$PF" '
			[.[] | select(."dev-name" == $d and ."port-flavour" == "pci_vf")] as $p |
			($p | length) == $n and
			([$p[] | ."port-pci-vf-number"] | sort) == [range($n)]' <<<"$ports" >/dev/null
}
ktap_result "YNL CLI with the kernel's devlink spec: info-get and port-get agree" ynl_devlink

port_mac() { devlink -j port show "$DL/$1" | jq -r ".port[\"$DL/$1\"].function.hw_addr"; }
iplink_mac() {
	ip -j link show "$pf" | jq -r ".[0].vfinfo_list[] | select(.vf == $1) | .address"
}
genl_mac() {
	sriov --do vf-get --json "{\"ifindex\": $ifindex, \"vf-id\": $1}" |
		jq -r '.mac' | tr -d ':' | tr 'A-F' 'a-f'
}
# macs_agree VF [MAC]: devlink, ip link and the genl family show one MAC
# (and it is MAC)
macs_agree() {
	local d i g
	d=$(port_mac "$1")
	i=$(iplink_mac "$1")
	g=$(genl_mac "$1")
	echo "VF $1: devlink $d, ip link $i, genl $g${2:+, wanted $2}"
	[ -n "$d" ] && [ "$d" = "$i" ] && [ "${d//:/}" = "$g" ] &&
		{ [ -z "${2:-}" ] || [ "$d" = "$2" ]; }
}
all_agree() { local i; for ((i = 0; i < NUMVFS; i++)); do macs_agree $i || return 1; done; }
ktap_result "port hw_addr = ip link's and the genl family's VF MAC, every VF" all_agree

# VF 1 with sriov_vf bound: its netdev takes the MAC set through devlink
modprobe sriov_vf || ktap_bail "modprobe sriov_vf"
defer rmmod sriov_vf
VF1=$(basename "$(readlink "/sys/bus/pci/devices/$PF/virtfn1")")
echo sriov_vf >"/sys/bus/pci/devices/$VF1/driver_override"
echo "$VF1" >/sys/bus/pci/drivers_probe
vf1=$(wait_pci_netdev "$VF1" 20) || ktap_bail "sriov_vf did not bind VF 1 ($VF1)"
defer sh -c "echo $VF1 >/sys/bus/pci/devices/$VF1/driver/unbind"
ip link set "$vf1" up

vf_netdev_mac() { [ "$(cat "/sys/class/net/$vf1/address")" = "$1" ]; }
set_hw_addr() {
	devlink port function set "$DL/1" hw_addr $MAC_DL || return 1
	macs_agree 1 $MAC_DL || return 1
	slowwait 20 vf_netdev_mac $MAC_DL
	local rc=$?
	echo "VF netdev $vf1: $(cat "/sys/class/net/$vf1/address")"
	return $rc
}
ktap_result "devlink port function set hw_addr: ip link, genl and the VF's netdev take it" set_hw_addr

set_ip_mac() {
	ip link set "$pf" vf 2 mac $MAC_IP || return 1
	macs_agree 2 $MAC_IP
}
ktap_result "ip link set vf 2 mac: devlink shows it" set_ip_mac

mac_taken() {
	local out
	out=$(devlink port function set "$DL/0" hw_addr $MAC_DL 2>&1) && { echo "accepted"; return 1; }
	echo "$out"
	macs_agree 1 $MAC_DL && [ "$(port_mac 0)" != $MAC_DL ]
}
ktap_result "hw_addr of another VF refused" mac_taken

port_state() { devlink -j port show "$DL/$1" | jq -r ".port[\"$DL/$1\"].function.state"; }
link_state() {
	ip -j link show "$pf" | jq -r ".[0].vfinfo_list[] | select(.vf == $1) | .link_state"
}
fn_state() {
	local s l
	devlink port function set "$DL/0" state inactive || return 1
	s=$(port_state 0)
	l=$(link_state 0)
	echo "inactive: devlink $s, ip link link_state $l"
	[ "$s" = inactive ] && [ "$l" = disable ] || return 1
	devlink port function set "$DL/0" state active || return 1
	s=$(port_state 0)
	l=$(link_state 0)
	echo "active: devlink $s, ip link link_state $l"
	[ "$s" = active ] && [ "$l" = auto ] || return 1
	ip link set "$pf" vf 0 state disable || return 1
	s=$(port_state 0)
	echo "ip link state disable: devlink $s"
	[ "$s" = inactive ] || return 1
	ip link set "$pf" vf 0 state auto
}
ktap_result "port function state is the VF's link state, both ways" fn_state

# ---- the rate limiter ----

speed=$(ethtool "$pf" | awk '/Speed:/ { sub(/Mb\/s/, "", $2); print $2 }')
ktap_diag "link speed $speed Mb/s"
# rttbcnrc RATE: the RTTBCNRC value limiting a queue to RATE on this link
rttbcnrc() {
	local i=$((speed / $1))
	local d=$((((speed - i * $1) << 14) / $1))
	printf '0x%08x' $((0x80000000 | i << 14 | d))
}
# dump_word N: word N of the last 9 of the register dump (0-7: RTTBCNRC of
# queue N, 8: RTTBCNRM)
dump_word() {
	ethtool -d "$pf" raw on | od -An -tx4 -v | tr -s ' ' '\n' | grep . | tail -n 9 |
		sed -n "$(($1 + 1))p" | sed 's/^/0x/'
}
max_rate() {
	ip -j link show "$pf" | jq -r ".[0].vfinfo_list[] | select(.vf == $1) | .rate.max_tx"
}
# limited VF RATE: ip link shows RATE for VF and the limiter of its queue
# holds RATE's factor (no limit: 0), RTTBCNRM the compensation time
limited() {
	local r q m want=0x00000000
	[ "$2" != 0 ] && want=$(rttbcnrc "$2")
	r=$(max_rate "$1")
	q=$(dump_word "$1")
	m=$(dump_word 8)
	echo "VF $1: ip link max_tx_rate $r, RTTBCNRC $q (want $want), RTTBCNRM $m"
	[ "$r" = "$2" ] && [ "$q" = "$want" ] && { [ "$2" = 0 ] || [ "$m" = 0x00000014 ]; }
}
set_rate() {
	ip link set "$pf" vf 0 max_tx_rate 100 || return 1
	limited 0 100 && limited 1 0 || return 1
	ip link set "$pf" vf 1 max_tx_rate 300 || return 1
	limited 1 300 && limited 0 100
}
ktap_result "max_tx_rate 100 (VF 0), 300 (VF 1): shown and programmed" set_rate

min_refused() {
	local out
	out=$(ip link set "$pf" vf 0 min_tx_rate 10 max_tx_rate 100 2>&1) && { echo "accepted"; return 1; }
	echo "$out"
	[[ $out == *"Operation not supported"* ]] && limited 0 100
}
ktap_result "min_tx_rate refused (EOPNOTSUPP), limit unchanged" min_refused

too_fast() {
	local out
	out=$(ip link set "$pf" vf 0 max_tx_rate $((speed + 1)) 2>&1) && { echo "accepted"; return 1; }
	echo "$out"
	limited 0 100
}
ktap_result "max_tx_rate above the link speed refused" too_fast

down_up() {
	ip link set "$pf" down && ip link set "$pf" up || return 1
	wait_carrier "$pf" 30 || { echo "no carrier"; return 1; }
	limited 0 100 && limited 1 300
}
ktap_result "limits stay over PF down/up" down_up

both_limited() { limited 0 100 && limited 1 300; }
pf_reset() {
	local n0
	n0=$(dmesg | grep -c 'PF reset: switch state replayed')
	ethtool --reset "$pf" dma filter offload mac phy irq || return 1
	[ "$(dmesg | grep -c 'PF reset: switch state replayed')" -gt "$n0" ] ||
		{ echo "no PF reset in dmesg"; return 1; }
	wait_carrier "$pf" 30 || { echo "no carrier"; return 1; }
	# the limiters follow the link: off while it is down, then set again
	slowwait 10 both_limited >/dev/null
	both_limited
}
ktap_result "limits replayed after a device reset (ethtool --reset)" pf_reset

vf_reset_keeps() {
	echo 1 >"/sys/bus/pci/devices/$VF1/reset" || return 1
	limited 1 300
}
ktap_result "VF 1's limit stays over its FLR (an administrative setting)" vf_reset_keeps

clear_rate() {
	ip link set "$pf" vf 1 max_tx_rate 0 || return 1
	limited 1 0 && limited 0 100
}
ktap_result "max_tx_rate 0 removes VF 1's limit" clear_rate

disable() {
	local n q
	echo "$VF1" >"/sys/bus/pci/devices/$VF1/driver/unbind"
	echo 0 >"/sys/bus/pci/devices/$PF/sriov_numvfs" || return 1
	n=$(nports)
	q=$(dump_word 0)
	echo "$n ports, queue 0 RTTBCNRC $q"
	[ "$n" = 0 ] && [ "$q" = 0x00000000 ]
}
ktap_result "sriov_numvfs=0: no port left, VF 0's limiter cleared" disable

ktap_result "no WARN, BUG or lockdep report" kernel_log_clean
ktap_finished
