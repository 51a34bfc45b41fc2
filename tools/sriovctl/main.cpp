// SPDX-License-Identifier: GPL-2.0
// sriovctl: command-line client of sriovd.  See Documentation/sriovctl.rst
// for the commands and the exit codes (kept in sync with exit_for() below).
// The command line is parsed strictly (CLI11): an unknown option, an extra
// argument or a bad value is a usage error (exit 2) naming the word.
#include "client.hpp"
#include "control/cli.hpp"
#include "control/protocol.hpp"
#include "render.hpp"

#include <CLI/CLI.hpp>
#include <arpa/inet.h>
#include <array>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

using json = nlohmann::json;
using sriov::control::cli::decimal;
using sriovctl::Client;
using sriovctl::ClientError;

enum Exit : int {
	ok = 0,
	failed = 1,      // the daemon refused or the sequence failed / rolled back; audit found mismatches
	usage = 2,       // bad command line
	no_daemon = 3,   // cannot reach sriovd
	denied = 4,      // not allowed to change state
	not_found = 5,   // unknown partition / PF / VF / sequence / command
	retry = 6,       // busy, or no VF available now (request stays queued)
	timeout = 7,     // no answer in time
	protocol = 8,    // malformed reply
};

const char *const exit_text = "exit codes: 0 ok, 1 failed (or audit found mismatches), 2 usage, 3 sriovd not\n"
			      "reachable, 4 permission denied, 5 not found, 6 busy/queued (retry), 7 timeout,\n"
			      "8 protocol error.  `sriovctl COMMAND --help` describes a command.";

int exit_for(const std::string &code)
{
	static const std::map<std::string, int> codes = {
		{"permission_denied", denied},  {"unknown_partition", not_found}, {"unknown_pf", not_found},
		{"unknown_vf", not_found},      {"unknown_command", not_found},   {"unknown_sequence", not_found},
		{"partition_busy", retry},      {"no_vf_available", retry},       {"bad_request", usage},
		{"request_too_large", usage},   {"too_many_connections", retry},
	};
	auto it = codes.find(code);
	return it == codes.end() ? failed : it->second;
}

/// One --ip value in its canonical form (what sriovd stores), or an
/// error: a host address only, IPv4 or IPv6, no prefix length or zone.
std::optional<std::string> canonical_ip(const std::string &s, std::string &err)
{
	if (s.find('/') != std::string::npos) {
		err = s + ": give the address without a prefix length";
		return std::nullopt;
	}
	std::array<unsigned char, 16> bin{};
	std::array<char, INET6_ADDRSTRLEN> out{};
	int af = AF_INET;
	if (inet_pton(AF_INET, s.c_str(), bin.data()) != 1) {
		af = AF_INET6;
		if (inet_pton(AF_INET6, s.c_str(), bin.data()) != 1) {
			err = s + ": not an IPv4 or IPv6 address";
			return std::nullopt;
		}
	}
	if (inet_ntop(af, bin.data(), out.data(), out.size()) == nullptr) {
		err = s + ": not an IPv4 or IPv6 address";
		return std::nullopt;
	}
	return std::string(out.data());
}

/// Config-space offsets and lengths: decimal, or hexadecimal with an
/// explicit 0x (as lspci prints them); a leading 0 alone is still decimal.
CLI::Validator offset(std::int64_t lo, std::int64_t hi)
{
	return {[lo, hi](std::string &s) -> std::string {
			if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
				const std::string digits = s.substr(2);
				if (digits.size() > 8 || digits.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
					return "'" + s + "' is not a number";
				s = std::to_string(std::stoll(digits, nullptr, 16));
			}
			return decimal(lo, hi)(s);
		},
		std::to_string(lo) + ".." + std::to_string(hi) + " (or 0x...)", "offset"};
}

