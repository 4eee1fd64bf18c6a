// SPDX-License-Identifier: MIT
/*
 * In-guest tests of kernel plugins: the sample plugin (vfpga_kp_sample.ko,
 * loaded after vfpga.ko) opened, called and given the board's interrupts
 * through libvfpga, and every bad request refused with its errno.
 *
 * One source, two modes: this program also links the same plugin source
 * built for user mode (build/tests/kp/vfpga_kp_sample.o), and every
 * test of the kp fixture runs twice, on the kernel module (kp.kernel) and
 * on the user-mode object (kp.user), expecting the same results.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "libvfpga.h"
#include "uapi/vfpga.h"
#include "vfpga_kp_sample.h"
#include "vfpga_regs.h"
#include "vfpga_test_util.h"

#define STORM		100000
#define TIMEOUT_MS	120000
#define SAMPLE_KO	"/lib/modules/vfpga_kp_sample.ko"

static int raw_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static int counters(struct vfpga_kp *kp, struct vfpga_kp_sample_counters *c)
{
	size_t len = sizeof(*c);
	int ret;

	ret = vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_COUNTERS, NULL, 0, c, &len);
	if (ret == 0 && len != sizeof(*c))
		return -EPROTO;
	return ret;
}

static int storm(struct vfpga_kp *kp, uint32_t line, uint32_t count)
{
	struct vfpga_kp_sample_storm st = { .line = line, .count = count };

	return vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_STORM, &st, sizeof(st),
			     NULL, NULL);
}

static int set_wake(struct vfpga_kp *kp, uint32_t policy)
{
	return vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_SET_WAKE, &policy,
			     sizeof(policy), NULL, NULL);
}

/*
 * Wait until the plugin has taken @irqs interrupts and int_at_dpc has been
 * given every request int_at_irql made (user mode hears of interrupts
 * after the device saw them acknowledged).
 */
static int dpc_settle(struct vfpga_kp *kp, uint64_t irqs,
		      struct vfpga_kp_sample_counters *c)
{
	int i, ret;

	for (i = 0; i < 30000; i++) {	/* 30 s at least */
		ret = counters(kp, c);
		if (ret || (c->irqs == irqs && c->dpc_requests == c->irqs))
			return ret;
		usleep(1000);
	}
	return -ETIMEDOUT;
}

static int plugin_dma(struct vfpga_kp *kp, uint32_t dir, uint32_t chan,
		      uint64_t card, uint64_t len, uint32_t iterations,
		      uint32_t seed, struct vfpga_kp_sample_dma_result *r)
{
	struct vfpga_kp_sample_dma d = {
		.dir = dir, .channel = chan, .card_offset = card,
		.length = len, .iterations = iterations, .seed = seed,
	};
	size_t rlen = sizeof(*r);
	int ret;

	ret = vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_DMA, &d, sizeof(d), r,
			    &rlen);
	if (ret == 0 && rlen != sizeof(*r))
		return -EPROTO;
	return ret;
}

static uint64_t pattern_checksum(uint32_t seed, uint64_t len)
{
	void *p = malloc(len);
	uint64_t sum;

	if (!p)
		return 0;
	vfpga_kp_sample_pattern(seed, p, len);
	sum = vfpga_kp_sample_checksum(p, len);
	free(p);
	return sum;
}

/*
 * What card memory holds, read by the core's own transfer path (the last
 * C2H channel, @c2h).
 */
static int card_matches_pattern(struct vfpga_device *dev, unsigned int c2h,
				uint64_t card, uint32_t seed, uint64_t len)
{
	unsigned char *want = malloc(len), *got = malloc(len);
	int ret = -ENOMEM;

	if (want && got) {
		vfpga_kp_sample_pattern(seed, want, len);
		ret = vfpga_dma_read(dev, c2h, card, got, len, 0, NULL);
		if (ret == 0 && memcmp(want, got, len))
			ret = -EIO;
	}
	free(want);
	free(got);
	return ret;
}

FIXTURE(kp) {
	struct vfpga_device *dev;
	struct vfpga_device_info info;
	struct vfpga_kp *kp;
};

FIXTURE_VARIANT(kp) {
	enum vfpga_kp_mode mode;
	const char *name;
};

FIXTURE_VARIANT_ADD(kp, kernel) {
	.mode = VFPGA_KP_KERNEL,
	.name = "kernel",
};

FIXTURE_VARIANT_ADD(kp, user) {
	.mode = VFPGA_KP_USER,
	.name = "user",
};

FIXTURE_SETUP(kp)
{
	int ret = vfpga_open(0, &self->dev);

	ASSERT_EQ(0, ret) TH_LOG("/dev/vfpga0: %s", vfpga_strerror(ret));
	ASSERT_EQ(0, vfpga_get_info(self->dev, &self->info));
	ret = vfpga_kp_open_mode(self->dev, VFPGA_KP_SAMPLE_NAME,
				 variant->mode, &self->kp);
	ASSERT_EQ(0, ret) TH_LOG("sample plugin: %s", vfpga_strerror(ret));
}

FIXTURE_TEARDOWN(kp)
{
	vfpga_kp_close(self->kp);
	vfpga_close(self->dev);
}

