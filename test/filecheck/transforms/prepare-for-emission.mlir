// RUN: bnnc-opt %s --split-input-file -p prepare-for-emission | filecheck %s
// RUN: bnnc-opt %s --split-input-file -p prepare-for-emission,prepare-for-emission | filecheck %s
// RUN: bnnc-opt %s --split-input-file -p prepare-for-emission | bnnc-opt --split-input-file | filecheck %s
// RUN: bnnc-opt %s --split-input-file -p prepare-for-emission | filecheck %s --check-prefix=TREE

// `prepare-for-emission` records the emitters' decisions on the engines; the pass is idempotent
// and the decisions print and parse back (second and third RUN lines).
// fc0: a popcount of MW = 8 bits is 0..8, compared with thresholds clamped into 0..9: si5.
// Its weight memory is NF·SF = 2·2 = 4 words deep: LUTRAM.
// fc1: a popcount of 4 bits, 0..4, and 0..5 with the clamp: si4, as wide as its ui3 output.
// Both are XNOR lanes (products in LUTs); at the default board's own clock (ZC706, 200 MHz) the
// first tree stage sums 8 lanes, all 4 of their SIMD lanes here.
// CHECK-LABEL: df.graph @fc {
// TREE-LABEL:   df.graph @fc {
// TREE:         df.mvtu {{.*}}popcount, thresholds = {{.*}}, products = "lut", tree = array<i64: 4, 4>, layer = "fc0"
// TREE:         df.mvtu {{.*}}popcount, products = "lut", tree = array<i64: 4, 4>, layer = "fc1"
// CHECK:         df.mvtu {{.*}}layer = "fc0", acc_type = si5, weight_storage = "lutram"}
// CHECK:         df.mvtu {{.*}}layer = "fc1", acc_type = si4, weight_storage = "lutram"}
df.graph @fc {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
  %m0 = df.mvtu %in weights<!bnn.bipolar> dense<[[33], [67], [101], [135]]> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 2 : i64, simd = 4 : i64, popcount, thresholds = dense<[[-3], [4], [9], [12]]> : tensor<4x1xi64>, layer = "fc0"} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<2x!bnn.bipolar, 2>
  %w = df.dwc %m0 : !df.stream<2x!bnn.bipolar, 2> -> !df.stream<4x!bnn.bipolar, 1>
  %m1 = df.mvtu %w weights<!bnn.bipolar> dense<[[5], [10]]> : tensor<2x1xui64> {mw = 4 : i64, mh = 2 : i64, pe = 1 : i64, simd = 4 : i64, popcount, layer = "fc1"} : !df.stream<4x!bnn.bipolar, 1> -> !df.stream<1xui3, 2>
  df.output %m1 {shape = array<i64: 2>} : !df.stream<1xui3, 2>
}

// -----

// A signed sum of 129 products of ±1 weights and si4 inputs is in [-1032, 1032]: si12 with the
// clamp's 1033. 129 words deep (PE = SIMD = 1): BRAM. A threshold unit on si12 inputs compares
// in si13 (-2048..2048). A decision already recorded is kept (the second MVTU's si16).
// CHECK-LABEL: df.graph @deep {
// CHECK:         df.mvtu {{.*}}acc_type = si12, weight_storage = "bram"}
// CHECK:         df.threshold {{.*}}compare_type = si13}
// CHECK:         df.mvtu {{.*}}acc_type = si16, weight_storage = "lutram"}
df.graph @deep {
  %in = df.input {shape = array<i64: 129>} : !df.stream<1xsi4, 129>
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<4x3xui64> {mw = 129 : i64, mh = 4 : i64, pe = 1 : i64, simd = 1 : i64} : !df.stream<1xsi4, 129> -> !df.stream<1xsi12, 4>
  %t = df.threshold %m by dense<[[-20, -2, 30]]> : tensor<1x3xi64> {channels = 4 : i64, pe = 1 : i64, offset = -1 : i64} : !df.stream<1xsi12, 4> -> !df.stream<1xsi3, 4>
  %m2 = df.mvtu %t weights<!bnn.bipolar> dense<0> : tensor<2x1xui64> {mw = 4 : i64, mh = 2 : i64, pe = 1 : i64, simd = 1 : i64, acc_type = si16} : !df.stream<1xsi3, 4> -> !df.stream<1xsi6, 2>
  df.output %m2 {shape = array<i64: 2>} : !df.stream<1xsi6, 2>
}

