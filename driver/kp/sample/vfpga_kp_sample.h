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
};

/* What int_at_dpc returns, so how often user mode wakes up. */
#define VFPGA_KP_SAMPLE_WAKE_NONE	0	/* never */
#define VFPGA_KP_SAMPLE_WAKE_PER_DPC	1	/* once per int_at_dpc run */
#define VFPGA_KP_SAMPLE_WAKE_PER_IRQ	2	/* once per interrupt */

struct vfpga_kp_sample_version {
	__u32 version;		/* VFPGA_KP_SAMPLE_VERSION */
	__u32 board_id;		/* the user logic's ID register */
};

struct vfpga_kp_sample_storm {
	__u32 line;		/* 0..15 */
	__u32 count;		/* > 0 */
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

#endif /* VFPGA_KP_SAMPLE_H */
