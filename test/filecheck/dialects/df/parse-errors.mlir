// RUN: bnnc-opt %s --split-input-file --parsing-diagnostics | filecheck %s

// Errors of the parser: the `!df.stream` type and the custom syntax of the `df` ops. Each case
// checks where the error points (line of the next source line, column) and the message. Stream
// types that parse but do not verify (zero lanes, a real element, ...) are in invalid.mlir.

// The lane count is not optional.
df.graph @stream_without_lanes {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:55
  %in = df.input {shape = array<i64: 3>} : !df.stream<!bnn.bipolar, 3>
  // CHECK: expected LANESxELEMENT, e.g. 32x!bnn.bipolar
  df.output %in {shape = array<i64: 3>} : !df.stream<!bnn.bipolar, 3>
}

// -----

// Words are one-dimensional: the error points at the start of the shape.
df.graph @stream_two_dims {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:56
  %in = df.input {shape = array<i64: 18>} : !df.stream<2x3x!bnn.bipolar, 3>
  // CHECK: expected LANESxELEMENT, e.g. 32x!bnn.bipolar
  df.output %in {shape = array<i64: 18>} : !df.stream<2x3x!bnn.bipolar, 3>
}

// -----

df.graph @stream_comma_for_x {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:56
  %in = df.input {shape = array<i64: 8>} : !df.stream<4, !bnn.bipolar, 2>
  // CHECK: Expected 'x' in shape delimiter, got COMMA
  df.output %in {shape = array<i64: 8>} : !df.stream<4, !bnn.bipolar, 2>
}

// -----

df.graph @stream_empty {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:55
  %in = df.input {shape = array<i64: 8>} : !df.stream<>
  // CHECK: Expected shape type.
  df.output %in {shape = array<i64: 8>} : !df.stream<>
}

// -----

df.graph @stream_without_words {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:69
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar>
  // CHECK: Expected ','
  df.output %in {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar>
}

// -----

df.graph @stream_words_without_comma {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:70
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar 2>
  // CHECK: Expected ','
  df.output %in {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar 2>
}

// -----

df.graph @stream_negative_words {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:71
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, -2>
  // CHECK: Expected integer literal
  df.output %in {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, -2>
}

// -----

df.graph @stream_boolean_words {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:71
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, true>
  // CHECK: Expected integer literal
  df.output %in {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, true>
}

// -----

df.graph @stream_real_words {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:71
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2.0>
  // CHECK: Expected integer literal
  df.output %in {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2.0>
}

// -----

df.graph @stream_unknown_element {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:66
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bits, 2>
  // CHECK: 'bnn.bits' is not registered
  df.output %in {shape = array<i64: 8>} : !df.stream<4x!bnn.bits, 2>
}

// -----

// The pixel count of a multi-pixel stream is the keyword argument `mmv = M`.
df.graph @stream_bare_mmv {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:74
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2, 2>
  // CHECK: Expected 'mmv'
  df.output %in {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2, 2>
}

// -----

df.graph @stream_unknown_keyword {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:74
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2, pixels = 2>
  // CHECK: Expected 'mmv'
  df.output %in {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2, pixels = 2>
}

// -----

df.graph @stream_mmv_without_equals {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:78
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2, mmv 2>
  // CHECK: Expected '='
  df.output %in {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2, mmv 2>
}

// -----

df.graph @stream_negative_mmv {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:80
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2, mmv = -2>
  // CHECK: Expected integer literal
  df.output %in {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2, mmv = -2>
}

// -----

df.graph @stream_trailing_parameter {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:81
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2, mmv = 2, 3>
  // CHECK: '>' expected
  df.output %in {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2, mmv = 2, 3>
}

// -----

// Without parameters the parser looks for '<' on the next line.
df.graph @stream_without_parameters {
  %in = df.input {shape = array<i64: 8>} : !df.stream
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:3
  df.output %in {shape = array<i64: 8>} : !df.stream
  // CHECK: '<' expected
}

// -----

// CHECK: {{.*}}.mlir:[[# @LINE + 1]]:10
df.graph {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  df.output %in {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
}
// CHECK: expect symbol name

// -----

// The type is part of the syntax: the parser finds the next line instead.
df.graph @input_without_type {
  %in = df.input {shape = array<i64: 8>}
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:3
  df.output %in {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Expected ':'
}

// -----

df.graph @mvtu_without_weights_keyword {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:20
  %m = df.mvtu %in dense<0> : tensor<2x1xui64> {mw = 8 : i64, mh = 2 : i64, pe = 1 : i64, simd = 4 : i64} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<1xsi8, 2>
  // CHECK: Expected 'weights'
  df.output %m {shape = array<i64: 2>} : !df.stream<1xsi8, 2>
}

// -----

df.graph @mvtu_weight_type_without_brackets {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:28
  %m = df.mvtu %in weights !bnn.bipolar dense<0> : tensor<2x1xui64> {mw = 8 : i64, mh = 2 : i64, pe = 1 : i64, simd = 4 : i64} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<1xsi8, 2>
  // CHECK: Expected '<'
  df.output %m {shape = array<i64: 2>} : !df.stream<1xsi8, 2>
}

// -----

df.graph @threshold_without_by {
  %in = df.input {shape = array<i64: 6>} : !df.stream<3xi32, 2>
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:25
  %t = df.threshold %in dense<0> : tensor<1x1xi64> {channels = 6 : i64, pe = 3 : i64} : !df.stream<3xi32, 2> -> !df.stream<3x!bnn.bipolar, 2>
  // CHECK: Expected 'by'
  df.output %t {shape = array<i64: 6>} : !df.stream<3x!bnn.bipolar, 2>
}

// -----

df.graph @dwc_without_result_type {
  %in = df.input {shape = array<i64: 64>} : !df.stream<32x!bnn.bipolar, 2>
  %n = df.dwc %in : !df.stream<32x!bnn.bipolar, 2>
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:3
  df.output %n {shape = array<i64: 64>} : !df.stream<8x!bnn.bipolar, 8>
  // CHECK: Expected '->'
}

// -----

func.func @invoke_bare_callee(%x: tensor<1x8x!bnn.bipolar>) {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:18
  %y = df.invoke accel(%x) : (tensor<1x8x!bnn.bipolar>) -> tensor<1x2x!bnn.bipolar>
  // CHECK: attribute expected
  func.return
}

// -----

df.graph @unknown_engine {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:16
  %c = df.conv %in : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<4x!bnn.bipolar, 2>
  // CHECK: Operation df.conv is not registered
  df.output %c {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
}
