// SPDX-License-Identifier: GPL-2.0
/*
 * vfpga core driver: kernel plugins (kp/vfpga_kp.h).  Plugins register by
 * name; a file opens one on its board as a handle, calls it with messages,
 * and may give it the board's user interrupts: int_at_irql from the
 * interrupt handler, int_at_dpc from a work item, with the number of
 * requests since its previous run, waking VFPGA_KP_WAIT callers as many
 * times as it says.
 */
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/kref.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "vfpga_drv.h"
#include "vfpga_kp.h"

static unsigned int irql_warn_us = 100;
module_param(irql_warn_us, uint, 0644);
MODULE_PARM_DESC(irql_warn_us,
		 "warn once per plugin when int_at_irql runs longer (us)");

/* Time spent in one callback, summed over every handle of a plugin. */
struct vfpga_kp_timing {
	u64 count;
	u64 total_ns;
	u64 max_ns;
	u64 hist[VFPGA_KP_HIST_BUCKETS];
};

struct vfpga_kp_plugin {
	struct list_head node;
	const struct vfpga_kp_ops *ops;
	spinlock_t stats_lock;		/* the fields below */
	u64 calls;
	struct vfpga_kp_timing irql;
	struct vfpga_kp_timing dpc;
	bool irql_warned;
	struct dentry *debugfs;		/* vfpga/plugins/<name> */
};

/* Message and reply up to this size go on the stack in VFPGA_KP_CALL. */
#define VFPGA_KP_CALL_STACK	256

static DEFINE_MUTEX(vfpga_kp_mutex);	/* the registry */
static LIST_HEAD(vfpga_kp_plugins);

struct vfpga_kp_handle {
	struct vfpga_dev *vd;
	const struct vfpga_kp_ops *ops;
	struct vfpga_kp_plugin *plugin;
	void *ctx;
	struct kref ref;
	struct mutex int_lock;		/* int_enabled */
	bool int_enabled;
	struct work_struct dpc_work;
	atomic_t dpc_requests;		/* since int_at_dpc last ran */
	atomic64_t wakeups;
	spinlock_t seen_lock;		/* seen, between waiters */
	u64 seen;			/* wakeups at the last wait */
	struct vfpga_kp_dma_bufs dma;	/* vfpga_kp_dma_alloc()ed */
};

struct vfpga_dev *vfpga_kp_dev(struct vfpga_kp_handle *h)
{
	return h->vd;
}

struct vfpga_kp_dma_bufs *vfpga_kp_bufs(struct vfpga_kp_handle *h)
{
	return &h->dma;
}

static struct vfpga_kp_plugin *vfpga_kp_find(const char *name)
{
	struct vfpga_kp_plugin *p;

	list_for_each_entry(p, &vfpga_kp_plugins, node)
		if (!strcmp(p->ops->name, name))
			return p;
	return NULL;
}

int vfpga_kp_register(const struct vfpga_kp_ops *ops)
{
	struct vfpga_kp_plugin *p;
	int ret;

	if (!ops->name || !ops->name[0] ||
	    strlen(ops->name) >= VFPGA_KP_NAME_SIZE || !ops->owner)
		return -EINVAL;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->ops = ops;
	spin_lock_init(&p->stats_lock);

	mutex_lock(&vfpga_kp_mutex);
	if (vfpga_kp_find(ops->name)) {
		ret = -EEXIST;
		goto err;
	}
	ret = ops->init ? ops->init() : 0;
	if (ret)
		goto err;
	list_add_tail(&p->node, &vfpga_kp_plugins);
	p->debugfs = vfpga_kp_debugfs_add(ops->name, p);
	mutex_unlock(&vfpga_kp_mutex);
	pr_info("vfpga: plugin %s registered\n", ops->name);
	return 0;
err:
	mutex_unlock(&vfpga_kp_mutex);
	kfree(p);
	return ret;
}
EXPORT_SYMBOL_GPL(vfpga_kp_register);

/* Called from the plugin's module exit: no handle has it open. */
void vfpga_kp_unregister(const struct vfpga_kp_ops *ops)
{
	struct vfpga_kp_plugin *p;

	mutex_lock(&vfpga_kp_mutex);
	p = vfpga_kp_find(ops->name);
	if (p && p->ops == ops)
		list_del(&p->node);
	else
		p = NULL;
	mutex_unlock(&vfpga_kp_mutex);
	if (!p)
		return;
	vfpga_kp_debugfs_remove(p->debugfs);	/* waits for readers */
	if (ops->event)
		ops->event(NULL, NULL, VFPGA_KP_EVENT_UNLOAD);
	kfree(p);
	pr_info("vfpga: plugin %s unregistered\n", ops->name);
}
EXPORT_SYMBOL_GPL(vfpga_kp_unregister);

