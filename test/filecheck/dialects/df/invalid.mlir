// RUN: bnnc-opt %s --split-input-file --verify-diagnostics | filecheck %s

// One case per verifier error of the `df` ops and the `!df.stream` type. Errors of `verify_` are
// checked with their "Operation does not verify:" prefix, which appears once per case; errors
// of the IRDL constraints and of xDSL's own structural checks (parents, terminators) are
// printed alone, and so are the errors of the stream type, which is verified as it is parsed.
// Every case is one change away from a graph that verifies.

//===------------------------------------------------------------------------------------===//
// !df.stream
//===------------------------------------------------------------------------------------===//

df.graph @stream_zero_lanes {
  // CHECK: a stream needs at least one lane and one word per frame
  %in = df.input {shape = array<i64: 8>} : !df.stream<0x!bnn.bipolar, 2>
  df.output %in {shape = array<i64: 8>} : !df.stream<0x!bnn.bipolar, 2>
}

// -----

df.graph @stream_zero_words {
  // CHECK: a stream needs at least one lane and one word per frame
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 0>
  df.output %in {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 0>
}

// -----

// A dynamic lane count parses as -1.
df.graph @stream_dynamic_lanes {
  // CHECK: a stream needs at least one lane and one word per frame
  %in = df.input {shape = array<i64: 8>} : !df.stream<?x!bnn.bipolar, 2>
  df.output %in {shape = array<i64: 8>} : !df.stream<?x!bnn.bipolar, 2>
}

// -----

df.graph @stream_real_element {
  // CHECK: stream elements must be bipolar or integers, got f32
  %in = df.input {shape = array<i64: 8>} : !df.stream<4xf32, 2>
  df.output %in {shape = array<i64: 8>} : !df.stream<4xf32, 2>
}

// -----

df.graph @stream_index_element {
  // CHECK: stream elements must be bipolar or integers, got index
  %in = df.input {shape = array<i64: 8>} : !df.stream<4xindex, 2>
  df.output %in {shape = array<i64: 8>} : !df.stream<4xindex, 2>
}

// -----

df.graph @stream_lanes_mmv {
  // CHECK: 3 lanes do not split into mmv = 2 pixels
  %in = df.input {shape = array<i64: 6>} : !df.stream<3x!bnn.bipolar, 2, mmv = 2>
  df.output %in {shape = array<i64: 6>} : !df.stream<3x!bnn.bipolar, 2, mmv = 2>
}

// -----

df.graph @stream_zero_mmv {
  // CHECK: 4 lanes do not split into mmv = 0 pixels
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2, mmv = 0>
  df.output %in {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2, mmv = 0>
}

//===------------------------------------------------------------------------------------===//
// df.graph, df.input, df.output
//===------------------------------------------------------------------------------------===//

// -----

// The stream comes in as a block argument instead of from a df.input.
// CHECK: Operation does not verify: a graph needs exactly one df.input, found 0
df.graph @graph_without_input {
^bb0(%s: !df.stream<4x!bnn.bipolar, 2>):
  df.output %s {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
}

// -----

// CHECK: Operation does not verify: a graph needs exactly one df.input, found 2
df.graph @graph_two_inputs {
  %a = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  %b = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  df.output %a {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
}

// -----

// A graph without df.output ends in an op that is no terminator: xDSL's region check reports
// it before the graph's verifier runs.
df.graph @graph_without_output {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Operation df.fifo terminates block in single-block region but is not a terminator
  %f = df.fifo %in : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<4x!bnn.bipolar, 2>
}

// -----

// Another dialect's terminator in place of df.output reaches the graph's own check.
// CHECK: Operation does not verify: a graph must end with df.output
df.graph @graph_foreign_terminator {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  "test.termop"() : () -> ()
}

// -----

df.graph @output_not_last {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: 'df.output' must be the last operation in its parent block
  df.output %in {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  %f = df.fifo %in : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<4x!bnn.bipolar, 2>
}

// -----

// CHECK: Region 'body' at position 0 expected a single block, but got 0 blocks
df.graph @graph_empty {
}

// -----

// CHECK: 'df.input' expects parent op 'df.graph'
%in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>

// -----

func.func @output_outside_graph(%s: !df.stream<4x!bnn.bipolar, 2>) {
  // CHECK: 'df.output' expects parent op 'df.graph'
  df.output %s {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
}

// -----

// Two words of four lanes hold 8 elements, not 2x2x3 = 12.
df.graph @input_shape {
  // CHECK: Operation does not verify: the stream does not hold one frame of shape [2, 2, 3]
  %in = df.input {shape = array<i64: 2, 2, 3>} : !df.stream<4x!bnn.bipolar, 2>
  df.output %in {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
}

// -----

df.graph @output_shape {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: the stream does not hold one frame of shape [4]
  df.output %in {shape = array<i64: 4>} : !df.stream<4x!bnn.bipolar, 2>
}

// -----

df.graph @input_without_shape {
  // CHECK: property 'shape' expected in operation 'df.input'
  %in = df.input : !df.stream<4x!bnn.bipolar, 2>
  df.output %in {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
}

//===------------------------------------------------------------------------------------===//
// df.invoke
//===------------------------------------------------------------------------------------===//

// -----

func.func @invoke_stream_operand(%s: !df.stream<4x!bnn.bipolar, 2>) {
  // CHECK: !df.stream<4x!bnn.bipolar, 2> should be of base attribute tensor
  %y = df.invoke @accel(%s) : (!df.stream<4x!bnn.bipolar, 2>) -> tensor<1x2x!bnn.bipolar>
  func.return
}

//===------------------------------------------------------------------------------------===//
// df.mvtu
//===------------------------------------------------------------------------------------===//

// -----

df.graph @mvtu_mh_pe {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: MH = 4 is not divisible by PE = 3
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 3 : i64, simd = 4 : i64, popcount, thresholds = dense<4> : tensor<1x1xi64>} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<3x!bnn.bipolar, 1>
  df.output %m {shape = array<i64: 3>} : !df.stream<3x!bnn.bipolar, 1>
}

// -----

df.graph @mvtu_zero_pe {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: PE must be positive, got 0
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 0 : i64, simd = 4 : i64, popcount, thresholds = dense<4> : tensor<1x1xi64>} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<4x!bnn.bipolar, 1>
  df.output %m {shape = array<i64: 4>} : !df.stream<4x!bnn.bipolar, 1>
}

// -----

df.graph @mvtu_mw_simd {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: MW = 8 is not divisible by SIMD = 3
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 3 : i64, popcount, thresholds = dense<4> : tensor<1x1xi64>} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<2x!bnn.bipolar, 2>
  df.output %m {shape = array<i64: 4>} : !df.stream<2x!bnn.bipolar, 2>
}

// -----

df.graph @mvtu_negative_simd {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: SIMD must be positive, got -4
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = -4 : i64, popcount, thresholds = dense<4> : tensor<1x1xi64>} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<2x!bnn.bipolar, 2>
  df.output %m {shape = array<i64: 4>} : !df.stream<2x!bnn.bipolar, 2>
}

// -----

// 9 output pixels cannot be taken 2 at a time.
df.graph @mvtu_vectors_mmv {
  %in = df.input {shape = array<i64: 72>} : !df.stream<4x!bnn.bipolar, 18>
  // CHECK: Operation does not verify: 9 output pixels are not divisible by MMV = 2
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 2 : i64, mmv = 2 : i64, vectors = 9 : i64, popcount, thresholds = dense<4> : tensor<1x1xi64>} : !df.stream<4x!bnn.bipolar, 18> -> !df.stream<4x!bnn.bipolar, 9>
  df.output %m {shape = array<i64: 36>} : !df.stream<4x!bnn.bipolar, 9>
}

// -----

df.graph @mvtu_weight_rows {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: packed weights have shape [3, 1], expected [4, 1] for 4x8 weights
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<3x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 4 : i64, popcount, thresholds = dense<4> : tensor<1x1xi64>} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<2x!bnn.bipolar, 2>
  df.output %m {shape = array<i64: 4>} : !df.stream<2x!bnn.bipolar, 2>
}

// -----

// 40 two-bit weights per row need 80 bits: two words, not one.
df.graph @mvtu_nbit_weight_words {
  %in = df.input {shape = array<i64: 40>} : !df.stream<8xsi4, 5>
  // CHECK: Operation does not verify: packed weights have shape [2, 1], expected [2, 2] for 2x40 weights
  %m = df.mvtu %in weights<si2> dense<0> : tensor<2x1xui64> {mw = 40 : i64, mh = 2 : i64, pe = 1 : i64, simd = 8 : i64} : !df.stream<8xsi4, 5> -> !df.stream<1xi32, 2>
  df.output %m {shape = array<i64: 2>} : !df.stream<1xi32, 2>
}

// -----

// Packed weights are a matrix, not a flat list of words.
df.graph @mvtu_weight_rank {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: packed weights have shape [4], expected [4, 1] for 4x8 weights
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 4 : i64, popcount, thresholds = dense<4> : tensor<1x1xi64>} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<2x!bnn.bipolar, 2>
  df.output %m {shape = array<i64: 4>} : !df.stream<2x!bnn.bipolar, 2>
}

// -----

df.graph @mvtu_input_lanes {
  %in = df.input {shape = array<i64: 8>} : !df.stream<8x!bnn.bipolar, 1>
  // CHECK: Operation does not verify: the input stream has 8 lanes, expected 4 for this folding
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 4 : i64, popcount, thresholds = dense<4> : tensor<1x1xi64>} : !df.stream<8x!bnn.bipolar, 1> -> !df.stream<2x!bnn.bipolar, 2>
  df.output %m {shape = array<i64: 4>} : !df.stream<2x!bnn.bipolar, 2>
}

