"""Seeded random binarized networks as ONNX models, for tests at every level of bnnc.

The shared folder holds only a few real models; these builders make as many more as a test
needs, in the shapes of the Brevitas / BNN-PYNQ topologies (REFERENCE.md, "Topologies"):

    mlp(TFC, seed=0)                    784-64-64-64-10, QONNX as Brevitas exports it
    mlp(SFC, seed=1, flavour="plain")   Sign and ±1 MatMul weights, as lfc_w1a1.onnx
    cnv(seed=2, channels=SMALL_CNV)     CNV with 8..64 channels instead of 64..512
    cnv(seed=3, image=16, padding="-1") ±1-padded convs, which allow small images
    cnv(seed=4, weight_bits=2, act_bits=2) CNV-w2a2: 2-bit weights and activations

Every model is deterministic for its seed, passes `onnx.checker.check_model` (the checker
accepts the custom domain `qonnx.custom_op.general` and skips schema checks of its ops), and
runs in bnnc's reference engine; `save` writes one to a file for engines that take a path.

Node structure as in the real exports (sfc_w1a1_random, cnv_w1a1_random.qonnx.onnx): input →
(Reshape [1, -1]) → Mul 2 → Sub 1 → BipolarQuant (MLP) or 8-bit Quant (CNV); each layer
BipolarQuant(real weights) → (Transpose →) MatMul or Conv → BatchNormalization → BipolarQuant;
MaxPool 2x2; the last layer without activation, then an optional scalar "TensorNorm" (Sub, Div,
Mul, Add) and an optional label select (TopK k=1 or ArgMax).

Random weights alone give useless activations (after a max-pool of ±1 values most are +1, and
a random BN threshold sends whole channels to one sign). So each builder pushes a batch of
random calibration images through the network in numpy while it builds it, and sets every BN
from the accumulators it sees: the threshold μ − β·σ/γ sits at the channel's mean
accumulator, so each channel is about half +1 and half −1. The threshold is moreover put
half-way between two values the accumulator can take (a ±1 dot product of length K is an
integer of K's parity, even with ±1 padding; after the b-bit input quantizer a multiple of
2^-(b-1)), so no accumulator ever lands on it: no ties at sign(0), and float32 (onnxruntime)
and float64 (bnnc's executor) agree on every activation. Options then break the balance on
purpose: `gamma_zero` channels with γ = 0 and `huge_beta` channels with |β| so large that
their output is constant; a fraction of γ is negative.

Low-bit CNVs (`weight_bits`, `act_bits` > 1) quantize as Brevitas' bnn_pynq examples do
(`IntQuant`): signed, narrow range, scale 1/(2^(b-1) - 1), so 2 bits are {-1, 0, 1}. An n-bit
activation has several thresholds (BN(acc) = s·(k + 1/2)); the builder spaces them a whole
number of lattice steps apart, the first on a lattice midpoint, across the middle of each
channel's accumulators, so every level is taken and no accumulator meets a rounding tie.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Literal

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

QONNX_DOMAIN = "qonnx.custom_op.general"
FINN_DOMAIN = "finn.custom_op.general"  # MultiThreshold, as Brevitas' FINN-ONNX export
QONNX_OPSET = 1
ONNX_OPSET = 13
IR_VERSION = 7  # as the Brevitas exports; the first IR version that allows opset 13

TFC = [784, 64, 64, 64, 10]
SFC = [784, 256, 256, 256, 10]
LFC = [784, 1024, 1024, 1024, 10]
# conv0..conv5 output channels, then fc6 and fc7 (fc8 has 10 outputs)
CNV_CHANNELS = [64, 64, 128, 128, 256, 256, 512, 512]
SMALL_CNV = [8, 8, 16, 16, 32, 32, 64, 64]
CNV_POOLED = (1, 3)  # convs followed by a 2x2 max-pool
CLASSES = 10

CALIBRATION_IMAGES = 64
GAMMA_RANGE = (0.5, 2.0)
NEGATIVE_GAMMA = 0.25  # fraction of channels with γ < 0 (at least one per layer)
BETA_RANGE = 0.25
HUGE_BETA = 1000.0

Flavour = Literal["qonnx", "plain"]
ActOp = Literal["Quant", "MultiThreshold"]
PoolOrder = Literal["after", "before"]
Padding = Literal["+1", "-1", "0"] | None
LabelOp = Literal["TopK", "ArgMax"]


# --------------------------------------------------------------------------------------------
# Graph assembly
# --------------------------------------------------------------------------------------------


@dataclass
class GraphBuilder:
    """Collects nodes and initializers; names every node `/{scope}/{op}` as Brevitas does."""

    nodes: list[onnx.NodeProto] = field(default_factory=list)
    initializers: list[onnx.TensorProto] = field(default_factory=list)
    names: set[str] = field(default_factory=set)

    def const(self, name: str, value: np.ndarray | float | Sequence[int]) -> str:
        """Add an initializer (float32 unless `value` is an integer array) and return its name."""
        array = np.asarray(value)
        if array.dtype.kind == "f":
            array = array.astype(np.float32)
        assert name not in self.names, name
        self.names.add(name)
        self.initializers.append(numpy_helper.from_array(array, name))
        return name

    def node(self, op: str, inputs: list[str], scope: str, *, domain: str = "",
             outputs: int = 1, **attrs: object) -> list[str]:
        """Append a node named `/{scope}/{op}`; return its outputs `/{scope}/{op}_output_{i}`."""
        name = f"/{scope}/{op}"
        assert name not in self.names, name
        self.names.add(name)
        outs = [f"{name}_output_{i}" for i in range(outputs)]
        self.nodes.append(helper.make_node(op, inputs, outs, name=name, domain=domain, **attrs))
        return outs

    def op(self, op: str, inputs: list[str], scope: str, *, domain: str = "",
           **attrs: object) -> str:
        """A node with one output."""
        return self.node(op, inputs, scope, domain=domain, **attrs)[0]

    def model(self, name: str, input_shape: Sequence[int], output: str,
              output_shape: Sequence[int], output_type: int = TensorProto.FLOAT,
              ) -> onnx.ModelProto:
        """The model with input "input" (float32) and one output; checked by onnx.checker."""
        graph = helper.make_graph(
            self.nodes, name,
            [helper.make_tensor_value_info("input", TensorProto.FLOAT, list(input_shape))],
            [helper.make_tensor_value_info(output, output_type, list(output_shape))],
            self.initializers,
        )
        opsets = [helper.make_opsetid("", ONNX_OPSET)]
        for domain in (QONNX_DOMAIN, FINN_DOMAIN):
            if any(node.domain == domain for node in self.nodes):
                opsets.append(helper.make_opsetid(domain, QONNX_OPSET))
        model = helper.make_model(graph, opset_imports=opsets, ir_version=IR_VERSION,
                                  producer_name="bnnc-synthetic")
        onnx.checker.check_model(model)
        return model


def bipolar_quant(g: GraphBuilder, x: str, scope: str) -> str:
    """QONNX BipolarQuant with scale 1 (+1 where x >= 0, else -1)."""
    one = "bipolar_scale" if "bipolar_scale" in g.names else g.const("bipolar_scale", [1.0])
    return g.op("BipolarQuant", [x, one], scope, domain=QONNX_DOMAIN)


def binarize(g: GraphBuilder, x: str, scope: str, flavour: Flavour) -> str:
    """The activation: BipolarQuant (qonnx) or ONNX Sign (plain; 0 never reaches it here)."""
    if flavour == "plain":
        return g.op("Sign", [x], scope)
    return bipolar_quant(g, x, f"{scope}/act_quant")


def to_bipolar_input(g: GraphBuilder, x: str) -> str:
    """`x * 2 - 1`, mapping pixels in [0, 1] to [-1, 1] (Mul then Sub, as exported)."""
    doubled = g.op("Mul", [x, g.const("input.two", np.float32(2.0))], "input")
    return g.op("Sub", [doubled, g.const("input.one", [1.0])], "input")


# --------------------------------------------------------------------------------------------
# Random parameters
# --------------------------------------------------------------------------------------------


def real_weights(rng: np.random.Generator, shape: Sequence[int]) -> np.ndarray:
    """Real weights in ±[0.01, 1] (as trained Brevitas weights, clipped to [-1, 1]; never 0)."""
    sign = np.where(rng.random(shape) < 0.5, -1.0, 1.0)
    return (sign * rng.uniform(0.01, 1.0, shape)).astype(np.float32)


def bipolar(x: np.ndarray) -> np.ndarray:
    """The bipolar sign: +1 where x >= 0, else -1 (sign(0) = +1)."""
    return np.where(x >= 0, 1.0, -1.0).astype(np.float32)


@dataclass(frozen=True)
class Lattice:
    """The values an accumulator can take: offset + step·n."""

    step: float
    offset: float = 0.0

    def midpoint_near(self, value: np.ndarray) -> np.ndarray:
        """The point half-way between the two lattice values around `value`."""
        below = np.floor((value - self.offset) / self.step)
        return self.offset + self.step * (below + 0.5)


def bipolar_lattice(k: int) -> Lattice:
    """A ±1 dot product of length k takes the values -k, -k+2, ..., k."""
    return Lattice(2.0, float(k % 2))


@dataclass(frozen=True)
class BnOptions:
    """How a builder draws its BatchNorm parameters (see the module docstring).

    gamma_zero: channels per BN whose γ is exactly 0 (output sign(β), β = ±[0.5, 1]).
    huge_beta: channels per BN whose |β| puts the threshold outside the accumulator range.
    negative_gamma: fraction of channels with γ < 0 (at least one when there are 2 channels).
    epsilon: the BN epsilon (Brevitas: 1e-5 for the MLPs, 1e-4 for CNV).
    """

    gamma_zero: int = 0
    huge_beta: int = 0
    negative_gamma: float = NEGATIVE_GAMMA
    epsilon: float = 1e-5


@dataclass(frozen=True)
class BnParams:
    """One BatchNormalization's parameters, float32 per channel, as stored in the model."""

    gamma: np.ndarray
    beta: np.ndarray
    mean: np.ndarray
    var: np.ndarray
    epsilon: float

    def apply(self, acc: np.ndarray, axis: int = 1) -> np.ndarray:
        """BN in float64, with parameters broadcast along `axis` of `acc`."""
        shape = [1] * acc.ndim
        shape[axis] = -1
        gamma, beta, mean, var = (p.astype(np.float64).reshape(shape)
                                  for p in (self.gamma, self.beta, self.mean, self.var))
        return gamma * (acc - mean) / np.sqrt(var + self.epsilon) + beta


