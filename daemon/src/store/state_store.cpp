// SPDX-License-Identifier: GPL-2.0
#include "store/state_store.hpp"

#include "common/text.hpp"
#include "store/atomic_file.hpp"

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
	// kernel strings (VF netdev names) are bytes: U+FFFD, never a throw
	return write_file_atomic(path_, text::dump_json(doc), durable_);
}

} // namespace sriov::store
