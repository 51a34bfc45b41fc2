// SPDX-License-Identifier: GPL-2.0
// Test rig: FakeKernel + journal in a temp dir + manual clock + engine
// that can be "killed" and restarted against the same kernel and journal.
#pragma once

#include "common/clock.hpp"
#include "kernel/fake_kernel.hpp"
#include "seq/engine.hpp"
#include "store/state_store.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <gtest/gtest.h>
#include <memory>
#include <string>

namespace sriov::test {

inline const std::string pf0 = "0000:01:00.0";
inline const std::string pf1 = "0000:02:00.0";
inline const std::string mac1 = "02:00:00:00:00:01";
inline const std::string mac2 = "02:00:00:00:00:02";

class TempDir {
public:
	TempDir()
	{
		std::string tmpl = (std::filesystem::temp_directory_path() / "sriovd-test-XXXXXX").string();
		if (::mkdtemp(tmpl.data()) == nullptr)
			throw std::runtime_error("mkdtemp");
		path_ = tmpl;
	}
	TempDir(const TempDir &) = delete;
	TempDir &operator=(const TempDir &) = delete;
	TempDir(TempDir &&) = delete;
	TempDir &operator=(TempDir &&) = delete;
	~TempDir()
	{
		std::error_code ec;
		std::filesystem::remove_all(path_, ec);
	}
	[[nodiscard]] const std::string &path() const { return path_; }

private:
	std::string path_;
};

struct Rig {
	explicit Rig(std::uint32_t vfs0 = 7, std::uint32_t vfs1 = 7)
	{
		kernel.add_pf(pf0, "enp1s0", vfs0);
		kernel.add_pf(pf1, "enp2s0", vfs1);
		cfg.timeouts.pair_ms = 500;
		cfg.timeouts.release_ms = 300;
		// every commit is read back and compared with the state
		cfg.check_journal = true;
		start();
	}

	void start()
	{
		store = std::make_unique<store::StateStore>(dir.path() + "/state.json",
								   /*durable=*/false); // a simulated crash needs no fsync
		engine = std::make_unique<seq::Engine>(kernel, *store, clock, cfg);
		engine->recover();
	}

	/// SIGKILL: drop the engine without any cleanup, start a new one.
	void restart()
	{
		engine.reset();
		store.reset();
		start();
		settle();
	}

	/// A crash in the middle of the last journal append: the log's last
	/// record cut in half.  Returns false if the log holds no record.
	bool tear_last_record() const
	{
		const std::string log = store->log_path();
		std::error_code ec;
		const auto size = std::filesystem::file_size(log, ec);
		if (ec || size < 2)
			return false;
		std::ifstream in(log, std::ios::binary);
		std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
		const auto prev = text.rfind('\n', text.size() - 2);
		const std::size_t start = prev == std::string::npos ? 0 : prev + 1;
		std::filesystem::resize_file(log, start + (text.size() - start) / 2);
		return true;
	}

	/// Run until no sequence is in flight (time moves in 10 ms ticks); a
	/// sequence still in flight after 1000 s of simulated time fails the
	/// test.
	void settle()
	{
		for (int i = 0; i < 100000 && !engine->idle(); ++i) {
			clock.advance(10);
			engine->pump();
		}
		EXPECT_TRUE(engine->idle()) << "a sequence is still in flight after 1000 s";
	}

	nlohmann::json add(const std::string &name, const std::string &mac, std::uint32_t weight = 100,
			   const std::string &pf = pf0)
	{
		nlohmann::json ev;
		auto r = engine->add_partition(
			{.name = name, .netns = name, .pf = pf, .mac = *MacAddr::parse(mac), .vlan = VlanId{}, .weight = weight},
			[&ev](const nlohmann::json &e) { ev = e; });
		EXPECT_TRUE(r.ok()) << r.detail;
		settle();
		return ev;
	}

	template <class F> nlohmann::json run(F &&start_fn)
	{
		nlohmann::json ev;
		auto r = start_fn([&ev](const nlohmann::json &e) { ev = e; });
		EXPECT_TRUE(r.ok()) << r.detail;
		settle();
		return ev;
	}

	/// Model and kernel agree and nothing is leaked.
	void expect_consistent()
	{
		ASSERT_TRUE(engine->idle());
		const auto problems = engine->audit();
		for (const auto &p : problems)
			ADD_FAILURE() << "audit: " << p;
		// independent leak count straight from the fake's dump
		std::size_t allocated = 0;
		std::size_t vports = 0;
		for (const auto &pf : {pf0, pf1}) {
			for (const auto &v : kernel.vfs(pf))
				allocated += v.allocated ? 1 : 0;
			for (const auto &vp : kernel.vports(pf))
				vports += vp.vf ? 1 : 0;
		}
		std::size_t holders = 0;
		std::size_t with_vport = 0;
		for (const auto &[n, p] : engine->model().partitions) {
			holders += (p.vf ? 1 : 0) + (p.reservation ? 1 : 0);
			with_vport += (p.vf && p.vf->vport) ? 1 : 0;
		}
		EXPECT_EQ(allocated, holders) << "leaked or missing VFs";
		EXPECT_EQ(vports, with_vport) << "leaked or missing VPorts";
	}

	TempDir dir;
	ManualClock clock;
	FakeKernel kernel;
	seq::EngineConfig cfg;
	std::unique_ptr<store::StateStore> store;
	std::unique_ptr<seq::Engine> engine;
};

/// Attach @p p and run the sequence to its end.
inline nlohmann::json attach(Rig &r, const std::string &p)
{
	return r.run([&](seq::DoneFn d) { return r.engine->attach(p, std::move(d)); });
}

} // namespace sriov::test
