// SPDX-License-Identifier: GPL-2.0
/*
 * vfpga core driver: the character device /dev/vfpgaN and its ioctls
 * (include/vfpga/uapi/vfpga.h).
 */
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>

#include "vfpga_drv.h"

#define VFPGA_MAX_BOARDS	64

static dev_t vfpga_devt;
static DEFINE_IDA(vfpga_minors);
static struct class vfpga_class = {
	.name = "vfpga",
};

/*
 * Every struct the same for i386 and x86-64 callers: sizes and the
 * offsets where 8-byte fields could have moved (uapi/vfpga.h).
 * tests/host/uapi_abi_test.sh asserts the same from a 32-bit build.
 */
static_assert(sizeof(struct vfpga_info) == 136);
static_assert(offsetof(struct vfpga_info, h2c_stream) == 128);
static_assert(sizeof(struct vfpga_dma_stream) == 56);
static_assert(offsetof(struct vfpga_info, bar_size) == 48);
static_assert(offsetof(struct vfpga_info, shape_flags) == 96);
static_assert(offsetof(struct vfpga_info, card_size) == 120);
static_assert(sizeof(struct vfpga_reg) == 32);
static_assert(sizeof(struct vfpga_irqgen) == 24);
static_assert(sizeof(struct vfpga_irq_count) == 32);
static_assert(sizeof(struct vfpga_irq_wait) == 40);
static_assert(sizeof(struct vfpga_dma_buf) == 32);
static_assert(sizeof(struct vfpga_dma_xfer) == 64);
static_assert(offsetof(struct vfpga_dma_xfer, buf_offset) == 48);
static_assert(sizeof(struct vfpga_dma_sg) == 32);
static_assert(sizeof(struct vfpga_kp_open) == 48);
static_assert(sizeof(struct vfpga_kp_call) == 48);
static_assert(sizeof(struct vfpga_kp_handle_arg) == 16);
static_assert(sizeof(struct vfpga_kp_wait) == 40);
static_assert(sizeof(struct vfpga_kp_stats) == 328);
static_assert(sizeof(struct vfpga_irq_user_ack) == 24);

static long vfpga_ioctl_info(struct vfpga_dev *vd, unsigned long uarg)
{
	struct pci_dev *pdev = vd->pdev;
	struct vfpga_info info;
	int bar, ret;

	ret = vfpga_get_arg(&info, bar_size, uarg);
	if (ret)
		return ret;
	if (info.pad[0] || info.pad[1])
		return -EINVAL;

	info.vendor = pdev->vendor;
	info.device = pdev->device;
	info.subsystem_vendor = pdev->subsystem_vendor;
	info.subsystem_device = pdev->subsystem_device;
	info.revision = pdev->revision;
	info.board_id = readl(vd->user + VFPGA_USER_ID);
	info.board_version = readl(vd->user + VFPGA_USER_VERSION);
	info.board_caps = readl(vd->user + VFPGA_USER_CAPS);
	info.irq_mode = vd->irq_mode;
	info.num_vectors = vd->num_vectors;
	for (bar = 0; bar < VFPGA_NUM_BARS; bar++)
		info.bar_size[bar] = vd->bar[bar] ?
				     pci_resource_len(pdev, bar) : 0;
	info.shape_flags = VFPGA_INFO_SHAPE | VFPGA_INFO_STREAM |
			   (vd->ref_logic ? VFPGA_INFO_REF_LOGIC : 0);
	info.h2c_stream = 0;
	info.c2h_stream = 0;
	for (bar = 0; bar < vd->num_h2c; bar++)
		info.h2c_stream |= vd->h2c[bar].stream ? BIT(bar) : 0;
	for (bar = 0; bar < vd->num_c2h; bar++)
		info.c2h_stream |= vd->c2h[bar].stream ? BIT(bar) : 0;
	info.num_h2c = vd->num_h2c;
	info.num_c2h = vd->num_c2h;
	info.user_bar = vd->user_bar;
	info.config_bar = vd->config_bar;
	info.card_bar = vd->card_bar;
	info.card_size = vd->card_size;
	return vfpga_put_arg(uarg, &info, sizeof(info));
}

