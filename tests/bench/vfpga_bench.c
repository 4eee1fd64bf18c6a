// SPDX-License-Identifier: MIT
/*
 * vfpga_bench: the in-guest half of `make bench` (scripts/bench.sh).
 * Each subcommand measures one thing RUNS times and prints one JSON object
 * per run on stdout, raw figures that scripts/bench-report.py assembles:
 *
 *   irq-kp COUNT RUNS            ping-pong storm handled by the sample
 *                                kernel plugin (vfpga.ko loaded)
 *   irq-user COUNT RUNS          user-mode delivery through vfpga.ko, one
 *                                wake-up per interrupt (VFPGA_IRQ_USER_ACK)
 *   irq-bare ADDR COUNT RUNS     vfpga_bare.ko bound to the board
 *   irq-vfio ADDR COUNT RUNS     vfio-pci bound, MSI-X through an eventfd
 *   irq-uio ADDR COUNT RUNS      uio_pci_generic bound, INTx
 *   dma kernel|user SIZE RUNS    sample plugin DMA message, both ways
 *   call COUNT RUNS              kp_call round trip against plain ioctls
 *   paced QUEUE_DEPTH RUNS       highest paced rate the plugin sustains,
 *                                with the generator's event queue depth
 *   axil COUNT RUNS              one user-BAR (AXI-Lite) access through a
 *                                BAR0 mapping: the built-in reference
 *                                design against a user-logic plug-in
 *                                (the checksum sample's board) and, when
 *                                there is one, the RTL sample's board
 *   stream SIZE RUNS             one packet written to H2C stream 0 and
 *                                read back from C2H stream 0 of the
 *                                board with stream channels (the
 *                                reference design's loopback)
 *   irq-kp-rtl COUNT RUNS        irq-kp on the RTL sample's board (rtl/,
 *                                through Verilator and the RTL bridge)
 *
 * Interrupt latency is the device's own clock: VFPGA_USER_TIME read by the
 * handler minus VFPGA_IRQGEN_LAST_RAISE, in the log-linear buckets of
 * vfpga_kp_sample.h.  Rates are interrupts over guest CLOCK_MONOTONIC
 * time from the start of the storm to its last interrupt.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/vfio.h>

#include "libvfpga.h"
#include "uapi/vfpga.h"
#include "vfpga_kp_sample.h"
#include "vfpga_regs.h"
#include "checksum_regs.h"

#define LINE		0
#define PCI_COMMAND_OFF		4
#define PCI_COMMAND_INTX_OFF	0x400	/* INTx disable */
#define ALL_USER_LINES	((1u << VFPGA_USER_IRQ_LINES) - 1)
#define NBUCKETS	VFPGA_KP_SAMPLE_LAT_BUCKETS
#define STORM_TIMEOUT_NS	(30ull * 1000000000ull)

