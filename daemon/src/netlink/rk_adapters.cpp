// SPDX-License-Identifier: GPL-2.0
#include "netlink/real_kernel_impl.hpp"

namespace sriov::netlink {

std::vector<AdapterInfo> RealKernel::adapters()
{
	std::vector<AdapterInfo> out;
	const auto links = all_links();
	std::map<int, std::string> host_names;
	for (const auto &[ns, l] : links)
		if (ns.empty())
			host_names[l.ifindex] = l.name;
	for (const auto &[ns, l] : links) {
		if (!ns.empty() || !is_host_port(l))
			continue;
		out.push_back(to_adapter(l, links, host_names[l.master]));
	}
	return out;
}

std::optional<AdapterInfo> RealKernel::adapter(const std::string &partition)
{
	auto host = get_link("", host_port_name(partition));
	if (!host || !is_host_port(*host))
		return std::nullopt;
	std::vector<std::pair<std::string, Link>> links;
	std::array<char, IF_NAMESIZE> master{};
	const char *mname = host->master > 0 ? ::if_indextoname(static_cast<unsigned>(host->master), master.data())
					     : nullptr;
	const std::string master_name = mname != nullptr ? mname : "";
	links.emplace_back("", std::move(*host));
	const Link &hl = links.front().second;
	const auto [part, ns] = split_alias(hl.alias);
	if (part != partition)
		return KernelApi::adapter(partition); // a name clash: look at all of them
	for (auto &l : dump_links(ns))
		links.emplace_back(ns, std::move(l));
	return to_adapter(links.front().second, links, master_name);
}

bool RealKernel::is_host_port(const Link &l)
{
	return l.kind == swnv::kind && l.alias.rfind(alias_prefix, 0) == 0;
}

AdapterInfo RealKernel::to_adapter(const Link &l, const std::vector<std::pair<std::string, Link>> &links,
		       const std::string &master_name)
{
	AdapterInfo a;
	std::tie(a.partition, a.netns) = split_alias(l.alias);
	a.host_port = l.name;
	a.pf = pf_of_bridge(master_name);
	a.port_locked = port_locked(l);
	a.flood = port_floods(l);
	const NetvscData &d = l.netvsc;
	if (d.dp_active)
		a.datapath = *d.dp_active == swnv::dp_vf ? Datapath::vf : Datapath::synthetic;
	if (d.serial)
		a.serial = *d.serial;
	if (d.auto_ack)
		a.auto_ack = *d.auto_ack != 0;
	if (d.dp_pending && *d.dp_pending != SWNV_DP_NONE)
		a.dp_pending = *d.dp_pending == swnv::dp_vf ? Datapath::vf : Datapath::synthetic;
	if (d.dp_seq)
		a.dp_seq = *d.dp_seq;
	std::uint32_t vf_idx = d.vf_ifindex;
	if (vf_idx != 0)
		for (const auto &[ns2, l2] : links)
			if (ns2 == a.netns && l2.ifindex == static_cast<int>(vf_idx))
				a.paired_vf = l2.name;
	if (const auto r = released_.find(a.partition); r != released_.end()) {
		// only the VF that was released is hidden; once it is
		// gone, or another VF has paired, the mark is spent
		if (a.paired_vf.empty() || vf_idx != r->second)
			released_.erase(r);
		else if (a.datapath == Datapath::synthetic) {
			a.paired_vf.clear(); // released: the adapter no longer uses it
			vf_idx = 0;
		}
	}
	a.paired_vf_ifindex = vf_idx;
	for (const auto &[ns2, l2] : links)
		if (ns2 == a.netns && l2.kind == swnv::kind) {
			a.mac = l2.mac; // the child-side adapter carries the MAC
			a.up = (l2.flags & IFF_UP) != 0;
		}
	return a;
}

Status RealKernel::adapter_claim(const std::string &partition, const std::string &ns, std::uint64_t serial)
{
	if (adapter(partition))
		return KernelApi::adapter_claim(partition, ns, serial);
	// a host port without its alias: created, and the daemon stopped
	// before marking it; its identity (set at creation) says whose it is
	const std::string host = host_port_name(partition);
	auto l = get_link("", host);
	if (!l)
		return Status::fail(EEXIST, "the link in the way is not " + host + " (a link by the adapter's name in netns " +
						    ns + " exists: another adapter there?)");
	if (l->kind != swnv::kind || !l->alias.empty())
		return Status::fail(EEXIST, host + " exists and is no unmarked sriov_netvsc host port");
	if (!l->netvsc.serial || *l->netvsc.serial != serial)
		return Status::fail(EEXIST, host + " carries serial " +
						    (l->netvsc.serial ? std::to_string(*l->netvsc.serial) : "none") + ", not " +
						    std::to_string(serial));
	const std::string alias = alias_prefix + partition + ":" + ns;
	return link_change(l->ifindex, [&alias](rtnl_link *lk) {
		rtnl_link_set_ifalias(lk, alias.c_str());
		return true;
	});
}

Status RealKernel::adapter_create(const std::string &partition, const std::string &ns, const std::string &ifname,
		      const std::string &pf, const MacAddr &mac, std::uint64_t serial)
{
	auto br = ensure_bridge(pf);
	if (!br.ok())
		return br.status;
	Fd child = ns_fd(ns);
	if (child.get() < 0)
		return Status::fail(ENOENT, "no netns " + ns);
	const std::string host = host_port_name(partition);
	// created down: it comes up once its switch port is locked
	auto head = [&](nl_msg *m) {
		return nla_put_string(m, IFLA_IFNAME, host.c_str()) >= 0 &&
		       nla_put_u32(m, IFLA_MASTER, static_cast<std::uint32_t>(*br.value)) >= 0;
	};
	auto data = [&](nl_msg *m) {
		// the child's side: a nested ifinfomsg and its attributes
		ifinfomsg ifi{};
		nlattr *peer = nla_nest_start(m, swnv::peer);
		if (peer == nullptr || nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
		    nla_put_string(m, IFLA_IFNAME, ifname.c_str()) < 0 ||
		    nla_put(m, IFLA_ADDRESS, static_cast<int>(mac.bytes().size()), mac.bytes().data()) < 0 ||
		    nla_put_u32(m, IFLA_NET_NS_FD, static_cast<std::uint32_t>(child.get())) < 0)
			return false;
		nla_nest_end(m, peer);
		// the identity is the adapter's before it registers: it
		// never pairs on the MAC alone
		if (serial != 0 && nla_put_u64(m, swnv::serial, serial) < 0)
			return false;
		// sriovd acknowledges every data-path request itself, after
		// its filter moves: no instant where the host port acks on
		// its own; and asks for the VF only in its attach step
		// (datapath_vf): a VF that pairs first raises no request
		// that would wait for an ack
		return nla_put_u8(m, swnv::auto_ack, 0) >= 0 && nla_put_u8(m, swnv::dp_want, swnv::dp_synthetic) >= 0;
	};
	auto st = request(linkinfo_request(0, 0, head, swnv::kind, data));
	if (!st.ok())
		return st;
	// the alias (how adapters() finds the pair again) is not applied at
	// creation by rtnl_newlink: set it on the existing link
	const int idx = static_cast<int>(if_index_in("", host));
	const std::string alias = alias_prefix + partition + ":" + ns;
	st = link_change(idx, [&alias](rtnl_link *l) {
		rtnl_link_set_ifalias(l, alias.c_str());
		return true;
	});
	if (!st.ok())
		return st;
	if (st = adapter_lock_port(partition, mac); !st.ok())
		return st;
	return link_change(idx, [](rtnl_link *l) {
		rtnl_link_set_flags(l, IFF_UP);
		return true;
	});
}

Status RealKernel::adapter_change(const std::string &partition, const MsgFill &put)
{
	const unsigned idx = if_index_in("", host_port_name(partition));
	if (idx == 0)
		return Status::fail(ENOENT, "no adapter for " + partition);
	return request(linkinfo_request(static_cast<int>(idx), 0, nullptr, swnv::kind, put));
}

Status RealKernel::adapter_set_serial(const std::string &partition, std::uint64_t serial)
{
	return adapter_change(partition, [serial](nl_msg *m) { return nla_put_u64(m, swnv::serial, serial) >= 0; });
}

Status RealKernel::adapter_delete(const std::string &partition)
{
	const unsigned idx = if_index_in("", host_port_name(partition));
	if (idx == 0)
		return Status::fail(ENOENT, "no adapter for " + partition);
	return request(link_delete_request(static_cast<int>(idx)));
}

Status RealKernel::adapter_set_datapath(const std::string &partition, Datapath dp)
{
	const std::uint8_t want = dp == Datapath::vf ? swnv::dp_vf : swnv::dp_synthetic;
	return adapter_change(partition, [want](nl_msg *m) { return nla_put_u8(m, swnv::dp_want, want) >= 0; });
}

Status RealKernel::adapter_dp_ack(const std::string &partition, std::uint32_t seq)
{
	return adapter_change(partition, [seq](nl_msg *m) { return nla_put_u32(m, swnv::dp_ack, seq) >= 0; });
}

Status RealKernel::adapter_set_auto_ack(const std::string &partition, bool on)
{
	return adapter_change(partition, [on](nl_msg *m) { return nla_put_u8(m, swnv::auto_ack, on ? 1 : 0) >= 0; });
}

Status RealKernel::adapter_release_vf(const std::string &partition)
{
	std::uint32_t vf_idx = 0;
	for (const auto &a : adapters())
		if (a.partition == partition)
			vf_idx = a.paired_vf_ifindex;
	auto st = adapter_set_datapath(partition, Datapath::synthetic);
	if (st.ok() && vf_idx != 0)
		released_[partition] = vf_idx;
	return st;
}

std::string RealKernel::host_port_name(const std::string &partition)
{
	// IFNAMSIZ is 16: a stable hash of the partition name
	const auto h = static_cast<std::uint32_t>(std::hash<std::string>{}(partition));
	std::array<char, 16> b{};
	(void)std::snprintf(b.data(), b.size(), "sv%08x", h);
	return b.data();
}

} // namespace sriov::netlink
