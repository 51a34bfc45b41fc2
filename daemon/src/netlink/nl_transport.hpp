// SPDX-License-Identifier: GPL-2.0
// rtnetlink transport for the real backend, over libnl-3: owning handles for
// every libnl object the backend holds, a route socket, one bounded
// request/answer exchange (errno and extack of the kernel's answer kept),
// and the draining of a notification socket.
#pragma once

#include "common/error.hpp"
#include "common/unique_fd.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/sriov.h>
#include <netlink/route/neighbour.h>
#include <optional>
#include <string>
#include <unistd.h>
#include <utility>

namespace sriov::netlink {

/// How long a request waits for the end of its answer.
constexpr std::chrono::milliseconds request_timeout{5000};

/// An owning descriptor (a netns, a socket, an epoll instance).
using Fd = UniqueFd;

/// unique_ptr over a libnl object released by @Free.
template <typename T, void (*Free)(T *)> struct NlDeleter {
	void operator()(T *p) const { Free(p); }
};
template <typename T, void (*Free)(T *)> using NlPtr = std::unique_ptr<T, NlDeleter<T, Free>>;

using NlSock = NlPtr<nl_sock, nl_socket_free>;
using NlMsg = NlPtr<nl_msg, nlmsg_free>;
using NlCb = NlPtr<nl_cb, nl_cb_put>;
using NlAddr = NlPtr<nl_addr, nl_addr_put>;
using RtnlLink = NlPtr<rtnl_link, rtnl_link_put>;
using RtnlLinkVf = NlPtr<rtnl_link_vf, rtnl_link_vf_put>;
using RtnlNeigh = NlPtr<rtnl_neigh, rtnl_neigh_put>;

/// A file under a PCI device's sysfs directory.
std::string sysfs_pci(const std::string &bdf, const std::string &leaf);

/// A non-blocking NETLINK_ROUTE socket with extended acks (capped), in the
/// network namespace of the calling thread; joined to @group if not 0.
/// Throws std::runtime_error with libnl's reason.
NlSock rtnl_socket(unsigned group = 0);

/// How an exchange ended: NLMSG_ERROR (err 0: an ACK) or NLMSG_DONE (err:
/// the dump's error, 0 if none), with the kernel's extack message.
struct NlEnd {
	int err{};          ///< errno, positive
	std::string extack; ///< NLMSGERR_ATTR_MSG, "" if none
};

/// The end that @h carries; nullopt if @h is neither NLMSG_ERROR nor
/// NLMSG_DONE or too short for its header.
std::optional<NlEnd> parse_end(nlmsghdr *h);

/// A data message of an answer or a notification (header included).
using OnMessage = std::function<void(nlmsghdr *)>;

/// Send @req on @sk (libnl completes it: sequence number, NLM_F_ACK) and
/// hand every data message of its answer to @on_data until the answer ends
/// (ACK, error or NLMSG_DONE).  Messages of other sequence numbers (late
/// answers to a request that timed out) are skipped.  Fails with the
/// kernel's errno and extack text, or ETIMEDOUT when the answer has not
/// ended within @timeout: every receive waits in poll() for what is left.
Status exchange(nl_sock *sk, NlMsg req, const OnMessage &on_data = {},
		std::chrono::milliseconds timeout = request_timeout);

/// Hand every message waiting on non-blocking @sk to @on_msg; true if the
/// socket overran since the last drain (notifications were lost).
bool drain(nl_sock *sk, const OnMessage &on_msg);

} // namespace sriov::netlink
