// SPDX-License-Identifier: GPL-2.0
// The real kernel: genl family "sriov" (sriov_pf.ko), rtnetlink (netdevs,
// namespaces, the sriov_netvsc link kind, the host bridges that are the PFs'
// switches for the synthetic path) and sysfs (sriov_numvfs, virtfnN).
#pragma once

#include "kernel/kernel_api.hpp"

#include <memory>
#include <string>
#include <vector>

namespace sriov::netlink {

/// @pfs: PCI addresses to manage; empty = every PF the family reports.
/// Throws std::runtime_error if the "sriov" family is not registered.
std::unique_ptr<KernelApi> make_real_kernel(const std::vector<std::string> &pfs);

} // namespace sriov::netlink
