// SPDX-License-Identifier: GPL-2.0
// sriovctl: command-line client of sriovd.  See Documentation/sriovctl.rst
// for the commands and the exit codes (kept in sync with exit_for() below).
#include "client.hpp"
#include "control/protocol.hpp"
#include "render.hpp"

#include <arpa/inet.h>
#include <array>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace {

using json = nlohmann::json;
using sriovctl::Client;
using sriovctl::ClientError;

enum Exit : int {
	ok = 0,
	failed = 1,      // the daemon refused or the sequence failed / rolled back
	usage = 2,       // bad command line
	no_daemon = 3,   // cannot reach sriovd
	denied = 4,      // not allowed to change state
	not_found = 5,   // unknown partition / PF / VF / command
	retry = 6,       // busy, or no VF available now (request stays queued)
	timeout = 7,     // no answer in time
	protocol = 8,    // malformed reply
};

const char *const usage_text =
	"usage: sriovctl [--socket PATH] [--json] [--timeout SEC] COMMAND [ARGS]\n"
	"\n"
	"commands:\n"
	"  status                                   PFs, VF pools, partitions, running sequences\n"
	"  list                                     partitions\n"
	"  partition add NAME --pf PF --mac MAC [--netns NS] [--vlan ID] [--weight 0-100]\n"
	"                [--ip ADDR]...               ADDR: IPv4 or IPv6, no prefix length\n"
	"  partition show NAME\n"
	"  partition remove NAME | --all\n"
	"  attach PARTITION [--no-wait]             give the partition a VF\n"
	"  detach PARTITION                         fail over to synthetic and release the VF\n"
	"  failover PARTITION [--hold SEC]          planned failover; re-attach after SEC\n"
	"  migrate PARTITION --to PF                prepare: fail over, reserve a VF on PF\n"
	"  migrate PARTITION --complete|--abort\n"
	"  weight PARTITION 0-100                   VF arbitration weight\n"
	"  vf show [PF [VF]]\n"
	"  vf unquarantine PF VF\n"
	"  config-space read PF VF [OFFSET [LENGTH]]\n"
	"  events [--follow] [--after ID] [--phases]\n"
	"  metrics                                  Prometheus text format\n"
	"  audit                                    compare sriovd's model with the kernel\n"
	"  list-commands\n"
	"\n"
	"exit codes: 0 ok, 1 failed, 2 usage, 3 sriovd not reachable, 4 permission denied,\n"
	"            5 not found, 6 busy/queued (retry), 7 timeout, 8 protocol error\n";

int usage_error(const std::string &msg)
{
	std::cerr << "sriovctl: " << msg << "\n" << usage_text;
	return usage;
}

int exit_for(const std::string &code)
{
	static const std::map<std::string, int> codes = {
		{"permission_denied", denied},  {"unknown_partition", not_found}, {"unknown_pf", not_found},
		{"unknown_vf", not_found},      {"unknown_command", not_found},   {"partition_busy", retry},
		{"no_vf_available", retry},     {"bad_request", usage},           {"request_too_large", usage},
		{"too_many_connections", retry},
	};
	auto it = codes.find(code);
	return it == codes.end() ? failed : it->second;
}

struct Args {
	std::vector<std::string> pos;
	std::map<std::string, std::string> opt; // --name value, or "" for flags
	std::vector<std::string> ips;           // every --ip, in order
};

/// Options that take a value; everything else starting with -- is a flag.
bool takes_value(const std::string &o)
{
	static const std::vector<std::string> v = {"--pf", "--mac", "--netns", "--vlan", "--weight",
						   "--hold", "--to", "--after", "--ip"};
	return std::find(v.begin(), v.end(), o) != v.end();
}

std::optional<Args> split(const std::vector<std::string> &in, std::string &err)
{
	Args a;
	for (std::size_t i = 0; i < in.size(); ++i) {
		const auto &s = in[i];
		if (s.rfind("--", 0) == 0) {
			if (takes_value(s)) {
				if (i + 1 >= in.size()) {
					err = s + " needs a value";
					return std::nullopt;
				}
				if (s == "--ip")
					a.ips.push_back(in[i + 1]);
				a.opt[s] = in[++i];
			} else {
				a.opt[s] = "";
			}
		} else {
			a.pos.push_back(s);
		}
	}
	return a;
}

std::optional<long> number(const std::string &s)
{
	try {
		std::size_t pos = 0;
		const long v = std::stol(s, &pos, 0);
		if (pos != s.size())
			return std::nullopt;
		return v;
	} catch (const std::exception &) {
		return std::nullopt;
	}
}

