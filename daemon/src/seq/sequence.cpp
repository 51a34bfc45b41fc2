// SPDX-License-Identifier: GPL-2.0
#include "seq/sequence.hpp"

#include <array>
#include <utility>

namespace sriov::seq {

using json = nlohmann::json;

namespace {

constexpr std::array kind_names = {
	std::pair{Kind::adapter_create, "adapter_create"},
	std::pair{Kind::attach, "attach"},
	std::pair{Kind::failover, "failover"},
	std::pair{Kind::surprise, "surprise"},
	std::pair{Kind::migrate_prepare, "migrate_prepare"},
	std::pair{Kind::migrate_complete, "migrate_complete"},
	std::pair{Kind::migrate_abort, "migrate_abort"},
	std::pair{Kind::teardown, "teardown"},
	std::pair{Kind::failback, "failback"},
	std::pair{Kind::recreate, "recreate"},
};

constexpr std::array step_names = {
	std::pair{Step::netns_ensure, "netns_ensure"},
	std::pair{Step::adapter_create, "adapter_create"},
	std::pair{Step::adapter_filter_add, "adapter_filter_add"},
	std::pair{Step::vf_allocate, "vf_allocate"},
	std::pair{Step::vport_create, "vport_create"},
	std::pair{Step::vf_to_child, "vf_to_child"},
	std::pair{Step::wait_pair, "wait_pair"},
	std::pair{Step::filters_to_vf, "filters_to_vf"},
	std::pair{Step::datapath_vf, "datapath_vf"},
	std::pair{Step::filters_to_default, "filters_to_default"},
	std::pair{Step::datapath_synthetic, "datapath_synthetic"},
	std::pair{Step::vf_from_child, "vf_from_child"},
	std::pair{Step::vport_delete, "vport_delete"},
	std::pair{Step::vf_flr, "vf_flr"},
	std::pair{Step::vf_free, "vf_free"},
	std::pair{Step::vf_reserve, "vf_reserve"},
	std::pair{Step::switch_move, "switch_move"},
	std::pair{Step::reservation_adopt, "reservation_adopt"},
	std::pair{Step::reservation_release, "reservation_release"},
	std::pair{Step::switch_back, "switch_back"},
	std::pair{Step::adapter_filter_del, "adapter_filter_del"},
	std::pair{Step::adapter_delete, "adapter_delete"},
	std::pair{Step::partition_forget, "partition_forget"},
	std::pair{Step::wait_vf_back, "wait_vf_back"},
};

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, const char *>, N> &tbl, E v)
{
	for (const auto &[k, n] : tbl)
		if (k == v)
			return n;
	return "unknown";
}

template <class E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, const char *>, N> &tbl, std::string_view s)
{
	for (const auto &[k, n] : tbl)
		if (s == n)
			return k;
	return std::nullopt;
}

} // namespace

std::string_view to_string(Kind k)
{
	return name_of(kind_names, k);
}
std::string_view to_string(Step s)
{
	return name_of(step_names, s);
}
std::optional<Kind> kind_from_string(std::string_view s)
{
	return value_of(kind_names, s);
}
std::optional<Step> step_from_string(std::string_view s)
{
	return value_of(step_names, s);
}

const std::vector<StepTableRow> &step_table()
{
	using enum Step;
	// clang-format off
	static const std::vector<StepTableRow> table = {
//  kind                     steps, then rollback (empty: the kind runs forward)
    {Kind::adapter_create,    {netns_ensure, adapter_create, adapter_filter_add},
                              {adapter_filter_del, adapter_delete, partition_forget}},
    {Kind::attach,            {vf_allocate, vport_create, vf_to_child, wait_pair, filters_to_vf, datapath_vf},
                              {datapath_synthetic, filters_to_default, vf_from_child, vport_delete, vf_flr, vf_free}},
    {Kind::failover,          {datapath_synthetic, filters_to_default, vf_from_child, vport_delete, vf_flr, vf_free},
                              {}},
    // surprise: started by a kernel event: the VF went away
    {Kind::surprise,          {datapath_synthetic, filters_to_default, vf_from_child, vport_delete, vf_flr, vf_free},
                              {}},
    // migrate_prepare: without a VF the failover steps are left out (Engine::migrate_prepare)
    {Kind::migrate_prepare,   {datapath_synthetic, filters_to_default, vf_from_child, vport_delete, vf_flr, vf_free,
                               vf_reserve},
                              {datapath_synthetic, filters_to_default, vf_from_child, vport_delete, vf_flr, vf_free,
                               reservation_release}},
    {Kind::migrate_complete,  {switch_move, reservation_adopt, vport_create, vf_to_child, wait_pair, filters_to_vf,
                               datapath_vf},
                              {datapath_synthetic, filters_to_default, vf_from_child, vport_delete, vf_flr, vf_free,
                               reservation_release, switch_back}},
    {Kind::migrate_abort,     {reservation_release},
                              {}},
    {Kind::teardown,          {datapath_synthetic, filters_to_default, vf_from_child, vport_delete, vf_flr, vf_free,
                               reservation_release, adapter_filter_del, adapter_delete, partition_forget},
                              {}},
    // failback: sriov_pf failed the VF over on its own: the VF back from
    //   its reset (bounded), then attach's order
    {Kind::failback,          {wait_vf_back, vport_create, vf_to_child, wait_pair, filters_to_vf, datapath_vf},
                              {}},
    // recreate: after a reboot, the kernel objects of a partition again
    {Kind::recreate,          {netns_ensure, adapter_create, adapter_filter_add},
                              {}},
	};
	// clang-format on
	return table;
}