def special_channels(rng: np.random.Generator, channels: int,
                     options: BnOptions) -> tuple[np.ndarray, np.ndarray]:
    """Disjoint random channel sets for γ = 0 and huge β, leaving at least one normal channel."""
    special = options.gamma_zero + options.huge_beta
    if special >= channels:
        raise ValueError(f"gamma_zero + huge_beta = {special} leaves none of {channels} "
                         "channels with a data-dependent output")
    chosen = rng.permutation(channels)[:special]
    return chosen[:options.gamma_zero], chosen[options.gamma_zero:]


def random_gamma(rng: np.random.Generator, channels: int, options: BnOptions) -> np.ndarray:
    magnitude = rng.uniform(*GAMMA_RANGE, channels)
    negative = rng.random(channels) < options.negative_gamma
    if channels >= 2 and options.negative_gamma > 0 and not negative.any():
        negative[rng.integers(channels)] = True
    return np.where(negative, -magnitude, magnitude)


def batchnorm_params(rng: np.random.Generator, samples: np.ndarray, lattice: Lattice,
                     bound: float, options: BnOptions) -> BnParams:
    """BN parameters for accumulators `samples` (rows: samples, columns: channels).

    The threshold μ − β·σ/γ is the lattice midpoint nearest the channel's mean accumulator;
    var is the channel's variance (times a random factor in [0.8, 1.25]). `bound` bounds the
    accumulator's magnitude, so that the huge β channels are constant over every input.
    """
    channels = samples.shape[1]
    centre = samples.astype(np.float64).mean(axis=0)
    threshold = lattice.midpoint_near(centre)
    var = np.maximum(samples.astype(np.float64).var(axis=0), lattice.step**2)
    var *= rng.uniform(0.8, 1.25, channels)
    sigma = np.sqrt(var + options.epsilon)
    gamma = random_gamma(rng, channels, options)
    beta = rng.uniform(-BETA_RANGE, BETA_RANGE, channels)
    mean = threshold + beta * sigma / gamma
    zero, huge = special_channels(rng, channels, options)
    signs = np.where(rng.random(channels) < 0.5, -1.0, 1.0)
    gamma[zero] = 0.0
    beta[zero] = signs[zero] * rng.uniform(0.5, 1.0, zero.size)
    mean[zero] = centre[zero]
    reach = np.abs(gamma[huge]) * (bound + np.abs(threshold[huge])) / sigma[huge]
    beta[huge] = signs[huge] * np.maximum(HUGE_BETA, 4 * reach)
    mean[huge] = threshold[huge]
    as32 = [p.astype(np.float32) for p in (gamma, beta, mean, var)]
    return BnParams(*as32, epsilon=float(np.float32(options.epsilon)))


