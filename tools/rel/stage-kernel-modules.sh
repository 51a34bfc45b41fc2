#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A lib/modules tree for `tools/vm/run --kernel IMAGE --modules OUT/lib/modules`:
# the kernel's own modules (KVER_TREE, e.g. build/debug-kernel/mods/lib/
# modules/KVER) copied (or symlinked with --link) plus the project's *.ko
# from KO_DIR in updates/, then depmod.
#
#   tools/rel/stage-kernel-modules.sh [--link] KVER_TREE KO_DIR OUT
set -euo pipefail
cp_mode=-a
if [ "${1:-}" = --link ]; then
	cp_mode=-as
	shift
fi
tree=$(cd "$1" && pwd)
kodir=$2
out=$3
kver=$(basename "$tree")
rm -rf "$out"
mkdir -p "$out/lib/modules"
cp $cp_mode "$tree" "$out/lib/modules/$kver"
rm -f "$out/lib/modules/$kver/build" "$out/lib/modules/$kver/source"
mkdir -p "$out/lib/modules/$kver/updates"
n=0
for ko in "$kodir"/*/*.ko; do
	[ -e "$ko" ] || continue
	cp "$ko" "$out/lib/modules/$kver/updates/"
	n=$((n + 1))
done
depmod -b "$out" "$kver"
echo "stage-kernel-modules: $kver with $n project module(s) in $out/lib/modules"
