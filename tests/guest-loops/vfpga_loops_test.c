// SPDX-License-Identifier: MIT
/*
 * Lifecycle loops, run by the guest's /init in a phase of their own with
 * the driver unloaded (guest-image/init, run_loops):
 *  - load_unload: the driver and both kernel plugins loaded and unloaded,
 *    the interrupt mode changing from cycle to cycle;
 *  - unbind_rebind: board 0 unbound from the driver and bound again
 *    through sysfs while transfers, interrupt storms and a plugin's storm
 *    run on it;
 *  - hotplug: board 1 removed and added again through QEMU's own monitor
 *    (QMP device_del and device_add, sent on /dev/ttyS2, see
 *    scripts/boot-guest.sh) while transfers and interrupt and plugin
 *    waiters are active on it.
 * After every cycle the board must work: a register round trip and a
 * small DMA verify (and, after a load, a call into each plugin).  Workers
 * may see a call fail only with -ENODEV (the board went) or, opening, with
 * -ENOENT (not back yet); the kernel log check after the suite catches
 * oopses, and in the debug lane kmemleak catches leaks.
 *
 * Counts: vfpga_loops=LOAD,UNBIND,HOTPLUG on the kernel command line
 * (the debug lane asks for 1000,100,100); the default is small.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "libvfpga.h"
#include "vfpga_kp_kptest.h"
#include "vfpga_kp_sample.h"
#include "vfpga_regs.h"
#include "vfpga_test_util.h"

#define MODDIR		"/lib/modules"
#define QMP_TTY		"/dev/ttyS2"
#define HOTPLUG_ID	"board1"	/* scripts/boot-guest.sh */
#define CHECK_LEN	(16 << 10)

static unsigned int count_load = 20, count_unbind = 5, count_hotplug = 5;

static void read_counts(void)
{
	const char *v = getenv("vfpga_loops");

	if (v && *v)
		sscanf(v, "%u,%u,%u", &count_load, &count_unbind,
		       &count_hotplug);
}

static void msleep(unsigned int ms)
{
	usleep(ms * 1000);
}

