#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Rebuild all modules from scratch with W=1 (in a scratch copy, so the
# tree's own build is untouched) and fail on any compiler or modpost
# warning.  With --sparse, also run sparse (C=2) and fail on its reports.
#
#   tools/kbuild-w1.sh [--sparse]      one build in a temporary copy
#
# make check shares one W=1 build between its two checks
# (tests/CMakeLists.txt):
#
#   tools/kbuild-w1.sh --tree DIR build    copy kernel/ into DIR (emptied
#       first) and build it with W=1, the log in DIR/build.log; fails only
#       when the build itself fails (lint.kbuild)
#   tools/kbuild-w1.sh --tree DIR w1       fail on any compiler or modpost
#       warning in DIR/build.log (lint.kbuild_w1)
#   tools/kbuild-w1.sh --tree DIR sparse   sparse over every source of
#       DIR's built tree (C=2 checks each source whether or not it needs
#       recompiling; nothing does), failing on its reports (lint.sparse)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tools/kver.sh"
kdir=${KDIR:-/lib/modules/$(sriov_kver)/build}
sparse_args=(C=2 CF=-D__CHECK_ENDIAN__)
warnings='warning:|error:|sparse:|: note:'

copy_tree() {	# DIR: a fresh copy of kernel/ and the uapi headers
	mkdir -p "$1/include"
	cp -r "$top/kernel" "$1/"
	cp -r "$top/include/uapi" "$1/include/" 2>/dev/null || true
	(cd "$1/kernel" && make -s clean KDIR="$kdir" >/dev/null 2>&1 || true)
}

kbuild() {	# DIR LOG ARGS...: build DIR/kernel's modules, the output in LOG
	local dir=$1 log=$2
	shift 2
	if ! make -j"$(nproc)" -C "$kdir" M="$dir/kernel" "$@" modules >"$log" 2>&1; then
		cat "$log"
		echo "kbuild: build failed"
		return 1
	fi
}

judge() {	# LOG WHAT: fail on any warning in LOG
	if grep -E "$warnings" "$1" | grep -v 'Skipping BTF generation'; then
		echo "kbuild: warnings ($2)"
		return 1
	fi
	echo "kbuild: clean ($2)"
}

if [ "${1:-}" = --tree ]; then
	dir=${2:?--tree DIR build|w1|sparse}
	case "${3:-}" in
	build)
		rm -rf "$dir"
		copy_tree "$dir"
		kbuild "$dir" "$dir/build.log.tmp" W=1
		mv "$dir/build.log.tmp" "$dir/build.log"
		echo "kbuild: built with W=1 in $dir"
		;;
	w1)
		[ -f "$dir/build.log" ] || { echo "kbuild: no W=1 build in $dir ($0 --tree $dir build)"; exit 1; }
		judge "$dir/build.log" "W=1"
		;;
	sparse)
		[ -f "$dir/build.log" ] || { echo "kbuild: no W=1 build in $dir ($0 --tree $dir build)"; exit 1; }
		kbuild "$dir" "$dir/sparse.log" W=1 "${sparse_args[@]}"
		n=$(grep -c '^  CHECK ' "$dir/sparse.log" || true)
		[ "$n" -gt 0 ] || { cat "$dir/sparse.log"; echo "kbuild: sparse checked no source"; exit 1; }
		judge "$dir/sparse.log" "sparse, $n sources"
		;;
	*)
		echo "usage: $0 --tree DIR build|w1|sparse" >&2
		exit 2
		;;
	esac
	exit
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
copy_tree "$scratch"
args=(W=1)
[ "${1:-}" = --sparse ] && args+=("${sparse_args[@]}")
kbuild "$scratch" "$scratch/build.log" "${args[@]}"
judge "$scratch/build.log" "W=1${args[1]:+, sparse}"
