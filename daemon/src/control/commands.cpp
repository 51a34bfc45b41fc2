// SPDX-License-Identifier: GPL-2.0
#include "control/commands.hpp"

#include "common/text.hpp"
#include "kernel/fake_kernel.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace sriov::control {

using json = nlohmann::json;

namespace {

/// Argument access that turns type errors into bad_request.
struct ArgError : std::runtime_error {
	using std::runtime_error::runtime_error;
};

std::string arg_str(const json &a, const char *key)
{
	if (!a.contains(key) || !a.at(key).is_string())
		throw ArgError(std::string("missing string argument \"") + key + "\"");
	return a.at(key).get<std::string>();
}

std::string arg_str_or(const json &a, const char *key, const std::string &def)
{
	return a.contains(key) ? arg_str(a, key) : def;
}

std::int64_t arg_int(const json &a, const char *key)
{
	if (!a.contains(key) || !a.at(key).is_number_integer())
		throw ArgError(std::string("missing integer argument \"") + key + "\"");
	return a.at(key).get<std::int64_t>();
}

std::int64_t arg_int_or(const json &a, const char *key, std::int64_t def)
{
	return a.contains(key) ? arg_int(a, key) : def;
}

bool arg_bool_or(const json &a, const char *key, bool def)
{
	if (!a.contains(key))
		return def;
	if (!a.at(key).is_boolean())
		throw ArgError(std::string("argument \"") + key + "\" must be true or false");
	return a.at(key).get<bool>();
}

std::uint32_t arg_u32(const json &a, const char *key, std::int64_t max)
{
	const auto v = arg_int(a, key);
	if (v < 0 || v > max)
		throw ArgError(std::string("argument \"") + key + "\" out of range 0.." + std::to_string(max));
	return static_cast<std::uint32_t>(v);
}

} // namespace

