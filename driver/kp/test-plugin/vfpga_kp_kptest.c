// SPDX-License-Identifier: GPL-2.0
/*
 * The test plugin: a plugin the tests steer, to check the core's rules
 * (tests/guest/vfpga_kp_rules_test.c).  It registers two names:
 *  - "kptest": call answers vfpga_kp_kptest.h's messages, one of which
 *    returns whatever errno the caller asks for; int_at_irql takes the
 *    board's pending interrupt, or in decline mode says "not mine" without
 *    touching the board, so that the core must acknowledge it; event
 *    counts VFPGA_KP_EVENT_REMOVED per handle and for the whole plugin;
 *  - "kptest-failopen": the same callbacks, but open fails with -EPERM.
 * Like the sample, this one file is the kernel module and, built for user
 * mode, an object libvfpga hosts.
 */
#include "vfpga_kp.h"
#include "vfpga_kp_kptest.h"

struct kptest_ctx {
	struct vfpga_kp_lock lock;	/* everything below */
	struct vfpga_kp_kptest_counters c;
	u64 serial;
	bool decline;
	/*
	 * The handle's DMA buffer, for MSG_DMA.  Calls on other threads may
	 * use it while one frees it: the core keeps that safe (a transfer
	 * that starts after the free is -EINVAL, the free waits for the
	 * running ones), which is what the tests check.
	 */
	struct vfpga_kp_dma_buf *dma;
};

/* What MSG_WAIT_IRQ waits for: @ctx's DPC saw more than @irqs. */
struct kptest_wait {
	struct kptest_ctx *k;
	u64 irqs;
};

/* The plugin's own figures, across handles and boards. */
static struct {
	struct vfpga_kp_lock lock;	/* everything below */
	u64 opens;
	u64 closes;
	u64 removed_all;
	u64 serial;
} kptest;

static u64 kptest_count_open(void)
{
	u64 serial;

	vfpga_kp_lock(&kptest.lock);
	kptest.opens++;
	serial = ++kptest.serial;
	vfpga_kp_unlock(&kptest.lock);
	return serial;
}

static int kptest_open(struct vfpga_kp_handle *h, void *ctx)
{
	struct kptest_ctx *k = ctx;

	vfpga_kp_lock_init(&k->lock);
	k->serial = kptest_count_open();
	return 0;
}

static int kptest_failopen(struct vfpga_kp_handle *h, void *ctx)
{
	kptest_count_open();
	return -EPERM;
}

static void kptest_close(struct vfpga_kp_handle *h, void *ctx)
{
	struct kptest_ctx *k = ctx;

	vfpga_kp_dma_free(h, k->dma);
	vfpga_kp_lock(&kptest.lock);
	kptest.closes++;
	vfpga_kp_unlock(&kptest.lock);
}

static bool kptest_int_at_irql(struct vfpga_kp_handle *h, void *ctx,
			       bool *run_dpc)
{
	struct kptest_ctx *k = ctx;
	bool acked = vfpga_kp_int_acked(h);
	bool decline, pending;

	vfpga_kp_lock(&k->lock);
	decline = k->decline;
	if (decline)
		k->c.declined++;
	vfpga_kp_unlock(&k->lock);
	if (decline)
		return false;

	/* In user mode the core has checked and acknowledged it already. */
	pending = acked ||
		  (vfpga_kp_read32(h, VFPGA_BAR_USER, VFPGA_IRQGEN_STATUS) &
		   VFPGA_IRQGEN_STATUS_PENDING);
	vfpga_kp_lock(&k->lock);
	if (pending)
		k->c.irqs++;
	else
		k->c.not_pending++;
	vfpga_kp_unlock(&k->lock);
	if (!pending)
		return false;
	if (!acked)
		vfpga_kp_write32(h, VFPGA_BAR_USER, VFPGA_IRQGEN_ACK,
				 VFPGA_IRQGEN_ACK_BIT);
	*run_dpc = true;
	return true;
}

