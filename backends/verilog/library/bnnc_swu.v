// bnnc_swu: sliding-window unit (df.swu): an NHWC image stream in, the (ky, kx, c) window of
// every output pixel out, MMV pixels a word, padded positions holding PAD_CODE.
//
// Language: Verilog-2005 (Verilator 5, Icarus -g2012, Yosys 0.23).
//
// Words: an input word holds SIMD channels of one pixel, CF = C/SIMD words a pixel. An output
// word holds lane (m, s) = m*SIMD + s: channel f_c*SIMD + s at window position (ky, kx) of
// output pixel g*MMV + m, for word (g, fold) with fold = (ky*KW + kx)*CF + f_c. Pixels are
// numbered in raster order (oy*OW + ox), so when MMV does not divide OW a word's pixels span
// output rows: a group of MMV pixels spans at most 1 + SPAN rows.
//
// Buffer: ROWS = KH + SH*(SPAN + 1) input rows (the rows of a group's windows, plus SH rows
// being written ahead) in a circular buffer of ROWS*IW*CF words of SIMD*BITS, one copy per
// output pixel of a word (MMV read ports). Rows are numbered globally across frames.
//
// Cycle behaviour (bnnc.analysis.fifo_model's sliding window):
//   - the reader takes one word a cycle while the row it writes is at most ROWS rows ahead of
//     the oldest row the writer still needs, i.e. input row r waits until output row
//     floor((r + PAD_TOP - ROWS)/SH) has been written out; across frames it runs ahead too;
//   - the writer issues one word a cycle once every input row its group's last pixel needs is
//     in; a word leaves three cycles after it is issued (its row slot, column and padding; its
//     address; the registered buffer read), and the rows a group frees are given back to the
//     reader as its last word enters the output register, as before the pipeline was split.
// A frame therefore takes about IW*KH*CF cycles to fill plus OH*max(OW*KH*KW*CF/MMV, SH*IW*CF)
// (bnnc.analysis.cost_model.swu_cost), less when the next frame's rows overlap the last output rows.
//
// Depthwise mode (DEPTHWISE = 1, feeding bnnc_vvtu): SIMD is the channels a word (the VVTU's PE)
// and TS taps go in a word: a window is CF channel folds of TF = KH*KW/TS tap folds, word
// (g, fold) with fold = cf*TF + tf holding, in lane (m, s, c) = (m*TS + s)*SIMD + c, channel
// cf*SIMD + c at tap t = tf*TS + s (ky = t / KW, kx = t % KW) of pixel g*MMV + m. The buffer
// has one copy per pixel and tap lane (MMV*TS read ports); the rows, the reader and the
// writer's pace are the same (bnnc.dialects.df.SwuOp, `window_words`).
//
// Timing: no arithmetic is wider than its range (rows, columns and slots in a few bits), and the
// window's position is kept incrementally: each pixel of a group keeps its input row, its
// column (in words), its row slot in the buffer; the next group adds constants to them (MMV
// pixels on in raster order), so no multiplication or division is left in the datapath.
module bnnc_swu #(
    parameter integer SIMD = 1,
    parameter integer CF = 1,
    parameter integer BITS = 1,
    parameter integer MMV = 1,
    parameter integer IH = 4,
    parameter integer IW = 4,
    parameter integer OH = 2,
    parameter integer OW = 2,
    parameter integer KH = 3,
    parameter integer KW = 3,
    parameter integer SH = 1,
    parameter integer SW = 1,
    parameter integer PAD_TOP = 0,
    parameter integer PAD_LEFT = 0,
    parameter integer PAD_CODE = 0,
    parameter integer DEPTHWISE = 0,
    parameter integer TS = 1
) (
    input  wire                        clk,
    input  wire                        rst_n,
    input  wire [SIMD*BITS-1:0]        in_data,
    input  wire                        in_valid,
    output wire                        in_ready,
    output wire [MMV*TS*SIMD*BITS-1:0] out_data,
    output wire                        out_valid,
    input  wire                        out_ready
);

    localparam integer WIDTH = SIMD * BITS;
    function integer gcd(input integer x, input integer y);
        integer u, v, t;
        begin
            u = x; v = y;
            while (v != 0) begin t = u % v; u = v; v = t; end
            gcd = u;
        end
    endfunction
    function integer bits_for(input integer x);  // signed bits holding -x .. x
        begin
            bits_for = $clog2(x + 1) + 1;
        end
    endfunction
    function integer mod(input integer x, input integer n);  // x mod n in [0, n)
        begin
            mod = ((x % n) + n) % n;
        end
    endfunction
    // the most rows past its first one that a group's last pixel lies (the first pixels of the
    // groups lie at the multiples of gcd(MMV, OW) in a row)
    localparam integer SPAN = (OW - gcd(MMV, OW) + MMV - 1) / OW;
    localparam integer ROWS = KH + SH * (SPAN + 1);
    localparam integer ROW_WORDS = IW * CF;
    localparam integer DEPTH = ROWS * ROW_WORDS;
    localparam integer GROUPS = OH * OW / MMV;
    localparam integer AW = DEPTH > 1 ? $clog2(DEPTH) : 1;
    localparam integer KWCF = KW * CF;
    localparam integer TF = KH * KW / TS;  // tap folds a window (depthwise mode)
    localparam integer TFB = TF > 1 ? $clog2(TF) : 1;
    localparam integer CFB = CF > 1 ? $clog2(CF) : 1;
    localparam integer Q = MMV / OW;  // rows and columns a group moves on
    localparam integer R = MMV % OW;
    // widths: signed rows (input rows of a frame, with the padding and a frame read ahead),
    // signed columns in words, slots, counters
    localparam integer RB = bits_for(IH + ROWS + KH + SH * (OH + Q + 1) + PAD_TOP);
    localparam integer CB = bits_for((IW + PAD_LEFT + KW + SW * (OW + MMV)) * CF);
    localparam integer SB = ROWS > 1 ? $clog2(ROWS) : 1;
    localparam integer OXB = OW > 1 ? $clog2(OW) : 1;
    localparam integer KYB = KH > 1 ? $clog2(KH) : 1;
    localparam integer KXB = KWCF > 1 ? $clog2(KWCF) : 1;
    localparam integer GB = GROUPS > 1 ? $clog2(GROUPS) : 1;
    localparam integer WB = ROW_WORDS > 1 ? $clog2(ROW_WORDS) : 1;
    localparam [BITS-1:0] PAD = PAD_CODE[BITS-1:0];

    localparam signed [RB-1:0] ROWS_R = ROWS[RB-1:0];
    localparam signed [RB-1:0] IH_R = IH[RB-1:0];
    localparam signed [RB-1:0] ZERO_R = {RB{1'b0}};
    localparam integer NEED_INIT_I = (MMV - 1) / OW * SH - PAD_TOP + KH;
    localparam signed [RB-1:0] NEED_INIT = NEED_INIT_I[RB-1:0];
    localparam signed [CB-1:0] ROW_WORDS_C = ROW_WORDS[CB-1:0];
    localparam [SB:0] ROWS_S = ROWS[SB:0];
    localparam integer STEP_Y_I = SH * Q;  // rows a pixel moves on to the next group
    localparam signed [RB-1:0] STEP_Y = STEP_Y_I[RB-1:0];
    localparam integer STEP_Y_WRAP_I = SH * (Q + 1);  // ... when its column wraps
    localparam signed [RB-1:0] STEP_Y_WRAP = STEP_Y_WRAP_I[RB-1:0];
    localparam integer IH_MOD_I = mod(IH, ROWS);
    localparam [SB:0] IH_MOD = IH_MOD_I[SB:0];

    function [SB-1:0] wrap_slot(input [SB:0] x);  // x mod ROWS for 0 <= x < 2*ROWS
        /* verilator lint_off UNUSEDSIGNAL */  // the result is below ROWS
        reg [SB:0] t;
        /* verilator lint_on UNUSEDSIGNAL */
        begin
            t = x >= ROWS_S ? x - ROWS_S : x;
            wrap_slot = t[SB-1:0];
        end
    endfunction

    // ---- reader: the buffer is written in order, row after row, wrapping at DEPTH
    reg [AW-1:0] wr_addr;
    reg [WB-1:0] rd_word;
    reg signed [RB-1:0] ahead;  // rows read and not yet freed by the writer
    reg signed [RB-1:0] have;   // rows of the writer's frame read (beyond IH: the next frame's)
    assign in_ready = ahead < ROWS_R;
    wire read = in_valid && in_ready;
    wire row_done = read && rd_word == ROW_WORDS[WB-1:0] - 1'b1;

    // ---- writer, stage 0: the group (each pixel's position) and the window position
    reg out_full;
    wire advance = !out_full || out_ready;
    reg signed [RB-1:0] need;  // rows the group's last pixel needs: its first row + KH
    wire rows_ready = have >= need || have >= IH_R;
    wire issue = advance && rows_ready;
    reg [KYB-1:0] ky;
    reg [KXB-1:0] kxcf;  // kx*CF + cf
    reg [TFB-1:0] tf;    // depthwise mode: the tap fold (inner) and the channel fold (outer)
    reg [CFB-1:0] cfd;
    reg [GB-1:0] grp;
    reg [SB-1:0] slot0_next;  // the slot of the next frame's row 0
    wire last_kxcf = kxcf == KWCF[KXB-1:0] - 1'b1;
    wire last_ky = ky == KH[KYB-1:0] - 1'b1;
    wire last_tf = tf == TF[TFB-1:0] - 1'b1;
    wire last_cfd = cfd == CF[CFB-1:0] - 1'b1;
    wire group_done = DEPTHWISE != 0 ? last_tf && last_cfd : last_kxcf && last_ky;
    wire frame_done = group_done && grp == GROUPS[GB-1:0] - 1'b1;

    // The window position {ky, kx*CF} of tap fold `fold`'s lane `lane` (depthwise mode): tap
    // fold*TS + lane, a multiplexer of constants (no division on the path).
    function [KYB+KXB-1:0] tap_position(input [TFB-1:0] fold, input integer lane);
        integer i, t;
        /* verilator lint_off UNUSEDSIGNAL */  // KYB and KXB bits of them are used
        reg [31:0] ky_c, kx_c;
        /* verilator lint_on UNUSEDSIGNAL */
        begin
            tap_position = {(KYB + KXB) {1'b0}};
            for (i = 0; i < TF; i = i + 1) begin
                t = i * TS + lane;
                ky_c = t / KW;
                kx_c = (t % KW) * CF;
                if (fold == i[TFB-1:0]) tap_position = {ky_c[KYB-1:0], kx_c[KXB-1:0]};
            end
        end
    endfunction

    // ---- stage 1: each pixel's row slot, column and padding; stage 2: its address; stage 3:
    // the buffer read (the output register)
    reg v1, v2;
    reg signed [RB-1:0] freed1, freed2;
    reg [MMV*TS-1:0] pad_q;
    reg [MMV*TS*WIDTH-1:0] word_q;

    // Per pixel m of the group: the input row of its window's top (iy0), the column in words of
    // its left (col0), the top row's slot in the buffer (rs), its raster column (ox). The next
    // group is MMV pixels on: Q rows and R columns, one row more when the column wraps.
    genvar m, s;
    generate
        for (m = 0; m < MMV; m = m + 1) begin : g_pixel
            localparam integer IY_INIT_I = m / OW * SH - PAD_TOP;
            localparam signed [RB-1:0] IY_INIT = IY_INIT_I[RB-1:0];
            localparam integer COL_INIT_I = (m % OW * SW - PAD_LEFT) * CF;
            localparam signed [CB-1:0] COL_INIT = COL_INIT_I[CB-1:0];
            localparam integer RS_INIT_I = mod(m / OW * SH - PAD_TOP, ROWS);
            localparam [SB:0] RS_INIT = RS_INIT_I[SB:0];
            localparam integer OX_INIT_I = m % OW;
            localparam [OXB-1:0] OX_INIT = OX_INIT_I[OXB-1:0];
            localparam integer WRAP_AT_I = OW - R;
            localparam [OXB:0] WRAP_AT = WRAP_AT_I[OXB:0];
            localparam integer STEP_X_I = R % (1 << OXB);
            localparam [OXB-1:0] STEP_X = STEP_X_I[OXB-1:0];
            localparam integer STEP_X_WRAP_I = mod(R - OW, 1 << OXB);
            localparam [OXB-1:0] STEP_X_WRAP = STEP_X_WRAP_I[OXB-1:0];
            localparam integer STEP_C_I = R * SW * CF;
            localparam signed [CB-1:0] STEP_C = STEP_C_I[CB-1:0];
            localparam integer STEP_C_WRAP_I = (R - OW) * SW * CF;
            localparam signed [CB-1:0] STEP_C_WRAP = STEP_C_WRAP_I[CB-1:0];
            localparam integer STEP_S_I = mod(SH * Q, ROWS);
            localparam [SB:0] STEP_S = STEP_S_I[SB:0];
            localparam integer STEP_S_WRAP_I = mod(SH * (Q + 1), ROWS);
            localparam [SB:0] STEP_S_WRAP = STEP_S_WRAP_I[SB:0];
            reg signed [RB-1:0] iy0;
            reg signed [CB-1:0] col0;
            reg [SB-1:0] rs;
            localparam WRAPS_INIT = OX_INIT_I >= WRAP_AT_I;
            reg [OXB-1:0] ox;
            // whether ox has reached WRAP_AT, kept in a register beside ox (set from the next
            // column when ox moves), so no compare sits before the row arithmetic below
            reg wraps;
            wire [OXB-1:0] ox_next = ox + (wraps ? STEP_X_WRAP : STEP_X);
            wire signed [RB-1:0] iy0_next = iy0 + (wraps ? STEP_Y_WRAP : STEP_Y);
            always @(posedge clk) begin
                if (!rst_n) begin
                    iy0 <= IY_INIT;
                    col0 <= COL_INIT;
                    rs <= RS_INIT[SB-1:0];
                    ox <= OX_INIT;
                    wraps <= WRAPS_INIT;
                end else if (issue && frame_done) begin
                    iy0 <= IY_INIT;
                    col0 <= COL_INIT;
                    rs <= wrap_slot({1'b0, slot0_next} + RS_INIT);
                    ox <= OX_INIT;
                    wraps <= WRAPS_INIT;
                end else if (issue && group_done) begin
                    iy0 <= iy0_next;
                    col0 <= col0 + (wraps ? STEP_C_WRAP : STEP_C);
                    rs <= wrap_slot({1'b0, rs} + (wraps ? STEP_S_WRAP : STEP_S));
                    ox <= ox_next;
                    wraps <= {1'b0, ox_next} >= WRAP_AT;
                end
            end

            for (s = 0; s < TS; s = s + 1) begin : g_tap
            // the tap of this lane: (ky, kx*CF + cf) of the window position, or in the
            // depthwise mode of tap tf*TS + s and channel fold cfd
            localparam integer L = m * TS + s;
            wire [KYB+KXB-1:0] position = tap_position(tf, s);
            wire [KXB-1:0] tap_kxcf = position[KXB-1:0] + {{(KXB - CFB) {1'b0}}, cfd};
            wire [KYB-1:0] tky = DEPTHWISE != 0 ? position[KYB+KXB-1:KXB] : ky;
            wire [KXB-1:0] tkxcf = DEPTHWISE != 0 ? tap_kxcf : kxcf;
            // stage 1
            wire signed [RB-1:0] iy = iy0 + $signed({{(RB - KYB) {1'b0}}, tky});
            wire signed [CB-1:0] col = col0 + $signed({{(CB - KXB) {1'b0}}, tkxcf});
            wire pad = iy[RB-1] || iy >= IH_R || col[CB-1] || col >= ROW_WORDS_C;
            reg [SB-1:0] slot1;
            reg [CB-1:0] col1;
            reg pad1;
            // stage 2
            /* verilator lint_off UNUSEDSIGNAL */  // addresses stay below DEPTH (a padded word's is not read)
            wire [AW+CB-1:0] sum = {{CB{1'b0}}, slot1} * ROW_WORDS[AW+CB-1:0] + {{AW{1'b0}}, col1};
            /* verilator lint_on UNUSEDSIGNAL */
            reg [AW-1:0] addr2;
            reg pad2;
            // stage 3
            reg [WIDTH-1:0] buffer[0:DEPTH-1];
            always @(posedge clk) begin
                if (read) buffer[wr_addr] <= in_data;
                if (advance) begin
                    slot1 <= wrap_slot({1'b0, rs} + {{(SB + 1 - KYB) {1'b0}}, tky});
                    col1 <= col;
                    pad1 <= pad;
                    addr2 <= sum[AW-1:0];
                    pad2 <= pad1;
                    if (v2) begin
                        pad_q[L] <= pad2;
                        if (!pad2) word_q[L*WIDTH+:WIDTH] <= buffer[addr2];
                    end
                end
            end
            assign out_data[L*WIDTH+:WIDTH] = pad_q[L] ? {SIMD{PAD}} : word_q[L*WIDTH+:WIDTH];
            end
        end
    endgenerate

    // The rows a group frees: from the first row it needs, max(0, iy0 of its pixel 0), up to
    // the next group's, or the rest of the frame. Below the top padding that is the step itself
    // (no subtraction on the path).
    wire signed [RB-1:0] first = g_pixel[0].iy0;
    wire signed [RB-1:0] first_next = g_pixel[0].iy0_next;
    wire signed [RB-1:0] oldest = first[RB-1] ? ZERO_R : first;
    wire signed [RB-1:0] step = !first[RB-1] ? (g_pixel[0].wraps ? STEP_Y_WRAP : STEP_Y)
                              : first_next[RB-1] ? ZERO_R : first_next;
    wire signed [RB-1:0] freed = frame_done ? IH_R - oldest : step;

    always @(posedge clk) begin
        if (!rst_n) begin
            ky <= 0; kxcf <= 0; tf <= 0; cfd <= 0; grp <= 0;
            slot0_next <= IH_MOD[SB-1:0];
            need <= NEED_INIT;
        end else if (issue) begin
            kxcf <= last_kxcf ? {KXB{1'b0}} : kxcf + 1'b1;
            if (last_kxcf) ky <= last_ky ? {KYB{1'b0}} : ky + 1'b1;
            tf <= last_tf ? {TFB{1'b0}} : tf + 1'b1;
            if (last_tf) cfd <= last_cfd ? {CFB{1'b0}} : cfd + 1'b1;
            if (frame_done) begin  // the frame is out: its rows are free, the next starts
                grp <= 0;
                slot0_next <= wrap_slot({1'b0, slot0_next} + IH_MOD);
                need <= NEED_INIT;
            end else if (group_done) begin
                grp <= grp + 1'b1;
                // the last pixel's first row + KH moves on with it
                need <= need + (g_pixel[MMV-1].wraps ? STEP_Y_WRAP : STEP_Y);
            end
        end
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            v1 <= 1'b0; v2 <= 1'b0; out_full <= 1'b0;
            freed1 <= ZERO_R; freed2 <= ZERO_R;
        end else if (advance) begin
            v1 <= issue;
            freed1 <= issue && group_done ? freed : ZERO_R;
            v2 <= v1;
            freed2 <= freed1;
            out_full <= v2;
        end
    end

    // the reader's counters: rows come in as the reader completes them, and are given back as
    // the last word of a group enters the output register
    wire signed [RB-1:0] row_in = {{(RB - 1) {1'b0}}, row_done};
    wire signed [RB-1:0] given_back = advance ? freed2 : ZERO_R;
    always @(posedge clk) begin
        if (!rst_n) begin
            wr_addr <= 0;
            rd_word <= 0;
            ahead <= ZERO_R;
            have <= ZERO_R;
        end else begin
            if (read) begin
                wr_addr <= wr_addr == DEPTH[AW-1:0] - 1'b1 ? {AW{1'b0}} : wr_addr + 1'b1;
                rd_word <= row_done ? {WB{1'b0}} : rd_word + 1'b1;
            end
            ahead <= ahead + row_in - given_back;
            have <= have + row_in - (issue && frame_done ? IH_R : ZERO_R);
        end
    end
    assign out_valid = out_full;
endmodule
