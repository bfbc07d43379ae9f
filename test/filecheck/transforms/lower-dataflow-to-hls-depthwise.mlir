// RUN: bnnc-opt %s -p lower-dataflow-to-hls | filecheck %s

// The depthwise layers' engines become `swu_dw` (PE channels in, PE·SIMD·MMV lanes out) and
// `vvtu` (thresholds) or `vvtu_acc` (accumulators out), with the accumulator type the op decides
// (`df.VvtuOp.accumulator_type`: si7 for 9 taps of ui2 x si2, and the thresholds' [lo, hi + 1]).
// The weight ROM is one word a (channel fold, tap fold) of PE·SIMD lanes (conv1: 2 x 3 folds of
// 12 bits; conv2: one 72-bit word), lane (s, p) at (s·PE + p)·W: word 0 = (cf 0, tf 0) holds
// channel 0's tap 0 (code 1, lane 0) and channel 1's tap 1 (code 1, lane 3: 64), 65; word 3 =
// (cf 1, tf 0) channels 2 and 3: 1 + 16 (channel 2, taps 0 and 1) + 4 + 192 (channel 3: 1, −1).
// The thresholds are [PE][C/PE][steps], clamped to the accumulator's range.
// CHECK: %5 = hls.stream "conv1_swu" {depth = 2 : i64} : !hls.stream<24>{{$}}
// CHECK-NEXT: hls.instance "swu_dw"(%4, %5) {args = {ElemT = ui2, CHANNELS = 4 : i64, IH = 4 : i64, IW = 4 : i64, OH = 4 : i64, OW = 4 : i64, KH = 3 : i64, KW = 3 : i64, SH = 1 : i64, SW = 1 : i64, PAD_TOP = 1 : i64, PAD_LEFT = 1 : i64, PAD_VALUE = 0 : i64, PE = 2 : i64, SIMD = 3 : i64, MMV = 2 : i64}, layer = "conv1"} : !hls.stream<4>, !hls.stream<24>{{$}}
// CHECK-NEXT: hls.rom @conv1_weights {element = ui12, shape = array<i64: 6>, contents = dense<[[65], [0], [0], [213], [0], [0]]> : tensor<6x1xui64>, storage = "lutram", partition = array<i64>}{{$}}
// CHECK-NEXT: %6 = hls.stream "conv1_vvtu" {depth = 2 : i64} : !hls.stream<8>{{$}}
// CHECK-NEXT: hls.rom @conv1_thresholds {element = si7, shape = array<i64: 2, 2, 3>, contents = dense<[[[[127], [0], [1]], [[127], [0], [1]]], [[[127], [0], [1]], [[127], [0], [1]]]]> : tensor<2x2x3x1xui64>, storage = "lutram", partition = array<i64: 0, 2>}{{$}}
// CHECK-NEXT: hls.instance "vvtu"(%5, %6) {args = {CHANNELS = 4 : i64, TAPS = 9 : i64, PE = 2 : i64, SIMD = 3 : i64, MMV = 2 : i64, VECTORS = 16 : i64, POPCOUNT = 0 : i64, InT = ui2, WeightT = si2, AccT = si7, OutT = ui2, ThrT = si7, STEPS = 3 : i64, OFFSET = 0 : i64}, roms = [@conv1_weights, @conv1_thresholds], layer = "conv1"} : !hls.stream<24>, !hls.stream<8>{{$}}
// CHECK: %8 = hls.stream "conv2_swu" {depth = 2 : i64} : !hls.stream<72>{{$}}
// CHECK-NEXT: hls.instance "swu_dw"(%7, %8) {args = {ElemT = ui2, CHANNELS = 4 : i64, IH = 4 : i64, IW = 4 : i64, OH = 2 : i64, OW = 2 : i64, KH = 3 : i64, KW = 3 : i64, SH = 2 : i64, SW = 2 : i64, PAD_TOP = 1 : i64, PAD_LEFT = 1 : i64, PAD_VALUE = 0 : i64, PE = 4 : i64, SIMD = 9 : i64, MMV = 1 : i64}, layer = "conv2"} : !hls.stream<8>, !hls.stream<72>{{$}}
// CHECK-NEXT: hls.rom @conv2_weights {element = ui72, shape = array<i64: 1>, contents = dense<[[54353, 0]]> : tensor<1x2xui64>, storage = "lutram", partition = array<i64>}{{$}}
// CHECK-NEXT: %9 = hls.stream "conv2_vvtu" {depth = 2 : i64} : !hls.stream<16>{{$}}
// CHECK-NEXT: hls.instance "vvtu_acc"(%8, %9) {args = {CHANNELS = 4 : i64, TAPS = 9 : i64, PE = 4 : i64, SIMD = 9 : i64, MMV = 1 : i64, VECTORS = 4 : i64, POPCOUNT = 0 : i64, InT = ui2, WeightT = si2, AccT = si7, OutT = si4}, roms = [@conv2_weights], layer = "conv2"} : !hls.stream<72>, !hls.stream<16>{{$}}

