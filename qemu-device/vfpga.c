/*
 * vfpga: an FPGA board behind an AMD/Xilinx XDMA-compatible PCIe front end.
 *
 * The PCI function: identity, BARs, capabilities, properties, reset and
 * migration.  The board's identity and layout are properties (the
 * reference board's by default; boards/ holds presets, docs/boards.md
 * describes them).  The register blocks behind the BARs live in their own
 * files:
 *   vfpga-ulogic.c       user BAR    the XDMA IP's AXI-Lite master in
 *                                    front of the user logic, and the
 *                                    plug-in loader; BAR0 by default
 *   vfpga-user.c                     the reference user logic (ID, clock,
 *                                    faults, interrupt generator)
 *   vfpga-xdma.c         config BAR  XDMA register space and MSI-X; BAR1
 *   vfpga-xdma-chan.c                XDMA channel and SGDMA blocks
 *   vfpga-xdma-engine.c              the DMA engine walking descriptor chains
 *   vfpga-xdma-irq.c                 XDMA IRQ block and interrupt delivery
 *   vfpga-fault.c                    fault injection, surprise removal
 *   vfpga-campaign.c                 seeded fault campaigns
 * The card memory is plain RAM and the DMA engine's card side; the card
 * BAR (BAR2, 64-bit, by default) shows it to the host, or no BAR does.
 *
 * The register map is specified in docs/register-map.md.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "qemu/error-report.h"
#include "hw/pci/pci.h"
#include "hw/pci/pcie.h"
#include "hw/pci/msi.h"
#include "hw/pci/msix.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "system/runstate.h"
#include "vfpga.h"
#include "trace.h"

#define VFPGA_PCIE_CAP_OFFSET   0x80
#define VFPGA_CARD_MEM_MIN      (4 * KiB)
#define VFPGA_CARD_MEM_MAX      (1 * GiB)
#define VFPGA_USER_BAR_MIN      (4 * KiB)
#define VFPGA_BAR_MAX           (1 * GiB)
/* The XDMA blocks, the MSI-X table and its PBA end below 0x9000. */
#define VFPGA_CONFIG_BAR_MIN    (64 * KiB)

/*
 * Undo realize, from exit or from a realize that failed part way: every
 * step is safe on what was never set up.
 */
static void vfpga_teardown(VFPGAState *s)
{
    PCIDevice *pdev = PCI_DEVICE(s);

    if (s->vmstate) {
        qemu_del_vm_change_state_handler(s->vmstate);
        s->vmstate = NULL;
    }
    msix_uninit(pdev, &s->dma_bar, &s->dma_bar);
    msi_uninit(pdev);
    pcie_cap_exit(pdev);
    if (s->card_ptr) {
        /* Frees the RAMBlock's id, so that a new board can take it. */
        vmstate_unregister_ram(&s->card_mem, DEVICE(s));
        s->card_ptr = NULL;
    }
    vfpga_ul_unrealize(s);
    vfpga_fault_exit(s);
    vfpga_xdma_exit(s);
    vfpga_del_subregion(&s->user_bar);
}

/* The VM runs again: resume what waited for it. */
static void vfpga_vm_state_change(void *opaque, bool running, RunState state)
{
    VFPGAState *s = opaque;
    unsigned i;

    if (!running) {
        return;
    }
    for (i = 0; i < s->num_h2c; i++) {
        vfpga_engine_resume(&s->h2c[i]);
    }
    for (i = 0; i < s->num_c2h; i++) {
        vfpga_engine_resume(&s->c2h[i]);
    }
}

/* A BAR size: a power of two from @min to VFPGA_BAR_MAX. */
static bool vfpga_bar_size_ok(uint64_t size, uint64_t min)
{
    return size >= min && size <= VFPGA_BAR_MAX && is_power_of_2(size);
}

/*
 * Check the board's identity and layout properties, and work out its
 * channels.  Each refusal is one sentence naming the property and what it
 * may be.
 */
