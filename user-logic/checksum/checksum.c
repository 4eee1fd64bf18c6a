// SPDX-License-Identifier: MIT
/*
 * A checksum engine on the memory-mapped DMA path: the sample user-logic
 * plug-in (include/vfpga/vfpga_user_logic.h).  checksum_regs.h has its
 * registers and what they do.
 *
 * It shows each part of the interface: AXI-Lite registers; the AXI4 slave
 * of the DMA engine, taken over so that H2C data is checksummed on its
 * way into card memory (and C2H reads come from card memory); a
 * device-time timer that finishes a job later; usr_irq_req / usr_irq_ack;
 * reset; and save/load, so that a board with it migrates mid-job.
 *
 *   make -C user-logic        build/user-logic/checksum.so
 *   qemu-system-x86_64 ... -device vfpga,user-logic=build/user-logic/checksum.so
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfpga_user_logic.h"
#include "checksum_regs.h"

/* Card memory is read in pieces of this size by a SCAN. */
#define SCAN_CHUNK	65536u

struct csum_regs {
	uint32_t scratch;
	uint32_t status;
	uint64_t base;
	uint32_t length;
	uint32_t result;
	uint32_t count;
	uint32_t irq_line;
	uint32_t latency_ns;
	uint32_t jobs;
	uint32_t acks;
	uint32_t crc;		/* running, inverted, of the bytes taken */
	uint32_t armed;		/* CTRL_ARM: taking H2C bytes */
	uint32_t done_pending;	/* the timer will finish the job... */
	uint64_t done_at_ns;	/* ...at this device time */
	uint32_t done_error;	/* ...with STATUS_ERROR */
};

/* What save() writes: a version word, then the registers. */
#define CSUM_STATE_VERSION	1u

struct csum {
	struct vfpga_ul_host *host;
	const struct vfpga_ul_host_ops *ops;
	struct vfpga_ul_board board;
	struct vfpga_ul_timer *timer;
	struct csum_regs r;
};

static uint32_t crc_table[256];