Commands::Commands(seq::Engine &engine, KernelApi &kernel, FakeKernel *fake)
	: engine_(engine), kernel_(kernel), fake_(fake)
{
	add("list-commands", false, "this list", [this](const Request &r, const Reply &reply, const Follow &) {
		reply(encode_ok(r.id, list()));
	});
	add("version", false, "sriovd's version and the control protocol's",
	    [](const Request &r, const Reply &reply, const Follow &) {
		    reply(encode_ok(r.id, {{"version", std::string(project_version())}, {"protocol", protocol_version}}));
	    });
	add("show", false, "one partition, the sequence running on it and its last sequence's end (args: partition)",
	    [this](const Request &r, const Reply &reply, const Follow &) {
		    const auto name = arg_str(r.args, "partition");
		    const json st = engine_.status();
		    const auto &parts = st.at("partitions");
		    const auto p = std::find_if(parts.begin(), parts.end(), [&](const json &j) { return j.at("name") == name; });
		    if (p == parts.end()) {
			    reply(encode_error(r.id, "unknown_partition", "no partition " + text::sanitize_utf8(name)));
			    return;
		    }
		    json running = nullptr;
		    for (const auto &q : st.at("sequences"))
			    if (q.at("partition") == name) {
				    running = q;
				    break;
			    }
		    reply(encode_ok(r.id, {{"partition", *p}, {"sequence", running}, {"last", last_sequence(name, 0)}}));
	    });
	add("wait", false, "wait for a sequence to end: by id, or the one running on a partition (args: seq | partition, progress)",
	    [this](const Request &r, const Reply &reply, const Follow &) {
		    const bool by_seq = r.args.contains("seq");
		    if (by_seq == r.args.contains("partition"))
			    throw ArgError(R"(give one of "seq" and "partition")");
		    std::uint64_t seq = 0;
		    std::string part;
		    if (by_seq) {
			    const auto v = arg_int(r.args, "seq");
			    if (v <= 0)
				    throw ArgError("\"seq\" must be positive");
			    seq = static_cast<std::uint64_t>(v);
		    } else {
			    part = arg_str(r.args, "partition");
			    if (!engine_.model().partitions.contains(part)) {
				    reply(encode_error(r.id, "unknown_partition", "no partition " + text::sanitize_utf8(part)));
				    return;
			    }
		    }
		    for (const auto &q : engine_.sequences())
			    if (by_seq ? q.at("id") == seq : q.at("partition") == part) {
				    watch(r, reply, q.at("id").get<std::uint64_t>(), q.at("phases"));
				    return;
			    }
		    // ended already: its result, from the event ring
		    if (const json ev = last_sequence(part, seq); !ev.is_null()) {
			    reply(encode_end(r.id, ev));
			    return;
		    }
		    if (by_seq)
			    reply(encode_error(r.id, "unknown_sequence",
					       "no sequence " + std::to_string(seq) + " is running or among the recent events"));
		    else
			    reply(encode_ok(r.id, {{"partition", part}, {"idle", true}}));
	    });
	add("status", false, "PFs (with their switch's filter capacity), VFs, partitions and running sequences",
	    [this](const Request &r, const Reply &reply, const Follow &) {
		    json st = engine_.status();
		    // the kernel's own count: partitions on the synthetic path
		    // take a default-VPort MAC filter each, a VF VPort an
		    // exact (RAR) entry
		    const auto kpfs = kernel_.pfs();
		    for (auto &pf : st.at("pfs")) {
			    const auto name = pf.at("name").get<std::string>();
			    auto it = std::find_if(kpfs.begin(), kpfs.end(),
						   [&](const PfInfo &k) { return k.name == name; });
			    if (it == kpfs.end() || !it->capacity)
				    continue;
			    const auto &c = *it->capacity;
			    pf["switch"] = {{"default_mac_filters", c.default_mac_filters},
					    {"default_mac_filters_max", c.default_mac_filters_max},
					    {"mac_filters_free", c.mac_filters_free},
					    {"mac_filters_max", c.mac_filters_max}};
		    }
		    reply(encode_ok(r.id, st));
	    });
	add("list", false, "partitions", [this](const Request &r, const Reply &reply, const Follow &) {
		reply(encode_ok(r.id, engine_.status().at("partitions")));
	});
	add("vf-show", false, "VFs of a PF (args: pf, vf)", [this](const Request &r, const Reply &reply, const Follow &) {
		const std::string want_pf = arg_str_or(r.args, "pf", "");
		const std::int64_t want_vf = arg_int_or(r.args, "vf", -1);
		json out = json::array();
		bool pf_found = want_pf.empty();
		for (const auto &[name, pf] : engine_.model().pfs) {
			if (!want_pf.empty() && name != want_pf)
				continue;
			pf_found = true;
			const auto kvfs = kernel_.vfs(name);
			for (std::size_t i = 0; i < pf.vfs.size(); ++i) {
				if (want_vf >= 0 && static_cast<std::size_t>(want_vf) != i)
					continue;
				json v{{"pf", name},
				       {"vf", i},
				       {"state", std::string(model::to_string(pf.vfs[i].state))},
				       {"partition", pf.vfs[i].partition},
				       {"reason", std::string(to_string(pf.vfs[i].reason))}};
				// the kernel's VF of that index, wherever the dump put it
				const auto k = std::find_if(kvfs.begin(), kvfs.end(),
							    [i](const VfInfo &kv) { return kv.index.value == i; });
				if (k != kvfs.end()) {
					v["allocated"] = k->allocated;
					v["netdev"] = k->netdev;
					v["netns"] = k->netns;
					v["mac"] = k->mac.str();
					v["serial"] = k->serial;
				}
				out.push_back(v);
			}
		}
		if (!pf_found) {
			reply(encode_error(r.id, "unknown_pf", "no PF " + want_pf));
			return;
		}
		if (want_vf >= 0 && out.empty()) {
			reply(encode_error(r.id, "unknown_vf", "no VF " + std::to_string(want_vf) + " on " + want_pf));
			return;
		}
		reply(encode_ok(r.id, out));
	});
	add("config-read", false, "VF config space through the PF proxy (args: pf, vf, offset, length)",
	    [this](const Request &r, const Reply &reply, const Follow &) {
		    constexpr std::int64_t cfg_max = 4096;
		    const auto pf = arg_str(r.args, "pf");
		    const auto vf = arg_u32(r.args, "vf", 255);
		    const auto off = arg_u32(r.args, "offset", cfg_max - 1);
		    const auto len = arg_u32(r.args, "length", cfg_max);
		    auto res = kernel_.config_read(pf, VfIndex{vf}, off, len);
		    if (!res.ok()) {
			    reply(encode_error(r.id, "config_read_failed", res.status.msg));
			    return;
		    }
		    std::string hex;
		    static constexpr const char *digits = "0123456789abcdef";
		    for (auto b : *res.value) {
			    hex += digits[b >> 4U];
			    hex += digits[b & 0xfU];
		    }
		    reply(encode_ok(r.id, {{"pf", pf}, {"vf", vf}, {"offset", off}, {"length", len}, {"hex", hex}}));
	    });
	// The kernel's config-space proxy is an admin operation: a local user
	// must not get through sriovd what the kernel refuses them.
	restrict("config-read");
	add("events", false, "recent events (args: after, follow)",
	    [this](const Request &r, const Reply &reply, const Follow &follow) {
		    const auto after = arg_int_or(r.args, "after", 0);
		    const bool fol = arg_bool_or(r.args, "follow", false);
		    reply(encode_ok(r.id, {{"events", engine_.events(static_cast<std::uint64_t>(std::max<std::int64_t>(after, 0)))},
					  {"following", fol}}));
		    if (fol)
			    follow();
	    });
	add("sequences", false, "sequences in flight", [this](const Request &r, const Reply &reply, const Follow &) {
		reply(encode_ok(r.id, engine_.sequences()));
	});
	add("metrics", false, "Prometheus text exposition", [this](const Request &r, const Reply &reply, const Follow &) {
		reply(encode_ok(r.id, {{"text", engine_.metrics()}}));
	});
	add("audit", false, "compare the model with the kernel's dumps",
	    [this](const Request &r, const Reply &reply, const Follow &) {
		    const auto problems = engine_.idle() ? engine_.audit() : std::vector<std::string>{};
		    reply(encode_ok(r.id, {{"idle", engine_.idle()}, {"consistent", engine_.idle() && problems.empty()},
					  {"problems", problems}}));
	    });
	add("partition-add", true, "create a partition's adapter (args: name, netns, pf, mac, vlan, weight, ips, ifname, container_id)",
	    [this](const Request &r, const Reply &reply, const Follow &) {
		    seq::PartitionSpec spec;
		    spec.name = arg_str(r.args, "name");
		    spec.netns = arg_str_or(r.args, "netns", spec.name);
		    spec.ifname = arg_str_or(r.args, "ifname", spec.ifname);
		    spec.container_id = arg_str_or(r.args, "container_id", "");
		    spec.pf = arg_str(r.args, "pf");
		    auto mac = MacAddr::parse(arg_str(r.args, "mac"));
		    if (!mac)
			    throw ArgError("\"mac\" must look like 02:00:00:00:00:01");
		    spec.mac = *mac;
		    spec.vlan = VlanId{static_cast<std::uint16_t>(arg_int_or(r.args, "vlan", 0) & 0xffff)};
		    if (arg_int_or(r.args, "vlan", 0) < 0 || arg_int_or(r.args, "vlan", 0) > 4094)
			    throw ArgError("\"vlan\" must be 0..4094");
		    spec.weight = r.args.contains("weight") ? arg_u32(r.args, "weight", 100) : 100;
		    if (r.args.contains("ips")) {
			    const auto &ips = r.args.at("ips");
			    if (!ips.is_array())
				    throw ArgError("\"ips\" must be an array of addresses");
			    for (const auto &ip : ips) {
				    if (!ip.is_string())
					    throw ArgError("\"ips\" must be an array of addresses");
				    auto c = canonical_ip(ip.get<std::string>());
				    if (!c)
					    throw ArgError("\"ips\": " + text::sanitize_utf8(ip.get<std::string>()) +
							   " is not an IPv4 or IPv6 address (no prefix length)");
				    if (std::find(spec.ips.begin(), spec.ips.end(), *c) != spec.ips.end())
					    throw ArgError("\"ips\": " + *c + " given twice");
				    spec.ips.push_back(*c);
			    }
		    }
		    const bool wait = arg_bool_or(r.args, "wait", true);
		    auto w = progress_watch(r, reply, wait);
		    auto st = engine_.add_partition(spec, wait ? done_fn(r.id, reply, w) : seq::DoneFn{});
		    follow_progress(w, st);
		    reply_started(r, reply, st, wait);
	    });
	auto simple = [this](const std::string &name, const std::string &help,
			     const std::function<seq::StartResult(const Request &, seq::DoneFn)> &start) {
		add(name, true, help, [this, start](const Request &r, const Reply &reply, const Follow &) {
			const bool wait = arg_bool_or(r.args, "wait", true);
			auto w = progress_watch(r, reply, wait);
			const auto st = start(r, wait ? done_fn(r.id, reply, w) : seq::DoneFn{});
			follow_progress(w, st);
			reply_started(r, reply, st, wait);
		});
	};
	simple("partition-remove", "tear a partition down (args: partition)", [this](const Request &r, seq::DoneFn d) {
		return engine_.remove_partition(arg_str(r.args, "partition"), std::move(d));
	});
	simple("attach", "attach a VF (args: partition, wait)", [this](const Request &r, seq::DoneFn d) {
		return engine_.attach(arg_str(r.args, "partition"), std::move(d));
	});
	simple("detach", "planned failover and stop wanting a VF (args: partition)",
	       [this](const Request &r, seq::DoneFn d) { return engine_.detach(arg_str(r.args, "partition"), std::move(d)); });
	simple("failover", "planned failover to synthetic (args: partition, hold_ms)", [this](const Request &r, seq::DoneFn d) {
		return engine_.failover(arg_str(r.args, "partition"), arg_int_or(r.args, "hold_ms", -1), std::move(d));
	});
	simple("migrate", "live migration (args: partition, action=prepare|complete|abort, dest)",
	       [this](const Request &r, seq::DoneFn d) {
		       const auto part = arg_str(r.args, "partition");
		       const auto action = arg_str(r.args, "action");
		       if (action == "prepare")
			       return engine_.migrate_prepare(part, arg_str(r.args, "dest"), std::move(d));
		       if (action == "complete")
			       return engine_.migrate_complete(part, std::move(d));
		       if (action == "abort")
			       return engine_.migrate_abort(part, std::move(d));
		       throw ArgError("\"action\" must be prepare, complete or abort");
	       });
	add("teardown-all", true, "tear down every partition (adapters too); answers when started, those in a sequence follow when it ends",
	    [this](const Request &r, const Reply &reply, const Follow &) {
		    const std::size_t n = engine_.teardown_all();
		    reply(encode_ok(r.id, {{"started", n},
					   {"queued", engine_.teardowns_queued()},
					   {"remaining", engine_.model().partitions.size()}}));
	    });
	add("set-weight", true, "VF arbitration weight 0..100 (args: partition, weight)",
	    [this](const Request &r, const Reply &reply, const Follow &) {
		    auto st = engine_.set_weight(arg_str(r.args, "partition"), arg_u32(r.args, "weight", 100));
		    reply_started(r, reply, st, false);
	    });
	add("vf-unquarantine", true, "return a quarantined VF to the pool (args: pf, vf)",
	    [this](const Request &r, const Reply &reply, const Follow &) {
		    auto st = engine_.clear_quarantine(arg_str(r.args, "pf"), VfIndex{arg_u32(r.args, "vf", 255)});
		    reply_started(r, reply, st, false);
	    });
	add_parked_commands();
	add_fake_command();
}

