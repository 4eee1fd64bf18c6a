// SPDX-License-Identifier: MIT
/*
 * In-guest tests of the vfpga board, driver and library, on the kselftest
 * harness.  Needs /dev/vfpga0 (the driver loaded, the board present).
 * Board 0 is the preset $vfpga_board names (scripts/boot-guest.sh,
 * boards/; the reference board when unset): the probe test checks that the
 * driver reports that preset's whole shape, and the others use the BARs
 * the driver found.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "libvfpga.h"
#include "uapi/vfpga.h"
#include "vfpga_regs.h"

#define IRQ_BURST	10000
#define IRQ_TIMEOUT_MS	60000

FIXTURE(board) {
	struct vfpga_device *dev;
	struct vfpga_device_info info;
};

FIXTURE_SETUP(board)
{
	int ret = vfpga_open(0, &self->dev);

	ASSERT_EQ(0, ret) TH_LOG("/dev/vfpga0: %s", vfpga_strerror(ret));
	ASSERT_EQ(0, vfpga_get_info(self->dev, &self->info));
}

FIXTURE_TEARDOWN(board)
{
	vfpga_close(self->dev);
}

/* What each preset of boards/ is, as docs/boards.md describes it. */
static const struct preset {
	const char *name;
	uint16_t vendor, device, subsystem_vendor, subsystem_device;
	uint32_t num_h2c, num_c2h;
	unsigned int user_bar, config_bar;
	int card_bar;
	uint64_t user_bar_size;
} presets[] = {
	{ "reference", VFPGA_PCI_VENDOR_ID, VFPGA_PCI_DEVICE_ID,
	  VFPGA_PCI_SUBSYSTEM_VENDOR_ID, VFPGA_PCI_SUBSYSTEM_ID, 4, 4,
	  VFPGA_BAR_USER, VFPGA_BAR_DMA, VFPGA_BAR_CARD_MEM,
	  VFPGA_BAR_USER_SIZE },
	{ "xdma-example", VFPGA_XILINX_VENDOR_ID, VFPGA_XDMA_EXAMPLE_DEVICE_ID,
	  VFPGA_XILINX_VENDOR_ID, 0x0007, 4, 4, 0, 1, -1, 1 << 20 },
	{ "asymmetric", VFPGA_PCI_VENDOR_ID, VFPGA_PCI_DEVICE_ID,
	  VFPGA_PCI_SUBSYSTEM_VENDOR_ID, VFPGA_PCI_SUBSYSTEM_ID, 2, 1,
	  0, 1, -1, VFPGA_BAR_USER_SIZE },
	/* Channel 0 of each direction a stream (vfpga_stream_test). */
	{ "streaming", VFPGA_PCI_VENDOR_ID, VFPGA_PCI_DEVICE_ID,
	  VFPGA_PCI_SUBSYSTEM_VENDOR_ID, VFPGA_PCI_SUBSYSTEM_ID, 2, 2,
	  VFPGA_BAR_USER, VFPGA_BAR_DMA, VFPGA_BAR_CARD_MEM,
	  VFPGA_BAR_USER_SIZE },
	/* The reference layout, its user logic the RTL sample (rtl/). */
	{ "rtl-sample", VFPGA_PCI_VENDOR_ID, VFPGA_PCI_DEVICE_ID,
	  VFPGA_PCI_SUBSYSTEM_VENDOR_ID, VFPGA_RTL_SAMPLE_SUBSYSTEM_ID, 4, 4,
	  VFPGA_BAR_USER, VFPGA_BAR_DMA, VFPGA_BAR_CARD_MEM,
	  VFPGA_BAR_USER_SIZE },
};