static void crc_table_init(void)
{
	uint32_t i, j, c;

	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc_update(uint32_t crc, const uint8_t *p, size_t len)
{
	while (len--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

static void csum_log(struct csum *c, const char *fmt, const char *what)
{
	char msg[160];

	snprintf(msg, sizeof(msg), fmt, what);
	c->ops->log(c->host, msg);
}

/* The timer: the job's result is ready, raise the line. */
static void csum_finish(void *opaque)
{
	struct csum *c = opaque;

	c->r.done_pending = 0;
	c->r.status &= ~CSUM_STATUS_BUSY;
	c->r.status |= CSUM_STATUS_DONE |
		       (c->r.done_error ? CSUM_STATUS_ERROR : 0);
	c->r.result = c->r.done_error ? 0 : ~c->r.crc;
	c->r.jobs++;
	c->ops->usr_irq_req(c->host, c->r.irq_line, true);
}

/* All bytes in (or a failure): DONE comes LATENCY_NS of device time later. */
static void csum_complete(struct csum *c, int error)
{
	c->r.armed = 0;
	c->r.done_error = error;
	c->r.done_pending = 1;
	c->r.done_at_ns = c->ops->time_ns(c->host) + c->r.latency_ns;
	c->ops->timer_arm(c->timer, c->r.done_at_ns);
}

static void csum_start(struct csum *c)
{
	c->ops->timer_cancel(c->timer);
	c->ops->usr_irq_req(c->host, c->r.irq_line, false);
	c->r.status = CSUM_STATUS_BUSY;
	c->r.crc = 0xffffffffu;
	c->r.count = 0;
	c->r.done_pending = 0;
}

static void csum_scan(struct csum *c)
{
	static uint8_t buf[SCAN_CHUNK];
	uint32_t n;

	csum_start(c);
	while (c->r.count < c->r.length) {
		n = c->r.length - c->r.count;
		if (n > SCAN_CHUNK)
			n = SCAN_CHUNK;
		if (c->ops->card_read(c->host, c->r.base + c->r.count, buf, n) !=
		    VFPGA_AXI_OKAY) {
			csum_log(c, "SCAN window %s outside card memory",
				 "[BASE, BASE + LENGTH)");
			csum_complete(c, 1);
			return;
		}
		c->r.crc = crc_update(c->r.crc, buf, n);
		c->r.count += n;
	}
	csum_complete(c, 0);
}

static void csum_ctrl(struct csum *c, uint32_t val)
{
	if (val & CSUM_CTRL_ABORT) {
		c->ops->timer_cancel(c->timer);
		c->r.armed = 0;
		c->r.done_pending = 0;
		c->r.status &= ~CSUM_STATUS_BUSY;
	}
	if ((val & (CSUM_CTRL_ARM | CSUM_CTRL_SCAN)) && !c->r.length) {
		csum_log(c, "%s with LENGTH 0 ignored", "CTRL start");
		return;
	}
	if (val & CSUM_CTRL_SCAN) {
		csum_scan(c);
	} else if (val & CSUM_CTRL_ARM) {
		csum_start(c);
		c->r.armed = 1;
	}
}

static enum vfpga_axi_resp csum_axil_read(void *ul, uint32_t addr,
					  uint32_t *data)
{
	struct csum *c = ul;

	switch (addr) {
	case CSUM_ID:		*data = CSUM_ID_MAGIC; break;
	case CSUM_VERSION:	*data = CSUM_VERSION_CURRENT; break;
	case CSUM_SCRATCH:	*data = c->r.scratch; break;
	case CSUM_STATUS:	*data = c->r.status; break;
	case CSUM_BASE_LO:	*data = (uint32_t)c->r.base; break;
	case CSUM_BASE_HI:	*data = (uint32_t)(c->r.base >> 32); break;
	case CSUM_LENGTH:	*data = c->r.length; break;
	case CSUM_RESULT:	*data = c->r.result; break;
	case CSUM_COUNT:	*data = c->r.count; break;
	case CSUM_IRQ_LINE:	*data = c->r.irq_line; break;
	case CSUM_LATENCY_NS:	*data = c->r.latency_ns; break;
	case CSUM_JOBS:		*data = c->r.jobs; break;
	case CSUM_ACKS:		*data = c->r.acks; break;
	default:		*data = 0; break;	/* CTRL and holes */
	}
	return VFPGA_AXI_OKAY;
}

static enum vfpga_axi_resp csum_axil_write(void *ul, uint32_t addr,
					   uint32_t data)
{
	struct csum *c = ul;

	switch (addr) {
	case CSUM_SCRATCH:
		c->r.scratch = data;
		break;
	case CSUM_CTRL:
		csum_ctrl(c, data);
		break;
	case CSUM_STATUS:
		if (data & CSUM_STATUS_DONE & c->r.status) {
			c->r.status &= ~(CSUM_STATUS_DONE | CSUM_STATUS_ERROR);
			c->ops->usr_irq_req(c->host, c->r.irq_line, false);
		}
		break;
	case CSUM_BASE_LO:
		c->r.base = (c->r.base & ~0xffffffffull) | data;
		break;
	case CSUM_BASE_HI:
		c->r.base = (c->r.base & 0xffffffffull) | (uint64_t)data << 32;
		break;
	case CSUM_LENGTH:
		c->r.length = data;
		break;
	case CSUM_IRQ_LINE:
		if (data >= c->board.irq_lines) {
			csum_log(c, "%s out of range, ignored", "IRQ_LINE");
			break;
		}
		/* The line in use moves with its level. */
		if (c->r.status & CSUM_STATUS_DONE) {
			c->ops->usr_irq_req(c->host, c->r.irq_line, false);
			c->ops->usr_irq_req(c->host, data, true);
		}
		c->r.irq_line = data;
		break;
	case CSUM_LATENCY_NS:
		c->r.latency_ns = data;
		break;
	default:
		break;		/* read-only registers and holes */
	}
	return VFPGA_AXI_OKAY;
}

/* C2H: data comes from card memory, which decodes the address. */
static enum vfpga_axi_resp csum_mm_read(void *ul, uint64_t addr, void *buf,
					size_t len)
{
	struct csum *c = ul;

	return c->ops->card_read(c->host, addr, buf, len);
}

/*
 * H2C: into card memory, and, while armed, the part of the burst that
 * continues the window in order into the CRC.
 */
static enum vfpga_axi_resp csum_mm_write(void *ul, uint64_t addr,
					 const void *buf, size_t len)
{
	struct csum *c = ul;
	enum vfpga_axi_resp resp;
	uint64_t next, end, take;

	resp = c->ops->card_write(c->host, addr, buf, len);
	if (resp != VFPGA_AXI_OKAY || !c->r.armed)
		return resp;
	next = c->r.base + c->r.count;
	end = addr + len;
	if (addr > next || end <= next)
		return VFPGA_AXI_OKAY;
	take = end - next;
	if (take > c->r.length - c->r.count)
		take = c->r.length - c->r.count;
	c->r.crc = crc_update(c->r.crc, (const uint8_t *)buf + (next - addr),
			      take);
	c->r.count += take;
	if (c->r.count == c->r.length)
		csum_complete(c, 0);
	return VFPGA_AXI_OKAY;
}

static void csum_irq_ack(void *ul, unsigned int line)
{
	struct csum *c = ul;

	if (line == c->r.irq_line)
		c->r.acks++;
}

static void csum_reset(void *ul)
{
	struct csum *c = ul;

	c->ops->timer_cancel(c->timer);
	memset(&c->r, 0, sizeof(c->r));
}

static void *csum_create(struct vfpga_ul_host *host,
			 const struct vfpga_ul_host_ops *ops,
			 const struct vfpga_ul_board *board,
			 char *err, size_t err_len)
{
	struct csum *c;

	if (board->args[0]) {
		snprintf(err, err_len, "checksum takes no user-logic-args "
			 "(got \"%s\")", board->args);
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, err_len, "out of memory");
		return NULL;
	}
	crc_table_init();
	c->host = host;
	c->ops = ops;
	c->board = *board;
	c->timer = ops->timer_new(host, csum_finish, c);
	return c;
}

static void csum_destroy(void *ul)
{
	struct csum *c = ul;

	c->ops->timer_free(c->timer);
	free(c);
}

static size_t csum_state_size(void *ul)
{
	return sizeof(uint32_t) + sizeof(struct csum_regs);
}

static int csum_save(void *ul, void *buf, size_t len)
{
	struct csum *c = ul;
	uint32_t version = CSUM_STATE_VERSION;

	if (len != csum_state_size(ul))
		return -EINVAL;
	memcpy(buf, &version, sizeof(version));
	memcpy((uint8_t *)buf + sizeof(version), &c->r, sizeof(c->r));
	return 0;
}

/* A stream could hold what no guest can program: refuse it. */
static int csum_load(void *ul, const void *buf, size_t len)
{
	struct csum *c = ul;
	struct csum_regs r;
	uint32_t version;

	if (len != csum_state_size(ul))
		return -EINVAL;
	memcpy(&version, buf, sizeof(version));
	memcpy(&r, (const uint8_t *)buf + sizeof(version), sizeof(r));
	if (version != CSUM_STATE_VERSION || r.irq_line >= c->board.irq_lines ||
	    r.count > r.length)
		return -EINVAL;
	c->r = r;
	/* The line's level migrates with the board's XDMA IRQ block. */
	if (c->r.done_pending)
		c->ops->timer_arm(c->timer, c->r.done_at_ns);
	return 0;
}

static const struct vfpga_user_logic csum_logic = {
	.abi_version = VFPGA_UL_ABI_VERSION,
	.name = "checksum",
	.create = csum_create,
	.destroy = csum_destroy,
	.reset = csum_reset,
	.axil_read = csum_axil_read,
	.axil_write = csum_axil_write,
	.mm_read = csum_mm_read,
	.mm_write = csum_mm_write,
	.usr_irq_ack = csum_irq_ack,
	.state_size = csum_state_size,
	.save = csum_save,
	.load = csum_load,
};

VFPGA_USER_LOGIC(csum_logic)
