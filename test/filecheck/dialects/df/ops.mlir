// RUN: BNNC_ROUNDTRIP
// RUN: BNNC_GENERIC_ROUNDTRIP

// Round trip of every `df` op in every form: the custom syntax is parsed, printed and parsed
// again (the second RUN line goes through the generic syntax first), and each line is checked
// exactly. Properties equal to their default (mvtu `mmv = 1`, `vectors = 1`, `offset = 0`;
// swu `pad_value = 0`, `mmv = 1`; threshold `pixels = 1`, `offset = 0`) are not printed.
// Stream words are checked against the folding: an MVTU reads SIMD·MMV lanes and
// vectors·MW / (SIMD·MMV) words per frame, and writes PE·MMV lanes and vectors·MH / (PE·MMV).

// A fully connected bipolar layer: 64 inputs arrive in two 32-lane words, a width converter
// regroups them into eight words of SIMD = 8 lanes, and the MVTU (MH = 4, PE = 2) computes
// XNOR-popcounts against one threshold per row. All 64 bits of a weight word round-trip.
// Then a FIFO before `size-fifos` (no depth) and one with its depth.
// CHECK-LABEL: df.graph @fc_bipolar {
// CHECK-NEXT:    %in = df.input {shape = array<i64: 64>} : !df.stream<32x!bnn.bipolar, 2>{{$}}
// CHECK-NEXT:    %w = df.dwc %in : !df.stream<32x!bnn.bipolar, 2> -> !df.stream<8x!bnn.bipolar, 8>{{$}}
// CHECK-NEXT:    %m = df.mvtu %w weights<!bnn.bipolar> dense<[[18446744073709551615], [0], [255], [12297829382473034410]]> : tensor<4x1xui64> {mw = 64 : i64, mh = 4 : i64, pe = 2 : i64, simd = 8 : i64, popcount, thresholds = dense<[[32], [33], [0], [64]]> : tensor<4x1xi64>} : !df.stream<8x!bnn.bipolar, 8> -> !df.stream<2x!bnn.bipolar, 2>{{$}}
// CHECK-NEXT:    %f = df.fifo %m : !df.stream<2x!bnn.bipolar, 2> -> !df.stream<2x!bnn.bipolar, 2>{{$}}
// CHECK-NEXT:    %g = df.fifo %f {depth = 16 : i64} : !df.stream<2x!bnn.bipolar, 2> -> !df.stream<2x!bnn.bipolar, 2>{{$}}
// CHECK-NEXT:    df.output %g {shape = array<i64: 4>} : !df.stream<2x!bnn.bipolar, 2>{{$}}
// CHECK-NEXT:  }
df.graph @fc_bipolar {
  %in = df.input {shape = array<i64: 64>} : !df.stream<32x!bnn.bipolar, 2>
  %w = df.dwc %in : !df.stream<32x!bnn.bipolar, 2> -> !df.stream<8x!bnn.bipolar, 8>
  %m = df.mvtu %w weights<!bnn.bipolar> dense<[[18446744073709551615], [0], [255], [12297829382473034410]]> : tensor<4x1xui64> {mw = 64 : i64, mh = 4 : i64, pe = 2 : i64, simd = 8 : i64, popcount, thresholds = dense<[[32], [33], [0], [64]]> : tensor<4x1xi64>} : !df.stream<8x!bnn.bipolar, 8> -> !df.stream<2x!bnn.bipolar, 2>
  %f = df.fifo %m : !df.stream<2x!bnn.bipolar, 2> -> !df.stream<2x!bnn.bipolar, 2>
  %g = df.fifo %f {depth = 16 : i64} : !df.stream<2x!bnn.bipolar, 2> -> !df.stream<2x!bnn.bipolar, 2>
  df.output %g {shape = array<i64: 4>} : !df.stream<2x!bnn.bipolar, 2>
}

