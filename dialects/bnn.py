"""The `bnn` dialect: binarized neural networks as value-semantics tensor ops.

This is the level the ONNX importer produces and the `bnn` passes rewrite. Tensors follow the
ONNX conventions of the model they came from: dimension 0 is the batch (always 1 in the IR; the
executor runs any batch), 4-d activations are NCHW and per-channel ops name their channel axis.

Element types:
- `!bnn.bipolar`: a ±1 value held in one bit (bit 1 is +1, bit 0 is −1; DESIGN.md).
- builtin integers: `siN`/`uiN` for quantized activations and n-bit weights, `i32` for
  accumulators (signless integers are read as signed).
- `f32`: real values (batch-norm, affine, model outputs). The executor evaluates real-valued ops
  in double precision; see docs/design.md, "Real arithmetic".

Weights of `bnn.dense`/`bnn.conv2d` are properties, packed from bytes into `ui64` words by
`bnnc.semantics.packing`, with their element type (`!bnn.bipolar` or `siN`) beside them.
"""

from __future__ import annotations

import functools
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import (
    AnyFloat,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    Signedness,
    StringAttr,
    TensorType,
    UnitAttr,
    i64,
)
from xdsl.ir import Attribute, Dialect, Operation, ParametrizedAttribute, TypeAttribute
from xdsl.irdl import (
    IRDLOperation,
    ParsePropInAttrDict,
    irdl_attr_definition,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    traits_def,
    var_operand_def,
)
from xdsl.pattern_rewriter import RewritePattern
from xdsl.traits import HasCanonicalizationPatternsTrait, Pure
from xdsl.utils.exceptions import VerifyException

from bnnc.semantics import arithmetic
from bnnc.semantics.packing import to_signed, unpack_rows, words_per_row


@irdl_attr_definition
class BipolarType(ParametrizedAttribute, TypeAttribute):
    """A ±1 value stored in one bit: 1 means +1, 0 means −1."""

    name = "bnn.bipolar"


bipolar = BipolarType()


# --------------------------------------------------------------------------------------------
# Type helpers shared by the verifiers, the importer and the executor.


def element_type(value_type: Attribute) -> Attribute:
    assert isinstance(value_type, TensorType)
    return value_type.element_type


def shape_of(value_type: Attribute) -> tuple[int, ...]:
    assert isinstance(value_type, TensorType)
    return tuple(value_type.get_shape())


def is_bipolar(t: Attribute) -> bool:
    return isinstance(t, BipolarType)


def is_integer(t: Attribute) -> bool:
    return isinstance(t, IntegerType)


def is_real(t: Attribute) -> bool:
    return isinstance(t, AnyFloat)


def bit_width(t: Attribute) -> int:
    """Bits per element of a bipolar or integer element type."""
    if isinstance(t, BipolarType):
        return 1
    if isinstance(t, IntegerType):
        return t.width.data
    raise ValueError(f"{t} has no bit width")


def is_signed_integer(t: Attribute) -> bool:
    """Signless integers (accumulators) are read as signed; only `uiN` is unsigned."""
    return isinstance(t, IntegerType) and t.signedness.data.name != "UNSIGNED"


def integer_range(t: IntegerType) -> tuple[int, int]:
    width = t.width.data
    if is_signed_integer(t):
        return -(1 << (width - 1)), (1 << (width - 1)) - 1
    return 0, (1 << width) - 1


def value_range(t: Attribute) -> tuple[int, int]:
    """The numbers an element type denotes: −1 and +1 for bipolar, else its integer range."""
    return (-1, 1) if isinstance(t, BipolarType) else integer_range(t)  # type: ignore[arg-type]


def signed_bits(lo: int, hi: int) -> int:
    """The fewest two's complement bits that hold every integer in [lo, hi]: n bits hold
    [−2^(n−1), 2^(n−1) − 1], so n = 1 + max(bits of hi, bits of −lo − 1)."""
    return 1 + max(max(int(hi), 0).bit_length(), max(-int(lo) - 1, 0).bit_length())


def narrowest_integer(lo: int, hi: int) -> IntegerType:
    """The smallest `uiN` (when lo ≥ 0) or `siN` holding [lo, hi]: bnnc's one answer."""
    if lo >= 0:
        return IntegerType(max(1, int(hi).bit_length()), Signedness.UNSIGNED)
    return IntegerType(signed_bits(lo, hi), Signedness.SIGNED)


def _check_channel_params(
    op: IRDLOperation, params: dict[str, DenseIntOrFPElementsAttr], axis: int
) -> None:
    """Per-channel parameters have one entry per channel on `axis`, or a single entry."""
    shape = shape_of(op.operands[0].type)
    if not 1 <= axis < len(shape):
        raise VerifyException(f"channel axis {axis} is out of range for rank {len(shape)}")
    channels = shape[axis]
    for name, attr in params.items():
        rank = 2 if name == "thresholds" else 1
        if len(attr.get_shape()) != rank:
            raise VerifyException(f"'{name}' must have rank {rank}, got shape {list(attr.get_shape())}")
        n = attr.get_shape()[0]
        if n not in (1, channels):
            raise VerifyException(
                f"'{name}' has {n} entries, expected 1 or {channels} (channels on axis {axis})"
            )


