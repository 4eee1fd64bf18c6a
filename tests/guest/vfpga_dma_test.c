// SPDX-License-Identifier: MIT
/*
 * In-guest DMA tests: host to card and back through every XDMA channel,
 * from user memory (pinned scatter-gather) and from coherent buffers,
 * completed by interrupt or by polling, checked byte for byte against card
 * memory seen through the mapped BAR2.  Bad transfer requests get their
 * documented errno, and errors injected in the board reach the caller.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "kselftest_harness.h"
#include "libvfpga.h"
#include "uapi/vfpga.h"
#include "vfpga_regs.h"

#define MiB	(1024 * 1024)

static void fill(uint8_t *p, uint64_t len, uint32_t seed)
{
	uint64_t i;

	for (i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = seed >> 16;
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

FIXTURE(dma) {
	struct vfpga_device *dev;
	struct vfpga_device_info info;
	volatile uint8_t *card;
	uint64_t card_len;
	unsigned int channels;
};

FIXTURE_VARIANT(dma) {
	uint64_t size;
	unsigned int host_shift;	/* host buffer misalignment */
	unsigned int card_shift;	/* card offset misalignment */
	int coherent;			/* coherent buffer, not user memory */
	int sgbuf;			/* user memory mapped once, synced */
	unsigned int flags;		/* VFPGA_DMA_POLL */
	int one_channel;		/* too big to repeat on every channel */
};

FIXTURE_VARIANT_ADD(dma, sg_1) { .size = 1 };
FIXTURE_VARIANT_ADD(dma, sg_4095) { .size = 4095 };
FIXTURE_VARIANT_ADD(dma, sg_4096) { .size = 4096 };
FIXTURE_VARIANT_ADD(dma, sg_4097) { .size = 4097 };
FIXTURE_VARIANT_ADD(dma, sg_1M_plus_1) { .size = MiB + 1 };
FIXTURE_VARIANT_ADD(dma, sg_64M) { .size = 64 * MiB, .one_channel = 1 };
FIXTURE_VARIANT_ADD(dma, sg_unaligned_4097) {
	.size = 4097, .host_shift = 3, .card_shift = 5 };
FIXTURE_VARIANT_ADD(dma, sg_unaligned_1M_plus_1) {
	.size = MiB + 1, .host_shift = 1, .card_shift = 7 };
FIXTURE_VARIANT_ADD(dma, sg_poll_4096) {
	.size = 4096, .flags = VFPGA_DMA_POLL };
FIXTURE_VARIANT_ADD(dma, sg_poll_unaligned_1M_plus_1) {
	.size = MiB + 1, .host_shift = 9, .card_shift = 1,
	.flags = VFPGA_DMA_POLL };
FIXTURE_VARIANT_ADD(dma, coherent_4096) { .size = 4096, .coherent = 1 };
FIXTURE_VARIANT_ADD(dma, coherent_1M_plus_1) {
	.size = MiB + 1, .coherent = 1 };
FIXTURE_VARIANT_ADD(dma, coherent_unaligned_4097) {
	.size = 4097, .host_shift = 7, .card_shift = 3, .coherent = 1 };
FIXTURE_VARIANT_ADD(dma, sgbuf_unaligned_4097) {
	.size = 4097, .host_shift = 5, .card_shift = 9, .sgbuf = 1 };
FIXTURE_VARIANT_ADD(dma, sgbuf_1M_plus_1) { .size = MiB + 1, .sgbuf = 1 };
FIXTURE_VARIANT_ADD(dma, sgbuf_poll_64M) {
	.size = 64 * MiB, .sgbuf = 1, .flags = VFPGA_DMA_POLL,
	.one_channel = 1 };
FIXTURE_VARIANT_ADD(dma, coherent_poll_4M) {
	.size = VFPGA_DMA_BUF_MAX - 64, .coherent = 1,
	.flags = VFPGA_DMA_POLL };

FIXTURE_SETUP(dma)
{
	volatile void *card;
	int ret = vfpga_open(0, &self->dev);

	ASSERT_EQ(0, ret) TH_LOG("/dev/vfpga0: %s", vfpga_strerror(ret));
	ASSERT_EQ(0, vfpga_get_info(self->dev, &self->info));
	ASSERT_EQ(0, vfpga_bar_map(self->dev, VFPGA_BAR_CARD_MEM, &card,
				   &self->card_len));
	self->card = card;
	self->channels = variant->one_channel ? 1 : XDMA_MAX_CHANNELS;
	ASSERT_LE(variant->size + 64, self->card_len / self->channels);
}

