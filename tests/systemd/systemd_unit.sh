#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --systemd --nics 1 --no-staged-modules
# timeout: 1500
#
# The Debian packages under a real systemd (`make check-systemd`; the lab
# boots Debian's systemd as PID 1, tools/vm/run --systemd).  Both packages
# from build/deb (make deb) are installed into the guest, whose /lib/modules
# is the host's without the lab's staged modules: sriov-dkms's DKMS build
# (minutes under TCG) gives the modules every later check runs on.
#
#   - dpkg -i sriov-dkms: DKMS builds and installs the three modules for
#     the running kernel; sriov_pf loads from there and drives the 82576
#   - dpkg -i sriovd: the unit is known and not enabled, group sriov exists
#   - systemctl start: active only once ready (Type=notify), the watchdog
#     armed, SRIOVD_OPTS from /etc/default/sriovd in the command line
#   - two partitions on PF0, attached to VFs, reachable from the external
#     host; their namespaces are visible outside the service (`ip netns`)
#   - systemctl restart under a 2000 packets/s stream to each partition:
#     0 lost, both partitions still on their VFs, audit consistent
#   - systemctl kill -s KILL: systemd restarts sriovd, audit consistent
#   - the watchdog keep-alives arrive (WatchdogTimestamp advances)
#   - partitions removed, systemctl stop, dpkg --purge sriovd: none of the
#     package's files, nor /var/lib/sriovd or /run/sriovd, are left
#   - modules unloaded, dpkg --purge sriov-dkms: no module, no DKMS tree,
#     no source left
. "$SRIOV_TOP/tests/lib/ktap.sh"
BENCH_RAW=$SRIOV_OUT/stream
BENCH_METRICS=$SRIOV_OUT/stream/metrics.jsonl
BENCH_RT=
STREAM_RATE=2000
BENCH_RATE=$STREAM_RATE
BENCH_IDLE_MS=3000
. "$SRIOV_TOP/tools/bench/lib.sh"
mkdir -p "$BENCH_RAW"

DEB_DIR=${SRIOV_DEB_DIR:-$SRIOV_TOP/build/deb}
CTL=/usr/bin/sriovctl
SOCK=/run/sriovd/sriovd.sock
NPLAN=11

ktap_header
[ "$(cat /proc/1/comm)" = systemd ] || ktap_bail "PID 1 is not systemd (tools/vm/run --systemd)"
[ -n "${SRIOV_PF0:-}" ] && [ -n "${SRIOV_EXT0:-}" ] || ktap_bail "lab without an 82576 PF"
deb=$(ls "$DEB_DIR"/sriovd_*.deb 2>/dev/null | head -n1)
[ -n "$deb" ] || ktap_bail "no sriovd package in $DEB_DIR (make deb)"
dkms_deb=$(ls "$DEB_DIR"/sriov-dkms_*.deb 2>/dev/null | head -n1)
[ -n "$dkms_deb" ] || ktap_bail "no sriov-dkms package in $DEB_DIR (make deb)"
[ -x "$SEQUDP" ] || ktap_bail "sriov-sequdp not built ($SEQUDP)"
ktap_plan $NPLAN

ctl() { "$CTL" --socket "$SOCK" "$@"; }
prop() { systemctl show -P "$1" sriovd.service; }
ip_of() { echo "198.18.0.$((10 + $1))"; }
mac_of() { printf '02:00:5e:20:23:%02x\n' "$1"; }
on_vf() { ctl --json list | jq -e --arg p "$1" '.result[] | select(.name == $p) | .vf.datapath == "vf"' >/dev/null; }
idle() { ctl --json status 2>/dev/null | jq -e '.result.sequences | length == 0' >/dev/null; }
consistent() { ctl --json audit 2>/dev/null | jq -e '.result.consistent == true' >/dev/null; }
audit_ok() { busywait 60000 idle && { busywait 10000 consistent || { ctl audit; return 1; }; }; }
both_on_vf() { on_vf p1 && on_vf p2; }
# the receiving socket's own drops are not the switch's (as tests/vm/ctl_loop.sh)
rcvbuf_errors() {
	in_ns "$1" awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 }
		else print $c["RcvbufErrors"] }' /proc/net/snmp
}