static unsigned int kptest_int_at_dpc(struct vfpga_kp_handle *h, void *ctx,
				      unsigned int count)
{
	struct kptest_ctx *k = ctx;

	vfpga_kp_lock(&k->lock);
	k->c.dpc_requests += count;
	vfpga_kp_unlock(&k->lock);
	vfpga_kp_wake(h);		/* MSG_WAIT_IRQ */
	return 1;
}

static bool kptest_irq_seen(void *arg)
{
	struct kptest_wait *w = arg;
	bool seen;

	vfpga_kp_lock(&w->k->lock);
	seen = w->k->c.dpc_requests > w->irqs;
	vfpga_kp_unlock(&w->k->lock);
	return seen;
}

static int kptest_wait_irq(struct vfpga_kp_handle *h, struct kptest_ctx *k,
			   u32 timeout_ms)
{
	struct kptest_wait w = { .k = k };

	vfpga_kp_lock(&k->lock);
	w.irqs = k->c.dpc_requests;
	vfpga_kp_unlock(&k->lock);
	return vfpga_kp_wait_until(h, kptest_irq_seen, &w, timeout_ms);
}

static int kptest_dma_alloc(struct vfpga_kp_handle *h, struct kptest_ctx *k,
			    u64 size)
{
	struct vfpga_kp_dma_buf *buf, *old;
	int ret;

	ret = vfpga_kp_dma_alloc(h, size, &buf);
	if (ret)
		return ret;
	vfpga_kp_lock(&k->lock);
	old = k->dma;
	k->dma = buf;
	vfpga_kp_unlock(&k->lock);
	vfpga_kp_dma_free(h, old);
	return 0;
}

static int kptest_dma_free(struct vfpga_kp_handle *h, struct kptest_ctx *k)
{
	struct vfpga_kp_dma_buf *buf;

	vfpga_kp_lock(&k->lock);
	buf = k->dma;
	k->dma = NULL;
	vfpga_kp_unlock(&k->lock);
	if (!buf)
		return -ENOENT;
	vfpga_kp_dma_free(h, buf);
	return 0;
}

/*
 * MSG_DMA.  An H2C run without fake_size never touches the buffer itself,
 * only passes it to the core: the tests free it from another call
 * meanwhile, and only the core's answers tell whether it still exists.
 * C2H and fake_size runs read and write the buffer (its data, its size
 * field) and are not run against a concurrent free.
 */
static int kptest_dma(struct vfpga_kp_handle *h, struct kptest_ctx *k,
		      const struct vfpga_kp_kptest_dma *d,
		      struct vfpga_kp_kptest_dma_result *r)
{
	bool c2h = d->dir == 1, clear = false;
	struct vfpga_kp_dma_buf *buf;
	size_t real = 0;
	char *range = NULL;
	u64 sum;
	int ret = 0;

	memset(r, 0, sizeof(*r));
	if (d->dir > 1 || d->pad)
		return -EINVAL;
	vfpga_kp_lock(&k->lock);
	buf = k->dma;
	vfpga_kp_unlock(&k->lock);
	if (!buf)
		return -ENOENT;
	if (c2h || d->fake_size) {
		real = buf->size;
		range = (char *)buf->cpu + d->buf_offset;
		clear = c2h && d->buf_offset < real &&
			d->length <= real - d->buf_offset;
	}
	if (d->fake_size)
		buf->size = d->fake_size;
	while (r->iterations < d->iterations) {
		if (clear)
			memset(range, 0, d->length);
		ret = vfpga_kp_dma_xfer(h, buf, d->buf_offset,
					c2h ? VFPGA_KP_DMA_C2H :
					VFPGA_KP_DMA_H2C, d->channel,
					d->card_offset, d->length, NULL);
		if (ret)
			break;
		r->iterations++;
		if (clear) {
			sum = vfpga_kp_kptest_checksum(range, d->length);
			if (sum != d->expect)
				r->mismatches++;
			r->checksum = sum;
		}
	}
	if (d->fake_size)
		buf->size = real;
	return ret;
}

