// SPDX-License-Identifier: GPL-2.0
#include "seqstats.hpp"

#include <gtest/gtest.h>

using sriov::traffic::SeqStats;

TEST(SeqStats, InOrderNoLoss)
{
	SeqStats s;
	for (uint64_t i = 0; i < 100; ++i)
		s.add(i, i * 500'000);
	auto r = s.report(100);
	EXPECT_EQ(r.unique, 100u);
	EXPECT_EQ(r.lost, 0u);
	EXPECT_EQ(r.duplicated, 0u);
	EXPECT_EQ(r.reordered, 0u);
	EXPECT_EQ(r.longest_gap_ns, 500'000u);
}

TEST(SeqStats, LossDuplicatesReorderAndGap)
{
	SeqStats s;
	s.add(0, 0);
	s.add(1, 1'000'000);
	s.add(5, 30'000'000);	// 2..4 missing, 29 ms of silence
	s.add(3, 31'000'000);	// late
	s.add(3, 32'000'000);	// duplicate, also below the highest
	s.add(6, 33'000'000);
	auto r = s.report(8);	// 7 never came either
	EXPECT_EQ(r.received, 6u);
	EXPECT_EQ(r.unique, 5u);
	EXPECT_EQ(r.duplicated, 1u);
	EXPECT_EQ(r.reordered, 2u);
	EXPECT_EQ(r.lost, 3u);	// 2, 4, 7
	EXPECT_EQ(r.longest_gap_ns, 29'000'000u);
	EXPECT_EQ(r.gap_start_ns, 1'000'000u);
	EXPECT_EQ(r.gap_after_seq, 1u);
}

TEST(SeqStats, UnknownSentInfersFromHighest)
{
	SeqStats s;
	s.add(0, 0);
	s.add(2, 10);
	EXPECT_EQ(s.report().expected, 3u);
	EXPECT_EQ(s.report().lost, 1u);
	EXPECT_EQ(SeqStats{}.report().expected, 0u);
}
