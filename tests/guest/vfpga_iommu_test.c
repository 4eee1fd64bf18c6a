// SPDX-License-Identifier: MIT
/*
 * Behind a translating IOMMU (the viommu lane), the board's DMA reaches
 * only what the driver mapped.  The board's stray-DMA fault
 * (VFPGA_FAULT_DMA_STRAY) points one descriptor's host side at a bus
 * address no driver maps; the IOMMU must refuse the access (a DMAR fault
 * in the kernel log, naming the board and that address), the engine must
 * stop the channel with its read or write error, and the driver must
 * return -EIO with that status, touching nothing of the caller's.  The
 * next transfer on the same channel works.
 *
 * Without a translating IOMMU the stray access would reach guest RAM, so
 * the tests skip.  The DMAR reports they cause are expected: the test
 * brackets them with vfpga-expect-begin/end lines in the kernel log,
 * which /init's kernel log check excuses (DMAR lines only).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "libvfpga.h"
#include "uapi/vfpga.h"
#include "vfpga_regs.h"

#define XFER		4096
#define LOG_SIZE	(1 << 20)

static int kmsg(const char *line)
{
	int fd = open("/dev/kmsg", O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, line, strlen(line));
	close(fd);
	return n < 0 ? -errno : 0;
}

/* How many DMAR fault reports name device @bdf (bus:dev.fn) and @addr. */
static int dmar_faults(const char *bdf, unsigned long long addr)
{
	char *log = malloc(LOG_SIZE), *line, *save, want[32];
	int n, count = 0;

	if (!log)
		return -ENOMEM;
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, LOG_SIZE - 1);
	if (n < 0) {
		free(log);
		return -errno;
	}
	log[n] = 0;
	snprintf(want, sizeof(want), "fault addr 0x%llx", addr);
	for (line = strtok_r(log, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (strstr(line, "DMAR: [DMA") && strstr(line, bdf) &&
		    strstr(line, want))
			count++;
	free(log);
	return count;
}

/* Wait up to 5 s for more than @before such reports: the fault event
 * interrupt may trail the transfer's end. */
static int dmar_faults_after(const char *bdf, int before)
{
	int i, n = before;

	for (i = 0; i < 500 && n <= before; i++) {
		n = dmar_faults(bdf, VFPGA_FAULT_STRAY_ADDR);
		if (n < 0)
			return n;
		if (n <= before)
			usleep(10000);
	}
	return n;
}

FIXTURE(iommu) {
	struct vfpga_device *dev;
	char bdf[16];		/* bus:dev.fn, as DMAR prints it */
	uint8_t *buf;
	uint8_t *pattern;
};

FIXTURE_SETUP(iommu)
{
	char addr[32], path[128], type[32] = "";
	FILE *f;
	int ret;

	ret = vfpga_open(0, &self->dev);
	ASSERT_EQ(0, ret) TH_LOG("/dev/vfpga0: %s", vfpga_strerror(ret));
	ASSERT_EQ(0, vfpga_pci_address(self->dev, addr, sizeof(addr)));
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group/type",
		 addr);
	f = fopen(path, "r");
	if (f) {
		if (!fgets(type, sizeof(type), f))
			type[0] = 0;
		fclose(f);
	}
	if (strcmp(type, "DMA\n") && strcmp(type, "DMA-FQ\n"))
		SKIP(return, "needs a translating IOMMU (group type %s)",
		     type[0] ? type : "none\n");
	/* 0000:00:04.0 -> 00:04.0 */
	snprintf(self->bdf, sizeof(self->bdf), "%s", strchr(addr, ':') + 1);
	self->buf = malloc(XFER);
	self->pattern = malloc(XFER);
	ASSERT_NE(NULL, self->buf);
	ASSERT_NE(NULL, self->pattern);
	for (int i = 0; i < XFER; i++)
		self->pattern[i] = (uint8_t)(i * 7 + 3);
	ASSERT_EQ(0, kmsg("vfpga-expect-begin: dmar vfpga_iommu_test\n"));
}

FIXTURE_TEARDOWN(iommu)
{
	if (!self->buf) {
		if (self->dev)
			vfpga_close(self->dev);
		return;
	}
	vfpga_reg_write32(self->dev, VFPGA_BAR_USER, VFPGA_USER_FAULT, 0);
	kmsg("vfpga-expect-end: dmar vfpga_iommu_test\n");
	free(self->buf);
	free(self->pattern);
	vfpga_close(self->dev);
}

/* H2C: the engine's read of the stray page is refused. */
TEST_F(iommu, stray_read_refused)
{
	int before = dmar_faults(self->bdf, VFPGA_FAULT_STRAY_ADDR);
	uint32_t status = 0;
	int ret;

	ASSERT_LE(0, before);
	ASSERT_EQ(0, vfpga_reg_write32(self->dev, VFPGA_BAR_USER,
				       VFPGA_USER_FAULT, VFPGA_FAULT_DMA_STRAY));
	ret = vfpga_dma_write(self->dev, 0, 0, self->pattern, XFER, 0, &status);
	EXPECT_EQ(-EIO, ret) TH_LOG("transfer returned %s", vfpga_strerror(ret));
	EXPECT_NE(0, status & XDMA_STAT_READ_ERROR_UR)
		TH_LOG("channel status 0x%08x", status);
	EXPECT_LT(before, dmar_faults_after(self->bdf, before))
		TH_LOG("no DMAR fault for %s at 0x%llx", self->bdf,
		       VFPGA_FAULT_STRAY_ADDR);

	/* The channel works again, and moves the caller's own data. */
	ASSERT_EQ(0, vfpga_dma_write(self->dev, 0, 0, self->pattern, XFER, 0,
				     NULL));
	ASSERT_EQ(0, vfpga_dma_read(self->dev, 0, 0, self->buf, XFER, 0, NULL));
	EXPECT_EQ(0, memcmp(self->buf, self->pattern, XFER));
}

/* C2H: the engine's write to the stray page is refused; the caller's
 * buffer is left as it was. */
TEST_F(iommu, stray_write_refused)
{
	int before = dmar_faults(self->bdf, VFPGA_FAULT_STRAY_ADDR);
	uint32_t status = 0;
	int ret;

	ASSERT_LE(0, before);
	ASSERT_EQ(0, vfpga_dma_write(self->dev, 0, 0, self->pattern, XFER, 0,
				     NULL));
	memset(self->buf, 0x5a, XFER);
	ASSERT_EQ(0, vfpga_reg_write32(self->dev, VFPGA_BAR_USER,
				       VFPGA_USER_FAULT, VFPGA_FAULT_DMA_STRAY));
	ret = vfpga_dma_read(self->dev, 0, 0, self->buf, XFER, 0, &status);
	EXPECT_EQ(-EIO, ret) TH_LOG("transfer returned %s", vfpga_strerror(ret));
	EXPECT_NE(0, status & XDMA_STAT_WRITE_ERROR_DECERR)
		TH_LOG("channel status 0x%08x", status);
	for (int i = 0; i < XFER; i++)
		if (self->buf[i] != 0x5a) {
			EXPECT_EQ(0x5a, self->buf[i]) TH_LOG("byte %d written", i);
			break;
		}
	EXPECT_LT(before, dmar_faults_after(self->bdf, before))
		TH_LOG("no DMAR fault for %s at 0x%llx", self->bdf,
		       VFPGA_FAULT_STRAY_ADDR);

	ASSERT_EQ(0, vfpga_dma_read(self->dev, 0, 0, self->buf, XFER, 0, NULL));
	EXPECT_EQ(0, memcmp(self->buf, self->pattern, XFER));
}

TEST_HARNESS_MAIN
