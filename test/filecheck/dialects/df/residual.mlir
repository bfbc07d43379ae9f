// RUN: BNNC_ROUNDTRIP
// RUN: BNNC_GENERIC_ROUNDTRIP

// Round trip of the residual engines (issue 24): a fork copies its input to two or more
// outputs of the same stream type; a join adds two streams of the same shape at PE lanes,
// writing a type that holds every sum (ui2 + ui2 in ui3; a bipolar input counts ±1); a global
// pool sums each channel over the frame's pixels and writes C/PE words, with the Trunc post-op
// (shift, rounding, clamp; `zero_point = 0` is the default and not printed) or without it.
// CHECK-LABEL: df.graph @residual {
// CHECK-NEXT:    %in = df.input {shape = array<i64: 2, 2, 4>} : !df.stream<2xui2, 8>{{$}}
// CHECK-NEXT:    %a, %b, %c = df.fork %in : !df.stream<2xui2, 8> -> !df.stream<2xui2, 8>, !df.stream<2xui2, 8>, !df.stream<2xui2, 8>{{$}}
// CHECK-NEXT:    %s = df.join %a, %b {channels = 4 : i64, pixels = 4 : i64, pe = 2 : i64, layer = "join0"} : !df.stream<2xui2, 8>, !df.stream<2xui2, 8> -> !df.stream<2xui3, 8>{{$}}
// CHECK-NEXT:    %t = df.join %s, %c {channels = 4 : i64, pixels = 4 : i64, pe = 2 : i64} : !df.stream<2xui3, 8>, !df.stream<2xui2, 8> -> !df.stream<2xui4, 8>{{$}}
// CHECK-NEXT:    %p = df.global_pool %t {channels = 4 : i64, pixels = 4 : i64, pe = 2 : i64, shift = 2 : i64, rounding = "floor", lo = 0 : i64, hi = 15 : i64} : !df.stream<2xui4, 8> -> !df.stream<2xui4, 2>{{$}}
// CHECK-NEXT:    df.output %p {shape = array<i64: 4>} : !df.stream<2xui4, 2>{{$}}
// CHECK-NEXT:  }
df.graph @residual {
  %in = df.input {shape = array<i64: 2, 2, 4>} : !df.stream<2xui2, 8>
  %a, %b, %c = df.fork %in : !df.stream<2xui2, 8> -> !df.stream<2xui2, 8>, !df.stream<2xui2, 8>, !df.stream<2xui2, 8>
  %s = df.join %a, %b {channels = 4 : i64, pixels = 4 : i64, pe = 2 : i64, layer = "join0"} : !df.stream<2xui2, 8>, !df.stream<2xui2, 8> -> !df.stream<2xui3, 8>
  %t = df.join %s, %c {channels = 4 : i64, pixels = 4 : i64, pe = 2 : i64} : !df.stream<2xui3, 8>, !df.stream<2xui2, 8> -> !df.stream<2xui4, 8>
  %p = df.global_pool %t {channels = 4 : i64, pixels = 4 : i64, pe = 2 : i64, shift = 2 : i64, zero_point = 0 : i64, rounding = "floor", lo = 0 : i64, hi = 15 : i64} : !df.stream<2xui4, 8> -> !df.stream<2xui4, 2>
  df.output %p {shape = array<i64: 4>} : !df.stream<2xui4, 2>
}

// A join of a bipolar stream (±1) and a signed one, and a global pool without a Trunc whose
// output holds the sums of 9 si3 values: [-36, 27] in si7; a zero point is printed.
// CHECK-LABEL: df.graph @bipolar_join_plain_pool {
// CHECK-NEXT:    %in = df.input {shape = array<i64: 3, 3, 2>} : !df.stream<1x!bnn.bipolar, 18>{{$}}
// CHECK-NEXT:    %a, %b = df.fork %in : !df.stream<1x!bnn.bipolar, 18> -> !df.stream<1x!bnn.bipolar, 18>, !df.stream<1x!bnn.bipolar, 18>{{$}}
// CHECK-NEXT:    %s = df.join %a, %b {channels = 2 : i64, pixels = 9 : i64, pe = 1 : i64} : !df.stream<1x!bnn.bipolar, 18>, !df.stream<1x!bnn.bipolar, 18> -> !df.stream<1xsi3, 18>{{$}}
// CHECK-NEXT:    %w = df.dwc %s : !df.stream<1xsi3, 18> -> !df.stream<2xsi3, 9>{{$}}
// CHECK-NEXT:    %p = df.global_pool %w {channels = 2 : i64, pixels = 9 : i64, pe = 2 : i64, zero_point = 1 : i64} : !df.stream<2xsi3, 9> -> !df.stream<2xsi7, 1>{{$}}
df.graph @bipolar_join_plain_pool {
  %in = df.input {shape = array<i64: 3, 3, 2>} : !df.stream<1x!bnn.bipolar, 18>
  %a, %b = df.fork %in : !df.stream<1x!bnn.bipolar, 18> -> !df.stream<1x!bnn.bipolar, 18>, !df.stream<1x!bnn.bipolar, 18>
  %s = df.join %a, %b {channels = 2 : i64, pixels = 9 : i64, pe = 1 : i64} : !df.stream<1x!bnn.bipolar, 18>, !df.stream<1x!bnn.bipolar, 18> -> !df.stream<1xsi3, 18>
  %w = df.dwc %s : !df.stream<1xsi3, 18> -> !df.stream<2xsi3, 9>
  %p = df.global_pool %w {channels = 2 : i64, pixels = 9 : i64, pe = 2 : i64, zero_point = 1 : i64} : !df.stream<2xsi3, 9> -> !df.stream<2xsi7, 1>
  df.output %p {shape = array<i64: 2>} : !df.stream<2xsi7, 1>
}