/* Modules: finit_module and delete_module, as insmod and rmmod do. */
static int mod_load(const char *file, const char *params)
{
	char path[128];
	int fd, ret;

	snprintf(path, sizeof(path), MODDIR "/%s", file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = (int)syscall(SYS_finit_module, fd, params, 0);
	ret = ret ? -errno : 0;
	close(fd);
	return ret;
}

static int mod_unload(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

static int exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/* Wait up to @ms for @path to appear (@want 1) or go (@want 0). */
static int wait_path(const char *path, int want, unsigned int ms)
{
	double end = now_s() + ms / 1000.0;

	while (exists(path) != want) {
		if (now_s() > end)
			return -ETIMEDOUT;
		msleep(2);
	}
	return 0;
}

static int load_all(const char *mode)
{
	char params[32];
	int ret;

	snprintf(params, sizeof(params), "irq_mode=%s", mode);
	ret = mod_load("vfpga.ko", params);
	if (!ret)
		ret = wait_path("/dev/vfpga0", 1, 5000);
	if (!ret)
		ret = mod_load("vfpga_kp_sample.ko", "");
	if (!ret)
		ret = mod_load("vfpga_kp_kptest.ko", "");
	return ret;
}

static int unload_all(void)
{
	int a = mod_unload("vfpga_kp_kptest");
	int b = mod_unload("vfpga_kp_sample");
	int c = mod_unload("vfpga");

	return a ? a : b ? b : c;
}

/* The PCI address of /dev/vfpga@index. */
static int board_addr(unsigned int index, char *buf, size_t len)
{
	char link[64], target[PATH_MAX];
	ssize_t n;
	char *p;

	snprintf(link, sizeof(link), "/sys/class/vfpga/vfpga%u/device", index);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = 0;
	p = strrchr(target, '/');
	p = p ? p + 1 : target;
	if (strlen(p) >= len)
		return -ERANGE;
	memcpy(buf, p, strlen(p) + 1);
	return 0;
}

/* The board at @addr has a vfpga device, and its node, again. */
static int wait_bound(const char *addr, unsigned int ms)
{
	double end = now_s() + ms / 1000.0;
	char path[128], node[300];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vfpga", addr);
	for (;;) {
		d = opendir(path);
		if (d) {
			while ((de = readdir(d)))
				if (!strncmp(de->d_name, "vfpga", 5))
					break;
			if (de) {
				snprintf(node, sizeof(node), "/dev/%s",
					 de->d_name);
				closedir(d);
				return wait_path(node, 1, 5000);
			}
			closedir(d);
		}
		if (now_s() > end)
			return -ETIMEDOUT;
		msleep(2);
	}
}

/*
 * The board at @addr works: the scratch register keeps what is written,
 * and CHECK_LEN bytes written to card memory read back the same.
 */
static int board_check(const char *addr, uint32_t salt)
{
	static uint8_t a[CHECK_LEN], b[CHECK_LEN];
	struct vfpga_device *dev;
	uint32_t v = 0, want = 0x5eed0000u ^ salt * 2654435761u;
	int ret, i;

	ret = vfpga_open_pci(addr, &dev);
	if (ret)
		return ret;
	ret = vfpga_reg_write32(dev, 0, VFPGA_USER_SCRATCH, want);
	if (!ret)
		ret = vfpga_reg_read32(dev, 0, VFPGA_USER_SCRATCH, &v);
	if (!ret && v != want)
		ret = -EIO;
	for (i = 0; i < CHECK_LEN; i++)
		a[i] = (uint8_t)(i ^ salt ^ i >> 8);
	memset(b, 0, sizeof(b));
	if (!ret)
		ret = vfpga_dma_write(dev, salt % 4, 8 << 20, a, CHECK_LEN, 0,
				      NULL);
	if (!ret)
		ret = vfpga_dma_read(dev, salt % 4, 8 << 20, b, CHECK_LEN, 0,
				     NULL);
	if (!ret && memcmp(a, b, CHECK_LEN))
		ret = -EIO;
	vfpga_close(dev);
	return ret;
}

/* Both plugins answer on board 0. */
static int plugins_check(void)
{
	struct vfpga_kp_sample_version sv;
	struct vfpga_kp_kptest_info ki;
	struct vfpga_device *dev;
	struct vfpga_kp *kp;
	size_t len;
	int ret;

	ret = vfpga_open(0, &dev);
	if (ret)
		return ret;
	ret = vfpga_kp_open(dev, VFPGA_KP_SAMPLE_NAME, &kp);
	if (!ret) {
		len = sizeof(sv);
		ret = vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_VERSION, NULL, 0,
				    &sv, &len);
		if (ret >= 0 && sv.version != VFPGA_KP_SAMPLE_VERSION)
			ret = -EPROTO;
		vfpga_kp_close(kp);
	}
	if (ret >= 0)
		ret = vfpga_kp_open(dev, VFPGA_KP_KPTEST_NAME, &kp);
	if (ret >= 0) {
		len = sizeof(ki);
		ret = vfpga_kp_call(kp, VFPGA_KP_KPTEST_MSG_INFO, NULL, 0, &ki,
				    &len);
		if (ret >= 0 && ki.version != VFPGA_KP_KPTEST_VERSION)
			ret = -EPROTO;
		vfpga_kp_close(kp);
	}
	vfpga_close(dev);
	return ret < 0 ? ret : 0;
}

/*
 * Workers: each opens the board at addr, works until the board goes,
 * and opens it again once it is back, until told to stop.  Every result
 * but 0, -ENODEV (gone), -ENOENT (not back yet), and what a kind's own
 * contract allows (below) counts as a failure.
 */
enum work { W_DMA, W_STORM, W_IRQ_WAIT, W_KP_WAIT };

struct worker {
	pthread_t t;
	enum work kind;
	const char *addr;
	unsigned int id;
	_Atomic uint64_t ops;		/* calls that succeeded */
	_Atomic uint64_t gone;		/* calls that saw the board go */
	_Atomic int bad;		/* the first unexpected result */
	char what[96];
};

static _Atomic int workers_stop;

static void worker_fail(struct worker *w, const char *what, int ret)
{
	int zero = 0;

	if (atomic_compare_exchange_strong(&w->bad, &zero, ret ? ret : -1))
		snprintf(w->what, sizeof(w->what), "%s: %d (%s)", what, ret,
			 strerror(ret < 0 ? -ret : EIO));
}

/* 0: go on; 1: the board went (-ENODEV); -1: the worker failed. */
static int judge(struct worker *w, const char *what, int ret, int allowed)
{
	if (ret >= 0 || ret == allowed || ret == -ETIMEDOUT)
		return 0;
	if (ret == -ENODEV) {
		atomic_fetch_add(&w->gone, 1);
		return 1;
	}
	worker_fail(w, what, ret);
	return -1;
}

static int work_dma(struct worker *w, struct vfpga_device *dev, uint8_t *a,
		    uint8_t *b, unsigned int round)
{
	unsigned int ch = w->id % 4, len = 64 << 10;
	uint64_t off = (uint64_t)(w->id % 4) << 20;
	int ret, i;

	for (i = 0; i < (int)len; i++)
		a[i] = (uint8_t)(i * 13 + round + w->id);
	ret = vfpga_dma_write(dev, ch, off, a, len, round & 1 ? VFPGA_DMA_POLL
							     : 0, NULL);
	if (judge(w, "dma write", ret, 0))
		return -1;
	ret = vfpga_dma_read(dev, ch, off, b, len, 0, NULL);
	if (judge(w, "dma read", ret, 0))
		return -1;
	/* Only a transfer pair that both succeeded says anything. */
	if (memcmp(a, b, len)) {
		worker_fail(w, "dma data mismatch", -EIO);
		return -1;
	}
	atomic_fetch_add(&w->ops, 1);
	return 0;
}

/* A storm from the driver, then one taken by the sample plugin. */
static int work_storm(struct worker *w, struct vfpga_device *dev,
		      unsigned int round)
{
	struct vfpga_irq_event ev;
	unsigned int vector;
	int ret;

	if (round & 1) {
		struct vfpga_kp_sample_storm st = { .line = 2, .count = 2000 };
		struct vfpga_kp *kp;

		ret = vfpga_kp_open(dev, VFPGA_KP_SAMPLE_NAME, &kp);
		if (judge(w, "kp open", ret, 0))
			return -1;
		ret = vfpga_kp_int_enable(kp);
		if (!judge(w, "kp int enable", ret, -EBUSY) && !ret) {
			ret = vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_STORM, &st,
					    sizeof(st), NULL, NULL);
			if (!judge(w, "kp storm", ret, -EBUSY) && !ret) {
				atomic_fetch_add(&w->ops, 1);
				ret = vfpga_kp_wait(kp, 200, &ev);
				judge(w, "kp wait", ret, 0);
			}
		}
		vfpga_kp_close(kp);
		return ret == -ENODEV ? -1 : 0;
	}
	ret = vfpga_irqgen_start(dev, 1, 5000, &vector);
	if (judge(w, "irqgen start", ret, -EBUSY))
		return -1;
	if (ret)
		return 0;
	atomic_fetch_add(&w->ops, 1);
	ret = vfpga_irq_wait(dev, vector, 200, &ev);
	return judge(w, "irq wait", ret, 0) ? -1 : 0;
}

