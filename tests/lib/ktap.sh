#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KTAP output, deferred cleanup and waiting helpers for the in-VM tests,
# in the spirit of tools/testing/selftests/kselftest/ktap_helpers.sh and
# net/lib.sh (written fresh for this project).
#
#   . "$SRIOV_TOP/tests/lib/ktap.sh"
#   ktap_header; ktap_plan 3
#   ktap_result "pf link up" wait_carrier "$dev" 15
#   ktap_skip "vf mac" "driver lacks ndo_set_vf_mac"
#   ktap_finished
#
# Exit codes follow kselftest: 0 pass, 1 fail, 4 skip.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_XFAIL=2
KSFT_SKIP=4

__ktap_n=0
__ktap_pass=0
__ktap_fail=0
__ktap_skip=0
__ktap_plan=
__ktap_t0=$EPOCHREALTIME
__defer=()

# jq: the tests' JSON queries run with gojq when it is there (tools/setup.sh
# installs it): the same query language, and it starts in about an eighth
# of jq 1.6's time, which in the TCG lab is 0.45 s against 0.06 s a call
# and a test makes hundreds of them.  Exact 64-bit integers, and objects
# print with their keys sorted.
if command -v gojq >/dev/null 2>&1; then
	jq() { gojq "$@"; }
fi

ktap_header() { echo "KTAP version 1"; }
ktap_plan() { __ktap_plan=$1; echo "1..$1"; }
ktap_diag() { local l; while IFS= read -r l; do echo "# $l"; done <<<"$*"; }

ktap_pass() { __ktap_n=$((__ktap_n + 1)); __ktap_pass=$((__ktap_pass + 1)); echo "ok $__ktap_n $1"; }
ktap_fail() { __ktap_n=$((__ktap_n + 1)); __ktap_fail=$((__ktap_fail + 1)); echo "not ok $__ktap_n $1"; }
ktap_skip() {
	__ktap_n=$((__ktap_n + 1)); __ktap_skip=$((__ktap_skip + 1))
	echo "ok $__ktap_n $1 # SKIP ${2:-}"
}

# ktap_result DESC CMD...: run CMD; its output, then how long it took and
# when it ended (seconds since ktap.sh was sourced), become diagnostics.
# Any non-zero exit is a failure: a command's exit code never turns into a
# skip (sriovctl, for one, exits 4 for "permission denied").  A check that
# needs an external prerequisite tests for it and calls ktap_skip itself.
ktap_result() {
	# (bash scopes dynamically: the names of these locals are seen by CMD,
	# so none may be a name a test uses, such as t0)
	local desc=$1 out rc __ktap_rt0=$EPOCHREALTIME
	shift
	out=$("$@" 2>&1)
	rc=$?
	[ -n "$out" ] && ktap_diag "$out"
	ktap_diag "$(awk -v s="$__ktap_t0" -v a="$__ktap_rt0" -v b="$EPOCHREALTIME" \
		'BEGIN { printf "took %.1f s, at %.1f s", b - a, b - s }')"
	if [ $rc = 0 ]; then
		ktap_pass "$desc"
	else
		ktap_fail "$desc"
		ktap_diag "exit status $rc: $*"
	fi
	return $rc
}

# slow_s SECONDS: a liveness bound (how long to wait for something that
# must happen, not how fast it must be), times 4 with KSFT_MACHINE_SLOW=yes
slow_s() {
	if [ "${KSFT_MACHINE_SLOW:-no}" = yes ]; then echo $(($1 * 4)); else echo "$1"; fi
}

# ktap_bail REASON: abort the whole test as failed.  For everything the
# project itself does (build, load, bind, enable VFs, start sriovd, answer
# netlink): its failure is a FAIL, never a skip.
ktap_bail() { echo "Bail out! $*"; exit $KSFT_FAIL; }

# ktap_skip_all REASON: nothing can run here, because an external
# prerequisite that a user may lack is missing (DPDK, vfio, a second NIC, a
# debug kernel).  `make check` lists every skip and fails on one that is not
# on tests/skip-allow.txt.
ktap_skip_all() { echo "1..0 # SKIP $*"; exit $KSFT_SKIP; }

ktap_print_totals() {
	echo "# Totals: pass:$__ktap_pass fail:$__ktap_fail xfail:0 xpass:0 skip:$__ktap_skip error:0"
}

