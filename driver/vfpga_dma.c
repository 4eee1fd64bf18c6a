// SPDX-License-Identifier: GPL-2.0
/*
 * vfpga core driver: DMA through the board's XDMA engine.
 *
 * A transfer becomes a chain of XDMA descriptors in coherent memory, one
 * or more per scatter-gather segment of the host side (split at
 * VFPGA_DESC_MAX bytes), each naming the matching card-memory range.  The
 * chain's last descriptor asks for STOPPED and COMPLETED; its completion
 * arrives as the channel interrupt, or, in poll mode, as the engine's
 * writeback of its completed count.  The host side is a coherent buffer
 * of the file's, an SG buffer of the file's (user memory pinned and mapped
 * until unmapped, synced by its owner), or user memory pinned for the
 * duration of the transfer.
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "vfpga_drv.h"

/* Bytes per descriptor: well inside XDMA's 28-bit length field. */
#define VFPGA_DESC_MAX		SZ_128M
#define VFPGA_XFER_TIMEOUT_MS	10000

static void vfpga_chan_free_wb(void *data)
{
	struct vfpga_chan *chan = data;

	dma_free_coherent(&chan->vd->pdev->dev, sizeof(*chan->wb), chan->wb,
			  chan->wb_dma);
}

static int vfpga_chan_setup(struct vfpga_dev *vd, struct vfpga_chan *chan,
			    bool c2h, unsigned int index)
{
	struct device *dev = &vd->pdev->dev;

	chan->vd = vd;
	chan->c2h = c2h;
	chan->index = index;
	chan->regs = vd->xdma + (c2h ? XDMA_C2H_BASE : XDMA_H2C_BASE) +
		     index * XDMA_CHAN_STRIDE;
	chan->sgdma = vd->xdma + (c2h ? XDMA_C2H_SGDMA_BASE :
				  XDMA_H2C_SGDMA_BASE) +
		      index * XDMA_CHAN_STRIDE;
	mutex_init(&chan->lock);
	init_completion(&chan->done);
	chan->wb = dma_alloc_coherent(dev, sizeof(*chan->wb), &chan->wb_dma,
				      GFP_KERNEL);
	if (!chan->wb)
		return -ENOMEM;
	return devm_add_action_or_reset(dev, vfpga_chan_free_wb, chan);
}

/* Find the channels the way an XDMA driver does: by their identifiers. */
int vfpga_dma_setup(struct vfpga_dev *vd)
{
	struct device *dev = &vd->pdev->dev;
	unsigned int i;
	u32 id;
	int ret;

	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret)
		return dev_err_probe(dev, ret, "no 64-bit DMA\n");
	/*
	 * The chain builder splits a segment of any length into descriptors
	 * (VFPGA_DESC_MAX each) and a descriptor may cross any address
	 * boundary, so let the DMA API merge freely; PCI's default of 64 KiB
	 * is what DMA_API_DEBUG_SG flagged for merged pages and 2 MiB
	 * plugin blocks.
	 */
	dma_set_max_seg_size(dev, UINT_MAX);
	dma_set_seg_boundary(dev, ULONG_MAX);

	for (i = 0; i < XDMA_MAX_CHANNELS; i++) {
		id = readl(vd->xdma + XDMA_H2C_BASE + i * XDMA_CHAN_STRIDE);
		if ((id & 0xffff0000) !=
		    (XDMA_ID_SUBSYSTEM | XDMA_ID_TARGET(XDMA_TARGET_H2C)))
			break;
		id = readl(vd->xdma + XDMA_C2H_BASE + i * XDMA_CHAN_STRIDE);
		if ((id & 0xffff0000) !=
		    (XDMA_ID_SUBSYSTEM | XDMA_ID_TARGET(XDMA_TARGET_C2H)))
			break;
		ret = vfpga_chan_setup(vd, &vd->h2c[i], false, i);
		if (!ret)
			ret = vfpga_chan_setup(vd, &vd->c2h[i], true, i);
		if (ret)
			return ret;
	}
	vd->num_chans = i;
	if (!i)
		return dev_err_probe(dev, -ENODEV, "no XDMA channels\n");
	vd->card_size = vd->bar[VFPGA_BAR_CARD_MEM] ?
			pci_resource_len(vd->pdev, VFPGA_BAR_CARD_MEM) : 0;
	return 0;
}

