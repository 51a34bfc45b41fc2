// SPDX-License-Identifier: GPL-2.0
// FakeKernel: the NIC switch's VPorts and filters (indexed by filter, by
// VPort and by id: every operation O(log n) in the filters).
#include "kernel/fake_kernel.hpp"

#include <cerrno>

namespace sriov {

namespace {

constexpr std::uint32_t pools_per_pf = 8; // 82576: 8 VMDq pools, one is the default VPort

} // namespace

std::uint32_t FakeKernel::filter_insert(const std::string &pf, Pf &p, const Filter &f, VportId vport)
{
	const std::uint32_t id = p.next_filter++;
	p.filters[id] = {.filter = f, .vport = vport};
	p.filter_ids[f] = id;
	p.vport_filters[vport.value].insert(id);
	touch_filter(pf, id);
	return id;
}

void FakeKernel::filter_erase(const std::string &pf, Pf &p, std::uint32_t id)
{
	const auto it = p.filters.find(id);
	if (it == p.filters.end())
		return;
	p.filter_ids.erase(it->second.filter);
	if (auto vp = p.vport_filters.find(it->second.vport.value); vp != p.vport_filters.end()) {
		vp->second.erase(id);
		if (vp->second.empty())
			p.vport_filters.erase(vp);
	}
	p.filters.erase(it);
	touch_filter(pf, id);
}

void FakeKernel::filter_move(const std::string &pf, Pf &p, std::uint32_t id, VportId to)
{
	auto &f = p.filters.at(id);
	if (auto vp = p.vport_filters.find(f.vport.value); vp != p.vport_filters.end()) {
		vp->second.erase(id);
		if (vp->second.empty())
			p.vport_filters.erase(vp);
	}
	f.vport = to;
	p.vport_filters[to.value].insert(id);
	touch_filter(pf, id);
}

void FakeKernel::filters_clear(const std::string &pf, Pf &p)
{
	p.filters.clear();
	p.filter_ids.clear();
	p.vport_filters.clear();
	dirty_filter_pfs_.insert(pf);
}

std::vector<VportInfo> FakeKernel::vports(const std::string &pf)
{
	std::vector<VportInfo> out;
	Pf *p = find_pf(pf);
	if (p == nullptr)
		return out;
	for (const auto &[id, vf] : p->vports)
		out.push_back({.id = VportId{id}, .vf = vf ? std::optional<VfIndex>(VfIndex{*vf}) : std::nullopt});
	return out;
}

Outcome<VportId> FakeKernel::vport_create(const std::string &pf, VfIndex vf)
{
	if (auto st = enter("vport_create"); !st.ok())
		return Outcome<VportId>::fail(st.err, st.msg);
	Pf *p = find_pf(pf);
	Vf *v = find_vf(pf, vf);
	if (p == nullptr || v == nullptr)
		return Outcome<VportId>::fail(ENOENT, "unknown VF");
	if (!v->allocated)
		return Outcome<VportId>::fail(EINVAL, "VPort on an unallocated VF");
	for (const auto &[id, owner] : p->vports)
		if (owner && *owner == vf.value)
			return Outcome<VportId>::fail(EEXIST, "VF already has VPort " + std::to_string(id));
	if (p->vports.size() >= pools_per_pf)
		return Outcome<VportId>::fail(ENOSPC, "all 8 VMDq pools of the 82576 are in use");
	const std::uint32_t id = p->next_vport++;
	p->vports[id] = vf.value;
	commit();
	return Outcome<VportId>::of(VportId{id});
}

Status FakeKernel::vport_delete(const std::string &pf, VportId id)
{
	if (auto st = enter("vport_delete"); !st.ok())
		return st;
	Pf *p = find_pf(pf);
	if (p == nullptr)
		return Status::fail(ENODEV, "no such PF");
	if (id.value == 0)
		return Status::fail(EPERM, "the default VPort cannot be deleted");
	if (!p->vports.contains(id.value))
		return Status::fail(ENOENT, "no such VPort");
	if (p->vport_filters.contains(id.value))
		return Status::fail(EBUSY, "VPort still owns filters");
	p->vports.erase(id.value);
	commit();
	return Status::success();
}

std::vector<FilterInfo> FakeKernel::filters(const std::string &pf)
{
	std::vector<FilterInfo> out;
	if (Pf *p = find_pf(pf); p != nullptr)
		for (const auto &[id, f] : p->filters)
			out.push_back(f);
	return out;
}

std::optional<VportId> FakeKernel::filter_vport(const std::string &pf, const Filter &f)
{
	Pf *p = find_pf(pf);
	if (p == nullptr)
		return std::nullopt;
	const auto it = p->filter_ids.find(f);
	if (it == p->filter_ids.end())
		return std::nullopt;
	return p->filters.at(it->second).vport;
}

Status FakeKernel::filter_add(const std::string &pf, VportId vport, const Filter &f)
{
	if (auto st = enter("filter_add"); !st.ok())
		return st;
	Pf *p = find_pf(pf);
	if (p == nullptr)
		return Status::fail(ENODEV, "no such PF");
	if (!p->vports.contains(vport.value))
		return Status::fail(ENOENT, "no such VPort");
	if (p->filter_ids.contains(f))
		return Status::fail(EEXIST, "duplicate filter");
	filter_insert(pf, *p, f, vport);
	commit();
	return Status::success();
}

Status FakeKernel::filter_del(const std::string &pf, VportId vport, const Filter &f)
{
	if (auto st = enter("filter_del"); !st.ok())
		return st;
	Pf *p = find_pf(pf);
	if (p == nullptr)
		return Status::fail(ENODEV, "no such PF");
	const auto it = p->filter_ids.find(f);
	if (it == p->filter_ids.end() || p->filters.at(it->second).vport != vport)
		return Status::fail(ENOENT, "no such filter");
	filter_erase(pf, *p, it->second);
	commit();
	return Status::success();
}

Status FakeKernel::filters_move(const std::string &pf, VportId from, VportId to, const std::vector<Filter> &set)
{
	if (auto st = enter("filters_move"); !st.ok())
		return st;
	Pf *p = find_pf(pf);
	if (p == nullptr)
		return Status::fail(ENODEV, "no such PF");
	if (!p->vports.contains(to.value) || !p->vports.contains(from.value))
		return Status::fail(ENOENT, "no such VPort");
	std::set<std::uint32_t> ids;
	for (const auto &f : set) {
		const auto it = p->filter_ids.find(f);
		if (it == p->filter_ids.end() || p->filters.at(it->second).vport != from)
			return Status::fail(ENOENT, "filter " + f.mac.str() + " not on source VPort");
		ids.insert(it->second);
	}
	for (const auto id : ids)
		filter_move(pf, *p, id, to);
	requests_.push_back("filters_move " + pf + " " + std::to_string(from.value) + "->" + std::to_string(to.value));
	commit();
	return Status::success();
}

} // namespace sriov
