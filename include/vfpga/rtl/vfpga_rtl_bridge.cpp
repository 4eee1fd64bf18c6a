// SPDX-License-Identifier: MIT
/*
 * The RTL bridge: a user-logic plug-in (vfpga_user_logic.h) around a
 * Verilator model of the team's top, whose ports carry the XDMA IP's
 * user-side names (PG195).  include/vfpga/vfpga-rtl.mk builds it with the
 * model; docs/rtl.md describes what it does.
 *
 *   axi_aclk, axi_aresetn      the bridge's clock and reset (reset())
 *   m_axil_*                   AXI4-Lite master: axil_read() / axil_write()
 *   usr_irq_req / usr_irq_ack  host->usr_irq_req() / usr_irq_ack()
 *
 * The build passes -include vfpga_rtl_ports.h, generated from the
 * model's header: VFPGA_RTL_HAS_<port> for each port the design has and
 * VFPGA_RTL_BITS_<port> for its width.  An interface the design lacks is
 * left unconnected: without m_axil_* every BAR access answers DECERR.
 *
 * The clock runs on demand.  An access runs the cycles its handshakes
 * take, then the cycles the design needs to settle: until usr_irq_req
 * has not changed and no usr_irq_ack was due for `settle` cycles in a
 * row.  Between accesses the clock is stopped, so the same accesses give
 * the same cycle counts whatever the host's speed.  No handshake waits
 * more than `timeout` cycles: the access then answers SLVERR and the log
 * names the interface, the missing signal and the cycle.
 *
 * user-logic-args, comma-separated (all optional):
 *   freq=HZ        axi_aclk frequency (default 250000000): the cycles'
 *                  device time, in the log lines and the waveform
 *   timeout=N      cycles a handshake may take (default 1000)
 *   settle=N       quiet cycles that end an access (default 8)
 *   trace=PATH     write an FST waveform (needs a build with RTL_TRACE=1)
 */
#include <cerrno>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "verilated.h"
#if VFPGA_RTL_TRACE
#include "verilated_fst_c.h"
#endif
#include "Vrtl_top.h"
#include "vfpga_user_logic.h"

#ifndef VFPGA_RTL_NAME
#define VFPGA_RTL_NAME "rtl"
#endif

#ifndef VFPGA_RTL_HAS_axi_aclk
#error "the RTL top has no axi_aclk input (PG195's user clock)"
#endif

/* AXI4-Lite: all of it or none of it (the protection bits and WSTRB aside). */
#ifdef VFPGA_RTL_HAS_m_axil_awvalid
#define RTL_AXIL 1
#if !defined(VFPGA_RTL_HAS_m_axil_awaddr) || \
	!defined(VFPGA_RTL_HAS_m_axil_awready) || \
	!defined(VFPGA_RTL_HAS_m_axil_wdata) || \
	!defined(VFPGA_RTL_HAS_m_axil_wvalid) || \
	!defined(VFPGA_RTL_HAS_m_axil_wready) || \
	!defined(VFPGA_RTL_HAS_m_axil_bvalid) || \
	!defined(VFPGA_RTL_HAS_m_axil_bresp) || \
	!defined(VFPGA_RTL_HAS_m_axil_bready) || \
	!defined(VFPGA_RTL_HAS_m_axil_araddr) || \
	!defined(VFPGA_RTL_HAS_m_axil_arvalid) || \
	!defined(VFPGA_RTL_HAS_m_axil_arready) || \
	!defined(VFPGA_RTL_HAS_m_axil_rdata) || \
	!defined(VFPGA_RTL_HAS_m_axil_rresp) || \
	!defined(VFPGA_RTL_HAS_m_axil_rvalid) || \
	!defined(VFPGA_RTL_HAS_m_axil_rready)
#error "the RTL top has m_axil_awvalid but not every AXI4-Lite port: aw{addr,valid,ready} w{data,valid,ready} b{valid,resp,ready} ar{addr,valid,ready} r{data,resp,valid,ready}"
#endif
#if VFPGA_RTL_BITS_m_axil_wdata != 32 || VFPGA_RTL_BITS_m_axil_rdata != 32
#error "m_axil_wdata and m_axil_rdata must be 32 bits wide (PG195's AXI4-Lite master)"
#endif
#else
#define RTL_AXIL 0
#endif

