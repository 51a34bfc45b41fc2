// SPDX-License-Identifier: GPL-2.0
#include "cni.hpp"

#include <algorithm>
#include <cctype>

namespace cni {

using json = nlohmann::json;

bool supported(std::string_view version)
{
	return std::find(supported_versions.begin(), supported_versions.end(), version) != supported_versions.end();
}

bool valid_container_id(std::string_view id)
{
	if (id.empty() || std::isalnum(static_cast<unsigned char>(id.front())) == 0)
		return false;
	return std::all_of(id.begin(), id.end(), [](char c) {
		return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-';
	});
}

bool valid_ifname(std::string_view name)
{
	constexpr std::size_t max_len = 15;
	return !name.empty() && name.size() <= max_len && name != "." && name != ".." &&
	       std::all_of(name.begin(), name.end(), [](char c) { return c > ' ' && c < 0x7f && c != '/' && c != ':'; });
}

Env read_env(const std::function<std::optional<std::string>(const char *)> &get)
{
	Env env;
	const auto cmd = get("CNI_COMMAND");
	if (!cmd || cmd->empty())
		throw Error(invalid_env, "CNI_COMMAND is not set");
	if (*cmd == "ADD")
		env.command = Command::add;
	else if (*cmd == "DEL")
		env.command = Command::del;
	else if (*cmd == "CHECK")
		env.command = Command::check;
	else if (*cmd == "VERSION")
		env.command = Command::version;
	else
		throw Error(invalid_env, "CNI_COMMAND '" + *cmd + "' is not one of ADD, DEL, CHECK, VERSION");
	if (env.command == Command::version)
		return env;
	auto need = [&](const char *var, bool required) {
		const auto v = get(var);
		if (required && (!v || v->empty()))
			throw Error(invalid_env, std::string(var) + " is not set (needed by " + *cmd + ")");
		return v.value_or("");
	};
	env.container_id = need("CNI_CONTAINERID", true);
	// DEL may come after the namespace is gone: the runtime may pass none
	env.netns = need("CNI_NETNS", env.command != Command::del);
	env.ifname = need("CNI_IFNAME", true);
	env.path = need("CNI_PATH", false);
	env.args = need("CNI_ARGS", false);
	if (!valid_container_id(env.container_id))
		throw Error(invalid_env, "CNI_CONTAINERID '" + env.container_id +
						 "' is not [A-Za-z0-9] followed by [A-Za-z0-9_.-]");
	return env;
}

NetConf parse_netconf(std::string_view text)
{
	json j = json::parse(text.begin(), text.end(), nullptr, false);
	if (j.is_discarded())
		throw Error(decode_failure, "the network configuration on stdin is not valid JSON");
	if (!j.is_object())
		throw Error(decode_failure, "the network configuration on stdin is not a JSON object");
	auto str = [&](const char *key) {
		if (!j.contains(key) || !j.at(key).is_string() || j.at(key).get<std::string>().empty())
			throw Error(invalid_config, std::string("the network configuration needs a string \"") + key + "\"");
		return j.at(key).get<std::string>();
	};
	NetConf c;
	c.cni_version = str("cniVersion");
	c.name = str("name");
	c.type = str("type");
	if (!supported(c.cni_version))
		throw Error(incompatible_version, "cniVersion " + c.cni_version + " is not supported",
			    "supported: 0.4.0, 1.0.0");
	c.raw = std::move(j);
	return c;
}

std::string encode_error(const std::string &version, const Error &e)
{
	json j{{"cniVersion", supported(version) ? version : std::string(supported_versions.back())},
	       {"code", e.code},
	       {"msg", e.what()}};
	if (!e.details.empty())
		j["details"] = e.details;
	return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string encode_version(const std::string &version)
{
	json vs = json::array();
	for (const auto v : supported_versions)
		vs.push_back(std::string(v));
	return json{{"cniVersion", supported(version) ? version : std::string(supported_versions.back())},
		    {"supportedVersions", vs}}
		       .dump() +
	       "\n";
}

json result_for_version(json result, const std::string &version)
{
	result["cniVersion"] = version;
	if (version == "0.4.0" && result.contains("ips"))
		for (auto &ip : result.at("ips")) {
			const auto addr = ip.value("address", std::string());
			ip["version"] = addr.find(':') == std::string::npos ? "4" : "6";
		}
	return result;
}

std::vector<std::string> ipam_result_problems(const json &result)
{
	std::vector<std::string> out;
	if (!result.is_object())
		return {"the result is not a JSON object"};
	if (result.contains("ips")) {
		if (!result.at("ips").is_array())
			out.emplace_back(R"("ips" is not an array)");
		else
			for (const auto &ip : result.at("ips"))
				if (!ip.is_object() || !ip.contains("address") || !ip.at("address").is_string() ||
				    ip.at("address").get<std::string>().find('/') == std::string::npos)
					out.emplace_back(R"(an entry of "ips" has no "address" in CIDR notation)");
				else if (ip.contains("gateway") && !ip.at("gateway").is_string())
					out.emplace_back(R"(a "gateway" is not a string)");
	}
	if (result.contains("routes")) {
		if (!result.at("routes").is_array())
			out.emplace_back(R"("routes" is not an array)");
		else
			for (const auto &r : result.at("routes"))
				if (!r.is_object() || !r.contains("dst") || !r.at("dst").is_string())
					out.emplace_back(R"(an entry of "routes" has no string "dst")");
	}
	if (result.contains("dns") && !result.at("dns").is_object())
		out.emplace_back(R"("dns" is not an object)");
	return out;
}

} // namespace cni
