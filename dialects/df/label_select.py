"""`df.label_select`, the top-k unit: everything about the engine."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

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

from bnnc.devices import Device
from bnnc.dialects.bnn import bit_width, integer_range, is_integer
from bnnc.dialects.df.checks import _stream, _int, _expect
from bnnc.dialects.df.emission import HlsInstance, HlsTemplate, VerilogInstance, element_kind, int_arg, type_bits
from bnnc.dialects.df.engine import EngineOp, stream_numbers
from bnnc.dialects.df.resources import ENGINE_BASE_FF, Cost, FabricTable, ceil
from bnnc.dialects.df.types import StreamType, stream_type
from bnnc.semantics.schedules import WordPlan, repeat_frames


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
    HLS_TEMPLATES: ClassVar[dict[str, HlsTemplate]] = {
        "label_select": HlsTemplate(("InT", "OutT", "CLASSES", "PE", "K"),
                                    lambda a: [int_arg(a, "PE") * type_bits(a, "InT"), type_bits(a, "OutT")]),
    }

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

    # ----------------------------------------------------------------------------------------
    # Cycles, resources and the word schedule

    def cycles(self) -> int:
        """One input word a cycle, classes/PE; the k indices leave while the next frame
        streams in."""
        return _int(self.classes) // _int(self.pe)

    def cost(self, device: Device, fabric: FabricTable) -> Cost:
        """Top-k of `classes` scores of b bits, PE scores a word. Cycles: `cycles`.

        LUT (Yosys): the family's `label_select_base_lut` + `label_select_lut_per_entry_bit`·PE·k·
        (b + 1 + index bits): each of the PE scores of a word is ranked against each of the k
        entries of the list (a comparator) and each entry selects between staying, shifting and
        taking the score (a select), one LUT per bit each on 7-series (110 / 720 against Yosys' 111 /
        783). FF (estimate): the top-k list and one input word plus ENGINE_BASE_FF.
        """
        classes, k, pe = _int(self.classes), _int(self.k), _int(self.pe)
        entry = bit_width(_stream(self.input).element) + (classes - 1).bit_length()
        per_entry_bit = fabric.label_select_lut_per_entry_bit
        lut = ceil(fabric.label_select_base_lut + per_entry_bit * pe * k * (entry + 1))
        ff = ENGINE_BASE_FF + k * entry + _stream(self.input).width
        return Cost(self.cycles(), lut, ff, 0, 0)

    def word_plan(self, frames: int) -> WordPlan:
        """Reads a frame's words one a cycle, the last one only once the previous frame's K
        indices have all left; the indices leave one a cycle from the cycle after the last read."""
        in_words, k = _stream(self.input).words.data, _stream(self.output).words.data
        need = repeat_frames(np.full(k, in_words - 1), frames, in_words)
        last = np.arange(in_words * frames) % in_words == in_words - 1
        guard = np.where(last, np.arange(in_words * frames) // in_words * k - 1, -1)
        return WordPlan(need, 1, guard, 1)

    # ----------------------------------------------------------------------------------------
    # Semantics

    def execute(self, x: np.ndarray) -> np.ndarray:
        """The indices of the k largest scores, the lower index first among equals, one a word."""
        scores = stream_numbers(x.reshape(x.shape[0], _int(self.classes)), _stream(self.input))
        order = np.argsort(-scores, axis=1, kind="stable")  # ties: the lower index first
        return order[:, : _int(self.k)].astype(np.int64)[:, :, None]

    # ----------------------------------------------------------------------------------------
    # Emission

    def hls_instance(self) -> HlsInstance:
        args: dict[str, Attribute | int] = {
            "InT": _stream(self.input).element, "OutT": _stream(self.output).element,
            "CLASSES": _int(self.classes), "PE": _int(self.pe), "K": _int(self.k),
        }
        return HlsInstance("label_select", "label_select", args)

    def verilog_instance(self, name: str) -> VerilogInstance:
        element = _stream(self.input).element
        params: dict[str, int | str] = {
            "PE": _int(self.pe), "CLASSES": _int(self.classes), "K": _int(self.k), "BITS": bit_width(element),
            "KIND": element_kind(element), "OUT_BITS": bit_width(_stream(self.output).element),
        }
        return VerilogInstance("bnnc_label_select", params)
