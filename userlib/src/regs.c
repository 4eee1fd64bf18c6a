// SPDX-License-Identifier: MIT
/* libvfpga: register access through the driver. */
#include <errno.h>

#include "internal.h"
#include "uapi/vfpga.h"

int vfpga_reg_read(struct vfpga_device *dev, unsigned int bar,
		   uint64_t offset, unsigned int width, uint64_t *value)
{
	struct vfpga_reg reg = {
		.argsz = sizeof(reg),
		.bar = bar,
		.width = width,
		.offset = offset,
	};
	int ret;

	if (!value)
		return -EINVAL;
	ret = vfpga_ioctl(dev, VFPGA_REG_READ, &reg);
	if (ret < 0)
		return ret;
	*value = reg.value;
	return 0;
}

int vfpga_reg_write(struct vfpga_device *dev, unsigned int bar,
		    uint64_t offset, unsigned int width, uint64_t value)
{
	struct vfpga_reg reg = {
		.argsz = sizeof(reg),
		.bar = bar,
		.width = width,
		.offset = offset,
		.value = value,
	};

	return vfpga_ioctl(dev, VFPGA_REG_WRITE, &reg);
}

int vfpga_reg_read32(struct vfpga_device *dev, unsigned int bar,
		     uint64_t offset, uint32_t *value)
{
	uint64_t v;
	int ret;

	if (!value)
		return -EINVAL;
	ret = vfpga_reg_read(dev, bar, offset, 4, &v);
	if (ret == 0)
		*value = (uint32_t)v;
	return ret;
}

int vfpga_reg_write32(struct vfpga_device *dev, unsigned int bar,
		      uint64_t offset, uint32_t value)
{
	return vfpga_reg_write(dev, bar, offset, 4, value);
}
