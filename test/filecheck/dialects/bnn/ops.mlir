// RUN: BNNC_ROUNDTRIP
// RUN: BNNC_GENERIC_ROUNDTRIP

// Round trip of every `bnn` op in every form: the custom syntax is parsed, printed and parsed
// again (the second RUN line goes through the generic syntax first), and each line is checked
// exactly. Properties equal to their default (threshold `offset = 0`, `axis = 1`, conv2d
// `pad_value = 0`) are not printed. `bnn.transpose` is in transpose.mlir and
// transpose-generic.mlir.

// CHECK-LABEL: func.func @sign_real(%x: tensor<1x4xf32>) -> tensor<1x4x!bnn.bipolar> {
// CHECK-NEXT:    %0 = bnn.sign %x : tensor<1x4xf32> -> tensor<1x4x!bnn.bipolar>{{$}}
// CHECK-NEXT:    func.return %0 : tensor<1x4x!bnn.bipolar>
func.func @sign_real(%x: tensor<1x4xf32>) -> tensor<1x4x!bnn.bipolar> {
  %0 = bnn.sign %x : tensor<1x4xf32> -> tensor<1x4x!bnn.bipolar>
  func.return %0 : tensor<1x4x!bnn.bipolar>
}

// CHECK-LABEL: func.func @sign_integer(%x: tensor<1x2x3x3xi32>) -> tensor<1x2x3x3x!bnn.bipolar> {
// CHECK-NEXT:    %0 = bnn.sign %x : tensor<1x2x3x3xi32> -> tensor<1x2x3x3x!bnn.bipolar>{{$}}
// CHECK-NEXT:    func.return %0 : tensor<1x2x3x3x!bnn.bipolar>
func.func @sign_integer(%x: tensor<1x2x3x3xi32>) -> tensor<1x2x3x3x!bnn.bipolar> {
  %0 = bnn.sign %x : tensor<1x2x3x3xi32> -> tensor<1x2x3x3x!bnn.bipolar>
  func.return %0 : tensor<1x2x3x3x!bnn.bipolar>
}

// One quantizer per rounding mode, on signed, unsigned and signless results; a narrow signed
// range (-127..127) and a zero point.
// CHECK-LABEL: func.func @quantize(%x: tensor<1x8xf32>) {
// CHECK-NEXT:    %0 = bnn.quantize %x {scale = 5.000000e-01 : f64, zero_point = 0.000000e+00 : f64, lo = -127 : i64, hi = 127 : i64, rounding = "round"} : tensor<1x8xf32> -> tensor<1x8xsi8>{{$}}
// CHECK-NEXT:    %1 = bnn.quantize %x {scale = 2.500000e-01 : f64, zero_point = 1.000000e+00 : f64, lo = 0 : i64, hi = 3 : i64, rounding = "floor"} : tensor<1x8xf32> -> tensor<1x8xui2>{{$}}
// CHECK-NEXT:    %2 = bnn.quantize %x {scale = 1.000000e+00 : f64, zero_point = 0.000000e+00 : f64, lo = -1 : i64, hi = 1 : i64, rounding = "ceil"} : tensor<1x8xf32> -> tensor<1x8xsi2>{{$}}
// CHECK-NEXT:    %3 = bnn.quantize %x {scale = 2.000000e+00 : f64, zero_point = -5.000000e-01 : f64, lo = -8 : i64, hi = 7 : i64, rounding = "round_to_zero"} : tensor<1x8xf32> -> tensor<1x8xi4>{{$}}
// CHECK-NEXT:    func.return
func.func @quantize(%x: tensor<1x8xf32>) {
  %0 = bnn.quantize %x {scale = 0.5 : f64, zero_point = 0.0 : f64, lo = -127 : i64, hi = 127 : i64, rounding = "round"} : tensor<1x8xf32> -> tensor<1x8xsi8>
  %1 = bnn.quantize %x {scale = 0.25 : f64, zero_point = 1.0 : f64, lo = 0 : i64, hi = 3 : i64, rounding = "floor"} : tensor<1x8xf32> -> tensor<1x8xui2>
  %2 = bnn.quantize %x {scale = 1.0 : f64, zero_point = 0.0 : f64, lo = -1 : i64, hi = 1 : i64, rounding = "ceil"} : tensor<1x8xf32> -> tensor<1x8xsi2>
  %3 = bnn.quantize %x {scale = 2.0 : f64, zero_point = -0.5 : f64, lo = -8 : i64, hi = 7 : i64, rounding = "round_to_zero"} : tensor<1x8xf32> -> tensor<1x8xi4>
  func.return
}