// The classifier of a w1a8 network: bipolar weights on si8 inputs, no popcount and no
// thresholds, so the MVTU passes its si16 accumulators on (MH = 10, PE = 5: two words); the
// label select keeps the 3 best of the 10 classes, one ui4 index per word.
// CHECK-LABEL: df.graph @classifier {
// CHECK-NEXT:    %in = df.input {shape = array<i64: 8>} : !df.stream<4xsi8, 2>{{$}}
// CHECK-NEXT:    %m = df.mvtu %in weights<!bnn.bipolar> dense<[[1], [2], [3], [4], [5], [6], [7], [8], [9], [10]]> : tensor<10x1xui64> {mw = 8 : i64, mh = 10 : i64, pe = 5 : i64, simd = 4 : i64} : !df.stream<4xsi8, 2> -> !df.stream<5xsi16, 2>{{$}}
// CHECK-NEXT:    %top = df.label_select %m {classes = 10 : i64, k = 3 : i64, pe = 5 : i64, layer = "topk"} : !df.stream<5xsi16, 2> -> !df.stream<1xui4, 3>{{$}}
// CHECK-NEXT:    df.output %top {shape = array<i64: 3>} : !df.stream<1xui4, 3>{{$}}
// CHECK-NEXT:  }
df.graph @classifier {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4xsi8, 2>
  %m = df.mvtu %in weights<!bnn.bipolar> dense<[[1], [2], [3], [4], [5], [6], [7], [8], [9], [10]]> : tensor<10x1xui64> {mw = 8 : i64, mh = 10 : i64, pe = 5 : i64, simd = 4 : i64} : !df.stream<4xsi8, 2> -> !df.stream<5xsi16, 2>
  %top = df.label_select %m {classes = 10 : i64, k = 3 : i64, pe = 5 : i64, layer = "topk"} : !df.stream<5xsi16, 2> -> !df.stream<1xui4, 3>
  df.output %top {shape = array<i64: 3>} : !df.stream<1xui4, 3>
}

// Two-bit weights: 40 weights of 2 bits per row are 80 bits, two words. Three thresholds per
// row from offset -2 give outputs -2..1, which fit si3 (-4..3). The default `mmv`, `vectors`
// written out are not printed; the non-default offset is.
// CHECK-LABEL: df.graph @nbit {
// CHECK-NEXT:    %in = df.input {shape = array<i64: 40>} : !df.stream<8xui2, 5>{{$}}
// CHECK-NEXT:    %m = df.mvtu %in weights<si2> dense<[[1, 18446744073709551615], [3, 4]]> : tensor<2x2xui64> {mw = 40 : i64, mh = 2 : i64, pe = 2 : i64, simd = 8 : i64, thresholds = dense<[[-8, 0, 8], [-4, 0, 4]]> : tensor<2x3xi64>, offset = -2 : i64} : !df.stream<8xui2, 5> -> !df.stream<2xsi3, 1>{{$}}
// CHECK-NEXT:    df.output %m {shape = array<i64: 2>} : !df.stream<2xsi3, 1>{{$}}
// CHECK-NEXT:  }
df.graph @nbit {
  %in = df.input {shape = array<i64: 40>} : !df.stream<8xui2, 5>
  %m = df.mvtu %in weights<si2> dense<[[1, 18446744073709551615], [3, 4]]> : tensor<2x2xui64> {mw = 40 : i64, mh = 2 : i64, pe = 2 : i64, simd = 8 : i64, mmv = 1 : i64, vectors = 1 : i64, thresholds = dense<[[-8, 0, 8], [-4, 0, 4]]> : tensor<2x3xi64>, offset = -2 : i64} : !df.stream<8xui2, 5> -> !df.stream<2xsi3, 1>
  df.output %m {shape = array<i64: 2>} : !df.stream<2xsi3, 1>
}

