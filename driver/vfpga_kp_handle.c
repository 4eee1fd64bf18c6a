// SPDX-License-Identifier: GPL-2.0
/*
 * vfpga core driver: kernel-plugin handles and the VFPGA_KP_* ioctls.  A
 * file opens a registered plugin on its board as a handle, calls it with
 * messages, gives it the user interrupts (vfpga_kp_irq.c), waits for the
 * wake-ups it asks for, and closes it.
 */
#include <linux/kref.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "vfpga_kp_priv.h"

/* Message and reply up to this size go on the stack in VFPGA_KP_CALL. */
#define VFPGA_KP_CALL_STACK	256

struct vfpga_dev *vfpga_kp_dev(struct vfpga_kp_handle *h)
{
	return h->vd;
}

struct vfpga_kp_dma_bufs *vfpga_kp_bufs(struct vfpga_kp_handle *h)
{
	return &h->dma;
}

static void vfpga_kp_release(struct kref *ref)
{
	struct vfpga_kp_handle *h = container_of(ref, struct vfpga_kp_handle,
						 ref);
	struct module *owner = h->ops->owner;

	/* Whoever took the handle from its file disabled its interrupts. */
	WARN_ON_ONCE(h->int_enabled);
	if (h->ops->close)
		h->ops->close(h, h->ctx);
	vfpga_kp_dma_release(h);
	kfree(h->ctx);
	kfree(h);
	module_put(owner);
}

static void vfpga_kp_put(struct vfpga_kp_handle *h)
{
	kref_put(&h->ref, vfpga_kp_release);
}

static struct vfpga_kp_handle *vfpga_kp_get(struct vfpga_file *vf, u32 id)
{
	struct vfpga_kp_handle *h;

	xa_lock(&vf->kp_handles);
	h = xa_load(&vf->kp_handles, id);
	if (h)
		kref_get(&h->ref);
	xa_unlock(&vf->kp_handles);
	return h;
}

/*
 * Take @id away from the file: the caller holds the file's reference.
 * Once closed, no other thread of the file can enable the handle's
 * interrupts (it may have looked it up just before), and its waiters in
 * VFPGA_KP_WAIT leave.
 */
static void vfpga_kp_close(struct vfpga_kp_handle *h)
{
	mutex_lock(&h->int_lock);
	WRITE_ONCE(h->closed, true);
	mutex_unlock(&h->int_lock);
	vfpga_kp_int_disable(h);
	wake_up_interruptible_all(&h->vd->kp_wq);
	vfpga_kp_put(h);
}

static int vfpga_kp_open(struct vfpga_dev *vd, struct vfpga_file *vf,
			 const char *name, u32 *id)
{
	const struct vfpga_kp_ops *ops;
	struct vfpga_kp_plugin *p;
	struct vfpga_kp_handle *h;
	int ret;

	p = vfpga_kp_plugin_get(name);
	if (!p)
		return -ENOENT;
	ops = p->ops;

	ret = -ENOMEM;
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		goto err_put;
	h->ctx = kzalloc(ops->ctx_size ?: 1, GFP_KERNEL);
	if (!h->ctx)
		goto err_free;
	h->vd = vd;
	h->ops = ops;
	h->plugin = p;
	kref_init(&h->ref);
	mutex_init(&h->int_lock);
	INIT_WORK(&h->dpc_work, vfpga_kp_dpc);
	spin_lock_init(&h->seen_lock);
	vfpga_kp_dma_init(&h->dma);

	ret = ops->open ? ops->open(h, h->ctx) : 0;
	if (ret) {
		vfpga_kp_dma_release(h);
		goto err_free;
	}
	ret = xa_alloc(&vf->kp_handles, id, h,
		       XA_LIMIT(1, VFPGA_KP_HANDLES_MAX), GFP_KERNEL);
	if (ret) {
		vfpga_kp_put(h);	/* runs close, drops the module */
		return ret == -EBUSY ? -ENOSPC : ret;
	}
	return 0;

err_free:
	kfree(h->ctx);
	kfree(h);
err_put:
	module_put(ops->owner);
	return ret;
}