/* From the interrupt handler: channels whose interrupt is pending. */
void vfpga_dma_irq(struct vfpga_dev *vd, u32 chan_lines)
{
	/* The bit walk reads whole longs: never point it at a u32. */
	unsigned long pending = chan_lines;
	unsigned int line;

	for_each_set_bit(line, &pending, VFPGA_CHAN_LINES) {
		struct vfpga_chan *chan;

		if (line >= 2 * vd->num_chans)
			continue;
		chan = line < vd->num_chans ? &vd->h2c[line] :
		       &vd->c2h[line - vd->num_chans];
		/* Reading the status clears it and with it the request. */
		chan->status = readl(chan->regs + XDMA_CHAN_STATUS_RC);
		complete(&chan->done);
	}
}

/* Wake every transfer waiter: the board is going away. */
void vfpga_dma_wake_all(struct vfpga_dev *vd)
{
	unsigned int i;

	for (i = 0; i < vd->num_chans; i++) {
		complete_all(&vd->h2c[i].done);
		complete_all(&vd->c2h[i].done);
	}
}

/* The host side of a transfer, as DMA segments. */
struct vfpga_host_side {
	struct sg_table sgt;
	struct page **pages;
	unsigned long nr_pages;
	enum dma_data_direction dir;
	dma_addr_t dma;			/* coherent buffer */
};

/* User memory mapped for DMA until unmapped: an SG buffer of a file. */
struct vfpga_sgbuf {
	struct list_head node;
	u32 id;
	u64 length;
	atomic_t users;			/* transfers using it */
	struct vfpga_host_side host;
};

/* Pin user memory and map it for DMA in @dir. */
static int vfpga_host_pin(struct vfpga_dev *vd, struct vfpga_host_side *h,
			  u64 uaddr, u64 len, enum dma_data_direction dir)
{
	struct device *dev = &vd->pdev->dev;
	unsigned long first = uaddr >> PAGE_SHIFT;
	unsigned long last = (uaddr + len - 1) >> PAGE_SHIFT;
	int pinned, ret;

	if (uaddr + len < uaddr)
		return -EFAULT;
	h->nr_pages = last - first + 1;
	h->pages = kvmalloc_array(h->nr_pages, sizeof(*h->pages), GFP_KERNEL);
	if (!h->pages)
		return -ENOMEM;
	pinned = pin_user_pages_fast(uaddr & PAGE_MASK, h->nr_pages,
				     dir == DMA_TO_DEVICE ? 0 : FOLL_WRITE,
				     h->pages);
	if (pinned < 0) {
		ret = pinned;
		goto err_free;
	}
	if (pinned != h->nr_pages) {
		h->nr_pages = pinned;
		ret = -EFAULT;
		goto err_unpin;
	}
	ret = sg_alloc_table_from_pages(&h->sgt, h->pages, h->nr_pages,
					offset_in_page(uaddr), len, GFP_KERNEL);
	if (ret)
		goto err_unpin;
	ret = dma_map_sgtable(dev, &h->sgt, dir, 0);
	if (ret)
		goto err_free_table;
	h->dir = dir;
	return 0;

err_free_table:
	sg_free_table(&h->sgt);
err_unpin:
	unpin_user_pages(h->pages, h->nr_pages);
err_free:
	kvfree(h->pages);
	h->pages = NULL;
	return ret;
}

