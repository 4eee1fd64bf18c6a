// SPDX-License-Identifier: MIT
/*
 * In-guest tests of what the driver does with memory the board may use,
 * and of the ioctl interface's growth rules:
 *  - an engine that will not stop (the board's stuck-busy fault) leaves
 *    its channel dead with -EIO and its memory kept, the other channels
 *    working, until a reset and a new binding (board 1);
 *  - remove() frees every DMA buffer at once, with a file still open:
 *    pinned SG memory is unpinned and uncharged then, not at close(), and
 *    the file gets -ENODEV (board 1);
 *  - pinning is bounded (VFPGA_DMA_PIN_MAX, -E2BIG, no kernel warning)
 *    and charged to RLIMIT_MEMLOCK unless the caller has CAP_IPC_LOCK;
 *  - argsz, pads and unknown trailing bytes, the mmap offsets a 32-bit
 *    process can reach.
 * The debug lane's DMA-API checker and kmemleak see the rest: no DMA API
 * call after remove(), nothing leaked once a dead channel has stopped.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/capability.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "libvfpga.h"
#include "uapi/vfpga.h"
#include "vfpga_kp_sample.h"
#include "vfpga_regs.h"
#include "vfpga_test_util.h"

#define KiB	1024ull
#define MiB	(1024 * KiB)

/* This process's pinned memory (VmPin), in KiB; -1 if unknown. */
static long vm_pinned_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f;

	f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPin: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* Board @index bound to the driver again, its node back. */
static int board_bind(const char *pci, unsigned int index)
{
	char node[32];
	int i, ret;

	ret = sysfs_write("/sys/bus/pci/drivers/vfpga/bind", pci);
	if (ret)
		return ret;
	snprintf(node, sizeof(node), "/dev/vfpga%u", index);
	for (i = 0; i < 500 && access(node, F_OK); i++)
		usleep(10000);
	return access(node, F_OK) ? -ENOENT : 0;
}

static int xfer(int fd, uint32_t dir, uint32_t channel, uint32_t flags,
		uint64_t card, void *user, uint32_t buf_id, uint64_t len)
{
	struct vfpga_dma_xfer x = {
		.argsz = sizeof(x), .flags = flags, .dir = dir,
		.channel = channel, .card_offset = card, .length = len,
		.user_addr = (uintptr_t)user, .buf_id = buf_id,
	};

	return ioctl(fd, VFPGA_DMA_XFER, &x) ? -errno : 0;
}

static int sg_map(int fd, void *addr, uint64_t len, uint32_t *id)
{
	struct vfpga_dma_sg m = {
		.argsz = sizeof(m), .user_addr = (uintptr_t)addr, .length = len,
	};

	if (ioctl(fd, VFPGA_DMA_SG_MAP, &m))
		return -errno;
	*id = m.id;
	return 0;
}

static int sg_unmap(int fd, uint32_t id)
{
	struct vfpga_dma_sg m = { .argsz = sizeof(m), .id = id };

	return ioctl(fd, VFPGA_DMA_SG_UNMAP, &m) ? -errno : 0;
}

static int arm_stuck_busy(struct vfpga_device *dev)
{
	return vfpga_reg_write32(dev, VFPGA_BAR_USER, VFPGA_USER_FAULT,
				 VFPGA_FAULT_STUCK_BUSY);
}

static void on_alarm(int sig)
{
}

