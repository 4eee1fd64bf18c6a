// SPDX-License-Identifier: GPL-2.0
/*
 * A test plugin whose module_init fails after it has registered: it
 * registers "kptest-failinit", waits wait_ms, unregisters and returns
 * -EAGAIN, so its module is freed without ever going live.  While it
 * waits the plugin is listed (debugfs shows it) but must not open: a
 * handle would keep pointers into the freed module
 * (tests/guest/vfpga_kp_rules_test.c, open_refused_while_module_coming).
 * Kernel only: user mode has no module that can fail to load.
 */
#include <linux/delay.h>
#include <linux/moduleparam.h>

#include "vfpga_kp.h"
#include "vfpga_kp_kptest.h"

static unsigned int wait_ms = 2000;
module_param(wait_ms, uint, 0444);
MODULE_PARM_DESC(wait_ms, "how long init waits, registered, before it fails");

struct failinit_ctx {
	u32 opened;
};

static int failinit_open(struct vfpga_kp_handle *h, void *ctx)
{
	struct failinit_ctx *f = ctx;

	f->opened = 1;
	vfpga_kp_warn(h, "opened while its module was still loading\n");
	return 0;
}

static void failinit_close(struct vfpga_kp_handle *h, void *ctx)
{
	struct failinit_ctx *f = ctx;

	f->opened = 0;
}

static int failinit_call(struct vfpga_kp_handle *h, void *ctx, u32 msg,
			 const void *in, size_t in_size, void *out,
			 size_t *out_size)
{
	*out_size = 0;
	return -ENOMSG;
}

static const struct vfpga_kp_ops failinit_ops = {
	.owner = THIS_MODULE,
	.name = VFPGA_KP_KPTEST_FAILINIT_NAME,
	.ctx_size = sizeof(struct failinit_ctx),
	.open = failinit_open,
	.close = failinit_close,
	.call = failinit_call,
};

static int __init failinit_init(void)
{
	int ret;

	ret = vfpga_kp_register(&failinit_ops);
	if (ret)
		return ret;
	msleep(wait_ms);
	/* What an init that fails after registering must do, and may. */
	vfpga_kp_unregister(&failinit_ops);
	return -EAGAIN;
}
module_init(failinit_init);

MODULE_DESCRIPTION("vfpga test kernel plugin whose init fails after registering");
MODULE_LICENSE("GPL");
