// SPDX-License-Identifier: GPL-2.0
#include "netlink/real_kernel_impl.hpp"

namespace sriov::netlink {

bool RealKernel::port_locked(const Link &l)
{
	const auto &bp = l.bridge_port;
	return bp && bp->locked == 1 && bp->learning == 0 && bp->unicast_flood == 0;
}

bool RealKernel::port_floods(const Link &l)
{
	const auto &bp = l.bridge_port;
	// both flags are on in a new port
	return !bp || (bp->bcast_flood.value_or(1) != 0 && bp->mcast_flood.value_or(1) != 0);
}

Status RealKernel::adapter_set_flood(const std::string &partition, bool on)
{
	const unsigned idx = if_index_in("", host_port_name(partition));
	if (idx == 0)
		return Status::fail(ENOENT, "no adapter for " + partition);
	const std::uint8_t v = on ? 1 : 0;
	auto st = request(bridge_port_request(static_cast<int>(idx),
					      {{IFLA_BRPORT_BCAST_FLOOD, v}, {IFLA_BRPORT_MCAST_FLOOD, v}}));
	if (!st.ok())
		return Status::fail(st.err, std::string("flooding ") + (on ? "on" : "off") + " on the host port of " +
						    partition + ": " + st.msg);
	return st;
}

Status RealKernel::lock_port_flags(int port)
{
	auto st = request(bridge_port_request(
		port, {{IFLA_BRPORT_LEARNING, 0}, {IFLA_BRPORT_UNICAST_FLOOD, 0}, {IFLA_BRPORT_LOCKED, 1}}));
	if (!st.ok())
		return Status::fail(st.err, "locking bridge port " + std::to_string(port) + ": " + st.msg);
	return st;
}

Status RealKernel::adapter_lock_port(const std::string &partition, const MacAddr &mac)
{
	const unsigned idx = if_index_in("", host_port_name(partition));
	if (idx == 0)
		return Status::fail(ENOENT, "no adapter for " + partition);
	if (auto st = lock_port_flags(static_cast<int>(idx)); !st.ok())
		return st;
	return pin_adapter_mac(static_cast<int>(idx), mac);
}

Status RealKernel::pin_adapter_mac(int port, const MacAddr &mac)
{
	auto st = request(fdb_pin_request(port, mac));
	if (!st.ok())
		return Status::fail(st.err, "pinning the adapter MAC on its bridge port: " + st.msg);
	return st;
}

Status RealKernel::adapter_set_switch(const std::string &partition, const std::string &pf, const MacAddr &mac)
{
	auto br = ensure_bridge(pf);
	if (!br.ok())
		return br.status;
	const unsigned idx = if_index_in("", host_port_name(partition));
	if (idx == 0)
		return Status::fail(ENOENT, "no adapter for " + partition);
	const auto old = adapter(partition);
	const auto old_pf = old && old->pf != pf ? KernelApi::pf(old->pf) : std::nullopt;
	// a redirect left by a crash in the middle of an earlier move
	for (const auto &p : pfs())
		redirect_delete(p.netdev, idx);
	// Frames for the adapter reach the old PF until the wire has
	// learnt the new port from the announcement below, and the port
	// belongs to no switch while it moves: the old PF's ingress
	// hands them straight to the port meanwhile.
	if (old_pf && !old_pf->netdev.empty()) {
		if (auto st = redirect_add(old_pf->netdev, idx, mac); !st.ok())
			return st;
	}
	const int master = *br.value;
	auto st = link_change(static_cast<int>(idx), [master](rtnl_link *l) {
		rtnl_link_set_master(l, master);
		return true;
	});
	// a new bridge port starts unlocked and loses its FDB entries:
	// locked, with the model's MAC (not the one the partition may
	// have given its adapter) as its only source
	if (st.ok())
		st = adapter_lock_port(partition, mac);
	if (st.ok()) {
		// Tell the wire where the adapter's MAC is now, as a
		// hypervisor does after a migration (QEMU's announce_self):
		// the external switches would keep sending to the old NIC
		// until they relearn.
		if (auto a = announce(pf, mac); !a.ok())
			log::warn(0, "announce of ", mac.str(), " on ", pf, ": ", a.msg);
		// a learning switch moves the MAC as it forwards the
		// announcement; what it sent before is in flight a moment
		if (old_pf)
			std::this_thread::sleep_for(std::chrono::milliseconds(redirect_grace_ms));
	}
	if (old_pf)
		redirect_delete(old_pf->netdev, idx);
	return st;
}

std::uint16_t RealKernel::redirect_prio(unsigned port)
{
	return static_cast<std::uint16_t>(0x8000U | (port & 0x7fffU));
}

RealKernel::ClsPtr RealKernel::redirect_cls(unsigned dev, unsigned port)
{
	ClsPtr c(rtnl_cls_alloc());
	if (!c)
		return c;
	rtnl_tc_set_ifindex(TC_CAST(c.get()), static_cast<int>(dev));
	rtnl_tc_set_parent(TC_CAST(c.get()), TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS));
	rtnl_tc_set_kind(TC_CAST(c.get()), "flower");
	rtnl_cls_set_prio(c.get(), redirect_prio(port));
	rtnl_cls_set_protocol(c.get(), ETH_P_ALL);
	return c;
}

