"""`df.label_select`, the top-k unit: everything about the engine."""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import IntegerAttr, StringAttr
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

from bnnc.dialects.bnn import integer_range, is_integer
from bnnc.dialects.df.types import StreamType, stream_type
from bnnc.dialects.df.checks import _stream, _int, _expect
from bnnc.dialects.df.engine import EngineOp


@irdl_op_definition
class LabelSelectOp(EngineOp):
    """The indices of the k largest of `classes` scores (ties: the lower index), one per word."""

    name = "df.label_select"
    input = operand_def(StreamType)
    output = result_def(StreamType)
    classes = prop_def(IntegerAttr)
    k = prop_def(IntegerAttr)
    pe = prop_def(IntegerAttr)
    layer = opt_prop_def(StringAttr)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    FOLD_PARAMETERS: ClassVar[tuple[str, ...]] = ("pe",)

    def verify_(self) -> None:
        classes, k = _int(self.classes), _int(self.k)
        self.verify_fold()
        _expect(1 <= k <= classes, f"k = {k} must be between 1 and {classes}")
        self.verify_streams()
        _expect(is_integer(_stream(self.input).element), "label select needs integer scores")
        out = _stream(self.output)
        _expect(
            is_integer(out.element) and integer_range(out.element)[1] >= classes - 1,  # type: ignore[arg-type]
            f"{out.element} cannot hold class indices up to {classes - 1}",
        )

    def fold_extents(self) -> dict[str, tuple[int, str]]:
        classes = _int(self.classes)
        return {"pe": (classes, f"{classes} classes are")}

    def input_type(self, element: Attribute) -> StreamType:
        return stream_type(element, _int(self.pe), _int(self.classes) // _int(self.pe))

    def output_type(self, element: Attribute) -> StreamType:
        return stream_type(element, 1, _int(self.k))