static void die(const char *what, int err)
{
	fprintf(stderr, "vfpga_bench: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* ---- latency histograms ---------------------------------------------- */

struct lat {
	uint64_t count;
	uint64_t max_ns;
	uint64_t hist[NBUCKETS];
};

static void lat_add(struct lat *l, uint64_t ns)
{
	l->count++;
	l->hist[vfpga_kp_sample_lat_bucket(ns)]++;
	if (ns > l->max_ns)
		l->max_ns = ns;
}

/*
 * The @p quantile, interpolated linearly inside its bucket (buckets are a
 * quarter of a power of two wide: that is the resolution).
 */
static double lat_quantile(const struct lat *l, double p)
{
	uint64_t rank, cum = 0;
	double lo, hi;
	unsigned int b;

	if (!l->count)
		return NAN;
	rank = (uint64_t)ceil(p * l->count);
	if (rank < 1)
		rank = 1;
	for (b = 0; b < NBUCKETS; b++) {
		if (cum + l->hist[b] >= rank)
			break;
		cum += l->hist[b];
	}
	if (b >= NBUCKETS)
		b = NBUCKETS - 1;
	lo = vfpga_kp_sample_lat_floor(b);
	hi = b + 1 < NBUCKETS ? vfpga_kp_sample_lat_floor(b + 1) : l->max_ns;
	if (hi > l->max_ns)
		hi = l->max_ns;
	if (hi < lo)
		hi = lo;
	return lo + (hi - lo) * (double)(rank - cum) / (double)l->hist[b];
}

static void print_num(const char *key, double v)
{
	if (isnan(v))
		printf(",\"%s\":null", key);
	else
		printf(",\"%s\":%.1f", key, v);
}

static void print_irq(const char *handler, int run, uint64_t count,
		      uint64_t elapsed_ns, const struct lat *l)
{
	unsigned int b, last = 0;

	printf("{\"bench\":\"irq\",\"handler\":\"%s\",\"run\":%d,\"count\":%" PRIu64
	       ",\"elapsed_ns\":%" PRIu64, handler, run, count, elapsed_ns);
	print_num("rate_per_s", elapsed_ns ? count * 1e9 / elapsed_ns : NAN);
	printf(",\"lat_count\":%" PRIu64, l ? l->count : 0);
	print_num("p50", l && l->count ? lat_quantile(l, 0.50) : NAN);
	print_num("p99", l && l->count ? lat_quantile(l, 0.99) : NAN);
	print_num("max", l && l->count ? (double)l->max_ns : NAN);
	printf(",\"hist\":[");
	if (l)
		for (b = 0; b < NBUCKETS; b++)
			if (l->hist[b])
				last = b + 1;
	for (b = 0; l && b < last; b++)
		printf("%s%" PRIu64, b ? "," : "", l->hist[b]);
	printf("]}\n");
	fflush(stdout);
}

/* Device clock through a BAR0 mapping: reading LO latches HI. */
static uint64_t mmio_read64(volatile void *bar0, uint32_t lo, uint32_t hi)
{
	uint64_t v = vfpga_mmio_read32(bar0, lo);

	return v | (uint64_t)vfpga_mmio_read32(bar0, hi) << 32;
}

/* What every user-space handler does: latency, then the acknowledge. */
static void user_handle(volatile void *bar0, struct lat *l)
{
	uint64_t t = mmio_read64(bar0, VFPGA_USER_TIME_LO, VFPGA_USER_TIME_HI);
	uint64_t r = mmio_read64(bar0, VFPGA_IRQGEN_LAST_RAISE_LO,
				 VFPGA_IRQGEN_LAST_RAISE_HI);

	lat_add(l, t - r);
	vfpga_mmio_write32(bar0, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
}

static void gen_start(volatile void *bar0, uint32_t count)
{
	vfpga_mmio_write32(bar0, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_PINGPONG);
	vfpga_mmio_write32(bar0, VFPGA_IRQGEN_LINE, LINE);
	vfpga_mmio_write32(bar0, VFPGA_IRQGEN_COUNT, count);
	vfpga_mmio_write32(bar0, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
}

static void check_counts(const char *who, volatile void *bar0, uint32_t count)
{
	uint32_t raised = vfpga_mmio_read32(bar0, VFPGA_IRQGEN_RAISED);
	uint32_t acked = vfpga_mmio_read32(bar0, VFPGA_IRQGEN_ACKED);

	if (raised != count || acked != count)
		fprintf(stderr, "vfpga_bench: %s: raised %u acked %u of %u\n",
			who, raised, acked, count);
}

static struct vfpga_device *open_board(void)
{
	struct vfpga_device *dev;
	int ret = vfpga_open(0, &dev);

	if (ret)
		die("/dev/vfpga0", ret);
	return dev;
}

/* ---- kernel plugin ---------------------------------------------------- */

static struct vfpga_kp *kp_open(struct vfpga_device *dev,
				enum vfpga_kp_mode mode)
{
	struct vfpga_kp *kp;
	int ret = vfpga_kp_open_mode(dev, VFPGA_KP_SAMPLE_NAME, mode, &kp);

	if (ret)
		die("open sample plugin", ret);
	return kp;
}

static int kp_counters(struct vfpga_kp *kp, struct vfpga_kp_sample_counters *c)
{
	size_t len = sizeof(*c);

	return vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_COUNTERS, NULL, 0, c, &len);
}

/* The RTL sample's board (boards/rtl-sample.board), by its subsystem ID. */
static struct vfpga_device *open_rtl_board(void)
{
	struct vfpga_device_info info;
	struct vfpga_device *dev;
	unsigned int i;

	for (i = 0; i < 16; i++) {
		if (vfpga_open(i, &dev))
			continue;
		if (!vfpga_get_info(dev, &info) &&
		    info.subsystem_device == VFPGA_RTL_SAMPLE_SUBSYSTEM_ID)
			return dev;
		vfpga_close(dev);
	}
	return NULL;
}

/*
 * @clock: the board's logic has the reference design's device clock
 * (VFPGA_USER_TIME, IRQGEN_LAST_RAISE), from which the plugin measures
 * latency; without it the figures are not printed.
 */
static int irq_kp_on(struct vfpga_device *dev, const char *handler,
		     bool clock, uint32_t count, int runs)
{
	struct vfpga_kp *kp = kp_open(dev, VFPGA_KP_KERNEL);
	struct vfpga_kp_sample_storm st = { .line = LINE, .count = count };
	struct vfpga_kp_sample_counters c;
	struct vfpga_kp_sample_latency kl;
	uint32_t wake = VFPGA_KP_SAMPLE_WAKE_NONE;
	struct lat l;
	uint64_t t0, t1;
	size_t len;
	int run, ret;

	ret = vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_SET_WAKE, &wake,
			    sizeof(wake), NULL, NULL);
	if (ret < 0)
		die("SET_WAKE", ret);
	ret = vfpga_kp_int_enable(kp);
	if (ret)
		die("kp int_enable", ret);
	for (run = 0; run < runs; run++) {
		t0 = now_ns();
		ret = vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_STORM, &st,
				    sizeof(st), NULL, NULL);
		if (ret < 0)
			die("STORM", ret);
		for (;;) {
			ret = kp_counters(kp, &c);
			if (ret < 0)
				die("COUNTERS", ret);
			t1 = now_ns();
			if (c.irqs >= count || t1 - t0 > STORM_TIMEOUT_NS)
				break;
			sleep_ms(1);
		}
		memset(&l, 0, sizeof(l));
		len = sizeof(kl);
		ret = vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_LATENCY, NULL, 0,
				    &kl, &len);
		if (ret >= 0) {
			l.count = kl.count;
			l.max_ns = kl.max_ns;
			memcpy(l.hist, kl.hist, sizeof(l.hist));
		} else {
			/* A plugin without LATENCY: the counters' max only. */
			fprintf(stderr, "vfpga_bench: LATENCY: %s\n",
				vfpga_strerror(ret));
		}
		print_irq(handler, run, c.irqs, t1 - t0,
			  ret >= 0 && clock ? &l : NULL);
	}
	vfpga_kp_int_disable(kp);
	vfpga_kp_close(kp);
	vfpga_close(dev);
	return 0;
}

