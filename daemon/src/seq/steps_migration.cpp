// SPDX-License-Identifier: GPL-2.0
// Migration steps: the VF reserved on the destination PF, the synthetic
// port moved between switches, the reservation adopted or released.
#include "seq/steps_impl.hpp"

#include "common/log.hpp"

#include <algorithm>
#include <cerrno>

namespace sriov::seq::step_fn {

using model::VfState;

StepResult vf_reserve(StepCtx &c, model::Partition &p)
{
	if (!c.rec.dest_vf)
		return StepResult::fail(Reason::internal_error, "no journaled reservation");
	const VfIndex vf{*c.rec.dest_vf};
	auto st = vf_claim(c.kernel, c.rec.dest_pf, vf, p.serial != 0 ? p.serial : c.rec.id, p.mac);
	if (!st.ok())
		return StepResult::fail(Reason::vf_alloc_failed, errtext(st));
	p.reservation = model::Reservation{.pf = c.rec.dest_pf, .vf = vf};
	return StepResult::ok("VF " + std::to_string(vf.value) + " on " + c.rec.dest_pf);
}

StepResult reservation_release(StepCtx &c, model::Partition &p)
{
	if (!c.rec.dest_vf)
		return StepResult::skip("no reservation");
	const VfIndex vf{*c.rec.dest_vf};
	auto *slot = c.model.slot(c.rec.dest_pf, vf);
	const bool ours = slot != nullptr && slot->partition == p.name && slot->state == VfState::reserved;
	if (!ours) {
		p.reservation.reset();
		return StepResult::skip("reservation not held");
	}
	auto info = c.kernel.vf(c.rec.dest_pf, vf);
	if (info && info->allocated) {
		if (auto st = c.kernel.vf_reset(c.rec.dest_pf, vf); !st.ok()) {
			slot->state = VfState::quarantined;
			slot->partition.clear();
			slot->reason = Reason::flr_failed;
		}
		auto st = c.kernel.vf_free(c.rec.dest_pf, vf);
		if (!st.ok() && st.err != ENOENT)
			return StepResult::fail(Reason::vf_free_failed, errtext(st));
	}
	if (slot->state == VfState::reserved) {
		slot->state = VfState::free;
		slot->partition.clear();
	}
	p.reservation.reset();
	return StepResult::ok();
}

/// Put the synthetic port (and its filters) on @to's switch, off @from's.
StepResult switch_to(StepCtx &c, model::Partition &p, const std::string &to, const std::string &from)
{
	// The filter first: the moved port (and its announcement on the wire)
	// must find @to's switch already accepting the adapter's MAC.
	if (auto st = filters_on_default(c.kernel, to, p); !st.ok())
		return StepResult::fail(Reason::switch_move_failed, errtext(st));
	auto ad = c.kernel.adapter(p.name);
	if (ad && ad->pf != to) {
		auto st = c.kernel.adapter_set_switch(p.name, to, p.mac);
		if (!st.ok())
			return StepResult::fail(Reason::switch_move_failed, errtext(st));
		// the kernel's bridge starts every port unlocked and without FDB
		// entries: locked, with the model's MAC as its only source
		st = c.kernel.adapter_lock_port(p.name, p.mac);
		if (!st.ok())
			return StepResult::fail(Reason::switch_move_failed, "locking the switch port: " + errtext(st));
	}
	if (from != to) {
		if (auto st = filters_off(c.kernel, from, p); !st.ok())
			return StepResult::fail(Reason::switch_move_failed, errtext(st));
	}
	p.pf = to;
	return StepResult::ok(from + " -> " + to);
}

StepResult reservation_adopt(StepCtx &c, model::Partition &p)
{
	if (!p.reservation)
		return StepResult::fail(Reason::invalid_state, "no reservation to adopt");
	auto *slot = c.model.slot(p.reservation->pf, p.reservation->vf);
	if (slot == nullptr)
		return StepResult::fail(Reason::unknown_vf, "reserved VF vanished");
	slot->state = VfState::assigned;
	p.vf = model::Assignment{.pf = p.reservation->pf, .vf = p.reservation->vf,
				 .serial = p.serial != 0 ? p.serial : c.rec.id};
	p.reservation.reset();
	return StepResult::ok();
}

} // namespace sriov::seq::step_fn
