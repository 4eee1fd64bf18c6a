/*
 * vfpga: an FPGA board behind an AMD/Xilinx XDMA-compatible PCIe front end.
 *
 * Internal state shared by the files of the model.  The guest-visible
 * register map is include/vfpga/vfpga_regs.h (shared with driver and
 * library).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_VFPGA_H
#define HW_VFPGA_H

#include "hw/pci/pci_device.h"
#include "hw/register.h"
#include "qemu/timer.h"
#include "system/runstate.h"
#include "vfpga_regs.h"
#include "vfpga_user_logic.h"

#define TYPE_VFPGA "vfpga"
OBJECT_DECLARE_SIMPLE_TYPE(VFPGAState, VFPGA)

/* The longest user-logic name, with its NUL. */
#define VFPGA_UL_NAME_MAX       32

/* Register array sizes: one 32-bit slot per offset up to the last register. */
#define VFPGA_USER_R_MAX        (VFPGA_IRQGEN_STALLED_US / 4 + 1)
#define VFPGA_XDMA_IRQ_R_MAX    (XDMA_IRQ_CHAN_VEC_NUM / 4 + \
                                 XDMA_IRQ_CHAN_VEC_REGS)
#define VFPGA_XDMA_CONFIG_R_MAX (XDMA_CONFIG_IDENTIFIER / 4 + 1)
#define VFPGA_CHAN_R_MAX        (XDMA_CHAN_INTR_ENABLE_W1C / 4 + 1)
#define VFPGA_SGDMA_R_MAX       (XDMA_SGDMA_DESC_CREDIT / 4 + 1)
#define VFPGA_SGDMA_COMMON_R_MAX (XDMA_SGDMA_CREDIT_MODE_W1C / 4 + 1)
#define VFPGA_STREAM_R_MAX      ((VFPGA_STREAM_GEN_BACKPRESSURE - \
                                  VFPGA_STREAM_CTRL) / 4 + 1)

/*
 * A block of 32-bit registers described by a RegisterAccessInfo table.
 * The MMIO handlers in vfpga-regs.c decode an offset to its RegisterInfo and
 * report accesses to holes as guest errors.
 */
/* A PG195 register of a block that the model does not implement. */
typedef struct VFPGAUnimpReg {
    hwaddr addr;
    const char *name;
} VFPGAUnimpReg;

typedef struct VFPGARegBlock {
    const char *name;
    RegisterInfo *info;
    unsigned nr_regs;
    /* Real registers not modelled: LOG_UNIMP, not a guest error. */
    const VFPGAUnimpReg *unimp;
    unsigned nr_unimp;
} VFPGARegBlock;

/*
 * One XDMA channel (H2C or C2H): its channel and SGDMA register blocks and
 * the engine state that walks its descriptor chain.
 */
typedef struct VFPGAChannel {
    VFPGAState *s;
    bool c2h;
    unsigned index;                 /* channel number in its direction */
    char name[8];                   /* "h2c0" */
    char sgdma_name[16];            /* "h2c0-sgdma" */

    uint32_t regs[VFPGA_CHAN_R_MAX];
    RegisterInfo regs_info[VFPGA_CHAN_R_MAX];
    VFPGARegBlock block;
    MemoryRegion mr;

    uint32_t sgdma_regs[VFPGA_SGDMA_R_MAX];
    RegisterInfo sgdma_regs_info[VFPGA_SGDMA_R_MAX];
    VFPGARegBlock sgdma_block;
    MemoryRegion sgdma_mr;

    /* Engine state, migrated with the channel. */
    bool busy;
    bool have_desc;                 /* desc fetched, not yet completed */
    bool timed;                     /* timing model: desc's time charged */
    uint64_t desc_addr;             /* address of desc / the next one */
    uint32_t chain_len;             /* descriptors since RUN, saturating */
    uint32_t adj_left;              /* more descriptors at +32 in block */
    uint32_t desc_done;             /* bytes of desc already moved */
    uint32_t desc_control;          /* desc, in host byte order */
    uint32_t desc_bytes;
    uint64_t desc_src;
    uint64_t desc_dst;
    uint64_t desc_next;
    /*
     * The stuck-busy fault fired: BUSY stays set, the engine moves
     * nothing and ignores RUN, until the board is reset.
     */
    bool stuck;

    /* AXI4-Stream mode (h2c-stream / c2h-stream), fixed at realize. */
    bool stream;
    /* Stalled: the stream's logic is not ready, or no credit is left. */
    bool st_wait;
    bool credit_wait;
    /* The C2H stream descriptor was closed by a packet's end. */
    bool st_closed;

    /*
     * Moves on every start, stop, reset and unrealize: the engine compares
     * it across callouts (DMA, interrupts) to learn that its channel was
     * taken from under it.  Not migrated.
     */
    uint32_t gen;

    QEMUBH *bh;
    QEMUTimer *timer;
} VFPGAChannel;