// -----

// Two vectors per frame: 2·8 / 4 = 4 words in.
df.graph @mvtu_input_words {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: the input stream has 2 words per frame, expected 4
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 4 : i64, vectors = 2 : i64, popcount, thresholds = dense<4> : tensor<1x1xi64>} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<2x!bnn.bipolar, 4>
  df.output %m {shape = array<i64: 8>} : !df.stream<2x!bnn.bipolar, 4>
}

// -----

// With MMV = 2 the input words hold SIMD·MMV = 8 lanes.
df.graph @mvtu_mmv_input_lanes {
  // the multi-pixel stream comes from a width converter (graph inputs are plain)
  %in0 = df.input {shape = array<i64: 16>} : !df.stream<1x!bnn.bipolar, 16>
  %in = df.dwc %in0 {pixels = 2 : i64} : !df.stream<1x!bnn.bipolar, 16> -> !df.stream<4x!bnn.bipolar, 4, mmv = 2>
  // CHECK: Operation does not verify: the input stream has 4 lanes, expected 8 for this folding
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 4 : i64, mmv = 2 : i64, vectors = 2 : i64, popcount, thresholds = dense<4> : tensor<1x1xi64>} : !df.stream<4x!bnn.bipolar, 4, mmv = 2> -> !df.stream<4x!bnn.bipolar, 2, mmv = 2>
  df.output %m {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2, mmv = 2>
}

// -----

// With MMV = 2 the input is a multi-pixel stream.
df.graph @mvtu_mmv_plain_input {
  %in = df.input {shape = array<i64: 16>} : !df.stream<8x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: the input stream carries 1 pixels per word, expected 2
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 4 : i64, mmv = 2 : i64, vectors = 2 : i64, popcount, thresholds = dense<4> : tensor<1x1xi64>} : !df.stream<8x!bnn.bipolar, 2> -> !df.stream<4x!bnn.bipolar, 2, mmv = 2>
  df.output %m {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2, mmv = 2>
}

// -----

// ... and so is the output.
df.graph @mvtu_mmv_plain_output {
  // the multi-pixel stream comes from a width converter (graph inputs are plain)
  %in0 = df.input {shape = array<i64: 16>} : !df.stream<1x!bnn.bipolar, 16>
  %in = df.dwc %in0 {pixels = 2 : i64} : !df.stream<1x!bnn.bipolar, 16> -> !df.stream<8x!bnn.bipolar, 2, mmv = 2>
  // CHECK: Operation does not verify: the output stream carries 1 pixels per word, expected 2
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 4 : i64, mmv = 2 : i64, vectors = 2 : i64, popcount, thresholds = dense<4> : tensor<1x1xi64>} : !df.stream<8x!bnn.bipolar, 2, mmv = 2> -> !df.stream<4x!bnn.bipolar, 2>
  df.output %m {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
}

// -----

// An MVTU without MMV reads a plain stream, even one of the right width.
df.graph @mvtu_multi_pixel_input {
  // the multi-pixel stream comes from a width converter (graph inputs are plain)
  %in0 = df.input {shape = array<i64: 8>} : !df.stream<1x!bnn.bipolar, 8>
  %in = df.dwc %in0 {pixels = 2 : i64} : !df.stream<1x!bnn.bipolar, 8> -> !df.stream<4x!bnn.bipolar, 2, mmv = 2>
  // CHECK: Operation does not verify: the input stream carries 2 pixels per word, expected 1
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 4 : i64, popcount, thresholds = dense<4> : tensor<1x1xi64>} : !df.stream<4x!bnn.bipolar, 2, mmv = 2> -> !df.stream<2x!bnn.bipolar, 2>
  df.output %m {shape = array<i64: 4>} : !df.stream<2x!bnn.bipolar, 2>
}

// -----

df.graph @mvtu_output_lanes {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: the output stream has 4 lanes, expected 2 for this folding
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 4 : i64, popcount, thresholds = dense<4> : tensor<1x1xi64>} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<4x!bnn.bipolar, 1>
  df.output %m {shape = array<i64: 4>} : !df.stream<4x!bnn.bipolar, 1>
}

// -----

df.graph @mvtu_output_words {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: the output stream has 1 words per frame, expected 2
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 4 : i64, popcount, thresholds = dense<4> : tensor<1x1xi64>} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<2x!bnn.bipolar, 1>
  df.output %m {shape = array<i64: 2>} : !df.stream<2x!bnn.bipolar, 1>
}

// -----

df.graph @mvtu_popcount_integer_input {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4xsi8, 2>
  // CHECK: Operation does not verify: popcount accumulation needs bipolar inputs and weights
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 4 : i64, popcount} : !df.stream<4xsi8, 2> -> !df.stream<2xsi16, 2>
  df.output %m {shape = array<i64: 4>} : !df.stream<2xsi16, 2>
}

// -----

df.graph @mvtu_popcount_nbit_weights {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: popcount accumulation needs bipolar inputs and weights
  %m = df.mvtu %in weights<si2> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 4 : i64, popcount} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<2xsi16, 2>
  df.output %m {shape = array<i64: 4>} : !df.stream<2xsi16, 2>
}

// -----

df.graph @mvtu_threshold_rows {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: thresholds must be (4 or 1, steps), got [3, 1]
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 4 : i64, popcount, thresholds = dense<4> : tensor<3x1xi64>} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<2x!bnn.bipolar, 2>
  df.output %m {shape = array<i64: 4>} : !df.stream<2x!bnn.bipolar, 2>
}

// -----

df.graph @mvtu_threshold_rank {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: thresholds must be (4 or 1, steps), got [4]
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 4 : i64, popcount, thresholds = dense<[1, 2, 3, 4]> : tensor<4xi64>} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<2x!bnn.bipolar, 2>
  df.output %m {shape = array<i64: 4>} : !df.stream<2x!bnn.bipolar, 2>
}

// -----

df.graph @mvtu_bipolar_two_thresholds {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: a bipolar output needs one threshold per channel
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 4 : i64, popcount, thresholds = dense<[[2, 6]]> : tensor<1x2xi64>} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<2x!bnn.bipolar, 2>
  df.output %m {shape = array<i64: 4>} : !df.stream<2x!bnn.bipolar, 2>
}

// -----

// Three steps from offset 0 reach 3, and si2 holds -2..1.
df.graph @mvtu_steps_too_many {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: outputs 0..3 do not fit si2
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 4 : i64, popcount, thresholds = dense<[[2, 4, 6]]> : tensor<1x3xi64>} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<2xsi2, 2>
  df.output %m {shape = array<i64: 4>} : !df.stream<2xsi2, 2>
}

// -----

// Outputs -1..0 do not fit ui2 (0..3).
df.graph @mvtu_offset_below_range {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: outputs -1..0 do not fit ui2
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 4 : i64, popcount, thresholds = dense<4> : tensor<1x1xi64>, offset = -1 : i64} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<2xui2, 2>
  df.output %m {shape = array<i64: 4>} : !df.stream<2xui2, 2>
}

// -----

