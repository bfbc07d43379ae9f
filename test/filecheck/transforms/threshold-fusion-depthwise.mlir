// RUN: bnnc-opt %s -p threshold-fusion | filecheck %s

// Threshold fusion over `bnn.depthwise_conv2d`: a batch norm and a quantizer on its accumulators
// become integer thresholds; a channel with γ < 0 has its kernel (its row) negated, so the
// thresholds are those of x ≥ T for every channel.

// CHECK-LABEL: func.func @fuse_depthwise(%x: tensor<1x2x4x4xui4>) -> tensor<1x2x2x2xui2> {
// CHECK-NEXT:    %a = bnn.depthwise_conv2d %x weights<si4> dense<{{\[}}[1], [14]]> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x4x4xui4> -> tensor<1x2x2x2xi32>
// CHECK-NEXT:    %q = bnn.threshold %a by dense<{{\[}}[1, 2, 3], [1, 2, 3]]> : tensor<2x3xi64> : tensor<1x2x2x2xi32> -> tensor<1x2x2x2xui2>
// CHECK-NEXT:    func.return %q : tensor<1x2x2x2xui2>
func.func @fuse_depthwise(%x: tensor<1x2x4x4xui4>) -> tensor<1x2x2x2xui2> {
  %a = bnn.depthwise_conv2d %x weights<si4> dense<[[1], [2]]> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x4x4xui4> -> tensor<1x2x2x2xi32>
  %b = bnn.batchnorm %a {gamma = dense<[1.0, -1.0]> : tensor<2xf32>, beta = dense<[0.0, 0.0]> : tensor<2xf32>, mean = dense<[0.0, 0.0]> : tensor<2xf32>, var = dense<[1.0, 1.0]> : tensor<2xf32>, epsilon = 0.0 : f64} : tensor<1x2x2x2xi32> -> tensor<1x2x2x2xf32>
  %q = bnn.quantize %b {scale = 1.0 : f64, zero_point = 0.0 : f64, lo = 0 : i64, hi = 3 : i64, rounding = "round"} : tensor<1x2x2x2xf32> -> tensor<1x2x2x2xui2>
  func.return %q : tensor<1x2x2x2xui2>
}

// Must not fire: behind a max-pool a decreasing channel is complemented, and the layer reading
// it must negate that input channel's weights; a depthwise reader does not qualify, so the
// batch norm and the sign stay.
// CHECK-LABEL: func.func @do_not_complement_into_depthwise(
// CHECK:         %b = bnn.batchnorm %p
// CHECK-NEXT:    %s = bnn.sign %b
// CHECK-NEXT:    %c = bnn.depthwise_conv2d %s weights<!bnn.bipolar> dense<{{\[}}[15], [9]]>
func.func @do_not_complement_into_depthwise(%x: tensor<1x2x6x6x!bnn.bipolar>) -> tensor<1x2x1x1xi32> {
  %a = bnn.depthwise_conv2d %x weights<!bnn.bipolar> dense<[[5], [6]]> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x6x6x!bnn.bipolar> -> tensor<1x2x4x4xi32>
  %p = bnn.maxpool %a {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x4x4xi32> -> tensor<1x2x2x2xi32>
  %b = bnn.batchnorm %p {gamma = dense<[1.0, -1.0]> : tensor<2xf32>, beta = dense<[0.5, 0.5]> : tensor<2xf32>, mean = dense<[0.0, 0.0]> : tensor<2xf32>, var = dense<[1.0, 1.0]> : tensor<2xf32>, epsilon = 0.0 : f64} : tensor<1x2x2x2xi32> -> tensor<1x2x2x2xf32>
  %s = bnn.sign %b : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!bnn.bipolar>
  %c = bnn.depthwise_conv2d %s weights<!bnn.bipolar> dense<[[15], [9]]> : tensor<2x1xui64> {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x2x2x!bnn.bipolar> -> tensor<1x2x1x1xi32>
  func.return %c : tensor<1x2x1x1xi32>
}
