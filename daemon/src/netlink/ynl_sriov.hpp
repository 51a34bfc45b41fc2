// SPDX-License-Identifier: GPL-2.0
// The "sriov" genl family through its generated client: gen/sriov-user.{h,c}
// (ynl-gen-c.py, user mode, from Documentation/netlink/specs/sriov.yaml)
// over YNL's C library.  This is the C++ side only: RAII for the ynl_sock
// and for every object the generated functions return, and the mapping of
// their structs to the daemon's types.  No message is built or parsed here.
#pragma once

#include "common/error.hpp"
#include "kernel/kernel_api.hpp"
#include "model/types.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct ynl_sock;

namespace sriov::netlink {

/// A bound per-request receive time (SO_RCVTIMEO on the request socket).
constexpr int genl_timeout_ms = 5000;

struct SwitchNl {
	std::uint32_t ifindex{};
	std::string pci_addr;
	std::uint32_t num_vfs{};
	std::uint32_t total_vfs{};
	/// MAC filter capacity (absent from kernels that do not report it)
	std::optional<std::uint32_t> default_mac_filters;
	std::optional<std::uint32_t> default_mac_filters_max;
	std::optional<std::uint32_t> mac_filters_free;
	std::optional<std::uint32_t> mac_filters_max;
};

struct VfNl {
	VfIndex vf;
	bool allocated{};
	std::uint64_t serial{};
	MacAddr mac;
	std::string vf_pci_addr;
	std::optional<VportId> vport;
};

struct VportNl {
	VportId id;
	std::optional<VfIndex> vf;
	bool is_default{};
};

struct FilterNl {
	std::uint32_t id{};
	bool is_mac{};
	std::uint32_t origin{};
	VportId vport;
	MacAddr mac;
	VlanId vlan;
};

/// One ynl socket of the "sriov" family.  Requests address a PF by PCI
/// address.  Errors carry the kernel's errno and its extack message.
class SriovGenl {
public:
	enum class Role : std::uint8_t { requests, events };

	/// Resolves the family (and joins the "events" group for Role::events);
	/// throws std::runtime_error with ynl's reason.
	explicit SriovGenl(Role role);
	/// Adopts @ys, a socket set up by the caller (tests: a ynl_sock over a
	/// socketpair, answered with crafted messages).
	SriovGenl(Role role, ynl_sock *ys);
	SriovGenl(const SriovGenl &) = delete;
	SriovGenl &operator=(const SriovGenl &) = delete;
	SriovGenl(SriovGenl &&) noexcept;
	SriovGenl &operator=(SriovGenl &&) noexcept;
	~SriovGenl();

	[[nodiscard]] int fd() const;

	Outcome<std::vector<SwitchNl>> switches();
	Outcome<std::vector<VfNl>> vfs(const std::string &pf);
	Status vf_alloc(const std::string &pf, VfIndex vf, std::uint64_t serial, const std::optional<MacAddr> &mac);
	Status vf_free(const std::string &pf, VfIndex vf);
	Status vf_reset(const std::string &pf, VfIndex vf);
	Outcome<std::vector<VportNl>> vports(const std::string &pf);
	Outcome<VportNl> vport_new(const std::string &pf, VfIndex vf);
	Status vport_del(const std::string &pf, VportId id);
	Outcome<std::vector<FilterNl>> filters(const std::string &pf);
	Status filter_add_mac(const std::string &pf, VportId vport, const MacAddr &mac);
	Status filter_add_vlan(const std::string &pf, VportId vport, VlanId vlan);
	Status filter_del(const std::string &pf, std::uint32_t filter_id);
	Status filter_move(const std::string &pf, VportId from, VportId to, const std::vector<std::uint32_t> &ids);
	Outcome<std::vector<std::uint8_t>> cfg_read(const std::string &pf, VfIndex vf, std::uint32_t off,
						    std::uint32_t len);

	/// Every queued notification (Role::events), translated into what the
	/// engine acts on; @pf_of names the PF of an ifindex ("" if unknown).
	void drain(std::vector<KernelEvent> &out, const std::function<std::string(std::uint32_t)> &pf_of);

private:
	struct SockFree {
		void operator()(ynl_sock *ys) const;
	};
	/// The socket, re-created after a timed-out request (a late answer
	/// must not be read as the next request's); null if that failed.
	ynl_sock *sock(Status *err);
	Status fail(int saved_errno);
	/// @f(ys, &err) on the socket: its objects, or the error as the daemon reports it
	template <class Out, class F> Outcome<std::vector<Out>> with_sock(F &&f);
	/// One do with a reply (@call on @req), the reply owned; empty and *st on failure.
	template <class Rsp, class Req>
	std::unique_ptr<Rsp, void (*)(Rsp *)> ask(Rsp *(*call)(ynl_sock *, Req *), Req *req, void (*free_rsp)(Rsp *),
						      Status *st);

	Role role_;
	std::unique_ptr<ynl_sock, SockFree> ys_;
};

/// The kernel's extack message out of ynl's error text ("Kernel error:
/// 'MSG' (bad attribute: ...)" -> "MSG"); other texts unchanged.
std::string extack_of(const std::string &ynl_msg);

} // namespace sriov::netlink
