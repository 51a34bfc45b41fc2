#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-args: --nics 1
# timeout: 600
#
# The CNI plugin sriov-netvsc under a real container engine: Debian's
# podman (4.3, its CNI network backend, crun, conmon) in the lab, on the
# project's stack (sriov_pf + sriov_vf + sriov_netvsc + sriovd).
# Documentation/cni.rst.  podman's storage is a tmpfs (vfs driver: the
# guest's root is the host's over 9p), its image is imported from a tarball
# of busybox-static (no registry); its configuration goes to the guest's
# /etc/containers (a per-boot overlay) and is removed at the end.
#   - `podman run --network sriovnet` of a container serving HTTP: sriovd
#     holds a partition with podman's container id, its namespace
#     (podman's SandboxKey) and eth0, on a VF (ADD attached one); the
#     container sees eth0 with the IPAM address the plugin configured;
#     audit consistent, the kernel's dumps match
#   - detached (synthetic path): the external host fetches the container's
#     page and pings it; the adapter's VF counters do not move
#   - attached again: the same traffic, over the VF (its counters move)
#   - `sriovctl failover` of the partition under a STREAM_RATE/s
#     sequenced UDP stream from the external host to the container's
#     namespace (VF -> synthetic path): 0 lost (the receiving socket's own
#     drops counted apart); after the failover's hold the partition is on
#     a VF again and the container reached over it
#   - `podman rm -f`: CNI DEL left no partition, VF, VPort, filter or
#     adapter (sriovd's audit and the kernel's own dumps), no lease, no
#     namespace
# podman, crun or conmon missing is a failure: tools/setup.sh installs them.
. "$SRIOV_TOP/tests/lib/ktap.sh"
. "$SRIOV_TOP/tests/vm/daemon_lib.bash"
BENCH_RAW=$SRIOV_OUT/cni
BENCH_METRICS=$SRIOV_OUT/cni/metrics.jsonl
BENCH_RT=
. "$SRIOV_TOP/tools/bench/lib.sh"

PLUGIN_DIR=$dmn_build/tools/cni
STREAM_RATE=2000
BENCH_RATE=$STREAM_RATE
BENCH_IDLE_MS=3000
NVF=2
BACK_S=30
HOLD_S=12
PM=/tmp/cni-podman
IMG=localhost/sriov-busybox:lab
NET=sriovnet
CTR=web
TOKEN=sriov-netvsc-$RANDOM$RANDOM

ktap_header
[ -n "${SRIOV_PF0:-}" ] && [ -n "${SRIOV_EXT0:-}" ] || ktap_bail "lab without an 82576 PF and its external host"
dmn_require sequdp
[ -x "$PLUGIN_DIR/sriov-netvsc" ] || ktap_bail "sriov-netvsc not built ($PLUGIN_DIR)"
for c in podman crun conmon; do
	command -v $c >/dev/null || [ -x /usr/libexec/podman/$c ] ||
		ktap_bail "$c is not installed (tools/setup.sh installs podman, crun and conmon)"
done
[ -x /usr/lib/cni/host-local ] || ktap_bail "host-local is not installed (containernetworking-plugins)"
[ -x /bin/busybox ] || ktap_bail "busybox-static is not installed"
sysctl -qw net.core.rmem_max=33554432
dmn_vfs "$SRIOV_PF0" $NVF || ktap_bail "cannot enable $NVF VFs on PF0"
PF=$(wait_pci_netdev "$SRIOV_PF0" 10) || ktap_bail "no netdev for PF 0"
# deep RX ring on the synthetic path's NIC (as ctl_arbiter.sh)
ethtool -G "$PF" rx 4096 tx 4096 2>/dev/null || ethtool -G "$PF" rx 4096 ||
	ktap_bail "cannot set the PF's RX ring to 4096"
ext_ns_setup 0 >/dev/null || ktap_bail "the external host's namespace"
dmn_start || ktap_bail "sriovd does not start: $(tail -n 2 "$DMN_LOG")"
defer sh -c "kill -9 \$(cat $DMN_STATE/pid) 2>/dev/null"