/// One --ip value in its canonical form (what sriovd stores), or an
/// error: a host address only, IPv4 or IPv6, no prefix length or zone.
std::optional<std::string> canonical_ip(const std::string &s, std::string &err)
{
	if (s.find('/') != std::string::npos) {
		err = "--ip " + s + ": give the address without a prefix length";
		return std::nullopt;
	}
	std::array<unsigned char, 16> bin{};
	std::array<char, INET6_ADDRSTRLEN> out{};
	int af = AF_INET;
	if (inet_pton(AF_INET, s.c_str(), bin.data()) != 1) {
		af = AF_INET6;
		if (inet_pton(AF_INET6, s.c_str(), bin.data()) != 1) {
			err = "--ip " + s + ": not an IPv4 or IPv6 address";
			return std::nullopt;
		}
	}
	if (inet_ntop(af, bin.data(), out.data(), out.size()) == nullptr) {
		err = "--ip " + s + ": not an IPv4 or IPv6 address";
		return std::nullopt;
	}
	return std::string(out.data());
}

struct Ctx {
	std::string socket;
	bool json_out{};
	int timeout_ms{};
};

int report_client_error(const Client &c, const Ctx &ctx)
{
	switch (c.err()) {
	case ClientError::connect:
		std::cerr << "sriovctl: " << c.msg() << "\n  is sriovd running? (systemctl status sriovd; socket "
			  << ctx.socket << ", override with --socket)\n";
		return no_daemon;
	case ClientError::permission:
		std::cerr << "sriovctl: " << c.msg() << "\n";
		return denied;
	case ClientError::timeout:
		std::cerr << "sriovctl: " << c.msg() << "; the sequence may still complete: check `sriovctl status`\n";
		return timeout;
	case ClientError::protocol:
	case ClientError::closed:
	case ClientError::none:
		break;
	}
	std::cerr << "sriovctl: " << c.msg() << "\n";
	return protocol;
}

/// Print the result of a request and map it to an exit code.
int finish(const json &resp, const Ctx &ctx, const std::function<void(const json &)> &human, bool one_line)
{
	if (ctx.json_out)
		std::cout << resp.dump(one_line ? -1 : 2) << "\n";
	if (!resp.value("ok", false)) {
		const auto &e = resp.at("error");
		const auto code = e.value("code", "error");
		if (!ctx.json_out) {
			std::cerr << "sriovctl: " << code << ": " << e.value("message", "") << "\n";
			if (!e.value("hint", "").empty())
				std::cerr << "  hint: " << e.value("hint", "") << "\n";
			if (resp.contains("result") && resp.at("result").contains("phases"))
				sriovctl::render_event(std::cerr, resp.at("result"), true);
		}
		return exit_for(code);
	}
	if (!ctx.json_out)
		human(resp.at("result"));
	return ok;
}

void print_sequence(const json &r)
{
	if (r.contains("phases")) {
		sriovctl::render_event(std::cout, r, true);
		return;
	}
	if (r.value("queued", false))
		std::cout << "queued: " << r.value("detail", "") << "\n";
	else if (!r.value("detail", "").empty())
		std::cout << r.value("detail", "") << "\n";
	else if (r.value("seq", 0) != 0)
		std::cout << "started sequence " << r.at("seq") << "\n";
	else
		std::cout << "done\n";
}

