/*
 * vfpga: fault injection.
 *
 * Faults are armed through the FAULT register of the user logic or the
 * device's QOM properties (qom-set works at run time); one-shot faults
 * disarm themselves when they fire.  Surprise removal is sticky until the
 * next reset: every BAR is covered by a region that reads all-ones and
 * drops writes, config space does the same (vfpga.c), and DMA stops.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qapi/error.h"
#include "qom/object.h"
#include "hw/pci/pci.h"
#include "vfpga.h"
#include "trace.h"

static uint64_t vfpga_removed_read(void *opaque, hwaddr addr, unsigned size)
{
    return MAKE_64BIT_MASK(0, size * 8);
}

static void vfpga_removed_write(void *opaque, hwaddr addr, uint64_t value,
                                unsigned size)
{
}

static const MemoryRegionOps vfpga_removed_ops = {
    .read = vfpga_removed_read,
    .write = vfpga_removed_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 1,
        .max_access_size = 8,
    },
};

static void vfpga_fault_show_removal(VFPGAState *s, bool removed)
{
    int i;

    for (i = 0; i < ARRAY_SIZE(s->removed_mr); i++) {
        memory_region_set_enabled(&s->removed_mr[i], removed);
    }
}

/* A removed board sends nothing: no DMA, no INTx, no messages. */
static void vfpga_fault_remove(VFPGAState *s)
{
    int i;

    vfpga_fault_show_removal(s, true);
    for (i = 0; i < s->dma_channels; i++) {
        vfpga_engine_cancel(&s->h2c[i]);
        vfpga_engine_cancel(&s->c2h[i]);
    }
    vfpga_user_stop_irqgen(s);
    pci_set_irq(PCI_DEVICE(s), 0);
}

void vfpga_fault_arm(VFPGAState *s, uint32_t faults)
{
    faults &= VFPGA_FAULT_ALL;
    trace_vfpga_fault_armed(faults);

    if (faults & VFPGA_FAULT_SPURIOUS_MSI) {
        /* Fires at once: a message nobody asked for. */
        trace_vfpga_fault_fired(VFPGA_FAULT_SPURIOUS_MSI);
        vfpga_irq_send_vector(s, s->fault_vector);
        faults &= ~VFPGA_FAULT_SPURIOUS_MSI;
    }
    if ((faults & VFPGA_FAULT_SURPRISE_REMOVAL) &&
        !(s->faults & VFPGA_FAULT_SURPRISE_REMOVAL)) {
        s->faults |= VFPGA_FAULT_SURPRISE_REMOVAL;
        vfpga_fault_remove(s);
    }
    s->faults |= faults;
}

bool vfpga_fault_take(VFPGAState *s, uint32_t fault)
{
    if (!(s->faults & fault)) {
        return false;
    }
    s->faults &= ~fault;
    trace_vfpga_fault_fired(fault);
    return true;
}

void vfpga_fault_reset(VFPGAState *s)
{
    s->faults = 0;
    s->fault_vector = 0;
    vfpga_fault_show_removal(s, false);
}

void vfpga_fault_post_load(VFPGAState *s)
{
    vfpga_fault_show_removal(s,
                             s->faults & VFPGA_FAULT_SURPRISE_REMOVAL);
}

/* QOM view: one boolean property per fault, true while armed. */
typedef struct VFPGAFaultProp {
    const char *name;
    uint32_t fault;
    const char *desc;
} VFPGAFaultProp;

static const VFPGAFaultProp vfpga_fault_props[] = {
    { "fault-desc-magic", VFPGA_FAULT_DESC_MAGIC,
      "corrupt the magic of the next descriptor fetched" },
    { "fault-dma-read", VFPGA_FAULT_DMA_READ,
      "fail the next DMA data read" },
    { "fault-dma-write", VFPGA_FAULT_DMA_WRITE,
      "fail the next DMA data write" },
    { "fault-drop-msi", VFPGA_FAULT_DROP_MSI,
      "lose the next MSI/MSI-X message" },
    { "fault-spurious-msi", VFPGA_FAULT_SPURIOUS_MSI,
      "send one message on the FAULT_VECTOR vector now" },
    { "surprise-removal", VFPGA_FAULT_SURPRISE_REMOVAL,
      "the board disappears: all-ones reads, dropped writes, DMA stops" },
};

