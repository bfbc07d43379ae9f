// bnnc_fifo: a first-word-fall-through FIFO of DEPTH words of WIDTH bits.
//
// Language: Verilog-2005 (Verilator 5, Icarus -g2012, Yosys 0.23).
//
// Cycle behaviour: a word written at cycle t can be read at t+1; one write and one read a cycle,
// also when full (the write waits one cycle then) or empty. A FIFO of depth >= 2 moves a word
// every cycle; depth 1 halves the rate, as the FIFO model assumes ("producer writes word j once
// the consumer has read word j - DEPTH"). in_ready and out_valid come from registers only, so a
// FIFO cuts every combinational handshake path between the engines around it.
//
// Storage: an array with an asynchronous read port; Yosys maps it to flip-flops, SRLs or LUTRAM
// by size (a BRAM needs a registered read: see bnnc_fifo_bram when DEPTH is large).
module bnnc_fifo #(
    parameter integer WIDTH = 8,
    parameter integer DEPTH = 2
) (
    input  wire             clk,
    input  wire             rst_n,
    input  wire [WIDTH-1:0] in_data,
    input  wire             in_valid,
    output wire             in_ready,
    output wire [WIDTH-1:0] out_data,
    output wire             out_valid,
    input  wire             out_ready
);
    localparam integer AW = DEPTH > 1 ? $clog2(DEPTH) : 1;
    localparam [AW:0] FULL = DEPTH[AW:0];
    localparam [AW-1:0] LAST = DEPTH[AW-1:0] - 1'b1;

    reg [WIDTH-1:0] mem[0:DEPTH-1];
    reg [AW-1:0] wptr, rptr;
    reg [AW:0] count;

    wire write = in_valid && in_ready;
    wire read = out_valid && out_ready;
    assign in_ready = count != FULL;
    assign out_valid = count != 0;
    assign out_data = mem[rptr];

    always @(posedge clk) begin
        if (write) mem[wptr] <= in_data;
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            wptr <= 0;
            rptr <= 0;
            count <= 0;
        end else begin
            if (write) wptr <= wptr == LAST ? {AW{1'b0}} : wptr + 1'b1;
            if (read) rptr <= rptr == LAST ? {AW{1'b0}} : rptr + 1'b1;
            if (write && !read) count <= count + 1'b1;
            else if (read && !write) count <= count - 1'b1;
        end
    end
endmodule
