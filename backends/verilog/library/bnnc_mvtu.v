// bnnc_mvtu: matrix-vector-threshold unit (df.mvtu).
//
// Language: Verilog-2005 (Verilator 5, Icarus -g2012, Yosys 0.23).
//
// Every input vector of MW elements is multiplied by the MH x MW weight matrix; MMV vectors (the
// pixels of a multi-pixel word) go through together. Folding: PE rows and SIMD columns a cycle,
// NF = MH/PE neuron folds of SF = MW/SIMD synapse folds.
//
// Words: an input word holds lane (m, s) = m*SIMD + s, element f*SIMD + s of pixel m at synapse
// fold f; an output word holds lane (m, p) = m*PE + p, row n*PE + p at neuron fold n.
//
// Arithmetic (IN_KIND / W_KIND: 0 bipolar, 1 unsigned, 2 signed two's complement):
//   - POPCOUNT: bipolar x bipolar, the accumulator counts the lanes where x XNOR w;
//   - otherwise the signed sum of x*w (a bipolar value is +1 for bit 1 and -1 for bit 0).
// With STEPS thresholds a row's output is OFFSET + #{i : acc >= T[row][i]} in OUT_BITS (one
// bit for a bipolar output: STEPS = 1, OFFSET = 0); without (STEPS = 0) the accumulator itself,
// cut to OUT_BITS. Accumulators and thresholds are ACC_BITS-bit signed values.
//
// Memories (initialised with $readmemh):
//   - WEIGHT_FILE: NF*SF words of PE*SIMD*W_BITS bits, word n*SF + f; PE p's SIMD lanes at bits
//     [p*SIMD*W_BITS, ...), lane s at s*W_BITS: bnnc.runtime.interpreters.df.weight_memory, one memory
//     word holding the tile of every PE. Read through a register (BRAM-inferable).
//   - THRESHOLD_FILE: NF words of PE*STEPS*ACC_BITS bits, word n; threshold i of PE p at bits
//     [(p*STEPS + i)*ACC_BITS, ...).
//
// Cycle behaviour: one tile (SIMD columns of PE rows for MMV pixels) a cycle. The SF words of a
// vector group are read in neuron fold 0, one a cycle, and kept in an input buffer that the
// other NF-1 folds reuse; a group takes NF*SF cycles, a frame NF*SF*VECTORS/MMV. The pipeline,
// each stage one register (its depth, bnnc.analysis.cost_model.mvtu_pipeline_depth, is 4 + TREE_STAGES):
//   1. the weight tile read (the block RAM's read register) and the input word;
//   2. the weight tile again (the RAM's output register, so no logic follows a RAM read);
//   3. TREE_STAGES stages of the dot product: the first sums GROUP lanes (XNOR bits, or a
//      negate-and-select / product per lane), each next one RADIX sums of the stage before,
//      so that no stage holds more than one level of adders (GROUP and RADIX follow from the
//      clock: bnnc.analysis.cost_model.mvtu_tree);
//   4. the accumulator;
//   5. thresholds (the row read into a register beside the accumulator), the output register.
// An output word leaves 4 + TREE_STAGES cycles after the tile that completes it. The pipeline
// stalls as a whole while its output word waits (in_ready follows out_ready).
//
// Multipliers: a bipolar factor is a negate-and-select of the other (no multiplier); n-bit x
// n-bit lanes multiply by shifts and adds in LUTs, or with USE_DSP on DSP48E1s (then GROUP is 1,
// so that a product alone feeds the first tree register: bnnc.analysis.cost_model.mvtu_uses_dsp).
module bnnc_mvtu #(
    parameter integer MW = 4,
    parameter integer MH = 2,
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
    parameter integer USE_DSP = 0,
    parameter WEIGHT_FILE = "weights.mem",
    parameter THRESHOLD_FILE = "thresholds.mem"
) (
    input  wire                         clk,
    input  wire                         rst_n,
    input  wire [MMV*SIMD*IN_BITS-1:0]  in_data,
    input  wire                         in_valid,
    output wire                         in_ready,
    output wire [MMV*PE*OUT_BITS-1:0]   out_data,
    output wire                         out_valid,
    input  wire                         out_ready
);
    localparam integer NF = MH / PE;
    localparam integer SF = MW / SIMD;
    localparam integer TILES = NF * SF;
    localparam integer IN_W = MMV * SIMD * IN_BITS;
    localparam integer W_W = PE * SIMD * W_BITS;
    localparam integer T_STEPS = STEPS > 0 ? STEPS : 1;
    localparam integer T_W = PE * T_STEPS * ACC_BITS;
    localparam integer TA = TILES > 1 ? $clog2(TILES) : 1;
    localparam integer SA = SF > 1 ? $clog2(SF) : 1;
    localparam integer NA = NF > 1 ? $clog2(NF) : 1;

    // ---- memories
    reg [W_W-1:0] weights[0:TILES-1];
    reg [T_W-1:0] thresholds[0:NF-1];
    reg [IN_W-1:0] input_buffer[0:SF-1];
    initial begin
        $readmemh(WEIGHT_FILE, weights);
        if (STEPS > 0) $readmemh(THRESHOLD_FILE, thresholds);
    end

    // ---- stage 0: issue a tile
    reg out_full;  // the output register holds a word not yet taken
    wire advance = !out_full || out_ready;
    reg [TA-1:0] tile;
    reg [SA-1:0] sf;
    reg [NA-1:0] nf;
    wire first_fold = nf == 0;
    wire issue = advance && (!first_fold || in_valid);
    assign in_ready = advance && first_fold;
    wire [IN_W-1:0] vector_word = first_fold ? in_data : input_buffer[sf];

    always @(posedge clk) begin
        if (issue && first_fold) input_buffer[sf] <= in_data;
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            tile <= 0;
            sf <= 0;
            nf <= 0;
        end else if (issue) begin
            tile <= tile == TILES[TA-1:0] - 1'b1 ? {TA{1'b0}} : tile + 1'b1;
            if (sf == SF[SA-1:0] - 1'b1) begin
                sf <= 0;
                nf <= nf == NF[NA-1:0] - 1'b1 ? {NA{1'b0}} : nf + 1'b1;
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
    // The tree's shape, a 32-bit field a stage, evaluated once here and only read in the
    // generate loops below: Yosys 0.23 evaluates a constant function called in a generate
    // block again for every pixel and PE, each time in a time that grows with the declarations
    // elaborated so far, so elaboration grew with the square of MMV*PE (CNV-max's conv1, 448
    // trees: ~50 min; docs/rtl.md, "CNV-max").
    function [32*TREE_STAGES-1:0] tree_shape(input integer bits);  // bits: 0 nodes, 1 node bits
        integer k;
        begin
            for (k = 0; k < TREE_STAGES; k = k + 1)
                tree_shape[k*32+:32] = bits != 0 ? node_bits(k) : nodes_at(k);
        end
    endfunction
    localparam [32*TREE_STAGES-1:0] NODES = tree_shape(0);
    localparam [32*TREE_STAGES-1:0] NODE_BITS = tree_shape(1);
    // control through stage 2 and the tree: valid, first and last synapse fold, neuron fold
    localparam integer CW = 3 + NA;
    localparam integer PIPE = 1 + TREE_STAGES;

    // ---- stage 1: the weight tile (a registered read) and the input word
    reg [W_W-1:0] w1;
    reg [IN_W-1:0] x1;
    reg [CW-1:0] c1;
    always @(posedge clk) begin
        if (advance) begin
            w1 <= weights[tile];
            x1 <= vector_word;
            c1[CW-1:1] <= {sf == 0, sf == SF[SA-1:0] - 1'b1, nf};
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

    // an n-bit x n-bit product in LUTs: shifts and adds, which Yosys does not map to a DSP
    function signed [ACC_BITS-1:0] lut_product;
        input signed [ACC_BITS-1:0] xv;
        input [W_BITS-1:0] w;
        integer b;
        begin
            lut_product = {ACC_BITS{1'b0}};
            for (b = 0; b < W_BITS; b = b + 1)
                if (w[b]) begin
                    if (W_KIND == 2 && b == W_BITS - 1) lut_product = lut_product - (xv <<< b);
                    else lut_product = lut_product + (xv <<< b);
                end
        end
    endfunction

    // an n-bit x n-bit product alone in the tree's first stage (GROUP 1, which prepare-for-emission
    // records for W + A >= 6 bits: `df.MvtuOp.wide_lut_products`):
    // its W_BITS partial products (x shifted, the top one subtracted for signed weights) added as a balanced tree at the product's own width PW,
    // ceil(log2 W_BITS) adder levels (a running sum at the accumulator's width is a chain of
    // W_BITS adders: 7.1 ns for 4 x 4 bits alone in the tree's first stage); as bnnc_vvtu's
    localparam integer PW = IN_BITS + W_BITS + 1;
    function signed [ACC_BITS-1:0] tree_product;
        input [IN_BITS-1:0] x;
        input [W_BITS-1:0] w;
        reg [PW*W_BITS-1:0] terms;
        reg signed [PW-1:0] xv, term;
        /* verilator lint_off UNUSEDSIGNAL */  // the bits above ACC_BITS leave
        reg [ACC_BITS+PW-1:0] wide;
        /* verilator lint_on UNUSEDSIGNAL */
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
            wide = {{ACC_BITS{term[PW-1]}}, term};  // sign-extended, then cut to ACC_BITS
            tree_product = wide[ACC_BITS-1:0];
        end
    endfunction

    function signed [ACC_BITS-1:0] lane;
        input [IN_BITS-1:0] x;
        input [W_BITS-1:0] w;
        reg signed [ACC_BITS-1:0] xv, wv;
        reg signed [IN_BITS+W_BITS+1:0] product;  // at its own width (an (A+1) x (W+1)-bit signed multiply)
        begin
            product = $signed({IN_KIND == 2 && x[IN_BITS-1], x}) * $signed({W_KIND == 2 && w[W_BITS-1], w});
            xv = lane_value(x, IN_KIND);
            wv = weight_value(w);
            if (POPCOUNT != 0) lane = {{(ACC_BITS - 1) {1'b0}}, x[0] ~^ w[0]};
            else if (W_KIND == 0) lane = w[0] ? xv : -xv;
            else if (IN_KIND == 0) lane = x[0] ? wv : -wv;
            /* verilator lint_off WIDTH */  // sign-extended: a signed value into a wider signed one
            else if (USE_DSP != 0) lane = product;  // a DSP48E1, its M/P register the tree's first stage
            /* verilator lint_on WIDTH */
            else if (GROUP == 1) lane = tree_product(x, w);  // the recorded tree: alone in stage 1
            else lane = lut_product(xv, w);
        end
    endfunction

    // ---- stages 3 ..: the tree and the accumulator, MMV x PE of them
    reg [MMV*PE*ACC_BITS-1:0] acc;
    genvar m, p, st;
    generate
        for (m = 0; m < MMV; m = m + 1) begin : g_pixel
            for (p = 0; p < PE; p = p + 1) begin : g_pe
                localparam integer A = (m * PE + p) * ACC_BITS;
                wire [SIMD*IN_BITS-1:0] xs = x2[m*SIMD*IN_BITS+:SIMD*IN_BITS];
                wire [SIMD*W_BITS-1:0] ws = w2[p*SIMD*W_BITS+:SIMD*W_BITS];
                for (st = 0; st < TREE_STAGES; st = st + 1) begin : g_tree
                    localparam integer N = NODES[st*32+:32];
                    localparam integer NB = NODE_BITS[st*32+:32];
                    reg [N*NB-1:0] level;
                    reg [N*NB-1:0] next;
                    reg [ACC_BITS-1:0] sum;
                    integer i, j;
                    if (st == 0 && POPCOUNT != 0) begin : g_xnor
                        // `lane` without its call: Yosys inlines a function once a call, and
                        // an XNOR tree has SIMD calls a PE and pixel (the same logic).
                        always @* begin
                            next = {N * NB{1'b0}};
                            for (i = 0; i < N; i = i + 1) begin
                                sum = {ACC_BITS{1'b0}};
                                for (j = i * GROUP; j < (i + 1) * GROUP && j < SIMD; j = j + 1)
                                    sum = sum + {{(ACC_BITS - 1) {1'b0}}, xs[j*IN_BITS] ~^ ws[j*W_BITS]};
                                next[i*NB+:NB] = sum[NB-1:0];
                            end
                        end
                    end else if (st == 0) begin : g_lanes
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
                        localparam integer NP = NODES[(st-1)*32+:32];
                        localparam integer NBP = NODE_BITS[(st-1)*32+:32];
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
    // The thresholds of the neuron fold, read beside the accumulator into a register of their
    // own: with the fold's number registered instead (and the row read after it), Yosys moves
    // that address register into the ROM's read port, which puts `advance` (the output's
    // handshake) in front of the ROM's multiplexer tree (5.5 ns in LFC's fc0).
    reg [T_W-1:0] row_thresholds;
    always @(posedge clk) begin
        if (!rst_n) v_acc <= 1'b0;
        else if (advance) v_acc <= v_top && last_top;
        if (advance) row_thresholds <= thresholds[nf_top];
    end

    // ---- the last stage: thresholds, the output register. With more than one threshold the
    // comparisons are registered first (one stage more, `df.MvtuOp.pipeline_depth`): the
    // thresholds of a channel are sorted (`bnn.threshold` verifies it), so its comparison bits
    // are a thermometer code, counted in two LUT levels instead of a chain of STEPS adders
    // after the comparators (26.8 ns at 15 thresholds).
    reg [MMV*PE*OUT_BITS-1:0] result;
    wire v_last;
    integer i, q, k;
    reg signed [ACC_BITS-1:0] a, t;
    /* verilator lint_off UNUSEDSIGNAL */  // OUT_BITS of the count leave
    reg [31:0] count;
    /* verilator lint_on UNUSEDSIGNAL */
    generate
        if (STEPS > 1) begin : g_thermometer
            reg [MMV*PE*T_STEPS-1:0] compared, compare;
            reg v_cmp;
            always @* begin
                compare = {MMV * PE * T_STEPS{1'b0}};
                for (i = 0; i < MMV; i = i + 1) begin
                    for (q = 0; q < PE; q = q + 1) begin
                        a = acc[(i*PE+q)*ACC_BITS+:ACC_BITS];
                        for (k = 0; k < T_STEPS; k = k + 1) begin
                            t = row_thresholds[(q*T_STEPS+k)*ACC_BITS+:ACC_BITS];
                            compare[(i*PE+q)*T_STEPS+k] = a >= t;
                        end
                    end
                end
            end
            always @(posedge clk) begin
                if (!rst_n) v_cmp <= 1'b0;
                else if (advance) v_cmp <= v_acc;
                if (advance) compared <= compare;
            end
            // bit j of the count is set where the run of ones ends at an index e with bit j of
            // e + 1 set
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
            always @* begin
                result = {MMV * PE * OUT_BITS{1'b0}};
                for (i = 0; i < MMV; i = i + 1) begin
                    for (q = 0; q < PE; q = q + 1) begin
                        count = OFFSET + thermometer_count(compared[(i*PE+q)*T_STEPS+:T_STEPS]);
                        result[(i*PE+q)*OUT_BITS+:OUT_BITS] = count[OUT_BITS-1:0];
                    end
                end
            end
            assign v_last = v_cmp;
        end else begin : g_direct
            always @* begin
                result = {MMV * PE * OUT_BITS{1'b0}};
                for (i = 0; i < MMV; i = i + 1) begin
                    for (q = 0; q < PE; q = q + 1) begin
                        a = acc[(i*PE+q)*ACC_BITS+:ACC_BITS];
                        if (STEPS > 0) begin
                            count = OFFSET;
                            for (k = 0; k < T_STEPS; k = k + 1) begin
                                t = row_thresholds[(q*T_STEPS+k)*ACC_BITS+:ACC_BITS];
                                if (a >= t) count = count + 1;
                            end
                            result[(i*PE+q)*OUT_BITS+:OUT_BITS] = count[OUT_BITS-1:0];
                        end else begin
                            result[(i*PE+q)*OUT_BITS+:OUT_BITS] = a[OUT_BITS-1:0];
                        end
                    end
                end
            end
            assign v_last = v_acc;
        end
    endgenerate

    reg [MMV*PE*OUT_BITS-1:0] out_word;
    always @(posedge clk) begin
        if (!rst_n) out_full <= 1'b0;
        else if (advance) out_full <= v_last;
        if (advance && v_last) out_word <= result;
    end
    assign out_data = out_word;
    assign out_valid = out_full;
endmodule
