// SPDX-License-Identifier: GPL-2.0
#include "delegate.hpp"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>
#include <vector>

extern char **environ; // NOLINT(readability-redundant-declaration): POSIX, for posix_spawn

namespace cni {

using json = nlohmann::json;

namespace {

/// A pipe whose ends are closed once, when asked or at the end.
class Pipe {
public:
	Pipe()
	{
		std::array<int, 2> p{-1, -1};
		if (::pipe2(p.data(), O_CLOEXEC) != 0)
			throw Error(io_failure, std::string("pipe: ") + std::strerror(errno));
		r_ = p[0];
		w_ = p[1];
	}
	Pipe(const Pipe &) = delete;
	Pipe &operator=(const Pipe &) = delete;
	Pipe(Pipe &&) = delete;
	Pipe &operator=(Pipe &&) = delete;
	~Pipe()
	{
		close_r();
		close_w();
	}
	[[nodiscard]] int r() const { return r_; }
	[[nodiscard]] int w() const { return w_; }
	void close_r() { close(r_); }
	void close_w() { close(w_); }

private:
	static void close(int &fd)
	{
		if (fd >= 0)
			::close(fd);
		fd = -1;
	}
	int r_{-1};
	int w_{-1};
};

/// A child process, reaped (killed first if still running) when it goes.
class Child {
public:
	explicit Child(pid_t pid) : pid_(pid) {}
	Child(const Child &) = delete;
	Child &operator=(const Child &) = delete;
	Child(Child &&) = delete;
	Child &operator=(Child &&) = delete;
	~Child()
	{
		if (pid_ > 0) {
			::kill(pid_, SIGKILL);
			int st = 0;
			while (::waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
			}
		}
	}
	/// Wait for its exit status (it closed its stdout already).
	int wait()
	{
		int st = 0;
		while (::waitpid(pid_, &st, 0) < 0)
			if (errno != EINTR)
				throw Error(io_failure, std::string("waitpid: ") + std::strerror(errno));
		pid_ = -1;
		return st;
	}

private:
	pid_t pid_;
};

/// posix_spawn's file actions, destroyed once.
struct FileActions {
	FileActions() { posix_spawn_file_actions_init(&fa); }
	FileActions(const FileActions &) = delete;
	FileActions &operator=(const FileActions &) = delete;
	FileActions(FileActions &&) = delete;
	FileActions &operator=(FileActions &&) = delete;
	~FileActions() { posix_spawn_file_actions_destroy(&fa); }
	posix_spawn_file_actions_t fa{};
};

/// posix_spawn's attributes: the child gets SIGPIPE's default action back
/// (this process ignores it, see run_plugin).
struct SpawnAttr {
	SpawnAttr()
	{
		posix_spawnattr_init(&attr);
		sigset_t def;
		sigemptyset(&def);
		sigaddset(&def, SIGPIPE);
		posix_spawnattr_setsigdefault(&attr, &def);
		posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
	}
	SpawnAttr(const SpawnAttr &) = delete;
	SpawnAttr &operator=(const SpawnAttr &) = delete;
	SpawnAttr(SpawnAttr &&) = delete;
	SpawnAttr &operator=(SpawnAttr &&) = delete;
	~SpawnAttr() { posix_spawnattr_destroy(&attr); }
	posix_spawnattr_t attr{};
};

} // namespace

std::string find_plugin(const std::string &type, const std::string &cni_path)
{
	if (type.empty() || type.find('/') != std::string::npos || type == "." || type == "..")
		throw Error(invalid_config, "IPAM type '" + type + "' is not a plugin name");
	std::size_t start = 0;
	while (start <= cni_path.size()) {
		auto end = cni_path.find(':', start);
		if (end == std::string::npos)
			end = cni_path.size();
		const std::string dir = cni_path.substr(start, end - start);
		if (!dir.empty()) {
			std::string exe = dir;
			exe += '/';
			exe += type;
			struct stat st {};
			if (::stat(exe.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(exe.c_str(), X_OK) == 0)
				return exe;
		}
		start = end + 1;
	}
	throw Error(invalid_config, "IPAM plugin '" + type + "' not found in CNI_PATH (" + cni_path + ")");
}

json run_plugin(const std::string &exe, const std::string &command, const std::string &stdin_text,
		std::chrono::milliseconds timeout)
{
	// a delegate that exits without reading its stdin must not kill
	// us with SIGPIPE: the write fails with EPIPE instead
	(void)std::signal(SIGPIPE, SIG_IGN);
	Pipe in;
	Pipe out;
	FileActions fa;
	const SpawnAttr sa;
	posix_spawn_file_actions_adddup2(&fa.fa, in.r(), STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa.fa, out.w(), STDOUT_FILENO);
	// the environment is the runtime's, CNI_COMMAND ours
	std::vector<std::string> envs;
	for (char **e = environ; e != nullptr && *e != nullptr; ++e) // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
		if (std::strncmp(*e, "CNI_COMMAND=", 12) != 0)
			envs.emplace_back(*e);
	envs.push_back("CNI_COMMAND=" + command);
	std::vector<char *> envp;
	envp.reserve(envs.size() + 1);
	for (auto &s : envs)
		envp.push_back(s.data());
	envp.push_back(nullptr);
	std::string arg0 = exe;
	std::array<char *, 2> argv{arg0.data(), nullptr};
	pid_t pid = 0;
	if (const int e = posix_spawn(&pid, exe.c_str(), &fa.fa, &sa.attr, argv.data(), envp.data()); e != 0)
		throw Error(io_failure, "cannot run " + exe + ": " + std::strerror(e));
	Child child(pid);
	in.close_r();
	out.close_w();
	// IPAM plugins read all of stdin before they answer: write it, then read
	std::size_t off = 0;
	while (off < stdin_text.size()) {
		const ssize_t n = ::write(in.w(), stdin_text.data() + off, stdin_text.size() - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break; // it exited without reading: its status says why
		off += static_cast<std::size_t>(n);
	}
	in.close_w();
	using clock = std::chrono::steady_clock;
	const auto deadline = clock::now() + timeout;
	std::string text;
	for (;;) {
		const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
		if (left <= 0) {
			std::string msg = exe;
			msg.append(" ").append(command).append(" did not finish within ");
			msg.append(std::to_string(timeout.count() / 1000)).append(" s (killed)");
			throw Error(try_again_later, msg);
		}
		pollfd p{.fd = out.r(), .events = POLLIN, .revents = 0};
		const int r = ::poll(&p, 1, static_cast<int>(left));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue;
		std::array<char, 4096> buf{};
		const ssize_t n = ::read(out.r(), buf.data(), buf.size());
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		text.append(buf.data(), static_cast<std::size_t>(n));
	}
	const int st = child.wait();
	json j = text.find_first_not_of(" \t\r\n") == std::string::npos ? json(nullptr)
									 : json::parse(text, nullptr, false);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		if (j.is_object() && j.contains("code") && j.at("code").is_number_integer())
			throw Error(j.at("code").get<int>(), exe + " " + command + ": " + j.value("msg", std::string()),
				    j.value("details", std::string()));
		throw Error(io_failure, exe + " " + command + " failed (" +
						(WIFEXITED(st) ? "exit status " + std::to_string(WEXITSTATUS(st))
							       : "signal " + std::to_string(WTERMSIG(st))) +
						") without an error document");
	}
	if (j.is_discarded())
		throw Error(decode_failure, exe + " " + command + " printed something that is not JSON");
	return j;
}

} // namespace cni