def add_batchnorm(g: GraphBuilder, x: str, scope: str, params: BnParams) -> str:
    names = [g.const(f"{scope}.bn.{part}", value) for part, value in (
        ("weight", params.gamma), ("bias", params.beta),
        ("running_mean", params.mean), ("running_var", params.var))]
    return g.op("BatchNormalization", [x, *names], scope, epsilon=params.epsilon,
                momentum=0.9)


def add_tensor_norm(g: GraphBuilder, rng: np.random.Generator, x: str, scope: str) -> str:
    """Brevitas' TensorNorm with scalar statistics: (x − mean) / sqrt(var + eps) · w + b, w > 0.

    The denominator is stored already computed (the export computes it with Pow on constants).
    """
    mean, bias = rng.uniform(-1.0, 1.0, 2)
    denom, weight = rng.uniform(0.5, 2.0, 2)
    x = g.op("Sub", [x, g.const(f"{scope}.running_mean", [mean])], scope)
    x = g.op("Div", [x, g.const(f"{scope}.denominator", [denom])], scope)
    x = g.op("Mul", [x, g.const(f"{scope}.weight", [weight])], scope)
    return g.op("Add", [x, g.const(f"{scope}.bias", [bias])], scope)


def add_label_select(g: GraphBuilder, x: str, op: LabelOp) -> str:
    """The index of the top score, (1, 1) int64: TopK k=1 (its indices) or ArgMax keepdims."""
    if op == "TopK":
        k = g.const("label_select.k", np.array([1], dtype=np.int64))
        return g.node("TopK", [x, k], "label_select", outputs=2, axis=-1, largest=1,
                      sorted=1)[1]
    return g.op("ArgMax", [x], "label_select", axis=1, keepdims=1)


def finish(g: GraphBuilder, rng: np.random.Generator, x: str, name: str,
           input_shape: Sequence[int], classes: int, tensor_norm: bool,
           label_select: bool, label_op: LabelOp) -> onnx.ModelProto:
    """Append the optional TensorNorm and label select to the scores (1, classes) `x`, and wrap
    the graph in a model."""
    if tensor_norm:
        x = add_tensor_norm(g, rng, x, "tensor_norm")
    if label_select:
        x = add_label_select(g, x, label_op)
        return g.model(name, input_shape, x, [1, 1], TensorProto.INT64)
    return g.model(name, input_shape, x, [1, classes])


