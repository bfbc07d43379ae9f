
// Refused: the module is not in hardware form (an unfused batch norm between layers).
// RUN: not bnnc-opt %s -p lower-bnn-to-dataflow 2>&1 | filecheck %s --check-prefix=ERR
// ERR: bnnc-opt: error: the module is not in hardware form (run the bnn-streamline pipeline first): 'bnn.batchnorm' computes on real values between accelerator layers
func.func @main(%x: tensor<1x4x!bnn.bipolar>) -> tensor<1x2xi32> {
  %a0 = bnn.dense %x weights<!bnn.bipolar> dense<[[11], [0]]> : tensor<2x1xui64> {popcount} : tensor<1x4x!bnn.bipolar> -> tensor<1x2xi32>
  %n = bnn.batchnorm %a0 {gamma = dense<1.0> : tensor<2xf32>, beta = dense<0.0> : tensor<2xf32>, mean = dense<0.0> : tensor<2xf32>, var = dense<1.0> : tensor<2xf32>, epsilon = 0.0 : f64} : tensor<1x2xi32> -> tensor<1x2xf32>
  %t = bnn.sign %n : tensor<1x2xf32> -> tensor<1x2x!bnn.bipolar>
  %a1 = bnn.dense %t weights<!bnn.bipolar> dense<[[1], [2]]> : tensor<2x1xui64> {popcount} : tensor<1x2x!bnn.bipolar> -> tensor<1x2xi32>
  func.return %a1 : tensor<1x2xi32>
}
