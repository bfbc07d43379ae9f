"""Small hand-made residual QONNX graphs (issue 24), written with `onnx.helper` as QKeras-style
exports look (Quant nodes on activations and weights, Relu folded into unsigned quantizers), for
the FileCheck tests of the importer and the default pytest suite.

    python make_residual_onnx.py CASE OUT.onnx       writes one model
    python make_residual_onnx.py --list              prints the case names

Seeded, so the printed IR is stable.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import numpy as np
import onnx
from make_onnx import QONNX, init, model, node, real
from onnx import TensorProto

CASES: dict[str, Callable[[], onnx.ModelProto]] = {}


def case(fn: Callable[[], onnx.ModelProto]) -> Callable[[], onnx.ModelProto]:
    CASES[fn.__name__] = fn
    return fn


class Builder:
    """Nodes and initializers of one graph, with the layer idioms of a quantized export."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[TensorProto] = []
        self.seed = 0

    def const(self, name: str, value) -> str:
        self.inits.append(init(name, np.asarray(value, np.float32)))
        return name

    def quant(self, x: str, y: str, scale: float, bits: int, signed: int, narrow: int = 0) -> str:
        params = [self.const(f"{y}_scale", scale), self.const(f"{y}_zp", 0.0),
                  self.const(f"{y}_bits", bits)]
        self.nodes.append(node("Quant", [x, *params], [y], y, domain=QONNX, signed=signed,
                               narrow=narrow, rounding_mode="ROUND"))
        return y

    def weights(self, name: str, shape) -> tuple[str, np.ndarray]:
        """Real weights quantized by a signed narrow 2-bit Quant of scale 0.5 on the initializer
        (folded): codes −1, 0, 1. Returns the quantized tensor and its codes."""
        self.seed += 1
        values = real(shape, self.seed)
        raw = self.const(f"{name}_raw", values)
        codes = np.clip(np.round(values / 0.5), -1, 1)
        return self.quant(raw, f"{name}_q", 0.5, 2, signed=1, narrow=1), codes

    def conv_bn_relu_quant(self, x: str, name: str, cin: int, cout: int, k: int, scale: float,
                           x_stats: tuple[float, float, float]) -> str:
        """Conv (2-bit weights, same padding) -> BatchNormalization -> Relu -> Quant (unsigned
        2-bit of `scale`): a QuantReLU-activated layer. The batch norm is calibrated from the
        input codes' (scale, mean, variance) as training would leave it, so that every code
        occurs (an uncalibrated one saturates and tests nothing)."""
        w, codes = self.weights(f"{name}_w", (cout, cin, k, k))
        pad = k // 2
        self.nodes.append(node("Conv", [x, w], [f"{name}_conv"], name, kernel_shape=[k, k],
                               pads=[pad] * 4))
        in_scale, in_mean, in_var = x_stats
        unit = in_scale * 0.5
        mean = unit * in_mean * codes.sum(axis=(1, 2, 3))
        var = unit**2 * in_var * np.maximum((codes**2).sum(axis=(1, 2, 3)), 1)
        g = np.random.default_rng(100 + self.seed)
        params = [self.const(f"{name}_gamma", g.uniform(0.25, 0.5, cout)),
                  self.const(f"{name}_beta", g.uniform(0.25, 0.5, cout)),
                  self.const(f"{name}_mean", mean), self.const(f"{name}_var", var)]
        self.nodes.append(node("BatchNormalization", [f"{name}_conv", *params], [f"{name}_bn"],
                               f"{name}_bn", epsilon=1e-5))
        self.nodes.append(node("Relu", [f"{name}_bn"], [f"{name}_relu"], f"{name}_relu"))
        return self.quant(f"{name}_relu", f"{name}_act", scale, 2, signed=0)


