# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared setup of the pf2_* lab tests (sriov_pf and its NIC switch).
# Source after tests/lib/ktap.sh, inside the lab VM.
#
#   pf2_need_ynl               PF2_YNL = the kernel's tools/net/ynl (bails:
#                              make check prepares build/ksrc)
#   sriov ARGS...              the YNL CLI on our spec, JSON output
#   pf2_load_pf                load sriov_pf: sets pf, ifindex, dev (bails)
#   pf2_pf_up [ADDR/LEN]       PF up with carrier (bails)
#   pf2_enable_vfs N           N VFs without autoprobe, disabled at exit
#   pf2_vf_pci N               PCI address of VF N
#   pf2_vf_mac N               MAC the PF reports for VF N
#   pf2_checker_plan CHECKER   sets PF2_SCHEMA, and PF2_PLAN = the number of
#                              checks the Python CHECKER (YNL library)
#                              declares (bails; call it in the main shell)
#   pf2_run_checker CHECKER N  run CHECKER on PF 0 (pf2_load_pf first): one
#                              KTAP line per check it reports, a failure
#                              per check of N it did not, and one for its
#                              exit status
#   pf2_bind_vf N DRV NS ADDR [RXRING]
#                              bind DRV to VF N (RX ring size RXRING), move
#                              its netdev into a new namespace NS, up,
#                              ADDR/LEN, wait for carrier
#                              (the caller defers "ip netns del NS": this
#                              usually runs in ktap_result's subshell)

PF2_SPEC=$SRIOV_TOP/Documentation/netlink/specs/sriov.yaml
PF2_PY=/usr/bin/python3

pf2_need_ynl() {
	PF2_YNL=$(ksrc_ynl 2>&1) || ktap_bail "$PF2_YNL"
}

sriov() {
	$PF2_PY "$SRIOV_TOP/tests/lib/ynl_libyaml.py" "$PF2_YNL" --spec "$PF2_SPEC" --no-schema --output-json "$@"
}

pf2_checker_plan() {
	PF2_SCHEMA=$PF2_YNL/../../../Documentation/netlink/genetlink.yaml
	[ -f "$PF2_SCHEMA" ] || ktap_bail "no genetlink schema at $PF2_SCHEMA (make ksrc)"
	PF2_PLAN=$($PF2_PY "$1" --plan)
	if [ $? != 0 ] || ! [ "$PF2_PLAN" -gt 0 ] 2>/dev/null; then
		ktap_bail "$(basename "$1") does not declare its plan"
	fi
}

pf2_run_checker() {
	local checker=$1 n=$2 name out rc got=0 l i
	name=$(basename "$checker")
	out=$($PF2_PY "$checker" "$PF2_YNL" "$PF2_SPEC" "$PF2_SCHEMA" "$ifindex" "$SRIOV_PF0" 2>&1)
	rc=$?
	while IFS= read -r l; do
		case "$l" in
		"ok "*) got=$((got + 1)); ktap_pass "${l#ok [0-9]* }" ;;
		"not ok "*) got=$((got + 1)); ktap_fail "${l#not ok [0-9]* }" ;;
		"#"*) echo "$l" ;;
		"KTAP"*|"1.."*) ;;
		*) echo "# $l" ;;
		esac
	done <<<"$out"
	# a checker that stopped early: each check it did not report fails
	for ((i = got; i < n; i++)); do
		ktap_fail "$name check $((i + 1)) of $n not reported"
	done
	ktap_result "$name reported $got of $n checks and exited 0 (exit $rc)" \
		test "$rc" = 0 -a "$got" = "$n"
}

pf2_load_pf() {
	[ -n "${SRIOV_PF0:-}" ] || ktap_bail "no 82576 PF in the lab"
	modprobe sriov_pf || ktap_bail "sriov_pf does not load"
	defer rmmod sriov_pf
	pf=$(wait_pci_netdev "$SRIOV_PF0" 10) || ktap_bail "no PF netdev"
	# shellcheck disable=SC2034 # for the tests (netlink requests)
	ifindex=$(cat "/sys/class/net/$pf/ifindex")
	dev=/sys/bus/pci/devices/$SRIOV_PF0
}

pf2_pf_up() {
	ip link set "$pf" up
	[ -n "${1:-}" ] && ip addr add "$1" dev "$pf"
	wait_carrier "$pf" 20 || ktap_bail "no PF carrier"
}

pf2_enable_vfs() {
	echo 0 >"$dev/sriov_drivers_autoprobe"
	echo "$1" >"$dev/sriov_numvfs" || ktap_bail "cannot enable $1 VFs"
	defer sh -c "echo 0 > $dev/sriov_numvfs"
}

pf2_vf_pci() { basename "$(readlink -f "$dev/virtfn$1")"; }

pf2_vf_mac() {
	ip -j link show "$pf" | jq -r ".[0].vfinfo_list[$1].address"
}

pf2_bind_vf() {
	local vf vfdev

	vf=$(pf2_vf_pci "$1")
	if [ "$2" = sriov_vf ]; then
		modprobe sriov_vf 2>/dev/null ||
			insmod "$SRIOV_TOP/kernel/vf/sriov_vf.ko" || return 1
	else
		modprobe "$2" || return 1
	fi
	echo "$2" >"/sys/bus/pci/devices/$vf/driver_override"
	echo "$vf" >/sys/bus/pci/drivers_probe
	vfdev=$(wait_pci_netdev "$vf" 10) || { echo "VF $1: no netdev"; return 1; }
	[ -n "${5:-}" ] && ethtool -G "$vfdev" rx "$5" >/dev/null 2>&1
	ip netns add "$3" || return 1
	ip link set "$vfdev" netns "$3" || return 1
	ip -n "$3" link set lo up
	ip -n "$3" link set "$vfdev" up
	ip -n "$3" addr add "$4" dev "$vfdev"
	wait_carrier "$vfdev" 30 "$3" || { echo "VF $1: no carrier"; return 1; }
}

# pf2_bind_vfs VF:DRIVER:NS:ADDR/LEN...: pf2_bind_vf for each, then each
# answers the external host's ping (15 s at most, each).
pf2_bind_vfs() {
	local spec i drv ns addr

	for spec in "$@"; do
		IFS=: read -r i drv ns addr <<<"$spec"
		pf2_bind_vf "$i" "$drv" "$ns" "$addr" || return 1
	done
	for spec in "$@"; do
		IFS=: read -r i drv ns addr <<<"$spec"
		slowwait 15 ping_ok ext0 "${addr%/*}" || { echo "VF $i unreachable"; return 1; }
	done
}