/* SIGALRM in @ms, interrupting (no SA_RESTART) whatever then waits. */
static void alarm_in(unsigned int ms)
{
	struct itimerval it = { .it_value = {
		.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 } };
	struct sigaction sa = { .sa_handler = on_alarm };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static void alarm_off(void)
{
	struct itimerval it = { };

	setitimer(ITIMER_REAL, &it, NULL);
}

static void fill(uint8_t *p, size_t len, uint32_t seed)
{
	size_t i;

	for (i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = seed >> 16;
	}
}

/* @len bytes to card memory at @card over @channel and back, verified. */
static int round_trip(int fd, uint32_t channel, uint64_t card, size_t len,
		      uint32_t seed)
{
	uint8_t *out = malloc(len), *in = calloc(1, len);
	int ret = -ENOMEM;

	if (out && in) {
		fill(out, len, seed);
		ret = xfer(fd, VFPGA_DMA_H2C, channel, VFPGA_XFER_USER_PTR,
			   card, out, 0, len);
		if (!ret)
			ret = xfer(fd, VFPGA_DMA_C2H, channel,
				   VFPGA_XFER_USER_PTR, card, in, 0, len);
		if (!ret && memcmp(out, in, len))
			ret = -EILSEQ;
	}
	free(out);
	free(in);
	return ret;
}

/*
 * Finding 6: a transfer whose engine will not stop.  Board 1's H2C
 * channel 1 (from a coherent buffer) and 2 (from user memory) are wedged
 * by the stuck-busy fault: each transfer is stopped on a signal, the stop
 * finds BUSY still set and the channel dies with -EIO, and so does the
 * next transfer on it, at once; the buffer it used cannot be freed; the
 * other channels work.  An FLR of the board and a new binding bring both
 * back, the kept memory freed by remove() once it sees them stopped.
 */
TEST(stuck_channel_dies_alone)
{
	struct vfpga_dma_buf b = { .argsz = sizeof(b), .size = 4096 };
	char pci[64], path[128];
	struct vfpga_device *dev;
	uint8_t *user;
	int fd, before;

	ASSERT_EQ(0, board_pci_name(1, pci, sizeof(pci)));
	ASSERT_EQ(0, vfpga_open(1, &dev));
	fd = vfpga_fd(dev);
	before = dmesg_count("would not stop");
	ASSERT_EQ(0, ioctl(fd, VFPGA_DMA_ALLOC, &b));
	user = aligned_alloc(4096, 4096);
	ASSERT_NE(NULL, user);
	fill(user, 4096, 1);

	/* Coherent buffer on h2c1: interrupted, not stopped: dead. */
	ASSERT_EQ(0, arm_stuck_busy(dev));
	alarm_in(300);
	EXPECT_EQ(-EIO, xfer(fd, VFPGA_DMA_H2C, 1, 0, 0, NULL, b.id, 4096));
	alarm_off();
	/* User memory on h2c2, completion by polling: the same. */
	ASSERT_EQ(0, arm_stuck_busy(dev));
	alarm_in(300);
	EXPECT_EQ(-EIO, xfer(fd, VFPGA_DMA_H2C, 2,
			     VFPGA_XFER_USER_PTR | VFPGA_XFER_POLL, 4096,
			     user, 0, 4096));
	alarm_off();
	EXPECT_EQ(before + 2, dmesg_count("would not stop"));

	/* Dead: at once, without starting the engine (a guard, not a wait). */
	alarm_in(2000);
	EXPECT_EQ(-EIO, xfer(fd, VFPGA_DMA_H2C, 1, VFPGA_XFER_USER_PTR, 0,
			     user, 0, 4096));
	EXPECT_EQ(-EIO, xfer(fd, VFPGA_DMA_H2C, 2, 0, 0, NULL, b.id, 4096));
	alarm_off();
	/* The engine may still read the buffer: it stays. */
	b.argsz = sizeof(b);
	EXPECT_EQ(-1, ioctl(fd, VFPGA_DMA_FREE, &b));
	EXPECT_EQ(EBUSY, errno);
	/* The other channels work, both ways. */
	EXPECT_EQ(0, round_trip(fd, 0, 64 * KiB, 64 * KiB, 2));
	EXPECT_EQ(0, round_trip(fd, 3, 128 * KiB, 4096, 3));
	EXPECT_EQ(0, xfer(fd, VFPGA_DMA_C2H, 1, VFPGA_XFER_USER_PTR, 0, user,
			  0, 4096));

	/*
	 * Reset the board (FLR), with the file still open, then bind it
	 * again: remove() sees the engines stopped and frees what they kept
	 * (the debug lane's DMA-API checker would report it at unbind).
	 */
	before = dmesg_count("has stopped: freeing what it kept");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/reset", pci);
	ASSERT_EQ(0, sysfs_write(path, "1"));
	ASSERT_EQ(0, sysfs_write("/sys/bus/pci/drivers/vfpga/unbind", pci));
	EXPECT_EQ(before + 2,
		  dmesg_count("has stopped: freeing what it kept"));
	vfpga_close(dev);
	ASSERT_EQ(0, board_bind(pci, 1));
	ASSERT_EQ(0, vfpga_open(1, &dev));
	fd = vfpga_fd(dev);
	EXPECT_EQ(0, round_trip(fd, 1, 0, 4096, 4));
	EXPECT_EQ(0, round_trip(fd, 2, 4096, 4096, 5));
	vfpga_close(dev);
	free(user);
}

static sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	siglongjmp(bus_jmp, 1);
}

