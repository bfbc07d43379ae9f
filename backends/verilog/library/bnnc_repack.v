// bnnc_repack: regroup a stream of BITS-bit elements from words of IN_LANES to words of
// OUT_LANES, frame by frame (FRAME elements a frame). A plain width converter (df.dwc between
// one-pixel streams) and the AXI-stream boundary of the accelerator.
//
// Language: Verilog-2005 (Verilator 5, Icarus -g2012, Yosys 0.23).
//
// A frame takes ceil(FRAME/IN_LANES) input words; the lanes of the last one beyond the frame
// are ignored (the zero padding of the last AXI word). It gives ceil(FRAME/OUT_LANES) output
// words; the last one is zero-padded and flagged with out_last (TLAST). Input words are IN_WIDTH
// bits, of which the low IN_LANES*BITS carry elements; output words OUT_WIDTH bits, the high
// bits zero (a 64-bit AXI word holding 9 elements of 7 bits).
//
// Structure: a frame is cut into blocks of BLOCK elements (lcm(IN_LANES, OUT_LANES), or the
// whole frame when that is shorter; bnnc.analysis.cost_model.repack_block), the last block of a frame
// holding what is left. Every input and output word of a block sits at fixed bits of a bank,
// so an input word is written with one slot compare per slot (a clock enable) and an output
// word is one multiplexer per output bit over the block's output slots: no shifter, no address
// arithmetic. Two banks alternate, so that one fills while the other drains.
//
// Cycle behaviour: one input word and one output word a cycle at most, so a frame takes
// max(input words, output words) cycles; an output word leaves from the cycle after the input
// word that completes it, and the first input word of a block waits until the bank it goes to
// has given its previous block's last output word (bnnc.analysis.fifo_model). in_ready and out_valid
// depend on registers only.
module bnnc_repack #(
    parameter integer BITS = 1,
    parameter integer IN_LANES = 1,
    parameter integer OUT_LANES = 1,
    parameter integer FRAME = 1,
    parameter integer BLOCK = FRAME,
    parameter integer IN_WIDTH = IN_LANES * BITS,
    parameter integer OUT_WIDTH = OUT_LANES * BITS
) (
    input  wire                 clk,
    input  wire                 rst_n,
    /* verilator lint_off UNUSEDSIGNAL */  // AXI bits above IN_LANES*BITS carry no element
    input  wire [ IN_WIDTH-1:0] in_data,
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire                 in_valid,
    output wire                 in_ready,
    output wire [OUT_WIDTH-1:0] out_data,
    output wire                 out_valid,
    input  wire                 out_ready,
    output wire                 out_last
);
    localparam integer BLOCKS = (FRAME + BLOCK - 1) / BLOCK;
    localparam integer LAST = FRAME - (BLOCKS - 1) * BLOCK;  // elements of a frame's last block
    localparam integer IN_SLOTS = (BLOCK + IN_LANES - 1) / IN_LANES;
    localparam integer OUT_SLOTS = (BLOCK + OUT_LANES - 1) / OUT_LANES;
    localparam integer LAST_IN = (LAST + IN_LANES - 1) / IN_LANES;
    localparam integer LAST_OUT = (LAST + OUT_LANES - 1) / OUT_LANES;
    localparam integer TAIL = LAST - (LAST_OUT - 1) * OUT_LANES;  // lanes of a frame's last word
    localparam integer IN_W = IN_LANES * BITS, OUT_W = OUT_LANES * BITS;
    localparam integer SIZE_IN = IN_SLOTS * IN_W, SIZE_OUT = OUT_SLOTS * OUT_W;
    localparam integer SIZE = SIZE_IN > SIZE_OUT ? SIZE_IN : SIZE_OUT;  // bits a bank
    localparam integer SLOTS = IN_SLOTS > OUT_SLOTS ? IN_SLOTS : OUT_SLOTS;
    localparam integer SW = $clog2(SLOTS + 1);
    localparam integer BW = BLOCKS > 1 ? $clog2(BLOCKS) : 1;
    localparam integer OUT_END_I = OUT_SLOTS - 1, LAST_OUT_END_I = LAST_OUT - 1;
    localparam integer IN_END_I = IN_SLOTS - 1, LAST_IN_END_I = LAST_IN - 1, LAST_BLOCK_I = BLOCKS - 1;
    localparam [SW-1:0] OUT_END = OUT_END_I[SW-1:0], LAST_OUT_END = LAST_OUT_END_I[SW-1:0];
    localparam [SW-1:0] IN_END = IN_END_I[SW-1:0], LAST_IN_END = LAST_IN_END_I[SW-1:0];
    localparam [BW-1:0] LAST_BLOCK = LAST_BLOCK_I[BW-1:0];
    localparam [OUT_W-1:0] TAIL_MASK = ~({OUT_W{1'b1}} << (TAIL * BITS));

    /* verilator lint_off UNUSEDSIGNAL */  // input lanes past the last output slot are never read
    reg [SIZE_IN-1:0] bank0, bank1;
    /* verilator lint_on UNUSEDSIGNAL */
    reg wr_bank, rd_bank;
    reg [SW-1:0] wslot, rslot;  // next input slot of the block being written, next output slot
    reg [BW-1:0] wblock;  // the block being written, within its frame
    reg [1:0] owned;  // the bank holds a block with output words still to give
    reg [1:0] tail;  // ... and that block is the last of its frame
    reg [SW-1:0] filled0, filled1;  // input words written into the bank's block so far

    wire w_tail = wblock == LAST_BLOCK;
    wire [SW-1:0] w_end = w_tail ? LAST_IN_END : IN_END;
    wire r_tail = tail[rd_bank];
    wire [SW-1:0] r_end = r_tail ? LAST_OUT_END : OUT_END;
    // output slot s is complete once (s + 1) * OUT_LANES elements (or the whole block) are in,
    // i.e. once min(ceil((s + 1) * OUT_LANES / IN_LANES), the block's input words) words are:
    // a table of the slot, no multiplication on the handshake's path
    function [SW-1:0] need_words(input integer s, input integer total);
        /* verilator lint_off UNUSEDSIGNAL */  // counts stay below 2^SW
        integer n;
        /* verilator lint_on UNUSEDSIGNAL */
        begin
            n = ((s + 1) * OUT_LANES + IN_LANES - 1) / IN_LANES;
            if (n > total) n = total;
            need_words = n[SW-1:0];
        end
    endfunction
    // Whether the output slot's words are in, as a register computed from the next values of
    // the registers it reads (filled, rslot, rd_bank, tail): the same value the combinational
    // test would give this cycle, but no table and comparator between a handshake and the
    // next engine's (a FIFO's) write.
    function [SW-1:0] need_of(input [SW-1:0] slot, input tail_block);
        integer t;
        begin
            need_of = {SW{1'b0}};
            for (t = 0; t < OUT_SLOTS; t = t + 1)
                if ({{(32 - SW) {1'b0}}, slot} == t) need_of = tail_block ? need_words(t, LAST_IN) : need_words(t, IN_SLOTS);
        end
    endfunction
    reg available;
    localparam [SW-1:0] SLOT_ONE = 1;
    assign in_ready = wslot != 0 || !owned[wr_bank];
    assign out_valid = owned[rd_bank] && available;
    assign out_last = r_tail && rslot == LAST_OUT_END;

    wire read = in_valid && in_ready;
    wire write = out_valid && out_ready;
    // wslot + 1 and rslot + 1 are registers beside the slots: no adder before `available`
    reg [SW-1:0] wslot_inc, rslot_inc;
    wire r_at_end = rslot == r_end;
    // `available` after this cycle for each outcome of the handshakes (write, read): the next
    // values of the registers it reads (as the sequential block below sets them), from
    // registers alone; the handshakes, which come through the neighbours' logic, only select
    // one of the four (a LUT after them instead of the table and the comparator)
    wire [3:0] available_if;  // bit {w, rd}: the outcome write = w, read = rd
    genvar c;
    generate
        for (c = 0; c < 4; c = c + 1) begin : g_outcome
            localparam [1:0] OUTCOME = c;
            localparam W = OUTCOME[1], RD = OUTCOME[0];
            wire [SW-1:0] f0 = RD && !wr_bank ? wslot_inc : filled0;
            wire [SW-1:0] f1 = RD && wr_bank ? wslot_inc : filled1;
            wire t0 = RD && wslot == 0 && !wr_bank ? w_tail : tail[0];
            wire t1 = RD && wslot == 0 && wr_bank ? w_tail : tail[1];
            wire wrap = W && r_at_end;
            wire [SW-1:0] slot = wrap ? {SW{1'b0}} : W ? rslot_inc : rslot;
            wire bank = wrap ? !rd_bank : rd_bank;
            assign available_if[c] = (bank ? f1 : f0) >= need_of(slot, bank ? t1 : t0);
        end
    endgenerate

    // Input slot k: lanes to bank bits [k*IN_W, (k+1)*IN_W).
    genvar k, r;
    generate
        for (k = 0; k < IN_SLOTS; k = k + 1) begin : g_in
            localparam [SW-1:0] SLOT = k[SW-1:0];
            always @(posedge clk) begin
                if (read && wslot == SLOT) begin
                    if (wr_bank) bank1[k*IN_W+:IN_W] <= in_data[IN_W-1:0];
                    else bank0[k*IN_W+:IN_W] <= in_data[IN_W-1:0];
                end
            end
        end
    endgenerate

    // Output slot r of each bank: bank bits [r*OUT_W, (r+1)*OUT_W), zeros past the input slots
    // (lanes past the frame's end, which the mask clears anyway).
    /* verilator lint_off UNUSEDSIGNAL */  // bits past the last output slot
    wire [SIZE-1:0] view0, view1;
    /* verilator lint_on UNUSEDSIGNAL */
    generate
        if (SIZE > SIZE_IN) begin : g_view_pad
            assign view0 = {{(SIZE - SIZE_IN) {1'b0}}, bank0};
            assign view1 = {{(SIZE - SIZE_IN) {1'b0}}, bank1};
        end else begin : g_view
            assign view0 = bank0;
            assign view1 = bank1;
        end
    endgenerate
    wire [OUT_SLOTS*OUT_W-1:0] words0, words1;
    generate
        for (r = 0; r < OUT_SLOTS; r = r + 1) begin : g_out
            assign words0[r*OUT_W+:OUT_W] = view0[r*OUT_W+:OUT_W];
            assign words1[r*OUT_W+:OUT_W] = view1[r*OUT_W+:OUT_W];
        end
    endgenerate
    // The slot's word: a multiplexer over the slots, each selected by its decoded slot number.
    wire [31:0] rslot_i = {{(32 - SW) {1'b0}}, rslot};
    reg [OUT_W-1:0] word;
    integer q;
    always @(*) begin
        word = {OUT_W{1'b0}};
        for (q = 0; q < OUT_SLOTS; q = q + 1)
            if (rslot_i == q) word = rd_bank ? words1[q*OUT_W+:OUT_W] : words0[q*OUT_W+:OUT_W];
    end
    // lanes beyond the frame hold the last input word's padding or an older block: cleared
    wire [OUT_W-1:0] visible = out_last ? word & TAIL_MASK : word;

    generate
        if (OUT_WIDTH > OUT_W) begin : g_pad
            assign out_data = {{(OUT_WIDTH - OUT_W) {1'b0}}, visible};
        end else begin : g_exact
            assign out_data = visible[OUT_WIDTH-1:0];
        end
    endgenerate

    always @(posedge clk) begin
        if (!rst_n) begin
            wr_bank <= 1'b0;
            rd_bank <= 1'b0;
            wslot <= {SW{1'b0}};
            rslot <= {SW{1'b0}};
            wslot_inc <= SLOT_ONE;
            rslot_inc <= SLOT_ONE;
            wblock <= {BW{1'b0}};
            owned <= 2'b00;
            tail <= 2'b00;
            filled0 <= {SW{1'b0}};
            filled1 <= {SW{1'b0}};
            available <= 1'b0;
        end else begin
            // (a multiplexer of the four: one LUT; an index into the vector maps to MUXF7/MUXF8)
            available <= write ? (read ? available_if[3] : available_if[2]) : (read ? available_if[1] : available_if[0]);
            if (read) begin
                if (wslot == 0) begin  // (constant bit indices: a variable one costs a 32-bit adder)
                    if (wr_bank) begin
                        owned[1] <= 1'b1;
                        tail[1] <= w_tail;
                    end else begin
                        owned[0] <= 1'b1;
                        tail[0] <= w_tail;
                    end
                end
                if (wr_bank) filled1 <= wslot_inc;
                else filled0 <= wslot_inc;
                if (wslot == w_end) begin
                    wslot <= {SW{1'b0}};
                    wslot_inc <= SLOT_ONE;
                    wr_bank <= !wr_bank;
                    wblock <= w_tail ? {BW{1'b0}} : wblock + 1'b1;
                end else begin
                    wslot <= wslot_inc;
                    wslot_inc <= wslot_inc + 1'b1;
                end
            end
            if (write) begin
                if (r_at_end) begin
                    rslot <= {SW{1'b0}};
                    rslot_inc <= SLOT_ONE;
                    if (rd_bank) owned[1] <= 1'b0;
                    else owned[0] <= 1'b0;
                    rd_bank <= !rd_bank;
                end else begin
                    rslot <= rslot_inc;
                    rslot_inc <= rslot_inc + 1'b1;
                end
            end
        end
    end
endmodule
