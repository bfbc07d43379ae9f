// bnnc_frame_in: the input frames of the accelerator, re-synchronised on the input TLAST.
//
// Language: Verilog-2005 (Verilator 5, Icarus -g2012, Yosys 0.23).
//
// A frame is WORDS AXI words. TLAST ends a DMA transfer (the AXI DMA in simple mode puts it on
// the last word of a transfer only), so it may come on the last word of any frame and must
// come on the last word of a transfer's last frame. A TLAST before a frame's last word means
// the transfer was cut short: the frame is completed with zero words (its output is garbage;
// `truncated` pulses), and the next word starts a new frame, so the frames after it are right
// and the output keeps one frame per input frame, which the DMA's receive length counts on.
//
// Cycle behaviour: combinational, no latency: out_valid = in_valid and in_ready = out_ready
// outside the padding of a truncated frame (the RTL's cycles are those of the FIFO model).
module bnnc_frame_in #(
    parameter integer WORDS = 1
) (
    input  wire        clk,
    input  wire        rst_n,
    input  wire [63:0] in_data,
    input  wire        in_valid,
    output wire        in_ready,
    input  wire        in_last,
    output wire [63:0] out_data,
    output wire        out_valid,
    input  wire        out_ready,
    output reg         truncated
);
    localparam integer CW = WORDS > 1 ? $clog2(WORDS) : 1;
    localparam [CW-1:0] FINAL = WORDS[CW-1:0] - 1'b1;

    reg [CW-1:0] word;   // the index in its frame of the word on the output
    reg padding;         // completing a truncated frame with zero words

    assign out_data = padding ? 64'd0 : in_data;
    assign out_valid = padding || in_valid;
    assign in_ready = !padding && out_ready;

    wire moved = out_valid && out_ready;
    wire frame_end = word == FINAL;

    always @(posedge clk) begin
        if (!rst_n) begin
            word <= {CW{1'b0}};
            padding <= 1'b0;
            truncated <= 1'b0;
        end else begin
            truncated <= moved && !padding && in_last && !frame_end;
            if (moved) begin
                word <= frame_end ? {CW{1'b0}} : word + 1'b1;
                if (frame_end) padding <= 1'b0;
                else if (in_last) padding <= 1'b1;
            end
        end
    end
endmodule
