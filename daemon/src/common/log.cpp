// SPDX-License-Identifier: GPL-2.0
#include "common/log.hpp"

#include "common/text.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>

namespace sriov::log {

namespace {
// The only mutable global: the verbosity, set once from main().
std::atomic<Level> max_level{Level::info}; // NOLINT(cppcoreguidelines-avoid-non-const-global-variables)
std::atomic<bool> timestamps{false};       // NOLINT(cppcoreguidelines-avoid-non-const-global-variables)

std::string now_utc()
{
	using namespace std::chrono;
	const auto ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
	const std::time_t secs = ms / 1000;
	std::tm tm{};
	::gmtime_r(&secs, &tm);
	std::array<char, 32> b{};
	(void)std::snprintf(b.data(), b.size(), "%02d:%02d:%02d.%03d ", tm.tm_hour, tm.tm_min, tm.tm_sec,
			    static_cast<int>(ms % 1000));
	return b.data();
}
} // namespace

void set_timestamps(bool on)
{
	timestamps.store(on);
}

void set_level(Level max)
{
	max_level.store(max);
}

void write(Level lvl, std::uint64_t seq_id, std::string_view text)
{
	if (static_cast<int>(lvl) > static_cast<int>(max_level.load()))
		return;
	std::string line = "<" + std::to_string(static_cast<int>(lvl)) + ">";
	if (timestamps.load())
		line += now_utc();
	if (seq_id == 0)
		line += "seq=- ";
	else
		line += "seq=" + std::to_string(seq_id) + " ";
	// One record per line, valid UTF-8: names from the kernel or a client
	// can neither break the journal's text nor forge a second record.
	for (const char c : text::sanitize_utf8(text)) {
		const auto u = static_cast<unsigned char>(c);
		if (u < 0x20U || u == 0x7fU) {
			std::array<char, 5> esc{};
			(void)std::snprintf(esc.data(), esc.size(), "\\x%02x", u);
			line += esc.data();
		} else {
			line += c;
		}
	}
	line += '\n';
	std::cerr << line << std::flush;
}

} // namespace sriov::log
