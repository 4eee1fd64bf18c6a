// SPDX-License-Identifier: MIT
/*
 * A seeded fault campaign against the driver and the sample kernel
 * plugin.  The board injects faults drawn from every one it models (bad
 * descriptor magic, DMA read and write errors, dropped, duplicated, late
 * and spurious messages, a stuck BUSY, link down, FLR: CAMPAIGN_* registers,
 * docs/register-map.md) while the program runs DMA in interrupt and poll
 * mode, interrupt generator bursts, and plugin DMA.  It passes when:
 *  - every operation ends in success or an errno its documentation names
 *    for a failing board (-EIO, -ETIMEDOUT, -ENODEV; -EBUSY for a
 *    generator still running after a lost interrupt),
 *  - none takes longer than its own bound (a watchdog fails the test),
 *  - data that was reported moved is right, byte for byte,
 *  - once the campaign is stopped the board works again: after a
 *    link down, an FLR or a stuck engine (a channel still BUSY after its
 *    transfer timed out) only after what the driver documents, an
 *    unbind, a reset of the board and a rebind (here: remove and rescan),
 *  - and the suites after it find the boards as it found them: no fault
 *    armed, no channel BUSY, and, if it rescanned a board, every board
 *    removed and rescanned once more, so that the PCI core lists them in
 *    bus order again and each keeps its name at the next driver load.
 * A failure prints its seed; VFPGA_CAMPAIGN_SEEDS=0x1,0x2 (vfpga_campaign_
 * seeds= on the kernel command line) replays chosen seeds.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

#define OPS_PER_SEED	40
#define RATE		6		/* faults per 1024 device events */
#define XFER_MAX	(64 * 1024)
#define OP_BOUND_S	40		/* DMA timeout 10 s, plus recovery */
#define IRQ_COUNT	20

static uint32_t current_seed;
static int current_op;

/* A hung operation fails the test with the seed that hung it. */
static void on_alarm(int sig)
{
	char msg[96];
	int n = snprintf(msg, sizeof(msg), "# campaign seed 0x%08x: operation "
			 "%d took more than %d s\n", current_seed, current_op,
			 OP_BOUND_S);

	(void)sig;
	if (write(STDOUT_FILENO, msg, n) < 0)
		_exit(2);
	_exit(1);
}

/* The test's own choices: xorshift32, independent of the board's. */
static uint32_t next_rand(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

#define MAX_BOARDS	8

FIXTURE(campaign) {
	struct vfpga_device *dev;
	struct vfpga_kp *kp;
	char pci[32];
	unsigned int ops, ok, eio, etimedout, enodev, ebusy, recoveries;
	unsigned int all_recoveries;
	uint8_t *src, *dst;
	char boards[MAX_BOARDS][32];	/* vfpgaN's PCI address, or "" */
	int kmsg;			/* the kernel log from the start on */
};

/*
 * Memory the driver gave up on since @fd was opened: what a dead channel
 * may still use is kept for good when its buffer is freed, or the board
 * unbound, before a reset stopped the engine.  Prints and counts them.
 */
static int kmsg_leaks(int fd)
{
	char rec[8192];
	ssize_t n;
	int count = 0;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* records overwritten: go on */
		if (n < 0)
			return errno == EAGAIN ? count : -errno;
		rec[n] = 0;
		if (strstr(rec, "may still use it: kept, not freed") ||
		    strstr(rec, "left to it for good")) {
			printf("# kernel: %s", strchr(rec, ';') ?
			       strchr(rec, ';') + 1 : rec);
			count++;
		}
	}
}

/* Fill @addr[N] with the PCI address of vfpgaN ("" if absent). */
static void boards_list(char addr[][32])
{
	unsigned int i;

	for (i = 0; i < MAX_BOARDS; i++)
		if (board_pci_name(i, addr[i], sizeof(addr[i])))
			addr[i][0] = 0;
}

