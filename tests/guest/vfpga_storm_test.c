// SPDX-License-Identifier: MIT
/*
 * Interrupt storms handled by the sample kernel plugin: correctness under
 * load.  Each storm passes when the device's counts and the plugin's agree
 * and nothing was lost; the rates are figures, printed one TAP diagnostic
 * line per storm for comparison across runs:
 *   # storm NAME/MODE: rate=N/s raised=N handled=N lost=N overrun=N stalled=Nms
 * (stalled: how long the paced schedule paused because the emulator
 * itself stood still, IRQGEN_STALLED_US).
 * Every storm is bounded in count and time: a storm that does not finish
 * in time is stopped, fails, and prints its counts.
 *
 * All storms but the rotating one use user line 0, so vector 0: under TCG
 * where a vector's interrupts land matters (a vCPU woken from idle by an
 * interrupt pays up to a millisecond; in MSI-X mode a paced storm on
 * line 1 ran at 60,000/s where one on line 0 ran at 100,000/s), and the
 * figures should compare storms, not interrupt placement.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "libvfpga.h"
#include "vfpga_kp_sample.h"
#include "vfpga_regs.h"
#include "vfpga_test_util.h"

#define PINGPONG_COUNT	1000000
#define PACED_RATE	100000
#define PACED_SECONDS	10
#define QUEUE		VFPGA_IRQGEN_QUEUE_MAX
/* A storm whose acknowledges stand still this long is stuck. */
#define STALL_S		10
/* A storm may overrun its nominal length by this much, plus 5%. */
#define SLACK_MS	200

struct storm_result {
	uint32_t raised, acked, overrun;
	uint32_t stalled_us;		/* emulator stalls the schedule sat out */
	uint64_t handled;		/* by the plugin */
	double secs;			/* START to the last acknowledge */
};

FIXTURE(storm) {
	struct vfpga_device *dev;
	struct vfpga_device_info info;
	struct vfpga_kp *kp;
};

FIXTURE_SETUP(storm)
{
	int ret = vfpga_open(0, &self->dev);

	ASSERT_EQ(0, ret) TH_LOG("/dev/vfpga0: %s", vfpga_strerror(ret));
	ASSERT_EQ(0, vfpga_get_info(self->dev, &self->info));
	/* No storm left over from a test that failed. */
	ASSERT_EQ(0, vfpga_reg_write32(self->dev, VFPGA_BAR_USER,
				       VFPGA_IRQGEN_CTRL,
				       VFPGA_IRQGEN_CTRL_STOP));
	ret = vfpga_kp_open(self->dev, VFPGA_KP_SAMPLE_NAME, &self->kp);
	ASSERT_EQ(0, ret) TH_LOG("sample plugin: %s", vfpga_strerror(ret));
	ASSERT_EQ(0, vfpga_kp_int_enable(self->kp));
}

FIXTURE_TEARDOWN(storm)
{
	vfpga_kp_close(self->kp);
	vfpga_close(self->dev);
}

static uint32_t user_reg(struct vfpga_device *dev, uint32_t reg)
{
	uint32_t v = UINT32_MAX;

	vfpga_reg_read32(dev, VFPGA_BAR_USER, reg, &v);
	return v;
}

/*
 * Wait until the generator is idle, then read every count.  A storm whose
 * acknowledged count stands still for STALL_S, or that still runs after
 * @limit_s in all, is stopped: -ETIMEDOUT.  Only a stuck storm fails in
 * time: a slower kernel takes longer (the debug lane's handles about a
 * sixth of the default's rate, and a million beats take a minute there).
 */