static void vfpga_host_release(struct vfpga_dev *vd,
			       struct vfpga_host_side *h)
{
	if (!h->pages)
		return;
	dma_unmap_sgtable(&vd->pdev->dev, &h->sgt, h->dir, 0);
	sg_free_table(&h->sgt);
	unpin_user_pages_dirty_lock(h->pages, h->nr_pages,
				    h->dir != DMA_TO_DEVICE);
	kvfree(h->pages);
	h->pages = NULL;
}

static struct vfpga_buf *vfpga_buf_find(struct vfpga_file *vf, u32 id)
{
	struct vfpga_buf *buf;

	list_for_each_entry(buf, &vf->bufs, node)
		if (buf->id == id)
			return buf;
	return NULL;
}

/* Descriptors for [dma, dma + len) <-> card [*card, ...), split at MAX. */
static void vfpga_chain_fill(struct xdma_desc *d, unsigned int *n,
			     dma_addr_t chain, dma_addr_t dma, u64 len,
			     u64 *card, bool c2h)
{
	while (len) {
		u32 chunk = min_t(u64, len, VFPGA_DESC_MAX);
		struct xdma_desc *desc = &d[*n];

		desc->control = cpu_to_le32(XDMA_DESC_CONTROL(0, 0));
		desc->bytes = cpu_to_le32(chunk);
		desc->src_addr = cpu_to_le64(c2h ? *card : dma);
		desc->dst_addr = cpu_to_le64(c2h ? dma : *card);
		(*n)++;
		desc->next_desc = cpu_to_le64(chain + *n * sizeof(*desc));
		dma += chunk;
		*card += chunk;
		len -= chunk;
	}
}

static unsigned int vfpga_chain_count(u64 len)
{
	return DIV_ROUND_UP_ULL(len, VFPGA_DESC_MAX);
}

/*
 * Walk [@off, @off + @len) of a mapped table: count descriptors when
 * @chain is NULL, fill them otherwise.
 */
static unsigned int vfpga_chain_sgt(struct sg_table *sgt, u64 off, u64 len,
				    struct xdma_desc *chain,
				    dma_addr_t chain_dma, u64 card, bool c2h)
{
	struct scatterlist *sg;
	unsigned int n = 0, i;
	u64 seg, take;

	for_each_sgtable_dma_sg(sgt, sg, i) {
		seg = sg_dma_len(sg);
		if (off >= seg) {
			off -= seg;
			continue;
		}
		take = min(seg - off, len);
		if (chain)
			vfpga_chain_fill(chain, &n, chain_dma,
					 sg_dma_address(sg) + off, take, &card,
					 c2h);
		else
			n += vfpga_chain_count(take);
		off = 0;
		len -= take;
		if (!len)
			break;
	}
	return n;
}

/*
 * Stop @chan and leave it quiet: no interrupt for the stop itself (a late
 * one would complete the channel's next transfer), the engine idle before
 * its memory is released, and its status events dropped.
 */
static void vfpga_chan_stop(struct vfpga_chan *chan)
{
	u32 status;

	writel(0, chan->regs + XDMA_CHAN_INTR_ENABLE);
	writel(XDMA_CTRL_RUN, chan->regs + XDMA_CHAN_CONTROL_W1C);
	readl_poll_timeout(chan->regs + XDMA_CHAN_STATUS, status,
			   !(status & XDMA_STAT_BUSY) || status == U32_MAX,
			   10, 100 * USEC_PER_MSEC);
	readl(chan->regs + XDMA_CHAN_STATUS_RC);
}

