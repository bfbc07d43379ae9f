"""`df.dwc`, the data-width converter: everything about the engine."""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np
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

from bnnc.devices import Device
from bnnc.dialects.bnn import bit_width
from bnnc.dialects.df.checks import _stream, _int, _expect
from bnnc.dialects.df.emission import HlsInstance, HlsTemplate, VerilogInstance, int_arg, type_bits
from bnnc.dialects.df.engine import EngineOp
from bnnc.dialects.df.resources import MUX_INPUTS_PER_LUT, Cost, FabricTable, ceil
from bnnc.dialects.df.types import StreamType
from bnnc.semantics.schedules import WordPlan


# Constants calibrated against Yosys (docs/rtl.md); the per-family ones are the family's
# `repack_lut_per_slot_bit`, `regroup_lut_per_bank_bit`, `regroup_wide_select_lut_per_word`.
# bnnc_repack's output multiplexer: LUTs per input of a mux wider than one LUT6 (Yosys decodes
# the slot and ORs), the same on 7-series and UltraScale+ (0.66: 64 -> 49 lanes, 1,117 / 1,095 LUT).
REPACK_LUT_PER_MUX_INPUT = 0.66
# bnnc_regroup: its output AND-OR reads every bank bit once (words of both banks, one-hot
# selected), so it has no multiplexer term of its own beside the family's per-bank-bit term.
REGROUP_SELECT_WORDS_PER_LUT = 2 * MUX_INPUTS_PER_LUT  # words a LUT6 tree selects without wide LUTs


