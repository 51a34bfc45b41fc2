// SPDX-License-Identifier: GPL-2.0
//
// sriov-dpdk-sequdp: the paced sequenced-UDP stream of sriov-sequdp, sent
// and received through a DPDK port instead of kernel sockets.  Same datagram
// payload (seqwire.hpp) and the same JSON reports, so tests can mix the two
// tools: a DPDK sender with a kernel receiver and the other way round.
//
//   sriov-dpdk-sequdp send (--iface IF | --pci BDF) --dst-mac MAC --src IP --dst IP
//                          [--port 9000] [--rate 2000] [--count N | --seconds S]
//                          [--size 64] [--ready FILE]
//   sriov-dpdk-sequdp recv (--iface IF | --pci BDF) [--port 9000] [--idle-ms 3000]
//                          [--timeout 600] [--ready FILE] [--out FILE]
//
// --iface IF uses DPDK's af_packet PMD on the kernel netdev IF (no hugepages,
// no PCI device taken away from the kernel); --pci BDF drives a PCI function
// that is already bound to vfio-pci (IOVA as VA, so --no-huge works behind an
// IOMMU).  EAL runs on one lcore without hugepages or shared config
// (--no-shconf, a per-process file prefix): several instances side by side.
//
// EAL start-up takes seconds under TCG: --ready FILE (both modes) is written
// once the port is up, so a test can wait for it before it acts.
// The sender keeps an absolute schedule (datagram i leaves at t0 + i/rate):
// under TCG an unpaced DPDK source overruns every emulated receiver, so
// there is no "as fast as possible" mode.  The af_packet port goes through
// the netdev's qdisc layer (qdisc_bypass=0); but a tc drop on IF's egress
// stalls it (the kernel retries a dropped TX-ring frame on every send).
// The receiver stops when it has every sequence number, after --idle-ms
// without a datagram once the stream has started, at --timeout, or on
// SIGINT/SIGTERM, and prints one JSON object (plus "rx_missed": frames the
// port itself reports as missed).
// Exit status: 0 on success, 1 on bad usage or DPDK errors.

#include "seqreport.hpp"
#include "seqstats.hpp"
#include "seqwire.hpp"
#include "udpframe.hpp"

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include <unistd.h>

#include <algorithm>
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

namespace st = sriov::traffic;

constexpr uint16_t kRxDesc = 1024;
constexpr uint16_t kTxDesc = 512;
constexpr unsigned kPoolMbufs = 4095;
constexpr uint16_t kBurst = 32;

volatile sig_atomic_t g_stop = 0;

void on_signal(int /*sig*/) { g_stop = 1; }

uint64_t now_ns()
{
	timespec ts{};
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ULL +
	       static_cast<uint64_t>(ts.tv_nsec);
}

