"""`df.fifo`, a FIFO on a stream: everything about it."""

from __future__ import annotations

from xdsl.dialects.builtin import IntegerAttr, StringAttr
from xdsl.ir import Attribute
from xdsl.irdl import (
    ParsePropInAttrDict,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    result_def,
    traits_def,
)
from xdsl.traits import Pure

from bnnc.dialects.df.types import StreamType
from bnnc.dialects.df.checks import _stream, _int, _expect
from bnnc.dialects.df.engine import EngineOp


@irdl_op_definition
class FifoOp(EngineOp):
    """A FIFO on a stream; `depth` (words) stays unset until `size-fifos` runs."""

    name = "df.fifo"
    input = operand_def(StreamType)
    output = result_def(StreamType)
    depth = opt_prop_def(IntegerAttr)
    layer = opt_prop_def(StringAttr)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def verify_(self) -> None:
        _expect(self.input.type == self.output.type, "a FIFO keeps its stream type")
        if self.depth is not None:
            _expect(_int(self.depth) >= 1, "a FIFO depth must be positive")

    def input_type(self, element: Attribute) -> StreamType:
        return _stream(self.input)

    def output_type(self, element: Attribute) -> StreamType:
        return _stream(self.input)
