// SPDX-License-Identifier: GPL-2.0
// The metrics endpoint's HTTP side (Boost.Beast on sriovd's io_context).
// One request at a time per connection, keep-alive honoured, bounded by a
// connection cap, a header size limit and an idle timeout: a scraper that
// misbehaves costs sriovd a socket for a few seconds, nothing more.
#include "control/metrics_http.hpp"

#include "common/log.hpp"

// Boost 1.74's asio/awaitable.hpp uses std::exchange without <utility>
#include <utility>

#include <arpa/inet.h>
#include <array>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstddef>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace sriov::control {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string ListenAddress::str() const
{
	const bool v6 = address.find(':') != std::string::npos;
	return (v6 ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

std::optional<ListenAddress> parse_listen_address(const std::string &spec, std::string &err)
{
	const auto colon = spec.rfind(':');
	if (colon == std::string::npos) {
		err = "'" + spec + "' is not ADDRESS:PORT (e.g. 127.0.0.1:9469 or [::1]:9469)";
		return std::nullopt;
	}
	std::string host = spec.substr(0, colon);
	const std::string port = spec.substr(colon + 1);
	bool v6 = false;
	if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
		host = host.substr(1, host.size() - 2);
		v6 = true;
	}
	std::array<unsigned char, sizeof(in6_addr)> buf{};
	if (host.empty() || ::inet_pton(v6 ? AF_INET6 : AF_INET, host.c_str(), buf.data()) != 1) {
		err = "'" + spec + "': '" + host + "' is not a numeric " +
		      (v6 ? std::string("IPv6 address") : std::string("IPv4 address (an IPv6 one goes in brackets)"));
		return std::nullopt;
	}
	unsigned long n = 0;
	bool digits = !port.empty() && port.size() <= 5;
	for (const char c : port) {
		digits = digits && c >= '0' && c <= '9';
		if (digits)
			n = n * 10 + static_cast<unsigned long>(c - '0');
	}
	if (!digits || n < 1 || n > 65535) {
		err = "'" + spec + "': port '" + port + "' is not a number 1..65535";
		return std::nullopt;
	}
	return ListenAddress{.address = host, .port = static_cast<std::uint16_t>(n)};
}

namespace {

constexpr std::size_t max_connections = 16;
constexpr std::uint32_t max_header_bytes = 8192;
constexpr std::uint64_t max_body_bytes = 4096;
constexpr auto idle_timeout = std::chrono::seconds(10);
constexpr const char *content_type = "text/plain; version=0.0.4; charset=utf-8";

class Endpoint;

class Connection : public std::enable_shared_from_this<Connection> {
public:
	Connection(tcp::socket sock, Endpoint &ep) : stream_(std::move(sock)), ep_(ep) {}
	void start() { read(); }
	void close()
	{
		boost::system::error_code ec;
		stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
		stream_.close();
	}

private:
	void read();
	void respond(const http::request<http::string_body> &req);

	beast::tcp_stream stream_;
	Endpoint &ep_;
	beast::flat_buffer buf_;
	std::optional<http::request_parser<http::string_body>> parser_;
	http::response<http::string_body> res_;
};

class Endpoint final : public MetricsHttp {
public:
	Endpoint(asio::io_context &io, const ListenAddress &where, std::function<std::string()> render)
		: acceptor_(io), retry_(io), render_(std::move(render)), where_(where.str())
	{
		const tcp::endpoint ep(asio::ip::make_address(where.address), where.port);
		acceptor_.open(ep.protocol());
		acceptor_.set_option(tcp::acceptor::reuse_address(true));
		if (ep.address().is_v6())
			acceptor_.set_option(asio::ip::v6_only(true));
		boost::system::error_code ec;
		acceptor_.bind(ep, ec);
		if (ec)
			throw std::system_error(ec.value(), std::generic_category(),
						"cannot listen for metrics on " + where_);
		acceptor_.listen();
		log::info(0, "metrics: http://", where_, "/metrics");
		accept();
	}
	Endpoint(const Endpoint &) = delete;
	Endpoint &operator=(const Endpoint &) = delete;
	Endpoint(Endpoint &&) = delete;
	Endpoint &operator=(Endpoint &&) = delete;
	~Endpoint() override
	{
		try {
			close();
		} catch (const std::exception &e) {
			log::warn(0, "metrics: closing: ", e.what());
		}
	}

	void close() override
	{
		boost::system::error_code ec;
		acceptor_.close(ec);
		retry_.cancel();
		for (auto &w : conns_)
			if (auto c = w.lock())
				c->close();
		conns_.clear();
	}

	std::string render() const { return render_(); }

private:
	void accept()
	{
		acceptor_.async_accept([this](const boost::system::error_code &ec, tcp::socket sock) {
			if (ec == asio::error::operation_aborted || !acceptor_.is_open())
				return;
			if (ec) {
				// out of descriptors or the like: try again shortly
				log::warn(0, "metrics: accept: ", ec.message());
				retry_.expires_after(std::chrono::milliseconds(100));
				retry_.async_wait([this](const boost::system::error_code &e) {
					if (!e)
						accept();
				});
				return;
			}
			std::erase_if(conns_, [](const std::weak_ptr<Connection> &w) { return w.expired(); });
			if (conns_.size() >= max_connections) {
				log::debug(0, "metrics: ", max_connections, " connections open, refusing another");
				boost::system::error_code e;
				sock.close(e);
			} else {
				auto c = std::make_shared<Connection>(std::move(sock), *this);
				conns_.push_back(c);
				c->start();
			}
			accept();
		});
	}

	tcp::acceptor acceptor_;
	asio::steady_timer retry_;
	std::function<std::string()> render_;
	std::string where_;
	std::vector<std::weak_ptr<Connection>> conns_;
};

void Connection::read()
{
	parser_.emplace();
	parser_->header_limit(max_header_bytes);
	parser_->body_limit(max_body_bytes); // read (to answer 405), not used
	stream_.expires_after(idle_timeout);
	http::async_read(stream_, buf_, *parser_,
			 [self = shared_from_this()](const boost::system::error_code &ec, std::size_t) {
				 if (ec) {
					 // peer gone, idle, or not HTTP: nothing to answer
					 self->close();
					 return;
				 }
				 self->respond(self->parser_->get());
			 });
}

void Connection::respond(const http::request<http::string_body> &req)
{
	res_ = {};
	res_.version(req.version());
	res_.set(http::field::server, "sriovd");
	res_.keep_alive(req.keep_alive());
	std::string_view target(req.target().data(), req.target().size());
	target = target.substr(0, target.find('?'));
	if (req.method() != http::verb::get) {
		res_.result(http::status::method_not_allowed);
		res_.set(http::field::allow, "GET");
		res_.set(http::field::content_type, "text/plain; charset=utf-8");
		res_.body() = "only GET\n";
	} else if (target != "/metrics") {
		res_.result(http::status::not_found);
		res_.set(http::field::content_type, "text/plain; charset=utf-8");
		res_.body() = "sriovd serves its metrics at /metrics\n";
	} else {
		try {
			res_.body() = ep_.render();
			res_.result(http::status::ok);
			res_.set(http::field::content_type, content_type);
		} catch (const std::exception &e) {
			log::error(0, "metrics: ", e.what());
			res_.result(http::status::internal_server_error);
			res_.set(http::field::content_type, "text/plain; charset=utf-8");
			res_.body() = "sriovd could not render its metrics\n";
		}
	}
	res_.prepare_payload();
	stream_.expires_after(idle_timeout);
	http::async_write(stream_, res_, [self = shared_from_this()](const boost::system::error_code &ec, std::size_t) {
		if (ec || !self->res_.keep_alive()) {
			self->close();
			return;
		}
		self->read();
	});
}

} // namespace

std::unique_ptr<MetricsHttp> start_metrics_http(asio::io_context &io, const ListenAddress &where,
						std::function<std::string()> render)
{
	return std::make_unique<Endpoint>(io, where, std::move(render));
}

} // namespace sriov::control
