// SPDX-License-Identifier: GPL-2.0
#include "netlink/sriov_codec.hpp"

#include <cstring>
#include <linux/genetlink.h>
#include <linux/netlink.h>

namespace sriov::netlink {

namespace {

constexpr std::size_t align4(std::size_t n)
{
	return (n + 3U) & ~std::size_t{3};
}

template <class T> std::optional<T> scalar(std::span<const std::uint8_t> d)
{
	if (d.size() != sizeof(T))
		return std::nullopt;
	T v{};
	std::memcpy(&v, d.data(), sizeof(T));
	return v;
}

template <class T> T read_at(std::span<const std::uint8_t> b, std::size_t off)
{
	T v{};
	std::memcpy(&v, b.data() + off, sizeof(T));
	return v;
}

} // namespace

std::optional<std::uint8_t> Attr::u8() const
{
	return scalar<std::uint8_t>(data);
}
std::optional<std::uint16_t> Attr::u16() const
{
	return scalar<std::uint16_t>(data);
}
std::optional<std::uint32_t> Attr::u32() const
{
	return scalar<std::uint32_t>(data);
}
std::optional<std::uint64_t> Attr::u64() const
{
	return scalar<std::uint64_t>(data);
}
std::optional<std::string> Attr::str() const
{
	// NUL-terminated string attribute
	if (data.empty() || data.back() != 0)
		return std::nullopt;
	return std::string(reinterpret_cast<const char *>(data.data()), data.size() - 1); // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
}

std::optional<std::vector<Attr>> parse_attrs(std::span<const std::uint8_t> buf)
{
	std::vector<Attr> out;
	std::size_t off = 0;
	while (off + NLA_HDRLEN <= buf.size()) {
		const auto len = read_at<std::uint16_t>(buf, off);
		const auto type = read_at<std::uint16_t>(buf, off + 2);
		if (len < NLA_HDRLEN || off + len > buf.size())
			return std::nullopt;
		out.push_back({.type = static_cast<std::uint16_t>(type & NLA_TYPE_MASK),
			       .data = buf.subspan(off + NLA_HDRLEN, len - NLA_HDRLEN)});
		off += align4(len);
	}
	if (off < buf.size() && buf.size() - off >= NLA_HDRLEN)
		return std::nullopt;
	return out;
}

const Attr *find(const std::vector<Attr> &attrs, std::uint16_t type)
{
	for (const auto &a : attrs)
		if (a.type == type)
			return &a;
	return nullptr;
}

std::optional<std::vector<Message>> parse_messages(std::span<const std::uint8_t> buf)
{
	std::vector<Message> out;
	std::size_t off = 0;
	while (off + NLMSG_HDRLEN <= buf.size()) {
		const auto h = read_at<nlmsghdr>(buf, off);
		if (h.nlmsg_len < NLMSG_HDRLEN || off + h.nlmsg_len > buf.size())
			return std::nullopt;
		const auto body = buf.subspan(off + NLMSG_HDRLEN, h.nlmsg_len - NLMSG_HDRLEN);
		Message m;
		m.nl_type = h.nlmsg_type;
		m.seq = h.nlmsg_seq;
		if (h.nlmsg_type == NLMSG_DONE) {
			m.kind = Message::Kind::done;
		} else if (h.nlmsg_type == NLMSG_ERROR) {
			if (body.size() < sizeof(nlmsgerr))
				return std::nullopt;
			const auto e = read_at<nlmsgerr>(body, 0);
			m.error = -e.error;
			m.kind = e.error == 0 ? Message::Kind::ack : Message::Kind::error;
			// extended ACK: TLVs after the (possibly capped) original message
			std::size_t tlv = sizeof(nlmsgerr);
			if ((h.nlmsg_flags & NLM_F_CAPPED) == 0)
				tlv += align4(e.msg.nlmsg_len) - NLMSG_HDRLEN;
			if ((h.nlmsg_flags & NLM_F_ACK_TLVS) != 0 && tlv <= body.size()) {
				if (auto attrs = parse_attrs(body.subspan(tlv))) {
					if (const Attr *msg = find(*attrs, NLMSGERR_ATTR_MSG))
						m.extack = msg->str().value_or("");
				}
			}
		} else if (h.nlmsg_type >= NLMSG_MIN_TYPE) {
			if (body.size() < GENL_HDRLEN)
				return std::nullopt;
			const auto g = read_at<genlmsghdr>(body, 0);
			m.cmd = g.cmd;
			m.storage.assign(body.begin() + GENL_HDRLEN, body.end());
			auto attrs = parse_attrs(m.storage);
			if (!attrs)
				return std::nullopt;
			m.attrs = std::move(*attrs);
			m.kind = Message::Kind::data;
		}
		out.push_back(std::move(m));
		off += align4(h.nlmsg_len);
	}
	return out;
}

} // namespace sriov::netlink
