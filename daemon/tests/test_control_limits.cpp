// SPDX-License-Identifier: GPL-2.0
// Control socket hardening that needs no socket: kernel strings that are
// not UTF-8, and the privilege of admin-only reads.
#include "common/clock.hpp"
#include "rig.hpp"
#include "common/text.hpp"
#include "control/commands.hpp"
#include "control/protocol.hpp"
#include "kernel/fake_kernel.hpp"
#include "seq/engine.hpp"
#include "store/state_store.hpp"

#include <gtest/gtest.h>
#include <random>
#include <string>
#include <vector>

namespace sriov::test {

using json = nlohmann::json;
using namespace sriov::control;

namespace {

const std::string fffd = "\xEF\xBF\xBD";

/// What nlohmann::json's replace handler makes of @s (the string inside the quotes).
std::string nlohmann_replaced(const std::string &s)
{
	const std::string d = json(s).dump(-1, ' ', false, json::error_handler_t::replace);
	return json::parse(d).get<std::string>();
}

} // namespace

TEST(Utf8, ValidInputIsUnchanged)
{
	for (const std::string s : {"", "enp1s0", "eth\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80x", "\x7F"}) {
		EXPECT_TRUE(text::is_valid_utf8(s)) << s;
		EXPECT_EQ(text::sanitize_utf8(s), s);
	}
}

TEST(Utf8, InvalidBytesBecomeReplacementCharacters)
{
	EXPECT_FALSE(text::is_valid_utf8("en\xff"));
	EXPECT_EQ(text::sanitize_utf8("en\xff"), "en" + fffd);
	EXPECT_EQ(text::sanitize_utf8("\xff\xfe"), fffd + fffd);
	// a truncated sequence is one replacement, the byte after it survives
	EXPECT_EQ(text::sanitize_utf8("a\xE2\x82z"), "a" + fffd + "z");
	EXPECT_EQ(text::sanitize_utf8("a\xE2\x82"), "a" + fffd);
	// overlong forms, surrogates, beyond U+10FFFF, lone continuation bytes
	EXPECT_EQ(text::sanitize_utf8("\xC0\xAF"), fffd + fffd);
	EXPECT_EQ(text::sanitize_utf8("\xE0\x80\xAF"), fffd + fffd + fffd);
	EXPECT_EQ(text::sanitize_utf8("\xED\xA0\x80"), fffd + fffd + fffd);
	EXPECT_EQ(text::sanitize_utf8("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);
	EXPECT_EQ(text::sanitize_utf8("\x80x"), fffd + "x");
}

TEST(Utf8, SameRuleAsJsonSerialisation)
{
	// A name reads the same in a log line (sanitize_utf8) and in a reply
	// (nlohmann's replace handler): compare over random byte strings.
	std::mt19937 rng(19); // NOLINT(cert-msc32-c,cert-msc51-cpp): reproducible on purpose
	std::uniform_int_distribution<int> len(0, 12);
	std::uniform_int_distribution<int> byte(0x20, 0xFF);
	for (int i = 0; i < 20000; ++i) {
		std::string s;
		for (int n = len(rng); n > 0; --n)
			s += static_cast<char>(byte(rng));
		const std::string ours = text::sanitize_utf8(s);
		ASSERT_TRUE(text::is_valid_utf8(ours));
		std::string hex;
		for (const char c : s)
			hex += std::to_string(static_cast<unsigned char>(c)) + " ";
		ASSERT_EQ(ours, nlohmann_replaced(s)) << "input bytes " << hex;
	}
}

TEST(Utf8, EncodersDoNotThrow)
{
	const std::string bad = "en\xff\xfe";
	std::string line;
	ASSERT_NO_THROW(line = encode_ok(1, {{"netdev", bad}}));
	EXPECT_EQ(json::parse(line).at("result").at("netdev"), "en" + fffd + fffd);
	ASSERT_NO_THROW(line = encode_event({{"netdev", bad}}));
	EXPECT_EQ(json::parse(line).at("event").at("netdev"), "en" + fffd + fffd);
	ASSERT_NO_THROW(line = encode_request("vf-show", {{"pf", bad}}, 3));
	EXPECT_EQ(json::parse(line).at("args").at("pf"), "en" + fffd + fffd);
}

/// An engine on a memory-only fake kernel whose PF netdev (and so every VF
/// netdev) is not UTF-8, as a partition that renames its VF can make it.
struct BadNameRig {
	BadNameRig() : store(""), engine(kernel, store, clock, config()), cmds(engine, kernel, &kernel)
	{
		kernel.add_pf(pf0, "en\xff\xfe", 2);
		engine.recover();
	}
	static seq::EngineConfig config()
	{
		seq::EngineConfig cfg;
		cfg.timeouts.pair_ms = 500;
		cfg.timeouts.release_ms = 300;
		return cfg;
	}
	void settle()
	{
		for (int i = 0; i < 100000 && !engine.idle(); ++i) {
			clock.advance(10);
			engine.pump();
		}
	}
	json call(const std::string &cmd, const json &args, bool privileged = true)
	{
		std::vector<std::string> lines;
		const Request req{.id = 1, .cmd = cmd, .args = args};
		EXPECT_NO_THROW(cmds.dispatch(req,
					      Peer{.uid = privileged ? 0U : 65534U, .gid = 0, .pid = 1, .privileged = privileged},
					      [&](const std::string &l) { lines.push_back(l); }, [] {}));
		settle();
		EXPECT_EQ(lines.size(), 1U) << cmd;
		if (lines.empty())
			return json{};
		EXPECT_TRUE(text::is_valid_utf8(lines.front())) << cmd;
		return json::parse(lines.front());
	}

	ManualClock clock;
	FakeKernel kernel;
	store::StateStore store;
	seq::Engine engine;
	Commands cmds;
};

TEST(Utf8, KernelNamesDoNotBreakReplies)
{
	BadNameRig r;
	const std::string shown = "en" + fffd + fffd;
	auto j = r.call("status", json::object());
	ASSERT_TRUE(j.at("ok").get<bool>()) << j.dump();
	EXPECT_NE(j.dump().find(shown), std::string::npos) << j.dump();

	j = r.call("partition-add", {{"name", "p1"}, {"pf", pf0}, {"mac", "02:00:00:00:00:01"}});
	ASSERT_TRUE(j.at("ok").get<bool>()) << j.dump();
	j = r.call("attach", {{"partition", "p1"}});
	ASSERT_TRUE(j.at("ok").get<bool>()) << j.dump();

	j = r.call("vf-show", {{"pf", pf0}});
	ASSERT_TRUE(j.at("ok").get<bool>()) << j.dump();
	ASSERT_EQ(j.at("result").size(), 2U);
	EXPECT_EQ(j.at("result").at(0).at("netdev").get<std::string>().rfind(shown, 0), 0U) << j.dump();
	EXPECT_EQ(j.at("result").at(0).at("partition"), "p1");

	for (const char *cmd : {"status", "list", "audit", "events", "sequences", "metrics"}) {
		j = r.call(cmd, json::object());
		EXPECT_TRUE(j.at("ok").get<bool>()) << cmd << ": " << j.dump();
	}
	EXPECT_TRUE(r.call("audit", json::object()).at("result").at("consistent").get<bool>());
}

TEST(Commands, ConfigReadIsPrivileged)
{
	BadNameRig r;
	const json args{{"pf", pf0}, {"vf", 0}, {"offset", 0}, {"length", 4}};
	auto j = r.call("config-read", args, false);
	EXPECT_FALSE(j.at("ok").get<bool>());
	EXPECT_EQ(j.at("error").at("code"), "permission_denied");
	j = r.call("config-read", args, true);
	ASSERT_TRUE(j.at("ok").get<bool>()) << j.dump();
	EXPECT_EQ(j.at("result").at("hex"), "8680ca10");
	// the registry says so
	bool seen = false;
	for (const auto &c : r.cmds.list()) {
		if (c.at("name") == "config-read") {
			seen = true;
			EXPECT_TRUE(c.at("privileged").get<bool>());
			EXPECT_FALSE(c.at("mutating").get<bool>());
		}
		if (c.at("name") == "status") {
			EXPECT_FALSE(c.at("privileged").get<bool>());
		}
		if (c.at("name") == "attach") {
			EXPECT_TRUE(c.at("privileged").get<bool>());
		}
	}
	EXPECT_TRUE(seen);
}

} // namespace sriov::test
