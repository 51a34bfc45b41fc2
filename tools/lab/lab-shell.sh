#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make lab-shell`: the lab with two 82576s and a shell inside, with the
# project's modules loaded, VFs enabled, sriovd running and sriovctl on the
# PATH.  The guest's init sources $SRIOV_OUT/profile.sh before it starts the
# shell; tools/vm/run clears the output directory when it starts, so the
# profile is put there once run has created it (QEMU is about to start;
# the guest needs many seconds to boot before it looks).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/vm/lab-shell
(
	for _ in $(seq 600); do
		if [ -e "$out/qemu-cmdline.txt" ]; then
			cp "$top/tools/lab/shell-profile.sh" "$out/profile.sh"
			chmod +x "$out/profile.sh"
			exit 0
		fi
		sleep 0.1
	done
) &
rm -f "$out/qemu-cmdline.txt"
exec "$top/tools/vm/run" --name lab-shell --nics 2 --interactive
