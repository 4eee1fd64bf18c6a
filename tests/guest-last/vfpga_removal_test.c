// SPDX-License-Identifier: MIT
/*
 * Surprise removal, run last in the guest: the board's fault injection
 * makes it vanish (all-ones reads, DMA stops).  Blocked callers wake up,
 * every later call returns -ENODEV, and nothing in the kernel breaks.
 * The board stays gone until the machine resets.
 *
 * The test plugin (kptest) is open on the board in both modes, in the
 * kernel and hosted here, each with one handle that has the board's
 * interrupts: every handle gets VFPGA_KP_EVENT_REMOVED exactly once.
 * Another board, if any, is not touched.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "libvfpga.h"
#include "vfpga_kp_kptest.h"
#include "vfpga_regs.h"
#include "vfpga_test_util.h"

#define KP_HANDLES	2	/* per mode */

static int kptest_counters(struct vfpga_kp *kp,
			   struct vfpga_kp_kptest_counters *c)
{
	size_t len = sizeof(*c);

	return vfpga_kp_call(kp, VFPGA_KP_KPTEST_MSG_COUNTERS, NULL, 0, c,
			     &len);
}

static uint64_t kptest_serial(struct vfpga_kp *kp)
{
	struct vfpga_kp_kptest_info info;
	size_t len = sizeof(info);

	if (vfpga_kp_call(kp, VFPGA_KP_KPTEST_MSG_INFO, NULL, 0, &info, &len))
		return 0;
	return info.serial;
}

/* How often the kernel plugin logged the removal of handle @serial. */
static int removed_logged(uint64_t serial)
{
	char want[64];

	snprintf(want, sizeof(want), "plugin %s: board removed (handle %llu)",
		 VFPGA_KP_KPTEST_NAME, (unsigned long long)serial);
	return dmesg_count(want);
}

/* A plugin's waiter, in either mode: woken by the removal. */
struct kp_waiter {
	struct vfpga_kp *kp;
	int ret;
	double secs;
};

static void *kp_wait_thread(void *arg)
{
	struct kp_waiter *w = arg;
	struct vfpga_irq_event ev;
	double t0 = now_s();

	w->ret = vfpga_kp_wait(w->kp, 20000, &ev);
	w->secs = now_s() - t0;
	return NULL;
}

/* A kernel plugin's call that waits for an interrupt (MSG_WAIT_IRQ). */
struct call_waiter {
	struct vfpga_kp *kp;
	int ret;
};

static void *call_wait_thread(void *arg)
{
	struct call_waiter *w = arg;
	uint32_t ms = 20000;

	w->ret = vfpga_kp_call(w->kp, VFPGA_KP_KPTEST_MSG_WAIT_IRQ, &ms,
			       sizeof(ms), NULL, NULL);
	return NULL;
}