Status RealKernel::redirect_add(const std::string &netdev, unsigned port, const MacAddr &mac)
{
	const unsigned dev = ::if_nametoindex(netdev.c_str());
	if (dev == 0)
		return Status::fail(ENODEV, netdev + " not found");
	const NlPtr<rtnl_qdisc, rtnl_qdisc_put> q(rtnl_qdisc_alloc());
	if (!q)
		return Status::fail(ENOMEM, "tc qdisc");
	rtnl_tc_set_ifindex(TC_CAST(q.get()), static_cast<int>(dev));
	rtnl_tc_set_parent(TC_CAST(q.get()), TC_H_INGRESS);
	rtnl_tc_set_handle(TC_CAST(q.get()), TC_HANDLE(0xffffU, 0));
	rtnl_tc_set_kind(TC_CAST(q.get()), "ingress");
	nl_msg *qm = nullptr;
	if (rtnl_qdisc_build_add_request(q.get(), NLM_F_CREATE | NLM_F_EXCL, &qm) < 0)
		return Status::fail(ENOMEM, "tc qdisc request");
	if (auto st = request(NlMsg(qm)); !st.ok() && st.err != EEXIST)
		return Status::fail(st.err, "ingress qdisc on " + netdev + ": " + st.msg);
	const ClsPtr c = redirect_cls(dev, port);
	const NlPtr<rtnl_act, rtnl_act_put> act(rtnl_act_alloc());
	if (!c || !act)
		return Status::fail(ENOMEM, "tc filter");
	std::array<unsigned char, 6> addr{};
	std::array<unsigned char, 6> all{};
	std::copy(mac.bytes().begin(), mac.bytes().end(), addr.begin());
	all.fill(0xff);
	rtnl_tc_set_kind(TC_CAST(act.get()), "mirred");
	rtnl_mirred_set_action(act.get(), TCA_EGRESS_REDIR);
	rtnl_mirred_set_policy(act.get(), TC_ACT_STOLEN);
	rtnl_mirred_set_ifindex(act.get(), port);
	nl_msg *cm = nullptr;
	// the filter takes its own reference to the action
	if (rtnl_flower_set_dst_mac(c.get(), addr.data(), all.data()) < 0 ||
	    rtnl_flower_append_action(c.get(), act.get()) < 0 ||
	    rtnl_cls_build_add_request(c.get(), NLM_F_CREATE | NLM_F_EXCL, &cm) < 0)
		return Status::fail(ENOMEM, "tc filter request");
	if (auto st = request(NlMsg(cm)); !st.ok())
		return Status::fail(st.err, "redirect of " + mac.str() + " on " + netdev + ": " + st.msg);
	return Status::success();
}

void RealKernel::redirect_delete(const std::string &netdev, unsigned port)
{
	const unsigned dev = netdev.empty() ? 0 : ::if_nametoindex(netdev.c_str());
	if (dev == 0)
		return;
	const ClsPtr c = redirect_cls(dev, port);
	nl_msg *m = nullptr;
	if (!c || rtnl_cls_build_delete_request(c.get(), 0, &m) < 0)
		return;
	// no such filter (ENOENT), no ingress qdisc (EINVAL), no netdev
	const auto st = request(NlMsg(m));
	if (!st.ok() && st.err != ENOENT && st.err != ENODEV && st.err != EINVAL)
		log::warn(0, "removing the redirect of port ", port, " on ", netdev, ": ", st.msg);
}

