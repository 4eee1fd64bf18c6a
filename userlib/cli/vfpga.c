// SPDX-License-Identifier: MIT
/*
 * vfpga: the board's diagnostic tool.
 *
 * Exit status: 0 success, 1 the board or driver reported an error,
 * 2 the command line was wrong.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libvfpga.h"
#include "new_plugin.h"
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
	printf("user logic:  %s\n", info.ref_logic ?
	       "reference design (interrupt generator, faults)" :
	       "not the reference design");
	printf("channels:    %" PRIu32 " H2C, %" PRIu32 " C2H\n",
	       info.num_h2c, info.num_c2h);
	if (info.h2c_stream || info.c2h_stream)
		printf("streams:     H2C mask 0x%" PRIx32 ", C2H mask 0x%" PRIx32
		       " (AXI4-Stream; the others memory-mapped)\n",
		       info.h2c_stream, info.c2h_stream);
	for (bar = 0; bar < VFPGA_MAX_BARS; bar++)
		if (info.bar_size[bar])
			printf("bar%d:        %" PRIu64 " KiB%s\n", bar,
			       info.bar_size[bar] >> 10,
			       (unsigned int)bar == info.user_bar ? ", user logic" :
			       (unsigned int)bar == info.config_bar ?
			       ", XDMA registers" :
			       bar == info.card_bar ? ", card memory" : "");
	if (info.card_bar < 0)
		printf("card memory: %" PRIu64 " KiB, behind the DMA engine only "
		       "(card_size)\n", info.card_size >> 10);
	else
		printf("card memory: %" PRIu64 " KiB\n", info.card_size >> 10);
	return 0;
}

/*
 * A BAR by number, or by the name of its role (user, dma, mem), which
 * follows the board's layout: 0 or -EINVAL, -ENXIO (no card BAR).
 */
static int board_bar(struct vfpga_device *dev, const char *s,
		     unsigned int *bar)
{
	struct vfpga_device_info info;

	if (parse_bar(s, bar))
		return -EINVAL;
	if (strcmp(s, "user") && strcmp(s, "dma") && strcmp(s, "mem"))
		return 0;
	if (vfpga_get_info(dev, &info))
		return -EINVAL;
	if (*bar == VFPGA_BAR_USER) {
		*bar = info.user_bar;
	} else if (*bar == VFPGA_BAR_DMA) {
		*bar = info.config_bar;
	} else {
		if (info.card_bar < 0)
			return -ENXIO;
		*bar = info.card_bar;
	}
	return 0;
}

/* reg dump BAR [OFFSET [COUNT]]: COUNT 32-bit words, four per line. */
static int cmd_reg_dump(struct vfpga_device *dev, int argc, char **argv)
{
	uint64_t offset = 0, count = 64, i, value;
	unsigned int bar;
	int ret;

	if (argc < 2 || argc > 4)
		return -EXIT_USAGE;
	if (board_bar(dev, argv[1], &bar) ||
	    (argc > 2 && parse_u64(argv[2], UINT64_MAX, &offset)) ||
	    (argc > 3 && (parse_u64(argv[3], 1u << 20, &count) || !count))) {
		fprintf(stderr, "vfpga: reg dump BAR [OFFSET [COUNT]]: bad "
			"argument\n");
		return EXIT_USAGE;
	}
	for (i = 0; i < count; i++) {
		ret = vfpga_reg_read(dev, bar, offset + 4 * i, 4, &value);
		if (ret < 0)
			return fail("reg dump", ret);
		if (i % 4 == 0)
			printf("%s0x%06" PRIx64 ":", i ? "\n" : "",
			       offset + 4 * i);
		printf(" %08" PRIx64, value);
	}
	printf("\n");
	return 0;
}