def _check_same_shape(op: IRDLOperation) -> None:
    if shape_of(op.operands[0].type) != shape_of(op.results[0].type):
        raise VerifyException(
            f"result shape {list(shape_of(op.results[0].type))} differs from input shape "
            f"{list(shape_of(op.operands[0].type))}"
        )


def dense_values(attr: DenseIntOrFPElementsAttr) -> np.ndarray:
    """A zero-copy numpy view of a dense attribute's elements (integers of 8 to 64 bits, floats)."""
    element = attr.get_element_type()
    if isinstance(element, AnyFloat):
        dtype = np.dtype(f"<f{element.bitwidth // 8}")
    elif isinstance(element, IntegerType) and element.width.data in (8, 16, 32, 64):
        kind = "u" if element.signedness.data.name == "UNSIGNED" else "i"
        dtype = np.dtype(f"<{kind}{element.width.data // 8}")
    else:
        raise VerifyException(f"dense elements of type {element} are not supported here")
    return np.frombuffer(attr.data.data, dtype=dtype).reshape(attr.get_shape())


def _check_finite(**params: np.ndarray | float) -> None:
    for name, values in params.items():
        if not np.all(np.isfinite(values)):
            raise VerifyException(f"'{name}' holds NaN or Inf")


@functools.lru_cache(maxsize=4096)
def array_values(attr: DenseArrayBase) -> tuple[int, ...]:
    """The integers of a dense array (memoised: attributes are immutable, and the cost and FIFO
    models read the same shapes thousands of times while folding)."""
    return tuple(int(v) for v in attr.get_values())


class BnnCanonicalizationPatterns(HasCanonicalizationPatternsTrait):
    """Attaches `passes/canonicalization/bnn.py` to the upstream `canonicalize` pass."""

    def get_patterns(self, op: type[Operation]) -> tuple[RewritePattern, ...]:
        from bnnc.passes.canonicalization.bnn import patterns_for

        return patterns_for(op)

    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from bnnc.passes.canonicalization.bnn import all_patterns

        return all_patterns()


# --------------------------------------------------------------------------------------------
# Activation ops


@irdl_op_definition
class SignOp(IRDLOperation):
    """Binarize: +1 where the input is ≥ 0, −1 elsewhere (sign(0) = +1, as Brevitas)."""

    name = "bnn.sign"
    input = operand_def(TensorType)
    output = result_def(TensorType[BipolarType])
    traits = traits_def(Pure(), BnnCanonicalizationPatterns())
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def __init__(self, input, result_type: Attribute):
        super().__init__(operands=[input], result_types=[result_type])

    def verify_(self) -> None:
        if is_bipolar(element_type(self.input.type)):
            raise VerifyException("input is already bipolar")
        _check_same_shape(self)


@irdl_op_definition
class QuantizeOp(IRDLOperation):
    """Uniform quantizer from reals to n-bit integer codes.

    `q = clamp(round(x / scale + zero_point), lo, hi)` with [lo, hi] inside the range of the
    result's integer type (a narrow signed quantizer has lo = −hi). The code `q` stands for the
    real value `(q − zero_point)·scale`; the importer carries that scale to the consumer.
    `rounding` is `round` (half to even), `floor`, `ceil` or `round_to_zero`.
    """

    name = "bnn.quantize"
    ROUNDINGS: ClassVar = ("round", "floor", "ceil", "round_to_zero")
    input = operand_def(TensorType)
    output = result_def(TensorType[IntegerType])
    scale = prop_def(FloatAttr)
    zero_point = prop_def(FloatAttr)
    lo = prop_def(IntegerAttr)
    hi = prop_def(IntegerAttr)
    rounding = prop_def(StringAttr)
    traits = traits_def(Pure(), BnnCanonicalizationPatterns())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def verify_(self) -> None:
        _check_same_shape(self)
        if not is_real(element_type(self.input.type)):
            raise VerifyException("input must be real-valued")
        _check_finite(scale=self.scale.value.data, zero_point=self.zero_point.value.data)
        if self.scale.value.data <= 0:
            raise VerifyException(f"scale must be positive, got {self.scale.value.data}")
        if self.rounding.data not in self.ROUNDINGS:
            raise VerifyException(
                f"unknown rounding '{self.rounding.data}', expected one of {list(self.ROUNDINGS)}"
            )
        t_lo, t_hi = integer_range(element_type(self.output.type))  # type: ignore[arg-type]
        lo, hi = self.lo.value.data, self.hi.value.data
        if not t_lo <= lo < hi <= t_hi:
            raise VerifyException(
                f"clamp range [{lo}, {hi}] must be non-empty and inside [{t_lo}, {t_hi}] of the "
                "result type"
            )


