// SPDX-License-Identifier: GPL-2.0
// Accounting for a sequenced packet stream: what arrived, what did not,
// in which order, and the longest silence.  Pure logic, no I/O.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace sriov::traffic {

// at most this many runs of lost sequence numbers are listed in a report
inline constexpr size_t kMaxLossRuns = 8;
// silences between two arrivals of at least kGapListNs are listed (at most
// kMaxGaps, the first ones), so that a test can judge the gaps of a window
// of the stream (its switch-overs) apart from the rest
inline constexpr uint64_t kGapListNs = 10'000'000;
inline constexpr size_t kMaxGaps = 256;

struct SeqGap {
	uint64_t start_ns;	// from the first arrival
	uint64_t len_ns;
	uint64_t after_seq;	// last sequence number before it
	bool operator==(const SeqGap &) const = default;
};

struct SeqReport {
	uint64_t received = 0;	   // datagrams that arrived, duplicates included
	uint64_t unique = 0;	   // distinct sequence numbers
	uint64_t duplicated = 0;   // arrivals of an already seen sequence number
	uint64_t reordered = 0;	   // arrivals below the highest seen so far
	uint64_t expected = 0;	   // sequence numbers the sender used
	uint64_t lost = 0;	   // expected - unique
	uint64_t longest_gap_ns = 0;  // longest time between two arrivals
	uint64_t gap_start_ns = 0;    // when that gap began, from the first arrival
	uint64_t gap_after_seq = 0;   // last sequence number before that gap
	// the same measured on the kernel's receive timestamps (SO_TIMESTAMPNS:
	// when the datagram reached the receiver's network stack), so that a
	// receiving process that was not scheduled does not count as a gap in
	// the data path; 0 when the receiver has no kernel timestamps
	uint64_t longest_rx_gap_ns = 0;
	uint64_t rx_gap_after_seq = 0;
	bool have_rx_ts = false;
	// the first kMaxLossRuns runs of missing sequence numbers: (first, count)
	std::vector<std::pair<uint64_t, uint64_t>> loss_runs;
	// the first kMaxGaps silences of kGapListNs or more
	std::vector<SeqGap> gaps;
};

class SeqStats {
public:
	// Count an arrival of sequence number `seq` at monotonic time `now_ns`;
	// `rx_ns`, when not 0, is the kernel's receive timestamp of it.
	void add(uint64_t seq, uint64_t now_ns, uint64_t rx_ns = 0)
	{
		if (rx_ns) {
			if (r_.have_rx_ts && rx_ns > last_rx_ns_ &&
			    rx_ns - last_rx_ns_ > r_.longest_rx_gap_ns) {
				r_.longest_rx_gap_ns = rx_ns - last_rx_ns_;
				r_.rx_gap_after_seq = last_seq_;
			}
			if (!r_.have_rx_ts || rx_ns > last_rx_ns_)
				last_rx_ns_ = rx_ns;
			r_.have_rx_ts = true;
		}
		if (seq >= seen_.size())
			seen_.resize(std::max<uint64_t>(seq + 1, seen_.size() * 2), false);
		++r_.received;
		if (seen_[seq]) {
			++r_.duplicated;
		} else {
			seen_[seq] = true;
			++r_.unique;
		}
		if (any_ && seq < highest_)
			++r_.reordered;
		if (!any_) {
			first_ns_ = now_ns;
		} else {
			const uint64_t gap = now_ns - last_ns_;
			if (gap > r_.longest_gap_ns) {
				r_.longest_gap_ns = gap;
				r_.gap_start_ns = last_ns_ - first_ns_;
				r_.gap_after_seq = last_seq_;
			}
			if (gap >= kGapListNs && r_.gaps.size() < kMaxGaps)
				r_.gaps.push_back({last_ns_ - first_ns_, gap, last_seq_});
		}
		highest_ = any_ ? std::max(highest_, seq) : seq;
		last_ns_ = now_ns;
		last_seq_ = seq;
		any_ = true;
	}

	// Distinct sequence numbers so far: cheap, for the per-datagram
	// "all arrived" check (report() walks the whole range for loss_runs).
	[[nodiscard]] uint64_t unique() const { return r_.unique; }

	// `sent` is the sender's count when known (0: infer from the highest
	// sequence number seen, which cannot see loss at the tail).
	[[nodiscard]] SeqReport report(uint64_t sent = 0) const
	{
		SeqReport r = r_;
		r.expected = sent ? sent : (any_ ? highest_ + 1 : 0);
		r.lost = r.expected > r.unique ? r.expected - r.unique : 0;
		for (uint64_t seq = 0; seq < r.expected && r.loss_runs.size() < kMaxLossRuns; ++seq) {
			if (seq < seen_.size() && seen_[seq])
				continue;
			if (!r.loss_runs.empty() && r.loss_runs.back().first + r.loss_runs.back().second == seq)
				++r.loss_runs.back().second;
			else
				r.loss_runs.emplace_back(seq, 1);
		}
		return r;
	}

private:
	SeqReport r_;
	std::vector<bool> seen_;
	uint64_t highest_ = 0;
	uint64_t first_ns_ = 0;
	uint64_t last_ns_ = 0;
	uint64_t last_rx_ns_ = 0;
	uint64_t last_seq_ = 0;
	bool any_ = false;
};

} // namespace sriov::traffic