// Outputs 3..4 do not fit ui2 (0..3).
df.graph @mvtu_offset_above_range {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: outputs 3..4 do not fit ui2
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 4 : i64, popcount, thresholds = dense<4> : tensor<1x1xi64>, offset = 3 : i64} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<2xui2, 2>
  df.output %m {shape = array<i64: 4>} : !df.stream<2xui2, 2>
}

// -----

df.graph @mvtu_bipolar_accumulator {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: accumulator outputs must be integers
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 4 : i64, popcount} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<2x!bnn.bipolar, 2>
  df.output %m {shape = array<i64: 4>} : !df.stream<2x!bnn.bipolar, 2>
}

// -----

df.graph @mvtu_missing_simd {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: property 'simd' expected in operation 'df.mvtu'
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, popcount, thresholds = dense<4> : tensor<1x1xi64>} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<2x!bnn.bipolar, 2>
  df.output %m {shape = array<i64: 4>} : !df.stream<2x!bnn.bipolar, 2>
}

// -----

func.func @mvtu_on_tensor(%x: tensor<1x8x!bnn.bipolar>) {
  // CHECK: tensor<1x8x!bnn.bipolar> should be of base attribute df.stream
  %m = df.mvtu %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 4 : i64, popcount, thresholds = dense<4> : tensor<1x1xi64>} : tensor<1x8x!bnn.bipolar> -> !df.stream<2x!bnn.bipolar, 2>
  func.return
}

//===------------------------------------------------------------------------------------===//
// df.swu
//===------------------------------------------------------------------------------------===//

// -----

df.graph @swu_channels_simd {
  %in = df.input {shape = array<i64: 4, 4, 4>} : !df.stream<4x!bnn.bipolar, 16>
  // CHECK: Operation does not verify: 4 channels are not divisible by SIMD = 3
  %w = df.swu %in {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 3 : i64} : !df.stream<4x!bnn.bipolar, 16> -> !df.stream<3x!bnn.bipolar, 48>
  df.output %w {shape = array<i64: 144>} : !df.stream<3x!bnn.bipolar, 48>
}

// -----

// A 3x3 output has 9 pixels, which cannot be taken 2 at a time.
df.graph @swu_pixels_mmv {
  %in = df.input {shape = array<i64: 5, 5, 2>} : !df.stream<2x!bnn.bipolar, 25>
  // CHECK: Operation does not verify: 9 output pixels are not divisible by MMV = 2
  %w = df.swu %in {channels = 2 : i64, ifm = array<i64: 5, 5>, ofm = array<i64: 3, 3>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 2 : i64, mmv = 2 : i64} : !df.stream<2x!bnn.bipolar, 25> -> !df.stream<4x!bnn.bipolar, 81>
  df.output %w {shape = array<i64: 324>} : !df.stream<4x!bnn.bipolar, 81>
}

// -----

df.graph @swu_zero_stride {
  %in = df.input {shape = array<i64: 4, 4, 2>} : !df.stream<2x!bnn.bipolar, 16>
  // CHECK: Operation does not verify: kernel and strides must be positive
  %w = df.swu %in {channels = 2 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 0>, pads = array<i64: 0, 0, 0, 0>, simd = 2 : i64} : !df.stream<2x!bnn.bipolar, 16> -> !df.stream<2x!bnn.bipolar, 36>
  df.output %w {shape = array<i64: 72>} : !df.stream<2x!bnn.bipolar, 36>
}

// -----

df.graph @swu_zero_kernel {
  %in = df.input {shape = array<i64: 4, 4, 2>} : !df.stream<2x!bnn.bipolar, 16>
  // CHECK: Operation does not verify: kernel and strides must be positive
  %w = df.swu %in {channels = 2 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 0, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 2 : i64} : !df.stream<2x!bnn.bipolar, 16> -> !df.stream<2x!bnn.bipolar, 36>
  df.output %w {shape = array<i64: 72>} : !df.stream<2x!bnn.bipolar, 36>
}

// -----

df.graph @swu_negative_pad {
  %in = df.input {shape = array<i64: 4, 4, 2>} : !df.stream<2x!bnn.bipolar, 16>
  // CHECK: Operation does not verify: pads must be non-negative
  %w = df.swu %in {channels = 2 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 4, 3>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, -1>, pad_value = 1 : i64, simd = 2 : i64} : !df.stream<2x!bnn.bipolar, 16> -> !df.stream<2x!bnn.bipolar, 108>
  df.output %w {shape = array<i64: 216>} : !df.stream<2x!bnn.bipolar, 108>
}

// -----

// Top and left pads make the 1x1 input 2x2, still too small for a 3x3 kernel.
df.graph @swu_kernel_too_large {
  %in = df.input {shape = array<i64: 1, 1, 2>} : !df.stream<2x!bnn.bipolar, 1>
  // CHECK: Operation does not verify: a 3x3 kernel does not fit a padded 1x1 input
  %w = df.swu %in {channels = 2 : i64, ifm = array<i64: 1, 1>, ofm = array<i64: 1, 1>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 0, 0>, pad_value = 1 : i64, simd = 2 : i64} : !df.stream<2x!bnn.bipolar, 1> -> !df.stream<2x!bnn.bipolar, 9>
  df.output %w {shape = array<i64: 18>} : !df.stream<2x!bnn.bipolar, 9>
}

// -----

// Without pads a 5x5 input gives a 3x3 output; 5x5 would need pads of one.
df.graph @swu_output_dims {
  %in = df.input {shape = array<i64: 5, 5, 2>} : !df.stream<2x!bnn.bipolar, 25>
  // CHECK: Operation does not verify: output 5x5 does not match the window of a 5x5 input
  %w = df.swu %in {channels = 2 : i64, ifm = array<i64: 5, 5>, ofm = array<i64: 5, 5>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 2 : i64} : !df.stream<2x!bnn.bipolar, 25> -> !df.stream<2x!bnn.bipolar, 225>
  df.output %w {shape = array<i64: 450>} : !df.stream<2x!bnn.bipolar, 225>
}

// -----

// Stride 2 on 5x5 without pads: (5 - 3) / 2 + 1 = 2, not 3.
df.graph @swu_output_dims_stride {
  %in = df.input {shape = array<i64: 5, 5, 2>} : !df.stream<2xsi8, 25>
  // CHECK: Operation does not verify: output 3x3 does not match the window of a 5x5 input
  %w = df.swu %in {channels = 2 : i64, ifm = array<i64: 5, 5>, ofm = array<i64: 3, 3>, kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, simd = 2 : i64} : !df.stream<2xsi8, 25> -> !df.stream<2xsi8, 81>
  df.output %w {shape = array<i64: 162>} : !df.stream<2xsi8, 81>
}

// -----

// Padding bipolar data needs a bipolar value; 0 (the default) is none.
df.graph @swu_bipolar_pad_zero {
  %in = df.input {shape = array<i64: 4, 4, 2>} : !df.stream<2x!bnn.bipolar, 16>
  // CHECK: Operation does not verify: padding of bipolar data must be +1 or -1
  %w = df.swu %in {channels = 2 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 4, 4>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, simd = 2 : i64} : !df.stream<2x!bnn.bipolar, 16> -> !df.stream<2x!bnn.bipolar, 144>
  df.output %w {shape = array<i64: 288>} : !df.stream<2x!bnn.bipolar, 144>
}

// -----

df.graph @swu_bipolar_pad_two {
  %in = df.input {shape = array<i64: 4, 4, 2>} : !df.stream<2x!bnn.bipolar, 16>
  // CHECK: Operation does not verify: padding of bipolar data must be +1 or -1
  %w = df.swu %in {channels = 2 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 4, 4>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, pad_value = 2 : i64, simd = 2 : i64} : !df.stream<2x!bnn.bipolar, 16> -> !df.stream<2x!bnn.bipolar, 144>
  df.output %w {shape = array<i64: 288>} : !df.stream<2x!bnn.bipolar, 144>
}

// -----

df.graph @swu_element_type {
  %in = df.input {shape = array<i64: 4, 4, 2>} : !df.stream<2x!bnn.bipolar, 16>
  // CHECK: Operation does not verify: the output stream carries si8, expected !bnn.bipolar
  %w = df.swu %in {channels = 2 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 2 : i64} : !df.stream<2x!bnn.bipolar, 16> -> !df.stream<2xsi8, 36>
  df.output %w {shape = array<i64: 72>} : !df.stream<2xsi8, 36>
}

// -----

