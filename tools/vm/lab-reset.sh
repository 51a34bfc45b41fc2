# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# Puts the lab guest back as after boot between two tests that share one
# boot (tools/vm/batch.sh, tools/rel/debug-wrap.sh).  Sourced; each step is
# bounded and says what it did on stdout.
#
#   lab_reset     all of the below, in this order
#
# What a test may leave behind and how it goes: its processes (killed: all
# but PID 1 and the shell running lab_reset), the project's modules
# and the in-tree drivers tests bind (igb, igbvf, vfio-pci; unloaded, so
# the 82576 is driverless again), the PFs' sriov_drivers_autoprobe (back
# on) and driver_override (cleared), network namespaces (deleted), nftables
# rules (flushed), huge pages (freed), links it made in the initial
# namespace (deleted), the lab's virtio NICs (back in the initial
# namespace, named as guest-init named them, down, without addresses), the
# net.* sysctls of the initial namespace (the values saved by
# lab_reset_save at boot) and the files it wrote (the guest's writable
# layers: the files new in /tmp, /var, /etc and /root, the entries new in
# /run and /dev/shm since lab_reset_save, such as a daemon's journal).

LAB_RESET_SYSCTLS=/run/lab-reset.sysctl

LAB_RESET_FILES=/run/lab-reset.files
# what the guest wrote: the files (not directories, which may be copies of
# the host's made when a file in them was written, nor whiteouts) in the
# upper layers of the overlays on /tmp, /var, /etc and /root, and the
# entries of the tmpfs /run and /dev/shm
lab_reset_file_list() {
	local d
	for d in tmp var etc root; do
		[ -d "/run/ovl/$d/u" ] &&
			find "/run/ovl/$d/u" -mindepth 1 ! -type d ! -type c -printf "/$d/%P\n"
	done
	for d in /run /dev/shm; do
		ls -A "$d" | grep -vxE "ovl|netns" | sed "s|^|$d/|"
	done
}

# lab_reset_save: remember the initial namespace's net sysctls and the
# files the guest has written so far (call once, before the first test)
lab_reset_save() {
	lab_reset_sysctl_list >"$LAB_RESET_SYSCTLS"
	lab_reset_file_list >"$LAB_RESET_FILES"
	echo "$LAB_RESET_FILES" >>"$LAB_RESET_FILES"
}

# remove (through the overlay) what a test wrote since lab_reset_save
lab_reset_files() {
	local f
	[ -r "$LAB_RESET_FILES" ] || return 0
	lab_reset_file_list | grep -vxF -f "$LAB_RESET_FILES" |
		while IFS= read -r f; do
			rm -rf -- "$f" && echo "# lab-reset: removed $f"
		done
}

# the initial namespace's net sysctls but per-device ones (devices come and
# go) and netdev_rss_key (set once by the first driver that asks)
lab_reset_sysctl_list() {
	sysctl -a --pattern '^net\.(core|ipv4|ipv6|bridge|netfilter)\.' 2>/dev/null |
		grep -vE '^net\.ipv[46]\.(conf|neigh)\.[^.]*[0-9]|^net\.core\.netdev_rss_key '
}

lab_reset_kill() {
	local p c n=0
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[ "$p" = 1 ] && continue
		[ "$p" = $$ ] && continue
		# kernel threads have an empty command line (procfs sizes are 0:
		# read it)
		c=
		read -r -d '' c <"/proc/$p/cmdline" 2>/dev/null
		[ -n "$c" ] || continue
		kill -9 "$p" 2>/dev/null && n=$((n + 1))
	done
	[ $n = 0 ] || echo "# lab-reset: killed $n leftover process(es)"
}

lab_reset_modules() {
	local m
	for m in sriov_netvsc sriov_vf sriov_pf igbvf igb vfio_pci vfio_pci_core \
		vfio_iommu_type1 vfio bonding; do
		grep -q "^$m " /proc/modules || continue
		timeout 300 rmmod "$m" || echo "# lab-reset: rmmod $m failed or timed out"
	done
}