# --- the modules, by DKMS ---
KVER=$(uname -r)
MODS="sriov_netvsc sriov_vf sriov_pf"
dkms_files=$SRIOV_OUT/sriov-dkms.files
install_dkms() {
	local m f t0=$EPOCHREALTIME
	# nothing of the project's in this guest's /lib/modules before
	for m in $MODS; do
		modinfo "$m" >/dev/null 2>&1 && { echo "$m found before the package: $(modinfo -F filename "$m")"; return 1; }
	done
	dpkg -i "$dkms_deb" || return 1
	echo "dpkg -i (DKMS build and install) took $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }') s"
	dpkg-query -L sriov-dkms >"$dkms_files" || return 1
	dkms status
	[[ $(dkms status -k "$KVER") == *": installed"* ]] || { echo "DKMS did not install for $KVER"; return 1; }
	for m in $MODS; do
		f=$(modinfo -F filename "$m") || return 1
		echo "$m: $f"
		[[ $f == /lib/modules/$KVER/updates/dkms/$m.ko* ]] || return 1
	done
	modprobe sriov_pf || return 1
	slowwait 30 test -e "/sys/bus/pci/drivers/sriov_pf/$SRIOV_PF0" || { echo "sriov_pf did not bind $SRIOV_PF0"; return 1; }
	wait_pci_netdev "$SRIOV_PF0" 10
}
ktap_result "dpkg -i $(basename "$dkms_deb"): DKMS builds the modules for $KVER, sriov_pf from it drives PF0" install_dkms ||
	ktap_bail "the DKMS package does not give working modules"
defer sh -c "modprobe -r $MODS; dpkg --purge sriov-dkms >/dev/null 2>&1"

# --- install ---
pkg_files=$SRIOV_OUT/sriovd.files
install_pkg() {
	# the guest's root is a throw-away overlay: no man-db index rebuild
	# (minutes under TCG) on the package's man pages
	rm -f /var/lib/man-db/auto-update
	dpkg -i "$deb" || return 1
	dpkg-query -L sriovd >"$pkg_files" || return 1
	systemctl cat sriovd.service >/dev/null || return 1
	[ "$(systemctl is-enabled sriovd.service)" = disabled ] || { echo "enabled on install"; return 1; }
	getent group sriov >/dev/null || { echo "no group sriov"; return 1; }
	[ -x /usr/sbin/sriovd ] && [ -x /usr/bin/sriovctl ]
}
ktap_result "dpkg -i $(basename "$deb"): unit known, not enabled; group sriov" install_pkg ||
	ktap_bail "the package does not install"
defer sh -c 'systemctl stop sriovd.service; dpkg --purge sriovd >/dev/null 2>&1'

# --- start ---
echo "SRIOVD_OPTS=\"--pf $SRIOV_PF0 --keep-vfs -v\"" >/etc/default/sriovd
start_unit() {
	local t0=$EPOCHREALTIME
	systemctl start sriovd.service || { journalctl -u sriovd.service --no-pager | tail -n 20; return 1; }
	echo "systemctl start returned after $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
	# Type=notify: start returns once READY=1 came, so the socket answers now
	[ "$(systemctl is-active sriovd.service)" = active ] || return 1
	ctl status >/dev/null || { echo "active but the socket does not answer"; return 1; }
	[ "$(prop Type)" = notify ] && [ "$(prop WatchdogUSec)" = 30s ] || return 1
	tr '\0' ' ' <"/proc/$(prop MainPID)/cmdline" | tee /dev/stderr | grep -q -- "--pf $SRIOV_PF0 --keep-vfs" ||
		{ echo "SRIOVD_OPTS not applied"; return 1; }
	[ "$(stat -c %G "$SOCK")" = sriov ] || { echo "socket group $(stat -c %G "$SOCK")"; return 1; }
}
ktap_result "systemctl start: active once ready (Type=notify), watchdog 30 s, options from /etc/default/sriovd, socket group sriov" start_unit ||
	ktap_bail "the unit does not start"
wd0=$(prop WatchdogTimestampMonotonic)

