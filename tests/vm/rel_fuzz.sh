#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 600
#
# Fuzzing (Documentation/reliability.rst): the "sriov" genl family with
# random and malformed messages, the VF config-space proxy with random
# offsets and lengths, and the mailbox from a hostile VF through its BAR.
# The first pass sends switch-new and switch-del aimed at no device (the
# switch under test stays); a last pass fuzzes those two on the PF.
# Afterwards the family still answers, the switch cleans up to a fresh
# state, a VF driver still completes its handshake on the fuzzed VF and a
# mailbox request on the other VF; the harness fails the run on any kernel
# report.  Arguments (the short make-check run by default; `make soak`
# passes the long one): GENL_MSGS CFG_MSGS MBX_MSGS [SEED [CTL_MSGS]]
# (SEED defaults to $SOAK_SEED, else the time; a run repeats with its SEED).
# sriovd's control socket gets CTL_MSGS garbage messages while it manages
# the PF (real backend).
. "$SRIOV_TOP/tests/lib/ktap.sh"

GENL_N=${1:-3000}
CFG_N=${2:-1000}
MBX_N=${3:-10000}
SEED=${4:-${SOAK_SEED:-$(date +%s)}}
CTL_N=${5:-1000}
build=${SRIOV_BUILD:-$SRIOV_TOP/build/cmake}
[ -n "${SRIOV_PF0:-}" ] || ktap_bail "no 82576 PF in the lab"
ynl=$(ksrc_ynl 2>&1) || ktap_bail "$ynl"
py=/usr/bin/python3
spec=$SRIOV_TOP/Documentation/netlink/specs/sriov.yaml
uapi=$SRIOV_TOP/include/uapi/linux/sriov.h
sriov() { $py "$SRIOV_TOP/tests/lib/ynl_libyaml.py" "$ynl" --spec "$spec" --no-schema --output-json "$@"; }

ktap_header
ktap_plan 12
ktap_diag "seed $SEED: genl $GENL_N, cfg $CFG_N, mailbox $MBX_N messages"
modprobe sriov_pf || ktap_bail "sriov_pf does not load"
defer rmmod sriov_pf
modprobe sriov_vf || ktap_bail "sriov_vf does not load"
defer rmmod sriov_vf
pf=$(wait_pci_netdev "$SRIOV_PF0" 10) || ktap_bail "no PF netdev"
ifindex=$(cat "/sys/class/net/$pf/ifindex")
ip link set "$pf" up
dev=/sys/bus/pci/devices/$SRIOV_PF0
echo 0 >"$dev/sriov_drivers_autoprobe"
echo 2 >"$dev/sriov_numvfs" || ktap_bail "cannot enable VFs"
defer sh -c "echo 0 > $dev/sriov_numvfs"
vf0=$(basename "$(readlink -f "$dev/virtfn0")")
vf1=$(basename "$(readlink -f "$dev/virtfn1")")
echo sriov_vf >"/sys/bus/pci/devices/$vf1/driver_override"
echo "$vf1" >/sys/bus/pci/drivers_probe
vfdev1=$(wait_pci_netdev "$vf1" 10) || ktap_bail "VF 1 did not probe"

# the fuzzer may disable VF 1 through its config space: watch VF 0 and 1
fuzz() {
	local out
	out=$($py "$SRIOV_TOP/tools/rel/genl_fuzz.py" "$@" 2>&1)
	local rc=$?
	echo "$out" | tail -5
	return $rc
}
ktap_result "genl: $GENL_N random/malformed messages, every reply well-formed" \
	fuzz "$spec" "$uapi" "$ifindex" "$SRIOV_PF0" "$GENL_N" "$SEED" --keep-switch
ktap_result "cfg proxy: $CFG_N reads/writes at random offsets and lengths" \
	fuzz "$spec" "$uapi" "$ifindex" "$SRIOV_PF0" "$CFG_N" "$SEED" --cfg-only
