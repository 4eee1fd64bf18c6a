/*
 * vfpga: MMIO access to a block of registers described by a
 * RegisterAccessInfo table (reset values, read-only and reserved bits,
 * side effects in pre/post hooks).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "vfpga.h"
#include "trace.h"

static RegisterInfo *vfpga_reg_decode(VFPGARegBlock *block, hwaddr addr,
                                      bool is_write)
{
    unsigned idx = addr / 4;

    unsigned i;

    if (idx < block->nr_regs && block->info[idx].data) {
        return &block->info[idx];
    }
    for (i = 0; i < block->nr_unimp; i++) {
        if (block->unimp[i].addr == addr) {
            /* A driver may rightly use it: the model's gap, not the guest's */
            qemu_log_mask(LOG_UNIMP, "vfpga: %s of unimplemented %s register "
                          "%s (0x%" HWADDR_PRIx ")\n",
                          is_write ? "write" : "read", block->name,
                          block->unimp[i].name, addr);
            trace_vfpga_err_undefined_reg(block->name, addr, is_write);
            return NULL;
        }
    }
    qemu_log_mask(LOG_GUEST_ERROR, "vfpga: %s of undefined %s register at "
                  "offset 0x%" HWADDR_PRIx "\n", is_write ? "write" : "read",
                  block->name, addr);
    trace_vfpga_err_undefined_reg(block->name, addr, is_write);
    return NULL;
}

static uint64_t vfpga_reg_block_read(void *opaque, hwaddr addr, unsigned size)
{
    VFPGARegBlock *block = opaque;
    RegisterInfo *reg = vfpga_reg_decode(block, addr, false);

    /* An AXI-Lite slave answers a hole with zeros (OKAY response). */
    return reg ? register_read(reg, ~0, block->name, false) : 0;
}

static void vfpga_reg_block_write(void *opaque, hwaddr addr, uint64_t value,
                                  unsigned size)
{
    VFPGARegBlock *block = opaque;
    RegisterInfo *reg = vfpga_reg_decode(block, addr, true);

    if (!reg) {
        return;
    }
    if (reg->access->ro == UINT32_MAX) {
        qemu_log_mask(LOG_GUEST_ERROR, "vfpga: write of 0x%" PRIx64 " to "
                      "read-only %s register %s ignored\n", value,
                      block->name, reg->access->name);
        return;
    }
    register_write(reg, value, ~0, block->name, false);
}

/* Aligned accesses of 4 to @max bytes, given to the block 4 at a time. */
#define VFPGA_REG_BLOCK_OPS(max) {                  \
    .read = vfpga_reg_block_read,                   \
    .write = vfpga_reg_block_write,                 \
    .endianness = DEVICE_LITTLE_ENDIAN,             \
    .valid = {                                      \
        .min_access_size = 4,                       \
        .max_access_size = (max),                   \
        .unaligned = false,                         \
    },                                              \
    .impl = {                                       \
        .min_access_size = 4,                       \
        .max_access_size = 4,                       \
    },                                              \
}

const MemoryRegionOps vfpga_reg_block_ops = VFPGA_REG_BLOCK_OPS(4);

void vfpga_reg_block_init(VFPGARegBlock *block, const char *name,
                          const RegisterAccessInfo *access, unsigned nr_access,
                          RegisterInfo *info, uint32_t *regs,
                          unsigned nr_regs, void *opaque)
{
    unsigned i;

    block->name = name;
    block->info = info;
    block->nr_regs = nr_regs;
    for (i = 0; i < nr_access; i++) {
        unsigned idx = access[i].addr / 4;

        g_assert(idx < nr_regs);
        info[idx] = (RegisterInfo) {
            .data = &regs[idx],
            .data_size = sizeof(uint32_t),
            .access = &access[i],
            .opaque = opaque,
        };
    }
}

void vfpga_reg_block_set_unimp(VFPGARegBlock *block,
                               const VFPGAUnimpReg *unimp, unsigned nr)
{
    block->unimp = unimp;
    block->nr_unimp = nr;
}

void vfpga_reg_block_reset(VFPGARegBlock *block)
{
    unsigned i;

    for (i = 0; i < block->nr_regs; i++) {
        if (block->info[i].data) {
            register_reset(&block->info[i]);
        }
    }
}

/*
 * The user logic's BAR also takes aligned 64-bit accesses: the memory core
 * splits them into two 32-bit ones, low word first, so that a 64-bit read
 * of a LO/HI counter pair (TIME, LAST_RAISE) returns it whole in a single
 * guest access.  Under TCG every access is a costly exit; an interrupt
 * handler that timestamps saves two per interrupt.
 */
const MemoryRegionOps vfpga_reg_block_ops_wide = VFPGA_REG_BLOCK_OPS(8);
