// SPDX-License-Identifier: GPL-2.0
// RealKernel: the KernelApi over netlink and sysfs.  Message contents come
// from sriov_codec (pure); this file owns the sockets and the mapping from
// the family's objects to the engine's.
//
// Limitations (documented in Documentation/design/daemon.rst):
//  - A (MAC, VLAN) filter is a MAC filter plus a VLAN filter on one VPort
//    (filter_map.hpp); a VLAN filter on a VPort shared by several
//    partitions stays while any other MAC filter is there.
//  - netns creation runs `ip netns add` (the bind-mount dance is iproute2's).
#include "netlink/real_kernel.hpp"

#include "common/log.hpp"
#include "kernel/switch_guard.hpp"
#include "netlink/filter_map.hpp"
#include "netlink/sriov_codec.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/pkt_cls.h>
#include <linux/tc_act/tc_mirred.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sriov.h>
#include <linux/neighbour.h>
#include <map>
#include <net/if.h>
#include <nftables/libnftables.h>
#include <optional>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <netlink/route/act/mirred.h>
#include <netlink/route/action.h>
#include <netlink/route/classifier.h>
#include <netlink/route/cls/flower.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/tc.h>
#include <poll.h>
#include <sched.h>
#include <set>
#include <spawn.h>
#include <stdexcept>
#include <thread>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

// The sriov_netvsc link type (kernel/netvsc/uapi/sriov_netvsc.h).
#include <sriov_netvsc.h>

namespace swnv {
constexpr const char *kind = SRIOV_NETVSC_KIND;
constexpr std::uint16_t peer = IFLA_SWNV_PEER;
constexpr std::uint16_t serial = IFLA_SWNV_SERIAL;
constexpr std::uint16_t dp_active = IFLA_SWNV_DP_ACTIVE;
constexpr std::uint16_t dp_want = IFLA_SWNV_DP_WANT;
constexpr std::uint16_t vf_ifindex = IFLA_SWNV_VF_IFINDEX;
constexpr std::uint16_t dp_pending = IFLA_SWNV_DP_PENDING;
constexpr std::uint16_t dp_seq = IFLA_SWNV_DP_SEQ;
constexpr std::uint16_t dp_ack = IFLA_SWNV_DP_ACK;
constexpr std::uint16_t auto_ack = IFLA_SWNV_AUTO_ACK;
constexpr std::uint8_t dp_synthetic = SWNV_DP_SYNTHETIC;
constexpr std::uint8_t dp_vf = SWNV_DP_VF;
} // namespace swnv

namespace sriov::netlink {

namespace {

extern "C" char **environ; // NOLINT

constexpr int request_timeout_ms = 5000;
const std::string alias_prefix = "sriovd:";

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

std::string sysfs_pci(const std::string &bdf, const std::string &leaf)
{
	return "/sys/bus/pci/devices/" + bdf + "/" + leaf;
}

/// Send one request on a raw netlink fd and collect the answer (bounded).
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

/// rtnetlink message with an ifinfomsg header and nestable attributes.
class RtnlMsg {
public:
	RtnlMsg(std::uint16_t type, std::uint16_t flags, std::uint32_t seq, int ifindex)
		: RtnlMsg(type, flags, seq, ifinfomsg{.ifi_family = AF_UNSPEC, .ifi_index = ifindex})
	{
	}
	/// Another family header (ndmsg, ...); set_up()/put_ifinfo() are for
	/// ifinfomsg messages only.
	template <typename Hdr>
	RtnlMsg(std::uint16_t type, std::uint16_t flags, std::uint32_t seq, const Hdr &hdr)
	{
		buf_.resize(NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(Hdr)), 0);
		nlmsghdr h{};
		h.nlmsg_type = type;
		h.nlmsg_flags = static_cast<std::uint16_t>(NLM_F_REQUEST | NLM_F_ACK | flags);
		h.nlmsg_seq = seq;
		std::memcpy(buf_.data(), &h, sizeof(h));
		std::memcpy(buf_.data() + NLMSG_HDRLEN, &hdr, sizeof(hdr));
	}
	void set_family(std::uint8_t family)
	{
		ifinfomsg ifi{};
		std::memcpy(&ifi, buf_.data() + NLMSG_HDRLEN, sizeof(ifi));
		ifi.ifi_family = family;
		std::memcpy(buf_.data() + NLMSG_HDRLEN, &ifi, sizeof(ifi));
	}
	void set_up()
	{
		ifinfomsg ifi{};
		std::memcpy(&ifi, buf_.data() + NLMSG_HDRLEN, sizeof(ifi));
		ifi.ifi_flags |= IFF_UP;
		ifi.ifi_change |= IFF_UP;
		std::memcpy(buf_.data() + NLMSG_HDRLEN, &ifi, sizeof(ifi));
	}
	void put(std::uint16_t type, const void *d, std::size_t len)
	{
		const std::size_t off = buf_.size();
		const auto l = static_cast<std::uint16_t>(NLA_HDRLEN + len);
		buf_.resize(off + NLA_ALIGN(l), 0);
		std::memcpy(buf_.data() + off, &l, 2);
		std::memcpy(buf_.data() + off + 2, &type, 2);
		if (len != 0)
			std::memcpy(buf_.data() + off + NLA_HDRLEN, d, len);
	}
	void str(std::uint16_t type, const std::string &s) { put(type, s.c_str(), s.size() + 1); }
	void u32(std::uint16_t type, std::uint32_t v) { put(type, &v, sizeof(v)); }
	void u8(std::uint16_t type, std::uint8_t v) { put(type, &v, sizeof(v)); }
	std::size_t nest() // returns the offset to close
	{
		const std::size_t off = buf_.size();
		put(0, nullptr, 0);
		return off;
	}
	void nest_end(std::size_t off, std::uint16_t type)
	{
		const auto l = static_cast<std::uint16_t>(buf_.size() - off);
		const auto t = static_cast<std::uint16_t>(type | NLA_F_NESTED);
		std::memcpy(buf_.data() + off, &l, 2);
		std::memcpy(buf_.data() + off + 2, &t, 2);
	}
	/// A nested ifinfomsg (the veth-style peer).
	void put_ifinfo()
	{
		ifinfomsg ifi{};
		ifi.ifi_family = AF_UNSPEC;
		const std::size_t off = buf_.size();
		buf_.resize(off + NLMSG_ALIGN(sizeof(ifi)), 0);
		std::memcpy(buf_.data() + off, &ifi, sizeof(ifi));
	}
	[[nodiscard]] std::vector<std::uint8_t> finish() const
	{
		auto out = buf_;
		const auto len = static_cast<std::uint32_t>(out.size());
		std::memcpy(out.data(), &len, sizeof(len));
		return out;
	}

private:
	std::vector<std::uint8_t> buf_;
};

/// Up with carrier: IFF_UP and IFF_LOWER_UP (linux/if.h, which clashes
/// with net/if.h).
bool link_running(unsigned flags)
{
	constexpr unsigned iff_lower_up = 1U << 16;
	return (flags & IFF_UP) != 0 && (flags & iff_lower_up) != 0;
}

/// RTM_NEWNEIGH for the bridge: MAC is a static, sticky entry on port
/// ifindex (`bridge fdb replace MAC dev PORT master static sticky`).
std::vector<std::uint8_t> bridge_fdb_pin(std::uint32_t seq, int ifindex, const MacAddr &mac)
{
	ndmsg nd{};
	nd.ndm_family = AF_BRIDGE;
	nd.ndm_ifindex = ifindex;
	nd.ndm_state = NUD_NOARP;
	nd.ndm_flags = NTF_MASTER | NTF_STICKY;
	RtnlMsg m(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, seq, nd);
	m.put(NDA_LLADDR, mac.bytes().data(), 6);
	return m.finish();
}

/// A link from an RTM_GETLINK dump; info_data points into storage, so it
/// is move-only like Message.
struct Link {
	Link() = default;
	Link(const Link &) = delete;
	Link &operator=(const Link &) = delete;
	Link(Link &&) noexcept = default;
	Link &operator=(Link &&) noexcept = default;
	~Link() = default;

	int ifindex{};
	std::string name;
	std::string parent_dev; ///< PCI address of the device, if any
	std::string kind;
	std::string alias;
	int master{};
	unsigned flags{}; ///< ifi_flags
	MacAddr mac;
	std::vector<Attr> info_data;
	std::string slave_kind;       ///< "bridge" for a bridge port
	std::vector<Attr> slave_data; ///< IFLA_BRPORT_* of a bridge port
	std::vector<std::uint8_t> storage; ///< owns the bytes info_data points into
};

} // namespace

