#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a 6.12 debug kernel for `make check-debug` from Debian's
# /usr/src/linux-source-6.12.tar.xz: x86_64_defconfig trimmed of what the
# lab never uses, plus what it needs (virtio-pci/net/9p/console, overlayfs,
# pcie root ports with hotplug, SR-IOV, igb/igbvf as modules so they do not
# bind at boot, bridge, veth, 8021q, netns, vfio + intel-iommu), with KASAN,
# lockdep (PROVE_LOCKING) and kmemleak.  No debug info (build time).
#
# Output (DEBUG_KERNEL_DIR, default build/debug-kernel):
#   obj/arch/x86/boot/bzImage   the kernel
#   mods/lib/modules/KVER/      its modules (INSTALL_MOD_PATH)
#   kver                        its release string
# Then the project's modules are built against obj/ (kernel/*.ko land in
# DEBUG_KERNEL_DIR/kmod/kernel, not in the tree, so normal builds stay untouched;
# DEBUG_KMOD_DIR puts them elsewhere, e.g. when the kernel is someone else's).
#
#   tools/rel/build-debug-kernel.sh [config|kernel|modules|all]   (default all)
#   JOBS=2 NICE=19 to change the parallelism / niceness.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
dir=${DEBUG_KERNEL_DIR:-$top/build/debug-kernel}
tarball=${LINUX_SOURCE:-/usr/src/linux-source-6.12.tar.xz}
jobs=${JOBS:-2}
nice=${NICE:-19}
src=$dir/linux-source-6.12
obj=$dir/obj
kmod=${DEBUG_KMOD_DIR:-$dir/kmod}
step=${1:-all}

mk() { nice -n "$nice" make -C "$src" O="$obj" -j"$jobs" "$@"; }

unpack() {
	[ -f "$src/Makefile" ] && return
	[ -f "$tarball" ] || { echo "build-debug-kernel: $tarball missing" >&2; exit 1; }
	mkdir -p "$dir"
	tar -C "$dir" -xf "$tarball"
}

