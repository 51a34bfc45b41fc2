// SPDX-License-Identifier: GPL-2.0
// The step functions behind run_step() (steps.cpp), one file per phase:
// steps_adapter.cpp, steps_attach.cpp, steps_release.cpp,
// steps_migration.cpp.  Shared helpers are defined in steps.cpp.  Only the
// step files include this header.
#pragma once

#include "seq/steps.hpp"

#include <optional>
#include <string>

namespace sriov::seq::step_fn {

// helpers (steps.cpp)
std::string errtext(const Status &st);
std::optional<VportId> default_vport(KernelApi &k, const std::string &pf);
std::optional<VportId> vport_of(KernelApi &k, const std::string &pf, VfIndex vf);
std::optional<VportId> filter_location(KernelApi &k, const std::string &pf, const Filter &f);
model::Assignment *assignment(StepCtx &c, model::Partition &p);

// adapter (steps_adapter.cpp)
StepResult netns_ensure(StepCtx &c, model::Partition &p);
StepResult adapter_create(StepCtx &c, model::Partition &p);
Status filters_on_default(KernelApi &k, const std::string &pf, const model::Partition &p);
Status filters_off(KernelApi &k, const std::string &pf, const model::Partition &p);
StepResult adapter_filter_add(StepCtx &c, model::Partition &p);
StepResult adapter_filter_del(StepCtx &c, model::Partition &p);
StepResult adapter_delete(StepCtx &c, model::Partition &p);

// attach (steps_attach.cpp)
Status vf_claim(KernelApi &k, const std::string &pf, VfIndex vf, std::uint64_t serial, const MacAddr &mac);
StepResult vf_allocate(StepCtx &c, model::Partition &p);
StepResult vport_create(StepCtx &c, model::Partition &p);
StepResult vf_to_child(StepCtx &c, model::Partition &p);
StepResult wait_pair(StepCtx &c, model::Partition &p);
StepResult wait_vf_back(StepCtx &c, model::Partition &p);
StepResult filters_to_vf(StepCtx &c, model::Partition &p);
Status ack_pending(StepCtx &c, const std::string &partition, const AdapterInfo &ad);
Status manual_ack(StepCtx &c, const std::string &partition, const AdapterInfo &ad);
StepResult datapath_vf(StepCtx &c, model::Partition &p);

// release (steps_release.cpp)
StepResult filters_to_default(StepCtx &c, model::Partition &p);
StepResult datapath_synthetic(StepCtx &c, model::Partition &p);
StepResult vf_from_child(StepCtx &c, model::Partition &p);
StepResult vport_delete(StepCtx &c, model::Partition &p);
StepResult vf_flr(StepCtx &c, model::Partition &p);
StepResult vf_free(StepCtx &c, model::Partition &p);

// migration (steps_migration.cpp)
StepResult vf_reserve(StepCtx &c, model::Partition &p);
StepResult reservation_release(StepCtx &c, model::Partition &p);
StepResult switch_to(StepCtx &c, model::Partition &p, const std::string &to, const std::string &from);
StepResult reservation_adopt(StepCtx &c, model::Partition &p);

} // namespace sriov::seq::step_fn
