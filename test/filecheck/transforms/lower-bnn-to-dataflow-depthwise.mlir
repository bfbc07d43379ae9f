// RUN: bnnc-opt %s -p lower-bnn-to-dataflow | filecheck %s
// RUN: echo '{"conv1": {"pe": 2, "simd": 3, "mmv": 2}, "conv2": {"pe": 4, "simd": 9}}' > %t.json && bnnc-opt %s -p 'lower-bnn-to-dataflow{folding="%t.json"}' | filecheck %s --check-prefix=FOLDED
// RUN: echo '{"conv1": {"simd": 2}}' > %t.bad.json && not bnnc-opt %s -p 'lower-bnn-to-dataflow{folding="%t.bad.json"}' 2>&1 | filecheck %s --check-prefix=ILLEGAL

// A depthwise convolution becomes a window unit in its depthwise mode and a VVTU, both named for
// the layer (conv1, conv2: numbered with the ordinary convolutions), the threshold after it fused
// into the VVTU (conv1) or, without one, its accumulators passed on in the narrowest integer of
// their range (conv2, si4). The weights stay one packed row a channel; padding and stride go to
// the window unit. The pointwise layer before them is an ordinary convolution (conv0).
// CHECK-LABEL: df.graph @accelerator {
// CHECK-NEXT:    %0 = df.input {shape = array<i64: 4, 4, 2>} : !df.stream<1xui2, 32>{{$}}
// CHECK-NEXT:    %1 = df.swu %0 {channels = 2 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 4, 4>, kernel = array<i64: 1, 1>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 1 : i64, layer = "conv0"} : !df.stream<1xui2, 32> -> !df.stream<1xui2, 32>{{$}}
// CHECK-NEXT:    %2 = df.mvtu %1 weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {mw = 2 : i64, mh = 4 : i64, pe = 1 : i64, simd = 1 : i64, vectors = 16 : i64, thresholds = dense<[[-1, 0, 1]]> : tensor<1x3xi64>, layer = "conv0"} : !df.stream<1xui2, 32> -> !df.stream<1xui2, 64>{{$}}
// CHECK-NEXT:    %3 = df.swu %2 {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 4, 4>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, simd = 1 : i64, depthwise, pe = 1 : i64, layer = "conv1"} : !df.stream<1xui2, 64> -> !df.stream<1xui2, 576>{{$}}
// CHECK-NEXT:    %4 = df.vvtu %3 weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {channels = 4 : i64, kernel = array<i64: 3, 3>, pe = 1 : i64, simd = 1 : i64, vectors = 16 : i64, thresholds = dense<[[-1, 0, 1]]> : tensor<1x3xi64>, layer = "conv1"} : !df.stream<1xui2, 576> -> !df.stream<1xui2, 64>{{$}}
// CHECK-NEXT:    %5 = df.swu %4 {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, simd = 1 : i64, depthwise, pe = 1 : i64, layer = "conv2"} : !df.stream<1xui2, 64> -> !df.stream<1xui2, 144>{{$}}
// CHECK-NEXT:    %6 = df.vvtu %5 weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {channels = 4 : i64, kernel = array<i64: 3, 3>, pe = 1 : i64, simd = 1 : i64, vectors = 4 : i64, layer = "conv2"} : !df.stream<1xui2, 144> -> !df.stream<1xsi4, 16>{{$}}
// CHECK-NEXT:    df.output %6 {shape = array<i64: 2, 2, 4>} : !df.stream<1xsi4, 16>{{$}}
// CHECK-NEXT:  }

// At a folding the window unit and the VVTU share PE (channels a word), SIMD (taps a word) and MMV:
// width converters appear before the window unit (PE channels in) and after an MMV > 1 VVTU.
// FOLDED: %3 = df.dwc %2 : !df.stream<1xui2, 64> -> !df.stream<2xui2, 32>{{$}}
// FOLDED-NEXT: %4 = df.swu %3 {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 4, 4>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, simd = 3 : i64, depthwise, pe = 2 : i64, mmv = 2 : i64, layer = "conv1"} : !df.stream<2xui2, 32> -> !df.stream<12xui2, 48, mmv = 2>{{$}}
// FOLDED-NEXT: %5 = df.vvtu %4 weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {channels = 4 : i64, kernel = array<i64: 3, 3>, pe = 2 : i64, simd = 3 : i64, vectors = 16 : i64, thresholds = dense<[[-1, 0, 1]]> : tensor<1x3xi64>, mmv = 2 : i64, layer = "conv1"} : !df.stream<12xui2, 48, mmv = 2> -> !df.stream<4xui2, 16, mmv = 2>{{$}}
// FOLDED-NEXT: %6 = df.dwc %5 {pixels = 16 : i64} : !df.stream<4xui2, 16, mmv = 2> -> !df.stream<4xui2, 16>{{$}}
// FOLDED-NEXT: %7 = df.swu %6 {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, simd = 9 : i64, depthwise, pe = 4 : i64, layer = "conv2"} : !df.stream<4xui2, 16> -> !df.stream<36xui2, 4>{{$}}
// FOLDED-NEXT: %8 = df.vvtu %7 weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {channels = 4 : i64, kernel = array<i64: 3, 3>, pe = 4 : i64, simd = 9 : i64, vectors = 4 : i64, layer = "conv2"} : !df.stream<36xui2, 4> -> !df.stream<4xsi4, 4>{{$}}

// A folding the taps refuse names the layer and the reason.
// ILLEGAL: bnnc-opt: error: illegal folding of layer 'conv1': 9 kernel taps are not divisible by SIMD = 2
// ILLEGAL-NOT: Traceback
func.func @main(%x: tensor<1x2x4x4xf32>) -> tensor<1x4x2x2xi32> {
  %q = bnn.quantize %x {scale = 0.25 : f64, zero_point = 0.0 : f64, lo = 0 : i64, hi = 3 : i64, rounding = "round"} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xui2>
  %p = bnn.conv2d %q weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {kernel = array<i64: 1, 1>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x4x4xui2> -> tensor<1x4x4x4xi32>
  %t0 = bnn.threshold %p by dense<[[-1, 0, 1]]> : tensor<1x3xi64> : tensor<1x4x4x4xi32> -> tensor<1x4x4x4xui2>
  %d = bnn.depthwise_conv2d %t0 weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x4x4x4xui2> -> tensor<1x4x4x4xi32>
  %t1 = bnn.threshold %d by dense<[[-1, 0, 1]]> : tensor<1x3xi64> : tensor<1x4x4x4xi32> -> tensor<1x4x4x4xui2>
  %e = bnn.depthwise_conv2d %t1 weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x4x4x4xui2> -> tensor<1x4x2x2xi32>
  func.return %e : tensor<1x4x2x2xi32>
}
