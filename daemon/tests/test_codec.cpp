// SPDX-License-Identifier: GPL-2.0
// Netlink message and attribute parsing (sriov_codec.hpp) against crafted
// buffers (no sockets).
#include "netlink/sriov_codec.hpp"
#include "nl_bytes.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <gtest/gtest.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sriov.h>

namespace sriov::test {

using namespace sriov::netlink;
using namespace sriov::test::nlb;

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
