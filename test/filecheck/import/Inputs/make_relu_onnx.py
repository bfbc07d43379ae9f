"""Small hand-made ONNX graphs for the FileCheck tests of issue 23's imports: Relu before a
quantizer, unsigned and per-channel Quant, zero points, Gemm with alpha and beta, Softmax,
LogSoftmax and Sigmoid at the output, and the graphs that must be refused.

    python make_relu_onnx.py CASE OUT.onnx       writes one model
    python make_relu_onnx.py --list              prints the case names

Built with the helpers of `make_onnx.py` (same folder); seeded, so the printed IR is stable.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import numpy as np
import onnx
from make_onnx import FINN, QONNX, f32, init, model, node, pm1, real
from onnx import TensorProto

CASES: dict[str, Callable[[], onnx.ModelProto]] = {}


def case(fn: Callable[[], onnx.ModelProto]) -> Callable[[], onnx.ModelProto]:
    CASES[fn.__name__] = fn
    return fn


def quant(x: str, y: str, name: str, scale, zero_point, bits: int, signed: int, narrow: int = 0):
    """A QONNX Quant node and its three parameter initializers."""
    inits = [init(f"{name}_scale", np.asarray(scale, np.float32)),
             init(f"{name}_zp", np.asarray(zero_point, np.float32)),
             init(f"{name}_bits", np.float32(bits))]
    n = node("Quant", [x] + [i.name for i in inits], [y], name, domain=QONNX, signed=signed,
             narrow=narrow, rounding_mode="ROUND")
    return n, inits


def bn(name: str, x: str, y: str, channels: int):
    inits = [init(f"{name}_gamma", np.full(channels, 2.0, np.float32)),
             init(f"{name}_beta", np.linspace(-1, 1, channels).astype(np.float32)),
             init(f"{name}_mean", np.zeros(channels, np.float32)),
             init(f"{name}_var", np.ones(channels, np.float32))]
    return node("BatchNormalization", [x] + [i.name for i in inits], [y], name, epsilon=0.0), inits


@case
def relu_quant():
    """Brevitas' QuantReLU: Sign -> MatMul(±1) -> BN -> Relu -> Quant(unsigned 2-bit, scale
    0.5) -> MatMul(±1)."""
    norm, bn_inits = bn("bn0", "mm0", "bn0_out", 4)
    q, q_inits = quant("r0", "q0", "act0", 0.5, 0.0, 2, signed=0)
    nodes = [node("Sign", ["x"], ["s0"], "sign0"), node("MatMul", ["s0", "w0"], ["mm0"], "fc0"),
             norm, node("Relu", ["bn0_out"], ["r0"], "relu0"), q,
             node("MatMul", ["q0", "w1"], ["y"], "fc1")]
    inits = [init("w0", pm1((8, 4), 1)), init("w1", pm1((4, 3), 2))] + bn_inits + q_inits
    return model(nodes, [("x", [1, 8])], [("y", TensorProto.FLOAT, [1, 3])], inits, (QONNX,))


@case
def relu_signed_quant():
    """Relu before a signed 4-bit Quant: codes 0..7 only, stored as ui3."""
    q, q_inits = quant("r0", "q0", "act0", 0.25, 0.0, 4, signed=1)
    nodes = [node("Sign", ["x"], ["s0"], "sign0"), node("MatMul", ["s0", "w0"], ["mm0"], "fc0"),
             node("Relu", ["mm0"], ["r0"], "relu0"), q,
             node("MatMul", ["q0", "w1"], ["y"], "fc1")]
    inits = [init("w0", pm1((8, 4), 1)), init("w1", pm1((4, 3), 2))] + q_inits
    return model(nodes, [("x", [1, 8])], [("y", TensorProto.FLOAT, [1, 3])], inits, (QONNX,))


@case
def relu_multithreshold():
    """Relu before FINN's MultiThreshold (thresholds -1, 0, 1.5): the steps at or below 0 are
    always taken."""
    nodes = [node("Sign", ["x"], ["s0"], "sign0"), node("MatMul", ["s0", "w0"], ["mm0"], "fc0"),
             node("Mul", ["mm0", "half"], ["h0"], "scale0"),
             node("Relu", ["h0"], ["r0"], "relu0"),
             node("MultiThreshold", ["r0", "t0"], ["y"], "act0", domain=FINN, out_dtype="UINT2",
                  out_scale=1.0, out_bias=0.0)]
    inits = [init("w0", pm1((8, 4), 1)), init("half", f32(0.5)),
             init("t0", np.array([[-1.0, 0.0, 1.5]], np.float32))]
    return model(nodes, [("x", [1, 8])], [("y", TensorProto.FLOAT, [1, 4])], inits, (FINN,))


@case
def gemm_alpha_beta():
    """8-bit input Quant (scale 1/16) -> Gemm(transB, alpha 0.5, beta 2, bias) of 3-bit weights
    (Quant scale 0.25, narrow)."""
    q_in, q_in_inits = quant("x", "xq", "input_quant", 1 / 16, 0.0, 8, signed=1)
    q_w, q_w_inits = quant("w0_real", "w0", "weight_quant", 0.25, 0.0, 3, signed=1, narrow=1)
    nodes = [q_in, q_w, node("Gemm", ["xq", "w0", "b0"], ["y"], "fc0", transB=1, alpha=0.5, beta=2.0)]
    inits = [init("w0_real", real((3, 6), 5) * 0.5), init("b0", f32(0.25, -0.5, 1.0))]
    inits += q_in_inits + q_w_inits
    return model(nodes, [("x", [1, 6])], [("y", TensorProto.FLOAT, [1, 3])], inits, (QONNX,))


@case
def quant_zero_point():
    """An unsigned 8-bit input Quant with zero point 128 and scale 1/64 (codes 0..255 for
    -2..2) -> MatMul(±1): the accumulator's real value needs -128·Σ W per output."""
    q, q_inits = quant("x", "xq", "input_quant", 1 / 64, 128.0, 8, signed=0)
    nodes = [q, node("MatMul", ["xq", "w0"], ["y"], "fc0")]
    inits = [init("w0", pm1((4, 3), 3))] + q_inits
    return model(nodes, [("x", [1, 4])], [("y", TensorProto.FLOAT, [1, 3])], inits, (QONNX,))