FIXTURE_SETUP(campaign)
{
	self->kmsg = -1;
	boards_list(self->boards);
	self->kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, self->kmsg);
	ASSERT_LE(0, lseek(self->kmsg, 0, SEEK_END));
	ASSERT_EQ(0, vfpga_open(0, &self->dev));
	ASSERT_EQ(0, vfpga_pci_address(self->dev, self->pci,
				       sizeof(self->pci)));
	ASSERT_EQ(0, vfpga_kp_open(self->dev, VFPGA_KP_SAMPLE_NAME,
				   &self->kp));
	self->src = malloc(XFER_MAX);
	self->dst = malloc(XFER_MAX);
	ASSERT_TRUE(self->src && self->dst);
	signal(SIGALRM, on_alarm);
}

FIXTURE_TEARDOWN(campaign)
{
	alarm(0);
	if (self->kp)
		vfpga_kp_close(self->kp);
	if (self->dev)
		vfpga_close(self->dev);
	free(self->src);
	free(self->dst);
	if (self->kmsg >= 0)
		close(self->kmsg);
}

static int user_write(struct vfpga_device *dev, unsigned int reg,
		      uint32_t val)
{
	return vfpga_reg_write32(dev, VFPGA_BAR_USER, reg, val);
}

static uint32_t user_read(struct vfpga_device *dev, unsigned int reg)
{
	uint32_t v = 0;

	return vfpga_reg_read32(dev, VFPGA_BAR_USER, reg, &v) ? 0 : v;
}

static bool board_answers(struct vfpga_device *dev)
{
	uint32_t id = 0;

	return !vfpga_reg_read32(dev, VFPGA_BAR_USER, VFPGA_USER_ID, &id) &&
	       id == VFPGA_ID_MAGIC;
}

/*
 * A channel still BUSY although no transfer runs (every transfer clears
 * RUN when it ends) has a stuck engine: only a reset frees it.
 */
static bool engine_stuck(struct vfpga_device *dev)
{
	uint32_t status;
	unsigned int i;

	for (i = 0; i < 2 * XDMA_MAX_CHANNELS; i++) {
		uint32_t base = (i & 1 ? XDMA_C2H_BASE : XDMA_H2C_BASE) +
				(i / 2) * XDMA_CHAN_STRIDE;

		if (!vfpga_reg_read32(dev, VFPGA_BAR_DMA,
				      base + XDMA_CHAN_STATUS, &status) &&
		    (status & XDMA_STAT_BUSY))
			return true;
	}
	return false;
}

/*
 * What the driver documents for a board that stopped answering (link
 * down, or a reset it did not ask for) or a stuck engine: reset, unbind,
 * rebind.  The board goes through a bus reset too (its config space may
 * be gone), then remove and rescan enumerate it afresh and the driver
 * probes it.
 */
static int board_recover(struct _test_data_campaign *self)
{
	bool answers = self->dev && board_answers(self->dev);
	char path[128];
	double t0;

	self->recoveries++;
	self->all_recoveries++;
	/*
	 * A board that answers has a stuck engine: reset it while the driver
	 * is bound, so that the channel has stopped by the unbind, remove()
	 * frees what the dead channel kept, and the buffers it used are
	 * freed when closed after that (the driver keeps for good what an
	 * engine that may still run could touch).
	 */
	if (answers) {
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/reset",
			 self->pci);
		sysfs_write(path, "1");
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind",
		 self->pci);
	sysfs_write(path, self->pci);
	if (self->kp)
		vfpga_kp_close(self->kp);
	self->kp = NULL;
	if (self->dev)
		vfpga_close(self->dev);
	self->dev = NULL;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/reset_method",
		 self->pci);
	sysfs_write(path, "bus");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/reset",
		 self->pci);
	sysfs_write(path, "1");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/remove",
		 self->pci);
	if (sysfs_write(path, "1"))
		return -EIO;
	if (sysfs_write("/sys/bus/pci/rescan", "1"))
		return -EIO;
	for (t0 = now_s(); now_s() - t0 < 10; usleep(20000)) {
		if (!vfpga_open_pci(self->pci, &self->dev))
			break;
	}
	if (!self->dev)
		return -ENODEV;
	return vfpga_kp_open(self->dev, VFPGA_KP_SAMPLE_NAME, &self->kp);
}

/*
 * Remove and rescan put a board last in the PCI core's list of devices,
 * so the next load of the driver would probe it after the others and
 * /dev/vfpga0 would be another board.  Removing every board and
 * rescanning enumerates them in bus order again: each comes back under
 * the name it had when the test started.
 */
