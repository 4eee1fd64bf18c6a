// SPDX-License-Identifier: GPL-2.0
/*
 * vfpga_xdma_client: the xdma-upstream suite's dmaengine client.  It binds
 * the auxiliary device that driver/xdma-glue/vfpga_xdma_glue.c creates for
 * each board, and drives the board's channels through Linux's upstream XDMA
 * driver as any dmaengine client would.  It offers in debugfs
 * (vfpga-xdma-client/<pci name>/):
 *   info   what upstream found and programmed
 *   xfer   write "h2c|c2h CHAN CARD_OFFSET LAYOUT", read the result, where
 *          LAYOUT is one of
 *            contig SIZE              one buffer, one segment
 *            split SIZE SEGLEN        one buffer cut into SEGLEN segments
 *            pages LEN@OFF[,LEN@OFF]  one page per segment, none adjacent
 *          The transfer goes through dma_request_chan, slave config,
 *          prep_slave_sg, submit and issue_pending; the client then compares
 *          card memory (through the card BAR) with the host buffer byte for
 *          byte.  On a board without a card BAR the client sets up and reads
 *          back the card window around the transfer by DMA itself, on
 *          channel 0 of each direction, through the same API.
 *   uirq   write "LINE COUNT", read the result: COUNT interrupts raised by
 *          the board's generator on user line LINE, through upstream's
 *          user interrupt API.
 */

#include <linux/auxiliary_bus.h>
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
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vfpga_xdma_glue.h"

#define VXC_NAME		"vfpga-xdma-client"
#define VXC_GUARD		64	/* bytes checked beyond each end */
#define VXC_TIMEOUT_MS		10000	/* for one transfer or irq burst */
#define VXC_POLL_MS		10	/* how often to look for an error */
#define VXC_MAX_SEGS		8192
#define VXC_POISON		0xa5	/* host bytes outside the segments */
#define VXC_CMD_MAX		4096
#define VXC_RESULT_MAX		1024

struct vxc_dev {
	struct vfpga_xdma_board *board;
	struct device *dev;		/* the auxiliary device */
	struct dma_chan *chan[2][XDMA_MAX_CHANNELS];
	struct mutex lock;		/* one test at a time; chan[] */
	struct dentry *dbg;
	atomic_t uirq_count;
	int uirq_target;
	struct completion uirq_done;
};

static struct dentry *vxc_dbg_root;

/* BAR1 offset of the SGDMA block of channel @n. */
static u32 vxc_sgdma_base(enum vfpga_xdma_dir dir, unsigned int n)
{
	return (dir == VFPGA_XDMA_H2C ? XDMA_H2C_SGDMA_BASE :
					XDMA_C2H_SGDMA_BASE) +
	       n * XDMA_CHAN_STRIDE;
}

/* The byte expected at position @pos of a transfer. */
static u8 vxc_pattern(u32 seed, u64 pos)
{
	u32 x = seed ^ (u32)(pos * 0x9e3779b1u) ^ (u32)(pos >> 32);

	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	x ^= x >> 12;
	return x;
}

/* ---- transfers --------------------------------------------------------- */

struct vxc_xfer {
	enum vfpga_xdma_dir dir;
	unsigned int chan;
	u64 offset;			/* in card memory */
	resource_size_t card_size;
	unsigned int nseg;
	bool pages;			/* one page per segment */
	u32 *len;
	u32 *off;			/* pages: offset in the page */
	size_t total;
	/* the host buffer */
	void *buf;			/* contiguous, VXC_GUARD each side */
	size_t buf_size;
	struct page **page;		/* pages: order-1 blocks */
	struct sg_table sgt;
	/* the card window: the range and VXC_GUARD each side */
	u64 win_start;
	size_t win_size;
	u8 *win_before;
	u8 *win_after;
	u32 seed;
};

