// SPDX-License-Identifier: GPL-2.0
/*
 * The test plugin: a plugin the tests steer, to check the core's rules
 * (tests/guest/vfpga_kp_rules_test.c).  It registers two names:
 *  - "kptest": call answers vfpga_kp_kptest.h's messages, one of which
 *    returns whatever errno the caller asks for; int_at_irql takes the
 *    board's pending interrupt, or in decline mode says "not mine" without
 *    touching the board, so that the core must acknowledge it; event
 *    counts VFPGA_KP_EVENT_REMOVED per handle and for the whole plugin;
 *  - "kptest-failopen": the same callbacks, but open fails with -EPERM.
 * Like the sample, this one file is the kernel module and, built for user
 * mode, an object libvfpga hosts.
 */
#include "vfpga_kp.h"
#include "vfpga_kp_kptest.h"

struct kptest_ctx {
	struct vfpga_kp_lock lock;	/* everything below */
	struct vfpga_kp_kptest_counters c;
	u64 serial;
	bool decline;
};

/* The plugin's own figures, across handles and boards. */
static struct {
	struct vfpga_kp_lock lock;	/* everything below */
	u64 opens;
	u64 closes;
	u64 removed_all;
	u64 serial;
} kptest;

static u64 kptest_count_open(void)
{
	u64 serial;

	vfpga_kp_lock(&kptest.lock);
	kptest.opens++;
	serial = ++kptest.serial;
	vfpga_kp_unlock(&kptest.lock);
	return serial;
}

static int kptest_open(struct vfpga_kp_handle *h, void *ctx)
{
	struct kptest_ctx *k = ctx;

	vfpga_kp_lock_init(&k->lock);
	k->serial = kptest_count_open();
	return 0;
}

static int kptest_failopen(struct vfpga_kp_handle *h, void *ctx)
{
	kptest_count_open();
	return -EPERM;
}

static void kptest_close(struct vfpga_kp_handle *h, void *ctx)
{
	vfpga_kp_lock(&kptest.lock);
	kptest.closes++;
	vfpga_kp_unlock(&kptest.lock);
}

static bool kptest_int_at_irql(struct vfpga_kp_handle *h, void *ctx,
			       bool *run_dpc)
{
	struct kptest_ctx *k = ctx;
	bool decline, pending = false;

	vfpga_kp_lock(&k->lock);
	decline = k->decline;
	if (decline)
		k->c.declined++;
	vfpga_kp_unlock(&k->lock);
	if (decline)
		return false;

	pending = vfpga_kp_read32(h, VFPGA_BAR_USER, VFPGA_IRQGEN_STATUS) &
		  VFPGA_IRQGEN_STATUS_PENDING;
	vfpga_kp_lock(&k->lock);
	if (pending)
		k->c.irqs++;
	else
		k->c.not_pending++;
	vfpga_kp_unlock(&k->lock);
	if (!pending)
		return false;
	vfpga_kp_write32(h, VFPGA_BAR_USER, VFPGA_IRQGEN_ACK,
			 VFPGA_IRQGEN_ACK_BIT);
	*run_dpc = true;
	return true;
}

static unsigned int kptest_int_at_dpc(struct vfpga_kp_handle *h, void *ctx,
				      unsigned int count)
{
	struct kptest_ctx *k = ctx;

	vfpga_kp_lock(&k->lock);
	k->c.dpc_requests += count;
	vfpga_kp_unlock(&k->lock);
	return 1;
}

