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
 * Every register is 32 bits wide and little-endian.  Accesses must be
 * aligned, and 32 bits wide, except that BAR0 (the user logic) also takes
 * aligned 64-bit accesses, which act as two 32-bit accesses, low word
 * first: a 64-bit read of a LO/HI counter pair (VFPGA_USER_TIME_LO,
 * VFPGA_IRQGEN_LAST_RAISE_LO) returns the whole counter in one access.
 * docs/register-map.md states the same.
 */
#ifndef VFPGA_REGS_H
#define VFPGA_REGS_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

/*
 * The reference board's PCI identity: QEMU's experimental range,
 * docs/specs/pci-ids.rst, and QEMU's subsystem IDs.  The model's
 * properties give a board another one (docs/boards.md).
 */
#define VFPGA_PCI_VENDOR_ID		0x1af4
#define VFPGA_PCI_DEVICE_ID		0x10f0
#define VFPGA_PCI_REVISION		0x01
#define VFPGA_PCI_SUBSYSTEM_VENDOR_ID	0x1af4
#define VFPGA_PCI_SUBSYSTEM_ID		0x1100
#define VFPGA_PCI_CLASS_CODE		0xff0000u	/* unassigned class */
/* boards/rtl-sample.board: the reference board, its logic in RTL (rtl/). */
#define VFPGA_RTL_SAMPLE_SUBSYSTEM_ID	0x1101

/*
 * The AMD/Xilinx XDMA IP's own IDs, as Vivado's example design presents
 * itself: vendor 0x10ee, device 0x9038 (Gen3 x8), one of the IDs Xilinx's
 * XDMA reference driver (dma_ip_drivers, XDMA/linux-kernel) matches.
 */
#define VFPGA_XILINX_VENDOR_ID		0x10ee
#define VFPGA_XDMA_EXAMPLE_DEVICE_ID	0x9038

/*
 * The reference board's BARs.  The model's user-bar, config-bar and
 * card-mem-bar properties move them (the driver finds them by probing for
 * the XDMA config block, below).
 */
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
#define VFPGA_USER_TIME_LO		0x0010	/* RO: device clock, ns; latches HI */
#define VFPGA_USER_TIME_HI		0x0014	/* RO: high word latched by TIME_LO */
#define VFPGA_USER_FAULT		0x0020	/* RW: armed faults, VFPGA_FAULT_* */
#define VFPGA_USER_FAULT_VECTOR		0x0024	/* RW: vector for SPURIOUS_MSI */
#define VFPGA_CAMPAIGN_SEED		0x0028	/* RW: seed; a write restarts */
#define VFPGA_CAMPAIGN_RATE		0x002c	/* RW: faults per 1024 events */
#define VFPGA_CAMPAIGN_MASK		0x0030	/* RW: faults drawn from */
#define VFPGA_CAMPAIGN_EVENTS		0x0034	/* RO: events since the seed */
#define VFPGA_CAMPAIGN_INJECTED		0x0038	/* RO: faults injected */
#define VFPGA_CAMPAIGN_LAST		0x003c	/* RO: the last one's bit */

#define VFPGA_ID_MAGIC			0x56465047u	/* "VFPG" */
#define VFPGA_VERSION(maj, min, pat)	(((maj) << 16) | ((min) << 8) | (pat))
#define VFPGA_VERSION_MAJOR(v)		(((v) >> 16) & 0xffff)
#define VFPGA_VERSION_MINOR(v)		(((v) >> 8) & 0xff)
#define VFPGA_VERSION_PATCH(v)		((v) & 0xff)
#define VFPGA_VERSION_CURRENT		VFPGA_VERSION(0, 1, 0)

#define VFPGA_CAP_IRQGEN		(1u << 0)	/* interrupt generator */
#define VFPGA_CAP_IRQGEN_PACED		(1u << 1)	/* ... with paced mode */
#define VFPGA_CAP_DMA			(1u << 2)	/* XDMA engine in BAR1 */
#define VFPGA_CAP_FAULT			(1u << 3)	/* fault injection */
#define VFPGA_CAP_STREAM		(1u << 4)	/* stream loopback and
							 * packet generator */

/*
 * Fault injection, off by default.  Each bit arms one fault; the device
 * clears one-shot bits when the fault has fired.  The same faults are QOM
 * properties of the device (qom-set at run time).
 */
