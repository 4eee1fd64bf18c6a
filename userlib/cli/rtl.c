// SPDX-License-Identifier: MIT
/*
 * vfpga rtl build [-o DIR] [--top NAME] [--trace] TOP.v [FILES...]: the
 * team's Verilog as a user-logic plug-in, DIR/NAME.so (DIR default ".",
 * NAME default TOP.v's base name, which is also the top module).  It runs
 * make on include/vfpga/rtl/build.mk (vfpga-rtl.mk), found in $VFPGA_DIR
 * (a source tree or an installed prefix), else in the source tree the
 * tool was built from, else in PREFIX: Verilator with -Wall, whose
 * messages name the design's own files and lines, then the bridge.  A
 * second run rebuilds only what a changed source needs.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "new_plugin.h"

#define EXIT_FAIL	1
#define EXIT_USAGE	2
#define MAX_ARGS	512

#ifndef VFPGA_SRC_INCLUDE
#define VFPGA_SRC_INCLUDE ""
#endif
#ifndef VFPGA_PREFIX_INCLUDE
#define VFPGA_PREFIX_INCLUDE "/usr/local/include/vfpga"
#endif

/* @dir/rtl/build.mk exists: @out gets it. */
static int try_dir(const char *dir, char *out, size_t len)
{
	int n;

	if (!*dir)
		return 0;
	n = snprintf(out, len, "%s/rtl/build.mk", dir);
	return n > 0 && (size_t)n < len && access(out, R_OK) == 0;
}

static int find_build_mk(char *out, size_t len)
{
	const char *env = getenv("VFPGA_DIR");
	char dir[PATH_MAX];

	if (env && *env) {
		snprintf(dir, sizeof(dir), "%s/include/vfpga", env);
		if (try_dir(dir, out, len))
			return 0;
		fprintf(stderr, "vfpga: rtl build: VFPGA_DIR=%s has no include/vfpga/rtl/build.mk\n",
			env);
		return -1;
	}
	if (try_dir(VFPGA_SRC_INCLUDE, out, len) ||
	    try_dir(VFPGA_PREFIX_INCLUDE, out, len))
		return 0;
	fprintf(stderr, "vfpga: rtl build: no include/vfpga/rtl/build.mk in %s or %s (set VFPGA_DIR)\n",
		*VFPGA_SRC_INCLUDE ? VFPGA_SRC_INCLUDE : "the source tree",
		VFPGA_PREFIX_INCLUDE);
	return -1;
}

/* A module name: a letter or '_', then letters, digits, '_'. */
static int name_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || n > 31 || !(s[0] == '_' || ((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z')))
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!(c == '_' || (c >= '0' && c <= '9') ||
		      ((c | 32) >= 'a' && (c | 32) <= 'z')))
			return 0;
	}
	return 1;
}

/* Make's variables take the sources as one word list: no spaces allowed. */
static char *join_abs(char **files, int n)
{
	size_t len = 1;
	char *out, real[PATH_MAX];
	int i;

	for (i = 0; i < n; i++)
		len += PATH_MAX + 1;
	out = calloc(1, len);
	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (!realpath(files[i], real)) {
			fprintf(stderr, "vfpga: rtl build: %s: %s\n", files[i],
				strerror(errno));
			free(out);
			return NULL;
		}
		if (strpbrk(real, " \t\n$#")) {
			fprintf(stderr, "vfpga: rtl build: %s: a path with spaces, '$' or '#' cannot go to make\n",
				real);
			free(out);
			return NULL;
		}
		if (i)
			strcat(out, " ");
		strcat(out, real);
	}
	return out;
}

int cmd_rtl(struct vfpga_device *dev, int argc, char **argv)
{
	const char *outdir = ".", *top = NULL, *base, *dot;
	char mk[PATH_MAX], realout[PATH_MAX], name[32];
	char v_top[64], v_out[PATH_MAX + 16], v_trace[16];
	char *srcs, *args[16];
	int i, trace = 0, status;
	pid_t pid;

	(void)dev;
	if (argc < 1 || strcmp(argv[0], "build"))
		return -EXIT_USAGE;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			outdir = argv[++i];
		} else if (!strcmp(argv[i], "--top") && i + 1 < argc) {
			top = argv[++i];
		} else if (!strcmp(argv[i], "--trace")) {
			trace = 1;
		} else {
			fprintf(stderr, "vfpga: rtl build: unknown option '%s'\n",
				argv[i]);
			return EXIT_USAGE;
		}
	}
	if (i >= argc)
		return -EXIT_USAGE;
	if (!top) {
		base = strrchr(argv[i], '/');
		base = base ? base + 1 : argv[i];
		dot = strchr(base, '.');
		snprintf(name, sizeof(name), "%.*s",
			 (int)(dot ? (size_t)(dot - base) : strlen(base)), base);
		top = name;
	}
	if (!name_ok(top, strlen(top))) {
		fprintf(stderr, "vfpga: rtl build: bad top module name '%s' (1 to 31 letters, digits and '_'; --top NAME names it)\n",
			top);
		return EXIT_USAGE;
	}
	if (!realpath(outdir, realout)) {
		fprintf(stderr, "vfpga: rtl build: -o %s: %s\n", outdir,
			strerror(errno));
		return EXIT_FAIL;
	}
	if (find_build_mk(mk, sizeof(mk)))
		return EXIT_FAIL;
	srcs = join_abs(argv + i, argc - i);
	if (!srcs)
		return EXIT_FAIL;

	snprintf(v_top, sizeof(v_top), "RTL_TOP=%s", top);
	snprintf(v_out, sizeof(v_out), "RTL_OUT=%s", realout);
	snprintf(v_trace, sizeof(v_trace), "RTL_TRACE=%d", trace);
	args[0] = "make";
	args[1] = "-s";
	args[2] = "-f";
	args[3] = mk;
	args[4] = v_top;
	args[5] = v_out;
	args[6] = v_trace;
	args[7] = malloc(strlen(srcs) + 16);
	if (!args[7]) {
		free(srcs);
		return EXIT_FAIL;
	}
	sprintf(args[7], "RTL_SRCS=%s", srcs);
	args[8] = NULL;
	free(srcs);

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "vfpga: rtl build: fork: %s\n", strerror(errno));
		free(args[7]);
		return EXIT_FAIL;
	}
	if (pid == 0) {
		execvp("make", args);
		fprintf(stderr, "vfpga: rtl build: make: %s\n", strerror(errno));
		_exit(127);
	}
	free(args[7]);
	if (waitpid(pid, &status, 0) < 0) {
		fprintf(stderr, "vfpga: rtl build: waitpid: %s\n", strerror(errno));
		return EXIT_FAIL;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "vfpga: rtl build: the build failed (the messages above name the file and line)\n");
		return EXIT_FAIL;
	}
	printf("%s/%s.so: user logic %s, for -device vfpga,user-logic=%s/%s.so\n",
	       realout, top, top, realout, top);
	return 0;
}
