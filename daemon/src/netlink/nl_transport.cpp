// SPDX-License-Identifier: GPL-2.0
#include "netlink/nl_transport.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <linux/netlink.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>

namespace sriov::netlink {

namespace {

/// The receive buffer asked for (the kernel caps it at rmem_max); libnl's
/// own default, 32 KiB, is below the kernel's.
constexpr int rcvbuf_bytes = 1 << 18;

/// One exchange in flight: what classify() has seen of its answer.
struct Pending {
	std::uint32_t seq{};
	const OnMessage *on_data{};
	std::optional<NlEnd> end;
};

/// NL_CB_MSG_IN, called by libnl for every message it receives: this
/// callback decides alone (NL_SKIP or NL_STOP), so libnl's own sequence
/// check and dispatch never run and each nl_recvmsgs() reads one datagram.
int classify(nl_msg *msg, void *arg)
{
	auto &p = *static_cast<Pending *>(arg);
	nlmsghdr *h = nlmsg_hdr(msg);
	if (h->nlmsg_seq != p.seq)
		return NL_SKIP;
	if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_DONE) {
		p.end = parse_end(h);
		if (!p.end)
			p.end = NlEnd{.err = EPROTO, .extack = "malformed netlink answer"};
		return NL_STOP;
	}
	if (h->nlmsg_type >= NLMSG_MIN_TYPE && *p.on_data)
		(*p.on_data)(h);
	return NL_SKIP;
}

/// What drain() hands its messages to.
struct Sink {
	const OnMessage *on_msg{};
};

/// NL_CB_MSG_IN of drain(): every data message to the caller.
int deliver(nl_msg *msg, void *arg)
{
	nlmsghdr *h = nlmsg_hdr(msg);
	if (h->nlmsg_type >= NLMSG_MIN_TYPE)
		(*static_cast<Sink *>(arg)->on_msg)(h);
	return NL_SKIP;
}

NlCb msg_in_cb(nl_recvmsg_msg_cb_t fn, void *arg)
{
	NlCb cb(nl_cb_alloc(NL_CB_DEFAULT));
	if (cb && nl_cb_set(cb.get(), NL_CB_MSG_IN, NL_CB_CUSTOM, fn, arg) < 0)
		cb.reset();
	return cb;
}

} // namespace

std::string sysfs_pci(const std::string &bdf, const std::string &leaf)
{
	return "/sys/bus/pci/devices/" + bdf + "/" + leaf;
}

NlSock rtnl_socket(unsigned group)
{
	NlSock sk(nl_socket_alloc());
	if (!sk)
		throw std::runtime_error("netlink socket: out of memory");
	int err = nl_connect(sk.get(), NETLINK_ROUTE);
	if (err == 0)
		err = nl_socket_set_buffer_size(sk.get(), rcvbuf_bytes, 0);
	if (err == 0)
		err = nl_socket_set_nonblocking(sk.get());
	if (err == 0 && group != 0)
		err = nl_socket_add_membership(sk.get(), static_cast<int>(group));
	if (err < 0)
		throw std::runtime_error(std::string("rtnetlink socket: ") + nl_geterror(err));
	// libnl-3 has no call for these two: the kernel's error message
	// (extack) with each error, after the request's header only
	const int fd = nl_socket_get_fd(sk.get());
	const int one = 1;
	::setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	::setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return sk;
}

