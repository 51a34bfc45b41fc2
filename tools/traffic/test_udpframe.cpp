// SPDX-License-Identifier: GPL-2.0
#include "seqwire.hpp"
#include "udpframe.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace st = sriov::traffic;

namespace {

st::UdpFlow flow()
{
	st::UdpFlow f;
	f.src_mac = *st::parse_mac("02:00:5e:00:00:01");
	f.dst_mac = *st::parse_mac("52:54:00:ee:00:01");
	f.src_ip = *st::parse_ipv4("198.18.0.20");
	f.dst_ip = *st::parse_ipv4("198.18.0.1");
	f.src_port = 9000;
	f.dst_port = 9001;
	return f;
}

} // namespace

TEST(UdpFrame, ParseMacAndIp)
{
	auto m = st::parse_mac("02:00:5E:d0:00:ff");
	ASSERT_TRUE(m);
	EXPECT_EQ((*m)[2], 0x5e);
	EXPECT_EQ((*m)[5], 0xff);
	EXPECT_FALSE(st::parse_mac("02:00:5e:d0:00"));
	EXPECT_FALSE(st::parse_mac("02:00:5e:d0:00:01:02"));
	EXPECT_FALSE(st::parse_mac("zz:00:5e:d0:00:01"));
	EXPECT_EQ(*st::parse_ipv4("198.18.0.1"), 0xc6120001u);
	EXPECT_FALSE(st::parse_ipv4("198.18.0"));
}

// The example header of RFC 1071 / well-known IPv4 header: checksum 0xb861.
TEST(UdpFrame, Ip4Checksum)
{
	const uint8_t h[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
			       0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
	EXPECT_EQ(st::ip4_checksum(h), 0xb861);
}

TEST(UdpFrame, BuildThenParseRoundTrip)
{
	std::vector<uint8_t> buf(st::kUdpFrameHdrs + 64, 0xaa);
	const size_t len = st::build_udp_headers(buf, flow(), 64, 7);
	ASSERT_EQ(len, 42u + 64u);
	EXPECT_EQ(buf[12], 0x08);
	EXPECT_EQ(buf[13], 0x00);
	EXPECT_EQ(buf[14 + 9], 17); // UDP
	EXPECT_EQ(st::ip4_checksum({buf.data() + 14, 20}), 0);
	const st::SeqWire w{st::kSeqMagic, 0, 1234, 5000, 42};
	std::memcpy(buf.data() + st::kUdpFrameHdrs, &w, sizeof(w));

	auto pl = st::udp_payload(buf, 9001);
	ASSERT_TRUE(pl);
	EXPECT_EQ(pl->size(), 64u);
	st::SeqWire r{};
	std::memcpy(&r, pl->data(), sizeof(r));
	EXPECT_EQ(r.magic, st::kSeqMagic);
	EXPECT_EQ(r.seq, 1234u);
	EXPECT_EQ(r.total, 5000u);

	EXPECT_FALSE(st::udp_payload(buf, 9000)); // other port
	EXPECT_TRUE(st::udp_payload(buf, 0));	   // any port
}

TEST(UdpFrame, ToleratesPaddingAndOneVlanTag)
{
	// 32-byte payload: 74 bytes, a switch may pad nothing; add 10 bytes of
	// trailer anyway, as a NIC padding short frames would.
	std::vector<uint8_t> buf(st::kUdpFrameHdrs + 32 + 10, 0);
	ASSERT_TRUE(st::build_udp_headers(buf, flow(), 32, 1));
	auto pl = st::udp_payload(buf, 9001);
	ASSERT_TRUE(pl);
	EXPECT_EQ(pl->size(), 32u);

	std::vector<uint8_t> tagged(buf.size() + 4);
	std::memcpy(tagged.data(), buf.data(), 12);
	tagged[12] = 0x81;
	tagged[13] = 0x00;
	tagged[14] = 0x00;
	tagged[15] = 0x0a; // VID 10
	std::memcpy(tagged.data() + 16, buf.data() + 12, buf.size() - 12);
	pl = st::udp_payload(tagged, 9001);
	ASSERT_TRUE(pl);
	EXPECT_EQ(pl->size(), 32u);
}

TEST(UdpFrame, RejectsMalformed)
{
	std::vector<uint8_t> buf(st::kUdpFrameHdrs + 32, 0);
	ASSERT_TRUE(st::build_udp_headers(buf, flow(), 32, 1));

	auto bad = buf;
	bad[14 + 8] ^= 1; // TTL changed: header checksum wrong
	EXPECT_FALSE(st::udp_payload(bad, 0));

	bad = buf;
	bad[12] = 0x86; // IPv6 ethertype
	bad[13] = 0xdd;
	EXPECT_FALSE(st::udp_payload(bad, 0));

	std::vector<uint8_t> cut(buf.begin(), buf.end() - 1); // truncated
	EXPECT_FALSE(st::udp_payload(cut, 0));

	bad = buf;
	bad[14 + 6] = 0x20; // more fragments
	bad[14 + 10] = bad[14 + 11] = 0;
	st::put16(&bad[14 + 10], st::ip4_checksum({bad.data() + 14, 20}));
	EXPECT_FALSE(st::udp_payload(bad, 0));

	EXPECT_FALSE(st::udp_payload(std::span<const uint8_t>(buf.data(), 10), 0));
	// too large a payload / too small a buffer
	std::vector<uint8_t> small(40);
	EXPECT_EQ(st::build_udp_headers(small, flow(), 32, 0), 0u);
	std::vector<uint8_t> big(2000);
	EXPECT_EQ(st::build_udp_headers(big, flow(), 1473, 0), 0u);
}
