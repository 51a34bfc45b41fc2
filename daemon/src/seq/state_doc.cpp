// SPDX-License-Identifier: GPL-2.0
#include "seq/state_doc.hpp"

#include "store/state_store.hpp"

#include <exception>
#include <string>

namespace sriov::seq {

using json = nlohmann::json;

void migrate_state(json &doc)
{
	const int from = doc.value("version", 1);
	if (from < 2 && doc.contains("sequences") && doc.at("sequences").is_array()) {
		// 1 -> 2: sequences keyed by id
		json by_id = json::object();
		for (const auto &r : doc.at("sequences"))
			by_id[r.at("id").dump()] = r;
		doc["sequences"] = std::move(by_id);
	}
	if (from < 3) {
		// 2 -> 3: the boot id (unknown: the boot the daemon finds is
		// taken as the same one) and the crash-loop breaker's fields
		doc["boot_id"] = "";
		if (doc.contains("sequences") && doc.at("sequences").is_object())
			for (auto &r : doc.at("sequences")) {
				r["restarts"] = 0;
				r["parked"] = false;
			}
	}
	doc["version"] = store::schema_version;
}

LoadedState parse_state(json doc)
{
	LoadedState st;
	st.version = doc.value("version", 1);
	// the part being read, for the message
	std::string where = "document";
	try {
		migrate_state(doc);
		where = "model";
		st.model = model::model_from_json(doc.at("model"));
		where = "next_seq";
		st.next_seq = doc.at("next_seq").get<std::uint64_t>();
		where = "next_event";
		st.next_event = doc.at("next_event").get<std::uint64_t>();
		where = "boot_id";
		st.boot_id = doc.at("boot_id").get<std::string>();
		if (doc.contains("events")) { // journals written before the ring had its own file
			where = "events";
			for (const auto &e : doc.at("events"))
				st.events.push_back(e);
		}
		for (const auto &[id, jr] : doc.at("sequences").items()) {
			where = "sequence " + id;
			st.sequences.push_back(record_from_json(jr));
			const auto &r = st.sequences.back();
			if (r.cursor > r.steps.size())
				throw std::out_of_range("cursor " + std::to_string(r.cursor) + " past its " +
							std::to_string(r.steps.size()) + " steps");
			if (r.id >= st.next_seq)
				throw std::out_of_range("id " + std::to_string(r.id) + " not below next_seq " +
							std::to_string(st.next_seq));
		}
		for (const auto &[name, p] : st.model.partitions) {
			where = "partition " + name;
			if (p.name != name || p.pf.empty())
				throw std::out_of_range("name or PF missing");
		}
	} catch (const std::exception &e) {
		// json's type and key errors, an unknown step or kind name
		throw store::JournalError("the journal's " + where + " does not hold what schema version " +
					  std::to_string(store::schema_version) + " asks: " + e.what());
	}
	return st;
}

std::string check_state(const std::string &dir)
{
	const std::string path = dir + "/state.json";
	store::StateStore store(path, store::StoreOptions{.durable = false});
	const auto doc = store.load(); // reads only: a torn record is cut at the next append
	if (!doc)
		return path + ": no journal: sriovd starts with no partitions\n";
	const LoadedState st = parse_state(*doc);
	std::size_t parked = 0;
	for (const auto &r : st.sequences)
		parked += r.parked ? 1 : 0;
	std::size_t vfs = 0;
	for (const auto &[name, p] : st.model.partitions)
		vfs += p.vf ? 1 : 0;
	std::string out = path + ": valid, schema version " + std::to_string(st.version);
	if (st.version != store::schema_version)
		out += " (migrated to " + std::to_string(store::schema_version) + " at the next start)";
	out += "\n  " + std::to_string(st.model.pfs.size()) + " PF(s), " + std::to_string(st.model.partitions.size()) +
	       " partition(s), " + std::to_string(vfs) + " with a VF\n  " + std::to_string(st.sequences.size()) +
	       " sequence(s) in flight, " + std::to_string(parked) + " parked\n  boot id: " +
	       (st.boot_id.empty() ? "not recorded" : st.boot_id) + "\n  " + std::to_string(store.log_bytes()) +
	       " byte(s) of change records after a " + std::to_string(store.snapshot_bytes()) + "-byte snapshot\n";
	return out;
}

} // namespace sriov::seq