// A bipolar 3x3 convolution without padding on a 6x6x4 image (4x4 output pixels), then a 2x2
// max-pool (an OR of bits) with PE = 4. The MVTU runs once per output pixel (vectors = 16) on
// the 36-element windows and shares one threshold among its 8 rows. The width converter packs
// the pooled 2x2x8 frame into a single 32-lane word. The explicit pad_value 0 is not printed.
// CHECK-LABEL: df.graph @conv_pool {
// CHECK-NEXT:    %in = df.input {shape = array<i64: 6, 6, 4>} : !df.stream<4x!bnn.bipolar, 36>{{$}}
// CHECK-NEXT:    %win = df.swu %in {channels = 4 : i64, ifm = array<i64: 6, 6>, ofm = array<i64: 4, 4>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 4 : i64} : !df.stream<4x!bnn.bipolar, 36> -> !df.stream<4x!bnn.bipolar, 144>{{$}}
// CHECK-NEXT:    %m = df.mvtu %win weights<!bnn.bipolar> dense<[[1], [2], [3], [4], [5], [6], [7], [68719476735]]> : tensor<8x1xui64> {mw = 36 : i64, mh = 8 : i64, pe = 4 : i64, simd = 4 : i64, vectors = 16 : i64, popcount, thresholds = dense<18> : tensor<1x1xi64>} : !df.stream<4x!bnn.bipolar, 144> -> !df.stream<4x!bnn.bipolar, 32>{{$}}
// CHECK-NEXT:    %p = df.pool %m {channels = 8 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pe = 4 : i64, layer = "pool1"} : !df.stream<4x!bnn.bipolar, 32> -> !df.stream<4x!bnn.bipolar, 8>{{$}}
// CHECK-NEXT:    %wide = df.dwc %p : !df.stream<4x!bnn.bipolar, 8> -> !df.stream<32x!bnn.bipolar, 1>{{$}}
// CHECK-NEXT:    df.output %wide {shape = array<i64: 2, 2, 8>} : !df.stream<32x!bnn.bipolar, 1>{{$}}
// CHECK-NEXT:  }
df.graph @conv_pool {
  %in = df.input {shape = array<i64: 6, 6, 4>} : !df.stream<4x!bnn.bipolar, 36>
  %win = df.swu %in {channels = 4 : i64, ifm = array<i64: 6, 6>, ofm = array<i64: 4, 4>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, pad_value = 0 : i64, simd = 4 : i64} : !df.stream<4x!bnn.bipolar, 36> -> !df.stream<4x!bnn.bipolar, 144>
  %m = df.mvtu %win weights<!bnn.bipolar> dense<[[1], [2], [3], [4], [5], [6], [7], [68719476735]]> : tensor<8x1xui64> {mw = 36 : i64, mh = 8 : i64, pe = 4 : i64, simd = 4 : i64, vectors = 16 : i64, popcount, thresholds = dense<18> : tensor<1x1xi64>} : !df.stream<4x!bnn.bipolar, 144> -> !df.stream<4x!bnn.bipolar, 32>
  %p = df.pool %m {channels = 8 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pe = 4 : i64, layer = "pool1"} : !df.stream<4x!bnn.bipolar, 32> -> !df.stream<4x!bnn.bipolar, 8>
  %wide = df.dwc %p : !df.stream<4x!bnn.bipolar, 8> -> !df.stream<32x!bnn.bipolar, 1>
  df.output %wide {shape = array<i64: 2, 2, 8>} : !df.stream<32x!bnn.bipolar, 1>
}

// "Same" padding of bipolar data with -1 on a 4x4x2 image, two output pixels per cycle: the
// sliding window writes a multi-pixel stream of MMV·SIMD = 4 lanes (two pixels of two lanes),
// 16·9·2 / 4 = 72 words, and the MVTU reads it with MMV = 2 and vectors = 16, writing PE·MMV = 4
// lanes, two pixels of PE = 2. A width converter, told the 16 pixels, turns that back into a
// plain stream. Every engine names its `bnn` layer.
// CHECK-LABEL: df.graph @conv_padded_mmv {
// CHECK-NEXT:    %in = df.input {shape = array<i64: 4, 4, 2>} : !df.stream<2x!bnn.bipolar, 16>{{$}}
// CHECK-NEXT:    %win = df.swu %in {channels = 2 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 4, 4>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, pad_value = -1 : i64, simd = 2 : i64, mmv = 2 : i64, layer = "conv1"} : !df.stream<2x!bnn.bipolar, 16> -> !df.stream<4x!bnn.bipolar, 72, mmv = 2>{{$}}
// CHECK-NEXT:    %m = df.mvtu %win weights<!bnn.bipolar> dense<[[262143], [0], [1], [131072]]> : tensor<4x1xui64> {mw = 18 : i64, mh = 4 : i64, pe = 2 : i64, simd = 2 : i64, mmv = 2 : i64, vectors = 16 : i64, popcount, thresholds = dense<[[9], [9], [10], [8]]> : tensor<4x1xi64>, layer = "conv1"} : !df.stream<4x!bnn.bipolar, 72, mmv = 2> -> !df.stream<4x!bnn.bipolar, 16, mmv = 2>{{$}}
// CHECK-NEXT:    %plain = df.dwc %m {pixels = 16 : i64, layer = "conv1"} : !df.stream<4x!bnn.bipolar, 16, mmv = 2> -> !df.stream<4x!bnn.bipolar, 16>{{$}}
// CHECK-NEXT:    %f = df.fifo %plain {depth = 2 : i64, layer = "conv1"} : !df.stream<4x!bnn.bipolar, 16> -> !df.stream<4x!bnn.bipolar, 16>{{$}}
// CHECK-NEXT:    df.output %f {shape = array<i64: 4, 4, 4>} : !df.stream<4x!bnn.bipolar, 16>{{$}}
// CHECK-NEXT:  }
df.graph @conv_padded_mmv {
  %in = df.input {shape = array<i64: 4, 4, 2>} : !df.stream<2x!bnn.bipolar, 16>
  %win = df.swu %in {channels = 2 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 4, 4>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, pad_value = -1 : i64, simd = 2 : i64, mmv = 2 : i64, layer = "conv1"} : !df.stream<2x!bnn.bipolar, 16> -> !df.stream<4x!bnn.bipolar, 72, mmv = 2>
  %m = df.mvtu %win weights<!bnn.bipolar> dense<[[262143], [0], [1], [131072]]> : tensor<4x1xui64> {mw = 18 : i64, mh = 4 : i64, pe = 2 : i64, simd = 2 : i64, mmv = 2 : i64, vectors = 16 : i64, popcount, thresholds = dense<[[9], [9], [10], [8]]> : tensor<4x1xi64>, layer = "conv1"} : !df.stream<4x!bnn.bipolar, 72, mmv = 2> -> !df.stream<4x!bnn.bipolar, 16, mmv = 2>
  %plain = df.dwc %m {pixels = 16 : i64, layer = "conv1"} : !df.stream<4x!bnn.bipolar, 16, mmv = 2> -> !df.stream<4x!bnn.bipolar, 16>
  %f = df.fifo %plain {depth = 2 : i64, layer = "conv1"} : !df.stream<4x!bnn.bipolar, 16> -> !df.stream<4x!bnn.bipolar, 16>
  df.output %f {shape = array<i64: 4, 4, 4>} : !df.stream<4x!bnn.bipolar, 16>
}

