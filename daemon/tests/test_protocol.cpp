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
	for (const char *bad : {"", "garbage", "[1,2]", "{\"cmd\": 3}", "{\"args\": {}}", "{\"cmd\":\"x\",\"args\":[]}",
				"{\"cmd\":\"x\"", "\xff\xfe"}) {
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

} // namespace sriov::test
