// SPDX-License-Identifier: GPL-2.0
// Netlink message and attribute parsing (sriov_codec.hpp) against crafted
// buffers (no sockets).
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
	EXPECT_FALSE(parse_attrs(w)->at(0).u32());
	// unterminated string
	Bytes s;
	attr(s, SRIOV_A_PCI_ADDR, "abc", 3);
	EXPECT_FALSE(parse_attrs(s)->at(0).str());
}

} // namespace sriov::test
