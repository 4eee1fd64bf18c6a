// SPDX-License-Identifier: MIT
/*
 * In-guest tests of the core's rules for kernel plugins, with the test
 * plugin (driver/kp/test-plugin/, "kptest" and "kptest-failopen") and the
 * sample: two plugins on one board, one plugin on two boards, an open
 * that fails, errors from call, a plugin that says "not mine", boards
 * sharing an INTx line, and the per-plugin figures in debugfs.
 *
 * The guest has two boards (scripts/boot-guest.sh): /dev/vfpga0 and
 * /dev/vfpga1, whose INTx pins share an interrupt line.  The tests of the
 * rules fixture run with each plugin in the kernel (rules.kernel) and
 * hosted in this program (rules.user): the same results are expected.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "libvfpga.h"
#include "uapi/vfpga.h"
#include "vfpga_kp_kptest.h"
#include "vfpga_kp_sample.h"
#include "vfpga_regs.h"

#define TIMEOUT_MS	120000
#define KPTEST_KO	"/lib/modules/vfpga_kp_kptest.ko"
#define KPTEST_REFCNT	"/sys/module/vfpga_kp_kptest/refcnt"
#define DEBUGFS_PLUGINS	"/sys/kernel/debug/vfpga/plugins/"

static int kptest_counters(struct vfpga_kp *kp,
			   struct vfpga_kp_kptest_counters *c)
{
	size_t len = sizeof(*c);
	int ret;

	ret = vfpga_kp_call(kp, VFPGA_KP_KPTEST_MSG_COUNTERS, NULL, 0, c,
			    &len);
	if (ret == 0 && len != sizeof(*c))
		return -EPROTO;
	return ret;
}

static int kptest_fail(struct vfpga_kp *kp, int32_t err)
{
	return vfpga_kp_call(kp, VFPGA_KP_KPTEST_MSG_FAIL, &err, sizeof(err),
			     NULL, NULL);
}

static int kptest_decline(struct vfpga_kp *kp, uint32_t on)
{
	return vfpga_kp_call(kp, VFPGA_KP_KPTEST_MSG_DECLINE, &on, sizeof(on),
			     NULL, NULL);
}

static int kptest_info(struct vfpga_kp *kp, struct vfpga_kp_kptest_info *i)
{
	size_t len = sizeof(*i);
	int ret;

	ret = vfpga_kp_call(kp, VFPGA_KP_KPTEST_MSG_INFO, NULL, 0, i, &len);
	if (ret == 0 && len != sizeof(*i))
		return -EPROTO;
	return ret;
}

/* Wait until int_at_irql saw @n interrupts, taken or declined. */
static int kptest_settle(struct vfpga_kp *kp, uint64_t n,
			 struct vfpga_kp_kptest_counters *c)
{
	int i, ret;

	for (i = 0; i < 30000; i++) {
		ret = kptest_counters(kp, c);
		if (ret)
			return ret;
		if (c->irqs + c->declined >= n && c->dpc_requests == c->irqs)
			return 0;
		usleep(1000);
	}
	return -ETIMEDOUT;
}

static int sample_counters(struct vfpga_kp *kp,
			   struct vfpga_kp_sample_counters *c)
{
	size_t len = sizeof(*c);

	return vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_COUNTERS, NULL, 0, c,
			     &len);
}

static int sample_storm(struct vfpga_kp *kp, uint32_t line, uint32_t count)
{
	struct vfpga_kp_sample_storm st = { .line = line, .count = count };

	return vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_STORM, &st, sizeof(st),
			     NULL, NULL);
}

static int sample_settle(struct vfpga_kp *kp, uint64_t irqs,
			 struct vfpga_kp_sample_counters *c)
{
	int i, ret;

	for (i = 0; i < 30000; i++) {
		ret = sample_counters(kp, c);
		if (ret || (c->irqs == irqs && c->dpc_requests == c->irqs))
			return ret;
		usleep(1000);
	}
	return -ETIMEDOUT;
}

/* /sys/module/vfpga_kp_kptest/refcnt, or -1. */
static long kptest_refcnt(void)
{
	FILE *f = fopen(KPTEST_REFCNT, "r");
	long n = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}

