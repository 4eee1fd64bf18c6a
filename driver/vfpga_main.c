// SPDX-License-Identifier: GPL-2.0
/*
 * vfpga core driver: binds the board, maps its BARs, sets up interrupts
 * and publishes /dev/vfpgaN.
 *
 * Everything tied to the PCI function is device-managed; the struct
 * vfpga_dev itself lives as long as its character device, which may be
 * held open after the board is gone.
 */
#include <linux/module.h>
#include <linux/pci.h>

#include "vfpga_drv.h"

static char *irq_mode = "auto";
module_param(irq_mode, charp, 0444);
MODULE_PARM_DESC(irq_mode, "Interrupt mode: auto (default), msix, msi, intx");

static int vfpga_map_bars(struct vfpga_dev *vd)
{
	struct pci_dev *pdev = vd->pdev;
	int mask = 0, bar, ret;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++)
		if (pci_resource_len(pdev, bar) &&
		    (pci_resource_flags(pdev, bar) & IORESOURCE_MEM))
			mask |= BIT(bar);

	if ((mask & (BIT(VFPGA_BAR_USER) | BIT(VFPGA_BAR_DMA))) !=
	    (BIT(VFPGA_BAR_USER) | BIT(VFPGA_BAR_DMA)))
		return dev_err_probe(&pdev->dev, -ENODEV,
				     "user-logic or DMA BAR missing\n");

	ret = pcim_iomap_regions(pdev, mask, KBUILD_MODNAME);
	if (ret)
		return dev_err_probe(&pdev->dev, ret, "cannot map BARs\n");

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++)
		if (mask & BIT(bar))
			vd->bar[bar] = pcim_iomap_table(pdev)[bar];
	vd->user = vd->bar[VFPGA_BAR_USER];
	vd->xdma = vd->bar[VFPGA_BAR_DMA];
	return 0;
}

static void vfpga_put(void *data)
{
	struct vfpga_dev *vd = data;

	put_device(&vd->dev);
}

static int vfpga_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct vfpga_dev *vd;
	u32 magic;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	pci_set_master(pdev);

	vd = kzalloc(sizeof(*vd), GFP_KERNEL);
	if (!vd)
		return -ENOMEM;
	vd->pdev = pdev;
	init_rwsem(&vd->lock);
	init_rwsem(&vd->map_lock);
	ret = vfpga_dev_init(vd);
	if (ret) {
		put_device(&vd->dev);
		return ret;
	}
	ret = devm_add_action_or_reset(dev, vfpga_put, vd);
	if (ret)
		return ret;

	ret = vfpga_map_bars(vd);
	if (ret)
		return ret;

	magic = readl(vd->user + VFPGA_USER_ID);
	if (magic != VFPGA_ID_MAGIC)
		return dev_err_probe(dev, -ENODEV,
				     "user logic ID %#x is not vfpga's\n", magic);

	ret = vfpga_dma_setup(vd);
	if (ret)
		return ret;

	ret = vfpga_irq_setup(vd, irq_mode);
	if (ret)
		return ret;

	ret = vfpga_cdev_add(vd);
	if (ret)
		return ret;
	pci_set_drvdata(pdev, vd);

	dev_info(dev, "%s: version %#x, %u+%u DMA channels, %u %s vector(s)\n",
		 dev_name(&vd->dev), readl(vd->user + VFPGA_USER_VERSION),
		 vd->num_chans, vd->num_chans, vd->num_vectors,
		 vd->irq_mode == VFPGA_IRQ_MODE_MSIX ? "MSI-X" :
		 vd->irq_mode == VFPGA_IRQ_MODE_MSI ? "MSI" : "INTx");
	return 0;
}

static void vfpga_remove(struct pci_dev *pdev)
{
	struct vfpga_dev *vd = pci_get_drvdata(pdev);

	vfpga_cdev_del(vd);
}

static const struct pci_device_id vfpga_ids[] = {
	{ PCI_DEVICE(VFPGA_PCI_VENDOR_ID, VFPGA_PCI_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, vfpga_ids);

static struct pci_driver vfpga_pci_driver = {
	.name = KBUILD_MODNAME,
	.id_table = vfpga_ids,
	.probe = vfpga_probe,
	.remove = vfpga_remove,
};

static int __init vfpga_init(void)
{
	int ret;

	ret = vfpga_cdev_init();
	if (ret)
		return ret;
	vfpga_kp_debugfs_init();
	ret = pci_register_driver(&vfpga_pci_driver);
	if (ret) {
		vfpga_kp_debugfs_exit();
		vfpga_cdev_exit();
	}
	return ret;
}
module_init(vfpga_init);

static void __exit vfpga_exit(void)
{
	pci_unregister_driver(&vfpga_pci_driver);
	vfpga_kp_debugfs_exit();
	vfpga_cdev_exit();
}
module_exit(vfpga_exit);

MODULE_DESCRIPTION("vfpga FPGA board core driver");
MODULE_LICENSE("GPL");
