// SPDX-License-Identifier: GPL-2.0
// The I/O layer: one io_context, the AF_UNIX control socket, the kernel
// event descriptor, the engine's wake-up timer and the signals.  All of
// Boost.Asio lives in server.cpp; nothing else includes it.
#pragma once

#include "control/commands.hpp"
#include "kernel/kernel_api.hpp"
#include "seq/engine.hpp"

#include <optional>
#include <string>
#include <sys/types.h>

namespace sriov::control {

struct ServerOptions {
	std::string socket_path;
	std::optional<gid_t> group; ///< members may change state (besides root)
	bool keep_vfs{};            ///< clean stop leaves VFs attached
	int stop_timeout_ms{30000}; ///< bound on the clean stop
};

/// Serve until SIGTERM/SIGINT and the clean stop completed.  Returns the
/// process exit code.  Throws std::system_error if the socket cannot be set up.
int run_server(const ServerOptions &opt, seq::Engine &engine, Commands &commands, KernelApi &kernel);

} // namespace sriov::control
