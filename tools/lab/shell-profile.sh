# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by the lab guest's init before the interactive shell of
# `make lab-shell` (tools/lab/lab-shell.sh copies it to the VM's output
# directory as profile.sh): set up the lab, put sriovd and sriovctl on the
# PATH, print what to try.
bash "$SRIOV_TOP/tools/lab/shell-setup.sh"
export PATH=$SRIOV_TOP/build/cmake/tools/sriovctl:$SRIOV_TOP/build/cmake/daemon:$PATH
cat <<HINTS

sriovd is running (log: $SRIOV_OUT/sriovd.log, socket /run/sriovd/sriovd.sock).
Try:
  sriovctl status
  sriovctl partition add vm1 --pf $SRIOV_PF0 --mac 02:00:5e:00:01:01
  ip -n vm1 addr add 198.18.0.11/24 dev nv0; ip -n vm1 link set nv0 up
  sriovctl attach vm1; sriovctl list; sriovctl events
  sriovctl failover vm1; sriovctl migrate vm1 --to $SRIOV_PF1; sriovctl migrate vm1 --complete
  ip netns exec vm1 ethtool -S nv0      # the adapter's data path (dp_active 1 = VF)
The external host's NICs are $SRIOV_EXT0 (NIC 0's wire) and $SRIOV_EXT1 (NIC 1's).
'exit' powers the lab off.
HINTS
