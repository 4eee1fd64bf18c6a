// SPDX-License-Identifier: GPL-2.0
/*
 * The sample vfpga kernel plugin: the template to copy for a plugin of
 * your own.  It shows every part of the contract in vfpga_kp.h:
 *  - int_at_irql takes the board's user interrupts in hard-IRQ context:
 *    it checks that the interrupt generator has one pending (else "not
 *    mine"), timestamps it with the device clock, acknowledges it and
 *    asks for the deferred part (in user mode the core has checked and
 *    acknowledged it already: vfpga_kp_int_acked());
 *  - int_at_dpc runs later with the number of requests since its last run
 *    and decides how many times user mode wakes up;
 *  - call answers the messages of vfpga_kp_sample.h, the header shared
 *    with user mode, among them DMA transfers the plugin runs and waits
 *    for itself, one buffer per channel so that channels run in parallel.
 * All state is per handle, in the context the core allocates for it.
 *
 * This one file is both the kernel module and, built by its Makefile's
 * `user` target (include/vfpga/vfpga-plugin.mk), the user-mode plugin
 * libvfpga hosts: it includes only vfpga_kp.h and its message header, so
 * nothing in it depends on the mode.
 */
#include "vfpga_kp.h"
#include "vfpga_kp_sample.h"

struct sample_ctx {
	struct vfpga_kp_lock lock;	/* everything below */
	struct vfpga_kp_sample_counters c;
	struct vfpga_kp_sample_latency lat;
	u32 wake;			/* VFPGA_KP_SAMPLE_WAKE_* */
	/* DMA: a buffer per direction and channel, busy while in use. */
	struct vfpga_kp_dma_buf *dma[2][XDMA_MAX_CHANNELS];
	bool dma_busy[2][XDMA_MAX_CHANNELS];
};

static u32 user_read(struct vfpga_kp_handle *h, u32 reg)
{
	return vfpga_kp_read32(h, VFPGA_BAR_USER, reg);
}

static void user_write(struct vfpga_kp_handle *h, u32 reg, u32 value)
{
	vfpga_kp_write32(h, VFPGA_BAR_USER, reg, value);
}

/*
 * A 64-bit device-clock register, read whole in one access (BAR0 takes
 * 64-bit reads): one access instead of two per interrupt.
 */
static u64 user_read64(struct vfpga_kp_handle *h, u32 lo)
{
	return vfpga_kp_read64(h, VFPGA_BAR_USER, lo);
}

static void sample_clear(struct sample_ctx *s)
{
	memset(&s->c, 0, sizeof(s->c));
	memset(&s->lat, 0, sizeof(s->lat));
	s->c.latency_min_ns = U64_MAX;
}

static int sample_open(struct vfpga_kp_handle *h, void *ctx)
{
	struct sample_ctx *s = ctx;

	vfpga_kp_lock_init(&s->lock);
	sample_clear(s);
	s->wake = VFPGA_KP_SAMPLE_WAKE_PER_DPC;
	return 0;
}

