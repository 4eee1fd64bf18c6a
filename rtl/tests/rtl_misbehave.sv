// SPDX-License-Identifier: MIT
//
// A design that answers AXI4-Lite as a faulty one would, for the bridge's
// host test (rtl_bridge_test.c).  It has no usr_irq_* ports: the bridge
// leaves that interface unconnected.
//   0x00  OKAY, reads 0x600dcafe
//   0x04  OKAY, a register (WSTRB honoured)
//   0x10  SLVERR            0x14  DECERR
//   0x18  EXOKAY (which AXI4-Lite has not)
//   0x20  never ARREADY / AWREADY
//   0x24  takes the address and data, never RVALID / BVALID
//   0x28  answers after 200 cycles
module rtl_misbehave (
    input  logic        axi_aclk,
    input  logic        axi_aresetn,
    input  logic [31:0] m_axil_awaddr,
    input  logic        m_axil_awvalid,
    output logic        m_axil_awready,
    input  logic [31:0] m_axil_wdata,
    input  logic [3:0]  m_axil_wstrb,
    input  logic        m_axil_wvalid,
    output logic        m_axil_wready,
    output logic        m_axil_bvalid,
    output logic [1:0]  m_axil_bresp,
    input  logic        m_axil_bready,
    input  logic [31:0] m_axil_araddr,
    input  logic        m_axil_arvalid,
    output logic        m_axil_arready,
    output logic [31:0] m_axil_rdata,
    output logic [1:0]  m_axil_rresp,
    output logic        m_axil_rvalid,
    input  logic        m_axil_rready
);
    logic [31:0] reg04;
    logic [7:0] wait_r, wait_b;
    logic [1:0] bresp_q;

    function automatic logic [1:0] resp_of(input logic [7:0] a);
        case (a)
            8'h10: resp_of = 2'b10;
            8'h14: resp_of = 2'b11;
            8'h18: resp_of = 2'b01;
            default: resp_of = 2'b00;
        endcase
    endfunction

    assign m_axil_arready = m_axil_arvalid && m_axil_araddr[7:0] != 8'h20 &&
                            !m_axil_rvalid && wait_r == 0;
    assign m_axil_awready = m_axil_awvalid && m_axil_wvalid &&
                            m_axil_awaddr[7:0] != 8'h20 && !m_axil_bvalid &&
                            wait_b == 0;
    assign m_axil_wready = m_axil_awready;
    assign m_axil_bresp = bresp_q;

    logic [31:0] wmask;
    assign wmask = {{8{m_axil_wstrb[3]}}, {8{m_axil_wstrb[2]}},
                    {8{m_axil_wstrb[1]}}, {8{m_axil_wstrb[0]}}};

    always_ff @(posedge axi_aclk) begin
        if (!axi_aresetn) begin
            reg04 <= 32'b0;
            wait_r <= 8'b0;
            wait_b <= 8'b0;
            bresp_q <= 2'b0;
            m_axil_bvalid <= 1'b0;
            m_axil_rvalid <= 1'b0;
            m_axil_rdata <= 32'b0;
            m_axil_rresp <= 2'b0;
        end else begin
            if (m_axil_arvalid && m_axil_arready) begin
                m_axil_rdata <= m_axil_araddr[7:0] == 8'h00 ? 32'h600dcafe :
                                m_axil_araddr[7:0] == 8'h04 ? reg04 : 32'b0;
                m_axil_rresp <= resp_of(m_axil_araddr[7:0]);
                if (m_axil_araddr[7:0] == 8'h28)
                    wait_r <= 8'd200;
                else if (m_axil_araddr[7:0] != 8'h24)
                    m_axil_rvalid <= 1'b1;
            end else if (m_axil_rvalid && m_axil_rready) begin
                m_axil_rvalid <= 1'b0;
            end
            if (wait_r != 0) begin
                wait_r <= wait_r - 1;
                if (wait_r == 1)
                    m_axil_rvalid <= 1'b1;
            end
            if (m_axil_awvalid && m_axil_awready) begin
                if (m_axil_awaddr[7:0] == 8'h04)
                    reg04 <= (reg04 & ~wmask) | (m_axil_wdata & wmask);
                bresp_q <= resp_of(m_axil_awaddr[7:0]);
                if (m_axil_awaddr[7:0] == 8'h28)
                    wait_b <= 8'd200;
                else if (m_axil_awaddr[7:0] != 8'h24)
                    m_axil_bvalid <= 1'b1;
            end else if (m_axil_bvalid && m_axil_bready) begin
                m_axil_bvalid <= 1'b0;
            end
            if (wait_b != 0) begin
                wait_b <= wait_b - 1;
                if (wait_b == 1)
                    m_axil_bvalid <= 1'b1;
            end
        end
    end

    /* verilator lint_off UNUSEDSIGNAL */
    logic unused;
    assign unused = &{1'b0, m_axil_awaddr[31:8], m_axil_araddr[31:8]};
    /* verilator lint_on UNUSEDSIGNAL */
endmodule