/* A waiter blocked for seconds: the removal must wake it. */
static int work_irq_wait(struct worker *w, struct vfpga_device *dev)
{
	struct vfpga_irq_event ev;
	int ret = vfpga_irq_wait(dev, 0, 2000, &ev);

	if (judge(w, "irq wait", ret, 0))
		return -1;
	atomic_fetch_add(&w->ops, 1);
	return 0;
}

static int work_kp_wait(struct worker *w, struct vfpga_device *dev)
{
	struct vfpga_irq_event ev;
	struct vfpga_kp *kp;
	int ret;

	ret = vfpga_kp_open(dev, VFPGA_KP_KPTEST_NAME, &kp);
	if (judge(w, "kp open", ret, 0))
		return -1;
	atomic_fetch_add(&w->ops, 1);
	ret = vfpga_kp_wait(kp, 2000, &ev);
	vfpga_kp_close(kp);
	return judge(w, "kp wait", ret, 0) ? -1 : 0;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	uint8_t *a = malloc(64 << 10), *b = malloc(64 << 10);
	unsigned int round = 0;

	while (!atomic_load(&w->bad) && !atomic_load(&workers_stop)) {
		struct vfpga_device *dev;
		int ret = vfpga_open_pci(w->addr, &dev);

		if (ret == -ENOENT || ret == -ENODEV) {
			msleep(1);
			continue;
		}
		if (ret) {
			worker_fail(w, "open", ret);
			break;
		}
		while (!atomic_load(&workers_stop)) {
			switch (w->kind) {
			case W_DMA:
				ret = work_dma(w, dev, a, b, round);
				break;
			case W_STORM:
				ret = work_storm(w, dev, round);
				break;
			case W_IRQ_WAIT:
				ret = work_irq_wait(w, dev);
				break;
			case W_KP_WAIT:
				ret = work_kp_wait(w, dev);
				break;
			}
			round++;
			if (ret)
				break;
		}
		vfpga_close(dev);
	}
	free(a);
	free(b);
	return NULL;
}