void Commands::add(const std::string &name, bool mutating, std::string help,
		   std::function<void(const Request &, const Reply &, const Follow &)> fn)
{
	table_[name] = Entry{.mutating = mutating, .privileged = mutating, .help = std::move(help), .fn = std::move(fn)};
}

void Commands::restrict(const std::string &name)
{
	table_.at(name).privileged = true;
}

json Commands::list() const
{
	json a = json::array();
	for (const auto &[name, e] : table_)
		a.push_back({{"name", name}, {"mutating", e.mutating}, {"privileged", e.privileged}, {"help", e.help}});
	return a;
}

void Commands::reply_started(const Request &req, const Reply &reply, const seq::StartResult &r, bool wait)
{
	json res{{"seq", r.seq}, {"queued", r.queued}, {"detail", r.detail}};
	if (!r.ok()) {
		reply(encode_error(req.id, to_string(r.reason), r.detail, res));
		return;
	}
	// With wait, the DoneFn answers (possibly already did, inside the call).
	if (!wait || r.seq == 0)
		reply(encode_ok(req.id, res));
}

void Commands::dispatch(const Request &req, const Peer &peer, const Reply &reply, const Follow &follow,
			const Reply &notify)
{
	auto it = table_.find(req.cmd);
	if (it == table_.end()) {
		reply(encode_error(req.id, "unknown_command", "no command \"" + req.cmd + "\""));
		return;
	}
	if (it->second.privileged && !peer.privileged) {
		const std::string why = it->second.mutating ? " changes state" : " is an admin-only read";
		reply(encode_error(req.id, "permission_denied",
				   "\"" + req.cmd + "\"" + why + "; uid " + std::to_string(peer.uid) +
					   " is neither root nor in sriovd's --group"));
		return;
	}
	notify_ = notify;
	try {
		it->second.fn(req, reply, follow);
	} catch (const ArgError &e) {
		reply(encode_error(req.id, "bad_request", e.what()));
	} catch (const nlohmann::json::exception &e) {
		reply(encode_error(req.id, "bad_request", e.what()));
	} catch (...) {
		notify_ = nullptr;
		throw;
	}
	notify_ = nullptr;
}

