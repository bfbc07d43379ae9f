// RUN: bnnc-opt %s --split-input-file -p lower-dataflow-to-hls | filecheck %s

// `lower-dataflow-to-hls` on small graphs that use every `df` engine: each engine becomes one
// `hls.instance` of a library template writing a new `hls.stream`, the parameters become
// `hls.rom`s, the graph's boundary two 64-bit AXI-stream ports with converters, and FIFOs give
// the streams they sit on their depths. Every line of every top is checked.
// Errors are in lower-dataflow-to-hls-errors.mlir.

// A fully connected network with FIFOs of every kind, folded for the ZC706 at 125 MHz (its
// `target` gives the part and the clock). Two FIFOs in series on the input stream give it
// the sum of their depths, 4 + 8 = 12; the MVTU's output has no FIFO and keeps the default 2;
// the FIFOs behind the width converter and the last MVTU give their depths (16, 3).
// fc0 (MW = 8, MH = 4, PE = 2, SIMD = 4): the weight ROM holds one 4-bit entry per (PE, tile),
// row nf·PE + p at [p][nf·SF + sf]: rows 0x21, 0x43, 0x65, 0x87 split into nibbles give PE 0
// the tiles 1, 2 (row 0), 5, 6 (row 2) and PE 1 3, 4, 7, 8; 8 entries deep, so LUTRAM,
// partitioned by PE. The popcount is 0..8, accumulated in si5 (the
// prepared `acc_type`, which holds 0..9 for the clamped thresholds), and the thresholds -3, 4, 9, 12 are
// clamped to [0, 9]: 0, 4, 9, 9, in si5 (which holds 0..9), laid out [PE][NF][steps] and
// partitioned by PE and step. fc1 has no thresholds: `mvtu_acc` passes its ui3 popcounts on.
// The ports frame 8 bipolar and 2 ui3 elements in 64-bit words, and `df.invoke` becomes
// `hls.invoke` with its attributes.
// CHECK-LABEL: hls.top @fc attributes {part = "xc7z045ffg900-2", clock_mhz = 1.250000e+02 : f64} {
// CHECK-NEXT:    %0 = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 8 : i64} : !hls.axis<64>{{$}}
// CHECK-NEXT:    %1 = hls.stream "in_words" {depth = 12 : i64} : !hls.stream<4>{{$}}
// CHECK-NEXT:    hls.instance "axi_to_stream"(%0, %1) {args = {ElemT = !bnn.bipolar, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<4>{{$}}
// CHECK-NEXT:    hls.rom @fc0_weights {element = ui4, shape = array<i64: 2, 4>, contents = dense<[{{\[}}[1], [2], [5], [6]], [{{\[}}3], [4], [7], [8]]]> : tensor<2x4x1xui64>, storage = "lutram", partition = array<i64: 0>}{{$}}
// CHECK-NEXT:    %2 = hls.stream "fc0_mvtu" {depth = 2 : i64} : !hls.stream<2>{{$}}
// CHECK-NEXT:    hls.rom @fc0_thresholds {element = si5, shape = array<i64: 2, 2, 1>, contents = dense<[{{\[}}[{{\[}}0]], [{{\[}}9]]], [{{\[}}[4]], [{{\[}}9]]]]> : tensor<2x2x1x1xui64>, storage = "lutram", partition = array<i64: 0, 2>}{{$}}
// CHECK-NEXT:    hls.instance "mvtu"(%1, %2) {args = {MW = 8 : i64, MH = 4 : i64, PE = 2 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = si5, OutT = !bnn.bipolar, ThrT = si5, STEPS = 1 : i64, OFFSET = 0 : i64}, roms = [@fc0_weights, @fc0_thresholds], layer = "fc0"} : !hls.stream<4>, !hls.stream<2>{{$}}
// CHECK-NEXT:    %3 = hls.stream "dwc" {depth = 16 : i64} : !hls.stream<4>{{$}}
// CHECK-NEXT:    hls.instance "dwc"(%2, %3) {args = {ElemT = !bnn.bipolar, IN_LANES = 2 : i64, OUT_LANES = 4 : i64, WORDS_IN = 2 : i64, WORDS_OUT = 1 : i64}} : !hls.stream<2>, !hls.stream<4>{{$}}
// CHECK-NEXT:    hls.rom @fc1_weights {element = ui4, shape = array<i64: 1, 2>, contents = dense<[{{\[}}[5], [10]]]> : tensor<1x2x1xui64>, storage = "lutram", partition = array<i64: 0>}{{$}}
// CHECK-NEXT:    %4 = hls.stream "fc1_mvtu" {depth = 3 : i64} : !hls.stream<3>{{$}}
// CHECK-NEXT:    hls.instance "mvtu_acc"(%3, %4) {args = {MW = 4 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = si4, OutT = ui3}, roms = [@fc1_weights], layer = "fc1"} : !hls.stream<4>, !hls.stream<3>{{$}}
// CHECK-NEXT:    %5 = hls.port "out_axis" {direction = "out", element = ui3, elements = 2 : i64} : !hls.axis<64>{{$}}
// CHECK-NEXT:    hls.instance "stream_to_axi"(%4, %5) {args = {ElemT = ui3, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<3>, !hls.axis<64>{{$}}
// CHECK-NEXT:  }
// CHECK-LABEL: func.func @main(%x: tensor<1x8x!bnn.bipolar>) -> tensor<1x2xi32> {
// CHECK-NEXT:    %y = hls.invoke @fc(%x) {bnnc.note = "kept"} : (tensor<1x8x!bnn.bipolar>) -> tensor<1x2xi32>{{$}}
// CHECK-NEXT:    func.return %y : tensor<1x2xi32>{{$}}
// CHECK-NEXT:  }
// CHECK-NOT:   df.
df.graph @fc attributes {target = #df.target<board = "zc706", part = "xc7z045ffg900-2", clock_mhz = 125.0>} {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  %f0 = df.fifo %in {depth = 4 : i64} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<4x!bnn.bipolar, 2>
  %f1 = df.fifo %f0 {depth = 8 : i64} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<4x!bnn.bipolar, 2>
  %m0 = df.mvtu %f1 weights<!bnn.bipolar> dense<[[33], [67], [101], [135]]> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 4 : i64, popcount, thresholds = dense<[[-3], [4], [9], [12]]> : tensor<4x1xi64>, layer = "fc0"} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<2x!bnn.bipolar, 2>
  %w = df.dwc %m0 : !df.stream<2x!bnn.bipolar, 2> -> !df.stream<4x!bnn.bipolar, 1>
  %f2 = df.fifo %w {depth = 16 : i64} : !df.stream<4x!bnn.bipolar, 1> -> !df.stream<4x!bnn.bipolar, 1>
  %m1 = df.mvtu %f2 weights<!bnn.bipolar> dense<[[5], [10]]> : tensor<2x1xui64> {mw = 4 : i64, mh = 2 : i64, pe = 1 : i64, simd = 4 : i64, popcount, layer = "fc1"} : !df.stream<4x!bnn.bipolar, 1> -> !df.stream<1xui3, 2>
  %f3 = df.fifo %m1 {depth = 3 : i64} : !df.stream<1xui3, 2> -> !df.stream<1xui3, 2>
  df.output %f3 {shape = array<i64: 2>} : !df.stream<1xui3, 2>
}
func.func @main(%x: tensor<1x8x!bnn.bipolar>) -> tensor<1x2xi32> {
  %y = df.invoke @fc(%x) {bnnc.note = "kept"} : (tensor<1x8x!bnn.bipolar>) -> tensor<1x2xi32>
  func.return %y : tensor<1x2xi32>
}