static bool sample_int_at_irql(struct vfpga_kp_handle *h, void *ctx,
			       bool *run_dpc)
{
	struct sample_ctx *s = ctx;
	bool acked = vfpga_kp_int_acked(h);
	u64 now, raised, lat;

	if (!acked &&
	    !(user_read(h, VFPGA_IRQGEN_STATUS) & VFPGA_IRQGEN_STATUS_PENDING))
		return false;
	now = user_read64(h, VFPGA_USER_TIME_LO);
	raised = user_read64(h, VFPGA_IRQGEN_LAST_RAISE_LO);
	lat = now - raised;

	vfpga_kp_lock(&s->lock);
	s->c.irqs++;
	s->c.latency_sum_ns += lat;
	if (lat < s->c.latency_min_ns)
		s->c.latency_min_ns = lat;
	if (lat > s->c.latency_max_ns)
		s->c.latency_max_ns = lat;
	s->lat.count++;
	s->lat.max_ns = s->c.latency_max_ns;
	s->lat.hist[vfpga_kp_sample_lat_bucket(lat)]++;
	vfpga_kp_unlock(&s->lock);

	/* Last: in ping-pong mode the acknowledge raises the next one. */
	if (!acked)
		user_write(h, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
	*run_dpc = true;
	return true;
}

static unsigned int sample_int_at_dpc(struct vfpga_kp_handle *h, void *ctx,
				      unsigned int count)
{
	struct sample_ctx *s = ctx;
	unsigned int wakes;

	vfpga_kp_lock(&s->lock);
	switch (s->wake) {
	case VFPGA_KP_SAMPLE_WAKE_NONE:
		wakes = 0;
		break;
	case VFPGA_KP_SAMPLE_WAKE_PER_IRQ:
		wakes = count;
		break;
	default:
		wakes = 1;
		break;
	}
	s->c.dpc_runs++;
	s->c.dpc_requests += count;
	s->c.wakeups += wakes;
	vfpga_kp_unlock(&s->lock);
	return wakes;
}

/*
 * Clear the counters and start the interrupt generator in @mode with
 * @p's settings (a ping-pong run leaves rate, duration and queue unused).
 */
static int sample_start(struct vfpga_kp_handle *h, struct sample_ctx *s,
			u32 mode, const struct vfpga_kp_sample_paced *p)
{
	if (p->line >= VFPGA_USER_IRQ_LINES ||
	    p->flags & ~VFPGA_KP_SAMPLE_ROTATE)
		return -EINVAL;
	if (user_read(h, VFPGA_IRQGEN_STATUS) & VFPGA_IRQGEN_STATUS_BUSY)
		return -EBUSY;
	vfpga_kp_lock(&s->lock);
	sample_clear(s);
	vfpga_kp_unlock(&s->lock);
	if (p->flags & VFPGA_KP_SAMPLE_ROTATE)
		mode |= VFPGA_IRQGEN_MODE_ROTATE;
	user_write(h, VFPGA_IRQGEN_MODE, mode);
	user_write(h, VFPGA_IRQGEN_LINE, p->line);
	user_write(h, VFPGA_IRQGEN_COUNT, p->count);
	user_write(h, VFPGA_IRQGEN_RATE, p->rate);
	user_write(h, VFPGA_IRQGEN_DURATION_US, p->duration_us);
	user_write(h, VFPGA_IRQGEN_QUEUE_DEPTH, p->queue_depth);
	user_write(h, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
	return 0;
}

static int sample_storm(struct vfpga_kp_handle *h, struct sample_ctx *s,
			const struct vfpga_kp_sample_storm *st)
{
	struct vfpga_kp_sample_paced p = {
		.line = st->line, .count = st->count, .flags = st->flags,
	};

	if (!st->count)
		return -EINVAL;
	return sample_start(h, s, VFPGA_IRQGEN_MODE_PINGPONG, &p);
}

static int sample_paced(struct vfpga_kp_handle *h, struct sample_ctx *s,
			const struct vfpga_kp_sample_paced *p)
{
	if (!p->rate || (!p->count && !p->duration_us) ||
	    p->queue_depth > VFPGA_IRQGEN_QUEUE_MAX)
		return -EINVAL;
	return sample_start(h, s, VFPGA_IRQGEN_MODE_PACED, p);
}

/* Claim the buffer of @dir/@chan, (re)allocated to hold @len bytes. */
static int sample_dma_get(struct vfpga_kp_handle *h, struct sample_ctx *s,
			  u32 dir, u32 chan, u64 len,
			  struct vfpga_kp_dma_buf **buf)
{
	int ret = 0;

	vfpga_kp_lock(&s->lock);
	if (s->dma_busy[dir][chan])
		ret = -EBUSY;
	s->dma_busy[dir][chan] = true;
	vfpga_kp_unlock(&s->lock);
	if (ret)
		return ret;
	*buf = s->dma[dir][chan];
	if (*buf && (*buf)->size >= len)
		return 0;
	/* Sleeps: outside the lock, the slot is ours while busy. */
	vfpga_kp_dma_free(h, *buf);
	s->dma[dir][chan] = NULL;
	ret = vfpga_kp_dma_alloc(h, len, buf);
	if (ret) {
		vfpga_kp_lock(&s->lock);
		s->dma_busy[dir][chan] = false;
		vfpga_kp_unlock(&s->lock);
		return ret;
	}
	s->dma[dir][chan] = *buf;
	return 0;
}

static void sample_dma_put(struct sample_ctx *s, u32 dir, u32 chan)
{
	vfpga_kp_lock(&s->lock);
	s->dma_busy[dir][chan] = false;
	vfpga_kp_unlock(&s->lock);
}

static int sample_dma(struct vfpga_kp_handle *h, struct sample_ctx *s,
		      const struct vfpga_kp_sample_dma *d,
		      struct vfpga_kp_sample_dma_result *r)
{
	struct vfpga_kp_dma_buf *buf;
	u64 t0;
	int ret = 0;

	memset(r, 0, sizeof(*r));
	if (d->dir > VFPGA_KP_SAMPLE_DMA_C2H ||
	    d->channel >= XDMA_MAX_CHANNELS || !d->length ||
	    d->length > VFPGA_KP_SAMPLE_DMA_MAX || !d->iterations)
		return -EINVAL;
	ret = sample_dma_get(h, s, d->dir, d->channel, d->length, &buf);
	if (ret)
		return ret;
	if (d->dir == VFPGA_KP_SAMPLE_DMA_H2C)
		vfpga_kp_sample_pattern(d->seed, buf->cpu, d->length);
	t0 = vfpga_kp_time_ns();
	while (r->iterations < d->iterations) {
		ret = vfpga_kp_dma_xfer(h, buf, 0,
					d->dir == VFPGA_KP_SAMPLE_DMA_H2C ?
					VFPGA_KP_DMA_H2C : VFPGA_KP_DMA_C2H,
					d->channel, d->card_offset, d->length,
					&r->status);
		if (ret)
			break;
		r->iterations++;
	}
	r->total_ns = vfpga_kp_time_ns() - t0;
	r->checksum = vfpga_kp_sample_checksum(buf->cpu, d->length);
	sample_dma_put(s, d->dir, d->channel);
	return ret;
}

static int sample_call(struct vfpga_kp_handle *h, void *ctx, u32 msg,
		       const void *in, size_t in_size, void *out,
		       size_t *out_size)
{
	struct sample_ctx *s = ctx;
	struct vfpga_kp_sample_version v;
	struct vfpga_kp_sample_dma_result r;
	struct vfpga_kp_sample_dma d;
	int ret;
	u32 wake;

	switch (msg) {
	case VFPGA_KP_SAMPLE_MSG_VERSION:
		if (*out_size < sizeof(v))
			return -EMSGSIZE;
		v.version = VFPGA_KP_SAMPLE_VERSION;
		v.board_id = user_read(h, VFPGA_USER_ID);
		memcpy(out, &v, sizeof(v));
		*out_size = sizeof(v);
		return 0;
	case VFPGA_KP_SAMPLE_MSG_COUNTERS:
		if (*out_size < sizeof(s->c))
			return -EMSGSIZE;
		vfpga_kp_lock(&s->lock);
		memcpy(out, &s->c, sizeof(s->c));
		vfpga_kp_unlock(&s->lock);
		*out_size = sizeof(s->c);
		return 0;
	case VFPGA_KP_SAMPLE_MSG_STORM:
		if (in_size != sizeof(struct vfpga_kp_sample_storm))
			return -EINVAL;
		*out_size = 0;
		return sample_storm(h, s, in);
	case VFPGA_KP_SAMPLE_MSG_SET_WAKE:
		if (in_size != sizeof(wake))
			return -EINVAL;
		memcpy(&wake, in, sizeof(wake));
		if (wake > VFPGA_KP_SAMPLE_WAKE_PER_IRQ)
			return -EINVAL;
		vfpga_kp_lock(&s->lock);
		s->wake = wake;
		vfpga_kp_unlock(&s->lock);
		*out_size = 0;
		return 0;
	case VFPGA_KP_SAMPLE_MSG_PACED:
		if (in_size != sizeof(struct vfpga_kp_sample_paced))
			return -EINVAL;
		*out_size = 0;
		return sample_paced(h, s, in);
	case VFPGA_KP_SAMPLE_MSG_LATENCY:
		if (*out_size < sizeof(s->lat))
			return -EMSGSIZE;
		vfpga_kp_lock(&s->lock);
		memcpy(out, &s->lat, sizeof(s->lat));
		vfpga_kp_unlock(&s->lock);
		*out_size = sizeof(s->lat);
		return 0;
	case VFPGA_KP_SAMPLE_MSG_DMA:
		if (in_size != sizeof(d))
			return -EINVAL;
		if (*out_size < sizeof(r))
			return -EMSGSIZE;
		memcpy(&d, in, sizeof(d));
		ret = sample_dma(h, s, &d, &r);
		if (ret == -EIO) {
			vfpga_kp_err(h, "DMA %s channel %u: error %d, status 0x%x after %u runs\n",
				     d.dir ? "C2H" : "H2C", d.channel, ret,
				     r.status, r.iterations);
		}
		if (ret)
			return ret;
		memcpy(out, &r, sizeof(r));
		*out_size = sizeof(r);
		return 0;
	}
	return -ENOMSG;
}

/* What a handle's DMA buffers held goes with it. */
static void sample_close(struct vfpga_kp_handle *h, void *ctx)
{
	struct sample_ctx *s = ctx;
	unsigned int dir, chan;

	for (dir = 0; dir < 2; dir++)
		for (chan = 0; chan < XDMA_MAX_CHANNELS; chan++)
			vfpga_kp_dma_free(h, s->dma[dir][chan]);
}

static void sample_event(struct vfpga_kp_handle *h, void *ctx,
			 enum vfpga_kp_event event)
{
	if (event == VFPGA_KP_EVENT_REMOVED)
		vfpga_kp_info(h, "board removed\n");
}

static const struct vfpga_kp_ops sample_ops = {
	.owner = THIS_MODULE,
	.name = VFPGA_KP_SAMPLE_NAME,
	.ctx_size = sizeof(struct sample_ctx),
	.open = sample_open,
	.close = sample_close,
	.call = sample_call,
	.int_at_irql = sample_int_at_irql,
	.int_at_dpc = sample_int_at_dpc,
	.event = sample_event,
};

static int __init sample_init(void)
{
	return vfpga_kp_register(&sample_ops);
}
module_init(sample_init);

static void __exit sample_exit(void)
{
	vfpga_kp_unregister(&sample_ops);
}
module_exit(sample_exit);

MODULE_DESCRIPTION("vfpga sample kernel plugin");
MODULE_LICENSE("GPL");
