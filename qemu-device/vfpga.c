/*
 * vfpga: an FPGA board behind an AMD/Xilinx XDMA-compatible PCIe front end.
 *
 * The PCI function: BARs, capabilities, properties, reset and migration.
 * The register blocks behind the BARs live in their own files:
 *   vfpga-user.c         BAR0  user logic (ID, clock, faults, interrupt
 *                              generator)
 *   vfpga-xdma.c         BAR1  XDMA register space and MSI-X
 *   vfpga-xdma-chan.c          XDMA channel and SGDMA blocks
 *   vfpga-xdma-engine.c        the DMA engine walking descriptor chains
 *   vfpga-xdma-irq.c           XDMA IRQ block and interrupt delivery
 *   vfpga-fault.c              fault injection, surprise removal
 * BAR2 is the card memory, plain RAM, and the DMA engine's card side.
 *
 * The register map is specified in docs/register-map.md.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "qapi/error.h"
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
    vfpga_fault_exit(s);
    vfpga_xdma_exit(s);
    vfpga_user_exit(s);
}

/* The VM runs again: resume what waited for it. */
static void vfpga_vm_state_change(void *opaque, bool running, RunState state)
{
    VFPGAState *s = opaque;
    unsigned i;

    if (!running) {
        return;
    }
    for (i = 0; i < s->dma_channels; i++) {
        vfpga_engine_resume(&s->h2c[i]);
        vfpga_engine_resume(&s->c2h[i]);
    }
}

static void vfpga_realize(PCIDevice *pdev, Error **errp)
{
    VFPGAState *s = VFPGA(pdev);
    Error *err = NULL;
    unsigned v;
    int ret;

    if (s->card_mem_size < VFPGA_CARD_MEM_MIN ||
        s->card_mem_size > VFPGA_CARD_MEM_MAX ||
        !is_power_of_2(s->card_mem_size)) {
        error_setg(errp, "vfpga: card-mem-size must be a power of two "
                   "between 4 KiB and 1 GiB");
        return;
    }
    if (s->msix_vectors > VFPGA_MSIX_VECTORS) {
        error_setg(errp, "vfpga: msix-vectors must be at most %d",
                   VFPGA_MSIX_VECTORS);
        return;
    }
    if (s->dma_channels < 1 || s->dma_channels > XDMA_MAX_CHANNELS) {
        error_setg(errp, "vfpga: dma-channels must be 1 to %d",
                   XDMA_MAX_CHANNELS);
        return;
    }
    if (!s->dma_max_chain) {
        error_setg(errp, "vfpga: dma-max-chain must be at least 1");
        return;
    }

    pci_config_set_interrupt_pin(pdev->config, 1);

    vfpga_user_init(s);
    vfpga_xdma_init(s);
    if (!memory_region_init_ram(&s->card_mem, OBJECT(s), "vfpga-card-mem",
                                s->card_mem_size, errp)) {
        goto fail;
    }
    s->card_ptr = memory_region_get_ram_ptr(&s->card_mem);
    vfpga_fault_init(s);

    pci_register_bar(pdev, VFPGA_BAR_USER, PCI_BASE_ADDRESS_SPACE_MEMORY,
                     &s->user_bar);
    pci_register_bar(pdev, VFPGA_BAR_DMA, PCI_BASE_ADDRESS_SPACE_MEMORY,
                     &s->dma_bar);
    pci_register_bar(pdev, VFPGA_BAR_CARD_MEM,
                     PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64 |
                     PCI_BASE_ADDRESS_MEM_PREFETCH, &s->card_mem);

    if (pcie_endpoint_cap_init(pdev, VFPGA_PCIE_CAP_OFFSET) < 0) {
        error_setg(errp, "vfpga: cannot add the PCI Express capability");
        goto fail;
    }
    pcie_cap_flr_init(pdev);

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
                        &s->dma_bar, VFPGA_BAR_DMA, XDMA_MSIX_TABLE_OFFSET,
                        &s->dma_bar, VFPGA_BAR_DMA, XDMA_MSIX_PBA_OFFSET,
                        0, &err);
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
    vfpga_user_reset(s);
    vfpga_xdma_reset(s);
    vfpga_fault_reset(s);
}

static int vfpga_post_load(void *opaque, int version_id)
{
    VFPGAState *s = opaque;
    int ret = vfpga_user_post_load(s);

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

    return s->irqgen_mode == VFPGA_IRQGEN_MODE_PACED && s->irqgen_running;
}

static const VMStateDescription vmstate_vfpga_irqgen_paced = {
    .name = "vfpga/irqgen-paced",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = vfpga_irqgen_paced_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64(irqgen_start_ns, VFPGAState),
        VMSTATE_UINT64(irqgen_beats, VFPGAState),
        VMSTATE_UINT32(irqgen_rate, VFPGAState),
        VMSTATE_UINT32(irqgen_queue_depth, VFPGAState),
        VMSTATE_UINT64(irqgen_last_look_ns, VFPGAState),
        VMSTATE_TIMER_PTR(irqgen_timer, VFPGAState),
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

    return s->irqgen_running && !vfpga_irqgen_paced_needed(opaque);
}

