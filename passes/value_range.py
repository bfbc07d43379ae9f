"""The range of values an integer tensor can take, from the ops that produce it.

Threshold fusion clips thresholds to it, xnor-lowering and the hardware's accumulator widths are
sized from it. Bounds are per tensor (the widest channel), exact for each op kind.
"""

from __future__ import annotations

import numpy as np
from xdsl.ir import SSAValue

from bnnc.dialects import bnn


def integer_range_of(value: SSAValue) -> tuple[int, int]:
    element = bnn.element_type(value.type)
    if bnn.is_bipolar(element):
        return -1, 1
    op = value.owner
    if isinstance(op, bnn.DenseOp | bnn.Conv2dOp | bnn.DepthwiseConv2dOp):
        return layer_range(op)
    if isinstance(op, bnn.MaxPoolOp | bnn.ReshapeOp | bnn.TransposeOp):
        return integer_range_of(op.operands[0])
    if isinstance(op, bnn.ThresholdOp):
        steps = bnn.dense_values(op.thresholds).shape[1]
        offset = op.offset.value.data
        return offset, offset + steps
    if isinstance(op, bnn.QuantizeOp):
        return op.lo.value.data, op.hi.value.data
    if isinstance(op, bnn.AddOp | bnn.SumPoolOp | bnn.ConcatOp | bnn.TruncOp):
        return residual_range(op)
    return bnn.integer_range(element)  # type: ignore[arg-type]


def layer_range(op: bnn.DenseOp | bnn.Conv2dOp | bnn.DepthwiseConv2dOp) -> tuple[int, int]:
    """min and max of Σ_k x_k·W[m, k] over inputs x_k in the input's range and rows m."""
    k = op.reduction
    if op.popcount is not None:
        return 0, k
    x_lo, x_hi = integer_range_of(op.operands[0])
    if isinstance(op, bnn.Conv2dOp | bnn.DepthwiseConv2dOp) and any(bnn.array_values(op.pads)):
        pad = op.pad_value.value.data
        x_lo, x_hi = min(x_lo, pad), max(x_hi, pad)
    w = op.weight_matrix(k)
    highs = np.maximum(w * x_lo, w * x_hi).sum(axis=1)
    lows = np.minimum(w * x_lo, w * x_hi).sum(axis=1)
    return int(lows.min()), int(highs.max())


def residual_range(op: bnn.AddOp | bnn.SumPoolOp | bnn.ConcatOp | bnn.TruncOp) -> tuple[int, int]:
    """The range of a residual op's integer result from its operands' ranges: a join adds the
    bounds, a pool of kh·kw values multiplies them, a concat takes the widest, a trunc clamps."""
    if isinstance(op, bnn.TruncOp):
        return op.lo.value.data, op.hi.value.data
    ranges = [integer_range_of(v) for v in op.operands]
    if isinstance(op, bnn.AddOp):
        return ranges[0][0] + ranges[1][0], ranges[0][1] + ranges[1][1]
    if isinstance(op, bnn.SumPoolOp):
        kh, kw = bnn.array_values(op.kernel)
        return kh * kw * ranges[0][0], kh * kw * ranges[0][1]
    return min(r[0] for r in ranges), max(r[1] for r in ranges)
