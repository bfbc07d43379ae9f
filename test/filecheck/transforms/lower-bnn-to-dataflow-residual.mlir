// lower-bnn-to-dataflow on residual graphs (docs/design.md, "Residual networks at the df level"):
// a value with two device readers goes through a df.fork, one output a reader; bnn.add becomes
// a df.join at PE 1 (the requantization after it a df.threshold); a global bnn.sum_pool becomes a
// df.global_pool, taking the bnn.trunc that reads it alone as its post-op.

// RUN: bnnc-opt %S/Inputs/lower-residual/add.mlir -p lower-bnn-to-dataflow | filecheck %s --check-prefix=ADD
// ADD:      %0 = df.input {shape = array<i64: 4>} : !df.stream<1xui2, 4>
// ADD-NEXT: %1, %2 = df.fork %0 : !df.stream<1xui2, 4> -> !df.stream<1xui2, 4>, !df.stream<1xui2, 4>
// ADD-NEXT: %3 = df.threshold %1 by dense<{{\[\[}}1, 2, 3]]> : tensor<1x3xi64> {channels = 4 : i64, pe = 1 : i64, layer = "threshold0"} : !df.stream<1xui2, 4> -> !df.stream<1xui2, 4>
// ADD-NEXT: %4 = df.join %2, %3 {channels = 4 : i64, pe = 1 : i64, layer = "join0"} : !df.stream<1xui2, 4>, !df.stream<1xui2, 4> -> !df.stream<1xui3, 4>
// ADD-NEXT: %5 = df.threshold %4 by dense<{{\[\[}}2, 4, 6]]> : tensor<1x3xi64> {channels = 4 : i64, pe = 1 : i64, layer = "threshold1"} : !df.stream<1xui3, 4> -> !df.stream<1xui2, 4>
// ADD-NEXT: df.output %5 {shape = array<i64: 4>} : !df.stream<1xui2, 4>
// ADD:      %y = df.invoke @accelerator(%x) : (tensor<1x4xui2>) -> tensor<1x4xui2>

// RUN: bnnc-opt %S/Inputs/lower-residual/sum_pool.mlir -p lower-bnn-to-dataflow | filecheck %s --check-prefix=POOL
// POOL:      %0 = df.input {shape = array<i64: 4, 4, 2>} : !df.stream<1xui2, 32>
// POOL-NEXT: %1 = df.global_pool %0 {channels = 2 : i64, pixels = 16 : i64, pe = 1 : i64, layer = "global_pool0"} : !df.stream<1xui2, 32> -> !df.stream<1xui6, 2>
// POOL-NEXT: df.output %1 {shape = array<i64: 1, 1, 2>} : !df.stream<1xui6, 2>

// RUN: bnnc-opt %S/Inputs/lower-residual/global_pool_trunc.mlir -p lower-bnn-to-dataflow | filecheck %s --check-prefix=TRUNC
// TRUNC:      %1 = df.global_pool %0 {channels = 2 : i64, pixels = 16 : i64, pe = 1 : i64, shift = 2 : i64, zero_point = 1 : i64, rounding = "half_up", lo = 0 : i64, hi = 15 : i64, layer = "global_pool0"} : !df.stream<1xui2, 32> -> !df.stream<1xui4, 2>
// TRUNC-NEXT: df.output %1 {shape = array<i64: 2>} : !df.stream<1xui4, 2>
// TRUNC-NOT:  bnn.trunc
