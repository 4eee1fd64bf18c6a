// SPDX-License-Identifier: MIT
/* libvfpga: BARs mapped into the process. */
#include <errno.h>
#include <sys/mman.h>

#include "internal.h"
#include "uapi/vfpga.h"

int vfpga_bar_map(struct vfpga_device *dev, unsigned int bar,
		  volatile void **addr, uint64_t *len)
{
	struct vfpga_device_info info;
	void *p;
	int ret;

	if (!addr || !len)
		return -EINVAL;
	if (bar >= VFPGA_MAX_BARS_MAPPED)
		return -ENXIO;
	if (!dev->bar_map[bar]) {
		ret = vfpga_get_info(dev, &info);
		if (ret < 0)
			return ret;
		if (!info.bar_size[bar])
			return -ENXIO;
		p = mmap(NULL, info.bar_size[bar], PROT_READ | PROT_WRITE,
			 MAP_SHARED, dev->fd, (off_t)VFPGA_BAR_MMAP_OFFSET(bar));
		if (p == MAP_FAILED)
			return -errno;
		dev->bar_map[bar] = p;
		dev->bar_len[bar] = info.bar_size[bar];
	}
	*addr = dev->bar_map[bar];
	*len = dev->bar_len[bar];
	return 0;
}

void vfpga_bar_unmap(struct vfpga_device *dev, unsigned int bar)
{
	if (bar >= VFPGA_MAX_BARS_MAPPED || !dev->bar_map[bar])
		return;
	munmap(dev->bar_map[bar], dev->bar_len[bar]);
	dev->bar_map[bar] = NULL;
	dev->bar_len[bar] = 0;
}
