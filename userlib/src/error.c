// SPDX-License-Identifier: MIT
/*
 * libvfpga: what each error value means, in words that hold for every
 * call that returns it.  Which reason applies to which call (a channel
 * that does not exist, a buffer table that is full, ...) is said where
 * that function is documented, in libvfpga.h.
 */
#include <errno.h>
#include <string.h>

#include "libvfpga.h"

const char *vfpga_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
	case -ENOENT:
		return "not found (no such board node, or no plugin of that name)";
	case -ENODEV:
		return "not a vfpga board, or the board is gone";
	case -EPROTO:
		return "unexpected answer from the driver (another API version?)";
	case -ENXIO:
		return "no such BAR, region or vector on this board";
	case -ERANGE:
		return "outside the range of the BAR, buffer or card memory";
	case -EINVAL:
		return "invalid argument";
	case -EIO:
		return "the board reported an error (see the channel status)";
	case -EINTR:
		return "interrupted by a signal";
	case -ENOSPC:
		return "no room left (a per-handle table is full)";
	case -ETIMEDOUT:
		return "timed out waiting for the board";
	case -EBUSY:
		return "busy: in use, or still running";
	case -ENOMSG:
		return "the plugin does not know this message";
	case -EMSGSIZE:
		return "the reply does not fit the buffer";
	case -E2BIG:
		return "argument larger than the driver accepts";
	case -EOPNOTSUPP:
		return "not supported by this board, or in this mode";
	case -EACCES:
	case -EPERM:
		return "permission denied";
	}
	return err < 0 ? strerror(-err) : "unknown error";
}
