"""Small hand-made ONNX graphs for the importer's FileCheck tests.

    python make_onnx.py CASE OUT.onnx       writes one model
    python make_onnx.py --list              prints the case names

Every case is a tiny network (8-16 features, 6x6 images with 2-4 channels) built with
`onnx.helper`; weights come from a seeded generator so the printed IR is the same on every run.
Weights are ±1 floats (plain ONNX, FINN-ONNX) or real numbers behind a QONNX quantizer
(`BipolarQuant`/`Quant` in domain `qonnx.custom_op.general` or `onnx.brevitas`); FINN's
`MultiThreshold` lives in `finn.custom_op.general`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
QONNX = "qonnx.custom_op.general"
BREVITAS = "onnx.brevitas"
FINN = "finn.custom_op.general"

CASES: dict[str, Callable[[], onnx.ModelProto]] = {}


def case(fn: Callable[[], onnx.ModelProto]) -> Callable[[], onnx.ModelProto]:
    CASES[fn.__name__] = fn
    return fn


# ------------------------------------------------------------------------------------------
# Helpers


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def pm1(shape, seed: int = 0) -> np.ndarray:
    """±1 float weights."""
    return np.where(rng(seed).random(shape) < 0.5, -1.0, 1.0).astype(np.float32)


def real(shape, seed: int = 0) -> np.ndarray:
    """Real-valued weights a quantizer turns into codes."""
    return rng(seed).normal(0.0, 1.0, shape).astype(np.float32)


def init(name: str, value) -> TensorProto:
    return numpy_helper.from_array(np.asarray(value), name)


def eighths(values: np.ndarray) -> np.ndarray:
    """Round to multiples of 1/8 (exact in binary, short when printed), without negative zeros."""
    return (np.round(values * 8) / 8 + 0.0).astype(np.float32)


def f32(*values) -> np.ndarray:
    return np.array(values, dtype=np.float32)


def model(
    nodes: list[onnx.NodeProto],
    inputs: list[tuple[str, list[int]]],
    outputs: list[tuple[str, int, list[int] | None]],
    initializers: list[TensorProto],
    domains: tuple[str, ...] = (),
) -> onnx.ModelProto:
    graph = helper.make_graph(
        nodes,
        "bnnc_import_test",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in inputs],
        [helper.make_tensor_value_info(n, t, s) for n, t, s in outputs],
        initializers,
    )
    opsets = [helper.make_opsetid("", OPSET)] + [helper.make_opsetid(d, 1) for d in domains]
    m = helper.make_model(graph, opset_imports=opsets, producer_name="bnnc-tests")
    m.ir_version = 8
    return m


def node(op: str, inputs: list[str], outputs: list[str], name: str, domain: str = "", **attrs):
    return helper.make_node(op, inputs, outputs, name=name, domain=domain, **attrs)


def batchnorm(name: str, x: str, y: str, channels: int, seed: int) -> tuple[onnx.NodeProto, list]:
    """A BatchNormalization node with readable parameters (one negative gamma)."""
    g = rng(seed)
    gamma = np.round(g.uniform(0.5, 2.0, channels), 2).astype(np.float32)
    gamma[0] = -gamma[0]
    beta = np.round(g.uniform(-1.0, 1.0, channels), 2).astype(np.float32)
    mean = np.round(g.uniform(-2.0, 2.0, channels), 2).astype(np.float32)
    var = np.round(g.uniform(0.5, 2.0, channels), 2).astype(np.float32)
    inits = [init(f"{name}_gamma", gamma), init(f"{name}_beta", beta),
             init(f"{name}_mean", mean), init(f"{name}_var", var)]
    n = node("BatchNormalization", [x] + [i.name for i in inits], [y], name, epsilon=1e-4)
    return n, inits


# ------------------------------------------------------------------------------------------
# Dense networks


@case
def dense():
    """Sign -> MatMul(±1) -> BatchNormalization -> Sign -> MatMul(±1)."""
    bn, bn_inits = batchnorm("bn0", "mm0_out", "bn0_out", 6, seed=3)
    nodes = [
        node("Sign", ["x"], ["s0"], "sign0"),
        node("MatMul", ["s0", "w0"], ["mm0_out"], "mm0"),
        bn,
        node("Sign", ["bn0_out"], ["s1"], "sign1"),
        node("MatMul", ["s1", "w1"], ["y"], "mm1"),
    ]
    inits = [init("w0", pm1((8, 6), 1)), init("w1", pm1((6, 4), 2))] + bn_inits
    return model(nodes, [("x", [1, 8])], [("y", TensorProto.FLOAT, [1, 4])], inits)


@case
def gemm():
    """Sign -> Gemm(transB=1, ±1 weights of shape (M, K), bias C)."""
    nodes = [
        node("Sign", ["x"], ["s0"], "sign0"),
        node("Gemm", ["s0", "w0", "b0"], ["y"], "fc0", transB=1),
    ]
    inits = [init("w0", pm1((4, 8), 4)), init("b0", f32(0.5, -1.0, 2.0, 0.25))]
    return model(nodes, [("x", [1, 8])], [("y", TensorProto.FLOAT, [1, 4])], inits)


@case
def qonnx_dense():
    """BipolarQuant(x) -> MatMul(Transpose(BipolarQuant(real W, scale 0.5))) -> BatchNorm."""
    bn, bn_inits = batchnorm("bn0", "mm0_out", "y", 4, seed=5)
    nodes = [
        node("BipolarQuant", ["x", "one"], ["xq"], "inq", domain=QONNX),
        node("BipolarQuant", ["w0_real", "w_scale"], ["w0_q"], "wq", domain=QONNX),
        node("Transpose", ["w0_q"], ["w0_t"], "wt", perm=[1, 0]),
        node("MatMul", ["xq", "w0_t"], ["mm0_out"], "mm0"),
        bn,
    ]
    inits = [
        init("one", np.float32(1.0)),
        init("w_scale", np.float32(0.5)),
        init("w0_real", real((4, 8), 6)),
    ] + bn_inits
    return model(nodes, [("x", [1, 8])], [("y", TensorProto.FLOAT, [1, 4])], inits, (QONNX,))


@case
def brevitas_shape():
    """Sign on an image, then Brevitas' flatten:
    Shape -> Gather -> Unsqueeze -> Concat -> Reshape."""
    nodes = [
        node("Sign", ["x"], ["s0"], "sign0"),
        node("Shape", ["s0"], ["shape"], "shape0"),
        node("Gather", ["shape", "zero"], ["batch"], "gather0", axis=0),
        node("Unsqueeze", ["batch", "axes0"], ["batch1"], "unsq0"),
        node("Concat", ["batch1", "minus_one"], ["target"], "concat0", axis=0),
        node("Reshape", ["s0", "target"], ["flat"], "reshape0"),
        node("MatMul", ["flat", "w0"], ["y"], "mm0"),
    ]
    inits = [
        init("zero", np.int64(0)),
        init("axes0", np.array([0], dtype=np.int64)),
        init("minus_one", np.array([-1], dtype=np.int64)),
        init("w0", pm1((8, 4), 7)),
    ]
    return model(nodes, [("x", [1, 2, 2, 2])], [("y", TensorProto.FLOAT, [1, 4])], inits)


@case
def flatten():
    """Sign -> Flatten(axis 1) of a 2x3x3 image -> MatMul(±1)."""
    nodes = [
        node("Sign", ["x"], ["s0"], "sign0"),
        node("Flatten", ["s0"], ["flat"], "flat0", axis=1),
        node("MatMul", ["flat", "w0"], ["y"], "mm0"),
    ]
    inits = [init("w0", pm1((18, 4), 8))]
    return model(nodes, [("x", [1, 2, 3, 3])], [("y", TensorProto.FLOAT, [1, 4])], inits)


@case
def squeeze_bn():
    """Brevitas' 1-d batch norm: Unsqueeze(axes [2, 3]) -> BatchNorm -> Squeeze(axes [2, 3])."""
    bn, bn_inits = batchnorm("bn0", "u", "b", 6, seed=9)
    nodes = [
        node("Sign", ["x"], ["s0"], "sign0"),
        node("MatMul", ["s0", "w0"], ["acc"], "mm0"),
        node("Unsqueeze", ["acc", "axes23"], ["u"], "unsq0"),
        bn,
        node("Squeeze", ["b", "axes23"], ["sq"], "sq0"),
        node("Sign", ["sq"], ["y"], "sign1"),
    ]
    inits = [init("w0", pm1((8, 6), 10)), init("axes23", np.array([2, 3], dtype=np.int64))]
    inits += bn_inits
    return model(nodes, [("x", [1, 8])], [("y", TensorProto.FLOAT, [1, 6])], inits)