@irdl_op_definition
class ThresholdOp(IRDLOperation):
    """Multi-threshold activation: `offset + #{i : x ≥ T[c, i]}` for the element's channel c.

    `thresholds` is a (C, n) tensor, C the channels on `axis` (or 1 for all channels), n the
    steps, sorted ascending per channel. With a bipolar result there is one threshold per channel
    and the output is +1 where x ≥ T, −1 elsewhere. Thresholds are integers on integer inputs.
    """

    name = "bnn.threshold"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    thresholds = prop_def(DenseIntOrFPElementsAttr)
    offset = prop_def(IntegerAttr, default_value=IntegerAttr(0, i64))
    axis = prop_def(IntegerAttr, default_value=IntegerAttr(1, i64))
    traits = traits_def(Pure(), BnnCanonicalizationPatterns())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input `by` $thresholds attr-dict `:` type($input) `->` type($output)"

    def verify_(self) -> None:
        _check_same_shape(self)
        shape = self.thresholds.get_shape()
        if len(shape) != 2:
            raise VerifyException(f"thresholds must be (channels, steps), got shape {list(shape)}")
        _check_channel_params(self, {"thresholds": self.thresholds}, self.axis.value.data)
        steps = shape[1]
        t_in, t_out = element_type(self.input.type), element_type(self.output.type)
        if is_integer(t_in) and not is_integer(self.thresholds.get_element_type()):
            raise VerifyException("thresholds on an integer input must be integers")
        values = dense_values(self.thresholds)
        _check_finite(thresholds=values)
        if steps > 1 and np.any(np.diff(values, axis=1) < 0):
            raise VerifyException("thresholds must be sorted ascending in each channel")
        offset = self.offset.value.data
        if is_bipolar(t_out):
            if steps != 1 or offset != 0:
                raise VerifyException("a bipolar result needs exactly one threshold and offset 0")
        elif is_integer(t_out):
            lo, hi = integer_range(t_out)
            if offset < lo or offset + steps > hi:
                raise VerifyException(
                    f"outputs {offset}..{offset + steps} do not fit the result type {t_out}"
                )
        else:
            raise VerifyException(f"result must be bipolar or integer, got {t_out}")


# --------------------------------------------------------------------------------------------
# Layers with packed weights


class _WeightedLayer(IRDLOperation):
    """Shared checks of dense and conv layers: input, weight and accumulator types."""

    def _check_types(self, reduction: int, out_channels: int) -> None:
        t_in = element_type(self.operands[0].type)
        t_w = self.weight_type  # type: ignore[attr-defined]
        if not (is_bipolar(t_in) or is_integer(t_in)):
            raise VerifyException(
                f"input must be bipolar or integer, got {t_in}: quantize real inputs first"
            )
        if not (is_bipolar(t_w) or (is_signed_integer(t_w) and bit_width(t_w) >= 2)):
            raise VerifyException(
                f"weights must be bipolar or signed integers of 2 bits or more, got {t_w}"
            )
        packed = self.weights.get_element_type()  # type: ignore[attr-defined]
        if not (isinstance(packed, IntegerType) and packed.width.data == 64):
            raise VerifyException(f"packed weights must be 64-bit words (ui64), got {packed}")
        expected = (out_channels, words_per_row(reduction, bit_width(t_w)))
        if tuple(self.weights.get_shape()) != expected:  # type: ignore[attr-defined]
            raise VerifyException(
                f"packed weights have shape {list(self.weights.get_shape())}, expected "  # type: ignore[attr-defined]
                f"{list(expected)} for {out_channels}x{reduction} weights of {bit_width(t_w)} bit"
            )

    def _check_popcount(self) -> None:
        if self.popcount is not None and not (  # type: ignore[attr-defined]
            is_bipolar(element_type(self.operands[0].type)) and is_bipolar(self.weight_type)  # type: ignore[attr-defined]
        ):
            raise VerifyException("popcount accumulation needs bipolar inputs and weights")

    def weight_matrix(self, reduction: int) -> np.ndarray:
        """The (out_channels, reduction) weight values: ±1 or signed integers."""
        t_w = self.weight_type  # type: ignore[attr-defined]
        codes = unpack_rows(self.weights, reduction, bit_width(t_w))  # type: ignore[attr-defined]
        if is_bipolar(t_w):
            return 2 * codes - 1
        return to_signed(codes, bit_width(t_w))


@irdl_op_definition
class DenseOp(_WeightedLayer):
    """Fully connected layer: `acc[n, m] = Σ_k x[n, k]·W[m, k]` in integers (bipolar as ±1).

    With `popcount` (bipolar inputs and weights only) the result is the number of agreeing bits,
    `popcount(xnor(x, W[m]))`, which is `(acc + K) / 2` of the ±1 dot product.
    """

    name = "bnn.dense"
    input = operand_def(TensorType)
    output = result_def(TensorType[IntegerType])
    weights = prop_def(DenseIntOrFPElementsAttr)
    weight_type = prop_def(TypeAttribute)
    popcount = opt_prop_def(UnitAttr)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = (
        "$input `weights` `<` $weight_type `>` $weights attr-dict `:` type($input) `->` "
        "type($output)"
    )

    def verify_(self) -> None:
        in_shape, out_shape = shape_of(self.input.type), shape_of(self.output.type)
        if len(in_shape) != 2 or len(out_shape) != 2 or in_shape[0] != out_shape[0]:
            raise VerifyException(
                f"expected (N, K) -> (N, M) tensors, got {list(in_shape)} -> {list(out_shape)}"
            )
        self._check_types(in_shape[1], out_shape[1])
        self._check_popcount()

    @property
    def reduction(self) -> int:
        return shape_of(self.input.type)[1]

    @property
    def in_features(self) -> int:
        return shape_of(self.input.type)[1]


