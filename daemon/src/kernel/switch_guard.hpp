// SPDX-License-Identifier: GPL-2.0
// The synthetic switch's ARP/ND guard as nftables text: pure functions
// from the partitions' PortGuards to nftables transactions on table
// "bridge sriovd": one that replaces the whole table (at start), and one
// per partition added or removed.  The table has a chain per port and a
// verdict map from the port's name to its chain, looked up once per
// frame by the base chain "ports", so a port's rules come and go without
// touching the others'.  The real backend hands the text to libnftables;
// the fake keeps it, so unit tests read the rules.
#pragma once

#include "kernel/kernel_api.hpp"

#include <map>
#include <string>
#include <vector>

namespace sriov::guard {

inline constexpr const char *table = "sriovd"; ///< in family "bridge"
inline constexpr const char *port_map = "portmap"; ///< port name -> jump to its chain
inline constexpr const char *base_chain = "ports";

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
/// One transaction adding @p's chain (or replacing its rules) and its
/// entry in the map; the other ports are not touched.
std::string port_add_script(const Port &p);
/// One transaction removing the port @ifname's entry and chain.
std::string port_del_script(const std::string &ifname);

// Reading nft's listing of the table back (`list table` / `list chain`):
/// The blocks of a listing, by "chain NAME" / "map NAME": each block's
/// lines from its opening line to its closing brace, as nft printed them.
std::map<std::string, std::string> listing_blocks(const std::string &listing);
/// The elements of the port map's block: port name -> the chain it jumps to.
std::map<std::string, std::string> map_elements(const std::string &map_block);

} // namespace sriov::guard
