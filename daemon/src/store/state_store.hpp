// SPDX-License-Identifier: GPL-2.0
// The journal: a snapshot (one JSON document, replaced atomically and
// durably: write tmp, fsync, rename, fsync dir) and an append-only log of
// change records after it (PATH.log, one fdatasync per record).  A record
// puts or deletes members of the document by JSON pointer; loading is the
// snapshot with the records replayed.  Past a size bound the log is
// compacted: the caller writes a fresh snapshot (save()), the log is
// emptied.  See Documentation/design/daemon.rst, "Journal and recovery".
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace sriov::store {

/// The daemon's journal format (Documentation/design/daemon.rst, "Schema
/// versions"): 1 the whole document rewritten at each commit; 2 snapshot +
/// change records, sequences keyed by id; 3 the boot id, and per sequence
/// the restarts that interrupted it and whether it is parked.  Older
/// versions load (seq::migrate_state() fills in what they lack).
inline constexpr int schema_version = 3;

/// The journal exists but cannot be used: unreadable, not JSON, an
/// unsupported version, damaged records, a document that does not hold
/// what the schema asks.  sriovd refuses to start on it (it would forget
/// the VFs it owns) and exits with its own status.
struct JournalError : std::runtime_error {
	using std::runtime_error::runtime_error;
};

/// What one record changes.
struct Changes {
	std::vector<std::pair<std::string, nlohmann::json>> put; ///< JSON pointer -> new value
	std::vector<std::string> del;                            ///< JSON pointers to remove
	[[nodiscard]] bool empty() const { return put.empty() && del.empty(); }
};

/// JSON pointer to @keys, each escaped ('~' -> "~0", '/' -> "~1").
std::string pointer(std::initializer_list<std::string> keys);

struct StoreOptions {
	bool durable{true};           ///< fsync / fdatasync (off in tests that simulate crashes)
	int min_version{1};           ///< accepted "version" of a snapshot
	int max_version{schema_version};
	std::uint64_t compact_min_bytes{1U << 20}; ///< compaction when the log is past this and the snapshot's size
};

class StateStore {
public:
	/// @path "" keeps everything in memory (unit tests that need no restart);
	/// the snapshot and log then live in this object, same format.
	explicit StateStore(std::string path = {}, StoreOptions opt = {});
	StateStore(std::string path, bool durable) : StateStore(std::move(path), StoreOptions{.durable = durable}) {}
	StateStore(const StateStore &) = delete;
	StateStore &operator=(const StateStore &) = delete;
	StateStore(StateStore &&) = delete;
	StateStore &operator=(StateStore &&) = delete;
	~StateStore();

	/// The snapshot with every record after it replayed; nullopt if there
	/// is neither (files that exist but cannot be read throw).  A torn record at the end of the log (a crash in the
	/// middle of an append) is left out and cut off before the next
	/// append.  Throws JournalError on a snapshot that does not
	/// parse or has an unsupported version, and on a damaged log (a bad
	/// record with good ones after it): the daemon refuses to start rather
	/// than forget what it owns.
	[[nodiscard]] std::optional<nlohmann::json> load();
	/// Replace everything with @doc (a snapshot), then empty the log.
	/// Returns errno (0 on success).
	int save(const nlohmann::json &doc);
	/// Append one record.  Returns errno (0 on success); on failure the
	/// log is cut back to where it was.
	int append(const Changes &c);
	/// Test fault: the next @count writes (save() and append(); -1: all
	/// until called again with 0) fail with @err before touching a file.
	void fail_writes(int err, int count = -1)
	{
		fail_err_ = err;
		fail_count_ = count;
	}
	/// The log is past its bound: the next commit should be a save().
	[[nodiscard]] bool snapshot_due() const;

	[[nodiscard]] const std::string &path() const { return path_; }
	[[nodiscard]] std::string log_path() const { return path_ + ".log"; }
	/// Commits (records and snapshots) since start.
	[[nodiscard]] std::uint64_t commits() const { return commits_; }
	[[nodiscard]] std::uint64_t snapshots() const { return snapshots_; }
	/// Size of the last commit (record or snapshot), bytes.
	[[nodiscard]] std::uint64_t last_bytes() const { return last_bytes_; }
	/// Bytes written by all commits since start.
	[[nodiscard]] std::uint64_t bytes_written() const { return bytes_written_; }
	[[nodiscard]] std::uint64_t snapshot_bytes() const { return snapshot_bytes_; }
	[[nodiscard]] std::uint64_t log_bytes() const { return log_bytes_; }
	/// Time spent in save() and append() (serialise, write, sync), ns: total and worst.
	[[nodiscard]] std::uint64_t write_ns_sum() const { return write_ns_sum_; }
	[[nodiscard]] std::uint64_t write_ns_max() const { return write_ns_max_; }

private:
	int append_bytes(const std::string &rec);
	/// The injected fault for this write, 0 if none.
	int injected_fault();
	int open_log();
	void account(std::uint64_t bytes, std::uint64_t ns);

	std::string path_;
	StoreOptions opt_;
	int log_fd_{-1};
	/// the log is known to hold a torn record (or garbage after a failed
	/// append) from this offset: cut before the next append
	std::optional<std::uint64_t> cut_at_;
	std::uint64_t next_lsn_{1};
	int fail_err_{};
	int fail_count_{};
	// memory mode
	std::optional<std::string> mem_snapshot_;
	std::string mem_log_;

	std::uint64_t commits_{};
	std::uint64_t snapshots_{};
	std::uint64_t last_bytes_{};
	std::uint64_t bytes_written_{};
	std::uint64_t snapshot_bytes_{};
	std::uint64_t log_bytes_{};
	std::uint64_t write_ns_sum_{};
	std::uint64_t write_ns_max_{};
};

} // namespace sriov::store
