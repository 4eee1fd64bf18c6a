/*
 * QTest: what a vfpga migration stream may and may not bring.
 *
 * A source is migrated to a file; the test then patches one field of the
 * board's state in that file, as a hostile or corrupted stream would, and
 * a destination must refuse to load it (query-migrate reports "failed")
 * instead of crashing later: an in-flight descriptor outside card memory
 * or done past its length, a busy channel the destination lacks, an
 * interrupt line past 15, a paced rate of 0.  Each test first loads the
 * untouched stream, which proves the patched offset is the field meant.
 * The stream block's FIFO and generator are checked the same way.
 * A stream of a board of before the layout properties (its config
 * subsection at version 1) loads into the reference layout only.
 *
 * Also: the ping-pong generator continues after migration, and card
 * memory written by H2C DMA during a live migration reaches the
 * destination (it is dirty-tracked).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "vfpga-qtest.h"

#define DESC_LEN    (64 * 1024)

#define MACHINE     "-machine q35 -nodefaults -m 64M " FW_ARGS " "
#define SCRATCH_MARK    0x5ca7c4edu

/*
 * The layout of the board's state in the stream, as vmstate_vfpga
 * (qemu-device/vfpga.c) sends it: user registers, XDMA IRQ registers,
 * XDMA config registers, then the generator's running and pending bytes,
 * its line and mode.  The sizes follow qemu-device/vfpga.h; the tests
 * check known values at these offsets before patching anything.
 */
#define USER_R_MAX      (VFPGA_IRQGEN_STALLED_US / 4 + 1)
#define IRQ_R_MAX       (XDMA_IRQ_CHAN_VEC_NUM / 4 + XDMA_IRQ_CHAN_VEC_REGS)
#define CONFIG_R_MAX    (XDMA_CONFIG_IDENTIFIER / 4 + 1)

/* An in-flight descriptor: vmstate_vfpga_engine after its version. */
#define ENGINE_SUB      "vfpga-channel/engine"
#define ENG_DESC_DONE   (1 + 1 + 8 + 4 + 4)
#define ENG_DESC_BYTES  (ENG_DESC_DONE + 4 + 4)
#define ENG_DESC_DST    (ENG_DESC_BYTES + 4 + 8)

/* The paced generator: vmstate_vfpga_irqgen_paced after its version. */
#define PACED_SUB       "vfpga/irqgen-paced"
#define PACED_RATE      (8 + 8)

static QTestState *machine_start(const char *props, const char *extra)
{
    QTestState *qts = qtest_initf(MACHINE "-device vfpga,addr=04.0%s%s %s",
                                  *props ? "," : "", props, extra);

    board_map_bars(qts, BOARD_BDF);
    return qts;
}

/* Start H2C channel @ch on two 64 KiB descriptors from guest RAM. */
static void h2c_start(QTestState *qts, unsigned ch)
{
    uint64_t desc = DESC_ADDR + ch * 0x1000;
    unsigned i;

    for (i = 0; i < 2; i++) {
        desc_write(qts, desc + i * sizeof(struct xdma_desc),
                   i ? XDMA_DESC_STOPPED : 0, DESC_LEN,
                   DATA_ADDR + i * DESC_LEN, i * DESC_LEN,
                   desc + (i + 1) * sizeof(struct xdma_desc));
    }
    chan_start(qts, false, ch, desc, 0, XDMA_STAT_EVENTS);
}

/*
 * Start a destination with @props that loads @file and stays alive if
 * the load fails; whether it loaded in @loaded.
 */
static QTestState *load_from(const char *props, const char *file,
                             bool *loaded)
{
    g_autofree char *uri = g_strdup_printf("file:%s", file);
    QTestState *dst = machine_start(props, "-incoming defer");

    qtest_qmp_assert_success(dst, "{ 'execute': 'migrate-incoming',"
                             "  'arguments': { 'uri': %s,"
                             "                 'exit-on-error': false } }",
                             uri);
    *loaded = migrate_wait(dst);
    return dst;
}

/* Load @file into a @props destination, which must refuse it. */
static void assert_refused(const char *props, const char *file)
{
    bool loaded;
    QTestState *dst = load_from(props, file, &loaded);

    g_assert_false(loaded);
    /* Alive, and it says why. */
    qtest_qmp_assert_success(dst, "{ 'execute': 'query-status' }");
    qtest_quit(dst);
}

