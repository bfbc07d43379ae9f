// lower-bnn-to-dataflow does not lower DAGs yet: a residual op or a fork is refused with one
// error naming the op and what is missing (docs/design.md, "Residual networks at the df level").
// One input file a case (the first error ends a run); each case's IR is in Inputs/lower-residual.

// RUN: not bnnc-opt %S/Inputs/lower-residual/add.mlir -p lower-bnn-to-dataflow 2>&1 | filecheck %s --check-prefix=ADD
// ADD: bnnc-opt: error: 'bnn.add', a residual join (the elementwise add of two streams), is not supported by lower-bnn-to-dataflow yet: the df level has no fork, join, concat or pool-sum engines (see docs/design.md, 'Residual networks at the df level'); the bnn level runs this model (bnnc run --engine bnn)

// RUN: not bnnc-opt %S/Inputs/lower-residual/concat.mlir -p lower-bnn-to-dataflow 2>&1 | filecheck %s --check-prefix=CONCAT
// CONCAT: bnnc-opt: error: 'bnn.concat', a concatenation of streams, is not supported by lower-bnn-to-dataflow yet

// RUN: not bnnc-opt %S/Inputs/lower-residual/sum_pool.mlir -p lower-bnn-to-dataflow 2>&1 | filecheck %s --check-prefix=SUMPOOL
// SUMPOOL: bnnc-opt: error: 'bnn.sum_pool', an average (sum) pool, is not supported by lower-bnn-to-dataflow yet

// RUN: not bnnc-opt %S/Inputs/lower-residual/trunc.mlir -p lower-bnn-to-dataflow 2>&1 | filecheck %s --check-prefix=TRUNC
// TRUNC: bnnc-opt: error: 'bnn.trunc', a QONNX Trunc, is not supported by lower-bnn-to-dataflow yet

// A fork without a residual op: two accelerator ops read one threshold's output.
// RUN: not bnnc-opt %S/Inputs/lower-residual/fork.mlir -p lower-bnn-to-dataflow 2>&1 | filecheck %s --check-prefix=FORK
// FORK: bnnc-opt: error: the result of 'bnn.threshold' feeds 2 accelerator ops (bnn.dense, bnn.threshold): a fork is not supported by lower-bnn-to-dataflow yet
