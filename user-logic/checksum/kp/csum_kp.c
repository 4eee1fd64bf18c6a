// SPDX-License-Identifier: GPL-2.0
/*
 * The checksum engine's kernel plugin: drives the sample user logic
 * (user-logic/checksum/, registers in checksum_regs.h) from the kernel.
 * A call starts one job of the engine, a SCAN of card memory or an H2C
 * transfer checksummed on the AXI4 path, and sleeps until the engine's
 * DONE interrupt; int_at_irql takes that interrupt in hard-IRQ context,
 * reads RESULT and clears DONE (the line drops), and wakes the call.
 * csum_kp.h has the messages.  Kernel mode only: in user mode the core
 * would acknowledge the reference design's interrupt generator, which
 * this board does not have.
 */
#include "vfpga_kp.h"
#include "checksum_regs.h"
#include "csum_kp.h"

struct csum_ctx {
	struct vfpga_kp_lock lock;	/* everything below */
	bool running;			/* a job of this handle */
	bool done;			/* its interrupt came */
	u32 result;
	u32 status;
	u32 irqs;
	struct vfpga_kp_dma_buf *buf;	/* DMA jobs' data, grown as needed */
};

static u32 csum_read(struct vfpga_kp_handle *h, u32 reg)
{
	return vfpga_kp_read32(h, VFPGA_BAR_USER, reg);
}

static void csum_write(struct vfpga_kp_handle *h, u32 reg, u32 value)
{
	vfpga_kp_write32(h, VFPGA_BAR_USER, reg, value);
}

/* Only a checksum engine: the plugin knows no other board. */
static int csum_open(struct vfpga_kp_handle *h, void *ctx)
{
	struct csum_ctx *c = ctx;
	u32 id = csum_read(h, CSUM_ID);

	if (id != CSUM_ID_MAGIC) {
		vfpga_kp_info(h, "user logic ID %#x is not a checksum engine\n",
			      id);
		return -ENODEV;
	}
	vfpga_kp_lock_init(&c->lock);
	return 0;
}

static void csum_close(struct vfpga_kp_handle *h, void *ctx)
{
	struct csum_ctx *c = ctx;

	vfpga_kp_dma_free(h, c->buf);
}

static bool csum_int_at_irql(struct vfpga_kp_handle *h, void *ctx,
			     bool *run_dpc)
{
	struct csum_ctx *c = ctx;
	u32 status = csum_read(h, CSUM_STATUS);

	if (status == U32_MAX || !(status & CSUM_STATUS_DONE))
		return false;
	vfpga_kp_lock(&c->lock);
	c->result = csum_read(h, CSUM_RESULT);
	c->status = status;
	c->irqs++;
	c->done = true;
	vfpga_kp_unlock(&c->lock);
	/* Clearing DONE drops usr_irq_req: acknowledged at the device. */
	csum_write(h, CSUM_STATUS, CSUM_STATUS_DONE);
	*run_dpc = false;
	vfpga_kp_wake(h);
	return true;
}

static unsigned int csum_int_at_dpc(struct vfpga_kp_handle *h, void *ctx,
				    unsigned int count)
{
	return 0;
}

static bool csum_job_done(void *arg)
{
	struct csum_ctx *c = arg;
	bool done;

	vfpga_kp_lock(&c->lock);
	done = c->done;
	vfpga_kp_unlock(&c->lock);
	return done;
}

/* Program the window and the interrupt; false if a job is running. */
static bool csum_job_begin(struct vfpga_kp_handle *h, struct csum_ctx *c,
			   const struct csum_kp_job *j)
{
	bool busy;

	vfpga_kp_lock(&c->lock);
	busy = c->running;
	c->running = true;
	c->done = false;
	vfpga_kp_unlock(&c->lock);
	if (busy)
		return false;
	csum_write(h, CSUM_BASE_LO, lower_32_bits(j->base));
	csum_write(h, CSUM_BASE_HI, upper_32_bits(j->base));
	csum_write(h, CSUM_LENGTH, j->length);
	csum_write(h, CSUM_IRQ_LINE, j->line);
	csum_write(h, CSUM_LATENCY_NS, j->latency_ns);
	return true;
}

