/* SPDX-License-Identifier: MIT */
/*
 * The sample plugin's messages: the one header shared by the plugin
 * (vfpga_kp_sample.c) and the programs that call it, so that message ids
 * and layouts cannot drift apart.  Copy it along with the plugin.
 */
#ifndef VFPGA_KP_SAMPLE_H
#define VFPGA_KP_SAMPLE_H

#include <linux/types.h>

#define VFPGA_KP_SAMPLE_NAME		"sample"
#define VFPGA_KP_SAMPLE_VERSION		0x00010000u	/* 1.0.0 */

/*
 * Message ids (VFPGA_KP_CALL msg).  Errors: -ENOMSG for an unknown id,
 * -EINVAL for an in buffer of the wrong size or bad values, -EMSGSIZE
 * for an out buffer smaller than the reply.
 */
enum vfpga_kp_sample_msg {
	/* in: nothing; out: struct vfpga_kp_sample_version */
	VFPGA_KP_SAMPLE_MSG_VERSION = 1,
	/* in: nothing; out: struct vfpga_kp_sample_counters */
	VFPGA_KP_SAMPLE_MSG_COUNTERS = 2,
	/*
	 * in: struct vfpga_kp_sample_storm; out: nothing.  Clears the
	 * counters and starts the interrupt generator: @count ping-pong
	 * interrupts on user line @line.  -EBUSY while a run is going.
	 */
	VFPGA_KP_SAMPLE_MSG_STORM = 3,
	/* in: __u32, a VFPGA_KP_SAMPLE_WAKE_* policy; out: nothing */
	VFPGA_KP_SAMPLE_MSG_SET_WAKE = 4,
	/*
	 * in: struct vfpga_kp_sample_paced; out: nothing.  Clears the
	 * counters and starts the generator in paced mode: @rate
	 * interrupts/s on @line, @count of them, or for @duration_us when
	 * @count is 0, with an event queue of @queue_depth beats (see
	 * IRQGEN_QUEUE_DEPTH).  -EBUSY while a run is going.
	 */
	VFPGA_KP_SAMPLE_MSG_PACED = 5,
	/*
	 * in: nothing; out: struct vfpga_kp_sample_latency, the
	 * distribution of the latencies in the counters (same period).
	 */
	VFPGA_KP_SAMPLE_MSG_LATENCY = 6,
	/*
	 * in: struct vfpga_kp_sample_dma; out: struct
	 * vfpga_kp_sample_dma_result.  Runs one DMA transfer @iterations
	 * times between the plugin's own DMA buffer and card memory, the
	 * plugin waiting for each completion: H2C sends
	 * vfpga_kp_sample_pattern(@seed), C2H reports the checksum of what
	 * arrived.  -EINVAL for a bad direction, channel or length, -ERANGE
	 * outside card memory, -EBUSY while another call uses that channel
	 * of this handle, -EIO when the engine reported an error (the
	 * plugin logs the channel status).
	 */
	VFPGA_KP_SAMPLE_MSG_DMA = 7,
};

/* What int_at_dpc returns, so how often user mode wakes up. */
#define VFPGA_KP_SAMPLE_WAKE_NONE	0	/* never */
#define VFPGA_KP_SAMPLE_WAKE_PER_DPC	1	/* once per int_at_dpc run */
#define VFPGA_KP_SAMPLE_WAKE_PER_IRQ	2	/* once per interrupt */

struct vfpga_kp_sample_version {
	__u32 version;		/* VFPGA_KP_SAMPLE_VERSION */
	__u32 board_id;		/* the user logic's ID register */
};

/* Storm flags: spread the interrupts over every user line, and so vector. */
#define VFPGA_KP_SAMPLE_ROTATE		0x1u	/* IRQGEN_MODE_ROTATE */

struct vfpga_kp_sample_storm {
	__u32 line;		/* 0..15; the first one with ROTATE */
	__u32 count;		/* > 0 */
	__u32 flags;		/* VFPGA_KP_SAMPLE_ROTATE */
};

