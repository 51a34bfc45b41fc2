// SPDX-License-Identifier: GPL-2.0
// The metrics endpoint: a small HTTP/1.1 server (Boost.Beast) on sriovd's
// own io_context that answers GET /metrics with the text a callback
// renders.  It knows HTTP and nothing of what the text says; the engine
// renders the Prometheus exposition (seq/views.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace sriov::control {

/// Where the endpoint listens: a numeric IPv4 or IPv6 address and a port.
struct ListenAddress {
	std::string address;
	std::uint16_t port{};
	[[nodiscard]] std::string str() const;
};

/// Parse "ADDRESS:PORT" (IPv4) or "[ADDRESS]:PORT" (IPv6), PORT 1..65535.
/// Returns nullopt with the reason in @err.
std::optional<ListenAddress> parse_listen_address(const std::string &spec, std::string &err);

class MetricsHttp {
public:
	virtual ~MetricsHttp() = default;
	MetricsHttp() = default;
	MetricsHttp(const MetricsHttp &) = delete;
	MetricsHttp &operator=(const MetricsHttp &) = delete;
	MetricsHttp(MetricsHttp &&) = delete;
	MetricsHttp &operator=(MetricsHttp &&) = delete;
	/// stop accepting and close every connection
	virtual void close() = 0;
};

/// Listen on @where and serve @render's text on the io_context's thread
/// (so @render may read state owned by that thread without locks).
/// Throws std::system_error when the address cannot be bound.
std::unique_ptr<MetricsHttp> start_metrics_http(boost::asio::io_context &io, const ListenAddress &where,
						std::function<std::string()> render);

} // namespace sriov::control
