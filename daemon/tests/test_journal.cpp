// SPDX-License-Identifier: GPL-2.0
// The journal's store (snapshot + change records): record framing, torn
// records, compaction, replay equivalence; the fake kernel's state file
// (the same store) across restarts.
#include "rig.hpp"
#include "store/atomic_file.hpp"
#include "store/record_log.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

namespace sriov::test {

using json = nlohmann::json;

namespace {

std::string read(const std::string &path)
{
	return store::read_file(path).value_or("");
}

void write(const std::string &path, const std::string &text)
{
	std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

json base_doc()
{
	return {{"version", store::schema_version}, {"a", {{"x", 1}}}, {"b", json::object()}};
}

} // namespace

TEST(Journal, RecordsFrameAndScan)
{
	const std::string log = store::frame_record(R"({"k":1})") + store::frame_record(R"({"k":"two"})");
	const auto s = store::scan_records(log);
	ASSERT_EQ(s.payloads.size(), 2U);
	EXPECT_EQ(s.payloads[0], R"({"k":1})");
	EXPECT_EQ(s.payloads[1], R"({"k":"two"})");
	EXPECT_FALSE(s.torn);
	EXPECT_EQ(s.good_bytes, log.size());
	// the CRC is the IEEE one (zlib, Python's zlib.crc32)
	EXPECT_EQ(store::crc32("123456789"), 0xcbf43926U);
}

TEST(Journal, ATornLastRecordIsLeftOutAtEveryCut)
{
	const std::string good = store::frame_record(R"({"k":1})");
	const std::string last = store::frame_record(R"({"k":2,"pad":"xxxxxxxxxxxxxxxx"})");
	// cut anywhere inside the last record, including just before its LF
	for (std::size_t cut = 0; cut < last.size(); ++cut) {
		const auto s = store::scan_records(good + last.substr(0, cut));
		ASSERT_EQ(s.payloads.size(), 1U) << "cut at " << cut;
		EXPECT_EQ(s.good_bytes, good.size());
		EXPECT_EQ(s.torn, cut != 0);
	}
	// a torn append that left garbage or zeros (blocks not yet written)
	for (const std::string &tail : {std::string(40, '\0'), std::string("17 0000 {\"k\":3}\n"),
				       last.substr(0, 10) + std::string(30, '\0') + "\n"}) {
		const auto s = store::scan_records(good + tail);
		ASSERT_EQ(s.payloads.size(), 1U);
		EXPECT_TRUE(s.torn);
		EXPECT_EQ(s.good_bytes, good.size());
	}
	// a bit flipped in the payload fails the checksum
	std::string flipped = last;
	flipped[flipped.size() - 3] ^= 0x01;
	EXPECT_TRUE(store::scan_records(good + flipped).torn);
}

TEST(Journal, ADamagedRecordBeforeGoodOnesStopsTheLoad)
{
	const std::string r1 = store::frame_record(R"({"k":1})");
	std::string bad = store::frame_record(R"({"k":2})");
	bad[bad.size() - 3] = '9';
	EXPECT_THROW((void)store::scan_records(r1 + bad + store::frame_record(R"({"k":3})")), std::runtime_error);
}

TEST(Journal, ReplayOfRecordsEqualsTheStateTheyDescribe)
{
	TempDir d;
	const std::string path = d.path() + "/j.json";
	json state = base_doc();
	{
		store::StateStore st(path, false);
		EXPECT_FALSE(st.load());
		EXPECT_TRUE(st.snapshot_due()) << "the first commit must be a snapshot";
		EXPECT_EQ(st.append({.put = {{"/a/x", 2}}, .del = {}}), EINVAL);
		ASSERT_EQ(st.save(state), 0);
		ASSERT_EQ(st.append({.put = {{"/a/x", 2}, {"/b/p~1q", json{{"n", "\xff"}}}}, .del = {}}), 0);
		ASSERT_EQ(st.append({.put = {{"/c", json::array({1, 2})}}, .del = {"/a"}}), 0);
		ASSERT_EQ(st.append({.put = {}, .del = {"/nothing/there"}}), 0);
		EXPECT_EQ(st.commits(), 4U);
		EXPECT_EQ(st.snapshots(), 1U);
		EXPECT_EQ(st.log_bytes(), std::filesystem::file_size(st.log_path()));
		EXPECT_EQ(st.snapshot_bytes(), std::filesystem::file_size(path));
	}
	state.erase("a");
	state["b"]["p/q"] = {{"n", "\xEF\xBF\xBD"}}; // bytes are stored as U+FFFD
	state["c"] = {1, 2};
	store::StateStore again(path, false);
	const auto back = again.load();
	ASSERT_TRUE(back);
	EXPECT_EQ(*back, state) << back->dump();
	EXPECT_EQ(store::pointer({"model", "a/b~c"}), "/model/a~1b~0c");
}

TEST(Journal, ATornRecordIsCutOffBeforeTheNextAppend)
{
	TempDir d;
	const std::string path = d.path() + "/j.json";
	{
		store::StateStore st(path, false);
		ASSERT_EQ(st.save(base_doc()), 0);
		ASSERT_EQ(st.append({.put = {{"/a/x", 2}}, .del = {}}), 0);
		ASSERT_EQ(st.append({.put = {{"/a/x", 3}}, .del = {}}), 0);
	}
	const std::string log = read(path + ".log");
	// the crash came in the middle of the second append
	write(path + ".log", log.substr(0, log.size() - 5));
	{
		store::StateStore st(path, false);
		const auto back = st.load();
		ASSERT_TRUE(back);
		EXPECT_EQ(back->at("a").at("x"), 2) << "the torn record was applied";
		ASSERT_EQ(st.append({.put = {{"/a/y", 4}}, .del = {}}), 0);
	}
	store::StateStore st(path, false);
	const auto back = st.load();
	ASSERT_TRUE(back) << "the append after the torn record left a damaged log";
	EXPECT_EQ(back->at("a").at("x"), 2);
	EXPECT_EQ(back->at("a").at("y"), 4);
	const std::string after = read(path + ".log");
	EXPECT_EQ(std::count(after.begin(), after.end(), '\n'), 2);
}

TEST(Journal, CompactionPastTheBoundAndACrashBeforeTheLogIsEmptied)
{
	TempDir d;
	const std::string path = d.path() + "/j.json";
	store::StateStore st(path, store::StoreOptions{.durable = false, .compact_min_bytes = 512});
	json state = base_doc();
	ASSERT_EQ(st.save(state), 0);
	int n = 0;
	while (!st.snapshot_due()) {
		ASSERT_EQ(st.append({.put = {{"/b/k" + std::to_string(n), n}}, .del = {}}), 0);
		state["b"]["k" + std::to_string(n)] = n;
		++n;
		ASSERT_LT(n, 100) << "never due";
	}
	// past max(512 bytes, the snapshot's size)
	EXPECT_GT(st.log_bytes(), 512U);
	EXPECT_GT(st.log_bytes(), st.snapshot_bytes());
	const std::string old_log = read(st.log_path());
	ASSERT_EQ(st.save(state), 0);
	EXPECT_EQ(st.log_bytes(), 0U);
	EXPECT_EQ(std::filesystem::file_size(st.log_path()), 0U);
	EXPECT_FALSE(st.snapshot_due());
	ASSERT_EQ(st.append({.put = {{"/b/after", true}}, .del = {}}), 0);
	state["b"]["after"] = true;
	// a crash between the snapshot's rename and the log's truncation
	// leaves the old records in front: they are in the snapshot already
	write(st.log_path(), old_log + read(st.log_path()));
	store::StateStore again(path, false);
	const auto back = again.load();
	ASSERT_TRUE(back);
	EXPECT_EQ(*back, state);
}

TEST(Journal, MemoryStoreReplaysTheSameWay)
{
	store::StateStore st;
	EXPECT_FALSE(st.load());
	ASSERT_EQ(st.save(base_doc()), 0);
	ASSERT_EQ(st.append({.put = {{"/a/x", 5}}, .del = {"/b"}}), 0);
	const auto back = st.load();
	ASSERT_TRUE(back);
	EXPECT_EQ(*back, (json{{"version", store::schema_version}, {"a", {{"x", 5}}}}));
}

TEST(Journal, AVersionOneDocumentStillLoads)
{
	// the whole-document journal (sequences as an array) written before
	// the change records
	Rig r;
	r.add("p1", "02:00:00:00:00:01");
	r.engine->attach("p1", nullptr);
	r.settle();
	const json doc{{"version", 1},
		       {"next_seq", 100},
		       {"next_event", 100},
		       {"model", model::to_json(r.engine->model())},
		       {"sequences", json::array()}};
	r.engine.reset();
	r.store.reset();
	std::filesystem::remove(r.dir.path() + "/state.json.log");
	ASSERT_EQ(store::write_file_atomic(r.dir.path() + "/state.json", doc.dump()), 0);
	r.start();
	r.settle();
	ASSERT_TRUE(r.engine->model().partitions.at("p1").vf);
	r.expect_consistent();
	// rewritten as a snapshot of the current version at the start
	const auto back = store::read_file(r.dir.path() + "/state.json");
	ASSERT_TRUE(back);
	EXPECT_EQ(json::parse(*back).at("version"), store::schema_version);
}

TEST(Journal, EngineCompactsAndRecoversTheSameState)
{
	// a small bound: the log is compacted many times over these sequences
	Rig r;
	r.engine.reset();
	r.store = std::make_unique<store::StateStore>(
		r.dir.path() + "/state.json", store::StoreOptions{.durable = false, .compact_min_bytes = 2048});
	r.engine = std::make_unique<seq::Engine>(r.kernel, *r.store, r.clock, r.cfg);
	r.engine->recover();
	for (int i = 0; i < 6; ++i) {
		const std::string name = "p" + std::to_string(i);
		r.add(name, "02:00:00:00:01:0" + std::to_string(i));
		r.engine->attach(name, nullptr);
		r.settle();
	}
	r.engine->failover("p2", std::int64_t{3600} * 1000, nullptr);
	r.engine->remove_partition("p4", nullptr);
	r.settle();
	EXPECT_GT(r.store->snapshots(), 3U) << "no compaction happened";
	const json before = r.engine->state_doc();
	// SIGKILL and start again: the same model, nothing in flight
	r.engine.reset();
	r.store = std::make_unique<store::StateStore>(r.dir.path() + "/state.json", false);
	r.engine = std::make_unique<seq::Engine>(r.kernel, *r.store, r.clock, r.cfg);
	r.engine->recover();
	EXPECT_EQ(r.engine->state_doc().at("model"), before.at("model"));
	r.expect_consistent();
}

TEST(Journal, TheEventRingSurvivesARestartInOrderAndBounded)
{
	Rig r;
	r.cfg.event_ring = 5;
	r.restart();
	for (int i = 0; i < 7; ++i) {
		const std::string name = "p" + std::to_string(i);
		r.add(name, "02:00:00:00:03:0" + std::to_string(i));
	}
	// one ring record per sequence end, not the ring rewritten
	const auto before = r.engine->events(0);
	ASSERT_EQ(before.size(), 5U);
	ASSERT_TRUE(std::filesystem::exists(r.dir.path() + "/state.json.events.log"));
	EXPECT_GT(std::filesystem::file_size(r.dir.path() + "/state.json.events.log"), 0U);
	r.restart();
	const auto after = r.engine->events(0);
	ASSERT_EQ(after.size(), 5U);
	EXPECT_EQ(after, before) << after.dump(1);
	// ids go on after the newest one
	r.add("p9", "02:00:00:00:03:09");
	const auto last = r.engine->events(0);
	EXPECT_GT(last.back().at("id").get<std::uint64_t>(), before.back().at("id").get<std::uint64_t>());
	for (std::size_t i = 1; i < last.size(); ++i)
		EXPECT_LT(last[i - 1].at("id").get<std::uint64_t>(), last[i].at("id").get<std::uint64_t>());
}

TEST(FakeKernelState, AReloadedFakeIsTheSameFakeThroughCompactionsAndATornRecord)
{
	TempDir d;
	const std::string path = d.path() + "/fake.json";
	json before;
	{
		FakeKernel k(path, 1024);
		k.add_pf("pf", "eth0", 3);
		k.fail("vf_free", 5, 2);
		ASSERT_TRUE(k.guard_apply({}).ok());
		for (int i = 0; i < 30; ++i) {
			const std::string n = "p" + std::to_string(i);
			const MacAddr mac = *MacAddr::parse("02:00:00:00:02:" + std::string(i < 10 ? "0" : "") +
							    std::to_string(i));
			ASSERT_TRUE(k.netns_create(n).ok());
			ASSERT_TRUE(k.adapter_create(n, n, "nv0", "pf", mac, 100 + i).ok());
			ASSERT_TRUE(k.filter_add("pf", VportId{0}, Filter{.mac = mac, .vlan = VlanId{}}).ok());
			ASSERT_TRUE(k.guard_set({.partition = n, .mac = mac, .ips = {}}).ok());
		}
		ASSERT_TRUE(k.vf_alloc("pf", VfIndex{1}, 101).ok());
		ASSERT_TRUE(k.vf_set_mac("pf", VfIndex{1}, *MacAddr::parse("02:00:00:00:02:01")).ok());
		auto vp = k.vport_create("pf", VfIndex{1});
		ASSERT_TRUE(vp.ok());
		ASSERT_TRUE(k.netdev_move("", k.vf("pf", VfIndex{1})->ifindex, "p1").ok());
		ASSERT_TRUE(k.adapter("p1")->paired_vf_ifindex != 0) << "p1 did not pair";
		ASSERT_TRUE(k.filters_move("pf", VportId{0}, *vp.value,
					   {Filter{.mac = *MacAddr::parse("02:00:00:00:02:01"), .vlan = VlanId{}}})
				    .ok());
		ASSERT_TRUE(k.adapter_delete("p7").ok());
		ASSERT_TRUE(k.guard_del("p7").ok());
		ASSERT_TRUE(k.filter_del("pf", VportId{0}, Filter{.mac = *MacAddr::parse("02:00:00:00:02:07"),
								  .vlan = VlanId{}})
				    .ok());
		EXPECT_EQ(k.vf_free("pf", VfIndex{2}).err, 5); // one of the two injected faults used
		ASSERT_NE(k.state_store(), nullptr);
		EXPECT_GT(k.state_store()->snapshots(), 2U) << "no compaction happened";
		before = k.dump();
		// a last change whose record is torn by the crash
		ASSERT_TRUE(k.adapter_set_flood("p3", false).ok());
	}
	const std::string log = read(path + ".log");
	ASSERT_FALSE(log.empty());
	write(path + ".log", log.substr(0, log.size() - 4));
	FakeKernel again(path, 1024);
	EXPECT_EQ(again.dump(), before);
	// and it goes on from there
	ASSERT_TRUE(again.adapter_set_flood("p3", false).ok());
	FakeKernel third(path, 1024);
	EXPECT_FALSE(third.adapter("p3")->flood);
	EXPECT_EQ(third.filter_vport("pf", Filter{.mac = *MacAddr::parse("02:00:00:00:02:01"), .vlan = VlanId{}}),
		  std::optional<VportId>(VportId{1}));
}

} // namespace sriov::test
