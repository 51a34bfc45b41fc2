// SPDX-License-Identifier: GPL-2.0
#include "netlink/real_kernel_impl.hpp"

#include <fstream>

namespace sriov::netlink {

namespace {

/// The first line of a sysfs file ("" if it cannot be read).
std::string read_line(const std::string &path)
{
	std::ifstream in(path);
	std::string line;
	std::getline(in, line);
	return line;
}

} // namespace

Status RealKernel::sysfs_write(const std::string &path, const std::string &text)
{
	// by value: a write that outlives its bound goes on without us
	return sysfs_call_.run(
		[path, text] {
			Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
			if (fd.get() < 0)
				return Status::fail(errno, "open " + path + ": " + std::strerror(errno));
			if (::write(fd.get(), text.data(), text.size()) < 0)
				return Status::fail(errno, "write " + path + ": " + std::strerror(errno));
			return Status::success();
		},
		sysfs_bound);
}

Status RealKernel::driver_unbind(const std::string &pf, VfIndex vf)
{
	const std::string bdf = vf_bdf(pf, vf);
	if (bdf.empty())
		return Status::fail(ENOENT, "no virtfn" + std::to_string(vf.value) + " on " + pf);
	if (!std::filesystem::exists(sysfs_pci(bdf, "driver")))
		return Status::success();
	return sysfs_write(sysfs_pci(bdf, "driver/unbind"), bdf);
}

Status RealKernel::vf_rebind(const std::string &pf, VfIndex vf)
{
	if (auto st = driver_unbind(pf, vf); !st.ok())
		return st;
	const std::string bdf = vf_bdf(pf, vf);
	// With the PF's sriov_drivers_autoprobe off (hosts that hand VFs to
	// VMs set it) the PCI core probes no driver for a VF, not even through
	// drivers_probe, unless the VF's driver_override names one: name the
	// VF driver that is loaded
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

std::string RealKernel::vf_driver(const std::string &pf, VfIndex vf)
{
	const std::string bdf = vf_bdf(pf, vf);
	std::error_code ec;
	const auto target = std::filesystem::read_symlink(sysfs_pci(bdf, "driver"), ec);
	return ec ? std::string{} : target.filename().string();
}

std::string RealKernel::vf_bdf(const std::string &pf, VfIndex vf)
{
	std::error_code ec;
	auto p = std::filesystem::read_symlink(sysfs_pci(pf, "virtfn" + std::to_string(vf.value)), ec);
	return ec ? std::string{} : p.filename().string();
}

} // namespace sriov::netlink
