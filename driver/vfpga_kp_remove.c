// SPDX-License-Identifier: GPL-2.0
/*
 * vfpga core driver: telling kernel plugins that their board is gone, from
 * remove() or, after a surprise removal, from a work item.
 */
#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/workqueue.h>

#include "vfpga_kp_priv.h"

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