FIXTURE_TEARDOWN(dma)
{
	vfpga_close(self->dev);
}

/* Host to card, check the card, card to host, check the host. */
TEST_F(dma, round_trip_every_channel)
{
	uint64_t size = variant->size, card_off;
	struct vfpga_buffer *buf = NULL, *buf_dst = NULL;
	uint8_t *src, *dst, *alloc_src = NULL, *alloc_dst = NULL;
	double t_h2c = 0, t_c2h = 0, t;
	uint32_t status;
	unsigned int c;
	int ret;

	if (variant->coherent) {
		ASSERT_EQ(0, vfpga_buffer_alloc(self->dev, size + 64, &buf));
		ASSERT_EQ(0, vfpga_buffer_alloc(self->dev, size + 64,
						&buf_dst));
		src = (uint8_t *)vfpga_buffer_ptr(buf) + variant->host_shift;
		dst = (uint8_t *)vfpga_buffer_ptr(buf_dst) +
		      variant->host_shift;
	} else {
		alloc_src = malloc(size + 64);
		alloc_dst = malloc(size + 64);
		ASSERT_NE(NULL, alloc_src);
		ASSERT_NE(NULL, alloc_dst);
		src = alloc_src + variant->host_shift;
		dst = alloc_dst + variant->host_shift;
		if (variant->sgbuf) {
			ASSERT_EQ(0, vfpga_buffer_map_user(self->dev, src, size,
							   &buf));
			ASSERT_EQ(0, vfpga_buffer_map_user(self->dev, dst, size,
							   &buf_dst));
		}
	}

	for (c = 0; c < self->channels; c++) {
		card_off = c * (self->card_len / self->channels) +
			   variant->card_shift;
		fill(src, size, 17 * c + size);
		memset(dst, 0, size);

		t = now_s();
		if (variant->sgbuf) {
			ASSERT_EQ(0, vfpga_buffer_sync(buf, VFPGA_SYNC_DEVICE));
			ret = vfpga_dma_write_buffer(buf, 0, c, card_off, size,
						     variant->flags, &status);
		} else if (buf)
			ret = vfpga_dma_write_buffer(buf, variant->host_shift,
						     c, card_off, size,
						     variant->flags, &status);
		else
			ret = vfpga_dma_write(self->dev, c, card_off, src, size,
					      variant->flags, &status);
		t_h2c += now_s() - t;
		ASSERT_EQ(0, ret) TH_LOG("H2C %u: %s, status 0x%x", c,
					 vfpga_strerror(ret), status);
		ASSERT_EQ(0, memcmp(src, (const void *)(self->card + card_off),
				    size)) TH_LOG("card memory differs, ch %u", c);

		t = now_s();
		if (variant->sgbuf) {
			ret = vfpga_dma_read_buffer(buf_dst, 0, c, card_off,
						    size, variant->flags,
						    &status);
			ASSERT_EQ(0, vfpga_buffer_sync(buf_dst, VFPGA_SYNC_CPU));
		} else if (buf)
			ret = vfpga_dma_read_buffer(buf_dst, variant->host_shift,
						    c, card_off, size,
						    variant->flags, &status);
		else
			ret = vfpga_dma_read(self->dev, c, card_off, dst, size,
					     variant->flags, &status);
		t_c2h += now_s() - t;
		ASSERT_EQ(0, ret) TH_LOG("C2H %u: %s, status 0x%x", c,
					 vfpga_strerror(ret), status);
		ASSERT_EQ(0, memcmp(src, dst, size)) TH_LOG("C2H data differs");
	}
	ksft_print_msg("dma %s size=%llu: h2c=%.1f MB/s c2h=%.1f MB/s\n",
		       vfpga_irq_mode_name(self->info.irq_mode),
		       (unsigned long long)size,
		       size * self->channels / t_h2c / 1e6,
		       size * self->channels / t_c2h / 1e6);
	EXPECT_EQ(0, vfpga_buffer_free(buf));
	EXPECT_EQ(0, vfpga_buffer_free(buf_dst));
	free(alloc_src);
	free(alloc_dst);
}

FIXTURE(dma_errors) {
	struct vfpga_device *dev;
	uint64_t card_len;
	uint8_t data[4096];
};

FIXTURE_SETUP(dma_errors)
{
	volatile void *card;

	ASSERT_EQ(0, vfpga_open(0, &self->dev));
	ASSERT_EQ(0, vfpga_bar_map(self->dev, VFPGA_BAR_CARD_MEM, &card,
				   &self->card_len));
	memset(self->data, 0x5a, sizeof(self->data));
}

