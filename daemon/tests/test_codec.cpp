// SPDX-License-Identifier: GPL-2.0
// The real backend's rtnetlink code: the link parser and the end of an
// answer against message bytes assembled by hand (nl_bytes.hpp), the
// requests read back with libnl's attribute parser, and the bounded
// exchange against the kernel itself (the test's own network namespace:
// link gets and dumps, which need no privilege).
#include "netlink/nl_transport.hpp"
#include "netlink/rtnl_link.hpp"
#include "netlink/rtnl_requests.hpp"
#include "nl_bytes.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <gtest/gtest.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/attr.h>
#include <sys/socket.h>
#include <vector>

#include <sriov_netvsc.h>

namespace sriov::test {

using namespace sriov::netlink;
using namespace sriov::test::nlb;

namespace {

const MacAddr link_mac(std::array<std::uint8_t, 6>{0x02, 0x00, 0x00, 0x00, 0x00, 0x0a});

/// An RTM_NEWLINK message (or @type) for link @ifindex around @attrs.
Bytes link_msg(int ifindex, unsigned flags, const Bytes &attrs, std::uint16_t type = RTM_NEWLINK)
{
	Bytes head(NLMSG_ALIGN(sizeof(ifinfomsg)), 0);
	ifinfomsg ifi{};
	ifi.ifi_index = ifindex;
	ifi.ifi_flags = flags;
	std::memcpy(head.data(), &ifi, sizeof(ifi));
	return nl_msg(type, 0, 1, head, attrs);
}

/// The attributes of a request after its family header of @hdrlen bytes.
template <int Max> std::array<nlattr *, Max + 1> attrs_of(struct nl_msg *m, int hdrlen)
{
	std::array<nlattr *, Max + 1> tb{};
	EXPECT_EQ(nlmsg_parse(nlmsg_hdr(m), hdrlen, tb.data(), Max, nullptr), 0);
	return tb;
}

template <int Max> std::array<nlattr *, Max + 1> nested(nlattr *a)
{
	std::array<nlattr *, Max + 1> tb{};
	EXPECT_NE(a, nullptr);
	if (a != nullptr) {
		EXPECT_NE(a->nla_type & NLA_F_NESTED, 0);
		EXPECT_EQ(nla_parse_nested(tb.data(), Max, a, nullptr), 0);
	}
	return tb;
}

ifinfomsg ifinfo_of(struct nl_msg *m)
{
	ifinfomsg ifi{};
	std::memcpy(&ifi, nlmsg_data(nlmsg_hdr(m)), sizeof(ifi));
	return ifi;
}

} // namespace

TEST(Codec, EndOfAnswer)
{
	// NLMSG_ERROR, capped (the request's header only), with extack
	Bytes e = error_msg(5, EBUSY, "VPort still owns filters");
	auto end = parse_end(hdr(e));
	ASSERT_TRUE(end);
	EXPECT_EQ(end->err, EBUSY);
	EXPECT_EQ(end->extack, "VPort still owns filters");
	// error 0 is an ACK
	Bytes ack = error_msg(5, 0, "");
	ASSERT_TRUE(parse_end(hdr(ack)));
	EXPECT_EQ(parse_end(hdr(ack))->err, 0);
	EXPECT_EQ(parse_end(hdr(ack))->extack, "");
	// not capped: the whole request (header + 8 bytes) before the extack
	Bytes p(sizeof(nlmsgerr), 0);
	nlmsgerr ne{};
	ne.error = -EINVAL;
	ne.msg.nlmsg_len = NLMSG_HDRLEN + 8;
	std::memcpy(p.data(), &ne, sizeof(ne));
	p.resize(p.size() + 8, 0xee);
	attr_str(p, NLMSGERR_ATTR_MSG, "Unknown device type");
	Bytes full = nl_msg(NLMSG_ERROR, NLM_F_ACK_TLVS, 6, p);
	end = parse_end(hdr(full));
	ASSERT_TRUE(end);
	EXPECT_EQ(end->err, EINVAL);
	EXPECT_EQ(end->extack, "Unknown device type");
	// a dump's end carries its error
	const int rc = -EMSGSIZE;
	Bytes d(sizeof(rc), 0);
	std::memcpy(d.data(), &rc, sizeof(rc));
	Bytes done = nl_msg(NLMSG_DONE, NLM_F_MULTI, 7, d);
	ASSERT_TRUE(parse_end(hdr(done)));
	EXPECT_EQ(parse_end(hdr(done))->err, EMSGSIZE);
	Bytes ok_done = done_msg(7);
	EXPECT_EQ(parse_end(hdr(ok_done))->err, 0);
	// an error message too short for its nlmsgerr; a data message
	Bytes cut = nl_msg(NLMSG_ERROR, 0, 8, Bytes(8, 0));
	EXPECT_FALSE(parse_end(hdr(cut)));
	Bytes data = link_msg(1, 0, {});
	EXPECT_FALSE(parse_end(hdr(data)));
}

TEST(Codec, LinkOfNetvscHostPort)
{
	Bytes nv;
	attr<std::uint64_t>(nv, IFLA_SWNV_SERIAL, 0x1122334455667788ULL);
	attr<std::uint8_t>(nv, IFLA_SWNV_DP_ACTIVE, SWNV_DP_VF);
	attr<std::uint8_t>(nv, IFLA_SWNV_DP_PENDING, SWNV_DP_NONE);
	attr<std::uint32_t>(nv, IFLA_SWNV_DP_SEQ, 9);
	attr<std::uint8_t>(nv, IFLA_SWNV_AUTO_ACK, 0);
	attr<std::uint32_t>(nv, IFLA_SWNV_VF_IFINDEX, 12);
	attr<std::uint32_t>(nv, IFLA_SWNV_SWITCHES, 3); // not read
	Bytes bp;
	attr<std::uint8_t>(bp, IFLA_BRPORT_LOCKED, 1);
	attr<std::uint8_t>(bp, IFLA_BRPORT_LEARNING, 0);
	attr<std::uint8_t>(bp, IFLA_BRPORT_UNICAST_FLOOD, 0);
	attr<std::uint8_t>(bp, IFLA_BRPORT_BCAST_FLOOD, 1);
	Bytes li;
	attr_str(li, IFLA_INFO_KIND, SRIOV_NETVSC_KIND);
	nest(li, IFLA_INFO_DATA, nv);
	attr_str(li, IFLA_INFO_SLAVE_KIND, "bridge");
	nest(li, IFLA_INFO_SLAVE_DATA, bp);
	Bytes a;
	attr_str(a, IFLA_IFNAME, "sv0badc0de");
	attr<std::uint32_t>(a, IFLA_MTU, 1500); // not read
	attr(a, IFLA_ADDRESS, link_mac.bytes().data(), 6);
	attr<std::uint32_t>(a, IFLA_MASTER, 3);
	attr_str(a, IFLA_IFALIAS, "sriovd:p1:ns1");
	nest(a, IFLA_LINKINFO, li);
	Bytes m = link_msg(7, IFF_UP, a);
	const auto l = parse_link(hdr(m));
	ASSERT_TRUE(l);
	EXPECT_EQ(l->ifindex, 7);
	EXPECT_EQ(l->flags, static_cast<unsigned>(IFF_UP));
	EXPECT_EQ(l->name, "sv0badc0de");
	EXPECT_EQ(l->mac, link_mac);
	EXPECT_EQ(l->master, 3);
	EXPECT_EQ(l->alias, "sriovd:p1:ns1");
	EXPECT_EQ(l->kind, SRIOV_NETVSC_KIND);
	EXPECT_EQ(l->parent_dev, "");
	EXPECT_EQ(l->netvsc.serial, 0x1122334455667788ULL);
	EXPECT_EQ(l->netvsc.dp_active, SWNV_DP_VF);
	EXPECT_EQ(l->netvsc.dp_pending, SWNV_DP_NONE);
	EXPECT_EQ(l->netvsc.dp_seq, 9U);
	EXPECT_EQ(l->netvsc.auto_ack, 0);
	EXPECT_EQ(l->netvsc.vf_ifindex, 12U);
	ASSERT_TRUE(l->bridge_port);
	EXPECT_EQ(l->bridge_port->locked, 1);
	EXPECT_EQ(l->bridge_port->learning, 0);
	EXPECT_EQ(l->bridge_port->unicast_flood, 0);
	EXPECT_EQ(l->bridge_port->bcast_flood, 1);
	EXPECT_FALSE(l->bridge_port->mcast_flood);
	// a notification of the link going away parses the same way
	Bytes del = link_msg(7, 0, a, RTM_DELLINK);
	ASSERT_TRUE(parse_link(hdr(del)));
	EXPECT_EQ(parse_link(hdr(del))->netvsc.vf_ifindex, 12U);
}

TEST(Codec, LinkOfPciNetdev)
{
	Bytes a;
	attr_str(a, IFLA_IFNAME, "eth3");
	attr_str(a, IFLA_PARENT_DEV_NAME, "0000:01:10.2");
	attr(a, IFLA_ADDRESS, link_mac.bytes().data(), 6);
	constexpr unsigned iff_lower_up = 1U << 16;
	Bytes m = link_msg(4, IFF_UP | iff_lower_up, a);
	const auto l = parse_link(hdr(m));
	ASSERT_TRUE(l);
	EXPECT_EQ(l->parent_dev, "0000:01:10.2");
	EXPECT_EQ(l->kind, "");
	EXPECT_FALSE(l->bridge_port);
	EXPECT_FALSE(l->netvsc.serial);
	EXPECT_TRUE(link_running(l->flags));
	EXPECT_FALSE(link_running(IFF_UP));
	// an address that is not Ethernet's is not a MAC
	Bytes ib;
	attr(ib, IFLA_ADDRESS, Bytes(20, 1).data(), 20);
	Bytes mi = link_msg(5, 0, ib);
	ASSERT_TRUE(parse_link(hdr(mi)));
	EXPECT_TRUE(parse_link(hdr(mi))->mac.is_zero());
}

TEST(Codec, LinkMalformedRejected)
{
	// a scalar too short
	Bytes w;
	attr<std::uint16_t>(w, IFLA_MASTER, 3);
	Bytes mw = link_msg(1, 0, w);
	EXPECT_FALSE(parse_link(hdr(mw)));
	// a string without its NUL
	Bytes s;
	attr(s, IFLA_IFNAME, "abc", 3);
	Bytes ms = link_msg(1, 0, s);
	EXPECT_FALSE(parse_link(hdr(ms)));
	// the same one level down, in the sriov_netvsc data
	Bytes nv;
	attr<std::uint16_t>(nv, IFLA_SWNV_DP_SEQ, 9);
	Bytes li;
	attr_str(li, IFLA_INFO_KIND, SRIOV_NETVSC_KIND);
	nest(li, IFLA_INFO_DATA, nv);
	Bytes n;
	nest(n, IFLA_LINKINFO, li);
	Bytes mn = link_msg(1, 0, n);
	EXPECT_FALSE(parse_link(hdr(mn)));
	// shorter than its ifinfomsg
	Bytes mc = nl_msg(RTM_NEWLINK, 0, 1, Bytes(8, 0));
	EXPECT_FALSE(parse_link(hdr(mc)));
	// not a link message
	Bytes other = link_msg(1, 0, {}, RTM_NEWNEIGH);
	EXPECT_FALSE(parse_link(hdr(other)));
}

TEST(Codec, LinkRequests)
{
	// the netns move: by index, the namespace's fd, the name pattern
	NlMsg mv = link_change_request(4, [](rtnl_link *l) {
		rtnl_link_set_name(l, "sriovvf%d");
		rtnl_link_set_ns_fd(l, 17);
		return true;
	});
	ASSERT_TRUE(mv);
	EXPECT_EQ(nlmsg_hdr(mv.get())->nlmsg_type, RTM_NEWLINK);
	EXPECT_EQ(ifinfo_of(mv.get()).ifi_index, 4);
	auto tb = attrs_of<IFLA_MAX>(mv.get(), sizeof(ifinfomsg));
	ASSERT_NE(tb[IFLA_NET_NS_FD], nullptr);
	EXPECT_EQ(nla_get_u32(tb[IFLA_NET_NS_FD]), 17U);
	ASSERT_NE(tb[IFLA_IFNAME], nullptr);
	EXPECT_STREQ(nla_get_string(tb[IFLA_IFNAME]), "sriovvf%d");
	EXPECT_EQ(tb[IFLA_MASTER], nullptr);
	// a change @set cannot make is no request
	EXPECT_FALSE(link_change_request(4, [](rtnl_link *) { return false; }));
	// the VF's administrative MAC
	NlMsg vm = link_change_request(2, [](rtnl_link *l) { return add_vf_mac(l, 5, link_mac); });
	ASSERT_TRUE(vm);
	tb = attrs_of<IFLA_MAX>(vm.get(), sizeof(ifinfomsg));
	auto vfi = nested<IFLA_VF_INFO>(tb[IFLA_VFINFO_LIST]);
	auto vf = nested<IFLA_VF_MAX>(vfi[IFLA_VF_INFO]);
	ASSERT_NE(vf[IFLA_VF_MAC], nullptr);
	ifla_vf_mac ivm{};
	ASSERT_GE(nla_len(vf[IFLA_VF_MAC]), static_cast<int>(sizeof(ivm)));
	std::memcpy(&ivm, nla_data(vf[IFLA_VF_MAC]), sizeof(ivm));
	EXPECT_EQ(ivm.vf, 5U);
	EXPECT_EQ(std::memcmp(ivm.mac, link_mac.bytes().data(), 6), 0);
	// delete by index
	NlMsg del = link_delete_request(6);
	ASSERT_TRUE(del);
	EXPECT_EQ(nlmsg_hdr(del.get())->nlmsg_type, RTM_DELLINK);
	EXPECT_EQ(ifinfo_of(del.get()).ifi_index, 6);
}

TEST(Codec, LinkinfoRequest)
{
	auto name = [](struct nl_msg *m) { return nla_put_string(m, IFLA_IFNAME, "sb-0000.01.00.0") >= 0; };
	auto data = [](struct nl_msg *m) { return nla_put_u8(m, IFLA_BR_MCAST_SNOOPING, 0) >= 0; };
	NlMsg br = linkinfo_request(0, IFF_UP, name, "bridge", data);
	ASSERT_TRUE(br);
	const nlmsghdr *h = nlmsg_hdr(br.get());
	EXPECT_EQ(h->nlmsg_type, RTM_NEWLINK);
	EXPECT_EQ(h->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL), NLM_F_CREATE | NLM_F_EXCL);
	EXPECT_EQ(ifinfo_of(br.get()).ifi_flags, static_cast<unsigned>(IFF_UP));
	EXPECT_EQ(ifinfo_of(br.get()).ifi_change, static_cast<unsigned>(IFF_UP));
	auto tb = attrs_of<IFLA_MAX>(br.get(), sizeof(ifinfomsg));
	ASSERT_NE(tb[IFLA_IFNAME], nullptr);
	EXPECT_STREQ(nla_get_string(tb[IFLA_IFNAME]), "sb-0000.01.00.0");
	auto li = nested<IFLA_INFO_MAX>(tb[IFLA_LINKINFO]);
	ASSERT_NE(li[IFLA_INFO_KIND], nullptr);
	EXPECT_STREQ(nla_get_string(li[IFLA_INFO_KIND]), "bridge");
	auto bd = nested<IFLA_BR_MAX>(li[IFLA_INFO_DATA]);
	ASSERT_NE(bd[IFLA_BR_MCAST_SNOOPING], nullptr);
	EXPECT_EQ(nla_get_u8(bd[IFLA_BR_MCAST_SNOOPING]), 0);
	// a change of an existing link creates nothing; a request whose
	// attributes do not fit is none
	NlMsg ch = linkinfo_request(8, 0, nullptr, SRIOV_NETVSC_KIND,
				    [](struct nl_msg *m) { return nla_put_u32(m, IFLA_SWNV_DP_ACK, 4) >= 0; });
	ASSERT_TRUE(ch);
	EXPECT_EQ(nlmsg_hdr(ch.get())->nlmsg_flags & NLM_F_CREATE, 0);
	EXPECT_EQ(ifinfo_of(ch.get()).ifi_index, 8);
	EXPECT_FALSE(linkinfo_request(8, 0, nullptr, "bridge", [](struct nl_msg *) { return false; }));
}