/* Does reading @p raise SIGBUS? */
static bool read_faults(volatile uint8_t *p)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	bool faulted = false;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(bus_jmp, 1))
		faulted = true;
	else
		(void)*p;
	sigaction(SIGBUS, &old, NULL);
	return faulted;
}

/*
 * Finding 2: remove() with a file open that holds a coherent buffer
 * (mapped), an SG buffer and a plugin's DMA buffer.  They are freed by
 * remove() itself: the SG buffer's pinned pages are uncharged then
 * (VmPin drops while the file is still open), the buffer's mapping
 * faults, every call says -ENODEV, and close() touches the DMA API no
 * more (the debug lane's checker sees any call after remove()).
 */
TEST(remove_frees_dma_with_file_open)
{
	struct vfpga_dma_buf b = { .argsz = sizeof(b), .size = 8192 };
	struct vfpga_kp_sample_dma d = {
		.dir = VFPGA_KP_SAMPLE_DMA_H2C, .channel = 0, .length = 8192,
		.iterations = 1, .seed = 7,
	};
	struct vfpga_kp_sample_dma_result r;
	size_t rlen = sizeof(r);
	struct vfpga_device *dev;
	struct vfpga_kp *kp;
	volatile uint8_t *map;
	long locked0, locked;
	uint32_t sg_id = 0;
	char pci[64];
	uint8_t *mem;
	void *p;
	int fd;

	ASSERT_EQ(0, board_pci_name(1, pci, sizeof(pci)));
	ASSERT_EQ(0, vfpga_open(1, &dev));
	fd = vfpga_fd(dev);
	ASSERT_EQ(0, ioctl(fd, VFPGA_DMA_ALLOC, &b));
	map = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   b.mmap_offset);
	ASSERT_NE(MAP_FAILED, (void *)map);
	map[0] = 0x5a;
	EXPECT_FALSE(read_faults(map));
	mem = aligned_alloc(4096, 256 * KiB);
	ASSERT_NE(NULL, mem);
	memset(mem, 1, 256 * KiB);
	locked0 = vm_pinned_kib();
	ASSERT_LE(0, locked0);
	ASSERT_EQ(0, sg_map(fd, mem, 256 * KiB, &sg_id));
	EXPECT_EQ(locked0 + 256, vm_pinned_kib());
	ASSERT_EQ(0, vfpga_kp_open(dev, VFPGA_KP_SAMPLE_NAME, &kp));
	ASSERT_LE(0, vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_DMA, &d, sizeof(d),
				   &r, &rlen));

	ASSERT_EQ(0, sysfs_write("/sys/bus/pci/drivers/vfpga/unbind", pci));
	/* Released by remove(), the file still open. */
	locked = vm_pinned_kib();
	EXPECT_EQ(locked0, locked);
	EXPECT_TRUE(read_faults(map));
	EXPECT_EQ(-ENODEV, sg_unmap(fd, sg_id));
	b.argsz = sizeof(b);
	EXPECT_EQ(-1, ioctl(fd, VFPGA_DMA_FREE, &b));
	EXPECT_EQ(ENODEV, errno);
	p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, b.mmap_offset);
	EXPECT_EQ(MAP_FAILED, p);
	rlen = sizeof(r);
	EXPECT_EQ(-ENODEV, vfpga_kp_call(kp, VFPGA_KP_SAMPLE_MSG_DMA, &d,
					 sizeof(d), &r, &rlen));
	vfpga_kp_close(kp);
	munmap((void *)map, 8192);
	vfpga_close(dev);
	EXPECT_EQ(locked0, vm_pinned_kib());
	free(mem);
	ASSERT_EQ(0, board_bind(pci, 1));
}

