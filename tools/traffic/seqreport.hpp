// SPDX-License-Identifier: GPL-2.0
// The receiver's JSON report, one schema for sriov-sequdp and
// sriov-dpdk-sequdp, so that tests can swap one generator for the other.
#pragma once

#include "seqstats.hpp"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace sriov::traffic {

// One JSON object and a newline.  `extra` is appended inside the object
// as-is: empty, or `, "key": value` pairs of the caller's own counters.
inline std::string recv_report_json(const SeqReport &r, uint64_t foreign, const std::string &extra = {})
{
	std::ostringstream o;
	o << R"({"mode": "recv", "expected": )" << r.expected << ", \"received\": " << r.received
	  << ", \"unique\": " << r.unique << ", \"lost\": " << r.lost
	  << ", \"duplicated\": " << r.duplicated << ", \"reordered\": " << r.reordered
	  << ", \"longest_gap_ms\": " << static_cast<double>(r.longest_gap_ns) / 1e6
	  << ", \"gap_start_ms\": " << static_cast<double>(r.gap_start_ns) / 1e6
	  << ", \"gap_after_seq\": " << r.gap_after_seq;
	if (r.have_rx_ts)
		o << ", \"longest_gap_rx_ms\": " << static_cast<double>(r.longest_rx_gap_ns) / 1e6
		  << ", \"rx_gap_after_seq\": " << r.rx_gap_after_seq;
	else
		o << ", \"longest_gap_rx_ms\": null";
	o << ", \"loss_runs\": [";
	for (size_t i = 0; i < r.loss_runs.size(); ++i)
		o << (i ? ", [" : "[") << r.loss_runs[i].first << ", " << r.loss_runs[i].second << "]";
	o << "], \"gaps\": [";
	for (size_t i = 0; i < r.gaps.size(); ++i)
		o << (i ? ", " : "") << R"({"start_ms": )" << static_cast<double>(r.gaps[i].start_ns) / 1e6
		  << R"(, "len_ms": )" << static_cast<double>(r.gaps[i].len_ns) / 1e6
		  << R"(, "after_seq": )" << r.gaps[i].after_seq << "}";
	o << "], \"foreign\": " << foreign << extra << "}\n";
	return o.str();
}

// The report to stdout, and to `path` as well unless it is empty.
inline void publish_report(const std::string &json, const std::string &path)
{
	if (!path.empty()) {
		std::ofstream f(path);
		f << json;
	}
	std::fputs(json.c_str(), stdout);
}

} // namespace sriov::traffic
