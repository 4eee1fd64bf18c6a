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
#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "vfpga_drv.h"

/* Bytes per descriptor: well inside XDMA's 28-bit length field. */
#define VFPGA_DESC_MAX		SZ_128M
#define VFPGA_XFER_TIMEOUT_MS	10000

/*
 * Descriptor fields (struct xdma_desc), built with FIELD_PREP() and stored
 * with cpu_to_le32()/cpu_to_le64() into its __le32/__le64 fields.
 */
#define VFPGA_DESC_MAGIC_BITS	GENMASK(31, 16)
#define VFPGA_DESC_ADJ_BITS	GENMASK(13, 8)
#define VFPGA_DESC_FLAGS_BITS	GENMASK(7, 0)
#define VFPGA_DESC_LEN_BITS	GENMASK(27, 0)
static_assert(VFPGA_DESC_MAGIC_BITS == (0xffffu << XDMA_DESC_MAGIC_SHIFT));
static_assert(VFPGA_DESC_ADJ_BITS ==
	      (XDMA_DESC_ADJ_MASK << XDMA_DESC_ADJ_SHIFT));
static_assert(VFPGA_DESC_LEN_BITS == XDMA_DESC_LEN_MASK);
static_assert(VFPGA_DESC_MAX <= VFPGA_DESC_LEN_BITS);

/* No descriptor is fetched as adjacent: the next-adjacent count is 0. */
static __le32 vfpga_desc_control(u32 flags)
{
	return cpu_to_le32(FIELD_PREP(VFPGA_DESC_MAGIC_BITS, XDMA_DESC_MAGIC) |
			   FIELD_PREP(VFPGA_DESC_FLAGS_BITS, flags));
}

/*
 * The engine reported its chain run to the end and itself idle: stopping
 * is clearing RUN, with nothing to wait for and no status left to drop.
 */
static void vfpga_chan_stop_ended(struct vfpga_chan *chan)
{
	writel(0, chan->regs + XDMA_CHAN_INTR_ENABLE);
	writel(XDMA_CTRL_RUN, chan->regs + XDMA_CHAN_CONTROL_W1C);
}

static bool vfpga_chan_ended(u32 status)
{
	return status != U32_MAX && (status & XDMA_STAT_DESC_STOPPED) &&
	       !(status & XDMA_STAT_BUSY);
}

static const char *vfpga_chan_dir(struct vfpga_chan *chan)
{
	return chan->c2h ? "c2h" : "h2c";
}

/*
 * Stop @chan and leave it quiet: no interrupt for the stop itself (a late
 * one would complete the channel's next transfer), the engine idle before
 * its memory is released, and its status events dropped.  Returns 0, or
 * -ETIMEDOUT when the engine is still BUSY: it may still read and write
 * whatever its chain names.  A board that reads all-ones is gone and
 * moves nothing.
 */
static int vfpga_chan_stop(struct vfpga_chan *chan)
{
	u32 status;
	int ret;

	vfpga_chan_stop_ended(chan);
	ret = readl_poll_timeout(chan->regs + XDMA_CHAN_STATUS, status,
				 !(status & XDMA_STAT_BUSY) ||
				 status == U32_MAX,
				 10, 100 * USEC_PER_MSEC);
	readl(chan->regs + XDMA_CHAN_STATUS_RC);
	return ret;
}

/*
 * The channel's writeback word and its own chain go with the binding, but
 * not from under an engine that would not stop: it may still read the one
 * and write the other.
 */
static void vfpga_chan_free(void *data)
{
	struct vfpga_chan *chan = data;
	struct device *dev = &chan->vd->pdev->dev;

	if (chan->dead) {
		dev_err(dev, "%s%u is still busy: its chain and writeback word are left to it for good\n",
			vfpga_chan_dir(chan), chan->index);
		return;
	}
	if (chan->chain)
		dma_free_coherent(dev, VFPGA_CHAN_CHAIN_SIZE, chan->chain,
				  chan->chain_dma);
	dma_free_coherent(dev, sizeof(*chan->wb), chan->wb, chan->wb_dma);
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
	/* PG195: the identifier's bit 15 says AXI4-Stream. */
	chan->stream = readl(chan->regs + XDMA_CHAN_IDENTIFIER) &
		       XDMA_ID_STREAM;
	mutex_init(&chan->lock);
	init_completion(&chan->done);
	INIT_LIST_HEAD(&chan->kept);
	chan->wb = dma_alloc_coherent(dev, sizeof(*chan->wb), &chan->wb_dma,
				      GFP_KERNEL);
	if (!chan->wb)
		return -ENOMEM;
	chan->chain = dma_alloc_coherent(dev, VFPGA_CHAN_CHAIN_SIZE,
					 &chan->chain_dma, GFP_KERNEL);
	if (!chan->chain) {
		dma_free_coherent(dev, sizeof(*chan->wb), chan->wb,
				  chan->wb_dma);
		return -ENOMEM;
	}
	/*
	 * An engine left running (by an earlier binding whose stop failed)
	 * may still use memory we know nothing of: never start it.
	 */
	if (vfpga_chan_stop(chan)) {
		chan->dead = true;
		dev_err(dev, "%s%u is busy and would not stop: left unused\n",
			vfpga_chan_dir(chan), index);
	}
	return devm_add_action_or_reset(dev, vfpga_chan_free, chan);
}

