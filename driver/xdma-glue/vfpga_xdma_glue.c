// SPDX-License-Identifier: GPL-2.0
/*
 * vfpga_xdma_glue: the vfpga board driven by Linux's upstream XDMA dmaengine
 * driver (drivers/dma/xilinx/xdma.c) instead of our own vfpga driver.
 *
 * As a real board's PCI driver does (drivers/media/pci/mgb4/mgb4_core.c),
 * the glue enables the PCI function, allocates one MSI-X vector per DMA
 * channel (H2C first, then C2H) plus one per user interrupt line, and
 * registers the platform device "xdma" with the XDMA BAR and that range of
 * Linux IRQs; xdma.ko binds to it and offers the channels as dmaengine
 * slaves named h2c<n> and c2h<n>.
 *
 * For the tests, the glue maps card memory (BAR2), the user logic (BAR0,
 * for its interrupt generator) and, read-only for diagnostics, the XDMA
 * register blocks, and offers in debugfs (vfpga-xdma-glue/<pci name>/):
 *   info   what upstream found and programmed
 *   xfer   write "h2c|c2h CHAN CARD_OFFSET LAYOUT", read the result, where
 *          LAYOUT is one of
 *            contig SIZE              one buffer, one segment
 *            split SIZE SEGLEN        one buffer cut into SEGLEN segments
 *            pages LEN@OFF[,LEN@OFF]  one page per segment, none adjacent
 *          The transfer goes through dma_request_chan, slave config,
 *          prep_slave_sg, submit and issue_pending; the glue then compares
 *          card memory (through BAR2) with the host buffer byte for byte.
 *   uirq   write "LINE COUNT", read the result: COUNT interrupts raised by
 *          the board's generator on user line LINE, through upstream's
 *          user interrupt API.
 *
 * Load it only instead of the vfpga driver: both bind 1af4:10f0.
 */

#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/dma/amd_xdma.h>
#include <linux/dmaengine.h>
#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/platform_data/amd_xdma.h>
#include <linux/platform_device.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vfpga_regs.h"

#define VXG_NAME		"vfpga-xdma-glue"
#define VXG_SLAVES		(2 * XDMA_MAX_CHANNELS)
#define VXG_GUARD		64	/* bytes checked beyond each end */
#define VXG_TIMEOUT_MS		10000	/* for one transfer or irq burst */
#define VXG_POLL_MS		10	/* how often to look for an error */
#define VXG_MAX_SEGS		8192
#define VXG_POISON		0xa5	/* host bytes outside the segments */
#define VXG_CMD_MAX		4096
#define VXG_RESULT_MAX		1024
/* Channel, IRQ and SGDMA blocks: what the diagnostics read. */
#define VXG_REGS_SIZE		(XDMA_C2H_SGDMA_BASE + \
				 XDMA_MAX_CHANNELS * XDMA_CHAN_STRIDE)

enum vxg_dir { VXG_H2C, VXG_C2H };

static const char * const vxg_dir_name[] = { "h2c", "c2h" };

/* What the filter of upstream's slave map matches: the direction. */
static struct xdma_chan_info vxg_chan_info[] = {
	[VXG_H2C] = { .dir = DMA_MEM_TO_DEV },
	[VXG_C2H] = { .dir = DMA_DEV_TO_MEM },
};

struct vxg_dev {
	struct pci_dev *pdev;
	void __iomem *user;		/* BAR0 */
	void __iomem *regs;		/* BAR1 up to the SGDMA blocks */
	void __iomem *card;		/* BAR2 */
	resource_size_t card_size;
	unsigned int nchan[2];		/* per direction */
	unsigned int nvec;
	int irq_base;
	struct platform_device *xdma;
	struct dma_slave_map map[VXG_SLAVES];
	char slave[VXG_SLAVES][8];
	struct dma_chan *chan[2][XDMA_MAX_CHANNELS];
	struct mutex lock;		/* one test at a time; chan[] */
	struct dentry *dbg;
	atomic_t uirq_count;
	int uirq_target;
	struct completion uirq_done;
};

static struct dentry *vxg_dbg_root;

/* BAR1 offsets of the channel and SGDMA blocks of channel @n. */
static u32 vxg_chan_base(enum vxg_dir dir, unsigned int n)
{
	return (dir == VXG_H2C ? XDMA_H2C_BASE : XDMA_C2H_BASE) +
	       n * XDMA_CHAN_STRIDE;
}

static u32 vxg_sgdma_base(enum vxg_dir dir, unsigned int n)
{
	return (dir == VXG_H2C ? XDMA_H2C_SGDMA_BASE : XDMA_C2H_SGDMA_BASE) +
	       n * XDMA_CHAN_STRIDE;
}

static u32 vxg_reg(struct vxg_dev *xg, u32 off)
{
	return ioread32(xg->regs + off);
}

