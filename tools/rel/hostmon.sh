#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host-side monitor of one lab VM (runs on the host, not in the guest):
#   tools/rel/hostmon.sh NAME [INTERVAL_S]
# Every INTERVAL_S (10) seconds, while the QEMU process of
# `tools/vm/run --name NAME` lives, one line: UTC time, seconds since the
# start, the QEMU process's CPU seconds (user+system, all its threads),
# its CPU share since the last line (1.00 = one host core), the host's
# 1-minute load and the guest's last progress line ("N s: M cycles").
# What a soak cycle costs the host: CPU seconds over cycles done.
set -u
name=$1 iv=${2:-10}
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/vm/$name/output.txt
pid=
for _ in $(seq 120); do
	pid=$(pgrep -f "qemu-system.*build/vm/$name[ /]" | head -n1)
	[ -n "$pid" ] && break
	sleep 1
done
[ -n "$pid" ] || { echo "no QEMU for $name" >&2; exit 1; }
tck=$(getconf CLK_TCK)
t0=$(date +%s) last=0 lastt=$t0
while [ -r /proc/$pid/stat ]; do
	read -r -a f < <(sed 's/.*) //' /proc/$pid/stat)
	c=$(( f[11] + f[12] ))
	now=$(date +%s)
	share=$(awk -v c=$c -v l=$last -v t=$tck -v d=$((now - lastt)) 'BEGIN { printf "%.2f", d ? (c - l) / t / d : 0 }')
	prog=$(grep -a 'cycles$' "$out" 2>/dev/null | tail -n1)
	echo "$(date -u +%H:%M:%S) $((now - t0)) s qemu_cpu $((c / tck)) s share $share load $(cut -d' ' -f1 /proc/loadavg) ${prog:+| $prog}"
	last=$c lastt=$now
	sleep "$iv"
done
