// SPDX-License-Identifier: MIT
/*
 * vfpga: the board's diagnostic tool.
 *
 * Exit status: 0 success, 1 the board or driver reported an error,
 * 2 the command line was wrong.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "libvfpga.h"
#include "parse.h"
#include "vfpga_regs.h"

#define EXIT_FAIL	1
#define EXIT_USAGE	2

struct command {
	const char *name;
	const char *args;
	const char *help;
	int (*run)(struct vfpga_device *dev, int argc, char **argv);
};

static int fail(const char *what, int err)
{
	fprintf(stderr, "vfpga: %s: %s\n", what, vfpga_strerror(err));
	return EXIT_FAIL;
}

static int cmd_info(struct vfpga_device *dev, int argc, char **argv)
{
	struct vfpga_device_info info;
	int ret, bar;

	(void)argv;
	if (argc != 0)
		return -EXIT_USAGE;
	ret = vfpga_get_info(dev, &info);
	if (ret < 0)
		return fail("info", ret);

	printf("pci id:      %04x:%04x (subsystem %04x:%04x) rev %u\n",
	       info.vendor, info.device, info.subsystem_vendor,
	       info.subsystem_device, info.revision);
	printf("board id:    0x%08" PRIx32 "%s\n", info.board_id,
	       info.board_id == VFPGA_ID_MAGIC ? " (vfpga)" : "");
	printf("version:     %u.%u.%u\n",
	       VFPGA_VERSION_MAJOR(info.board_version),
	       VFPGA_VERSION_MINOR(info.board_version),
	       VFPGA_VERSION_PATCH(info.board_version));
	printf("caps:        0x%08" PRIx32 "\n", info.board_caps);
	printf("interrupts:  %s, %" PRIu32 " vector(s)\n",
	       vfpga_irq_mode_name(info.irq_mode), info.num_vectors);
	for (bar = 0; bar < VFPGA_MAX_BARS; bar++)
		if (info.bar_size[bar])
			printf("bar%d:        %" PRIu64 " KiB\n", bar,
			       info.bar_size[bar] >> 10);
	return 0;
}

static int cmd_reg(struct vfpga_device *dev, int argc, char **argv)
{
	unsigned int bar, width = 4;
	uint64_t offset, value;
	int write, nargs, ret;

	if (argc < 1)
		return -EXIT_USAGE;
	write = !strcmp(argv[0], "write");
	if (!write && strcmp(argv[0], "read"))
		return -EXIT_USAGE;
	nargs = write ? 4 : 3;	/* op BAR OFFSET [VALUE] */
	if (argc != nargs && argc != nargs + 1)
		return -EXIT_USAGE;

	if (parse_bar(argv[1], &bar)) {
		fprintf(stderr, "vfpga: bad BAR '%s': use 0-5, user, dma or mem\n",
			argv[1]);
		return EXIT_USAGE;
	}
	if (parse_u64(argv[2], UINT64_MAX, &offset)) {
		fprintf(stderr, "vfpga: bad offset '%s'\n", argv[2]);
		return EXIT_USAGE;
	}
	if (argc == nargs + 1 && parse_width(argv[nargs], &width)) {
		fprintf(stderr, "vfpga: bad width '%s': use 1, 2, 4 or 8\n",
			argv[nargs]);
		return EXIT_USAGE;
	}

	if (write) {
		ret = parse_u64(argv[3], width == 8 ? UINT64_MAX :
				(UINT64_C(1) << (8 * width)) - 1, &value);
		if (ret) {
			fprintf(stderr, "vfpga: bad value '%s' for %u byte(s)\n",
				argv[3], width);
			return EXIT_USAGE;
		}
		ret = vfpga_reg_write(dev, bar, offset, width, value);
		if (ret < 0)
			return fail("reg write", ret);
		return 0;
	}

	ret = vfpga_reg_read(dev, bar, offset, width, &value);
	if (ret < 0)
		return fail("reg read", ret);
	printf("0x%0*" PRIx64 "\n", (int)width * 2, value);
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Interrupts the driver handled on all vectors: nothing else raises any. */
static int total_handled(struct vfpga_device *dev, uint64_t *total)
{
	struct vfpga_device_info info;
	uint64_t handled;
	unsigned int v;
	int ret;

	ret = vfpga_get_info(dev, &info);
	*total = 0;
	for (v = 0; ret == 0 && v < info.num_vectors; v++) {
		ret = vfpga_irq_count(dev, v, &handled, NULL);
		*total += handled;
	}
	return ret;
}

