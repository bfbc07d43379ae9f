// lower-bnn-to-dataflow lowers joins, forks and global sum pools (lower-bnn-to-dataflow-residual.mlir);
// a concat, a sum pool over smaller windows and a Trunc elsewhere are refused with one error
// naming the op and what is missing (docs/design.md, "Residual networks at the df level").
// One input file a case (the first error ends a run); each case's IR is in Inputs/lower-residual.

// RUN: not bnnc-opt %S/Inputs/lower-residual/concat.mlir -p lower-bnn-to-dataflow 2>&1 | filecheck %s --check-prefix=CONCAT
// CONCAT: bnnc-opt: error: 'bnn.concat', a concatenation of streams, is not supported by lower-bnn-to-dataflow yet: the df level has fork, join and global pool engines but no concat, window sum pool or standalone Trunc (see docs/design.md, 'Residual networks at the df level'); the bnn level runs this model (bnnc run --engine bnn)

// RUN: not bnnc-opt %S/Inputs/lower-residual/sum_pool_window.mlir -p lower-bnn-to-dataflow 2>&1 | filecheck %s --check-prefix=SUMPOOL
// SUMPOOL: bnnc-opt: error: 'bnn.sum_pool', an average (sum) pool over windows smaller than the frame, is not supported by lower-bnn-to-dataflow yet

// RUN: not bnnc-opt %S/Inputs/lower-residual/trunc.mlir -p lower-bnn-to-dataflow 2>&1 | filecheck %s --check-prefix=TRUNC
// TRUNC: bnnc-opt: error: 'bnn.trunc', a QONNX Trunc that does not follow a global sum pool, is not supported by lower-bnn-to-dataflow yet

// A fork is lowered (lower-bnn-to-dataflow-residual.mlir), but these two readers of one
// threshold are the function's two results: the accelerator has one output.
// RUN: not bnnc-opt %S/Inputs/lower-residual/fork.mlir -p lower-bnn-to-dataflow 2>&1 | filecheck %s --check-prefix=FORK
// FORK: bnnc-opt: error: the accelerator part must have one input and one output, found 1 and 2
