// SPDX-License-Identifier: GPL-2.0
// FakeKernel: the state as JSON (configure, dump, load, commit).
#include "kernel/fake_kernel.hpp"

#include "common/text.hpp"
#include "store/atomic_file.hpp"

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

} // namespace sriov