/*
 * The reference design's stream block (vfpga-user-stream.c): the loopback
 * FIFO from H2C stream 0 to C2H stream 0 and the packet generator.
 */
typedef struct VFPGARefStream {
    bool present;                   /* the board has stream channels */
    uint32_t regs[VFPGA_STREAM_R_MAX];
    RegisterInfo regs_info[VFPGA_STREAM_R_MAX];
    VFPGARegBlock block;
    uint8_t *fifo;                  /* VFPGA_STREAM_FIFO_MAX, a ring */
    uint32_t head;                  /* oldest byte */
    GQueue packets;                 /* lengths of whole packets, oldest first */
    uint32_t open_len;              /* bytes of the packet still coming in */
    uint32_t ctrl_latched;          /* CTRL before the last write */
    uint32_t gen_size;              /* GEN_SIZE, RATE, COUNT at the start */
    uint32_t gen_rate;
    uint32_t gen_count;
    uint32_t gen_off;               /* bytes of the current packet given */
    bool gen_ready;                 /* a generated packet awaits C2H 0 */
    uint64_t gen_start_ns;
    uint64_t gen_beats;             /* packets due so far (paced) */
    QEMUTimer *gen_timer;
    QEMUBH *gen_bh;
    /*
     * Migration: the FIFO as the bytes it holds, oldest first, and the
     * lengths of its whole packets; filled by pre_save and by the load,
     * empty otherwise.
     */
    uint8_t *mig_fifo;
    uint32_t mig_level;
    uint32_t *mig_packets;
    uint32_t mig_npackets;
} VFPGARefStream;

/* Interrupt generator state that is not a register (vfpga-user.c). */
typedef struct VFPGAIrqGen {
    bool running;
    bool pending;                   /* raised, awaiting its acknowledge */
    uint32_t line;                  /* latched from IRQGEN_LINE at start */
    uint32_t mode;                  /* latched from IRQGEN_MODE at start */
    bool rotate;                    /* latched MODE_ROTATE */
    uint64_t start_ns;              /* paced: device time of beat 0 */
    uint64_t last_look_ns;          /* paced: the last accounting */
    uint64_t beats;                 /* paced: beats in this run */
    uint32_t rate;                  /* paced: latched beats per second */
    uint32_t queue_depth;           /* paced: latched QUEUE_DEPTH */
    uint64_t last_raise_ns;
    QEMUTimer *timer;
    QEMUBH *bh;                     /* the timer's work, guarded */
} VFPGAIrqGen;

struct VFPGAState {
    PCIDevice parent_obj;

    MemoryRegion user_window;       /* the user BAR: user_bar at 0 */
    MemoryRegion user_bar;          /* the user logic's registers */
    MemoryRegion dma_bar;           /* container: XDMA blocks and MSI-X */
    MemoryRegion xdma_unimp_mr;     /* background: blocks not modelled */
    MemoryRegion xdma_irq_mr;
    MemoryRegion xdma_config_mr;
    MemoryRegion card_mem;
    MemoryRegion sgdma_common_mr;
    MemoryRegion removed_mr[3];     /* all-ones overlays, one per BAR */

