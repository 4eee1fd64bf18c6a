// SPDX-License-Identifier: MIT
/*
 * In-guest tests of AXI4-Stream channels (PG195 streaming mode) through
 * the driver and libvfpga, on a board whose H2C 0 and C2H 0 are streams
 * with the reference design's loopback behind them (the streaming preset,
 * boards/streaming.board; elsewhere the tests skip): packets of 1 byte to
 * 4 MiB back whole, EOP placement, back-pressure, a read with no data
 * that times out and leaves the channel usable, cancels mid-packet (a
 * timeout, a signal), requests the driver refuses, the packet
 * generator, the vfpga tool's stream commands, and a kernel plugin's
 * stream transfers (vfpga_kp_stream_xfer(), in the kernel and in user
 * mode).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "libvfpga.h"
#include "vfpga_kp_kptest.h"
#include "uapi/vfpga.h"
#include "vfpga_regs.h"
#include "vfpga_test_util.h"

#define MiB		(1024 * 1024)
#define SHORT_MS	200	/* a timeout that must expire */

static void fill(uint8_t *p, uint64_t len, uint32_t seed)
{
	uint64_t i;

	for (i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = seed >> 16;
	}
}

static uint64_t beats(uint64_t len)
{
	return (len + XDMA_ST_DATA_BYTES - 1) / XDMA_ST_DATA_BYTES *
	       XDMA_ST_DATA_BYTES;
}

FIXTURE(stream) {
	struct vfpga_device *dev;
	struct vfpga_device_info info;
};

static uint32_t user_read(struct vfpga_device *dev,
			  const struct vfpga_device_info *info, uint64_t reg)
{
	uint32_t v = 0;

	vfpga_reg_read32(dev, info->user_bar, reg, &v);
	return v;
}

static int user_write(struct vfpga_device *dev,
		      const struct vfpga_device_info *info, uint64_t reg,
		      uint32_t v)
{
	return vfpga_reg_write32(dev, info->user_bar, reg, v);
}

/* A packet without its end is taken too, by a read that times out. */
static void drain(struct vfpga_device *dev,
		  const struct vfpga_device_info *info)
{
	uint8_t junk[4096];
	uint64_t got;
	bool eop;

	while (user_read(dev, info, VFPGA_STREAM_FIFO_LEVEL))
		vfpga_stream_read(dev, 0, junk, sizeof(junk), SHORT_MS, &got,
				  &eop, NULL);
}

FIXTURE_SETUP(stream)
{
	int ret = vfpga_open(0, &self->dev);

	ASSERT_EQ(0, ret) TH_LOG("/dev/vfpga0: %s", vfpga_strerror(ret));
	ASSERT_EQ(0, vfpga_get_info(self->dev, &self->info));
	if (!(self->info.h2c_stream & 1) || !(self->info.c2h_stream & 1))
		SKIP(return, "the board has no H2C 0 and C2H 0 streams");
	if (!self->info.ref_logic ||
	    !(self->info.board_caps & VFPGA_CAP_STREAM))
		SKIP(return, "the loopback is the reference design's");
	/* The stream block as a reset left it, and nothing left over. */
	ASSERT_EQ(0, user_write(self->dev, &self->info, VFPGA_STREAM_CTRL, 0));
	ASSERT_EQ(0, user_write(self->dev, &self->info,
				VFPGA_STREAM_FIFO_LIMIT, VFPGA_STREAM_FIFO_MAX));
	drain(self->dev, &self->info);
}

FIXTURE_TEARDOWN(stream)
{
	vfpga_close(self->dev);
}

/* What the driver learnt from the identifiers. */
TEST_F(stream, info_reports_streams)
{
	EXPECT_EQ(1, self->info.h2c_stream & 1);
	EXPECT_EQ(1, self->info.c2h_stream & 1);
	/* The streaming preset: channel 0 each way a stream, 1 not. */
	if (getenv("vfpga_board") && !strcmp(getenv("vfpga_board"),
					     "streaming")) {
		EXPECT_EQ(1, self->info.h2c_stream);
		EXPECT_EQ(1, self->info.c2h_stream);
	}
}

