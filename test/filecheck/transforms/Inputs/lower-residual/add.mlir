func.func @main(%x: tensor<1x4xui2>) -> tensor<1x4xui2> {
  %a = bnn.threshold %x by dense<[[1, 2, 3]]> : tensor<1x3xi64> : tensor<1x4xui2> -> tensor<1x4xui2>
  %s = bnn.add %x, %a : tensor<1x4xui2>, tensor<1x4xui2> -> tensor<1x4xui3>
  %y = bnn.threshold %s by dense<[[2, 4, 6]]> : tensor<1x3xi64> : tensor<1x4xui3> -> tensor<1x4xui2>
  func.return %y : tensor<1x4xui2>
}
