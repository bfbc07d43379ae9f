"""`df.pool`, the streaming max-pool: everything about the engine."""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import DenseArrayBase, IntegerAttr, StringAttr
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

from bnnc.dialects.bnn import array_values
from bnnc.dialects.df.types import StreamType, stream_type
from bnnc.dialects.df.checks import _stream, _int, _expect, _check_stream, _values
from bnnc.dialects.df.engine import EngineOp


@irdl_op_definition
class PoolOp(EngineOp):
    """Max-pool of an NHWC stream (an OR of bits on bipolar data), PE channels per word."""

    name = "df.pool"
    input = operand_def(StreamType)
    output = result_def(StreamType)
    channels = prop_def(IntegerAttr)
    ifm = prop_def(DenseArrayBase)
    ofm = prop_def(DenseArrayBase)
    kernel = prop_def(DenseArrayBase)
    strides = prop_def(DenseArrayBase)
    pe = prop_def(IntegerAttr)
    layer = opt_prop_def(StringAttr)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    FOLD_PARAMETERS: ClassVar[tuple[str, ...]] = ("pe",)

    def verify_(self) -> None:
        (ih, iw), (oh, ow) = _values(self.ifm, 2, "ifm"), _values(self.ofm, 2, "ofm")
        (kh, kw), (sh, sw) = _values(self.kernel, 2, "kernel"), _values(self.strides, 2, "strides")
        _expect(min(kh, kw, sh, sw) >= 1, "kernel and strides must be positive")
        _expect(kh <= ih and kw <= iw, f"a {kh}x{kw} window does not fit a {ih}x{iw} input")
        expected = ((ih - kh) // sh + 1, (iw - kw) // sw + 1)
        _expect((oh, ow) == expected, f"output {oh}x{ow} does not match the pool, expected {expected[0]}x{expected[1]}")
        self.verify_fold()
        in_s, out_s = _stream(self.input), _stream(self.output)
        _check_stream("the input stream", in_s, self.input_type(in_s.element))
        _check_stream("the output stream", out_s, self.output_type(in_s.element))

    def fold_extents(self) -> dict[str, tuple[int, str]]:
        c = _int(self.channels)
        return {"pe": (c, f"{c} channels are")}

    def input_type(self, element: Attribute) -> StreamType:
        ih, iw = array_values(self.ifm)
        return stream_type(element, _int(self.pe), ih * iw * _int(self.channels) // _int(self.pe))

    def output_type(self, element: Attribute) -> StreamType:
        oh, ow = array_values(self.ofm)
        return stream_type(element, _int(self.pe), oh * ow * _int(self.channels) // _int(self.pe))
