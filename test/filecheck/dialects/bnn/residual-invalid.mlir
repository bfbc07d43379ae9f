// RUN: bnnc-opt %s --split-input-file --verify-diagnostics | filecheck %s

// One case per verifier error of the residual ops (bnn.add, bnn.concat, bnn.sum_pool,
// bnn.trunc), as in invalid.mlir.

func.func @add_shapes(%a: tensor<1x4xui2>, %b: tensor<1x5xui2>) {
  // CHECK: Operation does not verify: operands and result must have one shape, got [1, 4], [1, 5] -> [1, 4]
  %0 = bnn.add %a, %b : tensor<1x4xui2>, tensor<1x5xui2> -> tensor<1x4xui3>
  func.return
}

// -----

func.func @add_too_narrow(%a: tensor<1x4xui2>, %b: tensor<1x4xui2>) {
  // CHECK: Operation does not verify: the result type ui2 cannot hold [0, 6], the range of the sum; ui3 does
  %0 = bnn.add %a, %b : tensor<1x4xui2>, tensor<1x4xui2> -> tensor<1x4xui2>
  func.return
}

// -----

func.func @add_mixed_real(%a: tensor<1x4xui2>, %b: tensor<1x4xf32>) {
  // CHECK: Operation does not verify: operands must both be integer (or bipolar) or both be real
  %0 = bnn.add %a, %b : tensor<1x4xui2>, tensor<1x4xf32> -> tensor<1x4xf32>
  func.return
}

// -----

func.func @add_real_to_integer(%a: tensor<1x4xf32>, %b: tensor<1x4xf32>) {
  // CHECK: Operation does not verify: the sum of real operands is real, got i32
  %0 = bnn.add %a, %b : tensor<1x4xf32>, tensor<1x4xf32> -> tensor<1x4xi32>
  func.return
}

// -----

func.func @add_to_bipolar(%a: tensor<1x4x!bnn.bipolar>, %b: tensor<1x4x!bnn.bipolar>) {
  // CHECK: Operation does not verify: the result of the sum must be an integer type, got !bnn.bipolar
  %0 = bnn.add %a, %b : tensor<1x4x!bnn.bipolar>, tensor<1x4x!bnn.bipolar> -> tensor<1x4x!bnn.bipolar>
  func.return
}

// -----

func.func @concat_one(%a: tensor<1x4xui2>) {
  // CHECK: Operation does not verify: expected two or more operands, got 1
  %0 = bnn.concat %a : tensor<1x4xui2> -> tensor<1x4xui2>
  func.return
}

// -----

func.func @concat_batch_axis(%a: tensor<1x4xui2>, %b: tensor<1x4xui2>) {
  // CHECK: Operation does not verify: axis 0 is out of range for rank 2 (the batch stays)
  %0 = bnn.concat %a, %b {axis = 0 : i64} : tensor<1x4xui2>, tensor<1x4xui2> -> tensor<2x4xui2>
  func.return
}

// -----

func.func @concat_other_axis(%a: tensor<1x2x4x4xui2>, %b: tensor<1x2x3x4xui2>) {
  // CHECK: Operation does not verify: operand shape [1, 2, 3, 4] differs from the result [1, 4, 4, 4] outside axis 1
  %0 = bnn.concat %a, %b : tensor<1x2x4x4xui2>, tensor<1x2x3x4xui2> -> tensor<1x4x4x4xui2>
  func.return
}

// -----

func.func @concat_count(%a: tensor<1x2xui2>, %b: tensor<1x3xui2>) {
  // CHECK: Operation does not verify: the operands have 5 entries on axis 1, the result 6
  %0 = bnn.concat %a, %b : tensor<1x2xui2>, tensor<1x3xui2> -> tensor<1x6xui2>
  func.return
}

// -----

func.func @concat_real_and_integer(%a: tensor<1x2xf32>, %b: tensor<1x3xui2>) {
  // CHECK: Operation does not verify: operand element types ['f32', 'ui2'] differ from the result ui2: only integer and bipolar operands may meet in an integer result
  %0 = bnn.concat %a, %b : tensor<1x2xf32>, tensor<1x3xui2> -> tensor<1x5xui2>
  func.return
}

// -----

func.func @concat_narrow(%a: tensor<1x2x!bnn.bipolar>, %b: tensor<1x3xui2>) {
  // CHECK: Operation does not verify: the result type ui2 cannot hold [-1, 3], the range of the operands; si3 does
  %0 = bnn.concat %a, %b : tensor<1x2x!bnn.bipolar>, tensor<1x3xui2> -> tensor<1x5xui2>
  func.return
}

