// SPDX-License-Identifier: GPL-2.0
/*
 * vfpga_xdma_glue: the vfpga board driven by Linux's upstream XDMA dmaengine
 * driver (drivers/dma/xilinx/xdma.c) instead of our own vfpga driver.
 *
 * As a real board's PCI driver does (drivers/media/pci/mgb4/mgb4_core.c),
 * the glue enables the PCI function, allocates one MSI-X vector per DMA
 * channel (H2C first, then C2H) plus one per user interrupt line, and
 * registers the platform device "xdma" with the XDMA BAR and that range of
 * Linux IRQs; xdma.ko binds to it and offers the channels as dmaengine
 * slaves named h2c<n> and c2h<n>.
 *
 * It finds the XDMA BAR by its config block's identifier, as the vfpga
 * driver does (docs/register-map.md), then maps the user logic, card
 * memory (if the board shows it in a BAR; else the card_size parameter
 * gives its size) and, read-only, the XDMA register blocks, and offers
 * the board to a client as the auxiliary device VFPGA_XDMA_AUX_ID (see
 * vfpga_xdma_glue.h); the xdma-upstream suite's client is
 * tests/guest/xdma-upstream/client/.
 *
 * Load it only instead of the vfpga driver: both bind 1af4:10f0 and the
 * XDMA example design's 10ee:9038.
 */

#include <linux/auxiliary_bus.h>
#include <linux/dma-mapping.h>
#include <linux/dma/amd_xdma.h>
#include <linux/dmaengine.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/platform_data/amd_xdma.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "vfpga_xdma_glue.h"

#define VXG_NAME		"vfpga-xdma-glue"

static char *card_size = "0";
module_param(card_size, charp, 0444);
MODULE_PARM_DESC(card_size,
		 "Card memory of a board without a card-memory BAR, in bytes (K, M, G suffixes); 0 (default): such a board does no DMA");
#define VXG_SLAVES		(2 * XDMA_MAX_CHANNELS)
/* Channel, IRQ and SGDMA blocks: what a client reads. */
#define VXG_REGS_SIZE		(XDMA_C2H_SGDMA_BASE + \
				 XDMA_MAX_CHANNELS * XDMA_CHAN_STRIDE)

/* What the filter of upstream's slave map matches: the direction. */
static struct xdma_chan_info vxg_chan_info[] = {
	[VFPGA_XDMA_H2C] = { .dir = DMA_MEM_TO_DEV },
	[VFPGA_XDMA_C2H] = { .dir = DMA_DEV_TO_MEM },
};

struct vxg_dev {
	struct vfpga_xdma_board board;
	/* xdma.ko's platform data points here while it is registered. */
	struct dma_slave_map map[VXG_SLAVES];
};

static unsigned int vxg_count_chans(struct vfpga_xdma_board *b,
				    enum vfpga_xdma_dir dir)
{
	u32 target = dir == VFPGA_XDMA_H2C ? XDMA_TARGET_H2C : XDMA_TARGET_C2H;
	unsigned int n, found = 0;
	u32 id;

	/* As upstream does: a channel is there if its identifier says so. */
	for (n = 0; n < XDMA_MAX_CHANNELS; n++) {
		id = vfpga_xdma_reg(b, vfpga_xdma_chan_base(dir, n) +
				    XDMA_CHAN_IDENTIFIER);
		if ((id & 0xffff0000u) == (XDMA_ID_SUBSYSTEM | XDMA_ID_TARGET(target)))
			found++;
	}
	return found;
}

static void vxg_unregister_xdma(void *data)
{
	platform_device_unregister(data);
}

static int vxg_register_xdma(struct vxg_dev *xg)
{
	struct vfpga_xdma_board *b = &xg->board;
	struct pci_dev *pdev = b->pdev;
	struct xdma_platdata pdata = {
		.max_dma_channels = XDMA_MAX_CHANNELS,
		.device_map = xg->map,
	};
	struct resource res[2] = {
		DEFINE_RES_MEM(pci_resource_start(pdev, b->config_bar),
			       pci_resource_len(pdev, b->config_bar)),
		DEFINE_RES_NAMED(b->irq_base, b->nvec, NULL, IORESOURCE_IRQ),
	};
	unsigned int d, n, k = 0;

	res[0].parent = &pdev->resource[b->config_bar];
	for (d = VFPGA_XDMA_H2C; d <= VFPGA_XDMA_C2H; d++) {
		for (n = 0; n < b->nchan[d]; n++, k++) {
			snprintf(b->slave[d][n], sizeof(b->slave[d][n]), "%s%u",
				 vfpga_xdma_dir_name(d), n);
			xg->map[k].devname = dev_name(&pdev->dev);
			xg->map[k].slave = b->slave[d][n];
			xg->map[k].param = XDMA_FILTER_PARAM(&vxg_chan_info[d]);
		}
	}
	pdata.device_map_cnt = k;

	b->xdma = platform_device_register_resndata(&pdev->dev, "xdma",
						    PLATFORM_DEVID_AUTO, res,
						    ARRAY_SIZE(res), &pdata,
						    sizeof(pdata));
	if (IS_ERR(b->xdma))
		return PTR_ERR(b->xdma);
	return devm_add_action_or_reset(&pdev->dev, vxg_unregister_xdma,
					b->xdma);
}

