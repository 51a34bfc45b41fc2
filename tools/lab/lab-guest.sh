#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inside the lab (tools/lab/lab.sh, `make lab`): the scenario of issue #8 on
# two emulated 82576s with the project's drivers and sriovd:
#
#   load sriov_pf, sriov_vf, sriov_netvsc; 2 VFs on each PF (sriov_vf); start sriovd;
#   two child partitions vm1, vm2 on NIC 0 (synthetic path first); attach a
#   VF to each; a sequenced UDP stream (tools/traffic/sriov-sequdp, 2000
#   packets/s) from the external world to a child during each of:
#     traffic on the VF, planned failover (vm1), re-attach (vm1), surprise
#     removal (vm2: its VF driver is unbound under it), re-attach (vm2),
#     migration of vm1 from NIC 0 to NIC 1 (prepare + complete);
#   then a report: what happened, sriovd's sequence times, loss per step.
#
# The "world" is one L2 network across both NICs: the external host's two
# NICs (SRIOV_EXT0 on NIC 0's wire, SRIOV_EXT1 on NIC 1's) bridged in netns
# world (198.18.0.1/24).  Logs: $SRIOV_OUT (sriovd.log, lab/*.json, the
# report in report.txt).  Exit status 0 when every step ran and the planned
# failover, the surprise removal and the migration lost nothing.
set -u
. "$SRIOV_TOP/tools/bench/lib.sh"
. "$SRIOV_TOP/tests/vm/daemon_lib.bash"

BENCH_RAW=$SRIOV_OUT/lab
BENCH_METRICS=$SRIOV_OUT/lab/metrics.jsonl
BENCH_CASE=lab
BENCH_IDLE_MS=${BENCH_IDLE_MS:-3000}
mkdir -p "$BENCH_RAW"
sysctl -qw net.core.rmem_max=8388608
REPORT=$SRIOV_OUT/report.txt
: >"$REPORT"
SECS=${LAB_STREAM_SECS:-6}	# each step's stream; the action starts at 1.5 s
MAC1=02:00:5e:00:01:01
MAC2=02:00:5e:00:01:02
IP1=198.18.0.11
IP2=198.18.0.12
rc=0

say() { printf '%s\n' "$*" | tee -a "$REPORT"; }
die() { say "lab: $*"; say "logs: $SRIOV_OUT (sriovd.log, dmesg.txt, output.txt)"; exit 1; }
section() { printf '\n== %s\n' "$*"; }

# Deep RX rings (as the netvsc tests): when the host deschedules the TCG
# guest for a second, the world's paced sender catches up in one burst that
# overflows 256 descriptors (the loss would be the lab's, not a switch's).
deep_rings() { in_ns "${2:-}" ethtool -G "$1" rx 4096 tx 4096 2>/dev/null || in_ns "${2:-}" ethtool -G "$1" rx 4096 2>/dev/null; }
# the VF netdevs of the children (new ones after every attach), between steps
vf_rings() {
	local ns d
	for ns in vm1 vm2; do
		for d in $(ip netns exec "$ns" sh -c 'for d in /sys/class/net/*; do [ -e "$d/device/physfn" ] && echo "${d##*/}"; done'); do
			[ "$(in_ns "$ns" ethtool -g "$d" 2>/dev/null | awk '/^Current/ {c=1} c && /^RX:/ {print $2; exit}')" = 4096 ] ||
				deep_rings "$d" "$ns"
		done
	done
}

section "Drivers and NICs"
why=$(dmn_modules) || die "$why"
for var in SRIOV_PF0 SRIOV_PF1; do
	bdf=${!var:-}
	[ -n "$bdf" ] || die "the lab has no $var (needs --nics 2)"
	sys=/sys/bus/pci/devices/$bdf
	drv=$(basename "$(readlink -f "$sys/driver" 2>/dev/null)" 2>/dev/null)
	if [ "$drv" != sriov_pf ]; then
		[ -n "$drv" ] && echo "$bdf" >"$sys/driver/unbind"
		echo "$bdf" >/sys/bus/pci/drivers/sriov_pf/bind || die "sriov_pf does not bind $bdf"
	fi
	n=$(wait_pci_netdev "$bdf" 15) || die "no netdev on $bdf"
	ip link set "$n" up
	echo 2 >"$sys/sriov_numvfs" || die "cannot enable 2 VFs on $bdf"
	deep_rings "$n"
	wait_carrier "$n" 30 || die "$n: no carrier"
	echo "  $bdf: sriov_pf, netdev $n, 2 VFs (sriov_vf)"
done
lsmod | grep -E '^sriov_' | sed 's/^/  /'

