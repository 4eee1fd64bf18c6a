// SPDX-License-Identifier: GPL-2.0
/*
 * vfpga core driver: the board's user interrupts given to a kernel plugin
 * (VFPGA_KP_INT_ENABLE): int_at_irql from the interrupt handler,
 * int_at_dpc from a work item, with the number of requests since its
 * previous run, waking VFPGA_KP_WAIT callers as many times as it says.
 */
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "vfpga_kp_priv.h"

static unsigned int irql_warn_us = 100;
module_param(irql_warn_us, uint, 0644);
MODULE_PARM_DESC(irql_warn_us,
		 "warn once per plugin when int_at_irql runs longer (us)");

/* Deferred part: what int_at_irql asked for since the previous run. */
void vfpga_kp_dpc(struct work_struct *work)
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

int vfpga_kp_int_enable(struct vfpga_kp_handle *h)
{
	struct vfpga_dev *vd = h->vd;
	unsigned long flags;
	int ret = 0;

	mutex_lock(&h->int_lock);
	if (h->int_enabled)
		goto out;
	/*
	 * Closed by another thread of the file after this one looked the
	 * handle up: its last reference may drop as soon as we return, so
	 * it must never be published in vd->kp_irq.
	 */
	if (h->closed) {
		ret = -EINVAL;
		goto out;
	}
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

void vfpga_kp_int_disable(struct vfpga_kp_handle *h)
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