static bool vfpga_check_shape(VFPGAState *s, Error **errp)
{
    static const struct {
        const char *name;
        size_t offset;
        uint32_t max;
    } ids[] = {
        { "vendor-id", offsetof(VFPGAState, vendor_id), 0xfffe },
        { "device-id", offsetof(VFPGAState, device_id), 0xffff },
        { "subsystem-vendor-id", offsetof(VFPGAState, subsys_vendor_id),
          0xffff },
        { "subsystem-id", offsetof(VFPGAState, subsys_id), 0xffff },
        { "revision", offsetof(VFPGAState, revision), 0xff },
        { "class-code", offsetof(VFPGAState, class_code), 0xffffff },
    };
    int card = s->card_mem_bar_index;
    unsigned i, used;

    for (i = 0; i < ARRAY_SIZE(ids); i++) {
        if (*(uint32_t *)((char *)s + ids[i].offset) > ids[i].max) {
            error_setg(errp, "vfpga: %s must be 0 to 0x%x", ids[i].name,
                       ids[i].max);
            return false;
        }
    }
    if (s->user_bar_index >= PCI_ROM_SLOT) {
        error_setg(errp, "vfpga: user-bar must be 0 to 5");
        return false;
    }
    if (s->config_bar_index >= PCI_ROM_SLOT) {
        error_setg(errp, "vfpga: config-bar must be 0 to 5");
        return false;
    }
    if (card < -1 || card > PCI_ROM_SLOT - 2) {
        error_setg(errp, "vfpga: card-mem-bar must be -1 (no card BAR) or "
                   "0 to 4 (a 64-bit BAR, which takes the next slot too)");
        return false;
    }
    used = BIT(s->user_bar_index);
    if (used & BIT(s->config_bar_index) ||
        (card >= 0 && (used | BIT(s->config_bar_index)) & (3u << card))) {
        error_setg(errp, "vfpga: user-bar, config-bar and card-mem-bar must "
                   "name different BARs, card-mem-bar taking its slot and "
                   "the next");
        return false;
    }
    if (!vfpga_bar_size_ok(s->user_bar_size, VFPGA_USER_BAR_MIN)) {
        error_setg(errp, "vfpga: user-bar-size must be a power of two "
                   "between 4 KiB and 1 GiB");
        return false;
    }
    if (!vfpga_bar_size_ok(s->config_bar_size, VFPGA_CONFIG_BAR_MIN)) {
        error_setg(errp, "vfpga: config-bar-size must be a power of two "
                   "between 64 KiB and 1 GiB");
        return false;
    }
    if (s->card_mem_size < VFPGA_CARD_MEM_MIN ||
        s->card_mem_size > VFPGA_CARD_MEM_MAX ||
        !is_power_of_2(s->card_mem_size)) {
        error_setg(errp, "vfpga: card-mem-size must be a power of two "
                   "between 4 KiB and 1 GiB");
        return false;
    }
    if (s->dma_channels < 1 || s->dma_channels > XDMA_MAX_CHANNELS) {
        error_setg(errp, "vfpga: dma-channels must be 1 to %d",
                   XDMA_MAX_CHANNELS);
        return false;
    }
    if (s->h2c_channels < -1 || s->h2c_channels > XDMA_MAX_CHANNELS) {
        error_setg(errp, "vfpga: h2c-channels must be 0 to %d (or -1: as "
                   "dma-channels)", XDMA_MAX_CHANNELS);
        return false;
    }
    if (s->c2h_channels < -1 || s->c2h_channels > XDMA_MAX_CHANNELS) {
        error_setg(errp, "vfpga: c2h-channels must be 0 to %d (or -1: as "
                   "dma-channels)", XDMA_MAX_CHANNELS);
        return false;
    }
    s->num_h2c = s->h2c_channels < 0 ? s->dma_channels : s->h2c_channels;
    s->num_c2h = s->c2h_channels < 0 ? s->dma_channels : s->c2h_channels;
    if (!s->num_h2c && !s->num_c2h) {
        error_setg(errp, "vfpga: h2c-channels and c2h-channels must not "
                   "both be 0: the board needs at least one DMA channel");
        return false;
    }
    if (s->h2c_stream & ~((1u << s->num_h2c) - 1)) {
        error_setg(errp, "vfpga: h2c-stream must be a mask of the board's "
                   "H2C channels, 0 to 0x%x", (1u << s->num_h2c) - 1);
        return false;
    }
    if (s->c2h_stream & ~((1u << s->num_c2h) - 1)) {
        error_setg(errp, "vfpga: c2h-stream must be a mask of the board's "
                   "C2H channels, 0 to 0x%x", (1u << s->num_c2h) - 1);
        return false;
    }
    if (s->user_irq_lines < 1 || s->user_irq_lines > VFPGA_USER_IRQ_LINES) {
        error_setg(errp, "vfpga: user-irq-lines must be 1 to %d",
                   VFPGA_USER_IRQ_LINES);
        return false;
    }
    if (s->msix_vectors > VFPGA_MSIX_VECTORS) {
        error_setg(errp, "vfpga: msix-vectors must be 0 to %d",
                   VFPGA_MSIX_VECTORS);
        return false;
    }
    return true;
}

