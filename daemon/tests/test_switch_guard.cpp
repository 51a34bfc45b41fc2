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
	EXPECT_EQ(s.rfind("table bridge sriovd\ndelete table bridge sriovd\nadd table bridge sriovd\n", 0), 0U) << s;
	EXPECT_NE(s.find("add map bridge sriovd portmap { type ifname : verdict; }\n"), std::string::npos) << s;
	EXPECT_NE(s.find("add chain bridge sriovd ports { type filter hook prerouting priority filter; policy accept; }\n"
			 "add rule bridge sriovd ports iifname vmap @portmap\n"),
		  std::string::npos)
		<< s;
	EXPECT_NE(s.find("add element bridge sriovd portmap { \"sv0000abcd\" : jump p_sv0000abcd }\n"), std::string::npos)
		<< s;
	EXPECT_NE(s.find("add element bridge sriovd portmap { \"syn-p.2\" : jump p_syn_p_2 }\n"), std::string::npos) << s;
	EXPECT_NE(s.find("add chain bridge sriovd p_sv0000abcd\n"
			 "add rule bridge sriovd p_sv0000abcd ether type arp arp saddr ether != 02:00:00:00:00:01 drop\n"),
		  std::string::npos)
		<< s;
	EXPECT_NE(s.find("add rule bridge sriovd p_syn_p_2 ether type arp arp saddr ether != 02:00:00:00:00:02 drop\n"),
		  std::string::npos);
	// the chains exist before the map's elements jump to them
	EXPECT_LT(s.find("add chain bridge sriovd p_syn_p_2\n"), s.find("\"syn-p.2\" : jump"));
	const auto empty = guard::script({});
	EXPECT_EQ(empty.find("jump"), std::string::npos);
	EXPECT_NE(empty.find("hook prerouting"), std::string::npos);
}

TEST(SwitchGuard, OnePortIsAddedOrRemovedWithoutTheOthers)
{
	const guard::Port p{.ifname = "syn-p1", .guard = guard_of(mac1, {"10.0.0.2"})};
	const auto add = guard::port_add_script(p);
	// the chain made (or emptied), its rules, its map entry: nothing else
	EXPECT_EQ(add.rfind("add chain bridge sriovd p_syn_p1\nflush chain bridge sriovd p_syn_p1\n", 0), 0U) << add;
	EXPECT_NE(add.find("add rule bridge sriovd p_syn_p1 ether type arp arp saddr ip != { 0.0.0.0, 10.0.0.2 } drop\n"),
		  std::string::npos)
		<< add;
	EXPECT_NE(add.find("add element bridge sriovd portmap { \"syn-p1\" : jump p_syn_p1 }\n"), std::string::npos);
	EXPECT_EQ(add.find("delete table"), std::string::npos);
	EXPECT_EQ(add.find("ports"), std::string::npos);
	std::size_t lines = 0;
	for (char c : add)
		lines += c == '\n' ? 1 : 0;
	EXPECT_EQ(lines, guard::port_rules(p.guard).size() + 3);
	EXPECT_EQ(guard::port_del_script("syn-p1"), "delete element bridge sriovd portmap { \"syn-p1\" }\n"
						    "flush chain bridge sriovd p_syn_p1\n"
						    "delete chain bridge sriovd p_syn_p1\n");
}

TEST(SwitchGuard, TheKernelsListingIsReadBackByBlock)
{
	// as nft 1.0.6 lists the table (`list table bridge sriovd`)
	const std::string listing = "table bridge sriovd {\n"
				    "\tmap portmap {\n"
				    "\t\ttype ifname : verdict\n"
				    "\t\telements = { \"syn-a\" : jump p_syn_a,\n"
				    "\t\t\t     \"syn-b.1\" : jump p_syn_b_1 }\n"
				    "\t}\n"
				    "\n"
				    "\tchain p_syn_a {\n"
				    "\t\tarp saddr ether != 02:00:00:00:00:01 drop\n"
				    "\t}\n"
				    "\n"
				    "\tchain ports {\n"
				    "\t\ttype filter hook prerouting priority filter; policy accept;\n"
				    "\t\tiifname vmap @portmap\n"
				    "\t}\n"
				    "}\n";
	const auto b = guard::listing_blocks(listing);
	ASSERT_EQ(b.size(), 3U);
	EXPECT_EQ(b.at("chain p_syn_a"), "\tchain p_syn_a {\n\t\tarp saddr ether != 02:00:00:00:00:01 drop\n\t}\n");
	EXPECT_NE(b.at("chain ports").find("iifname vmap @portmap"), std::string::npos);
	EXPECT_EQ(guard::map_elements(b.at("map portmap")),
		  (std::map<std::string, std::string>{{"syn-a", "p_syn_a"}, {"syn-b.1", "p_syn_b_1"}}));
	EXPECT_TRUE(guard::map_elements("\tmap portmap {\n\t\ttype ifname : verdict\n\t}\n").empty());
	// `list chain` prints the chain's block the same way
	const auto one = guard::listing_blocks("table bridge sriovd {\n\tchain p_syn_a {\n"
					       "\t\tarp saddr ether != 02:00:00:00:00:01 drop\n\t}\n}\n");
	EXPECT_EQ(one.at("chain p_syn_a"), b.at("chain p_syn_a"));
}

