// RUN: bnnc-opt %s --split-input-file --verify-diagnostics | filecheck %s

// One case per verifier error of the `hls` ops and types. Errors of `verify_` are checked with
// their "Operation does not verify:" prefix, which appears once per case; errors of the IRDL
// constraints, of xDSL's own checks (parents, symbols) and of the types, which are verified as
// they are parsed, are printed alone. Every case is one change away from a top that verifies:
// the AXI input converted to a stream of 4 ui4 lanes and back, or, for ROMs and instances, the
// same with an `mvtu_acc` of 8 bipolar inputs and 2 outputs (PE = 1, SIMD = 4) in between.

//===------------------------------------------------------------------------------------===//
// !hls.stream, !hls.axis
//===------------------------------------------------------------------------------------===//

// Types are verified as they are parsed: the error is printed alone.
// CHECK: hls.stream needs a positive width, got 0
hls.top @stream_zero_width attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<0>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<0>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<0>, !hls.axis<64>
}

// -----

// CHECK: hls.axis needs a positive width, got 0
hls.top @axis_zero_width attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<0>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<0>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<0>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<0>
}

//===------------------------------------------------------------------------------------===//
// hls.top
//===------------------------------------------------------------------------------------===//

// -----

// CHECK: Operation does not verify: the clock must be positive
hls.top @top_zero_clock attributes {part = "xc7z045ffg900-2", clock_mhz = 0.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

// CHECK: 200 : i64 should be of base attribute float
hls.top @top_integer_clock attributes {part = "xc7z045ffg900-2", clock_mhz = 200 : i64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

// CHECK: property 'part' expected in operation 'hls.top'
hls.top @top_without_part attributes {clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

// The output port turned into a second input.
// CHECK: Operation does not verify: a top needs one input and one output port, has ['in', 'in']
hls.top @top_two_inputs attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

// Without its output port (and the converter writing it).
// CHECK: Operation does not verify: a top needs one input and one output port, has ['in']
hls.top @top_without_output attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
}

// -----

// Only ports, streams, ROMs and instances make up a top.
// CHECK: Operation does not verify: 'test.op' is not allowed in hls.top
hls.top @top_foreign_op attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  "test.op"() : () -> ()
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

// The output converter reads the MVTU's input instead of its output: 'x' has two readers
// (and 'y' none, reported after).
// CHECK: Operation does not verify: stream 'x' is read 2 and written 1 time(s); expected 1 and 1
hls.top @stream_read_twice attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%x, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

// The MVTU writes the stream it reads.
// CHECK: Operation does not verify: stream 'x' is read 1 and written 2 time(s); expected 1 and 1
hls.top @stream_written_twice attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "mvtu_acc"(%x, %x) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

// A stream that no instance reads or writes.
// CHECK: Operation does not verify: stream 'spare' is read 0 and written 0 time(s); expected 1 and 1
hls.top @stream_never_used attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %spare = hls.stream "spare" {depth = 2 : i64} : !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

// The output converter writes the input port; the output port is left alone.
// CHECK: Operation does not verify: port 'in_axis' is read 1 and written 1 time(s); expected 1 and 0
hls.top @input_port_written attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %in) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

//===------------------------------------------------------------------------------------===//
// hls.port
//===------------------------------------------------------------------------------------===//

// -----

hls.top @port_direction attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  // CHECK: Operation does not verify: a port is 'in' or 'out', got 'inout'
  %in = hls.port "in_axis" {direction = "inout", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

hls.top @port_real_element attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  // CHECK: Operation does not verify: port elements must be bipolar or integers, got f32
  %in = hls.port "in_axis" {direction = "in", element = f32, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

hls.top @port_empty_frame attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  // CHECK: Operation does not verify: a frame has at least one element
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 0 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

// A port is an AXI stream, not a stream of the top.
hls.top @port_stream_type attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  // CHECK: !hls.stream<64> should be of base attribute hls.axis
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.stream<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

//===------------------------------------------------------------------------------------===//
// hls.stream
//===------------------------------------------------------------------------------------===//

// -----

hls.top @stream_zero_depth attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  // CHECK: Operation does not verify: stream 's' needs a positive depth
  %s = hls.stream "s" {depth = 0 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

hls.top @stream_negative_depth attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 0>}
  // CHECK: Operation does not verify: stream 'y' needs a positive depth
  %y = hls.stream "y" {depth = -4 : i64} : !hls.stream<4>
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

// `size-fifos` and the lowering always give the depth; it has no default.
// CHECK: property 'depth' expected in operation 'hls.stream'
hls.top @stream_without_depth attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

// CHECK: !hls.axis<16> should be of base attribute hls.stream
hls.top @stream_axis_type attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.axis<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.axis<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<16>, !hls.axis<64>
}

//===------------------------------------------------------------------------------------===//
// hls.rom
//===------------------------------------------------------------------------------------===//

// -----

// Two entries declared, four given.
hls.top @rom_shape_contents attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  // CHECK: Operation does not verify: ROM contents have shape [1, 4, 1], expected [1, 2, 1]
  hls.rom @w {element = ui4, shape = array<i64: 1, 2>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

// An entry of 72 bits takes two 64-bit words.
hls.top @rom_wide_entry_one_word attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  // CHECK: Operation does not verify: ROM contents have shape [1, 4, 1], expected [1, 4, 2]
  hls.rom @w {element = ui72, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

// The contents need the trailing dimension of words even for one word an entry.
hls.top @rom_contents_without_words attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  // CHECK: Operation does not verify: ROM contents have shape [1, 4], expected [1, 4, 1]
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[1, 2, 3, 4]]> : tensor<1x4xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

// The next case has the same message: the name of the top in the printed IR tells them apart.
// CHECK: "hls.top"() <{sym_name = "rom_32bit_words"
hls.top @rom_32bit_words attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  // CHECK: Operation does not verify: ROM contents must be a tensor of 64-bit words
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui32>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

// Sixty-four bits are not enough: the words are integers.
// CHECK: "hls.top"() <{sym_name = "rom_real_words"
hls.top @rom_real_words attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  // CHECK: Operation does not verify: ROM contents must be a tensor of 64-bit words
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[[1.0], [2.0], [3.0], [4.0]]]> : tensor<1x4x1xf64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

hls.top @rom_zero_dimension attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  // CHECK: Operation does not verify: a ROM needs positive dimensions, got [1, 0]
  hls.rom @w {element = ui4, shape = array<i64: 1, 0>, contents = dense<> : tensor<1x0x1xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

hls.top @rom_scalar attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  // CHECK: Operation does not verify: a ROM needs positive dimensions, got []
  hls.rom @w {element = ui4, shape = array<i64>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

hls.top @rom_storage attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  // CHECK: Operation does not verify: storage must be one of bram, lutram, auto, got 'uram'
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "uram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

// Dimensions count from 0 (the C++ pragma's `dim` from 1).
hls.top @rom_partition_out_of_range attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  // CHECK: Operation does not verify: partition dimension 2 is outside the ROM's 2 dimensions
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 2>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

hls.top @rom_partition_negative attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  // CHECK: Operation does not verify: partition dimension -1 is outside the ROM's 2 dimensions
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: -1>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

// Entries are integers: bipolar weights are packed into uiN entries.
// CHECK: !bnn.bipolar should be of base attribute integer_type
hls.top @rom_bipolar_element attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  hls.rom @w {element = !bnn.bipolar, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

// CHECK: Redefinition of symbol "w"
hls.top @rom_redefined attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 0>}
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<0> : tensor<1x4x1xui64>, storage = "bram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

//===------------------------------------------------------------------------------------===//
// hls.instance
//===------------------------------------------------------------------------------------===//

// -----

hls.top @instance_unknown_template attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  // CHECK: Operation does not verify: unknown template 'mvtu_accumulate'; the library has axi_to_stream, dwc, dwc_pixels, label_select, mvtu, mvtu_acc, pool, stream_to_axi, swu, swu_dw, threshold, vvtu, vvtu_acc
  hls.instance "mvtu_accumulate"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

hls.top @instance_missing_arg attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  // CHECK: Operation does not verify: 'mvtu_acc' takes MW, MH, PE, SIMD, MMV, VECTORS, POPCOUNT, InT, WeightT, AccT, OutT; missing ['POPCOUNT'], unknown []
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

// STEPS belongs to `mvtu` (with thresholds), not to `mvtu_acc`.
hls.top @instance_extra_arg attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  // CHECK: Operation does not verify: 'mvtu_acc' takes MW, MH, PE, SIMD, MMV, VECTORS, POPCOUNT, InT, WeightT, AccT, OutT; missing [], unknown ['STEPS']
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4, STEPS = 1 : i64}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

// Type parameters (InT, AccT, ...: names ending in T, not all capitals) take element types,
// not bit widths.
hls.top @instance_type_arg_integer attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  // CHECK: Operation does not verify: 'mvtu_acc' argument AccT must be an element type, got 4 : i64
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = 4 : i64, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

hls.top @instance_type_arg_real attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  // CHECK: Operation does not verify: 'mvtu_acc' argument AccT must be an element type, got f16
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = f16, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

hls.top @instance_int_arg_type attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  // CHECK: Operation does not verify: 'mvtu_acc' argument MW must be an integer, got ui8
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = ui8, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

hls.top @instance_one_stream attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  // CHECK: Operation does not verify: 'mvtu_acc' takes 2 streams (1 read, then 1 written), got 1
  hls.instance "mvtu_acc"(%x) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w]} : !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

hls.top @instance_missing_rom attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  // CHECK: Operation does not verify: 'mvtu_acc' takes the ROMs ['weights'], got 0
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

// Thresholds are for `mvtu`: `mvtu_acc` takes the weights only.
hls.top @instance_extra_rom attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  // CHECK: Operation does not verify: 'mvtu_acc' takes the ROMs ['weights'], got 2
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w, @w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

hls.top @instance_unknown_rom attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  // CHECK: Operation does not verify: 'mvtu_acc' refers to @v, which is not an hls.rom of this top
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@v]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

