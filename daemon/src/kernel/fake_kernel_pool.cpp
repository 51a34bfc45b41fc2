// SPDX-License-Identifier: GPL-2.0
// FakeKernel: the PFs and their VF pools (VPorts and filters:
// fake_kernel_switch.cpp).
#include "kernel/fake_kernel.hpp"

#include <algorithm>
#include <cerrno>

namespace sriov {

namespace {

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
	dirty_filter_pfs_.insert(name);
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
	if (auto vp = p->vport_filters.find(*src); vp != p->vport_filters.end()) {
		const std::set<std::uint32_t> ids = vp->second;
		for (const auto id : ids) {
			filter_move(pf, *p, id, VportId{0});
			ev.filter_ids.push_back(id);
		}
	}
	requests_.push_back("kernel_failover " + pf + " vf=" + std::to_string(vf.value) +
			    " vport=" + std::to_string(*src) + "->0");
	events_.push_back(std::move(ev));
	if (vf_stays_up) {
		commit();
		return;
	}
	v->down = true;
	for (const auto &name : pair_watch_) {
		Adapter &a = adapters_.at(name);
		if (a.info.paired_vf_ifindex != 0 && a.info.paired_vf_ifindex == v->ifindex) {
			a.info.datapath = Datapath::synthetic;
			dp_request(a, Datapath::synthetic);
		}
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
		if (auto vp = p->vport_filters.find(id); vp != p->vport_filters.end())
			for (const auto fid : vp->second)
				ev.filter_ids.push_back(fid);
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
	filters_clear(pf, *p);
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
	filters_clear(pf, *p);
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
	for (const auto &name : pair_watch_) {
		Adapter &a = adapters_.at(name);
		if (a.info.paired_vf_ifindex != 0 && a.info.paired_vf_ifindex == v->ifindex)
			dp_request(a, Datapath::vf);
	}
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

} // namespace sriov