# The lab's virtio NICs (external hosts, standby) as guest-init named them:
# a test that moved one into a namespace gets it back only when the
# namespace's cleanup has run (asynchronous), and then named devN if the
# name was taken meanwhile.  Wait for each (180 s at most) and give it its
# name back.
restore_lab_netdevs() {
	local v bdf want cur i

	for v in EXT0 EXT1 STANDBY; do
		want=$(printenv "SRIOV_$v")
		bdf=$(printenv "SRIOV_${v}_PCI")
		[ -z "$want" ] || [ -z "$bdf" ] && continue
		cur=
		i=$((SECONDS + 180))
		while [ $SECONDS -lt $i ]; do
			cur=$(ls /sys/bus/pci/devices/"$bdf"/virtio*/net 2>/dev/null | head -n1)
			[ -n "$cur" ] && break
			sleep 0.2
		done
		if [ -z "$cur" ]; then
			echo "# lab-reset: $want ($bdf) not back in the init namespace after 180 s"
			continue
		fi
		ip link set dev "$cur" down
		if [ "$cur" != "$want" ]; then
			ip link set dev "$cur" name "$want" &&
				echo "# lab-reset: $bdf came back as $cur, renamed $want"
		fi
		ip addr flush dev "$want"
		ip link set dev "$want" mtu 1500 2>/dev/null
	done
}

# links of the initial namespace that are not the lab's (bridges, bonds,
# veths, dummies a test made); the 82576's netdevs are gone with igb/sriov_pf
lab_reset_links() {
	local l keep=" lo ${SRIOV_EXT0:-} ${SRIOV_EXT1:-} ${SRIOV_STANDBY:-} "
	for l in $(ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'); do
		[[ $keep == *" $l "* ]] && continue
		ip link del "$l" 2>/dev/null && echo "# lab-reset: deleted link $l"
	done
}

# write back, in one pass, the saved value of each sysctl that changed
lab_reset_sysctls() {
	local line
	[ -r "$LAB_RESET_SYSCTLS" ] || return 0
	lab_reset_sysctl_list |
		awk -F ' = ' 'NR == FNR { was[$1] = $0; next } ($1 in was) && was[$1] != $0 { print was[$1] }' \
			"$LAB_RESET_SYSCTLS" - |
		while IFS= read -r line; do
			sysctl -qw "${line%% = *}=${line#* = }" &&
				echo "# lab-reset: ${line%% = *} back to ${line#* = }"
		done
}

# step NAME CMD...: run one step; say it when it took a second or more
lab_reset_step() {
	local name=$1 t0=$SECONDS
	shift
	"$@"
	[ $((SECONDS - t0)) -lt 1 ] || echo "# lab-reset: $name took $((SECONDS - t0)) s"
}

# what a test may set on the 82576's PCI functions and a driver bind or
# unbind does not undo: sriov_drivers_autoprobe off (then no driver may
# probe a new VF, even through drivers_probe, unless driver_override names
# it) and driver_override
lab_reset_pci() {
	local bdf d
	for bdf in ${SRIOV_PF0:-} ${SRIOV_PF1:-}; do
		d=/sys/bus/pci/devices/$bdf
		[ -e "$d" ] || continue
		if [ "$(cat "$d/sriov_drivers_autoprobe" 2>/dev/null)" = 0 ]; then
			echo 1 >"$d/sriov_drivers_autoprobe" && echo "# lab-reset: $bdf sriov_drivers_autoprobe back to 1"
		fi
		if [ -n "$(cat "$d/driver_override" 2>/dev/null | grep -v '^(null)$')" ]; then
			echo >"$d/driver_override" && echo "# lab-reset: $bdf driver_override cleared"
		fi
	done
}

lab_reset_misc() {
	timeout 300 ip -all netns delete 2>/dev/null
	command -v nft >/dev/null && nft flush ruleset
	[ -w /proc/sys/vm/nr_hugepages ] && echo 0 >/proc/sys/vm/nr_hugepages
	rm -rf /dev/hugepages/* 2>/dev/null
}

lab_reset() {
	lab_reset_step kill lab_reset_kill
	lab_reset_step modules lab_reset_modules
	lab_reset_step pci lab_reset_pci
	lab_reset_step misc lab_reset_misc
	lab_reset_step netdevs restore_lab_netdevs
	lab_reset_step links lab_reset_links
	lab_reset_step sysctls lab_reset_sysctls
	lab_reset_step files lab_reset_files
}
