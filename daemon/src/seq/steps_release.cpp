// SPDX-License-Identifier: GPL-2.0
// Release steps, in the failover order: data path synthetic, filters to
// the default VPort, VF out of the child, VPort deleted, FLR, VF freed.
#include "seq/steps_impl.hpp"

#include "common/log.hpp"

#include <algorithm>
#include <cerrno>

namespace sriov::seq::step_fn {

using model::VfState;

StepResult filters_to_default(StepCtx &c, model::Partition &p)
{
	if (!c.rec.vf)
		return StepResult::skip("no VF");
	const VfIndex vf{*c.rec.vf};
	auto pi = c.kernel.pf(c.rec.pf);
	// the synthetic switch floods broadcast and multicast to the child
	// again before its unicast filters arrive on the default VPort: a
	// frame sent meanwhile may arrive twice, none is lost
	if (auto st = c.kernel.adapter_set_flood(p.name, true); !st.ok() && st.err != ENOENT)
		return StepResult::fail(Reason::filter_move_failed, errtext(st));
	if (!pi || pi->num_vfs == 0) {
		// sriov_numvfs=0 or the PF gone: the NIC switch went with the
		// pool, and every filter with it; they are added again when VFs
		// come back
		if (auto *a = assignment(c, p))
			a->filters_on_vf = false;
		return StepResult::skip(pi ? "no NIC switch (SR-IOV disabled): no filters to move"
					   : "PF gone, its NIC switch with it: no filters to move");
	}
	auto dv = std::optional<VportId>(pi->default_vport);
	bool moved = false;
	for (const auto &f : p.filters()) {
		auto where = filter_location(c.kernel, c.rec.pf, f);
		if (where && *where != *dv) {
			auto st = c.kernel.filters_move(c.rec.pf, *where, *dv, {f});
			if (!st.ok()) {
				// all still on the VF's VPort: its pool alone floods again
				if (!moved)
					(void)c.kernel.adapter_set_flood(p.name, false);
				return StepResult::fail(Reason::filter_move_failed, errtext(st));
			}
			moved = true;
		} else if (!where && p.pf == c.rec.pf && p.adapter_filter) {
			// lost with the VPort: put it back where the synthetic path needs it
			auto st = c.kernel.filter_add(c.rec.pf, *dv, f);
			if (!st.ok() && st.err != EEXIST)
				return StepResult::fail(Reason::filter_move_failed, errtext(st));
			moved = true;
		}
	}
	if (auto *a = assignment(c, p))
		a->filters_on_vf = false;
	(void)vf;
	return moved ? StepResult::ok() : StepResult::skip("filters already on default VPort");
}

StepResult datapath_synthetic(StepCtx &c, model::Partition &p)
{
	// First step of every release: TX leaves the VF (the kernel moves it at
	// once and raises a request to synthetic), the request is acknowledged,
	// and only then do the filters move back to the default VPort.
	// DP_WANT=synthetic also keeps a VF that comes back during the release
	// from raising a request for it.
	auto ad = c.kernel.adapter(p.name);
	if (ad) {
		if (auto st = manual_ack(c, p.name, *ad); !st.ok() && st.err != ENOENT)
			return StepResult::fail(Reason::datapath_failed, "AUTO_ACK off: " + errtext(st));
		const bool on_vf = ad->datapath == Datapath::vf || ad->dp_pending == Datapath::vf;
		auto st = c.kernel.adapter_set_datapath(p.name, Datapath::synthetic);
		// off the VF already: DP_WANT is only a guard against a VF
		// coming back, the release goes on without it
		if (!st.ok() && st.err != ENOENT && on_vf)
			return StepResult::fail(Reason::datapath_failed, errtext(st));
		ad = c.kernel.adapter(p.name);
	}
	if (ad && ad->dp_pending) {
		if (auto st = ack_pending(c, p.name, *ad); !st.ok() && st.err != ENOENT)
			return StepResult::fail(Reason::datapath_failed, "ack: " + errtext(st));
		ad = c.kernel.adapter(p.name);
	}
	if (ad && ad->datapath != Datapath::synthetic)
		return StepResult::fail(Reason::datapath_failed, "adapter still transmits on the VF");
	if (auto *a = assignment(c, p))
		a->datapath = Datapath::synthetic;
	return StepResult::ok();
}

StepResult vf_from_child(StepCtx &c, model::Partition &p)
{
	if (!c.rec.vf)
		return StepResult::skip("no VF");
	auto info = c.kernel.vf(c.rec.pf, VfIndex{*c.rec.vf});
	auto mark = [&] {
		if (auto *a = assignment(c, p))
			a->in_child = false;
	};
	if (!info || info->netdev.empty()) {
		mark();
		return StepResult::skip("VF netdev gone");
	}
	if (info->netns.empty()) {
		mark();
		return StepResult::skip("VF netdev already in host namespace");
	}
	auto ad = c.kernel.adapter(p.name);
	const bool paired = ad && paired_with(*ad, info);
	std::string how = "graceful";
	if (c.rec.substate == 0 && paired) {
		// graceful: ask the adapter to let go, then wait (bounded)
		auto st = c.kernel.adapter_release_vf(p.name);
		if (!st.ok() && st.err != ENOENT)
			log::warn(c.rec.id, "release request failed: ", errtext(st), "; removing by surprise");
		c.rec.substate = 1;
		return StepResult::wait(c.timeouts.release_ms, "waiting for graceful release");
	}
	if (paired) {
		if (!c.timed_out)
			return StepResult::wait(c.timeouts.release_ms, "waiting for graceful release");
		how = "surprise after " + std::to_string(c.timeouts.release_ms) + " ms";
		log::warn(c.rec.id, "adapter kept ", info->netdev, " past the release timeout: surprise removal");
	}
	// The VF driver halts: its netdev leaves the child with it, and no
	// driver runs on the function through the FLR that follows.  Should
	// the unbind fail, the netdev at least leaves the child.
	if (auto st = c.kernel.vf_unbind(c.rec.pf, VfIndex{*c.rec.vf}); st.ok()) {
		how += ", VF driver unbound";
	} else {
		log::warn(c.rec.id, "unbind of ", info->netdev, "'s driver: ", errtext(st),
			  "; moving the netdev to the host");
		auto mv = c.kernel.netdev_move(info->netns, info->ifindex, "");
		if (!mv.ok() && mv.err != ENODEV)
			return StepResult::fail(Reason::netdev_move_failed, errtext(mv));
		how += ", netdev moved to the host (unbind failed: " + errtext(st) + ")";
	}
	mark();
	return StepResult::ok(how);
}

StepResult vport_delete(StepCtx &c, model::Partition &p)
{
	if (!c.rec.vf)
		return StepResult::skip("no VF");
	auto vp = vport_of(c.kernel, c.rec.pf, VfIndex{*c.rec.vf});
	if (vp) {
		auto st = c.kernel.vport_delete(c.rec.pf, *vp);
		if (!st.ok() && st.err != ENOENT)
			return StepResult::fail(Reason::vport_delete_failed, errtext(st));
	}
	if (auto *a = assignment(c, p))
		a->vport.reset();
	return vp ? StepResult::ok("VPort " + std::to_string(vp->value)) : StepResult::skip("no VPort");
}

StepResult vf_flr(StepCtx &c, model::Partition & /*p*/)
{
	if (!c.rec.vf)
		return StepResult::skip("no VF");
	const VfIndex vf{*c.rec.vf};
	auto info = c.kernel.vf(c.rec.pf, vf);
	if (!info || !info->allocated)
		return StepResult::skip("VF not allocated");
	// An FLR of a function that SR-IOV disable is removing waits out the
	// PCI core's readiness poll (a minute) when the removal wins the race
	if (c.pool_going)
		return StepResult::skip("SR-IOV disable under way: the VF goes away, no FLR");
	auto st = c.kernel.vf_reset(c.rec.pf, vf);
	// no PCI function (it left with the pool, sriov_numvfs lowered):
	// nothing to reset, and no quarantine of an index the next pool reuses
	if (!st.ok() && st.err == ENODEV)
		return StepResult::skip("VF gone: " + errtext(st));
	if (!st.ok()) {
		// A VF that does not come back from FLR is never handed out again.
		if (auto *slot = c.model.slot(c.rec.pf, vf)) {
			slot->state = VfState::quarantined;
			slot->partition.clear();
			slot->reason = Reason::flr_failed;
		}
		log::error(c.rec.id, "FLR of VF ", vf.value, " on ", c.rec.pf, " failed: ", errtext(st),
			   "; VF quarantined");
		return StepResult::ok("FLR failed, VF quarantined: " + errtext(st));
	}
	return StepResult::ok();
}

StepResult vf_free(StepCtx &c, model::Partition &p)
{
	if (!c.rec.vf)
		return StepResult::skip("no VF");
	const VfIndex vf{*c.rec.vf};
	auto info = c.kernel.vf(c.rec.pf, vf);
	if (info && info->allocated) {
		auto st = c.kernel.vf_free(c.rec.pf, vf);
		if (!st.ok() && st.err != ENOENT)
			return StepResult::fail(Reason::vf_free_failed, errtext(st));
	}
	if (auto *slot = c.model.slot(c.rec.pf, vf); slot != nullptr && slot->partition == p.name) {
		slot->state = VfState::free;
		slot->partition.clear();
	}
	if (assignment(c, p) != nullptr)
		p.vf.reset();
	return StepResult::ok();
}

} // namespace sriov::seq::step_fn