static int workers_start(struct worker *w, unsigned int n, const char *addr)
{
	unsigned int i;

	atomic_store(&workers_stop, 0);
	for (i = 0; i < n; i++) {
		w[i].addr = addr;
		w[i].id = i;
		if (pthread_create(&w[i].t, NULL, worker_main, &w[i]))
			return -1;
	}
	return 0;
}

static uint64_t workers_ops(struct worker *w, unsigned int n)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		sum += atomic_load(&w[i].ops);
	return sum;
}

/* Wait (at most @ms) until the workers have done something more. */
static void workers_busy(struct worker *w, unsigned int n, unsigned int ms)
{
	uint64_t start = workers_ops(w, n);
	double end = now_s() + ms / 1000.0;

	while (workers_ops(w, n) < start + n && now_s() < end)
		msleep(1);
}

/* The board is gone too for workers blocked on it: stop them all. */
static void workers_stop_all(struct worker *w, unsigned int n)
{
	unsigned int i;

	atomic_store(&workers_stop, 1);
	for (i = 0; i < n; i++)
		pthread_join(w[i].t, NULL);
}

static void loop_report(const char *name, unsigned int done, unsigned int n,
			double secs)
{
	printf("# loop %s: %u of %u cycles in %.1f s, %.0f ms a cycle\n", name,
	       done, n, secs, done ? 1000.0 * secs / done : 0.0);
	fflush(stdout);
}

/* Each test loads the driver itself and leaves it unloaded. */
FIXTURE(loops) {
	int unused;
};

FIXTURE_SETUP(loops)
{
	read_counts();
}

/*
 * A test stopped by a failed assertion may leave the driver loaded; the
 * next one starts from nothing all the same, so one failure is reported
 * once rather than as every later test's -EEXIST.
 */
FIXTURE_TEARDOWN(loops)
{
	if (!access("/sys/module/vfpga", F_OK))
		unload_all();
}

