// SPDX-License-Identifier: GPL-2.0
// Build and parse Ethernet / IPv4 / UDP frames in a byte buffer, for a
// sender or receiver that has no kernel stack under it (DPDK).  Pure logic,
// no I/O, unit-tested in test_udpframe.cpp.
#pragma once

#include <arpa/inet.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <span>
#include <string>

namespace sriov::traffic {

using Mac = std::array<uint8_t, 6>;

inline constexpr size_t kEthHdr = 14;
inline constexpr size_t kVlanHdr = 4;
inline constexpr size_t kIp4Hdr = 20;
inline constexpr size_t kUdpHdr = 8;
inline constexpr size_t kUdpFrameHdrs = kEthHdr + kIp4Hdr + kUdpHdr;
inline constexpr size_t kMaxUdpPayload = 1500 - kIp4Hdr - kUdpHdr; // 1472
inline constexpr uint16_t kEtherIpv4 = 0x0800;
inline constexpr uint16_t kEtherVlan = 0x8100;
inline constexpr uint8_t kIpProtoUdp = 17;

struct UdpFlow {
	Mac src_mac{};
	Mac dst_mac{};
	uint32_t src_ip = 0; // host byte order
	uint32_t dst_ip = 0;
	uint16_t src_port = 0;
	uint16_t dst_port = 0;
};

// "aa:bb:cc:dd:ee:ff" -> Mac
inline std::optional<Mac> parse_mac(const std::string &s)
{
	Mac m{};
	unsigned int b[6];
	char tail = 0;
	if (std::sscanf(s.c_str(), "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
			&b[4], &b[5], &tail) != 6)
		return std::nullopt;
	for (size_t i = 0; i < 6; ++i)
		m[i] = static_cast<uint8_t>(b[i]);
	return m;
}

// dotted quad -> host byte order
inline std::optional<uint32_t> parse_ipv4(const std::string &s)
{
	in_addr a{};
	if (inet_pton(AF_INET, s.c_str(), &a) != 1)
		return std::nullopt;
	return ntohl(a.s_addr);
}

inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = static_cast<uint8_t>(v >> 8);
	p[1] = static_cast<uint8_t>(v);
}

inline void put32(uint8_t *p, uint32_t v)
{
	put16(p, static_cast<uint16_t>(v >> 16));
	put16(p + 2, static_cast<uint16_t>(v));
}

inline uint16_t get16(const uint8_t *p)
{
	return static_cast<uint16_t>(p[0] << 8 | p[1]);
}

// RFC 1071 checksum of an IPv4 header (checksum field included as stored).
inline uint16_t ip4_checksum(std::span<const uint8_t> hdr)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < hdr.size(); i += 2)
		sum += get16(&hdr[i]);
	if (hdr.size() % 2)
		sum += static_cast<uint32_t>(hdr.back()) << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return static_cast<uint16_t>(~sum);
}

// Write the Ethernet, IPv4 and UDP headers of a frame carrying `payload_len`
// bytes of UDP payload into `out`; the payload itself goes at
// out[kUdpFrameHdrs...].  The UDP checksum is 0 (none, legal for IPv4).
// Returns the frame length without FCS, or 0 if `out` is too small or the
// payload too large.
inline size_t build_udp_headers(std::span<uint8_t> out, const UdpFlow &f, size_t payload_len,
				uint16_t ip_id)
{
	if (payload_len > kMaxUdpPayload || out.size() < kUdpFrameHdrs + payload_len)
		return 0;
	uint8_t *p = out.data();
	std::memcpy(p, f.dst_mac.data(), 6);
	std::memcpy(p + 6, f.src_mac.data(), 6);
	put16(p + 12, kEtherIpv4);

	uint8_t *ip = p + kEthHdr;
	ip[0] = 0x45; // version 4, 5 words
	ip[1] = 0;
	put16(ip + 2, static_cast<uint16_t>(kIp4Hdr + kUdpHdr + payload_len));
	put16(ip + 4, ip_id);
	put16(ip + 6, 0x4000); // DF
	ip[8] = 64;
	ip[9] = kIpProtoUdp;
	put16(ip + 10, 0);
	put32(ip + 12, f.src_ip);
	put32(ip + 16, f.dst_ip);
	put16(ip + 10, ip4_checksum({ip, kIp4Hdr}));

	uint8_t *udp = ip + kIp4Hdr;
	put16(udp, f.src_port);
	put16(udp + 2, f.dst_port);
	put16(udp + 4, static_cast<uint16_t>(kUdpHdr + payload_len));
	put16(udp + 6, 0);
	return kUdpFrameHdrs + payload_len;
}

// The UDP payload of `frame` if it is an IPv4/UDP frame (untagged or with one
// 802.1Q tag), not a fragment, with a valid header checksum, consistent
// lengths and, when `dst_port` is non-zero, that destination port.
inline std::optional<std::span<const uint8_t>> udp_payload(std::span<const uint8_t> frame,
							   uint16_t dst_port)
{
	size_t off = kEthHdr;
	if (frame.size() < kEthHdr)
		return std::nullopt;
	uint16_t type = get16(&frame[12]);
	if (type == kEtherVlan) {
		if (frame.size() < kEthHdr + kVlanHdr)
			return std::nullopt;
		type = get16(&frame[16]);
		off += kVlanHdr;
	}
	if (type != kEtherIpv4 || frame.size() < off + kIp4Hdr)
		return std::nullopt;
	const uint8_t *ip = &frame[off];
	const size_t ihl = static_cast<size_t>(ip[0] & 0xf) * 4;
	if ((ip[0] >> 4) != 4 || ihl < kIp4Hdr || frame.size() < off + ihl + kUdpHdr)
		return std::nullopt;
	if (ip[9] != kIpProtoUdp || (get16(ip + 6) & 0x3fff) != 0) // fragments
		return std::nullopt;
	if (ip4_checksum({ip, ihl}) != 0)
		return std::nullopt;
	const size_t ip_len = get16(ip + 2);
	if (ip_len < ihl + kUdpHdr || frame.size() < off + ip_len)
		return std::nullopt; // truncated (trailing Ethernet padding is fine)
	const uint8_t *udp = ip + ihl;
	const size_t udp_len = get16(udp + 4);
	if (udp_len < kUdpHdr || udp_len > ip_len - ihl)
		return std::nullopt;
	if (dst_port && get16(udp + 2) != dst_port)
		return std::nullopt;
	return std::span<const uint8_t>(udp + kUdpHdr, udp_len - kUdpHdr);
}

} // namespace sriov::traffic