/* Board 0: the preset's IDs and whole shape, as the driver found them. */
TEST_F(board, probe)
{
	const char *name = getenv("vfpga_board");
	const struct vfpga_device_info *info = &self->info;
	const struct preset *p = NULL;
	unsigned int bar, bars = 0;
	size_t i;

	for (i = 0; i < sizeof(presets) / sizeof(presets[0]); i++)
		if (!strcmp(name ? name : "reference", presets[i].name))
			p = &presets[i];
	ASSERT_NE(NULL, p) TH_LOG("no expectations for board %s", name);
	EXPECT_EQ(p->vendor, info->vendor);
	EXPECT_EQ(p->device, info->device);
	EXPECT_EQ(p->subsystem_vendor, info->subsystem_vendor);
	EXPECT_EQ(p->subsystem_device, info->subsystem_device);
	EXPECT_EQ(VFPGA_PCI_REVISION, info->revision);
	ASSERT_TRUE(info->shape);
	EXPECT_TRUE(info->ref_logic);
	EXPECT_EQ(p->num_h2c, info->num_h2c);
	EXPECT_EQ(p->num_c2h, info->num_c2h);
	EXPECT_EQ(p->user_bar, info->user_bar);
	EXPECT_EQ(p->config_bar, info->config_bar);
	EXPECT_EQ(p->card_bar, info->card_bar);
	EXPECT_EQ(p->user_bar_size, info->bar_size[info->user_bar]);
	EXPECT_EQ(VFPGA_BAR_DMA_SIZE, info->bar_size[info->config_bar]);
	/* 128 MiB: board 0's card-mem-size, and the driver's card_size. */
	EXPECT_EQ(128ull << 20, info->card_size);
	if (p->card_bar >= 0)
		EXPECT_EQ(info->card_size, info->bar_size[p->card_bar]);
	/* No BAR but those: the 64-bit card BAR's upper half reads 0. */
	for (bar = 0; bar < VFPGA_MAX_BARS; bar++)
		if (info->bar_size[bar])
			bars |= 1u << bar;
	EXPECT_EQ((1u << p->user_bar) | (1u << p->config_bar) |
		  (p->card_bar >= 0 ? 1u << p->card_bar : 0), bars);
	EXPECT_LE(1, info->num_vectors);
}

/* The driver was loaded with irq_mode=$VFPGA_IRQ_MODE: did it get it? */
TEST_F(board, irq_mode_as_requested)
{
	static const struct {
		const char *param;
		enum vfpga_irq_mode mode;
	} modes[] = {
		{ "msix", VFPGA_IRQ_MSIX },
		{ "msi", VFPGA_IRQ_MSI },
		{ "intx", VFPGA_IRQ_INTX },
	};
	const char *want = getenv("VFPGA_IRQ_MODE");
	size_t i;

	if (!want || !strcmp(want, "auto"))
		SKIP(return, "driver loaded without a forced irq_mode");
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(want, modes[i].param))
			break;
	ASSERT_LT(i, sizeof(modes) / sizeof(modes[0]))
		TH_LOG("unknown VFPGA_IRQ_MODE '%s'", want);
	EXPECT_EQ(modes[i].mode, self->info.irq_mode)
		TH_LOG("asked for %s, driver uses %s", want,
		       vfpga_irq_mode_name(self->info.irq_mode));
}

/* The same board opened by its PCI address; unknown addresses refused. */
TEST_F(board, open_by_pci_address)
{
	char link[PATH_MAX], target[PATH_MAX];
	struct vfpga_device_info info;
	struct vfpga_device *dev;
	ssize_t n;

	n = readlink("/sys/class/vfpga/vfpga0/device", link, sizeof(link) - 1);
	ASSERT_LT(0, n);
	link[n] = 0;
	snprintf(target, sizeof(target), "%s", strrchr(link, '/') + 1);
	ASSERT_EQ(0, vfpga_open_pci(target, &dev)) TH_LOG("%s", target);
	ASSERT_EQ(0, vfpga_get_info(dev, &info));
	EXPECT_EQ(self->info.board_id, info.board_id);
	ASSERT_EQ(0, vfpga_pci_address(dev, link, sizeof(link)));
	EXPECT_STREQ(target, link);
	EXPECT_EQ(-ERANGE, vfpga_pci_address(dev, link, 4));
	vfpga_close(dev);
	/* Without the domain. */
	ASSERT_EQ(0, vfpga_open_pci(target + 5, &dev));
	vfpga_close(dev);
	EXPECT_EQ(-ENOENT, vfpga_open_pci("0000:7f:1f.7", &dev));
	EXPECT_EQ(-ENOENT, vfpga_open_pci("garbage", &dev));
	EXPECT_EQ(-EINVAL, vfpga_open_pci(NULL, &dev));
}

