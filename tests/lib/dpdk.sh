#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# DPDK helpers for the in-VM tests/vm/dpdk_*.sh tests: bind a VF to vfio-pci
# (the lab's --iommu gives an intel-iommu) and drive dpdk-testpmd in the
# background.  Sourced after tests/lib/ktap.sh.

# dpdk_bind_vfio BDF: hand a PCI function to vfio-pci.
dpdk_bind_vfio() {
	local bdf=$1 dev=/sys/bus/pci/devices/$1 drv
	[ -d /sys/kernel/iommu_groups/0 ] || { echo "no IOMMU groups (boot with --iommu)"; return 1; }
	modprobe vfio-pci || return 1
	if [ -e "$dev/driver" ]; then
		drv=$(basename "$(readlink -f "$dev/driver")")
		[ "$drv" = vfio-pci ] && return 0
		echo "$bdf" >"$dev/driver/unbind" || return 1
	fi
	echo vfio-pci >"$dev/driver_override" || return 1
	echo "$bdf" >/sys/bus/pci/drivers_probe
	[ "$(basename "$(readlink -f "$dev/driver")")" = vfio-pci ] ||
		{ echo "vfio-pci did not bind $bdf"; return 1; }
}

# dpdk_unbind BDF: release a function from its driver, clear the override.
dpdk_unbind() {
	local dev=/sys/bus/pci/devices/$1
	[ -e "$dev/driver" ] && echo "$1" >"$dev/driver/unbind"
	echo >"$dev/driver_override"
}

# dpdk_testpmd_start LOG BDF TESTPMD-ARGS...: start dpdk-testpmd on one PCI
# function in the background, output in LOG; wait until it forwards.  Sets
# DPDK_PID.  Returns 1 if testpmd exits or does not start forwarding within
# DPDK_START_S (default 240) seconds; timeout(1) ends it after
# DPDK_LIFE_S (default 600) seconds in any case.
#
# stdout goes through stdbuf -oL: testpmd's stdout to a file is otherwise
# fully buffered, "packet forwarding - ports=" shows up only when testpmd
# exits, and a test waiting for it starts its traffic against a testpmd
# that is already gone.
dpdk_testpmd_start() {
	local log=$1 bdf=$2
	shift 2
	: >"$log"
	timeout --preserve-status -s INT "${DPDK_LIFE_S:-600}" \
		stdbuf -oL -eL dpdk-testpmd -l 0-1 -n 1 --no-huge -m 256 -a "$bdf" \
		--file-prefix="dpdk$$" -- --nb-cores=1 --total-num-mbufs=4096 \
		--stats-period=600 "$@" </dev/null >"$log" 2>&1 &
	DPDK_PID=$!
	defer dpdk_testpmd_stop
	slowwait "${DPDK_START_S:-240}" dpdk_testpmd_forwarding "$log" || return 1
}

# (a testpmd that already exited is a zombie until waited for: kill -0
# still succeeds, so the log is checked for the shutdown too)
dpdk_testpmd_forwarding() {
	kill -0 "$DPDK_PID" 2>/dev/null || return 1
	grep -q 'packet forwarding - ports=' "$1" && ! grep -q 'Telling cores to stop' "$1"
}

# dpdk_testpmd_stop: SIGINT (testpmd prints its final statistics), wait at
# most 30 s, then SIGKILL.  Returns testpmd's exit status.
dpdk_testpmd_stop() {
	local i rc
	[ -n "${DPDK_PID:-}" ] || return 0
	kill -INT "$DPDK_PID" 2>/dev/null
	for ((i = 0; i < 60; i++)); do
		kill -0 "$DPDK_PID" 2>/dev/null || break
		sleep 0.5
	done
	kill -0 "$DPDK_PID" 2>/dev/null && kill -KILL "$DPDK_PID"
	wait "$DPDK_PID"
	rc=$?
	DPDK_PID=
	return $rc
}

# dpdk_port_mac LOG: the MAC testpmd printed for port 0 at start.
dpdk_port_mac() {
	sed -n 's/^Port 0: \([0-9A-Fa-f:]\{17\}\).*/\1/p' "$1" | head -n1 | tr 'A-F' 'a-f'
}

# dpdk_fwd_stat LOG FIELD: FIELD (RX-packets, TX-packets, RX-dropped, ...)
# of port 0 in testpmd's final "Forward statistics for port 0" block.
dpdk_fwd_stat() {
	awk -v f="$2" '
		/Forward statistics for port 0/ { inblk = 1; next }
		inblk && /-----------------------/ && seen { exit }
		inblk {
			seen = 1
			for (i = 1; i < NF; i++)
				if ($i == f ":") { print $(i + 1); exit }
		}' "$1"
}

# dpdk_require_dseq BIN: sriov-dpdk-sequdp builds only where libdpdk-dev is
# installed: skip when libdpdk is not installed, fail when it is but BIN
# was not built (the project's build is at fault then).
dpdk_require_dseq() {
	[ -x "$1" ] && return 0
	pkg-config --exists libdpdk 2>/dev/null &&
		ktap_bail "sriov-dpdk-sequdp not built although libdpdk is installed: $1"
	ktap_skip_all "sriov-dpdk-sequdp not built: libdpdk not installed"
}