    uint32_t user_regs[VFPGA_USER_R_MAX];
    RegisterInfo user_regs_info[VFPGA_USER_R_MAX];
    VFPGARegBlock user_block;

    uint32_t xdma_irq_regs[VFPGA_XDMA_IRQ_R_MAX];
    RegisterInfo xdma_irq_regs_info[VFPGA_XDMA_IRQ_R_MAX];
    VFPGARegBlock xdma_irq_block;

    uint32_t xdma_config_regs[VFPGA_XDMA_CONFIG_R_MAX];
    RegisterInfo xdma_config_regs_info[VFPGA_XDMA_CONFIG_R_MAX];
    VFPGARegBlock xdma_config_block;

    uint32_t sgdma_common_regs[VFPGA_SGDMA_COMMON_R_MAX];
    RegisterInfo sgdma_common_regs_info[VFPGA_SGDMA_COMMON_R_MAX];
    VFPGARegBlock sgdma_common_block;

    VFPGAChannel h2c[XDMA_MAX_CHANNELS];
    VFPGAChannel c2h[XDMA_MAX_CHANNELS];
    uint8_t *card_ptr;              /* host view of card memory */
    VMChangeStateEntry *vmstate;

    VFPGAIrqGen irqgen;
    VFPGARefStream stream;

    /*
     * The user logic (vfpga-ulogic.c): its calls, what create() gave, and
     * for a plug-in its dlopen() handle, the timers it holds, its
     * migration blocker or the state its save hook wrote.
     */
    const struct vfpga_user_logic *ul;
    void *ul_ctx;
    void *ul_dl;
    QLIST_HEAD(, vfpga_ul_timer) ul_timers;
    Error *ul_blocker;
    uint8_t ul_mig_name[VFPGA_UL_NAME_MAX];
    uint8_t *ul_state;
    uint32_t ul_state_len;
    bool ul_loaded;                 /* its state came with the stream */

    /* Device clock: ns of QEMU's virtual clock since this origin. */
    int64_t clock_origin_ns;
    uint32_t time_hi_latch;
    uint32_t last_raise_hi_latch;

    /* Lines already signalled by message (MSI/MSI-X are edges). */
    uint32_t user_lines_signalled;
    uint32_t chan_lines_signalled;

    /* Armed faults (VFPGA_FAULT_*); SURPRISE_REMOVAL stays once set. */
    uint32_t faults;
    uint32_t fault_vector;
    /* A LATE_MSI message held back until late_msi_timer fires. */
    bool late_msi_pending;
    uint32_t late_msi_vector;
    QEMUTimer *late_msi_timer;
    QEMUBH *fault_bh;               /* late message, FLR, removal: guarded */
    uint32_t fault_deferred;        /* FLR / SURPRISE_REMOVAL for fault_bh */

    /* Fault campaign (vfpga-campaign.c); survives resets. */
    uint32_t campaign_seed;
    uint32_t campaign_rate;         /* in VFPGA_CAMPAIGN_RATE_MAX; 0: off */
    uint32_t campaign_mask;
    uint64_t campaign_prng;
    uint32_t campaign_events;
    uint32_t campaign_injected;
    uint32_t campaign_last;
    uint32_t campaign_armed;        /* armed by it and not fired yet */
    bool user_resetting;            /* the user block's registers reset */

    /* Properties: the user logic */
    char *user_logic_path;
    char *user_logic_args;
    /* Properties: PCI identity */
    uint32_t vendor_id;
    uint32_t device_id;
    uint32_t subsys_vendor_id;
    uint32_t subsys_id;
    uint32_t revision;
    uint32_t class_code;            /* base class, subclass, prog-if */
    /* Properties: layout */
    uint32_t user_bar_index;
    uint32_t config_bar_index;
    int32_t card_mem_bar_index;     /* -1: card memory behind DMA only */
    uint64_t user_bar_size;
    uint64_t config_bar_size;
    uint64_t card_mem_size;
    uint32_t msix_vectors;
    bool msi;
    uint32_t dma_channels;
    int32_t h2c_channels;           /* -1: as dma-channels */
    int32_t c2h_channels;
    uint32_t user_irq_lines;
    uint32_t dma_max_chain;
    uint32_t dma_bandwidth_mbps;
    uint32_t dma_desc_latency_ns;
    uint32_t h2c_stream;            /* bit n: H2C channel n is a stream */
    uint32_t c2h_stream;

