// SPDX-License-Identifier: GPL-2.0
// Adapter steps: the partition's netns, adapter and its filters on the
// default VPort, and their removal.
#include "seq/steps_impl.hpp"

#include "common/log.hpp"

#include <algorithm>
#include <cerrno>

namespace sriov::seq::step_fn {

StepResult netns_ensure(StepCtx &c, model::Partition &p)
{
	if (c.kernel.netns_exists(p.netns))
		return StepResult::skip("netns exists");
	if (!p.netns.empty() && p.netns.front() == '/')
		// a path names a namespace someone else made (a container's,
		// /run/netns/NAME too): gone is gone, never made again
		return StepResult::fail(Reason::adapter_create_failed, "no network namespace at " + p.netns);
	auto st = c.kernel.netns_create(netns_name_of(p.netns));
	if (!st.ok() && st.err != EEXIST)
		return StepResult::fail(Reason::adapter_create_failed, "netns " + p.netns + ": " + errtext(st));
	return StepResult::ok("created netns " + p.netns);
}

StepResult adapter_create(StepCtx &c, model::Partition &p)
{
	if (p.serial == 0)
		p.serial = c.rec.id;
	auto ad = c.kernel.adapter(p.name);
	if (!ad) {
		auto st = c.kernel.adapter_create(p.name, p.netns, p.ifname, p.pf, p.mac, p.serial);
		if (!st.ok() && st.err == EEXIST) {
			// something by that name exists: this partition's only if it
			// carries its identity (a crash between creating the link
			// and marking it), never taken as success blindly
			st = c.kernel.adapter_claim(p.name, p.netns, p.serial);
			if (!st.ok())
				return StepResult::fail(Reason::adapter_create_failed,
							"exists and is not this partition's adapter: " + errtext(st));
		}
		if (!st.ok())
			return StepResult::fail(Reason::adapter_create_failed, errtext(st));
		ad = c.kernel.adapter(p.name);
		if (!ad)
			return StepResult::fail(Reason::adapter_create_failed, "created, but not found afterwards");
	}
	if (ad->netns != p.netns)
		return StepResult::fail(Reason::adapter_create_failed,
					"an adapter for " + p.name + " exists in netns " + ad->netns + ", not " + p.netns);
	if (ad->serial != 0 && ad->serial != p.serial)
		return StepResult::fail(Reason::adapter_create_failed,
					"an adapter for " + p.name + " exists with another identity (serial " +
						std::to_string(ad->serial) + ", this partition's is " +
						std::to_string(p.serial) + ")");
	// created before a crash by hand or without its identity: set it here
	if (ad && ad->serial != p.serial) {
		auto st = c.kernel.adapter_set_serial(p.name, p.serial);
		if (!st.ok())
			return StepResult::fail(Reason::adapter_create_failed, "serial: " + errtext(st));
	}
	// the backend locks the port it creates; one found unlocked (an
	// adapter left by a crash, or made by hand) is locked here
	if (ad && !ad->port_locked) {
		auto st = c.kernel.adapter_lock_port(p.name, p.mac);
		if (!st.ok())
			return StepResult::fail(Reason::adapter_create_failed, "locking the switch port: " + errtext(st));
	}
	p.adapter = true;
	return StepResult::ok("serial " + std::to_string(p.serial));
}

/// Make the synthetic path's filters live on @pf's default VPort.
Status filters_on_default(KernelApi &k, const std::string &pf, const model::Partition &p)
{
	auto dv = default_vport(k, pf);
	if (!dv)
		return Status::fail(ENODEV, "PF " + pf + " is gone");
	for (const auto &f : p.filters()) {
		if (filter_location(k, pf, f))
			continue;
		auto st = k.filter_add(pf, *dv, f);
		if (!st.ok() && st.err != EEXIST)
			return st;
	}
	return Status::success();
}

Status filters_off(KernelApi &k, const std::string &pf, const model::Partition &p)
{
	for (const auto &f : p.filters()) {
		auto where = filter_location(k, pf, f);
		if (!where)
			continue;
		auto st = k.filter_del(pf, *where, f);
		if (!st.ok() && st.err != ENOENT)
			return st;
	}
	return Status::success();
}

StepResult adapter_filter_add(StepCtx &c, model::Partition &p)
{
	auto st = filters_on_default(c.kernel, p.pf, p);
	if (!st.ok())
		return StepResult::fail(Reason::filter_add_failed, errtext(st));
	p.adapter_filter = true;
	return StepResult::ok();
}

StepResult adapter_filter_del(StepCtx &c, model::Partition &p)
{
	auto st = filters_off(c.kernel, p.pf, p);
	if (!st.ok())
		return StepResult::fail(Reason::filter_del_failed, errtext(st));
	p.adapter_filter = false;
	return StepResult::ok();
}

StepResult adapter_delete(StepCtx &c, model::Partition &p)
{
	if (auto ad = c.kernel.adapter(p.name)) {
		// never one of another identity (adapter_create refused it)
		if (!p.adapter && ad->serial != 0 && ad->serial != p.serial) {
			p.adapter = false;
			return StepResult::skip("the adapter by that name is not this partition's (serial " +
						std::to_string(ad->serial) + "): left alone");
		}
		auto st = c.kernel.adapter_delete(p.name);
		if (!st.ok() && st.err != ENOENT)
			return StepResult::fail(Reason::adapter_delete_failed, errtext(st));
	}
	p.adapter = false;
	return StepResult::ok();
}

} // namespace sriov::seq::step_fn
