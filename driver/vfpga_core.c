// SPDX-License-Identifier: GPL-2.0
/*
 * vfpga core driver: board-level helpers the character device, DMA,
 * interrupt and kernel-plugin files share: the register-access check, the
 * surprise-removal check, the ioctl argument rules of
 * include/vfpga/uapi/vfpga.h, and the wait for a counted event.
 */
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "vfpga_drv.h"

/* The leading fields of every ioctl argument. */
struct vfpga_arg_hdr {
	__u32 argsz;
	__u32 flags;
};

/*
 * The caller's struct is argsz bytes, at least @minsz; of it we take the
 * @ksz bytes we know, zero-filling what an older, smaller struct lacks,
 * and require what a newer, larger one has past ours to be zero.
 */
int __vfpga_get_arg(void *karg, size_t minsz, size_t ksz, unsigned long uarg,
		    bool no_flags)
{
	struct vfpga_arg_hdr *hdr = karg;
	struct vfpga_arg_hdr uhdr;
	int ret;

	if (copy_from_user(&uhdr, (void __user *)uarg, sizeof(uhdr)))
		return -EFAULT;
	if (uhdr.argsz < minsz)
		return -EINVAL;
	ret = copy_struct_from_user(karg, ksz, (void __user *)uarg,
				    uhdr.argsz);
	if (ret)
		return ret == -E2BIG ? -EINVAL : ret;
	/* The size we read by, whatever a racing writer put there since. */
	hdr->argsz = uhdr.argsz;
	if (no_flags && hdr->flags)
		return -EINVAL;
	return 0;
}

int vfpga_put_arg(unsigned long uarg, const void *karg, size_t ksz)
{
	const struct vfpga_arg_hdr *hdr = karg;

	return copy_to_user((void __user *)uarg, karg,
			    min_t(size_t, hdr->argsz, ksz)) ? -EFAULT : 0;
}

/* Resolve a register access to its address, or say what is wrong with it. */
int vfpga_bar_addr(struct vfpga_dev *vd, unsigned int bar, u64 offset,
		   unsigned int width, void __iomem **addr)
{
	resource_size_t len;

	if (width != 1 && width != 2 && width != 4 && width != 8)
		return -EINVAL;
	if (offset & (width - 1))
		return -EINVAL;
	if (bar >= PCI_STD_NUM_BARS || !vd->bar[bar])
		return -ENXIO;
	len = pci_resource_len(vd->pdev, bar);
	if (offset >= len || width > len - offset)
		return -ERANGE;
	*addr = vd->bar[bar] + offset;
	return 0;
}

/*
 * A board that answers all-ones where its XDMA config block's identifier
 * should be is gone (surprise removal): from now on every call on it
 * returns -ENODEV.  (Not the user logic's ID: other user logic than the
 * reference design may read all-ones there.)
 */
bool vfpga_check_gone(struct vfpga_dev *vd)
{
	if (readl(vd->xdma + XDMA_CONFIG_BASE + XDMA_CONFIG_IDENTIFIER) !=
	    U32_MAX)
		return false;
	if (!vd->revoked) {
		dev_warn(&vd->dev, "board no longer answers: surprise removal\n");
		WRITE_ONCE(vd->gone, true);
		wake_up_all(&vd->irq_wq);
		wake_up_all(&vd->kp_wq);
		vfpga_dma_wake_all(vd);
		vfpga_kp_board_gone(vd);
	}
	return true;
}

/*
 * Sleep without locks (several threads may wait on one @seen) until the
 * count has moved past what the last waiter claimed, then claim all of it
 * under @lock, unless another waiter did first.
 */
int vfpga_wait_count(struct vfpga_dev *vd, const struct vfpga_count_wait *cw,
		     unsigned int timeout_ms, u64 *count, u64 *total)
{
	long left = msecs_to_jiffies(timeout_ms);
	u64 seen, now;

	for (;;) {
		seen = READ_ONCE(*cw->seen);
		left = wait_event_interruptible_timeout(*cw->wq,
							atomic64_read(cw->count) != seen ||
							(cw->closed && READ_ONCE(*cw->closed)) ||
							vfpga_dying(vd), left);
		if (left < 0)
			return -EINTR;
		if (vfpga_dying(vd))
			return -ENODEV;
		if (cw->closed && READ_ONCE(*cw->closed))
			return -EINVAL;
		spin_lock(cw->lock);
		seen = *cw->seen;
		now = atomic64_read(cw->count);
		WRITE_ONCE(*cw->seen, now);
		spin_unlock(cw->lock);
		if (now != seen)
			break;
		if (!left)
			return -ETIMEDOUT;
	}
	*count = now - seen;
	*total = now;
	return 0;
}
