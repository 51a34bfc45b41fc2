# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers shared by the tests/vm/vf_*.sh tests of sriov_vf.  Sourced, not
# run (the .bash suffix keeps it out of the vm.* CTest list).
#
# VF_PF_DRIVER selects the PF driver the VF is tested against:
#   igb       the in-tree reference PF (default)
#   sriov_pf  this project's PF
# Either PF driver failing to load, bind, get carrier or enable VFs fails
# the test (Bail out!), as does sriov_vf not loading: the in-tree igb and
# igbvf are part of the kernel the lab runs, the rest is the project's.
# VF_DRIVER selects the VF driver (sriov_vf, or igbvf for comparisons).

# The first argument of a test script overrides VF_PF_DRIVER (the lab
# harness passes no environment): tests/vm/vf_basic.sh sriov_pf
VF_PF_DRIVER=${1:-${VF_PF_DRIVER:-igb}}
VF_DRIVER=${VF_DRIVER:-sriov_vf}
VF_MAC=52:54:00:5f:00:01
VF_IP=198.18.0.2
EXT_IP=198.18.0.1

# shellcheck source=/dev/null
source "$SRIOV_TOP/tests/lib/ktap.sh"

# Lines of dmesg that a run must not contain (ours or the kernel's).
VF_DMESG_BAD='WARNING:|BUG:|Oops|general protection|refcount_t|list_add corruption|list_del corruption|lockdep|KFENCE|sriov_vf.*(timeout|failed|not responding|did not stop)'

vf_has_netdev() { [ -n "$(pci_netdev "$1")" ]; }

vf_dmesg_mark() { VF_DMESG_MARK=$(dmesg | wc -l); }

# vf_dmesg_clean: no bad line since the last vf_dmesg_mark
vf_dmesg_clean() {
	local bad
	bad=$(dmesg | tail -n +"$((VF_DMESG_MARK + 1))" | grep -E "$VF_DMESG_BAD")
	[ -z "$bad" ] && return 0
	ktap_diag "dmesg: $(echo "$bad" | head -5)"
	return 1
}

vf_bail() {
	ktap_header
	ktap_bail "$1"
}

# Load the PF driver, bring the PF up, wait for carrier, create one VF
# without autoprobe, give it an administrative MAC.  Sets PF, PF_DEV, VF.
vf_setup_pf() {
	local numvfs=${1:-1}

	[ -n "$SRIOV_PF0" ] || vf_bail "no 82576 PF in this VM (tools/vm/run --nics 1)"
	modprobe "$VF_PF_DRIVER" || vf_bail "PF driver $VF_PF_DRIVER did not load"
	PF=$SRIOV_PF0
	slowwait 10 vf_has_netdev "$PF" ||
		vf_bail "$VF_PF_DRIVER did not bind $PF"
	PF_DEV=$(pci_netdev "$PF")
	if [ ! -w "/sys/bus/pci/devices/$PF/sriov_numvfs" ] ||
	   [ "$(cat "/sys/bus/pci/devices/$PF/sriov_totalvfs" 2>/dev/null)" = 0 ]; then
		vf_bail "$VF_PF_DRIVER cannot do SR-IOV on $PF (no sriov_totalvfs)"
	fi
	ip link set "$PF_DEV" up
	wait_carrier "$PF_DEV" 30 || vf_bail "PF $PF_DEV has no carrier"
	ext_ns_setup 0 >/dev/null || vf_bail "no external host (ext0)"
	echo 0 > "/sys/bus/pci/devices/$PF/sriov_drivers_autoprobe"
	if ! echo "$numvfs" > "/sys/bus/pci/devices/$PF/sriov_numvfs"; then
		vf_bail "$VF_PF_DRIVER refused sriov_numvfs=$numvfs"
	fi
	# both PF drivers have ndo_set_vf_mac: vf_basic's mac_from_pf fails
	# when this did
	VF_ADMIN_MAC=1
	VF_ADMIN_MAC_ERR=$(ip link set "$PF_DEV" vf 0 mac "$VF_MAC" 2>&1) || VF_ADMIN_MAC=0
	VF=$(basename "$(readlink "/sys/bus/pci/devices/$PF/virtfn0")")
}