static int kptest_call(struct vfpga_kp_handle *h, void *ctx, u32 msg,
		       const void *in, size_t in_size, void *out,
		       size_t *out_size)
{
	struct kptest_ctx *k = ctx;
	struct vfpga_kp_kptest_counters c;
	struct vfpga_kp_kptest_info info;
	s32 err;
	u32 on;

	switch (msg) {
	case VFPGA_KP_KPTEST_MSG_INFO:
		if (*out_size < sizeof(info))
			return -EMSGSIZE;
		info.version = VFPGA_KP_KPTEST_VERSION;
		info.board_id = vfpga_kp_read32(h, VFPGA_BAR_USER,
						VFPGA_USER_ID);
		info.serial = k->serial;
		memcpy(out, &info, sizeof(info));
		*out_size = sizeof(info);
		return 0;
	case VFPGA_KP_KPTEST_MSG_FAIL:
		if (in_size != sizeof(err))
			return -EINVAL;
		memcpy(&err, in, sizeof(err));
		if (err >= 0 || err < -4095)
			return -EINVAL;
		*out_size = 0;
		return err;
	case VFPGA_KP_KPTEST_MSG_DECLINE:
		if (in_size != sizeof(on))
			return -EINVAL;
		memcpy(&on, in, sizeof(on));
		if (on > 1)
			return -EINVAL;
		vfpga_kp_lock(&k->lock);
		k->decline = on;
		vfpga_kp_unlock(&k->lock);
		*out_size = 0;
		return 0;
	case VFPGA_KP_KPTEST_MSG_COUNTERS:
		if (*out_size < sizeof(c))
			return -EMSGSIZE;
		vfpga_kp_lock(&k->lock);
		c = k->c;
		vfpga_kp_unlock(&k->lock);
		vfpga_kp_lock(&kptest.lock);
		c.opens = kptest.opens;
		c.closes = kptest.closes;
		c.removed_all = kptest.removed_all;
		vfpga_kp_unlock(&kptest.lock);
		memcpy(out, &c, sizeof(c));
		*out_size = sizeof(c);
		return 0;
	}
	return -ENOMSG;
}

static void kptest_event(struct vfpga_kp_handle *h, void *ctx,
			 enum vfpga_kp_event event)
{
	struct kptest_ctx *k = ctx;

	if (event != VFPGA_KP_EVENT_REMOVED)
		return;
	vfpga_kp_lock(&k->lock);
	k->c.removed++;
	vfpga_kp_unlock(&k->lock);
	vfpga_kp_lock(&kptest.lock);
	kptest.removed_all++;
	vfpga_kp_unlock(&kptest.lock);
	vfpga_kp_info(h, "board removed (handle %llu)\n",
		      (unsigned long long)k->serial);
}

static int kptest_init(void)
{
	vfpga_kp_lock_init(&kptest.lock);
	return 0;
}

static const struct vfpga_kp_ops kptest_ops = {
	.owner = THIS_MODULE,
	.name = VFPGA_KP_KPTEST_NAME,
	.ctx_size = sizeof(struct kptest_ctx),
	.init = kptest_init,
	.open = kptest_open,
	.close = kptest_close,
	.call = kptest_call,
	.int_at_irql = kptest_int_at_irql,
	.int_at_dpc = kptest_int_at_dpc,
	.event = kptest_event,
};

static const struct vfpga_kp_ops kptest_failopen_ops = {
	.owner = THIS_MODULE,
	.name = VFPGA_KP_KPTEST_FAILOPEN_NAME,
	.ctx_size = sizeof(struct kptest_ctx),
	.open = kptest_failopen,
	.close = kptest_close,
	.call = kptest_call,
};

static int __init kptest_module_init(void)
{
	int ret;

	ret = vfpga_kp_register(&kptest_ops);
	if (ret)
		return ret;
	ret = vfpga_kp_register(&kptest_failopen_ops);
	if (ret)
		vfpga_kp_unregister(&kptest_ops);
	return ret;
}
module_init(kptest_module_init);

static void __exit kptest_module_exit(void)
{
	vfpga_kp_unregister(&kptest_failopen_ops);
	vfpga_kp_unregister(&kptest_ops);
}
module_exit(kptest_module_exit);

MODULE_DESCRIPTION("vfpga test kernel plugin: steerable failures");
MODULE_LICENSE("GPL");