static long vfpga_kp_ioctl_open(struct vfpga_dev *vd, struct vfpga_file *vf,
				unsigned long uarg)
{
	struct vfpga_kp_open o;
	struct vfpga_kp_handle *h;
	int ret;

	ret = vfpga_get_arg(&o, pad, uarg);
	if (ret)
		return ret;
	if (o.pad)
		return -EINVAL;
	if (!memchr(o.name, 0, sizeof(o.name)))
		return -EINVAL;
	ret = vfpga_kp_open(vd, vf, o.name, &o.handle);
	if (ret)
		return ret;
	ret = vfpga_put_arg(uarg, &o, sizeof(o));
	if (ret) {
		h = xa_erase(&vf->kp_handles, o.handle);
		if (h)
			vfpga_kp_close(h);
	}
	return ret;
}

static long vfpga_kp_ioctl_call(struct vfpga_file *vf, unsigned long uarg)
{
	struct vfpga_kp_handle *h;
	struct vfpga_kp_call c;
	u8 small[VFPGA_KP_CALL_STACK];
	size_t out_size;
	void *buf;
	int ret;

	ret = vfpga_get_arg(&c, pad, uarg);
	if (ret)
		return ret;
	if (c.pad)
		return -EINVAL;
	if (c.in_size > VFPGA_KP_MSG_MAX || c.out_size > VFPGA_KP_MSG_MAX)
		return -E2BIG;
	h = vfpga_kp_get(vf, c.handle);
	if (!h)
		return -EINVAL;

	/*
	 * One buffer: the message, then room for the reply, zeroed.  Small
	 * messages, the common case, stay on the stack: no allocation on
	 * the round trip.
	 */
	ret = -ENOMEM;
	if (c.in_size + c.out_size <= sizeof(small)) {
		buf = small;
		memset(buf, 0, c.in_size + c.out_size);
	} else {
		buf = kzalloc(c.in_size + c.out_size, GFP_KERNEL);
	}
	if (!buf)
		goto out_put;
	ret = -EFAULT;
	if (copy_from_user(buf, u64_to_user_ptr(c.in), c.in_size))
		goto out_free;

	out_size = c.out_size;
	spin_lock_irq(&h->plugin->stats_lock);
	h->plugin->calls++;
	spin_unlock_irq(&h->plugin->stats_lock);
	ret = h->ops->call ? h->ops->call(h, h->ctx, c.msg, buf, c.in_size,
					  buf + c.in_size, &out_size) :
			     -ENOMSG;
	if (ret < 0)
		goto out_free;
	if (out_size > c.out_size) {
		dev_warn_once(&h->vd->dev,
			      "plugin %s: reply of %zu bytes to %u: dropped\n",
			      h->ops->name, out_size, c.out_size);
		ret = -EOVERFLOW;
		goto out_free;
	}
	c.result = ret;
	c.out_size = out_size;
	ret = -EFAULT;
	if (copy_to_user(u64_to_user_ptr(c.out), buf + c.in_size, out_size))
		goto out_free;
	ret = vfpga_put_arg(uarg, &c, sizeof(c));
out_free:
	if (buf != small)
		kfree(buf);
out_put:
	vfpga_kp_put(h);
	return ret;
}

/* Closed under the wait: no longer a handle of this file (-EINVAL). */
static int vfpga_kp_wait(struct vfpga_dev *vd, struct vfpga_kp_handle *h,
			 struct vfpga_kp_wait *w)
{
	const struct vfpga_count_wait cw = {
		.wq = &vd->kp_wq,
		.count = &h->wakeups,
		.seen = &h->seen,
		.lock = &h->seen_lock,
		.closed = &h->closed,
	};
	int ret;

