// SPDX-License-Identifier: MIT
/*
 * The ioctl interface (include/vfpga/uapi/vfpga.h) has one layout for i386 and
 * x86-64 callers, and every mmap offset the driver hands out is within
 * reach of a 32-bit process.  Built by uapi_abi_test.sh with -m32 and
 * -m64; a failed assertion fails the build.  The driver asserts the same
 * sizes for its own (64-bit) build in vfpga_cdev.c.
 */
#include <stddef.h>
#include <sys/types.h>

#include "uapi/vfpga.h"

#define SIZE(type, n) _Static_assert(sizeof(struct type) == (n), #type)
#define AT(type, field, n) \
	_Static_assert(offsetof(struct type, field) == (n), #type "." #field)

SIZE(vfpga_info, 136);
AT(vfpga_info, h2c_stream, 128);
AT(vfpga_info, bar_size, 48);
AT(vfpga_info, shape_flags, 96);
AT(vfpga_info, card_bar, 116);
AT(vfpga_info, card_size, 120);
SIZE(vfpga_reg, 32);
AT(vfpga_reg, offset, 16);
SIZE(vfpga_irqgen, 24);
SIZE(vfpga_irq_count, 32);
AT(vfpga_irq_count, handled, 16);
SIZE(vfpga_irq_wait, 40);
AT(vfpga_irq_wait, count, 16);
SIZE(vfpga_dma_buf, 32);
AT(vfpga_dma_buf, size, 16);
SIZE(vfpga_dma_xfer, 64);
AT(vfpga_dma_xfer, card_offset, 16);
AT(vfpga_dma_xfer, buf_offset, 48);
SIZE(vfpga_dma_stream, 56);
AT(vfpga_dma_stream, user_addr, 16);
AT(vfpga_dma_stream, done, 32);
AT(vfpga_dma_stream, timeout_ms, 40);
SIZE(vfpga_dma_sg, 32);
AT(vfpga_dma_sg, user_addr, 16);
SIZE(vfpga_kp_open, 48);
SIZE(vfpga_kp_call, 48);
AT(vfpga_kp_call, in, 16);
SIZE(vfpga_kp_handle_arg, 16);
SIZE(vfpga_kp_wait, 40);
SIZE(vfpga_kp_stats, 328);
AT(vfpga_kp_stats, calls, 16);
SIZE(vfpga_irq_user_ack, 24);

/* The highest region: the last DMA buffer's. */
#define LAST_OFFSET ((__u64)(VFPGA_DMA_MMAP_REGION_FIRST + \
			     VFPGA_DMA_BUFS_MAX - 1) << VFPGA_MMAP_REGION_SHIFT)

/* mmap2 takes the offset in 4 KiB pages, as 32 bits. */
_Static_assert(LAST_OFFSET / 4096 < (1ull << 32), "beyond mmap2");
_Static_assert(VFPGA_BAR_MMAP_OFFSET(VFPGA_NUM_BARS - 1) <
	       VFPGA_DMA_MMAP_REGION_FIRST * (1ull << VFPGA_MMAP_REGION_SHIFT),
	       "BAR regions overlap the DMA buffers'");
/* With a 64-bit off_t (libvfpga's build) the offset is an off_t. */
#if defined(_FILE_OFFSET_BITS) && _FILE_OFFSET_BITS == 64
_Static_assert(sizeof(off_t) == 8, "off_t");
_Static_assert(LAST_OFFSET < (1ull << 63), "beyond off_t");
#endif

int vfpga_abi_check(void)
{
	return 0;
}
