/*
 * vfpga: the user logic behind the XDMA front end, and its interface.
 *
 * The board's user BAR is the XDMA IP's AXI-Lite master: every guest
 * access to it becomes an axil_read()/axil_write() of the user logic
 * (include/vfpga/vfpga_user_logic.h).  The logic is the reference design
 * built into QEMU (vfpga-user.c) unless the "user-logic" property names a
 * shared object, which is loaded with dlopen() at realize and closed at
 * unrealize.  This file is the host side of that interface: the loader
 * and its checks, the calls the logic makes (interrupt lines, device
 * time, timers, card memory, a log), error responses shown as the XDMA
 * IP shows them, reset, and the migration of a plug-in's state through
 * its save/load hooks (or a migration blocker when it has none).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <dlfcn.h>
#include "qemu/cutils.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "hw/pci/pci.h"
#include "hw/pci/pcie.h"
#include "migration/blocker.h"
#include "migration/vmstate.h"
#include "vfpga.h"
#include "trace.h"

/* A plug-in's migration state may be at most this large. */
#define VFPGA_UL_STATE_MAX  (16 * MiB)
/* mm_read()/mm_write() bursts are at most this large (the engine's slice). */
#define VFPGA_UL_MM_BURST   (1 * MiB)

struct vfpga_ul_timer {
    VFPGAState *s;
    void (*fn)(void *opaque);
    void *opaque;
    QEMUTimer *timer;
    QEMUBH *bh;                     /* runs fn under the re-entrancy guard */
    QLIST_ENTRY(vfpga_ul_timer) next;
};

uint64_t vfpga_now_ns(VFPGAState *s)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) - s->clock_origin_ns;
}

/* The host handle a logic gets is the board itself. */
static VFPGAState *vfpga_ul_board(struct vfpga_ul_host *host)
{
    return (VFPGAState *)host;
}

static void vfpga_ul_host_irq_req(struct vfpga_ul_host *host,
                                  unsigned int line, bool level)
{
    VFPGAState *s = vfpga_ul_board(host);

    if (line >= s->user_irq_lines) {
        qemu_log_mask(LOG_GUEST_ERROR, "vfpga: user logic %s raised "
                      "usr_irq_req[%u], past the board's %u lines; ignored\n",
                      s->ul->name, line, s->user_irq_lines);
        return;
    }
    trace_vfpga_ul_irq_req(line, level);
    vfpga_xdma_irq_set_user_line(s, line, level);
}

static uint64_t vfpga_ul_host_time_ns(struct vfpga_ul_host *host)
{
    return vfpga_now_ns(vfpga_ul_board(host));
}

static void vfpga_ul_timer_bh(void *opaque)
{
    struct vfpga_ul_timer *t = opaque;

    t->fn(t->opaque);
}

/* A message sent from here must run under the guard: the BH does it. */
static void vfpga_ul_timer_expired(void *opaque)
{
    struct vfpga_ul_timer *t = opaque;

    qemu_bh_schedule(t->bh);
}

static struct vfpga_ul_timer *
vfpga_ul_host_timer_new(struct vfpga_ul_host *host, void (*fn)(void *opaque),
                        void *opaque)
{
    VFPGAState *s = vfpga_ul_board(host);
    struct vfpga_ul_timer *t = g_new0(struct vfpga_ul_timer, 1);

    t->s = s;
    t->fn = fn;
    t->opaque = opaque;
    t->timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, vfpga_ul_timer_expired, t);
    t->bh = qemu_bh_new_guarded(vfpga_ul_timer_bh, t,
                                &DEVICE(s)->mem_reentrancy_guard);
    QLIST_INSERT_HEAD(&s->ul_timers, t, next);
    return t;
}

static void vfpga_ul_host_timer_arm(struct vfpga_ul_timer *t,
                                    uint64_t when_ns)
{
    qemu_bh_cancel(t->bh);
    timer_mod(t->timer, MIN(when_ns, INT64_MAX - t->s->clock_origin_ns) +
                        t->s->clock_origin_ns);
}

