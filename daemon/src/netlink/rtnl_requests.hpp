// SPDX-License-Identifier: GPL-2.0
// The rtnetlink requests of the real backend, built with libnl-route's
// objects where it has them (rtnl_link changes and deletes, the VF list,
// rtnl_neigh for the bridge FDB) and with libnl's message API for what it
// lacks (a link kind's IFLA_INFO_DATA, the bridge port flags LOCKED and
// BCAST/MCAST_FLOOD).  Each returns the message, or null when libnl could
// not build it (out of memory); exchange() turns null into ENOMEM.
#pragma once

#include "model/types.hpp"
#include "netlink/nl_transport.hpp"

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <utility>

namespace sriov::netlink {

/// RTM_GETLINK: every link of the socket's namespace.
NlMsg link_dump_request();

/// RTM_GETLINK of one link, by name if @name is not empty, else by @ifindex.
NlMsg link_get_request(int ifindex, const std::string &name);

/// RTM_NEWLINK on link @ifindex with the changes @set makes to an empty
/// rtnl_link (rtnl_link_set_master, _set_flags, _set_ifalias, _set_ns_fd,
/// _set_name, a VF list...); @set returns false if it could not make them.
NlMsg link_change_request(int ifindex, const std::function<bool(rtnl_link *)> &set);

/// RTM_DELLINK of link @ifindex.
NlMsg link_delete_request(int ifindex);

/// For link_change_request(): VF @vf of the PF gets the administrative MAC
/// @mac (IFLA_VFINFO_LIST / IFLA_VF_MAC, what ndo_set_vf_mac takes).
bool add_vf_mac(rtnl_link *pf, std::uint32_t vf, const MacAddr &mac);

/// Writes attributes into a message; false if the message is full.
using MsgFill = std::function<bool(nl_msg *)>;

/// RTM_NEWLINK carrying IFLA_LINKINFO (IFLA_INFO_KIND @kind, IFLA_INFO_DATA
/// written by @data).  @ifindex 0 creates the link (NLM_F_CREATE |
/// NLM_F_EXCL) with the attributes @head writes before IFLA_LINKINFO;
/// @ifi_flags are set in ifi_flags and ifi_change.
NlMsg linkinfo_request(int ifindex, unsigned ifi_flags, const MsgFill &head, const std::string &kind,
		       const MsgFill &data);

/// RTM_SETLINK, family AF_BRIDGE, on bridge port @ifindex: each
/// (IFLA_BRPORT_*, value) pair of @flags in IFLA_PROTINFO.
NlMsg bridge_port_request(int ifindex, std::initializer_list<std::pair<std::uint16_t, std::uint8_t>> flags);

/// RTM_NEWNEIGH for the bridge: @mac is a static, sticky FDB entry on port
/// @ifindex (`bridge fdb replace MAC dev PORT master static sticky`).
NlMsg fdb_pin_request(int ifindex, const MacAddr &mac);

} // namespace sriov::netlink
