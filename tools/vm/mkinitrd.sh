#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the lab initramfs: a static busybox, the modules needed to mount the
# host root over virtio-9p (netfs, 9pnet, 9p, 9pnet_virtio) plus overlay,
# and tools/vm/initramfs-init as /init.  Output: $1 (default build/vm/initrd.cpio.gz).
# Rebuilt only when an input changed.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tools/kver.sh"
kver=$(sriov_kver)
out=${1:-$top/build/vm/initrd-$kver.cpio.gz}
# another kernel's modules (tools/vm/run --kernel/--modules): its
# INSTALL_MOD_PATH; what that kernel has built in needs no insmod
modroot=${MKINITRD_MODROOT:-}
moddir=$modroot/lib/modules/$kver
init=$top/tools/vm/initramfs-init

fresh() {
	[ -f "$out" ] && [ "$out" -nt "$init" ] && [ "$out" -nt "$0" ] &&
		[ "$out" -nt "$moddir/modules.dep" ]
}
fresh && exit 0
# Two lab boots may start together (runs by hand beside make check, the
# harness's own tests): one builds, the others wait and find it fresh.
mkdir -p "$(dirname "$out")"
exec 9>"$out.lock"
flock 9
fresh && exit 0

command -v busybox >/dev/null || { echo "mkinitrd: busybox missing (busybox-static)" >&2; exit 1; }
[ -f "$moddir/modules.dep" ] || { echo "mkinitrd: no modules for $kver" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,dev,proc,sys,newroot,modules}
cp "$(command -v busybox)" "$work/bin/busybox"
for a in sh mount umount switch_root mkdir insmod cat echo sleep mknod ls ln rm; do
	ln -s busybox "$work/bin/$a"
done

# Modules in dependency order, decompressed (busybox insmod takes plain .ko).
: >"$work/modules/load.list"
for m in 9p 9pnet_virtio overlay; do
	modprobe ${modroot:+-d "$modroot"} -S "$kver" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' | while read -r ko; do
	base=$(basename "$ko"); base=${base%.xz}; base=${base%.zst}
	case "$ko" in
	*.xz) xz -dc "$ko" >"$work/modules/$base" ;;
	*.zst) zstd -qdc "$ko" >"$work/modules/$base" ;;
	*) cp "$ko" "$work/modules/$base" ;;
	esac
	echo "$base" >>"$work/modules/load.list"
done

install -m 0755 "$init" "$work/init"
(cd "$work" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
mv "$out.tmp" "$out"