/*
 * The DMA engine's BAR is the board's bus-master: whoever programs its
 * descriptors makes the board read and write any bus address, and a read
 * of a channel's STATUS_RC clears a transfer's status under the driver.
 * From user space it is for CAP_SYS_RAWIO only (as /dev/mem is).
 */
static int vfpga_user_bar_allowed(struct vfpga_dev *vd, unsigned int bar)
{
	return bar == vd->config_bar && !capable(CAP_SYS_RAWIO) ? -EPERM : 0;
}

static long vfpga_ioctl_reg(struct vfpga_dev *vd, unsigned long uarg,
			    bool write)
{
	struct vfpga_reg reg;
	void __iomem *addr;
	int ret;

	ret = vfpga_get_arg(&reg, value, uarg);
	if (ret)
		return ret;
	ret = vfpga_bar_addr(vd, reg.bar, reg.offset, reg.width, &addr);
	if (!ret)
		ret = vfpga_user_bar_allowed(vd, reg.bar);
	if (ret)
		return ret;

	if (write) {
		switch (reg.width) {
		case 1:
			writeb(reg.value, addr);
			break;
		case 2:
			writew(reg.value, addr);
			break;
		case 4:
			writel(reg.value, addr);
			break;
		default:
			writeq(reg.value, addr);
			break;
		}
		return 0;
	}

	switch (reg.width) {
	case 1:
		reg.value = readb(addr);
		break;
	case 2:
		reg.value = readw(addr);
		break;
	case 4:
		reg.value = readl(addr);
		break;
	default:
		reg.value = readq(addr);
		break;
	}
	/* All-ones may be a register's value, or the board gone missing. */
	if (reg.value == GENMASK_ULL(reg.width * 8 - 1, 0) &&
	    vfpga_check_gone(vd))
		return -ENODEV;
	return vfpga_put_arg(uarg, &reg, sizeof(reg));
}

static long vfpga_ioctl_irqgen_start(struct vfpga_dev *vd, unsigned long uarg)
{
	struct vfpga_irqgen gen;
	int ret;

	ret = vfpga_get_arg(&gen, pad, uarg);
	if (ret)
		return ret;
	if (gen.pad || gen.line >= VFPGA_USER_IRQ_LINES || !gen.count)
		return -EINVAL;
	/* Only the reference user logic has the generator. */
	if (!vd->ref_logic)
		return -EOPNOTSUPP;
	gen.vector = vd->line_vector[gen.line];
	ret = vfpga_put_arg(uarg, &gen, sizeof(gen));
	if (ret)
		return ret;

	/* Two callers that both saw it idle would mix their settings. */
	mutex_lock(&vd->irqgen_lock);
	if (readl(vd->user + VFPGA_IRQGEN_STATUS) & VFPGA_IRQGEN_STATUS_BUSY) {
		ret = -EBUSY;
	} else {
		writel(gen.line, vd->user + VFPGA_IRQGEN_LINE);
		writel(gen.count, vd->user + VFPGA_IRQGEN_COUNT);
		writel(VFPGA_IRQGEN_CTRL_START, vd->user + VFPGA_IRQGEN_CTRL);
	}
	mutex_unlock(&vd->irqgen_lock);
	return ret;
}

static long vfpga_ioctl_irq_count(struct vfpga_dev *vd, unsigned long uarg)
{
	struct vfpga_irq_count cnt;
	int ret;

	ret = vfpga_get_arg(&cnt, not_mine, uarg);
	if (ret)
		return ret;
	if (cnt.pad || cnt.vector >= vd->num_vectors)
		return -EINVAL;

	cnt.handled = atomic64_read(&vd->vectors[cnt.vector].handled);
	cnt.not_mine = atomic64_read(&vd->vectors[cnt.vector].not_mine);
	return vfpga_put_arg(uarg, &cnt, sizeof(cnt));
}

static long vfpga_ioctl_irq_wait(struct vfpga_dev *vd, struct vfpga_file *vf,
				 unsigned long uarg)
{
	struct vfpga_irq_wait w;
	int ret;

	ret = vfpga_get_arg(&w, total, uarg);
	if (ret)
		return ret;
	ret = vfpga_irq_wait(vd, vf, &w);
	if (ret)
		return ret;
	return vfpga_put_arg(uarg, &w, sizeof(w));
}

