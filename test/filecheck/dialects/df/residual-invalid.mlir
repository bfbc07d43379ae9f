// RUN: bnnc-opt %s --split-input-file --verify-diagnostics | filecheck %s

// The diagnostics of the residual engines (df.fork, df.join, df.global_pool).

//===------------------------------------------------------------------------------------===//
// df.fork
//===------------------------------------------------------------------------------------===//

df.graph @fork_one_output {
  %in = df.input {shape = array<i64: 4>} : !df.stream<2xui2, 2>
  // CHECK: Operation does not verify: a fork has two or more outputs, got 1
  %a = df.fork %in : !df.stream<2xui2, 2> -> !df.stream<2xui2, 2>
  df.output %a {shape = array<i64: 4>} : !df.stream<2xui2, 2>
}

// -----

df.graph @fork_retypes {
  %in = df.input {shape = array<i64: 4>} : !df.stream<2xui2, 2>
  // CHECK: Operation does not verify: output 1 is !df.stream<4xui2, 1>, a fork copies its input !df.stream<2xui2, 2>
  %a, %b = df.fork %in : !df.stream<2xui2, 2> -> !df.stream<2xui2, 2>, !df.stream<4xui2, 1>
  df.output %a {shape = array<i64: 4>} : !df.stream<2xui2, 2>
}

//===------------------------------------------------------------------------------------===//
// df.join
//===------------------------------------------------------------------------------------===//

// -----

df.graph @join_pe {
  %in = df.input {shape = array<i64: 4>} : !df.stream<2xui2, 2>
  %a, %b = df.fork %in : !df.stream<2xui2, 2> -> !df.stream<2xui2, 2>, !df.stream<2xui2, 2>
  // CHECK: Operation does not verify: 4 channels are not divisible by PE = 3
  %s = df.join %a, %b {channels = 4 : i64, pe = 3 : i64} : !df.stream<2xui2, 2>, !df.stream<2xui2, 2> -> !df.stream<2xui3, 2>
  df.output %s {shape = array<i64: 4>} : !df.stream<2xui3, 2>
}

// -----

df.graph @join_lanes_differ {
  %in = df.input {shape = array<i64: 4>} : !df.stream<2xui2, 2>
  %a, %b = df.fork %in : !df.stream<2xui2, 2> -> !df.stream<2xui2, 2>, !df.stream<2xui2, 2>
  %w = df.dwc %b : !df.stream<2xui2, 2> -> !df.stream<4xui2, 1>
  // CHECK: Operation does not verify: input stream 1 has 4 lanes, expected 2 for this folding
  %s = df.join %a, %w {channels = 4 : i64, pe = 2 : i64} : !df.stream<2xui2, 2>, !df.stream<4xui2, 1> -> !df.stream<2xui3, 2>
  df.output %s {shape = array<i64: 4>} : !df.stream<2xui3, 2>
}

// -----

df.graph @join_narrow_sum {
  %in = df.input {shape = array<i64: 4>} : !df.stream<2xui2, 2>
  %a, %b = df.fork %in : !df.stream<2xui2, 2> -> !df.stream<2xui2, 2>, !df.stream<2xui2, 2>
  // CHECK: Operation does not verify: ui2 does not hold the sums' range [0, 6]
  %s = df.join %a, %b {channels = 4 : i64, pe = 2 : i64} : !df.stream<2xui2, 2>, !df.stream<2xui2, 2> -> !df.stream<2xui2, 2>
  df.output %s {shape = array<i64: 4>} : !df.stream<2xui2, 2>
}

// -----

df.graph @join_words {
  %in = df.input {shape = array<i64: 4>} : !df.stream<2xui2, 2>
  %a, %b = df.fork %in : !df.stream<2xui2, 2> -> !df.stream<2xui2, 2>, !df.stream<2xui2, 2>
  // CHECK: Operation does not verify: the output stream has 1 words per frame, expected 2
  %s = df.join %a, %b {channels = 4 : i64, pe = 2 : i64} : !df.stream<2xui2, 2>, !df.stream<2xui2, 2> -> !df.stream<2xui3, 1>
  df.output %s {shape = array<i64: 2>} : !df.stream<2xui3, 1>
}

//===------------------------------------------------------------------------------------===//
// df.global_pool
//===------------------------------------------------------------------------------------===//

// -----

df.graph @pool_sum_range {
  %in = df.input {shape = array<i64: 2, 2, 2>} : !df.stream<2xui2, 4>
  // CHECK: Operation does not verify: ui3 does not hold the sums' range [0, 12]
  %p = df.global_pool %in {channels = 2 : i64, pixels = 4 : i64, pe = 2 : i64} : !df.stream<2xui2, 4> -> !df.stream<2xui3, 1>
  df.output %p {shape = array<i64: 2>} : !df.stream<2xui3, 1>
}

// -----

df.graph @pool_partial_trunc {
  %in = df.input {shape = array<i64: 2, 2, 2>} : !df.stream<2xui2, 4>
  // CHECK: Operation does not verify: a Trunc post-op needs shift, rounding, lo and hi together
  %p = df.global_pool %in {channels = 2 : i64, pixels = 4 : i64, pe = 2 : i64, shift = 1 : i64} : !df.stream<2xui2, 4> -> !df.stream<2xui4, 1>
  df.output %p {shape = array<i64: 2>} : !df.stream<2xui4, 1>
}

// -----

df.graph @pool_rounding {
  %in = df.input {shape = array<i64: 2, 2, 2>} : !df.stream<2xui2, 4>
  // CHECK: Operation does not verify: unknown rounding 'nearest', expected one of
  %p = df.global_pool %in {channels = 2 : i64, pixels = 4 : i64, pe = 2 : i64, shift = 1 : i64, rounding = "nearest", lo = 0 : i64, hi = 7 : i64} : !df.stream<2xui2, 4> -> !df.stream<2xui3, 1>
  df.output %p {shape = array<i64: 2>} : !df.stream<2xui3, 1>
}

// -----

df.graph @pool_clamp {
  %in = df.input {shape = array<i64: 2, 2, 2>} : !df.stream<2xui2, 4>
  // CHECK: Operation does not verify: ui3 does not hold the clamp range [0, 15]
  %p = df.global_pool %in {channels = 2 : i64, pixels = 4 : i64, pe = 2 : i64, shift = 0 : i64, rounding = "floor", lo = 0 : i64, hi = 15 : i64} : !df.stream<2xui2, 4> -> !df.stream<2xui3, 1>
  df.output %p {shape = array<i64: 2>} : !df.stream<2xui3, 1>
}

// -----

df.graph @pool_output_words {
  %in = df.input {shape = array<i64: 2, 2, 2>} : !df.stream<1xui2, 8>
  // CHECK: Operation does not verify: the output stream has 1 words per frame, expected 2
  %p = df.global_pool %in {channels = 2 : i64, pixels = 4 : i64, pe = 1 : i64} : !df.stream<1xui2, 8> -> !df.stream<1xui4, 1>
  df.output %p {shape = array<i64: 1>} : !df.stream<1xui4, 1>
}