TEST_F(board, id_and_version)
{
	uint32_t v;

	ASSERT_EQ(0, vfpga_reg_read32(self->dev, self->info.user_bar,
				      VFPGA_USER_ID, &v));
	EXPECT_EQ(VFPGA_ID_MAGIC, v);
	EXPECT_EQ(VFPGA_ID_MAGIC, self->info.board_id);
	EXPECT_EQ(VFPGA_VERSION_CURRENT, self->info.board_version);
	EXPECT_TRUE(self->info.board_caps & VFPGA_CAP_IRQGEN);

	/* The XDMA blocks identify themselves where a driver looks for them. */
	ASSERT_EQ(0, vfpga_reg_read32(self->dev, self->info.config_bar,
				      XDMA_IRQ_BASE + XDMA_IRQ_IDENTIFIER, &v));
	EXPECT_EQ(XDMA_ID_SUBSYSTEM | XDMA_ID_TARGET(XDMA_TARGET_IRQ),
		  v & 0xffff0000u);
	ASSERT_EQ(0, vfpga_reg_read32(self->dev, self->info.config_bar,
				      XDMA_CONFIG_BASE, &v));
	EXPECT_EQ(XDMA_ID_SUBSYSTEM | XDMA_ID_TARGET(XDMA_TARGET_CONFIG),
		  v & 0xffff0000u);
}

/*
 * The channels the driver counted are the engines the board has: each
 * one's identifier names its direction and number, and the first engine
 * past them reads 0, not 0x1fc (PG195).
 */
TEST_F(board, channels_are_the_engines_there_are)
{
	unsigned int dir, ch, n;
	uint32_t v, want;

	for (dir = 0; dir < 2; dir++) {
		n = dir ? self->info.num_c2h : self->info.num_h2c;
		for (ch = 0; ch < XDMA_MAX_CHANNELS; ch++) {
			ASSERT_EQ(0, vfpga_reg_read32(self->dev,
						      self->info.config_bar,
						      (dir ? XDMA_C2H_BASE :
						       XDMA_H2C_BASE) +
						      ch * XDMA_CHAN_STRIDE +
						      XDMA_CHAN_IDENTIFIER,
						      &v));
			want = ch < n ? XDMA_ID_SUBSYSTEM | XDMA_ID_TARGET(dir) |
					ch << 8 : 0;
			/* A stream channel's has the stream bit too. */
			if ((dir ? self->info.c2h_stream :
			     self->info.h2c_stream) & (1u << ch))
				want |= XDMA_ID_STREAM;
			EXPECT_EQ(want, v & 0xffffff00u)
				TH_LOG("%s%u: 0x%08x", dir ? "c2h" : "h2c", ch,
				       v);
		}
	}
}

/* Drop @cap from this process's effective set; 0 or -errno. */
static int drop_effective_cap(unsigned int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[cap / 32].effective &= ~(1u << (cap % 32));
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	return 0;
}

/*
 * BAR 1 programs the board's bus-master (descriptors may name any bus
 * address): without CAP_SYS_RAWIO neither a register access nor mmap()
 * reaches it, while the user BAR still works.  The harness runs each
 * test in a process of its own, so the capability is dropped for this
 * test alone.
 */
