// SPDX-License-Identifier: MIT
/*
 * The RTL bridge on the host, no QEMU: the plug-ins vfpga-rtl.mk built
 * from the sample (rtl/sample/) and from a misbehaving design
 * (rtl_misbehave.sv) are loaded with dlopen() as the board loads them,
 * behind a host of this file's own (device time, timers, interrupt lines,
 * the log), and driven through their AXI-Lite calls.  TAP output.
 *   rtl_bridge_test [SAMPLE.so MISBEHAVE.so]
 * (the build's own by default: RTL_SAMPLE_SO, RTL_MISBEHAVE_SO).
 */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfpga_regs.h"
#include "vfpga_user_logic.h"

#define SAMPLE_USR_IRQ_ACKS	0x200

struct vfpga_ul_timer {
	void (*fn)(void *opaque);
	void *opaque;
	bool armed;
	uint64_t when;
};

struct vfpga_ul_host {
	const struct vfpga_user_logic *ul;
	void *inst;
	uint64_t now;
	uint32_t levels;
	unsigned int rises[VFPGA_USER_IRQ_LINES];
	bool auto_ack;		/* ack a rising edge at once, as MSI-X does */
	struct vfpga_ul_timer timers[4];
	unsigned int ntimers;
	char log[16][256];
	unsigned int nlog;
};

static void h_irq(struct vfpga_ul_host *h, unsigned int line, bool level)
{
	uint32_t bit = 1u << line;

	if (line >= VFPGA_USER_IRQ_LINES)
		return;
	if (level && !(h->levels & bit)) {
		h->rises[line]++;
		h->levels |= bit;
		if (h->auto_ack && h->ul->usr_irq_ack)
			h->ul->usr_irq_ack(h->inst, line);
	} else if (!level) {
		h->levels &= ~bit;
	}
}

static uint64_t h_time(struct vfpga_ul_host *h)
{
	return h->now;
}

static struct vfpga_ul_timer *h_timer_new(struct vfpga_ul_host *h,
					  void (*fn)(void *), void *opaque)
{
	struct vfpga_ul_timer *t;

	if (h->ntimers == 4)
		return NULL;
	t = &h->timers[h->ntimers++];
	t->fn = fn;
	t->opaque = opaque;
	return t;
}

static void h_timer_arm(struct vfpga_ul_timer *t, uint64_t when)
{
	t->armed = true;
	t->when = when;
}

static void h_timer_cancel(struct vfpga_ul_timer *t)
{
	t->armed = false;
}

static void h_timer_free(struct vfpga_ul_timer *t)
{
	t->armed = false;
}

static enum vfpga_axi_resp h_card_read(struct vfpga_ul_host *h,
				       uint64_t addr, void *buf, size_t len)
{
	return VFPGA_AXI_DECERR;
}

static enum vfpga_axi_resp h_card_write(struct vfpga_ul_host *h,
					uint64_t addr, const void *buf,
					size_t len)
{
	return VFPGA_AXI_DECERR;
}

static void h_log(struct vfpga_ul_host *h, const char *msg)
{
	snprintf(h->log[h->nlog % 16], sizeof(h->log[0]), "%s", msg);
	h->nlog++;
}

static const struct vfpga_ul_host_ops host_ops = {
	.abi_version = VFPGA_UL_ABI_VERSION,
	.usr_irq_req = h_irq,
	.time_ns = h_time,
	.timer_new = h_timer_new,
	.timer_arm = h_timer_arm,
	.timer_cancel = h_timer_cancel,
	.timer_free = h_timer_free,
	.card_read = h_card_read,
	.card_write = h_card_write,
	.log = h_log,
};

/* The main loop: timers that are due run. */
static void h_run_timers(struct vfpga_ul_host *h)
{
	unsigned int i;

	for (i = 0; i < h->ntimers; i++) {
		if (h->timers[i].armed && h->timers[i].when <= h->now) {
			h->timers[i].armed = false;
			h->timers[i].fn(h->timers[i].opaque);
		}
	}
}

static const char *last_log(struct vfpga_ul_host *h)
{
	return h->nlog ? h->log[(h->nlog - 1) % 16] : "";
}

static const struct vfpga_user_logic *load(const char *path)
{
	void *so = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	vfpga_user_logic_entry_fn entry;

	if (!so) {
		fprintf(stderr, "rtl_bridge_test: %s\n", dlerror());
		exit(1);
	}
	entry = (vfpga_user_logic_entry_fn)dlsym(so, VFPGA_UL_ENTRY);
	if (!entry) {
		fprintf(stderr, "rtl_bridge_test: %s has no entry\n", path);
		exit(1);
	}
	return entry();
}