static int irq_kp(uint32_t count, int runs)
{
	return irq_kp_on(open_board(), "kp", true, count, runs);
}

static int irq_kp_rtl(uint32_t count, int runs)
{
	struct vfpga_device *dev = open_rtl_board();

	if (!dev) {
		fprintf(stderr, "vfpga_bench: irq-kp-rtl needs the RTL sample's board (boards/rtl-sample.board)\n");
		return 1;
	}
	/* The RTL sample has no device clock. */
	return irq_kp_on(dev, "kp-rtl", false, count, runs);
}

/* ---- user mode through vfpga.ko --------------------------------------- */

static int irq_user(uint32_t count, int runs)
{
	struct vfpga_device *dev = open_board();
	struct vfpga_irq_event ev;
	volatile void *bar0;
	unsigned int vector;
	uint64_t len, t0, t1;
	uint32_t n;
	struct lat l;
	int run, ret;

	ret = vfpga_bar_map(dev, VFPGA_BAR_USER, &bar0, &len);
	if (ret)
		die("map BAR0", ret);
	ret = vfpga_irq_user_ack_take(dev, 1u << LINE, NULL);
	if (ret)
		die("VFPGA_IRQ_USER_ACK", ret);
	vfpga_mmio_write32(bar0, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_PINGPONG);
	for (run = 0; run < runs; run++) {
		memset(&l, 0, sizeof(l));
		t0 = now_ns();
		ret = vfpga_irqgen_start(dev, LINE, count, &vector);
		if (ret)
			die("IRQGEN_START", ret);
		for (n = 0; n < count; n++) {
			ret = vfpga_irq_wait(dev, vector, 5000, &ev);
			if (ret)
				die("IRQ_WAIT", ret);
			user_handle(bar0, &l);
			ret = vfpga_irq_unmask(dev, 1u << LINE);
			if (ret)
				die("unmask", ret);
		}
		t1 = now_ns();
		check_counts("user", bar0, count);
		print_irq("user", run, n, t1 - t0, &l);
	}
	vfpga_irq_user_ack_give(dev, 1u << LINE, NULL);
	vfpga_close(dev);
	return 0;
}

/* ---- vfpga_bare.ko ------------------------------------------------------ */

static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return 0;
}

static int irq_bare(const char *addr, uint32_t count, int runs)
{
	char run_path[256], res_path[256], buf[4096], num[32];
	unsigned long long handled, target, elapsed, max;
	struct lat l;
	uint64_t t0;
	char *p;
	int fd, run, ret, b;

	snprintf(run_path, sizeof(run_path),
		 "/sys/kernel/debug/vfpga_bare/%s/run", addr);
	snprintf(res_path, sizeof(res_path),
		 "/sys/kernel/debug/vfpga_bare/%s/results", addr);
	for (run = 0; run < runs; run++) {
		fd = open(run_path, O_WRONLY);
		if (fd < 0)
			die(run_path, errno);
		snprintf(num, sizeof(num), "%u", count);
		if (write(fd, num, strlen(num)) < 0)
			die("start bare storm", errno);
		close(fd);
		t0 = now_ns();
		for (;;) {
			ret = read_file(res_path, buf, sizeof(buf));
			if (ret)
				die(res_path, ret);
			if (sscanf(buf, "handled=%llu target=%llu elapsed_ns=%llu max_ns=%llu",
				   &handled, &target, &elapsed, &max) != 4)
				die("bare results", EPROTO);
			if (elapsed || now_ns() - t0 > STORM_TIMEOUT_NS)
				break;
			sleep_ms(5);
		}
		memset(&l, 0, sizeof(l));
		l.count = handled;
		l.max_ns = max;
		p = strstr(buf, "hist=");
		for (b = 0, p = p ? p + 5 : NULL; p && b < NBUCKETS; b++) {
			l.hist[b] = strtoull(p, &p, 10);
			if (*p != ',')
				break;
			p++;
		}
		print_irq("bare", run, handled, elapsed, &l);
	}
	return 0;
}

/* ---- vfio-pci ----------------------------------------------------------- */

