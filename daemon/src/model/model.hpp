// SPDX-License-Identifier: GPL-2.0
// The daemon's model: PFs and their VF pools, child partitions with their
// adapters, VF assignments (VPort, filters, data path), reservations.
// Pure data plus JSON (de)serialisation; no I/O.
#pragma once

#include "common/error.hpp"
#include "model/types.hpp"

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace sriov::model {

enum class VfState : std::uint8_t { free, assigned, reserved, quarantined };
std::string_view to_string(VfState s);

struct VfSlot {
	VfState state{VfState::free};
	std::string partition; ///< holder when assigned/reserved
	Reason reason{Reason::ok}; ///< why quarantined
};

struct Pf {
	std::string name;
	std::string netdev;
	std::vector<VfSlot> vfs; ///< index = VfIndex
};

/// A VF in use by a partition, and how far it is plumbed in.
struct Assignment {
	std::string pf;
	VfIndex vf;
	std::uint64_t serial{};
	std::optional<VportId> vport;
	std::string netdev;
	bool in_child{};
	bool filters_on_vf{};
	/// sriov_pf moved the filters to the default VPort on its own (VF
	/// FLR, VF reset, VF_GOING_DOWN, PF reset: filter-moved-ntf); a
	/// failback sequence moves them back when the VF asks for the data path.
	bool kernel_failover{};
	Datapath datapath{Datapath::synthetic};
};

struct Reservation {
	std::string pf;
	VfIndex vf;
};

struct Partition {
	std::string name;
	std::string netns;
	std::string pf; ///< home PF: whose switch the synthetic port is on
	MacAddr mac;
	VlanId vlan;
	std::uint32_t weight{100}; ///< 0 = never gets a VF (Hyper-V IovWeight)
	/// Addresses the operator gave the partition (canonical_ip() text,
	/// IPv4 and IPv6): the only ones its ARP and neighbour advertisements
	/// may claim on the synthetic switch.  Empty: only the MAC is checked.
	std::vector<std::string> ips;
	/// The name of the adapter's child side in the namespace (IFNAMSIZ
	/// rules, default nv0): a CNI runtime asks for its CNI_IFNAME.
	std::string ifname{"nv0"};
	/// The container the partition serves, when a CNI plugin made it
	/// (CNI_CONTAINERID); "" otherwise.  Reported, never interpreted.
	std::string container_id;
	/// The partition's VF identity: its adapter carries it from creation,
	/// and every VF allocated for it gets it (vf_alloc), so the adapter pairs
	/// with no other VF.  The id of the sequence that created the partition
	/// (unique for the journal's lifetime); 0 only in journals that predate it.
	std::uint64_t serial{};
	bool adapter{};            ///< synthetic adapter created
	bool adapter_filter{};     ///< MAC/VLAN filter on the default VPort
	bool want_vf{};            ///< operator asked for a VF
	std::int64_t hold_until_mono{}; ///< no automatic attach before this
	std::uint32_t attach_failures{};
	std::optional<Assignment> vf;
	std::optional<Reservation> reservation; ///< migration destination VF
	std::string migrating_to;
	Reason last_reason{Reason::ok};

	[[nodiscard]] std::vector<Filter> filters() const { return {Filter{.mac = mac, .vlan = vlan}}; }
};

struct Model {
	std::map<std::string, Pf> pfs;
	std::map<std::string, Partition> partitions;

	Partition *partition(const std::string &name);
	Pf *pf(const std::string &name);
	VfSlot *slot(const std::string &pf, VfIndex vf);
	/// A free, non-quarantined VF on @pf, lowest index first.
	[[nodiscard]] std::optional<VfIndex> free_vf(const std::string &pf) const;
	[[nodiscard]] std::uint32_t usable_vfs(const std::string &pf) const;
};

nlohmann::json to_json(const Model &m);
Model model_from_json(const nlohmann::json &j);
nlohmann::json to_json(const Partition &p);
nlohmann::json to_json(const Pf &p);

} // namespace sriov::model
