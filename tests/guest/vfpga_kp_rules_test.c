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
#include <limits.h>
#include <libgen.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "libvfpga.h"
#include "uapi/vfpga.h"
#include "vfpga_kp_kptest.h"
#include "vfpga_kp_sample.h"
#include "vfpga_regs.h"
#include "vfpga_test_util.h"

#define TIMEOUT_MS	120000
#define KPTEST_KO	"/lib/modules/vfpga_kp_kptest.ko"
#define FAILINIT_KO	"/lib/modules/vfpga_kp_kptest_failinit.ko"
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

/* Is thread @tid of this process asleep ('S' in its stat)? */
static bool thread_sleeping(pid_t tid)
{
	char path[64], buf[256], *p;
	bool sleeping = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f)) {
		p = strrchr(buf, ')');
		sleeping = p && p[1] == ' ' && p[2] == 'S';
	}
	fclose(f);
	return sleeping;
}

/* Wait until thread *@tid has said who it is and sleeps, for 10 s at most. */
static int wait_sleeping(atomic_int *tid)
{
	int i;

	for (i = 0; i < 10000; i++) {
		if (atomic_load(tid) && thread_sleeping(atomic_load(tid)))
			return 0;
		usleep(1000);
	}
	return -ETIMEDOUT;
}

static int kptest_dma_alloc(struct vfpga_kp *kp, uint64_t size)
{
	return vfpga_kp_call(kp, VFPGA_KP_KPTEST_MSG_DMA_ALLOC, &size,
			     sizeof(size), NULL, NULL);
}

static int kptest_dma_free(struct vfpga_kp *kp)
{
	return vfpga_kp_call(kp, VFPGA_KP_KPTEST_MSG_DMA_FREE, NULL, 0, NULL,
			     NULL);
}

static int kptest_dma(struct vfpga_kp *kp, const struct vfpga_kp_kptest_dma *d,
		      struct vfpga_kp_kptest_dma_result *r)
{
	size_t len = sizeof(*r);

	memset(r, 0, sizeof(*r));
	return vfpga_kp_call(kp, VFPGA_KP_KPTEST_MSG_DMA, d, sizeof(*d), r,
			     &len);
}

/* A plugin call on a thread of its own: MSG_DMA or MSG_WAIT_IRQ. */
struct kp_caller {
	struct vfpga_kp *kp;
	struct vfpga_kp_kptest_dma d;
	struct vfpga_kp_kptest_dma_result r;
	uint32_t wait_ms;	/* not 0: MSG_WAIT_IRQ */
	atomic_int tid;
	int ret;
};

