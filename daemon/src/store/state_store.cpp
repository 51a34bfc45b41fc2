// SPDX-License-Identifier: GPL-2.0
#include "store/state_store.hpp"

#include "common/text.hpp"
#include "store/atomic_file.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace sriov::store {

std::optional<nlohmann::json> StateStore::load() const
{
	if (path_.empty())
		return mem_;
	const auto text = read_file(path_);
	if (!text)
		return std::nullopt;
	nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
	if (doc.is_discarded() || !doc.is_object())
		throw std::runtime_error("state file " + path_ + " is not valid JSON");
	if (doc.value("version", 0) != schema_version)
		throw std::runtime_error("state file " + path_ + " has unsupported schema version " +
					 std::to_string(doc.value("version", 0)));
	return doc;
}

int StateStore::save(const nlohmann::json &doc)
{
	++commits_;
	if (path_.empty()) {
		mem_ = doc;
		return 0;
	}
	const auto t0 = std::chrono::steady_clock::now();
	// kernel strings (VF netdev names) are bytes: U+FFFD, never a throw
	const std::string text = text::dump_json(doc);
	const int err = write_file_atomic(path_, text, durable_);
	const auto ns = static_cast<std::uint64_t>(
		std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count());
	last_bytes_ = text.size();
	write_ns_sum_ += ns;
	write_ns_max_ = std::max(write_ns_max_, ns);
	return err;
}

} // namespace sriov::store
