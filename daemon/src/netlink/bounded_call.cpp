// SPDX-License-Identifier: GPL-2.0
#include "netlink/bounded_call.hpp"

#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

namespace sriov::netlink {

/// The state of the call in flight: one at a time.  [mu]
struct BoundedCall::Shared {
	std::mutex mu;
	std::condition_variable done_cv;
	bool running = false;
	std::optional<Status> result;
};

BoundedCall::BoundedCall(std::string what) : what_(std::move(what)), shared_(std::make_shared<Shared>()) {}

bool BoundedCall::stuck() const
{
	const std::lock_guard lk(shared_->mu);
	return shared_->running;
}

Status BoundedCall::run(const std::function<Status()> &f, std::chrono::milliseconds bound)
{
	auto sh = shared_;
	{
		const std::lock_guard lk(sh->mu);
		if (sh->running)
			return Status::fail(EBUSY, what_ + ": an earlier call has not returned yet");
		sh->running = true;
		sh->result.reset();
	}
	try {
		// detached: a call stuck in the kernel cannot be cancelled; it
		// holds its own reference to the shared state
		std::thread([sh, f] {
			Status st;
			try {
				st = f();
			} catch (const std::exception &e) {
				st = Status::fail(EIO, e.what());
			}
			const std::lock_guard lk(sh->mu);
			sh->result = std::move(st);
			sh->running = false;
			sh->done_cv.notify_all();
		}).detach();
	} catch (const std::system_error &e) {
		const std::lock_guard lk(sh->mu);
		sh->running = false;
		return Status::fail(EAGAIN, what_ + ": cannot start a thread: " + e.what());
	}
	std::unique_lock lk(sh->mu);
	if (!sh->done_cv.wait_for(lk, bound, [&] { return !sh->running; }))
		return Status::fail(ETIMEDOUT, what_ + ": no answer within " + std::to_string(bound.count()) +
						       " ms (the call goes on in the background)");
	return std::move(*sh->result);
}

} // namespace sriov::netlink
