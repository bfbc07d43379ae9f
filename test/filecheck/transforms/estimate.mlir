// RUN: bnnc-opt %s --split-input-file -p estimate | filecheck %s
// RUN: bnnc-opt %s --split-input-file -p 'estimate{board=zc706 clock-mhz=100.0}' | filecheck %s --check-prefix=CLOCK
// RUN: bnnc-opt %s --split-input-file -p 'estimate{board=zcu104}' | filecheck %s --check-prefix=UPLUS
// RUN: bnnc-opt %s --split-input-file -t report | filecheck %s --check-prefix=TABLE
// RUN: bnnc-opt %s --split-input-file -t 'report{format=json}' | filecheck %s --check-prefix=JSON
// RUN: not bnnc-opt %s --split-input-file -p 'estimate{board=zc7060}' 2>&1 | filecheck %s --check-prefix=BOARD
// RUN: not bnnc-opt %s --split-input-file -t 'report{format=html}' 2>&1 | filecheck %s --check-prefix=FORMAT

// Every engine kind in one linear pipeline. Cycles per frame: swu 4·3·1 + 2·max(2·9·1, 1·4·1)
// = 48, the unsized fifo its 36 words, mvtu (4/2)·(18/2)·4 = 72 (the bottleneck), threshold and
// pool 8 words each, dwc max(2, 1) = 2, mvtu (4/1)·(4/4) = 4, label select 4/1 = 4; the AXI
// ports around them take max(1, 16) = 16 (one 64-bit word in, 16 input words out) and 1. Latency
// is their sum along the pipeline: 199 cycles. The width converters (bnnc_repack: 16 LUTs a bit
// of the slot numbers on 7-series, and the output multiplexer): the input port 64 → 2 lanes, a
// block of the 32-element frame, 16 output slots (5-bit slot numbers), a 32-way multiplexer a
// bit: 16·5 + ⌈0.66·32⌉·2 = 124 LUT, and 2 for bnnc_frame_in's one-bit word counter: 126; the
// dwc 2 → 4 lanes, 2 input slots and 1 output slot (2-bit slots): 16·2 + 1·4 = 36; the output
// port, one 2-bit element (1-bit slots): 16·1 + 1·2 = 18.
// FF follow the engines' registers: the MVTUs' control and tree, the threshold unit's registered
// row (a 2-word ROM: at most 2 distinct bits) and output word, the label select's list and
// counters (one lane: no merge).

// CHECK-LABEL: df.graph @net attributes {df.estimate = {cycles = 72 : i64, lut = 584 : i64, ff = 411 : i64, bram18 = 0 : i64, lutram = 30 : i64, fps = 2777777.777777778 : f64, latency_cycles = 199 : i64, bottleneck = "acc", clock_mhz = 2.000000e+02 : f64}}
// CHECK-NEXT:    %img = df.input {shape = array<i64: 4, 4, 2>}
// CHECK-NEXT:    %win = df.swu %img {df.estimate = {cycles = 48 : i64, lut = 116 : i64, ff = 90 : i64, bram18 = 0 : i64, lutram = 4 : i64}, channels = 2 : i64,
// CHECK-NEXT:    %buf = df.fifo %win {df.estimate = {cycles = 36 : i64, lut = 22 : i64, ff = 11 : i64, bram18 = 0 : i64, lutram = 4 : i64}}
// CHECK-NEXT:    %acc = df.mvtu %buf {{.*}} {df.estimate = {cycles = 72 : i64, lut = 82 : i64, ff = 65 : i64, bram18 = 0 : i64, lutram = 8 : i64}, mw = 18 : i64,
// CHECK-NEXT:    %act = df.threshold %acc {{.*}} {df.estimate = {cycles = 8 : i64, lut = 28 : i64, ff = 6 : i64, bram18 = 0 : i64, lutram = 2 : i64}, channels = 4 : i64,
// CHECK-NEXT:    %pool = df.pool %act {df.estimate = {cycles = 8 : i64, lut = 66 : i64, ff = 31 : i64, bram18 = 0 : i64, lutram = 4 : i64}, channels = 4 : i64,
// CHECK-NEXT:    %wide = df.dwc %pool {df.estimate = {cycles = 2 : i64, lut = 36 : i64, ff = 23 : i64, bram18 = 0 : i64, lutram = 0 : i64}}
// CHECK-NEXT:    %scores = df.mvtu %wide {{.*}} {df.estimate = {cycles = 4 : i64, lut = 74 : i64, ff = 50 : i64, bram18 = 0 : i64, lutram = 8 : i64}, mw = 4 : i64,
// CHECK-NEXT:    %label = df.label_select %scores {df.estimate = {cycles = 4 : i64, lut = 16 : i64, ff = 18 : i64, bram18 = 0 : i64, lutram = 0 : i64}, classes = 4 : i64,
// CHECK-NEXT:    df.output %label {shape = array<i64: 1>}

