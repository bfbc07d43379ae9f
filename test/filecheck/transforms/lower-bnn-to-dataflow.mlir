// RUN: bnnc-opt %s --split-input-file -p lower-bnn-to-dataflow | filecheck %s

// A dense network: the host binarizes, the accelerator runs two MVTUs (the first with its
// thresholds fused), and the host scales the last layer's popcounts.
// CHECK-LABEL: df.graph @accelerator {
// CHECK-NEXT:    %0 = df.input {shape = array<i64: 4>} : !df.stream<1x!bnn.bipolar, 4>
// CHECK-NEXT:    %1 = df.mvtu %0 weights<!bnn.bipolar> dense<{{\[}}[11], [0]]> : tensor<2x1xui64> {mw = 4 : i64, mh = 2 : i64, pe = 1 : i64, simd = 1 : i64, popcount, thresholds = dense<{{\[}}[3], [1]]> : tensor<2x1xi64>, layer = "fc0"} : !df.stream<1x!bnn.bipolar, 4> -> !df.stream<1x!bnn.bipolar, 2>
// CHECK-NEXT:    %2 = df.mvtu %1 weights<!bnn.bipolar> dense<{{\[}}[1], [2], [3]]> : tensor<3x1xui64> {mw = 2 : i64, mh = 3 : i64, pe = 1 : i64, simd = 1 : i64, popcount, layer = "fc1"} : !df.stream<1x!bnn.bipolar, 2> -> !df.stream<1xui2, 3>
// CHECK-NEXT:    df.output %2 {shape = array<i64: 3>} : !df.stream<1xui2, 3>
// CHECK-NEXT:  }
// CHECK-NEXT:  func.func @main(%x: tensor<1x4xf32>) -> tensor<1x3xf32> {
// CHECK-NEXT:    %b = bnn.sign %x {bnnc.placement = "host"}
// CHECK-NEXT:    %a1 = df.invoke @accelerator(%b) : (tensor<1x4x!bnn.bipolar>) -> tensor<1x3xi32>
// CHECK-NEXT:    %s = bnn.affine %a1
// CHECK-NEXT:    func.return %s
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x3xf32> {
  %b = bnn.sign %x {bnnc.placement = "host"} : tensor<1x4xf32> -> tensor<1x4x!bnn.bipolar>
  %a0 = bnn.dense %b weights<!bnn.bipolar> dense<[[11], [0]]> : tensor<2x1xui64> {popcount} : tensor<1x4x!bnn.bipolar> -> tensor<1x2xi32>
  %t0 = bnn.threshold %a0 by dense<[[3], [1]]> : tensor<2x1xi64> : tensor<1x2xi32> -> tensor<1x2x!bnn.bipolar>
  %a1 = bnn.dense %t0 weights<!bnn.bipolar> dense<[[1], [2], [3]]> : tensor<3x1xui64> {popcount} : tensor<1x2x!bnn.bipolar> -> tensor<1x3xi32>
  %s = bnn.affine %a1 scale dense<2.0> : tensor<1xf64> bias dense<-2.0> : tensor<1xf64> {bnnc.placement = "host"} : tensor<1x3xi32> -> tensor<1x3xf32>
  func.return %s : tensor<1x3xf32>
}

// -----

