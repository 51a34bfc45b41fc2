// SPDX-License-Identifier: GPL-2.0
// A link as the real backend reads it from RTM_NEWLINK / RTM_DELLINK (dump
// and get answers and the link notifications alike), and its one parser:
// libnl's nlmsg_parse / nla_parse_nested with a policy per level.  libnl-
// route's rtnl_link parser is not used: it drops what the backend reads
// most (IFLA_PARENT_DEV_NAME, the IFLA_INFO_DATA of a kind it does not
// know such as sriov_netvsc, IFLA_INFO_SLAVE_DATA).
#pragma once

#include "model/types.hpp"

#include <cstdint>
#include <linux/netlink.h>
#include <optional>
#include <string>

namespace sriov::netlink {

/// IFLA_INFO_DATA of a sriov_netvsc link (kernel/netvsc/uapi/sriov_netvsc.h);
/// an attribute the kernel did not send is nullopt.
struct NetvscData {
	std::optional<std::uint8_t> dp_active;
	std::optional<std::uint8_t> dp_pending;
	std::optional<std::uint32_t> dp_seq;
	std::optional<std::uint64_t> serial;
	std::optional<std::uint8_t> auto_ack;
	std::uint32_t vf_ifindex{}; ///< 0: no VF paired
};

/// The IFLA_BRPORT_* flags of a bridge port (IFLA_INFO_SLAVE_DATA).
struct BridgePort {
	std::optional<std::uint8_t> locked;
	std::optional<std::uint8_t> learning;
	std::optional<std::uint8_t> unicast_flood;
	std::optional<std::uint8_t> bcast_flood;
	std::optional<std::uint8_t> mcast_flood;
};

struct Link {
	int ifindex{};
	std::string name;
	std::string parent_dev; ///< PCI address of the device, if any
	std::string kind;
	std::string alias;
	int master{};
	unsigned flags{}; ///< ifi_flags
	MacAddr mac;
	NetvscData netvsc;                     ///< kind sriov_netvsc only
	std::optional<BridgePort> bridge_port; ///< a bridge's port only
};

/// The link an RTM_NEWLINK or RTM_DELLINK message describes (header
/// included); nullopt for another message type, a message too short for
/// its ifinfomsg, or an attribute the policy rejects (a scalar too short,
/// a string without its NUL).
std::optional<Link> parse_link(nlmsghdr *h);

/// Up with carrier: IFF_UP and IFF_LOWER_UP.
bool link_running(unsigned flags);

} // namespace sriov::netlink
