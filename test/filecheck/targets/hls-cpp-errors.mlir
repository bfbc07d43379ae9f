// Errors of the `hls-cpp` target. The target stops at the first error, so each case is cut out
// of this file (at the `// -----` lines, counting from 0) and emitted on its own.
// DEFINE: %{case} = %python -c "import re, sys; print(re.split('(?m)^// -----$', open(sys.argv[1]).read())[int(sys.argv[2])])" %s
// RUN: %{case} 1 | not bnnc-opt -t 'hls-cpp{library=false}' 2>&1 | filecheck %s --check-prefix=NOTOP
// RUN: %{case} 2 | not bnnc-opt -t 'hls-cpp{library=false}' 2>&1 | filecheck %s --check-prefix=TWOTOPS

// -----

// A graph that was not lowered: nothing is printed.
// NOTOP-NOT: file:
// NOTOP:     bnnc-opt: error: hls-cpp: the module has no hls.top; run lower-dataflow-to-hls first
// NOTOP-NOT: file:
df.graph @g {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4xui4, 2>
  %f = df.fifo %in {depth = 2 : i64} : !df.stream<4xui4, 2> -> !df.stream<4xui4, 2>
  df.output %f {shape = array<i64: 8>} : !df.stream<4xui4, 2>
}

// -----

// A project is one accelerator.
// TWOTOPS-NOT: file:
// TWOTOPS:     bnnc-opt: error: hls-cpp: the module has more than one hls.top; a project holds one accelerator
// TWOTOPS-NOT: file:
hls.top @first attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}
hls.top @second attributes {part = "xc7z045ffg900-2", clock_mhz = 200.0 : f64} {
  %in = hls.port "in_axis" {direction = "in", element = ui4, elements = 8 : i64} : !hls.axis<64>
  %s = hls.stream "s" {depth = 2 : i64} : !hls.stream<16>
  hls.instance "axi_to_stream"(%in, %s) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.axis<64>, !hls.stream<16>
  %out = hls.port "out_axis" {direction = "out", element = ui4, elements = 8 : i64} : !hls.axis<64>
  hls.instance "stream_to_axi"(%s, %out) {args = {ElemT = ui4, ELEMENTS = 8 : i64, LANES = 4 : i64}} : !hls.stream<16>, !hls.axis<64>
}