namespace {

const StepTableRow &row(Kind k)
{
	for (const auto &r : step_table())
		if (r.kind == k)
			return r;
	static const StepTableRow none{};
	return none;
}

} // namespace

const std::vector<Step> &steps_of(Kind k)
{
	return row(k).steps;
}

const std::vector<Step> &rollback_steps_of(Kind k)
{
	return row(k).rollback;
}

bool is_forward(Kind k)
{
	return !row(k).rollback.empty();
}

json to_json(const Record &r)
{
	json steps = json::array();
	for (auto s : r.steps)
		steps.push_back(std::string(to_string(s)));
	json phases = json::array();
	for (const auto &p : r.phases)
		phases.push_back({{"step", std::string(to_string(p.step))},
				  {"start_ms", p.start_ms},
				  {"end_ms", p.end_ms},
				  {"duration_ms", p.end_ms > 0 ? p.end_ms - p.start_ms : 0},
				  {"result", p.result},
				  {"detail", p.detail}});
	return {{"id", r.id},
		{"kind", std::string(to_string(r.kind))},
		{"partition", r.partition},
		{"steps", steps},
		{"cursor", r.cursor},
		{"step_started", r.step_started},
		{"rolling_back", r.rolling_back},
		{"cause", std::string(to_string(r.cause))},
		{"failure", std::string(to_string(r.failure))},
		{"failure_detail", r.failure_detail},
		{"pf", r.pf},
		{"vf", r.vf ? json(*r.vf) : json(nullptr)},
		{"dest_pf", r.dest_pf},
		{"dest_vf", r.dest_vf ? json(*r.dest_vf) : json(nullptr)},
		{"src_pf", r.src_pf},
		{"hold_ms", r.hold_ms},
		{"start_ms", r.start_ms},
		{"restarts", r.restarts},
		{"parked", r.parked},
		{"phases", phases}};
}

Record record_from_json(const json &j)
{
	Record r;
	r.id = j.at("id").get<std::uint64_t>();
	r.kind = kind_from_string(j.at("kind").get<std::string>()).value();
	r.partition = j.at("partition").get<std::string>();
	for (const auto &s : j.at("steps"))
		r.steps.push_back(step_from_string(s.get<std::string>()).value());
	r.cursor = j.at("cursor").get<std::size_t>();
	r.step_started = j.at("step_started").get<bool>();
	r.rolling_back = j.at("rolling_back").get<bool>();
	r.cause = reason_from_string(j.at("cause").get<std::string>()).value_or(Reason::internal_error);
	r.failure = reason_from_string(j.at("failure").get<std::string>()).value_or(Reason::internal_error);
	r.failure_detail = j.at("failure_detail").get<std::string>();
	r.pf = j.at("pf").get<std::string>();
	if (!j.at("vf").is_null())
		r.vf = j.at("vf").get<std::uint32_t>();
	r.dest_pf = j.at("dest_pf").get<std::string>();
	if (!j.at("dest_vf").is_null())
		r.dest_vf = j.at("dest_vf").get<std::uint32_t>();
	r.src_pf = j.at("src_pf").get<std::string>();
	r.hold_ms = j.at("hold_ms").get<std::int64_t>();
	r.start_ms = j.at("start_ms").get<std::int64_t>();
	// since schema version 3
	r.restarts = j.value("restarts", std::uint32_t{0});
	r.parked = j.value("parked", false);
	for (const auto &p : j.at("phases"))
		r.phases.push_back({.step = step_from_string(p.at("step").get<std::string>()).value(),
				    .start_ms = p.at("start_ms").get<std::int64_t>(),
				    .end_ms = p.at("end_ms").get<std::int64_t>(),
				    .result = p.at("result").get<std::string>(),
				    .detail = p.at("detail").get<std::string>()});
	return r;
}

} // namespace sriov::seq
