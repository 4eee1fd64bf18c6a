// SPDX-License-Identifier: MIT
/*
 * libvfpga: interrupt callbacks on a thread per vector.  The thread waits
 * in short slices so that vfpga_irq_disable() is honoured promptly without
 * signals.
 */
#include <errno.h>

#include "internal.h"

#define SLICE_MS	100

static void *vfpga_irq_thread_main(void *arg)
{
	struct vfpga_irq_thread *t = arg;
	struct vfpga_irq_event ev;
	int ret;

	while (!t->stop) {
		ret = vfpga_irq_wait(t->dev, t->vector, SLICE_MS, &ev);
		if (ret == 0)
			t->cb(t->ctx, &ev);
		else if (ret != -ETIMEDOUT && ret != -EINTR)
			break;		/* board gone or vector invalid */
	}
	return NULL;
}

int vfpga_irq_enable(struct vfpga_device *dev, unsigned int vector,
		     vfpga_irq_cb cb, void *ctx)
{
	struct vfpga_irq_thread *t;
	struct vfpga_irq_event ev;
	int ret;

	if (!cb || vector >= VFPGA_MAX_CB_VECTORS)
		return -EINVAL;
	/* A vector the driver does not have fails here, not in the thread. */
	ret = vfpga_irq_wait(dev, vector, 0, &ev);
	if (ret == -EINVAL || ret == -ENODEV)
		return ret;

	pthread_mutex_lock(&dev->lock);
	t = &dev->irq[vector];
	if (t->running) {
		pthread_mutex_unlock(&dev->lock);
		return -EBUSY;
	}
	t->dev = dev;
	t->vector = vector;
	t->cb = cb;
	t->ctx = ctx;
	t->stop = false;
	ret = -pthread_create(&t->thread, NULL, vfpga_irq_thread_main, t);
	t->running = ret == 0;
	pthread_mutex_unlock(&dev->lock);
	return ret;
}

int vfpga_irq_disable(struct vfpga_device *dev, unsigned int vector)
{
	struct vfpga_irq_thread *t;

	if (vector >= VFPGA_MAX_CB_VECTORS)
		return -EINVAL;
	pthread_mutex_lock(&dev->lock);
	t = &dev->irq[vector];
	if (!t->running) {
		pthread_mutex_unlock(&dev->lock);
		return 0;
	}
	t->stop = true;
	t->running = false;
	pthread_mutex_unlock(&dev->lock);
	pthread_join(t->thread, NULL);
	return 0;
}
