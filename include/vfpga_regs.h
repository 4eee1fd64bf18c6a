/* SPDX-License-Identifier: MIT */
/*
 * vfpga register map: the one source of truth shared by the QEMU board
 * model, the kernel driver, the user library and the tests.  The readable
 * specification is docs/register-map.md; keep both in step.
 *
 * The board has three memory BARs:
 *
 *   BAR0  user logic   64 KiB  the FPGA application's AXI-Lite registers
 *   BAR1  DMA          64 KiB  AMD/Xilinx XDMA register space (PG195 layout)
 *   BAR2  card memory  sized by the "card-mem-size" property; the board's DDR
 *
 * Every register is 32 bits wide, little-endian, and must be accessed with
 * aligned 32-bit reads and writes.
 */
#ifndef VFPGA_REGS_H
#define VFPGA_REGS_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

/* PCI identity: QEMU's experimental range, docs/specs/pci-ids.rst. */
#define VFPGA_PCI_VENDOR_ID		0x1af4
#define VFPGA_PCI_DEVICE_ID		0x10f0
#define VFPGA_PCI_REVISION		0x01

/* BARs */
#define VFPGA_BAR_USER			0
#define VFPGA_BAR_DMA			1
#define VFPGA_BAR_CARD_MEM		2
#define VFPGA_BAR_USER_SIZE		0x10000u
#define VFPGA_BAR_DMA_SIZE		0x10000u
#define VFPGA_CARD_MEM_DEFAULT_SIZE	(4u << 20)

/* Interrupt plumbing, as XDMA: 16 user lines, mapped onto MSI-X vectors. */
#define VFPGA_USER_IRQ_LINES		16
#define VFPGA_MSIX_VECTORS		32

/* ---- BAR0: user logic ------------------------------------------------ */

#define VFPGA_USER_ID			0x0000	/* RO: VFPGA_ID_MAGIC */
#define VFPGA_USER_VERSION		0x0004	/* RO: VFPGA_VERSION() */
#define VFPGA_USER_SCRATCH		0x0008	/* RW: free for software */
#define VFPGA_USER_CAPS			0x000c	/* RO: VFPGA_CAP_* */

#define VFPGA_ID_MAGIC			0x56465047u	/* "VFPG" */
#define VFPGA_VERSION(maj, min, pat)	(((maj) << 16) | ((min) << 8) | (pat))
#define VFPGA_VERSION_MAJOR(v)		(((v) >> 16) & 0xffff)
#define VFPGA_VERSION_MINOR(v)		(((v) >> 8) & 0xff)
#define VFPGA_VERSION_PATCH(v)		((v) & 0xff)
#define VFPGA_VERSION_CURRENT		VFPGA_VERSION(0, 1, 0)

#define VFPGA_CAP_IRQGEN		(1u << 0)	/* interrupt generator */

/*
 * Interrupt generator: raises COUNT interrupts on user line LINE, each one
 * only after software acknowledged the previous one (ping-pong).  While an
 * interrupt is outstanding the line's request bit is set in the XDMA
 * user_int_request register; writing 1 to IRQGEN_ACK clears it and, if more
 * are due, raises the next one at once.
 */
#define VFPGA_IRQGEN_CTRL		0x0100	/* WO: VFPGA_IRQGEN_CTRL_* */
#define VFPGA_IRQGEN_STATUS		0x0104	/* RO: VFPGA_IRQGEN_STATUS_* */
#define VFPGA_IRQGEN_LINE		0x0108	/* RW: 0..VFPGA_USER_IRQ_LINES-1 */
#define VFPGA_IRQGEN_COUNT		0x010c	/* RW: interrupts to raise */
#define VFPGA_IRQGEN_RAISED		0x0110	/* RO: raised since START */
#define VFPGA_IRQGEN_ACKED		0x0114	/* RO: acknowledged since START */
#define VFPGA_IRQGEN_ACK		0x0118	/* WO: VFPGA_IRQGEN_ACK_BIT */

#define VFPGA_IRQGEN_CTRL_START		(1u << 0)	/* clear counters, run */
#define VFPGA_IRQGEN_CTRL_STOP		(1u << 1)	/* stop, keep counters */
#define VFPGA_IRQGEN_ACK_BIT		(1u << 0)	/* acknowledge one */
#define VFPGA_IRQGEN_STATUS_BUSY	(1u << 0)	/* more to raise or ack */
#define VFPGA_IRQGEN_STATUS_PENDING	(1u << 1)	/* one awaits its ack */

