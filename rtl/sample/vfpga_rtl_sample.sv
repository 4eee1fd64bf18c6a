// SPDX-License-Identifier: MIT
//
// The RTL sample: the reference user logic's register file and interrupt
// generator (include/vfpga/vfpga_regs.h, docs/register-map.md) as the
// user-side design behind an XDMA IP, with PG195's port names.  It is the
// top `make rtl` verilates into build/rtl/vfpga_rtl_sample.so, which the
// board loads (boards/rtl-sample.board).
//
//   0x000 ID        RO  "VFPG"
//   0x004 VERSION   RO  0.1.0
//   0x008 SCRATCH   RW  (WSTRB honoured)
//   0x00c CAPS      RO  IRQGEN | DMA (no paced mode, no fault registers)
//   0x100 IRQGEN_CTRL    WO  START (clear counters, run), STOP
//   0x104 IRQGEN_STATUS  RO  BUSY, PENDING
//   0x108 IRQGEN_LINE    RW  0..NUM_USR_IRQ-1 (others ignored)
//   0x10c IRQGEN_COUNT   RW
//   0x110 IRQGEN_RAISED  RO
//   0x114 IRQGEN_ACKED   RO
//   0x118 IRQGEN_ACK     WO  bit 0 acknowledges the pending interrupt
//   0x11c IRQGEN_MODE    RW  ROTATE (bit 1) only; PACED reads as 0
//   0x200 USR_IRQ_ACKS   RO  usr_irq_ack pulses seen (any line)
// Every other address reads as 0 and ignores writes (OKAY).
//
// Ping-pong: START raises usr_irq_req[LINE]; each IRQGEN_ACK drops it and,
// while fewer than COUNT were acknowledged, raises the next one a cycle
// later (so the IP sees a rising edge), on LINE + n with ROTATE.
module vfpga_rtl_sample #(
    parameter int NUM_USR_IRQ = 16
) (
    input  logic                   axi_aclk,
    input  logic                   axi_aresetn,

    input  logic [31:0]            m_axil_awaddr,
    input  logic [2:0]             m_axil_awprot,
    input  logic                   m_axil_awvalid,
    output logic                   m_axil_awready,
    input  logic [31:0]            m_axil_wdata,
    input  logic [3:0]             m_axil_wstrb,
    input  logic                   m_axil_wvalid,
    output logic                   m_axil_wready,
    output logic                   m_axil_bvalid,
    output logic [1:0]             m_axil_bresp,
    input  logic                   m_axil_bready,
    input  logic [31:0]            m_axil_araddr,
    input  logic [2:0]             m_axil_arprot,
    input  logic                   m_axil_arvalid,
    output logic                   m_axil_arready,
    output logic [31:0]            m_axil_rdata,
    output logic [1:0]             m_axil_rresp,
    output logic                   m_axil_rvalid,
    input  logic                   m_axil_rready,

    output logic [NUM_USR_IRQ-1:0] usr_irq_req,
    input  logic [NUM_USR_IRQ-1:0] usr_irq_ack
);
    localparam logic [31:0] ID_MAGIC = 32'h56465047;
    localparam logic [31:0] VERSION = 32'h00000100;
    localparam logic [31:0] CAPS = 32'h00000005;
    localparam int LW = $clog2(NUM_USR_IRQ);

    // The register file.
    logic [31:0] scratch, count, raised, acked, usr_acks;
    logic [LW-1:0] line;
    logic rotate, running, pending, reraise;

    // AXI-Lite write channel: address and data taken in either order.
    logic aw_got, w_got;
    logic [15:2] aw_addr;
    logic [31:0] w_data;
    logic [3:0] w_strb;

    assign m_axil_awready = !aw_got && !m_axil_bvalid;
    assign m_axil_wready = !w_got && !m_axil_bvalid;
    assign m_axil_bresp = 2'b00;
    assign m_axil_arready = !m_axil_rvalid;
    assign m_axil_rresp = 2'b00;

    logic [31:0] wmask;
    assign wmask = {{8{w_strb[3]}}, {8{w_strb[2]}}, {8{w_strb[1]}},
                    {8{w_strb[0]}}};

    logic do_write;
    assign do_write = aw_got && w_got && !m_axil_bvalid;

    function automatic logic [31:0] read_reg(input logic [15:0] a);
        case (a)
            16'h0000: read_reg = ID_MAGIC;
            16'h0004: read_reg = VERSION;
            16'h0008: read_reg = scratch;
            16'h000c: read_reg = CAPS;
            16'h0104: read_reg = {30'b0, pending, running || pending};
            16'h0108: read_reg = 32'(line);
            16'h010c: read_reg = count;
            16'h0110: read_reg = raised;
            16'h0114: read_reg = acked;
            16'h011c: read_reg = {30'b0, rotate, 1'b0};
            16'h0200: read_reg = usr_acks;
            default:  read_reg = 32'b0;
        endcase
    endfunction

    // Raise the next interrupt: on LINE, or on the next line with ROTATE.
    logic [LW-1:0] next_line;
    assign next_line = (rotate && raised != 0) ? line + 1'b1 : line;

    always_ff @(posedge axi_aclk) begin
        if (!axi_aresetn) begin
            aw_got <= 1'b0;
            w_got <= 1'b0;
            aw_addr <= 14'b0;
            w_data <= 32'b0;
            w_strb <= 4'b0;
            m_axil_bvalid <= 1'b0;
            m_axil_rvalid <= 1'b0;
            m_axil_rdata <= 32'b0;
            scratch <= 32'b0;
            count <= 32'b0;
            raised <= 32'b0;
            acked <= 32'b0;
            usr_acks <= 32'b0;
            line <= '0;
            rotate <= 1'b0;
            running <= 1'b0;
            pending <= 1'b0;
            reraise <= 1'b0;
        end else begin
            if (m_axil_awvalid && m_axil_awready) begin
                aw_got <= 1'b1;
                aw_addr <= m_axil_awaddr[15:2];
            end
            if (m_axil_wvalid && m_axil_wready) begin
                w_got <= 1'b1;
                w_data <= m_axil_wdata;
                w_strb <= m_axil_wstrb;
            end
            if (m_axil_bvalid && m_axil_bready)
                m_axil_bvalid <= 1'b0;
            if (m_axil_arvalid && m_axil_arready) begin
                m_axil_rvalid <= 1'b1;
                m_axil_rdata <= read_reg({m_axil_araddr[15:2], 2'b00});
            end else if (m_axil_rvalid && m_axil_rready) begin
                m_axil_rvalid <= 1'b0;
            end

            if (|usr_irq_ack)
                usr_acks <= usr_acks + 1;

            if (reraise) begin
                reraise <= 1'b0;
                pending <= 1'b1;
                raised <= raised + 1;
                line <= next_line;
            end

            if (do_write) begin
                aw_got <= 1'b0;
                w_got <= 1'b0;
                m_axil_bvalid <= 1'b1;
                case ({aw_addr, 2'b00})
                    16'h0008: scratch <= (scratch & ~wmask) | (w_data & wmask);
                    16'h0100: begin
                        if (w_data[1] && w_strb[0]) begin
                            running <= 1'b0;
                            pending <= 1'b0;
                            reraise <= 1'b0;
                        end
                        if (w_data[0] && w_strb[0]) begin
                            raised <= count != 0 ? 32'd1 : 32'd0;
                            acked <= 32'b0;
                            running <= count != 0;
                            pending <= count != 0;
                            reraise <= 1'b0;
                        end
                    end
                    16'h0108:
                        if (w_strb[0] && w_data < NUM_USR_IRQ)
                            line <= w_data[LW-1:0];
                    16'h010c: count <= (count & ~wmask) | (w_data & wmask);
                    16'h0118:
                        if (w_data[0] && w_strb[0] && pending) begin
                            pending <= 1'b0;
                            acked <= acked + 1;
                            if (running && acked + 1 >= count)
                                running <= 1'b0;
                            else if (running)
                                reraise <= 1'b1;
                        end
                    16'h011c: if (w_strb[0]) rotate <= w_data[1];
                    default: ;
                endcase
            end
        end
    end

    assign usr_irq_req = pending ? (NUM_USR_IRQ'(1) << line) : '0;

    // Address bits above the register block and the protection bits are
    // not decoded.
    /* verilator lint_off UNUSEDSIGNAL */
    logic unused;
    assign unused = &{1'b0, m_axil_awprot, m_axil_arprot,
                      m_axil_awaddr[31:16], m_axil_awaddr[1:0],
                      m_axil_araddr[31:16], m_axil_araddr[1:0]};
    /* verilator lint_on UNUSEDSIGNAL */
endmodule
