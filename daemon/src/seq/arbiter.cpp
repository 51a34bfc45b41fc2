// SPDX-License-Identifier: GPL-2.0
#include "seq/arbiter.hpp"

#include <algorithm>

namespace sriov::seq {

ArbiterDecision arbitrate(const model::Model &m, const std::set<std::string> &busy, std::int64_t now_mono)
{
	std::vector<const model::Partition *> all;
	all.reserve(m.partitions.size());
	for (const auto &[name, p] : m.partitions)
		all.push_back(&p);
	return arbitrate(m, all, busy, now_mono);
}

ArbiterDecision arbitrate(const model::Model &m, const std::vector<const model::Partition *> &contenders,
			  const std::set<std::string> &busy, std::int64_t now_mono)
{
	ArbiterDecision d;
	for (const auto &[pf_name, pf] : m.pfs) {
		struct Cand {
			const model::Partition *p;
			bool holds;
		};
		std::vector<Cand> cands;
		std::uint32_t held_by_others = 0; // VFs held by partitions not competing
		for (const auto *pp : contenders) {
			const auto &p = *pp;
			const bool holds = p.vf && p.vf->pf == pf_name;
			// weight 0 never wins a VF; a holder at weight 0 takes part
			// so that it yields its VF to any partition that wants one
			const bool competes = p.pf == pf_name && p.adapter && p.want_vf && (p.weight > 0 || holds) &&
					      p.migrating_to.empty() && !p.reservation;
			if (competes)
				cands.push_back({&p, holds});
			else if (holds)
				++held_by_others;
		}
		// highest weight first; the incumbent keeps its VF on a tie
		std::sort(cands.begin(), cands.end(), [](const Cand &a, const Cand &b) {
			if (a.p->weight != b.p->weight)
				return a.p->weight > b.p->weight;
			if (a.holds != b.holds)
				return a.holds;
			return a.p->name < b.p->name;
		});
		const std::uint32_t usable = m.usable_vfs(pf_name);
		const std::uint32_t slots = usable > held_by_others ? usable - held_by_others : 0;
		std::uint32_t free_now = 0;
		for (const auto &s : pf.vfs)
			if (s.state == model::VfState::free)
				++free_now;
		// winners without a VF: a holder at weight 0 yields only to
		// them, and only when no free VF is there for them
		std::uint32_t waiting = 0;
		for (std::size_t i = 0; i < cands.size() && i < slots; ++i)
			if (cands[i].p->weight > 0 && !cands[i].holds)
				++waiting;
		std::uint32_t yield0 = waiting > free_now ? waiting - free_now : 0;
		for (std::size_t i = 0; i < cands.size(); ++i) {
			const auto &c = cands[i];
			const bool wins = i < slots && c.p->weight > 0;
			if (busy.contains(c.p->name))
				continue;
			if (!wins && c.holds) {
				if (c.p->weight > 0)
					d.preempt.push_back(c.p->name);
				else if (yield0 > 0) {
					d.preempt.push_back(c.p->name);
					--yield0;
				}
			}
			if (wins && !c.holds && free_now > 0 && now_mono >= c.p->hold_until_mono) {
				d.attach.push_back(c.p->name);
				--free_now;
			}
		}
	}
	return d;
}

} // namespace sriov::seq
