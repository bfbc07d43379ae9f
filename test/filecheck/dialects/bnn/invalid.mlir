// RUN: bnnc-opt %s --split-input-file --verify-diagnostics | filecheck %s

// One case per verifier error of the `bnn` ops. Errors of `verify_` are checked with their
// "Operation does not verify:" prefix, which appears once per case; errors of the IRDL
// constraints (operand, result and property kinds) are printed alone.

//===------------------------------------------------------------------------------------===//
// bnn.sign
//===------------------------------------------------------------------------------------===//

func.func @sign_of_bipolar(%x: tensor<1x4x!bnn.bipolar>) {
  // CHECK: Operation does not verify: input is already bipolar
  %0 = bnn.sign %x : tensor<1x4x!bnn.bipolar> -> tensor<1x4x!bnn.bipolar>
  func.return
}

// -----

func.func @sign_shape(%x: tensor<1x4xf32>) {
  // CHECK: Operation does not verify: result shape [1, 5] differs from input shape [1, 4]
  %0 = bnn.sign %x : tensor<1x4xf32> -> tensor<1x5x!bnn.bipolar>
  func.return
}

// -----

func.func @sign_result_not_bipolar(%x: tensor<1x4xf32>) {
  // CHECK: i1 should be of base attribute bnn.bipolar
  %0 = bnn.sign %x : tensor<1x4xf32> -> tensor<1x4xi1>
  func.return
}

//===------------------------------------------------------------------------------------===//
// bnn.quantize
//===------------------------------------------------------------------------------------===//

// -----

func.func @quantize_shape(%x: tensor<1x4xf32>) {
  // CHECK: Operation does not verify: result shape [1, 2, 2] differs from input shape [1, 4]
  %0 = bnn.quantize %x {scale = 1.0 : f64, zero_point = 0.0 : f64, lo = -1 : i64, hi = 1 : i64, rounding = "round"} : tensor<1x4xf32> -> tensor<1x2x2xsi2>
  func.return
}

// -----

func.func @quantize_integer_input(%x: tensor<1x4xsi8>) {
  // CHECK: Operation does not verify: input must be real-valued
  %0 = bnn.quantize %x {scale = 1.0 : f64, zero_point = 0.0 : f64, lo = -1 : i64, hi = 1 : i64, rounding = "round"} : tensor<1x4xsi8> -> tensor<1x4xsi2>
  func.return
}

// -----

func.func @quantize_zero_scale(%x: tensor<1x4xf32>) {
  // CHECK: Operation does not verify: scale must be positive, got 0.0
  %0 = bnn.quantize %x {scale = 0.0 : f64, zero_point = 0.0 : f64, lo = -1 : i64, hi = 1 : i64, rounding = "round"} : tensor<1x4xf32> -> tensor<1x4xsi2>
  func.return
}

// -----

func.func @quantize_negative_scale(%x: tensor<1x4xf32>) {
  // CHECK: Operation does not verify: scale must be positive, got -0.5
  %0 = bnn.quantize %x {scale = -0.5 : f64, zero_point = 0.0 : f64, lo = -1 : i64, hi = 1 : i64, rounding = "round"} : tensor<1x4xf32> -> tensor<1x4xsi2>
  func.return
}

// -----

func.func @quantize_unknown_rounding(%x: tensor<1x4xf32>) {
  // CHECK: Operation does not verify: unknown rounding 'half_up', expected one of ['round', 'floor', 'ceil', 'round_to_zero']
  %0 = bnn.quantize %x {scale = 1.0 : f64, zero_point = 0.0 : f64, lo = -1 : i64, hi = 1 : i64, rounding = "half_up"} : tensor<1x4xf32> -> tensor<1x4xsi2>
  func.return
}

// -----

func.func @quantize_empty_range(%x: tensor<1x4xf32>) {
  // CHECK: Operation does not verify: clamp range [1, 1] must be non-empty and inside [-2, 1] of the result type
  %0 = bnn.quantize %x {scale = 1.0 : f64, zero_point = 0.0 : f64, lo = 1 : i64, hi = 1 : i64, rounding = "round"} : tensor<1x4xf32> -> tensor<1x4xsi2>
  func.return
}

// -----

func.func @quantize_range_outside_unsigned(%x: tensor<1x4xf32>) {
  // CHECK: Operation does not verify: clamp range [-1, 3] must be non-empty and inside [0, 3] of the result type
  %0 = bnn.quantize %x {scale = 1.0 : f64, zero_point = 0.0 : f64, lo = -1 : i64, hi = 3 : i64, rounding = "floor"} : tensor<1x4xf32> -> tensor<1x4xui2>
  func.return
}

// -----

