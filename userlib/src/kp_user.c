// SPDX-License-Identifier: MIT
/*
 * libvfpga: plugins in user mode.  The plugin's own source, built against
 * include/vfpga/vfpga_kp.h outside the kernel, registers here from a
 * constructor (module_init) and gets this file's versions of the calls a
 * plugin may make: registers through the BAR mapping, a mutex, stderr,
 * CLOCK_MONOTONIC.
 *
 * Interrupts: vfpga_kp_int_enable() starts libvfpga's callback thread on
 * every vector that carries user lines (vfpga_irq_enable()).  For each
 * interrupt the driver counted, the thread calls int_at_irql, then
 * int_at_dpc once with the number of calls that asked for it, and adds
 * what that returns to the wake-ups vfpga_kp_wait() reports.
 *
 * Acknowledge: no kernel plugin has the board's interrupts, so the core
 * driver's handler has already acknowledged the interrupt when the thread
 * hears of it (it must: a level INTx line would otherwise fire until user
 * space ran).  While int_at_irql runs on the interrupt thread,
 * vfpga_kp_int_acked() says so, and the plugin's own source decides what
 * that means for its device (the sample skips its pending check and its
 * acknowledge); every register reads and writes as the device has it (in
 * ping-pong mode the next interrupt may have been raised already).  The
 * host knows nothing of the board's registers.
 *
 * Removal: when any of libvfpga's ioctls on a board returns -ENODEV (an
 * interrupt thread's wait, the program's own calls), every handle open
 * on that board gets VFPGA_KP_EVENT_REMOVED once, as in kernel mode: on a
 * thread of its own, which first takes the interrupts back, then waits
 * for the handle's running calls, so that event runs alone, as the
 * kernel runs it; vfpga_kp_wait() returns -ENODEV from then on.
 * vfpga_kp_user_close() waits for that thread.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "internal.h"
#include "vfpga_kp.h"

#define KP_USER_PLUGINS_MAX	32

struct vfpga_kp_handle {
	const struct vfpga_kp_ops *ops;
	struct vfpga_device *dev;
	void *ctx;
	dev_t board;				/* the board's device node */
	volatile void *bar[VFPGA_MAX_BARS];
	uint64_t bar_len[VFPGA_MAX_BARS];
	unsigned int vectors;			/* with user lines */

	bool int_enabled;			/* under kp_user_lock */
	struct vfpga_kp_handle *next_int;	/* kp_user_int list */
	pthread_mutex_t irq_lock;		/* one replay at a time */

	pthread_mutex_t wait_lock;		/* what follows */
	pthread_cond_t wait_cond;
	uint64_t wakeups;			/* int_at_dpc's sum */
	uint64_t seen;				/* reported by the last wait */
	bool gone;				/* the board: waits fail */
	uint64_t wake_gen;			/* vfpga_kp_wake() calls */
	/*
	 * vfpga_kp_user_close() began: waiters in vfpga_kp_user_wait()
	 * leave with -EINVAL, and close waits until none is left.
	 */
	bool closing;
	unsigned int waiters;

	struct vfpga_kp_handle *next_all;	/* under kp_user_all_lock */
	bool removed;				/* under kp_user_all_lock */
	bool event_started;			/* ... event_thread runs */
	pthread_t event_thread;
	pthread_rwlock_t cb_lock;		/* read: call; write: event */

	struct kp_user_dma_bufs dma;		/* kp_user_dma.c */
};

struct vfpga_device *vfpga_kp_user_dev(struct vfpga_kp_handle *h)
{
	return h->dev;
}

struct kp_user_dma_bufs *vfpga_kp_user_bufs(struct vfpga_kp_handle *h)
{
	return &h->dma;
}

static pthread_mutex_t kp_user_lock = PTHREAD_MUTEX_INITIALIZER;
static const struct vfpga_kp_ops *kp_user_plugins[KP_USER_PLUGINS_MAX];
static struct vfpga_kp_handle *kp_user_int;	/* int_enabled handles */
/*
 * Every open handle, under a lock of its own: an ioctl that fails with
 * -ENODEV may run with kp_user_lock held (vfpga_kp_user_int_enable()).
 */
static pthread_mutex_t kp_user_all_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vfpga_kp_handle *kp_user_all;

/* The handle whose int_at_irql runs on this thread, if any. */
static _Thread_local struct vfpga_kp_handle *kp_irql;

