// SPDX-License-Identifier: GPL-2.0
// The I/O layer: one io_context, the AF_UNIX control socket, the kernel
// event descriptor, the engine's wake-up timer, the signals and the
// optional metrics endpoint.  All of Boost.Asio lives in server.cpp and
// metrics_http.cpp; nothing else includes it.
#pragma once

#include "control/commands.hpp"
#include "control/metrics_http.hpp"
#include "kernel/kernel_api.hpp"
#include "seq/engine.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <sys/types.h>

namespace sriov::control {

/// What one local user can take from sriovd.  Root (uid 0) is never
/// counted against or refused by these: no number of unprivileged
/// connections keeps root out.
struct ConnectionLimits {
	std::size_t max_connections{64};        ///< non-root connections, all uids together
	std::size_t max_connections_per_uid{16}; ///< per non-root uid
	int idle_timeout_ms{60000};              ///< close a connection that sends nothing (followers exempt)
	std::size_t max_output_bytes{std::size_t{256} * 1024}; ///< queued output before a client is dropped
};

struct ServerOptions {
	std::string socket_path;
	std::optional<gid_t> group;        ///< members may change state (besides root)
	std::optional<gid_t> socket_group; ///< the socket is root:socket_group 0660 (root:root without)
	ConnectionLimits limits;
	bool keep_vfs{};            ///< clean stop leaves VFs attached
	/// serve the engine's Prometheus text over HTTP here (off without)
	std::optional<ListenAddress> metrics_listen;
	int stop_timeout_ms{30000}; ///< bound on the clean stop
	/// Called once the socket listens and recovered sequences are resumed
	/// (the service manager's readiness), and when a clean stop begins.
	std::function<void()> on_ready;
	std::function<void()> on_stopping;
	/// Called from the io loop every keepalive_interval (the service
	/// manager's watchdog): a loop that stops turning stops calling it.
	std::optional<std::chrono::microseconds> keepalive_interval;
	std::function<void()> on_keepalive;
};

/// Serve until SIGTERM/SIGINT and the clean stop completed.  Returns the
/// process exit code.  Throws std::system_error if the socket cannot be set up.
int run_server(const ServerOptions &opt, seq::Engine &engine, Commands &commands, KernelApi &kernel);

} // namespace sriov::control
