// SPDX-License-Identifier: GPL-2.0
#include "netlink/ynl_sriov.hpp"

#include "netlink/ynl_c.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/time.h>

namespace sriov::netlink {

namespace {

// unique_ptr for every object the generated functions return
template <class T, void (*F)(T *)> struct Freer {
	void operator()(T *p) const { F(p); }
};
template <class T, void (*F)(T *)> using Owned = std::unique_ptr<T, Freer<T, F>>;

template <class T, void (*F)(T *)> Owned<T, F> own(T *p)
{
	return Owned<T, F>(p);
}

/// A request object from its generated _alloc, owned; the PF's PCI address set.
#define SRIOV_REQ(type, pf)                                                                                    \
	auto req = own<type, type##_free>(type##_alloc());                                                      \
	if (!req)                                                                                               \
		return Status::fail(ENOMEM, "out of memory");                                                   \
	type##_set_pci_addr(req.get(), (pf).c_str())

std::optional<MacAddr> mac_of(const void *p, std::uint32_t len)
{
	if (p == nullptr || len != 6)
		return std::nullopt;
	std::array<std::uint8_t, 6> b{};
	std::memcpy(b.data(), p, b.size());
	return MacAddr(b);
}

/// Walk a generated dump list (YNL_LIST_END terminated).
template <class L, class F> void each(L *list, F &&f)
{
	for (L *n = list; !ynl_dump_empty(n); n = n->next)
		f(n->obj);
}

VfNl vf_of(const sriov_vf_get_rsp &r)
{
	VfNl v;
	v.vf = VfIndex{r.vf_id};
	v.allocated = r._present.vf_state != 0 && r.vf_state == SRIOV_VF_STATE_ALLOCATED;
	v.serial = r._present.serial != 0 ? r.serial : 0;
	v.mac = mac_of(r.mac, r._present.mac_len).value_or(MacAddr{});
	v.vf_pci_addr = r._present.vf_pci_addr_len != 0 ? std::string(r.vf_pci_addr) : "";
	if (r._present.vport_id != 0)
		v.vport = VportId{r.vport_id};
	return v;
}

/// A VPort reply (get or new); nullopt for a VF-owned VPort without its VF.
template <class R> std::optional<VportNl> vport_of(const R &r)
{
	if (r._present.vport_id == 0)
		return std::nullopt;
	VportNl v;
	v.id = VportId{r.vport_id};
	v.is_default = r._present.is_default != 0;
	const auto owner = r._present.vport_owner != 0 ? r.vport_owner : SRIOV_VPORT_OWNER_PF;
	if (owner == SRIOV_VPORT_OWNER_VF) {
		if (r._present.vf_id == 0)
			return std::nullopt;
		v.vf = VfIndex{r.vf_id};
	}
	return v;
}

std::optional<FilterNl> filter_of(const sriov_filter_get_rsp &r)
{
	if (r._present.filter_id == 0 || r._present.vport_id == 0 || r._present.filter_type == 0)
		return std::nullopt;
	FilterNl f;
	f.id = r.filter_id;
	f.vport = VportId{r.vport_id};
	f.is_mac = r.filter_type == SRIOV_FILTER_TYPE_MAC;
	f.origin = r._present.filter_origin != 0 ? r.filter_origin : SRIOV_FILTER_ORIGIN_ADMIN;
	if (f.is_mac) {
		auto mac = mac_of(r.mac, r._present.mac_len);
		if (!mac)
			return std::nullopt;
		f.mac = *mac;
	}
	f.vlan = VlanId{r._present.vlan != 0 ? r.vlan : std::uint16_t{0}};
	return f;
}

} // namespace

std::string extack_of(const std::string &ynl_msg)
{
	static const std::string head = "Kernel error: '";
	if (ynl_msg.rfind(head, 0) != 0)
		return ynl_msg;
	const std::string rest = ynl_msg.substr(head.size());
	// the message ends at the quote closing it: the end, or before ynl's
	// " (bad attribute: ...)" / " (missing attribute: ...)" suffix
	const auto suffix = rest.find("' (");
	if (suffix != std::string::npos)
		return rest.substr(0, suffix);
	return !rest.empty() && rest.back() == '\'' ? rest.substr(0, rest.size() - 1) : rest;
}

void SriovGenl::SockFree::operator()(ynl_sock *ys) const
{
	ynl_sock_destroy(ys);
}

namespace {

ynl_sock *open_sock(SriovGenl::Role role, std::string *why)
{
	ynl_error err{};
	ynl_sock *ys = ynl_sock_create(&ynl_sriov_family, &err);
	if (ys == nullptr) {
		*why = std::string("generic netlink family \"sriov\": ") + err.msg + " (is sriov_pf loaded?)";
		return nullptr;
	}
	if (role == SriovGenl::Role::events) {
		// the events group carries every notification the engine acts on
		// (VF freed, VF reset/FLR, filter-moved-ntf of sriov_pf's own
		// failovers): without it the model drifts from the kernel
		if (ynl_subscribe(ys, SRIOV_MCGRP_EVENTS) != 0) {
			*why = std::string("cannot join the \"sriov\" family's \"" SRIOV_MCGRP_EVENTS
					   "\" multicast group: ") +
			       ys->err.msg;
			ynl_sock_destroy(ys);
			return nullptr;
		}
		return ys;
	}
	// requests wait a bounded time for their answer
	timeval tv{.tv_sec = genl_timeout_ms / 1000, .tv_usec = (genl_timeout_ms % 1000) * 1000};
	if (::setsockopt(ynl_socket_get_fd(ys), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0) {
		*why = std::string("SO_RCVTIMEO: ") + std::strerror(errno);
		ynl_sock_destroy(ys);
		return nullptr;
	}
	return ys;
}

} // namespace

SriovGenl::SriovGenl(Role role) : role_(role)
{
	std::string why;
	ys_.reset(open_sock(role, &why));
	if (!ys_)
		throw std::runtime_error(why);
}

SriovGenl::SriovGenl(Role role, ynl_sock *ys) : role_(role), ys_(ys) {}

SriovGenl::SriovGenl(SriovGenl &&) noexcept = default;
SriovGenl &SriovGenl::operator=(SriovGenl &&) noexcept = default;
SriovGenl::~SriovGenl() = default;

int SriovGenl::fd() const
{
	return ys_ ? ynl_socket_get_fd(ys_.get()) : -1;
}

ynl_sock *SriovGenl::sock(Status *err)
{
	if (!ys_) {
		std::string why;
		ys_.reset(open_sock(role_, &why));
		if (!ys_)
			*err = Status::fail(ENODEV, why);
	}
	return ys_.get();
}

Status SriovGenl::fail(int saved_errno)
{
	const int code = static_cast<int>(ys_->err.code);
	if (code == 0) {
		// no answer parsed: the socket call failed (SO_RCVTIMEO expired)
		if (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK) {
			// a late answer would be read as the next request's: new socket
			ys_.reset();
			return Status::fail(ETIMEDOUT, "no netlink answer within " +
								std::to_string(genl_timeout_ms / 1000) + " s");
		}
		const int e = saved_errno != 0 ? saved_errno : EIO;
		return Status::fail(e, std::string("netlink: ") + std::strerror(e));
	}
	if (code < __YNL_ERRNO_END)
		return Status::fail(code, extack_of(ys_->err.msg));
	return Status::fail(EPROTO, std::string("netlink answer: ") + ys_->err.msg);
}

// A do without a reply body; the generated call returns 0 or -1.
#define SRIOV_DO_ACK(call)                                                                                     \
	do {                                                                                                    \
		Status st_;                                                                                     \
		ynl_sock *ys_p = sock(&st_);                                                                    \
		if (ys_p == nullptr)                                                                            \
			return st_;                                                                             \
		errno = 0;                                                                                      \
		if ((call(ys_p, req.get())) != 0)                                                               \
			return fail(errno);                                                                     \
		return Status::success();                                                                       \
	} while (0)

template <class Rsp, class Req>
std::unique_ptr<Rsp, void (*)(Rsp *)> SriovGenl::ask(Rsp *(*call)(ynl_sock *, Req *), Req *req,
						      void (*free_rsp)(Rsp *), Status *st)
{
	std::unique_ptr<Rsp, void (*)(Rsp *)> rsp(nullptr, free_rsp);
	ynl_sock *ys = sock(st);
	if (ys == nullptr)
		return rsp;
	errno = 0;
	rsp.reset(call(ys, req));
	if (!rsp)
		*st = fail(errno);
	return rsp;
}

Outcome<std::vector<SwitchNl>> SriovGenl::switches()
{
	using R = Outcome<std::vector<SwitchNl>>;
	Status st;
	ynl_sock *ys = sock(&st);
	if (ys == nullptr)
		return R::fail(st.err, st.msg);
	errno = 0;
	auto list = own<sriov_switch_get_list, sriov_switch_get_list_free>(sriov_switch_get_dump(ys));
	if (!list) {
		st = fail(errno);
		return R::fail(st.err, st.msg);
	}
	std::vector<SwitchNl> out;
	each(list.get(), [&](const sriov_switch_get_rsp &r) {
		if (r._present.ifindex == 0 || r._present.pci_addr_len == 0)
			return;
		const auto opt = [](unsigned present, std::uint32_t v) {
			return present != 0 ? std::optional<std::uint32_t>(v) : std::nullopt;
		};
		out.push_back({.ifindex = r.ifindex,
			       .pci_addr = r.pci_addr,
			       .num_vfs = r._present.num_vfs != 0 ? r.num_vfs : 0,
			       .total_vfs = r._present.total_vfs != 0 ? r.total_vfs : 0,
			       .default_mac_filters = opt(r._present.default_mac_filters, r.default_mac_filters),
			       .default_mac_filters_max =
				       opt(r._present.default_mac_filters_max, r.default_mac_filters_max),
			       .mac_filters_free = opt(r._present.mac_filters_free, r.mac_filters_free),
			       .mac_filters_max = opt(r._present.mac_filters_max, r.mac_filters_max)});
	});
	return R::of(std::move(out));
}

namespace {

/// One per-PF dump through its generated calls: the request (alloc, free,
/// the PF's PCI address) and the reply list (dump, free); @map turns a
/// reply into an optional object.  nullopt and *err on failure.
template <class Out, class Req, class List, class Map>
std::optional<std::vector<Out>> pf_dump(ynl_sock *ys, const std::string &pf, Req *(*alloc)(), void (*free_req)(Req *),
					void (*set_pf)(Req *, const char *), List *(*dump)(ynl_sock *, Req *),
					void (*free_list)(List *), Map &&map, int *err)
{
	const std::unique_ptr<Req, void (*)(Req *)> req(alloc(), free_req);
	if (!req) {
		*err = ENOMEM;
		return std::nullopt;
	}
	set_pf(req.get(), pf.c_str());
	errno = 0;
	const std::unique_ptr<List, void (*)(List *)> list(dump(ys, req.get()), free_list);
	if (!list) {
		*err = errno;
		return std::nullopt;
	}
	std::vector<Out> out;
	each(list.get(), [&](const auto &r) {
		if (std::optional<Out> o = map(r))
			out.push_back(std::move(*o));
	});
	return out;
}

} // namespace

template <class Out, class F> Outcome<std::vector<Out>> SriovGenl::with_sock(F &&f)
{
	Status st;
	ynl_sock *ys = sock(&st);
	if (ys == nullptr)
		return Outcome<std::vector<Out>>::fail(st.err, st.msg);
	int err = 0;
	auto out = f(ys, &err);
	if (!out) {
		st = err == ENOMEM ? Status::fail(ENOMEM, "out of memory") : fail(err);
		return Outcome<std::vector<Out>>::fail(st.err, st.msg);
	}
	return Outcome<std::vector<Out>>::of(std::move(*out));
}

Outcome<std::vector<VfNl>> SriovGenl::vfs(const std::string &pf)
{
	return with_sock<VfNl>([&](ynl_sock *ys, int *err) {
		return pf_dump<VfNl>(ys, pf, sriov_vf_get_req_dump_alloc, sriov_vf_get_req_dump_free,
				     sriov_vf_get_req_dump_set_pci_addr, sriov_vf_get_dump, sriov_vf_get_list_free,
				     [](const sriov_vf_get_rsp &r) {
					     return r._present.vf_id != 0 ? std::optional<VfNl>(vf_of(r)) : std::nullopt;
				     },
				     err);
	});
}

Outcome<std::vector<VportNl>> SriovGenl::vports(const std::string &pf)
{
	return with_sock<VportNl>([&](ynl_sock *ys, int *err) {
		return pf_dump<VportNl>(ys, pf, sriov_vport_get_req_dump_alloc, sriov_vport_get_req_dump_free,
					sriov_vport_get_req_dump_set_pci_addr, sriov_vport_get_dump,
					sriov_vport_get_list_free,
					[](const sriov_vport_get_rsp &r) { return vport_of(r); }, err);
	});
}

Outcome<std::vector<FilterNl>> SriovGenl::filters(const std::string &pf)
{
	return with_sock<FilterNl>([&](ynl_sock *ys, int *err) {
		return pf_dump<FilterNl>(ys, pf, sriov_filter_get_req_dump_alloc, sriov_filter_get_req_dump_free,
					 sriov_filter_get_req_dump_set_pci_addr, sriov_filter_get_dump,
					 sriov_filter_get_list_free,
					 [](const sriov_filter_get_rsp &r) { return filter_of(r); }, err);
	});
}

Status SriovGenl::vf_alloc(const std::string &pf, VfIndex vf, std::uint64_t serial, const std::optional<MacAddr> &mac)
{
	SRIOV_REQ(sriov_vf_alloc_req, pf);
	sriov_vf_alloc_req_set_vf_id(req.get(), vf.value);
	sriov_vf_alloc_req_set_serial(req.get(), serial);
	if (mac)
		sriov_vf_alloc_req_set_mac(req.get(), mac->bytes().data(), mac->bytes().size());
	Status st;
	return ask(sriov_vf_alloc, req.get(), sriov_vf_alloc_rsp_free, &st) ? Status::success() : st;
}

Status SriovGenl::vf_free(const std::string &pf, VfIndex vf)
{
	SRIOV_REQ(sriov_vf_free_req, pf);
	sriov_vf_free_req_set_vf_id(req.get(), vf.value);
	SRIOV_DO_ACK(sriov_vf_free);
}

Status SriovGenl::vf_reset(const std::string &pf, VfIndex vf)
{
	SRIOV_REQ(sriov_vf_reset_req, pf);
	sriov_vf_reset_req_set_vf_id(req.get(), vf.value);
	SRIOV_DO_ACK(sriov_vf_reset);
}

Outcome<VportNl> SriovGenl::vport_new(const std::string &pf, VfIndex vf)
{
	using R = Outcome<VportNl>;
	auto req = own<sriov_vport_new_req, sriov_vport_new_req_free>(sriov_vport_new_req_alloc());
	if (!req)
		return R::fail(ENOMEM, "out of memory");
	sriov_vport_new_req_set_pci_addr(req.get(), pf.c_str());
	sriov_vport_new_req_set_vf_id(req.get(), vf.value);
	Status st;
	const auto rsp = ask(sriov_vport_new, req.get(), sriov_vport_new_rsp_free, &st);
	if (!rsp)
		return R::fail(st.err, st.msg);
	if (auto v = vport_of(*rsp))
		return R::of(*v);
	return R::fail(EPROTO, "vport-new answered without a VPort");
}

Status SriovGenl::vport_del(const std::string &pf, VportId id)
{
	SRIOV_REQ(sriov_vport_del_req, pf);
	sriov_vport_del_req_set_vport_id(req.get(), id.value);
	SRIOV_DO_ACK(sriov_vport_del);
}

Status SriovGenl::filter_add_mac(const std::string &pf, VportId vport, const MacAddr &mac)
{
	SRIOV_REQ(sriov_filter_add_req, pf);
	sriov_filter_add_req_set_vport_id(req.get(), vport.value);
	sriov_filter_add_req_set_mac(req.get(), mac.bytes().data(), mac.bytes().size());
	Status st;
	return ask(sriov_filter_add, req.get(), sriov_filter_add_rsp_free, &st) ? Status::success() : st;
}

Status SriovGenl::filter_add_vlan(const std::string &pf, VportId vport, VlanId vlan)
{
	SRIOV_REQ(sriov_filter_add_req, pf);
	sriov_filter_add_req_set_vport_id(req.get(), vport.value);
	sriov_filter_add_req_set_vlan(req.get(), vlan.value);
	Status st;
	return ask(sriov_filter_add, req.get(), sriov_filter_add_rsp_free, &st) ? Status::success() : st;
}

Status SriovGenl::filter_del(const std::string &pf, std::uint32_t filter_id)
{
	SRIOV_REQ(sriov_filter_del_req, pf);
	sriov_filter_del_req_set_filter_id(req.get(), filter_id);
	SRIOV_DO_ACK(sriov_filter_del);
}

Status SriovGenl::filter_move(const std::string &pf, VportId from, VportId to, const std::vector<std::uint32_t> &ids)
{
	SRIOV_REQ(sriov_filter_move_req, pf);
	sriov_filter_move_req_set_src_vport_id(req.get(), from.value);
	sriov_filter_move_req_set_vport_id(req.get(), to.value);
	// the request owns the array (its _free frees it)
	auto *arr = static_cast<__u32 *>(std::calloc(ids.empty() ? 1 : ids.size(), sizeof(__u32)));
	if (arr == nullptr)
		return Status::fail(ENOMEM, "out of memory");
	std::copy(ids.begin(), ids.end(), arr);
	__sriov_filter_move_req_set_filter_ids(req.get(), arr, static_cast<unsigned int>(ids.size()));
	Status st;
	return ask(sriov_filter_move, req.get(), sriov_filter_move_rsp_free, &st) ? Status::success() : st;
}

Outcome<std::vector<std::uint8_t>> SriovGenl::cfg_read(const std::string &pf, VfIndex vf, std::uint32_t off,
							std::uint32_t len)
{
	using R = Outcome<std::vector<std::uint8_t>>;
	auto req = own<sriov_cfg_read_req, sriov_cfg_read_req_free>(sriov_cfg_read_req_alloc());
	if (!req)
		return R::fail(ENOMEM, "out of memory");
	sriov_cfg_read_req_set_pci_addr(req.get(), pf.c_str());
	sriov_cfg_read_req_set_vf_id(req.get(), vf.value);
	sriov_cfg_read_req_set_cfg_offset(req.get(), off);
	sriov_cfg_read_req_set_cfg_len(req.get(), len);
	Status st;
	const auto rsp = ask(sriov_cfg_read, req.get(), sriov_cfg_read_rsp_free, &st);
	if (!rsp)
		return R::fail(st.err, st.msg);
	if (rsp->_present.cfg_data_len == 0)
		return R::fail(EPROTO, "cfg-read answer without data");
	const auto *d = static_cast<const std::uint8_t *>(rsp->cfg_data);
	return R::of(std::vector<std::uint8_t>(d, d + rsp->_present.cfg_data_len));
}

} // namespace sriov::netlink