TEST_F(board, dma_bar_needs_cap_sys_rawio)
{
	volatile void *map;
	uint64_t len;
	uint32_t v;

	ASSERT_EQ(0, vfpga_reg_read32(self->dev, self->info.config_bar,
				      XDMA_CONFIG_BASE, &v));
	ASSERT_EQ(0, drop_effective_cap(CAP_SYS_RAWIO));
	EXPECT_EQ(-EPERM, vfpga_reg_read32(self->dev, self->info.config_bar,
					   XDMA_CONFIG_BASE, &v));
	EXPECT_EQ(-EPERM, vfpga_reg_write32(self->dev, self->info.config_bar,
					    XDMA_H2C_BASE + XDMA_CHAN_CONTROL,
					    XDMA_CTRL_RUN));
	EXPECT_EQ(-EPERM, vfpga_bar_map(self->dev, self->info.config_bar, &map, &len));
	ASSERT_EQ(0, vfpga_reg_read32(self->dev, self->info.user_bar,
				      VFPGA_USER_ID, &v));
	EXPECT_EQ(VFPGA_ID_MAGIC, v);
	ASSERT_EQ(0, vfpga_bar_map(self->dev, self->info.user_bar, &map, &len));
	EXPECT_EQ(VFPGA_ID_MAGIC, vfpga_mmio_read32(map, VFPGA_USER_ID));
}

TEST_F(board, id_is_read_only)
{
	uint32_t v;

	ASSERT_EQ(0, vfpga_reg_write32(self->dev, self->info.user_bar,
				       VFPGA_USER_ID, 0x12345678));
	ASSERT_EQ(0, vfpga_reg_read32(self->dev, self->info.user_bar,
				      VFPGA_USER_ID, &v));
	EXPECT_EQ(VFPGA_ID_MAGIC, v);
}

TEST_F(board, scratch_round_trip)
{
	static const uint32_t patterns[] = {
		0x00000000, 0xffffffff, 0xa5a5a5a5, 0x5a5a5a5a,
		0x00000001, 0x80000000, 0xdeadbeef,
	};
	uint32_t v;
	size_t i;

	for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		ASSERT_EQ(0, vfpga_reg_write32(self->dev, self->info.user_bar,
					       VFPGA_USER_SCRATCH,
					       patterns[i]));
		ASSERT_EQ(0, vfpga_reg_read32(self->dev, self->info.user_bar,
					      VFPGA_USER_SCRATCH, &v));
		EXPECT_EQ(patterns[i], v);
	}
}

TEST_F(board, card_memory_round_trip)
{
	int card = self->info.card_bar;
	uint64_t last, v;

	if (card < 0)
		SKIP(return, "card memory is behind the DMA engine only");
	last = self->info.bar_size[card] - 8;
	ASSERT_EQ(0, vfpga_reg_write(self->dev, card, last, 8,
				     0x0123456789abcdefULL));
	ASSERT_EQ(0, vfpga_reg_read(self->dev, card, last, 8, &v));
	EXPECT_EQ(0x0123456789abcdefULL, v);
	ASSERT_EQ(0, vfpga_reg_read(self->dev, card, last + 7, 1, &v));
	EXPECT_EQ(0x01, v);
}

/* Every bad access gets its errno and leaves the scratch register alone. */
TEST_F(board, bad_register_access)
{
	const uint64_t size = self->info.bar_size[self->info.user_bar];
	const uint32_t canary = 0xc0ffee00;
	uint64_t v;
	uint32_t s;

	ASSERT_EQ(0, vfpga_reg_write32(self->dev, self->info.user_bar,
				       VFPGA_USER_SCRATCH, canary));

	EXPECT_EQ(-ERANGE, vfpga_reg_read(self->dev, self->info.user_bar,
					  size, 4, &v));
	EXPECT_EQ(-ERANGE, vfpga_reg_write(self->dev, self->info.user_bar,
					   size, 4, 0));
	EXPECT_EQ(-ERANGE, vfpga_reg_read(self->dev, self->info.user_bar,
					  UINT64_MAX - 3, 4, &v));
	EXPECT_EQ(-ERANGE, vfpga_reg_read(self->dev, self->info.user_bar,
					  size, 8, &v));
	EXPECT_EQ(-EINVAL, vfpga_reg_read(self->dev, self->info.user_bar,
					  VFPGA_USER_SCRATCH + 2, 4, &v));
	EXPECT_EQ(-EINVAL, vfpga_reg_write(self->dev, self->info.user_bar,
					   VFPGA_USER_SCRATCH + 1, 4, 0));
	EXPECT_EQ(-EINVAL, vfpga_reg_read(self->dev, self->info.user_bar,
					  VFPGA_USER_SCRATCH, 3, &v));
	EXPECT_EQ(-EINVAL, vfpga_reg_read(self->dev, self->info.user_bar,
					  VFPGA_USER_SCRATCH, 0, &v));
	EXPECT_EQ(-ENXIO, vfpga_reg_read(self->dev, 3, 0, 4, &v));
	EXPECT_EQ(-ENXIO, vfpga_reg_read(self->dev, 6, 0, 4, &v));
	EXPECT_EQ(-ENXIO, vfpga_reg_write(self->dev, 1000, 0, 4, 0));

	ASSERT_EQ(0, vfpga_reg_read32(self->dev, self->info.user_bar,
				      VFPGA_USER_SCRATCH, &s));
	EXPECT_EQ(canary, s);
}

