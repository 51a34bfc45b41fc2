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
	ASSERT_EQ(r.loss_runs.size(), 3u);
	EXPECT_EQ(r.loss_runs[0], std::make_pair(uint64_t{2}, uint64_t{1}));
	EXPECT_EQ(r.loss_runs[1], std::make_pair(uint64_t{4}, uint64_t{1}));
	EXPECT_EQ(r.loss_runs[2], std::make_pair(uint64_t{7}, uint64_t{1}));
}

TEST(SeqStats, LossRunsMergeAndAreBounded)
{
	SeqStats s;
	// every third number missing from 0..99, then 200..209 missing
	for (uint64_t i = 0; i < 220; ++i)
		if ((i < 100 && i % 3 != 0) || (i >= 100 && (i < 200 || i >= 210)))
			s.add(i, i);
	auto r = s.report(220);
	ASSERT_EQ(r.loss_runs.size(), sriov::traffic::kMaxLossRuns);
	EXPECT_EQ(r.loss_runs[0], std::make_pair(uint64_t{0}, uint64_t{1}));
	EXPECT_EQ(r.loss_runs[7], std::make_pair(uint64_t{21}, uint64_t{1}));
	SeqStats t;
	for (uint64_t i = 0; i < 50; ++i)
		if (i < 10 || i >= 20)
			t.add(i, i);
	auto q = t.report(55);	// 10..19 and the tail 50..54
	ASSERT_EQ(q.loss_runs.size(), 2u);
	EXPECT_EQ(q.loss_runs[0], std::make_pair(uint64_t{10}, uint64_t{10}));
	EXPECT_EQ(q.loss_runs[1], std::make_pair(uint64_t{50}, uint64_t{5}));
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

TEST(SeqStats, KernelTimestampGapApartFromTheReader)
{
	SeqStats s;
	// the reader stalled 40 ms (arrival times) while the kernel had
	// received the datagrams 0.5 ms apart
	s.add(0, 1'000'000, 100'000'000);
	s.add(1, 1'500'000, 100'500'000);
	s.add(2, 41'500'000, 101'000'000);
	s.add(3, 41'600'000, 112'000'000);	// an 11 ms gap in the data path
	s.add(4, 41'700'000, 112'500'000);
	auto r = s.report(5);
	EXPECT_TRUE(r.have_rx_ts);
	EXPECT_EQ(r.longest_gap_ns, 40'000'000u);
	EXPECT_EQ(r.longest_rx_gap_ns, 11'000'000u);
	EXPECT_EQ(r.rx_gap_after_seq, 2u);

	SeqStats plain;
	plain.add(0, 0);
	plain.add(1, 1'000'000);
	EXPECT_FALSE(plain.report(2).have_rx_ts);
	EXPECT_EQ(plain.report(2).longest_rx_gap_ns, 0u);
}

TEST(SeqStats, SilencesOfTenMillisecondsOrMoreAreListed)
{
	SeqStats s;
	s.add(0, 0);
	s.add(1, 9'999'999);	// under the threshold: not listed
	s.add(2, 19'999'999);	// exactly 10 ms: listed
	s.add(3, 60'000'000);	// 40 ms
	auto r = s.report(4);
	ASSERT_EQ(r.gaps.size(), 2u);
	EXPECT_EQ(r.gaps[0], (sriov::traffic::SeqGap{9'999'999, 10'000'000, 1}));
	EXPECT_EQ(r.gaps[1], (sriov::traffic::SeqGap{19'999'999, 40'000'001, 2}));
	EXPECT_EQ(r.longest_gap_ns, 40'000'001u);
}
