func.func @main(%x: tensor<1x4xui6>) -> tensor<1x4xui2> {
  %t = bnn.trunc %x {shift = 4 : i64, lo = 0 : i64, hi = 3 : i64, rounding = "floor"} : tensor<1x4xui6> -> tensor<1x4xui2>
  func.return %t : tensor<1x4xui2>
}
