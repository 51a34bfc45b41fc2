// SPDX-License-Identifier: GPL-2.0
// Strings that come from the kernel (netdev names, aliases) are bytes, not
// text: a VF driven by untrusted code can be renamed to anything but '/',
// ':' and whitespace.  Every such string reaches a client or the log
// through one of the two functions here, which replace each maximal
// invalid UTF-8 subsequence with U+FFFD -- the same rule nlohmann::json
// applies with error_handler_t::replace, so a name reads the same in a
// JSON reply and in a log line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace sriov::text {

inline constexpr std::string_view replacement = "\xEF\xBF\xBD"; // U+FFFD

/// Length of the valid UTF-8 sequence starting at s[i], or 0 when the
/// bytes there are not one.  @maximal receives the length of the longest
/// prefix that could still have begun a valid sequence (at least 1).
inline std::size_t utf8_seq_len(std::string_view s, std::size_t i, std::size_t &maximal)
{
	const auto b0 = static_cast<std::uint8_t>(s[i]);
	maximal = 1;
	if (b0 < 0x80U)
		return 1;
	std::size_t len = 0;
	std::uint8_t lo = 0x80U;
	std::uint8_t hi = 0xBFU;
	if (b0 >= 0xC2U && b0 <= 0xDFU) {
		len = 2;
	} else if (b0 >= 0xE0U && b0 <= 0xEFU) {
		len = 3;
		if (b0 == 0xE0U)
			lo = 0xA0U; // no overlong forms
		else if (b0 == 0xEDU)
			hi = 0x9FU; // no surrogates
	} else if (b0 >= 0xF0U && b0 <= 0xF4U) {
		len = 4;
		if (b0 == 0xF0U)
			lo = 0x90U;
		else if (b0 == 0xF4U)
			hi = 0x8FU; // nothing above U+10FFFF
	} else {
		return 0;
	}
	for (std::size_t k = 1; k < len; ++k) {
		if (i + k >= s.size())
			return 0;
		const auto b = static_cast<std::uint8_t>(s[i + k]);
		if (k == 1 ? (b < lo || b > hi) : (b < 0x80U || b > 0xBFU))
			return 0;
		maximal = k + 1;
	}
	return len;
}

[[nodiscard]] inline bool is_valid_utf8(std::string_view s)
{
	std::size_t maximal = 0;
	for (std::size_t i = 0; i < s.size();) {
		const std::size_t n = utf8_seq_len(s, i, maximal);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

/// @s with every maximal invalid subsequence replaced by U+FFFD.
[[nodiscard]] inline std::string sanitize_utf8(std::string_view s)
{
	if (is_valid_utf8(s))
		return std::string(s);
	std::string out;
	out.reserve(s.size() + 8);
	std::size_t maximal = 0;
	for (std::size_t i = 0; i < s.size();) {
		const std::size_t n = utf8_seq_len(s, i, maximal);
		if (n == 0) {
			out += replacement;
			i += maximal;
		} else {
			out.append(s.substr(i, n));
			i += n;
		}
	}
	return out;
}

/// Serialise for a client or a file: never throws on invalid UTF-8.
[[nodiscard]] inline std::string dump_json(const nlohmann::json &j, int indent = -1)
{
	return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace sriov::text