TEST_F(kp, version)
{
	struct vfpga_kp_sample_version v;
	size_t len = sizeof(v) + 16;
	char buf[sizeof(v) + 16];

	ASSERT_EQ(0, vfpga_kp_call(self->kp, VFPGA_KP_SAMPLE_MSG_VERSION,
				   NULL, 0, buf, &len));
	ASSERT_EQ(sizeof(v), len);
	memcpy(&v, buf, sizeof(v));
	EXPECT_EQ(VFPGA_KP_SAMPLE_VERSION, v.version);
	EXPECT_EQ(VFPGA_ID_MAGIC, v.board_id);
}

TEST_F(kp, counters_start_at_zero)
{
	struct vfpga_kp_sample_counters c;

	ASSERT_EQ(0, counters(self->kp, &c));
	EXPECT_EQ(0, c.irqs);
	EXPECT_EQ(0, c.dpc_runs);
	EXPECT_EQ(0, c.dpc_requests);
	EXPECT_EQ(0, c.wakeups);
	EXPECT_EQ(0, c.latency_max_ns);
}

/*
 * 100,000 ping-pong interrupts taken by the plugin in the kernel: the
 * device raised and saw acknowledged every one, the plugin counted every
 * one, the core's handler saw every one, int_at_dpc was given them all.
 */
static uint64_t hist_sum(const struct vfpga_kp_perf_time *t)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < VFPGA_KP_PERF_BUCKETS; i++)
		sum += t->hist[i];
	return sum;
}

TEST_F(kp, storm_handled_in_plugin)
{
	struct vfpga_kp_perf p0, p1;
	struct vfpga_kp_sample_counters c;
	uint64_t before, after;
	uint32_t raised, acked;
	double t0, secs;

	if (variant->mode == VFPGA_KP_USER) {
		ASSERT_EQ(-EOPNOTSUPP, vfpga_kp_perf(self->kp, &p0));
	} else {
		ASSERT_EQ(0, vfpga_kp_perf(self->kp, &p0));
	}
	ASSERT_EQ(-EINVAL, vfpga_kp_perf(self->kp, NULL));
	ASSERT_EQ(0, vfpga_irq_count(self->dev, 0, &before, NULL));
	ASSERT_EQ(0, vfpga_kp_int_enable(self->kp));
	t0 = now_s();
	ASSERT_EQ(0, storm(self->kp, 0, STORM));
	ASSERT_EQ(0, vfpga_irqgen_wait(self->dev, TIMEOUT_MS, &raised, &acked));
	ASSERT_EQ(0, dpc_settle(self->kp, STORM, &c));
	secs = now_s() - t0;
	ASSERT_EQ(0, vfpga_irq_count(self->dev, 0, &after, NULL));
	ASSERT_EQ(0, vfpga_kp_int_disable(self->kp));

	EXPECT_EQ(STORM, raised);
	EXPECT_EQ(STORM, acked);
	EXPECT_EQ(STORM, c.irqs);
	EXPECT_EQ(STORM, after - before);
	EXPECT_EQ(STORM, c.dpc_requests);
	EXPECT_LE(1, c.dpc_runs);
	EXPECT_GE(STORM, c.dpc_runs);
	EXPECT_EQ(c.dpc_runs, c.wakeups);	/* default: one per run */
	EXPECT_LE(c.latency_min_ns, c.latency_max_ns);
	if (variant->mode == VFPGA_KP_KERNEL) {
		/* Only this handle had the plugin's interrupts meanwhile. */
		ASSERT_EQ(0, vfpga_kp_perf(self->kp, &p1));
		EXPECT_LT(p0.calls, p1.calls);
		EXPECT_EQ(c.irqs, p1.irql.count - p0.irql.count);
		EXPECT_EQ(c.dpc_runs, p1.dpc.count - p0.dpc.count);
		EXPECT_LT(0, p1.irql.max_ns);
		EXPECT_LT(0, p1.dpc.max_ns);
		EXPECT_EQ(p1.irql.count, hist_sum(&p1.irql));
		EXPECT_EQ(p1.dpc.count, hist_sum(&p1.dpc));
		printf("# kp perf: int_at_irql n=%llu avg=%llu max=%llu ns, int_at_dpc n=%llu avg=%llu max=%llu ns\n",
		       (unsigned long long)p1.irql.count,
		       (unsigned long long)(p1.irql.total_ns /
					    (p1.irql.count ? p1.irql.count : 1)),
		       (unsigned long long)p1.irql.max_ns,
		       (unsigned long long)p1.dpc.count,
		       (unsigned long long)(p1.dpc.total_ns /
					    (p1.dpc.count ? p1.dpc.count : 1)),
		       (unsigned long long)p1.dpc.max_ns);
	}
	printf("# kp storm %s %s mode line 0: rate=%.0f/s irqs=%llu in %.3f s, dpc runs=%llu",
	       vfpga_irq_mode_name(self->info.irq_mode), variant->name,
	       STORM / secs,
	       (unsigned long long)c.irqs, secs,
	       (unsigned long long)c.dpc_runs);
	/*
	 * In user mode the core acknowledged each interrupt before the
	 * plugin ran (the next one may be raised already): the device clock
	 * minus the latest raise is no latency then.
	 */
	if (variant->mode == VFPGA_KP_KERNEL)
		printf(", device latency min/avg/max %llu/%llu/%llu ns",
		       (unsigned long long)c.latency_min_ns,
		       (unsigned long long)(c.latency_sum_ns /
					    (c.irqs ? c.irqs : 1)),
		       (unsigned long long)c.latency_max_ns);
	printf("\n");
}