FIXTURE(sizes) {
	struct vfpga_device *dev;
	struct vfpga_device_info info;
};

FIXTURE_VARIANT(sizes) {
	uint64_t size;
};

FIXTURE_VARIANT_ADD(sizes, b1) { .size = 1 };
FIXTURE_VARIANT_ADD(sizes, b7) { .size = 7 };
FIXTURE_VARIANT_ADD(sizes, b8) { .size = 8 };
FIXTURE_VARIANT_ADD(sizes, b4096) { .size = 4096 };
FIXTURE_VARIANT_ADD(sizes, b65537) { .size = 65537 };
FIXTURE_VARIANT_ADD(sizes, m1) { .size = MiB };
FIXTURE_VARIANT_ADD(sizes, m4) { .size = 4 * MiB };

FIXTURE_SETUP(sizes)
{
	ASSERT_EQ(0, vfpga_open(0, &self->dev));
	ASSERT_EQ(0, vfpga_get_info(self->dev, &self->info));
	if (!(self->info.h2c_stream & 1) || !(self->info.c2h_stream & 1) ||
	    !(self->info.board_caps & VFPGA_CAP_STREAM))
		SKIP(return, "the board has no stream loopback");
}

FIXTURE_TEARDOWN(sizes)
{
	vfpga_close(self->dev);
}

/* One packet through the loopback, back whole with its end. */
TEST_F(sizes, loopback_packet)
{
	uint64_t size = variant->size, got = 0;
	uint8_t *src = malloc(size), *dst = malloc(beats(size));
	uint32_t status = 0;
	double t0, t;
	bool eop = false;

	ASSERT_NE(NULL, src);
	ASSERT_NE(NULL, dst);
	fill(src, size, size);
	t0 = now_s();
	ASSERT_EQ(0, vfpga_stream_write(self->dev, 0, src, size,
					VFPGA_STREAM_END, 0, &status))
		TH_LOG("status 0x%08x", status);
	ASSERT_EQ(0, vfpga_stream_read(self->dev, 0, dst, beats(size), 0,
				       &got, &eop, &status))
		TH_LOG("status 0x%08x", status);
	t = now_s() - t0;
	EXPECT_EQ(size, got);
	EXPECT_TRUE(eop);
	EXPECT_EQ(0, memcmp(src, dst, size));
	TH_LOG("%llu bytes there and back in %.3f ms",
	       (unsigned long long)size, t * 1e3);
	free(src);
	free(dst);
}

/*
 * Writes of 100, 50 (END) and 30 (END) bytes are packets of 150 and 30;
 * read in 64-byte buffers: 64, 64, 22 (end), then 30 (end).
 */
TEST_F(stream, eop_placement)
{
	static const uint64_t want[] = { 64, 64, 22, 30 };
	static const bool want_eop[] = { false, false, true, true };
	uint8_t src[180], dst[64], back[180];
	uint64_t got, off = 0;
	unsigned int i;
	bool eop;

	fill(src, sizeof(src), 5);
	ASSERT_EQ(0, vfpga_stream_write(self->dev, 0, src, 100, 0, 0, NULL));
	ASSERT_EQ(0, vfpga_stream_write(self->dev, 0, src + 100, 50,
					VFPGA_STREAM_END, 0, NULL));
	ASSERT_EQ(0, vfpga_stream_write(self->dev, 0, src + 150, 30,
					VFPGA_STREAM_END, 0, NULL));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, vfpga_stream_read(self->dev, 0, dst, sizeof(dst),
					       0, &got, &eop, NULL));
		EXPECT_EQ(want[i], got);
		EXPECT_EQ(want_eop[i], eop);
		memcpy(back + off, dst, got);
		off += got;
	}
	EXPECT_EQ(0, memcmp(src, back, sizeof(src)));
}