int run(Ctx ctx, const std::vector<std::string> &argv)
{
	std::string err;
	auto a = split(argv, err);
	if (!a)
		return usage_error(err);
	auto &pos = a->pos;
	if (a->opt.erase("--json") != 0)
		ctx.json_out = true;
	if (pos.empty())
		return usage_error("no command given");
	const std::string cmd = pos[0];
	auto has = [&](const char *o) { return a->opt.contains(o); };
	auto opt = [&](const char *o) { return a->opt.contains(o) ? a->opt.at(o) : std::string(); };

	std::string req;
	json args = json::object();
	std::function<void(const json &)> human = print_sequence;

	if (cmd == "status") {
		req = "status";
		human = [](const json &r) { sriovctl::render_status(std::cout, r); };
	} else if (cmd == "list") {
		req = "list";
		human = [](const json &r) { sriovctl::render_partitions(std::cout, r); };
	} else if (cmd == "list-commands") {
		req = "list-commands";
		human = [](const json &r) {
			sriovctl::Table t({"COMMAND", "MUTATES", "DESCRIPTION"});
			for (const auto &c : r)
				t.add({c.at("name"), c.at("mutating").get<bool>() ? "yes" : "no", c.at("help")});
			t.print(std::cout);
		};
	} else if (cmd == "partition" && pos.size() == 2 && pos[1] == "remove" && has("--all")) {
		req = "teardown-all";
		human = [](const json &r) {
			std::cout << "tearing down " << r.at("started") << " partition(s)";
			if (r.contains("queued") && r.at("queued").get<std::size_t>() > 0)
				std::cout << ", " << r.at("queued") << " more when their sequence ends";
			std::cout << "; `sriovctl status` shows progress\n";
		};
	} else if (cmd == "partition") {
		if (pos.size() != 3 || (pos[1] != "add" && pos[1] != "remove" && pos[1] != "show"))
			return usage_error("partition add NAME ... | partition remove NAME | partition show NAME");
		if (pos[1] != "add" && !a->ips.empty())
			return usage_error("--ip belongs to partition add");
		if (pos[1] == "add") {
			if (!has("--pf") || !has("--mac"))
				return usage_error("partition add needs --pf PF and --mac MAC");
			req = "partition-add";
			args = {{"name", pos[2]}, {"pf", opt("--pf")}, {"mac", opt("--mac")}};
			if (has("--netns"))
				args["netns"] = opt("--netns");
			for (const char *k : {"--vlan", "--weight"})
				if (has(k)) {
					auto n = number(opt(k));
					if (!n)
						return usage_error(std::string(k) + " needs a number");
					args[std::string(k + 2)] = *n;
				}
			if (!a->ips.empty()) {
				json ips = json::array();
				for (const auto &ip : a->ips) {
					auto c = canonical_ip(ip, err);
					if (!c)
						return usage_error(err);
					if (std::find(ips.begin(), ips.end(), *c) != ips.end())
						return usage_error("--ip " + ip + " given twice");
					ips.push_back(*c);
				}
				args["ips"] = ips;
			}
		} else if (pos[1] == "show") {
			req = "list";
			human = [name = pos[2]](const json &r) {
				for (const auto &p : r)
					if (p.value("name", "") == name)
						sriovctl::render_partition(std::cout, p);
			};
		} else {
			req = "partition-remove";
			args = {{"partition", pos[2]}};
		}
	} else if (cmd == "attach" || cmd == "detach" || cmd == "failover") {
		if (pos.size() != 2)
			return usage_error(cmd + " needs exactly one PARTITION");
		req = cmd;
		args = {{"partition", pos[1]}};
		if (has("--no-wait"))
			args["wait"] = false;
		if (cmd == "failover" && has("--hold")) {
			auto n = number(opt("--hold"));
			if (!n || *n < 0)
				return usage_error("--hold needs seconds");
			args["hold_ms"] = *n * 1000;
		}
	} else if (cmd == "migrate") {
		if (pos.size() != 2)
			return usage_error("migrate needs exactly one PARTITION");
		const int modes = (has("--to") ? 1 : 0) + (has("--complete") ? 1 : 0) + (has("--abort") ? 1 : 0);
		if (modes != 1)
			return usage_error("migrate needs one of --to PF, --complete, --abort");
		req = "migrate";
		args = {{"partition", pos[1]}};
		if (has("--to")) {
			args["action"] = "prepare";
			args["dest"] = opt("--to");
		} else {
			args["action"] = has("--complete") ? "complete" : "abort";
		}
	} else if (cmd == "weight") {
		auto n = pos.size() == 3 ? number(pos[2]) : std::nullopt;
		if (!n)
			return usage_error("weight PARTITION 0-100");
		req = "set-weight";
		args = {{"partition", pos[1]}, {"weight", *n}};
	} else if (cmd == "vf") {
		if (pos.size() >= 2 && pos[1] == "show" && pos.size() <= 4) {
			req = "vf-show";
			if (pos.size() >= 3)
				args["pf"] = pos[2];
			if (pos.size() == 4) {
				auto n = number(pos[3]);
				if (!n)
					return usage_error("VF must be a number");
				args["vf"] = *n;
			}
			human = [](const json &r) { sriovctl::render_vfs(std::cout, r); };
		} else if (pos.size() == 4 && pos[1] == "unquarantine") {
			auto n = number(pos[3]);
			if (!n)
				return usage_error("VF must be a number");
			req = "vf-unquarantine";
			args = {{"pf", pos[2]}, {"vf", *n}};
		} else {
			return usage_error("vf show [PF [VF]] | vf unquarantine PF VF");
		}
	} else if (cmd == "config-space") {
		if (pos.size() < 4 || pos.size() > 6 || pos[1] != "read")
			return usage_error("config-space read PF VF [OFFSET [LENGTH]]");
		auto vf = number(pos[3]);
		auto off = pos.size() > 4 ? number(pos[4]) : std::optional<long>(0);
		auto len = pos.size() > 5 ? number(pos[5]) : std::optional<long>(64);
		if (!vf || !off || !len)
			return usage_error("VF, OFFSET and LENGTH are numbers (0x.. allowed)");
		req = "config-read";
		args = {{"pf", pos[2]}, {"vf", *vf}, {"offset", *off}, {"length", *len}};
		human = [](const json &r) {
			const auto hex = r.at("hex").get<std::string>();
			const long base = r.at("offset").get<long>();
			for (std::size_t i = 0; i < hex.size(); i += 32) {
				std::array<char, 16> addr{};
				(void)std::snprintf(addr.data(), addr.size(), "%03lx:", base + static_cast<long>(i / 2));
				std::cout << addr.data();
				for (std::size_t j = i; j < std::min(hex.size(), i + 32); j += 2)
					std::cout << " " << hex.substr(j, 2);
				std::cout << "\n";
			}
		};
	} else if (cmd == "events") {
		req = "events";
		if (has("--after")) {
			auto n = number(opt("--after"));
			if (!n)
				return usage_error("--after needs an event id");
			args["after"] = *n;
		}
		const bool phases = has("--phases");
		args["follow"] = has("--follow");
		human = [phases](const json &r) {
			for (const auto &e : r.at("events"))
				sriovctl::render_event(std::cout, e, phases);
		};
	} else if (cmd == "metrics") {
		req = "metrics";
		human = [](const json &r) { std::cout << r.at("text").get<std::string>(); };
	} else if (cmd == "audit") {
		req = "audit";
		human = [](const json &r) { sriovctl::render_audit(std::cout, r); };
	} else if (cmd == "fake") {
		// test hook for `sriovd --backend=fake`: sriovctl fake '{"surprise_remove": {...}}'
		req = "fake";
		if (pos.size() == 2) {
			json cfg = json::parse(pos[1], nullptr, false);
			if (cfg.is_discarded())
				return usage_error("fake takes a JSON object");
			args["config"] = cfg;
		}
		human = [](const json &r) { std::cout << r.dump(2) << "\n"; };
	} else {
		return usage_error("unknown command '" + cmd + "'");
	}

	Client c;
	if (!c.connect(ctx.socket))
		return report_client_error(c, ctx);
	auto resp = c.call(req, args, ctx.timeout_ms);
	if (!resp)
		return report_client_error(c, ctx);
	const bool following = req == "events" && args.value("follow", false);
	// when following, every line is one JSON document (the response too)
	const int rc = finish(*resp, ctx, human, following);
	if (rc == ok && following) {
		const bool phases = has("--phases");
		std::cout.flush();
		c.follow([&](const json &ev) {
			if (ctx.json_out)
				std::cout << ev.dump() << "\n";
			else
				sriovctl::render_event(std::cout, ev, phases);
			std::cout.flush();
		});
		return report_client_error(c, ctx) == protocol ? ok : no_daemon;
	}
	if (rc == ok && req == "attach" && resp->at("result").value("queued", false))
		return retry;
	if (rc == ok && cmd == "partition" && pos[1] == "show") {
		const auto &parts = resp->at("result");
		const bool found = std::any_of(parts.begin(), parts.end(),
					       [&](const json &p) { return p.value("name", "") == pos[2]; });
		if (!found) {
			std::cerr << "sriovctl: unknown_partition: no partition " << pos[2] << "\n";
			return not_found;
		}
	}
	return rc;
}

} // namespace

