"""What the `df` verifiers share: reading properties and streams, and the checks of weights and
thresholds."""

from __future__ import annotations

from functools import cache

from xdsl.dialects.builtin import (
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    IntegerAttr,
    IntegerType,
    i64,
)
from xdsl.ir import Attribute
from xdsl.utils.exceptions import VerifyException

from bnnc.dialects.bnn import (
    array_values,
    bit_width,
    dense_values,
    integer_range,
    is_bipolar,
    is_integer,
)
from bnnc.dialects.df.types import StreamType
from bnnc.semantics.packing import words_per_row


def _stream(value) -> StreamType:
    assert isinstance(value.type, StreamType)
    return value.type


def _int(attr: IntegerAttr) -> int:
    return attr.value.data


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise VerifyException(message)


def _check_stream(what: str, stream: StreamType, expected: StreamType) -> None:
    _expect(stream.mmv.data == expected.mmv.data,
            f"{what} carries {stream.mmv.data} pixels per word, expected {expected.mmv.data}")
    _expect(stream.element == expected.element, f"{what} carries {stream.element}, expected {expected.element}")
    _expect(
        stream.lanes.data == expected.lanes.data,
        f"{what} has {stream.lanes.data} lanes, expected {expected.lanes.data} for this folding",
    )
    _expect(
        stream.words.data == expected.words.data,
        f"{what} has {stream.words.data} words per frame, expected {expected.words.data}",
    )


def _values(attr: DenseArrayBase, count: int, what: str) -> tuple[int, ...]:
    values = array_values(attr)
    _expect(len(values) == count, f"'{what}' must have {count} values, got {list(values)}")
    return values


def _check_weights(weights: DenseIntOrFPElementsAttr, weight_type: Attribute, rows: int, cols: int) -> None:
    _expect(
        is_bipolar(weight_type) or (is_integer(weight_type) and not _unsigned(weight_type) and bit_width(weight_type) >= 2),
        f"weights must be bipolar or signed integers of 2 bits or more, got {weight_type}",
    )
    packed = weights.get_element_type()
    _expect(
        isinstance(packed, IntegerType) and packed.width.data == 64,
        f"packed weights must be 64-bit words (ui64), got {packed}",
    )
    expected = [rows, words_per_row(cols, bit_width(weight_type))]
    _expect(
        list(weights.get_shape()) == expected,
        f"packed weights have shape {list(weights.get_shape())}, expected {expected} for {rows}x{cols} weights",
    )


def _unsigned(t: Attribute) -> bool:
    return isinstance(t, IntegerType) and t.signedness.data.name == "UNSIGNED"


def _check_thresholds(thresholds: DenseIntOrFPElementsAttr, channels: int, output: Attribute, offset: int) -> None:
    shape = thresholds.get_shape()
    _expect(
        len(shape) == 2 and shape[0] in (1, channels),
        f"thresholds must be ({channels} or 1, steps), got {list(shape)}",
    )
    _expect(isinstance(thresholds.get_element_type(), IntegerType), "thresholds must be integers")
    values = dense_values(thresholds)
    _expect(bool((values[:, 1:] >= values[:, :-1]).all()), "thresholds must be sorted ascending in each channel")
    steps = shape[1]
    if is_bipolar(output):
        _expect(steps == 1 and offset == 0, "a bipolar output needs one threshold per channel and offset 0")
    else:
        lo, hi = integer_range(output)  # type: ignore[arg-type]
        _expect(lo <= offset and offset + steps <= hi, f"outputs {offset}..{offset + steps} do not fit {output}")


def _detached_value(stream: Attribute):
    from xdsl.ir import Block

    return Block(arg_types=[stream]).args[0]


@cache
def _i64(value: int) -> IntegerAttr:
    return IntegerAttr(value, i64)  # building (and verifying) attributes is most of a probe's time