static void *kp_caller_thread(void *arg)
{
	struct kp_caller *c = arg;

	atomic_store(&c->tid, (int)syscall(SYS_gettid));
	if (c->wait_ms)
		c->ret = vfpga_kp_call(c->kp, VFPGA_KP_KPTEST_MSG_WAIT_IRQ,
				       &c->wait_ms, sizeof(c->wait_ms), NULL,
				       NULL);
	else
		c->ret = kptest_dma(c->kp, &c->d, &c->r);
	return NULL;
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
 * The core keeps its own copy of a buffer's size: a plugin that writes a
 * larger one into the size field gets -ERANGE for a transfer beyond the
 * buffer it has, whether it starts or only ends past it.
 */
TEST_F(rules, dma_size_field_not_trusted)
{
	struct vfpga_kp_kptest_dma d = {
		.dir = 0, .iterations = 1, .length = 4096,
		.fake_size = 1 << 20,
	};
	struct vfpga_kp_kptest_dma_result r;
	struct vfpga_kp *kp;

	ASSERT_EQ(0, vfpga_kp_open_mode(self->dev, VFPGA_KP_KPTEST_NAME,
					variant->mode, &kp));
	ASSERT_EQ(0, kptest_dma_alloc(kp, 4096));
	d.buf_offset = 8192;
	EXPECT_EQ(-ERANGE, kptest_dma(kp, &d, &r));
	d.buf_offset = 0;
	d.length = 8192;
	EXPECT_EQ(-ERANGE, kptest_dma(kp, &d, &r));
	d.dir = 1;
	EXPECT_EQ(-ERANGE, kptest_dma(kp, &d, &r));
	/* The buffer as it is still works. */
	d.fake_size = 0;
	d.length = 4096;
	EXPECT_EQ(0, kptest_dma(kp, &d, &r));
	EXPECT_EQ(1, r.iterations);
	EXPECT_EQ(0, kptest_dma_free(kp));
	EXPECT_EQ(0, vfpga_kp_close(kp));
}

#define SHARED_HALF	(64 << 10)
#define SHARED_RUNS	300

/*
 * Two channels move two halves of one plugin buffer at once: card to
 * the first half on C2H channel 0, the second half to card on H2C
 * channel 1.  Every C2H run must read back exactly what card memory
 * holds.  Each transfer must do the cache maintenance of its own half
 * only: behind a bounce buffer (swiotlb=force) a sync of the whole
 * buffer by the H2C runs copies the CPU's stale first half over what
 * the C2H run just received.
 */
TEST_F(rules, dma_two_channels_share_a_buffer)
{
	struct kp_caller c[2] = { };
	static uint8_t pattern[SHARED_HALF];
	struct vfpga_kp *kp;
	pthread_t t[2];
	uint64_t expect;
	unsigned int i;

	for (i = 0; i < SHARED_HALF; i++)
		pattern[i] = (uint8_t)(i * 7 + (i >> 9) + 1);
	expect = vfpga_kp_kptest_checksum(pattern, SHARED_HALF);
	ASSERT_EQ(0, vfpga_dma_write(self->dev, 0, 0, pattern, SHARED_HALF,
				     0, NULL));
	ASSERT_EQ(0, vfpga_kp_open_mode(self->dev, VFPGA_KP_KPTEST_NAME,
					variant->mode, &kp));
	ASSERT_EQ(0, kptest_dma_alloc(kp, 2 * SHARED_HALF));
	c[0].kp = kp;
	c[0].d = (struct vfpga_kp_kptest_dma) {
		.dir = 1, .channel = 0, .iterations = SHARED_RUNS,
		.buf_offset = 0, .card_offset = 0, .length = SHARED_HALF,
		.expect = expect,
	};
	c[1].kp = kp;
	c[1].d = (struct vfpga_kp_kptest_dma) {
		.dir = 0, .channel = 1, .iterations = SHARED_RUNS,
		.buf_offset = SHARED_HALF, .card_offset = 1 << 20,
		.length = SHARED_HALF,
	};
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, kp_caller_thread,
					    &c[i]));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_join(t[i], NULL));
	EXPECT_EQ(0, c[0].ret);
	EXPECT_EQ(0, c[1].ret);
	EXPECT_EQ(SHARED_RUNS, c[0].r.iterations);
	EXPECT_EQ(SHARED_RUNS, c[1].r.iterations);
	EXPECT_EQ(0, c[0].r.mismatches)
		TH_LOG("%u of %u C2H runs read other data", c[0].r.mismatches,
		       SHARED_RUNS);
	EXPECT_EQ(expect, c[0].r.checksum);
	EXPECT_EQ(0, vfpga_kp_close(kp));
}

/*
 * A plugin frees a buffer while another of its calls transfers on it:
 * the free waits for the transfer that runs, the next one is -EINVAL
 * (not a buffer of the handle any more), and nothing touches freed
 * memory (the debug lane's KASAN would say).
 */