# VF 0: no driver; its BAR decodes once the function is enabled
echo 1 >"/sys/bus/pci/devices/$vf0/enable"
# the C version (build/rel/mbx_fuzz from `make fuzz`, or compiled here),
# the Python one if there is no compiler
mbx_tool() {
	local bin=$SRIOV_TOP/build/rel/mbx_fuzz src=$SRIOV_TOP/tools/rel/mbx_fuzz.c
	if [ -x "$bin" ] && [ "$bin" -nt "$src" ]; then
		echo "$bin"
	elif cc -O2 -o /tmp/mbx_fuzz "$src" 2>/dev/null; then
		echo /tmp/mbx_fuzz
	else
		echo "$py $SRIOV_TOP/tools/rel/mbx_fuzz.py"
	fi
}
mbx_fuzz() {
	local out rx tool
	tool=$(mbx_tool)
	echo "fuzzer: $tool"
	# shellcheck disable=SC2086
	out=$($tool "$vf0" "$MBX_N" "$SEED") || return 1
	echo "$out"
	rx=$(sriov --do vf-get --json "{\"ifindex\": $ifindex, \"vf-id\": 0}" |
		jq '."mbx-rx" + ."mbx-dropped"')
	echo "PF counted $rx messages from VF 0 (served + dropped by the rate limit)"
	# every reply a valid mailbox reply, every paced reset handshake done,
	# every paced request answered (the fuzzer runs the reset handshake
	# first when an FLR or its abuse of VFU may have cost it its CTS)
	jq -e '.bad == 0 and .resets > 0 and .resets_ok == .resets and
		.expected > 0 and .answered == .expected' <<<"$out" >/dev/null &&
		[ "$rx" -gt 0 ]
}
ktap_result "mailbox: $MBX_N messages from VF 0's BAR, every reply valid, every paced request answered" mbx_fuzz
echo 0 >"/sys/bus/pci/devices/$vf0/enable"

if [ ! -x "$build/daemon/sriovd" ]; then
	ktap_fail "sriovd control socket fuzz"
	ktap_diag "sriovd not built: $build/daemon/sriovd"
	ktap_fail "sriovd stops cleanly"
elif ! modprobe sriov_netvsc; then
	ktap_fail "sriovd control socket fuzz"
	ktap_diag "sriov_netvsc does not load"
	ktap_fail "sriovd stops cleanly"
else
	defer rmmod sriov_netvsc
	st=/tmp/sriovd-fuzz
	mkdir -p $st
	"$build/daemon/sriovd" --backend=real --state-dir $st --socket $st/s.sock \
		--pf "$SRIOV_PF0" >"$SRIOV_OUT/sriovd.log" 2>&1 &
	spid=$!
	defer kill -9 $spid
	busywait 20000 test -S $st/s.sock || ktap_diag "sriovd made no socket in 20 s"
	ktap_result "sriovd control socket: $CTL_N garbage messages, still answering" \
		$py "$SRIOV_TOP/tools/rel/ctl_fuzz.py" $st/s.sock $spid "$CTL_N" "$SEED"
	kill $spid
	wait $spid
	ktap_result "sriovd stops cleanly afterwards (exit 0)" test $? = 0
fi

ktap_result "the family answers switch-get" \
	sriov --do switch-get --json "{\"ifindex\": $ifindex}"