@irdl_op_definition
class Conv2dOp(_WeightedLayer):
    """2-d convolution on NCHW tensors with packed weights.

    The weight matrix is (M, kh·kw·C) with the reduction ordered (ky, kx, c), the order in which
    the sliding-window unit streams a window (DESIGN.md, "Layout in streams"). `pads` are
    (top, left, bottom, right) and padded positions hold `pad_value`: ±1 on bipolar inputs
    (zero has no binary encoding), an integer on integer inputs. `popcount` as in `bnn.dense`.
    """

    name = "bnn.conv2d"
    input = operand_def(TensorType)
    output = result_def(TensorType[IntegerType])
    weights = prop_def(DenseIntOrFPElementsAttr)
    weight_type = prop_def(TypeAttribute)
    kernel = prop_def(DenseArrayBase)
    strides = prop_def(DenseArrayBase)
    pads = prop_def(DenseArrayBase)
    pad_value = prop_def(IntegerAttr, default_value=IntegerAttr(0, i64))
    popcount = opt_prop_def(UnitAttr)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = (
        "$input `weights` `<` $weight_type `>` $weights attr-dict `:` type($input) `->` "
        "type($output)"
    )

    def verify_(self) -> None:
        in_shape, out_shape = shape_of(self.input.type), shape_of(self.output.type)
        if len(in_shape) != 4 or len(out_shape) != 4:
            raise VerifyException("expected NCHW tensors of rank 4")
        kh, kw = _verify_window(self, in_shape, out_shape, out_shape[1])
        self._check_types(kh * kw * in_shape[1], out_shape[1])
        self._check_popcount()

    @property
    def reduction(self) -> int:
        kh, kw = array_values(self.kernel)
        return kh * kw * shape_of(self.input.type)[1]


@irdl_op_definition
class DepthwiseConv2dOp(_WeightedLayer):
    """Depthwise 2-d convolution on NCHW tensors: every channel convolved with its own kernel.

    `acc[n, c, y, x] = Σ_(ky, kx) x[n, c, y·sh + ky − top, x·sw + kx − left]·W[c, ky·kw + kx]`:
    ONNX's `Conv` with `group` equal to the channels and one filter a group (depth multiplier 1).
    The weight matrix is (C, kh·kw), one row a channel, the reduction in (ky, kx) order, the
    order in which a window of one channel is streamed. Kernel, strides, pads, `pad_value` and
    `popcount` (with K = kh·kw) as in `bnn.conv2d`. A separate op rather than a `group` property
    of `bnn.conv2d`: every pass and engine that reads a conv2d's (M, kh·kw·C) matrix would read a
    depthwise one wrongly, so each must opt in.
    """

    name = "bnn.depthwise_conv2d"
    input = operand_def(TensorType)
    output = result_def(TensorType[IntegerType])
    weights = prop_def(DenseIntOrFPElementsAttr)
    weight_type = prop_def(TypeAttribute)
    kernel = prop_def(DenseArrayBase)
    strides = prop_def(DenseArrayBase)
    pads = prop_def(DenseArrayBase)
    pad_value = prop_def(IntegerAttr, default_value=IntegerAttr(0, i64))
    popcount = opt_prop_def(UnitAttr)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = (
        "$input `weights` `<` $weight_type `>` $weights attr-dict `:` type($input) `->` "
        "type($output)"
    )

    def verify_(self) -> None:
        in_shape, out_shape = shape_of(self.input.type), shape_of(self.output.type)
        if len(in_shape) != 4 or len(out_shape) != 4:
            raise VerifyException("expected NCHW tensors of rank 4")
        if out_shape[1] != in_shape[1]:
            raise VerifyException(
                f"a depthwise convolution keeps the channels: {in_shape[1]} in, {out_shape[1]} out"
            )
        kh, kw = _verify_window(self, in_shape, out_shape, in_shape[1])
        self._check_types(kh * kw, in_shape[1])
        self._check_popcount()

    @property
    def reduction(self) -> int:
        """The products summed into one accumulator: one channel's kh·kw window."""
        kh, kw = array_values(self.kernel)
        return kh * kw


