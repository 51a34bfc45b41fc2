// SPDX-License-Identifier: GPL-2.0
// How the real backend maps the daemon's receive filters (MAC, VLAN) onto
// the PF's switch, which keeps MAC filters and VLAN filters apart: pure
// functions over the family's filter dump, unit-tested without a kernel.
#pragma once

#include "kernel/kernel_api.hpp"
#include "netlink/ynl_sriov.hpp"

#include <map>
#include <vector>

namespace sriov::netlink {

/// The daemon's (admin) filters on one VPort.
struct VportAdmin {
	std::vector<FilterNl> macs;
	std::vector<FilterNl> vlans;
	[[nodiscard]] const FilterNl *mac(const MacAddr &m) const;
	[[nodiscard]] const FilterNl *vlan(VlanId v) const;
	/// Whether a VLAN filter here is still needed once @leaving has left:
	/// by any other MAC filter of this VPort (the backend cannot tell which
	/// MAC wants which VLAN on a VPort shared by several partitions).
	[[nodiscard]] bool vlan_still_used(const MacAddr &leaving) const;
};

/// Admin filters of a filter-get dump, by VPort (driver-owned ones dropped).
std::map<VportId, VportAdmin> admin_by_vport(const std::vector<FilterNl> &dump);

/// The daemon's view of a dump: (MAC, 0) for every MAC filter and
/// (MAC, VLAN) for every MAC and VLAN filter of the same VPort.
std::vector<FilterInfo> daemon_filters(const std::map<VportId, VportAdmin> &admin);

/// What a filters_move(from, to, set) sends, in this order: VLAN filters to
/// add on @to (still needed on @from), one filter-move of @move ids (MAC
/// filters with the VLAN filters only they use), then filter ids to delete
/// on @from (VLAN filters @to already has).
struct MovePlan {
	std::vector<VlanId> add_on_dest;
	std::vector<std::uint32_t> move;
	std::vector<std::uint32_t> del_on_source;
	Status status; ///< failure: a MAC filter of @set is not on @from
};
MovePlan plan_move(const std::map<VportId, VportAdmin> &admin, VportId from, VportId to,
		   const std::vector<Filter> &set);

} // namespace sriov::netlink