// -----

// A padded bipolar convolution with two pixels a word, without a `target` (the ZC706 at
// 200 MHz by default) and without FIFOs (every stream gets depth 2). Padding with -1 is the
// code 0, with +1 the code 1; only the top and left padding are template arguments. The
// MVTU's popcount is 0..18 (ui5), its thresholds 9, 9, 10, 8 need si6 for 0..19. The width
// converter between the two-pixel and the plain stream is a `dwc_pixels` (GROUP = lcm(2, 1)).
// Streams are named after the layer and the engine, or the engine alone.
// CHECK-LABEL: hls.top @conv attributes {part = "xc7z045ffg900-2", clock_mhz = 2.000000e+02 : f64} {
// CHECK-NEXT:    %0 = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 32 : i64} : !hls.axis<64>{{$}}
// CHECK-NEXT:    %1 = hls.stream "in_words" {depth = 2 : i64} : !hls.stream<2>{{$}}
// CHECK-NEXT:    hls.instance "axi_to_stream"(%0, %1) {args = {ElemT = !bnn.bipolar, ELEMENTS = 32 : i64, LANES = 2 : i64}} : !hls.axis<64>, !hls.stream<2>{{$}}
// CHECK-NEXT:    %2 = hls.stream "conv1_swu" {depth = 2 : i64} : !hls.stream<4>{{$}}
// CHECK-NEXT:    hls.instance "swu"(%1, %2) {args = {ElemT = !bnn.bipolar, CHANNELS = 2 : i64, IH = 4 : i64, IW = 4 : i64, OH = 4 : i64, OW = 4 : i64, KH = 3 : i64, KW = 3 : i64, SH = 1 : i64, SW = 1 : i64, PAD_TOP = 1 : i64, PAD_LEFT = 1 : i64, PAD_VALUE = 0 : i64, SIMD = 2 : i64, MMV = 2 : i64}, layer = "conv1"} : !hls.stream<2>, !hls.stream<4>{{$}}
// CHECK-NEXT:    hls.rom @conv1_weights {element = ui2, shape = array<i64: 2, 18>, contents = dense<0> : tensor<2x18x1xui64>, storage = "lutram", partition = array<i64: 0>}{{$}}
// CHECK-NEXT:    %3 = hls.stream "conv1_mvtu" {depth = 2 : i64} : !hls.stream<4>{{$}}
// CHECK-NEXT:    hls.rom @conv1_thresholds {element = si6, shape = array<i64: 2, 2, 1>, contents = dense<[{{\[}}[{{\[}}9]], [{{\[}}10]]], [{{\[}}[9]], [{{\[}}8]]]]> : tensor<2x2x1x1xui64>, storage = "lutram", partition = array<i64: 0, 2>}{{$}}
// CHECK-NEXT:    hls.instance "mvtu"(%2, %3) {args = {MW = 18 : i64, MH = 4 : i64, PE = 2 : i64, SIMD = 2 : i64, MMV = 2 : i64, VECTORS = 16 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = si6, OutT = !bnn.bipolar, ThrT = si6, STEPS = 1 : i64, OFFSET = 0 : i64}, roms = [@conv1_weights, @conv1_thresholds], layer = "conv1"} : !hls.stream<4>, !hls.stream<4>{{$}}
// CHECK-NEXT:    %4 = hls.stream "conv1_dwc" {depth = 2 : i64} : !hls.stream<4>{{$}}
// CHECK-NEXT:    hls.instance "dwc_pixels"(%3, %4) {args = {ElemT = !bnn.bipolar, IN_LANES = 4 : i64, IN_MMV = 2 : i64, OUT_LANES = 4 : i64, OUT_MMV = 1 : i64, PIXELS = 16 : i64, VECTOR = 4 : i64, GROUP = 2 : i64}, layer = "conv1"} : !hls.stream<4>, !hls.stream<4>{{$}}
// CHECK-NEXT:    %5 = hls.stream "pool1_pool" {depth = 2 : i64} : !hls.stream<4>{{$}}
// CHECK-NEXT:    hls.instance "pool"(%4, %5) {args = {ElemT = !bnn.bipolar, CHANNELS = 4 : i64, IH = 4 : i64, IW = 4 : i64, OH = 2 : i64, OW = 2 : i64, KH = 2 : i64, KW = 2 : i64, SH = 2 : i64, SW = 2 : i64, PE = 4 : i64}, layer = "pool1"} : !hls.stream<4>, !hls.stream<4>{{$}}
// CHECK-NEXT:    %6 = hls.stream "swu" {depth = 2 : i64} : !hls.stream<4>{{$}}
// CHECK-NEXT:    hls.instance "swu"(%5, %6) {args = {ElemT = !bnn.bipolar, CHANNELS = 4 : i64, IH = 2 : i64, IW = 2 : i64, OH = 1 : i64, OW = 1 : i64, KH = 2 : i64, KW = 2 : i64, SH = 2 : i64, SW = 2 : i64, PAD_TOP = 0 : i64, PAD_LEFT = 0 : i64, PAD_VALUE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64}} : !hls.stream<4>, !hls.stream<4>{{$}}
// CHECK-NEXT:    %7 = hls.port "out_axis" {direction = "out", element = !bnn.bipolar, elements = 16 : i64} : !hls.axis<64>{{$}}
// CHECK-NEXT:    hls.instance "stream_to_axi"(%6, %7) {args = {ElemT = !bnn.bipolar, ELEMENTS = 16 : i64, LANES = 4 : i64}} : !hls.stream<4>, !hls.axis<64>{{$}}
// CHECK-NEXT:  }
df.graph @conv {
  %in = df.input {shape = array<i64: 4, 4, 2>} : !df.stream<2x!bnn.bipolar, 16>
  %win = df.swu %in {channels = 2 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 4, 4>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, pad_value = -1 : i64, simd = 2 : i64, mmv = 2 : i64, layer = "conv1"} : !df.stream<2x!bnn.bipolar, 16> -> !df.stream<4x!bnn.bipolar, 72, mmv = 2>
  %m = df.mvtu %win weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 18 : i64, mh = 4 : i64, pe = 2 : i64, simd = 2 : i64, mmv = 2 : i64, vectors = 16 : i64, popcount, thresholds = dense<[[9], [9], [10], [8]]> : tensor<4x1xi64>, layer = "conv1"} : !df.stream<4x!bnn.bipolar, 72, mmv = 2> -> !df.stream<4x!bnn.bipolar, 16, mmv = 2>
  %plain = df.dwc %m {pixels = 16 : i64, layer = "conv1"} : !df.stream<4x!bnn.bipolar, 16, mmv = 2> -> !df.stream<4x!bnn.bipolar, 16>
  %p = df.pool %plain {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pe = 4 : i64, layer = "pool1"} : !df.stream<4x!bnn.bipolar, 16> -> !df.stream<4x!bnn.bipolar, 4>
  %s = df.swu %p {channels = 4 : i64, ifm = array<i64: 2, 2>, ofm = array<i64: 1, 1>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 1, 1>, pad_value = 1 : i64, simd = 4 : i64} : !df.stream<4x!bnn.bipolar, 4> -> !df.stream<4x!bnn.bipolar, 4>
  df.output %s {shape = array<i64: 1, 1, 16>} : !df.stream<4x!bnn.bipolar, 4>
}

