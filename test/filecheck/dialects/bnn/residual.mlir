// RUN: BNNC_ROUNDTRIP
// RUN: BNNC_GENERIC_ROUNDTRIP

// Round trip of the residual ops: the join `bnn.add`, `bnn.concat`, `bnn.sum_pool` (average
// pooling without its division, global when the window is the whole image) and `bnn.trunc`
// (QONNX's Trunc on codes). Defaults (`axis = 1`, trunc `zero_point = 0`) are not printed.

// CHECK-LABEL: func.func @add_codes(%a: tensor<1x4x3x3xui2>, %b: tensor<1x4x3x3xui2>) -> tensor<1x4x3x3xui3> {
// CHECK-NEXT:    %0 = bnn.add %a, %b : tensor<1x4x3x3xui2>, tensor<1x4x3x3xui2> -> tensor<1x4x3x3xui3>{{$}}
// CHECK-NEXT:    func.return %0 : tensor<1x4x3x3xui3>
func.func @add_codes(%a: tensor<1x4x3x3xui2>, %b: tensor<1x4x3x3xui2>) -> tensor<1x4x3x3xui3> {
  %0 = bnn.add %a, %b : tensor<1x4x3x3xui2>, tensor<1x4x3x3xui2> -> tensor<1x4x3x3xui3>
  func.return %0 : tensor<1x4x3x3xui3>
}

// A bipolar operand counts as ±1: [-1, 1] + [0, 3] is [-1, 4].
// CHECK-LABEL: func.func @add_mixed(%a: tensor<1x8x!bnn.bipolar>, %b: tensor<1x8xui2>) -> tensor<1x8xsi4> {
// CHECK-NEXT:    %0 = bnn.add %a, %b : tensor<1x8x!bnn.bipolar>, tensor<1x8xui2> -> tensor<1x8xsi4>{{$}}
func.func @add_mixed(%a: tensor<1x8x!bnn.bipolar>, %b: tensor<1x8xui2>) -> tensor<1x8xsi4> {
  %0 = bnn.add %a, %b : tensor<1x8x!bnn.bipolar>, tensor<1x8xui2> -> tensor<1x8xsi4>
  func.return %0 : tensor<1x8xsi4>
}

// CHECK-LABEL: func.func @add_real(%a: tensor<1x8xf32>, %b: tensor<1x8xf32>) -> tensor<1x8xf32> {
// CHECK-NEXT:    %0 = bnn.add %a, %b : tensor<1x8xf32>, tensor<1x8xf32> -> tensor<1x8xf32>{{$}}
func.func @add_real(%a: tensor<1x8xf32>, %b: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %0 = bnn.add %a, %b : tensor<1x8xf32>, tensor<1x8xf32> -> tensor<1x8xf32>
  func.return %0 : tensor<1x8xf32>
}

// CHECK-LABEL: func.func @concat_channels(%a: tensor<1x2x4x4xui2>, %b: tensor<1x3x4x4xui2>) -> tensor<1x5x4x4xui2> {
// CHECK-NEXT:    %0 = bnn.concat %a, %b : tensor<1x2x4x4xui2>, tensor<1x3x4x4xui2> -> tensor<1x5x4x4xui2>{{$}}
func.func @concat_channels(%a: tensor<1x2x4x4xui2>, %b: tensor<1x3x4x4xui2>) -> tensor<1x5x4x4xui2> {
  %0 = bnn.concat %a, %b : tensor<1x2x4x4xui2>, tensor<1x3x4x4xui2> -> tensor<1x5x4x4xui2>
  func.return %0 : tensor<1x5x4x4xui2>
}

// Three operands of different integer types meet in one that holds them all.
// CHECK-LABEL: func.func @concat_widening
// CHECK-NEXT:    %0 = bnn.concat %a, %b, %c : tensor<1x2x!bnn.bipolar>, tensor<1x3xui2>, tensor<1x1xsi3> -> tensor<1x6xsi3>{{$}}
func.func @concat_widening(%a: tensor<1x2x!bnn.bipolar>, %b: tensor<1x3xui2>, %c: tensor<1x1xsi3>) -> tensor<1x6xsi3> {
  %0 = bnn.concat %a, %b, %c : tensor<1x2x!bnn.bipolar>, tensor<1x3xui2>, tensor<1x1xsi3> -> tensor<1x6xsi3>
  func.return %0 : tensor<1x6xsi3>
}

