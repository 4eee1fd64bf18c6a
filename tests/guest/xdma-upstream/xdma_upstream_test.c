// SPDX-License-Identifier: MIT
/*
 * The board as a client of Linux's upstream XDMA dmaengine driver
 * (drivers/dma/xilinx/xdma.c, built unmodified by scripts/xdma-upstream.sh),
 * on the kselftest harness.  Needs xdma.ko, driver/xdma-glue's
 * vfpga_xdma_glue.ko (instead of vfpga.ko) and client/vfpga_xdma_client.ko
 * loaded; drives the client's debugfs files (see the comment at the top of
 * client/vfpga_xdma_client.c).
 *
 * Every transfer is checked byte for byte by the client: card memory through
 * the card BAR (on a board without one, read back by DMA) against the host
 * buffer, plus guard bytes around both ends.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vfpga_regs.h"

#define CLIENT_ROOT	"/sys/kernel/debug/vfpga-xdma-client"
#define RESULT_MAX	1024
#define MiB		(1024 * 1024)

/* Six segments, one page each, odd lengths and offsets: 13255 bytes. */
#define PAGES_LAYOUT	"pages 4093@3,1@0,2047@1000,4096@0,3001@1095,17@4079"
#define PAGES_BYTES	13255
/* Upstream's channel interrupt mask (xdma-regs.h CHAN_IM_ALL). */
#define UPSTREAM_CHAN_IM_ALL	0x00080256u

/*
 * Board 0's folder in the client's debugfs: the board first in PCI order
 * (the folders are named by PCI address), which scripts/boot-guest.sh
 * makes the preset $VFPGA_BOARD names.
 */
static int client_path(char *buf, size_t size, const char *file)
{
	char first[NAME_MAX + 1] = "";
	struct dirent *e;
	DIR *d = opendir(CLIENT_ROOT);

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (!first[0] || strcmp(e->d_name, first) < 0)
			snprintf(first, sizeof(first), "%s", e->d_name);
	}
	closedir(d);
	if (!first[0])
		return -ENOENT;
	snprintf(buf, size, "%s/%s/%s", CLIENT_ROOT, first, file);
	return 0;
}

