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
 *     if more: at most 1,000 paced requests, each takes up to 0.56 s) one token back in the PF's
 *     bucket (60 ms), then one request waiting for PFSTS (at most 0.5 s),
 *     reading the reply and acknowledging it;
 *   - protocol abuse between messages (1 %): VFU held, ACK without a
 *     message, random control bits, a plain read; and a function-level
 *     reset (sysfs reset file) every COUNT/4 messages (1,000..50,000).
 *
 * Usage: mbx_fuzz VF_BDF COUNT [SEED] [PACED_EVERY]
 * Prints one JSON line of counters.  Build: cc -O2 -o mbx_fuzz mbx_fuzz.c
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
	flr_failed;

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

static void post_message(void)
{
	uint32_t w[16];
	unsigned int n, i, r;
	uint16_t t;

	t = below(100) < 85 ? types[below(ARRAY_SIZE(types))] :
			      (uint16_t)rnd32();
	w[0] = t | (rnd32() & 0xff) << 16;
	r = below(100);
	if (r < 5)
		w[0] |= 1u << 31;	/* carries ACK */
	else if (r < 10)
		w[0] |= 1u << 30;	/* carries NACK */
	else if (r < 12)
		w[0] |= 1u << 29;
	n = lens[below(ARRAY_SIZE(lens))];
	for (i = 1; i < n; i++)
		w[i] = rnd32();
	if (n > 2 && (t == 2 || t == 4 || t == 5) && (rnd32() & 1)) {
		w[1] = sizes[below(ARRAY_SIZE(sizes))];
		w[2] = rnd32() & 0xffff;
	}
	for (i = 0; i < n; i++)
		bar[VMBMEM + i] = w[i];
	bar[V2P] = REQ;
	posted++;
}

static void paced(void)
{
	double end;
	unsigned int i;
	uint32_t sink = 0;

	bar[V2P] = VFU;
	post_message();
	end = mono() + 0.5;
	while (mono() < end) {
		if (bar[V2P] & PFSTS) {
			for (i = 0; i < 16; i++)
				sink += bar[VMBMEM + i];
			(void)sink;
			bar[V2P] = ACK;
			replies++;
			return;
		}
		sleep_ms(2);
	}
	no_reply++;
}

static void abuse(void)
{
	static const unsigned int hold[] = { 0, 10, 100 };
	unsigned int r = below(100);

	abuses++;
	if (r < 30) {
		bar[V2P] = VFU;
		sleep_ms(hold[below(3)]);
		bar[V2P] = 0;
	} else if (r < 60) {
		bar[V2P] = ACK;
	} else if (r < 90) {
		bar[V2P] = rnd32() & 0xff;
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
	seed = argc > 3 ? strtoull(argv[3], NULL, 0) : (unsigned long long)time(NULL);
	/* at most 1,000 paced requests: each takes up to 0.56 s */
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
			sleep_ms(60);	/* one token back in the bucket */
			paced();
			npaced++;
		} else {
			post_message();
			flood++;
		}
		if (below(100) == 0)
			abuse();
		if (i && i % flr_every == 0)
			do_flr(argv[1]);
	}
	bar[V2P] = 0;
	printf("{\"abuse\": %lu, \"flood\": %lu, \"flr\": %lu, \"flr_failed\": %lu, "
	       "\"no_reply\": %lu, \"paced\": %lu, \"posted\": %lu, \"replies\": %lu, "
	       "\"seconds\": %.1f, \"seed\": %llu}\n",
	       abuses, flood, flr, flr_failed, no_reply, npaced, posted, replies,
	       mono() - t0, seed);
	munmap(map, 0x4000);
	close(fd);
	return 0;
}
