// SPDX-License-Identifier: GPL-2.0
/*
 * The sample vfpga kernel plugin: the template to copy for a plugin of
 * your own.  It shows every part of the contract in kp/vfpga_kp.h:
 *  - int_at_irql takes the board's user interrupts in hard-IRQ context:
 *    it checks that the interrupt generator has one pending (else "not
 *    mine"), timestamps it with the device clock, acknowledges it and
 *    asks for the deferred part;
 *  - int_at_dpc runs later with the number of requests since its last run
 *    and decides how many times user mode wakes up;
 *  - call answers the messages of vfpga_kp_sample.h, the header shared
 *    with user mode.
 * All state is per handle, in the context the core allocates for it.
 *
 * This one file is both the kernel module and, built by the userlib's
 * Makefile, the user-mode plugin libvfpga hosts: it includes only
 * vfpga_kp.h and its message header, so nothing in it depends on the mode.
 */
#include "vfpga_kp.h"
#include "vfpga_kp_sample.h"

struct sample_ctx {
	struct vfpga_kp_lock lock;	/* everything below */
	struct vfpga_kp_sample_counters c;
	u32 wake;			/* VFPGA_KP_SAMPLE_WAKE_* */
};

static u32 user_read(struct vfpga_kp_handle *h, u32 reg)
{
	return vfpga_kp_read32(h, VFPGA_BAR_USER, reg);
}

static void user_write(struct vfpga_kp_handle *h, u32 reg, u32 value)
{
	vfpga_kp_write32(h, VFPGA_BAR_USER, reg, value);
}

/* A 64-bit device-clock register: reading LO latches HI. */
static u64 user_read64(struct vfpga_kp_handle *h, u32 lo, u32 hi)
{
	u64 v = user_read(h, lo);

	return v | (u64)user_read(h, hi) << 32;
}

static void sample_clear(struct sample_ctx *s)
{
	memset(&s->c, 0, sizeof(s->c));
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
	u64 now, raised, lat;

	if (!(user_read(h, VFPGA_IRQGEN_STATUS) & VFPGA_IRQGEN_STATUS_PENDING))
		return false;
	now = user_read64(h, VFPGA_USER_TIME_LO, VFPGA_USER_TIME_HI);
	raised = user_read64(h, VFPGA_IRQGEN_LAST_RAISE_LO,
			     VFPGA_IRQGEN_LAST_RAISE_HI);
	lat = now - raised;

	vfpga_kp_lock(&s->lock);
	s->c.irqs++;
	s->c.latency_sum_ns += lat;
	if (lat < s->c.latency_min_ns)
		s->c.latency_min_ns = lat;
	if (lat > s->c.latency_max_ns)
		s->c.latency_max_ns = lat;
	vfpga_kp_unlock(&s->lock);

	/* Last: in ping-pong mode the acknowledge raises the next one. */
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

static int sample_storm(struct vfpga_kp_handle *h, struct sample_ctx *s,
			const struct vfpga_kp_sample_storm *st)
{
	if (st->line >= VFPGA_USER_IRQ_LINES || !st->count)
		return -EINVAL;
	if (user_read(h, VFPGA_IRQGEN_STATUS) & VFPGA_IRQGEN_STATUS_BUSY)
		return -EBUSY;
	vfpga_kp_lock(&s->lock);
	sample_clear(s);
	vfpga_kp_unlock(&s->lock);
	user_write(h, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_PINGPONG);
	user_write(h, VFPGA_IRQGEN_LINE, st->line);
	user_write(h, VFPGA_IRQGEN_COUNT, st->count);
	user_write(h, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
	return 0;
}

static int sample_call(struct vfpga_kp_handle *h, void *ctx, u32 msg,
		       const void *in, size_t in_size, void *out,
		       size_t *out_size)
{
	struct sample_ctx *s = ctx;
	struct vfpga_kp_sample_version v;
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
	}
	return -ENOMSG;
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
