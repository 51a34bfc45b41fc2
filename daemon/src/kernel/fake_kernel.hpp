// SPDX-License-Identifier: GPL-2.0
// In-memory kernel for unit tests and `sriovd --backend=fake`.
//
// It enforces the same rules the PF driver does (a VPort needs an
// allocated VF, the default VPort cannot be deleted, a VPort with filters
// cannot be deleted, a VF with a VPort cannot be freed, 8 pools per PF,
// filters are unique per PF) so that a wrong step order fails here too.
// With a state file every mutation is written through, so a SIGKILLed
// daemon restarts against the "kernel" it left behind: the state file is
// a journal like sriovd's own (store::StateStore: a snapshot and a record
// per mutating call with the objects it changed, compacted past a bound),
// not fsync'd (a kernel's state survives a crash of the daemon, not one
// of the machine).  Lookups and mutations are O(log n) in the partitions.
#pragma once

#include "kernel/kernel_api.hpp"
#include "store/state_store.hpp"

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <set>
#include <string>

namespace sriov {

class FakeKernel final : public KernelApi {
public:
	/// @state_path: "" for memory only.  @compact_min_bytes: the state
	/// file's log bound (tests make it small to exercise compaction).
	explicit FakeKernel(std::string state_path = {}, std::uint64_t compact_min_bytes = 1U << 20);
	FakeKernel(const FakeKernel &) = delete;
	FakeKernel &operator=(const FakeKernel &) = delete;
	FakeKernel(FakeKernel &&) = delete;
	FakeKernel &operator=(FakeKernel &&) = delete;
	~FakeKernel() override;

	/// Add a PF with @total_vfs VFs (all enabled, VF netdevs present).
	void add_pf(const std::string &name, const std::string &netdev, std::uint32_t total_vfs);
	[[nodiscard]] bool has_state() const { return !pfs_.empty(); }