/* ---- BAR1: XDMA register space --------------------------------------- */

/*
 * Every XDMA block starts with an identifier register:
 * bits 31:20 0x1fc, 19:16 block target, 15 stream, 11:8 channel, 7:0 version.
 */
#define XDMA_ID_SUBSYSTEM		0x1fc00000u
#define XDMA_ID_TARGET(t)		((uint32_t)(t) << 16)
#define XDMA_ID_VERSION			0x06u	/* 2020.x IP */
#define XDMA_TARGET_H2C			0x0
#define XDMA_TARGET_C2H			0x1
#define XDMA_TARGET_IRQ			0x2
#define XDMA_TARGET_CONFIG		0x3
#define XDMA_TARGET_H2C_SGDMA		0x4
#define XDMA_TARGET_C2H_SGDMA		0x5
#define XDMA_TARGET_SGDMA_COMMON	0x6
#define XDMA_BLOCK_BASE(t)		((uint32_t)(t) << 12)

/* IRQ block (target 2), offsets relative to XDMA_IRQ_BASE. */
#define XDMA_IRQ_BASE			XDMA_BLOCK_BASE(XDMA_TARGET_IRQ)
#define XDMA_IRQ_IDENTIFIER		0x00	/* RO */
#define XDMA_IRQ_USER_INT_EN		0x04	/* RW */
#define XDMA_IRQ_USER_INT_EN_W1S	0x08	/* W1S */
#define XDMA_IRQ_USER_INT_EN_W1C	0x0c	/* W1C */
#define XDMA_IRQ_CHAN_INT_EN		0x10	/* RW */
#define XDMA_IRQ_CHAN_INT_EN_W1S	0x14	/* W1S */
#define XDMA_IRQ_CHAN_INT_EN_W1C	0x18	/* W1C */
#define XDMA_IRQ_USER_INT_REQ		0x40	/* RO: lines requesting */
#define XDMA_IRQ_CHAN_INT_REQ		0x44	/* RO */
#define XDMA_IRQ_USER_INT_PEND		0x48	/* RO: requesting & enabled */
#define XDMA_IRQ_CHAN_INT_PEND		0x4c	/* RO */
#define XDMA_IRQ_USER_VEC_NUM		0x80	/* RW x4: line -> vector */
#define XDMA_IRQ_CHAN_VEC_NUM		0xa0	/* RW x2: channel -> vector */
#define XDMA_IRQ_USER_VEC_REGS		4
#define XDMA_IRQ_CHAN_VEC_REGS		2
/* Each vector-number register maps four lines, one byte each, 5 bits used. */
#define XDMA_IRQ_VEC_SHIFT(line)	(((line) & 3) * 8)
#define XDMA_IRQ_VEC_MASK		0x1fu

/* Config block (target 3). */
#define XDMA_CONFIG_BASE		XDMA_BLOCK_BASE(XDMA_TARGET_CONFIG)
#define XDMA_CONFIG_IDENTIFIER		0x00	/* RO */

/* MSI-X table and PBA live in the DMA BAR, where XDMA puts them. */
#define XDMA_MSIX_TABLE_OFFSET		0x8000u
#define XDMA_MSIX_PBA_OFFSET		0x8fe0u

#ifndef __cplusplus
_Static_assert(XDMA_IRQ_BASE == 0x2000, "XDMA IRQ block at 0x2000");
_Static_assert(XDMA_CONFIG_BASE == 0x3000, "XDMA config block at 0x3000");
_Static_assert(XDMA_MSIX_TABLE_OFFSET + VFPGA_MSIX_VECTORS * 16 <=
	       XDMA_MSIX_PBA_OFFSET, "MSI-X table overlaps the PBA");
_Static_assert(XDMA_MSIX_PBA_OFFSET + VFPGA_MSIX_VECTORS / 8 <=
	       VFPGA_BAR_DMA_SIZE, "MSI-X PBA outside the DMA BAR");
_Static_assert(VFPGA_USER_IRQ_LINES == 4 * XDMA_IRQ_USER_VEC_REGS,
	       "four user lines per vector-number register");
_Static_assert(VFPGA_IRQGEN_ACK < VFPGA_BAR_USER_SIZE, "user BAR too small");
#endif

#endif /* VFPGA_REGS_H */
