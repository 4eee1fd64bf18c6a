// SPDX-License-Identifier: GPL-2.0
/*
 * vfpga core driver: binds the board, maps its BARs, sets up interrupts
 * and publishes /dev/vfpgaN.
 *
 * Everything tied to the PCI function is device-managed; the struct
 * vfpga_dev itself lives as long as its character device, which may be
 * held open after the board is gone.
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "vfpga_drv.h"

static char *irq_mode = "auto";
module_param(irq_mode, charp, 0444);
MODULE_PARM_DESC(irq_mode, "Interrupt mode: auto (default), msix, msi, intx");

static char *card_size = "0";
module_param(card_size, charp, 0444);
MODULE_PARM_DESC(card_size,
		 "Card memory behind the DMA engine of a board without a card-memory BAR, in bytes (K, M, G suffixes); 0 (default): such a board does no DMA");

/* 64-bit prefetchable memory: how a card-memory BAR shows itself. */
static bool vfpga_bar_is_card(struct pci_dev *pdev, int bar)
{
	unsigned long flags = pci_resource_flags(pdev, bar);

	return (flags & IORESOURCE_MEM_64) && (flags & IORESOURCE_PREFETCH);
}

/*
 * Is BAR @bar the XDMA register (config) BAR?  As an XDMA driver finds it:
 * the config block's identifier at 0x3000, and the IRQ block's at 0x2000.
 */
static bool vfpga_bar_is_config(struct vfpga_dev *vd, int bar)
{
	const u32 mask = XDMA_ID_SUBSYSTEM | XDMA_ID_TARGET(0xf);
	void __iomem *base = vd->bar[bar];

	if (!base || vfpga_bar_is_card(vd->pdev, bar) ||
	    pci_resource_len(vd->pdev, bar) < XDMA_CONFIG_BASE + 0x1000)
		return false;
	return (readl(base + XDMA_CONFIG_BASE + XDMA_CONFIG_IDENTIFIER) & mask) ==
	       (XDMA_ID_SUBSYSTEM | XDMA_ID_TARGET(XDMA_TARGET_CONFIG)) &&
	       (readl(base + XDMA_IRQ_BASE + XDMA_IRQ_IDENTIFIER) & mask) ==
	       (XDMA_ID_SUBSYSTEM | XDMA_ID_TARGET(XDMA_TARGET_IRQ));
}

/*
 * Where to look for the XDMA BAR: BAR1 first, where the IP puts it beside
 * an AXI-Lite user BAR (BAR0, where it goes without one), then the
 * others.  Every look reads two registers of a BAR, and on a user BAR
 * those are the user logic's: the likely place first keeps such reads
 * rare.
 */
static const int vfpga_config_bar_order[] = { 1, 0, 2, 3, 4, 5 };
static_assert(ARRAY_SIZE(vfpga_config_bar_order) == PCI_STD_NUM_BARS);

/*
 * Map every memory BAR and find their roles: the config BAR by probing,
 * the user BAR as the first other BAR that is not card memory, the card
 * BAR as the first other 64-bit prefetchable one (none: card memory is
 * reached only through the DMA engine).
 */
static int vfpga_map_bars(struct vfpga_dev *vd)
{
	struct pci_dev *pdev = vd->pdev;
	int config = -1, user = -1, card = -1;
	void __iomem *addr;
	unsigned int i;
	int bar;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		if (!pci_resource_len(pdev, bar) ||
		    !(pci_resource_flags(pdev, bar) & IORESOURCE_MEM))
			continue;
		addr = pcim_iomap_region(pdev, bar, KBUILD_MODNAME);
		if (IS_ERR(addr))
			return dev_err_probe(&pdev->dev, PTR_ERR(addr),
					     "cannot map BAR%d\n", bar);
		vd->bar[bar] = addr;
	}
	for (i = 0; i < ARRAY_SIZE(vfpga_config_bar_order) && config < 0; i++)
		if (vfpga_bar_is_config(vd, vfpga_config_bar_order[i]))
			config = vfpga_config_bar_order[i];
	if (config < 0)
		return dev_err_probe(&pdev->dev, -ENODEV,
				     "no BAR holds the XDMA config block\n");
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		if (!vd->bar[bar] || bar == config)
			continue;
		if (vfpga_bar_is_card(pdev, bar)) {
			if (card < 0)
				card = bar;
		} else if (user < 0) {
			user = bar;
		}
	}
	if (user < 0)
		return dev_err_probe(&pdev->dev, -ENODEV,
				     "no user-logic BAR beside the XDMA BAR%d\n",
				     config);
	vd->config_bar = config;
	vd->user_bar = user;
	vd->card_bar = card;
	vd->user = vd->bar[user];
	vd->xdma = vd->bar[config];
	return 0;
}

/* The card's size: its BAR's, or without one the module parameter's. */
static int vfpga_card_size(struct vfpga_dev *vd)
{
	char *end;

	if (vd->card_bar >= 0) {
		vd->card_size = pci_resource_len(vd->pdev, vd->card_bar);
		return 0;
	}
	vd->card_size = memparse(card_size, &end);
	if (*end)
		return dev_err_probe(&vd->pdev->dev, -EINVAL,
				     "card_size=%s: give bytes, with K, M or G\n",
				     card_size);
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
	if (!ret)
		ret = vfpga_card_size(vd);
	if (ret)
		return ret;

	magic = readl(vd->user + VFPGA_USER_ID);
	vd->ref_logic = magic == VFPGA_ID_MAGIC;
	if (!vd->ref_logic)
		dev_info(dev, "user logic ID %#x is not the reference design: no interrupt generator or fault registers\n",
			 magic);

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

	dev_info(dev, "%s: user BAR%u, XDMA BAR%u, %llu KiB of card memory%s, %u H2C + %u C2H channels, %u %s vector(s)\n",
		 dev_name(&vd->dev), vd->user_bar, vd->config_bar,
		 (unsigned long long)vd->card_size >> 10,
		 vd->card_bar < 0 ? " behind the DMA engine only" : "",
		 vd->num_h2c, vd->num_c2h, vd->num_vectors,
		 vd->irq_mode == VFPGA_IRQ_MODE_MSIX ? "MSI-X" :
		 vd->irq_mode == VFPGA_IRQ_MODE_MSI ? "MSI" : "INTx");
	return 0;
}

static void vfpga_remove(struct pci_dev *pdev)
{
	struct vfpga_dev *vd = pci_get_drvdata(pdev);

	vfpga_cdev_del(vd);
}

/*
 * The reference board, and the XDMA IP as Vivado's example design
 * presents it (the IDs Xilinx's XDMA reference driver matches for it).
 * Any other XDMA board binds through new_id.
 */
static const struct pci_device_id vfpga_ids[] = {
	{ PCI_DEVICE(VFPGA_PCI_VENDOR_ID, VFPGA_PCI_DEVICE_ID) },
	{ PCI_DEVICE(VFPGA_XILINX_VENDOR_ID, VFPGA_XDMA_EXAMPLE_DEVICE_ID) },
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