FIXTURE(board) {
	struct vfpga_device *dev;
	int fd;
};

FIXTURE_SETUP(board)
{
	ASSERT_EQ(0, vfpga_open(0, &self->dev));
	self->fd = vfpga_fd(self->dev);
}

FIXTURE_TEARDOWN(board)
{
	vfpga_close(self->dev);
}

/*
 * Finding 7: an SG buffer of 1 TiB is refused with -E2BIG before any
 * allocation (it used to try a 2 GiB kvmalloc, which warns), and the
 * kernel logs no warning; VFPGA_DMA_PIN_MAX and one byte more likewise.
 */
TEST_F(board, pin_bound)
{
	static uint8_t page[4096] __attribute__((aligned(4096)));
	int before = dmesg_count("WARNING:");
	uint32_t id = 0;

	ASSERT_LE(0, before);
	EXPECT_EQ(-E2BIG, sg_map(self->fd, page, 1ull << 40, &id));
	EXPECT_EQ(-E2BIG, sg_map(self->fd, page, VFPGA_DMA_PIN_MAX + 1, &id));
	EXPECT_EQ(0, sg_map(self->fd, page, sizeof(page), &id));
	EXPECT_EQ(0, sg_unmap(self->fd, id));
	EXPECT_EQ(before, dmesg_count("WARNING:"));
}

/* Drop CAP_IPC_LOCK from this process's effective set. */
static int drop_ipc_lock(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct c[2];

	if (syscall(SYS_capget, &h, c))
		return -errno;
	c[CAP_IPC_LOCK / 32].effective &= ~(1u << (CAP_IPC_LOCK % 32));
	return syscall(SYS_capset, &h, c) ? -errno : 0;
}

/*
 * Finding 7: SG buffers are charged to RLIMIT_MEMLOCK.  A child with a
 * 1 MiB limit and no CAP_IPC_LOCK maps 512 KiB twice, then nothing more
 * (-ENOMEM) until it unmaps; with CAP_IPC_LOCK the limit does not apply.
 */
TEST_F(board, pin_charged_to_memlock)
{
	struct rlimit lim = { 1 * MiB, 1 * MiB };
	uint8_t *mem = aligned_alloc(4096, 4 * MiB);
	int status, bad = 0;
	uint32_t a = 0, b = 0, c = 0;
	pid_t pid;

	ASSERT_NE(NULL, mem);
	memset(mem, 0, 4 * MiB);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setrlimit(RLIMIT_MEMLOCK, &lim) || drop_ipc_lock())
			_exit(10);
		if (sg_map(self->fd, mem, 2 * MiB, &a) != -ENOMEM)
			bad |= 1;
		if (sg_map(self->fd, mem, 512 * KiB, &a) ||
		    sg_map(self->fd, mem + 512 * KiB, 512 * KiB, &b))
			bad |= 2;
		if (sg_map(self->fd, mem + 1 * MiB, 4096, &c) != -ENOMEM)
			bad |= 4;
		if (sg_unmap(self->fd, a) ||
		    sg_map(self->fd, mem + 1 * MiB, 4096, &c))
			bad |= 8;
		sg_unmap(self->fd, b);
		sg_unmap(self->fd, c);
		_exit(bad);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("failed checks: %#x (1: 2 MiB over the limit mapped, 2: 1 MiB within it refused, 4: past it mapped, 8: not given back)",
		       WEXITSTATUS(status));

	/* Root with CAP_IPC_LOCK: the same low limit does not apply. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setrlimit(RLIMIT_MEMLOCK, &lim))
			_exit(10);
		if (sg_map(self->fd, mem, 2 * MiB, &a))
			_exit(1);
		_exit(sg_unmap(self->fd, a) ? 2 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	free(mem);
}

/* A larger struct than the driver knows, its tail zero or not. */
struct reg_plus {
	struct vfpga_reg reg;
	uint64_t tail[4];
};

