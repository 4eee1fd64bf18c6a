// SPDX-License-Identifier: MIT
/*
 * vfpga new-plugin NAME [DIR]: write a complete, buildable plugin project
 * into DIR (default ./NAME), the way WinDriver's DriverWizard generates a
 * Kernel PlugIn project: NAME.c (the plugin, one source for kernel and
 * user mode), NAME.h (its messages), NAME_test.c (a test program), Kbuild,
 * Makefile, README.md and .gitignore.
 *
 * vfpga new-board NAME [DIR]: likewise a board's user-logic project, the
 * shared object QEMU's vfpga board loads (vfpga_user_logic.h): NAME.c
 * (the logic), NAME_regs.h (its registers), NAME_test.c (a guest
 * program), NAME.board (a preset), Makefile, README.md and .gitignore.
 *
 * The files come from the templates plugin-template/FILE.in and
 * user-logic/board-template/FILE.in, embedded at build time
 * (embed-templates.sh); "@NAME@" and "@NAME_UPPER@" in a template's name
 * and text become the project's name and its upper-case form.  DIR must
 * not exist or be empty: nothing is overwritten, and a failure removes
 * what this run wrote.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "new_plugin.h"

#define EXIT_FAIL	1
#define EXIT_USAGE	2

/* The name a plugin registers has VFPGA_KP_NAME_SIZE - 1 characters. */
#define NAME_MAX_LEN	31
#define MAX_CREATED	64

/* What this run created, so that a failure can take it back. */
struct created {
	char *path[MAX_CREATED];
	int dir[MAX_CREATED];
	int n;
};

static void created_add(struct created *c, const char *path, int dir)
{
	if (c->n < MAX_CREATED) {
		c->path[c->n] = strdup(path);
		c->dir[c->n] = dir;
		if (c->path[c->n])
			c->n++;
	}
}

static void created_undo(struct created *c)
{
	while (c->n--) {
		if (c->dir[c->n])
			rmdir(c->path[c->n]);
		else
			unlink(c->path[c->n]);
		free(c->path[c->n]);
	}
	c->n = 0;
}

static void created_free(struct created *c)
{
	while (c->n--)
		free(c->path[c->n]);
	c->n = 0;
}

/*
 * A plugin name: a lower-case C identifier (it names the module, the
 * files, and the identifiers of the message header) of at most
 * NAME_MAX_LEN characters, not in vfpga's own namespace.  Returns NULL or
 * what is wrong with it.
 */
static const char *name_problem(const char *name)
{
	size_t i, len = strlen(name);

	if (!len)
		return "empty";
	if (len > NAME_MAX_LEN)
		return "longer than 31 characters (a plugin's registered name)";
	if (!islower((unsigned char)name[0]))
		return "must start with a lower-case letter";
	for (i = 1; i < len; i++)
		if (!islower((unsigned char)name[i]) &&
		    !isdigit((unsigned char)name[i]) && name[i] != '_')
			return "only a-z, 0-9 and _ (a lower-case C identifier)";
	if (!strncmp(name, "vfpga", 5))
		return "the vfpga prefix belongs to the driver and library";
	return NULL;
}

/* mkdir -p @path, recording what it made. */
static int make_dirs(const char *path, struct created *c)
{
	char buf[PATH_MAX];
	struct stat st;
	size_t i, len = strlen(path);

	if (len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0777) == 0)
			created_add(c, buf, 1);
		else if (errno != EEXIST)
			return -errno;
		else if (stat(buf, &st) || !S_ISDIR(st.st_mode))
			return -ENOTDIR;
		buf[i] = path[i];
	}
	return 0;
}

/* 1 when directory @path holds nothing, 0 when it does, or -errno. */
static int dir_is_empty(const char *path)
{
	struct dirent *de;
	DIR *d = opendir(path);
	int empty = 1;

	if (!d)
		return -errno;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			empty = 0;
			break;
		}
	closedir(d);
	return empty;
}

/* @text with the placeholders replaced, written to @f. */
static void expand(FILE *f, const char *text, const char *name,
		   const char *upper)
{
	static const char ph_name[] = "@NAME@", ph_upper[] = "@NAME_UPPER@";
	const char *p;

	while ((p = strchr(text, '@'))) {
		fwrite(text, 1, (size_t)(p - text), f);
		if (!strncmp(p, ph_name, sizeof(ph_name) - 1)) {
			fputs(name, f);
			text = p + sizeof(ph_name) - 1;
		} else if (!strncmp(p, ph_upper, sizeof(ph_upper) - 1)) {
			fputs(upper, f);
			text = p + sizeof(ph_upper) - 1;
		} else {
			fputc('@', f);
			text = p + 1;
		}
	}
	fputs(text, f);
}

/*
 * Write template @t into @dir, never over an existing file; @fname
 * receives the file's name.
 */
static int write_template(const struct plugin_template *t, const char *dir,
			  const char *name, const char *upper,
			  struct created *c, char fname[PATH_MAX])
{
	char path[PATH_MAX];
	FILE *f;
	char *buf = NULL;
	size_t size = 0;
	int n, err;

