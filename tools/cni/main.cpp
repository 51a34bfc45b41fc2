// SPDX-License-Identifier: GPL-2.0
// sriov-netvsc: a CNI plugin whose interfaces are sriovd partitions.
//
// ADD asks sriovd for a partition in the container's namespace (its
// adapter named CNI_IFNAME, the synthetic path first) and then for a VF;
// DEL asks sriovd to tear the partition down; CHECK compares it with
// what the runtime was told and with sriovd's audit.  sriovd stays the
// only owner of VFs, VPorts, filters and adapters: the one thing the
// plugin does in the kernel is what every CNI plugin does, configure the
// interface it returns (up, the IPAM addresses and routes) inside the
// namespace the runtime gave it (ifconf.cpp).  Documentation/cni.rst.
#include "cni.hpp"
#include "delegate.hpp"
#include "ifconf.hpp"

#include "client.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using json = nlohmann::json;
using cni::Error;

constexpr const char *default_socket = "/run/sriovd/sriovd.sock";

/// The plugin's own fields of the network configuration.
struct Conf {
	cni::NetConf net;
	std::string socket{default_socket};
	std::string pf;             ///< "" = the PF with the most free VFs
	std::string mac;            ///< "" = derived from the container id and interface
	std::int64_t vlan{0};
	std::int64_t weight{100};
	bool vf{true};              ///< ask for a VF at ADD
	std::int64_t timeout_s{60}; ///< bound of every sriovd request and IPAM run
	json ipam;                  ///< null: no IPAM
};

Conf parse_conf(const std::string &text)
{
	Conf c;
	c.net = cni::parse_netconf(text);
	const json &j = c.net.raw;
	auto str = [&](const char *key, std::string &out) {
		if (!j.contains(key))
			return;
		if (!j.at(key).is_string())
			throw Error(cni::invalid_config, std::string("\"") + key + "\" must be a string");
		out = j.at(key).get<std::string>();
	};
	auto num = [&](const char *key, std::int64_t &out, std::int64_t lo, std::int64_t hi) {
		if (!j.contains(key))
			return;
		if (!j.at(key).is_number_integer() || j.at(key).get<std::int64_t>() < lo || j.at(key).get<std::int64_t>() > hi)
			throw Error(cni::invalid_config, std::string("\"") + key + "\" must be an integer " +
								 std::to_string(lo) + ".." + std::to_string(hi));
		out = j.at(key).get<std::int64_t>();
	};
	str("socket", c.socket);
	str("pf", c.pf);
	str("mac", c.mac);
	constexpr std::int64_t vlan_max = 4094;
	constexpr std::int64_t weight_max = 100;
	constexpr std::int64_t timeout_max = 3600;
	num("vlan", c.vlan, 0, vlan_max);
	num("weight", c.weight, 0, weight_max);
	num("timeout", c.timeout_s, 1, timeout_max);
	if (j.contains("vf")) {
		if (!j.at("vf").is_boolean())
			throw Error(cni::invalid_config, "\"vf\" must be true or false");
		c.vf = j.at("vf").get<bool>();
	}
	// the "mac" capability: a runtime's choice wins over the configuration's
	if (j.contains("runtimeConfig") && j.at("runtimeConfig").is_object() && j.at("runtimeConfig").contains("mac")) {
		if (!j.at("runtimeConfig").at("mac").is_string())
			throw Error(cni::invalid_config, "runtimeConfig \"mac\" must be a string");
		c.mac = j.at("runtimeConfig").at("mac").get<std::string>();
	}
	if (j.contains("ipam")) {
		const auto &ip = j.at("ipam");
		if (!ip.is_object())
			throw Error(cni::invalid_config, "\"ipam\" must be an object");
		if (!ip.empty()) {
			if (!ip.contains("type") || !ip.at("type").is_string())
				throw Error(cni::invalid_config, R"("ipam" needs a string "type")");
			c.ipam = ip;
		}
	}
	if (!c.mac.empty()) {
		// aa:bb:cc:dd:ee:ff, lower case for sriovd and the result
		std::string m = c.mac;
		std::transform(m.begin(), m.end(), m.begin(), [](unsigned char ch) { return std::tolower(ch); });
		const bool shape = m.size() == 17 && std::all_of(m.begin(), m.end(), [i = 0](char ch) mutable {
					   const bool colon = (i++ % 3) == 2;
					   return colon ? ch == ':' : std::isxdigit(static_cast<unsigned char>(ch)) != 0;
				   });
		if (!shape)
			throw Error(cni::invalid_config, "\"mac\" '" + c.mac + "' is not a MAC address (02:00:00:00:00:01)");
		c.mac = m;
	}
	return c;
}

