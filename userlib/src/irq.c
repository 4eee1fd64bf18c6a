// SPDX-License-Identifier: MIT
/* libvfpga: the interrupt generator and the driver's interrupt counters. */
#include <errno.h>
#include <time.h>

#include "internal.h"
#include "uapi/vfpga.h"
#include "vfpga_regs.h"

int vfpga_irqgen_start(struct vfpga_device *dev, unsigned int line,
		       uint32_t count, unsigned int *vector)
{
	struct vfpga_irqgen gen = {
		.argsz = sizeof(gen),
		.line = line,
		.count = count,
	};
	int ret;

	ret = vfpga_ioctl(dev, VFPGA_IRQGEN_START, &gen);
	if (ret == 0 && vector)
		*vector = gen.vector;
	return ret;
}

int vfpga_irqgen_wait(struct vfpga_device *dev, unsigned int timeout_ms,
		      uint32_t *raised, uint32_t *acked)
{
	const struct timespec tick = { .tv_nsec = 1000000 };
	uint32_t status;
	unsigned int waited;
	int ret;

	/* Other user logic has other registers where the generator's are. */
	if (!dev->ref_logic)
		return -EOPNOTSUPP;
	for (waited = 0;; waited++) {
		ret = vfpga_reg_read32(dev, dev->user_bar,
				       VFPGA_IRQGEN_STATUS, &status);
		if (ret < 0)
			return ret;
		if (!(status & VFPGA_IRQGEN_STATUS_BUSY) || waited >= timeout_ms)
			break;
		nanosleep(&tick, NULL);
	}

	if (raised) {
		ret = vfpga_reg_read32(dev, dev->user_bar,
				       VFPGA_IRQGEN_RAISED, raised);
		if (ret < 0)
			return ret;
	}
	if (acked) {
		ret = vfpga_reg_read32(dev, dev->user_bar,
				       VFPGA_IRQGEN_ACKED, acked);
		if (ret < 0)
			return ret;
	}
	return (status & VFPGA_IRQGEN_STATUS_BUSY) ? -ETIMEDOUT : 0;
}

int vfpga_irq_count(struct vfpga_device *dev, unsigned int vector,
		    uint64_t *handled, uint64_t *not_mine)
{
	struct vfpga_irq_count cnt = {
		.argsz = sizeof(cnt),
		.vector = vector,
	};
	int ret;

	ret = vfpga_ioctl(dev, VFPGA_IRQ_COUNT, &cnt);
	if (ret < 0)
		return ret;
	if (handled)
		*handled = cnt.handled;
	if (not_mine)
		*not_mine = cnt.not_mine;
	return 0;
}

int vfpga_irq_wait(struct vfpga_device *dev, unsigned int vector,
		   unsigned int timeout_ms, struct vfpga_irq_event *ev)
{
	struct vfpga_irq_wait w = {
		.argsz = sizeof(w),
		.vector = vector,
		.timeout_ms = timeout_ms,
	};
	int ret;

	if (!ev)
		return -EINVAL;
	ret = vfpga_ioctl(dev, VFPGA_IRQ_WAIT, &w);
	if (ret < 0)
		return ret;
	ev->count = w.count;
	ev->lost = w.lost;
	ev->total = w.total;
	return 0;
}

static int vfpga_user_ack(struct vfpga_device *dev, uint32_t op,
			  uint32_t lines, uint32_t *owned)
{
	struct vfpga_irq_user_ack ua = {
		.argsz = sizeof(ua),
		.op = op,
		.lines = lines,
	};
	int ret;

	ret = vfpga_ioctl(dev, VFPGA_IRQ_USER_ACK, &ua);
	if (ret < 0)
		return ret;
	if (owned)
		*owned = ua.owned;
	return 0;
}

int vfpga_irq_user_ack_take(struct vfpga_device *dev, uint32_t lines,
			    uint32_t *owned)
{
	return vfpga_user_ack(dev, VFPGA_USER_ACK_TAKE, lines, owned);
}

int vfpga_irq_unmask(struct vfpga_device *dev, uint32_t lines)
{
	return vfpga_user_ack(dev, VFPGA_USER_ACK_UNMASK, lines, NULL);
}

int vfpga_irq_user_ack_give(struct vfpga_device *dev, uint32_t lines,
			    uint32_t *owned)
{
	return vfpga_user_ack(dev, VFPGA_USER_ACK_GIVE, lines, owned);
}