std::string Commands::encode_end(const json &id, const json &ev)
{
	if (ev.at("result") == "ok")
		return encode_ok(id, ev);
	return encode_error(id, ev.at("reason").get<std::string>(), ev.at("detail").get<std::string>(), ev);
}

void Commands::send_steps(Watch &w, std::uint64_t seq, const json &phases)
{
	if (!w.progress)
		return;
	while (w.sent < phases.size()) {
		const auto &ph = phases.at(w.sent);
		if (ph.value("result", "").empty())
			return; // the step running now
		json step = ph;
		step["seq"] = seq;
		w.notify(encode_progress(w.id, step));
		++w.sent;
	}
}

std::shared_ptr<Commands::Watch> Commands::progress_watch(const Request &r, const Reply &reply, bool wait) const
{
	if (!wait || !notify_ || !arg_bool_or(r.args, "progress", false))
		return nullptr;
	auto w = std::make_shared<Watch>();
	w->id = r.id;
	w->reply = reply;
	w->notify = notify_;
	w->progress = true;
	return w;
}

seq::DoneFn Commands::done_fn(const json &id, const Reply &reply, const std::shared_ptr<Watch> &w)
{
	return [id, reply, w](const json &ev) {
		if (w) {
			// the steps the last poll did not see (all of them when the
			// sequence ended inside the request)
			send_steps(*w, ev.at("seq").get<std::uint64_t>(), ev.at("phases"));
			w->done = true;
		}
		reply(encode_end(id, ev));
	};
}