static long vfpga_ioctl_user_ack(struct vfpga_dev *vd, struct vfpga_file *vf,
				 unsigned long uarg)
{
	struct vfpga_irq_user_ack ua;
	int ret;

	ret = vfpga_get_arg(&ua, pad, uarg);
	if (ret)
		return ret;
	if (ua.pad)
		return -EINVAL;
	ret = vfpga_irq_user_ack(vd, vf, &ua);
	if (ret)
		return ret;
	return vfpga_put_arg(uarg, &ua, sizeof(ua));
}

static long vfpga_ioctl_dma_buf(struct vfpga_dev *vd, struct vfpga_file *vf,
				unsigned long uarg, bool alloc)
{
	struct vfpga_dma_buf b;
	int ret;

	ret = vfpga_get_arg(&b, mmap_offset, uarg);
	if (ret)
		return ret;
	if (b.pad)
		return -EINVAL;
	if (!alloc)
		return vfpga_buf_free(vd, vf, b.id);
	ret = vfpga_buf_alloc(vd, vf, &b);
	if (ret)
		return ret;
	ret = vfpga_put_arg(uarg, &b, sizeof(b));
	if (ret)
		vfpga_buf_free(vd, vf, b.id);
	return ret;
}

static long vfpga_ioctl_dma_sg(struct vfpga_dev *vd, struct vfpga_file *vf,
			       unsigned int cmd, unsigned long uarg)
{
	struct vfpga_dma_sg m;
	int ret;

	/* SYNC's flags say which way; MAP and UNMAP take none. */
	ret = vfpga_copy_arg(&m, length, uarg);
	if (ret)
		return ret;
	if (m.pad)
		return -EINVAL;
	if (cmd == VFPGA_DMA_SG_SYNC)
		return vfpga_sgbuf_sync(vd, vf, &m);
	if (m.flags)
		return -EINVAL;
	if (cmd == VFPGA_DMA_SG_UNMAP)
		return vfpga_sgbuf_unmap(vd, vf, m.id);
	ret = vfpga_sgbuf_map(vd, vf, &m);
	if (ret)
		return ret;
	ret = vfpga_put_arg(uarg, &m, sizeof(m));
	if (ret)
		vfpga_sgbuf_unmap(vd, vf, m.id);
	return ret;
}

static long vfpga_ioctl_dma_xfer(struct vfpga_dev *vd, struct vfpga_file *vf,
				 unsigned long uarg)
{
	struct vfpga_dma_xfer x;
	int ret, put;

	/* Flags are the transfer's options: checked by vfpga_dma_xfer(). */
	ret = vfpga_copy_arg(&x, descriptors, uarg);
	if (ret)
		return ret;
	x.status = 0;
	x.descriptors = 0;
	ret = vfpga_dma_xfer(vd, vf, &x);
	/* Status and descriptors also explain a failed transfer. */
	put = vfpga_put_arg(uarg, &x, sizeof(x));
	return ret ? ret : put;
}

static long vfpga_ioctl_dma_stream(struct vfpga_dev *vd, unsigned long uarg)
{
	struct vfpga_dma_stream s;
	int ret, put;

	/* Flags are the transfer's options: checked by vfpga_dma_stream(). */
	ret = vfpga_copy_arg(&s, pad, uarg);
	if (ret)
		return ret;
	s.status = 0;
	ret = vfpga_dma_stream(vd, &s, NULL);
	/* Done and status also explain a failed transfer. */
	put = vfpga_put_arg(uarg, &s, sizeof(s));
	return ret ? ret : put;
}

