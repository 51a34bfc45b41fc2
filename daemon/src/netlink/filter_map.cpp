// SPDX-License-Identifier: GPL-2.0
#include "netlink/filter_map.hpp"

#include <algorithm>
#include <cerrno>
#include <linux/sriov.h>

namespace sriov::netlink {

const FilterNl *VportAdmin::mac(const MacAddr &m) const
{
	const auto it = std::find_if(macs.begin(), macs.end(), [&](const FilterNl &f) { return f.mac == m; });
	return it == macs.end() ? nullptr : &*it;
}

const FilterNl *VportAdmin::vlan(VlanId v) const
{
	const auto it = std::find_if(vlans.begin(), vlans.end(), [&](const FilterNl &f) { return f.vlan == v; });
	return it == vlans.end() ? nullptr : &*it;
}

bool VportAdmin::vlan_still_used(const MacAddr &leaving) const
{
	return std::any_of(macs.begin(), macs.end(), [&](const FilterNl &m) { return m.mac != leaving; });
}

std::map<VportId, VportAdmin> admin_by_vport(const std::vector<FilterNl> &dump)
{
	std::map<VportId, VportAdmin> out;
	for (const auto &f : dump) {
		if (f.origin != SRIOV_FILTER_ORIGIN_ADMIN)
			continue;
		auto &v = out[f.vport];
		(f.is_mac ? v.macs : v.vlans).push_back(f);
	}
	return out;
}

std::vector<FilterInfo> daemon_filters(const std::map<VportId, VportAdmin> &admin)
{
	std::vector<FilterInfo> out;
	for (const auto &[vp, a] : admin)
		for (const auto &m : a.macs) {
			out.push_back({.filter = {.mac = m.mac, .vlan = VlanId{}}, .vport = vp});
			for (const auto &v : a.vlans)
				out.push_back({.filter = {.mac = m.mac, .vlan = v.vlan}, .vport = vp});
		}
	return out;
}

MovePlan plan_move(const std::map<VportId, VportAdmin> &admin, VportId from, VportId to,
		   const std::vector<Filter> &set)
{
	static const VportAdmin none;
	const auto s = admin.find(from);
	const auto d = admin.find(to);
	const VportAdmin &src = s == admin.end() ? none : s->second;
	const VportAdmin &dst = d == admin.end() ? none : d->second;
	MovePlan plan;
	for (const auto &f : set) {
		const FilterNl *mac = src.mac(f.mac);
		if (mac == nullptr) {
			plan.status = Status::fail(ENOENT, "filter " + f.mac.str() + " not on source VPort");
			return plan;
		}
		plan.move.push_back(mac->id);
		if (f.vlan.value == 0)
			continue;
		const FilterNl *vlan = src.vlan(f.vlan);
		// shared: another MAC leaving @from with this one does not count
		const bool shared = std::any_of(src.macs.begin(), src.macs.end(), [&](const FilterNl &m) {
			return std::none_of(set.begin(), set.end(), [&](const Filter &g) { return g.mac == m.mac; });
		});
		if (dst.vlan(f.vlan) != nullptr) {
			if (vlan != nullptr && !shared &&
			    std::find(plan.del_on_source.begin(), plan.del_on_source.end(), vlan->id) ==
				    plan.del_on_source.end())
				plan.del_on_source.push_back(vlan->id);
		} else if (vlan == nullptr || shared) {
			if (std::find(plan.add_on_dest.begin(), plan.add_on_dest.end(), f.vlan) == plan.add_on_dest.end())
				plan.add_on_dest.push_back(f.vlan);
		} else if (std::find(plan.move.begin(), plan.move.end(), vlan->id) == plan.move.end()) {
			plan.move.push_back(vlan->id); // moves with its MAC in one request
		}
	}
	return plan;
}

} // namespace sriov::netlink