/* Run the chain on @chan and wait; returns 0 or a negative errno. */
static int vfpga_chan_run(struct vfpga_chan *chan, dma_addr_t chain,
			  unsigned int ndesc, bool poll, u64 len, u32 *status)
{
	u32 ctrl = XDMA_CTRL_RUN | XDMA_STAT_EVENTS;
	unsigned long timeout = msecs_to_jiffies(VFPGA_XFER_TIMEOUT_MS +
						 (len >> 24) * 1000);
	struct vfpga_dev *vd = chan->vd;
	unsigned long deadline = jiffies + timeout;
	int ret = 0;
	long left;

	reinit_completion(&chan->done);
	chan->status = 0;
	/* Before the engine can interrupt; the write below orders it. */
	atomic_inc(&vd->dma_running);
	writel(XDMA_CTRL_RUN, chan->regs + XDMA_CHAN_CONTROL_W1C);
	writel(lower_32_bits(chain), chan->sgdma + XDMA_SGDMA_DESC_LO);
	writel(upper_32_bits(chain), chan->sgdma + XDMA_SGDMA_DESC_HI);
	writel(0, chan->sgdma + XDMA_SGDMA_DESC_ADJ);
	if (poll) {
		WRITE_ONCE(*chan->wb, 0);
		writel(lower_32_bits(chan->wb_dma),
		       chan->regs + XDMA_CHAN_POLL_WB_LO);
		writel(upper_32_bits(chan->wb_dma),
		       chan->regs + XDMA_CHAN_POLL_WB_HI);
		writel(0, chan->regs + XDMA_CHAN_INTR_ENABLE);
		ctrl |= XDMA_CTRL_POLL_MODE_WB;
	} else {
		writel(XDMA_STAT_EVENTS, chan->regs + XDMA_CHAN_INTR_ENABLE);
	}
	writel(ctrl, chan->regs + XDMA_CHAN_CONTROL);

	if (poll) {
		for (;;) {
			u32 wb = le32_to_cpu(READ_ONCE(*chan->wb));

			if ((wb & XDMA_WB_ERROR) ||
			    (wb & XDMA_WB_COUNT_MASK) >= ndesc)
				break;
			if (signal_pending(current)) {
				ret = -EINTR;
				break;
			}
			if (time_after(jiffies, deadline) || vfpga_dying(vd)) {
				ret = vfpga_dying(vd) ? -ENODEV : -ETIMEDOUT;
				break;
			}
			usleep_range(5, 20);
		}
		*status = readl(chan->regs + XDMA_CHAN_STATUS_RC);
	} else {
		left = wait_for_completion_interruptible_timeout(&chan->done,
								 timeout);
		if (left < 0)
			ret = -EINTR;
		else if (vfpga_dying(vd))
			ret = -ENODEV;
		else if (!left)
			ret = -ETIMEDOUT;
		*status = chan->status;
	}

	/* After a signal or a timeout the engine may still run. */
	vfpga_chan_stop(chan);
	atomic_dec(&vd->dma_running);
	if (ret)
		return ret;
	if (*status == U32_MAX) {
		vfpga_check_gone(vd);
		return -ENODEV;
	}
	if ((*status & XDMA_STAT_ERRORS) || !(*status & XDMA_STAT_DESC_STOPPED) ||
	    readl(chan->regs + XDMA_CHAN_COMPLETED_DESC) != ndesc)
		return -EIO;
	return 0;
}

static struct vfpga_sgbuf *vfpga_sgbuf_find(struct vfpga_file *vf, u32 id)
{
	struct vfpga_sgbuf *sb;

	list_for_each_entry(sb, &vf->sgbufs, node)
		if (sb->id == id)
			return sb;
	return NULL;
}

/*
 * Run one descriptor chain between host memory, the mapped table @sgt
 * from @sg_off or, when @sgt is NULL, the contiguous range at @dma, and
 * card memory at @card, on channel @channel: for the transfer ioctl and
 * for plugins (vfpga_kp_dma.c).  Returns 0 or a negative errno; @status
 * gets the channel status and @ndesc the chain's length.
 */