/// sriovd's control socket, one connection per plugin run.
class Sriovd {
public:
	Sriovd(const std::string &path, std::int64_t timeout_s) : path_(path), timeout_ms_(static_cast<int>(timeout_s * 1000))
	{
		if (!client_.connect(path))
			throw Error(client_.err() == sriovctl::ClientError::permission ? cni::io_failure : cni::try_again_later,
				    "sriovd is not reachable: " + client_.msg(),
				    "is sriovd running, and is \"socket\" (default " + std::string(default_socket) +
					    ") its --socket?");
	}

	/// One request; its response document ({"ok": ...}).  A transport
	/// failure (sriovd went away, no answer in time) throws.
	json call(const std::string &cmd, const json &args)
	{
		auto r = client_.call(cmd, args, timeout_ms_);
		if (!r)
			throw Error(cni::try_again_later, "sriovd " + cmd + ": " + client_.msg());
		return *r;
	}

	/// The result of a request that must succeed.
	json need(const std::string &cmd, const json &args)
	{
		json r = call(cmd, args);
		if (!r.value("ok", false))
			throw refused(cmd, r);
		return r.at("result");
	}

	static Error refused(const std::string &cmd, const json &r)
	{
		const json e = r.value("error", json::object());
		const std::string code = e.value("code", "");
		return {code == "unknown_pf" ? cni::invalid_config : cni::sriovd_refused,
			"sriovd " + cmd + ": " + code + ": " + e.value("message", ""), e.value("hint", "")};
	}

	[[nodiscard]] const std::string &path() const { return path_; }

private:
	std::string path_;
	int timeout_ms_;
	sriovctl::Client client_;
};

/// FNV-1a, 64 bits: names and MACs derived from (container, interface)
/// are the same at every retry.
std::uint64_t fnv1a(const std::string &s)
{
	constexpr std::uint64_t basis = 14695981039346656037ULL;
	constexpr std::uint64_t prime = 1099511628211ULL;
	std::uint64_t h = basis;
	for (const unsigned char ch : s) {
		h ^= ch;
		h *= prime;
	}
	return h;
}

std::string hex(std::uint64_t v, int digits)
{
	std::string out(static_cast<std::size_t>(digits), '0');
	for (int i = digits - 1; i >= 0; --i, v >>= 4U)
		out[static_cast<std::size_t>(i)] = "0123456789abcdef"[v & 0xfU];
	return out;
}

/// The partition of (container, interface): up to 14 characters of the
/// container id, then a hash of both (sriovd's names are 1-32 characters).
std::string partition_name(const cni::Env &env)
{
	constexpr std::size_t prefix = 14;
	return env.container_id.substr(0, prefix) + "-" + hex(fnv1a(env.container_id + "/" + env.ifname), 8);
}

/// A locally administered unicast MAC from (container, interface, attempt).
std::string derived_mac(const cni::Env &env, int attempt)
{
	const std::uint64_t h = fnv1a(env.container_id + "/" + env.ifname + "/" + std::to_string(attempt));
	std::string m = "02";
	for (int i = 0; i < 5; ++i)
		m += ":" + hex(h >> (8U * static_cast<unsigned>(i)), 2);
	return m;
}

/// The partition sriovd holds for (container, interface), if any.
std::optional<json> find_partition(Sriovd &d, const cni::Env &env)
{
	for (const auto &p : d.need("list", json::object()))
		if (p.value("container_id", "") == env.container_id && p.value("ifname", "") == env.ifname)
			return p;
	return std::nullopt;
}

std::string pick_pf(Sriovd &d)
{
	const json st = d.need("status", json::object());
	std::string best;
	std::size_t best_free = 0;
	for (const auto &pf : st.at("pfs")) {
		const auto &vfs = pf.at("vfs");
		const auto free = static_cast<std::size_t>(
			std::count_if(vfs.begin(), vfs.end(), [](const json &v) { return v.value("state", "") == "free"; }));
		if (best.empty() || free > best_free) {
			best = pf.at("name").get<std::string>();
			best_free = free;
		}
	}
	if (best.empty())
		throw Error(cni::sriovd_refused, "sriovd manages no PF", "`sriovctl status` lists the PFs");
	return best;
}

