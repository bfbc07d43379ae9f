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
from bnnc.dialects.df.resources import Cost, FabricTable, ceil
from bnnc.dialects.df.types import StreamType, stream_type
from bnnc.semantics.schedules import WordPlan, repeat_frames


# The merge of the lanes' lists, LUTs per bit of its entries: the select and half a comparator
# (2026-12-08, label-select-100-top5-pe4: 2,618 LUT in Yosys, 720 of them the lanes' term).
LABEL_SELECT_MERGE_LUT_PER_BIT = 1.2


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

    def merge_stages(self) -> int:
        """Register stages of `bnnc_label_select`'s merge of its PE lane lists: ⌈log2 PE⌉ levels of
        pairwise bitonic merges of lists padded to 2^⌈log2 k⌉ entries, each level a max layer and
        ⌈log2 k⌉ half-cleaner layers, one stage a layer (0 for PE = 1: one lane, nothing to merge)."""
        pe, k = _int(self.pe), _int(self.k)
        return (pe - 1).bit_length() * (1 + (k - 1).bit_length())

    def pipeline_depth(self) -> int:
        """Cycles from a frame's last input word to its first index in `bnnc_label_select`: the
        lanes' register, the merge's stages (`merge_stages`) and the output register."""
        return 2 + self.merge_stages()

    def frames_held(self) -> int:
        """Frames `bnnc_label_select` holds between a frame's last word and its last index (in the
        merge, the queue and the output register): a frame takes D + k cycles from its last word
        to its last index (D = `pipeline_depth`) and the unit takes one frame per
        P = max(classes/PE, k) cycles (its reads, its indices), so ⌈(D + k)/P⌉ frames keep that pace."""
        k = _int(self.k)
        pace = max(_int(self.classes) // _int(self.pe), k)
        return -(-(self.pipeline_depth() + k) // pace)

    def merge_entries(self) -> int:
        """List entries in the registers of `bnnc_label_select`'s merge stages that hold a score
        (the others are constant and vanish in synthesis): the PE lane lists of k entries, padded
        to 2^⌈log2 PE⌉ lists of KP = 2^⌈log2 k⌉; a level's max layer gives entry i of a pair of
        lists A, B from A[i] and B[KP−1−i], a half-cleaner layer from i and its mate; an entry holds
        a score if one of its sources does. The last stage keeps only the k entries it gives."""
        pe, k = _int(self.pe), _int(self.k)
        kp = 1 << (k - 1).bit_length()
        lists = [[j < k for j in range(kp)] if p < pe else [False] * kp for p in range(1 << (pe - 1).bit_length())]
        stages: list[list[list[bool]]] = []
        while len(lists) > 1:
            lists = [[a[i] or b[kp - 1 - i] for i in range(kp)] for a, b in zip(lists[::2], lists[1::2], strict=True)]
            stages.append(lists)
            distance = kp // 2
            while distance >= 1:
                lists = [[entry[i] or entry[i ^ distance] for i in range(kp)] for entry in lists]
                stages.append(lists)
                distance //= 2
        if not stages:
            return 0
        stages[-1] = [entry[:k] for entry in stages[-1]]
        return sum(live for stage in stages for entry in stage for live in entry)

    def cost(self, device: Device, fabric: FabricTable) -> Cost:
        """Top-k of `classes` scores of b bits, PE scores a word (`bnnc_label_select`). Cycles:
        `cycles`.

        LUT (Yosys): the family's `label_select_base_lut` + `label_select_lut_per_entry_bit`·PE·k·
        (b + 1 + index bits): each of the PE lanes ranks its score against each of its k entries (a
        comparator) and each entry selects between staying, shifting and taking the score (a
        select), one LUT per bit each on 7-series; plus LABEL_SELECT_MERGE_LUT_PER_BIT per bit of the
        merge's entries (`merge_entries`, of b + 2 + index bits: a compare-exchange selects every
        bit and shares a comparator with its mate).
        FF (the registers of `bnnc_label_select`): the lanes' lists (PE·k entries of b + 2 + index
        bits: used, score, index), the merge's entries, the output register and its queue (k indices
        for each of `frames_held`) and the counters (word, index base, indices left, frames, the
        merge's valid bits).
        """
        classes, k, pe = _int(self.classes), _int(self.k), _int(self.pe)
        bits = bit_width(_stream(self.input).element)
        index = (classes - 1).bit_length()
        entry = bits + index
        per_entry_bit = fabric.label_select_lut_per_entry_bit
        key = bits + 2 + index
        merge = self.merge_entries() * key
        lut = ceil(fabric.label_select_base_lut + per_entry_bit * pe * k * (entry + 1)
                   + LABEL_SELECT_MERGE_LUT_PER_BIT * merge)
        frames = self.frames_held()
        counters = (max(classes // pe - 1, 1).bit_length() + index + (k + 1).bit_length()
                    + (frames + 1).bit_length())
        ff = pe * k * key + merge + k * index * frames + counters + self.merge_stages() + 1
        return Cost(self.cycles(), lut, ff, 0, 0)

    def word_plan(self, frames: int) -> WordPlan:
        """Reads a frame's words one a cycle, the last one only once the K indices of the frame
        `frames_held` before it have all left; the indices leave one a cycle from
        `pipeline_depth` cycles after the last read (its lanes, the merge of their lists, the
        output register), or from the cycle after the previous frame's last index."""
        in_words, k = _stream(self.input).words.data, _stream(self.output).words.data
        held = self.frames_held()
        need = repeat_frames(np.full(k, in_words - 1), frames, in_words)
        last = np.arange(in_words * frames) % in_words == in_words - 1
        # the last word of frame f waits for the last index of frame f − held
        guard = np.where(last, (np.arange(in_words * frames) // in_words - held + 1) * k - 1, -1)
        guard = np.where(guard >= 0, guard, -1)
        return WordPlan(need, self.pipeline_depth(), guard, 1)

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
