"""`df.swu`, the sliding-window unit: everything about the engine."""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np
from bnnc.dialects.bnn import array_values, bit_width, integer_range, is_bipolar
from bnnc.dialects.df.checks import _check_stream, _expect, _int, _stream, _values
from bnnc.dialects.df.emission import (
    WINDOW_PARAMS,
    HlsInstance,
    HlsTemplate,
    VerilogInstance,
    element_codes,
    int_arg,
    type_bits,
)
from bnnc.dialects.df.engine import EngineOp
from bnnc.dialects.df.resources import (
    REGISTERED_LUTRAM_MAX_DEPTH,
    Cost,
    FabricTable,
    bram18_count,
    dual_port_lutram,
)
from bnnc.dialects.df.types import Fold, StreamType, stream_type
from numpy.lib.stride_tricks import sliding_window_view
from xdsl.dialects.builtin import DenseArrayBase, IntegerAttr, StringAttr, UnitAttr, i64
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
from bnnc.semantics.schedules import WordPlan

# Constants calibrated against Yosys on `bnnc_swu` (docs/rtl.md): row, slot and window counters
# as narrow as their ranges (fixed), and per pixel of a word its incremental row, column and
# slot, the padding tests and the two address stages (recalibrated 2026-12-07 after the 32-bit
# arithmetic went: ~1,000 -> ~140 LUT).
SWU_BASE_LUT = 100
SWU_LUT_PER_PIXEL = 10
SWU_BASE_FF = 66
SWU_FF_PER_PIXEL = 22
SWU_DELAY = 4  # cycles from reading the last row a window needs to writing the window