TEST(surprise_removal)
{
	struct call_waiter cw;
	pthread_t ct;
	struct vfpga_kp *kk[KP_HANDLES], *ku[KP_HANDLES], *other = NULL;
	struct vfpga_kp_kptest_counters c, oc;
	uint64_t serial[KP_HANDLES];
	int logged[KP_HANDLES];
	struct vfpga_device *dev, *again, *dev1 = NULL;
	struct vfpga_device_info info;
	struct kp_waiter kw[2];
	pthread_t kt[2];
	struct irq_waiter w = { .vector = 0, .timeout_ms = 20000 };
	volatile void *user;
	uint8_t data[4096];
	uint64_t len;
	uint32_t v;
	pthread_t t;
	int i, tries;

	ASSERT_EQ(0, vfpga_open(0, &dev));
	ASSERT_EQ(0, vfpga_bar_map(dev, VFPGA_BAR_USER, &user, &len));
	for (i = 0; i < KP_HANDLES; i++) {
		ASSERT_EQ(0, vfpga_kp_open(dev, VFPGA_KP_KPTEST_NAME, &kk[i]));
		serial[i] = kptest_serial(kk[i]);
		ASSERT_NE(0, serial[i]);
		/* Earlier loads of the plugin may have logged this serial. */
		logged[i] = removed_logged(serial[i]);
		ASSERT_LE(0, logged[i]);
		ASSERT_EQ(0, vfpga_kp_open_mode(dev, VFPGA_KP_KPTEST_NAME,
						VFPGA_KP_USER, &ku[i]));
	}
	ASSERT_EQ(0, vfpga_kp_int_enable(kk[0]));
	ASSERT_EQ(0, vfpga_kp_int_enable(ku[1]));
	/* The same plugin on the other board hears nothing. */
	if (vfpga_open(1, &dev1) == 0)
		ASSERT_EQ(0, vfpga_kp_open_mode(dev1, VFPGA_KP_KPTEST_NAME,
						VFPGA_KP_USER, &other));
	w.dev = dev;
	ASSERT_EQ(0, pthread_create(&t, NULL, irq_wait_thread, &w));
	kw[0].kp = kk[0];
	kw[1].kp = ku[1];
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&kt[i], NULL, kp_wait_thread,
					    &kw[i]));
	/* A call that waits with vfpga_kp_wait_until() ends with the board. */
	cw.kp = kk[1];
	ASSERT_EQ(0, pthread_create(&ct, NULL, call_wait_thread, &cw));
	usleep(100000);	/* into its wait (-ENODEV either way) */

	ASSERT_EQ(0, vfpga_reg_write32(dev, VFPGA_BAR_USER, VFPGA_USER_FAULT,
				       VFPGA_FAULT_SURPRISE_REMOVAL));
	/* The first read sees all-ones: the driver notices. */
	EXPECT_EQ(-ENODEV, vfpga_reg_read32(dev, VFPGA_BAR_USER,
					    VFPGA_USER_ID, &v));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(-ENODEV, w.ret);
	/* Plugin waiters wake too, in both modes, long before their timeout. */
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, pthread_join(kt[i], NULL));
		EXPECT_EQ(-ENODEV, kw[i].ret) TH_LOG("%s mode",
						    i ? "user" : "kernel");
		EXPECT_TRUE(kw[i].secs < 10.0) TH_LOG("%.1f s", kw[i].secs);
	}
	ASSERT_EQ(0, pthread_join(ct, NULL));
	EXPECT_EQ(-ENODEV, cw.ret);

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

	/*
	 * The plugins heard of it, once per handle: user mode from the
	 * -ENODEV its ioctls saw, kernel mode from the driver.
	 */
	for (tries = 0; tries < 500; tries++) {
		ASSERT_EQ(0, kptest_counters(ku[0], &c));
		if (c.removed_all >= KP_HANDLES &&
		    removed_logged(serial[0]) > logged[0] &&
		    removed_logged(serial[1]) > logged[1])
			break;
		usleep(10000);
	}
	usleep(200000);		/* time for a second event, if one came */
	for (i = 0; i < KP_HANDLES; i++) {
		ASSERT_EQ(0, kptest_counters(ku[i], &c));
		EXPECT_EQ(1, c.removed) TH_LOG("user-mode handle %d", i);
		EXPECT_EQ(KP_HANDLES, c.removed_all);
		EXPECT_EQ(1, removed_logged(serial[i]) - logged[i])
			TH_LOG("kernel handle %llu",
			       (unsigned long long)serial[i]);
		EXPECT_EQ(-ENODEV, kptest_counters(kk[i], &c));
	}
	/* The interrupts were taken back: enabling them fails now. */
	EXPECT_EQ(-ENODEV, vfpga_kp_int_enable(ku[0]));
	EXPECT_EQ(-ENODEV, vfpga_kp_int_enable(kk[1]));
	if (other) {
		ASSERT_EQ(0, kptest_counters(other, &oc));
		EXPECT_EQ(0, oc.removed);
		EXPECT_EQ(KP_HANDLES, oc.removed_all);
		EXPECT_EQ(0, vfpga_reg_read32(dev1, VFPGA_BAR_USER,
					      VFPGA_USER_ID, &v));
		EXPECT_EQ(VFPGA_ID_MAGIC, v);
		EXPECT_EQ(0, vfpga_kp_close(other));
	}
	if (dev1)
		vfpga_close(dev1);
	for (i = 0; i < KP_HANDLES; i++) {
		vfpga_kp_close(kk[i]);
		EXPECT_EQ(0, vfpga_kp_close(ku[i]));
	}
	vfpga_close(dev);
}

TEST_HARNESS_MAIN
