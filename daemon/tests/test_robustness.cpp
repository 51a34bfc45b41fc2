// SPDX-License-Identifier: GPL-2.0
// The daemon's robustness: journal write failures fail the step and the
// command, an unusable journal stops the start, schema migration, the
// crash-loop breaker, a reboot (new boot id), namespaces (sharing, by
// path) and adapter ownership on EEXIST.
#include "rig.hpp"
#include "model/model.hpp"
#include "seq/state_doc.hpp"
#include "store/atomic_file.hpp"

#include <algorithm>
#include <cerrno>
#include <functional>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

namespace sriov::test {

using json = nlohmann::json;

namespace {

std::size_t allocated_vfs(Rig &r)
{
	std::size_t n = 0;
	for (const auto &pf : {pf0, pf1})
		for (const auto &v : r.kernel.vfs(pf))
			n += v.allocated ? 1 : 0;
	return n;
}

/// Start an engine on the rig's journal without settling it.
void start_engine(Rig &r)
{
	r.engine.reset();
	r.store.reset();
	r.start();
}

/// A rig on boot "boot-1", with p1 on PF 0 and p2 on PF 1.
void start_boot_one(Rig &r)
{
	r.cfg.boot_id = "boot-1";
	start_engine(r);
	r.add("p1", "02:00:00:00:00:01");
	r.add("p2", "02:00:00:00:00:02", 100, pf1);
}

/// sriovd started again after a reboot on kernel @k, with the rig's
/// journal and config: recover, then run until nothing is left to do.
void boot_on(Rig &r, FakeKernel &k)
{
	r.store = std::make_unique<store::StateStore>(r.dir.path() + "/state.json", false);
	r.engine = std::make_unique<seq::Engine>(k, *r.store, r.clock, r.cfg);
	r.engine->recover();
	for (int i = 0; i < 100000 && !r.engine->idle(); ++i) {
		r.clock.advance(10);
		r.engine->pump();
	}
	ASSERT_TRUE(r.engine->idle());
}

json events_of_type(Rig &r, const std::string &type)
{
	json out = json::array();
	for (const auto &e : r.engine->events(0))
		if (e.value("type", "") == type)
			out.push_back(e);
	return out;
}

} // namespace

TEST(JournalFailure, AFailedCommitBeforeTheFirstStepFailsTheAttachAndTouchesNothing)
{
	Rig r;
	r.add("p1", "02:00:00:00:00:01");
	r.store->fail_writes(ENOSPC);
	const json ev = attach(r, "p1");
	r.store->fail_writes(0);
	EXPECT_EQ(ev.at("result"), "failed") << ev.dump();
	EXPECT_EQ(ev.at("reason"), "journal_write_failed") << ev.dump();
	EXPECT_EQ(allocated_vfs(r), 0U) << "a forward step acted without its journal point";
	EXPECT_FALSE(r.engine->model().partitions.at("p1").vf);
	// the next commit is a snapshot of what memory holds
	r.engine->pump();
	r.expect_consistent();
	r.restart();
	r.expect_consistent();
}

TEST(JournalFailure, AFailedCommitMidSequenceRollsBackAndTheCommandFails)
{
	Rig r;
	r.add("p1", "02:00:00:00:00:01");
	bool armed = false;
	r.engine->crash_hook = [&](const seq::Record &, seq::Step step, bool after) {
		if (step == seq::Step::vport_create && after && !armed) {
			armed = true;
			r.store->fail_writes(EIO);
		}
	};
	const json ev = attach(r, "p1");
	r.engine->crash_hook = nullptr;
	r.store->fail_writes(0);
	ASSERT_TRUE(armed);
	EXPECT_NE(ev.at("result"), "ok") << ev.dump();
	EXPECT_EQ(ev.at("reason"), "journal_write_failed") << ev.dump();
	EXPECT_EQ(allocated_vfs(r), 0U) << "the rollback did not release the VF";
	r.engine->pump();
	r.expect_consistent();
	r.restart();
	r.expect_consistent();
}

TEST(JournalFailure, ACommitThatFailsAtTheEndFailsTheResult)
{
	Rig r;
	r.add("p1", "02:00:00:00:00:01");
	r.engine->crash_hook = [&](const seq::Record &, seq::Step step, bool after) {
		if (step == seq::Step::datapath_vf && after)
			r.store->fail_writes(ENOSPC, 1); // the end's commit
	};
	const json ev = attach(r, "p1");
	r.engine->crash_hook = nullptr;
	EXPECT_EQ(ev.at("result"), "failed") << ev.dump();
	EXPECT_EQ(ev.at("reason"), "journal_write_failed");
	EXPECT_TRUE(ev.contains("journal_error"));
}

TEST(JournalFailure, SetWeightIsRefusedAndUnchanged)
{
	Rig r;
	r.add("p1", "02:00:00:00:00:01", 40);
	r.store->fail_writes(ENOSPC);
	const auto st = r.engine->set_weight("p1", 90);
	r.store->fail_writes(0);
	EXPECT_EQ(st.reason, Reason::journal_write_failed);
	EXPECT_EQ(r.engine->model().partitions.at("p1").weight, 40U);
}

TEST(JournalLoad, UnusableJournalsStopTheStart)
{
	struct Case {
		const char *what;
		std::function<void(const std::string &dir)> spoil;
	};
	const std::vector<Case> cases = {
		{"not JSON", [](const std::string &d) { std::ofstream(d + "/state.json") << R"({"version": 3, "mod)"; }},
		{"a future version",
		 [](const std::string &d) { std::ofstream(d + "/state.json") << R"({"version": 99, "model": {}})"; }},
		{"a field of the wrong type",
		 [](const std::string &d) {
			 auto doc = json::parse(*store::read_file(d + "/state.json"));
			 doc["next_seq"] = "many";
			 std::ofstream(d + "/state.json", std::ios::trunc) << doc.dump();
		 }},
		{"a partition without its PF",
		 [](const std::string &d) {
			 auto doc = json::parse(*store::read_file(d + "/state.json"));
			 doc["model"]["partitions"]["p1"].erase("pf");
			 std::ofstream(d + "/state.json", std::ios::trunc) << doc.dump();
		 }},
		{"unreadable (a directory)",
		 [](const std::string &d) {
			 std::filesystem::remove(d + "/state.json");
			 std::filesystem::create_directory(d + "/state.json");
		 }},
	};
	for (const auto &c : cases) {
		Rig r;
		r.add("p1", "02:00:00:00:00:01");
		attach(r, "p1");
		start_engine(r); // a start writes a snapshot of the state at rest
		r.settle();
		r.engine.reset();
		r.store.reset();
		std::filesystem::remove(r.dir.path() + "/state.json.log");
		c.spoil(r.dir.path());
		r.store = std::make_unique<store::StateStore>(r.dir.path() + "/state.json", false);
		r.engine = std::make_unique<seq::Engine>(r.kernel, *r.store, r.clock, r.cfg);
		EXPECT_THROW(r.engine->recover(), store::JournalError) << c.what;
		EXPECT_THROW((void)seq::check_state(r.dir.path()), store::JournalError) << c.what;
		// and nothing was released meanwhile
		EXPECT_EQ(allocated_vfs(r), 1U) << c.what;
	}
}

TEST(JournalLoad, CheckStateSummarisesAValidJournal)
{
	Rig r;
	r.add("p1", "02:00:00:00:00:01");
	attach(r, "p1");
	const auto out = seq::check_state(r.dir.path());
	EXPECT_NE(out.find("valid, schema version " + std::to_string(store::schema_version)), std::string::npos) << out;
	EXPECT_NE(out.find("1 partition(s), 1 with a VF"), std::string::npos) << out;
	TempDir empty;
	EXPECT_NE(seq::check_state(empty.path()).find("no journal"), std::string::npos);
}

TEST(JournalLoad, AVersionTwoDocumentIsMigrated)
{
	// version 2: no boot id, sequences without their restart count
	Rig r;
	r.add("p1", "02:00:00:00:00:01");
	attach(r, "p1");
	json doc = r.engine->state_doc();
	doc["version"] = 2;
	doc.erase("boot_id");
	start_engine(r); // (a snapshot of the current state is written)
	r.engine.reset();
	r.store.reset();
	std::filesystem::remove(r.dir.path() + "/state.json.log");
	ASSERT_EQ(store::write_file_atomic(r.dir.path() + "/state.json", doc.dump()), 0);
	const auto ls = seq::parse_state(json::parse(*store::read_file(r.dir.path() + "/state.json")));
	EXPECT_EQ(ls.version, 2);
	EXPECT_EQ(ls.boot_id, "");
	r.start();
	r.settle();
	ASSERT_TRUE(r.engine->model().partitions.at("p1").vf);
	r.expect_consistent();
	EXPECT_EQ(json::parse(*store::read_file(r.dir.path() + "/state.json")).at("version"), store::schema_version);
}

TEST(CrashLoop, ASequenceInFlightAtThreeStartsInARowIsParkedThenResumed)
{
	Rig r;
	r.add("p1", "02:00:00:00:00:01");
	std::uint64_t id = 0;
	// every step of the attach, and of its rollback, kills the daemon
	auto killer = [&id](const seq::Record &rec, seq::Step, bool) {
		if (rec.kind == seq::Kind::attach) {
			id = rec.id;
			throw seq::SimulatedCrash{};
		}
	};
	r.engine->crash_hook = killer;
	try {
		attach(r, "p1");
	} catch (const seq::SimulatedCrash &) {
	}
	ASSERT_NE(id, 0U);
	for (int start = 1; start < 3; ++start) {
		start_engine(r);
		r.engine->crash_hook = killer;
		EXPECT_THROW(r.settle(), seq::SimulatedCrash) << "start " << start << " did not resume the sequence";
	}
	start_engine(r); // the third start in a row with it in flight
	r.engine->crash_hook = killer;
	r.settle(); // parked: nothing runs, no crash
	EXPECT_TRUE(r.engine->idle());
	const json seqs = r.engine->sequences();
	ASSERT_EQ(seqs.size(), 1U);
	EXPECT_TRUE(seqs.at(0).at("parked").get<bool>());
	EXPECT_EQ(seqs.at(0).at("restarts"), 3);
	const auto parked = events_of_type(r, "sequence_parked");
	ASSERT_EQ(parked.size(), 1U);
	EXPECT_EQ(parked.at(0).at("seq"), id);
	const auto problems = r.engine->audit();
	EXPECT_TRUE(std::any_of(problems.begin(), problems.end(),
				[](const std::string &p) { return p.find("parked") != std::string::npos; }));
	// nothing else starts on the partition meanwhile
	EXPECT_EQ(r.engine->attach("p1", nullptr).reason, Reason::partition_busy);
	// a fourth start leaves it parked
	start_engine(r);
	r.settle();
	ASSERT_EQ(r.engine->sequences().size(), 1U);
	EXPECT_TRUE(r.engine->sequences().at(0).at("parked").get<bool>());
	// resumed by request (the fault fixed): it rolls back
	json end;
	const auto st = r.engine->resume_parked(id, [&end](const json &e) { end = e; });
	ASSERT_TRUE(st.ok()) << st.detail;
	r.settle();
	EXPECT_EQ(end.at("result"), "rolled_back") << end.dump();
	r.expect_consistent();
	EXPECT_EQ(r.engine->resume_parked(id, nullptr).reason, Reason::invalid_state);
}

TEST(CrashLoop, DiscardDropsTheParkedSequenceAndTheLimitIsAnOption)
{
	Rig r;
	r.cfg.crash_limit = 1;
	start_engine(r);
	r.add("p1", "02:00:00:00:00:01");
	r.engine->crash_hook = [](const seq::Record &rec, seq::Step step, bool after) {
		if (rec.kind == seq::Kind::attach && step == seq::Step::vf_allocate && !after)
			throw seq::SimulatedCrash{};
	};
	try {
		attach(r, "p1");
	} catch (const seq::SimulatedCrash &) {
	}
	start_engine(r); // one start is the limit
	r.settle();
	const json seqs = r.engine->sequences();
	ASSERT_EQ(seqs.size(), 1U);
	ASSERT_TRUE(seqs.at(0).at("parked").get<bool>());
	const auto id = seqs.at(0).at("id").get<std::uint64_t>();
	ASSERT_TRUE(r.engine->discard_parked(id).ok());
	EXPECT_TRUE(r.engine->sequences().empty());
	const auto ends = events_of_type(r, "sequence");
	ASSERT_FALSE(ends.empty());
	EXPECT_EQ(ends.back().at("result"), "discarded");
	EXPECT_EQ(ends.back().at("reason"), "crash_loop");
	EXPECT_EQ(r.engine->discard_parked(id).reason, Reason::invalid_state);
}

TEST(Reboot, ANewBootIdRecreatesThePartitionsAndReattaches)
{
	Rig r;
	start_boot_one(r);
	r.add("p3", "02:00:00:00:00:03");
	attach(r, "p1");
	attach(r, "p2");
	// a failover with a long hold: its monotonic deadline means nothing after the reboot
	r.run([&](seq::DoneFn d) { return r.engine->failover("p2", std::int64_t{3600} * 1000, std::move(d)); });
	ASSERT_FALSE(r.engine->model().partitions.at("p2").vf);
	ASSERT_GT(r.engine->model().partitions.at("p2").hold_until_mono, r.clock.mono_ms());
	// an attach in flight when the power went
	r.engine->crash_hook = [](const seq::Record &rec, seq::Step step, bool after) {
		if (rec.kind == seq::Kind::attach && step == seq::Step::vf_to_child && after)
			throw seq::SimulatedCrash{};
	};
	try {
		attach(r, "p3");
	} catch (const seq::SimulatedCrash &) {
	}
	// the reboot: the kernel loses everything, the boot id changes
	r.engine.reset();
	r.store.reset();
	FakeKernel k2;
	k2.add_pf(pf0, "enp1s0", 7);
	k2.add_pf(pf1, "enp2s0", 7);
	r.cfg.boot_id = "boot-2";
	auto boot = [&] { ASSERT_NO_FATAL_FAILURE(boot_on(r, k2)); };
	boot();
	const auto &m = r.engine->model();
	std::size_t vfs = 0;
	for (const auto *name : {"p1", "p2", "p3"}) {
		ASSERT_TRUE(m.partitions.contains(name)) << name;
		EXPECT_TRUE(m.partitions.at(name).adapter) << name;
		EXPECT_TRUE(k2.adapter(name)) << name << ": adapter not re-created";
		EXPECT_TRUE(k2.netns_exists(name)) << name;
		EXPECT_TRUE(m.partitions.at(name).vf) << name << ": not re-attached";
		vfs += m.partitions.at(name).vf ? 1 : 0;
	}
	std::size_t allocated = 0;
	for (const auto &pf : {pf0, pf1})
		for (const auto &v : k2.vfs(pf))
			allocated += v.allocated ? 1 : 0;
	EXPECT_EQ(allocated, vfs);
	for (const auto &p : r.engine->audit())
		ADD_FAILURE() << "audit: " << p;
	const auto ev = events_of_type(r, "reboot");
	ASSERT_EQ(ev.size(), 1U);
	EXPECT_EQ(ev.at(0).at("previous_boot_id"), "boot-1");
	EXPECT_EQ(ev.at(0).at("abandoned").size(), 1U);
	// the journal now holds this boot: a restart re-creates nothing
	const auto creates = std::count_if(k2.requests().begin(), k2.requests().end(),
					   [](const std::string &q) { return q.starts_with("adapter_create"); });
	r.engine.reset();
	r.store.reset();
	boot();
	EXPECT_EQ(std::count_if(k2.requests().begin(), k2.requests().end(),
				[](const std::string &q) { return q.starts_with("adapter_create"); }),
		  creates);
	EXPECT_TRUE(r.engine->audit().empty());
	EXPECT_EQ(events_of_type(r, "reboot").size(), 1U);
	r.engine.reset(); // before k2 goes
}

TEST(Reboot, ARecreateThatFailsIsReportedByTheAudit)
{
	Rig r;
	start_boot_one(r);
	r.engine.reset();
	r.store.reset();
	FakeKernel k2; // pf1 did not come back
	k2.add_pf(pf0, "enp1s0", 7);
	r.cfg.boot_id = "boot-2";
	ASSERT_NO_FATAL_FAILURE(boot_on(r, k2));
	EXPECT_TRUE(k2.adapter("p1"));
	EXPECT_FALSE(k2.adapter("p2"));
	const auto problems = r.engine->audit();
	EXPECT_TRUE(std::any_of(problems.begin(), problems.end(),
				[](const std::string &p) { return p.starts_with("partition p2: no adapter"); }))
		<< "audit misses a partition whose re-creation failed";
	r.engine.reset(); // before k2 goes
}

TEST(Namespaces, TwoPartitionsCannotShareOneAndAPathNamesAnExistingOne)
{
	Rig r;
	r.add("p1", "02:00:00:00:00:01");
	const auto shared = r.engine->add_partition(
		{.name = "p2", .netns = "/var/run/netns/p1", .pf = pf0, .mac = *MacAddr::parse("02:00:00:00:00:02"),
		 .vlan = VlanId{}, .weight = 100},
		nullptr);
	EXPECT_EQ(shared.reason, Reason::bad_request);
	EXPECT_NE(shared.detail.find("cannot share"), std::string::npos) << shared.detail;
	for (const char *bad : {"/proc/self/ns/net", "/etc/passwd", "/run/netns/../x", "a/b"}) {
		const auto st = r.engine->add_partition({.name = "p3", .netns = bad, .pf = pf0,
							 .mac = *MacAddr::parse("02:00:00:00:00:03"), .vlan = VlanId{},
							 .weight = 100},
							nullptr);
		EXPECT_EQ(st.reason, Reason::bad_request) << bad;
	}
	// a path to a namespace that exists: used, not created
	ASSERT_TRUE(r.kernel.netns_create("ext").ok());
	json ev = r.run([&](seq::DoneFn d) {
		return r.engine->add_partition({.name = "p4", .netns = "/run/netns/ext", .pf = pf0,
						.mac = *MacAddr::parse("02:00:00:00:00:04"), .vlan = VlanId{}, .weight = 100},
					       std::move(d));
	});
	EXPECT_EQ(ev.at("result"), "ok") << ev.dump();
	// a path to none: refused at its first step, not created
	ev = r.run([&](seq::DoneFn d) {
		return r.engine->add_partition({.name = "p5", .netns = "/proc/999999/ns/net", .pf = pf0,
						.mac = *MacAddr::parse("02:00:00:00:00:05"), .vlan = VlanId{}, .weight = 100},
					       std::move(d));
	});
	EXPECT_EQ(ev.at("result"), "rolled_back") << ev.dump();
	EXPECT_FALSE(r.kernel.netns_exists("/proc/999999/ns/net"));
	EXPECT_FALSE(r.engine->model().partitions.contains("p5"));
	// nor one under /run/netns (a container's that went already), whose
	// name may be as long as a runtime makes it
	const std::string gone = "/run/netns/cni-0f3c1e2a-5b6d-4e7f-8a9b-0c1d2e3f4a5b";
	ev = r.run([&](seq::DoneFn d) {
		return r.engine->add_partition({.name = "p6", .netns = gone, .pf = pf0,
						.mac = *MacAddr::parse("02:00:00:00:00:06"), .vlan = VlanId{}, .weight = 100},
					       std::move(d));
	});
	EXPECT_EQ(ev.at("result"), "rolled_back") << ev.dump();
	EXPECT_FALSE(r.kernel.netns_exists(gone));
	EXPECT_FALSE(valid_netns("/run/netns/" + std::string(65, 'a')));
	EXPECT_TRUE(valid_netns("/var/run/netns/" + std::string(64, 'a')));
	EXPECT_FALSE(valid_netns(std::string(33, 'a')));
	r.expect_consistent();
}

TEST(Namespaces, AnotherPathToATakenNamespaceIsRefusedAndFreedByTheRemoval)
{
	Rig r;
	// one more path leads to p1's namespace, as /proc/PID/ns/net of a
	// process in it does on the real kernel
	r.kernel.netns_alias("/proc/4242/ns/net", "p1");
	auto add = [&](const char *name, const char *ns, const char *mac) {
		return r.run([&](seq::DoneFn d) {
			return r.engine->add_partition({.name = name, .netns = ns, .pf = pf0,
							.mac = *MacAddr::parse(mac), .vlan = VlanId{}, .weight = 100},
						       std::move(d));
		});
	};
	for (int i = 0; i < 20; ++i) { // others in the index
		const std::string n = "q" + std::to_string(i);
		const std::string mac = "02:00:00:00:01:" + std::string(i < 10 ? "0" : "") + std::to_string(i);
		ASSERT_EQ(add(n.c_str(), n.c_str(), mac.c_str()).at("result"), "ok") << n;
	}
	ASSERT_EQ(add("p1", "p1", "02:00:00:00:00:01").at("result"), "ok");
	const auto shared = r.engine->add_partition({.name = "p2", .netns = "/proc/4242/ns/net", .pf = pf0,
						     .mac = *MacAddr::parse("02:00:00:00:00:02"), .vlan = VlanId{},
						     .weight = 100},
						    nullptr);
	EXPECT_EQ(shared.reason, Reason::bad_request);
	EXPECT_NE(shared.detail.find("is partition p1's"), std::string::npos) << shared.detail;
	json ev = r.run([&](seq::DoneFn d) { return r.engine->remove_partition("p1", std::move(d)); });
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump();
	// the namespace is no partition's any more: the same request starts
	// (run() expects the start accepted; the fake has no process 4242, so
	// the sequence itself then rolls back at its first step)
	ev = add("p2", "/proc/4242/ns/net", "02:00:00:00:00:02");
	EXPECT_EQ(ev.at("result"), "rolled_back") << ev.dump();
	r.expect_consistent();
}

TEST(Namespaces, AnAdapterOfAnotherIdentityIsNotTakenOver)
{
	Rig r;
	// an adapter by the partition's name, made by someone else
	ASSERT_TRUE(r.kernel.netns_create("p1").ok());
	ASSERT_TRUE(r.kernel.adapter_create("p1", "p1", "nv0", pf0, *MacAddr::parse("02:00:00:00:00:09"), 4242).ok());
	json ev;
	auto st = r.engine->add_partition({.name = "p1", .netns = "p1", .pf = pf0, .mac = *MacAddr::parse("02:00:00:00:00:01"),
					   .vlan = VlanId{}, .weight = 100},
					  [&ev](const json &e) { ev = e; });
	ASSERT_TRUE(st.ok());
	r.settle();
	EXPECT_EQ(ev.at("result"), "rolled_back") << ev.dump();
	EXPECT_EQ(ev.at("reason"), "adapter_create_failed");
	EXPECT_NE(ev.at("detail").get<std::string>().find("another identity"), std::string::npos) << ev.dump();
	// the foreign adapter is untouched
	ASSERT_TRUE(r.kernel.adapter("p1"));
	EXPECT_EQ(r.kernel.adapter("p1")->serial, 4242U);
}

TEST(Containers, APartitionNamesItsInterfaceAndItsContainerAndKeepsThemAcrossARestart)
{
	Rig r;
	ASSERT_TRUE(r.kernel.netns_create("cni-1").ok());
	const json ev = r.run([&](seq::DoneFn d) {
		return r.engine->add_partition({.name = "c1", .netns = "/run/netns/cni-1", .pf = pf0,
						.mac = *MacAddr::parse("02:00:00:00:00:11"), .vlan = VlanId{}, .weight = 100,
						.ips = {}, .ifname = "eth0", .container_id = "0123abcd"},
					       std::move(d));
	});
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump();
	// the child side carries the name asked for: a second netdev by that
	// name cannot appear there, another name can
	EXPECT_TRUE(r.kernel.dump().at("adapters").at("c1").at("ifname") == "eth0") << r.kernel.dump().dump();
	r.restart();
	const auto &p = r.engine->model().partitions.at("c1");
	EXPECT_EQ(p.ifname, "eth0");
	EXPECT_EQ(p.container_id, "0123abcd");
	const json st = r.engine->status();
	EXPECT_EQ(st.at("partitions").at(0).at("container_id"), "0123abcd") << st.dump();
	EXPECT_EQ(st.at("partitions").at(0).at("ifname"), "eth0") << st.dump();
	r.expect_consistent();
}

TEST(Containers, BadInterfaceNamesAndContainerIdsAreRefused)
{
	Rig r;
	ASSERT_TRUE(r.kernel.netns_create("cni-2").ok());
	auto spec = [](const std::string &ifname, const std::string &cid) {
		return seq::PartitionSpec{.name = "c2", .netns = "/run/netns/cni-2", .pf = pf0,
					  .mac = *MacAddr::parse("02:00:00:00:00:12"), .vlan = VlanId{}, .weight = 100,
					  .ips = {}, .ifname = ifname, .container_id = cid};
	};
	for (const char *bad : {"", ".", "..", "a/b", "eth:0", "eth 0", "0123456789abcdef"}) {
		const auto st = r.engine->add_partition(spec(bad, "x"), nullptr);
		EXPECT_EQ(st.reason, Reason::bad_request) << "ifname '" << bad << "'";
	}
	for (const std::string &bad : {std::string("-x"), std::string("a b"), std::string("a/b"), std::string(257, 'a')}) {
		const auto st = r.engine->add_partition(spec("eth0", bad), nullptr);
		EXPECT_EQ(st.reason, Reason::bad_request) << "container id '" << bad << "'";
	}
	EXPECT_TRUE(r.engine->model().partitions.empty());
	EXPECT_TRUE(valid_ifname("net1"));
	EXPECT_TRUE(valid_ifname("0123456789abcde"));
	const json ev = r.run([&](seq::DoneFn d) { return r.engine->add_partition(spec("net1", "c.2_x-y"), std::move(d)); });
	EXPECT_EQ(ev.at("result"), "ok") << ev.dump();
}

TEST(Containers, AJournalWithoutTheFieldsReadsAsNv0AndNoContainer)
{
	model::Model m;
	m.partitions["p1"] = model::Partition{.name = "p1", .netns = "p1", .pf = pf0};
	json j = model::to_json(m);
	j.at("partitions").at("p1").erase("ifname");
	j.at("partitions").at("p1").erase("container_id");
	const auto back = model::model_from_json(j);
	EXPECT_EQ(back.partitions.at("p1").ifname, "nv0");
	EXPECT_EQ(back.partitions.at("p1").container_id, "");
}

TEST(Containers, TeardownAfterTheNamespaceWentFirstLeavesNothing)
{
	Rig r;
	ASSERT_TRUE(r.kernel.netns_create("cni-3").ok());
	json ev = r.run([&](seq::DoneFn d) {
		return r.engine->add_partition({.name = "c3", .netns = "/run/netns/cni-3", .pf = pf0,
						.mac = *MacAddr::parse("02:00:00:00:00:13"), .vlan = VlanId{}, .weight = 100,
						.ips = {}, .ifname = "eth0", .container_id = "c3"},
					       std::move(d));
	});
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump();
	ev = attach(r, "c3");
	ASSERT_EQ(ev.at("result"), "ok") << ev.dump();
	const auto vf = r.engine->model().partitions.at("c3").vf->vf;
	ASSERT_EQ(r.kernel.vf(pf0, vf)->netns, "/run/netns/cni-3");
	// the container's end: its namespace goes before anyone asks sriovd
	r.kernel.netns_delete("/run/netns/cni-3");
	EXPECT_FALSE(r.kernel.netns_exists("/run/netns/cni-3"));
	EXPECT_FALSE(r.kernel.adapter("c3"));
	EXPECT_EQ(r.kernel.vf(pf0, vf)->netns, "") << "a VF netdev leaves a dying namespace for the host's";
	r.engine->pump();
	r.settle();
	ev = r.run([&](seq::DoneFn d) { return r.engine->remove_partition("c3", std::move(d)); });
	EXPECT_EQ(ev.at("result"), "ok") << ev.dump();
	EXPECT_TRUE(r.engine->model().partitions.empty());
	EXPECT_EQ(allocated_vfs(r), 0U);
	EXPECT_TRUE(r.kernel.adapters().empty());
	for (const auto &f : r.kernel.filters(pf0))
		ADD_FAILURE() << "filter left: " << f.filter.mac.str();
	r.expect_consistent();
}

} // namespace sriov::test