int vfpga_kp_register(const struct vfpga_kp_ops *ops)
{
	int i, free_slot = -1, ret;

	if (!ops || !ops->name || !ops->name[0] ||
	    strlen(ops->name) >= VFPGA_KP_NAME_SIZE)
		return -EINVAL;
	pthread_mutex_lock(&kp_user_lock);
	for (i = 0; i < KP_USER_PLUGINS_MAX; i++) {
		if (!kp_user_plugins[i]) {
			if (free_slot < 0)
				free_slot = i;
		} else if (!strcmp(kp_user_plugins[i]->name, ops->name)) {
			pthread_mutex_unlock(&kp_user_lock);
			return -EEXIST;
		}
	}
	ret = free_slot < 0 ? -ENOSPC : ops->init ? ops->init() : 0;
	if (ret == 0)
		kp_user_plugins[free_slot] = ops;
	pthread_mutex_unlock(&kp_user_lock);
	return ret;
}

void vfpga_kp_unregister(const struct vfpga_kp_ops *ops)
{
	bool found = false;
	int i;

	pthread_mutex_lock(&kp_user_lock);
	for (i = 0; i < KP_USER_PLUGINS_MAX; i++) {
		if (ops && kp_user_plugins[i] == ops) {
			kp_user_plugins[i] = NULL;
			found = true;
		}
	}
	pthread_mutex_unlock(&kp_user_lock);
	if (found && ops->event)
		ops->event(NULL, NULL, VFPGA_KP_EVENT_UNLOAD);
}

void vfpga_kp_user_module_init(int (*fn)(void), const char *file)
{
	int ret = fn();

	if (ret)
		fprintf(stderr, "vfpga kp: %s: init failed: %s\n", file,
			strerror(-ret));
}

static volatile void *kp_reg(struct vfpga_kp_handle *h, unsigned int bar,
			     uint64_t offset, unsigned int width)
{
	if (!h || bar >= VFPGA_MAX_BARS || !h->bar[bar] ||
	    (offset & (width - 1)) || offset >= h->bar_len[bar] ||
	    width > h->bar_len[bar] - offset)
		return NULL;
	return (volatile char *)h->bar[bar] + offset;
}

u32 vfpga_kp_read32(struct vfpga_kp_handle *h, unsigned int bar, u64 offset)
{
	volatile void *a = kp_reg(h, bar, offset, 4);

	return a ? *(volatile u32 *)a : U32_MAX;
}

void vfpga_kp_write32(struct vfpga_kp_handle *h, unsigned int bar,
		      u64 offset, u32 value)
{
	volatile void *a = kp_reg(h, bar, offset, 4);

	if (a)
		*(volatile u32 *)a = value;
}

u64 vfpga_kp_read64(struct vfpga_kp_handle *h, unsigned int bar, u64 offset)
{
	volatile void *a = kp_reg(h, bar, offset, 8);

	return a ? *(volatile u64 *)a : U64_MAX;
}

void vfpga_kp_write64(struct vfpga_kp_handle *h, unsigned int bar,
		      u64 offset, u64 value)
{
	volatile void *a = kp_reg(h, bar, offset, 8);

	if (a)
		*(volatile u64 *)a = value;
}

bool vfpga_kp_int_acked(struct vfpga_kp_handle *h)
{
	return h && kp_irql == h;
}

bool vfpga_kp_dying(struct vfpga_kp_handle *h)
{
	bool gone;

	pthread_mutex_lock(&h->wait_lock);
	gone = h->gone;
	pthread_mutex_unlock(&h->wait_lock);
	return gone;
}

/* @end: CLOCK_MONOTONIC, @timeout_ms from now. */
static void kp_deadline(struct timespec *end, unsigned int timeout_ms)
{
	clock_gettime(CLOCK_MONOTONIC, end);
	end->tv_sec += timeout_ms / 1000;
	end->tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (end->tv_nsec >= 1000000000) {
		end->tv_sec++;
		end->tv_nsec -= 1000000000;
	}
}

/*
 * As in the kernel: @done is evaluated without any lock of ours held (the
 * plugin's own lock is taken inside it, and the plugin may hold that lock
 * when it calls vfpga_kp_wake()); a wake-up between the evaluation and
 * the sleep is not lost, because the sleep waits for wake_gen to move.
 */
