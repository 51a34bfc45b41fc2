// SPDX-License-Identifier: GPL-2.0
// A latency histogram with fixed bucket bounds, counted the way the
// Prometheus text format exposes one: cumulative buckets, a sum and a
// count.  Plain data; the engine owns it and renders it (seq/views.cpp).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string_view>

namespace sriov {

class Histogram {
public:
	/// upper bounds in seconds: 1 ms (a fake step) to 60 s (the longest
	/// bounded wait a sequence can take)
	static constexpr std::array<double, 14> bounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
						       0.25,  0.5,    1.0,   2.5,  5.0,   15.0, 60.0};

	void observe(double seconds)
	{
		for (std::size_t i = 0; i < bounds.size(); ++i)
			if (seconds <= bounds.at(i))
				++buckets_.at(i);
		++count_;
		sum_ += seconds;
	}
	[[nodiscard]] std::uint64_t count() const { return count_; }
	[[nodiscard]] double sum() const { return sum_; }

	/// The _bucket, _sum and _count lines of @name with @labels (without
	/// braces, e.g. kind="attach") before the "le" label.
	void render(std::ostream &o, std::string_view name, std::string_view labels) const
	{
		const std::string_view sep = labels.empty() ? "" : ",";
		for (std::size_t i = 0; i < bounds.size(); ++i)
			o << name << "_bucket{" << labels << sep << "le=\"" << bounds.at(i) << "\"} " << buckets_.at(i)
			  << "\n";
		o << name << "_bucket{" << labels << sep << "le=\"+Inf\"} " << count_ << "\n";
		const std::string_view open = labels.empty() ? "" : "{";
		const std::string_view close = labels.empty() ? "" : "}";
		o << name << "_sum" << open << labels << close << " " << sum_ << "\n"
		  << name << "_count" << open << labels << close << " " << count_ << "\n";
	}

private:
	std::array<std::uint64_t, bounds.size()> buckets_{}; ///< cumulative: observations <= bounds[i]
	std::uint64_t count_{};
	double sum_{};
};

} // namespace sriov
