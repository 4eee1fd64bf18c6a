// SPDX-License-Identifier: MIT
/*
 * The RTL sample alone, cycle by cycle: a host testbench that drives the
 * verilated vfpga_rtl_sample's ports itself (no bridge, no QEMU) and
 * checks on which clock edge each AXI4-Lite handshake, register and
 * usr_irq_req change happens.  TAP output.
 *   vfpga_rtl_sample_tb --bench CYCLES RUNS   simulation speed instead, for
 *   make bench: AXI-Lite reads back to back for CYCLES cycles, RUNS times,
 *   one JSON line each (a figure, never pass/fail)
 */
#include <chrono>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "verilated.h"
#include "Vvfpga_rtl_sample.h"

namespace {

int tap_n, tap_failed;

void check(bool ok, const char *name, const char *fmt = "", ...)
{
	va_list ap;

	tap_n++;
	std::printf("%sok %d %s\n", ok ? "" : "not ", tap_n, name);
	if (!ok) {
		tap_failed = 1;
		std::printf("# ");
		va_start(ap, fmt);
		std::vprintf(fmt, ap);
		va_end(ap);
		std::printf("\n");
	}
}

struct Tb {
	VerilatedContext ctx;
	Vvfpga_rtl_sample *m;
	uint64_t cycle = 0;

	Tb() : m(new Vvfpga_rtl_sample{&ctx}) {}
	~Tb()
	{
		m->final();
		delete m;
	}

	/* Inputs as set, combinational outputs settled before the edge. */
	void low()
	{
		m->axi_aclk = 0;
		m->eval();
	}
	/* One rising edge, then the usr_irq_ack pulse ends. */
	void edge()
	{
		low();
		m->axi_aclk = 1;
		m->eval();
		m->usr_irq_ack = 0;
		cycle++;
		low();
	}
	void reset()
	{
		m->axi_aresetn = 0;
		for (int i = 0; i < 4; i++)
			edge();
		m->axi_aresetn = 1;
		edge();
	}
	/* A write with AW and W together; returns the cycles to BVALID. */
	int write(uint32_t addr, uint32_t data, uint32_t strb = 0xf)
	{
		uint64_t start = cycle;

		m->m_axil_awaddr = addr;
		m->m_axil_awvalid = 1;
		m->m_axil_wdata = data;
		m->m_axil_wstrb = strb;
		m->m_axil_wvalid = 1;
		m->m_axil_bready = 1;
		low();
		while (!(m->m_axil_awready && m->m_axil_wready))
			edge();
		edge();
		m->m_axil_awvalid = 0;
		m->m_axil_wvalid = 0;
		low();
		while (!m->m_axil_bvalid)
			edge();
		int n = (int)(cycle - start);
		edge();
		m->m_axil_bready = 0;
		low();
		return n;
	}
	uint32_t read(uint32_t addr)
	{
		m->m_axil_araddr = addr;
		m->m_axil_arvalid = 1;
		m->m_axil_rready = 1;
		low();
		while (!m->m_axil_arready)
			edge();
		edge();
		m->m_axil_arvalid = 0;
		low();
		while (!m->m_axil_rvalid)
			edge();
		uint32_t v = m->m_axil_rdata;
		edge();
		m->m_axil_rready = 0;
		low();
		return v;
	}
};

int bench(uint64_t cycles, int runs)
{
	Tb tb;
	auto *m = tb.m;
	volatile uint32_t sink = 0;

	tb.reset();
	m->m_axil_araddr = 0x8;
	m->m_axil_arvalid = 1;
	m->m_axil_rready = 1;
	for (int run = 0; run < runs; run++) {
		auto t0 = std::chrono::steady_clock::now();
		for (uint64_t i = 0; i < cycles; i++) {
			m->axi_aclk = 0;
			m->eval();
			m->axi_aclk = 1;
			m->eval();
			sink = m->m_axil_rdata;
		}
		double ns = std::chrono::duration<double, std::nano>(
			std::chrono::steady_clock::now() - t0).count();
		std::printf("{\"bench\":\"rtl-cycles\",\"design\":\"vfpga_rtl_sample\","
			    "\"run\":%d,\"cycles\":%llu,\"ns\":%.0f,"
			    "\"cycles_per_s\":%.0f}\n", run,
			    (unsigned long long)cycles, ns, cycles * 1e9 / ns);
	}
	(void)sink;
	return 0;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc == 4 && !std::strcmp(argv[1], "--bench"))
		return bench(std::strtoull(argv[2], nullptr, 0),
			     std::atoi(argv[3]));

	Tb tb;
	auto *m = tb.m;

	std::printf("TAP version 13\n");
	tb.ctx.commandArgs(argc, argv);
	tb.reset();
	check(m->m_axil_awready && m->m_axil_wready && m->m_axil_arready &&
	      !m->m_axil_bvalid && !m->m_axil_rvalid && m->usr_irq_req == 0,
	      "reset_state_idle");

