// RUN: not bnnc-opt %s -p lower-bnn-to-dataflow 2>&1 | filecheck %s

// Refused: a max-pool of a layer's accumulators in front of a 2-bit threshold (reorder-pooling
// puts the threshold first; the accelerator pools bits and n-bit activations, not accumulators).
// CHECK: bnnc-opt: error: the module is not in hardware form (run the bnn-streamline pipeline first): 'bnn.maxpool' pools accumulators before a threshold, not bits or n-bit activations
func.func @main(%x: tensor<1x1x3x3xsi2>) -> tensor<1x1x1x1xsi2> {
  %acc = bnn.conv2d %x weights<si2> dense<[[77]]> : tensor<1x1xui64> {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x1x3x3xsi2> -> tensor<1x1x2x2xi32>
  %p = bnn.maxpool %acc {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x1x2x2xi32> -> tensor<1x1x1x1xi32>
  %t = bnn.threshold %p by dense<[[-1, 1]]> : tensor<1x2xi64> {offset = -1 : i64} : tensor<1x1x1x1xi32> -> tensor<1x1x1x1xsi2>
  func.return %t : tensor<1x1x1x1xsi2>
}
