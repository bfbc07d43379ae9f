"""`xnor-lowering`: bipolar × bipolar layers accumulate popcounts instead of ±1 dot products.

For K inputs, dot = Σ x·w = (#agree) − (#disagree) = 2·p − K with p = popcount(xnor(x, w)), the
number of agreeing bits: what the hardware counts. The layer gets `popcount`, and its users move
to the popcount domain:

- a threshold `dot ≥ T` becomes `p ≥ ⌈(T + K)/2⌉`, clipped to [0, K + 1];
- a max-pool, reshape or transpose passes p on (they commute with the monotone map), and their
  users move in turn;
- a label select is unchanged (the map is increasing);
- any other user (real-valued maps at the output) gets the exact integer map back first:
  `bnn.affine` with scale 2 and bias −K, exact in double precision.

Binary-weight layers on n-bit inputs keep their signed sums and are not touched, and so do
layers whose dot products reach a `bnn.add`, `bnn.concat` or `bnn.sum_pool` (`feeds_residual_op`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects import builtin, func
from xdsl.dialects.builtin import FunctionType, TensorType, UnitAttr, f32
from xdsl.ir import SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.rewriter import InsertPoint

from bnnc.dialects import bnn
from bnnc.passes.channels import affine_op, dense_i64

PASS_THROUGH = (bnn.MaxPoolOp, bnn.ReshapeOp, bnn.TransposeOp)


def popcount_threshold(t: np.ndarray, k: int) -> np.ndarray:
    """⌈(T + K)/2⌉ in integers, clipped to [0, K + 1] (never met above K)."""
    return np.clip(-((-(t + k)) // 2), 0, k + 1)


def move_users(value: SSAValue, k: int, rewriter: PatternRewriter) -> None:
    for use in list(value.uses):
        user = use.operation
        if isinstance(user, bnn.ThresholdOp):
            user.thresholds = dense_i64(popcount_threshold(bnn.dense_values(user.thresholds), k))
            rewriter.notify_op_modified(user)
        elif isinstance(user, PASS_THROUGH):
            move_users(user.results[0], k, rewriter)
        elif not isinstance(user, bnn.TopKOp):
            restore = affine_op(
                value, np.array([2.0]), np.array([-float(k)]), 1, TensorType(f32, bnn.shape_of(value.type))
            )
            rewriter.insert(restore, InsertPoint.before(user))
            operands = list(user.operands)
            operands[use.index] = restore.output
            user.operands = operands
            if isinstance(user, func.ReturnOp):
                retype_results(user)
            rewriter.notify_op_modified(user)


def retype_results(ret: func.ReturnOp) -> None:
    """The function returns the restored (real) dot products now, not integer accumulators."""
    function = ret.parent_op()
    if isinstance(function, func.FuncOp):
        inputs = function.function_type.inputs.data
        function.function_type = FunctionType.from_lists(inputs, [v.type for v in ret.operands])


RESIDUAL_OPS = (bnn.AddOp, bnn.ConcatOp, bnn.SumPoolOp)


def feeds_residual_op(value: SSAValue) -> bool:
    """The dot products reach a join, concat or sum pool (through pass-through ops). Those add
    or mix the ±1 dot products with other integers, so they cannot take popcounts, and an exact
    restoring map would be real-valued where the other operands are integers: such a layer
    keeps its dot products."""
    for use in value.uses:
        user = use.operation
        if isinstance(user, RESIDUAL_OPS):
            return True
        if isinstance(user, PASS_THROUGH) and feeds_residual_op(user.results[0]):
            return True
    return False


class LowerXnor(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: bnn.DenseOp | bnn.Conv2dOp | bnn.DepthwiseConv2dOp,
                          rewriter: PatternRewriter) -> None:
        if op.popcount is not None:
            return
        if not (bnn.is_bipolar(bnn.element_type(op.input.type)) and bnn.is_bipolar(op.weight_type)):
            return
        if feeds_residual_op(op.output):
            return
        op.popcount = UnitAttr()
        rewriter.notify_op_modified(op)
        move_users(op.output, op.reduction, rewriter)


@dataclass(frozen=True)
class XnorLoweringPass(ModulePass):
    """Turn bipolar dot products into XNOR-popcounts and move their users to that domain."""

    name = "xnor-lowering"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        PatternRewriteWalker(
            GreedyRewritePatternApplier([LowerXnor()], dce_enabled=False), apply_recursively=False
        ).rewrite_module(op)
