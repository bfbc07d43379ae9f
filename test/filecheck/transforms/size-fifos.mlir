// RUN: bnnc-opt %s -p insert-streams,size-fifos | filecheck %s
// RUN: not bnnc-opt %s -p size-fifos 2>&1 | filecheck %s --check-prefix=NOFIFO

// fc0 takes 4 neuron folds of 16 synapse folds, 64 cycles a frame, and fc1 2 (one fold of two);
// the pipeline runs at fc0's 64 cycles, and since fc1 keeps up, every FIFO stays at the minimum
// depth 2: 2·1 + 2·4 + 2·4 = 18 bits, against 16 + 8 + 16 = 40 bits for whole frames. The
// latency, 82 cycles, counts the AXI converters at both ends and each MVTU's 3-cycle pipeline,
// as the Verilog engines take them. The graph is marked sized.
// CHECK:      df.graph @accelerator attributes {df.fifo_sizing = {interval = 64 : i64, latency = 86 : i64, fifo_bits = 18 : i64, whole_frame_bits = 40 : i64}, df.sized} {
// CHECK:      df.fifo %0 {depth = 2 : i64} : !df.stream<1x!bnn.bipolar, 16>
// CHECK:      df.fifo %3 {depth = 2 : i64} : !df.stream<4x!bnn.bipolar, 2>
// CHECK:      df.fifo %5 {depth = 2 : i64} : !df.stream<1xui4, 4>
// NOFIFO: bnnc-opt: error: df.graph @accelerator has no FIFOs: run insert-streams first
df.graph @accelerator {
  %0 = df.input {shape = array<i64: 16>} : !df.stream<1x!bnn.bipolar, 16>
  %1 = df.mvtu %0 weights<!bnn.bipolar> dense<0> : tensor<8x1xui64> {mw = 16 : i64, mh = 8 : i64, pe = 2 : i64, simd = 1 : i64, popcount, thresholds = dense<8> : tensor<1x1xi64>, layer = "fc0"} : !df.stream<1x!bnn.bipolar, 16> -> !df.stream<2x!bnn.bipolar, 4>
  %2 = df.dwc %1 : !df.stream<2x!bnn.bipolar, 4> -> !df.stream<4x!bnn.bipolar, 2>
  %3 = df.mvtu %2 weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 1 : i64, simd = 4 : i64, popcount, layer = "fc1"} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<1xui4, 4>
  df.output %3 {shape = array<i64: 4>} : !df.stream<1xui4, 4>
}
