// SPDX-License-Identifier: GPL-2.0
// The plugin's own interface inside the container's namespace: the
// adapter sriovd created there (CNI_IFNAME), brought up and given the
// IPAM result's addresses and routes, as every CNI plugin configures the
// interface it returns.  Nothing else is touched: no VF, no other link.
#pragma once

#include <string>
#include <vector>

namespace cni {

struct IfRoute {
	std::string dst; ///< CIDR
	std::string gw;  ///< "" = the gateway of an address of its family, else on-link
};

struct IfConf {
	std::string netns;  ///< CNI_NETNS, a path
	std::string ifname; ///< CNI_IFNAME
	std::string mac;    ///< the partition's MAC: the link must carry it
	std::vector<std::string> addresses; ///< CIDR, IPv4 or IPv6
	std::vector<std::string> gateways;  ///< per address, "" if none
	std::vector<IfRoute> routes;
};

/// Enter @c.netns, find @c.ifname carrying @c.mac, set it up, add the
/// addresses (IPv6 without DAD) and the routes; an address or route that
/// is there already is fine (a retried ADD).  Throws Error
/// iface_config_failed (or invalid_env when the namespace cannot be
/// entered) naming what failed.
void configure_iface(const IfConf &c);

/// What is wrong with @c.ifname in @c.netns against @c: missing, another
/// MAC, down, an address missing.  Empty: as configured.
std::vector<std::string> check_iface(const IfConf &c);

} // namespace cni
