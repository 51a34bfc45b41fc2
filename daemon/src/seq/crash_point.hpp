// SPDX-License-Identifier: GPL-2.0
// Test hook: SIGKILL sriovd at one step boundary of one kind of sequence.
//
// SRIOVD_CRASH_AT=<kind>:<step>:<before|after>, e.g. attach:wait_pair:after.
// "before" is after the journal recorded that the step starts and before it
// acts; "after" is after the step acted and before the journal records it.
// Only forward execution matches (not a rollback), and only the first time.
// Compiled in always, inert unless the variable is set; used by the lab
// test tests/vm/daemon_crash.sh and tests/pytest/test_sriovd_crash.py.
#pragma once

#include "seq/sequence.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace sriov::seq {

struct CrashPoint {
	Kind kind{};
	Step step{};
	bool after{};

	[[nodiscard]] bool matches(const Record &rec, Step s, bool is_after) const
	{
		return !rec.rolling_back && rec.kind == kind && s == step && is_after == after;
	}
	[[nodiscard]] std::string str() const;
};

/// Parse "<kind>:<step>:<before|after>"; on error @err says why.
std::optional<CrashPoint> parse_crash_point(std::string_view spec, std::string &err);

} // namespace sriov::seq
