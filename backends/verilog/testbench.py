"""The simulation harnesses of a generated project: Verilator (C++) and Icarus (Verilog).

Both read the input file (a line `frames words`, then one 64-bit AXI word a line, in hex), offer
one input word a cycle from the cycle after reset, keep `m_axis_tready` high, and write:

    I <cycle>                       the first word of a frame was accepted
    O <cycle> <hex word> <tlast>    an output word was accepted

Cycles count from the first cycle after reset. Both stop once every frame has left (its TLAST),
or report a deadlock and exit with status 3 after `idle` cycles without a handshake.
"""

VERILATOR_HARNESS = r"""// Verilator harness of a bnnc project (see bnnc/backends/verilog/testbench.py).
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "Vtop.h"
#include "verilated.h"

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s INPUT OUTPUT IDLE_CYCLES\n", argv[0]);
        return 2;
    }
    FILE* in = std::fopen(argv[1], "r");
    FILE* out = std::fopen(argv[2], "w");
    if (!in || !out) {
        std::fprintf(stderr, "cannot open %s or %s\n", argv[1], argv[2]);
        return 2;
    }
    const long idle_limit = std::atol(argv[3]);
    long frames = 0, words = 0;
    if (std::fscanf(in, "%ld %ld", &frames, &words) != 2) return 2;
    std::vector<uint64_t> data(frames * words);
    for (auto& word : data)
        if (std::fscanf(in, "%" SCNx64, &word) != 1) return 2;

    Vtop* top = new Vtop;
    top->ap_rst_n = 0;
    top->s_axis_tvalid = 0;
    top->m_axis_tready = 1;
    for (int i = 0; i < 4; ++i) {
        top->ap_clk = 0;
        top->eval();
        top->ap_clk = 1;
        top->eval();
    }
    top->ap_rst_n = 1;
    size_t next = 0;
    long cycle = 0, idle = 0, done = 0;
    while (done < frames) {
        top->ap_clk = 0;
        top->s_axis_tvalid = next < data.size();
        top->s_axis_tdata = next < data.size() ? data[next] : 0;
        top->s_axis_tlast = words > 0 && next % words == (size_t)(words - 1);
        top->eval();
        const bool took = top->s_axis_tvalid && top->s_axis_tready;
        const bool gave = top->m_axis_tvalid && top->m_axis_tready;
        if (took && next % words == 0) std::fprintf(out, "I %ld\n", cycle);
        if (gave) {
            std::fprintf(out, "O %ld %016" PRIx64 " %d\n", cycle, (uint64_t)top->m_axis_tdata,
                         (int)top->m_axis_tlast);
            done += top->m_axis_tlast;
        }
        top->ap_clk = 1;
        top->eval();
        next += took;
        idle = (took || gave) ? 0 : idle + 1;
        if (idle > idle_limit) {
            std::fprintf(stderr, "deadlock: no handshake for %ld cycles at cycle %ld (%ld of %ld frames out)\n",
                         idle, cycle, done, frames);
            return 3;
        }
        ++cycle;
    }
    std::fclose(out);
    top->final();
    delete top;
    return 0;
}
"""


def icarus_testbench(top: str) -> str:
    """The Icarus testbench: the Verilator harness's protocol, in Verilog (plusargs `input`,
    `output` and `idle`)."""
    return f"""// Icarus testbench of a bnnc project (see bnnc/backends/verilog/testbench.py).
`timescale 1ns / 1ps
module bnnc_tb;
    reg clk = 1'b0;
    reg rst_n = 1'b0;
    reg [63:0] s_data = 64'd0;
    reg s_valid = 1'b0, s_last = 1'b0;
    wire s_ready;
    wire [63:0] m_data;
    wire m_valid, m_last;
    {top} dut (
        .ap_clk(clk), .ap_rst_n(rst_n),
        .s_axis_tdata(s_data), .s_axis_tvalid(s_valid), .s_axis_tready(s_ready), .s_axis_tlast(s_last),
        .m_axis_tdata(m_data), .m_axis_tvalid(m_valid), .m_axis_tready(1'b1), .m_axis_tlast(m_last)
    );
    always #5 clk = ~clk;

    reg [8*1024-1:0] in_path, out_path;
    integer fin, fout, frames, words, sent, done, cycle, idle, idle_limit, r;
    reg took, gave;
    initial begin
        if (!$value$plusargs("input=%s", in_path) || !$value$plusargs("output=%s", out_path)) begin
            $display("usage: vvp sim +input=FILE +output=FILE [+idle=N]");
            $finish;
        end
        if (!$value$plusargs("idle=%d", idle_limit)) idle_limit = 100000;
        fin = $fopen(in_path, "r");
        fout = $fopen(out_path, "w");
        r = $fscanf(fin, "%d %d", frames, words);
        sent = 0; done = 0; cycle = 0; idle = 0;
        repeat (4) @(posedge clk);
        #1 rst_n = 1'b1;
        if (frames * words > 0) begin
            r = $fscanf(fin, "%h", s_data);
            s_valid = 1'b1;
            s_last = words == 1;
        end
        while (done < frames) begin
            @(posedge clk);
            took = s_valid && s_ready;
            gave = m_valid;
            if (took && sent % words == 0) $fdisplay(fout, "I %0d", cycle);
            if (gave) begin
                $fdisplay(fout, "O %0d %016h %0d", cycle, m_data, m_last);
                if (m_last) done = done + 1;
            end
            #1;
            if (took) begin
                sent = sent + 1;
                if (sent < frames * words) begin
                    r = $fscanf(fin, "%h", s_data);
                    s_last = sent % words == words - 1;
                end else begin
                    s_valid = 1'b0;
                end
            end
            idle = (took || gave) ? 0 : idle + 1;
            if (idle > idle_limit) begin
                $display("deadlock: no handshake for %0d cycles at cycle %0d (%0d of %0d frames out)",
                         idle, cycle, done, frames);
                $fclose(fout);
                $finish;
            end
            cycle = cycle + 1;
        end
        $fclose(fout);
        $finish;
    end
endmodule
"""