int vfpga_dma_run(struct vfpga_dev *vd, bool c2h, unsigned int channel,
		  struct sg_table *sgt, u64 sg_off, dma_addr_t dma, u64 card,
		  u64 len, bool poll, u32 *status, u64 *ndesc)
{
	struct device *dev = &vd->pdev->dev;
	struct vfpga_chan *chan;
	struct xdma_desc *chain;
	unsigned int n = 0, max;
	dma_addr_t chain_dma;
	int ret;

	if (channel >= vd->num_chans || !len)
		return -EINVAL;
	if (card >= vd->card_size || len > vd->card_size - card)
		return -ERANGE;
	chan = c2h ? &vd->c2h[channel] : &vd->h2c[channel];

	max = sgt ? vfpga_chain_sgt(sgt, sg_off, len, NULL, 0, 0, c2h) :
	      vfpga_chain_count(len);
	chain = dma_alloc_coherent(dev, max * sizeof(*chain), &chain_dma,
				   GFP_KERNEL);
	if (!chain)
		return -ENOMEM;
	if (sgt)
		n = vfpga_chain_sgt(sgt, sg_off, len, chain, chain_dma, card,
				    c2h);
	else
		vfpga_chain_fill(chain, &n, chain_dma, dma, len, &card, c2h);
	chain[n - 1].control =
		cpu_to_le32(XDMA_DESC_CONTROL(0, XDMA_DESC_STOPPED |
						 XDMA_DESC_COMPLETED));
	chain[n - 1].next_desc = 0;
	*ndesc = n;

	ret = mutex_lock_interruptible(&chan->lock);
	if (!ret) {
		ret = vfpga_chan_run(chan, chain_dma, n, poll, len, status);
		mutex_unlock(&chan->lock);
	}
	dma_free_coherent(dev, max * sizeof(*chain), chain, chain_dma);
	return ret;
}

int vfpga_dma_xfer(struct vfpga_dev *vd, struct vfpga_file *vf,
		   struct vfpga_dma_xfer *x)
{
	const u32 kinds = VFPGA_XFER_USER_PTR | VFPGA_XFER_SG_BUF;
	struct vfpga_sgbuf *sb = NULL;
	struct vfpga_buf *buf = NULL;
	struct vfpga_host_side host = { };
	struct sg_table *sgt = NULL;
	bool c2h = x->dir == VFPGA_DMA_C2H;
	u64 sg_off = 0;
	int ret;

	if (x->flags & ~(kinds | VFPGA_XFER_POLL) ||
	    (x->flags & kinds) == kinds)
		return -EINVAL;
	if (x->dir > VFPGA_DMA_C2H || x->channel >= vd->num_chans ||
	    !x->length)
		return -EINVAL;
	if (x->card_offset >= vd->card_size ||
	    x->length > vd->card_size - x->card_offset)
		return -ERANGE;

	/*
	 * A file's buffer in use by a transfer cannot be freed (-EBUSY): the
	 * file's lock is held only to look it up, so that transfers of one
	 * file on several channels run in parallel.
	 */
	if (x->flags & VFPGA_XFER_USER_PTR) {
		ret = vfpga_host_pin(vd, &host, x->user_addr, x->length,
				     c2h ? DMA_FROM_DEVICE : DMA_TO_DEVICE);
		if (ret)
			return ret;
		sgt = &host.sgt;
	} else {
		mutex_lock(&vf->lock);
		if (x->flags & VFPGA_XFER_SG_BUF) {
			sb = vfpga_sgbuf_find(vf, x->buf_id);
			ret = !sb ? -EINVAL :
			      x->buf_offset >= sb->length ||
			      x->length > sb->length - x->buf_offset ? -ERANGE : 0;
			if (!ret) {
				atomic_inc(&sb->users);
				sgt = &sb->host.sgt;
				sg_off = x->buf_offset;
			}
		} else {
			buf = vfpga_buf_find(vf, x->buf_id);
			ret = !buf ? -EINVAL :
			      x->buf_offset >= buf->size ||
			      x->length > buf->size - x->buf_offset ? -ERANGE : 0;
			if (!ret) {
				atomic_inc(&buf->users);
				host.dma = buf->dma + x->buf_offset;
			}
		}
		mutex_unlock(&vf->lock);
		if (ret)
			return ret;
	}

