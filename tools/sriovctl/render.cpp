// SPDX-License-Identifier: GPL-2.0
#include "render.hpp"

#include <algorithm>
#include <array>
#include <ctime>

namespace sriovctl {

using json = nlohmann::json;

namespace {

std::string s(const json &j, const char *key, const std::string &def = "-")
{
	if (!j.contains(key) || j.at(key).is_null())
		return def;
	const auto &v = j.at(key);
	if (v.is_string())
		return v.get<std::string>().empty() ? def : v.get<std::string>();
	if (v.is_boolean())
		return v.get<bool>() ? "yes" : "no";
	return v.dump();
}

std::string partition_state(const json &p)
{
	if (!p.value("migrating_to", "").empty())
		return "migrating->" + p.at("migrating_to").get<std::string>();
	if (p.value("want_vf", false) && p.at("vf").is_null())
		return "waiting-for-vf";
	return p.value("busy", false) ? "busy" : "idle";
}

} // namespace

std::string iso_time(std::int64_t ms)
{
	if (ms < 0)
		ms = 0;
	const std::time_t t = ms / 1000;
	std::tm tm{};
	::gmtime_r(&t, &tm);
	std::array<char, 32> buf{};
	(void)std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%S", &tm);
	const std::string frac = std::to_string(1000 + ms % 1000).substr(1);
	return std::string(buf.data()) + "." + frac + "Z";
}

void Table::print(std::ostream &o) const
{
	std::vector<std::size_t> w;
	for (const auto &r : rows_)
		for (std::size_t i = 0; i < r.size(); ++i) {
			if (w.size() <= i)
				w.push_back(0);
			w[i] = std::max(w[i], r[i].size());
		}
	for (const auto &r : rows_) {
		std::string line;
		for (std::size_t i = 0; i < r.size(); ++i) {
			line += r[i];
			if (i + 1 < r.size())
				line += std::string(w[i] - r[i].size() + 2, ' ');
		}
		o << line << "\n";
	}
}

void render_partitions(std::ostream &o, const json &parts)
{
	Table t({"PARTITION", "NETNS", "PF", "MAC", "IPS", "WEIGHT", "VF", "DATAPATH", "STATE", "LAST"});
	for (const auto &p : parts) {
		std::string vf = "-";
		std::string dp = "synthetic";
		if (!p.at("vf").is_null()) {
			vf = std::to_string(p.at("vf").at("vf").get<int>());
			dp = p.at("vf").at("datapath").get<std::string>();
		}
		const std::string state = partition_state(p);
		std::string ips;
		for (const auto &ip : p.value("ips", json::array()))
			ips += (ips.empty() ? "" : ",") + ip.get<std::string>();
		t.add({s(p, "name"), s(p, "netns"), s(p, "pf"), s(p, "mac"), ips.empty() ? "-" : ips, s(p, "weight"),
		       vf, dp, state,
		       s(p, "last_reason")});
	}
	t.print(o);
}

void render_partition(std::ostream &o, const json &p)
{
	for (const char *k : {"name", "netns", "pf", "mac", "vlan", "weight", "serial", "last_reason"})
		o << k << ": " << s(p, k) << "\n";
	std::string ips;
	for (const auto &ip : p.value("ips", json::array()))
		ips += (ips.empty() ? "" : " ") + ip.get<std::string>();
	o << "ips: " << (ips.empty() ? "-" : ips) << "\n";
	// an older sriovd reports neither
	if (p.contains("ifname"))
		o << "ifname: " << s(p, "ifname") << "\n";
	if (!p.value("container_id", std::string()).empty())
		o << "container: " << s(p, "container_id") << "\n";
	if (p.contains("vf") && !p.at("vf").is_null())
		o << "vf: " << s(p.at("vf"), "pf") << " " << s(p.at("vf"), "vf") << " ("
		  << s(p.at("vf"), "datapath") << ")\n";
	else
		o << "vf: -\n";
}

void render_status(std::ostream &o, const json &st)
{
	// DEFAULT-MAC: MAC filters on the default VPort (the partitions on
	// the synthetic path) / the switch's limit; RAR-FREE: exact entries
	// free for VF VPorts / their number ("-": not reported)
	Table pfs({"PF", "NETDEV", "VFS", "FREE", "ASSIGNED", "RESERVED", "QUARANTINED", "DEFAULT-MAC", "RAR-FREE"});
	for (const auto &pf : st.at("pfs")) {
		std::array<int, 4> counts{};
		for (const auto &v : pf.at("vfs")) {
			const auto state = v.at("state").get<std::string>();
			counts.at(state == "free" ? 0 : state == "assigned" ? 1 : state == "reserved" ? 2 : 3)++;
		}
		std::string dmac = "-";
		std::string rar = "-";
		if (pf.contains("switch")) {
			const auto &sw = pf.at("switch");
			dmac = s(sw, "default_mac_filters") + "/" + s(sw, "default_mac_filters_max");
			rar = s(sw, "mac_filters_free") + "/" + s(sw, "mac_filters_max");
		}
		pfs.add({s(pf, "name"), s(pf, "netdev"), std::to_string(pf.at("vfs").size()), std::to_string(counts[0]),
			 std::to_string(counts[1]), std::to_string(counts[2]), std::to_string(counts[3]), dmac, rar});
	}
	pfs.print(o);
	o << "\n";
	render_partitions(o, st.at("partitions"));
	if (!st.at("sequences").empty()) {
		o << "\n";
		Table seqs({"SEQ", "KIND", "PARTITION", "STEP", "ROLLBACK", "STARTED"});
		for (const auto &r : st.at("sequences")) {
			const auto cur = r.at("cursor").get<std::size_t>();
			const auto &steps = r.at("steps");
			const std::string step = cur < steps.size() ? steps.at(cur).get<std::string>() : "-";
			seqs.add({s(r, "id"), s(r, "kind"), s(r, "partition"),
				  r.value("parked", false) ? step + " (PARKED)" : step, s(r, "rolling_back"),
				  iso_time(r.value("start_ms", std::int64_t{0}))});
		}
		seqs.print(o);
	}
}

void render_vfs(std::ostream &o, const json &vfs)
{
	Table t({"PF", "VF", "STATE", "PARTITION", "NETDEV", "NETNS", "MAC", "NOTE"});
	for (const auto &v : vfs)
		t.add({s(v, "pf"), s(v, "vf"), s(v, "state"), s(v, "partition"), s(v, "netdev"), s(v, "netns", "host"),
		       s(v, "mac"), v.value("reason", "ok") == "ok" ? "-" : s(v, "reason")});
	t.print(o);
}

void render_event(std::ostream &o, const json &ev, bool phases)
{
	const std::string type = ev.value("type", "?");
	o << iso_time(ev.value("time_ms", std::int64_t{0})) << "  #" << ev.value("id", 0) << "  ";
	if (type == "sequence") {
		o << "seq " << ev.at("seq") << " " << ev.at("kind").get<std::string>() << " "
		  << ev.at("partition").get<std::string>() << ": " << ev.at("result").get<std::string>();
		if (ev.at("reason") != "ok")
			o << " (" << ev.at("reason").get<std::string>() << ": " << ev.at("detail").get<std::string>() << ")";
		if (ev.at("cause") != "ok")
			o << " cause=" << ev.at("cause").get<std::string>();
		o << " " << ev.at("duration_ms") << " ms\n";
		if (phases)
			for (const auto &p : ev.at("phases")) {
				o << "      " << p.at("step").get<std::string>() << "  " << p.at("duration_ms") << " ms  "
				  << p.at("result").get<std::string>();
				if (!p.at("detail").get<std::string>().empty())
					o << "  " << p.at("detail").get<std::string>();
				o << "\n";
			}
	} else if (type == "kernel") {
		o << "kernel " << ev.value("event", "?") << " pf=" << s(ev, "pf") << " vf=" << s(ev, "vf")
		  << " partition=" << s(ev, "partition") << " " << s(ev, "detail", "") << "\n";
	} else {
		o << type << " " << ev.dump() << "\n";
	}
}

void render_step(std::ostream &o, const json &step)
{
	o << iso_time(step.value("end_ms", std::int64_t{0})) << "  " << s(step, "step") << "  "
	  << step.value("duration_ms", std::int64_t{0}) << " ms  " << s(step, "result");
	if (!step.value("detail", "").empty())
		o << "  " << step.at("detail").get<std::string>();
	o << "\n";
}

void render_show(std::ostream &o, const json &r)
{
	const auto &p = r.at("partition");
	render_partition(o, p);
	o << "state: " << partition_state(p) << "\n";
	const auto &q = r.at("sequence");
	if (q.is_null()) {
		o << "sequence: -\n";
	} else {
		const auto cur = q.at("cursor").get<std::size_t>();
		const auto &steps = q.at("steps");
		o << "sequence: " << s(q, "id") << " " << s(q, "kind") << (q.value("rolling_back", false) ? " (rolling back)" : "")
		  << (q.value("parked", false) ? " (PARKED: sriovctl sequence resume|discard)" : "")
		  << ", step " << std::min(cur + 1, steps.size()) << "/" << steps.size() << " "
		  << (cur < steps.size() ? steps.at(cur).get<std::string>() : "-") << ", started "
		  << iso_time(q.value("start_ms", std::int64_t{0})) << "\n";
	}
	const auto &l = r.at("last");
	if (l.is_null()) {
		o << "last: -\n";
	} else {
		o << "last: " << s(l, "seq") << " " << s(l, "kind") << " " << s(l, "result");
		if (l.value("reason", "ok") != "ok")
			o << " (" << s(l, "reason") << ")";
		o << ", ended " << iso_time(l.value("end_ms", std::int64_t{0})) << ", "
		  << l.value("duration_ms", std::int64_t{0}) << " ms\n";
	}
}

void render_audit(std::ostream &o, const json &a)
{
	if (!a.at("idle").get<bool>()) {
		o << "sequences are running; audit again when idle\n";
		return;
	}
	if (a.at("consistent").get<bool>()) {
		o << "consistent: the model matches the kernel's dumps\n";
		return;
	}
	for (const auto &p : a.at("problems"))
		o << "MISMATCH: " << p.get<std::string>() << "\n";
}

} // namespace sriovctl
