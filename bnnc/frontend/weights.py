"""Recognising binary and n-bit weights among the real numbers an exporter writes.

Exporters store weights as floats: FINN-ONNX and plain ONNX as ±1 (or ±s), QONNX as real
numbers that a BipolarQuant or Quant node maps to ±s or to multiples of s. After constant
folding, a layer's (M, K) weight matrix is classified per output channel m:

- bipolar when every |W[m, k]| equals one positive s_m: codes W > 0, scale s_m;
- n-bit when every W[m, k] is an integer multiple of one s_m (the smallest non-zero |W[m, k]|,
  or the quantizer's own scale, per tensor or per channel, when the weights came out of a Quant
  node), with the integers in
  an n ≤ 8 bit two's complement range.

The scales leave the layer as a per-channel factor on its accumulator (an affine op after it),
so the layer itself computes on ±1 or small integers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.dialects.builtin import IntegerType, Signedness
from xdsl.ir import Attribute

from bnnc.dialects.bnn import bipolar

MAX_WEIGHT_BITS = 8


@dataclass
class LayerWeights:
    codes: np.ndarray  # (M, K) ±1 or signed integers
    weight_type: Attribute
    scale: np.ndarray  # (M,) real factor of each output channel

    @property
    def bits(self) -> int:
        return 1 if self.weight_type == bipolar else self.weight_type.width.data  # type: ignore[attr-defined]


class NotBinaryRepresentable(Exception):
    """The reason a weight matrix is neither bipolar nor n-bit."""


def classify(matrix: np.ndarray, quant_scale: float | np.ndarray | None = None) -> LayerWeights:
    """The weights' codes and scales; `quant_scale` is the quantizer's own scale, one for the
    matrix or one per row, when the weights came out of a Quant node."""
    w = np.asarray(matrix, dtype=np.float64)
    if not np.all(np.isfinite(w)):
        raise NotBinaryRepresentable("the weights hold NaN or Inf")
    magnitude = np.abs(w)
    row_max = magnitude.max(axis=1)
    if np.all(row_max > 0) and np.all(magnitude == row_max[:, None]):
        return LayerWeights(np.where(w > 0, 1, -1).astype(np.int64), bipolar, row_max)

    if quant_scale is not None:  # one scale, or one per output channel
        steps = np.broadcast_to(np.asarray(quant_scale, dtype=np.float64).reshape(-1), w.shape[:1]).copy()
    else:
        nonzero = np.where(magnitude > 0, magnitude, np.inf)
        steps = nonzero.min(axis=1)
        steps[~np.isfinite(steps)] = 1.0  # an all-zero row
    k = w / steps[:, None]
    # Folded quantizers store code·scale in float32: k is an integer to float32's relative
    # precision (2^-24), so an 8-bit code 127 may be off by 1e-5.
    integral = bool(np.all(np.abs(k - np.round(k)) <= 1e-6 * np.maximum(1.0, np.abs(k))))
    ints = np.round(k).astype(np.int64)
    bits = max(_signed_bits(int(ints.min())), _signed_bits(int(ints.max())))
    if not integral or bits > MAX_WEIGHT_BITS:
        distinct = len(np.unique(w))
        raise NotBinaryRepresentable(
            f"the {w.shape[0]}x{w.shape[1]} weights take {distinct} distinct real values; "
            "expected ±s per output channel (binary) or integer multiples of one scale "
            f"within {MAX_WEIGHT_BITS} bits (n-bit)"
        )
    return LayerWeights(ints, IntegerType(bits, Signedness.SIGNED), steps)


def _signed_bits(value: int) -> int:
    """Bits of the smallest two's complement type holding `value` (at least 2)."""
    bits = 2
    while not -(1 << (bits - 1)) <= value <= (1 << (bits - 1)) - 1:
        bits += 1
    return bits