TEST_F_TIMEOUT(loops, load_unload, 7200)
{
	static const char *const modes[] = { "msix", "msi", "intx" };
	double t0 = now_s();
	unsigned int i;
	char addr[2][32];
	int ret = 0;

	for (i = 0; i < count_load; i++) {
		ret = load_all(modes[i % 3]);
		if (ret) {
			TH_LOG("cycle %u (%s): load: %s", i, modes[i % 3],
			       strerror(-ret));
			break;
		}
		ret = board_addr(0, addr[0], sizeof(addr[0]));
		if (!ret)
			ret = board_addr(1, addr[1], sizeof(addr[1]));
		if (!ret)
			ret = board_check(addr[0], i);
		if (!ret)
			ret = board_check(addr[1], i);
		if (!ret)
			ret = plugins_check();
		if (ret) {
			TH_LOG("cycle %u (%s): board check: %s", i,
			       modes[i % 3], strerror(-ret));
			unload_all();
			break;
		}
		ret = unload_all();
		if (ret) {
			TH_LOG("cycle %u: unload: %s", i, strerror(-ret));
			break;
		}
		if (exists("/dev/vfpga0")) {
			TH_LOG("cycle %u: /dev/vfpga0 left behind", i);
			ret = -EEXIST;
			break;
		}
	}
	loop_report("load-unload", i, count_load, now_s() - t0);
	ASSERT_EQ(0, ret);
	ASSERT_EQ(count_load, i);
}

TEST_F_TIMEOUT(loops, unbind_rebind, 7200)
{
	struct worker w[4] = {
		{ .kind = W_DMA }, { .kind = W_DMA }, { .kind = W_STORM },
		{ .kind = W_IRQ_WAIT },
	};
	const unsigned int nw = 4;
	char addr[32], path[128];
	uint64_t gone = 0;
	unsigned int i;
	double t0;
	int ret;

	ASSERT_EQ(0, load_all("msix"));
	ASSERT_EQ(0, board_addr(0, addr, sizeof(addr)));
	ASSERT_EQ(0, workers_start(w, nw, addr));
	t0 = now_s();
	for (i = 0; i < count_unbind; i++) {
		workers_busy(w, nw, 5000);
		ret = sysfs_write("/sys/bus/pci/drivers/vfpga/unbind", addr);
		if (ret) {
			TH_LOG("cycle %u: unbind: %s", i, strerror(-ret));
			break;
		}
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vfpga",
			 addr);
		if (exists(path)) {
			TH_LOG("cycle %u: still bound after unbind", i);
			ret = -EBUSY;
			break;
		}
		ret = sysfs_write("/sys/bus/pci/drivers/vfpga/bind", addr);
		if (!ret)
			ret = wait_bound(addr, 10000);
		if (!ret)
			ret = board_check(addr, i);
		if (ret) {
			TH_LOG("cycle %u: rebind and check: %s", i,
			       strerror(-ret));
			break;
		}
	}
	loop_report("unbind-rebind", i, count_unbind, now_s() - t0);
	workers_stop_all(w, nw);
	for (unsigned int k = 0; k < nw; k++) {
		EXPECT_EQ(0, w[k].bad) TH_LOG("worker %u: %s", k, w[k].what);
		gone += w[k].gone;
	}
	printf("# loop unbind-rebind: workers: %" PRIu64 " calls succeeded, %"
	       PRIu64 " saw the board go\n", workers_ops(w, nw), gone);
	EXPECT_EQ(0, unload_all());
	ASSERT_EQ(count_unbind, i);
}

/*
 * QMP on /dev/ttyS2.  Lines that are not the answer waited for (events,
 * the greeting, QEMU's complaints about bytes the port sent while it was
 * being probed) are skipped; commands carry an id that the answer echoes.
 */
struct qmp {
	int fd;
	char buf[8192];
	size_t len;
	unsigned int next_id;
	unsigned long long rx;		/* bytes read, for a failure's log */
	char last[128];			/* the last line read, likewise */
};

