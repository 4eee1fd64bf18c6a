// SPDX-License-Identifier: MIT
/*
 * ioctl fuzzing of /dev/vfpgaN: every ioctl of include/vfpga/uapi/vfpga.h, the
 * kernel-plugin ones too, with random argsz, flags, sizes, offsets, ids
 * and bad pointers (NULL, unmapped, kernel addresses, misaligned, across
 * a guard page, read-only), first from one thread (a seed replays it
 * exactly), then from several threads while another closes and reopens
 * their files under them.  Every return must be 0 or an errno that the
 * kernel-doc of that ioctl documents: the table is generated from the
 * header (uapi-errnos.awk), so it follows the header.  EBADF is accepted
 * only when another thread closed the file during the call.
 *
 * The process drops CAP_SYS_RAWIO, so BAR 1 (the DMA engine, whose
 * descriptors could make the board write anywhere) answers -EPERM, and
 * valid register writes go to the scratch register only: the fuzzer
 * tests the driver, not the board's fault injection.
 *
 * Environment (the kernel command line sets it, see guest-image/init):
 *   vfpga_fuzz_seed=N    the seed (default: from the clock; always printed)
 *   vfpga_fuzz_iters=N   calls per phase (default 1500)
 * Afterwards both boards must still work: a register round trip and a
 * DMA verify each.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>

#include "kselftest_harness.h"
#include "libvfpga.h"
#include "uapi/vfpga.h"
#include "vfpga_kp_kptest.h"
#include "vfpga_kp_sample.h"
#include "vfpga_regs.h"

struct uapi_errnos {
	const char *name;
	unsigned int cmd;
	int errs[16];
};

#include "vfpga_uapi_errnos.h"
#include "vfpga_test_util.h"

#define NSLOTS		4
#define NWORKERS	3
#define MAX_IDS		16
#define PAGE		4096ul
#define DATA_SIZE	(1ul << 20)

/* PRNG: xorshift64*, one state per thread. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static uint64_t below(uint64_t *s, uint64_t n)
{
	return n ? rnd(s) % n : 0;
}

static int chance(uint64_t *s, unsigned int percent)
{
	return below(s, 100) < percent;
}

/*
 * The memory the fuzzer points the driver at:
 *   guard | data (1 MiB, RW) | guard | ro page | guard | arg pages ... | guard
 * Each worker has its own two arg pages, followed by a guard page.
 */
struct arena {
	uint8_t *base;
	uint8_t *data;		/* DATA_SIZE bytes, read-write */
	uint8_t *ro;		/* one page, read-only */
	uint8_t *args;		/* per thread: 2 RW pages + a guard page */
	size_t len;
};

static struct arena A;

