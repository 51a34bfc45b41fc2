// SPDX-License-Identifier: GPL-2.0
// The Container Network Interface as a plugin sees it (CNI spec 1.0.0):
// the environment a runtime sets, the network configuration on stdin, the
// error and result documents on stdout.  Protocol only: nothing here
// knows sriovd.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cni {

/// The versions whose configuration and result this plugin reads and
/// writes (0.4.0 results differ from 1.0.0 only by "version" in "ips").
inline constexpr std::array<std::string_view, 2> supported_versions{"0.4.0", "1.0.0"};

/// The spec's well-known error codes (1-99 reserved; 100+ the plugin's).
enum Code : int {
	incompatible_version = 1,
	unsupported_field = 2,
	unknown_container = 3,
	invalid_env = 4,
	io_failure = 5,
	decode_failure = 6,
	invalid_config = 7,
	try_again_later = 11,
	/// sriovd refused a request or its sequence failed
	sriovd_refused = 100,
	/// ADD for a (container, interface) that has an attachment already
	attachment_exists = 101,
	/// the interface in the container's namespace could not be
	/// configured (or CHECK found it not as configured)
	iface_config_failed = 102,
};

/// A failure the plugin reports as the spec's error document.
struct Error : std::runtime_error {
	Error(int c, const std::string &msg, std::string det = {})
		: std::runtime_error(msg), code(c), details(std::move(det))
	{
	}
	int code;
	std::string details;
};

enum class Command : std::uint8_t { add, del, check, version };

/// CNI_* from the environment; which ones a command needs is the spec's.
struct Env {
	Command command{};
	std::string container_id;
	std::string netns; ///< may be empty for DEL
	std::string ifname;
	std::string path;  ///< CNI_PATH: where delegated plugins are looked up
	std::string args;  ///< CNI_ARGS, unused
};

/// Read and check the environment (throws Error invalid_env).
/// @get returns nullopt for an unset variable (getenv in the binary).
Env read_env(const std::function<std::optional<std::string>(const char *)> &get);

/// The network configuration, parsed: the fields every plugin has, and
/// the document itself for the plugin's own fields and delegation.
struct NetConf { // NOLINT(bugprone-exception-escape): json member, allocation only
	std::string cni_version;
	std::string name;
	std::string type;
	nlohmann::json raw;
};

/// Parse stdin's configuration (throws Error decode_failure,
/// invalid_config or incompatible_version).
NetConf parse_netconf(std::string_view text);

/// The error document (the version given, or the newest supported).
std::string encode_error(const std::string &version, const Error &e);
/// The answer to VERSION.
std::string encode_version(const std::string &version);

/// Whether @id is a container id the spec allows: [A-Za-z0-9] then
/// [A-Za-z0-9_.-].
bool valid_container_id(std::string_view id);

/// Whether @name may name a netdev: 1-15 printable ASCII characters
/// without '/', ':' or spaces, not "." or "..".
bool valid_ifname(std::string_view name);

/// Whether @version is among supported_versions.
bool supported(std::string_view version);

/// @result (a 1.0.0 document) as version @version writes it.
nlohmann::json result_for_version(nlohmann::json result, const std::string &version);

/// Problems of @result against the spec's result structure (an empty
/// list: valid).  Used on what a delegated IPAM plugin answers.
std::vector<std::string> ipam_result_problems(const nlohmann::json &result);

} // namespace cni
