// RUN: bnnc-opt %s -p lower-dataflow-to-hls -t 'hls-cpp{library=false}' | filecheck %s

// From `df` to the HLS project: the part and the clock come from the graph's target, here
// another board's part and 250 MHz, a clock period of 4 ns. The graph is a single FIFO of depth 7 between the AXI converters.

// CHECK-LABEL: // ----- file: top.h
// CHECK:       const unsigned PASSTHROUGH_IN_ELEMENTS = 8;  // ap_int<4>{{$}}
// CHECK-NEXT:  const unsigned PASSTHROUGH_IN_WORDS = 1;{{$}}
// CHECK-LABEL: // ----- file: top.cpp
// CHECK:       BNNC_HLS(DATAFLOW){{$}}
// CHECK-EMPTY:
// CHECK-NEXT:  hls::stream<ap_uint<16> > in_words("in_words");{{$}}
// CHECK-NEXT:  BNNC_HLS(STREAM variable=in_words depth=7){{$}}
// CHECK-NEXT:  bnnc::axi_to_stream<ap_int<4>, 8, 4>(in_axis, in_words, frames);{{$}}
// CHECK-NEXT:  bnnc::stream_to_axi<ap_int<4>, 8, 4>(in_words, out_axis, frames);{{$}}
// CHECK-NEXT:  }{{$}}
// CHECK-LABEL: // ----- file: hls.tcl
// CHECK:       set top passthrough{{$}}
// CHECK-NEXT:  set part xczu3eg-sbva484-1-e{{$}}
// CHECK-NEXT:  set clock_ns 4.000{{$}}
df.graph @passthrough attributes {target = #df.target<board = "tiny.json", part = "xczu3eg-sbva484-1-e", clock_mhz = 250.0>} {
  %in = df.input {shape = array<i64: 8>} : !df.stream<4xsi4, 2>
  %f = df.fifo %in {depth = 7 : i64} : !df.stream<4xsi4, 2> -> !df.stream<4xsi4, 2>
  df.output %f {shape = array<i64: 8>} : !df.stream<4xsi4, 2>
}
