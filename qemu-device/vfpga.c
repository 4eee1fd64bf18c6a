/*
 * vfpga: an FPGA board behind an AMD/Xilinx XDMA-compatible PCIe front end.
 *
 * The PCI function: BARs, capabilities, properties, reset and migration.
 * The register blocks behind the BARs live in their own files:
 *   vfpga-user.c      BAR0  user logic (ID, scratch, interrupt generator)
 *   vfpga-xdma.c      BAR1  XDMA register space and MSI-X
 *   vfpga-xdma-irq.c        XDMA IRQ block and interrupt delivery
 * BAR2 is the card memory, plain RAM.
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
#include "vfpga.h"
#include "trace.h"

#define VFPGA_PCIE_CAP_OFFSET   0x80
#define VFPGA_CARD_MEM_MIN      (4 * KiB)
#define VFPGA_CARD_MEM_MAX      (1 * GiB)

static void vfpga_realize(PCIDevice *pdev, Error **errp)
{
    VFPGAState *s = VFPGA(pdev);
    unsigned v;

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

    pci_config_set_interrupt_pin(pdev->config, 1);

    vfpga_user_init(s);
    vfpga_xdma_init(s);
    if (!memory_region_init_ram(&s->card_mem, OBJECT(s), "vfpga-card-mem",
                                s->card_mem_size, errp)) {
        return;
    }

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
        return;
    }
    pcie_cap_flr_init(pdev);

    if (s->msi && msi_init(pdev, 0, VFPGA_MSIX_VECTORS, true, false, errp)) {
        return;
    }
    if (s->msix_vectors) {
        if (msix_init(pdev, s->msix_vectors,
                      &s->dma_bar, VFPGA_BAR_DMA, XDMA_MSIX_TABLE_OFFSET,
                      &s->dma_bar, VFPGA_BAR_DMA, XDMA_MSIX_PBA_OFFSET,
                      0, errp)) {
            return;
        }
        for (v = 0; v < s->msix_vectors; v++) {
            msix_vector_use(pdev, v);
        }
    }
}

static void vfpga_exit(PCIDevice *pdev)
{
    VFPGAState *s = VFPGA(pdev);

    msix_uninit(pdev, &s->dma_bar, &s->dma_bar);
    msi_uninit(pdev);
    pcie_cap_exit(pdev);
}

static void vfpga_reset(DeviceState *dev)
{
    VFPGAState *s = VFPGA(dev);

    trace_vfpga_reset();
    vfpga_user_reset(s);
    vfpga_xdma_reset(s);
}

static int vfpga_post_load(void *opaque, int version_id)
{
    vfpga_xdma_irq_post_load(opaque);
    return 0;
}

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
        VMSTATE_END_OF_LIST()
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
};

static void vfpga_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->realize = vfpga_realize;
    k->exit = vfpga_exit;
    k->vendor_id = VFPGA_PCI_VENDOR_ID;
    k->device_id = VFPGA_PCI_DEVICE_ID;
    k->revision = VFPGA_PCI_REVISION;
    k->class_id = PCI_CLASS_OTHERS;
    dc->desc = "vfpga FPGA board (XDMA-compatible)";
    dc->vmsd = &vmstate_vfpga;
    device_class_set_props(dc, vfpga_properties);
    device_class_set_legacy_reset(dc, vfpga_reset);
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
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
