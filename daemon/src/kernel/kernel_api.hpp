// SPDX-License-Identifier: GPL-2.0
// The kernel as the sequences see it.  Two implementations: RealKernel
// (genl family "sriov", rtnetlink, sysfs) and FakeKernel (in memory,
// optionally persisted to a file so that a daemon restart sees it).
//
// Every call is synchronous and short (a netlink request/ack); waiting is
// the sequence engine's business, never the backend's.  Every mutating call
// is safe to repeat: it fails with a distinct errno (EEXIST/ENOENT) that the
// steps treat as "already done" after checking the dumps.
#pragma once

#include "common/error.hpp"
#include "model/types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sriov {

struct PfInfo {
	std::string name;     ///< PF id used everywhere: its PCI BDF (e.g. 0000:01:00.0)
	std::string netdev;   ///< PF netdev in the host namespace
	std::uint32_t total_vfs{};
	std::uint32_t num_vfs{};
	VportId default_vport{};
	/// The switch's MAC filter capacity, when the kernel reports it
	/// (switch-get): filters on the default VPort (no RAR entry each)
	/// and exact (RAR) entries free for VF VPorts.
	struct Capacity {
		std::uint32_t default_mac_filters{};
		std::uint32_t default_mac_filters_max{};
		std::uint32_t mac_filters_free{};
		std::uint32_t mac_filters_max{};
	};
	std::optional<Capacity> capacity;
};

struct VfInfo {
	VfIndex index;
	bool allocated{};
	std::uint64_t serial{};
	MacAddr mac;
	std::string netdev;   ///< empty when the VF has no netdev (driver not bound)
	std::string netns;    ///< "" = host (init) namespace
	MacAddr netdev_mac;   ///< the VF netdev's own address (what the adapter pairs on)
	/// the netdev's ifindex in @netns, 0 without a netdev.  The name is
	/// whatever the namespace holding the VF made of it (any bytes, maybe a
	/// host netdev's name): the daemon finds and moves a VF by its PCI
	/// function and this index, never by name.
	std::uint32_t ifindex{};
	/// The netdev is up with carrier (IFF_UP and IFF_LOWER_UP): its driver
	/// serves the RX queue, so frames steered to its VPort are received.
	bool running{};
};

struct VportInfo {
	VportId id;
	std::optional<VfIndex> vf; ///< nullopt = the PF's default VPort
};

struct FilterInfo {
	Filter filter;
	VportId vport;
};

struct AdapterInfo {
	std::string partition;
	std::string netns;
	std::string pf;         ///< whose switch the synthetic host port is on
	std::string host_port;  ///< synthetic host-side netdev
	MacAddr mac;
	std::string paired_vf;  ///< VF netdev the adapter has claimed, "" if none
	std::uint32_t paired_vf_ifindex{}; ///< its ifindex in the child, 0 if none (real backend)
	Datapath datapath{Datapath::synthetic}; ///< the path the adapter really transmits on
	bool up{true};          ///< child-side adapter administratively up
	std::uint64_t serial{}; ///< VF identity it pairs with (IFLA_SWNV_SERIAL), 0 = none
	/// The host port is a locked port of its switch: IFLA_BRPORT_LOCKED on,
	/// learning and unknown-unicast flooding off (adapter_lock_port()).
	bool port_locked{};
	/// The host port acknowledges data-path requests by itself
	/// (IFLA_SWNV_AUTO_ACK); sriovd turns it off on every adapter it owns.
	bool auto_ack{true};
	/// The path of the outstanding data-path request (IFLA_SWNV_DP_PENDING),
	/// nullopt when none is outstanding.
	std::optional<Datapath> dp_pending;
	/// Sequence number of the last request (IFLA_SWNV_DP_SEQ).
	std::uint32_t dp_seq{};
	/// The synthetic switch floods broadcast and multicast to the host
	/// port (IFLA_BRPORT_BCAST_FLOOD and IFLA_BRPORT_MCAST_FLOOD both on).
	bool flood{true};
};

/// What one partition may claim on the synthetic switch: the guard the
/// switch applies to ARP and IPv6 neighbour discovery arriving from the
/// partition's port (Documentation/design/daemon.rst, "Locked ports").
struct PortGuard {
	std::string partition;
	MacAddr mac;
	std::vector<std::string> ips; ///< canonical_ip() texts; empty = MAC only
	bool operator==(const PortGuard &) const = default;
};

/// Whether adapter @a has claimed the VF netdev @v: by ifindex in the
/// adapter's namespace, never by name.
inline bool paired_with(const AdapterInfo &a, const std::optional<VfInfo> &v)
{
	return v && v->ifindex != 0 && a.paired_vf_ifindex == v->ifindex && v->netns == a.netns;
}