static int cmd_reg(struct vfpga_device *dev, int argc, char **argv)
{
	unsigned int bar, width = 4;
	uint64_t offset, value;
	int write, nargs, ret;

	if (argc < 1)
		return -EXIT_USAGE;
	if (!strcmp(argv[0], "dump"))
		return cmd_reg_dump(dev, argc, argv);
	write = !strcmp(argv[0], "write");
	if (!write && strcmp(argv[0], "read"))
		return -EXIT_USAGE;
	nargs = write ? 4 : 3;	/* op BAR OFFSET [VALUE] */
	if (argc != nargs && argc != nargs + 1)
		return -EXIT_USAGE;

	if (board_bar(dev, argv[1], &bar)) {
		fprintf(stderr, "vfpga: bad BAR '%s': use 0-5, user, dma or mem "
			"(a board with a card BAR)\n", argv[1]);
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

/* Fill @p with the named pattern: inc, zero, ones, random[:SEED], 0xNN. */
static int fill_pattern(uint8_t *p, uint64_t len, const char *pattern)
{
	uint64_t i, v;
	uint32_t seed = 1;

	if (!strcmp(pattern, "inc")) {
		for (i = 0; i < len; i++)
			p[i] = (uint8_t)i;
	} else if (!strcmp(pattern, "zero") || !strcmp(pattern, "ones")) {
		memset(p, pattern[0] == 'z' ? 0 : 0xff, len);
	} else if (!strncmp(pattern, "random", 6)) {
		if (pattern[6] == ':' && parse_u64(pattern + 7, UINT32_MAX, &v))
			return -EINVAL;
		if (pattern[6] == ':')
			seed = (uint32_t)v;
		else if (pattern[6])
			return -EINVAL;
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			p[i] = seed >> 16;
		}
	} else if (!parse_u64(pattern, 0xff, &v)) {
		memset(p, (int)v, len);
	} else {
		return -EINVAL;
	}
	return 0;
}

#define DMA_CHUNK	(16ull << 20)
#define STREAM_CHUNK	(4ull << 20)

static uint64_t checksum(const uint8_t *buf, uint64_t len)
{
	uint64_t sum = 0, i;

	for (i = 0; i < len; i++)
		sum = sum * 31 + buf[i];
	return sum;
}

/* One packet of @size bytes, in writes of at most 4 MiB, EOP on the last. */
static int stream_write(struct vfpga_device *dev, unsigned int channel,
			const uint8_t *buf, uint64_t size, bool eop,
			unsigned int timeout_ms, uint32_t *status)
{
	uint64_t done, n;
	int ret = 0;

	for (done = 0; done < size && !ret; done += n) {
		n = size - done < STREAM_CHUNK ? size - done : STREAM_CHUNK;
		ret = vfpga_stream_write(dev, channel, buf + done, n,
					 eop && done + n == size ?
					 VFPGA_STREAM_END : 0, timeout_ms,
					 status);
	}
	return ret;
}

/* Reads until a packet ends or @size bytes came: *@got, *@eop. */
static int stream_read(struct vfpga_device *dev, unsigned int channel,
		       uint8_t *buf, uint64_t size, unsigned int timeout_ms,
		       uint64_t *got, bool *eop, uint32_t *status)
{
	uint64_t n;
	int ret = 0;

	*got = 0;
	*eop = false;
	while (!*eop && size - *got >= XDMA_ST_DATA_BYTES && !ret) {
		n = size - *got < STREAM_CHUNK ? size - *got : STREAM_CHUNK;
		ret = vfpga_stream_read(dev, channel, buf + *got, n,
					timeout_ms, &n, eop, status);
		*got += n;
	}
	return ret;
}

/*
 * dma stream write|read|loop CHANNEL SIZE [PATTERN] [--no-eop]
 * [--timeout MS]: a packet to H2C stream CHANNEL, one from C2H stream
 * CHANNEL, or one through both (the reference design's loopback) and
 * compared.
 */
static int cmd_dma_stream(struct vfpga_device *dev, int argc, char **argv)
{
	uint64_t size, channel, got = 0, timeout = 0;
	const char *pattern = "inc";
	bool eop = true, got_eop = false;
	int write, read, ret = 0;
	uint8_t *buf = NULL, *back = NULL;
	uint32_t status = 0;
	double t0, t;

	while (argc > 2) {
		if (!strcmp(argv[argc - 1], "--no-eop")) {
			eop = false;
			argc--;
		} else if (argc > 3 && !strcmp(argv[argc - 2], "--timeout")) {
			if (parse_u64(argv[argc - 1], UINT32_MAX, &timeout)) {
				fprintf(stderr, "vfpga: dma stream: bad "
					"--timeout MS\n");
				return EXIT_USAGE;
			}
			argc -= 2;
		} else {
			break;
		}
	}
	if (argc < 3 || argc > 4)
		return -EXIT_USAGE;
	write = !strcmp(argv[0], "write") || !strcmp(argv[0], "loop");
	read = !strcmp(argv[0], "read") || !strcmp(argv[0], "loop");
	if (!write && !read)
		return -EXIT_USAGE;
	if (parse_u64(argv[1], 63, &channel) ||
	    parse_u64(argv[2], 1ull << 40, &size) || !size ||
	    (read && size < XDMA_ST_DATA_BYTES && !write) ||
	    (read && write && size > STREAM_CHUNK)) {
		fprintf(stderr, "vfpga: dma stream: bad CHANNEL or SIZE (a read "
			"needs 8 bytes at least, a loop at most 4 MiB)\n");
		return EXIT_USAGE;
	}
	if (argc > 3)
		pattern = argv[3];
	buf = malloc(size);
	/* Room for whole 8-byte beats of a packet of SIZE bytes. */
	if (read)
		back = malloc((size + XDMA_ST_DATA_BYTES - 1) /
			      XDMA_ST_DATA_BYTES * XDMA_ST_DATA_BYTES);
	if (!buf || (read && !back)) {
		fprintf(stderr, "vfpga: dma stream: cannot allocate %" PRIu64
			" bytes\n", size);
		ret = EXIT_FAIL;
		goto out;
	}
	if (write && fill_pattern(buf, size, pattern)) {
		fprintf(stderr, "vfpga: dma stream: unknown pattern '%s' (inc, "
			"zero, ones, random[:SEED], 0xNN)\n", pattern);
		ret = EXIT_USAGE;
		goto out;
	}
	t0 = now_s();
	if (write)
		ret = stream_write(dev, channel, buf, size, eop, timeout,
				   &status);
	if (!ret && read)
		ret = stream_read(dev, channel, back,
				  (size + XDMA_ST_DATA_BYTES - 1) /
				  XDMA_ST_DATA_BYTES * XDMA_ST_DATA_BYTES,
				  timeout, &got, &got_eop, &status);
	t = now_s() - t0;
	if (ret < 0) {
		fprintf(stderr, "vfpga: dma stream %s: %s (channel status "
			"0x%08" PRIx32 ")\n", argv[0], vfpga_strerror(ret),
			status);
		ret = EXIT_FAIL;
		goto out;
	}
	if (write && !read)
		printf("h2c stream: %" PRIu64 " bytes%s, channel %" PRIu64
		       ": %.3f s, %.1f MB/s\n", size, eop ? " (a packet)" : "",
		       channel, t, t > 0 ? size / t / 1e6 : 0.0);
	if (read)
		printf("c2h stream: %" PRIu64 " bytes, %s, channel %" PRIu64
		       ": %.3f s, %.1f MB/s, checksum %016" PRIx64 "\n", got,
		       got_eop ? "end of packet" : "no end of packet", channel,
		       t, t > 0 ? got / t / 1e6 : 0.0, checksum(back, got));
	if (read && write) {
		if (got != size || !got_eop || memcmp(buf, back, size)) {
			fprintf(stderr, "vfpga: dma stream loop: sent %" PRIu64
				" bytes, got %" PRIu64 "%s back%s\n", size, got,
				got_eop ? "" : " without EOP",
				got == size ? ", different" : "");
			ret = EXIT_FAIL;
		} else {
			printf("loop: %" PRIu64 " bytes identical, one packet\n",
			       size);
		}
	}
out:
	free(buf);
	free(back);
	return ret;
}

/*
 * dma write|read|verify SIZE [CHANNEL [CARD_OFFSET [PATTERN]]] [--poll]:
 * in chunks of 16 MiB, with a progress line on a terminal.
 */
static int cmd_dma(struct vfpga_device *dev, int argc, char **argv)
{
	uint64_t size, channel = 0, card = 0, done, n;
	const char *pattern = "inc";
	unsigned int flags = 0;
	int write, read, ret = 0, i;
	uint8_t *buf, *back = NULL;
	uint32_t status = 0;
	double t0, t;

	if (argc > 0 && !strcmp(argv[0], "stream"))
		return cmd_dma_stream(dev, argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[argc - 1], "--poll")) {
		flags = VFPGA_DMA_POLL;
		argc--;
	}
	if (argc < 2 || argc > 5)
		return -EXIT_USAGE;
	write = !strcmp(argv[0], "write") || !strcmp(argv[0], "verify");
	read = !strcmp(argv[0], "read") || !strcmp(argv[0], "verify");
	if (!write && !read)
		return -EXIT_USAGE;
	if (parse_u64(argv[1], 1ull << 40, &size) || !size ||
	    (argc > 2 && parse_u64(argv[2], 63, &channel)) ||
	    (argc > 3 && parse_u64(argv[3], UINT64_MAX, &card))) {
		fprintf(stderr, "vfpga: dma: bad SIZE, CHANNEL or CARD_OFFSET\n");
		return EXIT_USAGE;
	}
	if (argc > 4)
		pattern = argv[4];

	buf = malloc(size);
	if (read && write)
		back = malloc(size);
	if (!buf || (read && write && !back)) {
		fprintf(stderr, "vfpga: dma: cannot allocate %" PRIu64
			" bytes\n", size);
		free(buf);
		return EXIT_FAIL;
	}
	if (write && fill_pattern(buf, size, pattern)) {
		fprintf(stderr, "vfpga: dma: unknown pattern '%s' (inc, zero, "
			"ones, random[:SEED], 0xNN)\n", pattern);
		free(buf);
		free(back);
		return EXIT_USAGE;
	}

	for (i = 0; i < 2 && ret == 0; i++) {
		int h2c = i == 0;
		uint8_t *host = h2c ? buf : (back ? back : buf);

		if ((h2c && !write) || (!h2c && !read))
			continue;
		t0 = now_s();
		for (done = 0; done < size && ret == 0; done += n) {
			n = size - done < DMA_CHUNK ? size - done : DMA_CHUNK;
			ret = h2c ? vfpga_dma_write(dev, channel, card + done,
						    host + done, n, flags,
						    &status) :
				    vfpga_dma_read(dev, channel, card + done,
						   host + done, n, flags,
						   &status);
			if (isatty(STDERR_FILENO) && size > DMA_CHUNK)
				fprintf(stderr, "\r%s %3" PRIu64 "%%",
					h2c ? "h2c" : "c2h",
					(done + n) * 100 / size);
		}
		t = now_s() - t0;
		if (isatty(STDERR_FILENO) && size > DMA_CHUNK)
			fprintf(stderr, "\n");
		if (ret < 0) {
			fprintf(stderr, "vfpga: dma %s: %s (channel status "
				"0x%08" PRIx32 ")\n", h2c ? "write" : "read",
				vfpga_strerror(ret), status);
			ret = EXIT_FAIL;
			break;
		}
		printf("%s: %" PRIu64 " bytes, channel %" PRIu64 ", card 0x%"
		       PRIx64 ": %.3f s, %.1f MB/s\n", h2c ? "h2c" : "c2h",
		       size, channel, card, t, t > 0 ? size / t / 1e6 : 0.0);
	}
	if (ret == 0 && back && memcmp(buf, back, size)) {
		for (done = 0; buf[done] == back[done]; done++)
			;
		fprintf(stderr, "vfpga: dma verify: first difference at byte %"
			PRIu64 ": wrote 0x%02x, read 0x%02x\n", done,
			buf[done], back[done]);
		ret = EXIT_FAIL;
	} else if (ret == 0 && back) {
		printf("verify: %" PRIu64 " bytes identical\n", size);
	} else if (ret == 0 && read && !write) {
		uint64_t sum = 0;

		for (done = 0; done < size; done++)
			sum = sum * 31 + buf[done];
		printf("read: first bytes %02x %02x %02x %02x, checksum %016"
		       PRIx64 "\n", buf[0], size > 1 ? buf[1] : 0,
		       size > 2 ? buf[2] : 0, size > 3 ? buf[3] : 0, sum);
	}
	free(buf);
	free(back);
	return ret;
}

