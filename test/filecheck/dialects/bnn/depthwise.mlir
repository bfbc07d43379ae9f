// RUN: BNNC_ROUNDTRIP
// RUN: BNNC_GENERIC_ROUNDTRIP
// RUN: bnnc-opt %S/Inputs/depthwise-invalid.mlir --split-input-file --verify-diagnostics | filecheck %S/Inputs/depthwise-invalid.mlir

// Round trip of `bnn.depthwise_conv2d`: bipolar without padding, 4-bit weights on unsigned
// codes with stride 2 and zero padding, ±1 padding with popcount accumulation.

// CHECK-LABEL: func.func @depthwise_valid(%x: tensor<1x2x5x5x!bnn.bipolar>) -> tensor<1x2x3x3xi32> {
// CHECK-NEXT:    %0 = bnn.depthwise_conv2d %x weights<!bnn.bipolar> dense<[[1], [511]]> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x2x3x3xi32>{{$}}
// CHECK-NEXT:    func.return %0 : tensor<1x2x3x3xi32>
func.func @depthwise_valid(%x: tensor<1x2x5x5x!bnn.bipolar>) -> tensor<1x2x3x3xi32> {
  %0 = bnn.depthwise_conv2d %x weights<!bnn.bipolar> dense<[[1], [511]]> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x2x3x3xi32>
  func.return %0 : tensor<1x2x3x3xi32>
}

// CHECK-LABEL: func.func @depthwise_nbit_strided(%x: tensor<1x3x8x8xui4>) -> tensor<1x3x4x4xi32> {
// CHECK-NEXT:    %0 = bnn.depthwise_conv2d %x weights<si4> dense<[[1], [2], [3]]> : tensor<3x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x3x8x8xui4> -> tensor<1x3x4x4xi32>{{$}}
func.func @depthwise_nbit_strided(%x: tensor<1x3x8x8xui4>) -> tensor<1x3x4x4xi32> {
  %0 = bnn.depthwise_conv2d %x weights<si4> dense<[[1], [2], [3]]> : tensor<3x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x3x8x8xui4> -> tensor<1x3x4x4xi32>
  func.return %0 : tensor<1x3x4x4xi32>
}

// CHECK-LABEL: func.func @depthwise_popcount_padded(%x: tensor<1x2x4x4x!bnn.bipolar>) -> tensor<1x2x4x4xi32> {
// CHECK-NEXT:    %0 = bnn.depthwise_conv2d %x weights<!bnn.bipolar> dense<[[7], [8]]> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, pad_value = -1 : i64, popcount} : tensor<1x2x4x4x!bnn.bipolar> -> tensor<1x2x4x4xi32>{{$}}
func.func @depthwise_popcount_padded(%x: tensor<1x2x4x4x!bnn.bipolar>) -> tensor<1x2x4x4xi32> {
  %0 = bnn.depthwise_conv2d %x weights<!bnn.bipolar> dense<[[7], [8]]> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, pad_value = -1 : i64, popcount} : tensor<1x2x4x4x!bnn.bipolar> -> tensor<1x2x4x4xi32>
  func.return %0 : tensor<1x2x4x4xi32>
}
