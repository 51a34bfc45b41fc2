// SPDX-License-Identifier: GPL-2.0
#include "model/types.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <array>
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

std::optional<std::string> canonical_ip(std::string_view s)
{
	// inet_pton takes neither a prefix nor a zone; its input must be a
	// NUL-terminated copy of exactly @s (no embedded NUL)
	if (s.empty() || s.size() > INET6_ADDRSTRLEN || s.find('\0') != std::string_view::npos)
		return std::nullopt;
	const std::string in(s);
	std::array<unsigned char, 16> bin{};
	std::array<char, INET6_ADDRSTRLEN> out{};
	int af = AF_INET;
	if (inet_pton(AF_INET, in.c_str(), bin.data()) != 1) {
		af = AF_INET6;
		if (inet_pton(AF_INET6, in.c_str(), bin.data()) != 1)
			return std::nullopt;
	}
	if (inet_ntop(af, bin.data(), out.data(), out.size()) == nullptr)
		return std::nullopt;
	return std::string(out.data());
}

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