static long vfpga_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct vfpga_file *vf = file->private_data;
	struct vfpga_dev *vd = vf->vd;
	long ret;

	if (cmd == VFPGA_GET_API_VERSION)
		return VFPGA_API_VERSION;

	down_read(&vd->lock);
	if (vfpga_dying(vd)) {
		ret = -ENODEV;
		goto out_unlock;
	}

	switch (cmd) {
	case VFPGA_GET_INFO:
		ret = vfpga_ioctl_info(vd, arg);
		break;
	case VFPGA_REG_READ:
		ret = vfpga_ioctl_reg(vd, arg, false);
		break;
	case VFPGA_REG_WRITE:
		ret = vfpga_ioctl_reg(vd, arg, true);
		break;
	case VFPGA_IRQGEN_START:
		ret = vfpga_ioctl_irqgen_start(vd, arg);
		break;
	case VFPGA_IRQ_COUNT:
		ret = vfpga_ioctl_irq_count(vd, arg);
		break;
	case VFPGA_IRQ_WAIT:
		ret = vfpga_ioctl_irq_wait(vd, vf, arg);
		break;
	case VFPGA_IRQ_USER_ACK:
		ret = vfpga_ioctl_user_ack(vd, vf, arg);
		break;
	case VFPGA_DMA_ALLOC:
		ret = vfpga_ioctl_dma_buf(vd, vf, arg, true);
		break;
	case VFPGA_DMA_FREE:
		ret = vfpga_ioctl_dma_buf(vd, vf, arg, false);
		break;
	case VFPGA_DMA_XFER:
		ret = vfpga_ioctl_dma_xfer(vd, vf, arg);
		break;
	case VFPGA_DMA_SG_MAP:
	case VFPGA_DMA_SG_UNMAP:
	case VFPGA_DMA_SG_SYNC:
		ret = vfpga_ioctl_dma_sg(vd, vf, cmd, arg);
		break;
	case VFPGA_DMA_STREAM:
		ret = vfpga_ioctl_dma_stream(vd, arg);
		break;
	case VFPGA_KP_OPEN:
	case VFPGA_KP_CALL:
	case VFPGA_KP_CLOSE:
	case VFPGA_KP_INT_ENABLE:
	case VFPGA_KP_INT_DISABLE:
	case VFPGA_KP_WAIT:
	case VFPGA_KP_STATS:
		ret = vfpga_kp_ioctl(vd, vf, cmd, arg);
		break;
	default:
		ret = -ENOTTY;
		break;
	}

out_unlock:
	up_read(&vd->lock);
	return ret;
}

/*
 * A BAR page is inserted when it is first touched, not in mmap(): the VMA
 * is then linked into the file's mapping, so remove()'s
 * unmap_mapping_range() sees every page, and a fault after it finds the
 * mapping revoked (as VFIO does).
 */
static vm_fault_t vfpga_bar_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct vfpga_dev *vd = vma->vm_private_data;
	unsigned int bar = vma->vm_pgoff >>
			   (VFPGA_MMAP_REGION_SHIFT - PAGE_SHIFT);
	unsigned long pfn;
	vm_fault_t ret = VM_FAULT_SIGBUS;

	down_read(&vd->map_lock);
	if (!vd->revoked) {
		pfn = (pci_resource_start(vd->pdev, bar) >> PAGE_SHIFT) +
		      vmf->pgoff - vma->vm_pgoff;
		ret = vmf_insert_pfn(vma, vmf->address, pfn);
	}
	up_read(&vd->map_lock);
	return ret;
}

static const struct vm_operations_struct vfpga_bar_vm_ops = {
	.fault = vfpga_bar_fault,
};

/* A BAR, uncached, at VFPGA_BAR_MMAP_OFFSET(bar). */
static int vfpga_mmap_bar(struct vfpga_dev *vd, struct vm_area_struct *vma,
			  unsigned int bar)
{
	unsigned long len = vma->vm_end - vma->vm_start;

	if (bar >= PCI_STD_NUM_BARS || !vd->bar[bar])
		return -EINVAL;
	if (len > PAGE_ALIGN(pci_resource_len(vd->pdev, bar)))
		return -EINVAL;
	if (vfpga_user_bar_allowed(vd, bar))
		return -EPERM;
	vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	vma->vm_private_data = vd;
	vma->vm_ops = &vfpga_bar_vm_ops;
	return 0;
}

/*
 * Without vd->lock: mmap() runs under mmap_lock, and ioctls take
 * mmap_lock under vd->lock (copying and pinning user memory).  A BAR
 * mapping is safe against remove() through its fault handler; a DMA
 * buffer's, through vf->lock and the buffer's own map count.
 */