// The top is a symbol of the module, not of its own body.
hls.top @instance_top_as_rom attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  // CHECK: Operation does not verify: 'mvtu_acc' refers to @instance_top_as_rom, which is not an hls.rom of this top
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@instance_top_as_rom]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

// The ROM renamed: @w is now only the name of another top's ROM, which is out of reach.
hls.top @other attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}
hls.top @instance_rom_of_other_top attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  hls.rom @own {element = ui4, shape = array<i64: 1, 4>, contents = dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  // CHECK: Operation does not verify: 'mvtu_acc' refers to @w, which is not an hls.rom of this top
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

//===------------------------------------------------------------------------------------===//
// Placement
//===------------------------------------------------------------------------------------===//

// -----

func.func @port_outside_top() {
  // CHECK: 'hls.port' expects parent op 'hls.top'
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  func.return
}

// -----

// ROMs belong to a top, not to the module.
// CHECK: 'hls.rom' expects parent op 'hls.top'
hls.rom @w {element = ui4, shape = array<i64: 1, 4>, contents = dense<0> : tensor<1x4x1xui64>, storage = "lutram", partition = array<i64: 0>}

//===------------------------------------------------------------------------------------===//
// hls.invoke
//===------------------------------------------------------------------------------------===//

// -----

hls.top @t attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}
func.func @invoke_unknown(%a: tensor<1x8xui4>) -> tensor<1x8xui4> {
  // CHECK: Operation does not verify: no hls.top named @nowhere
  %b = hls.invoke @nowhere(%a) : (tensor<1x8xui4>) -> tensor<1x8xui4>
  func.return %b : tensor<1x8xui4>
}