/* The PCI address of /dev/vfpga@index, into @buf. */
static int board_pci_name(unsigned int index, char *buf, size_t size)
{
	char link[64], target[256];
	ssize_t n;

	snprintf(link, sizeof(link), "/sys/class/vfpga/vfpga%u/device", index);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = 0;
	snprintf(buf, size, "%s", basename(target));
	return 0;
}

FIXTURE(rules) {
	struct vfpga_device *dev;
	struct vfpga_device_info info;
};

FIXTURE_VARIANT(rules) {
	enum vfpga_kp_mode mode;
};

FIXTURE_VARIANT_ADD(rules, kernel) {
	.mode = VFPGA_KP_KERNEL,
};

FIXTURE_VARIANT_ADD(rules, user) {
	.mode = VFPGA_KP_USER,
};

FIXTURE_SETUP(rules)
{
	int ret = vfpga_open(0, &self->dev);

	ASSERT_EQ(0, ret) TH_LOG("/dev/vfpga0: %s", vfpga_strerror(ret));
	ASSERT_EQ(0, vfpga_get_info(self->dev, &self->info));
}

FIXTURE_TEARDOWN(rules)
{
	vfpga_close(self->dev);
}

/*
 * Two plugins on one board handle, then on two handles of one board:
 * both answer calls, one at a time has the board's interrupts.
 */
static void two_plugins(struct __test_metadata *_metadata,
			struct vfpga_device *dev_a, struct vfpga_device *dev_b,
			enum vfpga_kp_mode mode)
{
	struct vfpga_kp_sample_version v;
	struct vfpga_kp_kptest_counters c;
	struct vfpga_kp_kptest_info info;
	struct vfpga_kp *sample, *kptest;
	uint32_t raised, acked;
	size_t len = sizeof(v);

	ASSERT_EQ(0, vfpga_kp_open_mode(dev_a, VFPGA_KP_SAMPLE_NAME, mode,
					&sample));
	ASSERT_EQ(0, vfpga_kp_open_mode(dev_b, VFPGA_KP_KPTEST_NAME, mode,
					&kptest));
	ASSERT_EQ(0, vfpga_kp_call(sample, VFPGA_KP_SAMPLE_MSG_VERSION, NULL,
				   0, &v, &len));
	EXPECT_EQ(VFPGA_KP_SAMPLE_VERSION, v.version);
	EXPECT_EQ(VFPGA_ID_MAGIC, v.board_id);
	ASSERT_EQ(0, kptest_info(kptest, &info));
	EXPECT_EQ(VFPGA_KP_KPTEST_VERSION, info.version);
	EXPECT_EQ(VFPGA_ID_MAGIC, info.board_id);

	ASSERT_EQ(0, vfpga_kp_int_enable(sample));
	EXPECT_EQ(-EBUSY, vfpga_kp_int_enable(kptest));
	/* Still answering calls while the other has the interrupts. */
	ASSERT_EQ(0, kptest_counters(kptest, &c));
	EXPECT_EQ(0, c.irqs);
	ASSERT_EQ(0, vfpga_kp_int_disable(sample));
	ASSERT_EQ(0, vfpga_kp_int_enable(kptest));
	EXPECT_EQ(-EBUSY, vfpga_kp_int_enable(sample));

	/* The interrupts go to the plugin that has them. */
	ASSERT_EQ(0, vfpga_irqgen_start(dev_a, 3, 500, NULL));
	ASSERT_EQ(0, vfpga_irqgen_wait(dev_a, TIMEOUT_MS, &raised, &acked));
	EXPECT_EQ(500, raised);
	EXPECT_EQ(500, acked);
	ASSERT_EQ(0, kptest_settle(kptest, 500, &c));
	EXPECT_EQ(500, c.irqs);
	EXPECT_EQ(0, c.declined);
	EXPECT_EQ(500, c.dpc_requests);

	/* Closing the holder frees the interrupts for the other. */
	EXPECT_EQ(0, vfpga_kp_close(kptest));
	EXPECT_EQ(0, vfpga_kp_int_enable(sample));
	EXPECT_EQ(0, vfpga_kp_close(sample));
}

TEST_F(rules, two_plugins_one_handle)
{
	two_plugins(_metadata, self->dev, self->dev, variant->mode);
}

