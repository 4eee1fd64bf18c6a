// SPDX-License-Identifier: MIT
/*
 * In-guest DMA tests: host to card and back through every XDMA channel,
 * from user memory (pinned scatter-gather) and from coherent buffers,
 * completed by interrupt or by polling, checked byte for byte against card
 * memory seen through the card BAR (where the board has one) and after
 * the way back.  Bad transfer requests get their documented errno, and
 * errors injected in the board reach the caller.  The tests follow the
 * board's shape as the driver reports it (docs/boards.md): channel counts
 * of each direction, the user BAR, card memory with or without a BAR.
 */
#define _GNU_SOURCE		/* memfd_create */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "libvfpga.h"
#include "uapi/vfpga.h"
#include "vfpga_regs.h"
#include "vfpga_test_util.h"

#define MiB	(1024 * 1024)

static void fill(uint8_t *p, uint64_t len, uint32_t seed)
{
	uint64_t i;

	for (i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = seed >> 16;
	}
}

/*
 * Round trips that use every channel of both directions: trip c writes
 * through H2C c % num_h2c and reads back through C2H c % num_c2h.
 */
static unsigned int trips(const struct vfpga_device_info *info)
{
	return info->num_h2c > info->num_c2h ? info->num_h2c : info->num_c2h;
}

/*
 * The board's card memory: mapped through its BAR (*@card) if it has
 * one, else NULL; its size in *@len either way.  0 or a negative errno.
 */
static int card_map(struct vfpga_device *dev,
		    const struct vfpga_device_info *info,
		    volatile uint8_t **card, uint64_t *len)
{
	volatile void *map;
	int ret;

	*card = NULL;
	*len = info->card_size;
	if (info->card_bar < 0)
		return 0;
	ret = vfpga_bar_map(dev, info->card_bar, &map, len);
	*card = map;
	return ret;
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
	int ret = vfpga_open(0, &self->dev);

	ASSERT_EQ(0, ret) TH_LOG("/dev/vfpga0: %s", vfpga_strerror(ret));
	ASSERT_EQ(0, vfpga_get_info(self->dev, &self->info));
	ASSERT_EQ(0, card_map(self->dev, &self->info, &self->card,
			      &self->card_len));
	if (!self->info.num_h2c || !self->info.num_c2h)
		SKIP(return, "a round trip needs channels both ways");
	self->channels = variant->one_channel ? 1 : trips(&self->info);
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
		unsigned int h2c = c % self->info.num_h2c;
		unsigned int c2h = c % self->info.num_c2h;

		card_off = c * (self->card_len / self->channels) +
			   variant->card_shift;
		fill(src, size, 17 * c + size);
		memset(dst, 0, size);

		t = now_s();
		if (variant->sgbuf) {
			ASSERT_EQ(0, vfpga_buffer_sync(buf, VFPGA_SYNC_DEVICE));
			ret = vfpga_dma_write_buffer(buf, 0, h2c, card_off,
						     size, variant->flags,
						     &status);
		} else if (buf)
			ret = vfpga_dma_write_buffer(buf, variant->host_shift,
						     h2c, card_off, size,
						     variant->flags, &status);
		else
			ret = vfpga_dma_write(self->dev, h2c, card_off, src,
					      size, variant->flags, &status);
		t_h2c += now_s() - t;
		ASSERT_EQ(0, ret) TH_LOG("H2C %u: %s, status 0x%x", h2c,
					 vfpga_strerror(ret), status);
		if (self->card)
			ASSERT_EQ(0, memcmp(src, (const void *)(self->card +
								card_off),
					    size))
				TH_LOG("card memory differs, H2C %u", h2c);

		t = now_s();
		if (variant->sgbuf) {
			ret = vfpga_dma_read_buffer(buf_dst, 0, c2h, card_off,
						    size, variant->flags,
						    &status);
			ASSERT_EQ(0, vfpga_buffer_sync(buf_dst, VFPGA_SYNC_CPU));
		} else if (buf)
			ret = vfpga_dma_read_buffer(buf_dst, variant->host_shift,
						    c2h, card_off, size,
						    variant->flags, &status);
		else
			ret = vfpga_dma_read(self->dev, c2h, card_off, dst,
					     size, variant->flags, &status);
		t_c2h += now_s() - t;
		ASSERT_EQ(0, ret) TH_LOG("C2H %u: %s, status 0x%x", c2h,
					 vfpga_strerror(ret), status);
		ASSERT_EQ(0, memcmp(src, dst, size))
			TH_LOG("C2H %u data differs (from H2C %u)", c2h, h2c);
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
	struct vfpga_device_info info;
	uint64_t card_len;
	uint8_t data[4096] __attribute__((aligned(64)));	/* cachelines */
	unsigned int h2c, c2h;		/* the last channel of each way */
};

