// SPDX-License-Identifier: GPL-2.0
#include "store/record_log.hpp"

#include <array>
#include <boost/crc.hpp>
#include <charconv>
#include <cstdio>
#include <optional>
#include <stdexcept>

namespace sriov::store {

namespace {

constexpr std::size_t crc_digits = 8;

/// The payload of the record that starts at @at, if it is a good one;
/// @next receives where the line ends (after its LF, or the end of @log).
std::optional<std::string_view> parse_at(std::string_view log, std::size_t at, std::size_t &next)
{
	const auto lf = log.find('\n', at);
	next = lf == std::string_view::npos ? log.size() : lf + 1;
	if (lf == std::string_view::npos)
		return std::nullopt; // cut before its end
	const std::string_view line = log.substr(at, lf - at);
	const auto sp = line.find(' ');
	if (sp == std::string_view::npos || sp == 0)
		return std::nullopt;
	std::size_t len = 0;
	const auto *len_end = line.data() + sp;
	if (auto r = std::from_chars(line.data(), len_end, len); r.ec != std::errc() || r.ptr != len_end)
		return std::nullopt;
	if (line.size() < sp + 1 + crc_digits + 1 || line[sp + 1 + crc_digits] != ' ')
		return std::nullopt;
	std::uint32_t crc = 0;
	const auto *crc_begin = line.data() + sp + 1;
	if (auto r = std::from_chars(crc_begin, crc_begin + crc_digits, crc, 16);
	    r.ec != std::errc() || r.ptr != crc_begin + crc_digits)
		return std::nullopt;
	const std::string_view payload = line.substr(sp + 1 + crc_digits + 1);
	if (payload.size() != len || crc32(payload) != crc)
		return std::nullopt;
	return payload;
}

} // namespace

std::uint32_t crc32(std::string_view data)
{
	boost::crc_32_type c;
	c.process_bytes(data.data(), data.size());
	return c.checksum();
}

std::string frame_record(std::string_view payload)
{
	std::array<char, crc_digits + 1> hex{};
	(void)std::snprintf(hex.data(), hex.size(), "%08x", crc32(payload));
	std::string r = std::to_string(payload.size());
	r.reserve(r.size() + payload.size() + crc_digits + 3);
	r += ' ';
	r += hex.data();
	r += ' ';
	r += payload;
	r += '\n';
	return r;
}

ScannedLog scan_records(std::string_view log)
{
	ScannedLog out;
	std::size_t at = 0;
	while (at < log.size()) {
		std::size_t next = 0;
		auto p = parse_at(log, at, next);
		if (p) {
			out.payloads.push_back(*p);
			at = next;
			continue;
		}
		// a bad record: torn if nothing good follows it
		for (std::size_t k = next; k < log.size();) {
			std::size_t after = 0;
			if (parse_at(log, k, after))
				throw std::runtime_error("journal record at byte " + std::to_string(at) +
							 " is damaged and records follow it");
			k = after;
		}
		out.good_bytes = at;
		out.torn = true;
		return out;
	}
	out.good_bytes = log.size();
	return out;
}

} // namespace sriov::store