static void vfpga_ul_host_timer_cancel(struct vfpga_ul_timer *t)
{
    timer_del(t->timer);
    qemu_bh_cancel(t->bh);
}

static void vfpga_ul_host_timer_free(struct vfpga_ul_timer *t)
{
    if (!t) {
        return;
    }
    QLIST_REMOVE(t, next);
    timer_free(t->timer);
    qemu_bh_delete(t->bh);
    g_free(t);
}

static enum vfpga_axi_resp vfpga_ul_host_card_read(struct vfpga_ul_host *host,
                                                   uint64_t addr, void *buf,
                                                   size_t len)
{
    VFPGAState *s = vfpga_ul_board(host);

    if (addr >= s->card_mem_size || len > s->card_mem_size - addr) {
        return VFPGA_AXI_DECERR;
    }
    memcpy(buf, s->card_ptr + addr, len);
    return VFPGA_AXI_OKAY;
}

static enum vfpga_axi_resp vfpga_ul_host_card_write(struct vfpga_ul_host *host,
                                                    uint64_t addr,
                                                    const void *buf,
                                                    size_t len)
{
    VFPGAState *s = vfpga_ul_board(host);

    if (addr >= s->card_mem_size || len > s->card_mem_size - addr) {
        return VFPGA_AXI_DECERR;
    }
    memcpy(s->card_ptr + addr, buf, len);
    /* Past the memory API: tell migration the RAM changed. */
    memory_region_set_dirty(&s->card_mem, addr, len);
    return VFPGA_AXI_OKAY;
}

static void vfpga_ul_host_log(struct vfpga_ul_host *host, const char *msg)
{
    qemu_log_mask(LOG_GUEST_ERROR, "vfpga: %s: %s\n",
                  vfpga_ul_board(host)->ul->name, msg);
}

static void vfpga_ul_host_stream_ready(struct vfpga_ul_host *host, bool c2h,
                                       unsigned int chan)
{
    VFPGAState *s = vfpga_ul_board(host);

    if (chan >= (c2h ? s->num_c2h : s->num_h2c)) {
        return;
    }
    trace_vfpga_ul_stream_ready(c2h, chan);
    vfpga_engine_stream_ready(c2h ? &s->c2h[chan] : &s->h2c[chan]);
}

const struct vfpga_ul_host_ops vfpga_ul_host_ops = {
    .abi_version = VFPGA_UL_ABI_VERSION,
    .usr_irq_req = vfpga_ul_host_irq_req,
    .time_ns = vfpga_ul_host_time_ns,
    .timer_new = vfpga_ul_host_timer_new,
    .timer_arm = vfpga_ul_host_timer_arm,
    .timer_cancel = vfpga_ul_host_timer_cancel,
    .timer_free = vfpga_ul_host_timer_free,
    .card_read = vfpga_ul_host_card_read,
    .card_write = vfpga_ul_host_card_write,
    .log = vfpga_ul_host_log,
    .stream_ready = vfpga_ul_host_stream_ready,
};

/* ---- the user BAR: the XDMA IP's AXI-Lite master ------------------------ */

/*
 * An error response completes the request as the IP does (PG195's
 * AXI-Lite master, after its bridge rules): SLVERR with Completer Abort,
 * DECERR with Unsupported Request.  The function logs what it signalled
 * in config space; the CPU of a failed read gets all-ones.
 */
static void vfpga_ul_axil_error(VFPGAState *s, hwaddr addr, bool is_write,
                                enum vfpga_axi_resp resp)
{
    PCIDevice *pdev = PCI_DEVICE(s);
    uint16_t devsta = PCI_EXP_DEVSTA_NFED;

