// SPDX-License-Identifier: GPL-2.0
// The control protocol, shared by sriovd and sriovctl.  Pure functions:
// newline-delimited JSON over an AF_UNIX stream socket.
//
//   request:  {"id": <any>, "cmd": "<name>", "args": {...}}
//   response: {"id": <same>, "ok": true,  "result": {...}}
//             {"id": <same>, "ok": false, "error": {"code": "<reason>",
//                                               "message": "...", "hint": "..."}}
//   event:    {"event": {...}}        (only after "events" with follow=true)
//   progress: {"id": <same>, "progress": {...one finished step...}}
//             (only for a request with "progress": true, before its response)
//
// protocol_version counts what a client may ask of this daemon; the
// "version" command reports it.  Additions keep old clients working: a
// new argument is ignored by an older daemon, a new line kind is sent
// only to a client that asked for it.
//
// See Documentation/sriovctl.rst and Documentation/design/daemon.rst.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>

namespace sriov::control {

/// 1: the commands up to list-commands; 2: "version", "show", "wait" and
/// "progress": true (step lines before a sequence's response).
inline constexpr int protocol_version = 2;

/// The project's version (CMake's project(VERSION)).
std::string_view project_version();

/// Longest request line accepted; longer input is answered with
/// request_too_large and the connection is closed.
inline constexpr std::size_t max_request_bytes = std::size_t{64} * 1024;

struct Request { // NOLINT(bugprone-exception-escape): json members, allocation only
	nlohmann::json id;
	std::string cmd;
	nlohmann::json args;
};

struct ParseError {
	std::string code; ///< a reason code ("bad_request")
	std::string message;
};

std::variant<Request, ParseError> parse_request(std::string_view line);

std::string encode_request(std::string_view cmd, const nlohmann::json &args, std::uint64_t id);
std::string encode_ok(const nlohmann::json &id, const nlohmann::json &result);
std::string encode_error(const nlohmann::json &id, std::string_view code, std::string_view message,
			 const nlohmann::json &result = nullptr);
std::string encode_event(const nlohmann::json &ev);
/// One finished step of the sequence request @id is waiting for.
std::string encode_progress(const nlohmann::json &id, const nlohmann::json &step);

/// What to do about an error code, for humans.
std::string_view hint_for(std::string_view code);

} // namespace sriov::control
