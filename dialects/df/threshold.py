"""`df.threshold`, the standalone multi-threshold unit: everything about the engine."""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    IntegerAttr,
    IntegerType,
    StringAttr,
    i64,
)
from xdsl.ir import Attribute
from xdsl.irdl import (
    ParsePropInAttrDict,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.traits import Pure

from bnnc.dialects.bnn import (
    bit_width,
    dense_values,
    is_integer,
    is_signed_integer,
    signed_bits,
    value_range,
)
from bnnc.dialects.df.types import StreamType, stream_type
from bnnc.dialects.df.checks import _stream, _int, _expect, _check_thresholds
from bnnc.dialects.df.engine import EngineOp


@irdl_op_definition
class ThresholdOp(EngineOp):
    """A standalone multi-threshold unit on `pixels` pixels of `channels` values, PE per word."""

    name = "df.threshold"
    input = operand_def(StreamType)
    output = result_def(StreamType)
    channels = prop_def(IntegerAttr)
    pixels = prop_def(IntegerAttr, default_value=IntegerAttr(1, i64))
    pe = prop_def(IntegerAttr)
    thresholds = prop_def(DenseIntOrFPElementsAttr)
    offset = prop_def(IntegerAttr, default_value=IntegerAttr(0, i64))
    layer = opt_prop_def(StringAttr)
    compare_type = opt_prop_def(IntegerType)
    """The type inputs and thresholds are compared in, chosen by `prepare-for-emission`."""
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input `by` $thresholds attr-dict `:` type($input) `->` type($output)"

    FOLD_PARAMETERS: ClassVar[tuple[str, ...]] = ("pe",)

    def verify_(self) -> None:
        self.verify_fold()
        self.verify_streams()
        _expect(is_integer(_stream(self.input).element), "a threshold unit reads integers")
        _check_thresholds(self.thresholds, _int(self.channels), _stream(self.output).element, _int(self.offset))
        if self.compare_type is not None:
            lo, hi = value_range(_stream(self.input).element)
            _expect(is_signed_integer(self.compare_type) and signed_bits(lo, hi + 1) <= bit_width(self.compare_type),
                    f"compare_type {self.compare_type} does not hold the inputs' range [{lo}, {hi + 1}]")

    def fold_extents(self) -> dict[str, tuple[int, str]]:
        c = _int(self.channels)
        return {"pe": (c, f"{c} channels are")}

    def input_type(self, element: Attribute) -> StreamType:
        return stream_type(element, _int(self.pe), _int(self.pixels) * _int(self.channels) // _int(self.pe))

    def output_type(self, element: Attribute) -> StreamType:
        return self.input_type(element)

    def memories(self) -> dict[str, object]:
        return {"thresholds": dense_values(self.thresholds)}
