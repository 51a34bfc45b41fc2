// SPDX-License-Identifier: GPL-2.0
// The framing of the journal's append-only records: one line each,
//
//   <payload length, decimal> SP <CRC-32 of the payload, 8 hex digits> SP <payload> LF
//
// The payload is one line of JSON (control characters are escaped, so it
// holds no LF).  A crash in the middle of an append leaves a record whose
// length or checksum does not hold, or no LF, at the end of the file: a
// torn record, which recovery ignores.  A bad record followed by a good
// one is damage, not a torn append, and stops the daemon.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sriov::store {

/// CRC-32 (IEEE 802.3, the one zlib and Python's zlib.crc32 compute).
std::uint32_t crc32(std::string_view data);

/// @payload (one line, no LF) framed as a record.
std::string frame_record(std::string_view payload);

struct ScannedLog {
	std::vector<std::string_view> payloads; ///< the good records, in order
	std::size_t good_bytes{}; ///< where the first bad record starts (= size when none)
	bool torn{};              ///< a torn record was found at the end and left out
};

/// The records of @log.  A bad record after which no good one follows is
/// torn (left out, @torn set); one a good record follows throws
/// std::runtime_error (the log is damaged).
ScannedLog scan_records(std::string_view log);

} // namespace sriov::store
