"""`threshold-fusion`: real-valued activations of integer accumulators become integer thresholds.

    %acc = bnn.dense %x ...                        %acc = bnn.dense %x ...  (rows of γ<0 negated)
    %r   = bnn.affine / bnn.batchnorm %acc ...  →  %y   = bnn.threshold %acc by dense<[[T0], ...]>
    %y   = bnn.sign %r                                 (or n-bit: one row of steps per channel)

The activation (sign, quantize, or a threshold on reals) of a chain of per-channel affine maps
and batch norms of an integer value becomes one `bnn.threshold` on that integer value. See
`fused_thresholds` for the derivation. Patterns that must not fire: a non-integer source, a
chain op with other users, mixed channel axes, an activation of more than 2^16 levels, and a
decreasing channel whose source is not a layer this pass may change (a layer with other users,
or a max-pool in between).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.dialects.builtin import IntegerAttr, IntegerType, Signedness, i64
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from bnnc.dialects import bnn
from bnnc.semantics.packing import pack_rows
from bnnc.passes.channels import channel_params, dense_i64
from bnnc.passes.value_range import integer_range_of

CHAIN_OPS = (bnn.AffineOp, bnn.BatchNormOp)
MAX_LEVELS = 1 << 16  # steps a fused threshold may have: 16-bit activations


@dataclass
class Chain:
    source: SSAValue  # the integer value the chain starts from
    ops: list[Operation]  # per-channel real maps, source side first
    activation: Operation  # sign, quantize or a real-valued threshold
    axis: int


def find_chain(activation: Operation) -> Chain | None:
    ops: list[Operation] = []
    value = activation.operands[0]
    while isinstance(value.owner, CHAIN_OPS) and value.has_one_use():
        ops.insert(0, value.owner)
        value = value.owner.operands[0]
    if not bnn.is_integer(bnn.element_type(value.type)):
        return None
    axes = {op.axis.value.data for op in ops if _per_channel(op)}  # type: ignore[attr-defined]
    if isinstance(activation, bnn.ThresholdOp) and bnn.dense_values(activation.thresholds).shape[0] > 1:
        axes.add(activation.axis.value.data)
    if len(axes) > 1:
        return None
    return Chain(value, ops, activation, axes.pop() if axes else 1)


def _per_channel(op: Operation) -> bool:
    return any(v.size > 1 for v in channel_params(op).values())


def channel_direction(chain: Chain, channels: int) -> np.ndarray:
    """+1, −1 or 0 per channel: the sign of the chain's slope (the product of its scales)."""
    slope = np.ones(channels)
    for op in chain.ops:
        p = channel_params(op)
        slope = slope * (p["scale"] if isinstance(op, bnn.AffineOp) else p["gamma"])
    return np.sign(slope)


def evaluate(chain: Chain, x: np.ndarray) -> np.ndarray:
    """The chain and its activation on integer inputs x of shape (S, C), as (S, C) numbers.

    It runs the executor's own implementations, so the thresholds found agree with the executor
    bit for bit, rounding of the double-precision evaluation included.
    """
    rank = len(bnn.shape_of(chain.source.type))
    samples, channels = x.shape
    value = np.moveaxis(x.reshape((samples, channels) + (1,) * (rank - 2)), 1, chain.axis)
    for op in [*chain.ops, chain.activation]:
        value = bnn.evaluate_elementwise(op, value)
    return np.moveaxis(value, chain.axis, 1).reshape(samples, channels)




def output_levels(activation: Operation) -> tuple[np.ndarray, int]:
    """The activation's output levels above its lowest, and that lowest value (the offset)."""
    if isinstance(activation, bnn.SignOp) or bnn.is_bipolar(bnn.element_type(activation.results[0].type)):
        return np.array([1]), 0
    if isinstance(activation, bnn.QuantizeOp):
        lo, hi = activation.lo.value.data, activation.hi.value.data
        return np.arange(lo + 1, hi + 1), lo
    offset = activation.offset.value.data  # type: ignore[attr-defined]
    steps = bnn.dense_values(activation.thresholds).shape[1]  # type: ignore[attr-defined]
    return np.arange(offset + 1, offset + steps + 1), offset


