// SPDX-License-Identifier: GPL-2.0
// FakeKernel: construction, test controls and fault injection, lookups.
#include "kernel/fake_kernel.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <thread>

namespace sriov {

FakeKernel::FakeKernel(std::string state_path, std::uint64_t compact_min_bytes) : state_path_(std::move(state_path))
{
	if (state_path_.empty())
		return;
	store_ = std::make_unique<store::StateStore>(
		state_path_, store::StoreOptions{.durable = false, .min_version = 1, .max_version = 1,
						  .compact_min_bytes = compact_min_bytes});
	load();
}

FakeKernel::~FakeKernel() = default;

void FakeKernel::fail(const std::string &op, int err, int count)
{
	faults_[op] = Fault{.err = err, .count = count};
	dirty_faults_.insert(op);
	commit();
}

void FakeKernel::clear_faults()
{
	for (const auto &[op, f] : faults_)
		dirty_faults_.insert(op);
	faults_.clear();
	commit();
}

void FakeKernel::set_pairing(bool enabled)
{
	pairing_ = enabled;
	update_pairing();
	commit();
}

void FakeKernel::set_release_ignored(bool ignored)
{
	release_ignored_ = ignored;
	commit();
}

void FakeKernel::set_delay_ms(int ms)
{
	delay_ms_ = ms;
	commit();
}

void FakeKernel::rename_vf(const std::string &pf, VfIndex vf, const std::string &name)
{
	Vf *v = find_vf(pf, vf);
	if (v == nullptr || !v->present)
		return;
	v->netdev = name;
	for (const auto &n : pair_watch_) {
		Adapter &a = adapters_.at(n);
		if (a.info.paired_vf_ifindex == v->ifindex && a.info.netns == v->netns) {
			a.info.paired_vf = name;
			touch(a);
		}
	}
	commit();
}

void FakeKernel::surprise_remove(const std::string &pf, VfIndex vf)
{
	Vf *v = find_vf(pf, vf);
	if (v == nullptr || !v->present)
		return;
	v->present = false;
	v->netns.clear(); // the netdev is gone with the function
	events_.push_back({.type = KernelEvent::Type::vf_lost, .pf = pf, .vf = vf, .partition = {},
			   .detail = "hot-unplug"});
	update_pairing();
	commit();
}

Status FakeKernel::enter(const std::string &op)
{
	if (hook_)
		hook_(op);
	if (delay_ms_ > 0)
		std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_));
	auto it = faults_.find(op);
	if (it == faults_.end())
		return Status::success();
	const int err = it->second.err;
	dirty_faults_.insert(op);
	if (it->second.count > 0 && --it->second.count == 0)
		faults_.erase(it);
	commit();
	return Status::fail(err, "injected fault in " + op);
}

FakeKernel::Pf *FakeKernel::find_pf(const std::string &pf)
{
	auto it = pfs_.find(pf);
	return it == pfs_.end() || it->second.unplugged ? nullptr : &it->second;
}

FakeKernel::Vf *FakeKernel::find_vf(const std::string &pf, VfIndex vf)
{
	Pf *p = find_pf(pf);
	if (p == nullptr || vf.value >= p->num_vfs || vf.value >= p->vfs.size())
		return nullptr;
	return &p->vfs[vf.value];
}

std::vector<KernelEvent> FakeKernel::drain_events()
{
	std::vector<KernelEvent> out;
	out.swap(events_);
	return out;
}

unsigned FakeKernel::reset_count(const std::string &pf, VfIndex vf) const
{
	auto it = pfs_.find(pf);
	if (it == pfs_.end() || vf.value >= it->second.vfs.size())
		return 0;
	return it->second.vfs[vf.value].resets;
}

} // namespace sriov