/*
 * Finding 9: argsz from the struct's first version up; a tail the driver
 * does not know must be zero; at most argsz bytes written back.
 */
TEST_F(board, argsz_rules)
{
	struct reg_plus rp = { .reg = {
		.argsz = sizeof(rp), .bar = VFPGA_BAR_USER, .width = 4,
		.offset = VFPGA_USER_ID,
	} };
	struct {
		struct vfpga_info info;
		uint8_t canary[8];
	} ic = { .info = { .argsz = sizeof(struct vfpga_info) } };

	EXPECT_EQ(0, ioctl(self->fd, VFPGA_REG_READ, &rp));
	EXPECT_EQ(VFPGA_ID_MAGIC, rp.reg.value);
	rp.tail[3] = 1;
	EXPECT_EQ(-1, ioctl(self->fd, VFPGA_REG_READ, &rp));
	EXPECT_EQ(EINVAL, errno);
	rp.tail[3] = 0;
	rp.reg.argsz = sizeof(rp.reg) - 1;
	EXPECT_EQ(-1, ioctl(self->fd, VFPGA_REG_READ, &rp));
	EXPECT_EQ(EINVAL, errno);

	/* struct vfpga_info: 136 bytes for every caller, nothing past argsz. */
	EXPECT_EQ(136, sizeof(struct vfpga_info));
	memset(ic.canary, 0xa5, sizeof(ic.canary));
	EXPECT_EQ(0, ioctl(self->fd, VFPGA_GET_INFO, &ic));
	EXPECT_EQ(0xa5, ic.canary[0]);
	EXPECT_NE(0, ic.info.bar_size[VFPGA_BAR_USER]);
	EXPECT_EQ(VFPGA_INFO_SHAPE, ic.info.shape_flags & VFPGA_INFO_SHAPE);
	/*
	 * A caller of the first version (96 bytes, up to bar_size) gets
	 * that much: the shape fields it does not know are not written.
	 */
	memset(&ic, 0xa5, sizeof(ic));
	ic.info.argsz = 96;
	ic.info.flags = 0;
	ic.info.pad[0] = ic.info.pad[1] = 0;
	EXPECT_EQ(0, ioctl(self->fd, VFPGA_GET_INFO, &ic));
	EXPECT_NE(0, ic.info.bar_size[VFPGA_BAR_USER]);
	EXPECT_EQ(0xa5a5a5a5u, ic.info.shape_flags);
	/* One of the shape version (128 bytes) gets no stream masks. */
	memset(&ic, 0xa5, sizeof(ic));
	ic.info.argsz = 128;
	ic.info.flags = 0;
	ic.info.pad[0] = ic.info.pad[1] = 0;
	EXPECT_EQ(0, ioctl(self->fd, VFPGA_GET_INFO, &ic));
	EXPECT_EQ(VFPGA_INFO_SHAPE, ic.info.shape_flags & VFPGA_INFO_SHAPE);
	EXPECT_EQ(0xa5a5a5a5u, ic.info.h2c_stream);
	ic.info.argsz = 95;
	EXPECT_EQ(-1, ioctl(self->fd, VFPGA_GET_INFO, &ic));
	EXPECT_EQ(EINVAL, errno);
}

