func.func @main(%x: tensor<1x2x4x4xui2>) -> tensor<1x2x1x1xui6> {
  %p = bnn.sum_pool %x {kernel = array<i64: 4, 4>, strides = array<i64: 1, 1>} : tensor<1x2x4x4xui2> -> tensor<1x2x1x1xui6>
  func.return %p : tensor<1x2x1x1xui6>
}
