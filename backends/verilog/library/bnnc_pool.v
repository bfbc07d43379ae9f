// bnnc_pool: streaming max-pool (df.pool) of an NHWC stream, PE channels a word; an OR of bits
// for bipolar data (KIND 0), an unsigned (1) or signed (2) maximum otherwise.
//
// Language: Verilog-2005 (Verilator 5, Icarus -g2012, Yosys 0.23).
//
// Windows may overlap (kernel > stride): an input row belongs to up to RR = ceil(KH/SH) output
// rows and an input column to up to CC = ceil(KW/SW) output columns, so the unit keeps the
// partial maxima of RR output rows (RR*OW*CF words, CF = C/PE words a pixel; row oy in slot
// oy mod RR) and updates up to RR*CC of them with each input word. At most one window is
// completed by a word (the one whose last row and column it is). Without overlap (CNV's 2x2
// stride 2) RR = CC = 1: one output row of partial maxima, one read and one write port, which
// Yosys maps to distributed RAM; with overlap the partial maxima are flip-flops. Input positions
// outside every window (the last rows and columns when the stride does not fit) are dropped.
//
// Cycle behaviour: one input word a cycle, a frame takes IH*IW*CF cycles
// (bnnc.analysis.cost_model.pool_cost); an output word leaves the cycle after the input word that
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
    localparam integer RR = (KH + SH - 1) / SH, CC = (KW + SW - 1) / SW, CAND = RR * CC;
    localparam integer WORDS = RR * OW * CF;
    localparam integer IW_ = WORDS > 1 ? $clog2(WORDS) : 1;

    reg [WIDTH-1:0] partial[0:WORDS-1];
    reg [WIDTH-1:0] out_word;
    reg out_full;
    wire advance = !out_full || out_ready;
    assign in_ready = advance;
    wire read = in_valid && advance;

    // position: input row iy = oy*SH + dy, column ix = ox*SW + dx, channel fold cf (0 <= dy < SH,
    // 0 <= dx < SW); the word belongs to the windows (oy - a, ox - b) with dy + a*SH < KH and
    // dx + b*SW < KW; oslot = oy mod RR
    integer oy, dy, ox, dx, cf, ix, iy, oslot;

    function [BITS-1:0] larger;
        input [BITS-1:0] a, b;
        begin
            if (KIND == 0) larger = a | b;
            else if (KIND == 2) larger = $signed(a) > $signed(b) ? a : b;
            else larger = a > b ? a : b;
        end
    endfunction

    wire [CAND-1:0] hit, done;
    wire [CAND*WIDTH-1:0] merged;
    wire [CAND*IW_-1:0] index;
    genvar a, b;
    generate
        for (a = 0; a < RR; a = a + 1) begin : g_row
            for (b = 0; b < CC; b = b + 1) begin : g_col
                localparam integer Q = a * CC + b;
                wire in_window = dy + a * SH < KH && oy - a >= 0 && oy - a < OH
                                 && dx + b * SW < KW && ox - b >= 0 && ox - b < OW;
                wire first = a == 0 && b == 0 && dy == 0 && dx == 0;
                wire [31:0] slot = oslot >= a ? oslot - a : oslot + RR - a;
                /* verilator lint_off UNUSEDSIGNAL */  // indices stay below WORDS
                wire [31:0] at = (slot * OW + ox - b) * CF + cf;
                /* verilator lint_on UNUSEDSIGNAL */
                wire [WIDTH-1:0] old = partial[at[IW_-1:0]];
                reg [WIDTH-1:0] m;
                integer p;
                always @* begin
                    for (p = 0; p < PE; p = p + 1)
                        m[p*BITS+:BITS] = first ? in_data[p*BITS+:BITS] : larger(old[p*BITS+:BITS], in_data[p*BITS+:BITS]);
                end
                assign hit[Q] = in_window;
                assign done[Q] = in_window && dy + a * SH == KH - 1 && dx + b * SW == KW - 1;
                assign merged[Q*WIDTH+:WIDTH] = m;
                assign index[Q*IW_+:IW_] = at[IW_-1:0];
            end
        end
    endgenerate

    // the word completing a window, if any (at most one candidate)
    reg [WIDTH-1:0] completed;
    integer q;
    always @* begin
        completed = {WIDTH{1'b0}};
        for (q = 0; q < CAND; q = q + 1)
            if (done[q]) completed = merged[q*WIDTH+:WIDTH];
    end

    always @(posedge clk) begin
        for (q = 0; q < CAND; q = q + 1)
            if (read && hit[q]) partial[index[q*IW_+:IW_]] <= merged[q*WIDTH+:WIDTH];
        if (read && done != 0) out_word <= completed;
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            oy <= 0; dy <= 0; ox <= 0; dx <= 0; cf <= 0; ix <= 0; iy <= 0; oslot <= 0;
            out_full <= 1'b0;
        end else begin
            if (advance) out_full <= read && done != 0;
            if (read) begin
                cf <= cf == CF - 1 ? 0 : cf + 1;
                if (cf == CF - 1) begin
                    if (ix == IW - 1) begin  // next row
                        ix <= 0; ox <= 0; dx <= 0;
                        if (iy == IH - 1) begin
                            iy <= 0; oy <= 0; dy <= 0; oslot <= 0;
                        end else begin
                            iy <= iy + 1;
                            if (dy == SH - 1) begin
                                dy <= 0;
                                oy <= oy + 1;
                                oslot <= oslot == RR - 1 ? 0 : oslot + 1;
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