// One integer threshold per channel, bipolar result.
// CHECK-LABEL: func.func @threshold_bipolar(%x: tensor<1x3xi32>) -> tensor<1x3x!bnn.bipolar> {
// CHECK-NEXT:    %0 = bnn.threshold %x by dense<[[0], [1], [-2]]> : tensor<3x1xi32> : tensor<1x3xi32> -> tensor<1x3x!bnn.bipolar>{{$}}
// CHECK-NEXT:    func.return %0
func.func @threshold_bipolar(%x: tensor<1x3xi32>) -> tensor<1x3x!bnn.bipolar> {
  %0 = bnn.threshold %x by dense<[[0], [1], [-2]]> : tensor<3x1xi32> : tensor<1x3xi32> -> tensor<1x3x!bnn.bipolar>
  func.return %0 : tensor<1x3x!bnn.bipolar>
}

// Three steps shared by all channels, offset -2: outputs -2..1 in a signed 3-bit result.
// CHECK-LABEL: func.func @threshold_offset(%x: tensor<1x3xi32>) -> tensor<1x3xsi3> {
// CHECK-NEXT:    %0 = bnn.threshold %x by dense<[[-1, 0, 2]]> : tensor<1x3xi64> {offset = -2 : i64} : tensor<1x3xi32> -> tensor<1x3xsi3>{{$}}
// CHECK-NEXT:    func.return %0
func.func @threshold_offset(%x: tensor<1x3xi32>) -> tensor<1x3xsi3> {
  %0 = bnn.threshold %x by dense<[[-1, 0, 2]]> : tensor<1x3xi64> {offset = -2 : i64} : tensor<1x3xi32> -> tensor<1x3xsi3>
  func.return %0 : tensor<1x3xsi3>
}

