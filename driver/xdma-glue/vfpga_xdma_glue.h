/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What vfpga_xdma_glue gives a client of the board: an auxiliary device
 * VFPGA_XDMA_AUX_ID.<n> per board, whose parent is the board's PCI device.
 * The board it points to is valid while a driver is bound to it: the glue
 * deletes the auxiliary device (unbinding the client) before it unregisters
 * the xdma platform device and unmaps the BARs.
 */
#ifndef VFPGA_XDMA_GLUE_H
#define VFPGA_XDMA_GLUE_H

#include <linux/auxiliary_bus.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/types.h>

#include "vfpga_regs.h"

/* The auxiliary device's name, and what a driver's id_table matches. */
#define VFPGA_XDMA_AUX_NAME	"dma"
#define VFPGA_XDMA_AUX_ID	"vfpga_xdma_glue." VFPGA_XDMA_AUX_NAME

enum vfpga_xdma_dir { VFPGA_XDMA_H2C, VFPGA_XDMA_C2H };

struct vfpga_xdma_board {
	/* dma_request_chan(&pdev->dev, slave[dir][n]) gives channel n. */
	struct pci_dev *pdev;
	/* The device xdma.ko binds: xdma_get_user_irq() and friends. */
	struct platform_device *xdma;
	void __iomem *user;		/* the user logic's BAR */
	/* The XDMA BAR up to the SGDMA blocks; xdma.ko owns it: read only. */
	void __iomem *regs;
	unsigned int config_bar;	/* its number */
	/*
	 * The card BAR, or NULL on a board without one: card memory is then
	 * reached through the DMA engine only, and card_size is the glue's
	 * card_size parameter.
	 */
	void __iomem *card;
	resource_size_t card_size;
	unsigned int nchan[2];		/* per direction */
	unsigned int nvec;		/* H2C, C2H channels, user lines */
	int irq_base;			/* Linux IRQ of vector 0 */
	char slave[2][XDMA_MAX_CHANNELS][8];
};

struct vfpga_xdma_adev {
	struct auxiliary_device adev;
	struct vfpga_xdma_board *board;
};

static inline struct vfpga_xdma_board *
vfpga_xdma_board(struct auxiliary_device *adev)
{
	return container_of(adev, struct vfpga_xdma_adev, adev)->board;
}

static inline const char *vfpga_xdma_dir_name(enum vfpga_xdma_dir dir)
{
	return dir == VFPGA_XDMA_H2C ? "h2c" : "c2h";
}

/* BAR1 offset of the channel block of channel @n. */
static inline u32 vfpga_xdma_chan_base(enum vfpga_xdma_dir dir, unsigned int n)
{
	return (dir == VFPGA_XDMA_H2C ? XDMA_H2C_BASE : XDMA_C2H_BASE) +
	       n * XDMA_CHAN_STRIDE;
}

static inline u32 vfpga_xdma_reg(struct vfpga_xdma_board *board, u32 off)
{
	return ioread32(board->regs + off);
}

#endif /* VFPGA_XDMA_GLUE_H */