TEST_F(rules, dma_free_waits_for_running_transfer)
{
	struct kp_caller c = { };
	struct vfpga_kp_kptest_dma_result r;
	struct vfpga_kp *kp;
	pthread_t t;

	ASSERT_EQ(0, vfpga_kp_open_mode(self->dev, VFPGA_KP_KPTEST_NAME,
					variant->mode, &kp));
	ASSERT_EQ(0, kptest_dma_alloc(kp, 1 << 20));
	c.kp = kp;
	c.d = (struct vfpga_kp_kptest_dma) {
		.dir = 0, .channel = 2, .iterations = 1000000,
		.length = 1 << 20,
	};
	ASSERT_EQ(0, pthread_create(&t, NULL, kp_caller_thread, &c));
	ASSERT_EQ(0, wait_sleeping(&c.tid));	/* in a transfer */
	EXPECT_EQ(0, kptest_dma_free(kp));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(-EINVAL, c.ret);
	EXPECT_EQ(-ENOENT, kptest_dma(kp, &c.d, &r));
	EXPECT_EQ(0, vfpga_kp_close(kp));
}

/* A VFPGA_KP_WAIT caller on a thread of its own. */
struct kp_waiter {
	struct vfpga_kp *kp;
	atomic_int tid;
	int ret;
};

static void *kp_wait_thread(void *arg)
{
	struct kp_waiter *w = arg;
	struct vfpga_irq_event ev;

	atomic_store(&w->tid, (int)syscall(SYS_gettid));
	w->ret = vfpga_kp_wait(w->kp, 10000, &ev);
	return NULL;
}

/*
 * Closing a handle another thread waits on ends that wait at once
 * (-EINVAL: no longer a handle of the file), rather than at its timeout.
 */