// -----

hls.top @t attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}
func.func @invoke_two_results(%a: tensor<1x8xui4>) -> tensor<1x8xui4> {
  // CHECK: Operation does not verify: a top takes one tensor and gives one
  %b, %c = hls.invoke @t(%a) : (tensor<1x8xui4>) -> (tensor<1x8xui4>, tensor<1x8xui4>)
  func.return %b : tensor<1x8xui4>
}

// -----

// An NCHW tensor of 2·2·3 = 12 elements for a frame of 8.
hls.top @t attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}
func.func @invoke_input_size(%a: tensor<1x2x2x3xui4>) -> tensor<1x8xui4> {
  // CHECK: Operation does not verify: the tensor tensor<1x2x2x3xui4> does not hold one frame of port 'in_axis' (8 elements)
  %b = hls.invoke @t(%a) : (tensor<1x2x2x3xui4>) -> tensor<1x8xui4>
  func.return %b : tensor<1x8xui4>
}

// -----

hls.top @t attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}
func.func @invoke_output_size(%a: tensor<1x8xui4>) -> tensor<1x4xui4> {
  // CHECK: Operation does not verify: the tensor tensor<1x4xui4> does not hold one frame of port 'out_axis' (8 elements)
  %b = hls.invoke @t(%a) : (tensor<1x8xui4>) -> tensor<1x4xui4>
  func.return %b : tensor<1x4xui4>
}

// -----