/* The mapped address of a register, or NULL for a bad access. */
static void __iomem *vfpga_kp_reg(struct vfpga_kp_handle *h,
				  unsigned int bar, u64 offset,
				  unsigned int width)
{
	void __iomem *addr;

	if (READ_ONCE(h->vd->gone) ||
	    vfpga_bar_addr(h->vd, bar, offset, width, &addr))
		return NULL;
	return addr;
}

u32 vfpga_kp_read32(struct vfpga_kp_handle *h, unsigned int bar, u64 offset)
{
	void __iomem *addr = vfpga_kp_reg(h, bar, offset, 4);

	return addr ? readl(addr) : U32_MAX;
}
EXPORT_SYMBOL_GPL(vfpga_kp_read32);

void vfpga_kp_write32(struct vfpga_kp_handle *h, unsigned int bar,
		      u64 offset, u32 value)
{
	void __iomem *addr = vfpga_kp_reg(h, bar, offset, 4);

	if (addr)
		writel(value, addr);
}
EXPORT_SYMBOL_GPL(vfpga_kp_write32);

u64 vfpga_kp_read64(struct vfpga_kp_handle *h, unsigned int bar, u64 offset)
{
	void __iomem *addr = vfpga_kp_reg(h, bar, offset, 8);

	return addr ? readq(addr) : U64_MAX;
}
EXPORT_SYMBOL_GPL(vfpga_kp_read64);

void vfpga_kp_write64(struct vfpga_kp_handle *h, unsigned int bar,
		      u64 offset, u64 value)
{
	void __iomem *addr = vfpga_kp_reg(h, bar, offset, 8);

	if (addr)
		writeq(value, addr);
}
EXPORT_SYMBOL_GPL(vfpga_kp_write64);

u64 vfpga_kp_time_ns(void)
{
	return ktime_get_ns();
}
EXPORT_SYMBOL_GPL(vfpga_kp_time_ns);

void vfpga_kp_log(struct vfpga_kp_handle *h, enum vfpga_kp_level level,
		  const char *fmt, ...)
{
	static const char * const kern[] = {
		[VFPGA_KP_ERR] = KERN_ERR,
		[VFPGA_KP_WARN] = KERN_WARNING,
		[VFPGA_KP_INFO] = KERN_INFO,
		[VFPGA_KP_DEBUG] = KERN_DEBUG,
	};
	const char *lvl = kern[min_t(unsigned int, level, VFPGA_KP_DEBUG)];
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (h)
		dev_printk(lvl, &h->vd->dev, "plugin %s: %pV", h->ops->name,
			   &vaf);
	else if (level == VFPGA_KP_ERR)
		pr_err("vfpga plugin: %pV", &vaf);
	else if (level == VFPGA_KP_WARN)
		pr_warn("vfpga plugin: %pV", &vaf);
	else
		pr_info("vfpga plugin: %pV", &vaf);
	va_end(args);
}
EXPORT_SYMBOL_GPL(vfpga_kp_log);

/* Bucket i counts times below 2^(i + 8) ns; the last one, the rest. */
static unsigned int vfpga_kp_bucket(u64 ns)
{
	unsigned int b = ns >> 8 ? ilog2(ns >> 8) + 1 : 0;

	return min(b, VFPGA_KP_HIST_BUCKETS - 1);
}

static void vfpga_kp_account(struct vfpga_kp_plugin *p,
			     struct vfpga_kp_timing *t, u64 ns)
{
	unsigned long flags;

	spin_lock_irqsave(&p->stats_lock, flags);
	t->count++;
	t->total_ns += ns;
	if (ns > t->max_ns)
		t->max_ns = ns;
	t->hist[vfpga_kp_bucket(ns)]++;
	spin_unlock_irqrestore(&p->stats_lock, flags);
}

/* Deferred part: what int_at_irql asked for since the previous run. */
static void vfpga_kp_dpc(struct work_struct *work)
{
	struct vfpga_kp_handle *h = container_of(work, struct vfpga_kp_handle,
						 dpc_work);
	unsigned int count = atomic_xchg(&h->dpc_requests, 0);
	unsigned int wakes;
	u64 t0;

	if (!count || !h->ops->int_at_dpc)
		return;
	t0 = ktime_get_ns();
	wakes = h->ops->int_at_dpc(h, h->ctx, count);
	vfpga_kp_account(h->plugin, &h->plugin->dpc, ktime_get_ns() - t0);
	if (wakes) {
		atomic64_add(wakes, &h->wakeups);
		wake_up_interruptible(&h->vd->kp_wq);
	}
}