    /* The channels the board has, from the properties at realize. */
    uint32_t num_h2c;
    uint32_t num_c2h;
};

/* vfpga-campaign.c */
typedef enum VFPGACampaignPoint {
    VFPGA_CAMPAIGN_DESC_FETCH,
    VFPGA_CAMPAIGN_DMA_MOVE,
    VFPGA_CAMPAIGN_MSG,
    VFPGA_CAMPAIGN_IRQ_RAISE,
} VFPGACampaignPoint;

void vfpga_campaign_event(VFPGAState *s, VFPGACampaignPoint point);
bool vfpga_campaign_set_seed(VFPGAState *s, uint32_t seed, Error **errp);
bool vfpga_campaign_set_rate(VFPGAState *s, uint32_t rate, Error **errp);
bool vfpga_campaign_set_mask(VFPGAState *s, uint32_t mask, Error **errp);
int vfpga_campaign_post_load(VFPGAState *s);
void vfpga_campaign_instance_init(VFPGAState *s);
void vfpga_campaign_class_init(ObjectClass *klass);
extern const VMStateDescription vmstate_vfpga_campaign;

/* vfpga-regs.c */
extern const MemoryRegionOps vfpga_reg_block_ops;
extern const MemoryRegionOps vfpga_reg_block_ops_wide;
void vfpga_reg_block_init(VFPGARegBlock *block, const char *name,
                          const RegisterAccessInfo *access, unsigned nr_access,
                          RegisterInfo *info, uint32_t *regs,
                          unsigned nr_regs, void *opaque);
void vfpga_reg_block_reset(VFPGARegBlock *block);
void vfpga_reg_block_set_unimp(VFPGARegBlock *block,
                               const VFPGAUnimpReg *unimp, unsigned nr);

/* vfpga-ulogic.c: the user logic's interface, the user BAR in front of it */
extern const struct vfpga_ul_host_ops vfpga_ul_host_ops;
extern const VMStateDescription vmstate_vfpga_ul;
bool vfpga_ul_select(VFPGAState *s, Error **errp);
bool vfpga_ul_create(VFPGAState *s, Error **errp);
void vfpga_ul_reset(VFPGAState *s);
void vfpga_ul_unrealize(VFPGAState *s);
bool vfpga_ul_is_reference(VFPGAState *s);
bool vfpga_ul_has_mm(VFPGAState *s);
bool vfpga_ul_has_stream(VFPGAState *s, bool c2h);
size_t vfpga_ul_h2c_stream(VFPGAState *s, unsigned chan, const void *buf,
                           size_t len, bool last);
size_t vfpga_ul_c2h_stream(VFPGAState *s, unsigned chan, void *buf,
                           size_t len, bool *last);
enum vfpga_axi_resp vfpga_ul_mm_read(VFPGAState *s, uint64_t addr,
                                     void *buf, size_t len);
enum vfpga_axi_resp vfpga_ul_mm_write(VFPGAState *s, uint64_t addr,
                                      const void *buf, size_t len);
void vfpga_ul_irq_ack(VFPGAState *s, unsigned line);
void vfpga_ul_begin_load(VFPGAState *s);
int vfpga_ul_end_load(VFPGAState *s);

/* vfpga-user.c: the reference design, the built-in user logic */
extern const struct vfpga_user_logic vfpga_reference_logic;
void vfpga_user_stop_irqgen(VFPGAState *s);
int vfpga_user_post_load(VFPGAState *s);

