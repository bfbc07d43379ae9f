"""The layers of a binarized ONNX model, read straight from the ONNX graph for the CPU peers.

The peers (the bit-packed numpy reference, Larq Compute Engine) must run the same weights as
bnnc without going through bnnc: this reader walks the ONNX nodes itself. It knows the shapes
Brevitas, QONNX and the FINN notebooks export for TFC/SFC/LFC/CNV: an input affine (2x − 1),
a sign or an integer quantizer of the input, then blocks of ±1 dense/conv, a per-channel
affine (scales, BatchNormalization, folded together), a sign and an optional 2×2 max-pool; the
last block has no sign and gives the scores.

Each block's affine is normalised to a non-negative scale by negating the weights of channels
whose scale is negative (s·acc = (−s)·(−acc)), so that a max-pool after the sign is the max
of the affine's output too (what a Keras model needs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


@dataclass
class Block:
    """acc = W·x over ±1 (or integer) inputs; y = scale·acc + bias; then sign and max-pool."""

    kind: str  # "dense" or "conv"
    weights: np.ndarray  # ±1: (out, in) for dense (in in NHWC order), (out, kh, kw, in) for conv
    scale: np.ndarray = field(default_factory=lambda: np.ones(0))  # (out,)
    bias: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (out,)
    sign: bool = False
    maxpool: bool = False
    in_shape: tuple[int, ...] = ()  # (H, W, C) for conv, (K,) for dense


@dataclass
class InputQuant:
    """x' = a·x + b, then sign (bits) or an integer quantizer q = clip(round(x'/scale))."""

    a: float = 1.0
    b: float = 0.0
    kind: str = "float"  # "sign" or "int"
    scale: float = 1.0
    qmin: int = 0
    qmax: int = 0


@dataclass
class BinaryModel:
    input_shape: tuple[int, ...]  # the ONNX input without the batch: (1, 28, 28) or (3, 32, 32)
    input_quant: InputQuant
    blocks: list[Block]

    @property
    def image_input(self) -> bool:
        return self.blocks[0].kind == "conv"


class UnsupportedModel(ValueError):
    """The graph has a shape this reader does not know."""


_SHAPE_OPS = {"Shape", "Gather", "Unsqueeze", "Concat", "Constant"}


def _attributes(node) -> dict:
    import onnx

    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _bipolar(w: np.ndarray) -> np.ndarray:
    return np.where(w >= 0, 1.0, -1.0)


def read_binary_model(path: str | Path) -> BinaryModel:
    """The blocks of the model at `path` (raises UnsupportedModel for other shapes)."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(path))
    graph = model.graph
    consts = {i.name: numpy_helper.to_array(i).astype(np.float64) for i in graph.initializer}
    graph_input = next(i for i in graph.input if i.name not in consts)
    dims = tuple(d.dim_value for d in graph_input.type.tensor_type.shape.dim)[1:]
    activation = {graph_input.name}
    shape_values: set[str] = set()
    quant = InputQuant()
    blocks: list[Block] = []
    spatial: tuple[int, int, int] | None = (dims[1], dims[2], dims[0]) if len(dims) == 3 else None
    flattened_from: tuple[int, int, int] | None = None

    def const(name: str) -> np.ndarray:
        if name not in consts:
            raise UnsupportedModel(f"expected a constant operand, got '{name}'")
        return consts[name]

    def affine(kind: str, c: np.ndarray) -> None:
        c = np.ravel(c)
        if not blocks or blocks[-1].sign:  # before the first layer: the input's affine
            if c.size != 1 or quant.kind != "float":
                raise UnsupportedModel(f"{kind} on the input after its quantizer")
            value = float(c[0])
            if kind == "Mul":
                quant.a, quant.b = quant.a * value, quant.b * value
            elif kind == "Div":
                quant.a, quant.b = quant.a / value, quant.b / value
            elif kind == "Add":
                quant.b += value
            else:
                quant.b -= value
            return
        block = blocks[-1]
        if kind == "Mul":
            block.scale, block.bias = block.scale * c, block.bias * c
        elif kind == "Div":
            block.scale, block.bias = block.scale / c, block.bias / c
        elif kind == "Add":
            block.bias = block.bias + c
        else:
            block.bias = block.bias - c

    for node in graph.node:
        op, inputs, outputs = node.op_type, list(node.input), list(node.output)
        attrs = _attributes(node)
        if all(i in consts for i in inputs if i) and op not in _SHAPE_OPS:
            values = [consts[i] for i in inputs if i]
            if op == "BipolarQuant":
                consts[outputs[0]] = _bipolar(values[0]) * values[1]
            elif op == "Transpose":
                consts[outputs[0]] = np.transpose(values[0], attrs.get("perm"))
            elif op == "Pow":
                consts[outputs[0]] = np.power(values[0], values[1])
            elif op in ("Mul", "Div", "Add", "Sub"):
                fn = {"Mul": np.multiply, "Div": np.divide, "Add": np.add, "Sub": np.subtract}[op]
                consts[outputs[0]] = fn(values[0], values[1])
            elif op == "Identity":
                consts[outputs[0]] = values[0]
            else:
                raise UnsupportedModel(f"constant {op} is not supported")
            continue
        if op in _SHAPE_OPS and not (set(inputs) & activation and op == "Unsqueeze"):
            shape_values.update(outputs)
            continue
        if not set(inputs) & activation:
            raise UnsupportedModel(f"{op} off the main path")
        x = next(i for i in inputs if i in activation)
        activation = {outputs[0]}
        if op in ("Unsqueeze", "Squeeze", "Identity"):
            continue
        if op in ("Reshape", "Flatten"):
            if spatial is not None and blocks:
                flattened_from = spatial
            spatial = None
            continue
        if op in ("Mul", "Div", "Add", "Sub"):
            other = next(i for i in inputs if i != x)
            if op in ("Sub", "Div") and inputs[0] != x:
                raise UnsupportedModel(f"{op} with the activation as its second operand")
            affine(op, const(other))
        elif op in ("BipolarQuant", "Sign"):
            if not blocks:
                quant.kind = "sign"
            else:
                if op == "BipolarQuant" and float(np.ravel(const(inputs[1]))[0]) != 1.0:
                    raise UnsupportedModel("BipolarQuant with a scale other than 1")
                blocks[-1].sign = True
        elif op == "Quant":
            scale, zero, bits = (float(np.ravel(const(i))[0]) for i in inputs[1:4])
            if (
                blocks
                or zero != 0
                or attrs.get("rounding_mode", b"ROUND") not in (b"ROUND", "ROUND")
            ):
                raise UnsupportedModel(
                    "Quant other than a zero-point-free rounding input quantizer"
                )
            narrow, signed = int(attrs.get("narrow", 0)), int(attrs.get("signed", 1))
            qmin = (-(2 ** (int(bits) - 1)) + narrow) if signed else 0
            qmax = (2 ** (int(bits) - 1) - 1) if signed else 2 ** int(bits) - 1 - narrow
            quant.kind, quant.scale, quant.qmin, quant.qmax = "int", scale, qmin, qmax
        elif op == "MatMul":
            w = const(inputs[1]).T  # (out, in)
            if flattened_from is not None:  # NCHW flatten order -> NHWC
                h, wd, c = flattened_from
                w = w.reshape(-1, c, h, wd).transpose(0, 2, 3, 1).reshape(w.shape[0], -1)
                flattened_from = None
            blocks.append(_new_block("dense", w, (w.shape[1],)))
        elif op == "Conv":
            if (
                attrs.get("group", 1) != 1
                or any(attrs.get("pads", [0]))
                or set(attrs.get("strides", [1])) != {1}
            ):
                raise UnsupportedModel("Conv other than stride 1, no padding, one group")
            if spatial is None:
                raise UnsupportedModel("Conv on a flat tensor")
            w = const(inputs[1]).transpose(0, 2, 3, 1)  # (out, kh, kw, in)
            blocks.append(_new_block("conv", w, spatial))
            h, wd, _ = spatial
            spatial = (h - w.shape[1] + 1, wd - w.shape[2] + 1, w.shape[0])
        elif op == "BatchNormalization":
            gamma, beta, mean, var = (const(i) for i in inputs[1:5])
            k = gamma / np.sqrt(var + attrs.get("epsilon", 1e-5))
            affine("Sub", mean)
            affine("Mul", k)
            affine("Add", beta)
        elif op == "MaxPool":
            if (
                attrs.get("kernel_shape") != [2, 2]
                or attrs.get("strides") != [2, 2]
                or not blocks[-1].sign
            ):
                raise UnsupportedModel("MaxPool other than 2x2/2 after a sign")
            blocks[-1].maxpool = True
            assert spatial is not None
            spatial = (spatial[0] // 2, spatial[1] // 2, spatial[2])
        else:
            raise UnsupportedModel(f"{op} is not supported")
    if not blocks or blocks[-1].sign:
        raise UnsupportedModel("no scoring layer at the end")
    if quant.kind == "int":  # acc counts quantizer steps: the step size joins the scale
        blocks[0].scale = blocks[0].scale * quant.scale
    for block in blocks:
        negative = block.scale < 0  # s·acc = (−s)·(−acc): flip those channels' weights
        block.weights[negative] *= -1
        block.scale = np.abs(block.scale)
    for block in blocks:
        block.weights = _bipolar(block.weights).astype(np.int8)
    return BinaryModel(dims, quant, blocks)


def _new_block(kind: str, weights: np.ndarray, in_shape: tuple[int, ...]) -> Block:
    scale = np.ravel(
        np.abs(weights).max(axis=tuple(range(1, weights.ndim)))
    )  # the weights' own scale
    if not np.allclose(np.abs(weights), scale.reshape(-1, *[1] * (weights.ndim - 1))):
        raise UnsupportedModel(f"{kind} weights are not ±s per output channel")
    return Block(
        kind,
        weights / scale.reshape(-1, *[1] * (weights.ndim - 1)),
        scale.copy(),
        np.zeros_like(scale),
        in_shape=in_shape,
    )


def save_npz(model: BinaryModel, path: str | Path) -> None:
    """The model as flat arrays, for a process without this module (the LCE worker)."""
    q = model.input_quant
    arrays: dict[str, object] = {
        "blocks": len(model.blocks),
        "input_shape": np.array(model.input_shape),
        "quant_kind": q.kind,
        "quant_a": q.a,
        "quant_b": q.b,
        "quant_scale": q.scale,
        "quant_qmin": q.qmin,
        "quant_qmax": q.qmax,
    }
    for i, block in enumerate(model.blocks):
        arrays.update(
            {
                f"kind_{i}": block.kind,
                f"weights_{i}": block.weights,
                f"scale_{i}": block.scale,
                f"bias_{i}": block.bias,
                f"sign_{i}": block.sign,
                f"maxpool_{i}": block.maxpool,
            }
        )
    np.savez(path, **arrays)