/* list: every board the driver published, without opening one first. */
static int cmd_list(struct vfpga_device *unused, int argc, char **argv)
{
	struct vfpga_device_info info;
	struct vfpga_device *dev;
	unsigned int index, found = 0;
	char address[32];
	struct dirent *de;
	DIR *d;
	int ret;

	(void)unused;
	(void)argv;
	if (argc != 0)
		return -EXIT_USAGE;
	d = opendir("/dev");
	if (!d)
		return fail("list", -errno);
	while ((de = readdir(d))) {
		if (sscanf(de->d_name, "vfpga%u", &index) != 1)
			continue;
		found++;
		ret = vfpga_open(index, &dev);
		if (ret < 0) {
			printf("%-8s %s\n", de->d_name, vfpga_strerror(ret));
			continue;
		}
		ret = vfpga_get_info(dev, &info);
		if (ret == 0 && vfpga_pci_address(dev, address, sizeof(address)))
			strcpy(address, "?");
		if (ret == 0)
			printf("%-8s %s  %04x:%04x  version %u.%u.%u  %s\n",
			       de->d_name, address, info.vendor, info.device,
			       VFPGA_VERSION_MAJOR(info.board_version),
			       VFPGA_VERSION_MINOR(info.board_version),
			       VFPGA_VERSION_PATCH(info.board_version),
			       vfpga_irq_mode_name(info.irq_mode));
		else
			printf("%-8s %s\n", de->d_name, vfpga_strerror(ret));
		vfpga_close(dev);
	}
	closedir(d);
	if (!found)
		printf("no vfpga boards (is the vfpga driver loaded?)\n");
	return 0;
}