def _verify_window(op: Conv2dOp | DepthwiseConv2dOp, in_shape: tuple[int, ...],
                   out_shape: tuple[int, ...], channels_out: int) -> tuple[int, int]:
    """The checks a convolution's window geometry shares (`bnn.conv2d`, `bnn.depthwise_conv2d`):
    kernel, strides and pads, the result's shape (N, `channels_out`, OH, OW), and a pad value the
    input's type can hold. Returns the kernel (kh, kw)."""
    kh, kw = _pair(op.kernel, "kernel")
    sh, sw = _pair(op.strides, "strides")
    pads = array_values(op.pads)
    if len(pads) != 4 or min(pads) < 0:
        raise VerifyException("pads must be four non-negative values (top, left, bottom, right)")
    if kh < 1 or kw < 1 or sh < 1 or sw < 1:
        raise VerifyException("kernel and strides must be positive")
    n, _, h, w = in_shape
    oh = (h + pads[0] + pads[2] - kh) // sh + 1
    ow = (w + pads[1] + pads[3] - kw) // sw + 1
    if oh < 1 or ow < 1:
        raise VerifyException(f"a {kh}x{kw} kernel does not fit a padded {h}x{w} input")
    if out_shape != (n, channels_out, oh, ow):
        raise VerifyException(
            f"result shape {list(out_shape)} does not match the convolution, expected "
            f"{[n, channels_out, oh, ow]}"
        )
    t_in, pad_value = element_type(op.input.type), op.pad_value.value.data
    if any(pads):
        if is_bipolar(t_in) and pad_value not in (-1, 1):
            raise VerifyException(
                f"padding of bipolar data must be +1 or -1, got {pad_value}: zero has no "
                "binary encoding"
            )
        if is_integer(t_in) and not integer_range(t_in)[0] <= pad_value <= integer_range(t_in)[1]:
            raise VerifyException(f"pad value {pad_value} is outside the range of {t_in}")
    return kh, kw


def _pair(attr: DenseArrayBase, what: str) -> tuple[int, int]:
    values = array_values(attr)
    if len(values) != 2:
        raise VerifyException(f"{what} must have two values, got {list(values)}")
    return values[0], values[1]


# --------------------------------------------------------------------------------------------
# Real-valued per-channel ops


@irdl_op_definition
class BatchNormOp(IRDLOperation):
    """Inference batch norm: `γ·(x − μ)/√(var + ε) + β` per channel on `axis`."""

    name = "bnn.batchnorm"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    gamma = prop_def(DenseIntOrFPElementsAttr)
    beta = prop_def(DenseIntOrFPElementsAttr)
    mean = prop_def(DenseIntOrFPElementsAttr)
    var = prop_def(DenseIntOrFPElementsAttr)
    epsilon = prop_def(FloatAttr)
    axis = prop_def(IntegerAttr, default_value=IntegerAttr(1, i64))
    traits = traits_def(Pure(), BnnCanonicalizationPatterns())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def verify_(self) -> None:
        _check_same_shape(self)
        if not is_real(element_type(self.output.type)):
            raise VerifyException("the result must be real-valued")
        params = {"gamma": self.gamma, "beta": self.beta, "mean": self.mean, "var": self.var}
        _check_channel_params(self, params, self.axis.value.data)
        _check_finite(epsilon=self.epsilon.value.data, **{n: dense_values(a) for n, a in params.items()})
        if np.any(dense_values(self.var) + self.epsilon.value.data <= 0):
            raise VerifyException("var + epsilon must be positive")


@irdl_op_definition
class AffineOp(IRDLOperation):
    """Per-channel (or scalar) affine map `x·scale + bias` on `axis`, to real values."""

    name = "bnn.affine"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    scale = prop_def(DenseIntOrFPElementsAttr)
    bias = prop_def(DenseIntOrFPElementsAttr)
    axis = prop_def(IntegerAttr, default_value=IntegerAttr(1, i64))
    traits = traits_def(Pure(), BnnCanonicalizationPatterns())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = (
        "$input `scale` $scale `bias` $bias attr-dict `:` type($input) `->` type($output)"
    )

    def verify_(self) -> None:
        _check_same_shape(self)
        if not is_real(element_type(self.output.type)):
            raise VerifyException("the result must be real-valued")
        _check_channel_params(self, {"scale": self.scale, "bias": self.bias}, self.axis.value.data)
        _check_finite(scale=dense_values(self.scale), bias=dense_values(self.bias))


# --------------------------------------------------------------------------------------------
# Pooling, shapes and the label select


@irdl_op_definition
class MaxPoolOp(IRDLOperation):
    """Max-pool on NCHW tensors; on bipolar data it is the OR of the bits. No padding."""

    name = "bnn.maxpool"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    kernel = prop_def(DenseArrayBase)
    strides = prop_def(DenseArrayBase)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def verify_(self) -> None:
        in_shape, out_shape = shape_of(self.input.type), shape_of(self.output.type)
        if len(in_shape) != 4:
            raise VerifyException("expected an NCHW tensor of rank 4")
        if element_type(self.input.type) != element_type(self.output.type):
            raise VerifyException("input and result element types differ")
        kh, kw = _pair(self.kernel, "kernel")
        sh, sw = _pair(self.strides, "strides")
        if min(kh, kw, sh, sw) < 1:
            raise VerifyException("kernel and strides must be positive")
        n, c, h, w = in_shape
        if kh > h or kw > w:
            raise VerifyException(f"a {kh}x{kw} window does not fit a {h}x{w} input")
        expected = (n, c, (h - kh) // sh + 1, (w - kw) // sw + 1)
        if out_shape != expected:
            raise VerifyException(
                f"result shape {list(out_shape)} does not match a {kh}x{kw} pool with strides "
                f"{sh}x{sw} of {list(in_shape)}"
            )


@irdl_op_definition
class ReshapeOp(IRDLOperation):
    """Reshape in row-major order; the batch dimension stays first."""

    name = "bnn.reshape"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure(), BnnCanonicalizationPatterns())
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def __init__(self, input, result_type: Attribute):
        super().__init__(operands=[input], result_types=[result_type])

    def verify_(self) -> None:
        in_shape, out_shape = shape_of(self.input.type), shape_of(self.output.type)
        if not in_shape:
            raise VerifyException("tensors need a batch dimension (rank 1 or more)")
        if element_type(self.input.type) != element_type(self.output.type):
            raise VerifyException("input and result element types differ")
        if int(np.prod(in_shape)) != int(np.prod(out_shape)):
            raise VerifyException(
                f"cannot reshape {list(in_shape)} ({int(np.prod(in_shape))} elements) to "
                f"{list(out_shape)} ({int(np.prod(out_shape))} elements)"
            )
        if not out_shape or out_shape[0] != in_shape[0]:
            raise VerifyException("the batch dimension must stay first")