TEST(Codec, BridgeRequests)
{
	NlMsg pf = bridge_port_request(9, {{IFLA_BRPORT_LOCKED, 1}, {IFLA_BRPORT_LEARNING, 0}});
	ASSERT_TRUE(pf);
	EXPECT_EQ(nlmsg_hdr(pf.get())->nlmsg_type, RTM_SETLINK);
	EXPECT_EQ(ifinfo_of(pf.get()).ifi_family, AF_BRIDGE);
	EXPECT_EQ(ifinfo_of(pf.get()).ifi_index, 9);
	auto tb = attrs_of<IFLA_MAX>(pf.get(), sizeof(ifinfomsg));
	auto bp = nested<IFLA_BRPORT_MAX>(tb[IFLA_PROTINFO]); // the bridge reads flags only when nested
	ASSERT_NE(bp[IFLA_BRPORT_LOCKED], nullptr);
	ASSERT_NE(bp[IFLA_BRPORT_LEARNING], nullptr);
	EXPECT_EQ(nla_get_u8(bp[IFLA_BRPORT_LOCKED]), 1);
	EXPECT_EQ(nla_get_u8(bp[IFLA_BRPORT_LEARNING]), 0);
	EXPECT_EQ(bp[IFLA_BRPORT_UNICAST_FLOOD], nullptr);

	NlMsg fdb = fdb_pin_request(5, link_mac);
	ASSERT_TRUE(fdb);
	const nlmsghdr *h = nlmsg_hdr(fdb.get());
	EXPECT_EQ(h->nlmsg_type, RTM_NEWNEIGH);
	EXPECT_EQ(h->nlmsg_flags & (NLM_F_CREATE | NLM_F_REPLACE), NLM_F_CREATE | NLM_F_REPLACE);
	ndmsg nd{};
	std::memcpy(&nd, nlmsg_data(h), sizeof(nd));
	EXPECT_EQ(nd.ndm_family, AF_BRIDGE);
	EXPECT_EQ(nd.ndm_ifindex, 5);
	EXPECT_EQ(nd.ndm_state, NUD_NOARP);
	EXPECT_EQ(nd.ndm_flags, NTF_MASTER | NTF_STICKY);
	auto na = attrs_of<NDA_MAX>(fdb.get(), sizeof(ndmsg));
	ASSERT_NE(na[NDA_LLADDR], nullptr);
	ASSERT_EQ(nla_len(na[NDA_LLADDR]), 6);
	EXPECT_EQ(std::memcmp(nla_data(na[NDA_LLADDR]), link_mac.bytes().data(), 6), 0);
	EXPECT_EQ(na[NDA_DST], nullptr);
}

