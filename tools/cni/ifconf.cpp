// SPDX-License-Identifier: GPL-2.0
#include "ifconf.hpp"

#include "cni.hpp"
#include "common/unique_fd.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <net/if.h>
#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

namespace cni {

namespace {

/// This thread in the network namespace at a path for the object's
/// lifetime; back in its own afterwards.  The plugin is single-threaded.
class InNetns {
public:
	explicit InNetns(const std::string &path) : home_(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC))
	{
		if (home_.get() < 0)
			throw Error(iface_config_failed, std::string("/proc/self/ns/net: ") + std::strerror(errno));
		const sriov::UniqueFd ns(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
		if (ns.get() < 0)
			throw Error(iface_config_failed, "network namespace " + path + ": " + std::strerror(errno));
		if (::setns(ns.get(), CLONE_NEWNET) != 0)
			throw Error(iface_config_failed, "entering network namespace " + path + ": " + std::strerror(errno));
	}
	InNetns(const InNetns &) = delete;
	InNetns &operator=(const InNetns &) = delete;
	InNetns(InNetns &&) = delete;
	InNetns &operator=(InNetns &&) = delete;
	~InNetns() { (void)::setns(home_.get(), CLONE_NEWNET); }

private:
	sriov::UniqueFd home_;
};

struct SockFree {
	void operator()(nl_sock *s) const { nl_socket_free(s); }
};
struct LinkPut {
	void operator()(rtnl_link *l) const { rtnl_link_put(l); }
};
struct AddrPut {
	void operator()(rtnl_addr *a) const { rtnl_addr_put(a); }
};
struct NlAddrPut {
	void operator()(nl_addr *a) const { nl_addr_put(a); }
};
struct RoutePut {
	void operator()(rtnl_route *r) const { rtnl_route_put(r); }
};
struct CacheFree {
	void operator()(nl_cache *c) const { nl_cache_free(c); }
};
using Sock = std::unique_ptr<nl_sock, SockFree>;
using Link = std::unique_ptr<rtnl_link, LinkPut>;
using Addr = std::unique_ptr<rtnl_addr, AddrPut>;
using NlAddr = std::unique_ptr<nl_addr, NlAddrPut>;
using Route = std::unique_ptr<rtnl_route, RoutePut>;
using Cache = std::unique_ptr<nl_cache, CacheFree>;

std::string nlerr(int err)
{
	return nl_geterror(err);
}

/// An rtnetlink socket in the current namespace.
Sock route_socket()
{
	Sock s(nl_socket_alloc());
	if (!s)
		throw Error(iface_config_failed, "netlink socket: out of memory");
	if (const int err = nl_connect(s.get(), NETLINK_ROUTE); err < 0)
		throw Error(iface_config_failed, "netlink socket: " + nlerr(err));
	return s;
}

NlAddr parse_addr(const std::string &text, int family = AF_UNSPEC)
{
	nl_addr *a = nullptr;
	if (const int err = nl_addr_parse(text.c_str(), family, &a); err < 0)
		throw Error(iface_config_failed, "address '" + text + "': " + nlerr(err));
	return NlAddr(a);
}

std::string addr_text(const nl_addr *a)
{
	std::array<char, 128> buf{};
	return nl_addr2str(a, buf.data(), buf.size());
}

std::string lower(std::string s)
{
	std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
	return s;
}

/// @c.ifname in the current namespace; nullptr when there is none.
Link find_link(nl_sock *s, const IfConf &c)
{
	rtnl_link *l = nullptr;
	const int err = rtnl_link_get_kernel(s, 0, c.ifname.c_str(), &l);
	if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV)
		return nullptr;
	if (err < 0)
		throw Error(iface_config_failed, "link " + c.ifname + " in " + c.netns + ": " + nlerr(err));
	return Link(l);
}

std::string link_mac(rtnl_link *l)
{
	const nl_addr *a = rtnl_link_get_addr(l);
	return a != nullptr ? lower(addr_text(a)) : std::string();
}

/// The gateway for a route without one: that of the first address of the
/// route's family that has one.
std::string gateway_for(const IfConf &c, int family)
{
	for (std::size_t i = 0; i < c.addresses.size() && i < c.gateways.size(); ++i) {
		if (c.gateways[i].empty())
			continue;
		const NlAddr a = parse_addr(c.addresses[i]);
		if (nl_addr_get_family(a.get()) == family)
			return c.gateways[i];
	}
	return {};
}

void add_address(nl_sock *s, int ifindex, const std::string &cidr)
{
	const NlAddr local = parse_addr(cidr);
	const Addr a(rtnl_addr_alloc());
	if (!a)
		throw Error(iface_config_failed, "address: out of memory");
	rtnl_addr_set_ifindex(a.get(), ifindex);
	rtnl_addr_set_family(a.get(), nl_addr_get_family(local.get()));
	if (const int err = rtnl_addr_set_local(a.get(), local.get()); err < 0)
		throw Error(iface_config_failed, "address " + cidr + ": " + nlerr(err));
	// usable at once: the switch's ND guard already ties it to this
	// partition, a duplicate could not be answered anyway
	if (nl_addr_get_family(local.get()) == AF_INET6)
		rtnl_addr_set_flags(a.get(), IFA_F_NODAD);
	const int err = rtnl_addr_add(s, a.get(), 0);
	if (err < 0 && err != -NLE_EXIST)
		throw Error(iface_config_failed, "adding address " + cidr + ": " + nlerr(err));
}

void add_route(nl_sock *s, int ifindex, const IfConf &c, const IfRoute &r)
{
	const NlAddr dst = parse_addr(r.dst);
	const int family = nl_addr_get_family(dst.get());
	const std::string gw = r.gw.empty() ? gateway_for(c, family) : r.gw;
	const Route rt(rtnl_route_alloc());
	if (!rt)
		throw Error(iface_config_failed, "route: out of memory");
	rtnl_route_set_family(rt.get(), static_cast<std::uint8_t>(family));
	rtnl_route_set_table(rt.get(), RT_TABLE_MAIN);
	rtnl_route_set_protocol(rt.get(), RTPROT_BOOT);
	if (const int err = rtnl_route_set_dst(rt.get(), dst.get()); err < 0)
		throw Error(iface_config_failed, "route " + r.dst + ": " + nlerr(err));
	rtnl_nexthop *nh = rtnl_route_nh_alloc();
	if (nh == nullptr)
		throw Error(iface_config_failed, "route: out of memory");
	rtnl_route_nh_set_ifindex(nh, ifindex);
	if (!gw.empty()) {
		const NlAddr g = parse_addr(gw, family);
		rtnl_route_nh_set_gateway(nh, g.get());
	}
	rtnl_route_add_nexthop(rt.get(), nh); // the route owns it now
	const int err = rtnl_route_add(s, rt.get(), NLM_F_EXCL);
	if (err < 0 && err != -NLE_EXIST)
		throw Error(iface_config_failed,
			    "adding route " + r.dst + (gw.empty() ? "" : " via " + gw) + ": " + nlerr(err));
}

/// The addresses on @ifindex, as nl_addr2str writes them (CIDR).
std::vector<std::string> addresses_of(nl_sock *s, int ifindex)
{
	nl_cache *raw = nullptr;
	if (const int err = rtnl_addr_alloc_cache(s, &raw); err < 0)
		throw Error(iface_config_failed, "address dump: " + nlerr(err));
	const Cache cache(raw);
	std::vector<std::string> out;
	for (nl_object *o = nl_cache_get_first(cache.get()); o != nullptr; o = nl_cache_get_next(o)) {
		auto *a = reinterpret_cast<rtnl_addr *>(o); // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast): libnl's object model
		if (rtnl_addr_get_ifindex(a) == ifindex && rtnl_addr_get_local(a) != nullptr)
			out.push_back(addr_text(rtnl_addr_get_local(a)));
	}
	return out;
}

} // namespace

