// SPDX-License-Identifier: GPL-2.0
// One function per sequence step.  Each one looks at the kernel's dumps
// first and acts only if the work is not already done, so that re-running
// a step after a crash is safe.  Steps change the in-memory model only
// after the kernel call succeeded; the engine journals afterwards.
#pragma once

#include "common/clock.hpp"
#include "common/error.hpp"
#include "kernel/kernel_api.hpp"
#include "model/model.hpp"
#include "seq/sequence.hpp"

#include <string>

namespace sriov::seq {

struct Timeouts {
	std::int64_t pair_ms{5000};    ///< VF netdev in child -> adapter paired
	std::int64_t vf_mac_ms{1000};  ///< admin MAC set -> the VF netdev carries it
	std::int64_t release_ms{2000}; ///< graceful release before surprise removal
	std::int64_t datapath_ms{3000}; ///< DP_WANT=VF -> the adapter transmits on the VF
	/// sriov_pf failed a VF over on its own (reset) -> the VF is back
	/// (allocated, with a netdev); else the partition's VF is a surprise
	std::int64_t vf_back_ms{10000};
};

struct StepResult {
	enum class Kind : std::uint8_t { done, skipped, wait, fail };
	Kind kind{Kind::done};
	Reason reason{Reason::ok};
	std::string detail;
	std::int64_t wait_ms{}; ///< for wait: bound on the whole wait

	static StepResult ok(std::string d = {}) { return {.kind = Kind::done, .reason = Reason::ok, .detail = std::move(d), .wait_ms = 0}; }
	static StepResult skip(std::string d) { return {.kind = Kind::skipped, .reason = Reason::ok, .detail = std::move(d), .wait_ms = 0}; }
	static StepResult wait(std::int64_t ms, std::string d = {}) { return {.kind = Kind::wait, .reason = Reason::ok, .detail = std::move(d), .wait_ms = ms}; }
	static StepResult fail(Reason r, std::string d) { return {.kind = Kind::fail, .reason = r, .detail = std::move(d), .wait_ms = 0}; }
};

struct StepCtx {
	KernelApi &kernel;
	model::Model &model;
	const Timeouts &timeouts;
	Record &rec;
	bool timed_out{}; ///< the step's bounded wait has expired
	/// SR-IOV disable is under way on the record's PF (sriov_pf announced
	/// it): its VFs are going away
	bool pool_going{};
};

StepResult run_step(StepCtx &ctx, Step step);

} // namespace sriov::seq