df.graph @swu_input_lanes {
  %in = df.input {shape = array<i64: 4, 4, 2>} : !df.stream<1x!bnn.bipolar, 32>
  // CHECK: Operation does not verify: the input stream has 1 lanes, expected 2 for this folding
  %w = df.swu %in {channels = 2 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 2 : i64} : !df.stream<1x!bnn.bipolar, 32> -> !df.stream<2x!bnn.bipolar, 36>
  df.output %w {shape = array<i64: 72>} : !df.stream<2x!bnn.bipolar, 36>
}

// -----

// A 4x4x2 image is 16 words of two lanes, not 8.
df.graph @swu_input_words {
  %in = df.input {shape = array<i64: 16>} : !df.stream<2x!bnn.bipolar, 8>
  // CHECK: Operation does not verify: the input stream has 8 words per frame, expected 16
  %w = df.swu %in {channels = 2 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 2 : i64} : !df.stream<2x!bnn.bipolar, 8> -> !df.stream<2x!bnn.bipolar, 36>
  df.output %w {shape = array<i64: 72>} : !df.stream<2x!bnn.bipolar, 36>
}

// -----

// With MMV = 2 the windows of two pixels share a word of 4 lanes.
df.graph @swu_mmv_output_lanes {
  %in = df.input {shape = array<i64: 4, 4, 2>} : !df.stream<2x!bnn.bipolar, 16>
  // CHECK: Operation does not verify: the output stream has 2 lanes, expected 4 for this folding
  %w = df.swu %in {channels = 2 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 2 : i64, mmv = 2 : i64} : !df.stream<2x!bnn.bipolar, 16> -> !df.stream<2x!bnn.bipolar, 36, mmv = 2>
  df.output %w {shape = array<i64: 72>} : !df.stream<2x!bnn.bipolar, 36, mmv = 2>
}

// -----

// ... in a multi-pixel stream.
df.graph @swu_mmv_plain_output {
  %in = df.input {shape = array<i64: 4, 4, 2>} : !df.stream<2x!bnn.bipolar, 16>
  // CHECK: Operation does not verify: the output stream carries 1 pixels per word, expected 2
  %w = df.swu %in {channels = 2 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 2 : i64, mmv = 2 : i64} : !df.stream<2x!bnn.bipolar, 16> -> !df.stream<4x!bnn.bipolar, 18>
  df.output %w {shape = array<i64: 72>} : !df.stream<4x!bnn.bipolar, 18>
}

// -----

// The image comes in as a plain stream.
df.graph @swu_multi_pixel_input {
  // the multi-pixel stream comes from a width converter (graph inputs are plain)
  %in0 = df.input {shape = array<i64: 4, 4, 2>} : !df.stream<1x!bnn.bipolar, 32>
  %in = df.dwc %in0 {pixels = 2 : i64} : !df.stream<1x!bnn.bipolar, 32> -> !df.stream<2x!bnn.bipolar, 16, mmv = 2>
  // CHECK: Operation does not verify: the input stream carries 2 pixels per word, expected 1
  %w = df.swu %in {channels = 2 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 2 : i64} : !df.stream<2x!bnn.bipolar, 16, mmv = 2> -> !df.stream<2x!bnn.bipolar, 36>
  df.output %w {shape = array<i64: 72>} : !df.stream<2x!bnn.bipolar, 36>
}

// -----

// 2x2 windows of 3x3x2 elements: 72 elements, 36 words of two lanes.
df.graph @swu_output_words {
  %in = df.input {shape = array<i64: 4, 4, 2>} : !df.stream<2x!bnn.bipolar, 16>
  // CHECK: Operation does not verify: the output stream has 32 words per frame, expected 36
  %w = df.swu %in {channels = 2 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 2 : i64} : !df.stream<2x!bnn.bipolar, 16> -> !df.stream<2x!bnn.bipolar, 32>
  df.output %w {shape = array<i64: 64>} : !df.stream<2x!bnn.bipolar, 32>
}

//===------------------------------------------------------------------------------------===//
// df.pool
//===------------------------------------------------------------------------------------===//

// -----

df.graph @pool_channels_pe {
  %in = df.input {shape = array<i64: 4, 4, 4>} : !df.stream<4x!bnn.bipolar, 16>
  // CHECK: Operation does not verify: 4 channels are not divisible by PE = 3
  %p = df.pool %in {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pe = 3 : i64} : !df.stream<4x!bnn.bipolar, 16> -> !df.stream<4x!bnn.bipolar, 4>
  df.output %p {shape = array<i64: 2, 2, 4>} : !df.stream<4x!bnn.bipolar, 4>
}

// -----

df.graph @pool_zero_stride {
  %in = df.input {shape = array<i64: 4, 4, 4>} : !df.stream<4x!bnn.bipolar, 16>
  // CHECK: Operation does not verify: kernel and strides must be positive
  %p = df.pool %in {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 2, 2>, strides = array<i64: 0, 2>, pe = 4 : i64} : !df.stream<4x!bnn.bipolar, 16> -> !df.stream<4x!bnn.bipolar, 4>
  df.output %p {shape = array<i64: 2, 2, 4>} : !df.stream<4x!bnn.bipolar, 4>
}

// -----

df.graph @pool_window_too_large {
  %in = df.input {shape = array<i64: 2, 2, 4>} : !df.stream<4xsi8, 4>
  // CHECK: Operation does not verify: a 3x3 window does not fit a 2x2 input
  %p = df.pool %in {channels = 4 : i64, ifm = array<i64: 2, 2>, ofm = array<i64: 1, 1>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pe = 4 : i64} : !df.stream<4xsi8, 4> -> !df.stream<4xsi8, 1>
  df.output %p {shape = array<i64: 1, 1, 4>} : !df.stream<4xsi8, 1>
}

// -----

// (5 - 2) / 2 + 1 = 2: the last row and column are dropped.
df.graph @pool_output_dims {
  %in = df.input {shape = array<i64: 5, 5, 4>} : !df.stream<4x!bnn.bipolar, 25>
  // CHECK: Operation does not verify: output 3x3 does not match the pool, expected 2x2
  %p = df.pool %in {channels = 4 : i64, ifm = array<i64: 5, 5>, ofm = array<i64: 3, 3>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pe = 4 : i64} : !df.stream<4x!bnn.bipolar, 25> -> !df.stream<4x!bnn.bipolar, 9>
  df.output %p {shape = array<i64: 3, 3, 4>} : !df.stream<4x!bnn.bipolar, 9>
}

// -----

df.graph @pool_element_type {
  %in = df.input {shape = array<i64: 4, 4, 4>} : !df.stream<4xsi4, 16>
  // CHECK: Operation does not verify: the output stream carries si8, expected si4
  %p = df.pool %in {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pe = 4 : i64} : !df.stream<4xsi4, 16> -> !df.stream<4xsi8, 4>
  df.output %p {shape = array<i64: 2, 2, 4>} : !df.stream<4xsi8, 4>
}

// -----

df.graph @pool_input_lanes {
  %in = df.input {shape = array<i64: 4, 4, 4>} : !df.stream<2x!bnn.bipolar, 32>
  // CHECK: Operation does not verify: the input stream has 2 lanes, expected 4 for this folding
  %p = df.pool %in {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pe = 4 : i64} : !df.stream<2x!bnn.bipolar, 32> -> !df.stream<4x!bnn.bipolar, 4>
  df.output %p {shape = array<i64: 2, 2, 4>} : !df.stream<4x!bnn.bipolar, 4>
}

// -----

// Pools read plain streams only.
df.graph @pool_multi_pixel_input {
  // the multi-pixel stream comes from a width converter (graph inputs are plain)
  %in0 = df.input {shape = array<i64: 4, 4, 4>} : !df.stream<1x!bnn.bipolar, 64>
  %in = df.dwc %in0 {pixels = 2 : i64} : !df.stream<1x!bnn.bipolar, 64> -> !df.stream<4x!bnn.bipolar, 16, mmv = 2>
  // CHECK: Operation does not verify: the input stream carries 2 pixels per word, expected 1
  %p = df.pool %in {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pe = 4 : i64} : !df.stream<4x!bnn.bipolar, 16, mmv = 2> -> !df.stream<4x!bnn.bipolar, 4>
  df.output %p {shape = array<i64: 2, 2, 4>} : !df.stream<4x!bnn.bipolar, 4>
}

// -----

