// SPDX-License-Identifier: GPL-2.0
/*
 * vfpga core driver: the kernel-plugin registry (vfpga_kp.h).  Plugins
 * register by name, with their ops; a file opens one on its board as a
 * handle (vfpga_kp_handle.c).  Here too: the calls the core exports to
 * plugins (register access, waits, time, log) and each plugin's figures.
 */
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "vfpga_kp_priv.h"

static DEFINE_MUTEX(vfpga_kp_mutex);	/* the registry */
static LIST_HEAD(vfpga_kp_plugins);

static struct vfpga_kp_plugin *vfpga_kp_find(const char *name)
{
	struct vfpga_kp_plugin *p;

	list_for_each_entry(p, &vfpga_kp_plugins, node)
		if (!strcmp(p->ops->name, name))
			return p;
	return NULL;
}

/*
 * A plugin module is open to handles only once its init has returned: a
 * module still COMING may yet fail its init and be freed without waiting
 * for references (try_module_get() accepts it), so a handle opened from
 * its init would call into freed memory.
 */
static bool vfpga_kp_owner_live(const struct vfpga_kp_ops *ops)
{
	return READ_ONCE(ops->owner->state) == MODULE_STATE_LIVE;
}

/*
 * The plugin registered as @name, with a reference on its module that the
 * caller drops with module_put(p->ops->owner); NULL if there is none, or
 * its module is not (or no longer) live.
 */
struct vfpga_kp_plugin *vfpga_kp_plugin_get(const char *name)
{
	struct vfpga_kp_plugin *p;

	mutex_lock(&vfpga_kp_mutex);
	p = vfpga_kp_find(name);
	if (p && !(vfpga_kp_owner_live(p->ops) &&
		   try_module_get(p->ops->owner)))
		p = NULL;
	mutex_unlock(&vfpga_kp_mutex);
	return p;
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

/*
 * The mapped address of a register, or NULL for a bad access or a board
 * that is gone.  Called in an RCU read-side section that lasts until the
 * access is done: remove() sets gone, then waits for such sections
 * (synchronize_rcu()) before the BARs are unmapped, so a plugin may call
 * the accessors from any context, its own timers and threads too.
 */
static void __iomem *vfpga_kp_reg(struct vfpga_kp_handle *h,
				  unsigned int bar, u64 offset,
				  unsigned int width)
{
	void __iomem *addr;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "BAR access outside RCU");
	if (READ_ONCE(h->vd->gone) ||
	    vfpga_bar_addr(h->vd, bar, offset, width, &addr))
		return NULL;
	return addr;
}

u32 vfpga_kp_read32(struct vfpga_kp_handle *h, unsigned int bar, u64 offset)
{
	void __iomem *addr;
	u32 v = U32_MAX;

	rcu_read_lock();
	addr = vfpga_kp_reg(h, bar, offset, 4);
	if (addr)
		v = readl(addr);
	rcu_read_unlock();
	return v;
}
EXPORT_SYMBOL_GPL(vfpga_kp_read32);

void vfpga_kp_write32(struct vfpga_kp_handle *h, unsigned int bar,
		      u64 offset, u32 value)
{
	void __iomem *addr;

	rcu_read_lock();
	addr = vfpga_kp_reg(h, bar, offset, 4);
	if (addr)
		writel(value, addr);
	rcu_read_unlock();
}
EXPORT_SYMBOL_GPL(vfpga_kp_write32);

u64 vfpga_kp_read64(struct vfpga_kp_handle *h, unsigned int bar, u64 offset)
{
	void __iomem *addr;
	u64 v = U64_MAX;

	rcu_read_lock();
	addr = vfpga_kp_reg(h, bar, offset, 8);
	if (addr)
		v = readq(addr);
	rcu_read_unlock();
	return v;
}
EXPORT_SYMBOL_GPL(vfpga_kp_read64);

void vfpga_kp_write64(struct vfpga_kp_handle *h, unsigned int bar,
		      u64 offset, u64 value)
{
	void __iomem *addr;

	rcu_read_lock();
	addr = vfpga_kp_reg(h, bar, offset, 8);
	if (addr)
		writeq(value, addr);
	rcu_read_unlock();
}
EXPORT_SYMBOL_GPL(vfpga_kp_write64);

bool vfpga_kp_dying(struct vfpga_kp_handle *h)
{
	return vfpga_dying(h->vd);
}
EXPORT_SYMBOL_GPL(vfpga_kp_dying);

/*
 * Plugins sleep on the board's kp_wq, which remove() and a surprise
 * removal wake (as they wake VFPGA_KP_WAIT callers): a wait here ends
 * when the board goes away, so remove() never waits on a plugin's call
 * for an interrupt that cannot come.
 */
int vfpga_kp_wait_until(struct vfpga_kp_handle *h, bool (*done)(void *arg),
			void *arg, unsigned int timeout_ms)
{
	struct vfpga_dev *vd = h->vd;
	long left;

	might_sleep();
	left = wait_event_interruptible_timeout(vd->kp_wq,
						done(arg) || vfpga_dying(vd),
						msecs_to_jiffies(timeout_ms));
	if (done(arg))
		return 0;
	if (vfpga_dying(vd))
		return -ENODEV;
	return left < 0 ? -EINTR : -ETIMEDOUT;
}
EXPORT_SYMBOL_GPL(vfpga_kp_wait_until);

void vfpga_kp_wake(struct vfpga_kp_handle *h)
{
	wake_up_interruptible_all(&h->vd->kp_wq);
}
EXPORT_SYMBOL_GPL(vfpga_kp_wake);

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

void vfpga_kp_account(struct vfpga_kp_plugin *p, struct vfpga_kp_timing *t,
		      u64 ns)
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
