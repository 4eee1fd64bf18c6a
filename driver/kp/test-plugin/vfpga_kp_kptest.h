/* SPDX-License-Identifier: MIT */
/*
 * The test plugin's messages (vfpga_kp_kptest.c): a plugin whose
 * behaviour the tests steer, to check the core's rules rather than a
 * board's logic.  It registers twice: "kptest", and "kptest-failopen",
 * whose open fails with -EPERM.
 */
#ifndef VFPGA_KP_KPTEST_H
#define VFPGA_KP_KPTEST_H

#include <linux/types.h>

#define VFPGA_KP_KPTEST_NAME		"kptest"
#define VFPGA_KP_KPTEST_FAILOPEN_NAME	"kptest-failopen"
#define VFPGA_KP_KPTEST_VERSION		0x00010000u	/* 1.0.0 */

/*
 * Message ids.  -ENOMSG for an unknown id, -EINVAL for an in buffer of
 * the wrong size or a bad value, -EMSGSIZE for an out buffer too small.
 */
enum vfpga_kp_kptest_msg {
	/* in: nothing; out: struct vfpga_kp_kptest_info */
	VFPGA_KP_KPTEST_MSG_INFO = 1,
	/*
	 * in: __s32, a negative errno (-1..-4095); out: nothing.  Returns
	 * that errno: it must reach the caller unchanged.
	 */
	VFPGA_KP_KPTEST_MSG_FAIL = 2,
	/*
	 * in: __u32, 1 to decline every interrupt (int_at_irql returns
	 * false, "not mine", without touching the board), 0 to take them.
	 */
	VFPGA_KP_KPTEST_MSG_DECLINE = 3,
	/* in: nothing; out: struct vfpga_kp_kptest_counters */
	VFPGA_KP_KPTEST_MSG_COUNTERS = 4,
};

struct vfpga_kp_kptest_info {
	__u32 version;		/* VFPGA_KP_KPTEST_VERSION */
	__u32 board_id;		/* the user logic's ID register */
	__u64 serial;		/* this handle: 1 for the first open, ... */
};

struct vfpga_kp_kptest_counters {
	/* This handle, since it was opened. */
	__u64 irqs;		/* taken and acknowledged by int_at_irql */
	__u64 declined;		/* int_at_irql said "not mine" (decline) */
	__u64 not_pending;	/* ... "not mine": nothing was pending */
	__u64 dpc_requests;	/* the counts int_at_dpc was given */
	__u64 removed;		/* VFPGA_KP_EVENT_REMOVED events */
	/* The plugin (module or user-mode object), since it registered. */
	__u64 opens;		/* open calls, the failing ones too */
	__u64 closes;
	__u64 removed_all;	/* REMOVED events, every handle */
};

#endif /* VFPGA_KP_KPTEST_H */