	// --- fault injection ---
	/// Make the next @count calls of @op fail with @err (count < 0: always).
	void fail(const std::string &op, int err, int count = 1);
	void clear_faults();
	/// The adapter never pairs with a VF (pair timeout path).
	void set_pairing(bool enabled);
	/// The adapter ignores graceful release requests (surprise path).
	void set_release_ignored(bool ignored);
	/// The adapter accepts DP_WANT=VF but keeps transmitting synthetic.
	void set_datapath_stuck(bool stuck) { datapath_stuck_ = stuck; }
	/// Every VF netdev reports no carrier (its driver does not serve RX).
	void set_vfs_down(bool down) { vfs_down_ = down; }
	/// VF drivers ignore the PF's reset request after an admin MAC change:
	/// their netdevs keep the old MAC until vf_probe().
	void set_lazy_vf_driver(bool lazy) { lazy_vf_driver_ = lazy; }
	/// The kernel raises a data-path request on its own for @partition's
	/// adapter, as sriov_netvsc does on VF up/down (synthetic: TX moves
	/// at once, the request only tells the host side).
	void raise_dp_request(const std::string &partition, Datapath path);
	/// The child-side adapter goes down or up (DP_ACTIVE follows).
	void set_adapter_up(const std::string &partition, bool up);
	/// sriov_pf failing @vf over on its own (VF FLR, VF reset, VF_GOING_DOWN,
	/// PF reset; swpf_switch_vf_gone): the filters on the VF's VPort move
	/// to the default VPort, filter-moved-ntf is announced with @reason,
	/// and the adapter paired with the VF asks for synthetic (its VF went
	/// down).  The VF stays allocated, in its namespace, paired.
	/// With @vf_stays_up the VF is back before anyone looks (a sysfs FLR
	/// the VF driver rides through): only the filters move, the adapter
	/// keeps transmitting on the VF.
	void autonomous_failover(const std::string &pf, VfIndex vf, std::uint32_t reason, bool vf_stays_up = false);
	/// An administrator writes 0 to sriov_numvfs with VFs allocated:
	/// filter-moved-ntf (reason SRIOV_DISABLE) for every VF VPort, every VF
	/// freed (vf-freed) and gone, the NIC switch gone with its VPorts and
	/// filters, switch-change-ntf.
	void pool_disable(const std::string &pf);
	/// ... and @n again: fresh VFs (driver bound, host namespace) and an
	/// empty switch, switch-change-ntf.  Without @probed the VFs have no
	/// driver yet (no netdev) until pool_probe().
	void pool_enable(const std::string &pf, std::uint32_t n, bool probed = true);
	/// The VF driver binds to every VF of @pf's pool.
	void pool_probe(const std::string &pf);
	/// The PF leaves (driver unbound, hot-unplug): its pool goes as with
	/// pool_disable(), then the PF itself; pf_plug() brings it back with
	/// no VFs and a netdev outside its switch until pf_switch_sync().
	void pf_unplug(const std::string &pf);
	void pf_plug(const std::string &pf);
	/// Whether @pf's netdev is in its switch (false after pf_plug()).
	[[nodiscard]] bool pf_in_switch(const std::string &pf) const { return !pf_out_of_switch_.contains(pf); }
	/// The VF is up again after such a reset: the adapter paired with it
	/// asks for the VF.
	void vf_back(const std::string &pf, VfIndex vf);
	/// How often vf_probe() ran.
	[[nodiscard]] unsigned probes() const { return probes_; }
	/// Sleep this long in every mutating call (widens SIGKILL windows in tests).
	void set_delay_ms(int ms);
	/// The last process in namespace @ns exits (a container's end, `ip
	/// netns del`) and the namespace goes, as the kernel tears one down:
	/// the adapters whose child side is in it are deleted, both sides (a
	/// veth-like pair), and the VF netdevs in it move to the host's
	/// namespace (renamed dev<ifindex> when their name is taken there).
	void netns_delete(const std::string &ns);
	/// Let @path lead to namespace @ns as well (as /proc/PID/ns/net of a
	/// process in it does): netns_identity() gives both the same identity.
	void netns_alias(const std::string &path, const std::string &ns) { netns_alias_[path] = ns; }
	/// Simulate surprise loss of a VF (hot-unplug): netdev gone, event queued.
	void surprise_remove(const std::string &pf, VfIndex vf);
	/// Queue a notification as the kernel would send it (possibly stale).
	void inject_event(KernelEvent ev) { events_.push_back(std::move(ev)); }
	/// The namespace holding the VF renames its netdev (any bytes).
	void rename_vf(const std::string &pf, VfIndex vf, const std::string &name);
	/// Someone unlocks a partition's switch port behind the daemon's back.
	void unlock_port(const std::string &partition);
	/// Someone deletes the table "bridge sriovd" behind the daemon's back.
	void drop_guard();
	/// The guard as installed: its ports (by partition) and the nftables
	/// text that would build that table at once ("" without a table).
	[[nodiscard]] std::vector<PortGuard> guard_ports() const;
	[[nodiscard]] std::string guard_script() const;
	/// The last nftables transaction the real backend would have handed
	/// to libnftables (the whole table, or one port added or removed).
	[[nodiscard]] const std::string &guard_last_script() const { return guard_last_script_; }
	/// The state file's journal (nullptr without one).
	[[nodiscard]] const store::StateStore *state_store() const { return store_.get(); }
	/// Every rtnetlink-level request, in order ("adapter_create p1 serial=7",
	/// "netdev_move ifindex=101 ns1->", ...): what the unit tests check.
	[[nodiscard]] const std::vector<std::string> &requests() const { return requests_; }
	/// Called before every mutating op with its name (tests crash here).
	void set_hook(std::function<void(const std::string &)> hook) { hook_ = std::move(hook); }

	/// Configure from JSON ({"fail": {...}, "pairing": bool, ...}).
	Status configure(const nlohmann::json &cfg);
	/// Whole state as JSON (what the pytest checks read).
	[[nodiscard]] nlohmann::json dump() const;

