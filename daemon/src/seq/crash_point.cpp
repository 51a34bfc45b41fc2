// SPDX-License-Identifier: GPL-2.0
#include "seq/crash_point.hpp"

namespace sriov::seq {

std::string CrashPoint::str() const
{
	return std::string(to_string(kind)) + ":" + std::string(to_string(step)) + ":" + (after ? "after" : "before");
}

std::optional<CrashPoint> parse_crash_point(std::string_view spec, std::string &err)
{
	const auto c1 = spec.find(':');
	const auto c2 = c1 == std::string_view::npos ? c1 : spec.find(':', c1 + 1);
	if (c2 == std::string_view::npos) {
		err = "expected <kind>:<step>:<before|after>";
		return std::nullopt;
	}
	const auto kind = kind_from_string(spec.substr(0, c1));
	if (!kind) {
		err = "unknown sequence kind '" + std::string(spec.substr(0, c1)) + "'";
		return std::nullopt;
	}
	const auto step = step_from_string(spec.substr(c1 + 1, c2 - c1 - 1));
	if (!step) {
		err = "unknown step '" + std::string(spec.substr(c1 + 1, c2 - c1 - 1)) + "'";
		return std::nullopt;
	}
	const auto when = spec.substr(c2 + 1);
	if (when != "before" && when != "after") {
		err = "expected before or after, not '" + std::string(when) + "'";
		return std::nullopt;
	}
	return CrashPoint{.kind = *kind, .step = *step, .after = when == "after"};
}

} // namespace sriov::seq
