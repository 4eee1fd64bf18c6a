/* SPDX-License-Identifier: MIT */
/*
 * vfpga new-plugin: write a plugin project (the plugin, its message
 * header, a test program, Kbuild, Makefile, README) from the templates in
 * plugin-template/, which the build embeds into the tool; vfpga
 * new-board: a board's user-logic project, from
 * user-logic/board-template/.
 */
#ifndef VFPGA_CLI_NEW_PLUGIN_H
#define VFPGA_CLI_NEW_PLUGIN_H

#include <stddef.h>

struct vfpga_device;

/* A template: the file it becomes and its text, placeholders and all. */
struct plugin_template {
	const char *name;
	const char *text;
};

/* Generated from plugin-template/ by embed-templates.sh. */
extern const struct plugin_template plugin_templates[];
extern const size_t plugin_templates_count;
/* Generated from user-logic/board-template/ likewise. */
extern const struct plugin_template board_templates[];
extern const size_t board_templates_count;

/*
 * new-plugin NAME [DIR]: @dev is unused (no board is needed).  Returns
 * the tool's exit status: 0, 1 (DIR not empty, a write failed), 2 (bad
 * NAME), or -2 for a wrong number of arguments (the caller prints the
 * usage).
 */
int cmd_new_plugin(struct vfpga_device *dev, int argc, char **argv);

/* new-board NAME [DIR]: as new-plugin, for a user-logic project. */
int cmd_new_board(struct vfpga_device *dev, int argc, char **argv);

/*
 * rtl build [-o DIR] [--top NAME] [--trace] TOP.v [FILES...] (userlib/cli/
 * rtl.c): @dev is unused.  The tool's exit status, or -2 for the usage.
 */
int cmd_rtl(struct vfpga_device *dev, int argc, char **argv);

#endif