struct Ctx {
	std::string socket;
	bool json_out{};
	std::int64_t timeout_s{60};
	bool progress{};
	CLI::Option *progress_opt{};
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

/// What one command line asks of sriovd, and how to show the answer.
struct Plan {
	std::string req;
	json args = json::object();
	std::function<void(const json &)> human; ///< default: the sequence's end
	bool sequence{};                          ///< waits for a sequence: live progress possible
	/// Exit code of a successful answer (default ok).
	std::function<int(const json &result)> verdict;
	bool follow{}; ///< events --follow
	bool phases{}; ///< events --phases
};

/// The end of a sequence (or its start, with --no-wait).
void print_sequence(const json &r, bool phases)
{
	if (r.contains("phases")) {
		sriovctl::render_event(std::cout, r, phases);
		return;
	}
	if (r.value("idle", false)) // wait PARTITION
		std::cout << "no sequence of " << r.value("partition", "") << " running or recorded\n";
	else if (r.value("queued", false))
		std::cout << "queued: " << r.value("detail", "") << "\n";
	else if (!r.value("detail", "").empty())
		std::cout << r.value("detail", "") << "\n";
	else if (r.value("seq", 0) != 0)
		std::cout << "started sequence " << r.at("seq") << " (`sriovctl wait " << r.at("seq")
			  << "` waits for it)\n";
	else
		std::cout << "done\n";
}

/// Print the answer to a request and map it to an exit code.
int finish(const json &resp, const Ctx &ctx, const Plan &plan, bool one_line, bool steps_shown)
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
				sriovctl::render_event(std::cerr, resp.at("result"), !steps_shown);
		}
		return exit_for(code);
	}
	const auto &result = resp.at("result");
	if (!ctx.json_out) {
		if (plan.human)
			plan.human(result);
		else
			print_sequence(result, !steps_shown);
	}
	return plan.verdict ? plan.verdict(result) : ok;
}

int run(const Ctx &ctx, Plan &plan)
{
	Client c;
	if (!c.connect(ctx.socket))
		return report_client_error(c, ctx);
	// live progress: a command that waits for a sequence, on a terminal
	// (--progress / --no-progress decide elsewhere)
	bool progress = plan.sequence && plan.args.value("wait", true);
	if (ctx.progress_opt != nullptr && ctx.progress_opt->count() > 0)
		progress = progress && ctx.progress;
	else
		progress = progress && !ctx.json_out && ::isatty(STDOUT_FILENO) == 1;
	if (progress)
		plan.args["progress"] = true;
	bool steps_shown = false;
	auto on_step = [&](const json &step) {
		if (ctx.json_out)
			std::cout << json{{"progress", step}}.dump() << "\n";
		else
			sriovctl::render_step(std::cout, step);
		std::cout.flush();
		steps_shown = true;
	};
	auto resp = c.call(plan.req, plan.args, static_cast<int>(ctx.timeout_s * 1000),
			   progress ? std::function<void(const json &)>(on_step) : nullptr);
	if (!resp)
		return report_client_error(c, ctx);
	// when following, every line is one JSON document (the response too)
	const int rc = finish(*resp, ctx, plan, plan.follow || progress, steps_shown);
	if (rc == ok && plan.follow) {
		std::cout.flush();
		c.follow([&](const json &ev) {
			if (ctx.json_out)
				std::cout << ev.dump() << "\n";
			else
				sriovctl::render_event(std::cout, ev, plan.phases);
			std::cout.flush();
		});
		return report_client_error(c, ctx) == protocol ? ok : no_daemon;
	}
	return rc;
}

/// Everything the command line binds to.
struct Values {
	std::string name, pf, mac, netns, to, target, partition, config, vf_pf;
	std::int64_t vlan{}, weight{100}, hold{}, after{}, vf{}, off{}, len{64}, seq{};
	std::vector<std::string> ips;
	bool all{}, no_wait{}, complete{}, abort{}, follow{}, phases{};
};

CLI::App *add_cmd(CLI::App &parent, const std::string &name, const std::string &help)
{
	auto *c = parent.add_subcommand(name, help);
	c->fallthrough(); // global options (--json, --socket, ...) anywhere
	return c;
}

void add_partition_arg(CLI::App *c, Values &v)
{
	c->add_option("PARTITION", v.name, "the partition")->required();
}

