// SPDX-License-Identifier: GPL-2.0
// RealKernel's sockets and make_real_kernel() (real_kernel_impl.hpp).
#include "netlink/real_kernel_impl.hpp"

namespace sriov::netlink {

RealKernel::RealKernel(std::vector<std::string> pfs) : only_(std::move(pfs))
{
	host_ns_ = Fd(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
	rtnl_ = rtnl_socket();
	// Link notifications of the host namespace: the adapters' host
	// ports announce every pairing change (Documentation/networking/
	// sriov_netvsc.rst), which is how a surprise VF loss is seen.
	links_ = rtnl_socket(RTNLGRP_LINK);
	epoll_ = Fd(::epoll_create1(EPOLL_CLOEXEC));
	if (epoll_.get() < 0)
		throw std::runtime_error(std::string("epoll_create1: ") + std::strerror(errno));
	for (const int fd : {events_.fd(), nl_socket_get_fd(links_.get())}) {
		epoll_event e{};
		e.events = EPOLLIN;
		e.data.fd = fd;
		if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &e) != 0)
			throw std::runtime_error(std::string("epoll_ctl: ") + std::strerror(errno));
	}
}

std::unique_ptr<KernelApi> make_real_kernel(const std::vector<std::string> &pfs)
{
	return std::make_unique<RealKernel>(pfs);
}

} // namespace sriov::netlink
