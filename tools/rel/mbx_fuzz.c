// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile VF at volume, the C version of tools/rel/mbx_fuzz.py (same
 * message mix and counters; about 10x less CPU per message, which matters
 * under TCG for 1,000,000 messages): COUNT mailbox messages written
 * through the VF's BAR0 (sysfs resource0 mmap, VF driver unbound).
 *
 *   - flood: messages back to back - a random type (the protocol's, the
 *     project's GET_CONFIG, or any 16-bit value), random INFO byte,
 *     ACK/NACK/CTS bits, 1-16 words of payload;
 *   - paced: every PACED_EVERY-th message (default 200, or COUNT/1000
 *     if more: at most 1,000 paced requests) three tokens back in the
 *     PF's bucket (150 ms), the buffer taken as a VF driver takes it (VFU
 *     read back), a stale PF message drained, then one request sent and
 *     its reply awaited (PFSTS, at most 2 s), read and acknowledged.  A
 *     VF that lost CTS or may have lost it (bare NACK, no reply, FLR,
 *     abuse that held VFU) first runs the reset handshake, paced the same
 *     way, so every paced request is owed a reply.  Every reply must be a
 *     valid e1000 mailbox reply: to VF_RESET exactly RESET|ACK and a
 *     MAC; to other requests the request's type and INFO with CTS and ACK
 *     or NACK (GET_CONFIG: its magic in word 1), or a bare NACK without
 *     CTS; a
 *     PF_CONTROL ping is skipped.  A request that carries ACK or NACK
 *     must get no reply (the PF ignores it);
 *   - protocol abuse between messages (1 %): VFU held, ACK without a
 *     message, random control bits, a plain read; and a function-level
 *     reset (sysfs reset file) every COUNT/4 messages (1,000..50,000).
 *
 * Usage: mbx_fuzz VF_BDF COUNT [SEED] [PACED_EVERY]
 * SEED defaults to $SOAK_SEED, else the time; the same SEED sends the same
 * messages.  Prints one JSON line of counters (with the seed): "expected"
 * paced requests owed a reply, "answered" of them, "bad" invalid replies
 * (the first in "first_bad"), "resets"/"resets_ok" handshakes.
 * Build: cc -O2 -o mbx_fuzz mbx_fuzz.c
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define V2P (0x0C40 / 4)
#define VMBMEM (0x0800 / 4)
#define REQ 0x01
#define ACK 0x02
#define VFU 0x04
#define PFSTS 0x10
#define PFACK 0x20
#define M_ACK 0x80000000u
#define M_NACK 0x40000000u
#define M_CTS 0x20000000u
#define T_RESET 0x0001
#define T_CONFIG 0x00C0
#define T_PF_CONTROL 0x0100
#define CONFIG_MAGIC 0x53525631u
#define REPLY_S 2.0
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const uint16_t types[] = { 0x0001, 0x0002, 0x0003, 0x0004, 0x0005,
				  0x0006, 0x0008, 0x0009, 0x000A, 0x000B,
				  0x00C0, 0x0100, 0x0000, 0xFFFF };
static const uint32_t sizes[] = { 0, 1, 100, 4095, 4096, 9000, 0xFFFFFFFF };
static const unsigned int lens[] = { 1, 1, 2, 3, 4, 8, 16 };

static uint64_t rs;
/* MMIO: every access must reach the device, in program order */
static volatile uint32_t *bar;
static unsigned long posted, flood, npaced, replies, no_reply, abuses, flr,
	flr_failed, expected, answered, bad, resets, resets_ok, unsolicited;
static char first_bad[128];
/* PFSTS/PFACK are read-to-clear: what the reads saw is collected here */
static uint32_t seen;
static int cts;

/* xorshift64*: fast, seeded, reproducible */
static uint32_t rnd32(void)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return (uint32_t)((rs * 0x2545F4914F6CDD1DULL) >> 32);
}

