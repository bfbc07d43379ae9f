// RUN: bnnc-opt %s --split-input-file -p reorder-pooling | filecheck %s

// BNN-PYNQ order (pool, then threshold) becomes the Brevitas order: an OR-pool of bits.
// CHECK-LABEL: func.func @pool_then_threshold
// CHECK-NEXT:    %acc = bnn.conv2d
// CHECK-NEXT:    %y = bnn.threshold %acc by dense<{{\[}}[1], [-1]]> : tensor<2x1xi64> : tensor<1x2x2x2xi32> -> tensor<1x2x2x2x!bnn.bipolar>
// CHECK-NEXT:    %y_1 = bnn.maxpool %y {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x2x2x!bnn.bipolar> -> tensor<1x2x1x1x!bnn.bipolar>
// CHECK-NEXT:    func.return %y_1
func.func @pool_then_threshold(%x: tensor<1x1x3x3x!bnn.bipolar>) -> tensor<1x2x1x1x!bnn.bipolar> {
  %acc = bnn.conv2d %x weights<!bnn.bipolar> dense<[[5], [10]]> : tensor<2x1xui64> {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x1x3x3x!bnn.bipolar> -> tensor<1x2x2x2xi32>
  %p = bnn.maxpool %acc {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x2x2xi32> -> tensor<1x2x1x1xi32>
  %y = bnn.threshold %p by dense<[[1], [-1]]> : tensor<2x1xi64> : tensor<1x2x1x1xi32> -> tensor<1x2x1x1x!bnn.bipolar>
  func.return %y : tensor<1x2x1x1x!bnn.bipolar>
}

// -----

// Must not fire: the pooled integers have another user.
// CHECK-LABEL: func.func @pool_shared
// CHECK-NEXT:    bnn.conv2d
// CHECK-NEXT:    bnn.maxpool
// CHECK-NEXT:    bnn.threshold
func.func @pool_shared(%x: tensor<1x1x3x3x!bnn.bipolar>) -> (tensor<1x1x1x1x!bnn.bipolar>, tensor<1x1x1x1xi32>) {
  %acc = bnn.conv2d %x weights<!bnn.bipolar> dense<[[5]]> : tensor<1x1xui64> {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x1x3x3x!bnn.bipolar> -> tensor<1x1x2x2xi32>
  %p = bnn.maxpool %acc {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x1x2x2xi32> -> tensor<1x1x1x1xi32>
  %y = bnn.threshold %p by dense<0> : tensor<1x1xi64> : tensor<1x1x1x1xi32> -> tensor<1x1x1x1x!bnn.bipolar>
  func.return %y, %p : tensor<1x1x1x1x!bnn.bipolar>, tensor<1x1x1x1xi32>
}

// -----

// Must not fire: a pool of real values before a sign is not a threshold (negative scales).
// CHECK-LABEL: func.func @real_pool
// CHECK-NEXT:    bnn.maxpool
// CHECK-NEXT:    bnn.sign
func.func @real_pool(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x1x1x!bnn.bipolar> {
  %p = bnn.maxpool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x1x2x2xf32> -> tensor<1x1x1x1xf32>
  %y = bnn.sign %p : tensor<1x1x1x1xf32> -> tensor<1x1x1x1x!bnn.bipolar>
  func.return %y : tensor<1x1x1x1x!bnn.bipolar>
}
