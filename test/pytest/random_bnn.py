"""Random binarized networks for differential fuzzing: a spec, its ONNX model, and strategies.

A `NetSpec` holds a network's structure: the flavour of its export (QONNX, plain ONNX or
FINN-ONNX), its input and input quantizer (bipolar or a signed 2..8-bit quantizer; for FINN-ONNX
also a uint8 input thresholded on the accelerator), its layers (`LayerSpec`: convolutions with
any small kernel, stride, asymmetric ±1 or integer padding and a max-pool before or after the
activation, then dense layers; binary or n-bit weights and activations; per-channel batch-norm
kinds: γ < 0, γ = 0, a constant output, an exact tie) and its tail (a scalar TensorNorm of
either sign, TopK or ArgMax). `build(spec)` turns it into an `onnx.ModelProto`, `inputs(spec, n)`
gives images for it, and `cases()` is the hypothesis strategy of (spec, folding choice) that
test_fuzz.py runs through every level. Every number (weights, batch norms, scales) comes from
`spec.seed`, so a spec written out as Python is a complete regression test.

Like `synthetic` (whose building blocks this module reuses), the builder propagates a batch of
calibration images through the network while it builds it and sets every batch norm from the
accumulators it sees, so that activations are balanced: each quantizer edge (the sign's 0, an
n-bit quantizer's rounding edges, a MultiThreshold's thresholds) is placed half-way between two
values the accumulator can take. Away from ties onnxruntime (float32) and bnnc's executor
(float64) then agree on every activation. `ties` channels put the edge exactly on a value the
accumulator takes instead, with β = 0 and power-of-two scales, so that both compute a batch-norm
output of exactly 0 (sign(0) = +1 in BipolarQuant and MultiThreshold; plain ONNX's Sign(0) = 0
differs by design, so plain models have no ties).

What bnnc refuses is not generated: a max-pool between a layer and an activation of decreasing
slope (γ < 0) needs the activation complemented, which works for bipolar activations read by a
dense layer or an unpadded convolution only (`passes/threshold_fusion.py`); such layers get
γ > 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import onnx
from hypothesis import strategies as st
from onnx import TensorProto, helper
from synthetic import (
    BETA_RANGE,
    CALIBRATION_IMAGES,
    GAMMA_RANGE,
    HUGE_BETA,
    IR_VERSION,
    ONNX_OPSET,
    QONNX_DOMAIN,
    BnParams,
    GraphBuilder,
    Lattice,
    add_batchnorm,
    image_batch,
    real_weights,
)

FINN_DOMAIN = "finn.custom_op.general"
FLAVOURS = ("qonnx", "plain", "finn")
ROUNDINGS = ("ROUND", "FLOOR", "CEIL", "ROUND_TO_ZERO")
EPSILON = 1e-5
Flavour = Literal["qonnx", "plain", "finn"]


# --------------------------------------------------------------------------------------------
# The spec
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActSpec:
    """A hidden layer's activation: bipolar (bits = 1) or an n-bit quantizer.

    signed / narrow give the n-bit range (QONNX's Quant attributes; plain ONNX's Clip bounds;
    FINN-ONNX's MultiThreshold offset); rounding is the QONNX Quant's mode (plain ONNX and
    FINN-ONNX round to nearest). relu: a Relu before the quantizer (Brevitas' QuantReLU is
    Relu then an unsigned Quant; before a signed one it cuts off the negative codes).
    """

    bits: int = 1
    signed: bool = True
    narrow: bool = False
    rounding: str = "ROUND"
    relu: bool = False

    def levels(self) -> tuple[int, int]:
        if self.bits == 1:
            return -1, 1
        if self.signed:
            return -(1 << (self.bits - 1)) + int(self.narrow), (1 << (self.bits - 1)) - 1
        return 0, (1 << self.bits) - 1 - int(self.narrow)

    def code_range(self) -> tuple[int, int]:
        """The codes the activation outputs: its levels, from 0 up behind a Relu."""
        lo, hi = self.levels()
        return (max(lo, 0), hi) if self.relu else (lo, hi)


@dataclass(frozen=True)
class BnSpec:
    """How many channels of a batch norm are special (disjoint sets; the rest are balanced).

    negative: γ < 0. zero: γ = 0. huge: |β| beyond the accumulator's reach (a constant output).
    ties: the quantizer edge exactly on a value the accumulator takes (bipolar activations of
    QONNX and FINN-ONNX models only). fused: FINN-ONNX only, a MultiThreshold directly on the
    accumulators instead of BatchNormalization then MultiThreshold (no γ < 0 then).
    """

    negative: int = 0
    zero: int = 0
    huge: int = 0
    ties: int = 0
    fused: bool = False


@dataclass(frozen=True)
class LayerSpec:
    """A convolution (kind "conv") or a dense layer; the last layer of a net is dense and has no
    activation (act None).

    pads: (top, left, bottom, right); pad_value: the padding code, ±1 for bipolar inputs (a Pad
    node), any code for integer inputs (0: the Conv's own pads). pool: (kernel, stride) of a
    square max-pool, applied to the accumulators (pool_first) or to the activations.
    """

    kind: Literal["conv", "dense"]
    out: int
    weight_bits: int = 1
    act: ActSpec | None = field(default_factory=ActSpec)
    bn: BnSpec = field(default_factory=BnSpec)
    kernel: tuple[int, int] = (1, 1)
    strides: tuple[int, int] = (1, 1)
    pads: tuple[int, int, int, int] = (0, 0, 0, 0)
    pad_value: int = 0
    pool: tuple[int, int] | None = None
    pool_first: bool = False


@dataclass(frozen=True)
class NetSpec:
    """A whole network; `input_shape` has no batch axis: (C, H, W) or (features,)."""

    flavour: Flavour
    input_shape: tuple[int, ...]
    input_bits: int
    layers: tuple[LayerSpec, ...]
    input_type: Literal["float", "uint8"] = "float"
    flatten: Literal["Reshape", "Flatten"] = "Reshape"
    tensor_norm: int = 0  # 0: none; ±1: a scalar TensorNorm of that sign
    label_select: Literal["TopK", "ArgMax"] | None = None
    top_k: int = 1
    seed: int = 0


@dataclass(frozen=True)
class Case:
    """A spec and the folding choice: per layer of the lowered graph, an index into its legal
    foldings (taken modulo their number; 0 is PE = SIMD = MMV = 1)."""

    spec: NetSpec
    folding: tuple[int, ...] = ()


# --------------------------------------------------------------------------------------------
# Integer arithmetic of the calibration pass
# --------------------------------------------------------------------------------------------


def conv_codes(x: np.ndarray, w: np.ndarray, strides: tuple[int, int],
               pads: tuple[int, int, int, int], pad_code: int) -> np.ndarray:
    """NCHW convolution of integer codes, padded with `pad_code` (top, left, bottom, right)."""
    top, left, bottom, right = pads
    x = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)), constant_values=pad_code)
    _, _, kh, kw = w.shape
    sh, sw = strides
    oh, ow = (x.shape[2] - kh) // sh + 1, (x.shape[3] - kw) // sw + 1
    out = np.zeros((x.shape[0], w.shape[0], oh, ow), dtype=np.int64)
    for dy in range(kh):
        for dx in range(kw):
            window = x[:, :, dy:dy + sh * (oh - 1) + 1:sh, dx:dx + sw * (ow - 1) + 1:sw]
            out += np.einsum("nchw,mc->nmhw", window, w[:, :, dy, dx])
    return out


def maxpool(x: np.ndarray, kernel: int, stride: int) -> np.ndarray:
    """Square max-pool of NCHW, floor mode (ONNX's default)."""
    oh, ow = (x.shape[2] - kernel) // stride + 1, (x.shape[3] - kernel) // stride + 1
    windows = [x[:, :, dy:dy + stride * (oh - 1) + 1:stride, dx:dx + stride * (ow - 1) + 1:stride]
               for dy in range(kernel) for dx in range(kernel)]
    return np.max(windows, axis=0)


def per_channel(acc: np.ndarray) -> np.ndarray:
    """Accumulators as rows of samples (every image and position), one column per channel."""
    return np.moveaxis(acc, 1, -1).reshape(-1, acc.shape[1])


ROUND_FUNCTIONS = {"ROUND": np.round, "FLOOR": np.floor, "CEIL": np.ceil,
                   "ROUND_TO_ZERO": np.trunc}


# --------------------------------------------------------------------------------------------
# Batch norms whose quantizer edges sit between accumulator values
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quantizer:
    """An activation as a function of v = y / scale (y the batch norm's output): codes lo..hi,
    stepping up at v = n + delta for integers n (delta 0.5 for rounding to nearest, 0 for
    FLOOR, CEIL and ROUND_TO_ZERO). Bipolar: codes -1, +1, one edge at v = 0."""

    act: ActSpec
    scale: float

    @property
    def delta(self) -> float:
        return 0.0 if self.act.bits == 1 or self.act.rounding != "ROUND" else 0.5

    def codes(self, y: np.ndarray) -> np.ndarray:
        if self.act.bits == 1:
            return np.where(y >= 0, 1, -1)
        lo, hi = self.act.levels()
        return np.clip(ROUND_FUNCTIONS[self.act.rounding](y / self.scale), lo, hi).astype(np.int64)

    def edges(self) -> np.ndarray:
        """The v at which the code steps up to each level above the lowest (for CEIL and
        ROUND_TO_ZERO, whose edges are integers too, some are one level off: they only centre
        the levels on the accumulators)."""
        if self.act.bits == 1:
            return np.array([0.0])
        lo, hi = self.act.levels()
        return np.arange(lo + 1, hi + 1) - (0.5 if self.delta else 0.0)


def channel_kinds(rng: np.random.Generator, channels: int, bn: BnSpec,
                  quantizer: Quantizer, flavour: Flavour) -> np.ndarray:
    """Per channel: "normal", "negative", "zero", "huge" or "tie" (disjoint, random channels)."""
    ties = bn.ties if quantizer.act.bits == 1 and flavour != "plain" else 0
    negative = 0 if bn.fused else bn.negative
    kinds = np.full(channels, "normal", dtype=object)
    order = rng.permutation(channels)
    start = 0
    for kind, count in (("negative", negative), ("zero", bn.zero), ("huge", bn.huge),
                        ("tie", ties)):
        kinds[order[start:start + count]] = kind
        start += count
    return kinds


@dataclass(frozen=True)
class Activation:
    """A designed activation: the batch norm (for the BatchNormalization form) and the same
    function as ascending thresholds on the accumulator (for the fused MultiThreshold form,
    increasing channels only, constant channels as thresholds out of reach)."""

    bn: BnParams
    thresholds: np.ndarray  # (channels, levels - 1), real accumulator units


def design_activation(rng: np.random.Generator, samples: np.ndarray, lattice: Lattice,
                      bound: float, quantizer: Quantizer, kinds: np.ndarray) -> Activation:
    """Batch norm parameters for the accumulators `samples` (rows: samples; real units).

    The slope a = γ / (σ·scale) maps accumulators to v. For n-bit activations |a| = 1 / (m·step)
    for an integer m, so consecutive edges are m lattice steps apart; putting one edge on a
    lattice midpoint then puts all of them there. The edges are centred on the channel's mean
    accumulator; β is random and μ follows from it (ties: β = 0, μ on the lattice, so the
    output is exactly 0 on the tie in float32 and float64 alike).
    """
    channels = samples.shape[1]
    centre = samples.astype(np.float64).mean(axis=0)
    var = np.maximum(samples.astype(np.float64).var(axis=0), lattice.step**2)
    var *= rng.uniform(0.8, 1.25, channels)
    sigma = np.sqrt(var + EPSILON)
    edges = quantizer.edges()
    if quantizer.act.bits == 1:
        slope = rng.uniform(*GAMMA_RANGE, channels) / sigma
    else:
        steps = np.maximum(1, np.round(4 * np.sqrt(var) / (edges.size + 1) / lattice.step))
        slope = 1.0 / (steps * lattice.step)
    slope = np.where(kinds == "negative", -slope, slope)
    # where v = 0 on the accumulator axis, so that the middle edge lands on the channel's centre
    origin = centre - edges.mean() / slope
    first = origin + edges[0] / slope
    snapped = np.where(kinds == "tie", nearest_value(lattice, first), lattice.midpoint_near(first))
    origin = snapped - edges[0] / slope
    scale = quantizer.scale
    gamma = slope * sigma * scale
    beta = np.where(kinds == "tie", 0.0, rng.uniform(-BETA_RANGE, BETA_RANGE, channels) * scale)
    mean = origin + beta / (scale * slope)
    mean = np.where(kinds == "tie", snapped, mean)  # exact: a lattice value
    thresholds = snapped[:, None] + (edges - edges[0])[None, :] / np.abs(slope)[:, None]
    signs = np.where(rng.random(channels) < 0.5, -1.0, 1.0)
    lo, hi = quantizer.act.levels()
    zero = kinds == "zero"
    constant_v = np.where(signs > 0, hi, lo) - signs * 0.75 if quantizer.act.bits > 1 else signs
    gamma[zero] = 0.0
    beta[zero] = (constant_v * scale)[zero]
    mean[zero] = centre[zero]
    huge = kinds == "huge"
    reach = np.abs(gamma) * (bound + np.abs(mean)) / sigma
    beta[huge] = (signs * np.maximum(HUGE_BETA * scale, 4 * reach + 4 * (hi - lo) * scale))[huge]
    out_of_reach = 4 * bound + HUGE_BETA
    constant = zero | huge
    always = constant & (np.sign(beta) > 0)
    thresholds[constant] = np.where(always[constant], -out_of_reach, out_of_reach)[:, None]
    as32 = [p.astype(np.float32) for p in (gamma, beta, mean, var)]
    return Activation(BnParams(*as32, epsilon=float(np.float32(EPSILON))),
                      thresholds.astype(np.float32))


def nearest_value(lattice: Lattice, value: np.ndarray) -> np.ndarray:
    return lattice.offset + lattice.step * np.round((value - lattice.offset) / lattice.step)


# --------------------------------------------------------------------------------------------
# Building the model
# --------------------------------------------------------------------------------------------


@dataclass
class Flow:
    """The tensor being built and its calibration codes: real value = scale · code."""

    name: str
    codes: np.ndarray
    scale: float
    bipolar: bool
    lo: int
    hi: int


@dataclass
class Builder:
    spec: NetSpec
    rng: np.random.Generator
    g: GraphBuilder = field(default_factory=GraphBuilder)
    gemm: bool = False  # the dense layer being built is a plain ONNX Gemm (weights (out, in))

    @property
    def flavour(self) -> Flavour:
        return self.spec.flavour

    def power_of_two(self, low: int, high: int) -> float:
        return float(2.0 ** int(self.rng.integers(low, high + 1)))

    # ---- quantizers --------------------------------------------------------------------

    def multithreshold(self, x: str, thresholds: np.ndarray, scope: str, act: ActSpec,
                       scale: float) -> str:
        t = self.g.const(f"{scope}.thresholds", np.asarray(thresholds, dtype=np.float32))
        if act.bits == 1:
            return self.g.op("MultiThreshold", [x, t], scope, domain=FINN_DOMAIN,
                             out_dtype="BIPOLAR", out_scale=2.0, out_bias=-1.0)
        lo, _ = act.levels()
        dtype = f"{'INT' if act.signed else 'UINT'}{act.bits}"
        return self.g.op("MultiThreshold", [x, t], scope, domain=FINN_DOMAIN, out_dtype=dtype,
                         out_scale=float(scale), out_bias=float(lo * scale))

    def quant(self, x: str, scope: str, act: ActSpec, scale: float) -> str:
        """QONNX BipolarQuant or Quant of scale `scale` (the constants get the scope's name)."""
        s = self.g.const(f"{scope}.scale", np.float32(scale))
        if act.bits == 1:
            return self.g.op("BipolarQuant", [x, s], scope, domain=QONNX_DOMAIN)
        zero = self.g.const(f"{scope}.zero_point", np.float32(0.0))
        bits = self.g.const(f"{scope}.bit_width", np.float32(act.bits))
        return self.g.op("Quant", [x, s, zero, bits], scope, domain=QONNX_DOMAIN,
                         narrow=int(act.narrow), signed=int(act.signed),
                         rounding_mode=act.rounding)

    def round_clip(self, x: str, scope: str, act: ActSpec) -> str:
        """Plain ONNX's n-bit quantizer: Round and Clip to the integer range, in either order."""
        lo, hi = act.levels()
        bounds = [self.g.const(f"{scope}.clip.{n}", np.float32(v)) for n, v in (("min", lo),
                                                                               ("max", hi))]
        if self.rng.random() < 0.5:
            return self.g.op("Clip", [self.g.op("Round", [x], scope), *bounds], scope)
        return self.g.op("Round", [self.g.op("Clip", [x, *bounds], scope)], scope)

    # ---- the input -----------------------------------------------------------------------

    def input(self, images: np.ndarray) -> Flow:
        spec = self.spec
        x = "input"
        if len(spec.input_shape) == 3 and spec.layers[0].kind == "dense":
            x = self.flatten(x, "input")
            images = images.reshape(images.shape[0], -1)
        act = ActSpec(spec.input_bits)
        lo, hi = act.levels()
        if spec.input_type == "uint8":
            return self.uint8_input(x, images, act)
        real = images.astype(np.float64) * 2 - 1
        doubled = self.g.op("Mul", [x, self.g.const("input.two", np.float32(2.0))], "input")
        x = self.g.op("Sub", [doubled, self.g.const("input.one", np.float32(1.0))], "input")
        if act.bits == 1:
            codes = np.where(real >= 0, 1, -1)
            if self.flavour == "qonnx":
                x = self.quant(x, "input/act_quant", act, 1.0)
            elif self.flavour == "plain":
                x = self.g.op("Sign", [x], "input")
            else:
                x = self.multithreshold(x, np.zeros((1, 1)), "input/act", act, 2.0)
            return Flow(x, codes, 1.0, True, -1, 1)
        scale = 2.0 ** -(act.bits - 1)
        codes = np.clip(np.round(real / scale), lo, hi).astype(np.int64)
        if self.flavour == "qonnx":
            return Flow(self.quant(x, "input/act_quant", act, scale), codes, scale, False, lo, hi)
        if self.flavour == "plain":
            x = self.g.op("Mul", [x, self.g.const("input.levels", np.float32(1 / scale))],
                          "input/levels")
            return Flow(self.round_clip(x, "input/act", act), codes, 1.0, False, lo, hi)
        edges = (np.arange(lo + 1, hi + 1) - 0.5) * scale
        return Flow(self.multithreshold(x, edges[None, :], "input/act", act, scale), codes,
                    scale, False, lo, hi)

    def uint8_input(self, x: str, pixels: np.ndarray, act: ActSpec) -> Flow:
        """FINN-ONNX on raw uint8 pixels: a MultiThreshold on integers (the accelerator's first
        engine), with integral thresholds (exact ties with pixels) or half-way ones, the same
        for every channel or one row per channel (per feature after a flattening Reshape)."""
        rows = pixels.shape[1] if self.rng.random() < 0.5 else 1
        levels = 1 if act.bits == 1 else (1 << act.bits) - 1
        edges = np.sort([self.rng.choice(np.arange(1, 512) / 2, size=levels, replace=False)
                         for _ in range(rows)], axis=1)
        shape = [1, rows] + [1] * (pixels.ndim - 2)
        count = sum((pixels >= edges[:, j].reshape(shape)).astype(np.int64)
                    for j in range(levels))
        if act.bits == 1:
            return Flow(self.multithreshold(x, edges, "input/act", act, 2.0), 2 * count - 1, 1.0,
                        True, -1, 1)
        lo, hi = act.levels()
        scale = 2.0 ** -(act.bits - 1)
        return Flow(self.multithreshold(x, edges, "input/act", act, scale), lo + count, scale,
                    False, lo, hi)

    def flatten(self, x: str, scope: str) -> str:
        if self.spec.flatten == "Flatten":
            return self.g.op("Flatten", [x], scope, axis=1)
        return self.g.op("Reshape", [x, self.g.const(f"{scope}.shape", np.array([1, -1]))],
                         scope)

    # ---- layers --------------------------------------------------------------------------

    def weight_codes(self, shape: tuple[int, ...], bits: int, narrow: bool) -> np.ndarray:
        """±1 codes, or n-bit codes with a ±1 in every row (so that plain and FINN-ONNX weights,
        which carry no quantizer scale, are read at the intended step)."""
        if bits == 1:
            return np.where(self.rng.random(shape) < 0.5, -1, 1)
        top = (1 << (bits - 1)) - 1
        codes = self.rng.integers(-top - int(not narrow), top + 1, size=shape)
        rows = codes.reshape(shape[0], -1)
        rows[np.arange(shape[0]), self.rng.integers(rows.shape[1], size=shape[0])] = (
            self.rng.choice([-1, 1], size=shape[0]))
        return rows.reshape(shape)

    def weights(self, codes: np.ndarray, bits: int, narrow: bool, scope: str,
                dense: bool) -> tuple[str, float]:
        """The weight tensor as the flavour stores it; returns its name and the weight scale.

        Dense weights are (out, in): QONNX quantizes and transposes them, plain ONNX stores
        (in, out) for MatMul or (out, in) for Gemm with transB (the caller picks), FINN-ONNX
        (in, out)."""
        if self.flavour == "qonnx":
            if bits == 1:
                real = np.abs(real_weights(self.rng, codes.shape)) * codes
                w = self.quant(self.g.const(f"{scope}.weight", real), f"{scope}/weight_quant",
                               ActSpec(1), 1.0)
                scale = 1.0
            else:
                scale = self.power_of_two(-3, 0)
                noise = self.rng.uniform(-0.35, 0.35, codes.shape)
                w = self.quant(self.g.const(f"{scope}.weight", (codes + noise) * scale),
                               f"{scope}/weight_quant", ActSpec(bits, True, narrow), scale)
            if dense:
                w = self.g.op("Transpose", [w], scope, perm=[1, 0])
            return w, scale
        scale = self.power_of_two(-2, 1)
        values = (codes * scale).astype(np.float32)
        if dense and not self.gemm:
            values = values.T
        return self.g.const(f"{scope}.weight", values), scale

    def layer(self, index: int, layer: LayerSpec, flow: Flow, last: bool) -> Flow:
        scope = f"{layer.kind}{index}"
        narrow = bool(self.rng.random() < 0.5)
        if layer.kind == "conv":
            acc, x, k, w_scale = self.conv(scope, layer, flow, narrow)
        else:
            acc, x, k, w_scale = self.dense(scope, layer, flow, narrow)
        scale = flow.scale * w_scale
        both_bipolar = flow.bipolar and layer.weight_bits == 1
        lattice = Lattice(2.0 * scale, (k % 2) * scale) if both_bipolar else Lattice(scale)
        if last:
            return Flow(x, acc, scale, False, 0, 0)
        if layer.pool is not None and layer.pool_first:
            x = self.maxpool(x, f"{scope}/pool", layer.pool)
            acc = maxpool(acc, *layer.pool)
        bound = k * max(abs(flow.lo), abs(flow.hi)) * (1 << max(0, layer.weight_bits - 1)) * scale
        act = layer.act or ActSpec()
        x, codes, out_scale = self.activation(scope, x, acc * scale, lattice, bound, act,
                                              layer.bn)
        lo, hi = act.code_range()
        if layer.pool is not None and not layer.pool_first:
            x = self.maxpool(x, f"{scope}/pool", layer.pool)
            codes = maxpool(codes, *layer.pool)
        return Flow(x, codes, out_scale, act.bits == 1, lo, hi)

    def conv(self, scope: str, layer: LayerSpec, flow: Flow, narrow: bool):
        channels = flow.codes.shape[1]
        codes = self.weight_codes((layer.out, channels, *layer.kernel), layer.weight_bits, narrow)
        x, own_pads = flow.name, [0, 0, 0, 0]
        if any(layer.pads):
            if layer.pad_value == 0 and not flow.bipolar:
                top, left, bottom, right = layer.pads
                own_pads = [top, left, bottom, right]
            else:
                top, left, bottom, right = layer.pads
                pads = self.g.const(f"{scope}.pad.pads",
                                    np.array([0, 0, top, left, 0, 0, bottom, right]))
                fill = self.g.const(f"{scope}.pad.value", np.float32(layer.pad_value * flow.scale))
                x = self.g.op("Pad", [x, pads, fill], scope, mode="constant")
        w, w_scale = self.weights(codes, layer.weight_bits, narrow, scope, dense=False)
        x = self.g.op("Conv", [x, w], scope, dilations=[1, 1], group=1,
                      kernel_shape=list(layer.kernel), pads=own_pads,
                      strides=list(layer.strides))
        acc = conv_codes(flow.codes, codes, layer.strides, layer.pads, layer.pad_value)
        return acc, x, channels * layer.kernel[0] * layer.kernel[1], w_scale

    def dense(self, scope: str, layer: LayerSpec, flow: Flow, narrow: bool):
        x, inputs = flow.name, flow.codes
        if inputs.ndim == 4:
            x = self.flatten(x, f"{scope}/flatten")
            inputs = inputs.reshape(inputs.shape[0], -1)
        codes = self.weight_codes((layer.out, inputs.shape[1]), layer.weight_bits, narrow)
        self.gemm = self.flavour == "plain" and self.rng.random() < 0.5
        w, w_scale = self.weights(codes, layer.weight_bits, narrow, scope, dense=True)
        if self.gemm:
            x = self.g.op("Gemm", [x, w], scope, transB=1)
        else:
            x = self.g.op("MatMul", [x, w], scope)
        if self.flavour == "finn":
            x = self.g.op("Mul", [x, self.g.const(f"{scope}.unit", np.float32(1.0))], scope)
        return inputs @ codes.T, x, inputs.shape[1], w_scale

    def maxpool(self, x: str, scope: str, pool: tuple[int, int]) -> str:
        kernel, stride = pool
        return self.g.op("MaxPool", [x], scope, kernel_shape=[kernel, kernel],
                         strides=[stride, stride], pads=[0, 0, 0, 0])

    def activation(self, scope: str, x: str, acc: np.ndarray, lattice: Lattice, bound: float,
                   act: ActSpec, bn: BnSpec) -> tuple[str, np.ndarray, float]:
        """BatchNormalization and the flavour's quantizer (or FINN's fused thresholds) on the
        accumulators `acc` (real units); returns the output, its codes and its scale."""
        if act.bits == 1:
            scale = 1.0
        else:
            scale = 1.0 if self.flavour == "plain" else self.power_of_two(-2, 1)
        if self.flavour != "qonnx":
            act = replace(act, rounding="ROUND")
        quantizer = Quantizer(act, scale)
        samples = per_channel(acc) if acc.ndim == 4 else acc
        kinds = channel_kinds(self.rng, samples.shape[1], bn, quantizer, self.flavour)
        design = design_activation(self.rng, samples, lattice, bound, quantizer, kinds)
        y = design.bn.apply(acc)
        floor = 0.0 if act.relu else -np.inf  # Relu: the quantizer sees max(y, 0)
        codes = quantizer.codes(np.maximum(y, floor))
        if self.flavour == "finn" and bn.fused:
            codes = fused_codes(np.maximum(acc, floor), design.thresholds, act)
            x = self.g.op("Relu", [x], scope) if act.relu else x
            return self.multithreshold(x, design.thresholds, f"{scope}/act", act, scale), codes, \
                scale
        if self.flavour == "finn" and acc.ndim == 2:  # as FINN's exports of dense layers
            axes = self.g.const(f"{scope}.bn.axes", np.array([2]))
            x = self.g.op("Unsqueeze", [x, axes], scope)
            x = self.g.op("Squeeze", [add_batchnorm(self.g, x, scope, design.bn), axes], scope)
        else:
            x = add_batchnorm(self.g, x, scope, design.bn)
        if act.relu:
            x = self.g.op("Relu", [x], scope)
        if self.flavour == "qonnx":
            return self.quant(x, f"{scope}/act_quant", act, scale), codes, scale
        if self.flavour == "plain":
            if act.bits == 1:
                return self.g.op("Sign", [x], scope), codes, scale
            return self.round_clip(x, f"{scope}/act", act), codes, scale
        edges = (quantizer.edges() * scale)[None, :]
        return self.multithreshold(x, edges, f"{scope}/act", act, scale), codes, scale

    # ---- the tail --------------------------------------------------------------------------

    def tail(self, x: str, classes: int) -> tuple[str, list[int], int]:
        spec = self.spec
        if spec.tensor_norm:
            mean, bias = self.rng.uniform(-1.0, 1.0, 2)
            denominator, weight = self.rng.uniform(0.5, 2.0, 2)
            x = self.g.op("Sub", [x, self.g.const("tensor_norm.mean", [mean])], "tensor_norm")
            x = self.g.op("Div", [x, self.g.const("tensor_norm.denominator", [denominator])],
                          "tensor_norm")
            x = self.g.op("Mul", [x, self.g.const("tensor_norm.weight",
                                                  [weight * spec.tensor_norm])], "tensor_norm")
            x = self.g.op("Add", [x, self.g.const("tensor_norm.bias", [bias])], "tensor_norm")
        if spec.label_select == "TopK":
            k = self.g.const("label_select.k", np.array([spec.top_k], dtype=np.int64))
            x = self.g.node("TopK", [x, k], "label_select", outputs=2, axis=-1, largest=1,
                            sorted=1)[1]
            return x, [1, spec.top_k], TensorProto.INT64
        if spec.label_select == "ArgMax":
            x = self.g.op("ArgMax", [x], "label_select", axis=1, keepdims=1)
            return x, [1, 1], TensorProto.INT64
        return x, [1, classes], TensorProto.FLOAT


def fused_codes(acc: np.ndarray, thresholds: np.ndarray, act: ActSpec) -> np.ndarray:
    """MultiThreshold's codes: lo + the number of thresholds at or below the accumulator."""
    shape = [1, -1] + [1] * (acc.ndim - 2)
    count = sum((acc >= thresholds[:, j].reshape(shape)).astype(np.int64)
                for j in range(thresholds.shape[1]))
    if act.bits == 1:
        return 2 * count - 1
    return act.levels()[0] + count


def build(spec: NetSpec) -> onnx.ModelProto:
    """The ONNX model of a spec (deterministic for the spec), checked by onnx.checker."""
    builder = Builder(spec, np.random.default_rng(spec.seed))
    flow = builder.input(calibration_inputs(spec))
    for index, layer in enumerate(spec.layers):
        flow = builder.layer(index, layer, flow, last=index == len(spec.layers) - 1)
    output, shape, elem_type = builder.tail(flow.name, spec.layers[-1].out)
    return make_model(builder.g, spec, output, shape, elem_type)


def make_model(g: GraphBuilder, spec: NetSpec, output: str, output_shape: list[int],
               output_type: int) -> onnx.ModelProto:
    in_type = TensorProto.UINT8 if spec.input_type == "uint8" else TensorProto.FLOAT
    graph = helper.make_graph(
        g.nodes, f"random_bnn_seed{spec.seed}",
        [helper.make_tensor_value_info("input", in_type, [1, *spec.input_shape])],
        [helper.make_tensor_value_info(output, output_type, output_shape)],
        g.initializers,
    )
    opsets = [helper.make_opsetid("", ONNX_OPSET)]
    opsets += [helper.make_opsetid(domain, 1) for domain in (QONNX_DOMAIN, FINN_DOMAIN)
               if any(node.domain == domain for node in g.nodes)]
    model = helper.make_model(graph, opset_imports=opsets, ir_version=IR_VERSION,
                              producer_name="bnnc-random-bnn")
    onnx.checker.check_model(model)
    return model


def inputs(spec: NetSpec, n: int, seed: int = 0) -> np.ndarray:
    """n inputs for the model: images with pixels k/255 (never exactly 0.5), or uint8 pixels."""
    rng = np.random.default_rng([spec.seed, 2, seed])
    if spec.input_type == "uint8":
        return rng.integers(0, 256, size=(n, *spec.input_shape)).astype(np.uint8)
    return image_batch(rng, n, (1, *spec.input_shape))


def calibration_inputs(spec: NetSpec) -> np.ndarray:
    images = inputs(spec, CALIBRATION_IMAGES, seed=1)
    return images.astype(np.int64) if spec.input_type == "uint8" else images


# --------------------------------------------------------------------------------------------
# Strategies
# --------------------------------------------------------------------------------------------

BITS = st.one_of(st.just(1), st.integers(2, 8))


@st.composite
def act_specs(draw: st.DrawFn, nbit: bool = True) -> ActSpec:
    bits = draw(BITS) if nbit else 1
    if bits == 1:
        return ActSpec()
    return ActSpec(bits, draw(st.booleans()), draw(st.booleans()), draw(st.sampled_from(ROUNDINGS)),
                   draw(st.booleans()))


@st.composite
def bn_specs(draw: st.DrawFn, channels: int, flavour: Flavour) -> BnSpec:
    """Special channel counts: at most a third of the channels constant (γ = 0 or huge β) and
    at least one not, so that most networks still compute something; any number of γ < 0."""

    def some(most: int) -> int:
        return draw(st.integers(0, most)) if most > 0 and draw(st.booleans()) else 0

    constant = max(1, channels // 3) if channels > 1 else 0
    zero = some(constant)
    huge = some(constant - zero)
    ties = some(channels - zero - huge)
    negative = some(channels - zero - huge - ties)
    fused = flavour == "finn" and draw(st.booleans())
    return BnSpec(negative, zero, huge, ties, fused)


@st.composite
def conv_layers(draw: st.DrawFn, shape: tuple[int, int, int], source: ActSpec,
                flavour: Flavour, nbit: bool, max_channels: int
                ) -> tuple[LayerSpec, tuple[int, int, int]]:
    """One convolution that fits `shape` (C, H, W) of codes from `source`, and the shape it
    outputs."""
    _, h, w = shape
    pads = tuple(draw(st.integers(0, 1)) for _ in range(4))
    lo, hi = source.code_range()
    if source.bits == 1:
        pad_value = draw(st.sampled_from([-1, 1]))
    else:  # a code of the input's range (bnnc refuses others)
        pad_value = draw(st.sampled_from([v for v in (0, -1, 1) if lo <= v <= hi]))
    ph, pw = h + pads[0] + pads[2], w + pads[1] + pads[3]
    kernel = (draw(st.integers(1, min(3, ph))), draw(st.integers(1, min(3, pw))))
    strides = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    oh, ow = (ph - kernel[0]) // strides[0] + 1, (pw - kernel[1]) // strides[1] + 1
    out = draw(st.integers(1, max_channels))
    pool, pool_first = None, False
    if min(oh, ow) >= 2 and draw(st.booleans()):
        size = draw(st.integers(2, min(3, oh, ow)))
        pool = (size, draw(st.integers(1, size)))
        pool_first = draw(st.booleans())
        oh, ow = (oh - size) // pool[1] + 1, (ow - size) // pool[1] + 1
    act = draw(act_specs(nbit))
    layer = LayerSpec("conv", out, draw(BITS) if nbit else 1, act, draw(bn_specs(out, flavour)),
                      kernel, strides, pads, pad_value, pool, pool_first)
    return layer, (out, oh, ow)


@st.composite
def net_specs(draw: st.DrawFn, max_convs: int = 3, max_dense: int = 3, max_channels: int = 6,
              max_features: int = 16, nbit: bool = True) -> NetSpec:
    """Random networks: an MLP or a CNN (convolutions, then dense layers), in any flavour."""
    flavour = draw(st.sampled_from(FLAVOURS))
    input_type = draw(st.sampled_from(["float", "uint8"])) if flavour == "finn" else "float"
    input_bits = draw(BITS) if nbit else 1
    convs = draw(st.integers(0, max_convs))
    layers: list[LayerSpec] = []
    if convs:
        shape = (draw(st.integers(1, 3)), draw(st.integers(3, 9)), draw(st.integers(3, 9)))
        input_shape: tuple[int, ...] = shape
        source = ActSpec(input_bits)  # the input quantizer's codes
        for _ in range(convs):
            layer, shape = draw(conv_layers(shape, source, flavour, nbit, max_channels))
            layers.append(layer)
            source = layer.act or ActSpec()
    elif draw(st.booleans()):
        input_shape = (draw(st.integers(1, 24)),)
    else:
        input_shape = (draw(st.integers(1, 3)), draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    for _ in range(draw(st.integers(0, max_dense))):
        out = draw(st.integers(1, max_features))
        layers.append(LayerSpec("dense", out, draw(BITS) if nbit else 1, draw(act_specs(nbit)),
                                draw(bn_specs(out, flavour))))
    classes = draw(st.integers(1, 10))
    layers.append(LayerSpec("dense", classes, draw(BITS) if nbit else 1, None))
    label_select = draw(st.sampled_from([None, "TopK", "ArgMax"]))
    return NetSpec(
        flavour=flavour,
        input_shape=input_shape,
        input_bits=input_bits,
        layers=tuple(supported(layers)),
        input_type=input_type,
        flatten=draw(st.sampled_from(["Reshape", "Flatten"])),
        tensor_norm=draw(st.sampled_from([0, 1, -1])),
        label_select=label_select,
        top_k=draw(st.integers(1, min(3, classes))) if label_select == "TopK" else 1,
        seed=draw(st.integers(0, 2**32 - 1)),
    )


def supported(layers: list[LayerSpec]) -> list[LayerSpec]:
    """Take γ < 0 out of layers bnnc refuses it in (see the module docstring): a max-pool before
    an n-bit activation, or before a bipolar one that a padded convolution reads."""
    fixed = []
    for layer, after in zip(layers, [*layers[1:], None]):
        padded_next = after is not None and after.kind == "conv" and any(after.pads)
        nbit = layer.act is not None and layer.act.bits > 1
        if layer.pool_first and layer.pool is not None and (nbit or padded_next):
            layer = replace(layer, bn=replace(layer.bn, negative=0))
        fixed.append(layer)
    return fixed


@st.composite
def cases(draw: st.DrawFn, **sizes: int | bool) -> Case:
    """A random network and a random legal folding choice (see `Case`)."""
    spec = draw(net_specs(**sizes))  # type: ignore[arg-type]
    folding = draw(st.lists(st.integers(0, 2**16), min_size=12, max_size=12))
    return Case(spec, tuple(folding))
