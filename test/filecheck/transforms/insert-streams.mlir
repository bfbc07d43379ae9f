// RUN: bnnc-opt %s -p insert-streams | filecheck %s
// RUN: bnnc-opt %s -p insert-streams,insert-streams | filecheck %s

// A FIFO of unset depth in front of every engine and of the output (after a width converter);
// a second run adds nothing.
// CHECK:      %0 = df.input {shape = array<i64: 16>} : !df.stream<1x!bnn.bipolar, 16>
// CHECK-NEXT: %1 = df.fifo %0 : !df.stream<1x!bnn.bipolar, 16> -> !df.stream<1x!bnn.bipolar, 16>
// CHECK-NEXT: %2 = df.mvtu %1
// CHECK-NEXT: %3 = df.dwc %2 : !df.stream<2x!bnn.bipolar, 4> -> !df.stream<4x!bnn.bipolar, 2>
// CHECK-NEXT: %4 = df.fifo %3 : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<4x!bnn.bipolar, 2>
// CHECK-NEXT: %5 = df.mvtu %4
// CHECK-NEXT: %6 = df.fifo %5 : !df.stream<1xui4, 4> -> !df.stream<1xui4, 4>
// CHECK-NEXT: df.output %6
// CHECK-NOT:  df.fifo
df.graph @accelerator {
  %0 = df.input {shape = array<i64: 16>} : !df.stream<1x!bnn.bipolar, 16>
  %1 = df.mvtu %0 weights<!bnn.bipolar> dense<0> : tensor<8x1xui64> {mw = 16 : i64, mh = 8 : i64, pe = 2 : i64, simd = 1 : i64, popcount, thresholds = dense<8> : tensor<1x1xi64>, layer = "fc0"} : !df.stream<1x!bnn.bipolar, 16> -> !df.stream<2x!bnn.bipolar, 4>
  %2 = df.dwc %1 : !df.stream<2x!bnn.bipolar, 4> -> !df.stream<4x!bnn.bipolar, 2>
  %3 = df.mvtu %2 weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 1 : i64, simd = 4 : i64, popcount, layer = "fc1"} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<1xui4, 4>
  df.output %3 {shape = array<i64: 4>} : !df.stream<1xui4, 4>
}