std::string strip_prefix(const std::string &cidr)
{
	return cidr.substr(0, cidr.find('/'));
}

/// Undo on the way out of a failed ADD unless dismissed.
class Undo {
public:
	Undo() = default;
	Undo(const Undo &) = delete;
	Undo &operator=(const Undo &) = delete;
	Undo(Undo &&) = delete;
	Undo &operator=(Undo &&) = delete;
	~Undo()
	{
		while (!fns_.empty()) {
			const std::function<void()> fn = std::move(fns_.back());
			fns_.pop_back();
			try {
				fn();
			} catch (const std::exception &e) {
				std::cerr << "sriov-netvsc: cleanup after a failed ADD: " << e.what() << "\n";
			}
		}
	}
	void push(std::function<void()> fn) { fns_.push_back(std::move(fn)); }
	void dismiss() { fns_.clear(); }

private:
	std::vector<std::function<void()>> fns_;
};

/// The adapter's configuration in the container from an IPAM result (or
/// a prevResult): its addresses with their gateways, and the routes.
cni::IfConf iface_conf(const cni::Env &env, const std::string &mac, const json &result)
{
	cni::IfConf ic{env.netns, env.ifname, mac, {}, {}, {}};
	for (const auto &ip : result.value("ips", json::array())) {
		ic.addresses.push_back(ip.at("address").get<std::string>());
		ic.gateways.push_back(ip.value("gateway", ""));
	}
	for (const auto &r : result.value("routes", json::array()))
		ic.routes.push_back({r.at("dst").get<std::string>(), r.value("gw", "")});
	return ic;
}

std::chrono::milliseconds timeout_of(const Conf &c)
{
	return std::chrono::seconds(c.timeout_s);
}

json ipam_run(const Conf &c, const cni::Env &env, const std::string &command, const std::string &stdin_text)
{
	const std::string exe = cni::find_plugin(c.ipam.at("type").get<std::string>(), env.path);
	return cni::run_plugin(exe, command, stdin_text, timeout_of(c));
}

/// Remove @name, waiting out a sequence that runs on it (bounded).
void remove_partition(Sriovd &d, const std::string &name, std::int64_t timeout_s)
{
	const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
	for (;;) {
		const json r = d.call("partition-remove", {{"partition", name}, {"wait", true}});
		if (r.value("ok", false))
			return;
		const std::string code = r.value("error", json::object()).value("code", "");
		if (code == "unknown_partition")
			return; // gone already: DEL is idempotent
		if (code != "partition_busy" || std::chrono::steady_clock::now() > deadline)
			throw Sriovd::refused("partition-remove", r);
		// a sequence runs on it (an attach the arbiter started): wait for its end
		(void)d.call("wait", {{"partition", name}});
	}
}