// CLOCK-LABEL: df.graph @net attributes {df.estimate = {cycles = 72 : i64, lut = 584 : i64, ff = 411 : i64, bram18 = 0 : i64, lutram = 30 : i64, fps = 1388888.888888889 : f64, latency_cycles = 199 : i64, bottleneck = "acc", clock_mhz = 1.000000e+02 : f64}}

// The same engines on the ZCU104 (bnnc/analysis/fabric_costs.py, UltraScale+): distributed RAM in
// RAM32M16s of 32 x 14 bits in 8 LUTs (the 2 x 2-bit FIFO 8 LUTs, not 4: 10 + 8 + 8 = 26 LUT;
// likewise the SWU and pool buffers and the two MVTUs' input buffers, 4 LUTs more each: 82 → 86),
// bnnc_repack's control 18.5 LUTs a slot bit, not 16 (the input port ⌈18.5·5 + 44⌉ + 2 = 139,
// the dwc 18.5·2 + 4 = 41, the output port ⌈18.5 + 2⌉ = 21), label select ⌈2.25·6⌉ = 14 (not
// 4 + 2·6). The whole: 584 + 5·4 + 13 + 5 + 3 − 2 = 623.

// UPLUS-LABEL: df.graph @net attributes {df.estimate = {cycles = 72 : i64, lut = 623 : i64, ff = 411 : i64, bram18 = 0 : i64, lutram = 50 : i64,
// UPLUS:         %buf = df.fifo %win {df.estimate = {cycles = 36 : i64, lut = 26 : i64, ff = 11 : i64, bram18 = 0 : i64, lutram = 8 : i64}}
// UPLUS-NEXT:    %acc = df.mvtu %buf {{.*}} {df.estimate = {cycles = 72 : i64, lut = 86 : i64,
// UPLUS:         %label = df.label_select %scores {df.estimate = {cycles = 4 : i64, lut = 14 : i64,

// TABLE-LABEL: df.graph @net on zc706 (xc7z045ffg900-2) at 200.0 MHz
// TABLE-NEXT:  node kind PE SIMD MMV cycles LUT BRAM18 share
// TABLE-NEXT:  axis_in axis - - - 16 126 0 22.2%
// TABLE-NEXT:  win swu - 2 1 48 116 0 66.7%
// TABLE-NEXT:  buf fifo - - - 36 22 0 50.0%
// TABLE-NEXT:  acc mvtu 2 2 1 72 82 0 100.0%
// TABLE-NEXT:  act threshold 2 - - 8 28 0 11.1%
// TABLE-NEXT:  pool pool 2 - - 8 66 0 11.1%
// TABLE-NEXT:  wide dwc - - - 2 36 0 2.8%
// TABLE-NEXT:  scores mvtu 1 4 1 4 74 0 5.6%
// TABLE-NEXT:  label label_select 1 - - 4 16 0 5.6%
// TABLE-NEXT:  axis_out axis - - - 1 18 0 1.4%
// TABLE-NEXT:  total 584 0
// TABLE-NEXT:  throughput: 2777777.8 FPS (bottleneck acc, 72 cycles/frame)
// TABLE-NEXT:  latency: 199 cycles (0.99 us)
// TABLE-NEXT:  utilisation: LUT 584/218600 (0.3%), FF 411/437200 (0.1%), BRAM18 0/1090 (0.0%), LUTRAM 30/70400 (0.0%), DSP 0/900 (0.0%)