static int irq_vfio(const char *addr, uint32_t count, int runs)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	struct vfio_region_info r0 = { .argsz = sizeof(r0),
				       .index = VFIO_PCI_BAR0_REGION_INDEX };
	struct vfio_region_info r1 = { .argsz = sizeof(r1),
				       .index = VFIO_PCI_BAR1_REGION_INDEX };
	struct vfio_region_info rc = { .argsz = sizeof(rc),
				       .index = VFIO_PCI_CONFIG_REGION_INDEX };
	struct vfio_irq_info ii = { .argsz = sizeof(ii),
				    .index = VFIO_PCI_MSIX_IRQ_INDEX };
	char path[300], link[256], *grp;
	struct {
		struct vfio_irq_set set;
		int32_t fd;
	} irqs;
	volatile void *bar0;
	uint64_t v, t0, t1;
	uint32_t n, zero = 0, en = 1u << LINE;
	uint16_t cmd;
	struct lat l;
	int container, group, device, efd, run, i;
	ssize_t len;

	container = open("/dev/vfio/vfio", O_RDWR);
	if (container < 0)
		die("/dev/vfio/vfio", errno);
	if (ioctl(container, VFIO_GET_API_VERSION) != VFIO_API_VERSION ||
	    !ioctl(container, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU))
		die("vfio type1 IOMMU", ENOTSUP);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", addr);
	len = readlink(path, link, sizeof(link) - 1);
	if (len < 0)
		die(path, errno);
	link[len] = 0;
	grp = strrchr(link, '/');
	snprintf(path, sizeof(path), "/dev/vfio/%s", grp ? grp + 1 : link);
	group = open(path, O_RDWR);
	if (group < 0)
		die(path, errno);
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &gs) ||
	    !(gs.flags & VFIO_GROUP_FLAGS_VIABLE))
		die("vfio group not viable (other devices in it?)", EBUSY);
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container))
		die("VFIO_GROUP_SET_CONTAINER", errno);
	if (ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU))
		die("VFIO_SET_IOMMU", errno);
	device = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, addr);
	if (device < 0)
		die("VFIO_GROUP_GET_DEVICE_FD", errno);
	if (ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &r0) ||
	    ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &r1) ||
	    ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &rc))
		die("VFIO_DEVICE_GET_REGION_INFO", errno);
	if (!(r0.flags & VFIO_REGION_INFO_FLAG_MMAP))
		die("BAR0 cannot be mapped", ENOTSUP);
	bar0 = mmap(NULL, r0.size, PROT_READ | PROT_WRITE, MAP_SHARED, device,
		    r0.offset);
	if (bar0 == MAP_FAILED)
		die("mmap BAR0", errno);
	/* Bus mastering: MSI-X messages are the device's memory writes. */
	if (pread(device, &cmd, 2, rc.offset + 4) != 2)
		die("read PCI command", errno);
	cmd |= 0x6;	/* memory space, bus master */
	if (pwrite(device, &cmd, 2, rc.offset + 4) != 2)
		die("write PCI command", errno);
	if (ioctl(device, VFIO_DEVICE_GET_IRQ_INFO, &ii) || ii.count < 1)
		die("no MSI-X", ENOTSUP);
	efd = eventfd(0, EFD_CLOEXEC);
	if (efd < 0)
		die("eventfd", errno);
	irqs.set.argsz = sizeof(irqs);
	irqs.set.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	irqs.set.index = VFIO_PCI_MSIX_IRQ_INDEX;
	irqs.set.start = 0;
	irqs.set.count = 1;
	irqs.fd = efd;
	if (ioctl(device, VFIO_DEVICE_SET_IRQS, &irqs))
		die("VFIO_DEVICE_SET_IRQS", errno);
	/* The XDMA IRQ block, by the region's read/write: line 0 to vector 0. */
	for (i = 0; i < XDMA_IRQ_USER_VEC_REGS; i++)
		if (pwrite(device, &zero, 4, r1.offset + XDMA_IRQ_BASE +
			   XDMA_IRQ_USER_VEC_NUM + 4 * i) != 4)
			die("write USER_VEC_NUM", errno);
	if (pwrite(device, &en, 4, r1.offset + XDMA_IRQ_BASE +
		   XDMA_IRQ_USER_INT_EN_W1S) != 4)
		die("write USER_INT_EN_W1S", errno);

	for (run = 0; run < runs; run++) {
		memset(&l, 0, sizeof(l));
		t0 = now_ns();
		gen_start(bar0, count);
		for (n = 0; n < count; n++) {
			if (read(efd, &v, sizeof(v)) != sizeof(v))
				die("read eventfd", errno);
			user_handle(bar0, &l);
		}
		t1 = now_ns();
		check_counts("vfio", bar0, count);
		print_irq("vfio", run, n, t1 - t0, &l);
	}
	en = ALL_USER_LINES;
	pwrite(device, &en, 4, r1.offset + XDMA_IRQ_BASE +
	       XDMA_IRQ_USER_INT_EN_W1C);
	close(device);
	close(group);
	close(container);
	return 0;
}

/* ---- uio_pci_generic ---------------------------------------------------- */

static volatile void *map_resource(const char *addr, int bar, size_t size)
{
	char path[256];
	void *p;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource%d",
		 addr, bar);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0)
		die(path, errno);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap resource", errno);
	close(fd);
	return p;
}

