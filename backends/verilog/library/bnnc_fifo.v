// bnnc_fifo: a first-word-fall-through FIFO of DEPTH words of WIDTH bits.
//
// Language: Verilog-2005 (Verilator 5, Icarus -g2012, Yosys 0.23).
//
// Cycle behaviour: a word written at cycle t can be read at t+1; one write and one read a cycle,
// also when full (the write waits one cycle then) or empty. A FIFO of depth >= 2 moves a word
// every cycle; depth 1 halves the rate, as the FIFO model assumes ("producer writes word j once
// the consumer has read word j - DEPTH"). in_ready and out_valid are registers (not_full,
// not_empty), so a FIFO cuts every combinational handshake path between the engines around it.
//
// Storage, by depth (the same cycle behaviour either way):
//   - DEPTH <= BRAM_MIN_DEPTH: an array with an asynchronous read port, which Yosys maps to
//     flip-flops or distributed RAM (RAM32M/RAM64M);
//   - deeper: a block RAM (ram_style "block") with a registered read. The read port is always
//     enabled at the address of the word at the head after this cycle's read, so its output
//     register holds the head one cycle later; a word written into that very address in the
//     same cycle (the FIFO empty, or about to be) is forwarded by a bypass register instead of
//     the RAM's read-first output. No extra latency: the FIFO model holds unchanged.
module bnnc_fifo #(
    parameter integer WIDTH = 8,
    parameter integer DEPTH = 2,
    parameter integer BRAM_MIN_DEPTH = 128
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

    reg [AW-1:0] wptr, rptr;
    // the count, with count + 1 and count - 1 kept beside it: a write or read only selects one
    // (no carry chain behind the handshake, which may come through the producer's logic)
    reg [AW:0] count, count_up, count_down;

    // not full / not empty as registers of their own, updated from the count's compares with
    // constants, so no adder lies between the handshakes and the pointers
    reg not_full, not_empty;
    wire write = in_valid && in_ready;
    wire read = out_valid && out_ready;
    assign in_ready = not_full;
    assign out_valid = not_empty;
    localparam [AW:0] ONE = 1;
    localparam [AW-1:0] PTR_ONE = 1;
    localparam [AW:0] ALMOST_FULL = FULL - ONE;
    reg [AW-1:0] rptr_inc;  // rptr + 1 (mod DEPTH), kept beside it: no adder before the RAM
    wire [AW-1:0] rptr_next = read ? rptr_inc : rptr;

    generate
        if (DEPTH > BRAM_MIN_DEPTH) begin : g_bram
            (* ram_style = "block" *) reg [WIDTH-1:0] mem[0:DEPTH-1];
            reg [WIDTH-1:0] rdata, bypass;
            reg forward;
            always @(posedge clk) begin
                if (write) mem[wptr] <= in_data;
                rdata <= mem[rptr_next];
            end
            always @(posedge clk) begin
                forward <= write && wptr == rptr_next;
                if (write) bypass <= in_data;
            end
            assign out_data = forward ? bypass : rdata;
        end else begin : g_lutram
            reg [WIDTH-1:0] mem[0:DEPTH-1];
            always @(posedge clk) begin
                if (write) mem[wptr] <= in_data;
            end
            assign out_data = mem[rptr];
        end
    endgenerate

    always @(posedge clk) begin
        if (!rst_n) begin
            wptr <= 0;
            rptr <= 0;
            rptr_inc <= LAST == {AW{1'b0}} ? {AW{1'b0}} : PTR_ONE;
            count <= 0;
            count_up <= ONE;
            count_down <= {(AW + 1) {1'b1}};
            not_full <= 1'b1;
            not_empty <= 1'b0;
        end else begin
            if (write && !read) begin
                not_empty <= 1'b1;
                not_full <= count != ALMOST_FULL;
            end else if (read && !write) begin
                not_empty <= count != ONE;
                not_full <= 1'b1;
            end
            if (write) wptr <= wptr == LAST ? {AW{1'b0}} : wptr + 1'b1;
            rptr <= rptr_next;
            if (read) rptr_inc <= rptr_inc == LAST ? {AW{1'b0}} : rptr_inc + 1'b1;
            if (write && !read) begin
                count <= count_up;
                count_up <= count_up + 1'b1;
                count_down <= count;
            end else if (read && !write) begin
                count <= count_down;
                count_down <= count_down - 1'b1;
                count_up <= count;
            end
        end
    end
endmodule