TEST_F(rules, two_plugins_two_handles)
{
	struct vfpga_device *dev2;

	ASSERT_EQ(0, vfpga_open(0, &dev2));
	two_plugins(_metadata, self->dev, dev2, variant->mode);
	vfpga_close(dev2);
}

/*
 * One plugin on two boards: separate contexts, both may have their own
 * board's interrupts, and storms on both at once are counted exactly per
 * board.
 */
TEST_F(rules, two_boards_one_plugin)
{
	struct vfpga_kp_sample_counters c0, c1;
	struct vfpga_kp_perf p0, p1;
	struct vfpga_kp_kptest_info i0, i1;
	struct vfpga_device *dev1;
	struct vfpga_kp *kp0, *kp1, *t0, *t1;
	uint64_t h0[2], h1[2];
	uint32_t raised, acked;

	ASSERT_EQ(0, access("/dev/vfpga1", F_OK))
		TH_LOG("no second board: boot with scripts/boot-guest.sh");
	ASSERT_EQ(0, vfpga_open(1, &dev1));
	ASSERT_EQ(0, vfpga_kp_open_mode(self->dev, VFPGA_KP_SAMPLE_NAME,
					variant->mode, &kp0));
	ASSERT_EQ(0, vfpga_kp_open_mode(dev1, VFPGA_KP_SAMPLE_NAME,
					variant->mode, &kp1));
	/* Handles of one plugin on two boards are two contexts. */
	ASSERT_EQ(0, vfpga_kp_open_mode(self->dev, VFPGA_KP_KPTEST_NAME,
					variant->mode, &t0));
	ASSERT_EQ(0, vfpga_kp_open_mode(dev1, VFPGA_KP_KPTEST_NAME,
					variant->mode, &t1));
	ASSERT_EQ(0, kptest_info(t0, &i0));
	ASSERT_EQ(0, kptest_info(t1, &i1));
	EXPECT_EQ(i0.serial + 1, i1.serial);
	EXPECT_EQ(0, vfpga_kp_close(t0));
	EXPECT_EQ(0, vfpga_kp_close(t1));

	/* One interrupt holder per board, not per plugin. */
	ASSERT_EQ(0, vfpga_kp_int_enable(kp0));
	ASSERT_EQ(0, vfpga_kp_int_enable(kp1));
	if (variant->mode == VFPGA_KP_KERNEL)
		ASSERT_EQ(0, vfpga_kp_perf(kp0, &p0));
	ASSERT_EQ(0, vfpga_irq_count(self->dev, 0, &h0[0], NULL));
	ASSERT_EQ(0, vfpga_irq_count(dev1, 0, &h1[0], NULL));
	ASSERT_EQ(0, sample_storm(kp0, 0, 3000));
	ASSERT_EQ(0, sample_storm(kp1, 0, 2000));
	ASSERT_EQ(0, vfpga_irqgen_wait(self->dev, TIMEOUT_MS, &raised, &acked));
	EXPECT_EQ(3000, raised);
	EXPECT_EQ(3000, acked);
	ASSERT_EQ(0, vfpga_irqgen_wait(dev1, TIMEOUT_MS, &raised, &acked));
	EXPECT_EQ(2000, raised);
	EXPECT_EQ(2000, acked);
	ASSERT_EQ(0, sample_settle(kp0, 3000, &c0));
	ASSERT_EQ(0, sample_settle(kp1, 2000, &c1));
	ASSERT_EQ(0, vfpga_irq_count(self->dev, 0, &h0[1], NULL));
	ASSERT_EQ(0, vfpga_irq_count(dev1, 0, &h1[1], NULL));
	EXPECT_EQ(3000, c0.irqs);
	EXPECT_EQ(2000, c1.irqs);
	EXPECT_EQ(3000, h0[1] - h0[0]);
	EXPECT_EQ(2000, h1[1] - h1[0]);
	if (variant->mode == VFPGA_KP_KERNEL) {
		/* The core's figures are the plugin's, both boards. */
		ASSERT_EQ(0, vfpga_kp_perf(kp1, &p1));
		EXPECT_EQ(5000, p1.irql.count - p0.irql.count);
	}
	EXPECT_EQ(0, vfpga_kp_close(kp0));
	EXPECT_EQ(0, vfpga_kp_close(kp1));
	vfpga_close(dev1);
}