// Width converters between plain and multi-pixel streams of 16 pixels of 4 channels: plain to
// two pixels of 4 lanes, to four pixels of 4 lanes, and back. A FIFO keeps a multi-pixel type;
// `mmv = 1` written out is the plain stream and is not printed.
// CHECK-LABEL: df.graph @regroup_pixels {
// CHECK-NEXT:    %in = df.input {shape = array<i64: 4, 4, 4>} : !df.stream<4xsi4, 16>{{$}}
// CHECK-NEXT:    %two = df.dwc %in {pixels = 16 : i64} : !df.stream<4xsi4, 16> -> !df.stream<8xsi4, 8, mmv = 2>{{$}}
// CHECK-NEXT:    %four = df.dwc %two {pixels = 16 : i64} : !df.stream<8xsi4, 8, mmv = 2> -> !df.stream<16xsi4, 4, mmv = 4>{{$}}
// CHECK-NEXT:    %f = df.fifo %four : !df.stream<16xsi4, 4, mmv = 4> -> !df.stream<16xsi4, 4, mmv = 4>{{$}}
// CHECK-NEXT:    %back = df.dwc %f {pixels = 16 : i64} : !df.stream<16xsi4, 4, mmv = 4> -> !df.stream<4xsi4, 16>{{$}}
// CHECK-NEXT:    df.output %back {shape = array<i64: 4, 4, 4>} : !df.stream<4xsi4, 16>{{$}}
// CHECK-NEXT:  }
df.graph @regroup_pixels {
  %in = df.input {shape = array<i64: 4, 4, 4>} : !df.stream<4xsi4, 16, mmv = 1>
  %two = df.dwc %in {pixels = 16 : i64} : !df.stream<4xsi4, 16> -> !df.stream<8xsi4, 8, mmv = 2>
  %four = df.dwc %two {pixels = 16 : i64} : !df.stream<8xsi4, 8, mmv = 2> -> !df.stream<16xsi4, 4, mmv = 4>
  %f = df.fifo %four : !df.stream<16xsi4, 4, mmv = 4> -> !df.stream<16xsi4, 4, mmv = 4>
  %back = df.dwc %f {pixels = 16 : i64} : !df.stream<16xsi4, 4, mmv = 4> -> !df.stream<4xsi4, 16>
  df.output %back {shape = array<i64: 4, 4, 4>} : !df.stream<4xsi4, 16>
}