/* Load @file into a @props destination, which must take it. */
static QTestState *assert_loads(const char *props, const char *file)
{
    bool loaded;
    QTestState *dst = load_from(props, file, &loaded);

    g_assert_true(loaded);
    return dst;
}

typedef struct Stream {
    char *dir;
    char *file;         /* as saved */
    char *patched;      /* with one field changed */
    char *data;
    gsize len;
} Stream;

static void stream_save(Stream *st, QTestState *src)
{
    st->dir = g_dir_make_tmp("vfpga-stream-XXXXXX", NULL);
    st->file = g_strdup_printf("%s/state", st->dir);
    st->patched = g_strdup_printf("%s/patched", st->dir);
    migrate_to_file(src, st->file);
    qtest_quit(src);
    g_assert_true(g_file_get_contents(st->file, &st->data, &st->len, NULL));
}

static void stream_free(Stream *st)
{
    unlink(st->file);
    unlink(st->patched);
    rmdir(st->dir);
    g_free(st->dir);
    g_free(st->file);
    g_free(st->patched);
    g_free(st->data);
}

/* Offset of the first @len bytes @what in the stream after @from. */
static gsize stream_find(Stream *st, gsize from, const void *what, gsize len)
{
    gsize i;

    for (i = from; i + len <= st->len; i++) {
        if (!memcmp(st->data + i, what, len)) {
            return i;
        }
    }
    g_assert_not_reached();
}

/* Offset of the fields of (sub)section @name, after its version. */
static gsize stream_find_sub(Stream *st, const char *name)
{
    g_autofree char *tag = g_strdup_printf("%c%s", (int)strlen(name), name);

    return stream_find(st, 0, tag, strlen(tag)) + strlen(tag) + 4;
}

/* Offset of the board's user registers: found by SCRATCH_MARK. */
static gsize stream_find_user_regs(Stream *st)
{
    uint32_t mark = cpu_to_be32(SCRATCH_MARK);

    return stream_find(st, 0, &mark, 4) - VFPGA_USER_SCRATCH;
}

static uint32_t stream_get32(Stream *st, gsize off)
{
    uint32_t v;

    memcpy(&v, st->data + off, 4);
    return be32_to_cpu(v);
}

static uint64_t stream_get64(Stream *st, gsize off)
{
    uint64_t v;

    memcpy(&v, st->data + off, 8);
    return be64_to_cpu(v);
}

/* Write the stream to st->patched with @len bytes at @off replaced. */
static void stream_patch(Stream *st, gsize off, uint64_t val, unsigned len)
{
    g_autofree char *copy = g_memdup2(st->data, st->len);
    uint32_t v32 = cpu_to_be32(val);
    uint64_t v64 = cpu_to_be64(val);

    memcpy(copy + off, len == 4 ? (void *)&v32 : (void *)&v64, len);
    g_assert_true(g_file_set_contents(st->patched, copy, st->len, NULL));
}

/* Offset of the generator's latched line in the stream. */
static gsize stream_find_irqgen_line(Stream *st)
{
    gsize user = stream_find_user_regs(st);
    gsize irq = user + 4 * USER_R_MAX;
    gsize config = irq + 4 * IRQ_R_MAX;

    g_assert_cmphex(stream_get32(st, irq + XDMA_IRQ_IDENTIFIER), ==,
                    XDMA_ID_SUBSYSTEM | XDMA_ID_TARGET(XDMA_TARGET_IRQ) |
                    XDMA_ID_VERSION);
    g_assert_cmphex(stream_get32(st, config), ==,
                    XDMA_ID_SUBSYSTEM | XDMA_ID_TARGET(XDMA_TARGET_CONFIG) |
                    XDMA_ID_VERSION);
    return config + 4 * CONFIG_R_MAX + 2;
}

/* A source with h2c0 stopped one descriptor into a timed chain. */
static void save_h2c_in_flight(Stream *st)
{
    QTestState *src = machine_start("card-mem-size=1M,dma-bandwidth-mbps=1",
                                    "");

    h2c_start(src, 0);
    chan_read(src, false, 0, XDMA_CHAN_STATUS);
    chan_read(src, false, 0, XDMA_CHAN_STATUS);
    g_assert_cmphex(chan_read(src, false, 0, XDMA_CHAN_STATUS), ==,
                    XDMA_STAT_BUSY);
    stream_save(st, src);
}

