// SPDX-License-Identifier: GPL-2.0
// FakeKernel: the synthetic switch's ARP/ND guard (table "bridge sriovd"),
// kept by partition; the nftables text the real backend would send is
// kept for the tests to read.
#include "kernel/fake_kernel.hpp"

#include "kernel/switch_guard.hpp"

#include <cerrno>

namespace sriov {

namespace {

guard::Port port_of(const PortGuard &g)
{
	return {.ifname = "syn-" + g.partition, .guard = g};
}

} // namespace

Status FakeKernel::guard_apply(const std::vector<PortGuard> &ports)
{
	if (auto st = enter("guard_apply"); !st.ok())
		return st;
	std::string names;
	std::vector<guard::Port> gp;
	guard_.clear();
	for (const auto &g : ports) {
		names += (names.empty() ? "" : ",") + g.partition;
		gp.push_back(port_of(g));
		guard_[g.partition] = g;
	}
	requests_.push_back("guard_apply [" + names + "]");
	guard_last_script_ = guard::script(gp);
	guard_present_ = true;
	dirty_guard_all_ = true;
	commit();
	return Status::success();
}

Status FakeKernel::guard_set(const PortGuard &port)
{
	if (auto st = enter("guard_set"); !st.ok())
		return st;
	requests_.push_back("guard_set " + port.partition);
	// as nft: no table, no map to add the port to
	if (!guard_present_)
		return Status::fail(ENOENT, "no table bridge sriovd");
	guard_last_script_ = guard::port_add_script(port_of(port));
	guard_[port.partition] = port;
	dirty_guard_.insert(port.partition);
	commit();
	return Status::success();
}

Status FakeKernel::guard_del(const std::string &partition)
{
	if (auto st = enter("guard_del"); !st.ok())
		return st;
	requests_.push_back("guard_del " + partition);
	if (!guard_present_ || !guard_.contains(partition))
		return Status::fail(ENOENT, "no rules of " + partition + " in table bridge sriovd");
	guard_last_script_ = guard::port_del_script("syn-" + partition);
	guard_.erase(partition);
	dirty_guard_.insert(partition);
	commit();
	return Status::success();
}

Outcome<std::vector<PortGuard>> FakeKernel::guard_state()
{
	if (!guard_present_)
		return Outcome<std::vector<PortGuard>>::fail(ENOENT, "no table bridge sriovd");
	return Outcome<std::vector<PortGuard>>::of(guard_ports());
}

std::vector<PortGuard> FakeKernel::guard_ports() const
{
	std::vector<PortGuard> out;
	out.reserve(guard_.size());
	for (const auto &[name, g] : guard_)
		out.push_back(g);
	return out;
}

std::string FakeKernel::guard_script() const
{
	if (!guard_present_)
		return {};
	std::vector<guard::Port> gp;
	gp.reserve(guard_.size());
	for (const auto &[name, g] : guard_)
		gp.push_back(port_of(g));
	return guard::script(gp);
}

void FakeKernel::drop_guard()
{
	guard_present_ = false;
	guard_.clear();
	guard_last_script_.clear();
	dirty_guard_all_ = true;
	commit();
}

} // namespace sriov