struct writer {
	struct vfpga_device *dev;
	const uint8_t *buf;
	uint64_t len;
	unsigned int timeout_ms;
	int ret;
};

static void *writer_main(void *arg)
{
	struct writer *w = arg;

	w->ret = vfpga_stream_write(w->dev, 0, w->buf, w->len,
				    VFPGA_STREAM_END, w->timeout_ms, NULL);
	return NULL;
}

/*
 * A 4 KiB FIFO and a 64 KiB packet: the writer waits on back-pressure
 * (counted by the logic) until the reader drains it; nothing is lost.
 */
TEST_F(stream, backpressure)
{
	uint64_t len = 64 * 1024, got;
	uint8_t *src = malloc(len), *dst = malloc(len);
	struct writer w = { self->dev, src, len, 0, -1 };
	pthread_t thread;
	bool eop;

	ASSERT_NE(NULL, src);
	ASSERT_NE(NULL, dst);
	fill(src, len, 77);
	ASSERT_EQ(0, user_write(self->dev, &self->info,
				VFPGA_STREAM_FIFO_LIMIT, 4096));
	ASSERT_EQ(0, pthread_create(&thread, NULL, writer_main, &w));
	usleep(100 * 1000);
	EXPECT_EQ(4096, user_read(self->dev, &self->info,
				  VFPGA_STREAM_FIFO_LEVEL));
	EXPECT_LT(0, user_read(self->dev, &self->info,
			       VFPGA_STREAM_H2C_BACKPRESSURE));
	ASSERT_EQ(0, vfpga_stream_read(self->dev, 0, dst, len, 0, &got, &eop,
				       NULL));
	pthread_join(thread, NULL);
	EXPECT_EQ(0, w.ret);
	EXPECT_EQ(len, got);
	EXPECT_TRUE(eop);
	EXPECT_EQ(0, memcmp(src, dst, len));
	free(src);
	free(dst);
}

/* No data: the read times out, and the channel then works. */
TEST_F(stream, read_timeout_leaves_channel_usable)
{
	uint8_t src[64], dst[64];
	uint64_t got = 1;
	double t0 = now_s();
	bool eop;

	EXPECT_EQ(-ETIMEDOUT, vfpga_stream_read(self->dev, 0, dst, sizeof(dst),
						SHORT_MS, &got, &eop, NULL));
	EXPECT_LE(SHORT_MS / 1e3 * 0.9, now_s() - t0);
	EXPECT_EQ(0, got);
	fill(src, sizeof(src), 3);
	ASSERT_EQ(0, vfpga_stream_write(self->dev, 0, src, sizeof(src),
					VFPGA_STREAM_END, 0, NULL));
	ASSERT_EQ(0, vfpga_stream_read(self->dev, 0, dst, sizeof(dst), 0,
				       &got, &eop, NULL));
	EXPECT_EQ(sizeof(src), got);
	EXPECT_TRUE(eop);
	EXPECT_EQ(0, memcmp(src, dst, sizeof(src)));
}

/*
 * Half a packet, then a read that times out: the half it took is gone;
 * the packet's second half comes whole with its end.
 */
TEST_F(stream, read_cancelled_mid_packet)
{
	uint64_t half = 4096, got;
	uint8_t *src = malloc(2 * half), *dst = malloc(2 * half);
	bool eop;

	ASSERT_NE(NULL, src);
	ASSERT_NE(NULL, dst);
	fill(src, 2 * half, 11);
	ASSERT_EQ(0, vfpga_stream_write(self->dev, 0, src, half, 0, 0, NULL));
	EXPECT_EQ(-ETIMEDOUT, vfpga_stream_read(self->dev, 0, dst, 2 * half,
						SHORT_MS, &got, &eop, NULL));
	ASSERT_EQ(0, vfpga_stream_write(self->dev, 0, src + half, half,
					VFPGA_STREAM_END, 0, NULL));
	ASSERT_EQ(0, vfpga_stream_read(self->dev, 0, dst, 2 * half, 0, &got,
				       &eop, NULL));
	EXPECT_EQ(half, got);
	EXPECT_TRUE(eop);
	EXPECT_EQ(0, memcmp(src + half, dst, half));
	free(src);
	free(dst);
}