/* Next line, waiting at most @ms; 0, or -ETIMEDOUT. */
static int qmp_line(struct qmp *q, char *line, size_t size, unsigned int ms)
{
	double end = now_s() + ms / 1000.0;

	for (;;) {
		char *nl = memchr(q->buf, '\n', q->len);
		struct pollfd p = { .fd = q->fd, .events = POLLIN };
		ssize_t n;
		int left;

		if (nl) {
			size_t l = (size_t)(nl - q->buf);

			snprintf(line, size, "%.*s", (int)l, q->buf);
			snprintf(q->last, sizeof(q->last), "%.*s", (int)l,
				 q->buf);
			memmove(q->buf, nl + 1, q->len - l - 1);
			q->len -= l + 1;
			return 0;
		}
		if (q->len == sizeof(q->buf))
			q->len = 0;	/* a line longer than any answer */
		left = (int)((end - now_s()) * 1000);
		if (left <= 0 || poll(&p, 1, left) <= 0)
			return -ETIMEDOUT;
		n = read(q->fd, q->buf + q->len, sizeof(q->buf) - q->len);
		if (n < 0 && errno != EINTR && errno != EAGAIN)
			return -errno;
		if (n > 0) {
			q->len += (size_t)n;
			q->rx += (unsigned long long)n;
		}
	}
}

/*
 * Send @cmd (a JSON object without its closing brace) and wait for the
 * answer to it; the answer's line goes to @reply.  -EIO for an error
 * answer, -ETIMEDOUT for none.
 */
static int qmp_cmd(struct qmp *q, const char *cmd, char *reply, size_t size,
		   unsigned int ms)
{
	char msg[512], id[32], line[8192];
	double end = now_s() + ms / 1000.0;
	int ret;

	snprintf(id, sizeof(id), "\"vfpga-loops-%u\"", ++q->next_id);
	snprintf(msg, sizeof(msg), "%s, \"id\": %s}\r\n", cmd, id);
	if (write(q->fd, msg, strlen(msg)) != (ssize_t)strlen(msg))
		return -EIO;
	for (;;) {
		int left = (int)((end - now_s()) * 1000);

		if (left <= 0)
			return -ETIMEDOUT;
		ret = qmp_line(q, line, sizeof(line), (unsigned int)left);
		if (ret)
			return ret;
		if (!strstr(line, id))
			continue;
		if (reply)
			snprintf(reply, size, "%s", line);
		return strstr(line, "\"return\"") ? 0 : -EIO;
	}
}

/* Wait for event @event whose data names @device. */
static int qmp_event(struct qmp *q, const char *event, const char *device,
		     unsigned int ms)
{
	char want_ev[64], want_dev[64], line[8192];
	double end = now_s() + ms / 1000.0;

	snprintf(want_ev, sizeof(want_ev), "\"%s\"", event);
	snprintf(want_dev, sizeof(want_dev), "\"device\": \"%s\"", device);
	for (;;) {
		int left = (int)((end - now_s()) * 1000);

		if (left <= 0 || qmp_line(q, line, sizeof(line),
					  (unsigned int)left))
			return -ETIMEDOUT;
		if (strstr(line, want_ev) && strstr(line, want_dev))
			return 0;
	}
}