static int storm_finish(struct vfpga_device *dev, struct vfpga_kp *kp,
			double t0, double limit_s, struct storm_result *r)
{
	struct vfpga_kp_sample_counters c;
	size_t len = sizeof(c);
	uint32_t acked, last = 0;
	double moved = now_s();
	int ret = 0, i;

	while (user_reg(dev, VFPGA_IRQGEN_STATUS) & VFPGA_IRQGEN_STATUS_BUSY) {
		acked = user_reg(dev, VFPGA_IRQGEN_ACKED);
		if (acked != last) {
			last = acked;
			moved = now_s();
		}
		if (now_s() - t0 > limit_s || now_s() - moved > STALL_S) {
			vfpga_reg_write32(dev, VFPGA_BAR_USER, VFPGA_IRQGEN_CTRL,
					  VFPGA_IRQGEN_CTRL_STOP);
			ret = -ETIMEDOUT;
			break;
		}
		usleep(1000);
	}
	r->secs = now_s() - t0;
	r->raised = user_reg(dev, VFPGA_IRQGEN_RAISED);
	r->acked = user_reg(dev, VFPGA_IRQGEN_ACKED);
	r->overrun = user_reg(dev, VFPGA_IRQGEN_OVERRUN);
	r->stalled_us = user_reg(dev, VFPGA_IRQGEN_STALLED_US);
	/* The plugin counts in int_at_irql, before its acknowledge. */
	for (i = 0; i < 1000; i++) {
		int err = vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_COUNTERS, NULL,
					0, &c, &len);

		if (err)
			return err;
		if (c.irqs >= r->acked)
			break;
		usleep(1000);
	}
	r->handled = c.irqs;
	return ret;
}

static void storm_report(const char *name, const char *mode,
			 const struct storm_result *r)
{
	printf("# storm %s/%s: rate=%.0f/s raised=%u handled=%llu lost=%lld overrun=%u stalled=%.1fms\n",
	       name, mode, r->secs > 0 ? r->handled / r->secs : 0.0,
	       r->raised, (unsigned long long)r->handled,
	       (long long)r->raised - (long long)r->handled, r->overrun,
	       r->stalled_us / 1000.0);
}

static int paced_start(struct vfpga_kp *kp, uint32_t line, uint32_t rate,
		       uint32_t duration_us, uint32_t flags)
{
	struct vfpga_kp_sample_paced p = {
		.line = line, .rate = rate, .duration_us = duration_us,
		.queue_depth = QUEUE, .flags = flags,
	};

	return vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_PACED, &p, sizeof(p),
			     NULL, NULL);
}

static int pingpong_start(struct vfpga_kp *kp, uint32_t line, uint32_t count,
			  uint32_t flags)
{
	struct vfpga_kp_sample_storm st = {
		.line = line, .count = count, .flags = flags,
	};

	return vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_STORM, &st, sizeof(st),
			     NULL, NULL);
}

/* One million, each raised by the acknowledge of the one before. */
TEST_F_TIMEOUT(storm, pingpong_one_million, 330)
{
	struct storm_result r;
	uint64_t before, after;
	double t0;

	ASSERT_EQ(0, vfpga_irq_count(self->dev, 0, &before, NULL));
	t0 = now_s();
	ASSERT_EQ(0, pingpong_start(self->kp, 0, PINGPONG_COUNT, 0));
	EXPECT_EQ(0, storm_finish(self->dev, self->kp, t0, 300, &r));
	ASSERT_EQ(0, vfpga_irq_count(self->dev, 0, &after, NULL));
	storm_report("pingpong-1m", vfpga_irq_mode_name(self->info.irq_mode), &r);

	EXPECT_EQ(PINGPONG_COUNT, r.raised);
	EXPECT_EQ(PINGPONG_COUNT, r.acked);
	EXPECT_EQ(PINGPONG_COUNT, r.handled);
	EXPECT_EQ(PINGPONG_COUNT, after - before);
}

/*
 * 100,000/s for 10 s of device time: every beat raised, handled and
 * acknowledged, none overrun.  The generator's event queue is as deep as
 * the model allows (2^20 beats, 10 s at this rate): in full test runs on
 * a loaded 2-core host the guest sometimes froze for seconds while QEMU's
 * main loop ran on (the model cannot tell that from a slow guest), and a
 * 65,536-deep queue overran.  So this storm proves nothing is lost under
 * load; whether the handler kept the rate is the figure in its storm
 * line, and the highest rate sustained in time is measured below.
 */
