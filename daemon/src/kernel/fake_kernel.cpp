// SPDX-License-Identifier: GPL-2.0
#include "kernel/fake_kernel.hpp"

#include "kernel/switch_guard.hpp"

#include "common/text.hpp"
#include "store/atomic_file.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

namespace sriov {

using json = nlohmann::json;

namespace {

constexpr std::uint32_t pools_per_pf = 8; // 82576: 8 VMDq pools, one is the default VPort

std::string not_in_ns(const std::string &dev, const std::string &ns)
{
	return dev + " is not in netns '" + ns + "'";
}

std::string vf_netdev_name(const std::string &pf_netdev, std::uint32_t idx)
{
	return pf_netdev + "v" + std::to_string(idx);
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

FakeKernel::FakeKernel(std::string state_path) : state_path_(std::move(state_path))
{
	if (!state_path_.empty())
		load();
}

void FakeKernel::add_pf(const std::string &name, const std::string &netdev, std::uint32_t total_vfs)
{
	Pf p;
	p.netdev = netdev;
	p.total_vfs = total_vfs;
	p.num_vfs = total_vfs;
	for (std::uint32_t i = 0; i < total_vfs; ++i)
		p.vfs.push_back(Vf{.netdev = vf_netdev_name(netdev, i), .ifindex = next_ifindex_++});
	p.vports[0] = std::nullopt;
	pfs_[name] = std::move(p);
	commit();
}

void FakeKernel::fail(const std::string &op, int err, int count)
{
	faults_[op] = Fault{.err = err, .count = count};
	commit();
}

void FakeKernel::clear_faults()
{
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
	for (auto &[n, a] : adapters_)
		if (a.info.paired_vf_ifindex == v->ifindex && a.info.netns == v->netns)
			a.info.paired_vf = name;
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

Status FakeKernel::configure(const json &cfg)
{
	if (!cfg.is_object())
		return Status::fail(EINVAL, "fake config must be an object");
	if (cfg.contains("fail")) {
		for (const auto &[op, spec] : cfg.at("fail").items()) {
			if (!spec.is_object())
				return Status::fail(EINVAL, "fail." + op + " must be an object");
			fail(op, spec.value("errno", EIO), spec.value("count", 1));
		}
	}
	if (cfg.contains("clear_faults") && cfg.at("clear_faults").get<bool>())
		clear_faults();
	if (cfg.contains("pairing"))
		set_pairing(cfg.at("pairing").get<bool>());
	if (cfg.contains("release_ignored"))
		set_release_ignored(cfg.at("release_ignored").get<bool>());
	if (cfg.contains("delay_ms"))
		set_delay_ms(cfg.at("delay_ms").get<int>());
	if (cfg.contains("unlock_port"))
		unlock_port(cfg.at("unlock_port").get<std::string>());
	if (cfg.contains("drop_guard") && cfg.at("drop_guard").get<bool>())
		drop_guard();
	if (cfg.contains("surprise_remove")) {
		const auto &s = cfg.at("surprise_remove");
		surprise_remove(s.at("pf").get<std::string>(), VfIndex{s.at("vf").get<std::uint32_t>()});
	}
	if (cfg.contains("kernel_failover")) {
		const auto &s = cfg.at("kernel_failover");
		autonomous_failover(s.at("pf").get<std::string>(), VfIndex{s.at("vf").get<std::uint32_t>()},
				    s.value("reason", std::uint32_t{1}));
	}
	if (cfg.contains("vf_back")) {
		const auto &s = cfg.at("vf_back");
		vf_back(s.at("pf").get<std::string>(), VfIndex{s.at("vf").get<std::uint32_t>()});
	}
	return Status::success();
}

json FakeKernel::dump() const
{
	json j;
	j["pairing"] = pairing_;
	j["release_ignored"] = release_ignored_;
	j["delay_ms"] = delay_ms_;
	j["netns"] = netns_;
	json faults = json::object();
	for (const auto &[op, f] : faults_)
		faults[op] = {{"errno", f.err}, {"count", f.count}};
	j["faults"] = faults;
	json pfs = json::object();
	for (const auto &[name, p] : pfs_) {
		json jp;
		jp["netdev"] = p.netdev;
		jp["total_vfs"] = p.total_vfs;
		jp["num_vfs"] = p.num_vfs;
		jp["next_vport"] = p.next_vport;
		jp["unplugged"] = p.unplugged;
		jp["in_switch"] = !pf_out_of_switch_.contains(name);
		json vfs = json::array();
		for (const auto &v : p.vfs)
			vfs.push_back({{"present", v.present},
				       {"allocated", v.allocated},
				       {"serial", v.serial},
				       {"mac", v.mac.str()},
				       {"netdev", v.netdev},
				       {"netns", v.netns},
				       {"ifindex", v.ifindex},
				       {"resets", v.resets},
				       {"down", v.down},
				       {"unbound", v.unbound}});
		jp["vfs"] = vfs;
		json vps = json::array();
		for (const auto &[id, vf] : p.vports)
			vps.push_back({{"id", id}, {"vf", vf ? json(*vf) : json(nullptr)}});
		jp["vports"] = vps;
		json fl = json::array();
		for (const auto &f : p.filters)
			fl.push_back({{"mac", f.filter.mac.str()}, {"vlan", f.filter.vlan.value}, {"vport", f.vport.value}});
		jp["filters"] = fl;
		pfs[name] = jp;
	}
	j["pfs"] = pfs;
	json ads = json::object();
	for (const auto &[name, a] : adapters_)
		ads[name] = {{"netns", a.info.netns},
			     {"pf", a.info.pf},
			     {"host_port", a.info.host_port},
			     {"mac", a.info.mac.str()},
			     {"paired_vf", a.info.paired_vf},
			     {"paired_vf_ifindex", a.info.paired_vf_ifindex},
			     {"serial", a.info.serial},
			     {"datapath", std::string(to_string(a.info.datapath))},
			     {"port_locked", a.info.port_locked},
			     {"flood", a.info.flood},
			     {"auto_ack", a.info.auto_ack},
			     {"dp_pending", a.info.dp_pending ? json(std::string(to_string(*a.info.dp_pending))) : json(nullptr)},
			     {"dp_seq", a.info.dp_seq},
			     {"want", std::string(to_string(a.want))},
			     {"released", a.released}};
	j["adapters"] = ads;
	json gp = json::array();
	for (const auto &g : guard_)
		gp.push_back({{"partition", g.partition}, {"mac", g.mac.str()}, {"ips", g.ips}});
	j["guard"] = {{"present", guard_present_}, {"ports", gp}, {"script", guard_script_}};
	return j;
}

void FakeKernel::load()
{
	const auto text = store::read_file(state_path_);
	if (!text)
		return;
	const json j = json::parse(*text);
	pairing_ = j.value("pairing", true);
	release_ignored_ = j.value("release_ignored", false);
	delay_ms_ = j.value("delay_ms", 0);
	netns_ = j.at("netns").get<std::set<std::string>>();
	for (const auto &[op, f] : j.at("faults").items())
		faults_[op] = Fault{.err = f.at("errno").get<int>(), .count = f.at("count").get<int>()};
	for (const auto &[name, jp] : j.at("pfs").items()) {
		Pf p;
		p.netdev = jp.at("netdev").get<std::string>();
		p.total_vfs = jp.at("total_vfs").get<std::uint32_t>();
		p.num_vfs = jp.at("num_vfs").get<std::uint32_t>();
		p.next_vport = jp.at("next_vport").get<std::uint32_t>();
		p.unplugged = jp.value("unplugged", false);
		if (!jp.value("in_switch", true))
			pf_out_of_switch_.insert(name);
		for (const auto &jv : jp.at("vfs"))
			p.vfs.push_back(Vf{.present = jv.at("present").get<bool>(),
					   .allocated = jv.at("allocated").get<bool>(),
					   .serial = jv.at("serial").get<std::uint64_t>(),
					   .mac = MacAddr::parse(jv.at("mac").get<std::string>()).value_or(MacAddr{}),
					   .netdev = jv.at("netdev").get<std::string>(),
					   .netns = jv.at("netns").get<std::string>(),
					   .resets = jv.at("resets").get<unsigned>(),
					   .ifindex = jv.value("ifindex", 0U),
					   .netdev_mac = std::nullopt,
					   .down = jv.value("down", false),
					   .unbound = jv.value("unbound", false)});
		for (const auto &jv : jp.at("vports")) {
			std::optional<std::uint32_t> vf;
			if (!jv.at("vf").is_null())
				vf = jv.at("vf").get<std::uint32_t>();
			p.vports[jv.at("id").get<std::uint32_t>()] = vf;
		}
		for (const auto &jf : jp.at("filters"))
			p.filters.push_back(
				{.filter = {.mac = MacAddr::parse(jf.at("mac").get<std::string>()).value_or(MacAddr{}),
					    .vlan = VlanId{jf.at("vlan").get<std::uint16_t>()}},
				 .vport = VportId{jf.at("vport").get<std::uint32_t>()}});
		for (auto &v : p.vfs) {
			if (v.ifindex == 0)
				v.ifindex = next_ifindex_;
			next_ifindex_ = std::max(next_ifindex_, v.ifindex + 1);
		}
		pfs_[name] = std::move(p);
	}
	for (const auto &[name, ja] : j.at("adapters").items()) {
		Adapter a;
		a.info.partition = name;
		a.info.netns = ja.at("netns").get<std::string>();
		a.info.pf = ja.at("pf").get<std::string>();
		a.info.host_port = ja.at("host_port").get<std::string>();
		a.info.mac = MacAddr::parse(ja.at("mac").get<std::string>()).value_or(MacAddr{});
		a.info.paired_vf = ja.at("paired_vf").get<std::string>();
		a.info.paired_vf_ifindex = ja.value("paired_vf_ifindex", 0U);
		a.info.serial = ja.value("serial", std::uint64_t{0});
		a.info.datapath = ja.at("datapath").get<std::string>() == "vf" ? Datapath::vf : Datapath::synthetic;
		a.info.port_locked = ja.value("port_locked", false);
		a.info.flood = ja.value("flood", true);
		a.info.auto_ack = ja.value("auto_ack", true); // older states: the kernel's default
		if (ja.contains("dp_pending") && !ja.at("dp_pending").is_null())
			a.info.dp_pending = ja.at("dp_pending").get<std::string>() == "vf" ? Datapath::vf : Datapath::synthetic;
		a.info.dp_seq = ja.value("dp_seq", 0U);
		a.want = ja.value("want", std::string("vf")) == "vf" ? Datapath::vf : Datapath::synthetic;
		a.released = ja.at("released").get<bool>();
		adapters_[name] = a;
	}
	if (j.contains("guard")) {
		const auto &jg = j.at("guard");
		guard_present_ = jg.at("present").get<bool>();
		guard_script_ = jg.at("script").get<std::string>();
		for (const auto &g : jg.at("ports"))
			guard_.push_back({.partition = g.at("partition").get<std::string>(),
					  .mac = MacAddr::parse(g.at("mac").get<std::string>()).value_or(MacAddr{}),
					  .ips = g.at("ips").get<std::vector<std::string>>()});
	}
}

void FakeKernel::commit()
{
	if (state_path_.empty())
		return;
	// Durable: the honest SIGKILL test relies on this being on disk before
	// the daemon journals that the step is done.
	// netdev names are bytes: written with U+FFFD for invalid UTF-8
	store::write_file_atomic(state_path_, text::dump_json(dump(), 1));
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
	const auto path = a.info.dp_pending;
	a.info.dp_pending.reset();
	if (path == Datapath::vf && dp_target_vf(a))
		a.info.datapath = Datapath::vf;
}

void FakeKernel::dp_request(Adapter &a, Datapath path)
{
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

void FakeKernel::autonomous_failover(const std::string &pf, VfIndex vf, std::uint32_t reason, bool vf_stays_up)
{
	Pf *p = find_pf(pf);
	Vf *v = find_vf(pf, vf);
	if (p == nullptr || v == nullptr)
		return;
	std::optional<std::uint32_t> src;
	for (const auto &[id, owner] : p->vports)
		if (owner == vf.value)
			src = id;
	if (!src)
		return; // no VPort: sriov_pf has nothing to move
	KernelEvent ev{.type = KernelEvent::Type::filters_moved, .pf = pf, .vf = std::nullopt, .partition = {},
		       .detail = "filter-moved reason=" + std::to_string(reason), .src_vport = VportId{*src},
		       .dst_vport = VportId{0}, .reset_reason = reason, .filter_ids = {}};
	std::uint32_t idx = 0;
	for (auto &f : p->filters) {
		if (f.vport == VportId{*src}) {
			f.vport = VportId{0};
			ev.filter_ids.push_back(idx);
		}
		++idx;
	}
	requests_.push_back("kernel_failover " + pf + " vf=" + std::to_string(vf.value) +
			    " vport=" + std::to_string(*src) + "->0");
	events_.push_back(std::move(ev));
	if (vf_stays_up) {
		commit();
		return;
	}
	v->down = true;
	for (auto &[name, a] : adapters_)
		if (a.info.paired_vf_ifindex != 0 && a.info.paired_vf_ifindex == v->ifindex) {
			a.info.datapath = Datapath::synthetic;
			dp_request(a, Datapath::synthetic);
		}
	commit();
}

void FakeKernel::pool_disable(const std::string &pf)
{
	Pf *p = find_pf(pf);
	if (p == nullptr)
		return;
	constexpr std::uint32_t reason_sriov_disable = 5;
	for (const auto &[id, owner] : p->vports) {
		if (!owner)
			continue;
		KernelEvent ev{.type = KernelEvent::Type::filters_moved, .pf = pf, .vf = std::nullopt, .partition = {},
			       .detail = "filter-moved reason=5", .src_vport = VportId{id}, .dst_vport = VportId{0},
			       .reset_reason = reason_sriov_disable, .filter_ids = {}};
		std::uint32_t idx = 0;
		for (auto &f : p->filters) {
			if (f.vport == VportId{id}) {
				f.vport = VportId{0};
				ev.filter_ids.push_back(idx);
			}
			++idx;
		}
		events_.push_back(std::move(ev));
	}
	for (std::uint32_t i = 0; i < p->num_vfs; ++i) {
		Vf &v = p->vfs[i];
		if (v.allocated)
			events_.push_back({.type = KernelEvent::Type::vf_lost, .pf = pf, .vf = VfIndex{i}, .partition = {},
					   .detail = "vf-freed"});
		v.allocated = false;
		v.serial = 0;
		v.present = false;
		v.netns.clear();
		v.netdev_mac.reset();
		v.down = false;
		v.unbound = false;
	}
	p->vports.clear();
	p->filters.clear();
	p->num_vfs = 0;
	requests_.push_back("pool_disable " + pf);
	events_.push_back({.type = KernelEvent::Type::link_change, .pf = pf, .vf = std::nullopt, .partition = {},
			   .detail = "switch-change num-vfs=0"});
	update_pairing();
	commit();
}

void FakeKernel::pf_unplug(const std::string &pf)
{
	if (find_pf(pf) == nullptr)
		return;
	pool_disable(pf);
	pfs_[pf].unplugged = true;
	pf_out_of_switch_.insert(pf);
	commit();
}

void FakeKernel::pf_plug(const std::string &pf)
{
	auto it = pfs_.find(pf);
	if (it == pfs_.end() || !it->second.unplugged)
		return;
	it->second.unplugged = false;
	events_.push_back({.type = KernelEvent::Type::link_change, .pf = pf, .vf = std::nullopt, .partition = {},
			   .detail = "PF registered"});
	commit();
}

void FakeKernel::pool_probe(const std::string &pf)
{
	Pf *p = find_pf(pf);
	if (p == nullptr)
		return;
	for (std::uint32_t i = 0; i < p->num_vfs; ++i)
		p->vfs[i].present = true;
	events_.push_back({.type = KernelEvent::Type::link_change, .pf = pf, .vf = std::nullopt, .partition = {},
			   .detail = "VF netdevs registered"});
	update_pairing();
	commit();
}

void FakeKernel::pool_enable(const std::string &pf, std::uint32_t n, bool probed)
{
	Pf *p = find_pf(pf);
	if (p == nullptr || n > p->total_vfs)
		return;
	for (std::uint32_t i = 0; i < n; ++i)
		p->vfs[i] = Vf{.present = probed, .netdev = vf_netdev_name(p->netdev, i), .ifindex = next_ifindex_++};
	p->vports = {{0, std::nullopt}};
	p->filters.clear();
	p->num_vfs = n;
	requests_.push_back("pool_enable " + pf + " " + std::to_string(n));
	events_.push_back({.type = KernelEvent::Type::link_change, .pf = pf, .vf = std::nullopt, .partition = {},
			   .detail = "switch-change num-vfs=" + std::to_string(n)});
	update_pairing();
	commit();
}

void FakeKernel::vf_back(const std::string &pf, VfIndex vf)
{
	Vf *v = find_vf(pf, vf);
	if (v == nullptr)
		return;
	v->down = false;
	for (auto &[name, a] : adapters_)
		if (a.info.paired_vf_ifindex != 0 && a.info.paired_vf_ifindex == v->ifindex)
			dp_request(a, Datapath::vf);
	commit();
}

void FakeKernel::set_adapter_up(const std::string &partition, bool up)
{
	auto it = adapters_.find(partition);
	if (it == adapters_.end())
		return;
	it->second.info.up = up;
	dp_evaluate(it->second);
	commit();
}

void FakeKernel::update_pairing()
{
	// The pairing rule of sriov_netvsc: the VF netdev's MAC is the
	// adapter's and, when the adapter carries an identity, the VF presents
	// that identity.  A claimed VF is held by ifindex, whatever its name.
	for (auto &[name, a] : adapters_) {
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
			continue;
		}
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
	for (const auto &[an, a] : adapters_)
		if ((ns.empty() && a.info.host_port == name) || (!ns.empty() && a.info.netns == ns && name == "nv0"))
			return true;
	return false;
}

FakeKernel::Vf *FakeKernel::vf_by_ifindex(const std::string &ns, std::uint32_t ifindex)
{
	for (auto &[pn, p] : pfs_)
		for (auto &v : p.vfs)
			if (v.has_netdev() && v.ifindex == ifindex && v.netns == ns)
				return &v;
	return nullptr;
}

std::vector<PfInfo> FakeKernel::pfs()
{
	std::vector<PfInfo> out;
	for (const auto &[name, p] : pfs_)
		if (!p.unplugged)
			out.push_back({.name = name, .netdev = p.netdev, .total_vfs = p.total_vfs,
				       .num_vfs = p.num_vfs, .default_vport = VportId{0}});
	return out;
}

Status FakeKernel::set_num_vfs(const std::string &pf, std::uint32_t n)
{
	if (auto st = enter("set_num_vfs"); !st.ok())
		return st;
	Pf *p = find_pf(pf);
	if (p == nullptr)
		return Status::fail(ENODEV, "no such PF");
	if (n > p->total_vfs)
		return Status::fail(ERANGE, "more than sriov_totalvfs");
	if (n != 0 && p->num_vfs != 0 && n != p->num_vfs)
		return Status::fail(EBUSY, "write 0 to sriov_numvfs first");
	for (std::uint32_t i = n; i < p->num_vfs; ++i)
		if (p->vfs[i].allocated)
			return Status::fail(EBUSY, "VF " + std::to_string(i) + " is allocated");
	p->num_vfs = n;
	commit();
	return Status::success();
}

std::vector<VfInfo> FakeKernel::vfs(const std::string &pf)
{
	std::vector<VfInfo> out;
	Pf *p = find_pf(pf);
	if (p == nullptr)
		return out;
	for (std::uint32_t i = 0; i < p->num_vfs; ++i) {
		const Vf &v = p->vfs[i];
		out.push_back({.index = VfIndex{i}, .allocated = v.allocated, .serial = v.serial, .mac = v.mac,
			       .netdev = v.has_netdev() ? v.netdev : std::string{}, .netns = v.netns,
			       .netdev_mac = v.netdev_mac.value_or(v.mac), .ifindex = v.has_netdev() ? v.ifindex : 0,
			       .running = v.has_netdev() && !vfs_down_});
	}
	return out;
}

Status FakeKernel::vf_alloc(const std::string &pf, VfIndex vf, std::uint64_t serial)
{
	if (auto st = enter("vf_alloc"); !st.ok())
		return st;
	Vf *v = find_vf(pf, vf);
	if (v == nullptr)
		return Status::fail(ENOENT, "unknown VF");
	if (v->allocated)
		return Status::fail(EEXIST, "VF already allocated");
	v->allocated = true;
	v->serial = serial;
	commit();
	return Status::success();
}

Status FakeKernel::vf_set_mac(const std::string &pf, VfIndex vf, const MacAddr &mac)
{
	if (auto st = enter("vf_set_mac"); !st.ok())
		return st;
	Vf *v = find_vf(pf, vf);
	if (v == nullptr)
		return Status::fail(ENOENT, "unknown VF");
	if (lazy_vf_driver_ && !v->netdev_mac && v->mac != mac)
		v->netdev_mac = v->mac; // the driver ignores the PF's reset request
	v->mac = mac;
	if (v->unbound) {
		// the real backend probes a driver for a VF without one
		v->unbound = false;
		v->netns.clear();
		v->netdev_mac.reset();
		++probes_;
	}
	update_pairing();
	commit();
	return Status::success();
}

Status FakeKernel::vf_probe(const std::string &pf, VfIndex vf)
{
	if (auto st = enter("vf_probe"); !st.ok())
		return st;
	Vf *v = find_vf(pf, vf);
	if (v == nullptr)
		return Status::fail(ENOENT, "unknown VF");
	v->netdev_mac.reset();
	// a driver binds again, in the host's namespace
	if (v->unbound)
		v->netns.clear();
	v->unbound = false;
	++probes_;
	update_pairing();
	commit();
	return Status::success();
}

Status FakeKernel::vf_unbind(const std::string &pf, VfIndex vf)
{
	if (auto st = enter("vf_unbind"); !st.ok())
		return st;
	Vf *v = find_vf(pf, vf);
	if (v == nullptr)
		return Status::fail(ENOENT, "unknown VF");
	requests_.push_back("vf_unbind " + pf + " " + std::to_string(vf.value));
	v->unbound = true;
	v->netns.clear(); // the netdev is gone; a probe registers it in the host's namespace
	update_pairing();
	commit();
	return Status::success();
}

Status FakeKernel::vf_reset(const std::string &pf, VfIndex vf)
{
	if (auto st = enter("vf_reset"); !st.ok())
		return st;
	Vf *v = find_vf(pf, vf);
	if (v == nullptr)
		return Status::fail(ENOENT, "unknown VF");
	if (!v->present)
		return Status::fail(EIO, "VF did not come back from FLR");
	v->resets++;
	v->down = false; // a function-level reset brings it back up
	commit();
	return Status::success();
}

Status FakeKernel::vf_free(const std::string &pf, VfIndex vf)
{
	if (auto st = enter("vf_free"); !st.ok())
		return st;
	Pf *p = find_pf(pf);
	Vf *v = find_vf(pf, vf);
	if (p == nullptr || v == nullptr)
		return Status::fail(ENOENT, "unknown VF");
	if (!v->allocated)
		return Status::fail(ENOENT, "VF not allocated");
	for (const auto &[id, owner] : p->vports)
		if (owner && *owner == vf.value)
			return Status::fail(EBUSY, "VF still has VPort " + std::to_string(id));
	v->allocated = false;
	v->serial = 0;
	v->mac = MacAddr{};
	commit();
	return Status::success();
}

Outcome<std::vector<std::uint8_t>> FakeKernel::config_read(const std::string &pf, VfIndex vf, std::uint32_t offset,
							   std::uint32_t len)
{
	using R = Outcome<std::vector<std::uint8_t>>;
	constexpr std::uint32_t cfg_size = 4096;
	if (find_vf(pf, vf) == nullptr)
		return R::fail(ENOENT, "unknown VF");
	if (len == 0 || len > cfg_size || offset >= cfg_size || offset + len > cfg_size)
		return R::fail(EINVAL, "range outside the 4096-byte config space");
	std::vector<std::uint8_t> space(cfg_size, 0);
	// 82576 VF: vendor 8086, device 10ca; VFs read 0xffff vendor in hardware,
	// the PF proxy reports the PF's vendor as Linux does.
	space[0] = 0x86;
	space[1] = 0x80;
	space[2] = 0xca;
	space[3] = 0x10;
	return R::of(std::vector<std::uint8_t>(space.begin() + offset, space.begin() + offset + len));
}

std::vector<VportInfo> FakeKernel::vports(const std::string &pf)
{
	std::vector<VportInfo> out;
	Pf *p = find_pf(pf);
	if (p == nullptr)
		return out;
	for (const auto &[id, vf] : p->vports)
		out.push_back({.id = VportId{id}, .vf = vf ? std::optional<VfIndex>(VfIndex{*vf}) : std::nullopt});
	return out;
}

Outcome<VportId> FakeKernel::vport_create(const std::string &pf, VfIndex vf)
{
	if (auto st = enter("vport_create"); !st.ok())
		return Outcome<VportId>::fail(st.err, st.msg);
	Pf *p = find_pf(pf);
	Vf *v = find_vf(pf, vf);
	if (p == nullptr || v == nullptr)
		return Outcome<VportId>::fail(ENOENT, "unknown VF");
	if (!v->allocated)
		return Outcome<VportId>::fail(EINVAL, "VPort on an unallocated VF");
	for (const auto &[id, owner] : p->vports)
		if (owner && *owner == vf.value)
			return Outcome<VportId>::fail(EEXIST, "VF already has VPort " + std::to_string(id));
	if (p->vports.size() >= pools_per_pf)
		return Outcome<VportId>::fail(ENOSPC, "all 8 VMDq pools of the 82576 are in use");
	const std::uint32_t id = p->next_vport++;
	p->vports[id] = vf.value;
	commit();
	return Outcome<VportId>::of(VportId{id});
}

Status FakeKernel::vport_delete(const std::string &pf, VportId id)
{
	if (auto st = enter("vport_delete"); !st.ok())
		return st;
	Pf *p = find_pf(pf);
	if (p == nullptr)
		return Status::fail(ENODEV, "no such PF");
	if (id.value == 0)
		return Status::fail(EPERM, "the default VPort cannot be deleted");
	if (!p->vports.contains(id.value))
		return Status::fail(ENOENT, "no such VPort");
	for (const auto &f : p->filters)
		if (f.vport == id)
			return Status::fail(EBUSY, "VPort still owns filters");
	p->vports.erase(id.value);
	commit();
	return Status::success();
}

std::vector<FilterInfo> FakeKernel::filters(const std::string &pf)
{
	Pf *p = find_pf(pf);
	return p == nullptr ? std::vector<FilterInfo>{} : p->filters;
}

Status FakeKernel::filter_add(const std::string &pf, VportId vport, const Filter &f)
{
	if (auto st = enter("filter_add"); !st.ok())
		return st;
	Pf *p = find_pf(pf);
	if (p == nullptr)
		return Status::fail(ENODEV, "no such PF");
	if (!p->vports.contains(vport.value))
		return Status::fail(ENOENT, "no such VPort");
	for (const auto &x : p->filters)
		if (x.filter == f)
			return Status::fail(EEXIST, "duplicate filter");
	p->filters.push_back({.filter = f, .vport = vport});
	commit();
	return Status::success();
}

Status FakeKernel::filter_del(const std::string &pf, VportId vport, const Filter &f)
{
	if (auto st = enter("filter_del"); !st.ok())
		return st;
	Pf *p = find_pf(pf);
	if (p == nullptr)
		return Status::fail(ENODEV, "no such PF");
	auto it = std::find_if(p->filters.begin(), p->filters.end(),
			       [&](const FilterInfo &x) { return x.filter == f && x.vport == vport; });
	if (it == p->filters.end())
		return Status::fail(ENOENT, "no such filter");
	p->filters.erase(it);
	commit();
	return Status::success();
}

Status FakeKernel::filters_move(const std::string &pf, VportId from, VportId to, const std::vector<Filter> &set)
{
	if (auto st = enter("filters_move"); !st.ok())
		return st;
	Pf *p = find_pf(pf);
	if (p == nullptr)
		return Status::fail(ENODEV, "no such PF");
	if (!p->vports.contains(to.value) || !p->vports.contains(from.value))
		return Status::fail(ENOENT, "no such VPort");
	for (const auto &f : set) {
		const bool found = std::any_of(p->filters.begin(), p->filters.end(), [&](const FilterInfo &x) {
			return x.filter == f && x.vport == from;
		});
		if (!found)
			return Status::fail(ENOENT, "filter " + f.mac.str() + " not on source VPort");
	}
	for (auto &x : p->filters)
		if (x.vport == from && std::find(set.begin(), set.end(), x.filter) != set.end())
			x.vport = to;
	requests_.push_back("filters_move " + pf + " " + std::to_string(from.value) + "->" + std::to_string(to.value));
	commit();
	return Status::success();
}

bool FakeKernel::netns_exists(const std::string &ns)
{
	return ns.empty() || netns_.contains(ns);
}

Status FakeKernel::netns_create(const std::string &ns)
{
	if (auto st = enter("netns_create"); !st.ok())
		return st;
	if (!netns_.insert(ns).second)
		return Status::fail(EEXIST, "netns exists");
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

Status FakeKernel::adapter_create(const std::string &partition, const std::string &ns, const std::string &pf,
				  const MacAddr &mac, std::uint64_t serial)
{
	if (auto st = enter("adapter_create"); !st.ok())
		return st;
	requests_.push_back("adapter_create " + partition + " serial=" + std::to_string(serial));
	if (adapters_.contains(partition))
		return Status::fail(EEXIST, "adapter exists");
	if (!netns_exists(ns))
		return Status::fail(ENOENT, "no such netns " + ns);
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
	adapters_[partition] = a;
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
	update_pairing();
	commit();
	return Status::success();
}

Status FakeKernel::adapter_delete(const std::string &partition)
{
	if (auto st = enter("adapter_delete"); !st.ok())
		return st;
	if (adapters_.erase(partition) == 0)
		return Status::fail(ENOENT, "no such adapter");
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
	commit();
	return Status::success();
}

void FakeKernel::unlock_port(const std::string &partition)
{
	if (auto it = adapters_.find(partition); it != adapters_.end())
		it->second.info.port_locked = false;
	commit();
}

Status FakeKernel::guard_apply(const std::vector<PortGuard> &ports)
{
	if (auto st = enter("guard_apply"); !st.ok())
		return st;
	std::string names;
	std::vector<guard::Port> gp;
	for (const auto &g : ports) {
		names += (names.empty() ? "" : ",") + g.partition;
		gp.push_back({.ifname = "syn-" + g.partition, .guard = g});
	}
	requests_.push_back("guard_apply [" + names + "]");
	guard_ = ports;
	guard_script_ = guard::script(gp);
	guard_present_ = true;
	commit();
	return Status::success();
}

Outcome<std::vector<PortGuard>> FakeKernel::guard_state()
{
	if (!guard_present_)
		return Outcome<std::vector<PortGuard>>::fail(ENOENT, "no table bridge sriovd");
	return Outcome<std::vector<PortGuard>>::of(guard_);
}

void FakeKernel::drop_guard()
{
	guard_present_ = false;
	guard_.clear();
	guard_script_.clear();
	commit();
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
