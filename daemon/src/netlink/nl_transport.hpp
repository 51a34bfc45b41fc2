// SPDX-License-Identifier: GPL-2.0
// Netlink transport for the real backend: an owning fd, a raw netlink
// socket, and one bounded request/answer exchange with ack and error
// handling.
#pragma once

#include "kernel/kernel_api.hpp"
#include "netlink/sriov_codec.hpp"

#include <cstdint>
#include <memory>
#include <netlink/netlink.h>
#include <string>
#include <utility>
#include <vector>

namespace sriov::netlink {

constexpr int request_timeout_ms = 5000;

/// Owning fd.
class Fd {
public:
	Fd() = default;
	explicit Fd(int fd) : fd_(fd) {}
	Fd(const Fd &) = delete;
	Fd &operator=(const Fd &) = delete;
	Fd(Fd &&o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
	Fd &operator=(Fd &&o) noexcept
	{
		std::swap(fd_, o.fd_);
		return *this;
	}
	~Fd()
	{
		if (fd_ >= 0)
			::close(fd_);
	}
	[[nodiscard]] int get() const { return fd_; }

private:
	int fd_{-1};
};

struct NlSockDeleter {
	void operator()(nl_sock *s) const { nl_socket_free(s); }
};
using NlSock = std::unique_ptr<nl_sock, NlSockDeleter>;

/// A file under a PCI device's sysfs directory.
std::string sysfs_pci(const std::string &bdf, const std::string &leaf);

/// Send one request on a raw netlink fd and collect the answer (bounded).
Status transact(int fd, std::vector<std::uint8_t> req, std::uint32_t seq, std::vector<Message> *data);

/// A bound netlink socket of protocol @proto with extended acks; throws.
Fd raw_netlink(int proto);

} // namespace sriov::netlink
