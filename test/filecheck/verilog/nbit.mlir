// RUN: bnnc-opt %s -p insert-streams,size-fifos -t 'verilog{library=false harness=false}' | filecheck %s

// 2-bit weights and activations: an MVTU of si2 x si2 (signed kinds, no popcount) with two
// thresholds a channel, then a max-pool of the si2 codes (KIND 2: a signed maximum).

// CHECK:      // df.mvtu conv0: !df.stream<2xsi2, 16> -> !df.stream<2xsi2, 16>
// CHECK-NEXT: bnnc_mvtu #(
// CHECK-NEXT:     .MW(2),
// CHECK-NEXT:     .MH(2),
// CHECK-NEXT:     .PE(2),
// CHECK-NEXT:     .SIMD(2),
// CHECK-NEXT:     .MMV(1),
// CHECK-NEXT:     .IN_BITS(2),
// CHECK-NEXT:     .IN_KIND(2),
// CHECK-NEXT:     .W_BITS(2),
// CHECK-NEXT:     .W_KIND(2),
// CHECK-NEXT:     .POPCOUNT(0),
// CHECK-NEXT:     .ACC_BITS(5),
// CHECK-NEXT:     .STEPS(2),
// CHECK-NEXT:     .OFFSET(-1),
// CHECK-NEXT:     .OUT_BITS(2),
// CHECK:      // df.pool pool0: !df.stream<2xsi2, 16> -> !df.stream<2xsi2, 4>
// CHECK-NEXT: bnnc_pool #(
// CHECK-NEXT:     .PE(2),
// CHECK-NEXT:     .CF(1),
// CHECK-NEXT:     .BITS(2),
// CHECK-NEXT:     .KIND(2),

// One weight word of PE·SIMD·2 bits: row 0 (77: codes 1, -1 = 0b01, 0b11) in the low nibble,
// row 1 (78: codes -2, -1 = 0b10, 0b11) in the high one.
// CHECK:      // ----- u2_mvtu_conv0_weights.mem -----
// CHECK-NEXT: ed
// Thresholds of 5 bits, PE 0's (-1, 1) then PE 1's (0, 2): 0x1f | 1 << 5 | 0 << 10 | 2 << 15.
// CHECK:      // ----- u2_mvtu_conv0_thresholds.mem -----
// CHECK-NEXT: 1003f

df.graph @accelerator {
  %0 = df.input {shape = array<i64: 4, 4, 2>} : !df.stream<2xsi2, 16>
  %1 = df.mvtu %0 weights<si2> dense<[[77], [78]]> : tensor<2x1xui64> {mw = 2 : i64, mh = 2 : i64, pe = 2 : i64, simd = 2 : i64, vectors = 16 : i64, thresholds = dense<[[-1, 1], [0, 2]]> : tensor<2x2xi64>, offset = -1 : i64, layer = "conv0"} : !df.stream<2xsi2, 16> -> !df.stream<2xsi2, 16>
  %2 = df.pool %1 {channels = 2 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pe = 2 : i64, layer = "pool0"} : !df.stream<2xsi2, 16> -> !df.stream<2xsi2, 4>
  df.output %2 {shape = array<i64: 2, 2, 2>} : !df.stream<2xsi2, 4>
}
