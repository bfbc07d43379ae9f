func.func @main(%x: tensor<1x2x4x4xui2>) -> tensor<1x2x2x2xui4> {
  %p = bnn.sum_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x4x4xui2> -> tensor<1x2x2x2xui4>
  func.return %p : tensor<1x2x2x2xui4>
}
