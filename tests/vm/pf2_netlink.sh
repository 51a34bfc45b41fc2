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
. "$SRIOV_TOP/tests/lib/pf2_lib.sh"

[ -n "${SRIOV_PF0:-}" ] || ktap_bail "no 82576 PF in the lab"
pf2_need_ynl
py=$PF2_PY
ynl=$PF2_YNL
spec=$PF2_SPEC
checker=$SRIOV_TOP/tests/vm/pf2_netlink.py

# part 1's size is what the checker declares, before it runs
pf2_checker_plan "$checker"
n=$PF2_PLAN
schema=$PF2_SCHEMA
ktap_header
ktap_plan $((n + 6))

pf2_load_pf
ip link set "$pf" up
pf2_enable_vfs 2
spoof_default() {
	local on
	on=$(ip link show "$pf" | grep -c "spoof checking on")
	echo "$on of 2 VFs report spoof checking on"
	test "$on" = 2
}
ktap_result "every VF reports spoof checking on by default" spoof_default

# part 1: the YNL library, one KTAP line per check, renumbered here
pf2_run_checker "$checker" "$n"

# part 2: the YNL CLI
# the first call validates the spec against the kernel's genetlink schema
cli() { $py "$SRIOV_TOP/tests/lib/ynl_libyaml.py" "$ynl" --spec "$spec" --schema "$schema" --output-json "$@"; }
cli_fast() { $py "$SRIOV_TOP/tests/lib/ynl_libyaml.py" "$ynl" --spec "$spec" --no-schema --output-json "$@"; }
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
