// RUN: bnnc-opt %s --split-input-file -p xnor-lowering | filecheck %s

// dot >= T becomes popcount >= ceil((T + K)/2), clipped to [0, K + 1]; K = 4.
// T = 1 -> 3, T = -4 -> 0, T = 5 (never) -> 5, T = -100 -> 0.
// CHECK-LABEL: func.func @threshold_users
// CHECK-NEXT:    %acc = bnn.dense %x weights<!bnn.bipolar> dense<{{\[}}[11], [0], [15], [1]]> : tensor<4x1xui64> {popcount} : tensor<1x4x!bnn.bipolar> -> tensor<1x4xi32>
// CHECK-NEXT:    %y = bnn.threshold %acc by dense<{{\[}}[3], [0], [5], [0]]> : tensor<4x1xi64> : tensor<1x4xi32> -> tensor<1x4x!bnn.bipolar>
func.func @threshold_users(%x: tensor<1x4x!bnn.bipolar>) -> tensor<1x4x!bnn.bipolar> {
  %acc = bnn.dense %x weights<!bnn.bipolar> dense<[[11], [0], [15], [1]]> : tensor<4x1xui64> : tensor<1x4x!bnn.bipolar> -> tensor<1x4xi32>
  %y = bnn.threshold %acc by dense<[[1], [-4], [5], [-100]]> : tensor<4x1xi64> : tensor<1x4xi32> -> tensor<1x4x!bnn.bipolar>
  func.return %y : tensor<1x4x!bnn.bipolar>
}

// -----

// Through a max-pool to the threshold behind it; K = 2x2x1 = 4, T = 0 -> 2.
// CHECK-LABEL: func.func @through_pool
// CHECK:         bnn.conv2d {{.*}} {{\{}}{{.*}}popcount{{.*}}}
// CHECK-NEXT:    bnn.maxpool
// CHECK-NEXT:    bnn.threshold %p by dense<2> : tensor<1x1xi64>
func.func @through_pool(%x: tensor<1x1x3x3x!bnn.bipolar>) -> tensor<1x1x1x1x!bnn.bipolar> {
  %acc = bnn.conv2d %x weights<!bnn.bipolar> dense<[[5]]> : tensor<1x1xui64> {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x1x3x3x!bnn.bipolar> -> tensor<1x1x2x2xi32>
  %p = bnn.maxpool %acc {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x1x2x2xi32> -> tensor<1x1x1x1xi32>
  %y = bnn.threshold %p by dense<0> : tensor<1x1xi64> : tensor<1x1x1x1xi32> -> tensor<1x1x1x1x!bnn.bipolar>
  func.return %y : tensor<1x1x1x1x!bnn.bipolar>
}

// -----

// A real-valued user gets the exact map back (2p - K); a label select needs nothing.
// CHECK-LABEL: func.func @last_layer
// CHECK-NEXT:    %acc = bnn.dense {{.*}} {popcount}
// CHECK-NEXT:    %0 = bnn.affine %acc scale dense<2.000000e+00> : tensor<1xf64> bias dense<-4.000000e+00> : tensor<1xf64> : tensor<1x2xi32> -> tensor<1x2xf32>
// CHECK-NEXT:    %s = bnn.affine %0 scale dense<5.000000e-01>
// CHECK-NEXT:    %i = bnn.topk %acc
func.func @last_layer(%x: tensor<1x4x!bnn.bipolar>) -> (tensor<1x2xf32>, tensor<1x1xi64>) {
  %acc = bnn.dense %x weights<!bnn.bipolar> dense<[[11], [0]]> : tensor<2x1xui64> : tensor<1x4x!bnn.bipolar> -> tensor<1x2xi32>
  %s = bnn.affine %acc scale dense<0.5> : tensor<1xf64> bias dense<1.0> : tensor<1xf64> : tensor<1x2xi32> -> tensor<1x2xf32>
  %i = bnn.topk %acc {k = 1 : i64} : tensor<1x2xi32> -> tensor<1x1xi64>
  func.return %s, %i : tensor<1x2xf32>, tensor<1x1xi64>
}

// -----

// Must not fire: integer inputs with binary weights stay signed sums.
// CHECK-LABEL: func.func @integer_input
// CHECK-NOT:     popcount
func.func @integer_input(%x: tensor<1x4xsi8>) -> tensor<1x2xi32> {
  %acc = bnn.dense %x weights<!bnn.bipolar> dense<[[11], [0]]> : tensor<2x1xui64> : tensor<1x4xsi8> -> tensor<1x2xi32>
  func.return %acc : tensor<1x2xi32>
}