static int boards_reenumerate(struct _test_data_campaign *self)
{
	char path[128], now[MAX_BOARDS][32];
	double t0;
	int i;

	if (self->kp)
		vfpga_kp_close(self->kp);
	self->kp = NULL;
	if (self->dev)
		vfpga_close(self->dev);
	self->dev = NULL;

	for (i = 0; i < MAX_BOARDS; i++) {
		if (!self->boards[i][0])
			continue;
		snprintf(path, sizeof(path),
			 "/sys/bus/pci/devices/%s/driver/unbind",
			 self->boards[i]);
		sysfs_write(path, self->boards[i]);
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/remove",
			 self->boards[i]);
		if (sysfs_write(path, "1"))
			return -EIO;
	}
	if (sysfs_write("/sys/bus/pci/rescan", "1"))
		return -EIO;
	for (t0 = now_s(); now_s() - t0 < 10; usleep(20000)) {
		boards_list(now);
		if (!memcmp(now, self->boards, sizeof(now)))
			break;
	}
	for (i = 0; i < MAX_BOARDS; i++) {
		if (strcmp(now[i], self->boards[i])) {
			printf("# vfpga%d is at '%s' after the rescan, was at "
			       "'%s'\n", i, now[i], self->boards[i]);
			return -EIO;
		}
	}
	return vfpga_open(0, &self->dev);
}

/* Is @ret one that the operation documents? Count it. */
static bool allowed(struct _test_data_campaign *self, int ret, bool busy_ok)
{
	switch (ret) {
	case 0:
		self->ok++;
		return true;
	case -EIO:
		self->eio++;
		return true;
	case -ETIMEDOUT:
		self->etimedout++;
		return true;
	case -ENODEV:
		self->enodev++;
		return true;
	case -EBUSY:
		self->ebusy++;
		return busy_ok;
	}
	return false;
}

/* DMA out and back on @chan; the data must match when both succeeded. */
static int op_dma(struct _test_data_campaign *self, uint32_t *x, int channel,
		  bool *bad_data)
{
	unsigned int chan = channel < 0 ? next_rand(x) % 4 : channel;
	uint64_t len = 1 + next_rand(x) % XFER_MAX;
	uint64_t card = (next_rand(x) % 64) * XFER_MAX;
	unsigned int flags = next_rand(x) & 1 ? VFPGA_DMA_POLL : 0;
	uint64_t i;
	int ret;

	for (i = 0; i < len; i++)
		self->src[i] = next_rand(x);
	memset(self->dst, 0, len);
	ret = vfpga_dma_write(self->dev, chan, card, self->src, len, flags,
			      NULL);
	if (ret)
		return ret;
	ret = vfpga_dma_read(self->dev, chan, card, self->dst, len, flags,
			     NULL);
	if (!ret && memcmp(self->src, self->dst, len))
		*bad_data = true;
	return ret;
}

/* A burst from the generator, handled by the driver; bounded wait. */
static int op_irq(struct _test_data_campaign *self, uint32_t *x)
{
	uint32_t raised = 0, acked = 0;
	int ret = vfpga_irqgen_start(self->dev, next_rand(x) % 16, IRQ_COUNT,
				     NULL);

	if (ret)
		return ret;
	ret = vfpga_irqgen_wait(self->dev, 2000, &raised, &acked);
	if (ret == -ETIMEDOUT)
		/* A lost interrupt is never acknowledged: stop the run. */
		user_write(self->dev, VFPGA_IRQGEN_CTRL,
			   VFPGA_IRQGEN_CTRL_STOP);
	if (ret || (raised == IRQ_COUNT && acked == IRQ_COUNT))
		return ret;
	/* A board reset under the run (FLR) forgets it: not a success. */
	if (!board_answers(self->dev))
		return -ENODEV;
	printf("# campaign seed 0x%08x: burst ended with raised %u acked %u "
	       "of %u on a board that answers\n", current_seed, raised, acked,
	       IRQ_COUNT);
	return -EPROTO;
}

