"""The stream-level semantics of the `df` dialect: a `df.graph` run word by word, frame-batched.

A stream value is an array (N, words, lanes) of element codes (bits as uint8 for bipolar
streams, int64 for integers): exactly the words the hardware moves, unpacked into lanes, for N
frames at once. Each engine reads and writes words in its hardware order, so running a folded
graph checks the stream packing, the MMV pixel grouping, the sliding-window order and the
weight memory layout that the HLS and Verilog backends emit (`df.MvtuOp.weight_memory`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from xdsl.interpreter import Interpreter, InterpreterFunctions, PythonValues, impl, register_impls
from xdsl.ir import Operation, SSAValue
from xdsl.traits import SymbolTable

from bnnc.dialects import bnn, df
from bnnc.errors import BnncError
from bnnc.semantics.arithmetic import threshold_counts


def _int(attr) -> int:
    return attr.value.data


def _numbers(x: np.ndarray, stream: df.StreamType) -> np.ndarray:
    return 2 * x.astype(np.int64) - 1 if bnn.is_bipolar(stream.element) else x


def run_mvtu(op: df.MvtuOp, x: np.ndarray) -> np.ndarray:
    mw, mh, pe, simd = _int(op.mw), _int(op.mh), _int(op.pe), _int(op.simd)
    mmv, vectors = _int(op.mmv), _int(op.vectors)
    n, nf, sf = x.shape[0], mh // pe, mw // simd
    # input words: pixel group g, synapse fold f; lanes (pixel m, lane s)
    vec = x.reshape(n, vectors // mmv, sf, mmv, simd).transpose(0, 1, 3, 2, 4).reshape(n * vectors, mw)
    memory = op.weight_memory()  # (PE, NF·SF, SIMD)
    matrix = memory.reshape(pe, nf, sf, simd).transpose(2, 3, 1, 0).reshape(mw, mh)  # [col, row]
    # ±1 or small-integer products summed in float32 are exact below 2^24; wider sums (products
    # wide enough for DSPs) in float64, exact below 2^53
    numbers = _numbers(vec, op.input.type)
    bound = float(np.abs(numbers).max(initial=0)) * float(np.abs(matrix).max(initial=0)) * mw
    exact = np.float32 if bound < 2**24 else np.float64
    acc = np.rint(numbers.astype(exact) @ matrix.astype(exact))
    acc = acc.astype(np.int64)
    if op.popcount is not None:
        acc = (acc + mw) // 2
    if op.thresholds is not None:
        thresholds = bnn.dense_values(op.thresholds)  # (MH or 1, steps)
        out = threshold_counts(acc, thresholds, _int(op.offset), bnn.is_bipolar(op.output.type.element))
    else:
        out = acc
    # output words: pixel group g, neuron fold f; lanes (pixel m, PE p)
    out = out.reshape(n, vectors // mmv, mmv, nf, pe).transpose(0, 1, 3, 2, 4)
    return out.reshape(n, (vectors // mmv) * nf, mmv * pe)


def _image(x: np.ndarray, channels: int, dims) -> np.ndarray:
    return x.reshape(x.shape[0], dims[0], dims[1], channels)


def run_swu(op: df.SwuOp, x: np.ndarray) -> np.ndarray:
    c, simd, mmv = _int(op.channels), _int(op.simd), _int(op.mmv)
    (kh, kw), (sh, sw) = bnn.array_values(op.kernel), bnn.array_values(op.strides)
    top, left, bottom, right = bnn.array_values(op.pads)
    image = _image(x, c, bnn.array_values(op.ifm))
    if top or left or bottom or right:
        fill = _int(op.pad_value)
        if bnn.is_bipolar(op.input.type.element):
            fill = 1 if fill > 0 else 0
        image = np.pad(image, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=fill)
    windows = sliding_window_view(image, (kh, kw), axis=(1, 2))[:, ::sh, ::sw]  # N,OH,OW,C,kh,kw
    n, oh, ow = windows.shape[:3]
    pixels = windows.transpose(0, 1, 2, 4, 5, 3).reshape(n, oh * ow, kh * kw * c)  # (ky, kx, c)
    folds = kh * kw * c // simd
    words = pixels.reshape(n, oh * ow // mmv, mmv, folds, simd).transpose(0, 1, 3, 2, 4)
    return words.reshape(n, (oh * ow // mmv) * folds, mmv * simd)


def run_pool(op: df.PoolOp, x: np.ndarray) -> np.ndarray:
    c, pe = _int(op.channels), _int(op.pe)
    (kh, kw), (sh, sw) = bnn.array_values(op.kernel), bnn.array_values(op.strides)
    image = _image(x, c, bnn.array_values(op.ifm))
    pooled = sliding_window_view(image, (kh, kw), axis=(1, 2))[:, ::sh, ::sw].max(axis=(4, 5))
    return pooled.reshape(x.shape[0], -1, pe)  # OR on bits


def run_threshold(op: df.ThresholdOp, x: np.ndarray) -> np.ndarray:
    c, pe = _int(op.channels), _int(op.pe)
    thresholds = bnn.dense_values(op.thresholds)
    values = x.reshape(x.shape[0], -1, c)  # pixel-major, channel-minor
    out = threshold_counts(values, thresholds, _int(op.offset), bnn.is_bipolar(op.output.type.element))
    return out.reshape(x.shape[0], -1, pe)


def run_label_select(op: df.LabelSelectOp, x: np.ndarray) -> np.ndarray:
    scores = _numbers(x.reshape(x.shape[0], _int(op.classes)), op.input.type)
    order = np.argsort(-scores, axis=1, kind="stable")  # ties: the lower index first
    return order[:, : _int(op.k)].astype(np.int64)[:, :, None]


def to_elements(x: np.ndarray, stream: df.StreamType, pixels: int) -> np.ndarray:
    """Words (N, words, lanes) → the frame's elements (N, elements) in NHWC order."""
    mmv = stream.mmv.data
    if mmv == 1:
        return x.reshape(x.shape[0], -1)
    lanes = stream.lanes.data // mmv
    vector = stream.elements // pixels
    grouped = x.reshape(x.shape[0], pixels // mmv, vector // lanes, mmv, lanes)
    return grouped.transpose(0, 1, 3, 2, 4).reshape(x.shape[0], -1)


def to_words(elements: np.ndarray, stream: df.StreamType, pixels: int) -> np.ndarray:
    """The inverse of `to_elements`."""
    mmv, n = stream.mmv.data, elements.shape[0]
    if mmv == 1:
        return elements.reshape(n, stream.words.data, stream.lanes.data)
    lanes = stream.lanes.data // mmv
    vector = stream.elements // pixels
    grouped = elements.reshape(n, pixels // mmv, mmv, vector // lanes, lanes).transpose(0, 1, 3, 2, 4)
    return grouped.reshape(n, stream.words.data, stream.lanes.data)


def run_regroup(op: df.DwcOp, x: np.ndarray) -> np.ndarray:
    pixels = _int(op.pixels) if op.pixels is not None else 1
    return to_words(to_elements(x, op.input.type, pixels), op.output.type, pixels)


def run_fifo(op: df.FifoOp, x: np.ndarray) -> np.ndarray:
    return x  # the same words, later


ENGINES: dict[type[Operation], Callable[..., np.ndarray]] = {
    df.MvtuOp: run_mvtu,
    df.SwuOp: run_swu,
    df.PoolOp: run_pool,
    df.ThresholdOp: run_threshold,
    df.LabelSelectOp: run_label_select,
    df.DwcOp: run_regroup,
    df.FifoOp: run_fifo,
}


def run_graph(graph: df.GraphOp, frames: np.ndarray) -> np.ndarray:
    """Frames (N, elements in stream order) in, output frames (N, elements) out."""
    values: dict[SSAValue, np.ndarray] = {}
    for op in graph.body.block.ops:
        if isinstance(op, df.InputOp):
            stream = op.output.type
            values[op.output] = frames.reshape(frames.shape[0], stream.words.data, stream.lanes.data)
        elif isinstance(op, df.OutputOp):
            x = values[op.input]
            return x.reshape(x.shape[0], -1)
        else:
            values[op.results[0]] = ENGINES[type(op)](op, values[op.operands[0]])
    raise BnncError(f"df.graph @{graph.sym_name.data} has no df.output")


def empty_output(tensor_type, bipolar_dtype) -> np.ndarray:
    """The output of an accelerator call on an empty batch: no frame, the tensor's other
    dimensions, and the element type a call on frames gives (bits as `bipolar_dtype`)."""
    dtype = bipolar_dtype if bnn.is_bipolar(bnn.element_type(tensor_type)) else np.int64
    return np.zeros((0, *bnn.shape_of(tensor_type)[1:]), dtype=dtype)


@register_impls
class DfFunctions(InterpreterFunctions):
    """`df.invoke`: the graph run by the stream-level executor (subclasses run it elsewhere)."""

    def run_graph(self, graph: df.GraphOp, frames: np.ndarray) -> np.ndarray:
        return run_graph(graph, frames)

    @impl(df.InvokeOp)
    def run_invoke(self, interpreter: Interpreter, op: df.InvokeOp, args: PythonValues) -> PythonValues:
        graph = SymbolTable.lookup_symbol(op, op.callee)
        if not isinstance(graph, df.GraphOp):
            raise BnncError(f"df.invoke: no df.graph named {op.callee}")
        x = args[0]
        shape = bnn.shape_of(op.outputs[0].type)
        if x.shape[0] == 0:  # an empty batch: no frame to stream, an empty output
            return (empty_output(op.outputs[0].type, np.uint8),)
        if x.ndim == 4:
            x = x.transpose(0, 2, 3, 1)  # NCHW tensor -> NHWC stream order
        out = self.run_graph(graph, x.reshape(x.shape[0], -1))
        if len(shape) == 4:
            _, c, h, w = shape
            out = out.reshape(-1, h, w, c).transpose(0, 3, 1, 2)
        out = out.reshape((-1, *shape[1:]))
        return (out if bnn.is_bipolar(bnn.element_type(op.outputs[0].type)) else out.astype(np.int64),)