// CHECK-LABEL: func.func @concat_axis
// CHECK-NEXT:    %0 = bnn.concat %a, %b {axis = 2 : i64} : tensor<1x2x1x4xui2>, tensor<1x2x3x4xui2> -> tensor<1x2x4x4xui2>{{$}}
func.func @concat_axis(%a: tensor<1x2x1x4xui2>, %b: tensor<1x2x3x4xui2>) -> tensor<1x2x4x4xui2> {
  %0 = bnn.concat %a, %b {axis = 2 : i64} : tensor<1x2x1x4xui2>, tensor<1x2x3x4xui2> -> tensor<1x2x4x4xui2>
  func.return %0 : tensor<1x2x4x4xui2>
}

// CHECK-LABEL: func.func @sum_pool(%x: tensor<1x4x4x4xui2>) -> tensor<1x4x2x2xui4> {
// CHECK-NEXT:    %0 = bnn.sum_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x4xui2> -> tensor<1x4x2x2xui4>{{$}}
func.func @sum_pool(%x: tensor<1x4x4x4xui2>) -> tensor<1x4x2x2xui4> {
  %0 = bnn.sum_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x4xui2> -> tensor<1x4x2x2xui4>
  func.return %0 : tensor<1x4x2x2xui4>
}

// The global pool of a bipolar 4x4 map: sums of 16 values ±1, in [-16, 16].
// CHECK-LABEL: func.func @global_sum_pool(%x: tensor<1x8x4x4x!bnn.bipolar>) -> tensor<1x8x1x1xsi6> {
// CHECK-NEXT:    %0 = bnn.sum_pool %x {kernel = array<i64: 4, 4>, strides = array<i64: 1, 1>} : tensor<1x8x4x4x!bnn.bipolar> -> tensor<1x8x1x1xsi6>{{$}}
func.func @global_sum_pool(%x: tensor<1x8x4x4x!bnn.bipolar>) -> tensor<1x8x1x1xsi6> {
  %0 = bnn.sum_pool %x {kernel = array<i64: 4, 4>, strides = array<i64: 1, 1>} : tensor<1x8x4x4x!bnn.bipolar> -> tensor<1x8x1x1xsi6>
  func.return %0 : tensor<1x8x1x1xsi6>
}

// CHECK-LABEL: func.func @sum_pool_real(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x1x1xf32> {
// CHECK-NEXT:    %0 = bnn.sum_pool %x {kernel = array<i64: 3, 3>, strides = array<i64: 3, 3>} : tensor<1x2x3x3xf32> -> tensor<1x2x1x1xf32>{{$}}
func.func @sum_pool_real(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x1x1xf32> {
  %0 = bnn.sum_pool %x {kernel = array<i64: 3, 3>, strides = array<i64: 3, 3>} : tensor<1x2x3x3xf32> -> tensor<1x2x1x1xf32>
  func.return %0 : tensor<1x2x1x1xf32>
}

// CHECK-LABEL: func.func @trunc(%x: tensor<1x8x1x1xui6>) -> tensor<1x8x1x1xui2> {
// CHECK-NEXT:    %0 = bnn.trunc %x {shift = 4 : i64, lo = 0 : i64, hi = 3 : i64, rounding = "floor"} : tensor<1x8x1x1xui6> -> tensor<1x8x1x1xui2>{{$}}
func.func @trunc(%x: tensor<1x8x1x1xui6>) -> tensor<1x8x1x1xui2> {
  %0 = bnn.trunc %x {shift = 4 : i64, lo = 0 : i64, hi = 3 : i64, rounding = "floor"} : tensor<1x8x1x1xui6> -> tensor<1x8x1x1xui2>
  func.return %0 : tensor<1x8x1x1xui2>
}

// CHECK-LABEL: func.func @trunc_zero_point(%x: tensor<1x8xsi8>) -> tensor<1x8xsi4> {
// CHECK-NEXT:    %0 = bnn.trunc %x {shift = 4 : i64, zero_point = 3 : i64, lo = -8 : i64, hi = 7 : i64, rounding = "half_up"} : tensor<1x8xsi8> -> tensor<1x8xsi4>{{$}}
func.func @trunc_zero_point(%x: tensor<1x8xsi8>) -> tensor<1x8xsi4> {
  %0 = bnn.trunc %x {shift = 4 : i64, zero_point = 3 : i64, lo = -8 : i64, hi = 7 : i64, rounding = "half_up"} : tensor<1x8xsi8> -> tensor<1x8xsi4>
  func.return %0 : tensor<1x8xsi4>
}
