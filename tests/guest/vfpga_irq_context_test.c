// SPDX-License-Identifier: MIT
/*
 * Where the board's interrupt handlers, and so a kernel plugin's
 * int_at_irql, run: the contract in include/vfpga/vfpga_kp.h.  The core never
 * asks for a hard handler (no IRQF_NO_THREAD), so
 *  - on a standard kernel each vector's handler runs in hard-IRQ context:
 *    there is no irq/N-... thread for it;
 *  - on PREEMPT_RT (or with threadirqs) each runs in its own interrupt
 *    thread, irq/N-NAME, at SCHED_FIFO: that thread is where int_at_irql
 *    ran, so it is woken by the interrupts the plugin took.
 * Either way the plugin takes every interrupt and asks for exactly as
 * many deferred calls, which the suite's plugin tests and storms check at
 * length; this test checks the context itself.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "libvfpga.h"
#include "vfpga_kp_kptest.h"

#define MAX_IRQS	64
#define IRQS_RAISED	500
#define TIMEOUT_MS	120000

/* Interrupt threads are forced on PREEMPT_RT, and asked for by threadirqs. */
static int threaded_kernel(void)
{
	char cmdline[4096] = "";
	struct utsname u;
	FILE *f;

	if (uname(&u) == 0 && strstr(u.version, "PREEMPT_RT"))
		return 1;
	f = fopen("/proc/cmdline", "r");
	if (f) {
		if (!fgets(cmdline, sizeof(cmdline), f))
			cmdline[0] = 0;
		fclose(f);
	}
	return strstr(cmdline, "threadirqs") != NULL;
}

/* The Linux IRQ numbers of /dev/vfpga0's vectors (MSI/MSI-X or INTx). */
static int board_irqs(int *irqs)
{
	char link[256], path[512];
	DIR *d;
	struct dirent *e;
	ssize_t len;
	int n = 0;
	FILE *f;

	len = readlink("/sys/class/vfpga/vfpga0/device", link, sizeof(link) - 1);
	if (len < 0)
		return -errno;
	link[len] = 0;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/msi_irqs",
		 basename(link));
	d = opendir(path);
	if (d) {
		while ((e = readdir(d)) && n < MAX_IRQS)
			if (isdigit((unsigned char)e->d_name[0]))
				irqs[n++] = atoi(e->d_name);
		closedir(d);
	}
	if (n)
		return n;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/irq",
		 basename(link));
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (fscanf(f, "%d", &irqs[0]) != 1 || irqs[0] <= 0)
		n = -ENOENT;
	else
		n = 1;
	fclose(f);
	return n;
}

/* The interrupt thread of @irq, irq/IRQ-NAME, or 0 when it has none. */
static pid_t irq_thread(int irq)
{
	char prefix[32], path[300], comm[32];
	struct dirent *e;
	pid_t pid = 0;
	DIR *d;
	FILE *f;

	snprintf(prefix, sizeof(prefix), "irq/%d-", irq);
	d = opendir("/proc");
	if (!d)
		return 0;
	while (!pid && (e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) &&
		    !strncmp(comm, prefix, strlen(prefix)))
			pid = atoi(e->d_name);
		fclose(f);
	}
	closedir(d);
	return pid;
}

/* How often @pid went to sleep of its own accord: once per wake-up. */
static long voluntary_switches(pid_t pid)
{
	char path[64], line[128];
	long n = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "voluntary_ctxt_switches: %ld", &n) == 1)
			break;
	fclose(f);
	return n;
}

/* The sum over all CPUs of /proc/interrupts' count for @irq. */
static long long irq_count(int irq)
{
	char line[4096], *p, *end;
	long long sum = -1;
	FILE *f;

	f = fopen("/proc/interrupts", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		p = line;
		if (strtol(p, &end, 10) != irq || end == p || *end != ':')
			continue;
		sum = 0;
		for (p = end + 1;; p = end) {
			long long v = strtoll(p, &end, 10);

			if (end == p)
				break;
			sum += v;
		}
		break;
	}
	fclose(f);
	return sum;
}

FIXTURE(irq_context) {
	struct vfpga_device *dev;
	int irqs[MAX_IRQS];
	int nirqs;
};