    if (resp != VFPGA_AXI_SLVERR && resp != VFPGA_AXI_DECERR) {
        qemu_log_mask(LOG_GUEST_ERROR, "vfpga: user logic %s answered an "
                      "AXI-Lite %s at 0x%" HWADDR_PRIx " with response %d, "
                      "which is not one; taken as SLVERR\n", s->ul->name,
                      is_write ? "write" : "read", addr, resp);
        resp = VFPGA_AXI_SLVERR;
    }
    qemu_log_mask(LOG_GUEST_ERROR, "vfpga: user logic %s answered the %s "
                  "at 0x%" HWADDR_PRIx " with %s: %s\n", s->ul->name,
                  is_write ? "write" : "read", addr,
                  resp == VFPGA_AXI_SLVERR ? "SLVERR" : "DECERR",
                  resp == VFPGA_AXI_SLVERR ? "completer abort" :
                                             "unsupported request");
    trace_vfpga_err_ul_axil(addr, is_write, resp);
    if (resp == VFPGA_AXI_SLVERR) {
        pci_word_test_and_set_mask(pdev->config + PCI_STATUS,
                                   PCI_STATUS_SIG_TARGET_ABORT);
    } else {
        devsta |= PCI_EXP_DEVSTA_URD;
    }
    if (pdev->exp.exp_cap) {
        pci_word_test_and_set_mask(pdev->config + pdev->exp.exp_cap +
                                   PCI_EXP_DEVSTA, devsta);
    }
}

static uint64_t vfpga_ul_bar_read(void *opaque, hwaddr addr, unsigned size)
{
    VFPGAState *s = opaque;
    uint32_t data = 0;
    enum vfpga_axi_resp resp = s->ul->axil_read(s->ul_ctx, addr, &data);

    if (resp != VFPGA_AXI_OKAY) {
        vfpga_ul_axil_error(s, addr, false, resp);
        return UINT32_MAX;
    }
    return data;
}

static void vfpga_ul_bar_write(void *opaque, hwaddr addr, uint64_t value,
                               unsigned size)
{
    VFPGAState *s = opaque;
    enum vfpga_axi_resp resp = s->ul->axil_write(s->ul_ctx, addr, value);

    if (resp != VFPGA_AXI_OKAY) {
        vfpga_ul_axil_error(s, addr, true, resp);
    }
}

/*
 * The AXI-Lite master is 32 bits wide; aligned 64-bit accesses come as
 * two 32-bit ones, low word first, so that a 64-bit read of a LO/HI
 * counter pair returns it whole in one guest access (under TCG every
 * access is a costly exit).
 */
static const MemoryRegionOps vfpga_ul_bar_ops = {
    .read = vfpga_ul_bar_read,
    .write = vfpga_ul_bar_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 8,
        .unaligned = false,
    },
    .impl = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

/* ---- the AXI4 memory-mapped slave of the DMA engine --------------------- */

bool vfpga_ul_has_mm(VFPGAState *s)
{
    return s->ul->mm_read != NULL;
}

enum vfpga_axi_resp vfpga_ul_mm_read(VFPGAState *s, uint64_t addr,
                                     void *buf, size_t len)
{
    enum vfpga_axi_resp resp;

    assert(len && len <= VFPGA_UL_MM_BURST);
    resp = s->ul->mm_read(s->ul_ctx, addr, buf, len);
    trace_vfpga_ul_mm(false, addr, len, resp);
    return resp;
}

enum vfpga_axi_resp vfpga_ul_mm_write(VFPGAState *s, uint64_t addr,
                                      const void *buf, size_t len)
{
    enum vfpga_axi_resp resp;

    assert(len && len <= VFPGA_UL_MM_BURST);
    resp = s->ul->mm_write(s->ul_ctx, addr, buf, len);
    trace_vfpga_ul_mm(true, addr, len, resp);
    return resp;
}

/* ---- the AXI4-Stream ports (ABI 1.1) ------------------------------------ */

