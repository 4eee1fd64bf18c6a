// SPDX-License-Identifier: GPL-2.0
/*
 * vfpga core driver: DMA for kernel plugins (vfpga_kp.h).  A plugin's
 * buffer is pages allocated in blocks of up to 2 MiB, mapped for the board
 * in both directions and into the kernel's address space (vmap), so it
 * can be large without CMA (dma_alloc_noncontiguous() would want one
 * contiguous block when there is no IOMMU).  A transfer is one descriptor
 * chain run by the same code as the transfer ioctl, and the plugin waits
 * for the channel's completion interrupt in its own context: no switch to
 * user mode per transfer.
 */
#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/kmemleak.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/wait_bit.h>

#include "vfpga_drv.h"
#include "vfpga_kp.h"

#define VFPGA_KP_DMA_MAX	(64 << 20)	/* bytes per buffer */
#define VFPGA_KP_DMA_MAX_ORDER	9		/* 2 MiB blocks at most */

struct vfpga_kp_dma {
	struct vfpga_kp_dma_buf buf;	/* what the plugin sees (and may write) */
	struct list_head node;		/* in the handle's list */
	struct sg_table sgt;		/* mapped for the board */
	struct page **pages;
	unsigned int nr_pages;
	/* The core's own copies: buf is the plugin's to scribble on. */
	void *cpu;
	size_t size;
	atomic_t users;			/* transfers running on it */
	struct vfpga_chan *wedged;	/* used by the last run of a dead one */
	bool unmapped;			/* by remove() or the file's close */
};

void vfpga_kp_dma_init(struct vfpga_kp_dma_bufs *bufs)
{
	mutex_init(&bufs->lock);
	INIT_LIST_HEAD(&bufs->list);
}

static void vfpga_kp_dma_put_pages(struct vfpga_kp_dma *d, unsigned int n)
{
	while (n--)
		__free_page(d->pages[n]);
	kvfree(d->pages);
}

/* Off the handle's list already: wait for its transfers, then free it. */
static void vfpga_kp_dma_destroy(struct vfpga_dev *vd, struct vfpga_kp_dma *d)
{
	wait_var_event(&d->users, !atomic_read(&d->users));
	if (d->wedged && d->wedged->dead) {
		dev_err(&vd->dev, "plugin DMA buffer: %s%u may still use it: kept, not freed\n",
			d->wedged->c2h ? "c2h" : "h2c", d->wedged->index);
		kmemleak_not_leak(d);
		return;
	}
	vunmap(d->cpu);
	/*
	 * Not after remove() (it unmapped what it saw), nor in the moment
	 * between a file leaving the board's list and its handles closing:
	 * the board may be gone, and its IOMMU group with it.
	 */
	if (!d->unmapped && !READ_ONCE(vd->revoked))
		dma_unmap_sgtable(&vd->pdev->dev, &d->sgt, DMA_BIDIRECTIONAL,
				  0);
	sg_free_table(&d->sgt);
	vfpga_kp_dma_put_pages(d, d->nr_pages);
	kfree(d);
}

/*
 * Pages for d->pages[*i...]: the largest block up to 2 MiB the allocator
 * gives without trying hard, split into pages.  Contiguous pages merge
 * into one segment, and so one descriptor, per block instead of per page.
 */
static int vfpga_kp_dma_chunk(struct vfpga_kp_dma *d, unsigned int *i)
{
	unsigned int left = d->nr_pages - *i, order, j;
	struct page *page = NULL;

	order = min_t(unsigned int, ilog2(left), VFPGA_KP_DMA_MAX_ORDER);
	for (;;) {
		gfp_t gfp = GFP_KERNEL | __GFP_ZERO;

		if (order)
			gfp |= __GFP_NORETRY | __GFP_NOWARN;
		page = alloc_pages(gfp, order);
		if (page || !order)
			break;
		order--;
	}
	if (!page)
		return -ENOMEM;
	split_page(page, order);
	for (j = 0; j < (1u << order); j++)
		d->pages[(*i)++] = page + j;
	return 0;
}

static int vfpga_kp_dma_build(struct vfpga_dev *vd, struct vfpga_kp_dma *d,
			      size_t size)
{
	unsigned int i;
	int ret = -ENOMEM;

	d->nr_pages = size >> PAGE_SHIFT;
	d->pages = kvcalloc(d->nr_pages, sizeof(*d->pages), GFP_KERNEL);
	if (!d->pages)
		return -ENOMEM;
	i = 0;
	while (i < d->nr_pages) {
		if (vfpga_kp_dma_chunk(d, &i))
			goto err_pages;
	}
	ret = sg_alloc_table_from_pages(&d->sgt, d->pages, d->nr_pages, 0,
					size, GFP_KERNEL);
	if (ret)
		goto err_pages;
	ret = dma_map_sgtable(&vd->pdev->dev, &d->sgt, DMA_BIDIRECTIONAL, 0);
	if (ret)
		goto err_table;
	d->cpu = vmap(d->pages, d->nr_pages, VM_MAP, PAGE_KERNEL);
	if (!d->cpu) {
		ret = -ENOMEM;
		goto err_map;
	}
	d->size = size;
	d->buf.cpu = d->cpu;
	d->buf.size = size;
	return 0;

err_map:
	dma_unmap_sgtable(&vd->pdev->dev, &d->sgt, DMA_BIDIRECTIONAL, 0);
err_table:
	sg_free_table(&d->sgt);
err_pages:
	vfpga_kp_dma_put_pages(d, i);
	return ret;
}