std::string cmd_add(const Conf &c, const cni::Env &env, const std::string &stdin_text)
{
	Sriovd d(c.socket, c.timeout_s);
	if (auto p = find_partition(d, env))
		throw Error(cni::attachment_exists,
			    "container " + env.container_id + " has interface " + env.ifname + " already (partition " +
				    p->value("name", "") + ")",
			    "DEL it first");
	const std::string pf = c.pf.empty() ? pick_pf(d) : c.pf;
	const std::string name = partition_name(env);
	Undo undo;
	json ipam_result = json::object();
	if (!c.ipam.is_null()) {
		ipam_result = ipam_run(c, env, "ADD", stdin_text);
		undo.push([&c, &env, &stdin_text] { (void)ipam_run(c, env, "DEL", stdin_text); });
		if (const auto probs = cni::ipam_result_problems(ipam_result); !probs.empty())
			throw Error(cni::decode_failure, "the IPAM plugin's result: " + probs.front());
	}
	json ips = json::array();
	for (const auto &ip : ipam_result.value("ips", json::array()))
		ips.push_back(strip_prefix(ip.at("address").get<std::string>()));
	// a partition this ADD may have made (an answer lost to a timeout
	// too) goes again; one of another container (a name collision) stays
	undo.push([&d, &name, &c, &env] {
		const json r = d.call("show", {{"partition", name}});
		if (r.value("ok", false) && r.at("result").at("partition").value("container_id", "") == env.container_id)
			remove_partition(d, name, c.timeout_s);
	});
	// a derived MAC another partition holds already: the next one
	constexpr int mac_attempts = 4;
	std::string mac;
	for (int attempt = 0;; ++attempt) {
		mac = c.mac.empty() ? derived_mac(env, attempt) : c.mac;
		const json r = d.call("partition-add", {{"name", name},
						       {"netns", env.netns},
						       {"pf", pf},
						       {"mac", mac},
						       {"vlan", c.vlan},
						       {"weight", c.weight},
						       {"ips", ips},
						       {"ifname", env.ifname},
						       {"container_id", env.container_id},
						       {"wait", true}});
		// from here a partition may exist (an answer lost to a timeout too)
		if (r.value("ok", false))
			break;
		const json e = r.value("error", json::object());
		if (c.mac.empty() && attempt + 1 < mac_attempts && e.value("code", "") == "bad_request" &&
		    e.value("message", "").find("MAC " + mac + " is used") != std::string::npos)
			continue;
		throw Sriovd::refused("partition-add", r);
	}
	json shown = d.need("show", {{"partition", name}}).at("partition");
	if (shown.value("ifname", "") != env.ifname || shown.value("container_id", "") != env.container_id)
		throw Error(cni::sriovd_refused, "sriovd at " + d.path() + " does not name adapters or record containers",
			    "this plugin needs the sriovd it was built with");
	// the adapter in the container: up, with the addresses and routes
	// (the synthetic path carries traffic from here on)
	cni::configure_iface(iface_conf(env, mac, ipam_result));
	if (c.vf && c.weight > 0) {
		// a VF when one is free; without one the partition stays on the
		// synthetic path and sriovd attaches one when it frees up
		const json r = d.call("attach", {{"partition", name}, {"wait", true}});
		if (!r.value("ok", false))
			std::cerr << "sriov-netvsc: " << name << ": no VF yet: "
				  << r.value("error", json::object()).value("message", "") << "\n";
		shown = d.need("show", {{"partition", name}}).at("partition");
	}
	json result{{"cniVersion", c.net.cni_version},
		    {"interfaces", json::array({{{"name", env.ifname}, {"mac", mac}, {"sandbox", env.netns}}})}};
	if (shown.contains("vf") && !shown.at("vf").is_null()) {
		// the VF, enslaved to the adapter in the same namespace: listed
		// as the spec allows, without addresses
		const auto &vf = shown.at("vf");
		const json vfs = d.need("vf-show", {{"pf", vf.at("pf")}, {"vf", vf.at("vf")}});
		if (!vfs.empty() && !vfs.at(0).value("netdev", "").empty() && vfs.at(0).value("netns", "") == env.netns)
			result["interfaces"].push_back(
				{{"name", vfs.at(0).at("netdev")}, {"mac", vfs.at(0).value("mac", mac)}, {"sandbox", env.netns}});
	}
	json out_ips = json::array();
	for (auto ip : ipam_result.value("ips", json::array())) {
		ip["interface"] = 0;
		ip.erase("version");
		out_ips.push_back(ip);
	}
	if (!out_ips.empty())
		result["ips"] = out_ips;
	if (ipam_result.contains("routes"))
		result["routes"] = ipam_result.at("routes");
	if (ipam_result.contains("dns"))
		result["dns"] = ipam_result.at("dns");
	undo.dismiss();
	return cni::result_for_version(result, c.net.cni_version).dump() + "\n";
}

void cmd_del(const Conf &c, const cni::Env &env, const std::string &stdin_text)
{
	Sriovd d(c.socket, c.timeout_s);
	if (auto p = find_partition(d, env))
		remove_partition(d, p->at("name").get<std::string>(), c.timeout_s);
	if (!c.ipam.is_null())
		(void)ipam_run(c, env, "DEL", stdin_text);
}

