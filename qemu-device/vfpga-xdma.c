/*
 * vfpga: the config BAR (BAR1 of the reference board), the XDMA register
 * space.
 *
 * A container that places each XDMA block at its PG195 offset, with the
 * MSI-X table and PBA at 0x8000: "h2c-channels" H2C and "c2h-channels"
 * C2H channels with
 * their SGDMA blocks (vfpga-xdma-chan.c), the IRQ block (vfpga-xdma-irq.c),
 * and the identifiers of the config and SGDMA common blocks.  Offsets no
 * block claims read as zero and are reported as unimplemented.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "hw/registerfields.h"
#include "vfpga.h"
#include "trace.h"

REG32(CONFIG_IDENTIFIER, XDMA_CONFIG_IDENTIFIER)
REG32(SGDMA_COMMON_IDENTIFIER, XDMA_SGDMA_COMMON_IDENTIFIER)
REG32(CREDIT_MODE, XDMA_SGDMA_CREDIT_MODE)
REG32(CREDIT_MODE_W1S, XDMA_SGDMA_CREDIT_MODE_W1S)
REG32(CREDIT_MODE_W1C, XDMA_SGDMA_CREDIT_MODE_W1C)

static const RegisterAccessInfo vfpga_xdma_config_regs_info[] = {
    {   .name = "IDENTIFIER", .addr = A_CONFIG_IDENTIFIER, .ro = UINT32_MAX,
        .reset = XDMA_ID_SUBSYSTEM | XDMA_ID_TARGET(XDMA_TARGET_CONFIG) |
                 XDMA_ID_VERSION,
    },
};

/*
 * Descriptor credit mode, one bit per channel.  A channel whose bit goes
 * off loses its credits, and an engine that waited for one goes on.
 */
static void vfpga_credit_mode_set(VFPGAState *s, uint32_t val)
{
    uint32_t old = s->sgdma_common_regs[R_CREDIT_MODE];
    uint32_t off;
    unsigned i;

    val &= XDMA_CREDIT_MODE_MASK;
    s->sgdma_common_regs[R_CREDIT_MODE] = val;
    off = old & ~val;
    for (i = 0; i < XDMA_MAX_CHANNELS; i++) {
        if (off & XDMA_CREDIT_MODE_H2C(i)) {
            s->h2c[i].sgdma_regs[XDMA_SGDMA_DESC_CREDIT / 4] = 0;
            vfpga_engine_credit_kick(&s->h2c[i]);
        }
        if (off & XDMA_CREDIT_MODE_C2H(i)) {
            s->c2h[i].sgdma_regs[XDMA_SGDMA_DESC_CREDIT / 4] = 0;
            vfpga_engine_credit_kick(&s->c2h[i]);
        }
    }
}

static uint64_t vfpga_credit_mode_prew(RegisterInfo *reg, uint64_t val)
{
    VFPGAState *s = reg->opaque;

    vfpga_credit_mode_set(s, val);
    return s->sgdma_common_regs[R_CREDIT_MODE];
}

static void vfpga_credit_mode_w1s_postw(RegisterInfo *reg, uint64_t val)
{
    VFPGAState *s = reg->opaque;

    s->sgdma_common_regs[R_CREDIT_MODE_W1S] = 0;
    vfpga_credit_mode_set(s, s->sgdma_common_regs[R_CREDIT_MODE] | val);
}

static void vfpga_credit_mode_w1c_postw(RegisterInfo *reg, uint64_t val)
{
    VFPGAState *s = reg->opaque;

    s->sgdma_common_regs[R_CREDIT_MODE_W1C] = 0;
    vfpga_credit_mode_set(s, s->sgdma_common_regs[R_CREDIT_MODE] & ~val);
}

static uint64_t vfpga_credit_mode_alias_postr(RegisterInfo *reg, uint64_t val)
{
    VFPGAState *s = reg->opaque;

    return s->sgdma_common_regs[R_CREDIT_MODE];
}

static const RegisterAccessInfo vfpga_sgdma_common_regs_info[] = {
    {   .name = "IDENTIFIER", .addr = A_SGDMA_COMMON_IDENTIFIER,
        .ro = UINT32_MAX,
        .reset = XDMA_ID_SUBSYSTEM |
                 XDMA_ID_TARGET(XDMA_TARGET_SGDMA_COMMON) | XDMA_ID_VERSION,
    },{ .name = "CREDIT_MODE", .addr = A_CREDIT_MODE,
        .rsvd = ~XDMA_CREDIT_MODE_MASK,
        .pre_write = vfpga_credit_mode_prew,
    },{ .name = "CREDIT_MODE_W1S", .addr = A_CREDIT_MODE_W1S,
        .rsvd = ~XDMA_CREDIT_MODE_MASK,
        .post_write = vfpga_credit_mode_w1s_postw,
        .post_read = vfpga_credit_mode_alias_postr,
    },{ .name = "CREDIT_MODE_W1C", .addr = A_CREDIT_MODE_W1C,
        .rsvd = ~XDMA_CREDIT_MODE_MASK,
        .post_write = vfpga_credit_mode_w1c_postw,
        .post_read = vfpga_credit_mode_alias_postr,
    },
};

/* The config block's registers other than its identifier (PG195). */
static const VFPGAUnimpReg vfpga_xdma_config_unimp[] = {
    { 0x04, "BUSDEV" },
    { 0x08, "PCIE_MAX_PAYLOAD" },
    { 0x0c, "PCIE_MAX_READ_REQ" },
    { 0x10, "SYSTEM_ID" },
    { 0x14, "MSI_ENABLE" },
    { 0x18, "PCIE_DATA_WIDTH" },
    { 0x1c, "PCIE_CONTROL" },
    { 0x40, "AXI_USER_MAX_PAYLOAD" },
    { 0x44, "AXI_USER_MAX_READ_REQ" },
    { 0x60, "WRITE_FLUSH_TIMEOUT" },
};