/* Registers through the mapped BAR and through the ioctl agree. */
TEST_F(board, mmap_bar_registers)
{
	volatile void *user;
	uint64_t len;
	uint32_t v;

	ASSERT_EQ(0, vfpga_bar_map(self->dev, self->info.user_bar, &user, &len));
	EXPECT_EQ(self->info.bar_size[self->info.user_bar], len);
	EXPECT_EQ(VFPGA_ID_MAGIC, vfpga_mmio_read32(user, VFPGA_USER_ID));
	vfpga_mmio_write32(user, VFPGA_USER_SCRATCH, 0x600dcafe);
	ASSERT_EQ(0, vfpga_reg_read32(self->dev, self->info.user_bar,
				      VFPGA_USER_SCRATCH, &v));
	EXPECT_EQ(0x600dcafe, v);
	ASSERT_EQ(0, vfpga_reg_write32(self->dev, self->info.user_bar,
				       VFPGA_USER_SCRATCH, 0x12344321));
	EXPECT_EQ(0x12344321, vfpga_mmio_read32(user, VFPGA_USER_SCRATCH));
	EXPECT_EQ(-ENXIO, vfpga_bar_map(self->dev, 3, &user, &len));
}

TEST_F(board, mmap_bad_requests)
{
	int fd = vfpga_fd(self->dev);
	void *p;

	/* Private mappings, BARs the board lacks, unknown regions, sizes. */
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd,
		 VFPGA_BAR_MMAP_OFFSET(0));
	EXPECT_EQ(MAP_FAILED, p);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd,
		 VFPGA_BAR_MMAP_OFFSET(3));
	EXPECT_EQ(MAP_FAILED, p);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd,
		 VFPGA_BAR_MMAP_OFFSET(200));
	EXPECT_EQ(MAP_FAILED, p);
	p = mmap(NULL, 2 * self->info.bar_size[self->info.user_bar], PROT_READ,
		 MAP_SHARED, fd, VFPGA_BAR_MMAP_OFFSET(self->info.user_bar));
	EXPECT_EQ(MAP_FAILED, p);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd,
		 VFPGA_BAR_MMAP_OFFSET(0) + 4096);
	EXPECT_EQ(MAP_FAILED, p);
}

