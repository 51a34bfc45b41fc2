// SPDX-License-Identifier: GPL-2.0
// Recovery at start: the journal read back, the PFs, serials, port locks
// and orphans reconciled with the kernel
#include "seq/engine.hpp"

#include "common/log.hpp"
#include "seq/state_doc.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

namespace sriov::seq {

using json = nlohmann::json;
using model::VfState;

void Engine::sync_pfs()
{
	const auto kpfs = kernel_.pfs();
	// a PF the kernel no longer lists keeps only the slots still in use
	// (their release runs): none of its VFs is handed out
	for (auto &[name, pf] : model_.pfs) {
		const std::string &n = name; // a lambda captures no structured binding (clang 14)
		if (std::none_of(kpfs.begin(), kpfs.end(), [&](const PfInfo &k) { return k.name == n; }))
			while (!pf.vfs.empty() && pf.vfs.back().state == VfState::free)
				pf.vfs.pop_back();
	}
	for (const auto &k : kpfs) {
		auto &pf = model_.pfs[k.name];
		pf.name = k.name;
		pf.netdev = k.netdev;
		// Grow to sriov_numvfs; shrink only over free slots.
		while (pf.vfs.size() < k.num_vfs)
			pf.vfs.push_back({});
		while (pf.vfs.size() > k.num_vfs && pf.vfs.back().state == VfState::free)
			pf.vfs.pop_back();
	}
}

void Engine::recover()
{
	// the first commit after a start is a snapshot (it also cuts off a
	// torn record the crash left at the end of the log)
	touch_all();
	std::optional<LoadedState> loaded;
	if (auto doc = store_.load())
		loaded = parse_state(std::move(*doc)); // both throw store::JournalError
	if (loaded) {
		model_ = std::move(loaded->model);
		next_seq_ = loaded->next_seq;
		next_event_ = loaded->next_event;
		for (auto &e : loaded->events)
			events_.push_back(std::move(e));
		for (auto &r : loaded->sequences) {
			const auto id = r.id;
			active_[id] = std::move(r);
		}
		journal_boot_id_ = loaded->boot_id;
	}
	std::optional<json> ev;
	try {
		ev = events_store_.load();
	} catch (const store::JournalError &e) {
		// the ring is a record for people, not recovery state
		log::error(0, "event ring ", events_store_.path(), " unusable, starting it empty: ", e.what());
	}
	if (ev) {
		// an array in version 1, an object keyed by id since: in id order
		std::map<std::uint64_t, json> by_id;
		std::uint64_t n = 0;
		for (const auto &e : ev->at("events"))
			by_id[e.contains("id") && e.at("id").is_number_unsigned() ? e.at("id").get<std::uint64_t>() : n++] = e;
		events_.clear();
		for (auto &[id, e] : by_id)
			events_.push_back(std::move(e));
		while (events_.size() > cfg_.event_ring)
			events_.pop_front();
	}
	events_written_ = false; // the ring is written whole at the next flush
	// kernel events do not commit the journal: continue after the newest
	// event id either file knows
	for (const auto &e : events_)
		if (e.contains("id") && e.at("id").is_number_unsigned())
			next_event_ = std::max(next_event_, e.at("id").get<std::uint64_t>() + 1);
	sync_pfs();
	std::vector<json> start_events; // reboot, parked sequences
	if (rebooted())
		start_events.push_back(forget_previous_boot());
	for (auto &[id, rec] : active_) {
		rec.start_mono = clock_.mono_ms();
		if (rec.parked)
			continue; // stays as it is until resumed or discarded
		if (++rec.restarts >= cfg_.crash_limit && cfg_.crash_limit != 0) {
			// the crash-loop breaker: this sequence was in flight at
			// every one of the last crash_limit starts
			rec.parked = true;
			log::error(id, "recovery: ", to_string(rec.kind), " of ", rec.partition, " was in flight at ",
				   rec.restarts, " daemon starts in a row; parked (sriovctl sequence resume|discard ", id, ")");
			start_events.push_back({{"type", "sequence_parked"},
					      {"seq", id},
					      {"kind", std::string(to_string(rec.kind))},
					      {"partition", rec.partition},
					      {"restarts", rec.restarts},
					      {"step", rec.cursor < rec.steps.size() ? std::string(to_string(rec.steps[rec.cursor])) : "end"},
					      {"rolling_back", rec.rolling_back}});
			continue;
		}
		if (rec.step_started && !rec.phases.empty() && rec.phases.back().result.empty()) {
			rec.phases.back().result = "interrupted";
			rec.phases.back().end_ms = clock_.wall_ms();
		}
		rec.step_started = false;
		if (is_forward(rec.kind) && !rec.rolling_back) {
			log::warn(id, "recovery: ", to_string(rec.kind), " of ", rec.partition, " interrupted at step ",
				  rec.cursor, "; rolling back");
			to_rollback(rec, Reason::daemon_restart, "daemon restarted mid-sequence");
		} else {
			log::warn(id, "recovery: resuming ", to_string(rec.kind), " of ", rec.partition, " at step ",
				  rec.cursor < rec.steps.size() ? to_string(rec.steps[rec.cursor]) : "end");
		}
	}
	// what changed while the daemon was stopped: VFs gone with a pool
	// lowered or a PF unbound, a PF that registered again
	for (const auto &[n, pf] : model_.pfs)
		pfs_gone_.insert(n); // each re-joins its switch now if it left it
	resync_pool();
	reconcile_orphans();
	reconcile_serials();
	reconcile_port_locks();
	reconcile_auto_ack();
	triage_dp_requests();
	// the guard is rebuilt from the model at every start, whatever the
	// kernel holds
	if (auto st = sync_guard(true); !st.ok())
		log::error(0, "switch guard (nftables table bridge sriovd): ", st.msg);
	if (rebooted())
		start_recreates(); // journaled by this snapshot
	if (const int err = persist_all(); err != 0)
		throw store::JournalError(std::string("cannot write the journal at start: ") + std::strerror(err));
	for (auto &e : start_events)
		emit(e, false);
	flush_events();
	log::info(0, "recovered: ", model_.pfs.size(), " PF(s), ", model_.partitions.size(), " partition(s), ",
		  active_.size(), " sequence(s) in flight");
}

void Engine::reconcile_serials()
{
	// A partition from a journal that predates the identity gets one: the
	// serial its VF already carries, else a fresh sequence id.  An adapter
	// without its identity (created before, or by hand) gets it now, set
	// from the host side.
	for (auto &[name, p] : model_.partitions) {
		if (p.serial == 0) {
			p.serial = p.vf && p.vf->serial != 0 ? p.vf->serial : next_seq_++;
			touch(name);
		}
		if (!p.adapter)
			continue;
		auto ad = kernel_.adapter(name);
		if (!ad || ad->serial == p.serial)
			continue;
		if (auto st = kernel_.adapter_set_serial(name, p.serial); !st.ok())
			log::error(0, "partition ", name, ": cannot give its adapter serial ", p.serial, ": ", st.msg);
		else
			log::info(0, "partition ", name, ": adapter serial ", ad->serial, " -> ", p.serial);
	}
}

void Engine::reconcile_port_locks()
{
	for (const auto &[name, p] : model_.partitions) {
		if (!p.adapter)
			continue;
		auto ad = kernel_.adapter(name);
		if (!ad || ad->port_locked)
			continue;
		if (auto st = kernel_.adapter_lock_port(name, p.mac); !st.ok())
			log::error(0, "partition ", name, ": cannot lock its switch port: ", st.msg);
		else
			log::warn(0, "partition ", name, ": switch port ", ad->host_port, " was not locked; locked");
	}
}

std::vector<PortGuard> Engine::wanted_guard() const
{
	// every partition of the model, adapter or not: the rules match the
	// port by name, so they are in place before the port exists
	std::vector<PortGuard> g;
	for (const auto &[name, p] : model_.partitions)
		g.push_back({.partition = name, .mac = p.mac, .ips = p.ips});
	return g;
}

Status Engine::sync_guard(bool force)
{
	if (!force && !guard_stale_) {
		// per partition: those that went lose their rules
		for (auto it = guard_gone_.begin(); it != guard_gone_.end(); it = guard_gone_.erase(it)) {
			if (model_.partitions.contains(*it) || !guard_installed_.contains(*it))
				continue;
			if (auto st = kernel_.guard_del(*it); !st.ok()) {
				guard_stale_ = true; // installed whole at the next change
				guard_gone_.clear();
				return st;
			}
			guard_installed_.erase(*it);
		}
		return Status::success();
	}
	const bool changed = !guard_gone_.empty();
	guard_gone_.clear();
	if (!force && !changed)
		return Status::success();
	auto want = wanted_guard();
	// a set that failed is tried again when it changes or at the next
	// start, not at every pump (the audit reports the difference)
	if (!force && guard_failed_ && *guard_failed_ == want)
		return Status::success();
	auto st = kernel_.guard_apply(want);
	guard_installed_.clear();
	if (st.ok()) {
		for (auto &g : want)
			guard_installed_[g.partition] = std::move(g);
		guard_stale_ = false;
		guard_failed_.reset();
	} else {
		guard_stale_ = true;
		guard_failed_ = std::move(want);
	}
	return st;
}

Status Engine::guard_add(const model::Partition &p)
{
	if (!guard_stale_) {
		const PortGuard g{.partition = p.name, .mac = p.mac, .ips = p.ips};
		auto st = kernel_.guard_set(g);
		if (st.ok()) {
			guard_installed_[p.name] = g;
			return st;
		}
		log::warn(0, "switch guard: adding the rules of ", p.name, ": ", st.msg, "; installing the whole table");
		guard_stale_ = true;
	}
	return sync_guard(true);
}

void Engine::reconcile_orphans()
{
	// VFs the kernel has allocated that neither the model nor an in-flight
	// sequence knows about: cleaned up in the failover order.
	for (const auto &[pf_name, pf] : model_.pfs) {
		for (const auto &vf : kernel_.vfs(pf_name)) {
			if (!vf.allocated || vf.index.value >= pf.vfs.size())
				continue;
			const auto *slot = &pf.vfs[vf.index.value];
			if (slot->state == VfState::assigned || slot->state == VfState::reserved)
				continue;
			bool referenced = false;
			for (const auto &[id, r] : active_)
				referenced |= (r.pf == pf_name && r.vf == vf.index.value) ||
					      (r.dest_pf == pf_name && r.dest_vf == vf.index.value);
			if (referenced)
				continue;
			log::warn(0, "orphan VF ", vf.index.value, " on ", pf_name, ": releasing");
			auto pfinfo = kernel_.pf(pf_name);
			for (const auto &vp : kernel_.vports(pf_name)) {
				if (!vp.vf || *vp.vf != vf.index || !pfinfo)
					continue;
				std::vector<Filter> fl;
				for (const auto &f : kernel_.filters(pf_name))
					if (f.vport == vp.id)
						fl.push_back(f.filter);
				if (!fl.empty())
					kernel_.filters_move(pf_name, vp.id, pfinfo->default_vport, fl);
				kernel_.vport_delete(pf_name, vp.id);
			}
			if (!vf.netns.empty() && vf.ifindex != 0)
				kernel_.netdev_move(vf.netns, vf.ifindex, "");
			kernel_.vf_reset(pf_name, vf.index);
			if (auto st = kernel_.vf_free(pf_name, vf.index); !st.ok())
				log::error(0, "orphan VF ", vf.index.value, ": free failed: ", st.msg);
		}
	}
}

void Engine::reconcile_auto_ack()
{
	for (const auto &[name, p] : model_.partitions) {
		if (!p.adapter)
			continue;
		auto ad = kernel_.adapter(name);
		if (!ad || !ad->auto_ack)
			continue;
		if (auto st = kernel_.adapter_set_auto_ack(name, false); !st.ok())
			log::error(0, "partition ", name, ": cannot turn AUTO_ACK off: ", st.msg);
		else
			log::warn(0, "partition ", name, ": adapter acknowledged data-path requests itself; AUTO_ACK off");
	}
}


} // namespace sriov::seq