/* Finding 9: a pad that is not zero on input is -EINVAL, everywhere. */
TEST_F(board, nonzero_pads)
{
	struct vfpga_info info = { .argsz = sizeof(info) };
	struct vfpga_irqgen gen = {
		.argsz = sizeof(gen), .line = 0, .count = 1, .pad = 1 };
	struct vfpga_irq_count cnt = { .argsz = sizeof(cnt), .pad = 1 };
	struct vfpga_dma_buf b = {
		.argsz = sizeof(b), .size = 4096, .pad = 1 };
	struct vfpga_dma_sg m = { .argsz = sizeof(m), .length = 4096,
				  .user_addr = (uintptr_t)&info, .pad = 1 };
	struct vfpga_irq_user_ack ua = {
		.argsz = sizeof(ua), .op = VFPGA_USER_ACK_TAKE, .lines = 1,
		.pad = 1 };
	struct vfpga_kp_open o = {
		.argsz = sizeof(o), .name = VFPGA_KP_SAMPLE_NAME, .pad = 1 };
	struct vfpga_kp_handle_arg ha = { .argsz = sizeof(ha) };
	struct vfpga_kp_call call = { .argsz = sizeof(call) };
	struct vfpga_kp_stats st = { .argsz = sizeof(st) };

	info.pad[1] = 1;
	EXPECT_EQ(-1, ioctl(self->fd, VFPGA_GET_INFO, &info));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, VFPGA_IRQGEN_START, &gen));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, VFPGA_IRQ_COUNT, &cnt));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, VFPGA_DMA_ALLOC, &b));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, VFPGA_DMA_SG_MAP, &m));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, VFPGA_IRQ_USER_ACK, &ua));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, VFPGA_KP_OPEN, &o));
	EXPECT_EQ(EINVAL, errno);

	/* With a pad of zero the same calls go through. */
	o.pad = 0;
	ASSERT_EQ(0, ioctl(self->fd, VFPGA_KP_OPEN, &o));
	ha.handle = call.handle = st.handle = o.handle;
	ha.pad = call.pad = st.pad = 1;
	EXPECT_EQ(-1, ioctl(self->fd, VFPGA_KP_INT_DISABLE, &ha));
	EXPECT_EQ(EINVAL, errno);
	call.msg = VFPGA_KP_SAMPLE_MSG_VERSION;
	EXPECT_EQ(-1, ioctl(self->fd, VFPGA_KP_CALL, &call));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, VFPGA_KP_STATS, &st));
	EXPECT_EQ(EINVAL, errno);
	st.pad = 0;
	EXPECT_EQ(0, ioctl(self->fd, VFPGA_KP_STATS, &st));
	ha.pad = 0;
	EXPECT_EQ(0, ioctl(self->fd, VFPGA_KP_CLOSE, &ha));
	cnt.pad = 0;
	EXPECT_EQ(0, ioctl(self->fd, VFPGA_IRQ_COUNT, &cnt));
	info.pad[1] = 0;
	EXPECT_EQ(0, ioctl(self->fd, VFPGA_GET_INFO, &info));
}

/*
 * Finding 9: every mmap offset the driver hands out is reachable by a
 * 32-bit process through mmap2 (in pages, 32 bits), and maps.
 */
TEST_F(board, mmap_offsets_reach_mmap2)
{
	struct vfpga_dma_buf b[VFPGA_DMA_BUFS_MAX];
	unsigned int i, bar;
	void *p;

	for (bar = 0; bar < VFPGA_NUM_BARS; bar++)
		EXPECT_GT(1ull << 32, VFPGA_BAR_MMAP_OFFSET(bar) / 4096);
	for (i = 0; i < VFPGA_DMA_BUFS_MAX; i++) {
		b[i] = (struct vfpga_dma_buf){ .argsz = sizeof(b[i]),
					       .size = 4096 };
		ASSERT_EQ(0, ioctl(self->fd, VFPGA_DMA_ALLOC, &b[i]));
		EXPECT_GT(1ull << 32, b[i].mmap_offset / 4096);
	}
	/* The last one maps, at the offset it was given. */
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		 b[VFPGA_DMA_BUFS_MAX - 1].mmap_offset);
	ASSERT_NE(MAP_FAILED, p);
	munmap(p, 4096);
	for (i = 0; i < VFPGA_DMA_BUFS_MAX; i++)
		EXPECT_EQ(0, ioctl(self->fd, VFPGA_DMA_FREE, &b[i]));
}

TEST_HARNESS_MAIN
