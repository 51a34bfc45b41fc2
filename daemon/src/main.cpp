// SPDX-License-Identifier: GPL-2.0
// sriovd: composition root.  Parses options, takes the instance lock,
// builds the kernel backend, the journal, the engine and the command
// registry, recovers, and hands over to the Asio server.
//
// Exit codes: 0 clean stop, 1 runtime error, 2 usage error, 3 another
// instance is running, 4 the journal is unusable (unreadable, damaged, an
// unsupported schema version; `sriovd --check-state DIR` says why).
#include "common/clock.hpp"
#include "common/log.hpp"
#include "common/systemd.hpp"
#include "control/cli.hpp"
#include "control/commands.hpp"
#include "control/metrics_http.hpp"
#include "control/server.hpp"
#include "kernel/fake_kernel.hpp"
#include "seq/crash_point.hpp"
#include "seq/engine.hpp"
#include "seq/state_doc.hpp"
#include "store/state_store.hpp"
#ifdef SRIOV_HAVE_REAL_BACKEND
#include "netlink/real_kernel.hpp"
#endif

#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <fcntl.h>
#include <grp.h>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

using namespace sriov;

constexpr int exit_runtime = 1;
constexpr int exit_usage = 2;
constexpr int exit_running = 3;
constexpr int exit_journal = 4;

struct Options {
	std::string socket = "/run/sriovd/sriovd.sock";
	std::string state_dir = "/var/lib/sriovd";
	std::string backend = "real";
	std::string fake_state;       // default: STATE_DIR/fake-kernel.json
	std::string fake_pfs = "0000:01:00.0=enp1s0:7,0000:02:00.0=enp2s0:7";
	std::string group;
	std::optional<std::string> socket_group; // default: --group, else "sriov"
	control::ConnectionLimits limits;
	std::vector<std::string> pfs; // real backend: PFs to manage (default all)
	bool keep_vfs{};
	int pair_timeout_ms{5000};
	int release_timeout_ms{2000};
	int datapath_timeout_ms{3000};
	bool verbose{};
	bool log_time{};
	std::string check_state; // --check-state DIR: validate and exit
	std::uint32_t crash_limit{3};
	std::optional<control::ListenAddress> metrics_listen;
};

/// --fake-pfs: BDF=NETDEV:VFS,... with VFS decimal.
std::string check_fake_pfs(const std::string &spec)
{
	std::stringstream ss(spec);
	std::string item;
	while (std::getline(ss, item, ',')) {
		const auto eq = item.find('=');
		const auto colon = item.rfind(':');
		if (eq == std::string::npos || colon == std::string::npos || colon < eq)
			return "'" + item + "' is not BDF=NETDEV:VFS";
		std::string vfs = item.substr(colon + 1);
		if (auto e = control::cli::decimal(0, 256)(vfs); !e.empty())
			return "'" + item + "': VFS " + std::move(e);
	}
	return {};
}