// An integer first layer with stride 2: (5 - 3) / 2 + 1 = 2, so 2x2 windows of 27 si8 values;
// si16 accumulators of 6 channels, a max-pool of integers with PE = 3, and a standalone
// threshold unit with three steps shared by all channels (outputs 0..3 in ui2).
// CHECK-LABEL: df.graph @conv_stride_2 {
// CHECK-NEXT:    %in = df.input {shape = array<i64: 5, 5, 3>} : !df.stream<3xsi8, 25>{{$}}
// CHECK-NEXT:    %win = df.swu %in {channels = 3 : i64, ifm = array<i64: 5, 5>, ofm = array<i64: 2, 2>, kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, simd = 3 : i64} : !df.stream<3xsi8, 25> -> !df.stream<3xsi8, 36>{{$}}
// CHECK-NEXT:    %m = df.mvtu %win weights<!bnn.bipolar> dense<134217727> : tensor<6x1xui64> {mw = 27 : i64, mh = 6 : i64, pe = 3 : i64, simd = 3 : i64, vectors = 4 : i64} : !df.stream<3xsi8, 36> -> !df.stream<3xsi16, 8>{{$}}
// CHECK-NEXT:    %p = df.pool %m {channels = 6 : i64, ifm = array<i64: 2, 2>, ofm = array<i64: 1, 1>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pe = 3 : i64} : !df.stream<3xsi16, 8> -> !df.stream<3xsi16, 2>{{$}}
// CHECK-NEXT:    %t = df.threshold %p by dense<[[-4, 0, 4]]> : tensor<1x3xi64> {channels = 6 : i64, pe = 3 : i64, layer = "act2"} : !df.stream<3xsi16, 2> -> !df.stream<3xui2, 2>{{$}}
// CHECK-NEXT:    df.output %t {shape = array<i64: 1, 1, 6>} : !df.stream<3xui2, 2>{{$}}
// CHECK-NEXT:  }
df.graph @conv_stride_2 {
  %in = df.input {shape = array<i64: 5, 5, 3>} : !df.stream<3xsi8, 25>
  %win = df.swu %in {channels = 3 : i64, ifm = array<i64: 5, 5>, ofm = array<i64: 2, 2>, kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, simd = 3 : i64} : !df.stream<3xsi8, 25> -> !df.stream<3xsi8, 36>
  %m = df.mvtu %win weights<!bnn.bipolar> dense<134217727> : tensor<6x1xui64> {mw = 27 : i64, mh = 6 : i64, pe = 3 : i64, simd = 3 : i64, vectors = 4 : i64} : !df.stream<3xsi8, 36> -> !df.stream<3xsi16, 8>
  %p = df.pool %m {channels = 6 : i64, ifm = array<i64: 2, 2>, ofm = array<i64: 1, 1>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pe = 3 : i64} : !df.stream<3xsi16, 8> -> !df.stream<3xsi16, 2>
  %t = df.threshold %p by dense<[[-4, 0, 4]]> : tensor<1x3xi64> {channels = 6 : i64, pe = 3 : i64, layer = "act2"} : !df.stream<3xsi16, 2> -> !df.stream<3xui2, 2>
  df.output %t {shape = array<i64: 1, 1, 6>} : !df.stream<3xui2, 2>
}

// Standalone thresholds over 4 pixels of 4 channels with PE = 2: one threshold per channel to
// bipolar, then (on the same input) two steps from offset -1 to si2. A 32-lane stream is
// narrowed to 8 lanes, and a FIFO with depth 1 keeps its type.
// CHECK-LABEL: df.graph @thresholds {
// CHECK-NEXT:    %in = df.input {shape = array<i64: 2, 2, 4>} : !df.stream<2xi32, 8>{{$}}
// CHECK-NEXT:    %b = df.threshold %in by dense<[[0], [1], [-1], [5]]> : tensor<4x1xi64> {channels = 4 : i64, pixels = 4 : i64, pe = 2 : i64} : !df.stream<2xi32, 8> -> !df.stream<2x!bnn.bipolar, 8>{{$}}
// CHECK-NEXT:    %q = df.threshold %in by dense<[[0, 3]]> : tensor<1x2xi32> {channels = 4 : i64, pixels = 4 : i64, pe = 2 : i64, offset = -1 : i64} : !df.stream<2xi32, 8> -> !df.stream<2xsi2, 8>{{$}}
// CHECK-NEXT:    %wide = df.dwc %b : !df.stream<2x!bnn.bipolar, 8> -> !df.stream<16x!bnn.bipolar, 1>{{$}}
// CHECK-NEXT:    %f = df.fifo %wide {depth = 1 : i64} : !df.stream<16x!bnn.bipolar, 1> -> !df.stream<16x!bnn.bipolar, 1>{{$}}
// CHECK-NEXT:    df.output %f {shape = array<i64: 2, 2, 4>} : !df.stream<16x!bnn.bipolar, 1>{{$}}
// CHECK-NEXT:  }
df.graph @thresholds {
  %in = df.input {shape = array<i64: 2, 2, 4>} : !df.stream<2xi32, 8>
  %b = df.threshold %in by dense<[[0], [1], [-1], [5]]> : tensor<4x1xi64> {channels = 4 : i64, pixels = 4 : i64, pe = 2 : i64} : !df.stream<2xi32, 8> -> !df.stream<2x!bnn.bipolar, 8>
  %q = df.threshold %in by dense<[[0, 3]]> : tensor<1x2xi32> {channels = 4 : i64, pixels = 4 : i64, pe = 2 : i64, offset = -1 : i64} : !df.stream<2xi32, 8> -> !df.stream<2xsi2, 8>
  %wide = df.dwc %b : !df.stream<2x!bnn.bipolar, 8> -> !df.stream<16x!bnn.bipolar, 1>
  %f = df.fifo %wide {depth = 1 : i64} : !df.stream<16x!bnn.bipolar, 1> -> !df.stream<16x!bnn.bipolar, 1>
  df.output %f {shape = array<i64: 2, 2, 4>} : !df.stream<16x!bnn.bipolar, 1>
}