vf_load_driver() {
	if [ "$VF_DRIVER" = sriov_vf ]; then
		modprobe sriov_vf 2>/dev/null ||
			insmod "$SRIOV_TOP/kernel/vf/sriov_vf.ko" ||
			vf_bail "sriov_vf did not load (modprobe, insmod $SRIOV_TOP/kernel/vf/sriov_vf.ko)"
	else
		modprobe "$VF_DRIVER" || vf_bail "$VF_DRIVER did not load"
	fi
}

# vf_bind BDF: bind VF_DRIVER through driver_override; sets VF_DEV
vf_bind() {
	echo "$VF_DRIVER" > "/sys/bus/pci/devices/$1/driver_override"
	echo "$1" > /sys/bus/pci/drivers_probe 2>/dev/null
	busywait 20000 vf_has_netdev "$1" || return 1
	VF_DEV=$(pci_netdev "$1")
}

vf_unbind() {
	[ -e "/sys/bus/pci/devices/$1/driver" ] || return 0
	echo "$1" > "/sys/bus/pci/devices/$1/driver/unbind"
}

# vf_up: address, link up, wait for carrier
vf_up() {
	ip addr flush dev "$VF_DEV"
	ip addr add "$VF_IP/24" dev "$VF_DEV"
	ip link set "$VF_DEV" up
	wait_carrier "$VF_DEV" "${1:-20}"
}

vf_ping() {
	ping -q -c "${1:-3}" -W 2 -i 0.2 "${2:-$EXT_IP}" >/dev/null 2>&1
}

# vf_ping_wait SECONDS: until one ping gets through
vf_ping_wait() {
	slowwait "$1" ping -q -c 1 -W 1 "$EXT_IP" >/dev/null 2>&1
}

ext() { ip netns exec ext0 "$@"; }

# vf_diag WHY: the VF's state as KTAP diagnostics, for a check that failed
# (carrier, the driver's counters, both ends' neighbour entries, the PF's
# view of its VFs, whether the external host reaches the VF, the kernel log)
vf_diag() {
	local dev=${VF_DEV:-}
	ktap_diag "--- $1: state follows"
	ktap_diag "$(ip -d link show "$dev" 2>&1 | head -3)"
	ktap_diag "carrier $(cat "/sys/class/net/$dev/carrier" 2>&1)"
	ktap_diag "$(ethtool -S "$dev" 2>&1 | grep -E 'packets|resets|drop|err|fail|timeout' | tr -s ' ' | paste -sd' ')"
	ktap_diag "VF neigh: $(ip neigh show dev "$dev" 2>&1 | paste -sd';')"
	ktap_diag "ext neigh: $(ext ip neigh show 2>&1 | paste -sd';')"
	ktap_diag "$(ip link show "$PF_DEV" 2>&1 | grep -E 'vf [0-9]')"
	ktap_diag "ext -> VF: $(ext ping -c 2 -W 1 -i 0.3 "$VF_IP" 2>&1 | grep -E 'transmitted')"
	ktap_diag "VF -> ext: $(ping -c 2 -W 1 -i 0.3 "$EXT_IP" 2>&1 | grep -E 'transmitted')"
	ktap_diag "$(dmesg | tail -n 25)"
	ktap_diag "--- $1: end of state"
}

# vf_iperf SECONDS [-R]: iperf3_tcp from here to the server in ext0; prints
# whole Mbit/s (vf_bench.bash adds them up)
vf_iperf() {
	local t=$1 r
	shift
	r=$(iperf3_tcp ext0 "" "$EXT_IP" "$t" 5201 "$@") || return 1
	echo "${r%%[. ]*}"
}