/* A logic built for ABI 1.0 has no stream fields at all. */
bool vfpga_ul_has_stream(VFPGAState *s, bool c2h)
{
    if ((s->ul->abi_version & 0xffff) < 1) {
        return false;
    }
    return c2h ? s->ul->c2h_stream != NULL : s->ul->h2c_stream != NULL;
}

size_t vfpga_ul_h2c_stream(VFPGAState *s, unsigned chan, const void *buf,
                           size_t len, bool last)
{
    size_t took = s->ul->h2c_stream(s->ul_ctx, chan, buf, len, last);

    trace_vfpga_ul_stream(false, chan, len, took, last);
    return took;
}

size_t vfpga_ul_c2h_stream(VFPGAState *s, unsigned chan, void *buf,
                           size_t len, bool *last)
{
    size_t gave;

    *last = false;
    gave = s->ul->c2h_stream(s->ul_ctx, chan, buf, len, last);
    trace_vfpga_ul_stream(true, chan, len, gave, *last);
    return gave;
}

/* usr_irq_ack[@line]: the IP sent (or asserted) the line's interrupt. */
void vfpga_ul_irq_ack(VFPGAState *s, unsigned line)
{
    if (s->ul && s->ul->usr_irq_ack) {
        s->ul->usr_irq_ack(s->ul_ctx, line);
    }
}

/* ---- loading, creating, reset and unloading ----------------------------- */

static bool vfpga_ul_load(VFPGAState *s, Error **errp)
{
    const char *path = s->user_logic_path;
    const struct vfpga_user_logic *ul;
    vfpga_user_logic_entry_fn entry;
    const char *missing = NULL;
    uint32_t abi;

    s->ul_dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!s->ul_dl) {
        error_setg(errp, "vfpga: user-logic %s cannot be loaded: %s", path,
                   dlerror());
        return false;
    }
    entry = (vfpga_user_logic_entry_fn)dlsym(s->ul_dl, VFPGA_UL_ENTRY);
    if (!entry) {
        error_setg(errp, "vfpga: user-logic %s has no entry point %s() "
                   "(define it with VFPGA_USER_LOGIC())", path,
                   VFPGA_UL_ENTRY);
        return false;
    }
    ul = entry();
    if (!ul) {
        error_setg(errp, "vfpga: user-logic %s: %s() returned no logic",
                   path, VFPGA_UL_ENTRY);
        return false;
    }
    abi = ul->abi_version;
    if (abi >> 16 != VFPGA_UL_ABI_MAJOR ||
        (abi & 0xffff) > VFPGA_UL_ABI_MINOR) {
        error_setg(errp, "vfpga: user-logic %s was built for user-logic ABI "
                   "%u.%u, but this board speaks %u.%u", path, abi >> 16,
                   abi & 0xffff, VFPGA_UL_ABI_MAJOR, VFPGA_UL_ABI_MINOR);
        return false;
    }
    if (!ul->create) {
        missing = "create";
    } else if (!ul->destroy) {
        missing = "destroy";
    } else if (!ul->reset) {
        missing = "reset";
    } else if (!ul->axil_read) {
        missing = "axil_read";
    } else if (!ul->axil_write) {
        missing = "axil_write";
    } else if (!ul->mm_read != !ul->mm_write) {
        missing = ul->mm_read ? "mm_write (mm_read needs it)" :
                                "mm_read (mm_write needs it)";
    } else if (!ul->state_size != !ul->save || !ul->save != !ul->load) {
        missing = "one of state_size, save and load (all three or none)";
    }
    if (missing) {
        error_setg(errp, "vfpga: user-logic %s lacks %s", path, missing);
        return false;
    }
    if (!ul->name || !ul->name[0] || strlen(ul->name) >= VFPGA_UL_NAME_MAX) {
        error_setg(errp, "vfpga: user-logic %s needs a name of 1 to %d "
                   "characters", path, VFPGA_UL_NAME_MAX - 1);
        return false;
    }
    s->ul = ul;
    return true;
}