/* fpga-dfl rules: argsz, flags, unknown commands, bad pointers. */
TEST_F(board, ioctl_header_rules)
{
	/* Room for a newer caller's larger struct, its tail zero. */
	struct {
		struct vfpga_reg reg;
		uint8_t tail[64];
	} newer = { .reg = {
		.argsz = sizeof(struct vfpga_reg), .bar = VFPGA_BAR_USER,
		.width = 4, .offset = VFPGA_USER_SCRATCH, .value = 0xdeadbeef,
	} };
	struct vfpga_reg reg = newer.reg;
	/* Shorter than the struct's first version, which ends at bar_size. */
	struct vfpga_info info = {
		.argsz = offsetof(struct vfpga_info, shape_flags) - 8 };
	int fd = vfpga_fd(self->dev);
	uint32_t v;

	ASSERT_EQ(0, vfpga_reg_write32(self->dev, self->info.user_bar,
				       VFPGA_USER_SCRATCH, 0x11111111));
	EXPECT_EQ(VFPGA_API_VERSION, ioctl(fd, VFPGA_GET_API_VERSION));
	EXPECT_EQ(-1, ioctl(fd, VFPGA_GET_INFO, &info));
	EXPECT_EQ(EINVAL, errno);
	reg.argsz = sizeof(reg) - 1;
	EXPECT_EQ(-1, ioctl(fd, VFPGA_REG_WRITE, &reg));
	EXPECT_EQ(EINVAL, errno);
	reg.argsz = sizeof(reg);
	reg.flags = 1;
	EXPECT_EQ(-1, ioctl(fd, VFPGA_REG_WRITE, &reg));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, VFPGA_REG_WRITE, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(fd, _IO(VFPGA_MAGIC, 0x7f), &reg));
	EXPECT_EQ(ENOTTY, errno);
	/* A larger argsz from a newer caller is accepted, its tail zero. */
	newer.reg.argsz = sizeof(newer);
	EXPECT_EQ(0, ioctl(fd, VFPGA_REG_READ, &newer));
	/* None of the failed writes changed anything. */
	ASSERT_EQ(0, vfpga_reg_read32(self->dev, self->info.user_bar,
				      VFPGA_USER_SCRATCH, &v));
	EXPECT_EQ(0x11111111, v);
}

TEST_F(board, bad_irqgen_arguments)
{
	EXPECT_EQ(-EINVAL, vfpga_irqgen_start(self->dev, VFPGA_USER_IRQ_LINES,
					      1, NULL));
	EXPECT_EQ(-EINVAL, vfpga_irqgen_start(self->dev, 0, 0, NULL));
	EXPECT_EQ(-EINVAL, vfpga_irq_count(self->dev, self->info.num_vectors,
					   NULL, NULL));
}

/* One of two callers racing VFPGA_IRQGEN_START. */
struct irqgen_racer {
	int fd;
	atomic_int *ready, *go;
	struct vfpga_irqgen gen;
	int ret;
};

#define IRQGEN_RACE_ROUNDS	30
/*
 * Runs far longer than two racing calls can be apart, and stopped at
 * once: paced at 10 interrupts a second, so that they load nothing.
 */
#define IRQGEN_RACE_COUNT	1000000
#define IRQGEN_RACE_RATE	10

static void *irqgen_race_thread(void *arg)
{
	struct irqgen_racer *r = arg;

	/* Spin, not sleep, so that both leave the start line together. */
	atomic_fetch_add(r->ready, 1);
	while (!atomic_load(r->go))
		;
	r->ret = ioctl(r->fd, VFPGA_IRQGEN_START, &r->gen) ? -errno : 0;
	return NULL;
}

/*
 * Two callers start the generator at once, with different settings: one
 * wins and its settings run, whole; the other is told -EBUSY.  Unless
 * the driver serialises the check and the programming, both may see it
 * idle and both succeed, one run mixing their line and count.
 */