/// Asynchronous notifications (genl multicast, rtnl link events).
struct KernelEvent {
	enum class Type : std::uint8_t {
		vf_lost,
		vf_reset_request,
		adapter_paired,
		adapter_unpaired,
		link_change,
		/// sriov_pf moved a VF's filters on its own (filter-moved-ntf
		/// with a reset reason): @src_vport -> @dst_vport
		filters_moved,
	};
	Type type{};
	std::string pf;
	std::optional<VfIndex> vf;
	std::string partition;
	std::string detail;
	// filters_moved only; any may be missing in a malformed notification
	std::optional<VportId> src_vport;
	std::optional<VportId> dst_vport;
	std::optional<std::uint32_t> reset_reason; ///< enum sriov_reset_reason
	std::vector<std::uint32_t> filter_ids;
};

/// The file of network namespace @ns: an absolute path as given
/// (/var/run/netns/X, /proc/PID/ns/net), else iproute2's /run/netns/NAME.
std::string netns_path(const std::string &ns);
/// Whether @ns is a namespace a partition may name: a name (1-32
/// characters [A-Za-z0-9._-]), /run/netns/NAME, /var/run/netns/NAME (NAME
/// up to 64 characters there) or /proc/PID/ns/net.
bool valid_netns(const std::string &ns);
/// NAME for /run/netns/NAME and /var/run/netns/NAME (iproute2's named
/// namespaces), else @ns as given.
std::string netns_name_of(const std::string &ns);
/// Whether @name may name a netdev (the kernel's dev_valid_name(), kept
/// to printable ASCII): 1-15 characters, not "." or "..", no '/', ':' or
/// white space.
bool valid_ifname(const std::string &name);

class KernelApi {
public:
	KernelApi() = default;
	KernelApi(const KernelApi &) = delete;
	KernelApi &operator=(const KernelApi &) = delete;
	KernelApi(KernelApi &&) = delete;
	KernelApi &operator=(KernelApi &&) = delete;
	virtual ~KernelApi() = default;

	// --- PF / sysfs ---
	virtual std::vector<PfInfo> pfs() = 0;
	virtual Status set_num_vfs(const std::string &pf, std::uint32_t n) = 0;

	// --- VFs (genl) ---
	virtual std::vector<VfInfo> vfs(const std::string &pf) = 0;
	virtual Status vf_alloc(const std::string &pf, VfIndex vf, std::uint64_t serial) = 0;
	/// Set the administrative MAC.  A VF driver that follows the PF's
	/// reset request takes it by itself (reported as netdev_mac later);
	/// others are probed again by the backend.
	virtual Status vf_set_mac(const std::string &pf, VfIndex vf, const MacAddr &mac) = 0;
	/// Probe the VF's driver again (unbind + probe): it comes up with the
	/// administrative MAC.
	virtual Status vf_probe(const std::string &pf, VfIndex vf) = 0;
	/// Halt the VF's driver (unbind): its netdev goes away, in whatever
	/// namespace it was.  The function stays, allocated; the next attach
	/// probes a driver again (vf_set_mac/vf_probe).
	virtual Status vf_unbind(const std::string &pf, VfIndex vf) = 0;
	virtual Status vf_reset(const std::string &pf, VfIndex vf) = 0; ///< FLR
	virtual Status vf_free(const std::string &pf, VfIndex vf) = 0;
	virtual Outcome<std::vector<std::uint8_t>> config_read(const std::string &pf, VfIndex vf,
							      std::uint32_t offset, std::uint32_t len) = 0;

	// --- VPorts and filters (genl) ---
	virtual std::vector<VportInfo> vports(const std::string &pf) = 0;
	virtual Outcome<VportId> vport_create(const std::string &pf, VfIndex vf) = 0;
	virtual Status vport_delete(const std::string &pf, VportId id) = 0;
	virtual std::vector<FilterInfo> filters(const std::string &pf) = 0;
	virtual Status filter_add(const std::string &pf, VportId vport, const Filter &f) = 0;
	virtual Status filter_del(const std::string &pf, VportId vport, const Filter &f) = 0;
	/// Atomic move of a filter set (no instant where neither VPort receives).
	virtual Status filters_move(const std::string &pf, VportId from, VportId to,
				    const std::vector<Filter> &set) = 0;

	// --- netdevs and namespaces (rtnetlink) ---
	virtual bool netns_exists(const std::string &ns) = 0;
	/// What tells namespaces apart: two partitions whose namespaces have
	/// the same identity share one.  By default netns_path(); the real
	/// backend uses the namespace file's device and inode when it exists.
	virtual std::string netns_identity(const std::string &ns) { return netns_path(netns_name_of(ns)); }
	virtual Status netns_create(const std::string &ns) = 0;
	/// Move the netdev with index @ifindex in @from_ns to @to_ns ("" = host
	/// namespace).  When its name is taken in @to_ns, or is not a plain
	/// ASCII interface name and @to_ns is the host, it gets a fresh name
	/// ("sriovvf<N>") on the way.
	virtual Status netdev_move(const std::string &from_ns, std::uint32_t ifindex,
				   const std::string &to_ns) = 0;

