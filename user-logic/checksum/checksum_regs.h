/* SPDX-License-Identifier: MIT */
/*
 * The checksum engine's registers: the user BAR of a board that loads
 * user-logic/checksum (build/user-logic/checksum.so).  Shared by the
 * plug-in, its kernel plugin (kp/) and its guest tests.
 *
 * The engine computes the CRC-32 (IEEE 802.3, as zlib's crc32()) of a
 * window of card memory, [BASE, BASE + LENGTH), in one of two ways:
 *
 *   CTRL_ARM   the bytes memory-mapped H2C DMA writes into the window, as
 *              they pass on the AXI4 path (they land in card memory too),
 *              in address order from BASE: a byte that would leave a gap
 *              is not taken;
 *   CTRL_SCAN  the bytes the window holds now, read from card memory.
 *
 * When LENGTH bytes are in, the engine waits LATENCY_NS of device time,
 * then sets STATUS_DONE, puts the CRC in RESULT and raises usr_irq_req on
 * IRQ_LINE.  Writing STATUS_DONE to STATUS clears it and drops the line.
 * A SCAN of a window outside card memory ends at once with STATUS_DONE |
 * STATUS_ERROR.  Every register is 32 bits; holes read 0 and ignore
 * writes (OKAY), as most AXI-Lite slaves do.
 */
#ifndef CHECKSUM_REGS_H
#define CHECKSUM_REGS_H

#define CSUM_ID			0x00	/* RO: CSUM_ID_MAGIC */
#define CSUM_VERSION		0x04	/* RO: CSUM_VERSION_CURRENT */
#define CSUM_SCRATCH		0x08	/* RW */
#define CSUM_CTRL		0x0c	/* WO: CSUM_CTRL_* (reads 0) */
#define CSUM_STATUS		0x10	/* RO, DONE is W1C: CSUM_STATUS_* */
#define CSUM_BASE_LO		0x14	/* RW: window start, card address */
#define CSUM_BASE_HI		0x18	/* RW */
#define CSUM_LENGTH		0x1c	/* RW: window bytes, 1 or more */
#define CSUM_RESULT		0x20	/* RO: CRC-32 of the last job */
#define CSUM_COUNT		0x24	/* RO: bytes taken in this job */
#define CSUM_IRQ_LINE		0x28	/* RW: 0..15 */
#define CSUM_LATENCY_NS		0x2c	/* RW: device time from last byte to DONE */
#define CSUM_JOBS		0x30	/* RO: jobs done since reset */
#define CSUM_ACKS		0x34	/* RO: usr_irq_ack pulses since reset */

#define CSUM_ID_MAGIC		0x4353554du	/* "CSUM" */
#define CSUM_VERSION_CURRENT	0x00010000u

#define CSUM_CTRL_ARM		(1u << 0)
#define CSUM_CTRL_SCAN		(1u << 1)
#define CSUM_CTRL_ABORT		(1u << 2)

#define CSUM_STATUS_BUSY	(1u << 0)
#define CSUM_STATUS_DONE	(1u << 1)
#define CSUM_STATUS_ERROR	(1u << 2)

#endif
