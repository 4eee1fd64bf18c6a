// SPDX-License-Identifier: MIT
/*
 * In-guest tests of the sample user-logic plug-in, the checksum engine
 * (user-logic/checksum/, registers in checksum_regs.h), on a board QEMU
 * loaded it into (-device vfpga,user-logic=checksum.so).  The guest runs
 * them in a boot of their own (vfpga_run=user-logic), once per interrupt
 * mode, with the engine's kernel plugin (csum_kp.ko) loaded.
 *
 * Through libvfpga: the engine's registers; H2C transfers checksummed on
 * the AXI4 path, the DONE interrupt taken with user-mode acknowledgement
 * (the line is a level until STATUS_DONE is written), and the data read
 * back by C2H through the plug-in; SCANs of card memory; a SCAN outside
 * card memory ends with ERROR.  Through the kernel plugin: the same jobs
 * run and their interrupts taken in the kernel; the plugin refuses a
 * board that is not a checksum engine.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "libvfpga.h"
#include "vfpga_test_util.h"
#include "vfpga_regs.h"
#include "checksum_regs.h"
#include "csum_kp.h"

#define WAIT_MS		5000
#define LINE		2
#define BASE		0x100000u
#define MAX_BOARDS	8

static uint32_t crc32_ieee(const uint8_t *p, size_t len)
{
	static uint32_t table[256];
	uint32_t crc = 0xffffffff, c;
	unsigned int i, k;

	if (!table[1]) {
		for (i = 0; i < 256; i++) {
			c = i;
			for (k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	}
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* The first board whose user logic is a checksum engine, or -ENODEV. */
static int open_checksum_board(struct vfpga_device **dev, unsigned int *index)
{
	struct vfpga_device *d;
	uint32_t id;
	unsigned int i;

	for (i = 0; i < MAX_BOARDS; i++) {
		if (vfpga_open(i, &d))
			continue;
		if (!vfpga_reg_read32(d, VFPGA_BAR_USER, CSUM_ID, &id) &&
		    id == CSUM_ID_MAGIC) {
			*dev = d;
			*index = i;
			return 0;
		}
		vfpga_close(d);
	}
	return -ENODEV;
}

FIXTURE(csum) {
	struct vfpga_device *dev;
	struct vfpga_device_info info;
	unsigned int index;
	unsigned int vector;
};

static uint32_t rd(struct vfpga_device *dev, uint32_t reg)
{
	uint32_t v = 0xdeadbeef;

	vfpga_reg_read32(dev, VFPGA_BAR_USER, reg, &v);
	return v;
}

static void wr(struct vfpga_device *dev, uint32_t reg, uint32_t v)
{
	vfpga_reg_write32(dev, VFPGA_BAR_USER, reg, v);
}

FIXTURE_SETUP(csum)
{
	ASSERT_EQ(0, open_checksum_board(&self->dev, &self->index))
		TH_LOG("no board with the checksum engine (user-logic=checksum.so)");
	ASSERT_EQ(0, vfpga_get_info(self->dev, &self->info));
	/* The driver routes user line n to vector n % its vectors. */
	self->vector = LINE % self->info.num_vectors;
	wr(self->dev, CSUM_CTRL, CSUM_CTRL_ABORT);
	wr(self->dev, CSUM_STATUS, CSUM_STATUS_DONE);
	wr(self->dev, CSUM_IRQ_LINE, LINE);
	wr(self->dev, CSUM_LATENCY_NS, 20000);
}

FIXTURE_TEARDOWN(csum)
{
	vfpga_close(self->dev);
}

static void fill(uint8_t *buf, size_t len, unsigned int seed)
{
	srandom(seed);
	while (len--)
		*buf++ = (uint8_t)random();
}

/*
 * The DONE interrupt, acknowledged from user mode: the driver masks the
 * line when it fires; we clear DONE (the line drops) and unmask.  With
 * few vectors (MSI, INTx) the line shares its vector with the DMA
 * channels: a wake-up that finds the engine still busy was theirs.
 */
