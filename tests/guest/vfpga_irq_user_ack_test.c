// SPDX-License-Identifier: MIT
/*
 * In-guest tests of user-mode acknowledgement (VFPGA_IRQ_USER_ACK): user
 * space acknowledges the interrupt generator through its BAR0 mapping and
 * unmasks the line, one wake-up per interrupt, nothing lost, in whatever
 * interrupt mode the driver was loaded with (the guest runs this suite in
 * MSI-X, MSI and INTx).  Bad requests get clear errnos; a kernel plugin
 * and user acknowledgement exclude each other; close() gives the lines
 * back.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "libvfpga.h"
#include "uapi/vfpga.h"
#include "vfpga_regs.h"

#define STORM		3000
#define WAIT_MS		5000
#define LINE		3

FIXTURE(uack) {
	struct vfpga_device *dev;
	volatile void *bar0;
};

FIXTURE_SETUP(uack)
{
	uint64_t len;
	int ret = vfpga_open(0, &self->dev);

	ASSERT_EQ(0, ret) TH_LOG("/dev/vfpga0: %s", vfpga_strerror(ret));
	ASSERT_EQ(0, vfpga_bar_map(self->dev, VFPGA_BAR_USER, &self->bar0,
				   &len));
	/* A previous test's generator run is over. */
	ASSERT_EQ(0, vfpga_irqgen_wait(self->dev, WAIT_MS, NULL, NULL));
	vfpga_mmio_write32(self->bar0, VFPGA_IRQGEN_MODE,
			   VFPGA_IRQGEN_MODE_PINGPONG);
}

FIXTURE_TEARDOWN(uack)
{
	vfpga_close(self->dev);
}

static int user_ack_ioctl(struct vfpga_device *dev, uint32_t argsz,
			  uint32_t flags, uint32_t op, uint32_t lines)
{
	struct vfpga_irq_user_ack ua = {
		.argsz = argsz, .flags = flags, .op = op, .lines = lines,
	};

	return ioctl(vfpga_fd(dev), VFPGA_IRQ_USER_ACK, &ua) ? -errno : 0;
}

/*
 * Every interrupt of a ping-pong storm wakes the program once; it
 * acknowledges through the mapping and unmasks; device and driver counts
 * agree exactly.
 */