int vfpga_kp_dma_alloc(struct vfpga_kp_handle *h, size_t size,
		       struct vfpga_kp_dma_buf **buf)
{
	struct vfpga_kp_dma_bufs *bufs = vfpga_kp_bufs(h);
	struct vfpga_dev *vd = vfpga_kp_dev(h);
	struct vfpga_kp_dma *d;
	int ret;

	might_sleep();
	if (!buf || !size || size > VFPGA_KP_DMA_MAX)
		return -EINVAL;
	if (vfpga_dying(vd))
		return -ENODEV;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	/* Mapped and listed in one go, or not at all once unmap_all ran. */
	mutex_lock(&bufs->lock);
	ret = bufs->gone ? -ENODEV : vfpga_kp_dma_build(vd, d, PAGE_ALIGN(size));
	if (!ret)
		list_add(&d->node, &bufs->list);
	mutex_unlock(&bufs->lock);
	if (ret) {
		kfree(d);
		return ret;
	}
	*buf = &d->buf;
	return 0;
}
EXPORT_SYMBOL_GPL(vfpga_kp_dma_alloc);

/*
 * Is @buf one of @h's?  Plugins pass pointers; the core checks them (by
 * value: @buf is not read).  With @unlink, also take it off the list, in
 * the same critical section; else count a transfer on it, which
 * vfpga_kp_dma_put() ends, so that a free meanwhile waits for it.
 */
static struct vfpga_kp_dma *vfpga_kp_dma_find(struct vfpga_kp_handle *h,
					      struct vfpga_kp_dma_buf *buf,
					      bool unlink)
{
	struct vfpga_kp_dma_bufs *bufs = vfpga_kp_bufs(h);
	struct vfpga_kp_dma *d, *found = NULL;

	mutex_lock(&bufs->lock);
	list_for_each_entry(d, &bufs->list, node) {
		if (&d->buf == buf) {
			found = d;
			if (unlink)
				list_del(&d->node);
			else
				atomic_inc(&d->users);
			break;
		}
	}
	mutex_unlock(&bufs->lock);
	return found;
}

static void vfpga_kp_dma_put(struct vfpga_kp_dma *d)
{
	if (atomic_dec_and_test(&d->users))
		wake_up_var(&d->users);
}

/*
 * Cache maintenance for [@off, @off + @len) of the buffer only: other
 * channels may be moving other parts of it meanwhile, and under a bounce
 * buffer (swiotlb) a sync of the whole would copy stale data over theirs.
 */
static void vfpga_kp_dma_sync(struct device *dev, struct vfpga_kp_dma *d,
			      size_t off, size_t len, bool for_device)
{
	struct scatterlist *sg;
	size_t seg, take;
	unsigned int i;

	for_each_sgtable_dma_sg(&d->sgt, sg, i) {
		seg = sg_dma_len(sg);
		if (off >= seg) {
			off -= seg;
			continue;
		}
		take = min(seg - off, len);
		if (for_device)
			dma_sync_single_range_for_device(dev, sg_dma_address(sg),
							 off, take,
							 DMA_BIDIRECTIONAL);
		else
			dma_sync_single_range_for_cpu(dev, sg_dma_address(sg),
						      off, take,
						      DMA_BIDIRECTIONAL);
		off = 0;
		len -= take;
		if (!len)
			break;
	}
}

void vfpga_kp_dma_free(struct vfpga_kp_handle *h, struct vfpga_kp_dma_buf *buf)
{
	struct vfpga_kp_dma *d;

	if (!buf)
		return;
	d = vfpga_kp_dma_find(h, buf, true);
	if (WARN_ON_ONCE(!d))
		return;
	vfpga_kp_dma_destroy(vfpga_kp_dev(h), d);
}
EXPORT_SYMBOL_GPL(vfpga_kp_dma_free);