builtin.module {
  df.graph @accelerator {
    %0 = df.input {shape = array<i64: 4, 4, 2>} : !df.stream<1xui2, 32>
    %1 = df.swu %0 {channels = 2 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 4, 4>, kernel = array<i64: 1, 1>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 1 : i64, layer = "conv0"} : !df.stream<1xui2, 32> -> !df.stream<1xui2, 32>
    %2 = df.mvtu %1 weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {mw = 2 : i64, mh = 4 : i64, pe = 1 : i64, simd = 1 : i64, vectors = 16 : i64, thresholds = dense<[[-1, 0, 1]]> : tensor<1x3xi64>, layer = "conv0"} : !df.stream<1xui2, 32> -> !df.stream<1xui2, 64>
    %3 = df.dwc %2 : !df.stream<1xui2, 64> -> !df.stream<2xui2, 32>
    %4 = df.swu %3 {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 4, 4>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, simd = 3 : i64, depthwise, pe = 2 : i64, mmv = 2 : i64, layer = "conv1"} : !df.stream<2xui2, 32> -> !df.stream<12xui2, 48, mmv = 2>
    %5 = df.vvtu %4 weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {channels = 4 : i64, kernel = array<i64: 3, 3>, pe = 2 : i64, simd = 3 : i64, vectors = 16 : i64, thresholds = dense<[[-1, 0, 1]]> : tensor<1x3xi64>, mmv = 2 : i64, layer = "conv1"} : !df.stream<12xui2, 48, mmv = 2> -> !df.stream<4xui2, 16, mmv = 2>
    %6 = df.dwc %5 {pixels = 16 : i64} : !df.stream<4xui2, 16, mmv = 2> -> !df.stream<4xui2, 16>
    %7 = df.swu %6 {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, simd = 9 : i64, depthwise, pe = 4 : i64, layer = "conv2"} : !df.stream<4xui2, 16> -> !df.stream<36xui2, 4>
    %8 = df.vvtu %7 weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {channels = 4 : i64, kernel = array<i64: 3, 3>, pe = 4 : i64, simd = 9 : i64, vectors = 4 : i64, layer = "conv2"} : !df.stream<36xui2, 4> -> !df.stream<4xsi4, 4>
    df.output %8 {shape = array<i64: 2, 2, 4>} : !df.stream<4xsi4, 4>
  }
  func.func @main(%x: tensor<1x2x4x4xf32>) -> tensor<1x4x2x2xi32> {
    %q = bnn.quantize %x {scale = 2.500000e-01 : f64, zero_point = 0.000000e+00 : f64, lo = 0 : i64, hi = 3 : i64, rounding = "round"} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xui2>
    %e = df.invoke @accelerator(%q) : (tensor<1x2x4x4xui2>) -> tensor<1x4x2x2xi32>
    func.return %e : tensor<1x4x2x2xi32>
  }
}