#define VFPGA_FAULT_DESC_MAGIC		(1u << 0)	/* next descriptor fetched
							 * has a bad magic */
#define VFPGA_FAULT_DMA_READ		(1u << 1)	/* next DMA source read fails */
#define VFPGA_FAULT_DMA_WRITE		(1u << 2)	/* next DMA write fails */
#define VFPGA_FAULT_DROP_MSI		(1u << 3)	/* next message is lost */
#define VFPGA_FAULT_SPURIOUS_MSI	(1u << 4)	/* send one message on
							 * FAULT_VECTOR now */
#define VFPGA_FAULT_SURPRISE_REMOVAL	(1u << 5)	/* sticky: reads return
							 * all-ones, DMA stops */
#define VFPGA_FAULT_STUCK_BUSY		(1u << 6)	/* next engine turn wedges
							 * its channel BUSY until
							 * reset */
/*
 * Bit 7: the next descriptor's host address becomes VFPGA_FAULT_STRAY_ADDR,
 * a bus address no driver maps (page 1: IOVA allocators never hand it
 * out).  Behind an IOMMU the access faults and the channel stops with a
 * read or write error; without one it reaches guest RAM, so arm it only
 * with an IOMMU in front (the viommu lane's test does).
 */
#define VFPGA_FAULT_DMA_STRAY		(1u << 7)
#define VFPGA_FAULT_STRAY_ADDR		0x1000ull
#define VFPGA_FAULT_DUP_MSI		(1u << 8)	/* next message is sent
							 * twice */
#define VFPGA_FAULT_LATE_MSI		(1u << 9)	/* next message is held
							 * back LATE_MSI_NS */
#define VFPGA_FAULT_FLR			(1u << 10)	/* a function-level reset
							 * now, unasked */
#define VFPGA_FAULT_ALL			0x7ffu
#define VFPGA_FAULT_LATE_MSI_NS		2000000u	/* 2 ms of device time */

/*
 * Fault campaign: while RATE is not 0 the board draws, at every device
 * event (a descriptor fetched, a DMA slice moved, a message sent, a
 * generator raise), whether to inject a fault (RATE in 1024) and which
 * one of MASK, from a PRNG seeded by SEED.  Only device events advance
 * it: the same seed and the same guest actions replay the same faults.
 * A reset does not stop a campaign (it is the bench's, not the
 * function's); RATE 0 stops it and disarms what it armed.  MASK may name
 * any fault; by default it names all but DMA_STRAY, which writes guest
 * RAM unless an IOMMU stands in front.
 */
#define VFPGA_CAMPAIGN_RATE_MAX		1024u
#define VFPGA_CAMPAIGN_FAULTS		(VFPGA_FAULT_ALL & ~VFPGA_FAULT_DMA_STRAY)

/*
 * Interrupt generator on user line LINE.  While an interrupt is outstanding
 * the line's request bit is set in the XDMA user_int_request register;
 * writing 1 to IRQGEN_ACK clears it.
 *  - ping-pong mode: COUNT interrupts, each raised when the previous one is
 *    acknowledged;
 *  - paced mode: one beat every 1e9 / RATE ns of device time, for COUNT
 *    beats or, with COUNT 0, for DURATION_US microseconds.  A beat that
 *    falls due while the previous interrupt is unacknowledged waits in the
 *    generator's event queue (QUEUE_DEPTH entries, 0 by default) and is
 *    raised by the acknowledge; with the queue full it is counted in
 *    OVERRUN instead.  RAISED + QUEUED + OVERRUN = beats due.  When the
 *    emulator itself stalls (its generator timer 100 ms late), the
 *    schedule pauses for the stall, added up in STALLED_US.
 * LAST_RAISE is the device-clock time (VFPGA_USER_TIME) of the last raise.
 */