	ret = vfpga_dma_run(vd, c2h, x->channel, sgt, sg_off, host.dma,
			    x->card_offset, x->length, x->flags & VFPGA_XFER_POLL,
			    &x->status, &x->descriptors);
	if (sb)
		atomic_dec(&sb->users);
	if (buf)
		atomic_dec(&buf->users);
	vfpga_host_release(vd, &host);
	return ret;
}

/* SG buffers: user memory pinned and mapped until unmapped. */

int vfpga_sgbuf_map(struct vfpga_dev *vd, struct vfpga_file *vf,
		    struct vfpga_dma_sg *m)
{
	struct vfpga_sgbuf *sb;
	unsigned long id;
	int ret;

	if (m->flags || !m->length)
		return -EINVAL;
	sb = kzalloc(sizeof(*sb), GFP_KERNEL);
	if (!sb)
		return -ENOMEM;
	ret = vfpga_host_pin(vd, &sb->host, m->user_addr, m->length,
			     DMA_BIDIRECTIONAL);
	if (ret) {
		kfree(sb);
		return ret;
	}
	sb->length = m->length;

	mutex_lock(&vf->lock);
	id = find_first_zero_bit(&vf->sgbuf_ids, VFPGA_DMA_BUFS_MAX);
	if (id >= VFPGA_DMA_BUFS_MAX) {
		mutex_unlock(&vf->lock);
		vfpga_host_release(vd, &sb->host);
		kfree(sb);
		return -ENOSPC;
	}
	set_bit(id, &vf->sgbuf_ids);
	sb->id = id;
	list_add(&sb->node, &vf->sgbufs);
	mutex_unlock(&vf->lock);
	m->id = id;
	return 0;
}

static void vfpga_sgbuf_destroy(struct vfpga_dev *vd, struct vfpga_file *vf,
				struct vfpga_sgbuf *sb)
{
	list_del(&sb->node);
	clear_bit(sb->id, &vf->sgbuf_ids);
	vfpga_host_release(vd, &sb->host);
	kfree(sb);
}

int vfpga_sgbuf_unmap(struct vfpga_dev *vd, struct vfpga_file *vf, u32 id)
{
	struct vfpga_sgbuf *sb;

	int ret = 0;

	mutex_lock(&vf->lock);
	sb = vfpga_sgbuf_find(vf, id);
	if (!sb)
		ret = -EINVAL;
	else if (atomic_read(&sb->users))
		ret = -EBUSY;		/* a transfer is using it */
	else
		vfpga_sgbuf_destroy(vd, vf, sb);
	mutex_unlock(&vf->lock);
	return ret;
}

int vfpga_sgbuf_sync(struct vfpga_dev *vd, struct vfpga_file *vf,
		     struct vfpga_dma_sg *m)
{
	struct vfpga_sgbuf *sb;
	int ret = 0;

	if (m->flags != VFPGA_SYNC_FOR_CPU && m->flags != VFPGA_SYNC_FOR_DEVICE)
		return -EINVAL;
	mutex_lock(&vf->lock);
	sb = vfpga_sgbuf_find(vf, m->id);
	if (!sb)
		ret = -EINVAL;
	else if (m->flags == VFPGA_SYNC_FOR_CPU)
		dma_sync_sgtable_for_cpu(&vd->pdev->dev, &sb->host.sgt,
					 DMA_BIDIRECTIONAL);
	else
		dma_sync_sgtable_for_device(&vd->pdev->dev, &sb->host.sgt,
					    DMA_BIDIRECTIONAL);
	mutex_unlock(&vf->lock);
	return ret;
}

/* Coherent buffers of one file. */

int vfpga_buf_alloc(struct vfpga_dev *vd, struct vfpga_file *vf,
		    struct vfpga_dma_buf *b)
{
	struct vfpga_buf *buf;
	unsigned long id;

	if (!b->size || b->size > VFPGA_DMA_BUF_MAX)
		return -EINVAL;
	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	buf->size = PAGE_ALIGN(b->size);
	buf->cpu = dma_alloc_coherent(&vd->pdev->dev, buf->size, &buf->dma,
				      GFP_KERNEL);
	if (!buf->cpu) {
		kfree(buf);
		return -ENOMEM;
	}

