// RUN: bnnc-opt %s -p lower-bnn-to-dataflow | filecheck %s
// RUN: bnnc-opt %s -p lower-bnn-to-dataflow,insert-streams,size-fifos,lower-dataflow-to-hls | filecheck %s --check-prefix=HLS

// Unsigned activations (ReLU's quantizers): the host quantizes to ui2 (codes 0..3 with a
// zero point), a dense layer of si3 weights (4 products of 0..3 x -3..3: -36..36) with seven
// thresholds a channel (ui3 codes 0..7, the floor at 0: channel 1's pre-activations are all
// below its first threshold, so it always outputs 0), a max-pool-free second layer of si3
// weights on ui3 codes (4 products of 0..7 x -3..3: -84..84, si8). The streams keep the
// unsigned element types; the HLS thresholds are a 7-step ROM.
// CHECK-LABEL: df.graph @accelerator {
// CHECK-NEXT:    %0 = df.input {shape = array<i64: 4>} : !df.stream<1xui2, 4>
// CHECK-NEXT:    %1 = df.mvtu %0 weights<si3> dense<{{.*}}> : tensor<4x1xui64> {mw = 4 : i64, mh = 4 : i64, pe = 1 : i64, simd = 1 : i64, thresholds = dense<{{\[}}[-6, -4, -2, 0, 2, 4, 6], [37, 37, 37, 37, 37, 37, 37], [0, 1, 2, 3, 4, 5, 6], [-36, -30, -24, -18, -12, -6, 0]]> : tensor<4x7xi64>, layer = "fc0"} : !df.stream<1xui2, 4> -> !df.stream<1xui3, 4>
// CHECK-NEXT:    %2 = df.mvtu %1 weights<si3> dense<{{.*}}> : tensor<2x1xui64> {mw = 4 : i64, mh = 2 : i64, pe = 1 : i64, simd = 1 : i64, layer = "fc1"} : !df.stream<1xui3, 4> -> !df.stream<1xsi8, 2>
// CHECK-NEXT:    df.output %2 {shape = array<i64: 2>} : !df.stream<1xsi8, 2>

// HLS:         hls.rom @fc0_thresholds {element = si7, shape = array<i64: 1, 4, 7>
// HLS:         hls.instance "mvtu"{{.*}}InT = ui2, WeightT = si3, AccT = si7, OutT = ui3, ThrT = si7, STEPS = 7 : i64, OFFSET = 0 : i64
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x2xi32> {
  %q = bnn.quantize %x {bnnc.placement = "host", scale = 0.5 : f64, zero_point = 1.0 : f64, lo = 0 : i64, hi = 3 : i64, rounding = "round"} : tensor<1x4xf32> -> tensor<1x4xui2>
  %acc = bnn.dense %q weights<si3> dense<[[1755], [3510], [585], [1170]]> : tensor<4x1xui64> : tensor<1x4xui2> -> tensor<1x4xi32>
  %t = bnn.threshold %acc by dense<[[-6, -4, -2, 0, 2, 4, 6], [37, 37, 37, 37, 37, 37, 37], [0, 1, 2, 3, 4, 5, 6], [-36, -30, -24, -18, -12, -6, 0]]> : tensor<4x7xi64> : tensor<1x4xi32> -> tensor<1x4xui3>
  %z = bnn.dense %t weights<si3> dense<[[1755], [3510]]> : tensor<2x1xui64> : tensor<1x4xui3> -> tensor<1x2xi32>
  func.return %z : tensor<1x2xi32>
}