/*
 * From the interrupt handler of a vector that carries user lines, before
 * the core looks at them: does a plugin take the interrupt?  If not, the
 * core checks for pending user lines and acknowledges them itself.
 */
bool vfpga_kp_irq(struct vfpga_dev *vd)
{
	struct vfpga_kp_handle *h;
	bool mine = false, run_dpc = false;
	u64 t0, ns;

	if (!READ_ONCE(vd->kp_irq))
		return false;
	spin_lock(&vd->kp_irq_lock);
	h = vd->kp_irq;
	if (h && h->ops->int_at_irql) {
		t0 = ktime_get_ns();
		mine = h->ops->int_at_irql(h, h->ctx, &run_dpc);
		ns = ktime_get_ns() - t0;
		vfpga_kp_account(h->plugin, &h->plugin->irql, ns);
		if (ns > (u64)READ_ONCE(irql_warn_us) * NSEC_PER_USEC &&
		    !xchg(&h->plugin->irql_warned, true))
			dev_warn(&vd->dev,
				 "plugin %s: int_at_irql ran %llu ns (irql_warn_us=%u): keep it short\n",
				 h->ops->name, ns, irql_warn_us);
	}
	if (mine && run_dpc) {
		atomic_inc(&h->dpc_requests);
		queue_work(system_highpri_wq, &h->dpc_work);
	}
	spin_unlock(&vd->kp_irq_lock);
	return mine;
}

static int vfpga_kp_int_enable(struct vfpga_kp_handle *h)
{
	struct vfpga_dev *vd = h->vd;
	unsigned long flags;
	int ret = 0;

	mutex_lock(&h->int_lock);
	if (h->int_enabled)
		goto out;
	/* Only one handle of the board, and only one enable, at a time. */
	mutex_lock(&vd->kp_int_mutex);
	if (vd->kp_irq || vd->user_ack_lines) {
		ret = -EBUSY;
	} else {
		ret = h->ops->int_enable ? h->ops->int_enable(h, h->ctx) : 0;
		if (!ret) {
			spin_lock_irqsave(&vd->kp_irq_lock, flags);
			WRITE_ONCE(vd->kp_irq, h);
			spin_unlock_irqrestore(&vd->kp_irq_lock, flags);
			h->int_enabled = true;
		}
	}
	mutex_unlock(&vd->kp_int_mutex);
out:
	mutex_unlock(&h->int_lock);
	return ret;
}

static void vfpga_kp_int_disable(struct vfpga_kp_handle *h)
{
	struct vfpga_dev *vd = h->vd;
	unsigned long flags;

	mutex_lock(&h->int_lock);
	if (h->int_enabled) {
		mutex_lock(&vd->kp_int_mutex);
		spin_lock_irqsave(&vd->kp_irq_lock, flags);
		WRITE_ONCE(vd->kp_irq, NULL);
		spin_unlock_irqrestore(&vd->kp_irq_lock, flags);
		mutex_unlock(&vd->kp_int_mutex);
		/* No int_at_irql runs now; let the last deferred part run. */
		flush_work(&h->dpc_work);
		if (h->ops->int_disable)
			h->ops->int_disable(h, h->ctx);
		h->int_enabled = false;
	}
	mutex_unlock(&h->int_lock);
}