/* What int_at_dpc returns is how often VFPGA_KP_WAIT callers wake. */
TEST_F(kp, dpc_wakeup_semantics)
{
	struct vfpga_kp_sample_counters c;
	struct vfpga_irq_event ev;

	ASSERT_EQ(0, vfpga_kp_int_enable(self->kp));
	EXPECT_EQ(-ETIMEDOUT, vfpga_kp_wait(self->kp, 0, &ev));

	/* Once per interrupt: the waiter hears of every one. */
	ASSERT_EQ(0, set_wake(self->kp, VFPGA_KP_SAMPLE_WAKE_PER_IRQ));
	ASSERT_EQ(0, storm(self->kp, 1, 1000));
	ASSERT_EQ(0, vfpga_irqgen_wait(self->dev, TIMEOUT_MS, NULL, NULL));
	ASSERT_EQ(0, dpc_settle(self->kp, 1000, &c));
	EXPECT_EQ(1000, c.irqs);
	EXPECT_EQ(1000, c.wakeups);
	ASSERT_EQ(0, vfpga_kp_wait(self->kp, 0, &ev));
	EXPECT_EQ(1000, ev.count);
	EXPECT_EQ(999, ev.lost);
	EXPECT_EQ(1000, ev.total);
	EXPECT_EQ(-ETIMEDOUT, vfpga_kp_wait(self->kp, 0, &ev));

	/* 0 wakes nobody, however many interrupts came. */
	ASSERT_EQ(0, set_wake(self->kp, VFPGA_KP_SAMPLE_WAKE_NONE));
	ASSERT_EQ(0, storm(self->kp, 1, 1000));
	ASSERT_EQ(0, vfpga_irqgen_wait(self->dev, TIMEOUT_MS, NULL, NULL));
	ASSERT_EQ(0, dpc_settle(self->kp, 1000, &c));
	EXPECT_EQ(1000, c.irqs);
	EXPECT_LE(1, c.dpc_runs);
	EXPECT_EQ(0, c.wakeups);
	EXPECT_EQ(-ETIMEDOUT, vfpga_kp_wait(self->kp, 100, &ev));

	/* Once per run: as many wake-ups as int_at_dpc ran. */
	ASSERT_EQ(0, set_wake(self->kp, VFPGA_KP_SAMPLE_WAKE_PER_DPC));
	ASSERT_EQ(0, storm(self->kp, 1, 1000));
	ASSERT_EQ(0, vfpga_irqgen_wait(self->dev, TIMEOUT_MS, NULL, NULL));
	ASSERT_EQ(0, dpc_settle(self->kp, 1000, &c));
	EXPECT_EQ(1000, c.dpc_requests);
	ASSERT_EQ(0, vfpga_kp_wait(self->kp, 0, &ev));
	EXPECT_EQ(c.dpc_runs, ev.count);
	EXPECT_EQ(1000 + c.dpc_runs, ev.total);

	/* A blocking wait returns when the plugin wakes it. */
	ASSERT_EQ(0, storm(self->kp, 1, 10));
	ASSERT_EQ(0, vfpga_kp_wait(self->kp, 10000, &ev));
	EXPECT_LE(1, ev.count);
	ASSERT_EQ(0, vfpga_irqgen_wait(self->dev, TIMEOUT_MS, NULL, NULL));
}

/* Without the plugin's interrupts enabled the driver acknowledges. */
TEST_F(kp, core_acknowledges_without_plugin_interrupts)
{
	struct vfpga_kp_sample_counters c;
	uint64_t before, after;
	uint32_t raised, acked;

	ASSERT_EQ(0, vfpga_irq_count(self->dev, 0, &before, NULL));
	ASSERT_EQ(0, storm(self->kp, 0, 1000));
	ASSERT_EQ(0, vfpga_irqgen_wait(self->dev, TIMEOUT_MS, &raised, &acked));
	ASSERT_EQ(0, vfpga_irq_count(self->dev, 0, &after, NULL));
	EXPECT_EQ(1000, raised);
	EXPECT_EQ(1000, acked);
	EXPECT_EQ(1000, after - before);
	ASSERT_EQ(0, counters(self->kp, &c));
	EXPECT_EQ(0, c.irqs);

	/* Enabled and closed: the driver takes the interrupts back. */
	ASSERT_EQ(0, vfpga_kp_int_enable(self->kp));
	ASSERT_EQ(0, vfpga_kp_close(self->kp));
	self->kp = NULL;
	ASSERT_EQ(0, vfpga_irqgen_start(self->dev, 0, 1000, NULL));
	ASSERT_EQ(0, vfpga_irqgen_wait(self->dev, TIMEOUT_MS, &raised, &acked));
	EXPECT_EQ(1000, acked);
}

/* One handle of a board has its interrupts at a time. */
TEST_F(kp, one_interrupt_handle_per_board)
{
	struct vfpga_device *dev2;
	struct vfpga_kp *kp2;

	ASSERT_EQ(0, vfpga_open(0, &dev2));
	ASSERT_EQ(0, vfpga_kp_open_mode(dev2, VFPGA_KP_SAMPLE_NAME,
				       variant->mode, &kp2));
	ASSERT_EQ(0, vfpga_kp_int_enable(self->kp));
	EXPECT_EQ(0, vfpga_kp_int_enable(self->kp));	/* idempotent */
	EXPECT_EQ(-EBUSY, vfpga_kp_int_enable(kp2));
	ASSERT_EQ(0, vfpga_kp_int_disable(self->kp));
	EXPECT_EQ(0, vfpga_kp_int_enable(kp2));
	EXPECT_EQ(-EBUSY, vfpga_kp_int_enable(self->kp));
	EXPECT_EQ(0, vfpga_kp_close(kp2));
	EXPECT_EQ(0, vfpga_kp_int_enable(self->kp));
	vfpga_close(dev2);
}

