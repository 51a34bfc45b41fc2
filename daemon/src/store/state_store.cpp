// SPDX-License-Identifier: GPL-2.0
#include "store/state_store.hpp"

#include "common/text.hpp"
#include "store/atomic_file.hpp"
#include "store/record_log.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <stdexcept>
#include <system_error>
#include <unistd.h>

namespace sriov::store {

using json = nlohmann::json;

namespace {

std::uint64_t since_ns(std::chrono::steady_clock::time_point t0)
{
	return static_cast<std::uint64_t>(
		std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count());
}

void apply(json &doc, const json &rec)
{
	for (const auto &ptr : rec.at("del")) {
		const json::json_pointer p(ptr.get<std::string>());
		if (p.empty() || !doc.contains(p.parent_pointer()))
			continue;
		auto &parent = doc[p.parent_pointer()];
		if (parent.is_object())
			parent.erase(p.back());
	}
	for (const auto &[ptr, v] : rec.at("put").items())
		doc[json::json_pointer(ptr)] = v;
}

} // namespace

std::string pointer(std::initializer_list<std::string> keys)
{
	std::string p;
	for (const auto &k : keys) {
		p += '/';
		for (char c : k) {
			if (c == '~')
				p += "~0";
			else if (c == '/')
				p += "~1";
			else
				p += c;
		}
	}
	return p;
}

StateStore::StateStore(std::string path, StoreOptions opt) : path_(std::move(path)), opt_(opt) {}

StateStore::~StateStore()
{
	if (log_fd_ >= 0)
		::close(log_fd_);
}

int StateStore::injected_fault()
{
	if (fail_err_ == 0 || fail_count_ == 0)
		return 0;
	if (fail_count_ > 0)
		--fail_count_;
	return fail_err_;
}

std::optional<json> StateStore::load()
{
	std::optional<std::string> snap;
	std::optional<std::string> log;
	if (path_.empty()) {
		snap = mem_snapshot_;
		log = mem_log_;
	} else {
		try {
			snap = read_file(path_);
			log = read_file(log_path());
		} catch (const std::system_error &e) {
			throw JournalError(e.what());
		}
	}
	if (!snap) {
		// records are only appended after a snapshot: a log without one
		// is left over from something else
		if (log && !log->empty())
			throw JournalError("journal " + log_path() + " has records but " + path_ + " is missing");
		return std::nullopt;
	}
	json doc = json::parse(*snap, nullptr, false);
	if (doc.is_discarded() || !doc.is_object())
		throw JournalError("state file " + path_ + " is not valid JSON");
	const int version = doc.contains("version") && doc.at("version").is_number_integer() ? doc.at("version").get<int>() : 0;
	if (version < opt_.min_version || version > opt_.max_version)
		throw JournalError("state file " + path_ + " has unsupported schema version " +
					 std::to_string(version));
	if (doc.contains("journal_lsn") && !doc.at("journal_lsn").is_number_unsigned())
		throw JournalError("state file " + path_ + ": journal_lsn is not a number");
	const std::uint64_t snap_lsn = doc.value("journal_lsn", std::uint64_t{0});
	doc.erase("journal_lsn");
	next_lsn_ = snap_lsn + 1;
	snapshot_bytes_ = snap->size();
	log_bytes_ = 0;
	if (log) {
		ScannedLog scan;
		try {
			scan = scan_records(*log);
		} catch (const std::runtime_error &e) {
			throw JournalError(log_path() + ": " + e.what());
		}
		for (const auto payload : scan.payloads) {
			const json rec = json::parse(payload, nullptr, false);
			if (rec.is_discarded() || !rec.is_object() || !rec.contains("lsn"))
				throw JournalError("journal " + log_path() + ": a record is not a change record");
			if (!rec.at("lsn").is_number_unsigned() || !rec.contains("put") || !rec.contains("del"))
				throw JournalError("journal " + log_path() + ": a record is not a change record");
			const auto lsn = rec.at("lsn").get<std::uint64_t>();
			if (lsn <= snap_lsn)
				continue; // already in the snapshot (a crash before the log was emptied)
			try {
				apply(doc, rec);
			} catch (const json::exception &e) {
				throw JournalError("journal " + log_path() + ": record " + std::to_string(lsn) + ": " +
							 e.what());
			}
			next_lsn_ = std::max(next_lsn_, lsn + 1);
		}
		log_bytes_ = scan.good_bytes;
		if (scan.torn) {
			if (path_.empty())
				mem_log_.resize(scan.good_bytes);
			else
				cut_at_ = scan.good_bytes;
		}
	}
	if (path_.empty())
		mem_snapshot_ = snap;
	return doc;
}

bool StateStore::snapshot_due() const
{
	if (snapshot_bytes_ == 0)
		return true; // records need a snapshot to apply to
	return log_bytes_ > std::max(opt_.compact_min_bytes, snapshot_bytes_);
}

void StateStore::account(std::uint64_t bytes, std::uint64_t ns)
{
	++commits_;
	last_bytes_ = bytes;
	bytes_written_ += bytes;
	write_ns_sum_ += ns;
	write_ns_max_ = std::max(write_ns_max_, ns);
}

int StateStore::save(const json &doc)
{
	if (const int err = injected_fault(); err != 0)
		return err;
	const auto t0 = std::chrono::steady_clock::now();
	// kernel strings (VF netdev names) are bytes: U+FFFD, never a throw
	std::string text = text::dump_json(doc);
	// the last record the snapshot holds: records up to it are skipped
	// when a crash leaves them in the log
	const std::string lsn = "\"journal_lsn\":" + std::to_string(next_lsn_ - 1);
	text.insert(1, text.size() > 2 ? lsn + "," : lsn);
	if (path_.empty()) {
		mem_snapshot_ = text;
		mem_log_.clear();
	} else {
		if (const int err = write_file_atomic(path_, text, opt_.durable); err != 0)
			return err;
		// empty the log; a crash before this leaves records the
		// snapshot already holds (skipped by their lsn)
		const bool emptied = log_fd_ >= 0 ? ::ftruncate(log_fd_, 0) == 0
						   : ::truncate(log_path().c_str(), 0) == 0 || errno == ENOENT;
		if (emptied)
			cut_at_.reset();
		else
			cut_at_ = 0; // emptied before the next append
	}
	log_bytes_ = 0;
	snapshot_bytes_ = text.size();
	++snapshots_;
	account(text.size(), since_ns(t0));
	return 0;
}

int StateStore::open_log()
{
	if (log_fd_ >= 0)
		return 0;
	log_fd_ = ::open(log_path().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (log_fd_ < 0)
		return errno;
	if (opt_.durable) {
		// the log's directory entry, once
		if (const int e = fsync_dir_of(log_path()); e != 0)
			return e;
	}
	return 0;
}

int StateStore::append_bytes(const std::string &rec)
{
	if (const int err = open_log(); err != 0)
		return err;
	if (cut_at_) {
		// a torn record (or what a failed append left) goes first
		if (::ftruncate(log_fd_, static_cast<off_t>(*cut_at_)) != 0)
			return errno;
		log_bytes_ = *cut_at_;
		cut_at_.reset();
	}
	int err = 0;
	std::size_t off = 0;
	while (off < rec.size()) {
		const ssize_t n = ::write(log_fd_, rec.data() + off, rec.size() - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			break;
		}
		off += static_cast<std::size_t>(n);
	}
	if (err == 0 && opt_.durable && ::fdatasync(log_fd_) != 0)
		err = errno;
	if (err != 0) {
		// never a good record after a partial one
		if (::ftruncate(log_fd_, static_cast<off_t>(log_bytes_)) != 0)
			cut_at_ = log_bytes_;
		return err;
	}
	log_bytes_ += rec.size();
	return 0;
}

int StateStore::append(const Changes &c)
{
	if (snapshot_bytes_ == 0)
		return EINVAL; // the first commit is a snapshot (snapshot_due())
	if (const int err = injected_fault(); err != 0)
		return err;
	const auto t0 = std::chrono::steady_clock::now();
	json put = json::object();
	for (const auto &[ptr, v] : c.put)
		put[ptr] = v;
	json del = json::array();
	for (const auto &ptr : c.del)
		del.push_back(ptr);
	const json payload{{"lsn", next_lsn_}, {"put", std::move(put)}, {"del", std::move(del)}};
	const std::string rec = frame_record(text::dump_json(payload));
	if (path_.empty()) {
		mem_log_ += rec;
		log_bytes_ += rec.size();
	} else if (const int err = append_bytes(rec); err != 0) {
		return err;
	}
	++next_lsn_;
	account(rec.size(), since_ns(t0));
	return 0;
}

} // namespace sriov::store
