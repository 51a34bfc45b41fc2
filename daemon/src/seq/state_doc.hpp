// SPDX-License-Identifier: GPL-2.0
// The journal's document read back: every schema version migrated to the
// current one (defaults for the fields older versions lack), then checked
// and turned into the engine's types.  Used by recovery and by
// `sriovd --check-state`.
#pragma once

#include "model/model.hpp"
#include "seq/sequence.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sriov::seq {

struct LoadedState {
	int version{};        ///< the version the document was written with
	model::Model model;
	std::uint64_t next_seq{1};
	std::uint64_t next_event{1};
	std::vector<Record> sequences;
	std::vector<nlohmann::json> events; ///< version 1 kept the event ring in the journal
	std::string boot_id;  ///< "" when the document predates it (version < 3)
};

/// @doc brought to the current schema version, in place: version 1's
/// sequence list becomes the object keyed by id of version 2; version 3
/// adds "boot_id" and, per sequence, "restarts" and "parked".
void migrate_state(nlohmann::json &doc);

/// @doc (as StateStore::load() returns it) migrated and read.  Throws
/// store::JournalError naming what does not hold.
LoadedState parse_state(nlohmann::json doc);

/// `sriovd --check-state DIR`: read DIR's journal (snapshot and records)
/// without changing anything, as a start would.  Returns a summary for
/// people; throws store::JournalError saying why a start would refuse it.
std::string check_state(const std::string &dir);

} // namespace sriov::seq
