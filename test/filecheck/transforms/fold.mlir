// RUN: bnnc-opt %s -p 'fold{target-fps=25000000 clock-mhz=200}' | filecheck %s --check-prefix=FIX
// RUN: bnnc-opt %s -p 'fold{max=true}' | filecheck %s --check-prefix=MAX
// RUN: not bnnc-opt %s -p 'fold{target-fps=1000000000}' 2>&1 | filecheck %s --check-prefix=IMPOSSIBLE
// RUN: echo '{"fc0": {"pe": 3}}' > %t.json && not bnnc-opt %s -p 'fold{target-fps=9000 folding="%t.json"}' 2>&1 | filecheck %s --check-prefix=PINNED
// RUN: not bnnc-opt %s -p 'fold' 2>&1 | filecheck %s --check-prefix=SCENARIO
// RUN: bnnc-opt %s -p 'fold{target-fps=25000000 objective=lut}' | filecheck %s --check-prefix=LUT
// RUN: not bnnc-opt %s -p 'fold{target-fps=9000 objective=area}' 2>&1 | filecheck %s --check-prefix=OBJECTIVE
// The clock is the target's, set once by fold: the estimate of a design folded at 100 MHz is at
// 100 MHz; without clock-mhz it is the board's own (its data file's 200 MHz).
// RUN: bnnc-opt %s -p 'fold{target-fps=1000 clock-mhz=100},insert-streams,size-fifos' -t 'report{format=json}' | filecheck %s --check-prefix=CLOCK
// RUN: bnnc-opt %s -p 'fold{target-fps=1000},insert-streams,size-fifos' -t 'report{format=json}' | filecheck %s --check-prefix=DEFAULT-CLOCK
// RUN: bnnc-opt %s -p 'fold{target-fps=1000 clock-mhz=100},insert-streams,size-fifos,estimate' | filecheck %s --check-prefix=ESTIMATE-CLOCK
// RUN: not bnnc-opt %s -p 'fold{target-fps=1000 board=pynq-z9}' 2>&1 | filecheck %s --check-prefix=BOARD
// CLOCK: "clock_mhz": 100.0,
// DEFAULT-CLOCK: "clock_mhz": 200.0,
// ESTIMATE-CLOCK: clock_mhz = 1.000000e+02 : f64
// ESTIMATE-CLOCK-SAME: target = #df.target<board = "zc706", part = "xc7z045ffg900-2", clock_mhz = 100.0>
// BOARD: bnnc-opt: error: unknown board 'pynq-z9'; known boards: pynq-z1, pynq-z2, zc706, zcu104 (or give the path of a .json device file)

// Two dense layers, 16x8 then 8x4, at 200 MHz. 25 M FPS leaves 8 cycles per frame: the
// cheapest folding is fc0 at PE 1, SIMD 16 (8 neuron folds of 1 synapse fold, 123 LUT) and fc1 at
// PE 4, SIMD 1 (1 of 8, 88 LUT), no width converter between them, and the input port's converter
// from 64-bit AXI words straight to fc0's 16-element words (one slot: 16·1 + 16 LUT) with
// bnnc_frame_in (2), 34 LUT, so 245 LUT; with the output port's 32 LUT (4 lanes of 4 bits into one
// AXI word: 16·1 + 16), 277, recorded on the graph as `-t report` totals it.
// FIX:       df.graph @accelerator attributes {df.folding = {scenario = "fix", solver = "exact", objective = "device", target_cycles = 8 : i64, cycles = 8 : i64, lut = 277 : i64, bram18 = 0 : i64, bottleneck = "fc0"}, target = #df.target<board = "zc706", part = "xc7z045ffg900-2", clock_mhz = 200.0>} {
// FIX-NEXT:    %0 = df.input {shape = array<i64: 16>} : !df.stream<16x!bnn.bipolar, 1>
// FIX-NEXT:    %1 = df.mvtu %0 {{.*}} {mw = 16 : i64, mh = 8 : i64, pe = 1 : i64, simd = 16 : i64, {{.*}}layer = "fc0"} : !df.stream<16x!bnn.bipolar, 1> -> !df.stream<1x!bnn.bipolar, 8>
// FIX-NEXT:    %2 = df.mvtu %1 {{.*}} {mw = 8 : i64, mh = 4 : i64, pe = 4 : i64, simd = 1 : i64, {{.*}}layer = "fc1"} : !df.stream<1x!bnn.bipolar, 8> -> !df.stream<4xui4, 1>
// The fastest design within the default budget.
// MAX:       df.graph @accelerator attributes {df.folding = {scenario = "max", {{.*}}target_cycles = 1 : i64, cycles = 1 : i64
// IMPOSSIBLE: bnnc-opt: error: layer '{{fc[01]}}' cannot reach the target, less than one cycle per frame at 200 MHz: its best is 1 cycles
// IMPOSSIBLE-SAME: ; the fastest design within the budget reaches 200,000,000 FPS (1 cycle a frame at 200 MHz), set by the 64-bit AXI input port: a frame of 16 elements of 1 bit is 1 word, one a cycle
// PINNED:    bnnc-opt: error: layer 'fc0': PE 3, SIMD 1, MMV 1 is not a legal folding; legal choices: PE in [1, 2, 4, 8]; SIMD in [1, 2, 4, 8, 16]; MMV in [1]
// SCENARIO:  bnnc-opt: error: fold needs either a target frame rate (target-fps) or max=true

// Without block RAM in play the objectives agree on the design.
// LUT:         df.folding = {scenario = "fix", solver = "exact", objective = "lut", {{.*}}lut = 277 : i64, bram18 = 0 : i64

// OBJECTIVE:   bnnc-opt: error: unknown folding objective 'area'; expected one of device, lut, bram
df.graph @accelerator {
  %0 = df.input {shape = array<i64: 16>} : !df.stream<1x!bnn.bipolar, 16>
  %1 = df.mvtu %0 weights<!bnn.bipolar> dense<0> : tensor<8x1xui64> {mw = 16 : i64, mh = 8 : i64, pe = 1 : i64, simd = 1 : i64, popcount, thresholds = dense<8> : tensor<1x1xi64>, layer = "fc0"} : !df.stream<1x!bnn.bipolar, 16> -> !df.stream<1x!bnn.bipolar, 8>
  %2 = df.mvtu %1 weights<!bnn.bipolar> dense<0> : tensor<4x1xui64> {mw = 8 : i64, mh = 4 : i64, pe = 1 : i64, simd = 1 : i64, popcount, layer = "fc1"} : !df.stream<1x!bnn.bipolar, 8> -> !df.stream<1xui4, 4>
  df.output %2 {shape = array<i64: 4>} : !df.stream<1xui4, 4>
}
