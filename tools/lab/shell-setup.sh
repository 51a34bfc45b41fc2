#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inside the lab, before `make lab-shell` hands over the shell: load the
# project's modules, put sriov_pf on both 82576s with 2 VFs each (sriov_vf) and start sriovd with
# its default socket (/run/sriovd/sriovd.sock) and state (/var/lib/sriovd);
# its log is $SRIOV_OUT/sriovd.log.  Runs as a child of the guest's init;
# tools/lab/shell-profile.sh (sourced) adds the PATH and prints the hints.
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/vm/daemon_lib.bash"
trap - EXIT	# nothing of this is undone when the script ends

why=$(dmn_modules) || { echo "lab-shell: $why"; exit 1; }
for var in SRIOV_PF0 SRIOV_PF1; do
	bdf=${!var:-}
	[ -n "$bdf" ] || continue
	sys=/sys/bus/pci/devices/$bdf
	if [ "$(basename "$(readlink -f "$sys/driver" 2>/dev/null)")" != sriov_pf ]; then
		[ -e "$sys/driver" ] && echo "$bdf" >"$sys/driver/unbind"
		echo "$bdf" >/sys/bus/pci/drivers/sriov_pf/bind
	fi
	n=$(wait_pci_netdev "$bdf" 15) || { echo "lab-shell: no netdev on $bdf"; continue; }
	ip link set "$n" up
	echo 2 >"$sys/sriov_numvfs"
done
DMN_STATE=/var/lib/sriovd
DMN_SOCK=/run/sriovd/sriovd.sock
mkdir -p /run/sriovd
pfs=(--pf "$SRIOV_PF0")
[ -n "${SRIOV_PF1:-}" ] && pfs+=(--pf "$SRIOV_PF1")
setsid "$SRIOVD" --backend=real --state-dir "$DMN_STATE" --socket "$DMN_SOCK" "${pfs[@]}" \
	>>"$SRIOV_OUT/sriovd.log" 2>&1 </dev/null &
busywait 20000 "$SRIOVCTL" status >/dev/null 2>&1 || { echo "lab-shell: sriovd did not start: $(tail -n 3 "$SRIOV_OUT/sriovd.log")"; exit 1; }
exit 0