/* A write the card will not take times out; the channel then works. */
TEST_F(stream, write_timeout_leaves_channel_usable)
{
	uint8_t src[256], dst[256];
	uint64_t got;
	bool eop;

	fill(src, sizeof(src), 9);
	ASSERT_EQ(0, user_write(self->dev, &self->info, VFPGA_STREAM_CTRL,
				VFPGA_STREAM_CTRL_HOLD));
	EXPECT_EQ(-ETIMEDOUT, vfpga_stream_write(self->dev, 0, src,
						 sizeof(src), VFPGA_STREAM_END,
						 SHORT_MS, NULL));
	ASSERT_EQ(0, user_write(self->dev, &self->info, VFPGA_STREAM_CTRL, 0));
	ASSERT_EQ(0, vfpga_stream_write(self->dev, 0, src, sizeof(src),
					VFPGA_STREAM_END, 0, NULL));
	ASSERT_EQ(0, vfpga_stream_read(self->dev, 0, dst, sizeof(dst), 0,
				       &got, &eop, NULL));
	EXPECT_EQ(sizeof(src), got);
	EXPECT_TRUE(eop);
	EXPECT_EQ(0, memcmp(src, dst, sizeof(src)));
}

static void on_usr1(int sig)
{
	(void)sig;
}

struct reader {
	struct vfpga_device *dev;
	int ret;
};

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	uint8_t dst[64];
	uint64_t got;
	bool eop;

	r->ret = vfpga_stream_read(r->dev, 0, dst, sizeof(dst), 0, &got, &eop,
				   NULL);
	return NULL;
}

/* A signal cancels a waiting read (-EINTR); the channel then works. */
TEST_F(stream, read_cancelled_by_signal)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct reader r = { self->dev, 1 };
	uint8_t src[32], dst[32];
	pthread_t thread;
	uint64_t got;
	double t0;
	bool eop;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, pthread_create(&thread, NULL, reader_main, &r));
	usleep(100 * 1000);
	t0 = now_s();
	pthread_kill(thread, SIGUSR1);
	pthread_join(thread, NULL);
	EXPECT_EQ(-EINTR, r.ret);
	EXPECT_GT(5.0, now_s() - t0);
	fill(src, sizeof(src), 1);
	ASSERT_EQ(0, vfpga_stream_write(self->dev, 0, src, sizeof(src),
					VFPGA_STREAM_END, 0, NULL));
	ASSERT_EQ(0, vfpga_stream_read(self->dev, 0, dst, sizeof(dst), 0,
				       &got, &eop, NULL));
	EXPECT_EQ(sizeof(src), got);
	EXPECT_EQ(0, memcmp(src, dst, sizeof(src)));
}

/* What the driver refuses, with the errno uapi/vfpga.h documents. */
TEST_F(stream, bad_requests)
{
	uint8_t buf[64];
	uint64_t got;
	bool eop;

	/* A stream channel takes no memory-mapped transfer, and back. */
	EXPECT_EQ(-EINVAL, vfpga_dma_write(self->dev, 0, 0, buf, sizeof(buf),
					   0, NULL));
	EXPECT_EQ(-EINVAL, vfpga_dma_read(self->dev, 0, 0, buf, sizeof(buf),
					  0, NULL));
	if (self->info.num_h2c > 1 && !(self->info.h2c_stream & 2))
		EXPECT_EQ(-EINVAL, vfpga_stream_write(self->dev, 1, buf,
						      sizeof(buf), 0, 0, NULL));
	/* Lengths: none, less than a beat, more than 4 MiB. */
	EXPECT_EQ(-EINVAL, vfpga_stream_write(self->dev, 0, buf, 0, 0, 0,
					      NULL));
	EXPECT_EQ(-EINVAL, vfpga_stream_read(self->dev, 0, buf, 7, 0, &got,
					     &eop, NULL));
	EXPECT_EQ(-EINVAL, vfpga_stream_write(self->dev, 0, buf,
					      VFPGA_STREAM_MAX + 1, 0, 0,
					      NULL));
	EXPECT_EQ(-EINVAL, vfpga_stream_write(self->dev, 0, buf, sizeof(buf),
					      2, 0, NULL));
	EXPECT_EQ(-EINVAL, vfpga_stream_write(self->dev, 9, buf, sizeof(buf),
					      0, 0, NULL));
	EXPECT_EQ(-EFAULT, vfpga_stream_write(self->dev, 0, (void *)8, 64, 0,
					      0, NULL));
	/* Nothing of these reached the card. */
	EXPECT_EQ(0, user_read(self->dev, &self->info,
			       VFPGA_STREAM_FIFO_LEVEL));
}