func.func @quantize_range_outside_signed(%x: tensor<1x4xf32>) {
  // CHECK: Operation does not verify: clamp range [-8, 8] must be non-empty and inside [-8, 7] of the result type
  %0 = bnn.quantize %x {scale = 1.0 : f64, zero_point = 0.0 : f64, lo = -8 : i64, hi = 8 : i64, rounding = "ceil"} : tensor<1x4xf32> -> tensor<1x4xi4>
  func.return
}

// -----

func.func @quantize_missing_rounding(%x: tensor<1x4xf32>) {
  // CHECK: property 'rounding' expected in operation 'bnn.quantize'
  %0 = bnn.quantize %x {scale = 1.0 : f64, zero_point = 0.0 : f64, lo = -1 : i64, hi = 1 : i64} : tensor<1x4xf32> -> tensor<1x4xsi2>
  func.return
}

// -----

func.func @quantize_real_result(%x: tensor<1x4xf32>) {
  // CHECK: f32 should be of base attribute integer_type
  %0 = bnn.quantize %x {scale = 1.0 : f64, zero_point = 0.0 : f64, lo = -1 : i64, hi = 1 : i64, rounding = "round"} : tensor<1x4xf32> -> tensor<1x4xf32>
  func.return
}

//===------------------------------------------------------------------------------------===//
// bnn.threshold
//===------------------------------------------------------------------------------------===//

// -----

func.func @threshold_shape(%x: tensor<1x3xi32>) {
  // CHECK: Operation does not verify: result shape [1, 4] differs from input shape [1, 3]
  %0 = bnn.threshold %x by dense<0> : tensor<1x1xi32> : tensor<1x3xi32> -> tensor<1x4x!bnn.bipolar>
  func.return
}

// -----

func.func @threshold_rank_1(%x: tensor<1x3xi32>) {
  // CHECK: Operation does not verify: thresholds must be (channels, steps), got shape [3]
  %0 = bnn.threshold %x by dense<[0, 1, 2]> : tensor<3xi32> : tensor<1x3xi32> -> tensor<1x3xsi4>
  func.return
}

// -----

func.func @threshold_axis_zero(%x: tensor<1x3xi32>) {
  // CHECK: Operation does not verify: channel axis 0 is out of range for rank 2
  %0 = bnn.threshold %x by dense<0> : tensor<1x1xi32> {axis = 0 : i64} : tensor<1x3xi32> -> tensor<1x3x!bnn.bipolar>
  func.return
}

// -----

func.func @threshold_axis_past_rank(%x: tensor<1x3xi32>) {
  // CHECK: Operation does not verify: channel axis 2 is out of range for rank 2
  %0 = bnn.threshold %x by dense<0> : tensor<1x1xi32> {axis = 2 : i64} : tensor<1x3xi32> -> tensor<1x3x!bnn.bipolar>
  func.return
}

// -----

func.func @threshold_channels(%x: tensor<1x3xi32>) {
  // CHECK: Operation does not verify: 'thresholds' has 2 entries, expected 1 or 3 (channels on axis 1)
  %0 = bnn.threshold %x by dense<[[0], [1]]> : tensor<2x1xi32> : tensor<1x3xi32> -> tensor<1x3x!bnn.bipolar>
  func.return
}

// -----

func.func @threshold_real_on_integer(%x: tensor<1x3xi32>) {
  // CHECK: Operation does not verify: thresholds on an integer input must be integers
  %0 = bnn.threshold %x by dense<0.5> : tensor<1x1xf32> : tensor<1x3xi32> -> tensor<1x3x!bnn.bipolar>
  func.return
}

// -----

func.func @threshold_unsorted(%x: tensor<1x2xi32>) {
  // CHECK: Operation does not verify: thresholds must be sorted ascending in each channel
  %0 = bnn.threshold %x by dense<[[0, 1, 2], [3, 5, 4]]> : tensor<2x3xi32> : tensor<1x2xi32> -> tensor<1x2xui2>
  func.return
}

// -----

func.func @threshold_bipolar_two_steps(%x: tensor<1x3xf32>) {
  // CHECK: Operation does not verify: a bipolar result needs exactly one threshold and offset 0
  %0 = bnn.threshold %x by dense<[[0.0, 1.0]]> : tensor<1x2xf32> : tensor<1x3xf32> -> tensor<1x3x!bnn.bipolar>
  func.return
}

// -----

func.func @threshold_bipolar_offset(%x: tensor<1x3xf32>) {
  // CHECK: Operation does not verify: a bipolar result needs exactly one threshold and offset 0
  %0 = bnn.threshold %x by dense<0.0> : tensor<1x1xf32> {offset = -1 : i64} : tensor<1x3xf32> -> tensor<1x3x!bnn.bipolar>
  func.return
}

// -----

// Three steps from offset 0 reach 3, and si2 holds -2..1.
func.func @threshold_too_many_steps(%x: tensor<1x3xi32>) {
  // CHECK: Operation does not verify: outputs 0..3 do not fit the result type si2
  %0 = bnn.threshold %x by dense<[[0, 1, 2]]> : tensor<1x3xi32> : tensor<1x3xi32> -> tensor<1x3xsi2>
  func.return
}