/*
 * A plugin whose open fails: its errno reaches the caller, no handle is
 * left, the module's reference is dropped, the plugin's close never ran.
 */
TEST_F(rules, open_fails)
{
	struct vfpga_kp_open o = { .argsz = sizeof(o),
				   .name = VFPGA_KP_KPTEST_FAILOPEN_NAME };
	struct vfpga_kp_kptest_counters c0, c1;
	struct vfpga_kp *kp, *bad = NULL;
	long ref0 = -1, ref1;
	int i;

	ASSERT_EQ(0, vfpga_kp_open_mode(self->dev, VFPGA_KP_KPTEST_NAME,
					variant->mode, &kp));
	if (variant->mode == VFPGA_KP_KERNEL) {
		ref0 = kptest_refcnt();
		ASSERT_LT(0, ref0) TH_LOG("%s unreadable", KPTEST_REFCNT);
	}
	ASSERT_EQ(0, kptest_counters(kp, &c0));
	for (i = 0; i < 10; i++) {
		EXPECT_EQ(-EPERM, vfpga_kp_open_mode(self->dev,
			  VFPGA_KP_KPTEST_FAILOPEN_NAME, variant->mode, &bad));
	}
	EXPECT_EQ(NULL, bad);
	ASSERT_EQ(0, kptest_counters(kp, &c1));
	EXPECT_EQ(10, c1.opens - c0.opens);
	EXPECT_EQ(c0.closes, c1.closes);
	if (variant->mode == VFPGA_KP_KERNEL) {
		EXPECT_EQ(ref0, kptest_refcnt());
		/* The same through the ioctl. */
		EXPECT_EQ(-1, ioctl(vfpga_fd(self->dev), VFPGA_KP_OPEN, &o));
		EXPECT_EQ(EPERM, errno);
		EXPECT_EQ(ref0, kptest_refcnt());
	}
	EXPECT_EQ(0, vfpga_kp_close(kp));
	if (variant->mode == VFPGA_KP_KERNEL) {
		/* The handle held one reference, and only that one. */
		ref1 = kptest_refcnt();
		EXPECT_EQ(ref0 - 1, ref1);
	}
}

/* Whatever errno a plugin's call returns reaches the caller unchanged. */
TEST_F(rules, call_errors_reach_caller)
{
	static const int32_t errs[] = { -EIO, -ENOSPC, -EPERM, -ENODATA,
					-ETIMEDOUT, -EOVERFLOW, -4095 };
	struct vfpga_kp_call c = { .argsz = sizeof(c) };
	struct vfpga_kp_kptest_info info;
	struct vfpga_kp_open o = { .argsz = sizeof(o),
				   .name = VFPGA_KP_KPTEST_NAME };
	int fd = vfpga_fd(self->dev);
	struct vfpga_kp *kp;
	int32_t err;
	unsigned int i;

	ASSERT_EQ(0, vfpga_kp_open_mode(self->dev, VFPGA_KP_KPTEST_NAME,
					variant->mode, &kp));
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
		EXPECT_EQ(errs[i], kptest_fail(kp, errs[i]));
	/* Bad requests to the plugin: its own -EINVAL and -ENOMSG. */
	EXPECT_EQ(-EINVAL, kptest_fail(kp, 0));
	EXPECT_EQ(-EINVAL, kptest_fail(kp, 5));
	EXPECT_EQ(-EINVAL, kptest_fail(kp, -4096));
	err = -EIO;
	EXPECT_EQ(-EINVAL, vfpga_kp_call(kp, VFPGA_KP_KPTEST_MSG_FAIL, &err,
					 2, NULL, NULL));
	EXPECT_EQ(-ENOMSG, vfpga_kp_call(kp, 77, NULL, 0, NULL, NULL));
	EXPECT_EQ(-EINVAL, kptest_decline(kp, 2));
	/* A failed call changes nothing: the next one works. */
	ASSERT_EQ(0, kptest_info(kp, &info));
	EXPECT_EQ(VFPGA_KP_KPTEST_VERSION, info.version);
	EXPECT_EQ(0, vfpga_kp_close(kp));

	if (variant->mode != VFPGA_KP_KERNEL)
		return;
	/* Through the ioctl: the errno, and nothing written back. */
	ASSERT_EQ(0, ioctl(fd, VFPGA_KP_OPEN, &o));
	err = -ENOSPC;
	c.handle = o.handle;
	c.msg = VFPGA_KP_KPTEST_MSG_FAIL;
	c.in = (uintptr_t)&err;
	c.in_size = sizeof(err);
	c.result = 1234;
	EXPECT_EQ(-1, ioctl(fd, VFPGA_KP_CALL, &c));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(1234, c.result);
}

