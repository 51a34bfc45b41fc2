// SPDX-License-Identifier: GPL-2.0
#include "netlink/nl_transport.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <linux/netlink.h>
#include <poll.h>
#include <span>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace sriov::netlink {

std::string sysfs_pci(const std::string &bdf, const std::string &leaf)
{
	return "/sys/bus/pci/devices/" + bdf + "/" + leaf;
}

Status transact(int fd, std::vector<std::uint8_t> req, std::uint32_t seq, std::vector<Message> *data)
{
	if (::send(fd, req.data(), req.size(), 0) < 0)
		return Status::fail(errno, std::string("netlink send: ") + std::strerror(errno));
	std::vector<std::uint8_t> buf(1 << 16);
	const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(request_timeout_ms);
	for (;;) {
		const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
											 std::chrono::steady_clock::now())
					  .count();
		if (left <= 0)
			return Status::fail(ETIMEDOUT, "no netlink answer within 5 s");
		pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
		if (::poll(&p, 1, static_cast<int>(left)) <= 0)
			continue;
		const ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return Status::fail(errno, std::string("netlink recv: ") + std::strerror(errno));
		}
		auto msgs = parse_messages(std::span<const std::uint8_t>(buf.data(), static_cast<std::size_t>(n)));
		if (!msgs)
			return Status::fail(EPROTO, "malformed netlink answer");
		for (auto &m : *msgs) {
			if (m.seq != seq)
				continue; // stale answer to an earlier timed-out request
			switch (m.kind) {
			case Message::Kind::data:
				if (data != nullptr)
					data->push_back(std::move(m));
				break;
			case Message::Kind::done:
			case Message::Kind::ack:
				return Status::success();
			case Message::Kind::error:
				return Status::fail(m.error, m.extack.empty() ? std::strerror(m.error) : m.extack);
			case Message::Kind::unknown:
				break;
			}
		}
	}
}

Fd raw_netlink(int proto)
{
	Fd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto));
	if (fd.get() < 0)
		throw std::runtime_error(std::string("netlink socket: ") + std::strerror(errno));
	const int one = 1;
	::setsockopt(fd.get(), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	::setsockopt(fd.get(), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	sockaddr_nl sa{};
	sa.nl_family = AF_NETLINK;
	if (::bind(fd.get(), reinterpret_cast<sockaddr *>(&sa), sizeof(sa)) != 0) // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
		throw std::runtime_error(std::string("netlink bind: ") + std::strerror(errno));
	return fd;
}

} // namespace sriov::netlink
