// SPDX-License-Identifier: GPL-2.0
#include "netlink/bounded_call.hpp"

#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <memory>
#include <thread>

using namespace std::chrono_literals;
using sriov::Status;
using sriov::netlink::BoundedCall;

namespace {

std::chrono::milliseconds since(std::chrono::steady_clock::time_point t0)
{
	return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
}

} // namespace

TEST(BoundedCall, ReturnsTheCallsStatus)
{
	BoundedCall c("test");
	EXPECT_TRUE(c.run([] { return Status::success(); }, 1000ms).ok());
	const auto st = c.run([] { return Status::fail(ENODEV, "gone"); }, 1000ms);
	EXPECT_EQ(st.err, ENODEV);
	EXPECT_EQ(st.msg, "gone");
	EXPECT_FALSE(c.stuck());
}

TEST(BoundedCall, ASlowCallTimesOutAndBlocksTheNextUntilItEnds)
{
	BoundedCall c("slow");
	std::atomic<bool> release{false};
	std::atomic<bool> ended{false};
	const auto t0 = std::chrono::steady_clock::now();
	const auto st = c.run(
		[&] {
			while (!release)
				std::this_thread::sleep_for(1ms);
			ended = true;
			return Status::success();
		},
		50ms);
	EXPECT_EQ(st.err, ETIMEDOUT) << st.msg;
	EXPECT_LT(since(t0), 1000ms);
	EXPECT_TRUE(c.stuck());
	// the stuck call is not run twice: the next one is refused at once
	bool ran = false;
	const auto busy = c.run(
		[&] {
			ran = true;
			return Status::success();
		},
		1000ms);
	EXPECT_EQ(busy.err, EBUSY);
	EXPECT_FALSE(ran);
	release = true;
	for (int i = 0; i < 1000 && c.stuck(); i++)
		std::this_thread::sleep_for(1ms);
	EXPECT_TRUE(ended);
	EXPECT_FALSE(c.stuck());
	EXPECT_TRUE(c.run([] { return Status::success(); }, 1000ms).ok());
}

TEST(BoundedCall, AStuckCallMayOutliveItsOwner)
{
	// shared: the detached call may still read it after this test returned
	auto release = std::make_shared<std::atomic<bool>>(false);
	{
		BoundedCall c("owner");
		EXPECT_EQ(c.run(
				  [release] {
					  while (!*release)
						  std::this_thread::sleep_for(1ms);
					  return Status::success();
				  },
				  10ms)
				  .err,
			  ETIMEDOUT);
	}
	// the call ends on the state it shares, not on the destroyed object
	*release = true;
}
