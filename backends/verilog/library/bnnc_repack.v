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
// Cycle behaviour: one input word and one output word a cycle at most, so a frame takes
// max(input words, output words) cycles; an output word leaves the cycle after the input word
// that completes it. Elements wait in a shift buffer of 2*(IN_LANES+OUT_LANES) elements; in_ready
// depends on registers only.
module bnnc_repack #(
    parameter integer BITS = 1,
    parameter integer IN_LANES = 1,
    parameter integer OUT_LANES = 1,
    parameter integer FRAME = 1,
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
    localparam integer CAP = 2 * (IN_LANES + OUT_LANES);
    localparam integer FW = $clog2(FRAME + 1);
    localparam integer CW = $clog2(CAP + 1);
    localparam integer W = (FW > CW ? FW : CW) + 1;  // one width for every count
    localparam integer BUF = CAP * BITS;
    localparam [W-1:0] IN_L = IN_LANES[W-1:0];
    localparam [W-1:0] OUT_L = OUT_LANES[W-1:0];
    localparam [W-1:0] FRAME_N = FRAME[W-1:0];
    localparam [W-1:0] CAP_N = CAP[W-1:0];

    reg [BUF-1:0] buffer;
    reg [W-1:0] count;  // elements in the buffer
    reg [W-1:0] in_left, out_left;  // elements of the frame still to take / to give

    wire [W-1:0] take = in_left < IN_L ? in_left : IN_L;
    wire [W-1:0] give = out_left < OUT_L ? out_left : OUT_L;
    assign in_ready = count + IN_L <= CAP_N;
    assign out_valid = count >= give;
    assign out_last = out_left <= OUT_L;

    wire read = in_valid && in_ready;
    wire write = out_valid && out_ready;

    // The word's elements beyond `take` are cleared; those beyond `give` of the output too.
    wire [BUF-1:0] lane_mask_in = ~({BUF{1'b1}} << (take * BITS));
    wire [OUT_LANES*BITS-1:0] lane_mask_out = ~({(OUT_LANES * BITS) {1'b1}} << (give * BITS));
    wire [BUF-1:0] incoming = {{(BUF - IN_LANES * BITS) {1'b0}}, in_data[IN_LANES*BITS-1:0]} & lane_mask_in;
    wire [BUF-1:0] kept = write ? buffer >> (give * BITS) : buffer;
    wire [W-1:0] kept_count = write ? count - give : count;
    wire [OUT_LANES*BITS-1:0] visible = buffer[OUT_LANES*BITS-1:0] & lane_mask_out;

    generate
        if (OUT_WIDTH > OUT_LANES * BITS) begin : g_pad
            assign out_data = {{(OUT_WIDTH - OUT_LANES * BITS) {1'b0}}, visible};
        end else begin : g_exact
            assign out_data = visible[OUT_WIDTH-1:0];
        end
    endgenerate

    always @(posedge clk) begin
        if (!rst_n) begin
            buffer <= {BUF{1'b0}};
            count <= 0;
            in_left <= FRAME_N;
            out_left <= FRAME_N;
        end else begin
            buffer <= read ? kept | (incoming << (kept_count * BITS)) : kept;
            count <= read ? kept_count + take : kept_count;
            if (read) in_left <= in_left == take ? FRAME_N : in_left - take;
            if (write) out_left <= out_left == give ? FRAME_N : out_left - give;
        end
    end
endmodule
