// SPDX-License-Identifier: GPL-2.0
// The service manager's side channel (sd_notify(3), libsystemd): readiness,
// stopping and watchdog keep-alives.  Every call is a no-op when sriovd was
// not started by systemd with NOTIFY_SOCKET set (a shell, the lab's tests).
#pragma once

#include <chrono>
#include <optional>

namespace sriov::systemd {

/// READY=1: the control socket listens and the journal is recovered.
void notify_ready();
/// STOPPING=1: the clean stop (failing partitions over) has begun.
void notify_stopping();
/// The keep-alive interval to use: half of WatchdogSec= when the unit
/// asks for keep-alives from this process (sd_watchdog_enabled), else none.
std::optional<std::chrono::microseconds> watchdog_interval();
/// WATCHDOG=1.
void watchdog_ping();

} // namespace sriov::systemd