// ------------------------------------------------------------ engine

TEST(SwitchGuard, PartitionRulesAreInstalledBeforeItsPortExists)
{
	Rig r;
	auto ev = add(r, "p1", mac1, {"10.0.0.2", "fd00::2"});
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	const auto &rq = r.kernel.requests();
	// one transaction for p1 alone, not the whole table again
	const auto g = index_of(rq, "guard_set p1");
	EXPECT_EQ(index_of(rq, "guard_apply [p1"), rq.size());
	const auto c = index_of(rq, "adapter_create p1");
	ASSERT_LT(g, rq.size());
	ASSERT_LT(c, rq.size());
	EXPECT_LT(g, c);
	ASSERT_EQ(r.kernel.guard_ports().size(), 1U);
	EXPECT_EQ(r.kernel.guard_ports()[0],
		  (PortGuard{.partition = "p1", .mac = *MacAddr::parse(mac1), .ips = {"10.0.0.2", "fd00::2"}}));
	EXPECT_NE(r.kernel.guard_script().find("\"syn-p1\" : jump p_syn_p1"), std::string::npos);
	EXPECT_EQ(r.kernel.guard_last_script().rfind("add chain bridge sriovd p_syn_p1\n", 0), 0U);
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
	const std::size_t from = r.kernel.requests().size();
	auto ev = r.run([&](seq::DoneFn d) { return r.engine->remove_partition("p1", std::move(d)); });
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	const std::vector<std::string> rq(r.kernel.requests().begin() + static_cast<std::ptrdiff_t>(from),
					  r.kernel.requests().end());
	EXPECT_LT(index_of(rq, "guard_del p1"), rq.size());
	EXPECT_EQ(index_of(rq, "guard_apply"), rq.size()) << "the whole table was installed again";
	ASSERT_EQ(r.kernel.guard_ports().size(), 1U);
	EXPECT_EQ(r.kernel.guard_ports()[0].partition, "p2");
	EXPECT_EQ(r.kernel.guard_script().find("syn-p1"), std::string::npos);
	EXPECT_EQ(r.kernel.guard_script().find("10.0.0.1"), std::string::npos);
	r.expect_consistent();
}

TEST(SwitchGuard, APortThatCannotBeAddedGetsTheWholeTableInstead)
{
	Rig r;
	add(r, "p1", mac1, {"10.0.0.1"});
	r.kernel.fail("guard_set", EPERM);
	const std::size_t from = r.kernel.requests().size();
	auto ev = add(r, "p2", mac2, {"10.0.0.2"});
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	EXPECT_LT(index_of(std::vector<std::string>(r.kernel.requests().begin() + static_cast<std::ptrdiff_t>(from),
						    r.kernel.requests().end()),
			   "guard_apply [p1,p2]"),
		  r.kernel.requests().size() - from);
	ASSERT_EQ(r.kernel.guard_ports().size(), 2U);
	r.expect_consistent();
}

TEST(SwitchGuard, ARemovalThatFailsIsRepairedAtTheNextChange)
{
	Rig r;
	add(r, "p1", mac1, {"10.0.0.1"});
	add(r, "p2", mac2, {"10.0.0.2"});
	r.kernel.fail("guard_del", EPERM);
	r.run([&](seq::DoneFn d) { return r.engine->remove_partition("p1", std::move(d)); });
	EXPECT_TRUE(audit_mentions(r, "switch guard")) << "p1's rules stayed and the audit does not say so";
	add(r, "p3", "02:00:00:00:00:03", {});
	const auto g = r.kernel.guard_ports();
	ASSERT_EQ(g.size(), 2U);
	EXPECT_EQ(g[0].partition, "p2");
	EXPECT_EQ(g[1].partition, "p3");
	r.expect_consistent();
}

TEST(SwitchGuard, AGuardThatCannotBeInstalledRefusesThePartition)
{
	Rig r;
	// neither the partition's own rules nor the whole table
	r.kernel.fail("guard_set", EPERM);
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
	ASSERT_TRUE(r.kernel.adapter_create("p1", "p1", "nv0", pf0, *MacAddr::parse(mac1), 0).ok());
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
