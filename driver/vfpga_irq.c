// SPDX-License-Identifier: GPL-2.0
/*
 * vfpga core driver: interrupt vectors, the XDMA IRQ block, and
 * interrupt delivery to user space.
 *
 * MSI-X is preferred, MSI and INTx are the fallbacks (the "irq_mode"
 * module parameter forces one).  User line l goes to vector l % vectors,
 * channel interrupt c (H2C channels, then C2H) to (16 + c) % vectors, as
 * programmed into the XDMA vector-number registers.  The handler
 * acknowledges the board (or lets the kernel plugin that has the user
 * interrupts do it), counts, and wakes user-space waiters, which are
 * told how many interrupts arrived since their last wait: a burst is never
 * collapsed into one event.  Lines that user space acknowledges itself
 * (VFPGA_IRQ_USER_ACK) are masked by the handler and unmasked by user
 * space, one wake-up per interrupt.
 */
#include <linux/bitops.h>
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
 * The reference user logic has one interrupt source, the generator: a
 * pending user line routed to this vector is acknowledged there (other
 * user logic's lines are masked, for their owner to acknowledge and
 * unmask, as VFPGA_IRQ_USER_ACK lines are).  Channel interrupts
 * complete DMA transfers.  On a shared INTx line nothing pending means the
 * interrupt belongs to another device; all-ones means the board is gone.
 */
static irqreturn_t vfpga_irq_handler(int irq, void *data)
{
	struct vfpga_vector *vec = data;
	struct vfpga_dev *vd = vec->vd;
	irqreturn_t ret = IRQ_NONE;
	u32 pending, uack, rest;

	/*
	 * On a vector that carries one user line and nothing else (MSI-X
	 * with enough vectors) a plugin with the user interrupts is asked
	 * first: a message there means that line rose, the plugin reads its
	 * device's status anyway, and reading the pending lines before it
	 * would cost every interrupt one more register access (an exit
	 * under emulation).  Anywhere else the core reads them first, so
	 * that only a line that was pending before the plugin looked is
	 * acknowledged or masked in its place: on a vector shared with the
	 * channels (one MSI), a line that rose between the plugin's look
	 * and the core's read would be masked behind its back, for nobody
	 * to unmask; on a shared INTx line, other devices' interrupts never
	 * reach the plugin.
	 */
	if (vec->plugin_first && vfpga_kp_irq(vd)) {
		ret = IRQ_HANDLED;
	} else if (vec->user_lines) {
		pending = vfpga_xdma_irq_readl(vd, XDMA_IRQ_USER_INT_PEND);
		if (pending != U32_MAX && (pending & vec->user_lines)) {
			pending &= vec->user_lines;
			/* Lines user space acknowledges: masked until then. */
			uack = pending & READ_ONCE(vd->user_ack_lines);
			rest = pending & ~uack;
			/* A plugin (not asked yet) acknowledges the rest... */
			if (rest && !vec->plugin_first && vfpga_kp_irq(vd))
				rest = 0;
			/*
			 * ...else the generator, if the user logic is the
			 * reference design.  Other logic is acknowledged by
			 * whoever knows it: its lines are masked meanwhile.
			 */
			if (rest && !vd->ref_logic) {
				uack |= rest;
				rest = 0;
			}
			if (uack)
				vfpga_xdma_irq_writel(vd,
						      XDMA_IRQ_USER_INT_EN_W1C,
						      uack);
			if (rest)
				writel(VFPGA_IRQGEN_ACK_BIT,
				       vd->user + VFPGA_IRQGEN_ACK);
			ret = IRQ_HANDLED;
		}
	}
	if (vec->chan_lines && atomic_read(&vd->dma_running)) {
		pending = vfpga_xdma_irq_readl(vd, XDMA_IRQ_CHAN_INT_PEND);
		if (pending != U32_MAX && (pending & vec->chan_lines)) {
			vfpga_dma_irq(vd, pending & vec->chan_lines);
			ret = IRQ_HANDLED;
		}
	}
	if (ret == IRQ_NONE) {
		atomic64_inc(&vec->not_mine);
		return IRQ_NONE;
	}
	atomic64_inc(&vec->handled);
	if (wq_has_sleeper(&vd->irq_wq))
		wake_up_interruptible(&vd->irq_wq);
	return IRQ_HANDLED;
}

