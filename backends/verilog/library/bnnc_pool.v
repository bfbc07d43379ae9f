// bnnc_pool: streaming max-pool (df.pool) of an NHWC stream, PE channels a word; an OR of bits
// for bipolar data (KIND 0), an unsigned (1) or signed (2) maximum otherwise.
//
// Language: Verilog-2005 (Verilator 5, Icarus -g2012, Yosys 0.23).
//
// Windows must not overlap (KH <= SH, KW <= SW; CNV's 2x2 stride 2): each input word then
// belongs to at most one output pixel, and the partial maxima of one output row, OW*CF words,
// are enough state (CF = C/PE words a pixel). Input positions outside every window (the last
// rows and columns when the stride does not fit) are read and dropped.
//
// Cycle behaviour: one input word a cycle, a frame takes IH*IW*CF cycles
// (bnnc.cost_model.pool_cost); an output word leaves the cycle after the input word that
// completes its window. The unit stalls as a whole while its output word waits.
module bnnc_pool #(
    parameter integer PE = 1,
    parameter integer CF = 1,
    parameter integer BITS = 1,
    parameter integer KIND = 0,
    parameter integer IH = 4,
    parameter integer IW = 4,
    parameter integer OH = 2,
    parameter integer OW = 2,
    parameter integer KH = 2,
    parameter integer KW = 2,
    parameter integer SH = 2,
    parameter integer SW = 2
) (
    input  wire                 clk,
    input  wire                 rst_n,
    input  wire [PE*BITS-1:0]   in_data,
    input  wire                 in_valid,
    output wire                 in_ready,
    output wire [PE*BITS-1:0]   out_data,
    output wire                 out_valid,
    input  wire                 out_ready
);
    localparam integer WIDTH = PE * BITS;

    reg [WIDTH-1:0] partial[0:OW*CF-1];
    reg [WIDTH-1:0] out_word;
    reg out_full;
    wire advance = !out_full || out_ready;
    assign in_ready = advance;
    wire read = in_valid && advance;

    // position: input row iy = oy*SH + dy, column ix = ox*SW + dx, channel fold cf
    integer oy, dy, ox, dx, cf, ix, iy;
    wire in_window = dy < KH && oy < OH && dx < KW && ox < OW;
    wire first = dy == 0 && dx == 0;
    wire complete = dy == KH - 1 && dx == KW - 1;
    wire [WIDTH-1:0] old = partial[ox*CF+cf];

    function [BITS-1:0] larger;
        input [BITS-1:0] a, b;
        begin
            if (KIND == 0) larger = a | b;
            else if (KIND == 2) larger = $signed(a) > $signed(b) ? a : b;
            else larger = a > b ? a : b;
        end
    endfunction

    reg [WIDTH-1:0] merged;
    integer p;
    always @* begin
        for (p = 0; p < PE; p = p + 1)
            merged[p*BITS+:BITS] = first ? in_data[p*BITS+:BITS] : larger(old[p*BITS+:BITS], in_data[p*BITS+:BITS]);
    end

    always @(posedge clk) begin
        if (read && in_window) partial[ox*CF+cf] <= merged;
        if (read && in_window && complete) out_word <= merged;
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            oy <= 0; dy <= 0; ox <= 0; dx <= 0; cf <= 0; ix <= 0; iy <= 0;
            out_full <= 1'b0;
        end else begin
            if (advance) out_full <= read && in_window && complete;
            if (read) begin
                cf <= cf == CF - 1 ? 0 : cf + 1;
                if (cf == CF - 1) begin
                    if (ix == IW - 1) begin  // next row
                        ix <= 0; ox <= 0; dx <= 0;
                        if (iy == IH - 1) begin
                            iy <= 0; oy <= 0; dy <= 0;
                        end else begin
                            iy <= iy + 1;
                            if (dy == SH - 1) begin
                                dy <= 0;
                                oy <= oy + 1;
                            end else dy <= dy + 1;
                        end
                    end else begin
                        ix <= ix + 1;
                        if (dx == SW - 1) begin
                            dx <= 0;
                            ox <= ox + 1;
                        end else dx <= dx + 1;
                    end
                end
            end
        end
    end
    assign out_data = out_word;
    assign out_valid = out_full;
endmodule
