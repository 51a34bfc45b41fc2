// SPDX-License-Identifier: GPL-2.0
#include "netlink/rtnl_link.hpp"

#include <array>
#include <cstring>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

// The sriov_netvsc link type (kernel/netvsc/uapi/sriov_netvsc.h).
#include <sriov_netvsc.h>

namespace sriov::netlink {

namespace {

template <int Max> using Policy = std::array<nla_policy, Max + 1>;
template <int Max> using Table = std::array<nlattr *, Max + 1>;

const Policy<IFLA_MAX> link_policy = [] {
	Policy<IFLA_MAX> p{};
	p[IFLA_IFNAME] = {.type = NLA_STRING};
	p[IFLA_PARENT_DEV_NAME] = {.type = NLA_STRING};
	p[IFLA_IFALIAS] = {.type = NLA_STRING};
	p[IFLA_MASTER] = {.type = NLA_U32};
	p[IFLA_LINKINFO] = {.type = NLA_NESTED};
	return p;
}();

const Policy<IFLA_INFO_MAX> info_policy = [] {
	Policy<IFLA_INFO_MAX> p{};
	p[IFLA_INFO_KIND] = {.type = NLA_STRING};
	p[IFLA_INFO_DATA] = {.type = NLA_NESTED};
	p[IFLA_INFO_SLAVE_KIND] = {.type = NLA_STRING};
	p[IFLA_INFO_SLAVE_DATA] = {.type = NLA_NESTED};
	return p;
}();

const Policy<IFLA_SWNV_MAX> netvsc_policy = [] {
	Policy<IFLA_SWNV_MAX> p{};
	p[IFLA_SWNV_SERIAL] = {.type = NLA_U64};
	p[IFLA_SWNV_DP_ACTIVE] = {.type = NLA_U8};
	p[IFLA_SWNV_DP_PENDING] = {.type = NLA_U8};
	p[IFLA_SWNV_DP_SEQ] = {.type = NLA_U32};
	p[IFLA_SWNV_AUTO_ACK] = {.type = NLA_U8};
	p[IFLA_SWNV_VF_IFINDEX] = {.type = NLA_U32};
	return p;
}();

constexpr std::array<int, 5> brport_flags = {IFLA_BRPORT_LOCKED, IFLA_BRPORT_LEARNING, IFLA_BRPORT_UNICAST_FLOOD,
					     IFLA_BRPORT_BCAST_FLOOD, IFLA_BRPORT_MCAST_FLOOD};

const Policy<IFLA_BRPORT_MAX> brport_policy = [] {
	Policy<IFLA_BRPORT_MAX> p{};
	for (const int f : brport_flags)
		p[f] = {.type = NLA_U8};
	return p;
}();

std::string str(nlattr *a)
{
	return a != nullptr ? nla_get_string(a) : "";
}

template <typename T> std::optional<T> scalar(nlattr *a)
{
	if (a == nullptr)
		return std::nullopt;
	T v{};
	std::memcpy(&v, nla_data(a), sizeof(v)); // the policy checked the length
	return v;
}

bool parse_netvsc(nlattr *data, NetvscData &out)
{
	Table<IFLA_SWNV_MAX> tb{};
	if (nla_parse_nested(tb.data(), IFLA_SWNV_MAX, data, netvsc_policy.data()) < 0)
		return false;
	out.dp_active = scalar<std::uint8_t>(tb[IFLA_SWNV_DP_ACTIVE]);
	out.dp_pending = scalar<std::uint8_t>(tb[IFLA_SWNV_DP_PENDING]);
	out.dp_seq = scalar<std::uint32_t>(tb[IFLA_SWNV_DP_SEQ]);
	out.serial = scalar<std::uint64_t>(tb[IFLA_SWNV_SERIAL]);
	out.auto_ack = scalar<std::uint8_t>(tb[IFLA_SWNV_AUTO_ACK]);
	out.vf_ifindex = scalar<std::uint32_t>(tb[IFLA_SWNV_VF_IFINDEX]).value_or(0);
	return true;
}

bool parse_brport(nlattr *data, BridgePort &out)
{
	Table<IFLA_BRPORT_MAX> tb{};
	if (nla_parse_nested(tb.data(), IFLA_BRPORT_MAX, data, brport_policy.data()) < 0)
		return false;
	out.locked = scalar<std::uint8_t>(tb[IFLA_BRPORT_LOCKED]);
	out.learning = scalar<std::uint8_t>(tb[IFLA_BRPORT_LEARNING]);
	out.unicast_flood = scalar<std::uint8_t>(tb[IFLA_BRPORT_UNICAST_FLOOD]);
	out.bcast_flood = scalar<std::uint8_t>(tb[IFLA_BRPORT_BCAST_FLOOD]);
	out.mcast_flood = scalar<std::uint8_t>(tb[IFLA_BRPORT_MCAST_FLOOD]);
	return true;
}

/// IFLA_LINKINFO: the kind and, for the kinds the backend reads, the
/// kind's data and the bridge port's flags.
bool parse_linkinfo(nlattr *linkinfo, Link &l)
{
	Table<IFLA_INFO_MAX> li{};
	if (nla_parse_nested(li.data(), IFLA_INFO_MAX, linkinfo, info_policy.data()) < 0)
		return false;
	l.kind = str(li[IFLA_INFO_KIND]);
	if (l.kind == SRIOV_NETVSC_KIND && li[IFLA_INFO_DATA] != nullptr &&
	    !parse_netvsc(li[IFLA_INFO_DATA], l.netvsc))
		return false;
	if (str(li[IFLA_INFO_SLAVE_KIND]) == "bridge") {
		BridgePort bp;
		if (li[IFLA_INFO_SLAVE_DATA] != nullptr && !parse_brport(li[IFLA_INFO_SLAVE_DATA], bp))
			return false;
		l.bridge_port = bp;
	}
	return true;
}

} // namespace

std::optional<Link> parse_link(nlmsghdr *h)
{
	if (h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK)
		return std::nullopt;
	Table<IFLA_MAX> tb{};
	if (nlmsg_parse(h, sizeof(ifinfomsg), tb.data(), IFLA_MAX, link_policy.data()) < 0)
		return std::nullopt;
	const auto *ifi = static_cast<const ifinfomsg *>(nlmsg_data(h));
	Link l;
	l.ifindex = ifi->ifi_index;
	l.flags = ifi->ifi_flags;
	l.name = str(tb[IFLA_IFNAME]);
	l.parent_dev = str(tb[IFLA_PARENT_DEV_NAME]);
	l.alias = str(tb[IFLA_IFALIAS]);
	l.master = static_cast<int>(scalar<std::uint32_t>(tb[IFLA_MASTER]).value_or(0));
	if (nlattr *a = tb[IFLA_ADDRESS]; a != nullptr && nla_len(a) == 6) {
		std::array<std::uint8_t, 6> b{};
		std::memcpy(b.data(), nla_data(a), b.size());
		l.mac = MacAddr(b);
	}
	if (tb[IFLA_LINKINFO] != nullptr && !parse_linkinfo(tb[IFLA_LINKINFO], l))
		return std::nullopt;
	return l;
}

bool link_running(unsigned flags)
{
	constexpr unsigned iff_lower_up = 1U << 16; // linux/if.h clashes with net/if.h
	return (flags & IFF_UP) != 0 && (flags & iff_lower_up) != 0;
}

} // namespace sriov::netlink