def calibration_images(seed: int, shape: Sequence[int]) -> np.ndarray:
    """The images the builders propagate to set the BN statistics (the batch replaces axis 0)."""
    return image_batch(np.random.default_rng([seed, 1]), CALIBRATION_IMAGES, shape)


def image_batch(rng: np.random.Generator, n: int, shape: Sequence[int]) -> np.ndarray:
    """n images of `shape[1:]` with pixels k/255: 8-bit images, never exactly 0.5.

    Exactly 0.5 would be 0 after `x*2-1`, where ONNX Sign and BipolarQuant differ; 8-bit pixels
    also keep the 8-bit input quantizer of CNV away from its rounding ties.
    """
    pixels = rng.integers(0, 256, size=(n, *shape[1:]))
    return (pixels / np.float32(255.0)).astype(np.float32)


# --------------------------------------------------------------------------------------------
# MLP (TFC / SFC / LFC)
# --------------------------------------------------------------------------------------------


def mlp(layers: Sequence[int], seed: int, flavour: Flavour = "qonnx", *,
        input_shape: Sequence[int] | None = None, tensor_norm: bool = True,
        label_select: bool = False, label_op: LabelOp = "TopK", flatten: bool = False,
        gamma_zero: int = 0, huge_beta: int = 0) -> onnx.ModelProto:
    """A binarized MLP `layers[0] → layers[1] → ... → layers[-1]` (e.g. TFC, SFC, LFC).

    input_shape: (1, C, H, W) with C·H·W = layers[0]; default (1, 1, 28, 28) for 784 inputs,
    else (1, 1, 1, layers[0]). The input is flattened by Reshape to [1, -1] (or `Flatten`).
    flavour "qonnx": BipolarQuant activations, real weights (out, in) behind BipolarQuant and a
    Transpose, as Brevitas exports; "plain": ONNX Sign and ±1 weights (in, out), as
    lfc_w1a1.onnx. Each hidden layer: MatMul → BatchNormalization → activation; the last layer
    has no activation, then an optional scalar TensorNorm (positive scale) and, with
    `label_select`, TopK k=1 (or `label_op="ArgMax"`), whose index is the (1, 1) int64 output.
    gamma_zero / huge_beta: per hidden layer, channels with γ = 0 / a constant output.
    """
    if len(layers) < 2 or min(layers) < 1:
        raise ValueError(f"layers {list(layers)}: need at least an input and an output size")
    shape = list(input_shape) if input_shape is not None else (
        [1, 1, 28, 28] if layers[0] == 784 else [1, 1, 1, layers[0]])
    if shape[0] != 1 or int(np.prod(shape[1:])) != layers[0]:
        raise ValueError(f"input shape {shape} does not hold {layers[0]} features at batch 1")
    options = BnOptions(gamma_zero, huge_beta, epsilon=1e-5)
    rng = np.random.default_rng(seed)
    g = GraphBuilder()
    if flatten:
        x = g.op("Flatten", ["input"], "input", axis=1)
    else:
        x = g.op("Reshape", ["input", g.const("input.shape", np.array([1, -1]))], "input")
    x = binarize(g, to_bipolar_input(g, x), "input", flavour)
    h = bipolar(calibration_images(seed, shape).reshape(CALIBRATION_IMAGES, -1) * 2 - 1)
    for index, (k, m) in enumerate(pairwise(layers)):
        scope = f"fc{index}"
        weights = real_weights(rng, (m, k))
        x = add_dense(g, x, weights, scope, flavour)
        acc = h @ bipolar(weights).T
        if index == len(layers) - 2:
            break
        params = batchnorm_params(rng, acc, bipolar_lattice(k), k, options)
        x = binarize(g, add_batchnorm(g, x, scope, params), scope, flavour)
        h = bipolar(params.apply(acc))
    name = f"mlp_{'_'.join(map(str, layers))}_{flavour}_seed{seed}"
    return finish(g, rng, x, name, shape, layers[-1], tensor_norm, label_select, label_op)


def add_dense(g: GraphBuilder, x: str, weights: np.ndarray, scope: str,
              flavour: Flavour, quant: IntQuant | None = None) -> str:
    """x · Wᵀ for real weights W (out, in): BipolarQuant (or the n-bit Quant `quant`) +
    Transpose (qonnx) or ±1 (plain)."""
    if flavour == "plain":
        return g.op("MatMul", [x, g.const(f"{scope}.weight", bipolar(weights).T)], scope)
    w = add_weight_quant(g, g.const(f"{scope}.weight", weights), scope, quant)
    w = g.op("Transpose", [w], scope, perm=[1, 0])
    return g.op("MatMul", [x, w], scope)