/* What the PCI core set from the class, replaced by the properties. */
static void vfpga_set_identity(VFPGAState *s)
{
    uint8_t *config = PCI_DEVICE(s)->config;

    pci_config_set_vendor_id(config, s->vendor_id);
    pci_config_set_device_id(config, s->device_id);
    pci_config_set_revision(config, s->revision);
    pci_config_set_prog_interface(config, s->class_code & 0xff);
    pci_config_set_class(config, s->class_code >> 8);
    pci_set_word(config + PCI_SUBSYSTEM_VENDOR_ID, s->subsys_vendor_id);
    pci_set_word(config + PCI_SUBSYSTEM_ID, s->subsys_id);
}

static void vfpga_realize(PCIDevice *pdev, Error **errp)
{
    VFPGAState *s = VFPGA(pdev);
    Error *err = NULL;
    unsigned v;
    int ret;

    if (!vfpga_check_shape(s, errp)) {
        return;
    }
    if (!s->dma_max_chain) {
        error_setg(errp, "vfpga: dma-max-chain must be at least 1");
        return;
    }

    if (!vfpga_ul_select(s, errp)) {
        goto fail;
    }
    if (s->h2c_stream && !vfpga_ul_has_stream(s, false)) {
        error_setg(errp, "vfpga: h2c-stream needs a user logic with an "
                   "AXI4-Stream H2C sink (h2c_stream, ABI 1.1); %s has none",
                   s->ul->name);
        goto fail;
    }
    if (s->c2h_stream && !vfpga_ul_has_stream(s, true)) {
        error_setg(errp, "vfpga: c2h-stream needs a user logic with an "
                   "AXI4-Stream C2H source (c2h_stream, ABI 1.1); %s has none",
                   s->ul->name);
        goto fail;
    }
    vfpga_set_identity(s);
    pci_config_set_interrupt_pin(pdev->config, 1);

    vfpga_xdma_init(s);
    if (!memory_region_init_ram(&s->card_mem, OBJECT(s), "vfpga-card-mem",
                                s->card_mem_size, errp)) {
        goto fail;
    }
    s->card_ptr = memory_region_get_ram_ptr(&s->card_mem);
    if (!vfpga_ul_create(s, errp)) {
        goto fail;
    }
    memory_region_init(&s->user_window, OBJECT(s), "vfpga-user-bar",
                       s->user_bar_size);
    memory_region_add_subregion(&s->user_window, 0, &s->user_bar);
    vfpga_fault_init(s);

    pci_register_bar(pdev, s->user_bar_index, PCI_BASE_ADDRESS_SPACE_MEMORY,
                     &s->user_window);
    pci_register_bar(pdev, s->config_bar_index,
                     PCI_BASE_ADDRESS_SPACE_MEMORY, &s->dma_bar);
    if (s->card_mem_bar_index >= 0) {
        pci_register_bar(pdev, s->card_mem_bar_index,
                         PCI_BASE_ADDRESS_SPACE_MEMORY |
                         PCI_BASE_ADDRESS_MEM_TYPE_64 |
                         PCI_BASE_ADDRESS_MEM_PREFETCH, &s->card_mem);
    }

    if (pcie_endpoint_cap_init(pdev, VFPGA_PCIE_CAP_OFFSET) < 0) {
        error_setg(errp, "vfpga: cannot add the PCI Express capability");
        goto fail;
    }
    pcie_cap_flr_init(pdev);
    /* Device Status' error bits are RW1C: user-logic errors land there. */
    pcie_cap_deverr_init(pdev);

    /*
     * A machine whose interrupt controller takes no messages (-ENOTSUP)
     * gets a board without MSI or MSI-X, as a real one would be used
     * there: with INTx.
     */
    if (s->msi) {
        ret = msi_init(pdev, 0, VFPGA_MSIX_VECTORS, true, false, &err);
        if (ret == -ENOTSUP) {
            error_free(err);
            err = NULL;
        } else if (ret) {
            error_propagate(errp, err);
            goto fail;
        }
    }
    if (s->msix_vectors) {
        ret = msix_init(pdev, s->msix_vectors,
                        &s->dma_bar, s->config_bar_index,
                        XDMA_MSIX_TABLE_OFFSET,
                        &s->dma_bar, s->config_bar_index,
                        XDMA_MSIX_PBA_OFFSET, 0, &err);
        if (ret == -ENOTSUP) {
            error_free(err);
            err = NULL;
        } else if (ret) {
            error_propagate(errp, err);
            goto fail;
        } else {
            for (v = 0; v < s->msix_vectors; v++) {
                msix_vector_use(pdev, v);
            }
        }
    }
    s->vmstate = qemu_add_vm_change_state_handler(vfpga_vm_state_change, s);
    return;

fail:
    vfpga_teardown(s);
}

