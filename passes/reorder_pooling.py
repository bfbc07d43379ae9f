"""`reorder-pooling`: max-pool before a threshold becomes max-pool of the thresholded bits.

    %p = bnn.maxpool %acc            %t = bnn.threshold %acc by T
    %t = bnn.threshold %p by T   →   %p = bnn.maxpool %t

A threshold unit is non-decreasing in its input ("≥" always holds, DESIGN.md), so
threshold(max(x)) = max(threshold(x)) channel by channel, and on bits the max-pool is an OR.
BNN-PYNQ exports pool before the activation, Brevitas after it; both end in the second form.
A pool before an activation of decreasing slope (γ < 0) is never a `bnn.threshold` (threshold
fusion refuses it), so it stays as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.dialects.builtin import TensorType
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from bnnc.dialects import bnn


class ThresholdBeforePool(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: bnn.ThresholdOp, rewriter: PatternRewriter) -> None:
        pool = op.input.owner
        if not isinstance(pool, bnn.MaxPoolOp) or not pool.output.has_one_use():
            return
        per_channel = bnn.dense_values(op.thresholds).shape[0] > 1
        if per_channel and op.axis.value.data != 1:
            return  # the pool's window runs over H and W of NCHW; channels must be axis 1
        threshold = bnn.ThresholdOp.build(
            operands=[pool.input],
            result_types=[TensorType(bnn.element_type(op.output.type), bnn.shape_of(pool.input.type))],
            properties=dict(op.properties),
        )
        pooled = bnn.MaxPoolOp.build(
            operands=[threshold.output], result_types=[op.output.type], properties=dict(pool.properties)
        )
        rewriter.replace(op, [threshold, pooled])
        rewriter.erase(pool)


@dataclass(frozen=True)
class ReorderPoolingPass(ModulePass):
    """Move thresholds above the max-pools they follow."""

    name = "reorder-pooling"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        PatternRewriteWalker(
            GreedyRewritePatternApplier([ThresholdBeforePool()], dce_enabled=False)
        ).rewrite_module(op)
