// SPDX-License-Identifier: MIT
/*
 * Surprise removal, run last in the guest: the board's fault injection
 * makes it vanish (all-ones reads, DMA stops).  Blocked callers wake up,
 * every later call returns -ENODEV, and nothing in the kernel breaks.
 * The board stays gone until the machine resets.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "kselftest_harness.h"
#include "libvfpga.h"
#include "vfpga_regs.h"

struct waiter {
	struct vfpga_device *dev;
	int ret;
};

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;
	struct vfpga_irq_event ev;

	w->ret = vfpga_irq_wait(w->dev, 0, 20000, &ev);
	return NULL;
}

TEST(surprise_removal)
{
	struct vfpga_device *dev, *again;
	struct vfpga_device_info info;
	struct waiter w;
	volatile void *user;
	uint8_t data[4096];
	uint64_t len;
	uint32_t v;
	pthread_t t;

	ASSERT_EQ(0, vfpga_open(0, &dev));
	ASSERT_EQ(0, vfpga_bar_map(dev, VFPGA_BAR_USER, &user, &len));
	w.dev = dev;
	ASSERT_EQ(0, pthread_create(&t, NULL, wait_thread, &w));

	ASSERT_EQ(0, vfpga_reg_write32(dev, VFPGA_BAR_USER, VFPGA_USER_FAULT,
				       VFPGA_FAULT_SURPRISE_REMOVAL));
	/* The first read sees all-ones: the driver notices. */
	EXPECT_EQ(-ENODEV, vfpga_reg_read32(dev, VFPGA_BAR_USER,
					    VFPGA_USER_ID, &v));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(-ENODEV, w.ret);

	EXPECT_EQ(-ENODEV, vfpga_get_info(dev, &info));
	EXPECT_EQ(-ENODEV, vfpga_reg_write32(dev, VFPGA_BAR_USER,
					     VFPGA_USER_SCRATCH, 1));
	memset(data, 1, sizeof(data));
	EXPECT_EQ(-ENODEV, vfpga_dma_write(dev, 0, 0, data, sizeof(data), 0,
					   NULL));
	EXPECT_EQ(-ENODEV, vfpga_irqgen_start(dev, 0, 10, NULL));
	/* A mapping made before still reads what the board answers. */
	EXPECT_EQ(0xffffffffu, vfpga_mmio_read32(user, VFPGA_USER_ID));
	EXPECT_EQ(-ENODEV, vfpga_open(0, &again));
	vfpga_close(dev);
}

TEST_HARNESS_MAIN
