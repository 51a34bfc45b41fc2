// SPDX-License-Identifier: GPL-2.0
// VF arbitration by weight (Hyper-V's IovWeight): pure function from the
// model to the actions that bring assignments in line with the weights.
#pragma once

#include "model/model.hpp"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace sriov::seq {

struct ArbiterDecision {
	std::vector<std::string> preempt; ///< holders that must give their VF up
	std::vector<std::string> attach;  ///< partitions that should get a free VF now
};

/// @busy: partitions with a sequence in flight (left alone, counted as
/// holding whatever they hold).  @now_mono: for attach back-off.
ArbiterDecision arbitrate(const model::Model &m, const std::set<std::string> &busy, std::int64_t now_mono);
/// The same over @contenders only: every partition that wants a VF or
/// holds one (the others take no part), in name order.
ArbiterDecision arbitrate(const model::Model &m, const std::vector<const model::Partition *> &contenders,
			  const std::set<std::string> &busy, std::int64_t now_mono);

} // namespace sriov::seq