# --- podman: storage on a tmpfs, the CNI backend, the plugin's directory ---
mkdir -p $PM && mount -t tmpfs -o mode=0700 cni-podman $PM || ktap_bail "tmpfs for podman's storage"
defer umount -l $PM
mkdir -p $PM/cni $PM/img/bin $PM/img/www /etc/containers
for f in containers.conf storage.conf; do
	[ -e /etc/containers/$f ] && cp -a /etc/containers/$f $PM/$f.orig
	defer sh -c "if [ -e $PM/$f.orig ]; then cp -a $PM/$f.orig /etc/containers/$f; else rm -f /etc/containers/$f; fi"
done
cat >/etc/containers/containers.conf <<EOF
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "crun"
[network]
network_backend = "cni"
cni_plugin_dirs = ["$PLUGIN_DIR", "/usr/lib/cni"]
network_config_dir = "$PM/cni"
EOF
printf '[storage]\ndriver = "vfs"\ngraphroot = "%s/root"\nrunroot = "%s/run"\n' "$PM" "$PM" \
	>/etc/containers/storage.conf
cat >"$PM/cni/$NET.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "$NET",
  "plugins": [
    {
      "type": "sriov-netvsc",
      "socket": "$DMN_SOCK",
      "pf": "$SRIOV_PF0",
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "198.18.0.0/24", "rangeStart": "198.18.0.100", "rangeEnd": "198.18.0.150",
                     "gateway": "198.18.0.1"}]],
        "routes": [{"dst": "0.0.0.0/0"}],
        "dataDir": "$PM/ipam"
      }
    }
  ]
}
EOF
cp /bin/busybox $PM/img/bin/busybox
for a in sh httpd ip ping sleep cat; do ln -s busybox $PM/img/bin/$a; done
echo "$TOKEN" >$PM/img/www/index.html
pm() { podman "$@" 2>>"$SRIOV_OUT/podman.log"; }

ktap_plan 7

image() {
	tar -C $PM/img -cf $PM/img.tar . || return 1
	pm import $PM/img.tar $IMG >/dev/null || { tail -n 5 "$SRIOV_OUT/podman.log"; return 1; }
	pm network ls --format '{{.Name}}' | grep -qx $NET || { echo "podman does not list network $NET"; return 1; }
}
ktap_result "podman $(podman version --format '{{.Client.Version}}' 2>/dev/null): image imported without a registry, network $NET (CNI backend) listed" image ||
	ktap_bail "podman cannot work in the lab: $(tail -n 5 "$SRIOV_OUT/podman.log")"

