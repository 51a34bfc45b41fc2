#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 300
# lab-only: flaps the wire through QEMU's monitor (set_link)
#
# The PF's unsolicited messages against a VF request that is pending: VF 0
# (no driver, its mailbox driven through its BAR by pf2_mbx_race.py)
# posts a request while the PF's mailbox worker is held off (fault knob
# mbx_delay_ms), and a PF-side action sends it an unsolicited message
# meanwhile: PF_CONFIG (ip link set PF vf 0 spoofchk off/on) and the
# PF_CONTROL ping of a link change (QEMU set_link off/on).  The PF must
# answer the request, and deliver its own message after the VF took the
# reply, instead of writing it over the request.
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/pf2_lib.sh"

py=$PF2_PY
ROUNDS=${PF2_MBX_RACE_ROUNDS:-2}

ktap_header
ktap_plan 4

pf2_load_pf
pf2_pf_up
pf2_enable_vfs 2
vf0=$(pf2_vf_pci 0)
vf0_mac=$(pf2_vf_mac 0)
knob=/sys/kernel/debug/sriov_pf/$SRIOV_PF0/fault/mbx_delay_ms
[ -w "$knob" ] || ktap_bail "no fault knob $knob"
defer sh -c "echo 0 > $knob"
# VF 0: no driver; its BAR decodes once the function is enabled
echo 1 >"/sys/bus/pci/devices/$vf0/enable"
defer sh -c "echo 0 > /sys/bus/pci/devices/$vf0/enable"

race() {
	local out rc
	out=$($py "$SRIOV_TOP/tests/vm/pf2_mbx_race.py" "$vf0" "$vf0_mac" \
		"$knob" "$ROUNDS" "$@" 2>&1)
	rc=$?
	echo "$out"
	return $rc
}
ktap_result "PF_CONFIG (spoofchk off/on) while VF 0's request is pending: the request answered, PF_CONFIG after it" \
	race config "ip link set $pf vf 0 spoofchk off" \
	"ip link set $pf vf 0 spoofchk on"
defer "$LAB_MON" "set_link pf0 on"
ktap_result "PF_CONTROL ping (wire link off/on) while VF 0's request is pending: the request answered, the ping after it" \
	race ping "$LAB_MON 'set_link pf0 off'" "$LAB_MON 'set_link pf0 on'"
"$LAB_MON" "set_link pf0 on" >/dev/null
ktap_result "PF carrier back" wait_carrier "$pf" 20
ktap_result "every fault knob back at 0" test "$(cat "$knob")" = 0
ktap_finished