// -----

// An integer convolution: padding with -1 in si4 is the code 15; the MVTU has no layer name,
// so its ROMs are called `mvtu_...` and its stream `mvtu`. Without popcount the accumulator
// of 8 products of si4 and ±1 is -64..64 (si8), and the thresholds -100, 0 | -3, 70 are
// clamped to [-64, 65]: -64, 0 | -3, 65, two's complement codes 192, 0 | 253, 65 in si8.
// CHECK-LABEL: hls.top @int_conv attributes {part = "xc7z045ffg900-2", clock_mhz = 2.000000e+02 : f64} {
// CHECK-NEXT:    %0 = hls.port "in_axis" {direction = "in", element = si4, elements = 18 : i64} : !hls.axis<64>{{$}}
// CHECK-NEXT:    %1 = hls.stream "in_words" {depth = 2 : i64} : !hls.stream<8>{{$}}
// CHECK-NEXT:    hls.instance "axi_to_stream"(%0, %1) {args = {ElemT = si4, ELEMENTS = 18 : i64, LANES = 2 : i64}} : !hls.axis<64>, !hls.stream<8>{{$}}
// CHECK-NEXT:    %2 = hls.stream "swu" {depth = 2 : i64} : !hls.stream<8>{{$}}
// CHECK-NEXT:    hls.instance "swu"(%1, %2) {args = {ElemT = si4, CHANNELS = 2 : i64, IH = 3 : i64, IW = 3 : i64, OH = 2 : i64, OW = 2 : i64, KH = 2 : i64, KW = 2 : i64, SH = 2 : i64, SW = 2 : i64, PAD_TOP = 1 : i64, PAD_LEFT = 1 : i64, PAD_VALUE = 15 : i64, SIMD = 2 : i64, MMV = 1 : i64}} : !hls.stream<8>, !hls.stream<8>{{$}}
// CHECK-NEXT:    hls.rom @mvtu_weights {element = ui2, shape = array<i64: 2, 4>, contents = dense<0> : tensor<2x4x1xui64>, storage = "lutram", partition = array<i64: 0>}{{$}}
// CHECK-NEXT:    %3 = hls.stream "mvtu" {depth = 2 : i64} : !hls.stream<4>{{$}}
// CHECK-NEXT:    hls.rom @mvtu_thresholds {element = si8, shape = array<i64: 2, 1, 2>, contents = dense<[{{\[}}[{{\[}}192], [0]]], [{{\[}}[253], [65]]]]> : tensor<2x1x2x1xui64>, storage = "lutram", partition = array<i64: 0, 2>}{{$}}
// CHECK-NEXT:    hls.instance "mvtu"(%2, %3) {args = {MW = 8 : i64, MH = 2 : i64, PE = 2 : i64, SIMD = 2 : i64, MMV = 1 : i64, VECTORS = 4 : i64, POPCOUNT = 0 : i64, InT = si4, WeightT = !bnn.bipolar, AccT = si8, OutT = ui2, ThrT = si8, STEPS = 2 : i64, OFFSET = 0 : i64}, roms = [@mvtu_weights, @mvtu_thresholds]} : !hls.stream<8>, !hls.stream<4>{{$}}
// CHECK-NEXT:    %4 = hls.port "out_axis" {direction = "out", element = ui2, elements = 8 : i64} : !hls.axis<64>{{$}}
// CHECK-NEXT:    hls.instance "stream_to_axi"(%3, %4) {args = {ElemT = ui2, ELEMENTS = 8 : i64, LANES = 2 : i64}} : !hls.stream<4>, !hls.axis<64>{{$}}
// CHECK-NEXT:  }
df.graph @int_conv {
  %in = df.input {shape = array<i64: 3, 3, 2>} : !df.stream<2xsi4, 9>
  %win = df.swu %in {channels = 2 : i64, ifm = array<i64: 3, 3>, ofm = array<i64: 2, 2>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, pad_value = -1 : i64, simd = 2 : i64} : !df.stream<2xsi4, 9> -> !df.stream<2xsi4, 16>
  %m = df.mvtu %win weights<!bnn.bipolar> dense<0> : tensor<2x1xui64> {mw = 8 : i64, mh = 2 : i64, pe = 2 : i64, simd = 2 : i64, vectors = 4 : i64, thresholds = dense<[[-100, 0], [-3, 70]]> : tensor<2x2xi64>} : !df.stream<2xsi4, 16> -> !df.stream<2xui2, 4>
  df.output %m {shape = array<i64: 2, 2, 2>} : !df.stream<2xui2, 4>
}