TEST_F_TIMEOUT(storm, paced_100k_for_10s, 330)
{
	const uint32_t beats = PACED_RATE * PACED_SECONDS;
	struct storm_result r;
	double t0;

	if (!(self->info.board_caps & VFPGA_CAP_IRQGEN_PACED))
		SKIP(return, "the board's interrupt generator has no paced mode");
	t0 = now_s();
	ASSERT_EQ(0, paced_start(self->kp, 0, PACED_RATE,
				 PACED_SECONDS * 1000000, 0));
	EXPECT_EQ(0, storm_finish(self->dev, self->kp, t0, 300, &r));
	storm_report("paced-100k", vfpga_irq_mode_name(self->info.irq_mode), &r);

	EXPECT_EQ(beats, r.raised);
	EXPECT_EQ(beats, r.acked);
	EXPECT_EQ(beats, r.handled);
	EXPECT_EQ(0, r.overrun);
}

/*
 * The highest paced rate this board and machine sustain: 1 s at each
 * rate, up from 100,000/s, until a run overruns or ends late.  The rate
 * is a figure; nothing may be lost at any rate (raised == handled).
 */
TEST_F_TIMEOUT(storm, paced_highest_sustained_rate, 120)
{
	static const uint32_t rates[] = { 100000, 125000, 150000, 175000,
					  200000, 250000, 300000, 400000,
					  500000 };
	uint32_t best = 0;
	struct storm_result r;
	unsigned int i;
	char name[32];
	double t0;

	if (!(self->info.board_caps & VFPGA_CAP_IRQGEN_PACED))
		SKIP(return, "the board's interrupt generator has no paced mode");
	for (i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		t0 = now_s();
		ASSERT_EQ(0, paced_start(self->kp, 0, rates[i], 1000000, 0));
		ASSERT_EQ(0, storm_finish(self->dev, self->kp, t0, 30, &r));
		snprintf(name, sizeof(name), "paced-%uk", rates[i] / 1000);
		storm_report(name, vfpga_irq_mode_name(self->info.irq_mode), &r);
		ASSERT_EQ(r.raised, r.acked);
		ASSERT_EQ(r.raised, r.handled);
		ASSERT_EQ(rates[i], r.raised + r.overrun);
		if (r.overrun || r.secs > 1.05 + SLACK_MS / 1000.0)
			break;
		best = rates[i];
	}
	printf("# storm paced-max %s: highest sustained rate=%u/s\n",
	       vfpga_irq_mode_name(self->info.irq_mode), best);
}

struct dma_job {
	struct vfpga_kp *kp;
	uint32_t chan;
	uint32_t seed;
	int rounds;
	int ret;
	uint64_t bytes;
	char why[96];
};

/* H2C a pattern, C2H it back, compare checksums; @rounds times. */
static void *dma_job_run(void *arg)
{
	struct dma_job *j = arg;
	const uint64_t len = 1 << 20, card = (uint64_t)j->chan << 24;
	struct vfpga_kp_sample_dma_result r;
	struct vfpga_kp_sample_dma d = {
		.channel = j->chan, .card_offset = card, .length = len,
		.iterations = 1,
	};
	unsigned char *want = malloc(len);
	uint64_t sum;
	size_t rlen;
	int i;

	if (!want) {
		j->ret = -ENOMEM;
		return NULL;
	}
	for (i = 0; i < j->rounds && !j->ret; i++) {
		d.seed = j->seed + i;
		vfpga_kp_sample_pattern(d.seed, want, len);
		sum = vfpga_kp_sample_checksum(want, len);
		d.dir = VFPGA_KP_SAMPLE_DMA_H2C;
		rlen = sizeof(r);
		j->ret = vfpga_kp_call(j->kp, VFPGA_KP_SAMPLE_MSG_DMA, &d,
				       sizeof(d), &r, &rlen);
		if (j->ret)
			break;
		d.dir = VFPGA_KP_SAMPLE_DMA_C2H;
		rlen = sizeof(r);
		j->ret = vfpga_kp_call(j->kp, VFPGA_KP_SAMPLE_MSG_DMA, &d,
				       sizeof(d), &r, &rlen);
		if (!j->ret && r.checksum != sum) {
			snprintf(j->why, sizeof(j->why),
				 "channel %u round %d: data differs", j->chan,
				 i);
			j->ret = -EIO;
		}
		j->bytes += 2 * len;
	}
	free(want);
	return NULL;
}