TEST_F(board, irqgen_start_has_one_winner)
{
	struct irqgen_racer r[2];
	atomic_int ready, go;
	pthread_t t[2];
	int round, i, both = 0;

	/* Ping-pong runs of a million would storm: paced ones load nothing. */
	if (!(self->info.board_caps & VFPGA_CAP_IRQGEN_PACED))
		SKIP(return, "the board's interrupt generator has no paced mode");
	ASSERT_EQ(0, vfpga_reg_write32(self->dev, self->info.user_bar,
				       VFPGA_IRQGEN_RATE, IRQGEN_RACE_RATE));
	ASSERT_EQ(0, vfpga_reg_write32(self->dev, self->info.user_bar,
				       VFPGA_IRQGEN_MODE,
				       VFPGA_IRQGEN_MODE_PACED));
	for (round = 0; round < IRQGEN_RACE_ROUNDS; round++) {
		atomic_store(&ready, 0);
		atomic_store(&go, 0);
		for (i = 0; i < 2; i++) {
			r[i] = (struct irqgen_racer) {
				.fd = vfpga_fd(self->dev),
				.ready = &ready,
				.go = &go,
				.gen = { .argsz = sizeof(r[i].gen), .line = i,
					 .count = IRQGEN_RACE_COUNT + i },
			};
			ASSERT_EQ(0, pthread_create(&t[i], NULL,
						    irqgen_race_thread, &r[i]));
		}
		while (atomic_load(&ready) < 2)
			sched_yield();
		atomic_store(&go, 1);
		for (i = 0; i < 2; i++)
			ASSERT_EQ(0, pthread_join(t[i], NULL));
		ASSERT_EQ(0, vfpga_reg_write32(self->dev, self->info.user_bar,
					       VFPGA_IRQGEN_CTRL,
					       VFPGA_IRQGEN_CTRL_STOP));
		ASSERT_EQ(0, vfpga_irqgen_wait(self->dev, IRQ_TIMEOUT_MS,
					       NULL, NULL));
		if (!r[0].ret && !r[1].ret) {
			both++;
			continue;
		}
		ASSERT_TRUE((!r[0].ret && r[1].ret == -EBUSY) ||
			    (!r[1].ret && r[0].ret == -EBUSY))
			TH_LOG("round %d: %d, %d", round, r[0].ret, r[1].ret);
	}
	EXPECT_EQ(0, vfpga_reg_write32(self->dev, self->info.user_bar,
				       VFPGA_IRQGEN_MODE,
				       VFPGA_IRQGEN_MODE_PINGPONG));
	EXPECT_EQ(0, both) TH_LOG("both callers started it in %d of %d rounds",
				  both, IRQGEN_RACE_ROUNDS);
}

FIXTURE(irq) {
	struct vfpga_device *dev;
	struct vfpga_device_info info;
};

FIXTURE_VARIANT(irq) {
	unsigned int line;
};

FIXTURE_VARIANT_ADD(irq, line0) { .line = 0 };
FIXTURE_VARIANT_ADD(irq, line5) { .line = 5 };
FIXTURE_VARIANT_ADD(irq, line15) { .line = 15 };

FIXTURE_SETUP(irq)
{
	int ret = vfpga_open(0, &self->dev);

	ASSERT_EQ(0, ret) TH_LOG("/dev/vfpga0: %s", vfpga_strerror(ret));
	ASSERT_EQ(0, vfpga_get_info(self->dev, &self->info));
}

FIXTURE_TEARDOWN(irq)
{
	vfpga_close(self->dev);
}

static uint64_t handled_total(struct __test_metadata *_metadata,
			      struct vfpga_device *dev, unsigned int nvec)
{
	uint64_t total = 0, n;
	unsigned int v;

	for (v = 0; v < nvec; v++) {
		EXPECT_EQ(0, vfpga_irq_count(dev, v, &n, NULL));
		total += n;
	}
	return total;
}

/*
 * A ping-pong burst: each interrupt raised only after the driver
 * acknowledged the previous one.  Device counters and driver counters
 * must all equal the burst size.
 */
TEST_F(irq, burst_counted_exactly)
{
	uint64_t before, after, vec_before, vec_after;
	uint32_t raised = 0, acked = 0;
	struct timespec t0, t1;
	unsigned int vector;
	double secs;
	int ret;

	before = handled_total(_metadata, self->dev, self->info.num_vectors);
	vector = variant->line % self->info.num_vectors;
	ASSERT_EQ(0, vfpga_irq_count(self->dev, vector, &vec_before, NULL));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT_EQ(0, vfpga_irqgen_start(self->dev, variant->line, IRQ_BURST,
					&vector));
	ret = vfpga_irqgen_wait(self->dev, IRQ_TIMEOUT_MS, &raised, &acked);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ASSERT_EQ(0, ret) TH_LOG("raised %u acked %u", raised, acked);

	after = handled_total(_metadata, self->dev, self->info.num_vectors);
	ASSERT_EQ(0, vfpga_irq_count(self->dev, vector, &vec_after, NULL));
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	EXPECT_EQ(IRQ_BURST, raised);
	EXPECT_EQ(IRQ_BURST, acked);
	EXPECT_EQ(IRQ_BURST, after - before);
	/* Every one of them arrived on the vector the line is routed to. */
	EXPECT_EQ(IRQ_BURST, vec_after - vec_before);
	ksft_print_msg("irq burst %s line %u vector %u: rate=%.0f/s "
		       "raised=%u handled=%llu\n",
		       vfpga_irq_mode_name(self->info.irq_mode), variant->line,
		       vector, secs > 0 ? acked / secs : 0.0, raised,
		       (unsigned long long)(after - before));
}

