// SPDX-License-Identifier: MIT
/*
 * Every allocation on the driver's paths may fail, and each failure must
 * come back as -ENOMEM with nothing leaked, nothing half-done and the
 * board working afterwards.  The debug lane's kernel has fault injection
 * (FAILSLAB, FAIL_PAGE_ALLOC); /proc/thread-self/fail-nth makes the Nth
 * allocation (any fault-injection point) of this thread fail.  Each
 * operation below is run with N = 1, 2, 3, ... until it gets through
 * without reaching the Nth point: a systematic sweep of its allocation
 * failures, as syzkaller does.  KASAN, kmemleak (its scan at the end of
 * the suite) and lockdep then see the error paths.  Elsewhere, without
 * fail-nth, the tests skip.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "libvfpga.h"
#include "vfpga_kp_sample.h"
#include "vfpga_test_util.h"

#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define MAX_NTH		4000	/* an operation with more points is a bug */
#define XFER		(256 * 1024)
#define TIMEOUT_MS	60000

/* Knob, value: GFP_KERNEL allocations (the driver's) are ignored by
 * default, and every injected failure would dump a stack trace. */
static const char *const fault_knobs[][2] = {
	{ "/sys/kernel/debug/failslab/ignore-gfp-wait", "N" },
	{ "/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N" },
	{ "/sys/kernel/debug/failslab/verbose", "0" },
	{ "/sys/kernel/debug/fail_page_alloc/verbose", "0" },
};

/*
 * dma-debug's own bookkeeping allocates atomically inside dma_map_*() and
 * turns the whole checker off the first time that fails ("cacheline
 * tracking ENOMEM, dma-debug disabled").  A sweep reaching that point would
 * blind the debug lane for the rest of the boot and test nothing of the
 * driver, so the stack-trace filter rejects every allocation made from
 * dma-debug's code: kernel/dma/debug.c is one contiguous text block, which
 * these of its functions bound (add_dma_entry and dma_entry_alloc are the
 * two that allocate).
 */
static const char *const dma_debug_funcs[] = {
	"add_dma_entry", "dma_entry_alloc", "debug_dma_map_page",
	"debug_dma_map_sg", "debug_dma_alloc_coherent",
	"debug_dma_map_resource", "debug_dma_alloc_pages",
};

static const char *const fault_attrs[] = {
	"/sys/kernel/debug/failslab", "/sys/kernel/debug/fail_page_alloc",
};

/*
 * Find [@start, @end) of dma-debug's text in /proc/kallsyms: from the
 * lowest of dma_debug_funcs to the symbol after the highest.  Returns 0,
 * -ENOENT on a kernel without DMA_API_DEBUG, or another -errno.
 */
static int dma_debug_text(unsigned long long *start, unsigned long long *end)
{
	unsigned long long lo = ~0ULL, hi = 0, next = ~0ULL, addr;
	char line[512], name[256], type;
	unsigned int i, found = 0;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3)
			continue;
		for (i = 0; i < sizeof(dma_debug_funcs) / sizeof(*dma_debug_funcs); i++) {
			if (strcmp(name, dma_debug_funcs[i]))
				continue;
			found++;
			lo = addr < lo ? addr : lo;
			hi = addr > hi ? addr : hi;
		}
	}
	if (found && !lo) {
		fclose(f);
		return -EPERM;	/* kptr_restrict hides the addresses */
	}
	rewind(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) == 3 &&
		    addr > hi && addr < next)
			next = addr;
	fclose(f);
	if (!found)
		return -ENOENT;
	*start = lo;
	*end = next;
	return 0;
}

/* Keep fault injection out of dma-debug (see dma_debug_funcs). */
static int spare_dma_debug(void)
{
	unsigned long long start = 0, end = 0;
	char path[128], val[32];
	unsigned int i;
	int ret = dma_debug_text(&start, &end);

	if (ret == -ENOENT)
		return 0;
	if (ret)
		return ret;
	for (i = 0; i < sizeof(fault_attrs) / sizeof(*fault_attrs); i++) {
		snprintf(path, sizeof(path), "%s/reject-start", fault_attrs[i]);
		if (access(path, W_OK))
			return -ENOTSUP;	/* no STACKTRACE_FILTER */
		snprintf(val, sizeof(val), "%#llx", start);
		ret = sysfs_write(path, val);
		snprintf(path, sizeof(path), "%s/reject-end", fault_attrs[i]);
		snprintf(val, sizeof(val), "%#llx", end);
		if (!ret)
			ret = sysfs_write(path, val);
		snprintf(path, sizeof(path), "%s/stacktrace-depth", fault_attrs[i]);
		if (!ret)
			ret = sysfs_write(path, "32");
		if (ret)
			return ret;
	}
	return 0;
}

