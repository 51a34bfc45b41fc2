#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 2 --smp 1
# timeout: 600
# debug-args: 30 2300000
#
# Soak: CYCLES x (attach -> planned failover -> detach) through sriovd on
# sriov_pf/sriov_vf/sriov_netvsc, spread over LANES independent lanes:
# lane i is partition vm<i> with its own VF, on PF0 for odd i and on PF1
# for even i (all on PF0 with one PF), each with a ping stream from its
# PF's external host running throughout.  The lanes cycle in parallel
# (sriovd runs sequences of different partitions concurrently).  A ledger
# (VFs, VPorts, filters, free filter slots of both PFs, netdevs of every
# namespace, module reference counts, slab) is taken after a warm-up cycle
# of every lane and after the last cycle; everything but slab must be
# identical, and the kmalloc caches' allocated bytes may grow by at most
# SLAB_TOL_B bytes a cycle (tools/rel/ledger.py).  Every lane must have
# run its share of the CYCLES, and every lane's ping stream must have
# delivered at least 95 % of its pings.  Then fault recovery (each audit
# checked) and the sriovctl sequence checks on lane 1.
# `make soak` runs 10,000 cycles (SOAK_CYCLES); make check the default.
# Arguments: CYCLES [SLAB_TOL_B [LANES [SOAK_SETTLE [SOAK_CLIENT [PROFILE [MAX_S]]]]]]
#   SLAB_TOL_B (100): bytes a cycle the kmalloc caches may grow by: a
#     leak of 200 bytes a cycle fails after 100 cycles.
#   LANES (4): 1..8, at most 4 per PF (the soak's own bound; the switch's
#     capacity is in Documentation/networking/sriov_switch.rst).  One vCPU
#     (--smp 1): the guest is CPU bound either way, one vCPU costs the
#     host less per cycle, and QEMU's MTTCG race on VF FLRs (an abort in
#     iotlb_to_section) needs a second vCPU (Documentation/reliability.rst).
#   SOAK_CLIENT: socket (tools/rel/soak_lane.py, one control-socket
#     connection per lane) or sriovctl (three sriovctl runs a cycle).
#   On the debug kernel (debug-args) 30 cycles, and slab may grow by
#     2.3 MB a cycle (64 MB in all): KASAN's quarantine keeps freed
#     objects allocated (up to 1/32 of RAM), kmemleak checks that run for
#     leaks instead.
#   MAX_S (0: none): a time-capped run, asked for explicitly (make soak's
#     SOAK_MAX_S): the lanes stop after MAX_S s and the cycle check counts
#     the cycles done by then (every lane at least one).  Without it,
#     fewer cycles than CYCLES is a failure.
#   SOAK_SETTLE=1 (sriovctl client) puts an `audit` between failover and
#     detach, the workaround of an old sriovd bug.
. "$SRIOV_TOP/tests/lib/ktap.sh"

CYCLES=${1:-100}
SLAB_TOL_B=${2:-100}
LANES=${3:-4}
SOAK_SETTLE=${4:-0}
SOAK_CLIENT=${5:-socket}
PROFILE=${6:-0}
MAX_S=${7:-0}
build=${SRIOV_BUILD:-$SRIOV_TOP/build/cmake}
SRIOVD=$build/daemon/sriovd
SRIOVCTL=$build/tools/sriovctl/sriovctl
py=/usr/bin/python3

ktap_header
[ -x "$SRIOVD" ] && [ -x "$SRIOVCTL" ] || ktap_bail "sriovd/sriovctl not built in $build"
[ -n "${SRIOV_PF0:-}" ] || ktap_bail "no 82576 PF in the lab"
[ "$LANES" -ge 1 ] && [ "$LANES" -le 8 ] || ktap_bail "LANES must be 1..8"
ynl=$(ksrc_ynl 2>&1) || ktap_bail "$ynl"
spec=$SRIOV_TOP/Documentation/netlink/specs/sriov.yaml
modprobe sriov_pf && modprobe sriov_netvsc && modprobe sriov_vf ||
	ktap_bail "the project's modules do not load"