df.graph @pool_multi_pixel_output {
  %in = df.input {shape = array<i64: 4, 4, 4>} : !df.stream<4x!bnn.bipolar, 16>
  // CHECK: Operation does not verify: the output stream carries 2 pixels per word, expected 1
  %p = df.pool %in {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pe = 4 : i64} : !df.stream<4x!bnn.bipolar, 16> -> !df.stream<4x!bnn.bipolar, 4, mmv = 2>
  df.output %p {shape = array<i64: 2, 2, 4>} : !df.stream<4x!bnn.bipolar, 4, mmv = 2>
}

// -----

df.graph @pool_output_words {
  %in = df.input {shape = array<i64: 4, 4, 4>} : !df.stream<4x!bnn.bipolar, 16>
  // CHECK: Operation does not verify: the output stream has 16 words per frame, expected 4
  %p = df.pool %in {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pe = 4 : i64} : !df.stream<4x!bnn.bipolar, 16> -> !df.stream<4x!bnn.bipolar, 16>
  df.output %p {shape = array<i64: 4, 4, 4>} : !df.stream<4x!bnn.bipolar, 16>
}

//===------------------------------------------------------------------------------------===//
// df.threshold
//===------------------------------------------------------------------------------------===//

// -----

df.graph @threshold_channels_pe {
  %in = df.input {shape = array<i64: 6>} : !df.stream<3xi32, 2>
  // CHECK: Operation does not verify: 6 channels are not divisible by PE = 4
  %t = df.threshold %in by dense<0> : tensor<1x1xi64> {channels = 6 : i64, pe = 4 : i64} : !df.stream<3xi32, 2> -> !df.stream<3x!bnn.bipolar, 2>
  df.output %t {shape = array<i64: 6>} : !df.stream<3x!bnn.bipolar, 2>
}

// -----

df.graph @threshold_rows {
  %in = df.input {shape = array<i64: 6>} : !df.stream<3xi32, 2>
  // CHECK: Operation does not verify: thresholds must be (6 or 1, steps), got [3, 1]
  %t = df.threshold %in by dense<0> : tensor<3x1xi64> {channels = 6 : i64, pe = 3 : i64} : !df.stream<3xi32, 2> -> !df.stream<3x!bnn.bipolar, 2>
  df.output %t {shape = array<i64: 6>} : !df.stream<3x!bnn.bipolar, 2>
}

// -----

df.graph @threshold_rank {
  %in = df.input {shape = array<i64: 6>} : !df.stream<3xi32, 2>
  // CHECK: Operation does not verify: thresholds must be (6 or 1, steps), got [6]
  %t = df.threshold %in by dense<0> : tensor<6xi64> {channels = 6 : i64, pe = 3 : i64} : !df.stream<3xi32, 2> -> !df.stream<3x!bnn.bipolar, 2>
  df.output %t {shape = array<i64: 6>} : !df.stream<3x!bnn.bipolar, 2>
}

// -----

df.graph @threshold_bipolar_input {
  %in = df.input {shape = array<i64: 6>} : !df.stream<3x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: a threshold unit reads integers
  %t = df.threshold %in by dense<0> : tensor<1x1xi64> {channels = 6 : i64, pe = 3 : i64} : !df.stream<3x!bnn.bipolar, 2> -> !df.stream<3x!bnn.bipolar, 2>
  df.output %t {shape = array<i64: 6>} : !df.stream<3x!bnn.bipolar, 2>
}

// -----

df.graph @threshold_bipolar_two_steps {
  %in = df.input {shape = array<i64: 6>} : !df.stream<3xi32, 2>
  // CHECK: Operation does not verify: a bipolar output needs one threshold per channel
  %t = df.threshold %in by dense<[[0, 1]]> : tensor<1x2xi64> {channels = 6 : i64, pe = 3 : i64} : !df.stream<3xi32, 2> -> !df.stream<3x!bnn.bipolar, 2>
  df.output %t {shape = array<i64: 6>} : !df.stream<3x!bnn.bipolar, 2>
}

// -----

// Four pixels of 6 channels are 8 words of three lanes.
df.graph @threshold_pixels_words {
  %in = df.input {shape = array<i64: 6>} : !df.stream<3xi32, 2>
  // CHECK: Operation does not verify: the input stream has 2 words per frame, expected 8
  %t = df.threshold %in by dense<0> : tensor<1x1xi64> {channels = 6 : i64, pixels = 4 : i64, pe = 3 : i64} : !df.stream<3xi32, 2> -> !df.stream<3x!bnn.bipolar, 8>
  df.output %t {shape = array<i64: 24>} : !df.stream<3x!bnn.bipolar, 8>
}

// -----

df.graph @threshold_multi_pixel_input {
  // the multi-pixel stream comes from a width converter (graph inputs are plain)
  %in0 = df.input {shape = array<i64: 6>} : !df.stream<1xi32, 6>
  %in = df.dwc %in0 {pixels = 3 : i64} : !df.stream<1xi32, 6> -> !df.stream<3xi32, 2, mmv = 3>
  // CHECK: Operation does not verify: the input stream carries 3 pixels per word, expected 1
  %t = df.threshold %in by dense<0> : tensor<1x1xi64> {channels = 6 : i64, pe = 3 : i64} : !df.stream<3xi32, 2, mmv = 3> -> !df.stream<3x!bnn.bipolar, 2>
  df.output %t {shape = array<i64: 6>} : !df.stream<3x!bnn.bipolar, 2>
}

// -----

df.graph @threshold_output_lanes {
  %in = df.input {shape = array<i64: 6>} : !df.stream<3xi32, 2>
  // CHECK: Operation does not verify: the output stream has 6 lanes, expected 3 for this folding
  %t = df.threshold %in by dense<0> : tensor<1x1xi64> {channels = 6 : i64, pe = 3 : i64} : !df.stream<3xi32, 2> -> !df.stream<6x!bnn.bipolar, 1>
  df.output %t {shape = array<i64: 6>} : !df.stream<6x!bnn.bipolar, 1>
}

//===------------------------------------------------------------------------------------===//
// df.label_select
//===------------------------------------------------------------------------------------===//

// -----

df.graph @label_select_classes_pe {
  %in = df.input {shape = array<i64: 10>} : !df.stream<5xsi16, 2>
  // CHECK: Operation does not verify: 10 classes are not divisible by PE = 4
  %l = df.label_select %in {classes = 10 : i64, k = 1 : i64, pe = 4 : i64} : !df.stream<5xsi16, 2> -> !df.stream<1xui4, 1>
  df.output %l {shape = array<i64: 1>} : !df.stream<1xui4, 1>
}

// -----

df.graph @label_select_k_zero {
  %in = df.input {shape = array<i64: 10>} : !df.stream<5xsi16, 2>
  // CHECK: Operation does not verify: k = 0 must be between 1 and 10
  %l = df.label_select %in {classes = 10 : i64, k = 0 : i64, pe = 5 : i64} : !df.stream<5xsi16, 2> -> !df.stream<1xui4, 1>
  df.output %l {shape = array<i64: 1>} : !df.stream<1xui4, 1>
}

// -----

df.graph @label_select_k_too_large {
  %in = df.input {shape = array<i64: 10>} : !df.stream<5xsi16, 2>
  // CHECK: Operation does not verify: k = 11 must be between 1 and 10
  %l = df.label_select %in {classes = 10 : i64, k = 11 : i64, pe = 5 : i64} : !df.stream<5xsi16, 2> -> !df.stream<1xui4, 11>
  df.output %l {shape = array<i64: 11>} : !df.stream<1xui4, 11>
}

// -----

// Indices 0..9 need 4 unsigned bits; ui3 holds 0..7.
df.graph @label_select_index_too_narrow {
  %in = df.input {shape = array<i64: 10>} : !df.stream<5xsi16, 2>
  // CHECK: Operation does not verify: ui3 cannot hold class indices up to 9
  %l = df.label_select %in {classes = 10 : i64, k = 1 : i64, pe = 5 : i64} : !df.stream<5xsi16, 2> -> !df.stream<1xui3, 1>
  df.output %l {shape = array<i64: 1>} : !df.stream<1xui3, 1>
}

// -----

// A signed 4-bit index holds -8..7.
df.graph @label_select_signed_index_too_narrow {
  %in = df.input {shape = array<i64: 10>} : !df.stream<5xsi16, 2>
  // CHECK: Operation does not verify: si4 cannot hold class indices up to 9
  %l = df.label_select %in {classes = 10 : i64, k = 1 : i64, pe = 5 : i64} : !df.stream<5xsi16, 2> -> !df.stream<1xsi4, 1>
  df.output %l {shape = array<i64: 1>} : !df.stream<1xsi4, 1>
}