static int vfpga_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct vfpga_file *vf = file->private_data;
	struct vfpga_dev *vd = vf->vd;
	u64 region = (u64)vma->vm_pgoff >> (VFPGA_MMAP_REGION_SHIFT - PAGE_SHIFT);

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	/* Only whole regions, from their start. */
	if ((u64)vma->vm_pgoff << PAGE_SHIFT !=
	    region << VFPGA_MMAP_REGION_SHIFT)
		return -EINVAL;

	if (vfpga_dying(vd))
		return -ENODEV;
	if (region < VFPGA_DMA_MMAP_REGION_FIRST)
		return vfpga_mmap_bar(vd, vma, region);
	if (region < VFPGA_DMA_MMAP_REGION_FIRST + VFPGA_DMA_BUFS_MAX)
		return vfpga_buf_mmap(vd, vf, vma,
				      region - VFPGA_DMA_MMAP_REGION_FIRST);
	return -EINVAL;
}

static __poll_t vfpga_poll(struct file *file, poll_table *wait)
{
	struct vfpga_file *vf = file->private_data;
	struct vfpga_dev *vd = vf->vd;
	__poll_t mask;

	poll_wait(file, &vd->irq_wq, wait);
	/*
	 * Under the lock, as every file operation that touches the board:
	 * remove() frees the vectors (devm) once it has marked the board
	 * gone under it, so they cannot go away between the check and the
	 * read.
	 */
	down_read(&vd->lock);
	if (vfpga_dying(vd))
		mask = EPOLLERR | EPOLLHUP;
	else
		mask = vfpga_irq_pending(vd, vf) ? EPOLLIN | EPOLLRDNORM : 0;
	up_read(&vd->lock);
	return mask;
}

static int vfpga_open(struct inode *inode, struct file *file)
{
	struct vfpga_dev *vd = container_of(inode->i_cdev, struct vfpga_dev,
					    cdev);
	struct vfpga_file *vf;
	unsigned int v;

	vf = kzalloc(sizeof(*vf), GFP_KERNEL);
	if (!vf)
		return -ENOMEM;
	vf->vd = vd;
	vf->file = file;
	mutex_init(&vf->lock);
	spin_lock_init(&vf->seen_lock);
	xa_init_flags(&vf->bufs, XA_FLAGS_ALLOC);
	xa_init_flags(&vf->sgbufs, XA_FLAGS_ALLOC);
	xa_init_flags(&vf->kp_handles, XA_FLAGS_ALLOC1);

	down_read(&vd->lock);
	if (vfpga_dying(vd)) {
		up_read(&vd->lock);
		kfree(vf);
		return -ENODEV;
	}
	/* A new file hears of interrupts from now on. */
	for (v = 0; v < vd->num_vectors; v++)
		vf->seen[v] = atomic64_read(&vd->vectors[v].handled);
	mutex_lock(&vd->files_lock);
	list_add(&vf->node, &vd->files);
	mutex_unlock(&vd->files_lock);
	up_read(&vd->lock);

	get_device(&vd->dev);
	file->private_data = vf;
	return 0;
}

static int vfpga_release(struct inode *inode, struct file *file)
{
	struct vfpga_file *vf = file->private_data;
	struct vfpga_dev *vd = vf->vd;
	struct vfpga_kp_handle *h;
	unsigned long id;

	/*
	 * The DMA side first, still on the board's list and under the lock:
	 * remove() either did it already (vd->revoked) or waits for it, so
	 * no DMA API call of this file comes after remove().
	 */
	down_read(&vd->lock);
	vfpga_buf_free_all(vd, vf);
	if (!vd->revoked)
		xa_for_each(&vf->kp_handles, id, h)
			vfpga_kp_dma_unmap_all(h);
	up_read(&vd->lock);

	mutex_lock(&vd->files_lock);
	list_del(&vf->node);
	mutex_unlock(&vd->files_lock);
	vfpga_kp_file_release(vd, vf);
	vfpga_irq_user_ack_release(vd, vf);
	kfree(vf);
	put_device(&vd->dev);
	return 0;
}

static const struct file_operations vfpga_fops = {
	.owner = THIS_MODULE,
	.open = vfpga_open,
	.release = vfpga_release,
	.unlocked_ioctl = vfpga_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = vfpga_mmap,
	.poll = vfpga_poll,
};

static void vfpga_dev_release(struct device *dev)
{
	struct vfpga_dev *vd = container_of(dev, struct vfpga_dev, dev);

	if (dev->devt)
		ida_free(&vfpga_minors, MINOR(dev->devt));
	pci_dev_put(vd->pdev);
	kfree(vd);
}