// A width converter from 32 lanes down to 8 (the same 64 elements in 8 words).
// CHECK-LABEL: df.graph @narrow {
// CHECK-NEXT:    %in = df.input {shape = array<i64: 64>} : !df.stream<32xui2, 2>{{$}}
// CHECK-NEXT:    %n = df.dwc %in : !df.stream<32xui2, 2> -> !df.stream<8xui2, 8>{{$}}
// CHECK-NEXT:    df.output %n {shape = array<i64: 64>} : !df.stream<8xui2, 8>{{$}}
// CHECK-NEXT:  }
df.graph @narrow {
  %in = df.input {shape = array<i64: 64>} : !df.stream<32xui2, 2>
  %n = df.dwc %in : !df.stream<32xui2, 2> -> !df.stream<8xui2, 8>
  df.output %n {shape = array<i64: 64>} : !df.stream<8xui2, 8>
}

// A graph built for a target (board, part, clock), with the decisions `prepare-for-emission`
// records: the MVTU's accumulator type and weight storage, the threshold unit's comparison type.
// CHECK-LABEL: df.graph @prepared attributes {target = #df.target<board = "zc706", part = "xc7z045ffg900-2", clock_mhz = 125.5>} {
// CHECK-NEXT:    %in = df.input {shape = array<i64: 8>} : !df.stream<8x!bnn.bipolar, 1>{{$}}
// CHECK-NEXT:    %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<2x1xui64> {mw = 8 : i64, mh = 2 : i64, pe = 1 : i64, simd = 8 : i64, popcount, acc_type = si5, weight_storage = "lutram"} : !df.stream<8x!bnn.bipolar, 1> -> !df.stream<1xsi5, 2>{{$}}
// CHECK-NEXT:    %t = df.threshold %m by dense<4> : tensor<1x1xi64> {channels = 2 : i64, pe = 1 : i64, compare_type = si6} : !df.stream<1xsi5, 2> -> !df.stream<1x!bnn.bipolar, 2>{{$}}
// CHECK-NEXT:    df.output %t {shape = array<i64: 2>} : !df.stream<1x!bnn.bipolar, 2>{{$}}
// CHECK-NEXT:  }
df.graph @prepared attributes {target = #df.target<board = "zc706", part = "xc7z045ffg900-2", clock_mhz = 125.5>} {
  %in = df.input {shape = array<i64: 8>} : !df.stream<8x!bnn.bipolar, 1>
  %m = df.mvtu %in weights<!bnn.bipolar> dense<0> : tensor<2x1xui64> {mw = 8 : i64, mh = 2 : i64, pe = 1 : i64, simd = 8 : i64, popcount, acc_type = si5, weight_storage = "lutram"} : !df.stream<8x!bnn.bipolar, 1> -> !df.stream<1xsi5, 2>
  %t = df.threshold %m by dense<[[4]]> : tensor<1x1xi64> {channels = 2 : i64, pe = 1 : i64, compare_type = si6} : !df.stream<1xsi5, 2> -> !df.stream<1x!bnn.bipolar, 2>
  df.output %t {shape = array<i64: 2>} : !df.stream<1x!bnn.bipolar, 2>
}