/*
 * The channels of one direction, the way an XDMA driver finds them: by
 * their identifiers, channel 0 up to the first engine that is missing (its
 * identifier reads 0, not 0x1fc).  A direction may have none.
 */
static unsigned int vfpga_dma_probe_dir(struct vfpga_dev *vd, bool c2h)
{
	u32 want = XDMA_ID_SUBSYSTEM |
		   XDMA_ID_TARGET(c2h ? XDMA_TARGET_C2H : XDMA_TARGET_H2C);
	unsigned int i;
	u32 id;

	for (i = 0; i < XDMA_MAX_CHANNELS; i++) {
		id = readl(vd->xdma + (c2h ? XDMA_C2H_BASE : XDMA_H2C_BASE) +
			   i * XDMA_CHAN_STRIDE + XDMA_CHAN_IDENTIFIER);
		if ((id & 0xffff0000) != want || ((id >> 8) & 0xf) != i)
			break;
	}
	return i;
}

/* Find the channels and set them up. */
int vfpga_dma_setup(struct vfpga_dev *vd)
{
	struct device *dev = &vd->pdev->dev;
	unsigned int i;
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

	vd->num_h2c = vfpga_dma_probe_dir(vd, false);
	vd->num_c2h = vfpga_dma_probe_dir(vd, true);
	if (!vd->num_h2c && !vd->num_c2h)
		return dev_err_probe(dev, -ENODEV, "no XDMA channels\n");
	for (i = 0; i < vd->num_h2c; i++) {
		ret = vfpga_chan_setup(vd, &vd->h2c[i], false, i);
		if (ret)
			return ret;
	}
	for (i = 0; i < vd->num_c2h; i++) {
		ret = vfpga_chan_setup(vd, &vd->c2h[i], true, i);
		if (ret)
			return ret;
	}
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

		if (line >= vd->num_h2c + vd->num_c2h)
			continue;
		chan = line < vd->num_h2c ? &vd->h2c[line] :
		       &vd->c2h[line - vd->num_h2c];
		/* Reading the status clears it and with it the request. */
		chan->status = readl(chan->regs + XDMA_CHAN_STATUS_RC);
		chan->irq_ns = ktime_get_ns();
		complete(&chan->done);
	}
}

/* Wake every transfer waiter: the board is going away. */
void vfpga_dma_wake_all(struct vfpga_dev *vd)
{
	unsigned int i;

	for (i = 0; i < vd->num_h2c; i++)
		complete_all(&vd->h2c[i].done);
	for (i = 0; i < vd->num_c2h; i++)
		complete_all(&vd->c2h[i].done);
}

/* The host side of a transfer, as DMA segments. */
struct vfpga_host_side {
	struct sg_table sgt;
	struct page **pages;
	unsigned long nr_pages;
	unsigned int offset;		/* of the first byte, in pages[0] */
	u64 len;
	enum dma_data_direction dir;	/* not DMA_TO_DEVICE: claimed lines */
	struct mm_struct *mm;		/* charged RLIMIT_MEMLOCK, if set */
};

/* User memory mapped for DMA until unmapped: an SG buffer of a file. */
struct vfpga_sgbuf {
	u32 id;
	u64 length;
	atomic_t users;			/* transfers using it */
	struct vfpga_chan *wedged;	/* used by the last run of a dead one */
	struct vfpga_host_side host;
};

/*
 * What the last transfer of a dead channel used, on chan->kept: its chain
 * or the user memory pinned for it.  Freed only if the engine is seen
 * stopped at remove() (the board was reset meanwhile); never otherwise.
 */
struct vfpga_kept {
	struct list_head node;
	struct xdma_desc *chain;	/* or NULL */
	dma_addr_t chain_dma;
	size_t chain_size;
	struct vfpga_host_side host;	/* pages NULL if none */
};

/*
 * A long-term pin is charged to the pinning mm's pinned_vm, against its
 * RLIMIT_MEMLOCK unless the caller has CAP_IPC_LOCK, as RDMA's umem and
 * io_uring's registered buffers are.  Not account_locked_vm(): it takes
 * mmap_lock, and buffers are given back under vf->lock (remove(),
 * close()), which mmap() takes under mmap_lock.  An atomic needs no lock.
 */
static int vfpga_host_charge(struct vfpga_host_side *h,
			     unsigned long nr_pages)
{
	struct mm_struct *mm = current->mm;
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;

	if ((unsigned long)atomic64_add_return(nr_pages, &mm->pinned_vm) > limit &&
	    !capable(CAP_IPC_LOCK)) {
		atomic64_sub(nr_pages, &mm->pinned_vm);
		return -ENOMEM;
	}
	h->mm = mm;
	mmgrab(mm);
	return 0;
}

