// RUN: bnnc-opt %s --split-input-file -p threshold-fusion | filecheck %s
// RUN: bnnc-opt %s --split-input-file -p xnor-lowering | filecheck %s --check-prefix=XNOR

// The bnn passes on residual graphs: the requantization after a join, a sum pool or a trunc
// fuses into a threshold on the integer value (clipped to the range the op's operands give,
// `value_range.residual_range`); what must not change where a value forks or meets a join.

// The join of two ui2 codes is 0..6 (hi + 1 = 7 is "never"); its QuantReLU, round(s·x/s) for
// s = 0.5 clamped to 0..3, steps at 1, 2, 3.
// CHECK-LABEL: func.func @join_requantized
// CHECK-NEXT:    %s = bnn.add %a, %b : tensor<1x4xui2>, tensor<1x4xui2> -> tensor<1x4xui3>
// CHECK-NEXT:    %q = bnn.threshold %s by dense<{{\[}}[1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3]]> : tensor<4x3xi64> : tensor<1x4xui3> -> tensor<1x4xui2>
// CHECK-NEXT:    func.return %q
// XNOR-LABEL: func.func @join_requantized
// XNOR-NEXT:    %s = bnn.add
func.func @join_requantized(%a: tensor<1x4xui2>, %b: tensor<1x4xui2>) -> tensor<1x4xui2> {
  %s = bnn.add %a, %b : tensor<1x4xui2>, tensor<1x4xui2> -> tensor<1x4xui3>
  %r = bnn.affine %s scale dense<0.5> : tensor<1xf64> bias dense<0.0> : tensor<1xf64> : tensor<1x4xui3> -> tensor<1x4xf32>
  %q = bnn.quantize %r {scale = 0.5 : f64, zero_point = 0.0 : f64, lo = 0 : i64, hi = 3 : i64, rounding = "round"} : tensor<1x4xf32> -> tensor<1x4xui2>
  func.return %q : tensor<1x4xui2>
}

// -----

// A 2x2 sum pool of ui2 codes (0..12) whose average (the carried 1/4) is requantized by
// round(x/4) into 0..3: steps at 3 (0.5 rounds to 0, 0.75 to 1), 6 (1.5 rounds to 2) and 11
// (2.5 rounds to 2, 2.75 to 3).
// CHECK-LABEL: func.func @average_requantized
// CHECK-NEXT:    %p = bnn.sum_pool %x
// CHECK-NEXT:    %q = bnn.threshold %p by dense<{{\[}}[3, 6, 11], [3, 6, 11]]> : tensor<2x3xi64> : tensor<1x2x1x1xui4> -> tensor<1x2x1x1xui2>
func.func @average_requantized(%x: tensor<1x2x2x2xui2>) -> tensor<1x2x1x1xui2> {
  %p = bnn.sum_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x2x2xui2> -> tensor<1x2x1x1xui4>
  %r = bnn.affine %p scale dense<0.25> : tensor<1xf64> bias dense<0.0> : tensor<1xf64> : tensor<1x2x1x1xui4> -> tensor<1x2x1x1xf32>
  %q = bnn.quantize %r {scale = 1.0 : f64, zero_point = 0.0 : f64, lo = 0 : i64, hi = 3 : i64, rounding = "round"} : tensor<1x2x1x1xf32> -> tensor<1x2x1x1xui2>
  func.return %q : tensor<1x2x1x1xui2>
}

// -----

// A trunc's output is clamped to [lo, hi] = [0, 5]: a sign of x − 2.5 steps at 3.
// CHECK-LABEL: func.func @after_trunc
// CHECK-NEXT:    %t = bnn.trunc
// CHECK-NEXT:    %y = bnn.threshold %t by dense<3> : tensor<4x1xi64> : tensor<1x4xui3> -> tensor<1x4x!bnn.bipolar>
func.func @after_trunc(%x: tensor<1x4xui6>) -> tensor<1x4x!bnn.bipolar> {
  %t = bnn.trunc %x {shift = 3 : i64, lo = 0 : i64, hi = 5 : i64, rounding = "floor"} : tensor<1x4xui6> -> tensor<1x4xui3>
  %r = bnn.affine %t scale dense<1.0> : tensor<1xf64> bias dense<-2.5> : tensor<1xf64> : tensor<1x4xui3> -> tensor<1x4xf32>
  %y = bnn.sign %r : tensor<1x4xf32> -> tensor<1x4x!bnn.bipolar>
  func.return %y : tensor<1x4x!bnn.bipolar>
}

// -----