/* The byte expected at position @pos of a transfer. */
static u8 vxg_pattern(u32 seed, u64 pos)
{
	u32 x = seed ^ (u32)(pos * 0x9e3779b1u) ^ (u32)(pos >> 32);

	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	x ^= x >> 12;
	return x;
}

/* ---- transfers --------------------------------------------------------- */

struct vxg_xfer {
	enum vxg_dir dir;
	unsigned int chan;
	u64 offset;			/* in card memory */
	resource_size_t card_size;
	unsigned int nseg;
	bool pages;			/* one page per segment */
	u32 *len;
	u32 *off;			/* pages: offset in the page */
	size_t total;
	/* the host buffer */
	void *buf;			/* contiguous, VXG_GUARD each side */
	size_t buf_size;
	struct page **page;		/* pages: order-1 blocks */
	struct sg_table sgt;
	/* the card window: the range and VXG_GUARD each side */
	u64 win_start;
	size_t win_size;
	u8 *win_before;
	u8 *win_after;
	u32 seed;
};

struct vxg_result {
	const char *status;
	enum dma_status dma_status;
	int cb_result;			/* -1: no callback */
	int nents;
	u64 ns;
	size_t mismatches;
	s64 first_mismatch;
	u8 expected, got;
	size_t guard_errors;
	u32 hw_status, hw_completed, hw_desc_lo, hw_desc_hi, hw_adj;
	const char *chan_name;
	int chan_id;
};

struct vxg_wait {
	struct completion done;
	ktime_t end;
	int result;
};

static void vxg_dma_done(void *param, const struct dmaengine_result *result)
{
	struct vxg_wait *w = param;

	w->end = ktime_get();
	w->result = result ? result->result : DMA_TRANS_NOERROR;
	complete(&w->done);
}

static void *vxg_seg_virt(struct vxg_xfer *x, unsigned int i, size_t pos)
{
	if (x->pages)
		return page_address(x->page[i]) + x->off[i];
	return x->buf + VXG_GUARD + pos;
}

static void vxg_xfer_free(struct vxg_xfer *x)
{
	unsigned int i;

	sg_free_table(&x->sgt);
	if (x->page) {
		for (i = 0; i < x->nseg; i++)
			if (x->page[i])
				__free_pages(x->page[i], 1);
		kfree(x->page);
	}
	if (x->buf)
		free_pages_exact(x->buf, x->buf_size);
	kvfree(x->win_before);
	kvfree(x->win_after);
	kfree(x->len);
	kfree(x->off);
}

/* Host buffers and the scatterlist; every host byte starts as poison. */
static int vxg_xfer_alloc(struct vxg_xfer *x)
{
	struct scatterlist *sg;
	size_t pos = 0;
	unsigned int i;
	int ret;

	ret = sg_alloc_table(&x->sgt, x->nseg, GFP_KERNEL);
	if (ret)
		return ret;
	if (x->pages) {
		x->page = kcalloc(x->nseg, sizeof(*x->page), GFP_KERNEL);
		if (!x->page)
			return -ENOMEM;
	} else {
		x->buf_size = x->total + 2 * VXG_GUARD;
		x->buf = alloc_pages_exact(x->buf_size, GFP_KERNEL);
		if (!x->buf)
			return -ENOMEM;
		memset(x->buf, VXG_POISON, x->buf_size);
	}
	for_each_sg(x->sgt.sgl, sg, x->nseg, i) {
		if (x->pages) {
			/* Order 1, first page used: no two segments touch. */
			x->page[i] = alloc_pages(GFP_KERNEL, 1);
			if (!x->page[i])
				return -ENOMEM;
			memset(page_address(x->page[i]), VXG_POISON, PAGE_SIZE);
			sg_set_page(sg, x->page[i], x->len[i], x->off[i]);
		} else {
			sg_set_buf(sg, vxg_seg_virt(x, i, pos), x->len[i]);
		}
		pos += x->len[i];
	}

	x->win_start = x->offset > VXG_GUARD ? x->offset - VXG_GUARD : 0;
	x->win_size = min_t(u64, x->offset + x->total + VXG_GUARD,
			    x->card_size) - x->win_start;
	x->win_before = kvmalloc(x->win_size, GFP_KERNEL);
	x->win_after = kvmalloc(x->win_size, GFP_KERNEL);
	if (!x->win_before || !x->win_after)
		return -ENOMEM;
	return 0;
}

/*
 * H2C: the host segments hold the pattern, card memory the inverse (so
 * that a byte never written cannot match).  C2H: card memory holds the
 * pattern, the host segments the inverse.  Guard bytes keep what they had.
 */