struct vxc_result {
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

struct vxc_wait {
	struct completion done;
	ktime_t end;
	int result;
};

static void vxc_dma_done(void *param, const struct dmaengine_result *result)
{
	struct vxc_wait *w = param;

	w->end = ktime_get();
	w->result = result ? result->result : DMA_TRANS_NOERROR;
	complete(&w->done);
}

static void *vxc_seg_virt(struct vxc_xfer *x, unsigned int i, size_t pos)
{
	if (x->pages)
		return page_address(x->page[i]) + x->off[i];
	return x->buf + VXC_GUARD + pos;
}

static void vxc_xfer_free(struct vxc_xfer *x)
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
static int vxc_xfer_alloc(struct vxc_xfer *x)
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
		x->buf_size = x->total + 2 * VXC_GUARD;
		x->buf = alloc_pages_exact(x->buf_size, GFP_KERNEL);
		if (!x->buf)
			return -ENOMEM;
		memset(x->buf, VXC_POISON, x->buf_size);
	}
	for_each_sg(x->sgt.sgl, sg, x->nseg, i) {
		if (x->pages) {
			/* Order 1, first page used: no two segments touch. */
			x->page[i] = alloc_pages(GFP_KERNEL, 1);
			if (!x->page[i])
				return -ENOMEM;
			memset(page_address(x->page[i]), VXC_POISON, PAGE_SIZE);
			sg_set_page(sg, x->page[i], x->len[i], x->off[i]);
		} else {
			sg_set_buf(sg, vxc_seg_virt(x, i, pos), x->len[i]);
		}
		pos += x->len[i];
	}

	x->win_start = x->offset > VXC_GUARD ? x->offset - VXC_GUARD : 0;
	x->win_size = min_t(u64, x->offset + x->total + VXC_GUARD,
			    x->card_size) - x->win_start;
	x->win_before = kvmalloc(x->win_size, GFP_KERNEL);
	x->win_after = kvmalloc(x->win_size, GFP_KERNEL);
	if (!x->win_before || !x->win_after)
		return -ENOMEM;
	return 0;
}

/*
 * Card memory on a board without a card BAR: @len bytes at @card moved by
 * DMA on channel 0 of @dir (H2C writes @buf to the card, C2H reads it
 * into @buf) through the dmaengine API, from a coherent bounce buffer,
 * waiting for the end.  0, or -ENODEV, -ENOMEM, -EIO, -ETIMEDOUT.
 */