// Real thresholds on a real input, two steps per channel, the default offset written out.
// CHECK-LABEL: func.func @threshold_real(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xui2> {
// CHECK-NEXT:    %0 = bnn.threshold %x by dense<[[-5.000000e-01, 5.000000e-01], [0.000000e+00, 1.000000e+00]]> : tensor<2x2xf32> : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xui2>{{$}}
// CHECK-NEXT:    func.return %0
func.func @threshold_real(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xui2> {
  %0 = bnn.threshold %x by dense<[[-0.5, 0.5], [0.0, 1.0]]> : tensor<2x2xf32> {offset = 0 : i64} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xui2>
  func.return %0 : tensor<1x2x4x4xui2>
}

// Channels on the last axis (NHWC-like), one threshold each.
// CHECK-LABEL: func.func @threshold_axis(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4x!bnn.bipolar> {
// CHECK-NEXT:    %0 = bnn.threshold %x by dense<[[0.000000e+00], [1.000000e+00], [2.000000e+00], [3.000000e+00]]> : tensor<4x1xf64> {axis = 3 : i64} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!bnn.bipolar>{{$}}
// CHECK-NEXT:    func.return %0
func.func @threshold_axis(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4x!bnn.bipolar> {
  %0 = bnn.threshold %x by dense<[[0.0], [1.0], [2.0], [3.0]]> : tensor<4x1xf64> {axis = 3 : i64} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!bnn.bipolar>
  func.return %0 : tensor<1x2x4x4x!bnn.bipolar>
}

// 4 rows of 8 bipolar weights: one ui64 word per row, all 64 bits of a word round-trip.
// CHECK-LABEL: func.func @dense_bipolar(%x: tensor<1x8x!bnn.bipolar>) -> tensor<1x4xi32> {
// CHECK-NEXT:    %0 = bnn.dense %x weights<!bnn.bipolar> dense<[[255], [0], [18446744073709551615], [170]]> : tensor<4x1xui64> : tensor<1x8x!bnn.bipolar> -> tensor<1x4xi32>{{$}}
// CHECK-NEXT:    func.return %0
func.func @dense_bipolar(%x: tensor<1x8x!bnn.bipolar>) -> tensor<1x4xi32> {
  %0 = bnn.dense %x weights<!bnn.bipolar> dense<[[255], [0], [18446744073709551615], [170]]> : tensor<4x1xui64> : tensor<1x8x!bnn.bipolar> -> tensor<1x4xi32>
  func.return %0 : tensor<1x4xi32>
}

// Bipolar weights on a quantized integer input (the first layer of a w1a8 network).
// CHECK-LABEL: func.func @dense_integer_input(%x: tensor<1x8xsi8>) -> tensor<1x2xi32> {
// CHECK-NEXT:    %0 = bnn.dense %x weights<!bnn.bipolar> dense<0> : tensor<2x1xui64> : tensor<1x8xsi8> -> tensor<1x2xi32>{{$}}
// CHECK-NEXT:    func.return %0
func.func @dense_integer_input(%x: tensor<1x8xsi8>) -> tensor<1x2xi32> {
  %0 = bnn.dense %x weights<!bnn.bipolar> dense<0> : tensor<2x1xui64> : tensor<1x8xsi8> -> tensor<1x2xi32>
  func.return %0 : tensor<1x2xi32>
}

// 3 rows of 40 two-bit weights: 80 bits, two words per row.
// CHECK-LABEL: func.func @dense_nbit_weights(%x: tensor<1x40xsi2>) -> tensor<1x3xi32> {
// CHECK-NEXT:    %0 = bnn.dense %x weights<si2> dense<[[1, 2], [3, 4], [5, 6]]> : tensor<3x2xui64> : tensor<1x40xsi2> -> tensor<1x3xi32>{{$}}
// CHECK-NEXT:    func.return %0
func.func @dense_nbit_weights(%x: tensor<1x40xsi2>) -> tensor<1x3xi32> {
  %0 = bnn.dense %x weights<si2> dense<[[1, 2], [3, 4], [5, 6]]> : tensor<3x2xui64> : tensor<1x40xsi2> -> tensor<1x3xi32>
  func.return %0 : tensor<1x3xi32>
}

// A 3x3 kernel on 2 channels reduces 18 bits: one word per output channel. Without padding the
// default pad_value is not printed.
// CHECK-LABEL: func.func @conv2d_valid(%x: tensor<1x2x5x5x!bnn.bipolar>) -> tensor<1x4x3x3xi32> {
// CHECK-NEXT:    %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<[[1], [2], [3], [4]]> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x4x3x3xi32>{{$}}
// CHECK-NEXT:    func.return %0
func.func @conv2d_valid(%x: tensor<1x2x5x5x!bnn.bipolar>) -> tensor<1x4x3x3xi32> {
  %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<[[1], [2], [3], [4]]> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x4x3x3xi32>
  func.return %0 : tensor<1x4x3x3xi32>
}

// "Same" padding of bipolar data with -1.
// CHECK-LABEL: func.func @conv2d_pad_minus_one(%x: tensor<1x2x5x5x!bnn.bipolar>) -> tensor<1x4x5x5xi32> {
// CHECK-NEXT:    %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<[[1], [2], [3], [4]]> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, pad_value = -1 : i64} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x4x5x5xi32>{{$}}
// CHECK-NEXT:    func.return %0
func.func @conv2d_pad_minus_one(%x: tensor<1x2x5x5x!bnn.bipolar>) -> tensor<1x4x5x5xi32> {
  %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<[[1], [2], [3], [4]]> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, pad_value = -1 : i64} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x4x5x5xi32>
  func.return %0 : tensor<1x4x5x5xi32>
}

// Padding of bipolar data with +1, stride 2: (5 + 2 - 3) / 2 + 1 = 3.
// CHECK-LABEL: func.func @conv2d_pad_plus_one_stride_2(%x: tensor<1x2x5x5x!bnn.bipolar>) -> tensor<1x4x3x3xi32> {
// CHECK-NEXT:    %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<[[1], [2], [3], [4]]> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, pad_value = 1 : i64} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x4x3x3xi32>{{$}}
// CHECK-NEXT:    func.return %0
func.func @conv2d_pad_plus_one_stride_2(%x: tensor<1x2x5x5x!bnn.bipolar>) -> tensor<1x4x3x3xi32> {
  %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<[[1], [2], [3], [4]]> : tensor<4x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, pad_value = 1 : i64} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x4x3x3xi32>
  func.return %0 : tensor<1x4x3x3xi32>
}