// A depthwise layer (issue 25): the window unit in its depthwise mode reads PE = 2 channels a
// word and writes, per pixel, C/PE = 2 channel folds x K/SIMD = 3 tap folds of PE·SIMD·MMV = 12
// lanes (48 words for 16 pixels); the VVTU weighs each channel's 9 taps with its own kernel
// (one packed row a channel) and thresholds it, writing PE·MMV = 4 lanes, 16·4/4 = 16 words
// (`offset = 0` is not printed). The second layer takes a whole window a word (PE = C, SIMD = K)
// and passes its accumulators on.
// CHECK-LABEL: df.graph @depthwise {
// CHECK-NEXT:    %in = df.input {shape = array<i64: 4, 4, 4>} : !df.stream<2xui2, 32>{{$}}
// CHECK-NEXT:    %win = df.swu %in {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 4, 4>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, simd = 3 : i64, mmv = 2 : i64, depthwise, pe = 2 : i64, layer = "conv0"} : !df.stream<2xui2, 32> -> !df.stream<12xui2, 48, mmv = 2>{{$}}
// CHECK-NEXT:    %d = df.vvtu %win weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {channels = 4 : i64, kernel = array<i64: 3, 3>, pe = 2 : i64, simd = 3 : i64, mmv = 2 : i64, vectors = 16 : i64, thresholds = dense<[[-1, 0, 1], [-2, 0, 2], [0, 1, 2], [-3, -1, 1]]> : tensor<4x3xi64>, layer = "conv0"} : !df.stream<12xui2, 48, mmv = 2> -> !df.stream<4xui2, 16, mmv = 2>{{$}}
// CHECK-NEXT:    %w = df.dwc %d {pixels = 16 : i64} : !df.stream<4xui2, 16, mmv = 2> -> !df.stream<4xui2, 16>{{$}}
// CHECK-NEXT:    %b = df.swu %w {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 9 : i64, depthwise, pe = 4 : i64, layer = "conv1"} : !df.stream<4xui2, 16> -> !df.stream<36xui2, 4>{{$}}
// CHECK-NEXT:    %a = df.vvtu %b weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {channels = 4 : i64, kernel = array<i64: 3, 3>, pe = 4 : i64, simd = 9 : i64, vectors = 4 : i64, layer = "conv1"} : !df.stream<36xui2, 4> -> !df.stream<4xsi7, 4>{{$}}
// CHECK-NEXT:    df.output %a {shape = array<i64: 2, 2, 4>} : !df.stream<4xsi7, 4>{{$}}
// CHECK-NEXT:  }
df.graph @depthwise {
  %in = df.input {shape = array<i64: 4, 4, 4>} : !df.stream<2xui2, 32>
  %win = df.swu %in {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 4, 4>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, simd = 3 : i64, mmv = 2 : i64, depthwise, pe = 2 : i64, layer = "conv0"} : !df.stream<2xui2, 32> -> !df.stream<12xui2, 48, mmv = 2>
  %d = df.vvtu %win weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {channels = 4 : i64, kernel = array<i64: 3, 3>, pe = 2 : i64, simd = 3 : i64, mmv = 2 : i64, vectors = 16 : i64, thresholds = dense<[[-1, 0, 1], [-2, 0, 2], [0, 1, 2], [-3, -1, 1]]> : tensor<4x3xi64>, offset = 0 : i64, layer = "conv0"} : !df.stream<12xui2, 48, mmv = 2> -> !df.stream<4xui2, 16, mmv = 2>
  %w = df.dwc %d {pixels = 16 : i64} : !df.stream<4xui2, 16, mmv = 2> -> !df.stream<4xui2, 16>
  %b = df.swu %w {channels = 4 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 9 : i64, depthwise, pe = 4 : i64, layer = "conv1"} : !df.stream<4xui2, 16> -> !df.stream<36xui2, 4>
  %a = df.vvtu %b weights<si2> dense<[[1], [4], [5], [13]]> : tensor<4x1xui64> {channels = 4 : i64, kernel = array<i64: 3, 3>, pe = 4 : i64, simd = 9 : i64, vectors = 4 : i64, layer = "conv1"} : !df.stream<36xui2, 4> -> !df.stream<4xsi7, 4>
  df.output %a {shape = array<i64: 2, 2, 4>} : !df.stream<4xsi7, 4>
}