static void vfpga_kp_release(struct kref *ref)
{
	struct vfpga_kp_handle *h = container_of(ref, struct vfpga_kp_handle,
						 ref);
	struct module *owner = h->ops->owner;

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

/* Take @id away from the file: the caller holds the file's reference. */
static void vfpga_kp_close(struct vfpga_kp_handle *h)
{
	vfpga_kp_int_disable(h);
	vfpga_kp_put(h);
}

static int vfpga_kp_open(struct vfpga_dev *vd, struct vfpga_file *vf,
			 const char *name, u32 *id)
{
	const struct vfpga_kp_ops *ops = NULL;
	struct vfpga_kp_plugin *p;
	struct vfpga_kp_handle *h;
	int ret;

	mutex_lock(&vfpga_kp_mutex);
	p = vfpga_kp_find(name);
	if (p && try_module_get(p->ops->owner))
		ops = p->ops;
	else
		p = NULL;
	mutex_unlock(&vfpga_kp_mutex);
	if (!ops)
		return -ENOENT;

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

	ret = vfpga_get_arg(&o, sizeof(o), uarg);
	if (ret)
		return ret;
	if (!memchr(o.name, 0, sizeof(o.name)))
		return -EINVAL;
	ret = vfpga_kp_open(vd, vf, o.name, &o.handle);
	if (ret)
		return ret;
	o.pad = 0;
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

	ret = vfpga_get_arg(&c, sizeof(c), uarg);
	if (ret)
		return ret;
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
	c.pad = 0;
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

static int vfpga_kp_wait(struct vfpga_dev *vd, struct vfpga_kp_handle *h,
			 struct vfpga_kp_wait *w)
{
	u64 seen, total;
	long left;

	left = msecs_to_jiffies(w->timeout_ms);
	for (;;) {
		seen = READ_ONCE(h->seen);
		left = wait_event_interruptible_timeout(vd->kp_wq,
							atomic64_read(&h->wakeups) != seen ||
							vfpga_dying(vd), left);
		if (left < 0)
			return -EINTR;
		if (vfpga_dying(vd))
			return -ENODEV;
		spin_lock(&h->seen_lock);
		seen = h->seen;
		total = atomic64_read(&h->wakeups);
		WRITE_ONCE(h->seen, total);
		spin_unlock(&h->seen_lock);
		if (total != seen)
			break;
		if (!left)
			return -ETIMEDOUT;
	}
	w->count = total - seen;
	w->lost = w->count - 1;
	w->total = total;
	return 0;
}

static long vfpga_kp_ioctl_wait(struct vfpga_dev *vd, struct vfpga_file *vf,
				unsigned long uarg)
{
	struct vfpga_kp_handle *h;
	struct vfpga_kp_wait w;
	int ret;

	ret = vfpga_get_arg(&w, sizeof(w), uarg);
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

static void vfpga_kp_copy_timing(struct vfpga_kp_timing_out *o,
				 const struct vfpga_kp_timing *t)
{
	o->count = t->count;
	o->total_ns = t->total_ns;
	o->max_ns = t->max_ns;
	memcpy(o->hist, t->hist, sizeof(o->hist));
}

/* A snapshot of @p's figures into @st (VFPGA_KP_STATS, debugfs). */
void vfpga_kp_plugin_stats(struct vfpga_kp_plugin *p,
			   struct vfpga_kp_stats *st)
{
	spin_lock_irq(&p->stats_lock);
	st->calls = p->calls;
	vfpga_kp_copy_timing(&st->irql, &p->irql);
	vfpga_kp_copy_timing(&st->dpc, &p->dpc);
	spin_unlock_irq(&p->stats_lock);
}

static long vfpga_kp_ioctl_stats(struct vfpga_file *vf, unsigned long uarg)
{
	struct vfpga_kp_handle *h;
	struct vfpga_kp_stats *st;
	int ret;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	ret = vfpga_get_arg(st, sizeof(*st), uarg);
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

	ret = vfpga_get_arg(&a, sizeof(a), uarg);
	if (ret)
		return ret;
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

/*
 * The board is gone (no file operation running): take the interrupts back
 * from the plugins of @vf and tell them.
 */
static void vfpga_kp_file_removed(struct vfpga_file *vf)
{
	struct vfpga_kp_handle *h;
	unsigned long id;

	xa_for_each(&vf->kp_handles, id, h) {
		vfpga_kp_int_disable(h);
		if (h->ops->event)
			h->ops->event(h, h->ctx, VFPGA_KP_EVENT_REMOVED);
	}
}

/*
 * Tell every plugin handle of the board, once: from remove(), or from
 * kp_gone_work when the board stopped answering (surprise removal, where
 * remove() may never run).  The caller made sure that no file operation
 * runs and none will reach the board.
 */
void vfpga_kp_board_removed(struct vfpga_dev *vd)
{
	struct vfpga_file *vf;

	mutex_lock(&vd->files_lock);
	if (!vd->kp_removed) {
		vd->kp_removed = true;
		list_for_each_entry(vf, &vd->files, node)
			vfpga_kp_file_removed(vf);
	}
	mutex_unlock(&vd->files_lock);
}

void vfpga_kp_gone_work(struct work_struct *work)
{
	struct vfpga_dev *vd = container_of(work, struct vfpga_dev,
					    kp_gone_work);

	/* gone is set: once the running file operations leave, none runs. */
	down_write(&vd->lock);
	up_write(&vd->lock);
	vfpga_kp_board_removed(vd);
	put_device(&vd->dev);
}

/*
 * vfpga_check_gone() found the board gone, maybe inside a file operation:
 * tell the plugins from a work item, which holds the device meanwhile.
 */
void vfpga_kp_board_gone(struct vfpga_dev *vd)
{
	get_device(&vd->dev);
	if (!schedule_work(&vd->kp_gone_work))
		put_device(&vd->dev);
}