@case
def multithreshold_bipolar():
    """FINN: MultiThreshold(BIPOLAR, out_scale 2, out_bias -1) -> MatMul(±1)."""
    thresholds = eighths(rng(11).uniform(-1, 1, (8, 1)))
    nodes = [
        node("MultiThreshold", ["x", "t0"], ["a0"], "mt0", domain=FINN,
             out_dtype="BIPOLAR", out_scale=2.0, out_bias=-1.0),
        node("MatMul", ["a0", "w0"], ["y"], "mm0"),
    ]
    inits = [init("t0", thresholds), init("w0", pm1((8, 4), 12))]
    return model(nodes, [("x", [1, 8])], [("y", TensorProto.FLOAT, [1, 4])], inits, (FINN,))


@case
def multithreshold_2bit():
    """FINN 2-bit activations: 3 thresholds with out_bias -2 (integer offset), a MatMul, then
    3 thresholds on the integer accumulator with out_bias -1.5 (not an integer offset)."""
    t0 = np.sort(eighths(rng(13).uniform(-1, 1, (8, 3))), axis=1)
    t1 = np.sort(np.round(rng(14).uniform(-4, 4, (4, 3)), 1), axis=1).astype(np.float32)
    nodes = [
        node("MultiThreshold", ["x", "t0"], ["a0"], "mt0", domain=FINN,
             out_dtype="INT2", out_scale=1.0, out_bias=-2.0),
        node("MatMul", ["a0", "w0"], ["acc"], "mm0"),
        node("MultiThreshold", ["acc", "t1"], ["y"], "mt1", domain=FINN,
             out_dtype="UINT2", out_scale=1.0, out_bias=-1.5),
    ]
    inits = [init("t0", t0), init("t1", t1), init("w0", pm1((8, 4), 15))]
    return model(nodes, [("x", [1, 8])], [("y", TensorProto.FLOAT, [1, 4])], inits, (FINN,))