// A bipolar depthwise layer: XNOR-popcounts against one threshold a channel.
// CHECK-LABEL: df.graph @depthwise_bipolar {
// CHECK-NEXT:    %in = df.input {shape = array<i64: 3, 3, 2>} : !df.stream<1x!bnn.bipolar, 18>{{$}}
// CHECK-NEXT:    %win = df.swu %in {channels = 2 : i64, ifm = array<i64: 3, 3>, ofm = array<i64: 1, 1>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 1 : i64, depthwise, pe = 1 : i64} : !df.stream<1x!bnn.bipolar, 18> -> !df.stream<1x!bnn.bipolar, 18>{{$}}
// CHECK-NEXT:    %d = df.vvtu %win weights<!bnn.bipolar> dense<[[511], [170]]> : tensor<2x1xui64> {channels = 2 : i64, kernel = array<i64: 3, 3>, pe = 1 : i64, simd = 1 : i64, popcount, thresholds = dense<[[5], [4]]> : tensor<2x1xi64>} : !df.stream<1x!bnn.bipolar, 18> -> !df.stream<1x!bnn.bipolar, 2>{{$}}
// CHECK-NEXT:    df.output %d {shape = array<i64: 1, 1, 2>} : !df.stream<1x!bnn.bipolar, 2>{{$}}
// CHECK-NEXT:  }
df.graph @depthwise_bipolar {
  %in = df.input {shape = array<i64: 3, 3, 2>} : !df.stream<1x!bnn.bipolar, 18>
  %win = df.swu %in {channels = 2 : i64, ifm = array<i64: 3, 3>, ofm = array<i64: 1, 1>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 1 : i64, depthwise, pe = 1 : i64} : !df.stream<1x!bnn.bipolar, 18> -> !df.stream<1x!bnn.bipolar, 18>
  %d = df.vvtu %win weights<!bnn.bipolar> dense<[[511], [170]]> : tensor<2x1xui64> {channels = 2 : i64, kernel = array<i64: 3, 3>, pe = 1 : i64, simd = 1 : i64, popcount, thresholds = dense<[[5], [4]]> : tensor<2x1xi64>} : !df.stream<1x!bnn.bipolar, 18> -> !df.stream<1x!bnn.bipolar, 2>
  df.output %d {shape = array<i64: 1, 1, 2>} : !df.stream<1x!bnn.bipolar, 2>
}

// The host calls the graphs: NC and NCHW tensors in, NC and NCHW tensors out.
// CHECK-LABEL: func.func @main(%x: tensor<1x64x!bnn.bipolar>, %img: tensor<1x4x6x6x!bnn.bipolar>, %feat: tensor<1x8xsi8>) -> (tensor<1x4x!bnn.bipolar>, tensor<1x8x2x2x!bnn.bipolar>, tensor<1x3xui4>) {
// CHECK-NEXT:    %y = df.invoke @fc_bipolar(%x) : (tensor<1x64x!bnn.bipolar>) -> tensor<1x4x!bnn.bipolar>{{$}}
// CHECK-NEXT:    %z = df.invoke @conv_pool(%img) : (tensor<1x4x6x6x!bnn.bipolar>) -> tensor<1x8x2x2x!bnn.bipolar>{{$}}
// CHECK-NEXT:    %c = df.invoke @classifier(%feat) : (tensor<1x8xsi8>) -> tensor<1x3xui4>{{$}}
// CHECK-NEXT:    func.return %y, %z, %c : tensor<1x4x!bnn.bipolar>, tensor<1x8x2x2x!bnn.bipolar>, tensor<1x3xui4>
// CHECK-NEXT:  }
func.func @main(%x: tensor<1x64x!bnn.bipolar>, %img: tensor<1x4x6x6x!bnn.bipolar>, %feat: tensor<1x8xsi8>) -> (tensor<1x4x!bnn.bipolar>, tensor<1x8x2x2x!bnn.bipolar>, tensor<1x3xui4>) {
  %y = df.invoke @fc_bipolar(%x) : (tensor<1x64x!bnn.bipolar>) -> tensor<1x4x!bnn.bipolar>
  %z = df.invoke @conv_pool(%img) : (tensor<1x4x6x6x!bnn.bipolar>) -> tensor<1x8x2x2x!bnn.bipolar>
  %c = df.invoke @classifier(%feat) : (tensor<1x8xsi8>) -> tensor<1x3xui4>
  func.return %y, %z, %c : tensor<1x4x!bnn.bipolar>, tensor<1x8x2x2x!bnn.bipolar>, tensor<1x3xui4>
}