/* Since the handle was opened or the last storm started. */
struct vfpga_kp_sample_counters {
	__u64 irqs;		/* interrupts taken and acknowledged */
	__u64 dpc_runs;		/* int_at_dpc calls */
	__u64 dpc_requests;	/* sum of the counts they were given */
	__u64 wakeups;		/* sum of what they returned */
	/* Device clock at int_at_irql minus the raise time, ns. */
	__u64 latency_min_ns;
	__u64 latency_max_ns;
	__u64 latency_sum_ns;
};

struct vfpga_kp_sample_paced {
	__u32 line;		/* 0..15 */
	__u32 rate;		/* interrupts per second, > 0 */
	__u32 count;		/* interrupts, or 0: run for @duration_us */
	__u32 duration_us;
	__u32 queue_depth;	/* 0..VFPGA_IRQGEN_QUEUE_MAX */
	__u32 flags;		/* VFPGA_KP_SAMPLE_ROTATE */
};

/*
 * Latency histogram: log-linear buckets, four per power of two, of 64 ns
 * units; vfpga_kp_sample_lat_floor() is a bucket's lower bound.  The last
 * bucket also takes everything above it.
 */
#define VFPGA_KP_SAMPLE_LAT_BUCKETS	80

struct vfpga_kp_sample_latency {
	__u64 count;
	__u64 max_ns;
	__u64 hist[VFPGA_KP_SAMPLE_LAT_BUCKETS];
};

static inline unsigned int vfpga_kp_sample_lat_bucket(__u64 ns)
{
	__u64 v = ns >> 6;
	unsigned int e, b;

	if (v < 4)
		return (unsigned int)v;
	e = 63 - __builtin_clzll(v);		/* >= 2 */
	b = 4 * (e - 1) + (unsigned int)((v >> (e - 2)) & 3);
	return b < VFPGA_KP_SAMPLE_LAT_BUCKETS ? b :
	       VFPGA_KP_SAMPLE_LAT_BUCKETS - 1;
}

static inline __u64 vfpga_kp_sample_lat_floor(unsigned int b)
{
	if (b < 4)
		return (__u64)b << 6;
	return (__u64)(4 + b % 4) << (b / 4 - 1) << 6;
}

/* Directions of vfpga_kp_sample_dma. */
#define VFPGA_KP_SAMPLE_DMA_H2C		0	/* plugin buffer to card */
#define VFPGA_KP_SAMPLE_DMA_C2H		1	/* card to plugin buffer */
#define VFPGA_KP_SAMPLE_DMA_MAX		(64u << 20)	/* bytes */

struct vfpga_kp_sample_dma {
	__u32 dir;		/* VFPGA_KP_SAMPLE_DMA_* */
	__u32 channel;
	__u64 card_offset;
	__u64 length;		/* 1..VFPGA_KP_SAMPLE_DMA_MAX */
	__u32 iterations;	/* > 0: the same transfer, back to back */
	__u32 seed;		/* H2C: the pattern to send */
};

struct vfpga_kp_sample_dma_result {
	__u32 status;		/* XDMA channel status of the last run */
	__u32 iterations;	/* completed */
	__u64 total_ns;		/* for all of them, plugin clock */
	__u64 checksum;		/* vfpga_kp_sample_checksum() of the buffer */
};

/* The H2C pattern: xorshift32 from @seed, little-endian words. */
static inline void vfpga_kp_sample_pattern(__u32 seed, void *buf, __u64 len)
{
	unsigned char *p = buf;
	__u32 x = seed ? seed : 0x9e3779b9u;
	__u64 i;

	for (i = 0; i < len; i++) {
		if (!(i & 3)) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
		}
		p[i] = (unsigned char)(x >> (8 * (i & 3)));
	}
}

/* FNV-1a, 64 bits, over @len bytes. */
static inline __u64 vfpga_kp_sample_checksum(const void *buf, __u64 len)
{
	const unsigned char *p = buf;
	__u64 h = 0xcbf29ce484222325ull;
	__u64 i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

#endif /* VFPGA_KP_SAMPLE_H */