// -----

// Where the products go is decided against the target board: si10 x si10 takes 140 LUTs in
// fabric, less than a DSP is worth on ZC706 (218,600 LUT / 900 DSP: 243) but more than on
// ZCU104 (230,400 / 1,728: 133). A product on a DSP is alone in the tree's first stage, and
// so is a product in LUTs of W + A >= 6 bits (its partial products' tree is the stage's logic).
// CHECK-LABEL: df.graph @zc706_products
// CHECK:         df.mvtu {{.*}}simd = 2 : i64, products = "lut", tree = array<i64: 1, 4>, acc_type = si32
// CHECK-LABEL: df.graph @zcu104_products
// CHECK:         df.mvtu {{.*}}simd = 2 : i64, products = "dsp", tree = array<i64: 1, 4>, acc_type = si32
df.graph @zc706_products attributes {target = #df.target<board = "zc706", part = "xc7z045ffg900-2", clock_mhz = 200.0>} {
  %in = df.input {shape = array<i64: 2>} : !df.stream<2xsi10, 1>
  %m = df.mvtu %in weights<si10> dense<0> : tensor<1x1xui64> {mw = 2 : i64, mh = 1 : i64, pe = 1 : i64, simd = 2 : i64} : !df.stream<2xsi10, 1> -> !df.stream<1xsi32, 1>
  df.output %m {shape = array<i64: 1>} : !df.stream<1xsi32, 1>
}
df.graph @zcu104_products attributes {target = #df.target<board = "zcu104", part = "xczu7ev-ffvc1156-2-e", clock_mhz = 200.0>} {
  %in = df.input {shape = array<i64: 2>} : !df.stream<2xsi10, 1>
  %m = df.mvtu %in weights<si10> dense<0> : tensor<1x1xui64> {mw = 2 : i64, mh = 1 : i64, pe = 1 : i64, simd = 2 : i64} : !df.stream<2xsi10, 1> -> !df.stream<1xsi32, 1>
  df.output %m {shape = array<i64: 1>} : !df.stream<1xsi32, 1>
}

// -----

// The tree follows the target clock: XNOR lanes at 100 MHz (a period ten levels of logic longer
// than 200 MHz's) sum all 64 lanes in the first stage, at 250 MHz (two levels shorter) 2.
// A decision already recorded is kept, even one the rule would not take (the third MVTU's).
// CHECK-LABEL: df.graph @slow
// CHECK:         df.mvtu {{.*}}products = "lut", tree = array<i64: 64, 4>, acc_type
// CHECK-LABEL: df.graph @fast
// CHECK:         df.mvtu {{.*}}products = "lut", tree = array<i64: 2, 4>, acc_type
// CHECK:         df.mvtu {{.*}}tree = array<i64: 16, 2>, products = "lut", acc_type
df.graph @slow attributes {target = #df.target<board = "zc706", part = "xc7z045ffg900-2", clock_mhz = 100.0>} {
  %in = df.input {shape = array<i64: 64>} : !df.stream<64x!bnn.bipolar, 1>
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<1x1xui64> {mw = 64 : i64, mh = 1 : i64, pe = 1 : i64, simd = 64 : i64, popcount} : !df.stream<64x!bnn.bipolar, 1> -> !df.stream<1xui7, 1>
  df.output %m {shape = array<i64: 1>} : !df.stream<1xui7, 1>
}
df.graph @fast attributes {target = #df.target<board = "zc706", part = "xc7z045ffg900-2", clock_mhz = 250.0>} {
  %in = df.input {shape = array<i64: 64>} : !df.stream<64x!bnn.bipolar, 1>
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<1x1xui64> {mw = 64 : i64, mh = 1 : i64, pe = 1 : i64, simd = 64 : i64, popcount} : !df.stream<64x!bnn.bipolar, 1> -> !df.stream<1xui7, 1>
  %w = df.dwc %m : !df.stream<1xui7, 1> -> !df.stream<1xui7, 1>
  %m2 = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<1x1xui64> {mw = 64 : i64, mh = 1 : i64, pe = 1 : i64, simd = 64 : i64, popcount, tree = array<i64: 16, 2>} : !df.stream<64x!bnn.bipolar, 1> -> !df.stream<1xui7, 1>
  df.output %m2 {shape = array<i64: 1>} : !df.stream<1xui7, 1>
}

