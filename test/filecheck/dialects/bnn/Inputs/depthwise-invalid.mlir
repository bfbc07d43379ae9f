// One case per verifier error of `bnn.depthwise_conv2d` (run from ../depthwise.mlir).

func.func @depthwise_rank(%x: tensor<1x18x!bnn.bipolar>) {
  // CHECK: Operation does not verify: expected NCHW tensors of rank 4
  %0 = bnn.depthwise_conv2d %x weights<!bnn.bipolar> dense<0> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x18x!bnn.bipolar> -> tensor<1x2x1x1xi32>
  func.return
}

// -----

func.func @depthwise_channels(%x: tensor<1x2x5x5x!bnn.bipolar>) {
  // CHECK: Operation does not verify: a depthwise convolution keeps the channels: 2 in, 4 out
  %0 = bnn.depthwise_conv2d %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x4x3x3xi32>
  func.return
}

// -----

func.func @depthwise_kernel_values(%x: tensor<1x2x5x5x!bnn.bipolar>) {
  // CHECK: Operation does not verify: kernel must have two values, got [3]
  %0 = bnn.depthwise_conv2d %x weights<!bnn.bipolar> dense<0> : tensor<2x1xui64> {kernel = array<i64: 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x2x3x3xi32>
  func.return
}

// -----

func.func @depthwise_pads(%x: tensor<1x2x5x5x!bnn.bipolar>) {
  // CHECK: Operation does not verify: pads must be four non-negative values (top, left, bottom, right)
  %0 = bnn.depthwise_conv2d %x weights<!bnn.bipolar> dense<0> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, -1, 0, 0>} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x2x3x3xi32>
  func.return
}

// -----

func.func @depthwise_strides_positive(%x: tensor<1x2x5x5x!bnn.bipolar>) {
  // CHECK: Operation does not verify: kernel and strides must be positive
  %0 = bnn.depthwise_conv2d %x weights<!bnn.bipolar> dense<0> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 0, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x2x3x3xi32>
  func.return
}

// -----

func.func @depthwise_kernel_too_large(%x: tensor<1x2x2x2x!bnn.bipolar>) {
  // CHECK: Operation does not verify: a 3x3 kernel does not fit a padded 2x2 input
  %0 = bnn.depthwise_conv2d %x weights<!bnn.bipolar> dense<0> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x2x2x!bnn.bipolar> -> tensor<1x2x1x1xi32>
  func.return
}

// -----

func.func @depthwise_result_shape(%x: tensor<1x2x5x5x!bnn.bipolar>) {
  // CHECK: Operation does not verify: result shape [1, 2, 5, 5] does not match the convolution, expected [1, 2, 3, 3]
  %0 = bnn.depthwise_conv2d %x weights<!bnn.bipolar> dense<0> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x2x5x5xi32>
  func.return
}

// -----

func.func @depthwise_weight_shape(%x: tensor<1x2x5x5x!bnn.bipolar>) {
  // CHECK: Operation does not verify: packed weights have shape [3, 1], expected [2, 1] for 2x9 weights of 1 bit
  %0 = bnn.depthwise_conv2d %x weights<!bnn.bipolar> dense<0> : tensor<3x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x2x3x3xi32>
  func.return
}

// -----

func.func @depthwise_real_input(%x: tensor<1x2x5x5xf32>) {
  // CHECK: Operation does not verify: input must be bipolar or integer, got f32: quantize real inputs first
  %0 = bnn.depthwise_conv2d %x weights<!bnn.bipolar> dense<0> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x5x5xf32> -> tensor<1x2x3x3xi32>
  func.return
}

// -----

func.func @depthwise_unsigned_weights(%x: tensor<1x2x5x5xui4>) {
  // CHECK: Operation does not verify: weights must be bipolar or signed integers of 2 bits or more, got ui4
  %0 = bnn.depthwise_conv2d %x weights<ui4> dense<0> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x5x5xui4> -> tensor<1x2x3x3xi32>
  func.return
}

// -----

func.func @depthwise_popcount_nbit(%x: tensor<1x2x5x5xui4>) {
  // CHECK: Operation does not verify: popcount accumulation needs bipolar inputs and weights
  %0 = bnn.depthwise_conv2d %x weights<si4> dense<0> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, popcount} : tensor<1x2x5x5xui4> -> tensor<1x2x3x3xi32>
  func.return
}

// -----

func.func @depthwise_bipolar_zero_padding(%x: tensor<1x2x3x3x!bnn.bipolar>) {
  // CHECK: Operation does not verify: padding of bipolar data must be +1 or -1, got 0: zero has no binary encoding
  %0 = bnn.depthwise_conv2d %x weights<!bnn.bipolar> dense<0> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x2x3x3x!bnn.bipolar> -> tensor<1x2x3x3xi32>
  func.return
}

// -----

func.func @depthwise_pad_value_range(%x: tensor<1x2x3x3xui4>) {
  // CHECK: Operation does not verify: pad value 16 is outside the range of ui4
  %0 = bnn.depthwise_conv2d %x weights<si4> dense<0> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, pad_value = 16 : i64} : tensor<1x2x3x3xui4> -> tensor<1x2x3x3xi32>
  func.return
}
