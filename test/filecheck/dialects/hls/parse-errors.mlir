// RUN: bnnc-opt %s --split-input-file --parsing-diagnostics | filecheck %s

// Errors of the parser: the `!hls.stream` and `!hls.axis` types and the custom syntax of the
// `hls` ops. Each case checks where the error points (line, column) and the message. Types
// that parse but do not verify (a zero width) are in invalid.mlir.

// The width is not optional.
hls.top @stream_without_width attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:55
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<>
  // CHECK: Expected integer literal
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

// A width is a positive integer: a sign is not part of the syntax (zero parses and is
// rejected by the verifier, invalid.mlir).
hls.top @stream_negative_width attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:55
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<-16>
  // CHECK: Expected integer literal
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

hls.top @stream_boolean_width attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:55
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<true>
  // CHECK: Expected integer literal
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

// `!hls.stream` is a word width, not the lanes and element of a `!df.stream`: the error
// points after the leading integer.
hls.top @stream_lanes_and_element attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:56
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<4xui4>
  // CHECK: '>' expected
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

// The depth is a property of `hls.stream`, not a parameter of the type.
hls.top @stream_with_depth attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:57
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16, 2>
  // CHECK: '>' expected
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

// Without its parameters the error is reported at the next token, the op on the next line.
hls.top @axis_without_parameters attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:3
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  // CHECK: '<' expected
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

// A top is named by a symbol.
// CHECK: {{.*}}.mlir:[[# @LINE + 1]]:9
hls.top "top_string_name" attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
// CHECK: expect symbol name
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

// The streams of an instance are in parentheses.
hls.top @instance_without_parentheses attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:32
  hls.instance "axi_to_stream" %in, %s {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  // CHECK: Expected '('
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

// The output converter writes an AXI-stream port: its type must be the port's.
hls.top @instance_operand_type attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:36
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.stream<64>
  // CHECK: operand is used with type !hls.stream<64>, but has been previously used or defined with type !hls.axis<64>
}
