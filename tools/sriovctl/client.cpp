// SPDX-License-Identifier: GPL-2.0
#include "client.hpp"

#include "control/protocol.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace sriovctl {

using json = nlohmann::json;

Client::~Client()
{
	if (fd_ >= 0)
		::close(fd_);
}

bool Client::connect(const std::string &path)
{
	fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd_ < 0) {
		err_ = ClientError::connect;
		msg_ = std::strerror(errno);
		return false;
	}
	sockaddr_un addr{};
	addr.sun_family = AF_UNIX;
	if (path.size() >= sizeof(addr.sun_path)) {
		err_ = ClientError::connect;
		msg_ = "socket path too long";
		return false;
	}
	std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
	if (::connect(fd_, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) != 0) { // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
		const int e = errno;
		err_ = e == EACCES ? ClientError::permission : ClientError::connect;
		msg_ = "cannot connect to " + path + ": " + std::strerror(e);
		return false;
	}
	return true;
}

std::optional<std::string> Client::read_line(int timeout_ms)
{
	using clock = std::chrono::steady_clock;
	const auto deadline = clock::now() + std::chrono::milliseconds(timeout_ms);
	for (;;) {
		const auto nl = buf_.find('\n');
		if (nl != std::string::npos) {
			std::string line = buf_.substr(0, nl);
			buf_.erase(0, nl + 1);
			return line;
		}
		int wait = -1;
		if (timeout_ms >= 0) {
			const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
			if (left <= 0) {
				err_ = ClientError::timeout;
				msg_ = "no answer from sriovd within " + std::to_string(timeout_ms / 1000) + " s";
				return std::nullopt;
			}
			wait = static_cast<int>(left);
		}
		pollfd p{.fd = fd_, .events = POLLIN, .revents = 0};
		const int r = ::poll(&p, 1, wait);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			continue; // deadline check above
		std::array<char, 65536> chunk{};
		const ssize_t n = ::read(fd_, chunk.data(), chunk.size());
		if (n <= 0) {
			err_ = ClientError::closed;
			msg_ = "sriovd closed the connection";
			return std::nullopt;
		}
		buf_.append(chunk.data(), static_cast<std::size_t>(n));
	}
}

std::optional<json> Client::call(const std::string &cmd, const json &args, int timeout_ms,
				 const std::function<void(const json &)> &progress)
{
	const std::uint64_t id = next_id_++;
	const std::string req = sriov::control::encode_request(cmd, args, id);
	std::size_t off = 0;
	std::string write_error;
	while (off < req.size()) {
		// no SIGPIPE: sriovd may have answered and closed already (a
		// refused connection); that answer is still there to read
		const ssize_t n = ::send(fd_, req.data() + off, req.size() - off, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			write_error = std::string("write: ") + std::strerror(errno);
			if (errno == EPIPE || errno == ECONNRESET)
				break;
			err_ = ClientError::closed;
			msg_ = write_error;
			return std::nullopt;
		}
		off += static_cast<std::size_t>(n);
	}
	for (;;) {
		auto line = read_line(write_error.empty() ? timeout_ms : 1000);
		if (!line) {
			if (!write_error.empty()) {
				err_ = ClientError::closed;
				msg_ = write_error;
			}
			return std::nullopt;
		}
		json j = json::parse(*line, nullptr, false);
		if (j.is_discarded() || !j.is_object()) {
			err_ = ClientError::protocol;
			msg_ = "malformed reply from sriovd";
			return std::nullopt;
		}
		if (j.contains("event"))
			continue;
		if (j.contains("progress")) {
			if (progress && j.value("id", json(nullptr)) == json(id))
				progress(j.at("progress"));
			continue;
		}
		if (j.value("id", json(nullptr)) == json(id) || j.value("id", json(nullptr)).is_null())
			return j;
	}
}

bool Client::follow(const std::function<void(const json &)> &fn)
{
	for (;;) {
		auto line = read_line(-1);
		if (!line)
			return false;
		json j = json::parse(*line, nullptr, false);
		if (!j.is_discarded() && j.is_object() && j.contains("event"))
			fn(j.at("event"));
	}
}

} // namespace sriovctl
