// SPDX-License-Identifier: GPL-2.0
// The synthetic switch's locked ports and its ARP/ND guard: the nftables
// rules a partition gets, and how the engine installs, checks and
// restores both against the fake kernel.
#include "kernel/switch_guard.hpp"
#include "rig.hpp"

#include <algorithm>
#include <cerrno>
#include <gtest/gtest.h>

using namespace sriov;
using namespace sriov::test;
using json = nlohmann::json;

namespace {

const std::string mac1 = "02:00:00:00:00:01";
const std::string mac2 = "02:00:00:00:00:02";

PortGuard guard_of(const std::string &mac, std::vector<std::string> ips)
{
	return {.partition = "p", .mac = *MacAddr::parse(mac), .ips = std::move(ips)};
}

bool has_rule(const std::vector<std::string> &rules, const std::string &r)
{
	return std::find(rules.begin(), rules.end(), r) != rules.end();
}

bool mentions(const std::vector<std::string> &rules, const std::string &what)
{
	return std::any_of(rules.begin(), rules.end(), [&](const std::string &r) { return r.find(what) != std::string::npos; });
}

json add(Rig &r, const std::string &name, const std::string &mac, std::vector<std::string> ips)
{
	json ev;
	auto res = r.engine->add_partition({.name = name, .netns = name, .pf = pf0, .mac = *MacAddr::parse(mac),
					    .vlan = VlanId{}, .weight = 100, .ips = std::move(ips)},
					   [&ev](const json &e) { ev = e; });
	EXPECT_TRUE(res.ok()) << res.detail;
	r.settle();
	return ev;
}

std::size_t index_of(const std::vector<std::string> &v, const std::string &prefix)
{
	for (std::size_t i = 0; i < v.size(); ++i)
		if (v[i].rfind(prefix, 0) == 0)
			return i;
	return v.size();
}

bool audit_mentions(Rig &r, const std::string &what)
{
	const auto p = r.engine->audit();
	return std::any_of(p.begin(), p.end(), [&](const std::string &s) { return s.find(what) != std::string::npos; });
}

} // namespace

// ------------------------------------------------------------ addresses

TEST(SwitchGuard, CanonicalIpTakesOneHostAddress)
{
	EXPECT_EQ(canonical_ip("10.0.0.2"), "10.0.0.2");
	EXPECT_EQ(canonical_ip("fd00:0:0::2"), "fd00::2");
	EXPECT_EQ(canonical_ip("FD00::A"), "fd00::a");
	for (const char *bad : {"", "10.0.0.2/32", "fd00::2/64", "10.0.0", "fe80::1%eth0", "[fd00::2]", "host",
				"10.0.0.256", " 10.0.0.2"})
		EXPECT_FALSE(canonical_ip(bad).has_value()) << bad;
	EXPECT_FALSE(canonical_ip(std::string("10.0.0.2\0x", 10)).has_value());
}

// ------------------------------------------------------------ rules

TEST(SwitchGuard, WithoutAddressesOnlyTheMacIsChecked)
{
	const auto r = guard::port_rules(guard_of(mac1, {}));
	EXPECT_TRUE(has_rule(r, "ether type arp arp saddr ether != 02:00:00:00:00:01 drop"));
	EXPECT_TRUE(has_rule(r, "ether type vlan vlan type arp arp saddr ether != 02:00:00:00:00:01 drop"));
	EXPECT_FALSE(mentions(r, "arp saddr ip")) << "no address given: the sender address is not checked";
	EXPECT_FALSE(mentions(r, "@th,64,128")) << "no address given: the NA target is not checked";
	EXPECT_FALSE(mentions(r, "0xfe80"));
	// the link-layer options of NS/NA name the partition's MAC; no RA, no redirect
	EXPECT_TRUE(has_rule(r, "icmpv6 type { nd-router-advert, nd-redirect } drop"));
	EXPECT_TRUE(mentions(r, "@th,208,48 != 0x020000000001 drop"));
	EXPECT_TRUE(mentions(r, "ip6 length > 32 drop"));
}

TEST(SwitchGuard, AddressesLimitArpAndNeighbourAdvertisements)
{
	const auto r = guard::port_rules(guard_of(mac2, {"10.0.0.2", "fd00::2", "10.0.1.2"}));
	for (const char *l2 : {"ether type arp", "ether type vlan vlan type arp"}) {
		EXPECT_TRUE(has_rule(r, std::string(l2) + " arp saddr ether != 02:00:00:00:00:02 drop")) << l2;
		EXPECT_TRUE(has_rule(r, std::string(l2) + " arp saddr ip != { 0.0.0.0, 10.0.0.2, 10.0.1.2 } drop")) << l2;
	}
	EXPECT_TRUE(has_rule(r, "icmpv6 type nd-neighbor-advert @th,64,16 & 0xffc0 != 0xfe80 @th,64,128 != "
				"{ 0xfd000000000000000000000000000002 } drop"));
	EXPECT_FALSE(mentions(r, "fd00::2")) << "IPv6 addresses are matched as 128-bit payload";
}

