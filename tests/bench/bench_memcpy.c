// SPDX-License-Identifier: MIT
/*
 * bench_memcpy: memcpy() bandwidth for `make bench`, the limit emulated
 * DMA can reach.  The same program runs in the guest and on the host.
 *   bench_memcpy WHERE RUNS SIZE...
 * prints one JSON object per size and run:
 *   {"bench":"memcpy","where":WHERE,"size":S,"run":R,"mb_per_s":X}
 * Each run copies the buffer repeatedly, at least 64 MiB and 50 ms worth,
 * between two buffers touched beforehand (no page faults timed).
 * MB is 10^6 bytes.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	uint64_t size, moved, t0, t;
	unsigned char *src, *dst;
	int runs, run, i;

	if (argc < 4) {
		fprintf(stderr, "usage: bench_memcpy WHERE RUNS SIZE...\n");
		return 2;
	}
	runs = atoi(argv[2]);
	for (i = 3; i < argc; i++) {
		size = strtoull(argv[i], NULL, 0);
		if (!size)
			return 2;
		src = malloc(size);
		dst = malloc(size);
		if (!src || !dst) {
			fprintf(stderr, "bench_memcpy: %" PRIu64 " bytes: no memory\n",
				size);
			return 1;
		}
		memset(src, 0x5a, size);
		memset(dst, 0xa5, size);
		for (run = 0; run < runs; run++) {
			moved = 0;
			t0 = now_ns();
			do {
				memcpy(dst, src, size);
				/* Keep the copy: the compiler sees a use. */
				__asm__ volatile("" : : "r"(dst) : "memory");
				moved += size;
				t = now_ns() - t0;
			} while (moved < (64ull << 20) || t < 50000000ull);
			printf("{\"bench\":\"memcpy\",\"where\":\"%s\",\"size\":%" PRIu64
			       ",\"run\":%d,\"mb_per_s\":%.1f}\n", argv[1], size,
			       run, moved * 1e3 / t);
			fflush(stdout);
		}
		free(src);
		free(dst);
	}
	return 0;
}