/* Is dma-debug still checking?  1 yes, 0 it turned itself off, -errno. */
static int dma_debug_on(void)
{
	char s[8] = "";
	int fd = open("/sys/kernel/debug/dma-api/disabled", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return errno == ENOENT ? 1 : -errno;
	n = read(fd, s, sizeof(s) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	return s[0] == 'N';
}

/*
 * Arm the @nth fault-injection point of this thread (0 disarms), through
 * @fd, opened beforehand: an open() once armed would itself allocate.
 */
static int fail_nth_arm(int fd, unsigned int nth)
{
	char s[16];

	snprintf(s, sizeof(s), "%u", nth);
	return pwrite(fd, s, strlen(s), 0) < 0 ? -errno : 0;
}

/* Was the armed point reached?  fail-nth reads what is left: 0 when so. */
static int fail_nth_fired(int fd)
{
	char s[16] = "";
	ssize_t n = pread(fd, s, sizeof(s) - 1, 0);

	if (n < 0)
		return -errno;
	return atoi(s) == 0;
}

struct op_ctx {
	struct vfpga_device *dev;
	uint8_t *src, *dst;	/* XFER bytes each, prefaulted and locked */
};

typedef int (*op_fn)(struct op_ctx *c);

/* Open, query and close a second handle of the board. */
static int op_open(struct op_ctx *c)
{
	struct vfpga_device_info info;
	struct vfpga_device *d;
	int ret = vfpga_open(0, &d);

	if (ret)
		return ret;
	ret = vfpga_get_info(d, &info);
	vfpga_close(d);
	return ret;
}

/* A user-memory transfer each way: pin, map, chain, run, unmap. */
static int op_dma(struct op_ctx *c)
{
	int ret = vfpga_dma_write(c->dev, 0, 0, c->src, XFER, 0, NULL);

	return ret ? ret : vfpga_dma_read(c->dev, 0, 0, c->dst, XFER, 0, NULL);
}

/* A coherent buffer: allocate, map, move data through it, free. */
static int op_coherent(struct op_ctx *c)
{
	struct vfpga_buffer *buf;
	int ret = vfpga_buffer_alloc(c->dev, XFER, &buf);

	if (ret)
		return ret;
	memcpy(vfpga_buffer_ptr(buf), c->src, XFER);
	ret = vfpga_dma_write_buffer(buf, 0, 0, 0, XFER, 0, NULL);
	if (!ret)
		ret = vfpga_dma_read_buffer(buf, 0, 0, 0, XFER, 0, NULL);
	vfpga_buffer_free(buf);
	return ret;
}

/* A pinned scatter-gather buffer over user memory. */
static int op_sg(struct op_ctx *c)
{
	struct vfpga_buffer *buf;
	int ret = vfpga_buffer_map_user(c->dev, c->src, XFER, &buf);

	if (ret)
		return ret;
	ret = vfpga_buffer_sync(buf, VFPGA_SYNC_DEVICE);
	if (!ret)
		ret = vfpga_dma_write_buffer(buf, 0, 0, 0, XFER, 0, NULL);
	vfpga_buffer_free(buf);
	return ret;
}

/* The sample kernel plugin: open, call, take interrupts, close. */
static int op_plugin(struct op_ctx *c)
{
	struct vfpga_kp_sample_version v;
	size_t len = sizeof(v);
	uint32_t raised, acked;
	struct vfpga_kp *kp;
	int ret = vfpga_kp_open_mode(c->dev, VFPGA_KP_SAMPLE_NAME,
				     VFPGA_KP_KERNEL, &kp);

	if (ret)
		return ret;
	ret = vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_VERSION, NULL, 0, &v, &len);
	if (!ret)
		ret = vfpga_kp_int_enable(kp);
	if (!ret) {
		ret = vfpga_irqgen_start(c->dev, 0, 10, NULL);
		if (!ret)
			ret = vfpga_irqgen_wait(c->dev, TIMEOUT_MS, &raised,
						&acked);
		if (!ret && acked != 10)
			ret = -EPROTO;
	}
	vfpga_kp_close(kp);
	return ret;
}

FIXTURE(failnth) {
	struct op_ctx c;
	int nth_fd;		/* this thread's fail-nth */
};

FIXTURE_VARIANT(failnth) {
	const char *name;
	op_fn op;
};

FIXTURE_VARIANT_ADD(failnth, open) { .name = "open", .op = op_open };
FIXTURE_VARIANT_ADD(failnth, dma) { .name = "dma", .op = op_dma };
FIXTURE_VARIANT_ADD(failnth, coherent) { .name = "coherent", .op = op_coherent };
FIXTURE_VARIANT_ADD(failnth, sg) { .name = "sg", .op = op_sg };
FIXTURE_VARIANT_ADD(failnth, plugin) { .name = "plugin", .op = op_plugin };

FIXTURE_SETUP(failnth)
{
	unsigned int i;
	int ret;

	self->nth_fd = open(FAIL_NTH, O_RDWR);
	if (self->nth_fd < 0)
		SKIP(return, "no %s: a kernel without fault injection", FAIL_NTH);
	for (i = 0; i < sizeof(fault_knobs) / sizeof(fault_knobs[0]); i++)
		ASSERT_EQ(0, sysfs_write(fault_knobs[i][0], fault_knobs[i][1]))
			TH_LOG("%s", fault_knobs[i][0]);
	ret = spare_dma_debug();
	ASSERT_EQ(0, ret) TH_LOG("keeping fault injection out of dma-debug: %s%s",
				 strerror(-ret), ret == -ENOTSUP ?
				 " (the kernel lacks FAULT_INJECTION_STACKTRACE_FILTER)" : "");
	ASSERT_EQ(1, dma_debug_on()) TH_LOG("dma-debug was off before the sweep");
	ret = vfpga_open(0, &self->c.dev);
	ASSERT_EQ(0, ret) TH_LOG("/dev/vfpga0: %s", vfpga_strerror(ret));
	self->c.src = mmap(NULL, 2 * XFER, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->c.src);
	/* A page fault of ours must not be the one that fails. */
	memset(self->c.src, 0xa5, 2 * XFER);
	ASSERT_EQ(0, mlock(self->c.src, 2 * XFER));
	self->c.dst = self->c.src + XFER;
	for (i = 0; i < XFER; i++)
		self->c.src[i] = (uint8_t)(i * 13 + 1);
}

FIXTURE_TEARDOWN(failnth)
{
	if (self->nth_fd >= 0) {
		fail_nth_arm(self->nth_fd, 0);
		close(self->nth_fd);
	}
	if (self->c.dev)
		vfpga_close(self->c.dev);
}

TEST_F(failnth, every_allocation_fails_cleanly)
{
	unsigned int nth, injected = 0;
	int ret, fired;

	/* The operation must work as such first. */
	ASSERT_EQ(0, variant->op(&self->c));
	for (nth = 1; nth <= MAX_NTH; nth++) {
		ASSERT_EQ(0, fail_nth_arm(self->nth_fd, nth));
		ret = variant->op(&self->c);
		fired = fail_nth_fired(self->nth_fd);
		ASSERT_EQ(0, fail_nth_arm(self->nth_fd, 0));
		ASSERT_LE(0, fired);
		if (!fired) {
			/* Every point passed: the sweep is complete. */
			EXPECT_EQ(0, ret) TH_LOG("%s with no failure: %s",
						 variant->name,
						 vfpga_strerror(ret));
			break;
		}
		injected++;
		EXPECT_TRUE(ret == 0 || ret == -ENOMEM)
			TH_LOG("%s, allocation %u failed: %s (want -ENOMEM or success)",
			       variant->name, nth, vfpga_strerror(ret));
		/* And the board is fine straight after. */
		ret = variant->op(&self->c);
		ASSERT_EQ(0, ret) TH_LOG("%s after failing allocation %u: %s",
					 variant->name, nth,
					 vfpga_strerror(ret));
	}
	EXPECT_GT(MAX_NTH, nth) TH_LOG("%s reached %u allocation points",
				      variant->name, MAX_NTH);
	EXPECT_LT(0, injected);
	EXPECT_EQ(1, dma_debug_on())
		TH_LOG("%s: the sweep turned dma-debug off", variant->name);
	if (!memcmp(variant->name, "dma", 3))
		EXPECT_EQ(0, memcmp(self->c.src, self->c.dst, XFER));
	ksft_print_msg("%s: %u allocation failures injected, each handled\n",
		       variant->name, injected);
}

TEST_HARNESS_MAIN
