// SPDX-License-Identifier: GPL-2.0
/*
 * vfpga core driver: the figures the core keeps for each kernel plugin
 * (the same as VFPGA_KP_STATS), in debugfs for a reader without a board
 * handle: /sys/kernel/debug/vfpga/plugins/<name>, one "name: value" per
 * line, each histogram on a line of its own.  The file is created when
 * the plugin registers and removed when it unregisters.  The same vfpga/
 * folder holds dma-stages/ (vfpga_dma_stages.c).
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "vfpga_drv.h"

static struct dentry *vfpga_debugfs;		/* vfpga/ */
static struct dentry *vfpga_debugfs_plugins;	/* vfpga/plugins/ */
static struct dentry *vfpga_debugfs_stages;	/* vfpga/dma-stages/ */

static void vfpga_kp_debugfs_timing(struct seq_file *m, const char *name,
				    const struct vfpga_kp_timing_out *t)
{
	unsigned int i;

	seq_printf(m, "%s_count: %llu\n", name, t->count);
	seq_printf(m, "%s_total_ns: %llu\n", name, t->total_ns);
	seq_printf(m, "%s_max_ns: %llu\n", name, t->max_ns);
	seq_printf(m, "%s_hist:", name);
	for (i = 0; i < VFPGA_KP_HIST_BUCKETS; i++)
		seq_printf(m, " %llu", t->hist[i]);
	seq_putc(m, '\n');
}

static int vfpga_kp_stats_show(struct seq_file *m, void *unused)
{
	struct vfpga_kp_stats st;

	vfpga_kp_plugin_stats(m->private, &st);
	seq_puts(m, "# calls to call; int_at_irql and int_at_dpc: runs, total and longest ns, histogram bucket i: runs below 2^(i+8) ns (the last: the rest)\n");
	seq_printf(m, "calls: %llu\n", st.calls);
	vfpga_kp_debugfs_timing(m, "irql", &st.irql);
	vfpga_kp_debugfs_timing(m, "dpc", &st.dpc);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfpga_kp_stats);

void vfpga_kp_debugfs_init(void)
{
	vfpga_debugfs = debugfs_create_dir("vfpga", NULL);
	vfpga_debugfs_plugins = debugfs_create_dir("plugins", vfpga_debugfs);
	vfpga_debugfs_stages = debugfs_create_dir("dma-stages", vfpga_debugfs);
}

/* vfpga/dma-stages/, for vfpga_dma_stages.c: one file per board. */
struct dentry *vfpga_debugfs_stages_dir(void)
{
	return vfpga_debugfs_stages;
}

void vfpga_kp_debugfs_exit(void)
{
	debugfs_remove(vfpga_debugfs);
}

/* Debugfs is best effort: an error here fails nothing. */
struct dentry *vfpga_kp_debugfs_add(const char *name,
				    struct vfpga_kp_plugin *p)
{
	return debugfs_create_file(name, 0444, vfpga_debugfs_plugins, p,
				   &vfpga_kp_stats_fops);
}

void vfpga_kp_debugfs_remove(struct dentry *d)
{
	debugfs_remove(d);
}