FIXTURE_SETUP(dma_errors)
{
	ASSERT_EQ(0, vfpga_open(0, &self->dev));
	ASSERT_EQ(0, vfpga_get_info(self->dev, &self->info));
	self->card_len = self->info.card_size;
	if (!self->info.num_h2c || !self->info.num_c2h)
		SKIP(return, "these tests use channels both ways");
	self->h2c = self->info.num_h2c - 1;
	self->c2h = self->info.num_c2h - 1;
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
	/* A channel past the board's, in each direction. */
	EXPECT_EQ(-EINVAL, vfpga_dma_write(self->dev, self->info.num_h2c, 0,
					   self->data, 16, 0, NULL));
	EXPECT_EQ(-EINVAL, vfpga_dma_read(self->dev, self->info.num_c2h, 0,
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
	struct vfpga_buffer *buf, *other;
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

	/*
	 * One cacheline is one SG buffer's: a map sharing one with another
	 * buffer of the file is refused (the DMA API allows one mapping of
	 * it, and dma-debug reports a second); the next line is free.
	 */
	ASSERT_EQ(0, vfpga_buffer_map_user(self->dev, self->data + 1024, 1024,
					   &buf));
	EXPECT_EQ(-EBUSY, vfpga_buffer_map_user(self->dev, self->data + 1536,
						16, &other));
	EXPECT_EQ(-EBUSY, vfpga_buffer_map_user(self->dev, self->data, 1025,
						&other));
	EXPECT_EQ(-EBUSY, vfpga_buffer_map_user(self->dev, self->data + 2047,
						1, &other));
	ASSERT_EQ(0, vfpga_buffer_map_user(self->dev, self->data + 2048, 64,
					   &other));
	EXPECT_EQ(0, vfpga_buffer_free(other));
	EXPECT_EQ(0, vfpga_buffer_free(buf));
	ASSERT_EQ(0, vfpga_buffer_map_user(self->dev, self->data + 1536, 16,
					   &other));
	EXPECT_EQ(0, vfpga_buffer_free(other));

	/*
	 * The rule holds across files, for transfers too, and by physical
	 * page: another file's map of those cachelines and a C2H transfer
	 * into them are refused, a transfer that only reads them (H2C) is
	 * not, and the same page at a second address is the same lines.
	 */
	ASSERT_EQ(0, vfpga_buffer_map_user(self->dev, self->data + 1024, 1024,
					   &buf));
	{
		struct vfpga_device *dev2;
		uint8_t *alias;
		int memfd = memfd_create("vfpga-alias", 0);

		ASSERT_EQ(0, vfpga_open(0, &dev2));
		EXPECT_EQ(-EBUSY, vfpga_buffer_map_user(dev2, self->data + 2000,
							64, &other));
		EXPECT_EQ(-EBUSY, vfpga_dma_read(dev2, self->c2h, 0,
						 self->data + 1500, 8, 0,
						 NULL));
		EXPECT_EQ(0, vfpga_dma_write(dev2, self->h2c, 0,
					     self->data + 1500, 8, 0, NULL));
		EXPECT_EQ(0, vfpga_dma_read(dev2, self->c2h, 0,
					    self->data + 2048, 64, 0, NULL));
		EXPECT_EQ(0, vfpga_buffer_free(buf));
		EXPECT_EQ(0, vfpga_dma_read(dev2, self->c2h, 0,
					    self->data + 1500, 8, 0, NULL));

		ASSERT_LE(0, memfd);
		ASSERT_EQ(0, ftruncate(memfd, 4096));
		alias = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
			     MAP_SHARED, memfd, 0);
		ASSERT_NE(MAP_FAILED, alias);
		ASSERT_EQ(alias + 4096, mmap(alias + 4096, 4096,
					     PROT_READ | PROT_WRITE,
					     MAP_SHARED | MAP_FIXED, memfd, 0));
		ASSERT_EQ(0, vfpga_buffer_map_user(self->dev, alias, 128,
						   &buf));
		EXPECT_EQ(-EBUSY, vfpga_dma_read(dev2, self->c2h, 0,
						 alias + 4096 + 64, 64, 0,
						 NULL));
		EXPECT_EQ(0, vfpga_dma_read(dev2, self->c2h, 0,
					    alias + 4096 + 128, 64, 0, NULL));
		EXPECT_EQ(0, vfpga_buffer_free(buf));
		/* One mapping over both aliases: its own lines twice. */
		EXPECT_EQ(-EBUSY, vfpga_buffer_map_user(self->dev, alias,
							2 * 4096, &buf));
		munmap(alias, 2 * 4096);
		close(memfd);
		vfpga_close(dev2);
	}

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

	if (!self->info.ref_logic ||
	    !(self->info.board_caps & VFPGA_CAP_FAULT))
		SKIP(return, "faults are the reference user logic's");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ASSERT_EQ(0, vfpga_reg_write32(self->dev, self->info.user_bar,
					       VFPGA_USER_FAULT,
					       cases[i].fault));
		status = 0;
		if (cases[i].c2h)
			ret = vfpga_dma_read(self->dev, self->c2h, 0,
					     self->data, sizeof(self->data), 0,
					     &status);
		else
			ret = vfpga_dma_write(self->dev, self->h2c, 0,
					      self->data, sizeof(self->data), 0,
					      &status);
		EXPECT_EQ(-EIO, ret) TH_LOG("case %zu", i);
		EXPECT_NE(0, status & cases[i].status)
			TH_LOG("case %zu: status 0x%x", i, status);
		/* One-shot: disarmed, and the next transfer works. */
		ASSERT_EQ(0, vfpga_reg_read32(self->dev, self->info.user_bar,
					      VFPGA_USER_FAULT, &armed));
		EXPECT_EQ(0, armed);
		EXPECT_EQ(0, vfpga_dma_write(self->dev, self->h2c, 0,
					     self->data, sizeof(self->data), 0,
					     NULL));
	}
}