/*
 * Initialise vd->dev; from here on put_device(&vd->dev) frees @vd.
 */
int vfpga_dev_init(struct vfpga_dev *vd)
{
	int minor;

	pci_dev_get(vd->pdev);	/* DMA buffers may outlive the binding */
	mutex_init(&vd->files_lock);
	INIT_LIST_HEAD(&vd->files);
	init_waitqueue_head(&vd->irq_wq);
	mutex_init(&vd->irqgen_lock);
	spin_lock_init(&vd->kp_irq_lock);
	mutex_init(&vd->kp_int_mutex);
	init_waitqueue_head(&vd->kp_wq);
	INIT_WORK(&vd->kp_gone_work, vfpga_kp_gone_work);
	device_initialize(&vd->dev);
	vd->dev.class = &vfpga_class;
	vd->dev.parent = &vd->pdev->dev;
	vd->dev.release = vfpga_dev_release;

	minor = ida_alloc_max(&vfpga_minors, VFPGA_MAX_BOARDS - 1, GFP_KERNEL);
	if (minor < 0)
		return minor;
	vd->dev.devt = MKDEV(MAJOR(vfpga_devt), minor);
	return dev_set_name(&vd->dev, "vfpga%d", minor);
}

int vfpga_cdev_add(struct vfpga_dev *vd)
{
	int ret;

	cdev_init(&vd->cdev, &vfpga_fops);
	vd->cdev.owner = THIS_MODULE;
	ret = cdev_device_add(&vd->cdev, &vd->dev);
	if (!ret)
		vfpga_dma_stages_debugfs_add(vd);
	return ret;
}

/*
 * Unpublish the node and cut every open file off the board: wake sleepers,
 * wait for running calls to leave, revoke BAR mappings.
 */
void vfpga_cdev_del(struct vfpga_dev *vd)
{
	struct vfpga_kp_handle *h;
	struct vfpga_file *vf;
	unsigned long id;

	vfpga_dma_stages_debugfs_remove(vd);
	cdev_device_del(&vd->cdev, &vd->dev);
	WRITE_ONCE(vd->dying, true);
	wake_up_all(&vd->irq_wq);
	wake_up_all(&vd->kp_wq);
	vfpga_dma_wake_all(vd);
	down_write(&vd->lock);
	WRITE_ONCE(vd->gone, true);
	down_write(&vd->map_lock);
	vd->revoked = true;
	up_write(&vd->map_lock);
	/*
	 * No file operation runs now, and no fault fills a mapping: zap them
	 * all and free every DMA buffer now, while the DMA API may still be
	 * used (after remove() the board, and its IOMMU group, may be gone).
	 * A file kept open gets -ENODEV, and its close() frees bookkeeping
	 * only.  Dead channels that have stopped since give back what they
	 * kept first.
	 */
	vfpga_dma_remove(vd);
	mutex_lock(&vd->files_lock);
	list_for_each_entry(vf, &vd->files, node) {
		unmap_mapping_range(vf->file->f_mapping, 0, 0, 1);
		vfpga_buf_unmap_all(vd, vf);
		xa_for_each(&vf->kp_handles, id, h)
			vfpga_kp_dma_unmap_all(h);
	}
	mutex_unlock(&vd->files_lock);
	up_write(&vd->lock);
	/*
	 * Plugins' register accessors check gone in an RCU read-side
	 * section, from any context: none still touches the BARs after this.
	 */
	synchronize_rcu();
	/* A surprise removal noticed before may still be telling plugins. */
	flush_work(&vd->kp_gone_work);
	vfpga_kp_board_removed(vd);
}

int vfpga_cdev_init(void)
{
	int ret;

	ret = alloc_chrdev_region(&vfpga_devt, 0, VFPGA_MAX_BOARDS, "vfpga");
	if (ret)
		return ret;
	ret = class_register(&vfpga_class);
	if (ret)
		unregister_chrdev_region(vfpga_devt, VFPGA_MAX_BOARDS);
	return ret;
}

void vfpga_cdev_exit(void)
{
	class_unregister(&vfpga_class);
	unregister_chrdev_region(vfpga_devt, VFPGA_MAX_BOARDS);
}
