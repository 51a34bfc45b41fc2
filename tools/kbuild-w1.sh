#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Rebuild all modules from scratch with W=1 (in a scratch copy, so the
# tree's own build is untouched) and fail on any compiler or modpost
# warning.  With --sparse, also run sparse (C=2) and fail on its reports.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tools/kver.sh"
kdir=${KDIR:-/lib/modules/$(sriov_kver)/build}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/include"
cp -r "$top/kernel" "$scratch/"
cp -r "$top/include/uapi" "$scratch/include/" 2>/dev/null || true
(cd "$scratch/kernel" && make -s clean KDIR="$kdir" >/dev/null 2>&1 || true)
args=(W=1)
[ "${1:-}" = --sparse ] && args+=(C=2 CF=-D__CHECK_ENDIAN__)
log=$scratch/build.log
if ! make -j"$(nproc)" -C "$kdir" M="$scratch/kernel" "${args[@]}" modules >"$log" 2>&1; then
	cat "$log"
	echo "kbuild: build failed"
	exit 1
fi
if grep -E 'warning:|error:|sparse:|: note:' "$log" | grep -v 'Skipping BTF generation'; then
	echo "kbuild: warnings (W=1${args[1]:+, sparse})"
	exit 1
fi
echo "kbuild: clean (W=1${args[1]:+, sparse})"
