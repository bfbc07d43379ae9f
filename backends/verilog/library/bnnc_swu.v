// bnnc_swu: sliding-window unit (df.swu): an NHWC image stream in, the (ky, kx, c) window of
// every output pixel out, MMV pixels a word, padded positions holding PAD_CODE.
//
// Language: Verilog-2005 (Verilator 5, Icarus -g2012, Yosys 0.23).
//
// Words: an input word holds SIMD channels of one pixel, CF = C/SIMD words a pixel. An output
// word holds lane (m, s) = m*SIMD + s: channel f_c*SIMD + s at window position (ky, kx) of
// output pixel g*MMV + m, for word (g, fold) with fold = (ky*KW + kx)*CF + f_c. MMV must divide
// OW (a word never spans two output rows).
//
// Buffer: ROWS = KH + SH input rows in a circular buffer of ROWS*IW*CF words of SIMD*BITS, one
// copy per output pixel of a word (MMV read ports). Rows are numbered globally across frames.
//
// Cycle behaviour (bnnc.fifo_model's sliding window):
//   - the reader takes one word a cycle while the row it writes is at most ROWS rows ahead of
//     the oldest row the writer still needs, i.e. input row r waits until output row
//     floor((r + PAD_TOP - KH - SH)/SH) has been written out; across frames it runs ahead too;
//   - the writer gives one word a cycle once every input row its output row needs is in;
//     a word leaves one cycle after it is addressed (a registered read).
// A frame therefore takes about IW*KH*CF cycles to fill plus OH*max(OW*KH*KW*CF/MMV, SH*IW*CF)
// (bnnc.cost_model.swu_cost), less when the next frame's rows overlap the last output rows.
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
    localparam integer ROWS = KH + SH;
    localparam integer ROW_WORDS = IW * CF;
    localparam integer DEPTH = ROWS * ROW_WORDS;
    localparam integer GROUPS = OW / MMV;
    localparam integer AW = $clog2(DEPTH);
    // slot arithmetic modulo ROWS, on 32-bit integers
    localparam integer IH_MOD = IH % ROWS;
    localparam integer TOP_BACK = (ROWS - PAD_TOP % ROWS) % ROWS;  // -PAD_TOP mod ROWS
    localparam [BITS-1:0] PAD = PAD_CODE[BITS-1:0];

    // ---- reader
    integer rd_word, rd_slot;
    reg [31:0] rows_in;  // complete input rows, counted across frames
    reg [31:0] oldest;   // the oldest row the writer still needs
    wire [31:0] ahead = rows_in - oldest;
    assign in_ready = $signed(ahead) < ROWS;
    wire read = in_valid && in_ready;

    // ---- writer state
    integer oy, grp, ky, kx, cf, slot0, top_slot;
    reg [31:0] frame_base;  // global number of this frame's row 0
    wire signed [31:0] last_row = oy * SH - PAD_TOP + KH - 1;
    wire signed [31:0] needed = (last_row > IH - 1 ? IH - 1 : last_row) + 1;
    wire [31:0] have = rows_in - frame_base;
    wire rows_ready = $signed(have) >= needed;
    reg out_full;
    wire advance = !out_full || out_ready;
    wire issue = advance && rows_ready;

    // The row in the buffer, and whether the (ky) row is padding.
    wire signed [31:0] iy = oy * SH - PAD_TOP + ky;
    wire row_pad = iy < 0 || iy >= IH;
    wire [31:0] ky_slot = top_slot + ky >= ROWS ? top_slot + ky - ROWS : top_slot + ky;

    reg [MMV-1:0] pad_q;
    reg [MMV*WIDTH-1:0] word_q;

    genvar m;
    generate
        for (m = 0; m < MMV; m = m + 1) begin : g_pixel
            reg [WIDTH-1:0] buffer[0:DEPTH-1];
            wire signed [31:0] ix = (grp * MMV + m) * SW - PAD_LEFT + kx;
            wire pad = row_pad || ix < 0 || ix >= IW;
            /* verilator lint_off UNUSEDSIGNAL */  // addresses stay below DEPTH
            wire [31:0] address = ky_slot * ROW_WORDS + ix * CF + cf;
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

    // The writer walks (oy, grp, ky, kx, cf), cf fastest.
    wire last_cf = cf == CF - 1, last_kx = kx == KW - 1, last_ky = ky == KH - 1;
    wire last_grp = grp == GROUPS - 1, last_oy = oy == OH - 1;
    wire row_done = last_cf && last_kx && last_ky && last_grp;
    integer next_slot0, next_top;
    always @* begin
        next_slot0 = slot0 + IH_MOD >= ROWS ? slot0 + IH_MOD - ROWS : slot0 + IH_MOD;
        next_top = next_slot0 + TOP_BACK >= ROWS ? next_slot0 + TOP_BACK - ROWS : next_slot0 + TOP_BACK;
    end
    always @(posedge clk) begin
        if (!rst_n) begin
            oy <= 0; grp <= 0; ky <= 0; kx <= 0; cf <= 0;
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
                if (last_cf && last_kx && last_ky) grp <= last_grp ? 0 : grp + 1;
                if (row_done && last_oy) begin  // the frame is out: its rows are free
                    oy <= 0;
                    slot0 <= next_slot0;
                    top_slot <= next_top;
                    frame_base <= frame_base + IH;
                    oldest <= frame_base + IH;
                end else if (row_done) begin
                    oy <= oy + 1;
                    top_slot <= top_slot + SH >= ROWS ? top_slot + SH - ROWS : top_slot + SH;
                    oldest <= frame_base + ((oy + 1) * SH > PAD_TOP ? (oy + 1) * SH - PAD_TOP : 0);
                end
            end
        end
    end
    assign out_valid = out_full;
endmodule