	ret = vfpga_wait_count(vd, &cw, w->timeout_ms, &w->count, &w->total);
	if (ret)
		return ret;
	w->lost = w->count - 1;
	return 0;
}

static long vfpga_kp_ioctl_wait(struct vfpga_dev *vd, struct vfpga_file *vf,
				unsigned long uarg)
{
	struct vfpga_kp_handle *h;
	struct vfpga_kp_wait w;
	int ret;

	ret = vfpga_get_arg(&w, total, uarg);
	if (ret)
		return ret;
	h = vfpga_kp_get(vf, w.handle);
	if (!h)
		return -EINVAL;
	ret = vfpga_kp_wait(vd, h, &w);
	vfpga_kp_put(h);
	if (ret)
		return ret;
	return vfpga_put_arg(uarg, &w, sizeof(w));
}

static long vfpga_kp_ioctl_stats(struct vfpga_file *vf, unsigned long uarg)
{
	struct vfpga_kp_handle *h;
	struct vfpga_kp_stats *st;
	int ret;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	ret = vfpga_get_arg(st, dpc, uarg);
	if (!ret && st->pad)
		ret = -EINVAL;
	if (ret)
		goto out;
	ret = -EINVAL;
	h = vfpga_kp_get(vf, st->handle);
	if (!h)
		goto out;
	vfpga_kp_plugin_stats(h->plugin, st);
	st->pad = 0;
	vfpga_kp_put(h);
	ret = vfpga_put_arg(uarg, st, sizeof(*st));
out:
	kfree(st);
	return ret;
}

static long vfpga_kp_ioctl_handle(struct vfpga_file *vf, unsigned int cmd,
				  unsigned long uarg)
{
	struct vfpga_kp_handle_arg a;
	struct vfpga_kp_handle *h;
	int ret;

	ret = vfpga_get_arg(&a, pad, uarg);
	if (ret)
		return ret;
	if (a.pad)
		return -EINVAL;
	if (cmd == VFPGA_KP_CLOSE) {
		h = xa_erase(&vf->kp_handles, a.handle);
		if (!h)
			return -EINVAL;
		vfpga_kp_close(h);
		return 0;
	}
	h = vfpga_kp_get(vf, a.handle);
	if (!h)
		return -EINVAL;
	if (cmd == VFPGA_KP_INT_ENABLE)
		ret = vfpga_kp_int_enable(h);
	else
		vfpga_kp_int_disable(h);
	vfpga_kp_put(h);
	return ret;
}

/* The VFPGA_KP_* ioctls, called with vd->lock held for reading. */
long vfpga_kp_ioctl(struct vfpga_dev *vd, struct vfpga_file *vf,
		    unsigned int cmd, unsigned long uarg)
{
	switch (cmd) {
	case VFPGA_KP_OPEN:
		return vfpga_kp_ioctl_open(vd, vf, uarg);
	case VFPGA_KP_CALL:
		return vfpga_kp_ioctl_call(vf, uarg);
	case VFPGA_KP_WAIT:
		return vfpga_kp_ioctl_wait(vd, vf, uarg);
	case VFPGA_KP_STATS:
		return vfpga_kp_ioctl_stats(vf, uarg);
	case VFPGA_KP_CLOSE:
	case VFPGA_KP_INT_ENABLE:
	case VFPGA_KP_INT_DISABLE:
		return vfpga_kp_ioctl_handle(vf, cmd, uarg);
	}
	return -ENOTTY;
}

/* Close every handle of a file that is being released. */
void vfpga_kp_file_release(struct vfpga_dev *vd, struct vfpga_file *vf)
{
	struct vfpga_kp_handle *h;
	unsigned long id;

	/* Under the lock, so that remove() cannot unmap the BARs meanwhile. */
	down_read(&vd->lock);
	xa_for_each(&vf->kp_handles, id, h) {
		xa_erase(&vf->kp_handles, id);
		vfpga_kp_close(h);
	}
	up_read(&vd->lock);
	xa_destroy(&vf->kp_handles);
}
