// SPDX-License-Identifier: GPL-2.0
// FakeKernel: the state as JSON (configure, dump) and its state file
// (load, commit): a snapshot of state_doc() and a record per mutating call.
#include "kernel/fake_kernel.hpp"

#include "common/text.hpp"
#include "kernel/switch_guard.hpp"

#include <algorithm>
#include <cerrno>
#include <nlohmann/json.hpp>

namespace sriov {

using json = nlohmann::json;

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
	if (cfg.contains("netns_add")) {
		auto st = netns_create(cfg.at("netns_add").get<std::string>());
		if (!st.ok() && st.err != EEXIST)
			return st;
	}
	if (cfg.contains("netns_del"))
		netns_delete(cfg.at("netns_del").get<std::string>());
	if (cfg.contains("vf_back")) {
		const auto &s = cfg.at("vf_back");
		vf_back(s.at("pf").get<std::string>(), VfIndex{s.at("vf").get<std::uint32_t>()});
	}
	return Status::success();
}

json FakeKernel::pf_json(const std::string &name, const Pf &p, bool in_switch)
{
	(void)name;
	json jp;
	jp["netdev"] = p.netdev;
	jp["total_vfs"] = p.total_vfs;
	jp["num_vfs"] = p.num_vfs;
	jp["next_vport"] = p.next_vport;
	jp["next_filter"] = p.next_filter;
	jp["unplugged"] = p.unplugged;
	jp["in_switch"] = in_switch;
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
	return jp;
}

namespace {

json filter_json(const FilterInfo &f)
{
	return {{"mac", f.filter.mac.str()}, {"vlan", f.filter.vlan.value}, {"vport", f.vport.value}};
}

json guard_json(const PortGuard &g)
{
	return {{"partition", g.partition}, {"mac", g.mac.str()}, {"ips", g.ips}};
}

} // namespace

json FakeKernel::adapter_json(const Adapter &a)
{
	return {{"netns", a.info.netns},
		{"ifname", a.ifname},
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
		{"up", a.info.up},
		{"dp_pending", a.info.dp_pending ? json(std::string(to_string(*a.info.dp_pending))) : json(nullptr)},
		{"dp_seq", a.info.dp_seq},
		{"want", std::string(to_string(a.want))},
		{"released", a.released}};
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
		json jp = pf_json(name, p, !pf_out_of_switch_.contains(name));
		json fl = json::array();
		for (const auto &[id, f] : p.filters)
			fl.push_back(filter_json(f));
		jp["filters"] = fl;
		pfs[name] = jp;
	}
	j["pfs"] = pfs;
	json ads = json::object();
	for (const auto &[name, a] : adapters_)
		ads[name] = adapter_json(a);
	j["adapters"] = ads;
	json gp = json::array();
	for (const auto &[name, g] : guard_)
		gp.push_back(guard_json(g));
	j["guard"] = {{"present", guard_present_}, {"ports", gp}, {"script", guard_script()}};
	return j;
}

// The state file's document: dump() keyed for records (filters by id,
// guard ports and namespaces by name), without what is derived.
json FakeKernel::state_doc() const
{
	json j;
	j["version"] = 1;
	j["pairing"] = pairing_;
	j["release_ignored"] = release_ignored_;
	j["delay_ms"] = delay_ms_;
	json ns = json::object();
	for (const auto &n : netns_)
		ns[n] = true;
	j["netns"] = ns;
	json faults = json::object();
	for (const auto &[op, f] : faults_)
		faults[op] = {{"errno", f.err}, {"count", f.count}};
	j["faults"] = faults;
	json pfs = json::object();
	json filters = json::object();
	for (const auto &[name, p] : pfs_) {
		pfs[name] = pf_json(name, p, !pf_out_of_switch_.contains(name));
		json fl = json::object();
		for (const auto &[id, f] : p.filters)
			fl[std::to_string(id)] = filter_json(f);
		filters[name] = fl;
	}
	j["pfs"] = pfs;
	j["filters"] = filters;
	json ads = json::object();
	for (const auto &[name, a] : adapters_)
		ads[name] = adapter_json(a);
	j["adapters"] = ads;
	json gp = json::object();
	for (const auto &[name, g] : guard_)
		gp[name] = guard_json(g);
	j["guard"] = {{"present", guard_present_}, {"ports", gp}};
	return j;
}

