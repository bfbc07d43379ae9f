// RUN: BNNC_ROUNDTRIP
// RUN: BNNC_GENERIC_ROUNDTRIP

// Round trip of every `hls` op and type: the custom syntax is parsed, printed and parsed again
// (the second RUN line goes through the generic syntax first), and each line is checked
// exactly. The three tops are what `lower-dataflow-to-hls` makes of small `df` graphs and use
// every template of the library; `roms = []`, the default, is not printed.

// A fully connected network at 125 MHz: 72 bipolar inputs in one 72-lane word, an MVTU with
// SIMD = 72 whose weight entries are 72 bits (two 64-bit words each, all 64 bits of a word
// round-trip), clamped thresholds in si8 partitioned by PE and step, a width converter and an
// MVTU passing its ui3 popcounts on. The streams and ports carry words of 1 to 72 bits.
// CHECK-LABEL: hls.top @fc attributes {part = "xc7z045ffg900-2", clock_mhz = 1.250000e+02 : f64} {
// CHECK-NEXT:    %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 72 : i64} : !hls.axis<64>{{$}}
// CHECK-NEXT:    %x = hls.stream "in_words" {depth = 4 : i64} : !hls.stream<72>{{$}}
// CHECK-NEXT:    hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 72 : i64, LANES = 72 : i64}} : !hls.axis<64>, !hls.stream<72>{{$}}
// CHECK-NEXT:    hls.rom @fc0_weights {element = ui72, shape = array<i64: 2, 2>, contents = dense<[{{\[}}[18446744073709551615, 255], [0, 0]], [{{\[}}1, 128], [12297829382473034410, 170]]]> : tensor<2x2x2xui64>, storage = "lutram", partition = array<i64: 0>}{{$}}
// CHECK-NEXT:    %h = hls.stream "fc0_mvtu" {depth = 2 : i64} : !hls.stream<2>{{$}}
// CHECK-NEXT:    hls.rom @fc0_thresholds {element = si8, shape = array<i64: 2, 2, 1>, contents = dense<[{{\[}}[{{\[}}36]], [{{\[}}0]]], [{{\[}}[40]], [{{\[}}73]]]]> : tensor<2x2x1x1xui64>, storage = "lutram", partition = array<i64: 0, 2>}{{$}}
// CHECK-NEXT:    hls.instance "mvtu"(%x, %h) {args = {MW = 72 : i64, MH = 4 : i64, PE = 2 : i64, SIMD = 72 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui7, OutT = !bnn.bipolar, ThrT = si8, STEPS = 1 : i64, OFFSET = 0 : i64}, roms = [@fc0_weights, @fc0_thresholds], layer = "fc0"} : !hls.stream<72>, !hls.stream<2>{{$}}
// CHECK-NEXT:    %w = hls.stream "dwc" {depth = 2 : i64} : !hls.stream<4>{{$}}
// CHECK-NEXT:    hls.instance "dwc"(%h, %w) {args = {ElemT = !bnn.bipolar, IN_LANES = 2 : i64, OUT_LANES = 4 : i64, WORDS_IN = 2 : i64, WORDS_OUT = 1 : i64}} : !hls.stream<2>, !hls.stream<4>{{$}}
// CHECK-NEXT:    hls.rom @fc1_weights {element = ui4, shape = array<i64: 1, 2>, contents = dense<[{{\[}}[5], [10]]]> : tensor<1x2x1xui64>, storage = "lutram", partition = array<i64: 0>}{{$}}
// CHECK-NEXT:    %y = hls.stream "fc1_mvtu" {depth = 2 : i64} : !hls.stream<3>{{$}}
// CHECK-NEXT:    hls.instance "mvtu_acc"(%w, %y) {args = {MW = 4 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui3, OutT = ui3}, roms = [@fc1_weights], layer = "fc1"} : !hls.stream<4>, !hls.stream<3>{{$}}
// CHECK-NEXT:    %out = hls.port "out_axis" {direction = "out", element = ui3, elements = 2 : i64} : !hls.axis<64>{{$}}
// CHECK-NEXT:    hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui3, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<3>, !hls.axis<64>{{$}}
// CHECK-NEXT:  }
hls.top @fc attributes {part = "xc7z045ffg900-2", clock_mhz = 125.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 72 : i64} : !hls.axis<64>
  %x = hls.stream "in_words" {depth = 4 : i64} : !hls.stream<72>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 72 : i64, LANES = 72 : i64}, roms = []} : !hls.axis<64>, !hls.stream<72>
  hls.rom @fc0_weights {element = ui72, shape = array<i64: 2, 2>, contents = dense<[[[18446744073709551615, 255], [0, 0]], [[1, 128], [12297829382473034410, 170]]]> : tensor<2x2x2xui64>, storage = "lutram", partition = array<i64: 0>}
  %h = hls.stream "fc0_mvtu" {depth = 2 : i64} : !hls.stream<2>
  hls.rom @fc0_thresholds {element = si8, shape = array<i64: 2, 2, 1>, contents = dense<[[[[36]], [[0]]], [[[40]], [[73]]]]> : tensor<2x2x1x1xui64>, storage = "lutram", partition = array<i64: 0, 2>}
  hls.instance "mvtu"(%x, %h) {args = {MW = 72 : i64, MH = 4 : i64, PE = 2 : i64, SIMD = 72 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui7, OutT = !bnn.bipolar, ThrT = si8, STEPS = 1 : i64, OFFSET = 0 : i64}, roms = [@fc0_weights, @fc0_thresholds], layer = "fc0"} : !hls.stream<72>, !hls.stream<2>
  %w = hls.stream "dwc" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "dwc"(%h, %w) {args = {ElemT = !bnn.bipolar, IN_LANES = 2 : i64, OUT_LANES = 4 : i64, WORDS_IN = 2 : i64, WORDS_OUT = 1 : i64}} : !hls.stream<2>, !hls.stream<4>
  hls.rom @fc1_weights {element = ui4, shape = array<i64: 1, 2>, contents = dense<[[[5], [10]]]> : tensor<1x2x1xui64>, storage = "lutram", partition = array<i64: 0>}
  %y = hls.stream "fc1_mvtu" {depth = 2 : i64} : !hls.stream<3>
  hls.instance "mvtu_acc"(%w, %y) {args = {MW = 4 : i64, MH = 2 : i64, PE = 1 : i64, SIMD = 4 : i64, MMV = 1 : i64, VECTORS = 1 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui3, OutT = ui3}, roms = [@fc1_weights], layer = "fc1"} : !hls.stream<4>, !hls.stream<3>
  %out = hls.port "out_axis" {direction = "out", element = ui3, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%y, %out) {args = {ElemT = ui3, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<3>, !hls.axis<64>
}

// A padded bipolar 3x3 convolution with two output pixels a word (MMV = 2; the padding -1 is
// the code 0), its weights in BRAM (a splat of zeros), a width converter from the two-pixel
// stream to a plain one (`dwc_pixels`), and a 2x2 max-pool, for a Zynq-7020 at 100 MHz. Ports
// and streams need not be interleaved with the instances: here they are all declared first.
// CHECK-LABEL: hls.top @conv attributes {part = "xc7z020clg400-1", clock_mhz = 1.000000e+02 : f64} {
// CHECK-NEXT:    %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 32 : i64} : !hls.axis<64>{{$}}
// CHECK-NEXT:    %out = hls.port "out_axis" {direction = "out", element = !bnn.bipolar, elements = 16 : i64} : !hls.axis<64>{{$}}
// CHECK-NEXT:    %x = hls.stream "in_words" {depth = 2 : i64} : !hls.stream<2>{{$}}
// CHECK-NEXT:    %win = hls.stream "conv1_swu" {depth = 2 : i64} : !hls.stream<4>{{$}}
// CHECK-NEXT:    %m = hls.stream "conv1_mvtu" {depth = 2 : i64} : !hls.stream<4>{{$}}
// CHECK-NEXT:    %plain = hls.stream "conv1_dwc" {depth = 64 : i64} : !hls.stream<4>{{$}}
// CHECK-NEXT:    %p = hls.stream "pool1_pool" {depth = 2 : i64} : !hls.stream<4>{{$}}
// CHECK-NEXT:    hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 32 : i64, LANES = 2 : i64}} : !hls.axis<64>, !hls.stream<2>{{$}}
// CHECK-NEXT:    hls.instance "swu"(%x, %win) {args = {ElemT = !bnn.bipolar, CHANNELS = 2 : i64, IH = 4 : i64, IW = 4 : i64, OH = 4 : i64, OW = 4 : i64, KH = 3 : i64, KW = 3 : i64, SH = 1 : i64, SW = 1 : i64, PAD_TOP = 1 : i64, PAD_LEFT = 1 : i64, PAD_VALUE = 0 : i64, SIMD = 2 : i64, MMV = 2 : i64}, layer = "conv1"} : !hls.stream<2>, !hls.stream<4>{{$}}
// CHECK-NEXT:    hls.rom @conv1_weights {element = ui2, shape = array<i64: 2, 18>, contents = dense<0> : tensor<2x18x1xui64>, storage = "bram", partition = array<i64: 0>}{{$}}
// CHECK-NEXT:    hls.rom @conv1_thresholds {element = si6, shape = array<i64: 2, 2, 1>, contents = dense<[{{\[}}[{{\[}}9]], [{{\[}}10]]], [{{\[}}[9]], [{{\[}}8]]]]> : tensor<2x2x1x1xui64>, storage = "lutram", partition = array<i64: 0, 2>}{{$}}
// CHECK-NEXT:    hls.instance "mvtu"(%win, %m) {args = {MW = 18 : i64, MH = 4 : i64, PE = 2 : i64, SIMD = 2 : i64, MMV = 2 : i64, VECTORS = 16 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui5, OutT = !bnn.bipolar, ThrT = si6, STEPS = 1 : i64, OFFSET = 0 : i64}, roms = [@conv1_weights, @conv1_thresholds], layer = "conv1"} : !hls.stream<4>, !hls.stream<4>{{$}}
// CHECK-NEXT:    hls.instance "dwc_pixels"(%m, %plain) {args = {ElemT = !bnn.bipolar, IN_LANES = 4 : i64, IN_MMV = 2 : i64, OUT_LANES = 4 : i64, OUT_MMV = 1 : i64, PIXELS = 16 : i64, VECTOR = 4 : i64, GROUP = 2 : i64}, layer = "conv1"} : !hls.stream<4>, !hls.stream<4>{{$}}
// CHECK-NEXT:    hls.instance "pool"(%plain, %p) {args = {ElemT = !bnn.bipolar, CHANNELS = 4 : i64, IH = 4 : i64, IW = 4 : i64, OH = 2 : i64, OW = 2 : i64, KH = 2 : i64, KW = 2 : i64, SH = 2 : i64, SW = 2 : i64, PE = 4 : i64}, layer = "pool1"} : !hls.stream<4>, !hls.stream<4>{{$}}
// CHECK-NEXT:    hls.instance "stream_to_axi"(%p, %out) {args = {ElemT = !bnn.bipolar, ELEMENTS = 16 : i64, LANES = 4 : i64}} : !hls.stream<4>, !hls.axis<64>{{$}}
// CHECK-NEXT:  }
hls.top @conv attributes {part = "xc7z020clg400-1", clock_mhz = 100.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = !bnn.bipolar, elements = 32 : i64} : !hls.axis<64>
  %out = hls.port "out_axis" {direction = "out", element = !bnn.bipolar, elements = 16 : i64} : !hls.axis<64>
  %x = hls.stream "in_words" {depth = 2 : i64} : !hls.stream<2>
  %win = hls.stream "conv1_swu" {depth = 2 : i64} : !hls.stream<4>
  %m = hls.stream "conv1_mvtu" {depth = 2 : i64} : !hls.stream<4>
  %plain = hls.stream "conv1_dwc" {depth = 64 : i64} : !hls.stream<4>
  %p = hls.stream "pool1_pool" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = !bnn.bipolar, ELEMENTS = 32 : i64, LANES = 2 : i64}} : !hls.axis<64>, !hls.stream<2>
  hls.instance "swu"(%x, %win) {args = {ElemT = !bnn.bipolar, CHANNELS = 2 : i64, IH = 4 : i64, IW = 4 : i64, OH = 4 : i64, OW = 4 : i64, KH = 3 : i64, KW = 3 : i64, SH = 1 : i64, SW = 1 : i64, PAD_TOP = 1 : i64, PAD_LEFT = 1 : i64, PAD_VALUE = 0 : i64, SIMD = 2 : i64, MMV = 2 : i64}, layer = "conv1"} : !hls.stream<2>, !hls.stream<4>
  hls.rom @conv1_weights {element = ui2, shape = array<i64: 2, 18>, contents = dense<0> : tensor<2x18x1xui64>, storage = "bram", partition = array<i64: 0>}
  hls.rom @conv1_thresholds {element = si6, shape = array<i64: 2, 2, 1>, contents = dense<[[[[9]], [[10]]], [[[9]], [[8]]]]> : tensor<2x2x1x1xui64>, storage = "lutram", partition = array<i64: 0, 2>}
  hls.instance "mvtu"(%win, %m) {args = {MW = 18 : i64, MH = 4 : i64, PE = 2 : i64, SIMD = 2 : i64, MMV = 2 : i64, VECTORS = 16 : i64, POPCOUNT = 1 : i64, InT = !bnn.bipolar, WeightT = !bnn.bipolar, AccT = ui5, OutT = !bnn.bipolar, ThrT = si6, STEPS = 1 : i64, OFFSET = 0 : i64}, roms = [@conv1_weights, @conv1_thresholds], layer = "conv1"} : !hls.stream<4>, !hls.stream<4>
  hls.instance "dwc_pixels"(%m, %plain) {args = {ElemT = !bnn.bipolar, IN_LANES = 4 : i64, IN_MMV = 2 : i64, OUT_LANES = 4 : i64, OUT_MMV = 1 : i64, PIXELS = 16 : i64, VECTOR = 4 : i64, GROUP = 2 : i64}, layer = "conv1"} : !hls.stream<4>, !hls.stream<4>
  hls.instance "pool"(%plain, %p) {args = {ElemT = !bnn.bipolar, CHANNELS = 4 : i64, IH = 4 : i64, IW = 4 : i64, OH = 2 : i64, OW = 2 : i64, KH = 2 : i64, KW = 2 : i64, SH = 2 : i64, SW = 2 : i64, PE = 4 : i64}, layer = "pool1"} : !hls.stream<4>, !hls.stream<4>
  hls.instance "stream_to_axi"(%p, %out) {args = {ElemT = !bnn.bipolar, ELEMENTS = 16 : i64, LANES = 4 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// Integer scores: a max-pool of si4 values, a standalone threshold unit (three steps from
// offset -1, the same clamped thresholds -8, -2, 8 for every channel, as si5 codes; `auto`
// storage, no partition), and the top-2 label select writing ui4 class indices.
// CHECK-LABEL: hls.top @scores attributes {part = "xc7z045ffg900-2", clock_mhz = 2.000000e+02 : f64} {
// CHECK-NEXT:    %in = hls.port "in_axis" {direction = "in", element = si4, elements = 64 : i64} : !hls.axis<64>{{$}}
// CHECK-NEXT:    %x = hls.stream "in_words" {depth = 2 : i64} : !hls.stream<8>{{$}}
// CHECK-NEXT:    hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = si4, ELEMENTS = 64 : i64, LANES = 2 : i64}} : !hls.axis<64>, !hls.stream<8>{{$}}
// CHECK-NEXT:    %p = hls.stream "pool" {depth = 2 : i64} : !hls.stream<8>{{$}}
// CHECK-NEXT:    hls.instance "pool"(%x, %p) {args = {ElemT = si4, CHANNELS = 4 : i64, IH = 4 : i64, IW = 4 : i64, OH = 2 : i64, OW = 2 : i64, KH = 2 : i64, KW = 2 : i64, SH = 2 : i64, SW = 2 : i64, PE = 2 : i64}} : !hls.stream<8>, !hls.stream<8>{{$}}
// CHECK-NEXT:    hls.rom @act_thresholds {element = si5, shape = array<i64: 2, 2, 3>, contents = dense<[{{\[}}[{{\[}}24], [30], [8]], [{{\[}}24], [30], [8]]], [{{\[}}[24], [30], [8]], [{{\[}}24], [30], [8]]]]> : tensor<2x2x3x1xui64>, storage = "auto", partition = array<i64>}{{$}}
// CHECK-NEXT:    %t = hls.stream "act_threshold" {depth = 2 : i64} : !hls.stream<6>{{$}}
// CHECK-NEXT:    hls.instance "threshold"(%p, %t) {args = {InT = si4, OutT = si3, ThrT = si5, CHANNELS = 4 : i64, PIXELS = 4 : i64, PE = 2 : i64, STEPS = 3 : i64, OFFSET = -1 : i64}, roms = [@act_thresholds], layer = "act"} : !hls.stream<8>, !hls.stream<6>{{$}}
// CHECK-NEXT:    %l = hls.stream "top2_label_select" {depth = 2 : i64} : !hls.stream<4>{{$}}
// CHECK-NEXT:    hls.instance "label_select"(%t, %l) {args = {InT = si3, OutT = ui4, CLASSES = 16 : i64, PE = 2 : i64, K = 2 : i64}, layer = "top2"} : !hls.stream<6>, !hls.stream<4>{{$}}
// CHECK-NEXT:    %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>{{$}}
// CHECK-NEXT:    hls.instance "stream_to_axi"(%l, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>{{$}}
// CHECK-NEXT:  }
hls.top @scores attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = si4, elements = 64 : i64} : !hls.axis<64>
  %x = hls.stream "in_words" {depth = 2 : i64} : !hls.stream<8>
  hls.instance "axi_to_stream"(%in, %x) {args = {ElemT = si4, ELEMENTS = 64 : i64, LANES = 2 : i64}} : !hls.axis<64>, !hls.stream<8>
  %p = hls.stream "pool" {depth = 2 : i64} : !hls.stream<8>
  hls.instance "pool"(%x, %p) {args = {ElemT = si4, CHANNELS = 4 : i64, IH = 4 : i64, IW = 4 : i64, OH = 2 : i64, OW = 2 : i64, KH = 2 : i64, KW = 2 : i64, SH = 2 : i64, SW = 2 : i64, PE = 2 : i64}} : !hls.stream<8>, !hls.stream<8>
  hls.rom @act_thresholds {element = si5, shape = array<i64: 2, 2, 3>, contents = dense<[[[[24], [30], [8]], [[24], [30], [8]]], [[[24], [30], [8]], [[24], [30], [8]]]]> : tensor<2x2x3x1xui64>, storage = "auto", partition = array<i64>}
  %t = hls.stream "act_threshold" {depth = 2 : i64} : !hls.stream<6>
  hls.instance "threshold"(%p, %t) {args = {InT = si4, OutT = si3, ThrT = si5, CHANNELS = 4 : i64, PIXELS = 4 : i64, PE = 2 : i64, STEPS = 3 : i64, OFFSET = -1 : i64}, roms = [@act_thresholds], layer = "act"} : !hls.stream<8>, !hls.stream<6>
  %l = hls.stream "top2_label_select" {depth = 2 : i64} : !hls.stream<4>
  hls.instance "label_select"(%t, %l) {args = {InT = si3, OutT = ui4, CLASSES = 16 : i64, PE = 2 : i64, K = 2 : i64}, layer = "top2"} : !hls.stream<6>, !hls.stream<4>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 2 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%l, %out) {args = {ElemT = ui4, ELEMENTS = 2 : i64, LANES = 1 : i64}} : !hls.stream<4>, !hls.axis<64>
}

