// SPDX-License-Identifier: GPL-2.0
// Pure parts: value types, model JSON round trip, arbiter, journal store.
#include "model/model.hpp"
#include "rig.hpp"
#include "seq/arbiter.hpp"
#include "seq/crash_point.hpp"
#include "store/atomic_file.hpp"
#include "store/state_store.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace sriov::test {

TEST(Types, MacParse)
{
	EXPECT_EQ(MacAddr::parse("02:00:00:aa:bb:CC")->str(), "02:00:00:aa:bb:cc");
	EXPECT_FALSE(MacAddr::parse("02:00:00:aa:bb"));
	EXPECT_FALSE(MacAddr::parse("02-00-00-aa-bb-cc"));
	EXPECT_FALSE(MacAddr::parse("0g:00:00:aa:bb:cc"));
	EXPECT_FALSE(MacAddr::parse("01:00:5e:00:00:01")->is_unicast());
}

TEST(Types, ReasonNamesRoundTrip)
{
	for (int i = 0; i <= static_cast<int>(Reason::internal_error); ++i) {
		const auto r = static_cast<Reason>(i);
		EXPECT_EQ(reason_from_string(to_string(r)), r);
	}
	EXPECT_EQ(make_error_code(Reason::pair_timeout).message(), "pair_timeout");
}

TEST(CrashPoint, Parse)
{
	std::string err;
	auto cp = seq::parse_crash_point("attach:wait_pair:after", err);
	ASSERT_TRUE(cp) << err;
	EXPECT_EQ(cp->kind, seq::Kind::attach);
	EXPECT_EQ(cp->step, seq::Step::wait_pair);
	EXPECT_TRUE(cp->after);
	EXPECT_EQ(cp->str(), "attach:wait_pair:after");
	EXPECT_FALSE(seq::parse_crash_point("attach:wait_pair", err));
	EXPECT_FALSE(seq::parse_crash_point("attach:nope:before", err));
	EXPECT_NE(err.find("nope"), std::string::npos);
	EXPECT_FALSE(seq::parse_crash_point("bogus:vf_free:before", err));
	EXPECT_FALSE(seq::parse_crash_point("failover:vf_free:during", err));
	EXPECT_FALSE(seq::parse_crash_point("", err));
}

TEST(CrashPoint, MatchesForwardOnly)
{
	std::string err;
	auto cp = seq::parse_crash_point("failover:vf_flr:before", err);
	ASSERT_TRUE(cp);
	seq::Record r;
	r.kind = seq::Kind::failover;
	EXPECT_TRUE(cp->matches(r, seq::Step::vf_flr, false));
	EXPECT_FALSE(cp->matches(r, seq::Step::vf_flr, true));
	EXPECT_FALSE(cp->matches(r, seq::Step::vf_free, false));
	r.kind = seq::Kind::attach;
	EXPECT_FALSE(cp->matches(r, seq::Step::vf_flr, false));
	r.kind = seq::Kind::failover;
	r.rolling_back = true;
	EXPECT_FALSE(cp->matches(r, seq::Step::vf_flr, false));
}

TEST(ModelJson, RoundTrip)
{
	model::Model m;
	m.pfs["pf"] = model::Pf{.name = "pf", .netdev = "eth0", .vfs = {{}, {model::VfState::quarantined, "", Reason::flr_failed}}};
	model::Partition p;
	p.name = "p1";
	p.netns = "ns1";
	p.pf = "pf";
	p.mac = *MacAddr::parse("02:00:00:00:00:01");
	p.vlan = VlanId{12};
	p.vf = model::Assignment{.pf = "pf", .vf = VfIndex{0}, .serial = 9, .vport = VportId{3}, .netdev = "v0",
				 .in_child = true, .filters_on_vf = true, .datapath = Datapath::vf};
	p.reservation = model::Reservation{.pf = "pf", .vf = VfIndex{1}};
	m.partitions["p1"] = p;
	const auto j = model::to_json(m);
	const auto m2 = model::model_from_json(j);
	EXPECT_EQ(model::to_json(m2), j);
	EXPECT_EQ(m2.partitions.at("p1").vf->vport, VportId{3});
	EXPECT_EQ(m2.pfs.at("pf").vfs.at(1).reason, Reason::flr_failed);
}