	// --- KernelApi ---
	std::vector<PfInfo> pfs() override;
	Status set_num_vfs(const std::string &pf, std::uint32_t n) override;
	std::vector<VfInfo> vfs(const std::string &pf) override;
	Status vf_alloc(const std::string &pf, VfIndex vf, std::uint64_t serial) override;
	Status vf_set_mac(const std::string &pf, VfIndex vf, const MacAddr &mac) override;
	Status vf_probe(const std::string &pf, VfIndex vf) override;
	Status vf_unbind(const std::string &pf, VfIndex vf) override;
	Status vf_reset(const std::string &pf, VfIndex vf) override;
	Status vf_free(const std::string &pf, VfIndex vf) override;
	Outcome<std::vector<std::uint8_t>> config_read(const std::string &pf, VfIndex vf, std::uint32_t offset,
						       std::uint32_t len) override;
	std::vector<VportInfo> vports(const std::string &pf) override;
	Outcome<VportId> vport_create(const std::string &pf, VfIndex vf) override;
	Status vport_delete(const std::string &pf, VportId id) override;
	std::vector<FilterInfo> filters(const std::string &pf) override;
	Status filter_add(const std::string &pf, VportId vport, const Filter &f) override;
	Status filter_del(const std::string &pf, VportId vport, const Filter &f) override;
	Status filters_move(const std::string &pf, VportId from, VportId to, const std::vector<Filter> &set) override;
	bool netns_exists(const std::string &ns) override;
	std::string netns_identity(const std::string &ns) override;
	Status netns_create(const std::string &ns) override;
	Status netdev_move(const std::string &from_ns, std::uint32_t ifindex, const std::string &to_ns) override;
	std::vector<AdapterInfo> adapters() override;
	Status adapter_create(const std::string &partition, const std::string &ns, const std::string &ifname,
			      const std::string &pf, const MacAddr &mac, std::uint64_t serial) override;
	Status adapter_set_serial(const std::string &partition, std::uint64_t serial) override;
	Status adapter_delete(const std::string &partition) override;
	Status adapter_set_switch(const std::string &partition, const std::string &pf, const MacAddr &mac) override;
	Status pf_switch_sync(const std::string &pf) override;
	Status adapter_set_datapath(const std::string &partition, Datapath dp) override;
	Status adapter_dp_ack(const std::string &partition, std::uint32_t seq) override;
	Status adapter_set_auto_ack(const std::string &partition, bool on) override;
	Status adapter_release_vf(const std::string &partition) override;
	Status adapter_lock_port(const std::string &partition, const MacAddr &mac) override;
	Status adapter_set_flood(const std::string &partition, bool on) override;
	Status guard_apply(const std::vector<PortGuard> &ports) override;
	Status guard_set(const PortGuard &port) override;
	Status guard_del(const std::string &partition) override;
	Outcome<std::vector<PortGuard>> guard_state() override;
	std::vector<KernelEvent> drain_events() override;
	std::optional<AdapterInfo> adapter(const std::string &partition) override;
	std::optional<VportId> filter_vport(const std::string &pf, const Filter &f) override;

	/// Number of FLRs done on a VF (tests check FLR happened).
	[[nodiscard]] unsigned reset_count(const std::string &pf, VfIndex vf) const;

private:
	struct Vf {
		bool present{true}; ///< false after surprise removal
		bool allocated{};
		std::uint64_t serial{};
		MacAddr mac;
		std::string netdev;
		std::string netns;
		unsigned resets{};
		std::uint32_t ifindex{}; ///< of its netdev, fixed for the fake's lifetime
		/// the netdev's MAC while it lags behind the admin MAC (lazy_vf_driver)
		std::optional<MacAddr> netdev_mac;
		/// in a reset sriov_pf failed it over for (autonomous_failover):
		/// no carrier until vf_back()
		bool down{};
		/// its driver was unbound (vf_unbind): no netdev until a probe
		bool unbound{};
		[[nodiscard]] bool has_netdev() const { return present && !unbound; }
	};
	struct Pf {
		std::string netdev;
		std::uint32_t total_vfs{};
		std::uint32_t num_vfs{};
		std::uint32_t next_vport{1};
		bool unplugged{}; ///< pf_unplug(): gone until pf_plug()
		std::vector<Vf> vfs;
		std::map<std::uint32_t, std::optional<std::uint32_t>> vports; // id -> vf
		/// by filter id: the order they were added in (the kernel's filter-id)
		std::map<std::uint32_t, FilterInfo> filters;
		std::map<Filter, std::uint32_t> filter_ids;                      ///< index
		std::map<std::uint32_t, std::set<std::uint32_t>> vport_filters; ///< VPort -> filter ids
		std::uint32_t next_filter{1};
	};
	struct Adapter {
		AdapterInfo info;
		std::string ifname{"nv0"}; ///< the child side's name in its namespace
		bool released{};
		Datapath want{Datapath::vf}; ///< DP_WANT (sriov_netvsc's default: VF)
	};
	struct Fault {
		int err{};
		int count{};
	};