/*
 * Pick the logic: the plug-in named by "user-logic", loaded and checked,
 * or the built-in reference design.  Nothing is created yet.
 */
bool vfpga_ul_select(VFPGAState *s, Error **errp)
{
    QLIST_INIT(&s->ul_timers);
    if (!s->user_logic_path || !s->user_logic_path[0]) {
        s->ul = &vfpga_reference_logic;
        return true;
    }
    return vfpga_ul_load(s, errp);
}

/* Create the logic picked, and the user BAR in front of it. */
bool vfpga_ul_create(VFPGAState *s, Error **errp)
{
    char err[256] = "";
    struct vfpga_ul_board board = {
        .user_bar_size = s->user_bar_size,
        .card_size = s->card_mem_size,
        .irq_lines = s->user_irq_lines,
        .args = s->user_logic_args ? s->user_logic_args : "",
        .h2c_channels = s->num_h2c,
        .c2h_channels = s->num_c2h,
        .h2c_stream = s->h2c_stream,
        .c2h_stream = s->c2h_stream,
    };

    /* The logic decodes the whole user BAR (user-bar-size). */
    memory_region_init_io(&s->user_bar, OBJECT(s), &vfpga_ul_bar_ops, s,
                          "vfpga-user", s->user_bar_size);
    /* Device time starts with the board. */
    s->clock_origin_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    s->ul_ctx = s->ul->create((struct vfpga_ul_host *)s, &vfpga_ul_host_ops,
                              &board, err, sizeof(err));
    if (!s->ul_ctx) {
        error_setg(errp, "vfpga: user logic %s could not be created: %s",
                   s->ul->name, err[0] ? err : "it gave no reason");
        return false;
    }
    if (s->ul_dl && !s->ul->save) {
        error_setg(&s->ul_blocker, "vfpga: user logic %s (%s) has no "
                   "save/load hooks, so its state cannot migrate",
                   s->ul->name, s->user_logic_path);
        if (migrate_add_blocker(&s->ul_blocker, errp) < 0) {
            return false;
        }
    }
    return true;
}

/* axi_aresetn: every line the logic drove drops, then the logic resets. */
void vfpga_ul_reset(VFPGAState *s)
{
    unsigned line;

    if (!s->ul_ctx) {
        return;
    }
    for (line = 0; line < s->user_irq_lines; line++) {
        vfpga_xdma_irq_set_user_line(s, line, false);
    }
    s->ul->reset(s->ul_ctx);
}

/* Undo select and create; safe on what was never done. */
void vfpga_ul_unrealize(VFPGAState *s)
{
    struct vfpga_ul_timer *t, *tmp;

    migrate_del_blocker(&s->ul_blocker);
    if (s->ul_ctx) {
        s->ul->destroy(s->ul_ctx);
        s->ul_ctx = NULL;
    }
    /* What the logic left behind. */
    QLIST_FOREACH_SAFE(t, &s->ul_timers, next, tmp) {
        vfpga_ul_host_timer_free(t);
    }
    g_free(s->ul_state);
    s->ul_state = NULL;
    s->ul_state_len = 0;
    s->ul = NULL;
    if (s->ul_dl) {
        dlclose(s->ul_dl);
        s->ul_dl = NULL;
    }
}

bool vfpga_ul_is_reference(VFPGAState *s)
{
    return s->ul == &vfpga_reference_logic;
}

/* ---- migration ---------------------------------------------------------- */

/*
 * A plug-in with save/load hooks puts its state in this subsection; the
 * reference design's state is in the device's own fields.  A board that
 * loads a plug-in refuses a stream without the subsection (it came from
 * another logic), and one whose subsection names another plug-in.
 */