// -----

func.func @threshold_negative_offset_unsigned(%x: tensor<1x3xi32>) {
  // CHECK: Operation does not verify: outputs -1..0 do not fit the result type ui2
  %0 = bnn.threshold %x by dense<0> : tensor<1x1xi32> {offset = -1 : i64} : tensor<1x3xi32> -> tensor<1x3xui2>
  func.return
}

// -----

func.func @threshold_real_result(%x: tensor<1x3xi32>) {
  // CHECK: Operation does not verify: result must be bipolar or integer, got f32
  %0 = bnn.threshold %x by dense<0> : tensor<1x1xi32> : tensor<1x3xi32> -> tensor<1x3xf32>
  func.return
}

//===------------------------------------------------------------------------------------===//
// bnn.dense
//===------------------------------------------------------------------------------------===//

// -----

func.func @dense_rank(%x: tensor<1x2x4x!bnn.bipolar>) {
  // CHECK: Operation does not verify: expected (N, K) -> (N, M) tensors, got [1, 2, 4] -> [1, 4]
  %0 = bnn.dense %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> : tensor<1x2x4x!bnn.bipolar> -> tensor<1x4xi32>
  func.return
}

// -----

func.func @dense_batch(%x: tensor<1x8x!bnn.bipolar>) {
  // CHECK: Operation does not verify: expected (N, K) -> (N, M) tensors, got [1, 8] -> [2, 4]
  %0 = bnn.dense %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> : tensor<1x8x!bnn.bipolar> -> tensor<2x4xi32>
  func.return
}

// -----

func.func @dense_real_input(%x: tensor<1x8xf32>) {
  // CHECK: Operation does not verify: input must be bipolar or integer, got f32: quantize real inputs first
  %0 = bnn.dense %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> : tensor<1x8xf32> -> tensor<1x4xi32>
  func.return
}

// -----

func.func @dense_unsigned_weights(%x: tensor<1x8x!bnn.bipolar>) {
  // CHECK: Operation does not verify: weights must be bipolar or signed integers of 2 bits or more, got ui2
  %0 = bnn.dense %x weights<ui2> dense<0> : tensor<4x1xui64> : tensor<1x8x!bnn.bipolar> -> tensor<1x4xi32>
  func.return
}

// -----

func.func @dense_real_weights(%x: tensor<1x8x!bnn.bipolar>) {
  // CHECK: Operation does not verify: weights must be bipolar or signed integers of 2 bits or more, got f32
  %0 = bnn.dense %x weights<f32> dense<0> : tensor<4x1xui64> : tensor<1x8x!bnn.bipolar> -> tensor<1x4xi32>
  func.return
}

// -----

func.func @dense_weight_rows(%x: tensor<1x8x!bnn.bipolar>) {
  // CHECK: Operation does not verify: packed weights have shape [3, 1], expected [4, 1] for 4x8 weights of 1 bit
  %0 = bnn.dense %x weights<!bnn.bipolar> dense<0> : tensor<3x1xui64> : tensor<1x8x!bnn.bipolar> -> tensor<1x4xi32>
  func.return
}

// -----

// 65 bipolar weights per row need two words.
func.func @dense_weight_words(%x: tensor<1x65x!bnn.bipolar>) {
  // CHECK: Operation does not verify: packed weights have shape [4, 1], expected [4, 2] for 4x65 weights of 1 bit
  %0 = bnn.dense %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> : tensor<1x65x!bnn.bipolar> -> tensor<1x4xi32>
  func.return
}

// -----

// 40 two-bit weights per row need 80 bits: two words, not one.
func.func @dense_nbit_weight_words(%x: tensor<1x40xsi2>) {
  // CHECK: Operation does not verify: packed weights have shape [3, 1], expected [3, 2] for 3x40 weights of 2 bit
  %0 = bnn.dense %x weights<si2> dense<0> : tensor<3x1xui64> : tensor<1x40xsi2> -> tensor<1x3xi32>
  func.return
}

// -----

func.func @dense_real_result(%x: tensor<1x8x!bnn.bipolar>) {
  // CHECK: f32 should be of base attribute integer_type
  %0 = bnn.dense %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> : tensor<1x8x!bnn.bipolar> -> tensor<1x4xf32>
  func.return
}

//===------------------------------------------------------------------------------------===//
// bnn.conv2d
//===------------------------------------------------------------------------------------===//

// -----

func.func @conv2d_rank(%x: tensor<1x18x!bnn.bipolar>) {
  // CHECK: Operation does not verify: expected NCHW tensors of rank 4
  %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x18x!bnn.bipolar> -> tensor<1x4x1x1xi32>
  func.return
}

// -----