/// Parse the command line; nullopt and @rc set when sriovd should exit
/// now (0 after --help/--version, exit_usage after a usage error).
std::optional<Options> parse(int argc, char **argv, int &rc)
{
	Options o;
	CLI::App app{"sriovd: the SR-IOV virtualization stack's daemon (Documentation/design/daemon.rst)", "sriovd"};
	app.footer("exit codes: 0 clean stop, 1 runtime error, 2 usage error, 3 another instance is running, "
		   "4 the journal is unusable (see --check-state)");
	app.set_version_flag("--version", "sriovd " + std::string(control::project_version()) + " (control protocol " +
						  std::to_string(control::protocol_version) + ")");
	// an option given twice: the last one counts (options from a unit's
	// EnvironmentFile, then the command line's)
	app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
	app.add_option("--socket", o.socket, "control socket")->capture_default_str()->type_name("PATH");
	app.add_option("--state-dir", o.state_dir, "journal and lock file")->capture_default_str()->type_name("DIR");
	app.add_option("--backend", o.backend, "kernel backend")
		->check(CLI::IsMember({"real", "fake"}))
		->capture_default_str();
	app.add_option("--fake-state", o.fake_state, "fake backend state (default STATE_DIR/fake-kernel.json)")
		->type_name("FILE");
	app.add_option("--fake-pfs", o.fake_pfs, "fake PFs when the state is new: BDF=NETDEV:VFS,...")
		->check(CLI::Validator(check_fake_pfs, "BDF=NETDEV:VFS,...", "fake-pfs"))
		->capture_default_str()
		->type_name("LIST");
	app.add_option("--pf", o.pfs, "real backend: manage this PF (repeatable; default all)")
		->type_name("BDF")
		->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
		->allow_extra_args(false);
	app.add_option("--group", o.group, "members may change state (root always may)")->type_name("NAME");
	app.add_option("--socket-group", o.socket_group,
		       "the socket is root:NAME 0660; members may connect and read (default: the --group, else sriov; "
		       "root:root if it does not exist)")
		->type_name("NAME");
	auto count = [&](const char *name, auto &field, const char *help) {
		app.add_option(name, field, help)
			->transform(control::cli::decimal(1, std::numeric_limits<int>::max()))
			->capture_default_str()
			->type_name("N");
	};
	count("--max-connections", o.limits.max_connections, "connections of all non-root users together");
	count("--max-connections-per-uid", o.limits.max_connections_per_uid,
	      "connections of one non-root uid; root is never refused");
	count("--idle-timeout-ms", o.limits.idle_timeout_ms,
	      "close a connection that sends nothing for N ms (event followers and requests in flight are exempt)");
	count("--max-output-bytes", o.limits.max_output_bytes,
	      "output queued for one connection before it is dropped (one reply of any size always goes out)");
	app.add_flag("--keep-vfs", o.keep_vfs, "a clean stop leaves VFs attached");
	count("--pair-timeout-ms", o.pair_timeout_ms, "bound on the adapter pairing wait");
	count("--release-timeout-ms", o.release_timeout_ms, "graceful release before surprise removal");
	count("--datapath-timeout-ms", o.datapath_timeout_ms, "bound on the adapter switching to the VF");
	app.add_option("--crash-limit", o.crash_limit,
		       "park a sequence found in flight at N daemon starts in a row instead of resuming it "
		       "(0: never park)")
		->transform(control::cli::decimal(0, 1000))
		->capture_default_str()
		->type_name("N");
	app.add_option("--check-state", o.check_state,
		       "validate the journal in DIR offline (exit 0 when a start would accept it, 4 with the reason "
		       "when not) and exit")
		->type_name("DIR");
	std::string metrics_listen;
	app.add_option("--metrics-listen", metrics_listen,
		       "serve Prometheus metrics over HTTP at ADDRESS:PORT/metrics (e.g. 127.0.0.1:9469, [::1]:9469; "
		       "off by default; anyone who reaches the address may read them)")
		->check(CLI::Validator(
			[](const std::string &spec) {
				std::string err;
				return control::parse_listen_address(spec, err) ? std::string() : err;
			},
			"", "metrics-listen"))
		->type_name("ADDRESS:PORT");
	app.add_flag("-v,--verbose", o.verbose, "debug logging");
	app.add_flag("--log-time", o.log_time, "time-stamp log lines (UTC, ms; not needed under journald)");
	try {
		app.parse(argc, argv);
	} catch (const CLI::ParseError &e) {
		if (e.get_exit_code() == 0) { // --help, --version
			rc = app.exit(e);
			return std::nullopt;
		}
		std::cerr << "sriovd: " << control::cli::describe(app, e) << "\n  try `sriovd --help`\n";
		rc = exit_usage;
		return std::nullopt;
	}
	if (!metrics_listen.empty()) {
		std::string err;
		o.metrics_listen = control::parse_listen_address(metrics_listen, err);
	}
	return o;
}