/* MSG_STREAM: the test reads the buffer only around its own transfer. */
static int kptest_stream(struct vfpga_kp_handle *h, struct kptest_ctx *k,
			 const struct vfpga_kp_kptest_stream *st,
			 struct vfpga_kp_kptest_stream_result *r)
{
	struct vfpga_kp_dma_buf *buf;
	bool c2h = st->dir == 1, eop = false;
	size_t done = 0;
	int ret;

	memset(r, 0, sizeof(*r));
	if (st->dir > 1)
		return -EINVAL;
	vfpga_kp_lock(&k->lock);
	buf = k->dma;
	vfpga_kp_unlock(&k->lock);
	if (!buf)
		return -ENOENT;
	/* Out of range is the core's to refuse: nothing is written then. */
	if (!c2h && st->buf_offset < buf->size &&
	    st->length <= buf->size - st->buf_offset)
		vfpga_kp_kptest_pattern((char *)buf->cpu + st->buf_offset,
					st->length, st->seed);
	ret = vfpga_kp_stream_xfer(h, buf, st->buf_offset,
				   c2h ? VFPGA_KP_DMA_C2H : VFPGA_KP_DMA_H2C,
				   st->channel, st->length, st->flags,
				   st->timeout_ms, &done, &eop, &r->status);
	if (ret)
		return ret;
	r->done = done;
	r->eop = eop;
	if (c2h)
		r->checksum = vfpga_kp_kptest_checksum((char *)buf->cpu +
						       st->buf_offset, done);
	return 0;
}

static int kptest_call(struct vfpga_kp_handle *h, void *ctx, u32 msg,
		       const void *in, size_t in_size, void *out,
		       size_t *out_size)
{
	struct kptest_ctx *k = ctx;
	struct vfpga_kp_kptest_counters c;
	struct vfpga_kp_kptest_info info;
	struct vfpga_kp_kptest_dma_result r;
	struct vfpga_kp_kptest_dma d;
	struct vfpga_kp_kptest_stream_result sr;
	struct vfpga_kp_kptest_stream st;
	u64 size;
	s32 err;
	u32 on;
	int ret;

	switch (msg) {
	case VFPGA_KP_KPTEST_MSG_INFO:
		if (*out_size < sizeof(info))
			return -EMSGSIZE;
		info.version = VFPGA_KP_KPTEST_VERSION;
		info.board_id = vfpga_kp_read32(h, VFPGA_BAR_USER,
						VFPGA_USER_ID);
		info.serial = k->serial;
		memcpy(out, &info, sizeof(info));
		*out_size = sizeof(info);
		return 0;
	case VFPGA_KP_KPTEST_MSG_FAIL:
		if (in_size != sizeof(err))
			return -EINVAL;
		memcpy(&err, in, sizeof(err));
		if (err >= 0 || err < -4095)
			return -EINVAL;
		*out_size = 0;
		return err;
	case VFPGA_KP_KPTEST_MSG_DECLINE:
		if (in_size != sizeof(on))
			return -EINVAL;
		memcpy(&on, in, sizeof(on));
		if (on > 1)
			return -EINVAL;
		vfpga_kp_lock(&k->lock);
		k->decline = on;
		vfpga_kp_unlock(&k->lock);
		*out_size = 0;
		return 0;
	case VFPGA_KP_KPTEST_MSG_COUNTERS:
		if (*out_size < sizeof(c))
			return -EMSGSIZE;
		vfpga_kp_lock(&k->lock);
		c = k->c;
		vfpga_kp_unlock(&k->lock);
		vfpga_kp_lock(&kptest.lock);
		c.opens = kptest.opens;
		c.closes = kptest.closes;
		c.removed_all = kptest.removed_all;
		vfpga_kp_unlock(&kptest.lock);
		memcpy(out, &c, sizeof(c));
		*out_size = sizeof(c);
		return 0;
	case VFPGA_KP_KPTEST_MSG_WAIT_IRQ:
		if (in_size != sizeof(on))
			return -EINVAL;
		memcpy(&on, in, sizeof(on));
		*out_size = 0;
		return kptest_wait_irq(h, k, on);
	case VFPGA_KP_KPTEST_MSG_DMA_ALLOC:
		if (in_size != sizeof(size))
			return -EINVAL;
		memcpy(&size, in, sizeof(size));
		*out_size = 0;
		return kptest_dma_alloc(h, k, size);
	case VFPGA_KP_KPTEST_MSG_DMA_FREE:
		*out_size = 0;
		return kptest_dma_free(h, k);
	case VFPGA_KP_KPTEST_MSG_DMA:
		if (in_size != sizeof(d))
			return -EINVAL;
		if (*out_size < sizeof(r))
			return -EMSGSIZE;
		memcpy(&d, in, sizeof(d));
		ret = kptest_dma(h, k, &d, &r);
		if (ret)
			return ret;
		memcpy(out, &r, sizeof(r));
		*out_size = sizeof(r);
		return 0;
	case VFPGA_KP_KPTEST_MSG_STREAM:
		if (in_size != sizeof(st))
			return -EINVAL;
		if (*out_size < sizeof(sr))
			return -EMSGSIZE;
		memcpy(&st, in, sizeof(st));
		ret = kptest_stream(h, k, &st, &sr);
		if (ret)
			return ret;
		memcpy(out, &sr, sizeof(sr));
		*out_size = sizeof(sr);
		return 0;
	}
	return -ENOMSG;
}