TEST_F(rules, close_ends_wait)
{
	struct kp_waiter w = { };
	pthread_t t;

	ASSERT_EQ(0, vfpga_kp_open_mode(self->dev, VFPGA_KP_KPTEST_NAME,
					variant->mode, &w.kp));
	ASSERT_EQ(0, pthread_create(&t, NULL, kp_wait_thread, &w));
	ASSERT_EQ(0, wait_sleeping(&w.tid));
	EXPECT_EQ(0, vfpga_kp_close(w.kp));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(-EINVAL, w.ret);
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

/*
 * The enabling side of the INT_ENABLE / CLOSE race, on a thread of its
 * own: one VFPGA_KP_INT_ENABLE of the round's handle per round.  It
 * spins rather than sleeps between rounds, so that it leaves the start
 * line with the closing side (the test's own thread).
 */
struct kp_race {
	int fd;
	atomic_uint round;
	atomic_uint handle;
	atomic_uint done;
	atomic_bool stop;
	int ret;
	unsigned int won;	/* rounds the enable returned 0 */
};

static void *kp_race_thread(void *arg)
{
	struct kp_race *race = arg;
	struct vfpga_kp_handle_arg a = { .argsz = sizeof(a) };
	unsigned int last = 0;

	for (;;) {
		while (atomic_load(&race->round) == last &&
		       !atomic_load(&race->stop))
			;
		if (atomic_load(&race->stop))
			break;
		last = atomic_load(&race->round);
		a.handle = atomic_load(&race->handle);
		race->ret = ioctl(race->fd, VFPGA_KP_INT_ENABLE, &a) ? -errno : 0;
		if (!race->ret)
			race->won++;
		atomic_store(&race->done, last);
	}
	return NULL;
}

#define KP_RACE_ROUNDS	200
#define KP_RACE_SPIN	4000	/* empty loop turns: up to ~10 us here */

FIXTURE(race) {
	struct vfpga_device *dev;
};

FIXTURE_SETUP(race)
{
	ASSERT_EQ(0, vfpga_open(0, &self->dev));
}

FIXTURE_TEARDOWN(race)
{
	vfpga_close(self->dev);
}

/*
 * VFPGA_KP_INT_ENABLE on one thread races VFPGA_KP_CLOSE of the same
 * handle on another, round after round, with the board's interrupts
 * running.  The enable may win (the close then takes the interrupts
 * back) or lose (-EINVAL), but a closed handle must never keep them:
 * when the enable looked the handle up before the close and published it
 * after, the handle's last reference dropped with the board's
 * interrupts still pointing at it, and the next interrupt called into
 * freed memory.  After every round another handle must be able to take
 * the interrupts.
 */
TEST_F_TIMEOUT(race, int_enable_races_close, 300)
{
	struct vfpga_kp_handle_arg a = { .argsz = sizeof(a) };
	struct vfpga_kp_open o = { .argsz = sizeof(o),
				   .name = VFPGA_KP_KPTEST_NAME };
	struct kp_race race = { .fd = vfpga_fd(self->dev) };
	unsigned int round, probe, spin;
	uint32_t raised, acked;
	bool stuck = false;
	pthread_t t;
	int ret;

	ASSERT_EQ(0, ioctl(race.fd, VFPGA_KP_OPEN, &o));
	probe = o.handle;
	ASSERT_EQ(0, pthread_create(&t, NULL, kp_race_thread, &race));
	for (round = 1; round <= KP_RACE_ROUNDS && !stuck; round++) {
		/*
		 * Interrupts keep arriving: a stale holder would be called.
		 * Short runs, restarted when idle: a long storm at full rate
		 * makes each round slow, the debug lane's above all.
		 */
		ret = vfpga_irqgen_start(self->dev, 0, 200, NULL);
		ASSERT_TRUE(ret == 0 || ret == -EBUSY) TH_LOG("irqgen %d", ret);
		ASSERT_EQ(0, ioctl(race.fd, VFPGA_KP_OPEN, &o));
		atomic_store(&race.handle, o.handle);
		atomic_store(&race.round, round);
		/*
		 * The enable has the farther way to its lookup: a delay that
		 * sweeps a few microseconds over the rounds lines the two up
		 * at every offset, the bad one among them.
		 */
		for (spin = (round * 37) % KP_RACE_SPIN; spin; spin--)
			__asm__ volatile("" ::: "memory");
		a.handle = o.handle;
		EXPECT_EQ(0, ioctl(race.fd, VFPGA_KP_CLOSE, &a))
			TH_LOG("round %u: close: %s", round, strerror(errno));
		while (atomic_load(&race.done) != round)
			;
		EXPECT_TRUE(race.ret == 0 || race.ret == -EINVAL)
			TH_LOG("round %u: enable %d", round, race.ret);
		/* No handle of the board has the interrupts now. */
		a.handle = probe;
		if (ioctl(race.fd, VFPGA_KP_INT_ENABLE, &a)) {
			EXPECT_EQ(EBUSY, errno);
			stuck = true;
		} else {
			EXPECT_EQ(0, ioctl(race.fd, VFPGA_KP_INT_DISABLE, &a));
		}
	}
	atomic_store(&race.stop, true);
	ASSERT_EQ(0, pthread_join(t, NULL));
	/* Nothing left running for the next test, whatever happened. */
	EXPECT_EQ(0, vfpga_reg_write32(self->dev, VFPGA_BAR_USER,
				       VFPGA_IRQGEN_CTRL,
				       VFPGA_IRQGEN_CTRL_STOP));
	EXPECT_FALSE(stuck) TH_LOG("round %u: a closed handle kept the interrupts",
				   round - 1);
	ksft_print_msg("kp int_enable vs close: %u rounds, the enable won %u\n",
		       round - 1, race.won);
	a.handle = probe;
	EXPECT_EQ(0, ioctl(race.fd, VFPGA_KP_CLOSE, &a));
	EXPECT_EQ(0, vfpga_irqgen_wait(self->dev, TIMEOUT_MS, &raised, &acked));
}

/*
 * A plugin module whose init registers, waits, then fails: while it is
 * still loading the plugin is listed, but opening it is -ENOENT.  A
 * handle would hold a reference the failed load never waits for, and
 * the freed module's callbacks would run at its close.
 */
struct insmod_run {
	const char *cmd;
	int status;
};

static void *insmod_thread(void *arg)
{
	struct insmod_run *run = arg;

	run->status = system(run->cmd);
	return NULL;
}

TEST(open_refused_while_module_coming)
{
	const char *path = DEBUGFS_PLUGINS VFPGA_KP_KPTEST_FAILINIT_NAME;
	struct vfpga_kp_handle_arg a = { .argsz = sizeof(a) };
	struct vfpga_kp_open o = { .argsz = sizeof(o),
				   .name = VFPGA_KP_KPTEST_FAILINIT_NAME };
	struct insmod_run run = {
		.cmd = "insmod " FAILINIT_KO " wait_ms=3000 2>/dev/null",
	};
	struct vfpga_device *dev;
	int i, ret, err = 0;
	pthread_t t;

	if (access(FAILINIT_KO, R_OK))
		SKIP(return, "%s not present", FAILINIT_KO);
	ASSERT_EQ(0, vfpga_open(0, &dev));
	ASSERT_EQ(0, pthread_create(&t, NULL, insmod_thread, &run));
	for (i = 0; i < 30000 && access(path, F_OK); i++)
		usleep(1000);
	ASSERT_EQ(0, access(path, F_OK)) TH_LOG("%s never registered",
						VFPGA_KP_KPTEST_FAILINIT_NAME);
	ret = ioctl(vfpga_fd(dev), VFPGA_KP_OPEN, &o);
	if (ret)
		err = errno;
	else {
		/* Give it back before the module goes. */
		a.handle = o.handle;
		ioctl(vfpga_fd(dev), VFPGA_KP_CLOSE, &a);
	}
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(ENOENT, err);
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_NE(0, run.status);
	EXPECT_EQ(-1, access(path, F_OK));
	EXPECT_EQ(-1, ioctl(vfpga_fd(dev), VFPGA_KP_OPEN, &o));
	EXPECT_EQ(ENOENT, errno);
	vfpga_close(dev);
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

/*
 * remove() while a plugin's call waits for an interrupt that will not
 * come: the kernel handle waits with vfpga_kp_wait_until(), which the
 * removal ends (-ENODEV), so unbind returns instead of waiting for the
 * call forever (it holds the lock remove() takes); the user-mode handle,
 * which has the interrupts, hears of it from its interrupt thread.
 */
TEST(unbind_ends_plugin_wait)
{
	struct kp_caller ck = { .wait_ms = 30000 }, cu = { .wait_ms = 30000 };
	struct vfpga_device *dev1;
	pthread_t tk, tu;
	char pci[64];
	int i;

	ASSERT_EQ(0, board_pci_name(1, pci, sizeof(pci)));
	ASSERT_EQ(0, vfpga_open(1, &dev1));
	ASSERT_EQ(0, vfpga_kp_open(dev1, VFPGA_KP_KPTEST_NAME, &ck.kp));
	ASSERT_EQ(0, vfpga_kp_open_mode(dev1, VFPGA_KP_KPTEST_NAME,
					VFPGA_KP_USER, &cu.kp));
	ASSERT_EQ(0, vfpga_kp_int_enable(cu.kp));
	ASSERT_EQ(0, pthread_create(&tk, NULL, kp_caller_thread, &ck));
	ASSERT_EQ(0, pthread_create(&tu, NULL, kp_caller_thread, &cu));
	ASSERT_EQ(0, wait_sleeping(&ck.tid));
	ASSERT_EQ(0, wait_sleeping(&cu.tid));

	ASSERT_EQ(0, sysfs_write("/sys/bus/pci/drivers/vfpga/unbind", pci));
	ASSERT_EQ(0, pthread_join(tk, NULL));
	ASSERT_EQ(0, pthread_join(tu, NULL));
	EXPECT_EQ(-ENODEV, ck.ret);
	EXPECT_EQ(-ENODEV, cu.ret);
	vfpga_kp_close(ck.kp);
	EXPECT_EQ(0, vfpga_kp_close(cu.kp));
	vfpga_close(dev1);

	ASSERT_EQ(0, sysfs_write("/sys/bus/pci/drivers/vfpga/bind", pci));
	for (i = 0; i < 500 && access("/dev/vfpga1", F_OK); i++)
		usleep(10000);
	ASSERT_EQ(0, access("/dev/vfpga1", F_OK));
}

TEST_HARNESS_MAIN
