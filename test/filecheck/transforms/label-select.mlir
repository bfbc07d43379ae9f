// RUN: bnnc-opt %s --split-input-file -p label-select | filecheck %s

// One positive scale and one bias keep the order of the scores: select on the accumulators.
// CHECK-LABEL: func.func @scalar_affine
// CHECK-NEXT:    %i = bnn.topk %acc {k = 1 : i64} : tensor<1x3xi32> -> tensor<1x1xi64>
// CHECK-NEXT:    func.return %i
func.func @scalar_affine(%acc: tensor<1x3xi32>) -> tensor<1x1xi64> {
  %s = bnn.affine %acc scale dense<0.25> : tensor<1xf64> bias dense<-3.0> : tensor<1xf64> : tensor<1x3xi32> -> tensor<1x3xf32>
  %i = bnn.topk %s {k = 1 : i64} : tensor<1x3xf32> -> tensor<1x1xi64>
  func.return %i : tensor<1x1xi64>
}

// -----

// Must not fire: per-class scales can reorder the classes.
// CHECK-LABEL: func.func @per_class_scale
// CHECK-NEXT:    %s = bnn.affine
// CHECK-NEXT:    %i = bnn.topk %s
func.func @per_class_scale(%acc: tensor<1x3xi32>) -> tensor<1x1xi64> {
  %s = bnn.affine %acc scale dense<[1.0, 2.0, 3.0]> : tensor<3xf64> bias dense<0.0> : tensor<1xf64> : tensor<1x3xi32> -> tensor<1x3xf32>
  %i = bnn.topk %s {k = 1 : i64} : tensor<1x3xf32> -> tensor<1x1xi64>
  func.return %i : tensor<1x1xi64>
}

// -----

// Must not fire: a negative scale reverses the order.
// CHECK-LABEL: func.func @negative_scale
// CHECK:         %i = bnn.topk %s
func.func @negative_scale(%acc: tensor<1x3xi32>) -> tensor<1x1xi64> {
  %s = bnn.affine %acc scale dense<-1.0> : tensor<1xf64> bias dense<0.0> : tensor<1xf64> : tensor<1x3xi32> -> tensor<1x3xf32>
  %i = bnn.topk %s {k = 1 : i64} : tensor<1x3xf32> -> tensor<1x1xi64>
  func.return %i : tensor<1x1xi64>
}

// -----

// The scores stay for their other user (reported in the model's units).
// CHECK-LABEL: func.func @scores_kept
// CHECK-NEXT:    %s = bnn.affine %acc
// CHECK-NEXT:    %i = bnn.topk %acc
func.func @scores_kept(%acc: tensor<1x3xi32>) -> (tensor<1x3xf32>, tensor<1x1xi64>) {
  %s = bnn.affine %acc scale dense<2.0> : tensor<1xf64> bias dense<0.0> : tensor<1xf64> : tensor<1x3xi32> -> tensor<1x3xf32>
  %i = bnn.topk %s {k = 1 : i64} : tensor<1x3xf32> -> tensor<1x1xi64>
  func.return %s, %i : tensor<1x3xf32>, tensor<1x1xi64>
}