static int wait_done(struct __test_metadata *_metadata,
		     FIXTURE_DATA(csum) *self, uint32_t *status)
{
	double deadline = now_s() + WAIT_MS / 1000.0;
	struct vfpga_irq_event ev;
	int ret;

	do {
		ret = vfpga_irq_wait(self->dev, self->vector, WAIT_MS, &ev);
		if (ret)
			return ret;
		*status = rd(self->dev, CSUM_STATUS);
	} while (!(*status & CSUM_STATUS_DONE) && now_s() < deadline);
	if (!(*status & CSUM_STATUS_DONE))
		return -ETIMEDOUT;
	wr(self->dev, CSUM_STATUS, CSUM_STATUS_DONE);
	EXPECT_EQ(0, vfpga_irq_unmask(self->dev, 1u << LINE));
	return 0;
}

TEST_F(csum, identity)
{
	EXPECT_EQ(CSUM_ID_MAGIC, self->info.board_id);
	EXPECT_EQ(CSUM_VERSION_CURRENT, rd(self->dev, CSUM_VERSION));
	wr(self->dev, CSUM_SCRATCH, 0xc0ffee42);
	EXPECT_EQ(0xc0ffee42, rd(self->dev, CSUM_SCRATCH));
	wr(self->dev, CSUM_SCRATCH, 0);
	EXPECT_EQ(0, rd(self->dev, CSUM_SCRATCH));
	TH_LOG("checksum engine on /dev/vfpga%u, %s, %u vector(s)",
	       self->index, vfpga_irq_mode_name(self->info.irq_mode),
	       self->info.num_vectors);
}

/* H2C data checksummed on its way in; C2H reads it back through the logic. */
TEST_F(csum, dma_checksummed_on_the_mm_path)
{
	static const uint32_t sizes[] = { 1, 4096, 65536 + 13, 1 << 20,
					  4 << 20 };
	uint32_t status, dma_status, acks, jobs;
	uint8_t *buf = malloc(4 << 20), *back = malloc(4 << 20);
	unsigned int i;

	ASSERT_TRUE(buf && back);
	ASSERT_EQ(0, vfpga_irq_user_ack_take(self->dev, 1u << LINE, NULL));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		fill(buf, sizes[i], i + 1);
		acks = rd(self->dev, CSUM_ACKS);
		jobs = rd(self->dev, CSUM_JOBS);
		wr(self->dev, CSUM_BASE_LO, BASE);
		wr(self->dev, CSUM_BASE_HI, 0);
		wr(self->dev, CSUM_LENGTH, sizes[i]);
		wr(self->dev, CSUM_CTRL, CSUM_CTRL_ARM);
		ASSERT_EQ(0, vfpga_dma_write(self->dev, 0, BASE, buf, sizes[i],
					     0, &dma_status))
			TH_LOG("%u bytes: status 0x%x", sizes[i], dma_status);
		ASSERT_EQ(0, wait_done(_metadata, self, &status))
			TH_LOG("no DONE interrupt for %u bytes", sizes[i]);
		EXPECT_EQ(CSUM_STATUS_DONE, status);
		EXPECT_EQ(sizes[i], rd(self->dev, CSUM_COUNT));
		EXPECT_EQ(crc32_ieee(buf, sizes[i]),
			  rd(self->dev, CSUM_RESULT)) TH_LOG("%u bytes", sizes[i]);
		EXPECT_EQ(jobs + 1, rd(self->dev, CSUM_JOBS));
		/* The request went out: usr_irq_ack came back once. */
		EXPECT_EQ(acks + 1, rd(self->dev, CSUM_ACKS));
		memset(back, 0, sizes[i]);
		ASSERT_EQ(0, vfpga_dma_read(self->dev, 0, BASE, back, sizes[i],
					    0, &dma_status));
		EXPECT_EQ(0, memcmp(buf, back, sizes[i]));
	}
	EXPECT_EQ(0, vfpga_irq_user_ack_give(self->dev, 1u << LINE, NULL));
	free(buf);
	free(back);
}

