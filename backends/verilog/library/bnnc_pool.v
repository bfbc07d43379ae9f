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
    // The counters are registers as narrow as their ranges; the arithmetic reads them zero-extended
    // into signed 32-bit values (as integers would be), which Yosys trims back to their ranges.
    localparam integer NB = $clog2(IH + IW + CF + RR + 2) + 1;
    reg [NB-1:0] oy_r, dy_r, ox_r, dx_r, cf_r, ix_r, iy_r, oslot_r;
    wire signed [31:0] oy = $signed({{(32 - NB) {1'b0}}, oy_r}), dy = $signed({{(32 - NB) {1'b0}}, dy_r});
    wire signed [31:0] ox = $signed({{(32 - NB) {1'b0}}, ox_r}), dx = $signed({{(32 - NB) {1'b0}}, dx_r});
    wire signed [31:0] cf = $signed({{(32 - NB) {1'b0}}, cf_r}), ix = $signed({{(32 - NB) {1'b0}}, ix_r});
    wire signed [31:0] iy = $signed({{(32 - NB) {1'b0}}, iy_r}), oslot = $signed({{(32 - NB) {1'b0}}, oslot_r});
    localparam [NB-1:0] ZERO = {NB{1'b0}};
    // Without overlap (one candidate window, RR = CC = 1, oslot = 0) the index of the word's
    // partial maximum, ox*CF + cf, kept as a register: +1 a fold, back to the window's first
    // fold at its last one unless the window column moves on, 0 at a row's end.
    localparam integer BACK_I = CF - 1;
    localparam [IW_-1:0] BACK = BACK_I[IW_-1:0];
    reg [IW_-1:0] at0;

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
                wire [31:0] at_sum = (slot * OW + ox - b) * CF + cf;
                /* verilator lint_on UNUSEDSIGNAL */
                // without overlap the index is kept incrementally (at0): no arithmetic before
                // the read of the partial maxima
                wire [IW_-1:0] at = CAND == 1 ? at0 : at_sum[IW_-1:0];
                wire [WIDTH-1:0] old = partial[at];
                reg [WIDTH-1:0] m;
                integer p;
                always @* begin
                    for (p = 0; p < PE; p = p + 1)
                        m[p*BITS+:BITS] = first ? in_data[p*BITS+:BITS] : larger(old[p*BITS+:BITS], in_data[p*BITS+:BITS]);
                end
                assign hit[Q] = in_window;
                assign done[Q] = in_window && dy + a * SH == KH - 1 && dx + b * SW == KW - 1;
                assign merged[Q*WIDTH+:WIDTH] = m;
                assign index[Q*IW_+:IW_] = at;
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
            oy_r <= ZERO; dy_r <= ZERO; ox_r <= ZERO; dx_r <= ZERO; cf_r <= ZERO; ix_r <= ZERO; iy_r <= ZERO; oslot_r <= ZERO;
            at0 <= {IW_{1'b0}};
            out_full <= 1'b0;
        end else begin
            if (advance) out_full <= read && done != 0;
            if (read) begin
                if (cf != CF - 1) at0 <= at0 + 1'b1;
                else if (ix == IW - 1) at0 <= {IW_{1'b0}};
                else if (dx == SW - 1) at0 <= at0 + 1'b1;
                else at0 <= at0 - BACK;
            end
            if (read) begin
                cf_r <= cf == CF - 1 ? ZERO : cf_r + 1'b1;
                if (cf == CF - 1) begin
                    if (ix == IW - 1) begin  // next row
                        ix_r <= ZERO; ox_r <= ZERO; dx_r <= ZERO;
                        if (iy == IH - 1) begin
                            iy_r <= ZERO; oy_r <= ZERO; dy_r <= ZERO; oslot_r <= ZERO;
                        end else begin
                            iy_r <= iy_r + 1'b1;
                            if (dy == SH - 1) begin
                                dy_r <= ZERO;
                                oy_r <= oy_r + 1'b1;
                                oslot_r <= oslot == RR - 1 ? ZERO : oslot_r + 1'b1;
                            end else dy_r <= dy_r + 1'b1;
                        end
                    end else begin
                        ix_r <= ix_r + 1'b1;
                        if (dx == SW - 1) begin
                            dx_r <= ZERO;
                            ox_r <= ox_r + 1'b1;
                        end else dx_r <= dx_r + 1'b1;
                    end
                end
            end
        end
    end
    assign out_data = out_word;
    assign out_valid = out_full;
endmodule