@case
def round_clip():
    """An integer input quantizer as Round -> Clip(-4, 3), then MatMul(±1)."""
    nodes = [
        node("Round", ["x"], ["r"], "round0"),
        node("Clip", ["r", "lo", "hi"], ["c"], "clip0"),
        node("MatMul", ["c", "w0"], ["y"], "mm0"),
    ]
    inits = [init("lo", np.float32(-4.0)), init("hi", np.float32(3.0)), init("w0", pm1((8, 4), 16))]
    return model(nodes, [("x", [1, 8])], [("y", TensorProto.FLOAT, [1, 4])], inits)


@case
def topk():
    """Sign -> MatMul(±1) -> TopK(k = 3), only the indices output used."""
    nodes = [
        node("Sign", ["x"], ["s0"], "sign0"),
        node("MatMul", ["s0", "w0"], ["scores"], "mm0"),
        node("TopK", ["scores", "k"], ["values", "y"], "topk0", axis=-1),
    ]
    inits = [init("w0", pm1((8, 10), 17)), init("k", np.array([3], dtype=np.int64))]
    return model(nodes, [("x", [1, 8])], [("y", TensorProto.INT64, [1, 3])], inits)


@case
def argmax():
    """Sign -> MatMul(±1) -> Mul(0.25) -> ArgMax(axis 1, keepdims 0)."""
    nodes = [
        node("Sign", ["x"], ["s0"], "sign0"),
        node("MatMul", ["s0", "w0"], ["scores"], "mm0"),
        node("Mul", ["scores", "quarter"], ["scaled"], "mul0"),
        node("ArgMax", ["scaled"], ["y"], "argmax0", axis=1, keepdims=0),
    ]
    inits = [init("w0", pm1((8, 10), 18)), init("quarter", np.float32(0.25))]
    return model(nodes, [("x", [1, 8])], [("y", TensorProto.INT64, [1])], inits)


@case
def arith():
    """Sub/Div/Mul/Add with scalar and per-channel constants after a binary MatMul."""
    nodes = [
        node("Sign", ["x"], ["s0"], "sign0"),
        node("MatMul", ["s0", "w0"], ["acc"], "mm0"),
        node("Sub", ["acc", "c_sub"], ["a1"], "sub0"),  # scalar
        node("Div", ["a1", "c_div"], ["a2"], "div0"),  # per channel
        node("Mul", ["c_mul", "a2"], ["a3"], "mul0"),  # per channel, constant first
        node("Add", ["a3", "c_add"], ["a4"], "add0"),  # scalar
        node("Sub", ["c_rsub", "a4"], ["y"], "rsub0"),  # scalar, constant first
    ]
    inits = [
        init("w0", pm1((8, 4), 19)),
        init("c_sub", np.float32(1.5)),
        init("c_div", f32(2.0, 4.0, 0.5, 1.0)),
        init("c_mul", f32(1.0, -1.0, 3.0, 0.25).reshape(1, 4)),
        init("c_add", np.float32(0.75)),
        init("c_rsub", np.float32(10.0)),
    ]
    return model(nodes, [("x", [1, 8])], [("y", TensorProto.FLOAT, [1, 4])], inits)