static void vxg_adev_release(struct device *dev)
{
	kfree(container_of(to_auxiliary_dev(dev), struct vfpga_xdma_adev,
			   adev));
}

static void vxg_adev_remove(void *data)
{
	auxiliary_device_delete(data);
	auxiliary_device_uninit(data);
}

/* The board, for a client: unbound and deleted before anything else goes. */
static int vxg_add_client_dev(struct vfpga_xdma_board *b)
{
	struct pci_dev *pdev = b->pdev;
	struct vfpga_xdma_adev *xa;
	int ret;

	xa = kzalloc(sizeof(*xa), GFP_KERNEL);
	if (!xa)
		return -ENOMEM;
	xa->board = b;
	xa->adev.name = VFPGA_XDMA_AUX_NAME;
	xa->adev.id = pci_domain_nr(pdev->bus) << 16 | pci_dev_id(pdev);
	xa->adev.dev.parent = &pdev->dev;
	xa->adev.dev.release = vxg_adev_release;
	ret = auxiliary_device_init(&xa->adev);
	if (ret)
		goto free_adev;
	/* From here on, the release function frees it. */
	ret = auxiliary_device_add(&xa->adev);
	if (ret)
		goto uninit_adev;
	return devm_add_action_or_reset(&pdev->dev, vxg_adev_remove, &xa->adev);

uninit_adev:
	auxiliary_device_uninit(&xa->adev);
	return ret;
free_adev:
	kfree(xa);
	return ret;
}

/* 64-bit prefetchable memory: how a card-memory BAR shows itself. */
static bool vxg_bar_is_card(struct pci_dev *pdev, int bar)
{
	unsigned long flags = pci_resource_flags(pdev, bar);

	return (flags & IORESOURCE_MEM_64) && (flags & IORESOURCE_PREFETCH);
}

/*
 * Is BAR @bar the XDMA BAR: the config block's identifier at 0x3000 and
 * the IRQ block's at 0x2000?  Looked at through a mapping of its own, not
 * a request: xdma.ko requests the BAR it is given.
 */
static bool vxg_bar_is_config(struct pci_dev *pdev, int bar)
{
	const u32 mask = XDMA_ID_SUBSYSTEM | XDMA_ID_TARGET(0xf);
	void __iomem *base;
	bool ret;

	if (!(pci_resource_flags(pdev, bar) & IORESOURCE_MEM) ||
	    vxg_bar_is_card(pdev, bar) ||
	    pci_resource_len(pdev, bar) < XDMA_CONFIG_BASE + 0x1000)
		return false;
	base = ioremap(pci_resource_start(pdev, bar), XDMA_CONFIG_BASE + 4);
	if (!base)
		return false;
	ret = (ioread32(base + XDMA_CONFIG_BASE) & mask) ==
	      (XDMA_ID_SUBSYSTEM | XDMA_ID_TARGET(XDMA_TARGET_CONFIG)) &&
	      (ioread32(base + XDMA_IRQ_BASE) & mask) ==
	      (XDMA_ID_SUBSYSTEM | XDMA_ID_TARGET(XDMA_TARGET_IRQ));
	iounmap(base);
	return ret;
}

