"""Seeded random quantized networks in the styles of FINN's and hls4ml's examples (issue 23).

    kws_mlp(seed)      finn-examples' keyword spotting: 490 8-bit inputs, 490-64-64-64-12, w3a3,
                       Gemm (transB) + BN + QuantReLU (Relu + unsigned 3-bit Quant)
    unsw_mlp(seed)     the UNSW-NB15 intrusion detection MLP: 600 binary inputs (unsigned 1-bit
                       Quant), 600-64-64-64-1, w2a2, Gemm + bias + BN + QuantReLU, a Sigmoid
    jet_mlp(seed)      hls4ml's jet tagging converted from QKeras: 16 fixed-point inputs
                       (quantized_bits(8, 3): scale 2^-4), 16-64-32-32-5, 6-bit power-of-two
                       weights, MatMul + bias Add + Relu + unsigned 6-bit Quant (quantized_relu),
                       a Softmax
    relu_cnv(seed)     a CNV with QuantReLU: conv → BN → Relu + unsigned 2-bit Quant → max-pool,
                       w2a2, 8-bit inputs

The nodes are those of the exports, written with `onnx.helper`: Brevitas 0.13 exports QuantReLU
as `Relu` then a QONNX `Quant` with signed = 0, narrow = 0, zero point 0 and a float scale
(checked once against a real export: `test_relu_styles.test_brevitas_export_matches`);
weight quantizers are signed, narrow, with a per-tensor float scale (Brevitas) or 2^-(b-1)
(QKeras' quantized_bits(b, 0, alpha=1)).

Random weights alone give activations stuck at one level, so each builder pushes calibration
inputs through the network in numpy and sets each BN (or bias) so that a channel's
pre-activations span the quantizer's levels; a few channels are special on purpose: γ = 0
(constant), a huge negative β (all pre-activations negative: ReLU's floor everywhere) and γ < 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import onnx
from onnx import TensorProto
from synthetic import QONNX_DOMAIN, GraphBuilder, add_maxpool, conv2d, maxpool2

CALIBRATION = 256


def quantize(x: np.ndarray, scale: float, lo: int, hi: int, zero_point: float = 0.0) -> np.ndarray:
    """QONNX Quant with ROUND (half to even): scale·(clip(round(x/scale + z), lo, hi) − z)."""
    q = np.clip(np.round(np.asarray(x, np.float64) / scale + zero_point), lo, hi)
    return ((q - zero_point) * scale).astype(np.float32)


def add_quant(g: GraphBuilder, x: str, scope: str, scale: float | np.ndarray, bits: int, *,
              signed: bool, narrow: bool = False, zero_point: float | np.ndarray = 0.0) -> str:
    prefix = scope.replace("/", ".")
    params = [g.const(f"{prefix}.scale", np.float32(scale) if np.isscalar(scale) else
                      np.asarray(scale, np.float32)),
              g.const(f"{prefix}.zero_point", np.float32(zero_point) if np.isscalar(zero_point)
                      else np.asarray(zero_point, np.float32)),
              g.const(f"{prefix}.bit_width", np.float32(bits))]
    return g.op("Quant", [x, *params], scope, domain=QONNX_DOMAIN, signed=int(signed),
                narrow=int(narrow), rounding_mode="ROUND")


def weight_quant(rng: np.random.Generator, shape: Sequence[int], bits: int,
                 power_of_two: bool) -> tuple[np.ndarray, float, np.ndarray]:
    """Real weights, their Quant's scale (signed, narrow) and the quantized weights."""
    w = rng.normal(0.0, 1.0, shape).astype(np.float32)
    top = (1 << (bits - 1)) - 1
    scale = 2.0 ** -(bits - 1) if power_of_two else float(np.float32(np.abs(w).max() / top))
    if power_of_two:
        w = (w * scale * top / 3).astype(np.float32)  # most codes inside the range
    return w, scale, quantize(w, scale, -top, top)


def special_channels(rng: np.random.Generator, channels: int) -> dict[str, int]:
    chosen = rng.permutation(channels)
    return {"zero_gamma": int(chosen[0]), "all_negative": int(chosen[1]), "negative_gamma": int(chosen[2])}


def relu_batchnorm(rng: np.random.Generator, samples: np.ndarray, act_scale: float, levels: int
                   ) -> dict[str, np.ndarray]:
    """BN parameters that put each channel's samples across [0, levels·act_scale], with the
    special channels of `special_channels`."""
    channels = samples.shape[1]
    mean = samples.mean(axis=0).astype(np.float32)
    var = (samples.var(axis=0) + 1e-3).astype(np.float32)
    span = levels * act_scale
    gamma = rng.uniform(0.3, 0.6, channels) * span
    beta = rng.uniform(0.2, 0.6, channels) * span
    special = special_channels(rng, channels)
    gamma[special["zero_gamma"]] = 0.0
    beta[special["all_negative"]] = -1000.0
    gamma[special["negative_gamma"]] *= -1
    return {"gamma": gamma.astype(np.float32), "beta": beta.astype(np.float32), "mean": mean,
            "var": var}


