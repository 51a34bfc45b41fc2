// SPDX-License-Identifier: GPL-2.0
// Delegation to another CNI plugin (IPAM): found in CNI_PATH, run with
// the runtime's environment and CNI_COMMAND of our choice, the network
// configuration on stdin; its stdout is its result or its error.
#pragma once

#include "cni.hpp"

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

namespace cni {

/// The executable @type in one of CNI_PATH's directories (throws Error
/// invalid_config when there is none).
std::string find_plugin(const std::string &type, const std::string &cni_path);

/// Run plugin @exe for @command ("ADD", "DEL", "CHECK") with @stdin_text,
/// bounded by @timeout (then killed).  Returns its result document (null
/// when it printed nothing, as DEL and CHECK do); throws Error with the
/// delegate's own code and message when it failed.
nlohmann::json run_plugin(const std::string &exe, const std::string &command, const std::string &stdin_text,
			  std::chrono::milliseconds timeout);

} // namespace cni