/* The generator: three packets of 1000 bytes, byte k of n = n + k. */
TEST_F(stream, generator_packets)
{
	uint8_t dst[1024];
	uint64_t got, k;
	unsigned int n;
	bool eop;

	ASSERT_EQ(0, user_write(self->dev, &self->info, VFPGA_STREAM_GEN_SIZE,
				1000));
	ASSERT_EQ(0, user_write(self->dev, &self->info, VFPGA_STREAM_GEN_COUNT,
				3));
	ASSERT_EQ(0, user_write(self->dev, &self->info, VFPGA_STREAM_GEN_RATE,
				0));
	ASSERT_EQ(0, user_write(self->dev, &self->info, VFPGA_STREAM_CTRL,
				VFPGA_STREAM_CTRL_GEN));
	for (n = 0; n < 3; n++) {
		ASSERT_EQ(0, vfpga_stream_read(self->dev, 0, dst, sizeof(dst),
					       0, &got, &eop, NULL));
		ASSERT_EQ(1000, got);
		EXPECT_TRUE(eop);
		for (k = 0; k < got; k++)
			ASSERT_EQ((uint8_t)(n + k), dst[k]);
	}
	EXPECT_EQ(-ETIMEDOUT, vfpga_stream_read(self->dev, 0, dst, sizeof(dst),
						SHORT_MS, &got, &eop, NULL));
	EXPECT_EQ(3, user_read(self->dev, &self->info, VFPGA_STREAM_GEN_SENT));
	ASSERT_EQ(0, user_write(self->dev, &self->info, VFPGA_STREAM_CTRL, 0));
}

/*
 * The vfpga tool's stream commands on the same channels: a loop through
 * the loopback, a packet written then read back, and what it refuses.
 */
TEST_F(stream, tool_stream_commands)
{
	char out[4096];

	EXPECT_EQ(0, vfpga_tool("-d 0 dma stream loop 0 10000 random:3", out,
				sizeof(out))) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "c2h stream: 10000 bytes, end of packet"));
	EXPECT_NE(NULL, strstr(out, "loop: 10000 bytes identical, one packet"));
	EXPECT_EQ(0, vfpga_tool("-d 0 dma stream write 0 100 0x5a", out,
				sizeof(out))) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "h2c stream: 100 bytes (a packet)"));
	EXPECT_EQ(0, vfpga_tool("-d 0 dma stream read 0 4096", out,
				sizeof(out))) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "c2h stream: 100 bytes, end of packet"));
	/* Nothing left to read: the tool says why and exits 1. */
	EXPECT_EQ(1, vfpga_tool("-d 0 dma stream read 0 64 --timeout 200",
				out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "vfpga: dma stream read: "));
	/* A loop longer than one 4 MiB request, a read under a beat. */
	EXPECT_EQ(2, vfpga_tool("-d 0 dma stream loop 0 4194305", out,
				sizeof(out))) TH_LOG("%s", out);
	EXPECT_EQ(2, vfpga_tool("-d 0 dma stream read 0 7", out,
				sizeof(out))) TH_LOG("%s", out);
	EXPECT_EQ(2, vfpga_tool("-d 0 dma stream write 0 64 nopattern", out,
				sizeof(out))) TH_LOG("%s", out);
	EXPECT_EQ(0, user_read(self->dev, &self->info,
			       VFPGA_STREAM_FIFO_LEVEL));
}