/* A SCAN of what card memory holds; nothing moves on the DMA path. */
TEST_F(csum, scan_card_memory)
{
	const uint32_t len = 256 * 1024 + 7;
	uint8_t *buf = malloc(len);
	uint32_t status;

	ASSERT_NE(NULL, buf);
	fill(buf, len, 99);
	ASSERT_EQ(0, vfpga_dma_write(self->dev, 1, BASE + 4096, buf, len, 0,
				     NULL));
	ASSERT_EQ(0, vfpga_irq_user_ack_take(self->dev, 1u << LINE, NULL));
	wr(self->dev, CSUM_BASE_LO, BASE + 4096);
	wr(self->dev, CSUM_LENGTH, len);
	wr(self->dev, CSUM_CTRL, CSUM_CTRL_SCAN);
	ASSERT_EQ(0, wait_done(_metadata, self, &status));
	EXPECT_EQ(CSUM_STATUS_DONE, status);
	EXPECT_EQ(crc32_ieee(buf, len), rd(self->dev, CSUM_RESULT));
	EXPECT_EQ(0, vfpga_irq_user_ack_give(self->dev, 1u << LINE, NULL));
	free(buf);
}

TEST_F(csum, scan_outside_card_memory_ends_in_error)
{
	uint64_t card = self->info.bar_size[VFPGA_BAR_CARD_MEM];
	uint32_t status;

	ASSERT_NE(0, card);
	ASSERT_EQ(0, vfpga_irq_user_ack_take(self->dev, 1u << LINE, NULL));
	wr(self->dev, CSUM_BASE_LO, (uint32_t)(card - 16));
	wr(self->dev, CSUM_BASE_HI, (uint32_t)((card - 16) >> 32));
	wr(self->dev, CSUM_LENGTH, 4096);
	wr(self->dev, CSUM_CTRL, CSUM_CTRL_SCAN);
	ASSERT_EQ(0, wait_done(_metadata, self, &status));
	EXPECT_EQ(CSUM_STATUS_DONE | CSUM_STATUS_ERROR, status);
	EXPECT_EQ(0, vfpga_irq_user_ack_give(self->dev, 1u << LINE, NULL));
}

static int kp_job(struct vfpga_kp *kp, uint32_t msg, uint32_t len,
		  uint32_t seed, struct csum_kp_result *r)
{
	struct csum_kp_job j = {
		.base = BASE, .length = len, .line = LINE,
		.latency_ns = 20000, .seed = seed,
	};
	size_t out = sizeof(*r);

	return vfpga_kp_call(kp, msg, &j, sizeof(j), r, &out);
}

/* The kernel plugin runs DMA jobs and takes their interrupts itself. */
TEST_F(csum, kernel_plugin_jobs)
{
	static const uint32_t sizes[] = { 3, 4096, 100000, 1 << 20 };
	struct csum_kp_result r;
	struct vfpga_kp *kp;
	uint8_t *want = malloc(1 << 20);
	unsigned int i;
	int ret;

	ASSERT_NE(NULL, want);
	ret = vfpga_kp_open(self->dev, CSUM_KP_NAME, &kp);
	ASSERT_EQ(0, ret) TH_LOG("open plugin " CSUM_KP_NAME ": %s (is "
				 "csum_kp.ko loaded?)", vfpga_strerror(ret));
	ASSERT_EQ(0, vfpga_kp_int_enable(kp));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		csum_kp_pattern(i + 7, want, sizes[i]);
		ASSERT_EQ(0, kp_job(kp, CSUM_KP_MSG_DMA, sizes[i], i + 7, &r))
			TH_LOG("DMA job of %u bytes", sizes[i]);
		EXPECT_EQ(CSUM_STATUS_DONE, r.status);
		EXPECT_EQ(crc32_ieee(want, sizes[i]), r.result);
		/* One interrupt per job: a DMA and a SCAN per size. */
		EXPECT_EQ(2 * i + 1, r.irqs);
		/* The same window again, by SCAN: the same CRC. */
		ASSERT_EQ(0, kp_job(kp, CSUM_KP_MSG_SCAN, sizes[i], 0, &r));
		EXPECT_EQ(crc32_ieee(want, sizes[i]), r.result);
	}
	/* The plugin cleared DONE in its handler: the line is down. */
	EXPECT_EQ(0, rd(self->dev, CSUM_STATUS));
	EXPECT_EQ(-EINVAL, kp_job(kp, CSUM_KP_MSG_DMA, 0, 1, &r));
	EXPECT_EQ(-ENOMSG, kp_job(kp, 99, 16, 1, &r));
	EXPECT_EQ(0, vfpga_kp_int_disable(kp));
	EXPECT_EQ(0, vfpga_kp_close(kp));
	free(want);
}

