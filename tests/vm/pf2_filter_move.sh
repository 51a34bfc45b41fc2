#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 300
#
# Atomic filter move: a 2000 packets/s sequenced UDP stream from the
# external host to one MAC, with a receiver behind each VPort (the PF's
# default VPort, through a bridge whose address is that MAC, and the
# igbvf VF whose VPort gets the filter), while the MAC filter moves 100
# times between the two VPorts.  Every datagram must reach one of them.
# PF2_OTHERS=N (pf2_filter_move_crowded) first adds N other partitions'
# MAC filters on the default VPort, which must stay there through the
# moves.
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/lib/pf2_lib.sh"

[ -n "${SRIOV_PF0:-}" ] || ktap_bail "no 82576 PF in the lab"
seq=$SRIOV_TOP/build/cmake/tools/traffic/sriov-sequdp
[ -x "$seq" ] || ktap_bail "sriov-sequdp not built (make userspace)"
pf2_need_ynl
ynl=$PF2_YNL
spec=$PF2_SPEC
py=$PF2_PY
MAC=02:00:5e:10:dd:01
IP=198.18.0.50
RATE=${PF2_RATE:-2000}
MOVES=${PF2_MOVES:-100}
SECS=${PF2_SECS:-25}
OTHERS=${PF2_OTHERS:-0}

ktap_header
ktap_plan $((OTHERS > 0 ? 7 : 6))

pf2_load_pf
# TCG stalls the guest for 100s of ms at times: give both receivers
# rings that buffer ~2 s of the stream (a full ring drops in the NIC)
ethtool -G "$pf" rx 4096 >/dev/null 2>&1 || ethtool -G "$pf" rx 2048 >/dev/null 2>&1
pf2_pf_up
# (make bench runs this inside a case that already set up ext0)
if ! ip netns exec ext0 ip link show "$SRIOV_EXT0" >/dev/null 2>&1; then
	ext_ns_setup 0 || ktap_bail "external host"
fi
ip -n ext0 neigh add $IP lladdr $MAC dev "$SRIOV_EXT0" nud permanent

pf2_enable_vfs 1

setup_switch() {
	local o
	o=$(sriov --do vf-alloc --json "{\"ifindex\": $ifindex, \"vf-id\": 0, \"serial\": 4242, \"mac\": \"${MAC//:/}\"}" 2>&1) ||
		{ echo "vf-alloc (ifindex $ifindex, PF $pf): $o"
		  sriov --dump switch-get; ip -br link; return 1; }
	vport=$(sriov --do vport-new --json "{\"ifindex\": $ifindex, \"vf-id\": 0}" | jq '."vport-id"') || return 1
	fid=$(sriov --do filter-add --json "{\"ifindex\": $ifindex, \"vport-id\": 0, \"mac\": \"${MAC//:/}\"}" | jq '."filter-id"') || return 1
	echo "VF 0 VPort $vport, filter $fid for $MAC on the default VPort"
	echo "$vport $fid" >"$SRIOV_OUT/pf2_switch"
}
ktap_result "VF allocated with the MAC, VPort created, MAC filter on the default VPort" \
	setup_switch || ktap_bail "switch setup"
read -r vport fid <"$SRIOV_OUT/pf2_switch"

# other partitions on the default VPort: MACs 02:00:5e:10:ee:01...
others() {
	$py - "$ynl" "$spec" "$ifindex" "$1" "$OTHERS" <<'PY'
import os
import sys
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, os.environ["SRIOV_TOP"] + "/tests/lib")
import ynl_libyaml  # noqa: F401  (specs parsed by libyaml)
from lib import YnlFamily
ynl = YnlFamily(sys.argv[2], "")
pf = {"ifindex": int(sys.argv[3])}
n = int(sys.argv[5])
macs = {bytes([2, 0, 0x5e, 0x10, 0xee, i + 1]) for i in range(n)}
if sys.argv[4] == "add":
    for m in sorted(macs):
        ynl.do("filter-add", {**pf, "vport-id": 0, "mac": m})
    sys.exit(0)
def mac(f):
    m = f.get("mac", b"")   # bytes, or a string with the spec's display hint
    return bytes.fromhex(m.replace(":", "")) if isinstance(m, str) else m
fl = [f for f in ynl.dump("filter-get", pf) if mac(f) in macs]
ok = len(fl) == n and all(f["vport-id"] == 0 and "hw-index" not in f
                          for f in fl)
print(f"{len(fl)} of {n} other filters found, all on VPort 0 without "
      f"an exact entry: {ok}")
sys.exit(0 if ok else 1)
PY
}
if [ "$OTHERS" -gt 0 ]; then
	others add || ktap_bail "$OTHERS other MAC filters on the default VPort"
fi

