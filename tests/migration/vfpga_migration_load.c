// SPDX-License-Identifier: MIT
/*
 * The guest side of the live-migration check (scripts/migration-test.sh):
 * load on the board for a fixed time while the host migrates the
 * running guest to another QEMU.
 *  - DMA: 1 MiB out to card memory and back, over and over, on every
 *    channel, interrupt and poll completion in turn, each byte checked;
 *  - an interrupt storm: back-to-back 20,000-interrupt ping-pong runs
 *    handled by the sample kernel plugin, each counted by the board and
 *    the plugin, which must agree (none lost, none extra);
 *  - 16 MiB of card memory written before the load and checked after it:
 *    what the card held moves with the guest.
 * It prints "migration-load: running" when the load has started and a
 * progress line every second (the host sees which were printed before
 * and which after the switchover), then the totals.  Exit status 0 when
 * every check held.
 *   vfpga_migration_load [SECONDS]
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libvfpga.h"
#include "vfpga_kp_sample.h"
#include "vfpga_regs.h"
#include "vfpga_test_util.h"

#define XFER		(1u << 20)
#define KEEP_OFF	(64ull << 20)	/* the region kept across the load */
#define KEEP_LEN	(16u << 20)
#define STORM		20000u

static atomic_bool stop;
static atomic_uint_fast64_t dma_iters, dma_bytes, irqs, storms;
static atomic_int failed;

static void fill(uint8_t *p, size_t len, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = x;
	}
}

static void fail(const char *what, int ret)
{
	printf("migration-load: FAIL %s: %d (%s)\n", what, ret,
	       strerror(ret < 0 ? -ret : ret));
	fflush(stdout);
	atomic_store(&failed, 1);
	atomic_store(&stop, true);
}

static void *dma_thread(void *arg)
{
	struct vfpga_device *dev = arg;
	uint8_t *src = malloc(XFER), *dst = malloc(XFER);
	uint32_t i = 0;
	int ret;

	if (!src || !dst) {
		fail("malloc", -ENOMEM);
		return NULL;
	}
	while (!atomic_load(&stop)) {
		unsigned int chan = i % 4;
		unsigned int flags = (i / 4) & 1 ? VFPGA_DMA_POLL : 0;
		uint64_t card = (uint64_t)(i % 32) * XFER;

		fill(src, XFER, i);
		memset(dst, 0, XFER);
		ret = vfpga_dma_write(dev, chan, card, src, XFER, flags, NULL);
		if (!ret)
			ret = vfpga_dma_read(dev, chan, card, dst, XFER, flags,
					     NULL);
		if (ret) {
			fail("DMA", ret);
			break;
		}
		if (memcmp(src, dst, XFER)) {
			printf("migration-load: FAIL DMA %u: data differ\n", i);
			fail("DMA data", -EILSEQ);
			break;
		}
		atomic_fetch_add(&dma_iters, 1);
		atomic_fetch_add(&dma_bytes, 2ull * XFER);
		i++;
	}
	free(src);
	free(dst);
	return NULL;
}

static int counters(struct vfpga_kp *kp, struct vfpga_kp_sample_counters *c)
{
	size_t len = sizeof(*c);

	return vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_COUNTERS, NULL, 0, c,
			     &len);
}

static void *storm_thread(void *arg)
{
	struct vfpga_device *dev = arg;
	struct vfpga_kp_sample_storm st = { .line = 0, .count = STORM };
	struct vfpga_kp_sample_counters c;
	struct vfpga_kp *kp;
	uint32_t raised, acked;
	double t0;
	int ret;

	ret = vfpga_kp_open(dev, VFPGA_KP_SAMPLE_NAME, &kp);
	if (ret) {
		fail("plugin open", ret);
		return NULL;
	}
	ret = vfpga_kp_int_enable(kp);
	if (ret) {
		fail("plugin interrupts", ret);
		vfpga_kp_close(kp);
		return NULL;
	}
	while (!atomic_load(&stop)) {
		ret = vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_STORM, &st,
				    sizeof(st), NULL, NULL);
		if (ret) {
			fail("storm start", ret);
			break;
		}
		/* Bounded: 20,000 interrupts take well under a second. */
		for (t0 = now_s(); now_s() - t0 < 60; usleep(1000)) {
			ret = counters(kp, &c);
			if (ret || c.irqs >= STORM)
				break;
		}
		if (ret) {
			fail("storm counters", ret);
			break;
		}
		vfpga_reg_read32(dev, VFPGA_BAR_USER, VFPGA_IRQGEN_RAISED,
				 &raised);
		vfpga_reg_read32(dev, VFPGA_BAR_USER, VFPGA_IRQGEN_ACKED,
				 &acked);
		if (c.irqs != STORM || raised != STORM || acked != STORM) {
			printf("migration-load: FAIL storm %llu: plugin %llu, "
			       "board raised %u acked %u of %u\n",
			       (unsigned long long)atomic_load(&storms),
			       (unsigned long long)c.irqs, raised, acked,
			       STORM);
			fail("storm count", -EILSEQ);
			break;
		}
		atomic_fetch_add(&irqs, c.irqs);
		atomic_fetch_add(&storms, 1);
	}
	vfpga_kp_close(kp);
	return NULL;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 30, t0, next;
	struct vfpga_device *dev;
	uint8_t *keep, *back;
	pthread_t dma, storm;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = vfpga_open(0, &dev);
	if (ret) {
		fail("open", ret);
		return 1;
	}
	keep = malloc(KEEP_LEN);
	back = malloc(KEEP_LEN);
	if (!keep || !back)
		return 1;
	fill(keep, KEEP_LEN, 0xc0ffee);
	ret = vfpga_dma_write(dev, 0, KEEP_OFF, keep, KEEP_LEN, 0, NULL);
	if (ret) {
		fail("keep write", ret);
		return 1;
	}

	pthread_create(&dma, NULL, dma_thread, dev);
	pthread_create(&storm, NULL, storm_thread, dev);
	printf("migration-load: running for %.0f s\n", secs);
	for (t0 = now_s(), next = t0 + 1; now_s() - t0 < secs &&
	     !atomic_load(&stop); ) {
		usleep(20000);
		if (now_s() < next)
			continue;
		next += 1;
		printf("migration-load: progress t=%.0f dma_iters=%llu "
		       "dma_bytes=%llu irqs=%llu storms=%llu\n", now_s() - t0,
		       (unsigned long long)atomic_load(&dma_iters),
		       (unsigned long long)atomic_load(&dma_bytes),
		       (unsigned long long)atomic_load(&irqs),
		       (unsigned long long)atomic_load(&storms));
	}
	atomic_store(&stop, true);
	pthread_join(dma, NULL);
	pthread_join(storm, NULL);

	ret = vfpga_dma_read(dev, 1, KEEP_OFF, back, KEEP_LEN, 0, NULL);
	if (ret)
		fail("keep read", ret);
	else if (memcmp(keep, back, KEEP_LEN))
		fail("keep data", -EILSEQ);
	printf("migration-load: done dma_iters=%llu dma_bytes_verified=%llu "
	       "irqs=%llu storms=%llu kept=%u %s\n",
	       (unsigned long long)atomic_load(&dma_iters),
	       (unsigned long long)atomic_load(&dma_bytes),
	       (unsigned long long)atomic_load(&irqs),
	       (unsigned long long)atomic_load(&storms), KEEP_LEN,
	       atomic_load(&failed) ? "FAILED" : "ok");
	vfpga_close(dev);
	return atomic_load(&failed) ? 1 : 0;
}
