// SPDX-License-Identifier: GPL-2.0
#include "control/protocol.hpp"

#include "common/text.hpp"

#include <array>
#include <utility>

namespace sriov::control {

using json = nlohmann::json;

std::variant<Request, ParseError> parse_request(std::string_view line)
{
	if (line.size() > max_request_bytes)
		return ParseError{.code = "request_too_large",
				  .message = "request longer than " + std::to_string(max_request_bytes) + " bytes"};
	json j = json::parse(line.begin(), line.end(), nullptr, false);
	if (j.is_discarded())
		return ParseError{.code = "bad_request", .message = "request is not valid JSON"};
	if (!j.is_object())
		return ParseError{.code = "bad_request", .message = "request must be a JSON object"};
	if (!j.contains("cmd") || !j.at("cmd").is_string())
		return ParseError{.code = "bad_request", .message = "request needs a string \"cmd\""};
	Request r;
	r.id = j.value("id", json(nullptr));
	r.cmd = j.at("cmd").get<std::string>();
	r.args = j.value("args", json::object());
	if (!r.args.is_object())
		return ParseError{.code = "bad_request", .message = "\"args\" must be an object"};
	return r;
}

std::string encode_request(std::string_view cmd, const json &args, std::uint64_t id)
{
	return text::dump_json(json{{"id", id}, {"cmd", cmd}, {"args", args}}) + "\n";
}

std::string encode_ok(const json &id, const json &result)
{
	// results carry kernel strings (netdev names): bytes, not always UTF-8
	return text::dump_json(json{{"id", id}, {"ok", true}, {"result", result}}) + "\n";
}

std::string encode_error(const json &id, std::string_view code, std::string_view message, const json &result)
{
	json j{{"id", id},
	       {"ok", false},
	       {"error", {{"code", code}, {"message", message}, {"hint", hint_for(code)}}}};
	if (!result.is_null())
		j["result"] = result;
	// invalid UTF-8 from a client or the kernel must not make dump() throw
	return text::dump_json(j) + "\n";
}

std::string encode_event(const json &ev)
{
	return text::dump_json(json{{"event", ev}}) + "\n";
}

std::string encode_progress(const json &id, const json &step)
{
	return text::dump_json(json{{"id", id}, {"progress", step}}) + "\n";
}

std::string_view project_version()
{
	return SRIOV_VERSION;
}

std::string_view hint_for(std::string_view code)
{
	static constexpr std::array hints = {
		std::pair{"bad_request", "check the arguments; `sriovctl --help` lists them"},
		std::pair{"request_too_large", "requests are limited to 64 KiB"},
		std::pair{"unknown_command", "`sriovctl list-commands` shows what this sriovd supports"},
		std::pair{"permission_denied", "run as root or as a member of the group sriovd was started with --group"},
		std::pair{"too_many_connections",
			  "close idle connections; sriovd limits each uid (--max-connections-per-uid) and all non-root "
			  "users (--max-connections)"},
		std::pair{"unknown_partition", "`sriovctl list` shows the partitions"},
		std::pair{"unknown_pf", "`sriovctl status` shows the PFs"},
		std::pair{"unknown_vf", "`sriovctl vf show PF` shows the VFs"},
		std::pair{"unknown_sequence",
			  "the sequence is neither running nor among the recent events (`sriovctl events`)"},
		std::pair{"partition_exists", "choose another name or remove the partition first"},
		std::pair{"partition_busy", "a sequence is running; `sriovctl status` shows it, retry when it ends"},
		std::pair{"invalid_state", "`sriovctl status` shows the partition's state"},
		std::pair{"no_vf_available",
			  "detach another partition, raise this partition's weight, or clear quarantined VFs"},
		std::pair{"pair_timeout",
			  "the child's adapter did not claim the VF: is sriov_netvsc loaded and the VF driver bound?"},
		std::pair{"flr_failed", "the VF was quarantined; check dmesg, then `sriovctl vf unquarantine`"},
		std::pair{"vport_create_failed", "the 82576 has 8 pools; free a VF or check dmesg"},
		std::pair{"netdev_missing", "bind a VF driver (igbvf or sriov_vf) to the VF"},
		std::pair{"daemon_restart", "sriovd restarted mid-sequence and rolled it back; retry"},
	};
	for (const auto &[c, h] : hints)
		if (code == c)
			return h;
	return "`sriovctl events` shows the phases of the failed sequence";
}

} // namespace sriov::control