	/* Read: ARREADY at once, RVALID the edge after, held until RREADY. */
	m->m_axil_araddr = 0x0;
	m->m_axil_arvalid = 1;
	m->m_axil_rready = 0;
	tb.low();
	bool ar = m->m_axil_arready;
	tb.edge();
	m->m_axil_arvalid = 0;
	tb.low();
	bool rv1 = m->m_axil_rvalid, ar_busy = !m->m_axil_arready;
	uint32_t id = m->m_axil_rdata;
	tb.edge();
	bool rv2 = m->m_axil_rvalid;
	m->m_axil_rready = 1;
	tb.edge();
	check(ar && rv1 && rv2 && ar_busy && id == 0x56465047 &&
	      !m->m_axil_rvalid && m->m_axil_rresp == 0,
	      "read_id_one_cycle_and_held", "ar %d rv %d %d id %#x", ar, rv1,
	      rv2, id);
	m->m_axil_rready = 0;
	check(tb.read(0x4) == 0x100 && tb.read(0xc) == 5, "version_and_caps");

	/* Write: AW before W; BVALID the edge after both are in. */
	m->m_axil_awaddr = 0x8;
	m->m_axil_awvalid = 1;
	m->m_axil_bready = 1;
	tb.edge();
	m->m_axil_awvalid = 0;
	tb.low();
	bool aw_blocked = !m->m_axil_awready, w_open = m->m_axil_wready;
	tb.edge();
	bool no_b = !m->m_axil_bvalid;
	m->m_axil_wdata = 0xffffffff;
	m->m_axil_wstrb = 0xf;
	m->m_axil_wvalid = 1;
	tb.edge();
	m->m_axil_wvalid = 0;
	tb.edge();
	bool b = m->m_axil_bvalid && m->m_axil_bresp == 0;
	tb.edge();
	check(aw_blocked && w_open && no_b && b && !m->m_axil_bvalid,
	      "write_aw_then_w", "aw_blocked %d w_open %d no_b %d b %d",
	      aw_blocked, w_open, no_b, b);
	m->m_axil_bready = 0;
	check(tb.read(0x8) == 0xffffffff, "scratch_written");
	tb.write(0x8, 0, 0x2);
	check(tb.read(0x8) == 0xffff00ff, "wstrb_one_byte",
	      "%#x", tb.read(0x8));
	check(tb.write(0x8, 1) == 2, "write_takes_two_cycles");
	check(tb.read(0x20) == 0 && tb.read(0xfffc) == 0, "unmapped_read_zero");

	/* Ping-pong, edge by edge. */
	tb.write(0x108, 3);
	tb.write(0x10c, 2);
	m->m_axil_awaddr = 0x100;
	m->m_axil_wdata = 1;
	m->m_axil_wstrb = 0xf;
	m->m_axil_awvalid = m->m_axil_wvalid = m->m_axil_bready = 1;
	tb.edge();	/* AW and W taken */
	m->m_axil_awvalid = m->m_axil_wvalid = 0;
	bool before = m->usr_irq_req == 0;
	tb.edge();	/* the write: START */
	check(before && m->usr_irq_req == 1u << 3 && m->m_axil_bvalid,
	      "start_raises_with_bvalid", "req %#x", m->usr_irq_req);
	tb.edge();
	m->m_axil_bready = 0;
	check(tb.read(0x110) == 1 && tb.read(0x104) == 3, "start_counters");

	m->m_axil_awaddr = 0x118;
	m->m_axil_wdata = 1;
	m->m_axil_awvalid = m->m_axil_wvalid = m->m_axil_bready = 1;
	tb.edge();
	m->m_axil_awvalid = m->m_axil_wvalid = 0;
	tb.edge();	/* the ack: the line drops */
	uint32_t dropped = m->usr_irq_req;
	tb.edge();	/* a cycle later the next one rises */
	uint32_t raised = m->usr_irq_req;
	m->m_axil_bready = 0;
	check(dropped == 0 && raised == 1u << 3, "ack_drops_then_reraises",
	      "dropped %#x raised %#x", dropped, raised);
	check(tb.read(0x110) == 2 && tb.read(0x114) == 1, "counters_after_ack");
	tb.write(0x118, 1);
	tb.edge();
	check(m->usr_irq_req == 0 && tb.read(0x104) == 0 &&
	      tb.read(0x114) == 2 && tb.read(0x110) == 2, "last_ack_ends_run");

	/* usr_irq_ack: one pulse, one count. */
	m->usr_irq_ack = 1u << 3;
	tb.edge();
	tb.edge();
	check(tb.read(0x200) == 1, "usr_irq_ack_counted");

	/* STOP mid-run drops the line. */
	tb.write(0x10c, 10);
	tb.write(0x100, 1);
	bool up = m->usr_irq_req == 1u << 3;
	tb.write(0x100, 2);
	check(up && m->usr_irq_req == 0 && tb.read(0x104) == 0,
	      "stop_drops_line");

	/* COUNT 0: START raises nothing. */
	tb.write(0x10c, 0);
	tb.write(0x100, 1);
	tb.edge();
	check(m->usr_irq_req == 0 && tb.read(0x104) == 0 &&
	      tb.read(0x110) == 0, "count_zero_raises_nothing");

	tb.reset();
	check(tb.read(0x8) == 0 && tb.read(0x108) == 0 && tb.read(0x200) == 0,
	      "reset_clears_registers");
	std::printf("1..%d\n", tap_n);
	return tap_failed;
}
