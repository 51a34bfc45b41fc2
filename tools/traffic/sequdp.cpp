// SPDX-License-Identifier: GPL-2.0
//
// sriov-sequdp: a paced, sequence-numbered UDP stream and its receiver, to
// measure loss, duplicates, reordering and the longest gap across a data
// path switch.
//
//   sriov-sequdp send --dst ADDR [--port 9000] [--rate 2000] [--count N | --seconds S]
//                     [--size 64]
//   sriov-sequdp recv [--port 9000] [--bind ADDR] [--group ADDR] [--idle-ms 3000]
//                     [--timeout 600] [--ready FILE] [--out FILE]
//
// Each datagram carries a magic, its sequence number, the total the sender
// will send and the send time.  The sender keeps an absolute schedule
// (packet i leaves at t0 + i/rate), so a late wake-up does not lower the
// average rate.  The receiver stops when it has every sequence number, when
// the stream has been idle for --idle-ms after it started, at --timeout, or
// on SIGINT/SIGTERM, and prints one JSON object.
// Exit status: 0 on success, 1 on bad usage or socket errors.

#include "seqreport.hpp"
#include "seqstats.hpp"
#include "seqwire.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Wire = sriov::traffic::SeqWire;
constexpr uint32_t kMagic = sriov::traffic::kSeqMagic;

volatile sig_atomic_t g_stop = 0;

void on_signal(int /*sig*/) { g_stop = 1; }

uint64_t now_ns()
{
	timespec ts{};
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ULL +
	       static_cast<uint64_t>(ts.tv_nsec);
}

class Fd {
public:
	explicit Fd(int fd) : fd_(fd) {}
	Fd(const Fd &) = delete;
	Fd &operator=(const Fd &) = delete;
	~Fd()
	{
		if (fd_ >= 0)
			close(fd_);
	}
	[[nodiscard]] int get() const { return fd_; }

private:
	int fd_;
};

using Args = std::map<std::string, std::string>;

std::optional<Args> parse(int argc, char **argv, int first)
{
	Args a;
	for (int i = first; i < argc; ++i) {
		std::string k = argv[i];
		if (k.rfind("--", 0) != 0 || i + 1 >= argc) {
			std::fprintf(stderr, "sequdp: bad argument '%s'\n", k.c_str());
			return std::nullopt;
		}
		a[k.substr(2)] = argv[++i];
	}
	return a;
}

uint64_t num(const Args &a, const std::string &k, uint64_t def)
{
	auto it = a.find(k);
	if (it == a.end())
		return def;
	char *end = nullptr;
	errno = 0;
	unsigned long long v = std::strtoull(it->second.c_str(), &end, 10);
	if (errno || !end || *end) {
		std::fprintf(stderr, "sequdp: --%s wants a number\n", k.c_str());
		std::exit(1);
	}
	return v;
}

int usage()
{
	std::fprintf(stderr,
		     "usage: sriov-sequdp send --dst ADDR [--port P] [--rate PPS] "
		     "[--count N | --seconds S] [--size BYTES]\n"
		     "       sriov-sequdp recv [--port P] [--bind ADDR] [--group ADDR] "
		     "[--idle-ms MS] [--timeout S] [--ready FILE] [--out FILE]\n");
	return 1;
}

