// SPDX-License-Identifier: GPL-2.0
#include "common/error.hpp"

#include <array>
#include <utility>

namespace sriov {

namespace {

constexpr std::array reason_names = {
	std::pair{Reason::ok, "ok"},
	std::pair{Reason::bad_request, "bad_request"},
	std::pair{Reason::request_too_large, "request_too_large"},
	std::pair{Reason::unknown_command, "unknown_command"},
	std::pair{Reason::permission_denied, "permission_denied"},
	std::pair{Reason::unknown_partition, "unknown_partition"},
	std::pair{Reason::unknown_pf, "unknown_pf"},
	std::pair{Reason::unknown_vf, "unknown_vf"},
	std::pair{Reason::partition_exists, "partition_exists"},
	std::pair{Reason::partition_busy, "partition_busy"},
	std::pair{Reason::invalid_state, "invalid_state"},
	std::pair{Reason::no_vf_available, "no_vf_available"},
	std::pair{Reason::preempted, "preempted"},
	std::pair{Reason::vf_quarantined, "vf_quarantined"},
	std::pair{Reason::vf_alloc_failed, "vf_alloc_failed"},
	std::pair{Reason::vf_free_failed, "vf_free_failed"},
	std::pair{Reason::vf_mac_failed, "vf_mac_failed"},
	std::pair{Reason::vport_create_failed, "vport_create_failed"},
	std::pair{Reason::vport_delete_failed, "vport_delete_failed"},
	std::pair{Reason::netdev_missing, "netdev_missing"},
	std::pair{Reason::netdev_move_failed, "netdev_move_failed"},
	std::pair{Reason::pair_timeout, "pair_timeout"},
	std::pair{Reason::filter_move_failed, "filter_move_failed"},
	std::pair{Reason::filter_add_failed, "filter_add_failed"},
	std::pair{Reason::filter_del_failed, "filter_del_failed"},
	std::pair{Reason::datapath_failed, "datapath_failed"},
	std::pair{Reason::release_timeout, "release_timeout"},
	std::pair{Reason::flr_failed, "flr_failed"},
	std::pair{Reason::adapter_create_failed, "adapter_create_failed"},
	std::pair{Reason::adapter_delete_failed, "adapter_delete_failed"},
	std::pair{Reason::switch_move_failed, "switch_move_failed"},
	std::pair{Reason::switch_guard_failed, "switch_guard_failed"},
	std::pair{Reason::config_read_failed, "config_read_failed"},
	std::pair{Reason::surprise_removal, "surprise_removal"},
	std::pair{Reason::daemon_restart, "daemon_restart"},
	std::pair{Reason::shutdown, "shutdown"},
	std::pair{Reason::kernel_failover, "kernel_failover"},
	std::pair{Reason::journal_write_failed, "journal_write_failed"},
	std::pair{Reason::crash_loop, "crash_loop"},
	std::pair{Reason::reboot, "reboot"},
	std::pair{Reason::internal_error, "internal_error"},
};

class ReasonCategory final : public std::error_category {
public:
	[[nodiscard]] const char *name() const noexcept override { return "sriovd"; }
	[[nodiscard]] std::string message(int ev) const override
	{
		return std::string(to_string(static_cast<Reason>(ev)));
	}
};

} // namespace

std::string_view to_string(Reason r)
{
	for (const auto &[k, v] : reason_names)
		if (k == r)
			return v;
	return "unknown";
}

std::optional<Reason> reason_from_string(std::string_view s)
{
	for (const auto &[k, v] : reason_names)
		if (s == v)
			return k;
	return std::nullopt;
}

const std::error_category &reason_category()
{
	static const ReasonCategory cat;
	return cat;
}

std::error_code make_error_code(Reason r)
{
	return {static_cast<int>(r), reason_category()};
}

} // namespace sriov