static int arena_init(void)
{
	size_t args_len = (NWORKERS + 1) * 3 * PAGE;
	size_t i;

	A.len = PAGE + DATA_SIZE + PAGE + PAGE + PAGE + args_len;
	A.base = mmap(NULL, A.len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	if (A.base == MAP_FAILED)
		return -1;
	A.data = A.base + PAGE;
	A.ro = A.data + DATA_SIZE + PAGE;
	A.args = A.ro + 2 * PAGE;
	if (mprotect(A.data, DATA_SIZE, PROT_READ | PROT_WRITE))
		return -1;
	if (mprotect(A.ro, PAGE, PROT_READ | PROT_WRITE))
		return -1;
	memset(A.ro, 0x5a, PAGE);
	if (mprotect(A.ro, PAGE, PROT_READ))
		return -1;
	for (i = 0; i <= NWORKERS; i++)
		if (mprotect(A.args + i * 3 * PAGE, 2 * PAGE,
			     PROT_READ | PROT_WRITE))
			return -1;
	return 0;
}

/* One open file and what the fuzzer knows it holds. */
struct slot {
	_Atomic int fd;
	_Atomic unsigned int gen;	/* bumped by every close */
	pthread_mutex_t lock;		/* the id lists */
	uint32_t bufs[MAX_IDS];
	uint64_t buf_bytes;
	unsigned int nbufs;
	uint32_t sgs[MAX_IDS];
	unsigned int nsgs;
	uint32_t handles[MAX_IDS];
	uint8_t handle_kind[MAX_IDS];	/* 0 sample, 1 kptest */
	unsigned int nhandles;
};

static struct slot slots[NSLOTS];

static int slot_open(unsigned int i)
{
	char path[32];

	snprintf(path, sizeof(path), "/dev/vfpga%u", i % 2);
	return open(path, O_RDWR | O_CLOEXEC);
}

static void slot_forget(struct slot *s)
{
	pthread_mutex_lock(&s->lock);
	s->nbufs = 0;
	s->buf_bytes = 0;
	s->nsgs = 0;
	s->nhandles = 0;
	pthread_mutex_unlock(&s->lock);
}

static void id_add(struct slot *s, uint32_t *list, unsigned int *n,
		   uint32_t id)
{
	pthread_mutex_lock(&s->lock);
	if (*n < MAX_IDS)
		list[(*n)++] = id;
	pthread_mutex_unlock(&s->lock);
}

static void id_del(struct slot *s, uint32_t *list, unsigned int *n,
		   uint32_t id)
{
	unsigned int i;

	pthread_mutex_lock(&s->lock);
	for (i = 0; i < *n; i++) {
		if (list[i] == id) {
			list[i] = list[--*n];
			break;
		}
	}
	pthread_mutex_unlock(&s->lock);
}

/* A known id of @list most of the time, otherwise anything. */
static uint32_t pick_id(uint64_t *r, struct slot *s, const uint32_t *list,
			const unsigned int *n)
{
	uint32_t id = (uint32_t)rnd(r);

	pthread_mutex_lock(&s->lock);
	if (*n && chance(r, 80))
		id = list[below(r, *n)];
	else if (chance(r, 50))
		id = (uint32_t)below(r, 70);
	pthread_mutex_unlock(&s->lock);
	return id;
}

/* What a run counts, and the first failures it reports in full. */
struct tally {
	uint64_t calls, ok, errs, unexpected, ebadf_races;
};

static _Atomic uint64_t failures;

struct fuzz_ctx {
	uint64_t rng;
	unsigned int thread;
	struct tally t;
	uint8_t *argp;		/* this thread's two arg pages */
};

/* Interesting values for a 64-bit field. */
static uint64_t any64(uint64_t *r)
{
	static const uint64_t v[] = {
		0, 1, 2, 3, 4, 7, 8, 15, 16, 63, 64, 4095, 4096, 4097,
		65536, 1 << 20, 4 << 20, (4 << 20) + 1, 16 << 20, 128 << 20,
		(128 << 20) - 1, 0x7fffffff, 0x80000000, 0xffffffff,
		0x100000000ull, 1ull << 40, 1ull << 63, ~0ull, ~0ull - 4095,
	};

	switch (below(r, 3)) {
	case 0:
		return v[below(r, sizeof(v) / sizeof(v[0]))];
	case 1:
		return below(r, 1 << 20);
	default:
		return rnd(r);
	}
}

static uint32_t any32(uint64_t *r)
{
	return (uint32_t)any64(r);
}

/* A user address for the driver to read or write @len bytes at. */
static uint64_t user_range(uint64_t *r, uint64_t len, int *bad)
{
	*bad = 1;
	switch (below(r, 12)) {
	case 0:
		return 0;
	case 1:				/* unmapped: the first guard page */
		return (uintptr_t)A.base + below(r, PAGE);
	case 2:				/* a kernel address */
		return chance(r, 50) ? 0xffff888000000000ull + below(r, 1 << 30)
				     : 0xffffffff81000000ull;
	case 3:				/* runs into the guard after data */
		return (uintptr_t)A.data + DATA_SIZE - 1 - below(r, 64);
	case 4:				/* read-only */
		return (uintptr_t)A.ro + below(r, PAGE);
	case 5:				/* non-canonical */
		return 0x0000800000000000ull + below(r, PAGE);
	default:
		break;
	}
	*bad = 0;
	if (len >= DATA_SIZE)
		return (uintptr_t)A.data;
	return (uintptr_t)A.data + below(r, DATA_SIZE - len + 1);
}

/* A length for a user range: mostly small, sometimes anything. */
static uint64_t user_len(uint64_t *r)
{
	if (chance(r, 80))
		return 1 + below(r, 256 << 10);
	return any64(r);
}

/*
 * Where the struct goes: its own page (valid), misaligned (valid), or a
 * bad pointer.  The struct is built in the thread's first arg page and
 * copied to where the pointer says when that is writable.
 */
static uint8_t *arg_place(struct fuzz_ctx *c, size_t size, int *bad)
{
	uint64_t *r = &c->rng;
	uint8_t *guard = c->argp + 2 * PAGE;

	*bad = 1;
	switch (below(r, 20)) {
	case 0:
		return NULL;
	case 1:
		return guard + below(r, 64);
	case 2:
		return (uint8_t *)(uintptr_t)0xffff888000001000ull;
	case 3:				/* the struct's tail in the guard page */
		return guard - 1 - below(r, size > 1 ? size - 1 : 1);
	case 4:				/* read-only: no room for the answer */
		return A.ro + 64;
	case 5:
	case 6:				/* misaligned, fully mapped */
		*bad = 0;
		return c->argp + PAGE + 1 + below(r, 7);
	default:
		*bad = 0;
		return c->argp + PAGE;
	}
}

/* argsz: mostly right, sometimes short, long or absurd. */
static uint32_t pick_argsz(uint64_t *r, size_t size)
{
	switch (below(r, 12)) {
	case 0:
		return 0;
	case 1:
		return (uint32_t)size - 1 - below(r, size > 1 ? size - 1 : 1);
	case 2:
		return (uint32_t)size + 8 * (1 + below(r, 4));
	case 3:
		return any32(r);
	default:
		return (uint32_t)size;
	}
}

static uint32_t pick_flags(uint64_t *r, uint32_t valid)
{
	if (chance(r, 75))
		return (uint32_t)(rnd(r) & valid);
	return any32(r);
}

static int in_list(const int *list, int e)
{
	for (; *list; list++)
		if (*list == e)
			return 1;
	return 0;
}

static const struct uapi_errnos *doc_of(unsigned int cmd)
{
	size_t i;

	for (i = 0; i < sizeof(uapi_errnos) / sizeof(uapi_errnos[0]); i++)
		if (uapi_errnos[i].cmd == cmd)
			return &uapi_errnos[i];
	return NULL;
}

/* Is errno @e documented for @cmd? */
static int documented(unsigned int cmd, int e)
{
	const struct uapi_errnos *d = doc_of(cmd);

	if (!d)				/* not a command: -ENOTTY only */
		return e == ENOTTY;
	if (in_list(d->errs, e))
		return 1;
	if (e != ENOTTY && in_list(uapi_common_errnos, e))
		return 1;
	if ((cmd >> _IOC_NRSHIFT & _IOC_NRMASK) >= 13 &&
	    (cmd >> _IOC_NRSHIFT & _IOC_NRMASK) <= 19) {
		if (in_list(uapi_kp_errnos, e))
			return 1;
		/* "the plugin's errno" */
		if ((cmd == VFPGA_KP_OPEN || cmd == VFPGA_KP_CALL ||
		     cmd == VFPGA_KP_INT_ENABLE) &&
		    in_list(uapi_plugin_errnos, e))
			return 1;
	}
	return 0;
}

static const char *cmd_name(unsigned int cmd)
{
	const struct uapi_errnos *d = doc_of(cmd);

	return d ? d->name : "unknown command";
}

/*
 * One random call: fills the struct for @cmd in @buf, then issues it on a
 * random slot.  Returns the ioctl's result as 0 or -errno.
 */
struct call {
	unsigned int cmd;
	size_t size;
	int bad_ptr;		/* the struct pointer is bad */
	int bad_user;		/* a user pointer inside it is bad */
	int want_errno;		/* kptest FAIL: the errno it must pass on */
	unsigned int slot;
	unsigned int gen;
	int fd;
	uint8_t buf[512];
};

#define FILL(type, var) \
	type *var = (type *)cl->buf; \
	cl->size = sizeof(type); \
	var->argsz = pick_argsz(r, sizeof(type)); \
	var->flags = 0

static void build(struct fuzz_ctx *c, struct call *cl)
{
	static const unsigned int cmds[] = {
		VFPGA_GET_API_VERSION, VFPGA_GET_INFO, VFPGA_REG_READ,
		VFPGA_REG_WRITE, VFPGA_IRQGEN_START, VFPGA_IRQ_COUNT,
		VFPGA_IRQ_WAIT, VFPGA_DMA_ALLOC, VFPGA_DMA_FREE,
		VFPGA_DMA_XFER, VFPGA_DMA_SG_MAP, VFPGA_DMA_SG_UNMAP,
		VFPGA_DMA_SG_SYNC, VFPGA_KP_OPEN, VFPGA_KP_CALL,
		VFPGA_KP_CLOSE, VFPGA_KP_INT_ENABLE, VFPGA_KP_INT_DISABLE,
		VFPGA_KP_WAIT, VFPGA_KP_STATS, VFPGA_IRQ_USER_ACK,
	};
	uint64_t *r = &c->rng;
	struct slot *s;
	unsigned int n = sizeof(cmds) / sizeof(cmds[0]);

	memset(cl, 0, sizeof(*cl));
	cl->slot = (unsigned int)below(r, NSLOTS);
	s = &slots[cl->slot];
	cl->want_errno = 0;
	if (chance(r, 3)) {
		/* An unknown command: a free number, or a known one with
		 * direction and size bits it does not have. */
		cl->cmd = chance(r, 50) ?
			_IO(VFPGA_MAGIC, 21 + below(r, 235)) :
			_IOC(below(r, 4), VFPGA_MAGIC, below(r, 21),
			     below(r, 1 << 13)) | 1u << 30;
		if (doc_of(cl->cmd))
			cl->cmd = _IO(VFPGA_MAGIC, 200);
		cl->size = 64;
		memset(cl->buf, 0, 64);
		return;
	}
	cl->cmd = cmds[below(r, n)];

	switch (cl->cmd) {
	case VFPGA_GET_API_VERSION:
		cl->size = 0;
		break;
	case VFPGA_GET_INFO: {
		FILL(struct vfpga_info, v);
		v->flags = pick_flags(r, 0);
		break;
	}
	case VFPGA_REG_READ:
	case VFPGA_REG_WRITE: {
		static const uint32_t widths[] = { 1, 2, 4, 8 };
		FILL(struct vfpga_reg, v);
		v->flags = pick_flags(r, 0);
		v->bar = chance(r, 70) ? 0 : (uint32_t)below(r, 8);
		if (chance(r, 10))
			v->bar = any32(r);
		v->width = chance(r, 85) ? widths[below(r, 4)] : any32(r);
		if (cl->cmd == VFPGA_REG_WRITE && v->bar == 0 &&
		    chance(r, 70)) {
			/* A write that may succeed: the scratch register. */
			v->width = 4;
			v->offset = VFPGA_USER_SCRATCH;
		} else if (cl->cmd == VFPGA_REG_WRITE && v->bar == 0) {
			/* Aimed to fail: misaligned or past the BAR. */
			v->offset = chance(r, 50) ? VFPGA_USER_SCRATCH + 1 :
				    (1ull << 32) + any64(r);
			v->width = v->offset & 1 ? 2 : v->width;
		} else {
			v->offset = chance(r, 70) ? below(r, 0x1000) :
						    any64(r);
		}
		v->value = rnd(r);
		break;
	}
	case VFPGA_IRQGEN_START: {
		FILL(struct vfpga_irqgen, v);
		v->flags = pick_flags(r, 0);
		v->line = chance(r, 85) ? (uint32_t)below(r, 16) : any32(r);
		v->count = chance(r, 90) ? (uint32_t)below(r, 64) : 0;
		break;
	}
	case VFPGA_IRQ_COUNT: {
		FILL(struct vfpga_irq_count, v);
		v->flags = pick_flags(r, 0);
		v->vector = chance(r, 80) ? (uint32_t)below(r, 40) : any32(r);
		break;
	}
	case VFPGA_IRQ_WAIT: {
		FILL(struct vfpga_irq_wait, v);
		v->flags = pick_flags(r, 0);
		v->vector = chance(r, 80) ? (uint32_t)below(r, 40) : any32(r);
		v->timeout_ms = (uint32_t)below(r, 20);
		break;
	}
	case VFPGA_DMA_ALLOC:
	case VFPGA_DMA_FREE: {
		FILL(struct vfpga_dma_buf, v);
		v->flags = pick_flags(r, 0);
		pthread_mutex_lock(&s->lock);
		/* Bound what the files hold: a full one frees instead. */
		if (cl->cmd == VFPGA_DMA_ALLOC &&
		    (s->nbufs >= 8 || s->buf_bytes > (12 << 20)))
			cl->cmd = VFPGA_DMA_FREE;
		pthread_mutex_unlock(&s->lock);
		if (cl->cmd == VFPGA_DMA_ALLOC) {
			v->size = chance(r, 70) ? 1 + below(r, 64 << 10) :
				  chance(r, 30) ? VFPGA_DMA_BUF_MAX : any64(r);
		} else {
			v->id = pick_id(r, s, s->bufs, &s->nbufs);
		}
		break;
	}
	case VFPGA_DMA_XFER: {
		static const uint32_t fl[] = { 0, VFPGA_XFER_POLL,
			VFPGA_XFER_USER_PTR, VFPGA_XFER_USER_PTR | VFPGA_XFER_POLL,
			VFPGA_XFER_SG_BUF, VFPGA_XFER_SG_BUF | VFPGA_XFER_POLL };
		FILL(struct vfpga_dma_xfer, v);
		v->flags = chance(r, 90) ? fl[below(r, 6)] : any32(r);
		v->dir = chance(r, 90) ? (uint32_t)below(r, 2) : any32(r);
		v->channel = chance(r, 90) ? (uint32_t)below(r, 5) : any32(r);
		v->length = user_len(r);
		v->card_offset = chance(r, 80) ? below(r, 128 << 20) : any64(r);
		v->buf_offset = chance(r, 70) ? below(r, 8192) : any64(r);
		if (v->flags & VFPGA_XFER_SG_BUF)
			v->buf_id = pick_id(r, s, s->sgs, &s->nsgs);
		else
			v->buf_id = pick_id(r, s, s->bufs, &s->nbufs);
		v->user_addr = user_range(r, v->length, &cl->bad_user);
		break;
	}
	case VFPGA_DMA_SG_MAP:
	case VFPGA_DMA_SG_UNMAP:
	case VFPGA_DMA_SG_SYNC: {
		FILL(struct vfpga_dma_sg, v);
		pthread_mutex_lock(&s->lock);
		if (cl->cmd == VFPGA_DMA_SG_MAP && s->nsgs >= 8)
			cl->cmd = VFPGA_DMA_SG_UNMAP;
		pthread_mutex_unlock(&s->lock);
		if (cl->cmd == VFPGA_DMA_SG_SYNC)
			v->flags = chance(r, 80) ? 1 + (uint32_t)below(r, 2) :
				   any32(r);
		else
			v->flags = pick_flags(r, 0);
		v->id = pick_id(r, s, s->sgs, &s->nsgs);
		v->length = user_len(r);
		v->user_addr = user_range(r, v->length, &cl->bad_user);
		break;
	}
	case VFPGA_KP_OPEN: {
		static const char *const names[] = {
			VFPGA_KP_SAMPLE_NAME, VFPGA_KP_KPTEST_NAME,
			VFPGA_KP_KPTEST_FAILOPEN_NAME, "nosuch", "",
		};
		FILL(struct vfpga_kp_open, v);
		v->flags = pick_flags(r, 0);
		pthread_mutex_lock(&s->lock);
		if (s->nhandles >= 6)
			cl->cmd = VFPGA_KP_CLOSE;
		pthread_mutex_unlock(&s->lock);
		if (cl->cmd == VFPGA_KP_CLOSE) {
			struct vfpga_kp_handle_arg *h = (void *)cl->buf;

			cl->size = sizeof(*h);
			h->argsz = sizeof(*h);
			h->handle = pick_id(r, s, s->handles, &s->nhandles);
			break;
		}
		if (chance(r, 8))
			memset(v->name, 'x', sizeof(v->name));	/* no NUL */
		else
			strcpy(v->name, names[below(r, 5)]);
		break;
	}
	case VFPGA_KP_CALL: {
		uint32_t h = pick_id(r, s, s->handles, &s->nhandles);
		uint8_t *in = A.data + below(r, DATA_SIZE - 8192);
		int kind = -1;
		unsigned int i;
		FILL(struct vfpga_kp_call, v);

		v->flags = pick_flags(r, 0);
		v->handle = h;
		pthread_mutex_lock(&s->lock);
		for (i = 0; i < s->nhandles; i++)
			if (s->handles[i] == h)
				kind = s->handle_kind[i];
		pthread_mutex_unlock(&s->lock);
		v->msg = (uint32_t)below(r, 10);
		v->in_size = chance(r, 60) ? (uint32_t)below(r, 64) :
			     chance(r, 70) ? (uint32_t)below(r, 5000) : any32(r);
		v->out_size = chance(r, 60) ? (uint32_t)below(r, 1024) :
			      chance(r, 70) ? (uint32_t)below(r, 5000) :
					      any32(r);
		/* Requests that start the board get sane parameters, so
		 * that one call cannot keep it busy for minutes. */
		if (kind == 0 && v->msg == VFPGA_KP_SAMPLE_MSG_STORM) {
			struct vfpga_kp_sample_storm st = {
				.line = (uint32_t)below(r, 18),
				.count = (uint32_t)below(r, 64),
				.flags = (uint32_t)below(r, 3),
			};
			v->in_size = sizeof(st);
			memcpy(in, &st, sizeof(st));
		} else if (kind == 0 && v->msg == VFPGA_KP_SAMPLE_MSG_PACED) {
			struct vfpga_kp_sample_paced p = {
				.line = (uint32_t)below(r, 18),
				.rate = (uint32_t)(chance(r, 90) ?
					1000 + below(r, 100000) : 0),
				.count = (uint32_t)below(r, 64),
				.duration_us = (uint32_t)below(r, 10000),
				.queue_depth = (uint32_t)below(r, 5000),
				.flags = (uint32_t)below(r, 3),
			};
			v->in_size = sizeof(p);
			memcpy(in, &p, sizeof(p));
		} else if (kind == 0 && v->msg == VFPGA_KP_SAMPLE_MSG_DMA) {
			struct vfpga_kp_sample_dma d = {
				.dir = (uint32_t)below(r, 3),
				.channel = (uint32_t)below(r, 5),
				.card_offset = chance(r, 80) ?
					below(r, 128 << 20) : any64(r),
				.length = chance(r, 90) ?
					below(r, 1 << 20) : any64(r),
				.iterations = (uint32_t)below(r, 4),
				.seed = (uint32_t)rnd(r),
			};
			v->in_size = sizeof(d);
			memcpy(in, &d, sizeof(d));
		} else if (kind == 1 && v->msg == VFPGA_KP_KPTEST_MSG_FAIL) {
			int32_t e = chance(r, 80) ? -(int32_t)(1 + below(r, 4095))
						  : (int32_t)any32(r);
			v->in_size = sizeof(e);
			memcpy(in, &e, sizeof(e));
			if (e < 0 && e >= -4095)
				cl->want_errno = -e;
		} else {
			for (i = 0; i < 64; i++)
				in[i] = (uint8_t)rnd(r);
		}
		v->in = (uintptr_t)in;
		if (chance(r, 15))
			v->in = user_range(r, v->in_size, &cl->bad_user);
		v->out = (uintptr_t)(A.data + below(r, DATA_SIZE - 8192));
		if (chance(r, 15))
			v->out = user_range(r, v->out_size, &cl->bad_user);
		break;
	}
	case VFPGA_KP_CLOSE:
	case VFPGA_KP_INT_ENABLE:
	case VFPGA_KP_INT_DISABLE: {
		FILL(struct vfpga_kp_handle_arg, v);
		v->flags = pick_flags(r, 0);
		v->handle = pick_id(r, s, s->handles, &s->nhandles);
		break;
	}
	case VFPGA_KP_WAIT: {
		FILL(struct vfpga_kp_wait, v);
		v->flags = pick_flags(r, 0);
		v->handle = pick_id(r, s, s->handles, &s->nhandles);
		v->timeout_ms = (uint32_t)below(r, 20);
		break;
	}
	case VFPGA_KP_STATS: {
		FILL(struct vfpga_kp_stats, v);
		v->flags = pick_flags(r, 0);
		v->handle = pick_id(r, s, s->handles, &s->nhandles);
		break;
	}
	case VFPGA_IRQ_USER_ACK: {
		FILL(struct vfpga_irq_user_ack, v);
		v->flags = pick_flags(r, 0);
		v->op = chance(r, 85) ? (uint32_t)below(r, 5) : any32(r);
		v->lines = chance(r, 85) ? (uint32_t)below(r, 1 << 16) :
			   any32(r);
		break;
	}
	}
}

/* Remember what a successful call created or destroyed. */
static void learn(struct call *cl, const void *arg)
{
	struct slot *s = &slots[cl->slot];

	if (atomic_load(&s->gen) != cl->gen)
		return;			/* a file since closed */
	switch (cl->cmd) {
	case VFPGA_DMA_ALLOC: {
		const struct vfpga_dma_buf *v = arg;

		id_add(s, s->bufs, &s->nbufs, v->id);
		pthread_mutex_lock(&s->lock);
		s->buf_bytes += v->size;
		pthread_mutex_unlock(&s->lock);
		break;
	}
	case VFPGA_DMA_FREE:
		id_del(s, s->bufs, &s->nbufs,
		       ((const struct vfpga_dma_buf *)arg)->id);
		break;
	case VFPGA_DMA_SG_MAP:
		id_add(s, s->sgs, &s->nsgs,
		       ((const struct vfpga_dma_sg *)arg)->id);
		break;
	case VFPGA_DMA_SG_UNMAP:
		id_del(s, s->sgs, &s->nsgs,
		       ((const struct vfpga_dma_sg *)arg)->id);
		break;
	case VFPGA_KP_OPEN: {
		const struct vfpga_kp_open *v = arg;

		pthread_mutex_lock(&s->lock);
		if (s->nhandles < MAX_IDS) {
			s->handle_kind[s->nhandles] =
				strcmp(v->name, VFPGA_KP_SAMPLE_NAME) ? 1 : 0;
			s->handles[s->nhandles++] = v->handle;
		}
		pthread_mutex_unlock(&s->lock);
		break;
	}
	case VFPGA_KP_CLOSE:
		id_del(s, s->handles, &s->nhandles,
		       ((const struct vfpga_kp_handle_arg *)arg)->handle);
		break;
	}
}

static void dump(const char *why, const struct call *cl, int ret,
		 unsigned int thread, uint64_t iter)
{
	char hex[3 * 96 + 1];
	size_t i, n = cl->size < 96 ? cl->size : 96;

	for (i = 0; i < n; i++)
		sprintf(hex + 3 * i, "%02x ", cl->buf[i]);
	hex[3 * n] = 0;
	printf("# fuzz: %s: thread %u call %" PRIu64 ": %s (0x%08x) on slot %u: %d (%s)%s%s\n",
	       why, thread, iter, cmd_name(cl->cmd), cl->cmd, cl->slot, ret,
	       ret < 0 ? strerror(-ret) : "-",
	       cl->bad_ptr ? " [bad struct pointer]" : "",
	       cl->bad_user ? " [bad user pointer]" : "");
	printf("# fuzz:   arg: %s\n", hex);
	fflush(stdout);
}

static void fuzz_one(struct fuzz_ctx *c, uint64_t iter)
{
	struct call cl;
	uint8_t *p;
	int ret, e;

	build(c, &cl);
	p = cl.size ? arg_place(c, cl.size, &cl.bad_ptr) : NULL;
	if (!cl.size)
		cl.bad_ptr = 0;
	/* Only a mapped, writable place can hold the struct. */
	if (p && !cl.bad_ptr)
		memcpy(p, cl.buf, cl.size);
	else if (p && p + cl.size > c->argp + 2 * PAGE &&
		 p < c->argp + 2 * PAGE)
		memcpy(p, cl.buf, c->argp + 2 * PAGE - p);

	cl.gen = atomic_load(&slots[cl.slot].gen);
	cl.fd = atomic_load(&slots[cl.slot].fd);
	ret = ioctl(cl.fd, cl.cmd, p);
	e = ret < 0 ? errno : 0;
	c->t.calls++;

	/* Only GET_API_VERSION returns a positive value: the version. */
	if (cl.cmd == VFPGA_GET_API_VERSION && ret == VFPGA_API_VERSION)
		ret = 0;
	else if (ret > 0 || (!ret && cl.cmd == VFPGA_GET_API_VERSION)) {
		c->t.unexpected++;
		if (atomic_fetch_add(&failures, 1) < 20)
			dump("positive return", &cl, ret, c->thread, iter);
		return;
	}
	if (!ret) {
		c->t.ok++;
		if (!cl.bad_ptr && cl.size)
			learn(&cl, p);
		return;
	}
	c->t.errs++;
	if (e == EBADF && atomic_load(&slots[cl.slot].gen) != cl.gen) {
		c->t.ebadf_races++;
		return;
	}
	if (documented(cl.cmd, e) || (cl.want_errno && e == cl.want_errno))
		return;
	c->t.unexpected++;
	if (atomic_fetch_add(&failures, 1) < 20)
		dump("undocumented errno", &cl, -e, c->thread, iter);
}

static _Atomic int stop_closer;
static _Atomic uint64_t closes;

struct worker {
	pthread_t t;
	struct fuzz_ctx c;
	uint64_t iters;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	uint64_t i;

	for (i = 0; i < w->iters; i++)
		fuzz_one(&w->c, i);
	return NULL;
}

/* Closes a random file and opens another in its place, again and again. */
static void *closer_main(void *arg)
{
	uint64_t r = *(uint64_t *)arg;

	while (!atomic_load(&stop_closer)) {
		unsigned int i = (unsigned int)below(&r, NSLOTS);
		int fd = slot_open(i + (unsigned int)below(&r, 2));
		int old;

		if (fd < 0)
			break;
		atomic_fetch_add(&slots[i].gen, 1);
		old = atomic_exchange(&slots[i].fd, fd);
		slot_forget(&slots[i]);
		close(old);
		atomic_fetch_add(&closes, 1);
		usleep(200 + below(&r, 3000));
	}
	return NULL;
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : def;
}

static int drop_rawio(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[CAP_SYS_RAWIO / 32].effective &= ~(1u << (CAP_SYS_RAWIO % 32));
	d[CAP_SYS_RAWIO / 32].permitted &= ~(1u << (CAP_SYS_RAWIO % 32));
	return (int)syscall(SYS_capset, &h, d);
}

/* Both boards work: a scratch round trip and a DMA verify each. */
static int board_works(unsigned int index, uint64_t seed)
{
	struct vfpga_device *dev;
	uint8_t *a = malloc(64 << 10), *b = malloc(64 << 10);
	uint32_t v = 0, want = (uint32_t)(seed * 2654435761u);
	int ret, i;

	if (!a || !b)
		return -ENOMEM;
	ret = vfpga_open(index, &dev);
	if (ret)
		goto out;
	/* A run the fuzzer started may still be going. */
	vfpga_irqgen_wait(dev, 20000, NULL, NULL);
	ret = vfpga_reg_write32(dev, 0, VFPGA_USER_SCRATCH, want);
	if (!ret)
		ret = vfpga_reg_read32(dev, 0, VFPGA_USER_SCRATCH, &v);
	if (!ret && v != want)
		ret = -EIO;
	for (i = 0; i < (64 << 10); i++)
		a[i] = (uint8_t)(i * 7 + seed);
	if (!ret)
		ret = vfpga_dma_write(dev, 0, 4096, a, 64 << 10, 0, NULL);
	if (!ret)
		ret = vfpga_dma_read(dev, 0, 4096, b, 64 << 10, 0, NULL);
	if (!ret && memcmp(a, b, 64 << 10))
		ret = -EIO;
	vfpga_close(dev);
out:
	free(a);
	free(b);
	return ret;
}

FIXTURE(fuzz) {
	uint64_t seed, iters;
};

FIXTURE_SETUP(fuzz)
{
	struct timespec ts;
	unsigned int i;

	clock_gettime(CLOCK_REALTIME, &ts);
	self->seed = env_u64("vfpga_fuzz_seed",
			     (uint64_t)ts.tv_sec * 1000003u ^ ts.tv_nsec);
	if (!self->seed)
		self->seed = 1;
	self->iters = env_u64("vfpga_fuzz_iters", 1500);
	ASSERT_EQ(0, arena_init());
	ASSERT_EQ(0, drop_rawio());
	for (i = 0; i < NSLOTS; i++) {
		int fd = slot_open(i);

		ASSERT_LE(0, fd);
		atomic_store(&slots[i].fd, fd);
		pthread_mutex_init(&slots[i].lock, NULL);
	}
}

FIXTURE_TEARDOWN(fuzz)
{
	unsigned int i;

	for (i = 0; i < NSLOTS; i++)
		close(atomic_load(&slots[i].fd));
}

static void report(const char *phase, const struct tally *t, double secs,
		   uint64_t seed)
{
	printf("# fuzz %s: seed %" PRIu64 ": %" PRIu64 " calls in %.1f s: %" PRIu64
	       " ok, %" PRIu64 " documented errors, %" PRIu64
	       " EBADF from a racing close, %" PRIu64 " undocumented\n",
	       phase, seed, t->calls, secs, t->ok,
	       t->errs - t->ebadf_races - t->unexpected, t->ebadf_races,
	       t->unexpected);
}

/* One thread, so that the seed replays the run call for call. */
TEST_F_TIMEOUT(fuzz, one_thread, 3000)
{
	struct fuzz_ctx c = { .rng = self->seed, .argp = A.args };
	double t0 = now_s();
	uint64_t i;

	TH_LOG("seed %" PRIu64 " (vfpga_fuzz_seed=%" PRIu64
	       " on the kernel command line replays it)", self->seed,
	       self->seed);
	for (i = 0; i < self->iters; i++)
		fuzz_one(&c, i);
	report("one thread", &c.t, now_s() - t0, self->seed);
	EXPECT_EQ(0, c.t.unexpected);
	EXPECT_EQ(0, board_works(0, self->seed));
	EXPECT_EQ(0, board_works(1, self->seed));
}

/* Several threads on shared files while another closes them. */
TEST_F_TIMEOUT(fuzz, threads_and_closes, 3000)
{
	struct worker w[NWORKERS];
	struct tally sum = { 0 };
	uint64_t closer_seed = self->seed ^ 0xc105e5ull;
	pthread_t closer;
	double t0 = now_s();
	unsigned int i;

	TH_LOG("seed %" PRIu64 "", self->seed);
	for (i = 0; i < NWORKERS; i++) {
		w[i].c = (struct fuzz_ctx){
			.rng = self->seed + 0x9e3779b97f4a7c15ull * (i + 1),
			.thread = i + 1,
			.argp = A.args + (i + 1) * 3 * PAGE,
		};
		w[i].iters = self->iters / NWORKERS + 1;
	}
	ASSERT_EQ(0, pthread_create(&closer, NULL, closer_main, &closer_seed));
	for (i = 0; i < NWORKERS; i++)
		ASSERT_EQ(0, pthread_create(&w[i].t, NULL, worker_main, &w[i]));
	for (i = 0; i < NWORKERS; i++) {
		pthread_join(w[i].t, NULL);
		sum.calls += w[i].c.t.calls;
		sum.ok += w[i].c.t.ok;
		sum.errs += w[i].c.t.errs;
		sum.unexpected += w[i].c.t.unexpected;
		sum.ebadf_races += w[i].c.t.ebadf_races;
	}
	atomic_store(&stop_closer, 1);
	pthread_join(closer, NULL);
	report("threads", &sum, now_s() - t0, self->seed);
	printf("# fuzz threads: %" PRIu64 " files closed and reopened under them\n",
	       atomic_load(&closes));
	EXPECT_EQ(0, sum.unexpected);
	EXPECT_LT(0, atomic_load(&closes));
	EXPECT_EQ(0, board_works(0, self->seed));
	EXPECT_EQ(0, board_works(1, self->seed));
}

TEST_HARNESS_MAIN
