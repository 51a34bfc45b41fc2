// SPDX-License-Identifier: GPL-2.0
// Attach steps: a VF claimed, its VPort, the VF in the child, the pair,
// the filters on the VF's VPort and the data path on the VF.
#include "seq/steps_impl.hpp"

#include "common/log.hpp"

#include <algorithm>
#include <cerrno>

namespace sriov::seq::step_fn {

/// Allocate a VF in the kernel and give it the partition's MAC.
Status vf_claim(KernelApi &k, const std::string &pf, VfIndex vf, std::uint64_t serial, const MacAddr &mac)
{
	auto info = k.vf(pf, vf);
	if (!info)
		return Status::fail(ENOENT, "VF " + std::to_string(vf.value) + " not present on " + pf);
	if (!info->allocated) {
		auto st = k.vf_alloc(pf, vf, serial);
		if (!st.ok() && st.err != EEXIST)
			return st;
	}
	// also when the VF has no netdev: the real backend (re)binds the VF
	// driver there so that it comes up with the administrative MAC
	if (info->mac != mac || info->netdev.empty()) {
		auto st = k.vf_set_mac(pf, vf, mac);
		if (!st.ok())
			return st;
	}
	return Status::success();
}

StepResult vf_allocate(StepCtx &c, model::Partition &p)
{
	auto *a = assignment(c, p);
	if (a == nullptr)
		return StepResult::fail(Reason::internal_error, "no journaled VF choice");
	if (c.rec.substate == 0) {
		auto st = vf_claim(c.kernel, a->pf, a->vf, a->serial, p.mac);
		if (!st.ok())
			return StepResult::fail(st.err == ENOENT ? Reason::unknown_vf : Reason::vf_alloc_failed,
						errtext(st));
		c.rec.substate = 1;
	}
	// The adapter pairs with a VF netdev that carries its MAC, decided when
	// the netdev registers or changes its address.  A VF driver that
	// follows the PF's reset request takes the administrative MAC by itself
	// (a netlink notification wakes this wait); one that did not within
	// vf_mac_ms (or whose handshake with the PF failed) is probed once more
	// rather than left to the pair timeout.
	auto info = c.kernel.vf(a->pf, a->vf);
	const std::string done = "VF " + std::to_string(a->vf.value) + " on " + a->pf;
	if (!info || info->netdev.empty() || info->netdev_mac == p.mac)
		return StepResult::ok(done + (c.rec.substate == 2 ? "; VF driver probed again" : ""));
	if (c.rec.substate == 1 && !c.timed_out)
		return StepResult::wait(c.timeouts.vf_mac_ms, "waiting for the VF driver to take the MAC");
	if (c.rec.substate == 1) {
		log::warn(c.rec.id, "VF netdev ", info->netdev, " has MAC ", info->netdev_mac.str(), ", not ",
			  p.mac.str(), " after ", c.timeouts.vf_mac_ms, " ms: probing the VF driver again");
		c.rec.substate = 2;
		if (auto st2 = c.kernel.vf_probe(a->pf, a->vf); !st2.ok())
			return StepResult::fail(Reason::vf_alloc_failed, errtext(st2));
		info = c.kernel.vf(a->pf, a->vf);
		if (!info || info->netdev.empty() || info->netdev_mac == p.mac)
			return StepResult::ok(done + "; VF driver probed again");
	}
	return StepResult::fail(Reason::vf_alloc_failed,
				"VF netdev " + info->netdev + " came up with MAC " + info->netdev_mac.str() +
					", not the administrative MAC " + p.mac.str() +
					" (VF driver's handshake with the PF failed?)");
}

StepResult vport_create(StepCtx &c, model::Partition &p)
{
	auto *a = assignment(c, p);
	if (a == nullptr)
		return StepResult::fail(Reason::internal_error, "no VF assignment");
	auto existing = vport_of(c.kernel, a->pf, a->vf);
	if (!existing) {
		auto r = c.kernel.vport_create(a->pf, a->vf);
		if (!r.ok())
			return StepResult::fail(Reason::vport_create_failed, errtext(r.status));
		existing = r.value;
	}
	a->vport = existing;
	return StepResult::ok("VPort " + std::to_string(existing->value));
}

StepResult vf_to_child(StepCtx &c, model::Partition &p)
{
	auto *a = assignment(c, p);
	if (a == nullptr)
		return StepResult::fail(Reason::internal_error, "no VF assignment");
	auto info = c.kernel.vf(a->pf, a->vf);
	if (!info || info->netdev.empty())
		return StepResult::fail(Reason::netdev_missing, "VF has no netdev (is its driver bound?)");
	if (info->netns != p.netns) {
		auto st = c.kernel.netdev_move(info->netns, info->ifindex, p.netns);
		if (!st.ok())
			return StepResult::fail(Reason::netdev_move_failed, errtext(st));
		info = c.kernel.vf(a->pf, a->vf);
		if (!info || info->netdev.empty())
			return StepResult::fail(Reason::netdev_missing, "VF netdev gone after the move");
	}
	a->netdev = info->netdev;
	a->in_child = true;
	return StepResult::ok(info->netdev + " -> " + p.netns);
}

StepResult wait_pair(StepCtx &c, model::Partition &p)
{
	auto *a = assignment(c, p);
	if (a == nullptr)
		return StepResult::fail(Reason::internal_error, "no VF assignment");
	auto ad = c.kernel.adapter(p.name);
	const auto v = c.kernel.vf(a->pf, a->vf);
	// the adapter opens the VF it claimed a moment later: the filters
	// move to the VF's VPort only once its driver serves the RX queue
	const bool paired = ad && paired_with(*ad, v);
	if (paired && v && v->running)
		return StepResult::ok("paired with " + ad->paired_vf);
	if (c.timed_out && paired)
		return StepResult::fail(Reason::pair_timeout, "the adapter paired with " + a->netdev +
								      " but it was not up with carrier within " +
								      std::to_string(c.timeouts.pair_ms) + " ms");
	if (c.timed_out)
		return StepResult::fail(Reason::pair_timeout, "adapter did not pair with " + a->netdev + " within " +
								      std::to_string(c.timeouts.pair_ms) + " ms");
	return StepResult::wait(c.timeouts.pair_ms, "waiting for pairing");
}

/// First step of a failback: the VF sriov_pf failed over (reset) is back,
/// still allocated to the partition's identity and with a netdev again.
/// The bound is vf_back_ms; a VF that does not come back fails the
/// failback, and the engine releases it as a surprise.
StepResult wait_vf_back(StepCtx &c, model::Partition &p)
{
	auto *a = assignment(c, p);
	if (a == nullptr)
		return StepResult::fail(Reason::internal_error, "no VF assignment");
	// a request to synthetic (the VF went down) only closes: TX left the
	// VF already
	if (auto ad = c.kernel.adapter(p.name); ad && ad->dp_pending == Datapath::synthetic)
		if (auto st = c.kernel.adapter_dp_ack(p.name, ad->dp_seq); !st.ok() && st.err != ESTALE)
			log::warn(c.rec.id, "ack of data-path request ", ad->dp_seq, ": ", errtext(st));
	auto info = c.kernel.vf(a->pf, a->vf);
	if (info && info->allocated && info->serial != 0 && info->serial != a->serial)
		return StepResult::fail(Reason::surprise_removal,
					"VF " + std::to_string(a->vf.value) + " carries serial " +
						std::to_string(info->serial) + ", not the partition's");
	if (info && info->allocated && !info->netdev.empty()) {
		const std::string back = "VF " + std::to_string(a->vf.value) + " back as " + info->netdev;
		// a VF netdev out of the child (its driver probed again) is
		// brought back by vf_to_child and wait_pair
		if (info->netns != p.netns)
			return StepResult::ok(back + " (not in the child)");
		// sriov_vf drops carrier before it announces going down: a VF
		// with carrier after the event has come back from its reset
		if (!info->running) {
			if (c.timed_out)
				return StepResult::fail(Reason::surprise_removal,
							back + " but without carrier for " +
								std::to_string(c.timeouts.vf_back_ms) + " ms");
			return StepResult::wait(c.timeouts.vf_back_ms, "waiting for the VF's carrier");
		}
		// Up again when the adapter asks for it or never left it.  One
		// that transmits synthetic with nothing outstanding is asked
		// again (DP_WANT=VF): the kernel raises a request only for a VF
		// that is paired and has carrier.
		auto ad = c.kernel.adapter(p.name);
		if (!ad)
			return StepResult::fail(Reason::datapath_failed, "adapter gone");
		if (!ad->up)
			return StepResult::ok(back + "; adapter down");
		if (paired_with(*ad, info)) {
			if (!ad->dp_pending && ad->datapath == Datapath::synthetic)
				if (c.kernel.adapter_set_datapath(p.name, Datapath::vf).ok())
					ad = c.kernel.adapter(p.name);
			if (ad && (ad->dp_pending == Datapath::vf || (!ad->dp_pending && ad->datapath == Datapath::vf)))
				return StepResult::ok(back + ", up");
		}
	}
	if (c.timed_out)
		return StepResult::fail(Reason::surprise_removal,
					"VF " + std::to_string(a->vf.value) + " not back within " +
						std::to_string(c.timeouts.vf_back_ms) + " ms" +
						(!info ? " (gone)" : !info->allocated ? " (freed)" : info->netdev.empty() ? " (no netdev)" : " (no carrier or not paired)"));
	return StepResult::wait(c.timeouts.vf_back_ms, "waiting for the VF to come back from its reset");
}

StepResult filters_to_vf(StepCtx &c, model::Partition &p)
{
	auto *a = assignment(c, p);
	if (a == nullptr || !a->vport)
		return StepResult::fail(Reason::internal_error, "no VPort");
	auto dv = default_vport(c.kernel, a->pf);
	if (!dv)
		return StepResult::fail(Reason::filter_move_failed, "PF gone");
	std::vector<Filter> to_move;
	for (const auto &f : p.filters()) {
		const auto where = c.kernel.filter_vport(a->pf, f);
		if (!where) {
			// A NIC switch that came back (VFs enabled again) holds none
			// of the synthetic path's filters until the pool re-sync puts
			// them back, which passes over a partition a sequence holds:
			// back on the default VPort first, then moved as any other
			if (p.pf != a->pf || !p.adapter_filter)
				return StepResult::fail(Reason::filter_move_failed, "filter " + f.mac.str() + " missing");
			if (auto st = c.kernel.filter_add(a->pf, *dv, f); !st.ok() && st.err != EEXIST)
				return StepResult::fail(Reason::filter_move_failed,
							"filter " + f.mac.str() + " missing, not added back: " + errtext(st));
			to_move.push_back(f);
			continue;
		}
		if (*where != *a->vport)
			to_move.push_back(f);
	}
	if (!to_move.empty()) {
		auto st = c.kernel.filters_move(a->pf, *dv, *a->vport, to_move);
		if (!st.ok())
			return StepResult::fail(Reason::filter_move_failed, errtext(st));
	}
	// broadcast and multicast now reach the child through the VF's pool
	if (auto st = c.kernel.adapter_set_flood(p.name, false); !st.ok())
		return StepResult::fail(Reason::filter_move_failed, errtext(st));
	a->filters_on_vf = true;
	a->kernel_failover = false;
	return StepResult::ok();
}

/// Acknowledge the adapter's outstanding data-path request.  An ack that
/// lost a race with a newer request (ESTALE) changes nothing in the kernel:
/// the caller reads the adapter again.
Status ack_pending(StepCtx &c, const std::string &partition, const AdapterInfo &ad)
{
	auto st = c.kernel.adapter_dp_ack(partition, ad.dp_seq);
	if (!st.ok() && st.err == ESTALE)
		return Status::success();
	return st;
}

/// AUTO_ACK off on an adapter found with it on (made before, or by hand).
Status manual_ack(StepCtx &c, const std::string &partition, const AdapterInfo &ad)
{
	if (!ad.auto_ack)
		return Status::success();
	return c.kernel.adapter_set_auto_ack(partition, false);
}

StepResult datapath_vf(StepCtx &c, model::Partition &p)
{
	auto *a = assignment(c, p);
	if (a == nullptr)
		return StepResult::fail(Reason::internal_error, "no VF assignment");
	// The filters are on the VF's VPort (filters_to_vf): now the adapter's
	// request for the VF is acknowledged.  Done only when the adapter
	// itself reports that it transmits on the VF (its DP_ACTIVE).
	// substate 1 once DP_WANT=VF was sent.  Every pass reads the adapter
	// again, so a crash between request and ack repeats the ack of what is
	// then outstanding.
	// A request for the VF is acknowledged only right after the filter
	// dump showed them on the VF's VPort (moved back if sriov_pf failed
	// the VF over while this sequence ran: a VF reset).
	auto ack = [&](const AdapterInfo &pending) -> StepResult {
		if (pending.dp_pending == Datapath::vf)
			if (auto r = filters_to_vf(c, p); r.kind == StepResult::Kind::fail)
				return r;
		if (auto st = ack_pending(c, p.name, pending); !st.ok())
			return StepResult::fail(Reason::datapath_failed, "ack: " + errtext(st));
		return StepResult::ok();
	};
	auto ad = c.kernel.adapter(p.name);
	if (!ad)
		return StepResult::fail(Reason::datapath_failed, "adapter gone");
	if (auto st = manual_ack(c, p.name, *ad); !st.ok())
		return StepResult::fail(Reason::datapath_failed, "AUTO_ACK off: " + errtext(st));
	for (int pass = 0; pass < 2; ++pass) {
		if (ad->datapath == Datapath::vf && !ad->dp_pending) {
			a->datapath = Datapath::vf;
			return StepResult::ok(c.rec.substate == 0 ? "already on the VF" : "adapter reports data path VF");
		}
		if (ad->dp_pending) {
			// VF: the request this step is for.  Synthetic: a request
			// left from a VF flap, TX already synthetic; closing it lets
			// the adapter ask for the VF again.
			if (auto r = ack(*ad); r.kind == StepResult::Kind::fail)
				return r;
		} else {
			// (again after a request the kernel dropped: it raises a new
			// one only when none is outstanding and the VF is up)
			auto st = c.kernel.adapter_set_datapath(p.name, Datapath::vf);
			if (!st.ok())
				return StepResult::fail(Reason::datapath_failed, errtext(st));
			c.rec.substate = 1;
		}
		ad = c.kernel.adapter(p.name);
		if (!ad)
			return StepResult::fail(Reason::datapath_failed, "adapter gone");
	}
	if (ad->datapath == Datapath::vf && !ad->dp_pending) {
		a->datapath = Datapath::vf;
		return StepResult::ok("adapter reports data path VF");
	}
	if (ad->dp_pending == Datapath::vf) {
		if (auto r = ack(*ad); r.kind == StepResult::Kind::fail)
			return r;
		ad = c.kernel.adapter(p.name);
		if (ad && ad->datapath == Datapath::vf) {
			a->datapath = Datapath::vf;
			return StepResult::ok("adapter reports data path VF");
		}
	}
	if (ad && !ad->up) {
		// a down adapter transmits on nothing: it asks for the VF when it
		// comes up (DP_WANT is VF), and triage_dp_requests() acks that
		// while the filters are on the VF's VPort
		a->datapath = Datapath::vf;
		return StepResult::ok("adapter down: data path VF requested, acknowledged when it comes up");
	}
	if (c.timed_out)
		return StepResult::fail(Reason::datapath_failed,
					"adapter did not switch to the VF within " + std::to_string(c.timeouts.datapath_ms) +
						" ms (VF without carrier?)");
	return StepResult::wait(c.timeouts.datapath_ms, "waiting for the adapter's request for the VF");
}

} // namespace sriov::seq::step_fn
