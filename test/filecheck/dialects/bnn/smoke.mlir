// RUN: BNNC_ROUNDTRIP
// CHECK: bnn.sign
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4x!bnn.bipolar> {
  %0 = bnn.sign %x : tensor<1x4xf32> -> tensor<1x4x!bnn.bipolar>
  func.return %0 : tensor<1x4x!bnn.bipolar>
}