void sleep_until(uint64_t due)
{
	timespec ts{static_cast<time_t>(due / 1'000'000'000ULL),
		    static_cast<long>(due % 1'000'000'000ULL)};
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
}

using Args = std::map<std::string, std::string>;

std::optional<Args> parse(int argc, char **argv, int first)
{
	Args a;
	for (int i = first; i < argc; ++i) {
		std::string k = argv[i];
		if (k.rfind("--", 0) != 0 || i + 1 >= argc) {
			std::fprintf(stderr, "dpdk-sequdp: bad argument '%s'\n", k.c_str());
			return std::nullopt;
		}
		a[k.substr(2)] = argv[++i];
	}
	return a;
}

std::optional<uint64_t> num(const Args &a, const std::string &k, uint64_t def)
{
	auto it = a.find(k);
	if (it == a.end())
		return def;
	char *end = nullptr;
	errno = 0;
	unsigned long long v = std::strtoull(it->second.c_str(), &end, 10);
	if (errno || !end || *end || it->second.empty()) {
		std::fprintf(stderr, "dpdk-sequdp: --%s wants a number\n", k.c_str());
		return std::nullopt;
	}
	return v;
}

int usage()
{
	std::fprintf(stderr,
		     "usage: sriov-dpdk-sequdp send (--iface IF | --pci BDF) --dst-mac MAC "
		     "--src IP --dst IP [--port P] [--rate PPS] [--count N | --seconds S] "
		     "[--size BYTES] [--ready FILE]\n"
		     "       sriov-dpdk-sequdp recv (--iface IF | --pci BDF) [--port P] "
		     "[--idle-ms MS] [--timeout S] [--ready FILE] [--out FILE]\n");
	return 1;
}

// The EAL, initialised once; rte_eal_cleanup() on scope exit.
class Eal {
public:
	explicit Eal(std::vector<std::string> args)
	{
		std::vector<char *> argv;
		argv.reserve(args.size() + 1);
		for (auto &s : args)
			argv.push_back(s.data());
		argv.push_back(nullptr);
		ok_ = rte_eal_init(static_cast<int>(args.size()), argv.data()) >= 0;
		if (!ok_)
			std::fprintf(stderr, "dpdk-sequdp: EAL init failed: %s\n",
				     rte_strerror(rte_errno));
	}
	Eal(const Eal &) = delete;
	Eal &operator=(const Eal &) = delete;
	~Eal()
	{
		if (ok_)
			rte_eal_cleanup();
	}
	[[nodiscard]] bool ok() const { return ok_; }

private:
	bool ok_ = false;
};

struct MempoolFree {
	void operator()(rte_mempool *mp) const { rte_mempool_free(mp); }
};
using Mempool = std::unique_ptr<rte_mempool, MempoolFree>;

struct MbufFree {
	void operator()(rte_mbuf *m) const { rte_pktmbuf_free(m); }
};
using Mbuf = std::unique_ptr<rte_mbuf, MbufFree>;

// One started ethdev port with one RX and one TX queue; stopped and closed
// on scope exit (before the mempool it uses is freed).
class Port {
public:
	Port(uint16_t id, rte_mempool *mp, bool promisc) : id_(id)
	{
		rte_eth_conf conf{};
		if (int rc = rte_eth_dev_configure(id_, 1, 1, &conf); rc < 0) {
			fail("configure", rc);
			return;
		}
		uint16_t nrx = kRxDesc, ntx = kTxDesc;
		rte_eth_dev_adjust_nb_rx_tx_desc(id_, &nrx, &ntx);
		const int socket = rte_eth_dev_socket_id(id_);
		const unsigned sock = socket < 0 ? 0 : static_cast<unsigned>(socket);
		if (int rc = rte_eth_rx_queue_setup(id_, 0, nrx, sock, nullptr, mp); rc < 0) {
			fail("rx queue setup", rc);
			return;
		}
		if (int rc = rte_eth_tx_queue_setup(id_, 0, ntx, sock, nullptr); rc < 0) {
			fail("tx queue setup", rc);
			return;
		}
		if (int rc = rte_eth_dev_start(id_); rc < 0) {
			fail("start", rc);
			return;
		}
		started_ = true;
		// Not every PMD can (a VF may be refused by its PF): not fatal.
		if (promisc)
			rte_eth_promiscuous_enable(id_);
	}
	Port(const Port &) = delete;
	Port &operator=(const Port &) = delete;
	~Port()
	{
		if (started_)
			rte_eth_dev_stop(id_);
		rte_eth_dev_close(id_);
	}
	[[nodiscard]] bool ok() const { return started_; }
	[[nodiscard]] uint16_t id() const { return id_; }

	[[nodiscard]] st::Mac mac() const
	{
		rte_ether_addr a{};
		rte_eth_macaddr_get(id_, &a);
		st::Mac m{};
		std::copy(std::begin(a.addr_bytes), std::end(a.addr_bytes), m.begin());
		return m;
	}

	// Wait up to `ms` for link up (af_packet reports the netdev's state).
	[[nodiscard]] bool wait_link(unsigned ms) const
	{
		for (unsigned t = 0; t < ms && !g_stop; t += 100) {
			rte_eth_link l{};
			if (rte_eth_link_get_nowait(id_, &l) == 0 && l.link_status)
				return true;
			usleep(100'000);
		}
		return false;
	}

private:
	void fail(const char *what, int rc)
	{
		std::fprintf(stderr, "dpdk-sequdp: port %u %s: %s\n", id_, what, rte_strerror(-rc));
	}

	uint16_t id_;
	bool started_ = false;
};

std::vector<std::string> eal_args(const Args &a)
{
	// --no-huge rules out --in-memory; --no-shconf and a per-process
	// prefix keep instances apart just as well.
	std::vector<std::string> v = {"sriov-dpdk-sequdp", "-l", "0", "--no-huge", "-m", "128",
				      "--no-shconf", "--no-telemetry", "--log-level", "*:warning",
				      "--file-prefix=sequdp" + std::to_string(getpid())};
	if (a.count("pci")) {
		v.emplace_back("-a");
		v.push_back(a.at("pci"));
	} else {
		v.emplace_back("--no-pci");
		// 4096 ring frames (8 MB): a TCG guest stalled for a second
		// must not overflow the ring at the rates the lab uses.
		v.push_back("--vdev=net_af_packet0,iface=" + a.at("iface") +
			    ",qpairs=1,qdisc_bypass=0,blocksz=4096,framesz=2048,framecnt=4096");
	}
	return v;
}

// Set up EAL, mempool and port 0, then run `body(port, pool)`.
template <typename Body> int with_port(const Args &a, bool promisc, Body body)
{
	if (a.count("iface") == a.count("pci")) {
		std::fprintf(stderr, "dpdk-sequdp: give exactly one of --iface and --pci\n");
		return 1;
	}
	Eal eal(eal_args(a));
	if (!eal.ok())
		return 1;
	if (rte_eth_dev_count_avail() < 1 || rte_eth_find_next(0) >= RTE_MAX_ETHPORTS) {
		std::fprintf(stderr, "dpdk-sequdp: no DPDK port\n");
		return 1;
	}
	const auto pid = static_cast<uint16_t>(rte_eth_find_next(0));
	Mempool mp(rte_pktmbuf_pool_create("sequdp", kPoolMbufs, 0, 0,
					   RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY));
	if (!mp) {
		std::fprintf(stderr, "dpdk-sequdp: mempool: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	int rc = 1;
	{
		Port port(pid, mp.get(), promisc);
		if (port.ok()) {
			if (!port.wait_link(10'000))
				std::fprintf(stderr, "dpdk-sequdp: port %u: no link after 10 s\n", pid);
			rc = body(port, mp.get());
		}
	}
	return rc;
}

int do_send(const Args &a)
{
	const auto rate = num(a, "rate", 2000);
	const auto secs = num(a, "seconds", 5);
	const auto cnt = num(a, "count", 0);
	const auto size = num(a, "size", 64);
	const auto port = num(a, "port", 9000);
	if (!rate || !secs || !cnt || !size || !port)
		return 1;
	const uint64_t count = *cnt ? *cnt : *secs * *rate;
	const size_t payload = std::max<size_t>(*size, sizeof(st::SeqWire));
	if (*rate == 0 || *rate > 1'000'000 || count == 0 || payload > st::kMaxUdpPayload ||
	    *port == 0 || *port > 65535 || count >= st::kSeqLimit) {
		std::fprintf(stderr, "dpdk-sequdp: rate 1..1000000, count > 0, size <= %zu, "
				     "port 1..65535\n", st::kMaxUdpPayload);
		return 1;
	}
	if (!a.count("dst-mac") || !a.count("src") || !a.count("dst"))
		return usage();
	st::UdpFlow flow;
	const auto dmac = st::parse_mac(a.at("dst-mac"));
	const auto sip = st::parse_ipv4(a.at("src"));
	const auto dip = st::parse_ipv4(a.at("dst"));
	if (!dmac || !sip || !dip) {
		std::fprintf(stderr, "dpdk-sequdp: bad --dst-mac, --src or --dst\n");
		return 1;
	}
	flow.dst_mac = *dmac;
	flow.src_ip = *sip;
	flow.dst_ip = *dip;
	flow.src_port = static_cast<uint16_t>(*port);
	flow.dst_port = static_cast<uint16_t>(*port);

	return with_port(a, false, [&](Port &p, rte_mempool *mp) {
		flow.src_mac = p.mac();
		if (a.count("ready"))
			std::ofstream(a.at("ready")) << "ready\n";
		const uint64_t period = 1'000'000'000ULL / *rate;
		const uint64_t t0 = now_ns();
		uint64_t sent = 0, errors = 0, late = 0, i = 0;
		for (; i < count && !g_stop; ++i) {
			const uint64_t due = t0 + i * period;
			const uint64_t t = now_ns();
			if (t < due)
				sleep_until(due);
			else if (t - due > period)
				++late;
			Mbuf m(rte_pktmbuf_alloc(mp));
			const size_t len = st::kUdpFrameHdrs + payload;
			char *d = m ? rte_pktmbuf_append(m.get(), static_cast<uint16_t>(len)) : nullptr;
			if (!d) {
				++errors;
				continue;
			}
			std::span<uint8_t> buf(reinterpret_cast<uint8_t *>(d), len);
			std::fill(buf.begin(), buf.end(), 0);
			st::build_udp_headers(buf, flow, payload, static_cast<uint16_t>(i));
			const st::SeqWire w{st::kSeqMagic, 0, i, count, now_ns()};
			std::memcpy(buf.data() + st::kUdpFrameHdrs, &w, sizeof(w));
			// A full TX ring is retried until the next datagram is due
			// (at most 10 ms), then the datagram counts as a send error.
			const uint64_t give_up = now_ns() + std::min<uint64_t>(period, 10'000'000);
			rte_mbuf *raw = m.get();
			bool ok = false;
			for (;;) {
				if (rte_eth_tx_burst(p.id(), 0, &raw, 1) == 1) {
					ok = true;
					break;
				}
				if (now_ns() > give_up || g_stop)
					break;
				usleep(50);
			}
			if (ok) {
				(void)m.release(); // the PMD owns it now
				++sent;
			} else {
				++errors;
			}
		}
		const double secs_run = static_cast<double>(now_ns() - t0) / 1e9;
		// Let the PMD hand the last frames to the device before stopping it.
		usleep(200'000);
		rte_eth_stats s{};
		rte_eth_stats_get(p.id(), &s);
		std::printf("{\"mode\": \"send\", \"sent\": %llu, \"send_errors\": %llu, "
			    "\"attempted\": %llu, \"late\": %llu, \"seconds\": %.3f, "
			    "\"port_opackets\": %llu, \"port_oerrors\": %llu}\n",
			    static_cast<unsigned long long>(sent),
			    static_cast<unsigned long long>(errors),
			    static_cast<unsigned long long>(sent) +
				    static_cast<unsigned long long>(errors),
			    static_cast<unsigned long long>(late), secs_run,
			    static_cast<unsigned long long>(s.opackets),
			    static_cast<unsigned long long>(s.oerrors));
		return 0;
	});
}

int do_recv(const Args &a)
{
	const auto port = num(a, "port", 9000);
	const auto idle_ms = num(a, "idle-ms", 3000);
	const auto timeout_s = num(a, "timeout", 600);
	if (!port || !idle_ms || !timeout_s)
		return 1;
	if (*port > 65535) {
		std::fprintf(stderr, "dpdk-sequdp: --port 0..65535 (0: any)\n");
		return 1;
	}
	return with_port(a, true, [&](Port &p, rte_mempool * /*mp*/) {
		rte_eth_stats_reset(p.id());
		if (a.count("ready"))
			std::ofstream(a.at("ready")) << "ready\n";
		st::SeqStats stats;
		uint64_t total = 0, foreign = 0, last = 0;
		const uint64_t start = now_ns();
		std::vector<rte_mbuf *> burst(kBurst);
		bool done = false;
		while (!g_stop && !done) {
			const uint64_t t = now_ns();
			if (t - start > *timeout_s * 1'000'000'000ULL)
				break;
			if (last && t - last > *idle_ms * 1'000'000ULL)
				break;
			const uint16_t n = rte_eth_rx_burst(p.id(), 0, burst.data(), kBurst);
			if (n == 0) {
				// Polling a TCG guest's only spare vCPU flat out
				// starves the emulated NIC; 200 us is a few frames.
				usleep(200);
				continue;
			}
			const uint64_t when = now_ns();
			for (uint16_t k = 0; k < n; ++k) {
				Mbuf m(burst[k]);
				// Linearise (a multi-segment mbuf is not expected at these sizes).
				if (m->nb_segs != 1) {
					++foreign;
					continue;
				}
				std::span<const uint8_t> f(rte_pktmbuf_mtod(m.get(), const uint8_t *),
							   rte_pktmbuf_data_len(m.get()));
				const auto pl = st::udp_payload(f, static_cast<uint16_t>(*port));
				st::SeqWire w{};
				if (!pl || pl->size() < sizeof(w)) {
					++foreign;
					continue;
				}
				std::memcpy(&w, pl->data(), sizeof(w));
				if (w.magic != st::kSeqMagic || w.seq >= st::kSeqLimit) {
					++foreign;
					continue;
				}
				last = when;
				stats.add(w.seq, when);
				total = w.total;
				if (total && stats.unique() == total)
					done = true;
			}
		}
		rte_eth_stats s{};
		rte_eth_stats_get(p.id(), &s);
		const auto r = stats.report(total);
		std::ostringstream extra;
		extra << ", \"rx_missed\": " << s.imissed << ", \"rx_nombuf\": " << s.rx_nombuf;
		st::publish_report(st::recv_report_json(r, foreign, extra.str()),
			       a.count("out") ? a.at("out") : std::string());
		return 0;
	});
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