/*
 * A paced storm while every channel moves data both ways, transfers
 * completed in the plugin: no interrupt lost, every byte verified.
 */
TEST_F_TIMEOUT(storm, mixed_with_dma_on_every_channel, 90)
{
	struct dma_job jobs[XDMA_MAX_CHANNELS];
	pthread_t t[XDMA_MAX_CHANNELS];
	struct storm_result r;
	uint64_t bytes = 0;
	double t0, dma_secs;
	unsigned int i;

	if (!(self->info.board_caps & VFPGA_CAP_IRQGEN_PACED))
		SKIP(return, "the board's interrupt generator has no paced mode");
	t0 = now_s();
	ASSERT_EQ(0, paced_start(self->kp, 0, 50000, 3 * 1000000, 0));
	for (i = 0; i < XDMA_MAX_CHANNELS; i++) {
		jobs[i] = (struct dma_job){ .kp = self->kp, .chan = i,
					    .seed = 100 * (i + 1), .rounds = 8 };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, dma_job_run, &jobs[i]));
	}
	for (i = 0; i < XDMA_MAX_CHANNELS; i++)
		pthread_join(t[i], NULL);
	dma_secs = now_s() - t0;
	EXPECT_EQ(0, storm_finish(self->dev, self->kp, t0, 60, &r));
	storm_report("mixed-dma", vfpga_irq_mode_name(self->info.irq_mode), &r);
	for (i = 0; i < XDMA_MAX_CHANNELS; i++) {
		EXPECT_EQ(0, jobs[i].ret) TH_LOG("channel %u: %s %s", i,
						  vfpga_strerror(jobs[i].ret),
						  jobs[i].why);
		bytes += jobs[i].bytes;
	}
	printf("# storm mixed-dma %s: %llu bytes verified on %d channels x 2 directions in %.2f s\n",
	       vfpga_irq_mode_name(self->info.irq_mode), (unsigned long long)bytes,
	       XDMA_MAX_CHANNELS, dma_secs);
	EXPECT_EQ(150000, r.raised);
	EXPECT_EQ(r.raised, r.acked);
	EXPECT_EQ(r.raised, r.handled);
	EXPECT_EQ(0, r.overrun);
}

/*
 * One storm over all 16 user lines, each raise on the next: with MSI-X
 * every line has a vector of its own, so each vector takes its share;
 * otherwise they share the vectors there are.  Counted exactly per
 * vector by the driver.
 */
TEST_F_TIMEOUT(storm, rotating_over_every_vector, 180)
{
	const uint32_t count = 16 * 100;
	uint64_t before[VFPGA_USER_IRQ_LINES], after, total = 0;
	unsigned int v, nvec = self->info.num_vectors;
	struct storm_result r;
	double t0;

	if (nvec > VFPGA_USER_IRQ_LINES)
		nvec = VFPGA_USER_IRQ_LINES;
	for (v = 0; v < nvec; v++)
		ASSERT_EQ(0, vfpga_irq_count(self->dev, v, &before[v], NULL));
	t0 = now_s();
	ASSERT_EQ(0, pingpong_start(self->kp, 0, count,
				    VFPGA_KP_SAMPLE_ROTATE));
	EXPECT_EQ(0, storm_finish(self->dev, self->kp, t0, 150, &r));
	storm_report("rotate-16-lines", vfpga_irq_mode_name(self->info.irq_mode), &r);
	for (v = 0; v < nvec; v++) {
		ASSERT_EQ(0, vfpga_irq_count(self->dev, v, &after, NULL));
		total += after - before[v];
		/* Line l goes to vector l % nvec. */
		EXPECT_EQ(count / 16 * (16 / nvec + (v < 16 % nvec)),
			  after - before[v]) TH_LOG("vector %u", v);
	}
	printf("# storm rotate-16-lines %s: %u vectors used\n",
	       vfpga_irq_mode_name(self->info.irq_mode), nvec);
	EXPECT_EQ(count, r.raised);
	EXPECT_EQ(count, r.acked);
	EXPECT_EQ(count, r.handled);
	EXPECT_EQ(count, total);
}

TEST_HARNESS_MAIN
