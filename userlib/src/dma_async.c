// SPDX-License-Identifier: MIT
/*
 * libvfpga: asynchronous transfers, each run by a thread of its own that
 * makes the blocking call; channels in the driver run in parallel.
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

struct vfpga_xfer {
	pthread_t thread;
	struct vfpga_device *dev;
	int write;
	unsigned int channel;
	uint64_t card_offset;
	void *host;
	uint64_t len;
	unsigned int flags;
	vfpga_dma_cb done;
	void *ctx;
	int result;
	uint32_t status;
};

static void *vfpga_xfer_main(void *arg)
{
	struct vfpga_xfer *x = arg;

	if (x->write)
		x->result = vfpga_dma_write(x->dev, x->channel, x->card_offset,
					    x->host, x->len, x->flags,
					    &x->status);
	else
		x->result = vfpga_dma_read(x->dev, x->channel, x->card_offset,
					   x->host, x->len, x->flags,
					   &x->status);
	if (x->done)
		x->done(x->ctx, x->result, x->status);
	return NULL;
}

int vfpga_dma_submit(struct vfpga_device *dev, int write,
		     unsigned int channel, uint64_t card_offset, void *host,
		     uint64_t len, unsigned int flags, vfpga_dma_cb done,
		     void *ctx, struct vfpga_xfer **xfer)
{
	struct vfpga_xfer *x;
	int ret;

	if (!xfer)
		return -EINVAL;
	x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	*x = (struct vfpga_xfer) {
		.dev = dev, .write = write, .channel = channel,
		.card_offset = card_offset, .host = host, .len = len,
		.flags = flags, .done = done, .ctx = ctx,
	};
	ret = pthread_create(&x->thread, NULL, vfpga_xfer_main, x);
	if (ret) {
		free(x);
		return -ret;
	}
	*xfer = x;
	return 0;
}

int vfpga_dma_wait(struct vfpga_xfer *xfer, uint32_t *status)
{
	int ret;

	if (!xfer)
		return -EINVAL;
	pthread_join(xfer->thread, NULL);
	ret = xfer->result;
	if (status)
		*status = xfer->status;
	free(xfer);
	return ret;
}