// A convolution with bipolar padding (-1) and stride 2 becomes a sliding window and an MVTU
// over the 3x3 output pixels; flattening the NCHW result permutes the dense layer's columns to
// the stream's (h, w, c) order: bnn column c·9 + p becomes stream column p·2 + c, so the
// weights +1 on channel 0 (bnn columns 0..8) land on the even stream columns.
// CHECK-LABEL: df.graph @accelerator {
// CHECK-NEXT:    %0 = df.input {shape = array<i64: 5, 5, 2>} : !df.stream<1x!bnn.bipolar, 50>
// CHECK-NEXT:    %1 = df.swu %0 {channels = 2 : i64, ifm = array<i64: 5, 5>, ofm = array<i64: 3, 3>, kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, pad_value = -1 : i64, simd = 1 : i64, layer = "conv0"} : !df.stream<1x!bnn.bipolar, 50> -> !df.stream<1x!bnn.bipolar, 162>
// CHECK-NEXT:    %2 = df.mvtu %1 weights<!bnn.bipolar> {{.*}} : tensor<2x1xui64> {mw = 18 : i64, mh = 2 : i64, pe = 1 : i64, simd = 1 : i64, vectors = 9 : i64, popcount, thresholds = dense<{{\[}}[9], [10]]> : tensor<2x1xi64>, layer = "conv0"} : !df.stream<1x!bnn.bipolar, 162> -> !df.stream<1x!bnn.bipolar, 18>
// CHECK-NEXT:    %3 = df.mvtu %2 weights<!bnn.bipolar> dense<87381> : tensor<1x1xui64> {mw = 18 : i64, mh = 1 : i64, pe = 1 : i64, simd = 1 : i64, popcount, layer = "fc1"} : !df.stream<1x!bnn.bipolar, 18> -> !df.stream<1xui5, 1>
// CHECK-NEXT:    df.output %3 {shape = array<i64: 1>} : !df.stream<1xui5, 1>
func.func @main(%x: tensor<1x2x5x5x!bnn.bipolar>) -> tensor<1x1xi32> {
  %a0 = bnn.conv2d %x weights<!bnn.bipolar> dense<[[1234], [4321]]> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, pad_value = -1 : i64, popcount} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x2x3x3xi32>
  %t0 = bnn.threshold %a0 by dense<[[9], [10]]> : tensor<2x1xi64> : tensor<1x2x3x3xi32> -> tensor<1x2x3x3x!bnn.bipolar>
  %f = bnn.reshape %t0 : tensor<1x2x3x3x!bnn.bipolar> -> tensor<1x18x!bnn.bipolar>
  %a1 = bnn.dense %f weights<!bnn.bipolar> dense<[[511]]> : tensor<1x1xui64> {popcount} : tensor<1x18x!bnn.bipolar> -> tensor<1x1xi32>
  func.return %a1 : tensor<1x1xi32>
}

// -----

// Max-pool of bits and a label select on the last layer's accumulators.
// CHECK-LABEL: df.graph @accelerator {
// CHECK:         df.pool %{{.*}} {channels = 1 : i64, ifm = array<i64: 2, 2>, ofm = array<i64: 1, 1>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pe = 1 : i64, layer = "pool0"} : !df.stream<1x!bnn.bipolar, 4> -> !df.stream<1x!bnn.bipolar, 1>
// CHECK:         df.label_select %{{.*}} {classes = 3 : i64, k = 1 : i64, pe = 1 : i64, layer = "label_select"} : !df.stream<1xsi3, 3> -> !df.stream<1xui2, 1>
// CHECK:         func.func @main
// CHECK-NEXT:    %i = df.invoke @accelerator(%x) : (tensor<1x1x3x3x!bnn.bipolar>) -> tensor<1x1xi64>
func.func @main(%x: tensor<1x1x3x3x!bnn.bipolar>) -> tensor<1x1xi64> {
  %a = bnn.conv2d %x weights<!bnn.bipolar> dense<[[5]]> : tensor<1x1xui64> {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, popcount} : tensor<1x1x3x3x!bnn.bipolar> -> tensor<1x1x2x2xi32>
  %t = bnn.threshold %a by dense<2> : tensor<1x1xi64> : tensor<1x1x2x2xi32> -> tensor<1x1x2x2x!bnn.bipolar>
  %p = bnn.maxpool %t {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x1x2x2x!bnn.bipolar> -> tensor<1x1x1x1x!bnn.bipolar>
  %f = bnn.reshape %p : tensor<1x1x1x1x!bnn.bipolar> -> tensor<1x1x!bnn.bipolar>
  %s = bnn.dense %f weights<si2> dense<[[1], [2], [3]]> : tensor<3x1xui64> : tensor<1x1x!bnn.bipolar> -> tensor<1x3xi32>
  %i = bnn.topk %s {k = 1 : i64} : tensor<1x3xi32> -> tensor<1x1xi64>
  func.return %i : tensor<1x1xi64>
}

