// RUN: bnnc-opt %s --split-input-file -p threshold-fusion | filecheck %s

// Batch norm and sign of a 4-input bipolar dense (accumulators -4..4), one channel of each kind:
// γ > 0 (x - 0.5 >= 0, so x >= 1), γ < 0 (x <= 0.5: the row is negated, then -x >= 0), and
// γ = 0 with β = 1 (always +1: the lowest accumulator value).
// CHECK-LABEL: func.func @bn_sign
// CHECK-NEXT:    %acc = bnn.dense %x weights<!bnn.bipolar> dense<{{\[}}[11], [15], [15]]> : tensor<3x1xui64> : tensor<1x4x!bnn.bipolar> -> tensor<1x3xi32>
// CHECK-NEXT:    %y = bnn.threshold %acc by dense<{{\[}}[1], [0], [-4]]> : tensor<3x1xi64> : tensor<1x3xi32> -> tensor<1x3x!bnn.bipolar>
// CHECK-NEXT:    func.return %y
func.func @bn_sign(%x: tensor<1x4x!bnn.bipolar>) -> tensor<1x3x!bnn.bipolar> {
  %acc = bnn.dense %x weights<!bnn.bipolar> dense<[[11], [0], [15]]> : tensor<3x1xui64> : tensor<1x4x!bnn.bipolar> -> tensor<1x3xi32>
  %bn = bnn.batchnorm %acc {gamma = dense<[1.0, -1.0, 0.0]> : tensor<3xf32>, beta = dense<[0.0, 0.0, 1.0]> : tensor<3xf32>, mean = dense<[0.5, 0.5, 0.0]> : tensor<3xf32>, var = dense<1.0> : tensor<3xf32>, epsilon = 0.0 : f64} : tensor<1x3xi32> -> tensor<1x3xf32>
  %y = bnn.sign %bn : tensor<1x3xf32> -> tensor<1x3x!bnn.bipolar>
  func.return %y : tensor<1x3x!bnn.bipolar>
}

// -----

// A chain of affine maps; a channel whose constant output is negative never fires (hi + 1).
// CHECK-LABEL: func.func @affine_chain
// CHECK-NEXT:    %acc = bnn.dense
// CHECK-NEXT:    %y = bnn.threshold %acc by dense<{{\[}}[2], [5]]> : tensor<2x1xi64> : tensor<1x2xi32> -> tensor<1x2x!bnn.bipolar>
func.func @affine_chain(%x: tensor<1x4x!bnn.bipolar>) -> tensor<1x2x!bnn.bipolar> {
  %acc = bnn.dense %x weights<!bnn.bipolar> dense<[[3], [5]]> : tensor<2x1xui64> : tensor<1x4x!bnn.bipolar> -> tensor<1x2xi32>
  %a = bnn.affine %acc scale dense<[2.0, 0.0]> : tensor<2xf64> bias dense<[-1.0, -1.0]> : tensor<2xf64> : tensor<1x2xi32> -> tensor<1x2xf32>
  %b = bnn.affine %a scale dense<0.5> : tensor<1xf64> bias dense<-1.0> : tensor<1xf64> : tensor<1x2xf32> -> tensor<1x2xf32>
  %y = bnn.sign %b : tensor<1x2xf32> -> tensor<1x2x!bnn.bipolar>
  func.return %y : tensor<1x2x!bnn.bipolar>
}

// -----

// An n-bit activation: a 2-bit narrow quantizer (codes -1, 0, 1) becomes two thresholds per
// channel with offset -1. round(x/2) >= 0 from x >= -1 (round(-0.5) = 0, half to even) and
// round(x/2) >= 1 from x >= 2.
// CHECK-LABEL: func.func @quantize
// CHECK:         %q = bnn.threshold %acc by dense<{{\[}}[-1, 2]]> : tensor<1x2xi64> {offset = -1 : i64} : tensor<1x1xi32> -> tensor<1x1xsi2>
func.func @quantize(%x: tensor<1x4x!bnn.bipolar>) -> tensor<1x1xsi2> {
  %acc = bnn.dense %x weights<!bnn.bipolar> dense<[[3]]> : tensor<1x1xui64> : tensor<1x4x!bnn.bipolar> -> tensor<1x1xi32>
  %r = bnn.affine %acc scale dense<1.0> : tensor<1xf64> bias dense<0.0> : tensor<1xf64> : tensor<1x1xi32> -> tensor<1x1xf32>
  %q = bnn.quantize %r {scale = 2.0 : f64, zero_point = 0.0 : f64, lo = -1 : i64, hi = 1 : i64, rounding = "round"} : tensor<1x1xf32> -> tensor<1x1xsi2>
  func.return %q : tensor<1x1xsi2>
}

