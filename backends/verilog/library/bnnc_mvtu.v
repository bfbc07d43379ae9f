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
// other NF-1 folds reuse; a group takes NF*SF cycles, a frame NF*SF*VECTORS/MMV. An output word
// leaves 3 cycles after the tile that completes it (weight read, multiply-accumulate, threshold).
// The pipeline stalls as a whole while its output word waits (in_ready follows out_ready).
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

    // ---- stage 1: the weight tile (a registered read) and the input word
    reg [W_W-1:0] w1;
    reg [IN_W-1:0] x1;
    reg v1, first1, last1;
    reg [NA-1:0] nf1;
    always @(posedge clk) begin
        if (advance) begin
            w1 <= weights[tile];
            x1 <= vector_word;
            first1 <= sf == 0;
            last1 <= sf == SF[SA-1:0] - 1'b1;
            nf1 <= nf;
        end
    end
    always @(posedge clk) begin
        if (!rst_n) v1 <= 1'b0;
        else if (advance) v1 <= issue;
    end

    // ---- stage 2: multiply-accumulate, MMV x PE accumulators
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

    function signed [ACC_BITS-1:0] dot;
        input [SIMD*IN_BITS-1:0] x;
        input [SIMD*W_BITS-1:0] w;
        integer s;
        reg signed [ACC_BITS-1:0] sum;
        begin
            sum = 0;
            for (s = 0; s < SIMD; s = s + 1) begin
                if (POPCOUNT != 0)
                    sum = sum + {{(ACC_BITS - 1) {1'b0}}, x[s*IN_BITS] ~^ w[s*W_BITS]};
                else
                    sum = sum + lane_value(x[s*IN_BITS+:IN_BITS], IN_KIND) * weight_value(w[s*W_BITS+:W_BITS]);
            end
            dot = sum;
        end
    endfunction

    reg [MMV*PE*ACC_BITS-1:0] acc;
    reg v2;
    reg [NA-1:0] nf2;
    genvar m, p;
    generate
        for (m = 0; m < MMV; m = m + 1) begin : g_pixel
            for (p = 0; p < PE; p = p + 1) begin : g_pe
                localparam integer A = (m * PE + p) * ACC_BITS;
                wire signed [ACC_BITS-1:0] partial = dot(x1[m*SIMD*IN_BITS+:SIMD*IN_BITS], w1[p*SIMD*W_BITS+:SIMD*W_BITS]);
                wire signed [ACC_BITS-1:0] base = first1 ? {ACC_BITS{1'b0}} : acc[A+:ACC_BITS];
                always @(posedge clk) begin
                    if (advance && v1) acc[A+:ACC_BITS] <= base + partial;
                end
            end
        end
    endgenerate
    always @(posedge clk) begin
        if (!rst_n) v2 <= 1'b0;
        else if (advance) v2 <= v1 && last1;
        if (advance) nf2 <= nf1;
    end

    // ---- stage 3: thresholds, the output register
    wire [T_W-1:0] row_thresholds = thresholds[nf2];
    reg [MMV*PE*OUT_BITS-1:0] result;
    integer i, q, k;
    reg signed [ACC_BITS-1:0] a, t;
    reg [31:0] count;
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

    reg [MMV*PE*OUT_BITS-1:0] out_word;
    always @(posedge clk) begin
        if (!rst_n) out_full <= 1'b0;
        else if (advance) out_full <= v2;
        if (advance && v2) out_word <= result;
    end
    assign out_data = out_word;
    assign out_valid = out_full;
endmodule
