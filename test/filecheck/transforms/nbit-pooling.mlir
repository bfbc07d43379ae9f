// RUN: bnnc-opt %s --split-input-file -p threshold-fusion,reorder-pooling | filecheck %s

// Max-pool of n-bit activations. BNN-PYNQ order (pool, affine, 2-bit quantizer) with a
// positive scale: the quantizer fuses into two thresholds on the pooled accumulators
// (round(0.5·x + 0.25) >= 0 for x >= -1, >= 1 for x >= 1: round half to even), then the
// threshold moves above the pool, which takes the max of the si2 codes (threshold is monotone).
// CHECK-LABEL: func.func @nbit_pool_then_quantize
// CHECK-NEXT:    %acc = bnn.conv2d %x weights<si2>
// CHECK-NEXT:    %q = bnn.threshold %acc by dense<{{\[}}[-1, 1]]> : tensor<1x2xi64> {offset = -1 : i64} : tensor<1x1x2x2xi32> -> tensor<1x1x2x2xsi2>
// CHECK-NEXT:    %q_1 = bnn.maxpool %q {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x1x2x2xsi2> -> tensor<1x1x1x1xsi2>
// CHECK-NEXT:    %f = bnn.reshape %q_1
// CHECK-NEXT:    %z = bnn.dense %f weights<si2> dense<{{\[}}[1], [3]]> : tensor<2x1xui64>
func.func @nbit_pool_then_quantize(%x: tensor<1x1x3x3xsi2>) -> tensor<1x2xi32> {
  %acc = bnn.conv2d %x weights<si2> dense<[[77]]> : tensor<1x1xui64> {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x1x3x3xsi2> -> tensor<1x1x2x2xi32>
  %p = bnn.maxpool %acc {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x1x2x2xi32> -> tensor<1x1x1x1xi32>
  %a = bnn.affine %p scale dense<0.5> : tensor<1xf64> bias dense<0.25> : tensor<1xf64> : tensor<1x1x1x1xi32> -> tensor<1x1x1x1xf32>
  %q = bnn.quantize %a {scale = 1.0 : f64, zero_point = 0.0 : f64, lo = -1 : i64, hi = 1 : i64, rounding = "round"} : tensor<1x1x1x1xf32> -> tensor<1x1x1x1xsi2>
  %f = bnn.reshape %q : tensor<1x1x1x1xsi2> -> tensor<1x1xsi2>
  %z = bnn.dense %f weights<si2> dense<[[1], [3]]> : tensor<2x1xui64> : tensor<1x1xsi2> -> tensor<1x2xi32>
  func.return %z : tensor<1x2xi32>
}

// -----

// The same with a negative scale: the quantizer decreases, so max-pool then quantize is a min
// of the codes. The codes' range -1..1 is symmetric, so the channel is complemented: it outputs
// −round(−0.5·x + 0.25), non-decreasing (>= 0 for x >= 0, >= 1 for x >= 2), pooled by max, and
// the next layer negates that input's weights (si2 codes 1 = +1 and 3 = −1 swap).
// CHECK-LABEL: func.func @nbit_negative_scale_after_pool_complemented
// CHECK-NEXT:    %acc = bnn.conv2d %x weights<si2> dense<77>
// CHECK-NEXT:    %q = bnn.threshold %acc by dense<{{\[}}[0, 2]]> : tensor<1x2xi64> {offset = -1 : i64} : tensor<1x1x2x2xi32> -> tensor<1x1x2x2xsi2>
// CHECK-NEXT:    %q_1 = bnn.maxpool %q
// CHECK-NEXT:    %f = bnn.reshape %q_1
// CHECK-NEXT:    %z = bnn.dense %f weights<si2> dense<{{\[}}[3], [1]]> : tensor<2x1xui64>
func.func @nbit_negative_scale_after_pool_complemented(%x: tensor<1x1x3x3xsi2>) -> tensor<1x2xi32> {
  %acc = bnn.conv2d %x weights<si2> dense<[[77]]> : tensor<1x1xui64> {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x1x3x3xsi2> -> tensor<1x1x2x2xi32>
  %p = bnn.maxpool %acc {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x1x2x2xi32> -> tensor<1x1x1x1xi32>
  %a = bnn.affine %p scale dense<-0.5> : tensor<1xf64> bias dense<0.25> : tensor<1xf64> : tensor<1x1x1x1xi32> -> tensor<1x1x1x1xf32>
  %q = bnn.quantize %a {scale = 1.0 : f64, zero_point = 0.0 : f64, lo = -1 : i64, hi = 1 : i64, rounding = "round"} : tensor<1x1x1x1xf32> -> tensor<1x1x1x1xsi2>
  %f = bnn.reshape %q : tensor<1x1x1x1xsi2> -> tensor<1x1xsi2>
  %z = bnn.dense %f weights<si2> dense<[[1], [3]]> : tensor<2x1xui64> : tensor<1x1xsi2> -> tensor<1x2xi32>
  func.return %z : tensor<1x2xi32>
}

// -----

// Must not fire: a negative scale after a pool into codes -2..1, whose negation (2) leaves
// the range, so the channel can be neither flipped (max is not min) nor complemented.
// CHECK-LABEL: func.func @nbit_asymmetric_range_after_pool
// CHECK-NEXT:    bnn.conv2d
// CHECK-NEXT:    bnn.maxpool
// CHECK-NEXT:    bnn.affine
// CHECK-NEXT:    bnn.quantize
func.func @nbit_asymmetric_range_after_pool(%x: tensor<1x1x3x3xsi2>) -> tensor<1x2xi32> {
  %acc = bnn.conv2d %x weights<si2> dense<[[77]]> : tensor<1x1xui64> {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x1x3x3xsi2> -> tensor<1x1x2x2xi32>
  %p = bnn.maxpool %acc {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x1x2x2xi32> -> tensor<1x1x1x1xi32>
  %a = bnn.affine %p scale dense<-0.5> : tensor<1xf64> bias dense<0.25> : tensor<1xf64> : tensor<1x1x1x1xi32> -> tensor<1x1x1x1xf32>
  %q = bnn.quantize %a {scale = 1.0 : f64, zero_point = 0.0 : f64, lo = -2 : i64, hi = 1 : i64, rounding = "round"} : tensor<1x1x1x1xf32> -> tensor<1x1x1x1xsi2>
  %f = bnn.reshape %q : tensor<1x1x1x1xsi2> -> tensor<1x1xsi2>
  %z = bnn.dense %f weights<si2> dense<[[1], [3]]> : tensor<2x1xui64> : tensor<1x1xsi2> -> tensor<1x2xi32>
  func.return %z : tensor<1x2xi32>
}