// JSON-LABEL: "graph": "net",
// JSON:        "name": "acc",
// JSON-NEXT:   "layer": null,
// JSON-NEXT:   "kind": "mvtu",
// JSON-NEXT:   "pe": 2,
// JSON-NEXT:   "simd": 2,
// JSON-NEXT:   "mmv": 1,
// JSON-NEXT:   "cycles": 72,
// JSON-NEXT:   "lut": 82,
// JSON-NEXT:   "ff": 65,
// JSON-NEXT:   "bram18": 0,
// JSON-NEXT:   "lutram": 8,
// JSON-NEXT:   "dsp": 0,
// JSON-NEXT:   "share": 1.0
// JSON:        "total": {
// JSON-NEXT:   "cycles": 72,
// JSON-NEXT:   "lut": 584,
// JSON-NEXT:   "ff": 411,
// JSON-NEXT:   "bram18": 0,
// JSON-NEXT:   "lutram": 30,
// JSON-NEXT:   "dsp": 0
// JSON-NEXT: },
// JSON-NEXT: "fps": 2777777.777777778,
// JSON-NEXT: "latency_cycles": 199,
// JSON-NEXT: "latency_us": 0.995,
// JSON-NEXT: "bottleneck": "acc",

// BOARD: bnnc-opt: error: unknown board 'zc7060'; known boards: pynq-z1, pynq-z2, zc706, zcu104 (or give the path of a .json device file)
// FORMAT: bnnc-opt: error: report: unknown format 'html'; expected one of table, json

df.graph @net {
  %img = df.input {shape = array<i64: 4, 4, 2>} : !df.stream<2x!bnn.bipolar, 16>
  %win = df.swu %img {channels = 2 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, simd = 2 : i64} : !df.stream<2x!bnn.bipolar, 16> -> !df.stream<2x!bnn.bipolar, 36>
  %buf = df.fifo %win : !df.stream<2x!bnn.bipolar, 36> -> !df.stream<2x!bnn.bipolar, 36>
  %acc = df.mvtu %buf weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 18 : i64, mh = 4 : i64, pe = 2 : i64, simd = 2 : i64, vectors = 4 : i64, popcount} : !df.stream<2x!bnn.bipolar, 36> -> !df.stream<2xui5, 8>
  %act = df.threshold %acc by dense<9> : tensor<4x1xi64> {channels = 4 : i64, pixels = 4 : i64, pe = 2 : i64} : !df.stream<2xui5, 8> -> !df.stream<2x!bnn.bipolar, 8>
  %pool = df.pool %act {channels = 4 : i64, ifm = array<i64: 2, 2>, ofm = array<i64: 1, 1>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pe = 2 : i64} : !df.stream<2x!bnn.bipolar, 8> -> !df.stream<2x!bnn.bipolar, 2>
  %wide = df.dwc %pool : !df.stream<2x!bnn.bipolar, 2> -> !df.stream<4x!bnn.bipolar, 1>
  %scores = df.mvtu %wide weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 4 : i64, mh = 4 : i64, pe = 1 : i64, simd = 4 : i64, popcount} : !df.stream<4x!bnn.bipolar, 1> -> !df.stream<1xui3, 4>
  %label = df.label_select %scores {classes = 4 : i64, k = 1 : i64, pe = 1 : i64} : !df.stream<1xui3, 4> -> !df.stream<1xui2, 1>
  df.output %label {shape = array<i64: 1>} : !df.stream<1xui2, 1>
}

// -----

