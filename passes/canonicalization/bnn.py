"""Canonicalization patterns of the `bnn` dialect, run by the upstream `canonicalize` pass.

They bring an export, whatever its exporter's arrangement, to one shape: layout ops (reshape,
transpose) sink below element-wise ops and cancel each other, batch norms become affine maps,
chains of affine maps become one, and an affine map in front of a quantizer folds into the
quantizer's scale. Each pattern is rooted at the op that owns it (see the traits in
`dialects/bnn.py`).

Merging real-valued maps changes their evaluation in double precision by at most a few ulps;
it can change a binarized value only at an exact tie (see docs/design.md, "Real arithmetic").
"""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import FloatAttr, IntegerAttr, TensorType, f64, i64
from xdsl.ir import Operation
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern, op_type_rewrite_pattern

from bnnc.dialects import bnn
from bnnc.passes.channels import affine_op, channel_params, map_axis_through


class FoldIdentityReshape(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: bnn.ReshapeOp, rewriter: PatternRewriter) -> None:
        if op.input.type == op.output.type:
            rewriter.replace(op, [], [op.input])
            return
        producer = op.input.owner
        if isinstance(producer, bnn.ReshapeOp):
            rewriter.replace(op, bnn.ReshapeOp(producer.input, op.output.type))


class FoldIdentityTranspose(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: bnn.TransposeOp, rewriter: PatternRewriter) -> None:
        perm = bnn.array_values(op.perm)
        if list(perm) == sorted(perm):
            rewriter.replace(op, [], [op.input])
            return
        producer = op.input.owner
        if isinstance(producer, bnn.TransposeOp):
            inner = bnn.array_values(producer.perm)
            composed = [inner[p] for p in perm]
            rewriter.replace(
                op,
                bnn.TransposeOp.build(
                    operands=[producer.input],
                    result_types=[op.output.type],
                    properties={"perm": op.perm.from_list(i64, composed)},
                ),
            )


class SinkLayoutBelowElementwise(RewritePattern):
    """`op(layout(x))` → `layout(op(x))` for an element-wise op whose channels map through.

    Element-wise ops act on every element alike, except for the per-channel parameters of the
    ones with an `axis`; those move only when their channel axis maps to one axis of x.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self,
        op: bnn.AffineOp | bnn.BatchNormOp | bnn.ThresholdOp | bnn.SignOp | bnn.QuantizeOp,
        rewriter: PatternRewriter,
    ) -> None:
        layout = op.operands[0].owner
        if not isinstance(layout, bnn.ReshapeOp | bnn.TransposeOp) or not layout.output.has_one_use():
            return
        properties = dict(op.properties)
        if "axis" in properties:
            per_channel = _is_per_channel(op)
            new_axis = map_axis_through(layout, op.axis.value.data, per_channel=per_channel)
            if new_axis is None:
                return
            if isinstance(op, bnn.ThresholdOp) and per_channel and new_axis != 1:
                return  # a threshold unit thresholds the channels of a stream (axis 1) only
            properties["axis"] = IntegerAttr(new_axis, i64)
        source_shape = bnn.shape_of(layout.input.type)
        moved = type(op).build(
            operands=[layout.input],
            result_types=[TensorType(bnn.element_type(op.results[0].type), source_shape)],
            properties=properties,
        )
        relayout = type(layout).build(
            operands=[moved.results[0]],
            result_types=[op.results[0].type],
            properties=dict(layout.properties),
        )
        rewriter.replace(op, [moved, relayout])
        rewriter.erase(layout)


def _is_per_channel(op: Operation) -> bool:
    # channels first: a threshold's (1, steps) thresholds are shared by all channels
    return any(np.asarray(v).shape[0] > 1 for v in channel_params(op).values())


class BatchNormToAffine(RewritePattern):
    """γ·(x − μ)/σ + β = a·x + b with a = γ/σ and b = β − μ·γ/σ."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: bnn.BatchNormOp, rewriter: PatternRewriter) -> None:
        p = channel_params(op)
        a = p["gamma"] / np.sqrt(p["var"] + op.epsilon.value.data)
        b = p["beta"] - p["mean"] * a
        rewriter.replace(op, affine_op(op.input, a, b, op.axis.value.data, op.output.type))


