// RUN: not bnnc-opt %s -p lower-bnn-to-dataflow 2>&1 | filecheck %s

// Refused before any layer is looked at: a bipolar depthwise layer that xnor-lowering has not
// turned into a popcount is not in hardware form, as for the other bipolar layers.
// CHECK: bnnc-opt: error: the module is not in hardware form (run the bnn-streamline pipeline first): 'bnn.depthwise_conv2d' is a bipolar dot product, not lowered to a popcount
func.func @main(%x: tensor<1x2x4x4x!bnn.bipolar>) -> tensor<1x2x2x2x!bnn.bipolar> {
  %a = bnn.depthwise_conv2d %x weights<!bnn.bipolar> dense<[[5], [6]]> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x4x4x!bnn.bipolar> -> tensor<1x2x2x2xi32>
  %t = bnn.threshold %a by dense<[[1], [-1]]> : tensor<2x1xi64> : tensor<1x2x2x2xi32> -> tensor<1x2x2x2x!bnn.bipolar>
  func.return %t : tensor<1x2x2x2x!bnn.bipolar>
}