// Integer input padded with 0 (written out, printed as the default), two-bit weights:
// 18 reduction elements of 2 bits fit one word.
// CHECK-LABEL: func.func @conv2d_integer_pad_zero(%x: tensor<1x2x5x5xsi4>) -> tensor<1x2x3x3xi32> {
// CHECK-NEXT:    %0 = bnn.conv2d %x weights<si2> dense<[[7], [8]]> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x2x5x5xsi4> -> tensor<1x2x3x3xi32>{{$}}
// CHECK-NEXT:    func.return %0
func.func @conv2d_integer_pad_zero(%x: tensor<1x2x5x5xsi4>) -> tensor<1x2x3x3xi32> {
  %0 = bnn.conv2d %x weights<si2> dense<[[7], [8]]> : tensor<2x1xui64> {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, pad_value = 0 : i64} : tensor<1x2x5x5xsi4> -> tensor<1x2x3x3xi32>
  func.return %0 : tensor<1x2x3x3xi32>
}

// A non-square kernel, different strides per axis and asymmetric pads (top, left, bottom,
// right): height (5 + 0 + 1 - 2) / 1 + 1 = 5, width (5 + 1 + 0 - 3) / 2 + 1 = 2.
// CHECK-LABEL: func.func @conv2d_asymmetric(%x: tensor<1x2x5x5x!bnn.bipolar>) -> tensor<1x1x5x2xi32> {
// CHECK-NEXT:    %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<4095> : tensor<1x1xui64> {kernel = array<i64: 2, 3>, strides = array<i64: 1, 2>, pads = array<i64: 0, 1, 1, 0>, pad_value = -1 : i64} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x1x5x2xi32>{{$}}
// CHECK-NEXT:    func.return %0
func.func @conv2d_asymmetric(%x: tensor<1x2x5x5x!bnn.bipolar>) -> tensor<1x1x5x2xi32> {
  %0 = bnn.conv2d %x weights<!bnn.bipolar> dense<4095> : tensor<1x1xui64> {kernel = array<i64: 2, 3>, strides = array<i64: 1, 2>, pads = array<i64: 0, 1, 1, 0>, pad_value = -1 : i64} : tensor<1x2x5x5x!bnn.bipolar> -> tensor<1x1x5x2xi32>
  func.return %0 : tensor<1x1x5x2xi32>
}