TEST_F(kp, bad_requests)
{
	char big[VFPGA_KP_MSG_MAX + 1] = { 0 }, small[4];
	struct vfpga_kp_sample_storm st = { .line = 16, .count = 1 };
	struct vfpga_kp_open o = { .argsz = sizeof(o) };
	struct vfpga_kp_call c = { .argsz = sizeof(c) };
	struct vfpga_kp_handle_arg a = { .argsz = sizeof(a) };
	struct vfpga_kp_wait w = { .argsz = sizeof(w) };
	struct vfpga_device *dev2;
	int fd = vfpga_fd(self->dev);
	struct vfpga_kp *kp;
	size_t len;

	/* Names, in this variant's mode. */
	EXPECT_EQ(-ENOENT, vfpga_kp_open_mode(self->dev, "no-such-plugin",
					      variant->mode, &kp));
	EXPECT_EQ(-EINVAL, vfpga_kp_open_mode(self->dev, "", variant->mode,
					      &kp));
	EXPECT_EQ(-EINVAL, vfpga_kp_open_mode(self->dev, NULL, variant->mode,
					      &kp));
	EXPECT_EQ(-ENAMETOOLONG, vfpga_kp_open_mode(self->dev,
		  "a-name-longer-than-thirty-one-characters", variant->mode,
		  &kp));
	EXPECT_EQ(-EINVAL, vfpga_kp_open_mode(self->dev, VFPGA_KP_SAMPLE_NAME,
					      (enum vfpga_kp_mode)7, &kp));
	memset(o.name, 'x', sizeof(o.name));
	EXPECT_EQ(-EINVAL, raw_ioctl(fd, VFPGA_KP_OPEN, &o));
	strcpy(o.name, "no-such-plugin");
	EXPECT_EQ(-ENOENT, raw_ioctl(fd, VFPGA_KP_OPEN, &o));
	o.argsz = sizeof(o) - 1;
	EXPECT_EQ(-EINVAL, raw_ioctl(fd, VFPGA_KP_OPEN, &o));
	EXPECT_EQ(-EFAULT, raw_ioctl(fd, VFPGA_KP_OPEN, (void *)8));

	/* Messages and buffers. */
	EXPECT_EQ(-ENOMSG, vfpga_kp_call(self->kp, 999, NULL, 0, NULL, NULL));
	len = sizeof(small);
	EXPECT_EQ(-EMSGSIZE, vfpga_kp_call(self->kp,
					   VFPGA_KP_SAMPLE_MSG_COUNTERS,
					   NULL, 0, small, &len));
	EXPECT_EQ(-EINVAL, vfpga_kp_call(self->kp, VFPGA_KP_SAMPLE_MSG_STORM,
					 &st, sizeof(st), NULL, NULL));
	EXPECT_EQ(-EINVAL, vfpga_kp_call(self->kp, VFPGA_KP_SAMPLE_MSG_STORM,
					 &st, 4, NULL, NULL));
	EXPECT_EQ(-E2BIG, vfpga_kp_call(self->kp, VFPGA_KP_SAMPLE_MSG_VERSION,
					big, sizeof(big), NULL, NULL));
	len = VFPGA_KP_MSG_MAX + 1;
	EXPECT_EQ(-E2BIG, vfpga_kp_call(self->kp, VFPGA_KP_SAMPLE_MSG_VERSION,
					NULL, 0, big, &len));
	/* Bad pointers: a message or a reply buffer that is not there. */
	EXPECT_EQ(-EFAULT, vfpga_kp_call(self->kp,
					 VFPGA_KP_SAMPLE_MSG_SET_WAKE, NULL,
					 4, NULL, NULL));
	len = 64;
	EXPECT_EQ(-EFAULT, vfpga_kp_call(self->kp, VFPGA_KP_SAMPLE_MSG_VERSION,
					 NULL, 0, NULL, &len));
	/* The reply fits exactly; an in buffer the message does not take. */
	len = sizeof(struct vfpga_kp_sample_version);
	EXPECT_EQ(0, vfpga_kp_call(self->kp, VFPGA_KP_SAMPLE_MSG_VERSION,
				   NULL, 0, big, &len));
	EXPECT_EQ(sizeof(struct vfpga_kp_sample_version), len);
	len = 1;
	EXPECT_EQ(-EINVAL, vfpga_kp_call(self->kp,
					 VFPGA_KP_SAMPLE_MSG_SET_WAKE, big,
					 2, big, &len));

	/* The same through the ioctl, where the library cannot check. */
	ASSERT_EQ(0, raw_ioctl(fd, VFPGA_KP_OPEN, &(struct vfpga_kp_open){
		.argsz = sizeof(o), .name = VFPGA_KP_SAMPLE_NAME }));
	strcpy(o.name, VFPGA_KP_SAMPLE_NAME);
	o.argsz = sizeof(o);
	ASSERT_EQ(0, raw_ioctl(fd, VFPGA_KP_OPEN, &o));
	c.handle = o.handle;
	c.msg = VFPGA_KP_SAMPLE_MSG_VERSION;
	c.in_size = VFPGA_KP_MSG_MAX + 1;
	c.in = (uintptr_t)big;
	EXPECT_EQ(-E2BIG, raw_ioctl(fd, VFPGA_KP_CALL, &c));
	c.in_size = 0;
	c.out_size = VFPGA_KP_MSG_MAX + 1;
	c.out = (uintptr_t)big;
	EXPECT_EQ(-E2BIG, raw_ioctl(fd, VFPGA_KP_CALL, &c));
	c.out_size = 64;
	c.out = 8;				/* unmapped */
	EXPECT_EQ(-EFAULT, raw_ioctl(fd, VFPGA_KP_CALL, &c));
	c.msg = VFPGA_KP_SAMPLE_MSG_SET_WAKE;
	c.in = 8;
	c.in_size = 4;
	EXPECT_EQ(-EFAULT, raw_ioctl(fd, VFPGA_KP_CALL, &c));
	c.msg = VFPGA_KP_SAMPLE_MSG_VERSION;
	c.in_size = 0;
	c.out = (uintptr_t)big;
	c.flags = 1;
	EXPECT_EQ(-EINVAL, raw_ioctl(fd, VFPGA_KP_CALL, &c));
	c.flags = 0;
	ASSERT_EQ(0, raw_ioctl(fd, VFPGA_KP_CALL, &c));
	EXPECT_EQ(sizeof(struct vfpga_kp_sample_version), c.out_size);
	EXPECT_EQ(0, c.result);

	/* Handles: unknown, closed, or another file's. */
	c.handle = 999;
	EXPECT_EQ(-EINVAL, raw_ioctl(fd, VFPGA_KP_CALL, &c));
	a.handle = 999;
	EXPECT_EQ(-EINVAL, raw_ioctl(fd, VFPGA_KP_CLOSE, &a));
	EXPECT_EQ(-EINVAL, raw_ioctl(fd, VFPGA_KP_INT_ENABLE, &a));
	EXPECT_EQ(-EINVAL, raw_ioctl(fd, VFPGA_KP_INT_DISABLE, &a));
	w.handle = 999;
	EXPECT_EQ(-EINVAL, raw_ioctl(fd, VFPGA_KP_WAIT, &w));
	ASSERT_EQ(0, vfpga_open(0, &dev2));
	a.handle = o.handle;
	EXPECT_EQ(-EINVAL, raw_ioctl(vfpga_fd(dev2), VFPGA_KP_CLOSE, &a));
	vfpga_close(dev2);
	EXPECT_EQ(0, raw_ioctl(fd, VFPGA_KP_CLOSE, &a));
	EXPECT_EQ(-EINVAL, raw_ioctl(fd, VFPGA_KP_CLOSE, &a));
	c.handle = o.handle;
	EXPECT_EQ(-EINVAL, raw_ioctl(fd, VFPGA_KP_CALL, &c));
	/* The first raw handle stays open: close() of the file closes it. */
}

