// SPDX-License-Identifier: GPL-2.0
#include "netlink/real_kernel_impl.hpp"

namespace sriov::netlink {

void RealKernel::drain_link_events(std::vector<KernelEvent> &out)
{
	const bool overrun = drain(links_.get(), [&](nlmsghdr *h) {
		const auto l = parse_link(h);
		if (!l || !is_host_port(*l))
			return;
		const std::string part = split_alias(l->alias).first;
		const std::uint32_t vfi = h->nlmsg_type == RTM_DELLINK ? 0 : l->netvsc.vf_ifindex;
		const std::uint32_t before = paired_[part];
		paired_[part] = vfi;
		if (before != 0 && vfi == 0)
			out.push_back({.type = KernelEvent::Type::adapter_unpaired, .pf = {}, .vf = {},
				       .partition = part, .detail = "adapter " + l->name + " lost its VF"});
	});
	if (overrun) // a loss may be among what was missed: let the engine check all
		for (const auto &[part, vfi] : paired_)
			out.push_back({.type = KernelEvent::Type::adapter_unpaired, .pf = {}, .vf = {},
				       .partition = part, .detail = "link notifications overrun"});
}

std::vector<KernelEvent> RealKernel::drain_events()
{
	std::vector<KernelEvent> out;
	drain_link_events(out);
	events_.drain(out, [&](std::uint32_t ifindex) {
		for (const auto &[name, ifi] : pf_ifindex_)
			if (ifi == ifindex)
				return name;
		return std::string();
	});
	return out;
}

} // namespace sriov::netlink