@case
def quant_per_channel():
    """Sign -> MatMul(±1) -> Quant with per-channel scales (1, 0.5, 0.25) and zero points
    (0, 1, 2), unsigned 3-bit, at the output."""
    q, q_inits = quant("mm0", "y", "act0", f32(1.0, 0.5, 0.25), f32(0.0, 1.0, 2.0), 3, signed=0)
    nodes = [node("Sign", ["x"], ["s0"], "sign0"), node("MatMul", ["s0", "w0"], ["mm0"], "fc0"), q]
    inits = [init("w0", pm1((8, 3), 6))] + q_inits
    return model(nodes, [("x", [1, 8])], [("y", TensorProto.FLOAT, [1, 3])], inits, (QONNX,))


@case
def quant_1bit():
    """Input Quants of 1 bit: signed (bipolar, as qonnx runs it) and unsigned (codes 0, 1),
    scale 0.5, each into a MatMul(±1)."""
    q_s, s_inits = quant("x", "xs", "signed_quant", 0.5, 0.0, 1, signed=1)
    q_u, u_inits = quant("x", "xu", "unsigned_quant", 0.5, 0.0, 1, signed=0)
    nodes = [q_s, q_u, node("MatMul", ["xs", "w0"], ["ys"], "fc_signed"),
             node("MatMul", ["xu", "w0"], ["yu"], "fc_unsigned")]
    inits = [init("w0", pm1((6, 3), 8))] + s_inits + u_inits
    return model(nodes, [("x", [1, 6])], [("ys", TensorProto.FLOAT, [1, 3]),
                                          ("yu", TensorProto.FLOAT, [1, 3])], inits, (QONNX,))


def scores_then(op: str | None, label: str | None = None, **attrs):
    """Sign -> MatMul(±1) -> Mul 0.5 -> OP (-> label select)."""
    nodes = [node("Sign", ["x"], ["s0"], "sign0"), node("MatMul", ["s0", "w0"], ["mm0"], "fc0"),
             node("Mul", ["mm0", "half"], ["scores"], "scale0")]
    out, out_type, out_shape = "scores", TensorProto.FLOAT, [1, 4]
    if op:
        nodes.append(node(op, ["scores"], ["probs"], "out0", **attrs))
        out = "probs"
    if label:
        nodes.append(node(label, [out], ["label"], "select0", axis=1, keepdims=1))
        out, out_type, out_shape = "label", TensorProto.INT64, [1, 1]
    inits = [init("w0", pm1((8, 4), 7)), init("half", f32(0.5))]
    return model(nodes, [("x", [1, 8])], [(out, out_type, out_shape)], inits)


@case
def softmax_output():
    return scores_then("Softmax", axis=-1)


@case
def log_softmax_output():
    return scores_then("LogSoftmax", axis=1)


@case
def sigmoid_output():
    return scores_then("Sigmoid")


@case
def softmax_argmax():
    """Softmax then ArgMax: the Softmax is dropped (it keeps the order)."""
    return scores_then("Softmax", "ArgMax", axis=-1)


@case
def softmax_axis0():
    return scores_then("Softmax", axis=0)


@case
def softmax_inside():
    """Softmax feeding a MatMul: refused (only at the output)."""
    nodes = [node("Sign", ["x"], ["s0"], "sign0"), node("MatMul", ["s0", "w0"], ["mm0"], "fc0"),
             node("Softmax", ["mm0"], ["p0"], "soft0", axis=-1),
             node("MatMul", ["p0", "w1"], ["y"], "fc1")]
    inits = [init("w0", pm1((8, 4), 1)), init("w1", pm1((4, 3), 2))]
    return model(nodes, [("x", [1, 8])], [("y", TensorProto.FLOAT, [1, 3])], inits)


@case
def relu_into_matmul():
    """Relu feeding a MatMul, no quantizer: refused."""
    nodes = [node("Sign", ["x"], ["s0"], "sign0"), node("MatMul", ["s0", "w0"], ["mm0"], "fc0"),
             node("Relu", ["mm0"], ["r0"], "relu0"), node("MatMul", ["r0", "w1"], ["y"], "fc1")]
    inits = [init("w0", pm1((8, 4), 1)), init("w1", pm1((4, 3), 2))]
    return model(nodes, [("x", [1, 8])], [("y", TensorProto.FLOAT, [1, 3])], inits)


@case
def relu_output():
    nodes = [node("Sign", ["x"], ["s0"], "sign0"), node("MatMul", ["s0", "w0"], ["mm0"], "fc0"),
             node("Relu", ["mm0"], ["y"], "relu0")]
    return model(nodes, [("x", [1, 8])], [("y", TensorProto.FLOAT, [1, 4])], [init("w0", pm1((8, 4), 1))])


def main(argv: list[str]) -> int:
    if argv == ["--list"]:
        print("\n".join(CASES))
        return 0
    if len(argv) != 2 or argv[0] not in CASES:
        print(f"usage: make_relu_onnx.py CASE OUT.onnx, CASE one of: {', '.join(CASES)}", file=sys.stderr)
        return 2
    onnx.save(CASES[argv[0]](), argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
