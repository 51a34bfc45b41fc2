// SPDX-License-Identifier: GPL-2.0
// Netlink attribute and message parsing for the hand-built rtnetlink
// requests (nl_transport.hpp, rtnl_link.hpp).  The "sriov" genl family is
// not encoded or decoded here: it goes through the client generated from
// Documentation/netlink/specs/sriov.yaml (ynl_sriov.hpp).  Byte buffers in,
// typed values out, unit-tested with crafted buffers (tests/test_codec.cpp).
#pragma once

#include "kernel/kernel_api.hpp"
#include "model/types.hpp"
#include "netlink/ynl_sriov.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sriov::netlink {

/// One netlink attribute (type without the NLA_F_* flags).
struct Attr {
	std::uint16_t type{};
	std::span<const std::uint8_t> data;

	[[nodiscard]] std::optional<std::uint8_t> u8() const;
	[[nodiscard]] std::optional<std::uint16_t> u16() const;
	[[nodiscard]] std::optional<std::uint32_t> u32() const;
	[[nodiscard]] std::optional<std::uint64_t> u64() const;
	[[nodiscard]] std::optional<std::string> str() const;
};

/// Attributes of one level; nullopt if a length field is inconsistent.
std::optional<std::vector<Attr>> parse_attrs(std::span<const std::uint8_t> buf);
const Attr *find(const std::vector<Attr> &attrs, std::uint16_t type);

/// One received message, classified.  It owns a copy of its bytes and the
/// attribute spans point into that copy: move-only, so they never dangle
/// (a moved std::vector keeps its buffer).
struct Message {
	Message() = default;
	Message(const Message &) = delete;
	Message &operator=(const Message &) = delete;
	Message(Message &&) noexcept = default;
	Message &operator=(Message &&) noexcept = default;
	~Message() = default;

	enum class Kind : std::uint8_t { data, done, ack, error, unknown };
	Kind kind{Kind::unknown};
	std::uint16_t nl_type{};
	std::uint32_t seq{};
	std::uint8_t cmd{};
	int error{};           ///< errno (positive) for Kind::error
	std::string extack;    ///< NLMSGERR_ATTR_MSG if the kernel sent one
	std::vector<std::uint8_t> storage; ///< the message body; attrs point here
	std::vector<Attr> attrs;
};

/// Split a receive buffer into messages; nullopt on a truncated message.
std::optional<std::vector<Message>> parse_messages(std::span<const std::uint8_t> buf);

} // namespace sriov::netlink