def apply_batchnorm(x: np.ndarray, bn: dict[str, np.ndarray], epsilon: float) -> np.ndarray:
    shape = (1, -1) + (1,) * (x.ndim - 2)
    p = {k: v.reshape(shape) for k, v in bn.items()}
    return (p["gamma"] * (x - p["mean"]) / np.sqrt(p["var"] + epsilon) + p["beta"]).astype(np.float32)


def add_batchnorm(g: GraphBuilder, x: str, scope: str, bn: dict[str, np.ndarray], epsilon: float) -> str:
    names = [g.const(f"{scope}.bn.{k}", bn[k]) for k in ("gamma", "beta", "mean", "var")]
    return g.op("BatchNormalization", [x, *names], scope, epsilon=epsilon)


def add_relu_quant(g: GraphBuilder, x: str, scope: str, scale: float, bits: int) -> str:
    """Brevitas' QuantReLU: Relu, then an unsigned, not narrow Quant with zero point 0."""
    return add_quant(g, g.op("Relu", [x], scope), f"{scope}/act_quant", scale, bits, signed=False)


def relu_quant(x: np.ndarray, scale: float, bits: int) -> np.ndarray:
    return quantize(np.maximum(x, 0), scale, 0, (1 << bits) - 1)


def mlp(name: str, seed: int, layers: Sequence[int], *, input_quant: tuple,
        weight_bits: int, act_bits: int, gemm: bool, bias: bool, batchnorm: bool,
        power_of_two: bool, output: str | None, inputs: np.ndarray, label: bool = False
        ) -> onnx.ModelProto:
    """An MLP of `layers`; `input_quant` is (scale, bits, signed[, zero point]) of the input's
    Quant (a signed 1-bit one is bipolar, as qonnx runs it)."""
    rng = np.random.default_rng(seed)
    g = GraphBuilder()
    in_scale, in_bits, in_signed, *rest = input_quant
    in_zero = float(rest[0]) if rest else 0.0
    lo, hi = (-(1 << (in_bits - 1)), (1 << (in_bits - 1)) - 1) if in_signed else (0, (1 << in_bits) - 1)
    x = add_quant(g, "input", "input/act_quant", in_scale, in_bits, signed=in_signed,
                  zero_point=in_zero)
    if in_bits == 1 and in_signed:
        h = np.where(inputs >= 0, in_scale, -in_scale).astype(np.float32)
    else:
        h = quantize(inputs, in_scale, lo, hi, in_zero)
    act_scale = float(np.float32(2.0 ** -(act_bits - 1))) if power_of_two else float(
        np.float32(rng.uniform(0.05, 0.2)))
    levels = (1 << act_bits) - 1
    epsilon = 1e-4
    for index, (k, m) in enumerate(zip(layers[:-1], layers[1:])):
        scope = f"fc{index}"
        w, w_scale, wq = weight_quant(rng, (m, k), weight_bits, power_of_two)
        wname = add_quant(g, g.const(f"{scope}.weight", w), f"{scope}/weight_quant", w_scale,
                          weight_bits, signed=True, narrow=True)
        acc = (h.astype(np.float64) @ wq.T.astype(np.float64)).astype(np.float32)
        last = index == len(layers) - 2
        if batchnorm or last:
            b = (rng.normal(0, 0.1, m) * (acc.std() + 1e-3)).astype(np.float32)
        else:  # no BN: the bias moves each channel's pre-activations to the quantizer's levels
            b = (acc.std(axis=0) - acc.mean(axis=0)).astype(np.float32)
            b[special_channels(rng, m)["all_negative"]] = -2 * float(np.abs(acc).max()) - 1
        if gemm:
            ins = [x, wname] + ([g.const(f"{scope}.bias", b)] if bias else [])
            x = g.op("Gemm", ins, scope, transB=1, alpha=1.0, beta=1.0)
        else:
            x = g.op("MatMul", [x, g.op("Transpose", [wname], f"{scope}/weight", perm=[1, 0])], scope)
            if bias:
                x = g.op("Add", [x, g.const(f"{scope}.bias", b)], f"{scope}/bias")
        if bias:
            acc = (acc + b).astype(np.float32)
        if last:
            break
        if batchnorm:
            bn = relu_batchnorm(rng, acc, act_scale, levels)
            x = add_batchnorm(g, x, scope, bn, epsilon)
            acc = apply_batchnorm(acc, bn, epsilon)
        x = add_relu_quant(g, x, scope, act_scale, act_bits)
        h = relu_quant(acc, act_scale, act_bits)
    if output:
        x = g.op(output, [x], "output", **({"axis": -1} if output != "Sigmoid" else {}))
    if label:  # the index of the top score, (1, 1) int64
        x = g.op("ArgMax", [x], "label_select", axis=1, keepdims=1)
        return g.model(name, [1, layers[0]], x, [1, 1], TensorProto.INT64)
    return g.model(name, [1, layers[0]], x, [1, layers[-1]])


def kws_inputs(n: int, seed: int) -> np.ndarray:
    """MFCC-like features: real values the 8-bit input quantizer (scale 2^-3) covers."""
    return np.random.default_rng([seed, 7]).normal(0, 4.0, (n, 490)).astype(np.float32)