#define VFPGA_IRQGEN_CTRL		0x0100	/* WO: VFPGA_IRQGEN_CTRL_* */
#define VFPGA_IRQGEN_STATUS		0x0104	/* RO: VFPGA_IRQGEN_STATUS_* */
#define VFPGA_IRQGEN_LINE		0x0108	/* RW: 0..VFPGA_USER_IRQ_LINES-1 */
#define VFPGA_IRQGEN_COUNT		0x010c	/* RW: interrupts to raise */
#define VFPGA_IRQGEN_RAISED		0x0110	/* RO: raised since START */
#define VFPGA_IRQGEN_ACKED		0x0114	/* RO: acknowledged since START */
#define VFPGA_IRQGEN_ACK		0x0118	/* WO: VFPGA_IRQGEN_ACK_BIT */
#define VFPGA_IRQGEN_MODE		0x011c	/* RW: VFPGA_IRQGEN_MODE_* */
#define VFPGA_IRQGEN_RATE		0x0120	/* RW: paced, interrupts/s */
#define VFPGA_IRQGEN_DURATION_US	0x0124	/* RW: paced, when COUNT is 0 */
#define VFPGA_IRQGEN_OVERRUN		0x0128	/* RO: beats missed */
#define VFPGA_IRQGEN_QUEUE_DEPTH	0x012c	/* RW: paced, event queue */
#define VFPGA_IRQGEN_LAST_RAISE_LO	0x0130	/* RO: ns; latches HI */
#define VFPGA_IRQGEN_LAST_RAISE_HI	0x0134	/* RO */
#define VFPGA_IRQGEN_QUEUED		0x0138	/* RO: paced, beats waiting */
#define VFPGA_IRQGEN_STALLED_US		0x013c	/* RO: paced, schedule paused */

#define VFPGA_IRQGEN_QUEUE_MAX		(1u << 20)	/* QUEUE_DEPTH limit */

#define VFPGA_IRQGEN_MODE_PINGPONG	0
#define VFPGA_IRQGEN_MODE_PACED		1
/* MODE flag: raise n goes to line (LINE + n) % 16, spreading a storm. */
#define VFPGA_IRQGEN_MODE_ROTATE	(1u << 1)

#define VFPGA_IRQGEN_CTRL_START		(1u << 0)	/* clear counters, run */
#define VFPGA_IRQGEN_CTRL_STOP		(1u << 1)	/* stop, keep counters */
#define VFPGA_IRQGEN_ACK_BIT		(1u << 0)	/* acknowledge one */
#define VFPGA_IRQGEN_STATUS_BUSY	(1u << 0)	/* more to raise or ack */
#define VFPGA_IRQGEN_STATUS_PENDING	(1u << 1)	/* one awaits its ack */

/*
 * Stream block (VFPGA_CAP_STREAM: a board with stream channels; without,
 * these offsets read 0).  It sits behind H2C stream 0 and C2H stream 0.
 *  - loopback (the default): H2C 0's packets go through a FIFO of
 *    FIFO_LIMIT bytes to C2H 0, boundaries kept (an H2C descriptor with
 *    EOP ends a packet; that packet's last byte closes a C2H descriptor).
 *    A full FIFO back-pressures H2C 0; H2C_BACKPRESSURE counts the offers
 *    it refused or took in part.  CTRL_HOLD refuses every offer.
 *  - generator (CTRL_GEN): C2H 0 gets GEN_COUNT packets (0: until
 *    CTRL_GEN is cleared) of GEN_SIZE bytes, byte k of packet n being
 *    (n + k) & 0xff, at GEN_RATE packets per second of device time (0: each
 *    as soon as the last was taken).  A packet that falls due while the
 *    previous one is not yet taken (no C2H descriptor to take it) is
 *    dropped and counted in GEN_BACKPRESSURE.  Setting CTRL_GEN clears
 *    the GEN counters; H2C 0 keeps its FIFO meanwhile.
 * The H2C counters count what the sink took, the C2H counters what the
 * source gave.  Other stream channels: an H2C one is a sink that takes
 * everything (counted in H2C_*), a C2H one a source that never has data.
 */
