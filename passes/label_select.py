"""`label-select`: the top-k of the scores becomes the top-k of the last layer's accumulators.

    %s = bnn.affine %acc scale s bias b          %i = bnn.topk %acc
    %i = bnn.topk %s                        →

One positive scale and one bias for all classes keep the order of the scores (ties included),
so the label select can read the integer accumulators and run in hardware. A per-class scale or
bias can reorder classes and must not fire; the affine stays for its other users (scores reported
in the model's units, on the host).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from bnnc.dialects import bnn
from bnnc.passes.channels import channel_params


class SelectOnAccumulators(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: bnn.TopKOp, rewriter: PatternRewriter) -> None:
        affine = op.input.owner
        if not isinstance(affine, bnn.AffineOp):
            return
        p = channel_params(affine)
        if p["scale"].size != 1 or p["bias"].size != 1 or p["scale"][0] <= 0:
            return
        rewriter.replace(
            op,
            bnn.TopKOp.build(
                operands=[affine.input], result_types=[op.output.type], properties=dict(op.properties)
            ),
        )
        if not affine.output.uses:
            rewriter.erase(affine)


@dataclass(frozen=True)
class LabelSelectPass(ModulePass):
    """Let label selects read integer accumulators where the order of the scores allows."""

    name = "label-select"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        PatternRewriteWalker(
            GreedyRewritePatternApplier([SelectOnAccumulators()], dce_enabled=False)
        ).rewrite_module(op)
