// RUN: bnnc-opt %s --split-input-file --print-op-generic | bnnc-opt --split-input-file --print-op-generic | filecheck %s

// `bnn.transpose` through the generic syntax, the only one that round-trips today: see
// transpose.mlir for the custom syntax.

// CHECK-LABEL: "func.func"() <{sym_name = "nchw_to_nhwc"
// CHECK:         %0 = "bnn.transpose"(%x) <{perm = array<i64: 0, 2, 3, 1>}> : (tensor<1x2x3x4x!bnn.bipolar>) -> tensor<1x3x4x2x!bnn.bipolar>{{$}}
// CHECK-NEXT:    "func.return"(%0) : (tensor<1x3x4x2x!bnn.bipolar>) -> ()
func.func @nchw_to_nhwc(%x: tensor<1x2x3x4x!bnn.bipolar>) -> tensor<1x3x4x2x!bnn.bipolar> {
  %0 = "bnn.transpose"(%x) <{perm = array<i64: 0, 2, 3, 1>}> : (tensor<1x2x3x4x!bnn.bipolar>) -> tensor<1x3x4x2x!bnn.bipolar>
  func.return %0 : tensor<1x3x4x2x!bnn.bipolar>
}

// The identity permutation, on integers.
// CHECK-LABEL: "func.func"() <{sym_name = "identity"
// CHECK:         %0 = "bnn.transpose"(%x) <{perm = array<i64: 0, 1, 2>}> : (tensor<1x5x7xsi4>) -> tensor<1x5x7xsi4>{{$}}
// CHECK-NEXT:    "func.return"(%0) : (tensor<1x5x7xsi4>) -> ()
func.func @identity(%x: tensor<1x5x7xsi4>) -> tensor<1x5x7xsi4> {
  %0 = "bnn.transpose"(%x) <{perm = array<i64: 0, 1, 2>}> : (tensor<1x5x7xsi4>) -> tensor<1x5x7xsi4>
  func.return %0 : tensor<1x5x7xsi4>
}

// CHECK-LABEL: "func.func"() <{sym_name = "swap_last"
// CHECK:         %0 = "bnn.transpose"(%x) <{perm = array<i64: 0, 2, 1>}> : (tensor<1x64x3xf32>) -> tensor<1x3x64xf32>{{$}}
// CHECK-NEXT:    "func.return"(%0) : (tensor<1x3x64xf32>) -> ()
func.func @swap_last(%x: tensor<1x64x3xf32>) -> tensor<1x3x64xf32> {
  %0 = "bnn.transpose"(%x) <{perm = array<i64: 0, 2, 1>}> : (tensor<1x64x3xf32>) -> tensor<1x3x64xf32>
  func.return %0 : tensor<1x3x64xf32>
}
