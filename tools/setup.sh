#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything the project needs on a fresh Debian 12 machine.
# Idempotent: a second run only checks.  The kernel version is chosen in
# tools/kver.sh (one place).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
stamp_dir=${SETUP_STAMP_DIR:-/var/lib/sriov-lab}
# shellcheck source=tools/kver.sh
. "$here/kver.sh"

need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "setup: must run as root to install packages" >&2
		exit 1
	fi
}

PKGS=(
	busybox-static kmod cpio xz-utils zstd
	iproute2 ethtool iputils-ping iperf3 jq gojq pciutils tcpdump
	libnl-3-dev libnl-genl-3-dev libnl-route-3-dev libboost-dev
	libsqlite3-dev nlohmann-json3-dev libgtest-dev libgmock-dev libcli11-dev
	cmake ninja-build g++ make gcc bc flex bison libelf-dev libssl-dev
	python3-pytest python3-yaml python3-jsonschema
	dpdk dpdk-dev sparse clang-tidy
	python3-docutils bash-completion
	libnftables-dev nftables
	libsystemd-dev systemd dbus
	containernetworking-plugins podman crun conmon
	debhelper dh-dkms dkms fakeroot dpkg-dev lintian pkgconf
)

add_backports() {
	local f=/etc/apt/sources.list.d/bookworm-backports.sources
	if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
		cat >"$f" <<'EOS'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
		APT_UPDATED=0
	fi
}

APT_UPDATED=0
apt_update() {
	if [ "$APT_UPDATED" = 0 ]; then
		apt-get update -q
		APT_UPDATED=1
	fi
}

missing_pkgs() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || echo "$p"
	done
}

qemu_ok() {
	command -v qemu-system-x86_64 >/dev/null || return 1
	local v
	v=$(qemu-system-x86_64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
	[ "${v:-0}" -ge 8 ]
}

main() {
	local kver miss
	kver=$(sriov_kver)
	local kpkgs=("linux-headers-$kver" "linux-image-$kver" "linux-source-${KVER_SERIES}")

	# shellcheck disable=SC2207
	miss=($(missing_pkgs "${PKGS[@]}" "${kpkgs[@]}"))
	if [ ${#miss[@]} -eq 0 ] && qemu_ok; then
		echo "setup: all packages present (kernel $kver)"
		return 0
	fi
	need_root
	export DEBIAN_FRONTEND=noninteractive
	add_backports
	apt_update
	if [ ${#miss[@]} -gt 0 ]; then
		echo "setup: installing ${miss[*]}"
		apt-get install -y -q --no-install-recommends "${miss[@]}"
	fi
	if ! qemu_ok; then
		apt-get install -y -q --no-install-recommends -t bookworm-backports \
			qemu-system-x86 qemu-system-data ipxe-qemu seabios
	fi
	qemu_ok || { echo "setup: qemu-system-x86_64 >= 8 not available" >&2; exit 1; }
	echo "setup: done (kernel $kver, $(qemu-system-x86_64 --version | head -1))"
}

main "$@"