static void vfpga_irq_disable_lines(void *data)
{
	struct vfpga_dev *vd = data;

	vfpga_xdma_irq_writel(vd, XDMA_IRQ_USER_INT_EN_W1C,
			      GENMASK(VFPGA_USER_IRQ_LINES - 1, 0));
	vfpga_xdma_irq_writel(vd, XDMA_IRQ_CHAN_INT_EN_W1C,
			      GENMASK(VFPGA_CHAN_LINES - 1, 0));
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

/* Fill four-lines-per-register vector-number registers. */
static void vfpga_irq_write_map(struct vfpga_dev *vd, u32 reg,
				const u8 *vectors, unsigned int lines)
{
	u32 map = 0;
	unsigned int line;

	for (line = 0; line < lines; line++) {
		map |= (u32)vectors[line] << XDMA_IRQ_VEC_SHIFT(line);
		if ((line & 3) == 3 || line == lines - 1) {
			vfpga_xdma_irq_writel(vd, reg + (line / 4) * 4, map);
			map = 0;
		}
	}
}

static void vfpga_irq_route_lines(struct vfpga_dev *vd)
{
	u8 chan_vector[VFPGA_CHAN_LINES];
	unsigned int line, v;

	for (line = 0; line < VFPGA_USER_IRQ_LINES; line++) {
		v = line % vd->num_vectors;
		vd->line_vector[line] = v;
		vd->vectors[v].user_lines |= BIT(line);
	}
	for (line = 0; line < VFPGA_CHAN_LINES; line++) {
		v = (VFPGA_USER_IRQ_LINES + line) % vd->num_vectors;
		chan_vector[line] = v;
		vd->vectors[v].chan_lines |= BIT(line);
	}
	for (v = 0; v < vd->num_vectors; v++)
		vd->vectors[v].plugin_first =
			vd->irq_mode != VFPGA_IRQ_MODE_INTX &&
			!vd->vectors[v].chan_lines &&
			hweight32(vd->vectors[v].user_lines) == 1;
	vfpga_irq_write_map(vd, XDMA_IRQ_USER_VEC_NUM, vd->line_vector,
			    VFPGA_USER_IRQ_LINES);
	vfpga_irq_write_map(vd, XDMA_IRQ_CHAN_VEC_NUM, chan_vector,
			    VFPGA_CHAN_LINES);
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

	nvec = pci_alloc_irq_vectors(pdev, 1, VFPGA_MAX_VECTORS, flags);
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
	/* Every H2C channel's bit, then every C2H channel's, packed. */
	vfpga_xdma_irq_writel(vd, XDMA_IRQ_CHAN_INT_EN_W1S,
			      GENMASK(vd->num_h2c + vd->num_c2h - 1, 0));
	return 0;
}

/* Does @vf have interrupts on any vector that it has not waited for? */
bool vfpga_irq_pending(struct vfpga_dev *vd, struct vfpga_file *vf)
{
	unsigned int v;

	for (v = 0; v < vd->num_vectors; v++)
		if (atomic64_read(&vd->vectors[v].handled) != READ_ONCE(vf->seen[v]))
			return true;
	return false;
}

int vfpga_irq_wait(struct vfpga_dev *vd, struct vfpga_file *vf,
		   struct vfpga_irq_wait *w)
{
	struct vfpga_count_wait cw = {
		.wq = &vd->irq_wq,
		.lock = &vf->seen_lock,
	};
	int ret;

	if (w->vector >= vd->num_vectors)
		return -EINVAL;
	cw.count = &vd->vectors[w->vector].handled;
	cw.seen = &vf->seen[w->vector];
	ret = vfpga_wait_count(vd, &cw, w->timeout_ms, &w->count, &w->total);
	if (ret == -ETIMEDOUT && vfpga_check_gone(vd))
		return -ENODEV;
	if (ret)
		return ret;
	w->lost = w->count - 1;
	return 0;
}

/* No handler runs, or will run, with an old view of user_ack_lines. */
static void vfpga_irq_sync(struct vfpga_dev *vd)
{
	unsigned int v;

	for (v = 0; v < vd->num_vectors; v++)
		synchronize_irq(pci_irq_vector(vd->pdev, v));
}

/*
 * No handler still runs for channel interrupt @line (H2C channels, then
 * C2H, as CHAN_INT_REQ numbers them) with what it read before.
 */
void vfpga_irq_sync_chan(struct vfpga_dev *vd, unsigned int line)
{
	synchronize_irq(pci_irq_vector(vd->pdev,
				       (VFPGA_USER_IRQ_LINES + line) %
				       vd->num_vectors));
}

/* Give @lines of @vf back to the driver and unmask them. */
static void vfpga_irq_user_ack_give(struct vfpga_dev *vd,
				    struct vfpga_file *vf, u32 lines)
{
	WRITE_ONCE(vd->user_ack_lines, vd->user_ack_lines & ~lines);
	vf->user_ack_lines &= ~lines;
	/* A handler that still saw them taken could mask them after us. */
	vfpga_irq_sync(vd);
	vfpga_xdma_irq_writel(vd, XDMA_IRQ_USER_INT_EN_W1S, lines);
}

/* VFPGA_IRQ_USER_ACK, with vd->lock held for reading. */
int vfpga_irq_user_ack(struct vfpga_dev *vd, struct vfpga_file *vf,
		       struct vfpga_irq_user_ack *ua)
{
	u32 all = GENMASK(VFPGA_USER_IRQ_LINES - 1, 0);
	int ret = 0;

	if (!ua->lines || (ua->lines & ~all))
		return -EINVAL;
	if (ua->op != VFPGA_USER_ACK_TAKE && ua->op != VFPGA_USER_ACK_UNMASK &&
	    ua->op != VFPGA_USER_ACK_GIVE)
		return -EINVAL;

	/* Serialised with plugins taking the user interrupts. */
	mutex_lock(&vd->kp_int_mutex);
	switch (ua->op) {
	case VFPGA_USER_ACK_TAKE:
		if (READ_ONCE(vd->kp_irq) ||
		    (vd->user_ack_lines & ~vf->user_ack_lines & ua->lines)) {
			ret = -EBUSY;
			break;
		}
		vf->user_ack_lines |= ua->lines;
		WRITE_ONCE(vd->user_ack_lines, vd->user_ack_lines | ua->lines);
		break;
	case VFPGA_USER_ACK_UNMASK:
		if (ua->lines & ~vf->user_ack_lines) {
			ret = -EINVAL;
			break;
		}
		vfpga_xdma_irq_writel(vd, XDMA_IRQ_USER_INT_EN_W1S, ua->lines);
		break;
	default:
		if (ua->lines & ~vf->user_ack_lines) {
			ret = -EINVAL;
			break;
		}
		vfpga_irq_user_ack_give(vd, vf, ua->lines);
		break;
	}
	ua->owned = vf->user_ack_lines;
	ua->pad = 0;
	mutex_unlock(&vd->kp_int_mutex);
	return ret;
}

/* The file closes: the driver acknowledges its lines again. */
void vfpga_irq_user_ack_release(struct vfpga_dev *vd, struct vfpga_file *vf)
{
	if (!vf->user_ack_lines)
		return;
	/* Under the lock, so that remove() cannot unmap the BARs meanwhile. */
	down_read(&vd->lock);
	mutex_lock(&vd->kp_int_mutex);
	if (vfpga_dying(vd)) {
		WRITE_ONCE(vd->user_ack_lines,
			   vd->user_ack_lines & ~vf->user_ack_lines);
		vf->user_ack_lines = 0;
	} else {
		vfpga_irq_user_ack_give(vd, vf, vf->user_ack_lines);
	}
	mutex_unlock(&vd->kp_int_mutex);
	up_read(&vd->lock);
}
