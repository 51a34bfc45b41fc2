// SPDX-License-Identifier: GPL-2.0
#include "kernel/kernel_api.hpp"

#include <algorithm>
#include <cerrno>
#include <cctype>
#include <string_view>

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

namespace {

/// A namespace name sriovd creates is 1-32 characters; one in a path
/// that a container runtime made may be longer (podman's netns-UUID,
/// containerd's cni-UUID are 40-42): up to 64 there.
bool valid_netns_name(std::string_view s, std::size_t max_len = 32)
{
	return !s.empty() && s.size() <= max_len && s != "." && s != ".." &&
	       std::all_of(s.begin(), s.end(), [](char c) {
		       return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
	       });
}

} // namespace

std::string netns_path(const std::string &ns)
{
	if (!ns.empty() && ns.front() == '/')
		return ns;
	return "/run/netns/" + ns;
}

std::string netns_name_of(const std::string &ns)
{
	const std::string_view s(ns);
	for (const std::string_view dir : {"/run/netns/", "/var/run/netns/"})
		if (s.starts_with(dir))
			return std::string(s.substr(dir.size()));
	return ns;
}

bool valid_netns(const std::string &ns)
{
	constexpr std::size_t path_name_max = 64;
	const std::string_view s(ns);
	for (const std::string_view dir : {"/run/netns/", "/var/run/netns/"})
		if (s.starts_with(dir))
			return valid_netns_name(s.substr(dir.size()), path_name_max);
	if (s.starts_with("/proc/") && s.ends_with("/ns/net")) {
		const auto pid = s.substr(6, s.size() - 6 - 7);
		return !pid.empty() && pid.size() <= 10 &&
		       std::all_of(pid.begin(), pid.end(), [](char c) { return c >= '0' && c <= '9'; });
	}
	return valid_netns_name(s);
}

bool valid_ifname(const std::string &name)
{
	constexpr std::size_t max_len = 15; // IFNAMSIZ - 1
	return !name.empty() && name.size() <= max_len && name != "." && name != ".." &&
	       std::all_of(name.begin(), name.end(), [](char c) { return c > ' ' && c < 0x7f && c != '/' && c != ':'; });
}

Status KernelApi::adapter_claim(const std::string &partition, const std::string &ns, std::uint64_t serial)
{
	const auto a = adapter(partition);
	if (!a)
		return Status::fail(EEXIST, "a link in the way is no adapter of partition " + partition);
	if (a->netns != ns)
		return Status::fail(EEXIST, "the adapter of " + partition + " is in netns " + a->netns);
	if (a->serial != serial)
		return Status::fail(EEXIST, "the adapter of " + partition + " carries serial " + std::to_string(a->serial));
	return Status::success();
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
