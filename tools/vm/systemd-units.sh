#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The systemd lab mode (tools/vm/run --systemd): run by the initramfs
# (busybox sh) on the guest's writable root overlay before systemd starts.
# Usage: systemd-units.sh ROOT TOP
#
# The guest boots sriov-lab.target (systemd.unit= on the kernel command
# line): basic.target (journald, udev, tmpfiles, sockets) and
# sriov-lab.service, which runs tools/vm/guest-init.sh as the lab's other
# mode does.  Units of the host's installation that make no sense in the
# VM are masked; nothing of multi-user.target is started.
set -e
root=$1
top=$2
etc=$root/etc/systemd/system
mkdir -p "$etc"

cat >"$etc/sriov-lab.target" <<EOT
[Unit]
Description=SR-IOV lab (tools/vm/run --systemd)
Requires=basic.target sriov-lab.service
After=basic.target sriov-lab.service
AllowIsolate=yes
EOT

cat >"$etc/sriov-lab.service" <<EOT
[Unit]
Description=SR-IOV lab command
After=basic.target systemd-udev-settle.service systemd-journald.socket
[Service]
Type=simple
ExecStart=/bin/bash $top/tools/vm/guest-init.sh
StandardOutput=journal+console
StandardError=journal+console
EOT

# Timers (apt, man-db, fstrim...), time sync, the host's pstore and its
# first-boot wizard: nothing to do in a lab guest.
for u in timers.target systemd-timesyncd.service systemd-pstore.service \
	systemd-firstboot.service systemd-random-seed.service \
	getty.target serial-getty@ttyS0.service console-getty.service \
	apt-daily.service apt-daily-upgrade.service man-db.service \
	e2scrub_reap.service e2scrub_all.service fstrim.service dpkg-db-backup.service \
	postgresql.service dpdk.service remote-fs.target; do
	rm -f "$etc/$u"
	ln -s /dev/null "$etc/$u"
done

# No file systems of the host's to mount (the root is the initramfs's).
: >"$root/etc/fstab"
# A host root that is a container's: systemd would believe it runs in one
# (and ignore the kernel command line, systemd.unit= included).
rm -f "$root/.dockerenv" "$root/run/.containerenv"
