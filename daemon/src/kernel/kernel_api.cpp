// SPDX-License-Identifier: GPL-2.0
#include "kernel/kernel_api.hpp"

namespace sriov {

std::optional<PfInfo> KernelApi::pf(const std::string &name)
{
	for (auto &p : pfs())
		if (p.name == name)
			return p;
	return std::nullopt;
}

std::optional<VfInfo> KernelApi::vf(const std::string &pf, VfIndex vf)
{
	for (auto &v : vfs(pf))
		if (v.index == vf)
			return v;
	return std::nullopt;
}

std::optional<AdapterInfo> KernelApi::adapter(const std::string &partition)
{
	for (auto &a : adapters())
		if (a.partition == partition)
			return a;
	return std::nullopt;
}

std::optional<VportId> KernelApi::filter_vport(const std::string &pf, const Filter &f)
{
	for (const auto &fi : filters(pf))
		if (fi.filter == f)
			return fi.vport;
	return std::nullopt;
}

} // namespace sriov
