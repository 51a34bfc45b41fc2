// SPDX-License-Identifier: GPL-2.0
// FakeKernel: namespaces, sriov_netvsc adapters and their data-path
// handshake, the synthetic switch (its guard: fake_kernel_guard.cpp).
#include "kernel/fake_kernel.hpp"

#include <algorithm>
#include <cerrno>

namespace sriov {

namespace {

std::string not_in_ns(const std::string &dev, const std::string &ns)
{
	return dev + " is not in netns '" + ns + "'";
}

/// A name the host namespace may receive as is: [A-Za-z0-9._-], 1..15.
bool plain_ifname(const std::string &n)
{
	if (n.empty() || n.size() > 15)
		return false;
	return std::all_of(n.begin(), n.end(), [](char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		       c == '_' || c == '-';
	});
}

} // namespace

// ---- sriov_netvsc's data-path handshake, as kernel/netvsc/swnv_dp.c ----

bool FakeKernel::dp_target_vf(const Adapter &a)
{
	if (a.want != Datapath::vf || a.info.paired_vf_ifindex == 0 || !a.info.up)
		return false;
	const Vf *v = vf_by_ifindex(a.info.netns, a.info.paired_vf_ifindex);
	return v != nullptr && !v->down;
}

void FakeKernel::dp_complete(Adapter &a)
{
	touch(a);
	const auto path = a.info.dp_pending;
	a.info.dp_pending.reset();
	if (path == Datapath::vf && dp_target_vf(a))
		a.info.datapath = Datapath::vf;
}

void FakeKernel::dp_request(Adapter &a, Datapath path)
{
	touch(a);
	++a.info.dp_seq;
	a.info.dp_pending = path;
	requests_.push_back("dp_request " + a.info.partition + " " + std::string(to_string(path)) +
			    " seq=" + std::to_string(a.info.dp_seq));
	if (a.info.auto_ack)
		dp_complete(a);
	// no ack timeout here: a request stays pending until acknowledged
}

void FakeKernel::dp_evaluate(Adapter &a)
{
	if (!dp_target_vf(a)) {
		// to synthetic: TX moves at once, the request tells the host side
		if (a.info.datapath != Datapath::vf && a.info.dp_pending != Datapath::vf)
			return;
		a.info.datapath = Datapath::synthetic;
		dp_request(a, Datapath::synthetic);
		return;
	}
	touch(a);
	if (a.info.datapath == Datapath::vf || a.info.dp_pending == Datapath::vf)
		return;
	if (datapath_stuck_)
		return; // the VF never gets carrier: no request
	dp_request(a, Datapath::vf);
}

void FakeKernel::raise_dp_request(const std::string &partition, Datapath path)
{
	auto it = adapters_.find(partition);
	if (it == adapters_.end())
		return;
	Adapter &a = it->second;
	if (path == Datapath::synthetic)
		a.info.datapath = Datapath::synthetic;
	dp_request(a, path);
	commit();
}

void FakeKernel::set_adapter_up(const std::string &partition, bool up)
{
	auto it = adapters_.find(partition);
	if (it == adapters_.end())
		return;
	it->second.info.up = up;
	touch(it->second);
	dp_evaluate(it->second);
	commit();
}

void FakeKernel::update_pairing()
{
	// The pairing rule of sriov_netvsc: the VF netdev's MAC is the
	// adapter's and, when the adapter carries an identity, the VF presents
	// that identity.  A claimed VF is held by ifindex, whatever its name.
	// Only adapters paired (or released) and those in the namespace of a
	// VF netdev can change: the others have no VF to pair with.
	std::set<std::string> names = pair_watch_;
	for (const auto &[pn, p] : pfs_)
		for (const auto &v : p.vfs)
			if (v.has_netdev())
				if (auto it = adapters_by_ns_.find(v.netns); it != adapters_by_ns_.end())
					names.insert(it->second.begin(), it->second.end());
	for (const auto &name : names) {
		Adapter &a = adapters_.at(name);
		touch(a);
		if (a.info.paired_vf_ifindex != 0) {
			bool still = false;
			for (auto &[pn, p] : pfs_)
				for (auto &v : p.vfs)
					if (v.ifindex == a.info.paired_vf_ifindex && v.has_netdev() && v.netns == a.info.netns)
						still = true;
			if (!still) {
				a.info.paired_vf.clear();
				a.info.paired_vf_ifindex = 0;
				a.released = false;
				dp_evaluate(a); // NETDEV_UNREGISTER: TX synthetic, request raised
				events_.push_back({.type = KernelEvent::Type::adapter_unpaired, .pf = {}, .vf = {},
						   .partition = name, .detail = "vf left"});
			}
		} else {
			bool candidate = false;
			for (auto &[pn, p] : pfs_)
				for (std::uint32_t i = 0; i < p.num_vfs; ++i) {
					const Vf &v = p.vfs[i];
					const MacAddr mac = v.netdev_mac.value_or(v.mac);
					if (!v.has_netdev() || v.netns != a.info.netns || mac != a.info.mac || mac.is_zero())
						continue;
					if (a.info.serial != 0 && (!v.allocated || v.serial != a.info.serial))
						continue;
					candidate = true;
					if (pairing_ && !a.released && a.info.paired_vf_ifindex == 0) {
						a.info.paired_vf = v.netdev;
						a.info.paired_vf_ifindex = v.ifindex;
						dp_evaluate(a); // VF up: request for the VF
						events_.push_back({.type = KernelEvent::Type::adapter_paired, .pf = pn,
								   .vf = VfIndex{i}, .partition = name, .detail = v.netdev});
					}
				}
			if (!candidate)
				a.released = false;
		}
		if (a.info.paired_vf_ifindex != 0 || a.released)
			pair_watch_.insert(name);
		else
			pair_watch_.erase(name);
	}
}

bool FakeKernel::name_taken(const std::string &ns, const std::string &name, const Vf *except) const
{
	if (ns.empty())
		for (const auto &[pn, p] : pfs_)
			if (p.netdev == name)
				return true;
	for (const auto &[pn, p] : pfs_)
		for (const auto &v : p.vfs)
			if (&v != except && v.has_netdev() && v.netns == ns && v.netdev == name)
				return true;
	if (ns.empty()) {
		// host ports are "syn-" + the partition
		if (name.rfind("syn-", 0) == 0)
			if (auto it = adapters_.find(name.substr(4)); it != adapters_.end() && it->second.info.host_port == name)
				return true;
		return false;
	}
	// the child side of an adapter in its namespace
	const auto it = adapters_by_ns_.find(ns);
	if (it == adapters_by_ns_.end())
		return false;
	return std::any_of(it->second.begin(), it->second.end(), [&](const std::string &part) {
		const auto a = adapters_.find(part);
		return a != adapters_.end() && a->second.ifname == name;
	});
}

FakeKernel::Vf *FakeKernel::vf_by_ifindex(const std::string &ns, std::uint32_t ifindex)
{
	for (auto &[pn, p] : pfs_)
		for (auto &v : p.vfs)
			if (v.has_netdev() && v.ifindex == ifindex && v.netns == ns)
				return &v;
	return nullptr;
}

void FakeKernel::netns_delete(const std::string &ns)
{
	const std::string name = netns_name_of(ns);
	if (netns_.erase(name) == 0)
		return;
	dirty_netns_.insert(name);
	std::vector<std::string> gone;
	for (const auto &[part, a] : adapters_)
		if (netns_name_of(a.info.netns) == name)
			gone.push_back(part);
	for (const auto &part : gone) {
		const auto it = adapters_.find(part);
		adapters_by_ns_.erase(it->second.info.netns);
		pair_watch_.erase(part);
		dirty_adapters_.insert(part);
		adapters_.erase(it);
	}
	for (auto &[pn, p] : pfs_)
		for (auto &v : p.vfs)
			if (v.has_netdev() && !v.netns.empty() && netns_name_of(v.netns) == name) {
				v.netns.clear();
				if (name_taken("", v.netdev, &v))
					v.netdev = "dev" + std::to_string(v.ifindex);
			}
	update_pairing();
	commit();
}

bool FakeKernel::netns_exists(const std::string &ns)
{
	return ns.empty() || netns_.contains(netns_name_of(ns));
}

std::string FakeKernel::netns_identity(const std::string &ns)
{
	// not the path form, as on the real kernel (device and inode)
	const auto it = netns_alias_.find(ns);
	return "ns:" + KernelApi::netns_identity(it == netns_alias_.end() ? ns : it->second);
}

Status FakeKernel::netns_create(const std::string &ns)
{
	if (auto st = enter("netns_create"); !st.ok())
		return st;
	if (!netns_.insert(netns_name_of(ns)).second)
		return Status::fail(EEXIST, "netns exists");
	dirty_netns_.insert(netns_name_of(ns));
	commit();
	return Status::success();
}

Status FakeKernel::netdev_move(const std::string &from_ns, std::uint32_t ifindex, const std::string &to_ns)
{
	if (auto st = enter("netdev_move"); !st.ok())
		return st;
	requests_.push_back("netdev_move ifindex=" + std::to_string(ifindex) + " " + from_ns + "->" + to_ns);
	if (!netns_exists(to_ns))
		return Status::fail(ENOENT, "no such netns " + to_ns);
	Vf *v = vf_by_ifindex(from_ns, ifindex);
	if (v == nullptr)
		return Status::fail(ENODEV, not_in_ns("ifindex " + std::to_string(ifindex), from_ns));
	// what the real backend does: a fresh name where the old one would clash
	// or is no plain interface name in the host namespace
	if (name_taken(to_ns, v->netdev, v) || (to_ns.empty() && !plain_ifname(v->netdev))) {
		for (unsigned n = 0;; ++n)
			if (!name_taken(to_ns, "sriovvf" + std::to_string(n), v)) {
				v->netdev = "sriovvf" + std::to_string(n);
				break;
			}
	}
	v->netns = to_ns;
	update_pairing();
	commit();
	return Status::success();
}

std::vector<AdapterInfo> FakeKernel::adapters()
{
	std::vector<AdapterInfo> out;
	for (const auto &[n, a] : adapters_)
		out.push_back(a.info);
	return out;
}

std::optional<AdapterInfo> FakeKernel::adapter(const std::string &partition)
{
	const auto it = adapters_.find(partition);
	if (it == adapters_.end())
		return std::nullopt;
	return it->second.info;
}

Status FakeKernel::adapter_create(const std::string &partition, const std::string &ns, const std::string &ifname,
				  const std::string &pf, const MacAddr &mac, std::uint64_t serial)
{
	if (auto st = enter("adapter_create"); !st.ok())
		return st;
	requests_.push_back("adapter_create " + partition + " serial=" + std::to_string(serial));
	if (adapters_.contains(partition))
		return Status::fail(EEXIST, "adapter exists");
	if (!netns_exists(ns))
		return Status::fail(ENOENT, "no such netns " + ns);
	// one adapter per namespace, as sriovd keeps it
	if (auto it = adapters_by_ns_.find(ns); it != adapters_by_ns_.end() && !it->second.empty())
		return Status::fail(EEXIST, "netns " + ns + " holds the adapter of " + *it->second.begin());
	if (!valid_ifname(ifname))
		return Status::fail(EINVAL, "bad interface name");
	if (name_taken(ns, ifname, nullptr))
		return Status::fail(EEXIST, "netns " + ns + " has a netdev " + ifname);
	Pf *p = find_pf(pf);
	if (p == nullptr)
		return Status::fail(ENODEV, "no such PF");
	Adapter a;
	a.info = {.partition = partition, .netns = ns, .pf = pf, .host_port = "syn-" + partition, .mac = mac,
		  .paired_vf = {}, .datapath = Datapath::synthetic};
	a.info.serial = serial;
	a.info.port_locked = true; // as the real backend: locked before it is up
	// IFLA_SWNV_AUTO_ACK 0 and DP_WANT synthetic in the newlink, as the real backend
	a.info.auto_ack = false;
	a.want = Datapath::synthetic;
	a.ifname = ifname;
	adapters_[partition] = a;
	adapters_by_ns_[ns].insert(partition);
	touch(a);
	update_pairing();
	commit();
	return Status::success();
}

Status FakeKernel::adapter_set_serial(const std::string &partition, std::uint64_t serial)
{
	if (auto st = enter("adapter_set_serial"); !st.ok())
		return st;
	requests_.push_back("adapter_set_serial " + partition + " serial=" + std::to_string(serial));
	auto it = adapters_.find(partition);
	if (it == adapters_.end())
		return Status::fail(ENOENT, "no such adapter");
	it->second.info.serial = serial;
	touch(it->second);
	update_pairing();
	commit();
	return Status::success();
}

Status FakeKernel::adapter_delete(const std::string &partition)
{
	if (auto st = enter("adapter_delete"); !st.ok())
		return st;
	const auto it = adapters_.find(partition);
	if (it == adapters_.end())
		return Status::fail(ENOENT, "no such adapter");
	if (auto ns = adapters_by_ns_.find(it->second.info.netns); ns != adapters_by_ns_.end()) {
		ns->second.erase(partition);
		if (ns->second.empty())
			adapters_by_ns_.erase(ns);
	}
	pair_watch_.erase(partition);
	dirty_adapters_.insert(partition);
	adapters_.erase(it);
	commit();
	return Status::success();
}

Status FakeKernel::adapter_set_switch(const std::string &partition, const std::string &pf, const MacAddr &mac)
{
	if (auto st = enter("adapter_set_switch"); !st.ok())
		return st;
	requests_.push_back("adapter_set_switch " + partition + " " + pf + " " + mac.str());
	auto it = adapters_.find(partition);
	if (it == adapters_.end())
		return Status::fail(ENOENT, "no such adapter");
	if (find_pf(pf) == nullptr)
		return Status::fail(ENODEV, "no such PF");
	it->second.info.pf = pf;
	touch(it->second);
	commit();
	return Status::success();
}

Status FakeKernel::pf_switch_sync(const std::string &pf)
{
	if (auto st = enter("pf_switch_sync"); !st.ok())
		return st;
	if (find_pf(pf) == nullptr)
		return Status::fail(ENODEV, "PF " + pf + " has no netdev");
	if (pf_out_of_switch_.erase(pf) != 0)
		requests_.push_back("pf_switch_sync " + pf + " enslaved");
	commit();
	return Status::success();
}

Status FakeKernel::adapter_set_datapath(const std::string &partition, Datapath dp)
{
	if (auto st = enter("adapter_set_datapath"); !st.ok())
		return st;
	auto it = adapters_.find(partition);
	if (it == adapters_.end())
		return Status::fail(ENOENT, "no such adapter");
	requests_.push_back("adapter_set_datapath " + partition + " " + std::string(to_string(dp)));
	it->second.want = dp;
	touch(it->second);
	dp_evaluate(it->second);
	commit();
	return Status::success();
}

Status FakeKernel::adapter_dp_ack(const std::string &partition, std::uint32_t seq)
{
	if (auto st = enter("adapter_dp_ack"); !st.ok())
		return st;
	auto it = adapters_.find(partition);
	if (it == adapters_.end())
		return Status::fail(ENOENT, "no such adapter");
	requests_.push_back("adapter_dp_ack " + partition + " seq=" + std::to_string(seq));
	Adapter &a = it->second;
	if (!a.info.dp_pending || seq != a.info.dp_seq)
		return Status::fail(ESTALE, "no outstanding request with this sequence");
	dp_complete(a);
	commit();
	return Status::success();
}

Status FakeKernel::adapter_set_auto_ack(const std::string &partition, bool on)
{
	if (auto st = enter("adapter_set_auto_ack"); !st.ok())
		return st;
	auto it = adapters_.find(partition);
	if (it == adapters_.end())
		return Status::fail(ENOENT, "no such adapter");
	requests_.push_back("adapter_set_auto_ack " + partition + " " + (on ? "1" : "0"));
	it->second.info.auto_ack = on;
	touch(it->second);
	// turning auto_ack on closes what nobody will acknowledge otherwise
	if (on && it->second.info.dp_pending)
		dp_complete(it->second);
	commit();
	return Status::success();
}

Status FakeKernel::adapter_release_vf(const std::string &partition)
{
	if (auto st = enter("adapter_release_vf"); !st.ok())
		return st;
	auto it = adapters_.find(partition);
	if (it == adapters_.end())
		return Status::fail(ENOENT, "no such adapter");
	if (release_ignored_)
		return Status::success(); // request sent, never acted on
	it->second.info.paired_vf.clear();
	it->second.info.paired_vf_ifindex = 0;
	it->second.released = true;
	pair_watch_.insert(partition);
	touch(it->second);
	dp_evaluate(it->second); // the VF is let go: TX synthetic
	commit();
	return Status::success();
}

Status FakeKernel::adapter_set_flood(const std::string &partition, bool on)
{
	if (auto st = enter("adapter_set_flood"); !st.ok())
		return st;
	requests_.push_back("adapter_set_flood " + partition + " " + (on ? "1" : "0"));
	auto it = adapters_.find(partition);
	if (it == adapters_.end())
		return Status::fail(ENOENT, "no such adapter");
	it->second.info.flood = on;
	touch(it->second);
	commit();
	return Status::success();
}

Status FakeKernel::adapter_lock_port(const std::string &partition, const MacAddr &mac)
{
	if (auto st = enter("adapter_lock_port"); !st.ok())
		return st;
	requests_.push_back("adapter_lock_port " + partition + " " + mac.str());
	auto it = adapters_.find(partition);
	if (it == adapters_.end())
		return Status::fail(ENOENT, "no such adapter");
	it->second.info.port_locked = true;
	touch(it->second);
	commit();
	return Status::success();
}

void FakeKernel::unlock_port(const std::string &partition)
{
	if (auto it = adapters_.find(partition); it != adapters_.end()) {
		it->second.info.port_locked = false;
		touch(it->second);
	}
	commit();
}

} // namespace sriov