static void kptest_event(struct vfpga_kp_handle *h, void *ctx,
			 enum vfpga_kp_event event)
{
	struct kptest_ctx *k = ctx;

	if (event != VFPGA_KP_EVENT_REMOVED)
		return;
	vfpga_kp_lock(&k->lock);
	k->c.removed++;
	vfpga_kp_unlock(&k->lock);
	vfpga_kp_lock(&kptest.lock);
	kptest.removed_all++;
	vfpga_kp_unlock(&kptest.lock);
	vfpga_kp_info(h, "board removed (handle %llu)\n",
		      (unsigned long long)k->serial);
}

static int kptest_init(void)
{
	vfpga_kp_lock_init(&kptest.lock);
	return 0;
}

static const struct vfpga_kp_ops kptest_ops = {
	.owner = THIS_MODULE,
	.name = VFPGA_KP_KPTEST_NAME,
	.ctx_size = sizeof(struct kptest_ctx),
	.init = kptest_init,
	.open = kptest_open,
	.close = kptest_close,
	.call = kptest_call,
	.int_at_irql = kptest_int_at_irql,
	.int_at_dpc = kptest_int_at_dpc,
	.event = kptest_event,
};

static const struct vfpga_kp_ops kptest_failopen_ops = {
	.owner = THIS_MODULE,
	.name = VFPGA_KP_KPTEST_FAILOPEN_NAME,
	.ctx_size = sizeof(struct kptest_ctx),
	.open = kptest_failopen,
	.close = kptest_close,
	.call = kptest_call,
};

static int __init kptest_module_init(void)
{
	int ret;

	ret = vfpga_kp_register(&kptest_ops);
	if (ret)
		return ret;
	ret = vfpga_kp_register(&kptest_failopen_ops);
	if (ret)
		vfpga_kp_unregister(&kptest_ops);
	return ret;
}
module_init(kptest_module_init);

static void __exit kptest_module_exit(void)
{
	vfpga_kp_unregister(&kptest_failopen_ops);
	vfpga_kp_unregister(&kptest_ops);
}
module_exit(kptest_module_exit);

MODULE_DESCRIPTION("vfpga test kernel plugin: steerable failures");
MODULE_LICENSE("GPL");