FIXTURE_SETUP(irq_context)
{
	int ret = vfpga_open(0, &self->dev);

	ASSERT_EQ(0, ret) TH_LOG("/dev/vfpga0: %s", vfpga_strerror(ret));
	self->nirqs = board_irqs(self->irqs);
	ASSERT_LT(0, self->nirqs) TH_LOG("no IRQ found for /dev/vfpga0: %s",
					 strerror(-self->nirqs));
}

FIXTURE_TEARDOWN(irq_context)
{
	vfpga_close(self->dev);
}

/* A thread per vector on a threaded kernel, at SCHED_FIFO; none otherwise. */
TEST_F(irq_context, handler_threads_as_documented)
{
	int threaded = threaded_kernel(), i;

	for (i = 0; i < self->nirqs; i++) {
		pid_t pid = irq_thread(self->irqs[i]);
		struct sched_param sp;

		if (!threaded) {
			EXPECT_EQ(0, pid)
				TH_LOG("IRQ %d has thread %d on a kernel that runs handlers in hard-IRQ context",
				       self->irqs[i], pid);
			continue;
		}
		ASSERT_LT(0, pid) TH_LOG("IRQ %d has no interrupt thread on a threaded kernel",
					 self->irqs[i]);
		EXPECT_EQ(SCHED_FIFO, sched_getscheduler(pid));
		ASSERT_EQ(0, sched_getparam(pid, &sp));
		ksft_print_msg("IRQ %d: thread %d, SCHED_FIFO priority %d\n",
			       self->irqs[i], pid, sp.sched_priority);
	}
	ksft_print_msg("%d vectors, handlers in %s\n", self->nirqs,
		       threaded ? "interrupt threads" : "hard-IRQ context");
}

/*
 * int_at_irql runs where the handler does: on a threaded kernel the
 * board's interrupt threads wake for the plugin's interrupts; on either,
 * every interrupt is the plugin's and each asked for its deferred call.
 */
TEST_F(irq_context, plugin_runs_in_handler_context)
{
	int threaded = threaded_kernel(), i;
	long long before = 0, after = 0;
	long sw_before = 0, sw_after = 0;
	struct vfpga_kp_kptest_counters c;
	pid_t pids[MAX_IRQS] = { 0 };
	uint32_t raised, acked;
	struct vfpga_kp *kp;
	size_t len;

	for (i = 0; i < self->nirqs; i++) {
		before += irq_count(self->irqs[i]);
		if (threaded) {
			pids[i] = irq_thread(self->irqs[i]);
			ASSERT_LT(0, pids[i]);
			sw_before += voluntary_switches(pids[i]);
		}
	}
	ASSERT_EQ(0, vfpga_kp_open_mode(self->dev, VFPGA_KP_KPTEST_NAME,
					VFPGA_KP_KERNEL, &kp));
	ASSERT_EQ(0, vfpga_kp_int_enable(kp));
	ASSERT_EQ(0, vfpga_irqgen_start(self->dev, 0, IRQS_RAISED, NULL));
	ASSERT_EQ(0, vfpga_irqgen_wait(self->dev, TIMEOUT_MS, &raised, &acked));
	EXPECT_EQ(IRQS_RAISED, raised);
	EXPECT_EQ(IRQS_RAISED, acked);

	/* The deferred calls may trail the last acknowledge. */
	for (i = 0; i < 30000; i++) {
		len = sizeof(c);
		ASSERT_EQ(0, vfpga_kp_call(kp, VFPGA_KP_KPTEST_MSG_COUNTERS,
					   NULL, 0, &c, &len));
		if (c.irqs >= IRQS_RAISED && c.dpc_requests == c.irqs)
			break;
		usleep(1000);
	}
	EXPECT_EQ(IRQS_RAISED, c.irqs);
	EXPECT_EQ(c.irqs, c.dpc_requests);
	EXPECT_EQ(0, vfpga_kp_close(kp));

	for (i = 0; i < self->nirqs; i++) {
		after += irq_count(self->irqs[i]);
		if (threaded)
			sw_after += voluntary_switches(pids[i]);
	}
	/* One message or INTx assertion per interrupt raised, at least. */
	EXPECT_LE(before + IRQS_RAISED, after);
	if (threaded)
		EXPECT_LT(sw_before, sw_after)
			TH_LOG("the interrupt threads never woke for %d interrupts",
			       IRQS_RAISED);
	ksft_print_msg("%lld interrupts counted, interrupt threads woke %ld times\n",
		       after - before, sw_after - sw_before);
}

TEST_HARNESS_MAIN
