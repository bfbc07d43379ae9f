"""Small hand-made ONNX graphs for the FileCheck tests of depthwise convolution (issue 25): a
depthwise Conv (`group` = channels) on 4-bit codes with a per-channel weight quantizer, and the
grouped convolutions that must be refused.

    python make_depthwise_onnx.py CASE OUT.onnx       writes one model
    python make_depthwise_onnx.py --list              prints the case names

Built with the helpers of `make_onnx.py` and `make_relu_onnx.py` (same folder); seeded, so the
printed IR is stable.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import numpy as np
import onnx
from make_onnx import QONNX, f32, init, model, node, pm1
from make_relu_onnx import quant
from onnx import TensorProto

CASES: dict[str, Callable[[], onnx.ModelProto]] = {}


def case(fn: Callable[[], onnx.ModelProto]) -> Callable[[], onnx.ModelProto]:
    CASES[fn.__name__] = fn
    return fn


def quant_input(channels: int, size: int):
    """Quant(unsigned 4-bit, scale 0.25) of the real input: codes 0..15."""
    return quant("x", "q0", "act0", 0.25, 0.0, 4, signed=0)


@case
def depthwise():
    """Quant(x, unsigned 4-bit) -> Conv(group 2, 3x3, pads 1, stride 2) whose weights come out of
    a per-channel Quant (scales 0.5 and 0.125, signed 4-bit, narrow). Channel 1's codes are
    {-3, 0, 3, 5}: no ±1, so only the quantizer's own scale reads them as integers."""
    q, q_inits = quant_input(2, 6)
    codes = np.array([[[1, -1, 2], [0, 7, -7], [3, 1, 0]],
                      [[3, 0, -3], [5, 0, 0], [-3, 3, 5]]], np.float32)[:, None]
    scales = f32(0.5, 0.125).reshape(2, 1, 1, 1)
    wq, wq_inits = quant("w_real", "w", "wq", scales, 0.0, 4, signed=1, narrow=1)
    conv = node("Conv", ["q0", "w"], ["y"], "dw0", group=2, kernel_shape=[3, 3], pads=[1, 1, 1, 1],
                strides=[2, 2])
    inits = [init("w_real", codes * scales)] + q_inits + wq_inits
    return model([q, wq, conv], [("x", [1, 2, 6, 6])], [("y", TensorProto.FLOAT, [1, 2, 3, 3])],
                 inits, (QONNX,))


def grouped(group: int, filters: int, channels: int = 4) -> onnx.ModelProto:
    q, q_inits = quant_input(channels, 4)
    w = pm1((filters, channels // group, 3, 3))
    conv = node("Conv", ["q0", "w"], ["y"], "conv0", group=group, kernel_shape=[3, 3])
    return model([q, conv], [("x", [1, channels, 4, 4])],
                 [("y", TensorProto.FLOAT, [1, filters, 2, 2])], [init("w", w)] + q_inits, (QONNX,))


@case
def group_two():
    """Conv with group 2 over 4 channels: neither ordinary nor depthwise."""
    return grouped(2, 4)


@case
def depth_multiplier_two():
    """Conv with group 4 over 4 channels and 8 filters: depthwise with depth multiplier 2."""
    return grouped(4, 8)


def main(argv: list[str]) -> int:
    if argv == ["--list"]:
        print("\n".join(CASES))
        return 0
    if len(argv) != 2 or argv[0] not in CASES:
        print(f"usage: make_depthwise_onnx.py CASE OUT.onnx, CASE one of: {', '.join(CASES)}",
              file=sys.stderr)
        return 2
    onnx.save(CASES[argv[0]](), argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