static void vfpga_exit(PCIDevice *pdev)
{
    vfpga_teardown(VFPGA(pdev));
}

/* A removed board answers configuration reads with all-ones too. */
static uint32_t vfpga_config_read(PCIDevice *pdev, uint32_t addr, int len)
{
    if (VFPGA(pdev)->faults & VFPGA_FAULT_SURPRISE_REMOVAL) {
        return MAKE_64BIT_MASK(0, len * 8);
    }
    return pci_default_read_config(pdev, addr, len);
}

static void vfpga_config_write(PCIDevice *pdev, uint32_t addr, uint32_t val,
                               int len)
{
    if (VFPGA(pdev)->faults & VFPGA_FAULT_SURPRISE_REMOVAL) {
        return;
    }
    pci_default_write_config(pdev, addr, val, len);
    pcie_cap_flr_write_config(pdev, addr, val, len);
}

static void vfpga_reset(DeviceState *dev)
{
    VFPGAState *s = VFPGA(dev);

    trace_vfpga_reset();
    vfpga_ul_reset(s);
    vfpga_xdma_reset(s);
    vfpga_fault_reset(s);
}

static int vfpga_pre_load(void *opaque)
{
    vfpga_ul_begin_load(opaque);
    return 0;
}

static int vfpga_post_load(void *opaque, int version_id)
{
    VFPGAState *s = opaque;
    int ret = vfpga_user_post_load(s);

    if (ret) {
        return ret;
    }
    ret = vfpga_ul_end_load(s);
    if (ret) {
        return ret;
    }
    ret = vfpga_campaign_post_load(s);
    if (ret) {
        return ret;
    }
    vfpga_xdma_irq_post_load(s);
    vfpga_fault_post_load(s);
    return 0;
}

/* The paced generator's run: only there while it is running. */
static bool vfpga_irqgen_paced_needed(void *opaque)
{
    VFPGAState *s = opaque;

    return s->irqgen.mode == VFPGA_IRQGEN_MODE_PACED && s->irqgen.running;
}

static const VMStateDescription vmstate_vfpga_irqgen_paced = {
    .name = "vfpga/irqgen-paced",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = vfpga_irqgen_paced_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64(irqgen.start_ns, VFPGAState),
        VMSTATE_UINT64(irqgen.beats, VFPGAState),
        VMSTATE_UINT32(irqgen.rate, VFPGAState),
        VMSTATE_UINT32(irqgen.queue_depth, VFPGAState),
        VMSTATE_UINT64(irqgen.last_look_ns, VFPGAState),
        VMSTATE_TIMER_PTR(irqgen.timer, VFPGAState),
        VMSTATE_END_OF_LIST()
    },
};

/*
 * Any run's length: ping-pong needs it as much as the paced generator,
 * whose subsection carries it too.
 */
static bool vfpga_irqgen_beats_needed(void *opaque)
{
    VFPGAState *s = opaque;

    return s->irqgen.running && !vfpga_irqgen_paced_needed(opaque);
}

static const VMStateDescription vmstate_vfpga_irqgen_beats = {
    .name = "vfpga/irqgen-beats",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = vfpga_irqgen_beats_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64(irqgen.beats, VFPGAState),
        VMSTATE_END_OF_LIST()
    },
};

/*
 * The board's shape: a stream from a board with more DMA channels would
 * bring state for channels this one does not have, and one from another
 * layout registers this one does not decode where it has them.  The PCI
 * IDs need no field: VMSTATE_PCI_DEVICE compares the read-only part of
 * config space.  Version 1 carried dma-channels alone.
 */
static bool vfpga_config_needed(void *opaque)
{
    return true;
}