static int qmp_open(struct qmp *q)
{
	struct termios t;
	int ret = -ETIMEDOUT, i;

	memset(q, 0, sizeof(*q));
	q->fd = open(QMP_TTY, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (q->fd < 0)
		return -errno;
	if (tcgetattr(q->fd, &t))
		return -errno;
	cfmakeraw(&t);
	cfsetispeed(&t, B115200);
	cfsetospeed(&t, B115200);
	if (tcsetattr(q->fd, TCSANOW, &t))
		return -errno;
	/*
	 * The port opens with the tty's default termios, echo on: QMP's
	 * greeting, still in the FIFO, may have been echoed back to QMP
	 * before raw mode took effect, and every "JSON parse error" answer
	 * echoed again.  Drop both directions' queues now that nothing
	 * echoes any more.
	 */
	if (tcflush(q->fd, TCIOFLUSH))
		return -errno;
	/*
	 * The greeting went out when QEMU started and is partly lost.  What
	 * the port sent while it was probed may have left QMP's JSON parser
	 * inside an object (an unmatched brace or bracket), where it would
	 * swallow every command after it: a 0xFF byte, invalid anywhere in
	 * JSON, is a lexer error that resets the parser (QEMU's guest agent
	 * asks its clients for the same, guest-sync-delimited).  Capability
	 * negotiation answers once: after that, any command proves the link.
	 */
	/* A loaded TCG host answers slowly: up to a minute in all. */
	for (i = 0; i < 10 && ret; i++) {
		if (write(q->fd, "\xff\r\n", 3) != 3)
			return -EIO;
		ret = qmp_cmd(q, "{\"execute\": \"qmp_capabilities\"", NULL, 0,
			      3000);
		if (ret == -EIO)
			ret = qmp_cmd(q, "{\"execute\": \"query-status\"",
				      NULL, 0, 3000);
	}
	if (ret)
		fprintf(stderr, "# qmp: no answer on %s in %d tries: %llu bytes read, the last line \"%s\"\n",
			QMP_TTY, i, q->rx, q->last);
	return ret;
}

/* The number or string after "return": in a reply. */
static int qmp_return(const char *reply, char *val, size_t size)
{
	const char *p = strstr(reply, "\"return\": ");
	size_t n;

	if (!p)
		return -EIO;
	p += strlen("\"return\": ");
	if (*p == '"')
		p++;
	n = strcspn(p, "\",}");
	snprintf(val, size, "%.*s", (int)n, p);
	return 0;
}

/* PCI Express capability offset of the device at @addr, or -1. */
static int pcie_cap(int cfg)
{
	uint8_t pos = 0, hdr[2];

	if (pread(cfg, &pos, 1, 0x34) != 1)
		return -1;
	while (pos) {
		if (pread(cfg, hdr, 2, pos) != 2)
			return -1;
		if (hdr[0] == 0x10)
			return pos;
		pos = hdr[1];
	}
	return -1;
}

/*
 * After device_del, pciehp waits five seconds for the operator to change
 * their mind (the power indicator blinks); the slot's power file is the
 * operator saying "go on".  @port is the root port's address, @slot its
 * slot directory.
 */
static void slot_confirm_removal(const char *port, const char *slot)
{
	char path[320];
	double end = now_s() + 3;
	uint16_t ctl = 0;
	int cfg, cap;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", port);
	cfg = open(path, O_RDONLY | O_CLOEXEC);
	if (cfg < 0)
		return;
	cap = pcie_cap(cfg);
	while (cap > 0 && now_s() < end) {
		/* Slot Control, Power Indicator Control: 10b blinks. */
		if (pread(cfg, &ctl, 2, cap + 0x18) == 2 &&
		    (ctl >> 8 & 3) == 2)
			break;
		msleep(2);
	}
	close(cfg);
	if ((ctl >> 8 & 3) == 2) {
		snprintf(path, sizeof(path), "%s/power", slot);
		sysfs_write(path, "0");
	}
}

/* The hot-plug slot directory whose address is @addr's bus. */
static int find_slot(const char *addr, char *buf, size_t len)
{
	char path[300], val[64];
	struct dirent *de;
	DIR *d = opendir("/sys/bus/pci/slots");
	int ret = -ENOENT;
	FILE *f;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/slots/%s/address",
			 de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(val, sizeof(val), f) &&
		    !strncmp(val, addr, strlen(addr) - 2)) {
			snprintf(buf, len, "/sys/bus/pci/slots/%s", de->d_name);
			ret = 0;
		}
		fclose(f);
	}
	closedir(d);
	return ret;
}

