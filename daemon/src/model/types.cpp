// SPDX-License-Identifier: GPL-2.0
#include "model/types.hpp"

#include <algorithm>
#include <cstdio>

namespace sriov {

namespace {

int hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

} // namespace

std::optional<MacAddr> MacAddr::parse(std::string_view s)
{
	// Exactly "xx:xx:xx:xx:xx:xx".
	constexpr std::size_t text_len = 17;
	if (s.size() != text_len)
		return std::nullopt;
	std::array<std::uint8_t, 6> b{};
	for (std::size_t i = 0; i < b.size(); ++i) {
		const std::size_t pos = i * 3;
		const int hi = hex_nibble(s[pos]);
		const int lo = hex_nibble(s[pos + 1]);
		if (hi < 0 || lo < 0)
			return std::nullopt;
		if (i + 1 < b.size() && s[pos + 2] != ':')
			return std::nullopt;
		b.at(i) = static_cast<std::uint8_t>((hi << 4) | lo);
	}
	return MacAddr(b);
}

std::string MacAddr::str() const
{
	std::array<char, 18> buf{};
	(void)std::snprintf(buf.data(), buf.size(), "%02x:%02x:%02x:%02x:%02x:%02x", bytes_[0], bytes_[1],
		      bytes_[2], bytes_[3], bytes_[4], bytes_[5]);
	return {buf.data()};
}

bool MacAddr::is_zero() const
{
	return std::all_of(bytes_.begin(), bytes_.end(), [](std::uint8_t b) { return b == 0; });
}

std::string_view to_string(Datapath d)
{
	return d == Datapath::vf ? "vf" : "synthetic";
}

} // namespace sriov
