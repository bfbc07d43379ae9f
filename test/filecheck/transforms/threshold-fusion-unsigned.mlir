// RUN: bnnc-opt %s --split-input-file -p threshold-fusion | filecheck %s

// Unsigned n-bit activations (ReLU's quantizers: codes 0..2^n - 1, the floor at 0) become
// 2^n - 1 thresholds a channel. A 4-input bipolar dense: accumulators -4..4, hi + 1 = 5 is
// "never". Channel 0, round(x/2): the step to 1 is a tie at x = 1 (round(0.5) = 0, half to
// even), so it starts at x = 2; to 2 at x = 3 (1.5 rounds to 2); to 3 never (2.5 rounds to 2,
// and x/2 > 2.5 needs x > 5). Channel 1 has scale 0 (constant 1: the first step always
// taken, the others never). Channel 2's pre-activations are all negative: every step never,
// the output is ReLU's floor 0. Channel 3 decreases: its row is negated.
// CHECK-LABEL: func.func @relu_levels
// CHECK-NEXT:    %acc = bnn.dense %x weights<!bnn.bipolar> dense<{{\[}}[15], [15], [15], [0]]> : tensor<4x1xui64> : tensor<1x4x!bnn.bipolar> -> tensor<1x4xi32>
// CHECK-NEXT:    %q = bnn.threshold %acc by dense<{{\[}}[2, 3, 5], [-4, 5, 5], [5, 5, 5], [2, 3, 5]]> : tensor<4x3xi64> : tensor<1x4xi32> -> tensor<1x4xui2>
// CHECK-NEXT:    func.return %q
func.func @relu_levels(%x: tensor<1x4x!bnn.bipolar>) -> tensor<1x4xui2> {
  %acc = bnn.dense %x weights<!bnn.bipolar> dense<[[15], [15], [15], [15]]> : tensor<4x1xui64> : tensor<1x4x!bnn.bipolar> -> tensor<1x4xi32>
  %r = bnn.affine %acc scale dense<[0.5, 0.0, 0.5, -0.5]> : tensor<4xf64> bias dense<[0.0, 1.0, -100.0, 0.0]> : tensor<4xf64> : tensor<1x4xi32> -> tensor<1x4xf32>
  %q = bnn.quantize %r {scale = 1.0 : f64, zero_point = 0.0 : f64, lo = 0 : i64, hi = 3 : i64, rounding = "round"} : tensor<1x4xf32> -> tensor<1x4xui2>
  func.return %q : tensor<1x4xui2>
}

// -----

// Batch norms with γ = 0 (zero scale) into a 3-bit unsigned quantizer: 7 thresholds a channel.
// β = 2.5 is a tie of the quantizer (rounds to 2): two steps always, five never; β = -3 is
// below the floor: code 0, every step never.
// CHECK-LABEL: func.func @zero_scale
// CHECK:         %q = bnn.threshold %acc by dense<{{\[}}[-4, -4, 5, 5, 5, 5, 5], [5, 5, 5, 5, 5, 5, 5]]> : tensor<2x7xi64> : tensor<1x2xi32> -> tensor<1x2xui3>
func.func @zero_scale(%x: tensor<1x4x!bnn.bipolar>) -> tensor<1x2xui3> {
  %acc = bnn.dense %x weights<!bnn.bipolar> dense<[[15], [15]]> : tensor<2x1xui64> : tensor<1x4x!bnn.bipolar> -> tensor<1x2xi32>
  %bn = bnn.batchnorm %acc {gamma = dense<0.0> : tensor<2xf32>, beta = dense<[2.5, -3.0]> : tensor<2xf32>, mean = dense<0.0> : tensor<2xf32>, var = dense<1.0> : tensor<2xf32>, epsilon = 0.0 : f64} : tensor<1x2xi32> -> tensor<1x2xf32>
  %q = bnn.quantize %bn {scale = 1.0 : f64, zero_point = 0.0 : f64, lo = 0 : i64, hi = 7 : i64, rounding = "round"} : tensor<1x2xf32> -> tensor<1x2xui3>
  func.return %q : tensor<1x2xui3>
}

// -----

// Must not fire: a decreasing unsigned activation behind a max-pool of the accumulators. The
// weights cannot be negated (max of -x is not -max of x), and unsigned codes cannot be
// complemented as signed ones are (-code leaves 0..3).
// CHECK-LABEL: func.func @pool_before_decreasing
// CHECK:         bnn.maxpool
// CHECK-NEXT:    bnn.affine
// CHECK-NEXT:    bnn.quantize
// CHECK-NOT:     bnn.threshold
func.func @pool_before_decreasing(%x: tensor<1x1x3x3x!bnn.bipolar>) -> tensor<1x1x1x1xui2> {
  %acc = bnn.conv2d %x weights<!bnn.bipolar> dense<[[5]]> : tensor<1x1xui64> {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x1x3x3x!bnn.bipolar> -> tensor<1x1x2x2xi32>
  %p = bnn.maxpool %acc {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x1x2x2xi32> -> tensor<1x1x1x1xi32>
  %r = bnn.affine %p scale dense<-1.0> : tensor<1xf64> bias dense<0.0> : tensor<1xf64> : tensor<1x1x1x1xi32> -> tensor<1x1x1x1xf32>
  %q = bnn.quantize %r {scale = 1.0 : f64, zero_point = 0.0 : f64, lo = 0 : i64, hi = 3 : i64, rounding = "round"} : tensor<1x1x1x1xf32> -> tensor<1x1x1x1xui2>
  func.return %q : tensor<1x1x1x1xui2>
}
