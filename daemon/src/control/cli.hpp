// SPDX-License-Identifier: GPL-2.0
// Command-line rules shared by sriovd and sriovctl (both parse with CLI11):
// numbers are decimal, a leading 0 never makes one octal, and a usage
// error names the word that caused it.
#pragma once

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace sriov::control::cli {

/// Transform for an integer option: decimal digits only, @lo..@hi.
/// Leading zeros are dropped ("010" is 10), so CLI11's own conversion
/// (strtoll with base 0) never sees an octal or hex form; "0x10", "-1",
/// "1e3" and "10k" are errors that quote the value.
inline CLI::Validator decimal(std::int64_t lo, std::int64_t hi)
{
	return {[lo, hi](std::string &s) -> std::string {
			if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
				return "'" + s + "' is not a decimal number";
			const auto nz = s.find_first_not_of('0');
			s = nz == std::string::npos ? "0" : s.substr(nz);
			const std::string range = std::to_string(lo) + ".." + std::to_string(hi);
			// 18 digits fit an int64_t; longer is out of any range here
			if (s.size() > 18 || std::stoll(s) < lo || std::stoll(s) > hi)
				return s + " is out of range " + range;
			return {};
		},
		std::to_string(lo) + ".." + std::to_string(hi), "decimal"};
}

/// The subcommand path the parser got to ("partition add"), or "".
inline std::string command_path(const CLI::App &app)
{
	std::string path;
	const CLI::App *cur = &app;
	for (;;) {
		const auto subs = cur->get_subcommands();
		if (subs.empty())
			return path;
		cur = subs.front();
		path += (path.empty() ? "" : " ") + cur->get_name();
	}
}

/// One line for a parse error that names the offending word: an unknown
/// option or an extra argument by itself, an unknown command as such;
/// CLI11's own text (which names the option and the value) otherwise.
inline std::string describe(const CLI::App &app, const CLI::ParseError &e)
{
	std::vector<std::string> extra = app.remaining();
	for (const CLI::App *cur = &app; !cur->get_subcommands().empty();) {
		cur = cur->get_subcommands().front();
		const auto more = cur->remaining();
		extra.insert(extra.end(), more.begin(), more.end());
	}
	const std::string where = command_path(app);
	const std::string prefix = where.empty() ? "" : where + ": ";
	const bool required = dynamic_cast<const CLI::RequiredError *>(&e) != nullptr;
	const bool no_command = required && std::string(e.what()).find("subcommand") != std::string::npos;
	if (no_command) {
		if (extra.empty())
			return where.empty() ? "no command given" : prefix + "which one? (see --help)";
		if (extra.front().rfind('-', 0) != 0)
			return prefix + "unknown command '" + extra.front() + "'";
	}
	// words nobody took: the first one is the culprit (a missing
	// argument after an unknown option is a consequence)
	if ((dynamic_cast<const CLI::ExtrasError *>(&e) != nullptr || required) && !extra.empty()) {
		const std::string &word = extra.front();
		if (word.rfind('-', 0) == 0)
			return prefix + "unknown option '" + word.substr(0, word.find('=')) + "'";
		return prefix + "unexpected argument '" + word + "'";
	}
	// CLI11's wording for an option without its value or given twice
	if (dynamic_cast<const CLI::ArgumentMismatch *>(&e) != nullptr) {
		const std::string what = e.what();
		const std::string opt = what.substr(0, what.find(':'));
		if (what.find(" missing") != std::string::npos)
			return prefix + opt + " needs a value";
		if (what.find("At Most 1 required") != std::string::npos)
			return prefix + opt + " given more than once";
	}
	return prefix + e.what();
}

} // namespace sriov::control::cli