def fused_thresholds(
    chain: Chain, lo: int, hi: int, channels: int, flipped: np.ndarray, complemented: np.ndarray
) -> np.ndarray:
    """Integer thresholds T[c, j] with act(f_c(x)) ≥ level_j  ⇔  x ≥ T[c, j], for x in [lo, hi].

    Derivation. After batch norm, BN(x) = γ·(x − μ)/σ + β with σ = √(var + ε), and affine maps
    a·x + b, the chain is f_c(x) = A_c·x + B_c for reals, with slope A_c = Π(scales) and the
    activation act (sign, quantize, multi-threshold) is non-decreasing. So for A_c > 0 the set
    {x : act(f_c(x)) ≥ level} is a ray [t, ∞) with t = the root of f_c(x) = the level's edge,
    e.g. x ≥ μ − β·σ/γ for sign; on integer accumulators the threshold is T = ⌈t⌉. For
    A_c < 0 the ray is (−∞, t]: negating the channel's weights negates x, so x' = −x ≥ −t and
    "≥" always holds (the `flipped` channels, evaluated at −x'). When the weights cannot be
    negated (a max-pool sits between the layer and the activation: max of −x is not −max of x),
    a bipolar channel is `complemented` instead: it outputs NOT act(f_c(x)) = [x ≥ t'], which is
    increasing, and the next layer negates that input channel's weights to undo the NOT; an
    n-bit channel of a range symmetric about 0 likewise outputs −act(f_c(x)).
    For A_c = 0 the channel is
    constant: T = lo when its constant output reaches the level (always met), hi + 1 when not
    (never met). Thresholds are clipped to [lo, hi + 1], the accumulator's range plus "never".
    An unsigned n-bit quantizer (ReLU's: the importer folds a Relu into its floor, codes 0..2^n
    − 1) gives 2^n − 1 thresholds like any other; a channel whose pre-activations stay below
    the first edge (all negative) gets hi + 1 everywhere and outputs the floor 0. Unsigned codes
    cannot be complemented (−code leaves 0..2^n − 1), so behind a max-pool a decreasing unsigned
    channel is not fused (`complementable`).

    Rather than trusting the closed form near ties, where double rounding decides, T is found
    exactly: the smallest x in [lo, hi] whose evaluated output reaches the level (a binary search
    per channel and level, on the executor's own arithmetic, which is monotone in x). The closed
    form and the search agree except at exact ties, where the search is right by construction.
    """
    levels, _ = output_levels(chain.activation)
    bipolar = bnn.is_bipolar(bnn.element_type(chain.activation.results[0].type))
    sign = np.where(flipped, -1, 1)
    low = np.full((channels, levels.size), lo, dtype=np.int64)
    high = np.full((channels, levels.size), hi + 1, dtype=np.int64)  # hi + 1: never met
    while np.any(low < high):
        mid = (low + high) // 2
        reached = np.empty_like(mid, dtype=bool)
        for j in range(levels.size):
            out = evaluate(chain, (mid[:, j] * sign)[None, :])[0]
            negated = 1 - out if bipolar else -out  # NOT of a bit, or minus a code
            reached[:, j] = np.where(complemented, negated, out) >= levels[j]
        high = np.where(reached & (low < high), mid, high)
        low = np.where(~reached & (low < high), mid + 1, low)
    return low


class FuseThreshold(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: bnn.SignOp | bnn.QuantizeOp | bnn.ThresholdOp, rewriter: PatternRewriter) -> None:
        if isinstance(op, bnn.ThresholdOp) and not bnn.is_real(bnn.element_type(op.input.type)):
            return  # already an integer threshold
        chain = find_chain(op)
        if chain is None or (not chain.ops and isinstance(op, bnn.ThresholdOp)):
            return
        if isinstance(op, bnn.QuantizeOp) and op.hi.value.data - op.lo.value.data > MAX_LEVELS:
            return  # more codes than any threshold unit holds (a Trunc's unclamped input)
        shape = bnn.shape_of(chain.source.type)
        channels = shape[chain.axis] if len(shape) > 1 else 1
        decreasing = channel_direction(chain, channels) < 0
        layer = chain.source.owner
        flipped = complemented = np.zeros(channels, dtype=bool)
        consumers: list[tuple[bnn.DenseOp | bnn.Conv2dOp, np.ndarray]] = []
        if np.any(decreasing):
            if can_negate_rows(chain):
                flipped = decreasing
            elif complementable(op) and chain.axis == 1:
                consumers = consumer_columns(op.results[0], decreasing)
                if not consumers:
                    return
                complemented = decreasing
            else:
                return
        lo, hi = integer_range_of(chain.source)
        if np.any(flipped):
            lo, hi = min(lo, -hi), max(hi, -lo)
        thresholds = fused_thresholds(chain, lo, hi, channels, flipped, complemented)
        if np.any(flipped):
            negate_rows(layer, flipped, rewriter)  # type: ignore[arg-type]
        for consumer, columns in consumers:
            negate_columns(consumer, columns, rewriter)
        _, offset = output_levels(op)
        fused = bnn.ThresholdOp.build(
            operands=[chain.source],
            result_types=[op.results[0].type],
            properties={
                "thresholds": dense_i64(thresholds),
                "offset": IntegerAttr(offset, i64),
                "axis": IntegerAttr(chain.axis, i64),
            },
        )
        rewriter.replace(op, fused)
        for chain_op in reversed(chain.ops):
            rewriter.erase(chain_op)