TEST(Codec, ExchangeWithKernel)
{
	NlSock sk = rtnl_socket();
	// a dump of the test's namespace holds its loopback, and a get finds it
	std::vector<Link> links;
	auto collect = [&links](nlmsghdr *h) {
		if (auto l = parse_link(h))
			links.push_back(*l);
	};
	ASSERT_TRUE(exchange(sk.get(), link_dump_request(), collect).ok());
	const auto lo = std::find_if(links.begin(), links.end(), [](const Link &l) { return l.name == "lo"; });
	ASSERT_NE(lo, links.end());
	const int lo_index = lo->ifindex;
	const std::size_t all = links.size();
	links.clear();
	ASSERT_TRUE(exchange(sk.get(), link_get_request(0, "lo"), collect).ok());
	ASSERT_EQ(links.size(), 1U);
	EXPECT_EQ(links[0].ifindex, lo_index);
	// the kernel's errno
	const Status none = exchange(sk.get(), link_get_request(0, "sriovd-none0"));
	EXPECT_EQ(none.err, ENODEV);
	// a late answer to an earlier request (sent, never read) is skipped:
	// the dump after it is whole and ends with its own NLMSG_DONE
	NlMsg early = link_get_request(lo_index, "");
	ASSERT_GE(nl_send_auto(sk.get(), early.get()), 0);
	links.clear();
	ASSERT_TRUE(exchange(sk.get(), link_dump_request(), collect).ok());
	EXPECT_EQ(links.size(), all);
	// a request libnl could not build; a namespace without a socket
	EXPECT_EQ(exchange(sk.get(), nullptr).err, ENOMEM);
	EXPECT_EQ(exchange(nullptr, link_dump_request()).err, ENOENT);
}

