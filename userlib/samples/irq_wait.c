// SPDX-License-Identifier: MIT
/*
 * Sample: have the board raise 100 interrupts on user line 0 and count
 * them from user space with blocking waits.
 */
#include <stdio.h>

#include <libvfpga.h>

int main(void)
{
	struct vfpga_irq_event ev;
	struct vfpga_device *dev;
	unsigned int vector;
	uint64_t seen = 0;
	int ret;

	ret = vfpga_open(0, &dev);
	if (ret == 0)
		ret = vfpga_irqgen_start(dev, 0, 100, &vector);
	while (ret == 0 && seen < 100) {
		ret = vfpga_irq_wait(dev, vector, 1000, &ev);
		if (ret == 0) {
			seen += ev.count;
			printf("woke: %llu new (%llu without a wake-up of their "
			       "own), %llu in all\n",
			       (unsigned long long)ev.count,
			       (unsigned long long)ev.lost,
			       (unsigned long long)ev.total);
		}
	}
	if (ret < 0)
		fprintf(stderr, "irq: %s\n", vfpga_strerror(ret));
	vfpga_close(dev);
	return ret < 0;
}
