// SPDX-License-Identifier: GPL-2.0
// The step dispatcher and the helpers the step files share.  The steps
// themselves are in steps_adapter.cpp, steps_attach.cpp, steps_release.cpp
// and steps_migration.cpp.
#include "seq/steps_impl.hpp"

namespace sriov::seq {

namespace step_fn {

std::string errtext(const Status &st)
{
	return st.msg + " (errno " + std::to_string(st.err) + ")";
}

std::optional<VportId> default_vport(KernelApi &k, const std::string &pf)
{
	auto p = k.pf(pf);
	if (!p)
		return std::nullopt;
	return p->default_vport;
}

/// The VPort the kernel has attached to @vf, from its dump.
std::optional<VportId> vport_of(KernelApi &k, const std::string &pf, VfIndex vf)
{
	for (const auto &v : k.vports(pf))
		if (v.vf && *v.vf == vf)
			return v.id;
	return std::nullopt;
}

/// Where the kernel has @f on @pf, if anywhere.
std::optional<VportId> filter_location(KernelApi &k, const std::string &pf, const Filter &f)
{
	return k.filter_vport(pf, f);
}

model::Assignment *assignment(StepCtx &c, model::Partition &p)
{
	if (!p.vf || !c.rec.vf || p.vf->pf != c.rec.pf || p.vf->vf.value != *c.rec.vf)
		return nullptr;
	return &*p.vf;
}

} // namespace step_fn

StepResult run_step(StepCtx &ctx, Step step)
{
	using namespace step_fn;
	model::Partition *p = ctx.model.partition(ctx.rec.partition);
	if (step == Step::partition_forget) {
		ctx.model.partitions.erase(ctx.rec.partition);
		return StepResult::ok();
	}
	if (p == nullptr)
		return StepResult::fail(Reason::unknown_partition, "partition " + ctx.rec.partition + " gone");
	switch (step) {
	case Step::netns_ensure:
		return netns_ensure(ctx, *p);
	case Step::adapter_create:
		return adapter_create(ctx, *p);
	case Step::adapter_filter_add:
		return adapter_filter_add(ctx, *p);
	case Step::vf_allocate:
		return vf_allocate(ctx, *p);
	case Step::vport_create:
		return vport_create(ctx, *p);
	case Step::vf_to_child:
		return vf_to_child(ctx, *p);
	case Step::wait_pair:
		return wait_pair(ctx, *p);
	case Step::filters_to_vf:
		return filters_to_vf(ctx, *p);
	case Step::datapath_vf:
		return datapath_vf(ctx, *p);
	case Step::filters_to_default:
		return filters_to_default(ctx, *p);
	case Step::datapath_synthetic:
		return datapath_synthetic(ctx, *p);
	case Step::vf_from_child:
		return vf_from_child(ctx, *p);
	case Step::vport_delete:
		return vport_delete(ctx, *p);
	case Step::vf_flr:
		return vf_flr(ctx, *p);
	case Step::vf_free:
		return vf_free(ctx, *p);
	case Step::vf_reserve:
		return vf_reserve(ctx, *p);
	case Step::switch_move:
		return switch_to(ctx, *p, ctx.rec.dest_pf, ctx.rec.src_pf);
	case Step::switch_back:
		return switch_to(ctx, *p, ctx.rec.src_pf, ctx.rec.dest_pf);
	case Step::reservation_adopt:
		return reservation_adopt(ctx, *p);
	case Step::reservation_release:
		return reservation_release(ctx, *p);
	case Step::adapter_filter_del:
		return adapter_filter_del(ctx, *p);
	case Step::adapter_delete:
		return adapter_delete(ctx, *p);
	case Step::wait_vf_back:
		return wait_vf_back(ctx, *p);
	case Step::partition_forget:
		break;
	}
	return StepResult::fail(Reason::internal_error, "unknown step");
}

} // namespace sriov::seq