/* The BARs' roles, as the vfpga driver finds them; the others mapped. */
static int vxg_map_bars(struct vfpga_xdma_board *b)
{
	static const int order[] = { 1, 0, 2, 3, 4, 5 };
	struct pci_dev *pdev = b->pdev;
	int bar, config = -1, user = -1, card = -1;
	unsigned int i;
	char *end;

	/* BAR1 first, as the vfpga driver looks: see vfpga_main.c. */
	for (i = 0; i < ARRAY_SIZE(order) && config < 0; i++)
		if (pci_resource_len(pdev, order[i]) &&
		    vxg_bar_is_config(pdev, order[i]))
			config = order[i];
	if (config < 0)
		return dev_err_probe(&pdev->dev, -ENODEV,
				     "no BAR holds the XDMA config block\n");
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		if (bar == config || !pci_resource_len(pdev, bar) ||
		    !(pci_resource_flags(pdev, bar) & IORESOURCE_MEM))
			continue;
		if (!vxg_bar_is_card(pdev, bar)) {
			if (user < 0)
				user = bar;
		} else if (card < 0) {
			card = bar;
		}
	}
	if (user < 0)
		return dev_err_probe(&pdev->dev, -ENODEV,
				     "no user-logic BAR beside the XDMA BAR%d\n",
				     config);
	b->config_bar = config;
	b->user = pcim_iomap_region(pdev, user, VXG_NAME);
	if (IS_ERR(b->user))
		return PTR_ERR(b->user);
	if (card < 0) {
		b->card_size = memparse(card_size, &end);
		if (*end)
			return dev_err_probe(&pdev->dev, -EINVAL,
					     "card_size=%s: give bytes, with K, M or G\n",
					     card_size);
		return 0;
	}
	b->card = pcim_iomap_region(pdev, card, VXG_NAME);
	if (IS_ERR(b->card))
		return PTR_ERR(b->card);
	b->card_size = pci_resource_len(pdev, card);
	return 0;
}

static int vxg_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct vfpga_xdma_board *b;
	struct vxg_dev *xg;
	unsigned int i;
	int ret;

	xg = devm_kzalloc(dev, sizeof(*xg), GFP_KERNEL);
	if (!xg)
		return -ENOMEM;
	b = &xg->board;
	b->pdev = pdev;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	pci_set_master(pdev);
	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;

	ret = vxg_map_bars(b);
	if (ret)
		return ret;
	/*
	 * The XDMA BAR belongs to xdma.ko, which requests it: map it without
	 * a request, and only read from it.
	 */
	if (pci_resource_len(pdev, b->config_bar) < VXG_REGS_SIZE)
		return -ENODEV;
	b->regs = devm_ioremap(dev, pci_resource_start(pdev, b->config_bar),
			       VXG_REGS_SIZE);
	if (!b->regs)
		return -ENOMEM;

	b->nchan[VFPGA_XDMA_H2C] = vxg_count_chans(b, VFPGA_XDMA_H2C);
	b->nchan[VFPGA_XDMA_C2H] = vxg_count_chans(b, VFPGA_XDMA_C2H);
	/* Upstream's order: H2C channels, C2H channels, user lines. */
	b->nvec = b->nchan[VFPGA_XDMA_H2C] + b->nchan[VFPGA_XDMA_C2H] +
		  VFPGA_USER_IRQ_LINES;
	ret = pci_alloc_irq_vectors(pdev, b->nvec, b->nvec, PCI_IRQ_MSIX);
	if (ret < 0) {
		dev_err(dev, "cannot allocate %u MSI-X vectors: %d\n",
			b->nvec, ret);
		return ret;
	}
	/* Upstream takes a range of Linux IRQs: they must be consecutive. */
	b->irq_base = pci_irq_vector(pdev, 0);
	for (i = 1; i < b->nvec; i++) {
		if (pci_irq_vector(pdev, i) != b->irq_base + i) {
			dev_err(dev, "MSI-X vector %u is IRQ %d, not %d\n", i,
				pci_irq_vector(pdev, i), b->irq_base + i);
			return -EBUSY;
		}
	}

	ret = vxg_register_xdma(xg);
	if (ret)
		return ret;
	if (!READ_ONCE(b->xdma->dev.driver))
		dev_warn(dev, "%s: no driver bound; is xdma.ko loaded?\n",
			 dev_name(&b->xdma->dev));
	ret = vxg_add_client_dev(b);
	if (ret)
		return ret;

	dev_info(dev, "%u H2C + %u C2H channels, IRQs %d-%d, %s registered\n",
		 b->nchan[VFPGA_XDMA_H2C], b->nchan[VFPGA_XDMA_C2H],
		 b->irq_base, b->irq_base + b->nvec - 1,
		 dev_name(&b->xdma->dev));
	return 0;
}

/* No MODULE_DEVICE_TABLE: load by hand only, never instead of vfpga. */
static const struct pci_device_id vxg_ids[] = {
	{ PCI_DEVICE(VFPGA_PCI_VENDOR_ID, VFPGA_PCI_DEVICE_ID) },
	{ PCI_DEVICE(VFPGA_XILINX_VENDOR_ID, VFPGA_XDMA_EXAMPLE_DEVICE_ID) },
	{ }
};

static struct pci_driver vxg_driver = {
	.name = VXG_NAME,
	.id_table = vxg_ids,
	.probe = vxg_probe,
};
module_pci_driver(vxg_driver);

MODULE_DESCRIPTION("vfpga board on Linux's upstream XDMA dmaengine driver");
MODULE_LICENSE("GPL");