TEST(SwitchGuard, OnlyIpv6GivenAllowsNoIpv4SenderButProbes)
{
	const auto r = guard::port_rules(guard_of(mac1, {"fd00::7"}));
	EXPECT_TRUE(has_rule(r, "ether type arp arp saddr ip != { 0.0.0.0 } drop"));
	EXPECT_TRUE(mentions(r, "@th,64,128 != { 0xfd000000000000000000000000000007 } drop"));
}

TEST(SwitchGuard, OnlyIpv4GivenAllowsLinkLocalTargetsOnly)
{
	const auto r = guard::port_rules(guard_of(mac1, {"10.0.0.9"}));
	EXPECT_TRUE(has_rule(r, "icmpv6 type nd-neighbor-advert @th,64,16 & 0xffc0 != 0xfe80 drop"));
}

TEST(SwitchGuard, ScriptReplacesTheWholeTableInOneTransaction)
{
	const auto s = guard::script({{.ifname = "sv0000abcd", .guard = guard_of(mac1, {"10.0.0.2"})},
				      {.ifname = "syn-p.2", .guard = guard_of(mac2, {})}});
	EXPECT_EQ(s.rfind("table bridge sriovd\ndelete table bridge sriovd\ntable bridge sriovd {\n", 0), 0U) << s;
	EXPECT_NE(s.find("type filter hook prerouting priority filter; policy accept;"), std::string::npos);
	EXPECT_NE(s.find("iifname \"sv0000abcd\" jump p_sv0000abcd\n"), std::string::npos) << s;
	EXPECT_NE(s.find("iifname \"syn-p.2\" jump p_syn_p_2\n"), std::string::npos) << s;
	EXPECT_NE(s.find("chain p_sv0000abcd {\n\t\tether type arp arp saddr ether != 02:00:00:00:00:01 drop"),
		  std::string::npos);
	EXPECT_NE(s.find("chain p_syn_p_2 {\n\t\tether type arp arp saddr ether != 02:00:00:00:00:02 drop"),
		  std::string::npos);
	const auto empty = guard::script({});
	EXPECT_EQ(empty.find("jump"), std::string::npos);
	EXPECT_NE(empty.find("hook prerouting"), std::string::npos);
}

// ------------------------------------------------------------ engine

TEST(SwitchGuard, PartitionRulesAreInstalledBeforeItsPortExists)
{
	Rig r;
	auto ev = add(r, "p1", mac1, {"10.0.0.2", "fd00::2"});
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	const auto &rq = r.kernel.requests();
	const auto g = index_of(rq, "guard_apply [p1]");
	const auto c = index_of(rq, "adapter_create p1");
	ASSERT_LT(g, rq.size());
	ASSERT_LT(c, rq.size());
	EXPECT_LT(g, c);
	ASSERT_EQ(r.kernel.guard_ports().size(), 1U);
	EXPECT_EQ(r.kernel.guard_ports()[0],
		  (PortGuard{.partition = "p1", .mac = *MacAddr::parse(mac1), .ips = {"10.0.0.2", "fd00::2"}}));
	EXPECT_NE(r.kernel.guard_script().find("iifname \"syn-p1\" jump p_syn_p1"), std::string::npos);
	EXPECT_NE(r.kernel.guard_script().find("{ 0.0.0.0, 10.0.0.2 }"), std::string::npos);
	EXPECT_EQ(r.engine->model().partitions.at("p1").ips, (std::vector<std::string>{"10.0.0.2", "fd00::2"}));
	r.expect_consistent();
}

TEST(SwitchGuard, AddressesSurviveARestartInTheJournal)
{
	Rig r;
	add(r, "p1", mac1, {"10.0.0.2"});
	r.restart();
	EXPECT_EQ(r.engine->model().partitions.at("p1").ips, (std::vector<std::string>{"10.0.0.2"}));
	ASSERT_EQ(r.kernel.guard_ports().size(), 1U);
	EXPECT_EQ(r.kernel.guard_ports()[0].ips, (std::vector<std::string>{"10.0.0.2"}));
	r.expect_consistent();
}