static int cmd_irq(struct vfpga_device *dev, int argc, char **argv)
{
	uint64_t line = 0, count = 1000, before, after;
	uint32_t raised, acked;
	unsigned int vector;
	double t0, t;
	int ret;

	if (argc < 1 || argc > 3 || strcmp(argv[0], "test"))
		return -EXIT_USAGE;
	if ((argc > 1 && parse_u64(argv[1], VFPGA_USER_IRQ_LINES - 1, &line)) ||
	    (argc > 2 && (parse_u64(argv[2], UINT32_MAX, &count) || !count))) {
		fprintf(stderr, "vfpga: LINE must be 0-%d and COUNT 1-%" PRIu32 "\n",
			VFPGA_USER_IRQ_LINES - 1, UINT32_MAX);
		return EXIT_USAGE;
	}

	ret = total_handled(dev, &before);
	if (ret < 0)
		return fail("irq test", ret);
	t0 = now_s();
	ret = vfpga_irqgen_start(dev, line, count, &vector);
	if (ret == 0)
		ret = vfpga_irqgen_wait(dev, 60000, &raised, &acked);
	t = now_s() - t0;
	if (ret == 0)
		ret = total_handled(dev, &after);
	if (ret < 0)
		return fail("irq test", ret);

	printf("irq test: line %" PRIu64 " -> vector %u: raised %" PRIu32
	       " acked %" PRIu32 " handled %" PRIu64 " in %.3f s (%.0f IRQ/s)\n",
	       line, vector, raised, acked, after - before, t,
	       t > 0 ? acked / t : 0.0);
	if (raised != count || acked != count || after - before != count) {
		fprintf(stderr, "vfpga: irq test: %" PRIu64 " requested but the "
			"device raised %" PRIu32 ", saw %" PRIu32 " acknowledged "
			"and the driver handled %" PRIu64 "\n",
			count, raised, acked, after - before);
		return EXIT_FAIL;
	}
	return 0;
}

static const struct command commands[] = {
	{ "info", "", "describe the board", cmd_info },
	{ "reg", "read BAR OFFSET [WIDTH] | write BAR OFFSET VALUE [WIDTH]",
	  "read or write a register; BAR is 0-5, user, dma or mem; "
	  "WIDTH is 1, 2, 4 (default) or 8 bytes", cmd_reg },
	{ "irq", "test [LINE [COUNT]]",
	  "raise COUNT (default 1000) interrupts on user line LINE "
	  "(default 0) and check the device counted them all", cmd_irq },
};

#define NUM_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out, const struct command *only)
{
	size_t i;

	if (only) {
		fprintf(out, "usage: vfpga [-d INDEX] %s %s\n  %s\n",
			only->name, only->args, only->help);
		return;
	}
	fprintf(out, "usage: vfpga [-d INDEX] COMMAND [ARGS]\n\n"
		"Diagnose a vfpga board (/dev/vfpga<INDEX>, default 0).\n\n"
		"commands:\n");
	for (i = 0; i < NUM_COMMANDS; i++)
		fprintf(out, "  %-6s %s\n         %s\n", commands[i].name,
			commands[i].args, commands[i].help);
	fprintf(out, "\nCOMMAND --help describes one command.\n"
		"Exit status: 0 success, 1 the board or driver reported an "
		"error, 2 bad command line.\n");
}

int main(int argc, char **argv)
{
	const struct command *cmd = NULL;
	struct vfpga_device *dev;
	uint64_t index = 0;
	int i, ret;

	argv++;
	argc--;
	if (argc >= 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
		usage(stdout, NULL);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[0], "-d")) {
		if (parse_u64(argv[1], 63, &index)) {
			fprintf(stderr, "vfpga: bad board index '%s'\n", argv[1]);
			return EXIT_USAGE;
		}
		argv += 2;
		argc -= 2;
	}
	if (argc < 1) {
		usage(stderr, NULL);
		return EXIT_USAGE;
	}
	for (i = 0; i < (int)NUM_COMMANDS; i++)
		if (!strcmp(argv[0], commands[i].name))
			cmd = &commands[i];
	if (!cmd) {
		fprintf(stderr, "vfpga: unknown command '%s' (try --help)\n",
			argv[0]);
		return EXIT_USAGE;
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout, cmd);
			return 0;
		}
	}

	ret = vfpga_open((unsigned int)index, &dev);
	if (ret < 0) {
		fprintf(stderr, "vfpga: /dev/vfpga%" PRIu64 ": %s\n", index,
			vfpga_strerror(ret));
		return EXIT_FAIL;
	}
	ret = cmd->run(dev, argc - 1, argv + 1);
	vfpga_close(dev);
	if (ret == -EXIT_USAGE) {
		usage(stderr, cmd);
		return EXIT_USAGE;
	}
	return ret;
}
