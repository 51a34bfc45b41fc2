// SPDX-License-Identifier: GPL-2.0
#include "netlink/real_kernel_impl.hpp"

namespace sriov::netlink {

std::vector<PfInfo> RealKernel::pfs()
{
	const auto sw = genl_.switches();
	if (!sw.ok())
		return {};
	std::vector<PfInfo> out;
	for (const auto &s : *sw.value) {
		if (!only_.empty() && std::find(only_.begin(), only_.end(), s.pci_addr) == only_.end())
			continue;
		std::array<char, IF_NAMESIZE> name{};
		const char *n = ::if_indextoname(s.ifindex, name.data());
		pf_ifindex_[s.pci_addr] = s.ifindex;
		PfInfo pi{.name = s.pci_addr, .netdev = n != nullptr ? n : "", .total_vfs = s.total_vfs,
			  .num_vfs = s.num_vfs, .default_vport = VportId{SRIOV_DEFAULT_VPORT_ID}, .capacity = {}};
		if (s.default_mac_filters && s.default_mac_filters_max && s.mac_filters_free && s.mac_filters_max)
			pi.capacity = PfInfo::Capacity{.default_mac_filters = *s.default_mac_filters,
						       .default_mac_filters_max = *s.default_mac_filters_max,
						       .mac_filters_free = *s.mac_filters_free,
						       .mac_filters_max = *s.mac_filters_max};
		out.push_back(std::move(pi));
	}
	return out;
}

Status RealKernel::set_num_vfs(const std::string &pf, std::uint32_t n)
{
	// sysfs attribute: written in place, never through a rename
	Fd fd(::open(sysfs_pci(pf, "sriov_numvfs").c_str(), O_WRONLY | O_CLOEXEC));
	if (fd.get() < 0)
		return Status::fail(errno, "open sriov_numvfs");
	const std::string s = std::to_string(n);
	if (::write(fd.get(), s.data(), s.size()) < 0)
		return Status::fail(errno, errno == EBUSY ? "write 0 to sriov_numvfs first" : std::strerror(errno));
	return Status::success();
}

namespace {

/// What the PF says of a VF, and its netdev (@ns, @l) when it has one.
VfInfo vf_info(const VfNl &v, const std::pair<std::string, Link> *netdev)
{
	VfInfo info{.index = v.vf, .allocated = v.allocated, .serial = v.serial, .mac = v.mac};
	if (netdev != nullptr) {
		const auto &[ns, l] = *netdev;
		info.netdev = l.name;
		info.netns = ns;
		info.netdev_mac = l.mac;
		info.ifindex = static_cast<std::uint32_t>(l.ifindex);
		info.running = link_running(l.flags);
	}
	return info;
}

} // namespace

std::string RealKernel::vf_pci_addr(const std::string &pf, const VfNl &v)
{
	return v.vf_pci_addr.empty() ? vf_bdf(pf, v.vf) : v.vf_pci_addr;
}

std::vector<VfInfo> RealKernel::vfs(const std::string &pf)
{
	const auto got = genl_.vfs(pf);
	if (!got.ok())
		return {};
	// one link dump for all VFs
	const auto links = all_links();
	std::vector<VfInfo> out;
	for (const auto &v : *got.value) {
		const std::string bdf = vf_pci_addr(pf, v);
		const std::pair<std::string, Link> *netdev = nullptr;
		for (const auto &nl : links)
			if (!bdf.empty() && nl.second.parent_dev == bdf)
				netdev = &nl;
		out.push_back(vf_info(v, netdev));
	}
	return out;
}

std::optional<VfInfo> RealKernel::vf(const std::string &pf, VfIndex vf)
{
	const auto got = genl_.vfs(pf);
	if (!got.ok())
		return std::nullopt;
	const auto it = std::find_if(got.value->begin(), got.value->end(), [&](const VfNl &v) { return v.vf == vf; });
	if (it == got.value->end())
		return std::nullopt;
	const auto found = find_pci_netdev(vf_pci_addr(pf, *it));
	return vf_info(*it, found ? &*found : nullptr);
}

Status RealKernel::vf_alloc(const std::string &pf, VfIndex vf, std::uint64_t serial)
{
	return genl_.vf_alloc(pf, vf, serial, std::nullopt);
}

Status RealKernel::vf_set_mac(const std::string &pf, VfIndex vf, const MacAddr &mac)
{
	auto st = vf_set_admin_mac(pf, vf, mac);
	if (!st.ok())
		return st;
	// sriov_vf re-runs its reset handshake when the PF asks for it
	// (the PF does on an admin MAC change) and takes the MAC there:
	// no unbind/probe, the step waits for the netdev's new address.
	// igbvf only reads the admin MAC at probe; no driver: probe one.
	if (vf_driver(pf, vf) == "sriov_vf")
		return Status::success();
	return vf_rebind(pf, vf);
}

Status RealKernel::vf_set_admin_mac(const std::string &pf, VfIndex vf, const MacAddr &mac)
{
	// The family sets the administrative MAC at allocation: re-allocate
	// is not possible, so use the standard ndo_set_vf_mac (IFLA_VF_MAC).
	auto ifi = pf_ifindex(pf);
	if (!ifi)
		return Status::fail(ENODEV, "PF " + pf + " has no netdev");
	return link_change(*ifi, [&](rtnl_link *l) { return add_vf_mac(l, vf.value, mac); });
}

Status RealKernel::vf_reset(const std::string &pf, VfIndex vf)
{
	// The VF leaves its driver before the FLR, as it leaves a VM: an FLR
	// under a bound driver blocked in the lab.
	// No PCI function any more (sriov_numvfs=0 under way): nothing
	// to reset, and an FLR racing the removal waits out the PCI
	// core's minute-long readiness poll.
	if (vf_bdf(pf, vf).empty())
		return Status::fail(ENODEV, "VF " + std::to_string(vf.value) + " has no PCI function (virtfn" +
						    std::to_string(vf.value) + " gone from " + pf + ")");
	if (auto st = driver_unbind(pf, vf); !st.ok())
		log::warn(0, "unbind before FLR of VF ", vf.value, ": ", st.msg);
	return genl_.vf_reset(pf, vf);
}

Status RealKernel::vf_free(const std::string &pf, VfIndex vf)
{
	return genl_.vf_free(pf, vf);
}

Outcome<std::vector<std::uint8_t>> RealKernel::config_read(const std::string &pf, VfIndex vf, std::uint32_t offset,
					       std::uint32_t len)
{
	return genl_.cfg_read(pf, vf, offset, len);
}

std::vector<VportInfo> RealKernel::vports(const std::string &pf)
{
	std::vector<VportInfo> out;
	const auto got = genl_.vports(pf);
	if (!got.ok())
		return out;
	for (const auto &v : *got.value)
		out.push_back({.id = v.id, .vf = v.vf});
	return out;
}

Outcome<VportId> RealKernel::vport_create(const std::string &pf, VfIndex vf)
{
	const auto got = genl_.vport_new(pf, vf);
	if (!got.ok())
		return Outcome<VportId>::fail(got.status.err, got.status.msg);
	return Outcome<VportId>::of(got.value->id);
}

Status RealKernel::vport_delete(const std::string &pf, VportId id)
{
	return genl_.vport_del(pf, id);
}

std::vector<FilterNl> RealKernel::raw_filters(const std::string &pf)
{
	auto got = genl_.filters(pf);
	return got.ok() ? std::move(*got.value) : std::vector<FilterNl>{};
}

Status RealKernel::filter_add(const std::string &pf, VportId vport, const Filter &f)
{
	const auto all = admin_filters(pf);
	const auto it = all.find(vport);
	const bool have_vlan = f.vlan.value == 0 || (it != all.end() && it->second.vlan(f.vlan) != nullptr);
	// the VLAN first: once the MAC filter exists, tagged frames must pass
	if (!have_vlan) {
		auto st = genl_.filter_add_vlan(pf, vport, f.vlan);
		if (!st.ok() && st.err != EEXIST)
			return st;
	}
	return genl_.filter_add_mac(pf, vport, f.mac);
}

Status RealKernel::filter_del(const std::string &pf, VportId vport, const Filter &f)
{
	const auto all = admin_filters(pf);
	const auto it = all.find(vport);
	const FilterNl *mac = it == all.end() ? nullptr : it->second.mac(f.mac);
	if (mac == nullptr)
		return Status::fail(ENOENT, "no such filter");
	auto st = genl_.filter_del(pf, mac->id);
	if (!st.ok())
		return st;
	const FilterNl *vlan = f.vlan.value == 0 ? nullptr : it->second.vlan(f.vlan);
	if (vlan == nullptr || it->second.vlan_still_used(f.mac))
		return Status::success();
	st = genl_.filter_del(pf, vlan->id);
	return st.ok() || st.err == ENOENT ? Status::success() : st;
}

Status RealKernel::filters_move(const std::string &pf, VportId from, VportId to, const std::vector<Filter> &set)
{
	const auto plan = plan_move(admin_filters(pf), from, to, set);
	if (!plan.status.ok())
		return plan.status;
	for (const auto v : plan.add_on_dest) {
		auto st = genl_.filter_add_vlan(pf, to, v);
		if (!st.ok() && st.err != EEXIST)
			return st;
	}
	if (auto st = genl_.filter_move(pf, from, to, plan.move); !st.ok())
		return st;
	for (const auto id : plan.del_on_source) {
		auto st = genl_.filter_del(pf, id);
		if (!st.ok() && st.err != ENOENT)
			return st;
	}
	return Status::success();
}

} // namespace sriov::netlink