/* vfpga-user-stream.c: the reference design's stream loopback, generator */
void vfpga_ref_stream_init(VFPGAState *s);
void vfpga_ref_stream_reset(VFPGAState *s);
void vfpga_ref_stream_exit(VFPGAState *s);
extern const VMStateDescription vmstate_vfpga_ref_stream;
bool vfpga_ref_stream_decodes(VFPGAState *s, uint32_t addr);
uint32_t vfpga_ref_stream_read(VFPGAState *s, uint32_t addr);
void vfpga_ref_stream_write(VFPGAState *s, uint32_t addr, uint32_t val);
size_t vfpga_ref_h2c_stream(void *ul, unsigned int chan, const void *buf,
                            size_t len, bool last);
size_t vfpga_ref_c2h_stream(void *ul, unsigned int chan, void *buf,
                            size_t len, bool *last);

/* vfpga-xdma.c: the config BAR, the XDMA register space */
void vfpga_xdma_init(VFPGAState *s);
void vfpga_xdma_reset(VFPGAState *s);
void vfpga_xdma_exit(VFPGAState *s);

/* vfpga-xdma-irq.c: the XDMA IRQ block and interrupt delivery */
void vfpga_xdma_irq_init(VFPGAState *s);
void vfpga_xdma_irq_set_user_line(VFPGAState *s, unsigned line, bool level);
void vfpga_xdma_irq_set_chan_line(VFPGAState *s, unsigned line, bool level);
void vfpga_xdma_irq_update(VFPGAState *s);
void vfpga_xdma_irq_post_load(VFPGAState *s);
unsigned vfpga_xdma_chan_line(VFPGAState *s, bool c2h, unsigned index);
void vfpga_irq_send_vector(VFPGAState *s, unsigned vector);
void vfpga_irq_notify(VFPGAState *s, unsigned vector);

/* vfpga-xdma-chan.c: channel and SGDMA register blocks */
void vfpga_chan_init(VFPGAState *s, VFPGAChannel *c, bool c2h,
                     unsigned index);
void vfpga_chan_reset(VFPGAChannel *c);
void vfpga_chan_event(VFPGAChannel *c, uint32_t events);
extern const VMStateDescription vmstate_vfpga_channel;

/* vfpga-xdma-engine.c: walking descriptor chains and moving data */
void vfpga_engine_init(VFPGAChannel *c);
void vfpga_engine_start(VFPGAChannel *c);
void vfpga_engine_stop(VFPGAChannel *c);
void vfpga_engine_cancel(VFPGAChannel *c);
int vfpga_engine_post_load(VFPGAChannel *c);
void vfpga_engine_resume(VFPGAChannel *c);
void vfpga_engine_exit(VFPGAChannel *c);
void vfpga_engine_stream_ready(VFPGAChannel *c);
void vfpga_engine_credit_kick(VFPGAChannel *c);
bool vfpga_engine_credit_mode(VFPGAChannel *c);

/* vfpga-fault.c: fault injection and surprise removal */
void vfpga_fault_init(VFPGAState *s);
void vfpga_fault_exit(VFPGAState *s);
void vfpga_fault_class_init(ObjectClass *klass);
void vfpga_fault_arm(VFPGAState *s, uint32_t faults);
bool vfpga_fault_take(VFPGAState *s, uint32_t fault);
void vfpga_fault_reset(VFPGAState *s);
void vfpga_fault_post_load(VFPGAState *s);
void vfpga_fault_inject(VFPGAState *s, uint32_t fault);
const char *vfpga_fault_name(uint32_t fault);
bool vfpga_fault_hold_msi(VFPGAState *s, unsigned vector);

/*
 * Take @mr out of its container, if it is in one.  In QEMU 10 a subregion
 * holds a reference on its owner: left in a container of the same board,
 * it would keep the unplugged board from ever being finalized.
 */
static inline void vfpga_del_subregion(MemoryRegion *mr)
{
    if (mr->container) {
        memory_region_del_subregion(mr->container, mr);
    }
}

/* Device clock, ns */
uint64_t vfpga_now_ns(VFPGAState *s);

#endif