/*
 * A SCAN after each DMA job, 48 times, of 3 B to 1 MiB.  With few vectors (one MSI) the
 * DONE line shares its vector with the channels, and a DMA job's DONE
 * rises while the handler serves its channel's interrupt: still the
 * plugin's to take.  Masked behind its back instead, the line stays
 * down, and the SCAN after it, which no channel interrupt accompanies,
 * waits in vain.
 */
TEST_F(csum, kernel_plugin_scan_after_each_dma)
{
	static const uint32_t sizes[] = { 3, 4096, 100000, 1 << 20 };
	uint8_t *want = malloc(1 << 20);
	struct csum_kp_result r;
	struct vfpga_kp *kp;
	unsigned int i;
	uint32_t len;

	ASSERT_NE(NULL, want);
	ASSERT_EQ(0, vfpga_kp_open(self->dev, CSUM_KP_NAME, &kp));
	ASSERT_EQ(0, vfpga_kp_int_enable(kp));
	for (i = 0; i < 48; i++) {
		len = sizes[i % 4];
		csum_kp_pattern(i, want, len);
		ASSERT_EQ(0, kp_job(kp, CSUM_KP_MSG_DMA, len, i, &r))
			TH_LOG("DMA job %u of %u bytes", i, len);
		ASSERT_EQ(crc32_ieee(want, len), r.result);
		ASSERT_EQ(0, kp_job(kp, CSUM_KP_MSG_SCAN, len, 0, &r))
			TH_LOG("SCAN after DMA job %u of %u bytes", i, len);
		ASSERT_EQ(crc32_ieee(want, len), r.result);
		ASSERT_EQ(2 * i + 2, r.irqs);
	}
	EXPECT_EQ(0, vfpga_kp_int_disable(kp));
	EXPECT_EQ(0, vfpga_kp_close(kp));
	free(want);
}

/*
 * The interrupt generator belongs to the reference design: on this board
 * the driver refuses it, and the engine's own registers are untouched.
 */
TEST_F(csum, reference_generator_refused)
{
	unsigned int vector = 99;
	uint32_t raised = 7, acked = 7;

	wr(self->dev, CSUM_SCRATCH, 0x5ca1ab1e);
	EXPECT_EQ(-EOPNOTSUPP, vfpga_irqgen_start(self->dev, LINE, 4,
						  &vector));
	EXPECT_EQ(99, vector);
	EXPECT_EQ(-EOPNOTSUPP, vfpga_irqgen_wait(self->dev, 10, &raised,
						 &acked));
	EXPECT_EQ(0x5ca1ab1e, rd(self->dev, CSUM_SCRATCH));
	EXPECT_EQ(0, rd(self->dev, CSUM_STATUS) & CSUM_STATUS_DONE);
	wr(self->dev, CSUM_SCRATCH, 0);
}

/* The plugin knows the checksum engine only: another board is refused. */
TEST_F(csum, kernel_plugin_refuses_other_logic)
{
	struct vfpga_device *other;
	struct vfpga_kp *kp;
	uint32_t id;
	unsigned int i;
	int tried = 0;

	for (i = 0; i < MAX_BOARDS; i++) {
		if (i == self->index || vfpga_open(i, &other))
			continue;
		if (!vfpga_reg_read32(other, VFPGA_BAR_USER, CSUM_ID, &id) &&
		    id != CSUM_ID_MAGIC) {
			EXPECT_EQ(-ENODEV, vfpga_kp_open(other, CSUM_KP_NAME,
							 &kp))
				TH_LOG("/dev/vfpga%u, ID %#x", i, id);
			tried++;
		}
		vfpga_close(other);
	}
	EXPECT_NE(0, tried) TH_LOG("no board with other user logic");
}

TEST_HARNESS_MAIN
