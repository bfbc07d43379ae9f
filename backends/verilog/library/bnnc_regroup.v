// bnnc_regroup: width converter between multi-pixel streams (df.dwc with MMV on either side).
//
// Language: Verilog-2005 (Verilator 5, Icarus -g2012, Yosys 0.23).
//
// A stream of M pixels a word carries, in lane (m, s) of word (g, f), element f*L + s of pixel
// g*M + m (L lanes a pixel, VEC elements a pixel, VEC/L words a pixel group). The unit fills a
// block of BLOCK = lcm(IN_M, OUT_M) pixels from input words and drains it as output words;
// two blocks alternate so that filling one and draining the other overlap.
//
// Structure: a block is IN_SLOTS input words (slot k = group*IN_FOLDS + fold) and OUT_SLOTS
// output words; every slot's lanes sit at fixed bits of a bank, so an input word is written
// with one slot-counter compare per slot (a clock enable) and an output word is one
// 2*OUT_SLOTS-way multiplexer per output bit: no address arithmetic.
//
// Cycle behaviour: one input and one output word a cycle at most; a frame takes
// max(input words, output words) cycles once the first block is in (bnnc.analysis.cost_model.dwc_cost).
// in_ready and out_valid depend on registers only.
module bnnc_regroup #(
    parameter integer BITS = 1,
    parameter integer VEC = 4,
    parameter integer BLOCK = 2,
    parameter integer IN_M = 2,
    parameter integer IN_L = 2,
    parameter integer OUT_M = 1,
    parameter integer OUT_L = 4
) (
    input  wire                        clk,
    input  wire                        rst_n,
    input  wire [IN_M*IN_L*BITS-1:0]   in_data,
    input  wire                        in_valid,
    output wire                        in_ready,
    output wire [OUT_M*OUT_L*BITS-1:0] out_data,
    output wire                        out_valid,
    input  wire                        out_ready
);
    localparam integer SIZE = BLOCK * VEC * BITS;
    localparam integer IN_FOLDS = VEC / IN_L, OUT_FOLDS = VEC / OUT_L;
    localparam integer IN_SLOTS = BLOCK / IN_M * IN_FOLDS, OUT_SLOTS = BLOCK / OUT_M * OUT_FOLDS;
    localparam integer OUT_W = OUT_M * OUT_L * BITS;
    localparam integer WSW = IN_SLOTS > 1 ? $clog2(IN_SLOTS) : 1;
    localparam integer RSW = $clog2(2 * OUT_SLOTS);
    localparam integer IN_LAST_I = IN_SLOTS - 1, OUT_LAST_I = OUT_SLOTS - 1, OUT_TOP_I = 2 * OUT_SLOTS - 1;
    localparam [WSW-1:0] IN_LAST = IN_LAST_I[WSW-1:0];
    localparam [RSW-1:0] OUT_LAST = OUT_LAST_I[RSW-1:0];
    localparam [RSW-1:0] OUT_TOP = OUT_TOP_I[RSW-1:0];

    reg [SIZE-1:0] bank0, bank1;
    reg [1:0] full;
    reg wr_bank;
    reg [WSW-1:0] wslot;  // slot of the next input word
    reg [RSW-1:0] rword;  // bank * OUT_SLOTS + slot of the next output word
    wire rd_bank = rword > OUT_LAST;
    assign in_ready = !full[wr_bank];
    assign out_valid = full[rd_bank];
    wire read = in_valid && in_ready;
    wire write = out_valid && out_ready;
    wire last_in = wslot == IN_LAST;
    wire last_out = rword == OUT_LAST || rword == OUT_TOP;

    // Input slot k, pixel i: lanes to bank bits ((g*IN_M + i)*VEC + f*IN_L)*BITS.
    genvar k, i, r, m;
    generate
        for (k = 0; k < IN_SLOTS; k = k + 1) begin : g_in
            for (i = 0; i < IN_M; i = i + 1) begin : g_pixel
                localparam integer AT = ((k / IN_FOLDS * IN_M + i) * VEC + k % IN_FOLDS * IN_L) * BITS;
                localparam [WSW-1:0] SLOT = k[WSW-1:0];
                always @(posedge clk) begin
                    if (read && wslot == SLOT) begin
                        if (wr_bank) bank1[AT+:IN_L*BITS] <= in_data[i*IN_L*BITS+:IN_L*BITS];
                        else bank0[AT+:IN_L*BITS] <= in_data[i*IN_L*BITS+:IN_L*BITS];
                    end
                end
            end
        end
    endgenerate

    // Output words of both banks, word (bank, slot) at [(bank*OUT_SLOTS + slot)*OUT_W, ...).
    wire [2*OUT_SLOTS*OUT_W-1:0] words;
    generate
        for (r = 0; r < OUT_SLOTS; r = r + 1) begin : g_out
            for (m = 0; m < OUT_M; m = m + 1) begin : g_pixel
                localparam integer AT = ((r / OUT_FOLDS * OUT_M + m) * VEC + r % OUT_FOLDS * OUT_L) * BITS;
                assign words[r*OUT_W+m*OUT_L*BITS+:OUT_L*BITS] = bank0[AT+:OUT_L*BITS];
                assign words[(OUT_SLOTS+r)*OUT_W+m*OUT_L*BITS+:OUT_L*BITS] = bank1[AT+:OUT_L*BITS];
            end
        end
    endgenerate
    // The output word: an AND-OR over the words, each selected by its bit of `rsel` (rword as
    // a one-hot register). Indexed by rword (`words[rword*OUT_W+:OUT_W]`) it was a tree of
    // LUT6, MUXF7 and MUXF8 a level before the next FIFO's write (CNV fix-9000's conv3
    // converter: 5.04 ns); an AND-OR level is one LUT.
    reg [2*OUT_SLOTS-1:0] rsel;
    reg [OUT_W-1:0] word;
    integer q;
    always @* begin
        word = {OUT_W{1'b0}};
        for (q = 0; q < 2 * OUT_SLOTS; q = q + 1) word = word | ({OUT_W{rsel[q]}} & words[q*OUT_W+:OUT_W]);
    end
    assign out_data = word;

    always @(posedge clk) begin
        if (!rst_n) begin
            full <= 2'b00;
            wr_bank <= 1'b0;
            wslot <= {WSW{1'b0}};
            rword <= {RSW{1'b0}};
            rsel <= {{(2 * OUT_SLOTS - 1) {1'b0}}, 1'b1};
        end else begin
            if (read) begin
                wslot <= last_in ? {WSW{1'b0}} : wslot + 1'b1;
                if (last_in) wr_bank <= !wr_bank;
            end
            if (write) begin
                rword <= rword == OUT_TOP ? {RSW{1'b0}} : rword + 1'b1;
                rsel <= {rsel[2*OUT_SLOTS-2:0], rsel[2*OUT_SLOTS-1]};
            end
            // a bank fills on its last input word and empties on its last output word
            // constant bit indices: a variable one costs a 32-bit adder on this path
            if (read && last_in) begin
                if (wr_bank) full[1] <= 1'b1;
                else full[0] <= 1'b1;
            end
            if (write && last_out) begin
                if (rd_bank) full[1] <= 1'b0;
                else full[0] <= 1'b0;
            end
        end
    end
endmodule
