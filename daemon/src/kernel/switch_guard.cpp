// SPDX-License-Identifier: GPL-2.0
#include "kernel/switch_guard.hpp"

#include <arpa/inet.h>
#include <array>
#include <cstdio>

namespace sriov::guard {

namespace {

/// The MAC as one 48-bit integer (for raw payload matches).
std::string mac_hex(const MacAddr &m)
{
	std::string s = "0x";
	std::array<char, 3> b{};
	for (auto byte : m.bytes()) {
		(void)std::snprintf(b.data(), b.size(), "%02x", byte);
		s += b.data();
	}
	return s;
}

/// An IPv6 address as one 128-bit integer.
std::string ip6_hex(const std::string &canonical)
{
	std::array<unsigned char, 16> bin{};
	if (inet_pton(AF_INET6, canonical.c_str(), bin.data()) != 1)
		return {};
	std::string s = "0x";
	std::array<char, 3> b{};
	for (auto byte : bin) {
		(void)std::snprintf(b.data(), b.size(), "%02x", byte);
		s += b.data();
	}
	return s;
}

std::string set_of(const std::vector<std::string> &items)
{
	std::string s = "{ ";
	for (std::size_t i = 0; i < items.size(); ++i)
		s += (i != 0 ? ", " : "") + items[i];
	return s + " }";
}

} // namespace

std::string chain_name(const std::string &ifname)
{
	std::string c = "p_";
	for (char ch : ifname) {
		const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
		c += ok ? ch : '_';
	}
	return c;
}

std::vector<std::string> port_rules(const PortGuard &g)
{
	// ARP: untagged, and tagged (the bridge sees the tag as metadata, nft
	// puts it back for link-layer matches; the ARP header is the network
	// header either way).  The sender hardware address is the partition's
	// MAC; with addresses given, the sender protocol address is one of
	// them or 0.0.0.0 (a probe).
	const std::string mac = g.mac.str();
	std::vector<std::string> v4{"0.0.0.0"};
	std::vector<std::string> v6;
	for (const auto &ip : g.ips)
		(is_ipv6(ip) ? v6 : v4).push_back(is_ipv6(ip) ? ip6_hex(ip) : ip);
	std::vector<std::string> r;
	for (const char *l2 : {"ether type arp", "ether type vlan vlan type arp"}) {
		r.push_back(std::string(l2) + " arp saddr ether != " + mac + " drop");
		if (!g.ips.empty())
			r.push_back(std::string(l2) + " arp saddr ip != " + set_of(v4) + " drop");
	}
	// IPv6 neighbour discovery.  A partition is no router.
	r.emplace_back("icmpv6 type { nd-router-advert, nd-redirect } drop");
	// NS and NA carry at most one option (SLLAO, TLLAO or the DAD nonce:
	// 24 + 8 bytes); a link-layer option is 8 bytes and names the MAC.
	// @th is the ICMPv6 header: the option starts at bit 192.
	const std::string ns_na = "icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert }";
	r.push_back(ns_na + " ip6 nexthdr != ipv6-icmp drop");
	r.push_back(ns_na + " ip6 length > 32 drop");
	r.push_back(ns_na + " @th,192,8 { 1, 2 } @th,200,8 != 1 drop");
	r.push_back(ns_na + " @th,192,8 { 1, 2 } @th,208,48 != " + mac_hex(g.mac) + " drop");
	// With addresses given, an NA's target (bit 64, 128 bits) is one of
	// them or link-local (fe80::/10, derived by the partition itself).
	if (!g.ips.empty()) {
		std::string na = "icmpv6 type nd-neighbor-advert @th,64,16 & 0xffc0 != 0xfe80";
		if (!v6.empty())
			na += " @th,64,128 != " + set_of(v6);
		r.push_back(na + " drop");
	}
	return r;
}

namespace {

std::string in_table(const char *what)
{
	return std::string(what) + " bridge " + table + " ";
}

/// The commands that fill @p's chain (which exists, empty) and map it.
std::string port_body(const Port &p)
{
	const std::string chain = chain_name(p.ifname);
	std::string s;
	for (const auto &rule : port_rules(p.guard))
		s.append(in_table("add rule")).append(chain).append(" ").append(rule).append("\n");
	s += in_table("add element") + port_map + " { \"" + p.ifname + "\" : jump " + chain + " }\n";
	return s;
}

} // namespace

std::string script(const std::vector<Port> &ports)
{
	std::string s = std::string("table bridge ") + table + "\ndelete table bridge " + table + "\n";
	s += std::string("add table bridge ") + table + "\n";
	s += in_table("add map") + port_map + " { type ifname : verdict; }\n";
	for (const auto &p : ports) {
		s += in_table("add chain") + chain_name(p.ifname) + "\n";
		s += port_body(p);
	}
	s += in_table("add chain") + base_chain + " { type filter hook prerouting priority filter; policy accept; }\n";
	s += in_table("add rule") + base_chain + " iifname vmap @" + port_map + "\n";
	return s;
}

std::string port_add_script(const Port &p)
{
	const std::string chain = chain_name(p.ifname);
	// "add chain" of a chain that exists changes nothing; the flush
	// drops the rules it had
	return in_table("add chain") + chain + "\n" + in_table("flush chain") + chain + "\n" + port_body(p);
}

std::string port_del_script(const std::string &ifname)
{
	const std::string chain = chain_name(ifname);
	return in_table("delete element") + port_map + " { \"" + ifname + "\" }\n" + in_table("flush chain") + chain +
	       "\n" + in_table("delete chain") + chain + "\n";
}

std::map<std::string, std::string> listing_blocks(const std::string &listing)
{
	std::map<std::string, std::string> out;
	std::string name;
	std::string block;
	std::size_t at = 0;
	while (at < listing.size()) {
		auto lf = listing.find('\n', at);
		if (lf == std::string::npos)
			lf = listing.size();
		const std::string line = listing.substr(at, lf - at);
		at = lf + 1;
		if (name.empty()) {
			// "\tchain NAME {" or "\tmap NAME {", one tab in
			for (const char *kind : {"chain ", "map "}) {
				const std::string open = std::string("\t") + kind;
				if (line.rfind(open, 0) == 0 && line.size() > open.size() + 2 &&
				    line.substr(line.size() - 2) == " {") {
					name = std::string(kind) + line.substr(open.size(), line.size() - open.size() - 2);
					block = line + "\n";
				}
			}
			continue;
		}
		block += line + "\n";
		if (line == "\t}") {
			out[name] = block;
			name.clear();
		}
	}
	return out;
}

std::map<std::string, std::string> map_elements(const std::string &map_block)
{
	std::map<std::string, std::string> out;
	const std::string jump = " : jump ";
	std::size_t at = 0;
	for (;;) {
		const auto q0 = map_block.find('"', at);
		if (q0 == std::string::npos)
			break;
		const auto q1 = map_block.find('"', q0 + 1);
		if (q1 == std::string::npos)
			break;
		at = q1 + 1;
		if (map_block.compare(at, jump.size(), jump) != 0)
			continue;
		const auto c0 = at + jump.size();
		auto c1 = map_block.find_first_of(", }\n", c0);
		if (c1 == std::string::npos)
			c1 = map_block.size();
		out[map_block.substr(q0 + 1, q1 - q0 - 1)] = map_block.substr(c0, c1 - c0);
		at = c1;
	}
	return out;
}

} // namespace sriov::guard
