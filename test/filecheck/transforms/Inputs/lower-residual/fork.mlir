func.func @main(%x: tensor<1x4xui2>) -> (tensor<1x2xi32>, tensor<1x4xui2>) {
  %a = bnn.threshold %x by dense<[[1, 2, 3]]> : tensor<1x3xi64> : tensor<1x4xui2> -> tensor<1x4xui2>
  %d = bnn.dense %a weights<si2> dense<[[5], [6]]> : tensor<2x1xui64> : tensor<1x4xui2> -> tensor<1x2xi32>
  %b = bnn.threshold %a by dense<[[0, 1, 2]]> : tensor<1x3xi64> : tensor<1x4xui2> -> tensor<1x4xui2>
  func.return %d, %b : tensor<1x2xi32>, tensor<1x4xui2>
}
