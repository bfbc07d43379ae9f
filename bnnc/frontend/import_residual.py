"""Importing the ops of residual networks: the join `Add` of two computed tensors, `Concat`,
`AveragePool`, `GlobalAveragePool` and QONNX's `Trunc`.

Codes stay codes where their scales allow it, so that the accelerator part stays integer:

- `Add` of two tensors whose codes carry the same scale (Brevitas' residual blocks share the
  quantizer of both branches for exactly this) is `bnn.add` of the codes, carrying that scale
  and the sum of the zero points; other scales are materialised and added as reals. An `Add`
  with a constant operand (a bias) is the affine of `import_activations`, as before.
- `Concat` along the channels concatenates codes and carries one scale per channel (the
  operands' scales side by side); along another axis the scales must agree, else reals.
- Average pooling is `bnn.sum_pool` with 1/(kh·kw) moved into the carried scale: the division
  ends in the next threshold or quantizer, or in a `Trunc`.
- `Trunc` (QONNX, v1 with five inputs, v2 with six) is `bnn.trunc` on the codes when they carry
  the Trunc's own scale (`trunc_codes` says when that is exact); else the input is quantized to
  those codes first, as QONNX's first rounding does.
"""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import FloatAttr, IntegerAttr, StringAttr, TensorType, f32, f64, i64

from bnnc.dialects import bnn
from bnnc.frontend.import_common import ImporterBase, Tensor, _array
from bnnc.frontend.onnx_graph import attributes, quant_range
from bnnc.semantics.arithmetic import TRUNC_ROUNDING


def _codes(tensor: Tensor) -> bool:
    """The tensor holds integer or bipolar codes (not reals)."""
    element = tensor.element_type
    return bnn.is_integer(element) or bnn.is_bipolar(element)


def _value_range(tensor: Tensor) -> tuple[int, int]:
    return bnn.value_range(tensor.element_type)


def _per_channel(values, channels: int) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    return np.full(channels, values[0]) if values.size == 1 else values


def _scalar_if_uniform(values: np.ndarray) -> np.ndarray:
    return np.float64(values[0]) if np.all(values == values[0]) else values