# --------------------------------------------------------------------------------------------
# Low-bit (n > 1) weights and activations
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IntQuant:
    """A signed quantizer as Brevitas' bnn_pynq `CommonQuant` with the range [-1, 1]: codes
    lo..hi, real value scale·code, scale 1/hi (narrow: hi = -lo) or 1/2^(b-1) (not narrow)."""

    bits: int
    narrow: bool = True

    @property
    def lo(self) -> int:
        return -(1 << (self.bits - 1)) + int(self.narrow)

    @property
    def hi(self) -> int:
        return (1 << (self.bits - 1)) - 1

    @property
    def scale(self) -> float:
        """As stored in the model (float32), so that numpy and the model use the same number."""
        return float(np.float32(1.0 / (self.hi if self.narrow else 1 << (self.bits - 1))))

    @property
    def steps(self) -> int:
        """The thresholds of the activation: one per step between consecutive levels."""
        return self.hi - self.lo

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Quant with ROUND (half to even, as numpy): scale·clip(round(x/scale), lo, hi)."""
        codes = np.clip(np.round(np.asarray(x, np.float64) / self.scale), self.lo, self.hi)
        return (codes * self.scale).astype(np.float32)


def low_bit(bits: int, narrow: bool = True) -> IntQuant | None:
    """The quantizer of `bits` (None for 1 bit: bipolar)."""
    return None if bits == 1 else IntQuant(bits, narrow)


def add_int_quant(g: GraphBuilder, x: str, scope: str, quant: IntQuant) -> str:
    """QONNX Quant (signed, zero point 0, ROUND), its parameters named after `scope`."""
    prefix = scope.replace("/", ".")
    params = [g.const(f"{prefix}.scale", np.float32(quant.scale)),
              g.const(f"{prefix}.zero_point", np.float32(0.0)),
              g.const(f"{prefix}.bit_width", np.float32(quant.bits))]
    return g.op("Quant", [x, *params], scope, domain=QONNX_DOMAIN, narrow=int(quant.narrow),
                signed=1, rounding_mode="ROUND")


def add_weight_quant(g: GraphBuilder, w: str, scope: str, quant: IntQuant | None) -> str:
    """The quantizer on a layer's real weights: BipolarQuant, or Quant of `quant`'s bits."""
    if quant is None:
        return bipolar_quant(g, w, f"{scope}/weight_quant")
    return add_int_quant(g, w, f"{scope}/weight_quant", quant)


def add_multithreshold(g: GraphBuilder, x: str, scope: str, quant: IntQuant) -> str:
    """FINN MultiThreshold with the quantizer's thresholds s·(k + 1/2), k = lo..hi-1, shared by
    all channels: out_scale·count + out_bias = s·code."""
    levels = np.arange(quant.lo, quant.hi, dtype=np.float64) + 0.5
    thresholds = g.const(f"{scope.replace('/', '.')}.thresholds",
                         (levels * quant.scale).reshape(1, -1))
    return g.op("MultiThreshold", [x, thresholds], scope, domain=FINN_DOMAIN,
                out_dtype=f"INT{quant.bits}", out_scale=quant.scale,
                out_bias=quant.lo * quant.scale)


def add_activation(g: GraphBuilder, x: str, scope: str, act: IntQuant | None,
                   act_op: ActOp = "Quant") -> str:
    """BipolarQuant for 1 bit, else Quant (QONNX) or MultiThreshold (FINN-ONNX)."""
    if act is None:
        return bipolar_quant(g, x, f"{scope}/act_quant")
    if act_op == "MultiThreshold":
        return add_multithreshold(g, x, f"{scope}/act_quant", act)
    return add_int_quant(g, x, f"{scope}/act_quant", act)


def activate(values: np.ndarray, act: IntQuant | None) -> np.ndarray:
    """What `add_activation` computes, in numpy."""
    return bipolar(values) if act is None else act(values)


def quantized_weights(weights: np.ndarray, quant: IntQuant | None) -> np.ndarray:
    """The weights the layer computes with: ±1 (bipolar) or scale·codes."""
    return bipolar(weights) if quant is None else quant(weights)


def accumulator_lattice(k: int, act: IntQuant | None, weight: IntQuant | None,
                        zero_padded: bool = False) -> Lattice:
    """The values of a length-k dot product of activations `act` and weights `weight`: ±1·±1
    has k's parity (but not with zero padding); with any n-bit factor, multiples of the step."""
    if act is None and weight is None:
        return Lattice(1.0) if zero_padded else bipolar_lattice(k)
    return Lattice((act.scale if act else 1.0) * (weight.scale if weight else 1.0))