// -----

// Integer scores: a max-pool of si4 values; a standalone threshold unit whose three steps,
// shared by all channels, are clamped to the si4 input's [-8, 8] (-20, -2, 30 -> -8, -2, 8, the
// si5 codes 24, 30, 8) and broadcast to every channel; and the top-2 label select.
// CHECK-LABEL: hls.top @scores attributes {part = "xc7z045ffg900-2", clock_mhz = 2.000000e+02 : f64} {
// CHECK-NEXT:    %0 = hls.port "in_axis" {direction = "in", element = si4, elements = 64 : i64} : !hls.axis<64>{{$}}
// CHECK-NEXT:    %1 = hls.stream "in_words" {depth = 2 : i64} : !hls.stream<8>{{$}}
// CHECK-NEXT:    hls.instance "axi_to_stream"(%0, %1) {args = {ElemT = si4, ELEMENTS = 64 : i64, LANES = 2 : i64}} : !hls.axis<64>, !hls.stream<8>{{$}}
// CHECK-NEXT:    %2 = hls.stream "pool" {depth = 2 : i64} : !hls.stream<8>{{$}}
// CHECK-NEXT:    hls.instance "pool"(%1, %2) {args = {ElemT = si4, CHANNELS = 4 : i64, IH = 4 : i64, IW = 4 : i64, OH = 2 : i64, OW = 2 : i64, KH = 2 : i64, KW = 2 : i64, SH = 2 : i64, SW = 2 : i64, PE = 2 : i64}} : !hls.stream<8>, !hls.stream<8>{{$}}
// CHECK-NEXT:    hls.rom @act_thresholds {element = si5, shape = array<i64: 2, 2, 3>, contents = dense<[{{\[}}[{{\[}}24], [30], [8]], [{{\[}}24], [30], [8]]], [{{\[}}[24], [30], [8]], [{{\[}}24], [30], [8]]]]> : tensor<2x2x3x1xui64>, storage = "lutram", partition = array<i64: 0, 2>}{{$}}
// CHECK-NEXT:    %3 = hls.stream "act_threshold" {depth = 2 : i64} : !hls.stream<6>{{$}}
// CHECK-NEXT:    hls.instance "threshold"(%2, %3) {args = {InT = si4, OutT = si3, ThrT = si5, CHANNELS = 4 : i64, PIXELS = 4 : i64, PE = 2 : i64, STEPS = 3 : i64, OFFSET = -1 : i64}, roms = [@act_thresholds], layer = "act"} : !hls.stream<8>, !hls.stream<6>{{$}}
// CHECK-NEXT:    %4 = hls.stream "top2_label_select" {depth = 2 : i64} : !hls.stream<4>{{$}}
// CHECK-NEXT:    hls.instance "label_select"(%3, %4) {args = {InT = si3, OutT = ui4, CLASSES = 16 : i64, PE = 2 : i64, K = 2 : i64}, layer = "top2"} : !hls.stream<6>, !hls.stream<4>{{$}}
// CHECK-NEXT:    %5 = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>{{$}}
// CHECK-NEXT:    hls.instance "stream_to_axi"(%4, %5) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>{{$}}
// CHECK-NEXT:  }
df.graph @scores {
  %in = df.input {shape = array<i64: 4, 4, 4>} : !df.stream<2xsi4, 32>
  %p = df.pool %in {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pe = 2 : i64} : !df.stream<2xsi4, 32> -> !df.stream<2xsi4, 8>
  %t = df.threshold %p by dense<[[-20, -2, 30]]> : tensor<1x3xi64> {channels = 4 : i64, pixels = 4 : i64, pe = 2 : i64, offset = -1 : i64, layer = "act"} : !df.stream<2xsi4, 8> -> !df.stream<2xsi3, 8>
  %l = df.label_select %t {classes = 16 : i64, k = 2 : i64, pe = 2 : i64, layer = "top2"} : !df.stream<2xsi3, 8> -> !df.stream<1xui4, 2>
  df.output %l {shape = array<i64: 2>} : !df.stream<1xui4, 2>
}