void cmd_check(const Conf &c, const cni::Env &env, const std::string &stdin_text)
{
	const json prev = c.net.raw.value("prevResult", json(nullptr));
	if (!prev.is_object())
		throw Error(cni::invalid_config, "CHECK needs \"prevResult\" in the network configuration");
	Sriovd d(c.socket, c.timeout_s);
	const auto p = find_partition(d, env);
	if (!p)
		throw Error(cni::unknown_container,
			    "sriovd has no partition for container " + env.container_id + " interface " + env.ifname);
	const std::string name = p->at("name").get<std::string>();
	if (p->value("netns", "") != env.netns)
		throw Error(cni::sriovd_refused, "partition " + name + " is in netns " + p->value("netns", "") + ", not " +
							 env.netns);
	if (!p->value("adapter", false) || !p->value("adapter_filter", false))
		throw Error(cni::sriovd_refused, "partition " + name + " has " +
							 (p->value("adapter", false) ? "no filter" : "no adapter"));
	// what the runtime was told: our interface, in its sandbox, with our MAC
	const auto ifs = prev.value("interfaces", json::array());
	const auto it = std::find_if(ifs.begin(), ifs.end(), [&](const json &i) {
		return i.is_object() && i.value("name", "") == env.ifname;
	});
	if (it == ifs.end())
		throw Error(cni::sriovd_refused, "prevResult lists no interface " + env.ifname);
	if (it->value("mac", "") != p->value("mac", "") || it->value("sandbox", "") != env.netns)
		throw Error(cni::sriovd_refused, "prevResult's " + env.ifname + " (" + it->value("mac", "") + " in " +
							 it->value("sandbox", "") + ") is not partition " + name + "'s (" +
							 p->value("mac", "") + " in " + p->value("netns", "") + ")");
	const auto part_ips = p->value("ips", json::array());
	for (const auto &ip : prev.value("ips", json::array())) {
		const std::string a = strip_prefix(ip.value("address", ""));
		if (std::find(part_ips.begin(), part_ips.end(), a) == part_ips.end()) {
			std::string msg = "address ";
			msg.append(a).append(" of prevResult is not among partition ").append(name).append("'s addresses");
			throw Error(cni::sriovd_refused, msg);
		}
	}
	// the adapter in the container as ADD configured it
	if (const auto probs = cni::check_iface(iface_conf(env, p->value("mac", ""), prev)); !probs.empty())
		throw Error(cni::iface_config_failed, "in " + env.netns + ": " + probs.front());
	// sriovd's audit of the model against the kernel: its findings about
	// this partition (its name, its MAC); it audits only when idle
	const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(c.timeout_s);
	for (;;) {
		const json a = d.need("audit", json::object());
		if (a.value("idle", false)) {
			for (const auto &prob : a.value("problems", json::array())) {
				const std::string s = prob.get<std::string>();
				if (s.find("partition " + name + ":") != std::string::npos ||
				    s.find(p->value("mac", "")) != std::string::npos)
					throw Error(cni::sriovd_refused, "sriovd audit: " + s);
			}
			break;
		}
		if (std::chrono::steady_clock::now() > deadline)
			throw Error(cni::try_again_later, "sriovd was never idle long enough to audit");
		constexpr auto poll_interval = std::chrono::milliseconds(100);
		std::this_thread::sleep_for(poll_interval);
	}
	if (!c.ipam.is_null())
		(void)ipam_run(c, env, "CHECK", stdin_text);
}

int run()
{
	std::string version;
	try {
		const cni::Env env = cni::read_env([](const char *var) -> std::optional<std::string> {
			const char *v = std::getenv(var); // NOLINT(concurrency-mt-unsafe): single-threaded
			return v != nullptr ? std::optional<std::string>(v) : std::nullopt;
		});
		const std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
		if (env.command == cni::Command::version) {
			const json j = json::parse(text, nullptr, false);
			std::cout << cni::encode_version(j.is_object() ? j.value("cniVersion", "") : "");
			return 0;
		}
		// the error document speaks the configuration's version if it has one
		if (const json j = json::parse(text, nullptr, false); j.is_object())
			version = j.value("cniVersion", "");
		const Conf c = parse_conf(text);
		if (env.command != cni::Command::del && !env.ifname.empty() && !cni::valid_ifname(env.ifname))
			throw Error(cni::invalid_env, "CNI_IFNAME '" + env.ifname + "' is not an interface name");
		switch (env.command) {
		case cni::Command::add:
			std::cout << cmd_add(c, env, text);
			break;
		case cni::Command::del:
			cmd_del(c, env, text);
			break;
		case cni::Command::check:
			cmd_check(c, env, text);
			break;
		case cni::Command::version:
			break;
		}
		return 0;
	} catch (const Error &e) {
		std::cout << cni::encode_error(version, e);
	} catch (const std::exception &e) {
		std::cout << cni::encode_error(version, Error(cni::io_failure, e.what()));
	}
	std::cout.flush();
	return 1;
}

} // namespace

int main()
{
	return run();
}