def multilevel_batchnorm_params(rng: np.random.Generator, samples: np.ndarray,
                                lattice: Lattice, bound: float, options: BnOptions,
                                act: IntQuant) -> BnParams:
    """BN parameters for the n-bit activation act(BN(acc)) of accumulators `samples`.

    The activation steps where BN(acc) = s·(k + 1/2), k = lo..hi-1; on the accumulator these
    thresholds are D = s·σ/|γ| apart. D is a whole number of lattice steps (about the spread of
    the channel's middle quantiles over the number of steps) and the first threshold is the
    lattice midpoint near the 1/(steps+1) quantile, so all are midpoints. σ is drawn as in
    `batchnorm_params`, the sign of γ as `random_gamma` draws it; |γ| = s·σ/D, β is random and
    μ puts the first threshold in place: BN(first) = s·(lo + 1/2) when γ > 0 (then the level
    rises with the accumulator), s·(hi - 1/2) when γ < 0.
    """
    data = samples.astype(np.float64)
    channels = data.shape[1]
    q_lo, q_hi = np.quantile(data, [1 / (act.steps + 1), act.steps / (act.steps + 1)], axis=0)
    first = lattice.midpoint_near(q_lo)
    spacing = np.maximum(1.0, np.round((q_hi - q_lo) / (act.steps - 1) / lattice.step))
    spacing *= lattice.step
    var = np.maximum(data.var(axis=0), lattice.step**2) * rng.uniform(0.8, 1.25, channels)
    sigma = np.sqrt(var + options.epsilon)
    gamma = np.sign(random_gamma(rng, channels, options)) * act.scale * sigma / spacing
    beta = rng.uniform(-BETA_RANGE, BETA_RANGE, channels) * act.scale
    level = np.where(gamma > 0, act.lo + 0.5, act.hi - 0.5) * act.scale
    mean = first - (level - beta) * sigma / gamma
    zero, huge = special_channels(rng, channels, options)
    centre = data.mean(axis=0)
    codes = rng.integers(act.lo, act.hi + 1, zero.size)
    gamma[zero] = 0.0
    beta[zero] = act.scale * (codes + rng.uniform(-0.3, 0.3, zero.size))  # far from a tie
    mean[zero] = centre[zero]
    signs = np.where(rng.random(huge.size) < 0.5, -1.0, 1.0)
    reach = np.abs(gamma[huge]) * (bound + np.abs(centre[huge])) / sigma[huge]
    beta[huge] = signs * np.maximum(HUGE_BETA, 4 * (reach + act.hi * act.scale + 1))
    mean[huge] = centre[huge]
    as32 = [p.astype(np.float32) for p in (gamma, beta, mean, var)]
    return BnParams(*as32, epsilon=float(np.float32(options.epsilon)))


# --------------------------------------------------------------------------------------------
# CNV
# --------------------------------------------------------------------------------------------


def cnv_output_size(image: int, padding: Padding) -> int:
    """The spatial size after conv5: the convs after conv0 keep the size when padded."""
    shrink = 0 if padding is not None else 2
    size = image - 2  # conv0 is never padded (its input is not bipolar)
    for index in range(1, 6):
        size -= shrink
        if size < 1:
            return size
        if index in CNV_POOLED:
            size //= 2
    return size


def check_cnv_args(channels: Sequence[int], image: int, padding: Padding,
                   pool_order: str, input_bits: int, weight_bits: int = 1, act_bits: int = 1,
                   act_op: str = "Quant", act_narrow: bool = True) -> None:
    if len(channels) != 8 or min(channels) < 1:
        raise ValueError(f"channels {list(channels)}: need 6 conv and 2 fc sizes, all positive")
    if pool_order not in ("after", "before"):
        raise ValueError(f"pool_order {pool_order!r}: expected 'after' or 'before'")
    if padding not in (None, "+1", "-1", "0"):
        raise ValueError(f"padding {padding!r}: expected None, '+1', '-1' or '0'")
    if not 2 <= input_bits <= 16:
        raise ValueError(f"input_bits {input_bits}: expected 2..16")
    for what, bits in (("weight_bits", weight_bits), ("act_bits", act_bits)):
        if not 1 <= bits <= 8:
            raise ValueError(f"{what} {bits}: expected 1..8")
    if act_op not in ("Quant", "MultiThreshold"):
        raise ValueError(f"act_op {act_op!r}: expected 'Quant' or 'MultiThreshold'")
    act = low_bit(act_bits, act_narrow)
    if act is not None and padding in ("+1", "-1"):
        code = float(padding) / act.scale
        if not (code.is_integer() and act.lo <= code <= act.hi):
            raise ValueError(f"padding {padding!r} is not a value of the {act_bits}-bit "
                             f"activations (codes {act.lo}..{act.hi} times {act.scale})")
    if cnv_output_size(image, padding) < 1:
        smallest = 32 if padding is None else 6
        raise ValueError(f"image {image} is too small for CNV with padding={padding!r}: conv5 "
                         f"would have no output (the smallest valid image is {smallest})")


def conv2d(x: np.ndarray, w: np.ndarray, pad: int, pad_value: float) -> np.ndarray:
    """NCHW convolution, stride 1, `pad` rows/columns of `pad_value` on every side (float32)."""
    if pad:
        x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), constant_values=pad_value)
    m, _, kh, kw = w.shape
    oh, ow = x.shape[2] - kh + 1, x.shape[3] - kw + 1
    out = np.zeros((m, x.shape[0], oh, ow), dtype=np.float32)
    for dy in range(kh):
        for dx in range(kw):
            out += np.tensordot(w[:, :, dy, dx], x[:, :, dy:dy + oh, dx:dx + ow], axes=(1, 1))
    return out.transpose(1, 0, 2, 3)


def maxpool2(x: np.ndarray) -> np.ndarray:
    """2x2 max-pool, stride 2, NCHW, dropping an odd last row/column (ONNX floor mode)."""
    n, c, h, w = x.shape
    x = x[:, :, :h // 2 * 2, :w // 2 * 2]
    return x.reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))


def per_channel(acc: np.ndarray) -> np.ndarray:
    """NCHW accumulators as rows of samples: every image and position, one column per channel."""
    return np.moveaxis(acc, 1, -1).reshape(-1, acc.shape[1])


