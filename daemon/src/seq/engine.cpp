// SPDX-License-Identifier: GPL-2.0
#include "seq/engine.hpp"

#include "common/log.hpp"
#include "seq/arbiter.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <sstream>

namespace sriov::seq {

using json = nlohmann::json;
using model::VfState;

namespace {

bool valid_name(const std::string &s)
{
	constexpr std::size_t max_len = 32;
	if (s.empty() || s.size() > max_len)
		return false;
	return std::all_of(s.begin(), s.end(), [](char c) {
		return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
	});
}

StartResult refuse(Reason r, std::string detail)
{
	return {.seq = 0, .reason = r, .detail = std::move(detail), .queued = false};
}

std::string phase_result(const StepResult &r)
{
	switch (r.kind) {
	case StepResult::Kind::done:
		return "ok";
	case StepResult::Kind::skipped:
		return "skipped";
	case StepResult::Kind::fail:
		return "failed: " + std::string(to_string(r.reason));
	case StepResult::Kind::wait:
		break;
	}
	return "";
}

} // namespace

Engine::Engine(KernelApi &kernel, store::StateStore &store, Clock &clock, EngineConfig cfg)
	: kernel_(kernel), store_(store),
	  // the event ring is a record for people, not recovery state: atomic
	  // (rename) but not fsync'd; see daemon.rst "Journal and recovery"
	  events_store_(store.path().empty() ? "" : store.path() + ".events", false),
	  clock_(clock), cfg_(cfg)
{
}

void Engine::persist()
{
	json seqs = json::array();
	for (const auto &[id, r] : active_)
		seqs.push_back(to_json(r));
	json doc{{"version", store::schema_version},
		 {"next_seq", next_seq_},
		 {"next_event", next_event_},
		 {"model", model::to_json(model_)},
		 {"sequences", seqs}};
	if (const int err = store_.save(doc); err != 0)
		log::error(0, "journal write to ", store_.path(), " failed: errno ", err);
}

void Engine::persist_events()
{
	const json doc{{"version", store::schema_version}, {"events", json(events_)}};
	if (const int err = events_store_.save(doc); err != 0)
		log::error(0, "event log write to ", events_store_.path(), " failed: errno ", err);
}

void Engine::sync_pfs()
{
	const auto kpfs = kernel_.pfs();
	// a PF the kernel no longer lists keeps only the slots still in use
	// (their release runs): none of its VFs is handed out
	for (auto &[n, pf] : model_.pfs)
		if (std::none_of(kpfs.begin(), kpfs.end(), [&](const PfInfo &k) { return k.name == n; }))
			while (!pf.vfs.empty() && pf.vfs.back().state == VfState::free)
				pf.vfs.pop_back();
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
	if (auto doc = store_.load()) {
		model_ = model::model_from_json(doc->at("model"));
		next_seq_ = doc->at("next_seq").get<std::uint64_t>();
		next_event_ = doc->at("next_event").get<std::uint64_t>();
		if (doc->contains("events")) // journals written before the split
			for (const auto &e : doc->at("events"))
				events_.push_back(e);
		for (const auto &jr : doc->at("sequences")) {
			Record r = record_from_json(jr);
			active_[r.id] = std::move(r);
		}
	}
	if (auto ev = events_store_.load()) {
		events_.clear();
		for (const auto &e : ev->at("events"))
			events_.push_back(e);
	}
	// kernel events do not commit the journal: continue after the newest
	// event id either file knows
	for (const auto &e : events_)
		if (e.contains("id") && e.at("id").is_number_unsigned())
			next_event_ = std::max(next_event_, e.at("id").get<std::uint64_t>() + 1);
	sync_pfs();
	for (auto &[id, rec] : active_) {
		rec.start_mono = clock_.mono_ms();
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
	persist();
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
		if (p.serial == 0)
			p.serial = p.vf && p.vf->serial != 0 ? p.vf->serial : next_seq_++;
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
	auto want = wanted_guard();
	if (!force && guard_installed_ && *guard_installed_ == want)
		return Status::success();
	// a set that failed is tried again when it changes or at the next
	// start, not at every pump (the audit reports the difference)
	if (!force && guard_failed_ && *guard_failed_ == want)
		return Status::success();
	auto st = kernel_.guard_apply(want);
	if (st.ok()) {
		guard_installed_ = std::move(want);
		guard_failed_.reset();
	} else {
		guard_installed_.reset(); // unknown: installed again when next asked
		guard_failed_ = std::move(want);
	}
	return st;
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

Record &Engine::begin(Kind kind, const std::string &partition, Reason cause, DoneFn done)
{
	const std::uint64_t id = next_seq_++;
	Record &r = active_[id];
	r.id = id;
	r.kind = kind;
	r.partition = partition;
	r.cause = cause;
	r.start_ms = clock_.wall_ms();
	r.start_mono = clock_.mono_ms();
	if (done)
		waiters_[id].push_back(std::move(done));
	log::info(id, to_string(kind), " of ", partition, " started (cause ", to_string(cause), ")");
	return r;
}

void Engine::to_rollback(Record &rec, Reason why, const std::string &detail)
{
	rec.failure = why;
	rec.failure_detail = detail;
	rec.rolling_back = true;
	rec.steps = rollback_steps(rec);
	rec.cursor = 0;
	rec.step_started = false;
	rec.wait_deadline = 0;
	rec.substate = 0;
	log::warn(rec.id, to_string(rec.kind), " of ", rec.partition, " rolling back: ", to_string(why), ": ", detail);
}

std::vector<Step> Engine::rollback_steps(const Record &rec)
{
	std::vector<Step> s;
	switch (rec.kind) {
	case Kind::adapter_create:
		return adapter_rollback_steps();
	case Kind::attach:
		return release_steps();
	case Kind::migrate_prepare:
		s = release_steps();
		s.push_back(Step::reservation_release);
		return s;
	case Kind::migrate_complete:
		s = release_steps();
		s.push_back(Step::reservation_release);
		s.push_back(Step::switch_back);
		return s;
	default:
		return release_steps();
	}
}

void Engine::begin_step(Record &rec)
{
	// Journal first: after a crash we know this step may have acted.
	const Step step = rec.steps[rec.cursor];
	rec.step_started = true;
	rec.phases.push_back({.step = step, .start_ms = clock_.wall_ms(), .end_ms = 0, .result = {},
			      .detail = rec.rolling_back ? "rollback" : ""});
	persist();
	if (crash_hook)
		crash_hook(rec, step, false);
}

void Engine::advance(Record &rec)
{
	while (!rec.done()) {
		const Step step = rec.steps[rec.cursor];
		if (!rec.step_started)
			begin_step(rec);
		const bool timed_out = rec.wait_deadline != 0 && clock_.mono_ms() >= rec.wait_deadline;
		const auto going = pool_going_.find(rec.pf);
		StepCtx ctx{.kernel = kernel_, .model = model_, .timeouts = cfg_.timeouts, .rec = rec,
			    .timed_out = timed_out,
			    .pool_going = going != pool_going_.end() && clock_.mono_ms() < going->second};
		const StepResult r = run_step(ctx, step);
		if (r.kind == StepResult::Kind::wait) {
			if (rec.wait_deadline == 0)
				rec.wait_deadline = clock_.mono_ms() + r.wait_ms;
			return;
		}
		if (crash_hook && r.kind != StepResult::Kind::fail)
			crash_hook(rec, step, true);
		rec.wait_deadline = 0;
		rec.substate = 0;
		Phase &ph = rec.phases.back();
		ph.end_ms = clock_.wall_ms();
		ph.result = phase_result(r);
		if (!r.detail.empty())
			ph.detail = ph.detail.empty() ? r.detail : ph.detail + "; " + r.detail;
		log::info(rec.id, "step ", to_string(step), ": ", ph.result, " in ", ph.end_ms - ph.start_ms, " ms",
			  r.detail.empty() ? "" : " (" + r.detail + ")");
		if (r.kind == StepResult::Kind::fail) {
			++step_failures_[std::string(to_string(r.reason))];
			if (is_forward(rec.kind) && !rec.rolling_back) {
				to_rollback(rec, r.reason, r.detail);
				continue; // begin_step() or finish() commits the switch
			}
			if (rec.failure == Reason::ok) {
				rec.failure = r.reason;
				rec.failure_detail = r.detail;
			}
			finish(rec, "failed");
			return;
		}
		rec.cursor++;
		rec.step_started = false;
		if (rec.done())
			break; // finish() commits the record's end
		// One commit per step boundary: "step i done" and "step i+1
		// started" are the same journal point (recovery re-runs the step
		// at the cursor either way).
		begin_step(rec);
	}
	finish(rec, rec.rolling_back ? "rolled_back" : "ok");
}

void Engine::finish(Record &rec, const std::string &result)
{
	const std::int64_t end = clock_.wall_ms();
	json phases = json::array();
	for (const auto &p : rec.phases)
		phases.push_back({{"step", std::string(to_string(p.step))},
				  {"start_ms", p.start_ms},
				  {"end_ms", p.end_ms},
				  {"duration_ms", p.end_ms - p.start_ms},
				  {"result", p.result},
				  {"detail", p.detail}});
	json ev{{"type", "sequence"},
		{"seq", rec.id},
		{"kind", std::string(to_string(rec.kind))},
		{"partition", rec.partition},
		{"result", result},
		{"cause", std::string(to_string(rec.cause))},
		{"reason", std::string(to_string(rec.failure))},
		{"detail", rec.failure_detail},
		{"pf", rec.pf},
		{"vf", rec.vf ? json(*rec.vf) : json(nullptr)},
		{"start_ms", rec.start_ms},
		{"end_ms", end},
		{"duration_ms", end - rec.start_ms},
		{"phases", phases}};
	if (!rec.dest_pf.empty())
		ev["dest_pf"] = rec.dest_pf;

	if (auto *p = model_.partition(rec.partition)) {
		p->last_reason = rec.failure;
		if (rec.kind == Kind::attach || rec.kind == Kind::migrate_complete) {
			if (result == "ok") {
				p->attach_failures = 0;
			} else if (rec.failure != Reason::daemon_restart && rec.failure != Reason::surprise_removal &&
				   rec.failure != Reason::preempted) {
				// back off before the arbiter tries again
				p->attach_failures++;
				std::int64_t delay = cfg_.backoff_base_ms;
				for (std::uint32_t i = 1; i < p->attach_failures && delay < cfg_.backoff_max_ms; ++i)
					delay *= 2;
				p->hold_until_mono = clock_.mono_ms() + std::min(delay, cfg_.backoff_max_ms);
			}
		}
		if (rec.kind == Kind::migrate_complete || rec.kind == Kind::migrate_abort ||
		    (rec.kind == Kind::migrate_prepare && result != "ok"))
			p->migrating_to.clear();
		if (rec.kind == Kind::migrate_complete && result == "ok")
			ev["migrated_to"] = p->pf;
	}
	const std::string key = std::string(to_string(rec.kind)) + "," + result;
	++seq_results_[key];
	seq_duration_ms_[std::string(to_string(rec.kind))] += end - rec.start_ms;
	log::info(rec.id, to_string(rec.kind), " of ", rec.partition, " finished: ", result,
		  rec.failure != Reason::ok ? " (" + std::string(to_string(rec.failure)) + ")" : "", " in ",
		  end - rec.start_ms, " ms");

	const std::uint64_t id = rec.id;
	const Kind kind = rec.kind;
	const std::string partition = rec.partition;
	active_.erase(id);
	emit(ev); // persists; adds id and time_ms, which the waiters see too
	auto it = waiters_.find(id);
	if (it != waiters_.end()) {
		auto fns = std::move(it->second);
		waiters_.erase(it);
		for (auto &fn : fns)
			fn(ev);
	}
	// A VF that came back but cannot take the data path (no carrier, its
	// VPort gone) is released as if it had gone away; the arbiter attaches
	// a fresh one.
	if (kind == Kind::failback && result != "ok" && !stopping_)
		if (auto *p = model_.partition(partition); p != nullptr && p->vf && !busy(partition))
			start_release(*p, Kind::surprise, Reason::kernel_failover, nullptr);
}

void Engine::emit(json &ev, bool commit)
{
	ev["id"] = next_event_++;
	if (!ev.contains("time_ms"))
		ev["time_ms"] = clock_.wall_ms();
	events_.push_back(ev);
	while (events_.size() > cfg_.event_ring)
		events_.pop_front();
	events_dirty_ = true;
	if (commit) {
		flush_events();
		persist();
	}
	if (on_event)
		on_event(ev);
}

void Engine::flush_events()
{
	if (!events_dirty_)
		return;
	events_dirty_ = false;
	persist_events();
}

bool Engine::busy(const std::string &partition) const
{
	return std::any_of(active_.begin(), active_.end(),
			   [&](const auto &kv) { return kv.second.partition == partition; });
}

void Engine::pump()
{
	if (pumping_)
		return;
	pumping_ = true;
	try {
		bool progressed = true;
		while (progressed) {
			progressed = false;
			std::vector<std::uint64_t> ids;
			for (const auto &[id, r] : active_)
				ids.push_back(id);
			for (auto id : ids) {
				auto it = active_.find(id);
				if (it == active_.end())
					continue;
				advance(it->second);
				if (!active_.contains(id))
					progressed = true;
			}
			const std::size_t before = active_.size();
			arbitrate_and_start();
			if (active_.size() != before)
				progressed = true;
		}
		// a partition that went (partition_forget, a rolled-back add)
		// loses its rules
		if (auto st = sync_guard(); !st.ok())
			log::error(0, "switch guard (nftables table bridge sriovd): ", st.msg);
	} catch (...) {
		pumping_ = false;
		throw;
	}
	pumping_ = false;
}

void Engine::arbitrate_and_start()
{
	if (stopping_ || resyncing_)
		return;
	// a grown pool whose VFs all have their driver (or whose wait ran
	// out) is done waiting, whether or not a partition wants a VF now
	std::vector<std::string> waiting;
	for (const auto &[pf, deadline] : pool_wait_)
		waiting.push_back(pf);
	for (const auto &pf : waiting)
		(void)pool_ready(pf);
	std::set<std::string> busy_set;
	for (const auto &[id, r] : active_)
		busy_set.insert(r.partition);
	const auto d = arbitrate(model_, busy_set, clock_.mono_ms());
	for (const auto &name : d.preempt)
		if (auto *p = model_.partition(name); p != nullptr && p->vf)
			start_release(*p, Kind::failover, Reason::preempted, nullptr);
	for (const auto &name : d.attach)
		if (auto *p = model_.partition(name);
		    p != nullptr && !p->vf && model_.free_vf(p->pf) && pool_ready(p->pf))
			start_attach(*p, Reason::ok, nullptr);
}

bool Engine::pool_ready(const std::string &pf)
{
	auto it = pool_wait_.find(pf);
	if (it == pool_wait_.end())
		return true;
	const auto *mpf = model_.pf(pf);
	const auto kvfs = kernel_.vfs(pf);
	bool ready = mpf != nullptr && kvfs.size() >= mpf->vfs.size();
	for (const auto &v : kvfs)
		ready = ready && !v.netdev.empty();
	if (!ready && clock_.mono_ms() < it->second)
		return false;
	if (ready)
		log::info(0, "PF ", pf, ": every VF of the pool has its driver bound");
	else
		log::warn(0, "PF ", pf, ": VFs of the pool without a driver after ", cfg_.timeouts.vf_back_ms,
			  " ms; attaching anyway");
	pool_wait_.erase(it);
	return true;
}

std::optional<std::int64_t> Engine::next_wakeup_mono() const
{
	// Waits are woken by kernel notifications (the event fd); the poll is
	// the fallback for what is not announced.
	constexpr std::int64_t poll_ms = 25;
	std::optional<std::int64_t> t;
	auto consider = [&](std::int64_t v) { t = t ? std::min(*t, v) : v; };
	for (const auto &[id, r] : active_)
		if (r.wait_deadline != 0)
			consider(std::min(r.wait_deadline, clock_.mono_ms() + poll_ms));
	if (!pool_wait_.empty() && !stopping_)
		consider(clock_.mono_ms() + poll_ms);
	if (!stopping_)
		for (const auto &[name, p] : model_.partitions)
			if (p.want_vf && !p.vf && p.hold_until_mono > clock_.mono_ms())
				consider(p.hold_until_mono);
	return t;
}

// ---------------------------------------------------------------- commands

StartResult Engine::start_attach(model::Partition &p, Reason cause, DoneFn done)
{
	auto vf = model_.free_vf(p.pf);
	if (!vf)
		return refuse(Reason::no_vf_available, "no free VF on " + p.pf);
	Record &r = begin(Kind::attach, p.name, cause, std::move(done));
	r.pf = p.pf;
	r.vf = vf->value;
	r.steps = attach_steps();
	auto *slot = model_.slot(p.pf, *vf);
	slot->state = VfState::assigned;
	slot->partition = p.name;
	p.vf = model::Assignment{.pf = p.pf, .vf = *vf, .serial = p.serial != 0 ? p.serial : r.id};
	const std::uint64_t id = r.id;
	// The VF choice is journaled before any step acts, with the first
	// step's start (begin_step, in this pump or the one running): one
	// commit, not two.  A crash before it leaves nothing to undo.
	pump();
	return {.seq = id, .reason = Reason::ok, .detail = {}, .queued = false};
}

StartResult Engine::start_release(model::Partition &p, Kind kind, Reason cause, DoneFn done)
{
	Record &r = begin(kind, p.name, cause, std::move(done));
	if (p.vf) {
		r.pf = p.vf->pf;
		r.vf = p.vf->vf.value;
	}
	r.steps = release_steps();
	if (kind == Kind::teardown) {
		if (p.reservation) {
			r.dest_pf = p.reservation->pf;
			r.dest_vf = p.reservation->vf.value;
		}
		r.steps.push_back(Step::reservation_release);
		for (auto s : adapter_rollback_steps())
			r.steps.push_back(s);
	}
	const std::uint64_t id = r.id;
	persist();
	pump();
	return {.seq = id, .reason = Reason::ok, .detail = {}, .queued = false};
}

StartResult Engine::add_partition(const PartitionSpec &spec, DoneFn done)
{
	if (!valid_name(spec.name))
		return refuse(Reason::bad_request, "partition names are 1-32 characters [A-Za-z0-9._-]");
	if (!valid_name(spec.netns))
		return refuse(Reason::bad_request, "netns names are 1-32 characters [A-Za-z0-9._-]");
	if (model_.partition(spec.name) != nullptr)
		return refuse(Reason::partition_exists, "partition " + spec.name + " exists");
	if (model_.pf(spec.pf) == nullptr)
		return refuse(Reason::unknown_pf, "no PF " + spec.pf + " (see `sriovctl status`)");
	if (!spec.mac.is_unicast() || spec.mac.is_zero())
		return refuse(Reason::bad_request, "the adapter MAC must be a non-zero unicast address");
	constexpr std::uint16_t vlan_max = 4094;
	if (spec.vlan.value > vlan_max)
		return refuse(Reason::bad_request, "VLAN must be 0..4094");
	for (const auto &[n, p] : model_.partitions)
		if (p.mac == spec.mac)
			return refuse(Reason::bad_request, "MAC " + spec.mac.str() + " is used by partition " + n);
	model::Partition p;
	p.name = spec.name;
	p.netns = spec.netns;
	p.pf = spec.pf;
	p.mac = spec.mac;
	p.vlan = spec.vlan;
	p.weight = spec.weight;
	for (const auto &ip : spec.ips) {
		auto c = canonical_ip(ip);
		if (!c || *c != ip)
			return refuse(Reason::bad_request, "\"" + ip + "\" is not a canonical IPv4 or IPv6 address");
		if (std::count(spec.ips.begin(), spec.ips.end(), ip) != 1)
			return refuse(Reason::bad_request, "address " + ip + " given twice");
		for (const auto &[n, other] : model_.partitions)
			if (std::find(other.ips.begin(), other.ips.end(), ip) != other.ips.end())
				return refuse(Reason::bad_request, "address " + ip + " is used by partition " + n);
	}
	p.ips = spec.ips;
	model_.partitions[p.name] = p;
	// the partition's rules are on the switch before its port is
	if (auto st = sync_guard(true); !st.ok()) {
		model_.partitions.erase(p.name);
		return refuse(Reason::switch_guard_failed, "switch guard (nftables table bridge sriovd): " + st.msg);
	}
	Record &r = begin(Kind::adapter_create, spec.name, Reason::ok, std::move(done));
	model_.partitions[spec.name].serial = r.id;
	r.pf = spec.pf;
	r.steps = adapter_steps();
	const std::uint64_t id = r.id;
	persist();
	pump();
	return {.seq = id, .reason = Reason::ok, .detail = {}, .queued = false};
}

StartResult Engine::remove_partition(const std::string &name, DoneFn done)
{
	auto *p = model_.partition(name);
	if (p == nullptr)
		return refuse(Reason::unknown_partition, "no partition " + name);
	if (busy(name))
		return refuse(Reason::partition_busy, "a sequence is running on " + name + "; retry when it ends");
	p->want_vf = false;
	return start_release(*p, Kind::teardown, Reason::ok, std::move(done));
}

StartResult Engine::attach(const std::string &name, DoneFn done)
{
	auto *p = model_.partition(name);
	if (p == nullptr)
		return refuse(Reason::unknown_partition, "no partition " + name + " (see `sriovctl list`)");
	if (busy(name))
		return refuse(Reason::partition_busy, "a sequence is running on " + name + "; retry when it ends");
	if (!p->adapter)
		return refuse(Reason::invalid_state, "partition " + name + " has no adapter");
	if (!p->migrating_to.empty())
		return refuse(Reason::invalid_state, "partition " + name + " is migrating; complete or abort first");
	if (p->vf)
		return {.seq = 0, .reason = Reason::ok, .detail = "already attached", .queued = false};
	if (p->weight == 0)
		return refuse(Reason::bad_request, "partition " + name + " has weight 0 (never gets a VF); set a weight first");
	p->want_vf = true;
	p->hold_until_mono = 0;
	p->attach_failures = 0;
	if (model_.free_vf(p->pf))
		return start_attach(*p, Reason::ok, std::move(done));
	// No free VF: preempt the lowest-weight holder below us, if any.
	model::Partition *victim = nullptr;
	for (auto &[n, o] : model_.partitions)
		if (o.vf && o.vf->pf == p->pf && o.weight < p->weight && !busy(n) &&
		    (victim == nullptr || o.weight < victim->weight))
			victim = &o;
	persist();
	if (victim != nullptr) {
		const std::string vname = victim->name;
		start_release(*victim, Kind::failover, Reason::preempted, nullptr);
		return {.seq = 0, .reason = Reason::ok, .detail = "preempting " + vname + " (lower weight)", .queued = true};
	}
	return {.seq = 0,
		.reason = Reason::no_vf_available,
		.detail = "all VFs of " + p->pf + " are held by partitions of equal or higher weight; " + name +
			  " stays queued at weight " + std::to_string(p->weight),
		.queued = true};
}

StartResult Engine::detach(const std::string &name, DoneFn done)
{
	auto *p = model_.partition(name);
	if (p == nullptr)
		return refuse(Reason::unknown_partition, "no partition " + name + " (see `sriovctl list`)");
	if (busy(name))
		return refuse(Reason::partition_busy, "a sequence is running on " + name + "; retry when it ends");
	p->want_vf = false;
	if (!p->vf) {
		persist();
		return {.seq = 0, .reason = Reason::ok, .detail = "not attached", .queued = false};
	}
	return start_release(*p, Kind::failover, Reason::ok, std::move(done));
}

StartResult Engine::failover(const std::string &name, std::int64_t hold_ms, DoneFn done)
{
	auto *p = model_.partition(name);
	if (p == nullptr)
		return refuse(Reason::unknown_partition, "no partition " + name + " (see `sriovctl list`)");
	if (busy(name))
		return refuse(Reason::partition_busy, "a sequence is running on " + name + "; retry when it ends");
	if (!p->vf)
		return refuse(Reason::invalid_state, "partition " + name + " has no VF to fail over from");
	p->hold_until_mono = clock_.mono_ms() + (hold_ms >= 0 ? hold_ms : cfg_.failover_hold_ms);
	return start_release(*p, Kind::failover, Reason::ok, std::move(done));
}

StartResult Engine::migrate_prepare(const std::string &name, const std::string &dest_pf, DoneFn done)
{
	auto *p = model_.partition(name);
	if (p == nullptr)
		return refuse(Reason::unknown_partition, "no partition " + name);
	if (busy(name))
		return refuse(Reason::partition_busy, "a sequence is running on " + name + "; retry when it ends");
	if (!p->migrating_to.empty())
		return refuse(Reason::invalid_state, name + " is already migrating to " + p->migrating_to);
	if (!p->adapter)
		return refuse(Reason::invalid_state, "partition " + name + " has no adapter");
	if (model_.pf(dest_pf) == nullptr)
		return refuse(Reason::unknown_pf, "no PF " + dest_pf);
	if (dest_pf == p->pf)
		return refuse(Reason::bad_request, name + " is already on " + dest_pf);
	auto vf = model_.free_vf(dest_pf);
	if (!vf)
		return refuse(Reason::no_vf_available, "no free VF on " + dest_pf + " to reserve");
	Record &r = begin(Kind::migrate_prepare, name, Reason::ok, std::move(done));
	if (p->vf) {
		r.pf = p->vf->pf;
		r.vf = p->vf->vf.value;
		r.steps = release_steps();
	}
	r.steps.push_back(Step::vf_reserve);
	r.dest_pf = dest_pf;
	r.dest_vf = vf->value;
	r.src_pf = p->pf;
	auto *slot = model_.slot(dest_pf, *vf);
	slot->state = VfState::reserved;
	slot->partition = name;
	p->migrating_to = dest_pf;
	const std::uint64_t id = r.id;
	persist();
	pump();
	return {.seq = id, .reason = Reason::ok, .detail = {}, .queued = false};
}

StartResult Engine::migrate_complete(const std::string &name, DoneFn done)
{
	auto *p = model_.partition(name);
	if (p == nullptr)
		return refuse(Reason::unknown_partition, "no partition " + name);
	if (busy(name))
		return refuse(Reason::partition_busy, "a sequence is running on " + name + "; retry when it ends");
	if (p->migrating_to.empty() || !p->reservation)
		return refuse(Reason::invalid_state, name + " has no prepared migration (run `sriovctl migrate --prepare` first)");
	Record &r = begin(Kind::migrate_complete, name, Reason::ok, std::move(done));
	r.pf = p->reservation->pf;
	r.vf = p->reservation->vf.value;
	r.dest_pf = p->reservation->pf;
	r.dest_vf = p->reservation->vf.value;
	r.src_pf = p->pf;
	r.steps = {Step::switch_move, Step::reservation_adopt, Step::vport_create, Step::vf_to_child,
		   Step::wait_pair,   Step::filters_to_vf,     Step::datapath_vf};
	const std::uint64_t id = r.id;
	persist();
	pump();
	return {.seq = id, .reason = Reason::ok, .detail = {}, .queued = false};
}

StartResult Engine::migrate_abort(const std::string &name, DoneFn done)
{
	auto *p = model_.partition(name);
	if (p == nullptr)
		return refuse(Reason::unknown_partition, "no partition " + name);
	if (busy(name))
		return refuse(Reason::partition_busy, "a sequence is running on " + name + "; retry when it ends");
	if (p->migrating_to.empty())
		return refuse(Reason::invalid_state, name + " is not migrating");
	Record &r = begin(Kind::migrate_abort, name, Reason::ok, std::move(done));
	if (p->reservation) {
		r.dest_pf = p->reservation->pf;
		r.dest_vf = p->reservation->vf.value;
	}
	r.steps = {Step::reservation_release};
	const std::uint64_t id = r.id;
	persist();
	pump();
	return {.seq = id, .reason = Reason::ok, .detail = {}, .queued = false};
}

StartResult Engine::set_weight(const std::string &name, std::uint32_t weight)
{
	auto *p = model_.partition(name);
	if (p == nullptr)
		return refuse(Reason::unknown_partition, "no partition " + name);
	constexpr std::uint32_t weight_max = 100;
	if (weight > weight_max)
		return refuse(Reason::bad_request, "weight is 0..100");
	p->weight = weight;
	persist();
	pump();
	return {};
}

StartResult Engine::clear_quarantine(const std::string &pf, VfIndex vf)
{
	auto *slot = model_.slot(pf, vf);
	if (slot == nullptr)
		return refuse(Reason::unknown_vf, "no VF " + std::to_string(vf.value) + " on " + pf);
	if (slot->state != VfState::quarantined)
		return refuse(Reason::invalid_state, "VF is not quarantined");
	slot->state = VfState::free;
	slot->reason = Reason::ok;
	json ev{{"type", "vf_unquarantined"}, {"pf", pf}, {"vf", vf.value}};
	emit(ev);
	pump();
	return {};
}

std::size_t Engine::teardown_all()
{
	std::size_t n = 0;
	std::vector<std::string> names;
	for (const auto &[name, p] : model_.partitions)
		names.push_back(name);
	for (const auto &name : names)
		if (!busy(name) && remove_partition(name, nullptr).ok())
			++n;
	return n;
}

std::size_t Engine::release_all()
{
	stopping_ = true;
	std::size_t n = 0;
	std::vector<std::string> names;
	for (const auto &[name, p] : model_.partitions)
		if (p.vf && !busy(name))
			names.push_back(name);
	for (const auto &name : names)
		if (auto *p = model_.partition(name); p != nullptr && p->vf) {
			start_release(*p, Kind::failover, Reason::shutdown, nullptr);
			++n;
		}
	return n;
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

void Engine::begin_failback(const std::string &partition)
{
	auto *p = model_.partition(partition);
	if (p == nullptr || !p->vf)
		return;
	Record &r = begin(Kind::failback, partition, Reason::kernel_failover, nullptr);
	r.pf = p->vf->pf;
	r.vf = p->vf->vf.value;
	r.steps = failback_steps();
	persist();
}

namespace {
/// enum sriov_reset_reason (include/uapi/linux/sriov.h)
constexpr std::uint32_t reset_reason_sriov_disable = 5;
} // namespace

void Engine::on_filters_moved(const KernelEvent &ev)
{
	if (ev.pf.empty()) {
		log::warn(0, "filter-moved notification of an unknown PF ignored");
		return;
	}
	if (!ev.src_vport || !ev.dst_vport || !ev.reset_reason) {
		log::warn(0, ev.pf, ": filter-moved notification without source/destination VPort or reason ignored");
		return;
	}
	// SR-IOV disable under way: sriov_numvfs still reads the old count
	// while the VFs go; no attach on that PF until its pool is whole again
	// (pool_ready(): every VF with its driver, or the pool re-read empty)
	if (*ev.reset_reason == reset_reason_sriov_disable && model_.pf(ev.pf) != nullptr) {
		pool_wait_[ev.pf] = clock_.mono_ms() + cfg_.timeouts.vf_back_ms;
		pool_going_[ev.pf] = clock_.mono_ms() + cfg_.timeouts.vf_back_ms;
	}
	std::optional<VportId> dv;
	for (const auto &pi : kernel_.pfs())
		if (pi.name == ev.pf)
			dv = pi.default_vport;
	if (!dv) {
		log::warn(0, ev.pf, ": filter-moved notification of a PF the kernel does not list ignored");
		return;
	}
	if (*ev.dst_vport != *dv) {
		log::warn(0, ev.pf, ": filter-moved notification to VPort ", ev.dst_vport->value,
			  ", not the default VPort: ignored");
		return;
	}
	model::Partition *p = nullptr;
	for (auto &[n, q] : model_.partitions)
		if (q.vf && q.vf->pf == ev.pf && q.vf->vport == *ev.src_vport)
			p = &q;
	if (p == nullptr) {
		log::info(0, ev.pf, ": filter-moved notification from VPort ", ev.src_vport->value,
			  ", which no partition holds: ignored");
		return;
	}
	// Notifications arrive late: act only if the partition's filters are
	// on the default VPort in the kernel's dump now.
	const auto have = kernel_.filters(ev.pf);
	bool moved = true;
	for (const auto &f : p->filters()) {
		auto it = std::find_if(have.begin(), have.end(), [&](const FilterInfo &fi) { return fi.filter == f; });
		if (it == have.end() || it->vport != *dv)
			moved = false;
	}
	if (!moved) {
		log::info(0, "partition ", p->name, ": filter-moved notification (reason ", *ev.reset_reason,
			  ") is stale: its filters are not on the default VPort");
		return;
	}
	// sriov_numvfs=0: every VF goes away, nothing comes back (the pool
	// re-sync releases the partition)
	const bool pool_going = *ev.reset_reason == reset_reason_sriov_disable;
	if (p->vf->kernel_failover && !p->vf->filters_on_vf) {
		// already recorded
		if (!pool_going && !busy(p->name))
			begin_failback(p->name);
		return;
	}
	log::warn(0, "partition ", p->name, ": sriov_pf moved its filters from VPort ", ev.src_vport->value,
		  " to the default VPort (reason ", *ev.reset_reason, "); they go back when the VF is back");
	// the synthetic path carries the child's broadcast and multicast again
	if (auto st = kernel_.adapter_set_flood(p->name, true); !st.ok())
		log::warn(0, "partition ", p->name, ": ", st.msg);
	p->vf->filters_on_vf = false;
	p->vf->kernel_failover = true;
	// the adapter left the VF (it asks for synthetic when the VF goes
	// down); sriovd's model keeps it synthetic until the failback
	p->vf->datapath = Datapath::synthetic;
	json j{{"type", "kernel_failover"},
	       {"partition", p->name},
	       {"pf", ev.pf},
	       {"vf", p->vf->vf.value},
	       {"src_vport", ev.src_vport->value},
	       {"reset_reason", *ev.reset_reason}};
	emit(j); // commits the model change with the event
	// wait (bounded) for the VF to come back and pair, move the filters
	// back, acknowledge the data path; a VF that does not come back is
	// released as a surprise (finish())
	if (!pool_going && !busy(p->name))
		begin_failback(p->name);
}

void Engine::triage_dp_requests()
{
	std::vector<std::string> failback;
	for (const auto &[name, p] : model_.partitions) {
		if (!p.adapter || busy(name))
			continue;
		auto ad = kernel_.adapter(name);
		if (!ad || !ad->dp_pending)
			continue;
		std::string why;
		if (*ad->dp_pending == Datapath::synthetic) {
			// TX already left the VF (it is going down or away); the ack
			// only closes the request
			why = "VF going away: request to synthetic acknowledged";
		} else {
			bool on_vf = p.vf && p.vf->in_child && p.vf->filters_on_vf && p.vf->vport;
			if (on_vf) {
				const auto have = kernel_.filters(p.vf->pf);
				for (const auto &f : p.filters()) {
					auto it = std::find_if(have.begin(), have.end(),
							       [&](const FilterInfo &fi) { return fi.filter == f; });
					if (it == have.end() || it->vport != *p.vf->vport)
						on_vf = false;
				}
			}
			if (!on_vf && p.vf && p.vf->kernel_failover && p.vf->in_child && p.vf->vport &&
			    paired_with(*ad, kernel_.vf(p.vf->pf, p.vf->vf))) {
				// the VF is back after sriov_pf failed it over: filters
				// back to its VPort, then this request acknowledged
				log::info(0, "partition ", name, ": VF back (request ", ad->dp_seq,
					  " for the VF): moving its filters back");
				failback.push_back(name);
				continue;
			}
			if (!on_vf) {
				log::info(0, "partition ", name, ": request ", ad->dp_seq,
					  " to the VF left pending: its filters are not on the VF's VPort");
				continue;
			}
			why = "request to the VF acknowledged: filters are on the VF's VPort";
		}
		auto st = kernel_.adapter_dp_ack(name, ad->dp_seq);
		if (!st.ok() && st.err != ESTALE) {
			log::error(0, "partition ", name, ": ack of data-path request ", ad->dp_seq, ": ", st.msg);
			continue;
		}
		log::info(0, "partition ", name, ": ", why, " (seq ", ad->dp_seq, st.ok() ? ")" : ", already closed)");
		json j{{"type", "datapath_ack"},
		       {"partition", name},
		       {"seq", ad->dp_seq},
		       {"path", std::string(to_string(*ad->dp_pending))},
		       {"detail", why}};
		emit(j, false);
	}
	for (const auto &name : failback)
		begin_failback(name);
}

void Engine::vf_gone(const std::string &partition, const std::string &detail)
{
	bool handled = false;
	std::vector<std::uint64_t> failbacks;
	for (auto &[id, r] : active_) {
		if (r.partition != partition)
			continue;
		handled = true;
		if (r.kind == Kind::failback) {
			failbacks.push_back(id);
		} else if (is_forward(r.kind) && !r.rolling_back) {
			r.step_started = false;
			if (!r.phases.empty() && r.phases.back().result.empty()) {
				r.phases.back().result = "aborted";
				r.phases.back().end_ms = clock_.wall_ms();
			}
			to_rollback(r, Reason::surprise_removal, detail);
			persist();
		}
	}
	for (auto id : failbacks) {
		// the VF it waits for will not come back: finish() releases it
		Record &r = active_.at(id);
		if (!r.phases.empty() && r.phases.back().result.empty()) {
			r.phases.back().result = "aborted";
			r.phases.back().end_ms = clock_.wall_ms();
		}
		r.failure = Reason::surprise_removal;
		r.failure_detail = detail;
		finish(r, "failed");
	}
	if (!handled)
		if (auto *p = model_.partition(partition); p != nullptr && p->vf)
			start_release(*p, Kind::surprise, Reason::surprise_removal, nullptr);
}

void Engine::resync_pool()
{
	const auto kpfs = kernel_.pfs();
	auto kpf = [&](const std::string &n) {
		return std::find_if(kpfs.begin(), kpfs.end(), [&](const PfInfo &k) { return k.name == n; });
	};
	{
		// every PF of the model: one the kernel no longer lists (driver
		// unbound, hot-unplug) has lost all its VFs; a new PF is added by
		// sync_pfs() below
		for (auto &[name, mpf] : model_.pfs) {
			const auto k = kpf(name);
			const bool present = k != kpfs.end();
			const std::size_t num_vfs = present ? k->num_vfs : 0;
			if (!present && !pfs_gone_.contains(name)) {
				log::warn(0, "PF ", name, " is gone");
				pfs_gone_.insert(name);
			}
			if (num_vfs == 0)
				pool_going_.erase(name); // gone: no FLR can race its removal any more
			const std::string why = present ? "sriov_numvfs " + std::to_string(num_vfs) : "PF gone";
			for (std::size_t i = num_vfs; i < mpf.vfs.size(); ++i) {
				auto &slot = mpf.vfs[i];
				if (slot.state == VfState::quarantined) {
					// that function is gone with the pool
					slot.state = VfState::free;
					slot.partition.clear();
					continue;
				}
				if (slot.state != VfState::assigned || slot.partition.empty())
					continue;
				const std::string pname = slot.partition;
				auto *p = model_.partition(pname);
				if (p == nullptr || !p->vf || p->vf->pf != name || p->vf->vf.value != i)
					continue;
				log::warn(0, "partition ", pname, ": VF ", i, " of ", name, " left the pool (", why, ")");
				vf_gone(pname, "VF " + std::to_string(i) + " left the pool (" + why + ")");
			}
		}
	}
	// A PF that is back registered a new netdev: it joins its switch
	// again, so the synthetic path of its partitions carries traffic.
	for (auto it = pfs_gone_.begin(); it != pfs_gone_.end();) {
		if (kpf(*it) == kpfs.end()) {
			++it;
			continue;
		}
		const std::string &n = *it;
		if (std::none_of(model_.partitions.begin(), model_.partitions.end(),
				 [&](const auto &e) { return e.second.pf == n && e.second.adapter; })) {
			it = pfs_gone_.erase(it); // no synthetic path on it: no switch to join
			continue;
		}
		if (auto st = kernel_.pf_switch_sync(*it); !st.ok()) {
			log::error(0, "PF ", *it, " is back but not in its switch: ", st.msg);
			++it;
			continue;
		}
		log::info(0, "PF ", *it, " in its switch");
		it = pfs_gone_.erase(it);
	}
	const std::size_t before = model_.pfs.size();
	std::map<std::string, std::size_t> sizes;
	for (const auto &[n, pf] : model_.pfs)
		sizes[n] = pf.vfs.size();
	sync_pfs();
	bool changed = model_.pfs.size() != before;
	for (const auto &[n, pf] : model_.pfs) {
		const bool grew = !sizes.contains(n) ? !pf.vfs.empty() : sizes[n] < pf.vfs.size();
		changed |= !sizes.contains(n) || sizes[n] != pf.vfs.size();
		if (grew)
			pool_wait_[n] = clock_.mono_ms() + cfg_.timeouts.vf_back_ms;
	}
	if (changed) {
		for (const auto &[n, pf] : model_.pfs)
			log::info(0, "PF ", n, ": VF pool of ", pf.vfs.size());
		persist();
	}
	// A switch that came back (VFs enabled again) holds no filters: the
	// synthetic path's filters go back on its default VPort.
	for (auto &[name, p] : model_.partitions) {
		if (!p.adapter || !p.adapter_filter || p.vf || busy(name))
			continue;
		auto it = std::find_if(kpfs.begin(), kpfs.end(), [&](const PfInfo &k) { return k.name == p.pf; });
		if (it == kpfs.end() || it->num_vfs == 0)
			continue;
		const auto have = kernel_.filters(p.pf);
		for (const auto &f : p.filters()) {
			if (std::any_of(have.begin(), have.end(), [&](const FilterInfo &fi) { return fi.filter == f; }))
				continue;
			auto st = kernel_.filter_add(p.pf, it->default_vport, f);
			if (!st.ok() && st.err != EEXIST)
				log::error(0, "partition ", name, ": filter ", f.mac.str(), " back on the default VPort: ",
					   st.msg);
			else
				log::info(0, "partition ", name, ": filter ", f.mac.str(),
					  " back on the default VPort of ", p.pf);
		}
	}
}

void Engine::handle_kernel_events()
{
	// No attach starts before the whole batch is read and the pool
	// re-read: a VF freed by sriov_numvfs=0 is not handed out again.
	struct Hold {
		bool &flag;
		explicit Hold(bool &f) : flag(f) { flag = true; }
		~Hold() { flag = false; }
		Hold(const Hold &) = delete;
		Hold &operator=(const Hold &) = delete;
	};
	{
		const Hold hold(resyncing_);
		for (const auto &ev : kernel_.drain_events()) {
			json j{{"type", "kernel"}, {"pf", ev.pf}, {"partition", ev.partition}, {"detail", ev.detail}};
			if (ev.vf)
				j["vf"] = ev.vf->value;
			switch (ev.type) {
			case KernelEvent::Type::vf_lost:
				j["event"] = "vf_lost";
				break;
			case KernelEvent::Type::vf_reset_request:
				j["event"] = "vf_reset_request";
				break;
			case KernelEvent::Type::adapter_paired:
				j["event"] = "adapter_paired";
				break;
			case KernelEvent::Type::adapter_unpaired:
				j["event"] = "adapter_unpaired";
				break;
			case KernelEvent::Type::link_change:
				j["event"] = "link_change";
				break;
			case KernelEvent::Type::filters_moved:
				j["event"] = "filters_moved";
				if (ev.src_vport)
					j["src_vport"] = ev.src_vport->value;
				if (ev.dst_vport)
					j["vport"] = ev.dst_vport->value;
				if (ev.reset_reason)
					j["reset_reason"] = *ev.reset_reason;
				break;
			}
			emit(j, false);
			if (ev.type == KernelEvent::Type::filters_moved) {
				on_filters_moved(ev);
				continue;
			}

			std::string victim;
			if (ev.type == KernelEvent::Type::vf_lost && ev.vf) {
				// Notifications arrive late, and the kernel also announces the
				// frees the daemon did itself: act only if the VF is really
				// gone now (not allocated, or no netdev).
				auto now = kernel_.vf(ev.pf, *ev.vf);
				const bool gone = !now || !now->allocated || now->netdev.empty();
				for (const auto &[n, p] : model_.partitions)
					if (gone && p.vf && p.vf->pf == ev.pf && p.vf->vf == *ev.vf)
						victim = n;
			} else if (ev.type == KernelEvent::Type::adapter_unpaired) {
				// events can be stale: act only if the adapter really lost our VF
				auto *p = model_.partition(ev.partition);
				auto ad = kernel_.adapter(ev.partition);
				// (a VF sriov_pf failed over is still the partition's data
				// path to come back to: losing it is a surprise too)
				if (p != nullptr && p->vf && p->vf->in_child &&
				    (p->vf->datapath == Datapath::vf || p->vf->kernel_failover) && ad &&
				    !paired_with(*ad, kernel_.vf(p->vf->pf, p->vf->vf)))
					victim = ev.partition;
			}
			if (victim.empty())
				continue;
			vf_gone(victim, "VF lost: " + ev.detail);
		}
		resync_pool();
	}
	triage_dp_requests();
	// The ring is written (whole) once per batch, but not while a sequence
	// runs: an attach causes 10-20 notifications, and the sequence's own
	// end writes the ring with them (finish -> emit).
	if (active_.empty())
		flush_events();
	pump();
}

// ---------------------------------------------------------------- read side

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
	o << "# HELP sriovd_vfs VFs per PF and state.\n# TYPE sriovd_vfs gauge\n";
	for (const auto &[name, pf] : model_.pfs) {
		std::map<std::string, int> counts{{"free", 0}, {"assigned", 0}, {"reserved", 0}, {"quarantined", 0}};
		for (const auto &s : pf.vfs)
			counts[std::string(model::to_string(s.state))]++;
		for (const auto &[st, n] : counts)
			o << "sriovd_vfs{pf=\"" << name << "\",state=\"" << st << "\"} " << n << "\n";
	}
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
	std::vector<std::string> out;
	auto &k = kernel_;
	for (const auto &[pf_name, pf] : model_.pfs) {
		auto pfinfo = k.pf(pf_name);
		if (!pfinfo) {
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
		for (const auto &vp : kvports) {
			if (!vp.vf)
				continue;
			bool known = false;
			for (const auto &[n, p] : model_.partitions)
				known |= p.vf && p.vf->pf == pf_name && p.vf->vport == vp.id && p.vf->vf == *vp.vf;
			if (!known)
				out.push_back(pf_name + " VPort " + std::to_string(vp.id.value) + " unknown to the model");
		}
		// every filter belongs to a partition and sits where the model says
		for (const auto &f : kfilters) {
			const model::Partition *owner = nullptr;
			for (const auto &[n, p] : model_.partitions)
				for (const auto &pf2 : p.filters())
					if (pf2 == f.filter)
						owner = &p;
			if (owner == nullptr) {
				// A backend that keeps MAC and VLAN filters apart reports
				// every (MAC, VLAN) pairing of a VPort; one that a partition
				// does not own is fine beside the pairing it does own there.
				const bool by_product = std::any_of(kfilters.begin(), kfilters.end(), [&](const FilterInfo &g) {
					if (g.vport != f.vport || g.filter.mac != f.filter.mac)
						return false;
					return std::any_of(model_.partitions.begin(), model_.partitions.end(), [&](const auto &kv) {
						const auto fl = kv.second.filters();
						return std::find(fl.begin(), fl.end(), g.filter) != fl.end();
					});
				});
				if (!by_product)
					out.push_back(pf_name + " filter " + f.filter.mac.str() + " VLAN " +
						      std::to_string(f.filter.vlan.value) + " has no owner");
				continue;
			}
			VportId want = pfinfo->default_vport;
			if (owner->vf && owner->vf->pf == pf_name && owner->vf->filters_on_vf && owner->vf->vport)
				want = *owner->vf->vport;
			if (f.vport != want || (owner->pf != pf_name && !(owner->vf && owner->vf->pf == pf_name)))
				out.push_back(pf_name + " filter " + f.filter.mac.str() + " on VPort " +
					      std::to_string(f.vport.value) + ", model expects " +
					      std::to_string(want.value));
		}
	}
	for (const auto &[n, p] : model_.partitions) {
		auto ad = k.adapter(n);
		if (ad.has_value() != p.adapter) {
			out.push_back("partition " + n + ": adapter present=" + (ad ? "yes" : "no"));
			continue;
		}
		if (!ad)
			continue;
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
		for (const auto &[pn, pf] : model_.pfs)
			for (const auto &f : k.filters(pn))
				for (const auto &pf2 : p.filters())
					nfilters += f.filter == pf2 ? 1 : 0;
		// sriov_numvfs=0: the PF has no NIC switch, and no filters
		const auto ppf = k.pf(p.pf);
		const bool has_switch = ppf && ppf->num_vfs != 0;
		if (nfilters != (p.adapter_filter && has_switch ? p.filters().size() : 0))
			out.push_back("partition " + n + ": " + std::to_string(nfilters) + " filter(s) in kernel");
		if (p.vf) {
			auto v = k.vf(p.vf->pf, p.vf->vf);
			const bool in_child = v && !v->netdev.empty() && v->netns == p.netns;
			if (in_child != p.vf->in_child)
				out.push_back("partition " + n + ": VF netdev in child=" + (in_child ? "yes" : "no"));
		}
	}
	for (const auto &a : k.adapters())
		if (!model_.partitions.contains(a.partition))
			out.push_back("adapter " + a.partition + " unknown to the model");
	if (auto g = k.guard_state(); !g.ok())
		out.push_back("switch guard: " + g.status.msg);
	else if (*g.value != wanted_guard())
		out.push_back("switch guard: the kernel's rules are not the model's");
	return out;
}

} // namespace sriov::seq