	/* The file name first, through the same expansion. */
	f = open_memstream(&buf, &size);
	if (!f)
		return -errno;
	expand(f, t->name, name, upper);
	if (fclose(f))
		return -errno;
	n = snprintf(fname, PATH_MAX, "%s", buf);
	free(buf);
	if (n < 0 || n >= PATH_MAX)
		return -ENAMETOOLONG;
	n = snprintf(path, sizeof(path), "%s/%s", dir, fname);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;

	f = fopen(path, "wx");
	if (!f)
		return -errno;
	created_add(c, path, 0);
	expand(f, t->text, name, upper);
	err = fflush(f) ? -errno : ferror(f) ? -EIO : 0;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

/* What differs between the two kinds of project. */
struct project_kind {
	const char *cmd;		/* "new-plugin" */
	const char *what;		/* "plugin" */
	const struct plugin_template *templates;
	size_t count;
	const char *next;		/* printf format: DIR, NAME, NAME */
};

static int new_project(const struct project_kind *k, int argc, char **argv)
{
	char upper[NAME_MAX_LEN + 1], fname[PATH_MAX] = "";
	struct created c = { .n = 0 };
	const char *name, *dir, *problem;
	struct stat st;
	size_t i;
	int ret;

	if (argc < 1 || argc > 2)
		return -EXIT_USAGE;
	name = argv[0];
	dir = argc > 1 ? argv[1] : name;
	problem = name_problem(name);
	if (problem) {
		fprintf(stderr, "vfpga: %s: bad NAME '%s': %s\n", k->cmd, name,
			problem);
		return EXIT_USAGE;
	}
	if (!*dir) {
		fprintf(stderr, "vfpga: %s: empty DIR\n", k->cmd);
		return EXIT_USAGE;
	}
	for (i = 0; name[i]; i++)
		upper[i] = (char)toupper((unsigned char)name[i]);
	upper[i] = '\0';

	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			fprintf(stderr, "vfpga: %s: %s exists and is not "
				"a directory\n", k->cmd, dir);
			return EXIT_FAIL;
		}
		ret = dir_is_empty(dir);
		if (ret < 0) {
			fprintf(stderr, "vfpga: %s: %s: %s\n", k->cmd, dir,
				strerror(-ret));
			return EXIT_FAIL;
		}
		if (!ret) {
			fprintf(stderr, "vfpga: %s: %s is not empty: "
				"not overwriting it\n", k->cmd, dir);
			return EXIT_FAIL;
		}
	} else if (errno != ENOENT) {
		fprintf(stderr, "vfpga: %s: %s: %s\n", k->cmd, dir,
			strerror(errno));
		return EXIT_FAIL;
	}

	ret = make_dirs(dir, &c);
	if (ret < 0) {
		fprintf(stderr, "vfpga: %s: %s: %s\n", k->cmd, dir,
			strerror(-ret));
		created_undo(&c);
		return EXIT_FAIL;
	}
	for (i = 0; i < k->count; i++) {
		ret = write_template(&k->templates[i], dir, name, upper,
				     &c, fname);
		if (ret < 0) {
			fprintf(stderr, "vfpga: %s: writing %s/%s: %s "
				"(nothing written)\n", k->cmd, dir, fname,
				strerror(-ret));
			created_undo(&c);
			return EXIT_FAIL;
		}
	}
	created_free(&c);

	printf("%s '%s' written to %s/:\n ", k->what, name, dir);
	for (i = 0; i < k->count; i++) {
		fputc(' ', stdout);
		expand(stdout, k->templates[i].name, name, upper);
	}
	printf(k->next, dir, name, name);
	return 0;
}

int cmd_new_plugin(struct vfpga_device *dev, int argc, char **argv)
{
	static const struct project_kind plugin = {
		.cmd = "new-plugin",
		.what = "plugin",
		.templates = plugin_templates,
		.next = "\nnext, in %s/ (README.md says more):\n"
			"  make VFPGA_SYMVERS=.../Module.symvers   the kernel "
			"module %s.ko\n"
			"  make test-prog user                    %s_test for "
			"it, and both in user mode\n"
			"  (VFPGA_DIR=PATH: vfpga installed elsewhere than "
			"/usr/local, or its source tree)\n",
	};
	struct project_kind k = plugin;

	(void)dev;
	k.count = plugin_templates_count;
	return new_project(&k, argc, argv);
}

int cmd_new_board(struct vfpga_device *dev, int argc, char **argv)
{
	static const struct project_kind board = {
		.cmd = "new-board",
		.what = "board",
		.templates = board_templates,
		.next = "\nnext, in %s/ (README.md says more):\n"
			"  make                          the user logic %s.so\n"
			"  make test-prog LDFLAGS=-static  %s_test, for the guest\n"
			"  qemu-system-x86_64 ... -device $(make -s device-args)\n"
			"  (VFPGA_DIR=PATH: vfpga installed elsewhere than "
			"/usr/local, or its source tree)\n",
	};
	struct project_kind k = board;

	(void)dev;
	k.count = board_templates_count;
	return new_project(&k, argc, argv);
}