# --- two partitions ---
echo 2 >"/sys/bus/pci/devices/$SRIOV_PF0/sriov_numvfs" || ktap_bail "cannot enable 2 VFs"
defer sh -c "echo 0 > /sys/bus/pci/devices/$SRIOV_PF0/sriov_numvfs"
ip link set "$(wait_pci_netdev "$SRIOV_PF0" 10)" up
sysctl -qw net.core.rmem_max=33554432
bench_ns world || ktap_bail "netns world"
ip link set "$SRIOV_EXT0" netns world && ip -n world link set "$SRIOV_EXT0" up &&
	ip -n world addr add "$BENCH_EXT_IP/24" dev "$SRIOV_EXT0" || ktap_bail "the external host"
partitions() {
	local i
	for i in 1 2; do
		ctl partition add "p$i" --pf "$SRIOV_PF0" --mac "$(mac_of $i)" || return 1
		ip -n "p$i" link set lo up && ip -n "p$i" link set nv0 up &&
			ip -n "p$i" addr add "$(ip_of $i)/24" dev nv0 || return 1
		ctl attach "p$i" || return 1
	done
	# created by the service, seen from outside it (no private mount namespace)
	ip netns list | grep -qw p1 && ip netns list | grep -qw p2 || { ip netns list; return 1; }
	for i in 1 2; do
		slowwait 20 ping_ok world "$(ip_of $i)" || { echo "world does not reach p$i"; return 1; }
	done
	both_on_vf && audit_ok
}
ktap_result "two partitions attached to VFs, reachable, their netns visible outside the service" partitions ||
	ktap_bail "no partitions: $(ctl list 2>&1)"
defer sh -c 'ip netns del p1; ip netns del p2' 

# --- restart under two streams ---
restart_under_streams() {
	local rc=0 lost1 lost2 r1 r2 n0
	n0=$(prop NRestarts)
	r1=$(rcvbuf_errors p1) r2=$(rcvbuf_errors p2)
	BENCH_SEQ_PORT=9001 bench_seq_start s1 p1 world "$(ip_of 1)" 12 || return 1
	local s1_r=$BENCH_SEQ_RPID s1_s=$BENCH_SEQ_SPID
	BENCH_SEQ_PORT=9002 bench_seq_start s2 p2 world "$(ip_of 2)" 12 || return 1
	bench_seq_at 2000
	echo "systemctl restart at $(date +%T.%3N)"
	systemctl restart sriovd.service || rc=1
	echo "active again at $(date +%T.%3N)"
	bench_seq_wait s2 || rc=1
	lost2=$((SEQ_LOST - ($(rcvbuf_errors p2) - r2)))
	BENCH_SEQ_RPID=$s1_r BENCH_SEQ_SPID=$s1_s
	bench_seq_wait s1 || rc=1
	lost1=$((SEQ_LOST - ($(rcvbuf_errors p1) - r1)))
	echo "lost on the way: p1 $lost1, p2 $lost2"
	[ "$lost1" -le 0 ] && [ "$lost2" -le 0 ] || rc=1
	[ "$(prop NRestarts)" = "$n0" ] || { echo "restart counted as a failure"; rc=1; }
	ctl list
	both_on_vf || { echo "a partition is no longer on its VF"; rc=1; }
	audit_ok || rc=1
	return $rc
}
ktap_result "systemctl restart under a ${STREAM_RATE}/s stream to each partition: 0 lost, both still on their VFs, audit consistent" restart_under_streams

# --- SIGKILL ---
active_again() { [ "$(systemctl is-active sriovd.service)" = active ] && [ "$(prop MainPID)" != "$1" ] && [ "$(prop MainPID)" != 0 ]; }
kill_restart() {
	local pid n0
	pid=$(prop MainPID) n0=$(prop NRestarts)
	systemctl kill -s KILL sriovd.service || return 1
	busywait 30000 active_again "$pid" || { systemctl status sriovd.service --no-pager; return 1; }
	echo "main pid $pid -> $(prop MainPID), restarts $n0 -> $(prop NRestarts)"
	[ "$(prop NRestarts)" = $((n0 + 1)) ] || return 1
	both_on_vf && audit_ok
}
ktap_result "systemctl kill -s KILL: restarted by systemd (Restart=on-failure), partitions on their VFs, audit consistent" kill_restart