static int irq_uio(const char *addr, uint32_t count, int runs)
{
	volatile void *bar0, *bar1;
	char path[256], node[300];
	struct dirent *de;
	uint32_t n, icount;
	uint16_t cmd;
	uint64_t t0, t1;
	struct lat l;
	DIR *d;
	int fd = -1, cfg, run;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/uio", addr);
	d = opendir(path);
	if (!d)
		die(path, errno);
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "uio", 3)) {
			snprintf(node, sizeof(node), "/dev/%s", de->d_name);
			fd = open(node, O_RDWR);
			break;
		}
	closedir(d);
	if (fd < 0)
		die("/dev/uioN", errno ? errno : ENOENT);
	/*
	 * uio_pci_generic masks INTx in the PCI command register when the
	 * interrupt fires; user space unmasks it there (it has no irqcontrol).
	 */
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", addr);
	cfg = open(path, O_RDWR);
	if (cfg < 0)
		die(path, errno);
	if (pread(cfg, &cmd, 2, PCI_COMMAND_OFF) != 2)
		die("read PCI command", errno);
	cmd &= ~PCI_COMMAND_INTX_OFF;
	bar0 = map_resource(addr, VFPGA_BAR_USER, VFPGA_BAR_USER_SIZE);
	bar1 = map_resource(addr, VFPGA_BAR_DMA, VFPGA_BAR_DMA_SIZE);
	/* INTx: no vector map needed; INTA follows the enabled lines. */
	vfpga_mmio_write32(bar1, XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_EN_W1S,
			   1u << LINE);
	if (pwrite(cfg, &cmd, 2, PCI_COMMAND_OFF) != 2)
		die("unmask INTx", errno);

	for (run = 0; run < runs; run++) {
		memset(&l, 0, sizeof(l));
		t0 = now_ns();
		gen_start(bar0, count);
		for (n = 0; n < count; n++) {
			if (read(fd, &icount, sizeof(icount)) != sizeof(icount))
				die("read uio", errno);
			user_handle(bar0, &l);
			if (pwrite(cfg, &cmd, 2, PCI_COMMAND_OFF) != 2)
				die("unmask INTx", errno);
		}
		t1 = now_ns();
		check_counts("uio", bar0, count);
		print_irq("uio", run, n, t1 - t0, &l);
	}
	vfpga_mmio_write32(bar1, XDMA_IRQ_BASE + XDMA_IRQ_USER_INT_EN_W1C,
			   ALL_USER_LINES);
	close(cfg);
	close(fd);
	return 0;
}

/* ---- DMA through the sample plugin ------------------------------------- */

/*
 * The driver's per-stage sums (vfpga_dma_stages.c) for one path, "kp" or
 * "ioctl": transfers, then ns in each stage.  false when debugfs does not
 * have them.
 */
#define DMA_STAGES	6
static const char *const dma_stage_names[DMA_STAGES] = {
	"setup", "doorbell", "engine_irq", "wake", "stop", "teardown",
};

static bool dma_stages_read(const char *path, uint64_t v[DMA_STAGES + 1])
{
	char line[128], key[64];
	unsigned long long n;
	unsigned int i, found = 0;
	FILE *f = fopen("/sys/kernel/debug/vfpga/dma-stages/vfpga0", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		for (i = 0; i <= DMA_STAGES; i++) {
			if (i == 0)
				snprintf(key, sizeof(key), "%s_transfers: %%llu", path);
			else
				snprintf(key, sizeof(key), "%s_%s_ns: %%llu", path,
					 dma_stage_names[i - 1]);
			if (sscanf(line, key, &n) == 1) {
				v[i] = n;
				found++;
			}
		}
	}
	fclose(f);
	return found == DMA_STAGES + 1;
}

/* The mean ns per transfer in each stage between two reads, as JSON. */
static void dma_stages_print(const uint64_t a[DMA_STAGES + 1],
			     const uint64_t b[DMA_STAGES + 1])
{
	uint64_t n = b[0] - a[0];
	char key[32];
	unsigned int i;

	printf(",\"stage_transfers\":%" PRIu64, n);
	for (i = 0; i < DMA_STAGES; i++) {
		snprintf(key, sizeof(key), "stage_%s_ns", dma_stage_names[i]);
		print_num(key, n ? (double)(b[i + 1] - a[i + 1]) / n : NAN);
	}
}

/* Enough iterations to move at least 64 MiB: 4 to 8192 transfers. */
static uint32_t dma_iterations(uint64_t size)
{
	uint64_t it = (64ull << 20) / size;

	if (it < 4)
		it = 4;
	if (it > 8192)
		it = 8192;
	return it;
}

static int dma(const char *mode, uint64_t size, int runs)
{
	struct vfpga_device *dev = open_board();
	enum vfpga_kp_mode m = strcmp(mode, "user") ? VFPGA_KP_KERNEL :
						       VFPGA_KP_USER;
	struct vfpga_kp *kp = kp_open(dev, m);
	struct vfpga_kp_sample_dma req = {
		.channel = 0, .card_offset = 0, .length = size,
		.iterations = dma_iterations(size), .seed = 42,
	};
	struct vfpga_kp_sample_dma_result res;
	const char *dirs[] = { "h2c", "c2h" };
	/* A plugin hosted in user mode moves data through the ioctl. */
	const char *path = m == VFPGA_KP_USER ? "ioctl" : "kp";
	uint64_t t0, t1, st0[DMA_STAGES + 1], st1[DMA_STAGES + 1];
	bool stages;
	size_t len;
	int run, d, ret;

	/* Run -1 warms up (buffers, first touch of guest memory): not shown. */
	for (run = -1; run < runs; run++)
		for (d = 0; d < 2; d++) {
			req.dir = d ? VFPGA_KP_SAMPLE_DMA_C2H :
				      VFPGA_KP_SAMPLE_DMA_H2C;
			len = sizeof(res);
			stages = dma_stages_read(path, st0);
			t0 = now_ns();
			ret = vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_DMA, &req,
					    sizeof(req), &res, &len);
			t1 = now_ns();
			stages = stages && dma_stages_read(path, st1);
			if (ret < 0) {
				fprintf(stderr, "vfpga_bench: DMA %s %s %" PRIu64 ": %s\n",
					mode, dirs[d], size, vfpga_strerror(ret));
				vfpga_kp_close(kp);
				vfpga_close(dev);
				return 1;
			}
			if (run < 0)
				continue;
			printf("{\"bench\":\"dma\",\"dir\":\"%s\",\"size\":%" PRIu64
			       ",\"completion\":\"%s\",\"run\":%d,\"iterations\":%u,\"total_ns\":%" PRIu64
			       ",\"wall_ns\":%" PRIu64, dirs[d], size,
			       m == VFPGA_KP_USER ? "user" : "kernel", run,
			       res.iterations, (uint64_t)res.total_ns, t1 - t0);
			print_num("mb_per_s", res.total_ns ?
				  (double)size * res.iterations * 1e3 / res.total_ns : NAN);
			if (stages)
				dma_stages_print(st0, st1);
			printf("}\n");
			fflush(stdout);
		}
	vfpga_kp_close(kp);
	vfpga_close(dev);
	return 0;
}