/*
 * A kernel plugin's stream transfers: the test plugin's MSG_STREAM runs
 * vfpga_kp_stream_xfer() on its DMA buffer, in the kernel and hosted in
 * user mode, with the same answers from both.
 */
FIXTURE(kpstream) {
	struct vfpga_device *dev;
	struct vfpga_device_info info;
	struct vfpga_kp *kp;
};

FIXTURE_VARIANT(kpstream) {
	enum vfpga_kp_mode mode;
};

FIXTURE_VARIANT_ADD(kpstream, kernel) {
	.mode = VFPGA_KP_KERNEL,
};

FIXTURE_VARIANT_ADD(kpstream, user) {
	.mode = VFPGA_KP_USER,
};

FIXTURE_SETUP(kpstream)
{
	const struct vfpga_device_info *info = &self->info;
	uint64_t size = 1 * MiB;

	self->kp = NULL;
	ASSERT_EQ(0, vfpga_open(0, &self->dev));
	ASSERT_EQ(0, vfpga_get_info(self->dev, &self->info));
	if (!(info->h2c_stream & 1) || !(info->c2h_stream & 1) ||
	    !info->ref_logic || !(info->board_caps & VFPGA_CAP_STREAM))
		SKIP(return, "the board has no loopback between stream 0s");
	drain(self->dev, &self->info);
	ASSERT_EQ(0, vfpga_kp_open_mode(self->dev, VFPGA_KP_KPTEST_NAME,
					variant->mode, &self->kp));
	ASSERT_EQ(0, vfpga_kp_call(self->kp, VFPGA_KP_KPTEST_MSG_DMA_ALLOC,
				   &size, sizeof(size), NULL, NULL));
}

FIXTURE_TEARDOWN(kpstream)
{
	if (self->kp)
		vfpga_kp_close(self->kp);
	vfpga_close(self->dev);
}

static int kp_stream(struct vfpga_kp *kp, uint32_t dir, uint32_t flags,
		     uint64_t offset, uint64_t length, uint64_t seed,
		     uint32_t timeout_ms,
		     struct vfpga_kp_kptest_stream_result *r)
{
	struct vfpga_kp_kptest_stream st = {
		.dir = dir, .flags = flags, .timeout_ms = timeout_ms,
		.buf_offset = offset, .length = length, .seed = seed,
	};
	size_t len = sizeof(*r);

	memset(r, 0, sizeof(*r));
	return vfpga_kp_call(kp, VFPGA_KP_KPTEST_MSG_STREAM, &st, sizeof(st),
			     r, &len);
}

static uint64_t pattern_sum(uint64_t len, uint64_t seed)
{
	uint8_t *p = malloc(len);
	uint64_t sum;

	vfpga_kp_kptest_pattern(p, len, seed);
	sum = vfpga_kp_kptest_checksum(p, len);
	free(p);
	return sum;
}

/*
 * A packet in one write, then one given in two writes (1000 bytes without
 * EOP, 2000 with it), each read back whole, the second into the end of
 * the buffer.
 */
