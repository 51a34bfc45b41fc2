// SPDX-License-Identifier: GPL-2.0
// The payload of one sequenced-UDP datagram, shared by sriov-sequdp (kernel
// sockets) and sriov-dpdk-sequdp (DPDK), so either sender works with either
// receiver.  Host byte order (both ends are little-endian x86 in the lab).
#pragma once

#include <cstdint>

namespace sriov::traffic {

inline constexpr uint32_t kSeqMagic = 0x53515544; // "SQUD"

struct SeqWire {
	uint32_t magic;
	uint32_t reserved;
	uint64_t seq;
	uint64_t total;	  // how many datagrams the sender will send
	uint64_t send_ns; // sender's CLOCK_MONOTONIC at send time
} __attribute__((packed));

static_assert(sizeof(SeqWire) == 32);

// Receivers ignore sequence numbers at or above this (a stray datagram must
// not make the receiver allocate a huge bitmap).
inline constexpr uint64_t kSeqLimit = 1ULL << 32;

} // namespace sriov::traffic
