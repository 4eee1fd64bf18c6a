/*
 * vfpga: fault injection.
 *
 * Faults are armed through the FAULT register of the user logic, the
 * device's QOM properties (qom-set works at run time) or a fault campaign
 * (vfpga-campaign.c); one-shot faults disarm themselves when they fire.
 * The stuck-busy fault wedges a channel's engine until reset
 * (vfpga-xdma-engine.c).  Surprise removal (link down) is sticky until
 * the next reset: every BAR is covered by a region that reads all-ones
 * and drops writes, config space does the same (vfpga.c), and DMA stops.
 * FLR resets the function as a Function Level Reset does, config space
 * included, from the board's bottom half.  A late message is held back by
 * a timer and sent from the bottom half too, under the device's
 * re-entrancy guard.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "qom/object.h"
#include "qemu/host-utils.h"
#include "qemu/main-loop.h"
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
    for (i = 0; i < s->num_h2c; i++) {
        vfpga_engine_cancel(&s->h2c[i]);
    }
    for (i = 0; i < s->num_c2h; i++) {
        vfpga_engine_cancel(&s->c2h[i]);
    }
    if (vfpga_ul_is_reference(s)) {
        vfpga_user_stop_irqgen(s);
    }
    pci_set_irq(PCI_DEVICE(s), 0);
}

/* What cannot happen inside the event or access that caused it. */
static void vfpga_fault_defer(VFPGAState *s, uint32_t faults)
{
    s->fault_deferred |= faults;
    qemu_bh_schedule(s->fault_bh);
}

