// SPDX-License-Identifier: GPL-2.0
// The commands for sequences the crash-loop breaker parked, and the fake
// backend's test controls.
#include "control/commands.hpp"

#include "kernel/fake_kernel.hpp"

namespace sriov::control {

using json = nlohmann::json;

void Commands::add_parked_commands()
{
	// the id of a parked sequence, or a bad_request answer
	auto seq_arg = [](const Request &r, const Reply &reply) -> std::uint64_t {
		if (!r.args.contains("seq") || !r.args.at("seq").is_number_integer() || r.args.at("seq").get<std::int64_t>() <= 0) {
			reply(encode_error(r.id, "bad_request", "missing positive integer argument \"seq\""));
			return 0;
		}
		return r.args.at("seq").get<std::uint64_t>();
	};
	add("sequence-resume", true, "run a parked sequence again (args: seq, wait, progress)",
	    [this, seq_arg](const Request &r, const Reply &reply, const Follow &) {
		    const auto seq = seq_arg(r, reply);
		    if (seq == 0)
			    return;
		    const bool wait = !r.args.contains("wait") || r.args.at("wait") == true;
		    auto w = progress_watch(r, reply, wait);
		    auto st = engine_.resume_parked(seq, wait ? done_fn(r.id, reply, w) : seq::DoneFn{});
		    follow_progress(w, st);
		    reply_started(r, reply, st, wait);
	    });
	add("sequence-discard", true,
	    "drop a parked sequence without running it; its partition keeps what sriovd's model holds (args: seq)",
	    [this, seq_arg](const Request &r, const Reply &reply, const Follow &) {
		    const auto seq = seq_arg(r, reply);
		    if (seq == 0)
			    return;
		    reply_started(r, reply, engine_.discard_parked(seq), false);
	    });
}

void Commands::add_fake_command()
{
	if (fake_ != nullptr) {
		add("fake", true, "fake backend only: inject faults / surprise removal, dump state (args: config)",
		    [this](const Request &r, const Reply &reply, const Follow &) {
			    if (r.args.contains("config")) {
				    json cfg = r.args.at("config");
				    if (cfg.is_object() && cfg.contains("journal_fail")) {
					    // test fault: the journal's next writes fail ({"errno": E, "count": N})
					    const auto &jf = cfg.at("journal_fail");
					    engine_.fail_journal_writes(jf.value("errno", 0), jf.value("count", -1));
					    cfg.erase("journal_fail");
				    }
				    auto st = fake_->configure(cfg);
				    if (!st.ok()) {
					    reply(encode_error(r.id, "bad_request", st.msg));
					    return;
				    }
				    engine_.handle_kernel_events();
			    }
			    reply(encode_ok(r.id, fake_->dump()));
		    });
	}
}

} // namespace sriov::control
