#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-side: project
# bench-timeout: 360
#
# attach_ms, project side: `sriovctl attach` until traffic flows on the VF.
#
# Before the clock starts (as in 20-anchor-attach.sh): VF 0 of PF 0 exists,
# unbound, no admin MAC; sriovd runs (real backend); partition vm1 exists
# with its adapter nv0 (198.18.0.10) in netns vm1 on the synthetic path;
# the external host sends a 2000 packets/s sequenced stream to the child,
# with a permanent neighbour entry for the adapter's MAC; a packet socket
# in vm1 whose BPF filter drops what arrives on nv0 and lo waits for the
# first datagram of the stream that arrives on any other device there,
# i.e. on the VF.  Timed: `sriovctl attach vm1` (VF allocation with the
# admin MAC, VF driver probe, VPort, move into vm1, pairing, filter move,
# data path VF); the clock stops at that first datagram on the VF.
# After each run the adapter's own counters must say the data path is the
# VF (ethtool -S nv0: dp_active 1, vf_rx_packets > 0); then a planned
# failover gives the VF back for the next run.  Median of BENCH_ATTACH_RUNS
# (3) runs; every run in $BENCH_RAW/project-attach.jsonl with the daemon's
# own phase times.
. "$SRIOV_TOP/tools/bench/lib.sh"
. "$SRIOV_TOP/tests/vm/daemon_lib.bash"

RUNS=${BENCH_ATTACH_RUNS:-3}
MAC=02:00:5e:10:00:0a
PORT=9001
SETUP="sriovd: sriovctl attach (sriov_pf + sriov_vf + sriov_netvsc)"
DMN_STATE=/tmp/bench-sriovd
DMN_SOCK=$DMN_STATE/sriovd.sock
# The daemon's log stays in the VM (tmpfs) while the case runs and is copied
# to $BENCH_RAW at the end: appending to the 9p share costs a round trip to
# QEMU per line, which under a loaded host held up the daemon between steps
# for up to 36 ms (a lab artefact: under systemd the lines go to journald).
DMN_LOG=/tmp/bench-sriovd.log
SRIOV_PF1=
bdf=${SRIOV_PF0:-}
[ -n "$bdf" ] || bench_abort "no PF 0 in the lab"

fail() { bench_fail attach_ms project ms "$SETUP" "$1"; exit 0; }

bench_ext 0 || bench_abort "external host"
# the PFs go back to igb through bench_reset (it unloads sriov_pf); VFs
# as in the lab tests: autoprobe on, sriov_vf binds them (random MAC)
bench_sriov_pf 0 2 || fail "sriov_pf with 2 VFs on PF 0"
bench_sriovd_vm1 "$bdf" "$MAC" "$BENCH_CHILD_IP" project-attach || fail "sriovd with partition vm1"
bench_neigh ext0 "$BENCH_CHILD_IP" "$MAC"
synth_diag() {
	bench_log "diag: $(ip -br link show; bridge link show; ip -n vm1 -br addr; ip netns exec vm1 ethtool -S nv0 | grep -E 'syn_|dp_'; dmn_ctl vf show; dmn_ctl audit; ip -n ext0 neigh; dmesg | tail -n 15)"
}
slowwait 8 ping_ok ext0 "$BENCH_CHILD_IP" || { synth_diag; fail "the synthetic path does not work"; }

# vf_first READY: wait in vm1 for the first datagram to PORT that arrives
# on a device other than nv0 and lo; print when the watcher saw it (us,
# realtime), the device, and the kernel's receive time stamp of that frame
# (SO_TIMESTAMPNS, us, realtime; 0 if none): the first is the metric (as the
# anchor's first-packet.py measures), the difference is the watcher's own
# wake-up latency.
vf_first() {
	ip netns exec vm1 /usr/bin/python3 - "$PORT" "$1" "$(ip netns exec vm1 cat /sys/class/net/nv0/ifindex)" <<'PY'
import ctypes, socket, struct, sys, time
port, ready, nv0 = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
# ETH_P_ALL: taps see a frame on the VF before the adapter's rx_handler
# takes it; SOCK_DGRAM: data starts at the IP header
s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0003))
# cBPF: drop frames whose ifindex is nv0's or lo's (SKF_AD_IFINDEX)
prog = [(0x20, 0, 0, 0xfffff008), (0x15, 2, 0, nv0), (0x15, 1, 0, 1),
        (0x06, 0, 0, 0xffff), (0x06, 0, 0, 0)]