func.func @conv2d_kernel_values(%x: tensor<1x2x5x5x!bnn.bipolar>) {
  // CHECK: Operation does not verify: kernel must have two values, got [3]
  %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {kernel = array<i64: 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x4x3x3xi32>
  func.return
}

// -----

// Kernel, strides and pads are dense arrays, not array attributes.
func.func @conv2d_kernel_not_dense_array(%x: tensor<1x2x5x5x!bnn.bipolar>) {
  // CHECK: [3 : i64, 3 : i64] should be of base attribute array
  %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {kernel = [3, 3], strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x4x3x3xi32>
  func.return
}

// -----

func.func @conv2d_strides_values(%x: tensor<1x2x5x5x!bnn.bipolar>) {
  // CHECK: Operation does not verify: strides must have two values, got [1, 1, 1]
  %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x4x3x3xi32>
  func.return
}

// -----

func.func @conv2d_two_pads(%x: tensor<1x2x5x5x!bnn.bipolar>) {
  // CHECK: Operation does not verify: pads must be four non-negative values (top, left, bottom, right)
  %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1>, pad_value = 1 : i64} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x4x5x5xi32>
  func.return
}

// -----

func.func @conv2d_negative_pad(%x: tensor<1x2x5x5x!bnn.bipolar>) {
  // CHECK: Operation does not verify: pads must be four non-negative values (top, left, bottom, right)
  %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, -1>, pad_value = 1 : i64} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x4x5x3xi32>
  func.return
}

// -----

func.func @conv2d_zero_kernel(%x: tensor<1x2x5x5x!bnn.bipolar>) {
  // CHECK: Operation does not verify: kernel and strides must be positive
  %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {kernel = array<i64: 0, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x4x6x3xi32>
  func.return
}

// -----

func.func @conv2d_zero_stride(%x: tensor<1x2x5x5x!bnn.bipolar>) {
  // CHECK: Operation does not verify: kernel and strides must be positive
  %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 0>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x4x3x3xi32>
  func.return
}

// -----

// Pads count: top and left pads make the 1x1 input 2x2, still too small for a 3x3 kernel
// (pads of one on every side would make it fit).
func.func @conv2d_kernel_too_large(%x: tensor<1x2x1x1x!bnn.bipolar>) {
  // CHECK: Operation does not verify: a 3x3 kernel does not fit a padded 1x1 input
  %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 0, 0>, pad_value = 1 : i64} : tensor<1x2x1x1x!bnn.bipolar> -> tensor<1x4x1x1xi32>
  func.return
}

// -----

func.func @conv2d_result_shape(%x: tensor<1x2x5x5x!bnn.bipolar>) {
  // CHECK: Operation does not verify: result shape [1, 4, 3, 3] does not match the convolution, expected [1, 4, 2, 2]
  %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x4x3x3xi32>
  func.return
}

// -----

func.func @conv2d_batch(%x: tensor<1x2x5x5x!bnn.bipolar>) {
  // CHECK: Operation does not verify: result shape [2, 4, 3, 3] does not match the convolution, expected [1, 4, 3, 3]
  %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<2x4x3x3xi32>
  func.return
}

// -----

func.func @conv2d_real_input(%x: tensor<1x2x5x5xf32>) {
  // CHECK: Operation does not verify: input must be bipolar or integer, got f32: quantize real inputs first
  %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x5x5xf32> -> tensor<1x4x3x3xi32>
  func.return
}

// -----

// The reduction is kh·kw·C = 3·3·8 = 72 bits: two words per output channel.
func.func @conv2d_weight_words(%x: tensor<1x8x5x5x!bnn.bipolar>) {
  // CHECK: Operation does not verify: packed weights have shape [4, 1], expected [4, 2] for 4x72 weights of 1 bit
  %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x8x5x5x!bnn.bipolar> -> tensor<1x4x3x3xi32>
  func.return
}

// -----

func.func @conv2d_unsigned_weights(%x: tensor<1x2x5x5xsi4>) {
  // CHECK: Operation does not verify: weights must be bipolar or signed integers of 2 bits or more, got ui4
  %0 = bnn.conv2d %x weights<ui4> dense<0> : tensor<4x2xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x5x5xsi4> -> tensor<1x4x3x3xi32>
  func.return
}

// -----

// The default pad value 0 has no bipolar encoding.
func.func @conv2d_bipolar_zero_padding(%x: tensor<1x2x5x5x!bnn.bipolar>) {
  // CHECK: Operation does not verify: padding of bipolar data must be +1 or -1, got 0: zero has no binary encoding
  %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x4x5x5xi32>
  func.return
}

// -----

func.func @conv2d_bipolar_padding_two(%x: tensor<1x2x5x5x!bnn.bipolar>) {
  // CHECK: Operation does not verify: padding of bipolar data must be +1 or -1, got 2: zero has no binary encoding
  %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 1, 0>, pad_value = 2 : i64} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x4x4x3xi32>
  func.return
}

