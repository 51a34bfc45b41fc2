// SPDX-License-Identifier: GPL-2.0
// Control-socket client: connect, send one request, read the response.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace sriovctl {

enum class ClientError { none, connect, permission, timeout, protocol, closed };

class Client {
public:
	Client() = default;
	Client(const Client &) = delete;
	Client &operator=(const Client &) = delete;
	Client(Client &&) = delete;
	Client &operator=(Client &&) = delete;
	~Client();

	/// Connect; on failure err() says why and msg() has the text.
	bool connect(const std::string &path);
	/// Send @cmd and wait up to @timeout_ms for its response; @progress
	/// gets each progress line of the request before it (a request with
	/// "progress": true).
	std::optional<nlohmann::json> call(const std::string &cmd, const nlohmann::json &args, int timeout_ms,
					   const std::function<void(const nlohmann::json &)> &progress = {});
	/// Read event lines until the connection closes; @fn gets each event.
	bool follow(const std::function<void(const nlohmann::json &)> &fn);

	[[nodiscard]] ClientError err() const { return err_; }
	[[nodiscard]] const std::string &msg() const { return msg_; }

private:
	std::optional<std::string> read_line(int timeout_ms);

	int fd_{-1};
	std::string buf_;
	std::uint64_t next_id_{1};
	ClientError err_{ClientError::none};
	std::string msg_;
};

} // namespace sriovctl