def _dwc_widths(args: dict[str, Attribute]) -> list[int]:
    return [int_arg(args, "IN_LANES") * type_bits(args, "ElemT"), int_arg(args, "OUT_LANES") * type_bits(args, "ElemT")]


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

    HLS_TEMPLATES: ClassVar[dict[str, HlsTemplate]] = {
        "dwc": HlsTemplate(("ElemT", "IN_LANES", "OUT_LANES", "WORDS_IN", "WORDS_OUT"), _dwc_widths),
        "dwc_pixels": HlsTemplate(
            ("ElemT", "IN_LANES", "IN_MMV", "OUT_LANES", "OUT_MMV", "PIXELS", "VECTOR", "GROUP"), _dwc_widths),
    }

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

    # ----------------------------------------------------------------------------------------
    # Cycles, resources and the word schedule

    def regroups(self) -> bool:
        """Whether it converts between multi-pixel streams (`bnnc_regroup`) rather than one-pixel
        ones (`bnnc_repack`)."""
        return _stream(self.input).mmv.data > 1 or _stream(self.output).mmv.data > 1

    def cycles(self) -> int:
        """It takes or gives one word a cycle on each side: max(in words, out words)."""
        return max(_stream(self.input).words.data, _stream(self.output).words.data)

    def cost(self, device: Device, fabric: FabricTable) -> Cost:
        """`repack_cost` for one-pixel streams, `regroup_cost` for multi-pixel ones."""
        src, dst = _stream(self.input), _stream(self.output)
        if not self.regroups():
            return repack_cost(src.lanes.data, dst.lanes.data, src.elements, bit_width(src.element), fabric)
        return regroup_cost(src, dst, _int(self.pixels), fabric)  # type: ignore[arg-type]

    def word_plan(self, frames: int) -> WordPlan:
        """One-pixel streams: `repack_plan`. Multi-pixel streams (`bnnc_regroup`): two banks of
        lcm(MMV in, MMV out) pixels; a bank's words leave from the cycle after its last input
        word, and a bank is refilled from the cycle after its last output word."""
        src, dst = _stream(self.input), _stream(self.output)
        if not self.regroups():
            return repack_plan(src.lanes.data, dst.lanes.data, src.elements, frames)
        pixels = _int(self.pixels)  # type: ignore[arg-type]
        block = math.lcm(src.mmv.data, dst.mmv.data)
        in_words, out_words = src.words.data, dst.words.data
        in_block, out_block = in_words * block // pixels, out_words * block // pixels
        i, j = np.arange(in_words * frames), np.arange(out_words * frames)
        need = (j // out_block + 1) * in_block - 1
        guard = np.where(i // in_block >= 2, (i // in_block - 1) * out_block - 1, -1)
        return WordPlan(need, 1, guard, 1)


    # ----------------------------------------------------------------------------------------
    # Semantics

    def execute(self, x: np.ndarray) -> np.ndarray:
        """The frame's elements, regrouped into the output stream's words."""
        pixels = _int(self.pixels) if self.pixels is not None else 1
        return to_words(to_elements(x, _stream(self.input), pixels), _stream(self.output), pixels)

    # ----------------------------------------------------------------------------------------
    # Emission

    def hls_instance(self) -> HlsInstance:
        """`dwc` between one-pixel streams, `dwc_pixels` between multi-pixel ones."""
        src, dst = _stream(self.input), _stream(self.output)
        if not self.regroups():
            args: dict[str, Attribute | int] = {
                "ElemT": src.element, "IN_LANES": src.lanes.data, "OUT_LANES": dst.lanes.data,
                "WORDS_IN": src.words.data, "WORDS_OUT": dst.words.data,
            }
            return HlsInstance("dwc", "dwc", args)
        pixels = _int(self.pixels)  # type: ignore[arg-type]
        args = {
            "ElemT": src.element, "IN_LANES": src.lanes.data, "IN_MMV": src.mmv.data,
            "OUT_LANES": dst.lanes.data, "OUT_MMV": dst.mmv.data, "PIXELS": pixels,
            "VECTOR": src.elements // pixels, "GROUP": math.lcm(src.mmv.data, dst.mmv.data),
        }
        return HlsInstance("dwc_pixels", "dwc", args)

    def verilog_instance(self, name: str) -> VerilogInstance:
        """`bnnc_repack` between one-pixel streams (`repack_params`), `bnnc_regroup` between
        multi-pixel ones."""
        src, dst = _stream(self.input), _stream(self.output)
        bits = bit_width(src.element)
        if not self.regroups():
            return VerilogInstance("bnnc_repack", repack_params(bits, src.lanes.data, dst.lanes.data, src.elements))
        pixels = _int(self.pixels)  # type: ignore[arg-type]
        params: dict[str, int | str] = {
            "BITS": bits, "VEC": src.elements // pixels, "BLOCK": math.lcm(src.mmv.data, dst.mmv.data),
            "IN_M": src.mmv.data, "IN_L": src.lanes.data // src.mmv.data,
            "OUT_M": dst.mmv.data, "OUT_L": dst.lanes.data // dst.mmv.data,
        }
        return VerilogInstance("bnnc_regroup", params)


def repack_params(bits: int, in_lanes: int, out_lanes: int, frame: int) -> dict[str, int | str]:
    """The parameters of a `bnnc_repack` (a df.dwc between one-pixel streams, an AXI port)."""
    return {"BITS": bits, "IN_LANES": in_lanes, "OUT_LANES": out_lanes, "FRAME": frame,
            "BLOCK": repack_block(in_lanes, out_lanes, frame)}


def to_elements(x: np.ndarray, stream: StreamType, pixels: int) -> np.ndarray:
    """Words (N, words, lanes) → the frame's elements (N, elements) in NHWC order."""
    mmv = stream.mmv.data
    if mmv == 1:
        return x.reshape(x.shape[0], -1)
    lanes = stream.lanes.data // mmv
    vector = stream.elements // pixels
    grouped = x.reshape(x.shape[0], pixels // mmv, vector // lanes, mmv, lanes)
    return grouped.transpose(0, 1, 3, 2, 4).reshape(x.shape[0], -1)


def to_words(elements: np.ndarray, stream: StreamType, pixels: int) -> np.ndarray:
    """The inverse of `to_elements`."""
    mmv, n = stream.mmv.data, elements.shape[0]
    if mmv == 1:
        return elements.reshape(n, stream.words.data, stream.lanes.data)
    lanes = stream.lanes.data // mmv
    vector = stream.elements // pixels
    grouped = elements.reshape(n, pixels // mmv, mmv, vector // lanes, lanes).transpose(0, 1, 3, 2, 4)
    return grouped.reshape(n, stream.words.data, stream.lanes.data)


def repack_block(in_lanes: int, out_lanes: int, elements: int) -> int:
    """Elements of a block of `bnnc_repack`: lcm(L_in, L_out), or the whole frame if shorter.

    Every input word of a block then starts at a multiple of L_in and every output word at a
    multiple of L_out from the block's start, at fixed bits of a bank, and the frame's last
    block (the E mod block elements left, or a whole block) starts on a word boundary of both
    sides too. The Verilog emitter, the cost model and the cycle model (`bnnc.analysis.fifo_model`) all
    take the block from here.
    """
    return min(math.lcm(in_lanes, out_lanes), elements)


def repack_cost(in_lanes: int, out_lanes: int, elements: int, bits: int, fabric: FabricTable) -> Cost:
    """A width converter between one-pixel streams (`bnnc_repack`), L_in to L_out lanes of B
    bits, E elements a frame: the df.dwc between one-pixel streams and the AXI-stream ports.

    Cycles: it takes or gives one word a cycle on each side, so max(in words, out words).
    Structure: two banks of a block (`repack_block`), input slots S_in = ⌈block/L_in⌉ and output
    slots S_out = ⌈block/L_out⌉ at fixed bits, slot numbers of SW = ⌈log2(max(S_in, S_out) + 1)⌉
    bits. LUT (Yosys), two terms read from the RTL:
    - the control, per bit of SW: the write and read slots and their registered increments, the
      two banks' fill levels, the two end-of-block compares, and `available` computed for each
      of the four outcomes of (write, read), each an SW-bit compare of a fill level with the
      slot's need (a table of the slot): the family's `repack_lut_per_slot_bit` LUTs a bit
      (7-series 16, UltraScale+ 18.5, fitted on the five rows below);
    - for each output bit (of the min(L_out, block) lanes that ever carry an element) a
      2·S_out-way multiplexer over the slots of both banks: one LUT6 up to MUX_INPUTS_PER_LUT
      ways, ⌈REPACK_LUT_PER_MUX_INPUT·2·S_out⌉ beyond;
    an input word's bits are clock enables of the bank registers, no LUTs. Against Yosys
    (xc7 / xcup, docs/rtl.md): 2 → 16 lanes, 512 a frame: 80 / 90 against 74 / 85; 64 → 8,
    1,024: 152 / 162 against 136 / 142; TFC's input port 64 → 4, 784: 168 / 181 against 180 /
    191; LFC's 64 → 49: 1,158 / 1,171 against 1,117 / 1,095; an output port of 7-bit scores,
    5 → 9, 10 a frame: 95 / 100 against 102 / 102. FF: both banks,
    block·B bits each (the words' lanes past a frame's end are constant zeros, which Yosys
    removes; TFC's output port: 161 against 165), and the counters: the write and read slots and
    their increments (4 of ⌈log2(max(S_in, S_out) + 1)⌉ bits), the two banks' fill levels
    (⌈log2(S_out + 1)⌉ bits each) and 5 flags (55 / 157 against Yosys' 55 / 157).
    """
    words_in, words_out = -(-elements // in_lanes), -(-elements // out_lanes)
    block = repack_block(in_lanes, out_lanes, elements)
    slots_in, slots_out = -(-block // in_lanes), -(-block // out_lanes)
    slot_bits = max(slots_in, slots_out).bit_length()  # ⌈log2(max(S_in, S_out) + 1)⌉
    ways = 2 * slots_out
    per_bit = 1 if ways <= MUX_INPUTS_PER_LUT else ceil(REPACK_LUT_PER_MUX_INPUT * ways)
    bank = block * bits  # lanes past a frame's end are constants
    counters = 4 * slot_bits + 2 * slots_out.bit_length() + 5
    lanes = min(out_lanes, block)  # lanes past a frame's end are constant zeros
    lut = ceil(fabric.repack_lut_per_slot_bit * slot_bits + per_bit * lanes * bits)
    return Cost(max(words_in, words_out), lut, 2 * bank + counters, 0, 0)


def regroup_cost(src: StreamType, dst: StreamType, pixels: int, fabric: FabricTable) -> Cost:
    """Data-width converter between multi-pixel streams (`bnnc_regroup`).

    Cycles: max(in words, out words). Two banks of a block of lcm(MMV_in, MMV_out) pixels
    (SIZE bits each); every input word has fixed bits in a bank and every output word is one of
    2·OUT_SLOTS words (OUT_SLOTS = output words a block).
    LUT (Yosys): the output word is an AND-OR over the 2·OUT_SLOTS words, each ANDed with its bit
    of the one-hot register `rsel`; the words of both banks are the 2·SIZE bank bits, so every
    bank bit is one (select, data) pair of that AND-OR — three pairs a LUT6 and the OR tree
    after them — and the family's `regroup_lut_per_bank_bit` a bank bit covers those and the
    slot decode of the loads (7-series and UltraScale+ 0.7: 175 and 205 LUT in Yosys for 256
    and 288 bank bits, `dwc-1-to-mmv4` and `dwc-mmv2-to-1`; the model 180 and 202). On a family whose Yosys mapping builds a select over more than
    REGROUP_SELECT_WORDS_PER_LUT words from wide LUTs (UltraScale+: LUT7–LUT9, LUT6s joined by
    MUXF7/F8/F9), each further word costs `regroup_wide_select_lut_per_word` LUTs per output
    bit (UltraScale+ 0.3: `dwc-mmv2-to-1`, 36 words of 8 bits, 264 LUT against 205 on 7-series).
    FF: both banks, the slot counters and the output word's one-hot select (2·out slots).
    """
    block = math.lcm(src.mmv.data, dst.mmv.data)
    size = block * (src.elements // pixels) * bit_width(src.element)
    out_slots = dst.words.data * block // pixels
    wide_words = max(0, 2 * out_slots - REGROUP_SELECT_WORDS_PER_LUT)
    lut = ceil(fabric.regroup_lut_per_bank_bit * 2 * size
               + fabric.regroup_wide_select_lut_per_word * wide_words * dst.width)
    ff = 2 * size + 2 * out_slots.bit_length() + 4 + 2 * out_slots
    return Cost(max(src.words.data, dst.words.data), lut, ff, 0, 0)


def repack_plan(in_lanes: int, out_lanes: int, elements: int, frames: int) -> WordPlan:
    """The word schedule of `bnnc_repack` (a one-pixel df.dwc, an AXI-stream port): two banks of
    a block of elements (`repack_block`); a word leaves the cycle after the input word that
    completes it, and a block's first input word is taken from the cycle after the block two
    before it (the bank's previous one) has given its last output word."""
    base = elements * np.arange(frames)[:, None]
    in_end = (np.minimum(np.arange(1, -(-elements // in_lanes) + 1) * in_lanes, elements) + base).reshape(-1)
    out_end = (np.minimum(np.arange(1, -(-elements // out_lanes) + 1) * out_lanes, elements) + base).reshape(-1)
    need = np.searchsorted(in_end, out_end, side="left")
    # blocks alternate between two banks: a block's input words wait until the block two
    # before it (in the same bank) has given its last output word
    block = repack_block(in_lanes, out_lanes, elements)
    blocks = -(-elements // block)
    last = elements - (blocks - 1) * block
    in_words = np.tile([-(-block // in_lanes)] * (blocks - 1) + [-(-last // in_lanes)], frames)
    out_words = np.tile([-(-block // out_lanes)] * (blocks - 1) + [-(-last // out_lanes)], frames)
    round_of_input = np.repeat(np.arange(in_words.size), in_words)
    last_output = np.cumsum(out_words) - 1
    guard = np.where(round_of_input >= 2, last_output[np.maximum(round_of_input - 2, 0)], -1)
    return WordPlan(need, 1, guard, 1)