int vfpga_kp_wait_until(struct vfpga_kp_handle *h, bool (*done)(void *arg),
			void *arg, unsigned int timeout_ms)
{
	struct timespec end;
	uint64_t gen;
	bool gone;
	int ret = 0;

	kp_deadline(&end, timeout_ms);
	for (;;) {
		pthread_mutex_lock(&h->wait_lock);
		gen = h->wake_gen;
		gone = h->gone;
		pthread_mutex_unlock(&h->wait_lock);
		if (done(arg))
			return 0;
		if (gone)
			return -ENODEV;
		if (ret)
			return -ETIMEDOUT;
		pthread_mutex_lock(&h->wait_lock);
		while (h->wake_gen == gen && !h->gone && ret == 0)
			ret = timeout_ms ?
			      pthread_cond_timedwait(&h->wait_cond,
						     &h->wait_lock, &end) :
			      ETIMEDOUT;
		pthread_mutex_unlock(&h->wait_lock);
	}
}

void vfpga_kp_wake(struct vfpga_kp_handle *h)
{
	pthread_mutex_lock(&h->wait_lock);
	h->wake_gen++;
	pthread_cond_broadcast(&h->wait_cond);
	pthread_mutex_unlock(&h->wait_lock);
}

u64 vfpga_kp_time_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