class RealKernel final : public KernelApi {
public:
	explicit RealKernel(std::vector<std::string> pfs) : only_(std::move(pfs))
	{
		genl_ = NlSock(nl_socket_alloc());
		if (!genl_ || genl_connect(genl_.get()) != 0)
			throw std::runtime_error("cannot open a generic netlink socket");
		family_ = genl_ctrl_resolve(genl_.get(), SRIOV_FAMILY_NAME);
		if (family_ < 0)
			throw std::runtime_error("generic netlink family \"sriov\" not found: is sriov_pf loaded?");
		const int one = 1;
		::setsockopt(nl_socket_get_fd(genl_.get()), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
		events_ = NlSock(nl_socket_alloc());
		if (!events_ || genl_connect(events_.get()) != 0)
			throw std::runtime_error("cannot open the event socket");
		const int grp = genl_ctrl_resolve_grp(events_.get(), SRIOV_FAMILY_NAME, SRIOV_MCGRP_EVENTS);
		// the events group carries every notification the engine acts on
		// (VF freed, VF reset/FLR, filter-moved-ntf of sriov_pf's own
		// failovers): without it the model drifts from the kernel
		if (grp < 0 || nl_socket_add_membership(events_.get(), grp) != 0)
			throw std::runtime_error("cannot join the \"sriov\" family's \"" SRIOV_MCGRP_EVENTS "\" multicast group");
		nl_socket_set_nonblocking(events_.get());
		host_ns_ = Fd(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
		rtnl_[""] = raw_netlink(NETLINK_ROUTE);
		// Link notifications of the host namespace: the adapters' host
		// ports announce every pairing change (Documentation/networking/
		// sriov_netvsc.rst), which is how a surprise VF loss is seen.
		links_ = raw_netlink(NETLINK_ROUTE);
		const int grp_link = RTNLGRP_LINK;
		if (::setsockopt(links_.get(), SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp_link, sizeof(grp_link)) != 0)
			throw std::runtime_error(std::string("rtnetlink link group: ") + std::strerror(errno));
		epoll_ = Fd(::epoll_create1(EPOLL_CLOEXEC));
		if (epoll_.get() < 0)
			throw std::runtime_error(std::string("epoll_create1: ") + std::strerror(errno));
		for (const int fd : {nl_socket_get_fd(events_.get()), links_.get()}) {
			epoll_event e{};
			e.events = EPOLLIN;
			e.data.fd = fd;
			if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &e) != 0)
				throw std::runtime_error(std::string("epoll_ctl: ") + std::strerror(errno));
		}
	}

	// ---------------------------------------------------------------- genl

	template <class F> Status call(F &&make, std::vector<Message> *out = nullptr)
	{
		const Req r{.family = static_cast<std::uint16_t>(family_), .seq = ++seq_};
		return transact(nl_socket_get_fd(genl_.get()), make(r), r.seq, out);
	}

	std::vector<PfInfo> pfs() override
	{
		std::vector<Message> msgs;
		if (!call([](const Req &r) { return switch_dump(r); }, &msgs).ok())
			return {};
		std::vector<PfInfo> out;
		for (const auto &m : msgs) {
			auto s = decode_switch(m);
			if (!s)
				continue;
			if (!only_.empty() && std::find(only_.begin(), only_.end(), s->pci_addr) == only_.end())
				continue;
			std::array<char, IF_NAMESIZE> name{};
			const char *n = ::if_indextoname(s->ifindex, name.data());
			pf_ifindex_[s->pci_addr] = s->ifindex;
			out.push_back({.name = s->pci_addr, .netdev = n != nullptr ? n : "", .total_vfs = s->total_vfs,
				       .num_vfs = s->num_vfs, .default_vport = VportId{SRIOV_DEFAULT_VPORT_ID}});
		}
		return out;
	}

	Status set_num_vfs(const std::string &pf, std::uint32_t n) override
	{
		// sysfs attribute: written in place, never through a rename
		Fd fd(::open(sysfs_pci(pf, "sriov_numvfs").c_str(), O_WRONLY | O_CLOEXEC));
		if (fd.get() < 0)
			return Status::fail(errno, "open sriov_numvfs");
		const std::string s = std::to_string(n);
		if (::write(fd.get(), s.data(), s.size()) < 0)
			return Status::fail(errno, errno == EBUSY ? "write 0 to sriov_numvfs first" : std::strerror(errno));
		return Status::success();
	}

	std::vector<VfInfo> vfs(const std::string &pf) override
	{
		std::vector<Message> msgs;
		if (!call([&](const Req &r) { return vf_dump(r, pf); }, &msgs).ok())
			return {};
		const auto links = all_links();
		std::vector<VfInfo> out;
		for (const auto &m : msgs) {
			auto v = decode_vf(m);
			if (!v)
				continue;
			VfInfo info{.index = v->vf, .allocated = v->allocated, .serial = v->serial, .mac = v->mac};
			const std::string bdf = v->vf_pci_addr.empty() ? vf_bdf(pf, v->vf) : v->vf_pci_addr;
			for (const auto &[ns, l] : links)
				if (!bdf.empty() && l.parent_dev == bdf) {
					info.netdev = l.name;
					info.netns = ns;
					info.netdev_mac = l.mac;
					info.ifindex = static_cast<std::uint32_t>(l.ifindex);
					info.running = link_running(l.flags);
				}
			out.push_back(info);
		}
		return out;
	}

	/// One VF: the family's VF dump, and a lookup of that VF's netdev only
	/// (vfs() dumps the links of every namespace for all VFs at once).
	std::optional<VfInfo> vf(const std::string &pf, VfIndex vf) override
	{
		std::vector<Message> msgs;
		if (!call([&](const Req &r) { return vf_dump(r, pf); }, &msgs).ok())
			return std::nullopt;
		for (const auto &m : msgs) {
			auto v = decode_vf(m);
			if (!v || v->vf != vf)
				continue;
			VfInfo info{.index = v->vf, .allocated = v->allocated, .serial = v->serial, .mac = v->mac};
			const std::string bdf = v->vf_pci_addr.empty() ? vf_bdf(pf, v->vf) : v->vf_pci_addr;
			if (auto found = find_pci_netdev(bdf)) {
				info.netdev = found->second.name;
				info.netns = found->first;
				info.netdev_mac = found->second.mac;
				info.ifindex = static_cast<std::uint32_t>(found->second.ifindex);
				info.running = link_running(found->second.flags);
			}
			return info;
		}
		return std::nullopt;
	}

	Status vf_alloc(const std::string &pf, VfIndex vf, std::uint64_t serial) override
	{
		return call([&](const Req &r) { return netlink::vf_alloc(r, pf, vf, serial, std::nullopt); });
	}

	/// Write @text to a sysfs attribute (in place).
	static Status sysfs_write(const std::string &path, const std::string &text)
	{
		Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
		if (fd.get() < 0)
			return Status::fail(errno, "open " + path + ": " + std::strerror(errno));
		if (::write(fd.get(), text.data(), text.size()) < 0)
			return Status::fail(errno, "write " + path + ": " + std::strerror(errno));
		return Status::success();
	}

	/// The first line of a sysfs file ("" if it cannot be read).
	static std::string read_line(const std::string &path)
	{
		std::ifstream in(path);
		std::string line;
		std::getline(in, line);
		return line;
	}

	/// Unbind the VF's driver, if any: its netdev goes away.
	static Status driver_unbind(const std::string &pf, VfIndex vf)
	{
		const std::string bdf = vf_bdf(pf, vf);
		if (bdf.empty())
			return Status::fail(ENOENT, "no virtfn" + std::to_string(vf.value) + " on " + pf);
		if (!std::filesystem::exists(sysfs_pci(bdf, "driver")))
			return Status::success();
		return sysfs_write(sysfs_pci(bdf, "driver/unbind"), bdf);
	}

	/// Probe the VF again: its driver reads the administrative MAC at probe
	/// (igbvf only learns a new admin MAC through its reset handshake).
	static Status vf_rebind(const std::string &pf, VfIndex vf)
	{
		if (auto st = driver_unbind(pf, vf); !st.ok())
			return st;
		const std::string bdf = vf_bdf(pf, vf);
		// With the PF's sriov_drivers_autoprobe off (hosts that hand VFs
		// to VMs set it) the PCI core probes no driver for a VF, not even
		// through drivers_probe, unless the VF's driver_override names one:
		// name the VF driver that is loaded
		if (read_line(sysfs_pci(pf, "sriov_drivers_autoprobe")) == "0") {
			const auto ov = read_line(sysfs_pci(bdf, "driver_override"));
			if (ov.empty() || ov == "(null)") {
				for (const char *drv : {"sriov_vf", "igbvf"})
					if (std::filesystem::exists(std::string("/sys/bus/pci/drivers/") + drv)) {
						if (auto st = sysfs_write(sysfs_pci(bdf, "driver_override"), drv); !st.ok())
							return st;
						break;
					}
			}
		}
		auto st = sysfs_write("/sys/bus/pci/drivers_probe", bdf);
		if (!st.ok())
			return st;
		if (!std::filesystem::exists(sysfs_pci(bdf, "driver")))
			return Status::fail(ENODEV, "no driver bound to VF " + bdf + " (load sriov_vf or igbvf)");
		return Status::success();
	}

