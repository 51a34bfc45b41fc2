#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 300
#
# The NIC switch's capacity through sriovd (Documentation/networking/
# sriov_switch.rst "Capacity"): sriov_pf with a small limit of MAC filters
# on the default VPort (module parameter default_mac_filters_max), then
#   - sriovd reports the switch's capacity per PF (status, JSON and text)
#   - partitions on the synthetic path up to the limit are all created
#   - the partition beyond it is refused with the limit named and rolled
#     back (nothing of it left in the kernel or in sriovd)
#   - removing one partition makes room for the next
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/vm/daemon_lib.bash"

LIMIT=12
NVF=2
PARAM=/sys/module/sriov_pf/parameters/default_mac_filters_max

ktap_header
[ -n "${SRIOV_PF0:-}" ] || ktap_bail "lab without an 82576 PF"
dmn_require
[ -w "$PARAM" ] || ktap_bail "sriov_pf without the default_mac_filters_max parameter"
old=$(cat "$PARAM")
defer sh -c "echo $old > $PARAM"
# read when the switch is created: before the VFs are enabled
echo 0 >"/sys/bus/pci/devices/$SRIOV_PF0/sriov_numvfs"
echo $LIMIT >"$PARAM" || ktap_bail "default_mac_filters_max=$LIMIT refused"
dmn_vfs "$SRIOV_PF0" $NVF || ktap_bail "cannot enable $NVF VFs on PF0"
dmn_start || ktap_bail "sriovd does not start: $(tail -n 2 "$DMN_LOG")"
defer sh -c "kill -9 \$(cat $DMN_STATE/pid) 2>/dev/null"
ktap_plan 6

ktap_result "the module parameter is range checked (0 and 1025 refused)" \
	sh -c "! echo 0 > $PARAM 2>/dev/null && ! echo 1025 > $PARAM 2>/dev/null && [ \$(cat $PARAM) = $LIMIT ]"

mac_of() { printf '02:00:5e:31:00:%02x\n' "$1"; }
# the switch as sriovd reports it: KEY of PF 0's "switch" object
sw() { dmn_ctl --json status | jq -r --arg pf "$SRIOV_PF0" ".result.pfs[] | select(.name == \$pf) | .switch.$1"; }
base=
report() {
	local max free
	max=$(sw default_mac_filters_max) base=$(sw default_mac_filters) free=$(sw mac_filters_free)
	echo "default-VPort MAC filters $base of $max, exact entries free $free"
	[ "$max" = $LIMIT ] && [[ $base =~ ^[0-9]+$ ]] && [[ $free =~ ^[0-9]+$ ]] &&
		dmn_ctl status | grep -q "$base/$LIMIT"
}
ktap_result "sriovd reports the switch's capacity (limit $LIMIT, JSON and text)" report ||
	ktap_bail "no capacity to work with"

# weight 0: never a VF, every partition stays on the synthetic path
add() { dmn_ctl partition add "c$1" --pf "$SRIOV_PF0" --mac "$(mac_of "$1")" --weight 0; }
N=$((LIMIT - base))
fill() {
	local i
	for ((i = 1; i <= N; i++)); do
		add $i >/dev/null || { echo "partition add c$i failed"; return 1; }
	done
	[ "$(sw default_mac_filters)" = $LIMIT ] || { echo "default-VPort filters: $(sw default_mac_filters)"; return 1; }
	dmn_audit && dmn_kernel_check $(seq -f 'c%g' 1 $N)
}
ktap_result "$N partitions on the synthetic path fill the switch to its limit, audit consistent, kernel check clean" fill

beyond() {
	local out
	if out=$(add $((N + 1)) 2>&1); then
		echo "partition c$((N + 1)) beyond the limit was created: $out"
		return 1
	fi
	echo "refused: $out"
	grep -Eq "\b$LIMIT (MAC filters|default-VPort)" <<<"$out" && grep -Eqi "limit|full" <<<"$out" ||
		{ echo "the limit is not named"; return 1; }
	! dmn_ctl --json list | jq -e --arg p "c$((N + 1))" '.result[] | select(.name == $p)' >/dev/null ||
		{ echo "c$((N + 1)) left in sriovd"; return 1; }
	# no host port left (its MAC filter: dmn_kernel_check, no admin
	# filter that no partition owns)
	! ip -d -o link show type sriov_netvsc | grep -q "alias sriovd:c$((N + 1)):" ||
		{ echo "a host port of c$((N + 1)) left"; return 1; }
	[ "$(sw default_mac_filters)" = $LIMIT ] && dmn_audit && dmn_kernel_check $(seq -f 'c%g' 1 $N)
}
ktap_result "the partition beyond the limit is refused with the limit named, rolled back" beyond

room() {
	dmn_ctl partition remove c1 || return 1
	dmn_idle 30 || return 1
	[ "$(sw default_mac_filters)" = $((LIMIT - 1)) ] || { echo "after the remove: $(sw default_mac_filters)"; return 1; }
	add $((N + 1)) || return 1
	[ "$(sw default_mac_filters)" = $LIMIT ] && dmn_audit && dmn_kernel_check $(seq -f 'c%g' 2 $((N + 1)))
}
ktap_result "removing one partition makes room for the next" room
teardown() { dmn_ctl partition remove --all && dmn_idle 60 && dmn_kernel_empty; }
ktap_result "teardown: nothing left in the kernel" teardown
dmn_stop
ktap_finished