@case
def residual_block():
    """A CIFAR-sized residual network in the shape of Brevitas' QuantBasicBlock:

    x -> Quant(8 bit) -> conv0 -> a;  a -> conv1 -> b (same quantizer scale as a);
    Add(a, b) -> Relu -> Quant = c;  Concat(c, a) -> AveragePool 2x2 -> conv2 (1x1) -> d;
    GlobalAveragePool(d) -> Trunc (v2, FLOOR, to 8 bits) -> Flatten -> MatMul -> scores.

    Values used twice: a (conv1, the Add and the Concat)."""
    b = Builder()
    xq = b.quant("x", "xq", 1 / 64, 8, signed=1)
    a = b.conv_bn_relu_quant(xq, "conv0", 3, 8, 3, 0.125, (1 / 64, -10.0, 900.0))
    r = b.conv_bn_relu_quant(a, "conv1", 8, 8, 3, 0.125, (0.125, 1.5, 1.25))
    b.nodes.append(node("Add", [a, r], ["join"], "join"))
    b.nodes.append(node("Relu", ["join"], ["join_relu"], "join_relu"))
    c = b.quant("join_relu", "join_act", 0.125, 2, signed=0)
    b.nodes.append(node("Concat", [c, a], ["cat"], "cat", axis=1))
    b.nodes.append(node("AveragePool", ["cat"], ["avg"], "avg", kernel_shape=[2, 2], strides=[2, 2]))
    d = b.conv_bn_relu_quant("avg", "conv2", 16, 8, 1, 0.125, (0.125 / 4, 6.0, 5.0))
    b.nodes.append(node("GlobalAveragePool", [d], ["gap"], "gap"))
    # the pool's sums of 256 codes 0..3 need 10 bits; Trunc keeps the top 8 (FLOOR)
    params = [b.const("trunc_scale", np.float32(0.125) / np.float32(256)), b.const("trunc_zp", 0.0),
              b.const("trunc_in_bits", 10.0), b.const("trunc_out_scale", np.float32(0.125) / np.float32(64)),
              b.const("trunc_out_bits", 8.0)]
    b.nodes.append(node("Trunc", ["gap", *params], ["trunc"], "trunc", domain=QONNX,
                        rounding_mode="FLOOR", signed=0, narrow=0))
    b.nodes.append(node("Flatten", ["trunc"], ["flat"], "flat", axis=1))
    w, _ = b.weights("fc_w", (8, 10))
    b.nodes.append(node("MatMul", ["flat", w], ["y"], "fc"))
    return model(b.nodes, [("x", [1, 3, 32, 32])], [("y", TensorProto.FLOAT, [1, 10])], b.inits, (QONNX,))


@case
def residual_blocks():
    """Two QuantBasicBlock-shaped residual blocks without concat (what the `df` level lowers):

    x -> Quant(8 bit) -> conv0 -> a;  a -> conv1 -> conv2 -> b (a's quantizer scale);
    Add(a, b) -> Relu -> Quant = c;  c -> conv3 -> e;  Add(c, e) -> Relu -> Quant = f;
    GlobalAveragePool(f) -> Trunc (v2, FLOOR, to 8 bits) -> Flatten -> MatMul -> scores.

    a and c are each read twice (a fork a block); the second block's branch is one layer."""
    b = Builder()
    xq = b.quant("x", "xq", 1 / 64, 8, signed=1)
    a = b.conv_bn_relu_quant(xq, "conv0", 3, 8, 3, 0.125, (1 / 64, -10.0, 900.0))
    r = b.conv_bn_relu_quant(a, "conv1", 8, 8, 3, 0.125, (0.125, 1.5, 1.25))
    r = b.conv_bn_relu_quant(r, "conv2", 8, 8, 3, 0.125, (0.125, 1.5, 1.25))
    b.nodes.append(node("Add", [a, r], ["join0"], "join0"))
    b.nodes.append(node("Relu", ["join0"], ["join0_relu"], "join0_relu"))
    c = b.quant("join0_relu", "join0_act", 0.125, 2, signed=0)
    e = b.conv_bn_relu_quant(c, "conv3", 8, 8, 3, 0.125, (0.125, 1.5, 1.25))
    b.nodes.append(node("Add", [c, e], ["join1"], "join1"))
    b.nodes.append(node("Relu", ["join1"], ["join1_relu"], "join1_relu"))
    f = b.quant("join1_relu", "join1_act", 0.125, 2, signed=0)
    b.nodes.append(node("GlobalAveragePool", [f], ["gap"], "gap"))
    # the pool's sums of 64 codes 0..3 need 8 bits; Trunc keeps the top 6 (FLOOR)
    params = [b.const("trunc_scale", np.float32(0.125) / np.float32(64)), b.const("trunc_zp", 0.0),
              b.const("trunc_in_bits", 8.0), b.const("trunc_out_scale", np.float32(0.125) / np.float32(16)),
              b.const("trunc_out_bits", 6.0)]
    b.nodes.append(node("Trunc", ["gap", *params], ["trunc"], "trunc", domain=QONNX,
                        rounding_mode="FLOOR", signed=0, narrow=0))
    b.nodes.append(node("Flatten", ["trunc"], ["flat"], "flat", axis=1))
    w, _ = b.weights("fc_w", (8, 10))
    b.nodes.append(node("MatMul", ["flat", w], ["y"], "fc"))
    return model(b.nodes, [("x", [1, 3, 8, 8])], [("y", TensorProto.FLOAT, [1, 10])], b.inits, (QONNX,))


