// SPDX-License-Identifier: GPL-2.0
#include "store/atomic_file.hpp"

#include "common/unique_fd.hpp"

#include <array>
#include <cerrno>
#include <fcntl.h>
#include <system_error>
#include <sys/stat.h>
#include <unistd.h>

namespace sriov::store {

namespace {

std::string dir_of(const std::string &path)
{
	const auto slash = path.rfind('/');
	if (slash == std::string::npos)
		return ".";
	if (slash == 0)
		return "/";
	return path.substr(0, slash);
}

} // namespace

int write_file_atomic(const std::string &path, const std::string &data, bool durable)
{
	const std::string tmp = path + ".tmp";
	{
		UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
		if (fd.get() < 0)
			return errno;
		std::size_t off = 0;
		while (off < data.size()) {
			const ssize_t n = ::write(fd.get(), data.data() + off, data.size() - off);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				const int e = errno;
				::unlink(tmp.c_str());
				return e;
			}
			off += static_cast<std::size_t>(n);
		}
		if (durable && ::fsync(fd.get()) != 0) {
			const int e = errno;
			::unlink(tmp.c_str());
			return e;
		}
		if (fd.close() != 0)
			return errno;
	}
	if (::rename(tmp.c_str(), path.c_str()) != 0) {
		const int e = errno;
		::unlink(tmp.c_str());
		return e;
	}
	return durable ? fsync_dir_of(path) : 0;
}

int fsync_dir_of(const std::string &path)
{
	UniqueFd dfd(::open(dir_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	if (dfd.get() >= 0 && ::fsync(dfd.get()) != 0)
		return errno;
	return 0;
}

std::optional<std::string> read_file(const std::string &path)
{
	UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
	if (fd.get() < 0) {
		if (errno == ENOENT)
			return std::nullopt;
		throw std::system_error(errno, std::generic_category(), "cannot open " + path);
	}
	std::string out;
	std::array<char, 65536> buf{};
	for (;;) {
		const ssize_t n = ::read(fd.get(), buf.data(), buf.size());
		if (n < 0) {
			if (errno == EINTR)
				continue;
			throw std::system_error(errno, std::generic_category(), "cannot read " + path);
		}
		if (n == 0)
			break;
		out.append(buf.data(), static_cast<std::size_t>(n));
	}
	return out;
}

} // namespace sriov::store
