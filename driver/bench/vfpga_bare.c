// SPDX-License-Identifier: GPL-2.0
/*
 * vfpga_bare: the floor of the interrupt benchmarks (make bench).  A PCI
 * driver for the vfpga board with the least an interrupt handler can do
 * and still measure itself: read the device clock and the generator's
 * raise time, acknowledge.  No pending check, no lock, no deferred work,
 * no wake-up.
 *
 * It has no ID table: it binds only where user space asks for it with
 * driver_override (instead of vfpga.ko):
 *   echo vfpga_bare >/sys/bus/pci/devices/ADDR/driver_override
 *   insmod vfpga_bare.ko            (or echo ADDR >.../drivers_probe)
 * debugfs, /sys/kernel/debug/vfpga_bare/ADDR/:
 *   run      write N: start a ping-pong storm of N interrupts on user
 *            line 0 (MSI-X vector 0)
 *   results  one line: "handled=H target=N elapsed_ns=E max_ns=M
 *            hist=B0,B1,..." where E runs from the start to the handler
 *            of the last interrupt and the histogram of latencies (device
 *            clock at the handler minus the raise) uses the buckets of
 *            driver/kp/sample/vfpga_kp_sample.h
 */
#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/kstrtox.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/seq_file.h>

#include "vfpga_compat.h"
#include "vfpga_regs.h"
#include "vfpga_kp_sample.h"

#define BARE_LINE	0

struct bare {
	struct pci_dev *pdev;
	void __iomem *user;
	void __iomem *xdma;
	struct dentry *dir;
	struct mutex lock;		/* run against run and results */
	/* Written by the handler only while a run is going. */
	u64 handled;
	u64 target;
	u64 start_ns;
	u64 end_ns;
	u64 max_ns;
	u64 hist[VFPGA_KP_SAMPLE_LAT_BUCKETS];
};

static struct dentry *bare_root;

/* One access: BAR0 takes 64-bit reads of its LO/HI counter pairs. */
static u64 bare_read64(struct bare *b, u32 lo)
{
	return readq(b->user + lo);
}

static irqreturn_t bare_irq(int irq, void *data)
{
	struct bare *b = data;
	u64 now, lat;

	now = bare_read64(b, VFPGA_USER_TIME_LO);
	lat = now - bare_read64(b, VFPGA_IRQGEN_LAST_RAISE_LO);
	writel(VFPGA_IRQGEN_ACK_BIT, b->user + VFPGA_IRQGEN_ACK);

	b->hist[vfpga_kp_sample_lat_bucket(lat)]++;
	if (lat > b->max_ns)
		b->max_ns = lat;
	if (++b->handled == b->target)
		WRITE_ONCE(b->end_ns, ktime_get_ns());
	return IRQ_HANDLED;
}

static ssize_t bare_run_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	struct bare *b = file->private_data;
	u32 count;
	int ret;

	ret = kstrtou32_from_user(ubuf, len, 0, &count);
	if (ret)
		return ret;
	if (!count)
		return -EINVAL;

	mutex_lock(&b->lock);
	if (readl(b->user + VFPGA_IRQGEN_STATUS) & VFPGA_IRQGEN_STATUS_BUSY) {
		mutex_unlock(&b->lock);
		return -EBUSY;
	}
	/* No interrupt is outstanding: the handler is idle. */
	b->handled = 0;
	b->max_ns = 0;
	b->end_ns = 0;
	memset(b->hist, 0, sizeof(b->hist));
	b->target = count;
	writel(VFPGA_IRQGEN_MODE_PINGPONG, b->user + VFPGA_IRQGEN_MODE);
	writel(BARE_LINE, b->user + VFPGA_IRQGEN_LINE);
	writel(count, b->user + VFPGA_IRQGEN_COUNT);
	b->start_ns = ktime_get_ns();
	/* The handler's stores above are ordered by the MMIO write. */
	writel(VFPGA_IRQGEN_CTRL_START, b->user + VFPGA_IRQGEN_CTRL);
	mutex_unlock(&b->lock);
	return len;
}