	/// The name of the driver bound to the VF ("" if none).
	static std::string vf_driver(const std::string &pf, VfIndex vf)
	{
		const std::string bdf = vf_bdf(pf, vf);
		std::error_code ec;
		const auto target = std::filesystem::read_symlink(sysfs_pci(bdf, "driver"), ec);
		return ec ? std::string{} : target.filename().string();
	}

	Status vf_set_mac(const std::string &pf, VfIndex vf, const MacAddr &mac) override
	{
		auto st = vf_set_admin_mac(pf, vf, mac);
		if (!st.ok())
			return st;
		// sriov_vf re-runs its reset handshake when the PF asks for it
		// (the PF does on an admin MAC change) and takes the MAC there:
		// no unbind/probe, the step waits for the netdev's new address.
		// igbvf only reads the admin MAC at probe; no driver: probe one.
		if (vf_driver(pf, vf) == "sriov_vf")
			return Status::success();
		return vf_rebind(pf, vf);
	}

	Status vf_probe(const std::string &pf, VfIndex vf) override { return vf_rebind(pf, vf); }

	Status vf_unbind(const std::string &pf, VfIndex vf) override { return driver_unbind(pf, vf); }

	Status vf_set_admin_mac(const std::string &pf, VfIndex vf, const MacAddr &mac)
	{
		// The family sets the administrative MAC at allocation: re-allocate
		// is not possible, so use the standard ndo_set_vf_mac (IFLA_VF_MAC).
		auto ifi = pf_ifindex(pf);
		if (!ifi)
			return Status::fail(ENODEV, "PF " + pf + " has no netdev");
		RtnlMsg m(RTM_NEWLINK, 0, ++seq_, *ifi);
		const auto list = m.nest();
		const auto info = m.nest();
		ifla_vf_mac vm{};
		vm.vf = vf.value;
		std::memcpy(vm.mac, mac.bytes().data(), 6);
		m.put(IFLA_VF_MAC, &vm, sizeof(vm));
		m.nest_end(info, IFLA_VF_INFO);
		m.nest_end(list, IFLA_VFINFO_LIST);
		return transact(sock(""), m.finish(), seq_, nullptr);
	}

	Status vf_reset(const std::string &pf, VfIndex vf) override
	{
		// The VF leaves its driver before the FLR, as it leaves a VM: an FLR
		// under a bound driver blocked in the lab.
		// No PCI function any more (sriov_numvfs=0 under way): nothing
		// to reset, and an FLR racing the removal waits out the PCI
		// core's minute-long readiness poll.
		if (vf_bdf(pf, vf).empty())
			return Status::fail(ENODEV, "VF " + std::to_string(vf.value) + " has no PCI function (virtfn" +
							    std::to_string(vf.value) + " gone from " + pf + ")");
		if (auto st = driver_unbind(pf, vf); !st.ok())
			log::warn(0, "unbind before FLR of VF ", vf.value, ": ", st.msg);
		return call([&](const Req &r) { return netlink::vf_reset(r, pf, vf); });
	}

	Status vf_free(const std::string &pf, VfIndex vf) override
	{
		return call([&](const Req &r) { return netlink::vf_free(r, pf, vf); });
	}

	Outcome<std::vector<std::uint8_t>> config_read(const std::string &pf, VfIndex vf, std::uint32_t offset,
						       std::uint32_t len) override
	{
		using R = Outcome<std::vector<std::uint8_t>>;
		std::vector<Message> msgs;
		auto st = call([&](const Req &r) { return cfg_read(r, pf, vf, offset, len); }, &msgs);
		if (!st.ok())
			return R::fail(st.err, st.msg);
		for (const auto &m : msgs)
			if (auto d = decode_cfg_data(m))
				return R::of(*d);
		return R::fail(EPROTO, "cfg-read answer without data");
	}

	std::vector<VportInfo> vports(const std::string &pf) override
	{
		std::vector<Message> msgs;
		std::vector<VportInfo> out;
		if (!call([&](const Req &r) { return vport_dump(r, pf); }, &msgs).ok())
			return out;
		for (const auto &m : msgs)
			if (auto v = decode_vport(m))
				out.push_back({.id = v->id, .vf = v->vf});
		return out;
	}

	Outcome<VportId> vport_create(const std::string &pf, VfIndex vf) override
	{
		std::vector<Message> msgs;
		auto st = call([&](const Req &r) { return vport_new(r, pf, vf); }, &msgs);
		if (!st.ok())
			return Outcome<VportId>::fail(st.err, st.msg);
		for (const auto &m : msgs)
			if (auto v = decode_vport(m))
				return Outcome<VportId>::of(v->id);
		// no reply body: find it in the dump
		for (const auto &v : vports(pf))
			if (v.vf && *v.vf == vf)
				return Outcome<VportId>::of(v.id);
		return Outcome<VportId>::fail(EPROTO, "vport-new answered without a VPort");
	}

	Status vport_delete(const std::string &pf, VportId id) override
	{
		return call([&](const Req &r) { return vport_del(r, pf, id); });
	}

	std::vector<FilterNl> raw_filters(const std::string &pf)
	{
		std::vector<Message> msgs;
		std::vector<FilterNl> out;
		if (!call([&](const Req &r) { return filter_dump(r, pf); }, &msgs).ok())
			return out;
		for (const auto &m : msgs)
			if (auto f = decode_filter(m))
				out.push_back(*f);
		return out;
	}

	std::map<VportId, VportAdmin> admin_filters(const std::string &pf) { return admin_by_vport(raw_filters(pf)); }

	// A daemon filter (MAC, VLAN) on a VPort is the VPort's MAC filter for
	// MAC plus, for VLAN != 0, its VLAN filter for VLAN (the 82576 keeps
	// them apart: a receive-address register and a VLVF pool bit); one
	// VLAN filter serves every MAC of its VPort.  See filter_map.hpp.
	std::vector<FilterInfo> filters(const std::string &pf) override { return daemon_filters(admin_filters(pf)); }

	Status filter_add(const std::string &pf, VportId vport, const Filter &f) override
	{
		const auto all = admin_filters(pf);
		const auto it = all.find(vport);
		const bool have_vlan = f.vlan.value == 0 || (it != all.end() && it->second.vlan(f.vlan) != nullptr);
		// the VLAN first: once the MAC filter exists, tagged frames must pass
		if (!have_vlan) {
			auto st = call([&](const Req &r) { return filter_add_vlan(r, pf, vport, f.vlan); });
			if (!st.ok() && st.err != EEXIST)
				return st;
		}
		return call([&](const Req &r) { return filter_add_mac(r, pf, vport, f.mac); });
	}

	Status filter_del(const std::string &pf, VportId vport, const Filter &f) override
	{
		const auto all = admin_filters(pf);
		const auto it = all.find(vport);
		const FilterNl *mac = it == all.end() ? nullptr : it->second.mac(f.mac);
		if (mac == nullptr)
			return Status::fail(ENOENT, "no such filter");
		auto st = call([&](const Req &r) { return netlink::filter_del(r, pf, mac->id); });
		if (!st.ok())
			return st;
		const FilterNl *vlan = f.vlan.value == 0 ? nullptr : it->second.vlan(f.vlan);
		if (vlan == nullptr || it->second.vlan_still_used(f.mac))
			return Status::success();
		st = call([&](const Req &r) { return netlink::filter_del(r, pf, vlan->id); });
		return st.ok() || st.err == ENOENT ? Status::success() : st;
	}

	Status filters_move(const std::string &pf, VportId from, VportId to, const std::vector<Filter> &set) override
	{
		const auto plan = plan_move(admin_filters(pf), from, to, set);
		if (!plan.status.ok())
			return plan.status;
		for (const auto v : plan.add_on_dest) {
			auto st = call([&](const Req &r) { return filter_add_vlan(r, pf, to, v); });
			if (!st.ok() && st.err != EEXIST)
				return st;
		}
		if (auto st = call([&](const Req &r) { return filter_move(r, pf, from, to, plan.move); }); !st.ok())
			return st;
		for (const auto id : plan.del_on_source) {
			auto st = call([&](const Req &r) { return netlink::filter_del(r, pf, id); });
			if (!st.ok() && st.err != ENOENT)
				return st;
		}
		return Status::success();
	}

	// ---------------------------------------------------------------- rtnl

	bool netns_exists(const std::string &ns) override
	{
		return ns.empty() || std::filesystem::exists("/run/netns/" + ns);
	}