	// --- the child's adapter (rtnetlink, sriov_netvsc link kind) ---
	virtual std::vector<AdapterInfo> adapters() = 0;
	/// The pair carries @serial (the VF identity, as given to vf_alloc) from
	/// its creation: it pairs only with a VF presenting that identity.
	/// Its child side is named @ifname in @ns.
	/// It is created with AUTO_ACK off and DP_WANT synthetic: sriovd asks
	/// for the VF and acknowledges the request itself (datapath_vf).
	virtual Status adapter_create(const std::string &partition, const std::string &ns, const std::string &ifname,
				      const std::string &pf, const MacAddr &mac, std::uint64_t serial) = 0;
	/// adapter_create() answered EEXIST: take the existing link as
	/// @partition's adapter only if it is one (its kind, its namespace
	/// @ns) and carries @serial, its identity from creation (a crash
	/// between creating it and marking it leaves it so).  Fails with the
	/// reason otherwise.  Default: the adapter() of @partition in @ns with
	/// that serial.
	virtual Status adapter_claim(const std::string &partition, const std::string &ns, std::uint64_t serial);
	/// Give an existing adapter its VF identity (set from the host port).
	virtual Status adapter_set_serial(const std::string &partition, std::uint64_t serial) = 0;
	virtual Status adapter_delete(const std::string &partition) = 0;
	/// Move the host port to @pf's switch, locked, with @mac (the model's,
	/// never the adapter's own, which the partition may have changed) as
	/// its static entry, announced on @pf's wire.
	virtual Status adapter_set_switch(const std::string &partition, const std::string &pf, const MacAddr &mac) = 0;
	/// @pf's netdev is a port of @pf's switch (the bridge of the
	/// synthetic path), also after it registered again (PF driver
	/// re-bound, PF hot-plugged): enslaved, learning off, up.
	virtual Status pf_switch_sync(const std::string &pf) = 0;
	/// DP_WANT on the host port.  With AUTO_ACK off the adapter raises a
	/// request (to the VF only when its VF is paired and up) that
	/// adapter_dp_ack() completes; a switch to synthetic moves TX at once.
	virtual Status adapter_set_datapath(const std::string &partition, Datapath dp) = 0;
	/// Acknowledge data-path request @seq (IFLA_SWNV_DP_ACK on the host
	/// port).  ESTALE when @seq is not the outstanding request: nothing
	/// changes in the kernel then.
	virtual Status adapter_dp_ack(const std::string &partition, std::uint32_t seq) = 0;
	/// IFLA_SWNV_AUTO_ACK on the host port.  Turning it on acknowledges
	/// the outstanding request.
	virtual Status adapter_set_auto_ack(const std::string &partition, bool on) = 0;
	/// Lock the adapter's host port on its switch: no learning, no
	/// unknown-unicast flooding, IFLA_BRPORT_LOCKED, and the adapter's MAC
	/// as the port's static FDB entry (the only source it accepts).  @mac
	/// is the model's: the partition may have changed its adapter's.
	/// adapter_create and adapter_set_switch leave the port locked; this
	/// restores a port found unlocked.
	virtual Status adapter_lock_port(const std::string &partition, const MacAddr &mac) = 0;
	/// Broadcast and multicast flooding of the synthetic switch to the
	/// adapter's host port.  Off while the partition's filters are on its
	/// VF's VPort: the VF's pool receives those frames, and the child gets
	/// each one once.  On before the filters leave the VF's VPort.
	virtual Status adapter_set_flood(const std::string &partition, bool on) = 0;
	/// Ask the adapter to let go of its VF (graceful removal).
	virtual Status adapter_release_vf(const std::string &partition) = 0;

	// --- the switch's ARP/ND guard (nftables table "bridge sriovd") ---
	/// Replace the guard with @ports in one transaction (a port missing
	/// from @ports loses its rules).
	virtual Status guard_apply(const std::vector<PortGuard> &ports) = 0;
	/// Add one partition's rules, or replace them, in one transaction;
	/// the other partitions' rules are not touched.
	virtual Status guard_set(const PortGuard &port) = 0;
	/// Remove one partition's rules in one transaction.
	virtual Status guard_del(const std::string &partition) = 0;
	/// The guard the kernel holds, as far as the backend can tell: fails
	/// when the table is missing or differs from what guard_apply installed.
	virtual Outcome<std::vector<PortGuard>> guard_state() = 0;

	// --- events ---
	/// File descriptor that becomes readable when events are pending, or -1.
	virtual int event_fd() { return -1; }
	virtual std::vector<KernelEvent> drain_events() = 0;

	// Lookups of one object, built on the dumps; a backend may answer
	// them more cheaply (the real one asks for the one VF's netdev or
	// adapter instead of dumping every namespace).
	std::optional<PfInfo> pf(const std::string &name);
	virtual std::optional<VfInfo> vf(const std::string &pf, VfIndex vf);
	virtual std::optional<AdapterInfo> adapter(const std::string &partition);
	/// The VPort @f is on, on @pf's switch (nullopt: not there).
	virtual std::optional<VportId> filter_vport(const std::string &pf, const Filter &f);
};

} // namespace sriov