genl ctrl get name sriov >/dev/null 2>&1 || ktap_bail "sriov_pf without the \"sriov\" genl family"
defer rmmod sriov_pf
defer rmmod sriov_netvsc
defer rmmod sriov_vf

# the PFs: PF1 too when the lab has it
pfbdf=("$SRIOV_PF0")
[ -n "${SRIOV_PF1:-}" ] && [ -n "${SRIOV_EXT1:-}" ] && pfbdf+=("$SRIOV_PF1")
npf=${#pfbdf[@]}
lane_hub() { echo $(( ($1 - 1) % npf )); }
ifindexes=
pfargs=()
for ((h = 0; h < npf; h++)); do
	pf=$(wait_pci_netdev "${pfbdf[h]}" 10) || ktap_bail "no PF$h netdev"
	ifindexes+=${ifindexes:+,}$(cat "/sys/class/net/$pf/ifindex")
	n=0
	for ((i = 1; i <= LANES; i++)); do [ "$(lane_hub $i)" = $h ] && n=$((n + 1)); done
	# the soak's bound per PF (one VF and one partition per lane)
	[ $n -le 4 ] || ktap_bail "$n lanes on PF$h: at most 4"
	echo $n >"/sys/bus/pci/devices/${pfbdf[h]}/sriov_numvfs" ||
		ktap_bail "cannot enable $n VFs on PF$h"
	defer sh -c "echo 0 > /sys/bus/pci/devices/${pfbdf[h]}/sriov_numvfs"
	ip link set "$pf" up
	pfargs+=(--pf "${pfbdf[h]}")
done
st=/tmp/sriovd-soak
sock=$st/sriovd.sock
mkdir -p $st
ctl() { "$SRIOVCTL" --socket "$sock" "$@"; }
"$SRIOVD" --backend=real --state-dir $st --socket $sock "${pfargs[@]}" \
	--pair-timeout-ms 20000 \
	>"$SRIOV_OUT/sriovd.log" 2>&1 &
spid=$!
defer kill -9 $spid
busywait 20000 ctl status >/dev/null || ktap_bail "sriovd does not start"
nss=()
for ((h = 0; h < npf; h++)); do
	ext_ns_setup $h || ktap_bail "external host $h"
done
lane_ip() { echo "198.18.$(lane_hub "$1").$((29 + $1))"; }
for ((i = 1; i <= LANES; i++)); do
	h=$(lane_hub $i)
	ctl partition add vm$i --pf "${pfbdf[h]}" --mac "$(printf '02:00:5e:30:%02x:%02x' "$h" "$i")" \
		>/dev/null || ktap_bail "partition add vm$i"
	ip -n vm$i link set lo up
	ip -n vm$i link set nv0 up
	ip -n vm$i addr add "$(lane_ip $i)/24" dev nv0
	nss+=("vm$i")
done
for ((i = 1; i <= LANES; i++)); do
	slowwait 15 ping_ok ext"$(lane_hub $i)" "$(lane_ip $i)" ||
		ktap_bail "no synthetic path to vm$i"
done

ktap_plan 10
# the settling audit is a pause, not a check (the soak audits at its end):
# its verdict, 1 on a mismatch or 6 while other lanes run sequences, does
# not stop the cycle; anything else (no answer) does
settle() {
	local rc=0
	ctl audit >/dev/null || rc=$?
	[ $rc = 0 ] || [ $rc = 1 ] || [ $rc = 6 ]
}
cycle() {
	ctl attach "$1" >/dev/null && ctl failover "$1" --hold 3600 >/dev/null &&
		{ [ "$SOAK_SETTLE" = 0 ] || settle; } &&
		ctl detach "$1" >/dev/null
}
# warm-up: one cycle per lane, all lanes at once
wpids=()
for ((i = 1; i <= LANES; i++)); do
	cycle vm$i &
	wpids+=($!)
done
wfail=0
for p in "${wpids[@]}"; do wait "$p" || wfail=1; done
[ $wfail = 0 ] || ktap_bail "warm-up cycle failed: $(tail -3 "$SRIOV_OUT/sriovd.log")"
ledger() { $py "$SRIOV_TOP/tools/rel/ledger.py" snap "$ynl" "$spec" "$ifindexes" "$1" "${nss[@]}"; }
ledger $st/before.json
# the slab measure's own noise: the same reading again, nothing cycling
slab_idle=$($py "$SRIOV_TOP/tools/rel/ledger.py" slab | jq .kmalloc_active_B)
ktap_diag "kmalloc_active_B idle re-read: $(jq .slab.kmalloc_active_B $st/before.json) -> $slab_idle"

ping_pids=()
for ((i = 1; i <= LANES; i++)); do
	ip netns exec ext"$(lane_hub $i)" ping -i 0.2 -q "$(lane_ip $i)" >$st/ping$i.out 2>&1 &
	ping_pids+=($!)
done
defer kill "${ping_pids[@]}"

# lane I runs N cycles of vm<I>; $st/lane<I>.n counts the cycles done,
# $st/lane<I>.fail names the one that failed
# SOAK_CLIENT=socket (default): tools/rel/soak_lane.py, one control-socket
# connection per lane; SOAK_CLIENT=sriovctl: three sriovctl runs a cycle
lane() {
	local i=$1 n=$2 k
	if [ "$SOAK_CLIENT" = socket ]; then
		$py "$SRIOV_TOP/tools/rel/soak_lane.py" "$sock" vm$i "$n" $st/lane$i.n $st/stop \
			$st/lane$i.lat 2>$st/lane$i.err && return 0
		echo "$(( $(cat $st/lane$i.n 2>/dev/null || echo 0) + 1 )): $(cat $st/lane$i.err)" \
			>$st/lane$i.fail
		return 1
	fi
	for ((k = 1; k <= n; k++)); do
		[ -e $st/stop ] && return 0
		if ! cycle vm$i; then
			echo "$k" >$st/lane$i.fail
			return 1
		fi
		echo "$k" >$st/lane$i.n
	done
}
done_cycles() {
	local s=0 i
	for ((i = 1; i <= LANES; i++)); do s=$((s + $(cat $st/lane$i.n 2>/dev/null || echo 0))); done
	echo $s
}
rm -f $st/lane*.n $st/lane*.fail $st/lane*.lat $st/stop
stats() { SRIOVD_PID=$spid $py "$SRIOV_TOP/tools/rel/soak_stats.py" "$@"; }
log0=$(( $(wc -l <"$SRIOV_OUT/sriovd.log") + 1 ))
stats cpu >$st/cpu0
t0=$(date +%s%N)
lane_pids=()
for ((i = 1; i <= LANES; i++)); do
	# the lanes share CYCLES, the first CYCLES % LANES get one more
	lane $i $(( CYCLES / LANES + (i <= CYCLES % LANES) )) &
	lane_pids+=($!)
done
if [ "$PROFILE" -gt 0 ] && command -v strace >/dev/null; then
	(sleep 10; c0=$(done_cycles)
	 timeout -s INT "$PROFILE" strace -f -qq -e trace=sendto,sendmsg,epoll_wait,epoll_pwait \
		-o $st/strace.out -p $spid 2>/dev/null
	 echo "$(( $(done_cycles) - c0 ))" >$st/strace.cycles) &
	prof_pid=$!
fi
# progress every 60 s; once one lane fails, the others stop after their
# current cycle
next=60
while :; do
	alive=0
	for p in "${lane_pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
	[ $alive = 1 ] || break
	compgen -G "$st/lane*.fail" >/dev/null && touch $st/stop
	sleep 1
	el=$(( ($(date +%s%N) - t0) / 1000000000 ))
	if [ "$MAX_S" -gt 0 ] && [ "$el" -ge "$MAX_S" ] && [ ! -e $st/stop ]; then
		ktap_diag "$el s: time limit ($MAX_S s) reached at $(done_cycles) cycles: stopping the lanes"
		touch $st/stop
		timed_out=1
	fi
	if [ "$el" -ge $next ]; then
		ktap_diag "$el s: $(done_cycles) cycles"
		next=$((next + 60))
	fi
done
wait "${lane_pids[@]}" 2>/dev/null
t1=$(date +%s%N)
stats cpu >$st/cpu1
if [ -n "${prof_pid:-}" ]; then
	wait $prof_pid
	pc=$(cat $st/strace.cycles 2>/dev/null || echo 0)
	ktap_diag "strace of sriovd for $PROFILE s ($pc cycles):" \
		"$(grep -c 'RTM_GETLINK' $st/strace.out) link dumps," \
		"$(grep -c 'sendmsg\|sendto' $st/strace.out) netlink requests," \
		"$(grep -c 'epoll_wait\|epoll_pwait' $st/strace.out) event-loop wakeups"
	cp $st/strace.out "$SRIOV_OUT/" 2>/dev/null
fi
kill -INT "${ping_pids[@]}"
wait "${ping_pids[@]}" 2>/dev/null
n=$(done_cycles)
ms=$(( (t1 - t0) / 1000000 ))
ktap_diag "$n cycles in $((ms / 1000)) s over $LANES lanes on $npf PF(s):" \
	"$(( n * 1000000 / (ms ? ms : 1) / 1000 )).$(printf %03d $(( n * 1000000 / (ms ? ms : 1) % 1000 ))) cycles/s"
# where the time went (informational)
stats report $st/cpu0 $st/cpu1 "$SRIOV_OUT/sriovd.log" "$log0" "$n" $st/lane*.lat |
	while IFS= read -r l; do ktap_diag "$l"; done
failed=$(cat $st/lane*.fail 2>/dev/null | head -n1)
every_lane_cycled() {
	local i
	for ((i = 1; i <= LANES; i++)); do
		[ "$(cat $st/lane$i.n 2>/dev/null || echo 0)" -gt 0 ] || return 1
	done
}
if [ -z "$failed" ] && [ "$n" = "$CYCLES" ]; then
	ktap_pass "$CYCLES attach -> failover -> detach cycles"
elif [ -z "$failed" ] && [ "${timed_out:-0}" = 1 ] && [ "$MAX_S" -gt 0 ] && every_lane_cycled; then
	# only a run that asked for a time cap (MAX_S) gets here
	ktap_pass "$n attach -> failover -> detach cycles (of $CYCLES: a time-capped run, $MAX_S s asked)"
else
	ktap_fail "$CYCLES attach -> failover -> detach cycles ($n done)"
	for ((i = 1; i <= LANES; i++)); do
		ktap_diag "lane $i: $(cat $st/lane$i.n 2>/dev/null || echo 0) cycles done"
	done
	for f in $st/lane*.fail; do
		[ -e "$f" ] && ktap_diag "$(basename "$f" .fail) failed at its cycle $(cat "$f")"
	done
	ktap_diag "$(tail -5 "$SRIOV_OUT/sriovd.log")"
fi
rx=0 tx=0
for ((i = 1; i <= LANES; i++)); do
	r=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' $st/ping$i.out)
	s=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' $st/ping$i.out)
	rx=$((rx + ${r:-0})) tx=$((tx + ${s:-0}))
	nr[i]=${r:-0} nt[i]=${s:-0}
done
ktap_diag "pings answered: $rx of $tx"
# each lane: answered / sent >= 95 %, and the stream ran (a 0.2 s ping
# over the whole cycling phase: at least 10 sent)
__lane_delivery() {
	local i bad=0
	for ((i = 1; i <= LANES; i++)); do
		echo "lane $i: ${nr[i]} of ${nt[i]} answered ($(( nt[i] ? nr[i] * 1000 / nt[i] : 0 )) per mille)"
		[ "${nt[i]}" -ge 10 ] && [ $(( nr[i] * 100 )) -ge $(( nt[i] * 95 )) ] || bad=1
	done
	return $bad
}
ktap_result "every lane's ping stream: >= 95 % answered while cycling" __lane_delivery

__audit() { ctl --json audit | jq -e '.result.consistent == true' >/dev/null; }
ktap_result "sriovd audit: model matches the kernel" slowwait 30 __audit
ledger $st/after.json
ktap_result "ledger identical (kmalloc caches within $SLAB_TOL_B B a cycle)" \
	$py "$SRIOV_TOP/tools/rel/ledger.py" compare $st/before.json $st/after.json "$SLAB_TOL_B" "$n"
cp $st/before.json $st/after.json "$SRIOV_OUT/" 2>/dev/null

# sriovd recovers from injected faults: an attach whose VPort allocation
# fails (sriov_pf fail_alloc) and one whose data-path ack is lost
# (sriov_netvsc stall_ack) end rolled back or degraded, the model matches
# the kernel, and the next attach succeeds (lane 1 only).
ktap_result "sriovd audit before the fault injection" slowwait 30 __audit
# fault_attach KNOB: an attach with the fault armed; then, each checked:
# the fault was injected, the model matches the kernel, a detach leaves
# it matching, and an attach and detach without the fault succeed and
# leave it matching.
fault_attach() {
	local knob=$1 inj0 out
	inj0=$(cat "$(dirname "$knob")/injected")
	echo 1 >"$knob"
	ctl attach vm1 >/dev/null 2>&1
	out="injected $inj0 -> $(cat "$(dirname "$knob")/injected")"
	echo 0 >"$knob"
	echo "$out"
	[ "$(cat "$(dirname "$knob")/injected")" -gt "$inj0" ] || { echo "the fault was not injected"; return 1; }
	slowwait 30 __audit || { echo "audit after the faulty attach: $(ctl audit 2>&1 | tail -3)"; return 1; }
	# the faulty attach ended rolled back (nothing to detach) or degraded
	ctl detach vm1 >/dev/null 2>&1
	slowwait 30 __audit || { echo "audit after the detach: $(ctl audit 2>&1 | tail -3)"; return 1; }
	ctl attach vm1 >/dev/null || { echo "retry failed"; return 1; }
	slowwait 30 __audit || { echo "audit after the retried attach: $(ctl audit 2>&1 | tail -3)"; return 1; }
	ctl detach vm1 >/dev/null || { echo "detach after the retry failed"; return 1; }
	slowwait 30 __audit || { echo "audit after the last detach: $(ctl audit 2>&1 | tail -3)"; return 1; }
}
ktap_result "sriovd recovers from a failed VPort allocation (fail_alloc)" \
	fault_attach "/sys/kernel/debug/sriov_pf/$SRIOV_PF0/fault/fail_alloc"
ktap_result "sriovd recovers from a lost data-path ack (stall_ack)" \
	fault_attach /sys/kernel/debug/sriov_netvsc/fault/stall_ack

# the sequence a user types, with nothing reading the adapters in between
strict() {
	ctl attach vm1 >/dev/null && ctl failover vm1 --hold 3600 >/dev/null &&
		ctl detach vm1 >/dev/null && ctl attach vm1
}
ktap_result "attach right after attach, failover, detach pairs (no settle)" strict
ctl detach vm1 >/dev/null 2>&1
__remove_all() {
	local i rc=0
	for ((i = 1; i <= LANES; i++)); do ctl partition remove vm$i >/dev/null || rc=1; done
	return $rc
}
ktap_result "every partition removed" __remove_all
kill $spid
wait $spid
ktap_result "sriovd stops cleanly" test $? = 0
ktap_finished
