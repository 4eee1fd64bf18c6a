// SPDX-License-Identifier: GPL-2.0
/*
 * vfpga core driver: DMA for kernel plugins (kp/vfpga_kp.h).  A plugin's
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
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "vfpga_drv.h"
#include "vfpga_kp.h"

#define VFPGA_KP_DMA_MAX	(64 << 20)	/* bytes per buffer */
#define VFPGA_KP_DMA_MAX_ORDER	9		/* 2 MiB blocks at most */

struct vfpga_kp_dma {
	struct vfpga_kp_dma_buf buf;	/* what the plugin sees */
	struct list_head node;		/* in the handle's list */
	struct sg_table sgt;		/* mapped for the board */
	struct page **pages;
	unsigned int nr_pages;
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

static void vfpga_kp_dma_destroy(struct vfpga_dev *vd, struct vfpga_kp_dma *d)
{
	vunmap(d->buf.cpu);
	dma_unmap_sgtable(&vd->pdev->dev, &d->sgt, DMA_BIDIRECTIONAL, 0);
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
	d->buf.cpu = vmap(d->pages, d->nr_pages, VM_MAP, PAGE_KERNEL);
	if (!d->buf.cpu) {
		ret = -ENOMEM;
		goto err_map;
	}
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
	ret = vfpga_kp_dma_build(vd, d, PAGE_ALIGN(size));
	if (ret) {
		kfree(d);
		return ret;
	}
	mutex_lock(&bufs->lock);
	list_add(&d->node, &bufs->list);
	mutex_unlock(&bufs->lock);
	*buf = &d->buf;
	return 0;
}
EXPORT_SYMBOL_GPL(vfpga_kp_dma_alloc);

/*
 * Is @buf one of @h's?  Plugins pass pointers; the core checks them.
 * With @unlink, also take it off the list, in the same critical section.
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
			break;
		}
	}
	mutex_unlock(&bufs->lock);
	return found;
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
	struct vfpga_kp_dma *d;
	u32 st = 0;
	u64 ndesc;
	int ret;

	might_sleep();
	if (dir != VFPGA_KP_DMA_H2C && dir != VFPGA_KP_DMA_C2H)
		return -EINVAL;
	d = vfpga_kp_dma_find(h, buf, false);
	if (!d)
		return -EINVAL;
	if (buf_offset >= buf->size || length > buf->size - buf_offset)
		return -ERANGE;
	if (vfpga_dying(vd))
		return -ENODEV;

	/* The CPU wrote through the vmap alias; the board reads pages. */
	if (!c2h)
		flush_kernel_vmap_range(buf->cpu + buf_offset, length);
	dma_sync_sgtable_for_device(dev, &d->sgt, DMA_BIDIRECTIONAL);
	ret = vfpga_dma_run(vd, c2h, channel, &d->sgt, buf_offset, 0,
			    card_offset, length, false, &st, &ndesc);
	dma_sync_sgtable_for_cpu(dev, &d->sgt, DMA_BIDIRECTIONAL);
	if (c2h)
		invalidate_kernel_vmap_range(buf->cpu + buf_offset, length);
	if (status)
		*status = st;
	return ret;
}
EXPORT_SYMBOL_GPL(vfpga_kp_dma_xfer);

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