/* The plugin sends a pattern to the card and checksums it back. */
static int op_kp_dma(struct _test_data_campaign *self, uint32_t *x,
		     bool *bad_data)
{
	struct vfpga_kp_sample_dma d = {
		.channel = next_rand(x) % 4,
		.card_offset = (next_rand(x) % 64) * XFER_MAX,
		.length = 1 + next_rand(x) % XFER_MAX,
		.iterations = 1,
		.seed = next_rand(x),
	};
	struct vfpga_kp_sample_dma_result r;
	size_t rlen = sizeof(r);
	uint8_t *p;
	int ret;

	d.dir = VFPGA_KP_SAMPLE_DMA_H2C;
	ret = vfpga_kp_call(self->kp, VFPGA_KP_SAMPLE_MSG_DMA, &d, sizeof(d),
			    &r, &rlen);
	if (ret)
		return ret;
	d.dir = VFPGA_KP_SAMPLE_DMA_C2H;
	rlen = sizeof(r);
	ret = vfpga_kp_call(self->kp, VFPGA_KP_SAMPLE_MSG_DMA, &d, sizeof(d),
			    &r, &rlen);
	if (ret)
		return ret;
	p = malloc(d.length);
	if (!p)
		return -ENOMEM;
	vfpga_kp_sample_pattern(d.seed, p, d.length);
	if (vfpga_kp_sample_checksum(p, d.length) != r.checksum)
		*bad_data = true;
	free(p);
	return 0;
}

/*
 * The board is as the campaign found it and works: no fault armed, no
 * engine BUSY, DMA both ways in both completions on every channel, a
 * full burst, plugin DMA.
 */
static bool board_works(struct _test_data_campaign *self, uint32_t seed)
{
	uint32_t x = seed | 1, raised = 0, acked = 0, faults;
	bool bad = false;
	int i, ret;

	faults = user_read(self->dev, VFPGA_USER_FAULT);
	if (faults || engine_stuck(self->dev)) {
		printf("# campaign seed 0x%08x: after the campaign FAULT is "
		       "0x%x%s\n", seed, faults,
		       engine_stuck(self->dev) ? ", a channel is BUSY" : "");
		return false;
	}
	for (i = 0; i < 2 * XDMA_MAX_CHANNELS; i++) {
		ret = op_dma(self, &x, i % XDMA_MAX_CHANNELS, &bad);
		if (ret || bad) {
			printf("# campaign seed 0x%08x: after the campaign DMA "
			       "%d returned %d%s\n", seed, i, ret,
			       bad ? ", data differ" : "");
			return false;
		}
	}
	ret = vfpga_irqgen_start(self->dev, 3, 100, NULL);
	if (!ret)
		ret = vfpga_irqgen_wait(self->dev, 5000, &raised, &acked);
	if (ret || raised != 100 || acked != 100) {
		printf("# campaign seed 0x%08x: after the campaign the burst "
		       "returned %d, raised %u acked %u\n", seed, ret, raised,
		       acked);
		return false;
	}
	ret = op_kp_dma(self, &x, &bad);
	if (ret || bad) {
		printf("# campaign seed 0x%08x: after the campaign plugin DMA "
		       "returned %d%s\n", seed, ret, bad ? ", data differ" : "");
		return false;
	}
	return true;
}

/* Stop the campaign, recovering the board first if it must. */
static int campaign_stop(struct _test_data_campaign *self, uint32_t *events,
			 uint32_t *injected)
{
	int tries;

	for (tries = 0; tries < 3; tries++) {
		if (!self->dev || !board_answers(self->dev)) {
			if (board_recover(self))
				continue;
		}
		*events = user_read(self->dev, VFPGA_CAMPAIGN_EVENTS);
		*injected = user_read(self->dev, VFPGA_CAMPAIGN_INJECTED);
		if (!user_write(self->dev, VFPGA_CAMPAIGN_RATE, 0) &&
		    board_answers(self->dev) &&
		    user_read(self->dev, VFPGA_CAMPAIGN_RATE) == 0)
			return 0;
	}
	return -EIO;
}