void FakeKernel::load()
{
	const auto doc = store_->load();
	if (!doc)
		return;
	const json &j = *doc;
	pairing_ = j.value("pairing", true);
	release_ignored_ = j.value("release_ignored", false);
	delay_ms_ = j.value("delay_ms", 0);
	for (const auto &[n, v] : j.at("netns").items())
		netns_.insert(n);
	for (const auto &[op, f] : j.at("faults").items())
		faults_[op] = Fault{.err = f.at("errno").get<int>(), .count = f.at("count").get<int>()};
	for (const auto &[name, jp] : j.at("pfs").items()) {
		Pf p;
		p.netdev = jp.at("netdev").get<std::string>();
		p.total_vfs = jp.at("total_vfs").get<std::uint32_t>();
		p.num_vfs = jp.at("num_vfs").get<std::uint32_t>();
		p.next_vport = jp.at("next_vport").get<std::uint32_t>();
		p.next_filter = jp.at("next_filter").get<std::uint32_t>();
		p.unplugged = jp.at("unplugged").get<bool>();
		if (!jp.at("in_switch").get<bool>())
			pf_out_of_switch_.insert(name);
		for (const auto &jv : jp.at("vfs"))
			p.vfs.push_back(Vf{.present = jv.at("present").get<bool>(),
					   .allocated = jv.at("allocated").get<bool>(),
					   .serial = jv.at("serial").get<std::uint64_t>(),
					   .mac = MacAddr::parse(jv.at("mac").get<std::string>()).value_or(MacAddr{}),
					   .netdev = jv.at("netdev").get<std::string>(),
					   .netns = jv.at("netns").get<std::string>(),
					   .resets = jv.at("resets").get<unsigned>(),
					   .ifindex = jv.at("ifindex").get<std::uint32_t>(),
					   .netdev_mac = std::nullopt,
					   .down = jv.at("down").get<bool>(),
					   .unbound = jv.at("unbound").get<bool>()});
		for (const auto &jv : jp.at("vports")) {
			std::optional<std::uint32_t> vf;
			if (!jv.at("vf").is_null())
				vf = jv.at("vf").get<std::uint32_t>();
			p.vports[jv.at("id").get<std::uint32_t>()] = vf;
		}
		if (j.contains("filters") && j.at("filters").contains(name))
			for (const auto &[id, jf] : j.at("filters").at(name).items()) {
				const auto fid = static_cast<std::uint32_t>(std::stoul(id));
				const FilterInfo f{
					.filter = {.mac = MacAddr::parse(jf.at("mac").get<std::string>()).value_or(MacAddr{}),
						   .vlan = VlanId{jf.at("vlan").get<std::uint16_t>()}},
					.vport = VportId{jf.at("vport").get<std::uint32_t>()}};
				p.filters[fid] = f;
				p.filter_ids[f.filter] = fid;
				p.vport_filters[f.vport.value].insert(fid);
			}
		for (const auto &v : p.vfs)
			next_ifindex_ = std::max(next_ifindex_, v.ifindex + 1);
		pfs_[name] = std::move(p);
	}
	for (const auto &[name, ja] : j.at("adapters").items()) {
		Adapter a;
		a.info.partition = name;
		a.info.netns = ja.at("netns").get<std::string>();
		a.ifname = ja.value("ifname", std::string("nv0"));
		a.info.pf = ja.at("pf").get<std::string>();
		a.info.host_port = ja.at("host_port").get<std::string>();
		a.info.mac = MacAddr::parse(ja.at("mac").get<std::string>()).value_or(MacAddr{});
		a.info.paired_vf = ja.at("paired_vf").get<std::string>();
		a.info.paired_vf_ifindex = ja.at("paired_vf_ifindex").get<std::uint32_t>();
		a.info.serial = ja.at("serial").get<std::uint64_t>();
		a.info.datapath = ja.at("datapath").get<std::string>() == "vf" ? Datapath::vf : Datapath::synthetic;
		a.info.port_locked = ja.at("port_locked").get<bool>();
		a.info.flood = ja.at("flood").get<bool>();
		a.info.auto_ack = ja.at("auto_ack").get<bool>();
		a.info.up = ja.value("up", true);
		if (!ja.at("dp_pending").is_null())
			a.info.dp_pending = ja.at("dp_pending").get<std::string>() == "vf" ? Datapath::vf : Datapath::synthetic;
		a.info.dp_seq = ja.at("dp_seq").get<std::uint32_t>();
		a.want = ja.at("want").get<std::string>() == "vf" ? Datapath::vf : Datapath::synthetic;
		a.released = ja.at("released").get<bool>();
		adapters_by_ns_[a.info.netns].insert(name);
		if (a.info.paired_vf_ifindex != 0 || a.released)
			pair_watch_.insert(name);
		adapters_[name] = a;
	}
	const auto &jg = j.at("guard");
	guard_present_ = jg.at("present").get<bool>();
	for (const auto &[name, g] : jg.at("ports").items())
		guard_[name] = {.partition = name,
				.mac = MacAddr::parse(g.at("mac").get<std::string>()).value_or(MacAddr{}),
				.ips = g.at("ips").get<std::vector<std::string>>()};
	// the next commit is a snapshot: it also cuts off a torn record
	dirty_all_ = true;
}

