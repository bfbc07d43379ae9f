func.func @main(%x: tensor<1x4xui2>) -> tensor<1x8xui2> {
  %a = bnn.threshold %x by dense<[[1, 2, 3]]> : tensor<1x3xi64> : tensor<1x4xui2> -> tensor<1x4xui2>
  %c = bnn.concat %x, %a : tensor<1x4xui2>, tensor<1x4xui2> -> tensor<1x8xui2>
  func.return %c : tensor<1x8xui2>
}