FIXTURE_TEARDOWN(dma_errors)
{
	vfpga_close(self->dev);
}

TEST_F(dma_errors, bad_requests)
{
	struct vfpga_dma_xfer x = { .argsz = sizeof(x) };
	int fd = vfpga_fd(self->dev);

	EXPECT_EQ(-EINVAL, vfpga_dma_write(self->dev, 0, 0, self->data, 0,
					   0, NULL));
	EXPECT_EQ(-EINVAL, vfpga_dma_write(self->dev, XDMA_MAX_CHANNELS, 0,
					   self->data, 16, 0, NULL));
	EXPECT_EQ(-ERANGE, vfpga_dma_write(self->dev, 0, self->card_len - 8,
					   self->data, 16, 0, NULL));
	EXPECT_EQ(-ERANGE, vfpga_dma_read(self->dev, 0, self->card_len,
					  self->data, 1, 0, NULL));
	EXPECT_EQ(-ERANGE, vfpga_dma_read(self->dev, 0, 8, self->data,
					  UINT64_MAX, 0, NULL));
	EXPECT_EQ(-EFAULT, vfpga_dma_write(self->dev, 0, 0, (void *)16, 64,
					   0, NULL));
	EXPECT_EQ(-EFAULT, vfpga_dma_read(self->dev, 0, 0,
					  (void *)0xffffffffffff0000ull, 64,
					  0, NULL));
	EXPECT_EQ(-EINVAL, vfpga_dma_write(self->dev, 0, 0, self->data, 16,
					   0x80, NULL));

	/* Raw ioctls: direction, unknown buffer, unknown flag, argsz. */
	x.dir = 7;
	x.length = 16;
	EXPECT_EQ(-1, ioctl(fd, VFPGA_DMA_XFER, &x));
	EXPECT_EQ(EINVAL, errno);
	x.dir = VFPGA_DMA_H2C;
	x.buf_id = 63;
	EXPECT_EQ(-1, ioctl(fd, VFPGA_DMA_XFER, &x));
	EXPECT_EQ(EINVAL, errno);
	x.flags = 1u << 31;
	EXPECT_EQ(-1, ioctl(fd, VFPGA_DMA_XFER, &x));
	EXPECT_EQ(EINVAL, errno);
	x.flags = 0;
	x.argsz = 8;
	EXPECT_EQ(-1, ioctl(fd, VFPGA_DMA_XFER, &x));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, VFPGA_DMA_XFER, (void *)8));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(dma_errors, bad_buffers)
{
	struct vfpga_dma_buf b = { .argsz = sizeof(b) };
	struct vfpga_buffer *buf;
	int fd = vfpga_fd(self->dev);

	EXPECT_EQ(-EINVAL, vfpga_buffer_alloc(self->dev, 0, &buf));
	EXPECT_EQ(-EINVAL, vfpga_buffer_alloc(self->dev, VFPGA_DMA_BUF_MAX + 1,
					      &buf));
	b.id = 40;
	EXPECT_EQ(-1, ioctl(fd, VFPGA_DMA_FREE, &b));
	EXPECT_EQ(EINVAL, errno);

	/* SG buffers over user memory. */
	EXPECT_EQ(-EINVAL, vfpga_buffer_map_user(self->dev, self->data, 0,
						 &buf));
	EXPECT_EQ(-EFAULT, vfpga_buffer_map_user(self->dev, (void *)16, 4096,
						 &buf));
	ASSERT_EQ(0, vfpga_buffer_map_user(self->dev, self->data + 1, 100,
					   &buf));
	EXPECT_EQ(-ERANGE, vfpga_dma_read_buffer(buf, 50, 0, 0, 51, 0, NULL));
	EXPECT_EQ(0, vfpga_dma_read_buffer(buf, 50, 0, 0, 50, 0, NULL));
	EXPECT_EQ(-EINVAL, vfpga_buffer_sync(buf, (enum vfpga_sync)7));
	EXPECT_EQ(0, vfpga_buffer_sync(buf, VFPGA_SYNC_CPU));
	EXPECT_EQ(0, vfpga_buffer_free(buf));

	ASSERT_EQ(0, vfpga_buffer_alloc(self->dev, 4096, &buf));
	EXPECT_EQ(-ERANGE, vfpga_dma_write_buffer(buf, 4000, 0, 0, 200, 0,
						  NULL));
	EXPECT_EQ(-ERANGE, vfpga_dma_write_buffer(buf, 4096, 0, 0, 1, 0,
						  NULL));
	EXPECT_EQ(0, vfpga_buffer_free(buf));
}