@irdl_op_definition
class SwuOp(EngineOp):
    """Sliding-window unit: turns an NHWC image stream into the (ky, kx, c) window of every
    output pixel, row by row; padded positions hold `pad_value`. MMV output pixels share a word
    (MMV divides the output pixels).

    In its `depthwise` mode (feeding a `df.vvtu`) it reads PE channels a word and writes, per
    output pixel, for each channel fold cf < C/PE and tap fold tf < K/SIMD (K = KH·KW taps in
    (ky, kx) order), one word whose lane (s, p) is tap tf·SIMD + s of channel cf·PE + p (MMV
    pixels side by side): the window reordered, its row buffer unchanged. Folding then has PE
    (channels a word, dividing C), SIMD (taps a word, dividing K) and MMV."""

    name = "df.swu"
    input = operand_def(StreamType)
    output = result_def(StreamType)
    channels = prop_def(IntegerAttr)
    ifm = prop_def(DenseArrayBase)
    ofm = prop_def(DenseArrayBase)
    kernel = prop_def(DenseArrayBase)
    strides = prop_def(DenseArrayBase)
    pads = prop_def(DenseArrayBase)
    pad_value = prop_def(IntegerAttr, default_value=IntegerAttr(0, i64))
    simd = prop_def(IntegerAttr)
    mmv = prop_def(IntegerAttr, default_value=IntegerAttr(1, i64))
    depthwise = opt_prop_def(UnitAttr)
    pe = opt_prop_def(IntegerAttr)
    """The channels a word in the `depthwise` mode (and only there)."""
    layer = opt_prop_def(StringAttr)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    @property
    def FOLD_PARAMETERS(self) -> tuple[str, ...]:  # type: ignore[override]
        """SIMD (channels a word) and MMV; PE (channels), SIMD (taps) and MMV in the
        `depthwise` mode."""
        return ("pe", "simd", "mmv") if self.depthwise is not None else ("simd", "mmv")
    HLS_TEMPLATES: ClassVar[dict[str, HlsTemplate]] = {
        "swu": HlsTemplate(("ElemT", *WINDOW_PARAMS, "PAD_TOP", "PAD_LEFT", "PAD_VALUE", "SIMD", "MMV"),
                           lambda a: [int_arg(a, "SIMD") * type_bits(a, "ElemT"),
                                      int_arg(a, "SIMD") * int_arg(a, "MMV") * type_bits(a, "ElemT")]),
        "swu_dw": HlsTemplate(("ElemT", *WINDOW_PARAMS, "PAD_TOP", "PAD_LEFT", "PAD_VALUE", "PE", "SIMD", "MMV"),
                              lambda a: [int_arg(a, "PE") * type_bits(a, "ElemT"),
                                         int_arg(a, "PE") * int_arg(a, "SIMD") * int_arg(a, "MMV")
                                         * type_bits(a, "ElemT")]),
    }

    def verify_(self) -> None:
        (ih, iw), (oh, ow) = _values(self.ifm, 2, "ifm"), _values(self.ofm, 2, "ofm")
        (kh, kw), (sh, sw) = _values(self.kernel, 2, "kernel"), _values(self.strides, 2, "strides")
        top, left, bottom, right = _values(self.pads, 4, "pads")
        _expect(min(kh, kw, sh, sw) >= 1, "kernel and strides must be positive")
        _expect(min(top, left, bottom, right) >= 0, "pads must be non-negative")
        _expect(
            kh <= ih + top + bottom and kw <= iw + left + right,
            f"a {kh}x{kw} kernel does not fit a padded {ih}x{iw} input",
        )
        _expect(
            (oh, ow) == ((ih + top + bottom - kh) // sh + 1, (iw + left + right - kw) // sw + 1),
            f"output {oh}x{ow} does not match the window of a {ih}x{iw} input",
        )
        if self.depthwise is not None:
            _expect(self.pe is not None, "a depthwise window unit needs 'pe', its channels a word")
        else:
            _expect(self.pe is None, "'pe' belongs to the depthwise mode only")
        self.verify_fold()
        in_s, out_s = _stream(self.input), _stream(self.output)
        _check_stream("the input stream", in_s, self.input_type(in_s.element))
        _check_stream("the output stream", out_s, self.output_type(in_s.element))
        if any((top, left, bottom, right)):
            if is_bipolar(in_s.element):
                _expect(_int(self.pad_value) in (-1, 1), "padding of bipolar data must be +1 or -1")
            else:
                lo, hi = integer_range(in_s.element)  # type: ignore[arg-type]
                _expect(lo <= _int(self.pad_value) <= hi, f"pad value {_int(self.pad_value)} is outside {in_s.element}")

    def buffer_rows(self) -> int:
        """Input rows in the window's buffer (`bnnc_swu`): KH + SH·(span + 1), the rows of a
        group's windows and SH rows read ahead, the span being how many rows past its first a
        group of MMV consecutive (raster-order) pixels reaches (0 when MMV divides OW); the first
        pixels of the groups lie at the multiples of gcd(MMV, OW) of a row."""
        mmv, ow = _int(self.mmv), array_values(self.ofm)[1]
        (kh, _), (sh, _) = array_values(self.kernel), array_values(self.strides)
        span = (ow - math.gcd(mmv, ow) + mmv - 1) // ow
        return kh + sh * (span + 1)

    def fold_extents(self) -> dict[str, tuple[int, str]]:
        c, (oh, ow) = _int(self.channels), array_values(self.ofm)
        if self.depthwise is not None:
            (kh, kw) = array_values(self.kernel)
            return {"pe": (c, f"{c} channels are"), "simd": (kh * kw, f"{kh * kw} kernel taps are"),
                    "mmv": (oh * ow, f"{oh * ow} output pixels are")}
        return {"simd": (c, f"{c} channels are"), "mmv": (oh * ow, f"{oh * ow} output pixels are")}

    def channel_lanes(self) -> int:
        """Channels an input word (and a buffer word) holds: SIMD, PE in the `depthwise` mode."""
        return _int(self.pe) if self.depthwise is not None else _int(self.simd)

    def window_words(self) -> int:
        """Output words of one pixel's window: KH·KW·C/SIMD, KH·KW·C/(PE·SIMD) in the
        `depthwise` mode."""
        (kh, kw), c = array_values(self.kernel), _int(self.channels)
        return kh * kw * c // (self.channel_lanes() * _int(self.simd) if self.depthwise is not None
                               else _int(self.simd))

    def read_ports(self) -> int:
        """Copies of the row buffer, one a buffer word an output word takes from the same
        address stage: MMV, MMV·SIMD in the `depthwise` mode (SIMD taps a word)."""
        return _int(self.mmv) * (_int(self.simd) if self.depthwise is not None else 1)

    def legal_folds(self) -> list[Fold]:
        """The folds the folding takes (its search and pinned folding files): MMV only among the
        divisors of the output width. A word of pixels from two rows is legal (the verifier and
        `refold` accept it, the RTL and C++ handle it), but its window buffer holds an extra row
        for no gain in cycles."""
        ow = array_values(self.ofm)[1]
        return [f for f in super().legal_folds() if ow % f.mmv == 0]

    def input_type(self, element: Attribute) -> StreamType:
        ih, iw = array_values(self.ifm)
        lanes = self.channel_lanes()
        return stream_type(element, lanes, ih * iw * _int(self.channels) // lanes)

    def output_type(self, element: Attribute) -> StreamType:
        (oh, ow), (kh, kw) = array_values(self.ofm), array_values(self.kernel)
        lanes = _int(self.simd) * _int(self.mmv) * (self.channel_lanes() if self.depthwise is not None else 1)
        return stream_type(element, lanes, oh * ow * kh * kw * _int(self.channels) // lanes, _int(self.mmv))

    # ----------------------------------------------------------------------------------------
    # Cycles, resources and the word schedule

    def pipeline_depth(self) -> int:
        """SWU_DELAY: the row counter and the registered buffer read."""
        return SWU_DELAY

    def cycles(self) -> int:
        """FINN's model, written for a square kernel, here per axis: the buffer first fills
        with KH rows, IW·KH·(C/SIMD) cycles; then each of the OH output rows takes the longer of
        writing its windows out, ⌈OW·KH·KW·(C/SIMD)/MMV⌉ (MMV windows a word; rounded up per row),
        and reading the SH input rows the next output row needs, SH·IW·(C/SIMD) (the input stream
        has SIMD lanes, so MMV does not speed up reading). Padding: IW and IH are the padded sizes,
        as if the padded image were streamed in (the cost of a separate padding stage before the
        window), an upper bound for a unit that makes up the padded positions itself.

        In the `depthwise` mode the input words hold PE channels (C/PE of them a pixel) and a
        window is K·C/(PE·SIMD) words (`window_words`), the same formula with those counts (not
        the design's C/(PE·SIMD) input words a pixel: the input stream has PE lanes)."""
        c, mmv = _int(self.channels), _int(self.mmv)
        (ih, iw), (oh, ow) = array_values(self.ifm), array_values(self.ofm)
        (kh, _), (sh, _) = array_values(self.kernel), array_values(self.strides)
        top, left, bottom, right = array_values(self.pads)
        ih, iw = ih + top + bottom, iw + left + right
        folds = c // self.channel_lanes()
        write_row = -(-(ow * self.window_words()) // mmv)
        return iw * kh * folds + oh * max(write_row, sh * iw * folds)

    def cost(self, device: Device, fabric: FabricTable) -> Cost:
        """Sliding-window unit (a KH x KW window, stride SH x SW, C channels, SIMD lanes, MMV).
        Cycles: `cycles`.

        Buffer (`bnnc_swu`): ROWS = `buffer_rows` input rows (KH + SH when MMV divides OW)
        of IW·(C/SIMD) words of SIMD·bits, one copy per pixel of a word. The read is registered, so
        a copy deeper than REGISTERED_LUTRAM_MAX_DEPTH goes to BRAM (`bram18_count`), a shallower one
        to distributed RAM (`dual_port_lutram`). FINN counts these buffers as 0 BRAM.

        LUT (Yosys): SWU_BASE_LUT (the narrow row, slot and window counters and their compares) +
        SWU_LUT_PER_PIXEL per pixel of a word (its incremental position, padding tests, address) +
        one LUT per output bit (the padding select) + the buffer's LUTRAM: 138 / 142 / 152 against
        Yosys' 128 / 149 / 148 for the three calibration windows (docs/rtl.md). FF: SWU_BASE_FF (the
        counters) + SWU_FF_PER_PIXEL per pixel (its position and the two address stages) + the
        output word unless the buffer is a BRAM (whose output register holds it).

        The `depthwise` mode: words of PE channels, a copy of the buffer and of the per-pixel
        logic per read port (`read_ports`: MMV·SIMD, each of a word's SIMD taps reads its own),
        the same counters: one configuration measured (c32, 3x3, PE 8, SIMD 3, 8x8: 226 LUT and
        132 FF here against Yosys' 208 and 117, 3 BRAM18 both; docs/rtl.md), no constant fitted.
        """
        c, lanes, copies = _int(self.channels), self.channel_lanes(), self.read_ports()
        iw = array_values(self.ifm)[1]
        folds = c // lanes
        bits = bit_width(_stream(self.input).element)
        depth = self.buffer_rows() * iw * folds
        if depth > REGISTERED_LUTRAM_MAX_DEPTH:
            bram18, buffer_luts = copies * bram18_count(depth, lanes * bits), 0
        else:
            bram18, buffer_luts = 0, copies * dual_port_lutram(depth, lanes * bits, fabric)
        out_width = _stream(self.output).width
        lut = SWU_BASE_LUT + SWU_LUT_PER_PIXEL * copies + out_width + buffer_luts
        # the output word's register is the BRAM's own when the buffer is block RAM
        ff = SWU_BASE_FF + SWU_FF_PER_PIXEL * copies + (0 if bram18 else out_width)
        return Cost(self.cycles(), lut, ff, bram18, buffer_luts)

    def word_plan(self, frames: int) -> WordPlan:
        """A buffer of ROWS = `buffer_rows` input rows, numbered across frames: input row r
        waits until the output row that last needs row r − ROWS has been written out (for the
        first rows of a frame, a row of the previous frame); a word is written one a cycle,
        SWU_DELAY cycles after the last input row its window needs (its last pixel's) is in."""
        c, mmv = _int(self.channels), _int(self.mmv)
        (ih, iw), (oh, ow) = array_values(self.ifm), array_values(self.ofm)
        (kh, _), (sh, _) = array_values(self.kernel), array_values(self.strides)
        top = array_values(self.pads)[0]
        rows = self.buffer_rows()
        row_words = iw * c // self.channel_lanes()
        in_words, folds = ih * row_words, self.window_words()
        out_words = oh * ow * folds // mmv
        # write j (its group's last pixel in output row oy) needs input rows up to oy·SH − top + KH − 1
        oy = (np.arange(out_words) // folds * mmv + mmv - 1) // ow
        last_row = np.minimum(oy * sh + kh - 1 - top, ih - 1)
        # a window that lies in the top padding needs none of its frame's rows, but as the RTL counts
        # rows (rows_in >= frame_base), it waits for the previous frame's last one all the same
        per_frame = (np.maximum(last_row, -1) + 1) * row_words - 1
        need = (per_frame[None, :] + in_words * np.arange(frames)[:, None]).reshape(-1)

        # the last output word of output rows 0…OH−1: the last fold of the group of MMV pixels that
        # holds the row's last pixel (a group may span rows)
        def row_end(out_row: np.ndarray) -> np.ndarray:
            return ((out_row + 1) * ow - 1) // mmv * folds + folds - 1

        # read of input row r (numbered across frames) waits until row t = r − ROWS is free: t lies
        # in frame t // IH, and the writer frees it once the output row ⌊(t mod IH + top)/SH⌋ of that
        # frame (the last that needs it; the frame's last row at most) is written out
        t = np.arange(in_words * frames) // row_words - rows
        q = np.minimum((t % ih + top) // sh, oh - 1)
        guard = np.where(t >= 0, t // ih * out_words + row_end(q), -1)
        return WordPlan(need, self.pipeline_depth(), guard, 0)

    # ----------------------------------------------------------------------------------------
    # Semantics

    def execute(self, x: np.ndarray) -> np.ndarray:
        """The (ky, kx, c) window of every output pixel in raster order, padded positions
        `pad_value`; SIMD lanes of MMV pixels a word, pixel-major. In the `depthwise` mode each
        window in (channel fold, tap fold) words of lanes (tap s, channel p) instead."""
        c, simd, mmv = _int(self.channels), _int(self.simd), _int(self.mmv)
        (kh, kw), (sh, sw) = array_values(self.kernel), array_values(self.strides)
        top, left, bottom, right = array_values(self.pads)
        ih, iw = array_values(self.ifm)
        image = x.reshape(x.shape[0], ih, iw, c)
        if top or left or bottom or right:
            fill = _int(self.pad_value)
            if is_bipolar(_stream(self.input).element):
                fill = 1 if fill > 0 else 0
            image = np.pad(image, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=fill)
        windows = sliding_window_view(image, (kh, kw), axis=(1, 2))[:, ::sh, ::sw]  # N,OH,OW,C,kh,kw
        n, oh, ow = windows.shape[:3]
        pixels = windows.transpose(0, 1, 2, 4, 5, 3).reshape(n, oh * ow, kh * kw * c)  # (ky, kx, c)
        if self.depthwise is not None:  # word (cf, tf), lane (s, p): tap tf·SIMD + s of channel cf·PE + p
            pe, k = _int(self.pe), kh * kw
            pixels = pixels.reshape(n, oh * ow, k // simd, simd, c // pe, pe).transpose(0, 1, 4, 2, 3, 5)
            pixels = pixels.reshape(n, oh * ow, k * c)
        lanes = _stream(self.output).lanes.data // mmv
        folds = kh * kw * c // lanes
        words = pixels.reshape(n, oh * ow // mmv, mmv, folds, lanes).transpose(0, 1, 3, 2, 4)
        return words.reshape(n, (oh * ow // mmv) * folds, mmv * lanes)

    # ----------------------------------------------------------------------------------------
    # Emission

    def _pad_code(self) -> int:
        """The padding value's code in the input's element type."""
        return int(element_codes(np.array([_int(self.pad_value)]), _stream(self.input).element)[0])

    def hls_instance(self) -> HlsInstance:
        (ih, iw), (oh, ow) = array_values(self.ifm), array_values(self.ofm)
        (kh, kw), (sh, sw) = array_values(self.kernel), array_values(self.strides)
        top, left, _, _ = array_values(self.pads)
        args: dict[str, Attribute | int] = {
            "ElemT": _stream(self.input).element, "CHANNELS": _int(self.channels), "IH": ih, "IW": iw,
            "OH": oh, "OW": ow, "KH": kh, "KW": kw, "SH": sh, "SW": sw, "PAD_TOP": top, "PAD_LEFT": left,
            "PAD_VALUE": self._pad_code(), "SIMD": _int(self.simd), "MMV": _int(self.mmv),
        }
        if self.depthwise is not None:  # `swu_dw`: PE channels, SIMD taps a word
            args = {**{k: v for k, v in args.items() if k not in ("SIMD", "MMV")},
                    "PE": _int(self.pe), "SIMD": _int(self.simd), "MMV": _int(self.mmv)}
            return HlsInstance("swu_dw", "swu", args)
        return HlsInstance("swu", "swu", args)

    def verilog_instance(self, name: str) -> VerilogInstance:
        """`bnnc_swu`; in the `depthwise` mode its SIMD is the channels a word (PE), TS the taps a
        word (SIMD), and DEPTHWISE = 1 (printed only then: the module's defaults are 0 and 1)."""
        c, simd, mmv = _int(self.channels), self.channel_lanes(), _int(self.mmv)
        (ih, iw), (oh, ow) = array_values(self.ifm), array_values(self.ofm)
        (kh, kw), (sh, sw) = array_values(self.kernel), array_values(self.strides)
        top, left, _, _ = array_values(self.pads)
        params: dict[str, int | str] = {
            "SIMD": simd, "CF": c // simd, "BITS": bit_width(_stream(self.input).element), "MMV": mmv,
            "IH": ih, "IW": iw, "OH": oh, "OW": ow, "KH": kh, "KW": kw, "SH": sh, "SW": sw,
            "PAD_TOP": top, "PAD_LEFT": left, "PAD_CODE": self._pad_code(),
        }
        if self.depthwise is not None:
            params |= {"DEPTHWISE": 1, "TS": _int(self.simd)}
        return VerilogInstance("bnnc_swu", params)