	Status netns_create(const std::string &ns) override
	{
		// iproute2 owns the bind-mount convention of /run/netns
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
		::waitpid(pid, &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			return Status::fail(EIO, "ip netns add " + ns + " failed");
		return Status::success();
	}

	/// A name the host namespace may take as is: [A-Za-z0-9._-], 1..15.
	static bool plain_ifname(const std::string &n)
	{
		if (n.empty() || n.size() >= IF_NAMESIZE)
			return false;
		return std::all_of(n.begin(), n.end(), [](char c) {
			return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			       c == '.' || c == '_' || c == '-';
		});
	}

	/// RTM_NEWLINK by ifindex with IFLA_NET_NS_FD: the name the netdev has
	/// in @from_ns plays no part, whatever the namespace made of it.  The
	/// kernel keeps the name unless IFLA_IFNAME gives a pattern (then a
	/// clashing name is replaced on the way, and the netdev takes the
	/// pattern's next free name after the move).
	Status netdev_move(const std::string &from_ns, std::uint32_t ifindex, const std::string &to_ns) override
	{
		const int src = sock(from_ns);
		if (src < 0)
			return Status::fail(ENOENT, "no netns " + from_ns);
		Fd target = ns_fd(to_ns);
		if (target.get() < 0)
			return Status::fail(ENOENT, "no netns " + to_ns);
		if (ifindex == 0)
			return Status::fail(ENODEV, "no netdev (ifindex 0)");
		auto send = [&](bool rename) {
			RtnlMsg m(RTM_NEWLINK, 0, ++seq_, static_cast<int>(ifindex));
			if (rename)
				m.str(IFLA_IFNAME, "sriovvf%d");
			m.u32(IFLA_NET_NS_FD, static_cast<std::uint32_t>(target.get()));
			return transact(src, m.finish(), seq_, nullptr);
		};
		// a name that is no plain interface name does not go to the host
		bool rename = false;
		if (to_ns.empty()) {
			const std::uint32_t seq = ++seq_;
			const RtnlMsg g(RTM_GETLINK, 0, seq, static_cast<int>(ifindex));
			auto l = link_request(from_ns, g, seq);
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

	std::vector<AdapterInfo> adapters() override
	{
		std::vector<AdapterInfo> out;
		const auto links = all_links();
		std::map<int, std::string> host_names;
		for (const auto &[ns, l] : links)
			if (ns.empty())
				host_names[l.ifindex] = l.name;
		for (const auto &[ns, l] : links) {
			if (!ns.empty() || !is_host_port(l))
				continue;
			out.push_back(to_adapter(l, links, host_names[l.master]));
		}
		return out;
	}

	/// One adapter: a get of its host port and a dump of its child's
	/// namespace, not of every namespace.
	std::optional<AdapterInfo> adapter(const std::string &partition) override
	{
		auto host = get_link("", host_port_name(partition));
		if (!host || !is_host_port(*host))
			return std::nullopt;
		std::vector<std::pair<std::string, Link>> links;
		std::array<char, IF_NAMESIZE> master{};
		const char *mname = host->master > 0 ? ::if_indextoname(static_cast<unsigned>(host->master), master.data())
						     : nullptr;
		const std::string master_name = mname != nullptr ? mname : "";
		links.emplace_back("", std::move(*host));
		const Link &hl = links.front().second;
		const std::string rest = hl.alias.substr(alias_prefix.size());
		const auto colon = rest.find(':');
		if (rest.substr(0, colon) != partition)
			return KernelApi::adapter(partition); // a name clash: look at all of them
		const std::string ns = colon == std::string::npos ? "" : rest.substr(colon + 1);
		for (auto &l : dump_links(ns))
			links.emplace_back(ns, std::move(l));
		return to_adapter(links.front().second, links, master_name);
	}

	static bool is_host_port(const Link &l)
	{
		return l.kind == swnv::kind && l.alias.rfind(alias_prefix, 0) == 0;
	}

	/// The adapter whose host port is @l; @links holds at least the links
	/// of its child's namespace, @master_name is the name of @l's master.
	AdapterInfo to_adapter(const Link &l, const std::vector<std::pair<std::string, Link>> &links,
			       const std::string &master_name)
	{
		// alias: "sriovd:<partition>:<netns>"
		const std::string rest = l.alias.substr(alias_prefix.size());
		const auto colon = rest.find(':');
		AdapterInfo a;
		a.partition = rest.substr(0, colon);
		a.netns = colon == std::string::npos ? "" : rest.substr(colon + 1);
		a.host_port = l.name;
		a.pf = pf_of_bridge(master_name);
		a.port_locked = port_locked(l);
		a.flood = port_floods(l);
		if (const Attr *dp = find(l.info_data, swnv::dp_active))
			a.datapath = dp->u8() == swnv::dp_vf ? Datapath::vf : Datapath::synthetic;
		if (const Attr *sn = find(l.info_data, swnv::serial))
			a.serial = sn->u64().value_or(0);
		if (const Attr *aa = find(l.info_data, swnv::auto_ack))
			a.auto_ack = aa->u8().value_or(1) != 0;
		if (const Attr *pd = find(l.info_data, swnv::dp_pending); pd != nullptr && pd->u8().value_or(SWNV_DP_NONE) != SWNV_DP_NONE)
			a.dp_pending = pd->u8() == swnv::dp_vf ? Datapath::vf : Datapath::synthetic;
		if (const Attr *sq = find(l.info_data, swnv::dp_seq))
			a.dp_seq = sq->u32().value_or(0);
		std::uint32_t vf_idx = 0;
		if (const Attr *vfi = find(l.info_data, swnv::vf_ifindex); vfi != nullptr && vfi->u32().value_or(0) != 0)
			vf_idx = *vfi->u32();
		if (vf_idx != 0)
			for (const auto &[ns2, l2] : links)
				if (ns2 == a.netns && l2.ifindex == static_cast<int>(vf_idx))
					a.paired_vf = l2.name;
		if (const auto r = released_.find(a.partition); r != released_.end()) {
			// only the VF that was released is hidden; once it is
			// gone, or another VF has paired, the mark is spent
			if (a.paired_vf.empty() || vf_idx != r->second)
				released_.erase(r);
			else if (a.datapath == Datapath::synthetic) {
				a.paired_vf.clear(); // released: the adapter no longer uses it
				vf_idx = 0;
			}
		}
		a.paired_vf_ifindex = vf_idx;
		for (const auto &[ns2, l2] : links)
			if (ns2 == a.netns && l2.kind == swnv::kind) {
				a.mac = l2.mac; // the child-side adapter carries the MAC
				a.up = (l2.flags & IFF_UP) != 0;
			}
		return a;
	}

	/// A bridge port that is locked, does not learn and gets no unknown
	/// unicast (what lock_port_flags() sets).
	static bool port_locked(const Link &l)
	{
		if (l.slave_kind != "bridge")
			return false;
		const auto flag = [&l](std::uint16_t t) -> std::optional<std::uint8_t> {
			const Attr *a = find(l.slave_data, t);
			return a != nullptr ? a->u8() : std::nullopt;
		};
		return flag(IFLA_BRPORT_LOCKED) == 1 && flag(IFLA_BRPORT_LEARNING) == 0 &&
		       flag(IFLA_BRPORT_UNICAST_FLOOD) == 0;
	}

	/// The bridge floods broadcast and multicast to the port (both flags
	/// default to on in a new port).
	static bool port_floods(const Link &l)
	{
		if (l.slave_kind != "bridge")
			return true;
		const auto flag = [&l](std::uint16_t t) {
			const Attr *a = find(l.slave_data, t);
			return a == nullptr || a->u8().value_or(1) != 0;
		};
		return flag(IFLA_BRPORT_BCAST_FLOOD) && flag(IFLA_BRPORT_MCAST_FLOOD);
	}

	Status adapter_set_flood(const std::string &partition, bool on) override
	{
		const unsigned idx = if_index_in("", host_port_name(partition));
		if (idx == 0)
			return Status::fail(ENOENT, "no adapter for " + partition);
		RtnlMsg l(RTM_SETLINK, 0, ++seq_, static_cast<int>(idx));
		l.set_family(AF_BRIDGE);
		const auto pi = l.nest();
		l.u8(IFLA_BRPORT_BCAST_FLOOD, on ? 1 : 0);
		l.u8(IFLA_BRPORT_MCAST_FLOOD, on ? 1 : 0);
		l.nest_end(pi, IFLA_PROTINFO);
		auto st = transact(sock(""), l.finish(), seq_, nullptr);
		if (!st.ok())
			return Status::fail(st.err, std::string("flooding ") + (on ? "on" : "off") + " on the host port of " +
							    partition + ": " + st.msg);
		return st;
	}

	/// The bridge's own source check on a partition's port: a locked port
	/// (net/bridge/br_input.c) drops every frame whose source MAC is not
	/// an FDB entry pointing at that port; with learning off it creates
	/// no entries (and no "locked" ones: MAB stays off), so the static
	/// entry pin_adapter_mac() adds is the only source it accepts.  No
	/// unknown unicast is flooded to it; broadcast and multicast are.
	Status lock_port_flags(int port)
	{
		RtnlMsg l(RTM_SETLINK, 0, ++seq_, port);
		l.set_family(AF_BRIDGE);
		const auto pi = l.nest();
		l.u8(IFLA_BRPORT_LEARNING, 0);
		l.u8(IFLA_BRPORT_UNICAST_FLOOD, 0);
		l.u8(IFLA_BRPORT_LOCKED, 1);
		l.nest_end(pi, IFLA_PROTINFO);
		auto st = transact(sock(""), l.finish(), seq_, nullptr);
		if (!st.ok())
			return Status::fail(st.err, "locking bridge port " + std::to_string(port) + ": " + st.msg);
		return st;
	}

	Status adapter_lock_port(const std::string &partition, const MacAddr &mac) override
	{
		const unsigned idx = if_index_in("", host_port_name(partition));
		if (idx == 0)
			return Status::fail(ENOENT, "no adapter for " + partition);
		if (auto st = lock_port_flags(static_cast<int>(idx)); !st.ok())
			return st;
		return pin_adapter_mac(static_cast<int>(idx), mac);
	}

	Status adapter_create(const std::string &partition, const std::string &ns, const std::string &pf,
			      const MacAddr &mac, std::uint64_t serial) override
	{
		auto br = ensure_bridge(pf);
		if (!br.ok())
			return br.status;
		Fd child = ns_fd(ns);
		if (child.get() < 0)
			return Status::fail(ENOENT, "no netns " + ns);
		const std::string host = host_port_name(partition);
		// created down: it comes up once its switch port is locked
		RtnlMsg m(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, ++seq_, 0);
		m.str(IFLA_IFNAME, host);
		m.u32(IFLA_MASTER, static_cast<std::uint32_t>(*br.value));
		const auto li = m.nest();
		m.str(IFLA_INFO_KIND, swnv::kind);
		const auto data = m.nest();
		const auto peer = m.nest();
		m.put_ifinfo();
		m.str(IFLA_IFNAME, "nv0");
		m.put(IFLA_ADDRESS, mac.bytes().data(), 6);
		m.u32(IFLA_NET_NS_FD, static_cast<std::uint32_t>(child.get()));
		m.nest_end(peer, swnv::peer);
		// the identity is the adapter's before it registers: it never
		// pairs on the MAC alone
		if (serial != 0)
			m.put(swnv::serial, &serial, sizeof(serial));
		// sriovd acknowledges every data-path request itself, after its
		// filter moves: no instant where the host port acks on its own
		m.u8(swnv::auto_ack, 0);
		// and asks for the VF only in its attach step (datapath_vf): a VF
		// that pairs first raises no request that would wait for an ack
		m.u8(swnv::dp_want, swnv::dp_synthetic);
		m.nest_end(data, IFLA_INFO_DATA);
		m.nest_end(li, IFLA_LINKINFO);
		auto st = transact(sock(""), m.finish(), seq_, nullptr);
		if (!st.ok())
			return st;
		// the alias (how adapters() finds the pair again) is not applied at
		// creation by rtnl_newlink: set it on the existing link
		const unsigned idx = if_index_in("", host);
		RtnlMsg a(RTM_NEWLINK, 0, ++seq_, static_cast<int>(idx));
		a.str(IFLA_IFALIAS, alias_prefix + partition + ":" + ns);
		st = transact(sock(""), a.finish(), seq_, nullptr);
		if (!st.ok())
			return st;
		if (st = adapter_lock_port(partition, mac); !st.ok())
			return st;
		RtnlMsg up(RTM_NEWLINK, 0, ++seq_, static_cast<int>(idx));
		up.set_up();
		return transact(sock(""), up.finish(), seq_, nullptr);
	}

	/// The adapter's MAC lives behind its host port, always: the NIC loops
	/// broadcasts the VF sends back to the PF, and a bridge that learned
	/// the MAC behind the PF would drop what the PF receives for the
	/// adapter once the filters fall back to the default VPort.
	Status pin_adapter_mac(int port, const MacAddr &mac)
	{
		const std::uint32_t seq = ++seq_;
		auto st = transact(sock(""), bridge_fdb_pin(seq, port, mac), seq, nullptr);
		if (!st.ok())
			return Status::fail(st.err, "pinning the adapter MAC on its bridge port: " + st.msg);
		return st;
	}

	/// One sriov_netvsc setting (IFLA_INFO_DATA) sent to @partition's host
	/// port: @put adds the attributes.
	template <typename Put>
	Status adapter_change(const std::string &partition, Put put)
	{
		const unsigned idx = if_index_in("", host_port_name(partition));
		if (idx == 0)
			return Status::fail(ENOENT, "no adapter for " + partition);
		RtnlMsg m(RTM_NEWLINK, 0, ++seq_, static_cast<int>(idx));
		const auto li = m.nest();
		m.str(IFLA_INFO_KIND, swnv::kind);
		const auto data = m.nest();
		put(m);
		m.nest_end(data, IFLA_INFO_DATA);
		m.nest_end(li, IFLA_LINKINFO);
		return transact(sock(""), m.finish(), seq_, nullptr);
	}

	/// IFLA_SWNV_SERIAL on the host port (the kernel rescans the VFs).
	Status adapter_set_serial(const std::string &partition, std::uint64_t serial) override
	{
		return adapter_change(partition, [serial](RtnlMsg &m) { m.put(swnv::serial, &serial, sizeof(serial)); });
	}

	Status adapter_delete(const std::string &partition) override
	{
		const unsigned idx = if_index_in("", host_port_name(partition));
		if (idx == 0)
			return Status::fail(ENOENT, "no adapter for " + partition);
		RtnlMsg m(RTM_DELLINK, 0, ++seq_, static_cast<int>(idx));
		return transact(sock(""), m.finish(), seq_, nullptr);
	}

	Status adapter_set_switch(const std::string &partition, const std::string &pf, const MacAddr &mac) override
	{
		auto br = ensure_bridge(pf);
		if (!br.ok())
			return br.status;
		const unsigned idx = if_index_in("", host_port_name(partition));
		if (idx == 0)
			return Status::fail(ENOENT, "no adapter for " + partition);
		const auto old = adapter(partition);
		const auto old_pf = old && old->pf != pf ? KernelApi::pf(old->pf) : std::nullopt;
		// a redirect left by a crash in the middle of an earlier move
		for (const auto &p : pfs())
			redirect_delete(p.netdev, idx);
		// Frames for the adapter reach the old PF until the wire has
		// learnt the new port from the announcement below, and the port
		// belongs to no switch while it moves: the old PF's ingress
		// hands them straight to the port meanwhile.
		if (old_pf && !old_pf->netdev.empty()) {
			if (auto st = redirect_add(old_pf->netdev, idx, mac); !st.ok())
				return st;
		}
		RtnlMsg m(RTM_NEWLINK, 0, ++seq_, static_cast<int>(idx));
		m.u32(IFLA_MASTER, static_cast<std::uint32_t>(*br.value));
		auto st = transact(sock(""), m.finish(), seq_, nullptr);
		// a new bridge port starts unlocked and loses its FDB entries:
		// locked, with the model's MAC (not the one the partition may
		// have given its adapter) as its only source
		if (st.ok())
			st = adapter_lock_port(partition, mac);
		if (st.ok()) {
			// Tell the wire where the adapter's MAC is now, as a
			// hypervisor does after a migration (QEMU's announce_self):
			// the external switches would keep sending to the old NIC
			// until they relearn.
			if (auto a = announce(pf, mac); !a.ok())
				log::warn(0, "announce of ", mac.str(), " on ", pf, ": ", a.msg);
			// a learning switch moves the MAC as it forwards the
			// announcement; what it sent before is in flight a moment
			if (old_pf)
				std::this_thread::sleep_for(std::chrono::milliseconds(redirect_grace_ms));
		}
		if (old_pf)
			redirect_delete(old_pf->netdev, idx);
		return st;
	}

	/// How long the redirect of a migration outlives the announcement.
	static constexpr int redirect_grace_ms = 50;

	/// The tc priority of host port @port's redirect: one per port.
	static std::uint16_t redirect_prio(unsigned port)
	{
		return static_cast<std::uint16_t>(0x8000U | (port & 0x7fffU));
	}

	using ClsPtr = std::unique_ptr<rtnl_cls, decltype(&rtnl_cls_put)>;

	/// The flower filter that is host port @port's redirect on ingress of
	/// the netdev with index @dev (what redirect_add installs and
	/// redirect_delete names), without match or action.
	static ClsPtr redirect_cls(unsigned dev, unsigned port)
	{
		ClsPtr c(rtnl_cls_alloc(), rtnl_cls_put);
		if (!c)
			return c;
		rtnl_tc_set_ifindex(TC_CAST(c.get()), static_cast<int>(dev));
		rtnl_tc_set_parent(TC_CAST(c.get()), TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS));
		rtnl_tc_set_kind(TC_CAST(c.get()), "flower");
		rtnl_cls_set_prio(c.get(), redirect_prio(port));
		rtnl_cls_set_protocol(c.get(), ETH_P_ALL);
		return c;
	}

	/// On @netdev's ingress (an "ingress" qdisc, created if missing), a
	/// flower filter that sends every frame for @mac to host port @port
	/// (mirred egress redirect: the port hands it to the adapter whatever
	/// switch it belongs to).  libnl-route-3.
	Status redirect_add(const std::string &netdev, unsigned port, const MacAddr &mac)
	{
		const unsigned dev = ::if_nametoindex(netdev.c_str());
		if (dev == 0)
			return Status::fail(ENODEV, netdev + " not found");
		std::unique_ptr<nl_sock, decltype(&nl_socket_free)> s(nl_socket_alloc(), nl_socket_free);
		if (!s || nl_connect(s.get(), NETLINK_ROUTE) < 0)
			return Status::fail(ENOMEM, "rtnetlink socket for tc");
		std::unique_ptr<rtnl_qdisc, decltype(&rtnl_qdisc_put)> q(rtnl_qdisc_alloc(), rtnl_qdisc_put);
		if (!q)
			return Status::fail(ENOMEM, "tc qdisc");
		rtnl_tc_set_ifindex(TC_CAST(q.get()), static_cast<int>(dev));
		rtnl_tc_set_parent(TC_CAST(q.get()), TC_H_INGRESS);
		rtnl_tc_set_handle(TC_CAST(q.get()), TC_HANDLE(0xffffU, 0));
		rtnl_tc_set_kind(TC_CAST(q.get()), "ingress");
		int err = rtnl_qdisc_add(s.get(), q.get(), NLM_F_CREATE | NLM_F_EXCL);
		if (err < 0 && err != -NLE_EXIST)
			return Status::fail(EIO, "ingress qdisc on " + netdev + ": " + nl_geterror(err));
		ClsPtr c = redirect_cls(dev, port);
		rtnl_act *act = rtnl_act_alloc();
		if (!c || act == nullptr) {
			if (act != nullptr)
				rtnl_act_put(act);
			return Status::fail(ENOMEM, "tc filter");
		}
		std::array<unsigned char, 6> addr{};
		std::array<unsigned char, 6> all{};
		std::copy(mac.bytes().begin(), mac.bytes().end(), addr.begin());
		all.fill(0xff);
		rtnl_tc_set_kind(TC_CAST(act), "mirred");
		rtnl_mirred_set_action(act, TCA_EGRESS_REDIR);
		rtnl_mirred_set_policy(act, TC_ACT_STOLEN);
		rtnl_mirred_set_ifindex(act, port);
		err = rtnl_flower_set_dst_mac(c.get(), addr.data(), all.data());
		if (err == 0)
			err = rtnl_flower_append_action(c.get(), act);
		rtnl_act_put(act); // the filter holds its own reference
		if (err == 0)
			err = rtnl_cls_add(s.get(), c.get(), NLM_F_CREATE | NLM_F_EXCL);
		if (err < 0)
			return Status::fail(EIO, "redirect of " + mac.str() + " on " + netdev + ": " + nl_geterror(err));
		return Status::success();
	}

	/// Remove host port @port's redirect from @netdev's ingress, if any.
	void redirect_delete(const std::string &netdev, unsigned port)
	{
		const unsigned dev = netdev.empty() ? 0 : ::if_nametoindex(netdev.c_str());
		if (dev == 0)
			return;
		std::unique_ptr<nl_sock, decltype(&nl_socket_free)> s(nl_socket_alloc(), nl_socket_free);
		ClsPtr c = redirect_cls(dev, port);
		if (!s || !c || nl_connect(s.get(), NETLINK_ROUTE) < 0)
			return;
		const int err = rtnl_cls_delete(s.get(), c.get(), 0);
		if (err < 0 && err != -NLE_OBJ_NOTFOUND && err != -NLE_NODEV && err != -NLE_INVAL)
			log::warn(0, "removing the redirect of port ", port, " on ", netdev, ": ", nl_geterror(err));
	}

	/// One RARP request from @mac, broadcast out of @pf's netdev.
	Status announce(const std::string &pf, const MacAddr &mac)
	{
		auto info = KernelApi::pf(pf);
		if (!info || info->netdev.empty())
			return Status::fail(ENODEV, "PF has no netdev");
		const unsigned ifi = ::if_nametoindex(info->netdev.c_str());
		if (ifi == 0)
			return Status::fail(ENODEV, info->netdev + " not found");
		constexpr std::uint16_t eth_p_rarp = 0x8035;
		Fd fd(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0));
		if (fd.get() < 0)
			return Status::fail(errno, std::string("packet socket: ") + std::strerror(errno));
		std::array<std::uint8_t, 60> f{}; // minimum frame, zero padded
		const auto &m = mac.bytes();
		std::fill_n(f.begin(), 6, 0xff);
		std::copy(m.begin(), m.end(), f.begin() + 6);
		f[12] = eth_p_rarp >> 8;
		f[13] = eth_p_rarp & 0xff;
		// RARP: htype 1, ptype IPv4, hlen 6, plen 4, op 3 (request reverse)
		const std::array<std::uint8_t, 8> hdr{0, 1, 8, 0, 6, 4, 0, 3};
		std::copy(hdr.begin(), hdr.end(), f.begin() + 14);
		std::copy(m.begin(), m.end(), f.begin() + 22);	// sender hardware address
		std::copy(m.begin(), m.end(), f.begin() + 32);	// target hardware address
		sockaddr_ll sa{};
		sa.sll_family = AF_PACKET;
		sa.sll_protocol = htons(eth_p_rarp);
		sa.sll_ifindex = static_cast<int>(ifi);
		sa.sll_halen = 6;
		std::fill_n(std::begin(sa.sll_addr), 6, 0xff);
		if (::sendto(fd.get(), f.data(), f.size(), 0, reinterpret_cast<sockaddr *>(&sa), // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
			     sizeof(sa)) < 0)
			return Status::fail(errno, std::string("sendto: ") + std::strerror(errno));
		return Status::success();
	}

	Status adapter_set_datapath(const std::string &partition, Datapath dp) override
	{
		return adapter_change(partition, [dp](RtnlMsg &m) {
			m.u8(swnv::dp_want, dp == Datapath::vf ? swnv::dp_vf : swnv::dp_synthetic);
		});
	}

	Status adapter_dp_ack(const std::string &partition, std::uint32_t seq) override
	{
		return adapter_change(partition, [seq](RtnlMsg &m) { m.u32(swnv::dp_ack, seq); });
	}

	Status adapter_set_auto_ack(const std::string &partition, bool on) override
	{
		return adapter_change(partition, [on](RtnlMsg &m) { m.u8(swnv::auto_ack, on ? 1 : 0); });
	}

	Status adapter_release_vf(const std::string &partition) override
	{
		std::uint32_t vf_idx = 0;
		for (const auto &a : adapters())
			if (a.partition == partition)
				vf_idx = a.paired_vf_ifindex;
		auto st = adapter_set_datapath(partition, Datapath::synthetic);
		if (st.ok() && vf_idx != 0)
			released_[partition] = vf_idx;
		return st;
	}

	/// Readable when the genl event group or the link group has news.
	int event_fd() override { return epoll_.get(); }

	/// Host-port link notifications -> adapter_unpaired when an adapter
	/// that had a VF reports none (VF unregistered: unbind, unplug).
	void drain_link_events(std::vector<KernelEvent> &out)
	{
		std::vector<std::uint8_t> buf(1 << 16);
		for (;;) {
			const ssize_t n = ::recv(links_.get(), buf.data(), buf.size(), MSG_DONTWAIT);
			if (n < 0 && errno == ENOBUFS) {
				// overrun: we may have missed a loss; let the engine check all
				for (auto &[part, vfi] : paired_)
					out.push_back({.type = KernelEvent::Type::adapter_unpaired, .pf = {}, .vf = {},
						       .partition = part, .detail = "link notifications overrun"});
				continue;
			}
			if (n <= 0)
				break;
			std::size_t off = 0;
			while (off + NLMSG_HDRLEN <= static_cast<std::size_t>(n)) {
				nlmsghdr h{};
				std::memcpy(&h, buf.data() + off, sizeof(h));
				if (h.nlmsg_len < NLMSG_HDRLEN || off + h.nlmsg_len > static_cast<std::size_t>(n))
					break;
				if (h.nlmsg_type == RTM_NEWLINK || h.nlmsg_type == RTM_DELLINK) {
					const Link l = parse_link(std::span<const std::uint8_t>(buf.data() + off, h.nlmsg_len));
					if (l.kind == swnv::kind && l.alias.rfind(alias_prefix, 0) == 0) {
						const std::string rest = l.alias.substr(alias_prefix.size());
						const std::string part = rest.substr(0, rest.find(':'));
						std::uint32_t vfi = 0;
						if (const Attr *a = find(l.info_data, swnv::vf_ifindex); a != nullptr)
							vfi = a->u32().value_or(0);
						if (h.nlmsg_type == RTM_DELLINK)
							vfi = 0;
						const std::uint32_t before = paired_[part];
						paired_[part] = vfi;
						if (before != 0 && vfi == 0)
							out.push_back({.type = KernelEvent::Type::adapter_unpaired, .pf = {},
								       .vf = {}, .partition = part,
								       .detail = "adapter " + l.name + " lost its VF"});
					}
				}
				off += NLMSG_ALIGN(h.nlmsg_len);
			}
		}
	}

	std::vector<KernelEvent> drain_events() override
	{
		std::vector<KernelEvent> out;
		drain_link_events(out);
		std::vector<std::uint8_t> buf(1 << 16);
		const int fd = nl_socket_get_fd(events_.get());
		for (;;) {
			const ssize_t n = ::recv(fd, buf.data(), buf.size(), MSG_DONTWAIT);
			if (n <= 0)
				break;
			auto msgs = parse_messages(std::span<const std::uint8_t>(buf.data(), static_cast<std::size_t>(n)));
			if (!msgs)
				continue;
			for (const auto &m : *msgs) {
				if (m.kind != Message::Kind::data)
					continue;
				std::string pf;
				if (const Attr *a = find(m.attrs, SRIOV_A_IFINDEX))
					for (const auto &[name, ifi] : pf_ifindex_)
						if (a->u32() == ifi)
							pf = name;
				if (auto ev = decode_event(m, pf))
					out.push_back(*ev);
			}
		}
		return out;
	}

private:
	std::optional<int> pf_ifindex(const std::string &pf)
	{
		if (!pf_ifindex_.contains(pf))
			(void)pfs();
		auto it = pf_ifindex_.find(pf);
		if (it == pf_ifindex_.end())
			return std::nullopt;
		return static_cast<int>(it->second);
	}

	static std::string host_port_name(const std::string &partition)
	{
		// IFNAMSIZ is 16: a stable hash of the partition name
		const auto h = static_cast<std::uint32_t>(std::hash<std::string>{}(partition));
		std::array<char, 16> b{};
		(void)std::snprintf(b.data(), b.size(), "sv%08x", h);
		return b.data();
	}

	/// The PF's bridge is named after its PCI address, which outlives the
	/// PF netdev (a re-bound or re-plugged PF registers a new netdev, under
	/// another name): "sb-0000.01.00.0" for 0000:01:00.0 (':' is not
	/// allowed in a netdev name).
	static std::string bridge_name(const std::string &pf)
	{
		std::string n = "sb-" + pf;
		std::replace(n.begin(), n.end(), ':', '.');
		return n.substr(0, IFNAMSIZ - 1);
	}

	std::string pf_of_bridge(const std::string &bridge)
	{
		for (const auto &p : pfs())
			if (bridge_name(p.name) == bridge)
				return p.name;
		return {};
	}

	/// The PF's switch for the synthetic path: a bridge holding the PF netdev.
	Status pf_switch_sync(const std::string &pf) override { return ensure_bridge(pf).status; }

	Outcome<int> ensure_bridge(const std::string &pf)
	{
		auto info = KernelApi::pf(pf);
		if (!info || info->netdev.empty())
			return Outcome<int>::fail(ENODEV, "PF " + pf + " has no netdev");
		const std::string br = bridge_name(pf);
		unsigned idx = if_index_in("", br);
		if (idx == 0) {
			RtnlMsg m(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, ++seq_, 0);
			m.set_up();
			m.str(IFLA_IFNAME, br);
			const auto li = m.nest();
			m.str(IFLA_INFO_KIND, "bridge");
			// no IGMP/MLD snooping: which port gets a multicast frame
			// follows the port's flood flag alone, which sriovd sets by
			// where the partition's filters are (adapter_set_flood)
			const auto bd = m.nest();
			m.u8(IFLA_BR_MCAST_SNOOPING, 0);
			m.nest_end(bd, IFLA_INFO_DATA);
			m.nest_end(li, IFLA_LINKINFO);
			auto st = transact(sock(""), m.finish(), seq_, nullptr);
			if (!st.ok() && st.err != EEXIST)
				return Outcome<int>::fail(st.err, "bridge " + br + ": " + st.msg);
			idx = if_index_in("", br);
		}
		// the PF netdev joins (again, after it registered anew: PF driver
		// re-bound, hot-plug) the bridge
		std::error_code ec;
		const auto master = std::filesystem::read_symlink("/sys/class/net/" + info->netdev + "/master", ec);
		if (ec || master.filename().string() != br) {
			RtnlMsg e(RTM_NEWLINK, 0, ++seq_, static_cast<int>(if_index_in("", info->netdev)));
			e.set_up();
			e.u32(IFLA_MASTER, idx);
			auto st = transact(sock(""), e.finish(), seq_, nullptr);
			if (!st.ok())
				return Outcome<int>::fail(st.err, "enslave " + info->netdev + " to " + br + ": " + st.msg);
			// The switch knows its internal ports; it must not learn
			// them on the uplink.  The 82576 (and QEMU's igb) loops the
			// PF's broadcasts back to the PF pool, so an adapter's ARP
			// request would teach the bridge that the adapter sits
			// behind the PF, and the bridge would then drop every frame
			// for the adapter arriving there.  No learning on the PF port.
			RtnlMsg l(RTM_SETLINK, 0, ++seq_, static_cast<int>(if_index_in("", info->netdev)));
			l.set_family(AF_BRIDGE);
			const auto pi = l.nest();
			l.u8(IFLA_BRPORT_LEARNING, 0);
			l.nest_end(pi, IFLA_PROTINFO);
			st = transact(sock(""), l.finish(), seq_, nullptr);
			if (!st.ok())
				return Outcome<int>::fail(st.err, "learning off on " + info->netdev + ": " + st.msg);
		}
		return Outcome<int>::of(static_cast<int>(idx));
	}

	// --- the ARP/ND guard: libnftables, text from switch_guard ---

	/// One libnftables run of @cmds in the host namespace (sriovd's own);
	/// its output in @out.  The context is per call: cheap, and no state
	/// outlives a failure.
	static Status nft_run(const std::string &cmds, std::string *out)
	{
		std::unique_ptr<nft_ctx, decltype(&nft_ctx_free)> ctx(nft_ctx_new(NFT_CTX_DEFAULT), nft_ctx_free);
		if (!ctx)
			return Status::fail(ENOMEM, "libnftables: no context");
		if (nft_ctx_buffer_output(ctx.get()) != 0 || nft_ctx_buffer_error(ctx.get()) != 0)
			return Status::fail(ENOMEM, "libnftables: no buffers");
		const int rc = nft_run_cmd_from_buffer(ctx.get(), cmds.c_str());
		const char *err = nft_ctx_get_error_buffer(ctx.get());
		if (rc != 0) {
			std::string msg = err != nullptr ? err : "";
			while (!msg.empty() && msg.back() == '\n')
				msg.pop_back();
			return Status::fail(EINVAL, "nftables: " + (msg.empty() ? std::string("failed") : msg));
		}
		if (out != nullptr) {
			const char *o = nft_ctx_get_output_buffer(ctx.get());
			*out = o != nullptr ? o : "";
		}
		return Status::success();
	}

	Status guard_apply(const std::vector<PortGuard> &ports) override
	{
		std::vector<guard::Port> gp;
		gp.reserve(ports.size());
		for (const auto &g : ports)
			gp.push_back({.ifname = host_port_name(g.partition), .guard = g});
		guard_listing_.clear();
		if (auto st = nft_run(guard::script(gp), nullptr); !st.ok())
			return st;
		std::string listing;
		if (auto st = nft_run(std::string("list table bridge ") + guard::table, &listing); !st.ok())
			return st;
		guard_listing_ = std::move(listing);
		guard_ = ports;
		return Status::success();
	}

	/// The kernel's table, listed, against the listing taken right after
	/// guard_apply installed it: any rule or chain changed, added or
	/// removed since shows.
	Outcome<std::vector<PortGuard>> guard_state() override
	{
		using Out = Outcome<std::vector<PortGuard>>;
		std::string listing;
		if (auto st = nft_run(std::string("list table bridge ") + guard::table, &listing); !st.ok())
			return Out::fail(ENOENT, "table bridge " + std::string(guard::table) + ": " + st.msg);
		if (guard_listing_.empty())
			return Out::fail(ENOENT, "table bridge " + std::string(guard::table) + " was not installed by this sriovd");
		if (listing != guard_listing_)
			return Out::fail(EINVAL, "table bridge " + std::string(guard::table) + " changed since sriovd installed it");
		return Out::of(guard_);
	}

	static std::string vf_bdf(const std::string &pf, VfIndex vf)
	{
		std::error_code ec;
		auto p = std::filesystem::read_symlink(sysfs_pci(pf, "virtfn" + std::to_string(vf.value)), ec);
		return ec ? std::string{} : p.filename().string();
	}

	Fd ns_fd(const std::string &ns)
	{
		if (ns.empty())
			return Fd(::dup(host_ns_.get()));
		return Fd(::open(("/run/netns/" + ns).c_str(), O_RDONLY | O_CLOEXEC));
	}

	/// rtnetlink socket bound inside @ns (created there, usable from here);
	/// -1 if the namespace does not exist.
	int sock(const std::string &ns)
	{
		auto it = rtnl_.find(ns);
		if (it != rtnl_.end())
			return it->second.get();
		Fd target = ns_fd(ns);
		if (target.get() < 0 || ::setns(target.get(), CLONE_NEWNET) != 0)
			return -1;
		Fd s;
		try {
			s = raw_netlink(NETLINK_ROUTE);
		} catch (const std::exception &) {
		}
		if (::setns(host_ns_.get(), CLONE_NEWNET) != 0)
			throw std::runtime_error("cannot return to the host network namespace");
		if (s.get() < 0)
			return -1;
		const int fd = s.get();
		rtnl_[ns] = std::move(s);
		return fd;
	}

	/// Send an RTM_GETLINK request built in @m (sequence @seq) on @ns's
	/// socket and collect the links of the answer: every link of the
	/// namespace for a dump, the one link named for a get.
	std::vector<Link> link_request(const std::string &ns, const RtnlMsg &m, std::uint32_t seq)
	{
		std::vector<Link> out;
		const int fd = sock(ns);
		if (fd < 0)
			return out;
		auto req = m.finish();
		if (::send(fd, req.data(), req.size(), 0) < 0)
			return out;
		std::vector<std::uint8_t> buf(1 << 16);
		for (int guard = 0; guard < 1000; ++guard) {
			pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
			if (::poll(&p, 1, request_timeout_ms) <= 0)
				break;
			const ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
			if (n <= 0)
				break;
			bool done = false;
			std::size_t off = 0;
			while (off + NLMSG_HDRLEN <= static_cast<std::size_t>(n)) {
				nlmsghdr h{};
				std::memcpy(&h, buf.data() + off, sizeof(h));
				if (h.nlmsg_len < NLMSG_HDRLEN || off + h.nlmsg_len > static_cast<std::size_t>(n))
					break;
				// answers to an earlier request that timed out are skipped
				if (h.nlmsg_seq == seq) {
					if (h.nlmsg_type == NLMSG_DONE || h.nlmsg_type == NLMSG_ERROR)
						done = true;
					if (h.nlmsg_type == RTM_NEWLINK)
						out.push_back(parse_link(std::span<const std::uint8_t>(buf.data() + off, h.nlmsg_len)));
				}
				off += NLMSG_ALIGN(h.nlmsg_len);
			}
			if (done)
				break;
		}
		return out;
	}

	std::vector<Link> dump_links(const std::string &ns)
	{
		const std::uint32_t seq = ++seq_;
		const RtnlMsg m(RTM_GETLINK, NLM_F_DUMP, seq, 0);
		return link_request(ns, m, seq);
	}

	/// One link of @ns by name (a get, not a dump of the namespace).
	std::optional<Link> get_link(const std::string &ns, const std::string &name)
	{
		if (name.empty() || name.size() >= IF_NAMESIZE)
			return std::nullopt;
		const std::uint32_t seq = ++seq_;
		RtnlMsg m(RTM_GETLINK, 0, seq, 0);
		m.str(IFLA_IFNAME, name);
		auto l = link_request(ns, m, seq);
		if (l.empty())
			return std::nullopt;
		return std::move(l.front());
	}

	/// The netdev of PCI device @bdf and its namespace, if it has one.  The
	/// host namespace is asked through sysfs (the device's net/ directory
	/// lists its netdevs in the namespace sysfs belongs to) and a get per
	/// name; only a netdev that is not there costs a dump of each named
	/// namespace.  A device without a driver has no netdev anywhere.
	std::optional<std::pair<std::string, Link>> find_pci_netdev(const std::string &bdf)
	{
		if (bdf.empty() || !std::filesystem::exists(sysfs_pci(bdf, "driver")))
			return std::nullopt;
		std::error_code ec;
		for (const auto &e : std::filesystem::directory_iterator(sysfs_pci(bdf, "net"), ec)) {
			auto l = get_link("", e.path().filename().string());
			if (l && l->parent_dev == bdf)
				return std::make_pair(std::string{}, std::move(*l));
		}
		for (const auto &ns : named_netns())
			for (auto &l : dump_links(ns))
				if (l.parent_dev == bdf)
					return std::make_pair(ns, std::move(l));
		return std::nullopt;
	}

	static std::vector<std::string> named_netns()
	{
		std::vector<std::string> out;
		std::error_code ec;
		for (const auto &e : std::filesystem::directory_iterator("/run/netns", ec))
			out.push_back(e.path().filename().string());
		return out;
	}

	static Link parse_link(std::span<const std::uint8_t> msg)
	{
		Link l;
		l.storage.assign(msg.begin(), msg.end());
		const std::span<const std::uint8_t> s(l.storage);
		ifinfomsg ifi{};
		std::memcpy(&ifi, s.data() + NLMSG_HDRLEN, sizeof(ifi));
		l.ifindex = ifi.ifi_index;
		l.flags = ifi.ifi_flags;
		auto attrs = parse_attrs(s.subspan(NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(ifi))));
		if (!attrs)
			return l;
		for (const auto &a : *attrs) {
			if (a.type == IFLA_IFNAME)
				l.name = a.str().value_or("");
			else if (a.type == IFLA_PARENT_DEV_NAME)
				l.parent_dev = a.str().value_or("");
			else if (a.type == IFLA_IFALIAS)
				l.alias = a.str().value_or("");
			else if (a.type == IFLA_ADDRESS && a.data.size() == 6) {
				std::array<std::uint8_t, 6> b{};
				std::memcpy(b.data(), a.data.data(), b.size());
				l.mac = MacAddr(b);
			} else if (a.type == IFLA_MASTER)
				l.master = static_cast<int>(a.u32().value_or(0));
			else if (a.type == IFLA_LINKINFO) {
				auto li = parse_attrs(a.data);
				if (!li)
					continue;
				if (const Attr *k = find(*li, IFLA_INFO_KIND))
					l.kind = k->str().value_or("");
				if (const Attr *d = find(*li, IFLA_INFO_DATA))
					l.info_data = parse_attrs(d->data).value_or(std::vector<Attr>{});
				if (const Attr *k = find(*li, IFLA_INFO_SLAVE_KIND))
					l.slave_kind = k->str().value_or("");
				if (const Attr *d = find(*li, IFLA_INFO_SLAVE_DATA))
					l.slave_data = parse_attrs(d->data).value_or(std::vector<Attr>{});
			}
		}
		return l;
	}

