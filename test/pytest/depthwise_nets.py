"""Small seeded depthwise-separable networks written with `onnx.helper` (issue 25), in the two
QONNX styles bnnc imports:

    separable(seed, "qkeras")    QKeras' QConv2D / QDepthwiseConv2D converted to QONNX: convs with
                                 a bias input, no batch norm, per-tensor power-of-two weight
                                 quantizers (quantized_bits(4, 0, alpha=1): scale 2^-3) and
                                 quantized_relu(4) (Relu + unsigned 4-bit Quant, scale 2^-2)
    separable(seed, "brevitas")  Brevitas' MobileNet blocks: convs without bias, BN, per-channel
                                 float weight scales, QuantReLU with a float scale

Both: 8-bit unsigned input (scale 2^-8) → conv0 3×3 (3→8, pads 1) → dw1 3×3 (pads 1) →
pw1 1×1 (8→16) → dw2 3×3 (pads 1, stride 2) → pw2 1×1 (16→16) → flatten → Gemm to 10, every
hidden layer followed by a 4-bit ReLU quantizer. Each depthwise Conv has `group` = channels.
Biases and BNs are set from calibration images pushed through the network in numpy so that
each channel's pre-activations span the quantizer's levels.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import onnx
from onnx import TensorProto
from qnn_styles import (add_batchnorm, add_quant, add_relu_quant, apply_batchnorm, quantize,
                        relu_batchnorm, relu_quant)
from synthetic import GraphBuilder

Style = Literal["qkeras", "brevitas"]
IMAGE = 16
ACT_BITS = WEIGHT_BITS = 4
# (name, output channels or None for depthwise, kernel, stride)
LAYERS = [("conv0", 8, 3, 1), ("dw1", None, 3, 1), ("pw1", 16, 1, 1), ("dw2", None, 3, 2),
          ("pw2", 16, 1, 1)]

# the same network without its depthwise layers: 3×3 then two pointwise convolutions
POINTWISE_ONLY = [layer for layer in LAYERS if layer[1] is not None]


def inputs(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng([seed, 11]).uniform(0, 1, (n, 3, IMAGE, IMAGE)).astype(np.float32)


def conv(x: np.ndarray, w: np.ndarray, stride: int, pad: int, depthwise: bool) -> np.ndarray:
    """NCHW convolution in float64 (calibration only): ordinary, or one kernel a channel."""
    x = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    m, _, kh, kw = w.shape
    oh, ow = (x.shape[2] - kh) // stride + 1, (x.shape[3] - kw) // stride + 1
    out = np.zeros((x.shape[0], m, oh, ow))
    for dy in range(kh):
        for dx in range(kw):
            tap = x[:, :, dy:dy + (oh - 1) * stride + 1:stride, dx:dx + (ow - 1) * stride + 1:stride]
            if depthwise:
                out += tap * w[None, :, 0, dy, dx, None, None]
            else:
                out += np.einsum("nchw,mc->nmhw", tap, w[:, :, dy, dx])
    return out


def weights(rng: np.random.Generator, shape: tuple[int, ...], style: Style
            ) -> tuple[np.ndarray, float | np.ndarray, np.ndarray]:
    """Real weights, their quantizer's scale (per tensor, or per output channel (M, 1, ...)) and
    the quantized weights (signed, narrow)."""
    w = rng.normal(0.0, 1.0, shape).astype(np.float32)
    top = (1 << (WEIGHT_BITS - 1)) - 1
    if style == "qkeras":
        scale: float | np.ndarray = 2.0 ** -(WEIGHT_BITS - 1)
        w = (w * 0.3).astype(np.float32)
        return w, scale, quantize(w, scale, -top, top)
    axes = tuple(range(1, len(shape)))
    scale = (np.abs(w).max(axis=axes, keepdims=True) / top).astype(np.float32)
    q = (np.clip(np.round(w / scale), -top, top) * scale).astype(np.float32)
    return w, scale, q


def separable(seed: int, style: Style, calibration: int = 64, layers=LAYERS) -> onnx.ModelProto:
    """The network of the module's docstring; `layers` may leave some out (`POINTWISE_ONLY`)."""
    rng = np.random.default_rng(seed)
    g = GraphBuilder()
    x = add_quant(g, "input", "input/act_quant", 2.0 ** -8, 8, signed=False)
    h = quantize(inputs(calibration, seed), 2.0 ** -8, 0, 255).astype(np.float64)
    act_scale = 2.0 ** -2 if style == "qkeras" else float(np.float32(rng.uniform(0.1, 0.3)))
    levels = (1 << ACT_BITS) - 1
    channels = 3
    for scope, out, kernel, stride in layers:
        depthwise = out is None
        out = channels if depthwise else out
        w, w_scale, wq = weights(rng, (out, 1 if depthwise else channels, kernel, kernel), style)
        wname = add_quant(g, g.const(f"{scope}.weight", w), f"{scope}/weight_quant", w_scale,
                          WEIGHT_BITS, signed=True, narrow=True)
        pad = kernel // 2
        acc = conv(h, wq, stride, pad, depthwise)
        attrs = dict(kernel_shape=[kernel, kernel], pads=[pad] * 4, strides=[stride, stride],
                     group=channels if depthwise else 1)
        samples = np.moveaxis(acc, 1, -1).reshape(-1, out)
        if style == "qkeras":  # the bias centres each channel on the quantizer's middle level
            bias = (levels * act_scale / 2 - samples.mean(axis=0)
                    + rng.normal(0, 0.2, out) * samples.std(axis=0)).astype(np.float32)
            x = g.op("Conv", [x, wname, g.const(f"{scope}.bias", bias)], scope, **attrs)
            pre = acc + bias[None, :, None, None]
        else:
            x = g.op("Conv", [x, wname], scope, **attrs)
            bn = relu_batchnorm(rng, samples, act_scale, levels)
            x = add_batchnorm(g, x, scope, bn, 1e-5)
            pre = apply_batchnorm(acc.astype(np.float32), bn, 1e-5)
        x = add_relu_quant(g, x, scope, act_scale, ACT_BITS)
        h = relu_quant(pre, act_scale, ACT_BITS).astype(np.float64)
        channels = out
    x = g.op("Reshape", [x, g.const("flatten.shape", np.array([1, -1]))], "flatten")
    k = h[0].size
    w, w_scale, _ = weights(rng, (10, k), "qkeras" if style == "qkeras" else "brevitas")
    wname = add_quant(g, g.const("fc.weight", w), "fc/weight_quant", w_scale, WEIGHT_BITS,
                      signed=True, narrow=True)
    x = g.op("Gemm", [x, wname], "fc", transB=1)
    return g.model(f"separable_{style}_seed{seed}", [1, 3, IMAGE, IMAGE], x, [1, 10], TensorProto.FLOAT)