/*
 * A version 1 stream comes from a board that had no layout properties:
 * it loads only into a board of that shape, dma-channels channels each
 * way and the reference board's BARs and user lines.  Before version 3 a
 * board with stream channels could not migrate at all.
 */
static int vfpga_config_post_load(void *opaque, int version_id)
{
    VFPGAState *s = opaque;

    if (version_id < 3 && (s->h2c_stream || s->c2h_stream)) {
        error_report("vfpga: a stream of a board without AXI4-Stream "
                     "channels loads only into a board without them");
        return -EINVAL;
    }
    if (version_id >= 2) {
        return 0;
    }
    if (s->num_h2c != s->dma_channels || s->num_c2h != s->dma_channels ||
        s->user_bar_index != VFPGA_BAR_USER ||
        s->config_bar_index != VFPGA_BAR_DMA ||
        s->card_mem_bar_index != VFPGA_BAR_CARD_MEM ||
        s->user_bar_size != VFPGA_BAR_USER_SIZE ||
        s->config_bar_size != VFPGA_BAR_DMA_SIZE ||
        s->user_irq_lines != VFPGA_USER_IRQ_LINES) {
        error_report("vfpga: a stream of a board without layout properties "
                     "loads only into the reference layout");
        return -EINVAL;
    }
    return 0;
}

/* VMSTATE_INT32_EQUAL, for a field added in version @v. */
#define VFPGA_VMSTATE_INT32_EQUAL_V(_f, _s, _v) {                   \
    .name = (stringify(_f)),                                        \
    .version_id = (_v),                                             \
    .size = sizeof(int32_t),                                        \
    .info = &vmstate_info_int32_equal,                              \
    .flags = VMS_SINGLE,                                            \
    .offset = vmstate_offset_value(_s, _f, int32_t),                \
}

static const VMStateDescription vmstate_vfpga_config = {
    .name = "vfpga/config",
    .version_id = 3,
    .minimum_version_id = 1,
    .needed = vfpga_config_needed,
    .post_load = vfpga_config_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_EQUAL(dma_channels, VFPGAState, NULL),
        VMSTATE_UINT32_EQUAL_V(num_h2c, VFPGAState, 2, NULL),
        VMSTATE_UINT32_EQUAL_V(num_c2h, VFPGAState, 2, NULL),
        VMSTATE_UINT32_EQUAL_V(user_bar_index, VFPGAState, 2, NULL),
        VMSTATE_UINT32_EQUAL_V(config_bar_index, VFPGAState, 2, NULL),
        VFPGA_VMSTATE_INT32_EQUAL_V(card_mem_bar_index, VFPGAState, 2),
        VMSTATE_UINT64_EQUAL_V(user_bar_size, VFPGAState, 2, NULL),
        VMSTATE_UINT64_EQUAL_V(config_bar_size, VFPGAState, 2, NULL),
        VMSTATE_UINT32_EQUAL_V(user_irq_lines, VFPGAState, 2, NULL),
        VMSTATE_UINT32_EQUAL_V(h2c_stream, VFPGAState, 3, NULL),
        VMSTATE_UINT32_EQUAL_V(c2h_stream, VFPGAState, 3, NULL),
        VMSTATE_END_OF_LIST()
    },
};

static bool vfpga_irqgen_rotate_needed(void *opaque)
{
    return ((VFPGAState *)opaque)->irqgen.rotate;
}

static const VMStateDescription vmstate_vfpga_irqgen_rotate = {
    .name = "vfpga/irqgen-rotate",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = vfpga_irqgen_rotate_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_BOOL(irqgen.rotate, VFPGAState),
        VMSTATE_END_OF_LIST()
    },
};

static bool vfpga_credit_mode_needed(void *opaque)
{
    VFPGAState *s = opaque;

    return s->sgdma_common_regs[XDMA_SGDMA_CREDIT_MODE / 4];
}

/* Descriptor credit mode (the channels' credits are in their SGDMA regs). */
static const VMStateDescription vmstate_vfpga_credit_mode = {
    .name = "vfpga/credit-mode",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = vfpga_credit_mode_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_SUB_ARRAY(sgdma_common_regs, VFPGAState,
                                 XDMA_SGDMA_CREDIT_MODE / 4, 1),
        VMSTATE_END_OF_LIST()
    },
};