int do_send(const Args &a)
{
	auto dst = a.find("dst");
	if (dst == a.end())
		return usage();
	const std::string port = std::to_string(num(a, "port", 9000));
	const uint64_t rate = num(a, "rate", 2000);
	const uint64_t count = a.count("count") ? num(a, "count", 0) : num(a, "seconds", 5) * rate;
	const uint64_t size = std::max<uint64_t>(num(a, "size", 64), sizeof(Wire));
	if (rate == 0 || count == 0 || size > 1472) {
		std::fprintf(stderr, "sequdp: rate and count must be > 0, size <= 1472\n");
		return 1;
	}

	addrinfo hints{};
	hints.ai_socktype = SOCK_DGRAM;
	addrinfo *res = nullptr;
	int err = getaddrinfo(dst->second.c_str(), port.c_str(), &hints, &res);
	if (err) {
		std::fprintf(stderr, "sequdp: %s: %s\n", dst->second.c_str(), gai_strerror(err));
		return 1;
	}
	std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> ai(res, freeaddrinfo);
	Fd s(socket(ai->ai_family, SOCK_DGRAM, 0));
	if (s.get() < 0 || connect(s.get(), ai->ai_addr, ai->ai_addrlen) < 0) {
		std::perror("sequdp: socket/connect");
		return 1;
	}

	std::vector<char> buf(size, 0);
	const uint64_t period = 1'000'000'000ULL / rate;
	const uint64_t t0 = now_ns();
	uint64_t sent = 0, errors = 0, late = 0;
	for (uint64_t i = 0; i < count && !g_stop; ++i) {
		const uint64_t due = t0 + i * period;
		const uint64_t t = now_ns();
		if (t < due) {
			timespec ts{static_cast<time_t>(due / 1'000'000'000ULL),
				    static_cast<long>(due % 1'000'000'000ULL)};
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
		} else if (t - due > period) {
			++late;
		}
		Wire w{kMagic, 0, i, count, now_ns()};
		std::memcpy(buf.data(), &w, sizeof(w));
		if (send(s.get(), buf.data(), buf.size(), 0) == static_cast<ssize_t>(buf.size()))
			++sent;
		else
			++errors; // ENOBUFS, ENETUNREACH, ECONNREFUSED...: a lost send
	}
	const double secs = static_cast<double>(now_ns() - t0) / 1e9;
	std::printf("{\"mode\": \"send\", \"sent\": %llu, \"send_errors\": %llu, "
		    "\"attempted\": %llu, \"late\": %llu, \"seconds\": %.3f}\n",
		    static_cast<unsigned long long>(sent), static_cast<unsigned long long>(errors),
		    static_cast<unsigned long long>(sent + errors),
		    static_cast<unsigned long long>(late), secs);
	return 0;
}

int do_recv(const Args &a)
{
	const std::string port = std::to_string(num(a, "port", 9000));
	const uint64_t idle_ms = num(a, "idle-ms", 3000);
	const uint64_t timeout_s = num(a, "timeout", 600);
	// --group: an IPv4 multicast group to join (on every interface the
	// default route does not decide: the kernel picks by its routes)
	const std::string group = a.count("group") ? a.at("group") : "";
	const std::string bind_addr = a.count("bind") ? a.at("bind") : group.empty() ? "::" : "0.0.0.0";
	ip_mreqn mreq{};
	if (a.count("group") && (inet_pton(AF_INET, group.c_str(), &mreq.imr_multiaddr) != 1 ||
				 !IN_MULTICAST(ntohl(mreq.imr_multiaddr.s_addr)))) {
		std::fprintf(stderr, "sequdp: --group wants an IPv4 multicast address\n");
		return 1;
	}

	addrinfo hints{};
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_PASSIVE;
	addrinfo *res = nullptr;
	int err = getaddrinfo(bind_addr.c_str(), port.c_str(), &hints, &res);
	if (err) {
		std::fprintf(stderr, "sequdp: %s: %s\n", bind_addr.c_str(), gai_strerror(err));
		return 1;
	}
	std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> ai(res, freeaddrinfo);
	Fd s(socket(ai->ai_family, SOCK_DGRAM, 0));
	if (s.get() < 0) {
		std::perror("sequdp: socket");
		return 1;
	}
	int zero = 0, rcvbuf = 4 << 20;
	if (ai->ai_family == AF_INET6)
		setsockopt(s.get(), IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	setsockopt(s.get(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	// kernel receive timestamps: the data path's gaps apart from ours
	int one = 1;
	setsockopt(s.get(), SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	if (bind(s.get(), ai->ai_addr, ai->ai_addrlen) < 0) {
		std::perror("sequdp: bind");
		return 1;
	}
	if (!group.empty() &&
	    setsockopt(s.get(), IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq)) < 0) {
		std::perror("sequdp: IP_ADD_MEMBERSHIP");
		return 1;
	}
	if (a.count("ready")) {
		std::ofstream(a.at("ready")) << "ready\n";
	}

	sriov::traffic::SeqStats st;
	uint64_t total = 0, foreign = 0, last = 0;
	const uint64_t start = now_ns();
	char buf[2048];
	while (!g_stop) {
		const uint64_t t = now_ns();
		if (t - start > timeout_s * 1'000'000'000ULL)
			break;
		if (last && t - last > idle_ms * 1'000'000ULL)
			break;
		pollfd p{s.get(), POLLIN, 0};
		if (poll(&p, 1, 100) <= 0)
			continue;
		alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
		iovec iov{buf, sizeof(buf)};
		msghdr mh{};
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = control;
		mh.msg_controllen = sizeof(control);
		ssize_t n = recvmsg(s.get(), &mh, 0);
		if (n < static_cast<ssize_t>(sizeof(Wire)))
			continue;
		uint64_t rx_ns = 0;
		for (cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
				timespec ts{};
				std::memcpy(&ts, CMSG_DATA(c), sizeof(ts));
				rx_ns = static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ULL +
					static_cast<uint64_t>(ts.tv_nsec);
			}
		}
		Wire w{};
		std::memcpy(&w, buf, sizeof(w));
		if (w.magic != kMagic || w.seq >= sriov::traffic::kSeqLimit) {
			++foreign;
			continue;
		}
		last = now_ns();
		st.add(w.seq, last, rx_ns);
		total = w.total;
		if (total && st.unique() == total)
			break;
	}
	const auto r = st.report(total);
	sriov::traffic::publish_report(sriov::traffic::recv_report_json(r, foreign), a.count("out") ? a.at("out") : std::string());
	return 0;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	std::signal(SIGINT, on_signal);
	std::signal(SIGTERM, on_signal);
	const std::string mode = argv[1];
	auto a = parse(argc, argv, 2);
	if (!a)
		return usage();
	if (mode == "send")
		return do_send(*a);
	if (mode == "recv")
		return do_recv(*a);
	return usage();
}