static void vxg_xfer_fill(struct vxg_dev *xg, struct vxg_xfer *x)
{
	u8 host_xor = x->dir == VXG_H2C ? 0 : 0xff;
	u8 *card = x->win_before + (x->offset - x->win_start);
	size_t pos = 0, j, k;
	unsigned int i;
	u8 *p;

	for (i = 0; i < x->nseg; i++) {
		p = vxg_seg_virt(x, i, pos);
		for (j = 0; j < x->len[i]; j++)
			p[j] = vxg_pattern(x->seed, pos + j) ^ host_xor;
		pos += x->len[i];
	}
	memcpy_fromio(x->win_before, xg->card + x->win_start, x->win_size);
	for (k = 0; k < x->total; k++)
		card[k] = vxg_pattern(x->seed, k) ^ host_xor ^ 0xff;
	memcpy_toio(xg->card + x->win_start, x->win_before, x->win_size);
}

static void vxg_mismatch(struct vxg_result *r, size_t pos, u8 want, u8 got)
{
	if (!r->mismatches++) {
		r->first_mismatch = pos;
		r->expected = want;
		r->got = got;
	}
}

/* Byte for byte: did the pattern arrive, and nothing else change? */
static void vxg_xfer_verify(struct vxg_dev *xg, struct vxg_xfer *x,
			    struct vxg_result *r)
{
	size_t pos = 0, j, k, in = x->offset - x->win_start;
	unsigned int i;
	u8 *p, want;

	memcpy_fromio(x->win_after, xg->card + x->win_start, x->win_size);
	if (x->dir == VXG_H2C) {
		for (k = 0; k < x->total; k++) {
			want = vxg_pattern(x->seed, k);
			if (x->win_after[in + k] != want)
				vxg_mismatch(r, k, want, x->win_after[in + k]);
		}
		for (k = 0; k < x->win_size; k++)
			if ((k < in || k >= in + x->total) &&
			    x->win_after[k] != x->win_before[k])
				r->guard_errors++;
		return;
	}

	/* C2H: the segments, and the host bytes around each of them. */
	for (i = 0; i < x->nseg; i++) {
		p = vxg_seg_virt(x, i, pos);
		for (j = 0; j < x->len[i]; j++) {
			want = vxg_pattern(x->seed, pos + j);
			if (p[j] != want)
				vxg_mismatch(r, pos + j, want, p[j]);
		}
		pos += x->len[i];
		if (x->pages) {
			p = page_address(x->page[i]);
			for (j = 0; j < PAGE_SIZE; j++)
				if ((j < x->off[i] || j >= x->off[i] + x->len[i]) &&
				    p[j] != VXG_POISON)
					r->guard_errors++;
		}
	}
	if (!x->pages)
		for (j = 0; j < VXG_GUARD; j++)
			r->guard_errors += (((u8 *)x->buf)[j] != VXG_POISON) +
				(((u8 *)x->buf)[VXG_GUARD + x->total + j] !=
				 VXG_POISON);
	/* Card memory is the source: it must not have changed. */
	if (memcmp(x->win_before, x->win_after, x->win_size))
		r->guard_errors++;
}

/* Take every channel, in order, so that "h2c<n>" is hardware channel n. */
static int vxg_get_chans(struct vxg_dev *xg)
{
	struct dma_chan *c;
	unsigned int d, n, k = 0;

	for (d = VXG_H2C; d <= VXG_C2H; d++) {
		for (n = 0; n < xg->nchan[d]; n++, k++) {
			if (xg->chan[d][n])
				continue;
			c = dma_request_chan(&xg->pdev->dev, xg->slave[k]);
			if (IS_ERR(c)) {
				dev_err(&xg->pdev->dev, "no dma channel %s: %pe\n",
					xg->slave[k], c);
				return PTR_ERR(c);
			}
			xg->chan[d][n] = c;
		}
	}
	return 0;
}

static void vxg_put_chans(struct vxg_dev *xg)
{
	unsigned int d, n;

	for (d = VXG_H2C; d <= VXG_C2H; d++) {
		for (n = 0; n < XDMA_MAX_CHANNELS; n++) {
			if (xg->chan[d][n])
				dma_release_channel(xg->chan[d][n]);
			xg->chan[d][n] = NULL;
		}
	}
}

static void vxg_hw_snapshot(struct vxg_dev *xg, struct vxg_xfer *x,
			    struct vxg_result *r)
{
	u32 chan = vxg_chan_base(x->dir, x->chan);
	u32 sgdma = vxg_sgdma_base(x->dir, x->chan);

	r->hw_status = vxg_reg(xg, chan + XDMA_CHAN_STATUS);
	r->hw_completed = vxg_reg(xg, chan + XDMA_CHAN_COMPLETED_DESC);
	r->hw_desc_lo = vxg_reg(xg, sgdma + XDMA_SGDMA_DESC_LO);
	r->hw_desc_hi = vxg_reg(xg, sgdma + XDMA_SGDMA_DESC_HI);
	r->hw_adj = vxg_reg(xg, sgdma + XDMA_SGDMA_DESC_ADJ);
}

