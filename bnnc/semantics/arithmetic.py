"""The arithmetic of bnnc's ops on numpy arrays: the one definition the executors, the passes
that evaluate ops (threshold fusion) and the importer share. Inputs are numbers (bipolar bits
already mapped to ±1 by the caller); per-channel parameters are 1-d vectors along `axis`.
"""

from __future__ import annotations

import numpy as np

ROUNDING = {"round": np.round, "floor": np.floor, "ceil": np.ceil, "round_to_zero": np.trunc}
"""QONNX's rounding modes (`Quant`'s `rounding_mode`, lower-cased) as numpy functions."""


def channel_broadcast(values: np.ndarray, rank: int, axis: int) -> np.ndarray:
    """Shape a per-channel (or single) parameter vector to broadcast along `axis`."""
    shape = [1] * rank
    shape[axis] = values.shape[0]
    return values.reshape(shape)


def threshold_counts(x: np.ndarray, thresholds: np.ndarray, offset: int, bipolar: bool) -> np.ndarray:
    """The multi-threshold unit on channels-last values x (..., C): offset + #{i : x ≥ T[c, i]},
    or the bit of a single threshold for a bipolar result. Shared by every level's executor."""
    if thresholds.shape[-1] == 1:  # one step: a comparison, no reduction over a unit axis
        counts = x >= thresholds[..., 0]
    else:
        counts = (x[..., None] >= thresholds).sum(axis=-1)
    return counts.astype(np.uint8) if bipolar else counts.astype(np.int64) + offset


def multi_threshold(x: np.ndarray, thresholds: np.ndarray, offset: int, bipolar: bool, axis: int) -> np.ndarray:
    """`threshold_counts` with the channels on `axis`."""
    counts = threshold_counts(np.moveaxis(x, axis, -1), thresholds, offset, bipolar)
    return np.moveaxis(counts, -1, axis)


def sign(x: np.ndarray) -> np.ndarray:
    """The bipolar quantizer's bit: sign(0) = +1 (bit 1), Brevitas' convention."""
    return (x >= 0).astype(np.uint8)


def quantize(x: np.ndarray, scale: float, zero_point: float, rounding: str, lo: int, hi: int) -> np.ndarray:
    """QONNX `Quant`'s codes: clip(round(x / scale + zero_point), lo, hi)."""
    q = ROUNDING[rounding](x / scale + zero_point)
    return np.clip(q, lo, hi).astype(np.int64)


def batchnorm(x: np.ndarray, mean: np.ndarray, var: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
              epsilon: float, axis: int) -> np.ndarray:
    """(x − μ) / √(var + ε) · γ + β in double precision, per channel on `axis`."""
    x = x.astype(np.float64)
    rank = x.ndim

    def param(values: np.ndarray) -> np.ndarray:
        return channel_broadcast(values.astype(np.float64), rank, axis)

    sigma = np.sqrt(param(var) + epsilon)
    return (x - param(mean)) / sigma * param(gamma) + param(beta)


def affine(x: np.ndarray, scale: np.ndarray, bias: np.ndarray, axis: int) -> np.ndarray:
    """x · scale + bias in double precision, per channel on `axis`."""
    rank = x.ndim
    y = np.multiply(x, channel_broadcast(scale.astype(np.float64), rank, axis), dtype=np.float64)
    y += channel_broadcast(bias.astype(np.float64), rank, axis)  # in place: one temporary
    return y


TRUNC_ROUNDING = {
    "round": np.round,
    "floor": np.floor,
    "ceil": np.ceil,
    "up": lambda x: np.sign(x) * np.ceil(np.abs(x)),
    "down": np.fix,
    "half_up": lambda x: np.sign(x) * np.floor(np.abs(x) + 0.5),
    "half_down": lambda x: np.sign(x) * np.ceil(np.abs(x) - 0.5),
}
"""QONNX's rounding modes of `Trunc` (qonnx's `resolve_rounding_mode`, lower-cased; `ROUND` is
also spelled `HALF_EVEN`) as numpy functions, each written as qonnx writes it."""


def truncate(x: np.ndarray, shift: int, zero_point: int, rounding: str, lo: int, hi: int) -> np.ndarray:
    """QONNX `Trunc` on integer codes: clip(rounding((x + zero_point) / 2^shift), lo, hi); a
    negative shift multiplies.

    Division by a power of two is exact in double precision for |x| < 2^53, so the rounding sees
    the exact quotient, as qonnx's float64 arithmetic does on the same codes."""
    q = TRUNC_ROUNDING[rounding]((x.astype(np.float64) + zero_point) / 2.0**shift)
    return np.clip(q, lo, hi).astype(np.int64)
