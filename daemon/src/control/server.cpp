// SPDX-License-Identifier: GPL-2.0
#include "control/server.hpp"

#include "common/log.hpp"

#include <boost/asio.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace sriov::control {

namespace asio = boost::asio;
using local = asio::local::stream_protocol;
using json = nlohmann::json;

namespace {

constexpr std::size_t max_sessions = 64;

Peer peer_of(local::socket &sock, const std::optional<gid_t> &group)
{
	Peer p;
	ucred cred{};
	socklen_t len = sizeof(cred);
	if (::getsockopt(sock.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
		return p; // unknown peer: unprivileged
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
	Session(local::socket sock, Server &srv, Peer peer)
		: sock_(std::move(sock)), srv_(srv), peer_(peer), buf_(max_request_bytes + 1)
	{
	}
	void start() { read(); }
	void send(const std::string &line);
	[[nodiscard]] bool open() const { return sock_.is_open(); }
	void close()
	{
		boost::system::error_code ec;
		sock_.close(ec);
	}

private:
	void read();
	void write_next();

	local::socket sock_;
	Server &srv_;
	Peer peer_;
	asio::streambuf buf_;
	std::deque<std::string> out_;
	bool closing_{};
};

class Server {
public:
	Server(asio::io_context &io, const ServerOptions &opt, seq::Engine &engine, Commands &commands,
	       KernelApi &kernel)
		: io_(io), opt_(opt), engine_(engine), commands_(commands), kernel_(kernel),
		  acceptor_(io), timer_(io), stop_timer_(io), signals_(io, SIGTERM, SIGINT), events_(io)
	{
	}

	void start()
	{
		::unlink(opt_.socket_path.c_str());
		acceptor_.open(local());
		acceptor_.bind(local::endpoint(opt_.socket_path));
		// everyone may connect and read; SO_PEERCRED decides who may change state
		::chmod(opt_.socket_path.c_str(), 0666); // NOLINT(cppcoreguidelines-avoid-magic-numbers)
		acceptor_.listen();
		accept();
		signals_.async_wait([this](const boost::system::error_code &ec, int sig) { on_signal(ec, sig); });
		if (kernel_.event_fd() >= 0) {
			events_.assign(::dup(kernel_.event_fd()));
			wait_events();
		}
		engine_.on_event = [this](const json &ev) { broadcast(ev); };
		schedule();
		log::info(0, "listening on ", opt_.socket_path);
	}

	void dispatch(const std::shared_ptr<Session> &s, const Peer &peer, const Request &req)
	{
		std::weak_ptr<Session> weak = s;
		auto reply = [weak](const std::string &line) {
			if (auto sp = weak.lock())
				sp->send(line);
		};
		auto follow = [this, weak] { followers_.push_back(weak); };
		if (stopping_ && req.cmd != "status" && req.cmd != "events" && req.cmd != "metrics") {
			reply(encode_error(req.id, "shutdown", "sriovd is stopping"));
			return;
		}
		log::debug(0, "request ", req.cmd, " (uid ", peer.uid, ")");
		try {
			commands_.dispatch(req, peer, reply, follow);
		} catch (const std::exception &e) {
			// never let an exception cross the io_context: answer and stay up
			log::error(0, "command ", req.cmd, ": ", e.what());
			reply(encode_error(req.id, "internal_error", e.what()));
		}
		schedule();
	}

	bool admit()
	{
		std::erase_if(sessions_, [](const std::weak_ptr<Session> &w) { return w.expired(); });
		return sessions_.size() < max_sessions;
	}

private:
	void accept()
	{
		acceptor_.async_accept([this](const boost::system::error_code &ec, local::socket sock) {
			if (ec) {
				if (ec != asio::error::operation_aborted)
					log::warn(0, "accept: ", ec.message());
				return;
			}
			const Peer peer = peer_of(sock, opt_.group);
			auto s = std::make_shared<Session>(std::move(sock), *this, peer);
			if (!admit()) {
				s->send(encode_error(nullptr, "bad_request", "too many connections"));
			} else {
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
				s->send(line);
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
	asio::steady_timer timer_;
	asio::steady_timer stop_timer_;
	asio::signal_set signals_;
	asio::posix::stream_descriptor events_;
	std::vector<std::weak_ptr<Session>> sessions_;
	std::vector<std::weak_ptr<Session>> followers_;
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
					       if (auto *err = std::get_if<ParseError>(&parsed))
						       self->send(encode_error(nullptr, err->code, err->message));
					       else
						       self->srv_.dispatch(self, self->peer_, std::get<Request>(parsed));
				       }
				       self->read();
			       });
}

void Session::send(const std::string &line)
{
	if (!sock_.is_open())
		return;
	out_.push_back(line);
	if (out_.size() == 1)
		write_next();
}

void Session::write_next()
{
	asio::async_write(sock_, asio::buffer(out_.front()),
			  [self = shared_from_this()](const boost::system::error_code &ec, std::size_t) {
				  if (ec) {
					  self->close();
					  return;
				  }
				  self->out_.pop_front();
				  if (!self->out_.empty())
					  self->write_next();
				  else if (self->closing_)
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
	io.run();
	return 0;
}

} // namespace sriov::control
