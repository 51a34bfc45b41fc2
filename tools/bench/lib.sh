#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the benchmark cases (tools/bench/cases/*.sh), sourced inside
# the lab VM.  A case records what it measured with bench_record and what it
# could not measure with bench_fail; tools/bench/bench.sh turns the records
# into build/bench/results.json.  See Documentation/performance.rst.
#
#   . "$SRIOV_TOP/tools/bench/lib.sh"
#   pf=$(bench_pf_up 0) || bench_abort "no PF"
#   mbps=$(bench_iperf "" 198.18.0.2 ext0 6 pf_rx) &&
#       bench_record pf_tcp_rx_mbps "$BENCH_SIDE" "$mbps" Mbit/s "igb PF"
#
# Every helper that creates something registers its cleanup with defer
# (tests/lib/ktap.sh), so a case leaves the lab as it found it.

. "$SRIOV_TOP/tests/lib/ktap.sh"

# A timeout (SIGTERM from guest.sh) still runs the deferred cleanup.
trap 'exit 143' TERM INT

BENCH_CASE=${BENCH_CASE:-$(basename "$0" .sh)}
BENCH_SIDE=${BENCH_SIDE:-anchor}
BENCH_RAW=${BENCH_RAW:-$SRIOV_OUT/bench}
BENCH_METRICS=${BENCH_METRICS:-$SRIOV_OUT/metrics.jsonl}
BENCH_RATE=${BENCH_RATE:-2000}		# sequenced stream, packets/s
BENCH_IDLE_MS=${BENCH_IDLE_MS:-8000}	# receiver gives up after this silence
# The stream's ends run SCHED_FIFO, so that the guest's own scheduling
# (iperf3, ip, the other end) does not add to the gaps.
BENCH_RT=${BENCH_RT-chrt -f 20}
SEQUDP=${SEQUDP:-$SRIOV_TOP/build/cmake/tools/traffic/sriov-sequdp}
# The stream's sender: kernel (sriov-sequdp, a UDP socket) or dpdk
# (sriov-dpdk-sequdp through DPDK's af_packet PMD on the sender's netdev).
BENCH_SENDER=${BENCH_SENDER:-kernel}
DSEQUDP=${DSEQUDP:-$SRIOV_TOP/build/cmake/tools/traffic/sriov-dpdk-sequdp}
# A variant of a case records its metrics under its own names
# (BENCH_METRIC_PREFIX, e.g. dpdk_) and measures only the metrics that
# match BENCH_ONLY (an extended regex; empty: all), see bench_wants.
BENCH_METRIC_PREFIX=${BENCH_METRIC_PREFIX:-}
BENCH_ONLY=${BENCH_ONLY:-}
mkdir -p "$BENCH_RAW"

# Well-known addresses: the external host of hub N is 198.18.N.1 (in netns
# extN, see ext_ns_setup), the child's address is 198.18.0.10.
# shellcheck disable=SC2034 # used by the cases
BENCH_CHILD_IP=198.18.0.10
# shellcheck disable=SC2034
BENCH_EXT_IP=198.18.0.1

# --- time and logging --------------------------------------------------------