TEST(SequenceJson, RoundTrip)
{
	seq::Record r;
	r.id = 4;
	r.kind = seq::Kind::migrate_complete;
	r.partition = "p";
	r.steps = seq::steps_of(seq::Kind::failover);
	r.cursor = 2;
	r.step_started = true;
	r.vf = 3;
	r.dest_vf = 1;
	r.phases.push_back({.step = seq::Step::vf_flr, .start_ms = 1, .end_ms = 2, .result = "ok", .detail = "d"});
	const auto j = seq::to_json(r);
	EXPECT_EQ(seq::to_json(seq::record_from_json(j)), j);
}

namespace {
model::Model arb_model(std::uint32_t vfs)
{
	model::Model m;
	m.pfs["pf"] = model::Pf{.name = "pf", .netdev = "eth0", .vfs = std::vector<model::VfSlot>(vfs)};
	return m;
}
void add_part(model::Model &m, const std::string &n, std::uint32_t w, bool want, std::optional<std::uint32_t> vf)
{
	model::Partition p;
	p.name = n;
	p.pf = "pf";
	p.adapter = true;
	p.weight = w;
	p.want_vf = want;
	if (vf) {
		p.vf = model::Assignment{.pf = "pf", .vf = VfIndex{*vf}};
		m.pfs["pf"].vfs[*vf] = {model::VfState::assigned, n, Reason::ok};
	}
	m.partitions[n] = p;
}
} // namespace

TEST(Arbiter, TopWeightsWin)
{
	auto m = arb_model(2);
	add_part(m, "a", 10, true, 0U);
	add_part(m, "b", 20, true, 1U);
	add_part(m, "c", 30, true, std::nullopt);
	auto d = seq::arbitrate(m, {}, 0);
	EXPECT_EQ(d.preempt, std::vector<std::string>{"a"});
	EXPECT_TRUE(d.attach.empty()); // no VF free until a lets go
}

TEST(Arbiter, IncumbentKeepsOnTieAndBusyLeftAlone)
{
	auto m = arb_model(1);
	add_part(m, "a", 50, true, 0U);
	add_part(m, "b", 50, true, std::nullopt);
	auto d = seq::arbitrate(m, {}, 0);
	EXPECT_TRUE(d.preempt.empty());
	auto m2 = arb_model(1);
	add_part(m2, "a", 10, true, 0U);
	add_part(m2, "b", 50, true, std::nullopt);
	d = seq::arbitrate(m2, {"a"}, 0);
	EXPECT_TRUE(d.preempt.empty());
}

TEST(Arbiter, QuarantineShrinksPoolAndHoldDelays)
{
	auto m = arb_model(2);
	m.pfs["pf"].vfs[0] = {model::VfState::quarantined, "", Reason::flr_failed};
	add_part(m, "a", 50, true, std::nullopt);
	add_part(m, "b", 40, true, std::nullopt);
	m.partitions["a"].hold_until_mono = 100;
	auto d = seq::arbitrate(m, {}, 50);
	EXPECT_TRUE(d.attach.empty()); // a wins the only slot but is held; b does not win
	d = seq::arbitrate(m, {}, 100);
	EXPECT_EQ(d.attach, std::vector<std::string>{"a"});
	add_part(m, "z", 0, true, std::nullopt); // weight 0 never competes
	d = seq::arbitrate(m, {}, 100);
	EXPECT_EQ(d.attach, std::vector<std::string>{"a"});
}

TEST(Arbiter, WeightZeroHolderYieldsOnlyWhenSomeoneWaits)
{
	// a holder at weight 0 keeps its VF while nobody else wants one
	auto m = arb_model(1);
	add_part(m, "z", 0, true, 0U);
	auto d = seq::arbitrate(m, {}, 0);
	EXPECT_TRUE(d.preempt.empty());
	EXPECT_TRUE(d.attach.empty());
	// a partition with a weight waits and no VF is free: z yields
	add_part(m, "w", 5, true, std::nullopt);
	d = seq::arbitrate(m, {}, 0);
	EXPECT_EQ(d.preempt, std::vector<std::string>{"z"});
	EXPECT_TRUE(d.attach.empty()); // w attaches once z's VF is free
	// with a free VF for the waiting one, z keeps its own
	auto m2 = arb_model(2);
	add_part(m2, "z", 0, true, 0U);
	add_part(m2, "w", 5, true, std::nullopt);
	d = seq::arbitrate(m2, {}, 0);
	EXPECT_TRUE(d.preempt.empty());
	EXPECT_EQ(d.attach, std::vector<std::string>{"w"});
	// two holders at weight 0, one waiting partition: only one yields
	auto m3 = arb_model(2);
	add_part(m3, "y", 0, true, 0U);
	add_part(m3, "z", 0, true, 1U);
	add_part(m3, "w", 5, true, std::nullopt);
	d = seq::arbitrate(m3, {}, 0);
	EXPECT_EQ(d.preempt.size(), 1U);
}