/*
 * The same requests to the kernel module and to the user-mode object, on
 * one board: the same replies, byte for byte, and the same errnos.
 */
/*
 * The plugin's DMA: its buffer to card memory and back, the plugin
 * waiting for each completion; sizes on both sides of the 4 MiB line
 * where user mode switches from a coherent to a scatter-gather buffer.
 */
TEST_F(kp, dma_round_trip)
{
	static const uint64_t sizes[] = { 4096, 65536 + 12, 1 << 20,
					  (8 << 20) + 4096 };
	const struct vfpga_device_info *info = &self->info;
	struct vfpga_kp_sample_dma_result r;
	unsigned int i;

	if (!info->num_h2c || !info->num_c2h)
		SKIP(return, "a round trip needs channels both ways");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t len = sizes[i], card = (uint64_t)i << 24;
		uint32_t seed = 1000 + i;

		ASSERT_EQ(0, plugin_dma(self->kp, VFPGA_KP_SAMPLE_DMA_H2C,
					i % info->num_h2c, card, len, 2, seed,
					&r));
		EXPECT_EQ(2, r.iterations);
		EXPECT_EQ(pattern_checksum(seed, len), r.checksum);
		EXPECT_EQ(0, r.status & XDMA_STAT_ERRORS);
		EXPECT_LT(0, r.total_ns);
		ASSERT_EQ(0, card_matches_pattern(self->dev,
						  info->num_c2h - 1, card,
						  seed, len))
			TH_LOG("card memory after the plugin's H2C of %llu",
			       (unsigned long long)len);

		ASSERT_EQ(0, plugin_dma(self->kp, VFPGA_KP_SAMPLE_DMA_C2H,
					(i + 1) % info->num_c2h, card, len, 1,
					0, &r));
		EXPECT_EQ(1, r.iterations);
		EXPECT_EQ(pattern_checksum(seed, len), r.checksum)
			TH_LOG("C2H of %llu bytes", (unsigned long long)len);
		printf("# kp dma %s mode: %llu bytes round trip ok\n",
		       variant->name, (unsigned long long)len);
	}
}