static unsigned int below(unsigned int n)
{
	return (unsigned int)(((uint64_t)rnd32() * n) >> 32);
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static uint32_t v2p(void)
{
	uint32_t v = bar[V2P];

	seen |= v & (PFSTS | PFACK);
	return v;
}

static void random_message(uint32_t *w, unsigned int *len)
{
	unsigned int n, i, r;
	uint16_t t;

	t = below(100) < 85 ? types[below(ARRAY_SIZE(types))] :
			      (uint16_t)rnd32();
	w[0] = t | (rnd32() & 0xff) << 16;
	r = below(100);
	if (r < 5)
		w[0] |= M_ACK;	/* carries ACK */
	else if (r < 10)
		w[0] |= M_NACK;	/* carries NACK */
	else if (r < 12)
		w[0] |= M_CTS;
	n = lens[below(ARRAY_SIZE(lens))];
	for (i = 1; i < n; i++)
		w[i] = rnd32();
	if (n > 2 && (t == 2 || t == 4 || t == 5) && (rnd32() & 1)) {
		w[1] = sizes[below(ARRAY_SIZE(sizes))];
		w[2] = rnd32() & 0xffff;
	}
	*len = n;
}

static void post(const uint32_t *w, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		bar[VMBMEM + i] = w[i];
	bar[V2P] = REQ;		/* also drops VFU */
	posted++;
}

static void post_message(void)
{
	uint32_t w[16];
	unsigned int n;

	random_message(w, &n);
	post(w, n);
}

/* take the buffer as a VF driver does: VFU set and read back */
static int vf_lock(void)
{
	double end = mono() + REPLY_S;

	while (mono() < end) {
		bar[V2P] = VFU;
		if (v2p() & VFU)
			return 0;
		sleep_ms(1);
	}
	return -1;
}

static void note_bad(const char *what, uint32_t req, const uint32_t *r)
{
	bad++;
	if (!first_bad[0])
		snprintf(first_bad, sizeof(first_bad),
			 "%s: request %08x reply %08x %08x %08x", what, req,
			 r ? r[0] : 0, r ? r[1] : 0, r ? r[2] : 0);
}

/*
 * Send @w paced and wait for the PF's message.  Returns 1 with the reply
 * in @r, 0 if the PF read the request and wrote nothing, -1 if it did not
 * answer (or never read it) within REPLY_S.
 */
static int transact(const uint32_t *w, unsigned int n, uint32_t *r)
{
	double end, read_at = 0;
	unsigned int i;

	if (vf_lock())
		return -1;
	/* the PF is not in a transaction: a PFSTS now is stale */
	seen = 0;
	v2p();
	seen = 0;
	post(w, n);
	npaced++;
	end = mono() + REPLY_S;
	while (mono() < end) {
		v2p();
		if (seen & PFSTS) {
			seen &= ~PFSTS;
			if (vf_lock())
				return -1;
			for (i = 0; i < 16; i++)
				r[i] = bar[VMBMEM + i];
			bar[V2P] = ACK;
			replies++;
			/* a link-change ping is not the reply */
			if ((r[0] & 0xffff) == T_PF_CONTROL &&
			    !(r[0] & (M_ACK | M_NACK))) {
				unsolicited++;
				continue;
			}
			return 1;
		}
		if ((seen & PFACK) && !read_at) {
			read_at = mono();
			/* an ignored request: no reply follows the read */
			if (w[0] & (M_ACK | M_NACK))
				end = read_at + 0.3;
		}
		sleep_ms(2);
	}
	return read_at && (w[0] & (M_ACK | M_NACK)) ? 0 : -1;
}

/* the reset handshake: exactly RESET|ACK, then CTS */
static void reset_handshake(void)
{
	uint32_t w = T_RESET, r[16];
	int ret;

	resets++;
	ret = transact(&w, 1, r);
	if (ret == 1 && r[0] == (T_RESET | M_ACK)) {
		resets_ok++;
		cts = 1;
	} else if (ret == 1) {
		note_bad("reset", w, r);
	} else {
		note_bad("reset unanswered", w, NULL);
	}
}

/* is @r a valid reply to @req (which carries neither ACK nor NACK)? */
static int valid_reply(uint32_t req, const uint32_t *r)
{
	uint32_t an = r[0] & (M_ACK | M_NACK);

	if (req == T_RESET)
		return r[0] == (T_RESET | M_ACK);
	if (r[0] == M_NACK)
		return 1;	/* not clear to send */
	if (!(r[0] & M_CTS) || an == 0 || an == (M_ACK | M_NACK))
		return 0;
	if ((r[0] & 0xffff) != (req & 0xffff))
		return 0;
	if ((req & 0xffff) == T_CONFIG && an == M_ACK)
		return r[1] == CONFIG_MAGIC;
	return (r[0] & 0x00ff0000) == (req & 0x00ff0000);
}

static void paced(void)
{
	uint32_t w[16], r[16];
	unsigned int n;
	int ret;

	sleep_ms(150);	/* three tokens back in the bucket */
	if (!cts) {
		reset_handshake();
		sleep_ms(50);
	}
	random_message(w, &n);
	ret = transact(w, n, r);
	if (w[0] & (M_ACK | M_NACK)) {
		/* ignored by the PF; only a bare NACK may come (no CTS) */
		if (ret == 1 && r[0] != M_NACK)
			note_bad("reply to an ACK/NACK message", w[0], r);
		return;
	}
	expected++;
	if (ret != 1) {
		no_reply++;
		cts = 0;
		return;
	}
	answered++;
	if (!valid_reply(w[0], r))
		note_bad("invalid reply", w[0], r);
	if (w[0] == T_RESET)
		cts = r[0] == (T_RESET | M_ACK);
	else if (!(r[0] & M_CTS))
		cts = 0;
}

/*
 * Abuse that holds VFU may make the PF's read of a pending request fail,
 * and a failed read costs the VF its CTS (as in Linux's igb): the next
 * paced request runs the reset handshake first, so that every paced
 * request is owed a reply.
 */
static void abuse(void)
{
	static const unsigned int hold[] = { 0, 10, 100 };
	unsigned int r = below(100);

	abuses++;
	if (r < 30) {
		bar[V2P] = VFU;
		sleep_ms(hold[below(3)]);
		bar[V2P] = 0;
		cts = 0;
	} else if (r < 60) {
		bar[V2P] = ACK;
	} else if (r < 90) {
		unsigned int bits = rnd32() & 0xff;

		bar[V2P] = bits;
		if (bits & VFU)
			cts = 0;
	} else {
		(void)bar[V2P];
	}
}

static void do_flr(const char *bdf)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/reset", bdf);
	fd = open(path, O_WRONLY);
	if (fd >= 0 && write(fd, "1", 1) == 1)
		flr++;
	else
		flr_failed++;
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	unsigned long count, i, paced_every, flr_every;
	unsigned long long seed;
	char path[256];
	double t0;
	void *map;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: %s VF_BDF COUNT [SEED] [PACED_EVERY]\n", argv[0]);
		return 2;
	}
	count = strtoul(argv[2], NULL, 0);
	if (argc > 3)
		seed = strtoull(argv[3], NULL, 10);
	else if (getenv("SOAK_SEED"))
		seed = strtoull(getenv("SOAK_SEED"), NULL, 10);
	else
		seed = (unsigned long long)time(NULL);
	/* at most 1,000 paced requests: each takes up to ~4.4 s */
	paced_every = count / 1000 > 200 ? count / 1000 : 200;
	if (argc > 4)
		paced_every = strtoul(argv[4], NULL, 0);
	rs = seed * 0x9E3779B97F4A7C15ULL + 1;
	flr_every = count / 4;
	if (flr_every < 1000)
		flr_every = 1000;
	if (flr_every > 50000)
		flr_every = 50000;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0", argv[1]);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	map = mmap(NULL, 0x4000, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		perror("mmap");
		close(fd);
		return 1;
	}
	bar = map;

	t0 = mono();
	for (i = 0; i < count; i++) {
		if (paced_every && i % paced_every == paced_every - 1) {
			paced();
		} else {
			post_message();
			flood++;
		}
		if (below(100) == 0)
			abuse();
		if (i && i % flr_every == 0) {
			do_flr(argv[1]);
			cts = 0;
		}
	}
	bar[V2P] = 0;
	printf("{\"abuse\": %lu, \"answered\": %lu, \"bad\": %lu, "
	       "\"expected\": %lu, \"first_bad\": \"%s\", \"flood\": %lu, "
	       "\"flr\": %lu, \"flr_failed\": %lu, \"no_reply\": %lu, "
	       "\"paced\": %lu, \"posted\": %lu, \"replies\": %lu, "
	       "\"resets\": %lu, \"resets_ok\": %lu, \"seconds\": %.1f, "
	       "\"seed\": %llu, \"unsolicited\": %lu}\n",
	       abuses, answered, bad, expected, first_bad, flood, flr,
	       flr_failed, no_reply, npaced, posted, replies, resets,
	       resets_ok, mono() - t0, seed, unsolicited);
	munmap(map, 0x4000);
	close(fd);
	return 0;
}