	/// Links of the host and of every named namespace, keyed by namespace.
	std::vector<std::pair<std::string, Link>> all_links()
	{
		std::vector<std::pair<std::string, Link>> out;
		std::vector<std::string> spaces{""};
		for (auto &ns : named_netns())
			spaces.push_back(std::move(ns));
		for (const auto &ns : spaces)
			for (auto &l : dump_links(ns))
				out.emplace_back(ns, std::move(l));
		return out;
	}

	unsigned if_index_in(const std::string &ns, const std::string &dev)
	{
		const auto l = get_link(ns, dev);
		return l ? static_cast<unsigned>(l->ifindex) : 0;
	}

	std::vector<std::string> only_;
	NlSock genl_;
	NlSock events_;
	int family_{};
	std::uint32_t seq_{};
	Fd host_ns_;
	std::map<std::string, Fd> rtnl_;
	Fd links_;  ///< rtnetlink, RTNLGRP_LINK of the host namespace
	Fd epoll_;  ///< event_fd(): the genl event socket + links_
	std::map<std::string, std::uint32_t> paired_; ///< partition -> VF ifindex last announced
	std::map<std::string, std::uint32_t> pf_ifindex_;
	/// partition -> ifindex of the VF netdev its adapter released
	std::map<std::string, std::uint32_t> released_;
	std::vector<PortGuard> guard_;  ///< what guard_apply installed last
	std::string guard_listing_;     ///< the kernel's listing right after it ("" = none)
};

std::unique_ptr<KernelApi> make_real_kernel(const std::vector<std::string> &pfs)
{
	return std::make_unique<RealKernel>(pfs);
}

} // namespace sriov::netlink