TEST(Codec, ExchangeKeepsExtack)
{
	// strict checking: the kernel refuses a get whose header has flags,
	// with an extack message
	NlSock sk = rtnl_socket();
	const int one = 1;
	ASSERT_EQ(setsockopt(nl_socket_get_fd(sk.get()), SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof(one)), 0);
	NlMsg req(nlmsg_alloc_simple(RTM_GETLINK, 0));
	ASSERT_TRUE(req);
	ifinfomsg ifi{};
	ifi.ifi_index = 1;
	ifi.ifi_flags = IFF_UP;
	ASSERT_EQ(nlmsg_append(req.get(), &ifi, sizeof(ifi), NLMSG_ALIGNTO), 0);
	const Status st = exchange(sk.get(), std::move(req));
	EXPECT_EQ(st.err, EINVAL);
	EXPECT_FALSE(st.msg.empty());
	EXPECT_NE(st.msg, std::strerror(EINVAL)) << "no extack message";
}

TEST(Codec, ExchangeBounded)
{
	// NLMSG_NOOP without NLM_F_ACK: the kernel answers nothing
	NlSock sk = rtnl_socket();
	nl_socket_disable_auto_ack(sk.get());
	NlMsg noop(nlmsg_alloc_simple(NLMSG_NOOP, 0));
	const auto t0 = std::chrono::steady_clock::now();
	const Status st = exchange(sk.get(), std::move(noop), {}, std::chrono::milliseconds(50));
	const auto took = std::chrono::steady_clock::now() - t0;
	EXPECT_EQ(st.err, ETIMEDOUT);
	EXPECT_GE(took, std::chrono::milliseconds(50));
	EXPECT_LT(took, std::chrono::milliseconds(2000));
}

} // namespace sriov::test
