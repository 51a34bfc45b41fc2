// SPDX-License-Identifier: GPL-2.0
#include "common/log.hpp"

#include <atomic>
#include <iostream>

namespace sriov::log {

namespace {
// The only mutable global: the verbosity, set once from main().
std::atomic<Level> max_level{Level::info}; // NOLINT(cppcoreguidelines-avoid-non-const-global-variables)
} // namespace

void set_level(Level max)
{
	max_level.store(max);
}

void write(Level lvl, std::uint64_t seq_id, std::string_view text)
{
	if (static_cast<int>(lvl) > static_cast<int>(max_level.load()))
		return;
	std::string line = "<" + std::to_string(static_cast<int>(lvl)) + ">";
	if (seq_id == 0)
		line += "seq=- ";
	else
		line += "seq=" + std::to_string(seq_id) + " ";
	line += text;
	line += '\n';
	std::cerr << line << std::flush;
}

} // namespace sriov::log