// -----

// Width converters between multi-pixel streams of 6 pixels of 4 channels: plain to two pixels
// a word, two to three (GROUP = lcm(2, 3) = 6 pixels) and three back to plain. The streams of
// engines without a layer get unique names.
// CHECK-LABEL: hls.top @regroup attributes {part = "xc7z045ffg900-2", clock_mhz = 2.000000e+02 : f64} {
// CHECK-NEXT:    %0 = hls.port "in_axis" {direction = "in", element = si4, elements = 24 : i64} : !hls.axis<64>{{$}}
// CHECK-NEXT:    %1 = hls.stream "in_words" {depth = 2 : i64} : !hls.stream<16>{{$}}
// CHECK-NEXT:    hls.instance "axi_to_stream"(%0, %1) {args = {ElemT = si4, ELEMENTS = 24 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>{{$}}
// CHECK-NEXT:    %2 = hls.stream "dwc" {depth = 2 : i64} : !hls.stream<32>{{$}}
// CHECK-NEXT:    hls.instance "dwc_pixels"(%1, %2) {args = {ElemT = si4, IN_LANES = 4 : i64, IN_MMV = 1 : i64, OUT_LANES = 8 : i64, OUT_MMV = 2 : i64, PIXELS = 6 : i64, VECTOR = 4 : i64, GROUP = 2 : i64}} : !hls.stream<16>, !hls.stream<32>{{$}}
// CHECK-NEXT:    %3 = hls.stream "dwc_2" {depth = 2 : i64} : !hls.stream<24>{{$}}
// CHECK-NEXT:    hls.instance "dwc_pixels"(%2, %3) {args = {ElemT = si4, IN_LANES = 8 : i64, IN_MMV = 2 : i64, OUT_LANES = 6 : i64, OUT_MMV = 3 : i64, PIXELS = 6 : i64, VECTOR = 4 : i64, GROUP = 6 : i64}} : !hls.stream<32>, !hls.stream<24>{{$}}
// CHECK-NEXT:    %4 = hls.stream "dwc_3" {depth = 2 : i64} : !hls.stream<16>{{$}}
// CHECK-NEXT:    hls.instance "dwc_pixels"(%3, %4) {args = {ElemT = si4, IN_LANES = 6 : i64, IN_MMV = 3 : i64, OUT_LANES = 4 : i64, OUT_MMV = 1 : i64, PIXELS = 6 : i64, VECTOR = 4 : i64, GROUP = 3 : i64}} : !hls.stream<24>, !hls.stream<16>{{$}}
// CHECK-NEXT:    %5 = hls.port "out_axis" {direction = "out", element = si4, elements = 24 : i64} : !hls.axis<64>{{$}}
// CHECK-NEXT:    hls.instance "stream_to_axi"(%4, %5) {args = {ElemT = si4, ELEMENTS = 24 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>{{$}}
// CHECK-NEXT:  }
df.graph @regroup {
  %in = df.input {shape = array<i64: 6, 4>} : !df.stream<4xsi4, 6>
  %two = df.dwc %in {pixels = 6 : i64} : !df.stream<4xsi4, 6> -> !df.stream<8xsi4, 3, mmv = 2>
  %three = df.dwc %two {pixels = 6 : i64} : !df.stream<8xsi4, 3, mmv = 2> -> !df.stream<6xsi4, 4, mmv = 3>
  %back = df.dwc %three {pixels = 6 : i64} : !df.stream<6xsi4, 4, mmv = 3> -> !df.stream<4xsi4, 6>
  df.output %back {shape = array<i64: 6, 4>} : !df.stream<4xsi4, 6>
}