TEST_F_TIMEOUT(loops, hotplug, 7200)
{
	struct worker w[4] = {
		{ .kind = W_DMA }, { .kind = W_DMA }, { .kind = W_IRQ_WAIT },
		{ .kind = W_KP_WAIT },
	};
	const unsigned int nw = 4;
	char addr[32], port[32], slot[300], dev_path[128], link[PATH_MAX];
	char reply[8192], size[32], bus[128], add[256], *p;
	uint64_t gone = 0;
	struct qmp q;
	unsigned int i, board;
	double t0;
	ssize_t n;
	int ret;

	if (!count_hotplug)
		SKIP(return, "vfpga_loops asks for no hot-plug cycles");
	ASSERT_EQ(0, load_all("msix"));
	/* The board QEMU knows as HOTPLUG_ID: the second one. */
	board = 1;
	ASSERT_EQ(0, board_addr(board, addr, sizeof(addr)));
	snprintf(dev_path, sizeof(dev_path), "/sys/bus/pci/devices/%s", addr);
	n = readlink(dev_path, link, sizeof(link) - 1);
	ASSERT_LT(0, n);
	link[n] = 0;
	*strrchr(link, '/') = 0;
	snprintf(port, sizeof(port), "%s", strrchr(link, '/') + 1);
	ASSERT_EQ(0, find_slot(addr, slot, sizeof(slot)))
		TH_LOG("no hot-plug slot for %s (root port %s)", addr, port);

	ASSERT_EQ(0, qmp_open(&q)) TH_LOG("no QMP monitor on " QMP_TTY);
	/* Plug back what was there: its card memory and its bus. */
	ASSERT_EQ(0, qmp_cmd(&q, "{\"execute\": \"qom-get\", \"arguments\": "
			     "{\"path\": \"/machine/peripheral/" HOTPLUG_ID
			     "\", \"property\": \"card-mem-size\"}",
			     reply, sizeof(reply), 5000));
	ASSERT_EQ(0, qmp_return(reply, size, sizeof(size)));
	ASSERT_EQ(0, qmp_cmd(&q, "{\"execute\": \"qom-get\", \"arguments\": "
			     "{\"path\": \"/machine/peripheral/" HOTPLUG_ID
			     "\", \"property\": \"parent_bus\"}",
			     reply, sizeof(reply), 5000));
	ASSERT_EQ(0, qmp_return(reply, bus, sizeof(bus)));
	p = strrchr(bus, '/');
	ASSERT_NE(NULL, p);
	snprintf(add, sizeof(add), "{\"execute\": \"device_add\", "
		 "\"arguments\": {\"driver\": \"vfpga\", \"id\": \"" HOTPLUG_ID
		 "\", \"bus\": \"%s\", \"card-mem-size\": %s}", p + 1, size);
	TH_LOG("board %s (%s) on root port %s, slot %s, bus %s", addr,
	       HOTPLUG_ID, port, slot, p + 1);

	ASSERT_EQ(0, workers_start(w, nw, addr));
	t0 = now_s();
	for (i = 0; i < count_hotplug; i++) {
		workers_busy(w, nw, 5000);
		ret = qmp_cmd(&q, "{\"execute\": \"device_del\", \"arguments\": "
			      "{\"id\": \"" HOTPLUG_ID "\"}", reply,
			      sizeof(reply), 5000);
		if (ret) {
			TH_LOG("cycle %u: device_del: %s", i, reply);
			break;
		}
		slot_confirm_removal(port, slot);
		ret = qmp_event(&q, "DEVICE_DELETED", HOTPLUG_ID, 30000);
		if (!ret)
			ret = wait_path(dev_path, 0, 10000);
		if (ret) {
			TH_LOG("cycle %u: the board did not go", i);
			break;
		}
		ret = qmp_cmd(&q, add, reply, sizeof(reply), 5000);
		if (ret) {
			TH_LOG("cycle %u: device_add: %s", i, reply);
			break;
		}
		ret = wait_bound(addr, 30000);
		if (!ret)
			ret = board_check(addr, i);
		if (ret) {
			TH_LOG("cycle %u: replug and check: %s", i,
			       strerror(-ret));
			break;
		}
	}
	loop_report("hotplug", i, count_hotplug, now_s() - t0);
	workers_stop_all(w, nw);
	for (unsigned int k = 0; k < nw; k++) {
		EXPECT_EQ(0, w[k].bad) TH_LOG("worker %u: %s", k, w[k].what);
		gone += w[k].gone;
	}
	printf("# loop hotplug: workers: %" PRIu64 " calls succeeded, %" PRIu64
	       " saw the board go\n", workers_ops(w, nw), gone);
	close(q.fd);
	EXPECT_EQ(0, unload_all());
	ASSERT_EQ(count_hotplug, i);
}

TEST_HARNESS_MAIN
