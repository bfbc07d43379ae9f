// bnnc_threshold: standalone multi-threshold unit (df.threshold), PE channels a word.
//
// Language: Verilog-2005 (Verilator 5, Icarus -g2012, Yosys 0.23).
//
// A lane of channel c gives OFFSET + #{i : x >= T[c][i]} in OUT_BITS (IN_KIND: 1 unsigned,
// 2 signed input). Values and thresholds compare as CMP_BITS-bit signed numbers; the emitter
// clamps the thresholds into the input's range plus one, which leaves every comparison as is.
// THRESHOLD_FILE: CF = C/PE words of PE*STEPS*CMP_BITS bits, word f holding channels
// f*PE + p, threshold i of lane p at bits [(p*STEPS + i)*CMP_BITS, ...).
//
// Cycle behaviour: one word a cycle, pixels*CF a frame (bnnc.analysis.cost_model.threshold_cost); a
// word leaves the cycle after it is read. The unit stalls while its output word waits.
module bnnc_threshold #(
    parameter integer PE = 1,
    parameter integer CF = 1,
    parameter integer IN_BITS = 8,
    parameter integer IN_KIND = 2,
    parameter integer STEPS = 1,
    parameter integer CMP_BITS = 9,
    parameter integer OFFSET = 0,
    parameter integer OUT_BITS = 1,
    parameter THRESHOLD_FILE = "thresholds.mem"
) (
    input  wire                    clk,
    input  wire                    rst_n,
    input  wire [PE*IN_BITS-1:0]   in_data,
    input  wire                    in_valid,
    output wire                    in_ready,
    output wire [PE*OUT_BITS-1:0]  out_data,
    output wire                    out_valid,
    input  wire                    out_ready
);
    localparam integer T_W = PE * STEPS * CMP_BITS;
    reg [T_W-1:0] thresholds[0:CF-1];
    initial $readmemh(THRESHOLD_FILE, thresholds);

    reg out_full;
    wire advance = !out_full || out_ready;
    assign in_ready = advance;
    wire read = in_valid && advance;
    localparam integer CFB = CF > 1 ? $clog2(CF) : 1;
    reg [CFB-1:0] cf;  // as narrow as its range
    wire [T_W-1:0] row = thresholds[cf];

    reg [PE*OUT_BITS-1:0] result, out_word;
    reg signed [CMP_BITS-1:0] x, t;
    reg [31:0] count;
    integer p, i;
    always @* begin
        for (p = 0; p < PE; p = p + 1) begin
            if (IN_KIND == 2) x = {{(CMP_BITS - IN_BITS) {in_data[p*IN_BITS+IN_BITS-1]}}, in_data[p*IN_BITS+:IN_BITS]};
            else x = {{(CMP_BITS - IN_BITS) {1'b0}}, in_data[p*IN_BITS+:IN_BITS]};
            count = OFFSET;
            for (i = 0; i < STEPS; i = i + 1) begin
                t = row[(p*STEPS+i)*CMP_BITS+:CMP_BITS];
                if (x >= t) count = count + 1;
            end
            result[p*OUT_BITS+:OUT_BITS] = count[OUT_BITS-1:0];
        end
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            cf <= {CFB{1'b0}};
            out_full <= 1'b0;
        end else begin
            if (advance) out_full <= read;
            if (read) cf <= cf == CF[CFB-1:0] - 1'b1 ? {CFB{1'b0}} : cf + 1'b1;
        end
        if (read) out_word <= result;
    end
    assign out_data = out_word;
    assign out_valid = out_full;
endmodule