/* One transfer through the dmaengine slave API, as a client driver would. */
static int vxg_xfer_run(struct vxg_dev *xg, struct vxg_xfer *x,
			struct vxg_result *r)
{
	enum dma_data_direction ddir = x->dir == VXG_H2C ? DMA_TO_DEVICE :
							    DMA_FROM_DEVICE;
	struct device *dev = &xg->pdev->dev;
	struct dma_async_tx_descriptor *tx;
	struct dma_slave_config cfg = { };
	struct vxg_wait w = { };
	unsigned long deadline;
	struct dma_chan *chan;
	dma_cookie_t cookie;
	bool done = false;
	ktime_t start;
	int ret;

	ret = vxg_get_chans(xg);
	if (ret) {
		r->status = "no_channel";
		return ret;
	}
	chan = xg->chan[x->dir][x->chan];
	r->chan_name = dma_chan_name(chan);
	r->chan_id = chan->chan_id;

	ret = vxg_xfer_alloc(x);
	if (ret) {
		r->status = "no_memory";
		return ret;
	}
	vxg_xfer_fill(xg, x);

	r->nents = dma_map_sg(dev, x->sgt.sgl, x->nseg, ddir);
	if (!r->nents) {
		r->status = "map_failed";
		return -EIO;
	}
	if (x->dir == VXG_H2C) {
		cfg.direction = DMA_MEM_TO_DEV;
		cfg.dst_addr = x->offset;
	} else {
		cfg.direction = DMA_DEV_TO_MEM;
		cfg.src_addr = x->offset;
	}
	ret = dmaengine_slave_config(chan, &cfg);
	if (ret) {
		r->status = "config_failed";
		goto unmap;
	}
	tx = dmaengine_prep_slave_sg(chan, x->sgt.sgl, r->nents,
				     cfg.direction, DMA_PREP_INTERRUPT);
	if (!tx) {
		r->status = "prep_failed";
		ret = -EIO;
		goto unmap;
	}
	init_completion(&w.done);
	w.result = -1;
	tx->callback_result = vxg_dma_done;
	tx->callback_param = &w;
	cookie = dmaengine_submit(tx);
	ret = dma_submit_error(cookie);
	if (ret) {
		r->status = "submit_failed";
		goto unmap;
	}

	start = ktime_get();
	dma_async_issue_pending(chan);
	/* Upstream reports an error by never completing: look for it. */
	deadline = jiffies + msecs_to_jiffies(VXG_TIMEOUT_MS);
	for (;;) {
		done = wait_for_completion_timeout(&w.done,
						   msecs_to_jiffies(VXG_POLL_MS));
		if (done)
			break;
		r->dma_status = dmaengine_tx_status(chan, cookie, NULL);
		if (r->dma_status == DMA_ERROR || time_after(jiffies, deadline))
			break;
	}
	if (done) {
		r->ns = ktime_to_ns(ktime_sub(w.end, start));
		r->dma_status = dmaengine_tx_status(chan, cookie, NULL);
		r->status = r->dma_status == DMA_COMPLETE ? "ok" : "incomplete";
	} else {
		r->ns = ktime_to_ns(ktime_sub(ktime_get(), start));
		r->status = r->dma_status == DMA_ERROR ? "dma_error" :
							  "timeout";
	}
	vxg_hw_snapshot(xg, x, r);
	if (!done)
		dmaengine_terminate_sync(chan);
	r->cb_result = w.result;
	ret = 0;
unmap:
	dma_unmap_sg(dev, x->sgt.sgl, x->nseg, ddir);
	if (!ret)
		vxg_xfer_verify(xg, x, r);
	return ret;
}

