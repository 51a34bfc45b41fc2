// SPDX-License-Identifier: GPL-2.0
// Kernel events: notifications triaged into sequences (failback, surprise
// removal, data-path requests, pool resync)
#include "seq/engine.hpp"

#include "common/log.hpp"

#include <algorithm>
#include <cerrno>

namespace sriov::seq {

using json = nlohmann::json;
using model::VfState;

void Engine::begin_failback(const std::string &partition)
{
	auto *p = model_.partition(partition);
	if (p == nullptr || !p->vf)
		return;
	Record &r = begin(Kind::failback, partition, Reason::kernel_failover, nullptr);
	r.pf = p->vf->pf;
	r.vf = p->vf->vf.value;
	r.steps = steps_of(Kind::failback);
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
	bool moved = true;
	for (const auto &f : p->filters())
		if (kernel_.filter_vport(ev.pf, f) != dv)
			moved = false;
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
	++autonomous_failovers_;
	touch(p->name);
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
			if (on_vf)
				for (const auto &f : p.filters())
					if (kernel_.filter_vport(p.vf->pf, f) != p.vf->vport)
						on_vf = false;
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
	bool acted = false; // counted once: a second report of the same loss finds it handled
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
			acted = true;
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
		acted = true;
	}
	if (!handled)
		if (auto *p = model_.partition(partition); p != nullptr && p->vf) {
			start_release(*p, Kind::surprise, Reason::surprise_removal, nullptr);
			acted = true;
		}
	if (acted)
		++surprise_removals_;
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
		const std::string &pf = p.pf;
		auto it = std::find_if(kpfs.begin(), kpfs.end(), [&pf](const PfInfo &k) { return k.name == pf; });
		if (it == kpfs.end() || it->num_vfs == 0)
			continue;
		for (const auto &f : p.filters()) {
			if (kernel_.filter_vport(p.pf, f))
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
		explicit Hold(bool &f) : flag(f) { f = true; }
		~Hold() { flag = false; }
		Hold(const Hold &) = delete;
		Hold &operator=(const Hold &) = delete;
		Hold(Hold &&) = delete;
		Hold &operator=(Hold &&) = delete;
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


} // namespace sriov::seq