Status RealKernel::announce(const std::string &pf, const MacAddr &mac)
{
	auto info = KernelApi::pf(pf);
	if (!info || info->netdev.empty())
		return Status::fail(ENODEV, "PF has no netdev");
	const unsigned ifi = ::if_nametoindex(info->netdev.c_str());
	if (ifi == 0)
		return Status::fail(ENODEV, info->netdev + " not found");
	constexpr std::uint16_t eth_p_rarp = 0x8035;
	Fd fd(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0));
	if (fd.get() < 0)
		return Status::fail(errno, std::string("packet socket: ") + std::strerror(errno));
	std::array<std::uint8_t, 60> f{}; // minimum frame, zero padded
	const auto &m = mac.bytes();
	std::fill_n(f.begin(), 6, 0xff);
	std::copy(m.begin(), m.end(), f.begin() + 6);
	f[12] = eth_p_rarp >> 8;
	f[13] = eth_p_rarp & 0xff;
	// RARP: htype 1, ptype IPv4, hlen 6, plen 4, op 3 (request reverse)
	const std::array<std::uint8_t, 8> hdr{0, 1, 8, 0, 6, 4, 0, 3};
	std::copy(hdr.begin(), hdr.end(), f.begin() + 14);
	std::copy(m.begin(), m.end(), f.begin() + 22);	// sender hardware address
	std::copy(m.begin(), m.end(), f.begin() + 32);	// target hardware address
	sockaddr_ll sa{};
	sa.sll_family = AF_PACKET;
	sa.sll_protocol = htons(eth_p_rarp);
	sa.sll_ifindex = static_cast<int>(ifi);
	sa.sll_halen = 6;
	std::fill_n(std::begin(sa.sll_addr), 6, 0xff);
	if (::sendto(fd.get(), f.data(), f.size(), 0, reinterpret_cast<sockaddr *>(&sa), // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
		     sizeof(sa)) < 0)
		return Status::fail(errno, std::string("sendto: ") + std::strerror(errno));
	return Status::success();
}

std::string RealKernel::bridge_name(const std::string &pf)
{
	std::string n = "sb-" + pf;
	std::replace(n.begin(), n.end(), ':', '.');
	return n.substr(0, IFNAMSIZ - 1);
}

std::string RealKernel::pf_of_bridge(const std::string &bridge)
{
	for (const auto &p : pfs())
		if (bridge_name(p.name) == bridge)
			return p.name;
	return {};
}

Outcome<int> RealKernel::ensure_bridge(const std::string &pf)
{
	auto info = KernelApi::pf(pf);
	if (!info || info->netdev.empty())
		return Outcome<int>::fail(ENODEV, "PF " + pf + " has no netdev");
	const std::string br = bridge_name(pf);
	unsigned idx = if_index_in("", br);
	if (idx == 0) {
		auto name = [&br](nl_msg *m) { return nla_put_string(m, IFLA_IFNAME, br.c_str()) >= 0; };
		// no IGMP/MLD snooping: which port gets a multicast frame
		// follows the port's flood flag alone, which sriovd sets by
		// where the partition's filters are (adapter_set_flood)
		auto no_snooping = [](nl_msg *m) { return nla_put_u8(m, IFLA_BR_MCAST_SNOOPING, 0) >= 0; };
		auto st = request(linkinfo_request(0, IFF_UP, name, "bridge", no_snooping));
		if (!st.ok() && st.err != EEXIST)
			return Outcome<int>::fail(st.err, "bridge " + br + ": " + st.msg);
		idx = if_index_in("", br);
	}
	// the PF netdev joins (again, after it registered anew: PF driver
	// re-bound, hot-plug) the bridge
	std::error_code ec;
	const auto master = std::filesystem::read_symlink("/sys/class/net/" + info->netdev + "/master", ec);
	if (ec || master.filename().string() != br) {
		const int pf_idx = static_cast<int>(if_index_in("", info->netdev));
		auto st = link_change(pf_idx, [idx](rtnl_link *l) {
			rtnl_link_set_flags(l, IFF_UP);
			rtnl_link_set_master(l, static_cast<int>(idx));
			return true;
		});
		if (!st.ok())
			return Outcome<int>::fail(st.err, "enslave " + info->netdev + " to " + br + ": " + st.msg);
		// The switch knows its internal ports; it must not learn
		// them on the uplink.  The 82576 (and QEMU's igb) loops the
		// PF's broadcasts back to the PF pool, so an adapter's ARP
		// request would teach the bridge that the adapter sits
		// behind the PF, and the bridge would then drop every frame
		// for the adapter arriving there.  No learning on the PF port.
		st = request(bridge_port_request(pf_idx, {{IFLA_BRPORT_LEARNING, 0}}));
		if (!st.ok())
			return Outcome<int>::fail(st.err, "learning off on " + info->netdev + ": " + st.msg);
	}
	return Outcome<int>::of(static_cast<int>(idx));
}

