// SPDX-License-Identifier: MIT
/*
 * In-guest robustness tests: signals in blocking calls, a process killed in
 * the middle of a transfer, several processes at once, and the driver
 * refusing to unload while the board is open.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "libvfpga.h"
#include "vfpga_regs.h"
#include "vfpga_test_util.h"

#define MiB	(1024 * 1024)

static void on_signal(int sig)
{
	(void)sig;
}

/* A signal ends a blocking wait at once with -EINTR. */
TEST(signal_interrupts_a_blocking_wait)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct irq_waiter w = { .vector = 0, .timeout_ms = 20000 };
	pthread_t t;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));	/* no SA_RESTART */
	ASSERT_EQ(0, vfpga_open(0, &w.dev));
	ASSERT_EQ(0, pthread_create(&t, NULL, irq_wait_thread, &w));
	usleep(200 * 1000);
	ASSERT_EQ(0, pthread_kill(t, SIGUSR1));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(-EINTR, w.ret);
	EXPECT_GT(5.0, w.secs);
	vfpga_close(w.dev);
}

/* A process killed mid-transfer leaves a board that works. */
TEST(kill_during_transfer)
{
	struct vfpga_device *dev;
	uint8_t *buf = malloc(64 * MiB);
	pid_t pid;
	int status, i;

	ASSERT_NE(NULL, buf);
	memset(buf, 0xa5, 64 * MiB);
	for (i = 0; i < 3; i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			if (vfpga_open(0, &dev))
				_exit(2);
			for (;;)
				vfpga_dma_write(dev, 2, 0, buf, 64 * MiB, 0,
						NULL);
		}
		usleep((50 + 40 * i) * 1000);
		kill(pid, SIGKILL);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status));
	}

	ASSERT_EQ(0, vfpga_open(0, &dev));
	memset(buf, 0x3c, MiB);
	EXPECT_EQ(0, vfpga_dma_write(dev, 2, 0, buf, MiB, 0, NULL));
	memset(buf, 0, MiB);
	EXPECT_EQ(0, vfpga_dma_read(dev, 2, 0, buf, MiB, 0, NULL));
	EXPECT_EQ(0x3c, buf[0]);
	EXPECT_EQ(0x3c, buf[MiB - 1]);
	vfpga_close(dev);
	free(buf);
}

/* Four processes, each with its own channel, plus one sharing channel 0. */
TEST(processes_at_once)
{
	const unsigned int nproc = 5, rounds = 20;
	pid_t pids[5];
	unsigned int p;
	int status;

	for (p = 0; p < nproc; p++) {
		pids[p] = fork();
		ASSERT_LE(0, pids[p]);
		if (pids[p] == 0) {
			unsigned int ch = p % XDMA_MAX_CHANNELS, r;
			uint64_t off = (uint64_t)p * 2 * MiB;
			struct vfpga_device *dev;
			uint8_t *a = malloc(MiB), *b = malloc(MiB);

			if (!a || !b || vfpga_open(0, &dev))
				_exit(2);
			for (r = 0; r < rounds; r++) {
				memset(a, p * 16 + r, MiB);
				memset(b, 0, MiB);
				if (vfpga_dma_write(dev, ch, off, a, MiB, 0,
						    NULL) ||
				    vfpga_dma_read(dev, ch, off, b, MiB,
						   r & 1 ? VFPGA_DMA_POLL : 0,
						   NULL) ||
				    memcmp(a, b, MiB))
					_exit(1);
			}
			vfpga_close(dev);
			_exit(0);
		}
	}
	for (p = 0; p < nproc; p++) {
		ASSERT_EQ(pids[p], waitpid(pids[p], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("process %u: status 0x%x", p, status);
	}
}

/* The module cannot go while a handle holds the board. */
TEST(unload_refused_while_open)
{
	struct vfpga_device *dev;

	ASSERT_EQ(0, vfpga_open(0, &dev));
	EXPECT_NE(0, system("rmmod vfpga 2>/dev/null"));
	EXPECT_EQ(0, access("/dev/vfpga0", F_OK));
	vfpga_close(dev);
}

TEST_HARNESS_MAIN