void Commands::follow_progress(const std::shared_ptr<Watch> &w, const seq::StartResult &st)
{
	if (!w || w->done || !st.ok() || st.seq == 0)
		return;
	w->seq = st.seq;
	watches_.push_back(w);
}

void Commands::watch(const Request &r, const Reply &reply, std::uint64_t seq, const json &phases)
{
	auto w = std::make_shared<Watch>();
	w->id = r.id;
	w->reply = reply;
	w->notify = notify_;
	w->seq = seq;
	w->progress = notify_ && arg_bool_or(r.args, "progress", false);
	w->answer = true;
	send_steps(*w, seq, phases); // what it did so far, at once
	watches_.push_back(w);
}

json Commands::last_sequence(const std::string &partition, std::uint64_t seq) const
{
	const json evs = engine_.events(0);
	for (auto it = evs.rbegin(); it != evs.rend(); ++it) {
		if (it->value("type", "") != "sequence")
			continue;
		if (seq != 0 ? it->at("seq") == seq : it->at("partition") == partition)
			return *it;
	}
	return nullptr;
}

void Commands::poll_progress()
{
	std::erase_if(watches_, [](const std::shared_ptr<Watch> &w) { return w->done; });
	if (std::none_of(watches_.begin(), watches_.end(), [](const std::shared_ptr<Watch> &w) { return w->progress; }))
		return;
	const json seqs = engine_.sequences();
	for (const auto &w : watches_) {
		if (!w->progress)
			continue;
		for (const auto &q : seqs)
			if (q.at("id") == w->seq)
				send_steps(*w, w->seq, q.at("phases"));
	}
}

void Commands::on_event(const json &ev)
{
	if (ev.value("type", "") != "sequence" || watches_.empty())
		return;
	const auto seq = ev.at("seq").get<std::uint64_t>();
	for (const auto &w : watches_) {
		if (w->done || w->seq != seq)
			continue;
		send_steps(*w, seq, ev.at("phases"));
		// a command's own watch is answered by its DoneFn, right after
		if (w->answer)
			w->reply(encode_end(w->id, ev));
		w->done = true;
	}
	std::erase_if(watches_, [](const std::shared_ptr<Watch> &w) { return w->done; });
}

} // namespace sriov::control