static const VMStateDescription vmstate_vfpga = {
    .name = TYPE_VFPGA,
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_load = vfpga_pre_load,
    .post_load = vfpga_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_PCI_DEVICE(parent_obj, VFPGAState),
        VMSTATE_MSIX(parent_obj, VFPGAState),
        VMSTATE_UINT32_ARRAY(user_regs, VFPGAState, VFPGA_USER_R_MAX),
        VMSTATE_UINT32_ARRAY(xdma_irq_regs, VFPGAState, VFPGA_XDMA_IRQ_R_MAX),
        VMSTATE_UINT32_ARRAY(xdma_config_regs, VFPGAState,
                             VFPGA_XDMA_CONFIG_R_MAX),
        VMSTATE_BOOL(irqgen.running, VFPGAState),
        VMSTATE_BOOL(irqgen.pending, VFPGAState),
        VMSTATE_UINT32(irqgen.line, VFPGAState),
        VMSTATE_UINT32(irqgen.mode, VFPGAState),
        VMSTATE_UINT64(irqgen.last_raise_ns, VFPGAState),
        VMSTATE_INT64(clock_origin_ns, VFPGAState),
        VMSTATE_UINT32(time_hi_latch, VFPGAState),
        VMSTATE_UINT32(last_raise_hi_latch, VFPGAState),
        VMSTATE_UINT32(faults, VFPGAState),
        VMSTATE_UINT32(fault_vector, VFPGAState),
        VMSTATE_UINT32_SUB_ARRAY(sgdma_common_regs, VFPGAState, 0, 1),
        VMSTATE_STRUCT_ARRAY(h2c, VFPGAState, XDMA_MAX_CHANNELS, 1,
                             vmstate_vfpga_channel, VFPGAChannel),
        VMSTATE_STRUCT_ARRAY(c2h, VFPGAState, XDMA_MAX_CHANNELS, 1,
                             vmstate_vfpga_channel, VFPGAChannel),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription * const []) {
        &vmstate_vfpga_irqgen_paced,
        &vmstate_vfpga_irqgen_rotate,
        &vmstate_vfpga_irqgen_beats,
        &vmstate_vfpga_config,
        &vmstate_vfpga_campaign,
        &vmstate_vfpga_ul,
        &vmstate_vfpga_credit_mode,
        &vmstate_vfpga_ref_stream,
        NULL
    },
};