#define VFPGA_STREAM_CTRL		0x0200	/* RW: VFPGA_STREAM_CTRL_* */
#define VFPGA_STREAM_FIFO_LIMIT		0x0204	/* RW: 1..VFPGA_STREAM_FIFO_MAX */
#define VFPGA_STREAM_FIFO_LEVEL		0x0208	/* RO: bytes in the FIFO */
#define VFPGA_STREAM_H2C_PACKETS	0x020c	/* RO: packets (EOPs) in */
#define VFPGA_STREAM_H2C_BYTES		0x0210	/* RO */
#define VFPGA_STREAM_H2C_BACKPRESSURE	0x0214	/* RO: offers refused */
#define VFPGA_STREAM_C2H_PACKETS	0x0218	/* RO: packets (tlast) out */
#define VFPGA_STREAM_C2H_BYTES		0x021c	/* RO */
#define VFPGA_STREAM_GEN_SIZE		0x0220	/* RW: 1..VFPGA_STREAM_FIFO_MAX */
#define VFPGA_STREAM_GEN_RATE		0x0224	/* RW: packets/s; 0: flat out */
#define VFPGA_STREAM_GEN_COUNT		0x0228	/* RW: packets; 0: no end */
#define VFPGA_STREAM_GEN_SENT		0x022c	/* RO: packets given whole */
#define VFPGA_STREAM_GEN_BACKPRESSURE	0x0230	/* RO: packets dropped */

#define VFPGA_STREAM_CTRL_GEN		(1u << 0)	/* generator on C2H 0 */
#define VFPGA_STREAM_CTRL_HOLD		(1u << 1)	/* H2C sink not ready */
#define VFPGA_STREAM_FIFO_MAX		(4u << 20)
#define VFPGA_STREAM_GEN_SIZE_DEFAULT	4096u

/* ---- BAR1: XDMA register space --------------------------------------- */

/*
 * Every XDMA block starts with an identifier register:
 * bits 31:20 0x1fc, 19:16 block target, 15 stream, 11:8 channel, 7:0 version.
 */
#define XDMA_ID_SUBSYSTEM		0x1fc00000u
#define XDMA_ID_TARGET(t)		((uint32_t)(t) << 16)
#define XDMA_ID_VERSION			0x06u	/* 2020.x IP */
#define XDMA_ID_STREAM			(1u << 15)	/* AXI4-Stream channel */
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

/*
 * H2C (host to card) and C2H (card to host) channel blocks, targets 0 and
 * 1, one per channel every XDMA_CHAN_STRIDE bytes; offsets relative to
 * XDMA_H2C_BASE / XDMA_C2H_BASE + channel * XDMA_CHAN_STRIDE.
 */
#define XDMA_MAX_CHANNELS		4
#define XDMA_CHAN_STRIDE		0x100
#define XDMA_H2C_BASE			XDMA_BLOCK_BASE(XDMA_TARGET_H2C)
#define XDMA_C2H_BASE			XDMA_BLOCK_BASE(XDMA_TARGET_C2H)
#define XDMA_CHAN_IDENTIFIER		0x00	/* RO; bits 11:8 channel */
#define XDMA_CHAN_CONTROL		0x04	/* RW: XDMA_CTRL_* */
#define XDMA_CHAN_CONTROL_W1S		0x08	/* W1S */
#define XDMA_CHAN_CONTROL_W1C		0x0c	/* W1C */
#define XDMA_CHAN_STATUS		0x40	/* RW1C: XDMA_STAT_* */
#define XDMA_CHAN_STATUS_RC		0x44	/* RC: status, cleared by read */
#define XDMA_CHAN_COMPLETED_DESC	0x48	/* RO: since RUN was set */
#define XDMA_CHAN_ALIGNMENTS		0x4c	/* RO: XDMA_ALIGNMENTS_VALUE */
#define XDMA_CHAN_POLL_WB_LO		0x88	/* RW: poll-mode writeback addr */
#define XDMA_CHAN_POLL_WB_HI		0x8c	/* RW */
#define XDMA_CHAN_INTR_ENABLE		0x90	/* RW: XDMA_STAT_* bits */
#define XDMA_CHAN_INTR_ENABLE_W1S	0x94	/* W1S */
#define XDMA_CHAN_INTR_ENABLE_W1C	0x98	/* W1C */

/* Channel control: RUN plus "log this event" enables, laid out as status. */
#define XDMA_CTRL_RUN			(1u << 0)
#define XDMA_CTRL_NON_INCR_ADDR		(1u << 25)	/* not supported */
#define XDMA_CTRL_POLL_MODE_WB		(1u << 26)
/* C2H stream channel: no writeback to the descriptor's source address. */
#define XDMA_CTRL_C2H_ST_WB_DISABLE	(1u << 27)

