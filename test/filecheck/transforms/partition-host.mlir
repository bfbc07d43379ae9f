// RUN: bnnc-opt %s -p partition-host | filecheck %s

// Ops that read or produce real values run on the host; bits and integers on the accelerator.
// CHECK-LABEL: func.func @net
// CHECK-NEXT:    %a = bnn.affine %x {{.*}} {bnnc.placement = "host"}
// CHECK-NEXT:    %b = bnn.sign %a {bnnc.placement = "host"}
// CHECK-NEXT:    %acc = bnn.dense %b
// CHECK-NOT:     placement
// CHECK-SAME:    -> tensor<1x2xi32>
// CHECK-NEXT:    %i = bnn.topk %acc {k = 1 : i64} : tensor<1x2xi32>
// CHECK-NEXT:    %s = bnn.affine %acc {{.*}} {bnnc.placement = "host"}
func.func @net(%x: tensor<1x4xf32>) -> (tensor<1x1xi64>, tensor<1x2xf32>) {
  %a = bnn.affine %x scale dense<2.0> : tensor<1xf64> bias dense<-1.0> : tensor<1xf64> : tensor<1x4xf32> -> tensor<1x4xf32>
  %b = bnn.sign %a : tensor<1x4xf32> -> tensor<1x4x!bnn.bipolar>
  %acc = bnn.dense %b weights<!bnn.bipolar> dense<[[11], [0]]> : tensor<2x1xui64> {popcount} : tensor<1x4x!bnn.bipolar> -> tensor<1x2xi32>
  %i = bnn.topk %acc {k = 1 : i64} : tensor<1x2xi32> -> tensor<1x1xi64>
  %s = bnn.affine %acc scale dense<0.5> : tensor<1xf64> bias dense<0.0> : tensor<1xf64> : tensor<1x2xi32> -> tensor<1x2xf32>
  func.return %i, %s : tensor<1x1xi64>, tensor<1x2xf32>
}
