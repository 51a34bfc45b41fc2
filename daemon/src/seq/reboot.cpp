// SPDX-License-Identifier: GPL-2.0
// Recovery after a reboot: the journal describes kernel objects (namespaces,
// adapters, VPorts, filters, allocated VFs) that the reboot destroyed.
#include "seq/engine.hpp"

#include "common/log.hpp"

namespace sriov::seq {

using json = nlohmann::json;
using model::VfState;

bool Engine::rebooted() const
{
	// a journal without a boot id (schema version < 3) is taken as this
	// boot's: nothing tells otherwise
	return !cfg_.boot_id.empty() && !journal_boot_id_.empty() && journal_boot_id_ != cfg_.boot_id;
}

json Engine::forget_previous_boot()
{
	log::warn(0, "the host rebooted since the journal was written (boot id ", journal_boot_id_, " -> ",
		  cfg_.boot_id, "): every partition's kernel objects are made again");
	json abandoned = json::array();
	for (const auto &[id, r] : active_) {
		// nothing of what it did survived; a teardown's partition goes
		// (its removal was asked for), an add in flight is made again
		abandoned.push_back({{"seq", id}, {"kind", std::string(to_string(r.kind))}, {"partition", r.partition}});
		log::warn(id, "reboot: ", to_string(r.kind), " of ", r.partition, " abandoned");
		if (r.kind == Kind::teardown) {
			model_.partitions.erase(r.partition);
			guard_gone_.insert(r.partition);
		}
	}
	active_.clear();
	// no VF is allocated or reserved after a reboot (a quarantine stays:
	// the operator lifts it)
	for (auto &[name, pf] : model_.pfs)
		for (auto &slot : pf.vfs)
			if (slot.state == VfState::assigned || slot.state == VfState::reserved) {
				slot.state = VfState::free;
				slot.partition.clear();
			}
	json recreate = json::array();
	for (auto &[name, p] : model_.partitions) {
		p.vf.reset();
		p.reservation.reset();
		p.migrating_to.clear();
		p.adapter = false;
		p.adapter_filter = false;
		// monotonic deadlines of the previous boot mean nothing now
		p.hold_until_mono = 0;
		p.attach_failures = 0;
		recreate.push_back(name);
	}
	touch_all();
	return {{"type", "reboot"},
		{"previous_boot_id", journal_boot_id_},
		{"boot_id", cfg_.boot_id},
		{"abandoned", std::move(abandoned)},
		{"recreate", std::move(recreate)}};
}

void Engine::start_recreates()
{
	for (auto &[name, p] : model_.partitions) {
		if (p.adapter || busy(name))
			continue;
		Record &r = begin(Kind::recreate, name, Reason::reboot, nullptr);
		r.pf = p.pf;
		r.steps = steps_of(Kind::recreate);
	}
}

} // namespace sriov::seq