// Per-channel and single-entry parameters mixed, on an integer accumulator.
// CHECK-LABEL: func.func @batchnorm(%x: tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xf32> {
// CHECK-NEXT:    %0 = bnn.batchnorm %x {gamma = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>, beta = dense<[0.000000e+00, -1.000000e+00]> : tensor<2xf32>,
// CHECK-SAME:      mean = dense<5.000000e-01> : tensor<1xf32>, var = dense<[1.000000e+00, 4.000000e+00]> : tensor<2xf32>, epsilon = 1.000000e-05 : f64} : tensor<1x2x4x4xi32> -> tensor<1x2x4x4xf32>{{$}}
// CHECK-NEXT:    func.return %0
func.func @batchnorm(%x: tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xf32> {
  %0 = bnn.batchnorm %x {gamma = dense<[1.0, 2.0]> : tensor<2xf32>, beta = dense<[0.0, -1.0]> : tensor<2xf32>, mean = dense<0.5> : tensor<1xf32>, var = dense<[1.0, 4.0]> : tensor<2xf32>, epsilon = 1.0e-05 : f64} : tensor<1x2x4x4xi32> -> tensor<1x2x4x4xf32>
  func.return %0 : tensor<1x2x4x4xf32>
}

// Channels on axis 2, a zero epsilon (var > 0 suffices).
// CHECK-LABEL: func.func @batchnorm_axis(%x: tensor<1x4x2xf32>) -> tensor<1x4x2xf32> {
// CHECK-NEXT:    %0 = bnn.batchnorm %x {gamma = dense<1.000000e+00> : tensor<1xf64>, beta = dense<0.000000e+00> : tensor<1xf64>,
// CHECK-SAME:      mean = dense<0.000000e+00> : tensor<1xf64>, var = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf64>, epsilon = 0.000000e+00 : f64, axis = 2 : i64} : tensor<1x4x2xf32> -> tensor<1x4x2xf32>{{$}}
// CHECK-NEXT:    func.return %0
func.func @batchnorm_axis(%x: tensor<1x4x2xf32>) -> tensor<1x4x2xf32> {
  %0 = bnn.batchnorm %x {gamma = dense<1.0> : tensor<1xf64>, beta = dense<0.0> : tensor<1xf64>, mean = dense<0.0> : tensor<1xf64>, var = dense<[1.0, 2.0]> : tensor<2xf64>, epsilon = 0.0 : f64, axis = 2 : i64} : tensor<1x4x2xf32> -> tensor<1x4x2xf32>
  func.return %0 : tensor<1x4x2xf32>
}

// CHECK-LABEL: func.func @affine_scalar(%x: tensor<1x3xi32>) -> tensor<1x3xf32> {
// CHECK-NEXT:    %0 = bnn.affine %x scale dense<2.000000e+00> : tensor<1xf64> bias dense<-1.000000e+00> : tensor<1xf64> : tensor<1x3xi32> -> tensor<1x3xf32>{{$}}
// CHECK-NEXT:    func.return %0
func.func @affine_scalar(%x: tensor<1x3xi32>) -> tensor<1x3xf32> {
  %0 = bnn.affine %x scale dense<2.0> : tensor<1xf64> bias dense<-1.0> : tensor<1xf64> : tensor<1x3xi32> -> tensor<1x3xf32>
  func.return %0 : tensor<1x3xf32>
}

// CHECK-LABEL: func.func @affine_per_channel(%x: tensor<1x3xf32>) -> tensor<1x3xf32> {
// CHECK-NEXT:    %0 = bnn.affine %x scale dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32> bias dense<[5.000000e-01, 0.000000e+00, -5.000000e-01]> : tensor<3xf32> : tensor<1x3xf32> -> tensor<1x3xf32>{{$}}
// CHECK-NEXT:    func.return %0
func.func @affine_per_channel(%x: tensor<1x3xf32>) -> tensor<1x3xf32> {
  %0 = bnn.affine %x scale dense<[1.0, 2.0, 3.0]> : tensor<3xf32> bias dense<[0.5, 0.0, -0.5]> : tensor<3xf32> : tensor<1x3xf32> -> tensor<1x3xf32>
  func.return %0 : tensor<1x3xf32>
}

// Per-channel scale on axis 2, scalar bias: the attribute dictionary follows the bias.
// CHECK-LABEL: func.func @affine_axis(%x: tensor<1x2x3xf32>) -> tensor<1x2x3xf32> {
// CHECK-NEXT:    %0 = bnn.affine %x scale dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf64> bias dense<0.000000e+00> : tensor<1xf64> {axis = 2 : i64} : tensor<1x2x3xf32> -> tensor<1x2x3xf32>{{$}}
// CHECK-NEXT:    func.return %0
func.func @affine_axis(%x: tensor<1x2x3xf32>) -> tensor<1x2x3xf32> {
  %0 = bnn.affine %x scale dense<[1.0, 2.0, 3.0]> : tensor<3xf64> bias dense<0.0> : tensor<1xf64> {axis = 2 : i64} : tensor<1x2x3xf32> -> tensor<1x2x3xf32>
  func.return %0 : tensor<1x2x3xf32>
}

// CHECK-LABEL: func.func @maxpool_bipolar(%x: tensor<1x2x4x4x!bnn.bipolar>) -> tensor<1x2x2x2x!bnn.bipolar> {
// CHECK-NEXT:    %0 = bnn.maxpool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x4x4x!bnn.bipolar> -> tensor<1x2x2x2x!bnn.bipolar>{{$}}
// CHECK-NEXT:    func.return %0
func.func @maxpool_bipolar(%x: tensor<1x2x4x4x!bnn.bipolar>) -> tensor<1x2x2x2x!bnn.bipolar> {
  %0 = bnn.maxpool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x4x4x!bnn.bipolar> -> tensor<1x2x2x2x!bnn.bipolar>
  func.return %0 : tensor<1x2x2x2x!bnn.bipolar>
}

// A 3x2 window with strides 1x3: height (5 - 3) / 1 + 1 = 3, width (5 - 2) / 3 + 1 = 2.
// CHECK-LABEL: func.func @maxpool_integer(%x: tensor<1x2x5x5xsi4>) -> tensor<1x2x3x2xsi4> {
// CHECK-NEXT:    %0 = bnn.maxpool %x {kernel = array<i64: 3, 2>, strides = array<i64: 1, 3>} : tensor<1x2x5x5xsi4> -> tensor<1x2x3x2xsi4>{{$}}
// CHECK-NEXT:    func.return %0
func.func @maxpool_integer(%x: tensor<1x2x5x5xsi4>) -> tensor<1x2x3x2xsi4> {
  %0 = bnn.maxpool %x {kernel = array<i64: 3, 2>, strides = array<i64: 1, 3>} : tensor<1x2x5x5xsi4> -> tensor<1x2x3x2xsi4>
  func.return %0 : tensor<1x2x3x2xsi4>
}

// Flatten before a dense layer, and the (N, C) -> (N, C, 1) reshape around a batch norm.
// CHECK-LABEL: func.func @reshape(%x: tensor<1x2x3x4x!bnn.bipolar>, %y: tensor<1x64xf32>) -> (tensor<1x24x!bnn.bipolar>, tensor<1x64x1xf32>) {
// CHECK-NEXT:    %0 = bnn.reshape %x : tensor<1x2x3x4x!bnn.bipolar> -> tensor<1x24x!bnn.bipolar>{{$}}
// CHECK-NEXT:    %1 = bnn.reshape %y : tensor<1x64xf32> -> tensor<1x64x1xf32>{{$}}
// CHECK-NEXT:    func.return %0, %1
func.func @reshape(%x: tensor<1x2x3x4x!bnn.bipolar>, %y: tensor<1x64xf32>) -> (tensor<1x24x!bnn.bipolar>, tensor<1x64x1xf32>) {
  %0 = bnn.reshape %x : tensor<1x2x3x4x!bnn.bipolar> -> tensor<1x24x!bnn.bipolar>
  %1 = bnn.reshape %y : tensor<1x64xf32> -> tensor<1x64x1xf32>
  func.return %0, %1 : tensor<1x24x!bnn.bipolar>, tensor<1x64x1xf32>
}

// CHECK-LABEL: func.func @topk_real(%x: tensor<1x10xf32>) -> tensor<1x1xi64> {
// CHECK-NEXT:    %0 = bnn.topk %x {k = 1 : i64} : tensor<1x10xf32> -> tensor<1x1xi64>{{$}}
// CHECK-NEXT:    func.return %0
func.func @topk_real(%x: tensor<1x10xf32>) -> tensor<1x1xi64> {
  %0 = bnn.topk %x {k = 1 : i64} : tensor<1x10xf32> -> tensor<1x1xi64>
  func.return %0 : tensor<1x1xi64>
}

// k = 3 labels from integer scores, k equal to the width of the last axis.
// CHECK-LABEL: func.func @topk_integer(%x: tensor<1x10xi32>, %y: tensor<1x3xi32>) -> (tensor<1x3xi32>, tensor<1x3xi64>) {
// CHECK-NEXT:    %0 = bnn.topk %x {k = 3 : i64} : tensor<1x10xi32> -> tensor<1x3xi32>{{$}}
// CHECK-NEXT:    %1 = bnn.topk %y {k = 3 : i64} : tensor<1x3xi32> -> tensor<1x3xi64>{{$}}
// CHECK-NEXT:    func.return %0, %1
func.func @topk_integer(%x: tensor<1x10xi32>, %y: tensor<1x3xi32>) -> (tensor<1x3xi32>, tensor<1x3xi64>) {
  %0 = bnn.topk %x {k = 3 : i64} : tensor<1x10xi32> -> tensor<1x3xi32>
  %1 = bnn.topk %y {k = 3 : i64} : tensor<1x3xi32> -> tensor<1x3xi64>
  func.return %0, %1 : tensor<1x3xi32>, tensor<1x3xi64>
}
