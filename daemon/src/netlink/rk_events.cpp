// SPDX-License-Identifier: GPL-2.0
#include "netlink/real_kernel_impl.hpp"

namespace sriov::netlink {

void RealKernel::drain_link_events(std::vector<KernelEvent> &out)
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
		for (const auto &f : split_frames(std::span<const std::uint8_t>(buf.data(), static_cast<std::size_t>(n)))) {
			if (f.hdr.nlmsg_type == RTM_NEWLINK || f.hdr.nlmsg_type == RTM_DELLINK) {
				const Link l = parse_link(f.bytes);
				if (is_host_port(l)) {
					const std::string part = split_alias(l.alias).first;
					std::uint32_t vfi = 0;
					if (const Attr *a = find(l.info_data, swnv::vf_ifindex); a != nullptr)
						vfi = a->u32().value_or(0);
					if (f.hdr.nlmsg_type == RTM_DELLINK)
						vfi = 0;
					const std::uint32_t before = paired_[part];
					paired_[part] = vfi;
					if (before != 0 && vfi == 0)
						out.push_back({.type = KernelEvent::Type::adapter_unpaired, .pf = {},
							       .vf = {}, .partition = part,
							       .detail = "adapter " + l.name + " lost its VF"});
				}
			}
		}
	}
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
