// SPDX-License-Identifier: MIT
/* Sample: open board 0 and print what it is. */
#include <stdio.h>

#include <libvfpga.h>

int main(void)
{
	struct vfpga_device_info info;
	struct vfpga_device *dev;
	int ret;

	ret = vfpga_open(0, &dev);
	if (ret < 0) {
		fprintf(stderr, "open: %s\n", vfpga_strerror(ret));
		return 1;
	}
	ret = vfpga_get_info(dev, &info);
	if (ret == 0)
		printf("%04x:%04x board 0x%08x, %s with %u vectors\n",
		       info.vendor, info.device, info.board_id,
		       vfpga_irq_mode_name(info.irq_mode), info.num_vectors);
	vfpga_close(dev);
	return ret < 0;
}