/// The instance lock: an flock held for the life of the process.
class InstanceLock {
public:
	explicit InstanceLock(const std::string &path) : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644))
	{
		if (fd_ < 0)
			throw std::runtime_error("cannot open lock file " + path + ": " + std::strerror(errno));
		if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
			std::string holder(32, '\0');
			const ssize_t n = ::pread(fd_, holder.data(), holder.size() - 1, 0);
			holder.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
			while (!holder.empty() && holder.back() == '\n')
				holder.pop_back();
			::close(fd_);
			fd_ = -1;
			held_by_ = holder.empty() ? "another process" : "pid " + holder;
			return;
		}
		const std::string pid = std::to_string(::getpid()) + "\n";
		if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) < 0)
			sriov::log::warn(0, "cannot record pid in ", path);
	}
	InstanceLock(const InstanceLock &) = delete;
	InstanceLock &operator=(const InstanceLock &) = delete;
	InstanceLock(InstanceLock &&) = delete;
	InstanceLock &operator=(InstanceLock &&) = delete;
	~InstanceLock()
	{
		if (fd_ >= 0)
			::close(fd_);
	}
	[[nodiscard]] bool held() const { return fd_ >= 0; }
	[[nodiscard]] const std::string &held_by() const { return held_by_; }

private:
	int fd_{-1};
	std::string held_by_;
};

bool populate_fake(FakeKernel &fake, const std::string &spec)
{
	std::stringstream ss(spec);
	std::string item;
	while (std::getline(ss, item, ',')) {
		const auto eq = item.find('=');
		const auto colon = item.rfind(':');
		if (eq == std::string::npos || colon == std::string::npos || colon < eq) {
			std::cerr << "sriovd: --fake-pfs entry '" << item << "' is not BDF=NETDEV:VFS\n";
			return false;
		}
		fake.add_pf(item.substr(0, eq), item.substr(eq + 1, colon - eq - 1),
			    static_cast<std::uint32_t>(std::stoul(item.substr(colon + 1))));
	}
	return true;
}

/// This boot's id; SRIOVD_BOOT_ID_FILE (a test hook) names another file.
std::string read_boot_id()
{
	const char *env = std::getenv("SRIOVD_BOOT_ID_FILE"); // NOLINT(concurrency-mt-unsafe): before any thread
	const std::string path = env != nullptr && *env != '\0' ? env : "/proc/sys/kernel/random/boot_id";
	std::ifstream in(path);
	std::string id;
	if (!in || !std::getline(in, id) || id.empty()) {
		log::warn(0, "cannot read the boot id from ", path, ": a reboot will not be recognised");
		return {};
	}
	while (!id.empty() && std::isspace(static_cast<unsigned char>(id.back())) != 0)
		id.pop_back();
	return id;
}