static const Property vfpga_properties[] = {
    /*
     * A shared object with the board's user logic
     * (include/vfpga/vfpga_user_logic.h); unset: the reference design.
     */
    DEFINE_PROP_STRING("user-logic", VFPGAState, user_logic_path),
    /* A string the plug-in's create() gets as board->args. */
    DEFINE_PROP_STRING("user-logic-args", VFPGAState, user_logic_args),
    /*
     * PCI identity, by default the reference board's (QEMU's experimental
     * range).  class-code is base class, subclass and programming
     * interface: 0xff0000, "unassigned".
     */
    DEFINE_PROP_UINT32("vendor-id", VFPGAState, vendor_id,
                       VFPGA_PCI_VENDOR_ID),
    DEFINE_PROP_UINT32("device-id", VFPGAState, device_id,
                       VFPGA_PCI_DEVICE_ID),
    DEFINE_PROP_UINT32("subsystem-vendor-id", VFPGAState, subsys_vendor_id,
                       VFPGA_PCI_SUBSYSTEM_VENDOR_ID),
    DEFINE_PROP_UINT32("subsystem-id", VFPGAState, subsys_id,
                       VFPGA_PCI_SUBSYSTEM_ID),
    DEFINE_PROP_UINT32("revision", VFPGAState, revision, VFPGA_PCI_REVISION),
    DEFINE_PROP_UINT32("class-code", VFPGAState, class_code,
                       VFPGA_PCI_CLASS_CODE),
    /*
     * Layout: which BAR is the user logic's, which the XDMA register
     * (config) BAR's and which, if any, shows card memory (a 64-bit BAR:
     * it takes the next slot too; -1: none, card memory is reached only
     * through the DMA engine).  No two may overlap.
     */
    DEFINE_PROP_UINT32("user-bar", VFPGAState, user_bar_index,
                       VFPGA_BAR_USER),
    DEFINE_PROP_UINT32("config-bar", VFPGAState, config_bar_index,
                       VFPGA_BAR_DMA),
    DEFINE_PROP_INT32("card-mem-bar", VFPGAState, card_mem_bar_index,
                      VFPGA_BAR_CARD_MEM),
    /* BAR sizes, powers of two: user 4 KiB up, config 64 KiB up. */
    DEFINE_PROP_SIZE("user-bar-size", VFPGAState, user_bar_size,
                     VFPGA_BAR_USER_SIZE),
    DEFINE_PROP_SIZE("config-bar-size", VFPGAState, config_bar_size,
                     VFPGA_BAR_DMA_SIZE),
    /* The board's DDR, behind the DMA engine and the card BAR. */
    DEFINE_PROP_SIZE("card-mem-size", VFPGAState, card_mem_size,
                     VFPGA_CARD_MEM_DEFAULT_SIZE),
    /* MSI-X table entries; 0 models a board without MSI-X. */
    DEFINE_PROP_UINT32("msix-vectors", VFPGAState, msix_vectors,
                       VFPGA_MSIX_VECTORS),
    /* Offer the MSI capability (the fallback when MSI-X is absent). */
    DEFINE_PROP_BOOL("msi", VFPGAState, msi, true),
    /*
     * DMA channels: h2c-channels and c2h-channels, 0 to 4 each and at
     * least one in all.  dma-channels (1 to 4) is the count of each
     * direction not given: -1, the default, means "as dma-channels", so
     * dma-channels=2 alone is 2+2 and dma-channels=2,c2h-channels=1 is
     * 2 H2C and 1 C2H.
     */
    DEFINE_PROP_UINT32("dma-channels", VFPGAState, dma_channels,
                       XDMA_MAX_CHANNELS),
    DEFINE_PROP_INT32("h2c-channels", VFPGAState, h2c_channels, -1),
    DEFINE_PROP_INT32("c2h-channels", VFPGAState, c2h_channels, -1),
    /*
     * Channels in AXI4-Stream mode, one bit per channel (PG195 streaming
     * mode; the rest are memory-mapped): their data goes to and comes
     * from the user logic's stream ports, not card memory.
     */
    DEFINE_PROP_UINT32("h2c-stream", VFPGAState, h2c_stream, 0),
    DEFINE_PROP_UINT32("c2h-stream", VFPGAState, c2h_stream, 0),
    /* usr_irq_req lines of the user logic, 1 to 16. */
    DEFINE_PROP_UINT32("user-irq-lines", VFPGAState, user_irq_lines,
                       VFPGA_USER_IRQ_LINES),
    /*
     * Descriptors per main-loop turn: bounds the time a ring of tiny
     * descriptors takes from the main loop (a ring runs until RUN clears).
     */
    DEFINE_PROP_UINT32("dma-max-chain", VFPGAState, dma_max_chain, 65536),
    /* Timing model: bandwidth in MB/s (0: as fast as the host copies)... */
    DEFINE_PROP_UINT32("dma-bandwidth-mbps", VFPGAState, dma_bandwidth_mbps,
                       0),
    /* ...and a fixed latency per descriptor, in ns. */
    DEFINE_PROP_UINT32("dma-desc-latency-ns", VFPGAState,
                       dma_desc_latency_ns, 0),
};

static void vfpga_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->realize = vfpga_realize;
    k->exit = vfpga_exit;
    k->config_read = vfpga_config_read;
    k->config_write = vfpga_config_write;
    /* The defaults; realize sets the properties' values. */
    k->vendor_id = VFPGA_PCI_VENDOR_ID;
    k->device_id = VFPGA_PCI_DEVICE_ID;
    k->revision = VFPGA_PCI_REVISION;
    k->class_id = VFPGA_PCI_CLASS_CODE >> 8;
    dc->desc = "vfpga FPGA board (XDMA-compatible)";
    dc->vmsd = &vmstate_vfpga;
    device_class_set_props(dc, vfpga_properties);
    device_class_set_legacy_reset(dc, vfpga_reset);
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
    vfpga_fault_class_init(klass);
    vfpga_campaign_class_init(klass);
}

static void vfpga_instance_init(Object *obj)
{
    vfpga_campaign_instance_init(VFPGA(obj));
}

static const TypeInfo vfpga_types[] = {
    {
        .name = TYPE_VFPGA,
        .parent = TYPE_PCI_DEVICE,
        .instance_size = sizeof(VFPGAState),
        .instance_init = vfpga_instance_init,
        .class_init = vfpga_class_init,
        .interfaces = (InterfaceInfo[]) {
            { INTERFACE_PCIE_DEVICE },
            { }
        },
    },
};

DEFINE_TYPES(vfpga_types)