// The host calls the tops: an NC tensor, an NCHW image (2·4·4 = 32 elements, one frame of the
// port) and integer scores; the results are NC, NCHW and the class indices. Attributes of the
// call are kept.
// CHECK-LABEL: func.func @main(%v: tensor<1x72x!bnn.bipolar>, %img: tensor<1x2x4x4x!bnn.bipolar>, %s: tensor<1x4x4x4xsi4>) -> (tensor<1x2xi32>, tensor<1x4x2x2x!bnn.bipolar>, tensor<1x2xui4>) {
// CHECK-NEXT:    %y = hls.invoke @fc(%v) : (tensor<1x72x!bnn.bipolar>) -> tensor<1x2xi32>{{$}}
// CHECK-NEXT:    %z = hls.invoke @conv(%img) {bnnc.note = "conv"} : (tensor<1x2x4x4x!bnn.bipolar>) -> tensor<1x4x2x2x!bnn.bipolar>{{$}}
// CHECK-NEXT:    %c = hls.invoke @scores(%s) : (tensor<1x4x4x4xsi4>) -> tensor<1x2xui4>{{$}}
// CHECK-NEXT:    func.return %y, %z, %c : tensor<1x2xi32>, tensor<1x4x2x2x!bnn.bipolar>, tensor<1x2xui4>
// CHECK-NEXT:  }
func.func @main(%v: tensor<1x72x!bnn.bipolar>, %img: tensor<1x2x4x4x!bnn.bipolar>, %s: tensor<1x4x4x4xsi4>) -> (tensor<1x2xi32>, tensor<1x4x2x2x!bnn.bipolar>, tensor<1x2xui4>) {
  %y = hls.invoke @fc(%v) : (tensor<1x72x!bnn.bipolar>) -> tensor<1x2xi32>
  %z = hls.invoke @conv(%img) {bnnc.note = "conv"} : (tensor<1x2x4x4x!bnn.bipolar>) -> tensor<1x4x2x2x!bnn.bipolar>
  %c = hls.invoke @scores(%s) : (tensor<1x4x4x4xsi4>) -> tensor<1x2xui4>
  func.return %y, %z, %c : tensor<1x2xi32>, tensor<1x4x2x2x!bnn.bipolar>, tensor<1x2xui4>
}
