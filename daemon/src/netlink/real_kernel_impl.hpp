// SPDX-License-Identifier: GPL-2.0
// RealKernel: the KernelApi over netlink and sysfs.  The sriov family goes
// through its generated client (ynl_sriov.hpp); RealKernel owns the sockets
// and the mapping from the family's objects to the engine's.  Private to the
// backend: its members are defined by job in real_kernel.cpp (setup),
// rk_genl.cpp (the sriov family: VFs, VPorts, filters), rk_binding.cpp (VF
// driver binding in sysfs), rk_links.cpp (namespaces, an rtnetlink socket
// opened per request in another namespace, link queries), rk_adapters.cpp
// (sriov_netvsc adapters),
// rk_switch.cpp (the synthetic switch: bridge, FDB, port flags, tc
// redirect, RARP announce, ARP/ND guard) and rk_events.cpp (kernel events).
//
// Limitations (documented in Documentation/design/daemon.rst):
//  - A (MAC, VLAN) filter is a MAC filter plus a VLAN filter on one VPort
//    (filter_map.hpp); a VLAN filter on a VPort shared by several
//    partitions stays while any other MAC filter is there.
//  - netns creation runs `ip netns add` (the bind-mount dance is iproute2's)
//    on a bounded call, like sysfs driver binding.
#pragma once

#include "netlink/real_kernel.hpp"

#include "common/log.hpp"
#include "netlink/bounded_call.hpp"
#include "kernel/switch_guard.hpp"
#include "netlink/filter_map.hpp"
#include "netlink/nl_transport.hpp"
#include "netlink/rtnl_link.hpp"
#include "netlink/rtnl_requests.hpp"
#include "netlink/ynl_sriov.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <functional>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/pkt_cls.h>
#include <linux/tc_act/tc_mirred.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sriov.h>
#include <linux/neighbour.h>
#include <map>
#include <net/if.h>
#include <nftables/libnftables.h>
#include <optional>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <netlink/route/act/mirred.h>
#include <netlink/route/action.h>
#include <netlink/route/classifier.h>
#include <netlink/route/cls/flower.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/tc.h>
#include <poll.h>
#include <sched.h>
#include <set>
#include <spawn.h>
#include <stdexcept>
#include <thread>
#include <tuple>
#include <utility>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

// The sriov_netvsc link type (kernel/netvsc/uapi/sriov_netvsc.h).
#include <sriov_netvsc.h>

namespace swnv {
constexpr const char *kind = SRIOV_NETVSC_KIND;
constexpr std::uint16_t peer = IFLA_SWNV_PEER;
constexpr std::uint16_t serial = IFLA_SWNV_SERIAL;
constexpr std::uint16_t dp_active = IFLA_SWNV_DP_ACTIVE;
constexpr std::uint16_t dp_want = IFLA_SWNV_DP_WANT;
constexpr std::uint16_t vf_ifindex = IFLA_SWNV_VF_IFINDEX;
constexpr std::uint16_t dp_pending = IFLA_SWNV_DP_PENDING;
constexpr std::uint16_t dp_seq = IFLA_SWNV_DP_SEQ;
constexpr std::uint16_t dp_ack = IFLA_SWNV_DP_ACK;
constexpr std::uint16_t auto_ack = IFLA_SWNV_AUTO_ACK;
constexpr std::uint8_t dp_synthetic = SWNV_DP_SYNTHETIC;
constexpr std::uint8_t dp_vf = SWNV_DP_VF;
} // namespace swnv

namespace sriov::netlink {

/// The IFLA_IFALIAS prefix of the host ports sriovd creates.
inline const std::string alias_prefix = "sriovd:";

/// A host port's alias "sriovd:<partition>:<netns>" as (partition, netns);
/// @alias starts with alias_prefix.
inline std::pair<std::string, std::string> split_alias(const std::string &alias)
{
	const std::string rest = alias.substr(alias_prefix.size());
	const auto colon = rest.find(':');
	return {rest.substr(0, colon), colon == std::string::npos ? "" : rest.substr(colon + 1)};
}

class RealKernel final : public KernelApi {
public:
	explicit RealKernel(std::vector<std::string> pfs);

	// ---------------------------------------------------------------- genl

	std::vector<PfInfo> pfs() override;

	Status set_num_vfs(const std::string &pf, std::uint32_t n) override;

	std::vector<VfInfo> vfs(const std::string &pf) override;

	/// One VF: the family's VF dump, and a lookup of that VF's netdev only
	/// (vfs() dumps the links of every namespace for all VFs at once).
	std::optional<VfInfo> vf(const std::string &pf, VfIndex vf) override;

	Status vf_alloc(const std::string &pf, VfIndex vf, std::uint64_t serial) override;