static bool vfpga_ul_state_needed(void *opaque)
{
    VFPGAState *s = opaque;

    return s->ul_dl && s->ul->save;
}

static int vfpga_ul_pre_save(void *opaque)
{
    VFPGAState *s = opaque;
    size_t len = s->ul->state_size(s->ul_ctx);
    int ret;

    if (len > VFPGA_UL_STATE_MAX) {
        error_report("vfpga: user logic %s has %zu bytes of state to "
                     "migrate, more than %" PRIu64, s->ul->name, len,
                     (uint64_t)VFPGA_UL_STATE_MAX);
        return -EINVAL;
    }
    g_free(s->ul_state);
    s->ul_state = g_malloc0(MAX(len, 1));
    s->ul_state_len = len;
    memset(s->ul_mig_name, 0, sizeof(s->ul_mig_name));
    pstrcpy((char *)s->ul_mig_name, sizeof(s->ul_mig_name), s->ul->name);
    ret = s->ul->save(s->ul_ctx, s->ul_state, len);
    if (ret < 0) {
        error_report("vfpga: user logic %s failed to save its state: %s",
                     s->ul->name, strerror(-ret));
    }
    return ret < 0 ? ret : 0;
}

static int vfpga_ul_pre_load(void *opaque)
{
    VFPGAState *s = opaque;

    g_free(s->ul_state);
    s->ul_state = NULL;
    s->ul_state_len = 0;
    return 0;
}

static bool vfpga_ul_state_len_valid(void *opaque, int version_id)
{
    return ((VFPGAState *)opaque)->ul_state_len <= VFPGA_UL_STATE_MAX;
}

static int vfpga_ul_post_load(void *opaque, int version_id)
{
    VFPGAState *s = opaque;
    int ret;

    s->ul_mig_name[sizeof(s->ul_mig_name) - 1] = 0;
    if (!s->ul_dl || !s->ul->load) {
        error_report("vfpga: the stream carries the state of user logic %s, "
                     "which this board does not load",
                     (char *)s->ul_mig_name);
        return -EINVAL;
    }
    if (strcmp((char *)s->ul_mig_name, s->ul->name)) {
        error_report("vfpga: the stream carries the state of user logic %s, "
                     "but this board loads %s", (char *)s->ul_mig_name,
                     s->ul->name);
        return -EINVAL;
    }
    ret = s->ul->load(s->ul_ctx, s->ul_state, s->ul_state_len);
    if (ret < 0) {
        error_report("vfpga: user logic %s refused the migrated state: %s",
                     s->ul->name, strerror(-ret));
        return ret;
    }
    s->ul_loaded = true;
    return 0;
}

const VMStateDescription vmstate_vfpga_ul = {
    .name = "vfpga/user-logic",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = vfpga_ul_state_needed,
    .pre_save = vfpga_ul_pre_save,
    .pre_load = vfpga_ul_pre_load,
    .post_load = vfpga_ul_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8_ARRAY(ul_mig_name, VFPGAState, VFPGA_UL_NAME_MAX),
        VMSTATE_UINT32(ul_state_len, VFPGAState),
        VMSTATE_VALIDATE("user-logic state size", vfpga_ul_state_len_valid),
        VMSTATE_VBUFFER_ALLOC_UINT32(ul_state, VFPGAState, 1, NULL,
                                     ul_state_len),
        VMSTATE_END_OF_LIST()
    },
};

/* Before the device's fields load: no plug-in state has come yet. */
void vfpga_ul_begin_load(VFPGAState *s)
{
    s->ul_loaded = false;
}

/* After everything loaded: a plug-in that migrates must have had its state. */
int vfpga_ul_end_load(VFPGAState *s)
{
    if (vfpga_ul_state_needed(s) && !s->ul_loaded) {
        error_report("vfpga: user logic %s got no state from the stream "
                     "(the source board ran other logic)", s->ul->name);
        return -EINVAL;
    }
    return 0;
}
