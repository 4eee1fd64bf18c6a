// SPDX-License-Identifier: GPL-2.0
/*
 * vfpga core driver: interrupt vectors and the XDMA IRQ block.
 *
 * MSI-X is preferred, MSI and INTx are the fallbacks (the "irq_mode"
 * module parameter forces one).  User lines are spread over the vectors
 * (line % vectors) in the XDMA vector-number registers, then enabled.
 */
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/string.h>

#include "vfpga_drv.h"

static inline u32 vfpga_xdma_irq_readl(struct vfpga_dev *vd, u32 reg)
{
	return readl(vd->xdma + XDMA_IRQ_BASE + reg);
}

static inline void vfpga_xdma_irq_writel(struct vfpga_dev *vd, u32 reg,
					 u32 val)
{
	writel(val, vd->xdma + XDMA_IRQ_BASE + reg);
}

/*
 * The user logic has one interrupt source, the generator: a pending user
 * line routed to this vector is acknowledged there.  On a shared INTx line
 * nothing pending means the interrupt belongs to another device.
 */
static irqreturn_t vfpga_irq_handler(int irq, void *data)
{
	struct vfpga_vector *vec = data;
	struct vfpga_dev *vd = vec->vd;
	u32 pending;

	pending = vfpga_xdma_irq_readl(vd, XDMA_IRQ_USER_INT_PEND) & vec->lines;
	if (!pending) {
		atomic64_inc(&vec->not_mine);
		return IRQ_NONE;
	}
	writel(VFPGA_IRQGEN_ACK_BIT, vd->user + VFPGA_IRQGEN_ACK);
	atomic64_inc(&vec->handled);
	return IRQ_HANDLED;
}

static void vfpga_irq_disable_lines(void *data)
{
	struct vfpga_dev *vd = data;

	vfpga_xdma_irq_writel(vd, XDMA_IRQ_USER_INT_EN_W1C,
			      GENMASK(VFPGA_USER_IRQ_LINES - 1, 0));
}

static unsigned int vfpga_irq_flags(const char *mode)
{
	if (!strcmp(mode, "msix"))
		return PCI_IRQ_MSIX;
	if (!strcmp(mode, "msi"))
		return PCI_IRQ_MSI;
	if (!strcmp(mode, "intx"))
		return PCI_IRQ_INTX;
	if (!strcmp(mode, "auto"))
		return PCI_IRQ_MSIX | PCI_IRQ_MSI | PCI_IRQ_INTX;
	return 0;
}

static void vfpga_irq_route_lines(struct vfpga_dev *vd)
{
	u32 map[XDMA_IRQ_USER_VEC_REGS] = { 0 };
	unsigned int line, v;

	for (line = 0; line < VFPGA_USER_IRQ_LINES; line++) {
		v = line % vd->num_vectors;
		vd->line_vector[line] = v;
		vd->vectors[v].lines |= BIT(line);
		map[line / 4] |= v << XDMA_IRQ_VEC_SHIFT(line);
	}
	for (v = 0; v < XDMA_IRQ_USER_VEC_REGS; v++)
		vfpga_xdma_irq_writel(vd, XDMA_IRQ_USER_VEC_NUM + 4 * v, map[v]);
}

int vfpga_irq_setup(struct vfpga_dev *vd, const char *mode)
{
	struct pci_dev *pdev = vd->pdev;
	struct device *dev = &pdev->dev;
	unsigned int flags = vfpga_irq_flags(mode);
	unsigned int v;
	int nvec, ret;

	if (!flags) {
		dev_err(dev, "irq_mode=%s: use auto, msix, msi or intx\n", mode);
		return -EINVAL;
	}

	nvec = pci_alloc_irq_vectors(pdev, 1, VFPGA_USER_IRQ_LINES, flags);
	if (nvec < 0)
		return dev_err_probe(dev, nvec, "no interrupt vectors (%s)\n",
				     mode);

	vd->num_vectors = nvec;
	if (pdev->msix_enabled)
		vd->irq_mode = VFPGA_IRQ_MODE_MSIX;
	else if (pdev->msi_enabled)
		vd->irq_mode = VFPGA_IRQ_MODE_MSI;
	else
		vd->irq_mode = VFPGA_IRQ_MODE_INTX;

	vd->vectors = devm_kcalloc(dev, nvec, sizeof(*vd->vectors),
				   GFP_KERNEL);
	if (!vd->vectors)
		return -ENOMEM;

	vfpga_irq_route_lines(vd);

	for (v = 0; v < nvec; v++) {
		vd->vectors[v].vd = vd;
		ret = devm_request_irq(dev, pci_irq_vector(pdev, v),
				       vfpga_irq_handler,
				       vd->irq_mode == VFPGA_IRQ_MODE_INTX ?
				       IRQF_SHARED : 0,
				       dev_name(dev), &vd->vectors[v]);
		if (ret)
			return dev_err_probe(dev, ret, "vector %u\n", v);
	}

	/* Disabled before the handlers are freed: devres runs in reverse. */
	ret = devm_add_action_or_reset(dev, vfpga_irq_disable_lines, vd);
	if (ret)
		return ret;
	vfpga_xdma_irq_writel(vd, XDMA_IRQ_USER_INT_EN_W1S,
			      GENMASK(VFPGA_USER_IRQ_LINES - 1, 0));
	return 0;
}