@case
def add_scales_differ():
    """Add of two quantized tensors whose scales differ: added as reals, then requantized."""
    b = Builder()
    xq = b.quant("x", "xq", 1 / 8, 4, signed=1)
    p = b.quant(xq, "p", 0.5, 2, signed=1)
    q = b.quant(xq, "q", 0.25, 3, signed=1)
    b.nodes.append(node("Add", [p, q], ["s"], "join"))
    b.quant("s", "y", 0.5, 3, signed=1)
    return model(b.nodes, [("x", [1, 4])], [("y", TensorProto.FLOAT, [1, 4])], b.inits, (QONNX,))


@case
def trunc_v1():
    """QONNX Trunc v1 (five inputs: no output scale, no clamp) after a sum pool, ROUND."""
    b = Builder()
    xq = b.quant("x", "xq", 0.125, 4, signed=1)
    b.nodes.append(node("AveragePool", [xq], ["avg"], "avg", kernel_shape=[2, 2], strides=[1, 1]))
    params = [b.const("t_scale", np.float32(0.125) / np.float32(4)), b.const("t_zp", 0.0),
              b.const("t_in_bits", 6.0), b.const("t_out_bits", 3.0)]
    b.nodes.append(node("Trunc", ["avg", *params], ["y"], "trunc", domain=QONNX, rounding_mode="ROUND"))
    return model(b.nodes, [("x", [1, 2, 3, 3])], [("y", TensorProto.FLOAT, [1, 2, 2, 2])], b.inits, (QONNX,))


@case
def trunc_rescaled():
    """Trunc v2 (HALF_UP) whose scale is not the one its input's codes carry: the input is
    quantized to the Trunc's codes first (round(x / scale + zp), unclamped), then truncated."""
    b = Builder()
    xq = b.quant("x", "xq", 0.125, 4, signed=1)
    params = [b.const("t_scale", 0.0625), b.const("t_zp", 0.0), b.const("t_in_bits", 5.0),
              b.const("t_out_scale", 0.25), b.const("t_out_bits", 3.0)]
    b.nodes.append(node("Trunc", [xq, *params], ["y"], "trunc", domain=QONNX,
                        rounding_mode="HALF_UP", signed=1, narrow=0))
    return model(b.nodes, [("x", [1, 6])], [("y", TensorProto.FLOAT, [1, 6])], b.inits, (QONNX,))


@case
def concat_scales():
    """Concat of codes of different scales along the channels: the codes are concatenated and
    the scale is carried per channel (the output's affine has one factor a channel)."""
    b = Builder()
    p = b.quant("x", "p", 0.5, 2, signed=1)
    q = b.quant("x", "q", 0.25, 3, signed=0)
    b.nodes.append(node("Concat", [p, q], ["y"], "cat", axis=1))
    return model(b.nodes, [("x", [1, 2, 2, 2])], [("y", TensorProto.FLOAT, [1, 4, 2, 2])], b.inits, (QONNX,))


@case
def add_broadcast():
    """Refused: a join of tensors of different shapes (broadcasting)."""
    b = Builder()
    p = b.quant("x", "p", 0.5, 2, signed=1)
    b.nodes.append(node("GlobalAveragePool", [p], ["m"], "gap"))
    b.nodes.append(node("Add", [p, "m"], ["y"], "join"))
    return model(b.nodes, [("x", [1, 4, 4, 4])], [("y", TensorProto.FLOAT, [1, 4, 4, 4])], b.inits, (QONNX,))


@case
def residual_unsupported():
    """Refused, all at once: a LeakyRelu and an Elu around a supported join."""
    b = Builder()
    p = b.quant("x", "p", 0.5, 2, signed=1)
    b.nodes.append(node("LeakyRelu", [p], ["l"], "leaky"))
    b.nodes.append(node("Add", [p, "l"], ["s"], "join"))
    b.nodes.append(node("Elu", ["s"], ["y"], "elu"))
    return model(b.nodes, [("x", [1, 4, 4, 4])], [("y", TensorProto.FLOAT, [1, 4, 4, 4])], b.inits, (QONNX,))


def main(argv: list[str]) -> int:
    if argv == ["--list"]:
        print("\n".join(CASES))
        return 0
    if len(argv) != 2 or argv[0] not in CASES:
        print(f"usage: make_residual_onnx.py CASE OUT.onnx, CASE one of: {', '.join(CASES)}", file=sys.stderr)
        return 2
    onnx.save(CASES[argv[0]](), argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
