// SPDX-License-Identifier: MIT
/*
 * libvfpga: the DMA calls of include/vfpga/vfpga_kp.h for plugins in user
 * mode.  A buffer up to 4 MiB is a coherent buffer of the board mapped
 * into the process; a larger one is page-aligned process memory pinned
 * as a scatter-gather buffer (synced around each transfer).  A transfer
 * is the driver's transfer ioctl: the plugin's thread sleeps in it until
 * the channel's completion interrupt, then returns to user mode; that
 * round trip per transfer is what the kernel mode saves.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "vfpga_kp.h"

#define KP_USER_DMA_MAX		(64u << 20)
#define KP_USER_COHERENT_MAX	(4u << 20)

struct kp_user_dma {
	struct vfpga_kp_dma_buf buf;	/* what the plugin sees (and may write) */
	struct vfpga_buffer *vbuf;
	void *mem;			/* SG buffer memory, or NULL */
	size_t size;			/* ours: buf.size is the plugin's */
	unsigned int users;		/* transfers on it, under bufs->lock */
	struct kp_user_dma *next;
};

int vfpga_kp_dma_alloc(struct vfpga_kp_handle *h, size_t size,
		       struct vfpga_kp_dma_buf **buf)
{
	struct kp_user_dma_bufs *bufs;
	struct vfpga_device *dev;
	struct kp_user_dma *d;
	long page = sysconf(_SC_PAGESIZE);
	int ret;

	if (!h || !buf || !size || size > KP_USER_DMA_MAX)
		return -EINVAL;
	bufs = vfpga_kp_user_bufs(h);
	dev = vfpga_kp_user_dev(h);
	size = (size + page - 1) & ~((size_t)page - 1);
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	if (size <= KP_USER_COHERENT_MAX) {
		ret = vfpga_buffer_alloc(dev, size, &d->vbuf);
	} else {
		d->mem = aligned_alloc(page, size);
		ret = d->mem ? vfpga_buffer_map_user(dev, d->mem, size,
						     &d->vbuf) : -ENOMEM;
	}
	if (ret) {
		free(d->mem);
		free(d);
		return ret;
	}
	d->buf.cpu = vfpga_buffer_ptr(d->vbuf);
	d->buf.size = size;
	d->size = size;
	pthread_mutex_lock(&bufs->lock);
	d->next = bufs->list;
	bufs->list = d;
	pthread_mutex_unlock(&bufs->lock);
	*buf = &d->buf;
	return 0;
}

static void kp_user_dma_destroy(struct kp_user_dma *d)
{
	vfpga_buffer_free(d->vbuf);
	free(d->mem);
	free(d);
}

/*
 * Take @buf off @h's list (@unlink), waiting for the transfers running on
 * it, or find it and count a transfer on it (kp_user_dma_put() ends it);
 * NULL if not @h's.  @buf is compared, never read.
 */
static struct kp_user_dma *kp_user_dma_find(struct vfpga_kp_handle *h,
					    struct vfpga_kp_dma_buf *buf,
					    bool unlink)
{
	struct kp_user_dma_bufs *bufs = vfpga_kp_user_bufs(h);
	struct kp_user_dma **p, *found = NULL;

	pthread_mutex_lock(&bufs->lock);
	for (p = &bufs->list; *p; p = &(*p)->next) {
		if (&(*p)->buf == buf) {
			found = *p;
			if (unlink)
				*p = found->next;
			else
				found->users++;
			break;
		}
	}
	while (found && unlink && found->users)
		pthread_cond_wait(&bufs->idle, &bufs->lock);
	pthread_mutex_unlock(&bufs->lock);
	return found;
}

static void kp_user_dma_put(struct vfpga_kp_handle *h, struct kp_user_dma *d)
{
	struct kp_user_dma_bufs *bufs = vfpga_kp_user_bufs(h);

	pthread_mutex_lock(&bufs->lock);
	if (!--d->users)
		pthread_cond_broadcast(&bufs->idle);
	pthread_mutex_unlock(&bufs->lock);
}

