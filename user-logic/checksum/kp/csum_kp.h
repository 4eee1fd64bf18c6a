/* SPDX-License-Identifier: MIT */
/*
 * The checksum engine's kernel plugin (csum_kp.c): its messages, shared
 * by the plugin and the programs that call it.
 */
#ifndef CSUM_KP_H
#define CSUM_KP_H

#include <linux/types.h>

#define CSUM_KP_NAME		"checksum"

/*
 * Message ids.  Both run one job of the checksum engine and wait (up to
 * CSUM_KP_WAIT_MS) for its DONE interrupt, which the plugin takes in
 * int_at_irql: it reads RESULT and clears DONE there, so the line drops
 * before the handler returns.  The handle needs vfpga_kp_int_enable().
 * Errors: -ENOMSG (unknown id), -EINVAL (wrong in size, length 0 or past
 * CSUM_KP_DMA_MAX for DMA, line past 15), -EMSGSIZE (out too small),
 * -EBUSY (a job is running on this handle), -ETIMEDOUT (no interrupt),
 * -ERANGE and -EIO from the DMA transfer.
 */
enum csum_kp_msg {
	/* in: struct csum_kp_job; out: struct csum_kp_result.  SCAN. */
	CSUM_KP_MSG_SCAN = 1,
	/*
	 * in: struct csum_kp_job; out: struct csum_kp_result.  ARM, then
	 * an H2C transfer of csum_kp_pattern(@seed) from the plugin's DMA
	 * buffer into the window, checksummed on its way in.
	 */
	CSUM_KP_MSG_DMA = 2,
};

#define CSUM_KP_DMA_MAX		(4u << 20)
#define CSUM_KP_WAIT_MS		5000

struct csum_kp_job {
	__u64 base;		/* card address of the window */
	__u32 length;		/* bytes */
	__u32 line;		/* usr_irq_req line for DONE */
	__u32 latency_ns;	/* the engine's LATENCY_NS */
	__u32 seed;		/* DMA: the data's pattern */
};

struct csum_kp_result {
	__u32 result;		/* RESULT, read in int_at_irql */
	__u32 status;		/* STATUS, read in int_at_irql */
	__u32 irqs;		/* interrupts the handle has taken so far */
	__u32 dma_status;	/* DMA: the channel status */
};

/* The data of a DMA job: xorshift32 from @seed (not 0), a byte at a time. */
static inline void csum_kp_pattern(__u32 seed, void *buf, __u32 len)
{
	unsigned char *p = buf;
	__u32 x = seed ? seed : 1;

	while (len--) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		*p++ = (unsigned char)x;
	}
}

#endif