void configure_iface(const IfConf &c)
{
	const InNetns in(c.netns);
	const Sock s = route_socket();
	const Link l = find_link(s.get(), c);
	if (!l)
		throw Error(iface_config_failed, "no interface " + c.ifname + " in " + c.netns);
	if (link_mac(l.get()) != lower(c.mac))
		throw Error(iface_config_failed, c.ifname + " in " + c.netns + " has MAC " + link_mac(l.get()) +
							 ", not the partition's " + c.mac + ": left alone");
	const int ifindex = rtnl_link_get_ifindex(l.get());
	if ((rtnl_link_get_flags(l.get()) & IFF_UP) == 0U) {
		const Link change(rtnl_link_alloc());
		if (!change)
			throw Error(iface_config_failed, "link: out of memory");
		rtnl_link_set_flags(change.get(), IFF_UP);
		if (const int err = rtnl_link_change(s.get(), l.get(), change.get(), 0); err < 0)
			throw Error(iface_config_failed, "setting " + c.ifname + " up: " + nlerr(err));
	}
	for (const auto &a : c.addresses)
		add_address(s.get(), ifindex, a);
	for (const auto &r : c.routes)
		add_route(s.get(), ifindex, c, r);
}

std::vector<std::string> check_iface(const IfConf &c)
{
	const InNetns in(c.netns);
	const Sock s = route_socket();
	const Link l = find_link(s.get(), c);
	if (!l)
		return {"no interface " + c.ifname + " in " + c.netns};
	std::vector<std::string> probs;
	if (link_mac(l.get()) != lower(c.mac))
		probs.push_back(c.ifname + " has MAC " + link_mac(l.get()) + ", not " + c.mac);
	if ((rtnl_link_get_flags(l.get()) & IFF_UP) == 0U)
		probs.push_back(c.ifname + " is down");
	const auto have = addresses_of(s.get(), rtnl_link_get_ifindex(l.get()));
	for (const auto &want : c.addresses) {
		const std::string w = addr_text(parse_addr(want).get());
		if (std::find(have.begin(), have.end(), w) == have.end())
			probs.push_back(c.ifname + " lacks address " + want);
	}
	return probs;
}

} // namespace cni
