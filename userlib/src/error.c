// SPDX-License-Identifier: MIT
/* libvfpga: what each error value means for a vfpga caller. */
#include <errno.h>
#include <string.h>

#include "libvfpga.h"

const char *vfpga_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
	case -ENOENT:
		return "no such board (is the vfpga driver loaded?)";
	case -ENODEV:
		return "not a vfpga board, or the board is gone";
	case -EPROTO:
		return "the vfpga driver speaks another API version";
	case -ENXIO:
		return "the board has no such BAR";
	case -ERANGE:
		return "the access falls outside the BAR";
	case -EINVAL:
		return "invalid argument (width, alignment, line, count, vector, channel or length)";
	case -EIO:
		return "the DMA engine reported an error (see the channel status)";
	case -EINTR:
		return "interrupted by a signal";
	case -ENOSPC:
		return "too many DMA buffers on this handle";
	case -ETIMEDOUT:
		return "timed out waiting for the board";
	case -EBUSY:
		return "the interrupt generator is still running";
	case -ENOMSG:
		return "the plugin does not know this message";
	case -EMSGSIZE:
		return "the plugin's reply does not fit the buffer";
	case -E2BIG:
		return "message buffer larger than the driver accepts";
	case -EACCES:
	case -EPERM:
		return "permission denied on the device node";
	}
	return err < 0 ? strerror(-err) : "unknown error";
}