	mutex_lock(&vf->lock);
	id = find_first_zero_bit(&vf->buf_ids, VFPGA_DMA_BUFS_MAX);
	if (id >= VFPGA_DMA_BUFS_MAX) {
		mutex_unlock(&vf->lock);
		dma_free_coherent(&vd->pdev->dev, buf->size, buf->cpu, buf->dma);
		kfree(buf);
		return -ENOSPC;
	}
	set_bit(id, &vf->buf_ids);
	buf->id = id;
	list_add(&buf->node, &vf->bufs);
	mutex_unlock(&vf->lock);

	b->id = id;
	b->size = buf->size;
	b->mmap_offset = (u64)(VFPGA_DMA_MMAP_REGION_FIRST + id) <<
			 VFPGA_MMAP_REGION_SHIFT;
	return 0;
}

static void vfpga_buf_destroy(struct vfpga_dev *vd, struct vfpga_file *vf,
			      struct vfpga_buf *buf)
{
	list_del(&buf->node);
	clear_bit(buf->id, &vf->buf_ids);
	dma_free_coherent(&vd->pdev->dev, buf->size, buf->cpu, buf->dma);
	kfree(buf);
}

int vfpga_buf_free(struct vfpga_dev *vd, struct vfpga_file *vf, u32 id)
{
	struct vfpga_buf *buf;
	int ret = 0;

	mutex_lock(&vf->lock);
	buf = vfpga_buf_find(vf, id);
	if (!buf)
		ret = -EINVAL;
	else if (atomic_read(&buf->maps) || atomic_read(&buf->users))
		ret = -EBUSY;		/* still mapped, or in a transfer */
	else
		vfpga_buf_destroy(vd, vf, buf);
	mutex_unlock(&vf->lock);
	return ret;
}

/* At release: every mapping is gone, since each held the file. */
void vfpga_buf_free_all(struct vfpga_dev *vd, struct vfpga_file *vf)
{
	struct vfpga_sgbuf *sb, *stmp;
	struct vfpga_buf *buf, *tmp;

	mutex_lock(&vf->lock);
	list_for_each_entry_safe(buf, tmp, &vf->bufs, node)
		vfpga_buf_destroy(vd, vf, buf);
	list_for_each_entry_safe(sb, stmp, &vf->sgbufs, node)
		vfpga_sgbuf_destroy(vd, vf, sb);
	mutex_unlock(&vf->lock);
}

static void vfpga_buf_vma_open(struct vm_area_struct *vma)
{
	struct vfpga_buf *buf = vma->vm_private_data;

	atomic_inc(&buf->maps);
}

static void vfpga_buf_vma_close(struct vm_area_struct *vma)
{
	struct vfpga_buf *buf = vma->vm_private_data;

	atomic_dec(&buf->maps);
}

static const struct vm_operations_struct vfpga_buf_vm_ops = {
	.open = vfpga_buf_vma_open,
	.close = vfpga_buf_vma_close,
};

int vfpga_buf_mmap(struct vfpga_dev *vd, struct vfpga_file *vf,
		   struct vm_area_struct *vma, u32 id)
{
	unsigned long len = vma->vm_end - vma->vm_start;
	struct vfpga_buf *buf;
	int ret;

	mutex_lock(&vf->lock);
	buf = vfpga_buf_find(vf, id);
	if (!buf || len > buf->size) {
		mutex_unlock(&vf->lock);
		return -EINVAL;
	}
	vma->vm_pgoff = 0;
	ret = dma_mmap_coherent(&vd->pdev->dev, vma, buf->cpu, buf->dma, len);
	if (!ret) {
		vma->vm_private_data = buf;
		vma->vm_ops = &vfpga_buf_vm_ops;
		atomic_inc(&buf->maps);
	}
	mutex_unlock(&vf->lock);
	return ret;
}