/* ---- kp_call against plain ioctls --------------------------------------- */

static void print_call(const char *what, int run, uint32_t n, uint64_t ns)
{
	printf("{\"bench\":\"call\",\"what\":\"%s\",\"run\":%d,\"count\":%u",
	       what, run, n);
	print_num("ns", (double)ns / n);
	printf("}\n");
	fflush(stdout);
}

/* @n VERSION messages to @kp, timed as call figure @what. */
static void time_version_calls(struct vfpga_kp *kp, const char *what,
			       int run, uint32_t n)
{
	struct vfpga_kp_sample_version v;
	uint64_t t0 = now_ns();
	uint32_t i;
	size_t len;
	int ret;

	for (i = 0; i < n; i++) {
		len = sizeof(v);
		ret = vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_VERSION, NULL, 0,
				    &v, &len);
		if (ret < 0)
			die(what, ret);
	}
	print_call(what, run, n, now_ns() - t0);
}

static int calls(uint32_t n, int runs)
{
	struct vfpga_device *dev = open_board();
	struct vfpga_kp *kp = kp_open(dev, VFPGA_KP_KERNEL);
	struct vfpga_kp *ukp = kp_open(dev, VFPGA_KP_USER);
	uint64_t t0;
	uint32_t i, id;
	int run, ret;

	for (run = 0; run < runs; run++) {
		time_version_calls(kp, "kp_call", run, n);
		time_version_calls(ukp, "kp_call_user_mode", run, n);

		/* The same work as VERSION: one register read of BAR0. */
		t0 = now_ns();
		for (i = 0; i < n; i++) {
			ret = vfpga_reg_read32(dev, VFPGA_BAR_USER,
					       VFPGA_USER_ID, &id);
			if (ret < 0)
				die("VFPGA_REG_READ", ret);
		}
		print_call("ioctl_reg_read", run, n, now_ns() - t0);

		t0 = now_ns();
		for (i = 0; i < n; i++)
			if (ioctl(vfpga_fd(dev), VFPGA_GET_API_VERSION) < 0)
				die("VFPGA_GET_API_VERSION", errno);
		print_call("ioctl_api_version", run, n, now_ns() - t0);
	}
	vfpga_kp_close(ukp);
	vfpga_kp_close(kp);
	vfpga_close(dev);
	return 0;
}

/* ---- axil: one user-logic register access ------------------------------ */

/*
 * The first board whose ID register (offset 0 of BAR0) reads @id, with
 * its BAR0 mapped at *@bar0; NULL when there is none.
 */
static struct vfpga_device *open_by_id(uint32_t id, volatile void **bar0)
{
	struct vfpga_device *dev;
	uint64_t len;
	unsigned int i;

	for (i = 0; i < 16; i++) {
		if (vfpga_open(i, &dev))
			continue;
		if (!vfpga_bar_map(dev, VFPGA_BAR_USER, bar0, &len) &&
		    vfpga_mmio_read32(*bar0, 0) == id)
			return dev;
		vfpga_close(dev);
	}
	return NULL;
}

/*
 * @n reads, then @n writes, of the scratch register at @reg through the
 * mapping: each one guest access, an exit to QEMU, the board's AXI-Lite
 * master and the logic's axil_read/axil_write.
 */
static void time_axil(volatile void *bar0, uint32_t reg, const char *logic,
		      int run, uint32_t n)
{
	uint64_t t0;
	uint32_t i, sum = 0;

	t0 = now_ns();
	for (i = 0; i < n; i++)
		sum += vfpga_mmio_read32(bar0, reg);
	printf("{\"bench\":\"axil\",\"logic\":\"%s\",\"op\":\"read\","
	       "\"run\":%d,\"count\":%u", logic, run, n);
	print_num("ns", (double)(now_ns() - t0) / n);
	printf("}\n");
	t0 = now_ns();
	for (i = 0; i < n; i++)
		vfpga_mmio_write32(bar0, reg, i + sum);
	printf("{\"bench\":\"axil\",\"logic\":\"%s\",\"op\":\"write\","
	       "\"run\":%d,\"count\":%u", logic, run, n);
	print_num("ns", (double)(now_ns() - t0) / n);
	printf("}\n");
	fflush(stdout);
}

