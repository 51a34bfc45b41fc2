#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inside the lab VM: VF throughput behind each PF driver, side by side in
# one run - the experiment behind the "VF data path" section of
# Documentation/performance.rst.  For every round, PF driver and VF driver:
# VF 0 in netns child (198.18.0.10, admin MAC), ping RTT, iperf3 rx
# (external host -> VF) and tx (-R), the /proc/interrupts and CPU deltas of
# each run, and a dump of the PF registers (tools/bench/pf-regs.py).
#
#   tools/vm/run --name vfcmp --nics 1 -- tools/bench/vf-pf-compare.sh
#   # deterministic (virtual time follows guest instructions):
#   tools/vm/run --name vfcmp --nics 1 --qemu-arg=-icount \
#       --qemu-arg=shift=3,sleep=off -- tools/bench/vf-pf-compare.sh
#
# Environment: VFCMP_ROUNDS (2), VFCMP_SECS (4), VFCMP_PFS ("igb sriov_pf"),
# VFCMP_VFS ("igbvf sriov_vf"), VFCMP_COAL (e.g. "0_0 125_125": sriov_vf
# rx_usecs_tx_usecs settings to try, each measured).  The lab harness passes
# no environment: give them as arguments, e.g.
#   tools/vm/run --name vfcmp --nics 1 -- tools/bench/vf-pf-compare.sh \
#       VFCMP_ROUNDS=3 "VFCMP_PFS=igb sriov_pf"
# Results: "RESULT ..." lines on stdout, raw data in $SRIOV_OUT/vfcmp/.
. "$SRIOV_TOP/tools/bench/lib.sh"

for arg in "$@"; do
	case $arg in
	VFCMP_*=*) declare "$arg" ;;
	*) echo "usage: $0 [VFCMP_NAME=VALUE...]" >&2; exit 2 ;;
	esac
done
ROUNDS=${VFCMP_ROUNDS:-2}
SECS=${VFCMP_SECS:-4}
PFS=${VFCMP_PFS:-igb sriov_pf}
VFS=${VFCMP_VFS:-igbvf sriov_vf}
COAL=${VFCMP_COAL:-}
VF_MAC=02:00:5e:10:00:01
bdf=${SRIOV_PF0:?no PF 0 in the lab}
sys=/sys/bus/pci/devices/$bdf
OUT=$SRIOV_OUT/vfcmp
BENCH_RAW=$OUT
mkdir -p "$OUT"

bind_pf() {
	local drv=
	[ -e "$sys/driver" ] && drv=$(basename "$(readlink "$sys/driver")")
	[ "$drv" = "$1" ] && return 0
	[ -n "$drv" ] && { echo "$bdf" >"/sys/bus/pci/drivers/$drv/unbind" || return 1; }
	modprobe "$1" || return 1
	[ -e "$sys/driver" ] || echo "$bdf" >"/sys/bus/pci/drivers/$1/bind"
}

snap() {
	cat /proc/interrupts >"$OUT/$1.irq"
	head -1 /proc/stat >"$OUT/$1.stat"
}

# delta A B: per-IRQ counts (per CPU) and guest CPU shares between snapshots
delta() {
	/usr/bin/python3 - "$OUT/$1" "$OUT/$2" <<'PY'
import sys
def irqs(f):
    d = {}
    lines = open(f).read().splitlines()
    ncpu = len(lines[0].split())
    for l in lines[1:]:
        p = l.split()
        d[p[0].rstrip(":")] = ([int(x) for x in p[1:1 + ncpu] if x.isdigit()],
                               p[-1])
    return d
a, b = irqs(sys.argv[1] + ".irq"), irqs(sys.argv[2] + ".irq")
out = []
for k, (cnt, name) in b.items():
    if k in a and len(cnt) == len(a[k][0]):
        dd = [y - x for x, y in zip(a[k][0], cnt)]
        if sum(dd) > 0 and not k.isalpha():
            out.append(f"{name}{dd}")
sa = list(map(int, open(sys.argv[1] + ".stat").read().split()[1:]))
sb = list(map(int, open(sys.argv[2] + ".stat").read().split()[1:]))
d = [y - x for x, y in zip(sa, sb)]
t = sum(d) or 1
names = "user nice sys idle iowait irq softirq".split()
print(" ".join(out), "| cpu%", " ".join(f"{n}={100 * v // t}" for n, v in zip(names, d)))
PY
}

# measure TAG VFDEV: ping, iperf3 rx and tx
measure() {
	local tag=$1 rx tx
	echo "# $tag ping: $(ip netns exec ext0 ping -c 20 -i 0.05 -q 198.18.0.10 | tail -1)"
	snap "$tag.0"
	rx=$(bench_iperf child 198.18.0.10 ext0 "$SECS" "$tag.rx")
	snap "$tag.1"
	tx=$(bench_iperf child 198.18.0.10 ext0 "$SECS" "$tag.tx" -R)
	snap "$tag.2"
	echo "RESULT $tag rx=${rx:-null} tx=${tx:-null}"
	echo "# $tag rx: $(delta "$tag.0" "$tag.1")"
	echo "# $tag tx: $(delta "$tag.1" "$tag.2")"
}

bench_ext 0 || bench_abort "external host"
for r in $(seq "$ROUNDS"); do
	for pfd in $PFS; do
		bind_pf "$pfd" || { echo "# $pfd did not bind"; continue; }
		pf=$(wait_pci_netdev "$bdf" 15) || continue
		ip link set "$pf" up
		wait_carrier "$pf" 30 || echo "# $pf: no carrier"
		echo 0 >"$sys/sriov_drivers_autoprobe"
		echo 1 >"$sys/sriov_numvfs" || continue
		vf=$(bench_vf_bdf 0 0)
		ip link set "$pf" vf 0 mac "$VF_MAC"
		for vfd in $VFS; do
			vfdev=$(bench_vf_bind "$vf" "$vfd") || { echo "# $vfd did not bind"; continue; }
			ip netns add child
			ip -n child link set lo up
			ip link set "$vfdev" netns child
			ip -n child addr add 198.18.0.10/24 dev "$vfdev"
			ip -n child link set "$vfdev" up
			wait_carrier "$vfdev" 30 child || echo "# VF: no carrier"
			slowwait 15 ping_ok ext0 198.18.0.10 || echo "# VF: no ping"
			"$SRIOV_TOP/tools/bench/pf-regs.py" "$bdf" >"$OUT/regs.r$r.$pfd.$vfd.txt" 2>&1
			if [ "$vfd" = sriov_vf ] && [ -n "$COAL" ]; then
				for c in $COAL; do
					ip netns exec child ethtool -C "$vfdev" \
						rx-usecs "${c%%_*}" tx-usecs "${c##*_}"
					measure "r$r.$pfd.$vfd.itr$c"
				done
			else
				measure "r$r.$pfd.$vfd"
			fi
			ip netns del child
			sleep 1
			echo "$vf" >"/sys/bus/pci/devices/$vf/driver/unbind"
			echo >"/sys/bus/pci/devices/$vf/driver_override"
		done
		echo 0 >"$sys/sriov_numvfs"
		ip link set "$pf" down
	done
done
exit 0