// -----

// The weight ROM goes to LUTRAM up to 128 entries deep and to BRAM beyond; every graph of the
// module is lowered (each top has its own symbol table, so both ROMs are `mvtu_weights`).
// CHECK-LABEL: hls.top @shallow attributes {part = "xc7z045ffg900-2", clock_mhz = 2.000000e+02 : f64} {
// CHECK-NEXT:    %0 = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 128 : i64} : !hls.axis<64>{{$}}
// CHECK-NEXT:    %1 = hls.stream "in_words" {depth = 2 : i64} : !hls.stream<1>{{$}}
// CHECK-NEXT:    hls.instance "axi_to_stream"(%0, %1) {args = {ElemT = !bnn.bipolar, ELEMENTS = 128 : i64, LANES = 1 : i64}} : !hls.axis<64>, !hls.stream<1>{{$}}
// CHECK-NEXT:    hls.rom @mvtu_weights {element = ui1, shape = array<i64: 1, 128>, contents = dense<0> : tensor<1x128x1xui64>, storage = "lutram", partition = array<i64: 0>}{{$}}
// CHECK-NEXT:    %2 = hls.stream "mvtu" {depth = 2 : i64} : !hls.stream<8>{{$}}
// CHECK-NEXT:    hls.instance "mvtu_acc"(%1, %2) {args = {MW = 128 : i64, MH = 1 : i64, PE = 1 : i64, SIMD = 1 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = si9, OutT = ui8}, roms = [@mvtu_weights]} : !hls.stream<1>, !hls.stream<8>{{$}}
// CHECK-NEXT:    %3 = hls.port "out_axis" {direction = "out", element = ui8, elements = 1 : i64} : !hls.axis<64>{{$}}
// CHECK-NEXT:    hls.instance "stream_to_axi"(%2, %3) {args = {ElemT = ui8, ELEMENTS = 1 : i64, LANES = 1 : i64}} : !hls.stream<8>, !hls.axis<64>{{$}}
// CHECK-NEXT:  }
// CHECK-LABEL: hls.top @deep attributes {part = "xc7z045ffg900-2", clock_mhz = 2.000000e+02 : f64} {
// CHECK-NEXT:    %0 = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 129 : i64} : !hls.axis<64>{{$}}
// CHECK-NEXT:    %1 = hls.stream "in_words" {depth = 2 : i64} : !hls.stream<1>{{$}}
// CHECK-NEXT:    hls.instance "axi_to_stream"(%0, %1) {args = {ElemT = !bnn.bipolar, ELEMENTS = 129 : i64, LANES = 1 : i64}} : !hls.axis<64>, !hls.stream<1>{{$}}
// CHECK-NEXT:    hls.rom @mvtu_weights {element = ui1, shape = array<i64: 1, 129>, contents = dense<0> : tensor<1x129x1xui64>, storage = "bram", partition = array<i64: 0>}{{$}}
// CHECK-NEXT:    %2 = hls.stream "mvtu" {depth = 2 : i64} : !hls.stream<8>{{$}}
// CHECK-NEXT:    hls.instance "mvtu_acc"(%1, %2) {args = {MW = 129 : i64, MH = 1 : i64, PE = 1 : i64, SIMD = 1 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = si9, OutT = ui8}, roms = [@mvtu_weights]} : !hls.stream<1>, !hls.stream<8>{{$}}
// CHECK-NEXT:    %3 = hls.port "out_axis" {direction = "out", element = ui8, elements = 1 : i64} : !hls.axis<64>{{$}}
// CHECK-NEXT:    hls.instance "stream_to_axi"(%2, %3) {args = {ElemT = ui8, ELEMENTS = 1 : i64, LANES = 1 : i64}} : !hls.stream<8>, !hls.axis<64>{{$}}
// CHECK-NEXT:  }
df.graph @shallow {
  %in = df.input {shape = array<i64: 128>} : !df.stream<1x!bnn.bipolar, 128>
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<1x2xui64> {mw = 128 : i64, mh = 1 : i64, pe = 1 : i64, simd = 1 : i64, popcount} : !df.stream<1x!bnn.bipolar, 128> -> !df.stream<1xui8, 1>
  df.output %m {shape = array<i64: 1>} : !df.stream<1xui8, 1>
}
df.graph @deep {
  %in = df.input {shape = array<i64: 129>} : !df.stream<1x!bnn.bipolar, 129>
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<1x3xui64> {mw = 129 : i64, mh = 1 : i64, pe = 1 : i64, simd = 1 : i64, popcount} : !df.stream<1x!bnn.bipolar, 129> -> !df.stream<1xui8, 1>
  df.output %m {shape = array<i64: 1>} : !df.stream<1xui8, 1>
}

// -----

// A module without a `df.graph` is left as it is.
// CHECK:       {{^}}builtin.module {
// CHECK-NEXT:  func.func @host(%x: tensor<1x4xf32>) -> tensor<1x4x!bnn.bipolar> {
// CHECK-NEXT:    %s = bnn.sign %x : tensor<1x4xf32> -> tensor<1x4x!bnn.bipolar>{{$}}
// CHECK-NEXT:    func.return %s : tensor<1x4x!bnn.bipolar>{{$}}
// CHECK-NEXT:  }
// CHECK-NEXT:  {{^}}}{{$}}
func.func @host(%x: tensor<1x4xf32>) -> tensor<1x4x!bnn.bipolar> {
  %s = bnn.sign %x : tensor<1x4xf32> -> tensor<1x4x!bnn.bipolar>
  func.return %s : tensor<1x4x!bnn.bipolar>
}
