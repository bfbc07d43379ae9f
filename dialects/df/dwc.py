"""`df.dwc`, the data-width converter: everything about the engine."""

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
class DwcOp(EngineOp):
    """Data-width converter: the same elements regrouped from one word width to another.

    Between multi-pixel streams it also regroups pixels, for which it needs the frame's `pixels`.
    """

    name = "df.dwc"
    input = operand_def(StreamType)
    output = result_def(StreamType)
    pixels = opt_prop_def(IntegerAttr)
    layer = opt_prop_def(StringAttr)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def verify_(self) -> None:
        in_s, out_s = _stream(self.input), _stream(self.output)
        _expect(in_s.element == out_s.element, "a width converter keeps the element type")
        _expect(in_s.elements == out_s.elements, "a width converter keeps the elements per frame")
        if in_s.mmv.data > 1 or out_s.mmv.data > 1:
            _expect(self.pixels is not None, "a width converter of multi-pixel streams needs `pixels`")
            pixels = _int(self.pixels)  # type: ignore[arg-type]
            _expect(pixels >= 1 and in_s.elements % pixels == 0, f"{pixels} pixels do not divide the frame")
            vector = in_s.elements // pixels
            for s in (in_s, out_s):
                lanes = s.lanes.data // s.mmv.data
                _expect(
                    pixels % s.mmv.data == 0 and vector % lanes == 0,
                    f"{s} does not split a frame of {pixels} pixels of {vector} elements",
                )

    def input_type(self, element: Attribute) -> StreamType:
        return _stream(self.input)

    def output_type(self, element: Attribute) -> StreamType:
        return _stream(self.output)