buf = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *i) for i in prog))
s.setsockopt(socket.SOL_SOCKET, 26, struct.pack("HL", len(prog), ctypes.addressof(buf)))
s.setsockopt(socket.SOL_SOCKET, 35, 1)  # SO_TIMESTAMPNS
s.settimeout(60)
open(ready, "w").write("ready\n")
while True:
    data, anc, _, addr = s.recvmsg(2048, 64)
    if addr[2] == socket.PACKET_OUTGOING or addr[1] != 0x0800 or len(data) < 24 or data[9] != 17:
        continue
    ihl = (data[0] & 15) * 4
    if struct.unpack("!H", data[ihl + 2:ihl + 4])[0] == port:
        seen = time.time_ns() // 1000
        rx = 0
        for level, kind, val in anc:
            if level == socket.SOL_SOCKET and kind == 35 and len(val) >= 16:
                sec, nsec = struct.unpack("qq", val[:16])
                rx = sec * 1000000 + nsec // 1000
        print(seen, addr[0], rx, flush=True)
        break
PY
}

ethstat() { ip netns exec vm1 ethtool -S nv0 | awk -v k="$1:" '$1 == k {print $2}'; }

attach_once() {
	local ready=$BENCH_RAW/pattach.ready out=$BENCH_RAW/pattach.first t0 t1 wpid spid first dev rx ev
	rm -f "$ready" "$out"
	vf_first "$ready" >"$out" &
	wpid=$!
	busywait 30000 test -e "$ready" || { kill $wpid; echo "watcher not ready"; return 1; }
	ip netns exec ext0 $BENCH_RT "$SEQUDP" send --dst "$BENCH_CHILD_IP" --port $PORT \
		--rate "$BENCH_RATE" --seconds 60 >/dev/null 2>&1 &
	spid=$!
	sleep 0.5
	t0=$(bench_us)
	dmn_ctl attach vm1 >/dev/null || { kill $spid $wpid; echo "attach failed: $(dmn_ctl events | tail -n 3)"; return 1; }
	t1=$(bench_us)
	wait $wpid
	kill $spid 2>/dev/null
	wait $spid 2>/dev/null
	read -r first dev rx <"$out"
	[ -n "$first" ] || { echo "no datagram arrived on the VF within 60 s"; return 1; }
	[ "${rx:-0}" -gt 0 ] 2>/dev/null || rx=$first
	# the adapter's own view: TX data path VF, frames received from the VF
	busywait 5000 test "$(ethstat dp_active)" = 1 ||
		{ echo "adapter data path is not the VF: dp_active=$(ethstat dp_active)"; return 1; }
	[ "$(ethstat vf_rx_packets)" -gt 0 ] || { echo "adapter: vf_rx_packets 0"; return 1; }
	ev=$(dmn_ctl --json events | jq -c '[.result.events[] | select(.type == "sequence" and .kind == "attach")] | last
		| {seq: .seq, result: .result, duration_ms: .duration_ms, start_ms: .start_ms,
		   phases: [.phases[] | {(.step): [.start_ms, .end_ms]}] | add}')
	# phases as [start, end] in ms after t0 (the wall clock of the VM)
	jq -cn --argjson cmd $(((t1 - t0) / 1000)) --argjson first $(((first - t0) / 1000)) \
		--argjson krx $(((rx - t0) / 1000)) \
		--arg dev "$dev" --argjson ev "$ev" --argjson rx "$(ethstat vf_rx_packets)" \
		--argjson t0 $((t0 / 1000)) \
		'{sriovctl_returned: $cmd, first_datagram_on_vf: $first, first_datagram_rx_stamp: $krx,
		  vf_netdev: $dev, adapter_vf_rx_packets: $rx,
		  sequence: ($ev | .start_ms -= $t0 | .phases |= map_values(map(. - $t0)))}'
}

: >"$BENCH_RAW/project-attach.jsonl"
for ((r = 1; r <= RUNS; r++)); do
	if j=$(attach_once); then
		echo "$j" >>"$BENCH_RAW/project-attach.jsonl"
		bench_log "attach run $r: $j"
	else
		bench_log "attach run $r failed: $j"
	fi
	dmn_ctl failover vm1 --hold 3600 >/dev/null || bench_log "failover after run $r failed"
	dmn_idle 60
done
n=$(wc -l <"$BENCH_RAW/project-attach.jsonl")
if [ "$n" -gt 0 ]; then
	med=$(jq -s 'map(.first_datagram_on_vf) | sort | .[(length - 1) / 2 | floor]' \
		"$BENCH_RAW/project-attach.jsonl")
	bench_record attach_ms project "$med" ms "$SETUP (median of $n)"
else
	fail "no attach run reached the VF"
fi
exit 0
