// SPDX-License-Identifier: GPL-2.0
#include "netlink/rtnl_requests.hpp"

#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <netlink/addr.h>
#include <netlink/attr.h>
#include <sys/socket.h>

namespace sriov::netlink {

namespace {

NlAddr lladdr(const MacAddr &mac)
{
	return NlAddr(nl_addr_build(AF_LLC, mac.bytes().data(), mac.bytes().size()));
}

/// An rtnetlink message with its family header @ifi (request flags @flags).
NlMsg ifinfo_msg(int type, int flags, ifinfomsg ifi)
{
	NlMsg m(nlmsg_alloc_simple(type, flags));
	if (m && nlmsg_append(m.get(), &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0)
		m.reset();
	return m;
}

} // namespace

NlMsg link_dump_request()
{
	return ifinfo_msg(RTM_GETLINK, NLM_F_DUMP, ifinfomsg{});
}

NlMsg link_get_request(int ifindex, const std::string &name)
{
	nl_msg *m = nullptr;
	if (rtnl_link_build_get_request(ifindex, name.empty() ? nullptr : name.c_str(), &m) < 0)
		return {};
	return NlMsg(m);
}

NlMsg link_change_request(int ifindex, const std::function<bool(rtnl_link *)> &set)
{
	const RtnlLink orig(rtnl_link_alloc());
	const RtnlLink changes(rtnl_link_alloc());
	if (!orig || !changes)
		return {};
	rtnl_link_set_ifindex(orig.get(), ifindex);
	if (!set(changes.get()))
		return {};
	nl_msg *m = nullptr;
	if (rtnl_link_build_change_request(orig.get(), changes.get(), 0, &m) < 0)
		return {};
	return NlMsg(m);
}

NlMsg link_delete_request(int ifindex)
{
	const RtnlLink l(rtnl_link_alloc());
	if (!l)
		return {};
	rtnl_link_set_ifindex(l.get(), ifindex);
	nl_msg *m = nullptr;
	if (rtnl_link_build_delete_request(l.get(), &m) < 0)
		return {};
	return NlMsg(m);
}

bool add_vf_mac(rtnl_link *pf, std::uint32_t vf, const MacAddr &mac)
{
	const RtnlLinkVf v(rtnl_link_vf_alloc());
	const NlAddr a = lladdr(mac);
	if (!v || !a)
		return false;
	rtnl_link_vf_set_index(v.get(), vf);
	rtnl_link_vf_set_addr(v.get(), a.get());
	return rtnl_link_vf_add(pf, v.get()) == 0; // the link takes its own reference
}

NlMsg linkinfo_request(int ifindex, unsigned ifi_flags, const MsgFill &head, const std::string &kind,
		       const MsgFill &data)
{
	const int flags = ifindex == 0 ? NLM_F_CREATE | NLM_F_EXCL : 0;
	NlMsg m = ifinfo_msg(RTM_NEWLINK, flags,
			     ifinfomsg{.ifi_family = AF_UNSPEC, .ifi_index = ifindex, .ifi_flags = ifi_flags,
				       .ifi_change = ifi_flags});
	if (!m || (head && !head(m.get())))
		return {};
	nlattr *info = nla_nest_start(m.get(), IFLA_LINKINFO);
	if (info == nullptr || nla_put_string(m.get(), IFLA_INFO_KIND, kind.c_str()) < 0)
		return {};
	nlattr *d = nla_nest_start(m.get(), IFLA_INFO_DATA);
	if (d == nullptr || !data(m.get()))
		return {};
	nla_nest_end(m.get(), d);
	nla_nest_end(m.get(), info);
	return m;
}

NlMsg bridge_port_request(int ifindex, std::initializer_list<std::pair<std::uint16_t, std::uint8_t>> flags)
{
	NlMsg m = ifinfo_msg(RTM_SETLINK, 0, ifinfomsg{.ifi_family = AF_BRIDGE, .ifi_index = ifindex});
	nlattr *pi = m ? nla_nest_start(m.get(), IFLA_PROTINFO) : nullptr;
	if (pi == nullptr)
		return {};
	for (const auto &[flag, value] : flags)
		if (nla_put_u8(m.get(), flag, value) < 0)
			return {};
	nla_nest_end(m.get(), pi);
	return m;
}

NlMsg fdb_pin_request(int ifindex, const MacAddr &mac)
{
	const RtnlNeigh n(rtnl_neigh_alloc());
	const NlAddr a = lladdr(mac);
	if (!n || !a)
		return {};
	rtnl_neigh_set_family(n.get(), AF_BRIDGE);
	rtnl_neigh_set_ifindex(n.get(), ifindex);
	rtnl_neigh_set_lladdr(n.get(), a.get());
	rtnl_neigh_set_state(n.get(), NUD_NOARP);
	rtnl_neigh_set_flags(n.get(), NTF_MASTER | NTF_STICKY);
	nl_msg *m = nullptr;
	if (rtnl_neigh_build_add_request(n.get(), NLM_F_CREATE | NLM_F_REPLACE, &m) < 0)
		return {};
	return NlMsg(m);
}

} // namespace sriov::netlink