int main(int argc, char **argv)
{
	Ctx ctx;
	const char *env = std::getenv("SRIOVCTL_SOCKET"); // NOLINT(concurrency-mt-unsafe)
	ctx.socket = env != nullptr ? env : "/run/sriovd/sriovd.sock";
	ctx.timeout_ms = 60000;
	std::vector<std::string> rest;
	std::vector<std::string> args(argv + 1, argv + argc);
	for (std::size_t i = 0; i < args.size(); ++i) {
		const auto &s = args[i];
		if (rest.empty() && (s == "-h" || s == "--help")) {
			std::cout << usage_text;
			return ok;
		}
		if (rest.empty() && s == "--json") {
			ctx.json_out = true;
		} else if (rest.empty() && (s == "--socket" || s == "--timeout")) {
			if (i + 1 >= args.size())
				return usage_error(s + " needs a value");
			if (s == "--socket") {
				ctx.socket = args[++i];
			} else {
				auto n = number(args[++i]);
				if (!n || *n <= 0)
					return usage_error("--timeout needs seconds");
				ctx.timeout_ms = static_cast<int>(*n * 1000);
			}
		} else {
			rest.push_back(s);
		}
	}
	try {
		return run(ctx, rest);
	} catch (const std::exception &e) {
		std::cerr << "sriovctl: " << e.what() << "\n";
		return protocol;
	}
}
