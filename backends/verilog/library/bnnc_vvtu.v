// bnnc_vvtu: vector-vector-threshold unit of a depthwise convolution (df.vvtu).
//
// Language: Verilog-2005 (Verilator 5, Icarus -g2012, Yosys 0.23).
//
// Every output pixel's CHANNELS channels are each the dot product of the channel's TAPS window
// taps with the channel's own TAPS weights; MMV pixels (a multi-pixel word) go through together.
// Folding: PE channels and SIMD taps a cycle, CF = CHANNELS/PE channel folds of TF = TAPS/SIMD
// tap folds.
//
// Words: an input word (pixel group, channel fold cf, tap fold tf) holds lane (m, s, p) =
// (m*SIMD + s)*PE + p, tap tf*SIMD + s of channel cf*PE + p of pixel m (the order of bnnc's
// window unit in its depthwise mode, df.swu {depthwise}); an output word (pixel group, cf) holds
// lane (m, p) = m*PE + p, channel cf*PE + p: NHWC.
//
// Arithmetic as bnnc_mvtu's (IN_KIND / W_KIND: 0 bipolar, 1 unsigned, 2 signed): POPCOUNT counts
// the lanes where x XNOR w, otherwise the signed sum of x*w (n-bit x n-bit by shifts and adds in
// LUTs, a balanced tree of partial products, alone in the tree's first stage (GROUP = 1):
// no DSP mode); STEPS thresholds a channel (OFFSET + #{i : acc >= T[c][i]}) or, with
// STEPS = 0, the accumulator cut to OUT_BITS.
//
// Memories (initialised with $readmemh):
//   - WEIGHT_FILE: CF*TF words of PE*SIMD*W_BITS bits, word cf*TF + tf holding the weight of tap
//     tf*SIMD + s of channel cf*PE + p at lane s*PE + p (df.VvtuOp.weight_memory). Read through
//     a register (BRAM-inferable).
//   - THRESHOLD_FILE: CF words of PE*STEPS*ACC_BITS bits, word cf; threshold i of PE p at bits
//     [(p*STEPS + i)*ACC_BITS, ...).
//
// Cycle behaviour: one input word a cycle, each used once (no input buffer: a channel's taps are
// needed by that channel alone); an output word after its TF tap folds, so a frame takes
// CF*TF*VECTORS/MMV cycles. The pipeline is bnnc_mvtu's, each stage one register (its depth,
// df.VvtuOp.pipeline_depth, is 5 + TREE_STAGES):
//   1. the weight word read (the block RAM's read register) and the input word;
//   2. the weight word again (the RAM's output register);
//   3. TREE_STAGES stages of each channel's dot product over SIMD taps (GROUP lanes in the first,
//      RADIX nodes of the stage before in each next one);
//   4. the accumulator;
//   5. the comparisons with the channel fold's thresholds (read into a register beside the
//      accumulator), registered: one bit a threshold;
//   6. their count (the bits are a thermometer code: two levels of LUTs, where bnnc_mvtu's chain
//      of STEPS adders took 26 ns at 15 thresholds in Yosys) plus OFFSET, the output register.
// The pipeline stalls as a whole while its output word waits (in_ready follows out_ready).
module bnnc_vvtu #(
    parameter integer CHANNELS = 2,
    parameter integer TAPS = 9,
    parameter integer PE = 1,
    parameter integer SIMD = 1,
    parameter integer MMV = 1,
    parameter integer IN_BITS = 1,
    parameter integer IN_KIND = 0,
    parameter integer W_BITS = 1,
    parameter integer W_KIND = 0,
    parameter integer POPCOUNT = 1,
    parameter integer ACC_BITS = 8,
    parameter integer STEPS = 1,
    parameter integer OFFSET = 0,
    parameter integer OUT_BITS = 1,
    parameter integer GROUP = 32,
    parameter integer RADIX = 4,
    parameter WEIGHT_FILE = "weights.mem",
    parameter THRESHOLD_FILE = "thresholds.mem"
) (
    input  wire                         clk,
    input  wire                         rst_n,
    input  wire [MMV*SIMD*PE*IN_BITS-1:0] in_data,
    input  wire                         in_valid,
    output wire                         in_ready,
    output wire [MMV*PE*OUT_BITS-1:0]   out_data,
    output wire                         out_valid,
    input  wire                         out_ready
);
    localparam integer CF = CHANNELS / PE;
    localparam integer TF = TAPS / SIMD;
    localparam integer WORDS = CF * TF;
    localparam integer IN_W = MMV * SIMD * PE * IN_BITS;
    localparam integer W_W = PE * SIMD * W_BITS;
    localparam integer T_STEPS = STEPS > 0 ? STEPS : 1;
    localparam integer T_W = PE * T_STEPS * ACC_BITS;
    localparam integer TA = WORDS > 1 ? $clog2(WORDS) : 1;
    localparam integer SA = TF > 1 ? $clog2(TF) : 1;
    localparam integer NA = CF > 1 ? $clog2(CF) : 1;

    // ---- memories
    reg [W_W-1:0] weights[0:WORDS-1];
    reg [T_W-1:0] thresholds[0:CF-1];
    initial begin
        $readmemh(WEIGHT_FILE, weights);
        if (STEPS > 0) $readmemh(THRESHOLD_FILE, thresholds);
    end

    // ---- stage 0: issue a word (tf: the tap fold, nf: the channel fold)
    reg out_full;  // the output register holds a word not yet taken
    wire advance = !out_full || out_ready;
    reg [TA-1:0] tile;
    reg [SA-1:0] sf;
    reg [NA-1:0] nf;
    wire issue = advance && in_valid;
    assign in_ready = advance;

    always @(posedge clk) begin
        if (!rst_n) begin
            tile <= 0;
            sf <= 0;
            nf <= 0;
        end else if (issue) begin
            tile <= tile == WORDS[TA-1:0] - 1'b1 ? {TA{1'b0}} : tile + 1'b1;
            if (sf == TF[SA-1:0] - 1'b1) begin
                sf <= 0;
                nf <= nf == CF[NA-1:0] - 1'b1 ? {NA{1'b0}} : nf + 1'b1;
            end else begin
                sf <= sf + 1'b1;
            end
        end
    end

    // ---- the dot product's tree: N_s nodes of NB_s bits at stage s
    function integer nodes_at(input integer stage);
        integer n, k;
        begin
            n = (SIMD + GROUP - 1) / GROUP;
            for (k = 0; k < stage; k = k + 1) n = (n + RADIX - 1) / RADIX;
            nodes_at = n;
        end
    endfunction
    function integer tree_stages(input integer lanes);
        integer n, k;
        begin
            n = (lanes + GROUP - 1) / GROUP;
            k = 1;
            while (n > 1) begin n = (n + RADIX - 1) / RADIX; k = k + 1; end
            tree_stages = k;
        end
    endfunction
    function integer lanes_at(input integer stage);  // lanes summed into a node of the stage
        integer n, k;
        begin
            n = GROUP;
            for (k = 0; k < stage; k = k + 1) n = n * RADIX;
            lanes_at = n > SIMD ? SIMD : n;
        end
    endfunction
    function integer node_bits(input integer stage);  // a popcount node is unsigned
        begin
            node_bits = POPCOUNT != 0 ? $clog2(lanes_at(stage) + 1) : ACC_BITS;
        end
    endfunction
    localparam integer TREE_STAGES = tree_stages(SIMD);
    localparam integer TOP_BITS = node_bits(TREE_STAGES - 1);
    // control through stage 2 and the tree: valid, first and last tap fold, channel fold
    localparam integer CW = 3 + NA;
    localparam integer PIPE = 1 + TREE_STAGES;

    // ---- stage 1: the weight tile (a registered read) and the input word
    reg [W_W-1:0] w1;
    reg [IN_W-1:0] x1;
    reg [CW-1:0] c1;
    always @(posedge clk) begin
        if (advance) begin
            w1 <= weights[tile];
            x1 <= in_data;
            c1[CW-1:1] <= {sf == 0, sf == TF[SA-1:0] - 1'b1, nf};
        end
    end
    always @(posedge clk) begin
        if (!rst_n) c1[0] <= 1'b0;
        else if (advance) c1[0] <= issue;
    end

    // ---- stage 2: the RAM's output register
    reg [W_W-1:0] w2;
    reg [IN_W-1:0] x2;
    always @(posedge clk) begin
        if (advance) begin
            w2 <= w1;
            x2 <= x1;
        end
    end

    // control of stages 2 .. 2 + TREE_STAGES: ctrl[k*CW +: CW] is stage 2 + k's
    reg [PIPE*CW-1:0] ctrl;
    always @(posedge clk) begin
        if (!rst_n) ctrl <= {PIPE * CW{1'b0}};
        else if (advance) ctrl <= {ctrl[(PIPE-1)*CW-1:0], c1};
    end
    wire [CW-1:0] c_top = ctrl[(PIPE-1)*CW+:CW];  // the tree's last stage
    wire v_top = c_top[0];
    wire last_top = c_top[CW-2];
    wire first_top = c_top[CW-1];
    wire [NA-1:0] nf_top = c_top[NA:1];

    // ---- the lanes: a bipolar factor selects the other or its negation
    function signed [ACC_BITS-1:0] lane_value;
        input [IN_BITS-1:0] code;
        input integer kind;
        begin
            if (kind == 0) lane_value = code[0] ? 1 : -1;
            else if (kind == 2) lane_value = {{(ACC_BITS - IN_BITS) {code[IN_BITS-1]}}, code};
            else lane_value = {{(ACC_BITS - IN_BITS) {1'b0}}, code};
        end
    endfunction

    function signed [ACC_BITS-1:0] weight_value;
        input [W_BITS-1:0] code;
        begin
            if (W_KIND == 0) weight_value = code[0] ? 1 : -1;
            else weight_value = {{(ACC_BITS - W_BITS) {code[W_BITS-1]}}, code};
        end
    endfunction

    // an n-bit x n-bit product in LUTs: its W_BITS partial products (x shifted, the top one
    // subtracted for signed weights) added as a balanced tree at the product's own width PW,
    // ceil(log2 W_BITS) adder levels (bnnc_mvtu's running sum at the accumulator's width is a
    // chain of W_BITS adders: 8.6 ns for 4 x 4 bits in Yosys)
    localparam integer PW = IN_BITS + W_BITS + 1;
    function signed [ACC_BITS-1:0] tree_product;
        input [IN_BITS-1:0] x;
        input [W_BITS-1:0] w;
        reg [PW*W_BITS-1:0] terms;
        reg signed [PW-1:0] xv, term;
        integer b, n, i;
        begin
            xv = {{(PW - IN_BITS) {IN_KIND == 2 && x[IN_BITS-1]}}, x};
            for (b = 0; b < W_BITS; b = b + 1) begin
                term = w[b] ? xv <<< b : {PW{1'b0}};
                terms[b*PW+:PW] = W_KIND == 2 && b == W_BITS - 1 ? -term : term;
            end
            for (n = W_BITS; n > 1; n = (n + 1) / 2) begin  // n terms left: a level of n/2 sums
                for (i = 0; i < W_BITS / 2; i = i + 1)
                    if (i < n / 2) terms[i*PW+:PW] = terms[2*i*PW+:PW] + terms[(2*i+1)*PW+:PW];
                if (n % 2 == 1) terms[(n/2)*PW+:PW] = terms[(n-1)*PW+:PW];
            end
            term = terms[PW-1:0];
            tree_product = {{(ACC_BITS - PW) {term[PW-1]}}, term};
        end
    endfunction

    function signed [ACC_BITS-1:0] lane;
        input [IN_BITS-1:0] x;
        input [W_BITS-1:0] w;
        reg signed [ACC_BITS-1:0] xv, wv;
        begin
            xv = lane_value(x, IN_KIND);
            wv = weight_value(w);
            if (POPCOUNT != 0) lane = {{(ACC_BITS - 1) {1'b0}}, x[0] ~^ w[0]};
            else if (W_KIND == 0) lane = w[0] ? xv : -xv;
            else if (IN_KIND == 0) lane = x[0] ? wv : -wv;
            else lane = tree_product(x, w);
        end
    endfunction

    // ---- stages 3 ..: the tree and the accumulator, MMV x PE of them
    reg [MMV*PE*ACC_BITS-1:0] acc;
    genvar m, p, st;
    generate
        for (m = 0; m < MMV; m = m + 1) begin : g_pixel
            for (p = 0; p < PE; p = p + 1) begin : g_pe
                localparam integer A = (m * PE + p) * ACC_BITS;
                // channel p's SIMD taps: input lane (m*SIMD + s)*PE + p, weight lane s*PE + p
                wire [SIMD*IN_BITS-1:0] xs;
                wire [SIMD*W_BITS-1:0] ws;
                for (st = 0; st < SIMD; st = st + 1) begin : g_tap
                    assign xs[st*IN_BITS+:IN_BITS] = x2[((m*SIMD+st)*PE+p)*IN_BITS+:IN_BITS];
                    assign ws[st*W_BITS+:W_BITS] = w2[(st*PE+p)*W_BITS+:W_BITS];
                end
                for (st = 0; st < TREE_STAGES; st = st + 1) begin : g_tree
                    localparam integer N = nodes_at(st);
                    localparam integer NB = node_bits(st);
                    reg [N*NB-1:0] level;
                    reg [N*NB-1:0] next;
                    reg [ACC_BITS-1:0] sum;
                    integer i, j;
                    if (st == 0) begin : g_lanes
                        always @* begin
                            next = {N * NB{1'b0}};
                            for (i = 0; i < N; i = i + 1) begin
                                sum = {ACC_BITS{1'b0}};
                                for (j = i * GROUP; j < (i + 1) * GROUP && j < SIMD; j = j + 1)
                                    sum = sum + lane(xs[j*IN_BITS+:IN_BITS], ws[j*W_BITS+:W_BITS]);
                                next[i*NB+:NB] = sum[NB-1:0];
                            end
                        end
                    end else begin : g_sums
                        localparam integer NP = nodes_at(st - 1);
                        localparam integer NBP = node_bits(st - 1);
                        reg [ACC_BITS-1:0] term;
                        always @* begin
                            next = {N * NB{1'b0}};
                            for (i = 0; i < N; i = i + 1) begin
                                sum = {ACC_BITS{1'b0}};
                                for (j = i * RADIX; j < (i + 1) * RADIX && j < NP; j = j + 1) begin
                                    term = {ACC_BITS{1'b0}};
                                    term[NBP-1:0] = g_tree[st-1].level[j*NBP+:NBP];
                                    sum = sum + term;
                                end
                                next[i*NB+:NB] = sum[NB-1:0];
                            end
                        end
                    end
                    always @(posedge clk) begin
                        if (advance) level <= next;
                    end
                end
                wire [ACC_BITS-1:0] partial;
                if (TOP_BITS < ACC_BITS) begin : g_widen
                    assign partial = {{(ACC_BITS - TOP_BITS) {1'b0}}, g_tree[TREE_STAGES-1].level};
                end else begin : g_same
                    assign partial = g_tree[TREE_STAGES-1].level;
                end
                wire [ACC_BITS-1:0] base = first_top ? {ACC_BITS{1'b0}} : acc[A+:ACC_BITS];
                always @(posedge clk) begin
                    if (advance && v_top) acc[A+:ACC_BITS] <= base + partial;
                end
            end
        end
    endgenerate
    reg v_acc;
    // The thresholds of the channel fold, read beside the accumulator into a register of their
    // own (as bnnc_mvtu's, so that the output's handshake does not drive the ROM's read port).
    reg [T_W-1:0] row_thresholds;
    always @(posedge clk) begin
        if (!rst_n) v_acc <= 1'b0;
        else if (advance) v_acc <= v_top && last_top;
        if (advance) row_thresholds <= thresholds[nf_top];
    end

    // ---- the comparisons, registered: bit k of channel (m, p) is acc >= T[k]. The thresholds
    // of a channel are sorted, so its bits are a thermometer code (ones, then zeros); without
    // thresholds the accumulator is carried instead.
    // a channel's field: T_STEPS comparison bits, then the accumulator (the part not used is
    // constant zero, which synthesis removes)
    localparam integer CMP_BITS = T_STEPS + ACC_BITS;
    localparam integer CMP_W = MMV * PE * CMP_BITS;
    reg [CMP_W-1:0] compared;
    reg v_cmp;
    integer i, q, k;
    reg signed [ACC_BITS-1:0] a, t;
    reg [CMP_W-1:0] compare;
    always @* begin
        compare = {CMP_W{1'b0}};
        for (i = 0; i < MMV; i = i + 1) begin
            for (q = 0; q < PE; q = q + 1) begin
                a = acc[(i*PE+q)*ACC_BITS+:ACC_BITS];
                if (STEPS > 0) begin
                    for (k = 0; k < T_STEPS; k = k + 1) begin
                        t = row_thresholds[(q*T_STEPS+k)*ACC_BITS+:ACC_BITS];
                        compare[(i*PE+q)*CMP_BITS+k] = a >= t;
                    end
                end else begin
                    compare[(i*PE+q)*CMP_BITS+T_STEPS+:ACC_BITS] = a;
                end
            end
        end
    end
    always @(posedge clk) begin
        if (!rst_n) v_cmp <= 1'b0;
        else if (advance) v_cmp <= v_acc;
        if (advance) compared <= compare;
    end

    // ---- the last stage: the count of a thermometer code (bit j of the count is set where a
    // run of ones ends at an index whose bit j is 1: two LUT levels, not a chain of adders),
    // plus OFFSET; the output register
    function [31:0] thermometer_count(input [T_STEPS-1:0] bits);
        integer e, j;
        reg [31:0] n;
        begin
            n = 0;
            for (e = 0; e < T_STEPS; e = e + 1)  // the run of ones is e + 1 long
                if (bits[e] && (e == T_STEPS - 1 || !bits[(e + 1) % T_STEPS]))
                    for (j = 0; j < 32; j = j + 1) if ((((e + 1) >> j) & 1) != 0) n[j] = 1'b1;
            thermometer_count = n;
        end
    endfunction
    reg [MMV*PE*OUT_BITS-1:0] result;
    /* verilator lint_off UNUSEDSIGNAL */  // OUT_BITS of the count leave
    reg [31:0] count;
    /* verilator lint_on UNUSEDSIGNAL */
    always @* begin
        result = {MMV * PE * OUT_BITS{1'b0}};
        for (i = 0; i < MMV; i = i + 1) begin
            for (q = 0; q < PE; q = q + 1) begin
                if (STEPS > 0) begin
                    count = OFFSET + thermometer_count(compared[(i*PE+q)*CMP_BITS+:T_STEPS]);
                    result[(i*PE+q)*OUT_BITS+:OUT_BITS] = count[OUT_BITS-1:0];
                end else begin
                    result[(i*PE+q)*OUT_BITS+:OUT_BITS] = compared[(i*PE+q)*CMP_BITS+T_STEPS+:OUT_BITS];
                end
            end
        end
    end

    reg [MMV*PE*OUT_BITS-1:0] out_word;
    always @(posedge clk) begin
        if (!rst_n) out_full <= 1'b0;
        else if (advance) out_full <= v_cmp;
        if (advance && v_cmp) out_word <= result;
    end
    assign out_data = out_word;
    assign out_valid = out_full;
endmodule
