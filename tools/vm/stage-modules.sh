#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stage the project's modules for the lab guest: build/vm-modules/lib/modules/
# $KVER/updates/*.ko with a depmod run on the host (depmod over 9p under TCG
# takes ~50 s).  The guest mounts this as an overlay over /lib/modules, so
# `modprobe sriov_pf` works there and pulls in-tree dependencies.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tools/kver.sh"
kver=$(sriov_kver)
stage=$top/build/vm-modules
dst=$stage/lib/modules/$kver

rm -rf "$stage"
mkdir -p "$dst/updates"
for f in modules.builtin modules.builtin.modinfo modules.order; do
	cp "/lib/modules/$kver/$f" "$dst/"
done
n=0
for ko in "$top"/kernel/*/*.ko; do
	[ -e "$ko" ] || continue
	cp "$ko" "$dst/updates/"
	n=$((n + 1))
done
ln -s "/lib/modules/$kver/kernel" "$dst/kernel"	# so depmod sees in-tree deps
depmod -b "$stage" "$kver"
rm "$dst/kernel"
echo "stage-modules: $n module(s) staged for $kver"
