/*
 * vfpga: seeded fault campaigns.
 *
 * A campaign arms the board's faults (vfpga-fault.c) at random points
 * instead of by hand.  At every device event (a descriptor fetched, a DMA
 * slice moved, a message about to be sent, an interrupt generator raise)
 * one draw of a PRNG seeded by CAMPAIGN_SEED decides whether to inject
 * (CAMPAIGN_RATE times in VFPGA_CAMPAIGN_RATE_MAX) and which fault of
 * CAMPAIGN_MASK.  The fault is armed there and fires at its next chance,
 * which is usually the event that drew it (a fetch gets the bad magic, a
 * message is dropped, duplicated or held back); FLR and link down (a
 * surprise removal, sticky until a reset) happen at once, from the
 * board's bottom half.
 *
 * Nothing but device events advances the PRNG, never the clock or a
 * register read, so the same seed and the same guest actions replay the
 * same campaign.  The seed and every injection go to the trace and to
 * the guest-error log (-d guest_errors, where the board's injected
 * faults are already reported), each injection with its event number.
 *
 * A campaign is the test bench's, not the PCI function's: a reset or FLR
 * does not stop it (it may have injected the FLR).  CAMPAIGN_RATE 0 stops
 * it and disarms what it armed and has not fired yet.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/host-utils.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "migration/vmstate.h"
#include "vfpga.h"
#include "trace.h"

static const char *const vfpga_campaign_point_names[] = {
    [VFPGA_CAMPAIGN_DESC_FETCH] = "descriptor fetch",
    [VFPGA_CAMPAIGN_DMA_MOVE] = "DMA move",
    [VFPGA_CAMPAIGN_MSG] = "message",
    [VFPGA_CAMPAIGN_IRQ_RAISE] = "generator raise",
};

/* splitmix64: one step per draw, every seed a full-period stream. */
static uint64_t vfpga_campaign_next(VFPGAState *s)
{
    uint64_t z = (s->campaign_prng += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* The @n-th set bit of @mask, counting from 0. */
static uint32_t vfpga_campaign_nth_bit(uint32_t mask, unsigned n)
{
    while (n--) {
        mask &= mask - 1;
    }
    return mask & -mask;
}

static void vfpga_campaign_restart(VFPGAState *s)
{
    s->campaign_prng = s->campaign_seed;
    s->campaign_events = 0;
    s->campaign_injected = 0;
    s->campaign_last = 0;
    if (s->campaign_rate) {
        trace_vfpga_campaign_start(s->campaign_seed, s->campaign_rate,
                                   s->campaign_mask);
        qemu_log_mask(LOG_GUEST_ERROR, "vfpga: fault campaign seed 0x%08"
                      PRIx32 " rate %" PRIu32 "/%u mask 0x%" PRIx32 "\n",
                      s->campaign_seed, s->campaign_rate,
                      VFPGA_CAMPAIGN_RATE_MAX, s->campaign_mask);
    }
}

void vfpga_campaign_event(VFPGAState *s, VFPGACampaignPoint point)
{
    uint64_t r;
    uint32_t fault;

    if (!s->campaign_rate) {
        return;
    }
    s->campaign_events++;
    r = vfpga_campaign_next(s);
    /* The top 10 bits decide whether, the low 32 which. */
    if ((r >> 54) >= s->campaign_rate) {
        return;
    }
    fault = vfpga_campaign_nth_bit(s->campaign_mask,
                                   (uint32_t)r % ctpop32(s->campaign_mask));
    s->campaign_injected++;
    s->campaign_last = fault;
    trace_vfpga_campaign_inject(s->campaign_seed, s->campaign_events,
                                vfpga_campaign_point_names[point], fault);
    qemu_log_mask(LOG_GUEST_ERROR, "vfpga: fault campaign seed 0x%08" PRIx32
                  " event %" PRIu32 " (%s): inject %s\n", s->campaign_seed,
                  s->campaign_events, vfpga_campaign_point_names[point],
                  vfpga_fault_name(fault));
    if (!(s->faults & fault)) {
        s->campaign_armed |= fault;
    }
    vfpga_fault_inject(s, fault);
}

bool vfpga_campaign_set_seed(VFPGAState *s, uint32_t seed, Error **errp)
{
    s->campaign_seed = seed;
    vfpga_campaign_restart(s);
    return true;
}

bool vfpga_campaign_set_rate(VFPGAState *s, uint32_t rate, Error **errp)
{
    if (rate > VFPGA_CAMPAIGN_RATE_MAX) {
        error_setg(errp, "vfpga: campaign rate %" PRIu32 " is more than "
                   "%u (faults per %u events)", rate, VFPGA_CAMPAIGN_RATE_MAX,
                   VFPGA_CAMPAIGN_RATE_MAX);
        return false;
    }
    if (rate == s->campaign_rate) {
        return true;
    }
    if (!rate) {
        /* What it armed and did not fire goes with it. */
        trace_vfpga_campaign_stop(s->campaign_seed, s->campaign_events,
                                  s->campaign_injected);
        qemu_log_mask(LOG_GUEST_ERROR, "vfpga: fault campaign seed 0x%08"
                      PRIx32 " stopped after %" PRIu32 " events, %" PRIu32
                      " faults\n", s->campaign_seed, s->campaign_events,
                      s->campaign_injected);
        s->faults &= ~(s->campaign_armed & ~VFPGA_FAULT_SURPRISE_REMOVAL);
        s->fault_deferred &= ~s->campaign_armed;
        s->campaign_armed = 0;
        s->campaign_rate = 0;
        return true;
    }
    if (!s->campaign_rate) {
        s->campaign_rate = rate;
        vfpga_campaign_restart(s);
    } else {
        s->campaign_rate = rate;
    }
    return true;
}

bool vfpga_campaign_set_mask(VFPGAState *s, uint32_t mask, Error **errp)
{
    if (!mask || (mask & ~VFPGA_FAULT_ALL)) {
        error_setg(errp, "vfpga: campaign mask 0x%" PRIx32 " must be a "
                   "non-empty set of the faults 0x%x", mask,
                   VFPGA_FAULT_ALL);
        return false;
    }
    s->campaign_mask = mask;
    return true;
}

/* The stream is not trusted: a rate or mask no guest could set is refused. */
int vfpga_campaign_post_load(VFPGAState *s)
{
    if (s->campaign_rate > VFPGA_CAMPAIGN_RATE_MAX ||
        !s->campaign_mask || (s->campaign_mask & ~VFPGA_FAULT_ALL) ||
        (s->late_msi_pending && s->late_msi_vector >= VFPGA_MSIX_VECTORS) ||
        (s->fault_deferred & ~(VFPGA_FAULT_SPURIOUS_MSI |
                               VFPGA_FAULT_SURPRISE_REMOVAL |
                               VFPGA_FAULT_FLR))) {
        return -EINVAL;
    }
    return 0;
}

static bool vfpga_campaign_needed(void *opaque)
{
    VFPGAState *s = opaque;

    return s->campaign_rate || s->campaign_events || s->late_msi_pending ||
           s->fault_deferred || s->campaign_mask != VFPGA_CAMPAIGN_FAULTS;
}

const VMStateDescription vmstate_vfpga_campaign = {
    .name = "vfpga/campaign",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = vfpga_campaign_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(campaign_seed, VFPGAState),
        VMSTATE_UINT32(campaign_rate, VFPGAState),
        VMSTATE_UINT32(campaign_mask, VFPGAState),
        VMSTATE_UINT64(campaign_prng, VFPGAState),
        VMSTATE_UINT32(campaign_events, VFPGAState),
        VMSTATE_UINT32(campaign_injected, VFPGAState),
        VMSTATE_UINT32(campaign_last, VFPGAState),
        VMSTATE_UINT32(campaign_armed, VFPGAState),
        VMSTATE_BOOL(late_msi_pending, VFPGAState),
        VMSTATE_UINT32(late_msi_vector, VFPGAState),
        VMSTATE_TIMER_PTR(late_msi_timer, VFPGAState),
        VMSTATE_UINT32(fault_deferred, VFPGAState),
        VMSTATE_END_OF_LIST()
    },
};

/*
 * QOM view: campaign-seed, campaign-rate and campaign-mask, set on the
 * command line (-device vfpga,campaign-rate=8,...) or by qom-set at run
 * time, and checked as the registers are.
 */
enum { VFPGA_PROP_SEED, VFPGA_PROP_RATE, VFPGA_PROP_MASK };

static void vfpga_campaign_prop_get(Object *obj, Visitor *v, const char *name,
                                    void *opaque, Error **errp)
{
    VFPGAState *s = VFPGA(obj);
    uint32_t val;

    switch (GPOINTER_TO_INT(opaque)) {
    case VFPGA_PROP_SEED:
        val = s->campaign_seed;
        break;
    case VFPGA_PROP_RATE:
        val = s->campaign_rate;
        break;
    default:
        val = s->campaign_mask;
        break;
    }
    visit_type_uint32(v, name, &val, errp);
}

static void vfpga_campaign_prop_set(Object *obj, Visitor *v, const char *name,
                                    void *opaque, Error **errp)
{
    VFPGAState *s = VFPGA(obj);
    uint32_t val;

    if (!visit_type_uint32(v, name, &val, errp)) {
        return;
    }
    switch (GPOINTER_TO_INT(opaque)) {
    case VFPGA_PROP_SEED:
        vfpga_campaign_set_seed(s, val, errp);
        break;
    case VFPGA_PROP_RATE:
        vfpga_campaign_set_rate(s, val, errp);
        break;
    default:
        vfpga_campaign_set_mask(s, val, errp);
        break;
    }
}

void vfpga_campaign_instance_init(VFPGAState *s)
{
    s->campaign_mask = VFPGA_CAMPAIGN_FAULTS;
}

void vfpga_campaign_class_init(ObjectClass *klass)
{
    static const struct {
        const char *name;
        const char *desc;
    } props[] = {
        [VFPGA_PROP_SEED] = { "campaign-seed",
            "fault campaign PRNG seed; setting it restarts the campaign" },
        [VFPGA_PROP_RATE] = { "campaign-rate",
            "faults injected per 1024 device events, 0 (off) to 1024" },
        [VFPGA_PROP_MASK] = { "campaign-mask",
            "VFPGA_FAULT_* bits the campaign draws from (default: all "
            "but dma-stray)" },
    };
    int i;

    for (i = 0; i < ARRAY_SIZE(props); i++) {
        object_class_property_add(klass, props[i].name, "uint32",
                                  vfpga_campaign_prop_get,
                                  vfpga_campaign_prop_set, NULL,
                                  GINT_TO_POINTER(i));
        object_class_property_set_description(klass, props[i].name,
                                              props[i].desc);
    }
}
