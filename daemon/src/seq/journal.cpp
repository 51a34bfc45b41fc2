// SPDX-License-Identifier: GPL-2.0
// The engine's journal commits: a change record per step boundary (the
// partitions and sequences touched since the last commit, the PFs whose
// VF slots changed), a snapshot of the whole state when the log is past
// its bound or everything changed (start, teardown-all).
#include "seq/engine.hpp"

#include "common/log.hpp"
#include "common/text.hpp"

#include <cstring>
#include <stdexcept>

namespace sriov::seq {

using json = nlohmann::json;

json Engine::state_doc() const
{
	json seqs = json::object();
	for (const auto &[id, r] : active_)
		seqs[std::to_string(id)] = to_json(r);
	return {{"version", store::schema_version},
		{"next_seq", next_seq_},
		{"next_event", next_event_},
		{"boot_id", cfg_.boot_id},
		{"model", model::to_json(model_)},
		{"sequences", std::move(seqs)}};
}

int Engine::persist_all()
{
	const json doc = state_doc();
	dirty_parts_.clear();
	dirty_seqs_.clear();
	dirty_all_ = false;
	pfs_written_.clear();
	for (const auto &[name, pf] : doc.at("model").at("pfs").items())
		pfs_written_[name] = text::dump_json(pf);
	if (const int err = store_.save(doc); err != 0) {
		log::error(0, "journal snapshot to ", store_.path(), " failed: ", std::strerror(err));
		dirty_all_ = true; // the next commit tries the snapshot again
		return err;
	}
	if (cfg_.check_journal)
		check_journal();
	return 0;
}

int Engine::persist()
{
	if (dirty_all_ || store_.snapshot_due())
		return persist_all();
	store::Changes c;
	c.put.emplace_back("/next_seq", next_seq_);
	c.put.emplace_back("/next_event", next_event_);
	for (const auto &name : dirty_parts_) {
		const auto ptr = store::pointer({"model", "partitions", name});
		if (const auto it = model_.partitions.find(name); it != model_.partitions.end())
			c.put.emplace_back(ptr, model::to_json(it->second));
		else
			c.del.push_back(ptr);
	}
	for (const auto id : dirty_seqs_) {
		const auto ptr = store::pointer({"sequences", std::to_string(id)});
		if (const auto it = active_.find(id); it != active_.end())
			c.put.emplace_back(ptr, to_json(it->second));
		else
			c.del.push_back(ptr);
	}
	// the VF slots: a few per PF, compared rather than tracked
	for (const auto &[name, pf] : model_.pfs) {
		json j = model::to_json(pf);
		std::string text = text::dump_json(j);
		auto &written = pfs_written_[name];
		if (written != text) {
			c.put.emplace_back(store::pointer({"model", "pfs", name}), std::move(j));
			written = std::move(text);
		}
	}
	for (auto it = pfs_written_.begin(); it != pfs_written_.end();) {
		if (model_.pfs.contains(it->first)) {
			++it;
			continue;
		}
		c.del.push_back(store::pointer({"model", "pfs", it->first}));
		it = pfs_written_.erase(it);
	}
	dirty_parts_.clear();
	dirty_seqs_.clear();
	if (const int err = store_.append(c); err != 0) {
		log::error(0, "journal write to ", store_.log_path(), " failed: ", std::strerror(err));
		dirty_all_ = true; // what this record held goes into the next snapshot
		return err;
	}
	if (cfg_.check_journal)
		check_journal();
	return 0;
}

void Engine::check_journal()
{
	const auto back = store_.load();
	// what a restart would read: the state through the same serialiser
	const json want = json::parse(text::dump_json(state_doc()));
	if (!back || *back != want) {
		const std::string diff = back ? json::diff(want, *back).dump() : "no journal";
		throw std::logic_error("journal read back differs from the state: " + diff.substr(0, 2000));
	}
}

void Engine::persist_events()
{
	// the ring's own journal: a record with the events added and those
	// that left the ring since the last write, the whole ring past the bound
	int err = 0;
	if (!events_written_ || events_store_.snapshot_due()) {
		json ring = json::object();
		for (const auto &e : events_)
			ring[e.at("id").dump()] = e;
		err = events_store_.save({{"version", store::schema_version}, {"events", std::move(ring)}});
		events_written_ = err == 0;
	} else {
		store::Changes c;
		for (const auto &e : events_)
			if (e.at("id").get<std::uint64_t>() >= events_flushed_)
				c.put.emplace_back(store::pointer({"events", e.at("id").dump()}), e);
		for (const auto id : events_dropped_)
			if (id < events_flushed_) // written before: gone now
				c.del.push_back(store::pointer({"events", std::to_string(id)}));
		err = events_store_.append(c);
		if (err != 0)
			events_written_ = false;
	}
	events_dropped_.clear();
	events_flushed_ = next_event_;
	if (err != 0)
		log::error(0, "event log write to ", events_store_.path(), " failed: errno ", err);
}

} // namespace sriov::seq
