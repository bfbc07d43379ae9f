// RUN: bnnc-opt %s -p lower-bnn-to-dataflow | filecheck %s

// A 2-bit network: the host quantizes to si2; a conv of si2 x si2 with two thresholds a
// channel (offset -1: codes -1, 0, 1); a max-pool of the si2 codes, which the accelerator
// runs as it is (pooling after a non-decreasing threshold: nothing to reorder); a dense layer
// of si2 weights (+1 and -1 rows) whose accumulators (8 products of -1..1: -8..8) leave as si5.
// CHECK-LABEL: df.graph @accelerator {
// CHECK-NEXT:    %0 = df.input {shape = array<i64: 5, 5, 1>} : !df.stream<1xsi2, 25>
// CHECK-NEXT:    %1 = df.swu %0 {{{.*}}layer = "conv0"} : !df.stream<1xsi2, 25> -> !df.stream<1xsi2, 64>
// CHECK-NEXT:    %2 = df.mvtu %1 weights<si2> dense<{{\[}}[77], [78]]> : tensor<2x1xui64> {mw = 4 : i64, mh = 2 : i64, pe = 1 : i64, simd = 1 : i64, vectors = 16 : i64, thresholds = dense<{{\[}}[-1, 1], [0, 2]]> : tensor<2x2xi64>, offset = -1 : i64, layer = "conv0"} : !df.stream<1xsi2, 64> -> !df.stream<1xsi2, 32>
// CHECK-NEXT:    %3 = df.pool %2 {channels = 2 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pe = 1 : i64, layer = "pool0"} : !df.stream<1xsi2, 32> -> !df.stream<1xsi2, 8>
// CHECK-NEXT:    %4 = df.mvtu %3 weights<si2> dense<{{\[}}[21845], [65535]]> : tensor<2x1xui64> {mw = 8 : i64, mh = 2 : i64, pe = 1 : i64, simd = 1 : i64, layer = "fc1"} : !df.stream<1xsi2, 8> -> !df.stream<1xsi5, 2>
// CHECK-NEXT:    df.output %4 {shape = array<i64: 2>} : !df.stream<1xsi5, 2>
func.func @main(%x: tensor<1x1x5x5xf32>) -> tensor<1x2xi32> {
  %q = bnn.quantize %x {bnnc.placement = "host", scale = 0.5 : f64, zero_point = 0.0 : f64, lo = -1 : i64, hi = 1 : i64, rounding = "round"} : tensor<1x1x5x5xf32> -> tensor<1x1x5x5xsi2>
  %acc = bnn.conv2d %q weights<si2> dense<[[77], [78]]> : tensor<2x1xui64> {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x1x5x5xsi2> -> tensor<1x2x4x4xi32>
  %t = bnn.threshold %acc by dense<[[-1, 1], [0, 2]]> : tensor<2x2xi64> {offset = -1 : i64} : tensor<1x2x4x4xi32> -> tensor<1x2x4x4xsi2>
  %p = bnn.maxpool %t {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x4x4xsi2> -> tensor<1x2x2x2xsi2>
  %f = bnn.reshape %p : tensor<1x2x2x2xsi2> -> tensor<1x8xsi2>
  %z = bnn.dense %f weights<si2> dense<[[21845], [65535]]> : tensor<2x1xui64> : tensor<1x8xsi2> -> tensor<1x2xi32>
  func.return %z : tensor<1x2xi32>
}