/* Give back what vfpga_host_charge() charged, to the mm it charged. */
static void vfpga_host_uncharge(struct vfpga_host_side *h,
				unsigned long nr_pages)
{
	if (!h->mm)
		return;
	atomic64_sub(nr_pages, &h->mm->pinned_vm);
	mmdrop(h->mm);
	h->mm = NULL;
}

/*
 * Pin user memory and map it for DMA in @dir: for one transfer, or with
 * @longterm for an SG buffer, which stays pinned until it is unmapped and
 * so is charged to the caller's RLIMIT_MEMLOCK (unless CAP_IPC_LOCK, as
 * VFIO does) and pinned FOLL_LONGTERM (out of movable zones and CMA).
 * At most VFPGA_DMA_PIN_MAX bytes (-E2BIG); -ENOMEM past RLIMIT_MEMLOCK.
 */
static int vfpga_host_pin(struct vfpga_dev *vd, struct vfpga_host_side *h,
			  u64 uaddr, u64 len, enum dma_data_direction dir,
			  bool longterm)
{
	struct device *dev = &vd->pdev->dev;
	unsigned long first, last;
	unsigned int gup = 0;
	int pinned, ret;

	if (len > VFPGA_DMA_PIN_MAX)
		return -E2BIG;
	if (uaddr + len < uaddr)
		return -EFAULT;
	first = uaddr >> PAGE_SHIFT;
	last = (uaddr + len - 1) >> PAGE_SHIFT;
	h->nr_pages = last - first + 1;
	if (longterm) {
		ret = vfpga_host_charge(h, h->nr_pages);
		if (ret)
			return ret;
		gup |= FOLL_LONGTERM;
	}
	if (dir != DMA_TO_DEVICE)
		gup |= FOLL_WRITE;
	/* A length no allocation can hold is -ENOMEM, not a warning. */
	h->pages = kvmalloc_array(h->nr_pages, sizeof(*h->pages),
				  GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!h->pages) {
		ret = -ENOMEM;
		goto err_uncharge;
	}
	pinned = pin_user_pages_fast(uaddr & PAGE_MASK, h->nr_pages, gup,
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
	h->offset = offset_in_page(uaddr);
	h->len = len;
	h->dir = dir;
	/* Only one mapping of a cacheline for the board to write. */
	if (dir != DMA_TO_DEVICE) {
		ret = vfpga_dma_claim(h->pages, h->nr_pages, h->offset, len);
		if (ret)
			goto err_unpin;
	}
	ret = sg_alloc_table_from_pages(&h->sgt, h->pages, h->nr_pages,
					h->offset, len, GFP_KERNEL);
	if (ret)
		goto err_unclaim;
	ret = dma_map_sgtable(dev, &h->sgt, dir, 0);
	if (ret)
		goto err_free_table;
	return 0;

err_free_table:
	sg_free_table(&h->sgt);
err_unclaim:
	if (dir != DMA_TO_DEVICE)
		vfpga_dma_unclaim(h->pages, h->nr_pages, h->offset, len);
err_unpin:
	unpin_user_pages(h->pages, h->nr_pages);
err_free:
	kvfree(h->pages);
	h->pages = NULL;
err_uncharge:
	vfpga_host_uncharge(h, last - first + 1);
	return ret;
}

static void vfpga_host_release(struct vfpga_dev *vd,
			       struct vfpga_host_side *h)
{
	if (!h->pages)
		return;
	dma_unmap_sgtable(&vd->pdev->dev, &h->sgt, h->dir, 0);
	if (h->dir != DMA_TO_DEVICE)
		vfpga_dma_unclaim(h->pages, h->nr_pages, h->offset, h->len);
	sg_free_table(&h->sgt);
	unpin_user_pages_dirty_lock(h->pages, h->nr_pages,
				    h->dir != DMA_TO_DEVICE);
	kvfree(h->pages);
	h->pages = NULL;
	vfpga_host_uncharge(h, h->nr_pages);
}

static void vfpga_kept_free(struct vfpga_dev *vd, struct vfpga_kept *k)
{
	if (k->chain)
		dma_free_coherent(&vd->pdev->dev, k->chain_size, k->chain,
				  k->chain_dma);
	vfpga_host_release(vd, &k->host);
	kfree(k);
}

/*
 * remove(), with no transfer running: a dead channel seen stopped now
 * (the board was reset meanwhile) gives back what it kept, while the DMA
 * API may still be used; one still busy keeps it for good.
 */
void vfpga_dma_remove(struct vfpga_dev *vd)
{
	struct vfpga_kept *k, *tmp;
	struct vfpga_chan *chan;
	unsigned int i, n;

	for (i = 0; i < vd->num_h2c + vd->num_c2h; i++) {
		chan = i < vd->num_h2c ? &vd->h2c[i] : &vd->c2h[i - vd->num_h2c];
		mutex_lock(&chan->lock);
		if (chan->dead && !vfpga_chan_stop(chan)) {
			chan->dead = false;
			dev_info(&vd->dev, "%s%u has stopped: freeing what it kept\n",
				 vfpga_chan_dir(chan), chan->index);
		}
		n = 0;
		list_for_each_entry_safe(k, tmp, &chan->kept, node) {
			list_del(&k->node);
			if (chan->dead) {
				kmemleak_not_leak(k);
				n++;
			} else {
				vfpga_kept_free(vd, k);
			}
		}
		if (n)
			dev_err(&vd->dev, "%s%u is still busy: %u block(s) of memory left to it for good\n",
				vfpga_chan_dir(chan), chan->index, n);
		mutex_unlock(&chan->lock);
	}
}

/*
 * A file's coherent and SG buffers each have ids 0..VFPGA_DMA_BUFS_MAX - 1,
 * the lowest free one first, looked up and changed under vf->lock.  Full:
 * -ENOSPC.
 */
#define VFPGA_BUF_IDS	XA_LIMIT(0, VFPGA_DMA_BUFS_MAX - 1)

static int vfpga_buf_id_alloc(struct xarray *xa, u32 *id, void *entry)
{
	int ret = xa_alloc(xa, id, entry, VFPGA_BUF_IDS, GFP_KERNEL);

	return ret == -EBUSY ? -ENOSPC : ret;
}

static struct vfpga_buf *vfpga_buf_find(struct vfpga_file *vf, u32 id)
{
	return xa_load(&vf->bufs, id);
}

/* Descriptors for [dma, dma + len) <-> card [*card, ...), split at MAX. */
static void vfpga_chain_fill(struct xdma_desc *d, unsigned int *n,
			     dma_addr_t chain, dma_addr_t dma, u64 len,
			     u64 *card, bool c2h)
{
	while (len) {
		u32 chunk = min_t(u64, len, VFPGA_DESC_MAX);
		struct xdma_desc *desc = &d[*n];

		desc->control = vfpga_desc_control(0);
		desc->bytes = cpu_to_le32(FIELD_PREP(VFPGA_DESC_LEN_BITS, chunk));
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
 * Run the chain on @chan and wait; returns 0 or a negative errno.  When
 * the engine would not stop afterwards the channel is dead: -EIO, and
 * @dead set.  Called with chan->lock held.
 */
static int vfpga_chan_run(struct vfpga_chan *chan, dma_addr_t chain,
			  unsigned int ndesc, bool poll, u64 len,
			  unsigned int timeout_ms, u32 *status, bool *dead,
			  struct vfpga_dma_stamps *st)
{
	u32 ctrl = XDMA_CTRL_RUN | XDMA_STAT_EVENTS;
	unsigned long timeout = msecs_to_jiffies(timeout_ms ? timeout_ms :
						 VFPGA_XFER_TIMEOUT_MS +
						 (len >> 24) * 1000);
	struct vfpga_dev *vd = chan->vd;
	unsigned long deadline = jiffies + timeout;
	int ret = 0;
	long left;

	if (chan->dead)
		return -EIO;
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
	st->ns[1] = ktime_get_ns();
	writel(ctrl, chan->regs + XDMA_CHAN_CONTROL);
	st->ns[2] = ktime_get_ns();

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
		st->ns[3] = chan->irq_ns;
	}
	st->ns[4] = ktime_get_ns();

	/* After a signal or a timeout the engine may still run. */
	if (!ret && vfpga_chan_ended(*status)) {
		vfpga_chan_stop_ended(chan);
	} else if (vfpga_chan_stop(chan)) {
		atomic_dec(&vd->dma_running);
		chan->dead = true;
		*dead = true;
		dev_err(&vd->dev, "%s%u would not stop (status %#x): channel disabled; the memory it may still use is kept, not freed\n",
			vfpga_chan_dir(chan), chan->index,
			readl(chan->regs + XDMA_CHAN_STATUS));
		return -EIO;
	}
	atomic_dec(&vd->dma_running);
	/*
	 * A handler that saw this channel's request before it was cleared
	 * may still be about to complete chan->done: let it finish before
	 * the next transfer reinitialises it.
	 */
	vfpga_irq_sync_chan(vd, vfpga_chan_line(vd, chan->c2h, chan->index));
	if (ret)
		return ret;
	if (*status == U32_MAX) {
		vfpga_check_gone(vd);
		return -ENODEV;
	}
	if ((*status & XDMA_STAT_ERRORS) || !(*status & XDMA_STAT_DESC_STOPPED) ||
	    readl(chan->regs + XDMA_CHAN_COMPLETED_DESC) != ndesc)
		return -EIO;
	st->ns[5] = ktime_get_ns();
	return 0;
}

static struct vfpga_sgbuf *vfpga_sgbuf_find(struct vfpga_file *vf, u32 id)
{
	return xa_load(&vf->sgbufs, id);
}

/* Keep a dead channel's @chain and/or @host (taken over) for good. */
static void vfpga_chan_keep(struct vfpga_chan *chan, struct xdma_desc *chain,
			    dma_addr_t chain_dma, size_t chain_size,
			    struct vfpga_host_side *host)
{
	struct vfpga_kept *k = kzalloc(sizeof(*k), GFP_KERNEL);

	if (!k) {
		/* Then it is leaked untracked, which is still safe. */
		if (host) {
			kmemleak_not_leak(host->pages);
			kmemleak_not_leak(host->sgt.sgl);
			host->pages = NULL;
		}
		return;
	}
	k->chain = chain;
	k->chain_dma = chain_dma;
	k->chain_size = chain_size;
	if (host) {
		k->host = *host;
		host->pages = NULL;
	}
	mutex_lock(&chan->lock);
	list_add(&k->node, &chan->kept);
	mutex_unlock(&chan->lock);
}

struct vfpga_chan *vfpga_dma_chan(struct vfpga_dev *vd, bool c2h,
				  unsigned int channel)
{
	return c2h ? &vd->c2h[channel] : &vd->h2c[channel];
}

/*
 * Run the chain @req describes on its channel: for the transfer ioctl and
 * for plugins (vfpga_kp_dma.c).  Returns 0 or a negative errno; the
 * request's status gets the channel status and its ndesc the chain's
 * length.  When the channel would not stop, -EIO with wedged set to it:
 * the caller must then never free the host memory the transfer used (the
 * chain is kept here), and every later run on that channel fails with
 * -EIO.
 */
int vfpga_dma_run(struct vfpga_dev *vd, struct vfpga_dma_req *req)
{
	struct device *dev = &vd->pdev->dev;
	u64 card = req->card, len = req->len;
	bool c2h = req->c2h;
	struct vfpga_chan *chan;
	struct xdma_desc *chain;
	unsigned int n = 0, max;
	dma_addr_t chain_dma;
	bool dead = false, own;
	int ret;

	req->wedged = NULL;

	if (req->channel >= vfpga_num_chans(vd, c2h) || !len)
		return -EINVAL;
	chan = vfpga_dma_chan(vd, c2h, req->channel);
	/* A stream channel has no card address: VFPGA_DMA_STREAM. */
	if (chan->stream)
		return -EINVAL;
	if (card >= vd->card_size || len > vd->card_size - card)
		return -ERANGE;

	max = req->sgt ? vfpga_chain_sgt(req->sgt, req->sg_off, len, NULL, 0,
					 0, c2h) :
	      vfpga_chain_count(len);
	/* sg_off past the table's end: no descriptor to end the chain. */
	if (!max)
		return -ERANGE;
	/*
	 * A chain that fits goes in the channel's own page, written under
	 * the channel's lock: a short transfer allocates nothing.
	 */
	own = max <= VFPGA_CHAN_CHAIN_DESCS;
	if (own) {
		chain = chan->chain;
		chain_dma = chan->chain_dma;
	} else {
		chain = dma_alloc_coherent(dev, max * sizeof(*chain),
					   &chain_dma, GFP_KERNEL);
		if (!chain)
			return -ENOMEM;
	}

	ret = mutex_lock_interruptible(&chan->lock);
	if (!ret) {
		/* A dead engine may still read the channel's own chain. */
		ret = chan->dead ? -EIO : 0;
		if (!ret) {
			if (req->sgt)
				n = vfpga_chain_sgt(req->sgt, req->sg_off, len,
						    chain, chain_dma, card, c2h);
			else
				vfpga_chain_fill(chain, &n, chain_dma, req->dma,
						 len, &card, c2h);
			chain[n - 1].control =
				vfpga_desc_control(XDMA_DESC_STOPPED |
						   XDMA_DESC_COMPLETED);
			chain[n - 1].next_desc = 0;
			req->ndesc = n;
			ret = vfpga_chan_run(chan, chain_dma, n, req->poll,
					     len, 0, &req->status, &dead,
					     &req->stamps);
		}
		mutex_unlock(&chan->lock);
	}
	if (dead) {
		/* The channel keeps its own chain (vfpga_chan_free()). */
		if (!own)
			vfpga_chan_keep(chan, chain, chain_dma,
					max * sizeof(*chain), NULL);
		req->wedged = chan;
		return ret;
	}
	if (!own)
		dma_free_coherent(dev, max * sizeof(*chain), chain, chain_dma);
	return ret;
}

/* A stream transfer's descriptor and, for C2H, the writeback it names. */
struct vfpga_stream_desc {
	struct xdma_desc desc;
	struct xdma_c2h_wb wb;
};

/*
 * One stream transfer, through a coherent bounce buffer of up to 4 MiB
 * (the page allocator's largest block) and a small coherent block for
 * the descriptor and its writeback.  One descriptor per call, STOPPED: a
 * C2H read ends at the packet's end (the engine closes the descriptor
 * there) and never takes bytes of the next packet, which a longer chain
 * would.  The writeback is what Xilinx's driver reads too (libxdma: one
 * struct xdma_result per C2H descriptor, zeroed, then its magic, EOP and
 * length).
 *
 * The bytes are at @s->user_addr in the caller's process, or at @kbuf when
 * that is not NULL (a kernel plugin's DMA buffer: vfpga_kp_stream_xfer()).
 */
int vfpga_dma_stream(struct vfpga_dev *vd, struct vfpga_dma_stream *s,
		     void *kbuf)
{
	struct device *dev = &vd->pdev->dev;
	bool c2h = s->dir == VFPGA_DMA_C2H;
	u64 len = s->length, dlen;
	void __user *ubuf = u64_to_user_ptr(s->user_addr);
	struct vfpga_dma_stamps stamps;
	struct vfpga_stream_desc *sd;
	dma_addr_t dma, sd_dma;
	struct vfpga_chan *chan;
	bool dead = false;
	u32 wb_status;
	void *buf;
	int ret;

	s->done = 0;
	s->eop = 0;
	if (s->dir > VFPGA_DMA_C2H || s->pad ||
	    s->flags & ~VFPGA_STREAM_EOP || (c2h && s->flags) ||
	    s->channel >= vfpga_num_chans(vd, c2h))
		return -EINVAL;
	chan = vfpga_dma_chan(vd, c2h, s->channel);
	dlen = c2h ? ALIGN_DOWN(len, VFPGA_STREAM_WIDTH) : len;
	if (!chan->stream || !dlen || len > VFPGA_STREAM_MAX)
		return -EINVAL;

	buf = dma_alloc_coherent(dev, dlen, &dma, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	sd = dma_alloc_coherent(dev, sizeof(*sd), &sd_dma, GFP_KERNEL);
	if (!sd) {
		ret = -ENOMEM;
		goto out_free_buf;
	}
	if (!c2h && kbuf) {
		memcpy(buf, kbuf, len);
	} else if (!c2h && copy_from_user(buf, ubuf, len)) {
		ret = -EFAULT;
		goto out_free;
	}
	sd->desc.control = vfpga_desc_control(XDMA_DESC_STOPPED |
					      XDMA_DESC_COMPLETED |
					      (s->flags & VFPGA_STREAM_EOP ?
					       XDMA_DESC_EOP : 0));
	sd->desc.bytes = cpu_to_le32(FIELD_PREP(VFPGA_DESC_LEN_BITS, dlen));
	/* C2H: the source address names the descriptor's writeback. */
	sd->desc.src_addr = cpu_to_le64(c2h ? sd_dma +
					offsetof(struct vfpga_stream_desc, wb) :
					dma);
	sd->desc.dst_addr = cpu_to_le64(c2h ? dma : 0);
	sd->desc.next_desc = 0;
	sd->wb.status = 0;
	sd->wb.length = 0;

	ret = mutex_lock_interruptible(&chan->lock);
	if (ret)
		goto out_free;
	stamps.ns[0] = ktime_get_ns();
	ret = vfpga_chan_run(chan, sd_dma, 1, false, dlen, s->timeout_ms,
			     &s->status, &dead, &stamps);
	mutex_unlock(&chan->lock);
	if (dead) {
		/* The engine may still use both: kept for good. */
		vfpga_chan_keep(chan, buf, dma, dlen, NULL);
		vfpga_chan_keep(chan, &sd->desc, sd_dma, sizeof(*sd), NULL);
		return ret;
	}
	if (ret)
		goto out_free;
	if (!c2h) {
		s->done = len;
		goto out_free;
	}
	wb_status = le32_to_cpu(READ_ONCE(sd->wb.status));
	s->done = le32_to_cpu(READ_ONCE(sd->wb.length));
	if (wb_status >> XDMA_C2H_WB_MAGIC_SHIFT != XDMA_C2H_WB_MAGIC ||
	    s->done > dlen) {
		dev_warn_ratelimited(&vd->dev, "c2h%u: stream writeback %#x length %llu is malformed\n",
				     chan->index, wb_status, s->done);
		s->done = 0;
		ret = -EIO;
		goto out_free;
	}
	s->eop = wb_status & XDMA_C2H_WB_EOP ? VFPGA_STREAM_EOP : 0;
	if (kbuf)
		memcpy(kbuf, buf, s->done);
	else if (copy_to_user(ubuf, buf, s->done))
		ret = -EFAULT;
out_free:
	dma_free_coherent(dev, sizeof(*sd), sd, sd_dma);
out_free_buf:
	dma_free_coherent(dev, dlen, buf, dma);
	return ret;
}

int vfpga_dma_xfer(struct vfpga_dev *vd, struct vfpga_file *vf,
		   struct vfpga_dma_xfer *x)
{
	const u32 kinds = VFPGA_XFER_USER_PTR | VFPGA_XFER_SG_BUF;
	struct vfpga_sgbuf *sb = NULL;
	struct vfpga_buf *buf = NULL;
	struct vfpga_host_side host = { };
	bool c2h = x->dir == VFPGA_DMA_C2H;
	struct vfpga_dma_req req = {
		.c2h = c2h,
		.channel = x->channel,
		.card = x->card_offset,
		.len = x->length,
		.poll = x->flags & VFPGA_XFER_POLL,
		.stamps.ns[0] = ktime_get_ns(),
	};
	struct vfpga_chan *wedged;
	int ret;

	if (x->flags & ~(kinds | VFPGA_XFER_POLL) ||
	    (x->flags & kinds) == kinds)
		return -EINVAL;
	if (x->dir > VFPGA_DMA_C2H || x->channel >= vfpga_num_chans(vd, c2h) ||
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
				     c2h ? DMA_FROM_DEVICE : DMA_TO_DEVICE,
				     false);
		if (ret)
			return ret;
		req.sgt = &host.sgt;
	} else {
		mutex_lock(&vf->lock);
		if (x->flags & VFPGA_XFER_SG_BUF) {
			sb = vfpga_sgbuf_find(vf, x->buf_id);
			ret = !sb ? -EINVAL :
			      x->buf_offset >= sb->length ||
			      x->length > sb->length - x->buf_offset ? -ERANGE : 0;
			if (!ret) {
				atomic_inc(&sb->users);
				req.sgt = &sb->host.sgt;
				req.sg_off = x->buf_offset;
			}
		} else {
			buf = vfpga_buf_find(vf, x->buf_id);
			ret = !buf ? -EINVAL :
			      x->buf_offset >= buf->size ||
			      x->length > buf->size - x->buf_offset ? -ERANGE : 0;
			if (!ret) {
				atomic_inc(&buf->users);
				req.dma = buf->dma + x->buf_offset;
			}
		}
		mutex_unlock(&vf->lock);
		if (ret)
			return ret;
	}

	ret = vfpga_dma_run(vd, &req);
	x->status = req.status;
	x->descriptors = req.ndesc;
	wedged = req.wedged;
	/*
	 * The engine may still use the host side of a dead channel's last
	 * transfer: the buffer keeps its user for good (it can no longer be
	 * freed), pinned pages go to the channel.
	 */
	if (sb) {
		if (wedged)
			sb->wedged = wedged;
		else
			atomic_dec(&sb->users);
	}
	if (buf) {
		if (wedged)
			buf->wedged = wedged;
		else
			atomic_dec(&buf->users);
	}
	if (wedged && host.pages)
		vfpga_chan_keep(wedged, NULL, 0, 0, &host);
	vfpga_host_release(vd, &host);
	if (!ret && !req.poll)
		vfpga_dma_stages_add(vd, VFPGA_DMA_PATH_IOCTL, &req.stamps);
	return ret;
}

/* SG buffers: user memory pinned and mapped until unmapped. */

int vfpga_sgbuf_map(struct vfpga_dev *vd, struct vfpga_file *vf,
		    struct vfpga_dma_sg *m)
{
	struct vfpga_sgbuf *sb;
	int ret;

	if (m->flags || !m->length)
		return -EINVAL;
	sb = kzalloc(sizeof(*sb), GFP_KERNEL);
	if (!sb)
		return -ENOMEM;
	ret = vfpga_host_pin(vd, &sb->host, m->user_addr, m->length,
			     DMA_BIDIRECTIONAL, true);
	if (ret) {
		kfree(sb);
		return ret;
	}
	sb->length = m->length;

	mutex_lock(&vf->lock);
	ret = vfpga_buf_id_alloc(&vf->sgbufs, &sb->id, sb);
	mutex_unlock(&vf->lock);
	if (ret) {
		vfpga_host_release(vd, &sb->host);
		kfree(sb);
		return ret;
	}
	m->id = sb->id;
	return 0;
}

static void vfpga_sgbuf_destroy(struct vfpga_dev *vd, struct vfpga_file *vf,
				struct vfpga_sgbuf *sb)
{
	xa_erase(&vf->sgbufs, sb->id);
	if (sb->wedged && sb->wedged->dead) {
		dev_err(&vd->dev, "SG buffer %u: %s%u may still use it: kept, not freed\n",
			sb->id, vfpga_chan_dir(sb->wedged), sb->wedged->index);
		kmemleak_not_leak(sb);
		return;
	}
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
	int ret;

	if (!b->size || b->size > VFPGA_DMA_BUF_MAX)
		return -EINVAL;
	buf = kzalloc(sizeof(*buf), GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	buf->size = PAGE_ALIGN(b->size);
	/* Charged to the caller's memory cgroup, as its own memory is. */
	buf->cpu = dma_alloc_coherent(&vd->pdev->dev, buf->size, &buf->dma,
				      GFP_KERNEL_ACCOUNT);
	if (!buf->cpu) {
		kfree(buf);
		return -ENOMEM;
	}

	mutex_lock(&vf->lock);
	ret = vfpga_buf_id_alloc(&vf->bufs, &buf->id, buf);
	mutex_unlock(&vf->lock);
	if (ret) {
		dma_free_coherent(&vd->pdev->dev, buf->size, buf->cpu, buf->dma);
		kfree(buf);
		return ret;
	}

	b->id = buf->id;
	b->size = buf->size;
	b->mmap_offset = (u64)(VFPGA_DMA_MMAP_REGION_FIRST + buf->id) <<
			 VFPGA_MMAP_REGION_SHIFT;
	return 0;
}

static void vfpga_buf_destroy(struct vfpga_dev *vd, struct vfpga_file *vf,
			      struct vfpga_buf *buf)
{
	xa_erase(&vf->bufs, buf->id);
	if (buf->wedged && buf->wedged->dead) {
		dev_err(&vd->dev, "DMA buffer %u: %s%u may still use it: kept, not freed\n",
			buf->id, vfpga_chan_dir(buf->wedged),
			buf->wedged->index);
		kmemleak_not_leak(buf);
		return;
	}
	if (buf->cpu)
		dma_free_coherent(&vd->pdev->dev, buf->size, buf->cpu,
				  buf->dma);
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

/*
 * At release: every mapping is gone, since each held the file.  After
 * remove() only the bookkeeping is left to free.
 */
void vfpga_buf_free_all(struct vfpga_dev *vd, struct vfpga_file *vf)
{
	struct vfpga_sgbuf *sb;
	struct vfpga_buf *buf;
	unsigned long id;

	mutex_lock(&vf->lock);
	xa_for_each(&vf->bufs, id, buf)
		vfpga_buf_destroy(vd, vf, buf);
	xa_for_each(&vf->sgbufs, id, sb)
		vfpga_sgbuf_destroy(vd, vf, sb);
	mutex_unlock(&vf->lock);
	xa_destroy(&vf->bufs);
	xa_destroy(&vf->sgbufs);
}

/*
 * remove(), with every mapping of the file zapped and no fault able to
 * fill one again (vd->revoked): free the memory and DMA mappings of the
 * file's buffers now, while the DMA API may still be used; the file's
 * close() frees the rest.  What a dead channel may still use is kept.
 */
void vfpga_buf_unmap_all(struct vfpga_dev *vd, struct vfpga_file *vf)
{
	struct vfpga_sgbuf *sb;
	struct vfpga_buf *buf;
	unsigned long id;

	mutex_lock(&vf->lock);
	xa_for_each(&vf->bufs, id, buf) {
		if (!buf->cpu || (buf->wedged && buf->wedged->dead))
			continue;
		dma_free_coherent(&vd->pdev->dev, buf->size, buf->cpu,
				  buf->dma);
		buf->cpu = NULL;
	}
	xa_for_each(&vf->sgbufs, id, sb)
		if (!(sb->wedged && sb->wedged->dead))
			vfpga_host_release(vd, &sb->host);
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

/*
 * A buffer's page is inserted when it is first touched, as a BAR's is
 * (vfpga_cdev.c): the VMA is then linked into the file's mapping, so
 * remove()'s zap sees every page before it frees the buffer, and a fault
 * after it finds the mapping revoked.  The page of a coherent buffer is
 * found as the DMA API's own mmap finds it on x86: in the linear map, or
 * in the vmalloc area where an IOMMU's allocator put it together.
 */
static vm_fault_t vfpga_buf_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct vfpga_file *vf = vma->vm_file->private_data;
	struct vfpga_buf *buf = vma->vm_private_data;
	struct vfpga_dev *vd = vf->vd;
	vm_fault_t ret = VM_FAULT_SIGBUS;
	unsigned long pfn;
	void *cpu;

	down_read(&vd->map_lock);
	if (!vd->revoked && buf->cpu &&
	    vmf->pgoff < (buf->size >> PAGE_SHIFT)) {
		cpu = buf->cpu + (vmf->pgoff << PAGE_SHIFT);
		pfn = is_vmalloc_addr(cpu) ? vmalloc_to_pfn(cpu) :
		      page_to_pfn(virt_to_page(cpu));
		ret = vmf_insert_pfn(vma, vmf->address, pfn);
	}
	up_read(&vd->map_lock);
	return ret;
}

static const struct vm_operations_struct vfpga_buf_vm_ops = {
	.open = vfpga_buf_vma_open,
	.close = vfpga_buf_vma_close,
	.fault = vfpga_buf_fault,
};

int vfpga_buf_mmap(struct vfpga_dev *vd, struct vfpga_file *vf,
		   struct vm_area_struct *vma, u32 id)
{
	unsigned long len = vma->vm_end - vma->vm_start;
	struct vfpga_buf *buf;
	int ret = 0;

	mutex_lock(&vf->lock);
	buf = vfpga_buf_find(vf, id);
	if (!buf || len > buf->size) {
		ret = -EINVAL;
	} else if (!buf->cpu) {
		ret = -ENODEV;		/* freed by remove() */
	} else {
		vma->vm_pgoff = 0;
		vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND |
				  VM_DONTDUMP);
		vma->vm_private_data = buf;
		vma->vm_ops = &vfpga_buf_vm_ops;
		atomic_inc(&buf->maps);
	}
	mutex_unlock(&vf->lock);
	return ret;
}
