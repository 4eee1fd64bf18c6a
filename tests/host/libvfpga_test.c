// SPDX-License-Identifier: MIT
/*
 * Host-side tests of what libvfpga and the vfpga tool do without a board:
 * argument parsing, error reporting, refusing non-vfpga device nodes, and
 * the uapi layout the driver and library must agree on.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "kselftest_harness.h"
#include "libvfpga.h"
#include "parse.h"
#include "uapi/vfpga.h"
#include "vfpga_regs.h"
#include "vfpga_kp.h"	/* user mode: the plugin API libvfpga implements */

TEST(open_rejects_missing_and_foreign_nodes)
{
	struct vfpga_device *dev = NULL;

	EXPECT_EQ(-ENOENT, vfpga_open_path("/nonexistent/vfpga0", &dev));
	/* /dev/null answers our ioctls with ENOTTY: not a vfpga board. */
	EXPECT_EQ(-ENODEV, vfpga_open_path("/dev/null", &dev));
	EXPECT_EQ(-EINVAL, vfpga_open_path(NULL, &dev));
	EXPECT_EQ(-EINVAL, vfpga_open_path("/dev/null", NULL));
	EXPECT_EQ(NULL, dev);
	vfpga_close(NULL);
}

/*
 * A node whose device no driver holds (as while a board is unbound):
 * open() says ENXIO, and the library says the board is gone.  Major 240
 * is reserved for local use and has no driver here.
 */
TEST(open_of_a_node_without_a_driver_is_enodev)
{
	char path[] = "/tmp/vfpga-test-nodev-XXXXXX";
	struct vfpga_device *dev = NULL;
	char node[64];

	ASSERT_NE(NULL, mkdtemp(path));
	snprintf(node, sizeof(node), "%s/node", path);
	if (mknod(node, S_IFCHR | 0600, makedev(240, 0))) {
		rmdir(path);
		SKIP(return, "mknod: %s (needs CAP_MKNOD)", strerror(errno));
	}
	EXPECT_EQ(-ENODEV, vfpga_open_path(node, &dev));
	EXPECT_EQ(NULL, dev);
	unlink(node);
	rmdir(path);
}

TEST(strerror_explains_every_documented_error)
{
	static const int errs[] = {
		-ENOENT, -ENODEV, -EPROTO, -ENXIO, -ERANGE, -EINVAL, -EBUSY,
		-ETIMEDOUT, -EACCES, -EIO, -EINTR, -ENOSPC, -EOPNOTSUPP,
	};
	size_t i;

	EXPECT_STREQ("success", vfpga_strerror(0));
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		const char *msg = vfpga_strerror(errs[i]);

		ASSERT_NE(NULL, msg);
		/* Our own sentence, not libc's generic text. */
		EXPECT_NE(0, strcmp(msg, strerror(-errs[i])))
			TH_LOG("errno %d: %s", -errs[i], msg);
	}
	EXPECT_STREQ(strerror(ENOMEM), vfpga_strerror(-ENOMEM));
	EXPECT_STREQ("unknown error", vfpga_strerror(7));
}

TEST(irq_mode_names)
{
	EXPECT_STREQ("MSI-X", vfpga_irq_mode_name(VFPGA_IRQ_MSIX));
	EXPECT_STREQ("MSI", vfpga_irq_mode_name(VFPGA_IRQ_MSI));
	EXPECT_STREQ("INTx", vfpga_irq_mode_name(VFPGA_IRQ_INTX));
	EXPECT_STREQ("unknown", vfpga_irq_mode_name((enum vfpga_irq_mode)0));
}

TEST(parse_numbers)
{
	uint64_t v;

	ASSERT_EQ(0, parse_u64("0", 10, &v));
	EXPECT_EQ(0, v);
	ASSERT_EQ(0, parse_u64("0x1f", 0xff, &v));
	EXPECT_EQ(0x1f, v);
	ASSERT_EQ(0, parse_u64("010", 0xff, &v));
	EXPECT_EQ(8, v);
	ASSERT_EQ(0, parse_u64("18446744073709551615", UINT64_MAX, &v));
	EXPECT_EQ(UINT64_MAX, v);
	EXPECT_EQ(-ERANGE, parse_u64("18446744073709551616", UINT64_MAX, &v));
	EXPECT_EQ(-ERANGE, parse_u64("256", 255, &v));
	EXPECT_EQ(-EINVAL, parse_u64("", 10, &v));
	EXPECT_EQ(-EINVAL, parse_u64("-1", UINT64_MAX, &v));
	EXPECT_EQ(-EINVAL, parse_u64(" 1", 10, &v));
	EXPECT_EQ(-EINVAL, parse_u64("1x", 10, &v));
	EXPECT_EQ(-EINVAL, parse_u64("0x", 10, &v));
	EXPECT_EQ(-EINVAL, parse_u64(NULL, 10, &v));
}

