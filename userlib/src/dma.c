// SPDX-License-Identifier: MIT
/* libvfpga: DMA buffers and transfers through the board's XDMA engine. */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "internal.h"
#include "uapi/vfpga.h"

int vfpga_buffer_alloc(struct vfpga_device *dev, uint64_t size,
		       struct vfpga_buffer **buf)
{
	struct vfpga_dma_buf req = { .argsz = sizeof(req), .size = size };
	struct vfpga_buffer *b;
	int ret;

	if (!buf)
		return -EINVAL;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	ret = vfpga_ioctl(dev, VFPGA_DMA_ALLOC, &req);
	if (ret < 0) {
		free(b);
		return ret;
	}
	b->ptr = mmap(NULL, req.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      dev->fd, (off_t)req.mmap_offset);
	if (b->ptr == MAP_FAILED) {
		ret = -errno;
		req.argsz = sizeof(req);
		vfpga_ioctl(dev, VFPGA_DMA_FREE, &req);
		free(b);
		return ret;
	}
	b->dev = dev;
	b->id = req.id;
	b->size = req.size;
	*buf = b;
	return 0;
}

int vfpga_buffer_map_user(struct vfpga_device *dev, void *addr, uint64_t len,
			  struct vfpga_buffer **buf)
{
	struct vfpga_dma_sg req = {
		.argsz = sizeof(req),
		.user_addr = (uintptr_t)addr,
		.length = len,
	};
	struct vfpga_buffer *b;
	int ret;

	if (!buf || !addr)
		return -EINVAL;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	ret = vfpga_ioctl(dev, VFPGA_DMA_SG_MAP, &req);
	if (ret < 0) {
		free(b);
		return ret;
	}
	*b = (struct vfpga_buffer) {
		.dev = dev, .id = req.id, .size = len, .ptr = addr,
		.user = true,
	};
	*buf = b;
	return 0;
}

int vfpga_buffer_sync(struct vfpga_buffer *buf, enum vfpga_sync dir)
{
	struct vfpga_dma_sg req = { .argsz = sizeof(req) };
	int ret;

	if (!buf || (dir != VFPGA_SYNC_CPU && dir != VFPGA_SYNC_DEVICE))
		return -EINVAL;
	if (!buf->user)
		return 0;	/* coherent */
	req.id = buf->id;
	req.flags = dir == VFPGA_SYNC_CPU ? VFPGA_SYNC_FOR_CPU :
					    VFPGA_SYNC_FOR_DEVICE;
	ret = vfpga_ioctl(buf->dev, VFPGA_DMA_SG_SYNC, &req);
	return ret < 0 ? ret : 0;
}

int vfpga_buffer_free(struct vfpga_buffer *buf)
{
	struct vfpga_dma_buf req = { .argsz = sizeof(req) };
	struct vfpga_dma_sg sg = { .argsz = sizeof(sg) };
	int ret;

	if (!buf)
		return 0;
	if (buf->user) {
		sg.id = buf->id;
		ret = vfpga_ioctl(buf->dev, VFPGA_DMA_SG_UNMAP, &sg);
	} else {
		/* The driver frees only an unmapped buffer. */
		munmap(buf->ptr, buf->size);
		req.id = buf->id;
		ret = vfpga_ioctl(buf->dev, VFPGA_DMA_FREE, &req);
		if (ret == -EBUSY) {
			/* A transfer uses it: put the mapping back. */
			void *p = mmap(buf->ptr, buf->size,
				       PROT_READ | PROT_WRITE,
				       MAP_SHARED | MAP_FIXED, buf->dev->fd,
				       (off_t)((uint64_t)(VFPGA_DMA_MMAP_REGION_FIRST +
					buf->id) << VFPGA_MMAP_REGION_SHIFT));

			return p == MAP_FAILED ? -errno : -EBUSY;
		}
	}
	if (ret == -EBUSY)
		return ret;
	free(buf);
	return ret < 0 ? ret : 0;
}

void *vfpga_buffer_ptr(const struct vfpga_buffer *buf)
{
	return buf->ptr;
}

uint64_t vfpga_buffer_size(const struct vfpga_buffer *buf)
{
	return buf->size;
}

static int vfpga_xfer(struct vfpga_device *dev, struct vfpga_dma_xfer *x,
		      unsigned int flags, uint32_t *status)
{
	int ret;

	if (flags & ~VFPGA_DMA_POLL)
		return -EINVAL;
	if (flags & VFPGA_DMA_POLL)
		x->flags |= VFPGA_XFER_POLL;
	x->argsz = sizeof(*x);
	ret = vfpga_ioctl(dev, VFPGA_DMA_XFER, x);
	if (status)
		*status = x->status;
	return ret < 0 ? ret : 0;
}

