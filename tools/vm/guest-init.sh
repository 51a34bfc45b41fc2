#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the lab guest (after switch_root onto the host root).  Sets up
# the little a test needs (no udev, no systemd), exports the lab's layout in
# SRIOV_* variables, runs the command the harness asked for, saves dmesg and
# the exit code into the output directory, and powers off.  Also runs
# as a service under systemd (tools/vm/run --systemd).

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=${TERM:-linux} PYTHONDONTWRITEBYTECODE=1 LC_ALL=C.UTF-8

arg() {
	local w
	for w in $(cat /proc/cmdline); do
		case "$w" in "$1"=*) echo "${w#*=}" ;; esac
	done
}

SRIOV_TOP=$(arg sriov.top)
SRIOV_OUT=$(arg sriov.out)
interactive=$(arg sriov.interactive)
export SRIOV_TOP SRIOV_OUT

# PID 1, or sriov-lab.service under systemd (tools/vm/run --systemd,
# tools/vm/systemd-units.sh), which mounted the API file systems itself.
if [ $$ = 1 ]; then
	mkdir -p /dev/pts /dev/shm /dev/hugepages
	mount -t devpts -o gid=5,mode=620 devpts /dev/pts
	mount -t tmpfs tmpfs /dev/shm
	mount -t debugfs debugfs /sys/kernel/debug
	mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
	mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
	mount -t hugetlbfs hugetlbfs /dev/hugepages 2>/dev/null
	ln -sf /proc/self/fd /dev/fd 2>/dev/null
fi
hostname sriov-lab
ip link set lo up

# The external hosts' NICs are virtio-net; the 82576s get no driver here.
modprobe virtio_net

pci_dev_by_id() {	# vendor device -> BDFs, sorted
	local d
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = "$1" ] && [ "$(cat "$d/device")" = "$2" ] &&
			basename "$d"
	done | sort
}

netdev_of() {		# BDF -> netdev name (waits up to 5 s for the driver)
	local i n
	for i in $(seq 50); do
		n=$(ls "/sys/bus/pci/devices/$1/net" 2>/dev/null | head -n1)
		[ -z "$n" ] && n=$(ls /sys/bus/pci/devices/"$1"/virtio*/net 2>/dev/null | head -n1)
		[ -n "$n" ] && { echo "$n"; return; }
		sleep 0.1
	done
}

i=0
for bdf in $(pci_dev_by_id 0x8086 0x10c9); do
	export "SRIOV_PF$i=$bdf"
	i=$((i + 1))
done
export SRIOV_NUM_PFS=$i
for i in 0 1; do
	bdf=0000:00:1$i.0
	[ -d "/sys/bus/pci/devices/$bdf" ] || continue
	n=$(netdev_of "$bdf")
	export "SRIOV_EXT$i=$n" "SRIOV_EXT${i}_PCI=$bdf"
done
if [ -d /sys/bus/pci/devices/0000:00:12.0 ]; then
	export SRIOV_STANDBY_PCI=0000:00:12.0
	SRIOV_STANDBY=$(netdev_of 0000:00:12.0)
	export SRIOV_STANDBY
fi
env | grep '^SRIOV_' | sort >"$SRIOV_OUT/env.txt"

cd "$SRIOV_TOP" || exit 1
if [ "$interactive" = 1 ]; then
	echo "sriov-lab: a shell in the lab; 'exit' powers off.  Layout:"
	sed 's/^/  /' "$SRIOV_OUT/env.txt"
	[ -x "$SRIOV_OUT/profile.sh" ] && . "$SRIOV_OUT/profile.sh"
	setsid -c /bin/bash -i </dev/ttyS0 >/dev/ttyS0 2>&1
	rc=$?
else
	/bin/bash "$SRIOV_OUT/cmd.sh" >"$SRIOV_OUT/output.txt" 2>&1 </dev/null
	rc=$?
fi
dmesg >"$SRIOV_OUT/dmesg.txt"
echo "$rc" >"$SRIOV_OUT/rc"
sync
if [ $$ != 1 ]; then
	# under systemd: power off at once, as PID 1 does below
	echo o >/proc/sysrq-trigger
	sleep 60
	exit 0
fi
# PID 1 must not exit, and nothing may be exec'ed from the 9p root while
# the kernel powers off: wait on a FIFO with bash builtins only.
mkfifo /run/sriov-halt
echo o >/proc/sysrq-trigger
while :; do read -r -t 60 _ <>/run/sriov-halt; done
