// SPDX-License-Identifier: GPL-2.0
#include "netlink/sriov_codec.hpp"

#include <cstring>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sriov.h>

namespace sriov::netlink {

namespace {

constexpr std::size_t align4(std::size_t n)
{
	return (n + 3U) & ~std::size_t{3};
}

template <class T> std::optional<T> scalar(std::span<const std::uint8_t> d)
{
	if (d.size() != sizeof(T))
		return std::nullopt;
	T v{};
	std::memcpy(&v, d.data(), sizeof(T));
	return v;
}

template <class T> T read_at(std::span<const std::uint8_t> b, std::size_t off)
{
	T v{};
	std::memcpy(&v, b.data() + off, sizeof(T));
	return v;
}

MsgBuilder base(const Req &r, std::uint8_t cmd, std::uint16_t flags, const std::string &pf)
{
	MsgBuilder m(r.family, cmd, static_cast<std::uint16_t>(NLM_F_REQUEST | NLM_F_ACK | flags), r.seq);
	if (!pf.empty())
		m.str(SRIOV_A_PCI_ADDR, pf);
	return m;
}

std::optional<MacAddr> mac_of(const Attr *a)
{
	if (a == nullptr || a->data.size() != 6)
		return std::nullopt;
	std::array<std::uint8_t, 6> b{};
	std::memcpy(b.data(), a->data.data(), b.size());
	return MacAddr(b);
}

template <class T> std::optional<T> get(const std::vector<Attr> &attrs, std::uint16_t type);
template <> std::optional<std::uint32_t> get(const std::vector<Attr> &attrs, std::uint16_t type)
{
	const Attr *a = find(attrs, type);
	return a != nullptr ? a->u32() : std::nullopt;
}
template <> std::optional<std::uint64_t> get(const std::vector<Attr> &attrs, std::uint16_t type)
{
	const Attr *a = find(attrs, type);
	return a != nullptr ? a->u64() : std::nullopt;
}
template <> std::optional<std::uint16_t> get(const std::vector<Attr> &attrs, std::uint16_t type)
{
	const Attr *a = find(attrs, type);
	return a != nullptr ? a->u16() : std::nullopt;
}
template <> std::optional<std::string> get(const std::vector<Attr> &attrs, std::uint16_t type)
{
	const Attr *a = find(attrs, type);
	return a != nullptr ? a->str() : std::nullopt;
}

} // namespace

std::optional<std::uint8_t> Attr::u8() const
{
	return scalar<std::uint8_t>(data);
}
std::optional<std::uint16_t> Attr::u16() const
{
	return scalar<std::uint16_t>(data);
}
std::optional<std::uint32_t> Attr::u32() const
{
	return scalar<std::uint32_t>(data);
}
std::optional<std::uint64_t> Attr::u64() const
{
	return scalar<std::uint64_t>(data);
}
std::optional<std::string> Attr::str() const
{
	// NUL-terminated string attribute
	if (data.empty() || data.back() != 0)
		return std::nullopt;
	return std::string(reinterpret_cast<const char *>(data.data()), data.size() - 1); // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
}

std::optional<std::vector<Attr>> parse_attrs(std::span<const std::uint8_t> buf)
{
	std::vector<Attr> out;
	std::size_t off = 0;
	while (off + NLA_HDRLEN <= buf.size()) {
		const auto len = read_at<std::uint16_t>(buf, off);
		const auto type = read_at<std::uint16_t>(buf, off + 2);
		if (len < NLA_HDRLEN || off + len > buf.size())
			return std::nullopt;
		out.push_back({.type = static_cast<std::uint16_t>(type & NLA_TYPE_MASK),
			       .data = buf.subspan(off + NLA_HDRLEN, len - NLA_HDRLEN)});
		off += align4(len);
	}
	if (off < buf.size() && buf.size() - off >= NLA_HDRLEN)
		return std::nullopt;
	return out;
}

const Attr *find(const std::vector<Attr> &attrs, std::uint16_t type)
{
	for (const auto &a : attrs)
		if (a.type == type)
			return &a;
	return nullptr;
}

MsgBuilder::MsgBuilder(std::uint16_t family, std::uint8_t cmd, std::uint16_t flags, std::uint32_t seq,
		       std::uint8_t version)
{
	nlmsghdr h{};
	h.nlmsg_type = family;
	h.nlmsg_flags = flags;
	h.nlmsg_seq = seq;
	genlmsghdr g{};
	g.cmd = cmd;
	g.version = version;
	buf_.resize(NLMSG_HDRLEN + GENL_HDRLEN);
	std::memcpy(buf_.data(), &h, sizeof(h));
	std::memcpy(buf_.data() + NLMSG_HDRLEN, &g, sizeof(g));
}

void MsgBuilder::put(std::uint16_t type, const void *data, std::size_t len)
{
	const std::size_t off = buf_.size();
	const auto nla_len = static_cast<std::uint16_t>(NLA_HDRLEN + len);
	buf_.resize(off + align4(nla_len), 0);
	std::memcpy(buf_.data() + off, &nla_len, 2);
	std::memcpy(buf_.data() + off + 2, &type, 2);
	if (len != 0)
		std::memcpy(buf_.data() + off + NLA_HDRLEN, data, len);
}

MsgBuilder &MsgBuilder::u8(std::uint16_t type, std::uint8_t v)
{
	put(type, &v, sizeof(v));
	return *this;
}
MsgBuilder &MsgBuilder::u16(std::uint16_t type, std::uint16_t v)
{
	put(type, &v, sizeof(v));
	return *this;
}
MsgBuilder &MsgBuilder::u32(std::uint16_t type, std::uint32_t v)
{
	put(type, &v, sizeof(v));
	return *this;
}
MsgBuilder &MsgBuilder::u64(std::uint16_t type, std::uint64_t v)
{
	put(type, &v, sizeof(v));
	return *this;
}
MsgBuilder &MsgBuilder::str(std::uint16_t type, const std::string &s)
{
	put(type, s.c_str(), s.size() + 1);
	return *this;
}
MsgBuilder &MsgBuilder::bin(std::uint16_t type, std::span<const std::uint8_t> b)
{
	put(type, b.data(), b.size());
	return *this;
}
MsgBuilder &MsgBuilder::flag(std::uint16_t type)
{
	put(type, nullptr, 0);
	return *this;
}

std::vector<std::uint8_t> MsgBuilder::finish() const
{
	std::vector<std::uint8_t> out = buf_;
	const auto len = static_cast<std::uint32_t>(out.size());
	std::memcpy(out.data(), &len, sizeof(len));
	return out;
}

std::optional<std::vector<Message>> parse_messages(std::span<const std::uint8_t> buf)
{
	std::vector<Message> out;
	std::size_t off = 0;
	while (off + NLMSG_HDRLEN <= buf.size()) {
		const auto h = read_at<nlmsghdr>(buf, off);
		if (h.nlmsg_len < NLMSG_HDRLEN || off + h.nlmsg_len > buf.size())
			return std::nullopt;
		const auto body = buf.subspan(off + NLMSG_HDRLEN, h.nlmsg_len - NLMSG_HDRLEN);
		Message m;
		m.nl_type = h.nlmsg_type;
		m.seq = h.nlmsg_seq;
		if (h.nlmsg_type == NLMSG_DONE) {
			m.kind = Message::Kind::done;
		} else if (h.nlmsg_type == NLMSG_ERROR) {
			if (body.size() < sizeof(nlmsgerr))
				return std::nullopt;
			const auto e = read_at<nlmsgerr>(body, 0);
			m.error = -e.error;
			m.kind = e.error == 0 ? Message::Kind::ack : Message::Kind::error;
			// extended ACK: TLVs after the (possibly capped) original message
			std::size_t tlv = sizeof(nlmsgerr);
			if ((h.nlmsg_flags & NLM_F_CAPPED) == 0)
				tlv += align4(e.msg.nlmsg_len) - NLMSG_HDRLEN;
			if ((h.nlmsg_flags & NLM_F_ACK_TLVS) != 0 && tlv <= body.size()) {
				if (auto attrs = parse_attrs(body.subspan(tlv))) {
					if (const Attr *msg = find(*attrs, NLMSGERR_ATTR_MSG))
						m.extack = msg->str().value_or("");
				}
			}
		} else if (h.nlmsg_type >= NLMSG_MIN_TYPE) {
			if (body.size() < GENL_HDRLEN)
				return std::nullopt;
			const auto g = read_at<genlmsghdr>(body, 0);
			m.cmd = g.cmd;
			m.storage.assign(body.begin() + GENL_HDRLEN, body.end());
			auto attrs = parse_attrs(m.storage);
			if (!attrs)
				return std::nullopt;
			m.attrs = std::move(*attrs);
			m.kind = Message::Kind::data;
		}
		out.push_back(std::move(m));
		off += align4(h.nlmsg_len);
	}
	return out;
}

std::optional<SwitchNl> decode_switch(const Message &m)
{
	SwitchNl s;
	auto pci = get<std::string>(m.attrs, SRIOV_A_PCI_ADDR);
	auto ifi = get<std::uint32_t>(m.attrs, SRIOV_A_IFINDEX);
	if (!pci || !ifi)
		return std::nullopt;
	s.pci_addr = *pci;
	s.ifindex = *ifi;
	s.num_vfs = get<std::uint32_t>(m.attrs, SRIOV_A_NUM_VFS).value_or(0);
	s.total_vfs = get<std::uint32_t>(m.attrs, SRIOV_A_TOTAL_VFS).value_or(0);
	s.default_mac_filters = get<std::uint32_t>(m.attrs, SRIOV_A_DEFAULT_MAC_FILTERS);
	s.default_mac_filters_max = get<std::uint32_t>(m.attrs, SRIOV_A_DEFAULT_MAC_FILTERS_MAX);
	s.mac_filters_free = get<std::uint32_t>(m.attrs, SRIOV_A_MAC_FILTERS_FREE);
	s.mac_filters_max = get<std::uint32_t>(m.attrs, SRIOV_A_MAC_FILTERS_MAX);
	return s;
}

std::optional<VfNl> decode_vf(const Message &m)
{
	auto id = get<std::uint32_t>(m.attrs, SRIOV_A_VF_ID);
	if (!id)
		return std::nullopt;
	VfNl v;
	v.vf = VfIndex{*id};
	v.allocated = get<std::uint32_t>(m.attrs, SRIOV_A_VF_STATE).value_or(SRIOV_VF_STATE_FREE) ==
		      SRIOV_VF_STATE_ALLOCATED;
	v.serial = get<std::uint64_t>(m.attrs, SRIOV_A_SERIAL).value_or(0);
	v.mac = mac_of(find(m.attrs, SRIOV_A_MAC)).value_or(MacAddr{});
	v.vf_pci_addr = get<std::string>(m.attrs, SRIOV_A_VF_PCI_ADDR).value_or("");
	if (auto vp = get<std::uint32_t>(m.attrs, SRIOV_A_VPORT_ID))
		v.vport = VportId{*vp};
	return v;
}

std::optional<VportNl> decode_vport(const Message &m)
{
	auto id = get<std::uint32_t>(m.attrs, SRIOV_A_VPORT_ID);
	if (!id)
		return std::nullopt;
	VportNl v;
	v.id = VportId{*id};
	v.is_default = find(m.attrs, SRIOV_A_IS_DEFAULT) != nullptr;
	const auto owner = get<std::uint32_t>(m.attrs, SRIOV_A_VPORT_OWNER).value_or(SRIOV_VPORT_OWNER_PF);
	if (owner == SRIOV_VPORT_OWNER_VF) {
		auto vf = get<std::uint32_t>(m.attrs, SRIOV_A_VF_ID);
		if (!vf)
			return std::nullopt;
		v.vf = VfIndex{*vf};
	}
	return v;
}

std::optional<FilterNl> decode_filter(const Message &m)
{
	auto id = get<std::uint32_t>(m.attrs, SRIOV_A_FILTER_ID);
	auto vport = get<std::uint32_t>(m.attrs, SRIOV_A_VPORT_ID);
	auto type = get<std::uint32_t>(m.attrs, SRIOV_A_FILTER_TYPE);
	if (!id || !vport || !type)
		return std::nullopt;
	FilterNl f;
	f.id = *id;
	f.vport = VportId{*vport};
	f.is_mac = *type == SRIOV_FILTER_TYPE_MAC;
	f.origin = get<std::uint32_t>(m.attrs, SRIOV_A_FILTER_ORIGIN).value_or(SRIOV_FILTER_ORIGIN_ADMIN);
	if (f.is_mac) {
		auto mac = mac_of(find(m.attrs, SRIOV_A_MAC));
		if (!mac)
			return std::nullopt;
		f.mac = *mac;
	}
	f.vlan = VlanId{get<std::uint16_t>(m.attrs, SRIOV_A_VLAN).value_or(0)};
	return f;
}

std::optional<std::vector<std::uint8_t>> decode_cfg_data(const Message &m)
{
	const Attr *a = find(m.attrs, SRIOV_A_CFG_DATA);
	if (a == nullptr)
		return std::nullopt;
	return std::vector<std::uint8_t>(a->data.begin(), a->data.end());
}

std::optional<KernelEvent> decode_event(const Message &m, const std::string &pf)
{
	KernelEvent ev;
	ev.pf = pf;
	if (auto vf = get<std::uint32_t>(m.attrs, SRIOV_A_VF_ID))
		ev.vf = VfIndex{*vf};
	switch (m.cmd) {
	case SRIOV_CMD_VF_FREED_NTF:
		// a VF freed behind our back (SR-IOV disabled, PF reset) is lost to its holder
		ev.type = KernelEvent::Type::vf_lost;
		ev.detail = "vf-freed";
		break;
	case SRIOV_CMD_SWITCH_CHANGE_NTF:
		ev.type = KernelEvent::Type::link_change;
		ev.detail = "switch-change num-vfs=" + std::to_string(get<std::uint32_t>(m.attrs, SRIOV_A_NUM_VFS).value_or(0));
		break;
	case SRIOV_CMD_VF_RESET_REQUEST_NTF:
		ev.type = KernelEvent::Type::vf_reset_request;
		ev.detail = "mailbox VF_RESET";
		break;
	case SRIOV_CMD_VF_FLR_NTF:
		ev.type = KernelEvent::Type::vf_reset_request;
		ev.detail = "VFLR";
		break;
	case SRIOV_CMD_LINK_CHANGE_NTF:
		ev.type = KernelEvent::Type::link_change;
		ev.detail = find(m.attrs, SRIOV_A_LINK_UP) != nullptr && find(m.attrs, SRIOV_A_LINK_UP)->u8() == 1
				    ? "link up"
				    : "link down";
		break;
	case SRIOV_CMD_FILTER_MOVED_NTF: {
		// Without a reset reason it is a filter-move request echoed back
		// (sriovd's own, or an administrator's): nothing to act on.  With
		// one, sriov_pf failed a VF over to the default VPort by itself.
		// Missing VPort ids are passed on as such: the engine logs and
		// ignores a malformed event.
		const Attr *reason = find(m.attrs, SRIOV_A_RESET_REASON);
		if (reason == nullptr)
			return std::nullopt;
		ev.type = KernelEvent::Type::filters_moved;
		ev.reset_reason = reason->u32();
		if (auto v = get<std::uint32_t>(m.attrs, SRIOV_A_SRC_VPORT_ID))
			ev.src_vport = VportId{*v};
		if (auto v = get<std::uint32_t>(m.attrs, SRIOV_A_VPORT_ID))
			ev.dst_vport = VportId{*v};
		for (const auto &a : m.attrs)
			if (a.type == SRIOV_A_FILTER_IDS)
				if (auto id = a.u32())
					ev.filter_ids.push_back(*id);
		ev.detail = "filter-moved reason=" + (ev.reset_reason ? std::to_string(*ev.reset_reason) : std::string("?"));
		break;
	}
	default:
		return std::nullopt; // our own changes echoed back: nothing to act on
	}
	return ev;
}

std::vector<std::uint8_t> switch_dump(const Req &r)
{
	return base(r, SRIOV_CMD_SWITCH_GET, NLM_F_DUMP, "").finish();
}
std::vector<std::uint8_t> vf_dump(const Req &r, const std::string &pf)
{
	return base(r, SRIOV_CMD_VF_GET, NLM_F_DUMP, pf).finish();
}
std::vector<std::uint8_t> vf_alloc(const Req &r, const std::string &pf, VfIndex vf, std::uint64_t serial,
				   const std::optional<MacAddr> &mac)
{
	auto m = base(r, SRIOV_CMD_VF_ALLOC, 0, pf);
	m.u32(SRIOV_A_VF_ID, vf.value).u64(SRIOV_A_SERIAL, serial);
	if (mac)
		m.bin(SRIOV_A_MAC, mac->bytes());
	return m.finish();
}
std::vector<std::uint8_t> vf_free(const Req &r, const std::string &pf, VfIndex vf)
{
	return base(r, SRIOV_CMD_VF_FREE, 0, pf).u32(SRIOV_A_VF_ID, vf.value).finish();
}
std::vector<std::uint8_t> vf_reset(const Req &r, const std::string &pf, VfIndex vf)
{
	return base(r, SRIOV_CMD_VF_RESET, 0, pf).u32(SRIOV_A_VF_ID, vf.value).finish();
}
std::vector<std::uint8_t> vport_dump(const Req &r, const std::string &pf)
{
	return base(r, SRIOV_CMD_VPORT_GET, NLM_F_DUMP, pf).finish();
}
std::vector<std::uint8_t> vport_new(const Req &r, const std::string &pf, VfIndex vf)
{
	return base(r, SRIOV_CMD_VPORT_NEW, 0, pf).u32(SRIOV_A_VF_ID, vf.value).finish();
}
std::vector<std::uint8_t> vport_del(const Req &r, const std::string &pf, VportId id)
{
	return base(r, SRIOV_CMD_VPORT_DEL, 0, pf).u32(SRIOV_A_VPORT_ID, id.value).finish();
}
std::vector<std::uint8_t> filter_dump(const Req &r, const std::string &pf)
{
	return base(r, SRIOV_CMD_FILTER_GET, NLM_F_DUMP, pf).finish();
}
std::vector<std::uint8_t> filter_add_mac(const Req &r, const std::string &pf, VportId vport, const MacAddr &mac)
{
	return base(r, SRIOV_CMD_FILTER_ADD, 0, pf).u32(SRIOV_A_VPORT_ID, vport.value).bin(SRIOV_A_MAC, mac.bytes()).finish();
}
std::vector<std::uint8_t> filter_add_vlan(const Req &r, const std::string &pf, VportId vport, VlanId vlan)
{
	return base(r, SRIOV_CMD_FILTER_ADD, 0, pf).u32(SRIOV_A_VPORT_ID, vport.value).u16(SRIOV_A_VLAN, vlan.value).finish();
}
std::vector<std::uint8_t> filter_del(const Req &r, const std::string &pf, std::uint32_t filter_id)
{
	return base(r, SRIOV_CMD_FILTER_DEL, 0, pf).u32(SRIOV_A_FILTER_ID, filter_id).finish();
}
std::vector<std::uint8_t> filter_move(const Req &r, const std::string &pf, VportId from, VportId to,
				      const std::vector<std::uint32_t> &ids)
{
	auto m = base(r, SRIOV_CMD_FILTER_MOVE, 0, pf);
	m.u32(SRIOV_A_SRC_VPORT_ID, from.value).u32(SRIOV_A_VPORT_ID, to.value);
	for (auto id : ids)
		m.u32(SRIOV_A_FILTER_IDS, id);
	return m.finish();
}
std::vector<std::uint8_t> cfg_read(const Req &r, const std::string &pf, VfIndex vf, std::uint32_t off,
				   std::uint32_t len)
{
	return base(r, SRIOV_CMD_CFG_READ, 0, pf)
		.u32(SRIOV_A_VF_ID, vf.value)
		.u32(SRIOV_A_CFG_OFFSET, off)
		.u32(SRIOV_A_CFG_LEN, len)
		.finish();
}

} // namespace sriov::netlink
