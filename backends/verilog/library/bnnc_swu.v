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
//   - the writer gives one word a cycle once every input row its group's last pixel needs is in;
//     a word leaves one cycle after it is addressed (a registered read).
// A frame therefore takes about IW*KH*CF cycles to fill plus OH*max(OW*KH*KW*CF/MMV, SH*IW*CF)
// (bnnc.analysis.cost_model.swu_cost), less when the next frame's rows overlap the last output rows.
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
    parameter integer PAD_CODE = 0
) (
    input  wire                        clk,
    input  wire                        rst_n,
    input  wire [SIMD*BITS-1:0]        in_data,
    input  wire                        in_valid,
    output wire                        in_ready,
    output wire [MMV*SIMD*BITS-1:0]    out_data,
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
    // the most rows past its first one that a group's last pixel lies (the first pixels of the
    // groups lie at the multiples of gcd(MMV, OW) in a row)
    localparam integer SPAN = (OW - gcd(MMV, OW) + MMV - 1) / OW;
    localparam integer ROWS = KH + SH * (SPAN + 1);
    localparam integer ROW_WORDS = IW * CF;
    localparam integer DEPTH = ROWS * ROW_WORDS;
    localparam integer GROUPS = OH * OW / MMV;
    localparam integer AW = $clog2(DEPTH);
    localparam integer MAXD = (MMV + OW - 1) / OW;  // rows a pixel of a group is past its first
    // slot arithmetic modulo ROWS, on 32-bit integers
    localparam integer IH_MOD = IH % ROWS;
    localparam integer TOP_BACK = (ROWS - PAD_TOP % ROWS) % ROWS;  // -PAD_TOP mod ROWS
    localparam [BITS-1:0] PAD = PAD_CODE[BITS-1:0];

    function integer wrap(input integer x);  // x mod ROWS for 0 <= x < 3*ROWS
        begin
            wrap = x >= 2 * ROWS ? x - 2 * ROWS : x >= ROWS ? x - ROWS : x;
        end
    endfunction
    function integer rows_past(input integer x);  // floor(x / OW) for 0 <= x < (MAXD + 1)*OW
        integer j;
        begin
            rows_past = 0;
            for (j = 1; j <= MAXD; j = j + 1) if (x >= j * OW) rows_past = j;
        end
    endfunction

    // ---- reader
    integer rd_word, rd_slot;
    reg [31:0] rows_in;  // complete input rows, counted across frames
    reg [31:0] oldest;   // the oldest row the writer still needs
    wire [31:0] ahead = rows_in - oldest;
    assign in_ready = $signed(ahead) < ROWS;
    wire read = in_valid && in_ready;

    // ---- writer state: the group's first pixel (oy, ox), its window position (ky, kx, cf)
    integer oy, ox, grp, ky, kx, cf, slot0, top_slot;
    reg [31:0] frame_base;  // global number of this frame's row 0
    wire [31:0] last_dy = rows_past(ox + MMV - 1);  // the group's last pixel: row oy + last_dy
    wire signed [31:0] last_row = (oy + last_dy) * SH - PAD_TOP + KH - 1;
    wire signed [31:0] needed = (last_row > IH - 1 ? IH - 1 : last_row) + 1;
    wire [31:0] have = rows_in - frame_base;
    wire rows_ready = $signed(have) >= needed;
    reg out_full;
    wire advance = !out_full || out_ready;
    wire issue = advance && rows_ready;

    reg [MMV-1:0] pad_q;
    reg [MMV*WIDTH-1:0] word_q;

    genvar m;
    generate
        for (m = 0; m < MMV; m = m + 1) begin : g_pixel
            reg [WIDTH-1:0] buffer[0:DEPTH-1];
            wire [31:0] dy = rows_past(ox + m);  // this pixel: row oy + dy, column ox + m - dy*OW
            wire signed [31:0] iy = (oy + dy) * SH - PAD_TOP + ky;
            wire signed [31:0] ix = (ox + m - dy * OW) * SW - PAD_LEFT + kx;
            wire pad = iy < 0 || iy >= IH || ix < 0 || ix >= IW;
            wire [31:0] row_slot = wrap(top_slot + dy * SH + ky);
            /* verilator lint_off UNUSEDSIGNAL */  // addresses stay below DEPTH
            wire [31:0] address = row_slot * ROW_WORDS + ix * CF + cf;
            /* verilator lint_on UNUSEDSIGNAL */
            always @(posedge clk) begin
                if (read) buffer[rd_slot*ROW_WORDS+rd_word] <= in_data;
                if (issue) begin
                    pad_q[m] <= pad;
                    if (!pad) word_q[m*WIDTH+:WIDTH] <= buffer[address[AW-1:0]];
                end
            end
            assign out_data[m*WIDTH+:WIDTH] = pad_q[m] ? {SIMD{PAD}} : word_q[m*WIDTH+:WIDTH];
        end
    endgenerate

    always @(posedge clk) begin
        if (!rst_n) begin
            rd_word <= 0;
            rd_slot <= 0;
            rows_in <= 0;
        end else if (read) begin
            if (rd_word == ROW_WORDS - 1) begin
                rd_word <= 0;
                rd_slot <= rd_slot == ROWS - 1 ? 0 : rd_slot + 1;
                rows_in <= rows_in + 1;
            end else begin
                rd_word <= rd_word + 1;
            end
        end
    end

    // The writer walks (grp, ky, kx, cf), cf fastest; (oy, ox) is the group's first pixel.
    wire last_cf = cf == CF - 1, last_kx = kx == KW - 1, last_ky = ky == KH - 1;
    wire last_grp = grp == GROUPS - 1;
    wire group_done = last_cf && last_kx && last_ky;
    wire [31:0] next_dy = rows_past(ox + MMV);  // the next group's first pixel: row oy + next_dy
    wire [31:0] next_oy = oy + next_dy;
    integer next_slot0, next_top;
    always @* begin
        next_slot0 = slot0 + IH_MOD >= ROWS ? slot0 + IH_MOD - ROWS : slot0 + IH_MOD;
        next_top = next_slot0 + TOP_BACK >= ROWS ? next_slot0 + TOP_BACK - ROWS : next_slot0 + TOP_BACK;
    end
    always @(posedge clk) begin
        if (!rst_n) begin
            oy <= 0; ox <= 0; grp <= 0; ky <= 0; kx <= 0; cf <= 0;
            slot0 <= 0;
            top_slot <= TOP_BACK;
            frame_base <= 0;
            oldest <= 0;
            out_full <= 1'b0;
        end else begin
            if (advance) out_full <= issue;
            if (issue) begin
                cf <= last_cf ? 0 : cf + 1;
                if (last_cf) kx <= last_kx ? 0 : kx + 1;
                if (last_cf && last_kx) ky <= last_ky ? 0 : ky + 1;
                if (group_done && last_grp) begin  // the frame is out: its rows are free
                    grp <= 0;
                    oy <= 0;
                    ox <= 0;
                    slot0 <= next_slot0;
                    top_slot <= next_top;
                    frame_base <= frame_base + IH;
                    oldest <= frame_base + IH;
                end else if (group_done) begin
                    grp <= grp + 1;
                    oy <= next_oy;
                    ox <= ox + MMV - next_dy * OW;
                    top_slot <= wrap(top_slot + next_dy * SH);
                    oldest <= frame_base + (next_oy * SH > PAD_TOP ? next_oy * SH - PAD_TOP : 0);
                end
            end
        end
    end
    assign out_valid = out_full;
endmodule