// Must not fire: channel 1 decreases, and the accumulator also feeds a join, so its weights
// cannot be negated (the join would read the negated sums), and unsigned codes cannot be
// complemented.
// CHECK-LABEL: func.func @decreasing_into_join
// CHECK-NEXT:    %acc = bnn.dense %x weights<!bnn.bipolar> dense<15>
// CHECK-NEXT:    %r = bnn.affine
// CHECK-NEXT:    %q = bnn.quantize
// CHECK-NEXT:    %s = bnn.add %acc, %acc
func.func @decreasing_into_join(%x: tensor<1x4x!bnn.bipolar>) -> (tensor<1x2xui2>, tensor<1x2xsi5>) {
  %acc = bnn.dense %x weights<!bnn.bipolar> dense<[[15], [15]]> : tensor<2x1xui64> {popcount} : tensor<1x4x!bnn.bipolar> -> tensor<1x2xui3>
  %r = bnn.affine %acc scale dense<[0.5, -0.5]> : tensor<2xf64> bias dense<[0.0, 2.0]> : tensor<2xf64> : tensor<1x2xui3> -> tensor<1x2xf32>
  %q = bnn.quantize %r {scale = 1.0 : f64, zero_point = 0.0 : f64, lo = 0 : i64, hi = 3 : i64, rounding = "round"} : tensor<1x2xf32> -> tensor<1x2xui2>
  %s = bnn.add %acc, %acc : tensor<1x2xui3>, tensor<1x2xui3> -> tensor<1x2xsi5>
  func.return %q, %s : tensor<1x2xui2>, tensor<1x2xsi5>
}

// -----

// xnor-lowering must not fire on a bipolar layer whose dot products reach a join (here through
// a reshape): the join adds ±1 sums to other integers, which popcounts are not. A layer that
// feeds only a threshold is lowered as before.
// XNOR-LABEL: func.func @bipolar_into_join
// XNOR-NEXT:    %acc = bnn.dense %x weights<!bnn.bipolar> dense<{{\[}}[15], [3]]> : tensor<2x1xui64> : tensor<1x4x!bnn.bipolar> -> tensor<1x2xi32>
// XNOR-NEXT:    %f = bnn.reshape %acc
// XNOR-NEXT:    %s = bnn.add %f, %f
// XNOR-NEXT:    %acc2 = bnn.dense %x weights<!bnn.bipolar> dense<{{\[}}[15], [3]]> : tensor<2x1xui64> {popcount} : tensor<1x4x!bnn.bipolar> -> tensor<1x2xi32>
// XNOR-NEXT:    %t = bnn.threshold %acc2 by dense<{{\[}}[2], [3]]>
func.func @bipolar_into_join(%x: tensor<1x4x!bnn.bipolar>) -> (tensor<1x2xsi33>, tensor<1x2x!bnn.bipolar>) {
  %acc = bnn.dense %x weights<!bnn.bipolar> dense<[[15], [3]]> : tensor<2x1xui64> : tensor<1x4x!bnn.bipolar> -> tensor<1x2xi32>
  %f = bnn.reshape %acc : tensor<1x2xi32> -> tensor<1x2xi32>
  %s = bnn.add %f, %f : tensor<1x2xi32>, tensor<1x2xi32> -> tensor<1x2xsi33>
  %acc2 = bnn.dense %x weights<!bnn.bipolar> dense<[[15], [3]]> : tensor<2x1xui64> : tensor<1x4x!bnn.bipolar> -> tensor<1x2xi32>
  %t = bnn.threshold %acc2 by dense<[[0], [2]]> : tensor<2x1xi64> : tensor<1x2xi32> -> tensor<1x2x!bnn.bipolar>
  func.return %s, %t : tensor<1x2xsi33>, tensor<1x2x!bnn.bipolar>
}

// -----

// Must not fire: a quantizer of more than 2^16 codes (a Trunc's unclamped first rounding of
// real values); no threshold unit holds that many steps.
// CHECK-LABEL: func.func @too_many_levels
// CHECK-NEXT:    %r = bnn.affine
// CHECK-NEXT:    %q = bnn.quantize %r
func.func @too_many_levels(%x: tensor<1x4xi32>) -> tensor<1x4xsi32> {
  %r = bnn.affine %x scale dense<0.5> : tensor<1xf64> bias dense<0.0> : tensor<1xf64> : tensor<1x4xi32> -> tensor<1x4xf32>
  %q = bnn.quantize %r {scale = 0.0625 : f64, zero_point = 0.0 : f64, lo = -2147483648 : i64, hi = 2147483647 : i64, rounding = "round"} : tensor<1x4xf32> -> tensor<1x4xsi32>
  func.return %q : tensor<1x4xsi32>
}
