// SPDX-License-Identifier: MIT
/* libvfpga: opening, closing and describing a board. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "internal.h"
#include "uapi/vfpga.h"
#include "vfpga_regs.h"

int vfpga_ioctl(struct vfpga_device *dev, unsigned long cmd, void *arg)
{
	int ret = ioctl(dev->fd, cmd, arg);

	if (ret < 0 && errno == ENODEV) {
		/* The board is gone: its user-mode plugins hear of it. */
		vfpga_kp_user_board_gone(dev);
		errno = ENODEV;
	}
	return ret < 0 ? -errno : ret;
}

int vfpga_open_path(const char *path, struct vfpga_device **dev)
{
	struct vfpga_device_info info;
	struct vfpga_device *d;
	int version, err;

	if (!path || !dev)
		return -EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	pthread_mutex_init(&d->lock, NULL);
	d->fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->fd < 0) {
		/*
		 * ENXIO: the node is still there but no driver holds its
		 * device any more, as in the moment a board is unbound or
		 * removed: the board is gone, as far as a caller can tell.
		 */
		int err = errno == ENXIO ? -ENODEV : -errno;

		pthread_mutex_destroy(&d->lock);
		free(d);
		return err;
	}

	version = vfpga_ioctl(d, VFPGA_GET_API_VERSION, NULL);
	if (version != VFPGA_API_VERSION) {
		vfpga_close(d);
		/* Any other device answers our ioctl with ENOTTY or EINVAL. */
		return version >= 0 ? -EPROTO : -ENODEV;
	}
	/* Where the user logic is, for the library's own register reads. */
	err = vfpga_get_info(d, &info);
	if (err < 0) {
		vfpga_close(d);
		return err;
	}
	d->user_bar = info.user_bar;
	d->ref_logic = info.ref_logic;
	*dev = d;
	return 0;
}

int vfpga_open(unsigned int index, struct vfpga_device **dev)
{
	char path[32];

	snprintf(path, sizeof(path), "/dev/vfpga%u", index);
	return vfpga_open_path(path, dev);
}

/* The PCI address of board NAME ("vfpga0"), from its sysfs device link. */
static int sysfs_pci_address(const char *name, char *buf, size_t len)
{
	char link[300], target[PATH_MAX];
	const char *base;
	ssize_t n;

	snprintf(link, sizeof(link), "/sys/class/vfpga/%s/device", name);
	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0)
		return -ENOENT;
	target[n] = 0;
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= len)
		return -ERANGE;
	strcpy(buf, base);
	return 0;
}

int vfpga_pci_address(struct vfpga_device *dev, char *buf, size_t len)
{
	char name[32];
	struct stat st;

	if (!buf)
		return -EINVAL;
	if (fstat(dev->fd, &st))
		return -errno;
	snprintf(name, sizeof(name), "vfpga%u", minor(st.st_rdev));
	return sysfs_pci_address(name, buf, len);
}

int vfpga_open_pci(const char *pci_address, struct vfpga_device **dev)
{
	char want[32], have[32];
	struct dirent *de;
	unsigned int index;
	DIR *d;
	int ret = -ENOENT;

	if (!pci_address || !dev)
		return -EINVAL;
	snprintf(want, sizeof(want), "%s%s",
		 strlen(pci_address) <= 7 ? "0000:" : "", pci_address);
	d = opendir("/sys/class/vfpga");
	if (!d)
		return -ENOENT;
	while ((de = readdir(d))) {
		if (sscanf(de->d_name, "vfpga%u", &index) != 1 ||
		    sysfs_pci_address(de->d_name, have, sizeof(have)))
			continue;
		if (!strcasecmp(have, want)) {
			ret = vfpga_open(index, dev);
			break;
		}
	}
	closedir(d);
	return ret;
}

void vfpga_close(struct vfpga_device *dev)
{
	unsigned int bar;

	if (!dev)
		return;
	for (bar = 0; bar < VFPGA_MAX_CB_VECTORS; bar++)
		vfpga_irq_disable(dev, bar);
	for (bar = 0; bar < VFPGA_MAX_BARS_MAPPED; bar++)
		vfpga_bar_unmap(dev, bar);
	close(dev->fd);
	pthread_mutex_destroy(&dev->lock);
	free(dev);
}

int vfpga_fd(struct vfpga_device *dev)
{
	return dev->fd;
}

int vfpga_get_info(struct vfpga_device *dev, struct vfpga_device_info *info)
{
	struct vfpga_info ki = { .argsz = sizeof(ki) };
	int ret, i;

	if (!info)
		return -EINVAL;
	ret = vfpga_ioctl(dev, VFPGA_GET_INFO, &ki);
	if (ret < 0)
		return ret;

	memset(info, 0, sizeof(*info));
	info->vendor = ki.vendor;
	info->device = ki.device;
	info->subsystem_vendor = ki.subsystem_vendor;
	info->subsystem_device = ki.subsystem_device;
	info->revision = ki.revision;
	info->board_id = ki.board_id;
	info->board_version = ki.board_version;
	info->board_caps = ki.board_caps;
	info->irq_mode = (enum vfpga_irq_mode)ki.irq_mode;
	info->num_vectors = ki.num_vectors;
	for (i = 0; i < VFPGA_MAX_BARS; i++)
		info->bar_size[i] = ki.bar_size[i];
	info->shape = ki.shape_flags & VFPGA_INFO_SHAPE;
	if (info->shape) {
		info->ref_logic = ki.shape_flags & VFPGA_INFO_REF_LOGIC;
		info->num_h2c = ki.num_h2c;
		info->num_c2h = ki.num_c2h;
		info->user_bar = ki.user_bar;
		info->config_bar = ki.config_bar;
		info->card_bar = ki.card_bar;
		info->card_size = ki.card_size;
		if (ki.shape_flags & VFPGA_INFO_STREAM) {
			info->h2c_stream = ki.h2c_stream;
			info->c2h_stream = ki.c2h_stream;
		}
	} else {
		/* An older driver binds the reference board's layout only. */
		info->ref_logic = ki.board_id == VFPGA_ID_MAGIC;
		info->num_h2c = XDMA_MAX_CHANNELS;
		info->num_c2h = XDMA_MAX_CHANNELS;
		info->user_bar = VFPGA_BAR_USER;
		info->config_bar = VFPGA_BAR_DMA;
		info->card_bar = VFPGA_BAR_CARD_MEM;
		info->card_size = ki.bar_size[VFPGA_BAR_CARD_MEM];
	}
	return 0;
}

const char *vfpga_irq_mode_name(enum vfpga_irq_mode mode)
{
	switch (mode) {
	case VFPGA_IRQ_INTX:
		return "INTx";
	case VFPGA_IRQ_MSI:
		return "MSI";
	case VFPGA_IRQ_MSIX:
		return "MSI-X";
	}
	return "unknown";
}
