// SPDX-License-Identifier: GPL-2.0
#include "netlink/rtnl_link.hpp"

#include <array>
#include <linux/if_bridge.h>
#include <linux/neighbour.h>
#include <sys/socket.h>

namespace sriov::netlink {

bool link_running(unsigned flags)
{
	constexpr unsigned iff_lower_up = 1U << 16;
	return (flags & IFF_UP) != 0 && (flags & iff_lower_up) != 0;
}

std::vector<std::uint8_t> bridge_fdb_pin(std::uint32_t seq, int ifindex, const MacAddr &mac)
{
	ndmsg nd{};
	nd.ndm_family = AF_BRIDGE;
	nd.ndm_ifindex = ifindex;
	nd.ndm_state = NUD_NOARP;
	nd.ndm_flags = NTF_MASTER | NTF_STICKY;
	RtnlMsg m(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, seq, nd);
	m.put(NDA_LLADDR, mac.bytes().data(), 6);
	return m.finish();
}

Link parse_link(std::span<const std::uint8_t> msg)
{
	Link l;
	l.storage.assign(msg.begin(), msg.end());
	const std::span<const std::uint8_t> s(l.storage);
	ifinfomsg ifi{};
	std::memcpy(&ifi, s.data() + NLMSG_HDRLEN, sizeof(ifi));
	l.ifindex = ifi.ifi_index;
	l.flags = ifi.ifi_flags;
	auto attrs = parse_attrs(s.subspan(NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(ifi))));
	if (!attrs)
		return l;
	for (const auto &a : *attrs) {
		if (a.type == IFLA_IFNAME)
			l.name = a.str().value_or("");
		else if (a.type == IFLA_PARENT_DEV_NAME)
			l.parent_dev = a.str().value_or("");
		else if (a.type == IFLA_IFALIAS)
			l.alias = a.str().value_or("");
		else if (a.type == IFLA_ADDRESS && a.data.size() == 6) {
			std::array<std::uint8_t, 6> b{};
			std::memcpy(b.data(), a.data.data(), b.size());
			l.mac = MacAddr(b);
		} else if (a.type == IFLA_MASTER)
			l.master = static_cast<int>(a.u32().value_or(0));
		else if (a.type == IFLA_LINKINFO) {
			auto li = parse_attrs(a.data);
			if (!li)
				continue;
			if (const Attr *k = find(*li, IFLA_INFO_KIND))
				l.kind = k->str().value_or("");
			if (const Attr *d = find(*li, IFLA_INFO_DATA))
				l.info_data = parse_attrs(d->data).value_or(std::vector<Attr>{});
			if (const Attr *k = find(*li, IFLA_INFO_SLAVE_KIND))
				l.slave_kind = k->str().value_or("");
			if (const Attr *d = find(*li, IFLA_INFO_SLAVE_DATA))
				l.slave_data = parse_attrs(d->data).value_or(std::vector<Attr>{});
		}
	}
	return l;
}

std::vector<NlFrame> split_frames(std::span<const std::uint8_t> buf)
{
	std::vector<NlFrame> out;
	std::size_t off = 0;
	while (off + NLMSG_HDRLEN <= buf.size()) {
		nlmsghdr h{};
		std::memcpy(&h, buf.data() + off, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || off + h.nlmsg_len > buf.size())
			break;
		out.push_back({.hdr = h, .bytes = buf.subspan(off, h.nlmsg_len)});
		off += NLMSG_ALIGN(h.nlmsg_len);
	}
	return out;
}

} // namespace sriov::netlink