/*
 * "Not mine": the plugin has the interrupts but declines each one; the
 * core acknowledges them itself and the generator's run completes.
 */
TEST_F(rules, decline_leaves_interrupts_to_the_core)
{
	struct vfpga_kp_kptest_counters c;
	struct vfpga_kp_perf p0, p1;
	uint64_t h0, h1;
	uint32_t raised, acked;
	struct vfpga_kp *kp;

	ASSERT_EQ(0, vfpga_kp_open_mode(self->dev, VFPGA_KP_KPTEST_NAME,
					variant->mode, &kp));
	ASSERT_EQ(0, kptest_decline(kp, 1));
	ASSERT_EQ(0, vfpga_kp_int_enable(kp));
	if (variant->mode == VFPGA_KP_KERNEL)
		ASSERT_EQ(0, vfpga_kp_perf(kp, &p0));
	ASSERT_EQ(0, vfpga_irq_count(self->dev, 0, &h0, NULL));
	ASSERT_EQ(0, vfpga_irqgen_start(self->dev, 0, 2000, NULL));
	ASSERT_EQ(0, vfpga_irqgen_wait(self->dev, TIMEOUT_MS, &raised, &acked));
	EXPECT_EQ(2000, raised);
	EXPECT_EQ(2000, acked);
	ASSERT_EQ(0, kptest_settle(kp, 2000, &c));
	ASSERT_EQ(0, vfpga_irq_count(self->dev, 0, &h1, NULL));
	EXPECT_EQ(2000, h1 - h0);
	EXPECT_EQ(0, c.irqs);
	EXPECT_EQ(2000, c.declined);
	EXPECT_EQ(0, c.dpc_requests);
	if (variant->mode == VFPGA_KP_KERNEL) {
		/* int_at_irql ran once per interrupt, int_at_dpc never. */
		ASSERT_EQ(0, vfpga_kp_perf(kp, &p1));
		EXPECT_EQ(2000, p1.irql.count - p0.irql.count);
		EXPECT_EQ(p0.dpc.count, p1.dpc.count);
	}

	/* Taking them again: the plugin acknowledges, the core counts. */
	ASSERT_EQ(0, kptest_decline(kp, 0));
	ASSERT_EQ(0, vfpga_irqgen_start(self->dev, 0, 1000, NULL));
	ASSERT_EQ(0, vfpga_irqgen_wait(self->dev, TIMEOUT_MS, &raised, &acked));
	EXPECT_EQ(1000, acked);
	ASSERT_EQ(0, kptest_settle(kp, 3000, &c));
	EXPECT_EQ(1000, c.irqs);
	EXPECT_EQ(2000, c.declined);
	EXPECT_EQ(1000, c.dpc_requests);
	EXPECT_EQ(0, c.not_pending);
	EXPECT_EQ(0, vfpga_kp_close(kp));
}

/*
 * INTx: the two boards share one interrupt line.  Board 1's interrupts
 * run board 0's handler too, which finds nothing pending: they never
 * reach board 0's plugin and count as not-mine on board 0.
 */