static const struct file_operations bare_run_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = bare_run_write,
	.llseek = noop_llseek,
};

static int bare_results_show(struct seq_file *m, void *unused)
{
	struct bare *b = m->private;
	u64 end;
	int i;

	mutex_lock(&b->lock);
	end = READ_ONCE(b->end_ns);
	/* Done (end set) or not: what the handler counted so far. */
	seq_printf(m, "handled=%llu target=%llu elapsed_ns=%llu max_ns=%llu hist=",
		   READ_ONCE(b->handled), b->target,
		   end ? end - b->start_ns : 0, READ_ONCE(b->max_ns));
	for (i = 0; i < VFPGA_KP_SAMPLE_LAT_BUCKETS; i++)
		seq_printf(m, "%s%llu", i ? "," : "", READ_ONCE(b->hist[i]));
	seq_putc(m, '\n');
	mutex_unlock(&b->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bare_results);

static void bare_teardown(void *data)
{
	struct bare *b = data;

	debugfs_remove_recursive(b->dir);
	writel(VFPGA_IRQGEN_CTRL_STOP, b->user + VFPGA_IRQGEN_CTRL);
	writel(GENMASK(VFPGA_USER_IRQ_LINES - 1, 0),
	       b->xdma + XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_EN_W1C);
}

static int bare_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct bare *b;
	int ret, v;

	b = devm_kzalloc(dev, sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->pdev = pdev;
	mutex_init(&b->lock);

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	pci_set_master(pdev);	/* MSI-X messages are memory writes */
	b->user = pcim_iomap_region(pdev, VFPGA_BAR_USER, KBUILD_MODNAME);
	if (IS_ERR(b->user))
		return PTR_ERR(b->user);
	b->xdma = pcim_iomap_region(pdev, VFPGA_BAR_DMA, KBUILD_MODNAME);
	if (IS_ERR(b->xdma))
		return PTR_ERR(b->xdma);

	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSIX);
	if (ret < 0)
		return dev_err_probe(dev, ret, "no MSI-X vector\n");
	v = pci_irq_vector(pdev, 0);
	ret = devm_request_irq(dev, v, bare_irq, 0, KBUILD_MODNAME, b);
	if (ret)
		return ret;

	/* Every user line to vector 0 (the reset value), line 0 enabled. */
	for (ret = 0; ret < XDMA_IRQ_USER_VEC_REGS; ret++)
		writel(0, b->xdma + XDMA_IRQ_BASE + XDMA_IRQ_USER_VEC_NUM +
		       4 * ret);
	writel(BIT(BARE_LINE), b->xdma + XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_EN_W1S);

	b->dir = debugfs_create_dir(pci_name(pdev), bare_root);
	debugfs_create_file("run", 0200, b->dir, b, &bare_run_fops);
	debugfs_create_file("results", 0400, b->dir, b, &bare_results_fops);
	/* Runs before the interrupt is freed: devres unwinds in reverse. */
	return devm_add_action_or_reset(dev, bare_teardown, b);
}

static struct pci_driver bare_driver = {
	.name = KBUILD_MODNAME,
	.id_table = NULL,	/* driver_override only */
	.probe = bare_probe,
};

static int __init bare_init(void)
{
	int ret;

	bare_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	ret = pci_register_driver(&bare_driver);
	if (ret)
		debugfs_remove_recursive(bare_root);
	return ret;
}
module_init(bare_init);

static void __exit bare_exit(void)
{
	pci_unregister_driver(&bare_driver);
	debugfs_remove_recursive(bare_root);
}
module_exit(bare_exit);

MODULE_DESCRIPTION("vfpga bare interrupt handler, the benchmarks' floor");
MODULE_LICENSE("GPL");