void vfpga_fault_arm(VFPGAState *s, uint32_t faults)
{
    faults &= VFPGA_FAULT_ALL;
    trace_vfpga_fault_armed(faults);

    if (faults & VFPGA_FAULT_FLR) {
        vfpga_fault_defer(s, VFPGA_FAULT_FLR);
        faults &= ~VFPGA_FAULT_FLR;
    }

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

/*
 * Inject @fault (one bit) from inside a device event: what fires at
 * once (a spurious message, link down, FLR) waits for the bottom half,
 * the rest is armed for its next chance.
 */
void vfpga_fault_inject(VFPGAState *s, uint32_t fault)
{
    if (fault & (VFPGA_FAULT_SPURIOUS_MSI | VFPGA_FAULT_SURPRISE_REMOVAL |
                 VFPGA_FAULT_FLR)) {
        trace_vfpga_fault_armed(fault);
        vfpga_fault_defer(s, fault);
    } else {
        vfpga_fault_arm(s, fault);
    }
}

bool vfpga_fault_take(VFPGAState *s, uint32_t fault)
{
    if (!(s->faults & fault)) {
        return false;
    }
    s->faults &= ~fault;
    s->campaign_armed &= ~fault;
    trace_vfpga_fault_fired(fault);
    return true;
}

/* LATE_MSI: hold the message on @vector back; false if it goes now. */
bool vfpga_fault_hold_msi(VFPGAState *s, unsigned vector)
{
    /* One message held at a time: the fault waits for the next. */
    if (s->late_msi_pending || !vfpga_fault_take(s, VFPGA_FAULT_LATE_MSI)) {
        return false;
    }
    s->late_msi_pending = true;
    s->late_msi_vector = vector;
    trace_vfpga_fault_msi_late(vector, VFPGA_FAULT_LATE_MSI_NS);
    timer_mod(s->late_msi_timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                                 VFPGA_FAULT_LATE_MSI_NS);
    return true;
}

static void vfpga_fault_late_msi_cb(void *opaque)
{
    VFPGAState *s = opaque;

    qemu_bh_schedule(s->fault_bh);
}

static void vfpga_fault_bh(void *opaque)
{
    VFPGAState *s = opaque;
    uint32_t todo = s->fault_deferred;

    s->fault_deferred = 0;
    if (s->late_msi_pending && !timer_pending(s->late_msi_timer)) {
        s->late_msi_pending = false;
        trace_vfpga_fault_fired(VFPGA_FAULT_LATE_MSI);
        vfpga_irq_notify(s, s->late_msi_vector);
    }
    if (todo & VFPGA_FAULT_SPURIOUS_MSI) {
        trace_vfpga_fault_fired(VFPGA_FAULT_SPURIOUS_MSI);
        vfpga_irq_send_vector(s, s->fault_vector);
    }
    if ((todo & VFPGA_FAULT_SURPRISE_REMOVAL) &&
        !(s->faults & VFPGA_FAULT_SURPRISE_REMOVAL)) {
        trace_vfpga_fault_fired(VFPGA_FAULT_SURPRISE_REMOVAL);
        s->faults |= VFPGA_FAULT_SURPRISE_REMOVAL;
        vfpga_fault_remove(s);
    }
    if ((todo & VFPGA_FAULT_FLR) &&
        !(s->faults & VFPGA_FAULT_SURPRISE_REMOVAL)) {
        /* What the Initiate FLR bit of Device Control does. */
        trace_vfpga_fault_fired(VFPGA_FAULT_FLR);
        pci_device_reset(PCI_DEVICE(s));
    }
}

void vfpga_fault_reset(VFPGAState *s)
{
    s->faults = 0;
    s->fault_vector = 0;
    s->fault_deferred = 0;
    s->campaign_armed = 0;
    s->late_msi_pending = false;
    timer_del(s->late_msi_timer);
    vfpga_fault_show_removal(s, false);
}

static const char *const vfpga_fault_names[] = {
    "desc-magic", "dma-read", "dma-write", "drop-msi", "spurious-msi",
    "link-down", "stuck-busy", "dma-stray", "dup-msi", "late-msi", "flr",
};

const char *vfpga_fault_name(uint32_t fault)
{
    unsigned bit = ctz32(fault);

    return bit < ARRAY_SIZE(vfpga_fault_names) ? vfpga_fault_names[bit] :
           "unknown";
}

void vfpga_fault_post_load(VFPGAState *s)
{
    vfpga_fault_show_removal(s,
                             s->faults & VFPGA_FAULT_SURPRISE_REMOVAL);
    /* What was due but had not run yet when the state was saved. */
    if (s->fault_deferred ||
        (s->late_msi_pending && !timer_pending(s->late_msi_timer))) {
        qemu_bh_schedule(s->fault_bh);
    }
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
    { "fault-dma-stray", VFPGA_FAULT_DMA_STRAY,
      "point the next descriptor's host address at a bus address no "
      "driver maps (an IOMMU must refuse it)" },
    { "fault-stuck-busy", VFPGA_FAULT_STUCK_BUSY,
      "the next engine turn wedges its channel: BUSY until reset, RUN "
      "ignored" },
    { "fault-dup-msi", VFPGA_FAULT_DUP_MSI,
      "send the next MSI/MSI-X message twice" },
    { "fault-late-msi", VFPGA_FAULT_LATE_MSI,
      "hold the next MSI/MSI-X message back 2 ms of device time" },
    { "fault-flr", VFPGA_FAULT_FLR,
      "the board takes a function-level reset now, unasked" },
};

/* Every fault property: @opaque is its row of vfpga_fault_props. */
static void vfpga_fault_prop_get(Object *obj, Visitor *v, const char *name,
                                 void *opaque, Error **errp)
{
    const VFPGAFaultProp *p = opaque;
    bool on = VFPGA(obj)->faults & p->fault;

    visit_type_bool(v, name, &on, errp);
}

static void vfpga_fault_prop_set(Object *obj, Visitor *v, const char *name,
                                 void *opaque, Error **errp)
{
    VFPGAState *s = VFPGA(obj);
    const VFPGAFaultProp *p = opaque;
    bool on;

    if (!visit_type_bool(v, name, &on, errp)) {
        return;
    }
    if (p->fault == VFPGA_FAULT_FLR && on && !DEVICE(obj)->realized) {
        error_setg(errp, "vfpga: fault-flr can only be set on a running "
                   "board (qom-set)");
        return;
    }
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

void vfpga_fault_class_init(ObjectClass *klass)
{
    int i;

    for (i = 0; i < ARRAY_SIZE(vfpga_fault_props); i++) {
        object_class_property_add(klass, vfpga_fault_props[i].name, "bool",
                                  vfpga_fault_prop_get, vfpga_fault_prop_set,
                                  NULL, (void *)&vfpga_fault_props[i]);
        object_class_property_set_description(klass,
                                              vfpga_fault_props[i].name,
                                              vfpga_fault_props[i].desc);
    }
}

void vfpga_fault_exit(VFPGAState *s)
{
    int i;

    if (s->fault_bh) {
        qemu_bh_delete(s->fault_bh);
        s->fault_bh = NULL;
    }
    timer_free(s->late_msi_timer);
    s->late_msi_timer = NULL;

    for (i = 0; i < ARRAY_SIZE(s->removed_mr); i++) {
        vfpga_del_subregion(&s->removed_mr[i]);
    }
}

void vfpga_fault_init(VFPGAState *s)
{
    MemoryRegion *bars[] = { &s->user_window, &s->dma_bar, &s->card_mem };
    static const char *const names[] = {
        "vfpga-user-removed", "vfpga-dma-removed", "vfpga-mem-removed",
    };
    int i;

    QEMU_BUILD_BUG_ON(ARRAY_SIZE(bars) != ARRAY_SIZE(s->removed_mr));
    s->late_msi_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL,
                                     vfpga_fault_late_msi_cb, s);
    s->fault_bh = qemu_bh_new_guarded(vfpga_fault_bh, s,
                                      &DEVICE(s)->mem_reentrancy_guard);
    for (i = 0; i < ARRAY_SIZE(bars); i++) {
        memory_region_init_io(&s->removed_mr[i], OBJECT(s),
                              &vfpga_removed_ops, s, names[i],
                              memory_region_size(bars[i]));
        memory_region_set_enabled(&s->removed_mr[i], false);
        memory_region_add_subregion_overlap(bars[i], 0, &s->removed_mr[i],
                                            100);
    }
}
