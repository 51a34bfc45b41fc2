#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 300
#
# Every operation of the "sriov" generic-netlink family, with bad input
# (errno + extack), events and privilege checks, through the kernel's YNL
# library; then the kernel's YNL CLI (tools/net/ynl/cli.py), a client no one
# here wrote, driven only by our spec.
. "$SRIOV_TOP/tests/lib/ktap.sh"

[ -n "${SRIOV_PF0:-}" ] || ktap_bail "no 82576 PF in the lab"
spec=$SRIOV_TOP/Documentation/netlink/specs/sriov.yaml
ynl=$(ksrc_ynl 2>&1) || ktap_bail "$ynl"
schema=$ynl/../../../Documentation/netlink/genetlink.yaml
[ -f "$schema" ] || ktap_bail "no genetlink schema at $schema (make ksrc)"
py=/usr/bin/python3
checker=$SRIOV_TOP/tests/vm/pf2_netlink.py

# part 1's size is what the checker declares, before it runs
n=$($py "$checker" --plan)
if [ $? != 0 ] || ! [ "$n" -gt 0 ] 2>/dev/null; then
	ktap_bail "pf2_netlink.py does not declare its plan"
fi
ktap_header
ktap_plan $((n + 6))

modprobe sriov_pf || ktap_bail "sriov_pf does not load"
defer rmmod sriov_pf
pf=$(wait_pci_netdev "$SRIOV_PF0" 10) || ktap_bail "no PF netdev"
ip link set "$pf" up
dev=/sys/bus/pci/devices/$SRIOV_PF0
echo 0 >"$dev/sriov_drivers_autoprobe"
echo 2 >"$dev/sriov_numvfs" || ktap_bail "cannot enable VFs"
defer sh -c "echo 0 > $dev/sriov_numvfs"
ifindex=$(cat "/sys/class/net/$pf/ifindex")
spoof_default() {
	local on
	on=$(ip link show "$pf" | grep -c "spoof checking on")
	echo "$on of 2 VFs report spoof checking on"
	test "$on" = 2
}
ktap_result "every VF reports spoof checking on by default" spoof_default

# part 1: the YNL library, one KTAP line per check, renumbered here
out=$($py "$checker" "$ynl" "$spec" "$schema" "$ifindex" "$SRIOV_PF0" 2>&1)
rc=$?
got=0
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
	ktap_fail "pf2_netlink.py check $((i + 1)) of $n not reported"
done
ktap_result "pf2_netlink.py reported $got of $n checks and exited 0 (exit $rc)" \
	test "$rc" = 0 -a "$got" = "$n"

# part 2: the YNL CLI
# the first call validates the spec against the kernel's genetlink schema
cli() { $py "$ynl/cli.py" --spec "$spec" --schema "$schema" --output-json "$@"; }
cli_fast() { $py "$ynl/cli.py" --spec "$spec" --no-schema --output-json "$@"; }
cli_switch() {
	local o
	o=$(cli --do switch-get --json "{\"ifindex\": $ifindex}") || return 1
	echo "$o"
	jq -e --arg a "$SRIOV_PF0" '."num-vfs" == 2 and ."pci-addr" == $a' <<<"$o" >/dev/null
}
ktap_result "YNL CLI: switch-get" cli_switch
cli_alloc() {
	local o
	o=$(cli_fast --do vf-alloc --json "{\"ifindex\": $ifindex, \"vf-id\": 0, \"serial\": 77, \"mac\": \"02005e10cc01\"}") || return 1
	jq -e '."vf-state" == "allocated" and .serial == 77 and .mac == "02:00:5e:10:cc:01"' <<<"$o" >/dev/null
}
ktap_result "YNL CLI: vf-alloc with serial and MAC" cli_alloc
cli_dump() {
	local o
	o=$(cli_fast --dump vf-get --json "{\"ifindex\": $ifindex}") || return 1
	jq -e 'length == 2 and (.[0]."vf-state" == "allocated")' <<<"$o" >/dev/null
}
ktap_result "YNL CLI: vf-get dump" cli_dump
cli_error() {
	local o
	o=$(cli_fast --do vport-del --json "{\"ifindex\": $ifindex, \"vport-id\": 0}" 2>&1) && return 1
	echo "$o" | tail -n 3
	grep -q "cannot be deleted" <<<"$o"
}
ktap_result "YNL CLI: refused vport-del shows the extack" cli_error
cli_fast --do vf-free --json "{\"ifindex\": $ifindex, \"vf-id\": 0}" >/dev/null
ktap_finished