@case
def quant_2bit_weights():
    """Sign -> MatMul with 2-bit weights from Quant(real W, scale 0.25, bit width 2, narrow)."""
    nodes = [
        node("Sign", ["x"], ["s0"], "sign0"),
        node("Quant", ["w0_real", "w_scale", "zp", "w_bits"], ["w0_q"], "wq", domain=QONNX,
             signed=1, narrow=1, rounding_mode="ROUND"),
        node("MatMul", ["s0", "w0_q"], ["y"], "mm0"),
    ]
    inits = [
        init("w0_real", (0.3 * real((8, 4), 20)).astype(np.float32)),
        init("w_scale", np.float32(0.25)),
        init("zp", np.float32(0.0)),
        init("w_bits", np.float32(2.0)),
    ]
    return model(nodes, [("x", [1, 8])], [("y", TensorProto.FLOAT, [1, 4])], inits, (QONNX,))


# ------------------------------------------------------------------------------------------
# Convolutions


@case
def quant_conv():
    """Brevitas 8-bit input quantizer (scale 1/64) -> Conv 3x3 pads 1 with ±1 weights."""
    nodes = [
        node("Quant", ["x", "in_scale", "zp", "in_bits"], ["xq"], "inq", domain=BREVITAS,
             signed=1, narrow=0, rounding_mode="ROUND"),
        node("Conv", ["xq", "w0"], ["y"], "conv0", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
    ]
    inits = [
        init("in_scale", np.float32(1.0 / 64)),
        init("zp", np.float32(0.0)),
        init("in_bits", np.float32(8.0)),
        init("w0", pm1((3, 2, 3, 3), 21)),
    ]
    return model(nodes, [("x", [1, 2, 6, 6])], [("y", TensorProto.FLOAT, [1, 3, 6, 6])], inits,
                 (BREVITAS,))


@case
def conv_stride2():
    """Sign -> Conv 3x3, stride 2, no padding, on a bipolar 2x6x6 image."""
    nodes = [
        node("Sign", ["x"], ["s0"], "sign0"),
        node("Conv", ["s0", "w0"], ["y"], "conv0", kernel_shape=[3, 3], strides=[2, 2]),
    ]
    inits = [init("w0", pm1((4, 2, 3, 3), 22))]
    return model(nodes, [("x", [1, 2, 6, 6])], [("y", TensorProto.FLOAT, [1, 4, 2, 2])], inits)


@case
def conv_pad():
    """Sign -> Pad(constant -1, one pixel each side) -> Conv 3x3: bipolar padding with -1."""
    nodes = [
        node("Sign", ["x"], ["s0"], "sign0"),
        node("Pad", ["s0", "pads", "pad_value"], ["p0"], "pad0", mode="constant"),
        node("Conv", ["p0", "w0"], ["y"], "conv0", kernel_shape=[3, 3]),
    ]
    inits = [
        init("pads", np.array([0, 0, 1, 1, 0, 0, 1, 1], dtype=np.int64)),
        init("pad_value", np.float32(-1.0)),
        init("w0", pm1((3, 2, 3, 3), 23)),
    ]
    return model(nodes, [("x", [1, 2, 6, 6])], [("y", TensorProto.FLOAT, [1, 3, 6, 6])], inits)


@case
def maxpool():
    """Sign -> MaxPool 2x2 stride 2 on bipolar data -> Conv 2x2 -> MaxPool 2x2 (stride 1) on the
    integer accumulator."""
    nodes = [
        node("Sign", ["x"], ["s0"], "sign0"),
        node("MaxPool", ["s0"], ["p0"], "pool0", kernel_shape=[2, 2], strides=[2, 2]),
        node("Conv", ["p0", "w0"], ["c0"], "conv0", kernel_shape=[2, 2]),
        node("MaxPool", ["c0"], ["y"], "pool1", kernel_shape=[2, 2]),
    ]
    inits = [init("w0", pm1((2, 4, 2, 2), 24))]
    return model(nodes, [("x", [1, 4, 6, 6])], [("y", TensorProto.FLOAT, [1, 2, 1, 1])], inits)


def main(argv: list[str]) -> int:
    if argv == ["--list"]:
        print("\n".join(CASES))
        return 0
    if len(argv) != 2 or argv[0] not in CASES:
        cases = ", ".join(CASES)
        print(f"usage: make_onnx.py CASE OUT.onnx, CASE one of: {cases}", file=sys.stderr)
        return 2
    onnx.save(CASES[argv[0]](), argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
