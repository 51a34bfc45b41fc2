// SPDX-License-Identifier: GPL-2.0
// Operations: validation and the start of every sequence a client asks for
#include "seq/engine.hpp"

#include "common/log.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <iterator>

namespace sriov::seq {

using json = nlohmann::json;
using model::VfState;

namespace {

bool valid_name(const std::string &s)
{
	constexpr std::size_t max_len = 32;
	if (s.empty() || s.size() > max_len)
		return false;
	return std::all_of(s.begin(), s.end(), [](char c) {
		return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
	});
}

/// CNI's container id: [A-Za-z0-9] then [A-Za-z0-9_.-]; bounded here.
bool valid_container_id(const std::string &s)
{
	constexpr std::size_t max_len = 256;
	if (s.size() > max_len || (!s.empty() && std::isalnum(static_cast<unsigned char>(s.front())) == 0))
		return false;
	return std::all_of(s.begin(), s.end(), [](char c) {
		return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
	});
}

StartResult refuse(Reason r, std::string detail)
{
	return {.seq = 0, .reason = r, .detail = std::move(detail), .queued = false};
}

} // namespace

StartResult Engine::start_attach(model::Partition &p, Reason cause, DoneFn done)
{
	auto vf = model_.free_vf(p.pf);
	if (!vf)
		return refuse(Reason::no_vf_available, "no free VF on " + p.pf);
	Record &r = begin(Kind::attach, p.name, cause, std::move(done));
	r.pf = p.pf;
	r.vf = vf->value;
	r.steps = steps_of(Kind::attach);
	auto *slot = model_.slot(p.pf, *vf);
	slot->state = VfState::assigned;
	slot->partition = p.name;
	p.vf = model::Assignment{.pf = p.pf, .vf = *vf, .serial = p.serial != 0 ? p.serial : r.id};
	const std::uint64_t id = r.id;
	// The VF choice is journaled before any step acts, with the first
	// step's start (begin_step, in this pump or the one running): one
	// commit, not two.  A crash before it leaves nothing to undo.
	pump();
	return {.seq = id, .reason = Reason::ok, .detail = {}, .queued = false};
}

StartResult Engine::start_release(model::Partition &p, Kind kind, Reason cause, DoneFn done)
{
	Record &r = begin(kind, p.name, cause, std::move(done));
	if (p.vf) {
		r.pf = p.vf->pf;
		r.vf = p.vf->vf.value;
	}
	r.steps = steps_of(kind);
	if (kind == Kind::teardown && p.reservation) {
		r.dest_pf = p.reservation->pf;
		r.dest_vf = p.reservation->vf.value;
	}
	const std::uint64_t id = r.id;
	persist();
	pump();
	return {.seq = id, .reason = Reason::ok, .detail = {}, .queued = false};
}

StartResult Engine::add_partition(const PartitionSpec &spec, DoneFn done)
{
	if (!valid_name(spec.name))
		return refuse(Reason::bad_request, "partition names are 1-32 characters [A-Za-z0-9._-]");
	if (!valid_netns(spec.netns))
		return refuse(Reason::bad_request,
			      "a netns is a name (1-32 characters [A-Za-z0-9._-]), /run/netns/NAME, /var/run/netns/NAME "
			      "(NAME up to 64 characters) or /proc/PID/ns/net");
	if (!valid_ifname(spec.ifname))
		return refuse(Reason::bad_request, "an interface name is 1-15 characters, printable ASCII without '/', ':' "
						   "or spaces, not . or ..");
	if (!valid_container_id(spec.container_id))
		return refuse(Reason::bad_request, "a container id is up to 256 characters [A-Za-z0-9_.-], "
						   "starting with a letter or digit");
	if (model_.partition(spec.name) != nullptr)
		return refuse(Reason::partition_exists, "partition " + spec.name + " exists");
	if (model_.pf(spec.pf) == nullptr)
		return refuse(Reason::unknown_pf, "no PF " + spec.pf + " (see `sriovctl status`)");
	if (!spec.mac.is_unicast() || spec.mac.is_zero())
		return refuse(Reason::bad_request, "the adapter MAC must be a non-zero unicast address");
	constexpr std::uint16_t vlan_max = 4094;
	if (spec.vlan.value > vlan_max)
		return refuse(Reason::bad_request, "VLAN must be 0..4094");
	// one adapter per namespace (the model pairs one adapter with each),
	// and never the host's own
	const std::string ns_id = kernel_.netns_identity(spec.netns);
	if (ns_id == kernel_.netns_identity(""))
		return refuse(Reason::bad_request, "netns " + spec.netns + " is the host's network namespace");
	index_.refresh(model_);
	// The index has each partition's namespace as it was when the
	// partition was last looked at; a hit is confirmed against the
	// namespace as it is now.
	const std::string ns_path = netns_path(netns_name_of(spec.netns));
	for (const std::string &key : {ns_id, ns_path})
		for (const auto &n : index_.netns_users(key)) {
			const model::Partition *other = model_.partition(n);
			if (other != nullptr && (kernel_.netns_identity(other->netns) == ns_id ||
						 netns_path(netns_name_of(other->netns)) == ns_path))
				return refuse(Reason::bad_request, "netns " + spec.netns + " is partition " + n +
									   "'s (netns " + other->netns +
									   "): two partitions cannot share one");
		}
	if (const auto n = index_.mac_user(spec.mac); !n.empty())
		return refuse(Reason::bad_request, "MAC " + spec.mac.str() + " is used by partition " + n);
	model::Partition p;
	p.name = spec.name;
	p.netns = spec.netns;
	p.pf = spec.pf;
	p.mac = spec.mac;
	p.vlan = spec.vlan;
	p.weight = spec.weight;
	for (const auto &ip : spec.ips) {
		auto c = canonical_ip(ip);
		if (!c || *c != ip)
			return refuse(Reason::bad_request, "\"" + ip + "\" is not a canonical IPv4 or IPv6 address");
		if (std::count(spec.ips.begin(), spec.ips.end(), ip) != 1)
			return refuse(Reason::bad_request, "address " + ip + " given twice");
		if (const auto n = index_.ip_user(ip); !n.empty())
			return refuse(Reason::bad_request,
				      std::string("address ").append(ip).append(" is used by partition ").append(n));
	}
	p.ips = spec.ips;
	p.ifname = spec.ifname;
	p.container_id = spec.container_id;
	model_.partitions[p.name] = p;
	index_.dirty(p.name);
	// the partition's rules are on the switch before its port is
	if (auto st = guard_add(p); !st.ok()) {
		model_.partitions.erase(p.name);
		return refuse(Reason::switch_guard_failed, "switch guard (nftables table bridge sriovd): " + st.msg);
	}
	Record &r = begin(Kind::adapter_create, spec.name, Reason::ok, std::move(done));
	model_.partitions[spec.name].serial = r.id;
	r.pf = spec.pf;
	r.steps = steps_of(Kind::adapter_create);
	const std::uint64_t id = r.id;
	persist();
	pump();
	return {.seq = id, .reason = Reason::ok, .detail = {}, .queued = false};
}

StartResult Engine::remove_partition(const std::string &name, DoneFn done)
{
	auto *p = model_.partition(name);
	if (p == nullptr)
		return refuse(Reason::unknown_partition, "no partition " + name);
	if (busy(name))
		return refuse(Reason::partition_busy, "a sequence is running on " + name + "; retry when it ends");
	p->want_vf = false;
	return start_release(*p, Kind::teardown, Reason::ok, std::move(done));
}

StartResult Engine::attach(const std::string &name, DoneFn done)
{
	auto *p = model_.partition(name);
	if (p == nullptr)
		return refuse(Reason::unknown_partition, "no partition " + name + " (see `sriovctl list`)");
	if (busy(name))
		return refuse(Reason::partition_busy, "a sequence is running on " + name + "; retry when it ends");
	if (!p->adapter)
		return refuse(Reason::invalid_state, "partition " + name + " has no adapter");
	if (!p->migrating_to.empty())
		return refuse(Reason::invalid_state, "partition " + name + " is migrating; complete or abort first");
	if (p->vf)
		return {.seq = 0, .reason = Reason::ok, .detail = "already attached", .queued = false};
	if (p->weight == 0)
		return refuse(Reason::bad_request, "partition " + name + " has weight 0 (never gets a VF); set a weight first");
	p->want_vf = true;
	p->hold_until_mono = 0;
	p->attach_failures = 0;
	touch(name);
	if (model_.free_vf(p->pf))
		return start_attach(*p, Reason::ok, std::move(done));
	// No free VF: preempt the lowest-weight holder below us, if any.
	model::Partition *victim = nullptr;
	index_.refresh(model_);
	for (const auto *c : index_.contenders(model_)) // the holders are among them
		if (auto &o = *model_.partition(c->name); o.vf && o.vf->pf == p->pf && o.weight < p->weight &&
							 !busy(o.name) && (victim == nullptr || o.weight < victim->weight))
			victim = &o;
	persist();
	if (victim != nullptr) {
		const std::string vname = victim->name;
		start_release(*victim, Kind::failover, Reason::preempted, nullptr);
		return {.seq = 0, .reason = Reason::ok, .detail = "preempting " + vname + " (lower weight)", .queued = true};
	}
	return {.seq = 0,
		.reason = Reason::no_vf_available,
		.detail = "all VFs of " + p->pf + " are held by partitions of equal or higher weight; " + name +
			  " stays queued at weight " + std::to_string(p->weight),
		.queued = true};
}

StartResult Engine::detach(const std::string &name, DoneFn done)
{
	auto *p = model_.partition(name);
	if (p == nullptr)
		return refuse(Reason::unknown_partition, "no partition " + name + " (see `sriovctl list`)");
	if (busy(name))
		return refuse(Reason::partition_busy, "a sequence is running on " + name + "; retry when it ends");
	p->want_vf = false;
	touch(name);
	if (!p->vf) {
		persist();
		return {.seq = 0, .reason = Reason::ok, .detail = "not attached", .queued = false};
	}
	return start_release(*p, Kind::failover, Reason::ok, std::move(done));
}

StartResult Engine::failover(const std::string &name, std::int64_t hold_ms, DoneFn done)
{
	auto *p = model_.partition(name);
	if (p == nullptr)
		return refuse(Reason::unknown_partition, "no partition " + name + " (see `sriovctl list`)");
	if (busy(name))
		return refuse(Reason::partition_busy, "a sequence is running on " + name + "; retry when it ends");
	if (!p->vf)
		return refuse(Reason::invalid_state, "partition " + name + " has no VF to fail over from");
	p->hold_until_mono = clock_.mono_ms() + (hold_ms >= 0 ? hold_ms : cfg_.failover_hold_ms);
	return start_release(*p, Kind::failover, Reason::ok, std::move(done));
}

StartResult Engine::migrate_prepare(const std::string &name, const std::string &dest_pf, DoneFn done)
{
	auto *p = model_.partition(name);
	if (p == nullptr)
		return refuse(Reason::unknown_partition, "no partition " + name);
	if (busy(name))
		return refuse(Reason::partition_busy, "a sequence is running on " + name + "; retry when it ends");
	if (!p->migrating_to.empty())
		return refuse(Reason::invalid_state, name + " is already migrating to " + p->migrating_to);
	if (!p->adapter)
		return refuse(Reason::invalid_state, "partition " + name + " has no adapter");
	if (model_.pf(dest_pf) == nullptr)
		return refuse(Reason::unknown_pf, "no PF " + dest_pf);
	if (dest_pf == p->pf)
		return refuse(Reason::bad_request, name + " is already on " + dest_pf);
	auto vf = model_.free_vf(dest_pf);
	if (!vf)
		return refuse(Reason::no_vf_available, "no free VF on " + dest_pf + " to reserve");
	Record &r = begin(Kind::migrate_prepare, name, Reason::ok, std::move(done));
	r.steps = steps_of(Kind::migrate_prepare);
	if (p->vf) {
		r.pf = p->vf->pf;
		r.vf = p->vf->vf.value;
	} else {
		// no VF to release: the failover steps are left out
		r.steps.erase(r.steps.begin(), r.steps.begin() + std::ssize(steps_of(Kind::failover)));
	}
	r.dest_pf = dest_pf;
	r.dest_vf = vf->value;
	r.src_pf = p->pf;
	auto *slot = model_.slot(dest_pf, *vf);
	slot->state = VfState::reserved;
	slot->partition = name;
	p->migrating_to = dest_pf;
	const std::uint64_t id = r.id;
	persist();
	pump();
	return {.seq = id, .reason = Reason::ok, .detail = {}, .queued = false};
}

StartResult Engine::migrate_complete(const std::string &name, DoneFn done)
{
	auto *p = model_.partition(name);
	if (p == nullptr)
		return refuse(Reason::unknown_partition, "no partition " + name);
	if (busy(name))
		return refuse(Reason::partition_busy, "a sequence is running on " + name + "; retry when it ends");
	if (p->migrating_to.empty() || !p->reservation)
		return refuse(Reason::invalid_state, name + " has no prepared migration (run `sriovctl migrate --prepare` first)");
	Record &r = begin(Kind::migrate_complete, name, Reason::ok, std::move(done));
	r.pf = p->reservation->pf;
	r.vf = p->reservation->vf.value;
	r.dest_pf = p->reservation->pf;
	r.dest_vf = p->reservation->vf.value;
	r.src_pf = p->pf;
	r.steps = steps_of(Kind::migrate_complete);
	const std::uint64_t id = r.id;
	persist();
	pump();
	return {.seq = id, .reason = Reason::ok, .detail = {}, .queued = false};
}

StartResult Engine::migrate_abort(const std::string &name, DoneFn done)
{
	auto *p = model_.partition(name);
	if (p == nullptr)
		return refuse(Reason::unknown_partition, "no partition " + name);
	if (busy(name))
		return refuse(Reason::partition_busy, "a sequence is running on " + name + "; retry when it ends");
	if (p->migrating_to.empty())
		return refuse(Reason::invalid_state, name + " is not migrating");
	Record &r = begin(Kind::migrate_abort, name, Reason::ok, std::move(done));
	if (p->reservation) {
		r.dest_pf = p->reservation->pf;
		r.dest_vf = p->reservation->vf.value;
	}
	r.steps = steps_of(Kind::migrate_abort);
	const std::uint64_t id = r.id;
	persist();
	pump();
	return {.seq = id, .reason = Reason::ok, .detail = {}, .queued = false};
}

StartResult Engine::set_weight(const std::string &name, std::uint32_t weight)
{
	auto *p = model_.partition(name);
	if (p == nullptr)
		return refuse(Reason::unknown_partition, "no partition " + name);
	constexpr std::uint32_t weight_max = 100;
	if (weight > weight_max)
		return refuse(Reason::bad_request, "weight is 0..100");
	const std::uint32_t before = p->weight;
	p->weight = weight;
	touch(name);
	if (const int err = persist(); err != 0) {
		p->weight = before;
		touch(name);
		return refuse(Reason::journal_write_failed, std::string("journal write failed: ") + std::strerror(err));
	}
	pump();
	return {};
}

StartResult Engine::clear_quarantine(const std::string &pf, VfIndex vf)
{
	auto *slot = model_.slot(pf, vf);
	if (slot == nullptr)
		return refuse(Reason::unknown_vf, "no VF " + std::to_string(vf.value) + " on " + pf);
	if (slot->state != VfState::quarantined)
		return refuse(Reason::invalid_state, "VF is not quarantined");
	slot->state = VfState::free;
	slot->reason = Reason::ok;
	json ev{{"type", "vf_unquarantined"}, {"pf", pf}, {"vf", vf.value}};
	emit(ev);
	pump();
	return {};
}

std::size_t Engine::teardown_all()
{
	std::size_t n = 0;
	std::vector<std::string> names;
	// no partition going away gets a VF any more: the arbiter would hand
	// the VFs the first teardowns free to the partitions still queued
	for (auto &[name, p] : model_.partitions) {
		p.want_vf = false;
		names.push_back(name);
	}
	touch_all(); // every partition changed: a snapshot
	persist();
	for (const auto &name : names) {
		if (busy(name))
			teardown_pending_.insert(name);
		else if (remove_partition(name, nullptr).ok())
			++n;
	}
	return n;
}

void Engine::start_pending_teardowns()
{
	for (auto it = teardown_pending_.begin(); it != teardown_pending_.end();) {
		if (model_.partition(*it) == nullptr) {
			it = teardown_pending_.erase(it);
		} else if (!busy(*it)) {
			const std::string name = *it;
			it = teardown_pending_.erase(it);
			if (auto st = remove_partition(name, nullptr); !st.ok())
				log::warn(0, "teardown of ", name, " after its sequence: ", st.detail);
		} else {
			++it;
		}
	}
}

std::size_t Engine::release_all()
{
	stopping_ = true;
	std::size_t n = 0;
	std::vector<std::string> names;
	for (const auto &[name, p] : model_.partitions)
		if (p.vf && !busy(name))
			names.push_back(name);
	for (const auto &name : names)
		if (auto *p = model_.partition(name); p != nullptr && p->vf) {
			start_release(*p, Kind::failover, Reason::shutdown, nullptr);
			++n;
		}
	return n;
}


StartResult Engine::resume_parked(std::uint64_t id, DoneFn done)
{
	auto it = active_.find(id);
	if (it == active_.end() || !it->second.parked)
		return refuse(Reason::invalid_state, "no parked sequence " + std::to_string(id));
	Record &r = it->second;
	r.parked = false;
	r.restarts = 0;
	// as recovery does: the step it was in may have acted (every step
	// checks the kernel first); a forward kind rolls back
	if (r.step_started && !r.phases.empty() && r.phases.back().result.empty()) {
		r.phases.back().result = "interrupted";
		r.phases.back().end_ms = clock_.wall_ms();
	}
	r.step_started = false;
	if (is_forward(r.kind) && !r.rolling_back)
		to_rollback(r, Reason::daemon_restart, "daemon restarted mid-sequence; resumed after parking");
	if (done)
		waiters_[id].push_back(std::move(done));
	touch(r);
	if (const int err = persist(); err != 0) {
		r.parked = true;
		waiters_.erase(id);
		return refuse(Reason::journal_write_failed, std::string("journal write failed: ") + std::strerror(err));
	}
	log::warn(id, to_string(r.kind), " of ", r.partition, ": resumed by request");
	json ev{{"type", "sequence_resumed"}, {"seq", id}, {"kind", std::string(to_string(r.kind))},
		{"partition", r.partition}};
	emit(ev);
	pump();
	return {.seq = id, .reason = Reason::ok, .detail = {}, .queued = false};
}

StartResult Engine::discard_parked(std::uint64_t id)
{
	auto it = active_.find(id);
	if (it == active_.end() || !it->second.parked)
		return refuse(Reason::invalid_state, "no parked sequence " + std::to_string(id));
	Record &r = it->second;
	r.failure = Reason::crash_loop;
	r.failure_detail = "parked after " + std::to_string(r.restarts) + " daemon restarts in a row; discarded by request";
	log::warn(id, to_string(r.kind), " of ", r.partition, ": discarded by request");
	finish(r, "discarded");
	pump();
	return {};
}

} // namespace sriov::seq
