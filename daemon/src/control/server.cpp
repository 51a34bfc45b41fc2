// SPDX-License-Identifier: GPL-2.0
#include "control/server.hpp"

#include "common/log.hpp"

#include <boost/asio.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <set>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace sriov::control {

namespace asio = boost::asio;
using local = asio::local::stream_protocol;
using json = nlohmann::json;

namespace {

Peer peer_of(local::socket &sock, const std::optional<gid_t> &group)
{
	Peer p;
	ucred cred{};
	socklen_t len = sizeof(cred);
	if (::getsockopt(sock.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
		p.uid = static_cast<uid_t>(-1); // unknown peer: unprivileged, and not root for the limits
		return p;
	}
	p.uid = cred.uid;
	p.gid = cred.gid;
	p.pid = cred.pid;
	p.privileged = cred.uid == 0;
	if (!p.privileged && group) {
		if (cred.gid == *group) {
			p.privileged = true;
		} else {
			// supplementary groups of the peer (Linux >= 4.13)
			std::vector<gid_t> groups(256);
			auto glen = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
			if (::getsockopt(sock.native_handle(), SOL_SOCKET, SO_PEERGROUPS, groups.data(), &glen) == 0) {
				groups.resize(glen / sizeof(gid_t));
				for (auto g : groups)
					p.privileged |= g == *group;
			}
		}
	}
	return p;
}

class Server;

class Session : public std::enable_shared_from_this<Session> {
public:
	Session(local::socket sock, Server &srv, Peer peer, const ConnectionLimits &limits)
		: sock_(std::move(sock)), srv_(srv), peer_(peer), limits_(limits), buf_(max_request_bytes + 1),
		  idle_(sock_.get_executor())
	{
	}
	void start()
	{
		arm_idle();
		read();
	}
	/// Queue one line.  @response: the answer to a request (not an event).
	void send(const std::string &line, bool response = true);
	/// Answer with @line and close, without reading anything.
	void refuse(const std::string &line)
	{
		closing_ = true;
		send(line, false);
	}
	void set_following() { following_ = true; }
	[[nodiscard]] const Peer &peer() const { return peer_; }
	[[nodiscard]] bool open() const { return sock_.is_open(); }
	void close()
	{
		boost::system::error_code ec;
		sock_.close(ec);
		idle_.cancel();
	}

private:
	void read();
	void write_next();
	void arm_idle();

	local::socket sock_;
	Server &srv_;
	Peer peer_;
	const ConnectionLimits &limits_;
	asio::streambuf buf_;
	asio::steady_timer idle_;
	std::deque<std::string> out_;
	std::size_t queued_{};  ///< bytes in out_
	std::size_t awaiting_{}; ///< requests not answered yet
	bool following_{};
	bool closing_{};
};

class Server {
public:
	Server(asio::io_context &io, const ServerOptions &opt, seq::Engine &engine, Commands &commands,
	       KernelApi &kernel)
		: io_(io), opt_(opt), engine_(engine), commands_(commands), kernel_(kernel),
		  acceptor_(io), accept_retry_(io), timer_(io), stop_timer_(io), keepalive_(io),
		  signals_(io, SIGTERM, SIGINT),
		  events_(io)
	{
	}

	void start()
	{
		// first: a metrics address that cannot be bound stops the start
		// before the control socket exists
		if (opt_.metrics_listen)
			metrics_ = start_metrics_http(io_, *opt_.metrics_listen, [this] { return engine_.metrics(); });
		::unlink(opt_.socket_path.c_str());
		acceptor_.open(local());
		// Created 0660 (no window with a wider mode): root and the socket
		// group may connect; SO_PEERCRED decides who may change state.
		const mode_t old_mask = ::umask(0117); // NOLINT(cppcoreguidelines-avoid-magic-numbers)
		boost::system::error_code bind_ec;
		acceptor_.bind(local::endpoint(opt_.socket_path), bind_ec);
		::umask(old_mask);
		if (bind_ec)
			throw boost::system::system_error(bind_ec, "bind " + opt_.socket_path);
		if (opt_.socket_group && ::chown(opt_.socket_path.c_str(), static_cast<uid_t>(-1), *opt_.socket_group) != 0)
			log::warn(0, "cannot give ", opt_.socket_path, " to group ", *opt_.socket_group, ": ",
				  std::strerror(errno), "; only root may connect");
		acceptor_.listen();
		accept();
		signals_.async_wait([this](const boost::system::error_code &ec, int sig) { on_signal(ec, sig); });
		if (kernel_.event_fd() >= 0) {
			events_.assign(::dup(kernel_.event_fd()));
			wait_events();
		}
		engine_.on_event = [this](const json &ev) {
			broadcast(ev);
			commands_.on_event(ev);
		};
		schedule();
		if (opt_.keepalive_interval && opt_.on_keepalive)
			keepalive();
		log::info(0, "listening on ", opt_.socket_path);
	}

	void keepalive()
	{
		opt_.on_keepalive();
		keepalive_.expires_after(*opt_.keepalive_interval);
		keepalive_.async_wait([this](const boost::system::error_code &ec) {
			if (!ec)
				keepalive();
		});
	}

	void dispatch(const std::shared_ptr<Session> &s, const Peer &peer, const Request &req)
	{
		std::weak_ptr<Session> weak = s;
		auto reply = [weak](const std::string &line) {
			if (auto sp = weak.lock())
				sp->send(line);
		};
		auto follow = [this, weak] {
			if (auto sp = weak.lock())
				sp->set_following();
			followers_.push_back(weak);
		};
		// lines before the response (progress): not the answer
		auto notify = [weak](const std::string &line) {
			if (auto sp = weak.lock())
				sp->send(line, false);
		};
		if (stopping_ && req.cmd != "status" && req.cmd != "events" && req.cmd != "metrics" && req.cmd != "wait" &&
		    req.cmd != "show" && req.cmd != "version") {
			reply(encode_error(req.id, "shutdown", "sriovd is stopping"));
			return;
		}
		log::debug(0, "request ", req.cmd, " (uid ", peer.uid, ")");
		try {
			commands_.dispatch(req, peer, reply, follow, notify);
		} catch (const std::exception &e) {
			// never let an exception cross the io_context: answer and stay up
			log::error(0, "command ", req.cmd, ": ", e.what());
			reply(encode_error(req.id, "internal_error", e.what()));
		}
		schedule();
	}

	/// Root always gets a connection; other uids get at most
	/// max_connections_per_uid each and max_connections together.
	[[nodiscard]] bool admit(const Peer &peer)
	{
		std::erase_if(sessions_, [](const std::weak_ptr<Session> &w) {
			auto s = w.lock();
			return !s || !s->open();
		});
		if (peer.uid == 0)
			return true;
		std::size_t others = 0;
		std::size_t same = 0;
		for (const auto &w : sessions_) {
			auto s = w.lock();
			if (s->peer().uid == 0)
				continue;
			++others;
			same += s->peer().uid == peer.uid ? 1 : 0;
		}
		return others < opt_.limits.max_connections && same < opt_.limits.max_connections_per_uid;
	}

private:
	void accept()
	{
		acceptor_.async_accept([this](const boost::system::error_code &ec, local::socket sock) {
			if (ec) {
				if (ec == asio::error::operation_aborted)
					return;
				// EMFILE and friends: never stop accepting for good,
				// or root is locked out; retry shortly.
				log::warn(0, "accept: ", ec.message());
				accept_retry_.expires_after(std::chrono::milliseconds(100));
				accept_retry_.async_wait([this](const boost::system::error_code &e) {
					if (!e)
						accept();
				});
				return;
			}
			const Peer peer = peer_of(sock, opt_.group);
			auto s = std::make_shared<Session>(std::move(sock), *this, peer, opt_.limits);
			if (!admit(peer)) {
				if (refused_uids_.insert(peer.uid).second)
					log::warn(0, "uid ", peer.uid, " is at its connection limit (",
						  opt_.limits.max_connections_per_uid, " per uid, ", opt_.limits.max_connections,
						  " for all non-root users); refusing further connections");
				s->refuse(encode_error(nullptr, "too_many_connections", "too many connections"));
			} else {
				refused_uids_.erase(peer.uid);
				sessions_.push_back(s);
				s->start();
			}
			accept();
		});
	}

	void broadcast(const json &ev)
	{
		const std::string line = encode_event(ev);
		std::erase_if(followers_, [](const std::weak_ptr<Session> &w) { return w.expired(); });
		for (auto &w : followers_)
			if (auto s = w.lock())
				s->send(line, false);
	}

	void wait_events()
	{
		events_.async_wait(asio::posix::stream_descriptor::wait_read, [this](const boost::system::error_code &ec) {
			if (ec)
				return;
			guarded("kernel events", [this] { engine_.handle_kernel_events(); });
			schedule();
			wait_events();
		});
	}

	/// Arm the timer for the engine's next deadline; finish a clean stop.
	void schedule()
	{
		guarded("progress", [this] { commands_.poll_progress(); });
		if (stopping_ && engine_.idle()) {
			log::info(0, "clean stop complete");
			finish();
			return;
		}
		auto next = engine_.next_wakeup_mono();
		if (!next) {
			timer_.cancel();
			return;
		}
		using namespace std::chrono;
		const auto now = duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
		timer_.expires_after(milliseconds(std::max<std::int64_t>(*next - now, 0)));
		timer_.async_wait([this](const boost::system::error_code &ec) {
			if (ec)
				return;
			guarded("pump", [this] { engine_.pump(); });
			schedule();
		});
	}

	static void guarded(const char *what, const std::function<void()> &fn)
	{
		try {
			fn();
		} catch (const std::exception &e) {
			log::error(0, what, ": ", e.what());
		}
	}

	void on_signal(const boost::system::error_code &ec, int sig)
	{
		if (ec)
			return;
		if (stopping_) {
			log::warn(0, "second signal ", sig, ": stopping now");
			finish();
			return;
		}
		stopping_ = true;
		if (opt_.on_stopping)
			opt_.on_stopping();
		const std::size_t n = opt_.keep_vfs ? 0 : engine_.release_all();
		log::info(0, "signal ", sig, ": clean stop, releasing ", n, " VF(s)", opt_.keep_vfs ? " (--keep-vfs)" : "");
		stop_timer_.expires_after(std::chrono::milliseconds(opt_.stop_timeout_ms));
		stop_timer_.async_wait([this](const boost::system::error_code &e) {
			if (e)
				return;
			log::warn(0, "clean stop did not finish in ", opt_.stop_timeout_ms, " ms; exiting, the journal resumes it");
			finish();
		});
		signals_.async_wait([this](const boost::system::error_code &e, int s) { on_signal(e, s); });
		schedule();
	}

	void finish()
	{
		boost::system::error_code ec;
		acceptor_.close(ec);
		::unlink(opt_.socket_path.c_str());
		io_.stop();
	}

	asio::io_context &io_;
	const ServerOptions &opt_;
	seq::Engine &engine_;
	Commands &commands_;
	KernelApi &kernel_;
	local::acceptor acceptor_;
	asio::steady_timer accept_retry_;
	asio::steady_timer timer_;
	asio::steady_timer stop_timer_;
	asio::steady_timer keepalive_;
	asio::signal_set signals_;
	asio::posix::stream_descriptor events_;
	std::vector<std::weak_ptr<Session>> sessions_;
	std::vector<std::weak_ptr<Session>> followers_;
	std::set<uid_t> refused_uids_; ///< refusal logged once per episode
	std::unique_ptr<MetricsHttp> metrics_;
	bool stopping_{};
};

void Session::read()
{
	asio::async_read_until(sock_, buf_, '\n',
			       [self = shared_from_this()](const boost::system::error_code &ec, std::size_t n) {
				       if (ec == asio::error::not_found) {
					       // longer than max_request_bytes without a newline
					       self->send(encode_error(nullptr, "request_too_large",
								       "request longer than " +
									       std::to_string(max_request_bytes) + " bytes"));
					       self->closing_ = true;
					       return;
				       }
				       if (ec)
					       return; // peer went away
				       std::string line(asio::buffers_begin(self->buf_.data()),
							asio::buffers_begin(self->buf_.data()) + static_cast<std::ptrdiff_t>(n));
				       self->buf_.consume(n);
				       while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
					       line.pop_back();
				       if (!line.empty()) {
					       auto parsed = parse_request(line);
					       self->arm_idle();
					       if (auto *err = std::get_if<ParseError>(&parsed)) {
						       self->send(encode_error(nullptr, err->code, err->message), false);
					       } else {
						       ++self->awaiting_;
						       self->srv_.dispatch(self, self->peer_, std::get<Request>(parsed));
					       }
				       }
				       if (self->open())
					       self->read();
			       });
}

void Session::send(const std::string &line, bool response)
{
	if (!sock_.is_open())
		return;
	if (response && awaiting_ > 0 && --awaiting_ == 0)
		arm_idle();
	// One line always goes out whatever its size; beyond that a client
	// that does not read is dropped instead of growing sriovd's memory.
	if (!out_.empty() && queued_ + line.size() > limits_.max_output_bytes) {
		log::warn(0, "dropping connection of uid ", peer_.uid, " (pid ", peer_.pid, "): ", queued_ + line.size(),
			  " bytes of output queued, limit ", limits_.max_output_bytes);
		close();
		return;
	}
	out_.push_back(line);
	queued_ += line.size();
	if (out_.size() == 1)
		write_next();
}

void Session::write_next()
{
	asio::async_write(sock_, asio::buffer(out_.front()),
			  [self = shared_from_this()](const boost::system::error_code &ec, std::size_t) {
				  if (ec || self->out_.empty()) {
					  self->close();
					  return;
				  }
				  self->queued_ -= self->out_.front().size();
				  self->out_.pop_front();
				  if (!self->out_.empty())
					  self->write_next();
				  else if (self->closing_)
					  self->close();
			  });
}

/// Close the connection when it has sent nothing for idle_timeout_ms,
/// unless it follows events or waits for an answer.
void Session::arm_idle()
{
	if (limits_.idle_timeout_ms <= 0 || !sock_.is_open())
		return;
	idle_.expires_after(std::chrono::milliseconds(limits_.idle_timeout_ms));
	idle_.async_wait([weak = weak_from_this()](const boost::system::error_code &ec) {
		auto self = weak.lock();
		if (ec || !self || self->following_ || self->awaiting_ > 0)
			return;
		log::debug(0, "closing idle connection of uid ", self->peer_.uid, " (pid ", self->peer_.pid, ")");
		self->close();
	});
}

} // namespace

int run_server(const ServerOptions &opt, seq::Engine &engine, Commands &commands, KernelApi &kernel)
{
	asio::io_context io;
	Server srv(io, opt, engine, commands, kernel);
	srv.start();
	engine.pump();
	if (opt.on_ready)
		opt.on_ready();
	io.run();
	return 0;
}

} // namespace sriov::control
