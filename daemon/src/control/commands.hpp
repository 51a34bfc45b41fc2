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
#include <memory>
#include <string>
#include <vector>
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

	/// @notify writes a line that is not the response (progress lines);
	/// without it no progress is sent.
	void dispatch(const Request &req, const Peer &peer, const Reply &reply, const Follow &follow,
		      const Reply &notify = {});
	/// Names, whether each mutates state and whether it needs privilege.
	[[nodiscard]] nlohmann::json list() const;

	/// Send the steps that finished since the last call to the clients
	/// following a sequence's progress.  The server calls it whenever the
	/// engine may have moved (after a request, a pump, kernel events).
	void poll_progress();
	/// Every event the engine records (the server chains it behind its
	/// own broadcast): a sequence's end answers its `wait` requests.
	void on_event(const nlohmann::json &ev);

private:
	/// A client following one sequence: its progress lines (steps as they
	/// finish) and, for `wait`, the response when it ends.
	struct Watch { // NOLINT(bugprone-exception-escape): json members, allocation only
		nlohmann::json id; ///< the request's id
		Reply reply;
		Reply notify;
		std::uint64_t seq{};
		std::size_t sent{}; ///< phases sent so far
		bool progress{};
		bool answer{}; ///< `wait`: send the response when the sequence ends
		bool done{};
	};
	/// Send the steps of @phases from w.sent on that have finished.
	static void send_steps(Watch &w, std::uint64_t seq, const nlohmann::json &phases);
	/// The response to a sequence's end: ok, or its reason as the error.
	static std::string encode_end(const nlohmann::json &id, const nlohmann::json &ev);
	/// A watch for request @r if it asked for progress (and can get it).
	[[nodiscard]] std::shared_ptr<Watch> progress_watch(const Request &r, const Reply &reply, bool wait) const;
	/// The DoneFn of a command that waits: the steps not sent yet, then the response.
	static seq::DoneFn done_fn(const nlohmann::json &id, const Reply &reply, const std::shared_ptr<Watch> &w);
	/// Keep @w (from progress_watch) until the sequence @st started ends.
	void follow_progress(const std::shared_ptr<Watch> &w, const seq::StartResult &st);
	/// `wait` on the running sequence @seq (its steps so far: @phases).
	void watch(const Request &r, const Reply &reply, std::uint64_t seq, const nlohmann::json &phases);
	/// The last sequence event of @partition (or of sequence @seq) in the ring.
	[[nodiscard]] nlohmann::json last_sequence(const std::string &partition, std::uint64_t seq) const;

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
	/// sequence-resume, sequence-discard (commands_seq.cpp)
	void add_parked_commands();
	/// fake: the fake backend's faults and dump, with --backend=fake only (commands_seq.cpp)
	void add_fake_command();
	static void reply_started(const Request &req, const Reply &reply, const seq::StartResult &r, bool wait);

	seq::Engine &engine_;
	KernelApi &kernel_;
	FakeKernel *fake_;
	std::map<std::string, Entry> table_;
	std::vector<std::shared_ptr<Watch>> watches_;
	Reply notify_; ///< the notify of the request being dispatched (during dispatch only)
};

} // namespace sriov::control
