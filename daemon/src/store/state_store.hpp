// SPDX-License-Identifier: GPL-2.0
// The journal: one JSON document (schema version, model, in-flight
// sequence records, recent events) replaced atomically and durably
// (write tmp, fsync, rename, fsync dir) once per step boundary.
// See Documentation/design/daemon.rst for why this and not SQLite.
#pragma once

#include <nlohmann/json.hpp>
#include <cstdint>
#include <optional>
#include <string>

namespace sriov::store {

inline constexpr int schema_version = 1;

class StateStore {
public:
	/// @path "" keeps everything in memory (unit tests that need no restart).
	explicit StateStore(std::string path, bool durable = true) : path_(std::move(path)), durable_(durable) {}

	/// The last committed document; nullopt if none.  Throws
	/// std::runtime_error on a document that cannot be parsed or has an
	/// unknown schema version (the daemon refuses to start rather than
	/// forget what it owns).
	[[nodiscard]] std::optional<nlohmann::json> load() const;
	/// Commit @doc.  Returns errno (0 on success).
	int save(const nlohmann::json &doc);
	[[nodiscard]] const std::string &path() const { return path_; }
	[[nodiscard]] std::uint64_t commits() const { return commits_; }
	/// Size of the last committed document, bytes.
	[[nodiscard]] std::uint64_t last_bytes() const { return last_bytes_; }
	/// Time spent in save() (serialise, write, fsync, rename), ns: total and worst.
	[[nodiscard]] std::uint64_t write_ns_sum() const { return write_ns_sum_; }
	[[nodiscard]] std::uint64_t write_ns_max() const { return write_ns_max_; }

private:
	std::string path_;
	bool durable_;
	std::optional<nlohmann::json> mem_;
	std::uint64_t commits_{};
	std::uint64_t last_bytes_{};
	std::uint64_t write_ns_sum_{};
	std::uint64_t write_ns_max_{};
};

} // namespace sriov::store