static bool vfpga_fault_get(Object *obj, const VFPGAFaultProp *p)
{
    return VFPGA(obj)->faults & p->fault;
}

static void vfpga_fault_set(Object *obj, const VFPGAFaultProp *p, bool on,
                            Error **errp)
{
    VFPGAState *s = VFPGA(obj);

    if (p->fault == VFPGA_FAULT_SURPRISE_REMOVAL) {
        /* A board is removed from a running machine, and stays removed. */
        if (!DEVICE(obj)->realized && on) {
            error_setg(errp, "vfpga: surprise-removal can only be set on a "
                       "running board (qom-set)");
            return;
        }
        if (!on && (s->faults & VFPGA_FAULT_SURPRISE_REMOVAL)) {
            error_setg(errp, "vfpga: surprise-removal cannot be cleared: "
                       "a removed board comes back only with a reset");
            return;
        }
    }
    if (on) {
        vfpga_fault_arm(s, p->fault);
    } else {
        s->faults &= ~p->fault;
    }
}

#define VFPGA_FAULT_ACCESSORS(n)                                            \
    static bool vfpga_fault_get_##n(Object *obj, Error **errp)              \
    {                                                                       \
        return vfpga_fault_get(obj, &vfpga_fault_props[n]);                 \
    }                                                                       \
    static void vfpga_fault_set_##n(Object *obj, bool on, Error **errp)     \
    {                                                                       \
        vfpga_fault_set(obj, &vfpga_fault_props[n], on, errp);              \
    }

VFPGA_FAULT_ACCESSORS(0)
VFPGA_FAULT_ACCESSORS(1)
VFPGA_FAULT_ACCESSORS(2)
VFPGA_FAULT_ACCESSORS(3)
VFPGA_FAULT_ACCESSORS(4)
VFPGA_FAULT_ACCESSORS(5)

void vfpga_fault_class_init(ObjectClass *klass)
{
    static bool (*const getters[])(Object *, Error **) = {
        vfpga_fault_get_0, vfpga_fault_get_1, vfpga_fault_get_2,
        vfpga_fault_get_3, vfpga_fault_get_4, vfpga_fault_get_5,
    };
    static void (*const setters[])(Object *, bool, Error **) = {
        vfpga_fault_set_0, vfpga_fault_set_1, vfpga_fault_set_2,
        vfpga_fault_set_3, vfpga_fault_set_4, vfpga_fault_set_5,
    };
    int i;

    QEMU_BUILD_BUG_ON(ARRAY_SIZE(getters) != ARRAY_SIZE(vfpga_fault_props));
    for (i = 0; i < ARRAY_SIZE(vfpga_fault_props); i++) {
        object_class_property_add_bool(klass, vfpga_fault_props[i].name,
                                       getters[i], setters[i]);
        object_class_property_set_description(klass,
                                              vfpga_fault_props[i].name,
                                              vfpga_fault_props[i].desc);
    }
}

void vfpga_fault_exit(VFPGAState *s)
{
    int i;

    for (i = 0; i < ARRAY_SIZE(s->removed_mr); i++) {
        vfpga_del_subregion(&s->removed_mr[i]);
    }
}

void vfpga_fault_init(VFPGAState *s)
{
    MemoryRegion *bars[] = { &s->user_bar, &s->dma_bar, &s->card_mem };
    static const char *const names[] = {
        "vfpga-user-removed", "vfpga-dma-removed", "vfpga-mem-removed",
    };
    int i;

    QEMU_BUILD_BUG_ON(ARRAY_SIZE(bars) != ARRAY_SIZE(s->removed_mr));
    for (i = 0; i < ARRAY_SIZE(bars); i++) {
        memory_region_init_io(&s->removed_mr[i], OBJECT(s),
                              &vfpga_removed_ops, s, names[i],
                              memory_region_size(bars[i]));
        memory_region_set_enabled(&s->removed_mr[i], false);
        memory_region_add_subregion_overlap(bars[i], 0, &s->removed_mr[i],
                                            100);
    }
}