	/// Write @text to a sysfs attribute (in place), on sysfs_call_: a
	/// driver's remove or probe behind the write may block, the caller
	/// waits sysfs_bound at most.
	Status sysfs_write(const std::string &path, const std::string &text);
	static constexpr std::chrono::milliseconds sysfs_bound{15000};
	/// How long the io thread waits for `ip netns add` (netns_create()).
	static constexpr std::chrono::milliseconds netns_bound{15000};

	/// Unbind the VF's driver, if any: its netdev goes away.
	Status driver_unbind(const std::string &pf, VfIndex vf);

	/// Probe the VF again: its driver reads the administrative MAC at probe
	/// (igbvf only learns a new admin MAC through its reset handshake).
	Status vf_rebind(const std::string &pf, VfIndex vf);

	/// The name of the driver bound to the VF ("" if none).
	static std::string vf_driver(const std::string &pf, VfIndex vf);

	Status vf_set_mac(const std::string &pf, VfIndex vf, const MacAddr &mac) override;

	Status vf_probe(const std::string &pf, VfIndex vf) override { return vf_rebind(pf, vf); }

	Status vf_unbind(const std::string &pf, VfIndex vf) override { return driver_unbind(pf, vf); }

	Status vf_set_admin_mac(const std::string &pf, VfIndex vf, const MacAddr &mac);

	Status vf_reset(const std::string &pf, VfIndex vf) override;

	Status vf_free(const std::string &pf, VfIndex vf) override;

	Outcome<std::vector<std::uint8_t>> config_read(const std::string &pf, VfIndex vf, std::uint32_t offset,
						       std::uint32_t len) override;

	std::vector<VportInfo> vports(const std::string &pf) override;

	Outcome<VportId> vport_create(const std::string &pf, VfIndex vf) override;

	Status vport_delete(const std::string &pf, VportId id) override;

	std::vector<FilterNl> raw_filters(const std::string &pf);

	std::map<VportId, VportAdmin> admin_filters(const std::string &pf) { return admin_by_vport(raw_filters(pf)); }

	// A daemon filter (MAC, VLAN) on a VPort is the VPort's MAC filter for
	// MAC plus, for VLAN != 0, its VLAN filter for VLAN (the 82576 keeps
	// them apart: a receive-address register and a VLVF pool bit); one
	// VLAN filter serves every MAC of its VPort.  See filter_map.hpp.
	std::vector<FilterInfo> filters(const std::string &pf) override { return daemon_filters(admin_filters(pf)); }

	Status filter_add(const std::string &pf, VportId vport, const Filter &f) override;

	Status filter_del(const std::string &pf, VportId vport, const Filter &f) override;

	Status filters_move(const std::string &pf, VportId from, VportId to, const std::vector<Filter> &set) override;

	// ---------------------------------------------------------------- rtnl

	bool netns_exists(const std::string &ns) override;
	std::string netns_identity(const std::string &ns) override;

	Status netns_create(const std::string &ns) override;
	Status adapter_claim(const std::string &partition, const std::string &ns, std::uint64_t serial) override;

	/// A name the host namespace may take as is: [A-Za-z0-9._-], 1..15.
	static bool plain_ifname(const std::string &n);

	/// RTM_NEWLINK by ifindex with IFLA_NET_NS_FD: the name the netdev has
	/// in @from_ns plays no part, whatever the namespace made of it.  The
	/// kernel keeps the name unless IFLA_IFNAME gives a pattern (then a
	/// clashing name is replaced on the way, and the netdev takes the
	/// pattern's next free name after the move).
	Status netdev_move(const std::string &from_ns, std::uint32_t ifindex, const std::string &to_ns) override;

	std::vector<AdapterInfo> adapters() override;

	/// One adapter: a get of its host port and a dump of its child's
	/// namespace, not of every namespace.
	std::optional<AdapterInfo> adapter(const std::string &partition) override;

	static bool is_host_port(const Link &l);

	/// The adapter whose host port is @l; @links holds at least the links
	/// of its child's namespace, @master_name is the name of @l's master.
	AdapterInfo to_adapter(const Link &l, const std::vector<std::pair<std::string, Link>> &links,
			       const std::string &master_name);

	/// A bridge port that is locked, does not learn and gets no unknown
	/// unicast (what lock_port_flags() sets).
	static bool port_locked(const Link &l);

	/// The bridge floods broadcast and multicast to the port (both flags
	/// default to on in a new port).
	static bool port_floods(const Link &l);

	Status adapter_set_flood(const std::string &partition, bool on) override;