#ifdef VFPGA_RTL_HAS_usr_irq_req
#define RTL_IRQS VFPGA_RTL_BITS_usr_irq_req
#if RTL_IRQS > 16
#error "usr_irq_req is wider than the XDMA IP's 16 user interrupt lines"
#endif
#ifdef VFPGA_RTL_HAS_usr_irq_ack
#if VFPGA_RTL_BITS_usr_irq_ack != RTL_IRQS
#error "usr_irq_ack must be as wide as usr_irq_req"
#endif
#endif
#else
#define RTL_IRQS 0
#endif

namespace {

struct Rtl {
	struct vfpga_ul_host *host;
	const struct vfpga_ul_host_ops *ops;
	unsigned int irq_lines;
	VerilatedContext *ctx;
	Vrtl_top *top;
#if VFPGA_RTL_TRACE
	VerilatedFstC *fst;
#endif
	struct vfpga_ul_timer *timer;
	uint64_t freq_hz;
	uint64_t timeout;
	uint64_t settle;
	uint64_t cycle;		/* rising edges since create() */
	uint32_t irq_level;	/* usr_irq_req as last told to the host */
	uint32_t ack_due;	/* usr_irq_ack pulses for the next cycle */
	bool in_sim;
};

void rtl_log(Rtl *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void rtl_log(Rtl *r, const char *fmt, ...)
{
	char msg[256];
	int n;
	va_list ap;

	n = snprintf(msg, sizeof(msg), "rtl %s: ", VFPGA_RTL_NAME);
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	va_end(ap);
	r->ops->log(r->host, msg);
}

/* Device time of a cycle, in ns, for the log lines. */
uint64_t rtl_cycle_ns(const Rtl *r, uint64_t cycle)
{
	return (uint64_t)((unsigned __int128)cycle * 1000000000u / r->freq_hz);
}

#if VFPGA_RTL_TRACE
void rtl_dump(Rtl *r, unsigned int half)
{
	if (r->fst) {
		uint64_t ps = (uint64_t)((unsigned __int128)(2 * r->cycle + half) *
					 500000000000ull / r->freq_hz);
		r->fst->dump(ps);
	}
}
#else
void rtl_dump(Rtl *, unsigned int)
{
}
#endif

/* The clock's low half: inputs applied, combinational outputs settled. */
void rtl_low(Rtl *r)
{
#if RTL_IRQS && defined(VFPGA_RTL_HAS_usr_irq_ack)
	r->top->usr_irq_ack = r->ack_due;
#endif
	r->ack_due = 0;
	r->top->axi_aclk = 0;
	r->top->eval();
	rtl_dump(r, 0);
}

/* The rising edge; then usr_irq_req goes to the host if it changed. */
void rtl_high(Rtl *r)
{
	r->top->axi_aclk = 1;
	r->top->eval();
	rtl_dump(r, 1);
	r->cycle++;
#if RTL_IRQS
#ifdef VFPGA_RTL_HAS_usr_irq_ack
	r->top->usr_irq_ack = 0;
#endif
	uint32_t req = r->top->usr_irq_req, changed = req ^ r->irq_level;

	r->irq_level = req;
	for (unsigned int line = 0; changed; line++, changed >>= 1) {
		if (changed & 1)
			r->ops->usr_irq_req(r->host, line, (req >> line) & 1);
	}
#endif
}

void rtl_tick(Rtl *r)
{
	rtl_low(r);
	rtl_high(r);
}

/*
 * Run until the design is quiet: `settle` cycles in a row with no change
 * of usr_irq_req and no acknowledge to deliver, at most `timeout` cycles.
 */
void rtl_settle(Rtl *r)
{
	uint64_t start = r->cycle, quiet = 0;

	while (quiet < r->settle && r->cycle - start < r->timeout) {
		uint32_t before = r->irq_level;
		bool ack = r->ack_due != 0;

		rtl_tick(r);
		quiet = (ack || r->irq_level != before) ? 0 : quiet + 1;
	}
}

void rtl_reset(Rtl *r)
{
	r->ack_due = 0;
#ifdef VFPGA_RTL_HAS_axi_aresetn
	r->top->axi_aresetn = 0;
	for (int i = 0; i < 16; i++)
		rtl_tick(r);
	r->top->axi_aresetn = 1;
#endif
	rtl_settle(r);
}

bool rtl_parse_u64(const char *v, uint64_t *out)
{
	char *end;

	errno = 0;
	unsigned long long n = strtoull(v, &end, 0);
	if (errno || end == v || *end || *v == '-')
		return false;
	*out = n;
	return true;
}

/* user-logic-args: key=value[,key=value...]; false with a sentence. */
bool rtl_parse_args(Rtl *r, const char *args, std::string *trace,
		    char *err, size_t err_len)
{
	std::string all(args ? args : "");
	size_t pos = 0;

	while (pos < all.size()) {
		size_t comma = all.find(',', pos);
		std::string item = all.substr(pos, comma == std::string::npos ?
					      std::string::npos : comma - pos);
		size_t eq = item.find('=');
		std::string key = item.substr(0, eq);
		std::string val = eq == std::string::npos ? "" :
				  item.substr(eq + 1);
		uint64_t n = 0;

		pos = comma == std::string::npos ? all.size() : comma + 1;
		if (item.empty())
			continue;
		if (key == "trace" && !val.empty()) {
			*trace = val;
			continue;
		}
		if ((key == "freq" || key == "timeout" || key == "settle") &&
		    rtl_parse_u64(val.c_str(), &n) && n) {
			if (key == "freq" && n <= 4000000000ull)
				r->freq_hz = n;
			else if (key == "timeout" && n <= 1000000000ull)
				r->timeout = n;
			else if (key == "settle" && n <= 1000000ull)
				r->settle = n;
			else
				goto bad;
			continue;
		}
bad:
		snprintf(err, err_len, "bad argument '%s' (takes freq=1..4000000000, timeout=1..1000000000, settle=1..1000000, trace=PATH)",
			 item.c_str());
		return false;
	}
	return true;
}

void rtl_timer(void *opaque)
{
	Rtl *r = static_cast<Rtl *>(opaque);

	if (r->in_sim)
		return;
	r->in_sim = true;
	rtl_settle(r);
	r->in_sim = false;
}

void rtl_destroy(void *ul);

void *rtl_create(struct vfpga_ul_host *host,
		 const struct vfpga_ul_host_ops *ops,
		 const struct vfpga_ul_board *board, char *err, size_t err_len)
{
	std::string trace;
	Rtl *r = new (std::nothrow) Rtl();

	if (!r) {
		snprintf(err, err_len, "out of memory");
		return nullptr;
	}
	r->host = host;
	r->ops = ops;
	r->irq_lines = board->irq_lines;
	r->freq_hz = 250000000;
	r->timeout = 1000;
	r->settle = 8;
	if (!rtl_parse_args(r, board->args, &trace, err, err_len)) {
		delete r;
		return nullptr;
	}
#if !VFPGA_RTL_TRACE
	if (!trace.empty()) {
		snprintf(err, err_len, "trace=%s needs a bridge built with RTL_TRACE=1 (make RTL_TRACE=1)",
			 trace.c_str());
		delete r;
		return nullptr;
	}
#endif
	if (RTL_IRQS > board->irq_lines) {
		snprintf(err, err_len, "usr_irq_req has %d lines but the board has %u",
			 RTL_IRQS, board->irq_lines);
		delete r;
		return nullptr;
	}
	r->ctx = new VerilatedContext;
	r->ctx->fatalOnError(false);
#if VFPGA_RTL_TRACE
	if (!trace.empty())
		r->ctx->traceEverOn(true);
#endif
	r->top = new Vrtl_top{r->ctx, "top"};
#if VFPGA_RTL_TRACE
	if (!trace.empty()) {
		r->fst = new VerilatedFstC;
		r->top->trace(r->fst, 99);
		r->fst->open(trace.c_str());
		if (!r->fst->isOpen()) {
			snprintf(err, err_len, "cannot write the waveform %s",
				 trace.c_str());
			rtl_destroy(r);
			return nullptr;
		}
	}
#endif
	r->timer = ops->timer_new(host, rtl_timer, r);
	r->in_sim = true;
	rtl_reset(r);
	r->in_sim = false;
	return r;
}

void rtl_destroy(void *ul)
{
	Rtl *r = static_cast<Rtl *>(ul);

	if (r->timer)
		r->ops->timer_free(r->timer);
	r->top->final();
#if VFPGA_RTL_TRACE
	if (r->fst) {
		r->fst->close();
		delete r->fst;
	}
#endif
	delete r->top;
	delete r->ctx;
	delete r;
}

void rtl_ul_reset(void *ul)
{
	Rtl *r = static_cast<Rtl *>(ul);

	r->ops->timer_cancel(r->timer);
	/* The host has dropped every line. */
	r->irq_level = 0;
	r->in_sim = true;
	rtl_reset(r);
	r->in_sim = false;
}

enum vfpga_axi_resp rtl_resp(Rtl *r, const char *what, uint32_t addr,
			     unsigned int resp)
{
	switch (resp) {
	case 0:
		return VFPGA_AXI_OKAY;
	case 2:
		return VFPGA_AXI_SLVERR;
	case 3:
		return VFPGA_AXI_DECERR;
	default:
		rtl_log(r, "m_axil %s 0x%08" PRIx32 ": %s EXOKAY, which AXI4-Lite has not, at cycle %" PRIu64 ": SLVERR",
			what, addr, what[0] == 'r' ? "RRESP" : "BRESP",
			r->cycle);
		return VFPGA_AXI_SLVERR;
	}
}

bool rtl_enter(Rtl *r, const char *what, uint32_t addr)
{
	if (r->in_sim) {
		rtl_log(r, "m_axil %s 0x%08" PRIx32 " while the design is being clocked: SLVERR",
			what, addr);
		return false;
	}
	r->in_sim = true;
	return true;
}

#if RTL_AXIL
enum vfpga_axi_resp rtl_axil_read(void *ul, uint32_t addr, uint32_t *data)
{
	Rtl *r = static_cast<Rtl *>(ul);
	Vrtl_top *t = r->top;
	uint64_t start = r->cycle;
	bool ar = false, done = false;
	unsigned int resp = 0;

	*data = 0xffffffffu;
	if (!rtl_enter(r, "read", addr))
		return VFPGA_AXI_SLVERR;
	t->m_axil_araddr = addr;
#ifdef VFPGA_RTL_HAS_m_axil_arprot
	t->m_axil_arprot = 0;
#endif
	t->m_axil_arvalid = 1;
	t->m_axil_rready = 1;
	while (r->cycle - start < r->timeout) {
		rtl_low(r);
		bool ar_hs = t->m_axil_arvalid && t->m_axil_arready;
		bool r_hs = t->m_axil_rvalid;
		uint32_t rdata = t->m_axil_rdata;

		resp = t->m_axil_rresp;
		rtl_high(r);
		if (ar_hs) {
			ar = true;
			t->m_axil_arvalid = 0;
		}
		if (r_hs) {
			if (!ar && !ar_hs)
				rtl_log(r, "m_axil read 0x%08" PRIx32 ": RVALID before the ARVALID/ARREADY handshake, at cycle %" PRIu64,
					addr, r->cycle);
			*data = rdata;
			done = true;
			break;
		}
	}
	t->m_axil_arvalid = 0;
	t->m_axil_rready = 0;
	if (!done) {
		rtl_log(r, "m_axil read 0x%08" PRIx32 ": no %s within %" PRIu64 " cycles, at cycle %" PRIu64 " (%" PRIu64 " ns): SLVERR",
			addr, ar ? "RVALID" : "ARREADY", r->timeout, r->cycle,
			rtl_cycle_ns(r, r->cycle));
		rtl_settle(r);
		r->in_sim = false;
		return VFPGA_AXI_SLVERR;
	}
	rtl_settle(r);
	r->in_sim = false;
	return rtl_resp(r, "read", addr, resp);
}

enum vfpga_axi_resp rtl_axil_write(void *ul, uint32_t addr, uint32_t data)
{
	Rtl *r = static_cast<Rtl *>(ul);
	Vrtl_top *t = r->top;
	uint64_t start = r->cycle;
	bool aw = false, w = false, done = false;
	unsigned int resp = 0;

	if (!rtl_enter(r, "write", addr))
		return VFPGA_AXI_SLVERR;
	t->m_axil_awaddr = addr;
#ifdef VFPGA_RTL_HAS_m_axil_awprot
	t->m_axil_awprot = 0;
#endif
	t->m_axil_awvalid = 1;
	t->m_axil_wdata = data;
#ifdef VFPGA_RTL_HAS_m_axil_wstrb
	t->m_axil_wstrb = 0xf;
#endif
	t->m_axil_wvalid = 1;
	t->m_axil_bready = 1;
	while (r->cycle - start < r->timeout) {
		rtl_low(r);
		bool aw_hs = t->m_axil_awvalid && t->m_axil_awready;
		bool w_hs = t->m_axil_wvalid && t->m_axil_wready;
		bool b_hs = t->m_axil_bvalid;

		resp = t->m_axil_bresp;
		rtl_high(r);
		if (aw_hs) {
			aw = true;
			t->m_axil_awvalid = 0;
		}
		if (w_hs) {
			w = true;
			t->m_axil_wvalid = 0;
		}
		if (b_hs) {
			if (!aw || !w)
				rtl_log(r, "m_axil write 0x%08" PRIx32 ": BVALID before the %s handshake, at cycle %" PRIu64,
					addr, !aw ? "AWVALID/AWREADY" :
					"WVALID/WREADY", r->cycle);
			done = true;
			break;
		}
	}
	t->m_axil_awvalid = 0;
	t->m_axil_wvalid = 0;
	t->m_axil_bready = 0;
	if (!done) {
		rtl_log(r, "m_axil write 0x%08" PRIx32 ": no %s within %" PRIu64 " cycles, at cycle %" PRIu64 " (%" PRIu64 " ns): SLVERR",
			addr, !aw ? "AWREADY" : !w ? "WREADY" : "BVALID",
			r->timeout, r->cycle, rtl_cycle_ns(r, r->cycle));
		rtl_settle(r);
		r->in_sim = false;
		return VFPGA_AXI_SLVERR;
	}
	rtl_settle(r);
	r->in_sim = false;
	return rtl_resp(r, "write", addr, resp);
}
#else
/* A design without m_axil_*: nothing answers on the user BAR. */
enum vfpga_axi_resp rtl_axil_read(void *, uint32_t, uint32_t *data)
{
	*data = 0xffffffffu;
	return VFPGA_AXI_DECERR;
}

enum vfpga_axi_resp rtl_axil_write(void *, uint32_t, uint32_t)
{
	return VFPGA_AXI_DECERR;
}
#endif

void rtl_usr_irq_ack(void *ul, unsigned int line)
{
	Rtl *r = static_cast<Rtl *>(ul);

	if (line >= (unsigned int)RTL_IRQS)
		return;
	r->ack_due |= 1u << line;
	if (!r->in_sim)
		r->ops->timer_arm(r->timer, r->ops->time_ns(r->host));
}

const struct vfpga_user_logic rtl_logic = {
	VFPGA_UL_ABI_VERSION,
	VFPGA_RTL_NAME,
	rtl_create,
	rtl_destroy,
	rtl_ul_reset,
	rtl_axil_read,
	rtl_axil_write,
	nullptr,	/* mm_read: card memory (m_axi_* is not bridged yet) */
	nullptr,	/* mm_write */
	rtl_usr_irq_ack,
	nullptr,	/* state_size: a model's state does not migrate */
	nullptr,
	nullptr,
};

} // namespace

extern "C" {
VFPGA_USER_LOGIC(rtl_logic)
}