static const struct command commands[] = {
	{ "list", "", "list the boards", cmd_list },
	{ "info", "", "describe the board", cmd_info },
	{ "reg", "read BAR OFFSET [WIDTH] | write BAR OFFSET VALUE [WIDTH] | "
	  "dump BAR [OFFSET [COUNT]]",
	  "read, write or dump registers; BAR is 0-5, user, dma or mem; "
	  "WIDTH is 1, 2, 4 (default) or 8 bytes", cmd_reg },
	{ "dma", "write|read|verify SIZE [CHANNEL [CARD_OFFSET [PATTERN]]] "
	  "[--poll]",
	  "move SIZE bytes to card memory, from it, or both and compare; "
	  "PATTERN is inc (default), zero, ones, random[:SEED] or 0xNN; "
	  "dma stream write|read|loop CHANNEL SIZE [PATTERN] [--no-eop] "
	  "[--timeout MS]: a packet to an H2C stream, from a C2H stream, or "
	  "through both and compared", cmd_dma },
	{ "irq", "test [LINE [COUNT]]",
	  "raise COUNT (default 1000) interrupts on user line LINE "
	  "(default 0) and check the device counted them all", cmd_irq },
	{ "new-plugin", "NAME [DIR]",
	  "write a plugin project (plugin, message header, test program, "
	  "Makefile, README) into DIR (default ./NAME); no board needed",
	  cmd_new_plugin },
	{ "new-board", "NAME [DIR]",
	  "write a board's user-logic project (the plug-in QEMU loads, its "
	  "registers, a guest test program, a preset, Makefile, README) into "
	  "DIR (default ./NAME); no board needed", cmd_new_board },
	{ "rtl", "build [-o DIR] [--top NAME] [--trace] TOP.v [FILES...]",
	  "verilate the design (-Wall) and build it, with the RTL bridge, "
	  "into the user-logic plug-in DIR/NAME.so (NAME: TOP.v's base "
	  "name, the top module); no board needed", cmd_rtl },
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

	if (cmd->run == cmd_list || cmd->run == cmd_new_plugin ||
	    cmd->run == cmd_new_board || cmd->run == cmd_rtl) {
		ret = cmd->run(NULL, argc - 1, argv + 1);
		if (ret == -EXIT_USAGE) {
			usage(stderr, cmd);
			return EXIT_USAGE;
		}
		return ret;
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