	/// The bridge's own source check on a partition's port: a locked port
	/// (net/bridge/br_input.c) drops every frame whose source MAC is not
	/// an FDB entry pointing at that port; with learning off it creates
	/// no entries (and no "locked" ones: MAB stays off), so the static
	/// entry pin_adapter_mac() adds is the only source it accepts.  No
	/// unknown unicast is flooded to it; broadcast and multicast are.
	Status lock_port_flags(int port);

	Status adapter_lock_port(const std::string &partition, const MacAddr &mac) override;

	Status adapter_create(const std::string &partition, const std::string &ns, const std::string &ifname,
			      const std::string &pf, const MacAddr &mac, std::uint64_t serial) override;

	/// The adapter's MAC lives behind its host port, always: the NIC loops
	/// broadcasts the VF sends back to the PF, and a bridge that learned
	/// the MAC behind the PF would drop what the PF receives for the
	/// adapter once the filters fall back to the default VPort.
	Status pin_adapter_mac(int port, const MacAddr &mac);

	/// One sriov_netvsc setting (IFLA_INFO_DATA) sent to @partition's host
	/// port: @put adds the attributes.
	Status adapter_change(const std::string &partition, const MsgFill &put);

	/// IFLA_SWNV_SERIAL on the host port (the kernel rescans the VFs).
	Status adapter_set_serial(const std::string &partition, std::uint64_t serial) override;

	Status adapter_delete(const std::string &partition) override;

	Status adapter_set_switch(const std::string &partition, const std::string &pf, const MacAddr &mac) override;

	/// How long the redirect of a migration outlives the announcement.
	static constexpr int redirect_grace_ms = 50;

	/// The tc priority of host port @port's redirect: one per port.
	static std::uint16_t redirect_prio(unsigned port);

	using ClsPtr = NlPtr<rtnl_cls, rtnl_cls_put>;

	/// The flower filter that is host port @port's redirect on ingress of
	/// the netdev with index @dev (what redirect_add installs and
	/// redirect_delete names), without match or action.
	static ClsPtr redirect_cls(unsigned dev, unsigned port);

	/// On @netdev's ingress (an "ingress" qdisc, created if missing), a
	/// flower filter that sends every frame for @mac to host port @port
	/// (mirred egress redirect: the port hands it to the adapter whatever
	/// switch it belongs to).  libnl-route-3's tc objects, sent by
	/// exchange() on the host socket.
	Status redirect_add(const std::string &netdev, unsigned port, const MacAddr &mac);

	/// Remove host port @port's redirect from @netdev's ingress, if any.
	void redirect_delete(const std::string &netdev, unsigned port);

	/// One RARP request from @mac, broadcast out of @pf's netdev.
	Status announce(const std::string &pf, const MacAddr &mac);

	Status adapter_set_datapath(const std::string &partition, Datapath dp) override;

	Status adapter_dp_ack(const std::string &partition, std::uint32_t seq) override;

	Status adapter_set_auto_ack(const std::string &partition, bool on) override;

	Status adapter_release_vf(const std::string &partition) override;

	/// Readable when the genl event group or the link group has news.
	int event_fd() override { return epoll_.get(); }

	/// Host-port link notifications -> adapter_unpaired when an adapter
	/// that had a VF reports none (VF unregistered: unbind, unplug).
	void drain_link_events(std::vector<KernelEvent> &out);

	std::vector<KernelEvent> drain_events() override;

private:
	std::optional<int> pf_ifindex(const std::string &pf);

	static std::string host_port_name(const std::string &partition);

	/// The PF's bridge is named after its PCI address, which outlives the
	/// PF netdev (a re-bound or re-plugged PF registers a new netdev, under
	/// another name): "sb-0000.01.00.0" for 0000:01:00.0 (':' is not
	/// allowed in a netdev name).
	static std::string bridge_name(const std::string &pf);

	std::string pf_of_bridge(const std::string &bridge);

	/// The PF's switch for the synthetic path: a bridge holding the PF netdev.
	Status pf_switch_sync(const std::string &pf) override { return ensure_bridge(pf).status; }

	Outcome<int> ensure_bridge(const std::string &pf);

	// --- the ARP/ND guard: libnftables, text from switch_guard ---

	/// One libnftables run of @cmds in the host namespace (sriovd's own);
	/// its output in @out.  The context is per call: cheap, and no state
	/// outlives a failure.
	static Status nft_run(const std::string &cmds, std::string *out);

	Status guard_apply(const std::vector<PortGuard> &ports) override;
	/// One port's chain and map entry, one transaction; its chain's
	/// listing is taken right after (the others are not listed).
	Status guard_set(const PortGuard &port) override;
	Status guard_del(const std::string &partition) override;
	/// guard_apply() of the ports known and @port (no table of ours known).
	Status guard_apply_all_with(const PortGuard &port);