TEST_F(kpstream, loopback_packets)
{
	struct vfpga_kp_kptest_stream_result r;
	uint8_t p[3000];

	ASSERT_EQ(0, kp_stream(self->kp, 0, VFPGA_STREAM_EOP, 0, 1001, 5,
			       0, &r));
	EXPECT_EQ(1001, r.done);
	ASSERT_EQ(0, kp_stream(self->kp, 1, 0, 4096, 4096, 0, 0, &r));
	EXPECT_EQ(1001, r.done);
	EXPECT_EQ(1, r.eop);
	EXPECT_EQ(pattern_sum(1001, 5), r.checksum);

	vfpga_kp_kptest_pattern(p, 1000, 9);
	vfpga_kp_kptest_pattern(p + 1000, 2000, 77);
	ASSERT_EQ(0, kp_stream(self->kp, 0, 0, 0, 1000, 9, 0, &r));
	ASSERT_EQ(0, kp_stream(self->kp, 0, VFPGA_STREAM_EOP, 0, 2000, 77,
			       0, &r));
	ASSERT_EQ(0, kp_stream(self->kp, 1, 0, 1 * MiB - 4096, 4096, 0, 0,
			       &r));
	EXPECT_EQ(3000, r.done);
	EXPECT_EQ(1, r.eop);
	EXPECT_EQ(vfpga_kp_kptest_checksum(p, sizeof(p)), r.checksum);
	EXPECT_EQ(0, user_read(self->dev, &self->info,
			       VFPGA_STREAM_FIFO_LEVEL));
}

/* A read shorter than the packet: the rest comes with the next read. */
TEST_F(kpstream, packet_over_two_reads)
{
	struct vfpga_kp_kptest_stream_result r;

	ASSERT_EQ(0, kp_stream(self->kp, 0, VFPGA_STREAM_EOP, 0, 100, 3, 0,
			       &r));
	ASSERT_EQ(0, kp_stream(self->kp, 1, 0, 0, 64, 0, 0, &r));
	EXPECT_EQ(64, r.done);
	EXPECT_EQ(0, r.eop);
	ASSERT_EQ(0, kp_stream(self->kp, 1, 0, 0, 64, 0, 0, &r));
	EXPECT_EQ(36, r.done);
	EXPECT_EQ(1, r.eop);
}

/* What the core refuses, the same in both modes, and a timeout. */
TEST_F(kpstream, refusals_and_timeout)
{
	const struct vfpga_device_info *info = &self->info;
	struct vfpga_kp_kptest_stream_result r;

	/* Outside the buffer; no room for a beat; a flag C2H has not. */
	EXPECT_EQ(-ERANGE, kp_stream(self->kp, 0, 0, 1 * MiB - 8, 16, 1, 0,
				     &r));
	EXPECT_EQ(-ERANGE, kp_stream(self->kp, 1, 0, 1 * MiB, 8, 0, 0, &r));
	EXPECT_EQ(-EINVAL, kp_stream(self->kp, 1, 0, 0, 7, 0, 0, &r));
	EXPECT_EQ(-EINVAL, kp_stream(self->kp, 1, VFPGA_STREAM_EOP, 0, 64,
				     0, 0, &r));
	EXPECT_EQ(-EINVAL, kp_stream(self->kp, 0, 2, 0, 64, 0, 0, &r));
	EXPECT_EQ(-EINVAL, kp_stream(self->kp, 0, 0, 0, 0, 0, 0, &r));
	if (info->num_h2c > 1 && !(info->h2c_stream & 2)) {
		struct vfpga_kp_kptest_stream st = {
			.dir = 0, .channel = 1, .length = 64,
		};
		size_t len = sizeof(r);

		EXPECT_EQ(-EINVAL, vfpga_kp_call(self->kp,
						 VFPGA_KP_KPTEST_MSG_STREAM,
						 &st, sizeof(st), &r, &len));
	}
	/* Nothing reached the loopback; a read finds nothing, in time. */
	EXPECT_EQ(0, user_read(self->dev, &self->info,
			       VFPGA_STREAM_FIFO_LEVEL));
	EXPECT_EQ(-ETIMEDOUT, kp_stream(self->kp, 1, 0, 0, 64, 0, SHORT_MS,
					&r));
	/* And the channel still works after it. */
	ASSERT_EQ(0, kp_stream(self->kp, 0, VFPGA_STREAM_EOP, 0, 24, 8, 0,
			       &r));
	ASSERT_EQ(0, kp_stream(self->kp, 1, 0, 0, 64, 0, 0, &r));
	EXPECT_EQ(24, r.done);
	EXPECT_EQ(pattern_sum(24, 8), r.checksum);
}

TEST_HARNESS_MAIN
