// RUN: BNNC_ROUNDTRIP
// RUN: BNNC_GENERIC_ROUNDTRIP

// The permutation is a property in the attribute dictionary.

// CHECK-LABEL: func.func @nchw_to_nhwc(%x: tensor<1x2x3x4x!bnn.bipolar>) -> tensor<1x3x4x2x!bnn.bipolar> {
// CHECK-NEXT:    %0 = bnn.transpose %x {perm = array<i64: 0, 2, 3, 1>} : tensor<1x2x3x4x!bnn.bipolar> -> tensor<1x3x4x2x!bnn.bipolar>{{$}}
// CHECK-NEXT:    func.return %0
func.func @nchw_to_nhwc(%x: tensor<1x2x3x4x!bnn.bipolar>) -> tensor<1x3x4x2x!bnn.bipolar> {
  %0 = bnn.transpose %x {perm = array<i64: 0, 2, 3, 1>} : tensor<1x2x3x4x!bnn.bipolar> -> tensor<1x3x4x2x!bnn.bipolar>
  func.return %0 : tensor<1x3x4x2x!bnn.bipolar>
}

// CHECK-LABEL: func.func @swap_last(%x: tensor<1x64x3xf32>) -> tensor<1x3x64xf32> {
// CHECK-NEXT:    %0 = bnn.transpose %x {perm = array<i64: 0, 2, 1>} : tensor<1x64x3xf32> -> tensor<1x3x64xf32>{{$}}
// CHECK-NEXT:    func.return %0
func.func @swap_last(%x: tensor<1x64x3xf32>) -> tensor<1x3x64xf32> {
  %0 = bnn.transpose %x {perm = array<i64: 0, 2, 1>} : tensor<1x64x3xf32> -> tensor<1x3x64xf32>
  func.return %0 : tensor<1x3x64xf32>
}