class MergeAffines(RewritePattern):
    """`affine(affine(x))` → one affine: s2·(s1·x + b1) + b2 = (s1·s2)·x + (b1·s2 + b2)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: bnn.AffineOp, rewriter: PatternRewriter) -> None:
        inner = op.input.owner
        if not isinstance(inner, bnn.AffineOp) or not inner.output.has_one_use():
            return
        outer_p, inner_p = channel_params(op), channel_params(inner)
        axis = _common_axis(op, inner)
        if axis is None:
            return
        scale = inner_p["scale"] * outer_p["scale"]
        bias = inner_p["bias"] * outer_p["scale"] + outer_p["bias"]
        rewriter.replace(op, affine_op(inner.input, scale, bias, axis, op.output.type))
        rewriter.erase(inner)


def _common_axis(a: Operation, b: Operation) -> int | None:
    """The channel axis both per-channel ops can share (a scalar op fits any axis)."""
    a_scalar, b_scalar = not _is_per_channel(a), not _is_per_channel(b)
    if a_scalar:
        return b.axis.value.data  # type: ignore[attr-defined]
    if b_scalar or a.axis.value.data == b.axis.value.data:  # type: ignore[attr-defined]
        return a.axis.value.data  # type: ignore[attr-defined]
    return None


class FoldIdentityAffine(RewritePattern):
    """x·1 + 0 on a real tensor is x."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: bnn.AffineOp, rewriter: PatternRewriter) -> None:
        p = channel_params(op)
        if op.input.type == op.output.type and np.all(p["scale"] == 1) and np.all(p["bias"] == 0):
            rewriter.replace(op, [], [op.input])


class FoldAffineIntoQuantize(RewritePattern):
    """quantize(a·x + b) with one a > 0: (a·x + b)/s + z = x/(s/a) + (z + b/s)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: bnn.QuantizeOp, rewriter: PatternRewriter) -> None:
        affine = op.input.owner
        if not isinstance(affine, bnn.AffineOp) or not affine.output.has_one_use():
            return
        if _is_per_channel(affine) or not bnn.is_real(bnn.element_type(affine.input.type)):
            return
        p = channel_params(affine)
        a, b = float(p["scale"][0]), float(p["bias"][0])
        if a <= 0:
            return
        s, z = op.scale.value.data, op.zero_point.value.data
        properties = dict(op.properties)
        properties["scale"] = FloatAttr(s / a, f64)
        properties["zero_point"] = FloatAttr(z + b / s, f64)
        rewriter.replace(
            op,
            bnn.QuantizeOp.build(
                operands=[affine.input], result_types=[op.output.type], properties=properties
            ),
        )
        rewriter.erase(affine)



PATTERNS: dict[type[Operation], tuple[type[RewritePattern], ...]] = {
    bnn.ReshapeOp: (FoldIdentityReshape,),
    bnn.TransposeOp: (FoldIdentityTranspose,),
    bnn.AffineOp: (FoldIdentityAffine, MergeAffines, SinkLayoutBelowElementwise),
    bnn.BatchNormOp: (BatchNormToAffine, SinkLayoutBelowElementwise),
    bnn.ThresholdOp: (SinkLayoutBelowElementwise,),
    bnn.SignOp: (SinkLayoutBelowElementwise,),
    bnn.QuantizeOp: (FoldAffineIntoQuantize, SinkLayoutBelowElementwise),
}


def patterns_for(op: type[Operation]) -> tuple[RewritePattern, ...]:
    return tuple(pattern() for pattern in PATTERNS.get(op, ()))


def all_patterns() -> tuple[RewritePattern, ...]:
    return tuple(pattern() for pattern in {p for ps in PATTERNS.values() for p in ps})