// A graph called from the host: only the graph and its engines get estimates; the report names
// the bnn layers that engines carry. The sized FIFO
// (64 words) is too deep for a shift register (32) and goes to LUTRAM: ⌈64/64⌉·1 LUT. The AXI
// ports count in the totals but carry no attribute (no op implements them): 64 → 4 lanes of an
// 8-element frame, 2 output slots (2-bit slots), 16·2 + 1·4 = 36 and bnnc_frame_in's 2: 38; the
// output port, one lane to 64 of a 2-element frame, 2 input slots: 16·2 + 1·2 = 34.

// CHECK-LABEL: df.graph @accel attributes {df.estimate = {cycles = 4 : i64, lut = 217 : i64, ff = 142 : i64, bram18 = 0 : i64, lutram = 16 : i64, fps = 5.000000e+07 : f64, latency_cycles = 10 : i64, bottleneck = "m", clock_mhz = 2.000000e+02 : f64}}
// CHECK:         %m = df.mvtu %in {{.*}} {df.estimate = {cycles = 4 : i64, lut = 83 : i64, ff = 46 : i64, bram18 = 0 : i64, lutram = 12 : i64}, layer = "fc0", mw = 8 : i64,
// CHECK-NEXT:    %f = df.fifo %m {df.estimate = {cycles = 2 : i64, lut = 62 : i64, ff = 41 : i64, bram18 = 0 : i64, lutram = 4 : i64}, depth = 64 : i64}
// CHECK:       func.func @main
// CHECK-NEXT:    %y = df.invoke @accel(%x) : (tensor<1x8x!bnn.bipolar>) -> tensor<1x2x!bnn.bipolar>

// TABLE-LABEL: df.graph @accel on zc706 (xc7z045ffg900-2) at 200.0 MHz
// TABLE-NEXT:  node layer kind PE SIMD MMV cycles LUT BRAM18 share
// TABLE-NEXT:  axis_in - axis - - - 2 38 0 50.0%
// TABLE-NEXT:  fc0 fc0 mvtu 1 4 1 4 83 0 100.0%
// TABLE-NEXT:  f - fifo - - - 2 62 0 50.0%
// TABLE-NEXT:  axis_out - axis - - - 2 34 0 50.0%
// TABLE-NEXT:  total 217 0
// TABLE-NEXT:  throughput: 50000000.0 FPS (bottleneck fc0, 4 cycles/frame)
// TABLE-NEXT:  latency: 10 cycles (0.05 us) at most: the engines' cycles summed along the pipeline

// JSON-LABEL: "graph": "accel",
// The reports name an engine after its layer (bnnc.analysis.engine_names), the IR's name hint otherwise;
// the sized FIFO carries its depth.
// JSON:       "name": "fc0",
// JSON-NEXT:  "layer": "fc0",
// JSON:       "name": "f",
// JSON:       "depth": 64
// JSON:       "bottleneck": "fc0",

builtin.module {
  df.graph @accel {
    %in = df.input {shape = array<i64: 8>} : !df.stream<4x!bnn.bipolar, 2>
    %m = df.mvtu %in weights<!bnn.bipolar> dense<[[255], [0]]> : tensor<2x1xui64> {layer = "fc0", mw = 8 : i64, mh = 2 : i64, pe = 1 : i64, simd = 4 : i64, popcount, thresholds = dense<[[4], [5]]> : tensor<2x1xi64>} : !df.stream<4x!bnn.bipolar, 2> -> !df.stream<1x!bnn.bipolar, 2>
    %f = df.fifo %m {depth = 64 : i64} : !df.stream<1x!bnn.bipolar, 2> -> !df.stream<1x!bnn.bipolar, 2>
    df.output %f {shape = array<i64: 2>} : !df.stream<1x!bnn.bipolar, 2>
  }
  func.func @main(%x: tensor<1x8x!bnn.bipolar>) -> tensor<1x2x!bnn.bipolar> {
    %y = df.invoke @accel(%x) : (tensor<1x8x!bnn.bipolar>) -> tensor<1x2x!bnn.bipolar>
    func.return %y : tensor<1x2x!bnn.bipolar>
  }
}
