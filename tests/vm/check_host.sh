#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 2
# timeout: 600
#
# make check-host's runner (tools/host/check-host) in the lab, against the
# emulated NICs, named in a configuration file as on a lab host:
#  - bad configurations are refused (exit 2) with the problem named and no
#    test run: an unknown key, shell syntax, a PF that is not an 82576, a
#    PF bound to igb, an EXT that carries an address, a missing EXT, a
#    missing file
#  - --list: the tests that need QEMU's monitor ("# lab-only:") and, with
#    one PF configured, those that need two are skipped, the rest run
#  - a run of two of the lab's tests and two made here: the lab's pass,
#    one that fails is reported as failed (exit 1), and what the last one
#    left behind (a process that left its session, a namespace holding
#    the EXT netdev under another name, a link, a module, a sysctl) is put
#    back; the modules the lab's tests loaded are unloaded again
. "$SRIOV_TOP/tests/lib/ktap.sh"

CH=$SRIOV_TOP/tools/host/check-host
W=$SRIOV_OUT/ch
rm -rf "$W"
mkdir -p "$W"
ktap_header
ktap_plan 12
[ -n "${SRIOV_PF1:-}" ] && [ -n "${SRIOV_EXT1:-}" ] || ktap_bail "lab without two 82576 PFs"

conf() {	# FILE LINE...
	local f=$1
	shift
	printf '%s\n' "$@" >"$f"
}
conf "$W/one.conf" "# the lab's NIC 0 and the external host on its wire" \
	"SRIOV_PF0=$SRIOV_PF0" "SRIOV_EXT0=$SRIOV_EXT0   # used only for tests"
conf "$W/two.conf" "SRIOV_PF0=$SRIOV_PF0" "SRIOV_EXT0=$SRIOV_EXT0" \
	"SRIOV_PF1=$SRIOV_PF1" "SRIOV_EXT1=$SRIOV_EXT1"

# refused TEXT LINE...: a configuration of LINEs is refused with exit 2
# and a message holding TEXT, and no test ran
refused() {
	local want=$1 out rc
	shift
	conf "$W/bad.conf" "$@"
	out=$("$CH" --config "$W/bad.conf" --out "$W/bad" pf_ctl_errors 2>&1)
	rc=$?
	echo "exit $rc: $out"
	[ $rc = 2 ] && [[ $out == *"$want"* ]] && [ ! -e "$W/bad" ]
}
ktap_result "an unknown key: refused, the key named" \
	refused "unknown key 'SRIOV_PF2'" "SRIOV_PF0=$SRIOV_PF0" "SRIOV_EXT0=$SRIOV_EXT0" "SRIOV_PF2=x"
# shellcheck disable=SC2016 # the file's text, not expanded here
ktap_result "shell syntax is not run: refused as a bad value" \
	refused "is not a PCI address" 'SRIOV_PF0=$(touch /tmp/ch-ran)' "SRIOV_EXT0=$SRIOV_EXT0"
ktap_result "a PF that is not an 82576 (the external host's virtio NIC): refused" \
	refused "is not an 82576" "SRIOV_PF0=$SRIOV_EXT0_PCI" "SRIOV_EXT0=$SRIOV_EXT0"
ktap_result "no EXT: refused" refused "SRIOV_PF0 and SRIOV_EXT0 are required" "SRIOV_PF0=$SRIOV_PF0"
addr_on_ext() {
	ip addr add 198.18.77.1/24 dev "$SRIOV_EXT0" || return 1
	refused "carries this host's address(es) 198.18.77.1" "SRIOV_PF0=$SRIOV_PF0" "SRIOV_EXT0=$SRIOV_EXT0"
	local rc=$?
	ip addr flush dev "$SRIOV_EXT0"
	return $rc
}
ktap_result "an EXT that carries an address: refused" addr_on_ext
igb_bound() {
	local rc
	modprobe igb || return 1
	slowwait 10 test -e "/sys/bus/pci/drivers/igb/$SRIOV_PF0" || { echo "igb did not bind"; rmmod igb; return 1; }
	refused "bound to igb" "SRIOV_PF0=$SRIOV_PF0" "SRIOV_EXT0=$SRIOV_EXT0"
	rc=$?
	rmmod igb
	return $rc
}
ktap_result "a PF bound to igb: refused, the unbind named" igb_bound
no_file() {
	local out rc
	out=$("$CH" --config "$W/none.conf" pf_ctl_errors 2>&1)
	rc=$?
	echo "exit $rc: $out"
	[ $rc = 2 ] && [[ $out == *"none.conf: No such file"* ]] && [ ! -e /tmp/ch-ran ]
}
ktap_result "a missing file: refused; nothing in a file was ever run" no_file