/* An in-flight descriptor's card offset of 16 TiB. */
static void test_desc_card_offset(void)
{
    Stream st;
    gsize eng;

    save_h2c_in_flight(&st);
    eng = stream_find_sub(&st, ENGINE_SUB);
    g_assert_cmpuint(stream_get32(&st, eng + ENG_DESC_BYTES), ==, DESC_LEN);
    g_assert_cmphex(stream_get64(&st, eng + ENG_DESC_DST), ==, 0);
    qtest_quit(assert_loads("card-mem-size=1M,dma-bandwidth-mbps=1",
                            st.file));

    stream_patch(&st, eng + ENG_DESC_DST, 16 * TiB, 8);
    assert_refused("card-mem-size=1M,dma-bandwidth-mbps=1", st.patched);
    stream_free(&st);
}

/* An in-flight descriptor with more bytes done than it has. */
static void test_desc_done_past_len(void)
{
    Stream st;
    gsize eng;

    save_h2c_in_flight(&st);
    eng = stream_find_sub(&st, ENGINE_SUB);
    g_assert_cmpuint(stream_get32(&st, eng + ENG_DESC_BYTES), ==, DESC_LEN);
    g_assert_cmpuint(stream_get32(&st, eng + ENG_DESC_DONE), ==, 0);
    stream_patch(&st, eng + ENG_DESC_DONE, DESC_LEN + 1, 4);
    assert_refused("card-mem-size=1M,dma-bandwidth-mbps=1", st.patched);
    stream_free(&st);
}

/* A busy channel 3 from a 4-channel board into a 1-channel one. */
static void test_channel_beyond_dma_channels(void)
{
    QTestState *src = machine_start("card-mem-size=1M,dma-bandwidth-mbps=1",
                                    "");
    Stream st;

    h2c_start(src, 3);
    chan_read(src, false, 3, XDMA_CHAN_STATUS);
    g_assert_cmphex(chan_read(src, false, 3, XDMA_CHAN_STATUS), ==,
                    XDMA_STAT_BUSY);
    stream_save(&st, src);
    assert_refused("card-mem-size=1M,dma-bandwidth-mbps=1,dma-channels=1",
                   st.file);
    /* Idle channels beyond it are refused too: the boards differ. */
    stream_free(&st);

    src = machine_start("card-mem-size=1M", "");
    stream_save(&st, src);
    assert_refused("card-mem-size=1M,dma-channels=1", st.file);
    stream_free(&st);
}

/*
 * The board's shape in vmstate_vfpga_config: dma-channels (version 1),
 * then since version 2 the channels of each direction, the BAR roles,
 * the BAR sizes and the user lines.
 */
#define CONFIG_SUB      "vfpga/config"
#define CONFIG_V2_BYTES (5 * 4 + 2 * 8 + 4)
#define CONFIG_V3_BYTES (2 * 4)     /* the stream masks */

/*
 * A stream of a board of before the layout properties: its config
 * subsection at version 1, dma-channels alone.  It loads into a board of
 * the reference layout only.
 */
static void test_config_version_1(void)
{
    QTestState *src = machine_start("card-mem-size=1M", "");
    g_autofree char *old = NULL;
    gsize fields, len;
    Stream st;

    stream_save(&st, src);
    fields = stream_find_sub(&st, CONFIG_SUB);
    g_assert_cmpuint(stream_get32(&st, fields - 4), ==, 3);
    g_assert_cmpuint(stream_get32(&st, fields), ==, XDMA_MAX_CHANNELS);
    g_assert_cmpuint(stream_get32(&st, fields + 4), ==, XDMA_MAX_CHANNELS);

    /* Version 1: the version word, and no fields after dma-channels. */
    len = st.len - CONFIG_V2_BYTES - CONFIG_V3_BYTES;
    old = g_malloc(len);
    memcpy(old, st.data, fields + 4);
    memcpy(old + fields + 4,
           st.data + fields + 4 + CONFIG_V2_BYTES + CONFIG_V3_BYTES,
           len - fields - 4);
    stn_be_p(old + fields - 4, 4, 1);
    g_assert_true(g_file_set_contents(st.patched, old, len, NULL));

    qtest_quit(assert_loads("card-mem-size=1M", st.patched));
    assert_refused("card-mem-size=1M,c2h-channels=2", st.patched);
    assert_refused("card-mem-size=1M,card-mem-bar=-1", st.patched);
    assert_refused("card-mem-size=1M,user-irq-lines=8", st.patched);
    stream_free(&st);
}

