// SPDX-License-Identifier: MIT
/*
 * libvfpga: plugins, opened and called through the driver (kernel mode) or
 * hosted in this process (user mode, kp_user.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "uapi/vfpga.h"

struct vfpga_kp {
	struct vfpga_device *dev;
	uint32_t handle;
	struct vfpga_kp_handle *user;	/* user mode */
};

_Static_assert(VFPGA_KP_MSG_SIZE_MAX == VFPGA_KP_MSG_MAX,
	       "libvfpga.h and the uapi agree on the message size");

int vfpga_kp_open(struct vfpga_device *dev, const char *name,
		  struct vfpga_kp **kp)
{
	return vfpga_kp_open_mode(dev, name, VFPGA_KP_KERNEL, kp);
}

int vfpga_kp_open_mode(struct vfpga_device *dev, const char *name,
		       enum vfpga_kp_mode mode, struct vfpga_kp **kp)
{
	struct vfpga_kp_open o = { .argsz = sizeof(o) };
	struct vfpga_kp *k;
	int ret;

	if (!dev || !name || !name[0] || !kp ||
	    (mode != VFPGA_KP_KERNEL && mode != VFPGA_KP_USER))
		return -EINVAL;
	if (strlen(name) >= sizeof(o.name))
		return -ENAMETOOLONG;
	strcpy(o.name, name);
	k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	if (mode == VFPGA_KP_USER)
		ret = vfpga_kp_user_open(dev, name, &k->user);
	else
		ret = vfpga_ioctl(dev, VFPGA_KP_OPEN, &o);
	if (ret < 0) {
		free(k);
		return ret;
	}
	k->dev = dev;
	k->handle = o.handle;
	*kp = k;
	return 0;
}

int vfpga_kp_call(struct vfpga_kp *kp, uint32_t msg, const void *in,
		  size_t in_len, void *out, size_t *out_len)
{
	struct vfpga_kp_call c = {
		.argsz = sizeof(c),
		.msg = msg,
		.in = (uintptr_t)in,
		.out = (uintptr_t)out,
	};
	size_t room = out_len ? *out_len : 0;
	int ret;

	if (!kp)
		return -EINVAL;
	if (in_len > VFPGA_KP_MSG_MAX || room > VFPGA_KP_MSG_MAX)
		return -E2BIG;
	if (kp->user)
		return vfpga_kp_user_call(kp->user, msg, in, in_len, out,
					  out_len);
	c.handle = kp->handle;
	c.in_size = in_len;
	c.out_size = room;
	ret = vfpga_ioctl(kp->dev, VFPGA_KP_CALL, &c);
	if (ret < 0)
		return ret;
	if (out_len)
		*out_len = c.out_size;
	return (int)c.result;
}

static int kp_handle_ioctl(struct vfpga_kp *kp, unsigned long cmd)
{
	struct vfpga_kp_handle_arg a = { .argsz = sizeof(a) };

	if (!kp)
		return -EINVAL;
	a.handle = kp->handle;
	return vfpga_ioctl(kp->dev, cmd, &a);
}

int vfpga_kp_int_enable(struct vfpga_kp *kp)
{
	if (kp && kp->user)
		return vfpga_kp_user_int_enable(kp->user);
	return kp_handle_ioctl(kp, VFPGA_KP_INT_ENABLE);
}

int vfpga_kp_int_disable(struct vfpga_kp *kp)
{
	if (kp && kp->user)
		return vfpga_kp_user_int_disable(kp->user);
	return kp_handle_ioctl(kp, VFPGA_KP_INT_DISABLE);
}

int vfpga_kp_wait(struct vfpga_kp *kp, unsigned int timeout_ms,
		  struct vfpga_irq_event *ev)
{
	struct vfpga_kp_wait w = {
		.argsz = sizeof(w),
		.timeout_ms = timeout_ms,
	};
	int ret;

	if (!kp || !ev)
		return -EINVAL;
	if (kp->user)
		return vfpga_kp_user_wait(kp->user, timeout_ms, ev);
	w.handle = kp->handle;
	ret = vfpga_ioctl(kp->dev, VFPGA_KP_WAIT, &w);
	if (ret < 0)
		return ret;
	ev->count = w.count;
	ev->lost = w.lost;
	ev->total = w.total;
	return 0;
}

_Static_assert(VFPGA_KP_PERF_BUCKETS == VFPGA_KP_HIST_BUCKETS,
	       "libvfpga.h and the uapi agree on the histogram");

static void kp_perf_time(struct vfpga_kp_perf_time *t,
			 const struct vfpga_kp_timing_out *o)
{
	t->count = o->count;
	t->total_ns = o->total_ns;
	t->max_ns = o->max_ns;
	memcpy(t->hist, o->hist, sizeof(t->hist));
}

int vfpga_kp_perf(struct vfpga_kp *kp, struct vfpga_kp_perf *perf)
{
	struct vfpga_kp_stats st = { .argsz = sizeof(st) };
	int ret;

	if (!kp || !perf)
		return -EINVAL;
	if (kp->user)
		return -EOPNOTSUPP;
	st.handle = kp->handle;
	ret = vfpga_ioctl(kp->dev, VFPGA_KP_STATS, &st);
	if (ret < 0)
		return ret;
	perf->calls = st.calls;
	kp_perf_time(&perf->irql, &st.irql);
	kp_perf_time(&perf->dpc, &st.dpc);
	return 0;
}

int vfpga_kp_close(struct vfpga_kp *kp)
{
	int ret;

	if (!kp)
		return 0;
	if (kp->user)
		ret = vfpga_kp_user_close(kp->user);
	else
		ret = kp_handle_ioctl(kp, VFPGA_KP_CLOSE);
	free(kp);
	return ret;
}