/* Channel status; events are logged when the same control bit is set. */
#define XDMA_STAT_BUSY			(1u << 0)
#define XDMA_STAT_DESC_STOPPED		(1u << 1)	/* a STOPPED descriptor */
#define XDMA_STAT_DESC_COMPLETED	(1u << 2)	/* a COMPLETED descriptor */
#define XDMA_STAT_ALIGN_MISMATCH	(1u << 3)
#define XDMA_STAT_MAGIC_STOPPED		(1u << 4)	/* bad descriptor magic */
#define XDMA_STAT_INVALID_LENGTH	(1u << 5)
#define XDMA_STAT_IDLE_STOPPED		(1u << 6)	/* RUN cleared while busy */
#define XDMA_STAT_READ_ERROR		(0x1fu << 9)	/* source unreadable */
#define XDMA_STAT_READ_ERROR_UR		(1u << 9)
/* C2H reads from the user logic's AXI4 slave: read_error 0 DECERR, 1 SLVERR */
#define XDMA_STAT_READ_ERROR_DECERR	(1u << 9)
#define XDMA_STAT_READ_ERROR_SLVERR	(1u << 10)
#define XDMA_STAT_WRITE_ERROR		(0x1fu << 14)	/* destination unwritable */
#define XDMA_STAT_WRITE_ERROR_DECERR	(1u << 14)
#define XDMA_STAT_WRITE_ERROR_SLVERR	(1u << 15)
#define XDMA_STAT_DESC_ERROR		(0x1fu << 19)	/* descriptor unfetchable */
#define XDMA_STAT_DESC_ERROR_UR		(1u << 19)
#define XDMA_STAT_EVENTS		0x00ffff7eu	/* all but BUSY */
#define XDMA_STAT_ERRORS		(XDMA_STAT_ALIGN_MISMATCH | \
					 XDMA_STAT_MAGIC_STOPPED | \
					 XDMA_STAT_INVALID_LENGTH | \
					 XDMA_STAT_READ_ERROR | \
					 XDMA_STAT_WRITE_ERROR | \
					 XDMA_STAT_DESC_ERROR)

/* Byte alignment 1, length granularity 1, 64 address bits. */
#define XDMA_ALIGNMENTS_VALUE		0x00010140u

/*
 * Poll-mode writeback word: completed count in bits 23:0, as the real
 * drivers mask it (30:24 read 0), bit 31 set on error.
 */
#define XDMA_WB_ERROR			(1u << 31)
#define XDMA_WB_COUNT_MASK		0x00ffffffu

/* SGDMA blocks, targets 4 and 5: where each channel's chain starts. */
#define XDMA_H2C_SGDMA_BASE		XDMA_BLOCK_BASE(XDMA_TARGET_H2C_SGDMA)
#define XDMA_C2H_SGDMA_BASE		XDMA_BLOCK_BASE(XDMA_TARGET_C2H_SGDMA)
#define XDMA_SGDMA_IDENTIFIER		0x00	/* RO */
#define XDMA_SGDMA_DESC_LO		0x80	/* RW: first descriptor */
#define XDMA_SGDMA_DESC_HI		0x84	/* RW */
#define XDMA_SGDMA_DESC_ADJ		0x88	/* RW: 5:0 adjacent to it */
/*
 * DESC_CREDIT: a write adds that many descriptor credits (9:0; the count
 * saturates at XDMA_CREDIT_MAX), a read returns those left.  Used only
 * while the channel's bit of the common block's CREDIT_MODE is set: the
 * engine then fetches a descriptor only for a credit, and waits (BUSY)
 * when it has none.  Credits clear when RUN falls or the bit is cleared.
 */
#define XDMA_SGDMA_DESC_CREDIT		0x8c	/* RW */
#define XDMA_CREDIT_MAX			0x3ffu

/* SGDMA common block, target 6. */
#define XDMA_SGDMA_COMMON_BASE		XDMA_BLOCK_BASE(XDMA_TARGET_SGDMA_COMMON)
#define XDMA_SGDMA_COMMON_IDENTIFIER	0x00	/* RO */
#define XDMA_SGDMA_CREDIT_MODE		0x20	/* RW: XDMA_CREDIT_MODE_* */
#define XDMA_SGDMA_CREDIT_MODE_W1S	0x24	/* W1S */
#define XDMA_SGDMA_CREDIT_MODE_W1C	0x28	/* W1C */
#define XDMA_CREDIT_MODE_H2C(ch)	(1u << (ch))
#define XDMA_CREDIT_MODE_C2H(ch)	(1u << (16 + (ch)))
#define XDMA_CREDIT_MODE_MASK		0x000f000fu