// -----

func.func @sum_pool_rank(%x: tensor<1x4xui2>) {
  // CHECK: Operation does not verify: expected an NCHW tensor of rank 4
  %0 = bnn.sum_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4xui2> -> tensor<1x4xui4>
  func.return
}

// -----

func.func @sum_pool_window(%x: tensor<1x4x2x2xui2>) {
  // CHECK: Operation does not verify: a 3x3 window does not fit a 2x2 input
  %0 = bnn.sum_pool %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>} : tensor<1x4x2x2xui2> -> tensor<1x4x1x1xui5>
  func.return
}

// -----

func.func @sum_pool_stride(%x: tensor<1x4x4x4xui2>) {
  // CHECK: Operation does not verify: kernel and strides must be positive
  %0 = bnn.sum_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 0, 2>} : tensor<1x4x4x4xui2> -> tensor<1x4x2x2xui4>
  func.return
}

// -----

func.func @sum_pool_shape(%x: tensor<1x4x4x4xui2>) {
  // CHECK: Operation does not verify: result shape [1, 4, 3, 3] does not match a 2x2 pool with strides 2x2 of [1, 4, 4, 4], expected [1, 4, 2, 2]
  %0 = bnn.sum_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x4xui2> -> tensor<1x4x3x3xui4>
  func.return
}

// -----

func.func @sum_pool_narrow(%x: tensor<1x4x4x4xui2>) {
  // CHECK: Operation does not verify: the result type ui3 cannot hold [0, 12], the range of a sum of 4 values; ui4 does
  %0 = bnn.sum_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x4xui2> -> tensor<1x4x2x2xui3>
  func.return
}

// -----

func.func @sum_pool_real_to_integer(%x: tensor<1x4x4x4xf32>) {
  // CHECK: Operation does not verify: the sum of real values is real, got i32
  %0 = bnn.sum_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x4xf32> -> tensor<1x4x2x2xi32>
  func.return
}

// -----

func.func @trunc_shift(%x: tensor<1x4xui8>) {
  // CHECK: Operation does not verify: shift must be in -62..62, got 63
  %0 = bnn.trunc %x {shift = 63 : i64, lo = 0 : i64, hi = 3 : i64, rounding = "floor"} : tensor<1x4xui8> -> tensor<1x4xui2>
  func.return
}

// -----

func.func @trunc_rounding(%x: tensor<1x4xui8>) {
  // CHECK: Operation does not verify: unknown rounding 'round_to_zero', expected one of ['round', 'floor', 'ceil', 'up', 'down', 'half_up', 'half_down']
  %0 = bnn.trunc %x {shift = 6 : i64, lo = 0 : i64, hi = 3 : i64, rounding = "round_to_zero"} : tensor<1x4xui8> -> tensor<1x4xui2>
  func.return
}

// -----

func.func @trunc_empty(%x: tensor<1x4xui8>) {
  // CHECK: Operation does not verify: clamp range [3, 0] is empty
  %0 = bnn.trunc %x {shift = 6 : i64, lo = 3 : i64, hi = 0 : i64, rounding = "floor"} : tensor<1x4xui8> -> tensor<1x4xui2>
  func.return
}

// -----

func.func @trunc_narrow(%x: tensor<1x4xui8>) {
  // CHECK: Operation does not verify: the result type ui2 cannot hold [0, 7], the range of the clamp; ui3 does
  %0 = bnn.trunc %x {shift = 5 : i64, lo = 0 : i64, hi = 7 : i64, rounding = "floor"} : tensor<1x4xui8> -> tensor<1x4xui2>
  func.return
}

// -----

func.func @trunc_shape(%x: tensor<1x4xui8>) {
  // CHECK: Operation does not verify: result shape [1, 5] differs from input shape [1, 4]
  %0 = bnn.trunc %x {shift = 6 : i64, lo = 0 : i64, hi = 3 : i64, rounding = "floor"} : tensor<1x4xui8> -> tensor<1x5xui2>
  func.return
}

// -----

func.func @trunc_real(%x: tensor<1x4xf32>) {
  // CHECK: f32 should be of base attribute integer
  %0 = bnn.trunc %x {shift = 6 : i64, lo = 0 : i64, hi = 3 : i64, rounding = "floor"} : tensor<1x4xf32> -> tensor<1x4xui2>
  func.return
}
