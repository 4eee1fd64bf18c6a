// SPDX-License-Identifier: MIT
/*
 * The user logic the qtests load (qemu-device/tests/vfpga-ulogic-test.c):
 * a logic that answers part of its address space with errors, so that
 * the tests can see them surface as the XDMA IP shows them, and, built
 * with one of these defined, the plug-ins a board must refuse:
 *   TEST_LOGIC_BAD_ABI    built for a user-logic ABI major the board
 *                         does not speak
 *   TEST_LOGIC_NO_ENTRY   no vfpga_user_logic_entry()
 *   TEST_LOGIC_NO_RESET   no reset() (a required call)
 *
 * User BAR:
 *   0x000 ID (RO, TEST_LOGIC_ID)   0x004 SCRATCH (RW, 0 after reset)
 *   0x008 RESETS (RO, reset() calls since create)
 *   0x010 RAISE (WO: line)         0x014 LOWER (WO: line)
 *   0x018 ACKS (RO, usr_irq_ack pulses since reset)
 *   0x01c ARM_NS (WO: raise line 0 this many ns of device time from now)
 *   0x100-0x1ff SLVERR             0x200-0x2ff DECERR
 *   everything else: reads 0, writes ignored, OKAY
 * AXI4 slave (DMA): card addresses below 64 KiB are card memory, from
 * 64 KiB to 128 KiB SLVERR, past that DECERR.
 * No save/load: a board with it cannot migrate.
 */
#include <stdlib.h>
#include <stdio.h>

#include "vfpga_user_logic.h"

#define TEST_LOGIC_ID		0x54455354u	/* "TEST" */

struct test_logic {
	struct vfpga_ul_host *host;
	const struct vfpga_ul_host_ops *ops;
	struct vfpga_ul_timer *timer;
	uint32_t scratch;
	uint32_t resets;
	uint32_t acks;
};

static enum vfpga_axi_resp decode(uint32_t addr)
{
	if (addr >= 0x100 && addr < 0x200)
		return VFPGA_AXI_SLVERR;
	if (addr >= 0x200 && addr < 0x300)
		return VFPGA_AXI_DECERR;
	return VFPGA_AXI_OKAY;
}

static enum vfpga_axi_resp tl_axil_read(void *ul, uint32_t addr,
					uint32_t *data)
{
	struct test_logic *t = ul;

	switch (addr) {
	case 0x000: *data = TEST_LOGIC_ID; break;
	case 0x004: *data = t->scratch; break;
	case 0x008: *data = t->resets; break;
	case 0x018: *data = t->acks; break;
	default: *data = 0; break;
	}
	return decode(addr);
}

static enum vfpga_axi_resp tl_axil_write(void *ul, uint32_t addr,
					 uint32_t data)
{
	struct test_logic *t = ul;
	enum vfpga_axi_resp resp = decode(addr);

	if (resp != VFPGA_AXI_OKAY)
		return resp;
	switch (addr) {
	case 0x004:
		t->scratch = data;
		break;
	case 0x010:
		t->ops->usr_irq_req(t->host, data, true);
		break;
	case 0x014:
		t->ops->usr_irq_req(t->host, data, false);
		break;
	case 0x01c:
		t->ops->timer_arm(t->timer, t->ops->time_ns(t->host) + data);
		break;
	}
	return VFPGA_AXI_OKAY;
}

static enum vfpga_axi_resp mm_decode(uint64_t addr, size_t len)
{
	if (addr + len <= 0x10000)
		return VFPGA_AXI_OKAY;
	if (addr + len <= 0x20000)
		return VFPGA_AXI_SLVERR;
	return VFPGA_AXI_DECERR;
}

static enum vfpga_axi_resp tl_mm_read(void *ul, uint64_t addr, void *buf,
				      size_t len)
{
	struct test_logic *t = ul;
	enum vfpga_axi_resp resp = mm_decode(addr, len);

	return resp != VFPGA_AXI_OKAY ? resp :
	       t->ops->card_read(t->host, addr, buf, len);
}

static enum vfpga_axi_resp tl_mm_write(void *ul, uint64_t addr,
				       const void *buf, size_t len)
{
	struct test_logic *t = ul;
	enum vfpga_axi_resp resp = mm_decode(addr, len);

	return resp != VFPGA_AXI_OKAY ? resp :
	       t->ops->card_write(t->host, addr, buf, len);
}

static void tl_irq_ack(void *ul, unsigned int line)
{
	((struct test_logic *)ul)->acks++;
}

static void tl_timer(void *opaque)
{
	struct test_logic *t = opaque;

	t->ops->usr_irq_req(t->host, 0, true);
}

__attribute__((unused)) static void tl_reset(void *ul)
{
	struct test_logic *t = ul;

	t->ops->timer_cancel(t->timer);
	t->scratch = 0;
	t->acks = 0;
	t->resets++;
}

static void *tl_create(struct vfpga_ul_host *host,
		       const struct vfpga_ul_host_ops *ops,
		       const struct vfpga_ul_board *board,
		       char *err, size_t err_len)
{
	struct test_logic *t;

	if (board->args[0] && board->args[0] != 'o') {
		snprintf(err, err_len, "user-logic-args must be empty or "
			 "\"ok\", not \"%s\"", board->args);
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		snprintf(err, err_len, "out of memory");
		return NULL;
	}
	t->host = host;
	t->ops = ops;
	t->timer = ops->timer_new(host, tl_timer, t);
	return t;
}

static void tl_destroy(void *ul)
{
	struct test_logic *t = ul;

	t->ops->timer_free(t->timer);
	free(t);
}

static const struct vfpga_user_logic test_logic = {
#ifdef TEST_LOGIC_BAD_ABI
	.abi_version = (VFPGA_UL_ABI_MAJOR + 1) << 16,
#else
	.abi_version = VFPGA_UL_ABI_VERSION,
#endif
	.name = "test-logic",
	.create = tl_create,
	.destroy = tl_destroy,
#ifndef TEST_LOGIC_NO_RESET
	.reset = tl_reset,
#endif
	.axil_read = tl_axil_read,
	.axil_write = tl_axil_write,
	.mm_read = tl_mm_read,
	.mm_write = tl_mm_write,
	.usr_irq_ack = tl_irq_ack,
};

#ifdef TEST_LOGIC_NO_ENTRY
/* Something to export, under the wrong name. */
__attribute__((visibility("default")))
const struct vfpga_user_logic *vfpga_user_logic_entry_v0(void);
const struct vfpga_user_logic *vfpga_user_logic_entry_v0(void)
{
	return &test_logic;
}
#else
VFPGA_USER_LOGIC(test_logic)
#endif