	Status enter(const std::string &op);
	/// Write what changed since the last commit (fake_kernel_state.cpp).
	void commit();
	void load();
	[[nodiscard]] nlohmann::json state_doc() const;
	[[nodiscard]] static nlohmann::json pf_json(const std::string &name, const Pf &p, bool in_switch);
	[[nodiscard]] static nlohmann::json adapter_json(const Adapter &a);
	// what the next commit writes
	void touch(const Adapter &a) { dirty_adapters_.insert(a.info.partition); }
	void touch_filter(const std::string &pf, std::uint32_t id) { dirty_filters_[pf].insert(id); }
	// the filters of a PF, kept with their indexes
	std::uint32_t filter_insert(const std::string &pf, Pf &p, const Filter &f, VportId vport);
	void filter_erase(const std::string &pf, Pf &p, std::uint32_t id);
	void filter_move(const std::string &pf, Pf &p, std::uint32_t id, VportId to);
	void filters_clear(const std::string &pf, Pf &p);
	Pf *find_pf(const std::string &pf);
	Vf *find_vf(const std::string &pf, VfIndex vf);
	void update_pairing();
	// sriov_netvsc's data-path handshake (kernel/netvsc/swnv_dp.c)
	bool dp_target_vf(const Adapter &a);
	void dp_request(Adapter &a, Datapath path);
	void dp_complete(Adapter &a);
	void dp_evaluate(Adapter &a);
	[[nodiscard]] bool name_taken(const std::string &ns, const std::string &name, const Vf *except) const;
	Vf *vf_by_ifindex(const std::string &ns, std::uint32_t ifindex);

	std::string state_path_;
	std::unique_ptr<store::StateStore> store_;
	std::set<std::string> dirty_adapters_;
	std::set<std::string> dirty_netns_;
	std::set<std::string> dirty_faults_;
	std::map<std::string, std::set<std::uint32_t>> dirty_filters_;
	std::set<std::string> dirty_filter_pfs_; ///< every filter of these PFs
	std::set<std::string> dirty_guard_;
	bool dirty_guard_all_{};
	bool dirty_all_{};
	/// the small parts (PFs without their filters, flags) as last written
	std::map<std::string, std::string> written_;
	std::set<std::string> pf_out_of_switch_;
	std::map<std::string, Pf> pfs_;
	std::set<std::string> netns_;
	std::map<std::string, std::string> netns_alias_;
	std::map<std::string, Adapter> adapters_;
	/// adapters by namespace: the ones a VF netdev there may pair with
	std::map<std::string, std::set<std::string>> adapters_by_ns_;
	/// adapters paired with a VF or that released one: update_pairing()
	/// looks at these and at the adapters in a VF's namespace, no others
	std::set<std::string> pair_watch_;
	std::map<std::string, Fault> faults_;
	std::vector<KernelEvent> events_;
	bool pairing_{true};
	bool release_ignored_{};
	bool datapath_stuck_{};
	bool vfs_down_{};
	bool lazy_vf_driver_{};
	unsigned probes_{};
	int delay_ms_{};
	std::function<void(const std::string &)> hook_;
	std::uint32_t next_ifindex_{100};
	std::vector<std::string> requests_;
	bool guard_present_{};
	std::map<std::string, PortGuard> guard_;
	std::string guard_last_script_;
};

} // namespace sriov