static bool run_seed(struct _test_data_campaign *self, uint32_t seed)
{
	uint32_t x = seed ? seed : 1, events = 0, injected = 0;
	unsigned int start_ok = self->ok;
	double t0 = now_s();
	bool bad_data = false, works;
	int op, ret, kind;

	current_seed = seed;
	self->ops = self->eio = self->etimedout = self->enodev = 0;
	self->ebusy = self->recoveries = 0;
	if (user_write(self->dev, VFPGA_CAMPAIGN_MASK, VFPGA_CAMPAIGN_FAULTS) ||
	    user_write(self->dev, VFPGA_CAMPAIGN_SEED, seed) ||
	    user_write(self->dev, VFPGA_CAMPAIGN_RATE, RATE)) {
		printf("# campaign seed 0x%08x: cannot start it\n", seed);
		return false;
	}
	for (op = 0; op < OPS_PER_SEED; op++) {
		current_op = op;
		kind = next_rand(&x) % 3;
		alarm(OP_BOUND_S);
		if (!self->dev)
			ret = -ENODEV;
		else if (kind == 0)
			ret = op_dma(self, &x, -1, &bad_data);
		else if (kind == 1)
			ret = op_irq(self, &x);
		else
			ret = op_kp_dma(self, &x, &bad_data);
		self->ops++;
		if (!allowed(self, ret, kind == 1)) {
			printf("# campaign seed 0x%08x: operation %d (kind %d) "
			       "returned %d (%s)\n", seed, op, kind, ret,
			       strerror(-ret));
			return false;
		}
		if (bad_data) {
			printf("# campaign seed 0x%08x: operation %d (kind %d) "
			       "succeeded with wrong data\n", seed, op, kind);
			return false;
		}
		if (ret && (!self->dev || !board_answers(self->dev) ||
			    engine_stuck(self->dev)))
			board_recover(self);
		alarm(0);
	}
	alarm(OP_BOUND_S);
	ret = campaign_stop(self, &events, &injected);
	alarm(0);
	if (ret) {
		printf("# campaign seed 0x%08x: cannot stop it\n", seed);
		return false;
	}
	alarm(OP_BOUND_S);
	works = board_works(self, seed);
	if (!works) {
		/*
		 * A stuck engine or a reset the driver did not ask for is
		 * recovered as the driver documents: reset, unbind, rebind.
		 */
		printf("# campaign seed 0x%08x: the board needs a reset after "
		       "the campaign\n", seed);
		works = !board_recover(self) && board_works(self, seed);
	}
	alarm(0);
	printf("# campaign seed 0x%08x irq_mode=%s: %u ops: %u ok, %u EIO, "
	       "%u ETIMEDOUT, %u ENODEV, %u EBUSY; %u faults in %u device "
	       "events; %u recoveries; %.1f s\n", seed,
	       getenv("VFPGA_IRQ_MODE") ?: "?", self->ops,
	       self->ok - start_ok, self->eio, self->etimedout, self->enodev,
	       self->ebusy, injected, events, self->recoveries, now_s() - t0);
	return works;
}

/* Seeds: VFPGA_CAMPAIGN_SEEDS, else three fixed per interrupt mode. */
TEST_F_TIMEOUT(campaign, driver_and_plugin_survive, 600)
{
	const char *mode = getenv("VFPGA_IRQ_MODE") ?: "msix";
	const char *list = getenv("VFPGA_CAMPAIGN_SEEDS");
	uint32_t base = mode[0] == 'i' ? 0x300 : !strcmp(mode, "msi") ?
			0x200 : 0x100;
	char *copy, *tok, *save, now[MAX_BOARDS][32];
	bool pass = true;
	int i;

	if (list && *list) {
		copy = strdup(list);
		for (tok = strtok_r(copy, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save))
			pass &= run_seed(self, strtoul(tok, NULL, 0));
		free(copy);
	} else {
		for (i = 1; i <= 3; i++)
			pass &= run_seed(self, base + i);
	}
	ASSERT_TRUE(pass);
	/* The suites after this one find the boards as it found them. */
	if (self->all_recoveries)
		ASSERT_EQ(0, boards_reenumerate(self));
	boards_list(now);
	for (i = 0; i < MAX_BOARDS; i++)
		EXPECT_STREQ(self->boards[i], now[i])
			TH_LOG("vfpga%d moved", i);
	/* Every stuck engine was reset before its unbind: nothing leaked. */
	EXPECT_EQ(0, kmsg_leaks(self->kmsg));
}

TEST_HARNESS_MAIN
