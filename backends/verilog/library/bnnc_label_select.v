// bnnc_label_select: the indices of the K largest of CLASSES scores (df.label_select), ties to
// the lower index, PE scores a word in, one index a word out (OUT_BITS bits).
//
// Language: Verilog-2005 (Verilator 5, Icarus -g2012, Yosys 0.23).
//
// The K best (score, index) pairs so far are kept sorted, best first; each input word inserts
// its PE scores in lane order (an insertion goes behind equal scores, so the lower index stays
// first). After a frame's last word the list moves to an output register, which gives K words
// while the next frame streams in.
//
// Cycle behaviour: one input word a cycle, CLASSES/PE a frame
// (bnnc.analysis.cost_model.label_select_cost); the first index leaves the cycle after the last word,
// then one a cycle. A frame's last word waits while the previous frame's indices are leaving.
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
    localparam integer SB = BITS + 1;  // scores as signed values
    localparam integer IB = OUT_BITS;

    reg [K*SB-1:0] scores;
    reg [K*IB-1:0] indices;
    reg [K-1:0] used;
    reg [K*IB-1:0] out_indices;
    integer word, left;  // input word of the frame; indices still to give

    wire last_word = word == WORDS - 1;
    assign in_ready = !(last_word && left != 0);
    wire read = in_valid && in_ready;
    assign out_valid = left != 0;
    assign out_data = out_indices[IB-1:0];

    // Insert the word's scores into the list (from empty on a frame's first word).
    reg [K*SB-1:0] s_next;
    reg [K*IB-1:0] i_next;
    reg [K-1:0] u_next;
    reg signed [SB-1:0] score;
    /* verilator lint_off UNUSEDSIGNAL */  // class indices stay below 2^OUT_BITS
    reg [31:0] index;
    /* verilator lint_on UNUSEDSIGNAL */
    reg [31:0] rank;
    integer p, j;
    always @* begin
        s_next = scores;
        i_next = indices;
        u_next = word == 0 ? {K{1'b0}} : used;
        for (p = 0; p < PE; p = p + 1) begin
            if (KIND == 2) score = {in_data[p*BITS+BITS-1], in_data[p*BITS+:BITS]};
            else score = {1'b0, in_data[p*BITS+:BITS]};
            index = word * PE + p;
            rank = 0;  // entries that stay ahead: every used one with a score >= this one
            for (j = 0; j < K; j = j + 1)
                if (u_next[j] && $signed(s_next[j*SB+:SB]) >= score) rank = rank + 1;
            for (j = K - 1; j >= 0; j = j - 1) begin
                if (j > rank) begin
                    s_next[j*SB+:SB] = s_next[(j-1)*SB+:SB];
                    i_next[j*IB+:IB] = i_next[(j-1)*IB+:IB];
                    u_next[j] = u_next[j-1];
                end else if (j == rank) begin
                    s_next[j*SB+:SB] = score;
                    i_next[j*IB+:IB] = index[IB-1:0];
                    u_next[j] = 1'b1;
                end
            end
        end
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            word <= 0;
            left <= 0;
            used <= {K{1'b0}};
        end else begin
            if (out_valid && out_ready) begin
                left <= left - 1;
                out_indices <= out_indices >> IB;
            end
            if (read) begin
                scores <= s_next;
                indices <= i_next;
                used <= u_next;
                word <= last_word ? 0 : word + 1;
                if (last_word) begin
                    out_indices <= i_next;
                    left <= K;
                end
            end
        end
    end
endmodule
