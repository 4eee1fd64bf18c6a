// SPDX-License-Identifier: GPL-2.0
/*
 * vfpga core driver: where one DMA transfer's time goes.  Every transfer
 * that completes by interrupt adds the nanoseconds it spent in each stage
 * to its path's sums (a kernel plugin's vfpga_kp_dma_xfer(), or the
 * VFPGA_DMA_XFER ioctl), in debugfs as vfpga/dma-stages/<board>, one
 * "path_stage_ns: sum" per line.  A reader takes the difference of two
 * reads over a run and divides by the transfers: `make bench` does.  The
 * stamps are ktime_get_ns(), a few clock reads per transfer, so the
 * accounting is always on and costs what it measures.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "vfpga_drv.h"

static const char *const vfpga_dma_path_names[VFPGA_DMA_PATHS] = {
	[VFPGA_DMA_PATH_KP] = "kp",
	[VFPGA_DMA_PATH_IOCTL] = "ioctl",
};

/* Stage i runs from stamp i to stamp i + 1 of struct vfpga_dma_stamps. */
static const char *const vfpga_dma_stage_names[VFPGA_DMA_STAGES] = {
	"setup", "doorbell", "engine_irq", "wake", "stop", "teardown",
};

void vfpga_dma_stages_add(struct vfpga_dev *vd, enum vfpga_dma_path path,
			  struct vfpga_dma_stamps *st)
{
	struct vfpga_dma_stages *s = &vd->dma_stages[path];
	u64 *t = st->ns;
	unsigned int i;

	t[VFPGA_DMA_STAGES] = ktime_get_ns();
	/* An interrupt taken inside the doorbell write stamps before it ends. */
	if (t[3] < t[2])
		t[3] = t[2];
	for (i = 0; i < VFPGA_DMA_STAGES; i++)
		atomic64_add(t[i + 1] - t[i], &s->ns[i]);
	atomic64_inc(&s->transfers);
}

static int vfpga_dma_stages_show(struct seq_file *m, void *unused)
{
	struct vfpga_dev *vd = m->private;
	unsigned int p, i;

	seq_puts(m, "# per path: transfers completed by interrupt, and the ns they spent in each stage, summed\n");
	for (p = 0; p < VFPGA_DMA_PATHS; p++) {
		seq_printf(m, "%s_transfers: %lld\n", vfpga_dma_path_names[p],
			   atomic64_read(&vd->dma_stages[p].transfers));
		for (i = 0; i < VFPGA_DMA_STAGES; i++)
			seq_printf(m, "%s_%s_ns: %lld\n",
				   vfpga_dma_path_names[p],
				   vfpga_dma_stage_names[i],
				   atomic64_read(&vd->dma_stages[p].ns[i]));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfpga_dma_stages);

/* Debugfs is best effort: an error here fails nothing. */
void vfpga_dma_stages_debugfs_add(struct vfpga_dev *vd)
{
	vd->dma_stages_dentry = debugfs_create_file(dev_name(&vd->dev), 0444,
						    vfpga_debugfs_stages_dir(),
						    vd, &vfpga_dma_stages_fops);
}

void vfpga_dma_stages_debugfs_remove(struct vfpga_dev *vd)
{
	debugfs_remove(vd->dma_stages_dentry);	/* waits for readers */
	vd->dma_stages_dentry = NULL;
}
