// SPDX-License-Identifier: GPL-2.0
// Sequence records: what is journaled for every multi-step operation.
//
// A sequence is a kind, the list of steps it will run (fixed when it
// starts or when it turns into a rollback), a cursor, and per-step phase
// timestamps.  The record is written to the journal before each step acts
// and again after it completes, so after a crash the daemon knows which
// step may have been half done; every step is written to be safe to repeat
// (it checks the kernel's dumps before acting).
#pragma once

#include "common/error.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sriov::seq {

enum class Kind : std::uint8_t {
	adapter_create,
	attach,
	failover,
	surprise,
	migrate_prepare,
	migrate_complete,
	migrate_abort,
	teardown,
	/// filters back on the VF's VPort, then the VF's data-path request
	/// acknowledged, after sriov_pf failed the VF over on its own
	failback,
	/// after a reboot: the partition's namespace, adapter and filter made
	/// again from its stored spec
	recreate,
};

enum class Step : std::uint8_t {
	// adapter
	netns_ensure,
	adapter_create,
	adapter_filter_add,
	// attach
	vf_allocate,
	vport_create,
	vf_to_child,
	wait_pair,
	filters_to_vf,
	datapath_vf,
	// release, in the documented failover order
	filters_to_default,
	datapath_synthetic,
	vf_from_child,
	vport_delete,
	vf_flr,
	vf_free,
	// migration
	vf_reserve,
	switch_move,
	reservation_adopt,
	reservation_release,
	switch_back,
	// teardown
	adapter_filter_del,
	adapter_delete,
	partition_forget,
	// failback: the VF back from the kernel's own reset (bounded wait)
	wait_vf_back,
};

std::string_view to_string(Kind k);
std::string_view to_string(Step s);
std::optional<Kind> kind_from_string(std::string_view s);
std::optional<Step> step_from_string(std::string_view s);

/// The steps of every sequence kind, in one table (sequence.cpp;
/// Documentation/design/daemon.rst shows it and a unit test compares the
/// two).  A kind with a rollback list is a forward kind: it rolls back on
/// failure or restart; the others (failover, surprise, migrate_abort,
/// teardown, failback) always run forward.
struct StepTableRow {
	Kind kind{};
	std::vector<Step> steps;
	std::vector<Step> rollback;
};
const std::vector<StepTableRow> &step_table();
const std::vector<Step> &steps_of(Kind k);
const std::vector<Step> &rollback_steps_of(Kind k);
bool is_forward(Kind k);

struct Phase {
	Step step{};
	std::int64_t start_ms{}; ///< wall clock
	std::int64_t end_ms{};
	std::string result; ///< "ok", "skipped", "failed: reason", "" while running
	std::string detail;
};

struct Record {
	std::uint64_t id{};
	Kind kind{};
	std::string partition;
	std::vector<Step> steps;
	std::size_t cursor{};
	bool step_started{};  ///< journal: step at cursor may have acted
	bool rolling_back{};
	Reason cause{Reason::ok};   ///< why this sequence runs (preempted, surprise_removal, ...)
	Reason failure{Reason::ok}; ///< first failure (reason the rollback happened)
	std::string failure_detail;
	// parameters chosen at start and journaled before any step acts
	std::string pf;
	std::optional<std::uint32_t> vf;
	std::string dest_pf;
	std::optional<std::uint32_t> dest_vf;
	std::string src_pf;
	std::int64_t hold_ms{};
	std::int64_t start_ms{};
	std::vector<Phase> phases;
	/// daemon starts that found this sequence in flight, in a row (the
	/// crash-loop breaker parks it at EngineConfig::crash_limit)
	std::uint32_t restarts{};
	/// parked by the crash-loop breaker: not run until resumed or discarded
	bool parked{};

	// transient (not journaled): wait bookkeeping, restarted after a crash
	std::int64_t start_mono{};
	std::int64_t wait_deadline{};
	int substate{};

	[[nodiscard]] bool done() const { return cursor >= steps.size(); }
};

nlohmann::json to_json(const Record &r);
Record record_from_json(const nlohmann::json &j);

} // namespace sriov::seq