void FakeKernel::commit()
{
	auto clear = [&] {
		dirty_adapters_.clear();
		dirty_netns_.clear();
		dirty_faults_.clear();
		dirty_filters_.clear();
		dirty_filter_pfs_.clear();
		dirty_guard_.clear();
		dirty_guard_all_ = false;
	};
	if (!store_) {
		clear();
		return;
	}
	// the small parts (flags, each PF without its filters): compared
	std::map<std::string, json> small;
	small["/pairing"] = pairing_;
	small["/release_ignored"] = release_ignored_;
	small["/delay_ms"] = delay_ms_;
	small["/guard/present"] = guard_present_;
	for (const auto &[name, p] : pfs_)
		small[store::pointer({"pfs", name})] = pf_json(name, p, !pf_out_of_switch_.contains(name));
	if (dirty_all_ || store_->snapshot_due()) {
		clear();
		dirty_all_ = false;
		written_.clear();
		for (const auto &[ptr, v] : small)
			written_[ptr] = text::dump_json(v);
		if (store_->save(state_doc()) != 0)
			dirty_all_ = true;
		return;
	}
	store::Changes c;
	for (auto &[ptr, v] : small) {
		std::string text = text::dump_json(v);
		auto &w = written_[ptr];
		if (w != text) {
			w = std::move(text);
			c.put.emplace_back(ptr, std::move(v));
		}
	}
	for (const auto &n : dirty_adapters_) {
		const auto ptr = store::pointer({"adapters", n});
		if (auto it = adapters_.find(n); it != adapters_.end())
			c.put.emplace_back(ptr, adapter_json(it->second));
		else
			c.del.push_back(ptr);
	}
	for (const auto &n : dirty_netns_)
		if (netns_.contains(n))
			c.put.emplace_back(store::pointer({"netns", n}), true);
		else
			c.del.push_back(store::pointer({"netns", n}));
	for (const auto &op : dirty_faults_) {
		const auto ptr = store::pointer({"faults", op});
		if (auto it = faults_.find(op); it != faults_.end())
			c.put.emplace_back(ptr, json{{"errno", it->second.err}, {"count", it->second.count}});
		else
			c.del.push_back(ptr);
	}
	for (const auto &pf : dirty_filter_pfs_) {
		json fl = json::object();
		if (auto it = pfs_.find(pf); it != pfs_.end())
			for (const auto &[id, f] : it->second.filters)
				fl[std::to_string(id)] = filter_json(f);
		c.put.emplace_back(store::pointer({"filters", pf}), std::move(fl));
	}
	for (const auto &[pf, ids] : dirty_filters_) {
		if (dirty_filter_pfs_.contains(pf))
			continue;
		const auto it = pfs_.find(pf);
		for (const auto id : ids) {
			const auto ptr = store::pointer({"filters", pf, std::to_string(id)});
			const FilterInfo *f = nullptr;
			if (it != pfs_.end())
				if (auto fi = it->second.filters.find(id); fi != it->second.filters.end())
					f = &fi->second;
			if (f != nullptr)
				c.put.emplace_back(ptr, filter_json(*f));
			else
				c.del.push_back(ptr);
		}
	}
	if (dirty_guard_all_) {
		json gp = json::object();
		for (const auto &[name, g] : guard_)
			gp[name] = guard_json(g);
		c.put.emplace_back("/guard/ports", std::move(gp));
	} else {
		for (const auto &n : dirty_guard_) {
			const auto ptr = store::pointer({"guard", "ports", n});
			if (auto it = guard_.find(n); it != guard_.end())
				c.put.emplace_back(ptr, guard_json(it->second));
			else
				c.del.push_back(ptr);
		}
	}
	clear();
	if (c.empty())
		return;
	if (store_->append(c) != 0)
		dirty_all_ = true; // the next commit writes it all
}

} // namespace sriov