def complementable(activation: Operation) -> bool:
    """Bits, or n-bit codes whose range is symmetric about 0 (−code stays in it)."""
    if bnn.is_bipolar(bnn.element_type(activation.results[0].type)):
        return True
    levels, lowest = output_levels(activation)
    return lowest == -levels[-1]


def can_negate_rows(chain: Chain) -> bool:
    """The chain starts at a layer's accumulators that nothing else reads."""
    layer = chain.source.owner
    return (
        isinstance(layer, bnn.DenseOp | bnn.Conv2dOp | bnn.DepthwiseConv2dOp)
        and chain.source.has_one_use()
        and chain.axis == 1
        and layer.popcount is None
    )


def consumer_columns(
    value: SSAValue, channels: np.ndarray
) -> list[tuple[bnn.DenseOp | bnn.Conv2dOp, np.ndarray]]:
    """The layers reading `value` and the weight columns fed by the given channels, or [].

    Columns of a dense layer are its input features (after a flattening reshape of NCHW, channel
    c feeds c·H·W .. (c+1)·H·W − 1); columns of a conv are (ky, kx, c), so channel c feeds every
    column ≡ c modulo C. A padded conv does not qualify: its padding value would have to flip
    for complemented channels only. Nor does a depthwise conv (channel c feeds row c, not
    columns): not needed by the networks bnnc imports, where no max-pool precedes one.
    """
    found = []
    for use in value.uses:
        user = use.operation
        spatial = 1
        if isinstance(user, bnn.ReshapeOp) and len(bnn.shape_of(user.output.type)) == 2:
            spatial = int(np.prod(bnn.shape_of(value.type)[2:]))
            users = [u.operation for u in user.output.uses]
            if len(users) != 1 or not isinstance(users[0], bnn.DenseOp):
                return []
            user = users[0]
        if isinstance(user, bnn.DenseOp):
            columns = np.repeat(channels, spatial)
        elif isinstance(user, bnn.Conv2dOp) and not any(bnn.array_values(user.pads)):
            kh, kw = bnn.array_values(user.kernel)
            columns = np.tile(channels, kh * kw)
        else:
            return []
        if user.popcount is not None:
            return []
        found.append((user, columns))
    return found


def negate_columns(layer: bnn.DenseOp | bnn.Conv2dOp, columns: np.ndarray, rewriter: PatternRewriter) -> None:
    """Negate the weights that read some inputs (the complemented channels of the layer before)."""
    values = layer.weight_matrix(layer.reduction)
    values[:, columns] = -values[:, columns]
    _store_weights(layer, values, rewriter)


def negate_rows(layer: bnn.DenseOp | bnn.Conv2dOp | bnn.DepthwiseConv2dOp, rows: np.ndarray,
                rewriter: PatternRewriter) -> None:
    """Negate the weights of some output channels (of a depthwise layer: of those channels'
    kernels)."""
    values = layer.weight_matrix(layer.reduction)
    values[rows] = -values[rows]
    _store_weights(layer, values, rewriter)


def _store_weights(layer: bnn.DenseOp | bnn.Conv2dOp | bnn.DepthwiseConv2dOp, values: np.ndarray, rewriter: PatternRewriter) -> None:
    """Store ±1 or integer weight values; a negated −2^(b−1) needs one bit more."""
    weight_type = layer.weight_type
    bits = bnn.bit_width(weight_type)
    if bnn.is_bipolar(weight_type):
        codes = (values > 0).astype(np.int64)
    else:
        if values.max() > (1 << (bits - 1)) - 1:
            bits += 1
            weight_type = IntegerType(bits, Signedness.SIGNED)
        codes = values
    layer.weights = pack_rows(codes, bits)
    layer.weight_type = weight_type
    rewriter.notify_op_modified(layer)


@dataclass(frozen=True)
class ThresholdFusionPass(ModulePass):
    """Fuse per-channel real maps and an activation on integer accumulators into thresholds."""

    name = "threshold-fusion"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        PatternRewriteWalker(
            GreedyRewritePatternApplier([FuseThreshold()], dce_enabled=False),
            apply_recursively=False,
        ).rewrite_module(op)