static int axil(uint32_t n, int runs)
{
	volatile void *ref_bar, *ul_bar;
	struct vfpga_device *ref = open_by_id(VFPGA_ID_MAGIC, &ref_bar);
	struct vfpga_device *ul = open_by_id(CSUM_ID_MAGIC, &ul_bar);
	struct vfpga_device *rtl = open_rtl_board();
	volatile void *rtl_bar = NULL;
	uint64_t len;
	int run;

	if (!ref || !ul) {
		fprintf(stderr, "vfpga_bench: axil needs a reference board and "
			"one with the checksum plug-in\n");
		return 1;
	}
	if (rtl && vfpga_bar_map(rtl, VFPGA_BAR_USER, &rtl_bar, &len)) {
		vfpga_close(rtl);
		rtl = NULL;
	}
	/* Interleaved, so that a slow spell of the host hits all alike. */
	for (run = 0; run < runs; run++) {
		time_axil(ref_bar, VFPGA_USER_SCRATCH, "reference", run, n);
		time_axil(ul_bar, CSUM_SCRATCH, "plugin", run, n);
		if (rtl)
			time_axil(rtl_bar, VFPGA_USER_SCRATCH, "rtl", run, n);
	}
	if (rtl)
		vfpga_close(rtl);
	vfpga_close(ul);
	vfpga_close(ref);
	return 0;
}

/* ---- stream: loopback packets through the stream channels -------------- */

/*
 * @runs packets of @size bytes (at most 4 MiB: one call each way) through
 * the first board whose H2C 0 and C2H 0 are streams: written with EOP,
 * then read back and compared, in one thread.  The loopback figure is
 * @size over the write and the read together.
 */
static int stream(uint64_t size, int runs)
{
	struct vfpga_device_info info;
	struct vfpga_device *dev = NULL;
	/* Whole 8-byte stream beats, as a C2H read takes them. */
	uint64_t room = (size + 7) & ~7ull;
	uint8_t *src = malloc(size), *dst = malloc(room);
	uint64_t t0, t1, t2, got;
	unsigned int i;
	bool eop;
	int run, ret;

	for (i = 0; i < 16 && !dev; i++) {
		if (vfpga_open(i, &dev))
			continue;
		if (vfpga_get_info(dev, &info) || !(info.h2c_stream & 1) ||
		    !(info.c2h_stream & 1)) {
			vfpga_close(dev);
			dev = NULL;
		}
	}
	if (!dev || !src || !dst) {
		fprintf(stderr, "vfpga_bench: stream needs a board with H2C 0 "
			"and C2H 0 streams\n");
		return 1;
	}
	for (i = 0; i < size; i++)
		src[i] = i * 7 + 3;
	for (run = 0; run < runs; run++) {
		t0 = now_ns();
		ret = vfpga_stream_write(dev, 0, src, size, VFPGA_STREAM_END, 0,
					 NULL);
		if (ret)
			die("vfpga_stream_write", ret);
		t1 = now_ns();
		ret = vfpga_stream_read(dev, 0, dst, room, 0, &got, &eop,
					NULL);
		if (ret)
			die("vfpga_stream_read", ret);
		t2 = now_ns();
		if (got != size || !eop || memcmp(src, dst, size)) {
			fprintf(stderr, "vfpga_bench: stream: %" PRIu64 " bytes "
				"sent, %" PRIu64 " back%s\n", size, got,
				eop ? "" : " without EOP");
			return 1;
		}
		printf("{\"bench\":\"stream\",\"size\":%" PRIu64 ",\"run\":%d",
		       size, run);
		print_num("write_ns", t1 - t0);
		print_num("read_ns", t2 - t1);
		print_num("mb_s", size * 1e3 / (double)(t2 - t0));
		printf("}\n");
		fflush(stdout);
	}
	vfpga_close(dev);
	free(src);
	free(dst);
	return 0;
}

/* ---- paced: the highest rate the plugin keeps up with ------------------ */

static uint32_t reg(struct vfpga_device *dev, uint32_t off)
{
	uint32_t v = 0;
	int ret = vfpga_reg_read32(dev, VFPGA_BAR_USER, off, &v);

	if (ret)
		die("VFPGA_REG_READ", ret);
	return v;
}

/*
 * One paced run of about half a second of device time at @rate, with an
 * event queue of @depth beats in the generator: does the plugin take every
 * beat (no overrun, raised = acked = handled = beats)?
 */
static bool paced_ok(struct vfpga_device *dev, struct vfpga_kp *kp,
		     uint32_t rate, uint32_t depth, int run)
{
	struct vfpga_kp_sample_paced pc = { .line = LINE, .rate = rate,
					    .queue_depth = depth };
	struct vfpga_kp_sample_counters c;
	uint32_t raised, acked, overrun, i;
	int ret;

	pc.count = rate / 2 < 1000 ? 1000 : rate / 2;
	ret = vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_PACED, &pc, sizeof(pc),
			    NULL, NULL);
	if (ret < 0)
		die("PACED", ret);
	/* Twenty times the nominal run time before giving up. */
	for (i = 0; i < 2000; i++) {
		sleep_ms(5);
		if (!(reg(dev, VFPGA_IRQGEN_STATUS) & VFPGA_IRQGEN_STATUS_BUSY))
			break;
	}
	if (i == 2000)
		vfpga_reg_write32(dev, VFPGA_BAR_USER, VFPGA_IRQGEN_CTRL,
				  VFPGA_IRQGEN_CTRL_STOP);
	raised = reg(dev, VFPGA_IRQGEN_RAISED);
	acked = reg(dev, VFPGA_IRQGEN_ACKED);
	overrun = reg(dev, VFPGA_IRQGEN_OVERRUN);
	ret = kp_counters(kp, &c);
	if (ret < 0)
		die("COUNTERS", ret);
	printf("{\"bench\":\"paced_try\",\"run\":%d,\"queue_depth\":%u,"
	       "\"rate\":%u,\"count\":%u,\"raised\":%u,\"acked\":%u,"
	       "\"handled\":%" PRIu64 ",\"overrun\":%u}\n",
	       run, depth, rate, pc.count, raised, acked, (uint64_t)c.irqs,
	       overrun);
	fflush(stdout);
	return overrun == 0 && raised == pc.count && acked == raised &&
	       c.irqs == raised;
}

