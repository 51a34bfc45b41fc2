// SPDX-License-Identifier: GPL-2.0
// The sequence runner: journal writes, begin/advance/finish, the pump,
// arbitration and wake-ups.  Operations, recovery, kernel events and the
// read side are in their own files (operations.cpp, recovery.cpp,
// kernel_events.cpp, views.cpp).
#include "seq/engine.hpp"

#include "common/log.hpp"
#include "seq/arbiter.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace sriov::seq {

using json = nlohmann::json;

namespace {

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
	  clock_(clock), cfg_(std::move(cfg))
{
	index_.set_netns_identity([this](const std::string &ns) { return kernel_.netns_identity(ns); });
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
	touch(r);
	log::info(id, to_string(kind), " of ", partition, " started (cause ", to_string(cause), ")");
	return r;
}

void Engine::to_rollback(Record &rec, Reason why, const std::string &detail)
{
	rec.failure = why;
	rec.failure_detail = detail;
	rec.rolling_back = true;
	rec.steps = rollback_steps_of(rec.kind);
	rec.cursor = 0;
	rec.step_started = false;
	rec.wait_deadline = 0;
	rec.substate = 0;
	touch(rec);
	log::warn(rec.id, to_string(rec.kind), " of ", rec.partition, " rolling back: ", to_string(why), ": ", detail);
}

int Engine::begin_step(Record &rec)
{
	// Journal first: after a crash we know this step may have acted.
	const Step step = rec.steps[rec.cursor];
	rec.step_started = true;
	rec.phases.push_back({.step = step, .start_ms = clock_.wall_ms(), .end_ms = 0, .result = {},
			      .detail = rec.rolling_back ? "rollback" : ""});
	touch(rec);
	const int err = persist();
	if (err == 0 && crash_hook)
		crash_hook(rec, step, false);
	return err;
}

void Engine::advance(Record &rec)
{
	while (!rec.done()) {
		const Step step = rec.steps[rec.cursor];
		int journal_err = 0;
		if (!rec.step_started)
			journal_err = begin_step(rec);
		StepResult r;
		if (journal_err != 0 && !rec.rolling_back) {
			// no forward step acts without its journal point; a
			// rollback step does (undoing is idempotent, and after a
			// crash recovery rolls back again from the last durable
			// point)
			r = StepResult::fail(Reason::journal_write_failed,
					     std::string("journal write failed: ") + std::strerror(journal_err));
		} else {
			const bool timed_out = rec.wait_deadline != 0 && clock_.mono_ms() >= rec.wait_deadline;
			const auto going = pool_going_.find(rec.pf);
			StepCtx ctx{.kernel = kernel_, .model = model_, .timeouts = cfg_.timeouts, .rec = rec,
				    .timed_out = timed_out,
				    .pool_going = going != pool_going_.end() && clock_.mono_ms() < going->second};
			r = run_step(ctx, step);
		}
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
		count_step(rec.kind, step, r, ph.end_ms - ph.start_ms);
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
		// One commit per step boundary: "step i done" and "step i+1
		// started" are the same journal point (recovery re-runs the step
		// at the cursor either way): begin_step() at the top of the
		// loop, or finish() commits the record's end.
	}
	finish(rec, rec.rolling_back ? "rolled_back" : "ok");
}

void Engine::count_step(Kind kind, Step step, const StepResult &r, std::int64_t ms)
{
	const char *result = r.kind == StepResult::Kind::done ? "ok" : r.kind == StepResult::Kind::skipped ? "skipped" : "failed";
	std::string k(to_string(kind));
	std::string s(to_string(step));
	++step_results_[{k, s, result}];
	step_latency_[{std::move(k), std::move(s)}].observe(static_cast<double>(std::max<std::int64_t>(ms, 0)) / 1e3);
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
	seq_latency_[std::string(to_string(rec.kind))].observe(static_cast<double>(std::max<std::int64_t>(end - rec.start_ms, 0)) / 1e3);
	log::info(rec.id, to_string(rec.kind), " of ", rec.partition, " finished: ", result,
		  rec.failure != Reason::ok ? " (" + std::string(to_string(rec.failure)) + ")" : "", " in ",
		  end - rec.start_ms, " ms");

	const std::uint64_t id = rec.id;
	const Kind kind = rec.kind;
	const std::string partition = rec.partition;
	touch(rec); // the record goes, the partition changed
	if (!model_.partitions.contains(partition))
		guard_gone_.insert(partition); // its rules go at the end of the pump
	active_.erase(id);
	emit(ev); // persists (a failed commit fails the result); adds id and time_ms, which the waiters see too
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

int Engine::emit(json &ev, bool commit)
{
	ev["id"] = next_event_++;
	if (!ev.contains("time_ms"))
		ev["time_ms"] = clock_.wall_ms();
	const int err = commit ? persist() : 0;
	if (err != 0) {
		ev["journal_error"] = std::strerror(err);
		if (ev.value("type", "") == "sequence" && ev.value("result", "") != "failed") {
			// done in memory, not durably: after a crash it would run
			// again from its last journal point
			ev["result"] = "failed";
			ev["reason"] = std::string(to_string(Reason::journal_write_failed));
			ev["detail"] = std::string("its end was not journaled: ") + std::strerror(err);
		}
	}
	events_.push_back(ev);
	while (events_.size() > cfg_.event_ring) {
		events_dropped_.push_back(events_.front().at("id").get<std::uint64_t>());
		events_.pop_front();
	}
	events_dirty_ = true;
	if (commit)
		flush_events();
	if (on_event)
		on_event(ev);
	return err;
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
				if (it == active_.end() || it->second.parked)
					continue;
				advance(it->second);
				if (!active_.contains(id))
					progressed = true;
			}
			const std::size_t before = active_.size();
			start_pending_teardowns();
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
	index_.refresh(model_);
	const auto d = arbitrate(model_, index_.contenders(model_), busy_set, clock_.mono_ms());
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
	if (!stopping_) {
		index_.refresh(model_);
		for (const auto *p : index_.contenders(model_))
			if (p->want_vf && !p->vf && p->hold_until_mono > clock_.mono_ms())
				consider(p->hold_until_mono);
	}
	return t;
}

} // namespace sriov::seq