/* A ping-pong run on line 7, one raised and acknowledged, one pending. */
static QTestState *boot_pingpong(void)
{
    QTestState *src = machine_start("card-mem-size=1M", "");

    board_user_write(src, VFPGA_USER_SCRATCH, SCRATCH_MARK);
    board_user_write(src, VFPGA_IRQGEN_LINE, 7);
    board_user_write(src, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_PINGPONG);
    board_user_write(src, VFPGA_IRQGEN_COUNT, 5);
    board_user_write(src, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    board_user_write(src, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    g_assert_cmpuint(board_user_read(src, VFPGA_IRQGEN_RAISED), ==, 2);
    return src;
}

static void test_irqgen_line(void)
{
    Stream st;
    gsize line;

    stream_save(&st, boot_pingpong());
    line = stream_find_irqgen_line(&st);
    g_assert_cmpuint(stream_get32(&st, line), ==, 7);
    qtest_quit(assert_loads("card-mem-size=1M", st.file));

    stream_patch(&st, line, 99, 4);
    assert_refused("card-mem-size=1M", st.patched);
    /* The IRQGEN_LINE register, latched by the next START, as well. */
    stream_patch(&st, stream_find_user_regs(&st) + VFPGA_IRQGEN_LINE, 99, 4);
    assert_refused("card-mem-size=1M", st.patched);
    stream_free(&st);
}

/* Ping-pong carries on where it stood: 2 raised, 3 to go. */
static void test_irqgen_pingpong_continues(void)
{
    Stream st;
    QTestState *dst;
    unsigned i;

    stream_save(&st, boot_pingpong());
    dst = assert_loads("card-mem-size=1M", st.file);
    qtest_qmp_assert_success(dst, "{ 'execute': 'cont' }");
    for (i = 3; i <= 5; i++) {
        board_user_write(dst, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
        g_assert_cmpuint(board_user_read(dst, VFPGA_IRQGEN_RAISED), ==, i);
    }
    board_user_write(dst, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
    g_assert_cmpuint(board_user_read(dst, VFPGA_IRQGEN_ACKED), ==, 5);
    g_assert_cmphex(board_user_read(dst, VFPGA_IRQGEN_STATUS), ==, 0);
    qtest_quit(dst);
    stream_free(&st);
}

/* A paced run whose rate the stream says is 0. */
static void test_irqgen_rate_zero(void)
{
    QTestState *src = machine_start("card-mem-size=1M", "");
    Stream st;
    gsize paced;

    board_user_write(src, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_PACED);
    board_user_write(src, VFPGA_IRQGEN_RATE, 1000);
    board_user_write(src, VFPGA_IRQGEN_COUNT, 100);
    board_user_write(src, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
    stream_save(&st, src);
    paced = stream_find_sub(&st, PACED_SUB);
    g_assert_cmpuint(stream_get32(&st, paced + PACED_RATE), ==, 1000);
    qtest_quit(assert_loads("card-mem-size=1M", st.file));

    stream_patch(&st, paced + PACED_RATE, 0, 4);
    assert_refused("card-mem-size=1M", st.patched);
    stream_free(&st);
}

static int64_t migrate_dirty_syncs(QTestState *qts)
{
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'query-migrate' }");
    QDict *ret = qdict_get_qdict(rsp, "return");
    QDict *ram = qdict_haskey(ret, "ram") ? qdict_get_qdict(ret, "ram") : NULL;
    int64_t n = ram ? qdict_get_try_int(ram, "dirty-sync-count", 0) : 0;

    qobject_unref(rsp);
    return n;
}

/*
 * H2C DMA writes card memory behind the memory API's back: it must mark
 * what it wrote dirty, or a live migration keeps the copy it sent before.
 * A cyclic C2H ring keeps 1 MiB of guest RAM dirty so that the migration
 * (8 MB/s, 1 ms downtime) cannot converge; once card memory was sent, an
 * H2C transfer writes 64 KiB of it, the ring stops, the migration ends,
 * and the destination must read what the H2C wrote.
 */
static void test_h2c_card_dirty(void)
{
    const uint64_t ring = DESC_ADDR + 0x1000, src_buf = 0x400000;
    QTestState *src = machine_start("card-mem-size=2M", "");
    g_autofree uint8_t *got = g_malloc(DESC_LEN);
    g_autofree uint8_t *want = g_malloc(DESC_LEN);
    g_autofree char *dir = g_dir_make_tmp("vfpga-stream-XXXXXX", NULL);
    g_autofree char *file = g_strdup_printf("%s/state", dir);
    g_autofree char *uri = g_strdup_printf("file:%s", file);
    QTestState *dst;
    unsigned i;

    qtest_memset(src, src_buf, 0xa5, DESC_LEN);
    qtest_memset(src, CARD_BAR + MiB, 0x33, MiB);
    desc_write(src, ring, 0, MiB, MiB, 0x800000, ring);
    chan_start(src, true, 0, ring, 0, 0);

    qtest_qmp_assert_success(src, "{ 'execute': 'migrate-set-parameters',"
                             "  'arguments': { 'max-bandwidth': %d,"
                             "                 'downtime-limit': 1 } }",
                             8 * 1024 * 1024);
    qtest_qmp_assert_success(src, "{ 'execute': 'migrate',"
                             "  'arguments': { 'uri': %s } }", uri);
    /* The first pass, card memory included, is over. */
    for (i = 0; i < 3000 && migrate_dirty_syncs(src) < 3; i++) {
        g_usleep(10 * 1000);
    }
    g_assert_cmpint(migrate_dirty_syncs(src), >=, 3);

    desc_write(src, DESC_ADDR, XDMA_DESC_STOPPED, DESC_LEN, src_buf, 0, 0);
    chan_start(src, false, 0, DESC_ADDR, 0, XDMA_STAT_EVENTS);
    for (i = 0; i < 1000; i++) {
        if (chan_read(src, false, 0, XDMA_CHAN_STATUS) ==
            XDMA_STAT_DESC_STOPPED) {
            break;
        }
    }
    g_assert_cmphex(chan_read(src, false, 0, XDMA_CHAN_STATUS), ==,
                    XDMA_STAT_DESC_STOPPED);
    chan_write(src, true, 0, XDMA_CHAN_CONTROL_W1C, XDMA_CTRL_RUN);
    g_assert_true(migrate_wait(src));
    qtest_quit(src);

    dst = assert_loads("card-mem-size=2M", file);
    memset(want, 0xa5, DESC_LEN);
    qtest_memread(dst, CARD_BAR, got, DESC_LEN);
    g_assert_cmpmem(got, DESC_LEN, want, DESC_LEN);
    qtest_quit(dst);
    unlink(file);
    rmdir(dir);
}

/*
 * The reference design's stream block: vmstate_vfpga_ref_stream after its
 * version.  Its registers, open_len, ctrl_latched, the generator's five
 * words, its ready flag, start, beats and timer, then the FIFO's level,
 * its bytes, the number of whole packets and their lengths.
 */
#define ST_PROPS        "dma-channels=2,h2c-stream=1,c2h-stream=1"
#define ST_SUB          "vfpga/ref-stream"
#define ST_REG(r)       ((VFPGA_STREAM_##r - VFPGA_STREAM_CTRL))
#define ST_R_MAX        (ST_REG(GEN_BACKPRESSURE) / 4 + 1)
#define ST_OPEN_LEN     (4 * ST_R_MAX)
#define ST_CTRL_LATCHED (ST_OPEN_LEN + 4)
#define ST_MIG_LEVEL    (ST_OPEN_LEN + 6 * 4 + 1 + 3 * 8)
#define ST_FIFO         (ST_MIG_LEVEL + 4)

/* Change the 32-bit field at @off of the saved stream itself. */
static void stream_set(Stream *st, gsize off, uint32_t val)
{
    stn_be_p(st->data + off, 4, val);
}

/*
 * A stream board whose FIFO holds a packet of 40 bytes and 24 of one
 * still open: H2C 0 gave them, with and without EOP.
 */
static void save_stream_fifo(Stream *st)
{
    QTestState *src = machine_start(ST_PROPS, "");

    desc_write(src, DESC_ADDR, XDMA_DESC_EOP, 40, DATA_ADDR, 0,
               DESC_ADDR + sizeof(struct xdma_desc));
    desc_write(src, DESC_ADDR + sizeof(struct xdma_desc), LAST_FLAGS, 24,
               DATA_ADDR + 40, 0, 0);
    chan_start(src, false, 0, DESC_ADDR, 0, XDMA_STAT_EVENTS);
    g_assert_cmphex(chan_wait_idle(src, false, 0, 0) & XDMA_STAT_ERRORS, ==,
                    0);
    stream_save(st, src);
}

/*
 * What the stream block may not bring: a level its bytes do not have, a
 * FIFO larger than the board's, packets that do not add up to it or of
 * no bytes, more packets than bytes, CTRL bits the block lacks; and no
 * stream channels' state into a board without them.
 */
static void test_ref_stream_fields(void)
{
    gsize f, level_reg, npackets;
    Stream st;
    QTestState *dst;

    save_stream_fifo(&st);
    f = stream_find_sub(&st, ST_SUB);
    level_reg = f + ST_REG(FIFO_LEVEL);
    g_assert_cmpuint(stream_get32(&st, level_reg), ==, 64);
    g_assert_cmpuint(stream_get32(&st, f + ST_OPEN_LEN), ==, 24);
    g_assert_cmpuint(stream_get32(&st, f + ST_MIG_LEVEL), ==, 64);
    npackets = f + ST_FIFO + 64;
    g_assert_cmpuint(stream_get32(&st, npackets), ==, 1);
    g_assert_cmpuint(stream_get32(&st, npackets + 4), ==, 40);
    dst = assert_loads(ST_PROPS, st.file);
    g_assert_cmpuint(board_user_read(dst, VFPGA_STREAM_FIFO_LEVEL), ==, 64);
    qtest_quit(dst);

    stream_patch(&st, f + ST_MIG_LEVEL, 65, 4);
    assert_refused(ST_PROPS, st.patched);
    /* 4 GiB in both: refused before the load allocates it. */
    stream_set(&st, level_reg, UINT32_MAX);
    stream_patch(&st, f + ST_MIG_LEVEL, UINT32_MAX, 4);
    assert_refused(ST_PROPS, st.patched);
    stream_set(&st, level_reg, 64);
    stream_patch(&st, f + ST_OPEN_LEN, 25, 4);
    assert_refused(ST_PROPS, st.patched);
    /* The bytes all in the open packet, and a whole one of none. */
    stream_set(&st, f + ST_OPEN_LEN, 64);
    stream_patch(&st, npackets + 4, 0, 4);
    assert_refused(ST_PROPS, st.patched);
    stream_set(&st, f + ST_OPEN_LEN, 24);
    stream_patch(&st, npackets, UINT32_MAX, 4);
    assert_refused(ST_PROPS, st.patched);
    stream_patch(&st, f + ST_REG(CTRL), 0x80, 4);
    assert_refused(ST_PROPS, st.patched);
    stream_patch(&st, f + ST_CTRL_LATCHED, VFPGA_STREAM_CTRL_HOLD, 4);
    assert_refused(ST_PROPS, st.patched);
    stream_patch(&st, f + ST_REG(FIFO_LIMIT), 0, 4);
    assert_refused(ST_PROPS, st.patched);
    assert_refused("dma-channels=2", st.file);
    assert_refused("dma-channels=2,h2c-stream=1", st.file);
    stream_free(&st);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    qtest_add_func("/vfpga/migration-stream/desc-card-offset",
                   test_desc_card_offset);
    qtest_add_func("/vfpga/migration-stream/desc-done-past-len",
                   test_desc_done_past_len);
    qtest_add_func("/vfpga/migration-stream/channel-beyond-dma-channels",
                   test_channel_beyond_dma_channels);
    qtest_add_func("/vfpga/migration-stream/config-version-1",
                   test_config_version_1);
    qtest_add_func("/vfpga/migration-stream/irqgen-line", test_irqgen_line);
    qtest_add_func("/vfpga/migration-stream/irqgen-rate-zero",
                   test_irqgen_rate_zero);
    qtest_add_func("/vfpga/migration-stream/irqgen-pingpong-continues",
                   test_irqgen_pingpong_continues);
    qtest_add_func("/vfpga/migration-stream/h2c-card-dirty",
                   test_h2c_card_dirty);
    qtest_add_func("/vfpga/migration-stream/ref-stream-fields",
                   test_ref_stream_fields);
    return g_test_run();
}