// -----

func.func @conv2d_pad_above_signed_range(%x: tensor<1x2x5x5xsi4>) {
  // CHECK: Operation does not verify: pad value 8 is outside the range of si4
  %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, pad_value = 8 : i64} : tensor<1x2x5x5xsi4> -> tensor<1x4x5x5xi32>
  func.return
}

// -----

func.func @conv2d_pad_below_unsigned_range(%x: tensor<1x2x5x5xui2>) {
  // CHECK: Operation does not verify: pad value -1 is outside the range of ui2
  %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, pad_value = -1 : i64} : tensor<1x2x5x5xui2> -> tensor<1x4x5x5xi32>
  func.return
}

//===------------------------------------------------------------------------------------===//
// bnn.batchnorm
//===------------------------------------------------------------------------------------===//

// -----

func.func @batchnorm_shape(%x: tensor<1x2xf32>) {
  // CHECK: Operation does not verify: result shape [1, 2, 1] differs from input shape [1, 2]
  %0 = bnn.batchnorm %x {gamma = dense<1.0> : tensor<1xf32>, beta = dense<0.0> : tensor<1xf32>, mean = dense<0.0> : tensor<1xf32>, var = dense<1.0> : tensor<1xf32>, epsilon = 1.0e-05 : f64} : tensor<1x2xf32> -> tensor<1x2x1xf32>
  func.return
}

// -----

func.func @batchnorm_integer_result(%x: tensor<1x2xi32>) {
  // CHECK: Operation does not verify: the result must be real-valued
  %0 = bnn.batchnorm %x {gamma = dense<1.0> : tensor<1xf32>, beta = dense<0.0> : tensor<1xf32>, mean = dense<0.0> : tensor<1xf32>, var = dense<1.0> : tensor<1xf32>, epsilon = 1.0e-05 : f64} : tensor<1x2xi32> -> tensor<1x2xi32>
  func.return
}

// -----

func.func @batchnorm_axis(%x: tensor<1x2x4x4xf32>) {
  // CHECK: Operation does not verify: channel axis 4 is out of range for rank 4
  %0 = bnn.batchnorm %x {gamma = dense<1.0> : tensor<1xf32>, beta = dense<0.0> : tensor<1xf32>, mean = dense<0.0> : tensor<1xf32>, var = dense<1.0> : tensor<1xf32>, epsilon = 1.0e-05 : f64, axis = 4 : i64} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32>
  func.return
}

// -----

func.func @batchnorm_channels(%x: tensor<1x2x4x4xf32>) {
  // CHECK: Operation does not verify: 'beta' has 3 entries, expected 1 or 2 (channels on axis 1)
  %0 = bnn.batchnorm %x {gamma = dense<[1.0, 2.0]> : tensor<2xf32>, beta = dense<0.0> : tensor<3xf32>, mean = dense<0.0> : tensor<1xf32>, var = dense<1.0> : tensor<1xf32>, epsilon = 1.0e-05 : f64} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32>
  func.return
}

// -----

// Channels are counted on `axis`: 4 entries fit axis 2, not the 2 channels on axis 1.
func.func @batchnorm_channels_on_axis(%x: tensor<1x2x4x4xf32>) {
  // CHECK: Operation does not verify: 'var' has 4 entries, expected 1 or 2 (channels on axis 1)
  %0 = bnn.batchnorm %x {gamma = dense<1.0> : tensor<1xf32>, beta = dense<0.0> : tensor<1xf32>, mean = dense<0.0> : tensor<1xf32>, var = dense<1.0> : tensor<4xf32>, epsilon = 1.0e-05 : f64} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32>
  func.return
}

// -----

// A NaN written as its bytes (little-endian 0x7FC00000): xDSL reads `dense<0x7FC00000>` as
// the integer 2143289344, not as a bit pattern.
func.func @batchnorm_nan_gamma(%x: tensor<1x2xf32>) {
  // CHECK: Operation does not verify: 'gamma' holds NaN or Inf
  %0 = bnn.batchnorm %x {gamma = dense<"0x0000C07F"> : tensor<1xf32>, beta = dense<0.0> : tensor<1xf32>, mean = dense<0.0> : tensor<1xf32>, var = dense<1.0> : tensor<1xf32>, epsilon = 1.0e-05 : f64} : tensor<1x2xf32> -> tensor<1x2xf32>
  func.return
}

// -----

// +Inf in the second channel of `mean`.
func.func @batchnorm_inf_mean(%x: tensor<1x2xf32>) {
  // CHECK: Operation does not verify: 'mean' holds NaN or Inf
  %0 = bnn.batchnorm %x {gamma = dense<1.0> : tensor<1xf32>, beta = dense<0.0> : tensor<1xf32>, mean = dense<"0x000000000000807F"> : tensor<2xf32>, var = dense<1.0> : tensor<1xf32>, epsilon = 1.0e-05 : f64} : tensor<1x2xf32> -> tensor<1x2xf32>
  func.return
}