def unsw_inputs(n: int, seed: int) -> np.ndarray:
    """600 binary features."""
    return np.random.default_rng([seed, 7]).integers(0, 2, (n, 600)).astype(np.float32)


def jet_inputs(n: int, seed: int) -> np.ndarray:
    """16 standardised jet features."""
    return np.random.default_rng([seed, 7]).normal(0, 1.5, (n, 16)).astype(np.float32)


def kws_mlp(seed: int) -> onnx.ModelProto:
    return mlp(f"kws_w3a3_seed{seed}", seed, [490, 64, 64, 64, 12], input_quant=(0.125, 8, True),
               weight_bits=3, act_bits=3, gemm=True, bias=False, batchnorm=True,
               power_of_two=False, output=None, inputs=kws_inputs(CALIBRATION, seed))


def unsw_mlp(seed: int) -> onnx.ModelProto:
    return mlp(f"unsw_w2a2_seed{seed}", seed, [600, 64, 64, 64, 1], input_quant=(1.0, 1, False),
               weight_bits=2, act_bits=2, gemm=True, bias=True, batchnorm=True,
               power_of_two=False, output="Sigmoid", inputs=unsw_inputs(CALIBRATION, seed))


def jet_mlp(seed: int, output: str = "Softmax", label: bool = False) -> onnx.ModelProto:
    return mlp(f"jet_seed{seed}", seed, [16, 64, 32, 32, 5], input_quant=(2.0 ** -4, 8, True),
               weight_bits=6, act_bits=6, gemm=False, bias=True, batchnorm=False,
               power_of_two=True, output=output, inputs=jet_inputs(CALIBRATION, seed), label=label)


def cnv_inputs(n: int, seed: int, image: int) -> np.ndarray:
    return np.random.default_rng([seed, 7]).uniform(0, 1, (n, 3, image, image)).astype(np.float32)


def relu_cnv(seed: int, channels: Sequence[int] = (8, 8, 16, 16, 32, 32, 64, 64), image: int = 32,
             act_bits: int = 2, weight_bits: int = 2) -> onnx.ModelProto:
    """CNV (conv0..conv5 3x3 valid, max-pools after conv1 and conv3, fc6, fc7, fc8 to 10) with
    QuantReLU activations after each BN and 8-bit inputs in [0, 1) (unsigned, scale 2^-8)."""
    rng = np.random.default_rng(seed)
    g = GraphBuilder()
    x = add_quant(g, "input", "input/act_quant", 2.0 ** -8, 8, signed=False)
    h = quantize(cnv_inputs(64, seed, image), 2.0 ** -8, 0, 255)
    act_scale = float(np.float32(rng.uniform(0.1, 0.3)))
    levels = (1 << act_bits) - 1
    epsilon = 1e-4
    c_in = 3
    for index, c_out in enumerate(channels[:6]):
        scope = f"conv{index}"
        w, w_scale, wq = weight_quant(rng, (c_out, c_in, 3, 3), weight_bits, False)
        wname = add_quant(g, g.const(f"{scope}.weight", w), f"{scope}/weight_quant", w_scale,
                          weight_bits, signed=True, narrow=True)
        x = g.op("Conv", [x, wname], scope, kernel_shape=[3, 3], pads=[0, 0, 0, 0], strides=[1, 1])
        acc = conv2d(h, wq, 0, 0.0)
        samples = np.moveaxis(acc, 1, -1).reshape(-1, c_out)
        bn = relu_batchnorm(rng, samples, act_scale, levels)
        x = add_relu_quant(g, add_batchnorm(g, x, scope, bn, epsilon), scope, act_scale, act_bits)
        h = relu_quant(apply_batchnorm(acc, bn, epsilon), act_scale, act_bits)
        if index in (1, 3):
            x, h = add_maxpool(g, x, scope), maxpool2(h)
        c_in = c_out
    x = g.op("Reshape", [x, g.const("flatten.shape", np.array([1, -1]))], "flatten")
    h = h.reshape(h.shape[0], -1)
    k = h.shape[1]
    for index, m in enumerate([*channels[6:], 10]):
        scope = f"fc{6 + index}"
        w, w_scale, wq = weight_quant(rng, (m, k), weight_bits, False)
        wname = add_quant(g, g.const(f"{scope}.weight", w), f"{scope}/weight_quant", w_scale,
                          weight_bits, signed=True, narrow=True)
        x = g.op("Gemm", [x, wname], scope, transB=1)
        acc = h @ wq.T
        if index == 2:
            break
        bn = relu_batchnorm(rng, acc, act_scale, levels)
        x = add_relu_quant(g, add_batchnorm(g, x, scope, bn, epsilon), scope, act_scale, act_bits)
        h, k = relu_quant(apply_batchnorm(acc, bn, epsilon), act_scale, act_bits), m
    return g.model(f"relu_cnv_w{weight_bits}a{act_bits}_seed{seed}", [1, 3, image, image], x,
                   [1, 10], TensorProto.FLOAT)
