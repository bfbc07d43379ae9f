"""Activation chains of the `bnn` executor: affine and batch-norm ops (and reshapes between them)
ending in `bnn.sign` or an n-bit `bnn.quantize`, evaluated as comparisons.

An imported model binarizes its input as `sign(x·2 − 1)` and each hidden layer as
`sign(batchnorm(acc))` (n-bit: `quantize(batchnorm(acc))`): double-precision arithmetic on
every element only to keep its sign or its few levels. Per element the chain is a monotone
function of its input, so each level is reached at one input value, found at load by bisection
over the input's values, evaluating the chain exactly as the executor does
(`bnn.evaluate_elementwise`). Counting the levels reached gives the same codes as the
arithmetic on every input, not an approximation of it (the derivation: `chain_thresholds`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.dialects.builtin import IntegerType, ModuleOp
from xdsl.ir import Attribute, Operation, SSAValue

from bnnc.dialects import bnn
from bnnc.semantics.arithmetic import channel_broadcast

FLOAT_KEYS = (-0x7FF0000000000000, 0x7FF0000000000000)
"""−inf and +inf as ordered keys of float64 (`_float_of_key`): every float between them, NaN
excluded, is one key, in the order of the floats."""
RANDOM_PROBES = 16
"""Random inputs per element a folded chain is checked on at load, besides its thresholds'
neighbours."""
MAX_STEPS = 15
"""Quantizers of up to 16 levels (4 bits) are folded: one comparison a level costs less than
the arithmetic up to about there; wider ones keep the arithmetic."""
CHAIN_OPS = (bnn.AffineOp, bnn.BatchNormOp, bnn.ReshapeOp)
ENDS = (bnn.SignOp, bnn.QuantizeOp)


@dataclass
class ActivationChain:
    """`code = lowest + Σₖ [(x ≥ at_least[k]) | (x ≤ at_most[k])]` per element of the chain's
    input x (the arrays, steps × one image, broadcast over the image): an element where the
    chain increases has `at_most` = never, one where it decreases `at_least` = never (NaN for
    reals, a value outside the input type's range for integers). A sign's code is its bit
    (uint8, lowest 0, one step), a quantizer's an int64. Codes come out in `out_shape` (one
    image), the last op's shape."""

    in_shape: tuple[int, ...]
    out_shape: tuple[int, ...]
    lowest: int
    bits: bool
    at_least: np.ndarray
    at_most: np.ndarray
    at_least32: np.ndarray | None  # the same comparisons on float32 inputs, without a cast
    at_most32: np.ndarray | None
    increasing_only: bool
    decreasing_only: bool

    def codes(self, x: np.ndarray) -> np.ndarray:
        n = x.shape[0]
        x = x.reshape((n,) + self.in_shape)  # undo the chain's reshapes, which passed x on
        return self.compare(x).reshape((n,) + self.out_shape)

    def compare(self, x: np.ndarray) -> np.ndarray:
        """The codes on x in (a shape broadcasting with) the chain's input shape."""
        if x.dtype == np.float32 and self.at_least32 is not None:
            at_least, at_most = self.at_least32, self.at_most32
        else:
            at_least, at_most = self.at_least, self.at_most
        if self.bits:
            return self._reached(x, at_least[0], at_most[0]).view(np.uint8)
        reached = self._reached(x, at_least[0], at_most[0]).view(np.uint8)  # steps ≤ MAX_STEPS
        for step in range(1, at_least.shape[0]):
            reached += self._reached(x, at_least[step], at_most[step])
        codes = reached.astype(np.int64)
        codes += self.lowest
        return codes

    def _reached(self, x: np.ndarray, at_least: np.ndarray, at_most: np.ndarray) -> np.ndarray:
        if self.increasing_only:
            return x >= at_least
        if self.decreasing_only:
            return x <= at_most
        return (x >= at_least) | (x <= at_most)