class ResidualHandlers(ImporterBase):
    """Handlers for Add (of two computed tensors), Concat, AveragePool, GlobalAveragePool and
    Trunc."""

    def add(self, node, inputs):
        """`Add`: a bias (one constant operand) as before, or the join of two computed tensors."""
        if any(t is not None and t.const is not None for t in inputs):
            return self.elementwise(node, inputs)  # type: ignore[attr-defined]
        a, b = (self.variable(node, t) for t in inputs)
        if a.shape != b.shape:
            raise self.graph.error(
                node, f"adds tensors of shapes {list(a.shape)} and {list(b.shape)}; a residual "
                "join needs one shape (no broadcasting)",
            )
        same_scale = np.array_equal(
            np.asarray(a.scale, dtype=np.float32), np.asarray(b.scale, dtype=np.float32)
        )
        if _codes(a) and _codes(b) and same_scale:
            (lo_a, hi_a), (lo_b, hi_b) = _value_range(a), _value_range(b)
            result = bnn.narrowest_integer(lo_a + lo_b, hi_a + hi_b)
            value = self.emit(self._add(a.value, b.value, TensorType(result, a.shape)))
            zero_point = np.asarray(a.zero_point) + np.asarray(b.zero_point)
            return [Tensor(a.shape, value=value, scale=a.scale, zero_point=zero_point)]
        lhs, rhs = (self._real(t) for t in (a, b))
        return [Tensor(a.shape, value=self.emit(self._add(lhs, rhs, TensorType(f32, a.shape))))]

    def _add(self, lhs, rhs, result_type) -> bnn.AddOp:
        return bnn.AddOp.build(operands=[lhs, rhs], result_types=[result_type])

    def _real(self, tensor: Tensor):
        """The tensor's real value, as f32 even when its codes carry scale 1."""
        value = self.materialise(tensor)
        if not bnn.is_real(bnn.element_type(value.type)):
            value = self.affine(value, np.ones(1), np.zeros(1))
        return value

    def concat(self, node, inputs):
        tensors = [self.variable(node, t) for t in inputs]
        rank = len(tensors[0].shape)
        axis = int(attributes(node).get("axis", 1))  # type: ignore[arg-type]
        axis = axis + rank if axis < 0 else axis
        if not 1 <= axis < rank:
            raise self.graph.error(node, f"concatenation along axis {axis} of rank {rank}: "
                                   "only axes after the batch are supported")
        for t in tensors:
            if len(t.shape) != rank or any(
                x != y for i, (x, y) in enumerate(zip(t.shape, tensors[0].shape)) if i != axis
            ):
                raise self.graph.error(
                    node, f"operand shapes {[list(t.shape) for t in tensors]} differ outside "
                    f"axis {axis}",
                )
        shape = list(tensors[0].shape)
        shape[axis] = sum(t.shape[axis] for t in tensors)
        shape_t = tuple(shape)
        scalar_scales = all(np.asarray(t.scale).size == 1 for t in tensors)
        scalar_zeros = all(np.asarray(t.zero_point).size == 1 for t in tensors)
        same = len({float(np.float32(np.asarray(t.scale).reshape(-1)[0])) for t in tensors}) == 1
        same_zero = len({float(np.asarray(t.zero_point).reshape(-1)[0]) for t in tensors}) == 1
        if all(_codes(t) for t in tensors) and (
            axis == 1 or (scalar_scales and scalar_zeros and same and same_zero)
        ):
            elements = {t.element_type for t in tensors}
            if len(elements) == 1:
                result = elements.pop()
            else:
                ranges = [_value_range(t) for t in tensors]
                result = bnn.narrowest_integer(min(r[0] for r in ranges), max(r[1] for r in ranges))
            value = self.emit(self._concat([t.value for t in tensors], TensorType(result, shape_t), axis))
            if axis != 1:
                return [Tensor(shape_t, value=value, scale=tensors[0].scale,
                               zero_point=tensors[0].zero_point)]
            scale = np.concatenate([_per_channel(t.scale, t.shape[1]) for t in tensors])
            zero = np.concatenate([_per_channel(t.zero_point, t.shape[1]) for t in tensors])
            return [Tensor(shape_t, value=value, scale=_scalar_if_uniform(scale),
                           zero_point=_scalar_if_uniform(zero))]
        values = [self._real(t) for t in tensors]
        return [Tensor(shape_t, value=self.emit(self._concat(values, TensorType(f32, shape_t), axis)))]

    def _concat(self, values, result_type, axis: int) -> bnn.ConcatOp:
        return bnn.ConcatOp.build(
            operands=[values], result_types=[result_type], properties={"axis": IntegerAttr(axis, i64)}
        )

    def average_pool(self, node, inputs):
        x = self.variable(node, inputs[0])
        if len(x.shape) != 4:
            raise self.graph.error(node, f"expected an NCHW input, got shape {list(x.shape)}")
        if node.op_type == "GlobalAveragePool":
            return [self._sum_pool(x, x.shape[2], x.shape[3], 1, 1)]
        attrs = attributes(node)
        if "kernel_shape" not in attrs:
            raise self.graph.error(node, "lacks the required attribute kernel_shape")
        if any(int(p) for p in attrs.get("pads", [0] * 4)) or attrs.get("auto_pad", "NOTSET") not in ("NOTSET", "VALID"):  # type: ignore[union-attr]
            raise self.graph.error(node, "padded average pooling is not supported")
        if int(attrs.get("ceil_mode", 0)) or any(int(d) != 1 for d in attrs.get("dilations", [1, 1])):  # type: ignore[union-attr,arg-type]
            raise self.graph.error(node, "ceil_mode and dilations are not supported")
        kh, kw = (int(k) for k in attrs["kernel_shape"])  # type: ignore[union-attr]
        sh, sw = (int(s) for s in attrs.get("strides", [1, 1]))  # type: ignore[union-attr]
        if kh > x.shape[2] or kw > x.shape[3]:
            raise self.graph.error(node, f"a {kh}x{kw} window does not fit {list(x.shape)}")
        return [self._sum_pool(x, kh, kw, sh, sw)]

    def _sum_pool(self, x: Tensor, kh: int, kw: int, sh: int, sw: int) -> Tensor:
        """The window sums, carrying 1/(kh·kw) in the scale: the average of s·(q − z) over a
        window is (s/(kh·kw))·(Σq − kh·kw·z)."""
        window = kh * kw
        shape = (x.shape[0], x.shape[1], (x.shape[2] - kh) // sh + 1, (x.shape[3] - kw) // sw + 1)
        if _codes(x):
            lo, hi = _value_range(x)
            result, value = bnn.narrowest_integer(window * lo, window * hi), x.value
            scale, zero_point = np.asarray(x.scale) / window, np.asarray(x.zero_point) * window
        else:
            result, value = f32, self.materialise(x)
            scale, zero_point = np.float64(1.0 / window), np.float64(0.0)
        op = bnn.SumPoolOp.build(
            operands=[value],
            result_types=[TensorType(result, shape)],
            properties={"kernel": _array((kh, kw)), "strides": _array((sh, sw))},
        )
        return Tensor(shape, value=self.emit(op), scale=scale, zero_point=zero_point)

    def trunc(self, node, inputs):
        """QONNX `Trunc` (see `bnn.TruncOp` for both versions' arithmetic)."""
        x = self.variable(node, inputs[0])
        v2 = len(node.input) == 6
        names = ("scale", "zero point", "input bit width") + (
            ("output scale", "output bit width") if v2 else ("output bit width",)
        )
        consts = [self.constant(node, t, what).astype(np.float64).reshape(-1)
                  for t, what in zip(inputs[1:], names)]
        for value, what in zip(consts, names):
            if value.size != 1 or not np.isfinite(value[0]):
                raise self.graph.error(node, f"the {what} must be one finite number, got {value.tolist()}")
        scale, zero_point, in_bits = (float(np.float32(c[0])) for c in consts[:3])
        attrs = attributes(node)
        rounding = str(attrs.get("rounding_mode", "FLOOR")).lower()
        rounding = "round" if rounding == "half_even" else rounding
        if rounding not in TRUNC_ROUNDING:
            raise self.graph.error(node, f"rounding mode {rounding.upper()} is not supported")
        if scale <= 0 or not zero_point.is_integer():
            raise self.graph.error(node, f"needs a positive scale and an integer zero point, got "
                                   f"{scale} and {zero_point}")
        codes = self.trunc_codes(node, x, scale, int(zero_point))
        lo_in, hi_in = bnn.integer_range(bnn.element_type(codes.type))  # type: ignore[arg-type]
        if v2:
            out_scale, out_bits = float(np.float32(consts[3][0])), consts[4][0]
            if out_scale <= 0 or not out_bits.is_integer() or not 1 <= out_bits <= 32:
                raise self.graph.error(node, f"needs a positive output scale and an output bit "
                                       f"width in 1..32, got {out_scale} and {out_bits}")
            shift = int(np.round(np.log2(np.float32(out_scale) / np.float32(scale))))
            signed, narrow = bool(attrs.get("signed", 1)), bool(attrs.get("narrow", 0))
            lo, hi = quant_range(int(out_bits), signed, narrow)
            kept_scale, kept_zero = out_scale, zero_point / 2.0**shift
        else:
            shift = int(in_bits - consts[3][0])
            rnd = TRUNC_ROUNDING[rounding]
            lo, hi = (int(rnd((v + zero_point) / 2.0**shift)) for v in (lo_in, hi_in))
            kept_scale, kept_zero = scale, zero_point
        if abs(shift) > 62:
            raise self.graph.error(node, f"truncates by 2^{shift}, beyond 2^62")
        result = bnn.narrowest_integer(lo, hi)
        op = bnn.TruncOp.build(
            operands=[codes],
            result_types=[TensorType(result, x.shape)],
            properties={
                "shift": IntegerAttr(shift, i64), "zero_point": IntegerAttr(int(zero_point), i64),
                "lo": IntegerAttr(lo, i64), "hi": IntegerAttr(hi, i64), "rounding": StringAttr(rounding),
            },
        )
        return [Tensor(x.shape, value=self.emit(op), scale=np.float64(kept_scale),
                       zero_point=np.float64(kept_zero))]

    def trunc_codes(self, node, x: Tensor, scale: float, zero_point: int):
        """Integer codes c with round(x_real / scale + zero_point) = c + zero_point.

        Codes q of scale s and zero point z are such codes when z = 0 and s = scale to within
        float32's rounding (an average pool's s/(kh·kw) is the Trunc's scale computed in float32):
        x_real / scale = q·(1 + ε) with |q·ε| < 0.5 rounds to q for every q of q's type.
        Otherwise the real value is quantized by the Trunc's own scale with a clamp that never
        binds (QONNX's first rounding has none): the range of the codes' real values for codes,
        32 bits for reals."""
        carried = np.asarray(x.scale, dtype=np.float64).reshape(-1)
        if _codes(x) and carried.size == 1 and np.all(np.asarray(x.zero_point) == 0) and not bnn.is_bipolar(x.element_type):
            lo, hi = _value_range(x)
            error = abs(carried[0] / scale - 1.0)
            if max(abs(lo), abs(hi)) * error < 0.25:
                return x.value
        lo, hi = -(1 << 31), (1 << 31) - 1
        if _codes(x):  # the codes' real range, divided by the Trunc's scale: a clamp that never binds
            reals = [s * (v - z) for v in _value_range(x) for s in carried
                     for z in np.asarray(x.zero_point, dtype=np.float64).reshape(-1)]
            lo, hi = int(np.floor(min(reals) / scale)) - 1, int(np.ceil(max(reals) / scale)) + 1
        value = self._real(x)
        op = bnn.QuantizeOp.build(
            operands=[value],
            result_types=[TensorType(bnn.narrowest_integer(lo, hi), x.shape)],
            properties={
                "scale": FloatAttr(scale, f64), "zero_point": FloatAttr(0.0, f64),
                "lo": IntegerAttr(lo, i64), "hi": IntegerAttr(hi, i64),
                "rounding": StringAttr("round"),
            },
        )
        return self.emit(op)