@irdl_op_definition
class TransposeOp(IRDLOperation):
    """Permute dimensions: result dimension i is input dimension perm[i]; the batch stays first."""

    name = "bnn.transpose"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    perm = prop_def(DenseArrayBase)
    traits = traits_def(Pure(), BnnCanonicalizationPatterns())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def verify_(self) -> None:
        perm = array_values(self.perm)
        in_shape, out_shape = shape_of(self.input.type), shape_of(self.output.type)
        if not in_shape:
            raise VerifyException("tensors need a batch dimension (rank 1 or more)")
        if sorted(perm) != list(range(len(in_shape))):
            raise VerifyException(f"perm {list(perm)} is not a permutation of rank {len(in_shape)}")
        if perm[0] != 0:
            raise VerifyException("the batch dimension must stay first")
        if out_shape != tuple(in_shape[p] for p in perm):
            raise VerifyException(
                f"result shape {list(out_shape)} is not {list(in_shape)} permuted by {list(perm)}"
            )
        if element_type(self.input.type) != element_type(self.output.type):
            raise VerifyException("input and result element types differ")


@irdl_op_definition
class TopKOp(IRDLOperation):
    """Label select: the indices of the k largest values of the last axis, largest first.

    Ties go to the lower index, as in ONNX TopK and numpy's stable sort.
    """

    name = "bnn.topk"
    input = operand_def(TensorType)
    output = result_def(TensorType[IntegerType])
    k = prop_def(IntegerAttr)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def verify_(self) -> None:
        in_shape, out_shape = shape_of(self.input.type), shape_of(self.output.type)
        if len(in_shape) < 2:
            raise VerifyException("label select needs (batch, ..., classes) scores of rank 2 or more")
        k = self.k.value.data
        if not 1 <= k <= in_shape[-1]:
            raise VerifyException(f"k = {k} must be between 1 and {in_shape[-1]}")
        if out_shape != in_shape[:-1] + (k,):
            raise VerifyException(f"result shape must be {list(in_shape[:-1] + (k,))}")
        if is_bipolar(element_type(self.input.type)):
            raise VerifyException("label select needs integer or real scores")


# --------------------------------------------------------------------------------------------
# Output activations (on the host)


class _OutputActivation(IRDLOperation):
    """Real-valued, per row of the last axis; they run on the host behind the accelerator."""

    input = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def __init__(self, input, result_type: Attribute):
        super().__init__(operands=[input], result_types=[result_type])

    def verify_(self) -> None:
        _check_same_shape(self)
        if not (is_real(element_type(self.input.type)) and is_real(element_type(self.output.type))):
            raise VerifyException("input and result must be real-valued")
        if len(shape_of(self.input.type)) < 2:
            raise VerifyException("expected (batch, ..., classes) values of rank 2 or more")


@irdl_op_definition
class SoftmaxOp(_OutputActivation):
    """`exp(x_i − max x) / Σ_j exp(x_j − max x)` over the last axis."""

    name = "bnn.softmax"


@irdl_op_definition
class LogSoftmaxOp(_OutputActivation):
    """`x_i − max x − log Σ_j exp(x_j − max x)` over the last axis."""

    name = "bnn.log_softmax"


@irdl_op_definition
class SigmoidOp(_OutputActivation):
    """`1 / (1 + exp(−x))` elementwise."""

    name = "bnn.sigmoid"


# --------------------------------------------------------------------------------------------
# Residual networks: the join (add), concatenation, sum pooling and QONNX's Trunc


def _numbers_range(t: Attribute) -> tuple[int, int] | None:
    """The numbers a bipolar or integer element type denotes; None for reals."""
    return value_range(t) if is_bipolar(t) or is_integer(t) else None


def _check_holds(result: Attribute, lo: int, hi: int, what: str) -> None:
    """An integer result type must hold [lo, hi], every value the op can produce."""
    if not is_integer(result):
        raise VerifyException(f"the result of {what} must be an integer type, got {result}")
    t_lo, t_hi = integer_range(result)  # type: ignore[arg-type]
    if not t_lo <= lo <= hi <= t_hi:
        raise VerifyException(
            f"the result type {result} cannot hold [{lo}, {hi}], the range of {what}; "
            f"{narrowest_integer(lo, hi)} does"
        )


