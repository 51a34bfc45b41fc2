// SPDX-License-Identifier: GPL-2.0
// rtnetlink for the real backend: the request builder (RtnlMsg), the link
// as read from an RTM_NEWLINK message, and its parser.
#pragma once

#include "model/types.hpp"
#include "netlink/sriov_codec.hpp"

#include <cstdint>
#include <cstring>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <span>
#include <string>
#include <vector>

namespace sriov::netlink {

/// rtnetlink message with an ifinfomsg header and nestable attributes.
class RtnlMsg {
public:
	RtnlMsg(std::uint16_t type, std::uint16_t flags, std::uint32_t seq, int ifindex)
		: RtnlMsg(type, flags, seq, ifinfomsg{.ifi_family = AF_UNSPEC, .ifi_index = ifindex})
	{
	}
	/// Another family header (ndmsg, ...); set_up()/put_ifinfo() are for
	/// ifinfomsg messages only.
	template <typename Hdr>
	RtnlMsg(std::uint16_t type, std::uint16_t flags, std::uint32_t seq, const Hdr &hdr)
	{
		buf_.resize(NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(Hdr)), 0);
		nlmsghdr h{};
		h.nlmsg_type = type;
		h.nlmsg_flags = static_cast<std::uint16_t>(NLM_F_REQUEST | NLM_F_ACK | flags);
		h.nlmsg_seq = seq;
		std::memcpy(buf_.data(), &h, sizeof(h));
		std::memcpy(buf_.data() + NLMSG_HDRLEN, &hdr, sizeof(hdr));
	}
	void set_family(std::uint8_t family)
	{
		ifinfomsg ifi{};
		std::memcpy(&ifi, buf_.data() + NLMSG_HDRLEN, sizeof(ifi));
		ifi.ifi_family = family;
		std::memcpy(buf_.data() + NLMSG_HDRLEN, &ifi, sizeof(ifi));
	}
	void set_up()
	{
		ifinfomsg ifi{};
		std::memcpy(&ifi, buf_.data() + NLMSG_HDRLEN, sizeof(ifi));
		ifi.ifi_flags |= IFF_UP;
		ifi.ifi_change |= IFF_UP;
		std::memcpy(buf_.data() + NLMSG_HDRLEN, &ifi, sizeof(ifi));
	}
	void put(std::uint16_t type, const void *d, std::size_t len)
	{
		const std::size_t off = buf_.size();
		const auto l = static_cast<std::uint16_t>(NLA_HDRLEN + len);
		buf_.resize(off + NLA_ALIGN(l), 0);
		std::memcpy(buf_.data() + off, &l, 2);
		std::memcpy(buf_.data() + off + 2, &type, 2);
		if (len != 0)
			std::memcpy(buf_.data() + off + NLA_HDRLEN, d, len);
	}
	void str(std::uint16_t type, const std::string &s) { put(type, s.c_str(), s.size() + 1); }
	void u32(std::uint16_t type, std::uint32_t v) { put(type, &v, sizeof(v)); }
	void u8(std::uint16_t type, std::uint8_t v) { put(type, &v, sizeof(v)); }
	std::size_t nest() // returns the offset to close
	{
		const std::size_t off = buf_.size();
		put(0, nullptr, 0);
		return off;
	}
	void nest_end(std::size_t off, std::uint16_t type)
	{
		const auto l = static_cast<std::uint16_t>(buf_.size() - off);
		const auto t = static_cast<std::uint16_t>(type | NLA_F_NESTED);
		std::memcpy(buf_.data() + off, &l, 2);
		std::memcpy(buf_.data() + off + 2, &t, 2);
	}
	/// A nested ifinfomsg (the veth-style peer).
	void put_ifinfo()
	{
		ifinfomsg ifi{};
		ifi.ifi_family = AF_UNSPEC;
		const std::size_t off = buf_.size();
		buf_.resize(off + NLMSG_ALIGN(sizeof(ifi)), 0);
		std::memcpy(buf_.data() + off, &ifi, sizeof(ifi));
	}
	[[nodiscard]] std::vector<std::uint8_t> finish() const
	{
		auto out = buf_;
		const auto len = static_cast<std::uint32_t>(out.size());
		std::memcpy(out.data(), &len, sizeof(len));
		return out;
	}

private:
	std::vector<std::uint8_t> buf_;
};

/// Up with carrier: IFF_UP and IFF_LOWER_UP (linux/if.h, which clashes
/// with net/if.h).
bool link_running(unsigned flags);

/// RTM_NEWNEIGH for the bridge: MAC is a static, sticky entry on port
/// ifindex (`bridge fdb replace MAC dev PORT master static sticky`).
std::vector<std::uint8_t> bridge_fdb_pin(std::uint32_t seq, int ifindex, const MacAddr &mac);

/// A link from an RTM_GETLINK dump; info_data points into storage, so it
/// is move-only like Message.
struct Link {
	Link() = default;
	Link(const Link &) = delete;
	Link &operator=(const Link &) = delete;
	Link(Link &&) noexcept = default;
	Link &operator=(Link &&) noexcept = default;
	~Link() = default;

	int ifindex{};
	std::string name;
	std::string parent_dev; ///< PCI address of the device, if any
	std::string kind;
	std::string alias;
	int master{};
	unsigned flags{}; ///< ifi_flags
	MacAddr mac;
	std::vector<Attr> info_data;
	std::string slave_kind;       ///< "bridge" for a bridge port
	std::vector<Attr> slave_data; ///< IFLA_BRPORT_* of a bridge port
	std::vector<std::uint8_t> storage; ///< owns the bytes info_data points into
};

/// The link described by one RTM_NEWLINK message (header included).
Link parse_link(std::span<const std::uint8_t> msg);

/// One message of an rtnetlink receive buffer: its header, and its bytes
/// with the header (pointing into the buffer).
struct NlFrame {
	nlmsghdr hdr{};
	std::span<const std::uint8_t> bytes;
};

/// The messages of @buf in order, up to the end or the first one whose
/// length does not fit.
std::vector<NlFrame> split_frames(std::span<const std::uint8_t> buf);

} // namespace sriov::netlink
