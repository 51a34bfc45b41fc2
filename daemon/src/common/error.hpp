// SPDX-License-Identifier: GPL-2.0
// Reason codes: every failure the daemon reports carries one of these.
// They are stable strings in the control protocol and the event log.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace sriov {

enum class Reason : std::uint8_t {
	ok = 0,
	// control / request validation
	bad_request,
	request_too_large,
	unknown_command,
	permission_denied,
	unknown_partition,
	unknown_pf,
	unknown_vf,
	partition_exists,
	partition_busy,
	invalid_state,
	// resources
	no_vf_available,
	preempted,
	vf_quarantined,
	// kernel steps
	vf_alloc_failed,
	vf_free_failed,
	vf_mac_failed,
	vport_create_failed,
	vport_delete_failed,
	netdev_missing,
	netdev_move_failed,
	pair_timeout,
	filter_move_failed,
	filter_add_failed,
	filter_del_failed,
	datapath_failed,
	release_timeout,
	flr_failed,
	adapter_create_failed,
	adapter_delete_failed,
	switch_move_failed,
	switch_guard_failed,
	config_read_failed,
	// causes of a sequence
	surprise_removal,
	daemon_restart,
	shutdown,
	kernel_failover, ///< sriov_pf moved a VF's filters to the default VPort
	journal_write_failed, ///< a journal commit failed: the step did not act
	crash_loop,           ///< a sequence parked after daemon restarts in a row, then discarded
	reboot,               ///< the host rebooted: kernel objects made again
	internal_error,
};

std::string_view to_string(Reason r);
std::optional<Reason> reason_from_string(std::string_view s);

/// The std::error_code category of Reason, for code that speaks error_code.
const std::error_category &reason_category();
std::error_code make_error_code(Reason r);

/// Result of a kernel operation: errno (0 = success) plus the kernel's
/// extack text or a description, to be carried into the event log.
struct Status {
	int err{};
	std::string msg;
	[[nodiscard]] bool ok() const { return err == 0; }
	static Status success() { return {}; }
	static Status fail(int e, std::string m) { return {.err = e, .msg = std::move(m)}; }
};

/// A value or a failed Status.
template <class T> struct Outcome {
	std::optional<T> value;
	Status status;
	[[nodiscard]] bool ok() const { return value.has_value(); }
	static Outcome of(T v) { return {.value = std::move(v), .status = {}}; }
	static Outcome fail(int e, std::string m) { return {.value = std::nullopt, .status = Status::fail(e, std::move(m))}; }
};

} // namespace sriov

template <> struct std::is_error_code_enum<sriov::Reason> : std::true_type {};