TEST(Store, AtomicWriteAndCorruptFileRefused)
{
	TempDir d;
	const std::string path = d.path() + "/s.json";
	store::StateStore st(path);
	EXPECT_FALSE(st.load());
	nlohmann::json doc{{"version", store::schema_version}, {"x", 1}};
	ASSERT_EQ(st.save(doc), 0);
	EXPECT_EQ(st.load()->at("x"), 1);
	EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
	// the journal metrics: commits, the size on disk, the time spent
	EXPECT_EQ(st.commits(), 1U);
	EXPECT_EQ(st.last_bytes(), std::filesystem::file_size(path));
	EXPECT_GT(st.write_ns_sum(), 0U);
	EXPECT_EQ(st.write_ns_max(), st.write_ns_sum());
	doc["pad"] = std::string(4096, 'x');
	ASSERT_EQ(st.save(doc), 0);
	EXPECT_EQ(st.commits(), 2U);
	EXPECT_EQ(st.last_bytes(), std::filesystem::file_size(path));
	EXPECT_GT(st.last_bytes(), 4096U);
	EXPECT_LE(st.write_ns_max(), st.write_ns_sum());
	ASSERT_EQ(store::write_file_atomic(path, "{not json"), 0);
	EXPECT_THROW((void)st.load(), std::runtime_error);
	ASSERT_EQ(store::write_file_atomic(path, R"({"version": 99})"), 0);
	EXPECT_THROW((void)st.load(), std::runtime_error);
}

TEST(FakeKernel, EnforcesDriverRules)
{
	FakeKernel k;
	k.add_pf("pf", "eth0", 8);
	EXPECT_EQ(k.vport_create("pf", VfIndex{0}).status.err, EINVAL); // unallocated
	EXPECT_EQ(k.vport_delete("pf", VportId{0}).err, EPERM);         // default VPort
	for (std::uint32_t i = 0; i < 8; ++i)
		ASSERT_TRUE(k.vf_alloc("pf", VfIndex{i}, i).ok());
	for (std::uint32_t i = 0; i < 7; ++i)
		ASSERT_TRUE(k.vport_create("pf", VfIndex{i}).ok());
	auto r = k.vport_create("pf", VfIndex{7});
	EXPECT_EQ(r.status.err, ENOSPC);
	EXPECT_NE(r.status.msg.find("8 VMDq pools"), std::string::npos);
	EXPECT_EQ(k.vf_free("pf", VfIndex{0}).err, EBUSY); // has a VPort
	Filter f{.mac = *MacAddr::parse("02:00:00:00:00:01"), .vlan = VlanId{}};
	ASSERT_TRUE(k.filter_add("pf", VportId{0}, f).ok());
	EXPECT_EQ(k.filter_add("pf", VportId{1}, f).err, EEXIST);
	ASSERT_TRUE(k.filters_move("pf", VportId{0}, VportId{1}, {f}).ok());
	EXPECT_EQ(k.vport_delete("pf", VportId{1}).err, EBUSY); // owns a filter
	EXPECT_EQ(k.set_num_vfs("pf", 4).err, EBUSY);
}

TEST(FakeKernel, PersistsAcrossInstances)
{
	TempDir d;
	const std::string path = d.path() + "/k.json";
	{
		FakeKernel k(path);
		k.add_pf("pf", "eth0", 2);
		ASSERT_TRUE(k.vf_alloc("pf", VfIndex{1}, 77).ok());
		k.fail("vf_free", 5, 2);
	}
	FakeKernel k2(path);
	EXPECT_TRUE(k2.has_state());
	EXPECT_TRUE(k2.vf("pf", VfIndex{1})->allocated);
	EXPECT_EQ(k2.vf("pf", VfIndex{1})->serial, 77U);
	EXPECT_EQ(k2.vf_free("pf", VfIndex{1}).err, 5);
}

} // namespace sriov::test