static int vxg_parse_layout(struct vxg_xfer *x, char *kind, char *args)
{
	char *tok, *at, *seglen;
	unsigned int i;
	u32 size, seg;

	if (!strcmp(kind, "pages")) {
		x->pages = true;
		x->nseg = 1;
		for (tok = args; *tok; tok++)
			x->nseg += *tok == ',';
		if (x->nseg > VXG_MAX_SEGS)
			return -E2BIG;
		x->len = kcalloc(x->nseg, sizeof(*x->len), GFP_KERNEL);
		x->off = kcalloc(x->nseg, sizeof(*x->off), GFP_KERNEL);
		if (!x->len || !x->off)
			return -ENOMEM;
		for (i = 0; i < x->nseg; i++) {
			tok = strsep(&args, ",");
			at = strchr(tok, '@');
			if (!at)
				return -EINVAL;
			*at++ = '\0';
			if (kstrtou32(tok, 0, &x->len[i]) ||
			    kstrtou32(at, 0, &x->off[i]) || !x->len[i] ||
			    x->off[i] >= PAGE_SIZE ||
			    x->len[i] > PAGE_SIZE - x->off[i])
				return -EINVAL;
			x->total += x->len[i];
		}
		return 0;
	}

	seglen = args;
	tok = strsep(&seglen, " ");
	if (kstrtou32(tok, 0, &size) || !size)
		return -EINVAL;
	if (!strcmp(kind, "contig") && !seglen) {
		seg = size;
	} else if (!strcmp(kind, "split") && seglen) {
		if (kstrtou32(seglen, 0, &seg) || !seg)
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	x->nseg = DIV_ROUND_UP(size, seg);
	if (x->nseg > VXG_MAX_SEGS)
		return -E2BIG;
	x->len = kcalloc(x->nseg, sizeof(*x->len), GFP_KERNEL);
	if (!x->len)
		return -ENOMEM;
	for (i = 0; i < x->nseg; i++)
		x->len[i] = min(seg, size - i * seg);
	x->total = size;
	return 0;
}

/* "h2c|c2h CHAN CARD_OFFSET LAYOUT ARGS" */
static int vxg_parse_xfer(struct vxg_dev *xg, char *cmd, struct vxg_xfer *x)
{
	char *dir, *chan, *offset, *kind;
	int ret;

	cmd = strim(cmd);
	dir = strsep(&cmd, " ");
	chan = strsep(&cmd, " ");
	offset = strsep(&cmd, " ");
	kind = strsep(&cmd, " ");
	if (!kind || !cmd)
		return -EINVAL;
	if (!strcmp(dir, "h2c"))
		x->dir = VXG_H2C;
	else if (!strcmp(dir, "c2h"))
		x->dir = VXG_C2H;
	else
		return -EINVAL;
	if (kstrtouint(chan, 0, &x->chan) || kstrtou64(offset, 0, &x->offset))
		return -EINVAL;
	if (x->chan >= xg->nchan[x->dir])
		return -ENODEV;
	ret = vxg_parse_layout(x, kind, cmd);
	if (ret)
		return ret;
	x->card_size = xg->card_size;
	if (x->offset > xg->card_size || x->total > xg->card_size - x->offset)
		return -ERANGE;
	return 0;
}

static const char *vxg_dma_status_name(enum dma_status s)
{
	switch (s) {
	case DMA_COMPLETE:
		return "complete";
	case DMA_IN_PROGRESS:
		return "in_progress";
	case DMA_PAUSED:
		return "paused";
	case DMA_ERROR:
		return "error";
	default:
		return "unknown";
	}
}

/* ---- user interrupts through upstream's API --------------------------- */

static irqreturn_t vxg_uirq_isr(int irq, void *data)
{
	struct vxg_dev *xg = data;

	if (!(ioread32(xg->user + VFPGA_IRQGEN_STATUS) &
	      VFPGA_IRQGEN_STATUS_PENDING))
		return IRQ_NONE;
	/* Ping-pong: the acknowledge raises the next one. */
	iowrite32(VFPGA_IRQGEN_ACK_BIT, xg->user + VFPGA_IRQGEN_ACK);
	if (atomic_inc_return(&xg->uirq_count) == xg->uirq_target)
		complete(&xg->uirq_done);
	return IRQ_HANDLED;
}

static int vxg_uirq_run(struct vxg_dev *xg, unsigned int line,
			unsigned int count, char *out, size_t size)
{
	u32 vec_reg, raised, acked;
	unsigned long left;
	ktime_t start;
	u64 ns;
	int irq, ret;

	if (line >= VFPGA_USER_IRQ_LINES || !count || count > INT_MAX)
		return -EINVAL;
	if (!READ_ONCE(xg->xdma->dev.driver))
		return -ENODEV;
	irq = xdma_get_user_irq(xg->xdma, line);
	if (irq < 0)
		return irq;

	atomic_set(&xg->uirq_count, 0);
	xg->uirq_target = count;
	reinit_completion(&xg->uirq_done);
	ret = request_irq(irq, vxg_uirq_isr, 0, VXG_NAME "-user", xg);
	if (ret)
		return ret;
	ret = xdma_enable_user_irq(xg->xdma, irq);
	if (ret)
		goto out_free;

	iowrite32(VFPGA_IRQGEN_MODE_PINGPONG, xg->user + VFPGA_IRQGEN_MODE);
	iowrite32(line, xg->user + VFPGA_IRQGEN_LINE);
	iowrite32(count, xg->user + VFPGA_IRQGEN_COUNT);
	start = ktime_get();
	iowrite32(VFPGA_IRQGEN_CTRL_START, xg->user + VFPGA_IRQGEN_CTRL);
	left = wait_for_completion_timeout(&xg->uirq_done,
					   msecs_to_jiffies(VXG_TIMEOUT_MS));
	ns = ktime_to_ns(ktime_sub(ktime_get(), start));
	if (!left)
		iowrite32(VFPGA_IRQGEN_CTRL_STOP, xg->user + VFPGA_IRQGEN_CTRL);
	raised = ioread32(xg->user + VFPGA_IRQGEN_RAISED);
	acked = ioread32(xg->user + VFPGA_IRQGEN_ACKED);
	vec_reg = vxg_reg(xg, XDMA_IRQ_BASE + XDMA_IRQ_USER_VEC_NUM +
			  4 * (line / 4));

	xdma_disable_user_irq(xg->xdma, irq);
	scnprintf(out, size,
		  "status=%s line=%u irq=%d vector=%u handled=%d raised=%u acked=%u ns=%llu\n",
		  left ? "ok" : "timeout", line, irq,
		  (vec_reg >> XDMA_IRQ_VEC_SHIFT(line)) & XDMA_IRQ_VEC_MASK,
		  atomic_read(&xg->uirq_count), raised, acked, ns);
out_free:
	free_irq(irq, xg);
	return ret;
}

/* ---- debugfs ------------------------------------------------------------ */

struct vxg_file {
	struct vxg_dev *xg;
	char result[VXG_RESULT_MAX];
};

static int vxg_file_open(struct inode *inode, struct file *file)
{
	struct vxg_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	f->xg = inode->i_private;
	file->private_data = f;
	return nonseekable_open(inode, file);
}

static int vxg_file_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static ssize_t vxg_file_read(struct file *file, char __user *buf,
			     size_t len, loff_t *ppos)
{
	struct vxg_file *f = file->private_data;

	return simple_read_from_buffer(buf, len, ppos, f->result,
				       strlen(f->result));
}

static int vxg_do_xfer(struct vxg_dev *xg, char *cmd, char *out, size_t size)
{
	struct vxg_result r = { .first_mismatch = -1, .chan_id = -1,
				.cb_result = -1, .dma_status = DMA_IN_PROGRESS,
				.chan_name = "none" };
	struct vxg_xfer x = { };
	int ret;

	ret = vxg_parse_xfer(xg, cmd, &x);
	if (ret)
		goto out;
	x.seed = get_random_u32();
	ret = vxg_xfer_run(xg, &x, &r);
	if (ret && !r.status)
		goto out;
	scnprintf(out, size,
		  "status=%s dir=%s chan=%u offset=0x%llx bytes=%zu segments=%u nents=%d mismatches=%zu first_mismatch=%lld expected=0x%02x got=0x%02x guard_errors=%zu ns=%llu dma_status=%s callback_result=%d dma_chan=%s chan_id=%d hw_status=0x%x hw_completed=%u hw_desc=0x%08x%08x hw_adj=%u seed=0x%08x\n",
		  r.status, vxg_dir_name[x.dir], x.chan, x.offset, x.total,
		  x.nseg, r.nents, r.mismatches, r.first_mismatch, r.expected,
		  r.got, r.guard_errors, r.ns,
		  vxg_dma_status_name(r.dma_status), r.cb_result, r.chan_name,
		  r.chan_id, r.hw_status, r.hw_completed, r.hw_desc_hi,
		  r.hw_desc_lo, r.hw_adj, x.seed);
	ret = 0;
out:
	vxg_xfer_free(&x);
	return ret;
}

static ssize_t vxg_file_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos, bool xfer)
{
	struct vxg_file *f = file->private_data;
	struct vxg_dev *xg = f->xg;
	unsigned int line, count;
	char *cmd;
	int ret;

	if (!len || len >= VXG_CMD_MAX)
		return -EINVAL;
	cmd = memdup_user_nul(ubuf, len);
	if (IS_ERR(cmd))
		return PTR_ERR(cmd);

	f->result[0] = '\0';
	mutex_lock(&xg->lock);
	if (xfer) {
		ret = vxg_do_xfer(xg, cmd, f->result, sizeof(f->result));
	} else if (sscanf(cmd, "%u %u", &line, &count) == 2) {
		ret = vxg_uirq_run(xg, line, count, f->result,
				   sizeof(f->result));
	} else {
		ret = -EINVAL;
	}
	mutex_unlock(&xg->lock);
	kfree(cmd);
	return ret ? ret : len;
}

