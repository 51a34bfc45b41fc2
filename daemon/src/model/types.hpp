// SPDX-License-Identifier: GPL-2.0
// Strong value types shared by the codec, the sequences and the store.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sriov {

// clang-tidy 14 reports the 0 that a defaulted operator<=> compares with
// as a null pointer constant (modernize-use-nullptr) in every source that
// orders these types.
// NOLINTBEGIN(modernize-use-nullptr)

/// Index of a VF on its PF (0-based, as sriov_numvfs counts them).
struct VfIndex {
	std::uint32_t value{};
	auto operator<=>(const VfIndex &) const = default;
};

/// A VPort id as the kernel's NIC switch reports it.
struct VportId {
	std::uint32_t value{};
	auto operator<=>(const VportId &) const = default;
};

/// 802.1Q VLAN id; 0 means untagged.
struct VlanId {
	std::uint16_t value{};
	auto operator<=>(const VlanId &) const = default;
};

class MacAddr {
public:
	MacAddr() = default;
	explicit MacAddr(const std::array<std::uint8_t, 6> &b) : bytes_(b) {}
	static std::optional<MacAddr> parse(std::string_view s);
	[[nodiscard]] std::string str() const;
	[[nodiscard]] const std::array<std::uint8_t, 6> &bytes() const { return bytes_; }
	[[nodiscard]] bool is_unicast() const { return (bytes_[0] & 1U) == 0; }
	[[nodiscard]] bool is_zero() const;
	auto operator<=>(const MacAddr &) const = default;

private:
	std::array<std::uint8_t, 6> bytes_{};
};

/// A receive filter: destination MAC plus VLAN (0 = untagged).
struct Filter {
	MacAddr mac;
	VlanId vlan;
	auto operator<=>(const Filter &) const = default;
};

// NOLINTEND(modernize-use-nullptr)

/// An IPv4 or IPv6 host address in its canonical text form (inet_ntop):
/// "10.0.0.2", "fd00::2".  No prefix length, no zone, no brackets.
/// nullopt when @s is not exactly one such address.
std::optional<std::string> canonical_ip(std::string_view s);
/// Whether a canonical_ip() text is IPv6.
inline bool is_ipv6(std::string_view canonical) { return canonical.find(':') != std::string_view::npos; }

/// Which path the child's adapter transmits on.
enum class Datapath : std::uint8_t { synthetic, vf };

std::string_view to_string(Datapath d);

} // namespace sriov
