"""Helpers for the per-channel ops of `bnn` (affine, batch norm, threshold), shared by passes."""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import BytesAttr, DenseIntOrFPElementsAttr, IntegerAttr, TensorType, f64, i64
from xdsl.ir import Attribute, Operation, SSAValue

from bnnc.dialects import bnn

CHANNEL_PARAMS = {
    bnn.AffineOp: ("scale", "bias"),
    bnn.BatchNormOp: ("gamma", "beta", "mean", "var"),
    bnn.ThresholdOp: ("thresholds",),
}


def channel_params(op: Operation) -> dict[str, np.ndarray]:
    """An op's per-channel parameters as float64 arrays with the channels first."""
    names = CHANNEL_PARAMS.get(type(op), ())
    return {name: bnn.dense_values(getattr(op, name)).astype(np.float64) for name in names}


def dense_f64(values: np.ndarray) -> DenseIntOrFPElementsAttr:
    array = np.ascontiguousarray(np.reshape(values, -1), dtype=np.float64)
    return DenseIntOrFPElementsAttr(TensorType(f64, array.shape), BytesAttr(array.tobytes()))


def dense_i64(values: np.ndarray) -> DenseIntOrFPElementsAttr:
    array = np.ascontiguousarray(values, dtype=np.int64)
    return DenseIntOrFPElementsAttr(TensorType(i64, array.shape), BytesAttr(array.tobytes()))


def affine_op(
    value: SSAValue, scale: np.ndarray, bias: np.ndarray, axis: int, result_type: Attribute
) -> bnn.AffineOp:
    """An affine op; parameters that are the same for every channel collapse to one entry."""
    scale, bias = np.reshape(scale, -1), np.reshape(bias, -1)
    if np.all(scale == scale[0]) and np.all(bias == bias[0]):
        scale, bias = scale[:1], bias[:1]
    else:
        size = max(scale.size, bias.size)
        scale, bias = np.broadcast_to(scale, (size,)), np.broadcast_to(bias, (size,))
    return bnn.AffineOp.build(
        operands=[value],
        result_types=[result_type],
        properties={"scale": dense_f64(scale), "bias": dense_f64(bias), "axis": IntegerAttr(axis, i64)},
    )


def map_axis_through(layout: Operation, axis: int, per_channel: bool) -> int | None:
    """The axis of a layout op's input that becomes `axis` of its output, if there is one.

    A transpose maps output axis i to input axis perm[i]. A reshape maps a channel axis when the
    same number of elements precedes it on both sides and its size is kept. Parameters shared by
    all channels fit any axis (1 is used).
    """
    if not per_channel:
        return 1
    out_shape = bnn.shape_of(layout.results[0].type)
    in_shape = bnn.shape_of(layout.operands[0].type)
    if isinstance(layout, bnn.TransposeOp):
        return bnn.array_values(layout.perm)[axis]
    before = int(np.prod(out_shape[:axis]))
    for candidate in range(1, len(in_shape)):
        if int(np.prod(in_shape[:candidate])) == before and in_shape[candidate] == out_shape[axis]:
            return candidate
    return None