// A `df.graph` is called with `df.invoke` until it is lowered.
df.graph @g {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4xui4, 2>
  df.output %in {shape = array<i64: 8>} : !df.stream<4xui4, 2>
}
func.func @invoke_graph(%a: tensor<1x8xui4>) -> tensor<1x8xui4> {
  // CHECK: Operation does not verify: no hls.top named @g
  %b = hls.invoke @g(%a) : (tensor<1x8xui4>) -> tensor<1x8xui4>
  func.return %b : tensor<1x8xui4>
}

//===------------------------------------------------------------------------------------===//
// Instances against their streams, ports and ROMs; names; ROM contents
//===------------------------------------------------------------------------------------===//

// -----

hls.top @stream_width_from_args attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<12>
  // CHECK: Operation does not verify: 'axi_to_stream' writes hls.stream<16> here (from its arguments), got !hls.stream<12>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<12>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 3 : i64}} : !hls.stream<12>, !hls.axis<64>
}

// -----

hls.top @converters_swapped attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  // CHECK: Operation does not verify: 'stream_to_axi' reads hls.stream<16> here (from its arguments), got !hls.axis<64>
  hls.instance "stream_to_axi"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "axi_to_stream"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

hls.top @port_frame_mismatch attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  // CHECK: Operation does not verify: 'axi_to_stream' moves frames of 16 x ui4, but port 'in_axis' carries 8 x ui4
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 16 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 16 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 16 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

hls.top @rom_shape_from_args attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>
  %x = hls.stream "x" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>
  hls.rom @w {element = ui4, shape = array<i64: 1, 2>, contents = dense<[[[1], [2]]]> : tensor<1x2x1xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "y" {depth = 2 : i64} : !hls.stream<4>
  // CHECK: Operation does not verify: 'mvtu_acc' needs @w of [1, 4] entries of 4 bits (from its arguments), got [1, 2] of 4
  hls.instance "mvtu_acc"(%x, %y) {args = {MW = 8 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui4, OutT = ui4}, roms = [@w]} : !hls.stream<4>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// -----

hls.top @rom_entry_too_wide attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  // CHECK: Operation does not verify: ROM entries do not fit 5 bits
  hls.rom @t {element = si5, shape = array<i64: 2>, contents = dense<[[1], [255]]> : tensor<2x1xui64>, storage = "lutram", partition = array<i64>}
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

hls.top @partition_repeats attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  // CHECK: Operation does not verify: partition dimensions repeat: [0, 0]
  hls.rom @t {element = ui4, shape = array<i64: 2>, contents = dense<[[1], [2]]> : tensor<2x1xui64>, storage = "lutram", partition = array<i64: 0, 0>}
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

hls.top @stream_name_not_an_identifier attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  // CHECK: Operation does not verify: stream name 'fc-1_out' is not a C++ identifier
  %s = hls.stream "fc-1_out" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}

// -----

hls.top @names_repeat attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "in_axis" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}
// CHECK: Operation does not verify: stream and port names repeat: in_axis

// -----

hls.top @port_element_too_wide attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  // CHECK: Operation does not verify: ui72 does not fit a 64-bit AXI word
  %in = hls.port "in_axis" {direction = "in", element = ui72, elements = 1 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<72>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui72, ELEMENTS = 1 : i64, LANES = 1 : i64}} : !hls.axis<64>, !hls.stream<72>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 18 : i64}} : !hls.stream<72>, !hls.axis<64>
}

// -----

builtin.module {
  hls.top @invoke_element_types attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
    %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
    %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
    hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
    %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
    hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
  }
  func.func @main(%x: tensor<1x8xf32>) -> tensor<1x8xui4> {
    // CHECK: Operation does not verify: the tensor's elements f32 do not match port 'in_axis''s ui4
    %y = hls.invoke @invoke_element_types(%x) : (tensor<1x8xf32>) -> tensor<1x8xui4>
    func.return %y : tensor<1x8xui4>
  }
}

// -----

builtin.module {
  hls.top @invoke_no_batch attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
    %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
    %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
    hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
    %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
    hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
  }
  func.func @main(%x: tensor<8xui4>) -> tensor<1x8xui4> {
    // CHECK: Operation does not verify: tensor<8xui4> has no batch dimension (dimension 0 is the batch)
    %y = hls.invoke @invoke_no_batch(%x) : (tensor<8xui4>) -> tensor<1x8xui4>
    func.return %y : tensor<1x8xui4>
  }
}