TEST_F(kp, dma_bad_requests)
{
	struct vfpga_kp_sample_dma_result r;
	struct vfpga_kp_sample_dma d = { .length = 4096, .iterations = 1 };
	uint64_t card = self->info.card_size;
	char small[8];
	size_t len;

	ASSERT_LT(0, card);
	if (!self->info.num_h2c || !self->info.num_c2h)
		SKIP(return, "these requests use channels both ways");
	/* A channel past the board's own, where it has fewer than four. */
	if (self->info.num_c2h < XDMA_MAX_CHANNELS)
		EXPECT_EQ(-EINVAL, plugin_dma(self->kp, 1, self->info.num_c2h,
					      0, 4096, 1, 0, &r));
	EXPECT_EQ(-EINVAL, plugin_dma(self->kp, 2, 0, 0, 4096, 1, 0, &r));
	EXPECT_EQ(-EINVAL, plugin_dma(self->kp, 0, 4, 0, 4096, 1, 0, &r));
	EXPECT_EQ(-EINVAL, plugin_dma(self->kp, 0, 0, 0, 0, 1, 0, &r));
	EXPECT_EQ(-EINVAL, plugin_dma(self->kp, 0, 0, 0,
				      VFPGA_KP_SAMPLE_DMA_MAX + 1, 1, 0, &r));
	EXPECT_EQ(-EINVAL, plugin_dma(self->kp, 0, 0, 0, 4096, 0, 0, &r));
	EXPECT_EQ(-ERANGE, plugin_dma(self->kp, 0, 0, card - 4095, 4096, 1,
				      0, &r));
	EXPECT_EQ(-ERANGE, plugin_dma(self->kp, 1, 0, card, 4096, 1, 0, &r));
	EXPECT_EQ(-EINVAL, vfpga_kp_call(self->kp, VFPGA_KP_SAMPLE_MSG_DMA,
					 &d, sizeof(d) - 1, &r, NULL));
	len = sizeof(small);
	EXPECT_EQ(-EMSGSIZE, vfpga_kp_call(self->kp, VFPGA_KP_SAMPLE_MSG_DMA,
					   &d, sizeof(d), small, &len));
	/* Refusals cost nothing: the next transfer works. */
	EXPECT_EQ(0, plugin_dma(self->kp, 0, 0, 0, 4096, 1, 7, &r));
	EXPECT_EQ(pattern_checksum(7, 4096), r.checksum);
}

struct dma_worker {
	struct vfpga_kp *kp;
	uint32_t dir, chan, seed;
	uint64_t card, len;
	int ret;
	uint64_t checksum;
};

static void *dma_worker_run(void *arg)
{
	struct dma_worker *w = arg;
	struct vfpga_kp_sample_dma_result r;

	w->ret = plugin_dma(w->kp, w->dir, w->chan, w->card, w->len, 4,
			    w->seed, &r);
	w->checksum = r.checksum;
	return NULL;
}

/*
 * One handle, every channel at once: a buffer per channel and direction.
 * H2C on every H2C channel, then C2H on every C2H channel, C2H channel c
 * reading the region H2C channel c % num_h2c wrote.
 */
TEST_F(kp, dma_all_channels_in_parallel)
{
	unsigned int nh = self->info.num_h2c, nc = self->info.num_c2h;
	struct dma_worker w[2 * XDMA_MAX_CHANNELS];
	pthread_t t[2 * XDMA_MAX_CHANNELS];
	unsigned int i, h2c;

	if (!nh || !nc)
		SKIP(return, "a round trip needs channels both ways");
	for (i = 0; i < nh + nc; i++) {
		h2c = i < nh ? i : (i - nh) % nh;
		w[i] = (struct dma_worker) {
			.kp = self->kp, .dir = i >= nh,
			.chan = i < nh ? i : i - nh,
			.seed = 77 + h2c, .card = (uint64_t)h2c << 22,
			.len = 1 << 20,
		};
	}
	for (i = 0; i < nh; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, dma_worker_run, &w[i]));
	for (i = 0; i < nh; i++)
		pthread_join(t[i], NULL);
	for (i = nh; i < nh + nc; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, dma_worker_run, &w[i]));
	for (i = nh; i < nh + nc; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < nh + nc; i++) {
		EXPECT_EQ(0, w[i].ret) TH_LOG("worker %u", i);
		EXPECT_EQ(pattern_checksum(w[i].seed, 1 << 20), w[i].checksum)
			TH_LOG("worker %u", i);
	}
}