TEST_F(uack, storm_one_wakeup_per_interrupt)
{
	struct vfpga_irq_event ev;
	uint64_t before, after;
	uint32_t owned = 0, raised, acked, n;
	unsigned int vector;

	ASSERT_EQ(0, vfpga_irq_user_ack_take(self->dev, 1u << LINE, &owned));
	EXPECT_EQ(1u << LINE, owned);
	ASSERT_EQ(0, vfpga_irqgen_start(self->dev, LINE, 1, &vector));
	/* Wait for the first (the count above is 1), then the real run. */
	ASSERT_EQ(0, vfpga_irq_wait(self->dev, vector, WAIT_MS, &ev));
	vfpga_mmio_write32(self->bar0, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
	ASSERT_EQ(0, vfpga_irq_unmask(self->dev, 1u << LINE));
	ASSERT_EQ(0, vfpga_irqgen_wait(self->dev, WAIT_MS, NULL, NULL));
	ASSERT_EQ(0, vfpga_irq_count(self->dev, vector, &before, NULL));

	ASSERT_EQ(0, vfpga_irqgen_start(self->dev, LINE, STORM, &vector));
	for (n = 0; n < STORM; n++) {
		ASSERT_EQ(0, vfpga_irq_wait(self->dev, vector, WAIT_MS, &ev))
			TH_LOG("interrupt %u of %u never came", n + 1, STORM);
		/* Masked until we unmask: exactly one per wake-up. */
		ASSERT_EQ(1, ev.count) TH_LOG("interrupt %u", n + 1);
		ASSERT_EQ(0, ev.lost);
		ASSERT_TRUE(vfpga_mmio_read32(self->bar0, VFPGA_IRQGEN_STATUS) &
			    VFPGA_IRQGEN_STATUS_PENDING);
		ASSERT_EQ(n, vfpga_mmio_read32(self->bar0, VFPGA_IRQGEN_ACKED));
		vfpga_mmio_write32(self->bar0, VFPGA_IRQGEN_ACK,
				   VFPGA_IRQGEN_ACK_BIT);
		ASSERT_EQ(0, vfpga_irq_unmask(self->dev, 1u << LINE));
	}
	ASSERT_EQ(0, vfpga_irqgen_wait(self->dev, WAIT_MS, &raised, &acked));
	EXPECT_EQ(STORM, raised);
	EXPECT_EQ(STORM, acked);
	ASSERT_EQ(0, vfpga_irq_count(self->dev, vector, &after, NULL));
	EXPECT_EQ(STORM, after - before);
	/* Nothing more arrives. */
	EXPECT_EQ(-ETIMEDOUT, vfpga_irq_wait(self->dev, vector, 20, &ev));
	ASSERT_EQ(0, vfpga_irq_user_ack_give(self->dev, 1u << LINE, &owned));
	EXPECT_EQ(0, owned);
}

/* Lines handed back are acknowledged by the driver again. */
TEST_F(uack, give_back_restores_driver_ack)
{
	uint32_t raised, acked;

	ASSERT_EQ(0, vfpga_irq_user_ack_take(self->dev, 1u << LINE, NULL));
	ASSERT_EQ(0, vfpga_irq_user_ack_give(self->dev, 1u << LINE, NULL));
	ASSERT_EQ(0, vfpga_irqgen_start(self->dev, LINE, 1000, NULL));
	ASSERT_EQ(0, vfpga_irqgen_wait(self->dev, WAIT_MS, &raised, &acked));
	EXPECT_EQ(1000, raised);
	EXPECT_EQ(1000, acked);
}

/*
 * close() with an interrupt still masked and unacknowledged: the driver
 * takes the line back, unmasks it and finishes the run.
 */
TEST_F(uack, close_restores_driver_ack)
{
	struct vfpga_device *dev2;
	struct vfpga_irq_event ev;
	uint32_t raised, acked;
	unsigned int vector;

	ASSERT_EQ(0, vfpga_open(0, &dev2));
	ASSERT_EQ(0, vfpga_irq_user_ack_take(dev2, 1u << LINE, NULL));
	ASSERT_EQ(0, vfpga_irqgen_start(dev2, LINE, 50, &vector));
	ASSERT_EQ(0, vfpga_irq_wait(dev2, vector, WAIT_MS, &ev));
	/* Not acknowledged: it stays pending while the line is masked. */
	EXPECT_EQ(-ETIMEDOUT, vfpga_irqgen_wait(self->dev, 20, &raised,
						&acked));
	EXPECT_EQ(1, raised);
	EXPECT_EQ(0, acked);
	vfpga_close(dev2);
	ASSERT_EQ(0, vfpga_irqgen_wait(self->dev, WAIT_MS, &raised, &acked));
	EXPECT_EQ(50, raised);
	EXPECT_EQ(50, acked);
	/* And the line is free to take again. */
	ASSERT_EQ(0, vfpga_irq_user_ack_take(self->dev, 1u << LINE, NULL));
}

TEST_F(uack, bad_requests)
{
	struct vfpga_irq_user_ack ua = { .argsz = sizeof(ua) };
	uint32_t ok = 1u << LINE;

	/* Short argsz, unknown flags, unknown op. */
	EXPECT_EQ(-EINVAL, user_ack_ioctl(self->dev, sizeof(ua) - 4, 0,
					  VFPGA_USER_ACK_TAKE, ok));
	EXPECT_EQ(-EINVAL, user_ack_ioctl(self->dev, sizeof(ua), 1,
					  VFPGA_USER_ACK_TAKE, ok));
	EXPECT_EQ(-EINVAL, user_ack_ioctl(self->dev, sizeof(ua), 0, 0, ok));
	EXPECT_EQ(-EINVAL, user_ack_ioctl(self->dev, sizeof(ua), 0, 4, ok));
	/* No line, a line that does not exist. */
	EXPECT_EQ(-EINVAL, vfpga_irq_user_ack_take(self->dev, 0, NULL));
	EXPECT_EQ(-EINVAL, vfpga_irq_user_ack_take(self->dev, 1u << 16, NULL));
	EXPECT_EQ(-EINVAL, vfpga_irq_user_ack_take(self->dev,
						   0xffffffffu, NULL));
	/* Unmask or give what the handle has not taken. */
	EXPECT_EQ(-EINVAL, vfpga_irq_unmask(self->dev, ok));
	EXPECT_EQ(-EINVAL, vfpga_irq_user_ack_give(self->dev, ok, NULL));
	ASSERT_EQ(0, vfpga_irq_user_ack_take(self->dev, ok, NULL));
	EXPECT_EQ(-EINVAL, vfpga_irq_unmask(self->dev, ok | 1));
	EXPECT_EQ(-EINVAL, vfpga_irq_user_ack_give(self->dev, ok | 1, NULL));
	/* A bad pointer. */
	EXPECT_EQ(-1, ioctl(vfpga_fd(self->dev), VFPGA_IRQ_USER_ACK, NULL));
	EXPECT_EQ(EFAULT, errno);
	/* Taking twice is fine and adds up. */
	ua.op = VFPGA_USER_ACK_TAKE;
	ua.lines = 1;
	ASSERT_EQ(0, ioctl(vfpga_fd(self->dev), VFPGA_IRQ_USER_ACK, &ua));
	EXPECT_EQ(ok | 1, ua.owned);
	EXPECT_EQ(0, vfpga_irq_user_ack_give(self->dev, ok | 1, NULL));
}

/* Two handles cannot take one line; disjoint lines are fine. */
TEST_F(uack, one_owner_per_line)
{
	struct vfpga_device *dev2;

	ASSERT_EQ(0, vfpga_open(0, &dev2));
	ASSERT_EQ(0, vfpga_irq_user_ack_take(self->dev, 1u << LINE, NULL));
	EXPECT_EQ(-EBUSY, vfpga_irq_user_ack_take(dev2, 1u << LINE, NULL));
	EXPECT_EQ(-EBUSY, vfpga_irq_user_ack_take(dev2, 3u << LINE, NULL));
	EXPECT_EQ(-EINVAL, vfpga_irq_unmask(dev2, 1u << LINE));
	EXPECT_EQ(0, vfpga_irq_user_ack_take(dev2, 1u << (LINE + 1), NULL));
	vfpga_close(dev2);
	ASSERT_EQ(0, vfpga_irq_user_ack_give(self->dev, 1u << LINE, NULL));
}

/* A kernel plugin with the interrupts and user acknowledgement exclude
 * each other, both ways. */
TEST_F(uack, excludes_kernel_plugin)
{
	struct vfpga_kp *kp;
	int ret;

	ret = vfpga_kp_open(self->dev, "sample", &kp);
	if (ret == -ENOENT)
		SKIP(return, "the sample plugin is not loaded");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, vfpga_kp_int_enable(kp));
	EXPECT_EQ(-EBUSY, vfpga_irq_user_ack_take(self->dev, 1u << LINE,
						  NULL));
	ASSERT_EQ(0, vfpga_kp_int_disable(kp));
	ASSERT_EQ(0, vfpga_irq_user_ack_take(self->dev, 1u << LINE, NULL));
	EXPECT_EQ(-EBUSY, vfpga_kp_int_enable(kp));
	ASSERT_EQ(0, vfpga_irq_user_ack_give(self->dev, 1u << LINE, NULL));
	EXPECT_EQ(0, vfpga_kp_int_enable(kp));
	EXPECT_EQ(0, vfpga_kp_close(kp));
}

TEST_HARNESS_MAIN
