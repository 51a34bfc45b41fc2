// SPDX-License-Identifier: GPL-2.0
// Blocking kernel calls with a bound: sysfs driver bind/unbind and the
// `ip netns add` helper can block in the kernel for as long as a driver's
// remove or probe takes (a VF whose FLR waits for the PCI core's readiness
// timeout: over a minute).  A BoundedCall runs such a call on a thread of
// its own and the caller - sriovd's io thread - waits for it at most the
// bound; past it the call fails with ETIMEDOUT and goes on by itself, and
// the BoundedCall refuses further calls (EBUSY) until it has ended, so at
// most one stuck call exists per BoundedCall.
#pragma once

#include "common/error.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace sriov::netlink {

class BoundedCall {
public:
	/// @what names the calls in errors ("sysfs", "ip netns add").
	explicit BoundedCall(std::string what);
	BoundedCall(const BoundedCall &) = delete;
	BoundedCall &operator=(const BoundedCall &) = delete;
	BoundedCall(BoundedCall &&) = delete;
	BoundedCall &operator=(BoundedCall &&) = delete;
	~BoundedCall() = default;

	/// @f's status if it returns within @bound; ETIMEDOUT if not (@f
	/// goes on by itself); EBUSY while an earlier call that timed out
	/// still runs.
	Status run(const std::function<Status()> &f, std::chrono::milliseconds bound);

	/// Whether a call that timed out still runs.
	[[nodiscard]] bool stuck() const;

private:
	struct Shared;
	std::string what_;
	/// shared with a call's thread, which may outlive this object
	std::shared_ptr<Shared> shared_;
};

} // namespace sriov::netlink
