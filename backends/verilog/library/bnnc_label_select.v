// bnnc_label_select: the indices of the K largest of CLASSES scores (df.label_select), ties to
// the lower index, PE scores a word in, one index a word out (OUT_BITS bits).
//
// Language: Verilog-2005 (Verilator 5, Icarus -g2012, Yosys 0.23).
//
// Pipelined so that no path holds more than one comparison (the 200 MHz clock by the timing
// check, docs/rtl.md "Timing"): inserting PE scores into one list in a cycle puts PE ranked
// insertions in series (the 100-class top-5 with PE 4 measured 39.7 ns that way).
//
// - Lanes: lane p keeps its own top-K list of the scores p, PE + p, 2·PE + p, … , sorted best
//   first. A lane inserts one score a cycle: every entry compares the score with itself (one
//   comparator of BITS + 2 bits, the entry's used bit above the score), and takes it, shifts
//   down or stays. A later score of a lane has the higher index, so it goes behind equal ones.
// - Merge: after a frame's last word the PE lists (padded to LP = 2^⌈log2 PE⌉ lists of
//   KP = 2^⌈log2 K⌉ entries, the padding unused) are merged pairwise in ⌈log2 PE⌉ levels into
//   one. Two lists A and B, sorted descending, merge as a bitonic merge: C[i] = max(A[i],
//   B[KP−1−i]) holds the top KP of both as a bitonic sequence, which ⌈log2 KP⌉ half-cleaner
//   layers (compare-exchange at distance KP/2, …, 1) sort. Each layer is one register stage:
//   MERGE = ⌈log2 PE⌉·(1 + ⌈log2 K⌉) stages. Entries compare as keys {used, score with its
//   sign bit inverted, inverted index}, unsigned: the larger key is the better entry (a higher
//   score; at equal scores the lower index); unused entries (key 0) lose to every used one.
// - Output: the merged list's first K indices go to an output register, which gives K words
//   while the next frames stream in; a frame that leaves the merge while the output register
//   is still busy waits in a queue of FRAMES − 1 lists.
//
// Cycle behaviour: one input word a cycle, CLASSES/PE a frame
// (bnnc.analysis.cost_model.label_select_cost); the first index leaves MERGE + 2 cycles after
// the frame's last word is read (`cost_model.label_select_pipeline_depth`: the lanes' register,
// the MERGE stages, the output register) or the cycle after the previous frame's last index,
// then one a cycle. FRAMES frames may be between their last word and their last index
// (`cost_model.label_select_frames`: enough that the unit keeps one frame per max(CLASSES/PE,
// K) cycles); a frame's last word waits while FRAMES are.
module bnnc_label_select #(
    parameter integer PE = 1,
    parameter integer CLASSES = 10,
    parameter integer K = 1,
    parameter integer BITS = 8,
    parameter integer KIND = 1,
    parameter integer OUT_BITS = 4
) (
    input  wire                 clk,
    input  wire                 rst_n,
    input  wire [PE*BITS-1:0]   in_data,
    input  wire                 in_valid,
    output wire                 in_ready,
    output wire [OUT_BITS-1:0]  out_data,
    output wire                 out_valid,
    input  wire                 out_ready
);
    localparam integer WORDS = CLASSES / PE;
    localparam integer WB = WORDS > 1 ? $clog2(WORDS) : 1;
    localparam integer SB = BITS + 1;  // scores as signed values
    localparam integer IB = OUT_BITS;
    localparam integer KEY = 1 + SB + IB;  // {used, score ^ sign, ~index}
    localparam integer KL = K > 1 ? $clog2(K) : 0;
    localparam integer KP = 1 << KL;
    localparam integer PL = PE > 1 ? $clog2(PE) : 0;
    localparam integer LP = 1 << PL;
    localparam integer LAYERS = 1 + KL;  // a merge level: the max layer and the half-cleaners
    localparam integer MERGE = PL * LAYERS;
    localparam integer LIST = KP * KEY;
    localparam integer STAGE = LP * LIST;
    localparam integer LB = $clog2(K + 1);
    localparam integer DEPTH = MERGE + 2;
    localparam integer PACE = WORDS > K ? WORDS : K;
    localparam integer FRAMES = (DEPTH + K + PACE - 1) / PACE;
    localparam integer FB = $clog2(FRAMES + 1);
    localparam [FB-1:0] ONE_FRAME = 1;

    // ---- the lanes' lists: entry j of lane p at [(p*KP + j)*KEY, …), entries K..KP-1 unused
    reg [STAGE-1:0] lanes;
    reg [WB-1:0] word;
    reg [IB-1:0] base;  // word * PE, the index of lane 0's score
    reg [LB-1:0] left;  // indices still to give
    reg [K*IB-1:0] out_indices;
    reg [MERGE:0] in_merge;  // a frame's lists in stage s (0: the lanes, complete)
    reg [FB-1:0] frames;  // frames between their last word and their last index
    wire last_word = word == WORDS[WB-1:0] - 1'b1;
    assign in_ready = !(last_word && frames == FRAMES[FB-1:0]);
    wire read = in_valid && in_ready;
    assign out_valid = left != {LB{1'b0}};
    wire leaving = out_valid && out_ready;
    wire free = left == {LB{1'b0}} || (left == 1 && out_ready);  // for the next list
    assign out_data = out_indices[IB-1:0];

    reg [STAGE-1:0] lanes_next;
    reg [KEY-1:0] entry, above, fresh;
    reg [SB:0] score;  // {1, the score as a key}: beats every unused entry
    reg [K:0] beats;   // beats[j + 1]: the score goes before entry j (beats[0] = 0)
    reg [IB-1:0] index;
    wire first_word = word == {WB{1'b0}};  // a frame starts from empty lists
    integer p, j;
    always @* begin
        lanes_next = {STAGE{1'b0}};
        for (p = 0; p < PE; p = p + 1) begin
            if (KIND == 2) score = {1'b1, ~in_data[p*BITS+BITS-1], in_data[p*BITS+:BITS]};
            else score = {2'b11, in_data[p*BITS+:BITS]};
            index = base + p[IB-1:0];
            fresh = {score, ~index};
            beats[0] = 1'b0;
            for (j = 0; j < K; j = j + 1) begin
                entry = lanes[(p*KP+j)*KEY+:KEY];
                beats[j+1] = score > {entry[KEY-1] && !first_word, entry[KEY-2-:SB]};
            end
            above = {KEY{1'b0}};
            for (j = 0; j < K; j = j + 1) begin
                entry = lanes[(p*KP+j)*KEY+:KEY];
                entry[KEY-1] = entry[KEY-1] && !first_word;
                if (!beats[j+1]) lanes_next[(p*KP+j)*KEY+:KEY] = entry;
                else if (!beats[j]) lanes_next[(p*KP+j)*KEY+:KEY] = fresh;
                else lanes_next[(p*KP+j)*KEY+:KEY] = above;
                above = entry;
            end
        end
    end

    // ---- the merge: stage s+1 from stage s, one layer each (the layers' derivation above);
    // stage s at [s*STAGE, …), list q of a stage at [q*LIST, …)
    wire [(MERGE+1)*STAGE-1:0] stages;
    assign stages[STAGE-1:0] = lanes;
    genvar s, q, i;
    generate
        for (s = 0; s < MERGE; s = s + 1) begin : g_stage
            localparam integer LEVEL = s / LAYERS, LAYER = s % LAYERS;
            localparam integer LISTS = LP >> (LEVEL + 1);  // lists after this level
            localparam integer DIST = KP >> LAYER;  // the half-cleaner's distance (layers 1..)
            /* verilator lint_off UNUSEDSIGNAL */  // the lists a level has merged away
            wire [STAGE-1:0] from = stages[s*STAGE+:STAGE];
            /* verilator lint_on UNUSEDSIGNAL */
            for (q = 0; q < LP; q = q + 1) begin : g_list
                for (i = 0; i < KP; i = i + 1) begin : g_entry
                    localparam integer AT = (s + 1) * STAGE + q * LIST + i * KEY;
                    if (q >= LISTS) begin : g_unused
                        assign stages[AT+:KEY] = {KEY{1'b0}};
                    end else if (LAYER == 0) begin : g_max
                        wire [KEY-1:0] a = from[(2*q)*LIST+i*KEY+:KEY];
                        wire [KEY-1:0] b = from[(2*q+1)*LIST+(KP-1-i)*KEY+:KEY];
                        reg [KEY-1:0] r;
                        always @(posedge clk) r <= a > b ? a : b;
                        assign stages[AT+:KEY] = r;
                    end else begin : g_exchange
                        localparam integer UPPER = (i / DIST) % 2 == 0 ? 1 : 0;  // keeps the larger
                        localparam integer MATE = UPPER != 0 ? i + DIST : i - DIST;
                        wire [KEY-1:0] mine = from[q*LIST+i*KEY+:KEY];
                        wire [KEY-1:0] mate = from[q*LIST+MATE*KEY+:KEY];
                        reg [KEY-1:0] r;
                        always @(posedge clk) r <= (mine > mate) == (UPPER != 0) ? mine : mate;
                        assign stages[AT+:KEY] = r;
                    end
                end
            end
        end
    endgenerate

    // ---- the output register: the first K indices of the merged list
    wire [STAGE-1:0] last_stage = stages[MERGE*STAGE+:STAGE];
    reg [K*IB-1:0] merged;
    integer k;
    always @* begin
        for (k = 0; k < K; k = k + 1) merged[k*IB+:IB] = ~last_stage[k*KEY+:IB];
    end

    /* verilator lint_off UNUSEDSIGNAL */  // its top bit leaves the pipeline
    wire [MERGE+1:0] in_merge_next = {in_merge, read && last_word};
    /* verilator lint_on UNUSEDSIGNAL */

    // ---- the queue of merged lists waiting for the output register (FRAMES - 1 of them)
    wire queued;  // a list waits
    wire [K*IB-1:0] head;
    wire from_merge = in_merge[MERGE] && free && !queued;
    wire from_queue = free && queued;
    generate
        if (FRAMES > 1) begin : g_queue
            localparam integer QB = $clog2(FRAMES);
            localparam [QB-1:0] ONE_LIST = 1;
            reg [K*IB-1:0] lists[0:FRAMES-2];
            reg [QB-1:0] count;
            wire push = in_merge[MERGE] && !from_merge;
            wire [QB-1:0] at = from_queue ? count - 1'b1 : count;  // the pushed list's place
            integer e;
            always @(posedge clk) begin
                if (!rst_n) count <= {QB{1'b0}};
                else count <= count + (push ? ONE_LIST : {QB{1'b0}}) - (from_queue ? ONE_LIST : {QB{1'b0}});
                for (e = 0; e < FRAMES - 1; e = e + 1) begin
                    if (push && {{(32 - QB) {1'b0}}, at} == e) lists[e] <= merged;
                    else if (from_queue && e < FRAMES - 2) lists[e] <= lists[e+1];
                end
            end
            assign queued = count != {QB{1'b0}};
            assign head = lists[0];
        end else begin : g_no_queue
            assign queued = 1'b0;
            assign head = merged;
        end
    endgenerate

    always @(posedge clk) begin
        if (!rst_n) begin
            word <= {WB{1'b0}};
            base <= {IB{1'b0}};
            left <= {LB{1'b0}};
            frames <= {FB{1'b0}};
            in_merge <= {(MERGE + 1) {1'b0}};
            lanes <= {STAGE{1'b0}};
        end else begin
            in_merge <= in_merge_next[MERGE:0];
            frames <= frames + (read && last_word ? ONE_FRAME : {FB{1'b0}})
                      - (leaving && left == 1 ? ONE_FRAME : {FB{1'b0}});
            if (from_merge || from_queue) begin
                out_indices <= from_queue ? head : merged;
                left <= K[LB-1:0];
            end else if (leaving) begin
                left <= left - 1'b1;
                out_indices <= out_indices >> IB;
            end
            if (read) begin
                lanes <= lanes_next;
                word <= last_word ? {WB{1'b0}} : word + 1'b1;
                base <= last_word ? {IB{1'b0}} : base + PE[IB-1:0];
            end
        end
    end
endmodule