// -----

df.graph @label_select_bipolar_index {
  %in = df.input {shape = array<i64: 2>} : !df.stream<2xsi16, 1>
  // CHECK: Operation does not verify: !bnn.bipolar cannot hold class indices up to 1
  %l = df.label_select %in {classes = 2 : i64, k = 1 : i64, pe = 2 : i64} : !df.stream<2xsi16, 1> -> !df.stream<1x!bnn.bipolar, 1>
  df.output %l {shape = array<i64: 1>} : !df.stream<1x!bnn.bipolar, 1>
}

// -----

df.graph @label_select_output_words {
  %in = df.input {shape = array<i64: 10>} : !df.stream<5xsi16, 2>
  // CHECK: Operation does not verify: the output stream has 1 words per frame, expected 3
  %l = df.label_select %in {classes = 10 : i64, k = 3 : i64, pe = 5 : i64} : !df.stream<5xsi16, 2> -> !df.stream<1xui4, 1>
  df.output %l {shape = array<i64: 1>} : !df.stream<1xui4, 1>
}

// -----

// One index per word.
df.graph @label_select_output_lanes {
  %in = df.input {shape = array<i64: 10>} : !df.stream<5xsi16, 2>
  // CHECK: Operation does not verify: the output stream has 3 lanes, expected 1 for this folding
  %l = df.label_select %in {classes = 10 : i64, k = 3 : i64, pe = 5 : i64} : !df.stream<5xsi16, 2> -> !df.stream<3xui4, 3>
  df.output %l {shape = array<i64: 9>} : !df.stream<3xui4, 3>
}

// -----

df.graph @label_select_multi_pixel_input {
  // the multi-pixel stream comes from a width converter (graph inputs are plain)
  %in0 = df.input {shape = array<i64: 10>} : !df.stream<1xsi16, 10>
  %in = df.dwc %in0 {pixels = 5 : i64} : !df.stream<1xsi16, 10> -> !df.stream<5xsi16, 2, mmv = 5>
  // CHECK: Operation does not verify: the input stream carries 5 pixels per word, expected 1
  %l = df.label_select %in {classes = 10 : i64, k = 1 : i64, pe = 5 : i64} : !df.stream<5xsi16, 2, mmv = 5> -> !df.stream<1xui4, 1>
  df.output %l {shape = array<i64: 1>} : !df.stream<1xui4, 1>
}

// -----

df.graph @label_select_input_lanes {
  %in = df.input {shape = array<i64: 10>} : !df.stream<10xsi16, 1>
  // CHECK: Operation does not verify: the input stream has 10 lanes, expected 5 for this folding
  %l = df.label_select %in {classes = 10 : i64, k = 1 : i64, pe = 5 : i64} : !df.stream<10xsi16, 1> -> !df.stream<1xui4, 1>
  df.output %l {shape = array<i64: 1>} : !df.stream<1xui4, 1>
}

//===------------------------------------------------------------------------------------===//
// df.dwc
//===------------------------------------------------------------------------------------===//

// -----

// 32 lanes x 2 words are 64 elements; 8 lanes x 4 words only 32.
df.graph @dwc_elements {
  %in = df.input {shape = array<i64: 64>} : !df.stream<32x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: a width converter keeps the elements per frame
  %n = df.dwc %in : !df.stream<32x!bnn.bipolar, 2> -> !df.stream<8x!bnn.bipolar, 4>
  df.output %n {shape = array<i64: 32>} : !df.stream<8x!bnn.bipolar, 4>
}

// -----

df.graph @dwc_element_type {
  %in = df.input {shape = array<i64: 64>} : !df.stream<32x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: a width converter keeps the element type
  %n = df.dwc %in : !df.stream<32x!bnn.bipolar, 2> -> !df.stream<8xi1, 8>
  df.output %n {shape = array<i64: 64>} : !df.stream<8xi1, 8>
}

// -----

// Regrouping pixels needs their count.
df.graph @dwc_multi_pixel_without_pixels {
  %in = df.input {shape = array<i64: 4, 4, 4>} : !df.stream<4xsi4, 16>
  // CHECK: Operation does not verify: a width converter of multi-pixel streams needs `pixels`
  %n = df.dwc %in : !df.stream<4xsi4, 16> -> !df.stream<8xsi4, 8, mmv = 2>
  df.output %n {shape = array<i64: 64>} : !df.stream<8xsi4, 8, mmv = 2>
}

// -----

df.graph @dwc_pixels_do_not_divide {
  %in = df.input {shape = array<i64: 4, 4, 4>} : !df.stream<4xsi4, 16>
  // CHECK: Operation does not verify: 5 pixels do not divide the frame
  %n = df.dwc %in {pixels = 5 : i64} : !df.stream<4xsi4, 16> -> !df.stream<8xsi4, 8, mmv = 2>
  df.output %n {shape = array<i64: 64>} : !df.stream<8xsi4, 8, mmv = 2>
}

// -----

df.graph @dwc_zero_pixels {
  %in = df.input {shape = array<i64: 4, 4, 4>} : !df.stream<4xsi4, 16>
  // CHECK: Operation does not verify: 0 pixels do not divide the frame
  %n = df.dwc %in {pixels = 0 : i64} : !df.stream<4xsi4, 16> -> !df.stream<8xsi4, 8, mmv = 2>
  df.output %n {shape = array<i64: 64>} : !df.stream<8xsi4, 8, mmv = 2>
}

// -----

// 16 pixels of 4 elements: a word of two pixels of 8 lanes would straddle pixels.
df.graph @dwc_pixel_lanes {
  %in = df.input {shape = array<i64: 4, 4, 4>} : !df.stream<4xsi4, 16>
  // CHECK: Operation does not verify: !df.stream<16xsi4, 4, mmv = 2> does not split a frame of 16 pixels of 4 elements
  %n = df.dwc %in {pixels = 16 : i64} : !df.stream<4xsi4, 16> -> !df.stream<16xsi4, 4, mmv = 2>
  df.output %n {shape = array<i64: 64>} : !df.stream<16xsi4, 4, mmv = 2>
}

// -----

// 3 pixels cannot be taken 2 at a time.
df.graph @dwc_pixels_mmv {
  %in = df.input {shape = array<i64: 3, 4>} : !df.stream<4xsi4, 3>
  // CHECK: Operation does not verify: !df.stream<4xsi4, 3, mmv = 2> does not split a frame of 3 pixels of 4 elements
  %n = df.dwc %in {pixels = 3 : i64} : !df.stream<4xsi4, 3> -> !df.stream<4xsi4, 3, mmv = 2>
  df.output %n {shape = array<i64: 12>} : !df.stream<4xsi4, 3, mmv = 2>
}

//===------------------------------------------------------------------------------------===//
// df.fifo
//===------------------------------------------------------------------------------------===//

// -----

df.graph @fifo_element_type {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4xsi8, 2>
  // CHECK: Operation does not verify: a FIFO keeps its stream type
  %f = df.fifo %in : !df.stream<4xsi8, 2> -> !df.stream<4xui8, 2>
  df.output %f {shape = array<i64: 8>} : !df.stream<4xui8, 2>
}

// -----

// Even a regrouping of the same elements is a width converter's job.
df.graph @fifo_regroups {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4xsi8, 2>
  // CHECK: Operation does not verify: a FIFO keeps its stream type
  %f = df.fifo %in : !df.stream<4xsi8, 2> -> !df.stream<8xsi8, 1>
  df.output %f {shape = array<i64: 8>} : !df.stream<8xsi8, 1>
}

// -----

df.graph @fifo_pixels {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4xsi8, 2>
  // CHECK: Operation does not verify: a FIFO keeps its stream type
  %f = df.fifo %in : !df.stream<4xsi8, 2> -> !df.stream<4xsi8, 2, mmv = 2>
  df.output %f {shape = array<i64: 8>} : !df.stream<4xsi8, 2, mmv = 2>
}

// -----

df.graph @fifo_zero_depth {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4xsi8, 2>
  // CHECK: Operation does not verify: a FIFO depth must be positive
  %f = df.fifo %in {depth = 0 : i64} : !df.stream<4xsi8, 2> -> !df.stream<4xsi8, 2>
  df.output %f {shape = array<i64: 8>} : !df.stream<4xsi8, 2>
}

// -----

