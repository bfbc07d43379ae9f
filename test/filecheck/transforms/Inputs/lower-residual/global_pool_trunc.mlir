func.func @main(%x: tensor<1x2x4x4xui2>) -> tensor<1x2xui4> {
  %p = bnn.sum_pool %x {kernel = array<i64: 4, 4>, strides = array<i64: 1, 1>} : tensor<1x2x4x4xui2> -> tensor<1x2x1x1xui6>
  %t = bnn.trunc %p {shift = 2 : i64, zero_point = 1 : i64, lo = 0 : i64, hi = 15 : i64, rounding = "half_up"} : tensor<1x2x1x1xui6> -> tensor<1x2x1x1xui4>
  %f = bnn.reshape %t : tensor<1x2x1x1xui4> -> tensor<1x2xui4>
  func.return %f : tensor<1x2xui4>
}