@irdl_op_definition
class AddOp(IRDLOperation):
    """Elementwise sum of two tensors of one shape: the join of a residual block.

    Integer operands (bipolar ones as ±1) give their exact integer sum, and the result type must
    hold every sum, [lo_a + lo_b, hi_a + hi_b]; real operands give a real sum. The importer adds
    codes only when both carry the same scale (then the sum carries it too); the requantization
    that follows is a `bnn.quantize` or `bnn.threshold`, as after any layer.
    """

    name = "bnn.add"
    lhs = operand_def(TensorType)
    rhs = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    assembly_format = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($output)"

    def verify_(self) -> None:
        shapes = {shape_of(v.type) for v in (self.lhs, self.rhs, self.output)}
        if len(shapes) != 1:
            raise VerifyException(
                f"operands and result must have one shape, got {list(shape_of(self.lhs.type))}, "
                f"{list(shape_of(self.rhs.type))} -> {list(shape_of(self.output.type))}"
            )
        ranges = [_numbers_range(element_type(v.type)) for v in (self.lhs, self.rhs)]
        result = element_type(self.output.type)
        if ranges[0] is None and ranges[1] is None:
            if not is_real(result):
                raise VerifyException(f"the sum of real operands is real, got {result}")
            return
        if ranges[0] is None or ranges[1] is None:
            raise VerifyException("operands must both be integer (or bipolar) or both be real")
        _check_holds(result, ranges[0][0] + ranges[1][0], ranges[0][1] + ranges[1][1], "the sum")


@irdl_op_definition
class ConcatOp(IRDLOperation):
    """Concatenation along `axis` (1, the channels, for NCHW and NC tensors).

    Operands of one element type keep it; integer and bipolar operands (bipolar as ±1) may
    also meet in an integer result type that holds every operand's values.
    """

    name = "bnn.concat"
    inputs = var_operand_def(TensorType)
    output = result_def(TensorType)
    axis = prop_def(IntegerAttr, default_value=IntegerAttr(1, i64))
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$inputs attr-dict `:` type($inputs) `->` type($output)"

    def verify_(self) -> None:
        if len(self.inputs) < 2:
            raise VerifyException(f"expected two or more operands, got {len(self.inputs)}")
        out_shape = shape_of(self.output.type)
        axis = self.axis.value.data
        if not 1 <= axis < len(out_shape):
            raise VerifyException(f"axis {axis} is out of range for rank {len(out_shape)} (the batch stays)")
        shapes = [shape_of(v.type) for v in self.inputs]
        for shape in shapes:
            if len(shape) != len(out_shape) or any(
                a != b for i, (a, b) in enumerate(zip(shape, out_shape)) if i != axis
            ):
                raise VerifyException(
                    f"operand shape {list(shape)} differs from the result {list(out_shape)} "
                    f"outside axis {axis}"
                )
        if sum(shape[axis] for shape in shapes) != out_shape[axis]:
            raise VerifyException(
                f"the operands have {sum(s[axis] for s in shapes)} entries on axis {axis}, the "
                f"result {out_shape[axis]}"
            )
        result = element_type(self.output.type)
        elements = [element_type(v.type) for v in self.inputs]
        if all(e == result for e in elements):
            return
        ranges = [_numbers_range(e) for e in elements]
        if any(r is None for r in ranges) or not is_integer(result):
            raise VerifyException(
                f"operand element types {[str(e) for e in elements]} differ from the result "
                f"{result}: only integer and bipolar operands may meet in an integer result"
            )
        _check_holds(result, min(r[0] for r in ranges), max(r[1] for r in ranges),  # type: ignore[index]
                     "the operands")


