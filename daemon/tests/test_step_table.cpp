// SPDX-License-Identifier: GPL-2.0
// The step table in Documentation/design/daemon.rst against the code's
// (seq::step_table(), sequence.cpp): the two must list the same kinds with
// the same steps and rollbacks.
#include "seq/sequence.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace sriov {
namespace {

struct Row {
	std::vector<std::string> steps;
	std::vector<std::string> rollback;
	bool operator==(const Row &) const = default;
};

std::vector<std::string> words(const std::string &cell)
{
	std::vector<std::string> out;
	std::string w;
	for (char c : cell + " ") {
		if (c == ',' || c == ' ') {
			if (!w.empty())
				out.push_back(w);
			w.clear();
		} else {
			w += c;
		}
	}
	return out;
}

std::vector<std::string> names(const std::vector<seq::Step> &steps)
{
	std::vector<std::string> out;
	for (auto s : steps)
		out.emplace_back(seq::to_string(s));
	return out;
}

/// The simple table after the ".. step-table:" comment: kind, steps,
/// rollback ("resume": none, the kind runs forward).  A line whose first
/// column is empty continues the row above.
std::map<std::string, Row> doc_table(std::string &err)
{
	const auto path = std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() /
			  "Documentation" / "design" / "daemon.rst";
	std::ifstream in(path);
	if (!in) {
		err = "cannot read " + path.string();
		return {};
	}
	std::vector<std::string> lines;
	for (std::string l; std::getline(in, l);)
		lines.push_back(l);
	std::size_t i = 0;
	while (i < lines.size() && lines[i].rfind(".. step-table:", 0) != 0)
		++i;
	while (i < lines.size() && lines[i].rfind("=", 0) != 0)
		++i;
	if (i + 3 >= lines.size()) {
		err = "no step table (\".. step-table:\" and a simple table) in " + path.string();
		return {};
	}
	std::vector<std::size_t> col;
	const std::string &border = lines[i];
	for (std::size_t c = 0; c < border.size(); ++c)
		if (border[c] == '=' && (c == 0 || border[c - 1] == ' '))
			col.push_back(c);
	if (col.size() != 3 || lines[i + 2] != border) {
		err = "the step table has not the columns kind, steps, rollback";
		return {};
	}
	std::map<std::string, Row> out;
	Row *cur = nullptr;
	for (i += 3; i < lines.size() && lines[i] != border; ++i) {
		const std::string &l = lines[i];
		auto cell = [&](std::size_t c) {
			if (l.size() <= col[c])
				return std::string();
			return l.substr(col[c], c + 1 < col.size() ? col[c + 1] - col[c] : std::string::npos);
		};
		const auto kind = words(cell(0));
		if (!kind.empty()) {
			if (kind.size() != 1 || out.contains(kind[0])) {
				err = "bad or repeated kind in line: " + l;
				return {};
			}
			cur = &out[kind[0]];
		} else if (cur == nullptr) {
			err = "continuation line before any row: " + l;
			return {};
		}
		for (auto &w : words(cell(1)))
			cur->steps.push_back(w);
		for (auto &w : words(cell(2)))
			if (w != "resume")
				cur->rollback.push_back(w);
	}
	if (i == lines.size())
		err = "the step table does not end";
	return out;
}

TEST(StepTable, DocumentationMatchesCode)
{
	std::string err;
	const auto doc = doc_table(err);
	ASSERT_TRUE(err.empty()) << err;
	std::map<std::string, Row> code;
	for (const auto &r : seq::step_table())
		code[std::string(seq::to_string(r.kind))] = {.steps = names(r.steps), .rollback = names(r.rollback)};
	for (const auto &[kind, row] : code) {
		auto it = doc.find(kind);
		ASSERT_NE(it, doc.end()) << "daemon.rst's step table has no row for " << kind;
		EXPECT_EQ(it->second.steps, row.steps) << kind << ": steps";
		EXPECT_EQ(it->second.rollback, row.rollback) << kind << ": rollback";
	}
	for (const auto &[kind, row] : doc)
		EXPECT_TRUE(code.contains(kind)) << "daemon.rst lists " << kind << ", the code does not";
}

TEST(StepTable, OneRowPerKind)
{
	std::map<std::string, int> seen;
	for (const auto &r : seq::step_table()) {
		EXPECT_NE(seq::to_string(r.kind), "unknown");
		EXPECT_FALSE(r.steps.empty()) << seq::to_string(r.kind);
		++seen[std::string(seq::to_string(r.kind))];
	}
	for (const auto &[kind, n] : seen)
		EXPECT_EQ(n, 1) << kind;
	for (const char *k : {"adapter_create", "attach", "failover", "surprise", "migrate_prepare", "migrate_complete",
			      "migrate_abort", "teardown", "failback", "recreate"})
		EXPECT_EQ(seen.count(k), 1U) << k;
}

// migrate_prepare without a VF leaves out as many leading steps as
// failover has: they must be failover's
TEST(StepTable, MigratePrepareStartsWithTheFailoverSteps)
{
	const auto &mp = seq::steps_of(seq::Kind::migrate_prepare);
	const auto &fo = seq::steps_of(seq::Kind::failover);
	ASSERT_GT(mp.size(), fo.size());
	EXPECT_TRUE(std::equal(fo.begin(), fo.end(), mp.begin()));
}

} // namespace
} // namespace sriov
