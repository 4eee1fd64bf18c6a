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
/* vfpga_kp_kptest_failinit.ko: its module_init fails after registering. */
#define VFPGA_KP_KPTEST_FAILINIT_NAME	"kptest-failinit"
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
	/*
	 * in: __u32 timeout_ms; out: nothing.  Waits, in the call, until
	 * int_at_dpc has seen an interrupt taken after the call began, with
	 * vfpga_kp_wait_until(): 0, or its -ENODEV, -ETIMEDOUT, -EINTR.
	 */
	VFPGA_KP_KPTEST_MSG_WAIT_IRQ = 5,
	/* in: __u64 size; out: nothing.  The handle's DMA buffer, anew. */
	VFPGA_KP_KPTEST_MSG_DMA_ALLOC = 6,
	/* in, out: nothing.  Frees the handle's buffer; -ENOENT if none. */
	VFPGA_KP_KPTEST_MSG_DMA_FREE = 7,
	/*
	 * in: struct vfpga_kp_kptest_dma; out: struct
	 * vfpga_kp_kptest_dma_result.  Transfers on the handle's buffer;
	 * -ENOENT without one, else the first failing transfer's errno.
	 */
	VFPGA_KP_KPTEST_MSG_DMA = 8,
	/*
	 * in: struct vfpga_kp_kptest_stream; out: struct
	 * vfpga_kp_kptest_stream_result.  One vfpga_kp_stream_xfer() on the
	 * handle's buffer: an H2C one first fills its range with
	 * vfpga_kp_kptest_pattern(seed); a C2H one reports the checksum of
	 * what came.  -ENOENT without a buffer, else the transfer's errno.
	 */
	VFPGA_KP_KPTEST_MSG_STREAM = 9,
};

struct vfpga_kp_kptest_stream {
	__u32 dir;		/* 0: buffer to stream (H2C), 1: C2H */
	__u32 channel;
	/*
	 * vfpga_kp_stream_xfer()'s, passed on as they are: its one flag,
	 * VFPGA_KP_STREAM_EOP, is uapi/vfpga.h's VFPGA_STREAM_EOP.
	 */
	__u32 flags;
	__u32 timeout_ms;
	__u64 buf_offset;
	__u64 length;
	__u64 seed;		/* H2C: the pattern's seed */
};

struct vfpga_kp_kptest_stream_result {
	__u64 done;		/* bytes given or taken */
	__u64 checksum;		/* C2H: of the @done bytes that came */
	__u32 eop;		/* C2H: 1 if a packet ended there */
	__u32 status;		/* the channel status */
};

struct vfpga_kp_kptest_dma {
	__u32 dir;		/* 0: buffer to card (H2C), 1: C2H */
	__u32 channel;
	__u32 iterations;	/* transfers, one after the other */
	__u32 pad;
	__u64 buf_offset;
	__u64 card_offset;
	__u64 length;
	/*
	 * Not 0: the plugin writes this into the buffer's size field (which
	 * it may scribble on) for the transfers, and restores it after.
	 */
	__u64 fake_size;
	/* C2H: the range is zeroed before each transfer, then checked. */
	__u64 expect;		/* vfpga_kp_kptest_checksum() it must give */
};

struct vfpga_kp_kptest_dma_result {
	__u32 iterations;	/* transfers done */
	__u32 mismatches;	/* C2H transfers whose checksum was not expect */
	__u64 checksum;		/* of the range, after the last one */
};

/* FNV-1a over @len bytes: what MSG_DMA compares C2H data with. */
static inline __u64 vfpga_kp_kptest_checksum(const void *buf, __u64 len)
{
	const unsigned char *p = buf;
	__u64 h = 0xcbf29ce484222325ull;

	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ull;
	}
	return h;
}

/* What MSG_STREAM writes into an H2C range: a byte sequence of @seed. */
static inline void vfpga_kp_kptest_pattern(void *buf, __u64 len, __u64 seed)
{
	unsigned char *p = buf;

	while (len--) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		*p++ = seed >> 56;
	}
}

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