config() {
	unpack
	mkdir -p "$obj"
	mk x86_64_defconfig >/dev/null
	local c="$src/scripts/config --file $obj/.config"
	# Identity and build-time savers.
	$c --set-str LOCALVERSION "-sriovdbg" --disable LOCALVERSION_AUTO \
	   --enable DEBUG_INFO_NONE --disable DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT \
	   --disable DEBUG_INFO_BTF --disable MODULE_SIG --disable MODVERSIONS \
	   --disable DRM --disable SOUND --disable USB_SUPPORT --disable WLAN \
	   --disable WIRELESS --disable CFG80211 --disable MAC80211 --disable RFKILL \
	   --disable HID --disable INPUT_JOYSTICK --disable INPUT_TABLET \
	   --disable INPUT_TOUCHSCREEN --disable AGP --disable FB \
	   --disable EXT4_FS --disable ISO9660_FS --disable NFS_FS --disable AUTOFS_FS \
	   --disable ATA --disable SCSI --disable MD --disable PCCARD \
	   --disable HAMRADIO --disable NETFILTER \
	   --disable IP_MULTICAST --disable XFRM_USER --disable BT --disable MICROCODE \
	   --disable HIBERNATION --disable SUSPEND --disable KVM --disable CPU_FREQ \
	   --disable SECURITY_SELINUX --disable AUDIT --disable PROFILING --disable KPROBES
	# The lab.
	$c --enable MODULES --enable MODULE_UNLOAD --enable PCI --enable PCIEPORTBUS \
	   --enable HOTPLUG_PCI --enable HOTPLUG_PCI_PCIE --enable HOTPLUG_PCI_ACPI \
	   --enable PCI_IOV \
	   --enable PCI_MSI --enable VIRTIO_MENU --enable VIRTIO --enable VIRTIO_PCI \
	   --enable VIRTIO_CONSOLE --enable NET_9P --enable NET_9P_VIRTIO \
	   --enable 9P_FS --enable 9P_FS_POSIX_ACL --enable NETFS_SUPPORT \
	   --enable OVERLAY_FS --enable TMPFS --enable TMPFS_POSIX_ACL \
	   --enable DEVTMPFS --enable DEVTMPFS_MOUNT --enable HUGETLBFS \
	   --enable DEBUG_FS --enable FTRACE --enable NET_NS --enable NAMESPACES \
	   --enable CGROUPS --enable BPF_SYSCALL --enable INET --enable IPV6 \
	   --enable PACKET --enable UNIX --enable NETDEVICES --enable NET_CORE \
	   --enable ETHERNET --enable NET_VENDOR_INTEL --module IGB --module IGBVF \
	   --disable E100 --disable E1000 --disable E1000E --disable IXGB \
	   --disable IXGBE --disable IXGBEVF --disable I40E --disable I40EVF \
	   --disable ICE --disable IGC --disable IDPF --disable FM10K \
	   --enable VIRTIO_NET --module NET_FAILOVER --enable VETH --enable TUN \
	   --enable MACVLAN --enable BRIDGE --enable VLAN_8021Q --enable BRIDGE_VLAN_FILTERING \
	   --enable NET_SCHED --enable NET_SCH_INGRESS --enable NET_CLS_FLOWER \
	   --enable NET_CLS_ACT --enable NET_ACT_MIRRED --enable NET_ACT_GACT \
	   --enable NET_CLS_U32 --enable NET_SCH_NETEM --enable IP_MULTICAST \
	   --enable IOMMU_SUPPORT --enable INTEL_IOMMU --enable IRQ_REMAP \
	   --enable VFIO --module VFIO_PCI --enable VFIO_PCI_CORE \
	   --enable SERIAL_8250 --enable SERIAL_8250_CONSOLE --enable MAGIC_SYSRQ \
	   --enable IKCONFIG --enable IKCONFIG_PROC
	# The checkers.
	$c --enable KASAN --enable KASAN_GENERIC --enable KASAN_INLINE \
	   --enable PROVE_LOCKING --enable DEBUG_ATOMIC_SLEEP --enable DEBUG_LIST \
	   --enable DEBUG_KMEMLEAK --enable DEBUG_KMEMLEAK_AUTO_SCAN \
	   --set-val DEBUG_KMEMLEAK_MEM_POOL_SIZE 16000 \
	   --enable DEBUG_OBJECTS --enable DEBUG_OBJECTS_WORK --enable DEBUG_OBJECTS_TIMERS \
	   --enable REF_TRACKER --enable NET_DEV_REFCNT_TRACKER --enable NET_NS_REFCNT_TRACKER \
	   --enable FAULT_INJECTION --enable FAULT_INJECTION_DEBUG_FS \
	   --enable FAILSLAB --enable FAIL_PAGE_ALLOC \
	   --enable DETECT_HUNG_TASK --enable SOFTLOCKUP_DETECTOR
	mk olddefconfig >/dev/null
	# Other NIC vendors: nothing in the lab uses them.
	local v
	for v in $(sed -n 's/^CONFIG_\(NET_VENDOR_[A-Z0-9_]*\)=y$/\1/p' "$obj/.config"); do
		[ "$v" = NET_VENDOR_INTEL ] || $c --disable "$v"
	done
	mk olddefconfig >/dev/null
	# olddefconfig silently drops what it cannot satisfy: check the essentials.
	local sym
	for sym in KASAN PROVE_LOCKING DEBUG_KMEMLEAK VIRTIO_PCI 9P_FS OVERLAY_FS \
		   PCI_IOV HOTPLUG_PCI_PCIE BRIDGE VETH VLAN_8021Q PAGE_POOL VIRTIO_CONSOLE \
		   NET_CLS_U32 NET_SCH_NETEM IP_MULTICAST HOTPLUG_PCI_ACPI; do
		grep -q "^CONFIG_$sym=y" "$obj/.config" ||
			{ echo "build-debug-kernel: CONFIG_$sym not =y after olddefconfig" >&2; exit 1; }
	done
	for sym in IGB IGBVF; do
		grep -q "^CONFIG_$sym=m" "$obj/.config" ||
			{ echo "build-debug-kernel: CONFIG_$sym not =m" >&2; exit 1; }
	done
}

kernel() {
	[ -f "$obj/.config" ] || config
	mk bzImage modules
	mk -s kernelrelease >"$dir/kver"
	rm -rf "$dir/mods"
	mk INSTALL_MOD_PATH="$dir/mods" INSTALL_MOD_STRIP=1 modules_install >/dev/null
	echo "build-debug-kernel: $(cat "$dir/kver") in $obj/arch/x86/boot/bzImage"
}

project_modules() {
	[ -f "$obj/Module.symvers" ] || kernel
	# a copy, so the tree's own build (Debian kernel) stays as it is;
	# include/ beside it for the uapi header (kernel/pf/Kbuild)
	rm -rf "$kmod"
	mkdir -p "$kmod"
	cp -a "$top/kernel" "$top/include" "$kmod/"
	make -C "$kmod/kernel" clean KDIR="$obj" >/dev/null 2>&1 || true
	nice -n "$nice" make -C "$kmod/kernel" KDIR="$obj" modules
	ls "$kmod"/kernel/*/*.ko
}

case "$step" in
config) config ;;
kernel) kernel ;;
modules) project_modules ;;
all)
	[ -f "$obj/.config" ] || config
	kernel
	project_modules
	;;
*) echo "usage: $0 [config|kernel|modules|all]" >&2; exit 2 ;;
esac