/*
 * Interrupts delivered to user space: every one of a burst is counted by
 * the waits, none collapsed, lost = count - 1 per wake-up, and poll()
 * signals pending interrupts.
 */
TEST_F(irq, user_space_waits_count_every_interrupt)
{
	const unsigned int burst = 2000;
	struct vfpga_irq_event ev;
	struct pollfd pfd = { .fd = vfpga_fd(self->dev), .events = POLLIN };
	uint64_t seen = 0, wakeups = 0, lost = 0;
	unsigned int vector;
	int ret;

	struct timespec t0, t1;
	double secs;

	/* Nothing pending on a fresh handle. */
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT_EQ(0, vfpga_irqgen_start(self->dev, variant->line, burst,
					&vector));
	while (seen < burst) {
		ret = vfpga_irq_wait(self->dev, vector, 5000, &ev);
		ASSERT_EQ(0, ret) TH_LOG("after %llu: %s",
					 (unsigned long long)seen,
					 vfpga_strerror(ret));
		ASSERT_LE(1, ev.count);
		EXPECT_EQ(ev.count - 1, ev.lost);
		seen += ev.count;
		lost += ev.lost;
		wakeups++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	EXPECT_EQ(burst, seen);
	EXPECT_EQ(0, vfpga_irqgen_wait(self->dev, 1000, NULL, NULL));
	EXPECT_EQ(-ETIMEDOUT, vfpga_irq_wait(self->dev, vector, 20, &ev));
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	EXPECT_EQ(-EINVAL, vfpga_irq_wait(self->dev, self->info.num_vectors,
					  0, &ev));
	ksft_print_msg("irq wait %s line %u: %llu interrupts in %.3f s "
		       "(%.0f/s to user space), %llu wake-ups, %llu without "
		       "their own\n",
		       vfpga_irq_mode_name(self->info.irq_mode), variant->line,
		       (unsigned long long)seen, secs, seen / secs,
		       (unsigned long long)wakeups, (unsigned long long)lost);
}

struct cb_count {
	volatile uint64_t interrupts;
	volatile uint64_t calls;
};

static void count_cb(void *ctx, const struct vfpga_irq_event *ev)
{
	struct cb_count *c = ctx;

	c->interrupts += ev->count;
	c->calls++;
}

/* A callback thread hears of every interrupt of a burst, then stops. */
TEST_F(irq, callback_thread_counts_every_interrupt)
{
	const unsigned int burst = 2000;
	struct cb_count c = { 0 };
	unsigned int vector = variant->line % self->info.num_vectors;
	int i;

	ASSERT_EQ(0, vfpga_irq_enable(self->dev, vector, count_cb, &c));
	EXPECT_EQ(-EBUSY, vfpga_irq_enable(self->dev, vector, count_cb, &c));
	ASSERT_EQ(0, vfpga_irqgen_start(self->dev, variant->line, burst,
					NULL));
	for (i = 0; i < 1000 && c.interrupts < burst; i++)
		usleep(10000);
	EXPECT_EQ(burst, c.interrupts);
	ASSERT_EQ(0, vfpga_irq_disable(self->dev, vector));
	EXPECT_LE(1, c.calls);
	/* Vectors the driver does not have. */
	EXPECT_EQ(-EINVAL, vfpga_irq_enable(self->dev, self->info.num_vectors,
					    count_cb, &c));
	EXPECT_EQ(-EINVAL, vfpga_irq_enable(self->dev, 1000, count_cb, &c));
}

TEST_HARNESS_MAIN
