"""`df.pool`, the streaming max-pool: everything about the engine."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

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

from bnnc.devices import Device
from bnnc.dialects.bnn import array_values, bit_width, is_bipolar
from bnnc.dialects.df.checks import _stream, _int, _expect, _check_stream, _values
from bnnc.dialects.df.emission import (
    WINDOW_PARAMS,
    HlsInstance,
    HlsTemplate,
    VerilogInstance,
    element_kind,
    int_arg,
    type_bits,
)
from bnnc.dialects.df.engine import EngineOp
from bnnc.dialects.df.resources import Cost, FabricTable, dual_port_lutram
from bnnc.dialects.df.types import StreamType, stream_type
from bnnc.semantics.schedules import WordPlan, output_register_plan


# Constants calibrated against Yosys on `bnnc_pool` (docs/rtl.md): narrow position counters and
# the window tests (recalibrated 2026-12-07, 32-bit counters gone: ~320 -> ~100 LUT); an integer
# lane's comparator and select per bit.
POOL_BASE_LUT = 60
POOL_BASE_FF = 27
POOL_LUT_PER_INT_BIT = 3


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
    HLS_TEMPLATES: ClassVar[dict[str, HlsTemplate]] = {
        "pool": HlsTemplate(("ElemT", *WINDOW_PARAMS, "PE"), lambda a: [int_arg(a, "PE") * type_bits(a, "ElemT")] * 2),
    }

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

    # ----------------------------------------------------------------------------------------
    # Cycles, resources and the word schedule

    def cycles(self) -> int:
        """The unit reads one input word a cycle and writes fewer words than it reads, so a
        frame takes its input words, IH·IW·C/PE (FINN's IW² model is marked inaccurate)."""
        ih, iw = array_values(self.ifm)
        return ih * iw * _int(self.channels) // _int(self.pe)

    def cost(self, device: Device, fabric: FabricTable) -> Cost:
        """Streaming max-pool, PE channels a word. Cycles: `cycles`.

        State (`bnnc_pool`): the partial maxima of RR = ⌈KH/SH⌉ output rows, RR·OW·C/PE words of
        PE·bits, each input word updating up to RR·CC of them (CC = ⌈KW/SW⌉). Without overlap
        (RR = CC = 1) one read and one write port: distributed RAM (`dual_port_lutram`); with
        overlap, flip-flops.
        LUT (Yosys): POOL_BASE_LUT (narrow position counters, window tests) + per candidate window
        and lane an OR (one LUT) for bipolar values, or a comparator and a select
        (POOL_LUT_PER_INT_BIT·bits LUTs) for integers, + the LUTRAM: 84 / 116 against Yosys' 81 /
        122. FINN counts max-pool as 0 LUT. FF: POOL_BASE_FF + one input and one output word (+ the
        partial maxima with overlap).
        """
        c, pe = _int(self.channels), _int(self.pe)
        ow = array_values(self.ofm)[1]
        (kh, kw), (sh, sw) = array_values(self.kernel), array_values(self.strides)
        element = _stream(self.input).element
        bits = bit_width(element)
        rr, cc = -(-kh // sh), -(-kw // sw)
        words = rr * ow * c // pe
        lane = 1 if is_bipolar(element) else POOL_LUT_PER_INT_BIT * bits
        ff = POOL_BASE_FF + 2 * pe * bits
        if rr * cc == 1:
            buffer_luts = dual_port_lutram(words, pe * bits, fabric)
        else:
            buffer_luts, ff = 0, ff + words * pe * bits
        lut = POOL_BASE_LUT + rr * cc * pe * lane + buffer_luts
        return Cost(self.cycles(), lut, ff, 0, buffer_luts)

    def word_plan(self, frames: int) -> WordPlan:
        """A word leaves the cycle after the input word that completes its window (its last
        row, column and channel fold); one output register."""
        (_, iw), (_, ow) = array_values(self.ifm), array_values(self.ofm)
        (kh, kw), (sh, sw) = array_values(self.kernel), array_values(self.strides)
        cf = _int(self.channels) // _int(self.pe)
        j = np.arange(_stream(self.output).words.data)
        oy, ox, f = j // (ow * cf), j // cf % ow, j % cf
        per_frame = ((oy * sh + kh - 1) * iw + ox * sw + kw - 1) * cf + f
        return output_register_plan(per_frame, frames, _stream(self.input).words.data)

    # ----------------------------------------------------------------------------------------
    # Semantics

    def execute(self, x: np.ndarray) -> np.ndarray:
        """The maximum of every window, channel by channel (an OR on bits), PE channels a word."""
        c, pe = _int(self.channels), _int(self.pe)
        (kh, kw), (sh, sw) = array_values(self.kernel), array_values(self.strides)
        ih, iw = array_values(self.ifm)
        image = x.reshape(x.shape[0], ih, iw, c)
        pooled = sliding_window_view(image, (kh, kw), axis=(1, 2))[:, ::sh, ::sw].max(axis=(4, 5))
        return pooled.reshape(x.shape[0], -1, pe)

    # ----------------------------------------------------------------------------------------
    # Emission

    def hls_instance(self) -> HlsInstance:
        (ih, iw), (oh, ow) = array_values(self.ifm), array_values(self.ofm)
        (kh, kw), (sh, sw) = array_values(self.kernel), array_values(self.strides)
        args: dict[str, Attribute | int] = {
            "ElemT": _stream(self.input).element, "CHANNELS": _int(self.channels), "IH": ih, "IW": iw,
            "OH": oh, "OW": ow, "KH": kh, "KW": kw, "SH": sh, "SW": sw, "PE": _int(self.pe),
        }
        return HlsInstance("pool", "pool", args)

    def verilog_instance(self, name: str) -> VerilogInstance:
        c, pe = _int(self.channels), _int(self.pe)
        (ih, iw), (oh, ow) = array_values(self.ifm), array_values(self.ofm)
        (kh, kw), (sh, sw) = array_values(self.kernel), array_values(self.strides)
        element = _stream(self.input).element
        params: dict[str, int | str] = {
            "PE": pe, "CF": c // pe, "BITS": bit_width(element), "KIND": element_kind(element),
            "IH": ih, "IW": iw, "OH": oh, "OW": ow, "KH": kh, "KW": kw, "SH": sh, "SW": sw,
        }
        return VerilogInstance("bnnc_pool", params)
