// RUN: bnnc-opt %s -p xnor-lowering | filecheck %s

// A bipolar depthwise layer accumulates popcounts like any bipolar layer: K = kh·kw = 9 (the
// ±1 padding counts as inputs), so `dot ≥ T` becomes `p ≥ ⌈(T + 9)/2⌉`: −3 → 3, 2 → 6.

// CHECK-LABEL: func.func @xnor_depthwise(
// CHECK-NEXT:    %a = bnn.depthwise_conv2d %x weights<!bnn.bipolar> dense<{{\[}}[5], [6]]> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, pad_value = -1 : i64, popcount} : tensor<1x2x4x4x!bnn.bipolar> -> tensor<1x2x4x4xi32>
// CHECK-NEXT:    %t = bnn.threshold %a by dense<{{\[}}[3], [6]]> : tensor<2x1xi64> : tensor<1x2x4x4xi32> -> tensor<1x2x4x4x!bnn.bipolar>
func.func @xnor_depthwise(%x: tensor<1x2x4x4x!bnn.bipolar>) -> tensor<1x2x4x4x!bnn.bipolar> {
  %a = bnn.depthwise_conv2d %x weights<!bnn.bipolar> dense<[[5], [6]]> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, pad_value = -1 : i64} : tensor<1x2x4x4x!bnn.bipolar> -> tensor<1x2x4x4xi32>
  %t = bnn.threshold %a by dense<[[-3], [2]]> : tensor<2x1xi64> : tensor<1x2x4x4xi32> -> tensor<1x2x4x4x!bnn.bipolar>
  func.return %t : tensor<1x2x4x4x!bnn.bipolar>
}

// Binary weights on n-bit inputs keep their signed sums: not touched.
// CHECK-LABEL: func.func @do_not_lower_nbit_depthwise(
// CHECK-NEXT:    %a = bnn.depthwise_conv2d %x weights<!bnn.bipolar> dense<{{\[}}[5], [6]]> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x4x4xui2> -> tensor<1x2x2x2xi32>
func.func @do_not_lower_nbit_depthwise(%x: tensor<1x2x4x4xui2>) -> tensor<1x2x2x2xi32> {
  %a = bnn.depthwise_conv2d %x weights<!bnn.bipolar> dense<[[5], [6]]> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x4x4xui2> -> tensor<1x2x2x2xi32>
  func.return %a : tensor<1x2x2x2xi32>
}