# --- watchdog ---
watchdog_pings() {
	local wd1
	# keep-alives every WatchdogSec/2 = 15 s; allow for two of them
	sleep 16
	wd1=$(prop WatchdogTimestampMonotonic)
	echo "WatchdogTimestampMonotonic $wd0 -> $wd1"
	[ "$wd1" -gt 0 ] && [ "$wd1" != "$wd0" ]
}
ktap_result "the watchdog keep-alives arrive from sriovd's io loop" watchdog_pings

# --- usage error: no restart loop ---
usage_error() {
	echo 'SRIOVD_OPTS="--bogus"' >/etc/default/sriovd
	systemctl restart sriovd.service && { echo "started with --bogus"; return 1; }
	sleep 3
	echo "state $(systemctl is-active sriovd.service), result $(prop Result), status $(prop ExecMainStatus), restarts $(prop NRestarts)"
	[ "$(prop ExecMainStatus)" = 2 ] && [ "$(systemctl is-active sriovd.service)" = failed ] || return 1
	echo "SRIOVD_OPTS=\"--pf $SRIOV_PF0 -v\"" >/etc/default/sriovd
	systemctl reset-failed sriovd.service
	systemctl start sriovd.service && ctl status >/dev/null
}
ktap_result "a usage error (exit 2) is not restarted (RestartPreventExitStatus=2)" usage_error

# --- tear down, stop, purge ---
teardown() {
	ctl partition remove p1 && ctl partition remove p2 || return 1
	audit_ok || return 1
	systemctl stop sriovd.service || return 1
	[ "$(systemctl is-active sriovd.service)" = inactive ] || return 1
	[ ! -e "$SOCK" ] || { echo "socket left"; return 1; }
}
ktap_result "partitions removed, systemctl stop: inactive, socket gone" teardown
# files_left LIST: which files of a package's file list still exist
files_left() {
	local f left=1
	while read -r f; do
		# directories are shared (/lib is a symlink to usr/lib here)
		[ -d "$f" ] && continue
		[ -e "$f" ] || [ -L "$f" ] || continue
		echo "left: $f"
		left=0
	done <"$1"
	return $left
}
purge() {
	local f left=0
	dpkg --purge sriovd || return 1
	files_left "$pkg_files" && left=1
	for f in /var/lib/sriovd /run/sriovd /lib/systemd/system/sriovd.service \
		/etc/systemd/system/multi-user.target.wants/sriovd.service; do
		[ -e "$f" ] && { echo "left: $f"; left=1; }
	done
	systemctl cat sriovd.service >/dev/null 2>&1 && { echo "systemd still knows the unit"; left=1; }
	[ "$(dpkg-query -W -f='${db:Status-Abbrev}' sriovd 2>/dev/null)" = "" ] ||
		[ "$(dpkg-query -W -f='${db:Status-Abbrev}' sriovd)" = "un " ] || { echo "dpkg still lists sriovd"; left=1; }
	return $left
}
ktap_result "dpkg --purge: no file of the package, no /var/lib/sriovd, no /run/sriovd left" purge
purge_dkms() {
	local m left=0
	# the VFs go with numvfs=0; then nothing holds the modules
	echo 0 >"/sys/bus/pci/devices/$SRIOV_PF0/sriov_numvfs"
	modprobe -r $MODS || { lsmod | grep sriov; return 1; }
	dpkg --purge sriov-dkms || return 1
	for m in $MODS; do
		modinfo "$m" >/dev/null 2>&1 && { echo "left: $(modinfo -F filename "$m")"; left=1; }
	done
	files_left "$dkms_files" && left=1
	[ -z "$(dkms status sriov-stack 2>/dev/null)" ] || { dkms status; left=1; }
	[ ! -e /var/lib/dkms/sriov-stack ] || { echo "left: /var/lib/dkms/sriov-stack"; left=1; }
	return $left
}
ktap_result "modules unloaded, dpkg --purge sriov-dkms: no module, no DKMS tree, no source left" purge_dkms
ktap_finished