Status RealKernel::nft_run(const std::string &cmds, std::string *out)
{
	std::unique_ptr<nft_ctx, decltype(&nft_ctx_free)> ctx(nft_ctx_new(NFT_CTX_DEFAULT), nft_ctx_free);
	if (!ctx)
		return Status::fail(ENOMEM, "libnftables: no context");
	if (nft_ctx_buffer_output(ctx.get()) != 0 || nft_ctx_buffer_error(ctx.get()) != 0)
		return Status::fail(ENOMEM, "libnftables: no buffers");
	const int rc = nft_run_cmd_from_buffer(ctx.get(), cmds.c_str());
	const char *err = nft_ctx_get_error_buffer(ctx.get());
	if (rc != 0) {
		std::string msg = err != nullptr ? err : "";
		while (!msg.empty() && msg.back() == '\n')
			msg.pop_back();
		return Status::fail(EINVAL, "nftables: " + (msg.empty() ? std::string("failed") : msg));
	}
	if (out != nullptr) {
		const char *o = nft_ctx_get_output_buffer(ctx.get());
		*out = o != nullptr ? o : "";
	}
	return Status::success();
}

Status RealKernel::guard_apply(const std::vector<PortGuard> &ports)
{
	std::vector<guard::Port> gp;
	gp.reserve(ports.size());
	for (const auto &g : ports)
		gp.push_back({.ifname = host_port_name(g.partition), .guard = g});
	guard_blocks_.clear();
	guard_.clear();
	if (auto st = nft_run(guard::script(gp), nullptr); !st.ok())
		return st;
	std::string listing;
	if (auto st = nft_run(std::string("list table bridge ") + guard::table, &listing); !st.ok())
		return st;
	for (auto &[name, block] : guard::listing_blocks(listing))
		if (name.rfind("chain ", 0) == 0)
			guard_blocks_[name] = std::move(block);
	for (const auto &g : ports)
		guard_[g.partition] = g;
	return Status::success();
}

Status RealKernel::guard_set(const PortGuard &port)
{
	if (guard_blocks_.empty())
		return guard_apply_all_with(port);
	const guard::Port gp{.ifname = host_port_name(port.partition), .guard = port};
	const std::string chain = "chain " + guard::chain_name(gp.ifname);
	guard_blocks_.erase(chain);
	guard_.erase(port.partition);
	if (auto st = nft_run(guard::port_add_script(gp), nullptr); !st.ok()) {
		guard_blocks_.clear(); // what the kernel holds now is unknown
		return st;
	}
	std::string listing;
	if (auto st = nft_run(std::string("list chain bridge ") + guard::table + " " + guard::chain_name(gp.ifname),
			      &listing);
	    !st.ok()) {
		guard_blocks_.clear();
		return st;
	}
	auto blocks = guard::listing_blocks(listing);
	guard_blocks_[chain] = blocks[chain];
	guard_[port.partition] = port;
	return Status::success();
}

Status RealKernel::guard_apply_all_with(const PortGuard &port)
{
	// no table of ours known: install it whole, with the ports known
	std::vector<PortGuard> all;
	for (const auto &[name, g] : guard_)
		if (name != port.partition)
			all.push_back(g);
	all.push_back(port);
	return guard_apply(all);
}

Status RealKernel::guard_del(const std::string &partition)
{
	const std::string ifname = host_port_name(partition);
	guard_blocks_.erase("chain " + guard::chain_name(ifname));
	guard_.erase(partition);
	if (auto st = nft_run(guard::port_del_script(ifname), nullptr); !st.ok()) {
		guard_blocks_.clear();
		return st;
	}
	return Status::success();
}

Outcome<std::vector<PortGuard>> RealKernel::guard_state()
{
	using Out = Outcome<std::vector<PortGuard>>;
	const std::string table = "table bridge " + std::string(guard::table);
	std::string listing;
	if (auto st = nft_run("list " + table, &listing); !st.ok())
		return Out::fail(ENOENT, table + ": " + st.msg);
	if (guard_blocks_.empty())
		return Out::fail(ENOENT, table + " was not installed by this sriovd");
	auto blocks = guard::listing_blocks(listing);
	const auto map = blocks.find("map " + std::string(guard::port_map));
	if (map == blocks.end())
		return Out::fail(EINVAL, table + " has no map " + guard::port_map);
	std::map<std::string, std::string> want_map;
	for (const auto &[name, g] : guard_) {
		const auto ifname = host_port_name(name);
		want_map[ifname] = guard::chain_name(ifname);
	}
	if (guard::map_elements(map->second) != want_map)
		return Out::fail(EINVAL, table + ": the ports in map " + guard::port_map + " changed since sriovd set them");
	blocks.erase(map);
	if (blocks != guard_blocks_)
		return Out::fail(EINVAL, table + " changed since sriovd installed it");
	std::vector<PortGuard> out;
	out.reserve(guard_.size());
	for (const auto &[name, g] : guard_)
		out.push_back(g);
	return Out::of(std::move(out));
}

} // namespace sriov::netlink