/* Paced interrupts handled in the plugin, and its latency histogram. */
TEST_F(kp, paced_storm_and_latency)
{
	struct vfpga_kp_sample_paced p = { .line = 1, .rate = 20000,
					   .count = 4000, .queue_depth = 4096 };
	struct vfpga_kp_sample_latency lat;
	struct vfpga_kp_sample_counters c;
	uint32_t raised, acked, overrun;
	size_t len = sizeof(lat);
	uint64_t sum = 0;
	unsigned int b;

	if (!(self->info.board_caps & VFPGA_CAP_IRQGEN_PACED))
		SKIP(return, "the board's interrupt generator has no paced mode");
	ASSERT_EQ(0, vfpga_kp_int_enable(self->kp));
	ASSERT_EQ(0, vfpga_kp_call(self->kp, VFPGA_KP_SAMPLE_MSG_PACED, &p,
				   sizeof(p), NULL, NULL));
	EXPECT_EQ(-EBUSY, vfpga_kp_call(self->kp, VFPGA_KP_SAMPLE_MSG_PACED,
					&p, sizeof(p), NULL, NULL));
	p.queue_depth = VFPGA_IRQGEN_QUEUE_MAX + 1;
	EXPECT_EQ(-EINVAL, vfpga_kp_call(self->kp, VFPGA_KP_SAMPLE_MSG_PACED,
					 &p, sizeof(p), NULL, NULL));
	ASSERT_EQ(0, vfpga_irqgen_wait(self->dev, TIMEOUT_MS, &raised, &acked));
	ASSERT_EQ(0, dpc_settle(self->kp, raised, &c));
	ASSERT_EQ(0, vfpga_reg_read32(self->dev, self->info.user_bar,
				      VFPGA_IRQGEN_OVERRUN, &overrun));
	ASSERT_EQ(0, vfpga_kp_call(self->kp, VFPGA_KP_SAMPLE_MSG_LATENCY,
				   NULL, 0, &lat, &len));
	ASSERT_EQ(0, vfpga_kp_int_disable(self->kp));

	/*
	 * Every beat raised an interrupt: the queue absorbs the emulator's
	 * late timers, and the handler keeps up with 20,000/s.
	 */
	EXPECT_EQ(4000, raised);
	EXPECT_EQ(0, overrun);
	EXPECT_EQ(raised, acked);
	EXPECT_EQ(raised, c.irqs);
	ASSERT_EQ(sizeof(lat), len);
	EXPECT_EQ(c.irqs, lat.count);
	for (b = 0; b < VFPGA_KP_SAMPLE_LAT_BUCKETS; b++)
		sum += lat.hist[b];
	EXPECT_EQ(lat.count, sum);
	EXPECT_EQ(c.latency_max_ns, lat.max_ns);
	EXPECT_EQ(0, vfpga_kp_sample_lat_bucket(0));
	EXPECT_EQ(4, vfpga_kp_sample_lat_bucket(256));
	EXPECT_EQ(256, vfpga_kp_sample_lat_floor(4));
	EXPECT_EQ(VFPGA_KP_SAMPLE_LAT_BUCKETS - 1,
		  vfpga_kp_sample_lat_bucket(UINT64_MAX));
	printf("# kp paced %s mode: 20000/s, raised=%u handled=%llu overrun=%u\n",
	       variant->name, raised, (unsigned long long)c.irqs, overrun);
}

/*
 * What a message to the plugin costs, next to the cheapest ioctl there
 * is (the API version: no argument, no board access).  Figures only; the
 * replies must be right.  make bench measures this with spread.
 */
TEST_F(kp, call_round_trip_figure)
{
	const int n = 20000;
	struct vfpga_kp_sample_version v;
	int fd = vfpga_fd(self->dev), i;
	double t0, call_ns, ioctl_ns;
	size_t len;

	t0 = now_s();
	for (i = 0; i < n; i++) {
		len = sizeof(v);
		ASSERT_EQ(0, vfpga_kp_call(self->kp, VFPGA_KP_SAMPLE_MSG_VERSION,
					   NULL, 0, &v, &len));
	}
	call_ns = (now_s() - t0) * 1e9 / n;
	EXPECT_EQ(VFPGA_KP_SAMPLE_VERSION, v.version);
	t0 = now_s();
	for (i = 0; i < n; i++)
		ASSERT_EQ(VFPGA_API_VERSION, ioctl(fd, VFPGA_GET_API_VERSION));
	ioctl_ns = (now_s() - t0) * 1e9 / n;
	printf("# kp call %s mode: VERSION message %.0f ns round trip, plain ioctl %.0f ns\n",
	       variant->name, call_ns, ioctl_ns);
}

TEST(same_results_in_both_modes)
{
	static const enum vfpga_kp_mode modes[2] = { VFPGA_KP_KERNEL,
						      VFPGA_KP_USER };
	struct vfpga_kp_sample_storm bad_line = { .line = 16, .count = 1 };
	struct vfpga_kp_sample_counters c[2];
	char reply[2][64], small[4];
	struct vfpga_device *dev;
	struct vfpga_kp *kp[2];
	size_t len[2];
	uint32_t wake = 9;
	int m;

	ASSERT_EQ(0, vfpga_open(0, &dev));
	for (m = 0; m < 2; m++)
		ASSERT_EQ(0, vfpga_kp_open_mode(dev, VFPGA_KP_SAMPLE_NAME,
						modes[m], &kp[m]));
	memset(reply, 0xa5, sizeof(reply));
	for (m = 0; m < 2; m++) {
		len[m] = sizeof(reply[m]);
		EXPECT_EQ(0, vfpga_kp_call(kp[m], VFPGA_KP_SAMPLE_MSG_VERSION,
					   NULL, 0, reply[m], &len[m]));
	}
	EXPECT_EQ(len[0], len[1]);
	EXPECT_EQ(0, memcmp(reply[0], reply[1], sizeof(reply[0])));

	for (m = 0; m < 2; m++) {
		EXPECT_EQ(-ENOMSG, vfpga_kp_call(kp[m], 0, NULL, 0, NULL,
						 NULL));
		len[m] = sizeof(small);
		EXPECT_EQ(-EMSGSIZE, vfpga_kp_call(kp[m],
						   VFPGA_KP_SAMPLE_MSG_VERSION,
						   NULL, 0, small, &len[m]));
		EXPECT_EQ(-EINVAL, vfpga_kp_call(kp[m],
						 VFPGA_KP_SAMPLE_MSG_SET_WAKE,
						 &wake, sizeof(wake), NULL,
						 NULL));
		EXPECT_EQ(-EINVAL, vfpga_kp_call(kp[m],
						 VFPGA_KP_SAMPLE_MSG_STORM,
						 &bad_line, sizeof(bad_line),
						 NULL, NULL));
	}

	/* One mode at a time has the interrupts: 1,000 on line 2 each. */
	for (m = 0; m < 2; m++) {
		uint32_t raised, acked;

		ASSERT_EQ(0, vfpga_kp_int_enable(kp[m]));
		ASSERT_EQ(0, set_wake(kp[m], VFPGA_KP_SAMPLE_WAKE_PER_IRQ));
		ASSERT_EQ(0, storm(kp[m], 2, 1000));
		ASSERT_EQ(0, vfpga_irqgen_wait(dev, TIMEOUT_MS, &raised,
					       &acked));
		EXPECT_EQ(1000, raised);
		EXPECT_EQ(1000, acked);
		ASSERT_EQ(0, dpc_settle(kp[m], 1000, &c[m]));
		ASSERT_EQ(0, vfpga_kp_int_disable(kp[m]));
	}
	for (m = 0; m < 2; m++) {
		EXPECT_EQ(1000, c[m].irqs);
		EXPECT_EQ(1000, c[m].dpc_requests);
		EXPECT_EQ(1000, c[m].wakeups);
	}
	for (m = 0; m < 2; m++)
		EXPECT_EQ(0, vfpga_kp_close(kp[m]));
	vfpga_close(dev);
}