static ssize_t vxg_xfer_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	return vxg_file_write(file, ubuf, len, ppos, true);
}

static ssize_t vxg_uirq_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	return vxg_file_write(file, ubuf, len, ppos, false);
}

static const struct file_operations vxg_xfer_fops = {
	.owner = THIS_MODULE,
	.open = vxg_file_open,
	.release = vxg_file_release,
	.read = vxg_file_read,
	.write = vxg_xfer_write,
};

static const struct file_operations vxg_uirq_fops = {
	.owner = THIS_MODULE,
	.open = vxg_file_open,
	.release = vxg_file_release,
	.read = vxg_file_read,
	.write = vxg_uirq_write,
};

/* What upstream found and what it programmed into the IRQ block. */
static int vxg_info_show(struct seq_file *m, void *unused)
{
	struct vxg_dev *xg = m->private;
	unsigned int i;

	seq_printf(m, "h2c_channels=%u c2h_channels=%u vectors=%u irq_base=%d card_size=%llu\n",
		   xg->nchan[VXG_H2C], xg->nchan[VXG_C2H], xg->nvec,
		   xg->irq_base, (u64)xg->card_size);
	seq_printf(m, "xdma_device=%s bound=%d\n", dev_name(&xg->xdma->dev),
		   !!READ_ONCE(xg->xdma->dev.driver));
	seq_printf(m, "chan_int_en=0x%08x user_int_en=0x%08x\n",
		   vxg_reg(xg, XDMA_IRQ_BASE + XDMA_IRQ_CHAN_INT_EN),
		   vxg_reg(xg, XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_EN));
	for (i = 0; i < XDMA_IRQ_CHAN_VEC_REGS; i++)
		seq_printf(m, "chan_vec_num%u=0x%08x\n", i,
			   vxg_reg(xg, XDMA_IRQ_BASE + XDMA_IRQ_CHAN_VEC_NUM +
				   4 * i));
	for (i = 0; i < XDMA_IRQ_USER_VEC_REGS; i++)
		seq_printf(m, "user_vec_num%u=0x%08x\n", i,
			   vxg_reg(xg, XDMA_IRQ_BASE + XDMA_IRQ_USER_VEC_NUM +
				   4 * i));
	for (i = 0; i < xg->nchan[VXG_H2C]; i++)
		seq_printf(m, "h2c%u_control=0x%08x h2c%u_intr_enable=0x%08x\n",
			   i, vxg_reg(xg, vxg_chan_base(VXG_H2C, i) +
				      XDMA_CHAN_CONTROL),
			   i, vxg_reg(xg, vxg_chan_base(VXG_H2C, i) +
				      XDMA_CHAN_INTR_ENABLE));
	for (i = 0; i < xg->nchan[VXG_C2H]; i++)
		seq_printf(m, "c2h%u_control=0x%08x c2h%u_intr_enable=0x%08x\n",
			   i, vxg_reg(xg, vxg_chan_base(VXG_C2H, i) +
				      XDMA_CHAN_CONTROL),
			   i, vxg_reg(xg, vxg_chan_base(VXG_C2H, i) +
				      XDMA_CHAN_INTR_ENABLE));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vxg_info);

