// SPDX-License-Identifier: GPL-2.0
// Every sequence on the fake backend: happy path, a failure injected at
// each step, and a crash (before and after the step acted) at each step
// followed by a restart that resumes or rolls back.
#include "rig.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <iostream>
#include <memory>
#include <gtest/gtest.h>

namespace sriov::test {

using json = nlohmann::json;
using seq::Step;

namespace {

const std::string mac3 = "02:00:00:00:00:03";

std::vector<std::string> phase_steps(const json &ev)
{
	std::vector<std::string> out;
	for (const auto &p : ev.at("phases"))
		out.push_back(p.at("step").get<std::string>());
	return out;
}

std::vector<std::string> names(const std::vector<Step> &steps)
{
	std::vector<std::string> out;
	out.reserve(steps.size());
	for (auto s : steps)
		out.emplace_back(seq::to_string(s));
	return out;
}

json failover(Rig &r, const std::string &p, std::int64_t hold = 1000000)
{
	return r.run([&](seq::DoneFn d) { return r.engine->failover(p, hold, std::move(d)); });
}

const model::Partition &part(Rig &r, const std::string &p)
{
	return r.engine->model().partitions.at(p);
}

/// The engine's "sequence" events from now on, in order.
std::shared_ptr<std::vector<json>> record_sequences(Rig &r)
{
	auto seqs = std::make_shared<std::vector<json>>();
	r.engine->on_event = [seqs](const json &e) {
		if (e.at("type") == "sequence")
			seqs->push_back(e);
	};
	return seqs;
}

} // namespace

// ------------------------------------------------------------ happy paths

TEST(Sequences, AdapterCreate)
{
	Rig r;
	auto ev = r.add("p1", mac1);
	EXPECT_EQ(ev.at("result"), "ok");
	EXPECT_EQ(phase_steps(ev), names(seq::steps_of(seq::Kind::adapter_create)));
	auto ad = r.kernel.adapter("p1");
	ASSERT_TRUE(ad);
	EXPECT_EQ(ad->pf, pf0);
	EXPECT_EQ(ad->datapath, Datapath::synthetic);
	auto f = r.kernel.filters(pf0);
	ASSERT_EQ(f.size(), 1U);
	EXPECT_EQ(f[0].vport, VportId{0});
	r.expect_consistent();
}

TEST(Sequences, AttachWaitsForTheVfMacThenProbesOnce)
{
	// A VF driver that does not follow the PF's reset request keeps its old
	// MAC: vf_allocate waits vf_mac_ms for it, then probes the driver once.
	Rig r;
	r.add("p1", mac1);
	r.kernel.set_lazy_vf_driver(true);
	const auto t0 = r.clock.mono_ms();
	auto ev = attach(r, "p1");
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	EXPECT_EQ(r.kernel.probes(), 1U);
	EXPECT_GE(r.clock.mono_ms() - t0, r.cfg.timeouts.vf_mac_ms);
	const auto &ph = ev.at("phases").at(0);
	EXPECT_EQ(ph.at("step"), "vf_allocate");
	EXPECT_NE(ph.at("detail").get<std::string>().find("probed again"), std::string::npos) << ph.dump();
	EXPECT_EQ(r.kernel.adapter("p1")->paired_vf, part(r, "p1").vf->netdev);
	r.expect_consistent();
}

TEST(Sequences, AttachFailsWhenTheProbeCannotFixTheMac)
{
	Rig r;
	r.add("p1", mac1);
	r.kernel.set_lazy_vf_driver(true);
	r.kernel.fail("vf_probe", EIO);
	auto ev = attach(r, "p1");
	EXPECT_EQ(ev.at("result"), "rolled_back") << ev.dump(1);
	EXPECT_EQ(ev.at("reason"), "vf_alloc_failed");
	r.expect_consistent();
}

TEST(Sequences, AttachNeedsNoProbeWhenTheDriverFollows)
{
	Rig r;
	r.add("p1", mac1);
	auto ev = attach(r, "p1");
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	EXPECT_EQ(r.kernel.probes(), 0U);
}

TEST(Sequences, VlanPartitionFiltersFollowTheVf)
{
	// A partition with a VLAN: its (MAC, VLAN) filter lives on the default
	// VPort, moves to the VF's VPort with the attach and back with a failover.
	Rig r;
	nlohmann::json added;
	auto res = r.engine->add_partition({.name = "p1", .netns = "p1", .pf = pf0, .mac = *MacAddr::parse(mac1),
					    .vlan = VlanId{10}, .weight = 100},
					   [&added](const nlohmann::json &e) { added = e; });
	ASSERT_TRUE(res.ok()) << res.detail;
	r.settle();
	ASSERT_EQ(added.at("result"), "ok") << added.dump(1);
	const Filter want{.mac = *MacAddr::parse(mac1), .vlan = VlanId{10}};
	auto where = [&]() -> std::optional<VportId> {
		for (const auto &f : r.kernel.filters(pf0))
			if (f.filter == want)
				return f.vport;
		return std::nullopt;
	};
	EXPECT_EQ(where(), VportId{0});
	auto ev = attach(r, "p1");
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	ASSERT_TRUE(part(r, "p1").vf && part(r, "p1").vf->vport);
	EXPECT_EQ(where(), *part(r, "p1").vf->vport);
	r.expect_consistent();
	ev = failover(r, "p1");
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	EXPECT_EQ(where(), VportId{0});
	r.expect_consistent();
}

TEST(Sequences, AttachHappyPath)
{
	Rig r;
	r.add("p1", mac1);
	auto ev = attach(r, "p1");
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	EXPECT_EQ(phase_steps(ev), names(seq::steps_of(seq::Kind::attach)));
	for (const auto &ph : ev.at("phases")) {
		EXPECT_EQ(ph.at("result"), "ok");
		EXPECT_GE(ph.at("end_ms").get<std::int64_t>(), ph.at("start_ms").get<std::int64_t>());
	}
	const auto &p = part(r, "p1");
	ASSERT_TRUE(p.vf);
	EXPECT_EQ(p.vf->datapath, Datapath::vf);
	auto v = r.kernel.vf(pf0, p.vf->vf);
	ASSERT_TRUE(v);
	EXPECT_TRUE(v->allocated);
	EXPECT_EQ(v->netns, "p1");
	EXPECT_EQ(v->mac.str(), mac1);
	auto f = r.kernel.filters(pf0);
	ASSERT_EQ(f.size(), 1U);
	EXPECT_EQ(f[0].vport, *p.vf->vport);
	EXPECT_EQ(r.kernel.adapter("p1")->datapath, Datapath::vf);
	r.expect_consistent();
}

TEST(Sequences, FailoverHappyPathInDocumentedOrder)
{
	Rig r;
	r.add("p1", mac1);
	attach(r, "p1");
	const auto vf = part(r, "p1").vf->vf;
	auto ev = failover(r, "p1");
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	EXPECT_EQ(phase_steps(ev), (std::vector<std::string>{"datapath_synthetic", "filters_to_default", "vf_from_child",
							     "vport_delete", "vf_flr", "vf_free"}));
	EXPECT_FALSE(part(r, "p1").vf);
	EXPECT_FALSE(r.kernel.vf(pf0, vf)->allocated);
	EXPECT_EQ(r.kernel.vf(pf0, vf)->netns, "");
	EXPECT_EQ(r.kernel.reset_count(pf0, vf), 1U);
	EXPECT_EQ(r.kernel.filters(pf0).at(0).vport, VportId{0});
	// graceful: released within the bound, no surprise; the VF driver
	// halted before the FLR (no netdev), not moved back to the host
	EXPECT_EQ(ev.at("phases").at(2).at("detail"), "graceful, VF driver unbound");
	EXPECT_TRUE(r.kernel.vf(pf0, vf)->netdev.empty());
	const auto &rq = r.kernel.requests();
	EXPECT_NE(std::find(rq.begin(), rq.end(), "vf_unbind " + pf0 + " " + std::to_string(vf.value)), rq.end());
	EXPECT_EQ(std::count_if(rq.begin(), rq.end(), [](const std::string &q) { return q.rfind("netdev_move", 0) == 0 && q.ends_with("->"); }), 0);
	// the next attach probes a driver again and gets the VF back
	ev = attach(r, "p1");
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	EXPECT_EQ(part(r, "p1").vf->netdev, r.kernel.vf(pf0, part(r, "p1").vf->vf)->netdev);
	r.expect_consistent();
}

TEST(Sequences, FailoverSurpriseAfterReleaseTimeout)
{
	Rig r;
	r.add("p1", mac1);
	attach(r, "p1");
	r.kernel.set_release_ignored(true);
	auto ev = failover(r, "p1");
	ASSERT_EQ(ev.at("result"), "ok");
	const auto &ph = ev.at("phases").at(2);
	EXPECT_EQ(ph.at("step"), "vf_from_child");
	EXPECT_NE(ph.at("detail").get<std::string>().find("surprise after 300 ms"), std::string::npos) << ph.dump();
	EXPECT_GE(ph.at("duration_ms").get<std::int64_t>(), 300);
	r.expect_consistent();
}

TEST(Sequences, AttachWaitsForTheAdapterToUseTheVf)
{
	Rig r;
	r.add("p1", mac1);
	r.kernel.set_datapath_stuck(true);
	auto ev = r.run([&](auto done) { return r.engine->attach("p1", done); });
	ASSERT_EQ(ev.at("result"), "rolled_back") << ev.dump();
	EXPECT_EQ(ev.at("reason"), "datapath_failed");
	bool waited = false;
	for (const auto &ph : ev.at("phases"))
		if (ph.at("step") == "datapath_vf")
			waited = ph.at("duration_ms").get<std::int64_t>() >= 3000;
	EXPECT_TRUE(waited) << ev.dump();
	r.kernel.set_datapath_stuck(false);
	r.expect_consistent();
}

TEST(Sequences, DetachAndTeardown)
{
	Rig r;
	r.add("p1", mac1);
	attach(r, "p1");
	auto ev = r.run([&](seq::DoneFn d) { return r.engine->remove_partition("p1", std::move(d)); });
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	EXPECT_EQ(r.engine->model().partitions.count("p1"), 0U);
	EXPECT_FALSE(r.kernel.adapter("p1"));
	EXPECT_TRUE(r.kernel.filters(pf0).empty());
	r.expect_consistent();
}

TEST(Sequences, ReleaseAllOnCleanStop)
{
	Rig r;
	r.add("p1", mac1);
	r.add("p2", mac2);
	attach(r, "p1");
	attach(r, "p2");
	EXPECT_EQ(r.engine->release_all(), 2U);
	r.settle();
	for (const auto &v : r.kernel.vfs(pf0))
		EXPECT_FALSE(v.allocated);
	// the adapters stay: the children keep the synthetic path
	EXPECT_TRUE(r.kernel.adapter("p1"));
	EXPECT_TRUE(part(r, "p1").want_vf);
	r.expect_consistent();
}

TEST(Sequences, SurpriseVfLoss)
{
	Rig r;
	r.add("p1", mac1);
	attach(r, "p1");
	const auto vf = part(r, "p1").vf->vf;
	const auto seqs_p = record_sequences(r);
	const auto &seqs = *seqs_p;
	r.kernel.surprise_remove(pf0, vf);
	r.engine->handle_kernel_events();
	r.settle();
	ASSERT_FALSE(seqs.empty());
	const json &last = seqs.front();
	EXPECT_EQ(last.at("kind"), "surprise");
	EXPECT_EQ(last.at("cause"), "surprise_removal");
	EXPECT_EQ(last.at("result"), "ok");
	EXPECT_EQ(phase_steps(last).front(), "datapath_synthetic");
	// the VF did not come back from FLR: quarantined, never reused
	const auto &slot = r.engine->model().pfs.at(pf0).vfs.at(vf.value);
	EXPECT_EQ(slot.state, model::VfState::quarantined);
	EXPECT_EQ(slot.reason, Reason::flr_failed);
	// the arbiter gave the partition another VF at once
	ASSERT_EQ(seqs.size(), 2U);
	EXPECT_EQ(seqs.back().at("kind"), "attach");
	ASSERT_TRUE(part(r, "p1").vf);
	EXPECT_NE(part(r, "p1").vf->vf, vf);
	r.expect_consistent();
}

TEST(Sequences, StaleNotificationsIgnored)
{
	// The kernel announces every vf-freed, including the daemon's own, and
	// late: one about a VF that is allocated and present again is stale.
	Rig r;
	r.add("p1", mac1);
	attach(r, "p1");
	const auto vf = part(r, "p1").vf->vf;
	const auto seqs_p = record_sequences(r);
	const auto &seqs = *seqs_p;
	r.kernel.inject_event({.type = KernelEvent::Type::vf_lost, .pf = pf0, .vf = vf, .partition = {}, .detail = "vf-freed"});
	r.kernel.inject_event({.type = KernelEvent::Type::adapter_unpaired, .pf = {}, .vf = {}, .partition = "p1", .detail = "old"});
	r.engine->handle_kernel_events();
	r.settle();
	EXPECT_TRUE(seqs.empty());
	ASSERT_TRUE(part(r, "p1").vf);
	EXPECT_EQ(part(r, "p1").vf->datapath, Datapath::vf);
	r.expect_consistent();
}

TEST(Sequences, SurpriseDuringAttachRollsBack)
{
	Rig r;
	r.add("p1", mac1);
	r.kernel.set_pairing(false); // attach parks in wait_pair
	const auto seqs_p = record_sequences(r);
	const auto &seqs = *seqs_p;
	auto st = r.engine->attach("p1", nullptr);
	ASSERT_TRUE(st.ok());
	r.engine->pump();
	ASSERT_FALSE(r.engine->idle());
	r.kernel.surprise_remove(pf0, part(r, "p1").vf->vf);
	r.engine->handle_kernel_events();
	r.kernel.set_pairing(true);
	r.settle();
	ASSERT_FALSE(seqs.empty());
	EXPECT_EQ(seqs.front().at("kind"), "attach");
	EXPECT_EQ(seqs.front().at("result"), "rolled_back");
	EXPECT_EQ(seqs.front().at("reason"), "surprise_removal");
	r.expect_consistent();
}

TEST(Sequences, QuarantineOnFlrFailure)
{
	Rig r;
	r.add("p1", mac1);
	attach(r, "p1");
	const auto vf = part(r, "p1").vf->vf;
	r.kernel.fail("vf_reset", EIO);
	auto ev = failover(r, "p1");
	EXPECT_EQ(ev.at("result"), "ok");
	EXPECT_EQ(r.engine->model().pfs.at(pf0).vfs.at(vf.value).state, model::VfState::quarantined);
	r.expect_consistent();
	// the next attach skips it
	r.engine->detach("p1", nullptr);
	attach(r, "p1");
	EXPECT_NE(part(r, "p1").vf->vf, vf);
	EXPECT_TRUE(r.engine->clear_quarantine(pf0, vf).ok());
	EXPECT_EQ(r.engine->model().pfs.at(pf0).vfs.at(vf.value).state, model::VfState::free);
	r.expect_consistent();
}

TEST(Sequences, MigrationPrepareComplete)
{
	Rig r;
	r.add("p1", mac1);
	attach(r, "p1");
	auto ev = r.run([&](seq::DoneFn d) { return r.engine->migrate_prepare("p1", pf1, std::move(d)); });
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	EXPECT_FALSE(part(r, "p1").vf);
	ASSERT_TRUE(part(r, "p1").reservation);
	EXPECT_EQ(part(r, "p1").reservation->pf, pf1);
	r.expect_consistent();
	ev = r.run([&](seq::DoneFn d) { return r.engine->migrate_complete("p1", std::move(d)); });
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	EXPECT_EQ(part(r, "p1").pf, pf1);
	ASSERT_TRUE(part(r, "p1").vf);
	EXPECT_EQ(part(r, "p1").vf->pf, pf1);
	EXPECT_EQ(part(r, "p1").vf->datapath, Datapath::vf);
	EXPECT_EQ(r.kernel.adapter("p1")->pf, pf1);
	EXPECT_TRUE(r.kernel.filters(pf0).empty());
	EXPECT_EQ(r.kernel.filters(pf1).size(), 1U);
	EXPECT_TRUE(part(r, "p1").migrating_to.empty());
	r.expect_consistent();
}

TEST(Sequences, MigrationAbort)
{
	Rig r;
	r.add("p1", mac1);
	attach(r, "p1");
	r.run([&](seq::DoneFn d) { return r.engine->migrate_prepare("p1", pf1, std::move(d)); });
	auto ev = r.run([&](seq::DoneFn d) { return r.engine->migrate_abort("p1", std::move(d)); });
	ASSERT_EQ(ev.at("result"), "ok");
	EXPECT_FALSE(part(r, "p1").reservation);
	for (const auto &v : r.kernel.vfs(pf1))
		EXPECT_FALSE(v.allocated);
	// back on the source: the arbiter re-attaches it there
	r.settle();
	ASSERT_TRUE(part(r, "p1").vf);
	EXPECT_EQ(part(r, "p1").vf->pf, pf0);
	r.expect_consistent();
}

// ------------------------------------------------------------ arbitration

TEST(Arbitration, HigherWeightPreemptsLower)
{
	Rig r(2, 2);
	r.add("low", mac1, 10);
	r.add("mid", mac2, 50);
	r.add("high", mac3, 90);
	attach(r, "low");
	attach(r, "mid");
	ASSERT_TRUE(part(r, "low").vf);
	ASSERT_TRUE(part(r, "mid").vf);
	auto st = r.engine->attach("high", nullptr);
	EXPECT_TRUE(st.ok());
	EXPECT_TRUE(st.queued);
	r.settle();
	EXPECT_FALSE(part(r, "low").vf);
	EXPECT_EQ(part(r, "low").last_reason, Reason::ok);
	ASSERT_TRUE(part(r, "high").vf);
	EXPECT_TRUE(part(r, "mid").vf);
	r.expect_consistent();
	// raising low above mid moves the VF again
	r.engine->set_weight("low", 60);
	r.settle();
	EXPECT_TRUE(part(r, "low").vf);
	EXPECT_FALSE(part(r, "mid").vf);
	r.expect_consistent();
}

TEST(Arbitration, TeardownAllTakesPartitionsInASequenceToo)
{
	Rig r(1, 1);
	r.add("a", mac1, 50);
	r.add("b", mac2, 40);
	attach(r, "a");
	EXPECT_TRUE(r.engine->attach("b", nullptr).queued);
	// a is in a sequence (its VF on the way back to the pool) when the
	// teardown of everything is asked for: b goes at once, a after it
	ASSERT_TRUE(r.engine->detach("a", nullptr).ok());
	EXPECT_EQ(r.engine->teardown_all(), 1U); // a was in its detach
	r.settle();
	EXPECT_TRUE(r.engine->model().partitions.empty());
	EXPECT_EQ(r.engine->teardowns_queued(), 0U);
	r.expect_consistent();
}

TEST(Arbitration, EqualWeightQueues)
{
	Rig r(1, 1);
	r.add("a", mac1, 50);
	r.add("b", mac2, 50);
	attach(r, "a");
	auto st = r.engine->attach("b", nullptr);
	EXPECT_EQ(st.reason, Reason::no_vf_available);
	EXPECT_TRUE(st.queued);
	// when a detaches, b gets the VF
	r.run([&](seq::DoneFn d) { return r.engine->detach("a", std::move(d)); });
	r.settle();
	EXPECT_TRUE(part(r, "b").vf);
	r.expect_consistent();
}

// ------------------------------------------------------------ data-path handshake

namespace {

/// Index of the first request starting with @prefix, or npos.
/// p1's adapter transmits on @dp with no request outstanding, and the
/// model agrees with the kernel.
void expect_p1_on(Rig &r, Datapath dp)
{
	auto ad = r.kernel.adapter("p1");
	ASSERT_TRUE(ad);
	EXPECT_FALSE(ad->dp_pending);
	EXPECT_EQ(ad->datapath, dp);
	r.expect_consistent();
}

std::size_t first_request(Rig &r, const std::string &prefix, std::size_t from = 0)
{
	const auto &rq = r.kernel.requests();
	for (std::size_t i = from; i < rq.size(); ++i)
		if (rq[i].rfind(prefix, 0) == 0)
			return i;
	return std::string::npos;
}

/// Index of the first request starting with @second after @from; both it
/// and one starting with @first were sent, @first before it.
std::size_t expect_before(Rig &r, const std::string &first, const std::string &second, std::size_t from)
{
	const auto a = first_request(r, first, from);
	const auto b = first_request(r, second, from);
	EXPECT_NE(a, std::string::npos) << "no " << first;
	EXPECT_NE(b, std::string::npos) << "no " << second;
	EXPECT_LT(a, b) << first << " not before " << second;
	return b;
}

} // namespace

TEST(Handshake, AdapterCreatedWithManualAck)
{
	Rig r;
	r.add("p1", mac1);
	auto ad = r.kernel.adapter("p1");
	ASSERT_TRUE(ad);
	EXPECT_FALSE(ad->auto_ack);
	EXPECT_FALSE(ad->dp_pending);
}

TEST(Handshake, AttachAcksOnlyAfterTheFilterMove)
{
	Rig r;
	r.add("p1", mac1);
	const std::size_t from = r.kernel.requests().size();
	// the filters are still on the default VPort when the data path is
	// asked for: note where they are at the moment of the ack
	std::optional<VportId> at_ack;
	r.kernel.set_hook([&](const std::string &op) {
		if (op == "adapter_dp_ack" && !at_ack)
			at_ack = r.kernel.filters(pf0).at(0).vport;
	});
	auto ev = attach(r, "p1");
	r.kernel.set_hook(nullptr);
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	const auto &p = part(r, "p1");
	ASSERT_TRUE(p.vf && p.vf->vport);
	ASSERT_TRUE(at_ack);
	EXPECT_EQ(*at_ack, *p.vf->vport) << "acknowledged before the filters were on the VF's VPort";
	const auto ack = expect_before(r, "dp_request p1 vf", "adapter_dp_ack p1", from);
	ASSERT_NE(ack, std::string::npos);
	// the ack named the request's sequence number
	auto ad = r.kernel.adapter("p1");
	ASSERT_TRUE(ad);
	EXPECT_EQ(r.kernel.requests()[ack], "adapter_dp_ack p1 seq=" + std::to_string(ad->dp_seq));
	expect_p1_on(r, Datapath::vf);
}

TEST(Handshake, AttachAcksTheRequestTheKernelRaisedOnVfUp)
{
	Rig r;
	r.add("p1", mac1);
	// an adapter that asks for the VF as soon as it pairs (DP_WANT VF, as
	// one created by an older sriovd)
	ASSERT_TRUE(r.kernel.adapter_set_datapath("p1", Datapath::vf).ok());
	const std::size_t from = r.kernel.requests().size();
	std::vector<std::string> ops; // kernel calls, in order
	r.kernel.set_hook([&](const std::string &op) { ops.push_back(op); });
	auto ev = attach(r, "p1");
	r.kernel.set_hook(nullptr);
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	const auto req = first_request(r, "dp_request p1 vf", from);
	ASSERT_NE(req, std::string::npos);
	ASSERT_NE(first_request(r, "adapter_dp_ack p1", from), std::string::npos);
	// one request only: raised on pairing, acknowledged by datapath_vf
	EXPECT_EQ(first_request(r, "dp_request p1 vf", req + 1), std::string::npos);
	EXPECT_EQ(first_request(r, "adapter_set_datapath p1", from), std::string::npos);
	const auto mv = std::find(ops.begin(), ops.end(), "filters_move");
	const auto ack = std::find(ops.begin(), ops.end(), "adapter_dp_ack");
	ASSERT_NE(mv, ops.end());
	ASSERT_NE(ack, ops.end());
	EXPECT_LT(mv, ack);
	EXPECT_EQ(r.kernel.adapter("p1")->datapath, Datapath::vf);
	r.expect_consistent();
}

TEST(Handshake, FailoverSwitchesTheDataPathBeforeMovingFilters)
{
	Rig r;
	r.add("p1", mac1);
	attach(r, "p1");
	std::optional<Datapath> at_move;
	r.kernel.set_hook([&](const std::string &op) {
		if (op == "filters_move" && !at_move)
			at_move = r.kernel.adapter("p1")->datapath;
	});
	const std::size_t from = r.kernel.requests().size();
	auto ev = failover(r, "p1");
	r.kernel.set_hook(nullptr);
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	ASSERT_TRUE(at_move) << "the filters were never moved back";
	EXPECT_EQ(*at_move, Datapath::synthetic) << "filters moved while the adapter transmitted on the VF";
	expect_before(r, "adapter_set_datapath p1 synthetic", "adapter_dp_ack p1", from);
	expect_p1_on(r, Datapath::synthetic);
}

TEST(Handshake, CrashBetweenRequestAndAckRecovers)
{
	Rig r;
	r.add("p1", mac1);
	bool crashed = false;
	r.kernel.set_hook([&](const std::string &op) {
		if (op == "adapter_dp_ack" && !crashed) {
			crashed = true;
			throw seq::SimulatedCrash{};
		}
	});
	try {
		attach(r, "p1");
	} catch (const seq::SimulatedCrash &) {
	}
	r.kernel.set_hook(nullptr);
	ASSERT_TRUE(crashed);
	auto ad = r.kernel.adapter("p1");
	ASSERT_TRUE(ad);
	ASSERT_EQ(ad->dp_pending, Datapath::vf) << "the crash was meant to leave the request outstanding";
	const auto crashed_seq = ad->dp_seq;
	const std::size_t from = r.kernel.requests().size();
	// the restart rolls the attach back (the outstanding request is
	// closed, not left to the ack timeout), then the arbiter attaches the
	// partition again
	r.restart();
	r.expect_consistent();
	// the rollback's DP_WANT=synthetic replaced the interrupted request
	// with one to synthetic, which it acknowledged
	EXPECT_NE(first_request(r, "adapter_dp_ack p1 seq=" + std::to_string(crashed_seq + 1), from),
		  std::string::npos)
		<< "the restart left the interrupted request to the ack timeout";
	ad = r.kernel.adapter("p1");
	EXPECT_FALSE(ad->dp_pending);
	ASSERT_TRUE(part(r, "p1").vf);
	EXPECT_EQ(ad->datapath, Datapath::vf);
	EXPECT_GT(ad->dp_seq, crashed_seq);
}

TEST(Handshake, StaleAckIsHarmless)
{
	Rig r;
	r.add("p1", mac1);
	attach(r, "p1");
	auto ad = r.kernel.adapter("p1");
	ASSERT_TRUE(ad && !ad->dp_pending);
	const auto seq = ad->dp_seq;
	// the request is closed: acking it again is refused and changes nothing
	auto st = r.kernel.adapter_dp_ack("p1", seq);
	EXPECT_EQ(st.err, ESTALE);
	EXPECT_EQ(r.kernel.adapter("p1")->datapath, Datapath::vf);
	// an old sequence number does not close a newer request (the VF
	// flaps: the kernel asks for synthetic, then for the VF)
	r.kernel.raise_dp_request("p1", Datapath::synthetic);
	st = r.kernel.adapter_dp_ack("p1", seq);
	EXPECT_EQ(st.err, ESTALE);
	ad = r.kernel.adapter("p1");
	EXPECT_EQ(ad->dp_pending, Datapath::synthetic);
	EXPECT_EQ(ad->dp_seq, seq + 1);
	r.engine->handle_kernel_events();
	r.kernel.raise_dp_request("p1", Datapath::vf);
	EXPECT_EQ(r.kernel.adapter_dp_ack("p1", seq + 1).err, ESTALE);
	EXPECT_EQ(r.kernel.adapter("p1")->dp_pending, Datapath::vf);
	// sriovd acks what is outstanding, whatever was acked before
	r.engine->handle_kernel_events();
	r.settle();
	expect_p1_on(r, Datapath::vf);
}

TEST(Handshake, AutonomousRequestToSyntheticAckedAtOnce)
{
	Rig r;
	r.add("p1", mac1);
	attach(r, "p1");
	// the VF goes down in the child: TX leaves it, the kernel asks
	r.kernel.raise_dp_request("p1", Datapath::synthetic);
	auto ad = r.kernel.adapter("p1");
	ASSERT_EQ(ad->dp_pending, Datapath::synthetic);
	const auto seq = ad->dp_seq;
	const std::size_t from = r.kernel.requests().size();
	r.engine->handle_kernel_events();
	EXPECT_NE(first_request(r, "adapter_dp_ack p1 seq=" + std::to_string(seq), from), std::string::npos);
	ad = r.kernel.adapter("p1");
	EXPECT_FALSE(ad->dp_pending);
	EXPECT_EQ(ad->datapath, Datapath::synthetic);
}

TEST(Handshake, AutonomousRequestToVfAckedOnlyWithFiltersOnTheVf)
{
	Rig r;
	r.add("p1", mac1);
	attach(r, "p1");
	const auto &p = part(r, "p1");
	const VportId vp = *p.vf->vport;
	const VportId dv = r.kernel.pf(pf0)->default_vport;
	// VF reset: down (synthetic, acked), then the kernel moved the filters
	// to the default VPort and the VF came back up asking for the VF
	r.kernel.raise_dp_request("p1", Datapath::synthetic);
	r.engine->handle_kernel_events();
	ASSERT_TRUE(r.kernel.filters_move(pf0, vp, dv, part(r, "p1").filters()).ok());
	r.kernel.raise_dp_request("p1", Datapath::vf);
	r.engine->handle_kernel_events();
	auto ad = r.kernel.adapter("p1");
	EXPECT_EQ(ad->dp_pending, Datapath::vf) << "acknowledged with the filters on the default VPort";
	EXPECT_EQ(ad->datapath, Datapath::synthetic);
	// the filters are back on the VF's VPort: the next pass acks
	ASSERT_TRUE(r.kernel.filters_move(pf0, dv, vp, part(r, "p1").filters()).ok());
	r.engine->handle_kernel_events();
	expect_p1_on(r, Datapath::vf);
}

TEST(Handshake, AutoAckTurnedOffOnRecoveredAdapters)
{
	Rig r;
	r.add("p1", mac1);
	ASSERT_TRUE(r.kernel.adapter_set_auto_ack("p1", true).ok());
	r.restart();
	EXPECT_FALSE(r.kernel.adapter("p1")->auto_ack);
}

// ------------------------------------------------------------ injected failures

struct AttachFault {
	std::string op;   ///< fake op that fails ("" = pairing disabled)
	Reason reason;
};

class AttachFailure : public ::testing::TestWithParam<AttachFault> {};

TEST_P(AttachFailure, RollsBackInFailoverOrder)
{
	Rig r;
	r.add("p1", mac1);
	const auto &f = GetParam();
	if (f.op.empty())
		r.kernel.set_pairing(false);
	else
		r.kernel.fail(f.op, EIO, -1);
	auto ev = attach(r, "p1");
	EXPECT_EQ(ev.at("result"), "rolled_back") << ev.dump(1);
	EXPECT_EQ(ev.at("reason"), std::string(to_string(f.reason)));
	EXPECT_FALSE(ev.at("detail").get<std::string>().empty());
	// after the failed step, the rollback ran the release steps in order
	auto steps = phase_steps(ev);
	std::vector<std::string> tail(steps.end() - 6, steps.end());
	EXPECT_EQ(tail, names(seq::steps_of(seq::Kind::failover)));
	EXPECT_FALSE(part(r, "p1").vf);
	EXPECT_EQ(part(r, "p1").last_reason, f.reason);
	r.expect_consistent();
	for (const auto &v : r.kernel.vfs(pf0)) {
		EXPECT_FALSE(v.allocated);
		EXPECT_EQ(v.netns, "");
	}
	// fault gone: the arbiter retries after the back-off and succeeds
	r.kernel.clear_faults();
	r.kernel.set_pairing(true);
	r.clock.advance(2000);
	r.engine->pump();
	r.settle();
	EXPECT_TRUE(part(r, "p1").vf);
	r.expect_consistent();
}

INSTANTIATE_TEST_SUITE_P(EachStep, AttachFailure,
			 ::testing::Values(AttachFault{"vf_alloc", Reason::vf_alloc_failed},
					   AttachFault{"vf_set_mac", Reason::vf_alloc_failed},
					   AttachFault{"vport_create", Reason::vport_create_failed},
					   AttachFault{"netdev_move", Reason::netdev_move_failed},
					   AttachFault{"", Reason::pair_timeout},
					   AttachFault{"filters_move", Reason::filter_move_failed},
					   AttachFault{"adapter_set_datapath", Reason::datapath_failed}),
			 [](const auto &info) {
				 return info.param.op.empty() ? std::string("pairing") : info.param.op;
			 });

struct ReleaseFault {
	std::string op;
	Reason reason; ///< ok = the failover still succeeds
};

class FailoverFailure : public ::testing::TestWithParam<ReleaseFault> {};

TEST_P(FailoverFailure, ConsistentThenRetrySucceeds)
{
	Rig r;
	r.add("p1", mac1);
	attach(r, "p1");
	const auto &f = GetParam();
	r.kernel.fail(f.op, EIO, 1);
	auto ev = failover(r, "p1");
	if (f.reason == Reason::ok) {
		EXPECT_EQ(ev.at("result"), "ok") << ev.dump(1);
	} else {
		EXPECT_EQ(ev.at("result"), "failed") << ev.dump(1);
		EXPECT_EQ(ev.at("reason"), std::string(to_string(f.reason)));
	}
	r.expect_consistent();
	if (part(r, "p1").vf) {
		ev = failover(r, "p1");
		EXPECT_EQ(ev.at("result"), "ok") << ev.dump(1);
	}
	EXPECT_FALSE(part(r, "p1").vf);
	r.expect_consistent();
}

INSTANTIATE_TEST_SUITE_P(EachStep, FailoverFailure,
			 ::testing::Values(ReleaseFault{"filters_move", Reason::filter_move_failed},
					   ReleaseFault{"adapter_set_datapath", Reason::datapath_failed},
					   // a failed release request only means surprise removal
					   ReleaseFault{"adapter_release_vf", Reason::ok},
					   // an unbind that fails moves the netdev out instead
					   ReleaseFault{"vf_unbind", Reason::ok},
					   ReleaseFault{"vport_delete", Reason::vport_delete_failed},
					   ReleaseFault{"vf_reset", Reason::ok}, // quarantine
					   ReleaseFault{"vf_free", Reason::vf_free_failed}),
			 [](const auto &info) { return info.param.op; });

TEST(Failures, VfStaysInTheChildWhenUnbindAndMoveFail)
{
	Rig r;
	r.add("p1", mac1);
	attach(r, "p1");
	r.kernel.fail("vf_unbind", EIO, 1);
	r.kernel.fail("netdev_move", EIO, 1);
	auto ev = failover(r, "p1");
	EXPECT_EQ(ev.at("result"), "failed") << ev.dump(1);
	EXPECT_EQ(ev.at("reason"), "netdev_move_failed");
	r.expect_consistent();
}

TEST(Failures, AdapterCreateFailureForgetsPartition)
{
	for (const std::string op : {"netns_create", "adapter_create", "filter_add"}) {
		Rig r;
		r.kernel.fail(op, EIO, -1);
		auto ev = r.add("p1", mac1);
		EXPECT_EQ(ev.at("result"), "rolled_back") << op;
		EXPECT_EQ(r.engine->model().partitions.count("p1"), 0U) << op;
		r.kernel.clear_faults();
		EXPECT_FALSE(r.kernel.adapter("p1")) << op;
		EXPECT_TRUE(r.kernel.filters(pf0).empty()) << op;
		r.expect_consistent();
	}
}

TEST(Failures, MigrateCompleteFailureRollsBackToSource)
{
	Rig r;
	r.add("p1", mac1);
	attach(r, "p1");
	r.run([&](seq::DoneFn d) { return r.engine->migrate_prepare("p1", pf1, std::move(d)); });
	r.kernel.fail("vport_create", EIO, -1);
	auto ev = r.run([&](seq::DoneFn d) { return r.engine->migrate_complete("p1", std::move(d)); });
	EXPECT_EQ(ev.at("result"), "rolled_back");
	r.kernel.clear_faults();
	EXPECT_EQ(part(r, "p1").pf, pf0);
	EXPECT_EQ(r.kernel.adapter("p1")->pf, pf0);
	EXPECT_TRUE(r.kernel.filters(pf1).empty());
	r.settle();
	r.expect_consistent();
}

// ------------------------------------------------------------ crash + restart at every step

struct CrashCase {
	std::string name;
	std::function<void(Rig &)> setup;                    ///< state before the sequence
	std::function<seq::StartResult(Rig &)> start;         ///< starts the sequence under test
	std::function<void(Rig &)> expect;                    ///< outcome after restart
};

/// Run @c's sequence in @r, crashing it at its @k-th "before" hook (or
/// "after" hook: @after); whether the hook fired there.
bool crash_at(Rig &r, const CrashCase &c, bool after, std::size_t k)
{
	bool crashed = false;
	// "before" hooks and "after" hooks are counted separately
	std::size_t n = 0;
	r.engine->crash_hook = [&, n](const seq::Record &, Step, bool a) mutable {
		if (a != after)
			return;
		if (n++ == k) {
			crashed = true;
			throw seq::SimulatedCrash{};
		}
	};
	try {
		c.start(r);
		r.settle();
	} catch (const seq::SimulatedCrash &) {
	}
	r.engine->crash_hook = nullptr; // it refers to this frame
	return crashed;
}

void crash_everywhere(const CrashCase &c)
{
	// Count the crash points once without crashing: a "before" point at
	// every step, an "after" point at every step that acted (a skipped
	// step has none).
	std::array<std::size_t, 2> points{};
	{
		Rig r;
		c.setup(r);
		r.engine->crash_hook = [&](const seq::Record &, Step, bool after) { ++points[after ? 1 : 0]; };
		c.start(r);
		r.settle();
	}
	ASSERT_GT(points[0], 0U) << c.name << ": the crash hook never fired";
	ASSERT_GT(points[1], 0U) << c.name << ": no step acted";
	ASSERT_LE(points[1], points[0]) << c.name;
	// Every point is crashed at once: the hook must fire there, and the
	// number of crashes must be the number of points.
	std::array<std::size_t, 2> crashes{};
	for (bool after : {false, true}) {
		for (std::size_t k = 0; k < points[after ? 1 : 0]; ++k) {
			SCOPED_TRACE(c.name + " crash at point " + std::to_string(k) + (after ? " after" : " before"));
			Rig r;
			c.setup(r);
			ASSERT_TRUE(crash_at(r, c, after, k)) << "the crash hook did not fire at this point";
			++crashes[after ? 1 : 0];
			r.restart();
			r.expect_consistent();
			c.expect(r);
			// a second restart changes nothing
			r.restart();
			r.expect_consistent();
		}
	}
	// A crash in the middle of the append that starts each step: the
	// torn record is ignored, the journal is the one before it (the
	// previous step "may have acted"), and recovery still ends consistent.
	std::size_t torn = 0;
	for (std::size_t k = 0; k < points[0]; ++k) {
		SCOPED_TRACE(c.name + " torn record at point " + std::to_string(k));
		Rig r;
		c.setup(r);
		ASSERT_TRUE(crash_at(r, c, false, k)) << "the crash hook did not fire at this point";
		r.engine.reset();
		ASSERT_TRUE(r.tear_last_record()) << "the step's start is not the log's last record";
		++torn;
		r.store.reset();
		r.start();
		r.settle();
		r.expect_consistent();
		r.restart();
		r.expect_consistent();
	}
	EXPECT_EQ(crashes[0], points[0]) << c.name;
	EXPECT_EQ(crashes[1], points[1]) << c.name;
	EXPECT_EQ(torn, points[0]) << c.name;
	std::cout << "[ crashes  ] " << c.name << ": " << crashes[0] << " before + " << crashes[1]
		  << " after a step + " << torn << " torn journal records\n";
}

/// Setup: partition p1 on PF 0 with its VF attached.
void attached(Rig &r)
{
	r.add("p1", mac1);
	r.engine->attach("p1", nullptr);
	r.settle();
}

/// Setup: p1 attached on PF 0 and prepared for migration to PF 1.
void migrating(Rig &r)
{
	attached(r);
	r.engine->migrate_prepare("p1", pf1, nullptr);
	r.settle();
}

TEST(Restart, AdapterCreate)
{
	crash_everywhere({.name = "adapter_create",
			  .setup = [](Rig &) {},
			  .start =
				  [](Rig &r) {
					  return r.engine->add_partition({.name = "p1", .netns = "p1", .pf = pf0,
									   .mac = *MacAddr::parse(mac1), .vlan = VlanId{},
									   .weight = 100},
									  nullptr);
				  },
			  .expect =
				  [](Rig &r) {
					  // forward sequence: rolled back, nothing left
					  EXPECT_EQ(r.engine->model().partitions.count("p1"), 0U);
					  EXPECT_FALSE(r.kernel.adapter("p1"));
				  }});
}

TEST(Restart, Attach)
{
	crash_everywhere({.name = "attach",
			  .setup = [](Rig &r) { r.add("p1", mac1); },
			  .start = [](Rig &r) { return r.engine->attach("p1", nullptr); },
			  .expect =
				  [](Rig &r) {
					  // rolled back, then re-attached by the arbiter (still wanted)
					  const auto &p = r.engine->model().partitions.at("p1");
					  ASSERT_TRUE(p.vf);
					  EXPECT_EQ(p.vf->datapath, Datapath::vf);
					  std::size_t n = 0;
					  for (const auto &v : r.kernel.vfs(pf0))
						  n += v.allocated ? 1 : 0;
					  EXPECT_EQ(n, 1U);
				  }});
}

TEST(Restart, Failover)
{
	crash_everywhere({.name = "failover",
			  .setup = attached,
			  .start = [](Rig &r) { return r.engine->failover("p1", 1000000, nullptr); },
			  .expect =
				  [](Rig &r) {
					  // release direction: resumed to the end
					  EXPECT_FALSE(r.engine->model().partitions.at("p1").vf);
					  for (const auto &v : r.kernel.vfs(pf0))
						  EXPECT_FALSE(v.allocated);
				  }});
}

TEST(Restart, Surprise)
{
	crash_everywhere({.name = "surprise",
			  .setup =
				  [](Rig &r) {
					  attached(r);
					  r.engine->set_weight("p1", 0); // no re-attach afterwards
				  },
			  .start =
				  [](Rig &r) {
					  r.kernel.surprise_remove(pf0, VfIndex{0});
					  r.engine->handle_kernel_events();
					  return seq::StartResult{};
				  },
			  .expect =
				  [](Rig &r) {
					  EXPECT_FALSE(r.engine->model().partitions.at("p1").vf);
					  EXPECT_EQ(r.kernel.filters(pf0).at(0).vport, VportId{0});
				  }});
}

TEST(Restart, Teardown)
{
	crash_everywhere({.name = "teardown",
			  .setup = attached,
			  .start = [](Rig &r) { return r.engine->remove_partition("p1", nullptr); },
			  .expect =
				  [](Rig &r) {
					  EXPECT_EQ(r.engine->model().partitions.count("p1"), 0U);
					  EXPECT_FALSE(r.kernel.adapter("p1"));
					  EXPECT_TRUE(r.kernel.filters(pf0).empty());
				  }});
}

TEST(Restart, MigratePrepare)
{
	crash_everywhere({.name = "migrate_prepare",
			  .setup = attached,
			  .start = [](Rig &r) { return r.engine->migrate_prepare("p1", pf1, nullptr); },
			  .expect =
				  [](Rig &r) {
					  // rolled back: no reservation, not migrating, VF re-attached on the source
					  const auto &p = r.engine->model().partitions.at("p1");
					  EXPECT_FALSE(p.reservation);
					  EXPECT_TRUE(p.migrating_to.empty());
					  EXPECT_EQ(p.pf, pf0);
					  for (const auto &v : r.kernel.vfs(pf1))
						  EXPECT_FALSE(v.allocated);
				  }});
}

TEST(Restart, MigrateComplete)
{
	crash_everywhere({.name = "migrate_complete",
			  .setup = migrating,
			  .start = [](Rig &r) { return r.engine->migrate_complete("p1", nullptr); },
			  .expect =
				  [](Rig &r) {
					  const auto &p = r.engine->model().partitions.at("p1");
					  EXPECT_EQ(p.pf, pf0);
					  EXPECT_FALSE(p.reservation);
					  EXPECT_TRUE(p.migrating_to.empty());
					  EXPECT_EQ(r.kernel.adapter("p1")->pf, pf0);
				  }});
}

TEST(Restart, MigrateAbort)
{
	crash_everywhere({.name = "migrate_abort",
			  .setup = migrating,
			  .start = [](Rig &r) { return r.engine->migrate_abort("p1", nullptr); },
			  .expect =
				  [](Rig &r) {
					  const auto &p = r.engine->model().partitions.at("p1");
					  EXPECT_FALSE(p.reservation);
					  EXPECT_TRUE(p.migrating_to.empty());
				  }});
}

// ------------------------------------------------------------ isolation

TEST(Isolation, AdapterCarriesThePartitionSerialFromCreation)
{
	Rig r;
	r.add("p1", mac1);
	const auto serial = part(r, "p1").serial;
	ASSERT_NE(serial, 0U);
	// the first request about the adapter creates it with its identity
	const auto &rq = r.kernel.requests();
	const auto first = std::find_if(rq.begin(), rq.end(), [](const std::string &q) { return q.rfind("adapter_", 0) == 0; });
	ASSERT_NE(first, rq.end());
	EXPECT_EQ(*first, "adapter_create p1 serial=" + std::to_string(serial));
	EXPECT_EQ(r.kernel.adapter("p1")->serial, serial);
	auto ev = attach(r, "p1");
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	// the VF is allocated with the same identity, which is what it pairs on
	EXPECT_EQ(part(r, "p1").vf->serial, serial);
	EXPECT_EQ(r.kernel.vf(pf0, part(r, "p1").vf->vf)->serial, serial);
	r.restart();
	EXPECT_EQ(part(r, "p1").serial, serial);
	r.expect_consistent();
}

TEST(Isolation, RecoveredAdapterWithoutSerialGetsItFromTheHost)
{
	Rig r;
	r.add("p1", mac1);
	const auto serial = part(r, "p1").serial;
	ASSERT_TRUE(r.kernel.adapter_set_serial("p1", 0).ok());
	EXPECT_FALSE(r.engine->audit().empty()) << "the audit misses an adapter without its serial";
	r.restart();
	EXPECT_EQ(r.kernel.adapter("p1")->serial, serial);
	const auto &rq = r.kernel.requests();
	const auto last = std::find_if(rq.rbegin(), rq.rend(), [](const std::string &q) { return q.rfind("adapter_", 0) == 0; });
	ASSERT_NE(last, rq.rend());
	EXPECT_EQ(*last, "adapter_set_serial p1 serial=" + std::to_string(serial));
	r.expect_consistent();
}

TEST(Isolation, AdapterDoesNotPairWithAVfOfAnotherIdentity)
{
	// Same MAC, other serial: no pairing, the attach times out.
	Rig r;
	r.add("p1", mac1);
	ASSERT_TRUE(r.kernel.adapter_set_serial("p1", part(r, "p1").serial + 1000).ok());
	auto ev = attach(r, "p1");
	EXPECT_EQ(ev.at("result"), "rolled_back") << ev.dump(1);
	EXPECT_EQ(ev.at("reason"), "pair_timeout");
}

TEST(Isolation, VfMovesByIfindexAfterTheChildRenamedIt)
{
	for (const std::string &name : {std::string("enp1s0"), std::string("enp1s0v3"), std::string("\xff\xfe")}) {
		SCOPED_TRACE(name);
		Rig r;
		r.add("p1", mac1);
		auto ev = attach(r, "p1");
		ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
		const VfIndex vf = part(r, "p1").vf->vf;
		const auto ifindex = r.kernel.vf(pf0, vf)->ifindex;
		ASSERT_NE(ifindex, 0U);
		r.kernel.rename_vf(pf0, vf, name);
		// still paired: the adapter holds the VF by ifindex
		EXPECT_TRUE(paired_with(*r.kernel.adapter("p1"), r.kernel.vf(pf0, vf)));
		EXPECT_TRUE(r.engine->audit().empty());
		// the journal and the fake's state file take the bytes
		r.restart();
		// a VF driver that cannot be unbound: its netdev is moved home
		r.kernel.fail("vf_unbind", EIO, 1);
		ev = r.run([&](auto done) { return r.engine->remove_partition("p1", std::move(done)); });
		ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
		const auto info = r.kernel.vf(pf0, vf);
		ASSERT_TRUE(info);
		EXPECT_EQ(info->netns, "");
		EXPECT_EQ(info->ifindex, ifindex);
		// a clashing or non-ASCII name was replaced on the way home
		EXPECT_NE(info->netdev, "enp1s0");
		EXPECT_NE(info->netdev, "\xff\xfe");
		bool moved = false;
		for (const auto &q : r.kernel.requests())
			moved |= q == "netdev_move ifindex=" + std::to_string(ifindex) + " p1->";
		EXPECT_TRUE(moved);
		r.expect_consistent();
	}
}

TEST(Isolation, FakeKernelStateFileTakesNonUtf8Names)
{
	TempDir d;
	const std::string path = d.path() + "/fake.json";
	{
		FakeKernel k(path);
		k.add_pf(pf0, "enp1s0", 2);
		EXPECT_NO_THROW(k.rename_vf(pf0, VfIndex{1}, "\xff\xfe"));
	}
	FakeKernel again(path);
	EXPECT_EQ(again.vf(pf0, VfIndex{1})->netdev, "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Isolation, StateStoreSavesNonUtf8Strings)
{
	TempDir d;
	store::StateStore s(d.path() + "/j.json", false);
	nlohmann::json doc{{"version", store::schema_version}, {"name", "\xff\xfe"}};
	EXPECT_NO_THROW(s.save(doc));
	auto back = s.load();
	ASSERT_TRUE(back);
	EXPECT_EQ(back->at("name"), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

// ------------------------------------------------------------ sriov_pf's own failovers

namespace {

constexpr std::uint32_t reason_mailbox = 2; // SRIOV_RESET_REASON_MAILBOX (an MTU change in the child)

/// p1 attached on PF 0; returns its VF and VPort.
std::pair<VfIndex, VportId> attached_p1(Rig &r)
{
	r.add("p1", mac1);
	auto ev = attach(r, "p1");
	EXPECT_EQ(ev.at("result"), "ok") << ev.dump(1);
	const auto &p = part(r, "p1");
	return {p.vf->vf, *p.vf->vport};
}

/// The VPort p1's filter sits on in the kernel's dump.
std::optional<VportId> p1_filter_vport(Rig &r)
{
	for (const auto &f : r.kernel.filters(pf0))
		if (f.filter == part(r, "p1").filters().front())
			return f.vport;
	return std::nullopt;
}

/// Autonomous failover of p1's VF, handled by the engine: the failback
/// it starts waits for the VF (within vf_back_ms: not settled here).
void kernel_fails_over(Rig &r, VfIndex vf)
{
	r.kernel.autonomous_failover(pf0, vf, reason_mailbox);
	r.engine->handle_kernel_events();
	for (int i = 0; i < 10; ++i) {
		r.clock.advance(10);
		r.engine->pump();
	}
}

/// The failback in flight for p1, as `sriovctl sequences` shows it.
std::optional<json> failback_in_flight(Rig &r)
{
	for (const auto &s : r.engine->sequences())
		if (s.at("kind") == "failback" && s.at("partition") == "p1")
			return s;
	return std::nullopt;
}

} // namespace

TEST(KernelFailover, EventMovesTheModelToTheDefaultVport)
{
	Rig r;
	const auto [vf, vp] = attached_p1(r);
	const VportId dv = r.kernel.pf(pf0)->default_vport;
	ASSERT_NE(vp, dv);
	r.kernel.autonomous_failover(pf0, vf, reason_mailbox);
	ASSERT_EQ(p1_filter_vport(r), dv);
	// before the event is handled the model disagrees with the kernel:
	// the audit below is able to fail
	bool disagrees = false;
	for (const auto &line : r.engine->audit())
		disagrees |= line.find("model expects " + std::to_string(vp.value)) != std::string::npos;
	EXPECT_TRUE(disagrees) << "the audit did not see the kernel's move";
	r.engine->handle_kernel_events();
	r.clock.advance(100);
	r.engine->pump();
	const auto &p = part(r, "p1");
	ASSERT_TRUE(p.vf);
	EXPECT_FALSE(p.vf->filters_on_vf);
	EXPECT_TRUE(p.vf->kernel_failover);
	EXPECT_EQ(p.vf->datapath, Datapath::synthetic);
	EXPECT_EQ(p.vf->vport, vp) << "the VF keeps its VPort";
	// the adapter's request to synthetic was acknowledged
	auto ad = r.kernel.adapter("p1");
	EXPECT_FALSE(ad->dp_pending);
	EXPECT_EQ(ad->datapath, Datapath::synthetic);
	// a failback waits (bounded) for the VF to come back
	auto fb = failback_in_flight(r);
	ASSERT_TRUE(fb) << r.engine->sequences().dump(1);
	ASSERT_FALSE(fb->at("phases").empty());
	EXPECT_EQ(fb->at("phases").back().at("step"), "wait_vf_back") << fb->dump(1);
	// (a restart resumes it: Restart.Failback)
	// the VF back: filters and data path on it again, audit consistent
	r.kernel.vf_back(pf0, vf);
	r.engine->handle_kernel_events();
	r.settle();
	EXPECT_TRUE(part(r, "p1").vf->filters_on_vf);
	EXPECT_EQ(part(r, "p1").vf->vf, vf);
	EXPECT_EQ(p1_filter_vport(r), vp);
	r.expect_consistent();
}

TEST(KernelFailover, VfBackMovesTheFiltersBackBeforeTheAck)
{
	Rig r;
	const auto [vf, vp] = attached_p1(r);
	kernel_fails_over(r, vf);
	auto seqs = record_sequences(r);
	std::optional<VportId> at_ack;
	r.kernel.set_hook([&](const std::string &op) {
		if (op == "adapter_dp_ack" && !at_ack)
			at_ack = p1_filter_vport(r);
	});
	const std::size_t from = r.kernel.requests().size();
	r.kernel.vf_back(pf0, vf);
	ASSERT_EQ(r.kernel.adapter("p1")->dp_pending, Datapath::vf);
	r.engine->handle_kernel_events();
	r.settle();
	r.kernel.set_hook(nullptr);
	const auto move = first_request(r, "filters_move " + pf0 + " 0->" + std::to_string(vp.value), from);
	const auto ack = first_request(r, "adapter_dp_ack p1", from);
	ASSERT_NE(move, std::string::npos) << "the filters were not moved back";
	ASSERT_NE(ack, std::string::npos) << "the VF's request was not acknowledged";
	EXPECT_LT(move, ack) << "acknowledged before the filters were on the VF's VPort";
	ASSERT_TRUE(at_ack);
	EXPECT_EQ(*at_ack, vp);
	ASSERT_EQ(seqs->size(), 1U);
	EXPECT_EQ(seqs->at(0).at("kind"), "failback");
	EXPECT_EQ(seqs->at(0).at("result"), "ok") << seqs->at(0).dump(1);
	EXPECT_EQ(phase_steps(seqs->at(0)), names(seq::steps_of(seq::Kind::failback)));
	const auto &p = part(r, "p1");
	ASSERT_TRUE(p.vf);
	EXPECT_EQ(p.vf->vf, vf) << "the same VF, not a new attach";
	EXPECT_TRUE(p.vf->filters_on_vf);
	EXPECT_FALSE(p.vf->kernel_failover);
	EXPECT_EQ(p.vf->datapath, Datapath::vf);
	EXPECT_EQ(p1_filter_vport(r), vp);
	EXPECT_EQ(r.kernel.reset_count(pf0, vf), 0U) << "the VF was released instead";
	expect_p1_on(r, Datapath::vf);
}

TEST(KernelFailover, VfNotBackWithinTheBoundIsASurprise)
{
	Rig r;
	const auto [vf, vp] = attached_p1(r);
	auto seqs = record_sequences(r);
	kernel_fails_over(r, vf);
	const std::size_t from = r.kernel.requests().size();
	// just short of the bound: still waiting, nothing moved
	const std::int64_t bound = r.cfg.timeouts.vf_back_ms;
	for (std::int64_t t = 200; t < bound - 100; t += 10) {
		r.clock.advance(10);
		r.engine->handle_kernel_events();
	}
	EXPECT_TRUE(failback_in_flight(r)) << "gave up before vf_back_ms";
	EXPECT_TRUE(seqs->empty());
	EXPECT_EQ(first_request(r, "filters_move", from), std::string::npos);
	EXPECT_EQ(r.kernel.reset_count(pf0, vf), 0U) << "released before vf_back_ms";
	EXPECT_EQ(p1_filter_vport(r), r.kernel.pf(pf0)->default_vport);
	EXPECT_EQ(r.kernel.adapter("p1")->datapath, Datapath::synthetic);
	// past it: the failback fails, the VF is released as a surprise (and
	// reset, which brings it back: the arbiter attaches p1 again)
	r.settle();
	ASSERT_GE(seqs->size(), 2U);
	EXPECT_EQ(seqs->at(0).at("kind"), "failback");
	EXPECT_EQ(seqs->at(0).at("result"), "failed");
	EXPECT_NE(seqs->at(0).at("detail").get<std::string>().find("not back within"), std::string::npos)
		<< seqs->at(0).dump(1);
	EXPECT_EQ(seqs->at(1).at("kind"), "surprise");
	EXPECT_EQ(seqs->at(1).at("result"), "ok") << seqs->at(1).dump(1);
	EXPECT_GE(r.kernel.reset_count(pf0, vf), 1U);
	ASSERT_TRUE(part(r, "p1").vf) << "not attached again";
	EXPECT_FALSE(part(r, "p1").vf->kernel_failover);
	EXPECT_EQ(part(r, "p1").vf->datapath, Datapath::vf);
	r.expect_consistent();
}

TEST(KernelFailover, VfThatNeverLeftTheAdapterGetsItsFiltersBack)
{
	// a sysfs FLR the VF driver rides through: sriov_pf moves the
	// filters, the adapter never leaves the VF (no request is raised)
	Rig r;
	const auto [vf, vp] = attached_p1(r);
	auto seqs = record_sequences(r);
	r.kernel.autonomous_failover(pf0, vf, reason_mailbox, true);
	ASSERT_EQ(p1_filter_vport(r), r.kernel.pf(pf0)->default_vport);
	ASSERT_EQ(r.kernel.adapter("p1")->datapath, Datapath::vf);
	ASSERT_FALSE(r.kernel.adapter("p1")->dp_pending);
	r.engine->handle_kernel_events();
	r.settle();
	ASSERT_EQ(seqs->size(), 1U);
	EXPECT_EQ(seqs->at(0).at("kind"), "failback");
	EXPECT_EQ(seqs->at(0).at("result"), "ok") << seqs->at(0).dump(1);
	EXPECT_EQ(p1_filter_vport(r), vp);
	const auto &p = part(r, "p1");
	EXPECT_TRUE(p.vf->filters_on_vf);
	EXPECT_FALSE(p.vf->kernel_failover);
	EXPECT_EQ(p.vf->datapath, Datapath::vf);
	EXPECT_EQ(r.kernel.reset_count(pf0, vf), 0U);
	r.expect_consistent();
}

TEST(KernelFailover, VfLeavingAfterTheFailoverIsASurprise)
{
	Rig r;
	const auto [vf, vp] = attached_p1(r);
	kernel_fails_over(r, vf);
	auto seqs = record_sequences(r);
	// the VF driver is unbound after its VF_GOING_DOWN: its netdev leaves
	// the child, the adapter loses it
	const auto v = r.kernel.vf(pf0, vf);
	ASSERT_TRUE(v && v->netns == "p1");
	ASSERT_TRUE(r.kernel.netdev_move("p1", v->ifindex, "").ok());
	r.engine->handle_kernel_events();
	// the failback waiting for that VF ends at once, not at its bound
	EXPECT_FALSE(failback_in_flight(r));
	r.settle();
	ASSERT_GE(seqs->size(), 2U) << "the lost VF was not released";
	EXPECT_EQ(seqs->at(0).at("kind"), "failback");
	EXPECT_EQ(seqs->at(0).at("result"), "failed");
	EXPECT_EQ(seqs->at(0).at("reason"), "surprise_removal");
	EXPECT_EQ(seqs->at(1).at("kind"), "surprise");
	EXPECT_EQ(seqs->at(1).at("result"), "ok") << seqs->at(1).dump(1);
	r.expect_consistent();
}

TEST(KernelFailover, FailbackThatCannotSwitchReleasesTheVf)
{
	Rig r;
	r.cfg.timeouts.datapath_ms = 200;
	r.restart();
	const auto [vf, vp] = attached_p1(r);
	kernel_fails_over(r, vf);
	auto seqs = record_sequences(r);
	r.kernel.vf_back(pf0, vf);
	// the ack is refused: the data path never reaches the VF
	r.kernel.fail("adapter_dp_ack", EIO, 1);
	r.engine->handle_kernel_events();
	r.settle();
	r.kernel.clear_faults();
	ASSERT_GE(seqs->size(), 2U);
	EXPECT_EQ(seqs->at(0).at("kind"), "failback");
	EXPECT_EQ(seqs->at(0).at("result"), "failed");
	EXPECT_EQ(seqs->at(1).at("kind"), "surprise");
	EXPECT_EQ(seqs->at(1).at("result"), "ok") << seqs->at(1).dump(1);
	EXPECT_GE(r.kernel.reset_count(pf0, vf), 1U) << "the released VF was not reset";
	r.settle();
	r.expect_consistent();
}

TEST(KernelFailover, VfResetDuringAttachIsUndoneBeforeTheAck)
{
	Rig r;
	r.add("p1", mac1);
	std::optional<VportId> at_ack;
	bool injected = false;
	r.kernel.set_hook([&](const std::string &op) {
		if (op == "adapter_set_datapath" && !injected) {
			// the VF resets between filters_to_vf and the ack
			injected = true;
			const auto &p = part(r, "p1");
			r.kernel.autonomous_failover(pf0, p.vf->vf, reason_mailbox);
			r.kernel.vf_back(pf0, p.vf->vf);
		}
		if (op == "adapter_dp_ack" && r.kernel.adapter("p1")->dp_pending == Datapath::vf)
			at_ack = p1_filter_vport(r);
	});
	auto ev = attach(r, "p1");
	r.kernel.set_hook(nullptr);
	ASSERT_TRUE(injected);
	EXPECT_EQ(ev.at("result"), "ok") << ev.dump(1);
	ASSERT_TRUE(at_ack);
	EXPECT_EQ(*at_ack, *part(r, "p1").vf->vport) << "acknowledged with the filters on the default VPort";
	// the notification, handled late, is stale and changes nothing
	r.engine->handle_kernel_events();
	r.settle();
	EXPECT_FALSE(part(r, "p1").vf->kernel_failover);
	EXPECT_TRUE(part(r, "p1").vf->filters_on_vf);
	EXPECT_EQ(r.kernel.adapter("p1")->datapath, Datapath::vf);
	r.expect_consistent();
}

TEST(KernelFailover, BadOrUnknownEventsAreIgnored)
{
	Rig r;
	const auto [vf, vp_bound] = attached_p1(r);
	const VportId vp = vp_bound; // a lambda below uses it: clang 14 captures no structured binding
	const VportId dv = r.kernel.pf(pf0)->default_vport;
	const auto base = [&] {
		KernelEvent e;
		e.type = KernelEvent::Type::filters_moved;
		e.pf = pf0;
		e.src_vport = vp;
		e.dst_vport = dv;
		e.reset_reason = reason_mailbox;
		return e;
	};
	struct Case {
		std::string name;
		KernelEvent ev;
		std::string log;
	};
	std::vector<Case> cases;
	{
		auto e = base();
		e.pf.clear();
		cases.push_back({"unknown PF", e, "unknown PF"});
	}
	{
		auto e = base();
		e.pf = "0000:09:00.0";
		cases.push_back({"PF not listed", e, "does not list"});
	}
	{
		auto e = base();
		e.src_vport = VportId{vp.value + 40};
		cases.push_back({"unknown VPort", e, "which no partition holds"});
	}
	{
		auto e = base();
		e.src_vport.reset();
		cases.push_back({"no source VPort", e, "without source/destination"});
	}
	{
		auto e = base();
		e.dst_vport.reset();
		cases.push_back({"no destination VPort", e, "without source/destination"});
	}
	{
		auto e = base();
		e.reset_reason.reset();
		cases.push_back({"no reason", e, "without source/destination"});
	}
	{
		auto e = base();
		e.dst_vport = vp;
		cases.push_back({"not to the default VPort", e, "not the default VPort"});
	}
	// well formed, but the filters are on the VF's VPort: stale
	cases.push_back({"stale", base(), "is stale"});
	for (auto &c : cases) {
		SCOPED_TRACE(c.name);
		r.kernel.inject_event(c.ev);
		testing::internal::CaptureStderr();
		EXPECT_NO_THROW(r.engine->handle_kernel_events());
		const std::string err = testing::internal::GetCapturedStderr();
		EXPECT_NE(err.find(c.log), std::string::npos) << "no log line; stderr: " << err;
		r.settle();
		const auto &p = part(r, "p1");
		ASSERT_TRUE(p.vf);
		EXPECT_TRUE(p.vf->filters_on_vf);
		EXPECT_FALSE(p.vf->kernel_failover);
		EXPECT_EQ(p.vf->datapath, Datapath::vf);
		r.expect_consistent();
	}
	// the same event with the filters really moved is acted on: the
	// cases above were ignored for their attributes, not by accident
	r.kernel.autonomous_failover(pf0, vf, reason_mailbox);
	r.engine->handle_kernel_events();
	EXPECT_TRUE(part(r, "p1").vf->kernel_failover);
	EXPECT_TRUE(failback_in_flight(r));
	r.kernel.vf_back(pf0, vf);
	r.engine->handle_kernel_events();
	r.settle();
	r.expect_consistent();
}

// ------------------------------------------------------------ the VF pool re-read

TEST(Pool, NumVfsZeroReleasesThenVfsBackReattach)
{
	Rig r(4, 2);
	r.add("p1", mac1);
	r.add("p2", "02:00:00:00:00:02");
	ASSERT_EQ(attach(r, "p1").at("result"), "ok");
	ASSERT_EQ(attach(r, "p2").at("result"), "ok");
	auto seqs = record_sequences(r);
	// sriov_numvfs=0 behind sriovd's back
	r.kernel.pool_disable(pf0);
	// before the notifications are handled the audit sees it: the check
	// below is able to fail
	bool disagrees = false;
	for (const auto &line : r.engine->audit())
		disagrees |= line.find("gone from the kernel's pool") != std::string::npos;
	EXPECT_TRUE(disagrees) << "the audit did not see the pool go";
	r.engine->handle_kernel_events();
	r.settle();
	std::size_t surprises = 0;
	for (const auto &e : *seqs) {
		EXPECT_NE(e.at("kind"), "failback") << "no VF comes back from sriov_numvfs=0";
		if (e.at("kind") == "surprise") {
			EXPECT_EQ(e.at("result"), "ok") << e.dump(1);
			++surprises;
		}
	}
	EXPECT_EQ(surprises, 2U);
	EXPECT_FALSE(part(r, "p1").vf);
	EXPECT_FALSE(part(r, "p2").vf);
	EXPECT_TRUE(r.engine->model().pfs.at(pf0).vfs.empty()) << "the model's pool did not follow";
	EXPECT_EQ(r.kernel.adapter("p1")->datapath, Datapath::synthetic);
	r.expect_consistent();
	// VFs enabled again: the pool is re-read, the synthetic filters go
	// back on the new switch, and both partitions are attached again
	seqs->clear();
	r.kernel.pool_enable(pf0, 4);
	r.engine->handle_kernel_events();
	r.settle();
	EXPECT_EQ(r.engine->model().pfs.at(pf0).vfs.size(), 4U);
	for (const auto *n : {"p1", "p2"}) {
		SCOPED_TRACE(n);
		const auto &p = part(r, n);
		ASSERT_TRUE(p.vf) << "not back on a VF";
		EXPECT_EQ(p.vf->datapath, Datapath::vf);
		EXPECT_TRUE(p.vf->filters_on_vf);
		for (const auto &f : r.kernel.filters(pf0)) {
			if (f.filter == p.filters().front()) {
				EXPECT_EQ(f.vport, *p.vf->vport);
			}
		}
	}
	std::size_t attaches = 0;
	for (const auto &e : *seqs)
		if (e.at("kind") == "attach" && e.at("result") == "ok")
			++attaches;
	EXPECT_EQ(attaches, 2U);
	r.expect_consistent();
}

TEST(Pool, NoAttachBeforeTheNewPoolsVfsHaveTheirDriver)
{
	Rig r(4, 2);
	r.add("p1", mac1);
	ASSERT_EQ(attach(r, "p1").at("result"), "ok");
	r.kernel.pool_disable(pf0);
	r.engine->handle_kernel_events();
	r.settle();
	ASSERT_FALSE(part(r, "p1").vf);
	auto seqs = record_sequences(r);
	// sriov_numvfs=4 announced while the VF drivers still probe
	r.kernel.pool_enable(pf0, 4, false);
	r.engine->handle_kernel_events();
	for (int i = 0; i < 100; ++i) { // one second
		r.clock.advance(10);
		r.engine->pump();
	}
	EXPECT_TRUE(seqs->empty()) << "attached before the VFs had a driver: " << seqs->front().dump(1);
	for (const auto &v : r.kernel.vfs(pf0))
		EXPECT_FALSE(v.allocated) << "VF " << v.index.value << " allocated before its driver bound";
	EXPECT_TRUE(r.engine->next_wakeup_mono()) << "nothing wakes the engine to look again";
	// the drivers bound: p1 is attached
	r.kernel.pool_probe(pf0);
	r.engine->handle_kernel_events();
	r.settle();
	ASSERT_EQ(seqs->size(), 1U);
	EXPECT_EQ(seqs->at(0).at("kind"), "attach");
	EXPECT_EQ(seqs->at(0).at("result"), "ok") << seqs->at(0).dump(1);
	ASSERT_TRUE(part(r, "p1").vf);
	EXPECT_EQ(part(r, "p1").vf->datapath, Datapath::vf);
	r.expect_consistent();
}

TEST(Pool, NoAttachWhileSriovDisableIsUnderWay)
{
	// sriov_pf announced SR-IOV disable (filter-moved-ntf, reason 5) and
	// the first VF is gone; sriov_numvfs still reads the old count
	Rig r(4, 2);
	r.add("p1", mac1);
	ASSERT_EQ(attach(r, "p1").at("result"), "ok");
	const auto [vf, vp] = std::pair{part(r, "p1").vf->vf, *part(r, "p1").vf->vport};
	auto seqs = record_sequences(r);
	KernelEvent ev;
	ev.type = KernelEvent::Type::filters_moved;
	ev.pf = pf0;
	ev.src_vport = vp;
	ev.dst_vport = r.kernel.pf(pf0)->default_vport;
	ev.reset_reason = 5;
	r.kernel.inject_event(ev);
	r.kernel.surprise_remove(pf0, vf);
	r.engine->handle_kernel_events();
	for (int i = 0; i < 100; ++i) { // one second
		r.clock.advance(10);
		r.engine->pump();
	}
	ASSERT_FALSE(seqs->empty());
	for (const auto &e : *seqs)
		EXPECT_NE(e.at("kind"), "attach") << "attached while the pool was going: " << e.dump(1);
	EXPECT_EQ(seqs->front().at("kind"), "surprise");
	EXPECT_FALSE(part(r, "p1").vf);
	// no FLR of a VF that SR-IOV disable is removing (it would wait out
	// the PCI core's minute-long readiness poll), and no quarantine
	bool flr_skipped = false;
	for (const auto &ph : seqs->front().at("phases"))
		if (ph.at("step") == "vf_flr")
			flr_skipped = ph.at("result") == "skipped" &&
				      ph.at("detail").get<std::string>().find("SR-IOV disable under way") != std::string::npos;
	EXPECT_TRUE(flr_skipped) << seqs->front().dump(1);
	EXPECT_NE(r.engine->model().pfs.at(pf0).vfs.at(vf.value).state, model::VfState::quarantined);
}

TEST(Pool, VfsBackWithoutAnyAttachedPartitionGetFiltersBack)
{
	// a partition on the synthetic path only: its filter goes with the
	// switch and comes back with it
	Rig r(4, 2);
	r.add("p1", mac1);
	ASSERT_EQ(attach(r, "p1").at("result"), "ok");
	ASSERT_EQ(failover(r, "p1").at("result"), "ok"); // held off the VF
	r.kernel.pool_disable(pf0);
	r.engine->handle_kernel_events();
	r.settle();
	EXPECT_TRUE(r.kernel.filters(pf0).empty());
	r.expect_consistent();
	r.kernel.pool_enable(pf0, 2);
	r.engine->handle_kernel_events();
	r.settle();
	ASSERT_EQ(r.kernel.filters(pf0).size(), part(r, "p1").filters().size());
	EXPECT_EQ(r.kernel.filters(pf0).front().vport, r.kernel.pf(pf0)->default_vport);
	EXPECT_EQ(r.engine->model().pfs.at(pf0).vfs.size(), 2U);
	r.expect_consistent();
}

TEST(Restart, Failback)
{
	crash_everywhere({.name = "failback",
			  .setup = attached,
			  .start =
				  [](Rig &r) {
					  // the VF reset and back before sriovd reads the
					  // notification: the failback runs through
					  r.kernel.autonomous_failover(pf0, part(r, "p1").vf->vf, reason_mailbox);
					  r.kernel.vf_back(pf0, part(r, "p1").vf->vf);
					  r.engine->handle_kernel_events();
					  return seq::StartResult{};
				  },
			  .expect =
				  [](Rig &r) {
					  // resumed to the end: same VF, filters and data path on it
					  const auto &p = r.engine->model().partitions.at("p1");
					  ASSERT_TRUE(p.vf);
					  EXPECT_TRUE(p.vf->filters_on_vf);
					  EXPECT_FALSE(p.vf->kernel_failover);
					  EXPECT_EQ(p.vf->datapath, Datapath::vf);
					  EXPECT_EQ(r.kernel.reset_count(pf0, p.vf->vf), 0U);
					  auto ad = r.kernel.adapter("p1");
					  EXPECT_FALSE(ad->dp_pending);
					  EXPECT_EQ(ad->datapath, Datapath::vf);
				  }});
}


// Broadcast and multicast reach a paired child once: the synthetic switch
// stops flooding them to the host port while the filters are on the VF's
// VPort, and floods again before they leave it.
TEST(Broadcast, FloodingFollowsTheFilters)
{
	Rig r;
	r.add("p1", mac1);
	EXPECT_TRUE(r.kernel.adapter("p1")->flood) << "a new partition is on the synthetic path";
	std::size_t from = r.kernel.requests().size();
	auto ev = attach(r, "p1");
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	EXPECT_FALSE(r.kernel.adapter("p1")->flood);
	auto move = first_request(r, "filters_move " + pf0, from);
	auto off = first_request(r, "adapter_set_flood p1 0", from);
	ASSERT_NE(move, std::string::npos);
	ASSERT_NE(off, std::string::npos);
	EXPECT_LT(move, off) << "flooding stopped before the VF's VPort had the filters";
	r.expect_consistent();
	// the audit sees a port that floods while the VF receives
	ASSERT_TRUE(r.kernel.adapter_set_flood("p1", true).ok());
	bool seen = false;
	for (const auto &line : r.engine->audit())
		seen |= line.find("floods broadcast/multicast on") != std::string::npos;
	EXPECT_TRUE(seen) << "the audit did not see the duplicate path";
	ASSERT_TRUE(r.kernel.adapter_set_flood("p1", false).ok());

	from = r.kernel.requests().size();
	ev = failover(r, "p1");
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	EXPECT_TRUE(r.kernel.adapter("p1")->flood);
	move = first_request(r, "filters_move " + pf0, from);
	const auto on = first_request(r, "adapter_set_flood p1 1", from);
	ASSERT_NE(move, std::string::npos);
	ASSERT_NE(on, std::string::npos);
	EXPECT_LT(on, move) << "the filters left the VF before the synthetic switch flooded again";
	r.expect_consistent();
}

TEST(Broadcast, KernelFailoverFloodsAgainAndFailbackStops)
{
	Rig r;
	const auto [vf, vp] = attached_p1(r);
	(void)vp;
	ASSERT_FALSE(r.kernel.adapter("p1")->flood);
	kernel_fails_over(r, vf);
	// the failback waits for the VF; the synthetic path floods meanwhile
	EXPECT_TRUE(r.kernel.adapter("p1")->flood);
	r.kernel.vf_back(pf0, vf);
	r.engine->handle_kernel_events();
	r.settle();
	EXPECT_FALSE(r.kernel.adapter("p1")->flood);
	r.expect_consistent();
}

// The adapter opens the VF it claimed a moment after pairing: the filters
// move to the VF's VPort only once the VF is up with carrier.
TEST(Sequences, FiltersMoveOnlyToAVfThatIsUp)
{
	Rig r;
	r.add("p1", mac1);
	r.kernel.set_vfs_down(true);
	const std::size_t from = r.kernel.requests().size();
	auto ev = r.run([&](auto done) { return r.engine->attach("p1", done); });
	ASSERT_EQ(ev.at("result"), "rolled_back") << ev.dump(1);
	EXPECT_EQ(ev.at("reason"), "pair_timeout");
	EXPECT_NE(ev.dump().find("not up with carrier"), std::string::npos) << ev.dump(1);
	for (std::size_t i = from; i < r.kernel.requests().size(); ++i)
		EXPECT_NE(r.kernel.requests()[i].rfind("filters_move", 0), 0U)
			<< "filters moved to a VF that was down: " << r.kernel.requests()[i];
	r.expect_consistent();
	r.kernel.set_vfs_down(false);
	ev = attach(r, "p1");
	EXPECT_EQ(ev.at("result"), "ok") << ev.dump(1);
	r.expect_consistent();
}

TEST(Pool, PfGoneReleasesItsPartitionsAndRejoinsItsSwitchWhenBack)
{
	// sriov_pf unbound from the PF (or the PF hot-unplugged) with a
	// partition attached, then bound again and its VFs enabled
	Rig r(4, 2);
	r.add("p1", mac1);
	ASSERT_EQ(attach(r, "p1").at("result"), "ok");
	auto seqs = record_sequences(r);
	r.kernel.pf_unplug(pf0);
	r.engine->handle_kernel_events();
	r.settle();
	ASSERT_EQ(seqs->size(), 1U);
	EXPECT_EQ(seqs->at(0).at("kind"), "surprise");
	EXPECT_EQ(seqs->at(0).at("result"), "ok") << seqs->at(0).dump(1);
	EXPECT_FALSE(part(r, "p1").vf);
	EXPECT_EQ(r.kernel.adapter("p1")->datapath, Datapath::synthetic);
	EXPECT_TRUE(r.engine->model().pfs.at(pf0).vfs.empty()) << "VFs of a PF that is gone stay in the pool";
	r.expect_consistent(); // a PF known to be gone, none of its VFs in use
	// the PF is back with no VFs: its new netdev joins its switch
	EXPECT_FALSE(r.kernel.pf_in_switch(pf0));
	r.kernel.pf_plug(pf0);
	r.engine->handle_kernel_events();
	r.settle();
	EXPECT_TRUE(r.kernel.pf_in_switch(pf0)) << "the PF's new netdev is not in its switch";
	// then VFs: p1 is attached again
	seqs->clear();
	r.kernel.pool_enable(pf0, 2);
	r.engine->handle_kernel_events();
	r.settle();
	ASSERT_TRUE(part(r, "p1").vf) << "not back on a VF";
	EXPECT_EQ(part(r, "p1").vf->datapath, Datapath::vf);
	r.expect_consistent();
}

TEST(Pool, ChangesWhileTheDaemonWasStoppedAreFoundAtStart)
{
	Rig r(4, 2);
	r.add("p1", mac1);
	r.add("p2", "02:00:00:00:00:02", 100, pf1);
	ASSERT_EQ(attach(r, "p1").at("result"), "ok");
	ASSERT_EQ(attach(r, "p2").at("result"), "ok");
	// sriovd stopped; sriov_numvfs=0 on PF 0, PF 1 unbound and bound again
	r.engine.reset();
	r.kernel.pool_disable(pf0);
	r.kernel.pf_unplug(pf1);
	r.kernel.pf_plug(pf1);
	(void)r.kernel.drain_events(); // nobody listened
	r.store.reset();
	r.start();
	r.settle();
	EXPECT_FALSE(part(r, "p1").vf) << "p1 still holds a VF of a pool that is gone";
	EXPECT_FALSE(part(r, "p2").vf) << "p2 still holds a VF of a PF that went away";
	EXPECT_TRUE(r.kernel.pf_in_switch(pf1)) << "PF 1's new netdev is not in its switch";
	EXPECT_EQ(r.kernel.adapter("p1")->datapath, Datapath::synthetic);
	EXPECT_EQ(r.kernel.adapter("p2")->datapath, Datapath::synthetic);
	r.expect_consistent();
}

TEST(Pool, AttachPutsBackASyntheticFilterTheNewSwitchLacks)
{
	// The switch went and came back (sriov_numvfs 0, then 2) and an attach
	// starts before the pool re-sync has put the synthetic path's filter
	// back: the attach adds it on the default VPort and moves it on.
	Rig r(4, 2);
	r.add("p1", mac1);
	ASSERT_EQ(attach(r, "p1").at("result"), "ok");
	ASSERT_EQ(failover(r, "p1").at("result"), "ok"); // held off the VF
	r.kernel.pool_disable(pf0);
	r.kernel.pool_enable(pf0, 2);
	ASSERT_TRUE(r.kernel.filters(pf0).empty());
	auto ev = r.run([&](seq::DoneFn d) { return r.engine->attach("p1", std::move(d)); });
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump(1);
	ASSERT_TRUE(part(r, "p1").vf);
	ASSERT_EQ(r.kernel.filters(pf0).size(), 1U);
	EXPECT_EQ(r.kernel.filters(pf0).front().vport, *part(r, "p1").vf->vport);
}

} // namespace sriov::test
