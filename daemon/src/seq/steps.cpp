// SPDX-License-Identifier: GPL-2.0
#include "seq/steps.hpp"

#include "common/log.hpp"

#include <algorithm>
#include <cerrno>

namespace sriov::seq {

namespace {

using model::VfState;

std::string errtext(const Status &st)
{
	return st.msg + " (errno " + std::to_string(st.err) + ")";
}

std::optional<VportId> default_vport(KernelApi &k, const std::string &pf)
{
	auto p = k.pf(pf);
	if (!p)
		return std::nullopt;
	return p->default_vport;
}

/// The VPort the kernel has attached to @vf, from its dump.
std::optional<VportId> vport_of(KernelApi &k, const std::string &pf, VfIndex vf)
{
	for (const auto &v : k.vports(pf))
		if (v.vf && *v.vf == vf)
			return v.id;
	return std::nullopt;
}

/// Where the kernel has @f on @pf, if anywhere.
std::optional<VportId> filter_location(KernelApi &k, const std::string &pf, const Filter &f)
{
	for (const auto &fi : k.filters(pf))
		if (fi.filter == f)
			return fi.vport;
	return std::nullopt;
}

model::Assignment *assignment(StepCtx &c, model::Partition &p)
{
	if (!p.vf || !c.rec.vf || p.vf->pf != c.rec.pf || p.vf->vf.value != *c.rec.vf)
		return nullptr;
	return &*p.vf;
}

// ---- adapter ----

StepResult netns_ensure(StepCtx &c, model::Partition &p)
{
	if (c.kernel.netns_exists(p.netns))
		return StepResult::skip("netns exists");
	auto st = c.kernel.netns_create(p.netns);
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
		auto st = c.kernel.adapter_create(p.name, p.netns, p.pf, p.mac, p.serial);
		if (!st.ok() && st.err != EEXIST)
			return StepResult::fail(Reason::adapter_create_failed, errtext(st));
		ad = c.kernel.adapter(p.name);
	}
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
	if (c.kernel.adapter(p.name)) {
		auto st = c.kernel.adapter_delete(p.name);
		if (!st.ok() && st.err != ENOENT)
			return StepResult::fail(Reason::adapter_delete_failed, errtext(st));
	}
	p.adapter = false;
	return StepResult::ok();
}

// ---- attach ----

/// Allocate a VF in the kernel and give it the partition's MAC.
Status vf_claim(KernelApi &k, const std::string &pf, VfIndex vf, std::uint64_t serial, const MacAddr &mac)
{
	auto info = k.vf(pf, vf);
	if (!info)
		return Status::fail(ENOENT, "VF " + std::to_string(vf.value) + " not present on " + pf);
	if (!info->allocated) {
		auto st = k.vf_alloc(pf, vf, serial);
		if (!st.ok() && st.err != EEXIST)
			return st;
	}
	// also when the VF has no netdev: the real backend (re)binds the VF
	// driver there so that it comes up with the administrative MAC
	if (info->mac != mac || info->netdev.empty()) {
		auto st = k.vf_set_mac(pf, vf, mac);
		if (!st.ok())
			return st;
	}
	return Status::success();
}

StepResult vf_allocate(StepCtx &c, model::Partition &p)
{
	auto *a = assignment(c, p);
	if (a == nullptr)
		return StepResult::fail(Reason::internal_error, "no journaled VF choice");
	if (c.rec.substate == 0) {
		auto st = vf_claim(c.kernel, a->pf, a->vf, a->serial, p.mac);
		if (!st.ok())
			return StepResult::fail(st.err == ENOENT ? Reason::unknown_vf : Reason::vf_alloc_failed,
						errtext(st));
		c.rec.substate = 1;
	}
	// The adapter pairs with a VF netdev that carries its MAC, decided when
	// the netdev registers or changes its address.  A VF driver that
	// follows the PF's reset request takes the administrative MAC by itself
	// (a netlink notification wakes this wait); one that did not within
	// vf_mac_ms (or whose handshake with the PF failed) is probed once more
	// rather than left to the pair timeout.
	auto info = c.kernel.vf(a->pf, a->vf);
	const std::string done = "VF " + std::to_string(a->vf.value) + " on " + a->pf;
	if (!info || info->netdev.empty() || info->netdev_mac == p.mac)
		return StepResult::ok(done + (c.rec.substate == 2 ? "; VF driver probed again" : ""));
	if (c.rec.substate == 1 && !c.timed_out)
		return StepResult::wait(c.timeouts.vf_mac_ms, "waiting for the VF driver to take the MAC");
	if (c.rec.substate == 1) {
		log::warn(c.rec.id, "VF netdev ", info->netdev, " has MAC ", info->netdev_mac.str(), ", not ",
			  p.mac.str(), " after ", c.timeouts.vf_mac_ms, " ms: probing the VF driver again");
		c.rec.substate = 2;
		if (auto st2 = c.kernel.vf_probe(a->pf, a->vf); !st2.ok())
			return StepResult::fail(Reason::vf_alloc_failed, errtext(st2));
		info = c.kernel.vf(a->pf, a->vf);
		if (!info || info->netdev.empty() || info->netdev_mac == p.mac)
			return StepResult::ok(done + "; VF driver probed again");
	}
	return StepResult::fail(Reason::vf_alloc_failed,
				"VF netdev " + info->netdev + " came up with MAC " + info->netdev_mac.str() +
					", not the administrative MAC " + p.mac.str() +
					" (VF driver's handshake with the PF failed?)");
}

StepResult vport_create(StepCtx &c, model::Partition &p)
{
	auto *a = assignment(c, p);
	if (a == nullptr)
		return StepResult::fail(Reason::internal_error, "no VF assignment");
	auto existing = vport_of(c.kernel, a->pf, a->vf);
	if (!existing) {
		auto r = c.kernel.vport_create(a->pf, a->vf);
		if (!r.ok())
			return StepResult::fail(Reason::vport_create_failed, errtext(r.status));
		existing = r.value;
	}
	a->vport = existing;
	return StepResult::ok("VPort " + std::to_string(existing->value));
}

StepResult vf_to_child(StepCtx &c, model::Partition &p)
{
	auto *a = assignment(c, p);
	if (a == nullptr)
		return StepResult::fail(Reason::internal_error, "no VF assignment");
	auto info = c.kernel.vf(a->pf, a->vf);
	if (!info || info->netdev.empty())
		return StepResult::fail(Reason::netdev_missing, "VF has no netdev (is its driver bound?)");
	if (info->netns != p.netns) {
		auto st = c.kernel.netdev_move(info->netns, info->ifindex, p.netns);
		if (!st.ok())
			return StepResult::fail(Reason::netdev_move_failed, errtext(st));
		info = c.kernel.vf(a->pf, a->vf);
		if (!info || info->netdev.empty())
			return StepResult::fail(Reason::netdev_missing, "VF netdev gone after the move");
	}
	a->netdev = info->netdev;
	a->in_child = true;
	return StepResult::ok(info->netdev + " -> " + p.netns);
}

StepResult wait_pair(StepCtx &c, model::Partition &p)
{
	auto *a = assignment(c, p);
	if (a == nullptr)
		return StepResult::fail(Reason::internal_error, "no VF assignment");
	auto ad = c.kernel.adapter(p.name);
	const auto v = c.kernel.vf(a->pf, a->vf);
	// the adapter opens the VF it claimed a moment later: the filters
	// move to the VF's VPort only once its driver serves the RX queue
	const bool paired = ad && paired_with(*ad, v);
	if (paired && v && v->running)
		return StepResult::ok("paired with " + ad->paired_vf);
	if (c.timed_out && paired)
		return StepResult::fail(Reason::pair_timeout, "the adapter paired with " + a->netdev +
								      " but it was not up with carrier within " +
								      std::to_string(c.timeouts.pair_ms) + " ms");
	if (c.timed_out)
		return StepResult::fail(Reason::pair_timeout, "adapter did not pair with " + a->netdev + " within " +
								      std::to_string(c.timeouts.pair_ms) + " ms");
	return StepResult::wait(c.timeouts.pair_ms, "waiting for pairing");
}

/// First step of a failback: the VF sriov_pf failed over (reset) is back,
/// still allocated to the partition's identity and with a netdev again.
/// The bound is vf_back_ms; a VF that does not come back fails the
/// failback, and the engine releases it as a surprise.
StepResult wait_vf_back(StepCtx &c, model::Partition &p)
{
	auto *a = assignment(c, p);
	if (a == nullptr)
		return StepResult::fail(Reason::internal_error, "no VF assignment");
	// a request to synthetic (the VF went down) only closes: TX left the
	// VF already
	if (auto ad = c.kernel.adapter(p.name); ad && ad->dp_pending == Datapath::synthetic)
		if (auto st = c.kernel.adapter_dp_ack(p.name, ad->dp_seq); !st.ok() && st.err != ESTALE)
			log::warn(c.rec.id, "ack of data-path request ", ad->dp_seq, ": ", errtext(st));
	auto info = c.kernel.vf(a->pf, a->vf);
	if (info && info->allocated && info->serial != 0 && info->serial != a->serial)
		return StepResult::fail(Reason::surprise_removal,
					"VF " + std::to_string(a->vf.value) + " carries serial " +
						std::to_string(info->serial) + ", not the partition's");
	if (info && info->allocated && !info->netdev.empty()) {
		const std::string back = "VF " + std::to_string(a->vf.value) + " back as " + info->netdev;
		// a VF netdev out of the child (its driver probed again) is
		// brought back by vf_to_child and wait_pair
		if (info->netns != p.netns)
			return StepResult::ok(back + " (not in the child)");
		// sriov_vf drops carrier before it announces going down: a VF
		// with carrier after the event has come back from its reset
		if (!info->running) {
			if (c.timed_out)
				return StepResult::fail(Reason::surprise_removal,
							back + " but without carrier for " +
								std::to_string(c.timeouts.vf_back_ms) + " ms");
			return StepResult::wait(c.timeouts.vf_back_ms, "waiting for the VF's carrier");
		}
		// Up again when the adapter asks for it or never left it.  One
		// that transmits synthetic with nothing outstanding is asked
		// again (DP_WANT=VF): the kernel raises a request only for a VF
		// that is paired and has carrier.
		auto ad = c.kernel.adapter(p.name);
		if (!ad)
			return StepResult::fail(Reason::datapath_failed, "adapter gone");
		if (!ad->up)
			return StepResult::ok(back + "; adapter down");
		if (paired_with(*ad, info)) {
			if (!ad->dp_pending && ad->datapath == Datapath::synthetic)
				if (c.kernel.adapter_set_datapath(p.name, Datapath::vf).ok())
					ad = c.kernel.adapter(p.name);
			if (ad && (ad->dp_pending == Datapath::vf || (!ad->dp_pending && ad->datapath == Datapath::vf)))
				return StepResult::ok(back + ", up");
		}
	}
	if (c.timed_out)
		return StepResult::fail(Reason::surprise_removal,
					"VF " + std::to_string(a->vf.value) + " not back within " +
						std::to_string(c.timeouts.vf_back_ms) + " ms" +
						(!info ? " (gone)" : !info->allocated ? " (freed)" : info->netdev.empty() ? " (no netdev)" : " (no carrier or not paired)"));
	return StepResult::wait(c.timeouts.vf_back_ms, "waiting for the VF to come back from its reset");
}

StepResult filters_to_vf(StepCtx &c, model::Partition &p)
{
	auto *a = assignment(c, p);
	if (a == nullptr || !a->vport)
		return StepResult::fail(Reason::internal_error, "no VPort");
	auto dv = default_vport(c.kernel, a->pf);
	if (!dv)
		return StepResult::fail(Reason::filter_move_failed, "PF gone");
	std::vector<Filter> to_move;
	const auto have = c.kernel.filters(a->pf); // one dump for all of them
	for (const auto &f : p.filters()) {
		auto it = std::find_if(have.begin(), have.end(), [&](const FilterInfo &fi) { return fi.filter == f; });
		if (it == have.end())
			return StepResult::fail(Reason::filter_move_failed, "filter " + f.mac.str() + " missing");
		if (it->vport != *a->vport)
			to_move.push_back(f);
	}
	if (!to_move.empty()) {
		auto st = c.kernel.filters_move(a->pf, *dv, *a->vport, to_move);
		if (!st.ok())
			return StepResult::fail(Reason::filter_move_failed, errtext(st));
	}
	// broadcast and multicast now reach the child through the VF's pool
	if (auto st = c.kernel.adapter_set_flood(p.name, false); !st.ok())
		return StepResult::fail(Reason::filter_move_failed, errtext(st));
	a->filters_on_vf = true;
	a->kernel_failover = false;
	return StepResult::ok();
}

/// Acknowledge the adapter's outstanding data-path request.  An ack that
/// lost a race with a newer request (ESTALE) changes nothing in the kernel:
/// the caller reads the adapter again.
Status ack_pending(StepCtx &c, const std::string &partition, const AdapterInfo &ad)
{
	auto st = c.kernel.adapter_dp_ack(partition, ad.dp_seq);
	if (!st.ok() && st.err == ESTALE)
		return Status::success();
	return st;
}

/// AUTO_ACK off on an adapter found with it on (made before, or by hand).
Status manual_ack(StepCtx &c, const std::string &partition, const AdapterInfo &ad)
{
	if (!ad.auto_ack)
		return Status::success();
	return c.kernel.adapter_set_auto_ack(partition, false);
}

StepResult datapath_vf(StepCtx &c, model::Partition &p)
{
	auto *a = assignment(c, p);
	if (a == nullptr)
		return StepResult::fail(Reason::internal_error, "no VF assignment");
	// The filters are on the VF's VPort (filters_to_vf): now the adapter's
	// request for the VF is acknowledged.  Done only when the adapter
	// itself reports that it transmits on the VF (its DP_ACTIVE).
	// substate 1 once DP_WANT=VF was sent.  Every pass reads the adapter
	// again, so a crash between request and ack repeats the ack of what is
	// then outstanding.
	// A request for the VF is acknowledged only right after the filter
	// dump showed them on the VF's VPort (moved back if sriov_pf failed
	// the VF over while this sequence ran: a VF reset).
	auto ack = [&](const AdapterInfo &pending) -> StepResult {
		if (pending.dp_pending == Datapath::vf)
			if (auto r = filters_to_vf(c, p); r.kind == StepResult::Kind::fail)
				return r;
		if (auto st = ack_pending(c, p.name, pending); !st.ok())
			return StepResult::fail(Reason::datapath_failed, "ack: " + errtext(st));
		return StepResult::ok();
	};
	auto ad = c.kernel.adapter(p.name);
	if (!ad)
		return StepResult::fail(Reason::datapath_failed, "adapter gone");
	if (auto st = manual_ack(c, p.name, *ad); !st.ok())
		return StepResult::fail(Reason::datapath_failed, "AUTO_ACK off: " + errtext(st));
	for (int pass = 0; pass < 2; ++pass) {
		if (ad->datapath == Datapath::vf && !ad->dp_pending) {
			a->datapath = Datapath::vf;
			return StepResult::ok(c.rec.substate == 0 ? "already on the VF" : "adapter reports data path VF");
		}
		if (ad->dp_pending) {
			// VF: the request this step is for.  Synthetic: a request
			// left from a VF flap, TX already synthetic; closing it lets
			// the adapter ask for the VF again.
			if (auto r = ack(*ad); r.kind == StepResult::Kind::fail)
				return r;
		} else {
			// (again after a request the kernel dropped: it raises a new
			// one only when none is outstanding and the VF is up)
			auto st = c.kernel.adapter_set_datapath(p.name, Datapath::vf);
			if (!st.ok())
				return StepResult::fail(Reason::datapath_failed, errtext(st));
			c.rec.substate = 1;
		}
		ad = c.kernel.adapter(p.name);
		if (!ad)
			return StepResult::fail(Reason::datapath_failed, "adapter gone");
	}
	if (ad->datapath == Datapath::vf && !ad->dp_pending) {
		a->datapath = Datapath::vf;
		return StepResult::ok("adapter reports data path VF");
	}
	if (ad->dp_pending == Datapath::vf) {
		if (auto r = ack(*ad); r.kind == StepResult::Kind::fail)
			return r;
		ad = c.kernel.adapter(p.name);
		if (ad && ad->datapath == Datapath::vf) {
			a->datapath = Datapath::vf;
			return StepResult::ok("adapter reports data path VF");
		}
	}
	if (ad && !ad->up) {
		// a down adapter transmits on nothing: it asks for the VF when it
		// comes up (DP_WANT is VF), and triage_dp_requests() acks that
		// while the filters are on the VF's VPort
		a->datapath = Datapath::vf;
		return StepResult::ok("adapter down: data path VF requested, acknowledged when it comes up");
	}
	if (c.timed_out)
		return StepResult::fail(Reason::datapath_failed,
					"adapter did not switch to the VF within " + std::to_string(c.timeouts.datapath_ms) +
						" ms (VF without carrier?)");
	return StepResult::wait(c.timeouts.datapath_ms, "waiting for the adapter's request for the VF");
}

// ---- release (the failover order) ----

StepResult filters_to_default(StepCtx &c, model::Partition &p)
{
	if (!c.rec.vf)
		return StepResult::skip("no VF");
	const VfIndex vf{*c.rec.vf};
	auto pi = c.kernel.pf(c.rec.pf);
	// the synthetic switch floods broadcast and multicast to the child
	// again before its unicast filters arrive on the default VPort: a
	// frame sent meanwhile may arrive twice, none is lost
	if (auto st = c.kernel.adapter_set_flood(p.name, true); !st.ok() && st.err != ENOENT)
		return StepResult::fail(Reason::filter_move_failed, errtext(st));
	if (!pi || pi->num_vfs == 0) {
		// sriov_numvfs=0 or the PF gone: the NIC switch went with the
		// pool, and every filter with it; they are added again when VFs
		// come back
		if (auto *a = assignment(c, p))
			a->filters_on_vf = false;
		return StepResult::skip(pi ? "no NIC switch (SR-IOV disabled): no filters to move"
					   : "PF gone, its NIC switch with it: no filters to move");
	}
	auto dv = std::optional<VportId>(pi->default_vport);
	bool moved = false;
	for (const auto &f : p.filters()) {
		auto where = filter_location(c.kernel, c.rec.pf, f);
		if (where && *where != *dv) {
			auto st = c.kernel.filters_move(c.rec.pf, *where, *dv, {f});
			if (!st.ok()) {
				// all still on the VF's VPort: its pool alone floods again
				if (!moved)
					(void)c.kernel.adapter_set_flood(p.name, false);
				return StepResult::fail(Reason::filter_move_failed, errtext(st));
			}
			moved = true;
		} else if (!where && p.pf == c.rec.pf && p.adapter_filter) {
			// lost with the VPort: put it back where the synthetic path needs it
			auto st = c.kernel.filter_add(c.rec.pf, *dv, f);
			if (!st.ok() && st.err != EEXIST)
				return StepResult::fail(Reason::filter_move_failed, errtext(st));
			moved = true;
		}
	}
	if (auto *a = assignment(c, p))
		a->filters_on_vf = false;
	(void)vf;
	return moved ? StepResult::ok() : StepResult::skip("filters already on default VPort");
}

StepResult datapath_synthetic(StepCtx &c, model::Partition &p)
{
	// First step of every release: TX leaves the VF (the kernel moves it at
	// once and raises a request to synthetic), the request is acknowledged,
	// and only then do the filters move back to the default VPort.
	// DP_WANT=synthetic also keeps a VF that comes back during the release
	// from raising a request for it.
	auto ad = c.kernel.adapter(p.name);
	if (ad) {
		if (auto st = manual_ack(c, p.name, *ad); !st.ok() && st.err != ENOENT)
			return StepResult::fail(Reason::datapath_failed, "AUTO_ACK off: " + errtext(st));
		const bool on_vf = ad->datapath == Datapath::vf || ad->dp_pending == Datapath::vf;
		auto st = c.kernel.adapter_set_datapath(p.name, Datapath::synthetic);
		// off the VF already: DP_WANT is only a guard against a VF
		// coming back, the release goes on without it
		if (!st.ok() && st.err != ENOENT && on_vf)
			return StepResult::fail(Reason::datapath_failed, errtext(st));
		ad = c.kernel.adapter(p.name);
	}
	if (ad && ad->dp_pending) {
		if (auto st = ack_pending(c, p.name, *ad); !st.ok() && st.err != ENOENT)
			return StepResult::fail(Reason::datapath_failed, "ack: " + errtext(st));
		ad = c.kernel.adapter(p.name);
	}
	if (ad && ad->datapath != Datapath::synthetic)
		return StepResult::fail(Reason::datapath_failed, "adapter still transmits on the VF");
	if (auto *a = assignment(c, p))
		a->datapath = Datapath::synthetic;
	return StepResult::ok();
}

StepResult vf_from_child(StepCtx &c, model::Partition &p)
{
	if (!c.rec.vf)
		return StepResult::skip("no VF");
	auto info = c.kernel.vf(c.rec.pf, VfIndex{*c.rec.vf});
	auto mark = [&] {
		if (auto *a = assignment(c, p))
			a->in_child = false;
	};
	if (!info || info->netdev.empty()) {
		mark();
		return StepResult::skip("VF netdev gone");
	}
	if (info->netns.empty()) {
		mark();
		return StepResult::skip("VF netdev already in host namespace");
	}
	auto ad = c.kernel.adapter(p.name);
	const bool paired = ad && paired_with(*ad, info);
	std::string how = "graceful";
	if (c.rec.substate == 0 && paired) {
		// graceful: ask the adapter to let go, then wait (bounded)
		auto st = c.kernel.adapter_release_vf(p.name);
		if (!st.ok() && st.err != ENOENT)
			log::warn(c.rec.id, "release request failed: ", errtext(st), "; removing by surprise");
		c.rec.substate = 1;
		return StepResult::wait(c.timeouts.release_ms, "waiting for graceful release");
	}
	if (paired) {
		if (!c.timed_out)
			return StepResult::wait(c.timeouts.release_ms, "waiting for graceful release");
		how = "surprise after " + std::to_string(c.timeouts.release_ms) + " ms";
		log::warn(c.rec.id, "adapter kept ", info->netdev, " past the release timeout: surprise removal");
	}
	// The VF driver halts: its netdev leaves the child with it, and no
	// driver runs on the function through the FLR that follows.  Should
	// the unbind fail, the netdev at least leaves the child.
	if (auto st = c.kernel.vf_unbind(c.rec.pf, VfIndex{*c.rec.vf}); st.ok()) {
		how += ", VF driver unbound";
	} else {
		log::warn(c.rec.id, "unbind of ", info->netdev, "'s driver: ", errtext(st),
			  "; moving the netdev to the host");
		auto mv = c.kernel.netdev_move(info->netns, info->ifindex, "");
		if (!mv.ok() && mv.err != ENODEV)
			return StepResult::fail(Reason::netdev_move_failed, errtext(mv));
		how += ", netdev moved to the host (unbind failed: " + errtext(st) + ")";
	}
	mark();
	return StepResult::ok(how);
}

StepResult vport_delete(StepCtx &c, model::Partition &p)
{
	if (!c.rec.vf)
		return StepResult::skip("no VF");
	auto vp = vport_of(c.kernel, c.rec.pf, VfIndex{*c.rec.vf});
	if (vp) {
		auto st = c.kernel.vport_delete(c.rec.pf, *vp);
		if (!st.ok() && st.err != ENOENT)
			return StepResult::fail(Reason::vport_delete_failed, errtext(st));
	}
	if (auto *a = assignment(c, p))
		a->vport.reset();
	return vp ? StepResult::ok("VPort " + std::to_string(vp->value)) : StepResult::skip("no VPort");
}

StepResult vf_flr(StepCtx &c, model::Partition & /*p*/)
{
	if (!c.rec.vf)
		return StepResult::skip("no VF");
	const VfIndex vf{*c.rec.vf};
	auto info = c.kernel.vf(c.rec.pf, vf);
	if (!info || !info->allocated)
		return StepResult::skip("VF not allocated");
	// An FLR of a function that SR-IOV disable is removing waits out the
	// PCI core's readiness poll (a minute) when the removal wins the race
	if (c.pool_going)
		return StepResult::skip("SR-IOV disable under way: the VF goes away, no FLR");
	auto st = c.kernel.vf_reset(c.rec.pf, vf);
	// no PCI function (it left with the pool, sriov_numvfs lowered):
	// nothing to reset, and no quarantine of an index the next pool reuses
	if (!st.ok() && st.err == ENODEV)
		return StepResult::skip("VF gone: " + errtext(st));
	if (!st.ok()) {
		// A VF that does not come back from FLR is never handed out again.
		if (auto *slot = c.model.slot(c.rec.pf, vf)) {
			slot->state = VfState::quarantined;
			slot->partition.clear();
			slot->reason = Reason::flr_failed;
		}
		log::error(c.rec.id, "FLR of VF ", vf.value, " on ", c.rec.pf, " failed: ", errtext(st),
			   "; VF quarantined");
		return StepResult::ok("FLR failed, VF quarantined: " + errtext(st));
	}
	return StepResult::ok();
}

StepResult vf_free(StepCtx &c, model::Partition &p)
{
	if (!c.rec.vf)
		return StepResult::skip("no VF");
	const VfIndex vf{*c.rec.vf};
	auto info = c.kernel.vf(c.rec.pf, vf);
	if (info && info->allocated) {
		auto st = c.kernel.vf_free(c.rec.pf, vf);
		if (!st.ok() && st.err != ENOENT)
			return StepResult::fail(Reason::vf_free_failed, errtext(st));
	}
	if (auto *slot = c.model.slot(c.rec.pf, vf); slot != nullptr && slot->partition == p.name) {
		slot->state = VfState::free;
		slot->partition.clear();
	}
	if (assignment(c, p) != nullptr)
		p.vf.reset();
	return StepResult::ok();
}

// ---- migration ----

StepResult vf_reserve(StepCtx &c, model::Partition &p)
{
	if (!c.rec.dest_vf)
		return StepResult::fail(Reason::internal_error, "no journaled reservation");
	const VfIndex vf{*c.rec.dest_vf};
	auto st = vf_claim(c.kernel, c.rec.dest_pf, vf, p.serial != 0 ? p.serial : c.rec.id, p.mac);
	if (!st.ok())
		return StepResult::fail(Reason::vf_alloc_failed, errtext(st));
	p.reservation = model::Reservation{.pf = c.rec.dest_pf, .vf = vf};
	return StepResult::ok("VF " + std::to_string(vf.value) + " on " + c.rec.dest_pf);
}

StepResult reservation_release(StepCtx &c, model::Partition &p)
{
	if (!c.rec.dest_vf)
		return StepResult::skip("no reservation");
	const VfIndex vf{*c.rec.dest_vf};
	auto *slot = c.model.slot(c.rec.dest_pf, vf);
	const bool ours = slot != nullptr && slot->partition == p.name && slot->state == VfState::reserved;
	if (!ours) {
		p.reservation.reset();
		return StepResult::skip("reservation not held");
	}
	auto info = c.kernel.vf(c.rec.dest_pf, vf);
	if (info && info->allocated) {
		if (auto st = c.kernel.vf_reset(c.rec.dest_pf, vf); !st.ok()) {
			slot->state = VfState::quarantined;
			slot->partition.clear();
			slot->reason = Reason::flr_failed;
		}
		auto st = c.kernel.vf_free(c.rec.dest_pf, vf);
		if (!st.ok() && st.err != ENOENT)
			return StepResult::fail(Reason::vf_free_failed, errtext(st));
	}
	if (slot->state == VfState::reserved) {
		slot->state = VfState::free;
		slot->partition.clear();
	}
	p.reservation.reset();
	return StepResult::ok();
}

/// Put the synthetic port (and its filters) on @to's switch, off @from's.
StepResult switch_to(StepCtx &c, model::Partition &p, const std::string &to, const std::string &from)
{
	// The filter first: the moved port (and its announcement on the wire)
	// must find @to's switch already accepting the adapter's MAC.
	if (auto st = filters_on_default(c.kernel, to, p); !st.ok())
		return StepResult::fail(Reason::switch_move_failed, errtext(st));
	auto ad = c.kernel.adapter(p.name);
	if (ad && ad->pf != to) {
		auto st = c.kernel.adapter_set_switch(p.name, to, p.mac);
		if (!st.ok())
			return StepResult::fail(Reason::switch_move_failed, errtext(st));
		// the kernel's bridge starts every port unlocked and without FDB
		// entries: locked, with the model's MAC as its only source
		st = c.kernel.adapter_lock_port(p.name, p.mac);
		if (!st.ok())
			return StepResult::fail(Reason::switch_move_failed, "locking the switch port: " + errtext(st));
	}
	if (from != to) {
		if (auto st = filters_off(c.kernel, from, p); !st.ok())
			return StepResult::fail(Reason::switch_move_failed, errtext(st));
	}
	p.pf = to;
	return StepResult::ok(from + " -> " + to);
}

StepResult reservation_adopt(StepCtx &c, model::Partition &p)
{
	if (!p.reservation)
		return StepResult::fail(Reason::invalid_state, "no reservation to adopt");
	auto *slot = c.model.slot(p.reservation->pf, p.reservation->vf);
	if (slot == nullptr)
		return StepResult::fail(Reason::unknown_vf, "reserved VF vanished");
	slot->state = VfState::assigned;
	p.vf = model::Assignment{.pf = p.reservation->pf, .vf = p.reservation->vf,
				 .serial = p.serial != 0 ? p.serial : c.rec.id};
	p.reservation.reset();
	return StepResult::ok();
}

} // namespace

