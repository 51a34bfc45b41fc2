// SPDX-License-Identifier: GPL-2.0
// The "sriov" genl codec against crafted buffers (no sockets).
#include "netlink/sriov_codec.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <gtest/gtest.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sriov.h>

namespace sriov::test {

using namespace sriov::netlink;
using Bytes = std::vector<std::uint8_t>;

namespace {

constexpr std::uint16_t family = 0x1d;

/// Hand-assembled attribute (independent of MsgBuilder).
void attr(Bytes &b, std::uint16_t type, const void *data, std::size_t len)
{
	const auto l = static_cast<std::uint16_t>(4 + len);
	const std::size_t off = b.size();
	b.resize(off + ((l + 3U) & ~3U), 0);
	std::memcpy(b.data() + off, &l, 2);
	std::memcpy(b.data() + off + 2, &type, 2);
	if (len != 0) // a flag attribute has no payload (and data may be null)
		std::memcpy(b.data() + off + 4, data, len);
}

template <class T> void attr(Bytes &b, std::uint16_t type, T v)
{
	attr(b, type, &v, sizeof(v));
}

/// A complete genl message around @attrs.
Bytes genl_msg(std::uint8_t cmd, std::uint32_t seq, const Bytes &attrs, std::uint16_t flags = 0)
{
	// Sized once and filled in place: GCC 12 at -O2 reports a false
	// -Warray-bounds on vector::insert here.
	Bytes b(NLMSG_HDRLEN + GENL_HDRLEN + attrs.size(), 0);
	nlmsghdr h{};
	h.nlmsg_len = static_cast<std::uint32_t>(b.size());
	h.nlmsg_type = family;
	h.nlmsg_flags = flags;
	h.nlmsg_seq = seq;
	std::memcpy(b.data(), &h, sizeof(h));
	genlmsghdr g{};
	g.cmd = cmd;
	g.version = 1;
	std::memcpy(b.data() + NLMSG_HDRLEN, &g, sizeof(g));
	std::copy(attrs.begin(), attrs.end(), b.begin() + NLMSG_HDRLEN + GENL_HDRLEN);
	return b;
}

} // namespace

TEST(Codec, VfAllocRequestEncoding)
{
	const auto mac = *MacAddr::parse("02:00:00:00:00:07");
	const Bytes req = vf_alloc({.family = family, .seq = 42}, "0000:01:00.0", VfIndex{3}, 0x1122334455ULL, mac);
	nlmsghdr h{};
	std::memcpy(&h, req.data(), sizeof(h));
	EXPECT_EQ(h.nlmsg_len, req.size());
	EXPECT_EQ(h.nlmsg_type, family);
	EXPECT_EQ(h.nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	EXPECT_EQ(h.nlmsg_seq, 42U);
	EXPECT_EQ(req[NLMSG_HDRLEN], SRIOV_CMD_VF_ALLOC);
	auto attrs = parse_attrs(std::span<const std::uint8_t>(req).subspan(NLMSG_HDRLEN + GENL_HDRLEN));
	ASSERT_TRUE(attrs);
	ASSERT_EQ(attrs->size(), 4U);
	EXPECT_EQ(find(*attrs, SRIOV_A_PCI_ADDR)->str(), "0000:01:00.0");
	EXPECT_EQ(find(*attrs, SRIOV_A_VF_ID)->u32(), 3U);
	EXPECT_EQ(find(*attrs, SRIOV_A_SERIAL)->u64(), 0x1122334455ULL);
	ASSERT_EQ(find(*attrs, SRIOV_A_MAC)->data.size(), 6U);
	EXPECT_EQ(find(*attrs, SRIOV_A_MAC)->data[5], 7);
	// every attribute 4-byte aligned: the total is a multiple of 4
	EXPECT_EQ(req.size() % 4, 0U);
}

TEST(Codec, DumpsAndMoveEncoding)
{
	const Bytes d = vport_dump({.family = family, .seq = 1}, "pf");
	nlmsghdr h{};
	std::memcpy(&h, d.data(), sizeof(h));
	EXPECT_TRUE(h.nlmsg_flags & NLM_F_DUMP);
	const Bytes mv = filter_move({.family = family, .seq = 2}, "pf", VportId{0}, VportId{4}, {7, 9});
	auto attrs = parse_attrs(std::span<const std::uint8_t>(mv).subspan(NLMSG_HDRLEN + GENL_HDRLEN));
	ASSERT_TRUE(attrs);
	std::vector<std::uint32_t> ids;
	for (const auto &a : *attrs)
		if (a.type == SRIOV_A_FILTER_IDS)
			ids.push_back(*a.u32());
	EXPECT_EQ(ids, (std::vector<std::uint32_t>{7, 9}));
	EXPECT_EQ(find(*attrs, SRIOV_A_SRC_VPORT_ID)->u32(), 0U);
	EXPECT_EQ(find(*attrs, SRIOV_A_VPORT_ID)->u32(), 4U);
}

TEST(Codec, DecodeVfReply)
{
	Bytes a;
	attr<std::uint32_t>(a, SRIOV_A_IFINDEX, 5);
	attr<std::uint32_t>(a, SRIOV_A_VF_ID, 2);
	attr<std::uint32_t>(a, SRIOV_A_VF_STATE, SRIOV_VF_STATE_ALLOCATED);
	attr<std::uint64_t>(a, SRIOV_A_SERIAL, 77);
	const std::array<std::uint8_t, 6> mac{2, 0, 0, 0, 0, 9};
	attr(a, SRIOV_A_MAC, mac.data(), mac.size());
	attr(a, SRIOV_A_VF_PCI_ADDR, "0000:01:10.4", 13);
	attr<std::uint32_t>(a, SRIOV_A_VPORT_ID, 3);
	const Bytes m = genl_msg(SRIOV_CMD_VF_GET, 8, a, NLM_F_MULTI);
	auto msgs = parse_messages(m);
	ASSERT_TRUE(msgs);
	ASSERT_EQ(msgs->size(), 1U);
	EXPECT_EQ(msgs->at(0).kind, Message::Kind::data);
	EXPECT_EQ(msgs->at(0).seq, 8U);
	auto vf = decode_vf(msgs->at(0));
	ASSERT_TRUE(vf);
	EXPECT_EQ(vf->vf, VfIndex{2});
	EXPECT_TRUE(vf->allocated);
	EXPECT_EQ(vf->serial, 77U);
	EXPECT_EQ(vf->mac.str(), "02:00:00:00:00:09");
	EXPECT_EQ(vf->vf_pci_addr, "0000:01:10.4");
	EXPECT_EQ(vf->vport, VportId{3});
}

TEST(Codec, DecodeVportsAndFilters)
{
	Bytes a;
	attr<std::uint32_t>(a, SRIOV_A_VPORT_ID, 0);
	attr<std::uint32_t>(a, SRIOV_A_VPORT_OWNER, SRIOV_VPORT_OWNER_PF);
	attr(a, SRIOV_A_IS_DEFAULT, nullptr, 0);
	auto def = decode_vport(parse_messages(genl_msg(SRIOV_CMD_VPORT_GET, 1, a))->at(0));
	ASSERT_TRUE(def);
	EXPECT_TRUE(def->is_default);
	EXPECT_FALSE(def->vf);
	// a VF-owned VPort without vf-id is malformed
	Bytes b;
	attr<std::uint32_t>(b, SRIOV_A_VPORT_ID, 5);
	attr<std::uint32_t>(b, SRIOV_A_VPORT_OWNER, SRIOV_VPORT_OWNER_VF);
	EXPECT_FALSE(decode_vport(parse_messages(genl_msg(SRIOV_CMD_VPORT_GET, 1, b))->at(0)));
	attr<std::uint32_t>(b, SRIOV_A_VF_ID, 1);
	EXPECT_EQ(decode_vport(parse_messages(genl_msg(SRIOV_CMD_VPORT_GET, 1, b))->at(0))->vf, VfIndex{1});

	Bytes f;
	attr<std::uint32_t>(f, SRIOV_A_FILTER_ID, 11);
	attr<std::uint32_t>(f, SRIOV_A_FILTER_TYPE, SRIOV_FILTER_TYPE_MAC);
	attr<std::uint32_t>(f, SRIOV_A_FILTER_ORIGIN, SRIOV_FILTER_ORIGIN_ADMIN);
	attr<std::uint32_t>(f, SRIOV_A_VPORT_ID, 5);
	const std::array<std::uint8_t, 6> mac{2, 0, 0, 0, 0, 1};
	attr(f, SRIOV_A_MAC, mac.data(), mac.size());
	auto fl = decode_filter(parse_messages(genl_msg(SRIOV_CMD_FILTER_GET, 1, f))->at(0));
	ASSERT_TRUE(fl);
	EXPECT_EQ(fl->id, 11U);
	EXPECT_TRUE(fl->is_mac);
	EXPECT_EQ(fl->vport, VportId{5});
	EXPECT_EQ(fl->mac.str(), "02:00:00:00:00:01");
	// a MAC filter whose MAC is 5 bytes is rejected
	Bytes g;
	attr<std::uint32_t>(g, SRIOV_A_FILTER_ID, 1);
	attr<std::uint32_t>(g, SRIOV_A_FILTER_TYPE, SRIOV_FILTER_TYPE_MAC);
	attr<std::uint32_t>(g, SRIOV_A_VPORT_ID, 0);
	attr(g, SRIOV_A_MAC, mac.data(), 5);
	EXPECT_FALSE(decode_filter(parse_messages(genl_msg(SRIOV_CMD_FILTER_GET, 1, g))->at(0)));
}

TEST(Codec, ErrorWithExtack)
{
	// NLMSG_ERROR, capped (original header only), with an extack message
	Bytes body(sizeof(nlmsgerr), 0);
	nlmsgerr e{};
	e.error = -EBUSY;
	e.msg.nlmsg_len = 64;
	e.msg.nlmsg_seq = 5;
	std::memcpy(body.data(), &e, sizeof(e));
	const char text[] = "VPort still owns filters"; // NOLINT(cppcoreguidelines-avoid-c-arrays)
	attr(body, NLMSGERR_ATTR_MSG, text, sizeof(text));
	Bytes m(NLMSG_HDRLEN, 0);
	nlmsghdr h{};
	h.nlmsg_len = static_cast<std::uint32_t>(NLMSG_HDRLEN + body.size());
	h.nlmsg_type = NLMSG_ERROR;
	h.nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	h.nlmsg_seq = 5;
	std::memcpy(m.data(), &h, sizeof(h));
	m.insert(m.end(), body.begin(), body.end());
	auto msgs = parse_messages(m);
	ASSERT_TRUE(msgs);
	ASSERT_EQ(msgs->size(), 1U);
	EXPECT_EQ(msgs->at(0).kind, Message::Kind::error);
	EXPECT_EQ(msgs->at(0).error, EBUSY);
	EXPECT_EQ(msgs->at(0).extack, "VPort still owns filters");
	// error 0 is an ACK
	e.error = 0;
	std::memcpy(m.data() + NLMSG_HDRLEN, &e, sizeof(e));
	EXPECT_EQ(parse_messages(m)->at(0).kind, Message::Kind::ack);
}

TEST(Codec, TruncatedInputRejected)
{
	Bytes a;
	attr<std::uint32_t>(a, SRIOV_A_VF_ID, 2);
	Bytes m = genl_msg(SRIOV_CMD_VF_GET, 1, a);
	// nlmsg_len larger than the buffer
	Bytes cut(m.begin(), m.end() - 4);
	EXPECT_FALSE(parse_messages(cut));
	// attribute length pointing past the end
	Bytes bad = a;
	const std::uint16_t big = 200;
	std::memcpy(bad.data(), &big, 2);
	EXPECT_FALSE(parse_attrs(bad));
	// attribute length below the header size
	const std::uint16_t tiny = 2;
	std::memcpy(bad.data(), &tiny, 2);
	EXPECT_FALSE(parse_attrs(bad));
	// scalar of the wrong size
	Bytes w;
	attr<std::uint16_t>(w, SRIOV_A_VF_ID, 2);
	EXPECT_FALSE(decode_vf(parse_messages(genl_msg(SRIOV_CMD_VF_GET, 1, w))->at(0)));
	// unterminated string
	Bytes s;
	attr(s, SRIOV_A_PCI_ADDR, "abc", 3);
	EXPECT_FALSE(parse_attrs(s)->at(0).str());
}

TEST(Codec, EventsMapToEngineEvents)
{
	Bytes a;
	attr<std::uint32_t>(a, SRIOV_A_IFINDEX, 5);
	attr<std::uint32_t>(a, SRIOV_A_VF_ID, 4);
	auto ev = decode_event(parse_messages(genl_msg(SRIOV_CMD_VF_FREED_NTF, 0, a))->at(0), "pf");
	ASSERT_TRUE(ev);
	EXPECT_EQ(ev->type, KernelEvent::Type::vf_lost);
	EXPECT_EQ(ev->vf, VfIndex{4});
	EXPECT_EQ(ev->pf, "pf");
	EXPECT_FALSE(decode_event(parse_messages(genl_msg(SRIOV_CMD_VPORT_CREATED_NTF, 0, a))->at(0), "pf"));
}

TEST(Codec, FilterMovedWithAResetReasonIsAKernelFailover)
{
	Bytes a;
	attr<std::uint32_t>(a, SRIOV_A_IFINDEX, 5);
	attr<std::uint32_t>(a, SRIOV_A_SRC_VPORT_ID, 3);
	attr<std::uint32_t>(a, SRIOV_A_VPORT_ID, 0);
	attr<std::uint64_t>(a, SRIOV_A_TIMESTAMP_NS, 1234);
	attr<std::uint32_t>(a, SRIOV_A_FILTER_IDS, 7);
	attr<std::uint32_t>(a, SRIOV_A_FILTER_IDS, 9);
	// filter-move echoed back (no reason): nothing to act on
	EXPECT_FALSE(decode_event(parse_messages(genl_msg(SRIOV_CMD_FILTER_MOVED_NTF, 0, a))->at(0), "pf"));
	Bytes b = a;
	attr<std::uint32_t>(b, SRIOV_A_RESET_REASON, SRIOV_RESET_REASON_VFLR);
	auto ev = decode_event(parse_messages(genl_msg(SRIOV_CMD_FILTER_MOVED_NTF, 0, b))->at(0), "pf");
	ASSERT_TRUE(ev);
	EXPECT_EQ(ev->type, KernelEvent::Type::filters_moved);
	EXPECT_EQ(ev->pf, "pf");
	EXPECT_EQ(ev->src_vport, VportId{3});
	EXPECT_EQ(ev->dst_vport, VportId{0});
	EXPECT_EQ(ev->reset_reason, std::uint32_t{SRIOV_RESET_REASON_VFLR});
	EXPECT_EQ(ev->filter_ids, (std::vector<std::uint32_t>{7, 9}));
	// malformed: no VPort ids, a reason of the wrong size; passed on with
	// what is missing left empty (the engine ignores it)
	Bytes c;
	attr<std::uint32_t>(c, SRIOV_A_IFINDEX, 5);
	attr<std::uint8_t>(c, SRIOV_A_RESET_REASON, 1);
	ev = decode_event(parse_messages(genl_msg(SRIOV_CMD_FILTER_MOVED_NTF, 0, c))->at(0), "pf");
	ASSERT_TRUE(ev);
	EXPECT_EQ(ev->type, KernelEvent::Type::filters_moved);
	EXPECT_FALSE(ev->src_vport);
	EXPECT_FALSE(ev->dst_vport);
	EXPECT_FALSE(ev->reset_reason);
}

} // namespace sriov::test