# receiver 1: the PF side (default VPort), a bridge that owns the MAC
ip link add br0 type bridge
defer ip link del br0
ip link set br0 address $MAC
ip link set "$pf" master br0
ip link set br0 up
ip addr add $IP/24 dev br0
# receiver 2: the VF, with the same MAC (from vf-alloc) and address
setup_vf() {
	pf2_bind_vf 0 igbvf child0 $IP/24 4096 || return 1
	[ "$(ip -n child0 -br link show "$(ns_ether_dev child0)" | awk '{print $3}')" = $MAC ] ||
		{ echo "VF MAC $(ip -n child0 -br link show "$(ns_ether_dev child0)")"; return 1; }
}
defer ip netns del child0	# setup_vf creates it, also when it fails later
ktap_result "igbvf VF up with the allocated MAC in its namespace" setup_vf ||
	ktap_bail "VF setup"

odir=$SRIOV_OUT
# under TCG the receivers lag behind; let the sockets buffer (sequdp asks
# for 4 MiB, capped by rmem_max)
sysctl -qw net.core.rmem_max=16777216 net.core.netdev_max_backlog=20000
ip netns exec child0 sysctl -qw net.core.netdev_max_backlog=20000 2>/dev/null
rm -f "$odir"/pf2_r*.json "$odir"/pf2_*.ready
# the receivers outlive the sender, which falls far behind its rate on a
# slow (debug) kernel; each ends 4 s after its last datagram
recv_tmo=$((SECS * 6 + 60))
$seq recv --bind $IP --idle-ms 4000 --timeout $recv_tmo \
	--ready "$odir/pf2_pf.ready" --out "$odir/pf2_rpf.json" >/dev/null &
rpf=$!
ip netns exec child0 $seq recv --bind $IP --idle-ms 4000 \
	--timeout $recv_tmo --ready "$odir/pf2_vf.ready" \
	--out "$odir/pf2_rvf.json" >/dev/null &
rvf=$!
busywait 10000 test -e "$odir/pf2_pf.ready" -a -e "$odir/pf2_vf.ready" ||
	ktap_bail "receivers not ready"

ip netns exec ext0 $seq send --dst $IP --rate $RATE --seconds "$SECS" \
	>"$odir/pf2_send.json" &
snd=$!
sleep 2
# spread the moves over the stream, leaving 3 s at the end
period=$(awk -v s="$SECS" -v m="$MOVES" 'BEGIN { printf "%.3f", (s - 5) / m }')
mover=$($py "$SRIOV_TOP/tests/vm/pf2_mover.py" "$ynl" "$spec" "$ifindex" \
	"$fid" 0 "$vport" "$MOVES" "$period")
ktap_diag "mover: $mover"
wait $snd
wait $rpf $rvf
ktap_diag "sender: $(cat "$odir/pf2_send.json")"
ktap_diag "PF-side receiver: $(cat "$odir/pf2_rpf.json")"
ktap_diag "VF-side receiver: $(cat "$odir/pf2_rvf.json")"

ktap_diag "PF rx packets $(cat /sys/class/net/$pf/statistics/rx_packets), UDP: $(grep '^Udp:' /proc/net/snmp | tail -n 1)"
ktap_diag "PF ring: $(ethtool -g "$pf" | awk '/^RX:/ { n++; if (n == 2) print }'), drops: $(ethtool -S "$pf" | grep -iE 'missed|no_buf' | tr -s ' ' | tr '\n' ' ')"
ktap_diag "child0 UDP: $(ip netns exec child0 grep '^Udp:' /proc/net/snmp | tail -n 1)"
moves_ok() { jq -e --argjson m "$MOVES" '.moves == $m and .monotonic_stamps' <<<"$mover" >/dev/null; }
ktap_result "$MOVES filter moves done" moves_ok
sent=$(jq .sent "$odir/pf2_send.json")
upf=$(jq .unique "$odir/pf2_rpf.json")
uvf=$(jq .unique "$odir/pf2_rvf.json")
both_got() { [ "${upf:-0}" -gt 0 ] && [ "${uvf:-0}" -gt 0 ]; }
ktap_result "both VPorts received part of the stream (PF $upf, VF $uvf)" both_got
no_dup() {
	jq -e '.duplicated == 0' "$odir/pf2_rpf.json" >/dev/null &&
		jq -e '.duplicated == 0' "$odir/pf2_rvf.json" >/dev/null
}
ktap_result "no duplicates at either receiver" no_dup
lost=$((sent - upf - uvf))
echo "$lost" >"$odir/filter_move_lost"
zero_loss() { echo "sent $sent, received $((upf + uvf)), lost $lost"; [ "$lost" -eq 0 ]; }
ktap_result "0 datagrams lost across $MOVES moves at $RATE/s" zero_loss
if [ "$OTHERS" -gt 0 ]; then
	ktap_result "the $OTHERS other partitions' filters stayed on the default VPort" \
		others check
fi
ktap_finished
