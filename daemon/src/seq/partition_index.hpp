// SPDX-License-Identifier: GPL-2.0
// Lookups over the model's partitions that would otherwise walk all of
// them on every operation: the partitions the arbiter looks at (those
// that want a VF or hold one) and who uses a MAC or an address.  Kept up
// to date from the engine's journal bookkeeping: every partition the
// engine touches (Engine::touch(), which each model change needs for the
// journal anyway) is looked at again before the next lookup.
#pragma once

#include "model/model.hpp"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace sriov::seq {

class PartitionIndex {
public:
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

private:
	void drop(const std::string &name);
	void add(const model::Partition &p);

	std::set<std::string> dirty_;
	bool all_{true};
	std::set<std::string> contenders_;
	struct Keys {
		MacAddr mac;
		std::vector<std::string> ips;
	};
	std::map<std::string, Keys> keys_;
	std::map<MacAddr, std::string> by_mac_;
	std::map<std::string, std::string> by_ip_;
};

} // namespace sriov::seq