# clean up whatever the fuzzer created, with well-formed requests: the
# filters, then the VPorts, then the VFs, in one netlink batch (--multi:
# the requests go in this order and each must be acknowledged)
cleanup() {
	local id dels=()
	for id in $(sriov --dump filter-get --json "{\"ifindex\": $ifindex}" | jq -r '.[]."filter-id"'); do
		dels+=(--multi filter-del "{\"ifindex\": $ifindex, \"filter-id\": $id}")
	done
	for id in $(sriov --dump vport-get --json "{\"ifindex\": $ifindex}" | jq -r '.[] | select(."is-default" == null) | ."vport-id"'); do
		dels+=(--multi vport-del "{\"ifindex\": $ifindex, \"vport-id\": $id}")
	done
	for id in $(sriov --dump vf-get --json "{\"ifindex\": $ifindex}" | jq -r '.[] | select(."vf-state" == "allocated") | ."vf-id"'); do
		dels+=(--multi vf-free "{\"ifindex\": $ifindex, \"vf-id\": $id}")
	done
	ktap_diag "deleting $((${#dels[@]} / 3)) objects the fuzzers left"
	if [ ${#dels[@]} -gt 0 ]; then
		sriov "${dels[@]}" >/dev/null || return 1
	fi
	sriov --do switch-get --json "{\"ifindex\": $ifindex}" |
		jq -e '."num-vports" == 1' >/dev/null
}
ktap_result "everything the fuzzer created is deleted cleanly" cleanup

# the fuzzers may have disabled VF 1 (config space) or sriovd moved its
# netdev to a partition: a fresh bind
[ -e "/sys/bus/pci/devices/$vf1/driver" ] &&
	echo "$vf1" >"/sys/bus/pci/devices/$vf1/driver/unbind"
echo sriov_vf >"/sys/bus/pci/devices/$vf1/driver_override"
echo "$vf1" >/sys/bus/pci/drivers_probe
vfdev1=$(wait_pci_netdev "$vf1" 10)
mtu_ok() { ip link set "$vfdev1" mtu 1400 && ip link set "$vfdev1" up; }
ktap_result "VF 1 (sriov_vf): a mailbox request is answered" slowwait 20 mtu_ok
echo sriov_vf >"/sys/bus/pci/devices/$vf0/driver_override"
echo "$vf0" >/sys/bus/pci/drivers_probe
cts0() {
	sriov --do vf-get --json "{\"ifindex\": $ifindex, \"vf-id\": 0}" |
		jq -e '."mbx-cts" == 1' >/dev/null
}
ktap_result "VF 0 after the mailbox fuzz: sriov_vf completes its handshake" \
	slowwait 30 cts0
sriov --do vf-get --json "{\"ifindex\": $ifindex, \"vf-id\": 0}" |
	jq -c '{"mbx-rx", "mbx-nack", "mbx-dropped", "flr-count"}' | ktap_diag "$(cat)"
echo 0 >"$dev/sriov_numvfs"
fresh() {
	echo 2 >"$dev/sriov_numvfs" &&
	sriov --do switch-get --json "{\"ifindex\": $ifindex}" |
		jq -e '."num-vports" == 1 and ."mac-filters-free" == ."mac-filters-max" and ."vlan-filters-free" == ."vlan-filters-max"'
}
ktap_result "SR-IOV off and on: a fresh switch" fresh
SW_N=$((GENL_N / 10))
ktap_result "switch-new/switch-del on the PF: $SW_N random messages, every reply well-formed" \
	fuzz "$spec" "$uapi" "$ifindex" "$SRIOV_PF0" "$SW_N" "$SEED" --switch-only
# whatever switch the fuzzer left: well-formed requests delete it and
# create a fresh one with 2 VFs
renew() {
	if sriov --do switch-get --json "{\"ifindex\": $ifindex}" |
		jq -e '."num-vfs" > 0' >/dev/null; then
		sriov --do switch-del --json "{\"ifindex\": $ifindex}" >/dev/null || return 1
	fi
	sriov --do switch-new --json "{\"ifindex\": $ifindex, \"num-vfs\": 2}" >/dev/null &&
	[ "$(cat "$dev/sriov_numvfs")" = 2 ] &&
	sriov --do switch-get --json "{\"ifindex\": $ifindex}" |
		jq -e '."num-vfs" == 2 and ."num-vports" == 1 and ."mac-filters-free" == ."mac-filters-max"'
}
ktap_result "afterwards switch-del and switch-new give a fresh switch" renew
ktap_finished