TEST_F(dma_errors, bad_sg_ioctls)
{
	struct vfpga_dma_sg sg = { .argsz = sizeof(sg), .id = 9 };
	int fd = vfpga_fd(self->dev);

	EXPECT_EQ(-1, ioctl(fd, VFPGA_DMA_SG_UNMAP, &sg));
	EXPECT_EQ(EINVAL, errno);
	sg.flags = VFPGA_SYNC_FOR_CPU;
	EXPECT_EQ(-1, ioctl(fd, VFPGA_DMA_SG_SYNC, &sg));
	EXPECT_EQ(EINVAL, errno);
	sg.flags = 1;
	EXPECT_EQ(-1, ioctl(fd, VFPGA_DMA_SG_MAP, &sg));
	EXPECT_EQ(EINVAL, errno);
	sg.flags = 0;
	sg.argsz = 4;
	EXPECT_EQ(-1, ioctl(fd, VFPGA_DMA_SG_MAP, &sg));
	EXPECT_EQ(EINVAL, errno);
}

/* Errors injected in the board come back as -EIO with XDMA's status. */
TEST_F(dma_errors, injected_faults_reach_the_caller)
{
	static const struct {
		uint32_t fault;
		int c2h;
		uint32_t status;
	} cases[] = {
		{ VFPGA_FAULT_DMA_READ, 0, XDMA_STAT_READ_ERROR },
		{ VFPGA_FAULT_DMA_WRITE, 1, XDMA_STAT_WRITE_ERROR },
		{ VFPGA_FAULT_DESC_MAGIC, 0, XDMA_STAT_MAGIC_STOPPED },
		{ VFPGA_FAULT_DESC_MAGIC, 1, XDMA_STAT_MAGIC_STOPPED },
	};
	uint32_t status, armed;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ASSERT_EQ(0, vfpga_reg_write32(self->dev, VFPGA_BAR_USER,
					       VFPGA_USER_FAULT,
					       cases[i].fault));
		status = 0;
		if (cases[i].c2h)
			ret = vfpga_dma_read(self->dev, 1, 0, self->data,
					     sizeof(self->data), 0, &status);
		else
			ret = vfpga_dma_write(self->dev, 1, 0, self->data,
					      sizeof(self->data), 0, &status);
		EXPECT_EQ(-EIO, ret) TH_LOG("case %zu", i);
		EXPECT_NE(0, status & cases[i].status)
			TH_LOG("case %zu: status 0x%x", i, status);
		/* One-shot: disarmed, and the next transfer works. */
		ASSERT_EQ(0, vfpga_reg_read32(self->dev, VFPGA_BAR_USER,
					      VFPGA_USER_FAULT, &armed));
		EXPECT_EQ(0, armed);
		EXPECT_EQ(0, vfpga_dma_write(self->dev, 1, 0, self->data,
					     sizeof(self->data), 0, NULL));
	}
}

static void count_done(void *ctx, int result, uint32_t status)
{
	__atomic_add_fetch((int *)ctx, result == 0 ? 1 : 1000, __ATOMIC_SEQ_CST);
}

/* Asynchronous transfers on all channels at once, checked on the card. */
TEST(async_transfers_on_every_channel)
{
	struct vfpga_xfer *x[XDMA_MAX_CHANNELS];
	struct vfpga_device *dev;
	volatile void *card;
	uint64_t card_len;
	uint8_t *buf[XDMA_MAX_CHANNELS];
	unsigned int c;
	int done = 0;

	ASSERT_EQ(0, vfpga_open(0, &dev));
	ASSERT_EQ(0, vfpga_bar_map(dev, VFPGA_BAR_CARD_MEM, &card, &card_len));
	for (c = 0; c < XDMA_MAX_CHANNELS; c++) {
		buf[c] = malloc(MiB);
		ASSERT_NE(NULL, buf[c]);
		fill(buf[c], MiB, 1000 + c);
		ASSERT_EQ(0, vfpga_dma_submit(dev, 1, c, c * 4 * MiB, buf[c],
					      MiB, 0, count_done, &done,
					      &x[c]));
	}
	for (c = 0; c < XDMA_MAX_CHANNELS; c++)
		EXPECT_EQ(0, vfpga_dma_wait(x[c], NULL));
	EXPECT_EQ(XDMA_MAX_CHANNELS, done);
	for (c = 0; c < XDMA_MAX_CHANNELS; c++) {
		EXPECT_EQ(0, memcmp(buf[c], (const void *)((volatile uint8_t *)
				    card + c * 4 * MiB), MiB));
		free(buf[c]);
	}
	vfpga_close(dev);
}

TEST_HARNESS_MAIN