/*
 * What users of real XDMA boards report: one timeout wedges every later
 * transfer, or interrupt mode freezes while poll mode works.  Here a lost
 * completion message costs its one transfer (-ETIMEDOUT), a repeated or a
 * late one costs nothing, and after each every channel moves data again
 * in both completions.
 */
TEST_F_TIMEOUT(dma_errors, lost_repeated_and_late_messages, 120)
{
	static const uint32_t faults[] = {
		VFPGA_FAULT_DROP_MSI, VFPGA_FAULT_DUP_MSI, VFPGA_FAULT_LATE_MSI,
	};
	static uint8_t out[64 * 1024], back[sizeof(out)];
	const struct vfpga_device_info *info = &self->info;
	unsigned int c, flags, h2c, c2h;
	uint32_t status, armed;
	size_t i;
	int ret;

	if (info->irq_mode == VFPGA_IRQ_INTX)
		SKIP(return, "INTx sends no messages to lose");
	if (!info->ref_logic || !(info->board_caps & VFPGA_CAP_FAULT))
		SKIP(return, "faults are the reference user logic's");
	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		ASSERT_EQ(0, vfpga_reg_write32(self->dev, info->user_bar,
					       VFPGA_USER_FAULT, faults[i]));
		status = 0;
		ret = vfpga_dma_write(self->dev, self->h2c, 0, self->data,
				      sizeof(self->data), 0, &status);
		if (faults[i] == VFPGA_FAULT_DROP_MSI) {
			EXPECT_EQ(-ETIMEDOUT, ret);
		} else {
			EXPECT_EQ(0, ret) TH_LOG("fault 0x%x: status 0x%x",
						 faults[i], status);
		}
		ASSERT_EQ(0, vfpga_reg_read32(self->dev, info->user_bar,
					      VFPGA_USER_FAULT, &armed));
		EXPECT_EQ(0, armed) TH_LOG("fault 0x%x did not fire", faults[i]);

		for (c = 0; c < 2 * trips(info); c++) {
			flags = c & 1 ? VFPGA_DMA_POLL : 0;
			h2c = c / 2 % info->num_h2c;
			c2h = c / 2 % info->num_c2h;
			fill(out, sizeof(out), 31 * i + c);
			memset(back, 0, sizeof(back));
			ASSERT_EQ(0, vfpga_dma_write(self->dev, h2c,
						     c * sizeof(out), out,
						     sizeof(out), flags, &status))
				TH_LOG("after fault 0x%x: H2C %u%s, status 0x%x",
				       faults[i], h2c, flags ? " (poll)" : "",
				       status);
			ASSERT_EQ(0, vfpga_dma_read(self->dev, c2h,
						    c * sizeof(out), back,
						    sizeof(back), flags, &status))
				TH_LOG("after fault 0x%x: C2H %u%s, status 0x%x",
				       faults[i], c2h, flags ? " (poll)" : "",
				       status);
			ASSERT_EQ(0, memcmp(out, back, sizeof(out)))
				TH_LOG("after fault 0x%x: H2C %u to C2H %u data",
				       faults[i], h2c, c2h);
		}
	}
}

