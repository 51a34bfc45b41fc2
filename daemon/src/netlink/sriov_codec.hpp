// SPDX-License-Identifier: GPL-2.0
// Pure encode/decode of the "sriov" generic-netlink family
// (Documentation/netlink/specs/sriov.yaml, include/uapi/linux/sriov.h).
// Byte buffers in, typed values out: no sockets, no libnl, so every
// function is unit-tested with crafted buffers (tests/test_codec.cpp).
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

/// Builds one netlink message: nlmsghdr + genlmsghdr + attributes.
class MsgBuilder {
public:
	MsgBuilder(std::uint16_t family, std::uint8_t cmd, std::uint16_t flags, std::uint32_t seq,
		   std::uint8_t version = 1);
	MsgBuilder &u8(std::uint16_t type, std::uint8_t v);
	MsgBuilder &u16(std::uint16_t type, std::uint16_t v);
	MsgBuilder &u32(std::uint16_t type, std::uint32_t v);
	MsgBuilder &u64(std::uint16_t type, std::uint64_t v);
	MsgBuilder &str(std::uint16_t type, const std::string &s);
	MsgBuilder &bin(std::uint16_t type, std::span<const std::uint8_t> b);
	MsgBuilder &flag(std::uint16_t type);
	[[nodiscard]] std::vector<std::uint8_t> finish() const;

private:
	void put(std::uint16_t type, const void *data, std::size_t len);
	std::vector<std::uint8_t> buf_;
};

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

// ---- the family's objects (SwitchNl, VfNl, VportNl, FilterNl: ynl_sriov.hpp) ----

std::optional<SwitchNl> decode_switch(const Message &m);
std::optional<VfNl> decode_vf(const Message &m);
std::optional<VportNl> decode_vport(const Message &m);
std::optional<FilterNl> decode_filter(const Message &m);
std::optional<std::vector<std::uint8_t>> decode_cfg_data(const Message &m);
/// A multicast notification, translated into what the engine acts on.
/// @pf is the name of the PF whose ifindex the event carries.
std::optional<KernelEvent> decode_event(const Message &m, const std::string &pf);

// ---- requests (addressed by PCI address) ----

struct Req {
	std::uint16_t family{};
	std::uint32_t seq{};
};

std::vector<std::uint8_t> switch_dump(const Req &r);
std::vector<std::uint8_t> vf_dump(const Req &r, const std::string &pf);
std::vector<std::uint8_t> vf_alloc(const Req &r, const std::string &pf, VfIndex vf, std::uint64_t serial,
				   const std::optional<MacAddr> &mac);
std::vector<std::uint8_t> vf_free(const Req &r, const std::string &pf, VfIndex vf);
std::vector<std::uint8_t> vf_reset(const Req &r, const std::string &pf, VfIndex vf);
std::vector<std::uint8_t> vport_dump(const Req &r, const std::string &pf);
std::vector<std::uint8_t> vport_new(const Req &r, const std::string &pf, VfIndex vf);
std::vector<std::uint8_t> vport_del(const Req &r, const std::string &pf, VportId id);
std::vector<std::uint8_t> filter_dump(const Req &r, const std::string &pf);
std::vector<std::uint8_t> filter_add_mac(const Req &r, const std::string &pf, VportId vport, const MacAddr &mac);
std::vector<std::uint8_t> filter_add_vlan(const Req &r, const std::string &pf, VportId vport, VlanId vlan);
std::vector<std::uint8_t> filter_del(const Req &r, const std::string &pf, std::uint32_t filter_id);
std::vector<std::uint8_t> filter_move(const Req &r, const std::string &pf, VportId from, VportId to,
				      const std::vector<std::uint32_t> &ids);
std::vector<std::uint8_t> cfg_read(const Req &r, const std::string &pf, VfIndex vf, std::uint32_t off,
				   std::uint32_t len);

} // namespace sriov::netlink
