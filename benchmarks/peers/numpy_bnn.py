"""Plain numpy references of a BNN: what a CPU reaches without a BNN engine.

`mode="packed"`: bits packed 64 to a uint64 word (bit 1 = +1); a ±1 dot product of K lanes is
K − 2·popcount(x XOR w) (`np.bitwise_count`), and each block's affine and sign become an
integer threshold on the popcount, computed once. Convolutions gather their windows of packed
channel words (NHWC); a 2×2 max-pool of ±1 values is the OR of the bits.
`mode="matmul"`: the same on ±1 float32 arrays with BLAS matrix products (exact: sums of ±1
below 2^24), a threshold on the accumulator and max for the pool.
In both, the first layer of CNV takes 8-bit integers (an integer product, exact in float32),
and the scores are the last block's affine of its accumulator, in the ONNX model's units.
"""

from __future__ import annotations

import numpy as np

from peers.binary_layers import BinaryModel, Block

ROWS_PER_CHUNK = 4096  # rows of a window matrix popcounted at once (bounds the temporaries)
MODES = ("packed", "matmul")


def pack(bits: np.ndarray) -> np.ndarray:
    """(..., K) of 0/1 → (..., ⌈K/64⌉) uint64, zero-padded (padding lanes never differ)."""
    packed = np.packbits(bits, axis=-1, bitorder="little")
    pad = -packed.shape[-1] % 8
    if pad:
        packed = np.concatenate([packed, np.zeros((*packed.shape[:-1], pad), np.uint8)], axis=-1)
    return np.ascontiguousarray(packed).view(np.uint64)


def popcount_xor(rows: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """popcount(rows[i] XOR weights[j]) for every pair: (R, words) x (C, words) -> (R, C).

    One pass per word over an (R, C) plane, into preallocated buffers: numpy has no fused
    XOR-popcount-sum, and summing the short last axis of a 3-D temporary is several times
    slower."""
    p = np.zeros((len(rows), len(weights)), np.uint16)  # counts up to 65,535 lanes
    columns = np.ascontiguousarray(rows.T)  # (words, R): each word's column contiguous
    for start in range(0, len(rows), ROWS_PER_CHUNK):
        stop = min(start + ROWS_PER_CHUNK, len(rows))
        xor = np.empty((stop - start, len(weights)), np.uint64)
        count = np.empty(xor.shape, np.uint8)
        for word in range(columns.shape[0]):
            np.bitwise_xor(columns[word, start:stop, None], weights[None, :, word], out=xor)
            np.bitwise_count(xor, out=count)
            p[start:stop] += count
    return p


def _windows(x: np.ndarray, kh: int, kw: int) -> tuple[np.ndarray, int, int]:
    """The kh×kw windows of an NHWC batch as rows (N·OH·OW, kh·kw·C)."""
    windows = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(1, 2))
    oh, ow = windows.shape[1:3]
    return np.moveaxis(windows, 3, -1).reshape(len(x) * oh * ow, -1), oh, ow


class NumpyBnn:
    """Runs a `BinaryModel` on batches shaped like the ONNX input; returns the scores."""

    def __init__(self, model: BinaryModel, mode: str = "packed"):
        if mode not in MODES:
            raise ValueError(f"unknown mode '{mode}'; the modes are {', '.join(MODES)}")
        self.model, self.mode = model, mode
        self.layers = [self._prepare(block, index == 0) for index, block in enumerate(model.blocks)]

    def _prepare(self, block: Block, first: bool) -> dict:
        w = block.weights
        k = int(np.prod(w.shape[1:]))
        matmul = self.mode == "matmul" or (first and self.model.input_quant.kind == "int")
        layer = {"block": block, "k": k, "matmul": matmul}
        if matmul:
            layer["w"] = w.reshape(w.shape[0], -1).T.astype(np.float32)  # (k, out)
        else:
            layer["w"] = pack(w > 0).reshape(w.shape[0], -1)  # (out, words), conv: kh·kw·words
        if block.sign:
            # y = s·acc + b ≥ 0 with s ≥ 0 ⇔ acc ≥ −b/s; on a popcount, acc = k − 2p ≥ T ⇔
            # p ≤ (k − T)/2.
            with np.errstate(divide="ignore", invalid="ignore"):
                t = np.where(
                    block.scale > 0,
                    np.ceil(-block.bias / block.scale - 1e-9),
                    np.where(block.bias >= 0, -np.inf, np.inf),
                )
            layer["threshold"] = t.astype(np.float32) if matmul else np.floor((k - t) / 2)
        return layer

    def run(self, x: np.ndarray) -> np.ndarray:
        q = self.model.input_quant
        x = np.asarray(x, np.float32)
        if q.kind == "sign":
            x = x >= np.float32(-q.b / q.a) if q.a > 0 else q.a * x + q.b >= 0
        else:
            x = np.float32(q.a) * x + np.float32(q.b)
            if q.kind == "int":
                x = np.clip(np.round(x / np.float32(q.scale)), q.qmin, q.qmax)
        x = np.moveaxis(x, 1, -1) if self.model.image_input else x.reshape(len(x), -1)
        if q.kind == "sign":
            x = pack(x) if self.mode == "packed" else np.where(x, np.float32(1), np.float32(-1))
        for index, layer in enumerate(self.layers):
            packed_out = self.mode == "packed" and index + 1 < len(self.layers)
            x = self._block(layer, x, packed_out)
        return x

    def _block(self, layer: dict, x: np.ndarray, packed_out: bool) -> np.ndarray:
        block: Block = layer["block"]
        n = len(x)
        if block.kind == "conv":
            rows, oh, ow = _windows(x, *block.weights.shape[1:3])
        else:
            oh = ow = 1
            rows = x.reshape(n, -1)
        if layer["matmul"]:
            acc = rows.astype(np.float32, copy=False) @ layer["w"]
            if not block.sign:
                return block.scale * acc + block.bias
            bits = acc >= layer["threshold"]
        else:
            p = popcount_xor(rows, layer["w"])
            if not block.sign:
                return block.scale * (layer["k"] - 2 * p.astype(np.int32)) + block.bias
            bits = p <= layer["threshold"]
        out = pack(bits) if packed_out else np.where(bits, np.float32(1), np.float32(-1))
        if block.kind == "dense":
            return out
        out = out.reshape(n, oh, ow, -1)
        if block.maxpool:
            quads = out.reshape(n, oh // 2, 2, ow // 2, 2, -1)
            if packed_out:
                out = (
                    quads[:, :, 0, :, 0]
                    | quads[:, :, 0, :, 1]
                    | quads[:, :, 1, :, 0]
                    | quads[:, :, 1, :, 1]
                )
            else:
                out = quads.max(axis=(2, 4))
        return out