// -----

func.func @batchnorm_var_epsilon(%x: tensor<1x2xf32>) {
  // CHECK: Operation does not verify: var + epsilon must be positive
  %0 = bnn.batchnorm %x {gamma = dense<1.0> : tensor<1xf32>, beta = dense<0.0> : tensor<1xf32>, mean = dense<0.0> : tensor<1xf32>, var = dense<[1.0, 0.0]> : tensor<2xf32>, epsilon = 0.0 : f64} : tensor<1x2xf32> -> tensor<1x2xf32>
  func.return
}

// -----

func.func @batchnorm_missing_epsilon(%x: tensor<1x2xf32>) {
  // CHECK: property 'epsilon' expected in operation 'bnn.batchnorm'
  %0 = bnn.batchnorm %x {gamma = dense<1.0> : tensor<1xf32>, beta = dense<0.0> : tensor<1xf32>, mean = dense<0.0> : tensor<1xf32>, var = dense<1.0> : tensor<1xf32>} : tensor<1x2xf32> -> tensor<1x2xf32>
  func.return
}

//===------------------------------------------------------------------------------------===//
// bnn.affine
//===------------------------------------------------------------------------------------===//

// -----

func.func @affine_shape(%x: tensor<1x3xi32>) {
  // CHECK: Operation does not verify: result shape [3] differs from input shape [1, 3]
  %0 = bnn.affine %x scale dense<1.0> : tensor<1xf64> bias dense<0.0> : tensor<1xf64> : tensor<1x3xi32> -> tensor<3xf32>
  func.return
}

// -----

func.func @affine_integer_result(%x: tensor<1x3xi32>) {
  // CHECK: Operation does not verify: the result must be real-valued
  %0 = bnn.affine %x scale dense<1.0> : tensor<1xf64> bias dense<0.0> : tensor<1xf64> : tensor<1x3xi32> -> tensor<1x3xi32>
  func.return
}

// -----

func.func @affine_batch_axis(%x: tensor<1x3xf32>) {
  // CHECK: Operation does not verify: channel axis 0 is out of range for rank 2
  %0 = bnn.affine %x scale dense<1.0> : tensor<1xf64> bias dense<0.0> : tensor<1xf64> {axis = 0 : i64} : tensor<1x3xf32> -> tensor<1x3xf32>
  func.return
}

// -----

func.func @affine_scale_channels(%x: tensor<1x3xf32>) {
  // CHECK: Operation does not verify: 'scale' has 2 entries, expected 1 or 3 (channels on axis 1)
  %0 = bnn.affine %x scale dense<[1.0, 2.0]> : tensor<2xf64> bias dense<0.0> : tensor<1xf64> : tensor<1x3xf32> -> tensor<1x3xf32>
  func.return
}

// -----

func.func @affine_bias_channels_on_axis(%x: tensor<1x2x3xf32>) {
  // CHECK: Operation does not verify: 'bias' has 2 entries, expected 1 or 3 (channels on axis 2)
  %0 = bnn.affine %x scale dense<1.0> : tensor<1xf64> bias dense<[1.0, 2.0]> : tensor<2xf64> {axis = 2 : i64} : tensor<1x2x3xf32> -> tensor<1x2x3xf32>
  func.return
}

// -----

// -Inf (0xFFF0000000000000) as the bytes of an f64.
func.func @affine_inf_scale(%x: tensor<1x3xf32>) {
  // CHECK: Operation does not verify: 'scale' holds NaN or Inf
  %0 = bnn.affine %x scale dense<"0x000000000000F0FF"> : tensor<1xf64> bias dense<0.0> : tensor<1xf64> : tensor<1x3xf32> -> tensor<1x3xf32>
  func.return
}

// -----

func.func @affine_nan_bias(%x: tensor<1x3xf32>) {
  // CHECK: Operation does not verify: 'bias' holds NaN or Inf
  %0 = bnn.affine %x scale dense<1.0> : tensor<1xf64> bias dense<"0x0000C07F"> : tensor<1xf32> : tensor<1x3xf32> -> tensor<1x3xf32>
  func.return
}

//===------------------------------------------------------------------------------------===//
// bnn.maxpool
//===------------------------------------------------------------------------------------===//

// -----

func.func @maxpool_rank(%x: tensor<1x2x4x!bnn.bipolar>) {
  // CHECK: Operation does not verify: expected an NCHW tensor of rank 4
  %0 = bnn.maxpool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x4x!bnn.bipolar> -> tensor<1x2x2x!bnn.bipolar>
  func.return
}

// -----

