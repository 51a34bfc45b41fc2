// SPDX-License-Identifier: GPL-2.0
// The real backend's mapping of (MAC, VLAN) receive filters onto the PF's
// separate MAC and VLAN filters (netlink/filter_map), on crafted dumps.
#include "netlink/filter_map.hpp"

#include <algorithm>
#include <cerrno>
#include <gtest/gtest.h>
#include <linux/sriov.h>

namespace sriov::test {

using namespace sriov::netlink;

namespace {

const MacAddr mac_a = *MacAddr::parse("02:00:00:00:00:0a");
const MacAddr mac_b = *MacAddr::parse("02:00:00:00:00:0b");
const VportId dflt{0};
const VportId vf_vp{3};

FilterNl mac_f(std::uint32_t id, VportId vp, const MacAddr &m, std::uint32_t origin = SRIOV_FILTER_ORIGIN_ADMIN)
{
	return {.id = id, .is_mac = true, .origin = origin, .vport = vp, .mac = m, .vlan = VlanId{}};
}

FilterNl vlan_f(std::uint32_t id, VportId vp, std::uint16_t vid)
{
	return {.id = id, .is_mac = false, .origin = SRIOV_FILTER_ORIGIN_ADMIN, .vport = vp, .mac = MacAddr{},
		.vlan = VlanId{vid}};
}

bool has(const std::vector<FilterInfo> &v, const MacAddr &m, std::uint16_t vid, VportId vp)
{
	return std::any_of(v.begin(), v.end(), [&](const FilterInfo &f) {
		return f.filter.mac == m && f.filter.vlan.value == vid && f.vport == vp;
	});
}

} // namespace

TEST(FilterMap, DumpPairsMacsWithTheVlansOfTheirVport)
{
	const auto admin = admin_by_vport({mac_f(1, dflt, mac_a), vlan_f(2, dflt, 10), mac_f(3, vf_vp, mac_b),
					   mac_f(4, dflt, mac_b, SRIOV_FILTER_ORIGIN_PF)});
	const auto fl = daemon_filters(admin);
	EXPECT_TRUE(has(fl, mac_a, 0, dflt));
	EXPECT_TRUE(has(fl, mac_a, 10, dflt));
	EXPECT_TRUE(has(fl, mac_b, 0, vf_vp));
	EXPECT_FALSE(has(fl, mac_b, 10, vf_vp));
	EXPECT_FALSE(has(fl, mac_b, 0, dflt)) << "the PF's own filter is not the daemon's";
	EXPECT_EQ(fl.size(), 3U);
}

TEST(FilterMap, MoveTakesAnUnsharedVlanAlongInOneRequest)
{
	const auto admin = admin_by_vport({mac_f(1, dflt, mac_a), vlan_f(2, dflt, 10)});
	const auto plan = plan_move(admin, dflt, vf_vp, {Filter{.mac = mac_a, .vlan = VlanId{10}}});
	ASSERT_TRUE(plan.status.ok());
	EXPECT_EQ(plan.move, (std::vector<std::uint32_t>{1, 2}));
	EXPECT_TRUE(plan.add_on_dest.empty());
	EXPECT_TRUE(plan.del_on_source.empty());
}

TEST(FilterMap, MoveCopiesAVlanAnotherMacStillUses)
{
	// mac_b stays on the default VPort: VLAN 10 stays there too, and the
	// VF's VPort gets its own VLAN 10 filter before the MAC arrives
	const auto admin = admin_by_vport({mac_f(1, dflt, mac_a), vlan_f(2, dflt, 10), mac_f(5, dflt, mac_b)});
	const auto plan = plan_move(admin, dflt, vf_vp, {Filter{.mac = mac_a, .vlan = VlanId{10}}});
	ASSERT_TRUE(plan.status.ok());
	EXPECT_EQ(plan.move, (std::vector<std::uint32_t>{1}));
	ASSERT_EQ(plan.add_on_dest.size(), 1U);
	EXPECT_EQ(plan.add_on_dest[0], VlanId{10});
	EXPECT_TRUE(plan.del_on_source.empty());
}

TEST(FilterMap, MoveBackDropsTheVlanTheDestinationHas)
{
	const auto admin =
		admin_by_vport({mac_f(1, vf_vp, mac_a), vlan_f(7, vf_vp, 10), vlan_f(2, dflt, 10), mac_f(5, dflt, mac_b)});
	const auto plan = plan_move(admin, vf_vp, dflt, {Filter{.mac = mac_a, .vlan = VlanId{10}}});
	ASSERT_TRUE(plan.status.ok());
	EXPECT_EQ(plan.move, (std::vector<std::uint32_t>{1}));
	EXPECT_TRUE(plan.add_on_dest.empty());
	EXPECT_EQ(plan.del_on_source, (std::vector<std::uint32_t>{7}));
}

TEST(FilterMap, MoveWithoutVlanMovesTheMacOnly)
{
	const auto admin = admin_by_vport({mac_f(1, dflt, mac_a), vlan_f(2, dflt, 10)});
	const auto plan = plan_move(admin, dflt, vf_vp, {Filter{.mac = mac_a, .vlan = VlanId{}}});
	ASSERT_TRUE(plan.status.ok());
	EXPECT_EQ(plan.move, (std::vector<std::uint32_t>{1}));
	EXPECT_TRUE(plan.add_on_dest.empty());
}

TEST(FilterMap, MoveOfAMissingMacFails)
{
	const auto admin = admin_by_vport({vlan_f(2, dflt, 10)});
	const auto plan = plan_move(admin, dflt, vf_vp, {Filter{.mac = mac_a, .vlan = VlanId{10}}});
	EXPECT_EQ(plan.status.err, ENOENT);
}

TEST(FilterMap, VlanStillUsedByAnotherMac)
{
	auto admin = admin_by_vport({mac_f(1, dflt, mac_a), vlan_f(2, dflt, 10)});
	EXPECT_FALSE(admin[dflt].vlan_still_used(mac_a));
	admin = admin_by_vport({mac_f(1, dflt, mac_a), mac_f(5, dflt, mac_b), vlan_f(2, dflt, 10)});
	EXPECT_TRUE(admin[dflt].vlan_still_used(mac_a));
}

} // namespace sriov::test
