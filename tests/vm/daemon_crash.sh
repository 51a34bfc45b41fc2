#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 900
#
# SIGKILL of sriovd at EVERY step boundary of attach and of failover, on
# the real drivers (sriov_pf, sriov_netvsc, a VF driver).  The test hook
# SRIOVD_CRASH_AT=<kind>:<step>:<before|after> (Documentation/design/
# daemon.rst) makes the daemon kill itself with SIGKILL exactly there:
# "before" = the journal says the step started, nothing done yet; "after" =
# the step acted, the journal does not know yet.  Attach and failover
# rounds alternate (an attach crash ends attached after the restart, as
# the partition still wants a VF; a failover crash ends on the synthetic
# path), 24 boundaries in all.  After each restart (without the hook):
#   - the daemon really died by SIGKILL at that boundary (exit 137, its log
#     line), inside the sequence: the restarted daemon's log has the
#     "recovery: <kind> of vm1" line for the journal's sequence in flight
#     (every one of the 24 kills must have it);
#   - `sriovctl audit`: the daemon's model against the kernel's dumps;
#   - independently of sriovd, the kernel's own genl dumps read with the
#     kernel's YNL library (daemon_dump.py) and the netdevs: VFs allocated,
#     VF VPorts and VF netdevs in the child = VFs the partition holds,
#     its MAC filter exactly once and on the right VPort, no orphan
#     filter, one host port (dmn_kernel_check in daemon_lib.bash).
# Then the partition still works: attach, ping over the VF, removal.
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/vm/daemon_lib.bash"

MAC=02:00:5e:20:00:02
ATTACH=(vf_allocate vport_create vf_to_child wait_pair filters_to_vf datapath_vf)
RELEASE=(filters_to_default datapath_synthetic vf_from_child vport_delete vf_flr vf_free)

ktap_header
[ -x "$SRIOVD" ] && [ -x "$SRIOVCTL" ] || ktap_bail "sriovd/sriovctl not built in $dmn_build"
[ -n "${SRIOV_PF0:-}" ] || ktap_bail "lab without an 82576"
why=$(dmn_modules) || ktap_bail "$why"
SRIOV_PF1=
dmn_vfs "$SRIOV_PF0" 2 || ktap_bail "cannot enable VFs on $SRIOV_PF0"
dmn_dump >/dev/null || ktap_bail "no kernel dump through the YNL library (tools/ksrc.sh tools/net/ynl)"
dmn_start || ktap_bail "sriovd --backend=real does not start: $(tail -n1 "$DMN_LOG")"
defer dmn_kill
ext_ns_setup 0 >/dev/null || ktap_bail "external host"

ktap_plan $((2 * ${#ATTACH[@]} + 2 * ${#RELEASE[@]} + 4))
ktap_result "partition add" dmn_ctl partition add vm1 --pf "$SRIOV_PF0" --mac "$MAC"
ip -n vm1 link set lo up
ip -n vm1 link set nv0 up
ip -n vm1 addr add 198.18.0.20/24 dev nv0

held() { dmn_ctl --json list | jq -e '.result[0].vf != null' >/dev/null; }

# crash_round KIND STEP WHEN
crash_round() {
	local kind=$1 step=$2 when=$3 spec="$1:$2:$3" t0 t1 t2 t3 rc out problems
	t0=$(date +%s%3N)
	# the partition in the state the sequence starts from
	if [ "$kind" = attach ] && held; then dmn_ctl detach vm1 >/dev/null; fi
	if [ "$kind" = failover ] && ! held; then dmn_ctl attach vm1 >/dev/null; fi
	dmn_idle 60 || { echo "not idle before $spec"; return 1; }
	dmn_kill	# idle: loses nothing (SIGTERM would release the VF)
	local lines_before
	lines_before=$(wc -l <"$DMN_LOG")
	dmn_start "SRIOVD_CRASH_AT=$spec"
	if [ "$kind" = attach ]; then
		dmn_ctl attach vm1 >/dev/null 2>&1
	else
		dmn_ctl failover vm1 --hold 3600 >/dev/null 2>&1
	fi
	t1=$(date +%s%3N)
	busywait 60000 sh -c "! kill -0 $DMN_PID 2>/dev/null" || { echo "sriovd still alive after $kind"; return 1; }
	wait "$DMN_PID"
	rc=$?
	DMN_PID=
	[ $rc = 137 ] || { echo "sriovd exited $rc, not by SIGKILL"; tail -n 5 "$DMN_LOG"; return 1; }
	tail -n +"$((lines_before + 1))" "$DMN_LOG" | grep -q "SRIOVD_CRASH_AT=$spec: SIGKILL now" ||
		{ echo "no hook line for $spec"; return 1; }
	dmn_start || { echo "restart failed: $(tail -n 3 "$DMN_LOG")"; return 1; }
	# settled: idle in the state the partition asks for (after an attach
	# crash it still wants its VF: a failed re-attach is retried after a
	# back-off, so idle alone is not the end)
	if [ "$kind" = attach ]; then
		busywait 90000 sh -c "$(declare -f dmn_ctl __dmn_idle held); SRIOVCTL='$SRIOVCTL' DMN_SOCK='$DMN_SOCK'; __dmn_idle && held" ||
			{ echo "not attached again within 90 s"; dmn_ctl events | tail -n 5; return 1; }
	fi
	dmn_audit || return 1
	t2=$(date +%s%3N)
	problems=$(dmn_kernel_check && echo "dump_ms=$DMN_DUMP_MS") || { echo "$problems"; return 1; }
	t3=$(date +%s%3N)
	out=$(tail -n +"$((lines_before + 1))" "$DMN_LOG" | grep -m1 "recovery: .*$kind of vm1" | sed 's/^<[0-9]>//')
	[ -n "$out" ] || { echo "$spec: the restarted daemon recovered no $kind of vm1: the kill was not inside it"; return 1; }
	echo "$spec: restart ${out}; $(held && echo attached || echo synthetic)"
	echo "  ms: setup $((t1 - t0)), crash + restart + recovery + audit $((t2 - t1)), kernel dumps check $((t3 - t2)) (${problems#dump_ms=} in the YNL dump)"
}

for i in "${!ATTACH[@]}"; do
	for when in before after; do
		ktap_result "SIGKILL at attach:${ATTACH[$i]}:$when, restart, audit + kernel dumps" \
			crash_round attach "${ATTACH[$i]}" "$when"
		ktap_result "SIGKILL at failover:${RELEASE[$i]}:$when, restart, audit + kernel dumps" \
			crash_round failover "${RELEASE[$i]}" "$when"
	done
done

on_vf() { dmn_ctl --json list | jq -e '.result[0].vf.datapath == "vf"' >/dev/null; }
ktap_result "attach after the crashes" dmn_ctl attach vm1
ping_vf() { on_vf && ping_ok ext0 198.18.0.20; }
ktap_result "ping over the VF" ping_vf
remove_all() { dmn_ctl partition remove vm1 >/dev/null && dmn_idle 60 && dmn_kernel_empty; }
ktap_result "partition remove: kernel dumps empty" remove_all
ktap_finished
