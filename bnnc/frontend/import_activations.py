"""Importing real-valued per-channel ops, activations and quantizers.

Real-valued ops (BatchNormalization; Add, Sub, Mul and Div by a constant) materialise the
carried scale and compute in `f32`. Activations and quantizers (Sign, BipolarQuant, Quant,
a Round/Clip pair, MultiThreshold) produce ±1 or integer codes and carry their scale. `Sign(0)`
is +1, the bipolar convention (see `onnx_importer`).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import onnx
from xdsl.dialects.builtin import (
    FloatAttr,
    IntegerAttr,
    IntegerType,
    Signedness,
    StringAttr,
    TensorType,
    f32,
    f64,
    i64,
)
from xdsl.ir import Attribute, SSAValue

from bnnc.dialects import bnn
from bnnc.frontend.import_common import ImporterBase, Tensor, _dense
from bnnc.frontend.onnx_graph import QONNX_DOMAINS, ROUNDING_MODES, attributes, quant_range
from bnnc.semantics.arithmetic import ROUNDING


def _unsigned_bits(limit: int) -> int:
    return max(1, int(limit).bit_length())


class ActivationHandlers(ImporterBase):
    """Handlers for BatchNormalization, Add/Sub/Mul/Div, Sign, BipolarQuant, Quant, Round, Clip
    and MultiThreshold."""

    # ---------------------------------------------------------------------------------------
    # Real-valued per-channel ops

    def batchnorm(self, node, inputs):
        x = self.variable(node, inputs[0])
        gamma, beta, mean, var = (
            self.constant(node, t, what) for t, what in zip(inputs[1:5], ("scale", "bias", "mean", "var"))
        )
        channels = x.shape[1] if len(x.shape) > 1 else 0
        for name, p in (("scale", gamma), ("bias", beta), ("mean", mean), ("var", var)):
            if p.size != channels:
                raise self.graph.error(
                    node, f"{name} has {p.size} entries but the input has {channels} channels"
                )
            if not np.all(np.isfinite(p)):
                raise self.graph.error(node, f"{name} holds NaN or Inf")
        epsilon = float(attributes(node).get("epsilon", 1e-5))
        if np.any(var + epsilon <= 0):
            raise self.graph.error(node, "var + epsilon is not positive for some channel")
        value = self.materialise(x)
        op = bnn.BatchNormOp.build(
            operands=[value],
            result_types=[TensorType(f32, x.shape)],
            properties={
                "gamma": _dense(gamma.reshape(-1), f32),
                "beta": _dense(beta.reshape(-1), f32),
                "mean": _dense(mean.reshape(-1), f32),
                "var": _dense(var.reshape(-1), f32),
                "epsilon": FloatAttr(epsilon, f64),
                "axis": IntegerAttr(1, i64),
            },
        )
        return [Tensor(x.shape, value=self.emit(op))]

    def elementwise(self, node, inputs):
        a, b = inputs
        if (a is None or a.const is None) == (b is None or b.const is None):
            raise self.graph.error(
                node, f"exactly one operand must be a constant; {node.op_type} of two computed "
                "tensors is not supported (Add of two is a residual join)",
            )
        const_first = a is not None and a.const is not None
        x, c = (b, a.const) if const_first else (a, b.const)  # type: ignore[union-attr]
        x = self.variable(node, x)
        axis, vector = self.channel_vector(node, x.shape, np.asarray(c, dtype=np.float64))
        op = node.op_type
        ones, zeros = np.ones_like(vector), np.zeros_like(vector)
        if op == "Add":
            scale, bias = ones, vector
        elif op == "Mul":
            scale, bias = vector, zeros
        elif op == "Sub":
            scale, bias = (-ones, vector) if const_first else (ones, -vector)
        else:  # Div
            if const_first:
                raise self.graph.error(node, "dividing a constant by a tensor is not supported")
            if np.any(vector == 0):
                raise self.graph.error(node, "division by zero")
            scale, bias = 1.0 / vector, zeros
        value = self.affine(self.materialise(x), scale, bias, axis)
        return [Tensor(x.shape, value=value)]

    def channel_vector(self, node, shape: tuple[int, ...], c: np.ndarray) -> tuple[int, np.ndarray]:
        """A broadcast constant as (axis, values): one value, or one per entry of one axis."""
        if c.ndim > len(shape):
            raise self.graph.error(node, f"constant of shape {list(c.shape)} widens the tensor")
        aligned = c.reshape((1,) * (len(shape) - c.ndim) + c.shape)
        for dim, size in zip(aligned.shape, shape):
            if dim not in (1, size):
                raise self.graph.error(
                    node, f"constant of shape {list(c.shape)} does not broadcast to {list(shape)}"
                )
        if not np.all(np.isfinite(aligned)):
            raise self.graph.error(node, "the constant holds NaN or Inf")
        varying = [i for i, dim in enumerate(aligned.shape) if dim > 1]
        flat = aligned.reshape(-1)
        if np.all(flat == flat[0]):
            return 1, flat[:1].copy()
        if len(varying) != 1 or varying[0] == 0:
            raise self.graph.error(
                node, f"constant of shape {list(c.shape)} varies along more than one channel axis"
            )
        return varying[0], flat.copy()

    # ---------------------------------------------------------------------------------------
    # Activations and quantizers

    def binarize(self, node, x: Tensor) -> SSAValue:
        """sign(x); a positive carried scale does not change signs, so it is dropped."""
        if bnn.is_bipolar(x.element_type):
            return x.value  # type: ignore[return-value]
        scale = np.asarray(x.scale)
        value = x.value if np.all(scale > 0) else self.materialise(x)
        return self.emit(bnn.SignOp(value, TensorType(bnn.bipolar, x.shape)))

    def sign(self, node, inputs):
        x = self.variable(node, inputs[0])
        return [Tensor(x.shape, value=self.binarize(node, x))]

    def bipolar_quant(self, node, inputs):
        x = self.variable(node, inputs[0])
        scale = self.constant(node, inputs[1], "scale").reshape(-1)
        if scale.size != 1 or not (np.isfinite(scale[0]) and scale[0] > 0):
            raise self.graph.error(node, f"the scale must be one positive number, got {scale.tolist()}")
        return [Tensor(x.shape, value=self.binarize(node, x), scale=np.float64(scale[0]))]

    def quant(self, node, inputs):
        """QONNX Quant: `q = clamp(round(x/s + z), lo, hi)`, the code of the real `s·(q − z)`.

        Scale and zero point are one number or one per channel (axis 1), any positive float
        (a power of two or not: the scale is carried and ends in a threshold or the host's
        affine). A per-channel quantizer divides and shifts by an affine first and quantizes
        with scale 1. A pending Relu raises the floor: Q(max(x, 0)) = max(Q(x), Q(0)) for a
        non-decreasing Q, so the clamp's lo becomes Q(0) = clamp(round(z)) (0 for zero point
        0: Brevitas' QuantReLU exports Relu then an unsigned Quant), and codes that cannot be
        negative are stored unsigned.
        """
        x = self.variable(node, inputs[0])
        scale, zero_point, bit_width = (
            self.constant(node, t, what).astype(np.float64).reshape(-1)
            for t, what in zip(inputs[1:4], ("scale", "zero point", "bit width"))
        )
        attrs = attributes(node)
        channels = x.shape[1] if len(x.shape) > 1 else 1
        for name, p in (("scale", scale), ("zero point", zero_point)):
            if p.size not in (1, channels) or (p.size > 1 and len(x.shape) < 2):
                raise self.graph.error(
                    node, f"the {name} has {p.size} values; expected one, or one per channel "
                    f"({channels} on axis 1)",
                )
        if not (np.all(np.isfinite(scale)) and np.all(scale > 0)):
            shown = scale[0] if scale.size == 1 else scale.tolist()
            raise self.graph.error(node, f"the scale must be a positive number, got {shown}")
        if not np.all(np.isfinite(zero_point)):
            raise self.graph.error(node, "the zero point holds NaN or Inf")
        if bit_width.size != 1:
            raise self.graph.error(node, "the bit width must be one number")
        bits = int(bit_width[0])
        if bits != bit_width[0] or not 1 <= bits <= 16:
            raise self.graph.error(node, f"bit width {bit_width[0]} is not an integer in 1..16")
        rounding = str(attrs.get("rounding_mode", "ROUND")).upper()
        if rounding not in ROUNDING_MODES:
            raise self.graph.error(node, f"rounding mode {rounding} is not supported")
        signed, narrow = bool(attrs.get("signed", 1)), bool(attrs.get("narrow", 0))
        if bits == 1 and signed:  # bipolar, as qonnx executes it (Brevitas' binary quantizers)
            if scale.size != 1 or np.any(zero_point != 0) or x.relu:
                raise self.graph.error(
                    node, "a signed 1-bit Quant (bipolar) needs one scale, zero point 0 and no "
                    "Relu before it",
                )
            return [Tensor(x.shape, value=self.binarize(node, x), scale=np.float64(scale[0]))]
        lo, hi = quant_range(bits, signed, narrow)
        if x.relu:
            floors = np.clip(ROUNDING[ROUNDING_MODES[rounding]](zero_point), lo, hi)
            if np.any(floors != floors[0]):
                raise self.graph.error(
                    node, "a Relu before a quantizer whose per-channel zero points give different "
                    "codes of 0 is not supported",
                )
            lo = max(lo, int(floors[0]))
            if lo == hi:
                raise self.graph.error(node, "after the Relu before it, every input gives one code")
        if lo >= 0:
            result = IntegerType(_unsigned_bits(hi), Signedness.UNSIGNED)
        else:
            result = IntegerType(bits, Signedness.SIGNED)
        if scale.size == 1 and zero_point.size == 1:
            tensor = self.quantize(x, float(scale[0]), lo, hi, result, ROUNDING_MODES[rounding],
                                   float(zero_point[0]))
        else:  # per channel: x/s + z by an affine, then a quantizer of scale 1
            value = self.affine(self.materialise(x), 1.0 / scale, zero_point)
            tensor = self.quantize(Tensor(x.shape, value=value), 1.0, lo, hi, result,
                                   ROUNDING_MODES[rounding])
        kept_scale = np.float64(scale[0]) if scale.size == 1 else scale
        kept_zero = np.float64(zero_point[0]) if zero_point.size == 1 else zero_point
        return [replace(tensor, scale=kept_scale, zero_point=kept_zero)]

    def quantize(self, x: Tensor, scale: float, lo: int, hi: int, result: IntegerType,
                 rounding: str, zero_point: float = 0.0) -> Tensor:
        value = self.materialise(x)
        if not bnn.is_real(bnn.element_type(value.type)):  # integer codes: their real value
            value = self.affine(value, np.ones(1), np.zeros(1))
        op = bnn.QuantizeOp.build(
            operands=[value],
            result_types=[TensorType(result, x.shape)],
            properties={
                "scale": FloatAttr(scale, f64),
                "zero_point": FloatAttr(zero_point, f64),
                "lo": IntegerAttr(lo, i64),
                "hi": IntegerAttr(hi, i64),
                "rounding": StringAttr(rounding),
            },
        )
        return Tensor(x.shape, value=self.emit(op), scale=np.float64(scale),
                      zero_point=np.float64(zero_point))

    def relu(self, node, inputs):
        """Relu is taken by the quantizer after it (see `quant`, `multithreshold`,
        `round_clip`): on the accelerator it is the quantizer's floor at the code of zero."""
        x = self.variable(node, inputs[0])
        problem = self.relu_problem(node)
        if problem:
            raise self.graph.error(node, problem)
        return [replace(x, relu=True)]

    def relu_problem(self, node) -> str | None:
        """Why this Relu cannot be imported (it feeds something other than quantizers), or None."""
        users = [self.graph.nodes[i] for i in self.graph.consumers.get(node.output[0], [])]
        is_output = any(o.name == node.output[0] for o in self.graph.outputs)
        if not is_output and users and all(
            (u.op_type in ("Quant", "MultiThreshold") and u.domain in QONNX_DOMAINS)
            or (u.op_type in ("Round", "Clip") and u.domain in ("", "ai.onnx"))
            for u in users
        ):
            return None
        fed = ", ".join(f"'{self.graph.label(u)}' ({u.op_type})" for u in users)
        return (
            "a Relu is supported only in front of a quantizer (Quant, MultiThreshold, or Round "
            "and Clip), which it becomes the floor of; here it feeds "
            + (fed + (" and the output" if is_output else "") if users else "the output")
        )

    def round_clip(self, node, inputs):
        """Round followed by Clip (or Clip then Round) with integer bounds: an integer quantizer."""
        x = self.variable(node, inputs[0])
        users = self.graph.consumers.get(node.output[0], [])
        partner = self.graph.nodes[users[0]] if len(users) == 1 else None
        wanted = "Clip" if node.op_type == "Round" else "Round"
        if partner is None or partner.op_type != wanted or partner.domain not in ("", "ai.onnx"):
            raise self.graph.error(
                node,
                "Round and Clip are supported only as a pair (Round then Clip, or Clip then "
                "Round) with integer bounds: an input quantizer",
            )
        clip = partner if node.op_type == "Round" else node
        lo, hi = self.clip_bounds(clip)
        if x.relu:  # the floor at Q(0) = clip(0), as in `quant`
            lo = max(lo, min(max(0, lo), hi))
            if lo == hi:
                raise self.graph.error(node, "after the Relu before it, every input gives one code")
        self.skip.add(users[0])
        signed = lo < 0
        bits = max(_unsigned_bits(max(abs(lo) - 1, hi)) + 1, 2) if signed else _unsigned_bits(hi)
        result = IntegerType(bits, Signedness.SIGNED if signed else Signedness.UNSIGNED)
        tensor = self.quantize(x, 1.0, lo, hi, result, "round")
        self.tensors[partner.output[0]] = tensor
        return [tensor]

    def clip_bounds(self, clip: onnx.NodeProto) -> tuple[int, int]:
        attrs = attributes(clip)
        bounds = [attrs.get("min"), attrs.get("max")]
        for i in (1, 2):
            if len(clip.input) > i and clip.input[i]:
                const = self.graph.constants.get(clip.input[i])
                if const is None:
                    raise self.graph.error(clip, "the clip bounds must be constants")
                bounds[i - 1] = float(np.asarray(const).reshape(-1)[0])
        if any(b is None or not float(b).is_integer() for b in bounds):  # type: ignore[arg-type]
            raise self.graph.error(
                clip, f"clip bounds {bounds} must both be given and integral to form a quantizer"
            )
        lo, hi = int(bounds[0]), int(bounds[1])  # type: ignore[arg-type]
        if lo >= hi:
            raise self.graph.error(clip, f"empty clip range [{lo}, {hi}]")
        return lo, hi

    def multithreshold(self, node, inputs):
        x = self.variable(node, inputs[0])
        thresholds = self.constant(node, inputs[1], "thresholds").astype(np.float64)
        if not np.all(np.isfinite(thresholds)):
            raise self.graph.error(node, "the thresholds hold NaN or Inf")
        attrs = attributes(node)
        axis = len(x.shape) - 1 if attrs.get("data_layout") == "NHWC" else 1
        channels = x.shape[axis] if len(x.shape) > axis else 0
        if thresholds.ndim != 2 or thresholds.shape[0] not in (1, channels):
            raise self.graph.error(
                node, f"thresholds of shape {list(thresholds.shape)} do not fit {channels} channels"
            )
        thresholds = np.sort(thresholds, axis=1)
        value = self.materialise(x)
        if x.relu:  # max(x, 0) ≥ t holds for every x when t ≤ 0: such a step is always taken
            lowest = (
                bnn.integer_range(bnn.element_type(value.type))[0]  # type: ignore[arg-type]
                if bnn.is_integer(bnn.element_type(value.type))
                else np.finfo(np.float64).min
            )
            thresholds = np.where(thresholds <= 0, lowest, thresholds)
        if bnn.is_integer(bnn.element_type(value.type)):
            # x >= t holds for an integer x exactly when x >= ceil(t)
            thresholds_attr = _dense(np.ceil(thresholds).astype(np.int64), i64)
        else:
            thresholds_attr = _dense(thresholds, f64)
        steps = thresholds.shape[1]
        out_scale = float(attrs.get("out_scale", 1.0))
        out_bias = float(attrs.get("out_bias", 0.0))
        if attrs.get("out_dtype") == "BIPOLAR":
            if steps != 1:
                raise self.graph.error(node, "a BIPOLAR output needs one threshold per channel")
            if (out_scale, out_bias) != (2.0, -1.0):
                raise self.graph.error(
                    node, f"a BIPOLAR output with out_scale {out_scale} and out_bias {out_bias}; "
                    "expected 2 and -1 (the ±1 encoding)",
                )
            return [Tensor(x.shape, value=self.threshold(value, thresholds_attr, 0, bnn.bipolar, axis))]
        offset = out_bias / out_scale if out_scale else 0.5
        if float(offset).is_integer():
            offset = int(offset)
            signed = offset < 0
            bits = (
                max(_unsigned_bits(max(-offset - 1, offset + steps)) + 1, 2)
                if signed
                else _unsigned_bits(offset + steps)
            )
            result = IntegerType(bits, Signedness.SIGNED if signed else Signedness.UNSIGNED)
            out = self.threshold(value, thresholds_attr, offset, result, axis)
            return [Tensor(x.shape, value=out, scale=np.float64(out_scale))]
        result = IntegerType(_unsigned_bits(steps), Signedness.UNSIGNED)
        counts = self.threshold(value, thresholds_attr, 0, result, axis)
        return [Tensor(x.shape, value=self.affine(counts, np.array([out_scale]), np.array([out_bias])))]

    def threshold(self, value, thresholds, offset: int, result: Attribute, axis: int) -> SSAValue:
        return self.emit(
            bnn.ThresholdOp.build(
                operands=[value],
                result_types=[TensorType(result, bnn.shape_of(value.type))],
                properties={
                    "thresholds": thresholds,
                    "offset": IntegerAttr(offset, i64),
                    "axis": IntegerAttr(axis, i64),
                },
            )
        )