void add_no_wait(CLI::App *c, Values &v)
{
	c->add_flag("--no-wait", v.no_wait, "answer when the sequence started (`sriovctl wait SEQ` waits for it)");
}

/// A request that runs a sequence: waits for its end unless --no-wait.
void sequence_request(Plan &plan, const Values &v, const std::string &req, json args)
{
	plan.req = req;
	plan.args = std::move(args);
	plan.sequence = true;
	if (v.no_wait)
		plan.args["wait"] = false;
}

/// The command tree; each command's callback fills @plan.
void build(CLI::App &app, Ctx &ctx, Values &v, Plan &plan)
{
	app.fallthrough();
	app.require_subcommand(1);
	app.footer(exit_text);
	app.set_version_flag("--version", std::string("sriovctl ") + std::string(sriov::control::project_version()) +
						  " (control protocol " + std::to_string(sriov::control::protocol_version) + ")");
	app.add_option("--socket", ctx.socket, "control socket (default /run/sriovd/sriovd.sock)")
		->envname("SRIOVCTL_SOCKET")
		->type_name("PATH");
	app.add_flag("--json", ctx.json_out, "print sriovd's JSON answer (one object; a line each with progress or --follow)");
	app.add_option("--timeout", ctx.timeout_s, "how long to wait for an answer, seconds (default 60)")
		->transform(decimal(1, 86400))
		->type_name("SEC");
	ctx.progress_opt = app.add_flag("--progress,!--no-progress", ctx.progress,
					"print each step of a sequence as it finishes (default: on a terminal)");

	auto simple = [&](const std::string &name, const std::string &help, const std::string &req,
			  std::function<void(const json &)> human) {
		add_cmd(app, name, help)->callback([&plan, req, human = std::move(human)] {
			plan.req = req;
			plan.human = human;
		});
	};
	simple("status", "PFs, VF pools, partitions, running sequences", "status",
	       [](const json &r) { sriovctl::render_status(std::cout, r); });
	simple("list", "partitions", "list", [](const json &r) { sriovctl::render_partitions(std::cout, r); });
	simple("list-commands", "the commands this sriovd supports", "list-commands", [](const json &r) {
		sriovctl::Table t({"COMMAND", "MUTATES", "DESCRIPTION"});
		for (const auto &c : r)
			t.add({c.at("name"), c.at("mutating").get<bool>() ? "yes" : "no", c.at("help")});
		t.print(std::cout);
	});
	simple("metrics", "Prometheus text format", "metrics",
	       [](const json &r) { std::cout << r.at("text").get<std::string>(); });
	simple("version", "sriovctl's and sriovd's versions", "version", [](const json &r) {
		std::cout << "sriovctl " << sriov::control::project_version() << " (control protocol "
			  << sriov::control::protocol_version << ")\nsriovd " << r.value("version", "?")
			  << " (control protocol " << r.value("protocol", 0) << ")\n";
	});

	auto *audit = add_cmd(app, "audit", "compare sriovd's model with the kernel (exit 1 on a mismatch)");
	audit->callback([&plan] {
		plan.req = "audit";
		plan.human = [](const json &r) { sriovctl::render_audit(std::cout, r); };
		plan.verdict = [](const json &r) {
			if (!r.value("idle", false))
				return static_cast<int>(retry);
			return r.value("consistent", false) ? static_cast<int>(ok) : static_cast<int>(failed);
		};
	});

	// partition add | show | remove
	auto *part = add_cmd(app, "partition", "create, show or remove partitions");
	part->require_subcommand(1);
	auto *padd = add_cmd(*part, "add", "create a partition's adapter (synthetic path) on PF's switch");
	padd->add_option("NAME", v.name, "the partition (and its namespace, without --netns)")->required();
	padd->add_option("--pf", v.pf, "the PF (PCI address) whose switch the adapter joins")->required()->type_name("PF");
	padd->add_option("--mac", v.mac, "the adapter's MAC address")->required()->type_name("MAC");
	padd->add_option("--netns", v.netns, "network namespace (default NAME)")->type_name("NS");
	padd->add_option("--vlan", v.vlan, "VLAN ID (default 0: untagged)")->transform(decimal(0, 4094))->type_name("ID");
	padd->add_option("--weight", v.weight, "claim to a VF, 0 (never) to 100 (default)")
		->transform(decimal(0, 100))
		->type_name("WEIGHT");
	padd->add_option("--ip", v.ips, "an address the partition may claim, IPv4 or IPv6 (repeatable)")
		->type_name("ADDR")
		->allow_extra_args(false);
	add_no_wait(padd, v);
	padd->callback([&plan, &v, padd] {
		sequence_request(plan, v, "partition-add", {{"name", v.name}, {"pf", v.pf}, {"mac", v.mac}});
		if (padd->count("--netns") > 0)
			plan.args["netns"] = v.netns;
		if (padd->count("--vlan") > 0)
			plan.args["vlan"] = v.vlan;
		if (padd->count("--weight") > 0)
			plan.args["weight"] = v.weight;
		if (!v.ips.empty()) {
			json ips = json::array();
			for (const auto &ip : v.ips) {
				std::string err;
				auto c = canonical_ip(ip, err);
				if (!c)
					throw CLI::ValidationError("--ip", err);
				if (std::find(ips.begin(), ips.end(), *c) != ips.end())
					throw CLI::ValidationError("--ip", ip + " given twice");
				ips.push_back(*c);
			}
			plan.args["ips"] = ips;
		}
	});
	auto show_cb = [&plan, &v] {
		plan.req = "show";
		plan.args = {{"partition", v.name}};
		plan.human = [](const json &r) { sriovctl::render_show(std::cout, r); };
	};
	auto *pshow = add_cmd(*part, "show", "a partition: its record, state, running and last sequence");
	pshow->add_option("NAME", v.name, "the partition")->required();
	pshow->callback(show_cb);
	auto *prm = add_cmd(*part, "remove", "tear a partition down (VF, reservation, filter, adapter)");
	auto *prm_name = prm->add_option("NAME", v.name, "the partition");
	auto *prm_all = prm->add_flag("--all", v.all, "every partition: start their teardowns and return");
	prm_all->excludes(prm_name);
	add_no_wait(prm, v);
	prm->callback([&plan, &v] {
		if (v.all) {
			plan.req = "teardown-all";
			plan.human = [](const json &r) {
				std::cout << "tearing down " << r.at("started") << " partition(s)";
				if (r.contains("queued") && r.at("queued").get<std::size_t>() > 0)
					std::cout << ", " << r.at("queued") << " more when their sequence ends";
				std::cout << "; `sriovctl status` shows progress\n";
			};
			return;
		}
		if (v.name.empty())
			throw CLI::ValidationError("give NAME or --all");
		sequence_request(plan, v, "partition-remove", {{"partition", v.name}});
	});

	auto *show = add_cmd(app, "show", "a partition: its record, state, running and last sequence");
	show->add_option("PARTITION", v.name, "the partition")->required();
	show->callback(show_cb);

	// the sequences
	auto *attach = add_cmd(app, "attach", "give the partition a VF");
	add_partition_arg(attach, v);
	add_no_wait(attach, v);
	attach->callback([&plan, &v] {
		sequence_request(plan, v, "attach", {{"partition", v.name}});
		// no VF now: the request stays queued
		plan.verdict = [](const json &r) { return r.value("queued", false) ? static_cast<int>(retry) : static_cast<int>(ok); };
	});
	auto *detach = add_cmd(app, "detach", "fail over to synthetic and release the VF");
	add_partition_arg(detach, v);
	add_no_wait(detach, v);
	detach->callback([&plan, &v] {
		sequence_request(plan, v, "detach", {{"partition", v.name}});
	});
	auto *fo = add_cmd(app, "failover", "planned failover; the partition gets a VF again after the hold");
	add_partition_arg(fo, v);
	fo->add_option("--hold", v.hold, "seconds before a re-attach (default 30)")
		->transform(decimal(0, 31536000))
		->type_name("SEC");
	add_no_wait(fo, v);
	fo->callback([&plan, &v, fo] {
		sequence_request(plan, v, "failover", {{"partition", v.name}});
		if (fo->count("--hold") > 0)
			plan.args["hold_ms"] = v.hold * 1000;
	});
	auto *mig = add_cmd(app, "migrate", "live migration: --to PF (prepare), then --complete or --abort");
	add_partition_arg(mig, v);
	auto *mode = mig->add_option_group("mode", "one of");
	mode->add_option("--to", v.to, "prepare: fail over and reserve a VF on PF")->type_name("PF");
	mode->add_flag("--complete", v.complete, "move to the destination PF and attach the reserved VF");
	mode->add_flag("--abort", v.abort, "release the reservation");
	mode->require_option(1);
	add_no_wait(mig, v);
	mig->callback([&plan, &v] {
		sequence_request(plan, v, "migrate", {{"partition", v.name}});
		if (!v.to.empty()) {
			plan.args["action"] = "prepare";
			plan.args["dest"] = v.to;
		} else {
			plan.args["action"] = v.complete ? "complete" : "abort";
		}
	});
	auto *wait = add_cmd(app, "wait", "wait for a sequence to end (one started with --no-wait)");
	auto *wait_target = wait->add_option("SEQ|PARTITION", v.target,
					     "a sequence number, or a partition: the sequence running on it");
	auto *wait_part = wait->add_option("--partition", v.partition, "a partition (for a name that is a number)")
				  ->type_name("NAME");
	wait_part->excludes(wait_target);
	wait->callback([&plan, &v] {
		plan.req = "wait";
		plan.sequence = true;
		if (!v.partition.empty()) {
			plan.args = {{"partition", v.partition}};
		} else if (v.target.empty()) {
			throw CLI::ValidationError("give SEQ or PARTITION");
		} else if (v.target.find_first_not_of("0123456789") == std::string::npos) {
			std::string s = v.target;
			if (const auto e = decimal(1, 999999999999999999)(s); !e.empty())
				throw CLI::ValidationError("SEQ", e);
			plan.args = {{"seq", std::stoll(s)}};
		} else {
			plan.args = {{"partition", v.target}};
		}
	});
	auto *sequence = add_cmd(app, "sequence", "resume or discard a sequence the crash-loop breaker parked");
	sequence->require_subcommand(1);
	auto *sresume = add_cmd(*sequence, "resume", "run a parked sequence again (a forward one rolls back)");
	sresume->add_option("SEQ", v.seq, "the parked sequence")->required()->transform(decimal(1, 999999999999999999));
	add_no_wait(sresume, v);
	sresume->callback([&plan, &v] { sequence_request(plan, v, "sequence-resume", {{"seq", v.seq}}); });
	auto *sdiscard = add_cmd(*sequence, "discard",
				 "drop a parked sequence without running it (then check `sriovctl audit`)");
	sdiscard->add_option("SEQ", v.seq, "the parked sequence")->required()->transform(decimal(1, 999999999999999999));
	sdiscard->callback([&plan, &v] {
		plan.req = "sequence-discard";
		plan.args = {{"seq", v.seq}};
	});
	auto *weight = add_cmd(app, "weight", "set the VF arbitration weight");
	add_partition_arg(weight, v);
	weight->add_option("WEIGHT", v.weight, "0 (never a VF) to 100")->required()->transform(decimal(0, 100));
	weight->callback([&plan, &v] {
		plan.req = "set-weight";
		plan.args = {{"partition", v.name}, {"weight", v.weight}};
	});

	// VFs, config space, events
	auto *vf = add_cmd(app, "vf", "show VFs, return a quarantined VF to the pool");
	vf->require_subcommand(1);
	auto *vshow = add_cmd(*vf, "show", "VF table: state, holder, netdev, namespace, MAC, quarantine reason");
	vshow->add_option("PF", v.vf_pf, "only this PF");
	auto *vshow_vf = vshow->add_option("VF", v.vf, "only this VF")->transform(decimal(0, 255));
	vshow->callback([&plan, &v, vshow_vf] {
		plan.req = "vf-show";
		if (!v.vf_pf.empty())
			plan.args["pf"] = v.vf_pf;
		if (vshow_vf->count() > 0)
			plan.args["vf"] = v.vf;
		plan.human = [](const json &r) { sriovctl::render_vfs(std::cout, r); };
	});
	auto *unq = add_cmd(*vf, "unquarantine", "return a quarantined VF to the pool");
	unq->add_option("PF", v.vf_pf, "the PF")->required();
	unq->add_option("VF", v.vf, "the VF")->required()->transform(decimal(0, 255));
	unq->callback([&plan, &v] {
		plan.req = "vf-unquarantine";
		plan.args = {{"pf", v.vf_pf}, {"vf", v.vf}};
	});
	auto *cfg = add_cmd(app, "config-space", "VF config space through the PF's proxy");
	cfg->require_subcommand(1);
	auto *cread = add_cmd(*cfg, "read", "hex dump of a VF's config space");
	cread->add_option("PF", v.vf_pf, "the PF")->required();
	cread->add_option("VF", v.vf, "the VF")->required()->transform(decimal(0, 255));
	cread->add_option("OFFSET", v.off, "first byte (default 0)")->transform(offset(0, 4095));
	cread->add_option("LENGTH", v.len, "bytes (default 64)")->transform(offset(1, 4096));
	cread->callback([&plan, &v] {
		plan.req = "config-read";
		plan.args = {{"pf", v.vf_pf}, {"vf", v.vf}, {"offset", v.off}, {"length", v.len}};
		plan.human = [](const json &r) {
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
	});
	auto *events = add_cmd(app, "events", "recent events: sequence results, kernel notifications");
	events->add_flag("--follow", v.follow, "keep printing events as they happen");
	auto *after = events->add_option("--after", v.after, "only events after this id")
			      ->transform(decimal(0, 999999999999999999))
			      ->type_name("ID");
	events->add_flag("--phases", v.phases, "each sequence's steps with durations and results");
	events->callback([&plan, &v, after] {
		plan.req = "events";
		if (after->count() > 0)
			plan.args["after"] = v.after;
		plan.args["follow"] = v.follow;
		plan.follow = v.follow;
		plan.phases = v.phases;
		plan.human = [phases = v.phases](const json &r) {
			for (const auto &e : r.at("events"))
				sriovctl::render_event(std::cout, e, phases);
		};
	});
	// test hook for `sriovd --backend=fake`: sriovctl fake '{"surprise_remove": {...}}'
	auto *fake = add_cmd(app, "fake", "fake backend: inject faults, dump its state");
	fake->group(""); // not in --help
	fake->add_option("CONFIG", v.config, "a JSON object");
	fake->callback([&plan, &v] {
		plan.req = "fake";
		if (!v.config.empty()) {
			json cfg = json::parse(v.config, nullptr, false);
			if (cfg.is_discarded() || !cfg.is_object())
				throw CLI::ValidationError("CONFIG", "fake takes a JSON object");
			plan.args["config"] = cfg;
		}
		plan.human = [](const json &r) { std::cout << r.dump(2) << "\n"; };
	});
}

} // namespace

int main(int argc, char **argv)
{
	try {
		Ctx ctx;
		ctx.socket = "/run/sriovd/sriovd.sock";
		Values v;
		Plan plan;
		CLI::App app{"sriovctl: control the SR-IOV virtualization stack (sriovd)", "sriovctl"};
		try {
			build(app, ctx, v, plan);
			app.parse(argc, argv);
		} catch (const CLI::ParseError &e) {
			if (e.get_exit_code() == 0) // --help, --version
				return app.exit(e);
			const std::string where = sriov::control::cli::command_path(app);
			std::cerr << "sriovctl: " << sriov::control::cli::describe(app, e) << "\n  try `sriovctl "
				  << (where.empty() ? "" : where + " ") << "--help`\n";
			return usage;
		}
		return run(ctx, plan);
	} catch (const std::exception &e) {
		std::cerr << "sriovctl: " << e.what() << "\n";
		return protocol;
	}
}