@irdl_op_definition
class SumPoolOp(IRDLOperation):
    """Sum of each kh×kw window of an NCHW tensor (strides sh×sw, no padding): average pooling
    without its division. The importer carries 1/(kh·kw) in the real scale of the codes, so the
    division ends in the next threshold or quantizer (or a `bnn.trunc`, as Brevitas'
    `TruncAvgPool2d` exports it). Global average pooling is the window of the whole H×W.

    Integer (or bipolar, as ±1) inputs give exact integer sums, held by the result type:
    [kh·kw·lo, kh·kw·hi]; real inputs give real sums.
    """

    name = "bnn.sum_pool"
    input = operand_def(TensorType)
    output = result_def(TensorType)
    kernel = prop_def(DenseArrayBase)
    strides = prop_def(DenseArrayBase)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def verify_(self) -> None:
        in_shape, out_shape = shape_of(self.input.type), shape_of(self.output.type)
        if len(in_shape) != 4:
            raise VerifyException("expected an NCHW tensor of rank 4")
        kh, kw = _pair(self.kernel, "kernel")
        sh, sw = _pair(self.strides, "strides")
        if min(kh, kw, sh, sw) < 1:
            raise VerifyException("kernel and strides must be positive")
        n, c, h, w = in_shape
        if kh > h or kw > w:
            raise VerifyException(f"a {kh}x{kw} window does not fit a {h}x{w} input")
        expected = (n, c, (h - kh) // sh + 1, (w - kw) // sw + 1)
        if out_shape != expected:
            raise VerifyException(
                f"result shape {list(out_shape)} does not match a {kh}x{kw} pool with strides "
                f"{sh}x{sw} of {list(in_shape)}, expected {list(expected)}"
            )
        numbers = _numbers_range(element_type(self.input.type))
        result = element_type(self.output.type)
        if numbers is None:
            if not is_real(result):
                raise VerifyException(f"the sum of real values is real, got {result}")
            return
        _check_holds(result, kh * kw * numbers[0], kh * kw * numbers[1], f"a sum of {kh * kw} values")


@irdl_op_definition
class TruncOp(IRDLOperation):
    """QONNX's `Trunc` on integer codes: `clamp(rounding((x + zero_point) / 2^shift), lo, hi)`.

    QONNX computes `y = round(x_real / scale + zero_point)` first; on codes `x` of that scale
    this is `x + zero_point` exactly, so the op takes the codes. `Trunc` (v1, five inputs) has
    `shift` = input bits − output bits and no clamp ([lo, hi] is then the range the shift leaves
    of the input type); `Trunc` v2 (six inputs) has `shift` = round(log2(output scale / scale))
    and clamps to the output bit width's range before rounding, which for a non-decreasing
    rounding that keeps integers is the same as clamping after it. A negative shift multiplies
    (Brevitas' `TruncTo8bit` after a pool whose sums need fewer than 8 bits). `rounding` is one of QONNX's
    modes, lower-cased: `round` (half to even), `floor`, `ceil`, `up` and `down` (away from and
    toward zero), `half_up`, `half_down` (ties away from and toward zero).
    """

    name = "bnn.trunc"
    ROUNDINGS: ClassVar = tuple(arithmetic.TRUNC_ROUNDING)
    input = operand_def(TensorType[IntegerType])
    output = result_def(TensorType[IntegerType])
    shift = prop_def(IntegerAttr)
    zero_point = prop_def(IntegerAttr, default_value=IntegerAttr(0, i64))
    lo = prop_def(IntegerAttr)
    hi = prop_def(IntegerAttr)
    rounding = prop_def(StringAttr)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def verify_(self) -> None:
        _check_same_shape(self)
        shift = self.shift.value.data
        if not -62 <= shift <= 62:
            raise VerifyException(f"shift must be in -62..62, got {shift}")
        if self.rounding.data not in self.ROUNDINGS:
            raise VerifyException(
                f"unknown rounding '{self.rounding.data}', expected one of {list(self.ROUNDINGS)}"
            )
        lo, hi = self.lo.value.data, self.hi.value.data
        if lo > hi:
            raise VerifyException(f"clamp range [{lo}, {hi}] is empty")
        _check_holds(element_type(self.output.type), lo, hi, "the clamp")


BNN = Dialect(
    "bnn",
    [
        SignOp,
        QuantizeOp,
        ThresholdOp,
        DenseOp,
        Conv2dOp,
        DepthwiseConv2dOp,
        BatchNormOp,
        AffineOp,
        MaxPoolOp,
        ReshapeOp,
        TransposeOp,
        TopKOp,
        SoftmaxOp,
        LogSoftmaxOp,
        SigmoidOp,
        AddOp,
        ConcatOp,
        SumPoolOp,
        TruncOp,
    ],
    [BipolarType],
)


# --------------------------------------------------------------------------------------------
# Values of the elementwise ops, for the executor and the passes that evaluate a chain of them


def evaluate_elementwise(op: Operation, x: np.ndarray) -> np.ndarray:
    """The value of an elementwise op (affine, batch norm, sign, quantize, threshold, trunc) on the
    array `x` of its input's codes (bits for bipolar inputs): `bnnc.semantics.arithmetic` with
    the op's parameters. The `bnn` executor and threshold fusion both evaluate through here."""
    def numbers(value: np.ndarray) -> np.ndarray:
        return 2 * value.astype(np.int64) - 1 if is_bipolar(element_type(op.operands[0].type)) else value

    if isinstance(op, SignOp):
        return arithmetic.sign(x)
    if isinstance(op, QuantizeOp):
        return arithmetic.quantize(x, op.scale.value.data, op.zero_point.value.data, op.rounding.data,
                                   op.lo.value.data, op.hi.value.data)
    if isinstance(op, ThresholdOp):
        bipolar = is_bipolar(element_type(op.output.type))
        return arithmetic.multi_threshold(numbers(x), dense_values(op.thresholds), op.offset.value.data,
                                          bipolar, op.axis.value.data)
    if isinstance(op, BatchNormOp):
        return arithmetic.batchnorm(numbers(x), dense_values(op.mean), dense_values(op.var), dense_values(op.gamma),
                                    dense_values(op.beta), op.epsilon.value.data, op.axis.value.data)
    if isinstance(op, AffineOp):
        return arithmetic.affine(numbers(x), dense_values(op.scale), dense_values(op.bias), op.axis.value.data)
    if isinstance(op, TruncOp):
        return arithmetic.truncate(x, op.shift.value.data, op.zero_point.value.data, op.rounding.data,
                                   op.lo.value.data, op.hi.value.data)
    raise ValueError(f"{op.name} is not an elementwise op")
