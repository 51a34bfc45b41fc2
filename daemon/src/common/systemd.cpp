// SPDX-License-Identifier: GPL-2.0
#include "common/systemd.hpp"

#include "common/log.hpp"

#include <cstdint>
#include <cstring>
#include <systemd/sd-daemon.h>

namespace sriov::systemd {

namespace {

void notify(const char *state)
{
	// unset_environment=0: a restart of the io loop may notify again
	const int r = ::sd_notify(0, state);
	if (r < 0)
		log::warn(0, "sd_notify(", state, "): ", std::strerror(-r));
}

} // namespace

void notify_ready()
{
	notify("READY=1");
}

void notify_stopping()
{
	notify("STOPPING=1");
}

std::optional<std::chrono::microseconds> watchdog_interval()
{
	std::uint64_t usec = 0;
	const int r = ::sd_watchdog_enabled(0, &usec);
	if (r < 0) {
		log::warn(0, "sd_watchdog_enabled: ", std::strerror(-r), "; no watchdog keep-alives");
		return std::nullopt;
	}
	if (r == 0 || usec == 0)
		return std::nullopt;
	return std::chrono::microseconds(usec / 2);
}

void watchdog_ping()
{
	notify("WATCHDOG=1");
}

} // namespace sriov::systemd