listed() {	# CONF TEST WANT: --list says WANT ("run" or a skip reason) for TEST
	local line
	line=$("$CH" --config "$1" --list | awk -v t="$2" '$1 == t')
	echo "$2: $line"
	[[ $line == *"$3"* ]]
}
list_one() {
	listed "$W/one.conf" pf_link "skip: lab only: flaps the wire" &&
		listed "$W/one.conf" daemon_e2e "skip: needs 2 82576 PFs, the configuration gives 1" &&
		listed "$W/one.conf" vf_basic_sriov_pf run
}
ktap_result "--list, one PF: the monitor's tests and the two-NIC tests skipped, the rest run" list_one
list_two() {
	listed "$W/two.conf" daemon_e2e run && listed "$W/two.conf" pf_hotunplug "skip: lab only"
}
ktap_result "--list, two PFs: the two-NIC tests run" list_two

# two tests of this run's own: one fails, one leaves things behind
cat >"$W/t_fail.sh" <<'EOF'
#!/bin/bash
# timeout: 30
echo "not ok 1 made to fail"
exit 1
EOF
cat >"$W/t_leak.sh" <<'EOF'
#!/bin/bash
# timeout: 60
setsid sleep 1000 </dev/null >/dev/null 2>&1 &
ip netns add ch_leak
ip link set "$SRIOV_EXT0" netns ch_leak
ip -n ch_leak link set "$SRIOV_EXT0" name chmoved
ip link add ch_dummy type dummy
modprobe bonding max_bonds=0
sysctl -qw net.ipv4.ip_forward=$((1 - $(sysctl -n net.ipv4.ip_forward)))
echo "ok 1 left things behind"
EOF
fwd0=$(sysctl -n net.ipv4.ip_forward)
"$CH" --config "$W/one.conf" --out "$W/run" pf_ctl_vport_id pf_ctl_errors \
	"$W/t_fail.sh" "$W/t_leak.sh" >"$W/run.tap" 2>&1
run_rc=$?
ktap_diag "$(grep -vE '^# (#|KTAP|1\.\.|ok|not ok)' "$W/run.tap" | tail -n 30)"
verdicts() {
	grep -E '^(not )?ok [0-9]' "$W/run.tap"
	echo "exit $run_rc"
	[ $run_rc = 1 ] &&
		grep -qx "ok 1 pf_ctl_vport_id" "$W/run.tap" &&
		grep -qx "ok 2 pf_ctl_errors" "$W/run.tap" &&
		grep -qx "not ok 3 t_fail" "$W/run.tap" &&
		grep -qx "ok 4 t_leak" "$W/run.tap"
}
ktap_result "the lab's two tests pass, the failing one fails the run (exit 1), KTAP per test" verdicts
put_back() {
	local log=$W/run/t_leak/reset.log
	cat "$log"
	grep -q "^killed leftover process" "$log" && grep -qx "deleted netns ch_leak" "$log" &&
		grep -qx "deleted link ch_dummy" "$log" && grep -qx "unloaded bonding" "$log" &&
		grep -q "renamed $SRIOV_EXT0\$" "$log" &&
		! pgrep -x sleep >/dev/null && ! ip netns list | grep -q ch_leak &&
		[ -e "/sys/class/net/$SRIOV_EXT0" ] && [ "$(sysctl -n net.ipv4.ip_forward)" = "$fwd0" ] &&
		! grep -q "^bonding " /proc/modules
}
ktap_result "what a test left behind is put back (process, namespace, EXT name, link, module, sysctl)" put_back
modules_gone() {
	local m left=
	for m in sriov_pf sriov_vf; do grep -q "^$m " /proc/modules && left="$left $m"; done
	[ -z "$left" ] || { echo "still loaded:$left"; return 1; }
	[ ! -e "/sys/bus/pci/devices/$SRIOV_PF0/driver" ] || { echo "PF0 still has a driver"; return 1; }
}
ktap_result "after the run: the project's modules unloaded, PF0 without a driver as before" modules_gone
ktap_finished
