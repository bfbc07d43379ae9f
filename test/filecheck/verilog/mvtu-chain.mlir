// RUN: bnnc-opt %s -p insert-streams,size-fifos -t 'verilog{library=false harness=false}' | filecheck %s

// Two MVTUs and a width converter: the top module between the AXI-stream ports, one wire
// triple a stream, the boundary converters, the engines with their folding and arithmetic
// widths, and the weight and threshold memories in the layout of `weight_memory`.

// CHECK:      // ----- top.v -----
// CHECK:      module bnnc_top (
// CHECK:          input  wire [63:0] s_axis_tdata,
// CHECK:          output wire        m_axis_tlast,
// CHECK-NEXT:     output wire        frame_truncated
// CHECK:          wire [0:0] s0_data;  // !df.stream<1x!bnn.bipolar, 16>
// The input frames (16 one-bit elements: one AXI word) re-synchronised on TLAST first.
// CHECK:          bnnc_frame_in #(
// CHECK-NEXT:         .WORDS(1)
// CHECK-NEXT:     ) u_frame_in (
// CHECK:              .in_last(s_axis_tlast),
// CHECK:              .truncated(frame_truncated)
// CHECK:          bnnc_repack #(
// CHECK-NEXT:         .BITS(1),
// CHECK-NEXT:         .IN_LANES(64),
// CHECK-NEXT:         .OUT_LANES(1),
// CHECK-NEXT:         .FRAME(16),
// CHECK-NEXT:         .BLOCK(16),
// CHECK-NEXT:         .IN_WIDTH(64)
// CHECK-NEXT:     ) u_axis_in (
// CHECK-NEXT:         .clk(ap_clk),
// CHECK-NEXT:         .rst_n(ap_rst_n),
// CHECK-NEXT:         .in_data(axis_in_data),
// CHECK:          // df.fifo: !df.stream<1x!bnn.bipolar, 16> -> !df.stream<1x!bnn.bipolar, 16>
// CHECK-NEXT:     bnnc_fifo #(
// CHECK-NEXT:         .WIDTH(1),
// CHECK-NEXT:         .DEPTH(2)
// CHECK:          // df.mvtu fc0: !df.stream<1x!bnn.bipolar, 16> -> !df.stream<2x!bnn.bipolar, 4>
// CHECK-NEXT:     bnnc_mvtu #(
// CHECK-NEXT:         .MW(16),
// CHECK-NEXT:         .MH(8),
// CHECK-NEXT:         .PE(2),
// CHECK-NEXT:         .SIMD(1),
// CHECK:              .POPCOUNT(1),
// CHECK-NEXT:         .ACC_BITS(6),
// CHECK-NEXT:         .STEPS(1),
// CHECK:              .WEIGHT_FILE("u2_mvtu_fc0_weights.mem"),
// CHECK:          // df.dwc: !df.stream<2x!bnn.bipolar, 4> -> !df.stream<4x!bnn.bipolar, 2>
// CHECK-NEXT:     bnnc_repack #(
// CHECK-NEXT:         .BITS(1),
// CHECK-NEXT:         .IN_LANES(2),
// CHECK-NEXT:         .OUT_LANES(4),
// CHECK-NEXT:         .FRAME(8),
// CHECK-NEXT:         .BLOCK(4)
// CHECK:          // df.mvtu fc1: !df.stream<4x!bnn.bipolar, 2> -> !df.stream<1xui4, 4>
// CHECK-NEXT:     bnnc_mvtu #(
// CHECK:              .STEPS(0),
// CHECK:              .OUT_BITS(4),
// The dot product's tree: 4 XNOR lanes in the first stage, 4 nodes in each next, no DSPs.
// CHECK-NEXT:         .GROUP(4),
// CHECK-NEXT:         .RADIX(4),
// CHECK-NEXT:         .USE_DSP(0),
// An MVTU without thresholds names no threshold file (Vivado must find every name given).
// CHECK-NEXT:         .WEIGHT_FILE("u{{[0-9]+}}_mvtu_fc1_weights.mem")
// CHECK-NEXT:     ) u{{[0-9]+}}_mvtu_fc1 (
// CHECK:          ) u_axis_out (
// CHECK:              .out_last(m_axis_tlast)
// CHECK:      endmodule
// The board's top around it.
// CHECK:      // ----- accelerator.v -----
// CHECK:      module bnnc_accelerator (
// CHECK:          bnnc_top pipeline (

// fc0 has 4 neuron folds of 16 tiles, 2 PEs x 1 lane a word: weight rows are all ones but row 6
// (PE 0 of neuron fold 3), so words 48..63 are 0b10. Thresholds: 8 for both PEs in 6 bits.
// CHECK:      // ----- u2_mvtu_fc0_weights.mem -----
// CHECK-COUNT-48: {{^}}3{{$}}
// CHECK-NEXT: 2
// CHECK:      // ----- u2_mvtu_fc0_thresholds.mem -----
// CHECK-NEXT: 208
// CHECK-NEXT: 208
// CHECK-NEXT: 208
// CHECK-NEXT: 208

df.graph @accelerator {
  %0 = df.input {shape = array<i64: 16>} : !df.stream<1x!bnn.bipolar, 16>
  %1 = df.mvtu %0 weights<!bnn.bipolar> dense<[[65535], [65535], [65535], [65535], [65535], [65535], [0], [65535]]> : tensor<8x1xui64> {mw = 16 : i64, mh = 8 : i64, pe = 2 : i64, simd = 1 : i64, popcount, thresholds = dense<8> : tensor<1x1xi64>, layer = "fc0"} : !df.stream<1x!bnn.bipolar, 16> -> !df.stream<2x!bnn.bipolar, 4>
  %2 = df.dwc %1 : !df.stream<2x!bnn.bipolar, 4> -> !df.stream<4x!bnn.bipolar, 2>
  %3 = df.mvtu %2 weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 1 : i64, simd = 4 : i64, popcount, layer = "fc1"} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<1xui4, 4>
  df.output %3 {shape = array<i64: 4>} : !df.stream<1xui4, 4>
}
