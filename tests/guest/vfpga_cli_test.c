// SPDX-License-Identifier: MIT
/*
 * In-guest tests of the vfpga diagnostic tool: what it prints and its
 * documented exit status (0 success, 1 board or driver error, 2 bad
 * command line) for good and bad commands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "vfpga_test_util.h"

FIXTURE(cli) {
	char out[8192];
};

FIXTURE_SETUP(cli)
{
}

FIXTURE_TEARDOWN(cli)
{
}

TEST_F(cli, good_commands)
{
	EXPECT_EQ(0, vfpga_tool("list", self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "vfpga0"));
	EXPECT_EQ(0, vfpga_tool("info", self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "0x56465047 (vfpga)"));
	/* The board's whole shape: channels, the BARs' roles, card memory. */
	EXPECT_NE(NULL, strstr(self->out, "channels:    4 H2C, 4 C2H\n"));
	EXPECT_NE(NULL, strstr(self->out, "bar0:        64 KiB, user logic\n"));
	EXPECT_NE(NULL, strstr(self->out,
			       "bar1:        64 KiB, XDMA registers\n"));
	EXPECT_NE(NULL, strstr(self->out, "bar2:        131072 KiB, card memory\n"));
	EXPECT_NE(NULL, strstr(self->out, "card memory: 131072 KiB\n"));
	EXPECT_NE(NULL, strstr(self->out, "user logic:  reference design"));
	EXPECT_EQ(0, vfpga_tool("reg write user 8 0x5a5a1234", self->out,
			 sizeof(self->out)));
	EXPECT_EQ(0, vfpga_tool("reg read user 8", self->out, sizeof(self->out)));
	EXPECT_STREQ("0x5a5a1234\n", self->out);
	/* Registers are 32-bit only; card memory takes any width. */
	EXPECT_EQ(0, vfpga_tool("reg write mem 0x100 0x5a5a1234", self->out,
			 sizeof(self->out)));
	EXPECT_EQ(0, vfpga_tool("reg read mem 0x102 2", self->out, sizeof(self->out)));
	EXPECT_STREQ("0x5a5a\n", self->out);
	EXPECT_EQ(0, vfpga_tool("reg dump dma 0x2000 4", self->out,
			 sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "0x002000: 1fc20006"));
	EXPECT_EQ(0, vfpga_tool("dma verify 100000 1 0x10 random:7", self->out,
			 sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "verify: 100000 bytes identical"));
	EXPECT_EQ(0, vfpga_tool("dma verify 4097 3 0 0xa5 --poll", self->out,
			 sizeof(self->out)));
	EXPECT_EQ(0, vfpga_tool("irq test 3 500", self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "raised 500 acked 500 handled 500"));
	EXPECT_EQ(0, vfpga_tool("--help", self->out, sizeof(self->out)));
	EXPECT_EQ(0, vfpga_tool("dma --help", self->out, sizeof(self->out)));
}

TEST_F(cli, usage_errors_exit_2)
{
	static const char *const bad[] = {
		"", "frobnicate", "reg", "reg read", "reg read user",
		"reg read bogus 0", "reg read user 0x1x", "reg read user 0 3",
		"reg write user 0 0x100 1", "reg write user 0 -1",
		"dma write", "dma write 0", "dma copy 16", "dma write 16 99",
		"dma write 16 0 0 nopattern", "irq test 16", "irq test 0 0",
		"irq nope", "-d 64 info", "info extra",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(2, vfpga_tool(bad[i], self->out, sizeof(self->out)))
			TH_LOG("'vfpga %s' said: %s", bad[i], self->out);
}

TEST_F(cli, board_errors_exit_1)
{
	static const char *const bad[] = {
		"reg read user 0x10000", "reg read 3 0", "reg read user 2",
		"dma write 16 0 0x7fffffff0", "-d 7 info",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(1, vfpga_tool(bad[i], self->out, sizeof(self->out)))
			TH_LOG("'vfpga %s' said: %s", bad[i], self->out);
		EXPECT_NE(NULL, strstr(self->out, "vfpga: "));
	}
}

TEST_HARNESS_MAIN