int run(const Options &opt)
{
	std::optional<seq::CrashPoint> crash_at;
	if (const char *env = std::getenv("SRIOVD_CRASH_AT"); env != nullptr && *env != '\0') { // NOLINT(concurrency-mt-unsafe): before any thread
		std::string err;
		crash_at = seq::parse_crash_point(env, err);
		if (!crash_at) {
			std::cerr << "sriovd: SRIOVD_CRASH_AT=" << env << ": " << err << "\n";
			return exit_usage;
		}
	}
	log::set_level(opt.verbose ? log::Level::debug : log::Level::info);
	log::set_timestamps(opt.log_time);
	::mkdir(opt.state_dir.c_str(), 0755);
	InstanceLock lock(opt.state_dir + "/sriovd.lock");
	if (!lock.held()) {
		std::cerr << "sriovd: another instance (" << lock.held_by() << ") is running with state dir "
			  << opt.state_dir << "; stop it first (systemctl stop sriovd)\n";
		return exit_running;
	}

	std::unique_ptr<KernelApi> kernel;
	FakeKernel *fake = nullptr;
	if (opt.backend == "fake") {
		auto f = std::make_unique<FakeKernel>(opt.fake_state.empty() ? opt.state_dir + "/fake-kernel.json"
									     : opt.fake_state);
		if (!f->has_state() && !populate_fake(*f, opt.fake_pfs))
			return exit_usage;
		fake = f.get();
		kernel = std::move(f);
		log::info(0, "backend: fake (state in ", opt.fake_state.empty() ? opt.state_dir + "/fake-kernel.json" : opt.fake_state, ")");
	} else {
#ifdef SRIOV_HAVE_REAL_BACKEND
		kernel = netlink::make_real_kernel(opt.pfs);
#else
		std::cerr << "sriovd: this build has no real backend (include/uapi/linux/sriov.h was missing); use --backend=fake\n";
		return exit_usage;
#endif
	}

	std::optional<gid_t> gid;
	if (!opt.group.empty()) {
		const group *g = ::getgrnam(opt.group.c_str()); // NOLINT(concurrency-mt-unsafe): before any thread
		if (g == nullptr) {
			std::cerr << "sriovd: no group " << opt.group << "\n";
			return exit_usage;
		}
		gid = g->gr_gid;
	}
	std::optional<gid_t> socket_gid;
	const std::string socket_group = opt.socket_group.value_or(opt.group.empty() ? "sriov" : opt.group);
	if (!socket_group.empty()) {
		const group *g = ::getgrnam(socket_group.c_str()); // NOLINT(concurrency-mt-unsafe): before any thread
		if (g == nullptr)
			log::warn(0, "no group ", socket_group, ": the control socket stays root:root 0660 (only root may connect)");
		else
			socket_gid = g->gr_gid;
	}

	SystemClock clock;
	store::StateStore store(opt.state_dir + "/state.json");
	seq::EngineConfig cfg;
	cfg.timeouts.pair_ms = opt.pair_timeout_ms;
	cfg.timeouts.release_ms = opt.release_timeout_ms;
	cfg.timeouts.datapath_ms = opt.datapath_timeout_ms;
	cfg.crash_limit = opt.crash_limit;
	cfg.boot_id = read_boot_id();
	seq::Engine engine(*kernel, store, clock, cfg);
	if (crash_at) {
		// Test hook (Documentation/design/daemon.rst, "Crash test hook").
		log::warn(0, "test hook SRIOVD_CRASH_AT=", crash_at->str(), " armed: SIGKILL at that step boundary");
		engine.crash_hook = [cp = *crash_at](const seq::Record &rec, seq::Step step, bool after) {
			if (!cp.matches(rec, step, after))
				return;
			log::warn(rec.id, "test hook SRIOVD_CRASH_AT=", cp.str(), ": SIGKILL now");
			std::cerr.flush();
			::kill(::getpid(), SIGKILL);
		};
	}
	engine.recover();
	control::Commands commands(engine, *kernel, fake);
	control::ServerOptions sopt{.socket_path = opt.socket,
				    .group = gid,
				    .socket_group = socket_gid,
				    .limits = opt.limits,
				    .keep_vfs = opt.keep_vfs,
				    .metrics_listen = opt.metrics_listen};
	// under systemd (Type=notify, WatchdogSec=); no-ops elsewhere
	sopt.on_ready = systemd::notify_ready;
	sopt.on_stopping = systemd::notify_stopping;
	sopt.keepalive_interval = systemd::watchdog_interval();
	sopt.on_keepalive = systemd::watchdog_ping;
	return control::run_server(sopt, engine, commands, *kernel);
}

} // namespace

int main(int argc, char **argv)
{
	try {
		int rc = 0;
		auto opt = parse(argc, argv, rc);
		if (!opt)
			return rc;
		if (!opt->check_state.empty()) {
			struct stat sb {};
			if (::stat(opt->check_state.c_str(), &sb) != 0 || !S_ISDIR(sb.st_mode)) {
				std::cerr << "sriovd: --check-state " << opt->check_state << ": not a directory\n";
				return exit_runtime;
			}
			try {
				std::cout << seq::check_state(opt->check_state);
			} catch (const store::JournalError &e) {
				std::cerr << "sriovd: " << opt->check_state << ": a start would refuse this journal: " << e.what()
					  << "\n";
				return exit_journal;
			}
			return 0;
		}
		return run(*opt);
	} catch (const store::JournalError &e) {
		std::cerr << "sriovd: journal unusable, not starting (it would forget the VFs it holds): " << e.what()
			  << "\n  inspect it with `sriovd --check-state DIR`; move it away to start empty\n";
		return exit_journal;
	} catch (const std::exception &e) {
		std::cerr << "sriovd: " << e.what() << "\n";
		return exit_runtime;
	}
}
