// SPDX-License-Identifier: GPL-2.0
// The synthetic switch's ARP/ND guard as nftables text: pure functions
// from the partitions' PortGuards to the one transaction that replaces
// table "bridge sriovd".  The real backend hands the text to libnftables;
// the fake keeps it, so unit tests read the rules.
#pragma once

#include "kernel/kernel_api.hpp"

#include <string>
#include <vector>

namespace sriov::guard {

inline constexpr const char *table = "sriovd"; ///< in family "bridge"

/// One partition port: its netdev name on the switch and its guard.
struct Port {
	std::string ifname;
	PortGuard guard;
};

/// The chain holding @ifname's rules.
std::string chain_name(const std::string &ifname);
/// The rules of one port's chain, one nft rule a line, in order.
std::vector<std::string> port_rules(const PortGuard &g);
/// One transaction: create the table if missing, delete it, and define it
/// again with a chain per port (atomic: no instant without the rules).
std::string script(const std::vector<Port> &ports);

} // namespace sriov::guard
