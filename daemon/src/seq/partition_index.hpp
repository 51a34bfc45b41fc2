// SPDX-License-Identifier: GPL-2.0
// Lookups over the model's partitions that would otherwise walk all of
// them on every operation: the partitions the arbiter looks at (those
// that want a VF or hold one) and who uses a MAC, an address or a network
// namespace.  Kept up to date from the engine's journal bookkeeping:
// every partition the engine touches (Engine::touch(), which each model
// change needs for the journal anyway) is looked at again before the next
// lookup.
#pragma once

#include "model/model.hpp"

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace sriov::seq {

class PartitionIndex {
public:
	/// How a namespace is identified (KernelApi::netns_identity: the
	/// namespace's device and inode on the real kernel); asked once per
	/// partition looked at, not per lookup.
	using NetnsIdentity = std::function<std::string(const std::string &)>;
	void set_netns_identity(NetnsIdentity f) { netns_identity_ = std::move(f); }
	void dirty(const std::string &name) { dirty_.insert(name); }
	void dirty_all() { all_ = true; }
	/// Look at the partitions marked since the last refresh (all of them
	/// after dirty_all()).
	void refresh(const model::Model &m);
	/// Partitions that want a VF or hold one, in name order.
	[[nodiscard]] std::vector<const model::Partition *> contenders(const model::Model &m) const;
	/// The partition using @mac / address @ip ("" if none).
	[[nodiscard]] std::string mac_user(const MacAddr &mac) const;
	[[nodiscard]] std::string ip_user(const std::string &ip) const;
	/// The partitions whose namespace had identity @id (or path form
	/// @id) when they were last looked at.  A namespace can be replaced
	/// behind sriovd's back: the caller confirms a hit.
	[[nodiscard]] std::vector<std::string> netns_users(const std::string &id) const;

private:
	void drop(const std::string &name);
	void add(const model::Partition &p);

	std::set<std::string> dirty_;
	bool all_{true};
	std::set<std::string> contenders_;
	struct Keys {
		MacAddr mac;
		std::vector<std::string> ips;
		std::vector<std::string> netns; ///< its path form, its identity
	};
	std::map<std::string, Keys> keys_;
	std::map<MacAddr, std::string> by_mac_;
	std::map<std::string, std::string> by_ip_;
	std::map<std::string, std::set<std::string>> by_netns_;
	NetnsIdentity netns_identity_;
};

} // namespace sriov::seq
