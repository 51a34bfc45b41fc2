// SPDX-License-Identifier: GPL-2.0
// Logging facade.  Every line carries the sequence id ("seq=-" outside a
// sequence) so that `journalctl -u sriovd | grep seq=42` shows one switch.
// Lines go to stderr with a syslog priority prefix ("<6>") that journald
// understands when the daemon runs under systemd.
#pragma once

#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

namespace sriov::log {

enum class Level : std::uint8_t { err = 3, warning = 4, notice = 5, info = 6, debug = 7 };

void set_level(Level max);
/// Prefix every line with the wall-clock time (HH:MM:SS.mmm, UTC), for
/// logs that do not go to journald (which time-stamps lines itself).
void set_timestamps(bool on);
void write(Level lvl, std::uint64_t seq_id, std::string_view text);

template <class... Args> std::string cat(const Args &...args)
{
	std::ostringstream os;
	(os << ... << args);
	return os.str();
}

template <class... Args> void info(std::uint64_t seq, const Args &...args)
{
	write(Level::info, seq, cat(args...));
}
template <class... Args> void warn(std::uint64_t seq, const Args &...args)
{
	write(Level::warning, seq, cat(args...));
}
template <class... Args> void error(std::uint64_t seq, const Args &...args)
{
	write(Level::err, seq, cat(args...));
}
template <class... Args> void debug(std::uint64_t seq, const Args &...args)
{
	write(Level::debug, seq, cat(args...));
}

} // namespace sriov::log
