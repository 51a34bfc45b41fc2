// SPDX-License-Identifier: GPL-2.0
// Command registry: name -> handler.  Handlers validate arguments, check
// the caller's privilege, and call into the engine.  No sockets here: the
// server hands in a Reply callback that writes one line to the client.
#pragma once

#include "control/protocol.hpp"
#include "kernel/kernel_api.hpp"
#include "seq/engine.hpp"

#include <functional>
#include <map>
#include <string>
#include <sys/types.h>

namespace sriov {
class FakeKernel;
}

namespace sriov::control {

struct Peer {
	uid_t uid{};
	gid_t gid{};
	pid_t pid{};
	bool privileged{}; ///< root, or in the configured group
};

/// Writes one complete response line to the client (keeps it alive).
using Reply = std::function<void(const std::string &line)>;
/// Turns the session into an event follower.
using Follow = std::function<void()>;

class Commands {
public:
	Commands(seq::Engine &engine, KernelApi &kernel, FakeKernel *fake);

	void dispatch(const Request &req, const Peer &peer, const Reply &reply, const Follow &follow);
	/// Names, whether each mutates state and whether it needs privilege.
	[[nodiscard]] nlohmann::json list() const;

private:
	struct Entry {
		bool mutating{};
		bool privileged{}; ///< refused to unprivileged peers (every mutating command is)
		std::string help;
		std::function<void(const Request &, const Reply &, const Follow &)> fn;
	};
	void add(const std::string &name, bool mutating, std::string help,
		 std::function<void(const Request &, const Reply &, const Follow &)> fn);
	/// Mark @name as needing privilege although it only reads.
	void restrict(const std::string &name);
	static void reply_started(const Request &req, const Reply &reply, const seq::StartResult &r, bool wait);

	seq::Engine &engine_;
	KernelApi &kernel_;
	FakeKernel *fake_;
	std::map<std::string, Entry> table_;
};

} // namespace sriov::control