static void count_cb(void *ctx, const struct vfpga_irq_event *ev)
{
	*(volatile uint64_t *)ctx += ev->count;
}

/*
 * User mode only: the plugin's interrupts come from libvfpga's callback
 * threads, so a vector that has a callback of the program's already
 * refuses them (-EBUSY), and frees them again when disabled.
 */
TEST(user_mode_interrupts_use_the_callback_threads)
{
	struct vfpga_kp_sample_counters c;
	struct vfpga_device *dev;
	struct vfpga_kp *kp;
	uint64_t seen = 0;

	ASSERT_EQ(0, vfpga_open(0, &dev));
	ASSERT_EQ(0, vfpga_kp_open_mode(dev, VFPGA_KP_SAMPLE_NAME,
					VFPGA_KP_USER, &kp));
	ASSERT_EQ(0, vfpga_irq_enable(dev, 0, count_cb, &seen));
	EXPECT_EQ(-EBUSY, vfpga_kp_int_enable(kp));
	ASSERT_EQ(0, vfpga_irq_disable(dev, 0));
	ASSERT_EQ(0, vfpga_kp_int_enable(kp));
	EXPECT_EQ(-EBUSY, vfpga_irq_enable(dev, 0, count_cb, &seen));
	ASSERT_EQ(0, storm(kp, 0, 100));
	ASSERT_EQ(0, vfpga_irqgen_wait(dev, TIMEOUT_MS, NULL, NULL));
	ASSERT_EQ(0, dpc_settle(kp, 100, &c));
	EXPECT_EQ(100, c.irqs);
	ASSERT_EQ(0, vfpga_kp_int_disable(kp));
	EXPECT_EQ(0, vfpga_irq_enable(dev, 0, count_cb, &seen));
	EXPECT_EQ(0, vfpga_irq_disable(dev, 0));
	EXPECT_EQ(0, seen);
	EXPECT_EQ(0, vfpga_kp_close(kp));
	vfpga_close(dev);
}

/*
 * A plugin with an open handle cannot unload; closed, it can.  Kernel mode
 * only: the user-mode plugin is part of this program.
 */
TEST(unload_refused_while_open)
{
	struct vfpga_device *dev;
	struct vfpga_kp *kp, *kp2;

	if (access(SAMPLE_KO, R_OK))
		SKIP(return, "%s not present", SAMPLE_KO);
	ASSERT_EQ(0, vfpga_open(0, &dev));
	ASSERT_EQ(0, vfpga_kp_open(dev, VFPGA_KP_SAMPLE_NAME, &kp));
	EXPECT_NE(0, system("rmmod vfpga_kp_sample 2>/dev/null"));
	ASSERT_EQ(0, vfpga_kp_open(dev, VFPGA_KP_SAMPLE_NAME, &kp2));
	EXPECT_EQ(0, vfpga_kp_close(kp2));
	EXPECT_NE(0, system("rmmod vfpga_kp_sample 2>/dev/null"));
	ASSERT_EQ(0, vfpga_kp_close(kp));
	ASSERT_EQ(0, system("rmmod vfpga_kp_sample"));
	EXPECT_EQ(-ENOENT, vfpga_kp_open(dev, VFPGA_KP_SAMPLE_NAME, &kp));
	/* The user-mode plugin is there all the same. */
	ASSERT_EQ(0, vfpga_kp_open_mode(dev, VFPGA_KP_SAMPLE_NAME,
					VFPGA_KP_USER, &kp));
	EXPECT_EQ(0, vfpga_kp_close(kp));
	ASSERT_EQ(0, system("insmod " SAMPLE_KO));
	ASSERT_EQ(0, vfpga_kp_open(dev, VFPGA_KP_SAMPLE_NAME, &kp));
	EXPECT_EQ(0, vfpga_kp_close(kp));
	vfpga_close(dev);
}

TEST_HARNESS_MAIN