# bench_us: wall clock in microseconds, without a fork ($EPOCHREALTIME).
bench_us() { local t=$EPOCHREALTIME; echo $((10#${t/./})); }

bench_log() { printf '# %s %s: %s\n' "$(date +%T.%3N)" "$BENCH_CASE" "$*"; }

# bench_abort MSG: end the case (deferred cleanup runs).
bench_abort() { bench_log "ABORT: $*"; exit 1; }

# bench_sriov_pf N VFS: lab PF N on sriov_pf with the project's modules
# loaded (dmn_modules, tests/vm/daemon_lib.bash), its netdev (BENCH_PF) up
# with carrier, VFS VFs enabled (sriov_vf binds them; disabled at exit).
# Says why and returns 1 on failure.
bench_sriov_pf() {
	local var=SRIOV_PF$1 why
	local bdf=${!var} sys
	sys=/sys/bus/pci/devices/$bdf
	if [ -e "$sys/driver" ]; then
		echo "$bdf" >"$sys/driver/unbind" || { bench_log "could not unbind PF $1"; return 1; }
	fi
	why=$(dmn_modules) || { bench_log "$why"; return 1; }
	[ -e "$sys/driver" ] || echo "$bdf" >/sys/bus/pci/drivers/sriov_pf/bind
	BENCH_PF=$(wait_pci_netdev "$bdf" 15) || { bench_log "sriov_pf created no netdev"; return 1; }
	ip link set "$BENCH_PF" up
	wait_carrier "$BENCH_PF" 30 || { bench_log "PF $1: no carrier"; return 1; }
	modprobe -r igbvf 2>/dev/null
	echo "$2" >"$sys/sriov_numvfs" || { bench_log "sriov_pf could not enable VFs"; return 1; }
	defer bench_vfs_disable "$1"
}

# bench_sriovd_vm1 PF MAC IP TAG: sriovd started afresh on the lab's PFs
# (an empty journal; its log copied to $BENCH_RAW/TAG.sriovd.log at exit)
# and partition vm1 on PF with MAC, IP/24 on its adapter nv0; vm1 removed
# and sriovd stopped at exit.  The case sources tests/vm/daemon_lib.bash.
# Says why and returns 1 when sriovd or the partition fails.
bench_sriovd_vm1() {
	local pf=$1 mac=$2 ip=$3 tag=$4 out
	rm -rf "$DMN_STATE"
	: >"$DMN_LOG"
	defer cp "$DMN_LOG" "$BENCH_RAW/$tag.sriovd.log"
	dmn_start || { bench_log "sriovd did not start: $(tail -n 2 "$DMN_LOG")"; return 1; }
	defer dmn_stop
	out=$(dmn_ctl partition add vm1 --pf "$pf" --mac "$mac" 2>&1) ||
		{ bench_log "partition add failed: $out"; return 1; }
	defer dmn_ctl partition remove vm1
	ip -n vm1 link set lo up
	ip -n vm1 link set nv0 up
	ip -n vm1 addr add "$ip/24" dev nv0
}

# --- records -------------------------------------------------------------------

# bench_record METRIC SIDE VALUE UNIT SETUP: one measured value (with the
# round, BENCH_ROUND, when guest.sh runs the case in rounds).
bench_record() {
	local line
	line=$(jq -cn --arg m "$BENCH_METRIC_PREFIX$1" --arg s "$2" --argjson v "$3" --arg u "$4" \
		--arg setup "$5" --arg c "$BENCH_CASE" --argjson r "${BENCH_ROUND:-0}" \
		'{metric: $m, side: $s, value: $v, unit: $u, setup: $setup, case: $c}
		 + (if $r > 0 then {round: $r} else {} end)
		 | if (.value | type) != "number" then error("not a number") else . end' \
		2>/dev/null) || {
		bench_fail "$1" "$2" "$4" "$5" "not a number: '$3'"
		return 1
	}
	echo "$line" >>"$BENCH_METRICS"
	bench_log "RESULT $BENCH_METRIC_PREFIX$1 [$2, $5] = $3 $4"
}

# bench_fail METRIC SIDE UNIT SETUP REASON: a measurement that did not work.
bench_fail() {
	jq -cn --arg m "$BENCH_METRIC_PREFIX$1" --arg s "$2" --arg u "$3" --arg setup "$4" --arg r "$5" \
		--arg c "$BENCH_CASE" \
		'{metric: $m, side: $s, value: null, unit: $u, setup: $setup, case: $c,
		  reason: $r}' >>"$BENCH_METRICS"
	bench_log "FAILED $BENCH_METRIC_PREFIX$1 [$2, $4]: $5"
}

# bench_wants METRIC: whether this run of the case measures METRIC (see
# BENCH_ONLY); a case skips the work behind a metric it does not want.
bench_wants() { [ -z "$BENCH_ONLY" ] || [[ $1 =~ $BENCH_ONLY ]]; }

# bench_try FUNC [ARGS...]: run FUNC in a subshell with its own deferred
# cleanup (a subshell does not inherit the EXIT trap); returns its status.
bench_try() {
	(
		__defer=()
		trap __run_defer EXIT
		trap 'exit 143' TERM INT
		"$@"
	)
}

# --- lab plumbing ------------------------------------------------------------

# bench_pf_up N: igb on PF N, link up with carrier; prints the netdev.
bench_pf_up() {
	local var=SRIOV_PF$1 dev
	[ -n "${!var:-}" ] || { echo "no PF $1 in the lab" >&2; return 1; }
	modprobe igb || return 1
	# igb binds the PF unless another driver had it (a project case).
	[ -e "/sys/bus/pci/devices/${!var}/driver" ] ||
		echo "${!var}" >/sys/bus/pci/drivers/igb/bind 2>/dev/null
	dev=$(wait_pci_netdev "${!var}" 15) || { echo "igb made no netdev" >&2; return 1; }
	ip link set "$dev" up || return 1
	wait_carrier "$dev" 30 || { echo "$dev: no carrier" >&2; return 1; }
	echo "$dev"
}

# bench_vfs_enable N COUNT: COUNT VFs on PF N, no driver autoprobe; removed
# at exit.  Call it in the case's shell (not in $(...)) so the defer sticks.
bench_vfs_enable() {
	local var=SRIOV_PF$1 sys
	sys=/sys/bus/pci/devices/${!var}
	echo 0 >"$sys/sriov_drivers_autoprobe" || return 1
	defer bench_vfs_disable "$1"
	echo "$2" >"$sys/sriov_numvfs"
}

bench_vfs_disable() {
	local var=SRIOV_PF$1
	echo 0 >"/sys/bus/pci/devices/${!var}/sriov_numvfs"
}

# bench_vf_bdf N I: the PCI address of VF I of PF N.
bench_vf_bdf() {
	local var=SRIOV_PF$1
	basename "$(readlink -f "/sys/bus/pci/devices/${!var}/virtfn$2")"
}

# bench_vf_bind BDF [DRIVER]: bind DRIVER (default igbvf) to a VF (autoprobe
# is off, so through driver_override); prints the netdev.
bench_vf_bind() {
	local drv=${2:-igbvf}
	modprobe "$drv" || return 1
	echo "$drv" >"/sys/bus/pci/devices/$1/driver_override" || return 1
	echo "$1" >/sys/bus/pci/drivers_probe 2>/dev/null
	wait_pci_netdev "$1" 15
}

# bench_vf_pin_irqs BDF: fixed CPUs for a VF's MSI-X vectors, the same for
# every PF and VF driver: entry 1 (RX on igbvf and sriov_vf) and entry 2
# (mailbox) to CPU 0, entry 0 (TX) to CPU $BENCH_VF_TX_CPU (1 when the VM has
# two CPUs).  Call it after the VF's link is up (igbvf requests its IRQs in
# ndo_open).  Left alone, the kernel puts each vector on the CPU with the
# fewest vectors when it is requested, so the placement of the VF's vectors
# depended on how many IRQs the PF driver had requested (igb 3, sriov_pf 2),
# and under TCG the placement alone moved VF throughput by 1.3-1.5x
# (Documentation/performance.rst).  Prints "IRQ->CPU" pairs for the log.
bench_vf_pin_irqs() {
	local dir=/sys/bus/pci/devices/$1/msi_irqs irq entry cpu name out=
	local tx=${BENCH_VF_TX_CPU:-$(($(nproc) > 1 ? 1 : 0))}
	[ -d "$dir" ] || { echo "$1: no MSI-X vectors" >&2; return 1; }
	for irq in $(find "$dir" -mindepth 1 -printf "%f\n" | sort -n); do
		# PCI/MSI hwirq: the MSI-X entry in bits 10:0
		entry=$(($(cat "/sys/kernel/irq/$irq/hwirq") & 0x7ff))
		cpu=0
		[ "$entry" = 0 ] && cpu=$tx
		echo "$cpu" >"/proc/irq/$irq/smp_affinity_list" || return 1
		name=$(awk -v i="$irq:" '$1 == i {print $NF}' /proc/interrupts)
		out="$out $irq(entry $entry ${name:-?})->$cpu"
	done
	echo "${out# }"
}

bench_vf_unbind() { echo "$1" >/sys/bus/pci/drivers/igbvf/unbind; }

# bench_ns NAME: a network namespace with lo up, deleted at exit.
bench_ns() {
	ip netns add "$1" || return 1
	defer ip netns del "$1"
	ip -n "$1" link set lo up
}

# bench_ext N: the external host of hub N in netns extN (deleted at exit).
bench_ext() { ext_ns_setup "$1" >/dev/null; }

# bench_neigh NS IP MAC: a permanent neighbour entry on the external host's
# NIC, so that no ARP timer shapes a measurement (the MAC is known).
bench_neigh() {
	local dev
	dev=$(ns_ether_dev "$1")
	ip -n "$1" neigh replace "$2" lladdr "$3" dev "${4:-$dev}" nud permanent
}

# bench_bridge NAME PORT...: a bridge (no STP, no forwarding delay) holding
# the given ports, removed at exit.
bench_bridge() {
	local br=$1 p
	shift
	ip link add "$br" type bridge stp_state 0 forward_delay 0 || return 1
	defer ip link del "$br"
	for p in "$@"; do
		ip link set "$p" master "$br" || return 1
	done
	ip link set "$br" up
}

# bench_veth HOSTEND NS CHILDEND: a veth pair, CHILDEND moved into NS.
bench_veth() {
	ip link add "$1" type veth peer name "$3" || return 1
	defer ip link del "$1"
	ip link set "$3" netns "$2" || return 1
	ip link set "$1" up
}

# bench_reset: put the lab back into its start state (guest.sh calls it
# between cases, in case one died before its cleanup).
bench_reset() {
	local ns br i var
	for ns in $(ip netns list | awk '{print $1}'); do ip netns del "$ns"; done
	for br in $(ip -o link show type bridge | awk -F': ' '{print $2}') \
		$(ip -o link show type bond | awk -F': ' '{print $2}') \
		$(ip -o link show type veth | awk -F': ' '{print $2}'); do
		ip link del "${br%@*}" 2>/dev/null
	done
	for i in 0 1; do
		var=SRIOV_PF$i
		[ -n "${!var:-}" ] || continue
		[ -e "/sys/bus/pci/devices/${!var}/sriov_numvfs" ] &&
			echo 0 >"/sys/bus/pci/devices/${!var}/sriov_numvfs" 2>/dev/null
		# the PCI core's default: bench_vfs_enable turns it off, and
		# 25-project-attach relies on sriov_vf probing its VFs
		echo 1 >"/sys/bus/pci/devices/${!var}/sriov_drivers_autoprobe" 2>/dev/null
	done
	# The project's drivers, if a project case left them loaded: the
	# anchor cases bind the in-tree igb and igbvf.
	modprobe -r sriov_netvsc sriov_vf sriov_pf 2>/dev/null
	sleep 1		# netns teardown is asynchronous; the NICs come back
}

# bench_dpdk_variant SETUP CASE: run stream case CASE (a file name in
# tools/bench/cases) with the external host's stream sent by DPDK: its
# streams only (no-switch, planned, surprise) as dpdk_* metrics, in a raw
# directory of its own (the streams keep the tags of CASE).  Does not return.
bench_dpdk_variant() {
	export BENCH_SENDER=dpdk BENCH_METRIC_PREFIX=dpdk_
	export BENCH_RAW=$BENCH_RAW/$BENCH_CASE
	mkdir -p "$BENCH_RAW"
	export BENCH_ONLY='^(noswitch_gap_ms|planned_failover|surprise)'
	bench_dpdk_ready "$1" || exit 0
	exec bash "$SRIOV_TOP/tools/bench/cases/$2"
}

# bench_dpdk_ready SETUP: whether the DPDK stream tool and its af_packet PMD
# are there; if not, every stream metric of the case is recorded as failed
# with the reason (call it with BENCH_METRIC_PREFIX set).
bench_dpdk_ready() {
	local why='' m
	[ -x "$DSEQUDP" ] || why="sriov-dpdk-sequdp not built (no libdpdk?): $DSEQUDP"
	[ -n "$why" ] || ls /usr/lib/x86_64-linux-gnu/dpdk/pmds-*/librte_net_af_packet.so \
		>/dev/null 2>&1 || why="DPDK af_packet PMD not installed"
	[ -z "$why" ] && return 0
	for m in noswitch_gap_ms planned_failover_blackout_ms surprise_blackout_ms; do
		bench_fail "$m" "$BENCH_SIDE" ms "$1" "$why"
	done
	for m in planned_failover_lost surprise_lost; do
		bench_fail "$m" "$BENCH_SIDE" packets "$1" "$why"
	done
	return 1
}

# bench_lab_names: set and export SRIOV_EXT0/SRIOV_EXT1 to the current names
# of the external hosts' NICs, found by their PCI addresses.  The names the
# harness found at boot do not last: while a case has ext0's NIC in a netns,
# a PF driver that binds takes the free name (sriov_pf's PF 0 became eth0
# after 25-project-attach), and the NIC, back from the deleted netns, gets
# another one; 55-project-migration then moved "eth0", the PF, into its
# netns world, and sriovd did not find PF 0 in its switch dump.  guest.sh
# calls this after every bench_reset; the NIC may take a moment to come
# back from a deleted netns.
bench_lab_names() {
	local i var pci n t
	for i in 0 1; do
		var=SRIOV_EXT${i}_PCI
		pci=${!var:-}
		[ -n "$pci" ] || continue
		n=
		for ((t = 0; t < 100; t++)); do
			n=$(ls /sys/bus/pci/devices/"$pci"/virtio*/net 2>/dev/null | head -n1)
			[ -n "$n" ] && break
			sleep 0.1
		done
		[ -n "$n" ] || { echo "# bench: external host NIC $pci has no netdev here"; continue; }
		var=SRIOV_EXT$i
		[ "${!var:-}" != "$n" ] && echo "# bench: SRIOV_EXT$i is now $n (was ${!var:-unset})"
		export "SRIOV_EXT$i=$n"
	done
}

# --- failover (30-project-failover, 45-anchor-failover-netfailover) --------

# bench_switch_run TAG SETUP LOST_METRIC GAP_METRIC ACTION RECV_NS DST: a 10 s
# stream from ext0 to DST (the child, receiver in RECV_NS), ACTION 3 s in;
# records the loss and the blackout (bench_seq_record).  Returns 1 when the
# stream itself failed (the caller records why).
bench_switch_run() {
	local tag=$1 action=$5
	bench_seq_start "$tag" "$6" ext0 "$7" 10 || return 1
	bench_seq_at 3000
	bench_log "$tag: $action"
	$action
	bench_seq_wait "$tag" || return 1
	bench_seq_record "$tag" "$2" "$3" "$4"
}

# bench_tcp_survival SETUP TAG SERVER_NS SERVER_IP ON_PRIMARY FAILOVER BACK:
# $BENCH_TCP_RUNS (4) iperf3 TCP runs of 10 s from ext0 to the child, each
# across one switch 3 s in: FAILOVER when ON_PRIMARY says the data path is
# the VF, else BACK (so they alternate).  A run survived if iperf3 ended
# without error and its last second carried data.  Records tcp_survived_pct.
bench_tcp_survival() {
	local setup=$1 tag=$2 ns=$3 ip=$4 r runs=0 survived=0 sw ipid
	for ((r = 1; r <= ${BENCH_TCP_RUNS:-4}; r++)); do
		if $5; then sw=$6; else sw=$7; fi
		(
			bench_iperf "$ns" "$ip" ext0 10 "$tag$r" >/dev/null || exit 1
			jq -e '.intervals[-1].sum.bytes > 0' "$BENCH_RAW/$tag$r.iperf3.json" >/dev/null
		) &
		ipid=$!
		sleep 3
		$sw
		if wait $ipid; then
			survived=$((survived + 1))
			bench_log "tcp run $r ($sw): survived"
		else
			bench_log "tcp run $r ($sw): connection broke or stalled"
		fi
		runs=$((runs + 1))
	done
	[ $runs -gt 0 ] && bench_record tcp_survived_pct "$BENCH_SIDE" $((100 * survived / runs)) % \
		"$setup: $runs runs, alternately failover and back"
}

# --- migration (50-anchor-migration, 55-project-migration) ------------------

# bench_world: the two hubs made one L2 network: both external hosts' NICs
# in netns world (deleted at exit), bridged by wbr with $BENCH_EXT_IP/24.
bench_world() {
	[ -n "${SRIOV_EXT1:-}" ] || { echo "needs --nics 2" >&2; return 1; }
	bench_ns world || return 1
	ip link set "$SRIOV_EXT0" netns world || return 1
	ip link set "$SRIOV_EXT1" netns world || return 1
	ip -n world link add wbr type bridge stp_state 0 forward_delay 0 || return 1
	ip -n world link set "$SRIOV_EXT0" master wbr || return 1
	ip -n world link set "$SRIOV_EXT1" master wbr || return 1
	for d in "$SRIOV_EXT0" "$SRIOV_EXT1" wbr; do ip -n world link set "$d" up; done
	ip -n world addr add "$BENCH_EXT_IP/24" dev wbr
}

# bench_migration_run TAG SETUP ACTION RECV_NS: a 10 s stream from the world
# to the child ($BENCH_CHILD_IP in RECV_NS), ACTION 3 s in; records
# migration_blackout_ms (null with the reason when it cannot).  Returns 1
# when the stream itself failed.
bench_migration_run() {
	local tag=$1 setup=$2 action=$3 rns=$4
	if bench_seq_start "$tag" "$rns" world "$BENCH_CHILD_IP" 10; then
		bench_seq_at 3000
		$action
		if bench_seq_wait "$tag"; then
			bench_seq_record "$tag" "$setup" "" migration_blackout_ms
			bench_log "migration lost $SEQ_LOST packets"
			return 0
		fi
	fi
	bench_fail migration_blackout_ms "$BENCH_SIDE" ms "$setup" "stream failed"
	return 1
}

# --- TCP throughput (iperf3) -------------------------------------------------

__bench_listening() { in_ns "$1" ss -ltnH "sport = :$2" | grep -q .; }

# bench_iperf SERVER_NS SERVER_IP CLIENT_NS SECONDS TAG [CLIENT_ARGS...]:
# prints the receiver's Mbit/s (for -R that is the client).  The iperf3 JSON
# goes to $BENCH_RAW/TAG.iperf3.json.
bench_iperf() {
	local sns=$1 sip=$2 cns=$3 secs=$4 tag=$5 port=5201 spid rc mbps
	shift 5
	# one raw file per round when the case runs in rounds
	[ "${BENCH_ROUND:-0}" -gt 0 ] && tag=$tag.round$BENCH_ROUND
	in_ns "$sns" iperf3 -s -1 -p $port >/dev/null 2>&1 &
	spid=$!
	if ! busywait 10000 __bench_listening "$sns" $port; then
		kill "$spid" 2>/dev/null
		echo "iperf3 server did not listen" >&2
		return 1
	fi
	timeout $((secs + 30)) ip netns exec "$cns" iperf3 -c "$sip" -p $port -t "$secs" -O 1 -J \
		--connect-timeout 5000 "$@" >"$BENCH_RAW/$tag.iperf3.json" 2>&1
	rc=$?
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	mbps=$(jq -e '.end.sum_received.bits_per_second / 1e6 | . * 10 | round / 10' \
		"$BENCH_RAW/$tag.iperf3.json" 2>/dev/null)
	if [ $rc != 0 ] || [ -z "$mbps" ]; then
		echo "iperf3 failed (exit $rc): $(jq -r '.error // empty' "$BENCH_RAW/$tag.iperf3.json" 2>/dev/null)" >&2
		return 1
	fi
	echo "$mbps"
}

# --- a VF in a child netns (10-anchor-tcp, 16-project-igbvf, 17-project-vf-tcp)

BENCH_VF_MAC=${BENCH_VF_MAC:-02:00:5e:10:00:01}

# bench_vf_child PF_NETDEV VF_BDF DRIVER: VF 0 of the PF (at VF_BDF) with
# the admin MAC $BENCH_VF_MAC, DRIVER bound, moved into netns child
# ($BENCH_CHILD_IP, removed at exit), carrier, its vectors pinned
# (bench_vf_pin_irqs), answering ext0's ping.  Sets BENCH_VFDEV.  Call it
# in the case's shell or a bench_try (not in $(...)): the netns is deferred.
bench_vf_child() {
	local pf=$1 vf=$2
	ip link set "$pf" vf 0 mac "$BENCH_VF_MAC" || { echo "admin MAC refused" >&2; return 1; }
	BENCH_VFDEV=$(bench_vf_bind "$vf" "$3") || { echo "$3 did not bind $vf" >&2; return 1; }
	bench_ns child || return 1
	ip link set "$BENCH_VFDEV" netns child || return 1
	ip -n child addr add "$BENCH_CHILD_IP/24" dev "$BENCH_VFDEV"
	ip -n child link set "$BENCH_VFDEV" up
	wait_carrier "$BENCH_VFDEV" 30 child || { echo "VF: no carrier" >&2; return 1; }
	bench_log "VF IRQ->CPU: $(bench_vf_pin_irqs "$vf")"
	slowwait 15 ping_ok ext0 "$BENCH_CHILD_IP" || { echo "VF: no ping" >&2; return 1; }
}

# bench_vf_tcp METRIC SIDE SETUP TAG: iperf3 ext0 -> VF (METRIC_rx_mbps)
# and VF -> ext0 (METRIC_tx_mbps, -R) with the VF of bench_vf_child.
bench_vf_tcp() {
	local m=$1 side=$2 setup=$3 tag=$4 v dir rev
	for dir in rx tx; do
		rev=
		[ $dir = tx ] && rev=-R
		# shellcheck disable=SC2086 # $rev: no argument for rx
		if v=$(bench_iperf child "$BENCH_CHILD_IP" ext0 "${BENCH_TCP_SECS:-6}" "${tag}_$dir" $rev); then
			bench_record "${m}_${dir}_mbps" "$side" "$v" Mbit/s "$setup"
		else
			bench_fail "${m}_${dir}_mbps" "$side" Mbit/s "$setup" "iperf3 failed"
		fi
	done
}

# --- sequenced UDP stream (tools/traffic/sriov-sequdp) -----------------------
#
# __bench_exec_ns NS CMD...: exec CMD in NS, so that $! is CMD itself.
__bench_exec_ns() {
	local ns=$1
	shift
	[ -n "$ns" ] && exec ip netns exec "$ns" "$@"
	exec "$@"
}

# bench_seq_start TAG RECV_NS SEND_NS DST SECONDS: a receiver in RECV_NS and
# a paced stream at $BENCH_RATE packets/s from SEND_NS to DST.  Returns when
# both run; bench_seq_wait TAG collects the result.  The receiver stops when
# it has every packet, or $BENCH_IDLE_MS after the last one arrived.
bench_seq_start() {
	local tag=$1 rns=$2 sns=$3 dst=$4 secs=$5 port=${BENCH_SEQ_PORT:-9000}
	rm -f "$BENCH_RAW/$tag".*
	[ -x "$SEQUDP" ] || { echo "no $SEQUDP (build userspace first)" >&2; return 1; }
	(
		# The receiver's own pid (for SIGINT) and the time it ended: an
		# incomplete stream ends it BENCH_IDLE_MS after the last arrival.
		# shellcheck disable=SC2086 # BENCH_RT is a command prefix
		__bench_exec_ns "$rns" $BENCH_RT "$SEQUDP" recv --port "$port" --idle-ms "$BENCH_IDLE_MS" \
			--timeout $((secs + BENCH_IDLE_MS / 1000 + 60)) --ready "$BENCH_RAW/$tag.ready" \
			--out "$BENCH_RAW/$tag.recv.json" >/dev/null 2>"$BENCH_RAW/$tag.recv.err" &
		echo $! >"$BENCH_RAW/$tag.rpid"
		wait $!
		echo "$EPOCHREALTIME" >"$BENCH_RAW/$tag.recv_end"
	) &
	BENCH_SEQ_RPID=$!
	busywait 15000 test -e "$BENCH_RAW/$tag.ready" || {
		echo "sequdp receiver not ready" >&2
		kill "$(cat "$BENCH_RAW/$tag.rpid" 2>/dev/null)" 2>/dev/null
		return 1
	}
	if [ "$BENCH_SENDER" = dpdk ]; then
		__bench_dpdk_send "$tag" "$sns" "$dst" "$secs" "$port" || {
			kill -INT "$(cat "$BENCH_RAW/$tag.rpid" 2>/dev/null)" 2>/dev/null
			return 1
		}
		return 0
	fi
	(
		# The sender's own pid (for bench_seq_stop) and the time it ended.
		# shellcheck disable=SC2086 # BENCH_RT is a command prefix
		__bench_exec_ns "$sns" $BENCH_RT "$SEQUDP" send --dst "$dst" --port "$port" \
			--rate "$BENCH_RATE" --seconds "$secs" \
			>"$BENCH_RAW/$tag.send.json" 2>"$BENCH_RAW/$tag.send.err" &
		echo $! >"$BENCH_RAW/$tag.spid"
		wait $!
		echo "$EPOCHREALTIME" >"$BENCH_RAW/$tag.send_end"
	) &
	BENCH_SEQ_SPID=$!
	BENCH_SEQ_T0=$(bench_us)
}

# bench_seq_stop TAG: end the stream's sender now (SIGINT: it stops
# sending and reports what it sent), for a stream whose SECONDS were an
# upper bound on an action of unknown length.  Loss stays counted against
# what was really sent; bench_seq_wait then waits for the receiver as
# always.  Not for the DPDK sender.
bench_seq_stop() {
	local pid
	pid=$(cat "$BENCH_RAW/$1.spid" 2>/dev/null) || return 1
	kill -INT "$pid" 2>/dev/null
	return 0
}

# __bench_dpdk_send TAG SEND_NS DST SECONDS PORT: the stream's sender is
# sriov-dpdk-sequdp on the netdev SEND_NS routes DST through (af_packet
# PMD, no hugepages), from that netdev's address to the MAC of DST's
# (permanent) neighbour entry there.  EAL start-up takes seconds under
# TCG: the stream's clock (bench_seq_at) starts when the port is up.
__bench_dpdk_send() {
	local tag=$1 sns=$2 dst=$3 secs=$4 port=$5 route dev src mac
	[ -x "$DSEQUDP" ] || { echo "no $DSEQUDP (build userspace with libdpdk)" >&2; return 1; }
	route=$(in_ns "$sns" ip -o -4 route get "$dst")
	dev=$(sed -n 's/.* dev \([^ ]*\).*/\1/p' <<<"$route")
	src=$(sed -n 's/.* src \([^ ]*\).*/\1/p' <<<"$route")
	mac=$(in_ns "$sns" ip neigh show "$dst" dev "$dev" | sed -n 's/.* lladdr \([^ ]*\).*/\1/p')
	[ -n "$dev" ] && [ -n "$src" ] && [ -n "$mac" ] ||
		{ echo "dpdk sender: no route/neighbour for $dst in '$sns' ($route)" >&2; return 1; }
	(
		# shellcheck disable=SC2086 # BENCH_RT is a command prefix
		in_ns "$sns" $BENCH_RT "$DSEQUDP" send --iface "$dev" --dst-mac "$mac" --src "$src" \
			--dst "$dst" --port "$port" --rate "$BENCH_RATE" --seconds "$secs" \
			--ready "$BENCH_RAW/$tag.sready" \
			>"$BENCH_RAW/$tag.send.json" 2>"$BENCH_RAW/$tag.send.err"
		# The stream's end for bench_seq_wait: the process ends well
		# after its last datagram (a 200 ms drain, then EAL's teardown,
		# slow under TCG), so take the ready file's time (written just
		# before the first datagram) plus the send time it reports
		local rdy sec
		rdy=$(stat -c %.6Y "$BENCH_RAW/$tag.sready" 2>/dev/null)
		sec=$(jq -r '.seconds // empty' "$BENCH_RAW/$tag.send.json" 2>/dev/null)
		if [ -n "$rdy" ] && [ -n "$sec" ]; then
			awk -v a="$rdy" -v b="$sec" 'BEGIN { printf "%.6f\n", a + b }' >"$BENCH_RAW/$tag.send_end"
		else
			echo "$EPOCHREALTIME" >"$BENCH_RAW/$tag.send_end"
		fi
		# DPDK's af_packet PMD sets the netdev down when it stops the
		# port, and the kernel then flushes its neighbours, the
		# permanent ones too: give the sender's side its link and the
		# child's neighbour entry back, as the case set them up
		in_ns "$sns" ip link set "$dev" up
		in_ns "$sns" ip neigh replace "$dst" lladdr "$mac" dev "$dev" nud permanent
	) &
	BENCH_SEQ_SPID=$!
	busywait 60000 sh -c "test -e '$BENCH_RAW/$tag.sready' || ! kill -0 $BENCH_SEQ_SPID 2>/dev/null"
	if [ ! -e "$BENCH_RAW/$tag.sready" ]; then
		echo "dpdk sender not ready: $(cat "$BENCH_RAW/$tag.send.err")" >&2
		kill "$BENCH_SEQ_SPID" 2>/dev/null
		return 1
	fi
	BENCH_SEQ_T0=$(bench_us)
}

# bench_seq_at MS: sleep until MS milliseconds after the stream started.
bench_seq_at() {
	local now wait_us
	now=$(bench_us)
	wait_us=$((BENCH_SEQ_T0 + $1 * 1000 - now))
	[ $wait_us -gt 0 ] && sleep "$(printf '%d.%06d' $((wait_us / 1000000)) $((wait_us % 1000000)))"
	return 0
}

# bench_seq_wait TAG: wait for the stream's end and summarise it in
# $BENCH_RAW/TAG.json; sets SEQ_SENT SEQ_LOST SEQ_GAP_MS SEQ_DUP SEQ_REORD
# SEQ_RECOVERED (1 if packets were arriving again at the end of the stream)
# and SEQ_TAIL_MS.
bench_seq_wait() {
	local tag=$1 recv_end send_end last_us
	local i
	wait "$BENCH_SEQ_SPID"
	# A receiver that never saw a packet has no idle clock: stop it.
	for ((i = 0; i < BENCH_IDLE_MS / 100 + 30; i++)); do
		kill -0 "$BENCH_SEQ_RPID" 2>/dev/null || break
		sleep 0.1
	done
	kill -INT "$(cat "$BENCH_RAW/$tag.rpid")" 2>/dev/null
	wait "$BENCH_SEQ_RPID"
	if [ ! -s "$BENCH_RAW/$tag.recv.json" ] || [ ! -s "$BENCH_RAW/$tag.send.json" ] ||
		[ ! -s "$BENCH_RAW/$tag.recv_end" ] || [ ! -s "$BENCH_RAW/$tag.send_end" ]; then
		echo "sequdp produced no result: $(cat "$BENCH_RAW/$tag".*.err 2>/dev/null)" >&2
		return 1
	fi
	recv_end=$(cat "$BENCH_RAW/$tag.recv_end")
	recv_end=$((10#${recv_end/./}))
	send_end=$(cat "$BENCH_RAW/$tag.send_end")
	send_end=$((10#${send_end/./}))
	SEQ_SENT=$(jq .sent "$BENCH_RAW/$tag.send.json")
	local unique
	unique=$(jq .unique "$BENCH_RAW/$tag.recv.json")
	SEQ_LOST=$((SEQ_SENT > unique ? SEQ_SENT - unique : 0))
	SEQ_GAP_MS=$(jq '.longest_gap_ms * 10 | round / 10' "$BENCH_RAW/$tag.recv.json")
	SEQ_DUP=$(jq .duplicated "$BENCH_RAW/$tag.recv.json")
	SEQ_REORD=$(jq .reordered "$BENCH_RAW/$tag.recv.json")
	# An incomplete stream ends the receiver BENCH_IDLE_MS after the last
	# arrival: if that was well before the sender's end, the path had not
	# come back (the longest gap only sees silences between arrivals).
	SEQ_TAIL_MS=0
	SEQ_RECOVERED=1
	if [ "$unique" -lt "$SEQ_SENT" ] || [ "$unique" = 0 ]; then
		last_us=$((recv_end - BENCH_IDLE_MS * 1000))
		SEQ_TAIL_MS=$(((send_end - last_us) / 1000))
		[ $SEQ_TAIL_MS -lt 0 ] && SEQ_TAIL_MS=0
		[ $SEQ_TAIL_MS -gt 500 ] || [ "$unique" = 0 ] && SEQ_RECOVERED=0
	fi
	jq -s --argjson lost "$SEQ_LOST" --argjson rec "$SEQ_RECOVERED" \
		--argjson tail "$SEQ_TAIL_MS" --argjson rate "$BENCH_RATE" \
		'{rate: $rate, send: .[0], recv: .[1], lost: $lost,
		  lost_ms: ($lost * 1000 / $rate), recovered: ($rec == 1),
		  silent_tail_ms: $tail}' \
		"$BENCH_RAW/$tag.send.json" "$BENCH_RAW/$tag.recv.json" >"$BENCH_RAW/$tag.json"
	bench_log "stream $tag: sent $SEQ_SENT unique $unique lost $SEQ_LOST ($((SEQ_LOST * 1000 / BENCH_RATE)) ms of stream) dup $SEQ_DUP reord $SEQ_REORD gap ${SEQ_GAP_MS}ms at $(jq '.gap_start_ms | round' "$BENCH_RAW/$tag.recv.json") ms (kernel rx timestamps: $(jq '.longest_gap_rx_ms // "-"' "$BENCH_RAW/$tag.recv.json") ms) recovered $SEQ_RECOVERED tail ${SEQ_TAIL_MS}ms"
}

# bench_seq_record TAG SETUP LOST_METRIC GAP_METRIC: record a switch run's
# loss and blackout (the longest gap); a stream that did not come back has
# no blackout figure (null, with the reason), its loss is still real.
bench_seq_record() {
	local tag=$1 setup=$2 lm=$3 gm=$4
	[ -n "$lm" ] && bench_record "$lm" "$BENCH_SIDE" "$SEQ_LOST" packets "$setup"
	[ -z "$gm" ] && return 0
	if [ "$SEQ_RECOVERED" = 1 ]; then
		bench_record "$gm" "$BENCH_SIDE" "$SEQ_GAP_MS" ms "$setup"
	else
		bench_fail "$gm" "$BENCH_SIDE" ms "$setup" \
			"no packet arrived in the last ${SEQ_TAIL_MS} ms of the stream: the path did not come back (lost $SEQ_LOST of $SEQ_SENT)"
	fi
}
