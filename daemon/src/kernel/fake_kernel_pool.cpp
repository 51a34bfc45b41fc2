// SPDX-License-Identifier: GPL-2.0
// FakeKernel: the PFs, their VF pools, VPorts and filters.
#include "kernel/fake_kernel.hpp"

#include <algorithm>
#include <cerrno>

namespace sriov {

namespace {

constexpr std::uint32_t pools_per_pf = 8; // 82576: 8 VMDq pools, one is the default VPort

std::string vf_netdev_name(const std::string &pf_netdev, std::uint32_t idx)
{
	return pf_netdev + "v" + std::to_string(idx);
}

} // namespace

void FakeKernel::add_pf(const std::string &name, const std::string &netdev, std::uint32_t total_vfs)
{
	Pf p;
	p.netdev = netdev;
	p.total_vfs = total_vfs;
	p.num_vfs = total_vfs;
	for (std::uint32_t i = 0; i < total_vfs; ++i)
		p.vfs.push_back(Vf{.netdev = vf_netdev_name(netdev, i), .ifindex = next_ifindex_++});
	p.vports[0] = std::nullopt;
	pfs_[name] = std::move(p);
	commit();
}

void FakeKernel::autonomous_failover(const std::string &pf, VfIndex vf, std::uint32_t reason, bool vf_stays_up)
{
	Pf *p = find_pf(pf);
	Vf *v = find_vf(pf, vf);
	if (p == nullptr || v == nullptr)
		return;
	std::optional<std::uint32_t> src;
	for (const auto &[id, owner] : p->vports)
		if (owner == vf.value)
			src = id;
	if (!src)
		return; // no VPort: sriov_pf has nothing to move
	KernelEvent ev{.type = KernelEvent::Type::filters_moved, .pf = pf, .vf = std::nullopt, .partition = {},
		       .detail = "filter-moved reason=" + std::to_string(reason), .src_vport = VportId{*src},
		       .dst_vport = VportId{0}, .reset_reason = reason, .filter_ids = {}};
	std::uint32_t idx = 0;
	for (auto &f : p->filters) {
		if (f.vport == VportId{*src}) {
			f.vport = VportId{0};
			ev.filter_ids.push_back(idx);
		}
		++idx;
	}
	requests_.push_back("kernel_failover " + pf + " vf=" + std::to_string(vf.value) +
			    " vport=" + std::to_string(*src) + "->0");
	events_.push_back(std::move(ev));
	if (vf_stays_up) {
		commit();
		return;
	}
	v->down = true;
	for (auto &[name, a] : adapters_)
		if (a.info.paired_vf_ifindex != 0 && a.info.paired_vf_ifindex == v->ifindex) {
			a.info.datapath = Datapath::synthetic;
			dp_request(a, Datapath::synthetic);
		}
	commit();
}

void FakeKernel::pool_disable(const std::string &pf)
{
	Pf *p = find_pf(pf);
	if (p == nullptr)
		return;
	constexpr std::uint32_t reason_sriov_disable = 5;
	for (const auto &[id, owner] : p->vports) {
		if (!owner)
			continue;
		KernelEvent ev{.type = KernelEvent::Type::filters_moved, .pf = pf, .vf = std::nullopt, .partition = {},
			       .detail = "filter-moved reason=5", .src_vport = VportId{id}, .dst_vport = VportId{0},
			       .reset_reason = reason_sriov_disable, .filter_ids = {}};
		std::uint32_t idx = 0;
		for (auto &f : p->filters) {
			if (f.vport == VportId{id}) {
				f.vport = VportId{0};
				ev.filter_ids.push_back(idx);
			}
			++idx;
		}
		events_.push_back(std::move(ev));
	}
	for (std::uint32_t i = 0; i < p->num_vfs; ++i) {
		Vf &v = p->vfs[i];
		if (v.allocated)
			events_.push_back({.type = KernelEvent::Type::vf_lost, .pf = pf, .vf = VfIndex{i}, .partition = {},
					   .detail = "vf-freed"});
		v.allocated = false;
		v.serial = 0;
		v.present = false;
		v.netns.clear();
		v.netdev_mac.reset();
		v.down = false;
		v.unbound = false;
	}
	p->vports.clear();
	p->filters.clear();
	p->num_vfs = 0;
	requests_.push_back("pool_disable " + pf);
	events_.push_back({.type = KernelEvent::Type::link_change, .pf = pf, .vf = std::nullopt, .partition = {},
			   .detail = "switch-change num-vfs=0"});
	update_pairing();
	commit();
}

void FakeKernel::pf_unplug(const std::string &pf)
{
	if (find_pf(pf) == nullptr)
		return;
	pool_disable(pf);
	pfs_[pf].unplugged = true;
	pf_out_of_switch_.insert(pf);
	commit();
}

void FakeKernel::pf_plug(const std::string &pf)
{
	auto it = pfs_.find(pf);
	if (it == pfs_.end() || !it->second.unplugged)
		return;
	it->second.unplugged = false;
	events_.push_back({.type = KernelEvent::Type::link_change, .pf = pf, .vf = std::nullopt, .partition = {},
			   .detail = "PF registered"});
	commit();
}

void FakeKernel::pool_probe(const std::string &pf)
{
	Pf *p = find_pf(pf);
	if (p == nullptr)
		return;
	for (std::uint32_t i = 0; i < p->num_vfs; ++i)
		p->vfs[i].present = true;
	events_.push_back({.type = KernelEvent::Type::link_change, .pf = pf, .vf = std::nullopt, .partition = {},
			   .detail = "VF netdevs registered"});
	update_pairing();
	commit();
}

void FakeKernel::pool_enable(const std::string &pf, std::uint32_t n, bool probed)
{
	Pf *p = find_pf(pf);
	if (p == nullptr || n > p->total_vfs)
		return;
	for (std::uint32_t i = 0; i < n; ++i)
		p->vfs[i] = Vf{.present = probed, .netdev = vf_netdev_name(p->netdev, i), .ifindex = next_ifindex_++};
	p->vports = {{0, std::nullopt}};
	p->filters.clear();
	p->num_vfs = n;
	requests_.push_back("pool_enable " + pf + " " + std::to_string(n));
	events_.push_back({.type = KernelEvent::Type::link_change, .pf = pf, .vf = std::nullopt, .partition = {},
			   .detail = "switch-change num-vfs=" + std::to_string(n)});
	update_pairing();
	commit();
}

void FakeKernel::vf_back(const std::string &pf, VfIndex vf)
{
	Vf *v = find_vf(pf, vf);
	if (v == nullptr)
		return;
	v->down = false;
	for (auto &[name, a] : adapters_)
		if (a.info.paired_vf_ifindex != 0 && a.info.paired_vf_ifindex == v->ifindex)
			dp_request(a, Datapath::vf);
	commit();
}

std::vector<PfInfo> FakeKernel::pfs()
{
	std::vector<PfInfo> out;
	for (const auto &[name, p] : pfs_)
		if (!p.unplugged)
			out.push_back({.name = name, .netdev = p.netdev, .total_vfs = p.total_vfs,
				       .num_vfs = p.num_vfs, .default_vport = VportId{0}});
	return out;
}

Status FakeKernel::set_num_vfs(const std::string &pf, std::uint32_t n)
{
	if (auto st = enter("set_num_vfs"); !st.ok())
		return st;
	Pf *p = find_pf(pf);
	if (p == nullptr)
		return Status::fail(ENODEV, "no such PF");
	if (n > p->total_vfs)
		return Status::fail(ERANGE, "more than sriov_totalvfs");
	if (n != 0 && p->num_vfs != 0 && n != p->num_vfs)
		return Status::fail(EBUSY, "write 0 to sriov_numvfs first");
	for (std::uint32_t i = n; i < p->num_vfs; ++i)
		if (p->vfs[i].allocated)
			return Status::fail(EBUSY, "VF " + std::to_string(i) + " is allocated");
	p->num_vfs = n;
	commit();
	return Status::success();
}

std::vector<VfInfo> FakeKernel::vfs(const std::string &pf)
{
	std::vector<VfInfo> out;
	Pf *p = find_pf(pf);
	if (p == nullptr)
		return out;
	for (std::uint32_t i = 0; i < p->num_vfs; ++i) {
		const Vf &v = p->vfs[i];
		out.push_back({.index = VfIndex{i}, .allocated = v.allocated, .serial = v.serial, .mac = v.mac,
			       .netdev = v.has_netdev() ? v.netdev : std::string{}, .netns = v.netns,
			       .netdev_mac = v.netdev_mac.value_or(v.mac), .ifindex = v.has_netdev() ? v.ifindex : 0,
			       .running = v.has_netdev() && !vfs_down_});
	}
	return out;
}

Status FakeKernel::vf_alloc(const std::string &pf, VfIndex vf, std::uint64_t serial)
{
	if (auto st = enter("vf_alloc"); !st.ok())
		return st;
	Vf *v = find_vf(pf, vf);
	if (v == nullptr)
		return Status::fail(ENOENT, "unknown VF");
	if (v->allocated)
		return Status::fail(EEXIST, "VF already allocated");
	v->allocated = true;
	v->serial = serial;
	commit();
	return Status::success();
}

Status FakeKernel::vf_set_mac(const std::string &pf, VfIndex vf, const MacAddr &mac)
{
	if (auto st = enter("vf_set_mac"); !st.ok())
		return st;
	Vf *v = find_vf(pf, vf);
	if (v == nullptr)
		return Status::fail(ENOENT, "unknown VF");
	if (lazy_vf_driver_ && !v->netdev_mac && v->mac != mac)
		v->netdev_mac = v->mac; // the driver ignores the PF's reset request
	v->mac = mac;
	if (v->unbound) {
		// the real backend probes a driver for a VF without one
		v->unbound = false;
		v->netns.clear();
		v->netdev_mac.reset();
		++probes_;
	}
	update_pairing();
	commit();
	return Status::success();
}

Status FakeKernel::vf_probe(const std::string &pf, VfIndex vf)
{
	if (auto st = enter("vf_probe"); !st.ok())
		return st;
	Vf *v = find_vf(pf, vf);
	if (v == nullptr)
		return Status::fail(ENOENT, "unknown VF");
	v->netdev_mac.reset();
	// a driver binds again, in the host's namespace
	if (v->unbound)
		v->netns.clear();
	v->unbound = false;
	++probes_;
	update_pairing();
	commit();
	return Status::success();
}

Status FakeKernel::vf_unbind(const std::string &pf, VfIndex vf)
{
	if (auto st = enter("vf_unbind"); !st.ok())
		return st;
	Vf *v = find_vf(pf, vf);
	if (v == nullptr)
		return Status::fail(ENOENT, "unknown VF");
	requests_.push_back("vf_unbind " + pf + " " + std::to_string(vf.value));
	v->unbound = true;
	v->netns.clear(); // the netdev is gone; a probe registers it in the host's namespace
	update_pairing();
	commit();
	return Status::success();
}

Status FakeKernel::vf_reset(const std::string &pf, VfIndex vf)
{
	if (auto st = enter("vf_reset"); !st.ok())
		return st;
	Vf *v = find_vf(pf, vf);
	if (v == nullptr)
		return Status::fail(ENOENT, "unknown VF");
	if (!v->present)
		return Status::fail(EIO, "VF did not come back from FLR");
	v->resets++;
	v->down = false; // a function-level reset brings it back up
	commit();
	return Status::success();
}

Status FakeKernel::vf_free(const std::string &pf, VfIndex vf)
{
	if (auto st = enter("vf_free"); !st.ok())
		return st;
	Pf *p = find_pf(pf);
	Vf *v = find_vf(pf, vf);
	if (p == nullptr || v == nullptr)
		return Status::fail(ENOENT, "unknown VF");
	if (!v->allocated)
		return Status::fail(ENOENT, "VF not allocated");
	for (const auto &[id, owner] : p->vports)
		if (owner && *owner == vf.value)
			return Status::fail(EBUSY, "VF still has VPort " + std::to_string(id));
	v->allocated = false;
	v->serial = 0;
	v->mac = MacAddr{};
	commit();
	return Status::success();
}

Outcome<std::vector<std::uint8_t>> FakeKernel::config_read(const std::string &pf, VfIndex vf, std::uint32_t offset,
							   std::uint32_t len)
{
	using R = Outcome<std::vector<std::uint8_t>>;
	constexpr std::uint32_t cfg_size = 4096;
	if (find_vf(pf, vf) == nullptr)
		return R::fail(ENOENT, "unknown VF");
	if (len == 0 || len > cfg_size || offset >= cfg_size || offset + len > cfg_size)
		return R::fail(EINVAL, "range outside the 4096-byte config space");
	std::vector<std::uint8_t> space(cfg_size, 0);
	// 82576 VF: vendor 8086, device 10ca; VFs read 0xffff vendor in hardware,
	// the PF proxy reports the PF's vendor as Linux does.
	space[0] = 0x86;
	space[1] = 0x80;
	space[2] = 0xca;
	space[3] = 0x10;
	return R::of(std::vector<std::uint8_t>(space.begin() + offset, space.begin() + offset + len));
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
	for (const auto &f : p->filters)
		if (f.vport == id)
			return Status::fail(EBUSY, "VPort still owns filters");
	p->vports.erase(id.value);
	commit();
	return Status::success();
}

std::vector<FilterInfo> FakeKernel::filters(const std::string &pf)
{
	Pf *p = find_pf(pf);
	return p == nullptr ? std::vector<FilterInfo>{} : p->filters;
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
	for (const auto &x : p->filters)
		if (x.filter == f)
			return Status::fail(EEXIST, "duplicate filter");
	p->filters.push_back({.filter = f, .vport = vport});
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
	auto it = std::find_if(p->filters.begin(), p->filters.end(),
			       [&](const FilterInfo &x) { return x.filter == f && x.vport == vport; });
	if (it == p->filters.end())
		return Status::fail(ENOENT, "no such filter");
	p->filters.erase(it);
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
	for (const auto &f : set) {
		const bool found = std::any_of(p->filters.begin(), p->filters.end(), [&](const FilterInfo &x) {
			return x.filter == f && x.vport == from;
		});
		if (!found)
			return Status::fail(ENOENT, "filter " + f.mac.str() + " not on source VPort");
	}
	for (auto &x : p->filters)
		if (x.vport == from && std::find(set.begin(), set.end(), x.filter) != set.end())
			x.vport = to;
	requests_.push_back("filters_move " + pf + " " + std::to_string(from.value) + "->" + std::to_string(to.value));
	commit();
	return Status::success();
}

} // namespace sriov
