// Errors of `lower-dataflow-to-hls`. The pass stops at the first error, so each case is cut out
// of this file (at the `// -----` lines, counting from 0) and lowered on its own.
// DEFINE: %{case} = %python -c "import re, sys; print(re.split('(?m)^// -----$', open(sys.argv[1]).read())[int(sys.argv[2])])" %s
// RUN: %{case} 1 | not bnnc-opt -p lower-dataflow-to-hls 2>&1 | filecheck %s --check-prefix=UNSIZED
// RUN: %{case} 2 | not bnnc-opt -p lower-dataflow-to-hls 2>&1 | filecheck %s --check-prefix=BOARD
// RUN: %{case} 3 | not bnnc-opt -p lower-dataflow-to-hls 2>&1 | filecheck %s --check-prefix=FOREIGN
// RUN: %{case} 4 | not bnnc-opt -p lower-dataflow-to-hls 2>&1 | filecheck %s --check-prefix=NESTED
// RUN: %{case} 5 | not bnnc-opt -p lower-dataflow-to-hls 2>&1 | filecheck %s --check-prefix=FANOUT
// RUN: %{case} 6 | not bnnc-opt -p lower-dataflow-to-hls 2>&1 | filecheck %s --check-prefix=BNN
// RUN: %{case} 7 | bnnc-opt -p lower-dataflow-to-hls | filecheck %s --check-prefix=NAMES
// The sized FIFO of case 2 lowers once the target has a part.
// RUN: %{case} 2 | sed 's/part = ""/part = "xc7z045ffg900-2"/' | bnnc-opt -p lower-dataflow-to-hls | filecheck %s --check-prefix=SIZED

// -----

// A FIFO without a depth: `size-fifos` has not run. Nothing is printed.
// UNSIZED-NOT:  hls.
// UNSIZED:      bnnc-opt: error: lower-dataflow-to-hls: a df.fifo has no depth; run size-fifos before lowering to hls
// UNSIZED-NOT:  hls.
df.graph @unsized {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4xsi4, 2>
  %f = df.fifo %in : !df.stream<4xsi4, 2> -> !df.stream<4xsi4, 2>
  df.output %f {shape = array<i64: 8>} : !df.stream<4xsi4, 2>
}

// -----

// The graph's target gives the part and the clock: a target without a part is invalid.
// BOARD: a target needs a board and a part
// SIZED: hls.top @board attributes {part = "xc7z045ffg900-2", clock_mhz = 1.000000e+02 : f64} {
// SIZED: hls.stream "in_words" {depth = 5 : i64} : !hls.stream<16>
df.graph @board attributes {target = #df.target<board = "zc706", part = "", clock_mhz = 100.0>} {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4xsi4, 2>
  %f = df.fifo %in {depth = 5 : i64} : !df.stream<4xsi4, 2> -> !df.stream<4xsi4, 2>
  df.output %f {shape = array<i64: 8>} : !df.stream<4xsi4, 2>
}

// -----

// An op of another dialect in a graph has no template.
// FOREIGN: bnnc-opt: error: lower-dataflow-to-hls: no HLS template for 'test.op'
df.graph @foreign {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4xsi4, 2>
  %x = "test.op"(%in) : (!df.stream<4xsi4, 2>) -> !df.stream<4xsi4, 2>
  df.output %x {shape = array<i64: 8>} : !df.stream<4xsi4, 2>
}

// -----

// Only the graphs directly in the module are lowered: a `df.invoke` of a graph in a nested
// module cannot become an `hls.invoke` and is reported.
// NESTED: bnnc-opt: error: lower-dataflow-to-hls: df.invoke calls @inner_graph, which is not lowered
builtin.module {
  builtin.module @inner {
    df.graph @inner_graph {
      %in = df.input {shape = array<i64: 8>} : !df.stream<4xsi4, 2>
      df.output %in {shape = array<i64: 8>} : !df.stream<4xsi4, 2>
    }
    func.func @main(%x: tensor<1x8xsi4>) -> tensor<1x8xsi4> {
      %y = df.invoke @inner_graph(%x) : (tensor<1x8xsi4>) -> tensor<1x8xsi4>
      func.return %y : tensor<1x8xsi4>
    }
  }
}

// -----

// A stream read by two engines verifies in df, but an HLS stream has one reader.
// FANOUT: bnnc-opt: error: lower-dataflow-to-hls: the stream out of 'df.input' feeds 2 ops; an HLS stream has one reader (bnnc's graphs are chains)
df.graph @fanout {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4xsi4, 2>
  %a = df.threshold %in by dense<[[0]]> : tensor<1x1xi64> {channels = 8 : i64, pixels = 1 : i64, pe = 4 : i64} : !df.stream<4xsi4, 2> -> !df.stream<4x!bnn.bipolar, 2>
  %b = df.threshold %in by dense<[[1]]> : tensor<1x1xi64> {channels = 8 : i64, pixels = 1 : i64, pe = 4 : i64} : !df.stream<4xsi4, 2> -> !df.stream<4x!bnn.bipolar, 2>
  df.output %a {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
}

// -----

// An op of another dialect that shares the name of a df engine is not lowered as one.
// BNN: bnnc-opt: error: lower-dataflow-to-hls: no HLS template for 'bnn.threshold' in a df.graph
df.graph @bnn_op {
^bb0(%t: tensor<1x4xi32>):
  %in = df.input {shape = array<i64: 8>} : !df.stream<4xsi4, 2>
  %x = bnn.threshold %t by dense<0> : tensor<1x1xi64> : tensor<1x4xi32> -> tensor<1x4x!bnn.bipolar>
  df.output %in {shape = array<i64: 8>} : !df.stream<4xsi4, 2>
}

// -----

// Layer names that are not C++ identifiers are made into ones in the names of streams and ROMs.
// NAMES: hls.rom @fc_1_thresholds
// NAMES: hls.stream "fc_1_threshold" {depth = 2 : i64} : !hls.stream<4>
// NAMES: hls.instance "threshold"(%1, %2) {args = {{.*}}, roms = [@fc_1_thresholds], layer = "fc-1"}
df.graph @names {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4xsi4, 2>
  %a = df.threshold %in by dense<[[0]]> : tensor<1x1xi64> {channels = 8 : i64, pixels = 1 : i64, pe = 4 : i64, layer = "fc-1"} : !df.stream<4xsi4, 2> -> !df.stream<4x!bnn.bipolar, 2>
  df.output %a {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
}