# the container (podman inspect) and its partition (sriovctl list): CID,
# SANDBOX (its namespace's path), NSNAME (that namespace's name), P (the
# partition), IP (its address)
part() { dmn_ctl --json list | jq -c --arg c "$CID" '.result[] | select(.container_id == $c)'; }
ids() {
	local p
	CID=$(pm inspect $CTR --format '{{.Id}}') && SANDBOX=$(pm inspect $CTR --format '{{.NetworkSettings.SandboxKey}}') ||
		{ echo "podman inspect $CTR failed"; return 1; }
	NSNAME=${SANDBOX#/run/netns/}
	p=$(part)
	[ -n "$p" ] || { echo "sriovd holds no partition for container $CID"; dmn_ctl list; return 1; }
	P=$(jq -r .name <<<"$p")
	IP=$(jq -r '.ips[0]' <<<"$p")
}
adapter_stat() { ip netns exec "$NSNAME" ethtool -S eth0 | awk -v k="$1:" '$1 == k {print $2}'; }
defer sh -c "podman rm -f -t 0 $CTR >/dev/null 2>&1"
run_container() {
	local t0 p
	t0=$SECONDS
	pm run -d --name $CTR --network $NET $IMG /bin/httpd -f -p 8080 -h /www >/dev/null ||
		{ echo "podman run failed:"; tail -n 20 "$SRIOV_OUT/podman.log"; return 1; }
	echo "podman run took $((SECONDS - t0)) s"
	ids || return 1
	p=$(part)
	echo "container $CID in $SANDBOX; partition: $p"
	jq -e --arg ns "$SANDBOX" '.netns == $ns and .ifname == "eth0" and .vf != null and .vf.datapath == "vf"' \
		<<<"$p" >/dev/null || { echo "not podman's namespace ($SANDBOX), eth0 and a VF"; return 1; }
	echo "in the container: $(pm exec $CTR /bin/ip -o -4 addr show dev eth0)"
	pm exec $CTR /bin/ip -o -4 addr show dev eth0 | grep -q "inet $IP/24 " ||
		{ echo "the container's eth0 lacks $IP/24"; return 1; }
	pm exec $CTR /bin/ip route | grep -q "default via 198.18.0.1 dev eth0" ||
		{ echo "no default route via the gateway in the container: $(pm exec $CTR /bin/ip route)"; return 1; }
	dmn_audit && dmn_kernel_check "$P"
}
ktap_result "podman run --network $NET: a partition in the container's namespace, on a VF, eth0 configured" run_container ||
	ktap_bail "no container to work with"
ids >/dev/null || ktap_bail "the container or its partition is gone"

# http_get IP PORT PATH: an HTTP/1.0 GET from the external host (bash's
# /dev/tcp: busybox-static's wget crashes in its resolver), the answer
# without CRs, bounded
http_get() {
	ip netns exec ext0 timeout 15 bash -c 'exec 3<>"/dev/tcp/$1/$2" || exit 1
		printf "GET %s HTTP/1.0\r\n\r\n" "$3" >&3; tr -d "\r" <&3' _ "$@"
}
# traffic from the external host to the container's own process (its page)
reach() {
	local page
	slowwait 20 ping_ok ext0 "$IP" || { echo "the external host does not reach $IP"; return 1; }
	page=$(http_get "$IP" 8080 /index.html) || { echo "no answer from the container's httpd"; return 1; }
	[ "$(tail -n 1 <<<"$page")" = "$TOKEN" ] || { echo "answer '$page', want the page '$TOKEN'"; return 1; }
}
on_vf() { [ "$(adapter_stat dp_active)" = 1 ] && part | jq -e '.vf.datapath == "vf"' >/dev/null; }
# reach_via vf|synthetic: reach(), over that path by the adapter's VF rx
# counter (it moves over the VF, not over the synthetic path), then the
# audit and the kernel's dumps
reach_via() {
	local r0 r1
	r0=$(adapter_stat vf_rx_packets)
	reach || return 1
	r1=$(adapter_stat vf_rx_packets)
	echo "VF rx packets of the adapter: $r0 -> $r1"
	if [ "$1" = vf ]; then
		[ "$r1" -gt "$r0" ] || return 1
	else
		[ "$r1" -eq "$r0" ] || return 1
	fi
	dmn_audit && dmn_kernel_check "$P"
}
synthetic() {
	dmn_ctl detach "$P" || return 1
	part | jq -e '.vf == null' >/dev/null || { echo "still holds a VF after detach"; return 1; }
	[ "$(adapter_stat dp_active)" = 0 ] || { echo "the adapter's data path is still the VF"; return 1; }
	reach_via synthetic
}
ktap_result "detached: the external host reaches the container's httpd over the synthetic path" synthetic
over_vf() {
	dmn_ctl attach "$P" || return 1
	busywait $((BACK_S * 1000)) on_vf || { echo "not on the VF"; part; return 1; }
	reach_via vf
}
ktap_result "attached: the external host reaches the container's httpd over the VF" over_vf

rcvbuf_errors() {
	ip netns exec "$1" awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 }
		else print $c["RcvbufErrors"] }' /proc/net/snmp
}
# Deep RX rings on the VF netdev in the container, as
# tools/lab/lab-guest.sh: when the host deschedules the TCG guest, the
# paced sender catches up in one burst that would overflow 256 descriptors
# (a loss of the lab's, not of the switch's).  A ring change restarts the
# VF's queues: done before the stream, on the VF the failover leaves.
vf_rings() {
	local d
	for d in $(ip netns exec "$NSNAME" sh -c 'for d in /sys/class/net/*; do [ -e "$d/device/physfn" ] && echo "${d##*/}"; done'); do
		ip netns exec "$NSNAME" ethtool -G "$d" rx 4096 tx 4096 2>/dev/null ||
			ip netns exec "$NSNAME" ethtool -G "$d" rx 4096 || return 1
	done
}
# The stream runs from the VF across the failover onto the synthetic path
# and ends there, within the hold: the VF that comes back after it is a
# new netdev with 256 descriptors, which the next step checks apart.
failover_once() {
	echo $((($(bench_us) - BENCH_SEQ_T0) / 1000)) >"$BENCH_RAW/failover_ms"
	dmn_ctl failover "$P" --hold $HOLD_S || { echo "failover failed"; return 1; }
	echo $((($(bench_us) - BENCH_SEQ_T0) / 1000)) >"$BENCH_RAW/done_ms"
	part | jq -e '.vf == null' >/dev/null && [ "$(adapter_stat dp_active)" = 0 ] ||
		{ echo "not on the synthetic path after the failover"; return 1; }
}
failover() {
	local r0 lost rc=0
	on_vf || { echo "not on a VF before the failover"; return 1; }
	vf_rings || { echo "cannot set the VF's rings"; return 1; }
	r0=$(rcvbuf_errors "$NSNAME")
	bench_seq_start failover "$NSNAME" ext0 "$IP" $((HOLD_S - 2)) || return 1
	bench_seq_at 1000
	failover_once || rc=1
	sleep 1
	bench_seq_stop failover
	bench_seq_wait failover || return 1
	lost=$((SEQ_LOST - ($(rcvbuf_errors "$NSNAME") - r0)))
	echo "stream to the container: sent $SEQ_SENT, lost on the way $lost (socket drops $((SEQ_LOST - lost))), longest gap $SEQ_GAP_MS ms"
	echo "failover from $(cat "$BENCH_RAW/failover_ms") to $(cat "$BENCH_RAW/done_ms" 2>/dev/null) ms of the stream;" \
		"runs lost [first seq, count]: $(jq -c --argjson n "$SEQ_SENT" '[.loss_runs[] | select(.[0] < $n)]' "$BENCH_RAW/failover.recv.json")" \
		"(seq N is due at N/$STREAM_RATE s; the sender was late for $(jq .late "$BENCH_RAW/failover.send.json") datagrams)"
	[ $rc = 0 ] && [ "$SEQ_SENT" -gt $STREAM_RATE ] && [ "$lost" -le 0 ] && dmn_audit && dmn_kernel_check "$P"
}
ktap_result "sriovctl failover of the container's partition under a ${STREAM_RATE}/s stream: 0 lost" failover
back() {
	busywait $(((HOLD_S + BACK_S) * 1000)) on_vf || { echo "not back on a VF after the hold"; part; return 1; }
	reach_via vf
}
ktap_result "after the failover's hold: on a VF again, the container's httpd reached over it" back

remove() {
	local t0
	t0=$SECONDS
	pm rm -f -t 0 $CTR >/dev/null || { echo "podman rm failed"; tail -n 20 "$SRIOV_OUT/podman.log"; return 1; }
	echo "podman rm -f took $((SECONDS - t0)) s"
	[ -z "$(part)" ] || { echo "partition left: $(part)"; return 1; }
	dmn_ctl --json list | jq -e '.result == []' >/dev/null || { echo "partitions left"; dmn_ctl list; return 1; }
	[ ! -e "/run/netns/$NSNAME" ] || { echo "namespace $NSNAME left"; return 1; }
	compgen -G "$PM/ipam/$NET/[0-9]*" >/dev/null && { echo "leases left: $(ls $PM/ipam/$NET)"; return 1; }
	dmn_audit && dmn_kernel_empty
}
ktap_result "podman rm -f: no partition, VF, VPort, filter, adapter, lease or namespace left" remove
dmn_stop
ktap_finished