df.graph @fifo_negative_depth {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4xsi8, 2>
  // CHECK: Operation does not verify: a FIFO depth must be positive
  %f = df.fifo %in {depth = -3 : i64} : !df.stream<4xsi8, 2> -> !df.stream<4xsi8, 2>
  df.output %f {shape = array<i64: 8>} : !df.stream<4xsi8, 2>
}

// -----

df.graph @mvtu_real_weights {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: weights must be bipolar or signed integers of 2 bits or more, got f32
  %m = df.mvtu %in weights<f32> dense<0> : tensor<2x1xui64> {mw = 8 : i64, mh = 2 : i64, pe = 1 : i64, simd = 4 : i64} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<1xsi8, 2>
  df.output %m {shape = array<i64: 2>} : !df.stream<1xsi8, 2>
}

// -----

df.graph @pool_short_kernel {
  %in = df.input {shape = array<i64: 4, 4, 1>} : !df.stream<1x!bnn.bipolar, 16>
  // CHECK: Operation does not verify: 'kernel' must have 2 values, got [2]
  %p = df.pool %in {channels = 1 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 2>, strides = array<i64: 2, 2>, pe = 1 : i64} : !df.stream<1x!bnn.bipolar, 16> -> !df.stream<1x!bnn.bipolar, 4>
  df.output %p {shape = array<i64: 2, 2, 1>} : !df.stream<1x!bnn.bipolar, 4>
}

// -----

df.graph @mvtu_unsorted_thresholds {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Operation does not verify: thresholds must be sorted ascending in each channel
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<2x1xui64> {mw = 8 : i64, mh = 2 : i64, pe = 1 : i64, simd = 4 : i64, popcount, thresholds = dense<[[5, 1, 3]]> : tensor<1x3xi64>} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<1xui2, 2>
  df.output %m {shape = array<i64: 2>} : !df.stream<1xui2, 2>
}

// -----

df.graph @g {
  %in = df.input {shape = array<i64: 8>} : !df.stream<1x!bnn.bipolar, 8>
  df.output %in {shape = array<i64: 8>} : !df.stream<1x!bnn.bipolar, 8>
}
func.func @invoke_unknown(%x: tensor<1x8x!bnn.bipolar>) -> tensor<1x8x!bnn.bipolar> {
  // CHECK: Operation does not verify: no df.graph named @nowhere
  %y = df.invoke @nowhere(%x) : (tensor<1x8x!bnn.bipolar>) -> tensor<1x8x!bnn.bipolar>
  func.return %y : tensor<1x8x!bnn.bipolar>
}

// -----

df.graph @g {
  %in = df.input {shape = array<i64: 8>} : !df.stream<1x!bnn.bipolar, 8>
  df.output %in {shape = array<i64: 8>} : !df.stream<1x!bnn.bipolar, 8>
}
func.func @invoke_wrong_size(%x: tensor<1x4x!bnn.bipolar>) -> tensor<1x8x!bnn.bipolar> {
  // CHECK: Operation does not verify: the input tensor does not hold one frame of the graph's input
  %y = df.invoke @g(%x) : (tensor<1x4x!bnn.bipolar>) -> tensor<1x8x!bnn.bipolar>
  func.return %y : tensor<1x8x!bnn.bipolar>
}

// -----

// The prepared accumulator type must hold the popcount's 0..8 and the clamp's 9: si4 does not.
df.graph @narrow_acc {
  %in = df.input {shape = array<i64: 8>} : !df.stream<8x!bnn.bipolar, 1>
  // CHECK: Operation does not verify: acc_type si4 does not hold the accumulator's range [0, 9]
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<1x1xui64> {mw = 8 : i64, mh = 1 : i64, pe = 1 : i64, simd = 8 : i64, popcount, acc_type = si4} : !df.stream<8x!bnn.bipolar, 1> -> !df.stream<1xui4, 1>
  df.output %m {shape = array<i64: 1>} : !df.stream<1xui4, 1>
}

// -----

df.graph @unsigned_acc {
  %in = df.input {shape = array<i64: 8>} : !df.stream<8x!bnn.bipolar, 1>
  // CHECK: Operation does not verify: acc_type ui8 does not hold the accumulator's range [0, 9]
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<1x1xui64> {mw = 8 : i64, mh = 1 : i64, pe = 1 : i64, simd = 8 : i64, popcount, acc_type = ui8} : !df.stream<8x!bnn.bipolar, 1> -> !df.stream<1xui4, 1>
  df.output %m {shape = array<i64: 1>} : !df.stream<1xui4, 1>
}

// -----

df.graph @storage {
  %in = df.input {shape = array<i64: 8>} : !df.stream<8x!bnn.bipolar, 1>
  // CHECK: Operation does not verify: weight_storage must be one of lutram, bram, got 'uram'
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<1x1xui64> {mw = 8 : i64, mh = 1 : i64, pe = 1 : i64, simd = 8 : i64, popcount, weight_storage = "uram"} : !df.stream<8x!bnn.bipolar, 1> -> !df.stream<1xui4, 1>
  df.output %m {shape = array<i64: 1>} : !df.stream<1xui4, 1>
}

// -----

// A threshold unit on si4 inputs compares values -8..8: si4 is too narrow.
df.graph @narrow_compare {
  %in = df.input {shape = array<i64: 4>} : !df.stream<1xsi4, 4>
  // CHECK: Operation does not verify: compare_type si4 does not hold the inputs' range [-8, 8]
  %t = df.threshold %in by dense<[[0]]> : tensor<1x1xi64> {channels = 4 : i64, pe = 1 : i64, compare_type = si4} : !df.stream<1xsi4, 4> -> !df.stream<1x!bnn.bipolar, 4>
  df.output %t {shape = array<i64: 4>} : !df.stream<1x!bnn.bipolar, 4>
}

// -----

// A target's clock is a positive number of MHz.
// CHECK: the target clock must be a positive number of MHz, got 0.0
df.graph @zero_clock attributes {target = #df.target<board = "zc706", part = "xc7z045ffg900-2", clock_mhz = 0.0>} {
  %in = df.input {shape = array<i64: 4>} : !df.stream<1xsi4, 4>
  df.output %in {shape = array<i64: 4>} : !df.stream<1xsi4, 4>
}

// -----

// CHECK: a target needs a board and a part
df.graph @no_part attributes {target = #df.target<board = "zc706", part = "", clock_mhz = 200.0>} {
  %in = df.input {shape = array<i64: 4>} : !df.stream<1xsi4, 4>
  df.output %in {shape = array<i64: 4>} : !df.stream<1xsi4, 4>
}

// -----

df.graph @products_kind {
  %in = df.input {shape = array<i64: 8>} : !df.stream<8x!bnn.bipolar, 1>
  // CHECK: Operation does not verify: products must be one of lut, dsp, got 'bram'
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<1x1xui64> {mw = 8 : i64, mh = 1 : i64, pe = 1 : i64, simd = 8 : i64, popcount, products = "bram"} : !df.stream<8x!bnn.bipolar, 1> -> !df.stream<1xui4, 1>
  df.output %m {shape = array<i64: 1>} : !df.stream<1xui4, 1>
}

// -----

// XNOR lanes do not multiply: no DSP.
df.graph @xnor_on_dsp {
  %in = df.input {shape = array<i64: 8>} : !df.stream<8x!bnn.bipolar, 1>
  // CHECK: Operation does not verify: products = "dsp" needs integer inputs and integer weights (a bipolar lane does not multiply)
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<1x1xui64> {mw = 8 : i64, mh = 1 : i64, pe = 1 : i64, simd = 8 : i64, popcount, products = "dsp"} : !df.stream<8x!bnn.bipolar, 1> -> !df.stream<1xui4, 1>
  df.output %m {shape = array<i64: 1>} : !df.stream<1xui4, 1>
}

// -----

df.graph @tree_wider_than_simd {
  %in = df.input {shape = array<i64: 8>} : !df.stream<8x!bnn.bipolar, 1>
  // CHECK: Operation does not verify: tree = [16, 4] needs 1 <= GROUP <= SIMD = 8 and RADIX >= 2
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<1x1xui64> {mw = 8 : i64, mh = 1 : i64, pe = 1 : i64, simd = 8 : i64, popcount, tree = array<i64: 16, 4>} : !df.stream<8x!bnn.bipolar, 1> -> !df.stream<1xui4, 1>
  df.output %m {shape = array<i64: 1>} : !df.stream<1xui4, 1>
}

// -----

