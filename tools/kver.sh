#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The one place that chooses the lab kernel.  Sourced by tools/setup.sh,
# the Makefile (through `tools/kver.sh --print`) and the VM harness.
#
# KVER_PIN is the Debian 6.12 kernel the lab is tested with.  When the
# archive has dropped it, the newest 6.12.*+deb12-amd64 that is installed
# or installable is used instead.  SRIOV_KVER in the environment overrides.

KVER_SERIES=6.12
KVER_PIN=6.12.117+deb12-amd64

sriov_kver() {
	if [ -n "${SRIOV_KVER:-}" ]; then
		echo "$SRIOV_KVER"
		return
	fi
	if [ -d "/lib/modules/$KVER_PIN/build" ] ||
	   apt-cache show "linux-headers-$KVER_PIN" >/dev/null 2>&1; then
		echo "$KVER_PIN"
		return
	fi
	# Fallback: newest installed, else newest in the archive.
	local v
	v=$(ls -d /lib/modules/${KVER_SERIES}.*+deb12-amd64/build 2>/dev/null |
	    sed 's,/lib/modules/\(.*\)/build,\1,' | sort -V | tail -n1)
	if [ -z "$v" ]; then
		v=$(apt-cache search --names-only "^linux-headers-${KVER_SERIES}\.[0-9]+\+deb12-amd64\$" 2>/dev/null |
		    awk '{print $1}' | sed 's/^linux-headers-//' | sort -V | tail -n1)
	fi
	echo "${v:-$KVER_PIN}"
}

if [ "${1:-}" = --print ]; then
	sriov_kver
fi