# ktap_finished: totals, then exit 0 if everything planned passed or was
# skipped, 4 if every test skipped, 1 otherwise.
ktap_finished() {
	ktap_print_totals
	if [ -n "$__ktap_plan" ] && [ "$__ktap_n" != "$__ktap_plan" ]; then
		echo "# planned $__ktap_plan tests but ran $__ktap_n"
		exit $KSFT_FAIL
	fi
	[ "$__ktap_fail" -gt 0 ] && exit $KSFT_FAIL
	[ "$__ktap_n" -gt 0 ] && [ "$__ktap_skip" = "$__ktap_n" ] && exit $KSFT_SKIP
	exit $KSFT_PASS
}

# defer CMD...: run CMD at exit, last registered first.
defer() { __defer+=("$(printf '%q ' "$@")"); }
__run_defer() {
	local i
	for ((i = ${#__defer[@]} - 1; i >= 0; i--)); do
		eval "${__defer[$i]}" >/dev/null 2>&1
	done
	__defer=()
}
trap __run_defer EXIT

# busywait TIMEOUT_MS CMD...: retry CMD every 50 ms until it succeeds.
busywait() {
	local timeout=$1 start now
	shift
	start=${EPOCHREALTIME/./}
	while true; do
		"$@" && return 0
		now=${EPOCHREALTIME/./}
		[ $(((now - start) / 1000)) -ge "$timeout" ] && return 1
		sleep 0.05
	done
}

# slowwait TIMEOUT_S CMD...: retry CMD every 0.5 s.
slowwait() {
	local timeout=$1 i
	shift
	for ((i = 0; i < timeout * 2; i++)); do
		"$@" && return 0
		sleep 0.5
	done
	"$@"
}

require_cmd() {
	command -v "$1" >/dev/null 2>&1 || ktap_skip_all "$1 is not installed"
}

# pci_netdev BDF: the netdev of a PCI function (empty if none).
pci_netdev() { ls "/sys/bus/pci/devices/$1/net" 2>/dev/null | head -n1; }

# ns_ether_dev NS: the namespace's (first) Ethernet device: not lo, nor the
# sit0/ip6tnl0 fallback devices a loaded tunnel module adds to every
# namespace
ns_ether_dev() {
	ip -n "$1" -o link show | awk -F': ' '/link\/ether/ { sub(/@.*/, "", $2); print $2; exit }'
}

# wait_pci_netdev BDF TIMEOUT_S: wait for a PCI function's netdev, print it.
wait_pci_netdev() {
	local i n
	for ((i = 0; i < $2 * 10; i++)); do
		n=$(pci_netdev "$1")
		[ -n "$n" ] && { echo "$n"; return 0; }
		sleep 0.1
	done
	return 1
}

__carrier() { [ "$(cat "/sys/class/net/$1/carrier" 2>/dev/null)" = 1 ]; }
# wait_carrier DEV TIMEOUT_S [NETNS]
wait_carrier() {
	if [ -n "${3:-}" ]; then
		slowwait "$2" ip netns exec "$3" bash -c "[ \"\$(cat /sys/class/net/$1/carrier 2>/dev/null)\" = 1 ]"
	else
		slowwait "$2" __carrier "$1"
	fi
}

# ext_ns_setup [0|1]: the external host of hub N in netns extN, addresses
# 198.18.N.1/24 and 2001:db8:N::1/64.
ext_ns_setup() {
	local i=${1:-0} dev var
	var=SRIOV_EXT$i
	dev=${!var}
	[ -n "$dev" ] || { echo "no external host NIC for hub $i"; return 1; }
	ip netns add "ext$i" || return 1
	defer ip netns del "ext$i"
	ip link set "$dev" netns "ext$i" || return 1
	# back to the initial namespace first: a namespace lives on after
	# `ip netns del` while anything still holds it (a socket, say), and
	# the NIC with it: minutes after pf_loadunload on the debug kernel
	defer ip -n "ext$i" link set "$dev" netns 1
	ip -n "ext$i" link set lo up
	ip -n "ext$i" link set "$dev" up || return 1
	ip -n "ext$i" addr add "198.18.$i.1/24" dev "$dev"
	ip -n "ext$i" addr add "2001:db8:$i::1/64" dev "$dev" nodad
}

# Hot-plug of the lab's 82576 NIC N: QEMU device pfN on root port rpN, its
# wire on hub N, driven through the monitor channel (tools/vm/qemu-monitor).
# q35 signals hot-unplug through ACPI: the guest kernel needs
# HOTPLUG_PCI_ACPI (acpiphp), or the request never reaches a driver.
LAB_MON=$SRIOV_TOP/tools/vm/qemu-monitor

# lab_nic_unplug N BDF: device_del the NIC, wait until BDF is gone and say
# after how long.  1 if it is still there or the monitor channel (the
# harness's own, tools/vm/run) does not answer.
lab_nic_unplug() {
	local t0=$SECONDS rc
	"$LAB_MON" "device_del pf$1" >/dev/null || { echo "monitor unavailable"; return 1; }
	slowwait "$(slow_s 30)" test ! -e "/sys/bus/pci/devices/$2"
	rc=$?
	if [ $rc = 0 ]; then
		echo "removed after $((SECONDS - t0)) s"
	else
		echo "device still present after $((SECONDS - t0)) s"
	fi
	return $rc
}

# lab_nic_plug N BDF: device_add the NIC again (same port, wire and MAC as
# tools/vm/run gave it) and wait for BDF.  QEMU answers "Duplicate device
# ID" while the old device is still there.
lab_nic_plug() {
	local out
	out=$("$LAB_MON" "device_add igb,bus=rp$1,id=pf$1,netdev=hn$1,mac=52:54:00:12:0$1:01,romfile=") ||
		return 1
	[ -n "$out" ] && echo "$out"
	[[ $out != *Error* ]] || return 1
	slowwait "$(slow_s 30)" test -e "/sys/bus/pci/devices/$2"
}

# in_ns NS CMD...: run CMD in netns NS (or here if NS is empty).
in_ns() {
	local ns=$1
	shift
	if [ -n "$ns" ]; then ip netns exec "$ns" "$@"; else "$@"; fi
}

# iperf3_tcp SERVER_NS CLIENT_NS DST SECONDS [PORT [IPERF3_ARGS...]]: one
# iperf3 TCP run (namespace "" is the initial one); prints "X.Y Mbit/s, N
# bytes" as received.  Fails when the run fails or no byte arrived: a
# check that data flows, not of speed (the debug kernel moves under 1
# Mbit/s at times).
iperf3_tcp() {
	local srv=$1 cli=$2 dst=$3 t=$4 port=${5:-5201} out bytes

	if [ $# -ge 5 ]; then shift 5; else shift $#; fi
	in_ns "$srv" iperf3 -s -1 -D -p "$port" >/dev/null 2>&1 || return 1
	sleep 0.5
	out=$(in_ns "$cli" timeout $((t + 55)) iperf3 -J -p "$port" -c "$dst" -t "$t" "$@") ||
		return 1
	bytes=$(jq '.end.sum_received.bytes' <<<"$out")
	echo "$(jq '.end.sum_received.bits_per_second / 1e5 | floor / 10' <<<"$out") Mbit/s, $bytes bytes"
	[ "${bytes:-0}" -gt 0 ]
}

# ping_ok [NS] DST: 3 pings within 10 s.
ping_ok() { in_ns "$1" ping -c 3 -i 0.2 -W 2 -w 10 -q "$2" >/dev/null; }

# kernel_log_mark: remember where the kernel log ends now;
# kernel_log_clean: no WARN, BUG, Oops, lockdep, KFENCE or refcount report
# in it since (the first 5 such lines printed when there is one)
KTAP_KLOG_BAD='WARNING:|BUG:|Oops|general protection|refcount_t|list_add corruption|list_del corruption|lockdep|KFENCE'
kernel_log_mark() { KTAP_KLOG_MARK=$(dmesg | wc -l); }
kernel_log_clean() {
	local bad
	bad=$(dmesg | tail -n +"$((${KTAP_KLOG_MARK:-0} + 1))" | grep -E "$KTAP_KLOG_BAD")
	[ -z "$bad" ] && return 0
	echo "$bad" | head -5
	return 1
}

# ksrc_ynl: the kernel's tools/net/ynl (library, CLI, generator) that
# `make check` extracts from Debian's linux-source into build/ksrc
# (tools/ksrc.sh) before any test runs; prints its path.  Fails, saying
# so, when it is not there: the project prepares it, so its absence is the
# project's failure, not a missing prerequisite.
ksrc_ynl() {
	local d=$SRIOV_TOP/build/ksrc/linux-source-6.12/tools/net/ynl
	if [ -f "$d/cli.py" ] && [ -f "$d/lib/ynl.py" ]; then
		echo "$d"
		return 0
	fi
	echo "no YNL tree at $d (make ksrc)" >&2
	return 1
}