std::optional<NlEnd> parse_end(nlmsghdr *h)
{
	// the kernel's payload before the extack attributes
	int payload = 0;
	NlEnd end;
	if (h->nlmsg_type == NLMSG_ERROR) {
		if (nlmsg_datalen(h) < static_cast<int>(sizeof(nlmsgerr)))
			return std::nullopt;
		const auto *e = static_cast<const nlmsgerr *>(nlmsg_data(h));
		end.err = -e->error;
		payload = static_cast<int>(sizeof(nlmsgerr));
		// the request follows its header unless the answer is capped
		if ((h->nlmsg_flags & NLM_F_CAPPED) == 0) {
			if (e->msg.nlmsg_len < NLMSG_HDRLEN ||
			    e->msg.nlmsg_len - NLMSG_HDRLEN > static_cast<unsigned>(nlmsg_datalen(h)) - sizeof(nlmsgerr))
				return end; // no room for extack attributes
			payload += static_cast<int>(e->msg.nlmsg_len - NLMSG_HDRLEN);
		}
	} else if (h->nlmsg_type == NLMSG_DONE) {
		// an older kernel may send NLMSG_DONE without its error code
		if (nlmsg_datalen(h) >= static_cast<int>(sizeof(int))) {
			int rc = 0;
			std::memcpy(&rc, nlmsg_data(h), sizeof(rc));
			end.err = -rc;
			payload = static_cast<int>(sizeof(int));
		}
	} else {
		return std::nullopt;
	}
	if ((h->nlmsg_flags & NLM_F_ACK_TLVS) == 0)
		return end;
	std::array<nla_policy, NLMSGERR_ATTR_MAX + 1> policy{};
	policy[NLMSGERR_ATTR_MSG] = {.type = NLA_STRING};
	std::array<nlattr *, NLMSGERR_ATTR_MAX + 1> tb{};
	if (nlmsg_parse(h, payload, tb.data(), NLMSGERR_ATTR_MAX, policy.data()) == 0 &&
	    tb[NLMSGERR_ATTR_MSG] != nullptr)
		end.extack = nla_get_string(tb[NLMSGERR_ATTR_MSG]);
	return end;
}

Status exchange(nl_sock *sk, NlMsg req, const OnMessage &on_data, std::chrono::milliseconds timeout)
{
	if (sk == nullptr)
		return Status::fail(ENOENT, "no rtnetlink socket in that namespace");
	if (!req)
		return Status::fail(ENOMEM, "netlink request: out of memory");
	int err = nl_send_auto(sk, req.get());
	if (err < 0)
		return Status::fail(EIO, std::string("netlink send: ") + nl_geterror(err));
	Pending p{.seq = nlmsg_hdr(req.get())->nlmsg_seq, .on_data = &on_data, .end = std::nullopt};
	NlCb cb = msg_in_cb(classify, &p);
	if (!cb)
		return Status::fail(ENOMEM, "netlink callback: out of memory");
	const auto deadline = std::chrono::steady_clock::now() + timeout;
	while (!p.end) {
		const auto now = std::chrono::steady_clock::now();
		const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
		if (now >= deadline)
			return Status::fail(ETIMEDOUT, "no netlink answer within " + std::to_string(timeout.count()) +
							       " ms");
		pollfd pfd{.fd = nl_socket_get_fd(sk), .events = POLLIN, .revents = 0};
		const int n = ::poll(&pfd, 1, static_cast<int>(left.count()));
		if (n < 0 && errno != EINTR)
			return Status::fail(errno, std::string("netlink poll: ") + std::strerror(errno));
		if (n <= 0)
			continue;
		err = nl_recvmsgs(sk, cb.get());
		if (err < 0 && err != -NLE_AGAIN && !p.end)
			return Status::fail(EIO, std::string("netlink receive: ") + nl_geterror(err));
	}
	if (p.end->err != 0)
		return Status::fail(p.end->err, p.end->extack.empty() ? std::strerror(p.end->err) : p.end->extack);
	return Status::success();
}

bool drain(nl_sock *sk, const OnMessage &on_msg)
{
	Sink sink{.on_msg = &on_msg};
	NlCb cb = msg_in_cb(deliver, &sink);
	if (!cb)
		return true; // nothing read: whatever was sent is as good as lost
	bool overrun = false;
	for (;;) {
		// the number of messages of one datagram; -NLE_AGAIN: none left
		const int n = nl_recvmsgs_report(sk, cb.get());
		// ENOBUFS: the socket overran; libnl reports it as NLE_NOMEM
		if (n == -NLE_NOMEM) {
			overrun = true;
			continue;
		}
		if (n <= 0)
			return overrun;
	}
}

} // namespace sriov::netlink