TEST(parse_bars_and_widths)
{
	unsigned int bar, width;

	ASSERT_EQ(0, parse_bar("user", &bar));
	EXPECT_EQ(VFPGA_BAR_USER, bar);
	ASSERT_EQ(0, parse_bar("dma", &bar));
	EXPECT_EQ(VFPGA_BAR_DMA, bar);
	ASSERT_EQ(0, parse_bar("mem", &bar));
	EXPECT_EQ(VFPGA_BAR_CARD_MEM, bar);
	ASSERT_EQ(0, parse_bar("5", &bar));
	EXPECT_EQ(5, bar);
	EXPECT_EQ(-EINVAL, parse_bar("6", &bar));
	EXPECT_EQ(-EINVAL, parse_bar("USER", &bar));
	EXPECT_EQ(-EINVAL, parse_bar("", &bar));

	ASSERT_EQ(0, parse_width("8", &width));
	EXPECT_EQ(8, width);
	EXPECT_EQ(-EINVAL, parse_width("3", &width));
	EXPECT_EQ(-EINVAL, parse_width("0", &width));
	EXPECT_EQ(-EINVAL, parse_width("16", &width));
}

/* The uapi structs must look the same to 32- and 64-bit callers. */
TEST(uapi_layout)
{
	EXPECT_EQ(0, sizeof(struct vfpga_info) % 8);
	EXPECT_EQ(48, offsetof(struct vfpga_info, bar_size));
	EXPECT_EQ(96, offsetof(struct vfpga_info, shape_flags));
	EXPECT_EQ(120, offsetof(struct vfpga_info, card_size));
	EXPECT_EQ(128, offsetof(struct vfpga_info, h2c_stream));
	EXPECT_EQ(136, sizeof(struct vfpga_info));
	EXPECT_EQ(16, offsetof(struct vfpga_reg, offset));
	EXPECT_EQ(32, sizeof(struct vfpga_reg));
	EXPECT_EQ(24, sizeof(struct vfpga_irqgen));
	EXPECT_EQ(16, offsetof(struct vfpga_irq_count, handled));
	EXPECT_EQ(32, sizeof(struct vfpga_irq_count));
	EXPECT_EQ(40, sizeof(struct vfpga_irq_wait));
	EXPECT_EQ(32, sizeof(struct vfpga_dma_buf));
	EXPECT_EQ(64, sizeof(struct vfpga_dma_xfer));
	EXPECT_EQ(40, offsetof(struct vfpga_dma_xfer, buf_id));
	EXPECT_EQ(48, offsetof(struct vfpga_dma_xfer, buf_offset));
	EXPECT_EQ(32, offsetof(struct vfpga_dma_stream, done));
	EXPECT_EQ(56, sizeof(struct vfpga_dma_stream));
}

/* The user-mode plugin registry and the calls a plugin makes, no board. */
static int host_kp_inits, host_kp_init_ret, host_kp_unloads;

static int host_kp_init(void)
{
	host_kp_inits++;
	return host_kp_init_ret;
}

static void host_kp_event(struct vfpga_kp_handle *h, void *ctx,
			  enum vfpga_kp_event event)
{
	if (!h && !ctx && event == VFPGA_KP_EVENT_UNLOAD)
		host_kp_unloads++;
}

TEST(user_mode_plugin_registry)
{
	struct vfpga_kp_ops ops = {
		.owner = THIS_MODULE,
		.name = "host-test",
		.init = host_kp_init,
		.event = host_kp_event,
	};
	struct vfpga_kp_ops bad = ops;
	struct vfpga_kp *kp;
	u64 t0, t1;

	host_kp_init_ret = -EIO;
	EXPECT_EQ(-EIO, vfpga_kp_register(&ops));	/* init fails */
	EXPECT_EQ(1, host_kp_inits);
	host_kp_init_ret = 0;
	EXPECT_EQ(0, vfpga_kp_register(&ops));
	EXPECT_EQ(2, host_kp_inits);
	EXPECT_EQ(-EEXIST, vfpga_kp_register(&ops));
	bad.name = "";
	EXPECT_EQ(-EINVAL, vfpga_kp_register(&bad));
	bad.name = "a-name-longer-than-thirty-one-characters";
	EXPECT_EQ(-EINVAL, vfpga_kp_register(&bad));
	EXPECT_EQ(-EINVAL, vfpga_kp_register(NULL));
	vfpga_kp_unregister(&ops);
	EXPECT_EQ(1, host_kp_unloads);
	vfpga_kp_unregister(&ops);			/* not registered */
	EXPECT_EQ(1, host_kp_unloads);
	EXPECT_EQ(0, vfpga_kp_register(&ops));		/* the name is free */
	vfpga_kp_unregister(&ops);
	EXPECT_EQ(2, host_kp_unloads);

	EXPECT_EQ(-EINVAL, vfpga_kp_open_mode(NULL, "host-test",
					      VFPGA_KP_USER, &kp));
	/* Registers of no board read all-ones; writes go nowhere. */
	EXPECT_EQ(U32_MAX, vfpga_kp_read32(NULL, VFPGA_BAR_USER, 0));
	EXPECT_EQ(U64_MAX, vfpga_kp_read64(NULL, VFPGA_BAR_USER, 0));
	vfpga_kp_write32(NULL, VFPGA_BAR_USER, 0, 1);
	t0 = vfpga_kp_time_ns();
	t1 = vfpga_kp_time_ns();
	EXPECT_LE(t0, t1);
	EXPECT_LT(0, t0);
}

TEST_HARNESS_MAIN
