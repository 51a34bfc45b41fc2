#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sriovd in the lab: start/stop the daemon on the real drivers, wait for it
# to be idle, audit it, and check the kernel's own dumps independently of
# sriovd (tests/vm/daemon_dump.py, the kernel's YNL library).  Sourced by
# tests/vm/daemon_*.sh, tools/lab/lab-guest.sh and the project bench cases,
# after tests/lib/ktap.sh.
#
#   dmn_modules || fail;  dmn_start [ENV=VAL...];  dmn_ctl attach vm1
#   dmn_idle; dmn_audit; dmn_kernel_check vm1

dmn_build=${SRIOV_BUILD:-$SRIOV_TOP/build/cmake}
SRIOVD=$dmn_build/daemon/sriovd
SRIOVCTL=$dmn_build/tools/sriovctl/sriovctl
DMN_STATE=${DMN_STATE:-/tmp/sriovd}
DMN_SOCK=$DMN_STATE/sriovd.sock
DMN_LOG=${DMN_LOG:-$SRIOV_OUT/sriovd.log}
DMN_PID=

dmn_ctl() { "$SRIOVCTL" --socket "$DMN_SOCK" "$@"; }

# dmn_modules: load sriov_pf, sriov_netvsc and sriov_vf, check the "sriov"
# genl family; prints why not and fails if one is missing (the project's
# own modules: a failure, never a skip).
dmn_modules() {
	modprobe sriov_pf || { echo "sriov_pf does not load"; return 1; }
	modprobe sriov_netvsc || { echo "sriov_netvsc does not load"; return 1; }
	modprobe sriov_vf || { echo "sriov_vf does not load"; return 1; }
	genl ctrl get name sriov >/dev/null 2>&1 || { echo "sriov_pf without the \"sriov\" genl family"; return 1; }
}

# dmn_require [sequdp]: the project's parts a daemon test needs (sriovd,
# sriovctl, with "sequdp" the traffic tool, the modules and the "sriov"
# family, the YNL tools); a missing one ends the test as a failure.
dmn_require() {
	local why
	[ -x "$SRIOVD" ] && [ -x "$SRIOVCTL" ] || ktap_bail "sriovd/sriovctl not built in $dmn_build"
	if [ "${1:-}" = sequdp ]; then
		[ -x "$SEQUDP" ] || ktap_bail "sriov-sequdp not built ($SEQUDP)"
	fi
	why=$(dmn_modules) || ktap_bail "$why"
	dmn_ynl >/dev/null || ktap_bail "no YNL library (tools/ksrc.sh tools/net/ynl)"
}

# dmn_vfs PF_BDF N: N VFs on the PF (removed at exit), PF netdev up.
dmn_vfs() {
	echo "$2" >"/sys/bus/pci/devices/$1/sriov_numvfs" || return 1
	defer sh -c "echo 0 > /sys/bus/pci/devices/$1/sriov_numvfs"
	ip link set "$(wait_pci_netdev "$1" 10)" up
}