/* ---- probe -------------------------------------------------------------- */

static unsigned int vxg_count_chans(struct vxg_dev *xg, enum vxg_dir dir)
{
	u32 target = dir == VXG_H2C ? XDMA_TARGET_H2C : XDMA_TARGET_C2H;
	unsigned int n, found = 0;
	u32 id;

	/* As upstream does: a channel is there if its identifier says so. */
	for (n = 0; n < XDMA_MAX_CHANNELS; n++) {
		id = vxg_reg(xg, vxg_chan_base(dir, n) + XDMA_CHAN_IDENTIFIER);
		if ((id & 0xffff0000u) == (XDMA_ID_SUBSYSTEM | XDMA_ID_TARGET(target)))
			found++;
	}
	return found;
}

static void vxg_unregister_xdma(void *data)
{
	platform_device_unregister(data);
}

static void vxg_teardown(void *data)
{
	struct vxg_dev *xg = data;

	debugfs_remove_recursive(xg->dbg);
	mutex_lock(&xg->lock);
	vxg_put_chans(xg);
	mutex_unlock(&xg->lock);
}

static int vxg_register_xdma(struct vxg_dev *xg)
{
	struct pci_dev *pdev = xg->pdev;
	struct xdma_platdata pdata = {
		.max_dma_channels = XDMA_MAX_CHANNELS,
		.device_map = xg->map,
	};
	struct resource res[2] = {
		DEFINE_RES_MEM(pci_resource_start(pdev, VFPGA_BAR_DMA),
			       pci_resource_len(pdev, VFPGA_BAR_DMA)),
		DEFINE_RES_NAMED(xg->irq_base, xg->nvec, NULL, IORESOURCE_IRQ),
	};
	unsigned int d, n, k = 0;

	res[0].parent = &pdev->resource[VFPGA_BAR_DMA];
	for (d = VXG_H2C; d <= VXG_C2H; d++) {
		for (n = 0; n < xg->nchan[d]; n++, k++) {
			snprintf(xg->slave[k], sizeof(xg->slave[k]), "%s%u",
				 vxg_dir_name[d], n);
			xg->map[k].devname = dev_name(&pdev->dev);
			xg->map[k].slave = xg->slave[k];
			xg->map[k].param = XDMA_FILTER_PARAM(&vxg_chan_info[d]);
		}
	}
	pdata.device_map_cnt = k;

	xg->xdma = platform_device_register_resndata(&pdev->dev, "xdma",
						     PLATFORM_DEVID_AUTO, res,
						     ARRAY_SIZE(res), &pdata,
						     sizeof(pdata));
	if (IS_ERR(xg->xdma))
		return PTR_ERR(xg->xdma);
	return devm_add_action_or_reset(&pdev->dev, vxg_unregister_xdma,
					xg->xdma);
}