TEST_F(rules, intx_shared_line_not_mine)
{
	struct vfpga_kp_kptest_counters c;
	struct vfpga_kp_perf p0, p1;
	struct vfpga_device *dev1;
	uint64_t h0[2], n0[2], h1[2];
	uint32_t raised, acked;
	char pci0[64], pci1[64], line[512];
	struct vfpga_kp *kp;
	bool shared = false;
	int irq = -1;
	FILE *f;

	if (self->info.irq_mode != VFPGA_IRQ_INTX)
		SKIP(return, "INTx only (irq_mode %s)",
		     vfpga_irq_mode_name(self->info.irq_mode));
	ASSERT_EQ(0, vfpga_open(1, &dev1));
	ASSERT_EQ(0, board_pci_name(0, pci0, sizeof(pci0)));
	ASSERT_EQ(0, board_pci_name(1, pci1, sizeof(pci1)));
	f = fopen("/proc/interrupts", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, pci0) && strstr(line, pci1)) {
			shared = true;
			irq = atoi(line);
		}
	fclose(f);
	ASSERT_TRUE(shared) TH_LOG("%s and %s do not share an IRQ", pci0,
				   pci1);

	ASSERT_EQ(0, vfpga_kp_open_mode(self->dev, VFPGA_KP_KPTEST_NAME,
					variant->mode, &kp));
	ASSERT_EQ(0, vfpga_kp_int_enable(kp));
	if (variant->mode == VFPGA_KP_KERNEL)
		ASSERT_EQ(0, vfpga_kp_perf(kp, &p0));
	ASSERT_EQ(0, vfpga_irq_count(self->dev, 0, &h0[0], &n0[0]));
	ASSERT_EQ(0, vfpga_irq_count(dev1, 0, &h1[0], NULL));
	ASSERT_EQ(0, vfpga_irqgen_start(dev1, 0, 2000, NULL));
	ASSERT_EQ(0, vfpga_irqgen_wait(dev1, TIMEOUT_MS, &raised, &acked));
	EXPECT_EQ(2000, acked);
	ASSERT_EQ(0, vfpga_irq_count(self->dev, 0, &h0[1], &n0[1]));
	ASSERT_EQ(0, vfpga_irq_count(dev1, 0, &h1[1], NULL));
	EXPECT_EQ(2000, h1[1] - h1[0]);
	EXPECT_EQ(0, h0[1] - h0[0]);
	EXPECT_LE(2000, n0[1] - n0[0]);
	printf("# intx shared IRQ %d (%s, %s): 2000 interrupts of board 1, board 0 not-mine +%llu, handled +%llu\n",
	       irq, pci0, pci1, (unsigned long long)(n0[1] - n0[0]),
	       (unsigned long long)(h0[1] - h0[0]));
	usleep(200000);		/* user mode: let the thread run, if it would */
	ASSERT_EQ(0, kptest_counters(kp, &c));
	EXPECT_EQ(0, c.irqs);
	EXPECT_EQ(0, c.declined);
	EXPECT_EQ(0, c.not_pending);
	if (variant->mode == VFPGA_KP_KERNEL) {
		ASSERT_EQ(0, vfpga_kp_perf(kp, &p1));
		EXPECT_EQ(p0.irql.count, p1.irql.count);
	}

	/* Board 0's own interrupts still reach its plugin, all of them. */
	ASSERT_EQ(0, vfpga_irqgen_start(self->dev, 0, 1000, NULL));
	ASSERT_EQ(0, vfpga_irqgen_wait(self->dev, TIMEOUT_MS, &raised,
				       &acked));
	EXPECT_EQ(1000, acked);
	ASSERT_EQ(0, kptest_settle(kp, 1000, &c));
	EXPECT_EQ(1000, c.irqs);
	ASSERT_EQ(0, vfpga_irq_count(dev1, 0, &h1[0], NULL));
	EXPECT_EQ(h1[1], h1[0]);
	EXPECT_EQ(0, vfpga_kp_close(kp));
	vfpga_close(dev1);
}

/* One figure of a debugfs stats file, by its name; -1 if absent. */
static int64_t stat_figure(const char *text, const char *name)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "\n%s: ", name);
	p = strstr(text, key);
	return p ? strtoll(p + strlen(key), NULL, 10) : -1;
}

/* A histogram line "NAME: n0 n1 ... n15" into @hist. */
static int stat_hist(const char *text, const char *name, uint64_t *hist)
{
	char key[64], *end;
	const char *p;
	int i;

	snprintf(key, sizeof(key), "\n%s:", name);
	p = strstr(text, key);
	if (!p)
		return -ENOENT;
	p += strlen(key);
	for (i = 0; i < VFPGA_KP_PERF_BUCKETS; i++) {
		hist[i] = strtoull(p, &end, 10);
		if (end == p)
			return -EPROTO;
		p = end;
	}
	return *p == '\n' ? 0 : -EPROTO;
}