void vfpga_kp_dma_free(struct vfpga_kp_handle *h, struct vfpga_kp_dma_buf *buf)
{
	struct kp_user_dma *d;

	if (!h || !buf)
		return;
	d = kp_user_dma_find(h, buf, true);
	if (!d) {
		vfpga_kp_err(h, "vfpga_kp_dma_free: not a buffer of this handle\n");
		return;
	}
	kp_user_dma_destroy(d);
}

int vfpga_kp_dma_xfer(struct vfpga_kp_handle *h, struct vfpga_kp_dma_buf *buf,
		      size_t buf_offset, enum vfpga_kp_dma_dir dir,
		      unsigned int channel, u64 card_offset, size_t length,
		      u32 *status)
{
	struct kp_user_dma *d;
	uint32_t st = 0;
	int ret;

	if (!h || (dir != VFPGA_KP_DMA_H2C && dir != VFPGA_KP_DMA_C2H))
		return -EINVAL;
	d = kp_user_dma_find(h, buf, false);
	if (!d)
		return -EINVAL;
	ret = -ERANGE;
	if (buf_offset >= d->size || length > d->size - buf_offset)
		goto out;
	if (d->mem) {
		ret = vfpga_buffer_sync(d->vbuf, VFPGA_SYNC_DEVICE);
		if (ret)
			goto out;
	}
	if (dir == VFPGA_KP_DMA_H2C)
		ret = vfpga_dma_write_buffer(d->vbuf, buf_offset, channel,
					     card_offset, length, 0, &st);
	else
		ret = vfpga_dma_read_buffer(d->vbuf, buf_offset, channel,
					    card_offset, length, 0, &st);
	if (d->mem && dir == VFPGA_KP_DMA_C2H && !ret)
		ret = vfpga_buffer_sync(d->vbuf, VFPGA_SYNC_CPU);
	if (status)
		*status = st;
out:
	kp_user_dma_put(h, d);
	return ret;
}

/*
 * The stream calls of libvfpga, on the buffer's mapping in this process:
 * the driver copies through its bounce buffer, so no sync either way.
 */
int vfpga_kp_stream_xfer(struct vfpga_kp_handle *h,
			 struct vfpga_kp_dma_buf *buf, size_t buf_offset,
			 enum vfpga_kp_dma_dir dir, unsigned int channel,
			 size_t length, unsigned int flags,
			 unsigned int timeout_ms, size_t *done, bool *eop,
			 u32 *status)
{
	struct kp_user_dma *d;
	uint64_t got = 0;
	bool end = false;
	uint32_t st = 0;
	char *cpu;
	int ret;

	if (done)
		*done = 0;
	if (eop)
		*eop = false;
	if (!h || (dir != VFPGA_KP_DMA_H2C && dir != VFPGA_KP_DMA_C2H) ||
	    flags & ~VFPGA_KP_STREAM_EOP ||
	    (dir == VFPGA_KP_DMA_C2H && flags))
		return -EINVAL;
	d = kp_user_dma_find(h, buf, false);
	if (!d)
		return -EINVAL;
	ret = -ERANGE;
	if (buf_offset >= d->size || length > d->size - buf_offset)
		goto out;
	cpu = (char *)vfpga_buffer_ptr(d->vbuf) + buf_offset;
	if (dir == VFPGA_KP_DMA_H2C) {
		ret = vfpga_stream_write(vfpga_kp_user_dev(h), channel, cpu,
					 length, flags & VFPGA_KP_STREAM_EOP ?
					 VFPGA_STREAM_END : 0, timeout_ms,
					 &st);
		got = ret ? 0 : length;
	} else {
		ret = vfpga_stream_read(vfpga_kp_user_dev(h), channel, cpu,
					length, timeout_ms, &got, &end, &st);
	}
	if (done)
		*done = got;
	if (eop)
		*eop = end;
	if (status)
		*status = st;
out:
	kp_user_dma_put(h, d);
	return ret;
}

void vfpga_kp_user_dma_release(struct vfpga_kp_handle *h)
{
	struct kp_user_dma_bufs *bufs = vfpga_kp_user_bufs(h);
	struct kp_user_dma *d;

	pthread_mutex_lock(&bufs->lock);
	while ((d = bufs->list)) {
		bufs->list = d->next;
		kp_user_dma_destroy(d);
	}
	pthread_mutex_unlock(&bufs->lock);
}
