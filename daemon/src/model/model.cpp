// SPDX-License-Identifier: GPL-2.0
#include "model/model.hpp"

#include <nlohmann/json.hpp>

namespace sriov::model {

using json = nlohmann::json;

std::string_view to_string(VfState s)
{
	switch (s) {
	case VfState::free:
		return "free";
	case VfState::assigned:
		return "assigned";
	case VfState::reserved:
		return "reserved";
	case VfState::quarantined:
		return "quarantined";
	}
	return "unknown";
}

namespace {

VfState vf_state_from(const std::string &s)
{
	if (s == "assigned")
		return VfState::assigned;
	if (s == "reserved")
		return VfState::reserved;
	if (s == "quarantined")
		return VfState::quarantined;
	return VfState::free;
}

MacAddr mac_from(const json &j)
{
	return MacAddr::parse(j.get<std::string>()).value_or(MacAddr{});
}

Reason reason_from(const json &j)
{
	return reason_from_string(j.get<std::string>()).value_or(Reason::internal_error);
}

} // namespace

Partition *Model::partition(const std::string &name)
{
	auto it = partitions.find(name);
	return it == partitions.end() ? nullptr : &it->second;
}

Pf *Model::pf(const std::string &name)
{
	auto it = pfs.find(name);
	return it == pfs.end() ? nullptr : &it->second;
}

VfSlot *Model::slot(const std::string &pf_name, VfIndex vf)
{
	Pf *p = pf(pf_name);
	if (p == nullptr || vf.value >= p->vfs.size())
		return nullptr;
	return &p->vfs[vf.value];
}

std::optional<VfIndex> Model::free_vf(const std::string &pf_name) const
{
	auto it = pfs.find(pf_name);
	if (it == pfs.end())
		return std::nullopt;
	for (std::size_t i = 0; i < it->second.vfs.size(); ++i)
		if (it->second.vfs[i].state == VfState::free)
			return VfIndex{static_cast<std::uint32_t>(i)};
	return std::nullopt;
}

std::uint32_t Model::usable_vfs(const std::string &pf_name) const
{
	auto it = pfs.find(pf_name);
	if (it == pfs.end())
		return 0;
	std::uint32_t n = 0;
	for (const auto &s : it->second.vfs)
		if (s.state != VfState::quarantined)
			++n;
	return n;
}

json to_json(const Partition &p)
{
	json j{{"name", p.name},
	       {"netns", p.netns},
	       {"pf", p.pf},
	       {"mac", p.mac.str()},
	       {"vlan", p.vlan.value},
	       {"weight", p.weight},
	       {"ips", p.ips},
	       {"ifname", p.ifname},
	       {"container_id", p.container_id},
	       {"serial", p.serial},
	       {"adapter", p.adapter},
	       {"adapter_filter", p.adapter_filter},
	       {"want_vf", p.want_vf},
	       {"hold_until_mono", p.hold_until_mono},
	       {"attach_failures", p.attach_failures},
	       {"migrating_to", p.migrating_to},
	       {"last_reason", std::string(to_string(p.last_reason))}};
	if (p.vf) {
		const auto &a = *p.vf;
		j["vf"] = {{"pf", a.pf},
			   {"vf", a.vf.value},
			   {"serial", a.serial},
			   {"vport", a.vport ? json(a.vport->value) : json(nullptr)},
			   {"netdev", a.netdev},
			   {"in_child", a.in_child},
			   {"filters_on_vf", a.filters_on_vf},
			   {"kernel_failover", a.kernel_failover},
			   {"datapath", std::string(sriov::to_string(a.datapath))}};
	} else {
		j["vf"] = nullptr;
	}
	if (p.reservation)
		j["reservation"] = {{"pf", p.reservation->pf}, {"vf", p.reservation->vf.value}};
	else
		j["reservation"] = nullptr;
	return j;
}

json to_json(const Pf &p)
{
	json vfs = json::array();
	for (const auto &s : p.vfs)
		vfs.push_back({{"state", std::string(to_string(s.state))},
			       {"partition", s.partition},
			       {"reason", std::string(sriov::to_string(s.reason))}});
	return {{"netdev", p.netdev}, {"vfs", vfs}};
}

json to_json(const Model &m)
{
	json pfs = json::object();
	for (const auto &[name, p] : m.pfs)
		pfs[name] = to_json(p);
	json parts = json::object();
	for (const auto &[name, p] : m.partitions)
		parts[name] = to_json(p);
	return {{"pfs", pfs}, {"partitions", parts}};
}

Model model_from_json(const json &j)
{
	Model m;
	for (const auto &[name, jp] : j.at("pfs").items()) {
		Pf p{.name = name, .netdev = jp.at("netdev").get<std::string>(), .vfs = {}};
		for (const auto &js : jp.at("vfs"))
			p.vfs.push_back({.state = vf_state_from(js.at("state").get<std::string>()),
					 .partition = js.at("partition").get<std::string>(),
					 .reason = reason_from(js.at("reason"))});
		m.pfs[name] = std::move(p);
	}
	for (const auto &[name, jp] : j.at("partitions").items()) {
		Partition p;
		p.name = name;
		p.netns = jp.at("netns").get<std::string>();
		p.pf = jp.at("pf").get<std::string>();
		p.mac = mac_from(jp.at("mac"));
		p.vlan = VlanId{jp.at("vlan").get<std::uint16_t>()};
		p.weight = jp.at("weight").get<std::uint32_t>();
		p.serial = jp.value("serial", std::uint64_t{0});
		if (jp.contains("ips")) // journals written before the addresses
			p.ips = jp.at("ips").get<std::vector<std::string>>();
		// journals written before either existed: nv0, no container
		p.ifname = jp.value("ifname", std::string("nv0"));
		p.container_id = jp.value("container_id", std::string());
		p.adapter = jp.at("adapter").get<bool>();
		p.adapter_filter = jp.at("adapter_filter").get<bool>();
		p.want_vf = jp.at("want_vf").get<bool>();
		p.hold_until_mono = jp.at("hold_until_mono").get<std::int64_t>();
		p.attach_failures = jp.at("attach_failures").get<std::uint32_t>();
		p.migrating_to = jp.at("migrating_to").get<std::string>();
		p.last_reason = reason_from(jp.at("last_reason"));
		if (!jp.at("vf").is_null()) {
			const auto &ja = jp.at("vf");
			Assignment a;
			a.pf = ja.at("pf").get<std::string>();
			a.vf = VfIndex{ja.at("vf").get<std::uint32_t>()};
			a.serial = ja.at("serial").get<std::uint64_t>();
			if (!ja.at("vport").is_null())
				a.vport = VportId{ja.at("vport").get<std::uint32_t>()};
			a.netdev = ja.at("netdev").get<std::string>();
			a.in_child = ja.at("in_child").get<bool>();
			a.filters_on_vf = ja.at("filters_on_vf").get<bool>();
			a.kernel_failover = ja.value("kernel_failover", false); // older journals
			a.datapath = ja.at("datapath").get<std::string>() == "vf" ? Datapath::vf : Datapath::synthetic;
			p.vf = a;
		}
		if (!jp.at("reservation").is_null())
			p.reservation = Reservation{.pf = jp.at("reservation").at("pf").get<std::string>(),
						    .vf = VfIndex{jp.at("reservation").at("vf").get<std::uint32_t>()}};
		m.partitions[name] = std::move(p);
	}
	return m;
}

} // namespace sriov::model