section "External world (bridge of both NIC wires)"
ip netns add world || die "netns world"
for d in "$SRIOV_EXT0" "$SRIOV_EXT1"; do ip link set "$d" netns world || die "$d"; done
ip -n world link add wbr type bridge stp_state 0 forward_delay 0
for d in "$SRIOV_EXT0" "$SRIOV_EXT1" wbr lo; do ip -n world link set "$d" up; done
for d in "$SRIOV_EXT0" "$SRIOV_EXT1"; do deep_rings "$d" world; done
ip -n world link set "$SRIOV_EXT0" master wbr
ip -n world link set "$SRIOV_EXT1" master wbr
ip -n world addr add "$BENCH_EXT_IP/24" dev wbr
echo "  world: $SRIOV_EXT0 + $SRIOV_EXT1 in bridge wbr, $BENCH_EXT_IP/24"

section "sriovd"
dmn_start || die "sriovd does not start: $(tail -n 3 "$DMN_LOG")"
echo "  sriovd pid $DMN_PID, socket $DMN_SOCK, log $DMN_LOG"
ctl() { echo "  \$ sriovctl $*"; dmn_ctl "$@" 2>&1 | sed 's/^/    /'; return "${PIPESTATUS[0]}"; }
ctl status

section "Two child partitions on NIC 0 (synthetic path)"
ctl partition add vm1 --pf "$SRIOV_PF0" --mac "$MAC1" || die "partition add vm1"
ctl partition add vm2 --pf "$SRIOV_PF0" --mac "$MAC2" || die "partition add vm2"
for p in vm1:$IP1:$MAC1 vm2:$IP2:$MAC2; do
	IFS=: read -r ns ip mac <<<"$p"
	mac=${p#*:*:}
	ip -n "$ns" link set lo up
	ip -n "$ns" link set nv0 up
	ip -n "$ns" addr add "$ip/24" dev nv0
	bench_neigh world "$ip" "$mac" wbr
	slowwait 20 ping_ok world "$ip" || die "world cannot reach $ns over the synthetic path"
	echo "  world pings $ns ($ip) over the synthetic path"
done

# --- the steps ------------------------------------------------------------
declare -a ROWS
last_seq_event() { # KIND PARTITION: the last finished sequence of that kind
	dmn_ctl --json events | jq -c --arg k "$1" --arg p "$2" \
		'[.result.events[] | select(.type == "sequence" and .kind == $k and .partition == $p)] | last // {}'
}
seq_summary() { # EVENT_JSON
	jq -r '"\(.result // "-") in \(.duration_ms // "-") ms" + (if (.reason // "ok") != "ok" then " (\(.reason))" else "" end)' <<<"$1"
}
dp() { ip netns exec "$1" ethtool -S nv0 2>/dev/null | awk '$1 == "dp_active:" {print ($2 == 1 ? "VF" : "synthetic")}'; }

# step NAME PARTITION IP ACTION...: a stream to the partition, ACTION at
# 1.5 s, the stream's result in the report.
step() {
	local name=$1 ns=$2 ip=$3 t0 t1 ok=1 tag
	shift 3
	tag=${name//[^A-Za-z0-9]/_}
	section "$name"
	if ! bench_seq_start "$tag" "$ns" world "$ip" "$SECS"; then
		ROWS+=("$(printf '%-26s %-5s %-34s %s' "$name" "$ns" "stream did not start" "-")")
		rc=1
		return 1
	fi
	bench_seq_at 1500
	t0=$(bench_us)
	"$@" || ok=0
	t1=$(bench_us)
	bench_seq_wait "$tag" || { SEQ_SENT=-; SEQ_LOST=-; SEQ_GAP_MS=-; }
	[ $ok = 1 ] || rc=1
	STEP_MS=$(((t1 - t0) / 1000))
	ROWS+=("$(printf '%-26s %-5s %-34s %6s ms %6s/%-6s %8s ms  %s' "$name" "$ns" "${STEP_WHAT:-}" \
		"$STEP_MS" "$SEQ_LOST" "$SEQ_SENT" "$SEQ_GAP_MS" "data path now: $(dp "$ns")")")
	STEP_WHAT=
	vf_rings
	[ $ok = 1 ]
}

do_attach() { # PARTITION
	ctl attach "$1" || return 1
	STEP_WHAT="attach $(seq_summary "$(last_seq_event attach "$1")")"
}
do_failover() {
	ctl failover "$1" --hold 3600 || return 1
	STEP_WHAT="failover $(seq_summary "$(last_seq_event failover "$1")")"
}
do_nothing() { sleep 1; STEP_WHAT="(VF data path, no action)"; }
do_surprise() { # PARTITION: unbind its VF's driver, as a hot-unplug would
	local vf bdf t0
	vf=$(dmn_ctl --json list | jq -r --arg p "$1" '.result[] | select(.name == $p) | "\(.vf.pf) \(.vf.vf)"')
	read -r pf idx <<<"$vf"
	bdf=$(basename "$(readlink -f "/sys/bus/pci/devices/$pf/virtfn$idx")")
	echo "  unbinding the driver of VF $idx ($bdf) under $1"
	t0=$(date +%s%3N)
	echo "$bdf" >"/sys/bus/pci/devices/$bdf/driver/unbind" || return 1
	# sriovd notices (adapter lost its VF) and runs a surprise sequence;
	# the partition still wants a VF, so the arbiter re-attaches it
	if busywait 20000 sh -c "'$SRIOVCTL' --socket '$DMN_SOCK' --json events | jq -e --arg p '$1' --argjson t $t0 \
		'[.result.events[] | select(.type == \"sequence\" and .kind == \"surprise\" and .partition == \$p and .end_ms >= \$t)] | length > 0' >/dev/null"; then
		STEP_WHAT="surprise $(seq_summary "$(last_seq_event surprise "$1")")"
	else
		STEP_WHAT="sriovd saw no loss in 20 s"
		return 1
	fi
}
do_reattach_wait() { # PARTITION: the arbiter's automatic re-attach
	local t0=$1
	shift
	if busywait 30000 sh -c "'$SRIOVCTL' --socket '$DMN_SOCK' --json list | jq -e --arg p '$1' '.result[] | select(.name == \$p) | .vf.datapath == \"vf\"' >/dev/null"; then
		dmn_idle 30
		STEP_WHAT="automatic attach $(seq_summary "$(last_seq_event attach "$1")")"
	else
		ctl attach "$1" || return 1
		STEP_WHAT="attach $(seq_summary "$(last_seq_event attach "$1")")"
	fi
}
do_migrate() { # PARTITION DEST_PF
	ctl migrate "$1" --to "$2" || return 1
	ctl migrate "$1" --complete || return 1
	STEP_WHAT="prepare $(jq -r '.duration_ms' <<<"$(last_seq_event migrate_prepare "$1")") ms + complete $(seq_summary "$(last_seq_event migrate_complete "$1")")"
}

step "attach vm1" vm1 "$IP1" do_attach vm1
step "attach vm2" vm2 "$IP2" do_attach vm2
step "traffic on the VF" vm1 "$IP1" do_nothing
step "planned failover" vm1 "$IP1" do_failover vm1
PLANNED_LOST=$SEQ_LOST
step "re-attach" vm1 "$IP1" do_attach vm1
step "surprise removal" vm2 "$IP2" do_surprise vm2
SURPRISE_LOST=$SEQ_LOST
step "re-attach after surprise" vm2 "$IP2" do_reattach_wait 0 vm2
step "migration NIC 0 -> NIC 1" vm1 "$IP1" do_migrate vm1 "$SRIOV_PF1"
MIGRATION_LOST=$SEQ_LOST

section "State after the scenario"
ctl list
ctl audit || rc=1
problems=$(dmn_kernel_check 2>&1) || { echo "$problems"; rc=1; }

{
	echo
	echo "==================== sriov lab report ===================="
	echo "two 82576 (QEMU igb, TCG), sriov_pf + sriov_vf + sriov_netvsc, sriovd"
	echo "stream: sriov-sequdp $BENCH_RATE packets/s from the world to the child, ${SECS} s per step,"
	echo "action at 1.5 s; 'action' = wall time of the sriovctl command(s) or the wait"
	echo
	printf '%-26s %-5s %-34s %9s %13s %11s\n' step child "what sriovd did" action lost/sent "longest gap"
	for r in "${ROWS[@]}"; do echo "$r"; done
	echo
	for what in "planned failover:$PLANNED_LOST" "surprise removal:$SURPRISE_LOST" \
		"migration:$MIGRATION_LOST"; do
		if [ "${what##*:}" = 0 ]; then
			echo "${what%:*}: 0 packets lost"
		else
			echo "${what%:*}: ${what##*:} packets lost (expected 0)"
			rc=1
		fi
	done
	echo "audit (sriovd model vs kernel dumps) and independent kernel check: $([ $rc = 0 ] && echo consistent || echo see above)"
	echo "logs: $SRIOV_OUT/ (sriovd.log, output.txt, dmesg.txt, lab/*.json per stream)"
	echo "=========================================================="
} | tee -a "$REPORT"

section "Teardown"
ctl partition remove vm1 >/dev/null
ctl partition remove vm2 >/dev/null
dmn_stop
exit $rc