/*
 * The highest rate that passes: from 10,000/s halve until a run passes or
 * double until one fails, then bisect to within 3%.
 */
static uint32_t paced_search(struct vfpga_device *dev, struct vfpga_kp *kp,
			     uint32_t depth, int run, uint32_t *failing)
{
	uint32_t lo = 0, hi = 10000, mid;
	int steps;

	while (hi >= 500 && !paced_ok(dev, kp, hi, depth, run))
		hi /= 2;
	if (hi < 500) {
		*failing = hi * 2;
		return 0;
	}
	lo = hi;
	if (hi == 10000) {
		while (hi <= 20480000 && paced_ok(dev, kp, hi * 2, depth, run))
			hi *= 2;
		lo = hi;
		hi *= 2;
	} else {
		hi *= 2;
	}
	for (steps = 0; steps < 8 && hi - lo > lo / 32; steps++) {
		mid = lo + (hi - lo) / 2;
		if (paced_ok(dev, kp, mid, depth, run))
			lo = mid;
		else
			hi = mid;
	}
	*failing = hi;
	return lo;
}

static int paced(uint32_t depth, int runs)
{
	struct vfpga_device *dev = open_board();
	struct vfpga_kp *kp = kp_open(dev, VFPGA_KP_KERNEL);
	uint32_t wake = VFPGA_KP_SAMPLE_WAKE_NONE;
	uint32_t best, failing;
	int run, ret;

	ret = vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_SET_WAKE, &wake,
			    sizeof(wake), NULL, NULL);
	if (ret < 0)
		die("SET_WAKE", ret);
	ret = vfpga_kp_int_enable(kp);
	if (ret)
		die("kp int_enable", ret);
	for (run = 0; run < runs; run++) {
		best = paced_search(dev, kp, depth, run, &failing);
		printf("{\"bench\":\"paced\",\"run\":%d,\"queue_depth\":%u,"
		       "\"max_rate_per_s\":%u,\"first_failing_rate\":%u}\n",
		       run, depth, best, failing);
		fflush(stdout);
	}
	vfpga_kp_int_disable(kp);
	vfpga_kp_close(kp);
	vfpga_close(dev);
	return 0;
}

static unsigned long arg_num(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *end) {
		fprintf(stderr, "vfpga_bench: not a number: %s\n", s);
		exit(2);
	}
	return v;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: vfpga_bench irq-kp|irq-user COUNT RUNS\n"
		"       vfpga_bench irq-bare|irq-vfio|irq-uio PCI_ADDR COUNT RUNS\n"
		"       vfpga_bench dma kernel|user SIZE RUNS\n"
		"       vfpga_bench call COUNT RUNS\n"
		"       vfpga_bench paced QUEUE_DEPTH RUNS\n"
		"       vfpga_bench axil COUNT RUNS\n"
		"       vfpga_bench stream SIZE RUNS\n"
		"       vfpga_bench irq-kp-rtl COUNT RUNS\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "irq-kp") && argc == 4)
		return irq_kp(arg_num(argv[2]), arg_num(argv[3]));
	if (!strcmp(cmd, "irq-kp-rtl") && argc == 4)
		return irq_kp_rtl(arg_num(argv[2]), arg_num(argv[3]));
	if (!strcmp(cmd, "irq-user") && argc == 4)
		return irq_user(arg_num(argv[2]), arg_num(argv[3]));
	if (!strcmp(cmd, "irq-bare") && argc == 5)
		return irq_bare(argv[2], arg_num(argv[3]), arg_num(argv[4]));
	if (!strcmp(cmd, "irq-vfio") && argc == 5)
		return irq_vfio(argv[2], arg_num(argv[3]), arg_num(argv[4]));
	if (!strcmp(cmd, "irq-uio") && argc == 5)
		return irq_uio(argv[2], arg_num(argv[3]), arg_num(argv[4]));
	if (!strcmp(cmd, "dma") && argc == 5)
		return dma(argv[2], arg_num(argv[3]), arg_num(argv[4]));
	if (!strcmp(cmd, "call") && argc == 4)
		return calls(arg_num(argv[2]), arg_num(argv[3]));
	if (!strcmp(cmd, "paced") && argc == 4)
		return paced(arg_num(argv[2]), arg_num(argv[3]));
	if (!strcmp(cmd, "axil") && argc == 4)
		return axil(arg_num(argv[2]), arg_num(argv[3]));
	if (!strcmp(cmd, "stream") && argc == 4)
		return stream(arg_num(argv[2]), arg_num(argv[3]));
	return usage();
}
