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
	if (const Attr *dp = find(l.info_data, swnv::dp_active))
		a.datapath = dp->u8() == swnv::dp_vf ? Datapath::vf : Datapath::synthetic;
	if (const Attr *sn = find(l.info_data, swnv::serial))
		a.serial = sn->u64().value_or(0);
	if (const Attr *aa = find(l.info_data, swnv::auto_ack))
		a.auto_ack = aa->u8().value_or(1) != 0;
	if (const Attr *pd = find(l.info_data, swnv::dp_pending); pd != nullptr && pd->u8().value_or(SWNV_DP_NONE) != SWNV_DP_NONE)
		a.dp_pending = pd->u8() == swnv::dp_vf ? Datapath::vf : Datapath::synthetic;
	if (const Attr *sq = find(l.info_data, swnv::dp_seq))
		a.dp_seq = sq->u32().value_or(0);
	std::uint32_t vf_idx = 0;
	if (const Attr *vfi = find(l.info_data, swnv::vf_ifindex); vfi != nullptr && vfi->u32().value_or(0) != 0)
		vf_idx = *vfi->u32();
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

Status RealKernel::adapter_create(const std::string &partition, const std::string &ns, const std::string &pf,
		      const MacAddr &mac, std::uint64_t serial)
{
	auto br = ensure_bridge(pf);
	if (!br.ok())
		return br.status;
	Fd child = ns_fd(ns);
	if (child.get() < 0)
		return Status::fail(ENOENT, "no netns " + ns);
	const std::string host = host_port_name(partition);
	// created down: it comes up once its switch port is locked
	RtnlMsg m(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, ++seq_, 0);
	m.str(IFLA_IFNAME, host);
	m.u32(IFLA_MASTER, static_cast<std::uint32_t>(*br.value));
	const auto li = m.nest();
	m.str(IFLA_INFO_KIND, swnv::kind);
	const auto data = m.nest();
	const auto peer = m.nest();
	m.put_ifinfo();
	m.str(IFLA_IFNAME, "nv0");
	m.put(IFLA_ADDRESS, mac.bytes().data(), 6);
	m.u32(IFLA_NET_NS_FD, static_cast<std::uint32_t>(child.get()));
	m.nest_end(peer, swnv::peer);
	// the identity is the adapter's before it registers: it never
	// pairs on the MAC alone
	if (serial != 0)
		m.put(swnv::serial, &serial, sizeof(serial));
	// sriovd acknowledges every data-path request itself, after its
	// filter moves: no instant where the host port acks on its own
	m.u8(swnv::auto_ack, 0);
	// and asks for the VF only in its attach step (datapath_vf): a VF
	// that pairs first raises no request that would wait for an ack
	m.u8(swnv::dp_want, swnv::dp_synthetic);
	m.nest_end(data, IFLA_INFO_DATA);
	m.nest_end(li, IFLA_LINKINFO);
	auto st = transact(sock(""), m.finish(), seq_, nullptr);
	if (!st.ok())
		return st;
	// the alias (how adapters() finds the pair again) is not applied at
	// creation by rtnl_newlink: set it on the existing link
	const unsigned idx = if_index_in("", host);
	RtnlMsg a(RTM_NEWLINK, 0, ++seq_, static_cast<int>(idx));
	a.str(IFLA_IFALIAS, alias_prefix + partition + ":" + ns);
	st = transact(sock(""), a.finish(), seq_, nullptr);
	if (!st.ok())
		return st;
	if (st = adapter_lock_port(partition, mac); !st.ok())
		return st;
	RtnlMsg up(RTM_NEWLINK, 0, ++seq_, static_cast<int>(idx));
	up.set_up();
	return transact(sock(""), up.finish(), seq_, nullptr);
}

template <typename Put>
Status RealKernel::adapter_change(const std::string &partition, Put put)
{
	const unsigned idx = if_index_in("", host_port_name(partition));
	if (idx == 0)
		return Status::fail(ENOENT, "no adapter for " + partition);
	RtnlMsg m(RTM_NEWLINK, 0, ++seq_, static_cast<int>(idx));
	const auto li = m.nest();
	m.str(IFLA_INFO_KIND, swnv::kind);
	const auto data = m.nest();
	put(m);
	m.nest_end(data, IFLA_INFO_DATA);
	m.nest_end(li, IFLA_LINKINFO);
	return transact(sock(""), m.finish(), seq_, nullptr);
}

Status RealKernel::adapter_set_serial(const std::string &partition, std::uint64_t serial)
{
	return adapter_change(partition, [serial](RtnlMsg &m) { m.put(swnv::serial, &serial, sizeof(serial)); });
}

Status RealKernel::adapter_delete(const std::string &partition)
{
	const unsigned idx = if_index_in("", host_port_name(partition));
	if (idx == 0)
		return Status::fail(ENOENT, "no adapter for " + partition);
	RtnlMsg m(RTM_DELLINK, 0, ++seq_, static_cast<int>(idx));
	return transact(sock(""), m.finish(), seq_, nullptr);
}

Status RealKernel::adapter_set_datapath(const std::string &partition, Datapath dp)
{
	return adapter_change(partition, [dp](RtnlMsg &m) {
		m.u8(swnv::dp_want, dp == Datapath::vf ? swnv::dp_vf : swnv::dp_synthetic);
	});
}

Status RealKernel::adapter_dp_ack(const std::string &partition, std::uint32_t seq)
{
	return adapter_change(partition, [seq](RtnlMsg &m) { m.u32(swnv::dp_ack, seq); });
}

Status RealKernel::adapter_set_auto_ack(const std::string &partition, bool on)
{
	return adapter_change(partition, [on](RtnlMsg &m) { m.u8(swnv::auto_ack, on ? 1 : 0); });
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