// -----

// A FINN MultiThreshold on reals (threshold op on f32) after a batch norm of a conv, axis 1.
// CHECK-LABEL: func.func @conv_real_threshold
// CHECK:         %y = bnn.threshold %acc by dense<{{\[}}[1], [-1]]> : tensor<2x1xi64> : tensor<1x2x2x2xi32> -> tensor<1x2x2x2x!bnn.bipolar>
func.func @conv_real_threshold(%x: tensor<1x1x3x3x!bnn.bipolar>) -> tensor<1x2x2x2x!bnn.bipolar> {
  %acc = bnn.conv2d %x weights<!bnn.bipolar> dense<[[5], [10]]> : tensor<2x1xui64> {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x1x3x3x!bnn.bipolar> -> tensor<1x2x2x2xi32>
  %bn = bnn.batchnorm %acc {gamma = dense<1.0> : tensor<2xf32>, beta = dense<[0.0, 1.5]> : tensor<2xf32>, mean = dense<0.5> : tensor<2xf32>, var = dense<1.0> : tensor<2xf32>, epsilon = 0.0 : f64} : tensor<1x2x2x2xi32> -> tensor<1x2x2x2xf32>
  %y = bnn.threshold %bn by dense<0.0> : tensor<1x1xf64> : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!bnn.bipolar>
  func.return %y : tensor<1x2x2x2x!bnn.bipolar>
}

// -----

// Must not fire: the source is real (the host's input quantizer).
// CHECK-LABEL: func.func @real_source
// CHECK-NEXT:    bnn.affine
// CHECK-NEXT:    bnn.sign
func.func @real_source(%x: tensor<1x4xf32>) -> tensor<1x4x!bnn.bipolar> {
  %a = bnn.affine %x scale dense<2.0> : tensor<1xf64> bias dense<-1.0> : tensor<1xf64> : tensor<1x4xf32> -> tensor<1x4xf32>
  %y = bnn.sign %a : tensor<1x4xf32> -> tensor<1x4x!bnn.bipolar>
  func.return %y : tensor<1x4x!bnn.bipolar>
}

// -----

// Must not fire: a negative scale after a max-pool (no layer to negate: max is not min).
// CHECK-LABEL: func.func @negative_scale_after_pool
// CHECK:         bnn.maxpool
// CHECK-NEXT:    bnn.affine
// CHECK-NEXT:    bnn.sign
func.func @negative_scale_after_pool(%x: tensor<1x1x3x3x!bnn.bipolar>) -> tensor<1x1x1x1x!bnn.bipolar> {
  %acc = bnn.conv2d %x weights<!bnn.bipolar> dense<[[5]]> : tensor<1x1xui64> {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x1x3x3x!bnn.bipolar> -> tensor<1x1x2x2xi32>
  %p = bnn.maxpool %acc {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x1x2x2xi32> -> tensor<1x1x1x1xi32>
  %a = bnn.affine %p scale dense<-1.0> : tensor<1xf64> bias dense<0.5> : tensor<1xf64> : tensor<1x1x1x1xi32> -> tensor<1x1x1x1xf32>
  %y = bnn.sign %a : tensor<1x1x1x1xf32> -> tensor<1x1x1x1x!bnn.bipolar>
  func.return %y : tensor<1x1x1x1x!bnn.bipolar>
}

// -----

// A positive scale after a max-pool fuses onto the pooled integers (reorder-pooling moves it).
// CHECK-LABEL: func.func @positive_scale_after_pool
// CHECK:         %p = bnn.maxpool %acc
// CHECK-NEXT:    %y = bnn.threshold %p by dense<0> : tensor<1x1xi64> : tensor<1x1x1x1xi32> -> tensor<1x1x1x1x!bnn.bipolar>
func.func @positive_scale_after_pool(%x: tensor<1x1x3x3x!bnn.bipolar>) -> tensor<1x1x1x1x!bnn.bipolar> {
  %acc = bnn.conv2d %x weights<!bnn.bipolar> dense<[[5]]> : tensor<1x1xui64> {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x1x3x3x!bnn.bipolar> -> tensor<1x1x2x2xi32>
  %p = bnn.maxpool %acc {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x1x2x2xi32> -> tensor<1x1x1x1xi32>
  %a = bnn.affine %p scale dense<1.0> : tensor<1xf64> bias dense<0.5> : tensor<1xf64> : tensor<1x1x1x1xi32> -> tensor<1x1x1x1xf32>
  %y = bnn.sign %a : tensor<1x1x1x1xf32> -> tensor<1x1x1x1x!bnn.bipolar>
  func.return %y : tensor<1x1x1x1x!bnn.bipolar>
}

// -----

// Must not fire: the batch norm's result has a second user.
// CHECK-LABEL: func.func @shared_chain
// CHECK:         bnn.batchnorm
// CHECK-NEXT:    bnn.sign
func.func @shared_chain(%x: tensor<1x4x!bnn.bipolar>) -> (tensor<1x1x!bnn.bipolar>, tensor<1x1xf32>) {
  %acc = bnn.dense %x weights<!bnn.bipolar> dense<[[3]]> : tensor<1x1xui64> : tensor<1x4x!bnn.bipolar> -> tensor<1x1xi32>
  %bn = bnn.batchnorm %acc {gamma = dense<1.0> : tensor<1xf32>, beta = dense<0.0> : tensor<1xf32>, mean = dense<0.0> : tensor<1xf32>, var = dense<1.0> : tensor<1xf32>, epsilon = 0.0 : f64} : tensor<1x1xi32> -> tensor<1x1xf32>
  %y = bnn.sign %bn : tensor<1x1xf32> -> tensor<1x1x!bnn.bipolar>
  func.return %y, %bn : tensor<1x1x!bnn.bipolar>, tensor<1x1xf32>
}

// -----

// Must not fire on a γ < 0 channel when the layer's accumulators have another user.
// CHECK-LABEL: func.func @shared_layer_negative
// CHECK:         bnn.affine
// CHECK-NEXT:    bnn.sign
func.func @shared_layer_negative(%x: tensor<1x4x!bnn.bipolar>) -> (tensor<1x1x!bnn.bipolar>, tensor<1x1xi32>) {
  %acc = bnn.dense %x weights<!bnn.bipolar> dense<[[3]]> : tensor<1x1xui64> : tensor<1x4x!bnn.bipolar> -> tensor<1x1xi32>
  %a = bnn.affine %acc scale dense<-1.0> : tensor<1xf64> bias dense<0.0> : tensor<1xf64> : tensor<1x1xi32> -> tensor<1x1xf32>
  %y = bnn.sign %a : tensor<1x1xf32> -> tensor<1x1x!bnn.bipolar>
  func.return %y, %acc : tensor<1x1x!bnn.bipolar>, tensor<1x1xi32>
}

// -----

// A negative scale after a max-pool with a layer behind: the channel is complemented (its
// threshold marks where the sign turns -1) and the next layer negates that input's weights.
// CHECK-LABEL: func.func @negative_scale_after_pool_complemented
// CHECK:         %p = bnn.maxpool %acc
// CHECK-NEXT:    %y = bnn.threshold %p by dense<1> : tensor<1x1xi64> : tensor<1x1x1x1xi32> -> tensor<1x1x1x1x!bnn.bipolar>
// CHECK-NEXT:    %f = bnn.reshape %y
// CHECK-NEXT:    %z = bnn.dense %f weights<!bnn.bipolar> dense<{{\[}}[0], [1]]> : tensor<2x1xui64>
func.func @negative_scale_after_pool_complemented(%x: tensor<1x1x3x3x!bnn.bipolar>) -> tensor<1x2xi32> {
  %acc = bnn.conv2d %x weights<!bnn.bipolar> dense<[[5]]> : tensor<1x1xui64> {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x1x3x3x!bnn.bipolar> -> tensor<1x1x2x2xi32>
  %p = bnn.maxpool %acc {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x1x2x2xi32> -> tensor<1x1x1x1xi32>
  %a = bnn.affine %p scale dense<-1.0> : tensor<1xf64> bias dense<0.5> : tensor<1xf64> : tensor<1x1x1x1xi32> -> tensor<1x1x1x1xf32>
  %y = bnn.sign %a : tensor<1x1x1x1xf32> -> tensor<1x1x1x1x!bnn.bipolar>
  %f = bnn.reshape %y : tensor<1x1x1x1x!bnn.bipolar> -> tensor<1x1x!bnn.bipolar>
  %z = bnn.dense %f weights<!bnn.bipolar> dense<[[1], [0]]> : tensor<2x1xui64> : tensor<1x1x!bnn.bipolar> -> tensor<1x2xi32>
  func.return %z : tensor<1x2xi32>
}
