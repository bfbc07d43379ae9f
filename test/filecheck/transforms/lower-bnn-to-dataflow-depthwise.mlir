// RUN: not bnnc-opt %s -p lower-bnn-to-dataflow 2>&1 | filecheck %s

// Refused, naming the layer as the reports would: a depthwise convolution has no dataflow
// engine yet (its design: docs/design.md, "Depthwise convolution below `bnn`"). The pointwise
// layer before it, layer conv0, is an ordinary convolution; the depthwise one is conv1.
// CHECK: bnnc-opt: error: layer conv1 ('bnn.depthwise_conv2d', 4 channels of 4x4, 3x3 kernel) is a depthwise convolution, which has no dataflow engine yet; the bnn level runs it (bnnc run --engine bnn), the accelerator does not
// CHECK-NOT: Traceback
func.func @main(%x: tensor<1x2x4x4xf32>) -> tensor<1x4x2x2xui2> {
  %q = bnn.quantize %x {scale = 0.25 : f64, zero_point = 0.0 : f64, lo = 0 : i64, hi = 3 : i64, rounding = "round"} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xui2>
  %p = bnn.conv2d %q weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {kernel = array<i64: 1, 1>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x4x4xui2> -> tensor<1x4x4x4xi32>
  %t0 = bnn.threshold %p by dense<[[-1, 0, 1]]> : tensor<1x3xi64> : tensor<1x4x4x4xi32> -> tensor<1x4x4x4xui2>
  %d = bnn.depthwise_conv2d %t0 weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x4x4x4xui2> -> tensor<1x4x2x2xi32>
  %t1 = bnn.threshold %d by dense<[[-1, 0, 1]]> : tensor<1x3xi64> : tensor<1x4x2x2xi32> -> tensor<1x4x2x2xui2>
  func.return %t1 : tensor<1x4x2x2xui2>
}