static const VMStateDescription vmstate_vfpga_irqgen_beats = {
    .name = "vfpga/irqgen-beats",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = vfpga_irqgen_beats_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64(irqgen_beats, VFPGAState),
        VMSTATE_END_OF_LIST()
    },
};

/*
 * The board's shape: a stream from a board with more DMA channels would
 * bring state for channels this one does not have.
 */
static bool vfpga_config_needed(void *opaque)
{
    return true;
}

static const VMStateDescription vmstate_vfpga_config = {
    .name = "vfpga/config",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = vfpga_config_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_EQUAL(dma_channels, VFPGAState, NULL),
        VMSTATE_END_OF_LIST()
    },
};

static bool vfpga_irqgen_rotate_needed(void *opaque)
{
    return ((VFPGAState *)opaque)->irqgen_rotate;
}

static const VMStateDescription vmstate_vfpga_irqgen_rotate = {
    .name = "vfpga/irqgen-rotate",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = vfpga_irqgen_rotate_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_BOOL(irqgen_rotate, VFPGAState),
        VMSTATE_END_OF_LIST()
    },
};

static const VMStateDescription vmstate_vfpga = {
    .name = TYPE_VFPGA,
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = vfpga_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_PCI_DEVICE(parent_obj, VFPGAState),
        VMSTATE_MSIX(parent_obj, VFPGAState),
        VMSTATE_UINT32_ARRAY(user_regs, VFPGAState, VFPGA_USER_R_MAX),
        VMSTATE_UINT32_ARRAY(xdma_irq_regs, VFPGAState, VFPGA_XDMA_IRQ_R_MAX),
        VMSTATE_UINT32_ARRAY(xdma_config_regs, VFPGAState,
                             VFPGA_XDMA_CONFIG_R_MAX),
        VMSTATE_BOOL(irqgen_running, VFPGAState),
        VMSTATE_BOOL(irqgen_pending, VFPGAState),
        VMSTATE_UINT32(irqgen_line, VFPGAState),
        VMSTATE_UINT32(irqgen_mode, VFPGAState),
        VMSTATE_UINT64(irqgen_last_raise_ns, VFPGAState),
        VMSTATE_INT64(clock_origin_ns, VFPGAState),
        VMSTATE_UINT32(time_hi_latch, VFPGAState),
        VMSTATE_UINT32(last_raise_hi_latch, VFPGAState),
        VMSTATE_UINT32(faults, VFPGAState),
        VMSTATE_UINT32(fault_vector, VFPGAState),
        VMSTATE_UINT32_ARRAY(sgdma_common_regs, VFPGAState, 1),
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
        NULL
    },
};

static const Property vfpga_properties[] = {
    /* Size of BAR2, the board's DDR; a power of two. */
    DEFINE_PROP_SIZE("card-mem-size", VFPGAState, card_mem_size,
                     VFPGA_CARD_MEM_DEFAULT_SIZE),
    /* MSI-X table entries; 0 models a board without MSI-X. */
    DEFINE_PROP_UINT32("msix-vectors", VFPGAState, msix_vectors,
                       VFPGA_MSIX_VECTORS),
    /* Offer the MSI capability (the fallback when MSI-X is absent). */
    DEFINE_PROP_BOOL("msi", VFPGAState, msi, true),
    /* DMA channels per direction, 1 to 4. */
    DEFINE_PROP_UINT32("dma-channels", VFPGAState, dma_channels,
                       XDMA_MAX_CHANNELS),
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
    k->vendor_id = VFPGA_PCI_VENDOR_ID;
    k->device_id = VFPGA_PCI_DEVICE_ID;
    k->revision = VFPGA_PCI_REVISION;
    k->class_id = PCI_CLASS_OTHERS << 8;    /* 0xff00: unassigned class */
    dc->desc = "vfpga FPGA board (XDMA-compatible)";
    dc->vmsd = &vmstate_vfpga;
    device_class_set_props(dc, vfpga_properties);
    device_class_set_legacy_reset(dc, vfpga_reset);
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
    vfpga_fault_class_init(klass);
}

static const TypeInfo vfpga_types[] = {
    {
        .name = TYPE_VFPGA,
        .parent = TYPE_PCI_DEVICE,
        .instance_size = sizeof(VFPGAState),
        .class_init = vfpga_class_init,
        .interfaces = (InterfaceInfo[]) {
            { INTERFACE_PCIE_DEVICE },
            { }
        },
    },
};

DEFINE_TYPES(vfpga_types)