static int read_text(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	buf[0] = '\n';		/* so that every name follows a newline */
	n = read(fd, buf + 1, size - 2);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n + 1] = 0;
	return 0;
}

static void check_timing(struct __test_metadata *_metadata, const char *text,
			 const char *which, const struct vfpga_kp_perf_time *t)
{
	uint64_t hist[VFPGA_KP_PERF_BUCKETS];
	char name[32];
	int i;

	snprintf(name, sizeof(name), "%s_count", which);
	EXPECT_EQ((int64_t)t->count, stat_figure(text, name));
	snprintf(name, sizeof(name), "%s_total_ns", which);
	EXPECT_EQ((int64_t)t->total_ns, stat_figure(text, name));
	snprintf(name, sizeof(name), "%s_max_ns", which);
	EXPECT_EQ((int64_t)t->max_ns, stat_figure(text, name));
	snprintf(name, sizeof(name), "%s_hist", which);
	ASSERT_EQ(0, stat_hist(text, name, hist));
	for (i = 0; i < VFPGA_KP_PERF_BUCKETS; i++)
		EXPECT_EQ(t->hist[i], hist[i]) TH_LOG("%s bucket %d", name, i);
}

/*
 * debugfs shows what VFPGA_KP_STATS reports, figure for figure; the
 * file comes and goes with the plugin's registration, and a failing open
 * does not keep the module.
 */
TEST(debugfs_plugin_stats)
{
	const char *path = DEBUGFS_PLUGINS VFPGA_KP_KPTEST_NAME;
	struct vfpga_kp_kptest_counters c;
	struct vfpga_device *dev;
	struct vfpga_kp_perf p;
	struct vfpga_kp *kp;
	static char text[4096];
	uint32_t acked;

	if (access(KPTEST_KO, R_OK))
		SKIP(return, "%s not present", KPTEST_KO);
	ASSERT_EQ(0, access(DEBUGFS_PLUGINS VFPGA_KP_SAMPLE_NAME, R_OK));
	ASSERT_EQ(0, access(DEBUGFS_PLUGINS VFPGA_KP_KPTEST_FAILOPEN_NAME,
			    R_OK));
	ASSERT_EQ(0, vfpga_open(0, &dev));
	ASSERT_EQ(0, vfpga_kp_open(dev, VFPGA_KP_KPTEST_NAME, &kp));
	ASSERT_EQ(0, vfpga_kp_int_enable(kp));
	ASSERT_EQ(0, vfpga_irqgen_start(dev, 0, 5000, NULL));
	ASSERT_EQ(0, vfpga_irqgen_wait(dev, TIMEOUT_MS, NULL, &acked));
	EXPECT_EQ(5000, acked);
	ASSERT_EQ(0, kptest_settle(kp, 5000, &c));
	ASSERT_EQ(0, vfpga_kp_int_disable(kp));

	ASSERT_EQ(0, vfpga_kp_perf(kp, &p));
	ASSERT_EQ(0, read_text(path, text, sizeof(text)));
	EXPECT_LE(5000, p.irql.count);
	EXPECT_LE(1, p.dpc.count);
	EXPECT_EQ((int64_t)p.calls, stat_figure(text, "calls"));
	check_timing(_metadata, text, "irql", &p.irql);
	check_timing(_metadata, text, "dpc", &p.dpc);
	printf("# kp debugfs %s: calls=%lld irql n=%lld max=%lld ns, dpc n=%lld max=%lld ns: as VFPGA_KP_STATS\n",
	       VFPGA_KP_KPTEST_NAME, (long long)stat_figure(text, "calls"),
	       (long long)stat_figure(text, "irql_count"),
	       (long long)stat_figure(text, "irql_max_ns"),
	       (long long)stat_figure(text, "dpc_count"),
	       (long long)stat_figure(text, "dpc_max_ns"));
	EXPECT_EQ(0, vfpga_kp_close(kp));

	/* Unregistered with the module: the file goes, and comes back. */
	EXPECT_EQ(-EPERM, vfpga_kp_open(dev, VFPGA_KP_KPTEST_FAILOPEN_NAME,
					&kp));
	ASSERT_EQ(0, system("rmmod vfpga_kp_kptest"));
	EXPECT_EQ(-1, access(path, F_OK));
	EXPECT_EQ(-1, access(DEBUGFS_PLUGINS VFPGA_KP_KPTEST_FAILOPEN_NAME,
			     F_OK));
	EXPECT_EQ(0, access(DEBUGFS_PLUGINS VFPGA_KP_SAMPLE_NAME, F_OK));
	EXPECT_EQ(-ENOENT, vfpga_kp_open(dev, VFPGA_KP_KPTEST_NAME, &kp));
	ASSERT_EQ(0, system("insmod " KPTEST_KO));
	ASSERT_EQ(0, read_text(path, text, sizeof(text)));
	EXPECT_EQ(0, stat_figure(text, "calls"));
	EXPECT_EQ(0, stat_figure(text, "irql_count"));
	vfpga_close(dev);
}