func.func @maxpool_element_type(%x: tensor<1x2x4x4xsi4>) {
  // CHECK: Operation does not verify: input and result element types differ
  %0 = bnn.maxpool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x4x4xsi4> -> tensor<1x2x2x2xsi8>
  func.return
}

// -----

func.func @maxpool_kernel_values(%x: tensor<1x2x4x4x!bnn.bipolar>) {
  // CHECK: Operation does not verify: kernel must have two values, got [2, 2, 2]
  %0 = bnn.maxpool %x {kernel = array<i64: 2, 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x4x4x!bnn.bipolar> -> tensor<1x2x2x2x!bnn.bipolar>
  func.return
}

// -----

func.func @maxpool_strides_values(%x: tensor<1x2x4x4x!bnn.bipolar>) {
  // CHECK: Operation does not verify: strides must have two values, got []
  %0 = bnn.maxpool %x {kernel = array<i64: 2, 2>, strides = array<i64>} : tensor<1x2x4x4x!bnn.bipolar> -> tensor<1x2x2x2x!bnn.bipolar>
  func.return
}

// -----

// (5 - 2) / 2 + 1 = 2: the last row and column are dropped.
func.func @maxpool_result_shape(%x: tensor<1x2x5x5x!bnn.bipolar>) {
  // CHECK: Operation does not verify: result shape [1, 2, 3, 3] does not match a 2x2 pool with strides 2x2 of [1, 2, 5, 5]
  %0 = bnn.maxpool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x2x3x3x!bnn.bipolar>
  func.return
}

// -----

func.func @maxpool_channels(%x: tensor<1x2x4x4xf32>) {
  // CHECK: Operation does not verify: result shape [1, 4, 2, 2] does not match a 2x2 pool with strides 2x2 of [1, 2, 4, 4]
  %0 = bnn.maxpool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x4x4xf32> -> tensor<1x4x2x2xf32>
  func.return
}

// -----

// A window wider than the input.
func.func @maxpool_kernel_too_large(%x: tensor<1x2x4x2xsi4>) {
  // CHECK: Operation does not verify: a 3x3 window does not fit a 4x2 input
  %0 = bnn.maxpool %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>} : tensor<1x2x4x2xsi4> -> tensor<1x2x2x0xsi4>
  func.return
}

//===------------------------------------------------------------------------------------===//
// bnn.reshape
//===------------------------------------------------------------------------------------===//

// -----

func.func @reshape_element_type(%x: tensor<1x2x2x!bnn.bipolar>) {
  // CHECK: Operation does not verify: input and result element types differ
  %0 = bnn.reshape %x : tensor<1x2x2x!bnn.bipolar> -> tensor<1x4xi1>
  func.return
}

// -----

func.func @reshape_elements(%x: tensor<1x2x3xf32>) {
  // CHECK: Operation does not verify: cannot reshape [1, 2, 3] (6 elements) to [1, 4] (4 elements)
  %0 = bnn.reshape %x : tensor<1x2x3xf32> -> tensor<1x4xf32>
  func.return
}

// -----

func.func @reshape_moves_batch(%x: tensor<1x4xf32>) {
  // CHECK: Operation does not verify: the batch dimension must stay first
  %0 = bnn.reshape %x : tensor<1x4xf32> -> tensor<2x2xf32>
  func.return
}

// -----

func.func @reshape_drops_batch(%x: tensor<1x1xf32>) {
  // CHECK: Operation does not verify: the batch dimension must stay first
  %0 = bnn.reshape %x : tensor<1x1xf32> -> tensor<f32>
  func.return
}

//===------------------------------------------------------------------------------------===//
// bnn.transpose, in the generic syntax: see transpose.mlir.
//===------------------------------------------------------------------------------------===//

// -----

func.func @transpose_short_perm(%x: tensor<1x2x3xf32>) {
  // CHECK: Operation does not verify: perm [0, 1] is not a permutation of rank 3
  %0 = "bnn.transpose"(%x) <{perm = array<i64: 0, 1>}> : (tensor<1x2x3xf32>) -> tensor<1x2x3xf32>
  func.return
}

// -----

func.func @transpose_repeated_dim(%x: tensor<1x2x3xf32>) {
  // CHECK: Operation does not verify: perm [0, 2, 2] is not a permutation of rank 3
  %0 = "bnn.transpose"(%x) <{perm = array<i64: 0, 2, 2>}> : (tensor<1x2x3xf32>) -> tensor<1x3x3xf32>
  func.return
}

// -----

func.func @transpose_moves_batch(%x: tensor<1x2x3xf32>) {
  // CHECK: Operation does not verify: the batch dimension must stay first
  %0 = "bnn.transpose"(%x) <{perm = array<i64: 1, 0, 2>}> : (tensor<1x2x3xf32>) -> tensor<2x1x3xf32>
  func.return
}

// -----

