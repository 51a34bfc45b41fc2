// SPDX-License-Identifier: GPL-2.0
// An owning file descriptor: closed when it goes, moved but never copied.
#pragma once

#include <unistd.h>

#include <utility>

namespace sriov {

class UniqueFd {
public:
	UniqueFd() = default;
	explicit UniqueFd(int fd) noexcept : fd_(fd) {}
	UniqueFd(const UniqueFd &) = delete;
	UniqueFd &operator=(const UniqueFd &) = delete;
	UniqueFd(UniqueFd &&o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
	UniqueFd &operator=(UniqueFd &&o) noexcept
	{
		if (this != &o)
			reset(std::exchange(o.fd_, -1));
		return *this;
	}
	~UniqueFd() { reset(); }

	[[nodiscard]] int get() const noexcept { return fd_; }
	[[nodiscard]] bool valid() const noexcept { return fd_ >= 0; }
	/// Close it now and say how that went (close()'s result; 0 when
	/// there was nothing to close): for a write whose errors matter.
	int close() noexcept
	{
		const int r = fd_ >= 0 ? ::close(fd_) : 0;
		fd_ = -1;
		return r;
	}
	/// Close what it holds and hold @fd instead.
	void reset(int fd = -1) noexcept
	{
		if (fd_ >= 0)
			::close(fd_);
		fd_ = fd;
	}

private:
	int fd_{-1};
};

} // namespace sriov