static int csum_job_end(struct vfpga_kp_handle *h, struct csum_ctx *c,
			int ret, struct csum_kp_result *r)
{
	if (!ret)
		ret = vfpga_kp_wait_until(h, csum_job_done, c,
					  CSUM_KP_WAIT_MS);
	if (ret)
		csum_write(h, CSUM_CTRL, CSUM_CTRL_ABORT);
	vfpga_kp_lock(&c->lock);
	r->result = c->result;
	r->status = c->status;
	r->irqs = c->irqs;
	c->running = false;
	vfpga_kp_unlock(&c->lock);
	return ret;
}

static int csum_scan(struct vfpga_kp_handle *h, struct csum_ctx *c,
		     const struct csum_kp_job *j, struct csum_kp_result *r)
{
	if (!csum_job_begin(h, c, j))
		return -EBUSY;
	csum_write(h, CSUM_CTRL, CSUM_CTRL_SCAN);
	return csum_job_end(h, c, 0, r);
}

static int csum_dma(struct vfpga_kp_handle *h, struct csum_ctx *c,
		    const struct csum_kp_job *j, struct csum_kp_result *r)
{
	int ret = 0;

	if (j->length > CSUM_KP_DMA_MAX)
		return -EINVAL;
	if (!csum_job_begin(h, c, j))
		return -EBUSY;
	if (!c->buf || c->buf->size < j->length) {
		vfpga_kp_dma_free(h, c->buf);
		c->buf = NULL;
		ret = vfpga_kp_dma_alloc(h, j->length, &c->buf);
	}
	if (!ret) {
		csum_kp_pattern(j->seed, c->buf->cpu, j->length);
		csum_write(h, CSUM_CTRL, CSUM_CTRL_ARM);
		ret = vfpga_kp_dma_xfer(h, c->buf, 0, VFPGA_KP_DMA_H2C, 0,
					j->base, j->length, &r->dma_status);
	}
	return csum_job_end(h, c, ret, r);
}

static int csum_call(struct vfpga_kp_handle *h, void *ctx, u32 msg,
		     const void *in, size_t in_size, void *out,
		     size_t *out_size)
{
	struct csum_ctx *c = ctx;
	struct csum_kp_result r = { 0 };
	struct csum_kp_job j;
	int ret;

	if (msg != CSUM_KP_MSG_SCAN && msg != CSUM_KP_MSG_DMA)
		return -ENOMSG;
	if (in_size != sizeof(j))
		return -EINVAL;
	if (*out_size < sizeof(r))
		return -EMSGSIZE;
	memcpy(&j, in, sizeof(j));
	if (!j.length || j.line >= VFPGA_USER_IRQ_LINES)
		return -EINVAL;
	if (msg == CSUM_KP_MSG_SCAN)
		ret = csum_scan(h, c, &j, &r);
	else
		ret = csum_dma(h, c, &j, &r);
	if (ret)
		return ret;
	memcpy(out, &r, sizeof(r));
	*out_size = sizeof(r);
	return 0;
}

static const struct vfpga_kp_ops csum_ops = {
	.owner = THIS_MODULE,
	.name = CSUM_KP_NAME,
	.ctx_size = sizeof(struct csum_ctx),
	.open = csum_open,
	.close = csum_close,
	.call = csum_call,
	.int_at_irql = csum_int_at_irql,
	.int_at_dpc = csum_int_at_dpc,
};

static int __init csum_init(void)
{
	return vfpga_kp_register(&csum_ops);
}
module_init(csum_init);

static void __exit csum_exit(void)
{
	vfpga_kp_unregister(&csum_ops);
}
module_exit(csum_exit);

MODULE_DESCRIPTION("vfpga checksum engine kernel plugin");
MODULE_LICENSE("GPL");
