// SPDX-License-Identifier: GPL-2.0
// Time source for the sequences: wall-clock milliseconds for the event log
// and monotonic milliseconds for deadlines.  Tests substitute a manual clock.
#pragma once

#include <chrono>
#include <cstdint>

namespace sriov {

class Clock {
public:
	Clock() = default;
	Clock(const Clock &) = delete;
	Clock &operator=(const Clock &) = delete;
	Clock(Clock &&) = delete;
	Clock &operator=(Clock &&) = delete;
	virtual ~Clock() = default;
	/// Milliseconds since the Unix epoch (event timestamps).
	[[nodiscard]] virtual std::int64_t wall_ms() const = 0;
	/// Monotonic milliseconds (deadlines, durations).
	[[nodiscard]] virtual std::int64_t mono_ms() const = 0;
};

class SystemClock final : public Clock {
public:
	[[nodiscard]] std::int64_t wall_ms() const override
	{
		using namespace std::chrono;
		return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
	}
	[[nodiscard]] std::int64_t mono_ms() const override
	{
		using namespace std::chrono;
		return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
	}
};

/// Test clock: time moves only when advance() is called.
class ManualClock final : public Clock {
public:
	[[nodiscard]] std::int64_t wall_ms() const override { return base_wall_ms + now_; }
	[[nodiscard]] std::int64_t mono_ms() const override { return now_; }
	void advance(std::int64_t ms) { now_ += ms; }

private:
	static constexpr std::int64_t base_wall_ms = 1'700'000'000'000;
	std::int64_t now_{1000};
};

} // namespace sriov