TEST(SwitchGuard, RemovedPartitionLosesItsRules)
{
	Rig r;
	add(r, "p1", mac1, {"10.0.0.1"});
	add(r, "p2", mac2, {"10.0.0.2"});
	ASSERT_EQ(r.kernel.guard_ports().size(), 2U);
	auto ev = r.run([&](seq::DoneFn d) { return r.engine->remove_partition("p1", std::move(d)); });
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	ASSERT_EQ(r.kernel.guard_ports().size(), 1U);
	EXPECT_EQ(r.kernel.guard_ports()[0].partition, "p2");
	EXPECT_EQ(r.kernel.guard_script().find("syn-p1"), std::string::npos);
	EXPECT_EQ(r.kernel.guard_script().find("10.0.0.1"), std::string::npos);
	r.expect_consistent();
}

TEST(SwitchGuard, AGuardThatCannotBeInstalledRefusesThePartition)
{
	Rig r;
	r.kernel.fail("guard_apply", EPERM);
	auto res = r.engine->add_partition({.name = "p1", .netns = "p1", .pf = pf0, .mac = *MacAddr::parse(mac1)},
					   nullptr);
	EXPECT_EQ(res.reason, Reason::switch_guard_failed) << res.detail;
	EXPECT_FALSE(r.engine->model().partitions.contains("p1"));
	EXPECT_EQ(index_of(r.kernel.requests(), "adapter_create"), r.kernel.requests().size());
	r.settle();
	r.expect_consistent();
}

TEST(SwitchGuard, BadOrSharedAddressesAreRefused)
{
	Rig r;
	add(r, "p1", mac1, {"10.0.0.1"});
	for (const std::vector<std::string> &ips :
	     {std::vector<std::string>{"10.0.0.1"}, {"10.0.0.2", "10.0.0.2"}, {"10.0.0.3/24"}, {"fd00:0::3"}}) {
		auto res = r.engine->add_partition(
			{.name = "p2", .netns = "p2", .pf = pf0, .mac = *MacAddr::parse(mac2), .ips = ips}, nullptr);
		EXPECT_EQ(res.reason, Reason::bad_request) << ips.front();
		EXPECT_FALSE(r.engine->model().partitions.contains("p2"));
	}
	r.expect_consistent();
}

TEST(SwitchGuard, AuditSeesAMissingTableAndARestartRebuildsIt)
{
	Rig r;
	add(r, "p1", mac1, {"10.0.0.1"});
	r.kernel.drop_guard();
	EXPECT_TRUE(audit_mentions(r, "switch guard")) << "the audit misses a deleted table";
	r.restart();
	ASSERT_EQ(r.kernel.guard_ports().size(), 1U);
	r.expect_consistent();
}

TEST(SwitchGuard, PortIsLockedAtCreationAuditedAndRelockedAtStart)
{
	Rig r;
	add(r, "p1", mac1, {});
	ASSERT_TRUE(r.kernel.adapter("p1").has_value());
	EXPECT_TRUE(r.kernel.adapter("p1")->port_locked);
	r.kernel.unlock_port("p1");
	EXPECT_TRUE(audit_mentions(r, "is not locked")) << "the audit misses an unlocked partition port";
	r.restart();
	EXPECT_TRUE(r.kernel.adapter("p1")->port_locked);
	EXPECT_LT(index_of(r.kernel.requests(), "adapter_lock_port p1 " + mac1), r.kernel.requests().size());
	r.expect_consistent();
}

TEST(SwitchGuard, AnAdapterFoundUnlockedIsLockedByItsCreateStep)
{
	// an adapter left by a crash between its creation and the journal
	// commit, unlocked: the step finds it and locks it
	Rig r;
	ASSERT_TRUE(r.kernel.netns_create("p1").ok());
	ASSERT_TRUE(r.kernel.adapter_create("p1", "p1", pf0, *MacAddr::parse(mac1), 0).ok());
	r.kernel.unlock_port("p1");
	auto ev = add(r, "p1", mac1, {});
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	EXPECT_TRUE(r.kernel.adapter("p1")->port_locked);
	r.expect_consistent();
}

TEST(SwitchGuard, MigrationLocksThePortOnTheNewSwitchWithTheModelMac)
{
	Rig r;
	add(r, "p1", mac1, {});
	auto ev = r.run([&](seq::DoneFn d) { return r.engine->migrate_prepare("p1", pf1, std::move(d)); });
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	ev = r.run([&](seq::DoneFn d) { return r.engine->migrate_complete("p1", std::move(d)); });
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	EXPECT_EQ(r.kernel.adapter("p1")->pf, pf1);
	EXPECT_LT(index_of(r.kernel.requests(), "adapter_set_switch p1 " + pf1 + " " + mac1), r.kernel.requests().size());
	EXPECT_LT(index_of(r.kernel.requests(), "adapter_lock_port p1 " + mac1), r.kernel.requests().size());
	r.expect_consistent();
}