StepResult run_step(StepCtx &ctx, Step step)
{
	model::Partition *p = ctx.model.partition(ctx.rec.partition);
	if (step == Step::partition_forget) {
		ctx.model.partitions.erase(ctx.rec.partition);
		return StepResult::ok();
	}
	if (p == nullptr)
		return StepResult::fail(Reason::unknown_partition, "partition " + ctx.rec.partition + " gone");
	switch (step) {
	case Step::netns_ensure:
		return netns_ensure(ctx, *p);
	case Step::adapter_create:
		return adapter_create(ctx, *p);
	case Step::adapter_filter_add:
		return adapter_filter_add(ctx, *p);
	case Step::vf_allocate:
		return vf_allocate(ctx, *p);
	case Step::vport_create:
		return vport_create(ctx, *p);
	case Step::vf_to_child:
		return vf_to_child(ctx, *p);
	case Step::wait_pair:
		return wait_pair(ctx, *p);
	case Step::filters_to_vf:
		return filters_to_vf(ctx, *p);
	case Step::datapath_vf:
		return datapath_vf(ctx, *p);
	case Step::filters_to_default:
		return filters_to_default(ctx, *p);
	case Step::datapath_synthetic:
		return datapath_synthetic(ctx, *p);
	case Step::vf_from_child:
		return vf_from_child(ctx, *p);
	case Step::vport_delete:
		return vport_delete(ctx, *p);
	case Step::vf_flr:
		return vf_flr(ctx, *p);
	case Step::vf_free:
		return vf_free(ctx, *p);
	case Step::vf_reserve:
		return vf_reserve(ctx, *p);
	case Step::switch_move:
		return switch_to(ctx, *p, ctx.rec.dest_pf, ctx.rec.src_pf);
	case Step::switch_back:
		return switch_to(ctx, *p, ctx.rec.src_pf, ctx.rec.dest_pf);
	case Step::reservation_adopt:
		return reservation_adopt(ctx, *p);
	case Step::reservation_release:
		return reservation_release(ctx, *p);
	case Step::adapter_filter_del:
		return adapter_filter_del(ctx, *p);
	case Step::adapter_delete:
		return adapter_delete(ctx, *p);
	case Step::wait_vf_back:
		return wait_vf_back(ctx, *p);
	case Step::partition_forget:
		break;
	}
	return StepResult::fail(Reason::internal_error, "unknown step");
}

} // namespace sriov::seq
