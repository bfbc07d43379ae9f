// RUN: BNNC_ROUNDTRIP
// RUN: BNNC_GENERIC_ROUNDTRIP
// RUN: bnnc-opt %S/Inputs/output-activations-invalid.mlir --split-input-file --verify-diagnostics | filecheck %S/Inputs/output-activations-invalid.mlir

// Round trip of the output activations the host runs behind the accelerator.

// CHECK-LABEL: func.func @outputs(%x: tensor<1x10xf32>) -> (tensor<1x10xf32>, tensor<1x10xf32>, tensor<1x10xf32>) {
// CHECK-NEXT:    %0 = bnn.softmax %x : tensor<1x10xf32> -> tensor<1x10xf32>{{$}}
// CHECK-NEXT:    %1 = bnn.log_softmax %x : tensor<1x10xf32> -> tensor<1x10xf32>{{$}}
// CHECK-NEXT:    %2 = bnn.sigmoid %x : tensor<1x10xf32> -> tensor<1x10xf32>{{$}}
// CHECK-NEXT:    func.return %0, %1, %2
func.func @outputs(%x: tensor<1x10xf32>) -> (tensor<1x10xf32>, tensor<1x10xf32>, tensor<1x10xf32>) {
  %0 = bnn.softmax %x : tensor<1x10xf32> -> tensor<1x10xf32>
  %1 = bnn.log_softmax %x : tensor<1x10xf32> -> tensor<1x10xf32>
  %2 = bnn.sigmoid %x : tensor<1x10xf32> -> tensor<1x10xf32>
  func.return %0, %1, %2 : tensor<1x10xf32>, tensor<1x10xf32>, tensor<1x10xf32>
}

// -----

// CHECK-LABEL: func.func @sigmoid_4d(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
// CHECK-NEXT:    %0 = bnn.sigmoid %x {bnnc.placement = "host"} : tensor<1x2x3x3xf32> -> tensor<1x2x3x3xf32>{{$}}
func.func @sigmoid_4d(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %0 = bnn.sigmoid %x {bnnc.placement = "host"} : tensor<1x2x3x3xf32> -> tensor<1x2x3x3xf32>
  func.return %0 : tensor<1x2x3x3xf32>
}