func.func @transpose_result_shape(%x: tensor<1x2x3x4xf32>) {
  // CHECK: Operation does not verify: result shape [1, 2, 4, 3] is not [1, 2, 3, 4] permuted by [0, 2, 3, 1]
  %0 = "bnn.transpose"(%x) <{perm = array<i64: 0, 2, 3, 1>}> : (tensor<1x2x3x4xf32>) -> tensor<1x2x4x3xf32>
  func.return
}

// -----

func.func @transpose_element_type(%x: tensor<1x2x3x!bnn.bipolar>) {
  // CHECK: Operation does not verify: input and result element types differ
  %0 = "bnn.transpose"(%x) <{perm = array<i64: 0, 2, 1>}> : (tensor<1x2x3x!bnn.bipolar>) -> tensor<1x3x2xi1>
  func.return
}

//===------------------------------------------------------------------------------------===//
// bnn.topk
//===------------------------------------------------------------------------------------===//

// -----

func.func @topk_zero(%x: tensor<1x10xf32>) {
  // CHECK: Operation does not verify: k = 0 must be between 1 and 10
  %0 = bnn.topk %x {k = 0 : i64} : tensor<1x10xf32> -> tensor<1x0xi64>
  func.return
}

// -----

func.func @topk_too_many(%x: tensor<1x10xi32>) {
  // CHECK: Operation does not verify: k = 11 must be between 1 and 10
  %0 = bnn.topk %x {k = 11 : i64} : tensor<1x10xi32> -> tensor<1x11xi64>
  func.return
}

// -----

func.func @topk_result_shape(%x: tensor<1x10xf32>) {
  // CHECK: Operation does not verify: result shape must be [1, 3]
  %0 = bnn.topk %x {k = 3 : i64} : tensor<1x10xf32> -> tensor<1x1xi64>
  func.return
}

// -----

func.func @topk_bipolar(%x: tensor<1x10x!bnn.bipolar>) {
  // CHECK: Operation does not verify: label select needs integer or real scores
  %0 = bnn.topk %x {k = 1 : i64} : tensor<1x10x!bnn.bipolar> -> tensor<1x1xi64>
  func.return
}

// -----

func.func @topk_real_result(%x: tensor<1x10xf32>) {
  // CHECK: f32 should be of base attribute integer_type
  %0 = bnn.topk %x {k = 1 : i64} : tensor<1x10xf32> -> tensor<1x1xf32>
  func.return
}

// -----

func.func @maxpool_zero_strides(%x: tensor<1x2x4x4xf32>) {
  // CHECK: Operation does not verify: kernel and strides must be positive
  %0 = bnn.maxpool %x {kernel = array<i64: 2, 2>, strides = array<i64: 0, 0>} : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>
  func.return
}

// -----

func.func @weights_not_words(%x: tensor<1x4x!bnn.bipolar>) {
  // CHECK: Operation does not verify: packed weights must be 64-bit words (ui64), got i32
  %0 = bnn.dense %x weights<!bnn.bipolar> dense<0> : tensor<4x1xi32> : tensor<1x4x!bnn.bipolar> -> tensor<1x4xi32>
  func.return
}

// -----

func.func @popcount_needs_bipolar(%x: tensor<1x4xsi8>) {
  // CHECK: Operation does not verify: popcount accumulation needs bipolar inputs and weights
  %0 = bnn.dense %x weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {popcount} : tensor<1x4xsi8> -> tensor<1x4xi32>
  func.return
}

// -----

func.func @per_channel_rank(%x: tensor<1x2xf32>) {
  // CHECK: Operation does not verify: 'scale' must have rank 1, got shape [2, 1]
  %0 = bnn.affine %x scale dense<1.0> : tensor<2x1xf64> bias dense<0.0> : tensor<1xf64> : tensor<1x2xf32> -> tensor<1x2xf32>
  func.return
}

// -----

func.func @nan_threshold(%x: tensor<1x2xf32>) {
  // CHECK: Operation does not verify: 'thresholds' holds NaN or Inf
  %0 = bnn.threshold %x by dense<"0x000000000000F87F"> : tensor<1x1xf64> : tensor<1x2xf32> -> tensor<1x2x!bnn.bipolar>
  func.return
}

// -----

func.func @nan_quantize_scale(%x: tensor<1x2xf32>) {
  // CHECK: Operation does not verify: 'scale' holds NaN or Inf
  %0 = bnn.quantize %x {scale = 0x7FF8000000000000 : f64, zero_point = 0.0 : f64, lo = -1 : i64, hi = 1 : i64, rounding = "round"} : tensor<1x2xf32> -> tensor<1x2xsi2>
  func.return
}

// -----

func.func @rank0_reshape(%x: tensor<f32>) {
  // CHECK: Operation does not verify: tensors need a batch dimension (rank 1 or more)
  %0 = bnn.reshape %x : tensor<f32> -> tensor<1xf32>
  func.return
}