void vfpga_kp_log(struct vfpga_kp_handle *h, enum vfpga_kp_level level,
		  const char *fmt, ...)
{
	static const char *const tag[] = { "error", "warning", "info",
					   "debug" };
	va_list ap;

	if (level == VFPGA_KP_DEBUG && !getenv("VFPGA_KP_DEBUG"))
		return;
	fprintf(stderr, "vfpga kp %s (user mode) %s: ",
		h ? h->ops->name : "-",
		(unsigned int)level < 4 ? tag[level] : "log");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

int vfpga_kp_user_open(struct vfpga_device *dev, const char *name,
		       struct vfpga_kp_handle **out)
{
	const struct vfpga_kp_ops *ops = NULL;
	struct vfpga_device_info info;
	struct vfpga_kp_handle *h;
	struct stat st;
	unsigned int bar;
	int i, ret;

	pthread_mutex_lock(&kp_user_lock);
	for (i = 0; i < KP_USER_PLUGINS_MAX; i++)
		if (kp_user_plugins[i] &&
		    !strcmp(kp_user_plugins[i]->name, name))
			ops = kp_user_plugins[i];
	pthread_mutex_unlock(&kp_user_lock);
	if (!ops)
		return -ENOENT;
	ret = vfpga_get_info(dev, &info);
	if (ret)
		return ret;
	if (fstat(vfpga_fd(dev), &st))
		return -errno;

	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->ctx = calloc(1, ops->ctx_size ? ops->ctx_size : 1);
	if (!h->ctx) {
		free(h);
		return -ENOMEM;
	}
	h->ops = ops;
	h->dev = dev;
	h->board = st.st_rdev;
	h->vectors = info.num_vectors < VFPGA_USER_IRQ_LINES ?
		     info.num_vectors : VFPGA_USER_IRQ_LINES;
	for (bar = 0; bar < VFPGA_MAX_BARS; bar++) {
		volatile void *addr;
		uint64_t len;

		if (info.bar_size[bar] &&
		    vfpga_bar_map(dev, bar, &addr, &len) == 0) {
			h->bar[bar] = addr;
			h->bar_len[bar] = len;
		}
	}
	pthread_mutex_init(&h->irq_lock, NULL);
	pthread_mutex_init(&h->wait_lock, NULL);
	pthread_rwlock_init(&h->cb_lock, NULL);
	pthread_mutex_init(&h->dma.lock, NULL);
	pthread_cond_init(&h->dma.idle, NULL);
	{
		pthread_condattr_t attr;

		pthread_condattr_init(&attr);
		pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
		pthread_cond_init(&h->wait_cond, &attr);
		pthread_condattr_destroy(&attr);
	}
	ret = ops->open ? ops->open(h, h->ctx) : 0;
	if (ret) {
		pthread_rwlock_destroy(&h->cb_lock);
		vfpga_kp_user_dma_release(h);
		pthread_mutex_destroy(&h->dma.lock);
		pthread_cond_destroy(&h->dma.idle);
		pthread_cond_destroy(&h->wait_cond);
		pthread_mutex_destroy(&h->wait_lock);
		pthread_mutex_destroy(&h->irq_lock);
		free(h->ctx);
		free(h);
		return ret < 0 ? ret : -EIO;
	}
	pthread_mutex_lock(&kp_user_all_lock);
	h->next_all = kp_user_all;
	kp_user_all = h;
	pthread_mutex_unlock(&kp_user_all_lock);
	*out = h;
	return 0;
}

/* The kernel path's VFPGA_KP_CALL, as a function call: same checks. */
int vfpga_kp_user_call(struct vfpga_kp_handle *h, uint32_t msg,
		       const void *in, size_t in_len, void *out,
		       size_t *out_len)
{
	size_t room = out_len ? *out_len : 0, out_size = room;
	char *buf;
	int ret;

	if ((in_len && !in) || (room && !out))
		return -EFAULT;
	buf = calloc(1, in_len + room ? in_len + room : 1);
	if (!buf)
		return -ENOMEM;
	if (in_len)
		memcpy(buf, in, in_len);
	pthread_rwlock_rdlock(&h->cb_lock);
	ret = h->ops->call ? h->ops->call(h, h->ctx, msg, buf, in_len,
					  buf + in_len, &out_size) : -ENOMSG;
	pthread_rwlock_unlock(&h->cb_lock);
	if (ret >= 0 && out_size > room) {
		vfpga_kp_err(h, "reply of %zu bytes to %zu: dropped\n",
			     out_size, room);
		ret = -EOVERFLOW;
	}
	if (ret >= 0) {
		if (out_size)
			memcpy(out, buf + in_len, out_size);
		if (out_len)
			*out_len = out_size;
	}
	free(buf);
	return ret;
}

/* A libvfpga interrupt thread heard of ev->count interrupts. */
static void kp_user_irq(void *arg, const struct vfpga_irq_event *ev)
{
	struct vfpga_kp_handle *h = arg;
	unsigned int dpc = 0, wakes = 0;
	uint64_t i;

	pthread_mutex_lock(&h->irq_lock);
	kp_irql = h;
	for (i = 0; i < ev->count; i++) {
		bool run_dpc = false;

		if (h->ops->int_at_irql &&
		    h->ops->int_at_irql(h, h->ctx, &run_dpc) && run_dpc)
			dpc++;
	}
	kp_irql = NULL;
	if (dpc && h->ops->int_at_dpc)
		wakes = h->ops->int_at_dpc(h, h->ctx, dpc);
	pthread_mutex_unlock(&h->irq_lock);
	if (wakes) {
		pthread_mutex_lock(&h->wait_lock);
		h->wakeups += wakes;
		pthread_cond_broadcast(&h->wait_cond);
		pthread_mutex_unlock(&h->wait_lock);
	}
}

static void kp_user_stop_vectors(struct vfpga_kp_handle *h, unsigned int n)
{
	while (n--)
		vfpga_irq_disable(h->dev, n);
}

int vfpga_kp_user_int_enable(struct vfpga_kp_handle *h)
{
	struct vfpga_kp_handle *o;
	unsigned int v;
	int ret = 0;

	pthread_mutex_lock(&kp_user_lock);
	if (h->int_enabled)
		goto out;
	for (o = kp_user_int; o; o = o->next_int) {
		if (o->board == h->board) {
			ret = -EBUSY;
			goto out;
		}
	}
	ret = h->ops->int_enable ? h->ops->int_enable(h, h->ctx) : 0;
	if (ret)
		goto out;
	for (v = 0; v < h->vectors; v++) {
		ret = vfpga_irq_enable(h->dev, v, kp_user_irq, h);
		if (ret) {
			kp_user_stop_vectors(h, v);
			if (h->ops->int_disable)
				h->ops->int_disable(h, h->ctx);
			goto out;
		}
	}
	h->int_enabled = true;
	h->next_int = kp_user_int;
	kp_user_int = h;
out:
	pthread_mutex_unlock(&kp_user_lock);
	return ret;
}

int vfpga_kp_user_int_disable(struct vfpga_kp_handle *h)
{
	struct vfpga_kp_handle **p;

	pthread_mutex_lock(&kp_user_lock);
	if (!h->int_enabled) {
		pthread_mutex_unlock(&kp_user_lock);
		return 0;
	}
	for (p = &kp_user_int; *p; p = &(*p)->next_int) {
		if (*p == h) {
			*p = h->next_int;
			break;
		}
	}
	h->int_enabled = false;
	pthread_mutex_unlock(&kp_user_lock);
	/* Joins the threads: no int_at_irql or int_at_dpc runs after this. */
	kp_user_stop_vectors(h, h->vectors);
	if (h->ops->int_disable)
		h->ops->int_disable(h, h->ctx);
	return 0;
}

int vfpga_kp_user_wait(struct vfpga_kp_handle *h, unsigned int timeout_ms,
		       struct vfpga_irq_event *ev)
{
	struct timespec end;
	int ret = 0;

	kp_deadline(&end, timeout_ms);
	pthread_mutex_lock(&h->wait_lock);
	h->waiters++;
	while (h->wakeups == h->seen && !h->gone && !h->closing && ret == 0)
		ret = timeout_ms ? pthread_cond_timedwait(&h->wait_cond,
							  &h->wait_lock, &end) :
				   ETIMEDOUT;
	if (h->gone) {
		ret = -ENODEV;		/* as the driver's VFPGA_KP_WAIT */
	} else if (h->closing) {
		ret = -EINVAL;		/* closed under the wait, as there */
	} else if (h->wakeups != h->seen) {
		ev->count = h->wakeups - h->seen;
		ev->lost = ev->count - 1;
		ev->total = h->wakeups;
		h->seen = h->wakeups;
		ret = 0;
	} else {
		ret = -ETIMEDOUT;
	}
	if (!--h->waiters && h->closing)
		pthread_cond_broadcast(&h->wait_cond);
	pthread_mutex_unlock(&h->wait_lock);
	return ret;
}

/* The board of @h is gone: take its interrupts back, then tell it. */
static void *kp_user_event_main(void *arg)
{
	struct vfpga_kp_handle *h = arg;

	vfpga_kp_user_int_disable(h);
	pthread_mutex_lock(&h->wait_lock);
	h->gone = true;
	pthread_cond_broadcast(&h->wait_cond);
	pthread_mutex_unlock(&h->wait_lock);
	pthread_rwlock_wrlock(&h->cb_lock);
	if (h->ops->event)
		h->ops->event(h, h->ctx, VFPGA_KP_EVENT_REMOVED);
	pthread_rwlock_unlock(&h->cb_lock);
	return NULL;
}

void vfpga_kp_user_board_gone(struct vfpga_device *dev)
{
	struct vfpga_kp_handle *h;
	struct stat st;

	pthread_mutex_lock(&kp_user_all_lock);
	if (kp_user_all && fstat(vfpga_fd(dev), &st) == 0) {
		for (h = kp_user_all; h; h = h->next_all) {
			if (h->removed || h->board != st.st_rdev)
				continue;
			h->removed = true;
			/* Any thread may be here, the handle's own ones too. */
			h->event_started = pthread_create(&h->event_thread,
							  NULL,
							  kp_user_event_main,
							  h) == 0;
			if (!h->event_started)
				vfpga_kp_err(h, "no thread for the removal event\n");
		}
	}
	pthread_mutex_unlock(&kp_user_all_lock);
}

int vfpga_kp_user_close(struct vfpga_kp_handle *h)
{
	struct vfpga_kp_handle **p;
	bool joined;

	pthread_mutex_lock(&kp_user_all_lock);
	for (p = &kp_user_all; *p; p = &(*p)->next_all) {
		if (*p == h) {
			*p = h->next_all;
			break;
		}
	}
	joined = h->event_started;
	pthread_mutex_unlock(&kp_user_all_lock);
	/* Waiters on other threads leave before the handle goes. */
	pthread_mutex_lock(&h->wait_lock);
	h->closing = true;
	pthread_cond_broadcast(&h->wait_cond);
	while (h->waiters)
		pthread_cond_wait(&h->wait_cond, &h->wait_lock);
	pthread_mutex_unlock(&h->wait_lock);
	/* No new event thread now; let a running one finish. */
	if (joined)
		pthread_join(h->event_thread, NULL);
	vfpga_kp_user_int_disable(h);
	if (h->ops->close)
		h->ops->close(h, h->ctx);
	pthread_rwlock_destroy(&h->cb_lock);
	vfpga_kp_user_dma_release(h);
	pthread_mutex_destroy(&h->dma.lock);
	pthread_cond_destroy(&h->dma.idle);
	pthread_cond_destroy(&h->wait_cond);
	pthread_mutex_destroy(&h->wait_lock);
	pthread_mutex_destroy(&h->irq_lock);
	free(h->ctx);
	free(h);
	return 0;
}