/* Write @cmd (if any) to a client file and read back what it says. */
static int client_cmd(const char *file, const char *cmd, char *out, size_t size)
{
	char path[PATH_MAX];
	ssize_t n, got = 0;
	int fd, ret;

	ret = client_path(path, sizeof(path), file);
	if (ret)
		return ret;
	fd = open(path, cmd ? O_RDWR : O_RDONLY);
	if (fd < 0)
		return -errno;
	if (cmd && write(fd, cmd, strlen(cmd)) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	while ((n = read(fd, out + got, size - 1 - got)) > 0)
		got += n;
	ret = n < 0 ? -errno : 0;
	out[got] = '\0';
	close(fd);
	return ret;
}

/* The value of "key=value" in a result line, or NULL. */
static const char *field(const char *res, const char *key, char *val,
			 size_t size)
{
	size_t n = strlen(key), len;
	const char *p = res;

	while ((p = strstr(p, key))) {
		if ((p == res || p[-1] == ' ' || p[-1] == '\n') && p[n] == '=') {
			p += n + 1;
			len = strcspn(p, " \n");
			if (len >= size)
				len = size - 1;
			memcpy(val, p, len);
			val[len] = '\0';
			return val;
		}
		p += n;
	}
	return NULL;
}

static long long num(const char *res, const char *key)
{
	char val[64];

	if (!field(res, key, val, sizeof(val)))
		return LLONG_MIN;
	return strtoll(val, NULL, 0);
}

/* ---- what upstream found and programmed ------------------------------- */

FIXTURE(info) {
	char res[4096];
};

FIXTURE_SETUP(info)
{
	int ret = client_cmd("info", NULL, self->res, sizeof(self->res));

	ASSERT_EQ(0, ret) TH_LOG("%s: %s (client not loaded?)", CLIENT_ROOT,
				 strerror(-ret));
	ksft_print_msg("client info:\n%s", self->res);
}

FIXTURE_TEARDOWN(info)
{
}

TEST_F(info, upstream_bound_all_channels)
{
	EXPECT_EQ(1, num(self->res, "bound"))
		TH_LOG("xdma.ko did not bind to the glue's platform device");
	EXPECT_EQ(XDMA_MAX_CHANNELS, num(self->res, "h2c_channels"));
	EXPECT_EQ(XDMA_MAX_CHANNELS, num(self->res, "c2h_channels"));
	EXPECT_EQ(2 * XDMA_MAX_CHANNELS + VFPGA_USER_IRQ_LINES,
		  num(self->res, "vectors"));
}

/* Channel interrupts on vectors 0-7 and user lines on 8-23, all enabled. */
TEST_F(info, upstream_irq_programming)
{
	static const char * const chan_vec[] = { "chan_vec_num0",
						 "chan_vec_num1" };
	static const char * const user_vec[] = { "user_vec_num0",
						 "user_vec_num1",
						 "user_vec_num2",
						 "user_vec_num3" };
	unsigned int i, v;
	uint32_t want;

	for (i = 0; i < 2; i++) {
		for (want = 0, v = 0; v < 4; v++)
			want |= (4 * i + v) << (8 * v);
		EXPECT_EQ(want, num(self->res, chan_vec[i]))
			TH_LOG("%s", chan_vec[i]);
	}
	for (i = 0; i < 4; i++) {
		for (want = 0, v = 0; v < 4; v++)
			want |= (2 * XDMA_MAX_CHANNELS + 4 * i + v) << (8 * v);
		EXPECT_EQ(want, num(self->res, user_vec[i]))
			TH_LOG("%s", user_vec[i]);
	}
	EXPECT_EQ(0xff, num(self->res, "chan_int_en") & 0xff);
	for (i = 0; i < XDMA_MAX_CHANNELS; i++) {
		char key[32];

		snprintf(key, sizeof(key), "h2c%u_intr_enable", i);
		EXPECT_EQ(UPSTREAM_CHAN_IM_ALL, num(self->res, key))
			TH_LOG("%s", key);
		snprintf(key, sizeof(key), "c2h%u_intr_enable", i);
		EXPECT_EQ(UPSTREAM_CHAN_IM_ALL, num(self->res, key))
			TH_LOG("%s", key);
	}
}

/* ---- transfers through dmaengine ---------------------------------------- */

FIXTURE(xfer) {
	char res[RESULT_MAX];
};

FIXTURE_VARIANT(xfer) {
	const char *dir;		/* "h2c" or "c2h" */
	unsigned int chan;
	unsigned long offset;		/* in card memory */
	const char *layout;		/* see vfpga_xdma_client.c */
	long long bytes;
	long long segments;
	int rate;			/* print the data rate */
};

#define XFER(name, d, c, off, lay, n, segs, r)				\
	FIXTURE_VARIANT_ADD(xfer, name) {				\
		.dir = d, .chan = c, .offset = off, .layout = lay,	\
		.bytes = n, .segments = segs, .rate = r,		\
	}

/* Each channel has its own MiB of card memory; odd offsets where they fit. */
#define XFER_CHANNEL(d, c, r)						\
	XFER(d##c##_4k, #d, c, c * MiB, "contig 4096", 4096, 1, r);	\
	XFER(d##c##_64k_odd_offset, #d, c, c * MiB + 0x1003,		\
	     "contig 65536", 65536, 1, r);				\
	XFER(d##c##_1m, #d, c, c * MiB, "contig 1048576", MiB, 1, r);	\
	XFER(d##c##_pages, #d, c, c * MiB + 0x777, PAGES_LAYOUT,	\
	     PAGES_BYTES, 6, 0)

XFER_CHANNEL(h2c, 0, 1);
XFER_CHANNEL(h2c, 1, 0);
XFER_CHANNEL(h2c, 2, 0);
XFER_CHANNEL(h2c, 3, 0);
XFER_CHANNEL(c2h, 0, 1);
XFER_CHANNEL(c2h, 1, 0);
XFER_CHANNEL(c2h, 2, 0);
XFER_CHANNEL(c2h, 3, 0);
/* 40 descriptors: more than one block of 32 adjacent ones. */
XFER(h2c0_40_segments, "h2c", 0, 0x10000, "split 40000 1000", 40000, 40, 0);
XFER(c2h0_40_segments, "c2h", 0, 0x10000, "split 40000 1000", 40000, 40, 0);
/* 4100 descriptors: upstream runs the engine twice (4096 per run). */
XFER(h2c1_4100_segments, "h2c", 1, MiB, "split 1049600 256", 1049600,
     4100, 0);
XFER(c2h1_4100_segments, "c2h", 1, MiB, "split 1049600 256", 1049600,
     4100, 0);

FIXTURE_SETUP(xfer)
{
}

FIXTURE_TEARDOWN(xfer)
{
}

TEST_F(xfer, every_byte_arrives)
{
	unsigned int chan_id = variant->chan +
		(strcmp(variant->dir, "c2h") ? 0 : XDMA_MAX_CHANNELS);
	char cmd[256], status[32];
	long long segs, ns;
	int ret;

	snprintf(cmd, sizeof(cmd), "%s %u 0x%lx %s", variant->dir,
		 variant->chan, variant->offset, variant->layout);
	ret = client_cmd("xfer", cmd, self->res, sizeof(self->res));
	ASSERT_EQ(0, ret) TH_LOG("'%s': %s", cmd, strerror(-ret));
	ksft_print_msg("xdma xfer '%s': %s", cmd, self->res);

	ASSERT_NE(NULL, field(self->res, "status", status, sizeof(status)));
	EXPECT_STREQ("ok", status)
		TH_LOG("transfer did not complete; see the xdma lines of dmesg");
	EXPECT_EQ(variant->bytes, num(self->res, "bytes"));
	segs = num(self->res, "segments");
	EXPECT_EQ(variant->segments, segs);
	EXPECT_EQ(segs, num(self->res, "nents"));
	EXPECT_EQ(0, num(self->res, "mismatches"))
		TH_LOG("first at byte %lld", num(self->res, "first_mismatch"));
	EXPECT_EQ(0, num(self->res, "guard_errors"));
	/* "h2c<n>" is hardware channel n: its registers did the work. */
	EXPECT_EQ(chan_id, num(self->res, "chan_id"));
	if (!strcmp(status, "ok"))
		EXPECT_EQ(segs <= 4096 ? segs : segs - 4096,
			  num(self->res, "hw_completed"));

	ns = num(self->res, "ns");
	if (variant->rate && !strcmp(status, "ok") && ns > 0)
		ksft_print_msg("xdma rate %s %7lld B: %8.1f MB/s (%lld us)\n",
			       variant->dir, variant->bytes,
			       variant->bytes * 1e3 / ns, ns / 1000);
}

/* ---- user interrupts through upstream's API ----------------------------- */

FIXTURE(uirq) {
	char res[RESULT_MAX];
};

FIXTURE_VARIANT(uirq) {
	unsigned int line;
};

FIXTURE_VARIANT_ADD(uirq, line0) { .line = 0 };
FIXTURE_VARIANT_ADD(uirq, line5) { .line = 5 };
FIXTURE_VARIANT_ADD(uirq, line15) { .line = 15 };

FIXTURE_SETUP(uirq)
{
}

FIXTURE_TEARDOWN(uirq)
{
}

#define UIRQ_COUNT	1000

TEST_F(uirq, burst_counted_exactly)
{
	char cmd[64], status[32];
	int ret;

	snprintf(cmd, sizeof(cmd), "%u %u", variant->line, UIRQ_COUNT);
	ret = client_cmd("uirq", cmd, self->res, sizeof(self->res));
	ASSERT_EQ(0, ret) TH_LOG("'%s': %s", cmd, strerror(-ret));
	ksft_print_msg("xdma uirq: %s", self->res);

	ASSERT_NE(NULL, field(self->res, "status", status, sizeof(status)));
	EXPECT_STREQ("ok", status);
	EXPECT_EQ(2 * XDMA_MAX_CHANNELS + variant->line,
		  num(self->res, "vector"));
	EXPECT_EQ(UIRQ_COUNT, num(self->res, "handled"));
	EXPECT_EQ(UIRQ_COUNT, num(self->res, "raised"));
	EXPECT_EQ(UIRQ_COUNT, num(self->res, "acked"));
}

TEST_HARNESS_MAIN
