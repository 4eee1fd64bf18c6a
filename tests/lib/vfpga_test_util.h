/* SPDX-License-Identifier: MIT */
/*
 * Helpers the test programs share: time, sysfs, the kernel log, a board's
 * PCI name and an interrupt waiter thread.  Header-only (static inline),
 * because every test is one static program built from one source file;
 * a helper that a program does not use costs it nothing.
 */
#ifndef VFPGA_TEST_UTIL_H
#define VFPGA_TEST_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libvfpga.h"

/* Seconds on the monotonic clock. */
static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Write @value to the sysfs (or debugfs, procfs) file @path: 0 or -errno. */
static inline int sysfs_write(const char *path, const char *value)
{
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* Lines in the kernel log that contain @want; -1 when dmesg cannot run. */
static inline int dmesg_count(const char *want)
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

/*
 * Run the shell command "vfpga @args", its stdout and stderr into @out
 * (@len bytes, NUL-terminated); returns its exit status, or -1.
 */
static inline int vfpga_tool(const char *args, char *out, size_t len)
{
	char cmd[512];
	size_t n = 0;
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), "vfpga %s 2>&1", args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (n + 1 < len && fgets(out + n, len - n, p))
		n += strlen(out + n);
	out[n] = 0;
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The PCI address of /dev/vfpga@index, into @buf: 0 or -errno. */
static inline int board_pci_name(unsigned int index, char *buf, size_t size)
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

/*
 * A thread blocked in vfpga_irq_wait() on @vector for @timeout_ms: what
 * it returned, and how long it waited.  Start it with pthread_create(...,
 * irq_wait_thread, &waiter).
 */
struct irq_waiter {
	struct vfpga_device *dev;
	unsigned int vector;
	unsigned int timeout_ms;
	int ret;
	double secs;
};

static inline void *irq_wait_thread(void *arg)
{
	struct irq_waiter *w = arg;
	struct vfpga_irq_event ev;
	double t0 = now_s();

	w->ret = vfpga_irq_wait(w->dev, w->vector, w->timeout_ms, &ev);
	w->secs = now_s() - t0;
	return NULL;
}

#endif