/* Lines in the kernel log that contain @want. */
static int dmesg_count(const char *want)
{
	char line[512];
	int n = 0;
	FILE *f;

	f = popen("dmesg", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, want))
			n++;
	pclose(f);
	return n;
}

static int sysfs_write(const char *path, const char *value)
{
	int fd, ret = 0;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * remove(): board 1 unbound from the driver while the test plugin is
 * open on it in both modes, the kernel handle with the interrupts.  Each
 * handle hears of it once; bound again, the board is back as
 * /dev/vfpga1.  (Board 0 stays for the other suites.)
 */
TEST(unbind_tells_plugins_once)
{
	struct vfpga_kp_kptest_counters c;
	struct vfpga_kp_kptest_info info;
	struct vfpga_device *dev1;
	struct vfpga_kp *kk, *ku;
	char pci[64], want[96];
	int before, i;
	uint32_t v;

	ASSERT_EQ(0, board_pci_name(1, pci, sizeof(pci)));
	ASSERT_EQ(0, vfpga_open(1, &dev1));
	ASSERT_EQ(0, vfpga_kp_open(dev1, VFPGA_KP_KPTEST_NAME, &kk));
	ASSERT_EQ(0, kptest_info(kk, &info));
	ASSERT_EQ(0, vfpga_kp_open_mode(dev1, VFPGA_KP_KPTEST_NAME,
					VFPGA_KP_USER, &ku));
	ASSERT_EQ(0, vfpga_kp_int_enable(kk));
	snprintf(want, sizeof(want), "plugin %s: board removed (handle %llu)",
		 VFPGA_KP_KPTEST_NAME, (unsigned long long)info.serial);
	before = dmesg_count(want);
	ASSERT_LE(0, before);

	ASSERT_EQ(0, sysfs_write("/sys/bus/pci/drivers/vfpga/unbind", pci));
	EXPECT_EQ(-1, access("/dev/vfpga1", F_OK));
	/* The kernel handle: told by remove(); this call fails, and so... */
	EXPECT_EQ(-ENODEV, kptest_counters(kk, &c));
	/* ... the user-mode one hears of it from that -ENODEV. */
	for (i = 0; i < 500; i++) {
		ASSERT_EQ(0, kptest_counters(ku, &c));
		if (c.removed)
			break;
		usleep(10000);
	}
	usleep(200000);		/* time for a second event, if one came */
	ASSERT_EQ(0, kptest_counters(ku, &c));
	EXPECT_EQ(1, c.removed);
	EXPECT_EQ(1, dmesg_count(want) - before);
	EXPECT_EQ(-ENODEV, vfpga_kp_int_enable(ku));
	vfpga_kp_close(kk);
	EXPECT_EQ(0, vfpga_kp_close(ku));
	vfpga_close(dev1);

	ASSERT_EQ(0, sysfs_write("/sys/bus/pci/drivers/vfpga/bind", pci));
	for (i = 0; i < 500 && access("/dev/vfpga1", F_OK); i++)
		usleep(10000);
	ASSERT_EQ(0, vfpga_open(1, &dev1));
	EXPECT_EQ(0, vfpga_reg_read32(dev1, VFPGA_BAR_USER, VFPGA_USER_ID,
				      &v));
	EXPECT_EQ(VFPGA_ID_MAGIC, v);
	vfpga_close(dev1);
}

TEST_HARNESS_MAIN