def input_quant(g: GraphBuilder, x: str, bits: int) -> str:
    """QONNX Quant: signed `bits`-bit, scale 2^-(bits-1), zero point 0, not narrow, ROUND."""
    scope = "input/act_quant"
    scale = g.const("input.quant.scale", np.float32(2.0 ** -(bits - 1)))
    zero = g.const("input.quant.zero_point", np.float32(0.0))
    width = g.const("input.quant.bit_width", np.float32(bits))
    return g.op("Quant", [x, scale, zero, width], scope, domain=QONNX_DOMAIN,
                narrow=0, signed=1, rounding_mode="ROUND")


def quantize_input(images: np.ndarray, bits: int) -> np.ndarray:
    """What `input_quant` computes on `x*2-1` (numpy rounds half to even, as QONNX ROUND)."""
    scale = 2.0 ** -(bits - 1)
    top = 2 ** (bits - 1)
    codes = np.round(np.clip((images * 2 - 1) / scale, -top, top - 1))
    return (codes * scale).astype(np.float32)


def add_pad(g: GraphBuilder, x: str, scope: str, value: float) -> str:
    """A constant Pad of one row/column of `value` on each side of the spatial axes of NCHW."""
    pads = g.const(f"{scope}.pad.pads", np.array([0, 0, 1, 1, 0, 0, 1, 1], dtype=np.int64))
    fill = g.const(f"{scope}.pad.value", np.float32(value))
    return g.op("Pad", [x, pads, fill], scope, mode="constant")


def add_conv(g: GraphBuilder, x: str, weights: np.ndarray, scope: str, pads: int,
             quant: IntQuant | None = None) -> str:
    w = add_weight_quant(g, g.const(f"{scope}.weight", weights), scope, quant)
    return g.op("Conv", [x, w], scope, dilations=[1, 1], group=1,
                kernel_shape=[3, 3], pads=[pads] * 4, strides=[1, 1])


def add_maxpool(g: GraphBuilder, x: str, scope: str) -> str:
    return g.op("MaxPool", [x], scope, ceil_mode=0, dilations=[1, 1],
                kernel_shape=[2, 2], pads=[0, 0, 0, 0], strides=[2, 2])


def cnv(seed: int, pool_order: PoolOrder = "after", input_bits: int = 8,
        channels: Sequence[int] | None = None, image: int = 32, padding: Padding = None, *,
        tensor_norm: bool = True, label_select: bool = False, label_op: LabelOp = "TopK",
        gamma_zero: int = 0, huge_beta: int = 0, weight_bits: int = 1, act_bits: int = 1,
        act_op: ActOp = "Quant", act_narrow: bool = True) -> onnx.ModelProto:
    """The CNV topology (REFERENCE.md) with random weights and calibrated BN.

    Input (1, 3, image, image) in [0, 1] → `x*2-1` → Quant (signed `input_bits`-bit, scale
    2^-(bits-1), zero point 0, narrow 0, ROUND) → conv0..conv5 (3x3, stride 1, binary weights
    behind BipolarQuant), a 2x2 max-pool after conv1 and conv3 → Reshape [1, -1] → fc6, fc7 →
    fc8 (10 outputs, no activation) → optional TensorNorm / label select as in `mlp`.
    Each layer but fc8 is followed by BatchNormalization and BipolarQuant.

    pool_order "after": conv → BN → BipolarQuant → MaxPool (Brevitas); "before": conv →
    MaxPool → BN → BipolarQuant (BNN-PYNQ). The two differ when γ < 0.
    channels: 6 conv output channels and the 2 fc sizes (default CNV_CHANNELS; SMALL_CNV
    is an eighth of it).
    padding: None (valid convs, as CNV); "+1" / "-1": a constant Pad node of that value and
    width 1 before each conv with a bipolar input (conv1..conv5), which then keep the spatial
    size; "0": conv1..conv5 with the Conv's own pads = 1, i.e. zero padding of ±1 data, which
    a binary accelerator cannot encode and bnnc must refuse (valid ONNX for the reference).
    image: without padding conv5's output is ((image-4)//2-4)//2-4 wide, so image >= 32
    (32 → 1x1, as CNV; 36 → 2x2); with padding it is ((image-2)//2)//2 wide, so image >= 6
    (16 → 3x3, 8 → 1x1). Smaller images raise ValueError.
    weight_bits, act_bits (1..8, default 1: binary): n-bit weights of every layer behind a QONNX
    Quant (signed, narrow, scale 1/(2^(n-1) - 1)), n-bit activations of every layer but fc8 as
    Quant (`act_op="Quant"`, QONNX; `act_narrow=False` for codes -2^(n-1)..2^(n-1)-1, scale
    2^-(n-1)) or as FINN's MultiThreshold after the BN (`act_op="MultiThreshold"`). The
    max-pools then take the max of n-bit values; zero padding ("0") of n-bit data is valid.
    """
    channels = list(CNV_CHANNELS if channels is None else channels)
    check_cnv_args(channels, image, padding, pool_order, input_bits, weight_bits, act_bits,
                   act_op, act_narrow)
    act, weight = low_bit(act_bits, act_narrow), low_bit(weight_bits)
    options = BnOptions(gamma_zero, huge_beta, epsilon=1e-4)
    rng = np.random.default_rng(seed)
    shape = [1, 3, image, image]
    g = GraphBuilder()
    x = input_quant(g, to_bipolar_input(g, "input"), input_bits)
    h = quantize_input(calibration_images(seed, shape), input_bits)
    lattice = Lattice(2.0 ** -(input_bits - 1) * (weight.scale if weight else 1.0))
    c_in = 3
    for index, c_out in enumerate(channels[:6]):
        scope = f"conv{index}"
        pad, pad_value = conv_padding(index, padding)
        if pad and padding != "0":
            x = add_pad(g, x, scope, pad_value)
        weights = real_weights(rng, (c_out, c_in, 3, 3))
        x = add_conv(g, x, weights, scope, pad if padding == "0" else 0, weight)
        acc = conv2d(h, quantized_weights(weights, weight), pad, pad_value)
        pooled = index in CNV_POOLED
        if pooled and pool_order == "before":
            x, acc = add_maxpool(g, x, scope), maxpool2(acc)
        params = layer_batchnorm(rng, per_channel(acc), lattice, c_in * 9, options, act)
        x = add_activation(g, add_batchnorm(g, x, scope, params), scope, act, act_op)
        h = activate(params.apply(acc), act)
        if pooled and pool_order == "after":
            x, h = add_maxpool(g, x, scope), maxpool2(h)
        lattice = accumulator_lattice(c_out * 9, act, weight, zero_padded=padding == "0")
        c_in = c_out
    x = g.op("Reshape", [x, g.const("flatten.shape", np.array([1, -1]))], "flatten")
    h = h.reshape(h.shape[0], -1)
    k = h.shape[1]
    for index, m in enumerate([*channels[6:], CLASSES]):
        scope = f"fc{6 + index}"
        weights = real_weights(rng, (m, k))
        x = add_dense(g, x, weights, scope, "qonnx", weight)
        acc = h @ quantized_weights(weights, weight).T
        if index == 2:
            break
        lattice = accumulator_lattice(k, act, weight)
        params = layer_batchnorm(rng, acc, lattice, k, options, act)
        x = add_activation(g, add_batchnorm(g, x, scope, params), scope, act, act_op)
        h, k = activate(params.apply(acc), act), m
    name = f"cnv_{pool_order}_{padding or 'valid'}_{image}_seed{seed}"
    if act or weight:
        name += f"_w{weight_bits}a{act_bits}"
    return finish(g, rng, x, name, shape, CLASSES, tensor_norm, label_select, label_op)