static int vfpga_stream(struct vfpga_device *dev, struct vfpga_dma_stream *s,
			uint32_t *status)
{
	int ret;

	s->argsz = sizeof(*s);
	ret = vfpga_ioctl(dev, VFPGA_DMA_STREAM, s);
	if (status)
		*status = s->status;
	return ret < 0 ? ret : 0;
}

int vfpga_stream_write(struct vfpga_device *dev, unsigned int channel,
		       const void *src, uint64_t len, unsigned int flags,
		       unsigned int timeout_ms, uint32_t *status)
{
	struct vfpga_dma_stream s = {
		.flags = flags & VFPGA_STREAM_END ? VFPGA_STREAM_EOP : 0,
		.dir = VFPGA_DMA_H2C,
		.channel = channel,
		.user_addr = (uintptr_t)src,
		.length = len,
		.timeout_ms = timeout_ms,
	};

	if (flags & ~VFPGA_STREAM_END)
		return -EINVAL;
	return vfpga_stream(dev, &s, status);
}

int vfpga_stream_read(struct vfpga_device *dev, unsigned int channel,
		      void *dst, uint64_t len, unsigned int timeout_ms,
		      uint64_t *got, bool *eop, uint32_t *status)
{
	struct vfpga_dma_stream s = {
		.dir = VFPGA_DMA_C2H,
		.channel = channel,
		.user_addr = (uintptr_t)dst,
		.length = len,
		.timeout_ms = timeout_ms,
	};
	int ret = vfpga_stream(dev, &s, status);

	if (got)
		*got = ret ? 0 : s.done;
	if (eop)
		*eop = !ret && (s.eop & VFPGA_STREAM_EOP);
	return ret;
}

static int vfpga_dma_user(struct vfpga_device *dev, unsigned int dir,
			  unsigned int channel, uint64_t card_offset,
			  const void *host, uint64_t len, unsigned int flags,
			  uint32_t *status)
{
	struct vfpga_dma_xfer x = {
		.flags = VFPGA_XFER_USER_PTR,
		.dir = dir,
		.channel = channel,
		.card_offset = card_offset,
		.length = len,
		.user_addr = (uintptr_t)host,
	};

	return vfpga_xfer(dev, &x, flags, status);
}

int vfpga_dma_write(struct vfpga_device *dev, unsigned int channel,
		    uint64_t card_offset, const void *src, uint64_t len,
		    unsigned int flags, uint32_t *status)
{
	return vfpga_dma_user(dev, VFPGA_DMA_H2C, channel, card_offset, src,
			      len, flags, status);
}

int vfpga_dma_read(struct vfpga_device *dev, unsigned int channel,
		   uint64_t card_offset, void *dst, uint64_t len,
		   unsigned int flags, uint32_t *status)
{
	return vfpga_dma_user(dev, VFPGA_DMA_C2H, channel, card_offset, dst,
			      len, flags, status);
}

static int vfpga_dma_buffer(struct vfpga_buffer *buf, unsigned int dir,
			    uint64_t buf_offset, unsigned int channel,
			    uint64_t card_offset, uint64_t len,
			    unsigned int flags, uint32_t *status)
{
	struct vfpga_dma_xfer x = {
		.flags = buf->user ? VFPGA_XFER_SG_BUF : 0,
		.dir = dir,
		.channel = channel,
		.card_offset = card_offset,
		.length = len,
		.buf_id = buf->id,
		.buf_offset = buf_offset,
	};

	return vfpga_xfer(buf->dev, &x, flags, status);
}

int vfpga_dma_write_buffer(struct vfpga_buffer *buf, uint64_t buf_offset,
			   unsigned int channel, uint64_t card_offset,
			   uint64_t len, unsigned int flags, uint32_t *status)
{
	return vfpga_dma_buffer(buf, VFPGA_DMA_H2C, buf_offset, channel,
				card_offset, len, flags, status);
}

int vfpga_dma_read_buffer(struct vfpga_buffer *buf, uint64_t buf_offset,
			  unsigned int channel, uint64_t card_offset,
			  uint64_t len, unsigned int flags, uint32_t *status)
{
	return vfpga_dma_buffer(buf, VFPGA_DMA_C2H, buf_offset, channel,
				card_offset, len, flags, status);
}