df.graph @tree_radix {
  %in = df.input {shape = array<i64: 8>} : !df.stream<8x!bnn.bipolar, 1>
  // CHECK: Operation does not verify: tree = [8, 1] needs 1 <= GROUP <= SIMD = 8 and RADIX >= 2
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<1x1xui64> {mw = 8 : i64, mh = 1 : i64, pe = 1 : i64, simd = 8 : i64, popcount, tree = array<i64: 8, 1>} : !df.stream<8x!bnn.bipolar, 1> -> !df.stream<1xui4, 1>
  df.output %m {shape = array<i64: 1>} : !df.stream<1xui4, 1>
}

// -----

df.graph @tree_values {
  %in = df.input {shape = array<i64: 8>} : !df.stream<8x!bnn.bipolar, 1>
  // CHECK: Operation does not verify: 'tree' must have 2 values, got [8]
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<1x1xui64> {mw = 8 : i64, mh = 1 : i64, pe = 1 : i64, simd = 8 : i64, popcount, tree = array<i64: 8>} : !df.stream<8x!bnn.bipolar, 1> -> !df.stream<1xui4, 1>
  df.output %m {shape = array<i64: 1>} : !df.stream<1xui4, 1>
}


// -----

//===------------------------------------------------------------------------------------===//
// df.vvtu and the depthwise window unit (issue 25)
//===------------------------------------------------------------------------------------===//

df.graph @vvtu_pe {
  %in = df.input {shape = array<i64: 36>} : !df.stream<9xui2, 4>
  // CHECK: Operation does not verify: 4 channels are not divisible by PE = 3
  %d = df.vvtu %in weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {channels = 4 : i64, kernel = array<i64: 3, 3>, pe = 3 : i64, simd = 3 : i64} : !df.stream<9xui2, 4> -> !df.stream<3xsi7, 1>
  df.output %d {shape = array<i64: 4>} : !df.stream<3xsi7, 1>
}

// -----

df.graph @vvtu_simd {
  %in = df.input {shape = array<i64: 36>} : !df.stream<4xui2, 9>
  // CHECK: Operation does not verify: 9 kernel taps are not divisible by SIMD = 2
  %d = df.vvtu %in weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {channels = 4 : i64, kernel = array<i64: 3, 3>, pe = 2 : i64, simd = 2 : i64} : !df.stream<4xui2, 9> -> !df.stream<2xsi7, 2>
  df.output %d {shape = array<i64: 4>} : !df.stream<2xsi7, 2>
}

// -----

df.graph @vvtu_input_lanes {
  %in = df.input {shape = array<i64: 36>} : !df.stream<4xui2, 9>
  // CHECK: Operation does not verify: the input stream has 4 lanes, expected 6 for this folding
  %d = df.vvtu %in weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {channels = 4 : i64, kernel = array<i64: 3, 3>, pe = 2 : i64, simd = 3 : i64} : !df.stream<4xui2, 9> -> !df.stream<2xsi7, 2>
  df.output %d {shape = array<i64: 4>} : !df.stream<2xsi7, 2>
}

// -----

df.graph @vvtu_output_words {
  %in = df.input {shape = array<i64: 36>} : !df.stream<6xui2, 6>
  // CHECK: Operation does not verify: the output stream has 4 words per frame, expected 2
  %d = df.vvtu %in weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {channels = 4 : i64, kernel = array<i64: 3, 3>, pe = 2 : i64, simd = 3 : i64} : !df.stream<6xui2, 6> -> !df.stream<2xsi7, 4>
  df.output %d {shape = array<i64: 4>} : !df.stream<2xsi7, 4>
}

// -----

df.graph @vvtu_weight_rows {
  %in = df.input {shape = array<i64: 36>} : !df.stream<6xui2, 6>
  // CHECK: Operation does not verify: packed weights have shape [3, 1], expected [4, 1] for 4x9 weights
  %d = df.vvtu %in weights<si2> dense<[[1], [4], [5]]> : tensor<3x1xui64> {channels = 4 : i64, kernel = array<i64: 3, 3>, pe = 2 : i64, simd = 3 : i64} : !df.stream<6xui2, 6> -> !df.stream<2xsi7, 2>
  df.output %d {shape = array<i64: 4>} : !df.stream<2xsi7, 2>
}

// -----

df.graph @vvtu_kernel {
  %in = df.input {shape = array<i64: 36>} : !df.stream<6xui2, 6>
  // CHECK: Operation does not verify: 'kernel' must have 2 values, got [9]
  %d = df.vvtu %in weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {channels = 4 : i64, kernel = array<i64: 9>, pe = 2 : i64, simd = 3 : i64} : !df.stream<6xui2, 6> -> !df.stream<2xsi7, 2>
  df.output %d {shape = array<i64: 4>} : !df.stream<2xsi7, 2>
}

// -----

df.graph @vvtu_popcount {
  %in = df.input {shape = array<i64: 36>} : !df.stream<6xui2, 6>
  // CHECK: Operation does not verify: popcount accumulation needs bipolar inputs and weights
  %d = df.vvtu %in weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {channels = 4 : i64, kernel = array<i64: 3, 3>, pe = 2 : i64, simd = 3 : i64, popcount} : !df.stream<6xui2, 6> -> !df.stream<2xsi7, 2>
  df.output %d {shape = array<i64: 4>} : !df.stream<2xsi7, 2>
}

// -----

df.graph @vvtu_thresholds {
  %in = df.input {shape = array<i64: 36>} : !df.stream<6xui2, 6>
  // CHECK: Operation does not verify: thresholds must be (4 or 1, steps), got [2, 1]
  %d = df.vvtu %in weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {channels = 4 : i64, kernel = array<i64: 3, 3>, pe = 2 : i64, simd = 3 : i64, thresholds = dense<[[0], [1]]> : tensor<2x1xi64>} : !df.stream<6xui2, 6> -> !df.stream<2xui1, 2>
  df.output %d {shape = array<i64: 4>} : !df.stream<2xui1, 2>
}

// -----

df.graph @vvtu_accumulator_output {
  %in = df.input {shape = array<i64: 36>} : !df.stream<6xui2, 6>
  // CHECK: Operation does not verify: accumulator outputs must be integers
  %d = df.vvtu %in weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {channels = 4 : i64, kernel = array<i64: 3, 3>, pe = 2 : i64, simd = 3 : i64} : !df.stream<6xui2, 6> -> !df.stream<2x!bnn.bipolar, 2>
  df.output %d {shape = array<i64: 4>} : !df.stream<2x!bnn.bipolar, 2>
}

// -----

df.graph @swu_depthwise_pe {
  %in = df.input {shape = array<i64: 4, 4, 4>} : !df.stream<2xui2, 32>
  // CHECK: Operation does not verify: a depthwise window unit needs 'pe', its channels a word
  %w = df.swu %in {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 3 : i64, depthwise} : !df.stream<2xui2, 32> -> !df.stream<6xui2, 24>
  df.output %w {shape = array<i64: 144>} : !df.stream<6xui2, 24>
}

// -----

df.graph @swu_pe_not_depthwise {
  %in = df.input {shape = array<i64: 4, 4, 4>} : !df.stream<2xui2, 32>
  // CHECK: Operation does not verify: 'pe' belongs to the depthwise mode only
  %w = df.swu %in {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 3 : i64, pe = 2 : i64} : !df.stream<2xui2, 32> -> !df.stream<6xui2, 24>
  df.output %w {shape = array<i64: 144>} : !df.stream<6xui2, 24>
}

// -----

df.graph @swu_depthwise_simd {
  %in = df.input {shape = array<i64: 4, 4, 4>} : !df.stream<2xui2, 32>
  // CHECK: Operation does not verify: 9 kernel taps are not divisible by SIMD = 2
  %w = df.swu %in {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 2 : i64, depthwise, pe = 2 : i64} : !df.stream<2xui2, 32> -> !df.stream<4xui2, 36>
  df.output %w {shape = array<i64: 144>} : !df.stream<4xui2, 36>
}

// -----

df.graph @swu_depthwise_output {
  %in = df.input {shape = array<i64: 4, 4, 4>} : !df.stream<2xui2, 32>
  // CHECK: Operation does not verify: the output stream has 3 lanes, expected 6 for this folding
  %w = df.swu %in {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 3 : i64, depthwise, pe = 2 : i64} : !df.stream<2xui2, 32> -> !df.stream<3xui2, 48>
  df.output %w {shape = array<i64: 144>} : !df.stream<3xui2, 48>
}