def layer_batchnorm(rng: np.random.Generator, samples: np.ndarray, lattice: Lattice,
                    bound: float, options: BnOptions, act: IntQuant | None) -> BnParams:
    """The BN before a binary (`batchnorm_params`) or n-bit activation."""
    if act is None:
        return batchnorm_params(rng, samples, lattice, bound, options)
    return multilevel_batchnorm_params(rng, samples, lattice, bound, options, act)


def conv_padding(index: int, padding: Padding) -> tuple[int, float]:
    """(width, value) of the padding of conv `index`: none for conv0, whose input is 8-bit."""
    if padding is None or index == 0:
        return 0, 0.0
    return 1, float(padding)


# --------------------------------------------------------------------------------------------
# Helpers for tests
# --------------------------------------------------------------------------------------------


def save(model: onnx.ModelProto, tmp_path: Path, name: str) -> Path:
    """Write `model` to `tmp_path/name` (adding `.onnx`) and return the path."""
    path = Path(tmp_path) / (name if name.endswith(".onnx") else f"{name}.onnx")
    onnx.save(model, str(path))
    return path


def model_input_shape(model: onnx.ModelProto) -> list[int]:
    """The static input shape of a model (batch 1)."""
    dims = model.graph.input[0].type.tensor_type.shape.dim
    return [d.dim_value for d in dims]


def random_inputs(model: onnx.ModelProto, n: int, seed: int) -> np.ndarray:
    """n float32 images in [0, 1] (multiples of 1/255) shaped like the model's input."""
    return image_batch(np.random.default_rng([seed, 2]), n, model_input_shape(model))


def activation_names(model: onnx.ModelProto) -> list[str]:
    """The outputs of the activation nodes on data, not on weights: BipolarQuant or Sign (the
    MLPs' input binarizer included), n-bit Quant or MultiThreshold (CNV's multi-bit input
    quantizer excluded)."""
    weights = {init.name for init in model.graph.initializer}
    return [node.output[0] for node in model.graph.node if node.input[0] not in weights and (
        node.op_type in ("BipolarQuant", "Sign")
        or node.op_type in ("Quant", "MultiThreshold") and not node.name.startswith("/input/"))]


def truncated(model: onnx.ModelProto, output: str) -> onnx.ModelProto:
    """A copy of `model` whose only output is the tensor `output` (its shape left to infer)."""
    copy = onnx.ModelProto()
    copy.CopyFrom(model)
    del copy.graph.output[:]
    copy.graph.output.append(helper.make_tensor_value_info(output, TensorProto.FLOAT, None))
    return copy