int vfpga_kp_dma_xfer(struct vfpga_kp_handle *h, struct vfpga_kp_dma_buf *buf,
		      size_t buf_offset, enum vfpga_kp_dma_dir dir,
		      unsigned int channel, u64 card_offset, size_t length,
		      u32 *status)
{
	struct vfpga_dev *vd = vfpga_kp_dev(h);
	struct device *dev = &vd->pdev->dev;
	bool c2h = dir == VFPGA_KP_DMA_C2H;
	struct vfpga_dma_req req = {
		.c2h = c2h,
		.channel = channel,
		.sg_off = buf_offset,
		.card = card_offset,
		.len = length,
		.stamps.ns[0] = ktime_get_ns(),
	};
	struct vfpga_kp_dma *d;
	int ret;

	might_sleep();
	if (dir != VFPGA_KP_DMA_H2C && dir != VFPGA_KP_DMA_C2H)
		return -EINVAL;
	d = vfpga_kp_dma_find(h, buf, false);
	if (!d)
		return -EINVAL;
	ret = -ERANGE;
	if (buf_offset >= d->size || length > d->size - buf_offset)
		goto out_put;
	ret = -ENODEV;
	if (vfpga_dying(vd) || READ_ONCE(d->unmapped))
		goto out_put;

	/* The CPU wrote through the vmap alias; the board reads pages. */
	if (!c2h)
		flush_kernel_vmap_range(d->cpu + buf_offset, length);
	vfpga_kp_dma_sync(dev, d, buf_offset, length, true);
	req.sgt = &d->sgt;
	ret = vfpga_dma_run(vd, &req);
	if (req.wedged)
		d->wedged = req.wedged;	/* never freed while it may be used */
	if (c2h) {
		vfpga_kp_dma_sync(dev, d, buf_offset, length, false);
		invalidate_kernel_vmap_range(d->cpu + buf_offset, length);
	}
	if (status)
		*status = req.status;
	if (!ret)
		vfpga_dma_stages_add(vd, VFPGA_DMA_PATH_KP, &req.stamps);
out_put:
	vfpga_kp_dma_put(d);
	return ret;
}
EXPORT_SYMBOL_GPL(vfpga_kp_dma_xfer);

int vfpga_kp_stream_xfer(struct vfpga_kp_handle *h,
			 struct vfpga_kp_dma_buf *buf, size_t buf_offset,
			 enum vfpga_kp_dma_dir dir, unsigned int channel,
			 size_t length, unsigned int flags,
			 unsigned int timeout_ms, size_t *done, bool *eop,
			 u32 *status)
{
	struct vfpga_dev *vd = vfpga_kp_dev(h);
	struct vfpga_dma_stream s = {
		.dir = dir == VFPGA_KP_DMA_C2H ? VFPGA_DMA_C2H : VFPGA_DMA_H2C,
		.channel = channel,
		.length = length,
		.timeout_ms = timeout_ms,
		.flags = flags & VFPGA_KP_STREAM_EOP ? VFPGA_STREAM_EOP : 0,
	};
	struct vfpga_kp_dma *d;
	int ret;

	might_sleep();
	if (done)
		*done = 0;
	if (eop)
		*eop = false;
	if ((dir != VFPGA_KP_DMA_H2C && dir != VFPGA_KP_DMA_C2H) ||
	    flags & ~VFPGA_KP_STREAM_EOP)
		return -EINVAL;
	d = vfpga_kp_dma_find(h, buf, false);
	if (!d)
		return -EINVAL;
	ret = -ERANGE;
	if (buf_offset >= d->size || length > d->size - buf_offset)
		goto out_put;
	ret = -ENODEV;
	if (vfpga_dying(vd) || READ_ONCE(d->unmapped))
		goto out_put;
	/* The CPU copies to and from the bounce buffer: the CPU's view. */
	ret = vfpga_dma_stream(vd, &s, d->cpu + buf_offset);
	if (done)
		*done = s.done;
	if (eop)
		*eop = s.eop;
	if (status)
		*status = s.status;
out_put:
	vfpga_kp_dma_put(d);
	return ret;
}
EXPORT_SYMBOL_GPL(vfpga_kp_stream_xfer);

/*
 * remove(), or the close() of the handle's file: unmap every buffer for
 * good, while the DMA API may still be used.  The pages stay, so the
 * plugin's CPU view of them stays valid until it frees them; no buffer
 * is allocated or transferred any more.  A buffer a dead channel may
 * still use stays mapped (vfpga_kp_dma_destroy() keeps it).
 */
void vfpga_kp_dma_unmap_all(struct vfpga_kp_handle *h)
{
	struct vfpga_kp_dma_bufs *bufs = vfpga_kp_bufs(h);
	struct vfpga_dev *vd = vfpga_kp_dev(h);
	struct vfpga_kp_dma *d;

	mutex_lock(&bufs->lock);
	bufs->gone = true;
	list_for_each_entry(d, &bufs->list, node) {
		if (d->unmapped || (d->wedged && d->wedged->dead))
			continue;
		dma_unmap_sgtable(&vd->pdev->dev, &d->sgt, DMA_BIDIRECTIONAL,
				  0);
		d->unmapped = true;
	}
	mutex_unlock(&bufs->lock);
}

/* The handle closes: free what its plugin left behind, and say so. */
void vfpga_kp_dma_release(struct vfpga_kp_handle *h)
{
	struct vfpga_kp_dma_bufs *bufs = vfpga_kp_bufs(h);
	struct vfpga_dev *vd = vfpga_kp_dev(h);
	struct vfpga_kp_dma *d, *tmp;
	unsigned int n = 0;

	list_for_each_entry_safe(d, tmp, &bufs->list, node) {
		list_del(&d->node);
		vfpga_kp_dma_destroy(vd, d);
		n++;
	}
	if (n)
		dev_info(&vd->dev, "plugin handle closed: freed %u DMA buffer(s) it kept\n",
			 n);
}
