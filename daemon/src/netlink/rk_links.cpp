// SPDX-License-Identifier: GPL-2.0
#include "netlink/real_kernel_impl.hpp"

extern "C" char **environ; // NOLINT

namespace sriov::netlink {

bool RealKernel::netns_exists(const std::string &ns)
{
	return ns.empty() || std::filesystem::exists(netns_path(ns));
}

std::string RealKernel::netns_identity(const std::string &ns)
{
	// the namespace itself (device and inode of its file), whatever
	// path or name leads to it
	struct stat sb {};
	const std::string path = ns.empty() ? "/proc/self/ns/net" : netns_path(ns);
	if (::stat(path.c_str(), &sb) == 0)
		return "ns:" + std::to_string(sb.st_dev) + ":" + std::to_string(sb.st_ino);
	return KernelApi::netns_identity(ns);
}

Status RealKernel::netns_create(const std::string &ns)
{
	// iproute2 owns the bind-mount convention of /run/netns.  The helper
	// runs on netns_call_: `ip netns add` can block in the kernel (a
	// namespace's creation waits for the pernet mutex that a slow
	// namespace teardown holds), and the io thread waits for it at most
	// netns_bound.  By value: a call that outlives its bound goes on
	// without us.
	return netns_call_.run(
		[ns] {
			std::vector<std::string> argv = {"ip", "netns", "add", ns};
			std::vector<char *> cargv;
			cargv.reserve(argv.size() + 1);
			for (auto &a : argv)
				cargv.push_back(a.data());
			cargv.push_back(nullptr);
			pid_t pid = 0;
			if (::posix_spawnp(&pid, "ip", nullptr, nullptr, cargv.data(), environ) != 0)
				return Status::fail(ENOENT, "cannot run ip netns add");
			int status = 0;
			while (::waitpid(pid, &status, 0) < 0)
				if (errno != EINTR)
					return Status::fail(errno, "ip netns add " + ns + ": waitpid failed");
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
				return Status::fail(EIO, "ip netns add " + ns + " failed");
			return Status::success();
		},
		netns_bound);
}

bool RealKernel::plain_ifname(const std::string &n)
{
	if (n.empty() || n.size() >= IF_NAMESIZE)
		return false;
	return std::all_of(n.begin(), n.end(), [](char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		       c == '.' || c == '_' || c == '-';
	});
}

Status RealKernel::netdev_move(const std::string &from_ns, std::uint32_t ifindex, const std::string &to_ns)
{
	const NsSock src_sock = sock(from_ns);
	nl_sock *src = src_sock.get();
	if (src == nullptr)
		return Status::fail(ENOENT, "no netns " + from_ns);
	Fd target = ns_fd(to_ns);
	if (target.get() < 0)
		return Status::fail(ENOENT, "no netns " + to_ns);
	if (ifindex == 0)
		return Status::fail(ENODEV, "no netdev (ifindex 0)");
	const int idx = static_cast<int>(ifindex);
	auto send = [&](bool rename) {
		return exchange(src, link_change_request(idx, [&](rtnl_link *l) {
					if (rename)
						rtnl_link_set_name(l, "sriovvf%d");
					rtnl_link_set_ns_fd(l, target.get());
					return true;
				}));
	};
	// a name that is no plain interface name does not go to the host
	bool rename = false;
	if (to_ns.empty()) {
		auto l = link_request(from_ns, link_get_request(idx, ""));
		rename = !l.empty() && !plain_ifname(l.front().name);
	}
	auto st = send(rename);
	// the name is taken in @to_ns (the namespace chose a host netdev's name)
	if (!st.ok() && st.err == EEXIST && !rename)
		st = send(true);
	if (st.err == ENODEV)
		return Status::fail(ENODEV, "ifindex " + std::to_string(ifindex) + " is not in netns '" + from_ns + "'");
	return st;
}

std::optional<int> RealKernel::pf_ifindex(const std::string &pf)
{
	if (!pf_ifindex_.contains(pf))
		(void)pfs();
	auto it = pf_ifindex_.find(pf);
	if (it == pf_ifindex_.end())
		return std::nullopt;
	return static_cast<int>(it->second);
}

Fd RealKernel::ns_fd(const std::string &ns)
{
	if (ns.empty())
		return Fd(::dup(host_ns_.get()));
	// a name (iproute2's /run/netns/NAME) or a path to a namespace file
	// (/var/run/netns/X, /proc/PID/ns/net)
	return Fd(::open(netns_path(ns).c_str(), O_RDONLY | O_CLOEXEC));
}

RealKernel::NsSock RealKernel::sock(const std::string &ns)
{
	if (ns.empty())
		return NsSock(rtnl_.get());
	Fd target = ns_fd(ns);
	if (target.get() < 0 || ::setns(target.get(), CLONE_NEWNET) != 0)
		return NsSock(NlSock{});
	NlSock s;
	try {
		s = rtnl_socket();
	} catch (const std::exception &e) {
		log::warn(0, "rtnetlink socket in netns ", ns, ": ", e.what());
	}
	if (::setns(host_ns_.get(), CLONE_NEWNET) != 0)
		throw std::runtime_error("cannot return to the host network namespace");
	return NsSock(std::move(s));
}

std::vector<Link> RealKernel::link_request(const std::string &ns, NlMsg req)
{
	std::vector<Link> out;
	const NsSock s = sock(ns);
	(void)exchange(s.get(), std::move(req), [&out](nlmsghdr *h) {
		if (auto l = parse_link(h))
			out.push_back(std::move(*l));
	});
	return out;
}

std::vector<Link> RealKernel::dump_links(const std::string &ns)
{
	return link_request(ns, link_dump_request());
}

std::optional<Link> RealKernel::get_link(const std::string &ns, const std::string &name)
{
	if (name.empty() || name.size() >= IF_NAMESIZE)
		return std::nullopt;
	auto l = link_request(ns, link_get_request(0, name));
	if (l.empty())
		return std::nullopt;
	return std::move(l.front());
}

std::optional<std::pair<std::string, Link>> RealKernel::find_pci_netdev(const std::string &bdf)
{
	if (bdf.empty() || !std::filesystem::exists(sysfs_pci(bdf, "driver")))
		return std::nullopt;
	std::error_code ec;
	for (const auto &e : std::filesystem::directory_iterator(sysfs_pci(bdf, "net"), ec)) {
		auto l = get_link("", e.path().filename().string());
		if (l && l->parent_dev == bdf)
			return std::make_pair(std::string{}, std::move(*l));
	}
	for (const auto &ns : netns_to_dump(dump_links("")))
		for (auto &l : dump_links(ns))
			if (l.parent_dev == bdf)
				return std::make_pair(ns, std::move(l));
	return std::nullopt;
}

std::vector<std::string> RealKernel::named_netns()
{
	std::vector<std::string> out;
	std::error_code ec;
	for (const auto &e : std::filesystem::directory_iterator("/run/netns", ec))
		out.push_back(e.path().filename().string());
	return out;
}

std::vector<std::string> RealKernel::netns_to_dump(const std::vector<Link> &host)
{
	std::set<std::string> spaces;
	for (auto &ns : named_netns())
		spaces.insert(std::move(ns));
	for (const auto &l : host) {
		if (!is_host_port(l))
			continue;
		// "sriovd:<partition>:<netns>", the netns a path
		const std::string &alias = l.alias;
		const auto colon = alias.find(':', alias_prefix.size());
		if (colon == std::string::npos || colon + 1 >= alias.size() || alias[colon + 1] != '/')
			continue;
		const std::string path = alias.substr(colon + 1);
		spaces.insert(path);
		for (const std::string dir : {"/run/netns/", "/var/run/netns/"})
			if (path.rfind(dir, 0) == 0)
				spaces.erase(path.substr(dir.size()));
	}
	return {spaces.begin(), spaces.end()};
}

std::vector<std::pair<std::string, Link>> RealKernel::all_links()
{
	std::vector<Link> host = dump_links("");
	const std::vector<std::string> spaces = netns_to_dump(host);
	std::vector<std::pair<std::string, Link>> out;
	out.reserve(host.size());
	for (auto &l : host)
		out.emplace_back("", std::move(l));
	for (const auto &ns : spaces)
		for (auto &l : dump_links(ns))
			out.emplace_back(ns, std::move(l));
	return out;
}

unsigned RealKernel::if_index_in(const std::string &ns, const std::string &dev)
{
	const auto l = get_link(ns, dev);
	return l ? static_cast<unsigned>(l->ifindex) : 0;
}

} // namespace sriov::netlink