static int vxc_card_dma(struct vxc_dev *xc, enum vfpga_xdma_dir dir,
			u64 card, u8 *buf, size_t len)
{
	struct device *dev = &xc->board->pdev->dev;
	struct dma_chan *chan = xc->chan[dir][0];
	struct dma_async_tx_descriptor *tx;
	struct dma_slave_config cfg = { };
	struct vxc_wait w = { };
	dma_cookie_t cookie;
	dma_addr_t addr;
	void *bounce;
	int ret = -EIO;

	if (!chan)
		return -ENODEV;
	bounce = dma_alloc_coherent(dev, len, &addr, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	if (dir == VFPGA_XDMA_H2C) {
		memcpy(bounce, buf, len);
		cfg.direction = DMA_MEM_TO_DEV;
		cfg.dst_addr = card;
	} else {
		cfg.direction = DMA_DEV_TO_MEM;
		cfg.src_addr = card;
	}
	if (dmaengine_slave_config(chan, &cfg))
		goto free;
	tx = dmaengine_prep_slave_single(chan, addr, len, cfg.direction,
					 DMA_PREP_INTERRUPT);
	if (!tx)
		goto free;
	init_completion(&w.done);
	w.result = -1;
	tx->callback_result = vxc_dma_done;
	tx->callback_param = &w;
	cookie = dmaengine_submit(tx);
	if (dma_submit_error(cookie))
		goto free;
	dma_async_issue_pending(chan);
	if (!wait_for_completion_timeout(&w.done,
					 msecs_to_jiffies(VXC_TIMEOUT_MS))) {
		dmaengine_terminate_sync(chan);
		ret = -ETIMEDOUT;
		goto free;
	}
	ret = w.result == DMA_TRANS_NOERROR ? 0 : -EIO;
	if (!ret && dir == VFPGA_XDMA_C2H)
		memcpy(buf, bounce, len);
free:
	dma_free_coherent(dev, len, bounce, addr);
	return ret;
}

/*
 * H2C: the host segments hold the pattern, card memory the inverse (so
 * that a byte never written cannot match).  C2H: card memory holds the
 * pattern, the host segments the inverse.  Guard bytes keep what they had
 * or, on a board without a card BAR, get bytes of their own (another
 * seed's pattern), written with the window by DMA.
 */
static int vxc_xfer_fill(struct vxc_dev *xc, struct vxc_xfer *x)
{
	struct vfpga_xdma_board *b = xc->board;
	u8 host_xor = x->dir == VFPGA_XDMA_H2C ? 0 : 0xff;
	u8 *card = x->win_before + (x->offset - x->win_start);
	size_t pos = 0, j, k;
	unsigned int i;
	u8 *p;

	for (i = 0; i < x->nseg; i++) {
		p = vxc_seg_virt(x, i, pos);
		for (j = 0; j < x->len[i]; j++)
			p[j] = vxc_pattern(x->seed, pos + j) ^ host_xor;
		pos += x->len[i];
	}
	if (b->card)
		memcpy_fromio(x->win_before, b->card + x->win_start,
			      x->win_size);
	else
		for (k = 0; k < x->win_size; k++)
			x->win_before[k] = vxc_pattern(~x->seed, k);
	for (k = 0; k < x->total; k++)
		card[k] = vxc_pattern(x->seed, k) ^ host_xor ^ 0xff;
	if (!b->card)
		return vxc_card_dma(xc, VFPGA_XDMA_H2C, x->win_start,
				    x->win_before, x->win_size);
	memcpy_toio(b->card + x->win_start, x->win_before, x->win_size);
	return 0;
}

static void vxc_mismatch(struct vxc_result *r, size_t pos, u8 want, u8 got)
{
	if (!r->mismatches++) {
		r->first_mismatch = pos;
		r->expected = want;
		r->got = got;
	}
}

/* Byte for byte: did the pattern arrive, and nothing else change? */
static int vxc_xfer_verify(struct vxc_dev *xc, struct vxc_xfer *x,
			   struct vxc_result *r)
{
	size_t pos = 0, j, k, in = x->offset - x->win_start;
	struct vfpga_xdma_board *b = xc->board;
	unsigned int i;
	u8 *p, want;
	int ret;

	if (b->card) {
		memcpy_fromio(x->win_after, b->card + x->win_start,
			      x->win_size);
	} else {
		ret = vxc_card_dma(xc, VFPGA_XDMA_C2H, x->win_start,
				   x->win_after, x->win_size);
		if (ret)
			return ret;
	}
	if (x->dir == VFPGA_XDMA_H2C) {
		for (k = 0; k < x->total; k++) {
			want = vxc_pattern(x->seed, k);
			if (x->win_after[in + k] != want)
				vxc_mismatch(r, k, want, x->win_after[in + k]);
		}
		for (k = 0; k < x->win_size; k++)
			if ((k < in || k >= in + x->total) &&
			    x->win_after[k] != x->win_before[k])
				r->guard_errors++;
		return 0;
	}

	/* C2H: the segments, and the host bytes around each of them. */
	for (i = 0; i < x->nseg; i++) {
		p = vxc_seg_virt(x, i, pos);
		for (j = 0; j < x->len[i]; j++) {
			want = vxc_pattern(x->seed, pos + j);
			if (p[j] != want)
				vxc_mismatch(r, pos + j, want, p[j]);
		}
		pos += x->len[i];
		if (x->pages) {
			p = page_address(x->page[i]);
			for (j = 0; j < PAGE_SIZE; j++)
				if ((j < x->off[i] || j >= x->off[i] + x->len[i]) &&
				    p[j] != VXC_POISON)
					r->guard_errors++;
		}
	}
	if (!x->pages)
		for (j = 0; j < VXC_GUARD; j++)
			r->guard_errors += (((u8 *)x->buf)[j] != VXC_POISON) +
				(((u8 *)x->buf)[VXC_GUARD + x->total + j] !=
				 VXC_POISON);
	/* Card memory is the source: it must not have changed. */
	if (memcmp(x->win_before, x->win_after, x->win_size))
		r->guard_errors++;
	return 0;
}

/* Take every channel, in order, so that "h2c<n>" is hardware channel n. */
static int vxc_get_chans(struct vxc_dev *xc)
{
	struct vfpga_xdma_board *b = xc->board;
	struct dma_chan *c;
	unsigned int d, n;

	for (d = VFPGA_XDMA_H2C; d <= VFPGA_XDMA_C2H; d++) {
		for (n = 0; n < b->nchan[d]; n++) {
			if (xc->chan[d][n])
				continue;
			c = dma_request_chan(&b->pdev->dev, b->slave[d][n]);
			if (IS_ERR(c)) {
				dev_err(xc->dev, "no dma channel %s: %pe\n",
					b->slave[d][n], c);
				return PTR_ERR(c);
			}
			xc->chan[d][n] = c;
		}
	}
	return 0;
}

static void vxc_put_chans(struct vxc_dev *xc)
{
	unsigned int d, n;

	for (d = VFPGA_XDMA_H2C; d <= VFPGA_XDMA_C2H; d++) {
		for (n = 0; n < XDMA_MAX_CHANNELS; n++) {
			if (xc->chan[d][n])
				dma_release_channel(xc->chan[d][n]);
			xc->chan[d][n] = NULL;
		}
	}
}

static void vxc_hw_snapshot(struct vfpga_xdma_board *b, struct vxc_xfer *x,
			    struct vxc_result *r)
{
	u32 chan = vfpga_xdma_chan_base(x->dir, x->chan);
	u32 sgdma = vxc_sgdma_base(x->dir, x->chan);

	r->hw_status = vfpga_xdma_reg(b, chan + XDMA_CHAN_STATUS);
	r->hw_completed = vfpga_xdma_reg(b, chan + XDMA_CHAN_COMPLETED_DESC);
	r->hw_desc_lo = vfpga_xdma_reg(b, sgdma + XDMA_SGDMA_DESC_LO);
	r->hw_desc_hi = vfpga_xdma_reg(b, sgdma + XDMA_SGDMA_DESC_HI);
	r->hw_adj = vfpga_xdma_reg(b, sgdma + XDMA_SGDMA_DESC_ADJ);
}

/* One transfer through the dmaengine slave API, as a client driver would. */
static int vxc_xfer_run(struct vxc_dev *xc, struct vxc_xfer *x,
			struct vxc_result *r)
{
	enum dma_data_direction ddir = x->dir == VFPGA_XDMA_H2C ?
				       DMA_TO_DEVICE : DMA_FROM_DEVICE;
	struct vfpga_xdma_board *b = xc->board;
	struct device *dev = &b->pdev->dev;
	struct dma_async_tx_descriptor *tx;
	struct dma_slave_config cfg = { };
	struct vxc_wait w = { };
	unsigned long deadline;
	struct dma_chan *chan;
	dma_cookie_t cookie;
	bool done = false;
	ktime_t start;
	int ret;

	ret = vxc_get_chans(xc);
	if (ret) {
		r->status = "no_channel";
		return ret;
	}
	chan = xc->chan[x->dir][x->chan];
	r->chan_name = dma_chan_name(chan);
	r->chan_id = chan->chan_id;

	ret = vxc_xfer_alloc(x);
	if (ret) {
		r->status = "no_memory";
		return ret;
	}
	ret = vxc_xfer_fill(xc, x);
	if (ret) {
		r->status = "card_setup_failed";
		return ret;
	}

	r->nents = dma_map_sg(dev, x->sgt.sgl, x->nseg, ddir);
	if (!r->nents) {
		r->status = "map_failed";
		return -EIO;
	}
	if (x->dir == VFPGA_XDMA_H2C) {
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
	tx->callback_result = vxc_dma_done;
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
	deadline = jiffies + msecs_to_jiffies(VXC_TIMEOUT_MS);
	for (;;) {
		done = wait_for_completion_timeout(&w.done,
						   msecs_to_jiffies(VXC_POLL_MS));
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
	vxc_hw_snapshot(b, x, r);
	if (!done)
		dmaengine_terminate_sync(chan);
	r->cb_result = w.result;
	ret = 0;
unmap:
	dma_unmap_sg(dev, x->sgt.sgl, x->nseg, ddir);
	if (!ret) {
		ret = vxc_xfer_verify(xc, x, r);
		if (ret)
			r->status = "card_readback_failed";
	}
	return ret;
}

static int vxc_parse_layout(struct vxc_xfer *x, char *kind, char *args)
{
	char *tok, *at, *seglen;
	unsigned int i;
	u32 size, seg;

	if (!strcmp(kind, "pages")) {
		x->pages = true;
		x->nseg = 1;
		for (tok = args; *tok; tok++)
			x->nseg += *tok == ',';
		if (x->nseg > VXC_MAX_SEGS)
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
	if (x->nseg > VXC_MAX_SEGS)
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
static int vxc_parse_xfer(struct vxc_dev *xc, char *cmd, struct vxc_xfer *x)
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
		x->dir = VFPGA_XDMA_H2C;
	else if (!strcmp(dir, "c2h"))
		x->dir = VFPGA_XDMA_C2H;
	else
		return -EINVAL;
	if (kstrtouint(chan, 0, &x->chan) || kstrtou64(offset, 0, &x->offset))
		return -EINVAL;
	if (x->chan >= xc->board->nchan[x->dir])
		return -ENODEV;
	ret = vxc_parse_layout(x, kind, cmd);
	if (ret)
		return ret;
	x->card_size = xc->board->card_size;
	if (x->offset > x->card_size || x->total > x->card_size - x->offset)
		return -ERANGE;
	return 0;
}

static const char *vxc_dma_status_name(enum dma_status s)
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

static irqreturn_t vxc_uirq_isr(int irq, void *data)
{
	struct vxc_dev *xc = data;
	void __iomem *user = xc->board->user;

	if (!(ioread32(user + VFPGA_IRQGEN_STATUS) &
	      VFPGA_IRQGEN_STATUS_PENDING))
		return IRQ_NONE;
	/* Ping-pong: the acknowledge raises the next one. */
	iowrite32(VFPGA_IRQGEN_ACK_BIT, user + VFPGA_IRQGEN_ACK);
	if (atomic_inc_return(&xc->uirq_count) == xc->uirq_target)
		complete(&xc->uirq_done);
	return IRQ_HANDLED;
}

static int vxc_uirq_run(struct vxc_dev *xc, unsigned int line,
			unsigned int count, char *out, size_t size)
{
	struct vfpga_xdma_board *b = xc->board;
	void __iomem *user = b->user;
	u32 vec_reg, raised, acked;
	unsigned long left;
	ktime_t start;
	u64 ns;
	int irq, ret;

	if (line >= VFPGA_USER_IRQ_LINES || !count || count > INT_MAX)
		return -EINVAL;
	if (!READ_ONCE(b->xdma->dev.driver))
		return -ENODEV;
	irq = xdma_get_user_irq(b->xdma, line);
	if (irq < 0)
		return irq;

	atomic_set(&xc->uirq_count, 0);
	xc->uirq_target = count;
	reinit_completion(&xc->uirq_done);
	ret = request_irq(irq, vxc_uirq_isr, 0, VXC_NAME "-user", xc);
	if (ret)
		return ret;
	ret = xdma_enable_user_irq(b->xdma, irq);
	if (ret)
		goto out_free;

	iowrite32(VFPGA_IRQGEN_MODE_PINGPONG, user + VFPGA_IRQGEN_MODE);
	iowrite32(line, user + VFPGA_IRQGEN_LINE);
	iowrite32(count, user + VFPGA_IRQGEN_COUNT);
	start = ktime_get();
	iowrite32(VFPGA_IRQGEN_CTRL_START, user + VFPGA_IRQGEN_CTRL);
	left = wait_for_completion_timeout(&xc->uirq_done,
					   msecs_to_jiffies(VXC_TIMEOUT_MS));
	ns = ktime_to_ns(ktime_sub(ktime_get(), start));
	if (!left)
		iowrite32(VFPGA_IRQGEN_CTRL_STOP, user + VFPGA_IRQGEN_CTRL);
	raised = ioread32(user + VFPGA_IRQGEN_RAISED);
	acked = ioread32(user + VFPGA_IRQGEN_ACKED);
	vec_reg = vfpga_xdma_reg(b, XDMA_IRQ_BASE + XDMA_IRQ_USER_VEC_NUM +
				 4 * (line / 4));

	xdma_disable_user_irq(b->xdma, irq);
	scnprintf(out, size,
		  "status=%s line=%u irq=%d vector=%u handled=%d raised=%u acked=%u ns=%llu\n",
		  left ? "ok" : "timeout", line, irq,
		  (vec_reg >> XDMA_IRQ_VEC_SHIFT(line)) & XDMA_IRQ_VEC_MASK,
		  atomic_read(&xc->uirq_count), raised, acked, ns);
out_free:
	free_irq(irq, xc);
	return ret;
}

/* ---- debugfs ------------------------------------------------------------ */

struct vxc_file {
	struct vxc_dev *xc;
	char result[VXC_RESULT_MAX];
};

static int vxc_file_open(struct inode *inode, struct file *file)
{
	struct vxc_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	f->xc = inode->i_private;
	file->private_data = f;
	return nonseekable_open(inode, file);
}

static int vxc_file_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static ssize_t vxc_file_read(struct file *file, char __user *buf,
			     size_t len, loff_t *ppos)
{
	struct vxc_file *f = file->private_data;

	return simple_read_from_buffer(buf, len, ppos, f->result,
				       strlen(f->result));
}

static int vxc_do_xfer(struct vxc_dev *xc, char *cmd, char *out, size_t size)
{
	struct vxc_result r = { .first_mismatch = -1, .chan_id = -1,
				.cb_result = -1, .dma_status = DMA_IN_PROGRESS,
				.chan_name = "none" };
	struct vxc_xfer x = { };
	int ret;

	ret = vxc_parse_xfer(xc, cmd, &x);
	if (ret)
		goto out;
	x.seed = get_random_u32();
	ret = vxc_xfer_run(xc, &x, &r);
	if (ret && !r.status)
		goto out;
	scnprintf(out, size,
		  "status=%s dir=%s chan=%u offset=0x%llx bytes=%zu segments=%u nents=%d mismatches=%zu first_mismatch=%lld expected=0x%02x got=0x%02x guard_errors=%zu ns=%llu dma_status=%s callback_result=%d dma_chan=%s chan_id=%d hw_status=0x%x hw_completed=%u hw_desc=0x%08x%08x hw_adj=%u seed=0x%08x\n",
		  r.status, vfpga_xdma_dir_name(x.dir), x.chan, x.offset,
		  x.total, x.nseg, r.nents, r.mismatches, r.first_mismatch,
		  r.expected, r.got, r.guard_errors, r.ns,
		  vxc_dma_status_name(r.dma_status), r.cb_result, r.chan_name,
		  r.chan_id, r.hw_status, r.hw_completed, r.hw_desc_hi,
		  r.hw_desc_lo, r.hw_adj, x.seed);
	ret = 0;
out:
	vxc_xfer_free(&x);
	return ret;
}

static ssize_t vxc_file_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos, bool xfer)
{
	struct vxc_file *f = file->private_data;
	struct vxc_dev *xc = f->xc;
	unsigned int line, count;
	char *cmd;
	int ret;

	if (!len || len >= VXC_CMD_MAX)
		return -EINVAL;
	cmd = memdup_user_nul(ubuf, len);
	if (IS_ERR(cmd))
		return PTR_ERR(cmd);

	f->result[0] = '\0';
	mutex_lock(&xc->lock);
	if (xfer) {
		ret = vxc_do_xfer(xc, cmd, f->result, sizeof(f->result));
	} else if (sscanf(cmd, "%u %u", &line, &count) == 2) {
		ret = vxc_uirq_run(xc, line, count, f->result,
				   sizeof(f->result));
	} else {
		ret = -EINVAL;
	}
	mutex_unlock(&xc->lock);
	kfree(cmd);
	return ret ? ret : len;
}

static ssize_t vxc_xfer_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	return vxc_file_write(file, ubuf, len, ppos, true);
}

static ssize_t vxc_uirq_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	return vxc_file_write(file, ubuf, len, ppos, false);
}

static const struct file_operations vxc_xfer_fops = {
	.owner = THIS_MODULE,
	.open = vxc_file_open,
	.release = vxc_file_release,
	.read = vxc_file_read,
	.write = vxc_xfer_write,
};

static const struct file_operations vxc_uirq_fops = {
	.owner = THIS_MODULE,
	.open = vxc_file_open,
	.release = vxc_file_release,
	.read = vxc_file_read,
	.write = vxc_uirq_write,
};

/* What upstream found and what it programmed into the IRQ block. */
static int vxc_info_show(struct seq_file *m, void *unused)
{
	struct vxc_dev *xc = m->private;
	struct vfpga_xdma_board *b = xc->board;
	unsigned int d, i;
	u32 chan;

	seq_printf(m, "h2c_channels=%u c2h_channels=%u vectors=%u irq_base=%d card_size=%llu\n",
		   b->nchan[VFPGA_XDMA_H2C], b->nchan[VFPGA_XDMA_C2H], b->nvec,
		   b->irq_base, (u64)b->card_size);
	seq_printf(m, "xdma_device=%s bound=%d\n", dev_name(&b->xdma->dev),
		   !!READ_ONCE(b->xdma->dev.driver));
	seq_printf(m, "chan_int_en=0x%08x user_int_en=0x%08x\n",
		   vfpga_xdma_reg(b, XDMA_IRQ_BASE + XDMA_IRQ_CHAN_INT_EN),
		   vfpga_xdma_reg(b, XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_EN));
	for (i = 0; i < XDMA_IRQ_CHAN_VEC_REGS; i++)
		seq_printf(m, "chan_vec_num%u=0x%08x\n", i,
			   vfpga_xdma_reg(b, XDMA_IRQ_BASE +
					  XDMA_IRQ_CHAN_VEC_NUM + 4 * i));
	for (i = 0; i < XDMA_IRQ_USER_VEC_REGS; i++)
		seq_printf(m, "user_vec_num%u=0x%08x\n", i,
			   vfpga_xdma_reg(b, XDMA_IRQ_BASE +
					  XDMA_IRQ_USER_VEC_NUM + 4 * i));
	for (d = VFPGA_XDMA_H2C; d <= VFPGA_XDMA_C2H; d++) {
		for (i = 0; i < b->nchan[d]; i++) {
			chan = vfpga_xdma_chan_base(d, i);
			seq_printf(m, "%s%u_control=0x%08x %s%u_intr_enable=0x%08x\n",
				   vfpga_xdma_dir_name(d), i,
				   vfpga_xdma_reg(b, chan + XDMA_CHAN_CONTROL),
				   vfpga_xdma_dir_name(d), i,
				   vfpga_xdma_reg(b, chan +
						  XDMA_CHAN_INTR_ENABLE));
		}
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vxc_info);

/* ---- probe -------------------------------------------------------------- */

static void vxc_teardown(void *data)
{
	struct vxc_dev *xc = data;

	debugfs_remove_recursive(xc->dbg);
	mutex_lock(&xc->lock);
	vxc_put_chans(xc);
	mutex_unlock(&xc->lock);
}

static int vxc_probe(struct auxiliary_device *adev,
		     const struct auxiliary_device_id *id)
{
	struct device *dev = &adev->dev;
	struct vxc_dev *xc;
	int ret;

	xc = devm_kzalloc(dev, sizeof(*xc), GFP_KERNEL);
	if (!xc)
		return -ENOMEM;
	xc->board = vfpga_xdma_board(adev);
	xc->dev = dev;
	ret = devm_mutex_init(dev, &xc->lock);
	if (ret)
		return ret;
	init_completion(&xc->uirq_done);

	xc->dbg = debugfs_create_dir(pci_name(xc->board->pdev), vxc_dbg_root);
	debugfs_create_file("info", 0444, xc->dbg, xc, &vxc_info_fops);
	debugfs_create_file("xfer", 0600, xc->dbg, xc, &vxc_xfer_fops);
	debugfs_create_file("uirq", 0600, xc->dbg, xc, &vxc_uirq_fops);
	return devm_add_action_or_reset(dev, vxc_teardown, xc);
}

static const struct auxiliary_device_id vxc_ids[] = {
	{ .name = VFPGA_XDMA_AUX_ID },
	{ }
};
MODULE_DEVICE_TABLE(auxiliary, vxc_ids);

static struct auxiliary_driver vxc_driver = {
	.id_table = vxc_ids,
	.probe = vxc_probe,
};

static int __init vxc_init(void)
{
	int ret;

	vxc_dbg_root = debugfs_create_dir(VXC_NAME, NULL);
	ret = auxiliary_driver_register(&vxc_driver);
	if (ret)
		debugfs_remove(vxc_dbg_root);
	return ret;
}
module_init(vxc_init);

static void __exit vxc_exit(void)
{
	auxiliary_driver_unregister(&vxc_driver);
	debugfs_remove(vxc_dbg_root);
}
module_exit(vxc_exit);

MODULE_DESCRIPTION("dmaengine test client of the vfpga board on upstream XDMA");
MODULE_LICENSE("GPL");
