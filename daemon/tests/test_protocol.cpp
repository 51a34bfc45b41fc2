// SPDX-License-Identifier: GPL-2.0
// Control protocol parsing and the command registry (privilege, errors).
#include "control/commands.hpp"
#include "control/protocol.hpp"
#include "rig.hpp"

#include <gtest/gtest.h>

namespace sriov::test {

using json = nlohmann::json;
using namespace sriov::control;

TEST(Protocol, ParsesValidRequest)
{
	auto r = parse_request(R"({"id": 7, "cmd": "status", "args": {"x": 1}})");
	ASSERT_TRUE(std::holds_alternative<Request>(r));
	const auto &req = std::get<Request>(r);
	EXPECT_EQ(req.cmd, "status");
	EXPECT_EQ(req.id, 7);
	EXPECT_EQ(req.args.at("x"), 1);
}

TEST(Protocol, RejectsGarbage)
{
	for (const char *bad : {"", "garbage", "[1,2]", R"({"cmd": 3})", R"({"args": {}})", R"({"cmd":"x","args":[]})",
				R"({"cmd":"x")", "\xff\xfe"}) {
		auto r = parse_request(bad);
		ASSERT_TRUE(std::holds_alternative<ParseError>(r)) << bad;
		EXPECT_EQ(std::get<ParseError>(r).code, "bad_request") << bad;
	}
	std::string big(max_request_bytes + 1, ' ');
	auto r = parse_request(big);
	ASSERT_TRUE(std::holds_alternative<ParseError>(r));
	EXPECT_EQ(std::get<ParseError>(r).code, "request_too_large");
}

TEST(Protocol, ErrorsCarryHints)
{
	auto j = json::parse(encode_error(1, "permission_denied", "no"));
	EXPECT_FALSE(j.at("ok").get<bool>());
	EXPECT_EQ(j.at("error").at("code"), "permission_denied");
	EXPECT_FALSE(j.at("error").at("hint").get<std::string>().empty());
	// invalid UTF-8 in the message does not throw
	EXPECT_NO_THROW(encode_error(1, "bad_request", "\xff"));
}

struct CmdRig : Rig {
	CmdRig() : cmds(*engine, kernel, &kernel) {}
	json call(const std::string &cmd, const json &args, bool privileged = true)
	{
		std::vector<std::string> lines;
		Request req{.id = 1, .cmd = cmd, .args = args};
		cmds.dispatch(req, Peer{.uid = privileged ? 0U : 65534U, .gid = 0, .pid = 1, .privileged = privileged},
			      [&](const std::string &l) { lines.push_back(l); }, [] {});
		settle();
		EXPECT_EQ(lines.size(), 1U) << cmd;
		return lines.empty() ? json{} : json::parse(lines.front());
	}
	Commands cmds;
};

TEST(Commands, UnprivilegedMayReadNotWrite)
{
	CmdRig r;
	EXPECT_TRUE(r.call("status", json::object(), false).at("ok").get<bool>());
	auto j = r.call("partition-add", {{"name", "p1"}, {"pf", pf0}, {"mac", "02:00:00:00:00:01"}}, false);
	EXPECT_FALSE(j.at("ok").get<bool>());
	EXPECT_EQ(j.at("error").at("code"), "permission_denied");
	EXPECT_TRUE(r.engine->model().partitions.empty());
}

TEST(Commands, AttachDetachThroughRegistry)
{
	CmdRig r;
	auto j = r.call("partition-add", {{"name", "p1"}, {"pf", pf0}, {"mac", "02:00:00:00:00:01"}});
	ASSERT_TRUE(j.at("ok").get<bool>()) << j.dump();
	j = r.call("attach", {{"partition", "p1"}});
	ASSERT_TRUE(j.at("ok").get<bool>()) << j.dump();
	EXPECT_EQ(j.at("result").at("kind"), "attach");
	j = r.call("audit", json::object());
	EXPECT_TRUE(j.at("result").at("consistent").get<bool>()) << j.dump();
	j = r.call("detach", {{"partition", "p1"}});
	ASSERT_TRUE(j.at("ok").get<bool>()) << j.dump();
	j = r.call("metrics", json::object());
	EXPECT_NE(j.at("result").at("text").get<std::string>().find("sriovd_sequences_total{kind=\"attach\",result=\"ok\"} 1"),
		  std::string::npos);
}

TEST(Commands, BadArgumentsAndUnknownCommand)
{
	CmdRig r;
	EXPECT_EQ(r.call("nope", json::object()).at("error").at("code"), "unknown_command");
	EXPECT_EQ(r.call("attach", json::object()).at("error").at("code"), "bad_request");
	EXPECT_EQ(r.call("attach", {{"partition", 5}}).at("error").at("code"), "bad_request");
	EXPECT_EQ(r.call("attach", {{"partition", "ghost"}}).at("error").at("code"), "unknown_partition");
	EXPECT_EQ(r.call("partition-add", {{"name", "p"}, {"pf", pf0}, {"mac", "zz"}}).at("error").at("code"),
		  "bad_request");
	EXPECT_EQ(r.call("partition-add", {{"name", "p"}, {"pf", "nope"}, {"mac", "02:00:00:00:00:01"}})
			  .at("error")
			  .at("code"),
		  "unknown_pf");
	EXPECT_EQ(r.call("config-read", {{"pf", pf0}, {"vf", 0}, {"offset", 0}, {"length", 4}}).at("result").at("hex"),
		  "8680ca10");
	EXPECT_EQ(r.call("vf-show", {{"pf", "nope"}}).at("error").at("code"), "unknown_pf");
}

/// The server's part around the registry: every line a client gets, in
/// order; the engine's events, pumps and progress polls wired as
/// control/server.cpp wires them.
struct StreamRig : Rig {
	StreamRig() : cmds(*engine, kernel, &kernel)
	{
		engine->on_event = [this](const json &ev) { cmds.on_event(ev); };
	}
	void send(const std::string &cmd, const json &args, int id)
	{
		const Request req{.id = id, .cmd = cmd, .args = args};
		auto line = [this](const std::string &l) { lines.push_back(json::parse(l)); };
		cmds.dispatch(req, Peer{.uid = 0, .gid = 0, .pid = 1, .privileged = true}, line, [] {}, line);
		cmds.poll_progress();
	}
	/// Run to idle.
	void run()
	{
		for (int i = 0; i < 100000 && !engine->idle(); ++i) {
			clock.advance(10);
			engine->pump();
			cmds.poll_progress();
		}
		EXPECT_TRUE(engine->idle());
	}
	/// The fake adapter pairs with its VF only after release(): an attach
	/// waits in wait_pair until then.
	void hold_pairing() { kernel.set_pairing(false); }
	void release()
	{
		kernel.set_pairing(true);
		engine->handle_kernel_events();
		cmds.poll_progress();
		run();
	}
	[[nodiscard]] std::size_t responses() const
	{
		return static_cast<std::size_t>(
			std::count_if(lines.begin(), lines.end(), [](const json &l) { return l.contains("ok"); }));
	}
	std::vector<json> lines;
	Commands cmds;
};

void add_p1(StreamRig &r)
{
	r.send("partition-add", {{"name", "p1"}, {"pf", pf0}, {"mac", "02:00:00:00:00:01"}}, 1);
	r.run();
	ASSERT_EQ(r.lines.size(), 1U);
	ASSERT_TRUE(r.lines.back().at("ok").get<bool>()) << r.lines.back().dump();
	r.lines.clear();
}

TEST(Commands, VersionNamesTheProtocol)
{
	StreamRig r;
	r.send("version", json::object(), 1);
	ASSERT_EQ(r.lines.size(), 1U);
	EXPECT_EQ(r.lines[0].at("result").at("protocol"), protocol_version);
	EXPECT_EQ(r.lines[0].at("result").at("version"), std::string(project_version()));
	EXPECT_FALSE(project_version().empty());
}

TEST(Commands, ProgressStepsPrecedeTheResponse)
{
	StreamRig r;
	add_p1(r);
	r.hold_pairing();
	r.send("attach", {{"partition", "p1"}, {"progress", true}}, 2);
	// the steps up to the pairing, while the attach waits for it
	EXPECT_EQ(r.responses(), 0U);
	ASSERT_EQ(r.lines.size(), 3U);
	EXPECT_EQ(r.lines[2].at("progress").at("step"), "vf_to_child");
	r.release();
	ASSERT_EQ(r.responses(), 1U);
	const json resp = r.lines.back();
	ASSERT_TRUE(resp.at("ok").get<bool>()) << resp.dump();
	const auto &phases = resp.at("result").at("phases");
	ASSERT_EQ(r.lines.size(), phases.size() + 1);
	for (std::size_t i = 0; i < phases.size(); ++i) {
		const auto &l = r.lines[i];
		EXPECT_EQ(l.at("id"), 2);
		EXPECT_EQ(l.at("progress").at("seq"), resp.at("result").at("seq"));
		EXPECT_EQ(l.at("progress").at("step"), phases[i].at("step"));
		EXPECT_EQ(l.at("progress").at("result"), "ok");
	}
	// a sequence that ends inside the request: every step, then the end
	r.lines.clear();
	r.send("failover", {{"partition", "p1"}, {"hold_ms", 3600000}, {"progress", true}}, 3);
	r.run();
	ASSERT_EQ(r.responses(), 1U);
	ASSERT_EQ(r.lines.size(), r.lines.back().at("result").at("phases").size() + 1);
	EXPECT_EQ(r.lines[0].at("progress").at("step"), "datapath_synthetic");
	// without "progress": the response only
	r.lines.clear();
	r.send("detach", {{"partition", "p1"}}, 4);
	r.run();
	ASSERT_EQ(r.lines.size(), 1U);
	EXPECT_TRUE(r.lines[0].at("ok").get<bool>());
}

TEST(Commands, ProgressOfARollback)
{
	StreamRig r;
	add_p1(r);
	r.kernel.fail("vport_create", 28, 1);
	r.send("attach", {{"partition", "p1"}, {"progress", true}}, 2);
	r.run();
	ASSERT_EQ(r.responses(), 1U);
	const json resp = r.lines.back();
	EXPECT_EQ(resp.at("error").at("code"), "vport_create_failed");
	const auto &phases = resp.at("result").at("phases");
	ASSERT_EQ(r.lines.size(), phases.size() + 1);
	EXPECT_EQ(r.lines[1].at("progress").at("step"), "vport_create");
	EXPECT_NE(r.lines[1].at("progress").at("result").get<std::string>().find("failed"), std::string::npos);
	EXPECT_EQ(r.lines[phases.size() - 1].at("progress").at("detail"), phases.back().at("detail"));
}

TEST(Commands, WaitForASequenceStartedWithoutWaiting)
{
	StreamRig r;
	add_p1(r);
	r.hold_pairing();
	r.send("attach", {{"partition", "p1"}, {"wait", false}}, 2);
	ASSERT_EQ(r.lines.size(), 1U);
	const auto seq = r.lines[0].at("result").at("seq").get<std::uint64_t>();
	ASSERT_NE(seq, 0U);
	r.lines.clear();
	r.send("wait", {{"seq", seq}, {"progress", true}}, 3);
	r.send("wait", {{"partition", "p1"}}, 4);
	EXPECT_EQ(r.responses(), 0U);
	// the steps done before the wait came, at once
	ASSERT_EQ(r.lines.size(), 3U);
	EXPECT_EQ(r.lines[0].at("progress").at("step"), "vf_allocate");
	r.release();
	ASSERT_EQ(r.responses(), 2U);
	for (const auto &l : r.lines)
		if (l.contains("ok")) {
			EXPECT_TRUE(l.at("ok").get<bool>()) << l.dump();
			EXPECT_EQ(l.at("result").at("seq"), seq);
			EXPECT_EQ(l.at("result").at("kind"), "attach");
		} else {
			EXPECT_EQ(l.at("id"), 3) << "progress only for the request that asked";
		}
	// ended: answered at once from the event ring
	r.lines.clear();
	r.send("wait", {{"seq", seq}}, 5);
	r.send("wait", {{"partition", "p1"}}, 6);
	ASSERT_EQ(r.lines.size(), 2U);
	EXPECT_EQ(r.lines[0].at("result").at("seq"), seq);
	EXPECT_EQ(r.lines[1].at("result").at("seq"), seq);
	// a failed sequence: its reason
	r.send("detach", {{"partition", "p1"}}, 7);
	r.run();
	r.kernel.fail("vport_create", 28, 1);
	r.lines.clear();
	r.send("attach", {{"partition", "p1"}, {"wait", false}}, 8);
	const auto failed = r.lines.at(0).at("result").at("seq").get<std::uint64_t>();
	r.send("wait", {{"seq", failed}}, 9);
	r.run();
	ASSERT_EQ(r.lines.size(), 2U);
	EXPECT_EQ(r.lines[1].at("error").at("code"), "vport_create_failed");
	EXPECT_EQ(r.lines[1].at("result").at("seq"), failed);
	// errors
	r.lines.clear();
	r.send("wait", {{"seq", 999}}, 10);
	r.send("wait", {{"partition", "ghost"}}, 11);
	r.send("wait", json::object(), 12);
	r.send("wait", {{"seq", 0}}, 13);
	ASSERT_EQ(r.lines.size(), 4U);
	EXPECT_EQ(r.lines[0].at("error").at("code"), "unknown_sequence");
	EXPECT_EQ(r.lines[1].at("error").at("code"), "unknown_partition");
	EXPECT_EQ(r.lines[2].at("error").at("code"), "bad_request");
	EXPECT_EQ(r.lines[3].at("error").at("code"), "bad_request");
}

TEST(Commands, WaitOnAnIdlePartitionGivesItsLastSequence)
{
	StreamRig r;
	r.send("partition-add", {{"name", "p1"}, {"pf", pf0}, {"mac", "02:00:00:00:00:01"}, {"wait", false}}, 1);
	r.run();
	r.lines.clear();
	// the partition-add sequence is its last
	r.send("wait", {{"partition", "p1"}}, 2);
	ASSERT_EQ(r.lines.size(), 1U);
	EXPECT_EQ(r.lines[0].at("result").at("kind"), "adapter_create");
}

TEST(Commands, ShowOnePartition)
{
	StreamRig r;
	add_p1(r);
	r.hold_pairing();
	r.send("attach", {{"partition", "p1"}, {"wait", false}}, 2);
	r.lines.clear();
	r.send("show", {{"partition", "p1"}}, 3);
	ASSERT_EQ(r.lines.size(), 1U);
	auto res = r.lines[0].at("result");
	EXPECT_EQ(res.at("partition").at("name"), "p1");
	EXPECT_TRUE(res.at("partition").at("busy").get<bool>());
	EXPECT_EQ(res.at("sequence").at("kind"), "attach");
	EXPECT_EQ(res.at("last").at("kind"), "adapter_create");
	r.release();
	r.lines.clear();
	r.send("show", {{"partition", "p1"}}, 4);
	res = r.lines.at(0).at("result");
	EXPECT_TRUE(res.at("sequence").is_null());
	EXPECT_EQ(res.at("last").at("kind"), "attach");
	EXPECT_EQ(res.at("last").at("result"), "ok");
	EXPECT_EQ(res.at("partition").at("vf").at("datapath"), "vf");
	r.lines.clear();
	r.send("show", {{"partition", "ghost"}}, 5);
	EXPECT_EQ(r.lines.at(0).at("error").at("code"), "unknown_partition");
}

} // namespace sriov::test