# dmn_start [VAR=VALUE...] [-- SRIOVD_ARGS...]: start sriovd on the real
# backend for the lab's PFs with the given environment; waits until it
# answers (or died: the crash hook may fire at once).
dmn_start() {
	local envs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	[ "${1:-}" = -- ] && shift
	mkdir -p "$DMN_STATE"
	rm -f "$DMN_SOCK"
	local pfs=(--pf "$SRIOV_PF0")
	[ -n "${SRIOV_PF1:-}" ] && pfs+=(--pf "$SRIOV_PF1")
	env "${envs[@]}" "$SRIOVD" --backend=real --log-time -v --state-dir "$DMN_STATE" --socket "$DMN_SOCK" \
		"${pfs[@]}" "$@" >>"$DMN_LOG" 2>&1 &
	DMN_PID=$!
	echo "$DMN_PID" >"$DMN_STATE/pid"
	busywait 20000 sh -c "'$SRIOVCTL' --socket '$DMN_SOCK' status >/dev/null 2>&1 || ! kill -0 $DMN_PID 2>/dev/null"
	kill -0 "$DMN_PID" 2>/dev/null || [ ${#envs[@]} -gt 0 ]
}

# The running daemon: this shell's child, or the one in the pid file (a
# daemon started in a subshell, e.g. inside ktap_result).
__dmn_pid() { cat "$DMN_STATE/pid" 2>/dev/null || echo "$DMN_PID"; }

# dmn_kill: SIGKILL the daemon; returns when it is gone.
dmn_kill() {
	local pid
	pid=$(__dmn_pid)
	[ -n "$pid" ] || return 0
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	busywait 10000 sh -c "! kill -0 $pid 2>/dev/null"
	DMN_PID=
	rm -f "$DMN_STATE/pid"
}

# dmn_stop: clean stop (SIGTERM), bounded.
dmn_stop() {
	local pid
	pid=$(__dmn_pid)
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	busywait 40000 sh -c "! kill -0 $pid 2>/dev/null"
	wait "$pid" 2>/dev/null
	DMN_PID=
	rm -f "$DMN_STATE/pid"
}

__dmn_idle() { dmn_ctl --json status 2>/dev/null | jq -e '.result.sequences | length == 0' >/dev/null; }
# dmn_idle [TIMEOUT_S]: no sequence in flight.
dmn_idle() { busywait $((${1:-60} * 1000)) __dmn_idle; }

__dmn_audit() { dmn_ctl --json audit 2>/dev/null | jq -e '.result.consistent == true' >/dev/null; }
# dmn_audit: sriovd's model against the kernel's dumps, through sriovd.
dmn_audit() { dmn_idle 60 && { busywait 10000 __dmn_audit || { dmn_ctl audit; return 1; }; }; }

dmn_ynl() { ksrc_ynl; }

# dmn_dump: the kernel's switches (VFs, VPorts, filters) as JSON, read
# with the kernel's YNL library, not with sriovd.  The first call starts a
# dump server (daemon_dump.py --serve, killed at exit) that later calls
# reuse: importing the library and parsing the spec take seconds in TCG.
DMN_DUMP_FIFO=/tmp/dmn-dump.req
dmn_dump() {
	local ynl resp pfs=("$SRIOV_PF0")
	[ -n "${SRIOV_PF1:-}" ] && pfs+=("$SRIOV_PF1")
	if [ ! -p "$DMN_DUMP_FIFO" ]; then
		ynl=$(dmn_ynl) || { echo "no YNL library (tools/ksrc.sh tools/net/ynl)" >&2; return 1; }
		mkfifo "$DMN_DUMP_FIFO" || return 1
		/usr/bin/python3 "$SRIOV_TOP/tests/vm/daemon_dump.py" --serve "$DMN_DUMP_FIFO" "$ynl" \
			"$SRIOV_TOP/Documentation/netlink/specs/sriov.yaml" "${pfs[@]}" </dev/null >/dev/null 2>&1 &
		echo $! >"$DMN_DUMP_FIFO.pid"
		defer sh -c "kill \$(cat $DMN_DUMP_FIFO.pid); rm -f $DMN_DUMP_FIFO $DMN_DUMP_FIFO.pid"
	fi
	resp=$(mktemp -u /tmp/dmn-dump.XXXXXX)
	mkfifo "$resp" || return 1
	echo "$resp" >"$DMN_DUMP_FIFO"
	timeout 60 cat "$resp"
	local rc=$?
	rm -f "$resp"
	return $rc
}

# __dmn_ns_exec NETNS CMD...: CMD in a partition's namespace, named (vm1)
# or by its path under /run/netns (a CNI runtime's, /run/netns/netns-UUID):
# `ip netns exec` takes names only, and mounts the namespace's /sys.
__dmn_ns_exec() {
	local ns=$1
	shift
	case $ns in /run/netns/* | /var/run/netns/*) ns=${ns##*/} ;; esac
	ip netns exec "$ns" "$@"
}

# dmn_kernel_check PARTITION...: independent of sriovd's audit, from the
# kernel's genl dumps and rtnetlink: for each partition, as many VFs
# allocated, VF VPorts and VF netdevs in its namespace as it holds VFs
# (0 or 1), its MAC filter exactly once and on the VPort that matches
# (the VF's when attached, else the default VPort of its PF), no admin MAC
# filter nobody owns, one host port per adapter, and no VF netdev with the
# partition's MAC left in the host namespace.  Prints what is wrong.
dmn_kernel_check() {
	local k list p msgs bad=0 t0
	t0=$(date +%s%3N)
	k=$(dmn_dump) || return 1
	DMN_DUMP_MS=$(($(date +%s%3N) - t0))
	list=$(dmn_ctl --json list) || return 1
	msgs=$(jq -rn --argjson k "$k" --argjson l "$list" '
	  [ $k[] | .vfs[] | select(.state == "allocated") ] | length as $nvf
	  | [ $k[] | .vports[] | select(.default | not) ] | length as $nvp
	  | [ $l.result[] | select(.vf != null) ] | length as $held
	  | ( if $nvf != $held then "VFs allocated in the kernel: \($nvf), held by partitions: \($held)" else empty end ),
	    ( if $nvp != $held then "VF VPorts in the kernel: \($nvp), held by partitions: \($held)" else empty end ),
	    ( [ $l.result[].mac ] as $macs
	      | $k | to_entries[] | .key as $pf | .value.filters[]
	      | select(.origin == "admin" and .type == "mac" and ((.mac as $m | $macs | index($m)) == null))
	      | "\($pf): admin filter \(.mac) owned by no partition" ),
	    ( $l.result[] as $p
	      | [ $k | to_entries[] | .key as $pf | .value.filters[]
	          | select(.origin == "admin" and .type == "mac" and .mac == $p.mac) | . + {pf: $pf} ] as $fs
	      | if ($fs | length) != 1 then "\($p.name): MAC filter \($p.mac) present \($fs | length) times"
	        else $fs[0] as $f
	        | (if $p.vf != null then
	             ([ $k[$p.vf.pf].vports[] | select(.vf == $p.vf.vf and (.default | not)) ][0].id) as $want
	             | if $f.pf != $p.vf.pf or $f.vport != $want then
	                 "\($p.name): filter on \($f.pf) VPort \($f.vport), VF VPort is \($want)" else empty end
	           else
	             ([ $k[$p.pf].vports[] | select(.default) ][0].id) as $want
	             | if $f.pf != $p.pf or $f.vport != $want then
	                 "\($p.name): filter on \($f.pf) VPort \($f.vport), default VPort of \($p.pf) is \($want)" else empty end
	           end)
	        end )
	') || { echo "jq failed on the dumps"; return 1; }
	[ -n "$msgs" ] && { echo "$msgs"; bad=1; }
	# The host namespace once (each jq, cat or grep costs a process start,
	# a fifth of a second under TCG, and this runs per partition): the
	# MACs of its VF netdevs (links whose device is a VF: has physfn) and
	# the host ports by the partition named in their alias.
	local -A hostvf=() ports=()
	local d a l
	for d in /sys/class/net/*; do
		[ -e "$d/device/physfn" ] && read -r a <"$d/address" && hostvf[$a]=$((${hostvf[$a]:-0} + 1))
	done
	while IFS= read -r l; do
		[[ $l =~ "alias sriovd:"([^:]+): ]] && ports[${BASH_REMATCH[1]}]=$((${ports[${BASH_REMATCH[1]}]:-0} + 1))
	done < <(ip -d -o link show type sriov_netvsc)
	local ns held mac nvf nhost nport
	while read -r p ns held mac; do
		# VF netdevs in the child
		nvf=$(__dmn_ns_exec "$ns" sh -c 'n=0; for d in /sys/class/net/*; do [ -e "$d/device/physfn" ] && n=$((n + 1)); done; echo $n' </dev/null)
		[ "$nvf" = "$held" ] || { echo "$p: $nvf VF netdev(s) in netns $ns, holds $held VF"; bad=1; }
		nhost=${hostvf[${mac:-none}]:-0}
		[ "$nhost" = 0 ] || { echo "$p: $nhost VF netdev(s) with its MAC left in the host namespace"; bad=1; }
		nport=${ports[${p:-none}]:-0}
		[ "$nport" = 1 ] || { echo "$p: $nport host ports (alias sriovd:$p:*)"; bad=1; }
	done < <(jq -r '.result[] | "\(.name) \(.netns) \(if .vf then 1 else 0 end) \(.mac)"' <<<"$list")
	return $bad
}

# dmn_kernel_empty: no partition left: no VF allocated, no VF VPort, no
# admin MAC filter, no host port.
dmn_kernel_empty() {
	local k msgs
	k=$(dmn_dump) || return 1
	msgs=$(jq -r '[.[] | .vfs[] | select(.state == "allocated")] as $v
	  | [.[] | .vports[] | select(.default | not)] as $p
	  | [.[] | .filters[] | select(.origin == "admin" and .type == "mac")] as $f
	  | (if ($v | length) > 0 then "\($v | length) VF(s) still allocated" else empty end),
	    (if ($p | length) > 0 then "\($p | length) VF VPort(s) left" else empty end),
	    (if ($f | length) > 0 then "\($f | length) admin MAC filter(s) left" else empty end)' <<<"$k")
	[ -z "$(ip -o link show type sriov_netvsc)" ] || msgs+=" host port(s) left: $(ip -o link show type sriov_netvsc)"
	[ -z "$msgs" ] || { echo "$msgs"; return 1; }
}
