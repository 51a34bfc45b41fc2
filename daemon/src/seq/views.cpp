// SPDX-License-Identifier: GPL-2.0
// The read side: sequences, status, events, Prometheus metrics and the
// audit
#include "seq/engine.hpp"

#include "common/log.hpp"

#include <algorithm>
#include <set>
#include <sstream>
#include <tuple>

namespace sriov::seq {

using json = nlohmann::json;
using model::VfState;

json Engine::sequences() const
{
	json a = json::array();
	for (const auto &[id, r] : active_)
		a.push_back(to_json(r));
	return a;
}

json Engine::status() const
{
	json pfs = json::array();
	for (const auto &[name, pf] : model_.pfs) {
		json vfs = json::array();
		for (std::size_t i = 0; i < pf.vfs.size(); ++i)
			vfs.push_back({{"vf", i},
				       {"state", std::string(model::to_string(pf.vfs[i].state))},
				       {"partition", pf.vfs[i].partition},
				       {"reason", std::string(to_string(pf.vfs[i].reason))}});
		pfs.push_back({{"name", name}, {"netdev", pf.netdev}, {"vfs", vfs}});
	}
	json parts = json::array();
	for (const auto &[name, p] : model_.partitions) {
		json jp = model::to_json(p);
		jp["busy"] = busy(name);
		jp.erase("hold_until_mono");
		parts.push_back(jp);
	}
	return {{"pfs", pfs}, {"partitions", parts}, {"sequences", sequences()}};
}

json Engine::events(std::uint64_t after_id) const
{
	json a = json::array();
	for (const auto &e : events_)
		if (e.at("id").get<std::uint64_t>() > after_id)
			a.push_back(e);
	return a;
}

std::string Engine::metrics() const
{
	std::ostringstream o;
	o << "# HELP sriovd_sequences_total Sequences finished since start, by kind and result.\n"
	  << "# TYPE sriovd_sequences_total counter\n";
	for (const auto &[key, n] : seq_results_) {
		const auto comma = key.find(',');
		o << "sriovd_sequences_total{kind=\"" << key.substr(0, comma) << "\",result=\"" << key.substr(comma + 1)
		  << "\"} " << n << "\n";
	}
	o << "# HELP sriovd_sequence_duration_ms_sum Total wall time of finished sequences, by kind.\n"
	  << "# TYPE sriovd_sequence_duration_ms_sum counter\n";
	for (const auto &[k, ms] : seq_duration_ms_)
		o << "sriovd_sequence_duration_ms_sum{kind=\"" << k << "\"} " << ms << "\n";
	o << "# HELP sriovd_step_failures_total Failed steps, by reason code.\n"
	  << "# TYPE sriovd_step_failures_total counter\n";
	for (const auto &[r, n] : step_failures_)
		o << "sriovd_step_failures_total{reason=\"" << r << "\"} " << n << "\n";
	o << "# HELP sriovd_sequence_duration_seconds Wall time of finished sequences, by kind.\n"
	  << "# TYPE sriovd_sequence_duration_seconds histogram\n";
	for (const auto &[k, h] : seq_latency_)
		h.render(o, "sriovd_sequence_duration_seconds", "kind=\"" + k + "\"");
	o << "# HELP sriovd_steps_total Steps ended since start, by sequence kind, step and result (ok, skipped, "
	     "failed).\n"
	  << "# TYPE sriovd_steps_total counter\n";
	for (const auto &[key, n] : step_results_)
		o << "sriovd_steps_total{kind=\"" << std::get<0>(key) << "\",step=\"" << std::get<1>(key)
		  << "\",result=\"" << std::get<2>(key) << "\"} " << n << "\n";
	o << "# HELP sriovd_step_duration_seconds Time of the steps that ended, by sequence kind and step.\n"
	  << "# TYPE sriovd_step_duration_seconds histogram\n";
	for (const auto &[key, h] : step_latency_)
		h.render(o, "sriovd_step_duration_seconds", "kind=\"" + key.first + "\",step=\"" + key.second + "\"");
	o << "# HELP sriovd_autonomous_failovers_total Times sriov_pf failed a partition's VF over on its own.\n"
	  << "# TYPE sriovd_autonomous_failovers_total counter\n"
	  << "sriovd_autonomous_failovers_total " << autonomous_failovers_ << "\n"
	  << "# HELP sriovd_surprise_removals_total Times a partition's VF went away under it.\n"
	  << "# TYPE sriovd_surprise_removals_total counter\n"
	  << "sriovd_surprise_removals_total " << surprise_removals_ << "\n";
	o << "# HELP sriovd_vfs VFs per PF and state.\n# TYPE sriovd_vfs gauge\n";
	std::map<std::string, std::map<std::string, int>> per_pf;
	for (const auto &[name, pf] : model_.pfs) {
		auto &counts = per_pf[name];
		counts = {{"free", 0}, {"assigned", 0}, {"reserved", 0}, {"quarantined", 0}};
		for (const auto &s : pf.vfs)
			counts[std::string(model::to_string(s.state))]++;
		for (const auto &[st, n] : counts)
			o << "sriovd_vfs{pf=\"" << name << "\",state=\"" << st << "\"} " << n << "\n";
	}
	o << "# HELP sriovd_pool_vfs VFs in a PF's pool.\n# TYPE sriovd_pool_vfs gauge\n";
	for (const auto &[name, pf] : model_.pfs)
		o << "sriovd_pool_vfs{pf=\"" << name << "\"} " << pf.vfs.size() << "\n";
	o << "# HELP sriovd_pool_vfs_free VFs of a PF free to attach.\n# TYPE sriovd_pool_vfs_free gauge\n";
	for (const auto &[name, counts] : per_pf)
		o << "sriovd_pool_vfs_free{pf=\"" << name << "\"} " << counts.at("free") << "\n";
	o << "# HELP sriovd_pool_vfs_allocated VFs of a PF held by partitions (assigned or reserved for a "
	     "migration).\n# TYPE sriovd_pool_vfs_allocated gauge\n";
	for (const auto &[name, counts] : per_pf)
		o << "sriovd_pool_vfs_allocated{pf=\"" << name << "\"} " << counts.at("assigned") + counts.at("reserved")
		  << "\n";
	o << "# HELP sriovd_journal_bytes Size of the last journal commit (a record, or a snapshot).\n"
	  << "# TYPE sriovd_journal_bytes gauge\n"
	  << "sriovd_journal_bytes " << store_.last_bytes() << "\n"
	  << "# HELP sriovd_journal_written_bytes_total Bytes written by journal commits since start.\n"
	  << "# TYPE sriovd_journal_written_bytes_total counter\n"
	  << "sriovd_journal_written_bytes_total " << store_.bytes_written() << "\n"
	  << "# HELP sriovd_journal_snapshot_bytes Size of the journal's snapshot.\n"
	  << "# TYPE sriovd_journal_snapshot_bytes gauge\n"
	  << "sriovd_journal_snapshot_bytes " << store_.snapshot_bytes() << "\n"
	  << "# HELP sriovd_journal_log_bytes Size of the journal's log of records after the snapshot.\n"
	  << "# TYPE sriovd_journal_log_bytes gauge\n"
	  << "sriovd_journal_log_bytes " << store_.log_bytes() << "\n"
	  << "# HELP sriovd_journal_snapshots_total Journal snapshots (start, compaction, teardown-all) since start.\n"
	  << "# TYPE sriovd_journal_snapshots_total counter\n"
	  << "sriovd_journal_snapshots_total " << store_.snapshots() << "\n"
	  << "# HELP sriovd_journal_write_seconds_sum Time spent committing the journal since start.\n"
	  << "# TYPE sriovd_journal_write_seconds_sum counter\n"
	  << "sriovd_journal_write_seconds_sum " << std::to_string(static_cast<double>(store_.write_ns_sum()) / 1e9) << "\n"
	  << "# HELP sriovd_journal_write_seconds_max Longest journal commit since start.\n"
	  << "# TYPE sriovd_journal_write_seconds_max gauge\n"
	  << "sriovd_journal_write_seconds_max " << std::to_string(static_cast<double>(store_.write_ns_max()) / 1e9) << "\n";
	o << "# HELP sriovd_partitions Child partitions known.\n# TYPE sriovd_partitions gauge\n"
	  << "sriovd_partitions " << model_.partitions.size() << "\n"
	  << "# HELP sriovd_sequences_active Sequences in flight.\n# TYPE sriovd_sequences_active gauge\n"
	  << "sriovd_sequences_active " << active_.size() << "\n"
	  << "# HELP sriovd_journal_commits_total Journal commits since start.\n"
	  << "# TYPE sriovd_journal_commits_total counter\n"
	  << "sriovd_journal_commits_total " << store_.commits() << "\n";
	return o.str();
}

std::vector<std::string> Engine::audit() const
{
	// One dump of each kind, then lookups: O(n log n) in the partitions.
	std::vector<std::string> out;
	for (const auto &[id, r] : active_)
		if (r.parked)
			out.push_back("sequence " + std::to_string(id) + " (" + std::string(to_string(r.kind)) + " of " +
				      r.partition + ") is parked after " + std::to_string(r.restarts) +
				      " daemon restarts in a row: sriovctl sequence resume|discard " + std::to_string(id));
	auto &k = kernel_;
	const auto kpfs = k.pfs();
	auto kpf = [&](const std::string &name) -> const PfInfo * {
		for (const auto &p : kpfs)
			if (p.name == name)
				return &p;
		return nullptr;
	};
	// the model's side, indexed
	std::map<Filter, const model::Partition *> owner_of;
	std::set<std::tuple<std::string, std::uint32_t, std::uint32_t>> assigned_vports; // pf, VPort, VF
	for (const auto &[n, p] : model_.partitions) {
		for (const auto &f : p.filters())
			owner_of[f] = &p;
		if (p.vf && p.vf->vport)
			assigned_vports.insert({p.vf->pf, p.vf->vport->value, p.vf->vf.value});
	}
	std::map<Filter, std::size_t> kernel_filter_count; // over every PF
	for (const auto &[pf_name, pf] : model_.pfs) {
		const PfInfo *pfinfo = kpf(pf_name);
		if (pfinfo == nullptr) {
			// a PF known to be gone (driver unbound, unplugged) is
			// consistent once none of its VFs is in use any more
			if (!pfs_gone_.contains(pf_name))
				out.push_back("PF " + pf_name + " missing in kernel");
			else if (std::any_of(pf.vfs.begin(), pf.vfs.end(),
					     [](const model::VfSlot &v) { return v.state != VfState::free; }))
				out.push_back("PF " + pf_name + " is gone but VFs of it are in use in the model");
			continue;
		}
		const auto kvfs = k.vfs(pf_name);
		const auto kvports = k.vports(pf_name);
		const auto kfilters = k.filters(pf_name);
		for (const auto &v : kvfs) {
			if (v.index.value >= pf.vfs.size()) {
				out.push_back(pf_name + " VF " + std::to_string(v.index.value) + " beyond the model's pool");
				continue;
			}
			const auto &slot = pf.vfs[v.index.value];
			const bool model_alloc = slot.state == VfState::assigned || slot.state == VfState::reserved;
			if (v.allocated != model_alloc)
				out.push_back(pf_name + " VF " + std::to_string(v.index.value) + ": kernel allocated=" +
					      (v.allocated ? "yes" : "no") + ", model " +
					      std::string(model::to_string(slot.state)));
		}
		// a VF the model holds beyond the kernel's pool (sriov_numvfs
		// lowered) is one it has not let go of
		for (std::size_t i = pfinfo->num_vfs; i < pf.vfs.size(); ++i)
			if (pf.vfs[i].state != VfState::free)
				out.push_back(pf_name + " VF " + std::to_string(i) + ": gone from the kernel's pool, model " +
					      std::string(model::to_string(pf.vfs[i].state)));
		// every non-default VPort belongs to exactly one assignment
		for (const auto &vp : kvports)
			if (vp.vf && !assigned_vports.contains({pf_name, vp.id.value, vp.vf->value}))
				out.push_back(pf_name + " VPort " + std::to_string(vp.id.value) + " unknown to the model");
		// (VPort, MAC) pairs a partition owns on this switch
		std::set<std::pair<std::uint32_t, MacAddr>> owned_pairs;
		for (const auto &g : kfilters) {
			++kernel_filter_count[g.filter];
			if (owner_of.contains(g.filter))
				owned_pairs.insert({g.vport.value, g.filter.mac});
		}
		// every filter belongs to a partition and sits where the model says
		for (const auto &f : kfilters) {
			const auto o = owner_of.find(f.filter);
			if (o == owner_of.end()) {
				// A backend that keeps MAC and VLAN filters apart reports
				// every (MAC, VLAN) pairing of a VPort; one that a partition
				// does not own is fine beside the pairing it does own there.
				if (!owned_pairs.contains({f.vport.value, f.filter.mac}))
					out.push_back(pf_name + " filter " + f.filter.mac.str() + " VLAN " +
						      std::to_string(f.filter.vlan.value) + " has no owner");
				continue;
			}
			const model::Partition *owner = o->second;
			VportId want = pfinfo->default_vport;
			if (owner->vf && owner->vf->pf == pf_name && owner->vf->filters_on_vf && owner->vf->vport)
				want = *owner->vf->vport;
			if (f.vport != want || (owner->pf != pf_name && !(owner->vf && owner->vf->pf == pf_name)))
				out.push_back(pf_name + " filter " + f.filter.mac.str() + " on VPort " +
					      std::to_string(f.vport.value) + ", model expects " +
					      std::to_string(want.value));
		}
	}
	std::map<std::string, AdapterInfo> kadapters;
	for (auto &a : k.adapters())
		kadapters[a.partition] = std::move(a);
	for (const auto &[n, p] : model_.partitions) {
		const auto it = kadapters.find(n);
		const AdapterInfo *ad = it == kadapters.end() ? nullptr : &it->second;
		if ((ad != nullptr) != p.adapter) {
			out.push_back("partition " + n + ": adapter present=" + (ad != nullptr ? "yes" : "no"));
			continue;
		}
		if (ad == nullptr) {
			// outside a sequence every partition has its adapter: one
			// without failed to be made (again, after a reboot)
			if (!busy(n))
				out.push_back("partition " + n + ": no adapter (its creation failed: remove and add it again)");
			continue;
		}
		// (a PF that is gone leaves its bridge without an uplink)
		if (ad->pf != p.pf && !(ad->pf.empty() && pfs_gone_.contains(p.pf)))
			out.push_back("partition " + n + ": synthetic port on " + ad->pf + ", model " + p.pf);
		if (ad->serial != p.serial)
			out.push_back("partition " + n + ": adapter serial " + std::to_string(ad->serial) + ", model " +
				      std::to_string(p.serial));
		if (!ad->port_locked)
			out.push_back("partition " + n + ": switch port " + ad->host_port + " is not locked");
		// broadcast/multicast reach the child once: through the VF's pool
		// while its filters are there, else through the synthetic switch
		const bool on_vf = p.vf && p.vf->filters_on_vf;
		if (ad->flood == on_vf)
			out.push_back("partition " + n + ": switch port " + ad->host_port + " floods broadcast/multicast " +
				      (ad->flood ? "on" : "off") + " with the filters on the " +
				      (on_vf ? "VF's VPort" : "default VPort"));
		const Datapath want = p.vf ? p.vf->datapath : Datapath::synthetic;
		// a down adapter transmits on nothing and reports synthetic
		if (ad->datapath != want && !(want == Datapath::vf && !ad->up))
			out.push_back("partition " + n + ": datapath " + std::string(to_string(ad->datapath)));
		std::size_t nfilters = 0;
		for (const auto &f : p.filters())
			if (auto c = kernel_filter_count.find(f); c != kernel_filter_count.end())
				nfilters += c->second;
		// sriov_numvfs=0: the PF has no NIC switch, and no filters
		const PfInfo *ppf = kpf(p.pf);
		const bool has_switch = ppf != nullptr && ppf->num_vfs != 0;
		if (nfilters != (p.adapter_filter && has_switch ? p.filters().size() : 0))
			out.push_back("partition " + n + ": " + std::to_string(nfilters) + " filter(s) in kernel");
		if (p.vf) {
			auto v = k.vf(p.vf->pf, p.vf->vf);
			const bool in_child = v && !v->netdev.empty() && v->netns == p.netns;
			if (in_child != p.vf->in_child)
				out.push_back("partition " + n + ": VF netdev in child=" + (in_child ? "yes" : "no"));
		}
	}
	for (const auto &[name, a] : kadapters)
		if (!model_.partitions.contains(name))
			out.push_back("adapter " + name + " unknown to the model");
	if (auto g = k.guard_state(); !g.ok())
		out.push_back("switch guard: " + g.status.msg);
	else if (*g.value != wanted_guard())
		out.emplace_back("switch guard: the kernel's rules are not the model's");
	return out;
}

} // namespace sriov::seq
