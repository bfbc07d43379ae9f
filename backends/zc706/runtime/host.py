"""The host's part of a network on the board: the input quantizer and the post-processing.

Shipped verbatim into the build's `zc706/bnnc_driver/` (the board needs numpy only). The steps
are data in `accelerator.json`, written by bnnc from the `bnn` ops that `partition-host` left on
the host; each is computed as `bnnc.runtime.interpreters.bnn` computes the op (reals in double
precision, bipolar values as bits, 1 for +1), so the board's outputs equal `bnnc run`'s.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

ROUNDING = {"round": np.round, "floor": np.floor, "ceil": np.ceil, "round_to_zero": np.trunc}


def numeric(x: np.ndarray, element: str) -> np.ndarray:
    """Bits as ±1; integers and reals unchanged."""
    return 2 * x.astype(np.int64) - 1 if element == "bipolar" else x


def along(values: list, rank: int, axis: int) -> np.ndarray:
    """A per-channel (or single) parameter shaped to broadcast along `axis`."""
    array = np.asarray(values, dtype=np.float64)
    shape = [1] * rank
    shape[axis] = array.shape[0]
    return array.reshape(shape)


def _affine(x: np.ndarray, step: dict) -> np.ndarray:
    x = numeric(x, step["input"]).astype(np.float64)
    return x * along(step["scale"], x.ndim, step["axis"]) + along(step["bias"], x.ndim, step["axis"])


def _batchnorm(x: np.ndarray, step: dict) -> np.ndarray:
    x = numeric(x, step["input"]).astype(np.float64)

    def param(name: str) -> np.ndarray:
        return along(step[name], x.ndim, step["axis"])

    sigma = np.sqrt(param("var") + step["epsilon"])
    return (x - param("mean")) / sigma * param("gamma") + param("beta")


def _sign(x: np.ndarray, step: dict) -> np.ndarray:
    return (x >= 0).astype(np.uint8)


def _quantize(x: np.ndarray, step: dict) -> np.ndarray:
    q = ROUNDING[step["rounding"]](x / step["scale"] + step["zero_point"])
    return np.clip(q, step["lo"], step["hi"]).astype(np.int64)


def _threshold(x: np.ndarray, step: dict) -> np.ndarray:
    x = np.moveaxis(numeric(x, step["input"]), step["axis"], -1)
    counts = (x[..., None] >= np.asarray(step["thresholds"])).sum(axis=-1)
    counts = counts.astype(np.uint8) if step["output"] == "bipolar" else counts.astype(np.int64) + step["offset"]
    return np.moveaxis(counts, -1, step["axis"])


def _maxpool(x: np.ndarray, step: dict) -> np.ndarray:
    (kh, kw), (sh, sw) = step["kernel"], step["strides"]
    return sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw].max(axis=(4, 5))


def _reshape(x: np.ndarray, step: dict) -> np.ndarray:
    return x.reshape((x.shape[0], *step["shape"][1:]))


def _transpose(x: np.ndarray, step: dict) -> np.ndarray:
    return np.transpose(x, step["perm"])


def _topk(x: np.ndarray, step: dict) -> np.ndarray:
    order = np.argsort(-numeric(x, step["input"]), axis=-1, kind="stable")  # ties: lower index first
    return order[..., : step["k"]].astype(np.int64)


def _softmax(x: np.ndarray, step: dict) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _log_softmax(x: np.ndarray, step: dict) -> np.ndarray:
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _sigmoid(x: np.ndarray, step: dict) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # 1/(1 + e^−x) without overflow


STEPS = {
    "affine": _affine, "batchnorm": _batchnorm, "sign": _sign, "quantize": _quantize,
    "threshold": _threshold, "maxpool": _maxpool, "reshape": _reshape, "transpose": _transpose,
    "topk": _topk, "softmax": _softmax, "log_softmax": _log_softmax, "sigmoid": _sigmoid,
}


def run_steps(x: np.ndarray, steps: list[dict]) -> np.ndarray:
    for step in steps:
        x = STEPS[step["op"]](x, step)
    return x


def model_input(x: np.ndarray, element: str) -> np.ndarray:
    """A batch as the model takes it → the values the first step reads."""
    if element == "bipolar":
        return (x >= 0).astype(np.uint8)  # ±1 values in, bits inside (sign(0) = +1)
    return x.astype(np.int64) if element == "integer" else x.astype(np.float64)


def model_output(y: np.ndarray, element: str) -> np.ndarray:
    """The last step's values → the model's output: reals as float32, the rest as int64."""
    return y.astype(np.float32) if element == "real" else numeric(y, element).astype(np.int64)
