// RUN: bnnc-opt %s --split-input-file -p canonicalize | filecheck %s

// Batch norm to affine (a = γ/σ, b = β − μ·γ/σ), then the affine chain merges into one.
// CHECK-LABEL: func.func @bn_affine_chain
// (2x − 3)/2 = x − 1.5 and −2·(2x)/2 + 1 = −2x + 1; the trailing identity affine vanishes.
// CHECK-NEXT:    %{{.*}} = bnn.affine %acc scale dense<[1.000000e+00, -2.000000e+00]> : tensor<2xf64> bias dense<[-1.500000e+00, 1.000000e+00]> : tensor<2xf64> : tensor<1x2xi32> -> tensor<1x2xf32>
// CHECK-NEXT:    func.return
func.func @bn_affine_chain(%acc: tensor<1x2xi32>) -> tensor<1x2xf32> {
  %a = bnn.affine %acc scale dense<2.0> : tensor<1xf64> bias dense<0.0> : tensor<1xf64> : tensor<1x2xi32> -> tensor<1x2xf32>
  %bn = bnn.batchnorm %a {gamma = dense<[1.0, -2.0]> : tensor<2xf32>, beta = dense<[0.0, 1.0]> : tensor<2xf32>, mean = dense<[3.0, 0.0]> : tensor<2xf32>, var = dense<4.0> : tensor<2xf32>, epsilon = 0.0 : f64} : tensor<1x2xf32> -> tensor<1x2xf32>
  %y = bnn.affine %bn scale dense<1.0> : tensor<1xf64> bias dense<0.0> : tensor<1xf64> : tensor<1x2xf32> -> tensor<1x2xf32>
  func.return %y : tensor<1x2xf32>
}

// -----

// FINN-ONNX's Unsqueeze/Squeeze around a batch norm: the reshapes sink and cancel.
// CHECK-LABEL: func.func @reshapes_around_bn
// CHECK-NEXT:    %{{.*}} = bnn.affine %acc {{.*}} : tensor<1x3xi32> -> tensor<1x3xf32>
// CHECK-NEXT:    %{{.*}} = bnn.sign %{{.*}} : tensor<1x3xf32> -> tensor<1x3x!bnn.bipolar>
// CHECK-NEXT:    func.return
func.func @reshapes_around_bn(%acc: tensor<1x3xi32>) -> tensor<1x3x!bnn.bipolar> {
  %r = bnn.reshape %acc : tensor<1x3xi32> -> tensor<1x3x1xi32>
  %bn = bnn.batchnorm %r {gamma = dense<[1.0, 2.0, 3.0]> : tensor<3xf32>, beta = dense<0.0> : tensor<3xf32>, mean = dense<0.0> : tensor<3xf32>, var = dense<1.0> : tensor<3xf32>, epsilon = 0.0 : f64} : tensor<1x3x1xi32> -> tensor<1x3x1xf32>
  %s = bnn.reshape %bn : tensor<1x3x1xf32> -> tensor<1x3xf32>
  %y = bnn.sign %s : tensor<1x3xf32> -> tensor<1x3x!bnn.bipolar>
  func.return %y : tensor<1x3x!bnn.bipolar>
}

// -----

// Must not move: per-channel parameters whose channel axis does not survive the reshape.
// CHECK-LABEL: func.func @channels_do_not_map
// CHECK-NEXT:    bnn.reshape
// CHECK-NEXT:    bnn.affine
func.func @channels_do_not_map(%x: tensor<1x2x3xf32>) -> tensor<1x3x2xf32> {
  %r = bnn.reshape %x : tensor<1x2x3xf32> -> tensor<1x3x2xf32>
  %y = bnn.affine %r scale dense<[1.0, 2.0, 3.0]> : tensor<3xf64> bias dense<0.0> : tensor<1xf64> : tensor<1x3x2xf32> -> tensor<1x3x2xf32>
  func.return %y : tensor<1x3x2xf32>
}

// -----

// A transpose maps the channel axis through its permutation; transposes compose and vanish.
// CHECK-LABEL: func.func @transposes
// CHECK-NEXT:    %a = bnn.affine %x scale dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf64> bias dense<0.000000e+00> : tensor<1xf64> : tensor<1x3x2xf32> -> tensor<1x3x2xf32>
// CHECK-NEXT:    func.return
func.func @transposes(%x: tensor<1x3x2xf32>) -> tensor<1x3x2xf32> {
  %t = bnn.transpose %x {perm = array<i64: 0, 2, 1>} : tensor<1x3x2xf32> -> tensor<1x2x3xf32>
  %a = bnn.affine %t scale dense<[1.0, 2.0, 3.0]> : tensor<3xf64> bias dense<0.0> : tensor<1xf64> {axis = 2 : i64} : tensor<1x2x3xf32> -> tensor<1x2x3xf32>
  %u = bnn.transpose %a {perm = array<i64: 0, 2, 1>} : tensor<1x2x3xf32> -> tensor<1x3x2xf32>
  func.return %u : tensor<1x3x2xf32>
}

// -----

// The input quantizer absorbs the affine map in front: (2x − 1)/2^-7 = x/2^-8 − 128.
// CHECK-LABEL: func.func @input_quantizer
// CHECK-NEXT:    %q = bnn.quantize %x {scale = 3.906250e-03 : f64, zero_point = -1.280000e+02 : f64, lo = -128 : i64, hi = 127 : i64, rounding = "round"} : tensor<1x3xf32> -> tensor<1x3xsi8>
func.func @input_quantizer(%x: tensor<1x3xf32>) -> tensor<1x3xsi8> {
  %a = bnn.affine %x scale dense<2.0> : tensor<1xf64> bias dense<-1.0> : tensor<1xf64> : tensor<1x3xf32> -> tensor<1x3xf32>
  %q = bnn.quantize %a {scale = 0.0078125 : f64, zero_point = 0.0 : f64, lo = -128 : i64, hi = 127 : i64, rounding = "round"} : tensor<1x3xf32> -> tensor<1x3xsi8>
  func.return %q : tensor<1x3xsi8>
}

// -----

// Must not merge: the inner affine has another user.
// CHECK-LABEL: func.func @shared_affine
// CHECK-NEXT:    %a = bnn.affine %x
// CHECK-NEXT:    %b = bnn.affine %a
func.func @shared_affine(%x: tensor<1x3xf32>) -> (tensor<1x3xf32>, tensor<1x3xf32>) {
  %a = bnn.affine %x scale dense<2.0> : tensor<1xf64> bias dense<-1.0> : tensor<1xf64> : tensor<1x3xf32> -> tensor<1x3xf32>
  %b = bnn.affine %a scale dense<3.0> : tensor<1xf64> bias dense<0.0> : tensor<1xf64> : tensor<1x3xf32> -> tensor<1x3xf32>
  func.return %a, %b : tensor<1x3xf32>, tensor<1x3xf32>
}
