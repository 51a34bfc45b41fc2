// SPDX-License-Identifier: GPL-2.0
// Netlink messages assembled by hand for the tests: attributes, genl and
// control messages, independent of the code under test.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <string>
#include <vector>

namespace sriov::test::nlb {

using Bytes = std::vector<std::uint8_t>;

/// the family id the tests give the "sriov" family
inline constexpr std::uint16_t family = 0x1d;

inline void attr(Bytes &b, std::uint16_t type, const void *data, std::size_t len)
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

inline void attr_str(Bytes &b, std::uint16_t type, const std::string &s)
{
	attr(b, type, s.c_str(), s.size() + 1);
}

/// A nested attribute holding the attributes @inner.
inline void nest(Bytes &b, std::uint16_t type, const Bytes &inner)
{
	attr(b, static_cast<std::uint16_t>(type | NLA_F_NESTED), inner.data(), inner.size());
}

/// The netlink header at the start of @b (a vector's storage is aligned for it).
inline nlmsghdr *hdr(Bytes &b)
{
	return reinterpret_cast<nlmsghdr *>(b.data()); // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
}

/// @payload after a netlink header.  Sized once and filled in place: GCC 12
/// at -O2 reports a false -Warray-bounds on vector::insert here.
inline Bytes nl_msg(std::uint16_t type, std::uint16_t flags, std::uint32_t seq, const Bytes &head,
		    const Bytes &payload = {})
{
	Bytes b(NLMSG_HDRLEN + head.size() + payload.size(), 0);
	nlmsghdr h{};
	h.nlmsg_len = static_cast<std::uint32_t>(b.size());
	h.nlmsg_type = type;
	h.nlmsg_flags = flags;
	h.nlmsg_seq = seq;
	std::memcpy(b.data(), &h, sizeof(h));
	std::copy(head.begin(), head.end(), b.begin() + NLMSG_HDRLEN);
	std::copy(payload.begin(), payload.end(), b.begin() + static_cast<std::ptrdiff_t>(NLMSG_HDRLEN + head.size()));
	return b;
}

/// A complete genl message of the family around @attrs.
inline Bytes genl_msg(std::uint8_t cmd, std::uint32_t seq, const Bytes &attrs, std::uint16_t flags = 0)
{
	Bytes g(GENL_HDRLEN, 0);
	genlmsghdr gh{};
	gh.cmd = cmd;
	gh.version = 1;
	std::memcpy(g.data(), &gh, sizeof(gh));
	return nl_msg(family, flags, seq, g, attrs);
}

inline Bytes done_msg(std::uint32_t seq)
{
	return nl_msg(NLMSG_DONE, NLM_F_MULTI, seq, Bytes(sizeof(int), 0));
}

/// NLMSG_ERROR (capped) with error -@err and, if not empty, an extack message.
inline Bytes error_msg(std::uint32_t seq, int err, const std::string &text)
{
	Bytes p(sizeof(nlmsgerr), 0);
	nlmsgerr e{};
	e.error = -err;
	e.msg.nlmsg_len = NLMSG_HDRLEN;
	e.msg.nlmsg_seq = seq;
	std::memcpy(p.data(), &e, sizeof(e));
	std::uint16_t flags = NLM_F_CAPPED;
	if (!text.empty()) {
		attr_str(p, NLMSGERR_ATTR_MSG, text);
		flags |= NLM_F_ACK_TLVS;
	}
	return nl_msg(NLMSG_ERROR, flags, seq, p);
}

} // namespace sriov::test::nlb