/*
 * XDMA descriptor: 32 bytes, 32-byte aligned, in host memory, little-endian.
 * H2C: src is a host address, dst a card-memory offset; C2H the reverse.
 * In the kernel the fields are __le32 and __le64, so that sparse checks
 * that every store converts; elsewhere they are plain integers, which the
 * model and the tests convert themselves.
 */
#ifdef __KERNEL__
#define XDMA_LE32			__le32
#define XDMA_LE64			__le64
#else
#define XDMA_LE32			uint32_t
#define XDMA_LE64			uint64_t
#endif
struct xdma_desc {
	XDMA_LE32 control;	/* magic 31:16, next adjacent 13:8, flags 7:0 */
	XDMA_LE32 bytes;	/* 27:0 */
	XDMA_LE64 src_addr;
	XDMA_LE64 dst_addr;
	XDMA_LE64 next_desc;
};

#define XDMA_DESC_MAGIC			0xad4bu
#define XDMA_DESC_MAGIC_SHIFT		16
#define XDMA_DESC_ADJ_SHIFT		8
#define XDMA_DESC_ADJ_MASK		0x3fu
#define XDMA_DESC_STOPPED		(1u << 0)	/* last of the chain */
#define XDMA_DESC_COMPLETED		(1u << 1)	/* signal its completion */
#define XDMA_DESC_EOP			(1u << 4)	/* end of packet (stream) */
#define XDMA_DESC_LEN_MASK		0x0fffffffu
#define XDMA_DESC_ALIGN			32
#define XDMA_DESC_CONTROL(adj, flags)	((XDMA_DESC_MAGIC << \
					  XDMA_DESC_MAGIC_SHIFT) | \
					 (((adj) & XDMA_DESC_ADJ_MASK) << \
					  XDMA_DESC_ADJ_SHIFT) | (flags))

/*
 * AXI4-Stream mode (a channel's identifier has XDMA_ID_STREAM).
 *
 * H2C: src_addr is the host buffer, dst_addr is unused; the descriptor's
 * bytes go to the user logic's stream, and XDMA_DESC_EOP ends a packet
 * with its last byte.
 *
 * C2H: dst_addr is the host buffer for up to `bytes` (a multiple of
 * XDMA_ST_DATA_BYTES, the stream's data width: otherwise the channel
 * stops with INVALID_LENGTH); src_addr names the descriptor's writeback,
 * an xdma_c2h_wb the engine writes when the descriptor is closed: filled,
 * or short at a packet's end (EOP).  The length is the bytes written to
 * the buffer.  Xilinx's driver (libxdma) points each descriptor at one
 * entry of a result array, zeroes it and waits for the magic.
 */
#define XDMA_ST_DATA_BYTES		8	/* 64-bit AXI4-Stream */
struct xdma_c2h_wb {
	XDMA_LE32 status;	/* magic 31:16, EOP bit 0 */
	XDMA_LE32 length;	/* bytes in the buffer */
};
#define XDMA_C2H_WB_MAGIC		0x52b4u
#define XDMA_C2H_WB_MAGIC_SHIFT		16
#define XDMA_C2H_WB_EOP			(1u << 0)

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
_Static_assert(VFPGA_STREAM_GEN_BACKPRESSURE < VFPGA_BAR_USER_SIZE,
	       "user BAR too small for the stream block");
_Static_assert(VFPGA_IRQGEN_STALLED_US < VFPGA_BAR_USER_SIZE,
	       "user BAR too small");
_Static_assert(sizeof(struct xdma_desc) == 32, "XDMA descriptors are 32 bytes");
_Static_assert(sizeof(struct xdma_c2h_wb) == 8, "C2H stream writeback is 8 bytes");
_Static_assert(XDMA_C2H_BASE == 0x1000 && XDMA_H2C_SGDMA_BASE == 0x4000 &&
	       XDMA_SGDMA_COMMON_BASE == 0x6000, "XDMA block offsets");
#endif

#endif /* VFPGA_REGS_H */