static int vxg_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct vxg_dev *xg;
	unsigned int i;
	int ret;

	xg = devm_kzalloc(dev, sizeof(*xg), GFP_KERNEL);
	if (!xg)
		return -ENOMEM;
	xg->pdev = pdev;
	mutex_init(&xg->lock);
	init_completion(&xg->uirq_done);

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	pci_set_master(pdev);
	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;

	xg->user = pcim_iomap_region(pdev, VFPGA_BAR_USER, VXG_NAME);
	if (IS_ERR(xg->user))
		return PTR_ERR(xg->user);
	xg->card = pcim_iomap_region(pdev, VFPGA_BAR_CARD_MEM, VXG_NAME);
	if (IS_ERR(xg->card))
		return PTR_ERR(xg->card);
	xg->card_size = pci_resource_len(pdev, VFPGA_BAR_CARD_MEM);
	/*
	 * The XDMA BAR belongs to xdma.ko, which requests it: map it without
	 * a request, and only read from it.
	 */
	if (pci_resource_len(pdev, VFPGA_BAR_DMA) < VXG_REGS_SIZE)
		return -ENODEV;
	xg->regs = devm_ioremap(dev, pci_resource_start(pdev, VFPGA_BAR_DMA),
				VXG_REGS_SIZE);
	if (!xg->regs)
		return -ENOMEM;

	xg->nchan[VXG_H2C] = vxg_count_chans(xg, VXG_H2C);
	xg->nchan[VXG_C2H] = vxg_count_chans(xg, VXG_C2H);
	/* Upstream's order: H2C channels, C2H channels, user lines. */
	xg->nvec = xg->nchan[VXG_H2C] + xg->nchan[VXG_C2H] +
		   VFPGA_USER_IRQ_LINES;
	ret = pci_alloc_irq_vectors(pdev, xg->nvec, xg->nvec, PCI_IRQ_MSIX);
	if (ret < 0) {
		dev_err(dev, "cannot allocate %u MSI-X vectors: %d\n",
			xg->nvec, ret);
		return ret;
	}
	/* Upstream takes a range of Linux IRQs: they must be consecutive. */
	xg->irq_base = pci_irq_vector(pdev, 0);
	for (i = 1; i < xg->nvec; i++) {
		if (pci_irq_vector(pdev, i) != xg->irq_base + i) {
			dev_err(dev, "MSI-X vector %u is IRQ %d, not %d\n", i,
				pci_irq_vector(pdev, i), xg->irq_base + i);
			return -EBUSY;
		}
	}

	ret = vxg_register_xdma(xg);
	if (ret)
		return ret;
	if (!READ_ONCE(xg->xdma->dev.driver))
		dev_warn(dev, "%s: no driver bound; is xdma.ko loaded?\n",
			 dev_name(&xg->xdma->dev));

	xg->dbg = debugfs_create_dir(pci_name(pdev), vxg_dbg_root);
	debugfs_create_file("info", 0444, xg->dbg, xg, &vxg_info_fops);
	debugfs_create_file("xfer", 0600, xg->dbg, xg, &vxg_xfer_fops);
	debugfs_create_file("uirq", 0600, xg->dbg, xg, &vxg_uirq_fops);
	ret = devm_add_action_or_reset(dev, vxg_teardown, xg);
	if (ret)
		return ret;

	dev_info(dev, "%u H2C + %u C2H channels, IRQs %d-%d, %s registered\n",
		 xg->nchan[VXG_H2C], xg->nchan[VXG_C2H], xg->irq_base,
		 xg->irq_base + xg->nvec - 1, dev_name(&xg->xdma->dev));
	return 0;
}

/* No MODULE_DEVICE_TABLE: load by hand only, never instead of vfpga. */
static const struct pci_device_id vxg_ids[] = {
	{ PCI_DEVICE(VFPGA_PCI_VENDOR_ID, VFPGA_PCI_DEVICE_ID) },
	{ }
};

static struct pci_driver vxg_driver = {
	.name = VXG_NAME,
	.id_table = vxg_ids,
	.probe = vxg_probe,
};

static int __init vxg_init(void)
{
	int ret;

	vxg_dbg_root = debugfs_create_dir(VXG_NAME, NULL);
	ret = pci_register_driver(&vxg_driver);
	if (ret)
		debugfs_remove(vxg_dbg_root);
	return ret;
}
module_init(vxg_init);

static void __exit vxg_exit(void)
{
	pci_unregister_driver(&vxg_driver);
	debugfs_remove(vxg_dbg_root);
}
module_exit(vxg_exit);

MODULE_DESCRIPTION("vfpga board on Linux's upstream XDMA dmaengine driver");
MODULE_LICENSE("GPL");
