// SPDX-License-Identifier: GPL-2.0
// The sequence engine: owns the model, starts sequences, runs their steps
// with journaling, converts failures into rollbacks, records events, and
// arbitrates VFs.  No I/O of its own besides the KernelApi and the store;
// the Asio layer calls pump() when something may have changed and arms a
// timer for next_wakeup_mono().
#pragma once

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/histogram.hpp"
#include "kernel/kernel_api.hpp"
#include "model/model.hpp"
#include "seq/partition_index.hpp"
#include "seq/sequence.hpp"
#include "seq/steps.hpp"
#include "store/state_store.hpp"

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace sriov::seq {

struct EngineConfig {
	Timeouts timeouts;
	std::int64_t failover_hold_ms{30000}; ///< no automatic re-attach after a planned failover
	std::int64_t backoff_base_ms{1000};   ///< after a failed attach, doubling
	std::int64_t backoff_max_ms{60000};
	std::size_t event_ring{256};
	/// Tests: after every journal commit, read the journal back (snapshot
	/// + records) and throw std::logic_error unless it equals the state
	/// in memory (replay equivalence at every commit).
	bool check_journal{false};
	/// The crash-loop breaker: a sequence that this many daemon starts in
	/// a row found in flight is parked instead of resumed (0: never).
	std::uint32_t crash_limit{3};
	/// This boot's id (/proc/sys/kernel/random/boot_id); "" if unknown.
	/// A journal from another boot has its kernel objects re-created.
	std::string boot_id;
};

struct PartitionSpec {
	std::string name;
	std::string netns;
	std::string pf;
	MacAddr mac;
	VlanId vlan;
	std::uint32_t weight{100};
	std::vector<std::string> ips; ///< canonical_ip() texts, no duplicates
	std::string ifname{"nv0"};    ///< the adapter's name in the namespace
	std::string container_id;     ///< CNI_CONTAINERID of a CNI plugin's partition
};

/// What a command gets back immediately.
struct StartResult {
	std::uint64_t seq{};   ///< 0 if nothing was started
	Reason reason{Reason::ok};
	std::string detail;
	bool queued{};         ///< attach waits for a VF (arbitration)
	[[nodiscard]] bool ok() const { return reason == Reason::ok; }
};

/// Called with the final event of a sequence.
using DoneFn = std::function<void(const nlohmann::json &event)>;

/// Thrown by the crash hook in tests to simulate SIGKILL.
struct SimulatedCrash {};

class Engine {
public:
	Engine(KernelApi &kernel, store::StateStore &store, Clock &clock, EngineConfig cfg = {});

	/// Load the journal, learn PFs from the kernel, and turn every in-flight
	/// sequence into a resume (release direction) or a rollback (forward).
	void recover();

	// --- commands (validation happens here; they never block) ---
	StartResult add_partition(const PartitionSpec &spec, DoneFn done);
	StartResult remove_partition(const std::string &name, DoneFn done);
	StartResult attach(const std::string &name, DoneFn done);
	StartResult detach(const std::string &name, DoneFn done);
	StartResult failover(const std::string &name, std::int64_t hold_ms, DoneFn done);
	StartResult migrate_prepare(const std::string &name, const std::string &dest_pf, DoneFn done);
	StartResult migrate_complete(const std::string &name, DoneFn done);
	StartResult migrate_abort(const std::string &name, DoneFn done);
	StartResult set_weight(const std::string &name, std::uint32_t weight);
	StartResult clear_quarantine(const std::string &pf, VfIndex vf);
	/// Tear down every partition (adapters too).  Returns how many started.
	/// Starts the teardown of every partition not in a sequence; the others
	/// follow when theirs ends.  Returns how many started now.
	std::size_t teardown_all();
	[[nodiscard]] std::size_t teardowns_queued() const { return teardown_pending_.size(); }
	/// Clean stop: fail every partition over to synthetic and free its VF;
	/// no new attach starts afterwards.  Returns how many started.
	std::size_t release_all();

	/// Advance every runnable sequence as far as it goes.
	void pump();
	/// Monotonic time at which pump() must run again (waits, back-off).
	[[nodiscard]] std::optional<std::int64_t> next_wakeup_mono() const;
	/// Read and act on kernel notifications (surprise VF loss, unpairing).
	void handle_kernel_events();
	/// No sequence runs (parked ones do not run).
	[[nodiscard]] bool idle() const
	{
		return std::all_of(active_.begin(), active_.end(), [](const auto &kv) { return kv.second.parked; });
	}
	/// A parked sequence runs again (its restart count starts over).
	StartResult resume_parked(std::uint64_t id, DoneFn done);
	/// A parked sequence is dropped without running another step: its
	/// partition keeps what the model holds (`audit` shows what differs
	/// from the kernel).
	StartResult discard_parked(std::uint64_t id);
	/// Test fault (fake backend): the journal's next @count writes fail with @err.
	void fail_journal_writes(int err, int count) { store_.fail_writes(err, count); }

	// --- read side ---
	[[nodiscard]] const model::Model &model() const { return model_; }
	[[nodiscard]] nlohmann::json status() const;
	[[nodiscard]] nlohmann::json sequences() const;
	[[nodiscard]] nlohmann::json events(std::uint64_t after_id) const;
	[[nodiscard]] std::string metrics() const;
	/// The whole state as the journal's snapshot holds it.
	[[nodiscard]] nlohmann::json state_doc() const;
	/// Differences between the model and the kernel's dumps ([] = consistent).
	/// Only meaningful when idle().
	[[nodiscard]] std::vector<std::string> audit() const;

	/// Every recorded event (sequence results, quarantines, kernel events).
	std::function<void(const nlohmann::json &)> on_event;
	/// Test hook: called before a step acts (after=false, journal written)
	/// and after it acted (after=true, before the journal records it).
	std::function<void(const Record &, Step, bool after)> crash_hook;

private:
	Record &begin(Kind kind, const std::string &partition, Reason cause, DoneFn done);
	/// Journal "step at the cursor started"; returns the commit's errno.
	int begin_step(Record &rec);
	void advance(Record &rec);
	void finish(Record &rec, const std::string &result);
	/// metrics: one step of a @kind sequence ended with @r after @ms
	void count_step(Kind kind, Step step, const StepResult &r, std::int64_t ms);
	void to_rollback(Record &rec, Reason why, const std::string &detail);
	// --- the journal (journal.cpp) ---
	/// Commit what changed since the last commit: one record with the
	/// partitions and sequences touched and the PFs whose VF slots
	/// changed; a snapshot instead when one is due (the log past its
	/// bound, or touch_all()).
	/// Returns errno, 0 when committed; on failure the next commit is a
	/// snapshot (nothing the failed one held is lost from memory).
	int persist();
	/// Commit a snapshot of the whole state now (compaction).  Returns errno.
	int persist_all();
	/// @partition changed (or went): the next commit writes it.
	void touch(const std::string &partition)
	{
		dirty_parts_.insert(partition);
		index_.dirty(partition);
	}
	/// @rec and its partition changed (or went).
	void touch(const Record &rec)
	{
		touch(rec.partition);
		dirty_seqs_.insert(rec.id);
	}
	/// Everything may have changed: the next commit is a snapshot.
	void touch_all()
	{
		dirty_all_ = true;
		index_.dirty_all();
	}
	void check_journal();
	void persist_events();
	/// Record @ev.  @commit: also commit the journal and the event ring now
	/// (sequence ends, quarantines); kernel notifications only mark the
	/// ring dirty and are written once per batch (flush_events()).
	/// Returns the commit's errno (0 without @commit).
	int emit(nlohmann::json &ev, bool commit = true);
	void flush_events();
	void arbitrate_and_start();
	// --- after a reboot (reboot.cpp) ---
	/// The journal was written in another boot than this one.
	[[nodiscard]] bool rebooted() const;
	/// Drop what the reboot destroyed: sequences in flight, VF
	/// assignments and reservations, the adapters and filters, monotonic
	/// deadlines.  Returns the "reboot" event.
	nlohmann::json forget_previous_boot();
	/// A recreate sequence for every partition without its adapter.
	void start_recreates();
	void sync_pfs();
	void reconcile_orphans();
	void reconcile_serials();
	/// Every partition's host port locked on its switch (after a restart,
	/// or when something unlocked one).
	void reconcile_port_locks();
	/// Every partition's adapter with AUTO_ACK off (adapters found at start
	/// may have it on: created by an older sriovd or by hand).
	void reconcile_auto_ack();
	/// Data-path requests the kernel raised on its own (VF down, VF up
	/// after a reset) for partitions no sequence is working on: a request
	/// to synthetic is acknowledged at once, one to the VF only while the
	/// partition's filters are on the VF's VPort (else it stays pending for
	/// the attach / re-sync logic).
	void triage_dp_requests();
	/// sriov_pf moved a VF's filters to the default VPort on its own
	/// (filter-moved-ntf with a reset reason): the model follows the
	/// kernel (journaled) when the current dump confirms the move.
	/// Events for an unknown PF or VPort, or with missing attributes, are
	/// logged and ignored.
	void on_filters_moved(const KernelEvent &ev);
	/// Journal a failback sequence for @partition (pumped by the caller).
	void begin_failback(const std::string &partition);
	/// @partition's VF is gone: an attach in flight rolls back, a failback
	/// ends failed (which releases the VF as a surprise), else a surprise
	/// sequence starts.
	void vf_gone(const std::string &partition, const std::string &detail);
	/// Re-read every PF's VF pool (sriov_numvfs changed, PF hot-plug):
	/// partitions whose VF is beyond the pool run the surprise sequence,
	/// the model's pool follows the kernel's, and a switch that came back
	/// empty gets the adapters' filters on its default VPort again (the
	/// arbiter then re-attaches the partitions that want a VF).
	void resync_pool();
	/// The switch's ARP/ND guard the model asks for: one entry a partition.
	[[nodiscard]] std::vector<PortGuard> wanted_guard() const;
	/// Bring the guard to wanted_guard(): per partition (the rules of the
	/// partitions that went are removed, one transaction each), or whole
	/// when a change failed before, or always with @force (at start).
	Status sync_guard(bool force = false);
	/// @p's rules on the switch (before its port exists): one transaction
	/// for it alone; the whole guard again if that fails or the guard is
	/// not known to be installed.
	Status guard_add(const model::Partition &p);
	[[nodiscard]] bool busy(const std::string &partition) const;
	StartResult start_attach(model::Partition &p, Reason cause, DoneFn done);
	StartResult start_release(model::Partition &p, Kind kind, Reason cause, DoneFn done);

	KernelApi &kernel_;
	store::StateStore &store_;
	/// The event ring, in a file of its own (STATE.events): written when an
	/// event is recorded, not at every step boundary like the journal.
	store::StateStore events_store_;
	Clock &clock_;
	EngineConfig cfg_;
	model::Model model_;
	std::map<std::uint64_t, Record> active_;
	std::map<std::uint64_t, std::vector<DoneFn>> waiters_;
	std::deque<nlohmann::json> events_;
	// the ring's file: whether it holds the ring (else the next write is
	// whole), the first event id not written yet, ids that left the ring
	bool events_written_{};
	std::uint64_t events_flushed_{};
	std::vector<std::uint64_t> events_dropped_;
	std::uint64_t next_seq_{1};
	std::uint64_t next_event_{1};
	bool pumping_{};
	bool events_dirty_{};
	bool stopping_{};
	bool resyncing_{}; ///< no new attach while notifications are read and the pool re-read
	/// PFs whose VF pool grew, until every VF of it has its driver bound
	/// (a netdev), at most until the deadline (monotonic ms): no attach
	/// there before (sriov_numvfs is written while the VFs still probe)
	std::map<std::string, std::int64_t> pool_wait_;
	/// PFs the kernel stopped listing: each joins its switch again when it
	/// is back (resync_pool)
	std::set<std::string> pfs_gone_;
	/// partitions a teardown-all found in a sequence: torn down when it
	/// ends (not journaled: a restart forgets them, as it forgets the request)
	std::set<std::string> teardown_pending_;
	void start_pending_teardowns();
	/// PF -> until when its SR-IOV disable (filter-moved-ntf, reason
	/// SR-IOV disable) counts as under way: no FLR of its VFs then
	std::map<std::string, std::int64_t> pool_going_;
	/// Whether @pf's pool is ready for an attach (drops it from pool_wait_
	/// when it is, or when its wait ran out).
	bool pool_ready(const std::string &pf);
	/// The guard the kernel holds, as far as sriovd knows, by partition;
	/// only meaningful while !guard_stale_.
	std::map<std::string, PortGuard> guard_installed_;
	/// A change of the guard failed (or none succeeded yet): the next
	/// change installs it whole.
	bool guard_stale_{true};
	/// The set whose whole installation failed last (not retried until it changes).
	std::optional<std::vector<PortGuard>> guard_failed_;
	/// Partitions whose sequence ended with the partition gone: their
	/// rules go at the end of the pump.
	std::set<std::string> guard_gone_;

	/// the boot id the journal was written in ("" before schema version 3)
	std::string journal_boot_id_;
	// journal bookkeeping: what the next commit writes
	std::set<std::string> dirty_parts_;
	std::set<std::uint64_t> dirty_seqs_;
	bool dirty_all_{};
	/// each PF's JSON as last committed (a PF is written when it differs)
	std::map<std::string, std::string> pfs_written_;
	/// who wants or holds a VF, who uses a MAC or an address (refreshed
	/// from the partitions touched)
	mutable PartitionIndex index_;

	// metrics (since start)
	std::map<std::string, std::uint64_t> seq_results_;   ///< "kind,result" -> count
	std::map<std::string, std::int64_t> seq_duration_ms_; ///< kind -> total
	std::map<std::string, std::uint64_t> step_failures_;  ///< reason -> count
	std::map<std::string, Histogram> seq_latency_;        ///< kind -> wall time of finished sequences
	/// (kind, step) -> time of the steps that ended (done, skipped or failed)
	std::map<std::pair<std::string, std::string>, Histogram> step_latency_;
	/// "kind,step,result" (result ok, skipped or failed) -> count
	std::map<std::tuple<std::string, std::string, std::string>, std::uint64_t> step_results_;
	std::uint64_t autonomous_failovers_{}; ///< sriov_pf moved a partition's filters on its own
	std::uint64_t surprise_removals_{};    ///< a partition's VF went away under it
};

} // namespace sriov::seq
