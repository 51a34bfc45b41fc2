// SPDX-License-Identifier: GPL-2.0
// Human output: aligned tables and one-line event summaries.
#pragma once

#include <nlohmann/json.hpp>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace sriovctl {

class Table {
public:
	explicit Table(std::vector<std::string> header) : rows_{std::move(header)} {}
	void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
	void print(std::ostream &o) const;

private:
	std::vector<std::vector<std::string>> rows_;
};

/// @ms (wall clock) in ISO 8601, UTC, with milliseconds.
std::string iso_time(std::int64_t ms);
/// One partition, a "key: value" line each.
void render_partition(std::ostream &o, const nlohmann::json &p);
/// `show`: the partition, its running sequence, its last sequence's end.
void render_show(std::ostream &o, const nlohmann::json &r);
/// One finished step of a sequence (live progress).
void render_step(std::ostream &o, const nlohmann::json &step);
void render_status(std::ostream &o, const nlohmann::json &status);
void render_partitions(std::ostream &o, const nlohmann::json &parts);
void render_vfs(std::ostream &o, const nlohmann::json &vfs);
void render_event(std::ostream &o, const nlohmann::json &ev, bool phases);
void render_audit(std::ostream &o, const nlohmann::json &a);

} // namespace sriovctl