static struct vfpga_ul_host *start(const struct vfpga_user_logic *ul,
				   const char *args, char *err, size_t len)
{
	struct vfpga_ul_host *h = calloc(1, sizeof(*h));
	struct vfpga_ul_board board = {
		.user_bar_size = VFPGA_BAR_USER_SIZE,
		.card_size = 0,
		.irq_lines = VFPGA_USER_IRQ_LINES,
		.args = args,
	};

	if (!h)
		exit(1);
	h->ul = ul;
	h->auto_ack = true;
	h->inst = ul->create(h, &host_ops, &board, err, len);
	if (!h->inst) {
		free(h);
		return NULL;
	}
	return h;
}

static void stop(struct vfpga_ul_host *h)
{
	if (h) {
		h->ul->destroy(h->inst);
		free(h);
	}
}

static int tap_n, tap_failed;

static void check(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%sok %d %s\n", ok ? "" : "not ", tap_n, name);
	if (!ok) {
		tap_failed = 1;
		printf("# ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
}

static uint32_t rd(struct vfpga_ul_host *h, uint32_t addr,
		   enum vfpga_axi_resp *resp)
{
	uint32_t v = 0;
	enum vfpga_axi_resp r = h->ul->axil_read(h->inst, addr, &v);

	if (resp)
		*resp = r;
	return v;
}

static enum vfpga_axi_resp wr(struct vfpga_ul_host *h, uint32_t addr,
			      uint32_t v)
{
	return h->ul->axil_write(h->inst, addr, v);
}

static void test_sample(const struct vfpga_user_logic *ul)
{
	struct vfpga_ul_host *h;
	enum vfpga_axi_resp r1, r2;
	char err[256] = "";
	uint32_t v;
	int i;

	check(ul->abi_version == VFPGA_UL_ABI_VERSION &&
	      !strcmp(ul->name, "vfpga_rtl_sample") && !ul->mm_read &&
	      ul->usr_irq_ack, "sample_plugin_shape",
	      "abi %#x name %s", ul->abi_version, ul->name);
	h = start(ul, "", err, sizeof(err));
	if (!h) {
		check(false, "sample_creates", "%s", err);
		return;
	}
	check(rd(h, VFPGA_USER_ID, &r1) == VFPGA_ID_MAGIC && r1 == VFPGA_AXI_OKAY &&
	      rd(h, VFPGA_USER_VERSION, NULL) == VFPGA_VERSION_CURRENT &&
	      rd(h, VFPGA_USER_CAPS, NULL) == (VFPGA_CAP_IRQGEN | VFPGA_CAP_DMA),
	      "sample_id_version_caps", "id %#x", rd(h, 0, NULL));

	r1 = wr(h, VFPGA_USER_SCRATCH, 0xdeadbeef);
	v = rd(h, VFPGA_USER_SCRATCH, &r2);
	check(r1 == VFPGA_AXI_OKAY && r2 == VFPGA_AXI_OKAY && v == 0xdeadbeef,
	      "sample_scratch_round_trip", "%#x (%d %d)", v, r1, r2);
	check(rd(h, 0x0ffc, &r1) == 0 && r1 == VFPGA_AXI_OKAY &&
	      wr(h, VFPGA_USER_ID, 0) == VFPGA_AXI_OKAY &&
	      rd(h, VFPGA_USER_ID, NULL) == VFPGA_ID_MAGIC,
	      "sample_unmapped_and_read_only", "");

	/* Ping-pong on line 5: each ack drops the line, the next rises. */
	wr(h, VFPGA_IRQGEN_LINE, 5);
	wr(h, VFPGA_IRQGEN_COUNT, 3);
	wr(h, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
	check(h->levels == 1u << 5 && h->rises[5] == 1 &&
	      rd(h, VFPGA_IRQGEN_RAISED, NULL) == 1 &&
	      rd(h, VFPGA_IRQGEN_STATUS, NULL) ==
	      (VFPGA_IRQGEN_STATUS_BUSY | VFPGA_IRQGEN_STATUS_PENDING),
	      "pingpong_start_raises", "levels %#x rises %u",
	      h->levels, h->rises[5]);
	for (i = 0; i < 3; i++)
		wr(h, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
	check(h->levels == 0 && h->rises[5] == 3 &&
	      rd(h, VFPGA_IRQGEN_RAISED, NULL) == 3 &&
	      rd(h, VFPGA_IRQGEN_ACKED, NULL) == 3 &&
	      rd(h, VFPGA_IRQGEN_STATUS, NULL) == 0,
	      "pingpong_three_acked", "levels %#x rises %u raised %u acked %u",
	      h->levels, h->rises[5], rd(h, VFPGA_IRQGEN_RAISED, NULL),
	      rd(h, VFPGA_IRQGEN_ACKED, NULL));
	check(rd(h, SAMPLE_USR_IRQ_ACKS, NULL) == 3,
	      "usr_irq_ack_reaches_design", "%u acks",
	      rd(h, SAMPLE_USR_IRQ_ACKS, NULL));
	wr(h, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
	check(rd(h, VFPGA_IRQGEN_ACKED, NULL) == 3 && h->levels == 0,
	      "ack_with_nothing_pending_ignored", "");

	/* An ack from the main loop, between accesses, comes by the timer. */
	h->auto_ack = false;
	wr(h, VFPGA_IRQGEN_LINE, 0);
	wr(h, VFPGA_IRQGEN_COUNT, 1);
	wr(h, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
	ul->usr_irq_ack(h->inst, 0);
	check(h->timers[0].armed, "late_ack_arms_timer", "");
	h->now += 1000;
	h_run_timers(h);
	check(rd(h, SAMPLE_USR_IRQ_ACKS, NULL) == 4, "late_ack_delivered",
	      "%u acks", rd(h, SAMPLE_USR_IRQ_ACKS, NULL));
	h->auto_ack = true;
	wr(h, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_STOP);
	check(h->levels == 0 && rd(h, VFPGA_IRQGEN_STATUS, NULL) == 0,
	      "stop_drops_line", "levels %#x", h->levels);

	/* ROTATE: raise n on (LINE + n) % 16. */
	memset(h->rises, 0, sizeof(h->rises));
	wr(h, VFPGA_IRQGEN_MODE, VFPGA_IRQGEN_MODE_ROTATE);
	wr(h, VFPGA_IRQGEN_LINE, 15);
	wr(h, VFPGA_IRQGEN_COUNT, 2);
	wr(h, VFPGA_IRQGEN_CTRL, VFPGA_IRQGEN_CTRL_START);
	wr(h, VFPGA_IRQGEN_ACK, VFPGA_IRQGEN_ACK_BIT);
	check(h->rises[15] == 1 && h->rises[0] == 1 && h->levels == 1,
	      "rotate_moves_line", "rises 15:%u 0:%u levels %#x",
	      h->rises[15], h->rises[0], h->levels);
	check(wr(h, VFPGA_IRQGEN_LINE, 16) == VFPGA_AXI_OKAY &&
	      rd(h, VFPGA_IRQGEN_LINE, NULL) == 0, "line_out_of_range_ignored",
	      "line %u", rd(h, VFPGA_IRQGEN_LINE, NULL));

	/* axi_aresetn: the host drops the lines, the design its state. */
	h->levels = 0;
	ul->reset(h->inst);
	check(h->levels == 0 && rd(h, VFPGA_USER_SCRATCH, NULL) == 0 &&
	      rd(h, VFPGA_IRQGEN_STATUS, NULL) == 0 &&
	      rd(h, VFPGA_IRQGEN_RAISED, NULL) == 0 &&
	      rd(h, VFPGA_IRQGEN_MODE, NULL) == 0, "reset_clears_design",
	      "levels %#x", h->levels);
	check(h->nlog == 0, "sample_logs_nothing", "%s", last_log(h));
	stop(h);

	check(!start(ul, "freq=0", err, sizeof(err)) &&
	      strstr(err, "bad argument 'freq=0'"), "bad_freq_refused", "%s",
	      err);
	check(!start(ul, "speed=3", err, sizeof(err)) &&
	      strstr(err, "bad argument 'speed=3'"), "unknown_arg_refused",
	      "%s", err);
	check(!start(ul, "trace=/tmp/x.fst", err, sizeof(err)) &&
	      strstr(err, "RTL_TRACE=1"), "trace_needs_trace_build", "%s", err);
	h = start(ul, "freq=100000000,timeout=50,settle=4", err, sizeof(err));
	check(h && rd(h, VFPGA_USER_ID, NULL) == VFPGA_ID_MAGIC,
	      "good_args_taken", "%s", err);
	stop(h);
}

/* The misbehaving design's answers, one log line each: the last one. */
static void misbehave_run(struct vfpga_ul_host *h, char out[8][256])
{
	uint32_t v;

	h->ul->axil_read(h->inst, 0x20, &v);
	snprintf(out[0], 256, "%s", last_log(h));
	h->ul->axil_write(h->inst, 0x20, 1);
	snprintf(out[1], 256, "%s", last_log(h));
	h->ul->axil_read(h->inst, 0x24, &v);
	snprintf(out[2], 256, "%s", last_log(h));
	h->ul->axil_write(h->inst, 0x24, 1);
	snprintf(out[3], 256, "%s", last_log(h));
	h->ul->axil_read(h->inst, 0x18, &v);
	snprintf(out[4], 256, "%s", last_log(h));
}

static void test_misbehave(const struct vfpga_user_logic *ul)
{
	char err[256] = "", a[8][256], b[8][256];
	struct vfpga_ul_host *h, *h2;
	enum vfpga_axi_resp r;
	uint32_t v;
	int i;

	h = start(ul, "", err, sizeof(err));
	if (!h) {
		check(false, "misbehave_creates", "%s", err);
		return;
	}
	check(rd(h, 0x00, &r) == 0x600dcafe && r == VFPGA_AXI_OKAY,
	      "okay_read", "");
	check(wr(h, 0x04, 0x12345678) == VFPGA_AXI_OKAY &&
	      rd(h, 0x04, NULL) == 0x12345678, "okay_write", "");
	check(wr(h, 0x10, 1) == VFPGA_AXI_SLVERR &&
	      h->ul->axil_read(h->inst, 0x10, &v) == VFPGA_AXI_SLVERR,
	      "slverr_mapped", "");
	check(wr(h, 0x14, 1) == VFPGA_AXI_DECERR &&
	      h->ul->axil_read(h->inst, 0x14, &v) == VFPGA_AXI_DECERR,
	      "decerr_mapped", "");
	check(h->nlog == 0, "errors_answered_log_nothing", "%s", last_log(h));
	check(h->ul->axil_read(h->inst, 0x18, &v) == VFPGA_AXI_SLVERR &&
	      strstr(last_log(h), "RRESP EXOKAY"), "exokay_is_slverr",
	      "%s", last_log(h));
	printf("# %s\n", last_log(h));

	r = h->ul->axil_read(h->inst, 0x20, &v);
	check(r == VFPGA_AXI_SLVERR && v == 0xffffffff &&
	      strstr(last_log(h), "m_axil read 0x00000020: no ARREADY within 1000 cycles"),
	      "read_no_arready_times_out", "%d %s", r, last_log(h));
	printf("# %s\n", last_log(h));
	check(wr(h, 0x20, 1) == VFPGA_AXI_SLVERR &&
	      strstr(last_log(h), "m_axil write 0x00000020: no AWREADY within 1000 cycles"),
	      "write_no_awready_times_out", "%s", last_log(h));
	printf("# %s\n", last_log(h));
	check(h->ul->axil_read(h->inst, 0x24, &v) == VFPGA_AXI_SLVERR &&
	      strstr(last_log(h), "no RVALID within"),
	      "read_no_rvalid_times_out", "%s", last_log(h));
	printf("# %s\n", last_log(h));
	check(wr(h, 0x24, 1) == VFPGA_AXI_SLVERR &&
	      strstr(last_log(h), "no BVALID within"),
	      "write_no_bvalid_times_out", "%s", last_log(h));
	printf("# %s\n", last_log(h));
	check(rd(h, 0x00, &r) == 0x600dcafe && r == VFPGA_AXI_OKAY,
	      "usable_after_timeouts", "");
	i = h->nlog;
	check(h->ul->axil_read(h->inst, 0x28, &v) == VFPGA_AXI_OKAY &&
	      wr(h, 0x28, 1) == VFPGA_AXI_OKAY && h->nlog == (unsigned int)i,
	      "slow_answer_within_timeout", "%s", last_log(h));
	check(h->levels == 0 && h->ul->usr_irq_ack &&
	      (h->ul->usr_irq_ack(h->inst, 0), !h->timers[0].armed),
	      "no_irq_ports_unconnected", "");
	stop(h);

	h = start(ul, "timeout=100", err, sizeof(err));
	check(h && h->ul->axil_read(h->inst, 0x28, &v) == VFPGA_AXI_SLVERR &&
	      strstr(last_log(h), "no RVALID within 100 cycles"),
	      "timeout_arg_bounds_wait", "%s", h ? last_log(h) : err);
	stop(h);

	/* Deterministic: the same accesses, the same cycles in the log. */
	h = start(ul, "", err, sizeof(err));
	h2 = start(ul, "", err, sizeof(err));
	misbehave_run(h, a);
	misbehave_run(h2, b);
	for (i = 0; i < 5 && !strcmp(a[i], b[i]); i++)
		;
	check(i == 5 && strstr(a[4], "at cycle"),
	      "same_accesses_same_cycles", "%s | %s", a[3], b[3]);
	stop(h);
	stop(h2);
}

int main(int argc, char **argv)
{
	const char *sample = argc > 1 ? argv[1] : RTL_SAMPLE_SO;
	const char *misbehave = argc > 2 ? argv[2] : RTL_MISBEHAVE_SO;

	printf("TAP version 13\n");
	test_sample(load(sample));
	test_misbehave(load(misbehave));
	printf("1..%d\n", tap_n);
	return tap_failed;
}