	/// The kernel's table, listed, against what sriovd installed: the
	/// base chain and each port's chain as nft listed them right after
	/// they were installed, and the map's entries.  Any rule, chain or
	/// entry changed, added or removed since shows.
	Outcome<std::vector<PortGuard>> guard_state() override;

	static std::string vf_bdf(const std::string &pf, VfIndex vf);
	/// the VF's PCI address as the PF reports it, else from sysfs
	static std::string vf_pci_addr(const std::string &pf, const VfNl &v);

	Fd ns_fd(const std::string &ns);

	/// An rtnetlink socket in a namespace: the host's (kept for the
	/// daemon's life), or one created inside another namespace for one
	/// use and closed with this handle.  No socket is kept per namespace:
	/// a kept socket holds a reference to its namespace, which then
	/// outlives `ip netns del`, and a namespace created again under the
	/// same name would be served by the old one.
	class NsSock {
	public:
		explicit NsSock(nl_sock *host) : host_(host) {}
		explicit NsSock(NlSock own) : own_(std::move(own)) {}
		[[nodiscard]] nl_sock *get() const { return own_ ? own_.get() : host_; }

	private:
		nl_sock *host_{};
		NlSock own_;
	};
	/// An rtnetlink socket in @ns (created there, usable from here);
	/// get() is null if the namespace does not exist.
	NsSock sock(const std::string &ns);

	/// One request on the host namespace's socket (exchange()).
	Status request(NlMsg req) { return exchange(rtnl_.get(), std::move(req)); }

	/// RTM_NEWLINK on host link @ifindex with the changes @set makes.
	Status link_change(int ifindex, const std::function<bool(rtnl_link *)> &set)
	{
		return request(link_change_request(ifindex, set));
	}

	/// Send the RTM_GETLINK request @req on @ns's socket and collect the
	/// links of the answer: every link of the namespace for a dump, the
	/// one link asked for by a get; none if the request fails.
	std::vector<Link> link_request(const std::string &ns, NlMsg req);

	std::vector<Link> dump_links(const std::string &ns);

	/// One link of @ns by name (a get, not a dump of the namespace).
	std::optional<Link> get_link(const std::string &ns, const std::string &name);

	/// The netdev of PCI device @bdf and its namespace, if it has one.  The
	/// host namespace is asked through sysfs (the device's net/ directory
	/// lists its netdevs in the namespace sysfs belongs to) and a get per
	/// name; only a netdev that is not there costs a dump of each named
	/// namespace.  A device without a driver has no netdev anywhere.
	std::optional<std::pair<std::string, Link>> find_pci_netdev(const std::string &bdf);

	static std::vector<std::string> named_netns();

	/// The namespaces besides the host's whose links sriovd looks at: the
	/// named ones and those the adapters among @host name by path (a
	/// container's).  Each once, under the partition's name for it: a
	/// named one an adapter names as /run/netns/NAME (a CNI runtime's
	/// namespace) is listed by that path only, so that a VF netdev in it
	/// is in the partition's namespace (by string, as everywhere).
	static std::vector<std::string> netns_to_dump(const std::vector<Link> &host);

	/// Links of the host and of every namespace of netns_to_dump(), keyed
	/// by namespace.
	std::vector<std::pair<std::string, Link>> all_links();

	unsigned if_index_in(const std::string &ns, const std::string &dev);

	std::vector<std::string> only_;
	SriovGenl genl_{SriovGenl::Role::requests};  ///< the "sriov" family's requests
	SriovGenl events_{SriovGenl::Role::events};   ///< its "events" group
	Fd host_ns_;
	NlSock rtnl_;   ///< rtnetlink requests in the host namespace
	NlSock links_;  ///< rtnetlink, RTNLGRP_LINK of the host namespace
	Fd epoll_;  ///< event_fd(): the genl event socket + links_
	std::map<std::string, std::uint32_t> paired_; ///< partition -> VF ifindex last announced
	std::map<std::string, std::uint32_t> pf_ifindex_;
	/// partition -> ifindex of the VF netdev its adapter released
	std::map<std::string, std::uint32_t> released_;
	BoundedCall sysfs_call_{"sysfs write"}; ///< see sysfs_write()
	BoundedCall netns_call_{"ip netns add"}; ///< see netns_create()
	/// the guard's ports as installed, by partition
	std::map<std::string, PortGuard> guard_;
	/// each installed chain's block as nft listed it after installing it
	/// ("chain NAME" -> text); empty until guard_apply succeeded, and
	/// after a change that failed half-way (the table is then unknown)
	std::map<std::string, std::string> guard_blocks_;
};

} // namespace sriov::netlink
