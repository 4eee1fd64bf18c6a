/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfpga core driver: state shared by its files.
 */
#ifndef VFPGA_DRV_H
#define VFPGA_DRV_H

#include <linux/atomic.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/pci.h>
#include <linux/rwsem.h>

#include "vfpga_regs.h"
#include "uapi/vfpga.h"

/* One interrupt vector and the user lines routed to it. */
struct vfpga_vector {
	struct vfpga_dev *vd;
	u32 lines;			/* user lines routed here, bitmask */
	atomic64_t handled;
	atomic64_t not_mine;
};

struct vfpga_dev {
	struct pci_dev *pdev;
	struct device dev;		/* /dev/vfpgaN; owns this struct */
	struct cdev cdev;

	/*
	 * Held for reading by every file operation that touches the board,
	 * for writing by remove() while it marks the board gone: after that
	 * no file operation reaches the (managed, soon unmapped) BARs.
	 */
	struct rw_semaphore lock;
	bool gone;

	void __iomem *bar[PCI_STD_NUM_BARS];
	void __iomem *user;		/* bar[VFPGA_BAR_USER] */
	void __iomem *xdma;		/* bar[VFPGA_BAR_DMA] */

	u32 irq_mode;			/* VFPGA_IRQ_MODE_* */
	unsigned int num_vectors;
	struct vfpga_vector *vectors;
	u8 line_vector[VFPGA_USER_IRQ_LINES];
};

/* vfpga_irq.c */
int vfpga_irq_setup(struct vfpga_dev *vd, const char *mode);

/* vfpga_cdev.c */
int vfpga_cdev_init(void);
void vfpga_cdev_exit(void);
int vfpga_dev_init(struct vfpga_dev *vd);
int vfpga_cdev_add(struct vfpga_dev *vd);
void vfpga_cdev_del(struct vfpga_dev *vd);

#endif /* VFPGA_DRV_H */
