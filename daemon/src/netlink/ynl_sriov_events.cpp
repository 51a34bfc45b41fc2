// SPDX-License-Identifier: GPL-2.0
// The sriov family's notifications (its "events" multicast group), read
// through the generated client and translated into what the engine acts on.
#include "netlink/ynl_sriov.hpp"

#include "netlink/ynl_c.hpp"

#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace sriov::netlink {

namespace {

/// The common head of every notification: its PF and VF, and what it means.
template <class O>
KernelEvent event_of(const O &o, const std::function<std::string(std::uint32_t)> &pf_of, KernelEvent::Type type,
		     std::string detail)
{
	KernelEvent ev;
	if (o._present.ifindex != 0)
		ev.pf = pf_of(o.ifindex);
	if constexpr (requires { o.vf_id; })
		if (o._present.vf_id != 0)
			ev.vf = VfIndex{o.vf_id};
	ev.type = type;
	ev.detail = std::move(detail);
	return ev;
}

template <class N> const N &ntf_as(const ynl_ntf_base_type *n)
{
	return *reinterpret_cast<const N *>(n); // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
}

/// One notification, translated; nullopt for what the engine does not act
/// on (sriovd's own changes echoed back).
std::optional<KernelEvent> translate(const ynl_ntf_base_type *n, const std::function<std::string(std::uint32_t)> &pf_of)
{
	using T = KernelEvent::Type;
	switch (n->cmd) {
	case SRIOV_CMD_VF_FREED_NTF:
		// a VF freed behind our back (SR-IOV disabled, PF reset) is lost to its holder
		return event_of(ntf_as<sriov_vf_freed_ntf>(n).obj, pf_of, T::vf_lost, "vf-freed");
	case SRIOV_CMD_SWITCH_CHANGE_NTF: {
		const auto &o = ntf_as<sriov_switch_change_ntf>(n).obj;
		return event_of(o, pf_of, T::link_change,
				"switch-change num-vfs=" + std::to_string(o._present.num_vfs != 0 ? o.num_vfs : 0));
	}
	case SRIOV_CMD_VF_RESET_REQUEST_NTF:
		return event_of(ntf_as<sriov_vf_reset_request_ntf>(n).obj, pf_of, T::vf_reset_request,
				"mailbox VF_RESET");
	case SRIOV_CMD_VF_FLR_NTF:
		return event_of(ntf_as<sriov_vf_flr_ntf>(n).obj, pf_of, T::vf_reset_request, "VFLR");
	case SRIOV_CMD_LINK_CHANGE_NTF: {
		const auto &o = ntf_as<sriov_link_change_ntf>(n).obj;
		return event_of(o, pf_of, T::link_change,
				o._present.link_up != 0 && o.link_up == 1 ? "link up" : "link down");
	}
	case SRIOV_CMD_FILTER_MOVED_NTF: {
		// Without a reset reason it is a filter-move request echoed back
		// (sriovd's own, or an administrator's): nothing to act on.  With
		// one, sriov_pf failed a VF over to the default VPort by itself.
		// Missing VPort ids are passed on as such: the engine logs and
		// ignores a malformed event.
		const auto &o = ntf_as<sriov_filter_moved_ntf>(n).obj;
		if (o._present.reset_reason == 0)
			return std::nullopt;
		auto ev = event_of(o, pf_of, T::filters_moved, "filter-moved reason=" + std::to_string(o.reset_reason));
		ev.reset_reason = static_cast<std::uint32_t>(o.reset_reason);
		if (o._present.src_vport_id != 0)
			ev.src_vport = VportId{o.src_vport_id};
		if (o._present.vport_id != 0)
			ev.dst_vport = VportId{o.vport_id};
		ev.filter_ids.assign(o.filter_ids, o.filter_ids + o.n_filter_ids);
		return ev;
	}
	default:
		return std::nullopt;
	}
}

} // namespace

void SriovGenl::drain(std::vector<KernelEvent> &out, const std::function<std::string(std::uint32_t)> &pf_of)
{
	if (!ys_)
		return;
	// ynl_ntf_check reads until the socket is empty; it stops early (< 0)
	// on a message it cannot parse or a receive error (ENOBUFS: missed
	// notifications, nothing to re-read): go on past both, a bounded
	// number of times.
	for (int i = 0; i < 64 && ynl_ntf_check(ys_.get()) < 0; i++)
		;
	while (ynl_ntf_base_type *n = ynl_ntf_dequeue(ys_.get())) {
		auto owned = std::unique_ptr<ynl_ntf_base_type, void (*)(ynl_ntf_base_type *)>(n, ynl_ntf_free);
		if (auto ev = translate(n, pf_of))
			out.push_back(std::move(*ev));
	}
}

} // namespace sriov::netlink