/* The SGDMA common block's descriptor halt controls. */
static const VFPGAUnimpReg vfpga_sgdma_common_unimp[] = {
    { 0x10, "DESC_CONTROL" },
    { 0x14, "DESC_CONTROL_W1S" },
    { 0x18, "DESC_CONTROL_W1C" },
};

static uint64_t vfpga_xdma_unimp_read(void *opaque, hwaddr addr,
                                      unsigned size)
{
    qemu_log_mask(LOG_UNIMP, "vfpga: read of unimplemented XDMA register "
                  "0x%" HWADDR_PRIx "\n", addr);
    trace_vfpga_err_undefined_reg("xdma", addr, false);
    return 0;
}

static void vfpga_xdma_unimp_write(void *opaque, hwaddr addr, uint64_t value,
                                   unsigned size)
{
    qemu_log_mask(LOG_UNIMP, "vfpga: write of 0x%" PRIx64 " to "
                  "unimplemented XDMA register 0x%" HWADDR_PRIx "\n",
                  value, addr);
    trace_vfpga_err_undefined_reg("xdma", addr, true);
}

static const MemoryRegionOps vfpga_xdma_unimp_ops = {
    .read = vfpga_xdma_unimp_read,
    .write = vfpga_xdma_unimp_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

void vfpga_xdma_init(VFPGAState *s)
{
    Object *owner = OBJECT(s);
    unsigned i;

    memory_region_init(&s->dma_bar, owner, "vfpga-dma", s->config_bar_size);

    memory_region_init_io(&s->xdma_unimp_mr, owner, &vfpga_xdma_unimp_ops, s,
                          "vfpga-xdma-unimp", XDMA_MSIX_TABLE_OFFSET);
    memory_region_add_subregion_overlap(&s->dma_bar, 0, &s->xdma_unimp_mr, -1);

    vfpga_xdma_irq_init(s);
    memory_region_add_subregion(&s->dma_bar, XDMA_IRQ_BASE, &s->xdma_irq_mr);

    vfpga_reg_block_init(&s->xdma_config_block, "xdma-config",
                         vfpga_xdma_config_regs_info,
                         ARRAY_SIZE(vfpga_xdma_config_regs_info),
                         s->xdma_config_regs_info, s->xdma_config_regs,
                         ARRAY_SIZE(s->xdma_config_regs), s);
    vfpga_reg_block_set_unimp(&s->xdma_config_block, vfpga_xdma_config_unimp,
                              ARRAY_SIZE(vfpga_xdma_config_unimp));
    memory_region_init_io(&s->xdma_config_mr, owner, &vfpga_reg_block_ops,
                          &s->xdma_config_block, "vfpga-xdma-config", 0x1000);
    memory_region_add_subregion(&s->dma_bar, XDMA_CONFIG_BASE,
                                &s->xdma_config_mr);

    vfpga_reg_block_init(&s->sgdma_common_block, "xdma-sgdma-common",
                         vfpga_sgdma_common_regs_info,
                         ARRAY_SIZE(vfpga_sgdma_common_regs_info),
                         s->sgdma_common_regs_info, s->sgdma_common_regs,
                         ARRAY_SIZE(s->sgdma_common_regs), s);
    vfpga_reg_block_set_unimp(&s->sgdma_common_block,
                              vfpga_sgdma_common_unimp,
                              ARRAY_SIZE(vfpga_sgdma_common_unimp));
    memory_region_init_io(&s->sgdma_common_mr, owner, &vfpga_reg_block_ops,
                          &s->sgdma_common_block, "vfpga-xdma-sgdma-common",
                          0x1000);
    memory_region_add_subregion(&s->dma_bar, XDMA_SGDMA_COMMON_BASE,
                                &s->sgdma_common_mr);

    for (i = 0; i < XDMA_MAX_CHANNELS; i++) {
        vfpga_chan_init(s, &s->h2c[i], false, i);
        vfpga_chan_init(s, &s->c2h[i], true, i);
    }
}

void vfpga_xdma_reset(VFPGAState *s)
{
    unsigned i;

    for (i = 0; i < s->num_h2c; i++) {
        vfpga_chan_reset(&s->h2c[i]);
    }
    for (i = 0; i < s->num_c2h; i++) {
        vfpga_chan_reset(&s->c2h[i]);
    }
    vfpga_reg_block_reset(&s->xdma_irq_block);
    vfpga_reg_block_reset(&s->xdma_config_block);
    vfpga_reg_block_reset(&s->sgdma_common_block);
    s->user_lines_signalled = 0;
    s->chan_lines_signalled = 0;
}

void vfpga_xdma_exit(VFPGAState *s)
{
    unsigned i;

    for (i = 0; i < XDMA_MAX_CHANNELS; i++) {
        vfpga_engine_exit(&s->h2c[i]);
        vfpga_engine_exit(&s->c2h[i]);
        vfpga_del_subregion(&s->h2c[i].mr);
        vfpga_del_subregion(&s->h2c[i].sgdma_mr);
        vfpga_del_subregion(&s->c2h[i].mr);
        vfpga_del_subregion(&s->c2h[i].sgdma_mr);
    }
    vfpga_del_subregion(&s->xdma_unimp_mr);
    vfpga_del_subregion(&s->xdma_irq_mr);
    vfpga_del_subregion(&s->xdma_config_mr);
    vfpga_del_subregion(&s->sgdma_common_mr);
}
