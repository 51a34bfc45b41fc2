// SPDX-License-Identifier: GPL-2.0
#include "seq/partition_index.hpp"

#include "kernel/kernel_api.hpp"

namespace sriov::seq {

void PartitionIndex::drop(const std::string &name)
{
	contenders_.erase(name);
	const auto it = keys_.find(name);
	if (it == keys_.end())
		return;
	if (auto m = by_mac_.find(it->second.mac); m != by_mac_.end() && m->second == name)
		by_mac_.erase(m);
	for (const auto &ip : it->second.ips)
		if (auto i = by_ip_.find(ip); i != by_ip_.end() && i->second == name)
			by_ip_.erase(i);
	for (const auto &id : it->second.netns)
		if (auto i = by_netns_.find(id); i != by_netns_.end() && i->second.erase(name) > 0 && i->second.empty())
			by_netns_.erase(i);
	keys_.erase(it);
}

void PartitionIndex::add(const model::Partition &p)
{
	if (p.want_vf || p.vf)
		contenders_.insert(p.name);
	std::vector<std::string> ns{netns_path(netns_name_of(p.netns))};
	if (netns_identity_)
		if (auto id = netns_identity_(p.netns); id != ns.front())
			ns.push_back(std::move(id));
	for (const auto &id : ns)
		by_netns_[id].insert(p.name);
	keys_[p.name] = {.mac = p.mac, .ips = p.ips, .netns = std::move(ns)};
	by_mac_.emplace(p.mac, p.name);
	for (const auto &ip : p.ips)
		by_ip_.emplace(ip, p.name);
}

void PartitionIndex::refresh(const model::Model &m)
{
	if (all_) {
		contenders_.clear();
		keys_.clear();
		by_mac_.clear();
		by_ip_.clear();
		by_netns_.clear();
		for (const auto &[name, p] : m.partitions)
			add(p);
		all_ = false;
		dirty_.clear();
		return;
	}
	for (const auto &name : dirty_) {
		drop(name);
		if (const auto it = m.partitions.find(name); it != m.partitions.end())
			add(it->second);
	}
	dirty_.clear();
}

std::vector<const model::Partition *> PartitionIndex::contenders(const model::Model &m) const
{
	std::vector<const model::Partition *> out;
	out.reserve(contenders_.size());
	for (const auto &name : contenders_)
		if (const auto it = m.partitions.find(name); it != m.partitions.end())
			out.push_back(&it->second);
	return out;
}

std::string PartitionIndex::mac_user(const MacAddr &mac) const
{
	const auto it = by_mac_.find(mac);
	return it == by_mac_.end() ? std::string() : it->second;
}

std::string PartitionIndex::ip_user(const std::string &ip) const
{
	const auto it = by_ip_.find(ip);
	return it == by_ip_.end() ? std::string() : it->second;
}

std::vector<std::string> PartitionIndex::netns_users(const std::string &id) const
{
	const auto it = by_netns_.find(id);
	if (it == by_netns_.end())
		return {};
	return {it->second.begin(), it->second.end()};
}

} // namespace sriov::seq