def _float_of_key(keys: np.ndarray) -> np.ndarray:
    """Ordered int64 keys → float64: a key k ≥ 0 is the float whose bits are k, a key k < 0 the
    float −(that of −k), so that k < k' ⇔ float(k) < float(k') (+0 and −0 are both key 0)."""
    magnitude = np.abs(keys).view(np.float64)
    return np.where(keys < 0, -magnitude, magnitude)


def _first_true(predicate, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Per element, the least key k in [lo, hi] where the non-decreasing `predicate(keys)` holds,
    or hi + 1 where it holds nowhere."""
    lo, hi = lo.copy(), hi + 1  # invariant: predicate false below lo, true at hi (or hi is past)
    while np.any(lo < hi):
        mid = (lo >> 1) + (hi >> 1) + (lo & hi & 1)  # ⌊(lo + hi)/2⌋; lo + hi may overflow
        holds = predicate(mid)
        open_ = lo < hi
        lo, hi = np.where(open_ & ~holds, mid + 1, lo), np.where(open_ & holds, mid, hi)
    return lo


def _param_sizes(op: Operation) -> list[int]:
    if not isinstance(op, (bnn.AffineOp, bnn.BatchNormOp)):
        return []
    names = ("scale", "bias") if isinstance(op, bnn.AffineOp) else ("gamma", "beta", "mean", "var")
    return [bnn.dense_values(getattr(op, name)).shape[0] for name in names]


def _per_element(op: Operation, names: tuple[str, ...], shape: tuple[int, ...]) -> list[np.ndarray]:
    """The op's per-channel parameters as float64, one per element of `shape`: an image of the
    chain's input (batch dimension 1), reshaped in C order as the chain's reshapes do, or, in a
    chain without reshapes, its axes the parameters vary along (`_domain`)."""
    op_shape = (1,) + bnn.shape_of(op.operands[0].type)[1:]
    if len(op_shape) == len(shape) and all(s in (1, o) for s, o in zip(shape, op_shape)):
        op_shape = shape
    axis = op.axis.value.data
    return [np.broadcast_to(channel_broadcast(bnn.dense_values(getattr(op, name)).astype(np.float64),
                                              len(op_shape), axis), op_shape).reshape(shape)
            for name in names]


def _domain(chain: list[Operation], input_type: Attribute) -> tuple[int, ...]:
    """The shape the thresholds are computed on: an image of the chain's input, where a chain
    without reshapes keeps only the axes its parameters vary along (a convolution's channels,
    not its pixels: the bisection then costs per channel)."""
    shape = (1,) + bnn.shape_of(input_type)[1:]
    if any(isinstance(op, bnn.ReshapeOp) for op in chain):
        return shape
    varying = {op.axis.value.data for op in chain for n in _param_sizes(op) if n > 1}
    return tuple(size if axis in varying else 1 for axis, size in enumerate(shape))


def _chain_direction(chain: list[Operation], shape: tuple[int, ...]) -> np.ndarray | None:
    """+1 or −1 per element: the sign of the chain's slope; None if a slope is zero or a parameter
    not finite anywhere (then the chain is not a comparison, or not one this module proves)."""
    direction = np.ones(shape)
    for op in chain:
        if isinstance(op, bnn.AffineOp):
            slope, bias = _per_element(op, ("scale", "bias"), shape)
            params = [slope, bias]
        elif isinstance(op, bnn.BatchNormOp):
            slope, beta, mean, var = _per_element(op, ("gamma", "beta", "mean", "var"), shape)
            spread = var + op.epsilon.value.data
            params = [slope, beta, mean, spread]
            if not np.all(spread > 0):
                return None
        else:
            continue  # a reshape; the quantizer's scale is positive (its verifier)
        if not all(np.all(np.isfinite(p)) for p in params) or np.any(slope == 0):
            return None
        direction = direction * np.sign(slope)
    return direction


def _evaluate(chain: list[Operation], x: np.ndarray) -> np.ndarray:
    """The chain as the executor evaluates it, on a batch x of its input, in its input's shape."""
    n, shape = x.shape[0], x.shape
    for op in chain:
        if isinstance(op, bnn.ReshapeOp):
            x = x.reshape((n,) + bnn.shape_of(op.output.type)[1:])
        else:
            x = bnn.evaluate_elementwise(op, x)
    return x.reshape(shape)


def _levels(end: Operation) -> tuple[int, int]:
    """The lowest code of the chain's last op and its steps (codes above the lowest)."""
    if isinstance(end, bnn.SignOp):
        return 0, 1
    return end.lo.value.data, end.hi.value.data - end.lo.value.data


def chain_thresholds(chain: list[Operation], input_type: Attribute) -> ActivationChain | None:
    """The comparisons that give the codes of `chain(x)`, or None when none are proven.

    Each step of the chain — `x·s + b`, `(x − μ)/σ·γ + β` in float64, the conversion of an
    integer input to float64, a reshape, and at the end the sign `v ≥ 0` or the quantizer
    `clamp(round(v/scale + zp), lo, hi)` (scale > 0) — is a correctly rounded operation with one
    varying operand (or none), or a non-decreasing rounding, so it is monotone in that operand:
    non-decreasing, or non-increasing when s (γ) is negative; σ > 0. Their composition, per
    element, is monotone with the sign of the product of the slopes, so for each code c above
    the lowest, {x : code(x) ≥ c} is the set of inputs at least t_c (increasing) or at most h_c
    (decreasing), and code(x) = lowest + #{c : x reaches c}. t_c is the least input value whose
    code is ≥ c (h_c the greatest), found by bisection over the input's values in order:
    integers in the input type's range, or every float64 from −inf to +inf as ordered keys. A
    NaN input reaches no code: a sign gives bit 0, as the arithmetic does (NaN ≥ 0 is false); a
    quantizer gives its lowest code, where the arithmetic casts NaN to an integer (undefined).
    A code no input reaches gets NaN (reals) or a value past the type's range (integers). On
    float32 inputs, x ≥ t ⇔ x ≥ t₃₂ with t₃₂ the least float32 ≥ t (h₃₂ the greatest ≤ h).
    Thresholds equal along an axis are stored once on it.
    """
    lowest, steps = _levels(chain[-1])
    shape = _domain(chain, input_type)
    direction = _chain_direction(chain, shape)
    if direction is None or steps > MAX_STEPS:
        return None
    element = bnn.element_type(input_type)
    integral = isinstance(element, IntegerType)
    if integral:
        if element.width.data > 62:
            return None
        lo_value, hi_value = bnn.integer_range(element)
    else:
        lo_value, hi_value = FLOAT_KEYS
    grid = (steps,) + shape[1:]  # one row a code above the lowest
    lo = np.full(grid, lo_value, dtype=np.int64)
    hi = np.full(grid, hi_value, dtype=np.int64)
    values = (lambda keys: keys) if integral else _float_of_key
    increasing = np.broadcast_to(direction > 0, grid)
    code = (lowest + 1 + np.arange(steps)).reshape((steps,) + (1,) * (len(shape) - 1))

    def rising(keys: np.ndarray) -> np.ndarray:
        """code(x) ≥ c where the chain increases, code(x) < c where it decreases."""
        reached = _evaluate(chain, values(keys)) >= code
        return np.where(increasing, reached, ~reached)

    first = _first_true(rising, lo, hi)
    at_least_key = np.where(increasing, first, hi + 1)
    at_most_key = np.where(increasing, lo - 1, first - 1)
    if integral:
        at_least, at_most, at_least32, at_most32 = at_least_key, at_most_key, None, None
    else:
        at_least = np.where(at_least_key > hi, np.nan, _float_of_key(np.minimum(at_least_key, hi)))
        at_most = np.where(at_most_key < lo, np.nan, _float_of_key(np.maximum(at_most_key, lo)))
        at_least32, at_most32 = at_least.astype(np.float32), at_most.astype(np.float32)
        at_least32 = np.where(at_least32 < at_least,
                              np.nextafter(at_least32, np.float32(np.inf)), at_least32)
        at_most32 = np.where(at_most32 > at_most,
                             np.nextafter(at_most32, np.float32(-np.inf)), at_most32)
    arrays = [a for a in (at_least, at_most, at_least32, at_most32) if a is not None]
    for axis in range(1, len(shape)):  # store once along the axes where all are equal
        if all(np.array_equal(a, a.take([0], axis=axis).repeat(a.shape[axis], axis=axis),
                              equal_nan=not integral) for a in arrays):
            arrays = [a.take([0], axis=axis) for a in arrays]
    if integral:
        arrays += [None, None]
    folded = ActivationChain(
        bnn.shape_of(input_type)[1:], bnn.shape_of(chain[-1].results[0].type)[1:], lowest,
        isinstance(chain[-1], bnn.SignOp), *arrays, bool(np.all(increasing)),
        bool(not np.any(increasing)))
    keys = (at_least_key, at_most_key)
    return folded if _agrees(folded, chain, keys, integral, lo, hi) else None


def _agrees(folded: ActivationChain, chain: list[Operation], threshold_keys: tuple[np.ndarray, ...],
            integral: bool, lo: np.ndarray, hi: np.ndarray) -> bool:
    """The comparisons and the arithmetic on each threshold's neighbours and on random inputs:
    a check of the proof's premises (a step this module does not know would show here)."""
    offsets = np.arange(-2, 3).reshape((-1,) + (1,) * (lo.ndim - 1))
    lo, hi = lo[:1], hi[:1]
    keys = [np.clip(k[step : step + 1] + offsets, lo, hi)
            for k in threshold_keys for step in range(k.shape[0])]
    rng = np.random.default_rng(0)
    keys.append(rng.integers(lo, hi, size=(RANDOM_PROBES,) + lo.shape[1:], endpoint=True))
    keys = np.concatenate(keys)
    x = keys if integral else np.concatenate(
        [_float_of_key(keys), rng.standard_normal(keys.shape) * 4])
    if not np.array_equal(folded.compare(x), _evaluate(chain, x)):
        return False
    x32 = x.astype(np.float32)
    return integral or np.array_equal(folded.compare(x32), _evaluate(chain, x32.astype(np.float64)))


def _single_user(value: SSAValue) -> Operation | None:
    uses = list(value.uses)
    return uses[0].operation if len(uses) == 1 else None


def find_activation_chains(module: ModuleOp) -> dict[Operation, ActivationChain | None]:
    """Every foldable chain: its last op (sign or quantize) → its comparisons, and each of its
    other ops → None (they pass their input on; the last op compares it). A chain is the affine,
    batch-norm and reshape ops before a sign or quantizer, each result used once, by the next,
    with one affine or batch norm at least; its input real or integer."""
    plan: dict[Operation, ActivationChain | None] = {}
    for end in module.walk():
        if not isinstance(end, ENDS):
            continue
        chain: list[Operation] = [end]
        value = end.operands[0]
        while isinstance(value.owner, CHAIN_OPS) and _single_user(value) is chain[0]:
            chain.insert(0, value.owner)
            value = value.owner.operands[0]
        while isinstance(chain[0], bnn.ReshapeOp):  # leading reshapes stay reshapes
            value = chain.pop(0).output
        if not any(isinstance(op, (bnn.AffineOp, bnn.BatchNormOp)) for op in chain):
            continue
        if bnn.is_bipolar(bnn.element_type(value.type)):
            continue
        with np.errstate(all="ignore"):  # the bisection visits ±inf and the floats near them
            folded = chain_thresholds(chain, value.type)
        if folded is None:
            continue
        plan.update({op: None for op in chain})
        plan[end] = folded
    return plan


def float32_input_suffices(entry_arg: SSAValue,
                           plan: dict[Operation, ActivationChain | None]) -> bool:
    """Whether the entry's real input may stay float32: every use, through reshapes and
    transposes, is the head of a folded chain, which compares float32 exactly
    (`chain_thresholds`)."""
    pending = [entry_arg]
    while pending:
        for use in pending.pop().uses:
            user = use.operation
            if isinstance(user, (bnn.ReshapeOp, bnn.TransposeOp)) and user not in plan:
                pending.append(user.results[0])
            elif not (user in plan and plan[user] is None):
                return False
    return True