/*
 * Every channel's completion interrupt reaches its transfer: a transfer
 * in interrupt mode on each C2H channel, then each H2C one.  The C2H bits
 * follow all H2C bits (2 H2C and 1 C2H: C2H0 is bit 2), which a driver
 * that counts channels in pairs gets wrong: C2H0 then times out.
 */
TEST_F(dma_errors, every_channel_completes_by_interrupt)
{
	uint32_t status;
	unsigned int c;
	int ret;

	for (c = 0; c < self->info.num_c2h; c++) {
		status = 0;
		ret = vfpga_dma_read(self->dev, c, 0, self->data,
				     sizeof(self->data), 0, &status);
		EXPECT_EQ(0, ret) TH_LOG("C2H %u of %u H2C + %u C2H: %s, status 0x%x",
					 c, self->info.num_h2c,
					 self->info.num_c2h,
					 vfpga_strerror(ret), status);
	}
	for (c = 0; c < self->info.num_h2c; c++) {
		status = 0;
		ret = vfpga_dma_write(self->dev, c, 0, self->data,
				      sizeof(self->data), 0, &status);
		EXPECT_EQ(0, ret) TH_LOG("H2C %u: %s, status 0x%x", c,
					 vfpga_strerror(ret), status);
	}
}

static void count_done(void *ctx, int result, uint32_t status)
{
	__atomic_add_fetch((int *)ctx, result == 0 ? 1 : 1000, __ATOMIC_SEQ_CST);
}

/*
 * Asynchronous transfers on all H2C channels at once, then on all C2H
 * channels at once, checked on the card (through its BAR, if it has one)
 * and on the way back.
 */
TEST(async_transfers_on_every_channel)
{
	struct vfpga_xfer *x[XDMA_MAX_CHANNELS];
	struct vfpga_device_info info;
	struct vfpga_device *dev;
	volatile uint8_t *card;
	uint64_t card_len;
	uint8_t *buf[XDMA_MAX_CHANNELS], *back;
	unsigned int c;
	int done = 0;

	ASSERT_EQ(0, vfpga_open(0, &dev));
	ASSERT_EQ(0, vfpga_get_info(dev, &info));
	ASSERT_EQ(0, card_map(dev, &info, &card, &card_len));
	ASSERT_LE(XDMA_MAX_CHANNELS * 4 * MiB, card_len);
	for (c = 0; c < info.num_h2c; c++) {
		buf[c] = malloc(MiB);
		ASSERT_NE(NULL, buf[c]);
		fill(buf[c], MiB, 1000 + c);
		ASSERT_EQ(0, vfpga_dma_submit(dev, 1, c, c * 4 * MiB, buf[c],
					      MiB, 0, count_done, &done,
					      &x[c]));
	}
	for (c = 0; c < info.num_h2c; c++)
		EXPECT_EQ(0, vfpga_dma_wait(x[c], NULL));
	EXPECT_EQ((int)info.num_h2c, done);
	for (c = 0; card && c < info.num_h2c; c++)
		EXPECT_EQ(0, memcmp(buf[c], (const void *)(card + c * 4 * MiB),
				    MiB));
	/*
	 * C2H channel c reads back what H2C channel c % num_h2c wrote,
	 * into slice c of one buffer.  The slices are page-aligned: buffers
	 * that devices write at the same time must not share a cacheline
	 * (the DMA API's rule, which the debug lane enforces), and
	 * malloc's 16-byte header would put each slice's last bytes in the
	 * next one's first cacheline.
	 */
	ASSERT_EQ(0, posix_memalign((void **)&back, 4096,
				    XDMA_MAX_CHANNELS * MiB));
	done = 0;
	for (c = 0; info.num_h2c && c < info.num_c2h; c++)
		ASSERT_EQ(0, vfpga_dma_submit(dev, 0, c,
					      c % info.num_h2c * 4 * MiB,
					      back + c * MiB, MiB, 0,
					      count_done, &done, &x[c]));
	for (c = 0; info.num_h2c && c < info.num_c2h; c++) {
		EXPECT_EQ(0, vfpga_dma_wait(x[c], NULL));
		EXPECT_EQ(0, memcmp(buf[c % info.num_h2c], back + c * MiB,
				    MiB)) TH_LOG("C2H %u", c);
	}
	EXPECT_EQ(info.num_h2c ? (int)info.num_c2h : 0, done);
	for (c = 0; c < info.num_h2c; c++)
		free(buf[c]);
	free(back);
	vfpga_close(dev);
}

TEST_HARNESS_MAIN
