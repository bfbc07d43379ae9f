// RUN: bnnc-opt %s --split-input-file --parsing-diagnostics | filecheck %s

// Errors of the parser: the custom syntax of the `bnn` ops and the `!bnn.` types. Each case
// checks where the error points (line of the next source line, column) and the message.

// The only `bnn` type is `!bnn.bipolar`.
// CHECK: {{.*}}.mlir:[[# @LINE + 2]]:49
// CHECK-NEXT: func.func @unknown_type(%x: tensor<1x4x!bnn.bits>) {
func.func @unknown_type(%x: tensor<1x4x!bnn.bits>) {
  func.return
}
// CHECK: 'bnn.bits' is not registered

// -----

func.func @unknown_op(%x: tensor<1x4xf32>) {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:17
  %0 = bnn.relu %x : tensor<1x4xf32> -> tensor<1x4xf32>
  // CHECK: Operation bnn.relu is not registered
  func.return
}

// -----

// The result type is part of the syntax.
func.func @sign_without_result_type(%x: tensor<1x4xf32>) {
  %0 = bnn.sign %x : tensor<1x4xf32>
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:3
  func.return
  // CHECK: Expected '->'
}

// -----

func.func @sign_operand_type(%x: tensor<1x4xf32>) {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:17
  %0 = bnn.sign %x : tensor<1x4xi32> -> tensor<1x4x!bnn.bipolar>
  // CHECK: operand is used with type tensor<1x4xi32>, but has been previously used or defined with type tensor<1x4xf32>
  func.return
}

// -----

func.func @quantize_unquoted_rounding(%x: tensor<1x4xf32>) {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:108
  %0 = bnn.quantize %x {scale = 1.0 : f64, zero_point = 0.0 : f64, lo = -1 : i64, hi = 1 : i64, rounding = round} : tensor<1x4xf32> -> tensor<1x4xsi2>
  // CHECK: attribute expected
  func.return
}

// -----

func.func @threshold_without_by(%x: tensor<1x3xf32>) {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:25
  %0 = bnn.threshold %x dense<0.0> : tensor<1x1xf32> : tensor<1x3xf32> -> tensor<1x3x!bnn.bipolar>
  // CHECK: Expected 'by'
  func.return
}

// -----

// `offset` and `axis` belong in the attribute dictionary.
func.func @threshold_bare_offset(%x: tensor<1x3xf32>) {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:57
  %0 = bnn.threshold %x by dense<0.0> : tensor<1x1xf32> offset = 1 : tensor<1x3xf32> -> tensor<1x3xsi4>
  // CHECK: Expected ':'
  func.return
}

// -----

func.func @dense_without_weights_keyword(%x: tensor<1x8x!bnn.bipolar>) {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:21
  %0 = bnn.dense %x dense<0> : tensor<4x1xui64> : tensor<1x8x!bnn.bipolar> -> tensor<1x4xi32>
  // CHECK: Expected 'weights'
  func.return
}

// -----

func.func @dense_weight_type_without_brackets(%x: tensor<1x8x!bnn.bipolar>) {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:29
  %0 = bnn.dense %x weights !bnn.bipolar dense<0> : tensor<4x1xui64> : tensor<1x8x!bnn.bipolar> -> tensor<1x4xi32>
  // CHECK: Expected '<'
  func.return
}

// -----

func.func @dense_weight_type_unclosed(%x: tensor<1x8x!bnn.bipolar>) {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:42
  %0 = bnn.dense %x weights<!bnn.bipolar dense<0> : tensor<4x1xui64> : tensor<1x8x!bnn.bipolar> -> tensor<1x4xi32>
  // CHECK: Expected '>'
  func.return
}

// -----

func.func @dense_weight_type_missing(%x: tensor<1x8x!bnn.bipolar>) {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:29
  %0 = bnn.dense %x weights<> dense<0> : tensor<4x1xui64> : tensor<1x8x!bnn.bipolar> -> tensor<1x4xi32>
  // CHECK: attribute expected
  func.return
}

// -----

func.func @conv2d_without_weights_keyword(%x: tensor<1x2x5x5x!bnn.bipolar>) {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:22
  %0 = bnn.conv2d %x <!bnn.bipolar> dense<0> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x4x3x3xi32>
  // CHECK: Expected 'weights'
  func.return
}

// -----

func.func @affine_without_bias(%x: tensor<1x3xf32>) {
  // CHECK: {{.*}}.mlir:[[# @LINE + 1]]:55
  %0 = bnn.affine %x scale dense<1.0> : tensor<1xf32> : tensor<1x3xf32> -> tensor<1x3xf32>
  // CHECK: Expected 'bias'
  func.return
}
